#!/bin/sh
# As apache/rocketmq-docker's play-docker-compose.sh: makes the log and store folders of
# docker-compose.yml writable by the image's user (uid 3000), then starts the NameServer and both
# brokers in the background. Arguments go to `compose up` (e.g. --force-recreate).
# COMPOSE_FILE=docker-compose-2m-2s.yml starts the two master/slave groups instead.
set -e
cd "$(dirname "$0")"
file=${COMPOSE_FILE:-docker-compose.yml}
dirs="data/namesrv/logs data/broker/logs data/broker/store data1/broker/logs data1/broker/store"
if [ "$file" = docker-compose-2m-2s.yml ]; then
  dirs=2m-2s/namesrv/logs
  for broker in broker-a broker-a-s broker-b broker-b-s; do dirs="$dirs 2m-2s/$broker/logs 2m-2s/$broker/store"; done
fi
for dir in $dirs; do
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    chmod a+rwx "$dir"
  fi
done
if docker compose version >/dev/null 2>&1; then
  exec docker compose -f "$file" up -d "$@"
elif command -v docker-compose >/dev/null 2>&1; then
  exec docker-compose -f "$file" up -d "$@"
else
  exec podman-compose -f "$file" up -d "$@"
fi
