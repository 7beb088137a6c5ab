#!/usr/bin/env bash
# Builds Keyshift and runs every test, starting on loopback whatever servers the tests need and stopping
# them afterwards. Ends with one line: tests: N passed, N failed, N skipped
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

servers_started=0
if [ -x test/servers.sh ]; then
  if ! test/servers.sh start; then
    echo "could not start the test servers" >&2
    echo "tests: 0 passed, 1 failed, 0 skipped"
    exit 1
  fi
  servers_started=1
  # shellcheck disable=SC1091
  [ -f .test-servers/env ] && . .test-servers/env
fi
stop_servers() { [ "$servers_started" = 1 ] && test/servers.sh stop >/dev/null 2>&1; }
trap stop_servers EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if ! dotnet build Keyshift.slnx -c Release -nologo -v q; then
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi
dotnet test Keyshift.slnx -c Release --no-build --logger "trx" --results-directory "$results" -- RunConfiguration.TestSessionTimeout=3000000
status=$?

passed=0; failed=0; total=0; executed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  total=$((total + $(get total))); executed=$((executed + $(get executed)))
done
skipped=$((total - executed))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
