// The door tablet: camera and keyboard-wedge scans, search without diacritics, walk-ins, undo,
// and an outbox that keeps every scan on the tablet until the server has answered it.
import { connectLive, el, followConference, setText } from "./live.js";
import { clock, fold, newNonce, normaliseCode, translator } from "./door-text.js";
import { NetworkError, Outbox, Roster, Store, request } from "./door-offline.js";
import { Camera } from "./door-camera.js";
import { Feedback } from "./door-sound.js";
import { setupSearch } from "./door-search.js";

const $ = (id) => document.getElementById(id);
const config = JSON.parse($("door-config").textContent);
const t = translator(JSON.parse($("door-text").textContent));
const time = (iso) => clock(iso, config.timezone);
// The tablet's clock may be wrong (no time sync at the venue). A time it wrote down itself (a
// scan waiting to be sent) is shown moved by how far that clock is from the server's, learned
// from every snapshot and kept for a reload while offline, so it agrees with the server's times.
const SKEW_KEY = "conference-door-clock-skew";
let clockSkew = Number(localStorage.getItem(SKEW_KEY)) || 0;
const tabletTime = (iso) => (iso ? time(new Date(Date.parse(iso) + clockSkew).toISOString()) : "");

const RESULT_HOLD_MS = 10000;  // the result stays this long, then the panel invites the next scan
const CHECKING_AFTER_MS = 250;  // a quick answer replaces the panel directly, with no flash of "checking"
const RECENT = 12;

const feedback = new Feedback({ muted: localStorage.getItem("door-muted") === "1" });
const store = await Store.open(`conference-door-${config.conference_id}`);
const roster = new Roster(store);
const outbox = new Outbox(store, { onChange: renderOutbox, onAnswer: answered, onTrouble: trouble });
const recent = [];        // the last scans, newest first: {id, item, delegate, kind, ...}
let shown = null;         // the recent entry on the result panel
let socketUp = false;
let unsteadySince = 0;    // a request failed while the socket looked up
let snapshot = null;
let conferenceSeen = config.conference_id;
const showConference = followConference(config.conference_id);

// ---------------------------------------------------------------------------------------------
// Connection state and the outbox counter.

function isOnline() {
  return socketUp && navigator.onLine !== false && !unsteadySince;
}

function renderConnection() {
  const node = $("connection");
  const state = !socketUp ? (snapshot ? "offline" : "connecting") : (unsteadySince ? "unsteady" : "online");
  node.dataset.state = state === "unsteady" ? "offline" : state;
  setText(node, t(state));
}

function renderOutbox() {
  roster.setWaiting(outbox.items);  // walk-ins in the outbox are searched like the roster
  $("outbox").dataset.count = String(outbox.size);
  setText($("outbox-count"), String(outbox.size));
  search.refresh();
}

function trouble(kind, answer) {
  if (kind === "network") {
    unsteadySince ||= Date.now();
  } else if (answer?.status === 401 || answer?.status === 403) {
    showBanner(t("unpaired"));
  }
  renderConnection();
}

function recovered() {
  if (unsteadySince) { unsteadySince = 0; renderConnection(); }
}

function showBanner(text) {
  const banner = $("banner");
  banner.hidden = !text;
  setText(banner, text);
}

// ---------------------------------------------------------------------------------------------
// The result panel: big, coloured, with a sound and a vibration for each outcome.

function describe(delegate) {
  return [delegate?.position, delegate?.unit].filter(Boolean).join(" · ");
}

function meta(delegate) {
  return [delegate?.group, delegate?.seat && t("seat", { seat: delegate.seat })].filter(Boolean).join(" · ");
}

