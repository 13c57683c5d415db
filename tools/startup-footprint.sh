#!/usr/bin/env bash
# Measures what a node pays for csi4j: time from `bin/csi4j serve` to serving its socket and to
# the first Probe it answers (both from the server's own log, so neither a client's cold start nor
# a busy polling loop is counted), and when a client (a prober already running, polling every
# 5 ms) got its answer; then the serving JVM's resident memory once idle.
# Usage: tools/startup-footprint.sh [RUNS]
set -euo pipefail
home=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
dir=$(mktemp -d /tmp/csi4j-footprint.XXXXXX)
trap 'pkill -TERM -f "$dir/csi.sock" 2>/dev/null || true; sleep 0.5; rm -rf "$dir"' EXIT

"$home/bin/csi4j" --version >/dev/null   # build and AOT-train first, outside the measurement

ms_of_log_time() { # 2026-11-23T03:43:40.573Z -> epoch ms
  date -d "$1" +%s%3N
}

for run in $(seq "$runs"); do
  rm -rf "$dir/data"; mkdir -p "$dir/data"
  "$home/bin/csi4j" --endpoint "unix://$dir/csi.sock" identity probe --wait 60 >/dev/null &
  prober=$!
  sleep 1.5
  start=$(date +%s%3N)
  "$home/bin/csi4j" serve --endpoint "unix://$dir/csi.sock" --data-dir "$dir/data" --log-level debug 2>"$dir/serve.log" &
  server=$!
  wait "$prober"
  client=$(date +%s%3N)
  answered=$(ms_of_log_time "$(grep -m1 'Probe -> OK' "$dir/serve.log" | cut -d' ' -f1)")
  socket=$(ms_of_log_time "$(grep -m1 'CsiServer: serving' "$dir/serve.log" | cut -d' ' -f1)")
  sleep 3   # idle
  rss=$(awk '/VmRSS/{print $2}' "/proc/$server/status")
  printf 'run %d: serving after %d ms, first Probe answered after %d ms (a cold client saw it after %d ms), idle RSS %.1f MiB\n' \
    "$run" $((socket - start)) $((answered - start)) $((client - start)) "$(echo "$rss/1024" | bc -l)"
  kill -TERM "$server"; wait "$server" || true
done
