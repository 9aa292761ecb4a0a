#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a window test the way a desktop session would: a private home and data
# folders, its own session bus, and a real gnome-keyring unlocked with a test
# password (libsecret stores passwords there). The display comes from
# xvfb-run around the whole test run.
set -eu
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bb-ui-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
exec dbus-run-session -- sh -c '
  printf "test-keyring-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"' sh "$@"
