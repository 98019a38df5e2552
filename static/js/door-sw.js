// The door's service worker (served as /door-sw.js, scope /door): the door page and its files
// come from the network while it answers, and from the tablet's cache when it does not, so a
// tablet reloaded during a Wi-Fi drop still opens the door page with its waiting scans.
// The API and the live connection are never cached; scans wait in IndexedDB (door-offline.js).
// Browsers allow service workers on https with a valid certificate and on localhost only;
// elsewhere the page works the same, it just cannot be reopened while the server is away.

const CACHE = "conference-door-v1";
const TIMEOUT_MS = 4000;
const SHELL = [
  "/door",
  "/static/css/app.css",
  "/static/css/door.css",
  "/static/vendor/fonts/fonts.css",
  "/static/vendor/fonts/BeVietnamPro-Regular.ttf",
  "/static/vendor/fonts/BeVietnamPro-Bold.ttf",
  "/static/vendor/socket.io/socket.io.min.js",
  "/static/vendor/jsqr/jsQR.js",
  "/static/js/live.js",
  "/static/js/door.js",
  "/static/js/door-text.js",
  "/static/js/door-offline.js",
  "/static/js/door-camera.js",
  "/static/js/door-decoder.js",
  "/static/js/door-sound.js",
  "/static/js/door-search.js",
  "/static/js/door-absence.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // One by one: a file that cannot be fetched now is cached the next time the page loads it.
    await Promise.all(SHELL.map(async (path) => {
      try {
        const response = await fetch(path, { credentials: "same-origin", cache: "no-cache" });
        if (cacheable(response)) await cache.put(path, response);
      } catch { /* offline while installing */ }
    }));
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("conference-door-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname !== "/door" && !url.pathname.startsWith("/static/")) return;  // API, socket: never
  event.respondWith(networkFirst(request, url));
});

function cacheable(response) {
  return response.ok && !response.redirected && response.type === "basic";
}

async function networkFirst(request, url) {
  const cache = await caches.open(CACHE);
  const key = url.pathname === "/door" ? "/door" : request;
  try {
    const response = await withTimeout(fetch(request), TIMEOUT_MS);
    if (cacheable(response)) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw error;
  }
}

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then((value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); });
  });
}
