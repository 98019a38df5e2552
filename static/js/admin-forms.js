// Office pages: bars and colour swatches drawn by the server carry their value in data-*, since the
// Content-Security-Policy allows no style="" attribute; set through the DOM, they are allowed.
for (const fill of document.querySelectorAll("[data-fill]")) fill.style.width = `${Number(fill.dataset.fill) || 0}%`;
for (const swatch of document.querySelectorAll("[data-swatch]")) {
  if (/^#[0-9a-f]{6}$/i.test(swatch.dataset.swatch)) swatch.style.background = swatch.dataset.swatch;
}

// Office forms: a button that removes or replaces something asks first (data-confirm on its form).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
  if (question && !window.confirm(question)) event.preventDefault();
});

// A GET form sends only its fields, not its action's query: the conference the page works on
// (?conference=ID, office/frame.py) goes with them, so a search or a print stays on it. The office's
// own forms carry it as a field already (admin_macros.html keep_conference); this keeps any other.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method !== "get" || event.defaultPrevented) return;
  const named = new URL(form.action, window.location.href).searchParams.get("conference");
  if (named === null || form.elements.namedItem("conference")) return;
  form.append(Object.assign(document.createElement("input"), { type: "hidden", name: "conference", value: named }));
});
