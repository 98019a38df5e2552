// The QR decoder, in a worker so the page stays responsive while frames are decoded.
// jsQR is vendored under static/vendor/jsqr (see static/vendor/SOURCES.md); nothing is fetched
// from the internet.
/* global jsQR */
importScripts("../vendor/jsqr/jsQR.js");

self.onmessage = (event) => {
  const { id, width, height, buffer } = event.data;
  const started = performance.now();
  let code = null;
  try {
    // Badges are printed dark on light, so inverted codes are not tried (half the work per frame).
    const found = jsQR(new Uint8ClampedArray(buffer), width, height, { inversionAttempts: "dontInvert" });
    code = found && found.data ? found.data : null;
  } catch (error) {
    code = null;
  }
  self.postMessage({ id, code, ms: performance.now() - started });
};
