#!/usr/bin/env bash
# A/B of two commits of the app under the P2 registration load, in alternating rounds (A B A B …) on one machine in one
# run: this machine's speed moves by ±20 % between half hours, so only rounds side by side compare (issue 23).
# Each app runs on its own SQLite file (DB=postgres: its own database on one throwaway server); each round prints
# registrations/s and the app's CPU per registration (its /proc utime+stime over the round ÷ the round's requests).
# Rerun: bash bench/ab.sh <commit-A> <commit-B>   (ROUNDS=4, DURATION=10 seconds per round; "." = the work tree)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
A=$1 B=$2 ROUNDS=${ROUNDS:-4} DURATION=${DURATION:-10}
KEY="cr_op_bench-operator-key-0000000000000000"
source bench/relay.sh
source bench/publish.sh
WORK=$(bench_data ab)
chmod 755 "$WORK"
DATA=$WORK PGPORT=${PGPORT:-55449}
source bench/database.sh
build() { # build <commit> <dir>: publish that commit (or the work tree, ".") into dir
  if [ "$1" = . ]; then publish_app "$2"; return; fi
  git worktree add -q --detach "$WORK/src-$(basename "$2")" "$1"
  (cd "$WORK/src-$(basename "$2")" && source bench/publish.sh && publish_app "$2")
  git worktree remove --force "$WORK/src-$(basename "$2")"
}
build "$A" "$WORK/a"; build "$B" "$WORK/b"
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null; wait "${PIDS[@]}" 2>/dev/null; stop_database; rm -rf "$WORK"' EXIT
start() { # start <name> <port>
  local env=() 
  if [ "$DB" = postgres ]; then
    "${PSQL[@]}" -qc "CREATE DATABASE ab_$1" >/dev/null
    env=(Database__Provider=Postgres Database__MigrateOnStart=true "ConnectionStrings__CareerRelay=Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=ab_$1;Maximum Pool Size=64")
  fi
  mkdir -p "$WORK/data-$1"
  env "${env[@]}" ASPNETCORE_URLS="http://127.0.0.1:$2" Logging__LogLevel__Default=Warning CareerRelay__DataDirectory="$WORK/data-$1" \
    CareerRelay__Demo__Seed=false CareerRelay__Bootstrap__OperatorApiKey="$KEY" RateLimiting__PublicPermitsPerMinute=0 \
    Relay__Fraud__RegistrationsPerIpPerHour=0 Relay__Fraud__LinkBurstPerHour=0 Relay__Fraud__CompaniesPerPerson=0 \
    ASPNETCORE_CONTENTROOT="$WORK/$1" dotnet "$WORK/$1/CareerRelay.Web.dll" > "$WORK/$1.log" 2>&1 &
  PIDS+=($!)
}
start a 5091; start b 5092
for port in 5091 5092; do for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$port/healthz/live" >/dev/null && break; sleep 0.1; done; done
BASE=http://127.0.0.1:5091; create_relay; TA=$TOKEN GA=$AGENCY
BASE=http://127.0.0.1:5092; create_relay; TB=$TOKEN GB=$AGENCY
cpu() { awk '{print $14+$15}' "/proc/$1/stat"; }
round() { # round <label> <pid> <port> <token> <agency> <seconds>
  local c0 c1 out n
  c0=$(cpu "$2")
  out=$(TOKEN=$4 AGENCY=$5 NOTICE=1 wrk -t2 -c32 -d"$6"s --latency -s bench/registration.lua "http://127.0.0.1:$3")
  c1=$(cpu "$2"); n=$(echo "$out" | awk '/requests in/ {print $1}')
  echo "$1 $(echo "$out" | awk '/Requests\/sec/ {print $2}') $(( (c1 - c0) * 10000000 / n / 1000 )) $(echo "$out" | awk '$1 == "99%" {print $2}')"
}
round warm-a "${PIDS[0]}" 5091 "$TA" "$GA" 5 >/dev/null; round warm-b "${PIDS[1]}" 5092 "$TB" "$GB" 5 >/dev/null
echo "round  A rps  A µs/reg  A p99  |  B rps  B µs/reg  B p99  |  B÷A rps"
for r in $(seq 1 "$ROUNDS"); do
  read -r _ ra ca pa < <(round a "${PIDS[0]}" 5091 "$TA" "$GA" "$DURATION")
  read -r _ rb cb pb < <(round b "${PIDS[1]}" 5092 "$TB" "$GB" "$DURATION")
  echo "$r  $ra  $ca  $pa  |  $rb  $cb  $pb  |  $(python3 -c "print(round($rb/$ra, 3))")"
done
