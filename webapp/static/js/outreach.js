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
})();
