// The office page: live attendance figures.
import { connectLive, el, setText } from "./live.js";

connectLive((snapshot) => {
  setText(document.getElementById("conference-title"), snapshot.conference.title);
  setText(document.getElementById("attendance"), `${snapshot.attendance.present}/${snapshot.attendance.expected}`);
  document.getElementById("groups").replaceChildren(...snapshot.attendance.groups.map((group) => {
    const row = el("tr");
    row.append(el("td", "", group.name), el("td", "", `${group.present}/${group.expected}`));
    return row;
  }));
}, document.getElementById("connection"));
