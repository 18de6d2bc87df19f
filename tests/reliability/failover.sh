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
# Everything of a node — its keeper, the keeper's supervisor, the postmaster and every backend — shares one session (su
# starts one), so "the machine dies" is a SIGKILL to that session. Killing only the keeper and the postmaster is not
# enough: the keeper's supervisor restarts the postmaster by itself (a first version of this script did that, and the old
# primary came back, still waiting for its lost standby).
kill_node_session() {
  local keeper session; keeper=$(pgrep -f "^pg_autoctl run --pgdata $WORK/ha/$1\$") || return 0
  session=$(ps -o sid= -p "$keeper" | tr -d ' ')
  # Never this script's own session (su's parent side lives there).
  [ -n "$session" ] && [ "$session" != "$(ps -o sid= -p $$ | tr -d ' ')" ] && pkill -9 -s "$session" 2>/dev/null || true
}
state() { as_pg "pg_autoctl show state --pgdata $WORK/ha/monitor --json" 2>/dev/null; }
# The node (a or b) the monitor holds as the one taking writes ("single" while it is alone, "primary" with a standby;
# "wait_primary" while its standby is away and it takes writes without waiting for one), else nothing.
primary() { state | python3 -c "import json,sys
for n in json.load(sys.stdin):
    if n['current_group_state'] == n['assigned_group_state'] and n['current_group_state'] in ('single', 'primary', 'wait_primary'): print(n['nodename'])" 2>/dev/null || true; }
secondary_ready() { state | python3 -c "import json,sys; sys.exit(0 if any(n['current_group_state'] == 'secondary' == n['assigned_group_state'] for n in json.load(sys.stdin)) else 1)" 2>/dev/null; }
# wait_for WHAT SECONDS COMMAND…: runs the command again until it succeeds (a function, so each try looks anew).
wait_for() { local what=$1 until=$((SECONDS + $2)); shift 2; while [ $SECONDS -lt $until ]; do "$@" && return 0; sleep 0.2; done; echo "timed out waiting for $what" >&2; return 1; }
is_primary() { test "$(primary)" = "$1"; }
sync_names() { psql -h 127.0.0.1 -p "$1" -U postgres -Atqc "show synchronous_standby_names" 2>/dev/null; }
is_async() { test -z "$(sync_names "$PORT_A")"; }
is_sync() { test -n "$(sync_names "$PORT_A")"; }

# Stop everything of the formation when the script ends (lib.sh's cleanup calls pg_crash).
pg_crash() {
  for node in a b monitor; do kill_node_session "$node"; done
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
for setting in health_check_period=1000 health_check_timeout=1000 health_check_max_retries=1 health_check_retry_delay=500 \
               node_considered_unhealthy_timeout=5000 primary_demote_timeout=10000; do
  psql -h 127.0.0.1 -p "$PORT_MONITOR" -U postgres -d pg_auto_failover -qc "ALTER SYSTEM SET pgautofailover.${setting%%=*} = ${setting#*=}" >/dev/null
done
psql -h 127.0.0.1 -p "$PORT_MONITOR" -U postgres -d pg_auto_failover -qc "SELECT pg_reload_conf()" >/dev/null
create_node() {
  local name=$1 port=$2
  as_pg "pg_autoctl create postgres --pgdata $WORK/ha/$name --pgport $port --hostname 127.0.0.1 --name $name --auth trust --no-ssl \
    --dbname careerrelay --monitor '$MONITOR_URI'" >> "$WORK/$name.log" 2>&1
  as_pg "pg_autoctl config set --pgdata $WORK/ha/$name timeout.network_partition_timeout 8" >/dev/null
  autoctl_bg "$name" run --pgdata "$WORK/ha/$name"
}
create_node a "$PORT_A"
wait_for "node a as primary" 120 is_primary a
create_node b "$PORT_B"
wait_for "node b as a synchronous standby" 180 secondary_ready
# "primary" proper (not wait_primary): only then does the primary wait for its standby on every commit.
is_primary_with_standby() { state | python3 -c "import json,sys; sys.exit(0 if any(n['nodename'] == 'a' and n['current_group_state'] == 'primary' == n['assigned_group_state'] for n in json.load(sys.stdin)) else 1)" 2>/dev/null; }
wait_for "a as primary with its standby" 60 is_primary_with_standby
wait_for "synchronous replication" 60 is_sync
echo "  a primary, b secondary; synchronous_standby_names = '$(psql -h 127.0.0.1 -p "$PORT_A" -U postgres -Atqc "show synchronous_standby_names")', synchronous_commit = $(psql -h 127.0.0.1 -p "$PORT_A" -U postgres -Atqc "show synchronous_commit")"

publish; migrate
start_two_nodes

if [ "${COST:-0}" = 1 ]; then
  # What synchronous replication costs P3, on this pair in this run: pgbench -N (scale 10) and the app's registrations/s
  # (wrk with bench/registration.lua on node 1, as bench/load.sh measures P2/P3), each synchronous and asynchronous. For
  # "asynchronous" synchronous_standby_names is emptied on the primary for the measurement (pg_autoctl's own switch,
  # `set node replication-quorum false`, failed here with an encoding error from pg_autoctl 2.0) and restored after.
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  psql -h 127.0.0.1 -p "$PORT_A" -U postgres -qc "CREATE DATABASE pgbench" >/dev/null
  as_pg "pgbench -h 127.0.0.1 -p $PORT_A -i -s 10 -q pgbench" >/dev/null 2>&1
  post() { curl -sf -X POST "http://127.0.0.1:5101$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"; }
  json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
  CKEY=$(post /api/v1/admin/companies "$OPERATOR_KEY" '{"name":"株式会社コスト","contactEmail":"hr@cost.example"}' | json "['apiKey']")
  AGENCY=$(post /api/v1/admin/agencies "$OPERATOR_KEY" '{"name":"コストキャリア","licenseNumber":"13-ユ-888888","contactEmail":"a@cost-ag.example","occupations":["営業"],"fees":"無料","complaintContact":"03-0000-0000","privacyPolicyUrl":"https://cost-ag.example/privacy"}' | json "['id']")
  LINK=$(post /api/v1/company/links "$CKEY" '{"label":"cost"}' | json "['token']")
  SYNC_NAMES=$(sync_names "$PORT_A")
  for mode in synchronous asynchronous; do
    if [ "$mode" = asynchronous ]; then
      psql -h 127.0.0.1 -p "$PORT_A" -U postgres -qc "ALTER SYSTEM SET synchronous_standby_names = ''" -c "SELECT pg_reload_conf()" >/dev/null
      wait_for "asynchronous replication" 30 is_async
    fi
    tps=$(as_pg "pgbench -h 127.0.0.1 -p $PORT_A -N -c 32 -j 2 -T 10 pgbench" 2>/dev/null | awk '/^tps/ {print $3; exit}')
    TOKEN=$LINK AGENCY=$AGENCY NOTICE=1 wrk -t2 -c64 -d10s --latency -s "$ROOT/bench/registration.lua" http://127.0.0.1:5101 > "$WORK/cost-$mode.txt"
    rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/cost-$mode.txt"); p99=$(awk '$1 == "99%" {print $2}' "$WORK/cost-$mode.txt")
    echo "  $mode ('$(sync_names "$PORT_A")'): pgbench -N $tps tps; registrations $rps/s (p99 $p99) on one node; ÷ pgbench $(python3 -c "print(round($rps/$tps, 3))")"
  done
  psql -h 127.0.0.1 -p "$PORT_A" -U postgres -qc "ALTER SYSTEM SET synchronous_standby_names = '$SYNC_NAMES'" -c "SELECT pg_reload_conf()" >/dev/null
  wait_for "synchronous replication again" 30 is_sync
  [ "$(sync_names "$PORT_A")" = "$SYNC_NAMES" ] || { echo "synchronous_standby_names not restored" >&2; exit 1; }
fi

TOTAL=${REGISTRATIONS:-10000}
echo "· failover: $TOTAL registrations over two nodes; the primary's machine dies at 40 %"
run_load "$TOTAL"
wait_until_sent 40
OLD=$(primary); NEW=$([ "$OLD" = a ] && echo b || echo a)
KILLED_AT=$(date +%s.%N)
# The machine dies: everything of the node at once (its sockets close, as a host's do when it loses power and the
# network says so; a silent network death is what TCP keepalive in the connection string is for — docs/operations.md).
POSTMASTER=$(head -1 "$WORK/ha/$OLD/postmaster.pid")
kill_node_session "$OLD"
sleep 0.5
# (Zombies do not count: they are dead, only not yet reaped — a container's first process may never reap them.)
if pgrep -r R,S,D,T -f "$WORK/ha/$OLD" >/dev/null || ps -o stat= -p "$POSTMASTER" 2>/dev/null | grep -qv Z; then
  echo "node $OLD still has processes after the kill" >&2; exit 1
fi
echo "  primary ($OLD) killed after $(progress) registrations were sent"
wait_for "$NEW promoted" 120 is_primary "$NEW"
PROMOTED_AT=$(date +%s.%N)
both_healthy() { curl -sf http://127.0.0.1:5101/healthz >/dev/null && curl -sf http://127.0.0.1:5102/healthz >/dev/null; }
wait_for "both nodes healthy" 120 both_healthy
HEALTHY_AT=$(date +%s.%N)
echo "  $NEW promoted $(python3 -c "print(round($PROMOTED_AT - $KILLED_AT, 1))") s after the kill; both app nodes healthy after $(python3 -c "print(round($HEALTHY_AT - $KILLED_AT, 1))") s"
wait $LOAD
verify_ledger
echo "failover passed: $(cat "$WORK/result.json")"
