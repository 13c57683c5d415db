#!/usr/bin/env bash
# Measures what a node pays for csi4j: time from `bin/csi4j serve` to the first successful
# Probe, and the serving JVM's resident memory once idle. Usage: tools/startup-footprint.sh [RUNS]
set -euo pipefail
home=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
dir=$(mktemp -d /tmp/csi4j-footprint.XXXXXX)
trap 'pkill -TERM -f "$dir/csi.sock" 2>/dev/null || true; sleep 0.5; rm -rf "$dir"' EXIT

"$home/bin/csi4j" --version >/dev/null   # build and AOT-train first, outside the measurement

for run in $(seq "$runs"); do
  rm -rf "$dir/data"; mkdir -p "$dir/data"
  # A prober that is already running polls every 5 ms, so its own start is not measured.
  "$home/bin/csi4j" --endpoint "unix://$dir/csi.sock" identity probe --wait 60 >/dev/null &
  prober=$!
  sleep 1.5
  start=$(date +%s%N)
  "$home/bin/csi4j" serve --endpoint "unix://$dir/csi.sock" --data-dir "$dir/data" --log-level warn &
  server=$!
  wait "$prober"
  ready=$(date +%s%N)
  sleep 3   # idle
  rss=$(awk '/VmRSS/{print $2}' "/proc/$server/status")
  printf 'run %d: first Probe after %d ms, idle RSS %d KiB (%.1f MiB)\n' "$run" $(( (ready - start) / 1000000 )) "$rss" "$(echo "$rss/1024" | bc -l)"
  kill -TERM "$server"; wait "$server" || true
done
