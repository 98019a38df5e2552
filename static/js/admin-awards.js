// The office's awards page: forms, decisions and honourees, the calling order, the import, the log.
// Every change goes through /api with the X-CSRFToken header (api() in live.js); text via textContent.
import { api, connectLive, el, localTime } from "./live.js";

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
const KIND = { collective: "Tập thể", individual: "Cá nhân" };
const OUTCOME = { received: "Đã nhận", proxy: "Nhận thay", absent: "Vắng" };
const data = { forms: [], decisions: [], delegates: [], order: [] };
const openDecisions = new Set();  // kept open across reloads

const $ = (id) => document.getElementById(id);

function status(message, ok = true) {
  const box = $("aw-status");
  box.hidden = !message;
  box.className = `aw-status ${ok ? "ok" : "bad"}`;
  box.textContent = message ?? "";
}

async function run(action, done) {
  try {
    await action();
    status(done);
    await load();
    return true;
  } catch (error) {
    status(error.message || "Không lưu được.", false);
    return false;
  }
}

async function load() {
  const [catalogue, order, delegates] = await Promise.all([
    api("GET", "/api/award-decisions"), api("GET", "/api/awards"), api("GET", "/api/delegates")]);
  data.forms = catalogue.data.forms;
  data.decisions = catalogue.data.decisions;
  data.delegates = delegates.data.delegates;
  data.order = order.data.announcements;
  document.querySelector("#aw-batch [name=batch_size]").value = catalogue.data.batch_size;
  renderForms();
  renderDecisions();
  renderOrder();
  await loadLog();
}

function input(name, value, attributes = {}) {
  const node = el(attributes.tag ?? "input");
  node.name = name;
  if (attributes.type) node.type = attributes.type;
  if (attributes.maxLength) node.maxLength = attributes.maxLength;
  node.value = value ?? "";
  return node;
}

function select(name, options, chosen) {
  const node = el("select");
  node.name = name;
  for (const [value, text] of options) {
    const option = el("option", "", text);
    option.value = String(value);
    option.selected = String(value) === String(chosen ?? "");
    node.append(option);
  }
  return node;
}

function button(text, onClick, className = "") {
  const node = el("button", className, text);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

function cell(...children) {
  const td = el("td");
  td.append(...children);
  return td;
}

function formOptions() {
  return data.forms.map((form) => [form.id, `${form.name} (bậc ${form.rank})`]);
}

// ---------- forms ----------

function renderForms() {
  $("aw-forms").replaceChildren(...data.forms.map((form) => {
    const row = el("tr");
    const name = input("name", form.name, { maxLength: 200 });
    const rank = input("rank", form.rank, { type: "number" });
    const kind = select("kind", [["form", "Hình thức khen thưởng"], ["title", "Danh hiệu thi đua"]], form.kind);
    const actions = cell(
      button("Lưu", () => run(() => api("PUT", `/api/award-forms/${form.id}`,
        { name: name.value, rank: Number(rank.value), kind: kind.value }), "Đã lưu hình thức.")),
      button("Xóa", () => confirm(`Xóa “${form.name}”?`) && run(() => api("DELETE", `/api/award-forms/${form.id}`),
        "Đã xóa hình thức.")));
    actions.className = "aw-row-actions";
    row.append(cell(name), cell(rank), cell(kind), actions);
    return row;
  }));
  for (const target of document.querySelectorAll("[data-aw-forms]")) {
    const chosen = target.value;
    target.replaceChildren(...select("form_id", formOptions(), chosen).children);
  }
}

$("aw-form-new").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = { name: form.name.value, rank: Number(form.rank.value), kind: form.kind.value };
  if (await run(() => api("POST", "/api/award-forms", body), "Đã thêm hình thức.")) form.reset();
});

// ---------- decisions and honourees ----------

function renderDecisions() {
  const box = $("aw-decisions");
  if (!data.decisions.length) {
    box.replaceChildren(el("p", "hint", "Chưa có quyết định nào."));
    return;
  }
  box.replaceChildren(...data.decisions.map(decisionCard));
}

