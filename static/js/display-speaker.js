// Who speaks now (conference/speakers/): a delegate the MC called from the queue. The projector
// shows their name, unit and subject with the time of their turn; the lectern timer counts the same
// turn. The time is read from the turn's stored start and the server's clock, never counted in memory.
import { setText } from "./live.js";
import { formatDuration, template } from "./timing.js";

const $ = (id) => document.getElementById(id);

// Seconds since the speaker's turn started, or null with nobody speaking.
export function turnSeconds(speaking, now) {
  const started = speaking ? Date.parse(speaking.started_at) : NaN;
  return Number.isNaN(started) ? null : Math.max(0, (now - started) / 1000);
}

export function speakerBanner({ t }) {
  const box = $("speaker-now");
  let speaking = null;

  function render(snapshot, shown) {
    speaking = shown ? snapshot.speakers?.speaking ?? null : null;
    box.hidden = !speaking;
    box.dataset.request = speaking ? String(speaking.id) : "";
    if (!speaking) return;
    setText($("speaker-now-name"), template(t.speaking, { name: speaking.called }));
    setText($("speaker-now-unit"), speaking.unit ?? "");
    setText($("speaker-now-subject"), speaking.subject ?? "");
  }

  function tick(now) {
    const seconds = turnSeconds(speaking, now);
    setText($("speaker-now-time"), seconds == null ? "" : formatDuration(seconds));
  }

  return { render, tick };
}
