#!/usr/bin/env bash
# deploy/local-cluster.sh -- start, stop and inspect local keel-server nodes in the background.
#
# Usage:
#   deploy/local-cluster.sh start  [--nodes N] [--port P] [--bind ADDR] [--bin PATH] [-- ARGS...]
#   deploy/local-cluster.sh stop   [--nodes N] [--port P]
#   deploy/local-cluster.sh status [--nodes N] [--port P]
#
# Node i (0-based) listens on ADDR:P+i (defaults 127.0.0.1:6379, N=1) and lives in
# .run/node-<port>/ under the repository: server.log (the server's log), stdout.log,
# keel-server.pid. ARGS after `--` are passed to every node (Redis parameter names, e.g.
# -- --maxmemory 1gb). The nodes are independent standalone servers: replication and
# cluster mode are not implemented yet, so N > 1 gives N separate caches.
# Nodes are stopped by the pid in their pid file (SIGTERM, SIGKILL after 10 s), and only
# when that pid still runs keel-server.
# SPDX-License-Identifier: BSD-3-Clause
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${KEEL_RUN_DIR:-$ROOT/.run}
BIN=$ROOT/build/server/keel-server
NODES=1; PORT=6379; BIND=127.0.0.1; EXTRA=()

usage() { awk 'NR > 1 { if (/^#/) { sub(/^# ?/, ""); print } else exit }' "$0"; }
die() { echo "local-cluster: $*" >&2; exit 1; }

(($#)) || { usage; exit 2; }
ACTION=$1; shift
while (($#)); do
    case $1 in
        --nodes) NODES=$2; shift 2 ;;
        --port) PORT=$2; shift 2 ;;
        --bind) BIND=$2; shift 2 ;;
        --bin) BIN=$2; shift 2 ;;
        --) shift; EXTRA=("$@"); break ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
[[ $NODES =~ ^[1-9][0-9]*$ ]] || die "--nodes must be a positive number"
[[ $PORT =~ ^[0-9]+$ ]] && ((PORT > 0 && PORT + NODES - 1 <= 65535)) || die "bad --port $PORT"

node_dir() { printf '%s/node-%s' "$RUN_DIR" "$1"; }

# pid of the node on port $1 if it is running keel-server, else empty
node_pid() {
    local f pid
    f=$(node_dir "$1")/keel-server.pid
    [[ -f $f ]] || return 0
    pid=$(<"$f")
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q keel-server || return 0
    printf '%s' "$pid"
}

ping_port() {  # port -> 0 when the server answers PONG
    if command -v redis-cli >/dev/null; then
        [[ $(redis-cli -h "$BIND" -p "$1" PING 2>/dev/null) == PONG ]]
    else
        local reply
        exec 3<>"/dev/tcp/$BIND/$1" 2>/dev/null || return 1
        printf 'PING\r\n' >&3
        read -r -t 1 reply <&3 || true
        exec 3>&-
        [[ $reply == +PONG* ]]
    fi
}

port_busy() {
    if command -v ss >/dev/null; then
        ss -Hltn "sport = :$1" 2>/dev/null | grep -q LISTEN
    else
        (exec 3<>"/dev/tcp/$BIND/$1") 2>/dev/null
    fi
}

start_node() {
    local port=$1 dir pid i
    dir=$(node_dir "$port")
    pid=$(node_pid "$port")
    [[ -n $pid ]] && { echo "node $port already running (pid $pid)"; return 0; }
    port_busy "$port" && die "port $port is already in use by another process (a system redis-server? use --port)"
    mkdir -p "$dir"
    (cd "$dir" && exec setsid "$BIN" --port "$port" --bind "$BIND" --dir "$dir" \
        --logfile "$dir/server.log" "${EXTRA[@]}" </dev/null >>"$dir/stdout.log" 2>&1) &
    pid=$!
    echo "$pid" >"$dir/keel-server.pid"
    for ((i = 0; i < 200; i++)); do             # up to 10 s
        ping_port "$port" && { echo "node $port started (pid $pid, log $dir/server.log)"; return 0; }
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    echo "node $port did not answer PING; last log lines:" >&2
    tail -n 20 "$dir/server.log" "$dir/stdout.log" >&2 2>/dev/null || true
    kill -0 "$pid" 2>/dev/null && kill -TERM "$pid"
    rm -f "$dir/keel-server.pid"
    return 1
}

stop_node() {
    local port=$1 pid i
    pid=$(node_pid "$port")
    if [[ -z $pid ]]; then
        echo "node $port not running"
        rm -f "$(node_dir "$port")/keel-server.pid"
        return 0
    fi
    kill -TERM "$pid"
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "node $port (pid $pid) ignored SIGTERM for 10 s: SIGKILL" >&2
        kill -KILL "$pid"
    fi
    rm -f "$(node_dir "$port")/keel-server.pid"
    echo "node $port stopped (pid $pid)"
}

status_node() {
    local port=$1 pid
    pid=$(node_pid "$port")
    if [[ -z $pid ]]; then
        echo "node $port: stopped"
        return 1
    fi
    if ping_port "$port"; then
        echo "node $port: running, pid $pid, answers PING"
    else
        echo "node $port: running, pid $pid, NOT answering PING"
        return 1
    fi
}

rc=0
case $ACTION in
    start)
        [[ -x $BIN ]] || die "$BIN not found: build first (meson setup build && ninja -C build)"
        for ((n = 0; n < NODES; n++)); do start_node $((PORT + n)) || rc=1; done ;;
    stop)
        for ((n = 0; n < NODES; n++)); do stop_node $((PORT + n)) || rc=1; done ;;
    status)
        for ((n = 0; n < NODES; n++)); do status_node $((PORT + n)) || rc=1; done ;;
    *) usage; exit 2 ;;
esac
exit "$rc"
