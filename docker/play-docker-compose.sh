#!/bin/sh
# As apache/rocketmq-docker's play-docker-compose.sh: makes the log and store folders of
# docker-compose.yml writable by the image's user (uid 3000), then starts the NameServer and both
# brokers in the background. Arguments go to `compose up` (e.g. --force-recreate).
set -e
cd "$(dirname "$0")"
for dir in data/namesrv/logs data/broker/logs data/broker/store data1/broker/logs data1/broker/store; do
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    chmod a+rwx "$dir"
  fi
done
if docker compose version >/dev/null 2>&1; then
  exec docker compose -f docker-compose.yml up -d "$@"
elif command -v docker-compose >/dev/null 2>&1; then
  exec docker-compose -f docker-compose.yml up -d "$@"
else
  exec podman-compose -f docker-compose.yml up -d "$@"
fi
