#!/usr/bin/env bash
# SPEC §8 P4: GET /api/v1/company/summary for a company with 1,000,000 clicks and 100,000 registrations, on SQLite,
# Release build, wrk on loopback. Rerun: bash bench/summary.sh   (REGISTRATIONS=100000 CONNECTIONS=16 DURATION=15s)
# DB=postgres runs the same against a throwaway PostgreSQL started here (default, durable settings).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
REGISTRATIONS=${REGISTRATIONS:-100000}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-15s}
PORT=${PORT:-5082}
OUT=bench/results
DATA=$(mktemp -d /tmp/careerrelay-summary.XXXXXX)
chmod 755 "$DATA"
PGPORT=${PGPORT:-55442}
source bench/database.sh
KEY="cr_op_bench-operator-key-0000000000000000"
BASE="http://127.0.0.1:$PORT"
mkdir -p "$OUT"
source bench/publish.sh
publish_app "$OUT/app"

start() {
  env "${DBENV[@]}" CareerRelay__DataDirectory="$DATA" CareerRelay__Demo__Seed=false CareerRelay__Bootstrap__OperatorApiKey="$KEY" \
  Logging__LogLevel__Default=Warning ASPNETCORE_URLS="$BASE" ASPNETCORE_CONTENTROOT="$(realpath "$OUT/app")" dotnet "$OUT/app/CareerRelay.Web.dll" > "$OUT/summary-app.log" 2>&1 &
  APP=$!
  for _ in $(seq 1 150); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done
}
start
stop_all() {
  kill $APP 2>/dev/null; wait $APP 2>/dev/null
  stop_database
  rm -rf "$DATA"
}
trap stop_all EXIT
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -sf -X POST "$BASE$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"; }
COMPANY=$(post /api/v1/admin/companies "$KEY" '{"name":"株式会社サマリー","contactEmail":"hr@summary.example"}')
CKEY=$(echo "$COMPANY" | json "['apiKey']"); CID=$(echo "$COMPANY" | json "['id']")
LINK=$(post /api/v1/company/links "$CKEY" '{"label":"bench"}' | json "['id']")
kill $APP; wait $APP 2>/dev/null || true

# The data, written straight into the database (the app is stopped): 100k registrations in the usual status mix,
# 100k personal invitations, the 8,800 slots their qualified referrals earned, 1M clicks.
# The same for both databases once the rows are in: the clicks, and the account's rollups as the migrations fill them.
COMMON_SQL=$(cat <<SQL
UPDATE relay_links SET clicks = 1000000 WHERE id = '$LINK';
-- Rows written behind the app's back: bring the account's rollup along, as migration 0018 does.
UPDATE company_accounts SET
  registration_count = (SELECT count(*) FROM registrations r WHERE r.company_id = company_accounts.company_id),
  verified_count = (SELECT count(*) FROM registrations r WHERE r.company_id = company_accounts.company_id AND r.status <> 'pending_verification'),
  held_count = (SELECT count(*) FROM registrations r WHERE r.company_id = company_accounts.company_id AND r.status = 'held'),
  qualified_count = (SELECT count(*) FROM registrations r WHERE r.company_id = company_accounts.company_id AND r.status = 'qualified'),
  invitation_count = (SELECT count(*) FROM invitations i WHERE i.company_id = company_accounts.company_id),
  slots_earned = (SELECT count(*) FROM ledger_entries e WHERE e.company_id = company_accounts.company_id),
  balance = (SELECT count(*) FROM ledger_entries e WHERE e.company_id = company_accounts.company_id);
ANALYZE;
SQL
)
if [ "$DB" = postgres ]; then
"${PSQL[@]}" -q -d careerrelay <<SQL
INSERT INTO registrations (id, company_id, link_id, candidate_id, email_hash, status, code_hash, code_expires_at, ip_hash, submitted_profile, lang, created_at, verified_at, qualified_at)
SELECT lpad(to_hex(i), 32, '0'), '$CID', '$LINK', 'c' || lpad(to_hex(i), 31, '0'), 'e' || lpad(to_hex(i), 63, '0'),
       CASE WHEN i % 10 = 0 THEN 'pending_verification' WHEN i % 25 = 0 THEN 'duplicate' WHEN i % 50 = 0 THEN 'held' ELSE 'qualified' END,
       'h' || lpad(to_hex(i), 63, '0'), '2026-12-01 00:00:00+00', 'ip', '\\x00'::bytea, 'ja', '2026-11-01 00:00:00+00', '2026-11-01 00:05:00+00', '2026-11-01 00:05:00+00'
