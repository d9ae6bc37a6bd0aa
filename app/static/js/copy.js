/* The calendar-feed page: a field that selects its text on focus, and a button that
   copies it (the Clipboard API). Without this script the address is still there, in a
   read-only field, to select and copy by hand; the button stays hidden. */
(function () {
  "use strict";
  document.querySelectorAll("input[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
  if (!navigator.clipboard || !window.isSecureContext) {
    return;
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector("[role=status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        status.textContent = button.dataset.copied;
      }, function () {
        field.focus();
        field.select();
        status.textContent = button.dataset.failed;
      });
    });
  });
})();
