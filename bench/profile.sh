#!/usr/bin/env bash
# Where a registration's CPU and bytes go (issue 23): the published app under the P2 load (bench/registration.lua) on
# SQLite, profiled two ways, one after the other:
#   CPU:   `perf record -g` of the app, with DOTNET_PerfMapEnabled=1, ReadyToRun and W^X off so that every method has a
#          name (precompiled or double-mapped code is anonymous to perf); prints the share of each library,  the top frames by own time and the top frames of ours by
#          inclusive time. Needs perf (Debian: linux-perf).
#   Bytes: the runtime's allocation samples over EventPipe (bench/CareerRelay.Bench `allocations`), by type, with the
#          number of GCs and the time paused in them.
# Rerun: bash bench/profile.sh   (DURATION=15 seconds per profile; WARMUP=20 seconds of load before it — longer
#        profiles a fuller database; TARGET=floor profiles the reference instead;
#        DB=postgres runs either on a throwaway PostgreSQL started here, as bench/load.sh does; CPU=0 leaves out perf;
#        STACKS=1 adds the allocation samples with their call stacks, charged to the innermost frame of ours; the trace
#        stays in bench/results/allocations-$TARGET-$DB.nettrace, and
#        `dotnet bench/CareerRelay.Bench/bin/Release/net10.0/CareerRelay.Bench.dll allocation-stacks-of <trace> '^System.String$'`
#        prints its ten costliest whole stacks for the types named)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v perf >/dev/null || { apt-get update -qq && apt-get install -y -qq linux-perf >/dev/null; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
DURATION=${DURATION:-15}
TARGET=${TARGET:-app}
PORT=${PORT:-5085}
OUT=bench/results
KEY="cr_op_bench-operator-key-0000000000000000"
BASE="http://127.0.0.1:$PORT"
mkdir -p "$OUT"
source bench/relay.sh
DATA=$(bench_data profile)
chmod 755 "$DATA"
PGPORT=${PGPORT:-55443}
source bench/database.sh
[ "$DB" = postgres ] && "${PSQL[@]}" -qc "CREATE DATABASE floor" >/dev/null
source bench/publish.sh
dotnet build -c Release bench/CareerRelay.Bench --nologo -v quiet >/dev/null

# W^X off too: otherwise the JIT's code runs from a second mapping ("memfd:doublemapper") that the perf map does not name.
export DOTNET_PerfMapEnabled=1 DOTNET_ReadyToRun=0 DOTNET_EnableWriteXorExecute=0 Logging__LogLevel__Default=Warning ASPNETCORE_URLS="$BASE"
if [ "$TARGET" = floor ]; then
  publish_floor "$OUT/floor"
  TOKEN=floortoken0000000000000 AGENCY=flooragency
  FLOOR_DB=()
  [ "$DB" = postgres ] && FLOOR_DB=("Host=127.0.0.1;Port=$PGPORT;Username=postgres;Database=floor;Maximum Pool Size=64")
  dotnet "$OUT/floor/CareerRelay.Floor.dll" registration "$DATA" "$TOKEN" "$AGENCY" "${FLOOR_DB[@]}" > "$OUT/profile-floor.log" 2>&1 &
  APP=$! MAIL="$DATA/mail"
else
  publish_app "$OUT/app"
  env "${DBENV[@]}" CareerRelay__DataDirectory="$DATA" CareerRelay__Demo__Seed=false CareerRelay__Bootstrap__OperatorApiKey="$KEY" \
  RateLimiting__PublicPermitsPerMinute=0 Relay__Fraud__RegistrationsPerIpPerHour=0 Relay__Fraud__LinkBurstPerHour=0 \
  Relay__Fraud__CompaniesPerPerson=0 ASPNETCORE_CONTENTROOT="$(realpath "$OUT/app")" dotnet "$OUT/app/CareerRelay.Web.dll" > "$OUT/profile-app.log" 2>&1 &
  APP=$! MAIL="$DATA/mail"
fi
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null; stop_database; rm -rf "$DATA"' EXIT
for _ in $(seq 1 200); do curl -sf "$BASE/healthz/live" >/dev/null && break; sleep 0.1; done
if [ "$TARGET" != floor ]; then
  create_relay
fi
load() { TOKEN=$TOKEN AGENCY=$AGENCY NOTICE=1 wrk -t2 -c32 -d"$1"s -s bench/registration.lua "$BASE" | awk '/Requests\/sec/ {print "  " $0}'; }
echo "warm-up (JIT, and rows to profile a filled database):"; load "${WARMUP:-20}"

if [ "${CPU:-1}" = 1 ]; then
echo "CPU ($TARGET on $DB, ${DURATION}s):"
perf record -F 499 -g -p "$APP" -o "$OUT/perf-$TARGET-$DB.data" -- sleep "$DURATION" >/dev/null 2>&1 & PERF=$!
load "$DURATION"; wait $PERF || true
# Reported while the app runs: its /tmp/perf-<pid>.map names the JIT's code. -g caller graphs are left out (--no-children
# -g none): the lists below are flat.
report() { perf report -i "$OUT/perf-$TARGET-$DB.data" "$@" -g none --stdio 2>/dev/null | grep -E '^ +[0-9.]+%' || true; }
set +o pipefail # head and grep may close or find nothing
report --no-children --sort dso > "$OUT/perf-$TARGET-$DB-dso.txt"
report --no-children --sort symbol | head -40 > "$OUT/perf-$TARGET-$DB-self.txt"
report --children --sort symbol | grep -E 'CareerRelay|Microsoft\.(AspNetCore|EntityFrameworkCore|Data|Extensions)|System\.(Text\.Json|Security|IO|Threading)' \
  | head -70 > "$OUT/perf-$TARGET-$DB-ours.txt"
echo "  by library:"; head -10 "$OUT/perf-$TARGET-$DB-dso.txt"
echo "  by own time:"; head -25 "$OUT/perf-$TARGET-$DB-self.txt"
echo "  by inclusive time (ours and the framework's):"; head -50 "$OUT/perf-$TARGET-$DB-ours.txt"
fi

echo "Bytes ($TARGET on $DB, ${DURATION}s):"
dotnet bench/CareerRelay.Bench/bin/Release/net10.0/CareerRelay.Bench.dll allocations "$APP" "$DURATION" > "$OUT/allocations-$TARGET-$DB.txt" & SAMPLER=$!
sleep 1; load $((DURATION - 2)); wait $SAMPLER || true
cat "$OUT/allocations-$TARGET-$DB.txt"
if [ "${STACKS:-0}" = 1 ]; then
  echo "Bytes by the code that allocated them ($TARGET on $DB, ${DURATION}s):"
  dotnet bench/CareerRelay.Bench/bin/Release/net10.0/CareerRelay.Bench.dll allocation-stacks "$APP" "$DURATION" "$OUT/allocations-$TARGET-$DB.nettrace" \
    > "$OUT/allocation-stacks-$TARGET-$DB.txt" & SAMPLER=$!
  sleep 1; load $((DURATION - 2)); wait $SAMPLER || true
  cat "$OUT/allocation-stacks-$TARGET-$DB.txt"
fi