FROM generate_series(1, $REGISTRATIONS) AS i;
-- As many personal invitations, and the slots the qualified ones earned (one per 10).
INSERT INTO invitations (id, company_id, link_id, token_hash, created_at)
SELECT 'i' || lpad(to_hex(i), 31, '0'), '$CID', '$LINK', 't' || lpad(to_hex(i), 63, '0'), '2026-11-01 00:00:00+00' FROM generate_series(1, $REGISTRATIONS) AS i;
INSERT INTO ledger_entries (id, company_id, type, amount, business_key, reference, created_at)
SELECT 'l' || lpad(to_hex(i), 31, '0'), '$CID', 'slot.earned', 1, 'slot-earned:' || i, 'r' || i, '2026-11-01 00:05:00+00' FROM generate_series(1, $REGISTRATIONS * 88 / 1000) AS i;
$COMMON_SQL
SQL
else
sqlite3 "$DATA/careerrelay.db" <<SQL
PRAGMA journal_mode=WAL;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $REGISTRATIONS)
INSERT INTO registrations (id, company_id, link_id, candidate_id, email_hash, status, code_hash, code_expires_at, ip_hash, submitted_profile, lang, created_at, verified_at, qualified_at)
SELECT printf('%032x', i), '$CID', '$LINK', printf('c%031x', i), printf('e%063x', i),
       CASE WHEN i % 10 = 0 THEN 'pending_verification' WHEN i % 25 = 0 THEN 'duplicate' WHEN i % 50 = 0 THEN 'held' ELSE 'qualified' END,
       printf('h%063x', i), '2026-12-01 00:00:00', 'ip', x'00', 'ja', '2026-11-01 00:00:00', '2026-11-01 00:05:00', '2026-11-01 00:05:00' FROM n;
-- As many personal invitations, and the slots the qualified ones earned (one per 10).
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $REGISTRATIONS)
INSERT INTO invitations (id, company_id, link_id, token_hash, created_at)
SELECT printf('i%031x', i), '$CID', '$LINK', printf('t%063x', i), '2026-11-01 00:00:00' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $REGISTRATIONS * 88 / 1000)
INSERT INTO ledger_entries (id, company_id, type, amount, business_key, reference, created_at)
SELECT printf('l%031x', i), '$CID', 'slot.earned', 1, 'slot-earned:' || i, 'r' || i, '2026-11-01 00:05:00' FROM n;
$COMMON_SQL
SQL
fi
start
curl -sf "$BASE/api/v1/company/summary" -H "Authorization: Bearer $CKEY" > "$OUT/summary-answer.json"
KEY=$CKEY wrk -t2 -c4 -d3s -s bench/summary.lua "$BASE/api/v1/company/summary" >/dev/null   # warm up
RESULT=$(KEY=$CKEY wrk -t"$(( CONNECTIONS < 2 ? 1 : 2 ))" -c"$CONNECTIONS" -d"$DURATION" -s bench/summary.lua "$BASE/api/v1/company/summary" | tail -n 1)
RPS=$(KEY=$CKEY wrk -t"$(( CONNECTIONS < 2 ? 1 : 2 ))" -c"$CONNECTIONS" -d5s -s bench/summary.lua "$BASE/api/v1/company/summary" | awk '/Requests\/sec/ {print $2}')
cat <<SUMMARY | tee "$OUT/summary-p4-$DB.txt"
date:     $(date -u +%Y-%m-%dT%H:%MZ)
machine:  $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)
database: $DB
data:     $REGISTRATIONS registrations, 1,000,000 clicks; answer: $(python3 -c "import json; d=json.load(open('$OUT/summary-answer.json')); print(d['registrations'], 'registrations,', d['clicks'], 'clicks')")
P4:       $CONNECTIONS connections, $DURATION: $RESULT; $RPS rps in a 5 s run
SUMMARY
