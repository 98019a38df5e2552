// The projector's canvas: a fixed 1920×1080 design scaled to whatever the projector gives,
// text shrunk until it fits its box, and a screen that does not go to sleep.

const WIDTH = 1920;
const HEIGHT = 1080;

// Scale the 16:9 canvas to the window, letterboxed, and again whenever the window changes.
export function scaleToWindow(canvas) {
  const apply = () => {
    const scale = Math.min(window.innerWidth / WIDTH, window.innerHeight / HEIGHT);
    canvas.style.setProperty("--scale", String(scale));
  };
  window.addEventListener("resize", apply);
  apply();
}

function fits(box) {
  return box.scrollHeight <= box.clientHeight + 1 && box.scrollWidth <= box.clientWidth + 1;
}

// Shrink the text of a fixed-size box until it fits: from the size the style sheet gives it down
// to data-min pixels (binary search on whole pixels). A box that is not shown is left alone.
export function fitText(box) {
  if (!box || box.offsetParent === null) return;
  box.style.fontSize = "";
  if (!box.textContent || fits(box)) return;
  // Whole pixels at both ends, so every step of the search moves (a fractional bound would stall it).
  let high = Math.floor(parseFloat(getComputedStyle(box).fontSize));
  let low = Math.floor(Number(box.dataset.min || 20));
  box.style.fontSize = `${low}px`;
  if (!fits(box)) return; // even the smallest size overflows: the box clips it, never a scrollbar
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    box.style.fontSize = `${middle}px`;
    if (fits(box)) low = middle; else high = middle;
  }
  box.style.fontSize = `${low}px`;
}

export function fitAll(root) {
  for (const box of root.querySelectorAll("[data-fit]")) fitText(box);
}

// Keep the projector awake (Wake Lock API, where the browser has it: a secure page, e.g. served
// with --https, or localhost). The lock is dropped when the page is hidden, so it is asked for
// again when the page comes back. The outcome is left on <html data-wake-lock> for whoever checks.
export function keepAwake() {
  const root = document.documentElement;
  if (!("wakeLock" in navigator)) {
    root.dataset.wakeLock = "unavailable";
    return;
  }
  const request = async () => {
    try {
      const lock = await navigator.wakeLock.request("screen");
      root.dataset.wakeLock = "on";
      lock.addEventListener("release", () => { root.dataset.wakeLock = "released"; });
    } catch {
      root.dataset.wakeLock = "refused";
    }
  };
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") request();
  });
  request();
}
