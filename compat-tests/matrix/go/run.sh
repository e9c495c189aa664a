#!/usr/bin/env bash
# Runs the Go matrix driver: run.sh --namesrv H:P --broker H:P --prefix PREFIX --scenarios a,b,c
# The client logs (logrus, stderr) are kept at error level; only stdout's MATRIX lines are results.
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
if [ ! -x "$dir/build/matrix-driver" ]; then
  echo "run.sh: $dir/build/matrix-driver is missing; run prepare.sh first" >&2
  exit 1
fi
# BROADCASTING consumers keep their offsets in files: keep them under build/, fresh per run.
offsets="$dir/build/offsets"
rm -rf "$offsets"
exec env ROCKETMQ_GO_LOG_LEVEL=error "rocketmq.client.localOffsetStoreDir=$offsets" \
  "$dir/build/matrix-driver" "$@"