function display(entry, { sound = true } = {}) {
  const panel = $("result");
  shown = entry;
  panel.dataset.kind = entry.kind;
  panel.dataset.seq = String(Number(panel.dataset.seq) + 1);
  panel.dataset.pending = waitsOnTablet(entry) ? "true" : "false";
  setText($("result-kicker"), entry.kicker);
  setText($("result-title"), entry.title);
  setText($("result-detail"), entry.detail ?? "");
  setText($("result-meta"), entry.meta ?? "");
  setText($("result-note"), entry.note ?? "");
  $("result-undo").hidden = !(entry.kind === "ok" && entry.delegate?.id);
  // A delegate back at the door (already checked in) may be there for their page on a new phone.
  $("result-phone").hidden = !(entry.kind === "warn" && entry.delegate?.id && !entry.pending);
  document.body.dataset.result = entry.kind;
  if (sound) feedback.play(entry.kind);
  performance.mark("door-result", { detail: { kind: entry.kind, pending: Boolean(entry.pending) } });
  clearTimeout(display.timer);
  display.timer = setTimeout(idle, RESULT_HOLD_MS);
  renderRecent();
}

function idle() {
  const panel = $("result");
  shown = null;
  panel.dataset.kind = "idle";
  panel.dataset.pending = "false";
  document.body.dataset.result = "idle";
  setText($("result-kicker"), t("ready_kicker"));
  setText($("result-title"), t("ready"));
  for (const id of ["result-detail", "result-meta"]) setText($(id), "");
  setText($("result-note"), feedback.locked ? t("tap_for_sound") : "");
  $("result-undo").hidden = true;
  $("result-phone").hidden = true;
}

// What the server said, as the door shows it.
function fromAnswer(entry, { status, data }) {
  entry.pending = false;
  const delegate = data?.delegate ?? data?.error?.delegate ?? entry.delegate;
  entry.delegate = delegate ?? null;
  if (status === 201 || data?.result === "checked_in") {
    const kicker = entry.item?.kind === "walkin" ? t("walkin_kicker") : t("ok_kicker");
    Object.assign(entry, { kind: "ok", kicker, title: delegate.full_name });
  } else if (data?.result === "undone") {
    // A scan sent again after its check-in was undone (its answer was lost, then someone undid it):
    // the delegate is not here, and the scan is done with.
    Object.assign(entry, { kind: "info", kicker: t("undone_kicker"), title: delegate.full_name });
  } else if (data?.result === "already_checked_in") {
    const when = time(data.checked_in_at);
    const kicker = data.device ? t("already", { time: when, door: data.device }) : t("already_here", { time: when });
    Object.assign(entry, { kind: "warn", kicker, title: delegate.full_name });
  } else {
    const code = data?.error?.code ?? "error";
    const reason = t(`reason_${code}`) === `reason_${code}` ? (data?.error?.message ?? code) : t(`reason_${code}`);
    const holder = code === "revoked_code" && delegate ? t("revoked_holder", { name: delegate.full_name }) : "";
    Object.assign(entry, { kind: "error", kicker: t("refused_kicker"), title: reason });
    entry.detail = holder || entry.code || (entry.item?.kind === "walkin" ? entry.delegate?.full_name : "") || "";
    entry.meta = "";
    entry.note = data?.error?.message && holder ? data.error.message : "";
    return entry;
  }
  entry.detail = describe(delegate);
  entry.meta = meta(delegate);
  entry.note = entry.late ? t("note_sent_later", { time: tabletTime(entry.item.scanned_at) }) : "";
  return entry;
}

// A scan with no final answer yet is either being asked of the server ("checking") or waiting on
// the tablet (shown striped, listed as waiting).
function waitsOnTablet(entry) {
  return entry.pending && entry.kind !== "checking";
}

// While the server is asked: neutral, no colour or sound, the name if the tablet knows it.
function checking(entry) {
  const name = entry.delegate?.full_name ?? entry.item?.fields?.full_name ?? "";
  return Object.assign(entry, { kind: "checking", kicker: t("checking"), title: name || entry.code || "",
    detail: "", meta: "", note: "" });
}

