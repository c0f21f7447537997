# test_hll.py -- HyperLogLog commands (PFADD, PFCOUNT, PFMERGE, PFDEBUG): replies, errors,
# keyspace events, and compatibility with Redis's representation: the same inputs give the
# same PFCOUNT and the same bytes as a reference Redis 7.0 (redis_ref), and an HLL written
# by Redis (GET there, SET here) is read and updated identically.
# SPDX-License-Identifier: BSD-3-Clause

import time

import pytest
import redis

from conftest import ErrorReply

WRONGTYPE = b"WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_HLL = b"WRONGTYPE Key is not a valid HyperLogLog string value."
CORRUPT = b"INVALIDOBJ Corrupted HLL object detected"


@pytest.fixture
def c(r, raw):
    return raw()


def fill(cl, key, prefix, n, batch=1000):
    for i in range(0, n, batch):
        cl.pfadd(key, *["%s%d" % (prefix, j) for j in range(i, min(n, i + batch))])


def test_pfadd_pfcount_basic(c):
    assert c.cmd("PFCOUNT", "h") == 0
    assert c.cmd("PFADD", "h") == 1                  # creates the key
    assert c.cmd("PFADD", "h") == 0
    assert c.cmd("GET", "h")[:4] == b"HYLL"
    assert c.cmd("PFADD", "h", "a", "b", "c") == 1
    assert c.cmd("PFADD", "h", "a", "b") == 0
    assert c.cmd("PFCOUNT", "h") == 3
    assert c.cmd("PFADD", "h2", "c", "d") == 1
    assert c.cmd("PFCOUNT", "h", "h2", "missing") == 4
    assert c.cmd("PFCOUNT", "h") == 3
    assert c.cmd("PFDEBUG", "ENCODING", "h") == b"sparse"
    assert c.cmd("TYPE", "h") == b"string"


def test_pfmerge(c):
    c.cmd("PFADD", "a", "1", "2", "3")
    c.cmd("PFADD", "b", "3", "4")
    assert c.cmd("PFMERGE", "d", "a", "b") == b"OK"
    assert c.cmd("PFCOUNT", "d") == 4
    assert c.cmd("PFMERGE", "a", "b") == b"OK"       # destination is also a source
    assert c.cmd("PFCOUNT", "a") == 4
    assert c.cmd("PFMERGE", "e") == b"OK"             # no sources: empty HLL
    assert c.cmd("PFCOUNT", "e") == 0
    assert c.cmd("PFDEBUG", "ENCODING", "e") == b"sparse"
    assert c.cmd("STRLEN", "e") == 18


def test_errors(c):
    c.cmd("SET", "s", "not an hll")
    c.cmd("SET", "i", "12345")
    c.cmd("PFADD", "h", "x")
    for key in ("s", "i"):
        assert c.cmd("PFADD", key, "a") == NOT_HLL
        assert c.cmd("PFCOUNT", key) == NOT_HLL
        assert c.cmd("PFCOUNT", "h", key) == NOT_HLL
        assert c.cmd("PFMERGE", "h", key) == NOT_HLL
        assert c.cmd("PFMERGE", key, "h") == NOT_HLL
    rep = c.cmd("RPUSH", "l", "a")
    if not (isinstance(rep, ErrorReply) and rep.startswith(b"ERR unknown command")):
        assert c.cmd("PFADD", "l", "a") == WRONGTYPE
        assert c.cmd("PFCOUNT", "l") == WRONGTYPE
        assert c.cmd("PFCOUNT", "h", "l") == WRONGTYPE
    assert c.cmd("PFADD") == b"ERR wrong number of arguments for 'pfadd' command"
    assert c.cmd("PFDEBUG", "GETREG", "missing") == b"ERR The specified key does not exist"
    assert c.cmd("PFDEBUG", "NOPE", "h") == b"ERR Unknown PFDEBUG subcommand 'NOPE'"


def test_corrupt_values(c, redis_ref):
    ref = redis_ref.client()
    ref.delete("src")
    fill(ref, "src", "c", 100)
    good = ref.get("src")
    ref.execute_command("PFDEBUG", "TODENSE", "src")
    dense = ref.get("src")
    ref.close()
    assert good[4] == 1 and dense[4] == 0 and len(dense) == 16 + 12288
    cases = {
        b"HYLL": NOT_HLL,                              # shorter than the header
        b"HYLX" + good[4:]: NOT_HLL,                   # bad magic
        good[:4] + b"\x02" + good[5:]: NOT_HLL,        # unknown encoding
        dense[:-1]: NOT_HLL,                           # dense with a wrong size
        good[:-1]: CORRUPT,                            # sparse runs do not cover 16384
        good + b"\x7f\xff": CORRUPT,                   # sparse runs past 16384
    }
    for val, err in cases.items():
        c.cmd("SET", "c", val)
        assert c.cmd("PFCOUNT", "c") == err
        assert c.cmd("PFCOUNT", "c", "missing") == err
        assert c.cmd("PFMERGE", "d", "c") == err
    # PFADD only walks the opcodes it needs: the outcome is whatever Redis does
    ref = redis_ref.client()
    for val in (good[:-1], good + b"\x7f\xff", good[:17]):
        ref.set("c", val)
        c.cmd("SET", "c", val)
        for i in range(0, 400, 50):
            els = ["e%d" % j for j in range(i, i + 50)]
            try:
                want = ref.pfadd("c", *els)
            except redis.ResponseError as e:
                want = str(e).encode()
            assert c.cmd("PFADD", "c", *els) == want
        got, want = c.cmd("GET", "c"), ref.get("c")
        assert got == want
    ref.close()


