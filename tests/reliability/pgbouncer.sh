#!/usr/bin/env bash
# PgBouncer (Debian's package) in transaction-pooling mode in front of PostgreSQL: the PostgreSQL half of the test suite
# (every *OnPostgres / *Postgres* test class: each feature, the migrations, multi-node, the reliability matrices) runs with
# every connection — the harness's CREATE/DROP DATABASE included — going through PgBouncer. Transaction pooling hands
# each transaction to whichever server connection is free, so anything bound to a session (a session advisory lock,
# SET without LOCAL, LISTEN, a named prepared statement outside the transaction) would break here — so the app runs as
# docs/operations.md tells an operator to run it behind PgBouncer before 1.21: Database__PostgresPrepare=false.
# Usage: sudo bash tests/reliability/pgbouncer.sh   (FILTER=… to narrow the tests; KEEP_WORK=1 keeps PgBouncer's log)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/careerrelay-pgbouncer.XXXXXX)
chmod 755 "$WORK"
PGPORT=${PGPORT:-55470}
BOUNCER_PORT=${BOUNCER_PORT:-56432}
missing=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
command -v pgbouncer >/dev/null || missing+=(pgbouncer)
/usr/bin/python3 -c "import aiosmtpd" >/dev/null 2>&1 || missing+=(python3-aiosmtpd)
/usr/bin/python3 -c "import icalendar" >/dev/null 2>&1 || missing+=(python3-icalendar)
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
chown postgres:postgres "$WORK"

stop_all() {
  [ -f "$WORK/pgbouncer.pid" ] && kill "$(cat "$WORK/pgbouncer.pid")" 2>/dev/null || true
  su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $WORK/data -m immediate stop" >/dev/null 2>&1 || true
  if [ "${KEEP_WORK:-0}" = 1 ]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}
trap stop_all EXIT

# The same throwaway server as .ci/run, on its own port.
su postgres -s /bin/sh -c "$PGBIN/initdb -D $WORK/data -U postgres -A trust -E UTF8 --locale=C.UTF-8" >/dev/null
su postgres -s /bin/sh -c "$PGBIN/pg_ctl -D $WORK/data -l $WORK/server.log -w -o \"-p $PGPORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start" >/dev/null

cat > "$WORK/pgbouncer.ini" <<INI
[databases]
; every database the tests create, on the one server
* = host=127.0.0.1 port=$PGPORT
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir = $WORK
auth_type = trust
auth_file = $WORK/users.txt
pool_mode = transaction
max_client_conn = 4000
default_pool_size = 20
max_db_connections = 40
; Npgsql sends none of the others; a JDBC or psql client may send extra_float_digits
ignore_startup_parameters = extra_float_digits
server_reset_query =
stats_users = postgres
logfile = $WORK/pgbouncer.log
pidfile = $WORK/pgbouncer.pid
INI
echo '"postgres" ""' > "$WORK/users.txt"
chown postgres:postgres "$WORK/pgbouncer.ini" "$WORK/users.txt"
su postgres -s /bin/sh -c "pgbouncer -d $WORK/pgbouncer.ini"
for _ in $(seq 1 50); do psql -h 127.0.0.1 -p "$BOUNCER_PORT" -U postgres -d postgres -Atqc "select 1" >/dev/null 2>&1 && break; sleep 0.2; done
echo "· PgBouncer $(pgbouncer --version | head -1 | awk '{print $2}') on $BOUNCER_PORT, pool_mode = transaction, 20 server connections per database (40 at most)"

cd "$ROOT"
export CAREERRELAY_TEST_POSTGRES="Host=127.0.0.1;Port=$BOUNCER_PORT;Username=postgres;Database=postgres;Timeout=10"
export CAREERRELAY_CHROMIUM=/usr/bin/chromium
export Database__PostgresPrepare=${Database__PostgresPrepare:-false} # =true tries the writers falling back on their own
dotnet test tests/CareerRelay.Tests --filter "${FILTER:-FullyQualifiedName~Postgres}"
echo "· through PgBouncer: $(psql -h 127.0.0.1 -p "$BOUNCER_PORT" -U postgres -d pgbouncer -Atqc 'SHOW STATS' 2>/dev/null | awk -F'|' '{x+=$2; q+=$3} END {print x " transactions, " q " queries"}')"
