// The projector: read-only, follows the snapshot; all text goes through textContent.
import { connectLive, currentItem, el, setText } from "./live.js";

const stage = document.getElementById("stage");

connectLive(render, document.getElementById("connection"));

function render(snapshot) {
  stage.dataset.screen = snapshot.screen;
  setText(document.getElementById("organiser"), snapshot.conference.organiser);
  setText(document.getElementById("conference-title"), snapshot.conference.title);
  setText(document.getElementById("edition"),
    [snapshot.conference.edition, snapshot.conference.period && `(${snapshot.conference.period})`].filter(Boolean).join(" "));
  const item = currentItem(snapshot);
  setText(document.getElementById("item-number"), item ? `${item.position}` : "");
  setText(document.getElementById("item-title"), item ? item.title : "");
  setText(document.getElementById("item-presenter"), item?.presenter ?? "");
  const next = snapshot.agenda.find((entry) => entry.position === (snapshot.current ?? 0) + 1);
  setText(document.getElementById("next-up"), next ? `Tiếp theo: ${next.title}` : "");
  setText(document.getElementById("attendance-figure"),
    `Đại biểu có mặt: ${snapshot.attendance.present}/${snapshot.attendance.expected}`);
  const message = document.getElementById("message");
  message.hidden = !snapshot.message;
  setText(message, snapshot.message);
  renderAward(snapshot.award);
}

function renderAward(award) {
  const box = document.getElementById("award");
  box.hidden = !award || award.finished;
  if (box.hidden) return;
  box.replaceChildren(el("div", "award-form", award.form));
  if (award.reveal) {
    const names = el("ul", "award-names");
    for (const honouree of award.honourees) names.append(el("li", honouree.kind, honouree.name));
    box.append(names);
  } else {
    box.append(el("div", "award-decision", award.decision.text));
  }
}

setInterval(() => setText(document.getElementById("clock"),
  new Date().toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" })), 1000);
