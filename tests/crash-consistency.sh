#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/crash-consistency.sh - kills `babybuddy-backup restore` and `babybuddy-backup backup` with
# SIGKILL at random moments and checks what each kill leaves: the restored database is exactly as
# before or exactly restored, never in between, and a normal restore still works on it afterwards;
# a killed backup leaves no file under its final name, and the next backup into the same folder
# leaves no temporary file.  Prints TAP, one case per kill and per check.
#
# Usage: tests/crash-consistency.sh [--trials N] [--rows N] [--engines LIST] [--build DIR] [--seed N]
#   --trials N      kills per engine, of restore and again of backup (5)
#   --rows N        about how many records the restored demo backup holds (80000)
#   --engines LIST  comma-separated: sqlite, pg, mysql (sqlite,pg); pg and mysql need root
#   --build DIR     the meson build folder (build, beside this script's parent)
#   --seed N        seed of the kill times (random, and printed so that a run can be repeated)
#
# The test suite runs the short version (meson test -C build crash-consistency); the long one is
# run by hand: tests/crash-consistency.sh --trials 20 --rows 1000000
#
# The target first holds a demo of another seed (2, a fifth of the rows).  The reference dumps
# "before" and "after" come from normal restores, which also give the duration D of a restore of
# the backup (seed 1).  Kill i of N falls at a time drawn uniformly from [(i-1)/N, i/N) of D, so
# the kills spread over the check pass, the safety backup, the load and the commit; one more kill
# comes as soon as the safety backup's temporary file appears, and on PostgreSQL one while the
# restore waits just before its commit (another session locks cache_default, which the restore
# empties last).  Once the server has ended the killed sessions the target is dumped: every
# table's rows ordered by all columns, PostgreSQL's sequences, and on SQLite the schema,
# sqlite_sequence and PRAGMA quick_check.  The dump must equal "before" or "after"; then a normal
# restore of the seed-2 backup must give "before" again and leave no temporary file among the
# safety backups (and no journal beside an SQLite file).  That the checker sees a half-changed
# database as "in between" is checked too.  Backups are killed across a normal backup's duration,
# into a folder (generated name) and to a given file name.  PostgreSQL and MariaDB come from
# tests/servers.sh, started and stopped here unless BB_TEST_SERVERS_DIR names running ones.
set -Eeuo pipefail

srcroot=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prog=crash-consistency.sh
trials=5
rows=80000
engines=sqlite,pg
build=${BB_BUILD_DIR:-$srcroot/build}
seed=""

usage() {
  sed -n '/^# Usage:/,/^#$/{s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}" >&2
  exit "${1:-2}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --trials) [ $# -ge 2 ] || usage; trials=$2; shift 2 ;;
    --trials=*) trials=${1#--trials=}; shift ;;
    --rows) [ $# -ge 2 ] || usage; rows=$2; shift 2 ;;
    --rows=*) rows=${1#--rows=}; shift ;;
    --engines) [ $# -ge 2 ] || usage; engines=$2; shift 2 ;;
    --engines=*) engines=${1#--engines=}; shift ;;
    --build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
    --build=*) build=${1#--build=}; shift ;;
    --seed) [ $# -ge 2 ] || usage; seed=$2; shift 2 ;;
    --seed=*) seed=${1#--seed=}; shift ;;
    -h|--help) usage 0 ;;
    *) echo "$prog: unknown argument: $1" >&2; usage ;;
  esac
done

for v in "$trials" "$rows" ${seed:+"$seed"}; do
  case "$v" in
    ''|*[!0-9]*) echo "$prog: --trials, --rows and --seed take whole numbers" >&2; exit 2 ;;
  esac
done
[ "$trials" -ge 1 ] || { echo "$prog: --trials must be at least 1" >&2; exit 2; }
[ -n "$seed" ] || seed=$(( $(date +%s%N) % 1000000 ))
RANDOM=$seed

engine_list=()
IFS=, read -r -a wanted <<< "$engines"
for e in "${wanted[@]}"; do
  case "$e" in
    sqlite|sqlite3) e=sqlite ;;
    pg|postgres|postgresql) e=pg ;;
    mysql|mariadb) e=mysql ;;
    '') continue ;;
    *) echo "$prog: unknown engine '$e' (use sqlite, pg, mysql)" >&2; exit 2 ;;
  esac
  [[ " ${engine_list[*]} " == *" $e "* ]] || engine_list+=("$e")