// What the tablet knows when the server cannot be asked: the name at once, marked as waiting.
function fromRoster(entry) {
  const delegate = entry.delegate;
  entry.pending = true;
  if (!delegate) {
    return Object.assign(entry, { kind: "error", kicker: t("refused_kicker"), title: t("reason_unknown_local"),
      detail: entry.code, meta: "", note: t("note_unknown_local") });
  }
  const present = roster.presence.get(delegate.id);
  const earlier = outbox.items.find((item) => item.seq < entry.item.seq && itemDelegate(item)?.id === delegate.id);
  let kind = "ok";
  let kicker = entry.item?.kind === "walkin" ? t("walkin_local_kicker") : t("ok_local_kicker");
  if (present) {
    kind = "warn";
    kicker = present.device ? t("already", { time: time(present.at), door: present.device })
      : t("already_here", { time: time(present.at) });
  } else if (earlier) {
    kind = "warn";
    kicker = t("already_waiting", { time: tabletTime(earlier.scanned_at) });
  }
  return Object.assign(entry, { kind, kicker, title: delegate.full_name, detail: describe(delegate),
    meta: meta(delegate), note: t("note_waiting") });
}

function itemDelegate(item) {
  if (item.kind === "walkin") return roster.waiting.get(item.nonce) ?? null;
  return item.delegate_id != null ? roster.delegates.get(item.delegate_id) : roster.byCode.get(item.code) ?? null;
}

// ---------------------------------------------------------------------------------------------
// A scan, from the camera, a wedge scanner or a tap in the search results.

let entryIds = 0;

async function scan({ code = null, delegate = null, source }) {
  if (code !== null) {
    const normal = normaliseCode(code);
    if (!normal) {
      display(remember({ kind: "error", kicker: t("refused_kicker"), title: t("reason_invalid_code"),
        detail: code.slice(0, 40), source }));
      return;
    }
    code = normal;
    delegate = roster.byCode.get(code) ?? null;
  }
  const item = await outbox.add({ nonce: newNonce(), code: code ?? undefined, delegate_id: code ? undefined : delegate.id,
    scanned_at: new Date().toISOString(), source, conference: conferenceSeen });
  if (!store.persistent) showBanner(t("no_storage"));
  const entry = remember({ item, code, delegate, source, pending: true, kind: "pending" });
  await awaitAnswer(entry, outbox.answerFor(item.seq));
}

// A walk-in is written to the outbox like a scan, so it is added once and can wait offline.
// Answers the server's answer if it comes quickly, else null (the person waits on the tablet).
async function addWalkIn(fields) {
  const item = await outbox.add({ kind: "walkin", nonce: newNonce(), fields, scanned_at: new Date().toISOString(),
    source: "walkin", conference: conferenceSeen });
  if (!store.persistent) showBanner(t("no_storage"));
  const entry = remember({ item, code: null, delegate: itemDelegate(item), source: "walkin", pending: true,
    kind: "pending" });
  return awaitAnswer(entry, outbox.answerFor(item.seq));
}

// Send the outbox and show the answer for ENTRY. Online, the door waits for the server: what the
// tablet alone would say (its roster may be stale, or still loading when the server is busy) must
// not show first and then turn into another answer. After a moment it shows a neutral "checking",
// and what the tablet knows, striped as waiting, only once this delivery has failed (the request
// erred or timed out, or the server cannot take it now). Offline, that shows at once.
// Answers the server's answer, or null if the item waits on the tablet.
async function awaitAnswer(entry, answer) {
  const delivery = outbox.flush();  // false: it stopped at an item it could not deliver
  let got = null;
  if (isOnline()) {
    got = await Promise.race([answer, wait(CHECKING_AFTER_MS)]);
    if (!got && entry.pending) display(checking(entry), { sound: false });
    // Delivered, the item's answer has settled first; not delivered, it never settles now.
    got ??= await Promise.race([answer, delivery.then(() => null)]);
  }
  if (!got && entry.pending) display(fromRoster(entry));
  return got;
}

function wait(ms) {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms));
}

function remember(entry) {
  entry.id = ++entryIds;
  recent.unshift(entry);
  recent.length = Math.min(recent.length, RECENT);
  return entry;
}

const deliveredWalkIns = new Map();  // nonce -> the id the server gave the walk-in

