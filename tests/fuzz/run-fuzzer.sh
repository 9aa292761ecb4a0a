#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-fuzzer.sh FUZZER SEED-DIR SECONDS: runs a libFuzzer target from the
# seeds for SECONDS with the sanitizers it was built with; fails on a crash,
# a leak, a sanitizer report or a timeout. Prints executions and coverage.
set -u
fuzzer=$1 seeds=$2 seconds=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/bb-fuzz-run.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/corpus"
# detect_leaks: LeakSanitizer on our code; GLib's one-time caches are
# suppressed in lsan.supp (each explained there).
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1} \
LSAN_OPTIONS=suppressions=$(dirname "$0")/lsan.supp:print_suppressions=0 \
  "$fuzzer" "$work/corpus" "$seeds" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=1024 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$work/" >"$work/log" 2>&1
status=$?
grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|cov: " "$work/log" | tail -4
if [ $status -ne 0 ]; then
  tail -60 "$work/log"
  for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -f "$a" ] && { mkdir -p fuzz-artifacts; cp "$a" fuzz-artifacts/; echo "artifact kept: fuzz-artifacts/$(basename "$a")"; }
  done
fi
exit $status
