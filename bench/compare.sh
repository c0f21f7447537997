#!/usr/bin/env bash
# bench/compare.sh -- keel-server next to real redis-server, one run: throughput
# (redis-benchmark) and memory per small string key, hash and sorted set. See bench/README.md.
#
# Usage: bench/compare.sh [-n 100000] [--np 500000] [--reps 3] [-c 50] [-r 100000]
#                         [--keys 1000000] [--value-size 10] [--mem-reps 1]
#                         [--keel PATH] [--redis PATH] [--port-redis 23790] [--port-keel 23791]
#                         [--server-cpu 0] [--client-cpu 1] [--no-throughput] [--no-memory]
#                         [--phases throughput,memory] [--tests set,get,...,zrange,multi]
#                         [--mem-kinds strings,hashes,zsets] [--hashes 100000]
#                         [--zsets 100000] [--fields 10] [--out DIR]
#   -n      requests per non-pipelined redis-benchmark run; --np per pipelined (-P 16) run
#   --reps  repetitions of the throughput matrix; the server order flips every repetition
# Throughput: both servers run for the whole phase, pinned with taskset to --server-cpu, the
# benchmark to --client-cpu (no pinning on a single-CPU machine or with ''). For every
# repetition, pipeline depth (1, 16) and test (--tests: SET GET INCR MSET LPUSH LPOP SADD HSET
# ZADD by name, ZRANGE myzset 0 9 as a custom command on a 100-member zset loaded the same way
# on both servers, MULTI = MULTI/INCR/EXEC triples streamed by redis-cli --pipe on one
# connection, commands/s) redis-benchmark -c 50 runs once per server back to back. Printed: median requests/s per server and keel/redis = the
# median of the per-repetition ratios.
# Memory: for each server, a fresh process gets --keys "SET key:<i> <value>" (values of
# --value-size bytes) through redis-cli --pipe from a generated file; used_memory (INFO
# memory) and RSS (/proc/PID/status) are read before and after; printed per key. The same for
# --hashes "HSET hash:<i> f0 v ... f<F-1> v" and --zsets "ZADD zset:<i> 0 m0 ... 9 m9"
# (--fields F entries each), each kind in fresh servers (--mem-kinds selects them).
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
TESTS=(set get incr mset lpush lpop sadd hset zadd zrange multi)
PIPES=(1 16)
MEM_KINDS=(strings hashes zsets)
HASHES=100000; ZSETS=100000; FIELDS=10

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
        --phases) DO_TP=0; DO_MEM=0
            for ph in ${2//,/ }; do
                case $ph in throughput) DO_TP=1 ;; memory) DO_MEM=1 ;;
                    *) die "unknown phase $ph (throughput, memory)" ;; esac
            done; shift 2 ;;
        --tests) IFS=, read -r -a TESTS <<<"${2,,}"; shift 2 ;;
        --mem-kinds) IFS=, read -r -a MEM_KINDS <<<"${2,,}"; shift 2 ;;
        --hashes) HASHES=$2; shift 2 ;;
        --zsets) ZSETS=$2; shift 2 ;;
        --fields) FIELDS=$2; shift 2 ;;
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

# MULTI/EXEC: redis-benchmark sends one command per request, so a transaction stream of
# n/3 "MULTI, INCR counter, EXEC" triples goes through redis-cli --pipe (one connection, the
# whole file pipelined); the rate is commands per second.
multi_once() {  # name n -> commands/s
    local port file start end out pin=()
    port=$(port_of "$1")
    [[ -n $CLI_CPU ]] && pin=(taskset -c "$CLI_CPU")
    file=/tmp/keel-bench/data/multi-$(($2 / 3)).resp
    mkdir -p /tmp/keel-bench/data
    [[ -s $file ]] || awk -v n=$(($2 / 3)) 'BEGIN { for (i = 0; i < n; i++)
        printf "*1\r\n$5\r\nMULTI\r\n*2\r\n$4\r\nINCR\r\n$7\r\ncounter\r\n*1\r\n$4\r\nEXEC\r\n" }' \
        >"$file"
    redis-cli -p "$port" FLUSHALL >/dev/null
    start=$(date +%s%N)
    out=$("${pin[@]}" redis-cli -p "$port" --pipe <"$file" 2>&1) || { log "WARN: $1 multi failed"; echo 0; return; }
    end=$(date +%s%N)
    grep -q 'errors: 0,' <<<"$out" || { log "WARN: $1 multi: $out"; echo 0; return; }
    [[ $(redis-cli -p "$port" GET counter | tr -d '\r') == $(($2 / 3)) ]] \
        || { log "WARN: $1 multi: wrong counter"; echo 0; return; }
    awk -v c=$(($2 / 3 * 3)) -v ns=$((end - start)) 'BEGIN { printf "%.2f\n", c / (ns / 1e9) }'
}