// The server answered a scan or walk-in from the outbox (now, or after the connection came back).
function answered(item, answer) {
  recovered();
  roster.learn(answer.data);
  roster.setWaiting(outbox.items);  // the walk-in is now in the roster, with its badge code
  if (item.kind === "walkin" && answer.data?.delegate?.id) {
    deliveredWalkIns.set(item.nonce, answer.data.delegate.id);
    scheduleSync(true);
  }
  let entry = recent.find((candidate) => candidate.item?.seq === item.seq);
  if (!entry) {
    entry = remember({ item, code: item.code ?? null, delegate: itemDelegate(item), source: item.source });
  }
  const wasShown = entry === shown;
  const before = entry.kind;
  entry.late = Date.now() - Date.parse(item.scanned_at) > 5000;
  fromAnswer(entry, answer);
  if (wasShown || before === "pending") display(entry, { sound: !wasShown || before !== entry.kind });
  else renderRecent();
  search.refresh();
}

// ---------------------------------------------------------------------------------------------
// Undo: a scan still in the outbox is simply taken back; a delivered one needs the server.

async function undo(waitingId) {
  const known = roster.find(waitingId);  // a waiting walk-in leaves the roster when taken back
  let delegateId = waitingId;
  for (const item of outbox.items.filter((candidate) => itemDelegate(candidate)?.id === waitingId)) {
    const takenBack = await outbox.takeBack(item.seq);  // false: it reached the server, so presence knows it
    // A walk-in delivered meanwhile has its server id now: that is the check-in to undo.
    if (!takenBack && item.kind === "walkin") delegateId = deliveredWalkIns.get(item.nonce) ?? delegateId;
  }
  const delegate = roster.find(delegateId) ?? known;
  for (const entry of recent) {
    if (entry.pending && entry.delegate?.id === waitingId) {
      Object.assign(entry, { pending: false, kind: "info", kicker: t("undone_kicker") });
    }
  }
  if (!roster.presence.has(delegateId)) return undone(delegate);
  let answer;
  try {
    answer = await request("DELETE", `/api/checkins/${delegateId}`);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    trouble("network");
    display(remember({ kind: "error", kicker: t("undo_failed_kicker"), title: delegate?.full_name ?? "",
      detail: t("undo_offline"), delegate }), { sound: false });
    return;
  }
  recovered();
  if (answer.status === 200 || answer.data?.error?.code === "not_checked_in") {
    if (answer.data?.delegate) roster.learn(answer.data);
    else roster.presence.delete(delegateId);
    return undone(delegate);
  }
  display(remember({ kind: "error", kicker: t("undo_failed_kicker"), title: delegate?.full_name ?? "",
    detail: answer.data?.error?.message ?? `HTTP ${answer.status}`, delegate }), { sound: false });
}

function undone(delegate) {
  display(remember({ kind: "info", kicker: t("undone_kicker"), title: delegate?.full_name ?? "",
    detail: describe(delegate), delegate }), { sound: false });
  search.refresh();
}

$("result-undo").addEventListener("click", () => {
  if (shown?.delegate?.id) undo(shown.delegate.id);
});

// A delegate whose page is held by a lost or old phone: the door frees it (the badge in hand is
// the proof), and the new phone opens the page with the badge's code.
$("result-phone").addEventListener("click", async () => {
  const delegate = shown?.delegate;
  if (!delegate?.id || !window.confirm(t("release_phone_confirm", { name: delegate.full_name }))) return;
  let answer;
  try {
    answer = await request("POST", `/api/delegates/${delegate.id}/phone/release`);
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error;
    trouble("network");
    display({ kind: "error", kicker: t("phone_release_failed"), title: delegate.full_name,
      detail: t("undo_offline"), delegate }, { sound: false });
    return;
  }
  recovered();
  const released = answer.status === 200;
  display({ kind: released ? "info" : "error", kicker: t(released ? "phone_released" : "phone_release_failed"),
    title: delegate.full_name, detail: released ? "" : answer.data?.error?.message ?? `HTTP ${answer.status}`,
    delegate }, { sound: false });
});

