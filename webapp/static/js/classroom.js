/* Live class quizzes: poll the session state every 2 s (cheap: 304 while nothing changed), keep the
   countdown and the answer count moving. When the phase or the question changes, the host's screen
   reloads; a phone swaps in the new phase its poll brought (/play/<code>/state: an HTML fragment shared by
   every phone, and `me`, this player's own lines) without loading a page.
   Every page works without this file (forms, and a <noscript> refresh while waiting). */
(function () {
  "use strict";

  var root = document.querySelector("[data-live]");
  if (!root) return;
  var POLL_MS = parseInt(root.getAttribute("data-poll-ms"), 10) || 2000; // the server sets it by the session's size
  var url = root.getAttribute("data-state-url");
  var etag = root.getAttribute("data-etag");
  var phase = root.getAttribute("data-phase");
  var index = root.getAttribute("data-index");
  var players = root.getAttribute("data-players");
  var role = root.getAttribute("data-role");
  var csrf = root.getAttribute("data-csrf");
  var phaseBody = root.querySelector("[data-phase-body]");
  var swaps = role === "player" && !!phaseBody;  // a phone: its poll brings the next phase, drawn in place
  var timer = null;
  var reloading = false;

  function reload() {
    if (reloading) return;
    reloading = true;
    window.location.reload();
  }

  function setText(selector, value) {
    root.querySelectorAll(selector).forEach(function (el) { el.textContent = String(value); });
  }

  // A phone: the new phase in place. `me` fills the fragment's [data-me] slots and picks its feedback.
  var lateFor = null;  // the question this phone's answer was refused as too late for
  var acceptedFor = null;  // the question this phone's answer was taken for
  var askedAgainFor = null;
  var lastMe = null;
  function fillMine(me) {
    if (!me) return;
    lastMe = me;
    if (phase === "reveal" && me.feedback === "none" && acceptedFor === index && askedAgainFor !== index) {
      // its answer was taken, but the reveal was drawn before it was stored: the next poll, without the
      // ETag, goes to the server itself for this phone's own part
      askedAgainFor = index;
      etag = null;
    }
    var feedback = me.feedback === "none" && lateFor === index ? "late" : me.feedback;  // its refusal may be newer
    root.querySelectorAll("[data-me]").forEach(function (el) {
      var text = (me.text && me.text[el.getAttribute("data-me")]) || "";
      el.textContent = text;
      var line = el.closest(".rank-line, .final-rank");
      if (line) line.hidden = !text;
    });
    root.querySelectorAll("[data-feedback]").forEach(function (el) {
      el.hidden = el.getAttribute("data-feedback") !== feedback;
    });
  }

  function applyPhone(body) {
    if (body.reload || !phaseBody || typeof body.html !== "string") { reload(); return; }
    var bodyIndex = body.index === null || body.index === undefined ? "" : String(body.index);
    if (body.phase === phase && bodyIndex === index) {
      fillMine(body.me);
      var ticking = phaseBody.querySelector("[data-remaining]");
      if (ticking && typeof body.remaining === "number") {  // the server's seconds left: count from them again
        ticking.setAttribute("data-remaining", String(body.remaining));
        startCountdown();
      }
      return;
    }
    phase = body.phase;
    index = bodyIndex;
    root.setAttribute("data-phase", phase);
    root.setAttribute("data-index", index);
    phaseBody.innerHTML = body.html;
    root.querySelectorAll(".notice.error[data-reason]").forEach(function (el) { el.remove(); }); // the last phase's
    fillMine(body.me);
    var countdownEl = phaseBody.querySelector("[data-remaining]");
    if (countdownEl && body.remaining !== null && body.remaining !== undefined) {
      countdownEl.setAttribute("data-remaining", String(body.remaining));
    }
    startCountdown();
    bindAnswerForm();
    if (body.me && body.me.answered) showSent(false);
    // screen readers hear the new phase: its feedback, else its first heading (a new question's prompt)
    var heading = phaseBody.querySelector(".feedback:not([hidden]) h1") || phaseBody.querySelector("h1");
    if (heading) {
      if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
      heading.focus();
    } else {
      window.scrollTo(0, 0);
    }
  }

  function apply(state) {
    if (swaps) { applyPhone(state); return; }
    var stateIndex = state.question ? String(state.question.index) : "";
    if (state.phase !== phase || (state.question && stateIndex !== index)) {
      reload();
      return;
    }
    if (role === "host" && phase === "lobby" && String(state.players) !== players) {
      reload(); // a player joined or left: show the new list (with its remove buttons)
      return;
    }
    setText("[data-answer-count]", state.answers);
    setText("[data-player-count]", state.players);
  }

  function poll() {
    timer = null;
    var headers = { "Accept": "application/json" };
    if (etag) headers["If-None-Match"] = etag;
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 304) {  // in a lobby, the interval the hall's size sets now (X-Poll-Ms)
          var ms = parseInt(response.headers.get("X-Poll-Ms"), 10);
          if (ms > 0) POLL_MS = ms;
          return null;
        }
        if (!response.ok) throw new Error("state " + response.status);
        etag = response.headers.get("ETag") || etag;
        return response.json();
      })
      .then(function (state) {
        if (!state) return;
        if (state.poll_ms > 0) POLL_MS = state.poll_ms;
        apply(state);
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { schedule(POLL_MS); });
  }

  function schedule(delay) {
    if (reloading || phase === "finished") return;
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(poll, delay);
  }

  // The countdown: the server sent the seconds left; count down from there and ask for the state at zero.
  var tick = null;
  function startCountdown() {
    if (tick) { window.clearInterval(tick); tick = null; }
    var countdown = root.querySelector("[data-remaining]");
    if (!countdown) return;
    var endsAt = Date.now() + parseFloat(countdown.getAttribute("data-remaining")) * 1000;
    var box = countdown.closest(".countdown");
    var liveBox = countdown.closest(".countdown-live");
    if (liveBox) liveBox.hidden = false;  // the seconds tick here; the clock time stays beside them, smaller
    if (box) box.classList.add("ticking");
    var show = function () {
      var left = Math.max(0, Math.ceil((endsAt - Date.now()) / 1000));
      countdown.textContent = String(left);
      if (box) box.classList.toggle("urgent", left <= 5);
      return left;
    };
    show();
    tick = window.setInterval(function () {
      if (show() <= 0) {
        window.clearInterval(tick);
        tick = null;
        onTimeUp();
        // the server turns the question into its reveal once the deadline has passed; spread a hall's phones
        // over a second rather than all asking in the same instant
        schedule(300 + Math.floor(Math.random() * 1000));
      }
    }, 250);
  }

  // -- presentation mode (the host screen) -----------------------------------------------------------

  // Size the question's text to the screen it is shown on: as big as fits (without JavaScript the page's
  // fit-N class, the server's guess from the text's length, decides).
  var stage = root.querySelector("[data-fit]");
  function fitStage() {
    if (!stage || !stage.querySelector(".live-prompt")) return;
    var style = stage.style;
    var fit = 1;
    var prompt = 1;
    style.setProperty("--fit", "1");  // start from full size: the class is only a guess
    style.removeProperty("--fit-prompt");
    var text = stage.querySelector(".reveal-main") || stage;  // at a reveal the leaderboard has its own size
    var tooTall = function () { return text.scrollHeight > stage.clientHeight; };
    while (tooTall() && fit > 0.42) { fit -= 0.04; style.setProperty("--fit", fit.toFixed(2)); }
    while (tooTall() && prompt > 0.6) { prompt -= 0.05; style.setProperty("--fit-prompt", prompt.toFixed(2)); }
  }
  if (stage) {
    fitStage();
    // again whenever the stage's room changes: a window resize, or the bottom bar growing a line as the
    // countdown and the answer count change
    var lastHeight = stage.clientHeight;
    var refit = function () { if (stage.clientHeight !== lastHeight) { lastHeight = stage.clientHeight; fitStage(); } };
    if (window.ResizeObserver) new ResizeObserver(refit).observe(stage);
    window.addEventListener("resize", fitStage);
  }

  // Space, → and PageDown (what presentation clickers send) press the start / reveal / next button.
  var advance = root.querySelector("form[data-advance]");
  if (advance) {
    document.addEventListener("keydown", function (event) {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      var key = event.key;
      if (key !== " " && key !== "ArrowRight" && key !== "PageDown") return;
      var target = event.target;
      var tag = target && target.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
      if (key === " " && (tag === "BUTTON" || tag === "A")) return; // space presses the focused control itself
      var button = advance.querySelector("button[type=submit]");
      if (!button || button.disabled || advance.getAttribute("aria-busy")) return;
      event.preventDefault();
      if (advance.requestSubmit) advance.requestSubmit(button); else button.click();
    });
  }

  // An optional beep at a question's start and when time is up: off until the host turns it on (the
  // choice is kept in this browser). WebAudio makes the tone; no sound file is loaded.
  var SOUND_KEY = "fangzha.sound";
  var soundButton = root.querySelector("[data-sound-toggle]");
  var audio = null;
  function soundOn() {
    try { return window.localStorage.getItem(SOUND_KEY) === "on"; } catch (e) { return false; }
  }
  function beep(frequency, seconds) {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context || !soundOn()) return;
    try {
      audio = audio || new Context();
      if (audio.state === "suspended") audio.resume();
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      var t = audio.currentTime;
      osc.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, t);
      gain.gain.exponentialRampToValueAtTime(0.3, t + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t + seconds);
      osc.connect(gain).connect(audio.destination);
      osc.start(t);
      osc.stop(t + seconds + 0.05);
    } catch (e) { /* no sound: the game goes on */ }
  }
  if (soundButton) {
    soundButton.hidden = false;
    var showSound = function () { soundButton.setAttribute("aria-pressed", soundOn() ? "true" : "false"); };
    showSound();
    soundButton.addEventListener("click", function () {
      try { window.localStorage.setItem(SOUND_KEY, soundOn() ? "off" : "on"); } catch (e) { /* private mode */ }
      showSound();
      if (soundOn()) beep(880, 0.15);
    });
    if (phase === "question") {
      // once per question, not again when the page reloads for another reason
      var seen = "fangzha.beeped." + url;
      var already = null;
      try { already = window.sessionStorage.getItem(seen); window.sessionStorage.setItem(seen, index); } catch (e) { /* ignore */ }
      if (already !== index) beep(660, 0.25);
    }
  }
  var onTimeUp = function () { if (soundButton && phase === "question") beep(330, 0.6); };

  // A player's answer goes with fetch: the page shows "sent" itself instead of loading a whole new page
  // (the server's JSON reply). Anything unexpected falls back to the real form POST.
  function showSent(focus) {
    var form = root.querySelector("form.answer-form");
    var sent = root.querySelector("[data-answer-sent]");
    if (!form || !sent) return;
    form.hidden = true;
    sent.hidden = false;
    if (focus) {
      sent.setAttribute("tabindex", "-1");
      sent.focus(); // screen readers hear "Answer sent!"
    }
  }

  function bindAnswerForm() {
    var answerForm = root.querySelector("form.answer-form");
    if (!answerForm) return;
    if (csrf) answerForm.querySelectorAll("input[name=csrf_token]").forEach(function (el) { el.value = csrf; });
    var sent = root.querySelector("[data-answer-sent]");
    var answerError = root.querySelector("[data-answer-error]");
    // One tap answers: disable the buttons so a double tap can't send twice (the server would refuse anyway).
    answerForm.addEventListener("submit", function () {
      window.setTimeout(function () {
        answerForm.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
      answerForm.setAttribute("aria-busy", "true");
    });
    if (role !== "player" || !sent || !window.fetch || !window.FormData) return;
    var enable = function () {
      answerForm.removeAttribute("data-sending");
      answerForm.removeAttribute("aria-busy");
      answerForm.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
    };
    answerForm.addEventListener("submit", function (event) {
      if (answerForm.getAttribute("data-sending")) { event.preventDefault(); return; }
      var data = new FormData(answerForm);
      if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
      else if (!answerForm.querySelector("input[name=choice]")) return; // no submitter known: the plain POST
      event.preventDefault();
      var sentFor = index;
      answerForm.setAttribute("data-sending", "1");
      // as a plain form body where the browser can (the server takes that one before Flask's dispatch)
      var body = window.URLSearchParams ? new URLSearchParams(data) : data;
      fetch(answerForm.action, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) { return { status: response.status, body: body }; });
        })
        .then(function (reply) {
          if (reply.body.accepted) {
            acceptedFor = sentFor;
            showSent(true);
            return;
          }
          if (reply.status === 409 && !swaps) { reload(); return; } // too late, or moved on: the page says so
          if (reply.body.reason === "too_late") {
            lateFor = sentFor;
            if (phase === "reveal" && index === sentFor) fillMine(lastMe); // the reveal came first: say so now
          }
          if (answerError) { answerError.textContent = reply.body.message || ""; answerError.hidden = !reply.body.message; }
          if (reply.status === 409) {
            schedule(200); // too late, or the question moved on: the next phase (and why) comes with the poll
          } else {
            enable();
          }
        })
        .catch(function () {
          // the network hiccuped: the plain POST (the server counts an answer once), with the tapped choice
          if (event.submitter && event.submitter.name) {
            var chosen = document.createElement("input");
            chosen.type = "hidden";
            chosen.name = event.submitter.name;
            chosen.value = event.submitter.value;
            answerForm.appendChild(chosen);
          }
          HTMLFormElement.prototype.submit.call(answerForm);
        });
    });
  }

  root.querySelectorAll("form.advance-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
      }, 0);
      form.setAttribute("aria-busy", "true");
    });
  });

  startCountdown();
  bindAnswerForm();
  if (swaps && phase === "question" && root.querySelector("[data-remaining]")) {
    // an answered question's page may be the browser's copy (a reload answered 304): its seconds left are as
    // old as the copy, so the first poll asks for the state itself, without the ETag, and counts from it
    etag = null;
    schedule(0);
  } else {
    schedule(POLL_MS);
  }
})();
