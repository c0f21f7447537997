#!/bin/sh
# make_fixtures.sh -- regenerate the RDB fixtures of tests/unit/test_rdb.c with a real
# redis-server 7.0.15: fills a server with every value type and encoding, SAVEs, copies
# dump.rdb here as redis-7.0.15.rdb and writes the expected content to redis-7.0.15.txt.
# Usage: tests/unit/rdb/make_fixtures.sh [port]   (default port 25100)
# SPDX-License-Identifier: BSD-3-Clause
set -eu
PORT=${1:-25100}
HERE=$(cd "$(dirname "$0")" && pwd)
TMP=$(mktemp -d)
redis-server --port "$PORT" --bind 127.0.0.1 --dir "$TMP" --dbfilename dump.rdb \
    --save '' --appendonly no --daemonize no --enable-debug-command yes \
    --rdbcompression yes --rdbchecksum yes >"$TMP/log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$TMP"' EXIT
i=0
until redis-cli -p "$PORT" ping >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -lt 50 ] || { echo "redis-server did not start" >&2; exit 1; }
    sleep 0.1
done
/usr/bin/python3 - "$PORT" "$HERE/redis-7.0.15.txt" <<'PY'
import sys, redis
port, out = int(sys.argv[1]), sys.argv[2]
r = redis.Redis(port=port)
T = 4102444800000  # 2100-01-01, absolute expiry written as EXPIRETIME_MS
r.config_set('list-max-listpack-size', 4)
r.config_set('hash-max-listpack-entries', 128)
# packed (listpack) entries needing 2- and 3-byte back lengths, before lowering the
# plain-node threshold
r.rpush(b'list:bigpacked', b'M' * 150, b'N' * 20000, b'7')
r.execute_command('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', 200)
db0 = r
# strings: int encodings (8/16/32 bit), int beyond 32 bits, short, empty, binary, long,
# compressible (LZF), numeric-looking but non canonical
for k, v in [(b'int8', b'-100'), (b'int16', b'30000'), (b'int32', b'-2000000000'),
             (b'int64', b'9223372036854775807'), (b'short', b'hello'), (b'empty', b''),
             (b'bin\x00key\xff', bytes(range(256))), (b'lead0', b'007'),
             (b'long', bytes((i * 7919) % 251 for i in range(5000))),
             (b'lzf', b'abcabcabc' * 300 + b'tail'), (b'lzfbig', b'x' * 20000)]:
    db0.set(k, v)
db0.set(b'ttl:str', b'soon', pxat=T)
# lists: small listpack node, multi-node quicklist, plain nodes, compressed nodes
db0.rpush(b'list:small', b'a', b'1', b'-5', b'')
db0.rpush(b'list:multi', *[str(i).encode() if i % 3 else b'e%d' % i for i in range(50)])
db0.rpush(b'list:plain', b'p' * 300, b'small', b'q' * 1000, b'7')
r.config_set('list-compress-depth', 1)
db0.rpush(b'list:compressed', *[b'item-%05d-' % i + b'z' * 40 for i in range(40)])
r.config_set('list-compress-depth', 0)
db0.rpush(b'ttl:list', b'x')
db0.pexpireat(b'ttl:list', T + 1000)
# sets: intset (16/32/64 bit), hashtable (strings), big intset -> hashtable
db0.sadd(b'set:int16', 1, 2, 3, -7)
db0.sadd(b'set:int32', 1, 100000, -100000)
db0.sadd(b'set:int64', 1, 1 << 40, -(1 << 62))
db0.sadd(b'set:str', b'a', b'b', b'\x00\x01', b'')
db0.sadd(b'set:big', *range(600))
# zsets: listpack (int-like members, fractional / inf scores), skiplist (big), skiplist
# because of a long member
db0.zadd(b'zset:small', {b'a': 1, b'b': 2.5, b'100': -3, b'inf': float('inf'),
                         b'ninf': float('-inf'), b'tiny': 1e-300})
db0.zadd(b'zset:big', {b'm%d' % i: i / 7 for i in range(200)})
db0.zadd(b'zset:longmember', {b'L' * 100: 1, b's': 2})
# hashes: listpack, hashtable (many fields), hashtable (long value)
db0.hset(b'hash:small', mapping={b'f1': b'v1', b'n': b'12345', b'e': b'', b'neg': b'-1'})
db0.hset(b'hash:big', mapping={b'field%d' % i: b'value%d' % i for i in range(300)})
db0.hset(b'hash:longval', mapping={b'a': b'V' * 100, b'b': b'2'})
# other databases
r.execute_command('SELECT', 1)
r1 = redis.Redis(port=port, db=1)
r1.set(b'db1key', b'one')
r1.hset(b'db1hash', b'k', b'v')
r1.set(b'ttl:db1', b'x', pxat=T + 5)
r15 = redis.Redis(port=port, db=15)
r15.rpush(b'db15list', b'z')

def hx(b):
    return b.hex() if b else '-'

lines = []
for dbn in range(16):
    c = redis.Redis(port=port, db=dbn)
    for k in sorted(c.keys(b'*')):
        t = c.type(k).decode()
        enc = c.object('encoding', k).decode()
        ttl = c.pexpiretime(k) if hasattr(c, 'pexpiretime') else c.execute_command('PEXPIRETIME', k)
        if t == 'string':
            items = [hx(c.get(k))]
        elif t == 'list':
            items = [hx(x) for x in c.lrange(k, 0, -1)]
        elif t == 'set':
            items = [hx(x) for x in sorted(c.smembers(k))]
        elif t == 'hash':
            items = []
            for f, v in sorted(c.hgetall(k).items()):
                items += [hx(f), hx(v)]
        elif t == 'zset':
            items = []
            for m, s in c.zrange(k, 0, -1, withscores=True):
                items += [hx(m), repr(float(s))]
        lines.append(' '.join([str(dbn), t, enc, str(ttl), hx(k), str(len(items))] + items))
with open(out, 'w') as f:
    f.write('# db type encoding pexpiretime hexkey nitems items... ("-" = empty bytes;\n')
    f.write('# hash items are field value pairs sorted by field, set members sorted, zset\n')
    f.write('# member score pairs in rank order, list in order)\n')
    f.write('\n'.join(lines) + '\n')
r.save()
PY
cp "$TMP/dump.rdb" "$HERE/redis-7.0.15.rdb"
echo "wrote $HERE/redis-7.0.15.rdb and $HERE/redis-7.0.15.txt"