done
[ ${#engine_list[@]} -gt 0 ] || { echo "$prog: --engines names no engine" >&2; exit 2; }

cli=${BB_CLI:-$build/src/babybuddy-backup}
[ -x "$cli" ] || { echo "$prog: $cli not found: build first (ninja -C $build) or pass --build DIR" >&2; exit 2; }
command -v sqlite3 > /dev/null || { echo "$prog: sqlite3 is missing: apt-get install sqlite3" >&2; exit 2; }
PG_BIN=/usr/lib/postgresql/15/bin
psql=$PG_BIN/psql
[ -x "$psql" ] || psql=psql
servers_sh=$srcroot/tests/servers.sh

##########################################################################################
# TAP

n_cases=0
n_failed=0
finished=0

ok() { n_cases=$((n_cases + 1)); echo "ok $n_cases - $*"; }
not_ok() { n_cases=$((n_cases + 1)); n_failed=$((n_failed + 1)); echo "not ok $n_cases - $*"; }
diag() { printf '# %s\n' "$@"; }
bail() { echo "Bail out! $*"; exit 1; }

##########################################################################################
# Clean-up: our own processes by their ids, the servers if we started them, the files.

tmp="" srv="" srv_started=0 child="" locker=""
cleanup() {
  local rc=$? p
  trap - EXIT INT TERM HUP ERR
  for p in $child $locker; do
    kill -KILL "$p" 2> /dev/null || true
    wait "$p" 2> /dev/null || true
  done
  if [ "$srv_started" = 1 ]; then
    "$servers_sh" stop "$srv" > /dev/null 2>&1 || echo "$prog: stopping the servers in $srv failed" >&2
    rm -rf "$srv"
  elif [ -n "$srv" ]; then # servers we were given: only our database goes
    sql pg postgres "DROP DATABASE IF EXISTS bb_crash_$$ WITH (FORCE)" > /dev/null 2>&1 || true
    sql mysql mysql "DROP DATABASE IF EXISTS bb_crash_$$" > /dev/null 2>&1 || true
  fi
  [ -z "$tmp" ] || rm -rf "$tmp"
  if [ "$finished" != 1 ] && [ "$rc" = 0 ]; then rc=1; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP
trap 'bail "line $LINENO: \"$BASH_COMMAND\" failed"' ERR

base=/dev/shm
[ -d "$base" ] && [ -w "$base" ] || base=${TMPDIR:-/tmp}
tmp=$(mktemp -d "$base/bb-crash-XXXXXX")

export GSETTINGS_BACKEND=memory TZ=UTC

##########################################################################################
# Engines: targets, addresses, dumps

needs_servers=0
for e in "${engine_list[@]}"; do [ "$e" = sqlite ] || needs_servers=1; done
if [ "$needs_servers" = 1 ]; then
  if [ -n "${BB_TEST_SERVERS_DIR:-}" ]; then
    srv=$BB_TEST_SERVERS_DIR
  else
    [ "$(id -u)" = 0 ] || bail "PostgreSQL and MariaDB run from tests/servers.sh, which needs root (or pass --engines sqlite)"
    srv=$(mktemp -d "$base/bb-crash-srv-XXXXXX")
    srv_started=1
    "$servers_sh" start "$srv" > "$tmp/servers.out" 2>&1 ||
      { sed 's/^/# /' "$tmp/servers.out"; bail "starting the servers failed"; }
  fi
  # shellcheck disable=SC1091
  . "$srv/env"
  printf '%s' "$BB_TEST_DB_PASSWORD" > "$tmp/password"
  chmod 600 "$tmp/password"
fi

engine_name() {
  case "$1" in sqlite) echo SQLite ;; pg) echo PostgreSQL ;; mysql) echo MariaDB ;; esac
}

# The target: a file for SQLite, a database on the server otherwise.
target_of() {
  case "$1" in sqlite) echo "$tmp/sqlite/target.sqlite3" ;; *) echo "bb_crash_$$" ;; esac
}

# dbargs: the command line's options that name the target of engine $1.
set_db_args() {
  local t
  t=$(target_of "$1")
  case "$1" in
    sqlite) dbargs=("--database=sqlite://$t") ;;
    pg) dbargs=("--database=postgres://$BB_TEST_DB_USER@127.0.0.1:$BB_TEST_PG_PORT/$t" "--password-file=$tmp/password") ;;
    mysql) dbargs=("--database=mysql://$BB_TEST_DB_USER@127.0.0.1:$BB_TEST_MYSQL_PORT/$t" "--password-file=$tmp/password") ;;
  esac
}

