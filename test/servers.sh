#!/usr/bin/env bash
# Starts (or stops) throwaway PostgreSQL 15, Redis 7, RabbitMQ 3.10 and oidc-provider (OAuth 2.0) servers on
# loopback for the tests.
#   test/servers.sh start   installs missing packages (apt), starts the three servers in .test-servers/,
#                           waits until each answers, writes .test-servers/env (connection facts)
#   test/servers.sh stop    stops what start started and removes .test-servers/
# Everything lives under .test-servers/ in the repository (git-ignored); nothing touches system services.
# oidc-provider is installed once with npm into .test-servers/oidc/node_modules, which stop keeps.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
base="$root/.test-servers"
pg_bin=/usr/lib/postgresql/15/bin
timeout_total=${KEYSHIFT_SERVERS_TIMEOUT:-180}

say() { echo "servers: $*" >&2; }
die() { say "error: $*"; exit 1; }

# ---------------------------------------------------------------- packages
install_missing() {
  local missing=()
  [ -x "$pg_bin/postgres" ] || missing+=(postgresql)
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
  command -v curl >/dev/null 2>&1 || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}) and not root: install them with apt-get"
  say "installing ${missing[*]} (apt-get)"
  # Keep the packages' own services from starting on their default ports: the tests start their own.
  local policy=/usr/sbin/policy-rc.d added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && added_policy=1
  fi
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
    >"/tmp/keyshift-apt.log" 2>&1 || rc=$?
  [ "$added_policy" = 1 ] && rm -f "$policy"
  [ "$rc" = 0 ] || { tail -n 20 /tmp/keyshift-apt.log >&2; die "apt-get install ${missing[*]} failed (log: /tmp/keyshift-apt.log)"; }
}

# ---------------------------------------------------------------- helpers
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Sets the variable named $1 to the first free port at or after $2 not taken by an earlier pick. (Not
# called as $(pick_port …): a subshell would forget the earlier picks, and two servers could get one port.)
picked=""
pick_port() {
  local p=$2
  while ! port_free "$p" || [[ " $picked " == *" $p "* ]]; do p=$((p + 1)); done
  picked="$picked $p"
  printf -v "$1" '%s' "$p"
}
secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
deadline=0
wait_for() { # wait_for NAME COMMAND...
  local name=$1; shift
  while ! "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$deadline" ]; then return 1; fi
    sleep 0.2
  done
  say "$name ready"
}
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"; }

