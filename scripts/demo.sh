#!/usr/bin/env bash
# Set up and run the site on the embedded default (a SQLite file in var/) with demo content.
# Extra arguments go to `reclaim demo` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e .
exec .venv/bin/reclaim demo "$@"
