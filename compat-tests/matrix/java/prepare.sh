#!/usr/bin/env bash
# Builds the Java matrix driver for one client version (compat-tests/matrix/README.md, "Driver contract"):
#   prepare.sh --client-version V [--serialize ROCKETMQ]
# writes build/V/classes (the driver, compiled against client V) and build/V/classpath.txt (rocketmq-client V and
# rocketmq-tools V with their dependencies, from Maven Central through ~/.m2). Skips Maven when nothing changed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

version=""
serialize=""
while [ $# -gt 0 ]; do
  case "$1" in
    --client-version) version="${2:-}"; shift 2 ;;
    --serialize) serialize="${2:-}"; shift 2 ;;
    *) echo "prepare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "prepare.sh: --client-version needs a concrete version such as 4.7.1, got '$version'" >&2
  exit 2
fi

out="$here/build/$version"
mkdir -p "$out"
exec 9>"$out/.prepare.lock"
flock 9
stamp="$out/prepared.stamp"
if [ -f "$stamp" ] && [ -f "$out/classpath.txt" ] \
  && [ -z "$(find "$here/src" "$here/pom.xml" -newer "$stamp" -print -quit)" ]; then
  built="cached"
else
  if ! mvn -q -B -f "$here/pom.xml" -Dclient.version="$version" compile >"$out/prepare.log" 2>&1; then
    tail -n 30 "$out/prepare.log" >&2
    echo "prepare.sh: mvn compile failed for rocketmq-client $version (see $out/prepare.log)" >&2
    exit 1
  fi
  touch "$stamp"
  built="built"
fi
jars=$(tr ':' '\n' <"$out/classpath.txt" | grep -c '\.jar$')
echo "PREPARED java driver ($built) with rocketmq-client $version and rocketmq-tools $version, $jars jars${serialize:+, serialize $serialize}"