// ---------------------------------------------------------------------------------------------
// Recent scans and the live counter.

function renderRecent() {
  $("recent").replaceChildren(...recent.map((entry) => {
    const waiting = waitsOnTablet(entry);
    const row = el("li", `recent-${waiting ? "pending" : entry.kind}`);
    const at = tabletTime(entry.item?.scanned_at);
    row.append(el("span", "recent-time", at),
      el("span", "recent-name", entry.delegate?.full_name ?? entry.code ?? entry.title ?? ""),
      el("span", "recent-status", waiting ? t("status_waiting") : (entry.kind === "error" ? entry.title : entry.kicker) ?? ""));
    return row;
  }));
}

const COLOUR = /^#[0-9a-fA-F]{3,8}$/;

function renderAttendance() {
  if (!snapshot) return;
  const { present, expected, groups = [] } = snapshot.attendance;
  setText($("attendance"), `${present}/${expected}`);
  $("groups").replaceChildren(...groups.map((group) => {
    const row = el("li", "group");
    if (COLOUR.test(group.color ?? "")) row.style.setProperty("--group", group.color);
    const bar = el("span", "group-bar");
    const fill = el("span", "group-fill");
    fill.style.width = `${group.expected ? Math.round((100 * group.present) / group.expected) : 0}%`;
    bar.append(fill);
    row.append(el("span", "group-name", group.name), el("span", "group-figure", `${group.present}/${group.expected}`), bar);
    return row;
  }));
  walkin.groups(groups.map((group) => group.name));
}

// ---------------------------------------------------------------------------------------------
// Keeping the roster and presence current: after every new snapshot version (coalesced).

let syncing = null;
let syncAgain = false;
let rosterCheckedAt = 0;
let expectedSeen = null;

function scheduleSync(withRoster = false) {
  if (withRoster) rosterCheckedAt = 0;
  if (syncing) { syncAgain = true; return; }
  syncing = sync().finally(() => {
    syncing = null;
    if (syncAgain) { syncAgain = false; setTimeout(() => scheduleSync(), 500); }
  });
}

async function sync() {
  try {
    if (!roster.size || Date.now() - rosterCheckedAt > 15000) {
      await roster.refreshRoster();
      rosterCheckedAt = Date.now();
    }
    await roster.refreshPresence();
    recovered();
  } catch (error) {
    if (error instanceof NetworkError) trouble("network");
    return;
  }
  if (!snapshot) walkin.groups(roster.groups.map((group) => group.name));
  search.refresh();
}

function onSnapshot(state) {
  const skew = Date.parse(state.server_time) - Date.now();
  if (Number.isFinite(skew)) {
    clockSkew = skew;
    localStorage.setItem(SKEW_KEY, String(skew));
  }
  const grown = expectedSeen !== null && state.attendance.expected !== expectedSeen;
  expectedSeen = state.attendance.expected;
  // The office activated another conference: its roster and presence replace this one's at once.
  const switched = state.conference.id !== conferenceSeen;
  conferenceSeen = state.conference.id;
  showConference(state.conference);
  if (switched) { roster.presenceVersion = -1; roster.etag = null; }
  snapshot = state;
  renderAttendance();
  renderConnection();
  if (grown || switched || state.version !== roster.presenceVersion) scheduleSync(grown || switched);
}

// ---------------------------------------------------------------------------------------------
// Keyboard-wedge scanners type the code then Enter (or Tab) anywhere on the page.

let typed = "";
let typedAt = 0;

function isTextField(node) {
  if (!node || node === document.body) return false;
  if (node.isContentEditable || node.tagName === "TEXTAREA" || node.tagName === "SELECT") return true;
  return node.tagName === "INPUT"
    && !["button", "submit", "reset", "checkbox", "radio", "range", "color", "file", "image"].includes(node.type);
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  if (isTextField(event.target)) return;
  const now = performance.now();
  if (now - typedAt > 2000) typed = "";  // a fresh scan after a pause
  typedAt = now;
  if (event.key === "Enter" || (event.key === "Tab" && normaliseCode(typed))) {
    if (!typed) return;
    event.preventDefault();  // never let the scanner's Enter press a focused button
    const code = typed;
    typed = "";
    scan({ code, source: "wedge" });
  } else if (event.key.length === 1 && typed.length < 256) {
    typed += event.key;
    if (event.key === " ") event.preventDefault();
  }
});

