# Shared by the reliability scripts (source it): a throwaway PostgreSQL with durable settings, a Release build of
# the app, and app nodes started as separate processes — the real parts a deployment has.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WORK=$(mktemp -d /tmp/careerrelay-reliability.XXXXXX)
chmod 755 "$WORK"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGPORT=${RELIABILITY_PG_PORT:-55440}
OPERATOR_KEY="cr_op_reliability-operator-key-000000000000"
MASTER_KEY=$(head -c 32 /dev/urandom | base64)
declare -A NODE_PIDS=()

need() {
  local missing=()
  ls "$PGBIN/pg_ctl" >/dev/null 2>&1 || missing+=(postgresql)
  command -v psql >/dev/null || missing+=(postgresql-client)
  command -v python3 >/dev/null || missing+=(python3)
  if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; fi
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
}

# PostgreSQL as the postgres user on 127.0.0.1 with its own port and socket folder. fsync stays ON: R2 and the
# restart check are about what survives, so the server keeps its normal durability.
start_pg() {
  mkdir -p "$WORK/pg" && chown postgres:postgres "$WORK/pg"
  su postgres -s /bin/sh -c "$PGBIN/initdb -D $WORK/pg/data -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
  pg_start
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -qc "CREATE DATABASE careerrelay" >/dev/null
}
pg_start() {
  # Right after a crash the old server's processes may still hold the port for a moment: try again shortly.
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $WORK/pg/data -l $WORK/pg/server.log -w -o \"-p $PGPORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c max_connections=200\" start" >/dev/null && return 0
    sleep 1
  done
  return 1
}
# A crash, not a shutdown: the server stops at once and recovers from its WAL when started again.
pg_crash() { su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $WORK/pg/data -m immediate stop" >/dev/null; }
sql() { psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d careerrelay -Atqc "$1"; }

# A script may point the nodes elsewhere (failover.sh: a multi-host string) by setting these before sourcing this file.
CONNECTION=${CONNECTION:-"Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=careerrelay;Timeout=5;Maximum Pool Size=60"}
PSQL_CMD=${PSQL_CMD:-"psql -h 127.0.0.1 -p $PGPORT -U postgres -d careerrelay"}

publish() {
  echo "· Release build"
  source "$ROOT/bench/publish.sh"; publish_app "$WORK/app"
}

APP_ENV=(Database__Provider=Postgres "ConnectionStrings__CareerRelay=$CONNECTION"
  CareerRelay__Keys__MasterKey="$MASTER_KEY" CareerRelay__Demo__Seed=false
  CareerRelay__Bootstrap__OperatorApiKey="$OPERATOR_KEY" CareerRelay__PublicBaseUrl=https://relay.example.jp
  RateLimiting__PublicPermitsPerMinute=0 Relay__Fraud__RegistrationsPerIpPerHour=0 Relay__Fraud__LinkBurstPerHour=0
  Relay__Fraud__CompaniesPerPerson=0 Logging__LogLevel__Default=Warning ASPNETCORE_CONTENTROOT="$WORK/app")
app_env() { env "${APP_ENV[@]}" "$@"; }

migrate() { app_env CareerRelay__DataDirectory="$WORK/node0" dotnet "$WORK/app/CareerRelay.Web.dll" migrate >/dev/null; }

# launch_node N PORT: its own data folder and mail pickup folder (every node writes the mail it sends as .eml).
launch_node() {
  local n=$1 port=$2
  if curl -s -o /dev/null "http://127.0.0.1:$port/healthz/live"; then echo "port $port is taken (a node left from another run?)" >&2; return 1; fi
  mkdir -p "$WORK/node$n/mail"
  # `env` execs dotnet, so $! is the app's own process id (what `kill -9` must hit), not a subshell's.
  env "${APP_ENV[@]}" CareerRelay__DataDirectory="$WORK/node$n" Mail__PickupDirectory="$WORK/node$n/mail" \
    Database__MigrateOnStart=false ASPNETCORE_URLS="http://127.0.0.1:$port" \
    dotnet "$WORK/app/CareerRelay.Web.dll" >> "$WORK/node$n.log" 2>&1 &
  NODE_PIDS[$n]=$!
}
await_node() {
  local n=$1 port=$2
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && return 0; sleep 0.2; done
  echo "node $n did not start; its log:" >&2; tail -20 "$WORK/node$n.log" >&2; return 1
}
start_node() { launch_node "$1" "$2" && await_node "$1" "$2"; }
# Both nodes launched together (so they also start up against each other), then both awaited.
start_two_nodes() { launch_node 1 5101; launch_node 2 5102; await_node 1 5101; await_node 2 5102; }
kill_node() { kill -9 "${NODE_PIDS[$1]}" 2>/dev/null || true; wait "${NODE_PIDS[$1]}" 2>/dev/null || true; }

verify_ledger() {
  echo "· verify-ledger"
  app_env CareerRelay__DataDirectory="$WORK/node0" dotnet "$WORK/app/CareerRelay.Web.dll" verify-ledger
}

cleanup() {
  pkill -f "load.py .*--work $WORK" 2>/dev/null || true
  for pid in "${NODE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  pg_crash 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# run_load N: the load driver over both nodes, in the background (its pid in LOAD); progress N … counts requests sent.
run_load() {
  LOAD_TOTAL=$1
  python3 "$ROOT/tests/reliability/load.py" --nodes http://127.0.0.1:5101,http://127.0.0.1:5102 \
    --mail "$WORK/node1/mail,$WORK/node2/mail" --operator-key "$OPERATOR_KEY" --work "$WORK" \
    --psql "$PSQL_CMD" \
    --registrations "$LOAD_TOTAL" --companies "${COMPANIES:-20}" --threads "${THREADS:-32}" --settle "${SETTLE:-300}" &
  LOAD=$!
}
progress() { cat "$WORK/progress" 2>/dev/null || echo 0; }
# wait_until_sent PERCENT: returns once that share of the registrations has been sent.
wait_until_sent() { until [ "$(progress)" -ge $((LOAD_TOTAL * $1 / 100)) ]; do sleep 0.1; done; }
