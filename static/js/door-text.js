// Text rules of the door, the same as the server's (conference/textnorm.py, services/badgecodes.py).

// Search key: lower case, no diacritics, đ as d, whatever normal form (NFC or NFD) was typed.
export function fold(text) {
  return String(text ?? "")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

// Badge codes: 17 symbols of Crockford's base32. Ignored anywhere, as on the server
// (services/badgecodes.py, the same pattern): control characters, every kind of space, dashes.
// Lower case is read as upper and O as 0, I/L as 1; only ASCII letters count (no ı for I).
// Both are tested against tests/data/badge_codes.json.
const IGNORED = /[\x00-\x20\x7f-\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\-\u2010-\u2015\u2212]/g;
const CODE = /^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{17}$/;
const MENDED = { O: "0", o: "0", I: "1", i: "1", L: "1", l: "1" };
// The phone QR (<venue address>/me/<code>, conference/me/venue.py) is read as its code: what
// follows the last "/me/", up to a query or fragment (a code never holds a "/").
const PHONE_PATH = "/me/";
function codeInAddress(scanned) {
  if (!scanned.includes(PHONE_PATH)) return scanned;
  return scanned.slice(scanned.lastIndexOf(PHONE_PATH) + PHONE_PATH.length).split(/[?#]/)[0].replace(/\/+$/, "");
}
export function normaliseCode(scanned) {
  if (typeof scanned !== "string" || scanned.length > 256) return null;
  const text = codeInAddress(scanned).replace(IGNORED, "").replace(/[OoIiLl]/g, (letter) => MENDED[letter]);
  return CODE.test(text) ? text.toUpperCase() : null;
}

// Vietnamese lists sort by given name, then middle names, then family name.
const collator = new Intl.Collator("vi", { sensitivity: "variant" });
export function nameOrder(fullName) {
  const words = String(fullName ?? "").trim().split(/\s+/);
  return words.length > 1 ? [words.at(-1), ...words.slice(1, -1), words[0]].join(" ") : words.join(" ");
}
export function compareNames(a, b) {
  return collator.compare(nameOrder(a), nameOrder(b));
}

// UI strings come from the template (translated there); {name} placeholders are filled here.
export function translator(strings) {
  return (key, values = {}) => String(strings[key] ?? key)
    .replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name] ?? "") : match));
}

// "07:42" in the conference's time zone, whatever zone the tablet is set to.
export function clock(iso, timeZone) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  try {
    return date.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone });
  } catch {
    return date.toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", hour12: false });
  }
}

export function newNonce() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