# An empty Baby Buddy database (what its migrations leave) as the target.
make_fresh_target() {
  case "$1" in
    sqlite) rm -f "$(target_of sqlite)"*; cp "$tmp/fresh.sqlite3" "$(target_of sqlite)" ;;
    *) "$servers_sh" clone "$srv" "$1" bb_fresh "$(target_of "$1")" ;;
  esac
}

sql() { # engine database 'SQL': run as the superuser, print the rows
  "$servers_sh" sql "$srv" "$1" "$2" "$3"
}

pg_psql() { # database, then psql options: as the test user over TCP
  local db=$1
  shift
  PGPASSWORD=$BB_TEST_DB_PASSWORD "$psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 \
    -p "$BB_TEST_PG_PORT" -U "$BB_TEST_DB_USER" -d "$db" "$@"
}

# Until the server has ended every other session on the target (a killed client's backend
# finishes its statement, then sees the closed connection and rolls back).
wait_idle() {
  local t count i
  t=$(target_of "$1")
  for ((i = 0; i < 1200; i++)); do
    case "$1" in
      sqlite) return 0 ;;
      pg) count=$(sql pg postgres "SELECT count(*) FROM pg_stat_activity
                                    WHERE datname = '$t' AND pid <> pg_backend_pid()") ;;
      mysql) count=$(sql mysql mysql "SELECT count(*) FROM information_schema.processlist
                                       WHERE db = '$t' AND id <> CONNECTION_ID()") ;;
    esac
    [ "$count" != 0 ] || return 0
    sleep 0.1
  done
  bail "$(engine_name "$1"): sessions on $t still open after 120 s"
}

