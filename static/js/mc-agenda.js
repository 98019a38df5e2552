// The MC's agenda: every item and step with its planned and actual times, and a "go to" button
// that asks for a second tap before it jumps (a live show must not jump on a stray touch).
import { el } from "./live.js";
import { plannedRow, template } from "./timing.js";

const CONFIRM_MS = 3000;

// rows of the agenda, rebuilt from the snapshot; goto(position, step) is called on a confirmed tap.
export function renderAgenda(list, snapshot, { t, timeOfDay, goto }) {
  list.replaceChildren(...snapshot.agenda.map((item) => {
    const row = el("li", "agenda-item");
    row.dataset.state = stateOf(item, snapshot.current === item.position);
    row.append(line(snapshot, item, null, { t, timeOfDay, goto }));
    if (item.steps?.length) {
      const steps = el("ol", "agenda-steps");
      for (const step of item.steps) {
        const entry = el("li", "agenda-step");
        const current = snapshot.current === item.position && snapshot.current_step === step.position;
        entry.dataset.state = stateOf(step, current);
        entry.append(line(snapshot, item, step, { t, timeOfDay, goto }));
        steps.append(entry);
      }
      row.append(steps);
    }
    return row;
  }));
}

function stateOf(node, current) {
  if (current) return "current";
  if (node.ended_at) return "done";
  return "upcoming";
}

function line(snapshot, item, step, { t, timeOfDay, goto }) {
  const node = step ?? item;
  const box = el("div", "agenda-line");
  box.append(el("span", "agenda-number", step ? `${item.position}.${step.position}` : String(item.position)));
  const info = el("div", "agenda-info");
  info.append(el("span", "agenda-title", node.title));
  if (node.presenter) info.append(el("span", "agenda-presenter", node.presenter));
  info.append(el("span", "agenda-times", times(snapshot, item, step, { t, timeOfDay })));
  box.append(info);
  const warning = backWarning(snapshot, item, step, t);
  gotoButton(t, warning, box, () => goto(item.position, step ? step.position : null));
  return box;
}

// A jump back over what already ran says, before the second tap, what it does to the recorded
// times (show/runs.py): the place left ends now, the place reached starts another run from now
// (one more line in the minutes), and nothing already recorded is lost.
function backWarning(snapshot, item, step, t) {
  const target = [item.position, step ? step.position : 0];
  const here = snapshot.current == null ? null : [snapshot.current, snapshot.current_step ?? 0];
  if (!here && !snapshot.finished) return "";
  if (here && !(target[0] < here[0] || (target[0] === here[0] && target[1] < here[1]))) return "";
  const label = (position, stepPosition) => (stepPosition ? `${position}.${stepPosition}` : String(position));
  const values = { target: label(item.position, step?.position), left: here ? label(here[0], here[1]) : "" };
  return template(here ? t.goto_back : t.goto_back_finished, values);
}

function times(snapshot, item, step, { t, timeOfDay }) {
  const node = step ?? item;
  const parts = [];
  const planned = plannedRow(snapshot, item, step);
  if (planned?.planned_start) parts.push(template(t.planned, { time: timeOfDay(Date.parse(planned.planned_start)) }));
  if (node.started_at) {
    const start = Date.parse(node.started_at);
    const end = node.ended_at ? Date.parse(node.ended_at) : null;
    parts.push(template(t.actual, { start: timeOfDay(start), end: end ? timeOfDay(end) : "" }));
    if (node.started_by) parts.push(template(t.started_by, { who: node.started_by }));
    if (end) {  // the minutes its runs used, not the stretch from its first start to its last end
      const actual = Math.round(node.closed_run_seconds / 60);
      parts.push(template(t.minutes, { actual, planned: node.planned_minutes ?? "–" }));
    }
  }
  return parts.join(" · ");
}

function gotoButton(t, warning, box, onConfirm) {
  const button = el("button", "goto", t.goto);
  button.type = "button";
  const note = el("p", "goto-warning", warning);
  note.hidden = true;
  let armedUntil = 0;
  button.addEventListener("click", () => {
    if (Date.now() < armedUntil) {
      armedUntil = 0;
      onConfirm();
      return;
    }
    armedUntil = Date.now() + (warning ? 2 * CONFIRM_MS : CONFIRM_MS);  // time to read the warning
    button.textContent = t.goto_confirm;
    button.classList.add("armed");
    note.hidden = !warning;
    setTimeout(() => {
      if (Date.now() < armedUntil) return;
      button.textContent = t.goto;
      button.classList.remove("armed");
      note.hidden = true;
    }, armedUntil - Date.now() + 50);
  });
  box.append(button, note);
}
