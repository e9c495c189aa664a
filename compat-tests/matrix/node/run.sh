#!/usr/bin/env bash
# Runs the ali-ons driver: run.sh --namesrv H:P --broker H:P --prefix PREFIX --scenarios a,b,c
set -euo pipefail
cd "$(dirname "$0")"
exec node driver.js "$@"
