"""Page turns of the report's slides on the projector, in a real browser, beside the floor.

Starts the real server (python3 -m conference serve, a temporary instance folder, 127.0.0.1),
attaches a deck of --pages pages (16:9, each a full-bleed colour, a title, a chart and a paragraph)
to item 3 through the office's page, pairs a projector in the system Chromium at 1920x1080 and
moves the show to item 3. Then, page by page, the MC's "next page" (POST /api/stage/slide/next, as
the clicker's PageDown) until the last page, timing each turn:
- press -> drawn: from the MC's request to the page on the projector's canvas (the request, the
  write, the snapshot to every screen, the draw);
- snapshot -> drawn: what the projector itself takes (static/js/display.js's slideDrawMs).
The floor, in the same browser and the same run: PDF.js alone (the same vendored module, from the
same server) drawing the same page of the same deck into a 1920x1080 canvas, each page from
scratch: what a bare page turn costs without the product.

    python3 bench/slides.py [--pages 60]

Not a test: the figures depend on the machine.
"""
from __future__ import annotations

import argparse
import base64
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer, page_csrf_token  # noqa: E402  (the tests' server runner)
from common import header, percentile  # noqa: E402

GUARD_S = 0.4  # a little over the MC console's double-press guard

# PDF.js alone: load the vendored module, open the deck once, then draw a page on demand.
FLOOR = """async ([bytes, width, height]) => {
  const pdfjs = await import('/static/vendor/pdfjs/pdf.min.mjs');
  pdfjs.GlobalWorkerOptions.workerSrc = '/static/vendor/pdfjs/pdf.worker.min.mjs';
  const data = Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0));
  const pdf = await pdfjs.getDocument({data, isEvalSupported: false}).promise;
  const canvas = document.createElement('canvas');
  canvas.width = width; canvas.height = height;
  document.body.append(canvas);
  window.__draw = async (number) => {
    const started = performance.now();
    const page = await pdf.getPage(number);
    const unit = page.getViewport({scale: 1});
    const viewport = page.getViewport({scale: Math.min(width / unit.width, height / unit.height)});
    await page.render({canvas, canvasContext: canvas.getContext('2d'), viewport}).promise;
    return performance.now() - started;
  };
  return pdf.numPages;
}"""


def deck(pages: int) -> bytes:
    """A report's slides as PowerPoint exports them: 16:9, text, shapes and a chart on every page."""
    from reportlab.pdfgen import canvas
    out = io.BytesIO()
    drawing = canvas.Canvas(out, pagesize=(1600, 900))
    for number in range(1, pages + 1):
        drawing.setFillColorRGB(0.55, 0.1, 0.07)
        drawing.rect(0, 0, 1600, 900, fill=1)
        drawing.setFillColorRGB(1, 1, 1)
        drawing.setFont("Helvetica-Bold", 64)
        drawing.drawString(80, 780, f"Bao cao tong ket 2020-2025 - trang {number}")
        drawing.setFont("Helvetica", 28)
        for line in range(8):
            drawing.drawString(80, 680 - line * 44, f"{line + 1}. Noi dung thi dua yeu nuoc, chi tieu {number * 7 + line}%")
        for bar in range(10):
            drawing.setFillColorRGB(0.85, 0.7 - bar * 0.04, 0.2)
            drawing.rect(1000 + bar * 50, 120, 36, 60 + ((number + bar) * 37) % 420, fill=1, stroke=0)
        drawing.showPage()
    drawing.save()
    return out.getvalue()


def attach(server: LiveServer, content: bytes) -> dict:
    """The deck on item 3 through the office's page; a projector's pairing and an MC token."""
    office = requests.Session()
    token = page_csrf_token(office.get(server.url + "/login", timeout=5).text)
    office.post(server.url + "/login", timeout=5, data={"login": "admin", "password": server.admin_password,
                                                        "csrf_token": token}).raise_for_status()
    token = page_csrf_token(office.get(server.url + "/admin/stage", timeout=5).text)
    office.post(server.url + "/admin/stage/decks", timeout=60, data={"csrf_token": token, "place": "3"},
                files={"file": ("bao-cao.pdf", content, "application/pdf")}).raise_for_status()

    def device(role: str) -> dict:
        made = office.post(server.url + "/api/devices", json={"role": role, "label": f"bench {role}"},
                           headers={"X-CSRFToken": token}, timeout=5)
        made.raise_for_status()
        return made.json()
    return {"projector": device("display")["pair_url"], "mc": {"Authorization": f"Bearer {device('mc')['token']}"}}


def measure(pages: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright
    content = deck(pages)
    with tempfile.TemporaryDirectory() as folder:
        server = LiveServer(Path(folder) / "instance", env={"DATABASE_URL": ""}).start()
        try:
            made = attach(server, content)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                hall = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
                hall.goto(made["projector"])
                requests.post(server.url + "/api/show/goto", json={"position": 3}, headers=made["mc"],
                              timeout=10).raise_for_status()
                hall.wait_for_function("() => document.getElementById('hall').dataset.slidePage === '1'",
                                       timeout=30000)
                pressed, drawn = [], []
                for page in range(2, pages + 1):
                    time.sleep(GUARD_S)
                    began = time.perf_counter()
                    requests.post(server.url + "/api/stage/slide/next", json={"from": page - 1}, headers=made["mc"],
                                  timeout=10).raise_for_status()
                    hall.wait_for_function(f"() => document.getElementById('hall').dataset.slidePage === '{page}'",
                                           timeout=10000, polling="raf")
                    pressed.append((time.perf_counter() - began) * 1000)
                    drawn.append(float(hall.evaluate("() => document.getElementById('hall').dataset.slideDrawMs")))
                bare = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
                bare.goto(server.url + "/static/vendor/SOURCES.md")  # this server's origin, nothing of the product
                bare.evaluate(FLOOR, [base64.b64encode(content).decode(), 1920, 1080])
                floor = [bare.evaluate(f"() => window.__draw({page})") for page in range(2, pages + 1)]
                browser.close()
        finally:
            server.stop()
    return {"press": pressed, "drawn": drawn, "floor": floor}


def report(name: str, values: list[float]) -> None:
    print(f"   {name:<40} p50 {percentile(values, .5):6.1f} ms   p99 {percentile(values, .99):6.1f} ms   "
          f"max {max(values):6.1f} ms   mean {statistics.fmean(values):6.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60, help="pages of the deck (default 60)")
    args = parser.parse_args()
    header(f"slides: {args.pages - 1} page turns of a {args.pages}-page deck at 1920x1080")
    figures = measure(args.pages)
    report("MC's next page -> drawn on the projector", figures["press"])
    report("snapshot -> drawn (the projector's own)", figures["drawn"])
    report("floor: PDF.js alone draws the page", figures["floor"])
    print(f"   target (a turn within 100 ms, p99 of press -> drawn): "
          f"{'met' if percentile(figures['press'], .99) <= 100 else 'MISSED'}")


if __name__ == "__main__":
    main()
