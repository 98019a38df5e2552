// The MC console's speakers card (conference/speakers/): who speaks now, with the end of their turn,
// and the delegates who asked to speak from their phones, in the order asked, each with their turns
// earlier today; "call" gives one the floor (the turn running ends), "dismiss" takes one off.
// Names and subjects are the delegates' own words: textContent only.
import { el, setText } from "./live.js";
import { template } from "./timing.js";

const $ = (id) => document.getElementById(id);

export function speakersPanel({ t, command, timeOfDay }) {
  const clock = (iso) => (iso ? timeOfDay(Date.parse(iso)) : "");
  let shownKey = "";

  function button(label, className, action) {
    const node = el("button", className, label);
    node.type = "button";
    node.addEventListener("click", (event) => {
      event.currentTarget.blur(); // Space stays the clicker's
      action();
    });
    return node;
  }

  function who(person) {
    return person.unit ? `${person.called} — ${person.unit}` : person.called;
  }

  function renderNow(speaking) {
    const box = $("speakers-now");
    box.hidden = !speaking;
    box.dataset.request = speaking ? String(speaking.id) : "";
    if (!speaking) return;
    setText($("speakers-now-name"), who(speaking));
    setText($("speakers-now-subject"), speaking.subject ?? "");
    setText($("speakers-now-since"), template(t.speaker_since, { time: clock(speaking.started_at) }));
  }

  function row(person, index) {
    const item = el("li", "speaker-request");
    item.dataset.request = String(person.id);
    item.append(el("strong", "speaker-name", `${index + 1}. ${who(person)}`));
    if (person.subject) item.append(el("span", "speaker-subject", person.subject));
    item.append(el("span", "hint", template(t.speaker_asked, { time: clock(person.asked_at) })));
    const earlier = person.earlier.map((turn) => `${clock(turn.started_at)}–${clock(turn.ended_at)}`);
    item.append(el("span", "hint speaker-earlier", earlier.length
      ? template(t.speaker_earlier, { count: earlier.length, times: earlier.join(", ") }) : t.speaker_first));
    const actions = el("div", "message-buttons");
    actions.append(button(t.speaker_call, "primary speaker-call", () => command(`/api/speakers/${person.id}/call`, {})),
      button(t.speaker_dismiss, "speaker-dismiss", () => command(`/api/speakers/${person.id}/dismiss`, {})));
    item.append(actions);
    return item;
  }

  $("speakers-end").addEventListener("click", (event) => {
    event.currentTarget.blur();
    const id = $("speakers-now").dataset.request;
    if (id) command(`/api/speakers/${id}/end`, {});
  });

  function render(snapshot) {
    const speakers = snapshot.speakers ?? { open: false, speaking: null, queue: [] };
    const key = JSON.stringify(speakers);
    if (key === shownKey) return; // the buttons keep their focus and hover while nothing changed
    shownKey = key;
    renderNow(speakers.speaking);
    $("speakers-queue").replaceChildren(...speakers.queue.map(row));
    setText($("speakers-empty"), speakers.queue.length ? "" : (speakers.open ? t.speakers_none : t.speakers_closed));
  }

  return { render };
}
