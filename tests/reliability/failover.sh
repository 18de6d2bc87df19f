#!/usr/bin/env bash
# R6: the database fails over under load. A real PostgreSQL high-availability pair built from Debian's packages with
# pg_auto_failover (a monitor and two data nodes, all on 127.0.0.1), synchronous replication to the standby (what makes
# an acknowledged registration survive the failover), two app nodes given both servers in one connection string
# (Target Session Attributes=primary). At 40 % of the load the primary's machine "dies": its keeper and its postmaster
# are killed with SIGKILL. The monitor promotes the standby; meanwhile the nodes answer 503 with Retry-After, never 500.
# Afterwards every acknowledged registration is present exactly once and mailed, every slot exact, verify-ledger clean,
# the outbox drained. Prints the failover time (kill → both nodes healthy again) and the 503s.
# Usage: sudo bash tests/reliability/failover.sh   (REGISTRATIONS=…; KEEP_WORK=1 keeps logs; COST=1 also measures what
#        synchronous replication costs: pgbench and the app's registrations/s, synchronous and asynchronous)
PORT_MONITOR=${PORT_MONITOR:-55460}; PORT_A=${PORT_A:-55461}; PORT_B=${PORT_B:-55462}
CONNECTION="Host=127.0.0.1:$PORT_A,127.0.0.1:$PORT_B;Target Session Attributes=primary;Username=postgres;Database=careerrelay;Timeout=5;Maximum Pool Size=60"
PSQL_CMD="psql postgresql://postgres@127.0.0.1:$PORT_A,127.0.0.1:$PORT_B/careerrelay?target_session_attrs=read-write"
source "$(dirname "$0")/lib.sh"
need
command -v pg_autoctl >/dev/null || { apt-get update -qq && apt-get install -y -qq "postgresql-$(basename "$(dirname "$PGBIN")")-auto-failover" pg-auto-failover-cli >/dev/null; }

