// Awards and item-8 screens on the projector. Contract with display.js:
// renderAwardStage(root, snapshot) fills root and returns true when the awards or the item-8
// list should own the stage, false when the ordinary item screen should show.
import { el } from "./live.js";

export function renderAwardStage(root, snapshot) {
  const award = snapshot.award;
  if (!award) return false;
  root.replaceChildren(el("div", "award-form", award.finished ? "Xin chúc mừng!" : award.form));
  if (!award.finished && award.reveal) {
    const names = el("ul", "award-names");
    for (const honouree of award.honourees) names.append(el("li", honouree.kind, honouree.name));
    root.append(names);
  } else if (!award.finished) {
    root.append(el("div", "award-decision", award.decision.text));
  }
  return true;
}
