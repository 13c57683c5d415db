#!/usr/bin/env bash
# Builds csi4j-jmh and runs its JMH benchmarks: tools/jmh.sh [JMH options] [benchmark regex]
# e.g. tools/jmh.sh -f 1 -wi 3 -i 5 MountTable; tools/jmh.sh -h for JMH's options.
# Benchmarks never run in ./mvnw verify (the module only compiles there).
set -euo pipefail
home=$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$home"
./mvnw -q -DskipTests -pl csi4j-jmh -am package >&2
java=${CSI4J_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
exec "$java" --enable-native-access=ALL-UNNAMED -cp "csi4j-jmh/target/classes:csi4j-jmh/target/jmh-lib/*" \
  org.openjdk.jmh.Main -jvmArgsPrepend --enable-native-access=ALL-UNNAMED "$@"
