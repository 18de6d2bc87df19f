#!/usr/bin/env bash
# The match index filled from a real database at start (issue 23): PEOPLE (default 100,000) register through the API
# (bench/registration.lua, so each profile is sealed under its own key as in production), are marked confirmed in the
# database (only confirmed people are read ahead), and the published app is started again on that SQLite file.
# Prints the seconds to the first /healthz answer and the app's own "Match index filled" line. Rerun: bash bench/index-fill.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
PEOPLE=${PEOPLE:-100000}
PORT=${PORT:-5086}
OUT=bench/results
KEY="cr_op_bench-operator-key-0000000000000000"
BASE="http://127.0.0.1:$PORT"
mkdir -p "$OUT"
source bench/relay.sh
DATA=$(bench_data fill)
source bench/publish.sh
publish_app "$OUT/app"
start() {
  env CareerRelay__DataDirectory="$DATA" CareerRelay__Demo__Seed=false CareerRelay__Bootstrap__OperatorApiKey="$KEY" \
  RateLimiting__PublicPermitsPerMinute=0 Relay__Fraud__RegistrationsPerIpPerHour=0 Relay__Fraud__LinkBurstPerHour=0 \
  Relay__Fraud__CompaniesPerPerson=0 Logging__LogLevel__Default=Warning Logging__LogLevel__CareerRelay.Web.Features.Matching=Information \
  ASPNETCORE_URLS="$BASE" ASPNETCORE_CONTENTROOT="$(realpath "$OUT/app")" dotnet "$OUT/app/CareerRelay.Web.dll" > "$1" 2>&1 &
  APP=$!
}
trap 'kill $APP 2>/dev/null; wait $APP 2>/dev/null; rm -rf "$DATA"' EXIT
start "$OUT/index-fill-1.log"
for _ in $(seq 1 200); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
create_relay
while [ "$(sqlite3 "$DATA/careerrelay.db" "select count(*) from candidates")" -lt "$PEOPLE" ]; do
  TOKEN=$TOKEN AGENCY=$AGENCY NOTICE=1 wrk -t2 -c32 -d10s -s bench/registration.lua "$BASE" >/dev/null
done
kill $APP; wait $APP 2>/dev/null || true
# Confirmed, as if each had opened their mail.
sqlite3 "$DATA/careerrelay.db" "UPDATE registrations SET status = 'verified', verified_at = created_at; PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
PEOPLE_IN=$(sqlite3 "$DATA/careerrelay.db" "select count(*) from candidates")
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true # a cold start reads the file from disk
STARTED=$(date +%s.%N)
start "$OUT/index-fill-2.log"
for _ in $(seq 1 600); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.05; done
READY=$(python3 -c "import time; print(round(time.time() - $STARTED, 2))")
for _ in $(seq 1 600); do grep -q "Match index filled" "$OUT/index-fill-2.log" && break; sleep 0.5; done
echo "date:      $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "database:  SQLite, $PEOPLE_IN confirmed candidates, $(du -m "$DATA/careerrelay.db" | cut -f1) MB"
echo "/healthz:  answered ${READY} s after launch (the fill runs beside it)"
echo "fill:      $(grep -A1 "Match index filled" "$OUT/index-fill-2.log" | tail -1 | sed 's/^ *//')"
echo "RSS:       $(( $(awk '/VmRSS/ {print $2}' /proc/$APP/status) / 1024 )) MB after the fill"
