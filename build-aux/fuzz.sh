#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The long fuzz runs, by hand: builds the libFuzzer targets with clang,
# AddressSanitizer, UndefinedBehaviorSanitizer and LeakSanitizer (in
# build-fuzz), then runs each target for SECONDS (default 600) from fresh
# seeds. Prints executions and coverage; stops at the first crash, leak or
# sanitizer report and keeps the input in fuzz-artifacts/.
# Usage: sh build-aux/fuzz.sh [SECONDS] [TARGET...]   (targets: json-lines archive verify)
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-json-lines archive verify}
build=build-fuzz
if [ ! -d "$build" ]; then
  CC=clang meson setup "$build" -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fsanitize=fuzzer-no-link >/dev/null
fi
ninja -C "$build" >/dev/null
for t in $targets; do
  echo "== fuzz-$t, $seconds s"
  sh tests/fuzz/run-fuzzer.sh "$build/tests/fuzz/fuzz-$t" "$build/tests/fuzz/seeds/$t" "$seconds"
done
