// The secretary's notes: each box is saved a moment after typing stops (the whole text each time,
// so a lost request is mended by the next), and again until the server has it.
import { api, setText } from "./live.js";
import { clockFormat, pageConfig } from "./timing.js";

const strings = JSON.parse(document.getElementById("notes-strings")?.textContent ?? "{}");
// The venue's time, as the minutes and the other office pages give it, whatever zone the computer is set to.
const clock = clockFormat(pageConfig("page-config").timezone, true);
const PAUSE_MS = 600;
const RETRY_MS = 3000;
const unsaved = new Set();

function watch(box) {
  const state = box.form.querySelector(".notes-state");
  let timer = null;
  let sent = box.value;
  const save = async () => {
    const text = box.value;
    try {
      await api("POST", box.form.action, { notes: text });
      sent = text;
      if (box.value === sent) unsaved.delete(box);
      setText(state, strings.saved.replace("{time}", clock(Date.now())));
      state.dataset.state = "saved";
    } catch (error) {
      setText(state, error.body?.error?.message ?? strings.failed);
      state.dataset.state = "failed";
      if (!error.status || error.status >= 500) timer = setTimeout(save, RETRY_MS); // refused: say why, once
    }
  };
  box.addEventListener("input", () => {
    unsaved.add(box);
    setText(state, strings.saving);
    state.dataset.state = "saving";
    clearTimeout(timer);
    timer = setTimeout(save, PAUSE_MS);
  });
  box.form.querySelector("button[type=submit]").hidden = true; // saved as typed: no button needed
}

document.querySelectorAll(".notes-form textarea").forEach(watch);
window.addEventListener("beforeunload", (event) => {
  if (unsaved.size) event.preventDefault(); // a note still on its way: ask before leaving
});
