/* Palliare's service worker, served as /sw.js (scope "/"). Written by hand, no library.

   What it keeps (all on this device, for this browser profile only):
   - Cache Storage "palliare-static-<VERSION>": CSS, JS and images (their addresses carry
     ?v=<hash>, so a cached copy is never stale: cache-first).
   - Cache Storage "palliare-course-<key>": the pages (and chosen files) of a course the
     learner made available offline. offline.js fills it from the course's manifest; this
     worker refreshes it after each sync.
   - Cache Storage "palliare-shell": the "On this device" page (/offline), shown for any
     page that is not stored.
   - IndexedDB "palliare-offline": "courses" (what each stored course holds, and the
     version of each page), "outbox" (forms sent with no connection) and "device" (who
     last signed in here).

   Shared devices (a ward's phone): every stored course and every outbox entry has an
   owner (the user id the pages carry). Only the last signed-in person's stored pages
   are served; an entry is sent only in its owner's session (the others wait for their
   owner); signing out deletes that person's stored pages, never their waiting forms.

   Pages go to the network first; the stored copy is only used when the network fails.
   A form carrying a submission_key that cannot reach the server is kept in the outbox
   FIRST and then answered with a redirect, so closing the browser loses nothing. The
   outbox is sent again (Background Sync, or a "flush" message from the page) as the same
   form, with a fresh CSRF token; the server accepts each key once, so sending twice is
   harmless. No text a person reads is written here: the pages bring their own words. */
"use strict";

const VERSION = "1";
const STATIC_CACHE = `palliare-static-${VERSION}`;
const SHELL_CACHE = "palliare-shell";
const COURSE_PREFIX = "palliare-course-";
const DEVICE_PAGE = "/offline";
const DB_NAME = "palliare-offline";
const DB_VERSION = 2; // 2: the "device" store (who is signed in here)
const SENT_KEPT_DAYS = 30; // sent and refused entries stay listed on /offline this long

self.addEventListener("install", (event) => {
  // Nothing to pre-cache: pages are stored when a learner chooses a course.
  event.waitUntil(self.skipWaiting());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      // Drop static caches of older versions; course caches are the learner's and stay.
      for (const name of await caches.keys()) {
        if (name.startsWith("palliare-static-") && name !== STATIC_CACHE) {
          await caches.delete(name);
        }
      }
      await self.clients.claim();
    })()
  );
});

/* ---------- IndexedDB: the same small schema as offline.js ---------- */

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("device")) db.createObjectStore("device", { keyPath: "name" });
      if (!db.objectStoreNames.contains("outbox")) db.createObjectStore("outbox", { keyPath: "key" });
      if (!db.objectStoreNames.contains("courses")) db.createObjectStore("courses", { keyPath: "course" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function store(name, mode, work) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(name, mode);
      const result = work(tx.objectStore(name));
      // Resolve only once the transaction is durable: "stored first, then answered".
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

const getAll = (name) => store(name, "readonly", (s) => s.getAll());
const put = (name, value) => store(name, "readwrite", (s) => s.put(value));
const remove = (name, key) => store(name, "readwrite", (s) => s.delete(key));
const getOne = (name, key) => store(name, "readonly", (s) => s.get(key));

/* ---------- Who is signed in on this device ---------- */

// The last person seen signed in ("" after a sign-out). Pages say whose they are
// (<body data-user>, posted by app.js) and /offline/token says whose session it is.
async function currentUser() {
  const found = await getOne("device", "user");
  return found ? found.id : "";
}

async function setCurrentUser(id) {
  const before = await currentUser();
  if (id === before) return;
  // Another person: the shell's pages (/offline, logbook pages) carry the last one's name.
  if (id) await caches.delete(SHELL_CACHE);
  await put("device", { name: "user", id });
}

// Someone signed out: their stored courses and the shell's pages go; what they sent
// offline and is still waiting stays (it is sent when they sign in again).
async function forget(owner) {
  for (const course of await getAll("courses")) {
    if (course.owner === owner || !course.owner) {
      await caches.delete(COURSE_PREFIX + course.course);
      await remove("courses", course.course);
    }
  }
  await caches.delete(SHELL_CACHE);
  if ((await currentUser()) === owner) await put("device", { name: "user", id: "" });
}

// The stored copy of ``request`` from the current person's courses (or the shell), else
// undefined: another person's stored pages are never served.
async function ownStored(request, options) {
  const user = await currentUser();
  if (!user) return undefined;
  for (const course of await getAll("courses")) {
    if (course.owner !== user) continue;
    const cache = await caches.open(COURSE_PREFIX + course.course);
    const hit = (await cache.match(request, options)) || (await cache.match(request, { ...options, ignoreSearch: true }));
    if (hit) return hit;
  }
  const shell = await caches.open(SHELL_CACHE);
  return (await shell.match(request, options)) || (await shell.match(request, { ...options, ignoreSearch: true }));
}

/* ---------- Fetch ---------- */

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && request.mode === "navigate") {
    event.respondWith(formPost(request));
  } else if (request.method !== "GET") {
    return; // scripts' own POSTs (offline.js, the outbox) go straight to the network
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticAsset(request));
  } else if (request.destination) {
    // Images and the like a stored page links to (a course's cover, a chosen file).
    event.respondWith(fetch(request).catch(async () => (await ownStored(request)) || Response.error()));
  }
});