MONITOR_URI="postgres://autoctl_node@127.0.0.1:$PORT_MONITOR/pg_auto_failover?sslmode=disable"
declare -A KEEPERS=()
as_pg() { su postgres -s /bin/bash -c "PATH=$PGBIN:\$PATH $*"; }
autoctl_bg() { local name=$1; shift; su postgres -s /bin/bash -c "PATH=$PGBIN:\$PATH exec pg_autoctl $*" >> "$WORK/$name.log" 2>&1 & KEEPERS[$name]=$!; }
state() { as_pg "pg_autoctl show state --pgdata $WORK/ha/monitor --json" 2>/dev/null; }
# The node (a or b) the monitor holds as primary, else nothing.
primary() { state | python3 -c "import json,sys
for n in json.load(sys.stdin):
    if n['reported_state'] == 'primary' and n['assigned_state'] == 'primary': print('a' if n['port'] == $PORT_A else 'b')" 2>/dev/null || true; }
secondary_ready() { state | python3 -c "import json,sys; sys.exit(0 if any(n['reported_state'] == 'secondary' and n['assigned_state'] == 'secondary' for n in json.load(sys.stdin)) else 1)" 2>/dev/null; }
wait_for() { local what=$1 seconds=$2; shift 2; for _ in $(seq 1 $((seconds * 5))); do "$@" && return 0; sleep 0.2; done; echo "timed out waiting for $what" >&2; return 1; }

# Stop everything of the formation when the script ends (lib.sh's cleanup calls pg_crash).
pg_crash() {
  for pid in "${KEEPERS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  pkill -9 -u postgres -f "$WORK/ha" 2>/dev/null || true
}

echo "· pg_auto_failover: monitor on $PORT_MONITOR, data nodes on $PORT_A and $PORT_B"
mkdir -p "$WORK/ha" && chown postgres:postgres "$WORK/ha"
as_pg "pg_autoctl create monitor --pgdata $WORK/ha/monitor --pgport $PORT_MONITOR --hostname 127.0.0.1 --auth trust --no-ssl" >> "$WORK/monitor.log" 2>&1
autoctl_bg monitor run --pgdata "$WORK/ha/monitor"
wait_for "the monitor" 60 as_pg "pg_isready -q -h 127.0.0.1 -p $PORT_MONITOR"
# Failure detection in seconds rather than the defaults' half minute. primary_demote_timeout is how long the monitor
# waits for an unreachable primary to have demoted itself before it promotes the standby: safe to shorten only with
# the keepers' network_partition_timeout shortened to match (below), so a cut-off primary stops taking writes first.
psql -h 127.0.0.1 -p "$PORT_MONITOR" -U postgres -d pg_auto_failover -qc "
  ALTER SYSTEM SET pgautofailover.health_check_period = 1000;
  ALTER SYSTEM SET pgautofailover.health_check_timeout = 1000;
  ALTER SYSTEM SET pgautofailover.health_check_max_retries = 1;
  ALTER SYSTEM SET pgautofailover.health_check_retry_delay = 500;
  ALTER SYSTEM SET pgautofailover.node_considered_unhealthy_timeout = 5000;
  ALTER SYSTEM SET pgautofailover.primary_demote_timeout = 10000;
  SELECT pg_reload_conf();" >/dev/null
create_node() {
  local name=$1 port=$2
  as_pg "pg_autoctl create postgres --pgdata $WORK/ha/$name --pgport $port --hostname 127.0.0.1 --name $name --auth trust --no-ssl \
    --dbname careerrelay --monitor '$MONITOR_URI'" >> "$WORK/$name.log" 2>&1
  as_pg "pg_autoctl config set --pgdata $WORK/ha/$name timeout.network_partition_timeout 8" >/dev/null
  autoctl_bg "$name" run --pgdata "$WORK/ha/$name"
}
create_node a "$PORT_A"
wait_for "node a as primary" 120 test "$(primary)" = a
create_node b "$PORT_B"
wait_for "node b as a synchronous standby" 180 secondary_ready
echo "  a primary, b secondary; synchronous_standby_names = '$(psql -h 127.0.0.1 -p "$PORT_A" -U postgres -Atqc "show synchronous_standby_names")', synchronous_commit = $(psql -h 127.0.0.1 -p "$PORT_A" -U postgres -Atqc "show synchronous_commit")"

publish; migrate
start_two_nodes

if [ "${COST:-0}" = 1 ]; then
  # What synchronous replication costs P3: pgbench -N and the app's registrations, each synchronous then asynchronous
  # (the standby taken out of the quorum), on the same pair in the same run.
  psql -h 127.0.0.1 -p "$PORT_A" -U postgres -qc "CREATE DATABASE pgbench" >/dev/null
  as_pg "pgbench -h 127.0.0.1 -p $PORT_A -i -s 10 -q pgbench" >/dev/null 2>&1
  for mode in synchronous asynchronous; do
    if [ "$mode" = asynchronous ]; then
      as_pg "pg_autoctl set node replication-quorum false --pgdata $WORK/ha/b" >/dev/null
      wait_for "asynchronous replication" 60 test -z "$(psql -h 127.0.0.1 -p "$PORT_A" -U postgres -Atqc 'show synchronous_standby_names')"
    fi
    tps=$(as_pg "pgbench -h 127.0.0.1 -p $PORT_A -N -c 32 -j 2 -T 10 pgbench" 2>/dev/null | awk '/^tps/ {print $3; exit}')
    SETTLE=120 run_load 3000; wait $LOAD > "$WORK/cost-$mode.txt" 2>&1 || true
    rps=$(python3 -c "import json; print(json.load(open('$WORK/result.json'))['registrationsPerSecond'])")
    echo "  $mode: pgbench -N $tps tps; registrations $rps/s over two nodes; ratio $(python3 -c "print(round($rps/$tps, 3))")"
  done
  as_pg "pg_autoctl set node replication-quorum true --pgdata $WORK/ha/b" >/dev/null
  wait_for "synchronous replication again" 60 test -n "$(psql -h 127.0.0.1 -p "$PORT_A" -U postgres -Atqc 'show synchronous_standby_names')"
fi

TOTAL=${REGISTRATIONS:-10000}
echo "· failover: $TOTAL registrations over two nodes; the primary's machine dies at 40 %"
run_load "$TOTAL"
wait_until_sent 40
OLD=$(primary); NEW=$([ "$OLD" = a ] && echo b || echo a)
KILLED_AT=$(date +%s.%N)
# The machine dies: its keeper first (so nothing restarts PostgreSQL), then the postmaster and its children.
kill -9 "${KEEPERS[$OLD]}" 2>/dev/null || true
pkill -9 -u postgres -f "pg_autoctl.*$WORK/ha/$OLD" 2>/dev/null || true
pkill -9 -u postgres -f "postgres -D $WORK/ha/$OLD" 2>/dev/null || true
kill -9 "$(head -1 "$WORK/ha/$OLD/postmaster.pid")" 2>/dev/null || true
echo "  primary ($OLD) killed after $(progress) registrations were sent"
wait_for "$NEW promoted" 120 test "$(primary)" = "$NEW"
PROMOTED_AT=$(date +%s.%N)
both_healthy() { curl -sf http://127.0.0.1:5101/healthz >/dev/null && curl -sf http://127.0.0.1:5102/healthz >/dev/null; }
wait_for "both nodes healthy" 120 both_healthy
HEALTHY_AT=$(date +%s.%N)
echo "  $NEW promoted $(python3 -c "print(round($PROMOTED_AT - $KILLED_AT, 1))") s after the kill; both app nodes healthy after $(python3 -c "print(round($HEALTHY_AT - $KILLED_AT, 1))") s"
wait $LOAD
verify_ledger
echo "failover passed: $(cat "$WORK/result.json")"
