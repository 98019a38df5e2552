// The MC console's vote card (docs/VOTES.md): open a vote (a question, phones or hands, secret,
// from the candidates), watch "x/y" of those present who have voted (the snapshot moves with each
// ballot), enter a show of hands, close, and read the result. Calls /api/votes with the console's
// CSRF header (live.js api); text goes in through textContent only.
import { api, el, setText } from "./live.js";
import { template } from "./timing.js";

const $ = (id) => document.getElementById(id);

export function votesPanel({ t }) {
  let shown = null;  // the vote last rendered
  const fail = (error) => setText($("vote-error"), error?.message ?? String(error));
  const call = (path, body) => api("POST", path, body).then(() => setText($("vote-error"), ""), fail);

  $("vote-open").addEventListener("submit", (event) => {
    event.preventDefault();
    const body = { question: $("vote-question").value, method: $("vote-method").value,
      secret: $("vote-secret").checked && $("vote-method").value !== "hands" };
    if ($("vote-candidates").checked) body.candidates = true;
    if ($("vote-candidates").checked && $("vote-max").value) body.max_choices = Number($("vote-max").value);
    call("/api/votes", body).then(() => { $("vote-question").value = ""; });
  });
  $("vote-close").addEventListener("click", (event) => {
    event.currentTarget.blur();
    if (shown) call(`/api/votes/${shown.id}/close`);
  });
  $("vote-hands").addEventListener("submit", (event) => {
    event.preventDefault();
    const counts = {};
    const inputs = [...$("vote-hands-fields").querySelectorAll("input")];
    for (const input of inputs) counts[input.dataset.choice] = Number(input.value || 0);
    if (shown.method !== "paper") {
      call(`/api/votes/${shown.id}/hands`, { counts });
      return;
    }
    // Paper ballots: the second person enters blind, so the fields are emptied after each entry.
    call(`/api/votes/${shown.id}/paper`, { counts, entry: Number($("vote-entry").value) }).then(() => {
      for (const input of inputs) input.value = "";
    });
  });

  function render(snapshot) {
    const vote = snapshot.vote;
    const open = vote?.state === "open";
    $("vote-open").hidden = open;
    $("vote-live").hidden = !vote || (!open && vote.item !== snapshot.current);
    if (!vote) return;
    const fresh = shown?.id !== vote.id;
    shown = vote;
    $("vote-card").dataset.state = vote.state;
    setText($("vote-live-question"), vote.question);
    $("vote-close").hidden = !open;
    const hands = vote.method !== "phones";  // a show of hands, or paper ballots entered twice
    $("vote-hands").hidden = !(open && hands);
    $("vote-entry").hidden = vote.method !== "paper";
    if (open && hands && fresh) handsFields(vote);
    let line = template(t.vote_cast, { cast: vote.cast, present: vote.present });
    if (!open) line = template(t.vote_closed, { present: vote.present });
    else if (vote.method === "hands") line = template(t.vote_hands_now, { present: vote.present });
    else if (vote.method === "paper") line = template(t.vote_paper_now, { entries: vote.entries });
    setText($("vote-cast"), line);
    $("vote-result").replaceChildren(...(vote.counts && !open ? vote.choices.map((choice) => el("li", "",
      `${choice}: ${vote.counts[choice]}/${vote.present} (${String(vote.percentages[choice]).replace(".", ",")}%)`)) : []));
    setText($("vote-outcome"), open ? "" : outcomeText(vote));
    setText($("vote-tied"), open ? "" : tiedText(vote));
  }

  function handsFields(vote) {
    $("vote-hands-fields").replaceChildren(...vote.choices.map((choice) => {
      const label = el("label", "", `${choice} `);
      const input = el("input");
      input.type = "number";
      input.min = "0";
      input.inputMode = "numeric";
      input.dataset.choice = choice;
      label.append(input);
      return label;
    }));
  }

  function outcomeText(vote) {
    const result = vote.outcome ?? {};
    if (vote.election) {
      if (result.elected?.length) return template(t.vote_elected, { names: result.elected.join(", ") });
      return result.tied?.length ? "" : t.vote_none_elected;
    }
    if (result.passed) return t.vote_passed;
    return result.adopted ? template(t.vote_adopted, { choice: result.adopted }) : t.vote_not_passed;
  }

  // An election's last place tied: those candidates are not elected; a further round is needed.
  function tiedText(vote) {
    const tied = vote.outcome?.tied ?? [];
    return tied.length ? template(t.vote_tied, { names: tied.join(", "), places: vote.outcome.tied_places }) : "";
  }

  return { render };
}
