# test_set.py -- the set commands (SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP
# SRANDMEMBER SMOVE SINTER SINTERCARD SUNION SDIFF and the STORE forms, SSCAN): replies,
# exact errors, encodings at set-max-intset-entries, random distributions, SSCAN iteration,
# RESP3 shapes and keyspace events, against Redis 7.0 and keel-server alike.
# SPDX-License-Identifier: BSD-3-Clause

import time

import pytest

from conftest import ErrorReply, Set

WRONGTYPE = b"WRONGTYPE Operation against a key holding the wrong kind of value"
SYNTAX = b"ERR syntax error"
NOT_INT = b"ERR value is not an integer or out of range"
POSITIVE = b"ERR value is out of range, must be positive"


@pytest.fixture
def c(r, raw):
    """A raw RESP2 connection to a flushed server (errors come back as ErrorReply)."""
    return raw()


@pytest.fixture
def c3(r, raw):
    conn = raw()
    conn.cmd("HELLO", "3")
    return conn


@pytest.fixture
def intset_max(c):
    """Restore set-max-intset-entries on the shared server after the test."""
    old = c.cmd("CONFIG", "GET", "set-max-intset-entries")[1]
    yield
    assert c.cmd("CONFIG", "SET", "set-max-intset-entries", old) == b"OK"


def members(c, key):
    return sorted(c.cmd("SMEMBERS", key))


def enc(c, key):
    return c.cmd("OBJECT", "ENCODING", key)


# ------------------------------------------------------------------ SADD SREM SCARD

def test_sadd_srem_scard(c):
    assert c.cmd("SADD", "s", "a", "b", "a", "c") == 3
    assert c.cmd("SADD", "s", "a", "d") == 1
    assert c.cmd("SCARD", "s") == 4
    assert c.cmd("SCARD", "nokey") == 0
    assert c.cmd("SREM", "s", "a", "zz", "a") == 1
    assert c.cmd("SREM", "nokey", "a") == 0
    assert members(c, "s") == [b"b", b"c", b"d"]
    assert c.cmd("SREM", "s", "b", "c", "d", "e") == 3
    assert c.cmd("EXISTS", "s") == 0
    assert c.cmd("TYPE", "s") == b"none"


def test_binary_and_empty_members(c):
    assert c.cmd("SADD", "s", "", "a\x00b", "a\r\nb") == 3
    assert c.cmd("SISMEMBER", "s", "") == 1
    assert c.cmd("SISMEMBER", "s", "a\x00b") == 1
    assert members(c, "s") == [b"", b"a\x00b", b"a\r\nb"]


def test_sismember_smismember(c):
    c.cmd("SADD", "s", "1", "x")
    assert c.cmd("SISMEMBER", "s", "1") == 1
    assert c.cmd("SISMEMBER", "s", "01") == 0
    assert c.cmd("SISMEMBER", "nokey", "1") == 0
    assert c.cmd("SMISMEMBER", "s", "1", "y", "x") == [1, 0, 1]
    assert c.cmd("SMISMEMBER", "nokey", "a", "b") == [0, 0]
    assert c.cmd("SMISMEMBER", "s") == \
        b"ERR wrong number of arguments for 'smismember' command"


