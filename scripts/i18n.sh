#!/bin/sh
# Refresh the interface catalogue: extract every msgid (the Vietnamese strings in conference/ and
# templates/), merge it into translations/en/LC_MESSAGES/messages.po, then compile to check it.
# After running, translate every new or "fuzzy" entry in the .po; tests/test_i18n.py fails until
# each msgid has an English translation. The app compiles the .po itself at start-up (into the
# instance folder), so no .mo file is committed.
set -eu
cd "$(dirname "$0")/.."
POT=$(mktemp "${TMPDIR:-/tmp}/messages.XXXXXX.pot")
trap 'rm -f "$POT"' EXIT
python3 -m babel.messages.frontend extract -F babel.cfg -k N_ -k lazy_gettext \
    --no-location --sort-output -o "$POT" .
if [ -f translations/en/LC_MESSAGES/messages.po ]; then
    python3 -m babel.messages.frontend update -i "$POT" -d translations -l en --no-fuzzy-matching \
        --ignore-obsolete
else
    python3 -m babel.messages.frontend init -i "$POT" -d translations -l en
fi
# Compile into a scratch folder only to report what is still untranslated (and catch format errors).
OUT=$(mktemp -d "${TMPDIR:-/tmp}/i18n.XXXXXX")
cp -r translations/. "$OUT"
python3 -m babel.messages.frontend compile -d "$OUT" --statistics
rm -rf "$OUT"
