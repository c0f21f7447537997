#!/usr/bin/env bash
# scripts/run.sh -- Keel's run command: install missing dependencies, build, and start a
# replicated set in the background through deploy/local-cluster.sh: one primary on
# 127.0.0.1:6379 and two replicas on 6380 and 6381 (started with --replicaof 127.0.0.1 6379).
# Each node's files (server.log, stdout.log, keel-server.pid) are in .run/node-<port>/.
#
# Note: Debian's redis-server package starts a Redis on 6379 where systemd runs; then use
# --port or `systemctl stop redis-server`.
# Usage: sudo bash scripts/run.sh [--port P] [--replicas R] [--bind ADDR] [-- SERVER_ARGS...]
#   --port P      the primary's port (replicas on P+1..P+R), default 6379
#   --replicas R  number of replicas, default 2 (0 = a single standalone server)
#   SERVER_ARGS are Redis parameter names given to every node, e.g.  -- --maxmemory 1gb
#   (with --requirepass also pass --masterauth with the same password)
# Status:  bash deploy/local-cluster.sh status     (role, offsets and lag of every node)
# Stop:    bash deploy/local-cluster.sh stop
# SPDX-License-Identifier: BSD-3-Clause
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

PORT=6379; REPLICAS=2; BIND=127.0.0.1; EXTRA=()
while (($#)); do
    case $1 in
        --port) PORT=$2; shift 2 ;;
        --replicas) REPLICAS=$2; shift 2 ;;
        --bind) BIND=$2; shift 2 ;;
        --) shift; EXTRA=("$@"); break ;;
        -h|--help) awk 'NR > 1 { if (/^#/) { sub(/^# ?/, ""); print } else exit }' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

bash scripts/test.sh --run-deps-only
[[ -f build/build.ninja ]] || { rm -rf build; meson setup build; }
ninja -C build server/keel-server     # the server only: tests are built by scripts/test.sh

[[ $REPLICAS =~ ^[0-9]+$ ]] || { echo "run.sh: --replicas must be a number" >&2; exit 2; }
bash deploy/local-cluster.sh start --replicas "$REPLICAS" --port "$PORT" --bind "$BIND" \
    -- "${EXTRA[@]}"

pid_of() { cat ".run/node-$1/keel-server.pid"; }
echo
if ((REPLICAS == 0)); then
    echo "keel-server is running on $BIND:$PORT (pid $(pid_of "$PORT"))."
else
    echo "keel-server primary and $REPLICAS replica(s) are running:"
fi
echo "  primary  $BIND:$PORT (pid $(pid_of "$PORT"))   connect: redis-cli -h $BIND -p $PORT"
for ((n = 1; n <= REPLICAS; n++)); do
    p=$((PORT + n))
    echo "  replica  $BIND:$p (pid $(pid_of "$p"))   connect: redis-cli -h $BIND -p $p" \
         "  (read-only, replica of $BIND:$PORT)"
done
cat <<MSG
  logs:     $ROOT/.run/node-<port>/server.log
  status:   bash deploy/local-cluster.sh status      (role, replication offset and lag)
  stop:     bash deploy/local-cluster.sh stop
            (or: kill \$(cat $ROOT/.run/node-<port>/keel-server.pid) for each node)
MSG
