#!/usr/bin/env bash
# Create .venv if it is missing and install the project into it: `bash scripts/venv.sh [EXTRAS]`
# (e.g. `test`). Used by demo.sh and test.sh.
#
# The interpreter: Debian's own Python 3.11 when it is there, because Debian builds it with
# profile-guided and link-time optimisation (bench/question_page.py serves some 7 % more
# requests per second with it than with a plain source build); otherwise `python3`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usable() {
  "$1" -c 'import ensurepip, sys, venv; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}

if [ ! -x .venv/bin/python ]; then
  python=python3
  for candidate in /usr/bin/python3.11 /usr/bin/python3; do
    if [ -x "$candidate" ] && usable "$candidate"; then
      python=$candidate
      break
    fi
  done
  "$python" -m venv .venv
fi
spec=.
if [ -n "${1:-}" ]; then
  spec=".[$1]"
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e "$spec"
