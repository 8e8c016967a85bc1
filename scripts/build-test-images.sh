#!/usr/bin/env bash
# Build Gureum's local test images without pulling anything from a network registry.
#
#   gureum-test/busybox:latest and gureum-test/busybox:1 (same image)
#     - /bin/busybox from Debian's busybox-static, every applet as a symlink to it
#       (/bin/sh, /bin/ls, /usr/bin/wget, /sbin/ip, ...)
#     - /etc/passwd + /etc/group with root and nobody, /tmp (1777), /root
#     - CMD ["/bin/sh"], PATH set, LABEL io.gureum.test-image-version=<version>
#
# The build is skipped when both tags already point at an image carrying the current
# io.gureum.test-image-version and io.gureum.test-image-busybox labels.
# Bump IMAGE_VERSION whenever the rootfs layout below changes.
#
# NOTE for test authors: Debian's static busybox `wget -T <secs>` crashes (segfault).
# Bound a wget with coreutils-style `timeout` instead, which busybox also provides:
#     timeout 5 wget -q -O- http://127.0.0.1:8080/
#
# Quiet on success.
set -euo pipefail

IMAGE_VERSION=1
repo=gureum-test/busybox
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

say() { echo "build-test-images: $*" >&2; }
die() { say "$*"; exit 1; }

"$here/ensure-docker.sh"
"$here/ensure-test-tools.sh" busybox-static

busybox=$(dpkg -L busybox-static 2>/dev/null | grep -E '/bin/busybox$' | head -n1 || true)
if [ -z "$busybox" ] || [ ! -x "$busybox" ]; then
  die "busybox-static is installed but its /bin/busybox was not found"
fi
busybox_version=$(dpkg-query -W -f='${Version}' busybox-static)

label_of() { # $1 image, $2 label key -> value or empty
  docker image inspect -f "{{ index .Config.Labels \"$2\" }}" "$1" 2>/dev/null || true
}
id_of() { docker image inspect -f '{{.Id}}' "$1" 2>/dev/null || true; }

up_to_date() {
  local id_latest id_1
  id_latest=$(id_of "$repo:latest")
  id_1=$(id_of "$repo:$IMAGE_VERSION")
  [ -n "$id_latest" ] && [ "$id_latest" = "$id_1" ] &&
    [ "$(label_of "$repo:latest" io.gureum.test-image-version)" = "$IMAGE_VERSION" ] &&
    [ "$(label_of "$repo:latest" io.gureum.test-image-busybox)" = "$busybox_version" ]
}

up_to_date && exit 0

# One builder at a time; a waiter re-checks and usually finds the image built.
exec 8>>"${TMPDIR:-/tmp}/gureum-test-images.lock"
flock -w 300 8 || die "timed out waiting for another build-test-images.sh"
up_to_date && exit 0

# If :latest is already right and only the :1 tag is missing/stale, just retag.
if [ "$(label_of "$repo:latest" io.gureum.test-image-version)" = "$IMAGE_VERSION" ] &&
  [ "$(label_of "$repo:latest" io.gureum.test-image-busybox)" = "$busybox_version" ]; then
  docker tag "$repo:latest" "$repo:$IMAGE_VERSION"
  exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/gureum-test-image.XXXXXX")
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,etc,root,tmp,var/tmp,home,proc,sys,dev,run}
chmod 1777 "$rootfs/tmp" "$rootfs/var/tmp"
chmod 700 "$rootfs/root"
cp "$busybox" "$rootfs/bin/busybox"
chmod 755 "$rootfs/bin/busybox"

# One symlink per applet at its canonical path (busybox --list-full), so nothing is
# installed into the host's own /bin the way `busybox --install -s` without a dir would.
if applets=$("$rootfs/bin/busybox" --list-full 2>/dev/null) && [ -n "$applets" ]; then
  while IFS= read -r path; do
    [ -n "$path" ] || continue
    [ "$path" = "bin/busybox" ] && continue
    mkdir -p "$rootfs/$(dirname "$path")"
    ln -sfn /bin/busybox "$rootfs/$path"
  done <<<"$applets"
else
  while IFS= read -r applet; do
    [ -n "$applet" ] && [ "$applet" != busybox ] && ln -sfn /bin/busybox "$rootfs/bin/$applet"
  done < <("$rootfs/bin/busybox" --list)
fi
[ -L "$rootfs/bin/sh" ] || die "busybox provided no 'sh' applet"

cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
EOF
cat >"$rootfs/etc/shadow" <<'EOF'
root:*:19000:0:99999:7:::
nobody:*:19000:0:99999:7:::
EOF
chmod 640 "$rootfs/etc/shadow"
echo "gureum-test" >"$rootfs/etc/hostname"

if ! out=$(tar --numeric-owner --owner=0 --group=0 -C "$rootfs" -c . |
  docker import \
    --change 'CMD ["/bin/sh"]' \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL io.gureum.test-image-version=$IMAGE_VERSION" \
    --change "LABEL io.gureum.test-image-busybox=$busybox_version" \
    --message "gureum test image v$IMAGE_VERSION (busybox-static $busybox_version)" \
    - "$repo:latest" 2>&1); then
  echo "$out" >&2
  die "docker import failed"
fi
docker tag "$repo:latest" "$repo:$IMAGE_VERSION"
up_to_date || die "image was imported but its labels/tags do not check out"
