#!/usr/bin/env bash
# SPEC §8 P0, P1, P2 and P6 against a Release build on loopback, with wrk. Rerun: bash bench/load.sh
#   P0: the app's /healthz/live rps ÷ an empty ASP.NET Core app's (bench/floor, "empty"): what our middleware costs
#   P1: /r/{token} rps ÷ /healthz/live rps in the same process and run; p99 at 64 connections
#   P2: registrations/s (valid POSTs, distinct emails) ÷ the lean reference's (bench/floor, "registration": the same
#       essential work and nothing else) on the same database; p99 beside the reference's
#   P6: peak resident memory of the app under the P1 load
#   Brand: /c/{slug} (a company's public page, issue 20) rps ÷ /healthz/live rps, the same way as P1 (target >= 0.5)
#   P0 and P2 run in ROUNDS (default 3) alternating rounds (app, reference, app, reference …) of ROUND_DURATION (8s) at
#   ROUND_CONNECTIONS (32); each round and the median ratios are printed. With dotnet-counters (installed as a global
#   tool here if missing) the bytes allocated per accepted registration are measured in each P2 round too.
#   P2 at a fixed rate: the same rounds again with both offered PACE (0.5) × the reference's median rate, paced by
#       bench/registration.lua (RATE) from PACED_CONNECTIONS (512): the p99 at the same load, not coupled to throughput.
#   Start: seconds from launching the published app on an empty SQLite to its first 200 on /healthz (target <= 2 s).
#   P3 (DB=postgres): the same, with the app and the reference on a throwaway PostgreSQL (default, durable settings)
#       started here, and registrations/s ÷ `pgbench -N -c 32 -j 2 -T 10` tps (scale 10) on that server in the same run.
#       Rerun: DB=postgres bash bench/load.sh
#   APP_SETTINGS="Key__Sub=value …" adds settings to the app (bench/telemetry.sh uses it to compare telemetry on and off).
#       With Database__PostgresPrepare=false among them the reference stops preparing its statements too (FLOOR_PREPARE=0).
#   GC_TRACE=1 also traces each P2 round's garbage collections (dotnet-trace, gc-collect) and prints, per round, their count,
#       pauses and the bytes each promoted (bench/gctrace reads the .nettrace files: one line per collection if run by hand).
# Results go to bench/results/ (raw wrk output) and are summarised on stdout; copy the figures into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
ROUNDS=${ROUNDS:-3}
ROUND_DURATION=${ROUND_DURATION:-8s}
ROUND_CONNECTIONS=${ROUND_CONNECTIONS:-32}
PORT=${PORT:-5080}
FLOOR_PORT=$((PORT + 1)) EMPTY_PORT=$((PORT + 2))
export PATH="$PATH:$HOME/.dotnet/tools"
# Bytes per registration (below) come from dotnet-counters; installed as a global tool when the feed serves it.
command -v dotnet-counters >/dev/null || dotnet tool install -g dotnet-counters >/dev/null 2>&1 || true
OUT=bench/results
# Each run's data folder lands in a block group of its own: chattr +T marks the parent a "top directory", whose new
# folders ext4 spreads out. On an ext4 without a journal (the reference VM's), creating a file otherwise first skips
# every inode freed in the last minutes near it — the previous run's mail and database — reading each one's inode from
# disk: 20 % of the app's CPU in a P2 run right after another (docs/benchmarks.md). Harmless elsewhere.
mkdir -p /tmp/careerrelay-bench && { chattr +T /tmp/careerrelay-bench 2>/dev/null || true; }
DATA=$(mktemp -d /tmp/careerrelay-bench/run.XXXXXX)
chmod 755 "$DATA"
PGPORT=${PGPORT:-55441}
source bench/database.sh
[ "$DB" = postgres ] && "${PSQL[@]}" -qc "CREATE DATABASE pgbench" >/dev/null && "${PSQL[@]}" -qc "CREATE DATABASE floor" >/dev/null
KEY="cr_op_bench-operator-key-0000000000000000"
BASE="http://127.0.0.1:$PORT"
mkdir -p "$OUT"

