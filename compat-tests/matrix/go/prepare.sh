#!/usr/bin/env bash
# Builds the Go matrix driver into build/ (contract: compat-tests/matrix/README.md).
# Modules come from the Go module proxy into the usual Go module cache; go.sum pins them.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v go >/dev/null 2>&1; then
  echo "prepare.sh: the go toolchain is not on PATH" >&2
  exit 1
fi
mkdir -p build
go build -mod=readonly -buildvcs=false -o build/matrix-driver .
client_version=$(go list -mod=readonly -m -f '{{.Version}}' github.com/apache/rocketmq-client-go/v2)
echo "PREPARED build/matrix-driver: rocketmq-client-go/v2 ${client_version}, $(go env GOVERSION)"
