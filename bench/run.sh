#!/usr/bin/env bash
# `npm run bench`: every benchmark of the platform core, one after the other (they must not
# overlap: each measures the same engine). Needs the engine and the test image:
#   bash scripts/ensure-docker.sh && bash scripts/build-test-images.sh
# Figures land in bench/results/<name>.json; a missed goal is reported, not an error. Exits
# non-zero only when a benchmark could not run to its end.
#
#   bash bench/run.sh                 # all: api authz deploy recovery memory metrics-collect metrics-query image-load dashboard
#   bash bench/run.sh deploy memory   # some
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

names=("$@")
[ ${#names[@]} -eq 0 ] && names=(api authz deploy recovery memory metrics-collect metrics-query image-load dashboard)

bash scripts/ensure-docker.sh || exit 1
bash scripts/build-test-images.sh || exit 1
# memory.bench.ts runs the built server and dashboard.bench.ts the built dashboard; build once
# here rather than per benchmark.
npm run --silent build || exit 1

failed=()
summary=()
for name in "${names[@]}"; do
  echo "bench: $name" >&2
  log=$(mktemp)
  if BENCH_NO_BUILD=1 node --import tsx "bench/$name.bench.ts" | tee "$log"; then
    summary+=("$(tail -n 1 "$log")")
  else
    failed+=("$name")
  fi
  rm -f "$log"
done

echo
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "bench: could not finish: ${failed[*]}" >&2
  exit 1
fi
