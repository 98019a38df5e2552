// The door tablet: keyboard-wedge scans, search by name without diacritics, one-tap check-in.
import { api, connectLive, el, localTime, setText } from "./live.js";

const result = document.getElementById("result");
const title = document.getElementById("result-title");
const detail = document.getElementById("result-detail");
const search = document.getElementById("search");
const list = document.getElementById("results");

connectLive((snapshot) => {
  setText(document.getElementById("attendance"),
    `${snapshot.attendance.present}/${snapshot.attendance.expected}`);
}, document.getElementById("connection"));

function show(kind, heading, text) {
  result.dataset.kind = kind;
  setText(title, heading);
  setText(detail, text);
}

function describe(delegate) {
  return [delegate.position, delegate.unit, delegate.group, delegate.seat && `Ghế ${delegate.seat}`]
    .filter(Boolean).join(" · ");
}

async function checkIn(payload) {
  payload.nonce = crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random();
  try {
    const { data } = await api("POST", "/api/checkins", payload);
    if (data.result === "checked_in") show("ok", data.delegate.full_name, describe(data.delegate));
    else show("warn", `${data.delegate.full_name} — đã điểm danh lúc ${localTime(data.checked_in_at)}`,
      data.device ? `tại ${data.device}` : "");
  } catch (error) {
    show("error", error.body?.error?.message ?? "Không kết nối được máy chủ", error.code);
  }
  runSearch();
}

// A keyboard-wedge scanner types the code then Enter; only when no field has focus.
let buffer = "";
document.addEventListener("keydown", (event) => {
  const active = document.activeElement;
  if (active && (active.tagName === "INPUT" || active.tagName === "TEXTAREA")) return;
  if (event.key === "Enter") {
    if (buffer.length >= 4) checkIn({ code: buffer });
    buffer = "";
  } else if (event.key.length === 1) {
    buffer += event.key;
  }
});

async function runSearch() {
  const query = search.value.trim();
  list.replaceChildren();
  if (!query) return;
  try {
    const { data } = await api("GET", `/api/delegates?q=${encodeURIComponent(query)}`);
    for (const delegate of data.delegates.slice(0, 30)) {
      const row = el("li", delegate.checked_in_at ? "present" : "absent");
      row.append(el("span", "name", delegate.full_name), el("span", "meta", describe(delegate)));
      const button = el("button", delegate.checked_in_at ? "undo" : "primary",
        delegate.checked_in_at ? "Hoàn tác" : "Điểm danh");
      button.type = "button";
      button.addEventListener("click", () => (delegate.checked_in_at
        ? api("DELETE", `/api/checkins/${delegate.id}`).then(runSearch)
        : checkIn({ delegate_id: delegate.id })));
      row.append(button);
      list.append(row);
    }
  } catch (error) {
    show("error", error.message, "");
  }
}
search.addEventListener("input", runSearch);
