#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and starts Baby Buddy Backup from the
# build folder. With nothing configured, the app opens its demo database
# (made in the user's data folder the first time), so there is something to
# back up.
set -eu
cd "$(dirname "$0")/.."
sh build-aux/install-deps.sh
[ -d build ] || meson setup build
ninja -C build

export GSETTINGS_SCHEMA_DIR="$PWD/build/data" BB_LOCALEDIR="$PWD/build/po"
# A bare machine has no session bus; the app wants one.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec dbus-run-session -- build/src/babybuddy-backup --demo "$@"
fi
exec build/src/babybuddy-backup --demo "$@"
