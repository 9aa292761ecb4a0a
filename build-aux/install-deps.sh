#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what building, running and testing Baby Buddy Backup needs on
# Debian 12, and nothing when it is all there already.
set -eu

packages="meson ninja-build pkg-config gcc clang libclang-rt-14-dev
libglib2.0-dev libglib2.0-bin libgda-5.0-dev libgda-5.0-postgres libgda-5.0-mysql
libgtk-4-dev libgtk-4-bin librsvg2-common libadwaita-1-dev libjson-glib-dev libzip-dev
libsecret-1-dev gettext desktop-file-utils appstream sqlite3 postgresql mariadb-server
mariadb-client xvfb xauth imagemagick locales-all time util-linux python3 dbus-daemon
gnome-keyring valgrind"

missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

echo "Installing:$missing" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
# The database servers are started by the tests themselves, never as services.
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
