#!/usr/bin/env bash
# Start a real local Docker registry (Debian's docker-registry, distribution 2.x) for the
# tests, and push the test image into it.
#
#   address : 127.0.0.1:${GUREUM_TEST_REGISTRY_PORT:-5055}   (plain HTTP, no auth;
#             dockerd treats 127.0.0.0/8 as an insecure registry by default)
#   state   : ${TMPDIR:-/tmp}/gureum-test-registry/{config.yml,storage/,registry.pid,registry.log}
#   image   : 127.0.0.1:PORT/gureum-test/busybox:1  (= local gureum-test/busybox:1)
#
# After the push the local tag 127.0.0.1:PORT/gureum-test/busybox:1 is removed, so a
# `docker pull 127.0.0.1:PORT/gureum-test/busybox:1` really goes to the registry.
#
# Idempotent: if the registry already answers /v2/ and holds the current image, nothing
# happens. Stop it with scripts/stop-test-registry.sh.
# Prints one line when it started the registry or pushed; nothing otherwise.
set -euo pipefail

port=${GUREUM_TEST_REGISTRY_PORT:-5055}
state_dir=${TMPDIR:-/tmp}/gureum-test-registry
config=$state_dir/config.yml
pid_file=$state_dir/registry.pid
log_file=$state_dir/registry.log
registry_bin=/usr/bin/docker-registry
image=gureum-test/busybox:1
remote_repo=gureum-test/busybox
remote_tag=1
remote_image=127.0.0.1:$port/$remote_repo:$remote_tag
base=http://127.0.0.1:$port
start_timeout=30
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

say() { echo "start-test-registry: $*" >&2; }
die() { say "$*"; exit 1; }

# GET $1 (optional Accept header $2). Prints the body; fails unless the status is 200.
http_get() {
  local url=$1 accept=${2:-}
  if command -v curl >/dev/null 2>&1; then
    if [ -n "$accept" ]; then
      curl -fsS --max-time 5 -H "Accept: $accept" "$url" 2>/dev/null
    else
      curl -fsS --max-time 5 "$url" 2>/dev/null
    fi
  else
    node -e '
      const [url, accept] = process.argv.slice(1);
      fetch(url, { headers: accept ? { accept } : {}, signal: AbortSignal.timeout(5000) })
        .then(async (r) => { const t = await r.text(); if (r.status !== 200) process.exit(1); process.stdout.write(t); })
        .catch(() => process.exit(1));
    ' "$url" "$accept" 2>/dev/null
  fi
}

registry_up() { http_get "$base/v2/" >/dev/null; }

# Config digest (= image id) of the manifest stored for $remote_repo:$remote_tag, if any.
remote_config_digest() {
  local manifest
  manifest=$(http_get "$base/v2/$remote_repo/manifests/$remote_tag" \
    'application/vnd.docker.distribution.manifest.v2+json') || return 0
  tr -d ' \n\t' <<<"$manifest" | grep -o '"config":{[^}]*}' | grep -o 'sha256:[0-9a-f]\{64\}' | head -n1 || true
}

live_registry_pid() {
  [ -f "$pid_file" ] || return 0
  local pid
  pid=$(tr -dc '0-9' <"$pid_file" 2>/dev/null || true)
  if [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" = "docker-registry" ]; then
    echo "$pid"
  fi
}

wait_up() { # $1 = pid that must stay alive (optional)
  local deadline=$((SECONDS + start_timeout)) pid=${1:-}
  while [ "$SECONDS" -lt "$deadline" ]; do
    registry_up && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 2; fi
    sleep 0.3
  done
  registry_up
}

# One starter at a time; the others wait and then find it running.
mkdir -p "$state_dir"
exec 9>>"$state_dir/.lock"
flock -w 300 9 || die "timed out waiting for another start-test-registry.sh ($state_dir/.lock)"

started=""
if ! registry_up; then
  pid=$(live_registry_pid)
  if [ -n "$pid" ]; then
    # Our registry is running (maybe still starting): give it the usual time.
    wait_up "$pid" || die "docker-registry (pid $pid) runs but $base/v2/ does not answer; see $log_file or run scripts/stop-test-registry.sh"
  else
    rm -f "$pid_file"
    [ -x "$registry_bin" ] || "$here/ensure-test-tools.sh" docker-registry
    [ -x "$registry_bin" ] || die "$registry_bin not found (apt-get install docker-registry)"

    mkdir -p "$state_dir/storage"
    cat >"$config" <<EOF
# Written by scripts/start-test-registry.sh (Gureum tests). Local only, no auth.
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
  fields:
    service: gureum-test-registry
storage:
  filesystem:
    rootdirectory: $state_dir/storage
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:$port
  secret: gureum-test-registry-local-only
  headers:
    X-Content-Type-Options: [nosniff]
EOF
    echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) start-test-registry.sh" >>"$log_file"
    # Detached, with inherited descriptors beyond stdio closed (our lock, callers' pipes).
    # shellcheck disable=SC2016 # expanded by the inner bash
    setsid nohup bash -c '
      for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
      exec "$@"' gureum-test-registry "$registry_bin" serve "$config" </dev/null >>"$log_file" 2>&1 &
    pid=$!
    disown "$pid" 2>/dev/null || true
    echo "$pid" >"$pid_file"
    rc=0
    wait_up "$pid" || rc=$?
    if [ "$rc" -ne 0 ]; then
      if [ "$rc" -eq 2 ]; then
        say "docker-registry exited during startup (port $port in use? set GUREUM_TEST_REGISTRY_PORT); last lines of $log_file:"
      else
        say "docker-registry did not answer $base/v2/ within ${start_timeout}s; last lines of $log_file:"
      fi
      tail -n 5 "$log_file" >&2 || true
      if kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
      rm -f "$pid_file"
      exit 1
    fi
    started=1
  fi
fi

# --- make sure the registry holds the current test image ------------------------------
"$here/build-test-images.sh" # also runs ensure-docker.sh; quiet and a no-op when up to date
local_id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
[ -n "$local_id" ] || die "local image $image is missing after build-test-images.sh"

if [ "$(remote_config_digest)" != "$local_id" ]; then
  docker tag "$image" "$remote_image"
  if ! out=$(docker push "$remote_image" 2>&1); then
    docker image rm "$remote_image" >/dev/null 2>&1 || true
    echo "$out" >&2
    die "docker push $remote_image failed"
  fi
  docker image rm "$remote_image" >/dev/null 2>&1 || true
  [ "$(remote_config_digest)" = "$local_id" ] || die "pushed $remote_image but the registry does not serve it back"
  echo "test registry ${started:+started }on 127.0.0.1:$port; pushed $remote_image"
elif [ -n "$started" ]; then
  echo "test registry started on 127.0.0.1:$port (already holds $remote_image)"
fi
