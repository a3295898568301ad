#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests and benchmarks (Debian's `postgresql` package; no
# service, no system cluster touched). It lives in a directory of its own under /tmp, runs as a
# non-root user (the `postgres` user when invoked as root), listens only on 127.0.0.1 on a free port,
# and asks for a password (SCRAM) on TCP.
#
#   scripts/postgres-test-cluster.sh start     # fresh cluster + database l402_test (a stale one is removed)
#   scripts/postgres-test-cluster.sh env       # prints `export L402_TEST_…=…` lines for the tests
#   scripts/postgres-test-cluster.sh restart   # fast restart, same port and data (connections are cut)
#   scripts/postgres-test-cluster.sh down|up   # stop / start the server only, keeping data and port
#   scripts/postgres-test-cluster.sh stop      # stop the server and delete the cluster
#   scripts/postgres-test-cluster.sh run CMD…  # start, run CMD with the env exported, always stop; CMD's exit code
#
# One cluster per checkout: the directory name is derived from this script's path, so several
# worktrees can test at once. Override with L402_PG_DIR; pick the binaries with L402_PG_BIN; L402_PG_DURABLE=1
# keeps PostgreSQL's durability settings (fsync…), which the tests' cluster turns off for speed.
# A test that stops or restarts the server starts a private cluster of its own instead (other tests share
# the main one): `L402_PG_DIR="$L402_TEST_PG_PRIVATE/<name>" <this script> start`. Stopping the main
# cluster stops and deletes those too.
set -euo pipefail

# Close every descriptor we inherited beyond stdio: the server daemonizes and would keep them open,
# and a caller waiting for one to close (Foundation's Process watches a socket its child inherits)
# would then wait for as long as the server runs.
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    case $fd in 0 | 1 | 2 | 255) ;; *) eval "exec $fd>&-" 2>/dev/null || true ;; esac
done

script=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
checkout_id=$(printf '%s' "$script" | cksum | cut -d' ' -f1)
base=${L402_PG_DIR:-${TMPDIR:-/tmp}/l402-pg-$(id -u)-$checkout_id}
data=$base/data
socket_dir=$base/socket
private_dir=$base/private
user=l402
password=l402
database=l402_test

die() { echo "postgres-test-cluster: $*" >&2; exit 1; }

pg_bin() {
    if [ -n "${L402_PG_BIN:-}" ]; then echo "$L402_PG_BIN"; return; fi
    local newest
    newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    [ -n "$newest" ] || die "PostgreSQL is not installed; run \`make test-deps\` (scripts/install-deps.sh test)"
    echo "$newest"
}
bin=$(pg_bin)

# PostgreSQL refuses to run as root: as root, run it as Debian's `postgres` user (or a system user we add).
if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    id "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
    as_owner() { (cd "$base" && runuser -u "$owner" -- "$@"); }
else
    owner=$(id -un)
    as_owner() { (cd "$base" && "$@"); }
fi

port() { cat "$base/port" 2>/dev/null || true; }

is_running() { [ -d "$data" ] && as_owner "$bin/pg_ctl" status -D "$data" >/dev/null 2>&1; }

# A free port outside the kernel's ephemeral range (ip_local_port_range): a test stops a server and starts
# it again on the same port, and while it is down an outgoing connection of any process on the machine
# could otherwise be given that port, and the restart fail with "Address already in use".
free_port() {
    python3 - <<'PY'
import random, socket
low, high = map(int, open("/proc/sys/net/ipv4/ip_local_port_range").read().split())
outside = [*range(10000, low), *range(high + 1, 65536)]
for port in random.sample(outside, min(200, len(outside))):
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break
else:
    raise SystemExit("postgres-test-cluster: no free port outside the ephemeral range")
PY
}

server_up() {
    as_owner "$bin/pg_ctl" start -w -t 60 -D "$data" -l "$base/server.log" >/dev/null \
        || { tail -n 20 "$base/server.log" >&2 2>/dev/null; return 1; }
}

server_down() {
    is_running || return 0
    as_owner "$bin/pg_ctl" stop -w -t 60 -m fast -D "$data" >/dev/null \
        || as_owner "$bin/pg_ctl" stop -w -t 30 -m immediate -D "$data" >/dev/null
}

# Removes whatever a previous (maybe crashed) run left: its server first, then its files.
clean() {
    [ -d "$base" ] || return 0
    local nested
    for nested in "$private_dir"/*/; do
        [ -d "$nested/data" ] && L402_PG_DIR=${nested%/} "$script" stop
    done
    server_down || true
    rm -rf "$base"
}

start() {
    clean
    mkdir -p "$data" "$socket_dir" "$private_dir"
    chmod 700 "$base"
    printf '%s\n' "$password" >"$base/pwfile"
    chown -R "$owner" "$base"
    as_owner "$bin/initdb" -D "$data" -U "$user" --pwfile="$base/pwfile" -E UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 >"$base/initdb.log" 2>&1 \
        || { cat "$base/initdb.log" >&2; die "initdb failed"; }
    rm -f "$base/pwfile"
    local attempt
    for attempt in 1 2 3; do
        # The kernel picks a free port; another process could take it before the server binds, hence the retries.
        free_port >"$base/port"
        cat >>"$data/postgresql.conf" <<CONF
# postgres-test-cluster.sh
listen_addresses = '127.0.0.1'
port = $(port)
unix_socket_directories = '$socket_dir'
max_connections = 400
CONF
        # A throwaway cluster need not survive a power cut: without fsync, dozens of tests creating
        # schemas and databases at once do not stall on the disk. L402_PG_DURABLE=1 keeps the defaults.
        [ "${L402_PG_DURABLE:-0}" = 1 ] || printf 'fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n' >>"$data/postgresql.conf"
        server_up && break
        [ "$attempt" -lt 3 ] || die "the server did not start (log: $base/server.log)"
    done
    as_owner "$bin/createdb" -h "$socket_dir" -p "$(port)" -U "$user" "$database"
    echo "postgres-test-cluster: running on 127.0.0.1:$(port) as $owner, data in $data" >&2
}

print_env() {
    is_running || die "no cluster is running; run \`$script start\` first"
    local url="postgres://$user:$password@127.0.0.1:$(port)/$database"
    printf "export L402_TEST_DATABASE_URL='%s'\n" "$url"
    printf "export L402_TEST_PG_CLUSTER='%s'\n" "$script"
    printf "export L402_TEST_PG_RESTART=\"'%s' restart\"\n" "$script"
    printf "export L402_TEST_PG_PRIVATE='%s'\n" "$private_dir"
}

run() {
    [ "$#" -gt 0 ] || die "usage: $0 run COMMAND [ARG…]"
    trap clean EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    start
    eval "$(print_env)"
    local status=0
    "$@" || status=$?
    exit "$status"
}

case "${1:-}" in
    start) start ;;
    stop) clean ;;
    restart) is_running || die "no cluster is running"; as_owner "$bin/pg_ctl" restart -w -t 60 -m fast -D "$data" -l "$base/server.log" >/dev/null ;;
    down) server_down ;;
    up) [ -d "$data" ] || die "no cluster; run \`$script start\` first"; is_running || server_up ;;
    env) print_env ;;
    run) shift; run "$@" ;;
    *) echo "usage: $0 start|stop|restart|down|up|env|run COMMAND…" >&2; exit 2 ;;
esac
