"""Vietnamese text rules: exact spelling kept, diacritic-free search keys, Vietnamese sort order."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_LINE_ENDS = re.compile("\r\n|[\r\u2028\u2029]")
# Never part of a name, whatever the script: control characters (NUL is refused by PostgreSQL),
# lone surrogates (refused by UTF-8 itself) and format characters (zero-width spaces and joiners,
# direction overrides and isolates, the soft hyphen, the BOM), which are invisible and can make one
# name look like another. Vietnamese needs none of them. Whitespace among them becomes a space.
_HIDDEN = {"Cc", "Cf", "Cs"}

# Vietnamese letter order: đ is a letter of its own that follows d. Tones are compared after letters.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
# Tone marks in dictionary order (none, grave, hook, tilde, acute, dot below).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a base letter a different letter (ă â ê ô ơ ư).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def clean(text: str | None) -> str:
    """NFC, single spaces, no invisible characters, trimmed: how a name is stored, whatever typed it."""
    if text is None:
        return ""
    visible = "".join(ch for ch in str(text) if ch.isspace() or unicodedata.category(ch) not in _HIDDEN)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", visible)).strip()


def mid_sentence(text: str | None) -> str:
    """A phrase as it reads inside a sentence: its first letter small ("Lần thứ IV" -> "lần thứ IV"),
    the rest as written (a name, a Roman numeral keeps its capitals)."""
    text = text or ""
    return text[:1].lower() + text[1:]


def clean_lines(text: str | None) -> str:
    """A text of several lines (an MC's script, the secretary's notes) kept as typed, but for what
    clean() takes out of a name: NFC, \\n line ends (\\r\\n, \\r and the Unicode line and paragraph
    separators too), no invisible characters; tabs and spaces stay, and so does an empty line."""
    if text is None:
        return ""
    lines = _LINE_ENDS.sub("\n", str(text))
    visible = "".join(ch for ch in lines if ch in "\n\t" or unicodedata.category(ch) not in _HIDDEN)
    return unicodedata.normalize("NFC", visible)


def fold(text: str | None) -> str:
    """Search key: lower case, no diacritics, đ as d (NFD stripping alone leaves đ alone)."""
    decomposed = unicodedata.normalize("NFD", clean(text).casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def _syllable_key(syllable: str) -> tuple:
    letters: list[int] = []
    tone = 0
    for ch in unicodedata.normalize("NFD", syllable.casefold()):
        if ch in _TONES:
            tone = _TONES[ch]
        elif ch in _LETTER_MARKS and letters:
            composed = unicodedata.normalize("NFC", _ALPHABET[letters[-1]] + ch)
            letters[-1] = _LETTER_RANK.get(composed, letters[-1])
        elif ch in _LETTER_RANK:
            letters.append(_LETTER_RANK[ch])
        elif not unicodedata.combining(ch):
            letters.append(100 + ord(ch))
    return (tuple(letters), tone)


def name_sort_key(full_name: str | None) -> tuple:
    """Sort as Vietnamese lists do: given name, then middle names, then family name.

    Each syllable is compared on its letters first and its tone second, syllable by
    syllable, which avoids the whole-string tone comparison that misorders multi-word names.
    """
    words = clean(full_name).split(" ")
    ordered = words[-1:] + words[1:-1] + words[:1] if len(words) > 1 else words
    return tuple(_syllable_key(word) for word in ordered)
