#!/usr/bin/env bash
# bench/compare.sh -- keel-server next to real redis-server, one run: throughput
# (redis-benchmark) and memory per small string key. See bench/README.md.
#
# Usage: bench/compare.sh [-n 100000] [--np 500000] [--reps 3] [-c 50] [-r 100000]
#                         [--keys 1000000] [--value-size 10] [--mem-reps 1]
#                         [--keel PATH] [--redis PATH] [--port-redis 23790] [--port-keel 23791]
#                         [--server-cpu 0] [--client-cpu 1] [--no-throughput] [--no-memory]
#                         [--out DIR]
#   -n      requests per non-pipelined redis-benchmark run; --np per pipelined (-P 16) run
#   --reps  repetitions of the throughput matrix; the server order flips every repetition
# Throughput: both servers run for the whole phase, pinned with taskset to --server-cpu, the
# benchmark to --client-cpu (no pinning on a single-CPU machine or with ''). For every
# repetition, pipeline depth (1, 16) and test (SET GET INCR MSET) redis-benchmark -c 50 runs
# once per server back to back. Printed: median requests/s per server and keel/redis = the
# median of the per-repetition ratios.
# Memory: for each server, a fresh process gets --keys "SET key:<i> <value>" (values of
# --value-size bytes) through redis-cli --pipe from a generated file; used_memory (INFO
# memory) and RSS (/proc/PID/status) are read before and after; printed per key.
# Only processes started here are stopped, by their pid. Files: --out (default
# /tmp/keel-bench/compare-<time>), raw rows in raw.tsv, the report in summary.md.
# SPDX-License-Identifier: BSD-3-Clause
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KEEL=$ROOT/build/server/keel-server
REDIS=$(command -v redis-server || echo /usr/bin/redis-server)
PY=/usr/bin/python3
N=100000; NP=500000; REPS=3; CLIENTS=50; KEYSPACE=100000
KEYS=1000000; VSIZE=10; MEM_REPS=1
PORT_REDIS=23790; PORT_KEEL=23791; SRV_CPU=0; CLI_CPU=1
DO_TP=1; DO_MEM=1; OUT=""
TESTS=(set get incr mset)
PIPES=(1 16)

usage() { awk 'NR > 1 { if (/^#/) { sub(/^# ?/, ""); print } else exit }' "$0"; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

while (($#)); do
    case $1 in
        -n) N=$2; shift 2 ;;
        --np) NP=$2; shift 2 ;;
        --reps) REPS=$2; shift 2 ;;
        -c) CLIENTS=$2; shift 2 ;;
        -r) KEYSPACE=$2; shift 2 ;;
        --keys) KEYS=$2; shift 2 ;;
        --value-size) VSIZE=$2; shift 2 ;;
        --mem-reps) MEM_REPS=$2; shift 2 ;;
        --keel) KEEL=$2; shift 2 ;;
        --redis) REDIS=$2; shift 2 ;;
        --port-redis) PORT_REDIS=$2; shift 2 ;;
        --port-keel) PORT_KEEL=$2; shift 2 ;;
        --server-cpu) SRV_CPU=$2; shift 2 ;;
        --client-cpu) CLI_CPU=$2; shift 2 ;;
        --no-throughput) DO_TP=0; shift ;;
        --no-memory) DO_MEM=0; shift ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
done

[[ -x $KEEL ]] || die "keel-server not found at $KEEL (build it, or pass --keel PATH)"
[[ -x $REDIS ]] || die "redis-server not found at $REDIS (--redis PATH)"
for t in redis-cli redis-benchmark; do command -v $t >/dev/null || die "$t is not installed"; done
if (($(nproc) < 2)); then SRV_CPU=""; CLI_CPU=""; fi
command -v taskset >/dev/null || { SRV_CPU=""; CLI_CPU=""; }

