#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Scale: memory must not grow with the size of the data. For each size it
# generates a demo SQLite database, backs it up, restores the backup into
# another demo database, restores it there once more (a replace that first
# empties a database of that size), then restores the backup's largest model
# file on its own (as a Django fixture, .json), and checks the restored
# counts. Peak RSS of each run comes from /usr/bin/time. Target: under 64 MiB
# for every run, and with two sizes or more, the largest size at most 8 MiB
# above the smallest.
#
# Usage: build-aux/scale.sh [--rows N]... [--build DIR] [--tap]
#   --rows N     a size, about N records (once or more; default 5000000)
#   --build DIR  the meson build folder (build, beside this script's parent)
#   --tap        print TAP (the test suite runs it so, on small sizes)
# Exits 1 when a target is missed or a count differs.
set -euo pipefail

srcroot=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$srcroot/build"
sizes=()
tap=0
limit_kib=$((64 * 1024))
growth_kib=$((8 * 1024))

usage() {
  sed -n 's/^# \{0,1\}//; 11,15p' "${BASH_SOURCE[0]}" >&2
  exit "${1:-2}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --rows) [ $# -ge 2 ] || usage; sizes+=("$2"); shift 2 ;;
    --build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
    --tap) tap=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "scale.sh: unknown argument: $1" >&2; usage ;;
  esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(5000000)
for n in "${sizes[@]}"; do
  case "$n" in ''|*[!0-9]*) echo "scale.sh: --rows needs a whole number" >&2; exit 2 ;; esac
done

cli="$build/src/babybuddy-backup"
[ -x "$cli" ] || { echo "scale.sh: $cli is missing: build first" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "scale.sh: /usr/bin/time is missing: apt-get install time" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bb-scale.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

case_no=0
failed=0
say() {
  if [ "$tap" = 1 ]; then printf '# %s\n' "$*"; else printf '%s\n' "$*"; fi
}
verdict() { # ok(0|1) text
  case_no=$((case_no + 1))
  if [ "$1" = 0 ]; then
    [ "$tap" = 1 ] && echo "ok $case_no - $2" || echo "PASS  $2"
  else
    failed=1
    [ "$tap" = 1 ] && echo "not ok $case_no - $2" || echo "FAIL  $2"
  fi
}

# timed NAME COMMAND...: runs it, keeps "seconds peak-KiB" in $tmp/NAME.time.
timed() {
  local name=$1; shift
  if ! /usr/bin/time -f '%e %M' -o "$tmp/$name.time" "$@" > "$tmp/$name.out" 2> "$tmp/$name.err"; then
    say "$name failed:"; sed 's/^/#   /' "$tmp/$name.err" >&2
    return 1
  fi
}
seconds() { cut -d' ' -f1 "$tmp/$1.time"; }
kib() { cut -d' ' -f2 "$tmp/$1.time"; }
mib() { awk -v k="$(kib "$1")" 'BEGIN { printf "%.1f", k / 1024 }'; }

# Records of every core table, one "table count" a line.
counts() {
  sqlite3 "$1" "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'core\_%' ESCAPE '\\' ORDER BY name" |
    while read -r t; do printf '%s %s\n' "$t" "$(sqlite3 "$1" "SELECT COUNT(*) FROM \"$t\"")"; done
}

# The largest model file of a backup, written out as a fixture; prints its entry name.
largest_model() {
  python3 - "$1" "$2" <<'EOF'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    entry = max((i for i in z.infolist() if i.filename.endswith(".json") and "/" in i.filename),
                key=lambda i: i.file_size)
    with z.open(entry) as src, open(sys.argv[2], "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    print(entry.filename)
EOF
}

# restore_step NAME FILE TEXT: restores FILE into the target with replace; the
# run must stay under the limit and leave the source's counts; raises $peak.
restore_step() {
  local name=$1 file=$2 text=$3 ok=0
  timed "$name" "$cli" restore --database "sqlite://$dir/target.sqlite3" --replace --yes \
    --no-safety-backup "$file" || ok=1
  [ "$ok" = 0 ] && [ "$(kib "$name")" -lt "$limit_kib" ] || ok=1
  [ "$(counts "$dir/source.sqlite3")" = "$(counts "$dir/target.sqlite3")" ] || { ok=1; say "counts differ after $name"; }
  verdict "$ok" "$n records: $text $(seconds "$name") s, peak RSS $(mib "$name") MiB, counts equal"
  [ "$(kib "$name")" -gt "$peak" ] && peak=$(kib "$name")
  return 0
}

[ "$tap" = 1 ] && echo "1..$(( ${#sizes[@]} * 4 + (${#sizes[@]} > 1 ? 1 : 0) ))"
first_peak="" last_peak="" first_n="" last_n=""
for n in "${sizes[@]}"; do
  dir="$tmp/$n"
  mkdir -p "$dir/out"
  say "--- about $n records"
  timed demo "$cli" demo "$dir/source.sqlite3" --rows "$n"
  timed demo-target "$cli" demo "$dir/target.sqlite3" --rows 100 --seed 7
  say "demo database: $(du -m "$dir/source.sqlite3" | cut -f1) MB, made in $(seconds demo) s"

  ok=0
  timed backup "$cli" backup --database "sqlite://$dir/source.sqlite3" --output "$dir/out/" || ok=1
  zip=$(ls "$dir"/out/backup_*.zip 2>/dev/null || true)
  [ -n "$zip" ] || ok=1
  [ "$ok" = 0 ] && [ "$(kib backup)" -lt "$limit_kib" ] || ok=1
  verdict "$ok" "$n records: backup in $(seconds backup) s, $(du -m "$zip" | cut -f1) MB, peak RSS $(mib backup) MiB"
  peak=$(kib backup)

  restore_step restore "$zip" "restore in"
  # The same backup over a database that holds it all: every table is emptied first.
  restore_step replace "$zip" "restore over the same data in"
  # One model file on its own, as a Django fixture: replace mode empties that model first.
  model=$(largest_model "$zip" "$dir/model.json")
  restore_step model "$dir/model.json" "$model alone ($(du -m "$dir/model.json" | cut -f1) MB) restored in"

  [ -n "$first_peak" ] || { first_peak=$peak; first_n=$n; }
  last_peak=$peak last_n=$n
  rm -rf "$dir"
done

if [ ${#sizes[@]} -gt 1 ]; then
  grew=$((last_peak - first_peak))
  verdict "$([ "$grew" -le "$growth_kib" ] && echo 0 || echo 1)" \
    "highest peak RSS $(awk -v k="$first_peak" 'BEGIN { printf "%.1f", k / 1024 }') MiB at $first_n records, $(awk -v k="$last_peak" 'BEGIN { printf "%.1f", k / 1024 }') MiB at $last_n (at most 8 MiB more)"
fi
exit "$failed"
