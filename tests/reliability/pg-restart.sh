#!/usr/bin/env bash
# PostgreSQL crashes and restarts under load (pg_ctl -m immediate: no clean shutdown, recovery from the WAL).
# Both app nodes must come back by themselves; every acknowledged registration is kept and mailed, and the
# ledger is clean. Requests during the outage get 503s (never a hang); the load retries them as a client would.
# Usage: bash tests/reliability/pg-restart.sh   (REGISTRATIONS=… to vary; KEEP_WORK=1 keeps logs)
source "$(dirname "$0")/lib.sh"
need; start_pg; publish; migrate
start_two_nodes
N=${REGISTRATIONS:-10000}
echo "· PostgreSQL restart: $N registrations over two nodes; the database crashes at 40 % and is down for 5 s"
python3 "$ROOT/tests/reliability/load.py" --nodes http://127.0.0.1:5101,http://127.0.0.1:5102 \
  --mail "$WORK/node1/mail,$WORK/node2/mail" --operator-key "$OPERATOR_KEY" --work "$WORK" \
  --psql "psql -h 127.0.0.1 -p $PGPORT -U postgres -d careerrelay" \
  --registrations "$N" --companies "${COMPANIES:-20}" --threads "${THREADS:-32}" --settle "${SETTLE:-300}" &
LOAD=$!
progress() { cat "$WORK/progress" 2>/dev/null || echo 0; }
until [ "$(progress)" -ge $((N * 40 / 100)) ]; do sleep 0.1; done
pg_crash; echo "  PostgreSQL crashed after $(progress) registrations were sent"
sleep 5
pg_start; echo "  PostgreSQL back"
wait $LOAD
for port in 5101 5102; do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && echo "  node on $port healthy"; done
verify_ledger
echo "PostgreSQL restart passed: $(cat "$WORK/result.json")"
