// The lectern timer (/display/timer): what Ontime's stage timer is, for the speaker. The time left
// of the current place (the tham luận step, else the item), from the stored runs and the server's
// clock like the MC's timers (timing.js), never counted in memory; counting on past zero in red.
import { turnSeconds } from "./display-speaker.js";
import { setText } from "./live.js";
import {
  clockFormat, currentPlace, followLive, formatDuration, pageConfig, phase, runSeconds, template,
} from "./timing.js";

const config = pageConfig("page-config");
const t = config.strings ?? {};
const $ = (id) => document.getElementById(id);
const box = $("lectern");
const timeOfDay = clockFormat(config.timezone);
let snapshot = null;

const live = followLive((state) => {
  snapshot = state;
  render();
}, $("connection"));

function render() {
  box.dataset.version = String(snapshot.version);
  const place = currentPlace(snapshot);
  if (!place) {
    setText($("lectern-place"), "");
    setText($("lectern-speaker"), snapshot.finished ? t.finished : t.waiting);
  } else {
    const { item, step } = place;
    const where = step ? template(t.step, { n: step.position, total: item.steps.length }) : item.title;
    setText($("lectern-place"), `${template(t.item, { position: item.position })} · ${where}`);
    setText($("lectern-speaker"), (step ?? item).presenter ?? (step ?? item).title);
  }
  // A delegate the MC called from the queue is at the lectern: their name, their turn's time
  const speaking = snapshot.speakers?.speaking;
  if (speaking) setText($("lectern-speaker"), speaking.called);
  const message = snapshot.stage?.lectern_message;
  $("lectern-message").hidden = !message;
  setText($("lectern-message"), message);
  tick();
}

function tick() {
  const now = live.clock.now();
  setText($("lectern-clock"), timeOfDay(now));
  if (!snapshot) return;
  const turn = turnSeconds(snapshot.speakers?.speaking, now);
  if (turn != null) { // counted up: a delegate's turn has no planned time
    box.dataset.phase = "normal";
    setText($("lectern-time"), formatDuration(turn));
    setText($("lectern-detail"), t.no_plan);
    return;
  }
  const place = currentPlace(snapshot);
  const node = place ? place.step ?? place.item : null;
  const elapsed = runSeconds(node, now);
  const planned = node?.planned_minutes ? node.planned_minutes * 60 : null;
  if (elapsed == null) {
    box.dataset.phase = "idle";
    setText($("lectern-time"), "–");
    setText($("lectern-detail"), "");
    return;
  }
  const state = phase(elapsed, planned);
  box.dataset.phase = state;
  if (!planned) {
    setText($("lectern-time"), formatDuration(elapsed));
    setText($("lectern-detail"), t.no_plan);
  } else if (state === "overrun") {
    setText($("lectern-time"), `+${formatDuration(elapsed - planned)}`);  // overtime, counted on
    setText($("lectern-detail"), t.over);
  } else {
    setText($("lectern-time"), formatDuration(planned - elapsed));
    setText($("lectern-detail"), template(t.planned, { planned: formatDuration(planned) }));
  }
}

setInterval(tick, 250);