function decisionCard(decision) {
  const card = el("details", "aw-decision-card");
  card.dataset.decisionId = decision.id;
  card.open = openDecisions.has(decision.id) || data.decisions.length === 1;
  card.addEventListener("toggle", () => {
    if (card.open) openDecisions.add(decision.id);
    else openDecisions.delete(decision.id);
  });
  card.append(el("summary", "", `${decision.text} (${decision.honourees.length})`));
  const fields = el("div", "aw-fields");
  const number = input("number", decision.number, { maxLength: 60 });
  const signed = input("signed_on", decision.signed_on, { type: "date" });
  const issuer = input("issuer", decision.issuer, { maxLength: 200 });
  const form = select("form_id", formOptions(), decision.form.id);
  const reason = input("reason", decision.reason, { tag: "textarea" });
  for (const [label, field] of [["Số quyết định", number], ["Ngày ký", signed], ["Cấp ban hành", issuer],
    ["Hình thức", form], ["Lý do (vì: …)", reason]]) {
    const wrap = el("label", "", label);
    wrap.append(field);
    fields.append(wrap);
  }
  const actions = el("div");
  actions.append(
    button("Lưu quyết định", () => run(() => api("PUT", `/api/award-decisions/${decision.id}`, {
      number: number.value, signed_on: signed.value || null, issuer: issuer.value,
      form_id: Number(form.value), reason: reason.value || null,
    }), "Đã lưu quyết định.")),
    button("Xóa quyết định", () => confirm(`Xóa quyết định số ${decision.number} và ${decision.honourees.length} người/tập thể?`)
      && run(() => api("DELETE", `/api/award-decisions/${decision.id}`), "Đã xóa quyết định.")));
  fields.append(actions);
  card.append(fields, honoureeTable(decision));
  return card;
}

function delegateOptions() {
  return [["", "— không có —"], ...data.delegates.map((d) => [d.id, d.unit ? `${d.full_name} — ${d.unit}` : d.full_name])];
}

function honoureeTable(decision) {
  const table = el("table", "aw-honourees");
  const head = el("tr");
  for (const title of ["Loại", "Tên", "Đơn vị", "Thành tích", "Đại biểu (là/đại diện)", "Nhận thay dự kiến", ""]) {
    head.append(el("th", "", title));
  }
  const thead = el("thead");
  thead.append(head);
  const body = el("tbody");
  for (const honouree of decision.honourees) body.append(honoureeRow(decision, honouree));
  body.append(honoureeRow(decision, null));
  table.append(thead, body);
  return table;
}

function honoureeRow(decision, honouree) {
  const row = el("tr");
  if (honouree) row.dataset.honoureeId = honouree.id;
  const kind = select("kind", [["individual", KIND.individual], ["collective", KIND.collective]], honouree?.kind ?? "individual");
  const name = input("name", honouree?.name, { maxLength: 200 });
  const unit = input("unit", honouree?.unit, { maxLength: 200 });
  const citation = input("citation", honouree?.citation, { tag: "textarea" });
  const delegate = select("delegate_id", delegateOptions(), honouree?.delegate_id ?? "");
  const proxy = input("proxy_name", honouree?.proxy_name, { maxLength: 120 });
  const values = () => ({ kind: kind.value, name: name.value, unit: unit.value || null, citation: citation.value || null,
    delegate_id: delegate.value ? Number(delegate.value) : null, proxy_name: proxy.value || null });
  const actions = cell();
  actions.className = "aw-row-actions";
  if (honouree) {
    actions.append(
      button("Lưu", () => run(() => api("PUT", `/api/honourees/${honouree.id}`, values()), "Đã lưu.")),
      button("Xóa", () => confirm(`Xóa “${honouree.name}”?`)
        && run(() => api("DELETE", `/api/honourees/${honouree.id}`), "Đã xóa.")));
  } else {
    name.placeholder = "Thêm người/tập thể…";
    actions.append(button("Thêm", () => run(() => api("POST", `/api/award-decisions/${decision.id}/honourees`, values()),
      "Đã thêm.")));
  }
  row.append(cell(kind), cell(name), cell(unit), cell(citation), cell(delegate), cell(proxy), actions);
  return row;
}

$("aw-decision-new").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = { number: form.number.value, signed_on: form.signed_on.value || null, issuer: form.issuer.value,
    form_id: Number(form.form_id.value), reason: form.reason.value || null };
  if (await run(() => api("POST", "/api/award-decisions", body), "Đã thêm quyết định.")) form.reset();
});

// ---------- calling order ----------

