#!/usr/bin/env bash
# scripts/run.sh -- Keel's run command: install missing dependencies, build, and start one
# keel-server in the background on 127.0.0.1:6379 (or --port) through deploy/local-cluster.sh.
# The node's files (server.log, stdout.log, keel-server.pid) are in .run/node-<port>/.
#
# Note: Debian's redis-server package starts a Redis on 6379 where systemd runs; then use
# --port or `systemctl stop redis-server`.
# Usage: sudo bash scripts/run.sh [--port P] [--bind ADDR] [-- SERVER_ARGS...]
#   SERVER_ARGS are Redis parameter names, e.g.  -- --maxmemory 1gb --requirepass secret
# Stop it with:  bash deploy/local-cluster.sh stop --port P
# SPDX-License-Identifier: BSD-3-Clause
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

PORT=6379; BIND=127.0.0.1; EXTRA=()
while (($#)); do
    case $1 in
        --port) PORT=$2; shift 2 ;;
        --bind) BIND=$2; shift 2 ;;
        --) shift; EXTRA=("$@"); break ;;
        -h|--help) awk 'NR > 1 { if (/^#/) { sub(/^# ?/, ""); print } else exit }' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

bash scripts/test.sh --run-deps-only
[[ -f build/build.ninja ]] || { rm -rf build; meson setup build; }
ninja -C build server/keel-server     # the server only: tests are built by scripts/test.sh

bash deploy/local-cluster.sh start --nodes 1 --port "$PORT" --bind "$BIND" -- "${EXTRA[@]}"

cat <<MSG

keel-server is running on $BIND:$PORT (pid $(cat ".run/node-$PORT/keel-server.pid")).
  connect:  redis-cli -h $BIND -p $PORT ping
  log:      $ROOT/.run/node-$PORT/server.log
  status:   bash deploy/local-cluster.sh status --port $PORT
  stop:     bash deploy/local-cluster.sh stop --port $PORT
            (or: kill \$(cat $ROOT/.run/node-$PORT/keel-server.pid))
MSG
