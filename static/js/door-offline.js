// What the door keeps on the tablet so it never loses a delegate: the roster, who is present,
// and an outbox of scans not yet answered by the server. All of it lives in IndexedDB, so it
// survives a reload, a crash of the browser tab or a tablet that went to sleep.
//
// Every scan gets a nonce and its time when it is made and is written to the outbox before it
// is sent. It leaves the outbox only when the server has given its final answer. A scan sent
// twice (an answer lost on the way back) carries the same nonce, and the server answers the
// repeat with its first answer, so it counts once. Its time goes with it, so a scan delivered
// after the Wi-Fi came back is recorded when the delegate was at the door, not when it arrived.
// So does the time it is sent, off the same clock: the server counts back only the wait between
// the two from its own clock, so a tablet whose clock is wrong (no time sync) does no harm.
// A walk-in added while the server cannot be reached waits the same way (kind "walkin"): the
// server adds and checks the person in once, whatever number of times it is sent.
import { fold, compareNames } from "./door-text.js";

const csrfToken = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

export class NetworkError extends Error {}

// fetch with a deadline: venue Wi-Fi often hangs rather than fails.
export async function request(method, path, { body, headers = {}, timeout = 8000 } = {}) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      cache: "no-store",
      signal: controller.signal,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new NetworkError(error?.message ?? "network");
  } finally {
    clearTimeout(timer);
  }
  const data = response.status === 304 ? null : await response.json().catch(() => null);
  return { status: response.status, data, headers: response.headers };
}

