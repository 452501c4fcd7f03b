#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: its own folder, a free port on 127.0.0.1 only,
# superuser "postgres" with a random password, fsync off, room for a database per test class.
#
# Usage: scripts/pg-cluster.sh start [DIR]   makes the cluster in DIR (an empty folder; default: a new
#                                            mktemp -d folder, named on stderr), checks it answers
#                                            "select 1" and prints its connection string on stdout
#        scripts/pg-cluster.sh stop DIR      stops the cluster and deletes DIR
# Environment: PAYVAND_PG_BIN  PostgreSQL bin folder (default /usr/lib/postgresql/15/bin)
set -euo pipefail

pg_bin=${PAYVAND_PG_BIN:-/usr/lib/postgresql/15/bin}
marker=.payvand-pg-cluster  # stop deletes only folders that carry it

die() { echo "pg-cluster.sh: $*" >&2; exit 1; }

# initdb refuses to run as root, so as root the server belongs to the postgres system user.
as_owner() {
    if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
    local dir=${1:-} tool
    for tool in initdb pg_ctl psql; do
        [[ -x $pg_bin/$tool ]] || die "no $pg_bin/$tool; run scripts/install-deps.sh or set PAYVAND_PG_BIN"
    done
    if [[ -z $dir ]]; then
        dir=$(mktemp -d -t payvand-pg.XXXXXX)
        echo "pg-cluster.sh: cluster in $dir; remove it with: $0 stop $dir" >&2
    fi
    [[ -d $dir && -z $(ls -A "$dir") ]] || die "$dir is not an empty folder"
    dir=$(cd "$dir" && pwd)
    cd /  # the postgres user may not be allowed into the caller's folder
    touch "$dir/$marker"
    if ((EUID == 0)); then
        if ! id -u postgres >/dev/null 2>&1; then
            useradd --system --user-group --home-dir /var/lib/postgresql --no-create-home \
                --shell /usr/sbin/nologin postgres
        fi
        chown postgres: "$dir"
        runuser -u postgres -- test -w "$dir" || die "the postgres user cannot write to $dir (a parent folder closed to it?)"
    fi

    local password
    password=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    (umask 077 && echo "$password" >"$dir/password")
    if ((EUID == 0)); then chown postgres: "$dir/password"; fi
    # Sockets only in the private folder; TCP needs the password.
    if ! as_owner "$pg_bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/password" \
        --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 \
        --no-sync --no-instructions >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        die "initdb failed"
    fi
    rm -f "$dir/password"
    cat >>"$dir/data/postgresql.conf" <<EOF

# pg-cluster.sh: a throwaway cluster for tests
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
EOF

    # Try ports from a random base; a port taken between the check and the bind is simply the next try.
    local port started=0 _
    port=$((20000 + RANDOM % 30000))
    for _ in {1..10}; do
        port=$((port + 1))
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue  # something already answers there
        fi
        if as_owner "$pg_bin/pg_ctl" start -D "$dir/data" -l "$dir/postgres.log" -o "-p $port" -w -t 60 >/dev/null 2>&1; then
            started=1
            break
        fi
        grep -q 'could not bind\|could not create any TCP/IP sockets' "$dir/postgres.log" 2>/dev/null || break
    done
    if ((!started)); then
        tail -n 20 "$dir/postgres.log" >&2 2>/dev/null || true
        die "the server did not start (log: $dir/postgres.log)"
    fi

    local check
    check=$(PGPASSWORD=$password PGCONNECT_TIMEOUT=10 "$pg_bin/psql" -X -q -t -A -w \
        -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'select 1' 2>&1) || true
    if [[ $check != 1 ]]; then
        echo "$check" >&2
        as_owner "$pg_bin/pg_ctl" stop -D "$dir/data" -m immediate -w >/dev/null 2>&1 || true
        die "the server started but psql could not run 'select 1' on 127.0.0.1:$port"
    fi
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Password=$password"
}

stop() {
    local dir=${1:-}
    [[ -n $dir ]] || die "usage: pg-cluster.sh stop DIR"
    [[ -e $dir ]] || return 0
    [[ -f $dir/$marker ]] || die "$dir was not made by pg-cluster.sh start; leaving it alone"
    dir=$(cd "$dir" && pwd)
    cd /
    if [[ -f $dir/data/postmaster.pid ]]; then
        if ! as_owner "$pg_bin/pg_ctl" stop -D "$dir/data" -m immediate -w -t 30 >/dev/null 2>&1; then
            local pid
            pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
            if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
                kill -KILL "$pid" 2>/dev/null || true
                echo "pg-cluster.sh: pg_ctl stop failed; killed postmaster $pid" >&2
            fi
        fi
    fi
    rm -rf -- "$dir"
}

case ${1:-} in
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
