"""Benchmark of the door page: its weight, and the time from a camera frame showing a badge to the
green result.

    python3 bench/door_page.py [--runs 9] [--json]

It starts the real server (python3 -m conference serve) on a free port with a fresh instance,
pairs a door, and drives the system Chromium with Playwright:

* Page weight: every resource the door page loads on a first visit (HTML, CSS, fonts, scripts,
  the decoder worker and jsQR, the roster), decoded; the bytes over the network on that visit
  (the service worker's offline copies included) and on a second visit.
* Time to green: Chromium's fake camera plays a video made from a badge the project printed
  (write_png): an empty room for a few seconds, then the badge. A probe in the page watches the
  <video> element and notes when the first frame with the badge is put on screen
  (requestVideoFrameCallback's presentationTime); the result panel's change to green is noted
  by a MutationObserver; both in the page's own clock. Between runs the check-in is undone over the
  API so every run ends green. The decoder's time per frame is reported too.

Not a test: it prints figures, it asserts nothing about them.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import CHROMIUM, LiveServer  # noqa: E402
from test_door_camera import badge_png, camera_args, camera_frame, write_y4m  # noqa: E402
from test_door_browser import call, delegate_named, door_token  # noqa: E402

FPS = 30
EMPTY_SECONDS = 4.8   # longer than the camera's hold time (4 s), so the badge counts as new each time
BADGE_SECONDS = 1.2
DELEGATE = "Nguyễn Văn Thắng"

PROBE = """
(() => {
  const video = document.getElementById("camera-video");
  const canvas = document.createElement("canvas");
  canvas.width = 32; canvas.height = 24;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const probe = window.doorProbe = { shown: [], results: [] };
  let badge = false;
  const onFrame = (now, metadata) => {
    context.drawImage(video, 0, 0, 32, 24);
    const pixels = context.getImageData(8, 4, 16, 16).data;
    let sum = 0;
    for (let i = 0; i < pixels.length; i += 4) sum += pixels[i + 1];
    const bright = sum / (pixels.length / 4) > 140;  // the white badge, not the grey room
    if (bright && !badge) probe.shown.push(metadata.presentationTime);
    badge = bright;
    video.requestVideoFrameCallback(onFrame);
  };
  video.requestVideoFrameCallback(onFrame);
  const result = document.getElementById("result");
  new MutationObserver(() => {
    const at = performance.now();
    const kind = result.dataset.kind;
    requestAnimationFrame((painted) => probe.results.push({ kind, at, painted }));
  }).observe(result, { attributes: true, attributeFilter: ["data-seq"] });
})();
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict:
    return {"runs": len(values), "median": statistics.median(values), "p90": percentile(values, 0.9),
            "min": min(values), "max": max(values)}


