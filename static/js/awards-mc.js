// The MC's awards panel. Contract with mc.js: renderAwardPanel(root, snapshot, api) fills root
// with the decision to read and the batch to call (presence from check-in) while item 5 runs.
import { el } from "./live.js";

export function renderAwardPanel(root, snapshot) {
  const award = snapshot.award;
  root.replaceChildren();
  if (!award || award.finished) return;
  root.append(el("h2", "", `${award.index + 1}/${award.total} · ${award.form}`));
  const list = el("ul", "award-batch");
  for (const honouree of award.honourees) {
    list.append(el("li", honouree.present === false ? "absent" : "present", honouree.name));
  }
  root.append(list);
}
