#!/usr/bin/env bash
# Load benchmark of the gateway, in one run (never part of ./test.sh): wrk against
#   1. nginx serving a static JSON answer (the backend, faster than any proxy),
#   2. nginx as a plain reverse proxy in front of it,
#   3. keyshift gateway in observe mode,
#   4. keyshift gateway in shadow mode (mirroring every GET to a second static nginx).
# Pinning: the proxy under test (nginx proxy, gateway) runs alone on the last core; the backend nginx (a
# separate instance) and wrk share the other cores. Each target is warmed up (JIT, pools) before it is measured.
# Usage: bench/gateway/run.sh [duration, default 15s] [connections, default 64] [warm-up, default 30s]; KEYSHIFT_BENCH_ROUNDS (default 3)
# Prints one markdown table row per target (throughput, p50, p99) for docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
duration=${1:-15s}
connections=${2:-64}
warmup=${3:-30s}
work=$(mktemp -d /tmp/keyshift-bench-gateway.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done; done
  rm -rf "$work"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }
command -v nginx >/dev/null || { echo "nginx is needed (apt-get install nginx)" >&2; exit 2; }
cores=$(nproc)
# The proxy under test gets the last core to itself; everything else (backend, wrk) the rest.
proxy_core=$((cores - 1))
load_cores="0-$((cores > 1 ? cores - 2 : 0))"
pin() { # pin CORES COMMAND...
  local core=$1; shift
  if [ "$cores" -ge 2 ] && command -v taskset >/dev/null; then taskset -c "$core" "$@"; else "$@"; fi
}
spawn() { # spawn CORES LOG COMMAND...: a pinned background process whose own pid is remembered for cleanup
  local core=$1 log=$2; shift 2
  if [ "$cores" -ge 2 ] && command -v taskset >/dev/null; then taskset -c "$core" "$@" >"$log" 2>&1 & else "$@" >"$log" 2>&1 & fi
  pids+=($!)
}

port_backend=47101 port_new=47102 port_nginx_proxy=47103
port_observe=47104 port_observe_admin=47105 port_shadow=47106 port_shadow_admin=47107
for port in $port_backend $port_new $port_nginx_proxy $port_observe $port_observe_admin $port_shadow $port_shadow_admin; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "port $port is in use: stop what holds it first" >&2; exit 2; fi
done

# Two nginx instances, so the proxy measured does not also serve the backend.
nginx_conf() { # nginx_conf NAME SERVERS
  mkdir -p "$work/$1"
  cat >"$work/$1/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/$1/nginx.pid;
error_log $work/$1/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000;
  $2
}
CONF
}
answer="default_type application/json; return 200 '{\"id\":\"ch_1\",\"amount\":1200,\"currency\":\"eur\",\"status\":\"paid\"}';"
nginx_conf backend "server { listen 127.0.0.1:$port_backend; location / { $answer } } server { listen 127.0.0.1:$port_new; location / { $answer } }"
nginx_conf proxy "upstream backend { server 127.0.0.1:$port_backend; keepalive 128; } server { listen 127.0.0.1:$port_nginx_proxy; location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
spawn "$load_cores" "$work/backend.out" nginx -c "$work/backend/nginx.conf" -p "$work/backend"
spawn "$proxy_core" "$work/proxy.out" nginx -c "$work/proxy/nginx.conf" -p "$work/proxy"

[ "${KEYSHIFT_BENCH_NO_BUILD:-0}" = 1 ] || dotnet build src/Keyshift.Cli -c Release -nologo -v q >/dev/null
cli="$root/src/Keyshift.Cli/bin/Release/net10.0/Keyshift.Cli.dll"

workspace() { # workspace DIR MODE LISTEN ADMIN
  mkdir -p "$1/legacy"
  echo "BENCH_KEY=bench-key-0123456789" >"$1/legacy/.env"
  cat >"$1/keyshift.yaml" <<YAML
version: 1
name: bench
stores:
  legacy: { type: dotenv, path: legacy/.env }
  governed: { type: json, path: governed/secrets.json }
moves:
  - from: legacy:UNUSED
    to: governed:x#y
gateway: { listen: "127.0.0.1:$3", admin: "127.0.0.1:$4" }
integrations:
  bench:
    mode: $2
    legacy: { url: "http://127.0.0.1:$port_backend", auth: { type: api-key } }
    new: { url: "http://127.0.0.1:$port_new", auth: { type: none } }
    consumers:
      bench: { legacyKey: legacy:BENCH_KEY }
    sunset: "2027-03-31"
YAML
}
workspace "$work/observe" observe $port_observe $port_observe_admin
workspace "$work/shadow" shadow $port_shadow $port_shadow_admin
spawn "$proxy_core" "$work/observe.log" dotnet "$cli" gateway -c "$work/observe/keyshift.yaml"
spawn "$proxy_core" "$work/shadow.log" dotnet "$cli" gateway -c "$work/shadow/keyshift.yaml"
for port in $port_backend $port_nginx_proxy $port_observe_admin $port_shadow_admin; do
  for _ in $(seq 1 600); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