# ---------------------------------------------------------------- stop
stop_all() {
  [ -d "$base" ] || return 0
  if [ -f "$base/pg/data/postmaster.pid" ]; then
    as_nobody "$pg_bin/pg_ctl" -D "$base/pg/data" -m immediate -w -t 20 stop >/dev/null 2>&1 || true
  fi
  if [ -f "$base/redis/redis.pid" ]; then
    local pid; pid=$(cat "$base/redis/redis.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -f "$base/rabbit/env" ]; then
    # shellcheck disable=SC1091
    ( . "$base/rabbit/env" && timeout 30 rabbitmqctl -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1 ) || true
    local pid; pid=$(cat "$base/rabbit/server.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  fi
  if [ -f "$base/oidc/server.pid" ]; then
    local pid; pid=$(cat "$base/oidc/server.pid" 2>/dev/null || true)
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  # Everything goes except the npm install of oidc-provider, which is slow to repeat.
  find "$base" -mindepth 1 -maxdepth 1 ! -name oidc -exec rm -rf {} +
  if [ -d "$base/oidc" ]; then
    find "$base/oidc" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name package.json ! -name package-lock.json -exec rm -rf {} +
  fi
}

# ---------------------------------------------------------------- postgres
start_postgres() {
  local dir="$base/pg"
  mkdir -p "$dir/sock"
  secret >"$dir/pwfile"
  pg_password=$(cat "$dir/pwfile")
  chown -R nobody:nogroup "$dir"
  chmod 700 "$dir"
  as_nobody "$pg_bin/initdb" -D "$dir/data" -U keyshift_admin --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  rm -f "$dir/pwfile"
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $pg_port
unix_socket_directories = '$dir/sock'
log_connections = on
log_disconnections = on
logging_collector = off
password_encryption = 'scram-sha-256'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  # The log belongs to nobody but tests (root) read it; keep it world-readable.
  as_nobody touch "$dir/pg.log"
  chmod 644 "$dir/pg.log"
  chmod 755 "$dir"
  as_nobody "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/pg.log" -w -t 30 start >"$dir/pg_ctl.log" 2>&1 \
    || { tail -n 20 "$dir/pg.log" >&2; die "PostgreSQL did not start (log: $dir/pg.log)"; }
  wait_for "PostgreSQL on 127.0.0.1:$pg_port" "$pg_bin/pg_isready" -h 127.0.0.1 -p "$pg_port" \
    || die "PostgreSQL did not answer within ${timeout_total}s (log: $dir/pg.log)"
}

# ---------------------------------------------------------------- redis
start_redis() {
  local dir="$base/redis"
  mkdir -p "$dir"
  redis_password=$(secret)
  # The password goes through a config file, not the command line (ps would show it).
  cat >"$dir/redis.conf" <<EOF
port $redis_port
bind 127.0.0.1
daemonize yes
dir $dir
pidfile $dir/redis.pid
logfile $dir/redis.log
save ""
appendonly no
requirepass $redis_password
EOF
  chmod 600 "$dir/redis.conf"
  redis-server "$dir/redis.conf" || die "redis-server did not start (log: $dir/redis.log)"
  wait_for "Redis on 127.0.0.1:$redis_port" env REDISCLI_AUTH="$redis_password" redis-cli -h 127.0.0.1 -p "$redis_port" ping \
    || die "Redis did not answer within ${timeout_total}s (log: $dir/redis.log)"
}

# ---------------------------------------------------------------- rabbitmq
start_rabbit() { # launches the node; finish_rabbit waits for it
  local dir="$base/rabbit"
  mkdir -p "$dir/mnesia" "$dir/log"
  rabbit_user=keyshift_admin
  rabbit_password=$(secret)
  cat >"$dir/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$rabbit_amqp_port
management.tcp.port = $rabbit_mgmt_port
management.tcp.ip = 127.0.0.1
# Connections show in the management API after the next statistics event: keep that short for tests.
collect_statistics_interval = 500
log.console = false
log.file.level = info
EOF
  echo '[rabbitmq_management].' >"$dir/enabled_plugins"
  cat >"$dir/env" <<EOF
export RABBITMQ_MNESIA_BASE='$dir/mnesia'
export RABBITMQ_LOG_BASE='$dir/log'
export RABBITMQ_NODENAME='keyshift-test-$rabbit_amqp_port@localhost'
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$rabbit_amqp_port
export RABBITMQ_DIST_PORT=$rabbit_dist_port
export RABBITMQ_ENABLED_PLUGINS_FILE='$dir/enabled_plugins'
export RABBITMQ_CONFIG_FILE='$dir/rabbitmq.conf'
export RABBITMQ_PID_FILE='$dir/rabbit.pid'
export RABBITMQ_CONF_ENV_FILE='$dir/rabbitmq-env.conf'
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
export ERL_EPMD_ADDRESS=127.0.0.1
EOF
  : >"$dir/rabbitmq-env.conf"
  if id rabbitmq >/dev/null 2>&1; then chown -R rabbitmq:rabbitmq "$dir"; fi
  chmod 755 "$base"
  # shellcheck disable=SC1091
  ( . "$dir/env" && exec setsid rabbitmq-server >"$dir/server.out" 2>&1 ) &
  echo $! >"$dir/server.pid"
}

finish_rabbit() {
  local dir="$base/rabbit"
  # shellcheck disable=SC1091
  . "$dir/env"
  wait_for "RabbitMQ node $RABBITMQ_NODENAME" rabbitmqctl -n "$RABBITMQ_NODENAME" -q await_startup \
    || { tail -n 30 "$dir/server.out" >&2; die "RabbitMQ did not start within ${timeout_total}s (logs: $dir/log, $dir/server.out)"; }
  rabbitmqctl -n "$RABBITMQ_NODENAME" -q add_user "$rabbit_user" "$rabbit_password" >/dev/null
  rabbitmqctl -n "$RABBITMQ_NODENAME" -q set_user_tags "$rabbit_user" administrator >/dev/null
  rabbitmqctl -n "$RABBITMQ_NODENAME" -q set_permissions -p / "$rabbit_user" '.*' '.*' '.*' >/dev/null
  wait_for "RabbitMQ management on 127.0.0.1:$rabbit_mgmt_port" \
    curl -fsS -u "$rabbit_user:$rabbit_password" "http://127.0.0.1:$rabbit_mgmt_port/api/overview" \
    || die "RabbitMQ management API did not answer within ${timeout_total}s"
}

# ---------------------------------------------------------------- oidc-provider
start_oidc() {
  local dir="$base/oidc"
  mkdir -p "$dir"
  command -v node >/dev/null 2>&1 || die "node is needed for oidc-provider (Debian: apt-get install nodejs npm)"
  if [ ! -f "$dir/node_modules/oidc-provider/package.json" ]; then
    say "installing oidc-provider (npm)"
    [ -f "$dir/package.json" ] || echo '{"name":"keyshift-test-oidc","private":true}' >"$dir/package.json"
    ( cd "$dir" && npm install --no-audit --no-fund --silent oidc-provider@8 ) >"$dir/npm.log" 2>&1 \
      || { tail -n 20 "$dir/npm.log" >&2; die "npm install oidc-provider failed (log: $dir/npm.log)"; }
  fi
  cp "$root/test/oidc/server.mjs" "$dir/server.mjs"
  oidc_billing_secret=$(secret)
  oidc_ledger_secret=$(secret)
  oidc_api_secret=$(secret)
  ( umask 077
    printf '[{"client_id":"billing-worker","client_secret":"%s"},{"client_id":"ledger-sync","client_secret":"%s"},{"client_id":"new-api","client_secret":"%s"}]\n' \
      "$oidc_billing_secret" "$oidc_ledger_secret" "$oidc_api_secret" >"$dir/clients.json" )
  ( cd "$dir" && OIDC_PORT=$oidc_port OIDC_CLIENTS="$dir/clients.json" exec setsid node server.mjs >"$dir/server.log" 2>&1 ) &
  echo $! >"$dir/server.pid"
}

finish_oidc() {
  wait_for "oidc-provider on 127.0.0.1:$oidc_port" curl -fsS "http://127.0.0.1:$oidc_port/.well-known/openid-configuration" \
    || { tail -n 20 "$base/oidc/server.log" >&2; die "oidc-provider did not answer within ${timeout_total}s (log: $base/oidc/server.log)"; }
}

# ---------------------------------------------------------------- main
case "${1:-}" in
  start)
    started=$(date +%s)
    install_missing
    command -v setpriv >/dev/null || die "setpriv (util-linux) is needed to run PostgreSQL as nobody"
    command -v curl >/dev/null || die "curl is needed to wait for the RabbitMQ management API"
    # A previous run may still be up (or half up): stop it and start clean.
    stop_all
    mkdir -p "$base"
    chmod 755 "$base"
    deadline=$(( $(date +%s) + timeout_total ))
    picked=""
    pick_port pg_port 45432
    pick_port redis_port 46379
    pick_port rabbit_amqp_port 45672
    pick_port rabbit_mgmt_port 45673
    pick_port rabbit_dist_port 45674
    pick_port oidc_port 44300
    # RabbitMQ boots slowest (Erlang): start it first, bring the others up meanwhile.
    start_rabbit
    start_oidc
    start_postgres
    start_redis
    finish_rabbit
    finish_oidc
    umask 077
    cat >"$base/env" <<EOF
export KEYSHIFT_TEST_PG_HOST=127.0.0.1
export KEYSHIFT_TEST_PG_PORT=$pg_port
export KEYSHIFT_TEST_PG_ADMIN_URL='postgresql://keyshift_admin:$pg_password@127.0.0.1:$pg_port/postgres'
export KEYSHIFT_TEST_PG_LOG='$base/pg/pg.log'
export KEYSHIFT_TEST_REDIS_PORT=$redis_port
export KEYSHIFT_TEST_REDIS_ADMIN_PASSWORD='$redis_password'
export KEYSHIFT_TEST_RABBIT_AMQP_PORT=$rabbit_amqp_port
export KEYSHIFT_TEST_RABBIT_MGMT_PORT=$rabbit_mgmt_port
export KEYSHIFT_TEST_RABBIT_ADMIN_USER=$rabbit_user
export KEYSHIFT_TEST_RABBIT_ADMIN_PASSWORD='$rabbit_password'
export KEYSHIFT_TEST_OIDC_URL=http://127.0.0.1:$oidc_port
export KEYSHIFT_TEST_OIDC_BILLING_SECRET='$oidc_billing_secret'
export KEYSHIFT_TEST_OIDC_LEDGER_SECRET='$oidc_ledger_secret'
export KEYSHIFT_TEST_OIDC_API_CLIENT=new-api
export KEYSHIFT_TEST_OIDC_API_SECRET='$oidc_api_secret'
EOF
    say "all up in $(( $(date +%s) - started ))s; env in $base/env"
    ;;
  stop)
    stop_all
    say "stopped"
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