def test_wrongtype_everywhere(c):
    c.cmd("SET", "str", "x")
    c.cmd("SADD", "s", "1")
    for args in [("SADD", "str", "a"), ("SREM", "str", "a"), ("SMEMBERS", "str"),
                 ("SISMEMBER", "str", "a"), ("SMISMEMBER", "str", "a"), ("SCARD", "str"),
                 ("SPOP", "str"), ("SPOP", "str", "0"), ("SRANDMEMBER", "str"),
                 ("SRANDMEMBER", "str", "0"), ("SMOVE", "str", "s", "1"),
                 ("SMOVE", "s", "str", "1"), ("SINTER", "s", "str"),
                 ("SINTER", "nokey", "str"), ("SUNION", "nokey", "str"),
                 ("SDIFF", "nokey", "str"), ("SINTERSTORE", "d", "nokey", "str"),
                 ("SUNIONSTORE", "d", "str"), ("SDIFFSTORE", "d", "s", "str"),
                 ("SINTERCARD", "2", "nokey", "str"), ("SSCAN", "str", "0")]:
        assert c.cmd(*args) == WRONGTYPE, args
    # No destination type check for the STORE forms: the string is replaced or deleted.
    assert c.cmd("SUNIONSTORE", "str", "s") == 1
    assert c.cmd("TYPE", "str") == b"set"
    c.cmd("SET", "str", "x")
    assert c.cmd("SINTERSTORE", "str", "nokey") == 0
    assert c.cmd("EXISTS", "str") == 0
    # SMOVE from a missing source answers 0 before looking at the destination's type.
    c.cmd("SET", "str", "x")
    assert c.cmd("SMOVE", "nokey", "str", "a") == 0


# ------------------------------------------------------------------ encodings

def test_intset_encoding_and_conversion(c, intset_max):
    c.cmd("SADD", "i", "1", "-5", "100000", "9223372036854775807")
    assert enc(c, "i") == b"intset"
    assert members(c, "i") == sorted([b"1", b"-5", b"100000", b"9223372036854775807"])
    c.cmd("SADD", "i", "abc")
    assert enc(c, "i") == b"hashtable"
    c.cmd("SADD", "nc", "01")            # not canonical: a string member
    assert enc(c, "nc") == b"hashtable"
    c.cmd("SADD", "nc2", "1", "+2")
    assert enc(c, "nc2") == b"hashtable"
    c.cmd("SADD", "t", "x")
    assert enc(c, "t") == b"hashtable"
    c.cmd("SREM", "i", "abc")            # never converts back
    assert enc(c, "i") == b"hashtable"


def test_intset_threshold(c, intset_max):
    assert c.cmd("CONFIG", "SET", "set-max-intset-entries", "4") == b"OK"
    c.cmd("SADD", "s", "1", "2", "3", "4")
    assert enc(c, "s") == b"intset"
    assert c.cmd("SADD", "s", "4") == 0
    assert enc(c, "s") == b"intset"
    c.cmd("SADD", "s", "5")
    assert enc(c, "s") == b"hashtable"
    c.cmd("SADD", "big", "1", "2", "3", "4", "5")
    assert enc(c, "big") == b"hashtable"
    assert c.cmd("CONFIG", "SET", "set-max-intset-entries", "0") == b"OK"
    c.cmd("SADD", "z", "1")
    assert enc(c, "z") == b"hashtable"


def test_store_result_encoding(c, intset_max):
    c.cmd("SADD", "a", "1", "2", "x")
    c.cmd("SADD", "b", "1", "2", "3")
    assert enc(c, "a") == b"hashtable"
    assert c.cmd("SINTERSTORE", "d", "a", "b") == 2
    assert enc(c, "d") == b"intset"
    assert c.cmd("SDIFFSTORE", "d", "a", "b") == 1
    assert enc(c, "d") == b"hashtable"
    assert c.cmd("CONFIG", "SET", "set-max-intset-entries", "2") == b"OK"
    assert c.cmd("SUNIONSTORE", "d", "b") == 3
    assert enc(c, "d") == b"hashtable"


# ------------------------------------------------------------------ SMOVE

def test_smove(c):
    c.cmd("SADD", "src", "a", "b", "1")
    c.cmd("SADD", "dst", "2")
    assert c.cmd("SMOVE", "src", "dst", "zz") == 0
    assert c.cmd("SMOVE", "src", "dst", "a") == 1
    assert members(c, "src") == [b"1", b"b"]
    assert members(c, "dst") == [b"2", b"a"]
    assert enc(c, "dst") == b"hashtable"
    assert c.cmd("SMOVE", "src", "new", "1") == 1
    assert enc(c, "new") == b"intset"
    assert c.cmd("SMOVE", "src", "src", "b") == 1
    assert c.cmd("SMOVE", "src", "src", "q") == 0
    c.cmd("SADD", "dst", "b")
    assert c.cmd("SMOVE", "src", "dst", "b") == 1      # already there: still 1
    assert c.cmd("EXISTS", "src") == 0
    assert c.cmd("SMOVE", "nokey", "dst", "a") == 0


