#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Regenerates the screenshots in data/screenshots (shown in the README and
# the AppStream metainfo): the real window on a demo database under Xvfb, in
# a private session with a keyring, captured with ImageMagick's import.
# Usage: sh build-aux/screenshots.sh [BUILD-DIR]   (LANGUAGE=de for German)
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
[ -d "$build" ] || meson setup "$build" >/dev/null
ninja -C "$build" build-aux/bb-screenshots >/dev/null
out="$PWD/data/screenshots"
mkdir -p "$out"
export GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$PWD/$build/data" GDK_BACKEND=x11 \
       NO_AT_BRIDGE=1 GTK_A11Y=none TZ="${TZ:-Europe/Berlin}"
xvfb-run -a -s "-screen 0 1280x1024x24" \
  sh tests/ui-session.sh "$PWD/$build/build-aux/bb-screenshots" "$out"
