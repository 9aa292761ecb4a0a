#!/usr/bin/env bash
# tests/servers.sh - throw-away PostgreSQL 15 and MariaDB 10.11 servers for the test suite.
#
# Usage:
#   tests/servers.sh start DIR                    initialise + start both servers in DIR, load
#                                                 bb_ref (full dump), bb_schema (schema only) and
#                                                 bb_fresh (what Baby Buddy's migrations leave: the
#                                                 schema plus migrations, content types, permissions,
#                                                 percentiles, the admin user and the read_only group),
#                                                 write DIR/env and print it on stdout
#   tests/servers.sh stop  DIR [ENGINE]           stop both servers, or one (ENGINE = pg | mysql)
#                                                 (idempotent, keeps DIR and the data)
#   tests/servers.sh restart DIR [ENGINE]         start again what stop stopped: same data,
#                                                 same ports (a test of a server going away)
#   tests/servers.sh clone DIR ENGINE SRC DST     ENGINE = pg | mysql: DST := fresh copy of SRC
#                                                 (silent on success)
#   tests/servers.sh sql   DIR ENGINE DB 'SQL'    run SQL as the superuser in DB, print rows
#                                                 tab-separated without headers
#
# Everything lives in DIR (no system service, no /etc change); the servers run as the system
# users postgres and mysql, listen on 127.0.0.1 (TCP) and on a unix socket inside DIR.
# Logs: DIR/pg.log and DIR/mysql.log.  The data come from $BB_SHARED_DIR/babybuddy/{postgres,mysql}
# (default: the folder "shared" beside the checkout).
set -euo pipefail

PG_BIN=/usr/lib/postgresql/15/bin
MARIADBD=/usr/sbin/mariadbd
MARIADB_INSTALL_DB=/usr/bin/mariadb-install-db
MARIADB=/usr/bin/mariadb
MARIADB_ADMIN=/usr/bin/mariadb-admin
MARIADB_DUMP=/usr/bin/mariadb-dump

PG_PORT_BASE=25432
MYSQL_PORT_BASE=23306
START_TIMEOUT=60

DB_USER=bbtest
# bb'te\st@pa:ss%   (single quote, backslash, @, colon, percent: tests password escaping)
DB_PASSWORD=$'bb\'te\\st@pa:ss%'

