// The vote on the delegate's phone (docs/VOTES.md): the ballot while the vote is open (one choice,
// or up to max_choices names in an election), "recorded" once cast, the result after the close.
// The programme's "vote" carries figures only; whether this delegate has voted is asked of
// GET /me/ballot (its own session), so a reloaded page does not offer the ballot again. The ballot
// goes to POST /me/ballot with the page's CSRF token. Text goes in through textContent only.

const section = document.getElementById("me-vote");
const strings = JSON.parse(section.dataset.strings);
const csrf = document.querySelector('meta[name="csrf-token"]').content;
const $ = (id) => document.getElementById(id);
const t = (key, values = {}) => String(strings[key] ?? key).replace(/\{(\w+)\}/g, (m, name) => values[name] ?? m);

let current = null;   // the vote shown
let voted = null;     // the vote id this phone has voted in
let asked = null;     // the vote id whose "voted?" was asked
let note = "";

$("vote-ballot").addEventListener("submit", async (event) => {
  event.preventDefault();
  const choices = [...$("vote-choices").querySelectorAll("input:checked")].map((input) => Number(input.value));
  if (!current || !choices.length) return;
  $("vote-send").disabled = true;
  try {
    const response = await fetch("/me/ballot", { method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ vote: current.id, choices }) });
    const body = await response.json().catch(() => null);
    if (response.ok || body?.error?.code === "already_voted") voted = current.id;
    note = response.ok ? "" : (body?.error?.message ?? t("failed"));
  } catch {
    note = t("failed");
  }
  $("vote-send").disabled = false;
  renderVote(current);
});

async function askVoted(vote) {
  asked = vote.id;
  try {
    const answer = await (await fetch("/me/ballot", { credentials: "same-origin" })).json();
    if (answer.voted && answer.vote === vote.id) voted = vote.id;
  } catch { /* offered again; the server refuses a second ballot */ }
  if (current) renderVote(current);
}

export function renderVote(vote) {
  const fresh = vote?.id !== current?.id;
  current = vote ?? null;
  section.hidden = !vote;
  if (!vote) return;
  if (fresh) {
    note = "";
    fillChoices(vote);
  }
  if (vote.state === "open" && asked !== vote.id) askVoted(vote);
  const open = vote.state === "open";
  const mine = voted === vote.id;
  section.dataset.state = open ? (mine ? "recorded" : "ballot") : "closed";
  $("vote-title").textContent = vote.election ? t("election", { n: vote.max_choices }) : t("question");
  $("vote-question").textContent = vote.question;
  $("vote-ballot").hidden = !(open && vote.method === "phones" && !mine);
  $("vote-send").textContent = t("send");
  const lines = [];
  if (mine && open) lines.push(t("recorded"));
  if (open && vote.method !== "phones") lines.push(t(vote.method));  // hands, or paper
  if (open && vote.method === "phones") lines.push(t("progress", { cast: vote.cast, present: vote.present }));
  if (open && vote.secret && !mine) lines.push(t("secret"));
  if (!open) lines.push(t("closed", { present: vote.present }));
  if (note) lines.push(note);
  $("vote-note").textContent = lines.join(" · ");
  $("vote-result").replaceChildren(...(open || !vote.counts ? [] : vote.choices.map((choice) => {
    const row = document.createElement("li");
    row.textContent = `${choice}: ${vote.counts[choice]}/${vote.present} (${String(vote.percentages[choice]).replace(".", ",")}%)`;
    return row;
  })));
  $("vote-outcome").textContent = open ? "" : outcomeText(vote);
  const tied = open ? [] : vote.outcome?.tied ?? [];
  $("vote-tied").textContent = tied.length ? t("tied", { names: tied.join(", "), places: vote.outcome.tied_places }) : "";
}

function fillChoices(vote) {
  const many = vote.election;
  $("vote-choices").replaceChildren(...vote.choices.map((choice, index) => {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = many ? "checkbox" : "radio";
    input.name = "choice";
    input.value = String(index + 1);
    input.addEventListener("change", () => {
      const ticked = $("vote-choices").querySelectorAll("input:checked").length;
      if (many && ticked > vote.max_choices) {
        input.checked = false;
        note = t("too_many", { n: vote.max_choices });
        renderVote(current);
      }
    });
    label.append(input, document.createTextNode(choice));
    return label;
  }));
}

function outcomeText(vote) {
  const result = vote.outcome ?? {};
  if (vote.election) {
    if (result.elected?.length) return t("elected", { names: result.elected.join(", ") });
    return result.tied?.length ? "" : t("none_elected");
  }
  if (result.passed) return t("passed");
  return result.adopted ? t("adopted", { choice: result.adopted }) : t("not_passed");
}
