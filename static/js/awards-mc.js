// The MC's awards panel. Contract with mc.js: renderAwardPanel(root, snapshot, api) fills root
// with the decision to read and the batch to call (presence from check-in) while item 5 runs,
// and with the vote form on item 8; it leaves root empty otherwise.
//
// Stepping (the clicker keys and the console's Next / Back) belongs to mc.js, which sends
// /api/awards/next|previous while item 5 runs. This panel records who received, and the vote.
// Text goes in through textContent only.
import { translator } from "./door-text.js";
import { api as liveApi, el } from "./live.js";
import { clockFormat, pageConfig } from "./timing.js";

const EDITING_KEYS = [" ", "ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"];
const t = translator(pageConfig("awards-text"));  // translated in templates/mc.html
// The vote's time is read beside the console's clock: the conference's time of day, as the clock
// (mc.js), not the laptop's own zone.
const voteTime = clockFormat(pageConfig("page-config").timezone);
const OUTCOME_TEXT = { received: t("outcome_received"), proxy: t("outcome_proxy"), absent: t("outcome_absent") };

const panel = { root: null, snapshot: null, call: liveApi, proxyFor: null, draft: "", focused: null,
  error: "", voteDraft: "" };

export function renderAwardPanel(root, snapshot, api) {
  panel.root = root;
  panel.snapshot = snapshot;
  panel.call = typeof api === "function" ? api : liveApi;
  root.classList.add("aw-panel");
  const focused = panel.focused;  // removing a focused field may fire blur: remember it first
  const item = currentItem(snapshot);
  if (ownsAwards(snapshot)) root.replaceChildren(...awardView(snapshot));
  else if (item?.kind === "vote") root.replaceChildren(...voteView(snapshot, item));
  else root.replaceChildren();
  restoreFocus(root, focused);
}

function currentItem(snapshot) {
  return (snapshot.agenda ?? []).find((entry) => entry.position === snapshot.current) ?? null;
}

function ownsAwards(snapshot) {
  const hasAwardsItem = (snapshot.agenda ?? []).some((entry) => entry.kind === "awards");
  return hasAwardsItem ? currentItem(snapshot)?.kind === "awards" : Boolean(snapshot.award);
}

// ---------- item 5 ----------

function awardView(snapshot) {
  const award = snapshot.award;
  const nodes = [];
  if (!award) {
    nodes.push(el("h2", "", t("awards")), el("p", "aw-where", t("none_shown")));
    return withError(nodes);
  }
  if (award.finished) {
    nodes.push(el("h2", "", t("all_given")), el("p", "aw-where", t("all_given_hint")));
    return withError(nodes);
  }
  if (!award.honourees.some((h) => h.id === panel.proxyFor)) {
    panel.proxyFor = null;  // the batch moved on: a half-typed proxy belongs to no one now
    panel.draft = "";
  }
  const recorded = award.honourees.filter((h) => h.outcome).length;
  nodes.push(el("h2", "", t("batch", { batch: award.index + 1, total: award.total, form: award.form })),
    el("div", "aw-where", award.reveal
      ? t("showing_names", { recorded, count: award.honourees.length })
      : t("showing_decision")),
    el("div", "label", t("read_decision")),
    el("div", "aw-read", award.decision?.text ?? ""),
    el("div", "label", t("invite")));
  const list = el("ol", "aw-batch");
  for (const honouree of award.honourees) list.append(honoureeRow(honouree));
  nodes.push(list);
  return withError(nodes);
}

function honoureeRow(honouree) {
  const row = el("li", "aw-row");
  row.dataset.honoureeId = honouree.id;
  const inHall = honouree.present !== false || honouree.proxy_name || honouree.outcome;
  if (!inHall) row.classList.add("aw-not-in-hall");
  const who = el("div", "aw-who", honouree.name);
  const meta = el("div", "aw-meta");
  meta.append(presenceBadge(honouree));
  if (honouree.outcome) meta.append(el("span", `aw-badge done-${honouree.outcome}`, outcomeText(honouree)));
  const details = [];
  if (honouree.kind === "collective") {
    details.push(t("collective_of", { name: honouree.representative ?? t("no_representative") }));
  }
  if (honouree.unit) details.push(honouree.unit);
  if (honouree.proxy_name) details.push(t("planned_proxy", { name: honouree.proxy_name }));
  meta.append(el("span", "", details.join(" · ")));
  const actions = el("div", "aw-actions");
  actions.append(
    button(t("outcome_received"), () => record(honouree, "received")),
    button(t("proxy_button"), () => openProxy(honouree)),
    button(t("outcome_absent"), () => record(honouree, "absent")));
  if (honouree.outcome) actions.append(button(t("unrecord"), () => clear(honouree)));
  row.append(who, meta);
  if (honouree.citation) row.append(el("div", "aw-citation", honouree.citation));
  row.append(actions);
  if (panel.proxyFor === honouree.id) row.append(proxyForm(honouree));
  return row;
}

function presenceBadge(honouree) {
  const collective = honouree.kind === "collective";
  if (honouree.present === true) {
    return el("span", "aw-badge present", collective ? t("representative_present") : t("present"));
  }
  if (honouree.present === false && honouree.proxy_name) {
    return el("span", "aw-badge proxy", t("absent_with_proxy", { name: honouree.proxy_name }));
  }
  if (honouree.present === false) {
    return el("span", "aw-badge absent", collective ? t("representative_absent") : t("absent_not_called"));
  }
  return el("span", "aw-badge unknown", t("presence_unknown"));
}

