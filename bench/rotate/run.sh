#!/usr/bin/env bash
# 1,000 PostgreSQL credential rotations (alternating users) through `keyshift apply`, at --concurrency 1 and 4.
# Each rotation: prepare (dry-run clone), issue a new role, write username/password to a JSON store, probe the new
# and the old credential, cut over, sample pg_stat_activity, revoke the old role (NOLOGIN, sessions ended) and probe
# that it is refused. Prints the wall time per run and per rotation.
#   usage: bench/rotate/run.sh [N]        (needs test/servers.sh; started here when .test-servers/env is missing)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-1000}
cd "$root"
[ -f .test-servers/env ] || test/servers.sh start
. .test-servers/env
dotnet build src/Keyshift.Cli -c Release -nologo -v q >/dev/null
cli="$root/src/Keyshift.Cli/bin/Release/net10.0/Keyshift.Cli.dll"
psql_admin() { psql "$KEYSHIFT_TEST_PG_ADMIN_URL" -v ON_ERROR_STOP=1 -q "$@"; }

for concurrency in 1 4; do
  work=$(mktemp -d)
  prefix="bench_$(date +%s)_c${concurrency}"
  mkdir -p "$work/legacy"
  {
    echo "BEGIN;"
    for i in $(seq 1 "$n"); do
      pw=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
      echo "CREATE ROLE ${prefix}_$i LOGIN PASSWORD '$pw';"
      echo "DB_PASSWORD_$i=$pw" >>"$work/legacy/.env"
    done
    echo "COMMIT;"
  } | psql_admin >/dev/null
  {
    cat <<YAML
version: 1
name: bench-rotate
mode: credential-replacement
stores:
  legacy: { type: dotenv, path: legacy/.env }
  governed: { type: json, path: governed/secrets.json }
issuers:
  db: { type: postgres, host: 127.0.0.1, port: $KEYSHIFT_TEST_PG_PORT, database: postgres, admin: env:KEYSHIFT_TEST_PG_ADMIN_URL, sslmode: disable }
cutover: { dualRun: 0s, quietWindow: 0s, approvals: 0 }
moves:
YAML
    for i in $(seq 1 "$n"); do
      printf '  - { from: legacy:DB_PASSWORD_%s, to: governed:db%s/app, issuer: db, account: %s_%s, probes: [{ type: postgres }] }\n' "$i" "$i" "$prefix" "$i"
    done
  } >"$work/keyshift.yaml"
  start=$(date +%s.%N)
  dotnet "$cli" apply -c "$work/keyshift.yaml" --concurrency "$concurrency" --format json >"$work/apply.json"
  end=$(date +%s.%N)
  retired=$(grep -o '"Retired": *[0-9]*' "$work/apply.json" || echo 'Retired: 0')
  awk -v s="$start" -v e="$end" -v n="$n" -v c="$concurrency" -v r="$retired" \
    'BEGIN { t = e - s; printf "concurrency %d: %d rotations in %.1f s = %.1f ms per rotation (%s)\n", c, n, t, t * 1000 / n, r }'
  # Clean up: the retired old roles and the issued ones.
  psql_admin -At -c "SELECT rolname FROM pg_roles WHERE starts_with(rolname, '${prefix}_')" \
    | sed 's/.*/DROP ROLE IF EXISTS "&";/' | psql_admin >/dev/null
  rm -rf "$work"
done