def page_weight(browser, server, token: str) -> dict:
    """Every response of a first and a second visit to /door, the page's and its service worker's."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    visits: list[list[dict]] = []

    def on_finished(request):
        try:
            sizes = request.sizes()
            response = request.response()
            body = len(response.body()) if response and response.status == 200 else 0
        except Exception:  # a body gone with a navigation
            return
        via_worker = bool(response and response.from_service_worker)
        visits[-1].append({"url": request.url.replace(server.url, ""), "status": response.status if response else 0,
                           "by": "service worker" if request.service_worker else "page",
                           "from_cache": via_worker,
                           # bytes that crossed the network (answers from the worker's cache did not)
                           "wire": 0 if via_worker else sizes["responseBodySize"] + sizes["responseHeadersSize"],
                           "body": body})

    context.on("requestfinished", on_finished)
    for number in range(2):
        visits.append([])
        page.goto(f"{server.url}/pair/{token}" if number == 0 else f"{server.url}/door")
        page.wait_for_function("window.door && window.door.roster.size > 0 && window.door.camera.state === 'running'")
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        page.wait_for_function("performance.getEntriesByType('resource').some(e => e.name.includes('door-decoder'))")
        page.wait_for_timeout(1500)  # the worker's jsQR and the service worker's copies
    context.close()
    return {"first": visits[0], "second": visits[1]}


def time_to_green(browser, server, token: str, admin: str, delegate: dict, runs: int) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(f"{server.url}/pair/{token}")
    page.wait_for_function("window.door && window.door.camera.state === 'running'")
    page.evaluate(PROBE)
    latencies, to_decode, decode_ms = [], [], []
    deadline = time.monotonic() + runs * (EMPTY_SECONDS + BADGE_SECONDS) * 2 + 30
    while len(latencies) < runs and time.monotonic() < deadline:
        seen = page.evaluate("window.doorProbe.results.length")
        page.wait_for_function(f"window.doorProbe.results.length > {seen}", timeout=30000)
        probe = page.evaluate("window.doorProbe")
        result = probe["results"][-1]
        shown = [t for t in probe["shown"] if t <= result["at"]]
        if result["kind"] == "ok" and shown:
            latencies.append(result["at"] - shown[-1])
            marks = page.evaluate("performance.getEntriesByName('door-decoded').map(m => [m.startTime, m.detail])")
            decoded_at, detail = marks[-1]
            to_decode.append(decoded_at - shown[-1])
            decode_ms.append(detail["decodeMs"])
        # Undo over the API while the room is empty, so the next appearance is a fresh check-in.
        call(server, admin, "DELETE", f"/api/checkins/{delegate['id']}")
    frame_decodes = page.evaluate("performance.getEntriesByName('door-decoded').length")
    context.close()
    return {"latency_ms": latencies, "to_decoded_ms": to_decode, "decode_ms": decode_ms,
            "decoded_badges": frame_decodes}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9, help="badge appearances to time (default 9)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="door-bench-") as temporary:
        work = Path(temporary)
        server = LiveServer(work / "instance").start()
        try:
            admin = server.token("admin")
            server.admin = admin
            token = door_token(server, "Cửa 1")
            delegate = delegate_named(server, token, DELEGATE)
            state = call(server, token, "GET", "/api/state").json()
            badge = badge_png(state, delegate, work / "badge.png")
            video = write_y4m(work / "camera.y4m", [(camera_frame(None), round(EMPTY_SECONDS * FPS)),
                                                     (camera_frame(badge), round(BADGE_SECONDS * FPS))], fps=FPS)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=camera_args(video))
                weight = page_weight(browser, server, door_token(server, "Cửa 2"))
                timing = time_to_green(browser, server, token, admin, delegate, options.runs)
                browser.close()
        finally:
            server.stop()
    report(weight, timing, options.json)


def visit_figures(rows: list[dict]) -> dict:
    page_rows = {r["url"]: r for r in rows if r["by"] == "page"}
    return {"requests": len(rows), "page_resources": len(page_rows),
            "page_bytes": sum(r["body"] for r in page_rows.values()),
            "network_bytes": sum(r["wire"] for r in rows)}


def report(weight: dict, timing: dict, as_json: bool) -> None:
    first, second = weight["first"], weight["second"]
    figures = {
        "page_weight": {"first_visit": visit_figures(first), "second_visit": visit_figures(second),
                        "resources": first},
        "time_to_green_ms": summary(timing["latency_ms"]) if timing["latency_ms"] else None,
        "frame_to_decoded_ms": summary(timing["to_decoded_ms"]) if timing["to_decoded_ms"] else None,
        "decoder_ms_per_frame": summary(timing["decode_ms"]) if timing["decode_ms"] else None,
        "runs_ms": [round(v, 1) for v in timing["latency_ms"]],
    }
    if as_json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
        return
    print("Door page, first visit: resources the page loaded (decoded bytes):")
    for row in sorted((r for r in first if r["by"] == "page"), key=lambda r: -r["body"]):
        print(f"  {row['body']:>9,}  {row['status']}  {row['url']}")
    one, two = figures["page_weight"]["first_visit"], figures["page_weight"]["second_visit"]
    print(f"  page weight: {one['page_bytes']:,} bytes in {one['page_resources']} resources; "
          f"{one['network_bytes']:,} bytes over the network on the first visit, service worker copies included")
    print(f"  second visit: {two['network_bytes']:,} bytes over the network ({two['requests']} requests)")
    for label, key in (("Camera frame showing a badge -> green result", "time_to_green_ms"),
                       ("  of which frame -> code decoded", "frame_to_decoded_ms"),
                       ("Decoder time per frame (jsQR in a worker)", "decoder_ms_per_frame")):
        values = figures[key]
        if values:
            print(f"{label}: median {values['median']:.0f} ms, p90 {values['p90']:.0f} ms "
                  f"(min {values['min']:.0f}, max {values['max']:.0f}, {values['runs']} runs)")
    print("Runs (ms):", ", ".join(f"{v:.0f}" for v in figures["runs_ms"]))


if __name__ == "__main__":
    main()
