#!/usr/bin/env bash
# The static checks CI runs before the tests; each must find nothing:
#   ruff (lint, with the rule set chosen in pyproject.toml), the formatter check, mypy (strict,
#   on kernel, moderation and app) and import-linter (the layering contracts in pyproject.toml).
# Needs the virtualenv with the test extras (scripts/venv.sh test).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() { printf 'check: %s\n' "$*"; }

step "ruff check"
.venv/bin/ruff check --quiet .
step "ruff format --check"
.venv/bin/ruff format --check --quiet .
step "mypy"
.venv/bin/mypy
step "import-linter"
.venv/bin/lint-imports --no-cache
step "all clean"