# ------------------------------------------------------------------ SPOP SRANDMEMBER

def test_spop_single_and_errors(c):
    assert c.cmd("SPOP", "nokey") is None
    assert c.cmd("SPOP", "nokey", "3") == []
    c.cmd("SADD", "s", "a", "b", "c")
    assert c.cmd("SPOP", "s", "-1") == POSITIVE
    assert c.cmd("SPOP", "s", "abc") == POSITIVE
    assert c.cmd("SPOP", "s", "1", "2") == SYNTAX
    assert c.cmd("SPOP", "s", "0") == []
    got = {c.cmd("SPOP", "s") for _ in range(3)}
    assert got == {b"a", b"b", b"c"}
    assert c.cmd("EXISTS", "s") == 0


@pytest.mark.parametrize("kind", ["intset", "hashtable"])
@pytest.mark.parametrize("count", [1, 3, 15, 19, 20, 25])
def test_spop_with_count(c, kind, count):
    items = [str(i) for i in range(20)] if kind == "intset" else ["m%d" % i for i in range(20)]
    c.cmd("SADD", "s", *items)
    assert enc(c, "s") == kind.encode()
    popped = c.cmd("SPOP", "s", str(count))
    assert len(popped) == min(count, 20)
    assert len(set(popped)) == len(popped)
    left = c.cmd("SMEMBERS", "s")
    assert sorted(popped + left) == sorted(x.encode() for x in items)
    if count >= 20:
        assert c.cmd("EXISTS", "s") == 0
    else:
        assert enc(c, "s") == kind.encode()


def test_srandmember_errors_and_edges(c):
    assert c.cmd("SRANDMEMBER", "nokey") is None
    assert c.cmd("SRANDMEMBER", "nokey", "5") == []
    assert c.cmd("SRANDMEMBER", "nokey", "-5") == []
    c.cmd("SADD", "s", "a", "b", "c")
    assert c.cmd("SRANDMEMBER", "s", "0") == []
    assert c.cmd("SRANDMEMBER", "s", "abc") == NOT_INT
    assert c.cmd("SRANDMEMBER", "s", "1", "2") == SYNTAX
    assert c.cmd("SRANDMEMBER", "s", "-9223372036854775808") == \
        b"ERR value is out of range, value must between -9223372036854775807 and " \
        b"9223372036854775807"
    assert sorted(c.cmd("SRANDMEMBER", "s", "10")) == [b"a", b"b", b"c"]
    assert c.cmd("SRANDMEMBER", "s") in (b"a", b"b", b"c")
    rep = c.cmd("SRANDMEMBER", "s", "-10")
    assert len(rep) == 10 and set(rep) <= {b"a", b"b", b"c"}
    assert c.cmd("SCARD", "s") == 3


@pytest.mark.parametrize("kind", ["intset", "hashtable"])
def test_srandmember_distinct_counts(c, kind):
    items = [str(i) for i in range(50)] if kind == "intset" else ["m%d" % i for i in range(50)]
    c.cmd("SADD", "s", *items)
    universe = {x.encode() for x in items}
    for count in (1, 2, 10, 17, 30, 49, 50, 51):
        rep = c.cmd("SRANDMEMBER", "s", str(count))
        assert len(rep) == min(count, 50)
        assert len(set(rep)) == len(rep) and set(rep) <= universe


@pytest.mark.parametrize("kind", ["intset", "hashtable"])
def test_random_distributions_cover_all(c, kind):
    items = [str(i) for i in range(30)] if kind == "intset" else ["m%d" % i for i in range(30)]
    universe = {x.encode() for x in items}
    c.cmd("SADD", "s", *items)
    seen = set()
    for _ in range(1000):
        seen.add(c.cmd("SRANDMEMBER", "s"))
    assert seen == universe
    assert set(c.cmd("SRANDMEMBER", "s", "-1000")) == universe
    seen = set()
    for _ in range(200):
        seen.update(c.cmd("SRANDMEMBER", "s", "5"))
    assert seen == universe
    first = set()
    for _ in range(400):
        c.cmd("DEL", "p")
        c.cmd("SADD", "p", *items)
        first.add(c.cmd("SPOP", "p"))
    assert first == universe