function outcomeText(honouree) {
  const text = OUTCOME_TEXT[honouree.outcome] ?? honouree.outcome;
  return honouree.received_by ? `${text}: ${honouree.received_by}` : text;
}

function proxyForm(honouree) {
  const form = el("form", "aw-proxy-form");
  const input = el("input");
  input.type = "text";
  input.maxLength = 120;
  input.placeholder = t("proxy_placeholder");
  input.value = panel.draft;
  input.dataset.awFocus = "proxy";
  input.addEventListener("input", () => { panel.draft = input.value; });
  input.addEventListener("focus", () => { panel.focused = "proxy"; });
  input.addEventListener("blur", () => { panel.focused = null; });
  guardKeys(input);
  input.addEventListener("keydown", (event) => { if (event.key === "Escape") closeProxy(); });
  const cancel = button(t("cancel"), closeProxy);
  form.append(input, el("button", "primary", t("record_proxy")), cancel);
  form.querySelector("button.primary").type = "submit";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name) { showError(t("proxy_needed")); return; }
    record(honouree, "proxy", name).then((ok) => { if (ok) closeProxy(); });
  });
  return form;
}

function openProxy(honouree) {
  panel.proxyFor = honouree.id;
  panel.draft = honouree.outcome === "proxy" ? honouree.received_by ?? "" : honouree.proxy_name ?? "";
  panel.focused = "proxy";
  rerender();
}

function closeProxy() {
  panel.proxyFor = null;
  panel.draft = "";
  panel.focused = null;
  rerender();
}

// "Received in person" for someone the door has not admitted asks first (the server refuses it
// with not_checked_in unless confirmed): a wrong row tapped must not enter the minutes.
async function record(honouree, outcome, receivedBy) {
  const body = { honouree_id: honouree.id, outcome };
  if (receivedBy) body.received_by = receivedBy;
  if (outcome === "received" && honouree.present === false) {
    if (!window.confirm(t("confirm_not_admitted", { name: honouree.name }))) return false;
    body.confirm = true;
  }
  return send("POST", "/api/awards/presentations", body);
}

function clear(honouree) {
  return send("DELETE", `/api/awards/presentations/${honouree.id}`);
}

async function send(method, path, body) {
  try {
    await panel.call(method, path, body);
    panel.error = "";
    return true;
  } catch (error) {
    showError(error.message || t("send_failed"));
    return false;
  }
}

// ---------- item 8 ----------

function voteView(snapshot, item) {
  const present = snapshot.attendance?.present ?? 0;
  const nodes = [el("h2", "", item.title)];
  const candidates = snapshot.candidates ?? [];
  if (candidates.length) {
    const list = el("ol", "aw-candidate-list");
    for (const candidate of candidates) {
      list.append(el("li", "", [candidate.full_name, candidate.title, candidate.unit].filter(Boolean).join(" — ")));
    }
    nodes.push(el("div", "label", t("candidates_shown")), list);
  }
  const form = el("form", "aw-vote-form");
  const input = el("input");
  input.type = "number";
  input.min = "0";
  input.max = String(present);
  input.required = true;
  input.value = panel.voteDraft;
  input.dataset.awFocus = "vote";
  input.setAttribute("aria-label", t("agreed_count"));
  input.addEventListener("input", () => { panel.voteDraft = input.value; });
  input.addEventListener("focus", () => { panel.focused = "vote"; });
  input.addEventListener("blur", () => { panel.focused = null; });
  guardKeys(input);
  const submit = el("button", "primary", t("record_vote"));
  submit.type = "submit";
  form.append(el("label", "", t("agreed")), input, el("span", "aw-present", t("of_present", { present })), submit);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const agreed = Number(input.value);
    if (!Number.isInteger(agreed) || agreed < 0 || agreed > present) {
      showError(t("agreed_range", { present }));
      return;
    }
    if (await send("POST", "/api/vote", { agreed })) panel.voteDraft = "";
    rerender();
  });
  nodes.push(form);
  if (snapshot.vote?.agreed != null) {  // a vote with a "Tán thành" count recorded (docs/VOTES.md)
    nodes.push(el("p", "aw-vote-recorded",
      t("vote_recorded", { agreed: snapshot.vote.agreed, present: snapshot.vote.present,
        time: voteTime(Date.parse(snapshot.vote.recorded_at)) })));
  }
  return withError(nodes);
}

// ---------- shared ----------

function button(text, onClick, disabled = false, className = "") {
  const node = el("button", className, text);
  node.type = "button";
  node.disabled = disabled;
  node.addEventListener("click", onClick);
  return node;
}

function withError(nodes) {
  if (panel.error) nodes.push(el("p", "aw-error", panel.error));
  return nodes;
}

function showError(message) {
  panel.error = message;
  rerender();
}

function rerender() {
  if (panel.root && panel.snapshot) renderAwardPanel(panel.root, panel.snapshot, panel.call);
}

// A snapshot arriving while the MC types (a check-in at the door) must not steal the field.
function restoreFocus(root, focused) {
  if (!focused) return;
  const field = root.querySelector(`[data-aw-focus="${focused}"]`);
  if (!field) return;
  field.focus();
  if (field.type === "text") field.setSelectionRange(field.value.length, field.value.length);
}

// Typing a name or a number must not step the program: Space and the arrows stay in the field;
// the clicker's PageDown / PageUp still reach the console.
function guardKeys(input) {
  input.addEventListener("keydown", (event) => {
    if (EDITING_KEYS.includes(event.key)) event.stopPropagation();
  });
}
