"""Papers read back the way their reader sees them: LibreOffice converts, poppler says where each word is."""
from __future__ import annotations

import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import unavailable

MM = 72 / 25.4  # PDF points per millimetre
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')


@dataclass(frozen=True)
class Word:
    """A printed word and its box in points, origin at the top left of the page (poppler's way)."""
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Page:
    width: float
    height: float
    words: list[Word]

    def lines(self, tolerance: float = 2.0) -> list[str]:
        """The words grouped by baseline, left to right: what a reader sees as one line each."""
        rows: list[list[Word]] = []
        for word in sorted(self.words, key=lambda w: (w.bottom, w.x0)):
            if rows and abs(rows[-1][0].bottom - word.bottom) <= tolerance:
                rows[-1].append(word)
            else:
                rows.append([word])
        return [" ".join(w.text for w in sorted(row, key=lambda w: w.x0)) for row in rows]

    def find(self, phrase: str) -> list[Word]:
        """The words of phrase where they are printed consecutively (empty if not found)."""
        wanted = phrase.split()
        for start in range(len(self.words) - len(wanted) + 1):
            if [w.text for w in self.words[start:start + len(wanted)]] == wanted:
                return self.words[start:start + len(wanted)]
        return []


def pdf_pages(pdf: Path) -> list[Page]:
    if not shutil.which("pdftotext"):
        unavailable("pdftotext is not installed (apt-get install poppler-utils)")
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for width, height, body in _PAGE.findall(out):
        words = [Word(html.unescape(text), float(a), float(b), float(c), float(d))
                 for a, b, c, d, text in _WORD.findall(body)]
        pages.append(Page(float(width), float(height), words))
    return pages


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        unavailable("LibreOffice is not installed (apt-get install libreoffice-writer-nogui "
                    "libreoffice-calc-nogui)")
    return found


def convert_to_pdf(files: list[Path], out: Path) -> list[Path]:
    """LibreOffice headless, with a throw-away profile so that parallel runs do not collide."""
    command = soffice()
    profile = out / "lo-profile"
    done = subprocess.run([command, "--headless", f"-env:UserInstallation=file://{profile}",
                           "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                          capture_output=True, text=True, timeout=180)
    pdfs = [out / f"{f.stem}.pdf" for f in files]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {done.stdout} {done.stderr}"
    return pdfs


def outside(page: Page, left: float, top: float, right: float, bottom: float) -> list[Word]:
    """Words not wholly inside the box given by its margins in mm (0.5 mm of rounding allowed)."""
    slack = 0.5 * MM
    return [w for w in page.words
            if w.x0 < left * MM - slack or w.x1 > page.width - right * MM + slack
            or w.top < top * MM - slack or w.bottom > page.height - bottom * MM + slack]
