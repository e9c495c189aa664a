#!/usr/bin/env bash
# Runs the Python column's driver (see ../README.md, "Driver contract"); prepare.sh must have run.
# HOME points into build/ because the native client writes its logs (~/logs/rocketmq-cpp) and broadcasting
# offsets (~/.rocketmq_offsets) under HOME.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$here/build/home"
HOME="$here/build/home" exec "$here/build/venv/bin/python" -u "$here/driver.py" "$@"
