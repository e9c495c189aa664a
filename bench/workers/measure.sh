#!/usr/bin/env bash
# Main-thread CPU per send (issue #15 §2): boots a NameServer and a broker (optionally pinned with
# taskset, optionally with extra broker.conf lines), runs send-load.js against it, stops both.
#   bench/workers/measure.sh [seconds] [brokerCpus] [conf line]...   e.g. measure.sh 10 0 sendMessageThreadPoolNums=2
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=${1:-10}; CPUS=${2:-0,1}; shift 2 || true
WORK=$(mktemp -d /tmp/workers-bench.XXXX)
NS_PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# the broker also listens on listenPort - 2 (VIP channel): pick a port with both free
BR_PORT=$(node -e "
const net=require('net'); const free=(p)=>new Promise(r=>{const s=net.createServer().once('error',()=>r(false)).listen(p,'127.0.0.1',()=>s.close(()=>r(true)))});
(async()=>{for(;;){const p=12000+Math.floor(Math.random()*20000); if(await free(p)&&await free(p-2)){console.log(p);return}}})()")
printf 'listenPort=%s\n' "$NS_PORT" > "$WORK/ns.conf"
{ echo brokerClusterName=DefaultCluster; echo brokerName=broker-a; echo brokerId=0
  echo "listenPort=$BR_PORT"; echo "namesrvAddr=127.0.0.1:$NS_PORT"; echo brokerIP1=127.0.0.1
  echo "storePathRootDir=$WORK/store"; echo "storePathCommitLog=$WORK/store/commitlog"; echo haListenPort=0
  for line in "$@"; do echo "$line"; done; } > "$WORK/broker.conf"
export ROCKETMQ_LOG_DIR=$WORK/logs
node dist/src/cli/mqnamesrv.js -c "$WORK/ns.conf" > "$WORK/ns.out" 2>&1 & NS_PID=$!
taskset -c "$CPUS" node --max-semi-space-size=8 ${BROKER_NODE_ARGS:-} dist/src/cli/mqbroker.js -c "$WORK/broker.conf" > "$WORK/broker.out" 2>&1 & BR_PID=$!
cleanup() {
  local rc=$?
  [ $rc -ne 0 ] && tail -20 "$WORK/broker.out"
  kill $BR_PID $NS_PID 2>/dev/null; wait $BR_PID $NS_PID 2>/dev/null
  grep -rhE 'send workers posted|connection workers received' "$WORK/logs" 2>/dev/null | tail -1
  cp "$WORK/broker.out" "${TMPDIR:-/tmp}/workers-bench-broker.out" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for _ in $(seq 1 300); do grep -q 'boot success' "$WORK/broker.out" && break; sleep 0.1; done
LOAD_CPUS=${LOAD_CPUS:-0,1}
taskset -c "$LOAD_CPUS" node dist/bench/workers/send-load.js "$BR_PORT" "$BR_PID" "$SECONDS_RUN" ${LOAD_ARGS:-4 64 1024}
