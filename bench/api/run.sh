#!/usr/bin/env bash
# `keyshift api diff` on generated ~10 MB OpenAPI 3.0 documents (JSON: 1,350 resources; YAML: 1,700 resources;
# each resource 5 operations and one 14-property schema in one recursive reference cycle) against a changed copy,
# through the real CLI: wall time (start-up included), CPU time and peak RSS from /usr/bin/time.
# Not part of ./test.sh.   bench/api/run.sh [runs, default 3]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
dotnet build src/Keyshift.Cli -c Release -nologo -v q >/dev/null
cli="$(pwd)/src/Keyshift.Cli/bin/Release/net10.0/Keyshift.Cli.dll"
json=$(dotnet run -c Release --project bench/Keyshift.Benchmarks -- openapi 1350 | tail -1)
yaml=$(dotnet run -c Release --project bench/Keyshift.Benchmarks -- openapi 1700 | tail -1)
out=$(mktemp -d /tmp/keyshift-bench-apidiff.XXXXXX)
trap 'rm -rf "$out"' EXIT
echo "| input | size (each) | run | wall s | CPU s | peak MB | changes |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
measure() { # measure LABEL OLD NEW
  local size; size=$(awk -v b="$(stat -c %s "$2")" 'BEGIN { printf "%.1f MB", b / 1048576 }')
  for run in $(seq 1 "$runs"); do
    local code=0
    /usr/bin/time -f "%e %U %S %M" -o "$out/time" dotnet "$cli" api diff "$2" "$3" --format json >"$out/report.json" || code=$?
    [ "$code" -le 1 ] || { echo "api diff failed with exit $code" >&2; exit 1; }
    read -r wall user sys rss < <(tail -1 "$out/time")
    local changes; changes=$(grep -o '"id"' "$out/report.json" | wc -l)
    printf '| %s | %s | %s | %s | %.2f | %d | %s |\n' "$1" "$size" "$run" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)) "$changes"
  done
}
measure JSON "$json/v1.json" "$json/v2.json"
measure YAML "$yaml/v1.yaml" "$yaml/v2.yaml"
