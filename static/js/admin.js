// The office's live attendance dashboard.
// The snapshot (Socket.IO) carries the figures, which are shown at once; when its version moves,
// the details (arrivals over time, who is still missing) are fetched once, newest wins.
import { connectLive, el, officeConferenceIsLive, setText } from "./live.js";
import { renderQuorum } from "./quorum.js";

const root = document.getElementById("dashboard");
const labels = {
  present: root.dataset.labelPresent,
  expected: root.dataset.labelExpected,
  none: root.dataset.labelNone,
  everyone: root.dataset.labelEveryone,
  quorum: { met: root.dataset.labelQuorumMet, short: root.dataset.labelQuorumShort },
};
const timezone = root.dataset.timezone || "Asia/Ho_Chi_Minh";
// Clock times in the conference's time zone, written the way the page's language writes them.
const locale = document.documentElement.lang === "en" ? "en-GB" : "vi-VN";
const clock = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", timeZone: timezone });
const fineClock = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", second: "2-digit",
                                                    timeZone: timezone });
const clockOf = (seconds) => clock.format(new Date(seconds * 1000));
// Axis ticks less than a minute apart (a burst of arrivals) need the seconds to tell them apart.
const ticksOf = (u, splits, axis, space, step) =>
  splits.map((seconds) => (step < 60 ? fineClock : clock).format(new Date(seconds * 1000)));

// Search without diacritics, đ as d: the same folding the server uses.
export function fold(text) {
  return (text ?? "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().replace(/đ/g, "d");
}

function percent(part, whole) {
  return whole ? `${Math.round((1000 * part) / whole) / 10}%` : "0%";
}

function meter(part, whole) {
  const box = el("div", "meter");
  const fill = el("span");
  fill.style.width = percent(part, whole);
  box.append(fill);
  return box;
}

function showFigures(attendance) {
  setText(document.getElementById("present"), attendance.present);
  setText(document.getElementById("expected"), attendance.expected);
  setText(document.getElementById("absent"), attendance.absent);
  document.getElementById("present-bar").style.width = percent(attendance.present, attendance.expected);
  renderQuorum(document.getElementById("quorum"), attendance.quorum, labels.quorum);
  document.getElementById("groups").replaceChildren(...attendance.groups.map((group) => {
    const row = el("tr");
    row.dataset.group = group.id;
    const name = el("td");
    const swatch = el("span", "swatch");
    swatch.style.background = /^#[0-9a-f]{6}$/i.test(group.color ?? "") ? group.color : "#999";
    name.append(swatch, document.createTextNode(group.name));
    const bar = el("td", "bar-cell");
    bar.append(meter(group.present, group.expected));
    row.append(name, el("td", "num", `${group.present}/${group.expected}`), bar);
    return row;
  }));
}

// --- who is still missing ---------------------------------------------------------------
let missing = null; // null until the first details arrive: the server-rendered rows stay
const filterInput = document.getElementById("missing-filter");

function showMissing() {
  if (missing === null) return;
  const wanted = fold(filterInput.value).split(/\s+/).filter(Boolean);
  const rows = missing.filter((d) => {
    const key = fold(`${d.full_name} ${d.unit ?? ""} ${d.position ?? ""}`);
    return wanted.every((word) => key.includes(word));
  });
  setText(document.getElementById("missing-count"), missing.length);
  const body = document.getElementById("missing");
  if (!missing.length) {
    const row = el("tr");
    const cell = el("td", "hint", labels.everyone);
    cell.colSpan = 4;
    row.append(cell);
    body.replaceChildren(row);
    return;
  }
  body.replaceChildren(...rows.map((d) => {
    const row = el("tr");
    row.dataset.id = d.id;
    row.append(el("td", "", d.full_name), el("td", "", d.position ?? ""), el("td", "", d.unit ?? ""),
               el("td", "", d.group ?? ""));
    return row;
  }));
}
filterInput.addEventListener("input", showMissing);

// --- arrivals over time (uPlot, vendored) ---------------------------------------------------
const chartBox = document.getElementById("arrivals-chart");
let plot = null;

function chartData(arrivals, now) {
  if (!arrivals.length) return null;
  const xs = [arrivals[0][0] - 60];
  const ys = [0];
  for (const [time, count] of arrivals) {
    xs.push(time);
    ys.push(count);
  }
  xs.push(Math.max(now, xs[xs.length - 1]));
  ys.push(arrivals[arrivals.length - 1][1]);
  return [xs, ys];
}

function chartWidth() {
  return Math.max(320, chartBox.clientWidth - 8);
}

function showArrivals(arrivals, now) {
  const data = chartData(arrivals, now);
  if (!data) {
    chartBox.dataset.state = "empty";
    return;
  }
  chartBox.dataset.state = "drawn";
  if (plot) {
    plot.setData(data);
    return;
  }
  document.getElementById("arrivals-empty")?.remove();
  plot = new uPlot({
    width: chartWidth(),
    height: 260,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), timezone),
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(5, max + 1)] } },
    series: [
      { label: root.dataset.labelTime, value: (u, seconds) => (seconds == null ? "--" : clockOf(seconds)) },
      {
        label: labels.present,
        stroke: "#b71c1c",
        width: 2,
        fill: "rgba(183, 28, 28, 0.08)",
        paths: uPlot.paths.stepped({ align: 1 }),
        points: { show: false },
      },
    ],
    axes: [{ values: ticksOf }, { label: labels.present }],
    legend: { show: true },
  }, data, chartBox);
}

window.addEventListener("resize", () => plot && plot.setSize({ width: chartWidth(), height: 260 }));

// --- fetch the details once per version, newest wins -----------------------------------------
let fetchedVersion = -1;
let wantedVersion = -1;
let inFlight = false;

async function fetchDetails() {
  if (inFlight) return;
  inFlight = true;
  try {
    while (wantedVersion > fetchedVersion) {
      const asked = wantedVersion;
      const response = await fetch(root.dataset.detailsUrl, { credentials: "same-origin",
                                                             headers: { Accept: "application/json" } });
      if (!response.ok) break;
      const details = await response.json();
      fetchedVersion = Math.max(asked, details.version);
      showFigures(details.attendance);
      missing = details.missing;
      showMissing();
      showArrivals(details.arrivals, details.now);
      root.dataset.version = String(details.version);
    }
  } catch (error) {
    // Offline for a moment: the next snapshot (on reconnect) asks again.
  } finally {
    inFlight = false;
  }
}

// The snapshots are the active conference's: a conference being prepared shows its figures as
// the server drew them (templates/admin.html says it is not live).
if (officeConferenceIsLive()) connectLive((snapshot) => {
  setText(document.getElementById("conference-title"), snapshot.conference.title);
  showFigures(snapshot.attendance);
  if (snapshot.version !== fetchedVersion) {
    wantedVersion = snapshot.version < fetchedVersion ? snapshot.version : Math.max(wantedVersion, snapshot.version);
    if (snapshot.version < fetchedVersion) fetchedVersion = -1; // the database was replaced: start over
    fetchDetails();
  }
}, document.getElementById("connection"));