@pytest.mark.parametrize("n", [1000, 100000])
def test_counts_and_bytes_equal_redis(r, redis_ref, n):
    ref = redis_ref.client()
    ref.delete("h", "g", "m")
    fill(r, "h", "el", n)
    fill(ref, "h", "el", n)
    assert r.pfcount("h") == ref.pfcount("h")
    assert abs(r.pfcount("h") - n) < n * 0.03
    assert r.get("h") == ref.get("h")                 # identical representation
    fill(r, "g", "other", n // 2)
    fill(ref, "g", "other", n // 2)
    assert r.pfcount("h", "g") == ref.pfcount("h", "g")
    r.pfmerge("m", "h", "g")
    ref.pfmerge("m", "h", "g")
    assert r.pfcount("m") == ref.pfcount("m")
    assert r.get("m") == ref.get("m")
    ref.close()


def test_incremental_promotion_matches_redis(r, redis_ref):
    """Single adds through the sparse -> dense promotion keep the bytes equal to Redis."""
    ref = redis_ref.client()
    ref.delete("p")
    promoted = False
    for i in range(3000):
        r.pfadd("p", "x%d" % i)
        ref.pfadd("p", "x%d" % i)
        if i % 50 == 0 or not promoted:
            assert r.get("p") == ref.get("p"), i
        enc = r.execute_command("PFDEBUG", "ENCODING", "p")
        promoted = enc == b"dense"
    assert promoted
    assert r.strlen("p") == 16 + 12288
    assert r.pfcount("p") == ref.pfcount("p")
    ref.close()


def test_sparse_max_bytes_config(r):
    r.config_set("hll-sparse-max-bytes", "100")
    try:
        fill(r, "h", "y", 200)
        assert r.execute_command("PFDEBUG", "ENCODING", "h") == b"dense"
    finally:
        r.config_set("hll-sparse-max-bytes", "3000")


def test_redis_written_hll_in_keel(r, redis_ref):
    ref = redis_ref.client()
    for n, key in ((50, "small"), (20000, "big")):
        ref.delete(key)
        fill(ref, key, "v", n)
        ref.pfcount(key)                              # cached cardinality in the header
        val = ref.get(key)
        r.set(key, val)
        assert r.pfcount(key) == ref.pfcount(key)
        assert r.pfcount(key, "missing") == ref.pfcount(key, "missing")
        r.pfadd(key, "new1", "new2")
        ref.pfadd(key, "new1", "new2")
        assert r.pfcount(key) == ref.pfcount(key)
        assert r.get(key) == ref.get(key)
    ref.close()


def test_pfdebug(c, redis_ref):
    c.cmd("PFADD", "h", "hello", "a")
    regs = c.cmd("PFDEBUG", "GETREG", "h")
    assert len(regs) == 16384
    assert regs[9216] == 1 and regs[12711] == 2 and sum(regs) == 3
    assert c.cmd("PFDEBUG", "ENCODING", "h") == b"dense"   # GETREG converts, like Redis
    assert c.cmd("PFDEBUG", "TODENSE", "h") == 0
    assert c.cmd("PFDEBUG", "DECODE", "h") == b"ERR HLL encoding is not sparse"
    c.cmd("PFADD", "s", "hello")
    assert c.cmd("PFDEBUG", "DECODE", "s") == b"Z:9216 v:1,1 Z:7167"
    assert c.cmd("PFDEBUG", "TODENSE", "s") == 1
    assert c.cmd("PFCOUNT", "s") == 1


def test_keyspace_events(r):
    r.config_set("notify-keyspace-events", "KEA")
    p = r.pubsub()
    p.psubscribe("__keyevent@0__:*")
    p.get_message(timeout=1)
    r.pfadd("h", "a")
    r.pfadd("h", "a")                                 # unchanged: no event
    r.pfcount("h")
    r.pfmerge("m", "h")                               # Redis reports PFMERGE as "pfadd"
    r.set("__end__", "1")
    events = []
    deadline = time.time() + 5
    while time.time() < deadline:
        m = p.get_message(timeout=0.5)
        if not m or m["type"] != "pmessage":
            continue
        if m["data"] == b"__end__":
            break
        events.append((m["channel"].split(b":", 1)[1], m["data"]))
    p.close()
    r.config_set("notify-keyspace-events", "")
    assert events == [(b"pfadd", b"h"), (b"pfadd", b"m")]


def test_pfcount_breaks_watch_when_caching(r, server):
    """PFCOUNT storing a fresh cardinality modifies the key (Redis signals it)."""
    r.pfadd("h", "a", "b")
    w = server.client()
    pipe = w.pipeline()
    pipe.watch("h")
    r.pfcount("h")
    pipe.multi()
    pipe.get("h")
    with pytest.raises(redis.WatchError):
        pipe.execute()
    pipe.reset()
    pipe.watch("h")
    r.pfcount("h")                                    # cache valid now: nothing modified
    pipe.multi()
    pipe.pfcount("h")
    assert pipe.execute() == [2]
    w.close()
