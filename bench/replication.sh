#!/usr/bin/env bash
# bench/replication.sh -- replication next to real Redis, one run. See bench/replication.md.
#
# Usage: bench/replication.sh [--reps 1] [--keys 1000000] [-n 200000] [--np 1000000]
#                             [--keel PATH] [--redis PATH] [--shared DIR]
#                             [--base-port 25540] [--server-cpu 0] [--client-cpu 1]
#                             [--no-sync-lag] [--no-throughput] [--out DIR]
# Phase 1 (sync-lag): runs the shared harness DIR/replication.sh (default ../shared/bench
#   next to the repository; its own ports 22020-22024) with A = redis-server and B =
#   keel-server, both with --repl-diskless-sync-delay 0: full sync time of --keys 10-byte
#   strings (REPLICAOF -> link up, -> DBSIZE equal) and replication lag (bytes and probe
#   ms) under redis-benchmark SET load at pipeline 1 and 16, --reps repetitions.
# Phase 2 (throughput): for each server kind, a primary pinned to --server-cpu, then
#   redis-benchmark -t set -c 50 -r 100000 (-n at P=1, --np at P=16, pinned to --client-cpu)
#   against the primary alone and again with two replicas attached and online (replicas
#   unpinned: on a 2-CPU machine they share the CPUs with the client). Ports base..base+2.
# Only processes started here are stopped, by their pid. Files in --out (default
# /tmp/keel-bench/replication-<time>): sync-lag/summary.md, throughput.tsv, summary.md.
# SPDX-License-Identifier: BSD-3-Clause
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KEEL=$ROOT/build/server/keel-server
REDIS=$(command -v redis-server || echo /usr/bin/redis-server)
SHARED=$ROOT/../shared/bench
REPS=1; KEYS=1000000; N=200000; NP=1000000; BASE=25540; SRV_CPU=0; CLI_CPU=1
DO_SYNC=1; DO_TP=1; OUT=""
while (($#)); do
    case $1 in
        --reps) REPS=$2; shift 2 ;;
        --keys) KEYS=$2; shift 2 ;;
        -n) N=$2; shift 2 ;;
        --np) NP=$2; shift 2 ;;
        --keel) KEEL=$2; shift 2 ;;
        --redis) REDIS=$2; shift 2 ;;
        --shared) SHARED=$2; shift 2 ;;
        --base-port) BASE=$2; shift 2 ;;
        --server-cpu) SRV_CPU=$2; shift 2 ;;
        --client-cpu) CLI_CPU=$2; shift 2 ;;
        --no-sync-lag) DO_SYNC=0; shift ;;
        --no-throughput) DO_TP=0; shift ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) awk 'NR > 1 { if (/^#/) { sub(/^# ?/, ""); print } else exit }' "$0"; exit 0 ;;
        *) echo "replication.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
