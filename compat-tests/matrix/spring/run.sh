#!/usr/bin/env bash
# Runs the Spring Boot driver built by prepare.sh (compat-tests/matrix/README.md, "Driver contract"):
#   run.sh --starter-version V --namesrv H:P --broker H:P --prefix PREFIX --scenarios a,b,c
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
version=""
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --starter-version) version="$2"; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
out="$here/build/$version"
if [ -z "$version" ] || [ ! -f "$out/matrix-spring.jar" ] || [ ! -f "$out/classpath.txt" ]; then
  echo "run.sh: build/$version is missing; run prepare.sh --starter-version $version first" >&2
  exit 2
fi
mkdir -p "$out/logs"
# Logging: Spring's own logging setup is off and logback reads logback.xml (WARN, stderr); the RocketMQ client
# writes its log files (4.9.x: rocketmq.client.logRoot, 5.x: rocketmq.log.root) and the BROADCASTING consumers
# their local offsets under build/<version>/.
exec java -Xmx384m -XX:+UseSerialGC -Dfile.encoding=UTF-8 \
  --add-opens java.base/java.nio=ALL-UNNAMED \
  -Dorg.springframework.boot.logging.LoggingSystem=none \
  -Dlogback.configurationFile="$here/logback.xml" \
  -Drocketmq.client.logRoot="$out/logs" \
  -Drocketmq.log.root="$out/logs" \
  -Drocketmq.client.logLevel=WARN \
  -Drocketmq.client.localOffsetStoreDir="$out/offsets" \
  -cp "$out/matrix-spring.jar:$(cat "$out/classpath.txt")" \
  org.rmqts.matrix.spring.MatrixApp "${args[@]}"
