// The hall's sound: the projector page the office chose (by default the first projector paired)
// plays the cue the snapshot names, once per key (docs/SHOW.md §10). A key is remembered in
// localStorage, so a reconnect, a reload or a second tab of the same projector does not play it
// again, and a new key (the next place, a replay) is never missed. Browsers allow sound only after
// a click on the page, unless started with --autoplay-policy=no-user-gesture-required: the page
// asks for that one click and shows whether sound is armed.
import { currentPlace, runSeconds } from "./timing.js";

const PLAYED_KEY = "conference-sound-played";
const STOP_KEY = "conference-sound-stop";
const PLAY_WITHIN_S = 30; // a cue that started longer ago than this (a projector turned on late) stays silent
const OVERTIME_WITHIN_S = 10;
const REPORT_EVERY_MS = 5000;
const READY_SHOWN_MS = 6000; // "sound ready" shows this long once armed, for whoever set the projector up

export function hallSound({ deviceId, clock, socket, banner, ready, audio }) {
  const root = document.documentElement;
  let snapshot = null;
  let playing = null; // the cue playing now
  let armed = false;
  let leader = !navigator.locks; // one tab of this browser plays; without Web Locks, localStorage decides
  navigator.locks?.request("conference-sound-page", () => {
    leader = true;
    consider();
    return new Promise(() => {}); // held while this tab lives
  });

  // Allowed to play without a click (a kiosk started with the autoplay flag)? An AudioContext
  // starts "running" only where the browser already allows sound.
  try {
    const context = new AudioContext();
    armed = context.state === "running";
    banner?.addEventListener("click", () => {
      context.resume();
      arm();
    });
  } catch {
    banner?.addEventListener("click", arm);
  }

  function arm() {
    armed = true;
    consider();
  }

  const played = () => {
    try {
      return JSON.parse(localStorage.getItem(PLAYED_KEY) ?? "[]");
    } catch {
      return [];
    }
  };
  const remember = (key) => localStorage.setItem(PLAYED_KEY, JSON.stringify([...played(), key].slice(-50)));
  const isSoundPage = () => deviceId != null && snapshot?.stage?.sound_device_id === deviceId;

  function play(cue, offsetSeconds) {
    remember(cue.key);
    playing = cue;
    audio.src = cue.url;
    audio.volume = Math.min(1, Math.max(0, cue.volume / 100));
    if (offsetSeconds > 1) {  // a page that joins late (within PLAY_WITHIN_S) plays from where the hall is
      audio.addEventListener("loadedmetadata", () => { audio.currentTime = offsetSeconds; }, { once: true });
    }
    audio.play().catch(() => { playing = null; show(); });
    show();
  }

  function silence() {
    audio.pause();
    playing = null;
    show();
  }

  // A new snapshot, or sound just armed: play the cue it names if not played yet.
  function consider() {
    show();
    if (!snapshot || !isSoundPage() || !armed || !leader) return;
    const cue = snapshot.stage?.cue;
    if (!cue || played().includes(cue.key)) return;
    const since = cue.since ? (clock.now() - Date.parse(cue.since)) / 1000 : 0;
    if (since > PLAY_WITHIN_S) {
      remember(cue.key); // started long before this page could play it: not from the middle now
      return;
    }
    play(cue, since);
  }

  // The speaker's time running out: the chime, once per run of the place.
  function tick() {
    const cue = snapshot?.stage?.overtime_cue;
    if (!cue || !isSoundPage() || !armed || !leader || played().includes(cue.key)) return;
    const place = currentPlace(snapshot);
    const node = place ? place.step ?? place.item : null;
    const planned = node?.planned_minutes ? node.planned_minutes * 60 : null;
    const over = planned ? runSeconds(node, clock.now()) - planned : null;
    if (over != null && over >= 0 && over < OVERTIME_WITHIN_S) play(cue, 0);
  }

  function update(state) {
    const stop = state.stage?.stop ?? 0;
    const seen = Number(localStorage.getItem(STOP_KEY) ?? stop);
    if (stop > seen && playing) silence(); // the MC pressed stop
    localStorage.setItem(STOP_KEY, String(stop));
    snapshot = state;
    if (!isSoundPage() && playing) silence();
    consider();
  }

  function status() {
    return { armed, playing: playing && !audio.paused && !audio.ended ? playing.name : null,
             key: playing?.key ?? null };
  }

  // What the page shows of its sound, and what it tells the MC consoles: on a change only (a burst
  // of check-ins brings many snapshots), and every few seconds so that a console that connects hears it.
  let told = "";
  let readyShown = false;
  function show(again = false) {
    const mine = isSoundPage();
    const now = status();
    root.dataset.soundPage = String(mine);
    root.dataset.soundArmed = String(armed);
    root.dataset.soundPlaying = now.playing ? now.key : "";
    if (banner) banner.hidden = !mine || armed || !snapshot?.stage?.cues;
    if (ready && mine && armed && !readyShown) {
      readyShown = true;
      ready.hidden = false;
      setTimeout(() => { ready.hidden = true; }, READY_SHOWN_MS);
    }
    const said = JSON.stringify(now);
    if (mine && socket.connected && (again || said !== told)) {
      socket.emit("sound", now);
      told = said;
    }
  }

  for (const event of ["ended", "playing", "pause"]) audio.addEventListener(event, () => show());
  setInterval(tick, 500);
  setInterval(() => show(true), REPORT_EVERY_MS);
  document.addEventListener("keydown", arm, { once: true });
  return { update, audio };
}
