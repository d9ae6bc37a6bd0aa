// Quiz attempt page (loaded only there): a countdown for timed attempts and a warning
// before submitting with questions left blank. The page works without it: the server
// shows the time left and asks to confirm blank questions itself; its deadline decides.
(function () {
  "use strict";

  function countdown(timer) {
    var clock = document.getElementById("quiz-timer-clock");
    var live = document.getElementById("quiz-timer-live");
    var seconds = parseInt(timer.getAttribute("data-seconds"), 10);
    if (!clock || !live || isNaN(seconds)) return;
    // Counted from this page's load, not the device's clock (which may be wrong).
    var end = Date.now() + seconds * 1000;
    var announced = {};

    function say(key) {
      if (announced[key]) return;
      announced[key] = true;
      live.textContent = timer.getAttribute("data-" + key);
    }

    function tick() {
      var left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var rest = left % 60;
      clock.textContent = minutes + ":" + (rest < 10 ? "0" : "") + rest;
      // Announced once each (not every second): 5 and 1 minutes left, and the end.
      if (left <= 300 && left > 60 && seconds > 300) say("five");
      if (left <= 60 && left > 0 && seconds > 60) say("one");
      if (left <= 60) timer.classList.add("quiz-timer-low");
      if (left === 0) {
        say("end");
        live.classList.remove("visually-hidden"); // the warning stays on screen too
        timer.classList.add("quiz-timer-ended");
        return;
      }
      window.setTimeout(tick, Math.max(50, (end - Date.now()) % 1000 || 1000));
    }
    tick();
  }

  function isBlank(fieldset) {
    var inputs = fieldset.querySelectorAll("input");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) return false;
      } else if (input.value.trim() !== "") {
        return false;
      }
    }
    return true;
  }

  function warnUnanswered(form) {
    var message = form.getAttribute("data-unanswered");
    if (!message) return;
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.name === "confirm_unanswered") return;
      var timer = document.getElementById("quiz-timer");
      if (timer && timer.classList.contains("quiz-timer-ended")) return; // no time to ask
      var blank = [];
      var fieldsets = form.querySelectorAll("fieldset.question");
      for (var i = 0; i < fieldsets.length; i++) {
        if (isBlank(fieldsets[i])) blank.push(fieldsets[i]);
      }
      if (!blank.length) return;
      var numbers = blank.map(function (f) { return f.getAttribute("data-number"); });
      if (window.confirm(message.replace("{numbers}", numbers.join(", ")))) {
        var confirmed = document.createElement("input");
        confirmed.type = "hidden";
        confirmed.name = "confirm_unanswered";
        confirmed.value = "1";
        form.appendChild(confirmed);
        return;
      }
      event.preventDefault();
      var first = blank[0].querySelector("input");
      blank[0].scrollIntoView({ block: "center" });
      if (first) first.focus();
    });
  }

  var timer = document.getElementById("quiz-timer");
  if (timer) countdown(timer);
  var form = document.getElementById("quiz-form");
  if (form) warnUnanswered(form);
})();
