#!/usr/bin/env bash
# One UI run: fresh code-server state, the extension installed from a .vsix (or, with no argument, loaded from
# the working tree as extensionDevelopmentPath), a copy of the fixture workspace, then test/ui/*.ui.mjs in
# headless Chromium. Exit code = UI result; screenshots go to <repo>/screenshots/.
# Usage: run-ui-tests.sh [dist/cim-nats.vsix]     env: VSH_HOME, KEEP=1 keeps the run dir, UI_ONLY=NAME
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
H=${VSH_HOME:-$REPO/.vscode-test}
VSIX=${1:-}
mkdir -p "$H"
RUN=$(mktemp -d "$H/ui.XXXXXX")
export VSH_STATE=$RUN/state
NATS_PID=
cleanup() {
  "$REPO/scripts/harness/stop-code-server.sh" "$VSH_STATE"
  if [ -n "$NATS_PID" ]; then kill "$NATS_PID" 2>/dev/null; wait "$NATS_PID" 2>/dev/null || true; fi
  if [ "${KEEP:-0}" = 1 ]; then echo "[ui] kept $RUN" >&2; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
cp -r "$REPO/test/fixtures/workspace" "$RUN/workspace"
mkdir -p "$VSH_STATE"/{data,ext}
DEV=
if [ -n "$VSIX" ]; then
  [ -f "$VSIX" ] || { echo "[ui] no such .vsix: $VSIX (npm run package builds dist/cim-nats.vsix)" >&2; exit 1; }
  XDG_DATA_HOME=$VSH_STATE/xdg-data XDG_CONFIG_HOME=$VSH_STATE/xdg-config \
    node "$H/cs/node_modules/code-server/out/node/entry.js" --config /dev/null --user-data-dir "$VSH_STATE/data" \
    --extensions-dir "$VSH_STATE/ext" --install-extension "$(cd "$(dirname "$VSIX")" && pwd)/$(basename "$VSIX")" --force
else
  DEV=$REPO
fi
# a nats-server with known streams, handed to the workbench the way users do it: NATS_URL
node "$REPO/scripts/harness/ui-nats.mjs" "$RUN/nats-url" > "$RUN/nats.log" 2>&1 &
NATS_PID=$!
for _ in $(seq 1 200); do [ -s "$RUN/nats-url" ] && break; kill -0 "$NATS_PID" 2>/dev/null || { cat "$RUN/nats.log" >&2; exit 1; }; sleep 0.1; done
[ -s "$RUN/nats-url" ] || { echo "[ui] the NATS fixture did not start" >&2; cat "$RUN/nats.log" >&2; exit 1; }
export NATS_URL=$(cat "$RUN/nats-url")
URL=$("$REPO/scripts/harness/start-code-server.sh" | cut -d' ' -f2)
set +e
rc=0
for t in "$REPO"/test/ui/*.ui.mjs; do
  # UI_ONLY=explorer runs the checks whose file name holds that word
  if [ -n "${UI_ONLY:-}" ] && [[ "$(basename "$t")" != *"$UI_ONLY"* ]]; then continue; fi
  node "$t" "$URL" "$RUN/workspace" "$DEV" || rc=1
done
exit $rc
