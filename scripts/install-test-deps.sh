#!/usr/bin/env bash
# Install what the test suite needs beyond Python packages, on Debian, as root:
#   - Chromium (/usr/bin/chromium) for the browser tests (Playwright drives the system browser;
#     `playwright install` is never run),
#   - PostgreSQL 15 binaries for the PostgreSQL tests (a throwaway cluster per test session),
#   - wrk for the load scripts,
#   - Node.js and the npm packages of the test OpenID Connect provider (tests/oidc) and axe-core (tests/axe).
# Safe to run again: anything already present is skipped.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
oidc_dir="$repo/tests/oidc"

say() { printf 'install-test-deps: %s\n' "$*"; }

packages=()
[ -x /usr/bin/chromium ] || packages+=(chromium)
[ -x /usr/lib/postgresql/15/bin/initdb ] || packages+=(postgresql-15)
command -v wrk >/dev/null 2>&1 || packages+=(wrk)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

if [ "${#packages[@]}" -eq 0 ]; then
  say "system packages already present (chromium, postgresql-15, wrk, node, npm)"
else
  if [ "$(id -u)" -ne 0 ]; then
    say "missing ${packages[*]}; run this script as root to install them" >&2
    exit 1
  fi
  say "apt-get update"
  apt-get update -qq
  say "apt-get install ${packages[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  say "warning: node $(node --version) is too old for oidc-provider 9; install Node.js 20 or later" >&2
fi

# npm ci in a folder of tests/ unless its node_modules already match its package-lock.json.
npm_ci_once() {
  local dir="$1" marker="$2" what="$3" lock_sum stamp
  lock_sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  stamp="$dir/node_modules/.reclaim-lock-sha256"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$lock_sum" ] && [ -f "$dir/node_modules/$marker" ]; then
    say "$what: node_modules is current"
  else
    say "npm ci for $what"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    printf '%s\n' "$lock_sum" >"$stamp"
  fi
}

npm_ci_once "$oidc_dir" oidc-provider/package.json "tests/oidc (the test OpenID Connect provider)"
npm_ci_once "$repo/tests/axe" axe-core/axe.min.js "tests/axe (axe-core for the accessibility tests)"

say "done"
