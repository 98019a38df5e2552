// Why a delegate is absent, noted at the door (checkin/quorum.py, docs/DOOR.md): có lý do or
// không lý do, with a short note. A dialog outside the results list, so the list redrawn by a
// check-in elsewhere does not wipe a note being typed. Online only: it is no scan to keep.
import { setText } from "./live.js";
import { NetworkError, request } from "./door-offline.js";

const $ = (id) => document.getElementById(id);

export function absenceDialog({ t, roster, onSaved }) {
  const dialog = $("absence-dialog");
  const form = $("absence-form");
  const message = $("absence-message");
  let delegate = null;

  function open(target) {
    delegate = target;
    setText($("absence-name"), target.full_name);
    form.elements.reason.value = target.absence_reason ?? "excused";
    form.elements.note.value = target.absence_note ?? "";
    setText(message, "");
    dialog.showModal();
  }

  async function save() {
    const body = { reason: form.elements.reason.value || null, note: form.elements.note.value };
    let answer;
    try {
      answer = await request("PUT", `/api/delegates/${delegate.id}/absence`, { body });
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error;
      setText(message, t("absence_offline"));
      return;
    }
    if (answer.status !== 200 || !answer.data?.delegate) {
      setText(message, answer.data?.error?.message ?? `HTTP ${answer.status}`);
      return;
    }
    const { absence_reason, absence_note } = answer.data.delegate;
    for (const each of [delegate, roster.find(delegate.id)]) {
      if (each) Object.assign(each, { absence_reason, absence_note });
    }
    dialog.close();
    onSaved();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
  $("absence-cancel").addEventListener("click", () => dialog.close());
  return { open };
}

// The status line of a delegate not checked in: "Chưa đến", or the reason and note noted.
export function absenceText(t, delegate) {
  const reason = { excused: t("status_excused"), unexcused: t("status_unexcused") }[delegate.absence_reason];
  if (!reason) return t("status_absent");
  return [reason, delegate.absence_note].filter(Boolean).join(" · ");
}
