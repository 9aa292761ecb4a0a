#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Memory safety: the engine tests under Valgrind memcheck (meson's "valgrind"
# test setup, tests/meson.build), with the command line they start, then the
# reports of every process that had an error or a definite leak that
# tests/valgrind.supp does not explain. Takes about an hour and a half on 2 cores.
#
# Usage: build-aux/valgrind.sh [--build DIR] [TEST...]
#   --build DIR  the meson build folder (build, beside this script's parent)
#   TEST...      only these tests (default: the engine suite)
# Exits 1 when a test failed or a report was found.
set -euo pipefail

srcroot=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$srcroot/build"
if [ "${1:-}" = --build ]; then build=$2; shift 2; fi
command -v valgrind > /dev/null || { echo "valgrind.sh: valgrind is missing: apt-get install valgrind" >&2; exit 2; }

rm -f "$build"/meson-logs/valgrind-*.log
status=0
if [ $# -gt 0 ]; then
  meson test -C "$build" --setup valgrind --num-processes 2 --print-errorlogs "$@" || status=1
else
  meson test -C "$build" --setup valgrind --num-processes 2 --print-errorlogs --suite engine || status=1
fi

reports=0
for log in "$build"/meson-logs/valgrind-*.log; do
  if grep -qE "ERROR SUMMARY: [1-9]" "$log"; then
    reports=$((reports + 1))
    echo "---- $log"
    grep -E "^==[0-9]+== (Command|[A-Z][a-z].*(lost|Invalid|uninitialised|Syscall|Mismatched)|   (at|by) )" "$log" | head -60
  fi
done
echo "$(ls "$build"/meson-logs/valgrind-*.log | wc -l) processes checked, $reports with a report"
[ "$reports" -eq 0 ] || status=1
exit "$status"
