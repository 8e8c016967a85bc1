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

# The command line: `npx gureum` works in the clone; also put `gureum` on PATH (a symlink, never
# over a regular file; GUREUM_NO_LINK=1 skips it).
cli="$(pwd)/apps/cli/bin/gureum.js"
if [ -z "${GUREUM_NO_LINK:-}" ] && [ "$(readlink -f "$(command -v gureum 2>/dev/null || true)" 2>/dev/null)" != "$cli" ]; then
  if [ "$(id -u)" = 0 ]; then bindir=/usr/local/bin; else bindir="$HOME/.local/bin"; fi
  if mkdir -p "$bindir" 2>/dev/null && { [ ! -e "$bindir/gureum" ] || [ -L "$bindir/gureum" ]; } && ln -sfn "$cli" "$bindir/gureum" 2>/dev/null; then
    case ":$PATH:" in
      *":$bindir:"*) say "linked $bindir/gureum to this clone's CLI" ;;
      *) say "linked $bindir/gureum to this clone's CLI; add $bindir to PATH to run it as gureum" ;;
    esac
  else
    say "could not link gureum into $bindir: run it as npx gureum"
  fi
fi

bash scripts/ensure-docker.sh