bench_once() {  # name test pipeline n -> rps
    local port csv pin=() what
    port=$(port_of "$1")
    [[ -n $CLI_CPU ]] && pin=(taskset -c "$CLI_CPU")
    if [[ $2 == multi ]]; then multi_once "$1" "$4"; return; fi
    redis-cli -p "$port" FLUSHALL >/dev/null
    if [[ $2 == zrange ]]; then
        # the same 100-member sorted set on both servers, read by a custom command
        redis-cli -p "$port" ZADD myzset $(seq 1 100 | awk '{print $1, "m"$1}') >/dev/null
        what=(zrange myzset 0 9)
    else
        what=(-r "$KEYSPACE" -t "$2")
    fi
    csv=$("${pin[@]}" redis-benchmark -h 127.0.0.1 -p "$port" -c "$CLIENTS" -n "$4" -P "$3" \
          --csv "${what[@]}" 2>/dev/null) || { log "WARN: $1 $2 -P $3 failed"; echo 0; return; }
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
                # the MULTI stream is always fully pipelined: run it once per repetition
                [[ $t == multi && $p != "${PIPES[0]}" ]] && continue
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

gen_hashes() {  # file n fields: RESP "HSET hash:<i> f0 v ... f<F-1> v"
    [[ -s $1 ]] && return 0
    awk -v n="$2" -v f="$3" 'BEGIN {
        for (i = 0; i < n; i++) {
            k = "hash:" i; printf "*%d\r\n$4\r\nHSET\r\n$%d\r\n%s\r\n", 2 + 2 * f, length(k), k
            for (j = 0; j < f; j++) { fl = "f" j; printf "$%d\r\n%s\r\n$1\r\nv\r\n", length(fl), fl }
        }
    }' >"$1.tmp" && mv "$1.tmp" "$1"
}

gen_zsets() {  # file n members: RESP "ZADD zset:<i> 0 m0 1 m1 ..."
    [[ -s $1 ]] && return 0
    awk -v n="$2" -v f="$3" 'BEGIN {
        for (i = 0; i < n; i++) {
            k = "zset:" i; printf "*%d\r\n$4\r\nZADD\r\n$%d\r\n%s\r\n", 2 + 2 * f, length(k), k
            for (j = 0; j < f; j++) {
                sc = j ""; m = "m" j
                printf "$%d\r\n%s\r\n$%d\r\n%s\r\n", length(sc), sc, length(m), m
            }
        }
    }' >"$1.tmp" && mv "$1.tmp" "$1"
}

mem_one() {  # rep name kind count
    local rep=$1 name=$2 kind=$3 count=$4 port pid um0 rss0 um1 rss1 out n
    port=$(port_of "$name")
    start_server "$name" "$port" "$OUT/mem-$kind-$name-$rep"
    pid=${PID[$name]}
    sleep 1
    um0=$(info_field "$port" memory used_memory); rss0=$(rss_bytes "$pid")
    out=$(redis-cli -p "$port" --pipe <"$LOADFILE" 2>&1) || die "$name: redis-cli --pipe failed: $out"
    grep -q 'errors: 0,' <<<"$out" || die "$name: load reported errors: $out"
    n=$(redis-cli -p "$port" DBSIZE | tr -d '\r')
    [[ $n == "$count" ]] || log "WARN: $name DBSIZE=$n after loading $count $kind"
    sleep 1
    um1=$(info_field "$port" memory used_memory); rss1=$(rss_bytes "$pid")
    printf 'mem\t%s\t%s\t%s:used_memory\t%s\t%s\n' "$rep" "$name" "$kind" "$count" \
        "$( [[ -n $um0 && -n $um1 ]] && echo $(( (um1 - um0) )) || echo nan)" >>"$RAW"
    printf 'mem\t%s\t%s\t%s:rss\t%s\t%s\n' "$rep" "$name" "$kind" "$count" \
        $((rss1 - rss0)) >>"$RAW"
    log "$name $kind: used_memory ${um0:-n/a} -> ${um1:-n/a}, RSS $rss0 -> $rss1"
    stop_server "$name"
}

