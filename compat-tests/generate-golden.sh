#!/bin/sh
# Regenerates the golden vectors in <repo>/src/codec/fixtures (or in the directory given as $1)
# from the OFFICIAL RocketMQ 4.7.1 classes. Needs only a JDK 17 and Maven (no npm).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-"$here/../src/codec/fixtures"}
mkdir -p "$out"
out=$(cd "$out" && pwd)
mvn -q -B -f "$here/pom.xml" test-compile exec:java -Dgolden.outDir="$out"
