#!/usr/bin/env bash
# Alternating runs, order swapped every round; driver CPU (utime+stime ticks) recorded too.
# Usage: tools/metrics-overhead.sh (as root; figures in $OUT, default /tmp/metrics-overhead). docs/benchmarks.md has the results.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/metrics-overhead}; rm -rf -- "$out"; mkdir -p "$out"
for round in 1 2 3 4 5 6 7 8; do
  if [ $((round % 2)) = 1 ]; then order="without with"; else order="with without"; fi
  for mode in $order; do
    d=$(mktemp -d /tmp/bm15.XXXX)
    extra=()
    [ $mode = with ] && extra=(--metrics-address 127.0.0.1:19809)
    CSI4J_STATE_DIR=$d bin/csi4j serve --endpoint unix://$d/csi.sock --data-dir $d/data --kubelet-dir none --log-level warn "${extra[@]}" > $d/serve.log 2>&1 &
    pid=$!
    CSI4J_STATE_DIR=$d bin/csi4j --endpoint unix://$d/csi.sock identity probe --wait 60 >/dev/null
    read -r -a before < /proc/$pid/stat
    CSI4J_STATE_DIR=$d bin/csi4j --endpoint unix://$d/csi.sock bench create-delete --ops 2000 -c 16 --warmup 50 --size 16Mi --param overcommit=true > $out/$round-$mode.txt
    read -r -a after < /proc/$pid/stat
    if [ $mode = with ]; then bin/csi4j metrics --url 127.0.0.1:19809 > $out/$round-$mode.metrics.txt || true; fi
    cpu=$(( (after[13] + after[14]) - (before[13] + before[14]) ))
    echo "$round $mode $(ps -o comm= -p $pid) cpu_ticks=$cpu $(head -1 $out/$round-$mode.txt | grep -o '= [0-9.]* ops/s')"
    kill -TERM $pid; wait $pid || true
    rm -rf $d
  done
done
