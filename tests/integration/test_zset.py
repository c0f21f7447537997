# test_zset.py -- sorted set commands against Redis 7.0 and keel: replies and errors of every
# command, WRONGTYPE, score/lex ranges with LIMIT/REV, WITHSCORES in RESP2 and RESP3, NaN
# errors, encodings and conversion, set inputs for ZUNION/ZINTER, blocking pops and ZSCAN.
# SPDX-License-Identifier: BSD-3-Clause

import threading
import time

import pytest
import redis


def b(r, *args):
    """Exact RESP bytes of a command's reply."""
    return r.cmd_bytes(*args)


def test_zadd_flags_and_errors(r, raw):
    c = raw()
    assert b(c, "ZADD", "z", "1", "a", "2", "b") == b":2\r\n"
    assert b(c, "ZADD", "z", "CH", "5", "a", "3", "c") == b":2\r\n"
    assert b(c, "ZADD", "z", "NX", "9", "a") == b":0\r\n"
    assert b(c, "ZADD", "z", "XX", "9", "new") == b":0\r\n"
    assert b(c, "ZADD", "z", "GT", "CH", "1", "a") == b":0\r\n"
    assert b(c, "ZADD", "z", "LT", "CH", "1", "a") == b":1\r\n"
    assert b(c, "ZADD", "z", "INCR", "2.5", "a") == b"$3\r\n3.5\r\n"
    assert b(c, "ZADD", "z", "INCR", "NX", "1", "a") == b"$-1\r\n"
    assert b(c, "ZADD", "z", "XX", "NX", "1", "a") == \
        b"-ERR XX and NX options at the same time are not compatible\r\n"
    assert b(c, "ZADD", "z", "GT", "LT", "1", "a") == \
        b"-ERR GT, LT, and/or NX options at the same time are not compatible\r\n"
    assert b(c, "ZADD", "z", "INCR", "1", "a", "2", "b") == \
        b"-ERR INCR option supports a single increment-element pair\r\n"
    assert b(c, "ZADD", "z", "1", "a", "2") == b"-ERR syntax error\r\n"
    assert b(c, "ZADD", "z", "x", "a") == b"-ERR value is not a valid float\r\n"
    assert b(c, "ZADD", "z", "nan", "a") == b"-ERR value is not a valid float\r\n"
    assert b(c, "ZADD", "z", "inf", "a") == b":0\r\n"
    assert b(c, "ZINCRBY", "z", "-inf", "a") == \
        b"-ERR resulting score is not a number (NaN)\r\n"
    assert b(c, "ZSCORE", "z", "a") == b"$3\r\ninf\r\n"
    assert b(c, "ZADD", "nokey", "XX", "1", "a") == b":0\r\n"
    assert b(c, "EXISTS", "nokey") == b":0\r\n"
    assert b(c, "ZINCRBY", "z", "x", "a") == b"-ERR value is not a valid float\r\n"


def test_wrongtype(r, raw):
    c = raw()
    r.set("s", "x")
    wt = b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
    for args in (("ZADD", "s", "1", "a"), ("ZRANGE", "s", "0", "-1"), ("ZCARD", "s"),
                 ("ZSCORE", "s", "a"), ("ZPOPMIN", "s"), ("ZRANDMEMBER", "s"),
                 ("ZUNION", "1", "s"), ("ZSCAN", "s", "0"), ("ZREM", "s", "a"),
                 ("ZMPOP", "2", "nokey", "s", "MIN"), ("BZPOPMIN", "s", "0.01"),
                 ("ZCOUNT", "s", "0", "1"), ("ZRANK", "s", "a")):
        assert b(c, *args) == wt, args


def test_reads(r, raw):
    c = raw()
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 3})
    assert b(c, "ZCARD", "z") == b":4\r\n"
    assert b(c, "ZCARD", "nokey") == b":0\r\n"
    assert b(c, "ZMSCORE", "z", "a", "zz", "c") == b"*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n3\r\n"
    assert b(c, "ZRANK", "z", "c") == b":2\r\n"
    assert b(c, "ZREVRANK", "z", "c") == b":1\r\n"
    assert b(c, "ZRANK", "z", "zz") == b"$-1\r\n"
    assert b(c, "ZCOUNT", "z", "(1", "3") == b":3\r\n"
    assert b(c, "ZCOUNT", "z", "(3", "3") == b":0\r\n"
    assert b(c, "ZCOUNT", "z", "x", "3") == b"-ERR min or max is not a float\r\n"
    assert b(c, "ZLEXCOUNT", "z", "-", "+") == b":4\r\n"
    assert b(c, "ZLEXCOUNT", "z", "a", "+") == \
        b"-ERR min or max not valid string range item\r\n"


