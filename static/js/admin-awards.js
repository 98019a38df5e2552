// The office's awards page: forms, decisions and honourees, the calling order, the import, the log.
// Every change goes through /api with the X-CSRFToken header (api() in live.js); text via textContent.
import { translator } from "./door-text.js";
import { api, connectLive, el, officeConferenceIsLive, officePath } from "./live.js";
import { clockFormat, pageConfig } from "./timing.js";

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";
const t = translator(pageConfig("awards-text"));  // translated in templates/admin_awards.html
// The log's times are the conference's time of day, as the minutes give them, whatever the zone
// of the office's computer.
const clock = clockFormat(pageConfig("page-config").timezone);
const localTime = (iso) => clock(iso ? Date.parse(iso) : null);
const KIND = { collective: t("kind_collective"), individual: t("kind_individual") };
const OUTCOME = { received: t("outcome_received"), proxy: t("outcome_proxy"), absent: t("outcome_absent") };
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
    status(error.message || t("not_saved"), false);
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
  return data.forms.map((form) => [form.id, t("form_rank", { name: form.name, rank: form.rank })]);
}

// ---------- forms ----------

function renderForms() {
  $("aw-forms").replaceChildren(...data.forms.map((form) => {
    const row = el("tr");
    const name = input("name", form.name, { maxLength: 200 });
    const rank = input("rank", form.rank, { type: "number" });
    const kind = select("kind", [["form", t("kind_form")], ["title", t("kind_title")]], form.kind);
    const actions = cell(
      button(t("save"), () => run(() => api("PUT", `/api/award-forms/${form.id}`,
        { name: name.value, rank: Number(rank.value), kind: kind.value }), t("form_saved"))),
      button(t("delete"), () => confirm(t("confirm_delete", { name: form.name }))
        && run(() => api("DELETE", `/api/award-forms/${form.id}`), t("form_deleted"))));
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
  if (await run(() => api("POST", "/api/award-forms", body), t("form_added"))) form.reset();
});

// ---------- decisions and honourees ----------

function renderDecisions() {
  const box = $("aw-decisions");
  if (!data.decisions.length) {
    box.replaceChildren(el("p", "hint", t("no_decisions")));
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
  for (const [label, field] of [[t("decision_number"), number], [t("signed_on"), signed], [t("issuer"), issuer],
    [t("form"), form], [t("reason"), reason]]) {
    const wrap = el("label", "", label);
    wrap.append(field);
    fields.append(wrap);
  }
  const actions = el("div");
  actions.append(
    button(t("save_decision"), () => run(() => api("PUT", `/api/award-decisions/${decision.id}`, {
      number: number.value, signed_on: signed.value || null, issuer: issuer.value,
      form_id: Number(form.value), reason: reason.value || null,
    }), t("decision_saved"))),
    button(t("delete_decision"), () => confirm(t("confirm_delete_decision",
      { number: decision.number, count: decision.honourees.length }))
      && run(() => api("DELETE", `/api/award-decisions/${decision.id}`), t("decision_deleted"))));
  fields.append(actions);
  card.append(fields, honoureeTable(decision));
  return card;
}

function delegateOptions() {
  return [["", t("no_delegate")], ...data.delegates.map((d) => [d.id, d.unit ? `${d.full_name} — ${d.unit}` : d.full_name])];
}

function honoureeTable(decision) {
  const table = el("table", "aw-honourees");
  const head = el("tr");
  for (const title of [t("col_kind"), t("col_name"), t("col_unit"), t("col_citation"), t("col_delegate"),
    t("col_proxy"), ""]) {
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
      button(t("save"), () => run(() => api("PUT", `/api/honourees/${honouree.id}`, values()), t("saved"))),
      button(t("delete"), () => confirm(t("confirm_delete", { name: honouree.name }))
        && run(() => api("DELETE", `/api/honourees/${honouree.id}`), t("deleted"))));
  } else {
    name.placeholder = t("add_honouree");
    actions.append(button(t("add"), () => run(() => api("POST", `/api/award-decisions/${decision.id}/honourees`,
      values()), t("added"))));
  }
  row.append(cell(kind), cell(name), cell(unit), cell(citation), cell(delegate), cell(proxy), actions);
  return row;
}

$("aw-decision-new").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const body = { number: form.number.value, signed_on: form.signed_on.value || null, issuer: form.issuer.value,
    form_id: Number(form.form_id.value), reason: form.reason.value || null };
  if (await run(() => api("POST", "/api/award-decisions", body), t("decision_added"))) form.reset();
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
      const where = index === 0 ? ` ${t("order_where", { batch: announcement.index + 1, form: announcement.form,
        number: announcement.decision.number })}` : "";
      row.append(button("▲", () => move(row, -1)), button("▼", () => move(row, 1)), el("span", "", label),
        el("span", "hint", where));
      rows.push(row);
    });
  }
  list.replaceChildren(...rows);
  if (!rows.length) list.append(el("li", "hint", t("nobody_to_call")));
}

