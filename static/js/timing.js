// The run-of-show as the screens derive it: the places of the program, timers computed from the
// stored runs and a clock corrected to the server's, the projected end of the day, and a
// live connection that notices when it has gone quiet. Nothing is counted down in memory.
import { connectLive } from "./live.js";

// ---- The server's clock -------------------------------------------------------------------

// Local clock + offset. A sample of a question we asked ("sync") knows its round trip: the
// server read its clock somewhere in between, so the midpoint is the estimate and the shortest
// round trip the most trustworthy sample (as NTP does). A pushed snapshot only says the server
// read its clock a little before it arrived; it counts as a poor sample (one second of doubt).
export class ServerClock {
  constructor() {
    this.offset = 0;
    this.samples = [];
  }

  sample(serverIso, sentAt, receivedAt) {
    const server = Date.parse(serverIso);
    if (Number.isNaN(server)) return;
    const pushed = sentAt == null;
    this.samples.push({ offset: server - (pushed ? receivedAt : (sentAt + receivedAt) / 2),
                        spread: pushed ? 1000 : receivedAt - sentAt });
    this.samples = this.samples.slice(-8);
    this.offset = this.samples.reduce((best, s) => (s.spread < best.spread ? s : best)).offset;
  }

  now() {
    return Date.now() + this.offset;
  }
}

// ---- The live connection ------------------------------------------------------------------

const WATCH_EVERY_MS = 10000;
const ANSWER_WITHIN_MS = 5000;

// connectLive (full snapshot on every connect, reconnection with backoff and jitter), plus a
// watchdog: every few seconds the page asks for the snapshot ("sync"). The answer corrects the
// clock and catches up anything missed; no answer means a half-open connection (Wi-Fi gone
// without a goodbye), so the page says so and reconnects instead of showing a frozen state.
export function followLive(onSnapshot, indicator) {
  const clock = new ServerClock();
  let version = -1;
  let conferenceId = null;
  const accept = (snapshot, sentAt, receivedAt) => {
    if (!snapshot || typeof snapshot.version !== "number") return;
    clock.sample(snapshot.server_time, sentAt, receivedAt);
    // The office activated another conference: its versions count on their own.
    if (conferenceId !== null && snapshot.conference?.id !== conferenceId) version = -1;
    conferenceId = snapshot.conference?.id ?? null;
    if (snapshot.version <= version) return; // already shown, or older than what is shown
    version = snapshot.version;
    onSnapshot(snapshot);
  };
  const socket = connectLive((snapshot) => accept(snapshot, null, Date.now()), indicator);
  const sync = () => {
    if (!socket.connected) return;
    const sentAt = Date.now();
    socket.timeout(ANSWER_WITHIN_MS).emit("sync", null, (error, snapshot) => {
      if (error) {
        // Disconnected meanwhile: socket.io reconnects by itself. Forcing a reconnect here, from
        // inside its own close, would leave its manager believing it is reconnecting, for good.
        if (!socket.connected) return;
        if (indicator) indicator.dataset.state = "offline";
        socket.disconnect().connect(); // connected but silent: start afresh
        return;
      }
      accept(snapshot, sentAt, Date.now());
    });
  };
  socket.on("connect", () => {
    version = -1; // after a restart the server's word wins, whatever its version
    setTimeout(sync, 300);
  });
  setInterval(sync, WATCH_EVERY_MS);
  return {
    clock,
    socket,
    // The answer to one of our own API calls is a snapshot too, and usually the newest one.
    offer: (snapshot, sentAt, receivedAt) => accept(snapshot, sentAt, receivedAt),
  };
}

// ---- Places of the program ----------------------------------------------------------------

// Every place the show can be, in order: an item, then each of its steps (as the server has it).
export function places(snapshot) {
  const list = [];
  for (const item of snapshot.agenda) {
    list.push({ item, step: null });
    for (const step of item.steps ?? []) list.push({ item, step });
  }
  return list;
}

