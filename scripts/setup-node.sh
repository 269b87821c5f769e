#!/usr/bin/env bash
# Installs the npm packages from the lock file, once per lock file change.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
  echo "npm packages up to date"
  exit 0
fi
npm ci --no-audit --no-fund
echo "$want" > "$stamp"
