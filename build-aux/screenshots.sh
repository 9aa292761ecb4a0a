#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the screenshots in data/screenshots (shown in the README and
# the AppStream metainfo): the real window on a demo database under Xvfb, in
# a private session with a keyring, captured with ImageMagick's import.
# Usage: sh build-aux/screenshots.sh [BUILD-DIR]
# (LANGUAGE=de LC_ALL=de_DE.UTF-8 for German; BB_SCREENSHOTS_DIR=... to write elsewhere)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
case "$build" in /*) ;; *) build="$PWD/$build" ;; esac
[ -d "$build" ] || meson setup "$build" >/dev/null
ninja -C "$build" build-aux/bb-screenshots >/dev/null
out=${BB_SCREENSHOTS_DIR:-$PWD/data/screenshots}
mkdir -p "$out"
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$build/data" BB_LOCALEDIR="$build/po" GDK_BACKEND=x11 \
       NO_AT_BRIDGE=1 GTK_A11Y=none TZ="${TZ:-Europe/Berlin}"
xvfb-run -a -s "-screen 0 1280x1024x24" \
  sh tests/ui-session.sh "$build/build-aux/bb-screenshots" "$out"
