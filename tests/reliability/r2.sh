#!/usr/bin/env bash
# SPEC §8 R2: `kill -9` of an app node in the middle of the load, then restart it. Every acknowledged registration
# must be in the database and mailed, nobody counted twice, and the ledger clean. The load keeps going through the
# other node meanwhile (a request the killed node never answered is retried there, as a load balancer would).
# Usage: bash tests/reliability/r2.sh   (REGISTRATIONS=… to vary; KEEP_WORK=1 keeps logs)
source "$(dirname "$0")/lib.sh"
need; start_pg; publish; migrate
start_two_nodes
N=${REGISTRATIONS:-20000}
echo "· R2: $N registrations over two nodes; node 2 is killed with SIGKILL at 40 % and restarted at 60 %"
python3 "$ROOT/tests/reliability/load.py" --nodes http://127.0.0.1:5101,http://127.0.0.1:5102 \
  --mail "$WORK/node1/mail,$WORK/node2/mail" --operator-key "$OPERATOR_KEY" --work "$WORK" \
  --psql "psql -h 127.0.0.1 -p $PGPORT -U postgres -d careerrelay" \
  --registrations "$N" --companies "${COMPANIES:-20}" --threads "${THREADS:-32}" --settle "${SETTLE:-300}" &
LOAD=$!
progress() { cat "$WORK/progress" 2>/dev/null || echo 0; }
until [ "$(progress)" -ge $((N * 40 / 100)) ]; do sleep 0.1; done
kill_node 2; echo "  node 2 killed (SIGKILL) after $(progress) registrations were sent"
until [ "$(progress)" -ge $((N * 60 / 100)) ]; do sleep 0.1; done
start_node 2 5102; echo "  node 2 back after $(progress) registrations were sent"
wait $LOAD
verify_ledger
echo "R2 passed: $(cat "$WORK/result.json")"
