// Shared by every page: the live connection, the JSON API and safe text output.

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

// Connect to the server and call onState with every snapshot, newest only.
// socket.io reconnects by itself with exponential backoff and jitter (randomizationFactor),
// and the server sends the full snapshot on every (re)connect, so a screen catches up
// without reloading the page.
export function connectLive(onState, indicator) {
  let version = -1;
  let fresh = true; // no snapshot yet on this connection
  const socket = io({
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
    randomizationFactor: 0.5,
    timeout: 5000,
  });
  const show = (state) => indicator && (indicator.dataset.state = state);
  socket.on("connect", () => {
    fresh = true;
    show("online");
  });
  socket.on("disconnect", () => show("offline"));
  socket.on("connect_error", () => show("offline"));
  let conferenceId = null;
  socket.on("state", (snapshot) => {
    // A lower version is stale: the snapshot a (re)connect is sent can arrive after the one a
    // change published meanwhile. Only the first on a new connection may go back (the
    // database was replaced while the page was away), or the first of another conference
    // (the office activated it: its versions count on their own).
    const switched = conferenceId !== null && snapshot.conference?.id !== conferenceId;
    if (snapshot.version < version && !fresh && !switched) return;
    fresh = false;
    version = snapshot.version;
    conferenceId = snapshot.conference?.id ?? null;
    onState(snapshot);
  });
  return socket;
}

// A door tablet or an MC console serves the active conference, which the office may switch while
// the page is open (office/lifecycle.py). Its header names the conference (#conference-name), and a
// switch shows a notice (templates/conference_switched.html) that stays until it is dismissed: the
// person may be looking at the hall, not the screen, when it comes, and every scan or press after it
// goes to the other conference. Answers the function to call with each snapshot's conference.
export function followConference(conferenceId) {
  let seen = conferenceId;
  const notice = document.getElementById("conference-switched");
  document.getElementById("conference-switched-dismiss").addEventListener("click", (event) => {
    notice.hidden = true;
    event.currentTarget.blur();  // the MC's Space is the clicker's again
  });
  return (conference) => {
    if (!conference) return;
    setText(document.getElementById("conference-name"), conference.title);
    if (seen != null && conference.id !== seen) {
      setText(document.getElementById("conference-switched-text"),
        notice.dataset.message.replace("{title}", () => conference.title));
      notice.hidden = false;
    }
    seen = conference.id;
  };
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.code = body?.error?.code ?? "network_error";
  }
}

// An office page works on one conference (<meta name="office-conference">, office/frame.py): its
// calls to /api and /admin name it, so they change the conference the page shows, not whichever one
// is active. An address that names one already (made by url_for) is left as it is.
const officeConference = document.querySelector('meta[name="office-conference"]')?.content;

export function officePath(path) {
  if (!officeConference || !/^\/(api|admin)(\/|$|\?)/.test(path) || /[?&]conference=/.test(path)) return path;
  return `${path}${path.includes("?") ? "&" : "?"}conference=${encodeURIComponent(officeConference)}`;
}

// Whether the page works on the active conference, the one the live snapshots are about.
export function officeConferenceIsLive() {
  const meta = document.querySelector('meta[name="office-conference"]');
  return !meta || meta.dataset.active === "1";
}

export async function api(method, path, body) {
  const response = await fetch(officePath(path), {
    method,
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return { status: response.status, data };
}

// Put text in an element: always textContent, so names full of HTML stay inert.
export function setText(element, value) {
  if (element) element.textContent = value ?? "";
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Fill the live figures of an MC script: {present}, {expected}, {absent}, {title}, ...
export function fillScript(script, snapshot) {
  const values = {
    present: snapshot.attendance.present,
    expected: snapshot.attendance.expected,
    absent: snapshot.attendance.absent,
    title: snapshot.conference.title,
    edition: midSentence(snapshot.conference.edition ?? ""), // "… An Tân, lần thứ IV": no capital mid-sentence
    period: snapshot.conference.period ?? "",
  };
  return (script ?? "").replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
}

// The same rule as the printed script's (core/textnorm.py mid_sentence): the first letter small.
function midSentence(text) {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

export function currentItem(snapshot) {
  return snapshot.agenda.find((item) => item.position === snapshot.current) ?? null;
}