async function staticAsset(request) {
  // Any cache: offline.js stores a course's stylesheet and scripts with its pages.
  const hit = await caches.match(request);
  if (hit) return hit;
  const cache = await caches.open(STATIC_CACHE);
  const response = await fetch(request);
  if (response.ok && new URL(request.url).searchParams.has("v")) {
    await cache.put(request, response.clone());
  }
  return response;
}

// Logbook pages opened online are kept, so an observer can write a day with no network.
const KEPT_WHEN_VISITED = /^\/placements\/\d+\/logbook(\/\d{4}-\d{2}-\d{2})?$/;

async function page(request) {
  try {
    const response = await fetch(request);
    const path = new URL(request.url).pathname;
    if (response.ok && KEPT_WHEN_VISITED.test(path) && !response.redirected) {
      const cache = await caches.open(SHELL_CACHE);
      await cache.put(path, response.clone());
    }
    return response;
  } catch (error) {
    // The exact address first, then the same path without ?lang= or other queries; only
    // the pages of the person last signed in here.
    const copy = await ownStored(request.url);
    if (copy) return copy;
    // Not stored: the "On this device" page, whose script says this page is not stored.
    return (await ownStored(DEVICE_PAGE)) || Response.error();
  }
}

/* A form sent by a page. With a submission_key it is kept in the outbox when the network
   fails; without one (e.g. "Start" on a stored quiz), the quiz's stored attempt page or
   /offline is shown instead of the browser's error page. */
async function formPost(request) {
  const type = request.headers.get("Content-Type") || "";
  const body = type.startsWith("application/x-www-form-urlencoded") ? await request.clone().text() : "";
  const fields = new URLSearchParams(body);
  const key = fields.get("submission_key");
  try {
    return await fetch(request);
  } catch (error) {
    if (!key) return redirect(await startedAttempt(request.url));
    await put("outbox", {
      key,
      owner: fields.get("offline_owner") || (await currentUser()), // sent only in their session
      url: request.url,
      body,
      label: fields.get("offline_label") || "",
      created_at: new Date().toISOString(),
      status: "waiting",
      message: "",
      result_url: null,
    });
    if (self.registration.sync) {
      self.registration.sync.register("palliare-outbox").catch(() => {}); // not everywhere
    }
    await report({});
    const next = sameOrigin(fields.get("offline_next"));
    return redirect(next || `${DEVICE_PAGE}?queued=${encodeURIComponent(key)}`);
  }
}

async function startedAttempt(startUrl) {
  const path = new URL(startUrl).pathname;
  const user = await currentUser();
  for (const course of await getAll("courses")) {
    if (course.owner === user && course.starts && course.starts[path]) return course.starts[path];
  }
  return DEVICE_PAGE;
}

function sameOrigin(address) {
  if (!address) return null;
  const url = new URL(address, self.location.origin);
  return url.origin === self.location.origin ? url.pathname + url.search : null;
}

function redirect(path) {
  return Response.redirect(new URL(path, self.location.origin).href, 303);
}

