#!/usr/bin/env bash
# keyshift inventory over N secrets in each of two stores (dotenv + JSON, 2N in all) through the real CLI:
# wall time, CPU time and peak memory (RSS) for the JSON report, the table, Markdown and the DOT and Mermaid
# graphs. Not part of ./test.sh.
#   bench/inventory/run.sh [N]        (default 100000)
#   KEYSHIFT_CLI=/path/Keyshift.Cli.dll bench/inventory/run.sh   measures another build (before/after comparisons)
set -euo pipefail
n=${1:-100000}
root="$(cd "$(dirname "$0")/../.." && pwd)"
work=$(mktemp -d /tmp/keyshift-inventory.XXXXXX)
trap 'rm -rf "$work"' EXIT
if [ -z "${KEYSHIFT_CLI:-}" ]; then
  dotnet build "$root/src/Keyshift.Cli/Keyshift.Cli.csproj" -c Release -nologo -v q >/dev/null
fi
cli="${KEYSHIFT_CLI:-$root/src/Keyshift.Cli/bin/Release/net10.0/Keyshift.Cli.dll}"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

mkdir -p "$work/legacy" "$work/governed" "$work/app"
awk -v n="$n" 'BEGIN { srand(7); for (i = 0; i < n; i++) printf "SVC_%06d=%08x%08x%08x%08x\n", i, rand()*4294967295, rand()*4294967295, rand()*4294967295, rand()*4294967295 }' > "$work/legacy/.env"
# The JSON store reuses every 100th value of the dotenv store under another name (NHI9 findings to report).
awk -v n="$n" 'BEGIN { srand(7); printf "{\n  \"services\": {\n    \"all\": {\n"; for (i = 0; i < n; i++) { a = rand()*4294967295; b = rand()*4294967295; c = rand()*4294967295; d = rand()*4294967295; if (i % 100 == 0) v = sprintf("%08x%08x%08x%08x", a, b, c, d); else v = sprintf("%08x%08x%08x%08x", d, c, b, a); printf "      \"API_%06d\": \"%s\"%s\n", i, v, (i < n-1 ? "," : "") } printf "    }\n  }\n}\n" }' > "$work/governed/secrets.json"
printf 'services:\n  api:\n    environment:\n      SVC_000001: ${SVC_000001}\n' > "$work/app/docker-compose.yml"
cat > "$work/keyshift.yaml" <<YAML
version: 1
stores:
  legacy: { type: dotenv, path: legacy/.env }
  governed: { type: json, path: governed/secrets.json }
consumers:
  api: { owner: team-api, environment: production, paths: ["app/**"] }
moves:
  - from: legacy:SVC_*
    to: governed:services/moved#{name}
    owner: team-api
    consumers: [api]
policy: { maxAge: 90d }
YAML

measure() { # name, args…
  local name=$1; shift
  local start end secs rss cpu
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S %M" -o "$work/rss" dotnet "$cli" "$@" >"$work/out" 2>&1 || [ $? -eq 1 ] || { echo "$name failed:"; tail -5 "$work/out"; exit 1; }
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc)
  read -r user sys kb < <(tail -1 "$work/rss")
  rss=$(( kb / 1024 ))
  cpu=$(echo "$user + $sys" | bc)
  printf "| %-36s | %9s | %8.2f | %8.2f | %7s |\n" "$name" "$((2 * n))" "$secs" "$cpu" "$rss"
}

echo "| run | secrets | wall s | CPU s | peak MB |"
echo "| --- | ---: | ---: | ---: | ---: |"
measure "inventory --format json" inventory -c "$work/keyshift.yaml" --scan "$work/app" --format json
measure "inventory (table)" inventory -c "$work/keyshift.yaml" --scan "$work/app"
measure "inventory --format md" inventory -c "$work/keyshift.yaml" --scan "$work/app" --format md
measure "inventory --graph dot" inventory -c "$work/keyshift.yaml" --scan "$work/app" --graph dot
measure "inventory --graph mermaid" inventory -c "$work/keyshift.yaml" --scan "$work/app" --graph mermaid
