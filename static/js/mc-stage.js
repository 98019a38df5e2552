// The MC console's stage card: the message to the speaker at the lectern, the stream overlay on or
// off (key O), the cue of the current place and what the hall's sound page plays, stop (S) and
// replay (R). Keys are ignored while typing, as the console's other letter keys are.
import { setText } from "./live.js";
import { template } from "./timing.js";

const $ = (id) => document.getElementById(id);
const QUIET_AFTER_MS = 12000; // the sound page reports every 5 s: silence this long means it is gone

export function stagePanel({ t, command, current }) {
  let heard = null;
  let heardAt = 0;

  $("lectern-form").addEventListener("submit", (event) => {
    event.preventDefault();
    command("/api/stage/lectern", { message: $("lectern-input").value }).then(() => $("lectern-input").blur());
  });
  $("lectern-clear").addEventListener("click", (event) => {
    event.currentTarget.blur();
    $("lectern-input").value = "";
    command("/api/stage/lectern", { message: null });
  });
  const toggleOverlay = () => current() && command("/api/stage/overlay", { hidden: !current().stage?.overlay_hidden });
  const stop = () => command("/api/stage/cue/stop", {});
  const replay = () => command("/api/stage/cue/replay", {});
  for (const [id, action] of [["overlay-toggle", toggleOverlay], ["cue-stop", stop], ["cue-replay", replay]]) {
    $(id).addEventListener("click", (event) => {
      event.currentTarget.blur();
      action();
    });
  }
  const keys = { o: toggleOverlay, s: stop, r: replay };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || event.repeat) return;
    if (event.target.closest?.("input, textarea, select, [contenteditable]")) return;
    const action = keys[event.key.toLowerCase()];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  function render(snapshot) {
    const stage = snapshot.stage ?? {};
    setText($("lectern-current"), stage.lectern_message
      ? template(t.lectern_current, { message: stage.lectern_message }) : t.lectern_none);
    const toggle = $("overlay-toggle");
    toggle.setAttribute("aria-pressed", String(!stage.overlay_hidden));
    toggle.dataset.state = stage.overlay_hidden ? "hidden" : "shown";
    toggle.title = stage.overlay_hidden ? t.overlay_hidden : t.overlay_shown;
    setText($("cue-current"), stage.cue ? template(t.cue_current, { name: stage.cue.name, volume: stage.cue.volume })
      : t.cue_none);
    showSound();
  }

  // What the sound page said last ("sound" event), while it keeps saying it.
  function hear(status) {
    heard = status;
    heardAt = Date.now();
    showSound();
  }

  function showSound() {
    const box = $("sound-status");
    const fresh = heard && Date.now() - heardAt < QUIET_AFTER_MS;
    let text = t.sound_unknown;
    if (fresh && heard.playing) text = template(t.sound_playing, { name: heard.playing });
    else if (fresh) text = heard.armed ? t.sound_armed : t.sound_not_armed;
    box.dataset.state = !fresh ? "unknown" : heard.playing ? "playing" : heard.armed ? "armed" : "not-armed";
    setText(box, text);
  }
  setInterval(showSound, 2000);

  return { render, hear };
}