done

# The machine is shared and its speed drifts from minute to minute: every target is warmed up once (tiered JIT reaches
# its final code only after tens of seconds of load), then measured in interleaved rounds, and the median round is
# reported. CPU per request is the proxy process's own user+system time (from /proc) over the round, divided by the
# requests completed: the cost of a request, independent of how busy the rest of the machine was.
rounds=${KEYSHIFT_BENCH_ROUNDS:-3}
names=("backend (nginx static JSON)" "nginx reverse proxy" "keyshift gateway, observe" "keyshift gateway, shadow")
urls=("http://127.0.0.1:$port_backend/v1/charges/ch_1" "http://127.0.0.1:$port_nginx_proxy/v1/charges/ch_1"
  "http://127.0.0.1:$port_observe/v1/charges/ch_1" "http://127.0.0.1:$port_shadow/v1/charges/ch_1")
nginx_worker() { pgrep -P "$(cat "$work/$1/nginx.pid")" | head -1; }
gateway_pid() { pgrep -f "gateway -c $work/$1/keyshift.yaml" | head -1; }
pids_of=("$(nginx_worker backend)" "$(nginx_worker proxy)" "$(gateway_pid observe)" "$(gateway_pid shadow)")
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
shadow_counts() { # comparisons dropped, from the shadow gateway's metrics
  curl -s "http://127.0.0.1:$port_shadow_admin/metrics" | awk '/^keyshift_gateway_shadow_comparisons_total/ {c += $2} /^keyshift_gateway_shadow_dropped_total/ {d += $2} END {print c + 0, d + 0}'
}
measure() { # measure INDEX CONNECTIONS -> "rps p50 p99 cpu-µs-per-request [comparisons dropped]"
  local pid=${pids_of[$1]} before after out requests c1 d1 c2 d2
  before=$(cpu_ticks "$pid"); [ "$1" = 3 ] && read -r c1 d1 < <(shadow_counts)
  out=$(pin "$load_cores" wrk -t1 -c"$2" -d"$duration" --latency -H "X-API-Key: bench-key-0123456789" "${urls[$1]}")
  after=$(cpu_ticks "$pid"); [ "$1" = 3 ] && read -r c2 d2 < <(shadow_counts)
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  printf '%s %s %s %s' "$(echo "$out" | awk '/Requests\/sec/ {printf "%d", $2}')" "$(echo "$out" | awk '$1=="50%" {print $2}')" \
    "$(echo "$out" | awk '$1=="99%" {print $2}')" "$(awk -v t=$((after - before)) -v r="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t * 1e6 / hz / r}')"
  [ "$1" = 3 ] && printf ' %s %s' $((c2 - c1)) $((d2 - d1))
  echo
}
for i in 0 1 2 3; do pin "$load_cores" wrk -t1 -c"$connections" -d"$warmup" -H "X-API-Key: bench-key-0123456789" "${urls[$i]}" >/dev/null; done
table() { # table CONNECTIONS SUFFIX
  local results=() r i
  for ((r = 0; r < rounds; r++)); do for i in 0 1 2 3; do results[i]+="$(measure "$i" "$1")"$'\n'; done; done
  for i in 0 1 2 3; do
    # the round with the median throughput
    local row; row=$(printf '%s' "${results[i]}" | sort -n | awk -v n="$rounds" 'NR == int((n + 1) / 2)')
    set -- "$1" "$2" $row
    local extra=""
    [ "$i" = 3 ] && extra=" (${7} compared, ${8} dropped)"
    printf '| %s%s | %s | %s | %s | %s µs%s |\n' "${names[i]}" "$2" "$3" "$4" "$5" "$6" "$extra"
    set -- "$1" "$2"
  done
}
echo "| target | requests/s | p50 | p99 | CPU per request |"
echo "| --- | --- | --- | --- | --- |"
table "$connections" ""
# Added latency below saturation: at 64 connections the median is mostly queueing (connections ÷ throughput), so
# the same targets are measured again with 4 connections, where it is each proxy's own time per request.
table 4 ", 4 connections"