# ------------------------------------------------------------------ SINTER SUNION SDIFF

def test_set_algebra(c):
    c.cmd("SADD", "a", "1", "2", "3", "x")
    c.cmd("SADD", "b", "2", "3", "4", "x", "y")
    c.cmd("SADD", "c", "3", "x", "z")
    assert sorted(c.cmd("SINTER", "a", "b", "c")) == [b"3", b"x"]
    assert sorted(c.cmd("SINTER", "a", "a")) == [b"1", b"2", b"3", b"x"]
    assert c.cmd("SINTER", "a", "nokey") == []
    assert sorted(c.cmd("SUNION", "a", "nokey", "c")) == [b"1", b"2", b"3", b"x", b"z"]
    assert sorted(c.cmd("SDIFF", "a", "b")) == [b"1"]
    assert sorted(c.cmd("SDIFF", "b", "nokey", "a")) == [b"4", b"y"]
    assert c.cmd("SDIFF", "a", "a") == []
    assert c.cmd("SDIFF", "nokey", "a") == []
    assert c.cmd("SMEMBERS", "nokey") == []


def test_store_forms(c):
    c.cmd("SADD", "a", "1", "2", "3")
    c.cmd("SADD", "b", "2", "3", "4")
    c.cmd("SET", "d", "old")
    c.cmd("EXPIRE", "d", "100")
    assert c.cmd("SINTERSTORE", "d", "a", "b") == 2
    assert c.cmd("TTL", "d") == -1
    assert members(c, "d") == [b"2", b"3"]
    assert c.cmd("SUNIONSTORE", "d", "a", "b") == 4
    assert c.cmd("SDIFFSTORE", "d", "a", "b") == 1
    assert members(c, "d") == [b"1"]
    assert c.cmd("SUNIONSTORE", "a", "a", "b") == 4     # destination among the sources
    assert c.cmd("SINTERSTORE", "d", "a", "nokey") == 0
    assert c.cmd("EXISTS", "d") == 0
    c.cmd("SADD", "d", "q")
    assert c.cmd("SDIFFSTORE", "d", "b", "a") == 0
    assert c.cmd("EXISTS", "d") == 0
    assert c.cmd("SUNIONSTORE", "d", "nokey") == 0
    assert c.cmd("SINTERSTORE", "d") == \
        b"ERR wrong number of arguments for 'sinterstore' command"


def test_sintercard(c):
    c.cmd("SADD", "a", "1", "2", "3", "x")
    c.cmd("SADD", "b", "2", "3", "x", "y")
    assert c.cmd("SINTERCARD", "2", "a", "b") == 3
    assert c.cmd("SINTERCARD", "2", "a", "b", "LIMIT", "2") == 2
    assert c.cmd("SINTERCARD", "2", "a", "b", "limit", "0") == 3
    assert c.cmd("SINTERCARD", "2", "a", "b", "LIMIT", "10") == 3
    assert c.cmd("SINTERCARD", "1", "a") == 4
    assert c.cmd("SINTERCARD", "2", "a", "nokey") == 0
    num = b"ERR numkeys should be greater than 0"
    assert c.cmd("SINTERCARD", "0", "a") == num
    assert c.cmd("SINTERCARD", "-1", "a") == num
    assert c.cmd("SINTERCARD", "abc", "a") == num
    assert c.cmd("SINTERCARD", "3", "a", "b") == \
        b"ERR Number of keys can't be greater than number of args"
    assert c.cmd("SINTERCARD", "1", "a", "LIMIT", "-1") == b"ERR LIMIT can't be negative"
    assert c.cmd("SINTERCARD", "1", "a", "LIMIT", "x") == b"ERR LIMIT can't be negative"
    assert c.cmd("SINTERCARD", "1", "a", "LIMIT") == SYNTAX
    assert c.cmd("SINTERCARD", "1", "a", "foo", "1") == SYNTAX
    c.cmd("SET", "str", "x")
    assert c.cmd("SINTERCARD", "1", "nokey", "str") == SYNTAX
    assert c.cmd("COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1") == \
        [b"a", b"b"]


