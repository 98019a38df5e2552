// The projector's vote screen (docs/VOTES.md): the open question with "x/y đã biểu quyết", then,
// once closed, each choice's count and share of those present and the outcome. The snapshot
// carries figures only, never who voted what. All text goes through textContent.
import { el } from "./live.js";
import { template } from "./timing.js";

// Shown while a vote is open, and its result while the show stays on the item it was taken on.
export function showsVote(snapshot) {
  const vote = snapshot.vote;
  if (!vote || snapshot.screen !== "live") return false;
  return vote.state === "open" || (vote.item != null && vote.item === snapshot.current);
}

export function renderVoteStage(root, snapshot, t) {
  const vote = snapshot.vote;
  root.dataset.state = vote.state;
  // The results' rows share the height; a tie's line below them takes about two rows' room.
  const tieRows = vote.state === "closed" && vote.outcome?.tied?.length ? 2 : 0;
  root.style.setProperty("--rows", String(Math.max(vote.choices.length + tieRows, 3)));
  const nodes = [el("div", "vote-kicker", vote.election ? t.vote_election : t.vote_question),
    el("h2", "vote-title", vote.question)];
  if (vote.state === "open") {
    const line = vote.method === "hands" ? t.vote_hands : vote.method === "paper" ? t.vote_paper
      : template(t.vote_progress, { cast: vote.cast, present: vote.present });
    const progress = el("div", "vote-progress", line);
    progress.id = "vote-progress";
    nodes.push(progress);
  } else {
    nodes.push(results(vote, t), outcome(vote, t));
    if (vote.outcome?.tied?.length) nodes.push(tiedLine(vote, t));
  }
  root.replaceChildren(...nodes);
}

function results(vote, t) {
  const list = el("ol", "vote-results");
  list.id = "vote-results";
  for (const choice of vote.choices) {
    const row = el("li", "vote-row");
    const share = vote.percentages?.[choice];
    row.append(el("span", "vote-choice", choice),
      el("span", "vote-count", `${vote.counts[choice]}/${vote.present}`),
      el("span", "vote-share", share == null ? "" : `${String(share).replace(".", ",")}%`));
    list.append(row);
  }
  return list;
}

function outcome(vote, t) {
  const result = vote.outcome ?? {};
  let line;
  if (vote.election) {
    line = result.elected?.length ? template(t.vote_elected, { names: result.elected.join(", ") })
      : (result.tied?.length ? "" : t.vote_none_elected);
  } else {
    line = result.passed ? t.vote_passed : (result.adopted ? template(t.vote_adopted, { choice: result.adopted })
      : t.vote_not_passed);
  }
  const node = el("div", "vote-outcome", line);
  node.id = "vote-outcome";
  return node;
}

// An election's last place tied: those candidates are not elected; a further round among them is needed.
function tiedLine(vote, t) {
  const node = el("div", "vote-tied",
    template(t.vote_tied, { names: vote.outcome.tied.join(", "), places: vote.outcome.tied_places }));
  node.id = "vote-tied";
  return node;
}
