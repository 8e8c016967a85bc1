#!/usr/bin/env bash
# `npm run up`: prepare, then run Gureum in the foreground on http://localhost:${GUREUM_PORT:-7070}.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/prepare.sh
export GUREUM_DATA_DIR=${GUREUM_DATA_DIR:-./data}
exec node apps/server/dist/main.js
