/* Fangzha: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // Read aloud with the browser's own speech synthesis. The button shows only when the browser has a voice
  // for the page's language (voices often arrive late: "voiceschanged"); with none it stays hidden, since a
  // silent "stop reading" helps no one.
  var WANTED = { "zh-Hans": ["zh-cn", "zh-hans", "cmn", "zh"], "zh-Hant": ["zh-tw", "zh-hant", "zh-hk", "zh"], "en": ["en"] };

  function voiceFor(tag) {
    tag = tag || document.documentElement.lang;
    var voices = window.speechSynthesis.getVoices() || [];
    var wanted = WANTED[tag] || [String(tag || "").toLowerCase()];
    for (var i = 0; i < wanted.length; i++) {
      for (var j = 0; j < voices.length; j++) {
        var lang = String(voices[j].lang || "").toLowerCase().replace("_", "-");
        if (lang === wanted[i] || lang.indexOf(wanted[i] + "-") === 0) return voices[j];
      }
    }
    return null;
  }

  function setUpReadAloud(root) {
    if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
    var buttons = root.querySelectorAll("button.read-aloud");
    var showIfVoiced = function () {
      buttons.forEach(function (button) { button.hidden = !voiceFor(button.dataset.lang); });
    };
    buttons.forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      var label = button.textContent;
      button.addEventListener("click", function () {
        if (window.speechSynthesis.speaking) {
          window.speechSynthesis.cancel();
          button.textContent = label;
          return;
        }
        var target = document.querySelector(button.dataset.read);
        var voice = voiceFor(button.dataset.lang);
        if (!target || !voice) return;
        var clone = target.cloneNode(true);
        clone.querySelectorAll("button, .no-read").forEach(function (el) { el.remove(); });
        var utterance = new SpeechSynthesisUtterance(clone.innerText || clone.textContent);
        utterance.voice = voice;
        utterance.lang = voice.lang;
        utterance.rate = 0.9;
        utterance.onend = utterance.onerror = function () { button.textContent = label; };
        button.textContent = "⏹ " + (button.dataset.labelStop || "Stop");
        window.speechSynthesis.speak(utterance);
      });
    });
    showIfVoiced();
    if (window.speechSynthesis.addEventListener) window.speechSynthesis.addEventListener("voiceschanged", showIfVoiced);
  }

  // The chat form becomes a conversation on one page: the server renders each exchange as HTML.
  // While waiting it says so in words; an empty question, a timeout or "too many requests" get a message.
  function setUpChat() {
    var form = document.querySelector("form.chat-form");
    var conversation = document.getElementById("conversation");
    if (!form || !conversation || !window.fetch || !window.FormData) return;
    var textarea = form.querySelector("textarea");
    var buttons = form.querySelectorAll("button");
    var status = form.querySelector(".form-status");
    var pressed = null;
    buttons.forEach(function (b) { b.addEventListener("click", function () { pressed = b; }); });

    function say(text, kind) {
      if (!status) return;
      status.textContent = text || "";
      status.hidden = !text;
      status.className = "form-status" + (kind ? " " + kind : "");
    }

    function busy(on) {
      buttons.forEach(function (b) { b.disabled = on; });
      if (on) form.setAttribute("aria-busy", "true"); else form.removeAttribute("aria-busy");
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      if (pressed && pressed.name === "example") data.set("example", pressed.value);
      pressed = null;
      if (!(data.get("example") || "").trim() && !(data.get("message") || "").trim()) {
        say(form.dataset.empty, "error");
        textarea.focus();
        return;
      }
      busy(true);
      say(form.dataset.waiting, "waiting");
      var controller = window.AbortController ? new AbortController() : null;
      var timedOut = false;
      var timer = setTimeout(function () { timedOut = true; if (controller) controller.abort(); }, Number(form.dataset.timeoutMs) || 25000);
      var options = { method: "POST", body: data, headers: { "X-Fragment": "1" }, credentials: "same-origin" };
      if (controller) options.signal = controller.signal;
      fetch(form.action, options)
        .then(function (response) {
          if (timedOut) throw new Error("timeout");
          if (response.status === 429) { say(form.dataset.busy, "error"); return null; }
          return response.text().then(function (html) { return { ok: response.ok, html: html, status: response.status }; });
        })
        .then(function (result) {
          if (!result) return;
          if (result.status >= 500) { say(form.dataset.failed, "error"); return; }
          say("");
          var holder = document.createElement("div");
          holder.innerHTML = result.html;  // rendered and escaped by the server
          conversation.appendChild(holder);
          setUpReadAloud(holder);
          if (result.ok) textarea.value = "";
          var answer = holder.querySelector(".bubble.bot") || holder;
          answer.scrollIntoView({ behavior: "smooth", block: "start" });
          if (answer.focus) answer.focus({ preventScroll: true });
        })
        .catch(function () {
          if (timedOut) { say(form.dataset.timeout, "error"); return; }
          form.submit();  // the network failed: fall back to a plain post
        })
        .then(function () { clearTimeout(timer); busy(false); });
    });
  }

  window.Fangzha = { setUpReadAloud: setUpReadAloud };
  document.addEventListener("DOMContentLoaded", function () { setUpReadAloud(document); setUpChat(); });
})();
