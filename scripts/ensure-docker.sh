#!/usr/bin/env bash
# Make sure a Docker engine answers `docker info`.
#
#   - engine already answers             -> exit 0, touch nothing
#   - a dockerd is already starting      -> wait for it (never start a second one:
#                                           a second default dockerd fights over docker0)
#   - systemd is PID 1                   -> `systemctl start docker`
#   - otherwise, as root on Debian/Ubuntu -> install docker.io if dockerd is missing,
#                                           clear stale pid files, start dockerd detached
#   - not root / not Debian              -> explain what to do, exit 1
#
# Environment:
#   GUREUM_DOCKER_LOG            dockerd log file (default /var/log/gureum-dockerd.log)
#   GUREUM_DOCKER_START_TIMEOUT  seconds to wait for the engine (default 60)
#   GUREUM_DOCKERD_ARGS          extra arguments for dockerd (word-split), default none
#
# Quiet on success; messages on stderr on failure.
set -euo pipefail

log_file=${GUREUM_DOCKER_LOG:-/var/log/gureum-dockerd.log}
start_timeout=${GUREUM_DOCKER_START_TIMEOUT:-60}

say() { echo "ensure-docker: $*" >&2; }
die() { say "$*"; exit 1; }

engine_up() {
  command -v docker >/dev/null 2>&1 || return 1
  timeout 20 docker info >/dev/null 2>&1
}

engine_up && exit 0

is_root() { [ "$(id -u)" -eq 0 ]; }

is_debian_like() {
  [ -r /etc/os-release ] || return 1
  local id id_like
  # shellcheck disable=SC1091
  id=$(. /etc/os-release && echo "${ID:-}")
  # shellcheck disable=SC1091
  id_like=$(. /etc/os-release && echo "${ID_LIKE:-}")
  case " $id $id_like " in
    *" debian "* | *" ubuntu "*) return 0 ;;
  esac
  return 1
}

explain_and_fail() {
  local why=$1
  {
    echo "ensure-docker: no Docker engine answers 'docker info' ($why)."
    if ! is_root && [ -S /var/run/docker.sock ] && ! [ -w /var/run/docker.sock ]; then
      echo "  A daemon socket exists at /var/run/docker.sock but you cannot use it:"
      echo "    sudo usermod -aG docker \"$(id -un)\"   # then log out and back in (or: newgrp docker)"
    else
      echo "  Install and start Docker Engine, for example on Debian/Ubuntu:"
      echo "    sudo apt-get install docker.io && sudo systemctl enable --now docker"
      echo "  then let your user talk to it:"
      echo "    sudo usermod -aG docker \"$(id -un)\"   # then log out and back in"
      echo "  or run this script as root on Debian/Ubuntu to have it install and start dockerd."
    fi
  } >&2
  exit 1
}

# Pid of a live process whose command name is $2, read from pid file $1; empty if none.
live_pid_from() {
  local file=$1 name=$2 pid
  [ -f "$file" ] || return 0
  pid=$(tr -dc '0-9' <"$file" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  if [ -r "/proc/$pid/comm" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ]; then
    echo "$pid"
  fi
}

# Pids of processes whose command name is $1 (no procps needed).
pids_named() {
  local f
  for f in /proc/[0-9]*/comm; do
    [ "$(cat "$f" 2>/dev/null || true)" = "$1" ] || continue
    f=${f#/proc/}
    echo "${f%/comm}"
  done
}

# Is a dockerd for the default engine running? (Private test daemons that use their own
# --data-root are ignored.)
default_dockerd_running() {
  [ -n "$(live_pid_from /var/run/docker.pid dockerd)" ] && return 0
  local pid args
  for pid in $(pids_named dockerd); do
    args=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
    case "$args" in
      *--data-root*) ;;
      *) return 0 ;;
    esac
  done
  return 1
}

wait_for_engine() { # $1 = seconds, $2 = optional pid that must stay alive
  local deadline=$((SECONDS + $1)) pid=${2:-}
  while [ "$SECONDS" -lt "$deadline" ]; do
    engine_up && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      return 2
    fi
    sleep 1
  done
  engine_up
}

# While a default dockerd is running, wait for it to answer. Returns 0 once it answers,
# 3 if it went away (e.g. it was shutting down: the caller may start a new one), and
# dies if it is still there but silent after the timeout.
wait_for_running_dockerd() {
  local deadline=$((SECONDS + start_timeout))
  while default_dockerd_running; do
    engine_up && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      die "a dockerd process is running but 'docker info' did not answer within ${start_timeout}s; not starting a second one. Check its log (ours: $log_file) or stop it and re-run."
    fi
    sleep 1
  done
  engine_up && return 0
  return 3
}

