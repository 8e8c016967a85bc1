#!/usr/bin/env bash
# Install (only if missing) schemathesis, the OpenAPI fuzzer apps/server/test/api/fuzz.test.ts
# runs, in a virtualenv cached outside the repository and keyed by its version:
#   ${GUREUM_CACHE_DIR:-~/.cache/gureum}/schemathesis-<version>/bin/schemathesis
# Needs python3 with venv (Debian: python3-venv, installed by ensure-test-tools.sh).
set -euo pipefail
VERSION=4.32.5
cache="${GUREUM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/gureum}"
venv="$cache/schemathesis-$VERSION"
say() { echo "ensure-fuzzer: $*" >&2; }

if [ -x "$venv/bin/schemathesis" ] && "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
  exit 0
fi
command -v python3 >/dev/null || { say "python3 is missing (Debian: apt-get install python3-venv)"; exit 1; }
mkdir -p "$cache"
tmp="$venv.tmp.$$"
rm -rf "$tmp"
say "installing schemathesis $VERSION into $venv"
python3 -m venv "$tmp" || { say "python3 -m venv failed (Debian: apt-get install python3-venv)"; rm -rf "$tmp"; exit 1; }
if ! out=$("$tmp/bin/pip" install --disable-pip-version-check -q "schemathesis==$VERSION" 2>&1); then
  echo "$out" >&2
  rm -rf "$tmp"
  say "pip could not install schemathesis $VERSION"
  exit 1
fi
rm -rf "$venv"
mv "$tmp" "$venv"
