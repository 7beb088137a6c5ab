#!/usr/bin/env bash
# Plan + apply of N secrets through the real keyshift CLI on local files: secrets per second to "verified"
# and peak memory (RSS), for dotenv → YAML and JSON → k8s-secret. Not part of ./test.sh.
#   bench/migrate/run.sh [N]        (default 100000)
set -euo pipefail
n=${1:-100000}
root="$(cd "$(dirname "$0")/../.." && pwd)"
work=$(mktemp -d /tmp/keyshift-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet build "$root/src/Keyshift.Cli/Keyshift.Cli.csproj" -c Release -nologo -v q >/dev/null
cli="$root/src/Keyshift.Cli/bin/Release/net10.0/Keyshift.Cli.dll"
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)" >&2; exit 2; }

gen_dotenv() { awk -v n="$n" 'BEGIN { srand(7); for (i = 0; i < n; i++) printf "SVC_%06d=%08x%08x%08x%08x\n", i, rand()*4294967295, rand()*4294967295, rand()*4294967295, rand()*4294967295 }'; }
gen_json() { awk -v n="$n" 'BEGIN { srand(9); printf "{\n  \"services\": {\n    \"all\": {\n"; for (i = 0; i < n; i++) printf "      \"SVC_%06d\": \"%08x%08x%08x\"%s\n", i, rand()*4294967295, rand()*4294967295, rand()*4294967295, (i < n-1 ? "," : ""); printf "    }\n  }\n}\n" }'; }

measure() { # name, dir, args…
  local name=$1 dir=$2; shift 2
  local start end secs rss
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$dir/rss" dotnet "$cli" "$@" >"$dir/out" 2>&1 || { echo "$name failed:"; tail -5 "$dir/out"; exit 1; }
  end=$(date +%s.%N)
  secs=$(echo "$end - $start" | bc)
  rss=$(( $(tail -1 "$dir/rss") / 1024 ))
  printf "| %-44s | %9s | %8.2f | %10.0f | %7s |\n" "$name" "$n" "$secs" "$(echo "$n / $secs" | bc -l)" "$rss"
}

echo "| run | secrets | seconds | secrets/s | peak MB |"
echo "| --- | ---: | ---: | ---: | ---: |"

d="$work/dotenv-yaml"; mkdir -p "$d/legacy"
gen_dotenv > "$d/legacy/.env"
cat > "$d/keyshift.yaml" <<YAML
version: 1
stores:
  legacy: { type: dotenv, path: legacy/.env }
  governed: { type: yaml, path: governed/secrets.yaml }
moves:
  - from: legacy:SVC_*
    to: governed:services/all#{name}
cutover: { dualRun: 0s, quietWindow: 0s, approvals: 0 }
YAML
measure "dotenv → yaml: plan" "$d" plan -c "$d/keyshift.yaml" --format json
measure "dotenv → yaml: apply --until verified" "$d" apply -c "$d/keyshift.yaml" --until verified
measure "dotenv → yaml: apply (cutover + retire)" "$d" apply -c "$d/keyshift.yaml"

d="$work/json-k8s"; mkdir -p "$d/legacy"
gen_json > "$d/legacy/secrets.json"
cat > "$d/keyshift.yaml" <<YAML
version: 1
stores:
  legacy: { type: json, path: legacy/secrets.json }
  governed: { type: k8s-secret, path: governed/secrets.yaml }
moves:
  - from: legacy:services/all#*
    to: governed:prod/services#{name}
cutover: { dualRun: 0s, quietWindow: 0s, approvals: 0 }
YAML
measure "json → k8s-secret: plan" "$d" plan -c "$d/keyshift.yaml" --format json
measure "json → k8s-secret: apply --until verified" "$d" apply -c "$d/keyshift.yaml" --until verified
measure "json → k8s-secret: apply (cutover + retire)" "$d" apply -c "$d/keyshift.yaml"