// ---------------------------------------------------------------------------------------------
// Camera.

const camera = new Camera($("camera-video"), {
  onCode: (code) => scan({ code, source: "camera" }),
  onState: renderCamera,
});

async function renderCamera(state) {
  const box = $("scanner");
  box.dataset.state = state;
  setText($("camera-status"), t(`camera_${state}`));
  const help = ["blocked", "insecure", "unsupported", "missing", "busy", "error"].includes(state)
    ? `${t(`help_${state}`)} ${t("help_fallback")}` : "";
  $("camera-help").hidden = !help;
  setText($("camera-help"), help);
  $("camera-start").hidden = !["off", "needs-tap", "blocked", "busy", "error", "paused"].includes(state);
  $("camera-stop").hidden = state !== "running";
  $("camera-switch").hidden = state !== "running" || (await camera.cameras()).length < 2;
}

$("camera-start").addEventListener("click", () => {
  localStorage.removeItem("door-camera-off");
  feedback.unlock();
  camera.start();
});
$("camera-stop").addEventListener("click", () => {
  localStorage.setItem("door-camera-off", "1");
  camera.stop();
});
$("camera-switch").addEventListener("click", () => camera.switchCamera());

// ---------------------------------------------------------------------------------------------
// Sound switch.

function renderSound() {
  $("sound").setAttribute("aria-pressed", String(!feedback.muted));
  setText($("sound"), feedback.muted ? t("sound_off") : t("sound_on"));
}
$("sound").addEventListener("click", () => {
  feedback.muted = !feedback.muted;
  localStorage.setItem("door-muted", feedback.muted ? "1" : "0");
  renderSound();
});

// ---------------------------------------------------------------------------------------------
// Search and walk-ins live in door-search.js; they call back into the scan pipeline.

const { search, walkin } = setupSearch({
  t, time, roster, outbox, itemDelegate, describe, meta, isOnline,
  checkIn: (delegate) => scan({ delegate, source: "search" }),
  scanCode: (code) => scan({ code, source: "wedge" }),
  undo,
  addWalkIn,
});

// ---------------------------------------------------------------------------------------------
// Start: what the tablet kept, then the live connection, then the camera.

await roster.load();
await outbox.load();
for (const item of outbox.items) {
  const entry = remember({ item, code: item.code ?? null, delegate: itemDelegate(item), source: item.source });
  fromRoster(entry);
}
renderRecent();
renderSound();
idle();
renderConnection();
if (!store.persistent) showBanner(t("no_storage"));
navigator.storage?.persist?.().catch(() => {});

const socket = connectLive(onSnapshot, null);
socket.on("connect", () => {
  socketUp = true;
  unsteadySince = 0;
  renderConnection();
  outbox.flush();
  scheduleSync();
});
socket.on("disconnect", () => { socketUp = false; renderConnection(); });
socket.on("connect_error", () => { socketUp = false; renderConnection(); });
window.addEventListener("online", () => { outbox.flush(); scheduleSync(); });
window.addEventListener("offline", renderConnection);
// While scans wait, try again now and then even if the socket has not noticed the server is back.
setInterval(() => { if (outbox.size) outbox.flush(); }, 5000);
setInterval(() => { if (unsteadySince && socketUp) scheduleSync(); }, 5000);
feedback.onUnlock = () => { if (!shown) idle(); };

if ("serviceWorker" in navigator && window.isSecureContext) {
  navigator.serviceWorker.register(config.service_worker, { scope: config.scope }).catch(() => {});
}

if (localStorage.getItem("door-camera-off") === "1") renderCamera("off");
else camera.start();

// Tests and the benchmark read these; nothing else depends on them.
window.door = { outbox, roster, camera, recent, fold };
