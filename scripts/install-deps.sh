#!/bin/sh
# Install what libsalesservice needs to build and test on Debian (or Ubuntu),
# skipping what is already there. Run as root, or as a user with sudo.
set -eu

PACKAGES="cmake make gcc g++ pkg-config binutils libcmocka-dev uthash-dev libjansson-dev libsqlite3-dev python3 python3-venv python3-pip python3-setuptools python3-wheel python3-pandas clang libclang-rt-14-dev tzdata chromium nats-server libnats-dev"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "install-deps: missing packages:$missing (run as root or install sudo)" >&2
    exit 1
fi
echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
