# Sourced by the bench scripts: what every registration load needs in the app at $BASE (operator key $KEY) —
# create_relay sets CKEY (the company's API key), AGENCY (a partner agency's id) and TOKEN (a relay link's token).
post() { curl -sf -X POST "$BASE$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
create_relay() {
  CKEY=$(post /api/v1/admin/companies "$KEY" '{"name":"株式会社ベンチ","contactEmail":"hr@bench-co.example"}' | json "['apiKey']")
  AGENCY=$(post /api/v1/admin/agencies "$KEY" '{"name":"ベンチキャリア","licenseNumber":"13-ユ-999999","contactEmail":"a@bench-ag.example","occupations":["営業"],"fees":"無料","complaintContact":"03-0000-0000","privacyPolicyUrl":"https://bench-ag.example/privacy"}' | json "['id']")
  TOKEN=$(post /api/v1/company/links "$CKEY" '{"label":"bench"}' | json "['token']")
}
# A data folder of its own under a "top directory" (see bench/load.sh), for runs that follow each other on ext4.
bench_data() { mkdir -p /tmp/careerrelay-bench && { chattr +T /tmp/careerrelay-bench 2>/dev/null || true; }; mktemp -d "/tmp/careerrelay-bench/$1.XXXXXX"; }