# ------------------------------------------------------------------ SSCAN

def full_sscan(c, key, *opts):
    cursor, out, calls = b"0", [], 0
    while True:
        cursor, items = c.cmd("SSCAN", key, cursor, *opts)
        out.extend(items)
        calls += 1
        if cursor == b"0":
            return out, calls
        assert calls < 10000


def test_sscan_intset_one_call(c):
    c.cmd("SADD", "s", *[str(i) for i in range(300)])
    assert enc(c, "s") == b"intset"
    items, calls = full_sscan(c, "s", "COUNT", "5")
    assert calls == 1 and sorted(items) == sorted(str(i).encode() for i in range(300))
    items, _ = full_sscan(c, "s", "MATCH", "1?")
    assert sorted(items) == sorted(str(i).encode() for i in range(10, 20))


def test_sscan_hashtable_full_iteration(c):
    want = {("m%d" % i).encode() for i in range(1000)}
    c.cmd("SADD", "s", *want)
    items, calls = full_sscan(c, "s", "COUNT", "20")
    assert set(items) == want and calls > 1
    items, _ = full_sscan(c, "s", "MATCH", "m1*", "COUNT", "100")
    assert set(items) == {x for x in want if x.startswith(b"m1")}


def test_sscan_errors(c):
    c.cmd("SADD", "s", "a")
    assert c.cmd("SSCAN", "nokey", "0", "COUNT", "0") == [b"0", []]
    assert c.cmd("SSCAN", "s", "abc") == b"ERR invalid cursor"
    assert c.cmd("SSCAN", "nokey", "abc") == b"ERR invalid cursor"
    assert c.cmd("SSCAN", "s", "0", "COUNT", "0") == SYNTAX
    assert c.cmd("SSCAN", "s", "0", "COUNT", "x") == NOT_INT
    assert c.cmd("SSCAN", "s", "0", "COUNT") == SYNTAX
    assert c.cmd("SSCAN", "s", "0", "TYPE", "set") == SYNTAX
    assert c.cmd("SSCAN", "s", "0", "MATCH", "*") == [b"0", [b"a"]]


# ------------------------------------------------------------------ RESP3

def test_resp3_shapes(c3):
    c = c3
    assert c.cmd_bytes("SMEMBERS", "nokey") == b"~0\r\n"
    assert c.cmd_bytes("SINTER", "nokey") == b"~0\r\n"
    assert c.cmd_bytes("SUNION", "nokey") == b"~0\r\n"
    assert c.cmd_bytes("SDIFF", "nokey") == b"~0\r\n"
    assert c.cmd_bytes("SPOP", "nokey") == b"_\r\n"
    assert c.cmd_bytes("SPOP", "nokey", "2") == b"~0\r\n"
    assert c.cmd_bytes("SRANDMEMBER", "nokey") == b"_\r\n"
    assert c.cmd_bytes("SRANDMEMBER", "nokey", "2") == b"*0\r\n"
    c.cmd("SADD", "s", "1", "2", "3")
    assert c.cmd_bytes("SMEMBERS", "s") == b"~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"
    assert c.cmd_bytes("SISMEMBER", "s", "1") == b":1\r\n"
    assert c.cmd_bytes("SMISMEMBER", "s", "1", "x") == b"*2\r\n:1\r\n:0\r\n"
    assert c.cmd_bytes("SRANDMEMBER", "s", "5") == b"*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"
    assert c.cmd_bytes("SRANDMEMBER", "s", "-2").startswith(b"*2\r\n")
    assert c.cmd_bytes("SSCAN", "s", "0") == \
        b"*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"
    assert isinstance(c.cmd("SINTER", "s", "s"), Set)
    assert isinstance(c.cmd("SUNION", "s"), Set)
    assert isinstance(c.cmd("SDIFF", "s"), Set)
    assert c.cmd_bytes("SPOP", "s", "1").startswith(b"~1\r\n")
    rep = c.cmd("SPOP", "s", "10")
    assert isinstance(rep, Set) and len(rep) == 2


