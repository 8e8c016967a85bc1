#!/usr/bin/env bash
# `npm test`: prepare, check types, lint and import cycles, then run every test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/prepare.sh
bash scripts/ensure-test-tools.sh
bash scripts/build-test-images.sh
bash scripts/start-test-registry.sh
bash scripts/ensure-fuzzer.sh

echo "gureum: type-checking, linting, looking for import cycles" >&2
npx tsc -p tsconfig.json
npx eslint --max-warnings 0 .
npm run --silent cycles >/dev/null || {
  npm run --silent cycles
  exit 1
}

# Unit tests sit beside the code; integration tests (real engine, real database) under test/.
# One file at a time: some integration tests restart the engine.
mapfile -t files < <(find apps packages -path '*/node_modules' -prune -o -path '*/dist' -prune -o -name '*.test.ts' -print | sort)
mkdir -p .test-artifacts
exec node --import tsx --test --test-concurrency=1 --test-timeout=300000 "${files[@]}"
