#!/usr/bin/env bash
# Long-polling latency of a push consumer (official 4.7.1 client), against our servers and/or the Java 4.7.1
# servers: 10,000 messages at a steady rate, send→receive p50/p99. See PushLatency.java.
#
#   bench/push-latency/run.sh                     # ours, then Java, 10,000 messages at 500 msg/s
#   bench/push-latency/run.sh --targets ts        # ours only
#   bench/push-latency/run.sh --count 2000 --rate 200
#
# Needs a built repository (npm run build), JDK 17 and Maven (the compat-tests harness starts the servers; its
# test classes and classpath are built here if missing). Prints one PUSH_LATENCY_RESULT line per target and a
# markdown table at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
TARGETS="ts java"
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --targets) TARGETS=$(echo "$2" | tr ',' ' '); shift 2 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
COMPAT=$ROOT/compat-tests/target
if [ ! -f "$COMPAT/test-classpath.txt" ] || [ ! -f "$COMPAT/test-classes/org/rmqts/compat/Servers.class" ]; then
  mvn -q -f compat-tests test-compile
fi
OUT=$ROOT/bench/push-latency/target
mkdir -p "$OUT"
# the harness keeps its work folders and server logs under compat.buildDir: here, not in compat-tests/target
cp "$COMPAT/test-classpath.txt" "$OUT/test-classpath.txt"
CP="$COMPAT/test-classes:$(cat "$COMPAT/test-classpath.txt")"
javac -nowarn -d "$OUT" -cp "$CP" bench/push-latency/PushLatency.java
RESULTS=()
for target in $TARGETS; do
  echo "== $target" >&2
  line=$(java -Xmx256m --add-opens java.base/java.nio=ALL-UNNAMED \
    -Dcompat.target="$target" -Dcompat.buildDir="$OUT" -Dcompat.repoRoot="$ROOT" \
    -Drocketmq.client.logRoot="$OUT/client-logs" -Drocketmq.client.logLevel=WARN \
    -cp "$OUT:$CP" PushLatency "${ARGS[@]+"${ARGS[@]}"}" | grep '^PUSH_LATENCY_RESULT')
  echo "$line"
  RESULTS+=("${line#PUSH_LATENCY_RESULT }")
done
node -e '
const rows = process.argv.slice(1).map((text) => JSON.parse(text));
console.log("\n| Broker | messages (rate) | send→receive p50 / p99 | return→receive p50 / p99 | send RT p50 / p99 |");
console.log("|---|---|---|---|---|");
for (const r of rows) {
  const name = r.target === "ts" ? "ours (TypeScript)" : "Java 4.7.1";
  const f = (p) => `${p.p50} / ${p.p99} ms`;
  console.log(`| ${name} | ${r.received}/${r.count} (${r.rate}/s) | ${f(r.sendToReceive)} | ${f(r.returnToReceive)} | ${f(r.sendRt)} |`);
}' "${RESULTS[@]}"