def test_zrange_variants(r, raw):
    c = raw()
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    arr = lambda *xs: b"*%d\r\n" % len(xs) + b"".join(b"$%d\r\n%s\r\n" % (len(x), x) for x in xs)
    assert b(c, "ZRANGE", "z", "1", "-2") == arr(b"b", b"c", b"d")
    assert b(c, "ZRANGE", "z", "0", "1", "WITHSCORES") == arr(b"a", b"1", b"b", b"2")
    assert b(c, "ZRANGE", "z", "0", "0", "REV") == arr(b"e")
    assert b(c, "ZRANGE", "z", "5", "10") == b"*0\r\n"
    assert b(c, "ZRANGE", "z", "(1", "4", "BYSCORE", "LIMIT", "1", "2") == arr(b"c", b"d")
    assert b(c, "ZRANGE", "z", "+inf", "(2", "BYSCORE", "REV") == arr(b"e", b"d", b"c")
    assert b(c, "ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "-1", "2") == b"*0\r\n"
    assert b(c, "ZRANGE", "z", "-inf", "+inf", "BYSCORE", "LIMIT", "3", "-1") == arr(b"d", b"e")
    assert b(c, "ZRANGE", "z", "[b", "(d", "BYLEX") == arr(b"b", b"c")
    assert b(c, "ZRANGE", "z", "+", "-", "BYLEX", "REV", "LIMIT", "0", "2") == arr(b"e", b"d")
    assert b(c, "ZRANGE", "z", "0", "1", "LIMIT", "0", "1") == (
        b"-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or "
        b"BYLEX\r\n")
    assert b(c, "ZRANGE", "z", "-", "+", "BYLEX", "WITHSCORES") == \
        b"-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n"
    assert b(c, "ZRANGE", "z", "x", "1", "BYSCORE") == b"-ERR min or max is not a float\r\n"
    assert b(c, "ZRANGE", "z", "x", "1", "BYLEX") == \
        b"-ERR min or max not valid string range item\r\n"
    assert b(c, "ZRANGE", "z", "0", "1", "REV", "REV") == b"-ERR syntax error\r\n"
    assert b(c, "ZREVRANGE", "z", "0", "1", "WITHSCORES") == arr(b"e", b"5", b"d", b"4")
    assert b(c, "ZRANGEBYSCORE", "z", "2", "3", "WITHSCORES") == arr(b"b", b"2", b"c", b"3")
    assert b(c, "ZREVRANGEBYSCORE", "z", "3", "-inf", "LIMIT", "1", "5") == arr(b"b", b"a")
    assert b(c, "ZRANGEBYLEX", "z", "(a", "[c") == arr(b"b", b"c")
    assert b(c, "ZREVRANGEBYLEX", "z", "[c", "-") == arr(b"c", b"b", b"a")
    assert b(c, "ZRANGE", "nokey", "0", "-1") == b"*0\r\n"
    assert b(c, "ZRANGESTORE", "dst", "z", "(1", "3", "BYSCORE") == b":2\r\n"
    assert r.zrange("dst", 0, -1, withscores=True) == [(b"b", 2.0), (b"c", 3.0)]
    assert b(c, "ZRANGESTORE", "dst", "z", "10", "20") == b":0\r\n"
    assert r.exists("dst") == 0


def test_resp3_shapes(r, raw):
    c = raw()
    c.cmd("HELLO", "3")
    r.zadd("z", {"a": 1, "b": 2.5})
    assert b(c, "ZRANGE", "z", "0", "-1", "WITHSCORES") == \
        b"*2\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n"
    assert b(c, "ZSCORE", "z", "b") == b",2.5\r\n"
    assert b(c, "ZSCORE", "z", "x") == b"_\r\n"
    assert b(c, "ZINCRBY", "z", "1", "a") == b",2\r\n"
    assert b(c, "ZUNION", "1", "z", "WITHSCORES") == \
        b"*2\r\n*2\r\n$1\r\na\r\n,2\r\n*2\r\n$1\r\nb\r\n,2.5\r\n"
    assert b(c, "ZRANDMEMBER", "z", "1", "WITHSCORES")[:6] == b"*1\r\n*2"
    assert b(c, "ZPOPMIN", "z") == b"*2\r\n$1\r\na\r\n,2\r\n"
    assert b(c, "ZPOPMIN", "z", "1") == b"*1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n"
    assert b(c, "ZPOPMIN", "nokey") == b"*0\r\n"
    assert b(c, "ZMPOP", "1", "nokey", "MIN") == b"_\r\n"
    r.zadd("z", {"a": 1})
    assert b(c, "ZMPOP", "1", "z", "MAX") == b"*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,1\r\n"
    r.zadd("z", {"a": 1})
    assert b(c, "ZSCAN", "z", "0") == b"*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"


def test_pops_and_removals(r, raw):
    c = raw()
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    assert b(c, "ZPOPMIN", "z", "2") == b"*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"
    assert b(c, "ZPOPMAX", "z") == b"*2\r\n$1\r\ne\r\n$1\r\n5\r\n"
    assert b(c, "ZPOPMIN", "z", "-1") == b"-ERR value is out of range, must be positive\r\n"
    assert b(c, "ZPOPMIN", "z", "0") == b"*0\r\n"
    assert b(c, "ZMPOP", "0", "z", "MIN") == b"-ERR numkeys should be greater than 0\r\n"
    assert b(c, "ZMPOP", "1", "z", "MIN", "COUNT", "0") == \
        b"-ERR count should be greater than 0\r\n"
    assert b(c, "ZMPOP", "1", "z", "FOO") == b"-ERR syntax error\r\n"
    assert b(c, "ZMPOP", "2", "nokey", "z", "MIN", "COUNT", "10") == \
        b"*2\r\n$1\r\nz\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n"
    assert r.exists("z") == 0
    assert b(c, "ZMPOP", "1", "z", "MIN") == b"*-1\r\n"
    r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5})
    assert b(c, "ZREM", "z", "a", "zz", "a") == b":1\r\n"
    assert b(c, "ZREMRANGEBYRANK", "z", "-1", "-1") == b":1\r\n"
    assert b(c, "ZREMRANGEBYSCORE", "z", "(2", "+inf") == b":2\r\n"
    assert b(c, "ZREMRANGEBYLEX", "z", "-", "+") == b":1\r\n"
    assert r.exists("z") == 0
    assert b(c, "ZREMRANGEBYRANK", "z", "a", "1") == \
        b"-ERR value is not an integer or out of range\r\n"


