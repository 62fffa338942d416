#!/usr/bin/env bash
# The "VS Code executable" given to @vscode/test-electron's runTests({ vscodeExecutablePath }): turns the Electron
# command line it spawns (--extensionDevelopmentPath=, --extensionTestsPath=, --user-data-dir=, --extensions-dir=,
# [folder]) into one code-server + headless Chromium run, and exits with the suite's exit code.
# env: VSH_HOME (default <repo>/.vscode-test), TIMEOUT seconds (default 300), KEEP=1 keeps the run dir.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
H=${VSH_HOME:-$HERE/../../.vscode-test}
DEV='' TESTS='' UDD='' EXTDIR='' FOLDER=''
for a in "$@"; do
  case "$a" in
    --extensionDevelopmentPath=*) if [ -z "$DEV" ]; then DEV=${a#*=}; else echo "[code-shim] only the first extensionDevelopmentPath is used" >&2; fi ;;
    --extensionTestsPath=*) TESTS=${a#*=} ;;
    --user-data-dir=*) UDD=${a#*=} ;;
    --extensions-dir=*) EXTDIR=${a#*=} ;;
    --*) ;;  # Electron-only switches (--no-sandbox, --disable-updates, ...) mean nothing to code-server
    *) FOLDER=$a ;;
  esac
done
if [ -z "$DEV" ] || [ -z "$TESTS" ]; then echo "[code-shim] need --extensionDevelopmentPath and --extensionTestsPath" >&2; exit 64; fi
mkdir -p "$H"
RUN=$(mktemp -d "$H/shim.XXXXXX")
export VSH_STATE=$RUN/state
mkdir -p "$VSH_STATE"
if [ -n "$UDD" ]; then mkdir -p "$UDD" && ln -s "$UDD" "$VSH_STATE/data"; fi
if [ -n "$EXTDIR" ]; then mkdir -p "$EXTDIR" && ln -s "$EXTDIR" "$VSH_STATE/ext"; fi
if [ -z "$FOLDER" ]; then FOLDER=$RUN/empty-workspace; mkdir -p "$FOLDER"; fi
cleanup() {
  "$HERE/stop-code-server.sh" "$VSH_STATE"
  if [ "${KEEP:-0}" = 1 ]; then echo "[code-shim] kept $RUN" >&2; else rm -rf "$RUN"; fi
}
trap cleanup EXIT
started=$("$HERE/start-code-server.sh")
URL=$(echo "$started" | cut -d' ' -f2)
set +e
node "$HERE/run-ext-tests.mjs" "$URL" "$FOLDER" "$DEV" "$TESTS" "${TIMEOUT:-300}"
rc=$?
if [ $rc != 0 ] && [ "${KEEP:-0}" != 1 ]; then echo "[code-shim] KEEP=1 keeps the run dir with code-server's logs" >&2; fi
exit $rc
