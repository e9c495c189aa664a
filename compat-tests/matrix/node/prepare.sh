#!/usr/bin/env bash
# Installs ali-ons (pinned in package-lock.json) into this folder's own node_modules with `npm ci`.
# Skipped when node_modules was installed from the same package-lock.json and loads.
set -euo pipefail
cd "$(dirname "$0")"
stamp=node_modules/.matrix-lock-sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! node -e 'require("ali-ons")' 2>/dev/null; then
  npm ci --no-audit --no-fund --prefer-offline --loglevel=error >&2
  node -e 'require("ali-ons")' >&2
  echo "$want" > "$stamp"
fi
echo "PREPARED node-ali-ons: ali-ons $(node -p 'require("ali-ons/package.json").version') on node $(node --version)"