def test_set_operations(r, raw):
    c = raw()
    r.zadd("z1", {"a": 1, "b": 2, "c": 3})
    r.zadd("z2", {"b": 10, "c": 20, "d": 30})
    r.sadd("s", "a", "d")
    assert r.zunion(["z1", "z2"], withscores=True) == \
        [(b"a", 1.0), (b"b", 12.0), (b"c", 23.0), (b"d", 30.0)]
    assert r.zinter(["z1", "z2"], aggregate="MAX", withscores=True) == \
        [(b"b", 10.0), (b"c", 20.0)]
    assert r.zinter({"z1": 2, "z2": 0.5}, aggregate="MIN", withscores=True) == \
        [(b"b", 4.0), (b"c", 6.0)]
    assert r.zdiff(["z1", "z2"], withscores=True) == [b"a", b"1"]
    assert r.zunion(["z1", "s"], withscores=True) == \
        [(b"d", 1.0), (b"b", 2.0), (b"a", 2.0), (b"c", 3.0)] or \
        r.zunion(["z1", "s"], withscores=True) == \
        [(b"d", 1.0), (b"a", 2.0), (b"b", 2.0), (b"c", 3.0)]
    assert b(c, "ZINTERCARD", "2", "z1", "z2") == b":2\r\n"
    assert b(c, "ZINTERCARD", "2", "z1", "z2", "LIMIT", "1") == b":1\r\n"
    assert b(c, "ZINTERCARD", "1", "z1", "LIMIT", "-1") == b"-ERR LIMIT can't be negative\r\n"
    assert b(c, "ZUNION", "0", "z1") == \
        b"-ERR at least 1 input key is needed for 'zunion' command\r\n"
    assert b(c, "ZUNIONSTORE", "d", "0", "z1") == \
        b"-ERR at least 1 input key is needed for 'zunionstore' command\r\n"
    assert b(c, "ZUNION", "3", "z1") == b"-ERR syntax error\r\n"
    assert b(c, "ZDIFF", "1", "z1", "WEIGHTS", "1") == b"-ERR syntax error\r\n"
    assert b(c, "ZUNION", "1", "z1", "WEIGHTS", "x") == b"-ERR weight value is not a float\r\n"
    assert b(c, "ZUNION", "1", "z1", "AGGREGATE", "avg") == b"-ERR syntax error\r\n"
    assert b(c, "ZUNIONSTORE", "out", "2", "z1", "z2", "WEIGHTS", "1", "2") == b":4\r\n"
    assert r.zscore("out", "c") == 43.0
    assert r.object("encoding", "out") == b"listpack"
    assert b(c, "ZINTERSTORE", "out", "2", "z1", "nokey") == b":0\r\n"
    assert r.exists("out") == 0
    assert b(c, "ZDIFFSTORE", "out", "2", "z2", "z1") == b":1\r\n"
    # inf * 0 weight is NaN, taken as 0; inf + -inf under SUM is 0
    r.zadd("i1", {"x": float("inf")})
    r.zadd("i2", {"x": float("-inf")})
    assert r.zunion({"i1": 0}, withscores=True) == [(b"x", 0.0)]
    assert r.zunion(["i1", "i2"], withscores=True) == [(b"x", 0.0)]


