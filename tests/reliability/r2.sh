#!/usr/bin/env bash
# SPEC §8 R2: `kill -9` of an app node in the middle of the load, then restart it. Every acknowledged registration
# must be in the database and mailed, nobody counted twice, and the ledger clean. The load keeps going through the
# other node meanwhile (a request the killed node never answered is retried there, as a load balancer would).
# Usage: bash tests/reliability/r2.sh   (REGISTRATIONS=… to vary; KEEP_WORK=1 keeps logs)
source "$(dirname "$0")/lib.sh"
need; start_pg; publish; migrate
start_two_nodes
echo "· R2: ${REGISTRATIONS:-20000} registrations over two nodes; node 2 is killed with SIGKILL at 40 % and restarted at 60 %"
run_load "${REGISTRATIONS:-20000}"
wait_until_sent 40; kill_node 2; echo "  node 2 killed (SIGKILL) after $(progress) registrations were sent"
wait_until_sent 60; start_node 2 5102; echo "  node 2 back after $(progress) registrations were sent"
wait $LOAD
verify_ledger
echo "R2 passed: $(cat "$WORK/result.json")"
