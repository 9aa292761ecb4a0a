#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and starts Baby Buddy Backup from the
# build folder. With nothing configured, a demo database is created in the
# user's data folder first, so there is something to back up.
set -eu
cd "$(dirname "$0")/.."
sh build-aux/install-deps.sh
[ -d build ] || meson setup build
ninja -C build

data="${XDG_DATA_HOME:-$HOME/.local/share}/babybuddy-backup"
demo="$data/demo.sqlite3"
if [ ! -f "$demo" ]; then
  mkdir -p "$data"
  build/src/babybuddy-backup demo "$demo" --rows 20000 >/dev/null
  echo "Created the demo database $demo" >&2
fi

export GSETTINGS_SCHEMA_DIR="$PWD/build/data"
# A bare machine has no session bus; the app wants one.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec dbus-run-session -- build/src/babybuddy-backup "$@"
fi
exec build/src/babybuddy-backup "$@"
