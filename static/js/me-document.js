// The delegate's document viewer: one page at a time on the canvas, the page's width on the phone.
import { openPdf } from "./pdf-view.js";

const root = document.getElementById("viewer");
const strings = JSON.parse(root.dataset.strings);
const canvas = document.getElementById("page");
const t = (key, values = {}) => String(strings[key] ?? key).replace(/\{(\w+)\}/g, (m, name) => values[name] ?? m);
let current = 1;

async function main() {
  const viewer = await openPdf(root.dataset.url, canvas,
    { module: root.dataset.pdfjs, worker: root.dataset.worker, fonts: root.dataset.fonts });
  const show = async (number) => {
    current = Math.min(Math.max(number, 1), viewer.pages);
    document.getElementById("page-number").textContent = t("page", { n: current, total: viewer.pages });
    document.getElementById("previous").disabled = current === 1;
    document.getElementById("next").disabled = current === viewer.pages;
    await viewer.show(current, root.clientWidth);
  };
  document.getElementById("previous").addEventListener("click", () => show(current - 1));
  document.getElementById("next").addEventListener("click", () => show(current + 1));
  await show(1);
  root.dataset.state = "ready";
}

main().catch(() => {
  root.dataset.state = "failed";
  const error = document.getElementById("viewer-error");
  error.textContent = t("failed");
  error.hidden = false;
});
