/* Outreach events. On the projector: poll the event's session state every 3 s (304 while nothing changed)
   and update the numbers in place. On a kiosk's last page: start again for the next person after a
   countdown. Both pages work without this file (a <noscript> refresh and plain links). */
(function () {
  "use strict";

  var POLL_MS = 3000;

  function setCount(root, name, value) {
    root.querySelectorAll('[data-count="' + name + '"]').forEach(function (el) { el.textContent = String(value); });
  }

  var projector = document.querySelector("[data-projector]");
  if (projector) {
    var url = projector.getAttribute("data-state-url");
    var etag = null;
    var poll = function () {
      var headers = { "Accept": "application/json" };
      if (etag) headers["If-None-Match"] = etag;
      fetch(url, { headers: headers, credentials: "omit", cache: "no-store" })
        .then(function (response) {
          if (response.status === 304) return null;
          if (!response.ok) throw new Error("state " + response.status);
          etag = response.headers.get("ETag") || etag;
          return response.json();
        })
        .then(function (state) {
          if (!state) return;
          setCount(projector, "players", state.players);
          setCount(projector, "finished", state.finished);
          setCount(projector, "average", state.average === null || state.average === undefined ? "–" : Number(state.average).toFixed(1));
        })
        .catch(function () { /* offline for a moment: try again at the next tick */ })
        .then(function () { window.setTimeout(poll, POLL_MS); });
    };
    window.setTimeout(poll, 500);
  }

  var reset = document.querySelector("[data-kiosk-reset]");
  if (reset) {
    var seconds = parseInt(reset.getAttribute("data-seconds"), 10) || 20;
    window.setTimeout(function () { window.location.assign(reset.getAttribute("data-url")); }, seconds * 1000);
  }

  // Entering paper sheets: "all right" and "clear" at once, the ticks typed in one line (1-4 for A-D,
  // 0 for blank, one group per question) set the marks as you type, and a running tally. Enter saves
  // the sheet (a plain form post) and the next one starts with the cursor in the same box.
  var paper = document.querySelector("[data-paper-form]");
  if (paper) {
    var answers = paper.getAttribute("data-answers").split(" ");
    var choices = paper.getAttribute("data-choices").split(" ").map(Number);
    var typed = paper.querySelector("input[name=typed]");
    var tally = paper.querySelector("[data-tally]");
    var setMark = function (number, value) {
      paper.querySelectorAll('input[name="q' + number + '"]').forEach(function (input) { input.checked = input.value === value; });
    };
    var update = function () {
      var done = 0, right = 0;
      for (var n = 1; n <= answers.length; n++) {
        var checked = paper.querySelector('input[name="q' + n + '"]:checked');
        if (checked) { done += 1; if (checked.value === "right") right += 1; }
      }
      tally.textContent = tally.getAttribute("data-text").replace("{done}", done).replace("{total}", answers.length).replace("{right}", right);
      tally.hidden = false;
    };
    var fromTyped = function () {
      var raw = typed.value.trim();
      var groups = raw ? raw.split(/[\s,，、;；\/]+/).filter(Boolean) : [];
      if (groups.length === 1 && groups[0].length === answers.length && answers.length > 1) groups = groups[0].split("");
      for (var n = 1; n <= answers.length; n++) {
        var group = groups[n - 1];
        if (group === undefined) { setMark(n, null); continue; }
        if (group === "0" || group === "-") { setMark(n, "blank"); continue; }
        var digits = group.split("").filter(function (d, i, all) { return all.indexOf(d) === i; });
        if (digits.some(function (d) { return !/^[1-9]$/.test(d) || Number(d) > choices[n - 1]; })) { setMark(n, null); continue; }
        setMark(n, digits.sort().join("") === answers[n - 1] ? "right" : "wrong");
      }
      update();
    };
    typed.addEventListener("input", fromTyped);
    paper.addEventListener("change", function (event) {
      if (event.target.name === "typed" || event.target.type !== "radio") return;
      typed.value = "";  // a tap corrects a typed mark: the taps now hold the whole sheet
      update();
    });
    document.querySelectorAll("[data-fill]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        typed.value = "";
        for (var n = 1; n <= answers.length; n++) setMark(n, button.getAttribute("data-fill") === "right" ? "right" : null);
        update();
        typed.focus();
      });
    });
    update();
  }
})();
