#!/usr/bin/env bash
# Fetches nats-server from newer Debian suites without installing them, so the NATS tests run against the
# servers people run today as well as bookworm's 2.9.10 (/usr/sbin/nats-server).
#   scripts/nats/fetch-debian-nats.sh [SUITE...]     (default: sid; trixie works too)
# Writes <repo>/.cache/nats-servers/<suite>/nats-server (git-ignored; npm test looks there for sid's) and prints
# "<suite> <version> <path>" per suite. The binary needs only libc, so it runs on bookworm unchanged.
# Idempotent: a suite already fetched is not fetched again. It uses the mirror of the machine's own apt sources
# and Debian's archive keyring, so no host name is written here, and private apt state, so it needs no root.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dest=$REPO/.cache/nats-servers
suites=("$@"); [ ${#suites[@]} -gt 0 ] || suites=(sid)

version() { "$1" --version | awk '{sub(/^v/, "", $2); print $2}'; }
todo=()
for suite in "${suites[@]}"; do
  [[ $suite =~ ^[a-z][a-z0-9-]*$ ]] || { echo "\"$suite\" is not a Debian suite name (e.g. sid, trixie)" >&2; exit 1; }
  bin=$dest/$suite/nats-server
  if [ -x "$bin" ] && v=$(version "$bin" 2>/dev/null) && [ -n "$v" ]; then echo "$suite $v $bin"; else todo+=("$suite"); fi
done
[ ${#todo[@]} -gt 0 ] || exit 0

uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n 1 || true)
[ -n "$uri" ] || uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n 1 || true)
[ -n "$uri" ] || { echo "no Debian mirror found in the machine's apt sources (/etc/apt/sources.list.d/*.sources, /etc/apt/sources.list)" >&2; exit 1; }
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || { echo "$keyring is missing: apt-get install -y debian-archive-keyring" >&2; exit 1; }

st=$(mktemp -d)
trap 'rm -rf "$st"' EXIT
for suite in "${todo[@]}"; do
  s=$st/$suite
  mkdir -p "$s/parts" "$s/lists/partial" "$s/cache/archives/partial" "$s/x"
  printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: %s\n' "$uri" "$suite" "$keyring" >"$s/parts/$suite.sources"
  # a private sources list, lists dir and cache: the machine's apt state is neither read nor changed
  opts=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$s/parts" -o "Dir::State::Lists=$s/lists" -o "Dir::Cache=$s/cache" -o APT::Sandbox::User=root)
  apt-get "${opts[@]}" -qq update >/dev/null || { echo "apt-get update for Debian $suite from $uri failed" >&2; exit 1; }
  ( cd "$s" && apt-get "${opts[@]}" -qq download nats-server >/dev/null ) || { echo "no nats-server package in Debian $suite at $uri" >&2; exit 1; }
  dpkg -x "$s"/nats-server_*.deb "$s/x"
  mkdir -p "$dest/$suite"
  # copy then rename, so an interrupted fetch never leaves a half-written binary that looks fetched
  cp "$s/x/usr/sbin/nats-server" "$dest/$suite/nats-server.tmp"
  mv -f "$dest/$suite/nats-server.tmp" "$dest/$suite/nats-server"
  echo "$suite $(version "$dest/$suite/nats-server") $dest/$suite/nats-server"
done