def test_encoding_conversion(r, raw):
    c = raw()
    old = r.config_get("zset-max-listpack-*")
    try:
        r.config_set("zset-max-listpack-entries", 4)
        r.config_set("zset-max-listpack-value", 8)
        r.zadd("z", {"a": 1, "b": 2, "c": 3, "d": 4})
        assert r.object("encoding", "z") == b"listpack"
        r.zadd("z", {"e": 5})
        assert r.object("encoding", "z") == b"skiplist"
        r.zrem("z", "a", "b", "c")
        assert r.object("encoding", "z") == b"skiplist"
        r.zadd("y", {"12345678": 1})
        assert r.object("encoding", "y") == b"listpack"
        r.zadd("y", {"123456789": 1})
        assert r.object("encoding", "y") == b"skiplist"
        r.zadd("w", {"123456789": 1})
        assert r.object("encoding", "w") == b"skiplist"
        assert r.zrange("y", 0, -1, withscores=True) == [(b"12345678", 1.0), (b"123456789", 1.0)]
        assert b(c, "ZRANGE", "z", "(4", "+inf", "BYSCORE") == b"*1\r\n$1\r\ne\r\n"
    finally:
        for k, v in old.items():
            r.config_set(k, v)


def test_large_set_ranges(r):
    members = {"m%03d" % i: i % 17 for i in range(300)}
    r.zadd("z", members)
    assert r.object("encoding", "z") == b"skiplist"
    expect = sorted(members.items(), key=lambda kv: (kv[1], kv[0]))
    assert [m.decode() for m in r.zrange("z", 0, -1)] == [k for k, _ in expect]
    assert r.zcount("z", 3, "(5") == sum(1 for v in members.values() if 3 <= v < 5)
    assert r.zrank("z", expect[150][0]) == 150
    assert r.zrevrank("z", expect[150][0]) == 149
    assert r.zremrangebyscore("z", 0, 0) == sum(1 for v in members.values() if v == 0)
    assert r.zcard("z") == 300 - sum(1 for v in members.values() if v == 0)


def test_zrandmember(r, raw):
    c = raw()
    r.zadd("z", {"a": 1, "b": 2, "c": 3})
    assert r.zrandmember("z") in (b"a", b"b", b"c")
    assert sorted(r.zrandmember("z", 10)) == [b"a", b"b", b"c"]
    got = r.zrandmember("z", 2)
    assert len(got) == 2 and len(set(got)) == 2
    assert len(r.zrandmember("z", -7)) == 7
    assert b(c, "ZRANDMEMBER", "z", "0") == b"*0\r\n"
    assert b(c, "ZRANDMEMBER", "nokey") == b"$-1\r\n"
    assert b(c, "ZRANDMEMBER", "nokey", "5") == b"*0\r\n"
    assert b(c, "ZRANDMEMBER", "z", "1", "x") == b"-ERR syntax error\r\n"
    assert b(c, "ZRANDMEMBER", "z", "x") == b"-ERR value is not an integer or out of range\r\n"
    assert b(c, "ZRANDMEMBER", "z", "-3", "WITHSCORES")[:4] == b"*6\r\n"


