// The report's slides, drawn with the vendored PDF.js (static/vendor/pdfjs/). The PDF's scripts never
// run (PDF.js runs none unless its scripting is loaded, which this never does; eval is off for the
// page's CSP), and nothing is fetched but the deck and PDF.js's own fonts from this site. Kept apart
// from the delegates' document viewer: this draws whole pages into a fixed canvas, fast to turn.
import { GlobalWorkerOptions, getDocument } from "../vendor/pdfjs/pdf.min.mjs";

const VENDOR = new URL("../vendor/pdfjs/", import.meta.url);
GlobalWorkerOptions.workerSrc = new URL("pdf.worker.min.mjs", VENDOR).href;

const decks = new Map(); // url -> Promise of the PDF document

export function openDeck(url) {
  if (!decks.has(url)) {
    const loading = getDocument({
      url, isEvalSupported: false, enableXfa: false, withCredentials: true,
      standardFontDataUrl: new URL("standard_fonts/", VENDOR).href,
    }).promise;
    loading.catch(() => decks.delete(url)); // a failed load is tried again next time
    decks.set(url, loading);
  }
  return decks.get(url);
}

// One canvas showing one page at a time, letterboxed in black. Pages are drawn once per size into
// bitmaps, and the neighbours of the page shown are drawn ahead, so a turn is a copy (well under the
// 100 ms a clicker press may take, even in a deck of 60 pages).
export class SlideView {
  constructor(canvas, { keep = 6 } = {}) {
    this.canvas = canvas;
    this.keep = keep;
    this.cache = new Map(); // "url#page" -> ImageBitmap or canvas
    this.wanted = null;
  }

  async show(url, page) {
    this.wanted = `${url}#${page}`;
    const doc = await openDeck(url);
    const picture = await this.picture(doc, url, page);
    if (this.wanted !== `${url}#${page}`) return false; // another page was asked for meanwhile
    const context = this.canvas.getContext("2d");
    context.fillStyle = "#000";
    context.fillRect(0, 0, this.canvas.width, this.canvas.height);
    context.drawImage(picture, Math.round((this.canvas.width - picture.width) / 2),
      Math.round((this.canvas.height - picture.height) / 2));
    this.canvas.dataset.page = String(page);
    this.ahead(doc, url, page);
    return true;
  }

  async picture(doc, url, page) {
    const key = `${url}#${page}`;
    if (!this.cache.has(key)) {
      this.cache.set(key, this.draw(doc, page).catch((error) => {
        this.cache.delete(key);
        throw error;
      }));
      while (this.cache.size > this.keep) this.cache.delete(this.cache.keys().next().value);
    }
    return this.cache.get(key);
  }

  async draw(doc, number) {
    const page = await doc.getPage(number);
    const natural = page.getViewport({ scale: 1 });
    const scale = Math.min(this.canvas.width / natural.width, this.canvas.height / natural.height);
    const viewport = page.getViewport({ scale });
    const canvas = document.createElement("canvas");
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    await page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport }).promise;
    return canvas;
  }

  ahead(doc, url, page) {
    for (const next of [page + 1, page - 1]) {
      if (next >= 1 && next <= doc.numPages) this.picture(doc, url, next).catch(() => {});
    }
  }
}