export function currentPlace(snapshot) {
  const item = snapshot.agenda.find((entry) => entry.position === snapshot.current);
  if (!item) return null;
  const step = (item.steps ?? []).find((entry) => entry.position === snapshot.current_step) ?? null;
  return { item, step };
}

export function nextPlace(snapshot) {
  const all = places(snapshot);
  if (snapshot.current == null) return snapshot.finished ? null : all[0] ?? null;
  const index = all.findIndex((p) => p.item.position === snapshot.current
    && (p.step?.position ?? null) === (snapshot.current_step ?? null));
  return index >= 0 ? all[index + 1] ?? null : null;
}

// A tham luận step is often titled "Tham luận: …"; under a label that already says "Tham luận 2/4"
// the rest is enough.
export function bareStepTitle(item, step) {
  return item.kind === "talks" ? step.title.replace(/^\s*Tham luận\s*[:–-]\s*/i, "") : step.title;
}

export function plannedRow(snapshot, item, step = null) {
  const row = snapshot.timing?.items?.find((entry) => entry.position === item.position);
  if (!row || !step) return row ?? null;
  return row.steps.find((entry) => entry.position === step.position) ?? null;
}

// ---- Timers -------------------------------------------------------------------------------

export function secondsSince(iso, now) {
  return iso ? Math.max(0, Math.floor((now - Date.parse(iso)) / 1000)) : null;
}

// How long an item or step has run (docs/SHOW.md §7): its earlier, closed runs plus its open run
// so far. One back for a second run after a go-to back does not count the items that ran in
// between; with one run this is the time since its start. null before it has ever started.
export function runSeconds(node, now) {
  if (!node?.started_at) return null;
  return node.closed_run_seconds + (secondsSince(node.open_run_started_at, now) ?? 0);
}

// "normal", then "warning" for the last fifth of the planned time (at least one minute, at most
// five), then "overrun" once the planned time is spent. Without a planned time: "normal".
export function phase(elapsed, plannedSeconds) {
  if (elapsed == null || !plannedSeconds) return "normal";
  if (elapsed > plannedSeconds) return "overrun";
  const warning = Math.min(300, Math.max(60, plannedSeconds / 5));
  return plannedSeconds - elapsed <= warning ? "warning" : "normal";
}

// The rule of conference/services/timing.py, with the corrected local clock:
// projected end = max(pending_from, now) + pending_seconds; offset = projected end - baseline end.
export function projection(timing, now) {
  if (!timing) return null;
  let end;
  if (timing.finished) {
    end = Date.parse(timing.projected_end);
  } else {
    const from = timing.pending_from ? Date.parse(timing.pending_from) : now;
    end = Math.max(from, now) + timing.pending_seconds * 1000;
  }
  const baseline = timing.baseline_end ? Date.parse(timing.baseline_end) : null;
  return { end, offset: baseline == null ? null : Math.round((end - baseline) / 1000) };
}

// "4:05", "12:30", "1:02:05"; negative durations keep their sign.
export function formatDuration(seconds) {
  const sign = seconds < 0 ? "−" : "";
  const total = Math.abs(Math.trunc(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${sign}${h}:${String(m).padStart(2, "0")}:${s}` : `${sign}${m}:${s}`;
}

// Times of day in the conference's time zone, whatever the device's own setting.
export function clockFormat(timeZone, withSeconds = false) {
  const options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone };
  if (withSeconds) options.second = "2-digit";
  let format;
  try {
    format = new Intl.DateTimeFormat("vi-VN", options);
  } catch {
    delete options.timeZone; // an unknown zone: the device's own
    format = new Intl.DateTimeFormat("vi-VN", options);
  }
  return (value) => (value == null || Number.isNaN(value) ? "" : format.format(new Date(value)));
}

// Fill {name} placeholders of a translated string.
export function template(text, values) {
  return (text ?? "").replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key] ?? "") : match));
}

// The page's translated strings and settings, from its JSON data block.
export function pageConfig(id) {
  const node = document.getElementById(id);
  try {
    return JSON.parse(node?.textContent ?? "{}");
  } catch {
    return {};
  }
}
