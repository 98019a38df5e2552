// The projector: read-only, follows the snapshot. All text goes through textContent.
import { el, setText } from "./live.js";
import { renderAwardStage } from "./awards-display.js";
import { renderVoteStage, showsVote } from "./display-vote.js";
import { fitAll, keepAwake, scaleToWindow } from "./display-stage.js";
import { speakerBanner } from "./display-speaker.js";
import { hallSound } from "./display-sound.js";
import { SlideView } from "./slides.js";
import {
  bareStepTitle, clockFormat, currentPlace, followLive, nextPlace, pageConfig, plannedRow, template,
} from "./timing.js";

const config = pageConfig("page-config");
const t = config.strings ?? {};
const $ = (id) => document.getElementById(id);
const hall = $("hall");
const timeOfDay = clockFormat(config.timezone);
let snapshot = null;

const slides = new SlideView($("slide-canvas"));
const speaker = speakerBanner({ t });
scaleToWindow(hall);
keepAwake();
const live = followLive((state) => {
  snapshot = state;
  render();
  sound.update(state);
}, $("connection"));
const sound = hallSound({ deviceId: config.device_id ?? null, clock: live.clock, socket: live.socket,
                          banner: $("sound-arm"), ready: $("sound-ready"),
                          audio: $("hall-audio") });

function render() {
  const place = currentPlace(snapshot);
  const mode = modeOf(place);
  hall.dataset.mode = mode;
  hall.dataset.screen = snapshot.screen;
  hall.dataset.version = String(snapshot.version);
  renderBackdrop(snapshot.conference);
  renderWelcome();
  renderItem(place);
  renderAgenda(mode);
  renderAttendance(mode, place);
  renderNext(mode);
  renderSlide(mode);
  // Who speaks now, over the live screens (the foyer's programme view and the slides keep theirs)
  speaker.render(snapshot, snapshot.screen === "live" && mode !== "agenda" && mode !== "slides");
  $("message").hidden = !snapshot.message;
  setText($("message-text"), snapshot.message);
  fitAll(hall);
  tick();
}

// Which screen owns the stage: the awards module decides for items 5 and 8 (it may decline).
// The foyer view (/display/agenda) always shows the whole program.
function modeOf(place) {
  if (config.view === "agenda") return "agenda";
  if (!place) return snapshot.finished ? "finished" : "welcome";
  // The report's slides, on a paired projector (a deck is served to signed-in screens only).
  if (snapshot.slide?.shown && config.device_id != null && hall.dataset.slides !== "failed") return "slides";
  if (showsVote(snapshot)) {  // a vote open, or its result on its item (display-vote.js)
    renderVoteStage($("vote-stage"), snapshot, t);
    return "vote";
  }
  const kind = place.item.kind;
  const stage = $("award-stage");
  if (kind === "awards" || kind === "vote") {
    try {
      if (renderAwardStage(stage, snapshot) === true) return "awards";
    } catch (error) {
      console.error(error); // a broken award screen must not break the projector
    }
  }
  stage.replaceChildren();
  return kind === "flag" ? "flag" : "item";
}

function renderBackdrop(conference) {
  setText($("organiser"), conference.organiser);
  setText($("conference-title"), conference.title);
  setText($("edition"), [conference.edition, conference.period && `(${conference.period})`]
    .filter(Boolean).join(" "));
  setText($("date-line"), dateLine(conference));
}

// NĐ 30/2020: "An Tân, ngày 05 tháng 3 năm 2020" (a leading zero for days below 10 and for
// January and February).
function dateLine(conference) {
  if (!conference.date) return "";
  const [year, month, day] = conference.date.split("-").map(Number);
  const text = template(t.date_line, {
    place: conference.place_name ?? "",
    day: String(day).padStart(2, "0"),
    month: month < 3 ? String(month).padStart(2, "0") : String(month),
    year,
  });
  return text.replace(/^[\s,]+/, "");
}

