// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // After a rejected form, take keyboard and screen-reader users to the summary.
  const summary = document.querySelector(".error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
  // The header's menu (a <details>): Escape closes it and gives focus back to its button.
  const menu = document.getElementById("site-menu");
  if (menu) {
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }
});

/* Offline (issue 20). Forms that may be sent with no connection carry a submission_key:
   a key made on this device replaces the server's on every page load, so a form sent
   twice (resent, or replayed from the outbox) is stored once. The service worker is
   registered after the page has loaded (never delaying it) and asked to send what waits;
   its answers fill the status line, whose words come from base.html (translated). */
(function () {
  "use strict";
  function deviceKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  document.querySelectorAll("input[name=submission_key]").forEach(function (input) {
    input.value = deviceKey();
  });
  if (!("serviceWorker" in navigator)) { return; }
  // Whose page this is, and who just signed out here (a shared phone): the worker sends
  // only this person's forms and deletes the pages of whoever signed out.
  var person = { user: document.body.dataset.user || "", signedOut: document.body.dataset.signedOut || "" };
  var line = document.getElementById("sync-status");
  if (!line) {
    if (person.signedOut) {
      navigator.serviceWorker.getRegistration("/").then(function (reg) {
        if (reg && reg.active) { reg.active.postMessage({ type: "flush", signedOut: person.signedOut }); }
      });
    }
    return;
  }
  var words = line.dataset;

  function show(status) {
    var parts = [];
    if (status.waiting) { parts.push(words.waiting.replace("{n}", status.waiting)); }
    if (status.signedOut && status.waiting) { parts.push(words.signIn); }
    if (status.others) { parts.push(words.otherAccount.replace("{n}", status.others)); }
    if (status.sent) { parts.push(words.sent.replace("{n}", status.sent)); }
    if (status.refused) { parts.push(words.refused.replace("{n}", status.refused)); }
    line.querySelector("a").textContent = parts.join(" · ");
    line.hidden = !parts.length;
    // A form already waiting in the outbox is not offered again.
    document.querySelectorAll("form[method=post]").forEach(function (form) {
      // getAttribute: a button named "action" (the logbook's) shadows form.action
      var action = new URL(form.getAttribute("action") || location.href, location.href);
      var queued = status.pending.indexOf(action.pathname) >= 0;
      if (queued && form.querySelector("input[name=submission_key]") && !form.dataset.queued) {
        form.dataset.queued = "1";
        form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
        form.insertAdjacentHTML("beforeend", '<p class="status"></p>');
        form.lastChild.textContent = words.queued;
      }
    });
    document.dispatchEvent(new CustomEvent("palliare:sync", { detail: status }));
  }
  function flush() {
    navigator.serviceWorker.ready.then(function (reg) { reg.active.postMessage({ type: "flush", user: person.user, signedOut: person.signedOut }); });
  }
  navigator.serviceWorker.addEventListener("message", function (event) {
    if (event.data && event.data.type === "status") { show(event.data); }
  });
  navigator.serviceWorker.startMessages();
  window.addEventListener("online", flush);
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(words.worker, { scope: "/" }).then(flush, function () {});
  });
})();