OUT=${OUT:-/tmp/keel-bench/compare-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
RAW=$OUT/raw.tsv

# ------------------------------------------------------------------ processes (by pid)

declare -A PID=()        # name -> pid of a server started here

server_argv() {  # name port dir -> prints nothing, fills ARGV
    local name=$1 port=$2 dir=$3
    if [[ $name == redis ]]; then
        ARGV=("$REDIS" --daemonize no)
    else
        ARGV=("$KEEL")
    fi
    ARGV+=(--port "$port" --bind 127.0.0.1 --dir "$dir" --save "" --appendonly no
           --logfile "$dir/server.log")
}

start_server() {  # name port dir
    local name=$1 port=$2 dir=$3 i pin=()
    [[ -z ${PID[$name]:-} ]] || die "$name already running"
    if redis-cli -p "$port" PING >/dev/null 2>&1; then die "port $port is already in use"; fi
    rm -rf "$dir"; mkdir -p "$dir"
    server_argv "$name" "$port" "$dir"
    [[ -n $SRV_CPU ]] && pin=(taskset -c "$SRV_CPU")
    (cd "$dir" && exec "${pin[@]}" "${ARGV[@]}" </dev/null >"$dir/stdout.log" 2>&1) &
    PID[$name]=$!
    for ((i = 0; i < 400; i++)); do
        [[ $(redis-cli -p "$port" PING 2>/dev/null) == PONG ]] && {
            log "started $name pid=${PID[$name]} port=$port"; return 0; }
        kill -0 "${PID[$name]}" 2>/dev/null || break
        sleep 0.05
    done
    tail -n 20 "$dir/server.log" "$dir/stdout.log" >&2 2>/dev/null || true
    die "$name did not answer PING on port $port"
}

stop_server() {  # name
    local name=$1 pid=${PID[$1]:-} i
    [[ -n $pid ]] || return 0
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    fi
    wait "$pid" 2>/dev/null || true
    unset "PID[$name]"
}

cleanup() { stop_server redis; stop_server keel; }
trap cleanup EXIT
trap 'exit 130' INT TERM

port_of() { [[ $1 == redis ]] && echo "$PORT_REDIS" || echo "$PORT_KEEL"; }

info_field() {  # port section field
    redis-cli -p "$1" INFO "$2" 2>/dev/null | tr -d '\r' | awk -F: -v f="$3" '$1 == f {print $2}'
}
rss_bytes() { awk '/^VmRSS:/ {print $2 * 1024}' "/proc/$1/status" 2>/dev/null || echo 0; }

printf 'phase\trep\tserver\ttest\tpipeline\tvalue\n' >"$RAW"

# ------------------------------------------------------------------ throughput

bench_once() {  # name test pipeline n -> rps
    local port csv pin=()
    port=$(port_of "$1")
    [[ -n $CLI_CPU ]] && pin=(taskset -c "$CLI_CPU")
    redis-cli -p "$port" FLUSHALL >/dev/null
    csv=$("${pin[@]}" redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$4" -P "$3" \
          -r "$KEYSPACE" -t "$2" --csv 2>/dev/null) || { log "WARN: $1 $2 -P $3 failed"; echo 0; return; }
    # header line, then "SET","123.45",... (MSET is named "MSET (10 keys)")
    awk -F'","' 'NR > 1 && NF > 1 { print $2; exit }' <<<"$csv" | tr -d '"' | grep . || echo 0
}

if ((DO_TP)); then
    start_server redis "$PORT_REDIS" "$OUT/tp-redis"
    start_server keel "$PORT_KEEL" "$OUT/tp-keel"
    for ((rep = 1; rep <= REPS; rep++)); do
        if ((rep % 2)); then order=(redis keel); else order=(keel redis); fi
        for p in "${PIPES[@]}"; do
            n=$N; ((p > 1)) && n=$NP
            for t in "${TESTS[@]}"; do
                for s in "${order[@]}"; do
                    rps=$(bench_once "$s" "$t" "$p" "$n")
                    printf 'tp\t%s\t%s\t%s\t%s\t%s\n' "$rep" "$s" "$t" "$p" "$rps" >>"$RAW"
                    log "rep $rep $s $t -P $p: $rps rps"
                done
            done
        done
    done
    stop_server redis; stop_server keel
fi

# ------------------------------------------------------------------ memory

gen_strings() {  # file n valsize: RESP "SET key:<i> <value>", value = index left-padded with 'v'
    [[ -s $1 ]] && return 0
    awk -v n="$2" -v vs="$3" 'BEGIN {
        pad = ""; for (j = 0; j < vs; j++) pad = pad "v";
        for (i = 0; i < n; i++) {
            k = "key:" i; s = i ""; v = substr(pad, 1, vs - length(s)) s;
            if (length(v) > vs) v = substr(v, length(v) - vs + 1);
            printf "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(k), k, length(v), v
        }
    }' >"$1.tmp" && mv "$1.tmp" "$1"
}

mem_one() {  # rep name
    local rep=$1 name=$2 port pid um0 rss0 um1 rss1 out n
    port=$(port_of "$name")
    start_server "$name" "$port" "$OUT/mem-$name-$rep"
    pid=${PID[$name]}
    sleep 1
    um0=$(info_field "$port" memory used_memory); rss0=$(rss_bytes "$pid")
    out=$(redis-cli -p "$port" --pipe <"$LOADFILE" 2>&1) || die "$name: redis-cli --pipe failed: $out"
    grep -q 'errors: 0,' <<<"$out" || die "$name: load reported errors: $out"
    n=$(redis-cli -p "$port" DBSIZE | tr -d '\r')
    [[ $n == "$KEYS" ]] || log "WARN: $name DBSIZE=$n after loading $KEYS keys"
    sleep 1
    um1=$(info_field "$port" memory used_memory); rss1=$(rss_bytes "$pid")
    printf 'mem\t%s\t%s\tused_memory\t0\t%s\n' "$rep" "$name" \
        "$( [[ -n $um0 && -n $um1 ]] && echo $(( (um1 - um0) )) || echo nan)" >>"$RAW"
    printf 'mem\t%s\t%s\trss\t0\t%s\n' "$rep" "$name" $((rss1 - rss0)) >>"$RAW"
    log "$name: used_memory ${um0:-n/a} -> ${um1:-n/a}, RSS $rss0 -> $rss1"
    stop_server "$name"
}

if ((DO_MEM)); then
    mkdir -p /tmp/keel-bench/data
    LOADFILE=/tmp/keel-bench/data/strings-$KEYS-$VSIZE.resp
    log "generating $LOADFILE"
    gen_strings "$LOADFILE" "$KEYS" "$VSIZE"
    for ((rep = 1; rep <= MEM_REPS; rep++)); do
        if ((rep % 2)); then mem_one "$rep" redis; mem_one "$rep" keel
        else mem_one "$rep" keel; mem_one "$rep" redis; fi
    done
fi

# ------------------------------------------------------------------ report

{
echo "# keel-server vs redis-server ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs," \
     "server CPU ${SRV_CPU:-any}, client CPU ${CLI_CPU:-any})"
echo "# redis: $("$REDIS" --version | head -n1)"
echo "# keel:  $KEEL"
"$PY" - "$RAW" "$KEYS" "$VSIZE" "$N" "$NP" "$CLIENTS" <<'PYEOF'
import csv, statistics, sys
raw, keys, vsize, n, np_, clients = sys.argv[1:7]
rows = list(csv.DictReader(open(raw), delimiter="\t"))
def num(x):
    try:
        return float(x)
    except ValueError:
        return float("nan")
tp = {}
for r in rows:
    if r["phase"] == "tp":
        tp.setdefault((r["test"], int(r["pipeline"])), {}).setdefault(int(r["rep"]), {})[r["server"]] = num(r["value"])
if tp:
    print()
    print(f"## Throughput (redis-benchmark -c {clients}; -n {n} without pipelining, {np_} with -P 16)")
    print()
    print("| test | pipeline | redis rps | keel rps | keel/redis |")
    print("|---|---|---|---|---|")
    for (test, p) in sorted(tp, key=lambda k: (k[1], ["set", "get", "incr", "mset"].index(k[0]))):
        reps = tp[(test, p)]
        red = [v["redis"] for v in reps.values() if "redis" in v]
        kee = [v["keel"] for v in reps.values() if "keel" in v]
        ratios = [v["keel"] / v["redis"] for v in reps.values()
                  if v.get("redis") and "keel" in v]
        fmt = lambda xs: f"{statistics.median(xs):,.0f}" if xs else "n/a"
        ratio = f"{statistics.median(ratios):.2f}" if ratios else "n/a"
        print(f"| {test.upper()} | {p} | {fmt(red)} | {fmt(kee)} | {ratio} |")
mem = {}
for r in rows:
    if r["phase"] == "mem":
        mem.setdefault(r["test"], {}).setdefault(r["server"], []).append(num(r["value"]))
if mem:
    k = int(keys)
    print()
    print(f"## Memory: {k:,} string keys key:<i> with {vsize}-byte values (bytes per key)")
    print()
    print("| metric | redis | keel | keel/redis |")
    print("|---|---|---|---|")
    for metric, label in (("used_memory", "used_memory delta / key"), ("rss", "RSS delta / key")):
        vals = {}
        for s in ("redis", "keel"):
            xs = [x for x in mem.get(metric, {}).get(s, []) if x == x]
            vals[s] = statistics.median(xs) / k if xs else None
        cell = lambda v: f"{v:.1f}" if v is not None else "n/a"
        ratio = (f"{vals['keel'] / vals['redis']:.2f}" if vals["keel"] is not None
                 and vals["redis"] else "n/a")
        print(f"| {label} | {cell(vals['redis'])} | {cell(vals['keel'])} | {ratio} |")
PYEOF
} | tee "$OUT/summary.md"
log "raw rows: $RAW; report: $OUT/summary.md"
