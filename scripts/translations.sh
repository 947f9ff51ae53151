#!/usr/bin/env bash
# The gettext workflow (README, "Welsh and English"):
#   bash scripts/translations.sh extract   # every message of the code and templates -> app/locale/messages.pot
#   bash scripts/translations.sh update    # merge the template into each language's .po (new messages left empty)
#   bash scripts/translations.sh compile   # .po -> .mo (committed; a test fails when a .mo is stale)
# Run from the repository; uses the virtualenv's pybabel.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=".venv/bin/pybabel"
[ -x "$pybabel" ] || pybabel="pybabel"
case "${1:-}" in
  extract)
    "$pybabel" extract -F babel.cfg -k _ -k N_ -k n_:1,2 -k ngettext:1,2 -k plural:2,3 \
      --no-location --sort-output --project=Reclaim --copyright-holder=Reclaim \
      --msgid-bugs-address="" -o app/locale/messages.pot .
    ;;
  update)
    "$pybabel" update -i app/locale/messages.pot -d app/locale -D messages \
      --no-fuzzy-matching --ignore-obsolete -w 100
    ;;
  compile)
    "$pybabel" compile -d app/locale -D messages --statistics
    ;;
  *)
    echo "usage: $0 extract|update|compile" >&2
    exit 2
    ;;
esac