function renderWelcome() {
  setText($("welcome"), snapshot.finished ? t.finished : t.welcome);
  const start = snapshot.timing?.planned_start;
  setText($("starts-at"), !snapshot.finished && start ? template(t.starts_at, { time: timeOfDay(Date.parse(start)) }) : "");
}

function renderItem(place) {
  if (!place) return;
  const { item, step } = place;
  if (step) {
    const counter = template(t.step, { n: step.position, total: item.steps.length });
    setText($("item-kicker"), `${item.position}. ${item.title} · ${counter}`);
    setText($("item-title"), bareStepTitle(item, step));
  } else {
    setText($("item-kicker"), template(t.item, { position: item.position }));
    setText($("item-title"), item.title);
  }
  const presenter = step ? step.presenter : item.presenter;
  setText($("item-speaker"), presenter ? template(t.speaker, { name: presenter }) : "");
}

// The whole program, one row per item: planned time, title, the current one marked, the done
// ones with their actual times. Rows share the box evenly, however many there are; a long title
// makes its row taller, and the list shrinks as a whole if it must (display.css).
function renderAgenda(mode) {
  const list = $("agenda-list");
  if (mode !== "agenda") {
    list.replaceChildren();
    return;
  }
  list.style.setProperty("--rows", String(Math.max(snapshot.agenda.length, 6)));
  list.replaceChildren(...snapshot.agenda.map((item) => {
    const row = el("li", "agenda-row");
    const current = item.position === snapshot.current;
    row.dataset.state = current ? "current" : item.ended_at ? "done" : "upcoming";
    const planned = plannedRow(snapshot, item)?.planned_start;
    const shown = item.started_at ?? planned;
    row.append(el("span", "agenda-time", shown ? timeOfDay(Date.parse(shown)) : ""),
      el("span", "agenda-number", String(item.position)));
    const title = el("span", "agenda-title", item.title);  // wraps; its row grows (display.css)
    const detail = current ? [t.now_on, currentPlace(snapshot)?.step?.presenter ?? item.presenter]
      : [item.presenter];
    row.append(title, el("span", "agenda-detail", detail.filter(Boolean).join(" · ")));
    return row;
  }));
}

// The figure the MC reads out: before the start, and while an item whose script reads it (the
// opening: "có mặt {present}/{expected} đại biểu") is on.
function renderAttendance(mode, place) {
  const reads = mode === "item" && (place.item.script ?? "").includes("{present}");
  hall.dataset.attendance = mode === "welcome" || reads ? "shown" : "hidden";
  setText($("attendance-count"), `${snapshot.attendance.present}/${snapshot.attendance.expected}`);
}

function renderNext(mode) {
  const next = mode === "finished" ? null : nextPlace(snapshot);
  let title = "";
  if (next?.step) title = [next.step.title, next.step.presenter].filter(Boolean).join(" — ");
  else if (next) title = `${next.item.position}. ${next.item.title}`;
  setText($("next-up"), title ? template(t.next_up, { title }) : "");
}

// The page the snapshot says is up; a deck that cannot be drawn gives the stage back to the item.
function renderSlide(mode) {
  if (mode !== "slides") return;
  const { url, page } = snapshot.slide;
  const asked = performance.now();
  slides.show(url, page).then((shown) => {
    if (!shown) return;
    hall.dataset.slideDrawMs = String(Math.round(performance.now() - asked)); // from the snapshot to the page drawn
    hall.dataset.slidePage = String(page);
  }).catch((error) => {
    console.error(error);
    hall.dataset.slides = "failed";
    render();
  });
}

// The clock runs on the local clock corrected to the server's, connected or not.
function tick() {
  setText($("clock"), timeOfDay(live.clock.now()));
  speaker.tick(live.clock.now());
}
setInterval(tick, 500);
tick();
document.fonts?.ready.then(() => snapshot && fitAll(hall));
