#!/usr/bin/env bash
# The browser tests: the example site built with the release binary, served on
# 127.0.0.1, in Debian's chromium (see site.test.mjs). Installs what is missing when run
# as root (chromium, CJK fonts, pdftotext, node and npm); otherwise says what to install.
# Screenshots are left in target/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "browser tests: installing ${missing[*]}" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "browser tests: missing ${missing[*]} (not root: not installing; tests that need them skip)" >&2
    fi
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "browser tests: SKIPPED, node and npm are not installed" >&2
    exit 0
fi
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "browser tests: node $(node --version) is older than playwright-core needs (20); trying anyway" >&2
fi

(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

cargo build --release --quiet --bin jianbao
tmp=$(mktemp -d "${TMPDIR:-/tmp}/jianbao-site.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$repo/target/release/jianbao" build -c "$repo/content" -o "$tmp/public"

JIANBAO_SITE="$tmp/public" node --test tests/browser/
echo "browser tests: screenshots in $repo/target/screenshots/" >&2
