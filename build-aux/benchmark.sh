#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Times `babybuddy-backup backup` on a generated demo database beside a native
# baseline measured in the same run: the sqlite3 command-line tool writing
# every table as JSON (sqlite3 -json) piped through gzip -6.
# Targets: wall time at most 2x the baseline, peak RSS under 64 MiB.
# With --restore (or --all) it runs build-aux/benchmark-restore.sh: `restore` on SQLite, PostgreSQL
# and MariaDB beside native loaders (PostgreSQL and MariaDB need root: see that script).
#
# Usage: build-aux/benchmark.sh [--rows N] [--build DIR] [--check] [--restore|--all] [--engines LIST]
#   --rows N        about how many records the demo database holds (1000000)
#   --build DIR     the meson build folder (build, beside this script's parent)
#   --check         exit 1 when a target is missed (otherwise always exit 0)
#   --restore       benchmark restore instead of backup; --all: backup, then restore
#   --engines LIST  restore on these engines: sqlite,pg,mysql (all three)
set -euo pipefail

srcroot=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rows=1000000
build="$srcroot/build"
check=0
mode=backup
engines=""

usage() {
  sed -n 's/^# \{0,1\}//; 10,15p' "${BASH_SOURCE[0]}" >&2
  exit "${1:-2}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --rows) [ $# -ge 2 ] || usage; rows=$2; shift 2 ;;
    --rows=*) rows=${1#--rows=}; shift ;;
    --build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
    --build=*) build=${1#--build=}; shift ;;
    --check) check=1; shift ;;
    --restore) mode=restore; shift ;;
    --all) mode=all; shift ;;
    --backup) mode=backup; shift ;;
    --engines) [ $# -ge 2 ] || usage; engines=$2; shift 2 ;;
    --engines=*) engines=${1#--engines=}; shift ;;
    -h|--help) usage 0 ;;
    *) echo "benchmark.sh: unknown argument: $1" >&2; usage ;;
  esac
done

case "$rows" in
  ''|*[!0-9]*) echo "benchmark.sh: --rows needs a whole number" >&2; exit 2 ;;
esac

# The restore benchmark, with the same options.
restore_args=(--rows "$rows" --build "$build")
[ "$check" = 0 ] || restore_args+=(--check)
[ -z "$engines" ] || restore_args+=(--engines "$engines")
if [ "$mode" = restore ]; then
  exec "$srcroot/build-aux/benchmark-restore.sh" "${restore_args[@]}"
fi

cli="$build/src/babybuddy-backup"
if [ ! -x "$cli" ]; then
  echo "benchmark.sh: $cli not found: build first (ninja -C $build) or pass --build DIR" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "benchmark.sh: /usr/bin/time is missing: apt-get install time" >&2
  exit 2
fi
for tool in sqlite3 gzip; do
  if ! command -v "$tool" > /dev/null; then
    echo "benchmark.sh: $tool is missing: apt-get install $tool" >&2
    exit 2
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bb-benchmark-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
db="$tmp/demo.sqlite3"
mkdir "$tmp/baseline" "$tmp/ours"

# "wall-seconds peak-KiB user-seconds system-seconds" of a command.
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %M %U %S' -o "$out" "$@"
}

field() { cut -d' ' -f"$2" "$1"; }

zip_bytes() {
  if command -v python3 > /dev/null; then
    python3 -c 'import sys, zipfile; print(sum(i.file_size for i in zipfile.ZipFile(sys.argv[1]).infolist()))' "$1"
  else
    unzip -l "$1" | tail -n 1 | awk '{ print $1 }'
  fi
}

