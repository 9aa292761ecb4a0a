#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs what is missing, builds, and runs every test: the whole suite, a
# few engine tests under Valgrind memcheck, the engine tests once more built
# with AddressSanitizer and UndefinedBehaviorSanitizer, then short runs of the
# fuzz targets. Ends with the line "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
sh build-aux/install-deps.sh || exit 1

status=0
run_suite() {
  dir=$1; shift
  { [ -d "$dir" ] || meson setup "$dir" "$@"; } >/dev/null && ninja -C "$dir" >/dev/null || return 2
  # The window tests need a display; xvfb-run gives one where there is none.
  xvfb-run -a meson test -C "$dir" --print-errorlogs --num-processes 2 ${SUITES:-} >/dev/null
}

run_suite build
r1=$?
# A short Valgrind memcheck run: the fast engine tests and the command line
# they start (build-aux/valgrind.sh runs the whole engine suite).
rm -f build/meson-logs/valgrind-*.log
meson test -C build --setup valgrind --no-rebuild --num-processes 2 database json-lines cli >/dev/null
r4=$?
# LeakSanitizer is off here: GLib, libgda and GTK keep caches for the whole
# process; leaks are checked with Valgrind (see README, reliability).
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  SUITES="--suite engine" run_suite build-asan -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
r2=$?

# The fuzz targets, briefly (build-aux/fuzz.sh runs them for longer), built
# by clang with libFuzzer and the sanitizers, LeakSanitizer on.
CC=clang SUITES="--suite fuzz" run_suite build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined \
  -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
r3=$?

python3 build-aux/count-tests.py build/meson-logs/testlog.json build/meson-logs/testlog-valgrind.json \
  build-asan/meson-logs/testlog.json build-fuzz/meson-logs/testlog.json
[ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ $r3 -eq 0 ] && [ $r4 -eq 0 ] || status=1
exit $status
