// The delegate's page (/me): the programme live, from the "programme" event (conference/me/programme.py),
// which carries only what the projector shows. Whether the batch being called is this delegate's is
// decided here, against the honouree ids the page was given (data-mine): one message for every phone.

import { renderVote } from "./me-vote.js";

const root = document.getElementById("me");
const strings = JSON.parse(root.dataset.strings);
const mine = new Set(JSON.parse(root.dataset.mine));
const documentUrl = root.dataset.documentUrl; // …/me/documents/0, the id put in place of the 0
const $ = (id) => document.getElementById(id);
const t = (key, values = {}) => String(strings[key] ?? key).replace(/\{(\w+)\}/g, (m, name) => values[name] ?? m);

function text(id, value) {
  $(id).textContent = value ?? "";
}

function render(view) {
  const current = view.current;
  text("now-kicker", current ? t("item", { n: current.position }) : "");
  text("now-item", current ? current.title : (view.finished ? t("finished") : t("nothing")));
  renderSlide(view.slide);
  const speaker = view.step ? [view.step.title, view.step.presenter].filter(Boolean).join(" — ") : current?.presenter;
  text("now-speaker", speaker);
  text("next-item", view.next ? `${t("item", { n: view.next.position })}. ${view.next.title}` : t("no_next"));
  renderAward(view.award);
  renderAgenda(view.agenda, current);
  renderDocuments(view.documents);
  renderVote(view.vote);  // me-vote.js: the ballot, then the result
  if (view.speakers) renderSpeak(view.speakers);
  root.dataset.version = String(view.version);
}

// Asking to speak: the page was given this delegate's request id (data-request); the event carries
// the queue's ids in order and the speaking one's, so the place is found here.
const speak = $("speak");
const speakStrings = JSON.parse(speak.dataset.strings);
function renderSpeak({ open, queue, speaking }) {
  let mine = Number(speak.dataset.request) || null;
  const place = mine ? queue.indexOf(mine) + 1 : 0;
  if (mine && !place && speaking !== mine) mine = null; // their turn is over (or dismissed): ask again
  speak.dataset.request = mine ? String(mine) : "";
  speak.dataset.open = String(open);
  $("speak-speaking").hidden = !mine || speaking !== mine;
  $("speak-waiting").hidden = !place;
  if (place) text("speak-place", String(speakStrings.place).replace("{n}", String(place)));
  $("speak-form").hidden = Boolean(mine) || !open;
  $("speak-closed").hidden = Boolean(mine) || open;
}

// The page of the report's slides the hall sees, beside the item, while the projectors show them.
function renderSlide(slide) {
  $("now-slide").hidden = !slide;
  text("now-slide", slide ? t("slide", { page: slide.page, pages: slide.pages }) : "");
}

function renderAward(award) {
  const calling = Boolean(award && award.honourees.length);
  $("me-call").hidden = !calling;
  if (!calling) return;
  text("me-call-title", t("batch", { form: award.form ?? "" }));
  const mineNow = award.honourees.some((h) => mine.has(h.id));
  $("me-call-you").hidden = !mineNow;
  $("me-call").dataset.mine = mineNow ? "true" : "false";
}

function renderAgenda(agenda, current) {
  const list = $("agenda");
  list.replaceChildren(...agenda.map((item) => {
    const row = document.createElement("li");
    row.textContent = item.title;
    if (item.done) row.className = "done";
    if (current && item.position === current.position) row.setAttribute("aria-current", "step");
    return row;
  }));
}

function renderDocuments(documents) {
  const list = $("documents");
  list.replaceChildren(...documents.map((doc) => {
    const row = document.createElement("li");
    const link = document.createElement("a");
    link.href = documentUrl.replace(/0$/, String(doc.id));
    link.textContent = doc.title;
    row.append(link);
    return row;
  }));
  $("no-documents").hidden = documents.length > 0;
}

// Socket.IO reconnects by itself; the server sends the view on every (re)connect. A lower version
// than the one shown is stale unless it is the first on a new connection (the database replaced).
let version = -1;
let fresh = true;
const socket = io({ auth: { delegate: true }, reconnectionDelay: 1000, reconnectionDelayMax: 10000,
  randomizationFactor: 0.5, timeout: 8000 });
const online = (state) => {
  root.dataset.state = state;
  text("me-connection", state === "online" ? "" : t("offline"));
};
socket.on("connect", () => { fresh = true; online("online"); });
socket.on("disconnect", (reason) => {
  online("offline");
  if (reason === "io server disconnect") window.location.reload(); // released: back to the code form
});
socket.on("connect_error", (error) => {
  online("offline");
  if (error?.message === "not_signed_in") window.location.reload(); // released: back to the code form
});
socket.on("programme", (view) => {
  if (view.version < version && !fresh) return;
  fresh = false;
  version = view.version;
  render(view);
});