/* ---------- Sync: the outbox, then the stored courses ---------- */

self.addEventListener("sync", (event) => {
  if (event.tag === "palliare-outbox") event.waitUntil(syncAll());
});

self.addEventListener("message", (event) => {
  const data = event.data || {};
  const type = data.type;
  if (type === "flush") event.waitUntil(whoIsHere(data).then(syncAll));
  else if (type === "status") event.waitUntil(report({}));
});

// What a page says about its person (app.js, on every page load): the page after a
// sign-out names who signed out; any signed-in page names whose it is.
async function whoIsHere(data) {
  if (data.signedOut) await forget(String(data.signedOut));
  if (data.user) await setCurrentUser(String(data.user));
}

let running = null; // one sync at a time: a "sync" event and a page's "flush" may meet
// Asked for while one ran: that one may have read the outbox before a form was queued, or
// begun while the connection was still down, so it runs once more when it is done.
let askedAgain = false;

function syncAll() {
  if (running) {
    askedAgain = true;
    return running;
  }
  running = (async () => {
    do {
      askedAgain = false;
      const outcome = await flush();
      if (outcome.online && !outcome.signedOut) {
        await keepDevicePage();
        await refreshCourses(outcome.user);
      }
      await prune();
      await report(outcome);
    } while (askedAgain);
  })().finally(() => {
    running = null;
  });
  return running;
}

async function freshToken() {
  const response = await fetch("/offline/token", {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  });
  if (response.status === 401) return { signedOut: true };
  if (!response.ok) throw new Error(`token: ${response.status}`);
  const answer = await response.json();
  return { token: answer.csrf_token, user: String(answer.user) };
}

async function flush() {
  const waiting = (await getAll("outbox"))
    .filter((item) => item.status === "waiting")
    .sort((a, b) => a.created_at.localeCompare(b.created_at)); // in the order they were made
  let auth;
  try {
    auth = await freshToken();
  } catch (error) {
    return { online: false }; // no connection (or the server is down): try later
  }
  if (auth.user) await setCurrentUser(auth.user);
  let sent = 0;
  let refused = 0;
  for (const item of waiting) {
    if (auth.signedOut || item.owner !== auth.user) {
      // Signed out: "sign in to send"; another person's form: it waits for its owner.
      item.note = auth.signedOut ? "signed_out" : "other_account";
      await put("outbox", item);
      continue;
    }
    const result = await send(item, auth);
    if (result === "offline") break;
    if (item.status === "sent") sent += 1;
    if (item.status === "refused") refused += 1;
  }
  return { online: true, sent, refused, signedOut: Boolean(auth.signedOut), user: auth.user };
}

async function send(item, auth, retried) {
  const fields = new URLSearchParams(item.body);
  fields.set("csrf_token", auth.token);
  let response;
  try {
    response = await fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Palliare-Outbox": "1",
        Accept: "application/json",
      },
      body: fields.toString(),
    });
  } catch (error) {
    return "offline";
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch (error) {
    answer = null; // not JSON: a proxy's page, a 5xx: stays waiting
  }
  if (response.status === 401 || (answer && answer.status === "signed_out")) {
    item.note = "signed_out";
  } else if (!answer || response.status >= 500) {
    item.note = "later";
  } else if (answer.status === "stored" || answer.status === "duplicate") {
    Object.assign(item, { status: "sent", message: answer.message || "", result_url: answer.url || null });
    item.sent_at = new Date().toISOString();
    item.note = "";
    item.body = ""; // sent: what was written is on the server, not kept here
  } else if (answer.status === "refused") {
    if (response.status === 400 && !retried) {
      // Perhaps the token expired between fetching it and sending: one fresh try.
      const again = await freshToken().catch(() => null);
      if (again && again.token) return send(item, again, true);
    }
    Object.assign(item, { status: "refused", message: answer.message || "", result_url: answer.url || null });
    item.sent_at = new Date().toISOString();
    item.note = "";
  }
  await put("outbox", item);
  return item.status;
}

