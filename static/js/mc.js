// The MC console: clicker keys, next / previous, the current item and its script.
import { api, connectLive, currentItem, el, fillScript, setText } from "./live.js";

let snapshot = null;

connectLive((state) => { snapshot = state; render(); }, document.getElementById("connection"));

function render() {
  const item = currentItem(snapshot);
  setText(document.getElementById("attendance"),
    `${snapshot.attendance.present}/${snapshot.attendance.expected}`);
  setText(document.getElementById("current-title"),
    item ? `${item.position}. ${item.title}` : (snapshot.finished ? "Đã kết thúc" : "Chưa bắt đầu"));
  setText(document.getElementById("current-presenter"), item?.presenter ?? "");
  setText(document.getElementById("script"), item ? fillScript(item.script, snapshot) : "");
  const next = snapshot.agenda.find((entry) => entry.position === (snapshot.current ?? 0) + 1);
  setText(document.getElementById("next-title"), next ? next.title : "—");
  const agenda = document.getElementById("agenda");
  agenda.replaceChildren(...snapshot.agenda.map((entry) => {
    const row = el("li", entry.position === snapshot.current ? "current" : "", entry.title);
    row.addEventListener("click", () => api("POST", "/api/show/goto", { position: entry.position }));
    return row;
  }));
}

// Clickers send PageDown/PageUp or the arrows; a short guard ignores a bounced double press.
let lastPress = 0;
function step(direction) {
  const now = Date.now();
  if (now - lastPress < 400) return;
  lastPress = now;
  api("POST", direction > 0 ? "/api/show/next" : "/api/show/previous").catch(() => {});
}
document.addEventListener("keydown", (event) => {
  if (["PageDown", "ArrowRight", " "].includes(event.key)) { event.preventDefault(); step(1); }
  if (["PageUp", "ArrowLeft"].includes(event.key)) { event.preventDefault(); step(-1); }
});
document.getElementById("next").addEventListener("click", () => step(1));
document.getElementById("previous").addEventListener("click", () => step(-1));