def test_zscan(r, raw):
    c = raw()
    r.zadd("small", {"a": 1, "b": 2.5})
    assert b(c, "ZSCAN", "small", "0", "MATCH", "b*") == \
        b"*2\r\n$1\r\n0\r\n*2\r\n$1\r\nb\r\n$3\r\n2.5\r\n"
    assert b(c, "ZSCAN", "small", "0", "COUNT", "0") == b"-ERR syntax error\r\n"
    assert b(c, "ZSCAN", "small", "x") == b"-ERR invalid cursor\r\n"
    assert b(c, "ZSCAN", "nokey", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"
    members = {"m%d" % i: i for i in range(500)}
    r.zadd("big", members)
    seen, cursor = {}, 0
    while True:
        cursor, items = r.zscan("big", cursor, count=20)
        seen.update({k.decode(): v for k, v in items})
        if cursor == 0:
            break
    assert seen == {k: float(v) for k, v in members.items()}


def test_keyspace_events(r, server):
    r.config_set("notify-keyspace-events", "KEA")
    try:
        p = r.pubsub()
        p.psubscribe("__keyevent@0__:*")
        p.get_message(timeout=1)
        r.zadd("z", {"a": 1, "b": 2})
        r.zincrby("z", 1, "a")
        r.zrem("z", "a")
        r.zpopmin("z")
        events = []
        deadline = time.time() + 2
        while len(events) < 5 and time.time() < deadline:
            m = p.get_message(timeout=0.2)
            if m and m["type"] == "pmessage":
                events.append(m["channel"].decode().split(":", 1)[1])
        assert events == ["zadd", "zincr", "zrem", "zpopmin", "del"]
        p.close()
    finally:
        r.config_set("notify-keyspace-events", "")


def test_bzpopmin_blocking(r, server):
    results = {}

    def waiter(name, delay):
        time.sleep(delay)
        c = server.client(decode_responses=False)
        results[name] = c.bzpopmin(["zb", "other"], timeout=5)
        c.close()

    threads = [threading.Thread(target=waiter, args=("w1", 0)),
               threading.Thread(target=waiter, args=("w2", 0.2))]
    for t in threads:
        t.start()
    time.sleep(0.6)
    r.zadd("zb", {"x": 1, "y": 2})
    for t in threads:
        t.join(10)
    # FIFO: the first client to block gets the lowest member
    assert results["w1"] == (b"zb", b"x", 1.0)
    assert results["w2"] == (b"zb", b"y", 2.0)
    assert r.exists("zb") == 0


def test_blocking_timeouts_and_errors(r, raw):
    c = raw()
    t0 = time.time()
    assert b(c, "BZPOPMIN", "nokey", "0.1") == b"*-1\r\n"
    assert b(c, "BZMPOP", "0.1", "1", "nokey", "MIN") == b"*-1\r\n"
    assert time.time() - t0 >= 0.15
    assert b(c, "BZPOPMIN", "nokey", "-1") == b"-ERR timeout is negative\r\n"
    assert b(c, "BZPOPMIN", "nokey", "x") == b"-ERR timeout is not a float or out of range\r\n"
    r.zadd("z", {"a": 1, "b": 2})
    assert b(c, "BZPOPMAX", "nokey", "z", "0") == b"*3\r\n$1\r\nz\r\n$1\r\nb\r\n$1\r\n2\r\n"
    assert b(c, "BZMPOP", "0", "1", "z", "MIN", "COUNT", "5") == \
        b"*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    # inside MULTI a blocking pop does not block
    assert c.cmd("MULTI") == b"OK" or c.cmd is not None
    c.cmd("BZPOPMIN", "nokey", "0")
    assert b(c, "EXEC") == b"*1\r\n*-1\r\n"
