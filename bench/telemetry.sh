#!/usr/bin/env bash
# What telemetry costs (issue 22): bench/load.sh's P1 and P2 with telemetry off and on, alternating in one session so the
# machine's day is the same for both. "On" is everything a production node would do: metrics (the /metrics exporter's
# aggregation), spans for every request and the registration writer, logs, all exported over OTLP/HTTP every second to a
# local stand-in collector (bench/otlp-sink.py). "Off" is Telemetry__Enabled=false.
# Rerun: ROUNDS=2 bash bench/telemetry.sh   (each round is one load.sh run per setting, ~2 minutes each;
#        RATIO=0.1 keeps one trace in ten, as Telemetry:TraceSampleRatio does by default)
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${ROUNDS:-2}
SINK_PORT=${SINK_PORT:-54318}
OUT=bench/results
mkdir -p "$OUT"
python3 bench/otlp-sink.py "$SINK_PORT" & SINK=$!
trap 'kill $SINK 2>/dev/null' EXIT
OFF="Telemetry__Enabled=false"
ON="Telemetry__Enabled=true Telemetry__OtlpEndpoint=http://127.0.0.1:$SINK_PORT Telemetry__ExportIntervalSeconds=1 Telemetry__TraceSampleRatio=${RATIO:-1}"
for round in $(seq 1 "$ROUNDS"); do
  for setting in off on; do
    [ "$setting" = off ] && settings=$OFF || settings=$ON
    APP_SETTINGS="$settings" bash bench/load.sh > /dev/null
    cp "$OUT/summary-${DB:-sqlite}.txt" "$OUT/telemetry-$setting-${RATIO:-1}-$round.txt"
    echo "round $round, telemetry $setting:"
    grep -E "^(date|P1 ratio|P1 landing|P2 registrations|P2 rows)" "$OUT/telemetry-$setting-${RATIO:-1}-$round.txt" | sed 's/^/  /'
  done
done
echo "collector received (requests bytes): $(curl -s "http://127.0.0.1:$SINK_PORT/")"
