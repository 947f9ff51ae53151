#!/usr/bin/env bash
# Set up and run the whole test suite on a fresh Debian machine (Python 3.11):
# system packages (Chromium, PostgreSQL 15, wrk, Node), the virtualenv, the static checks
# (scripts/check.sh: ruff, the formatter, mypy, import-linter), then pytest in two processes on
# SQLite and on a throwaway PostgreSQL it starts itself. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-test-deps.sh
bash scripts/venv.sh test
bash scripts/check.sh
exec .venv/bin/python -m pytest -p no:cacheprovider -n 2 "$@"
