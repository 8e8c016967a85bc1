# shellcheck shell=bash
# apt-get helpers with a bounded wait for another apt/dpkg run to release its locks.
# Sourced by scripts/ensure-docker.sh and scripts/ensure-test-tools.sh:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
#   apt_update || die "apt-get update failed"
#   apt_get install --no-install-recommends PKG...
#
# APT_LOCK_TIMEOUT: seconds to wait for a lock (default 300).

apt_lock_timeout=${APT_LOCK_TIMEOUT:-300}
export DEBIAN_FRONTEND=noninteractive

# apt-get with a bounded wait for the dpkg lock (another apt may be running).
apt_get() {
  apt-get -q -y -o DPkg::Lock::Timeout="$apt_lock_timeout" "$@"
}

# `apt-get update` does not wait for the lists lock on every apt version: retry.
apt_update() {
  local deadline=$((SECONDS + apt_lock_timeout)) out
  while :; do
    if out=$(apt_get update 2>&1); then return 0; fi
    if [ "$SECONDS" -lt "$deadline" ] && grep -qiE 'could not get lock|unable to lock|is another process using it' <<<"$out"; then
      sleep 3
      continue
    fi
    echo "$out" >&2
    return 1
  done
}
