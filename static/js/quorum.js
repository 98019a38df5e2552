// The quorum line (checkin/quorum.py), for the MC console and the office's dashboard: whether
// enough of those summoned are present under the conference's rule, or how many are needed.
import { setText } from "./live.js";

// strings: { met, short } with {needed}, {present}, {summoned} places, already translated.
export function renderQuorum(node, quorum, strings) {
  if (!node || !quorum) return;
  node.hidden = false;
  node.dataset.met = quorum.met ? "true" : "false";
  const text = quorum.met ? strings.met : strings.short;
  setText(node, (text ?? "").replace(/\{(\w+)\}/g, (match, key) => (key in quorum ? String(quorum[key]) : match)));
}
