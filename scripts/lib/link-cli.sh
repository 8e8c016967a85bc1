#!/usr/bin/env bash
# Puts `gureum` on PATH: a symlink to this clone's CLI in /usr/local/bin (root) or ~/.local/bin,
# or $GUREUM_BIN_DIR. Never replaces a regular file; GUREUM_NO_LINK=1 skips it. It looks at the
# link itself, not at `command -v gureum`: inside `npm run`, node_modules/.bin is on PATH and
# already has a `gureum`, which says nothing about the user's shell.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
say() { echo "gureum: $*" >&2; }
[ -z "${GUREUM_NO_LINK:-}" ] || exit 0
cli="$(pwd)/apps/cli/bin/gureum.js"
if [ -n "${GUREUM_BIN_DIR:-}" ]; then bindir=$GUREUM_BIN_DIR
elif [ "$(id -u)" = 0 ]; then bindir=/usr/local/bin
else bindir="$HOME/.local/bin"; fi
[ "$(readlink -f "$bindir/gureum" 2>/dev/null || true)" != "$cli" ] || exit 0
if mkdir -p "$bindir" 2>/dev/null && { [ ! -e "$bindir/gureum" ] || [ -L "$bindir/gureum" ]; } && ln -sfn "$cli" "$bindir/gureum" 2>/dev/null; then
  # PATH as the user's shell has it: without the node_modules/.bin entries npm run adds.
  case ":$(printf %s "$PATH" | tr ':' '\n' | grep -v '/node_modules/\.bin$' | paste -sd:):" in
    *":$bindir:"*) say "linked $bindir/gureum to this clone's CLI" ;;
    *) say "linked $bindir/gureum to this clone's CLI; add $bindir to PATH to run it as gureum" ;;
  esac
else
  say "could not link gureum into $bindir (a file of that name is there): run it as npx gureum"
fi
