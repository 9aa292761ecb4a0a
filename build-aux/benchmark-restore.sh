#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Times `babybuddy-backup restore` of a generated demo backup into an empty Baby Buddy schema on
# SQLite, PostgreSQL and MariaDB, each beside a native baseline loading the same rows in the same
# run: the sqlite3 tool running an SQL script of INSERTs in one transaction; psql loading a
# pg_dump --data-only (COPY) file in one transaction; the mariadb client loading a mariadb-dump
# --no-create-info (extended INSERTs) file.  Targets: at most 3x the baseline, peak RSS under 64 MiB.
#
# Usage: build-aux/benchmark-restore.sh [--rows N] [--build DIR] [--engines LIST] [--check]
#   --rows N        about how many records the demo backup holds (1000000)
#   --build DIR     the meson build folder (build, beside this script's parent)
#   --engines LIST  comma-separated: sqlite, pg, mysql (all three); pg and mysql need root
#   --check         exit 1 when a target is missed (otherwise exit 0 once the runs succeed)
#
# PostgreSQL 15 and MariaDB run as throw-away servers from tests/servers.sh (stopped on exit); the
# empty target there is a clone of bb_fresh (what Baby Buddy's migrations leave), on SQLite the
# file `babybuddy-backup demo PATH --rows 0` makes.  The baselines' targets are the same, with the
# restored tables emptied beforehand (not timed); only the load itself is timed.  Peak RSS and CPU
# are the client's (babybuddy-backup, sqlite3, psql, mariadb); "server CPU" is what the database
# server spent meanwhile.  Rows count every row written, many-to-many links included.
set -euo pipefail

srcroot=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rows=1000000
build="$srcroot/build"
engines=sqlite,pg,mysql
check=0
prog=benchmark-restore.sh

usage() {
  sed -n 's/^# \{0,1\}//; 9,13p' "${BASH_SOURCE[0]}" >&2
  exit "${1:-2}"
}

while [ $# -gt 0 ]; do
  case "$1" in
    --rows) [ $# -ge 2 ] || usage; rows=$2; shift 2 ;;
    --rows=*) rows=${1#--rows=}; shift ;;
    --build) [ $# -ge 2 ] || usage; build=$2; shift 2 ;;
    --build=*) build=${1#--build=}; shift ;;
    --engines) [ $# -ge 2 ] || usage; engines=$2; shift 2 ;;
    --engines=*) engines=${1#--engines=}; shift ;;
    --check) check=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "$prog: unknown argument: $1" >&2; usage ;;
  esac
done

case "$rows" in
  ''|*[!0-9]*) echo "$prog: --rows needs a whole number" >&2; exit 2 ;;
esac

# Engines, in a fixed order, without repeats.
want_sqlite=0 want_pg=0 want_mysql=0
IFS=, read -r -a engine_list <<< "$engines"
for e in "${engine_list[@]}"; do
  case "$e" in
    sqlite|sqlite3) want_sqlite=1 ;;
    pg|postgres|postgresql) want_pg=1 ;;
    mysql|mariadb) want_mysql=1 ;;
    '') ;;
    *) echo "$prog: unknown engine '$e' (use sqlite, pg, mysql)" >&2; exit 2 ;;
  esac
done
if [ $((want_sqlite + want_pg + want_mysql)) = 0 ]; then
  echo "$prog: --engines names no engine" >&2
  exit 2
fi
servers=$(( want_pg || want_mysql ))

cli="$build/src/babybuddy-backup"
if [ ! -x "$cli" ]; then
  echo "$prog: $cli not found: build first (ninja -C $build) or pass --build DIR" >&2
  exit 2
fi
cli=$(cd "$(dirname "$cli")" && pwd)/babybuddy-backup
if [ ! -x /usr/bin/time ]; then
  echo "$prog: /usr/bin/time is missing: apt-get install time" >&2
  exit 2
fi
if ! command -v sqlite3 > /dev/null; then
  echo "$prog: sqlite3 is missing: apt-get install sqlite3" >&2
  exit 2
