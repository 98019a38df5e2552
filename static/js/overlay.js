// The stream overlay (/display/overlay): a lower third over the camera picture, on a transparent
// page. It shows while someone is on stage (the presenter of the current place, or the names of an
// awards batch once called), unless the MC has hidden it. Text only through textContent.
import { setText } from "./live.js";
import { currentPlace, followLive, pageConfig, template } from "./timing.js";

const t = pageConfig("page-config").strings ?? {};
const $ = (id) => document.getElementById(id);
const box = $("overlay");
const MAX_NAMES = 6;

followLive((snapshot) => render(snapshot), null);

function render(snapshot) {
  box.dataset.version = String(snapshot.version);
  setText($("overlay-title"), snapshot.conference?.title);
  const shown = onStage(snapshot);
  box.dataset.kind = shown?.kind ?? "none";
  box.dataset.hidden = String(Boolean(snapshot.stage?.overlay_hidden) || snapshot.screen === "blackout");
  box.dataset.shown = String(Boolean(shown) && box.dataset.hidden === "false");
  setText($("lower-third-name"), shown?.name ?? "");
  setText($("lower-third-role"), shown?.role ?? "");
}

// Who the lower third names: the batch of honourees being called, else the current speaker with
// their position and unit (from the roster), else nobody.
function onStage(snapshot) {
  const award = snapshot.award;
  const place = currentPlace(snapshot);
  if (place?.item.kind === "awards" && award?.reveal && award.honourees?.length) {
    const names = award.honourees.map((honouree) => honouree.name);
    const more = names.length > MAX_NAMES ? ` ${template(t.more, { count: names.length - MAX_NAMES })}` : "";
    return { kind: "awards", name: names.slice(0, MAX_NAMES).join(" · ") + more, role: award.form ?? t.awards };
  }
  const speaker = snapshot.stage?.speaker;
  if (!place || !speaker) return null;
  return { kind: "speaker", name: speaker.name, role: [speaker.position, speaker.unit].filter(Boolean).join(", ") };
}
