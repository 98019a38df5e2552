// Render a PDF's pages to a canvas with the vendored PDF.js (static/vendor/pdfjs/), loaded only when a
// document is opened. Shared: the delegate's document viewer (me-document.js); the projector's slides
// may reuse it. Safe by its options: no eval (and the CSP forbids it), no scripting (PDF.js's
// scripting sandbox is never loaded), no annotation layer (so no link is ever followed or fetched),
// and the standard fonts come from this server.
let library = null;

function load(moduleUrl, workerUrl) {
  library ??= import(moduleUrl).then((pdfjs) => {
    pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;
    return pdfjs;
  });
  return library;
}

// open(url, canvas, {module, worker, fonts}) -> {pages, show(number, cssWidth)}: show draws one page to the canvas.
export async function openPdf(url, canvas, { module, worker, fonts }) {
  const pdfjs = await load(module, worker);
  const pdf = await pdfjs.getDocument({
    url, isEvalSupported: false, enableXfa: false, disableAutoFetch: true, stopAtErrors: false,
    standardFontDataUrl: fonts, useSystemFonts: false, withCredentials: true,
  }).promise;
  let drawing = null;
  async function show(number, cssWidth) {
    const page = await pdf.getPage(number);
    const scale = cssWidth / page.getViewport({ scale: 1 }).width;
    const viewport = page.getViewport({ scale: scale * (window.devicePixelRatio || 1) });
    drawing?.cancel();
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = `${Math.floor(cssWidth)}px`; // CSSOM, allowed under style-src 'self'
    drawing = page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport,
      annotationMode: pdfjs.AnnotationMode.DISABLE });
    try {
      await drawing.promise;
    } catch (error) {
      if (error?.name !== "RenderingCancelledException") throw error;
    }
    canvas.dataset.rendered = String(number);
  }
  return { pages: pdf.numPages, show };
}