function renderOrder() {
  const list = $("aw-order");
  const rows = [];
  for (const announcement of data.order) {
    announcement.honourees.forEach((honouree, index) => {
      const row = el("li", index === 0 ? "aw-batch-break" : "");
      row.dataset.honoureeId = honouree.id;
      const label = `${KIND[honouree.kind]}: ${honouree.name}`;
      const where = index === 0 ? ` — đợt ${announcement.index + 1}: ${announcement.form}, QĐ ${announcement.decision.number}` : "";
      row.append(button("▲", () => move(row, -1)), button("▼", () => move(row, 1)), el("span", "", label),
        el("span", "hint", where));
      rows.push(row);
    });
  }
  list.replaceChildren(...rows);
  if (!rows.length) list.append(el("li", "hint", "Chưa có ai trong danh sách khen thưởng."));
}

function move(row, direction) {
  const sibling = direction < 0 ? row.previousElementSibling : row.nextElementSibling;
  if (!sibling) return;
  if (direction < 0) sibling.before(row);
  else sibling.after(row);
  status("Thứ tự đã thay đổi, chưa lưu.", false);
}

$("aw-order-save").addEventListener("click", () => {
  const ids = [...$("aw-order").querySelectorAll("li[data-honouree-id]")].map((row) => Number(row.dataset.honoureeId));
  run(() => api("PUT", "/api/awards/order", { honouree_ids: ids }), "Đã lưu thứ tự gọi.");
});
$("aw-order-reset").addEventListener("click", () =>
  run(() => api("PUT", "/api/awards/order", { honouree_ids: [] }), "Đã trở về thứ tự theo quy tắc."));
$("aw-batch").addEventListener("submit", (event) => {
  event.preventDefault();
  run(() => api("PUT", "/api/awards/batch-size", { batch_size: Number(event.currentTarget.batch_size.value) }),
    "Đã lưu số người mỗi lượt.");
});

// ---------- import ----------

$("aw-import").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const preview = event.submitter?.value === "1";
  const body = new FormData();
  body.append("file", form.file.files[0]);
  const response = await fetch(`/api/honourees/import${preview ? "?preview=1" : ""}`, {
    method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken }, body,
  }).catch(() => null);
  const answer = response ? await response.json().catch(() => null) : null;
  const result = $("aw-import-result");
  if (!response || !response.ok) {
    status(answer?.error?.message ?? "Không nhập được.", false);
    result.replaceChildren(errorTable(answer?.error?.rows ?? []));
    return;
  }
  if (preview) {
    status(answer.errors.length ? `Có ${answer.errors.length} dòng lỗi; sửa tệp rồi thử lại.` : `${answer.rows.length} dòng hợp lệ.`,
      !answer.errors.length);
    result.replaceChildren(previewTable(answer.rows), errorTable(answer.errors));
    return;
  }
  result.replaceChildren();
  form.reset();
  status(`Đã nhập ${answer.imported} người/tập thể (${answer.decisions_created} quyết định mới).`);
  await load();
});

function previewTable(rows) {
  const table = el("table");
  const head = el("tr");
  for (const title of ["Dòng", "Quyết định", "Loại", "Tên", "Đơn vị", "Đại biểu"]) head.append(el("th", "", title));
  table.append(head);
  for (const row of rows) {
    const tr = el("tr");
    const decision = `${row.decision.number}${row.decision.new ? " (mới)" : ""}`;
    for (const text of [row.row, decision, KIND[row.kind], row.name, row.unit ?? "", row.delegate_name ?? ""]) {
      tr.append(el("td", "", String(text)));
    }
    table.append(tr);
  }
  return table;
}

function errorTable(errors) {
  const list = el("ul", "aw-error");
  for (const error of errors) list.append(el("li", "", `Dòng ${error.row}: ${error.message}`));
  return list;
}

// ---------- the log for the minutes ----------

async function loadLog() {
  const { data: log } = await api("GET", "/api/awards/log");
  $("aw-log").replaceChildren(...log.presentations.map((entry) => {
    const row = el("tr");
    for (const text of [entry.announcement + 1, entry.name, entry.form, localTime(entry.called_at),
      OUTCOME[entry.outcome] ?? "", entry.received_by ?? ""]) {
      row.append(el("td", "", String(text)));
    }
    return row;
  }));
  $("aw-vote").textContent = log.vote
    ? `Biểu quyết mục 8: tán thành ${log.vote.agreed}/${log.vote.present} đại biểu có mặt (${localTime(log.vote.recorded_at)}).`
    : "Mục 8: chưa ghi kết quả biểu quyết.";
}

let lastVersion = null;
connectLive((snapshot) => {
  if (lastVersion !== null && snapshot.version !== lastVersion) loadLog().catch(() => {});
  lastVersion = snapshot.version;
}, $("connection"));

load().catch((error) => status(error.message || "Không tải được dữ liệu.", false));
