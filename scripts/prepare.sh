#!/usr/bin/env bash
# What both `npm run up` and `npm test` need first: dependencies, a build, a Docker engine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { echo "gureum: $*" >&2; }

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 20 ]; then
  say "Node.js 20 or newer is needed (found $(node --version))."
  exit 1
fi

# Install when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
# better-sqlite3 is a native module: make sure it loads on this Node.js.
if ! node -e "new (require('better-sqlite3'))(':memory:')" 2>/dev/null; then
  say "building better-sqlite3 for this Node.js"
  npm rebuild better-sqlite3 --loglevel=error
fi

say "building"
npm run --silent build

# The command line: `npx gureum` works in the clone; also put `gureum` on PATH.
bash scripts/lib/link-cli.sh

bash scripts/ensure-docker.sh
