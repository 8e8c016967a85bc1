#!/usr/bin/env bash
# Stop the test registry started by scripts/start-test-registry.sh (by its pid file).
#
#   scripts/stop-test-registry.sh           # stop it, keep its storage
#   scripts/stop-test-registry.sh --purge   # stop it and delete its state directory
#
# Idempotent and quiet: nothing running is not an error.
set -euo pipefail

state_dir=${TMPDIR:-/tmp}/gureum-test-registry
pid_file=$state_dir/registry.pid

say() { echo "stop-test-registry: $*" >&2; }

purge=""
case "${1:-}" in
  "") ;;
  --purge) purge=1 ;;
  *) say "usage: $0 [--purge]"; exit 2 ;;
esac

if [ -f "$pid_file" ]; then
  pid=$(tr -dc '0-9' <"$pid_file" 2>/dev/null || true)
  # Only signal the pid if it still is a docker-registry process (pids get reused).
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "docker-registry" ]; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    if kill -0 "$pid" 2>/dev/null; then
      say "docker-registry (pid $pid) did not exit"
      exit 1
    fi
  fi
  rm -f "$pid_file"
fi

if [ -n "$purge" ]; then
  rm -rf "$state_dir"
fi
exit 0
