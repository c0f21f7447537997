#!/usr/bin/env bash
# deploy/local-cluster.sh -- start, stop and inspect local keel-server nodes in the background.
#
# Usage:
#   deploy/local-cluster.sh start  [--replicas R | --nodes N] [--port P] [--bind ADDR]
#                                  [--bin PATH] [-- ARGS...]
#   deploy/local-cluster.sh stop   [--replicas R | --nodes N] [--port P]
#   deploy/local-cluster.sh status [--replicas R | --nodes N] [--port P]
#
# Node i (0-based) listens on ADDR:P+i (defaults 127.0.0.1:6379) and lives in
# .run/node-<port>/ under the repository: server.log (the server's log), stdout.log,
# keel-server.pid. ARGS after `--` are passed to every node (Redis parameter names, e.g.
# -- --maxmemory 1gb).
#   --replicas R  a replicated set: one primary on P and R replicas on P+1..P+R started
#                 with --replicaof ADDR P (so R+1 nodes).
#   --nodes N     N independent standalone servers on P..P+N-1 (default N=1).
# stop and status without --replicas/--nodes/--port act on every node found in .run/.
# status prints each node's role and replication state from INFO replication: for a
# primary its offset and every replica's acknowledged offset and lag; for a replica its
# primary, link status, offset and byte lag behind the primary (needs redis-cli or bash's
# /dev/tcp; with requirepass set REDISCLI_AUTH for redis-cli).
# Nodes are stopped by the pid in their pid file (SIGTERM, SIGKILL after 10 s), and only
# when that pid still runs keel-server.
# SPDX-License-Identifier: BSD-3-Clause
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUN_DIR=${KEEL_RUN_DIR:-$ROOT/.run}
BIN=$ROOT/build/server/keel-server
NODES=1; REPLICAS=""; PORT=6379; BIND=127.0.0.1; EXTRA=(); RANGE_GIVEN=0

usage() { awk 'NR > 1 { if (/^#/) { sub(/^# ?/, ""); print } else exit }' "$0"; }
die() { echo "local-cluster: $*" >&2; exit 1; }

(($#)) || { usage; exit 2; }
ACTION=$1; shift
while (($#)); do
    case $1 in
        --nodes) NODES=$2; RANGE_GIVEN=1; shift 2 ;;
        --replicas) REPLICAS=$2; RANGE_GIVEN=1; shift 2 ;;
        --port) PORT=$2; RANGE_GIVEN=1; shift 2 ;;
        --bind) BIND=$2; shift 2 ;;
        --bin) BIN=$2; shift 2 ;;
        --) shift; EXTRA=("$@"); break ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done
[[ $NODES =~ ^[1-9][0-9]*$ ]] || die "--nodes must be a positive number"
if [[ -n $REPLICAS ]]; then
    [[ $REPLICAS =~ ^[0-9]+$ ]] || die "--replicas must be a number"
    NODES=$((REPLICAS + 1))
fi
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

