#!/usr/bin/env bash
# Idempotent install of everything the VS Code, UI and NATS tests need, into the git-ignored $VSH_HOME
# (default <repo>/.vscode-test): code-server 4.100.3 (= VS Code 1.100.3, the last release on Node 20)
# from npm with its postinstall replayed by hand, because that postinstall downloads ripgrep from GitHub.
# Debian packages: build deps for its native modules, ripgrep, chromium (UI tests), nats-server (bookworm: 2.9.10);
# and Debian sid's nats-server (2.15.1) into the git-ignored .cache/nats-servers/sid, so npm test runs every NATS
# suite on an old and a current server.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
H=${VSH_HOME:-$REPO/.vscode-test}
CS_VERSION=4.100.3
PREFIX=$H/cs
CS=$PREFIX/node_modules/code-server
VS=$CS/lib/vscode
T0=$(date +%s)
log() { printf '[setup %s] %s\n' "$(date +%T)" "$*"; }

node -e 'process.exit(process.versions.node.split(".")[0]==="20"?0:1)' || { echo "code-server $CS_VERSION needs Node 20, found $(node -v)" >&2; exit 1; }
# two setups at once (say npm test in two shells) would rebuild the same native modules under each other
mkdir -p "$H"
exec 9>"$H/.setup.lock"
flock 9

# 1. Debian packages; apt-get update only when something is missing (a fresh machine has no apt lists).
PKGS="build-essential python3 pkg-config libkrb5-dev libsecret-1-dev ripgrep curl ca-certificates chromium nats-server"
missing=$(for p in $PKGS; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || printf '%s ' "$p"; done)
if [ -n "$missing" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing Debian packages; install them as root, then run this again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y $missing" >&2
    exit 1
  fi
  log "apt-get install $missing"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

# 1b. the current nats-server, fetched from Debian sid without installing it (~10 s the first time, then instant).
# A failed fetch does not stop the setup: npm test then fails its sid stages with the reason.
SID_NATS=$REPO/.cache/nats-servers/sid/nats-server
[ -x "$SID_NATS" ] || log "fetch nats-server from Debian sid into ${SID_NATS#"$REPO"/}"
bash "$REPO/scripts/nats/fetch-debian-nats.sh" sid >/dev/null || echo "[setup] could not fetch nats-server from Debian sid (above); npm test fails its nats-server sid stages until bash scripts/nats/fetch-debian-nats.sh succeeds" >&2

# node-gyp must build against the local Node headers: it cannot download them from nodejs.org here.
NODE_PREFIX=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
[ -f "$NODE_PREFIX/include/node/node.h" ] || { echo "no Node headers under $NODE_PREFIX/include/node" >&2; exit 1; }
export npm_config_nodedir=$NODE_PREFIX npm_config_audit=false npm_config_fund=false
# npm 11 only warns about dependency install scripts not listed in an allowScripts policy, but a user's
# strict-allow-scripts=true would turn that into an error; these builds exist to run exactly those scripts.
ALLOW=--strict-allow-scripts=false

# 2. code-server itself, without its postinstall (which would fetch ripgrep from GitHub).
mkdir -p "$PREFIX"
[ -f "$PREFIX/package.json" ] || echo '{"name":"cim-nats-vscode-test","private":true}' > "$PREFIX/package.json"
if [ "$(node -p "try{require('$CS/package.json').version}catch{''}")" != "$CS_VERSION" ]; then
  log "npm install --ignore-scripts code-server@$CS_VERSION"
  (cd "$PREFIX" && npm install --ignore-scripts "code-server@$CS_VERSION")
fi

# 3. argon2 is loaded at startup even with --auth none; build it from source instead of a GitHub prebuilt.
if ! (cd "$CS" && node -e "require('argon2')" 2>/dev/null); then
  log "build argon2 from source"
  (cd "$PREFIX" && npm_config_build_from_source=true npm rebuild argon2 --foreground-scripts $ALLOW)
fi

# 4. postinstall's "cd lib/vscode && npm install --omit=dev", split so that Debian's rg stands in for the download.
if [ ! -f "$VS/node_modules/.package-lock.json" ]; then
  log "lib/vscode: npm install --omit=dev --ignore-scripts"
  (cd "$VS" && npm install --omit=dev --ignore-scripts)
fi
RG=$VS/node_modules/@vscode/ripgrep/bin/rg
[ -x "$RG" ] || { mkdir -p "$(dirname "$RG")" && cp "$(command -v rg)" "$RG"; }
native_ok() {  # prints why only when asked: the first check fails on every fresh install
  local out
  out=$(cd "$VS" && node -e "let ok = true;
    for (const m of ['@vscode/spdlog', 'node-pty', 'kerberos', 'native-watchdog', '@vscode/deviceid', '@parcel/watcher']) {
      try { require(m); } catch (e) { ok = false; console.error(m + ': ' + e.message.split('\n')[0]); }
    }
    process.exit(ok ? 0 : 1)" 2>&1) && return 0
  [ -n "${1:-}" ] && echo "$out" >&2
  return 1
}
if ! native_ok; then
  log "lib/vscode: npm rebuild (native modules from source)"
  # yes=true: node-pty's install script runs `npx node-gyp`, which npx refuses to fetch when yes=false.
  (cd "$VS" && JOBS=$(nproc) npm_config_yes=true npm rebuild --foreground-scripts $ALLOW)
  native_ok verbose || { echo "code-server's native modules still do not load after npm rebuild" >&2; exit 1; }
fi

# 5. the rest of postinstall: symlinks and the built-in extensions' shared dependencies.
ln -sfn node_modules "$VS/node_modules.asar"
ln -sfn code-linux.sh "$VS/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$VS/bin/helpers/browser.sh"
if [ ! -f "$VS/extensions/node_modules/typescript/package.json" ]; then
  log "lib/vscode/extensions: npm install --omit=dev"
  (cd "$VS/extensions" && npm install --omit=dev --foreground-scripts $ALLOW)
fi

# 6. the UI driver comes from the project's devDependencies (npm ci), the browser from Debian.
(cd "$REPO" && node -e "require('playwright-core')") || { echo "playwright-core missing: run npm ci in $REPO" >&2; exit 1; }

version=$(XDG_DATA_HOME=$H/.xdg-data XDG_CONFIG_HOME=$H/.xdg-config node "$CS/out/node/entry.js" --version --config /dev/null | head -1)
nats_version() { if [ -x "$1" ]; then "$1" --version 2>&1 | head -1 | sed 's/^nats-server: v//'; else echo "none at $1"; fi; }
log "code-server $version; $(chromium --version 2>/dev/null | head -1); nats-server $(nats_version /usr/sbin/nats-server) and $(nats_version "$SID_NATS")"
log "done in $(( $(date +%s) - T0 ))s ($(du -sh "$PREFIX" | cut -f1) in $PREFIX)"