fi
PG_BIN=/usr/lib/postgresql/15/bin
psql=$PG_BIN/psql pg_dump=$PG_BIN/pg_dump
[ -x "$psql" ] || psql=$(command -v psql || echo psql)
[ -x "$pg_dump" ] || pg_dump=$(command -v pg_dump || echo pg_dump)
if [ "$want_pg" = 1 ] && { ! command -v "$psql" > /dev/null || ! command -v "$pg_dump" > /dev/null; }; then
  echo "$prog: psql or pg_dump is missing: apt-get install postgresql-15" >&2
  exit 2
fi
if [ "$want_mysql" = 1 ] && { ! command -v mariadb > /dev/null || ! command -v mariadb-dump > /dev/null; }; then
  echo "$prog: mariadb or mariadb-dump is missing: apt-get install mariadb-client mariadb-server" >&2
  exit 2
fi
if [ "$servers" = 1 ] && [ "$(id -u)" != 0 ]; then
  echo "$prog: PostgreSQL and MariaDB run from tests/servers.sh, which needs root (or pass --engines sqlite)" >&2
  exit 2
fi

servers_sh="$srcroot/tests/servers.sh"
tmp="" srv="" srv_started=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ "$srv_started" = 1 ]; then
    "$servers_sh" stop "$srv" || echo "$prog: stopping the servers in $srv failed" >&2
  fi
  [ -z "$srv" ] || rm -rf "$srv"
  [ -z "$tmp" ] || rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

tmp=$(mktemp -d "${TMPDIR:-/tmp}/bb-benchmark-restore-XXXXXX")
results="$tmp/results"
: > "$results"

# "wall-seconds peak-KiB user-seconds system-seconds" of a command.
timed() {
  local out=$1
  shift
  /usr/bin/time -f '%e %M %U %S' -o "$out" "$@"
}

# Tables a restore writes: every table but Django's bookkeeping ones (which Baby Buddy's
# migrations fill and no backup holds) and the ones nothing backs up (sessions, cache).
skip_table() {
  case "$1" in
    sqlite_*|django_content_type|auth_permission|django_migrations|django_session|cache_default) return 0 ;;
    *) return 1 ;;
  esac
}
written_tables() { # one table name a line on stdin -> the written ones, sorted
  local t
  sort | while read -r t; do
    [ -n "$t" ] || continue
    skip_table "$t" && continue
    case "$t" in
      *[!A-Za-z0-9_]*) echo "$prog: unexpected table name '$t'" >&2; return 1 ;;
    esac
    echo "$t"
  done
}

# "SELECT 't1', count(*) FROM Qt1Q UNION ALL ..." for the tables in $2 (Q = quote character $1).
count_sql() {
  local q=$1 t sql=""
  for t in $2; do
    sql+="${sql:+ UNION ALL }SELECT '$t', count(*) FROM $q$t$q"
  done
  printf '%s\n' "$sql"
}

# Print "table rows" lines, sorted, for engine $1, database $2 (a path for sqlite), tables $3.
count_rows() {
  case "$1" in
    sqlite) sqlite3 -batch -separator ' ' "$2" "$(count_sql '"' "$3")" ;;
    pg) "$servers_sh" sql "$srv" pg "$2" "$(count_sql '"' "$3")" ;;
    mysql) "$servers_sh" sql "$srv" mysql "$2" "$(count_sql '`' "$3")" ;;
  esac | tr '\t' ' ' | sort
}

# Compare "table rows" files: $1 (what was expected) and $2 (what $3 left); die on a difference.
same_counts() {
  if ! diff -u "$1" "$2" > "$tmp/counts.diff"; then
    echo "$prog: $3 did not write the expected rows (expected vs. found, per table):" >&2
    cat "$tmp/counts.diff" >&2
    exit 1
  fi
}

sum_counts() { awk '{ n += $2 } END { print n + 0 }' "$1"; }