start_node() {  # port [extra server args...]
    local port=$1 dir pid i
    shift
    dir=$(node_dir "$port")
    pid=$(node_pid "$port")
    [[ -n $pid ]] && { echo "node $port already running (pid $pid)"; return 0; }
    port_busy "$port" && die "port $port is already in use by another process (a system redis-server? use --port)"
    mkdir -p "$dir"
    (cd "$dir" && exec setsid "$BIN" --port "$port" --bind "$BIND" --dir "$dir" \
        --logfile "$dir/server.log" "${EXTRA[@]}" "$@" </dev/null >>"$dir/stdout.log" 2>&1) &
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

# INFO replication of the node on port $1 as "field:value" lines (CR stripped)
info_repl() {
    local line n=0
    if command -v redis-cli >/dev/null; then
        redis-cli -h "$BIND" -p "$1" INFO replication 2>/dev/null | tr -d '\r'
        return 0
    fi
    exec 3<>"/dev/tcp/$BIND/$1" 2>/dev/null || return 0
    printf 'INFO replication\r\n' >&3
    while read -r -t 1 line <&3; do
        line=${line%$'\r'}
        ((n++ == 0)) && continue          # the $<len> header
        [[ -z $line ]] && break
        printf '%s\n' "$line"
    done
    exec 3>&-
}

field() { sed -n "s/^$1:\(.*\)$/\1/p" <<<"$2" | head -n 1; }

print_repl() {  # port
    local info role off host mport link roff poff
    info=$(info_repl "$1")
    role=$(field role "$info")
    if [[ -z $role ]]; then
        echo "    role: unknown (INFO replication gave no answer; NOAUTH? set REDISCLI_AUTH)"
    elif [[ $role == master ]]; then
        off=$(field master_repl_offset "$info")
        echo "    role: primary, offset $off, $(field connected_slaves "$info") replica(s)"
        # slaveN:ip=..,port=..,state=..,offset=..,lag=..
        sed -n 's/^slave[0-9]*:ip=\([^,]*\),port=\([^,]*\),state=\([^,]*\),offset=\([^,]*\),lag=\([^,]*\).*/\1 \2 \3 \4 \5/p' \
            <<<"$info" | while read -r ip p st ro lag; do
            echo "      replica $ip:$p $st, acked offset $ro ($((off - ro)) bytes behind), last ack ${lag}s ago"
        done
    else
        host=$(field master_host "$info"); mport=$(field master_port "$info")
        link=$(field master_link_status "$info"); roff=$(field slave_repl_offset "$info")
        poff=$(field master_repl_offset "$(info_repl "$mport")")
        if [[ $host == "$BIND" && -n $poff && -n $roff ]]; then
            lag="$((poff - roff)) bytes behind the primary"
        else
            lag="lag unknown (primary not reachable from here)"
        fi
        echo "    role: replica of $host:$mport, link $link, offset $roff, $lag," \
             "last I/O $(field master_last_io_seconds_ago "$info")s ago"
    fi
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
        print_repl "$port"
    else
        echo "node $port: running, pid $pid, NOT answering PING"
        return 1
    fi
}

# ports of the nodes to act on: the given range, or every node directory in .run/
node_ports() {
    local d
    if ((RANGE_GIVEN)) || [[ $ACTION == start ]]; then
        seq "$PORT" $((PORT + NODES - 1))
        return 0
    fi
    for d in "$RUN_DIR"/node-*; do
        [[ -d $d ]] && printf '%s\n' "${d##*/node-}"
    done | sort -n
}

rc=0
case $ACTION in
    start)
        [[ -x $BIN ]] || die "$BIN not found: build first (meson setup build && ninja -C build)"
        if [[ -n $REPLICAS ]]; then
            # No 5 s wait for more replicas before a full sync (Redis's default): they all
            # start together here.
            start_node "$PORT" --repl-diskless-sync-delay 0 || die "the primary did not start"
            for ((n = 1; n <= REPLICAS; n++)); do
                start_node $((PORT + n)) --replicaof "$BIND" "$PORT" || rc=1
            done
            # Wait (bounded) until every replica's link is up, so the data is there.
            for ((t = 0; t < 100; t++)); do
                up=0
                for ((n = 1; n <= REPLICAS; n++)); do
                    redis-cli -h "$BIND" -p $((PORT + n)) info replication 2>/dev/null |
                        grep -q '^master_link_status:up' && up=$((up + 1))
                done
                ((up == REPLICAS)) && break
                sleep 0.1
            done
        else
            for ((n = 0; n < NODES; n++)); do start_node $((PORT + n)) || rc=1; done
        fi ;;
    stop)
        # replicas first, so the primary does not log their disconnection as failures
        for port in $(node_ports | sort -rn); do stop_node "$port" || rc=1; done ;;
    status)
        for port in $(node_ports); do status_node "$port" || rc=1; done ;;
    *) usage; exit 2 ;;
esac
exit "$rc"
