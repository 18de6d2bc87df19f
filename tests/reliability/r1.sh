#!/usr/bin/env bash
# SPEC §8 R1: 20,000 registrations and their confirmations in parallel through two app nodes on one PostgreSQL;
# afterwards the slots are exact for every company and `verify-ledger` is clean.
# Usage: bash tests/reliability/r1.sh   (REGISTRATIONS=… COMPANIES=… THREADS=… to vary; KEEP_WORK=1 keeps logs)
source "$(dirname "$0")/lib.sh"
need; start_pg; publish; migrate
start_two_nodes
echo "· R1: ${REGISTRATIONS:-20000} registrations over two nodes"
run_load "${REGISTRATIONS:-20000}"
wait $LOAD
verify_ledger
echo "R1 passed: $(cat "$WORK/result.json")"