function move(row, direction) {
  const sibling = direction < 0 ? row.previousElementSibling : row.nextElementSibling;
  if (!sibling) return;
  if (direction < 0) sibling.before(row);
  else sibling.after(row);
  status(t("order_unsaved"), false);
}

$("aw-order-save").addEventListener("click", () => {
  const ids = [...$("aw-order").querySelectorAll("li[data-honouree-id]")].map((row) => Number(row.dataset.honoureeId));
  run(() => api("PUT", "/api/awards/order", { honouree_ids: ids }), t("order_saved"));
});
$("aw-order-reset").addEventListener("click", () =>
  run(() => api("PUT", "/api/awards/order", { honouree_ids: [] }), t("order_reset")));
$("aw-batch").addEventListener("submit", (event) => {
  event.preventDefault();
  run(() => api("PUT", "/api/awards/batch-size", { batch_size: Number(event.currentTarget.batch_size.value) }),
    t("batch_saved"));
});

// ---------- import ----------

$("aw-import").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const preview = event.submitter?.value === "1";
  const body = new FormData();
  body.append("file", form.file.files[0]);
  const response = await fetch(officePath(`/api/honourees/import${preview ? "?preview=1" : ""}`), {
    method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken }, body,
  }).catch(() => null);
  const answer = response ? await response.json().catch(() => null) : null;
  const result = $("aw-import-result");
  if (!response || !response.ok) {
    status(answer?.error?.message ?? t("import_failed"), false);
    result.replaceChildren(errorTable(answer?.error?.rows ?? []));
    return;
  }
  if (preview) {
    status(answer.errors.length ? t("preview_errors", { count: answer.errors.length })
      : t("preview_ok", { count: answer.rows.length }),
      !answer.errors.length);
    result.replaceChildren(previewTable(answer.rows), errorTable(answer.errors));
    return;
  }
  result.replaceChildren();
  form.reset();
  status(t("imported", { imported: answer.imported, decisions: answer.decisions_created }));
  await load();
});

function previewTable(rows) {
  const table = el("table");
  const head = el("tr");
  for (const title of [t("col_row"), t("col_decision"), t("col_kind"), t("col_name"), t("col_unit"),
    t("col_delegate_short")]) head.append(el("th", "", title));
  table.append(head);
  for (const row of rows) {
    const tr = el("tr");
    const decision = row.decision.new ? t("new_decision", { number: row.decision.number }) : row.decision.number;
    for (const text of [row.row, decision, KIND[row.kind], row.name, row.unit ?? "", row.delegate_name ?? ""]) {
      tr.append(el("td", "", String(text)));
    }
    table.append(tr);
  }
  return table;
}

function errorTable(errors) {
  const list = el("ul", "aw-error");
  for (const error of errors) list.append(el("li", "", t("row_error", { row: error.row, message: error.message })));
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
  $("aw-vote").textContent = log.vote?.agreed != null  // a vote with a "Tán thành" count recorded
    ? t("vote_recorded", { agreed: log.vote.agreed, present: log.vote.present, time: localTime(log.vote.recorded_at) })
    : t("vote_none");
}

let lastVersion = null;
if (officeConferenceIsLive()) {
  connectLive((snapshot) => {
    if (lastVersion !== null && snapshot.version !== lastVersion) loadLog().catch(() => {});
    lastVersion = snapshot.version;
  }, $("connection"));
} else {
  $("connection").hidden = true;  // a conference being prepared has no day running to follow
}

load().catch((error) => status(error.message || t("load_failed"), false));
