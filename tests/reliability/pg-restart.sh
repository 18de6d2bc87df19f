#!/usr/bin/env bash
# PostgreSQL crashes and restarts under load (pg_ctl -m immediate: no clean shutdown, recovery from the WAL).
# Both app nodes must come back by themselves; every acknowledged registration is kept and mailed, and the
# ledger is clean. Requests during the outage get 503s (never a 500 or a hang); the load retries them as a client would.
# Usage: bash tests/reliability/pg-restart.sh   (REGISTRATIONS=… to vary; KEEP_WORK=1 keeps logs)
source "$(dirname "$0")/lib.sh"
need; start_pg; publish; migrate
start_two_nodes
echo "· PostgreSQL restart: ${REGISTRATIONS:-10000} registrations over two nodes; the database crashes at 40 % and is down for 5 s"
run_load "${REGISTRATIONS:-10000}"
wait_until_sent 40; pg_crash; echo "  PostgreSQL crashed after $(progress) registrations were sent"
sleep 5; pg_start; echo "  PostgreSQL back"
wait $LOAD
for port in 5101 5102; do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "  node on $port is not healthy after the restart" >&2; exit 1; }
  echo "  node on $port healthy"
done
verify_ledger
echo "PostgreSQL restart passed: $(cat "$WORK/result.json")"