// "On this device" answers any page that is not stored, and every queued form leads there.
async function keepDevicePage() {
  const shell = await caches.open(SHELL_CACHE);
  if (await shell.match(DEVICE_PAGE)) return;
  try {
    const copy = await download(DEVICE_PAGE);
    await shell.put(DEVICE_PAGE, copy.response);
  } catch (error) {
    // Signed out or offline: the next sync tries again.
  }
}

/* After a sync, each stored course is compared with its manifest. A page whose version
   changed (a new text, a lesson now held back to English for a stale dose line) is
   deleted BEFORE it is fetched again: if the fetch fails, the page is missing, never
   stale. */
async function refreshCourses(user) {
  for (const course of await getAll("courses")) {
    if (course.owner !== user) continue; // never another person's pages in this session
    try {
      await refreshCourse(course);
    } catch (error) {
      // Offline again, or the server refused: the next sync tries again.
    }
  }
}

async function refreshCourse(course) {
  const response = await fetch(course.manifest, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) return;
  const manifest = await response.json();
  if (!manifest.available || manifest.version === course.version) return;
  const wanted = {};
  for (const entry of manifest.pages) wanted[entry.url] = entry;
  if (course.files) for (const entry of manifest.files) wanted[entry.url] = entry;
  const cache = await caches.open(COURSE_PREFIX + course.course);
  for (const url of Object.keys(course.entries)) {
    const entry = wanted[url];
    if (course.entries[url].kind === "attempt") continue; // started at download, not listed
    if (!entry || entry.version !== course.entries[url].version) {
      await cache.delete(url);
      delete course.entries[url];
    }
  }
  await put("courses", course); // what is gone is recorded before anything is fetched
  const shell = await caches.open(SHELL_CACHE);
  for (const entry of Object.values(wanted)) {
    if (course.entries[entry.url]) continue;
    const copy = await download(entry.url);
    await (entry.kind === "device" ? shell : cache).put(entry.url, copy.response);
    course.entries[entry.url] = { version: entry.version, bytes: copy.bytes, kind: entry.kind || "file" };
    for (const asset of copy.assets) if (!(await caches.match(asset))) await cache.add(asset);
  }
  Object.assign(course, { version: manifest.version, title: manifest.title, locale: manifest.locale });
  course.bytes = Object.values(course.entries).reduce((sum, entry) => sum + entry.bytes, 0);
  course.saved_at = new Date().toISOString();
  await put("courses", course);
}

async function download(url) {
  const response = await fetch(url, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { "X-Palliare-Offline": "download" },
  });
  if (!response.ok || response.redirected) throw new Error(`${url}: ${response.status}`);
  // A fresh Response: a redirected one cannot answer a navigation.
  const blob = await response.blob();
  const type = response.headers.get("Content-Type") || "text/html";
  const assets = type.startsWith("text/html") ? assetsOf(await blob.text()) : [];
  return { response: new Response(blob, { status: 200, headers: { "Content-Type": type } }), bytes: blob.size, assets };
}

// The stylesheet, scripts and icons a stored page uses (the same rule as offline.js).
function assetsOf(html) {
  const found = html.matchAll(/(?:src|href)="(\/static\/[^"#]+|\/manifest\.webmanifest)/g);
  return [...found].map((match) => match[1].replace(/&amp;/g, "&"));
}

async function prune() {
  const limit = Date.now() - SENT_KEPT_DAYS * 86400000;
  for (const item of await getAll("outbox")) {
    if (item.status !== "waiting" && Date.parse(item.sent_at || item.created_at) < limit) {
      await remove("outbox", item.key);
    }
  }
}

/* Tell every open page what waits and what was just sent (app.js shows a status line,
   marks forms already queued, and /offline redraws its lists). */
async function report(outcome) {
  const user = await currentUser();
  const items = await getAll("outbox");
  const all = items.filter((item) => item.status === "waiting");
  const waiting = all.filter((item) => item.owner === user);
  const message = {
    type: "status",
    waiting: waiting.length,
    others: all.length - waiting.length, // waiting for another account to sign in
    sent: outcome.sent || 0,
    refused: outcome.refused || 0,
    signedOut: Boolean(outcome.signedOut),
    pending: waiting.map((item) => new URL(item.url).pathname),
    synced: outcome.online !== undefined,
  };
  for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) client.postMessage(message);
}