if ((DO_MEM)); then
    mkdir -p /tmp/keel-bench/data
    for kind in "${MEM_KINDS[@]}"; do
        case $kind in
            strings) count=$KEYS; LOADFILE=/tmp/keel-bench/data/strings-$KEYS-$VSIZE.resp
                     gen=(gen_strings "$LOADFILE" "$KEYS" "$VSIZE") ;;
            hashes) count=$HASHES; LOADFILE=/tmp/keel-bench/data/hashes-$HASHES-$FIELDS.resp
                    gen=(gen_hashes "$LOADFILE" "$HASHES" "$FIELDS") ;;
            zsets) count=$ZSETS; LOADFILE=/tmp/keel-bench/data/zsets-$ZSETS-$FIELDS.resp
                   gen=(gen_zsets "$LOADFILE" "$ZSETS" "$FIELDS") ;;
            *) die "unknown memory kind $kind (strings, hashes, zsets)" ;;
        esac
        ((count > 0)) || continue
        log "generating $LOADFILE"
        "${gen[@]}"
        for ((rep = 1; rep <= MEM_REPS; rep++)); do
            if ((rep % 2)); then mem_one "$rep" redis "$kind" "$count"; mem_one "$rep" keel "$kind" "$count"
            else mem_one "$rep" keel "$kind" "$count"; mem_one "$rep" redis "$kind" "$count"; fi
        done
    done
fi

# ------------------------------------------------------------------ report

{
echo "# keel-server vs redis-server ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs," \
     "server CPU ${SRV_CPU:-any}, client CPU ${CLI_CPU:-any})"
echo "# redis: $("$REDIS" --version | head -n1)"
echo "# keel:  $KEEL"
"$PY" - "$RAW" "$KEYS" "$VSIZE" "$N" "$NP" "$CLIENTS" "$FIELDS" <<'PYEOF'
import csv, statistics, sys
raw, keys, vsize, n, np_, clients, fields = sys.argv[1:8]
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
    order = ["set", "get", "incr", "mset", "lpush", "lpop", "sadd", "hset", "zadd", "zrange",
             "multi"]
    rank = lambda t: order.index(t) if t in order else len(order)
    for (test, p) in sorted(tp, key=lambda k: (k[1], rank(k[0]), k[0])):
        reps = tp[(test, p)]
        red = [v["redis"] for v in reps.values() if "redis" in v]
        kee = [v["keel"] for v in reps.values() if "keel" in v]
        ratios = [v["keel"] / v["redis"] for v in reps.values()
                  if v.get("redis") and "keel" in v]
        fmt = lambda xs: f"{statistics.median(xs):,.0f}" if xs else "n/a"
        ratio = f"{statistics.median(ratios):.2f}" if ratios else "n/a"
        label = "MULTI/INCR/EXEC (redis-cli --pipe, commands/s)" if test == "multi" else test.upper()
        pipe = "all" if test == "multi" else p
        print(f"| {label} | {pipe} | {fmt(red)} | {fmt(kee)} | {ratio} |")
mem, counts = {}, {}
for r in rows:
    if r["phase"] == "mem":
        kind, metric = r["test"].split(":", 1) if ":" in r["test"] else ("strings", r["test"])
        counts[kind] = int(r["pipeline"]) or int(keys)
        mem.setdefault(kind, {}).setdefault(metric, {}).setdefault(r["server"], []).append(
            num(r["value"]))
titles = {
    "strings": lambda k: f"{k:,} string keys key:<i> with {vsize}-byte values (bytes per key)",
    "hashes": lambda k: f"{k:,} hashes hash:<i> of {fields} fields f<j> = v (bytes per hash)",
    "zsets": lambda k: f"{k:,} sorted sets zset:<i> of {fields} members (bytes per zset)",
}
for kind in [k for k in ("strings", "hashes", "zsets") if k in mem]:
    k = counts[kind]
    print()
    print(f"## Memory: {titles[kind](k)}")
    print()
    print("| metric | redis | keel | keel/redis |")
    print("|---|---|---|---|")
    for metric, label in (("used_memory", "used_memory delta / item"), ("rss", "RSS delta / item")):
        vals = {}
        for s in ("redis", "keel"):
            xs = [x for x in mem[kind].get(metric, {}).get(s, []) if x == x]
            vals[s] = statistics.median(xs) / k if xs else None
        cell = lambda v: f"{v:.1f}" if v is not None else "n/a"
        ratio = (f"{vals['keel'] / vals['redis']:.2f}" if vals["keel"] is not None
                 and vals["redis"] else "n/a")
        print(f"| {label} | {cell(vals['redis'])} | {cell(vals['keel'])} | {ratio} |")
PYEOF
} | tee "$OUT/summary.md"
log "raw rows: $RAW; report: $OUT/summary.md"
