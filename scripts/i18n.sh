#!/usr/bin/env bash
# Refresh the translation catalogs from the sources (then translate the new zh entries).
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel extract --ignore-dirs=".* __pycache__" -F babel.cfg -k _l -k lazy_pgettext:1c,2 -k ValidationFailed -k NotFound -k Conflict -k PermissionDenied -k NeedsConfirmation -k QueueUnavailable -k job_message \
  --no-location --sort-output -o noticeboard/translations/messages.pot . >/dev/null
pybabel update --no-fuzzy-matching --ignore-obsolete -w 100 \
  -i noticeboard/translations/messages.pot -d noticeboard/translations >/dev/null
python3 - <<'PY'
from babel.messages.pofile import read_po
with open("noticeboard/translations/zh/LC_MESSAGES/messages.po", "rb") as fh:
    missing = [m.id for m in read_po(fh) if m.id and not (m.string if isinstance(m.string, str) else m.string[0])]
print(f"zh: {len(missing)} untranslated")
for msgid in missing:
    print("  ", msgid if isinstance(msgid, str) else msgid[0])
PY
