"""Latency from the MC's key press to the projector's change, in a real browser.

Starts the real server (python3 -m conference serve, in a temporary instance folder, on
127.0.0.1), opens /mc paired with an mc token and /display unpaired in the system Chromium, and
presses PageDown and PageUp in turn on the MC page (the keys a clicker sends), moving between
items 2 and 3. For every press it takes the time of the keydown on the MC page and the time the
projector's title changed (a MutationObserver), then the time of the next frame after that
change (requestAnimationFrame: when it can be on the glass). Both pages run in one browser on
one machine, so performance.timeOrigin + performance.now() is one clock for both.

    python3 bench/mc_to_display_latency.py [--presses 50]

Prints p50 / p95 / max over the presses. Not a test: the figures depend on the machine.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer  # noqa: E402  (the tests' server runner)

GUARD_MS = 400  # a little over the MC page's double-press guard (350 ms)

RECORD_PRESSES = """
window.__presses = [];
window.addEventListener("keydown", (event) => {
  if (event.key === "PageDown" || event.key === "PageUp") {
    window.__presses.push(performance.timeOrigin + performance.now());
  }
}, true);
"""

RECORD_CHANGES = """
window.__changes = [];
document.addEventListener("DOMContentLoaded", () => {
  const title = document.getElementById("item-title");
  new MutationObserver(() => {
    const change = { dom: performance.timeOrigin + performance.now(), frame: null, text: title.textContent };
    window.__changes.push(change);
    requestAnimationFrame(() => { change.frame = performance.timeOrigin + performance.now(); });
  }).observe(title, { childList: true, characterData: true, subtree: true });
});
"""


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def report(name: str, values: list[float]) -> None:
    print(f"{name:<28} p50 {percentile(values, .5):6.1f} ms   p95 {percentile(values, .95):6.1f} ms   "
          f"max {max(values):6.1f} ms   mean {statistics.fmean(values):6.1f} ms")


def measure(presses: int) -> tuple[list[float], list[float]]:
    from playwright.sync_api import sync_playwright
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder) / "instance").start()
        try:
            token = server.token("mc", "bench")
            requests.post(server.url + "/api/show/goto", json={"position": 2},
                          headers={"Authorization": f"Bearer {token}"}, timeout=10).raise_for_status()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                mc = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
                hall = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
                mc.add_init_script(RECORD_PRESSES)
                hall.add_init_script(RECORD_CHANGES)
                mc.goto(f"{server.url}/pair/{token}")
                mc.wait_for_function("document.body.dataset.version")
                hall.goto(f"{server.url}/display")
                hall.wait_for_function("document.getElementById('hall').dataset.mode === 'item'")
                hall.evaluate("window.__changes.length = 0")
                for number in range(presses):
                    mc.keyboard.press("PageDown" if number % 2 == 0 else "PageUp")
                    hall.wait_for_function(f"window.__changes.length > {number} && window.__changes[{number}].frame",
                                           timeout=10000)
                    mc.wait_for_function("!document.body.dataset.busy")  # the MC's own answer is in
                    mc.wait_for_timeout(GUARD_MS)
                pressed = mc.evaluate("window.__presses")
                changes = hall.evaluate("window.__changes")
                browser.close()
        finally:
            server.stop()
    if len(pressed) != presses or len(changes) != presses:
        raise SystemExit(f"expected {presses} presses and changes, got {len(pressed)} and {len(changes)}")
    return ([c["dom"] - p for p, c in zip(pressed, changes)], [c["frame"] - p for p, c in zip(pressed, changes)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=50, help="how many key presses (default 50)")
    args = parser.parse_args()
    dom, frame = measure(args.presses)
    print(f"MC key press → projector, {args.presses} presses (PageDown / PageUp between items 2 and 3)")
    report("title changed on /display", dom)
    report("next frame painted", frame)


if __name__ == "__main__":
    main()