// ---------------------------------------------------------------------------------------------
// Storage: IndexedDB (a key-value store and the outbox), or memory if the browser refuses it.

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export class Store {
  constructor(db) {
    this.db = db;
    this.failed = db === null;  // nothing survives a reload: the page says so
    this.memory = { kv: new Map(), outbox: new Map(), seq: 1e9 };
  }

  get persistent() { return !this.failed; }

  static async open(name) {
    try {
      const opening = indexedDB.open(name, 1);
      opening.onupgradeneeded = () => {
        opening.result.createObjectStore("kv");
        opening.result.createObjectStore("outbox", { keyPath: "seq", autoIncrement: true });
      };
      return new Store(await promised(opening));
    } catch {
      return new Store(null);
    }
  }

  async run(storeName, mode, work) {
    const transaction = this.db.transaction(storeName, mode);
    const done = new Promise((resolve, reject) => {
      transaction.oncomplete = resolve;
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
    const result = await promised(work(transaction.objectStore(storeName)));
    await done;
    return result;
  }

  // Each operation falls back to memory if the browser refuses storage (private mode, full disk):
  // the door keeps working, and the page warns that a reload would lose what waits.
  async attempt(work, fallback) {
    if (this.db) {
      try {
        return await work();
      } catch {
        this.failed = true;
      }
    }
    return fallback();
  }

  async get(key) {
    return this.attempt(() => this.run("kv", "readonly", (store) => store.get(key)), () => this.memory.kv.get(key));
  }

  async put(key, value) {
    return this.attempt(() => this.run("kv", "readwrite", (store) => store.put(value, key)),
      () => { this.memory.kv.set(key, value); });
  }

  async outboxAll() {
    const kept = await this.attempt(() => this.run("outbox", "readonly", (store) => store.getAll()), () => []);
    return [...kept, ...this.memory.outbox.values()];
  }

  async outboxAdd(item) {
    return this.attempt(() => this.run("outbox", "readwrite", (store) => store.add(item)), () => {
      const seq = ++this.memory.seq;
      this.memory.outbox.set(seq, { ...item, seq });
      return seq;
    });
  }

  async outboxDelete(seq) {
    if (this.memory.outbox.delete(seq)) return;
    await this.attempt(() => this.run("outbox", "readwrite", (store) => store.delete(seq)), () => {});
  }
}

// ---------------------------------------------------------------------------------------------
// The roster and who is present, as last heard from the server.

export class Roster {
  constructor(store) {
    this.store = store;
    this.delegates = new Map();
    this.byCode = new Map();
    this.groups = [];
    this.etag = null;
    this.presence = new Map();  // delegate id -> {at, device}
    this.presenceVersion = -1;
    this.learned = [];          // [when, id, presence or null]: answers newer than a fetch in flight
    this.waiting = new Map();   // nonce -> a walk-in still in the outbox (no id or badge yet)
  }

  get size() { return this.delegates.size; }

  // The roster and the walk-ins waiting in the outbox: both are searched and checked for a
  // same name, so a person added offline is not added twice.
  everyone() {
    return [...this.delegates.values(), ...this.waiting.values()];
  }

  find(id) {
    return this.delegates.get(id) ?? [...this.waiting.values()].find((delegate) => delegate.id === id) ?? null;
  }

  // Called whenever the outbox changes; a walk-in keeps its object (and id) while it waits.
  setWaiting(items) {
    const next = new Map();
    for (const item of items) {
      if (item.kind !== "walkin") continue;
      next.set(item.nonce, this.waiting.get(item.nonce)
        ?? withKey({ ...pick(item.fields ?? {}), id: `walkin:${item.nonce}`, walk_in: true }));
    }
    this.waiting = next;
  }

  async load() {
    const saved = await this.store.get("roster");
    if (saved) this.setRoster(saved.content, saved.etag);
    const present = await this.store.get("presence");
    if (present) this.setPresence(present);
  }

  setRoster(content, etag) {
    const index = Object.fromEntries(content.fields.map((name, i) => [name, i]));
    this.delegates = new Map();
    this.byCode = new Map();
    for (const row of content.rows) {
      const delegate = {};
      for (const [name, i] of Object.entries(index)) delegate[name] = row[i];
      withKey(delegate);
      this.delegates.set(delegate.id, delegate);
      if (delegate.badge_code) this.byCode.set(delegate.badge_code, delegate);
    }
    this.groups = content.groups;
    this.etag = etag;
  }

  setPresence({ version, present }) {
    this.presence = new Map(present.map(([id, at, device]) => [id, { at, device }]));
    this.presenceVersion = version;
  }

  // The roster changes rarely (walk-ins, a reissued badge): ask with the ETag, usually a 304.
  async refreshRoster() {
    const answer = await request("GET", "/door/roster", { headers: this.etag ? { "If-None-Match": this.etag } : {} });
    if (answer.status === 304) return false;
    if (answer.status !== 200 || !answer.data) throw new Error(`roster: HTTP ${answer.status}`);
    const content = { groups: answer.data.groups, fields: answer.data.fields, rows: answer.data.rows };
    const etag = answer.headers.get("ETag");
    this.setRoster(content, etag);
    await this.store.put("roster", { content, etag });
    return true;
  }

  async refreshPresence() {
    const asked = performance.now();
    const answer = await request("GET", "/door/presence");
    if (answer.status !== 200 || !answer.data) throw new Error(`presence: HTTP ${answer.status}`);
    if (answer.data.version < this.presenceVersion) return;  // an older answer overtaken by a newer one
    this.setPresence(answer.data);
    // A check-in answered while this list was on its way may be missing from it: keep it.
    this.learned = this.learned.filter(([when]) => when > asked);
    for (const [, id, present] of this.learned) {
      if (present) this.presence.set(id, present);
      else this.presence.delete(id);
    }
    await this.store.put("presence", answer.data);
  }

  // A check-in or undo answered by the server updates what we know at once.
  learn(data) {
    const delegate = data?.delegate ?? data?.error?.delegate;
    if (!delegate?.id) return;
    const known = this.delegates.get(delegate.id);
    if (known?.badge_code && known.badge_code !== delegate.badge_code) this.byCode.delete(known.badge_code);
    const merged = withKey({ ...(known ?? {}), ...pick(delegate) });
    this.delegates.set(merged.id, merged);
    if (merged.badge_code) this.byCode.set(merged.badge_code, merged);
    if (data.error) return;
    const present = delegate.checked_in_at ? { at: delegate.checked_in_at, device: delegate.checked_in_device ?? null } : null;
    if (present) this.presence.set(delegate.id, present);
    else this.presence.delete(delegate.id);
    this.learned.push([performance.now(), delegate.id, present]);
    if (this.learned.length > 200) this.learned.splice(0, 100);
  }

  // Every word of the query, folded, must be found in the name, unit or code (as the server does).
  search(query, limit = 30) {
    const words = fold(query).split(" ").filter(Boolean);
    if (!words.length) return [];
    const found = [];
    for (const delegate of this.everyone()) {
      if (words.every((word) => delegate.key.includes(word))) found.push(delegate);
    }
    const rank = new Map(found.map((d) => [d.id, matchRank(d.full_name, words)]));
    found.sort((a, b) => rank.get(a.id) - rank.get(b.id) || compareNames(a.full_name, b.full_name));
    return found.slice(0, limit);
  }
}

// Names first (docs/DOOR.md), as the server ranks them (services/roster.py match_rank): 0 the whole
// name, 1 every word starting a word of the name, 2 every word inside the name, 3 unit or code only.
export function matchRank(fullName, words) {
  const name = fold(fullName);
  const parts = name.split(" ");
  if (words.join(" ") === name) return 0;
  if (words.every((word) => parts.some((part) => part.startsWith(word)))) return 1;
  return words.every((word) => name.includes(word)) ? 2 : 3;
}

// The search key, as the server builds it: folded name, folded unit, code in lower case.
function withKey(delegate) {
  delegate.key = [fold(delegate.full_name), fold(delegate.unit), (delegate.badge_code ?? "").toLowerCase()]
    .filter(Boolean).join(" ");
  return delegate;
}

function pick(delegate) {
  const out = {};
  for (const name of ["id", "full_name", "position", "unit", "group", "seat", "badge_code"]) out[name] = delegate[name] ?? null;
  return out;
}

// ---------------------------------------------------------------------------------------------
// The outbox: scans written down first, delivered in order, removed only on a final answer.

// Answers that are about this one scan or walk-in: the server will say the same thing every time.
const ITEM_ERRORS = new Set(["invalid_code", "missing_code", "invalid_delegate_id", "invalid_nonce",
  "invalid_device", "invalid_json", "missing_name", "name_too_long", "field_too_long", "invalid_field",
  "unknown_group"]);

// Answers about the times a scan carries: the scan is sent again without them.
const TIME_ERRORS = new Set(["invalid_scanned_at", "invalid_sent_at"]);

export function isFinal(status, data) {
  if (status >= 200 && status < 300) return true;
  if ([401, 403, 408, 425, 429].includes(status) || status >= 500) return false;  // the device or server, not the scan
  if (status === 400) return ITEM_ERRORS.has(data?.error?.code);  // e.g. a CSRF failure is retried
  return status >= 400;
}

export class Outbox {
  constructor(store, { onChange = () => {}, onAnswer = () => {}, onTrouble = () => {} } = {}) {
    this.store = store;
    this.items = [];
    this.inFlight = new Map();  // seq -> promise of the answer
    this.waiters = new Map();   // seq -> [resolve]
    this.onChange = onChange;
    this.onAnswer = onAnswer;
    this.onTrouble = onTrouble;
    this.flushing = null;
    this.retryTimer = null;
    this.retryDelay = 2000;
  }

  get size() { return this.items.length; }

  async load() {
    this.items = (await this.store.outboxAll()).sort((a, b) => a.seq - b.seq);
    this.onChange();
  }

  // Written to storage before anything is sent; returns the stored item.
  async add(item) {
    const seq = await this.store.outboxAdd(item);
    const stored = { ...item, seq };
    this.items.push(stored);
    this.onChange();
    return stored;
  }

  pendingFor(delegateId, code) {
    return this.items.find((item) => (delegateId != null && item.delegate_id === delegateId)
      || (code && item.code === code)) ?? null;
  }

  // The final answer for one item, whenever it comes.
  answerFor(seq) {
    return new Promise((resolve) => {
      const list = this.waiters.get(seq) ?? [];
      list.push(resolve);
      this.waiters.set(seq, list);
    });
  }

  // Take back a scan that has not been delivered yet; false if it is on its way.
  async cancel(seq) {
    if (this.inFlight.has(seq)) return false;
    const index = this.items.findIndex((item) => item.seq === seq);
    if (index < 0) return false;
    await this.store.outboxDelete(seq);
    this.items.splice(index, 1);
    this.settle(seq, { status: 0, data: null, cancelled: true });
    this.onChange();
    return true;
  }

  // Take back a scan for good: wait while it is on its way. True if it never reached the server.
  async takeBack(seq) {
    for (;;) {
      const sending = this.inFlight.get(seq);
      if (!sending) return this.cancel(seq);
      await sending;
    }
  }

  settle(seq, answer) {
    for (const resolve of this.waiters.get(seq) ?? []) resolve(answer);
    this.waiters.delete(seq);
  }

  // Deliver everything in order; stop at the first scan that could not be delivered.
  flush() {
    if (!this.flushing) {
      this.flushing = this.deliverAll().finally(() => { this.flushing = null; });
    }
    return this.flushing;
  }

  async deliverAll() {
    clearTimeout(this.retryTimer);
    while (this.items.length) {
      const item = this.items[0];
      const delivered = await this.deliver(item);
      if (!delivered) {
        this.retryTimer = setTimeout(() => this.flush(), this.retryDelay);
        this.retryDelay = Math.min(this.retryDelay * 2, 15000);
        return false;
      }
    }
    this.retryDelay = 2000;
    return true;
  }

  async deliver(item) {
    let sending = this.inFlight.get(item.seq);
    if (!sending) {
      sending = this.send(item).finally(() => this.inFlight.delete(item.seq));
      this.inFlight.set(item.seq, sending);
    }
    return sending;
  }

  async send(item) {
    const [path, body] = item.kind === "walkin"
      ? ["/api/delegates", { ...item.fields, check_in: true, nonce: item.nonce }]
      : ["/api/checkins", { nonce: item.nonce, ...(item.code ? { code: item.code } : { delegate_id: item.delegate_id }) }];
    // The conference the scan was made at: one kept here across the office's switch is delivered there.
    if (item.conference) body.conference = item.conference;
    if (item.scanned_at) {  // none in an item kept by an older page
      body.scanned_at = item.scanned_at;
      body.sent_at = new Date().toISOString();  // read now, at each send: a retry waited longer
    }
    let answer;
    try {
      answer = await request("POST", path, { body });
      if (answer.status === 400 && TIME_ERRORS.has(answer.data?.error?.code) && body.scanned_at) {
        // Times the server will not take (a scan over a day old, the clock set back while it
        // waited) must not cost the delegate the check-in: sent again without them, it counts
        // at arrival.
        delete body.scanned_at;
        delete body.sent_at;
        answer = await request("POST", path, { body });
      }
    } catch (error) {
      this.onTrouble("network", error);
      return false;
    }
    if (!isFinal(answer.status, answer.data)) {
      // storage_busy / storage_full: the server says when to try again; the scan stays here till then.
      const wait = Number(answer.headers?.get?.("Retry-After"));
      if (answer.status === 503 && wait > 0) this.retryDelay = Math.min(wait, 60) * 1000;
      this.onTrouble("refused", answer);
      return false;
    }
    await this.store.outboxDelete(item.seq);
    this.items = this.items.filter((other) => other.seq !== item.seq);
    this.onAnswer(item, answer);
    this.settle(item.seq, answer);
    this.onChange();
    return true;
  }
}