PROG=${0##*/}

# bb_fresh: the rows a freshly migrated Baby Buddy holds, taken from bb_ref.
FRESH_TABLES="django_migrations django_content_type auth_permission core_heightpercentile
core_weightpercentile dbsettings_setting auth_group auth_group_permissions auth_user babybuddy_settings"
FRESH_TRIM="DELETE FROM babybuddy_settings WHERE user_id <> 1; DELETE FROM auth_user WHERE id <> 1;
DELETE FROM auth_group_permissions WHERE group_id <> 1; DELETE FROM auth_group WHERE id <> 1;"

die() {
    echo "$PROG: $*" >&2
    exit 1
}

usage() {
    cat >&2 <<EOF
usage: $PROG start DIR
       $PROG stop  DIR [pg|mysql]
       $PROG restart DIR [pg|mysql]
       $PROG clone DIR pg|mysql SRC DST
       $PROG sql   DIR pg|mysql DB 'SQL'
EOF
    exit 2
}

# Print the last 30 lines of a log on stderr.
show_log() {
    local f=$1
    if [ -s "$f" ]; then
        echo "---- last 30 lines of $f ----" >&2
        tail -n 30 "$f" >&2 || true
        echo "---- end of $f ----" >&2
    fi
}

# Single-quote a value for bash.
shq() {
    local s=${1//"'"/"'\\''"}
    printf "'%s'" "$s"
}

# Quote a value as a MariaDB string literal (default sql_mode: backslash escapes are on).
my_str() {
    local s=${1//\\/\\\\}
    s=${s//"'"/"\\'"}
    printf "'%s'" "$s"
}

# True if process $1 exists and is not a zombie.
alive() {
    local st
    [ -r "/proc/$1/stat" ] || return 1
    st=$(sed -E 's/^[0-9]+ \(.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# True if process $1 is alive and its command name is $2.
is_comm() {
    alive "$1" && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]
}

# Wait up to $2 seconds for process $1 to go away.
wait_gone() {
    local pid=$1 i
    for ((i = 0; i < $2 * 10; i++)); do
        alive "$pid" || return 0
        sleep 0.1
    done
    ! alive "$pid"
}

port_in_use() {
    [ -n "$(ss -Hltn "( sport = :$1 )" 2>/dev/null)" ]
}

# First free TCP port >= $1.
free_port() {
    local p=$1
    while port_in_use "$p"; do
        p=$((p + 1))
        [ "$p" -lt 65535 ] || die "no free TCP port found"
    done
    echo "$p"
}

as_pg() { runuser -u postgres -- "$@"; }
as_my() { runuser -u mysql -- "$@"; }

# Resolve DIR to an absolute path (it need not exist).
abs_path() {
    case $1 in
        /*) printf '%s\n' "$1" ;;
        *) printf '%s/%s\n' "$(pwd -P)" "$1" ;;
    esac
}

load_env() {
    [ -f "$DIR/env" ] || die "$DIR/env not found: are the servers started ($PROG start $DIR)?"
    # shellcheck disable=SC1091
    . "$DIR/env"
}

###########################################################################################
# PostgreSQL

pg_data() { echo "$DIR/pg/data"; }
pg_sock() { echo "$DIR/pg/run"; }

pg_psql_super() { # psql as postgres (peer auth over the socket); extra args follow
    as_pg "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(pg_sock)" -p "$PG_PORT" "$@"
}

# Starts the server of an initialised data folder (its port is in port.conf).
pg_launch() {
    local log=$DIR/pg.log
    # shellcheck disable=SC2094 # pg_ctl and this redirection both only append to the log
    as_pg "$PG_BIN/pg_ctl" -D "$(pg_data)" -l "$log" -w -t "$START_TIMEOUT" -s start \
        </dev/null >>"$log" 2>&1
}

pg_start() {
    local data sock log off port _
    data=$(pg_data)
    sock=$(pg_sock)
    log=$DIR/pg.log
    install -d -o postgres -g postgres -m 0755 "$DIR/pg" "$sock"
    install -d -o postgres -g postgres -m 0700 "$data"
    : >"$log"
    chown postgres:postgres "$log"

    if ! as_pg "$PG_BIN/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-local=peer --auth-host=scram-sha-256 --no-sync --no-instructions \
        </dev/null >>"$log" 2>&1; then
        echo "$PROG: PostgreSQL initdb failed" >&2
        show_log "$log"
        return 1
    fi
    cat >"$data/pg_hba.conf" <<'EOF'
# written by tests/servers.sh
local   all   postgres                 peer
local   all   all                      scram-sha-256
host    all   all        127.0.0.1/32  scram-sha-256
EOF
    cat >>"$data/postgresql.conf" <<EOF

# ---- tests/servers.sh ----
listen_addresses = '127.0.0.1'
unix_socket_directories = '${sock//\'/\'\'}'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
timezone = 'UTC'
log_timezone = 'UTC'
wal_level = minimal
max_wal_senders = 0
include_if_exists = 'port.conf'
EOF

    port=$PG_PORT_BASE
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        port=$(free_port "$port")
        echo "port = $port" >"$data/port.conf"
        chown postgres:postgres "$data/port.conf"
        off=$(stat -c %s "$log")
        if pg_launch; then
            echo "$port" >"$DIR/pg/port"
            PG_PORT=$port
            return 0
        fi
        if tail -c +"$((off + 1))" "$log" | grep -q 'Address already in use' &&
            ! as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
            port=$((port + 1)) # lost a race for the port: try the next one
            continue
        fi
        echo "$PROG: PostgreSQL did not start (or not within ${START_TIMEOUT}s)" >&2
        show_log "$log"
        return 1
    done
    echo "$PROG: PostgreSQL: no usable port" >&2
    show_log "$log"
    return 1
}

pg_setup() {
    local shared_pg=$SHARED/babybuddy/postgres pid1 pid2 rc=0
    # Role and databases.  The password goes through a psql variable (:'pw'), quoted by psql.
    pg_psql_super -d postgres -v pw="$DB_PASSWORD" -v user="$DB_USER" <<'EOF'
SET client_min_messages = warning;
CREATE ROLE :"user" LOGIN CREATEDB PASSWORD :'pw';
CREATE DATABASE bb_ref OWNER :"user";
CREATE DATABASE bb_schema OWNER :"user";
EOF
    # Load as bbtest (over the socket, with its password), so bbtest owns every object.
    load_pg() {
        PGPASSWORD=$DB_PASSWORD "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$(pg_sock)" \
            -p "$PG_PORT" -U "$DB_USER" -d "$1" -f "$2" >/dev/null ||
            { echo "$PROG: loading $2 into PostgreSQL database $1 failed" >&2; return 1; }
        # Set hint bits / freeze once here rather than in every clone.
        pg_psql_super -d "$1" -c 'VACUUM (FREEZE, ANALYZE)' >/dev/null
    }
    load_pg bb_ref "$shared_pg/data.sql" &
    pid1=$!
    load_pg bb_schema "$shared_pg/schema.sql" &
    pid2=$!
    wait "$pid1" || rc=1
    wait "$pid2" || rc=1
    [ "$rc" = 0 ] || { show_log "$DIR/pg.log"; return 1; }
    pg_psql_super -d postgres -v user="$DB_USER" -c 'CREATE DATABASE bb_fresh TEMPLATE bb_schema' >/dev/null
    pg_psql_super -d postgres -c "ALTER DATABASE bb_fresh OWNER TO $DB_USER" >/dev/null
    as_pg "$PG_BIN/pg_dump" -h "$(pg_sock)" -p "$PG_PORT" -a $(printf -- ' -t %s' $FRESH_TABLES) bb_ref |
        pg_psql_super -d bb_fresh --single-transaction -v ON_ERROR_STOP=1 >/dev/null ||
        { echo "$PROG: making bb_fresh failed" >&2; return 1; }
    pg_psql_super -d bb_fresh -v ON_ERROR_STOP=1 -c "$FRESH_TRIM" >/dev/null
    pg_psql_super -d bb_fresh -c 'VACUUM (FREEZE, ANALYZE)' >/dev/null
    pg_psql_super -d postgres -c CHECKPOINT >/dev/null
}

pg_stop() {
    local data pid
    data=$(pg_data)
    [ -f "$data/postmaster.pid" ] || return 0
    if ! as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        return 0
    fi
    as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 60 -s stop </dev/null >/dev/null 2>&1 && return 0
    as_pg "$PG_BIN/pg_ctl" -D "$data" -m immediate -w -t 30 -s stop </dev/null >/dev/null 2>&1 && return 0
    pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && is_comm "$pid" postgres; then
        echo "$PROG: PostgreSQL (pid $pid) did not stop: killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
        wait_gone "$pid" 10 || { echo "$PROG: could not stop PostgreSQL pid $pid" >&2; return 1; }
    fi
}

###########################################################################################
# MariaDB

my_sock() { echo "$DIR/mysql/mysqld.sock"; }

my_root() { # mariadb client as root over the socket (unix_socket auth); extra args follow
    "$MARIADB" --no-defaults -S "$(my_sock)" -u root "$@"
}

# Starts mariadbd on port $1 with the data in DIR and waits until it answers.
# Returns 0 when it does, 2 when the port was taken, 1 on any other failure.
my_launch() {
    local port=$1 log=$DIR/mysql.log data=$DIR/mysql/data sock launch off i
    sock=$(my_sock)
    local opts=(
        --no-defaults
        --datadir="$data"
        --socket="$sock"
        --pid-file="$DIR/mysql/mariadbd.pid"
        --log-error="$log"
        --bind-address=127.0.0.1
        --skip-name-resolve
        --character-set-server=utf8mb4
        --collation-server=utf8mb4_general_ci
        --default-time-zone=+00:00
        --innodb-flush-log-at-trx-commit=0
        --innodb-doublewrite=0
        --innodb-buffer-pool-size=128M
        --innodb-log-file-size=64M
        --skip-log-bin
        --tmpdir="$DIR/mysql"
    )
    off=$(stat -c %s "$log")
    # setsid: the server gets its own session, so a ^C in the caller's terminal does not hit it.
    setsid runuser -u mysql -- "$MARIADBD" "${opts[@]:0:1}" --port="$port" "${opts[@]:1}" \
        </dev/null >>"$log" 2>&1 &
    launch=$!
    echo "$launch" >"$DIR/mysql/launch.pid"
    for ((i = 0; i < START_TIMEOUT * 10; i++)); do
        if "$MARIADB_ADMIN" --no-defaults -S "$sock" -u root --connect-timeout=2 ping \
            >/dev/null 2>&1; then
            echo "$port" >"$DIR/mysql/port"
            return 0
        fi
        alive "$launch" || break
        sleep 0.1
    done
    if ! alive "$launch"; then
        wait "$launch" 2>/dev/null || true
        if tail -c +"$((off + 1))" "$log" | grep -q -i 'Address already in use'; then
            return 2
        fi
        echo "$PROG: MariaDB exited during start-up" >&2
    else
        echo "$PROG: MariaDB did not accept connections within ${START_TIMEOUT}s" >&2
    fi
    show_log "$log"
    return 1
}

my_start() {
    local log=$DIR/mysql.log data=$DIR/mysql/data port rc _
    install -d -o mysql -g mysql -m 0755 "$DIR/mysql"
    : >"$log"
    chown mysql:mysql "$log"
    if ! as_my "$MARIADB_INSTALL_DB" --no-defaults --datadir="$data" \
        --auth-root-authentication-method=socket --skip-test-db --skip-name-resolve \
        --innodb-log-file-size=64M --innodb-doublewrite=0 \
        </dev/null >>"$log" 2>&1; then
        echo "$PROG: mariadb-install-db failed" >&2
        show_log "$log"
        return 1
    fi

    port=$MYSQL_PORT_BASE
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        port=$(free_port "$port")
        rc=0
        my_launch "$port" || rc=$?
        case $rc in
            0) return 0 ;;
            2) port=$((port + 1)) ;; # lost a race for the port: try the next one
            *) return 1 ;;
        esac
    done
    echo "$PROG: MariaDB: no usable port" >&2
    show_log "$log"
    return 1
}

my_setup() {
    local shared_my=$SHARED/babybuddy/mysql pw anon u h pid1 pid2 rc=0
    pw=$(my_str "$DB_PASSWORD")
    # No anonymous accounts: a wrong user name must be refused.
    anon=$(my_root -N -B -e "SELECT CONCAT(QUOTE(user), '@', QUOTE(host)) FROM mysql.user WHERE user = ''")
    {
        for u in $anon; do echo "DROP USER $u;"; done
        for h in 127.0.0.1 localhost; do
            echo "CREATE USER '$DB_USER'@'$h' IDENTIFIED BY $pw;"
            echo "GRANT ALL PRIVILEGES ON *.* TO '$DB_USER'@'$h' WITH GRANT OPTION;"
        done
        echo "CREATE DATABASE bb_ref; CREATE DATABASE bb_schema; CREATE DATABASE bb_fresh;"
    } | my_root
    load_my() {
        my_root "$1" <"$2" || { echo "$PROG: loading $2 into MariaDB database $1 failed" >&2; return 1; }
    }
    load_my bb_ref "$shared_my/data.sql" &
    pid1=$!
    load_my bb_schema "$shared_my/schema.sql" &
    pid2=$!
    wait "$pid1" || rc=1
    wait "$pid2" || rc=1
    [ "$rc" = 0 ] || { show_log "$DIR/mysql.log"; return 1; }
    load_my bb_fresh "$shared_my/schema.sql" || return 1
    {
        echo "SET SESSION FOREIGN_KEY_CHECKS = 0, sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO');"
        for t in $FRESH_TABLES; do echo "INSERT INTO \`$t\` SELECT * FROM bb_ref.\`$t\`;"; done
        echo "$FRESH_TRIM"
    } | my_root bb_fresh || { echo "$PROG: making bb_fresh failed" >&2; return 1; }
}

my_stop() {
    local pid="" lp=""
    [ -d "$DIR/mysql" ] || return 0
    [ -s "$DIR/mysql/mariadbd.pid" ] && pid=$(cat "$DIR/mysql/mariadbd.pid" 2>/dev/null || true)
    [ -s "$DIR/mysql/launch.pid" ] && lp=$(cat "$DIR/mysql/launch.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && is_comm "$pid" mariadbd; then
        # SIGTERM = normal shutdown; works even if the tests broke root's privileges.
        kill -TERM "$pid" 2>/dev/null || true
        if ! wait_gone "$pid" 60; then
            echo "$PROG: MariaDB (pid $pid) did not stop within 60s: killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
            wait_gone "$pid" 10 || { echo "$PROG: could not stop MariaDB pid $pid" >&2; return 1; }
        fi
    fi
    # The runuser wrapper (process group leader of the server) if still there, e.g. when start
    # failed before the pid file was written.
    if [ -n "$lp" ] && is_comm "$lp" runuser; then
        kill -TERM -- "-$lp" 2>/dev/null || kill -TERM "$lp" 2>/dev/null || true
        if ! wait_gone "$lp" 60; then
            kill -KILL -- "-$lp" 2>/dev/null || true
            wait_gone "$lp" 10 || true
        fi
    fi
    rm -f "$DIR/mysql/launch.pid"
}

###########################################################################################
# Subcommands

# $1: pg, mysql or empty for both.
cmd_stop() {
    [ -d "$DIR" ] || return 0
    local rc=0
    [ "${1:-pg}" != pg ] || pg_stop || rc=1
    [ "${1:-mysql}" != mysql ] || my_stop || rc=1
    return "$rc"
}

# Starts again a server that cmd_stop stopped; one already running is left alone.
cmd_restart() {
    local rc=0
    load_env
    if [ "${1:-pg}" = pg ] && ! as_pg "$PG_BIN/pg_ctl" -D "$(pg_data)" status >/dev/null 2>&1; then
        pg_launch || { echo "$PROG: PostgreSQL did not start again" >&2; show_log "$DIR/pg.log"; rc=1; }
    fi
    if [ "${1:-mysql}" = mysql ] &&
        ! "$MARIADB_ADMIN" --no-defaults -S "$(my_sock)" -u root --connect-timeout=2 ping >/dev/null 2>&1; then
        my_launch "$BB_TEST_MYSQL_PORT" || { echo "$PROG: MariaDB did not start again" >&2; rc=1; }
    fi
    return "$rc"
}

check_engine() {
    case ${1:-} in
        '' | pg | mysql) ;;
        *) die "ENGINE must be pg or mysql, not '$1'" ;;
    esac
}

START_OK=0
HALVES=""
on_start_exit() {
    local rc=$? p
    if [ "$START_OK" != 1 ]; then
        echo "$PROG: start failed; stopping the servers started in $DIR" >&2
        if [ -n "$HALVES" ]; then
            # End the set-up still running (not the servers: they have their own sessions),
            # give a server just launched the time to write its pid file, then stop them.
            for p in $HALVES; do kill -TERM -- "-$p" 2>/dev/null || true; done
            for p in $HALVES; do wait "$p" 2>/dev/null || true; done
            sleep 0.5
        fi
        cmd_stop || true
        [ "$rc" != 0 ] || rc=1
    fi
    exit "$rc"
}

cmd_start() {
    local t0 t1 pid_pg pid_my rc_pg=0 rc_my=0 sock_len name
    t0=$EPOCHREALTIME
    [ "$(id -u)" = 0 ] || die "must run as root (the servers run as the users postgres and mysql)"
    for name in postgres mysql; do
        id -u "$name" >/dev/null 2>&1 || die "system user $name is missing"
    done
    [ -x "$PG_BIN/initdb" ] || die "$PG_BIN/initdb missing: install the Debian package postgresql-15"
    [ -x "$MARIADBD" ] || die "$MARIADBD missing: install the Debian package mariadb-server"
    [ -x "$MARIADB" ] || die "$MARIADB missing: install the Debian package mariadb-client"
    [ -x /usr/bin/psql ] || [ -x "$PG_BIN/psql" ] || die "psql missing: install postgresql-client-15"
    command -v ss >/dev/null || die "ss missing: install the Debian package iproute2"
    for name in postgres/data.sql postgres/schema.sql mysql/data.sql mysql/schema.sql; do
        [ -r "$SHARED/babybuddy/$name" ] || die "$SHARED/babybuddy/$name not found (set BB_SHARED_DIR)"
    done

    mkdir -p "$DIR"
    DIR=$(cd "$DIR" && pwd -P)
    if [ -e "$DIR/pg" ] || [ -e "$DIR/mysql" ]; then
        die "$DIR already holds servers ($DIR/pg or $DIR/mysql exists): stop them and use a new folder"
    fi
    chmod 0755 "$DIR"
    runuser -u postgres -- test -x "$DIR" ||
        die "user postgres cannot enter $DIR: a parent folder is not searchable by others"
    sock_len=$((${#DIR} + 20))
    [ "$sock_len" -lt 100 ] || die "path $DIR is too long for unix sockets (use a shorter folder)"

    trap on_start_exit EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM HUP

    # Both servers in parallel (each half loads its own dumps).  Each half runs in its own
    # process group (set -m), so that on failure or ^C all its tools can be ended at once.
    set -m
    (set +m; pg_start; pg_setup) </dev/null &
    pid_pg=$!
    (set +m; my_start; my_setup) </dev/null &
    pid_my=$!
    set +m
    HALVES="$pid_pg $pid_my"
    wait "$pid_pg" || rc_pg=$?
    wait "$pid_my" || rc_my=$?
    HALVES="" # both finished: nothing left to end
    [ "$rc_pg" = 0 ] || die "PostgreSQL set-up failed (log: $DIR/pg.log)"
    [ "$rc_my" = 0 ] || die "MariaDB set-up failed (log: $DIR/mysql.log)"

    local pg_port my_port
    pg_port=$(cat "$DIR/pg/port")
    my_port=$(cat "$DIR/mysql/port")
    {
        echo "export BB_TEST_PG_HOST=$(shq 127.0.0.1)"
        echo "export BB_TEST_PG_PORT=$(shq "$pg_port")"
        echo "export BB_TEST_PG_SOCKET_DIR=$(shq "$(pg_sock)")"
        echo "export BB_TEST_MYSQL_HOST=$(shq 127.0.0.1)"
        echo "export BB_TEST_MYSQL_PORT=$(shq "$my_port")"
        echo "export BB_TEST_MYSQL_SOCKET=$(shq "$(my_sock)")"
        echo "export BB_TEST_DB_USER=$(shq "$DB_USER")"
        echo "export BB_TEST_DB_PASSWORD=$(shq "$DB_PASSWORD")"
        echo "export BB_TEST_SERVERS_DIR=$(shq "$DIR")"
    } >"$DIR/env.tmp"
    mv "$DIR/env.tmp" "$DIR/env"
    cat "$DIR/env"
    START_OK=1
    t1=$EPOCHREALTIME
    printf '%s: PostgreSQL on 127.0.0.1:%s and MariaDB on 127.0.0.1:%s ready in %s s\n' \
        "$PROG" "$pg_port" "$my_port" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" >&2
}

check_ident() { # database names: keep them simple, they are used in SQL and file names
    [[ $1 =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || die "bad database name '$1' (use [A-Za-z0-9_])"
}

cmd_clone() {
    local engine=$1 src=$2 dst=$3
    check_ident "$src"
    check_ident "$dst"
    [ "$src" != "$dst" ] || die "clone: source and destination are the same database ($src)"
    load_env
    case $engine in
        pg)
            PG_PORT=$BB_TEST_PG_PORT
            # No connection may stay on the template: end them, then copy.
            pg_psql_super -d postgres -v src="$src" -v dst="$dst" -v owner="$DB_USER" \
                >/dev/null <<'EOF' || die "clone pg $src -> $dst failed"
SET client_min_messages = warning;
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
 WHERE datname = :'src' AND pid <> pg_backend_pid();
DROP DATABASE IF EXISTS :"dst" WITH (FORCE);
CREATE DATABASE :"dst" TEMPLATE :"src" OWNER :"owner";
EOF
            ;;
        mysql)
            my_clone "$src" "$dst" || die "clone mysql $src -> $dst failed"
            ;;
        *) die "clone: ENGINE must be pg or mysql, not '$engine'" ;;
    esac
}

# MariaDB has no template databases.  DST is rebuilt from SRC's current state on the server:
# the table definitions from mariadb-dump --no-data (with their AUTO_INCREMENT counters), then one
# INSERT ... SELECT per table, all in one client session.  (Measured faster than re-loading the
# dump file or mariadb-dump SRC | mariadb DST, and, like PostgreSQL's TEMPLATE, it copies SRC as
# it is now, so a clone of a clone works too.)
my_clone() {
    local src=$1 dst=$2 plan kills inserts
    plan=$(my_root -N -B -e "
        SELECT 'SRC_MISSING' FROM DUAL WHERE NOT EXISTS
            (SELECT 1 FROM information_schema.schemata WHERE schema_name = '$src');
        SELECT CONCAT('KILL CONNECTION ', id, ';') FROM information_schema.processlist
            WHERE db = '$dst' AND id <> CONNECTION_ID();
        SELECT CONCAT('INSERT INTO \`', table_name, '\` SELECT * FROM \`$src\`.\`', table_name, '\`;')
            FROM information_schema.tables
            WHERE table_schema = '$src' AND table_type = 'BASE TABLE' ORDER BY table_name") ||
        return 1
    if grep -q '^SRC_MISSING$' <<<"$plan"; then
        echo "$PROG: MariaDB database $src does not exist" >&2
        return 1
    fi
    kills=$(grep '^KILL ' <<<"$plan" || true)
    inserts=$(grep '^INSERT ' <<<"$plan" || true)
    # Sessions still using DST would block DROP DATABASE (like DROP DATABASE ... WITH (FORCE)).
    if [ -n "$kills" ]; then
        my_root --force <<<"$kills" >/dev/null 2>&1 || true
    fi
    {
        echo "DROP DATABASE IF EXISTS \`$dst\`;"
        echo "CREATE DATABASE \`$dst\`;"
        echo "USE \`$dst\`;"
        "$MARIADB_DUMP" --no-defaults -S "$(my_sock)" -u root --no-data --skip-triggers \
            --skip-add-drop-table "$src" || echo "SELECT 'mariadb-dump failed' FROM no_such_table;"
        echo "SET SESSION FOREIGN_KEY_CHECKS = 0, UNIQUE_CHECKS = 0,"
        echo "  sql_mode = CONCAT(@@sql_mode, ',NO_AUTO_VALUE_ON_ZERO');"
        printf '%s\n' "$inserts"
    } | my_root
}

cmd_sql() {
    local engine=$1 db=$2 sql=$3
    load_env
    case $engine in
        pg)
            PG_PORT=$BB_TEST_PG_PORT
            as_pg "$PG_BIN/psql" -X -q -At -F $'\t' -v ON_ERROR_STOP=1 \
                -h "$BB_TEST_PG_SOCKET_DIR" -p "$PG_PORT" -d "$db" -c "$sql"
            ;;
        mysql)
            "$MARIADB" --no-defaults -S "$BB_TEST_MYSQL_SOCKET" -u root -N -B -e "$sql" "$db"
            ;;
        *) die "sql: ENGINE must be pg or mysql, not '$engine'" ;;
    esac
}

###########################################################################################

[ $# -ge 2 ] || usage
CMD=$1
DIR=$(abs_path "$2")
shift 2

if [ -n "${BB_SHARED_DIR:-}" ]; then
    SHARED=$(cd "$BB_SHARED_DIR" && pwd -P) || die "BB_SHARED_DIR=$BB_SHARED_DIR is not a folder"
else
    SHARED=$(cd "$(dirname "$0")/../../shared" 2>/dev/null && pwd -P) ||
        SHARED=$(dirname "$0")/../../shared
fi

# The servers' tools run as postgres / mysql, which may not be able to read the caller's cwd.
cd /

case $CMD in
    start) [ $# -eq 0 ] || usage; cmd_start ;;
    stop) [ $# -le 1 ] || usage; check_engine "${1:-}"; cmd_stop "${1:-}" ;;
    restart) [ $# -le 1 ] || usage; check_engine "${1:-}"; cmd_restart "${1:-}" ;;
    clone) [ $# -eq 3 ] || usage; cmd_clone "$@" ;;
    sql) [ $# -eq 3 ] || usage; cmd_sql "$@" ;;
    *) usage ;;
esac
