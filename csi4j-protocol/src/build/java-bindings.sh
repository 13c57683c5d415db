#!/usr/bin/env bash
# Works around a name clash in protoc's Java generator, keeping the protocol exact.
#
# CreateVolumeRequest and the ValidateVolumeCapabilities messages have two map fields,
# `parameters` and `mutable_parameters`. For a map field `parameters` protoc-gen-java emits
# internalGetMutableParameters() and getMutableParameters(); for `mutable_parameters` it emits
# methods of the same names, and the result does not compile. So:
#   rename   copies csi.proto to the Java-only source set with those map fields named
#            `mutable_params` (Java methods getMutableParamsMap(), putMutableParams(), ...);
#   restore  puts the descriptor of the canonical csi.proto back into the generated Csi.java,
#            so names seen at run time (reflection, JSON, text format, logs) are the spec's.
# Messages are matched by index and fields by number, so the Java code and the canonical
# descriptor agree on everything but these Java method names.
set -euo pipefail

case "${1:-}" in
rename)
  src=$2 dst=$3
  mkdir -p "$(dirname "$dst")"
  sed -E 's/^([[:space:]]*map<string, string>[[:space:]]+)mutable_parameters([[:space:]]*=)/\1mutable_params\2/' \
    "$src" > "$dst"
  grep -q 'mutable_params =' "$dst" || { echo "java-bindings: no mutable_parameters map found in $src" >&2; exit 1; }
  ;;
restore)
  canonical=$2 generated=$3
  block() { awk '/java\.lang\.String\[\] descriptorData = \{/{on=1} on{print} on&&/^ *\};/{exit}' "$1"; }
  [ -n "$(block "$canonical")" ] || { echo "java-bindings: no descriptorData in $canonical" >&2; exit 1; }
  tmp=$(mktemp)
  block "$canonical" > "$tmp.block"
  awk -v blockfile="$tmp.block" '
    /java\.lang\.String\[\] descriptorData = \{/ { while ((getline line < blockfile) > 0) print line; skip=1; next }
    skip && /^ *\};/ { skip=0; next }
    !skip { print }' "$generated" > "$tmp"
  mv "$tmp" "$generated"
  rm -f "$tmp.block"
  ;;
*)
  echo "usage: java-bindings.sh rename SRC DST | restore CANONICAL_CSI_JAVA GENERATED_CSI_JAVA" >&2
  exit 2
  ;;
esac
