// The MC console: the current item large, its script with the live figures, the timers, the
// clicker keys, the hall screen and the agenda.
import { api, fillScript, followConference, setText } from "./live.js";
import { renderAwardPanel } from "./awards-mc.js";
import { renderAgenda } from "./mc-agenda.js";
import { slidesPanel } from "./mc-slides.js";
import { speakersPanel } from "./mc-speakers.js";
import { stagePanel } from "./mc-stage.js";
import { votesPanel } from "./mc-votes.js";
import { renderQuorum } from "./quorum.js";
import {
  bareStepTitle, clockFormat, currentPlace, followLive, formatDuration, nextPlace, pageConfig, phase, projection,
  runSeconds, template,
} from "./timing.js";

const config = pageConfig("page-config");
const t = config.strings ?? {};
const $ = (id) => document.getElementById(id);
const timeOfDay = clockFormat(config.timezone);
const timeWithSeconds = clockFormat(config.timezone, true);
const GUARD_MS = 350; // a clicker's bounce or a double press within this is one press
const ANSWER_MS = 8000;

let snapshot = null;
let agendaKey = "";
const showConference = followConference(config.conference_id);
const live = followLive((state) => {
  snapshot = state;
  showConference(state.conference);
  render();
}, $("connection"));

// Who else is driving: the MC devices connected now, by label (sent by the server on every change).
live.socket.on("drivers", ({ drivers }) => {
  const box = $("drivers");
  box.dataset.count = String(drivers.length);
  setText(box, template(t.drivers, { names: drivers.join(", ") }));
});

// The stage card (mc-stage.js): the lectern's message, the overlay, the hall's sound.
const stage = stagePanel({ t, command: (path, body) => command(path, body), current: () => snapshot });
live.socket.on("sound", (status) => stage.hear(status));
const slides = slidesPanel({ t, command: (path, body) => command(path, body), current: () => snapshot });
const votes = votesPanel({ t });  // the vote card (mc-votes.js): open, watch, enter hands, close
const speakers = speakersPanel({ t, command: (path, body) => command(path, body), timeOfDay });

// ---- Rendering ------------------------------------------------------------------------------

function render() {
  document.body.dataset.version = String(snapshot.version);
  const place = currentPlace(snapshot);
  document.querySelector("main.mc").dataset.kind = place?.item.kind ?? "";
  setText($("attendance"), `${snapshot.attendance.present}/${snapshot.attendance.expected}`);
  renderQuorum($("quorum"), snapshot.attendance.quorum, { met: t.quorum_met, short: t.quorum_short });
  renderNow(place);
  renderNext(place);
  renderScript(place);
  renderAwards(place);
  renderHall();
  stage.render(snapshot);
  slides.render(snapshot);
  votes.render(snapshot);
  speakers.render(snapshot);
  const key = JSON.stringify([snapshot.agenda, snapshot.current, snapshot.current_step, snapshot.timing?.items]);
  if (key !== agendaKey) {
    agendaKey = key;
    renderAgenda($("agenda"), snapshot, { t, timeOfDay, goto });
  }
  tick();
}

function renderNow(place) {
  const total = snapshot.agenda.length;
  if (!place) {
    setText($("now-kicker"), "");
    setText($("current-title"), snapshot.finished ? t.finished : t.not_started);
    setText($("current-step"), "");
    setText($("current-presenter"), "");
    return;
  }
  const { item, step } = place;
  setText($("now-kicker"), template(t.item_of, { position: item.position, total }));
  setText($("current-title"), item.title);
  setText($("current-step"), step ? `${stepLabel(item, step)} · ${bareStepTitle(item, step)}` : "");
  const presenter = step ? step.presenter : item.presenter;
  setText($("current-presenter"), presenter ? template(t.presenter, { name: presenter }) : "");
}

function stepLabel(item, step) {
  return template(item.kind === "talks" ? t.talk_of : t.part_of, { n: step.position, total: item.steps.length });
}

function renderNext(place) {
  const next = nextPlace(snapshot);
  const title = next ? (next.step ? `${stepLabel(next.item, next.step)} · ${bareStepTitle(next.item, next.step)}`
    : `${next.item.position}. ${next.item.title}`) : t.no_next;
  setText($("next-title"), title);
  setText($("next-presenter"), next ? (next.step ?? next.item).presenter ?? "" : "");
  let hint = awardsDriveNext(place) ? t.next_awards : next ? template(t.next_show, { title }) : "";
  if (slides.drive(snapshot, 1)) {
    hint = template(t.next_slide, { page: snapshot.slide.page + 1, pages: snapshot.slide.pages });
  }
  setText($("next-hint"), hint);
}