echo "Generating a demo database of about $rows records in $tmp …"
timed "$tmp/demo.time" "$cli" demo "$db" --rows "$rows" > /dev/null
tables=$(sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence' ORDER BY name")
records=0
for t in $tables; do
  records=$((records + $(sqlite3 "$db" "SELECT count(*) FROM \"$t\"")))
done
db_bytes=$(stat -c %s "$db")

echo "Baseline: sqlite3 -json | gzip -6, every table …"
export db tables tmp
timed "$tmp/baseline.time" bash -c '
  set -eo pipefail
  for t in $tables; do
    sqlite3 -json "$db" "SELECT * FROM \"$t\"" | gzip -6 > "$tmp/baseline/$t.json.gz"
  done'
base_bytes=0
for f in "$tmp"/baseline/*.json.gz; do
  base_bytes=$((base_bytes + $(gzip -dc "$f" | wc -c)))
done
base_zbytes=$(du -cb "$tmp"/baseline/*.json.gz | tail -n 1 | cut -f1)

echo "Ours: babybuddy-backup backup --compression 6 …"
timed "$tmp/ours.time" "$cli" backup --database "sqlite://$db" -o "$tmp/ours/" --compression 6 > /dev/null
zip=$(ls "$tmp"/ours/*.zip)
our_bytes=$(zip_bytes "$zip")
our_zbytes=$(stat -c %s "$zip")

backup_rc=0
awk -v records="$records" -v rows="$rows" -v db_bytes="$db_bytes" \
    -v demo="$(cat "$tmp/demo.time")" \
    -v base="$(cat "$tmp/baseline.time")" -v base_bytes="$base_bytes" -v base_z="$base_zbytes" \
    -v ours="$(cat "$tmp/ours.time")" -v our_bytes="$our_bytes" -v our_z="$our_zbytes" \
    -v check="$check" '
function secs(s) { split(s, a, " "); return a[1] < 0.01 ? 0.01 : a[1] }
function mib(s) { split(s, a, " "); return a[2] / 1024 }
function cpu(s) { split(s, a, " "); return a[3] + a[4] }
BEGIN {
  printf "\nDemo database: %d records (asked for %d), %.1f MB; generated in %.2f s, peak RSS %.1f MiB\n\n",
         records, rows, db_bytes / 1e6, secs(demo), mib(demo)
  printf "%-34s %10s %9s %11s %8s %10s %10s %12s %9s\n", "", "records", "seconds", "records/s", "MB/s",
         "JSON MB", "packed MB", "peak RSS MiB", "CPU s"
  printf "%-34s %10d %9.2f %11.0f %8.1f %10.1f %10.1f %12.1f %9.2f\n", "baseline (sqlite3 -json | gzip -6)",
         records, secs(base), records / secs(base), base_bytes / 1e6 / secs(base), base_bytes / 1e6,
         base_z / 1e6, mib(base), cpu(base)
  printf "%-34s %10d %9.2f %11.0f %8.1f %10.1f %10.1f %12.1f %9.2f\n", "babybuddy-backup (--compression 6)",
         records, secs(ours), records / secs(ours), our_bytes / 1e6 / secs(ours), our_bytes / 1e6,
         our_z / 1e6, mib(ours), cpu(ours)
  ratio = secs(ours) / secs(base)
  printf "\nMB/s counts uncompressed JSON (10^6 bytes): the baseline'"'"'s sqlite3 output, our ZIP'"'"'s entries.\n"
  printf "Time ours/baseline: %.2f wall, %.2f CPU\n", ratio, cpu(ours) / (cpu(base) > 0 ? cpu(base) : 0.01)
  fail = 0
  if (ratio <= 2.0) printf "PASS  wall time %.2fx the baseline (target: at most 2.0x)\n", ratio
  else { printf "FAIL  wall time %.2fx the baseline (target: at most 2.0x)\n", ratio; fail = 1 }
  if (mib(ours) < 64) printf "PASS  peak RSS %.1f MiB (target: under 64 MiB)\n", mib(ours)
  else { printf "FAIL  peak RSS %.1f MiB (target: under 64 MiB)\n", mib(ours); fail = 1 }
  exit (check && fail) ? 1 : 0
}' || backup_rc=$?

if [ "$mode" = all ]; then
  rm -rf "$tmp"
  echo
  "$srcroot/build-aux/benchmark-restore.sh" "${restore_args[@]}" || exit $?
fi
exit "$backup_rc"
