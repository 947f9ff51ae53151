#!/usr/bin/env bash
# Set up and run the site on the embedded default (a SQLite file in var/) with demo content.
# Extra arguments go to `reclaim demo` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/venv.sh
exec .venv/bin/reclaim demo "$@"