# Many-to-many link tables: a backup holds the links, not the link rows' ids (like Django's
# fixtures), so a restore numbers them anew: their ids and counters are left out of the dumps.
links=$(python3 -c 'import json, sys
print(",".join("\x27%s\x27" % t["table"] for t in json.load(open(sys.argv[1]))["tables"] if t.get("m2m_through")))' \
  "$srcroot/src/engine/babybuddy-catalog.json")
[ -n "$links" ] || bail "no many-to-many link tables in the catalog"

# A logical dump of engine $1's target into file $2, in one snapshot: a "== table" section per
# table with its rows ordered by all their columns, then PostgreSQL's sequences, or SQLite's
# schema and PRAGMA quick_check (sqlite_sequence is one of its tables).  Equal dumps, equal data.
dump() {
  local engine=$1 out=$2 t script=$tmp/dump.script
  t=$(target_of "$engine")
  case "$engine" in
    sqlite)
      {
        echo ".mode quote"
        echo "BEGIN;"
        echo ".print == schema"
        echo "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY 1, 2, 3;"
        echo ".print == quick_check"
        echo "PRAGMA quick_check;"
        sqlite3 -batch "$t" "
          WITH cols AS (SELECT m.name AS t, group_concat('\"' || p.name || '\"', ', ') AS list
                          FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
                         WHERE m.type = 'table' AND (p.pk = 0 OR m.name NOT IN ($links))
                         GROUP BY m.name)
          SELECT '.print == ' || t || char(10) || 'SELECT ' || list || ' FROM \"' || t || '\"'
                 || CASE t WHEN 'sqlite_sequence' THEN ' WHERE name NOT IN (${links//\'/\'\'})' ELSE '' END
                 || ' ORDER BY ' || list || ';'
            FROM cols ORDER BY t"
        echo "COMMIT;"
      } > "$script"
      sqlite3 -batch -bail "$t" < "$script" > "$out"
      ;;
    pg)
      {
        echo "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY;"
        pg_psql "$t" -c "
          SELECT format(E'\\\\echo == %s\\nCOPY (SELECT %s FROM public.%I ORDER BY %s) TO STDOUT;',
                        table_name, list, table_name, list)
            FROM (SELECT c.table_name, string_agg(quote_ident(c.column_name), ', ' ORDER BY c.ordinal_position) AS list
                    FROM information_schema.columns AS c JOIN information_schema.tables AS t USING (table_schema, table_name)
                   WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                     AND (c.column_name <> 'id' OR c.table_name NOT IN ($links))
                   GROUP BY c.table_name) AS tables
           ORDER BY table_name"
        printf '%s\n' '\echo == sequences'
        pg_psql "$t" -c "
          SELECT coalesce(string_agg(format('SELECT %L, last_value, is_called FROM public.%I', sequencename, sequencename),
                                     ' UNION ALL ' ORDER BY sequencename) || ';', '')
            FROM pg_sequences
           WHERE schemaname = 'public'
             AND sequencename NOT IN (SELECT pg_get_serial_sequence(quote_ident(l), 'id')::regclass::text
                                        FROM unnest(ARRAY[$links]) AS l)"
        echo "COMMIT;"
      } > "$script"
      pg_psql "$t" -f "$script" > "$out"
      ;;
    mysql)
      {
        echo "START TRANSACTION WITH CONSISTENT SNAPSHOT;"
        sql mysql "$t" "
          SELECT CONCAT('SELECT ''== ', table_name, '''; SELECT ', list, ' FROM \`', table_name, '\` ORDER BY ', list, ';')
            FROM (SELECT table_name, GROUP_CONCAT(CONCAT('\`', column_name, '\`') ORDER BY ordinal_position) AS list
                    FROM information_schema.columns
                   WHERE table_schema = '$t' AND (column_name <> 'id' OR table_name NOT IN ($links))
                   GROUP BY table_name) AS tables
           ORDER BY table_name"
        echo "COMMIT;"
      } > "$script"
      sql mysql "$t" "$(cat "$script")" > "$out"
      ;;
  esac
}

# Dump engine $1's target and compare it with the references: prints before, after, or
# "in between (<how it differs>)".
classify() {
  local engine=$1 d=$tmp/$1 now=$tmp/$1/now.dump
  if ! dump "$engine" "$now" 2> "$tmp/dump.err"; then
    echo "unreadable ($(head -n 1 "$tmp/dump.err"))"
  elif cmp -s "$now" "$d/before.dump"; then
    echo before
  elif cmp -s "$now" "$d/after.dump"; then
    echo after
  else
    echo "in between ($(differing_sections "$now" "$d/before.dump" "$d/after.dump"))"
  fi
}

# How dump $1 differs from $2 (before) and from $3 (after): the "== name" sections that differ.
differing_sections() {
  local f s from_before="" from_after=""
  for f in now before after; do
    rm -rf "$tmp/split-$f"
    mkdir "$tmp/split-$f"
  done
  split_dump "$1" "$tmp/split-now"
  split_dump "$2" "$tmp/split-before"
  split_dump "$3" "$tmp/split-after"
  for s in $({ ls "$tmp/split-now"; ls "$tmp/split-before"; } | sort -u); do
    cmp -s "$tmp/split-now/$s" "$tmp/split-before/$s" 2> /dev/null || from_before+="${from_before:+ }$s"
    cmp -s "$tmp/split-now/$s" "$tmp/split-after/$s" 2> /dev/null || from_after+="${from_after:+ }$s"
  done
  echo "differs from before in: $(first_words "$from_before"); from after in: $(first_words "$from_after")"
}

first_words() { # at most 5 of the words in $1
  local words
  read -r -a words <<< "$1"
  if [ ${#words[@]} = 0 ]; then echo "(nothing)"
  elif [ ${#words[@]} -le 5 ]; then echo "${words[*]}"
  else echo "${words[*]:0:5} and $((${#words[@]} - 5)) more"
  fi
}

split_dump() { # dump file, folder: one file per section
  awk -v dir="$2" '/^== / { if (f != "") close(f); f = dir "/" $2; printf "" > f; next }
                   f != "" { print > f }' "$1"
}

##########################################################################################
# Runs

now() { echo "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
shorter() { awk -v a="$1" -v b="$2" 'BEGIN { print a < b ? a : b }'; }

# Runs the command line for engine $1 (its own safety-backup folder) with the rest as arguments;
# output in $tmp/cli.out.
run_cli() {
  local engine=$1
  shift
  XDG_DATA_HOME=$tmp/$engine/xdg "$cli" "$@" > "$tmp/cli.out" 2>&1
}

# Starts the command line like run_cli, in the background: its pid in $child.
start_cli() {
  local engine=$1
  shift
  XDG_DATA_HOME=$tmp/$engine/xdg "$cli" "$@" > "$tmp/cli.out" 2>&1 &
  child=$!
}

# Kills $child with SIGKILL at $2 seconds after $1 (if still running): kill_status = its exit status
# (137: killed; 0: it had finished).
kill_child_at() {
  local start=$1 at=$2 pause
  pause=$(awk -v s="$start" -v t="$at" -v n="$(now)" 'BEGIN { d = s + t - n; printf "%.3f", d < 0 ? 0 : d }')
  sleep "$pause"
  kill -KILL "$child" 2> /dev/null || true
  kill_status=0
  wait "$child" 2> /dev/null || kill_status=$?
  child=""
}

# Kill time for trial $1 of $trials within a run of $2 seconds, uniform over the trial's slice:
# in kill_at.  (Not in a subshell: $RANDOM must advance here.)
set_kill_time() {
  local u=$RANDOM
  kill_at=$(awk -v i="$1" -v n="$trials" -v d="$2" -v u="$u" 'BEGIN { printf "%.3f", (i - 1 + u / 32768) / n * d }')
}

safety_dir() { echo "$tmp/$1/xdg/babybuddy-backup/safety"; }

# Files among the safety backups that are not finished backups (temporaries left behind).
stray_safety_files() {
  local dir
  dir=$(safety_dir "$1")
  [ -d "$dir" ] || return 0
  # shellcheck disable=SC2010 # names made by the engine, no odd characters
  ls -A "$dir" | grep -v '^backup_[0-9_]*\.zip$' || true
}

# A normal restore of file $2 into engine $1's target, with a safety backup.
restore_ok() {
  if ! run_cli "$1" restore "${dbargs[@]}" --yes "$2"; then
    sed 's/^/# /' "$tmp/cli.out"
    return 1
  fi
}

# After a kill: a normal restore of the seed-2 backup must work and give "before" again, leaving
# no temporary among the safety backups and (SQLite) no journal.  Prints what is wrong, if anything.
restore_before_again() {
  local engine=$1 state stray
  restore_ok "$engine" "$tmp/before.zip" > "$tmp/restore.err" ||
    { echo "the normal restore afterwards failed: $(grep -v '^# *$' "$tmp/restore.err" | tail -n 1)"; return 0; }
  state=$(classify "$engine")
  [ "$state" = before ] || { echo "the normal restore afterwards left $state"; return 0; }
  stray=$(stray_safety_files "$engine")
  [ -z "$stray" ] || { echo "temporary files left among the safety backups: $stray"; return 0; }
  if [ "$engine" = sqlite ]; then
    stray=$(ls "$(target_of sqlite)"-* 2> /dev/null || true)
    [ -z "$stray" ] || { echo "left beside the database: $stray"; return 0; }
  fi
}

# The target in the state each kill starts from: what a restore of the seed-2 backup leaves over
# the restored data (as after the previous kill), so fresh -> seed 2 -> backup -> seed 2.  The
# restore of the backup is timed: restore_secs.
make_before() {
  local t0
  make_fresh_target "$1"
  restore_ok "$1" "$tmp/before.zip" || bail "$(engine_name "$1"): restoring the seed-2 demo failed"
  t0=$(now)
  restore_ok "$1" "$tmp/after.zip" || bail "$(engine_name "$1"): restoring the demo backup failed"
  restore_secs=$(elapsed "$t0" "$(now)")
  restore_ok "$1" "$tmp/before.zip" || bail "$(engine_name "$1"): restoring the seed-2 demo failed"
  wait_idle "$1"
}

# The verdict on a kill of a restore into engine $1, case $2, that left state $3: unless $4 names a
# problem already, a normal restore must work afterwards (restore_before_again).
judge_kill() {
  local problem=$4
  [ -n "$problem" ] || problem=$(restore_before_again "$1")
  if [ -n "$problem" ]; then
    not_ok "$2: $problem"
    remake_before "$1"
  else
    ok "$2: $3; a normal restore works afterwards"
  fi
}

# After a failed check: the target in the before state again, for what follows.
remake_before() {
  make_before "$1" > /dev/null
  [ "$(classify "$1")" = before ] || bail "$(engine_name "$1"): cannot make the target again"
}

##########################################################################################
# The demo backups

diag "seed $seed (repeat with --seed $seed), $trials kills per engine and kind, about $rows records"
mkdir "$tmp/demo"
before_rows=$((rows / 5))
"$cli" demo "$tmp/demo/after.sqlite3" --rows "$rows" --seed 1 > /dev/null
"$cli" demo "$tmp/demo/before.sqlite3" --rows "$before_rows" --seed 2 > /dev/null
"$cli" demo "$tmp/fresh.sqlite3" --rows 0 > /dev/null
"$cli" backup --database="sqlite://$tmp/demo/after.sqlite3" -o "$tmp/after.zip" > /dev/null
"$cli" backup --database="sqlite://$tmp/demo/before.sqlite3" -o "$tmp/before.zip" > /dev/null
rm -rf "$tmp/demo"
records=$("$cli" inspect "$tmp/after.zip" | sed -n 's/^Records: *\([0-9][0-9]*\)$/\1/p')
diag "the backup to restore: $records records, $(($(stat -c %s "$tmp/after.zip") / 1024)) KiB"

##########################################################################################
# Per engine

# The reference dumps "before" and "after" (a restore of the backup over "before", timed again:
# restore_secs is the shorter time, the kills must fall inside a run).  The target stays in the
# "after" state.
prepare() {
  local engine=$1 name d=$tmp/$1 t0 first
  name=$(engine_name "$engine")
  mkdir -p "$d"
  make_before "$engine"
  first=$restore_secs
  dump "$engine" "$d/before.dump"
  t0=$(now)
  restore_ok "$engine" "$tmp/after.zip" || bail "$name: restoring the demo backup failed"
  restore_secs=$(shorter "$first" "$(elapsed "$t0" "$(now)")")
  wait_idle "$engine"
  dump "$engine" "$d/after.dump"
  if cmp -s "$d/before.dump" "$d/after.dump"; then
    not_ok "$name: the references differ (the backup holds other data than the target)"
  else
    ok "$name: references dumped (before $(wc -l < "$d/before.dump") lines, after $(wc -l < "$d/after.dump")); the restore takes $restore_secs s"
  fi
}

# Kills of `backup` of the target (in the "after" state), into a folder and to a file name.
backup_trials() {
  local engine=$1 name dir=$tmp/$1/backups t0 secs i at out final phase left leftover
  local n_killed=0 n_finished=0 n_writing=0 n_renamed=0 killed_note measured
  name=$(engine_name "$engine")
  mkdir -p "$dir"
  # The shorter of two runs (and later of each normal backup): the kills must fall inside a run.
  secs=""
  for i in 1 2; do
    t0=$(now)
    run_cli "$engine" backup "${dbargs[@]}" -o "$dir/" || { sed 's/^/# /' "$tmp/cli.out"; bail "$name: backup failed"; }
    secs=$(shorter "${secs:-1e9}" "$(elapsed "$t0" "$(now)")")
    rm -f "$dir"/*
  done
  measured=$secs
  for ((i = 1; i <= trials; i++)); do
    set_kill_time "$i" "$secs"
    at="$kill_at s of $secs s"
    # Odd trials: a generated name in the folder; even trials: the given file name.
    if [ $((i % 2)) = 1 ]; then out=$dir/; final='backup_[0-9_]*\.zip'; else out=$dir/crash.zip; final='crash\.zip'; fi
    t0=$(now)
    start_cli "$engine" backup "${dbargs[@]}" -o "$out"
    kill_child_at "$t0" "$kill_at"
    left=$(ls -A "$dir")
    killed_note="no final file; "
    case "$kill_status" in
      137)
        n_killed=$((n_killed + 1))
        phase="before writing"
        if grep -q '\.part' <<< "$left"; then phase="while writing"; n_writing=$((n_writing + 1)); fi
        # A file under the final name may only be a complete backup (a kill after the rename).
        if grep -qx "$final" <<< "$left"; then
          if ! run_cli "$engine" verify "$dir/$(grep -x "$final" <<< "$left")"; then
            not_ok "$name backup kill $i/$trials at $at ($phase): an incomplete file under the final name"
            sed 's/^/# /' "$tmp/cli.out"
            rm -f "$dir"/*
            continue
          fi
          phase="after the rename"; n_renamed=$((n_renamed + 1)); killed_note="the file under the final name is complete; "
          rm -f "$dir/$(grep -x "$final" <<< "$left")"
        fi
        ;;
      0)
        n_finished=$((n_finished + 1)); phase="finished before the kill"; killed_note=""; rm -f "$dir"/*
        secs=$(shorter "$secs" "$kill_at")
        ;;
      *)
        not_ok "$name backup kill $i/$trials: exit status $kill_status before the kill"
        sed 's/^/# /' "$tmp/cli.out"
        rm -f "$dir"/*
        continue
        ;;
    esac
    t0=$(now)
    if ! run_cli "$engine" backup "${dbargs[@]}" -o "$out"; then
      not_ok "$name backup kill $i/$trials at $at ($phase): the next backup failed"
      sed 's/^/# /' "$tmp/cli.out"
      rm -f "$dir"/*
      continue
    fi
    secs=$(shorter "$secs" "$(elapsed "$t0" "$(now)")")
    left=$(ls -A "$dir")
    leftover=$(grep -vx "$final" <<< "$left" || true)
    if [ -n "$leftover" ] || [ "$(grep -cx "$final" <<< "$left")" != 1 ]; then
      not_ok "$name backup kill $i/$trials at $at ($phase): after the next backup the folder holds: ${left//$'\n'/ }"
    elif ! run_cli "$engine" verify "$dir/$left"; then
      not_ok "$name backup kill $i/$trials at $at ($phase): the next backup does not verify"
      sed 's/^/# /' "$tmp/cli.out"
    else
      ok "$name backup kill $i/$trials at $at ($phase): ${killed_note}the next backup is complete and alone"
    fi
    rm -f "$dir"/*
  done
  summary+=("$name backup: $trials kills planned over $measured s (a normal backup's time; $secs s at the shortest): $n_killed killed ($n_writing while writing the file, $n_renamed after its rename), $n_finished finished first")
}

# Kills of `restore` of the large backup into the target in the "before" state.
restore_trials() {
  local engine=$1 name i at t0 state phase problem safety_before safety_now pid
  local n_before=0 n_after=0 n_between=0 n_finished=0 n_check=0 n_safety=0 n_load=0 measured=$restore_secs
  name=$(engine_name "$engine")
  problem=$(restore_before_again "$engine")
  if [ -n "$problem" ]; then
    not_ok "$name: back to before: $problem"
    return 0
  fi
  ok "$name: a normal restore of the seed-2 backup over the restored data gives the before dump again"
  for ((i = 1; i <= trials; i++)); do
    set_kill_time "$i" "$restore_secs"
    at="$kill_at s of $restore_secs s"
    # shellcheck disable=SC2010
    safety_before=$(ls "$(safety_dir "$engine")" 2> /dev/null | grep '\.zip$' || true)
    t0=$(now)
    start_cli "$engine" restore "${dbargs[@]}" --yes "$tmp/after.zip"
    pid=$child
    kill_child_at "$t0" "$kill_at"
    safety_now=$(ls "$(safety_dir "$engine")" 2> /dev/null || true)
    # Where the kill landed: no safety backup yet (the check pass), its temporary file (the
    # safety backup), or a new safety backup (the load and the commit).
    case "$kill_status" in
      137)
        if grep -q "^\.babybuddy-backup-$pid-" <<< "$safety_now"; then
          phase="safety backup"; n_safety=$((n_safety + 1))
        elif [ "$(grep '\.zip$' <<< "$safety_now" || true)" != "$safety_before" ]; then
          phase="load"; n_load=$((n_load + 1))
        else
          phase="check pass"; n_check=$((n_check + 1))
        fi
        ;;
      0)
        # Later kills must fall inside the (shorter) run.
        phase="finished before the kill"; n_finished=$((n_finished + 1)); restore_secs=$(shorter "$restore_secs" "$kill_at")
        ;;
      *)
        not_ok "$name restore kill $i/$trials: exit status $kill_status before the kill"
        sed 's/^/# /' "$tmp/cli.out"
        continue
        ;;
    esac
    wait_idle "$engine"
    state=$(classify "$engine")
    if [ "$kill_status" = 137 ]; then
      case "$state" in
        before) n_before=$((n_before + 1)) ;;
        after) n_after=$((n_after + 1)); [ "$phase" != load ] || phase="load or commit" ;;
        *) n_between=$((n_between + 1)) ;;
      esac
    fi
    problem=""
    if [ "$kill_status" = 0 ] && [ "$state" != after ]; then
      problem="it finished, yet the target is $state"
    elif [ "$state" != before ] && [ "$state" != after ]; then
      problem="the target is $state"
    fi
    judge_kill "$engine" "$name restore kill $i/$trials at $at ($phase)" "$state" "$problem"
  done
  summary+=("$name restore: $trials kills planned over $measured s (a normal restore's time, $restore_secs s at the shortest; $records records): killed $((n_before + n_after + n_between)): $n_before left it before, $n_after after, $n_between in between; $n_finished finished first; kills landed in the check pass $n_check, the safety backup $n_safety, the load or commit $n_load")
}

# True while process $1 (a child of ours, maybe not yet waited for) runs.
running() {
  local st
  st=$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2> /dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Starts a restore of the backup into engine $1's target and kills it as soon as the rest, a
# command polled every 20 ms, succeeds: hit=1 if that happened while the restore ran.
restore_killed_when() {
  local engine=$1 i
  shift
  hit=0
  start_cli "$engine" restore "${dbargs[@]}" --yes "$tmp/after.zip"
  for ((i = 0; i < 6000; i++)); do
    if "$@"; then hit=1; break; fi
    running "$child" || break
    sleep 0.02
  done
  kill -KILL "$child" 2> /dev/null || true
  kill_status=0
  wait "$child" 2> /dev/null || kill_status=$?
  child=""
}

# After a kill aimed at the moment $2 names: the target must be as before, and usable.
expect_before() {
  local engine=$1 what=$2 name state problem=""
  name=$(engine_name "$engine")
  if [ "$hit" != 1 ]; then
    not_ok "$name restore kill $what: the restore never got there (exit status $kill_status)"
    sed 's/^/# /' "$tmp/cli.out"
    remake_before "$engine"
    return 0
  fi
  wait_idle "$engine"
  state=$(classify "$engine")
  [ "$state" = before ] || problem="the target is $state"
  judge_kill "$engine" "$name restore kill $what" "$state" "$problem"
}

safety_temporary_exists() { # engine: the killed-to-be restore's safety backup is being written
  compgen -G "$(safety_dir "$1")/.babybuddy-backup-$child-*" > /dev/null
}

pg_waits_before_commit() { # the restore waits for the lock on cache_default
  [ "$(sql pg postgres "SELECT count(*) FROM pg_stat_activity WHERE datname = '$(target_of pg)'
                         AND wait_event_type = 'Lock' AND query ILIKE 'DELETE FROM %cache_default%'")" != 0 ]
}

# A kill while the safety backup is being written (as soon as its temporary file appears).
safety_backup_trial() {
  restore_killed_when "$1" safety_temporary_exists "$1"
  expect_before "$1" "while the safety backup is written"
}

# PostgreSQL: a kill while the restore waits just before its commit.  Another session holds a
# SHARE lock on cache_default, which the restore empties after everything else (reads go on).
held_commit_trial() {
  local t i
  t=$(target_of pg)
  PGAPPNAME=bb-crash-locker pg_psql "$t" -c "BEGIN" -c "LOCK TABLE cache_default IN SHARE MODE" \
    -c "SELECT pg_sleep(600)" > /dev/null 2>&1 &
  locker=$!
  for ((i = 0; i < 300; i++)); do
    [ "$(sql pg "$t" "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)
                       WHERE a.application_name = 'bb-crash-locker' AND l.granted
                         AND l.relation = 'cache_default'::regclass")" = 0 ] || break
    sleep 0.1
  done
  restore_killed_when pg pg_waits_before_commit
  sql pg postgres "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE application_name = 'bb-crash-locker'" > /dev/null
  wait "$locker" 2> /dev/null || true
  locker=""
  expect_before pg "held just before the commit"
}

# The checker itself: half of one table's rows deleted must read as "in between", and so must a
# moved sequence (PostgreSQL) or counter (SQLite).  The target is in the before state.
checker_trial() {
  local engine=$1 name state t problem
  name=$(engine_name "$engine")
  t=$(target_of "$engine")
  case "$engine" in
    sqlite) sqlite3 -batch "$t" "DELETE FROM core_feeding WHERE id % 2 = 0" ;;
    *) sql "$engine" "$t" "DELETE FROM core_feeding WHERE id % 2 = 0" > /dev/null ;;
  esac
  state=$(classify "$engine")
  if [[ "$state" != "in between (differs from before in: core_feeding; "* ]]; then
    not_ok "$name checker: half of core_feeding deleted reads as \"$state\""
    return 0
  fi
  restore_ok "$engine" "$tmp/before.zip" > /dev/null || bail "$name: cannot make the target again"
  case "$engine" in
    sqlite) sqlite3 -batch "$t" "UPDATE sqlite_sequence SET seq = seq + 1 WHERE name = 'core_note'"; t=sqlite_sequence ;;
    pg) sql pg "$t" "SELECT setval('core_note_id_seq', 1000000)" > /dev/null; t=sequences ;;
    mysql) t="" ;; # its counters are not in the dump: they only ever grow
  esac
  if [ -n "$t" ]; then
    state=$(classify "$engine")
    if [[ "$state" != "in between (differs from before in: $t; "* ]]; then
      not_ok "$name checker: a moved id counter reads as \"$state\""
      return 0
    fi
  fi
  problem=$(restore_before_again "$engine")
  if [ -n "$problem" ]; then
    not_ok "$name checker: $problem"
  else
    ok "$name checker: half a table deleted${t:+ and a moved id counter} read as in between"
  fi
}

summary=()
for engine in "${engine_list[@]}"; do
  engine_start=$(now)
  set_db_args "$engine"
  prepare "$engine"
  backup_trials "$engine"
  restore_trials "$engine"
  safety_backup_trial "$engine"
  [ "$engine" != pg ] || held_commit_trial
  checker_trial "$engine"
  summary+=("$(engine_name "$engine"): all of the above took $(elapsed "$engine_start" "$(now)") s")
done

for line in "${summary[@]}"; do diag "$line"; done
echo "1..$n_cases"
finished=1
if [ "$n_failed" != 0 ]; then exit 1; fi