// A tham luận step gets its own line (with thanks to the previous speaker); the item's full
// script stays one tap away.
function renderScript(place) {
  const box = $("item-script-box");
  if (!place) {
    setText($("script"), "");
    box.hidden = true;
    return;
  }
  const { item, step } = place;
  const itemScript = fillScript(item.script, snapshot);
  if (!step) {
    setText($("script"), itemScript);
    box.hidden = true;
    return;
  }
  const previous = item.steps.find((entry) => entry.position === step.position - 1);
  // "called": the name with the delegate's danh xưng, as the printed script has it (Bà …).
  const values = { presenter: step.called ?? step.presenter ?? "", title: bareStepTitle(item, step),
                   previous: previous?.called ?? previous?.presenter ?? "" };
  setText($("script"), template(previous?.presenter ? t.step_script_next : t.step_script_first, values));
  setText($("item-script"), itemScript);
  box.hidden = !itemScript;
}

function renderAwards(place) {
  const panel = $("award-panel");
  const kind = place?.item.kind;
  if (kind !== "awards" && kind !== "vote") {
    panel.hidden = true;
    panel.replaceChildren();
    return;
  }
  panel.hidden = false;
  try {
    renderAwardPanel(panel, snapshot, api);
  } catch (error) {
    console.error(error); // the rest of the console keeps working
  }
}

function renderHall() {
  for (const button of document.querySelectorAll(".screen-modes button")) {
    button.setAttribute("aria-pressed", String(button.dataset.screen === snapshot.screen));
  }
  const state = $("screen-state");
  state.dataset.screen = snapshot.screen;
  setText(state, t[`screen_${snapshot.screen}`] ?? snapshot.screen);
  setText($("message-current"), snapshot.message ? template(t.message_current, { message: snapshot.message })
    : t.message_none);
}

// ---- Timers: from the stored runs and the corrected clock, every half second ----------------
// A place's time is its runs' (closed runs + the open one so far), so an item back for a second
// run after a go-to back goes on from what its first run used; a step counts down what is left.

function tick() {
  const now = live.clock.now();
  setText($("clock"), timeWithSeconds(now));
  if (!snapshot) return;
  const place = currentPlace(snapshot);
  showTimer($("item-timer"), $("item-elapsed"), $("item-planned"), place?.item, now, false);
  const stepTimer = $("step-timer");
  stepTimer.hidden = !place?.step;
  if (place?.step) showTimer(stepTimer, $("step-remaining"), $("step-planned"), place.step, now, true);
  showProgram(now);
}

function showTimer(box, value, sub, node, now, countdown) {
  const elapsed = runSeconds(node, now);
  const planned = node?.planned_minutes ? node.planned_minutes * 60 : null;
  box.dataset.phase = phase(elapsed, planned);
  if (elapsed == null) {
    setText(value, "–");
    setText(sub, "");
    return;
  }
  setText(value, countdown && planned ? formatDuration(planned - elapsed) : formatDuration(elapsed));
  let detail = planned ? template(t.of_planned, { planned: formatDuration(planned) }) : t.no_plan;
  if (planned && elapsed > planned) detail += ` · ${template(t.over, { time: formatDuration(elapsed - planned) })}`;
  setText(sub, detail);
}

function showProgram(now) {
  const box = $("program-timer");
  const figures = projection(snapshot.timing, now);
  if (!figures) return;
  const minutes = figures.offset == null ? null : Math.round(figures.offset / 60);
  let label = "–";
  if (minutes != null) {
    if (minutes > 0) label = template(t.behind, { minutes });
    else if (minutes < 0) label = template(t.ahead, { minutes: -minutes });
    else label = t.on_time;
  }
  box.dataset.phase = minutes == null || minutes <= 0 ? "normal" : minutes <= 10 ? "warning" : "overrun";
  setText($("program-offset"), label);
  const planned = snapshot.timing.planned_end && snapshot.timing.mode === "clock"
    ? timeOfDay(Date.parse(snapshot.timing.planned_end)) : null;
  let detail;
  if (snapshot.timing.finished) detail = template(t.ended_at, { time: timeOfDay(figures.end) });
  else if (planned) detail = template(t.projected_end, { time: timeOfDay(figures.end), planned });
  else detail = template(t.projected_end_plain, { time: timeOfDay(figures.end) });
  setText($("program-end"), detail);
}

setInterval(tick, 500);

// ---- Commands -------------------------------------------------------------------------------

