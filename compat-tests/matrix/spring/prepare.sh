#!/usr/bin/env bash
# Builds the Spring Boot driver for one rocketmq-spring-boot-starter release (compat-tests/matrix/README.md):
#   prepare.sh --starter-version 2.2.2|2.3.5
# Output: build/<version>/matrix-spring.jar and build/<version>/classpath.txt (the runtime dependencies, in the
# local Maven repository). Nothing is rebuilt while that output is newer than pom.xml and the sources.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version=""
while [ $# -gt 0 ]; do
  case "$1" in
    --starter-version) version="$2"; shift 2 ;;
    *) echo "prepare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$version" in
  2.2.2|2.3.5) ;;
  *) echo "prepare.sh: --starter-version must be 2.2.2 or 2.3.5 (the versions pom.xml pins), got '$version'" >&2; exit 2 ;;
esac
out="$here/build/$version"
jarFile="$out/matrix-spring.jar"
cpFile="$out/classpath.txt"

up_to_date() {
  [ -f "$jarFile" ] && [ -f "$cpFile" ] || return 1
  [ -z "$(find "$here/pom.xml" "$here/src" -newer "$jarFile" -print -quit)" ] || return 1
  local entry
  while IFS= read -r entry; do
    [ -f "$entry" ] || return 1
  done < <(tr ':' '\n' < "$cpFile")
}

if ! up_to_date; then
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" -Dstarter.version="$version" \
    compiler:compile dependency:build-classpath -Dmdep.outputFile="$cpFile" >&2
  rm -f "$jarFile"
  jar --create --file "$jarFile" -C "$out/classes" .
fi
client="$(tr ':' '\n' < "$cpFile" | grep -o 'rocketmq-client-[0-9.]*\.jar' | head -1 | sed 's/rocketmq-client-//; s/\.jar$//')"
boot="$(tr ':' '\n' < "$cpFile" | grep -o '/spring-boot-[0-9.]*\.jar' | head -1 | sed 's|/spring-boot-||; s/\.jar$//')"
echo "PREPARED rocketmq-spring-boot-starter $version (rocketmq-client $client, Spring Boot $boot) in build/$version"
