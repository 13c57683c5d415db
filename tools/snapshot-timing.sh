#!/usr/bin/env bash
# Snapshot time of image volumes holding real data (64 MiB, 1 GiB, 8 GiB by default) on a data
# directory that reflinks (XFS, reflink=1) and on one that does not (ext4, where the driver copies
# sparsely; compared with cp --sparse=always of the same image in the same run). Needs root and the
# built driver (bin/csi4j builds it). Usage: [FILESYSTEMS="xfs ext4"] tools/snapshot-timing.sh [ROUNDS] [SIZE_MIB...]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}; shift || true
[ $# -gt 0 ] && sizes=("$@") || sizes=(64 1024 8192)
java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
lib="csi4j-driver/target/csi4j/lib/*"
[ -d csi4j-driver/target/csi4j/lib ] || bin/csi4j --version >/dev/null
work=$(mktemp -d /var/tmp/csi4j-snapshot-timing.XXXXXX)
pids=(); mounts=(); loops=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  for m in "${mounts[@]}"; do umount -l "$m" 2>/dev/null || true; done
  for l in "${loops[@]}"; do losetup -d "$l" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
for fs in ${FILESYSTEMS:-xfs ext4}; do
  truncate -s 40G "$work/$fs.img"
  dev=$(losetup -f --show "$work/$fs.img"); loops+=("$dev")
  if [ "$fs" = xfs ]; then mkfs.xfs -q -m reflink=1 "$dev"; else mkfs.ext4 -q "$dev"; fi
  mkdir -p "$work/$fs"; mount "$dev" "$work/$fs"; mounts+=("$work/$fs")
  mkdir -p "$work/$fs/data"
  "$java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$lib" io.csi4j.driver.Csi4j serve \
      --endpoint "unix://$work/$fs.sock" --data-dir "$work/$fs/data" --node-id timing --kubelet-dir "$work" \
      > "$work/$fs.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do [ -S "$work/$fs.sock" ] && break; sleep 0.1; done
  echo "== data directory on $fs =="
  extra=(); [ "$fs" = ext4 ] && extra=(--cp)
  "$java" -cp "$lib" tools/SnapshotTiming.java "unix://$work/$fs.sock" "$work/$fs/data" "$work/$fs-mnt" \
      "$rounds" "${extra[@]}" "${sizes[@]}" 2>&1 | grep -v -e SLF4J -e '^WARNING'
done