// Item 5: while the awards run (not started, or not finished), Next steps through them.
function awardsDriveNext(place) {
  return place?.item.kind === "awards" && !snapshot.award?.finished;
}

function awardsDrivePrevious(place) {
  const award = snapshot.award;
  return place?.item.kind === "awards" && award != null && (award.index > 0 || award.reveal);
}

let busy = false;
let lastPress = -Infinity;

function press(direction) {
  const now = performance.now();
  if (!snapshot || busy || now - lastPress < GUARD_MS) return;
  lastPress = now;
  const place = currentPlace(snapshot);
  let path;
  if (slides.drive(snapshot, direction)) path = direction > 0 ? "/api/stage/slide/next" : "/api/stage/slide/previous";
  else if (direction > 0) path = awardsDriveNext(place) ? "/api/awards/next" : "/api/show/next";
  else path = awardsDrivePrevious(place) ? "/api/awards/previous" : "/api/show/previous";
  const button = $(direction > 0 ? "next" : "previous");
  button.classList.add("pressed");
  command(path, { from: fromFor(path) }).finally(() => button.classList.remove("pressed"));
}

// What the console saw when it was pressed: the slide's page, the awards' step, or the show's place.
function fromFor(path) {
  if (path.startsWith("/api/stage/slide/")) return snapshot.slide.page;
  return path.startsWith("/api/awards/") ? awardPlace() : showPlace();
}

// The place this console shows: a press made on it is not applied if the show has left it
// meanwhile (another console moved it), so two consoles pressing at once move the show once.
function showPlace() {
  return { position: snapshot.current, step: snapshot.current_step };
}

function awardPlace() {
  const award = snapshot.award;
  return award ? { index: award.index, reveal: award.reveal } : { index: null, reveal: false };
}

function goto(position, step) {
  command("/api/show/goto", { position, step, from: showPlace() });
}

// One request at a time; its answer (the new snapshot) is shown at once, before the broadcast.
async function command(path, body) {
  busy = true;
  document.body.dataset.busy = "true";
  const sentAt = Date.now();
  try {
    const answer = await Promise.race([
      api("POST", path, body),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), ANSWER_MS)),
    ]);
    live.offer(answer.data, sentAt, Date.now());
    showAlert(null);
    showNotice(null);
  } catch (error) {
    if (error.code === "moved_elsewhere") {
      showAlert(null);
      showNotice(error.body.error.moved_by ? template(t.moved_by, { who: error.body.error.moved_by }) : t.moved);
      return;
    }
    const offline = !error.status;
    showAlert(offline ? t.offline : template(t.failed, { message: error.message }));
  } finally {
    busy = false;
    delete document.body.dataset.busy;
  }
}

// Quiet: another console's press won the race; the new place arrives with the broadcast.
function showNotice(text) {
  const notice = $("notice");
  notice.hidden = !text;
  setText(notice, text);
}

function showAlert(text) {
  const alert = $("alert");
  alert.hidden = !text;
  setText(alert, text);
}

// Clickers send PageDown/PageUp (some send the arrows, Space, or B / "." for a black screen).
// Held keys repeat: ignored. In a text field only the page keys count.
const FORWARD = new Set(["PageDown", "ArrowRight", " "]);
const BACKWARD = new Set(["PageUp", "ArrowLeft"]);
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.altKey || event.metaKey) return;
  const typing = event.target.closest?.("input, textarea, select, [contenteditable]");
  const key = event.key;
  if (typing && key !== "PageDown" && key !== "PageUp") return;
  if (FORWARD.has(key) || BACKWARD.has(key)) {
    event.preventDefault();
    if (!event.repeat) press(FORWARD.has(key) ? 1 : -1);
  } else if ((key === "b" || key === "B" || key === ".") && !event.repeat && snapshot) {
    event.preventDefault();
    screen(snapshot.screen === "blackout" ? "live" : "blackout");
  }
});

// Buttons: act on click, then give the focus back so Space is the clicker's again.
function onTap(button, action) {
  button.addEventListener("click", (event) => {
    event.currentTarget.blur();
    action();
  });
}
onTap($("next"), () => press(1));
onTap($("previous"), () => press(-1));
for (const button of document.querySelectorAll(".screen-modes button")) {
  onTap(button, () => screen(button.dataset.screen));
}

function screen(mode) {
  command("/api/show/screen", { screen: mode });
}

$("message-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = $("message-input");
  command("/api/show/message", { message: input.value }).then(() => input.blur());
});
onTap($("message-clear"), () => {
  $("message-input").value = "";
  command("/api/show/message", { message: null });
});