# CPU seconds the server has spent so far (PostgreSQL: postmaster and every backend, live or
# reaped; MariaDB: the one mariadbd process, all its threads).
clk_tck=$(getconf CLK_TCK)
server_cpu() {
  local pids="" p total=0 f
  case "$1" in
    pg)
      p=$(head -n 1 "$srv/pg/data/postmaster.pid")
      # utime + stime + cutime + cstime of the postmaster, utime + stime of its children.
      total=$(sed -E 's/^.*\) //' "/proc/$p/stat" | awk '{ print $12 + $13 + $14 + $15 }')
      pids=$(pgrep -P "$p" || true)
      ;;
    mysql) pids=$(cat "$srv/mysql/mariadbd.pid") ;;
  esac
  for p in $pids; do
    f=$(sed -E 's/^.*\) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $12 + $13 }') || f=0
    total=$((total + ${f:-0}))
  done
  awk -v t="$total" -v hz="$clk_tck" 'BEGIN { printf "%.2f\n", t / hz }'
}

# Append "engine who rows wall KiB user sys server-cpu" to the results.
record() {
  local engine=$1 who=$2 nrows=$3 timefile=$4 cpu=${5:--}
  echo "$engine $who $nrows $(cat "$timefile") $cpu" >> "$results"
}

# Our restore's message must name the backup's record count.
check_restored() {
  local out=$1 what=$2 n
  n=$(sed -n 's/^Restored \([0-9][0-9]*\) records into .*/\1/p' "$out")
  if [ "$n" != "$backup_records" ]; then
    echo "$prog: $what: expected \"Restored $backup_records records into …\", got:" >&2
    cat "$out" >&2
    exit 1
  fi
  echo "  $(cat "$out")"
}

############################################################################################
# The demo backup

