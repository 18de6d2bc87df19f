#!/usr/bin/env bash
# Bulk CSV import of rejected applicants (issue 7; no SPEC §8 target): 10,000 rows, preview then import then re-import,
# on SQLite and on PostgreSQL, against a Release build on loopback. Rerun: bash bench/import.sh
#   PostgreSQL: set CAREERRELAY_BENCH_POSTGRES to a server connection string (a database "careerrelay_import_bench" is
#   created and dropped), e.g. "Host=127.0.0.1;Port=55432;Username=postgres". Without it only SQLite runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-10000}
PORT=${PORT:-5081}
OUT=bench/results
KEY="cr_op_bench-operator-key-0000000000000000"
mkdir -p "$OUT"
source bench/publish.sh
publish_app "$OUT/app"

run() { # $1 = label; the rest: extra settings as environment
  local label=$1; shift
  local data; data=$(mktemp -d /tmp/careerrelay-import.XXXXXX)
  env "$@" CareerRelay__DataDirectory="$data" CareerRelay__Demo__Seed=false CareerRelay__Bootstrap__OperatorApiKey="$KEY" \
    Logging__LogLevel__Default=Warning ASPNETCORE_URLS="http://127.0.0.1:$PORT" ASPNETCORE_CONTENTROOT="$(realpath "$OUT/app")" dotnet "$OUT/app/CareerRelay.Web.dll" > "$OUT/import-$label.log" 2>&1 &
  local app=$!
  for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  python3 - "$PORT" "$KEY" "$ROWS" "$label" <<'PY'
import json, sys, time, urllib.request
port, key, rows, label = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def post(path, body, bearer, ctype="application/json"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method="POST",
                                 headers={"Authorization": "Bearer " + bearer, "Content-Type": ctype})
    with urllib.request.urlopen(req, timeout=900) as r: return json.loads(r.read())
company = post("/api/v1/admin/companies", {"name": "大量採用株式会社", "contactEmail": "hr@bulk.example.jp"}, key)["apiKey"]
lines = ["応募ID,氏名,メールアドレス,応募職種,選考結果,不合格日"] + [f"B-{i:05d},応募 者{i},applicant{i}@example.jp,営業,不合格,2026/11/20" for i in range(rows)]
csv = ("\r\n".join(lines) + "\r\n").encode()
def timed(query):
    t = time.perf_counter(); r = post("/api/v1/company/ats/imports" + query, csv, company, "text/csv"); return time.perf_counter() - t, r
t1, r1 = timed("?dryRun=true"); t2, r2 = timed(""); t3, r3 = timed("")
assert r2["invitations"] == rows and r2["mails"] == rows and r3["alreadyImported"] == rows, (r2, r3)
print(f"{label:10} {rows} rows ({len(csv)//1024} KiB): preview {t1:.2f} s, import {t2:.2f} s ({rows/t2:.0f} rows/s), re-import {t3:.2f} s")
PY
  kill $app; wait $app 2>/dev/null || true
  rm -rf "$data"
}

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
  run sqlite
  if [ -n "${CAREERRELAY_BENCH_POSTGRES:-}" ]; then
    psql "$(echo "$CAREERRELAY_BENCH_POSTGRES" | sed 's/;/ /g; s/Host=/host=/; s/Port=/port=/; s/Username=/user=/') dbname=postgres" -qc "DROP DATABASE IF EXISTS careerrelay_import_bench" -c "CREATE DATABASE careerrelay_import_bench"
    run postgres Database__Provider=Postgres Database__MigrateOnStart=true "ConnectionStrings__CareerRelay=$CAREERRELAY_BENCH_POSTGRES;Database=careerrelay_import_bench"
  fi
} | tee "$OUT/import-summary.txt"
