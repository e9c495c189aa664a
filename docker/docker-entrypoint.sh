#!/bin/sh
# The image's entrypoint, with apache/rocketmq-docker's contract:
#   <image> nameserver [mqnamesrv options]     or NODE_ROLE=nameserver
#   <image> broker [mqbroker options]          or NODE_ROLE=broker (NAMESRV_ADDR names the NameServer)
#   <image> <any command>                      runs it, e.g. `sh mqbroker -c …/broker.conf` of the
#                                              rmq4 compose file, or `sh` to look around
# A role given as the first argument wins over NODE_ROLE. With NODE_ROLE, the arguments go to the
# server (the image's placeholder CMD `dummy` is dropped). The server is exec'd, and bin/mqnamesrv
# and bin/mqbroker exec node, so node is PID 1 and `docker stop` (SIGTERM) shuts it down cleanly.
set -e
bin_dir=${ROCKETMQ_HOME:-$(cd "$(dirname "$0")/.." && pwd)}/bin

role=
case "$1" in
  nameserver | broker)
    role=$1
    shift
    ;;
  *)
    case "${NODE_ROLE:-}" in
      nameserver | broker)
        role=$NODE_ROLE
        if [ "${1:-}" = dummy ]; then shift; fi
        ;;
    esac
    ;;
esac

case "$role" in
  nameserver) exec "$bin_dir/mqnamesrv" "$@" ;;
  broker) exec "$bin_dir/mqbroker" "$@" ;;
esac

if [ "$#" -eq 0 ] || [ "$1" = dummy ]; then
  echo "usage: <image> nameserver|broker [options], or NODE_ROLE=nameserver|broker; any other command is run as given" >&2
  exit 2
fi
exec "$@"
