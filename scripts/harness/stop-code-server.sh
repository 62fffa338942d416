#!/usr/bin/env bash
# Stop the code-server of one run (VSH_STATE, or the state dir given as $1) by PID, with its descendants:
# extension hosts, file watcher and pty host can outlive the server process.
set -uo pipefail
STATE=${1:-${VSH_STATE:?give the state dir as \$1 or VSH_STATE}}
[ -f "$STATE/server.pid" ] || exit 0
pid=$(cat "$STATE/server.pid")
descendants() { local c; for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do echo "$c"; descendants "$c"; done; }
if kill -0 "$pid" 2>/dev/null; then
  all="$pid $(descendants "$pid")"
  kill $all 2>/dev/null
  alive=
  for _ in $(seq 1 50); do
    alive=$(for k in $all; do kill -0 "$k" 2>/dev/null && echo "$k"; done)
    [ -z "$alive" ] && break
    sleep 0.1
  done
  [ -n "$alive" ] && kill -9 $alive 2>/dev/null
fi
rm -f "$STATE/server.pid"
exit 0