source bench/publish.sh
publish_app "$OUT/app"
publish_floor "$OUT/floor"
if [ -n "${GC_TRACE:-}" ]; then
  command -v dotnet-trace >/dev/null || dotnet tool install -g dotnet-trace >/dev/null 2>&1 || true
  dotnet build -c Release --nologo -v q bench/gctrace -o "$OUT/gctrace" >/dev/null
fi

read -ra EXTRA <<< "${APP_SETTINGS:-}"
STARTED=$(date +%s.%N)
env "${DBENV[@]}" "${EXTRA[@]}" CareerRelay__DataDirectory="$DATA" CareerRelay__Demo__Seed=false CareerRelay__Bootstrap__OperatorApiKey="$KEY" \
RateLimiting__PublicPermitsPerMinute=0 Relay__Fraud__RegistrationsPerIpPerHour=0 Relay__Fraud__LinkBurstPerHour=0 \
Relay__Fraud__CompaniesPerPerson=0 Logging__LogLevel__Default=Warning ASPNETCORE_URLS="$BASE" \
  ASPNETCORE_CONTENTROOT="$(realpath "$OUT/app")" dotnet "$OUT/app/CareerRelay.Web.dll" > "$OUT/app.log" 2>&1 &
APP=$!
stop_all() {
  kill $APP ${FLOOR:-} ${EMPTY:-} 2>/dev/null; wait $APP ${FLOOR:-} ${EMPTY:-} 2>/dev/null
  stop_database
  rm -rf "$DATA"
}
trap stop_all EXIT
for _ in $(seq 1 400); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.05; done
START_SECONDS=$(python3 -c "import time; print(round(time.time() - $STARTED, 2))")
# The reference and the empty app (bench/floor), on ports of their own; only one of the three is loaded at a time.
FLOOR_DB=()
[ "$DB" = postgres ] && FLOOR_DB=("Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=floor;Maximum Pool Size=64")
FLOOR_TOKEN=floortoken0000000000000 FLOOR_AGENCY=flooragency
FLOOR_PREPARE=1
[[ " ${APP_SETTINGS:-} " == *" Database__PostgresPrepare=false "* ]] && FLOOR_PREPARE=0
FLOOR_PREPARE=$FLOOR_PREPARE Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$FLOOR_PORT" \
  dotnet "$OUT/floor/CareerRelay.Floor.dll" registration "$DATA/floor" "$FLOOR_TOKEN" "$FLOOR_AGENCY" "${FLOOR_DB[@]}" > "$OUT/floor.log" 2>&1 &
FLOOR=$!
Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$EMPTY_PORT" dotnet "$OUT/floor/CareerRelay.Floor.dll" empty > "$OUT/empty.log" 2>&1 &
EMPTY=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$FLOOR_PORT/healthz/live" >/dev/null && curl -sf "http://127.0.0.1:$EMPTY_PORT/healthz/live" >/dev/null && break; sleep 0.1; done

source bench/relay.sh
create_relay
curl -sf -X PUT "$BASE/api/v1/company/profile" -H "Authorization: Bearer $CKEY" -H 'Content-Type: application/json' \
  -d '{"slug":"bench-co","public":true,"showInDirectory":true,"message":"選考でご縁がなかった方にも、次の一歩を。"}' >/dev/null

rss_peak() { local peak=0; while kill -0 "$APP" 2>/dev/null && [ ! -f "$DATA/stop-rss" ]; do
  local r; r=$(awk '/VmRSS/ {print $2}' /proc/$APP/status); [ "$r" -gt "$peak" ] && peak=$r; echo "$peak" > "$DATA/rss"; sleep 0.2; done; }
