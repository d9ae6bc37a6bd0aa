/* The logbook on a weak link: what the observer types is kept on this device
   (localStorage, keyed by placement and day) until a page says the server has it
   (data-logbook-saved: the form key of the save). An empty form gets the device's copy
   back, with a notice; a form that differs offers it with a button. Also "Add a row"
   for a fifth activity. Without this script the form still works: drafts are kept on
   the server, and a form sent twice is saved once. */
(function () {
  "use strict";
  var store;
  try { store = window.localStorage; store.getItem("x"); } catch (e) { store = null; }

  function read(key) {
    try { return JSON.parse(store.getItem(key) || "null"); } catch (e) { return null; }
  }

  // A page after a save: forget the copy of the form that was saved.
  function forgetSaved(storageKey, savedKey) {
    var copy = read(storageKey);
    if (copy && (!savedKey || copy.key === savedKey)) { store.removeItem(storageKey); }
  }

  var marker = document.querySelector("[data-logbook-saved-storage]");
  if (store && marker) { forgetSaved(marker.dataset.logbookSavedStorage, marker.dataset.logbookSaved); }

  var form = document.querySelector("form[data-logbook-form]");
  if (!form) { return; }
  var storageKey = form.dataset.logbookForm;
  var notice = form.querySelector(".logbook-notice");
  var tbody = form.querySelector(".logbook-rows tbody");

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrf_token" && el.name !== "client_key" && el.type !== "submit";
    });
  }
  function values() {
    var out = {};
    fields().forEach(function (el) { out[el.name] = el.value; });
    return out;
  }
  function isEmpty(vals) {
    return Object.keys(vals).every(function (name) { return !vals[name].trim(); });
  }
  function same(a, b) {
    var names = Object.keys(a).concat(Object.keys(b));
    return names.every(function (name) { return (a[name] || "") === (b[name] || ""); });
  }

  function addRow() {
    var rows = tbody.querySelectorAll("tr");
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    var index = rows.length;
    copy.querySelectorAll("select, input").forEach(function (el) {
      el.name = el.name.replace(/-\d+-/, "-" + index + "-");
      el.id = el.name;
      el.value = "";
      var label = el.getAttribute("aria-label");
      if (label) { el.setAttribute("aria-label", label.replace(/\d+$/, String(index + 1))); }
    });
    tbody.appendChild(copy);
    return copy;
  }

  function restore(copy) {
    Object.keys(copy.fields).forEach(function (name) {
      while (!form.elements[name] && /^activities-\d+-/.test(name) && tbody.rows.length < 30) {
        addRow();
      }
      var el = form.elements[name];
      if (el) { el.value = copy.fields[name]; }
    });
    if (copy.key && form.elements.client_key) { form.elements.client_key.value = copy.key; }
    notice.textContent = form.dataset.restored;
  }

  if (form.dataset.logbookSaved !== undefined) { forgetSaved(storageKey, form.dataset.logbookSaved); }

  var kept = read(storageKey);
  var now = values();
  if (kept && kept.fields && !isEmpty(kept.fields) && !same(kept.fields, now)) {
    if (isEmpty(now)) {
      restore(kept);
    } else {
      notice.textContent = form.dataset.newer + " ";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary";
      button.textContent = form.dataset.restoreLabel;
      button.addEventListener("click", function () { restore(kept); button.remove(); });
      notice.appendChild(button);
    }
  }

  function keep() {
    if (!store) { return; }
    var key = form.elements.client_key ? form.elements.client_key.value : "";
    try {
      store.setItem(storageKey, JSON.stringify({ key: key, at: Date.now(), fields: values() }));
    } catch (e) { /* full or refused: the server draft still works */ }
  }
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("submit", keep);

  var add = document.createElement("button");
  add.type = "button";
  add.className = "secondary";
  add.textContent = form.dataset.addRow;
  add.addEventListener("click", function () {
    var row = addRow();
    row.querySelector("select").focus();
  });
  tbody.parentNode.insertAdjacentElement("afterend", add);
})();