show_log_tail() {
  if [ -r "$log_file" ]; then
    say "last lines of $log_file:"
    tail -n 20 "$log_file" >&2 || true
  fi
}

# --- not root and the socket is not ours to use: nothing to wait for ------------------
if ! is_root && [ -S /var/run/docker.sock ] && ! [ -w /var/run/docker.sock ]; then
  explain_and_fail "permission denied on /var/run/docker.sock"
fi

# --- someone is already starting an engine: wait for it ---------------------------
wait_for_running_dockerd && exit 0

is_root || explain_and_fail "not running as root"

# One starter at a time (tests may call this in parallel); the others wait, then re-check.
lock_file=/run/lock/gureum-ensure-docker.lock
[ -d /run/lock ] || lock_file=/tmp/gureum-ensure-docker.lock
exec 7>>"$lock_file"
flock -w 900 7 || die "timed out waiting for another ensure-docker.sh ($lock_file)"
wait_for_running_dockerd && exit 0

# --- systemd-managed machine ---------------------------------------------------------
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1 &&
  systemctl cat docker.service >/dev/null 2>&1; then
  if systemctl start docker.service >/dev/null 2>&1 && wait_for_engine "$start_timeout"; then
    exit 0
  fi
  say "systemctl start docker did not bring up a working engine; trying to start dockerd by hand"
  if default_dockerd_running; then
    die "docker.service left a dockerd running that does not answer; see 'journalctl -u docker'"
  fi
fi

is_debian_like || explain_and_fail "automatic setup only supports Debian/Ubuntu"

# --- install docker.io if dockerd is missing -----------------------------------------
# shellcheck source-path=SCRIPTDIR source=lib/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

if ! command -v dockerd >/dev/null 2>&1; then
  # No dockerd: a lone docker CLI (e.g. /usr/local/bin/docker) does not count.
  apt_update || die "apt-get update failed"
  if ! out=$(apt_get install --no-install-recommends docker.io 2>&1); then
    echo "$out" >&2
    die "apt-get install docker.io failed"
  fi
  command -v dockerd >/dev/null 2>&1 || die "docker.io is installed but dockerd is still not on PATH ($PATH)"
  # The package's postinst may have started an engine through its init script.
  wait_for_running_dockerd && exit 0
fi
command -v docker >/dev/null 2>&1 || die "dockerd exists but there is no docker CLI on PATH; install docker.io (or docker-ce-cli)"

# --- clear stale pid files left by a previous machine / killed daemon ----------------
if [ -e /var/run/docker.pid ] && [ -z "$(live_pid_from /var/run/docker.pid dockerd)" ]; then
  rm -f /var/run/docker.pid
fi
# dockerd reuses a containerd whose pid is in this file if that pid is alive; a pid that
# now belongs to another process makes dockerd hang waiting for containerd.
containerd_pidfile=/var/run/docker/containerd/containerd.pid
if [ -e "$containerd_pidfile" ] && [ -z "$(live_pid_from "$containerd_pidfile" containerd)" ]; then
  rm -f "$containerd_pidfile"
fi

# --- start dockerd detached ----------------------------------------------------------
mkdir -p "$(dirname "$log_file")"
echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) ensure-docker.sh starting dockerd" >>"$log_file"
# Detached (own session, no controlling tty, SIGHUP ignored) and with every inherited
# descriptor beyond stdio closed, so the daemon holds neither our lock nor a caller's pipe.
# shellcheck disable=SC2086 # GUREUM_DOCKERD_ARGS is meant to be word-split
# shellcheck disable=SC2016 # expanded by the inner bash
setsid nohup bash -c '
  for fd in /proc/$$/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
  exec "$@"' gureum-dockerd dockerd ${GUREUM_DOCKERD_ARGS:-} </dev/null >>"$log_file" 2>&1 &
dockerd_pid=$!
disown "$dockerd_pid" 2>/dev/null || true

rc=0
wait_for_engine "$start_timeout" "$dockerd_pid" || rc=$?
[ "$rc" -eq 0 ] && exit 0
if [ "$rc" -eq 2 ]; then
  say "dockerd (pid $dockerd_pid) exited during startup"
else
  say "dockerd (pid $dockerd_pid) did not answer 'docker info' within ${start_timeout}s (left running)"
fi
show_log_tail
exit 1
