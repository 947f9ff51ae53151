#!/usr/bin/env bash
# Set up and run the whole test suite on a fresh Debian machine (Python 3.11):
# system packages (Chromium, PostgreSQL 15, wrk, Node), the virtualenv, then pytest on SQLite and
# on a throwaway PostgreSQL it starts itself. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-test-deps.sh
bash scripts/venv.sh test
exec .venv/bin/python -m pytest -p no:cacheprovider "$@"
