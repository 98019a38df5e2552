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

// Badge codes: 17 symbols of Crockford's base32. Scanners add spaces or line ends, wedges may
// send lower case, a person may type O for 0 or I/L for 1: mended the same way as on the server.
const CODE = /^[0-9A-HJKMNP-TV-Z]{17}$/;
export function normaliseCode(scanned) {
  if (typeof scanned !== "string" || scanned.length > 256) return null;
  const text = scanned.trim().toUpperCase().replace(/[-\s]/g, "")
    .replace(/O/g, "0").replace(/[IL]/g, "1");
  return CODE.test(text) ? text : null;
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