# ------------------------------------------------------------------ keyspace events

def collect_events(p, n):
    events, deadline = [], time.time() + 5
    while len(events) < n and time.time() < deadline:
        m = p.get_message(timeout=0.5)
        if m and m["type"] == "pmessage":
            events.append((m["channel"].split(b":", 1)[1], m["data"]))
    return events


def test_keyspace_events(r, c):
    assert c.cmd("CONFIG", "SET", "notify-keyspace-events", "KEA") == b"OK"
    try:
        p = r.pubsub()
        p.psubscribe("__keyevent@0__:*")
        assert p.get_message(timeout=2)["type"] == "psubscribe"
        c.cmd("SADD", "a", "1", "2")
        c.cmd("SADD", "a", "1")                 # nothing added: no event
        c.cmd("SREM", "a", "9")                 # nothing removed: no event
        c.cmd("SMOVE", "a", "b", "1")
        c.cmd("SREM", "a", "2")
        c.cmd("SADD", "c", "x", "y", "z")
        c.cmd("SPOP", "c")
        c.cmd("SPOP", "c", "5")
        c.cmd("SINTERSTORE", "d", "b")
        c.cmd("SUNIONSTORE", "d", "b")
        c.cmd("SDIFFSTORE", "d", "b")
        c.cmd("SDIFFSTORE", "d", "b", "b")
        c.cmd("SMOVE", "b", "e", "1")
        c.cmd("SADD", "end", "1")               # marker: nothing unexpected before it
        events = collect_events(p, 17)
        assert events == [
            (b"sadd", b"a"), (b"srem", b"a"), (b"sadd", b"b"), (b"srem", b"a"),
            (b"del", b"a"), (b"sadd", b"c"), (b"spop", b"c"), (b"spop", b"c"),
            (b"del", b"c"), (b"sinterstore", b"d"), (b"sunionstore", b"d"),
            (b"sdiffstore", b"d"), (b"del", b"d"), (b"srem", b"b"), (b"del", b"b"),
            (b"sadd", b"e"), (b"sadd", b"end")]
        p.close()
    finally:
        c.cmd("CONFIG", "SET", "notify-keyspace-events", "")


def test_copy_and_memory_usage(c):
    c.cmd("SADD", "i", "1", "2", "3")
    c.cmd("SADD", "h", "a", "b")
    assert c.cmd("COPY", "i", "i2") == 1
    assert c.cmd("COPY", "h", "h2") == 1
    c.cmd("SADD", "i", "4")
    c.cmd("SREM", "h", "a")
    assert members(c, "i2") == [b"1", b"2", b"3"] and enc(c, "i2") == b"intset"
    assert members(c, "h2") == [b"a", b"b"] and enc(c, "h2") == b"hashtable"
    assert c.cmd("MEMORY", "USAGE", "h2") > 0
    assert c.cmd("OBJECT", "ENCODING", "h2") == b"hashtable"


@pytest.mark.parametrize("n", [100, 600, 1025, 3000])
def test_same_key_twice_on_a_growing_hashtable(c, n):
    # Lookups into the set being iterated must not rehash it under the iterator.
    c.cmd("SADD", "s", *["m%d" % i for i in range(n)])
    assert c.cmd("SDIFF", "s", "s") == []
    assert c.cmd("SDIFFSTORE", "d", "s", "s") == 0
    assert c.cmd("SINTERCARD", "3", "s", "s", "s") == n
    assert c.cmd("SINTERSTORE", "d", "s", "s") == n
    assert c.cmd("SUNIONSTORE", "s", "s", "s") == n
