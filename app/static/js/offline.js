/* Offline, on the two pages that use it (loaded by them only, to keep other pages light):
   - the course page's "Make available offline" panel: the size before, the progress
     while the page itself downloads the course (so a slow link is really what is used),
     optional files, chosen quizzes; once stored, its size and Remove;
   - /offline ("On this device"): the stored courses and the outbox (waiting, sent,
     refused with the server's reason).
   Every word shown comes from the page's data attributes (translated on the server) or
   from the server's JSON; sizes and dates are formatted with Intl in the page's language.
   The storage layout is sw.js's (read its header). */
(function () {
  "use strict";
  var PREFIX = "palliare-course-";
  var SHELL = "palliare-shell";
  var lang = document.documentElement.lang || "en";
  var me = document.body.dataset.user || ""; // a shared device: whose page this is

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open("palliare-offline", 2); // sw.js's DB_VERSION
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains("device")) { db.createObjectStore("device", { keyPath: "name" }); }
        if (!db.objectStoreNames.contains("outbox")) { db.createObjectStore("outbox", { keyPath: "key" }); }
        if (!db.objectStoreNames.contains("courses")) { db.createObjectStore("courses", { keyPath: "course" }); }
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }
  function store(name, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(name, mode);
        var request = work(tx.objectStore(name));
        tx.oncomplete = function () { db.close(); resolve(request.result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }
  var db = {
    all: function (name) { return store(name, "readonly", function (s) { return s.getAll(); }); },
    get: function (name, key) { return store(name, "readonly", function (s) { return s.get(key); }); },
    put: function (name, value) { return store(name, "readwrite", function (s) { return s.put(value); }); },
    remove: function (name, key) { return store(name, "readwrite", function (s) { return s.delete(key); }); }
  };

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? values[name] : whole;
    });
  }
  function size(bytes) {
    var mb = bytes >= 1e6;
    return new Intl.NumberFormat(lang, {
      style: "unit", unit: mb ? "megabyte" : "kilobyte", maximumFractionDigits: mb ? 1 : 0
    }).format(mb ? bytes / 1e6 : Math.max(1, Math.round(bytes / 1e3)));
  }
  function when(iso) {
    return new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  }
  function json(url, options) {
    return fetch(url, Object.assign({ credentials: "same-origin", cache: "no-store" }, options || {}))
      .then(function (response) {
        return response.json().then(function (body) { body.httpStatus = response.status; return body; });
      });
  }
  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }
  var supported = "serviceWorker" in navigator && "caches" in window && "indexedDB" in window;

  /* ---------- Downloading a course ---------- */

  // One page or file: fetched as a download (the server records no visit), stored as a
  // fresh Response (a redirected one could not answer a navigation).
  function fetchCopy(url) {
    return fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "X-Palliare-Offline": "download" } })
      .then(function (response) {
        if (!response.ok || response.redirected) { throw new Error(response.status + " " + url); }
        var type = response.headers.get("Content-Type") || "text/html";
        return response.blob().then(function (blob) {
          var copy = { response: new Response(blob, { headers: { "Content-Type": type } }), bytes: blob.size, assets: [] };
          if (type.indexOf("text/html") !== 0) { return copy; }
          return blob.text().then(function (html) { copy.assets = assetsOf(html); return copy; });
        });
      });
  }

  // A quiz chosen for offline: its attempt is started now (online, by the server's rules)
  // and the attempt page stored; "Start" on the stored quiz page leads to it (sw.js).
  function startQuiz(quiz, token, record, cache, assets) {
    return fetch(quiz.start_url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Palliare-Outbox": "1", Accept: "application/json" },
      body: new URLSearchParams({ csrf_token: token }).toString()
    }).then(function (response) { return response.json(); }).then(function (answer) {
      if (answer.status !== "stored" || !answer.url) { return; }
      return fetchCopy(answer.url).then(function (copy) {
        record.starts[new URL(quiz.start_url, location.href).pathname] = answer.url;
        copy.assets.forEach(function (url) { assets[url] = true; });
        record.entries[answer.url] = { version: "attempt", bytes: copy.bytes, kind: "attempt" };
        return cache.put(answer.url, copy.response);
      });
    });
  }

  // The stylesheet, scripts and icons a stored page uses (their addresses carry ?v=hash).
  var ASSET = /(?:src|href)="(\/static\/[^"#]+|\/manifest\.webmanifest)/g;
  function assetsOf(html) {
    var found = [], match;
    while ((match = ASSET.exec(html))) { found.push(match[1].replace(/&amp;/g, "&")); }
    return found;
  }

  function download(panel, manifest, withFiles, quizzes, onProgress) {
    var entries = manifest.pages.concat(withFiles ? manifest.files : []);
    var total = entries.reduce(function (sum, e) { return sum + e.bytes; }, 0);
    var record = {
      course: manifest.course, owner: me, manifest: panel.dataset.manifest, title: manifest.title,
      url: panel.dataset.courseUrl, locale: manifest.locale, version: manifest.version,
      files: withFiles, entries: {}, starts: {}, bytes: 0, saved_at: new Date().toISOString()
    };
    var name = PREFIX + manifest.course;
    var done = 0;
    var assets = {};
    if (navigator.storage && navigator.storage.persist) { navigator.storage.persist().catch(function () {}); }
    return caches.delete(name).then(function () {
      return Promise.all([caches.open(name), caches.open(SHELL)]);
    }).then(function (opened) {
      var cache = opened[0], shell = opened[1];
      // One at a time: on a slow link, parallel fetches only compete with each other.
      var chain = Promise.resolve();
      entries.forEach(function (entry) {
        chain = chain.then(function () {
          return fetchCopy(entry.url).then(function (copy) {
            record.entries[entry.url] = { version: entry.version, bytes: copy.bytes, kind: entry.kind || "file" };
            done += entry.bytes;
            onProgress(done, total);
            copy.assets.forEach(function (url) { assets[url] = true; });
            return (entry.kind === "device" ? shell : cache).put(entry.url, copy.response);
          });
        });
      });
      if (quizzes.length) {
        chain = chain.then(function () { return json("/offline/token"); }).then(function (answer) {
          return quizzes.reduce(function (step, quiz) {
            return step.then(function () { return startQuiz(quiz, answer.csrf_token, record, cache, assets); });
          }, Promise.resolve());
        });
      }
      return chain.then(function () {
        return Promise.all(Object.keys(assets).map(function (url) {
          return cache.match(url).then(function (hit) { return hit || cache.add(url); });
        }));
      });
    }).then(function () {
      record.bytes = Object.keys(record.entries).reduce(function (s, url) { return s + record.entries[url].bytes; }, 0);
      return db.put("courses", record).then(function () { return record; });
    }).catch(function (error) {
      // Nothing half-stored: a course is either all there or not at all.
      return caches.delete(name).then(function () { throw error; });
    });
  }

  function remove(course) {
    return caches.delete(PREFIX + course).then(function () { return db.remove("courses", course); });
  }

  function coursePanel(panel) {
    var words = panel.dataset;
    var controls = panel.querySelector(".offline-controls");
    var state = panel.querySelector(".offline-state");
    var bar = panel.querySelector("progress");
    var filesBox = panel.querySelector(".offline-files input");
    var quizList = panel.querySelector(".offline-quizzes");
    var downloadButton = panel.querySelector(".offline-download");
    var removeButton = panel.querySelector(".offline-remove");
    var manifest = null;
    controls.hidden = false;
    if (!supported) { state.textContent = words.unsupported; downloadButton.hidden = true; return; }

    function showStored(record) {
      var stored = Boolean(record);
      downloadButton.textContent = stored ? words.update : words.download;
      removeButton.hidden = !stored;
      state.textContent = stored
        ? fill(words.stored, { size: size(record.bytes), date: when(record.saved_at) })
        : "";
    }
    function chosenQuizzes() {
      return (manifest ? manifest.quizzes : []).filter(function (quiz) {
        var box = quizList.querySelector('input[value="' + quiz.key + '"]');
        return box && box.checked;
      });
    }
    function showManifest() {
      var pages = manifest.pages.reduce(function (s, e) { return s + e.bytes; }, 0);
      var files = manifest.files.reduce(function (s, e) { return s + e.bytes; }, 0);
      panel.querySelector(".offline-size").textContent = fill(words.size, { size: size(pages), count: manifest.pages.length });
      panel.querySelector(".offline-files").hidden = !manifest.files.length;
      panel.querySelector(".offline-files span").textContent = fill(words.files, { size: size(files), count: manifest.files.length });
      quizList.textContent = "";
      manifest.quizzes.forEach(function (quiz) {
        var item = el("li");
        if (quiz.offline) {
          var label = el("label");
          var box = el("input");
          box.type = "checkbox";
          box.value = quiz.key;
          box.checked = !quiz.note; // a limited quiz uses an attempt: the learner decides
          label.appendChild(box);
          label.appendChild(document.createTextNode(" " + quiz.title));
          item.appendChild(label);
        } else {
          item.textContent = quiz.title;
        }
        var why = quiz.offline ? quiz.note : quiz.reason;
        if (why) { item.appendChild(el("span", why, "hint")); }
        quizList.appendChild(item);
      });
    }

    downloadButton.addEventListener("click", function () {
      if (!manifest) { return; }
      downloadButton.disabled = removeButton.disabled = true;
      bar.hidden = false;
      bar.value = 0;
      download(panel, manifest, filesBox.checked, chosenQuizzes(), function (done, total) {
        bar.value = total ? Math.round((100 * done) / total) : 100;
        state.textContent = fill(words.progress, { done: size(done), total: size(total) });
      }).then(function (record) {
        showStored(record);
        state.textContent = words.done + " " + state.textContent;
      }, function () {
        state.textContent = words.failed;
      }).then(function () {
        bar.hidden = true;
        downloadButton.disabled = removeButton.disabled = false;
      });
    });
    removeButton.addEventListener("click", function () {
      remove(panel.dataset.course).then(function () {
        showStored(null);
        state.textContent = words.removed;
        downloadButton.focus();
      });
    });

    db.get("courses", panel.dataset.course).then(function (record) {
      showStored(record && record.owner === me ? record : null); // another person's: not yours
    });
    json(panel.dataset.manifest, { headers: { Accept: "application/json" } }).then(function (answer) {
      if (answer.httpStatus !== 200 || !answer.available) {
        state.textContent = answer.reason || words.unavailable;
        downloadButton.hidden = true;
        return;
      }
      manifest = answer;
      showManifest();
      downloadButton.disabled = false;
    }, function () {
      // Offline: a stored course still shows its size and Remove.
    });
  }

  /* ---------- "On this device" ---------- */

  function devicePage(root) {
    var words = root.dataset;
    var params = new URLSearchParams(location.search);
    if (location.pathname !== root.dataset.path) {
      // sw.js answered a page that is not stored with this one.
      root.querySelector(".offline-missing").hidden = false;
    }
    if (params.get("queued")) { root.querySelector(".offline-queued").hidden = false; }
    if (!supported) { root.querySelector(".offline-unsupported").hidden = false; return; }

    function drawCourses(records) {
      var list = root.querySelector(".offline-courses");
      list.textContent = "";
      root.querySelector(".offline-no-courses").hidden = records.length > 0;
      records.forEach(function (record) {
        var item = el("li");
        var link = el("a", record.title);
        link.href = record.url || "#";
        item.appendChild(link);
        item.appendChild(el("span", " " + fill(words.stored, { size: size(record.bytes), date: when(record.saved_at) }), "hint"));
        var button = el("button", words.remove, "secondary");
        button.type = "button";
        button.setAttribute("aria-label", words.remove + ": " + record.title);
        button.addEventListener("click", function () {
          remove(record.course).then(draw);
        });
        item.appendChild(button);
        list.appendChild(item);
      });
    }
    function drawOutbox(items) {
      var groups = { waiting: [], sent: [], refused: [] };
      items.forEach(function (item) {
        // Another person's sent or refused entries are theirs to read; their waiting ones
        // are listed (they wait for that person to sign in).
        if (item.owner !== me && item.status !== "waiting") { return; }
        (groups[item.status] || []).push(item);
      });
      Object.keys(groups).forEach(function (status) {
        var list = root.querySelector(".outbox-" + status);
        list.textContent = "";
        root.querySelector(".outbox-" + status + "-empty").hidden = groups[status].length > 0;
        groups[status].sort(function (a, b) { return b.created_at.localeCompare(a.created_at); });
        groups[status].forEach(function (item) {
          var li = el("li", null, "outbox-item");
          li.id = "outbox-" + item.key;
          if (item.key === params.get("queued")) { li.classList.add("outbox-new"); }
          var title = item.result_url && status !== "waiting" ? el("a", item.label || item.url) : el("strong", item.label || item.url);
          if (title.tagName === "A") { title.href = item.result_url; }
          li.appendChild(title);
          li.appendChild(el("span", " " + fill(words.made, { date: when(item.created_at) }), "hint"));
          if (status === "waiting" && item.owner !== me) {
            li.appendChild(el("p", words.otherAccount, "status outbox-other"));
          } else if (status === "waiting" && item.note === "signed_out") {
            li.appendChild(el("p", words.signIn, "status"));
          }
          if (item.message) { li.appendChild(el("p", item.message, status === "refused" ? "error outbox-reason" : "status")); }
          list.appendChild(li);
        });
      });
    }
    function draw() {
      return Promise.all([db.all("courses"), db.all("outbox")]).then(function (found) {
        drawCourses(found[0].filter(function (record) { return record.owner === me; }));
        drawOutbox(found[1]);
      });
    }
    draw();
    document.addEventListener("palliare:sync", draw);
  }

  var panel = document.getElementById("offline-panel");
  if (panel) { coursePanel(panel); }
  var device = document.getElementById("offline-device");
  if (device) { devicePage(device); }
})();