# user/system/idle/iowait/steal shares of all cores between two /proc/stat "cpu" lines.
cpu_split() { python3 -c "import sys; a=[int(x) for x in sys.argv[1].split()[1:]]; b=[int(x) for x in sys.argv[2].split()[1:]]; d=[y-x for x,y in zip(a,b)]; t=sum(d) or 1; print('user %d%%, system %d%%, idle %d%%, iowait %d%%, steal %d%%' % tuple(round(100*d[i]/t) for i in (0,2,3,4,7)))" "$1" "$2"; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p() { awk -v q="$2" '$1 == q {print $2}' "$1"; }

# Warm up both paths (JIT, caches), then measure them back to back in the same process.
wrk -t2 -c"$CONNECTIONS" -d3s "$BASE/healthz/live" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d3s -s bench/landing.lua "$BASE/r/$TOKEN" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE/healthz/live" > "$OUT/p1-healthz-$DB.txt"
rss_peak & RSS=$!
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/landing.lua "$BASE/r/$TOKEN" > "$OUT/p1-landing-$DB.txt"
touch "$DATA/stop-rss"; wait $RSS || true
wrk -t2 -c"$CONNECTIONS" -d3s -s bench/landing.lua "$BASE/c/bench-co" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/landing.lua "$BASE/c/bench-co" > "$OUT/brand-page-$DB.txt"

# P0 and P2 in alternating rounds. After each registration round the app (or reference) is left to send the round's
# mail before the next round starts, so neither is measured while the other still works through its backlog.
settle() { # $1 = mail folder: wait until no new file arrives for a second
  local before=-1 now; now=$(find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l)
  while [ "$now" != "$before" ]; do before=$now; sleep 1; now=$(find "$1" -maxdepth 1 -type f 2>/dev/null | wc -l); done; }
allocated() { # $1 = counters CSV: bytes allocated during the collection (the sum of the per-second rates)
  awk -F, '/total_allocated/ {s += $NF} END {printf "%d", s}' "$1" 2>/dev/null || echo 0; }
p2_round() { # $1 = label, $2 = pid, $3 = base url, $4 = token, $5 = agency, $6 = mail folder, $7 = output file
  local counters=""
  if command -v dotnet-counters >/dev/null; then
    counters="$7.counters.csv"; rm -f "$counters"
    # For the round and a second either side (a background job ignores SIGINT, so it stops by --duration).
    dotnet-counters collect -p "$2" --counters System.Runtime --format csv --refresh-interval 1 -o "$counters" \
      --duration "00:00:$(printf %02d $(( ${ROUND_DURATION%s} + 3 )))" >/dev/null 2>&1 &
    local collector=$!; sleep 1.5
  fi
  local tracer=""
  if [ -n "${GC_TRACE:-}" ] && command -v dotnet-trace >/dev/null; then
    # GC_TRACE=1: every collection's generation, pause and survivors, in $7.nettrace (summed up below by bench/gctrace).
    dotnet-trace collect -p "$2" --profile gc-collect -o "$7.nettrace" \
      --duration "00:00:00:$(printf %02d $(( ${ROUND_DURATION%s} + 1 )))" >/dev/null 2>&1 &
    tracer=$!; sleep 1.5
  fi
  CPU_BEFORE=$(head -1 /proc/stat); local ticks; ticks=$(awk '{print $14 + $15}' "/proc/$2/stat")
  # RATE (the paced rounds below) is passed on to bench/registration.lua with the rest of the environment.
  TOKEN=$4 AGENCY=$5 NOTICE=1 wrk -t2 -c"$ROUND_CONNECTIONS" -d"$ROUND_DURATION" --latency -s bench/registration.lua "$3" > "$7"
  CPU_AFTER=$(head -1 /proc/stat)
  # The process's own CPU time (user + system, in clock ticks) per answered request.
  python3 -c "print(round(($(awk '{print $14 + $15}' "/proc/$2/stat") - $ticks) / $(getconf CLK_TCK) / $(awk '/requests in/ {print $1}' "$7") * 1e6))" > "$7.cpu"
  [ -n "$counters" ] && { wait "$collector" 2>/dev/null || true; }
  [ -n "$tracer" ] && { wait "$tracer" 2>/dev/null || true; }
  settle "$6"
}
per_registration() { # $1 = wrk output: KB allocated per answered request
  local bytes; bytes=$(allocated "$1.counters.csv"); local n; n=$(awk '/requests in/ {print $1}' "$1")
  [ "${bytes:-0}" -gt 0 ] && python3 -c "print(round($bytes / $n / 1024, 1))" || echo "n/a"; }
ms() { python3 -c "import re, sys; v, u = re.match(r'([0-9.]+)(us|ms|s|m)', sys.argv[1]).groups(); print(float(v) * {'us': 0.001, 'ms': 1, 's': 1000, 'm': 60000}[u])" "$1"; }
median() { python3 -c "import statistics, sys; print(round(statistics.median(float(x) for x in sys.argv[1:]), ${MEDIAN_DIGITS:-3}))" "$@"; }

for base in "$BASE" "http://127.0.0.1:$EMPTY_PORT"; do wrk -t2 -c"$ROUND_CONNECTIONS" -d3s "$base/healthz/live" >/dev/null; done
TOKEN=$TOKEN AGENCY=$AGENCY NOTICE=1 wrk -t2 -c"$ROUND_CONNECTIONS" -d3s -s bench/registration.lua "$BASE" >/dev/null
TOKEN=$FLOOR_TOKEN AGENCY=$FLOOR_AGENCY NOTICE=1 wrk -t2 -c"$ROUND_CONNECTIONS" -d3s -s bench/registration.lua "http://127.0.0.1:$FLOOR_PORT" >/dev/null
settle "$DATA/mail"; settle "$DATA/floor/mail"
P0=() P2=() P2REF=() P2P99=() P2REFP99=() ROUND_LINES=() CPU_LINES=()
# An earlier run with more rounds left files this one does not overwrite; the medians and totals below read every round file.
rm -f "$OUT"/p0-*-"$DB"-*.txt* "$OUT"/p2-*-"$DB"-*.txt* "$OUT"/p2paced-*-"$DB"-*.txt*
for round in $(seq 1 "$ROUNDS"); do
  wrk -t2 -c"$ROUND_CONNECTIONS" -d"$ROUND_DURATION" --latency "$BASE/healthz/live" > "$OUT/p0-app-$DB-$round.txt"
  wrk -t2 -c"$ROUND_CONNECTIONS" -d"$ROUND_DURATION" --latency "http://127.0.0.1:$EMPTY_PORT/healthz/live" > "$OUT/p0-empty-$DB-$round.txt"
  p2_round app "$APP" "$BASE" "$TOKEN" "$AGENCY" "$DATA/mail" "$OUT/p2-app-$DB-$round.txt"
  APP_CPU=$(cpu_split "$CPU_BEFORE" "$CPU_AFTER")
  p2_round floor "$FLOOR" "http://127.0.0.1:$FLOOR_PORT" "$FLOOR_TOKEN" "$FLOOR_AGENCY" "$DATA/floor/mail" "$OUT/p2-floor-$DB-$round.txt"
  A=$(rps "$OUT/p0-app-$DB-$round.txt") E=$(rps "$OUT/p0-empty-$DB-$round.txt")
  R=$(rps "$OUT/p2-app-$DB-$round.txt") F=$(rps "$OUT/p2-floor-$DB-$round.txt")
  P0+=("$(python3 -c "print($A/$E)")") P2+=("$(python3 -c "print($R/$F)")") P2REF+=("$F")
  P2P99+=("$(ms "$(p "$OUT/p2-app-$DB-$round.txt" 99%)")") P2REFP99+=("$(ms "$(p "$OUT/p2-floor-$DB-$round.txt" 99%)")")
  ROUND_LINES+=("round $round: P0 app $A ÷ empty $E = $(python3 -c "print(round($A/$E, 3))") · P2 app $R/s (p99 $(p "$OUT/p2-app-$DB-$round.txt" 99%), $(per_registration "$OUT/p2-app-$DB-$round.txt") KB/request, $(cat "$OUT/p2-app-$DB-$round.txt.cpu") µs CPU/request) ÷ reference $F/s (p99 $(p "$OUT/p2-floor-$DB-$round.txt" 99%), $(per_registration "$OUT/p2-floor-$DB-$round.txt") KB/request, $(cat "$OUT/p2-floor-$DB-$round.txt.cpu") µs CPU/request) = $(python3 -c "print(round($R/$F, 3))")")
  CPU_LINES+=("round $round: app $APP_CPU; reference $(cpu_split "$CPU_BEFORE" "$CPU_AFTER")")
  echo "${ROUND_LINES[-1]}"
done
# P2's p99 at one fixed rate. In the rounds above every connection sends again as soon as it has its answer, so the mean
# latency is the connections ÷ the throughput (Little's law): a program at 0.92 of the other's rate waits ~9 % longer
# per request with the same tail. Here both get the same load — PACE (0.5) × the reference's median rate above, from
# PACED_CONNECTIONS (512, so that a free one is there for every slot: 0 late at 0.5 here) — and the p99 compares their tails alone.
PACE=${PACE:-0.5} PACED_CONNECTIONS=${PACED_CONNECTIONS:-512}
PACED_RATE=$(python3 -c "print(int($PACE * $(median "${P2REF[@]}")))")
PACEDP99=() PACEDREFP99=() PACED_LINES=()
late() { awk '/^paced:/ {print $5}' "$1"; }
for round in $(seq 1 "$ROUNDS"); do
  RATE=$PACED_RATE ROUND_CONNECTIONS=$PACED_CONNECTIONS p2_round app "$APP" "$BASE" "$TOKEN" "$AGENCY" "$DATA/mail" "$OUT/p2paced-app-$DB-$round.txt"
  RATE=$PACED_RATE ROUND_CONNECTIONS=$PACED_CONNECTIONS p2_round floor "$FLOOR" "http://127.0.0.1:$FLOOR_PORT" "$FLOOR_TOKEN" "$FLOOR_AGENCY" "$DATA/floor/mail" "$OUT/p2paced-floor-$DB-$round.txt"
  a="$OUT/p2paced-app-$DB-$round.txt" f="$OUT/p2paced-floor-$DB-$round.txt"
  PACEDP99+=("$(ms "$(p "$a" 99%)")") PACEDREFP99+=("$(ms "$(p "$f" 99%)")")
  PACED_LINES+=("round $round: app $(rps "$a")/s p50 $(p "$a" 50%) p90 $(p "$a" 90%) p99 $(p "$a" 99%), $(late "$a") late, $(cat "$a.cpu") µs CPU/request · reference $(rps "$f")/s p50 $(p "$f" 50%) p90 $(p "$f" 90%) p99 $(p "$f" 99%), $(late "$f") late, $(cat "$f.cpu") µs CPU/request")
  echo "paced ${PACED_LINES[-1]}"
done
if [ "$DB" = postgres ]; then
  ACCEPTED=$("${PSQL[@]}" -d careerrelay -Atc "select count(*) from registrations")
  # pgbench right after, on the same server: the simple-update (-N) workload at scale 10.
  su postgres -s /bin/sh -c "$PGBIN/pgbench -h 127.0.0.1 -p $PGPORT -i -s 10 -q pgbench" >/dev/null 2>&1
  su postgres -s /bin/sh -c "$PGBIN/pgbench -h 127.0.0.1 -p $PGPORT -N -c 32 -j 2 -T 10 pgbench" > "$OUT/p3-pgbench.txt" 2>&1
  PGTPS=$(awk '/^tps/ {print $3; exit}' "$OUT/p3-pgbench.txt")
else
  ACCEPTED=$(sqlite3 "$DATA/careerrelay.db" "select count(*) from registrations")
fi
# The warm-up's requests are rows too.
NON2XX=$(cat "$OUT"/p2-app-"$DB"-*.txt "$OUT"/p2paced-app-"$DB"-*.txt | awk '/Non-2xx/ {s += $5} END {print s + 0}')
REQUESTS=$(cat "$OUT"/p2-app-"$DB"-*.txt "$OUT"/p2paced-app-"$DB"-*.txt | awk '/requests in/ {s += $1} END {print s}')
R=$(median $(for f in "$OUT"/p2-app-"$DB"-*.txt; do rps "$f"; done))
H=$(rps "$OUT/p1-healthz-$DB.txt"); L=$(rps "$OUT/p1-landing-$DB.txt")
cat <<SUMMARY | tee "$OUT/summary-$DB.txt"
date:            $(date -u +%Y-%m-%dT%H:%MZ)
machine:         $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)
connections:     $CONNECTIONS, duration $DURATION per run
P1 healthz/live: $H rps, p50 $(p "$OUT/p1-healthz-$DB.txt" 50%), p99 $(p "$OUT/p1-healthz-$DB.txt" 99%)
P1 landing:      $L rps, p50 $(p "$OUT/p1-landing-$DB.txt" 50%), p99 $(p "$OUT/p1-landing-$DB.txt" 99%)
P1 ratio:        $(python3 -c "print(round($L/$H, 3))") (target >= 0.5, p99 <= 10 ms)
Brand page:      $(rps "$OUT/brand-page-$DB.txt") rps, p99 $(p "$OUT/brand-page-$DB.txt" 99%); ÷ live $(python3 -c "print(round($(rps "$OUT/brand-page-$DB.txt")/$H, 3))") (target >= 0.5)
P6 peak RSS:     $(( $(cat "$DATA/rss") / 1024 )) MB under the P1 landing load (target <= 300 MB)
start:           $START_SECONDS s from launch to the first 200 on /healthz$([ "$DB" = sqlite ] && echo " (empty SQLite; target <= 2 s)")
database:        $DB$([ "${PGBOUNCER:-0}" = 1 ] && echo " through PgBouncer (transaction pooling, 32 server connections)")
rounds:          $ROUNDS × (P0 app, P0 empty, P2 app, P2 reference), $ROUND_DURATION each at $ROUND_CONNECTIONS connections
$(printf '  %s\n' "${ROUND_LINES[@]}")
P0 median:       $(median "${P0[@]}") (app /healthz/live ÷ empty app; target >= 0.8)
P2 median:       $(median "${P2[@]}") (app registrations/s ÷ reference; target >= 0.9); app $R/s, reference $(median "${P2REF[@]}")/s
P2 p99 medians:  app $(MEDIAN_DIGITS=1 median "${P2P99[@]}") ms, reference $(MEDIAN_DIGITS=1 median "${P2REFP99[@]}") ms (target: the app's no worse)
P2 at a fixed rate: $PACED_RATE registrations/s offered to each ($PACE × the reference's median), $PACED_CONNECTIONS connections, $ROUND_DURATION a round
$(printf '  %s\n' "${PACED_LINES[@]}")
P2 p99 at that rate: medians app $(MEDIAN_DIGITS=1 median "${PACEDP99[@]}") ms, reference $(MEDIAN_DIGITS=1 median "${PACEDREFP99[@]}") ms (the same load for both: their tails alone)
P2 rows written: $ACCEPTED registrations in the database for $REQUESTS answered in the rounds, paced ones too (and the warm-up's); non-2xx answers: $NON2XX
P2 machine CPU during each round's wrk (steal = time the VM's host gave to others):
$(printf '  %s\n' "${CPU_LINES[@]}")
SUMMARY
if [ "$DB" = postgres ]; then
  echo "P3 pgbench -N -c 32 -j 2 -T 10 (scale 10): $PGTPS tps; app registrations ÷ pgbench = $(python3 -c "print(round($R/$PGTPS, 3))"), reference ÷ pgbench = $(python3 -c "print(round($(median "${P2REF[@]}")/$PGTPS, 3))") (target >= 0.25)" | tee -a "$OUT/summary-$DB.txt"
fi
if [ -n "${GC_TRACE:-}" ]; then
  echo "P2 garbage collections (GC_TRACE; a round's trace, bench/gctrace):"
  for f in "$OUT"/p2-{app,floor}-"$DB"-*.txt.nettrace; do
    [ -f "$f" ] && echo "  $(basename "$f" .txt.nettrace): $(dotnet "$OUT/gctrace/CareerRelay.GcTrace.dll" "$f" --summary)"
  done
fi
