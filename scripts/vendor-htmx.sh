#!/usr/bin/env bash
# Vendor a pinned htmx 2.x release into app/static/vendor/htmx/.
#
#   scripts/vendor-htmx.sh 2.0.11
#
# Downloads the npm tarball with `npm pack` into a temporary directory, copies
# dist/htmx.min.js, dist/htmx.js and LICENSE, and writes VERSION with the exact
# version, the tarball integrity npm reported and the sha256 of htmx.min.js.
# htmx 4.x is a different API (npm marks it "latest"): this script refuses it.
set -euo pipefail

version="${1:-}"
if [[ -z "$version" ]]; then
    echo "usage: $0 VERSION   (for example 2.0.11; see: npm view htmx.org versions)" >&2
    exit 2
fi
if [[ ! "$version" =~ ^2\.[0-9]+\.[0-9]+$ ]]; then
    echo "error: expected an htmx 2.x release like 2.0.11, got '$version'" >&2
    exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$repo_root/app/static/vendor/htmx"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

(
    cd "$tmp"
    npm pack "htmx.org@$version" --silent >/dev/null
    tar -xzf "htmx.org-$version.tgz"
)
pkg="$tmp/package"
actual="$(node -p "require('$pkg/package.json').version")"
if [[ "$actual" != "$version" ]]; then
    echo "error: npm returned htmx $actual, expected $version" >&2
    exit 1
fi
for f in dist/htmx.min.js dist/htmx.js LICENSE; do
    [[ -f "$pkg/$f" ]] || { echo "error: $f missing from the package" >&2; exit 1; }
done

mkdir -p "$dest"
cp "$pkg/dist/htmx.min.js" "$pkg/dist/htmx.js" "$dest/"
cp "$pkg/LICENSE" "$dest/LICENSE"

sha="$(sha256sum "$dest/htmx.min.js" | cut -d' ' -f1)"
sha_full="$(sha256sum "$dest/htmx.js" | cut -d' ' -f1)"
integrity="$(sha512sum "$tmp/htmx.org-$version.tgz" | cut -d' ' -f1)"
cat > "$dest/VERSION" <<VERSION_EOF
htmx.org $version
source: npm pack htmx.org@$version (dist/htmx.min.js, dist/htmx.js, LICENSE)
sha256 htmx.min.js $sha
sha256 htmx.js $sha_full
sha512 htmx.org-$version.tgz $integrity
VERSION_EOF

echo "vendored htmx $version into ${dest#"$repo_root"/}"
echo "sha256(htmx.min.js) = $sha"
