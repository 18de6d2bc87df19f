#!/usr/bin/env bash
# SPEC §8 P1, P2 and P6 against a Release build on loopback, with wrk. Rerun: bash bench/load.sh
#   P1: /r/{token} rps ÷ /healthz/live rps in the same process and run; p99 at 64 connections
#   P2: registrations/s (valid POSTs, distinct emails) on SQLite; p99
#   P6: peak resident memory of the app under the P1 load
#   Brand: /c/{slug} (a company's public page, issue 20) rps ÷ /healthz/live rps, the same way as P1 (target >= 0.5)
#   P3 (DB=postgres): the same, with the app on a throwaway PostgreSQL (default, durable settings) started here, and
#       registrations/s ÷ `pgbench -N -c 32 -j 2 -T 10` tps (scale 10) on that server in the same run.
#       Rerun: DB=postgres bash bench/load.sh
#   APP_SETTINGS="Key__Sub=value …" adds settings to the app (bench/telemetry.sh uses it to compare telemetry on and off).
# Results go to bench/results/ (raw wrk output) and are summarised on stdout; copy the figures into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

DURATION=${DURATION:-15s}
CONNECTIONS=${CONNECTIONS:-64}
PORT=${PORT:-5080}
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
[ "$DB" = postgres ] && "${PSQL[@]}" -qc "CREATE DATABASE pgbench" >/dev/null
KEY="cr_op_bench-operator-key-0000000000000000"
BASE="http://127.0.0.1:$PORT"
mkdir -p "$OUT"

source bench/publish.sh
publish_app "$OUT/app"

read -ra EXTRA <<< "${APP_SETTINGS:-}"
env "${DBENV[@]}" "${EXTRA[@]}" CareerRelay__DataDirectory="$DATA" CareerRelay__Demo__Seed=false CareerRelay__Bootstrap__OperatorApiKey="$KEY" \
RateLimiting__PublicPermitsPerMinute=0 Relay__Fraud__RegistrationsPerIpPerHour=0 Relay__Fraud__LinkBurstPerHour=0 \
Relay__Fraud__CompaniesPerPerson=0 Logging__LogLevel__Default=Warning ASPNETCORE_URLS="$BASE" \
  dotnet "$OUT/app/CareerRelay.Web.dll" > "$OUT/app.log" 2>&1 &
APP=$!
stop_all() {
  kill $APP 2>/dev/null && wait $APP 2>/dev/null
  stop_database
  rm -rf "$DATA"
}
trap stop_all EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done

post() { curl -sf -X POST "$BASE$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
COMPANY=$(post /api/v1/admin/companies "$KEY" '{"name":"株式会社ベンチ","contactEmail":"hr@bench-co.example"}')
CKEY=$(echo "$COMPANY" | json "['apiKey']")
AGENCY=$(post /api/v1/admin/agencies "$KEY" '{"name":"ベンチキャリア","licenseNumber":"13-ユ-999999","contactEmail":"a@bench-ag.example","occupations":["営業"],"fees":"無料","complaintContact":"03-0000-0000","privacyPolicyUrl":"https://bench-ag.example/privacy"}' | json "['id']")
TOKEN=$(post /api/v1/company/links "$CKEY" '{"label":"bench"}' | json "['token']")
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

CPU_BEFORE=$(head -1 /proc/stat)
TOKEN=$TOKEN AGENCY=$AGENCY NOTICE=1 wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/registration.lua "$BASE" > "$OUT/p2-registrations-$DB.txt"
CPU_AFTER=$(head -1 /proc/stat)
if [ "$DB" = postgres ]; then
  ACCEPTED=$("${PSQL[@]}" -d careerrelay -Atc "select count(*) from registrations")
  # pgbench right after, on the same server: the simple-update (-N) workload at scale 10.
  su postgres -s /bin/sh -c "$PGBIN/pgbench -h 127.0.0.1 -p $PGPORT -i -s 10 -q pgbench" >/dev/null 2>&1
  su postgres -s /bin/sh -c "$PGBIN/pgbench -h 127.0.0.1 -p $PGPORT -N -c 32 -j 2 -T 10 pgbench" > "$OUT/p3-pgbench.txt" 2>&1
  PGTPS=$(awk '/^tps/ {print $3; exit}' "$OUT/p3-pgbench.txt")
else
  ACCEPTED=$(sqlite3 "$DATA/careerrelay.db" "select count(*) from registrations")
fi
NON2XX=$(awk '/Non-2xx/ {print $5}' "$OUT/p2-registrations-$DB.txt")

H=$(rps "$OUT/p1-healthz-$DB.txt"); L=$(rps "$OUT/p1-landing-$DB.txt"); R=$(rps "$OUT/p2-registrations-$DB.txt")
cat <<SUMMARY | tee "$OUT/summary-$DB.txt"
date:            $(date -u +%Y-%m-%dT%H:%MZ)
machine:         $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)
connections:     $CONNECTIONS, duration $DURATION per run
P1 healthz/live: $H rps, p50 $(p "$OUT/p1-healthz-$DB.txt" 50%), p99 $(p "$OUT/p1-healthz-$DB.txt" 99%)
P1 landing:      $L rps, p50 $(p "$OUT/p1-landing-$DB.txt" 50%), p99 $(p "$OUT/p1-landing-$DB.txt" 99%)
P1 ratio:        $(python3 -c "print(round($L/$H, 3))") (target >= 0.5, p99 <= 10 ms)
Brand page:      $(rps "$OUT/brand-page-$DB.txt") rps, p99 $(p "$OUT/brand-page-$DB.txt" 99%); ÷ live $(python3 -c "print(round($(rps "$OUT/brand-page-$DB.txt")/$H, 3))") (target >= 0.5)
P6 peak RSS:     $(( $(cat "$DATA/rss") / 1024 )) MB under the P1 landing load (target <= 300 MB)
database:        $DB$([ "${PGBOUNCER:-0}" = 1 ] && echo " through PgBouncer (transaction pooling, 32 server connections)")
P2 registrations: $R rps, p50 $(p "$OUT/p2-registrations-$DB.txt" 50%), p99 $(p "$OUT/p2-registrations-$DB.txt" 99%) (target >= 3000/s, p99 <= 50 ms)
P2 rows written: $ACCEPTED registrations in the database; non-2xx answers: ${NON2XX:-0}
P2 machine CPU:  $(cpu_split "$CPU_BEFORE" "$CPU_AFTER") (steal = time the VM's host gave to others)
SUMMARY
if [ "$DB" = postgres ]; then
  echo "P3 pgbench -N -c 32 -j 2 -T 10 (scale 10): $PGTPS tps; registrations ÷ pgbench = $(python3 -c "print(round($R/$PGTPS, 3))") (target >= 0.25)" | tee -a "$OUT/summary-$DB.txt"
fi
