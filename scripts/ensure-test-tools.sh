#!/usr/bin/env bash
# Install (only if missing) the Debian packages Gureum's tests use.
#
#   scripts/ensure-test-tools.sh            # the full list below
#   scripts/ensure-test-tools.sh PKG...     # only these packages (used by other scripts)
#
# - `apt-get update` runs at most once, and only when something is missing.
# - Services the packages would start (docker-registry on :5000, prometheus on :9090, ...)
#   are not started: the tests start their own instances on their own ports.
# - Waits (bounded) for another apt/dpkg run to release its lock.
# Quiet on success; on failure prints apt's output and a message on stderr.
set -euo pipefail

default_packages=(
  busybox-static  # static /bin/busybox for the test image (scripts/build-test-images.sh)
  docker-registry # /usr/bin/docker-registry (scripts/start-test-registry.sh)
  chromium        # headless browser for UI tests / screenshots
  iproute2        # ip, ss
  openssl         # self-signed certificates for the HTTPS tests
  procps          # ps, pgrep, pkill
  python3-venv    # a virtualenv for the OpenAPI fuzzer (scripts/ensure-fuzzer.sh)
  prometheus      # ships promtool (config/rules checks); its service is NOT started
  socat
  util-linux      # nsenter, unshare, setsid, flock
)
# Packages whose services we stop if their postinst started them anyway.
declare -A package_services=(
  [docker-registry]="docker-registry"
  [prometheus]="prometheus"
)

say() { echo "ensure-test-tools: $*" >&2; }
die() { say "$*"; exit 1; }

if [ "$#" -gt 0 ]; then packages=("$@"); else packages=("${default_packages[@]}"); fi

is_installed() {
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)" = "installed" ]
}

missing=()
for p in "${packages[@]}"; do
  is_installed "$p" || missing+=("$p")
done
[ "${#missing[@]}" -eq 0 ] && exit 0

[ "$(id -u)" -eq 0 ] || die "missing packages: ${missing[*]}. Run as root, or: sudo apt-get install ${missing[*]}"
command -v apt-get >/dev/null 2>&1 || die "missing packages: ${missing[*]}, and there is no apt-get here (Debian/Ubuntu only); install them by hand"

# shellcheck source-path=SCRIPTDIR source=lib/apt.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

# Keep maintainer scripts from starting services: invoke-rc.d and deb-systemd-invoke
# both obey /usr/sbin/policy-rc.d (exit 101 = "action forbidden"). Only add one if the
# machine has none, and remove exactly the one we added.
policy=/usr/sbin/policy-rc.d
added_policy=""
# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  if [ -n "$added_policy" ] && [ -f "$policy" ] && grep -q 'gureum ensure-test-tools' "$policy" 2>/dev/null; then
    rm -f "$policy"
  fi
}
trap cleanup EXIT
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# temporary: gureum ensure-test-tools (do not start services)\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  added_policy=1
fi

apt_update || die "apt-get update failed"
if ! out=$(apt_get install --no-install-recommends "${missing[@]}" 2>&1); then
  echo "$out" >&2
  die "apt-get install ${missing[*]} failed"
fi

still_missing=()
for p in "${missing[@]}"; do
  is_installed "$p" || still_missing+=("$p")
done
[ "${#still_missing[@]}" -eq 0 ] || die "still not installed after apt-get install: ${still_missing[*]}"

# If a service of a package we just installed got started anyway (e.g. a machine whose
# existing policy-rc.d allows it), stop it through its own service manager.
for p in "${missing[@]}"; do
  svc=${package_services[$p]:-}
  [ -n "$svc" ] || continue
  if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
    if systemctl is-active --quiet "$svc" 2>/dev/null; then
      systemctl stop "$svc" >/dev/null 2>&1 || say "could not stop service $svc"
    fi
  elif [ -x "/etc/init.d/$svc" ] && grep -qx "$svc" /proc/[0-9]*/comm 2>/dev/null; then
    "/etc/init.d/$svc" stop >/dev/null 2>&1 || say "could not stop service $svc"
  fi
done
exit 0