[[ -x $KEEL ]] || { echo "replication.sh: $KEEL not found: ninja -C build" >&2; exit 1; }
OUT=${OUT:-/tmp/keel-bench/replication-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
((DO_SYNC)) && [[ ! -x $SHARED/replication.sh && ! -f $SHARED/replication.sh ]] && {
    echo "replication.sh: $SHARED/replication.sh not found (--shared DIR)" >&2; exit 1; }
if (($(nproc) < 2)); then SRV_CPU=""; CLI_CPU=""; fi
pin() { local cpu=$1; shift; if [[ -n $cpu ]]; then taskset -c "$cpu" "$@"; else "$@"; fi; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
PIDS=()
cleanup() {
    local p
    for p in "${PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null && { wait "$p" 2>/dev/null || true; }
    done
    PIDS=()
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ phase 1: shared harness

if ((DO_SYNC)); then
    log "phase 1: full sync and lag (shared harness, $REPS rep(s), $KEYS keys)"
    bash "$SHARED/replication.sh" --reps "$REPS" --keys "$KEYS" --out "$OUT/sync-lag" \
        --a-name redis \
        --a-cmd "$REDIS --port {port} --bind 127.0.0.1 --dir {dir} --save '' --appendonly no --logfile {dir}/server.log --repl-diskless-sync-delay 0" \
        --b-name keel \
        --b-cmd "$KEEL --port {port} --bind 127.0.0.1 --dir {dir} --logfile {dir}/server.log --repl-diskless-sync-delay 0"
fi

# ------------------------------------------------------------------ phase 2: throughput

start_node() {  # kind port cpu -> appends the pid to PIDS
    local kind=$1 port=$2 cpu=$3 dir=$OUT/tp-$1-$2 bin
    bin=$REDIS; [[ $kind == keel ]] && bin=$KEEL
    rm -rf "$dir"; mkdir -p "$dir"
    if redis-cli -p "$port" PING >/dev/null 2>&1; then
        echo "replication.sh: port $port is busy (--base-port)" >&2; exit 1
    fi
    (cd "$dir" && exec $( [[ -n $cpu ]] && echo taskset -c "$cpu" ) "$bin" --port "$port" \
        --bind 127.0.0.1 --dir "$dir" --save '' --appendonly no --logfile "$dir/server.log" \
        --repl-diskless-sync-delay 0 </dev/null >"$dir/stdout.log" 2>&1) &
    PIDS+=("$!")
    local i
    for ((i = 0; i < 200; i++)); do
        [[ $(redis-cli -p "$port" PING 2>/dev/null) == PONG ]] && return 0
        sleep 0.05
    done
    echo "replication.sh: $kind on $port did not start; see $dir" >&2; exit 1
}

online_replicas() {  # port -> number of replicas in state online
    redis-cli -p "$1" INFO replication | tr -d '\r' | grep -c '^slave[0-9]*:.*state=online' || true
}

bench_set() {  # port pipeline n -> requests/s
    pin "$CLI_CPU" redis-benchmark -p "$1" -t set -c 50 -r 100000 -d 3 -P "$2" -n "$3" --csv \
        2>/dev/null | awk -F'","' '$1 == "\"SET" { print $2 + 0 }'
}

if ((DO_TP)); then
    printf 'kind\treplicas\tpipeline\trps\n' > "$OUT/throughput.tsv"
    for kind in redis keel; do
        log "phase 2: $kind primary alone, then with two replicas"
        start_node "$kind" "$BASE" "$SRV_CPU"
        for p in 1 16; do
            n=$N; ((p > 1)) && n=$NP
            printf '%s\t0\t%s\t%s\n' "$kind" "$p" "$(bench_set "$BASE" "$p" "$n")" \
                >> "$OUT/throughput.tsv"
        done
        for r in 1 2; do
            start_node "$kind" $((BASE + r)) ""
            redis-cli -p $((BASE + r)) REPLICAOF 127.0.0.1 "$BASE" >/dev/null
        done
        for ((i = 0; i < 600; i++)); do
            [[ $(online_replicas "$BASE") == 2 ]] && break
            sleep 0.05
        done
        [[ $(online_replicas "$BASE") == 2 ]] || { echo "replicas not online" >&2; exit 1; }
        for p in 1 16; do
            n=$N; ((p > 1)) && n=$NP
            printf '%s\t2\t%s\t%s\n' "$kind" "$p" "$(bench_set "$BASE" "$p" "$n")" \
                >> "$OUT/throughput.tsv"
        done
        log "$kind: $(redis-cli -p "$BASE" INFO replication | tr -d '\r' | grep '^slave' | tr '\n' ' ')"
        cleanup
    done
fi

# ------------------------------------------------------------------ summary

{
    echo "# replication: redis=$("$REDIS" --version | awk '{sub(/^v=/, "", $3); print $3}') keel=$KEEL reps=$REPS"
    if ((DO_SYNC)) && [[ -f $OUT/sync-lag/summary.md ]]; then
        echo; echo "## full sync and lag (A = redis, B = keel)"; cat "$OUT/sync-lag/summary.md"
    fi
    if ((DO_TP)); then
        echo; echo "## primary SET throughput (requests/s), redis-benchmark -c 50 -r 100000 -d 3"
        echo
        /usr/bin/python3 - "$OUT/throughput.tsv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
val = {(r["kind"], r["replicas"], r["pipeline"]): float(r["rps"] or 0) for r in rows}
print("| P | replicas | redis rps | keel rps | keel/redis |")
print("|---|---|---|---|---|")
for p in ("1", "16"):
    for n in ("0", "2"):
        a, b = val.get(("redis", n, p), 0), val.get(("keel", n, p), 0)
        print(f"| {p} | {n} | {a:,.0f} | {b:,.0f} | {b / a:.2f} |" if a else f"| {p} | {n} | n/a | {b:,.0f} | n/a |")
EOF
    fi
} | tee "$OUT/summary.md"
log "files in $OUT"