echo "Generating a demo database of about $rows records in $tmp …"
timed "$tmp/demo.time" "$cli" demo "$tmp/demo.sqlite3" --rows "$rows" > /dev/null
"$cli" demo "$tmp/empty.sqlite3" --rows 0 > /dev/null
mkdir "$tmp/backup"
echo "Backing it up …"
timed "$tmp/backup.time" "$cli" backup --database "sqlite://$tmp/demo.sqlite3" -o "$tmp/backup/" > /dev/null
backup=$(ls "$tmp"/backup/*.zip)
backup_bytes=$(stat -c %s "$backup")
backup_records=$("$cli" inspect "$backup" | sed -n 's/^Records: *\([0-9][0-9]*\)$/\1/p')
case "$backup_records" in
  ''|*[!0-9]*) echo "$prog: could not read the record count of $backup" >&2; exit 1 ;;
esac

# Rows each engine's target must end with, per written table, taken from the demo database.
expected_counts() { # $1: the written tables -> "table rows" lines
  count_rows sqlite "$tmp/demo.sqlite3" "$1"
}

############################################################################################
# SQLite

bench_sqlite() {
  local tables script
  tables=$(sqlite3 -batch "$tmp/empty.sqlite3" "SELECT name FROM sqlite_master WHERE type = 'table'" |
           written_tables)
  expected_counts "$tables" > "$tmp/sqlite.expected"

  echo "SQLite: babybuddy-backup restore …"
  cp "$tmp/empty.sqlite3" "$tmp/sqlite-ours.sqlite3"
  timed "$tmp/sqlite-ours.time" "$cli" restore "$backup" --database "sqlite://$tmp/sqlite-ours.sqlite3" \
    --yes --no-safety-backup > "$tmp/sqlite-ours.out" 2> "$tmp/sqlite-ours.err" ||
    { cat "$tmp/sqlite-ours.out" "$tmp/sqlite-ours.err" >&2; exit 1; }
  check_restored "$tmp/sqlite-ours.out" "SQLite restore"
  count_rows sqlite "$tmp/sqlite-ours.sqlite3" "$tables" > "$tmp/sqlite-ours.counts"
  same_counts "$tmp/sqlite.expected" "$tmp/sqlite-ours.counts" "our SQLite restore"

  echo "SQLite: baseline, sqlite3 running an INSERT script in one transaction …"
  script="$tmp/sqlite-baseline.sql"
  {
    echo "BEGIN;"
    for t in $tables; do printf '.mode insert %s\nSELECT * FROM "%s";\n' "$t" "$t"; done |
      sqlite3 -batch "$tmp/demo.sqlite3"
    echo "COMMIT;"
  } > "$script"
  cp "$tmp/empty.sqlite3" "$tmp/sqlite-base.sqlite3"
  { echo "BEGIN;"; for t in $tables; do echo "DELETE FROM \"$t\";"; done; echo "COMMIT;"; } |
    sqlite3 -batch -bail "$tmp/sqlite-base.sqlite3"
  timed "$tmp/sqlite-base.time" sqlite3 -batch -bail "$tmp/sqlite-base.sqlite3" < "$script"
  count_rows sqlite "$tmp/sqlite-base.sqlite3" "$tables" > "$tmp/sqlite-base.counts"
  same_counts "$tmp/sqlite.expected" "$tmp/sqlite-base.counts" "the SQLite baseline"

  record sqlite base "$(sum_counts "$tmp/sqlite-base.counts")" "$tmp/sqlite-base.time"
  record sqlite ours "$(sum_counts "$tmp/sqlite-ours.counts")" "$tmp/sqlite-ours.time"
  rm -f "$script" "$tmp"/sqlite-*.sqlite3
}

############################################################################################
# PostgreSQL and MariaDB

start_servers() {
  srv=$(mktemp -d /tmp/bb-bench-srv-XXXXXX)
  chmod 755 "$srv"
  echo "Starting PostgreSQL and MariaDB in $srv …"
  srv_started=1
  "$servers_sh" start "$srv" > "$tmp/servers.out" 2>&1 ||
    { cat "$tmp/servers.out" >&2; echo "$prog: starting the servers failed" >&2; exit 1; }
  # shellcheck disable=SC1091
  . "$srv/env"
  printf '%s' "$BB_TEST_DB_PASSWORD" > "$tmp/password"
  chmod 600 "$tmp/password"
}

bench_pg() {
  local tables pgargs t
  "$servers_sh" clone "$srv" pg bb_fresh bench_ours
  "$servers_sh" clone "$srv" pg bb_fresh bench_base
  tables=$("$servers_sh" sql "$srv" pg bb_fresh \
           "SELECT table_name FROM information_schema.tables
             WHERE table_schema = 'public' AND table_type = 'BASE TABLE'" | written_tables)
  expected_counts "$tables" > "$tmp/pg.expected"
  pgargs=(-h 127.0.0.1 -p "$BB_TEST_PG_PORT" -U "$BB_TEST_DB_USER")

  echo "PostgreSQL: babybuddy-backup restore …"
  "$servers_sh" sql "$srv" pg postgres CHECKPOINT > /dev/null
  local cpu0 cpu1
  cpu0=$(server_cpu pg)
  timed "$tmp/pg-ours.time" "$cli" restore "$backup" --yes --no-safety-backup \
    --database "postgres://$BB_TEST_DB_USER@127.0.0.1:$BB_TEST_PG_PORT/bench_ours" \
    --password-file "$tmp/password" > "$tmp/pg-ours.out" 2> "$tmp/pg-ours.err" ||
    { cat "$tmp/pg-ours.out" "$tmp/pg-ours.err" >&2; exit 1; }
  sleep 0.3
  cpu1=$(server_cpu pg)
  check_restored "$tmp/pg-ours.out" "PostgreSQL restore"
  count_rows pg bench_ours "$tables" > "$tmp/pg-ours.counts"
  same_counts "$tmp/pg.expected" "$tmp/pg-ours.counts" "our PostgreSQL restore"
  record pg ours "$(sum_counts "$tmp/pg-ours.counts")" "$tmp/pg-ours.time" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')"

  echo "PostgreSQL: baseline, psql loading a pg_dump --data-only (COPY) file in one transaction …"
  local only=() list=""
  for t in $tables; do only+=(-t "public.$t"); list+="${list:+, }\"$t\""; done
  PGPASSWORD=$BB_TEST_DB_PASSWORD "$pg_dump" "${pgargs[@]}" --data-only "${only[@]}" \
    -f "$tmp/pg-dump.sql" bench_ours
  "$servers_sh" sql "$srv" pg bench_base "TRUNCATE $list" > /dev/null
  "$servers_sh" sql "$srv" pg bench_base "VACUUM ANALYZE" > /dev/null
  "$servers_sh" sql "$srv" pg postgres CHECKPOINT > /dev/null
  cpu0=$(server_cpu pg)
  PGPASSWORD=$BB_TEST_DB_PASSWORD timed "$tmp/pg-base.time" "$psql" -X -q -v ON_ERROR_STOP=1 \
    --single-transaction "${pgargs[@]}" -d bench_base -f "$tmp/pg-dump.sql" > /dev/null
  sleep 0.3
  cpu1=$(server_cpu pg)
  count_rows pg bench_base "$tables" > "$tmp/pg-base.counts"
  same_counts "$tmp/pg.expected" "$tmp/pg-base.counts" "the PostgreSQL baseline"
  record pg base "$(sum_counts "$tmp/pg-base.counts")" "$tmp/pg-base.time" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')"

  # Give the space back before the next engine runs.
  "$servers_sh" sql "$srv" pg postgres "DROP DATABASE bench_ours" > /dev/null
  "$servers_sh" sql "$srv" pg postgres "DROP DATABASE bench_base" > /dev/null
  rm -f "$tmp/pg-dump.sql"
}

bench_mysql() {
  local tables myargs t
  "$servers_sh" clone "$srv" mysql bb_fresh bench_ours
  "$servers_sh" clone "$srv" mysql bb_fresh bench_base
  tables=$("$servers_sh" sql "$srv" mysql bb_fresh \
           "SELECT table_name FROM information_schema.tables
             WHERE table_schema = 'bb_fresh' AND table_type = 'BASE TABLE'" | written_tables)
  expected_counts "$tables" > "$tmp/mysql.expected"
  myargs=(--no-defaults -h 127.0.0.1 -P "$BB_TEST_MYSQL_PORT" -u "$BB_TEST_DB_USER")

  echo "MariaDB: babybuddy-backup restore …"
  local cpu0 cpu1
  cpu0=$(server_cpu mysql)
  timed "$tmp/mysql-ours.time" "$cli" restore "$backup" --yes --no-safety-backup \
    --database "mysql://$BB_TEST_DB_USER@127.0.0.1:$BB_TEST_MYSQL_PORT/bench_ours" \
    --password-file "$tmp/password" > "$tmp/mysql-ours.out" 2> "$tmp/mysql-ours.err" ||
    { cat "$tmp/mysql-ours.out" "$tmp/mysql-ours.err" >&2; exit 1; }
  cpu1=$(server_cpu mysql)
  check_restored "$tmp/mysql-ours.out" "MariaDB restore"
  count_rows mysql bench_ours "$tables" > "$tmp/mysql-ours.counts"
  same_counts "$tmp/mysql.expected" "$tmp/mysql-ours.counts" "our MariaDB restore"
  record mysql ours "$(sum_counts "$tmp/mysql-ours.counts")" "$tmp/mysql-ours.time" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')"

  echo "MariaDB: baseline, the mariadb client loading a mariadb-dump --no-create-info file …"
  # shellcheck disable=SC2086 # one argument per table
  MYSQL_PWD=$BB_TEST_DB_PASSWORD mariadb-dump "${myargs[@]}" --no-create-info --skip-triggers \
    --result-file="$tmp/mysql-dump.sql" bench_ours $tables
  {
    echo "SET SESSION FOREIGN_KEY_CHECKS = 0;"
    for t in $tables; do echo "DELETE FROM \`$t\`;"; done
  } > "$tmp/mysql-empty.sql"
  "$servers_sh" sql "$srv" mysql bench_base "$(cat "$tmp/mysql-empty.sql")" > /dev/null
  cpu0=$(server_cpu mysql)
  MYSQL_PWD=$BB_TEST_DB_PASSWORD timed "$tmp/mysql-base.time" mariadb "${myargs[@]}" bench_base \
    < "$tmp/mysql-dump.sql"
  cpu1=$(server_cpu mysql)
  count_rows mysql bench_base "$tables" > "$tmp/mysql-base.counts"
  same_counts "$tmp/mysql.expected" "$tmp/mysql-base.counts" "the MariaDB baseline"
  record mysql base "$(sum_counts "$tmp/mysql-base.counts")" "$tmp/mysql-base.time" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')"

  "$servers_sh" sql "$srv" mysql mysql "DROP DATABASE bench_ours; DROP DATABASE bench_base" > /dev/null
  rm -f "$tmp/mysql-dump.sql"
}

# (Plain if statements: set -e does not apply inside a function called from a || list.)
if [ "$want_sqlite" = 1 ]; then bench_sqlite; fi
if [ "$servers" = 1 ]; then start_servers; fi
if [ "$want_pg" = 1 ]; then bench_pg; fi
if [ "$want_mysql" = 1 ]; then bench_mysql; fi

############################################################################################
# Report

awk -v rows="$rows" -v records="$backup_records" -v zbytes="$backup_bytes" \
    -v demo="$(cat "$tmp/demo.time")" -v bak="$(cat "$tmp/backup.time")" -v check="$check" '
function secs(w) { return w < 0.01 ? 0.01 : w }
BEGIN {
  name["sqlite"] = "SQLite"; name["pg"] = "PostgreSQL"; name["mysql"] = "MariaDB"
  label["sqlite", "base"] = "baseline: sqlite3, INSERT script in 1 transaction"
  label["pg", "base"] = "baseline: psql, pg_dump COPY file in 1 transaction"
  label["mysql", "base"] = "baseline: mariadb, mariadb-dump extended INSERTs"
  label["sqlite", "ours"] = label["pg", "ours"] = label["mysql", "ours"] = "babybuddy-backup restore"
}
{ # engine who rows wall KiB user sys server-cpu
  e = $1; w = $2
  if (!(e in seen)) { seen[e] = 1; order[++n] = e }
  nrows[e, w] = $3; wall[e, w] = secs($4); rss[e, w] = $5 / 1024; cpu[e, w] = $6 + $7; srvcpu[e, w] = $8
}
END {
  split(demo, d, " "); split(bak, b, " ")
  printf "\nDemo backup: %d records (asked for %d), %.1f MB ZIP; demo database generated in %.2f s, backed up in %.2f s\n",
         records, rows, zbytes / 1e6, d[1], b[1]
  printf "Rows: every table row written (the records plus their many-to-many links), counted in each\n"
  printf "target after its load; per table they match the demo database'"'"'s, and every restore said\n"
  printf "\"Restored %d records\", the backup'"'"'s count.\n", records
  printf "Peak RSS and CPU s are the client process'"'"'s; server CPU s is what the server spent meanwhile.\n\n"
  printf "%-11s %-50s %9s %8s %9s %8s %6s %6s %7s\n", "", "", "rows", "seconds", "rows/s", "peak RSS", "CPU s",
         "server", "ours /"
  printf "%-11s %-50s %9s %8s %9s %8s %6s %6s %7s\n", "", "", "", "", "", "MiB", "", "CPU s", "base"
  for (i = 1; i <= n; i++) {
    e = order[i]
    for (k = 1; k <= 2; k++) {
      w = k == 1 ? "base" : "ours"
      ratio = w == "ours" ? sprintf("%6.2fx", wall[e, w] / wall[e, "base"]) : ""
      printf "%-11s %-50s %9d %8.2f %9.0f %8.1f %6.2f %6s %7s\n", k == 1 ? name[e] : "", label[e, w],
             nrows[e, w], wall[e, w], nrows[e, w] / wall[e, w], rss[e, w], cpu[e, w],
             srvcpu[e, w] == "-" ? "-" : sprintf("%.2f", srvcpu[e, w]), ratio
    }
  }
  printf "\n"
  fail = 0
  for (i = 1; i <= n; i++) {
    e = order[i]
    ratio = wall[e, "ours"] / wall[e, "base"]
    if (ratio <= 3.0) printf "PASS  %-10s wall time %.2fx the baseline (target: at most 3.0x)\n", name[e], ratio
    else { printf "FAIL  %-10s wall time %.2fx the baseline (target: at most 3.0x)\n", name[e], ratio; fail = 1 }
    if (rss[e, "ours"] < 64) printf "PASS  %-10s peak RSS %.1f MiB (target: under 64 MiB)\n", name[e], rss[e, "ours"]
    else { printf "FAIL  %-10s peak RSS %.1f MiB (target: under 64 MiB)\n", name[e], rss[e, "ours"]; fail = 1 }
  }
  exit (check && fail) ? 1 : 0
}' "$results"
