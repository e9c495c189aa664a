#!/usr/bin/env bash
# Runs the Java matrix driver under the JDK on PATH (17):
#   run.sh --client-version V [--serialize ROCKETMQ] --namesrv H:P --broker H:P --prefix X --scenarios a,b,c
# Client logs go to build/V/logs/, broadcasting consumers' local offsets to build/V/offsets/, never to $HOME:
# 4.x clients read rocketmq.client.logRoot, 5.x ones rocketmq.log.root, and the 5.x rocketmq-tools log config
# only knows user.home, which therefore points into build/V/home for the driver's JVM.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

version=""
serialize=""
rest=()
while [ $# -gt 0 ]; do
  case "$1" in
    --client-version) version="${2:-}"; shift 2 ;;
    --serialize) serialize="${2:-}"; shift 2 ;;
    *) rest+=("$1"); shift ;;
  esac
done
out="$here/build/$version"
if [ -z "$version" ] || [ ! -f "$out/classpath.txt" ] || [ ! -d "$out/classes" ]; then
  echo "run.sh: no driver for client '$version'; run prepare.sh --client-version $version first" >&2
  exit 2
fi

label="$version${serialize:+-$serialize}"
jvm=(-Xmx768m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
  "-Drocketmq.client.logRoot=$out/logs/$label"
  "-Drocketmq.log.root=$out/logs/$label"
  "-Duser.home=$out/home"
  "-Drocketmq.client.localOffsetStoreDir=$out/offsets/$label")
case "$version" in
  # Netty 4.0 of the clients before 4.9 reaches into java.nio's direct buffers
  4.[0-8].*) jvm+=(--add-opens java.base/java.nio=ALL-UNNAMED) ;;
esac
driver=(--client-version "$version")
if [ -n "$serialize" ]; then
  # RemotingCommand reads the header encoding of every request (and its answers) from this property
  jvm+=("-Drocketmq.serialize.type=$serialize")
  driver+=(--serialize "$serialize")
fi
exec java "${jvm[@]}" -cp "$out/classes:$(cat "$out/classpath.txt")" org.rmqts.matrix.MatrixDriver \
  "${driver[@]}" "${rest[@]}"
