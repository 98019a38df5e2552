// Search by name without diacritics (on the roster kept on the tablet, so it works offline),
// one tap to check in or undo, and the walk-in form.
import { el, setText } from "./live.js";
import { fold, normaliseCode } from "./door-text.js";
import { absenceDialog, absenceText } from "./door-absence.js";

const $ = (id) => document.getElementById(id);
const COOLDOWN_MS = 1200;  // a double tap must not turn "check in" into "undo"

export function setupSearch(door) {
  return { search: setupResults(door), walkin: setupWalkIn(door) };
}

function setupResults({ t, time, roster, outbox, itemDelegate, describe, meta, checkIn, scanCode, undo }) {
  const input = $("search");
  const list = $("results");
  const status = $("search-status");
  const cooling = new Map();  // delegate id -> until when its button stays disabled
  const absence = absenceDialog({ t, roster, onSaved: () => refresh() });

  function statusOf(delegate) {
    if (outbox.items.some((item) => itemDelegate(item)?.id === delegate.id)) {
      return { kind: "waiting", text: t("status_waiting") };
    }
    const present = roster.presence.get(delegate.id);
    if (present) {
      return { kind: "present", text: [t("status_present", { time: time(present.at) }), present.device].filter(Boolean).join(" · ") };
    }
    return { kind: "absent", text: absenceText(t, delegate) };
  }

  function row(delegate) {
    const state = statusOf(delegate);
    const item = el("li", `person person-${state.kind}`);
    item.dataset.id = String(delegate.id);
    const who = el("div", "person-who");
    who.append(el("span", "person-name", delegate.full_name),
      el("span", "person-meta", [describe(delegate), meta(delegate)].filter(Boolean).join(" · ")));
    const present = state.kind !== "absent";
    const button = el("button", present ? "person-undo" : "person-check primary", present ? t("undo") : t("check_in"));
    button.type = "button";
    button.disabled = (cooling.get(delegate.id) ?? 0) > performance.now();
    button.addEventListener("click", () => {
      cooling.set(delegate.id, performance.now() + COOLDOWN_MS);
      setTimeout(refresh, COOLDOWN_MS + 50);
      button.disabled = true;
      if (present) undo(delegate.id);
      else checkIn(delegate);
    });
    item.append(who, el("span", `person-status status-${state.kind}`, state.text), button);
    // Not here and not a walk-in waiting to be sent: the door may note why they are away.
    if (state.kind === "absent" && typeof delegate.id === "number") {
      const away = el("button", "person-absence", t("absence_button"));
      away.type = "button";
      away.addEventListener("click", () => absence.open(delegate));
      item.append(away);
    }
    return item;
  }

  function refresh() {
    const query = input.value;
    if (!fold(query)) {
      list.replaceChildren();
      setText(status, "");
      return;
    }
    const found = roster.search(query);
    setText(status, found.length ? t("results_count", { count: found.length }) : t("no_results", { query: query.trim() }));
    list.replaceChildren(...found.map(row));
  }

  input.addEventListener("input", refresh);
  // A scanner that types into the search field: Enter on something that is a badge code scans it.
  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    const code = normaliseCode(input.value);
    if (code && (roster.byCode.has(code) || !roster.search(input.value).length)) {
      event.preventDefault();
      input.value = "";
      refresh();
      scanCode(code);
    }
  });
  return { refresh };
}

function setupWalkIn({ t, roster, addWalkIn }) {
  const form = $("walkin-form");
  const message = $("walkin-message");
  const select = form.elements.group;
  const submit = form.querySelector("button[type=submit]");
  let confirmed = null;  // the folded name the person said is really someone new

  const say = (text, kind = "") => {
    setText(message, text);
    message.dataset.kind = kind;
  };

  form.addEventListener("input", () => say(""));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = (name) => (form.elements[name].value ?? "").trim() || null;
    const fields = { full_name: value("full_name"), position: value("position"), unit: value("unit"),
      group: value("group") };
    if (!fields.full_name) {
      say(t("walkin_missing_name"), "error");
      form.elements.full_name.focus();
      return;
    }
    const key = fold(fields.full_name);
    const same = roster.everyone().filter((delegate) => fold(delegate.full_name) === key);
    if (same.length && confirmed !== key) {
      confirmed = key;
      const names = same.map((d) => [d.full_name, d.unit].filter(Boolean).join(" – ")).join("; ");
      say(t("walkin_same_name", { names }), "warn");
      return;
    }
    submit.disabled = true;
    let answer;
    try {
      answer = await addWalkIn(fields);  // null: no answer yet, the walk-in waits on the tablet
    } finally {
      submit.disabled = false;
    }
    if (answer && answer.status !== 201) {  // refused for good (a group renamed, a name too long)
      say(answer.data?.error?.message ?? `HTTP ${answer.status}`, "error");
      return;
    }
    form.reset();
    confirmed = null;
    say("");
    $("walkin").open = false;
  });

  function groups(names) {
    const current = [...select.options].slice(1).map((option) => option.value);
    if (current.length === names.length && current.every((name, i) => name === names[i])) return;
    const chosen = select.value;
    const blank = el("option", "", "—");
    blank.value = "";
    select.replaceChildren(blank, ...names.map((name) => {
      const option = el("option", "", name);
      option.value = name;
      return option;
    }));
    select.value = names.includes(chosen) ? chosen : "";
  }
  return { groups };
}
