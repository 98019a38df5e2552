// Awards and item-8 screens on the projector. Contract with display.js:
// renderAwardStage(root, snapshot) fills root and returns true when the awards or the item-8
// list should own the stage, false when the ordinary item screen should show (root untouched).
//
// Item 5 is a two-step reveal per batch: the decision and the form first, then the names of the
// batch (a collective with its representative) in a grid sized for the batch; after the last
// batch, the congratulations screen. Item 8 shows the proposed delegates and, once recorded,
// "Tán thành x/y". Everything is sized relative to the stage box (vw/vh where container units are
// missing, see awards.css) and shrunk until it fits: the hall never scrolls.
// All text goes in through textContent (el), so names are shown exactly as spelled, HTML inert.
import { translator } from "./door-text.js";
import { el } from "./live.js";
import { pageConfig } from "./timing.js";

const t = translator(pageConfig("awards-text"));  // translated in templates/display.html
const fitted = new Set();

export function renderAwardStage(root, snapshot) {
  const mode = stageMode(snapshot);
  if (!mode) return false;
  const stage = mode === "vote" ? voteStage(snapshot) : awardStage(snapshot.award);
  root.classList.add("aw-root");
  root.replaceChildren(stage);
  fitted.add(root);
  scheduleFit(root);
  return true;
}

// "award" while item 5 runs and an announcement is on; "vote" on item 8 with its list; else null.
export function stageMode(snapshot) {
  const item = (snapshot.agenda ?? []).find((entry) => entry.position === snapshot.current) ?? null;
  const hasAwardsItem = (snapshot.agenda ?? []).some((entry) => entry.kind === "awards");
  if (snapshot.award && (hasAwardsItem ? item?.kind === "awards" : true)) return "award";
  if (item?.kind === "vote" && ((snapshot.candidates ?? []).length || snapshot.vote)) return "vote";
  return null;
}

function awardStage(award) {
  if (award.finished) {
    const stage = el("div", "aw-stage aw-finished");
    stage.append(el("div", "aw-star", "★"), el("div", "aw-congrats", t("congratulations")));
    return stage;
  }
  if (!award.reveal) {
    const stage = el("div", "aw-stage aw-decision-step");
    stage.append(
      el("div", "aw-kicker", t("batch", { batch: award.index + 1, total: award.total })),
      el("div", "aw-form aw-form-large", award.form),
      el("div", "aw-decision", award.decision?.text ?? ""),
    );
    return stage;
  }
  const stage = el("div", "aw-stage aw-names-step");
  const heading = el("div", "aw-heading");
  heading.append(el("div", "aw-form", award.form),
    el("div", "aw-decision-number", t("decision_number", { number: award.decision?.number ?? "" })));
  stage.append(heading, nameGrid(award.honourees));
  return stage;
}

function nameGrid(honourees) {
  const grid = el("ol", "aw-grid");
  sizeGrid(grid, honourees.length);
  for (const honouree of honourees) {
    const card = el("li", `aw-card aw-${honouree.kind}`);
    card.dataset.honoureeId = honouree.id;
    card.append(el("span", "aw-name", honouree.name));
    const receiver = receiverLine(honouree);
    if (receiver) card.append(el("span", "aw-receiver", receiver));
    // With a crowded stage the names get the room; the unit is left to the MC's reading.
    if (honouree.unit && honouree.kind === "individual" && honourees.length <= 12) {
      card.append(el("span", "aw-unit", honouree.unit));
    }
    grid.append(card);
  }
  return grid;
}

function receiverLine(honouree) {
  if (honouree.outcome === "proxy" && honouree.received_by) return t("received_for", { name: honouree.received_by });
  if (honouree.kind !== "collective") return "";
  const who = honouree.outcome === "received" && honouree.received_by ? honouree.received_by : honouree.representative;
  return who ? t("representative", { name: who }) : "";
}

// Columns for n cards on a 16:9 screen, and a starting text size from the rows and columns;
// fit() then shrinks further if a long name still does not fit.
export function gridShape(count) {
  const table = [1, 1, 2, 3, 2, 3, 3, 4, 4, 3, 4, 4, 4];
  const cols = count < table.length ? table[count] : Math.min(8, Math.ceil(Math.sqrt(count * 1.8)));
  return { cols, rows: Math.max(1, Math.ceil(count / cols)) };
}

function sizeGrid(grid, count, shape = gridShape(count), perRow = 20) {
  const { cols, rows } = shape;
  grid.style.setProperty("--aw-cols", cols);
  grid.style.width = `${[0, 56, 80][cols] ?? 100}%`;
  grid.style.setProperty("--aw-rows", rows);
  const byWidth = Math.min(4.4, 10 / cols + 0.4);
  const byHeight = Math.min(14, perRow / rows);
  grid.style.setProperty("--aw-name",
    `min(${byWidth.toFixed(2)} * var(--aw-w), ${byHeight.toFixed(2)} * var(--aw-h))`);
}

function voteStage(snapshot) {
  const item = snapshot.agenda.find((entry) => entry.position === snapshot.current);
  const stage = el("div", "aw-stage aw-vote");
  stage.append(el("div", "aw-form aw-vote-title", item?.title ?? t("vote_title")));
  const candidates = snapshot.candidates ?? [];
  const list = el("ol", "aw-grid aw-candidates");
  const cols = candidates.length <= 6 ? 1 : candidates.length <= 14 ? 2 : 3;
  sizeGrid(list, candidates.length, { cols, rows: Math.max(1, Math.ceil(candidates.length / cols)) }, 40);
  list.style.width = cols === 1 ? "80%" : "100%";
  candidates.forEach((candidate, index) => {
    const row = el("li", "aw-candidate");
    row.append(el("span", "aw-number", `${index + 1}.`), el("span", "aw-name", candidate.full_name));
    const detail = [candidate.title, candidate.unit].filter(Boolean).join(", ");
    if (detail) row.append(el("span", "aw-unit", detail));
    list.append(row);
  });
  stage.append(list);
  if (snapshot.vote?.agreed != null) {  // a vote with a "Tán thành" count recorded (docs/VOTES.md)
    stage.append(el("div", "aw-vote-result",
      t("vote_result", { agreed: snapshot.vote.agreed, present: snapshot.vote.present })));
  }
  return stage;
}

// Shrink-to-fit: lower --aw-fit until no card and no part of the stage overflows the screen.
function scheduleFit(root) {
  requestAnimationFrame(() => fit(root));
  document.fonts?.ready.then(() => fit(root));
}

function fit(root) {
  const stage = root.querySelector(":scope > .aw-stage");
  if (!stage || !root.isConnected || root.offsetParent === null) return;
  let scale = 1;
  stage.style.setProperty("--aw-fit", "1");
  for (let tries = 0; tries < 12 && overflows(root, stage); tries += 1) {
    scale *= 0.92;
    stage.style.setProperty("--aw-fit", scale.toFixed(3));
  }
}

function overflows(root, stage) {
  if (stage.scrollHeight > stage.clientHeight + 1 || root.scrollHeight > root.clientHeight + 1) return true;
  for (const card of stage.querySelectorAll(".aw-card, .aw-candidate")) {
    if (card.scrollHeight > card.clientHeight + 1 || card.scrollWidth > card.clientWidth + 1) return true;
  }
  return false;
}

window.addEventListener("resize", () => {
  for (const root of fitted) {
    if (root.isConnected) fit(root);
    else fitted.delete(root);
  }
});
