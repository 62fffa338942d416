#!/usr/bin/env bash
# Start code-server (VS Code 1.100.3 server + web workbench) on loopback with auth none and isolated state.
# Usage: start-code-server.sh [port]    env: VSH_HOME (default <repo>/.vscode-test), VSH_STATE (default: a new
# temp dir under VSH_HOME). Prints "PID URL STATE_DIR"; stop it with VSH_STATE=STATE_DIR stop-code-server.sh.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
H=${VSH_HOME:-$REPO/.vscode-test}
CS=$H/cs/node_modules/code-server
[ -f "$CS/out/node/entry.js" ] || { echo "code-server is not installed in $H: run scripts/harness/setup.sh" >&2; exit 1; }
PORT=${1:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}
STATE=${VSH_STATE:-$(mkdir -p "$H" && mktemp -d "$H/run.XXXXXX")}
mkdir -p "$STATE"/{data/User,ext,xdg-data,xdg-config}
# user settings live server-side; these keep the workbench quiet and deterministic for tests
[ -f "$STATE/data/User/settings.json" ] || cat > "$STATE/data/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.enableExperiments": false,
  "security.workspace.trust.enabled": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "git.enabled": false,
  "window.restoreWindows": "none",
  "chat.disableAIFeatures": true
}
JSON
if [ -f "$STATE/server.pid" ] && kill -0 "$(cat "$STATE/server.pid")" 2>/dev/null; then
  echo "already running in $STATE: pid $(cat "$STATE/server.pid")" >&2; exit 1
fi
t0=$(date +%s%N)
XDG_DATA_HOME=$STATE/xdg-data XDG_CONFIG_HOME=$STATE/xdg-config \
  nohup node "$CS/out/node/entry.js" \
    --bind-addr "127.0.0.1:$PORT" --auth none --config /dev/null \
    --user-data-dir "$STATE/data" --extensions-dir "$STATE/ext" \
    --disable-telemetry --disable-update-check --disable-workspace-trust \
    --disable-getting-started-override --ignore-last-opened \
    > "$STATE/server.log" 2>&1 < /dev/null &
echo $! > "$STATE/server.pid"
for _ in $(seq 1 600); do
  if curl -fs -o /dev/null "http://127.0.0.1:$PORT/healthz"; then
    echo "[code-server] ready in $(( ($(date +%s%N)-t0)/1000000 )) ms on port $PORT" >&2
    echo "$(cat "$STATE/server.pid") http://127.0.0.1:$PORT/ $STATE"
    exit 0
  fi
  kill -0 "$(cat "$STATE/server.pid")" 2>/dev/null || { cat "$STATE/server.log" >&2; exit 1; }
  sleep 0.1
done
echo "timeout waiting for code-server" >&2; cat "$STATE/server.log" >&2; exit 1
