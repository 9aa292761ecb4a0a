#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a window test the way a desktop session would: a private home and data
# folders, its own session bus, and a real gnome-keyring unlocked with a test
# password (libsecret stores passwords there). The display comes from
# xvfb-run around the whole test run.
#
# Usage: ui-session.sh PROGRAM [ARGS…]; exits with PROGRAM's status.
#
# The keyring daemon runs in the foreground as a child of this script, so it
# is stopped by its process id when the test ends (a daemonized one would
# outlive the bus and pile up over test runs). The test starts only once the
# daemon owns org.freedesktop.secrets and its "default" alias points at an
# unlocked collection: libsecret then stores and looks up without a prompt,
# and no second daemon is started by D-Bus activation.
set -eu

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bb-ui-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_CACHE_HOME="$tmp/cache" XDG_RUNTIME_DIR="$tmp/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK DBUS_SESSION_BUS_ADDRESS

# The keyring password on a file (not a pipe) so that $! is the daemon's id.
(umask 077 && printf '%s' 'test-keyring-password' > "$tmp/keyring-password")

status=0
# shellcheck disable=SC2016 # the inner script expands its own variables
dbus-run-session -- sh -c '
  set -u
  log="$1"; shift
  password="$1"; shift

  gnome-keyring-daemon --foreground --unlock --components=secrets \
    < "$password" > "$log" 2>&1 &
  daemon=$!

  stop_daemon () {
    kill "$daemon" 2>/dev/null || :
    wait "$daemon" 2>/dev/null || :
  }
  fail () {
    echo "ui-session.sh: $1" >&2
    cat "$log" >&2
    stop_daemon
    exit 99
  }
  trap "stop_daemon; exit 143" TERM
  trap "stop_daemon; exit 130" INT

  gdbus wait --session --timeout 20 org.freedesktop.secrets ||
    fail "gnome-keyring-daemon did not start"

  ready=no
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    default=$(gdbus call --session --dest org.freedesktop.secrets \
                --object-path /org/freedesktop/secrets \
                --method org.freedesktop.Secret.Service.ReadAlias default 2>/dev/null) || default=
    case "$default" in
      *"/org/freedesktop/secrets/collection/"*)
        path=$(printf "%s" "$default" |
                 sed -n "s|.*\(/org/freedesktop/secrets/collection/[A-Za-z0-9_]*\).*|\1|p")
        locked=$(gdbus call --session --dest org.freedesktop.secrets --object-path "$path" \
                   --method org.freedesktop.DBus.Properties.Get \
                   org.freedesktop.Secret.Collection Locked 2>/dev/null) || locked=
        if [ "$locked" = "(<false>,)" ]; then
          ready=yes
          break
        fi
        ;;
    esac
    sleep 0.1
  done
  [ "$ready" = yes ] ||
    fail "the keyring has no unlocked default collection (alias: ${default:-none})"

  status=0
  "$@" || status=$?
  stop_daemon
  exit "$status"' sh "$tmp/keyring.log" "$tmp/keyring-password" "$@" || status=$?

exit "$status"
