# test_hash.py -- the hash commands against Redis 7.0 and keel: replies, errors (and which
# error wins when several apply), WRONGTYPE, encodings at both thresholds, HSCAN over both
# encodings, HRANDFIELD shapes, RESP3 shapes through raw connections, keyspace events.
# SPDX-License-Identifier: BSD-3-Clause

import time

import pytest
import redis

from conftest import ErrorReply, Map

WRONGTYPE = b"WRONGTYPE Operation against a key holding the wrong kind of value"
NOT_INT = b"ERR value is not an integer or out of range"
NOT_FLOAT = b"ERR value is not a valid float"


@pytest.fixture
def c(r, raw):
    """A raw RESP2 connection on a flushed server; thresholds restored afterwards."""
    conn = raw()
    yield conn
    r.config_set("hash-max-listpack-entries", 512)
    r.config_set("hash-max-listpack-value", 64)


def enc(c, key):
    return c.cmd("OBJECT", "ENCODING", key)


# ------------------------------------------------------------------ basic commands

def test_hset_hget_hmget_hlen(c):
    assert c.cmd("HSET", "h", "a", "1", "b", "two", "a", "3") == 2
    assert c.cmd("HSET", "h", "a", "4", "c", "") == 1
    assert c.cmd("HGET", "h", "a") == b"4"
    assert c.cmd("HGET", "h", "c") == b""
    assert c.cmd("HGET", "h", "zz") is None
    assert c.cmd("HGET", "nokey", "a") is None
    assert c.cmd("HMGET", "h", "a", "zz", "b") == [b"4", None, b"two"]
    assert c.cmd("HMGET", "nokey", "a", "b") == [None, None]
    assert c.cmd("HLEN", "h") == 3
    assert c.cmd("HLEN", "nokey") == 0
    assert c.cmd("TYPE", "h") == b"hash"


def test_hset_arity_errors(c):
    assert c.cmd("HSET", "h", "a") == ErrorReply(
        b"ERR wrong number of arguments for 'hset' command")
    assert c.cmd("HSET", "h", "a", "1", "b") == ErrorReply(
        b"ERR wrong number of arguments for 'hset' command")
    assert c.cmd("HMSET", "h", "a", "1", "b") == ErrorReply(
        b"ERR wrong number of arguments for 'hmset' command")
    assert c.cmd("HGET", "h") == ErrorReply(b"ERR wrong number of arguments for 'hget' command")
    assert c.cmd("EXISTS", "h") == 0


def test_hmset_hsetnx(c):
    assert c.cmd("HMSET", "h", "a", "1", "b", "2") == b"OK"
    assert c.cmd("HSETNX", "h", "a", "9") == 0
    assert c.cmd("HGET", "h", "a") == b"1"
    assert c.cmd("HSETNX", "h", "c", "3") == 1
    assert c.cmd("HSETNX", "new", "f", "v") == 1
    assert c.cmd("HGETALL", "new") == [b"f", b"v"]


def test_hdel_deletes_empty_key(c):
    c.cmd("HSET", "h", "a", "1", "b", "2", "c", "3")
    assert c.cmd("HDEL", "h", "a", "zz", "a") == 1
    assert c.cmd("HDEL", "nokey", "a") == 0
    assert c.cmd("HDEL", "h", "b", "c", "d") == 2
    assert c.cmd("EXISTS", "h") == 0
    # The same on a hashtable-encoded hash.
    c.cmd("HSET", "big", "f", "x" * 100)
    assert enc(c, "big") == b"hashtable"
    assert c.cmd("HDEL", "big", "f") == 1
    assert c.cmd("EXISTS", "big") == 0


def test_hexists_hstrlen(c):
    c.cmd("HSET", "h", "a", "hello", "n", "-12345", "z", "0")
    assert c.cmd("HEXISTS", "h", "a") == 1
    assert c.cmd("HEXISTS", "h", "b") == 0
    assert c.cmd("HEXISTS", "nokey", "b") == 0
    assert c.cmd("HSTRLEN", "h", "a") == 5
    assert c.cmd("HSTRLEN", "h", "n") == 6
    assert c.cmd("HSTRLEN", "h", "z") == 1
    assert c.cmd("HSTRLEN", "h", "b") == 0
    assert c.cmd("HSTRLEN", "nokey", "b") == 0


def test_hgetall_hkeys_hvals(c):
    assert c.cmd("HGETALL", "nokey") == []
    assert c.cmd("HKEYS", "nokey") == []
    assert c.cmd("HVALS", "nokey") == []
    c.cmd("HSET", "h", "a", "1", "b", "2", "c", "3")
    flat = c.cmd("HGETALL", "h")
    assert dict(zip(flat[::2], flat[1::2])) == {b"a": b"1", b"b": b"2", b"c": b"3"}
    assert sorted(c.cmd("HKEYS", "h")) == [b"a", b"b", b"c"]
    assert sorted(c.cmd("HVALS", "h")) == [b"1", b"2", b"3"]
    # listpack keeps insertion order, like Redis
    assert c.cmd("HKEYS", "h") == [b"a", b"b", b"c"]


def test_integer_like_values_roundtrip(c):
    vals = ["0", "-0", "01", "+1", " 1", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "1.5", "127", "128", "-4096", "-4097", "1e3"]
    for i, v in enumerate(vals):
        c.cmd("HSET", "h", "f%d" % i, v)
        c.cmd("HSET", "h", v, "field:" + v)
    for i, v in enumerate(vals):
        assert c.cmd("HGET", "h", "f%d" % i) == v.encode()
        assert c.cmd("HGET", "h", v) == ("field:" + v).encode()
    assert c.cmd("HGET", "h", "1") is None    # "01", "+1", " 1" are distinct fields
    assert c.cmd("HLEN", "h") == 2 * len(vals)


def test_binary_fields_and_values(c):
    f, v = b"a\x00b\r\n", b"\xff\x00\x01"
    assert c.cmd("HSET", "h", f, v) == 1
    assert c.cmd("HGET", "h", f) == v
    assert c.cmd("HGET", "h", b"a") is None


# ------------------------------------------------------------------ wrong type

def test_wrongtype(c):
    c.cmd("SET", "s", "x")
    for args in (("HSET", "s", "a", "1"), ("HSETNX", "s", "a", "1"), ("HGET", "s", "a"),
                 ("HMGET", "s", "a"), ("HMSET", "s", "a", "1"), ("HGETALL", "s"),
                 ("HDEL", "s", "a"), ("HEXISTS", "s", "a"), ("HLEN", "s"),
                 ("HSTRLEN", "s", "a"), ("HKEYS", "s"), ("HVALS", "s"),
                 ("HINCRBY", "s", "a", "1"), ("HINCRBYFLOAT", "s", "a", "1"),
                 ("HRANDFIELD", "s"), ("HRANDFIELD", "s", "2"), ("HSCAN", "s", "0")):
        assert c.cmd(*args) == ErrorReply(WRONGTYPE), args
    assert c.cmd("GET", "s") == b"x"
    # Argument errors come before the type check.
    assert c.cmd("HINCRBY", "s", "a", "x") == ErrorReply(NOT_INT)
    assert c.cmd("HINCRBYFLOAT", "s", "a", "x") == ErrorReply(NOT_FLOAT)
    assert c.cmd("HRANDFIELD", "s", "x") == ErrorReply(NOT_INT)
    assert c.cmd("HSCAN", "s", "x") == ErrorReply(b"ERR invalid cursor")


# ------------------------------------------------------------------ HINCRBY / HINCRBYFLOAT

def test_hincrby(c):
    assert c.cmd("HINCRBY", "h", "n", "5") == 5
    assert c.cmd("HINCRBY", "h", "n", "-7") == -2
    assert c.cmd("HGET", "h", "n") == b"-2"
    c.cmd("HSET", "h", "s", "abc", "lead", "01", "sp", " 1", "big", "9223372036854775807")
    for f in ("s", "lead", "sp"):
        assert c.cmd("HINCRBY", "h", f, "1") == ErrorReply(b"ERR hash value is not an integer")
    assert c.cmd("HINCRBY", "h", "big", "1") == ErrorReply(
        b"ERR increment or decrement would overflow")
    assert c.cmd("HINCRBY", "h", "big", "-1") == 9223372036854775806
    c.cmd("HSET", "h", "min", "-9223372036854775808")
    assert c.cmd("HINCRBY", "h", "min", "-1") == ErrorReply(
        b"ERR increment or decrement would overflow")
    assert c.cmd("HINCRBY", "h", "n", "1.5") == ErrorReply(NOT_INT)
    assert c.cmd("HINCRBY", "h", "n", "9223372036854775808") == ErrorReply(NOT_INT)
    assert c.cmd("HINCRBY", "h", "n", "0") == -2


def test_hincrbyfloat(c):
    assert c.cmd("HINCRBYFLOAT", "h", "f", "10.5") == b"10.5"
    assert c.cmd("HINCRBYFLOAT", "h", "f", "0.1") == b"10.6"
    assert c.cmd("HINCRBYFLOAT", "h", "f", "-10.6") == b"0"
    assert c.cmd("HINCRBYFLOAT", "h", "f", "5.0e3") == b"5000"
    assert c.cmd("HINCRBYFLOAT", "h", "f", "1") == b"5001"
    c.cmd("HSET", "h", "i", "3", "s", "abc")
    assert c.cmd("HINCRBYFLOAT", "h", "i", "1.25") == b"4.25"
    assert c.cmd("HINCRBYFLOAT", "h", "s", "1") == ErrorReply(b"ERR hash value is not a float")
    assert c.cmd("HINCRBYFLOAT", "h", "i", "abc") == ErrorReply(NOT_FLOAT)
    assert c.cmd("HINCRBYFLOAT", "h", "i", "inf") == ErrorReply(b"ERR value is NaN or Infinity")
    assert c.cmd("HINCRBYFLOAT", "h", "i", "") == ErrorReply(NOT_FLOAT)
    c.cmd("HSET", "h", "huge", "1.1e4932")
    got = c.cmd("HINCRBYFLOAT", "h", "huge", "1e4932")
    assert got == ErrorReply(b"ERR increment would produce NaN or Infinity")
    assert c.cmd("HGET", "h", "i") == b"4.25"


def test_hincrbyfloat_long_result_converts(c):
    c.cmd("HSET", "h", "a", "1")
    assert enc(c, "h") == b"listpack"
    out = c.cmd("HINCRBYFLOAT", "h", "f", "1e100")
    assert len(out) == 100 and out.isdigit()
    assert enc(c, "h") == b"hashtable"


# ------------------------------------------------------------------ encodings

def test_encoding_entries_threshold(c):
    c.cmd("CONFIG", "SET", "hash-max-listpack-entries", "4")
    for i in range(4):
        c.cmd("HSET", "h", "f%d" % i, i)
    assert enc(c, "h") == b"listpack"
    c.cmd("HSET", "h", "f0", "updated")        # update does not count
    assert enc(c, "h") == b"listpack"
    c.cmd("HSET", "h", "f4", "4")
    assert enc(c, "h") == b"hashtable"
    c.cmd("HDEL", "h", "f4", "f3", "f2")          # never converts back
    assert enc(c, "h") == b"hashtable"
    assert c.cmd("HGET", "h", "f0") == b"updated"
    assert c.cmd("HGET", "h", "f1") == b"1"
    # One HSET adding several fields past the limit.
    c.cmd("HSET", "m", "a", 1, "b", 2, "c", 3, "d", 4, "e", 5)
    assert enc(c, "m") == b"hashtable"
    assert c.cmd("HLEN", "m") == 5


def test_encoding_value_threshold(c):
    c.cmd("CONFIG", "SET", "hash-max-listpack-value", "8")
    c.cmd("HSET", "h", "f", "x" * 8, "g" * 8, "y")
    assert enc(c, "h") == b"listpack"
    c.cmd("HSET", "h", "f", "x" * 9)
    assert enc(c, "h") == b"hashtable"
    assert c.cmd("HGET", "h", "f") == b"x" * 9
    c.cmd("HSET", "k", "g" * 9, "1")              # a long field converts too
    assert enc(c, "k") == b"hashtable"
    c.cmd("HSETNX", "n", "a", "z" * 9)
    assert enc(c, "n") == b"hashtable"
    c.cmd("HINCRBY", "i", "f" * 9, 1)
    assert enc(c, "i") == b"hashtable"


def test_hashtable_behaves_the_same(c):
    c.cmd("CONFIG", "SET", "hash-max-listpack-entries", "0")
    c.cmd("HSET", "h", "a", "1", "b", "2")
    assert enc(c, "h") == b"hashtable"
    assert c.cmd("HGET", "h", "a") == b"1"
    assert c.cmd("HINCRBY", "h", "a", 10) == 11
    assert c.cmd("HINCRBYFLOAT", "h", "b", "0.5") == b"2.5"
    assert c.cmd("HSTRLEN", "h", "b") == 3
    assert sorted(c.cmd("HKEYS", "h")) == [b"a", b"b"]
    assert c.cmd("HSETNX", "h", "a", "x") == 0
    assert c.cmd("HDEL", "h", "a") == 1
    assert c.cmd("HLEN", "h") == 1


def test_copy_and_memory_usage(c):
    c.cmd("HSET", "h", "a", "1", "b", "x" * 10)
    assert c.cmd("COPY", "h", "h2") == 1
    c.cmd("HSET", "h", "a", "changed")
    assert c.cmd("HGET", "h2", "a") == b"1"
    assert c.cmd("OBJECT", "ENCODING", "h2") == b"listpack"
    assert c.cmd("MEMORY", "USAGE", "h") > 0
    c.cmd("HSET", "big", "f", "y" * 200)
    assert c.cmd("COPY", "big", "big2") == 1
    assert c.cmd("HGET", "big2", "f") == b"y" * 200
    assert c.cmd("OBJECT", "ENCODING", "big2") == b"hashtable"


# ------------------------------------------------------------------ HSCAN

def scan_all(c, key, *opts):
    cursor, seen, calls = b"0", {}, 0
    while True:
        cursor, items = c.cmd("HSCAN", key, cursor, *opts)
        for f, v in zip(items[::2], items[1::2]):
            seen[f] = v
        calls += 1
        if cursor == b"0":
            return seen, calls
        assert calls < 10000


def test_hscan_listpack_one_call(c):
    c.cmd("HSET", "h", *[x for i in range(20) for x in ("f%d" % i, str(i))])
    cursor, items = c.cmd("HSCAN", "h", "0", "COUNT", "2")
    assert cursor == b"0"
    assert len(items) == 40
    cursor, items = c.cmd("HSCAN", "h", "0", "MATCH", "f1*")
    assert cursor == b"0"
    assert dict(zip(items[::2], items[1::2])) == {
        b"f%d" % i: str(i).encode() for i in [1] + list(range(10, 20))}
    cursor, items = c.cmd("HSCAN", "h", "0", "MATCH", "*")
    assert cursor == b"0" and len(items) == 40


def test_hscan_hashtable_full_iteration(c):
    n = 1000
    for i in range(0, n, 100):
        c.cmd("HSET", "h", *[x for j in range(i, i + 100) for x in ("f%d" % j, "v%d" % j)])
    assert enc(c, "h") == b"hashtable"
    seen, calls = scan_all(c, "h", "COUNT", "10")
    assert seen == {b"f%d" % j: b"v%d" % j for j in range(n)}
    assert calls > 5
    seen, _ = scan_all(c, "h", "MATCH", "f1?", "COUNT", "100")
    assert seen == {b"f%d" % j: b"v%d" % j for j in range(10, 20)}


def test_hscan_errors(c):
    assert c.cmd("HSCAN", "nokey", "0") == [b"0", []]
    assert c.cmd("HSCAN", "nokey", "0", "junk") == [b"0", []]
    c.cmd("HSET", "h", "a", "1")
    assert c.cmd("HSCAN", "h", "abc") == ErrorReply(b"ERR invalid cursor")
    assert c.cmd("HSCAN", "h", "0", "COUNT", "0") == ErrorReply(b"ERR syntax error")
    assert c.cmd("HSCAN", "h", "0", "COUNT", "x") == ErrorReply(NOT_INT)
    assert c.cmd("HSCAN", "h", "0", "TYPE", "string") == ErrorReply(b"ERR syntax error")
    assert c.cmd("HSCAN", "h", "0", "MATCH") == ErrorReply(b"ERR syntax error")
    assert c.cmd("HSCAN", "h", "0", "MATCH", "a", "COUNT", "5") == [b"0", [b"a", b"1"]]


# ------------------------------------------------------------------ HRANDFIELD

def test_hrandfield_basic(c):
    assert c.cmd("HRANDFIELD", "nokey") is None
    assert c.cmd("HRANDFIELD", "nokey", "3") == []
    assert c.cmd("HRANDFIELD", "nokey", "-3", "WITHVALUES") == []
    c.cmd("HSET", "h", "a", "1", "b", "2", "c", "3")
    assert c.cmd("HRANDFIELD", "h") in (b"a", b"b", b"c")
    assert c.cmd("HRANDFIELD", "h", "0") == []
    assert sorted(c.cmd("HRANDFIELD", "h", "3")) == [b"a", b"b", b"c"]
    assert sorted(c.cmd("HRANDFIELD", "h", "100")) == [b"a", b"b", b"c"]
    two = c.cmd("HRANDFIELD", "h", "2")
    assert len(two) == 2 and len(set(two)) == 2
    rep = c.cmd("HRANDFIELD", "h", "-20")
    assert len(rep) == 20 and set(rep) <= {b"a", b"b", b"c"}
    wv = c.cmd("HRANDFIELD", "h", "-10", "WITHVALUES")
    assert len(wv) == 20
    for f, v in zip(wv[::2], wv[1::2]):
        assert {b"a": b"1", b"b": b"2", b"c": b"3"}[f] == v
    wv = c.cmd("HRANDFIELD", "h", "2", "withvalues")
    assert len(wv) == 4 and wv[0] != wv[2]


def test_hrandfield_errors(c):
    c.cmd("HSET", "h", "a", "1")
    assert c.cmd("HRANDFIELD", "h", "x") == ErrorReply(NOT_INT)
    assert c.cmd("HRANDFIELD", "h", "1", "foo") == ErrorReply(b"ERR syntax error")
    assert c.cmd("HRANDFIELD", "nokey", "1", "foo") == ErrorReply(b"ERR syntax error")
    assert c.cmd("HRANDFIELD", "h", "1", "WITHVALUES", "x") == ErrorReply(b"ERR syntax error")
    assert c.cmd("HRANDFIELD", "h", "-9223372036854775808") == ErrorReply(
        b"ERR value is out of range, value must between -9223372036854775807 and "
        b"9223372036854775807")
    assert c.cmd("HRANDFIELD", "h", "9223372036854775808") == ErrorReply(NOT_INT)
    assert c.cmd("HRANDFIELD", "h", "-9223372036854775807", "WITHVALUES") == ErrorReply(
        b"ERR value is out of range")
    assert c.cmd("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES") == ErrorReply(
        b"ERR value is out of range")


def test_hrandfield_hashtable(c):
    c.cmd("CONFIG", "SET", "hash-max-listpack-entries", "8")
    c.cmd("HSET", "h", *[x for i in range(100) for x in ("f%d" % i, "v%d" % i)])
    assert enc(c, "h") == b"hashtable"
    for count in (5, 40, 99):   # sparse picks and the shuffle path
        got = c.cmd("HRANDFIELD", "h", count, "WITHVALUES")
        fields = got[::2]
        assert len(fields) == count and len(set(fields)) == count
        for f, v in zip(got[::2], got[1::2]):
            assert v == b"v" + f[1:]
    assert len(c.cmd("HRANDFIELD", "h", "-300")) == 300
    assert len(set(c.cmd("HRANDFIELD", "h", "200"))) == 100


# ------------------------------------------------------------------ RESP3 shapes

def test_resp3_shapes(r, raw):
    c = raw()
    c.cmd("HELLO", "3")
    c.cmd("HSET", "h", "a", "1", "b", "2")
    assert c.cmd_bytes("HGETALL", "h") == b"%2\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n"
    assert c.cmd_bytes("HGETALL", "nokey") == b"%0\r\n"
    assert c.cmd_bytes("HGET", "h", "zz") == b"_\r\n"
    assert c.cmd_bytes("HRANDFIELD", "nokey") == b"_\r\n"
    assert c.cmd_bytes("HMGET", "h", "zz") == b"*1\r\n_\r\n"
    assert c.cmd_bytes("HEXISTS", "h", "a") == b":1\r\n"
    got = c.cmd("HRANDFIELD", "h", "-3", "WITHVALUES")
    assert len(got) == 3 and all(isinstance(p, list) and len(p) == 2 for p in got)
    got = c.cmd("HRANDFIELD", "h", "5", "WITHVALUES")
    assert sorted(got) == [[b"a", b"1"], [b"b", b"2"]]
    assert c.cmd_bytes("HRANDFIELD", "h", "0", "WITHVALUES") == b"*0\r\n"
    assert c.cmd_bytes("HSCAN", "nokey", "0") == b"*2\r\n$1\r\n0\r\n*0\r\n"
    assert c.cmd_bytes("HINCRBYFLOAT", "h", "a", "1.5") == b"$3\r\n2.5\r\n"
    m = c.cmd("HGETALL", "h")
    assert isinstance(m, Map) and m.to_dict() == {b"a": b"2.5", b"b": b"2"}


# ------------------------------------------------------------------ keyspace events

def test_keyspace_events(start_server):
    srv = start_server()
    cl = srv.client(decode_responses=True)
    cl.config_set("notify-keyspace-events", "KEA")
    p = cl.pubsub()
    p.psubscribe("__keyevent@0__:*")
    deadline = time.time() + 5
    while time.time() < deadline:
        if p.get_message(timeout=0.2):
            break
    cl.hset("h", mapping={"a": "1", "b": "2"})
    cl.hsetnx("h", "a", "x")            # no change, no event
    cl.hincrby("h", "a", 1)
    cl.hincrbyfloat("h", "b", 0.5)
    cl.hdel("h", "zz")                  # nothing deleted, no event
    cl.hdel("h", "a", "b")
    events = []
    deadline = time.time() + 5
    while time.time() < deadline and len(events) < 6:
        m = p.get_message(timeout=0.2)
        if m and m["type"] == "pmessage":
            events.append((m["channel"].split(":", 1)[1], m["data"]))
    assert events == [("hset", "h"), ("hincrby", "h"), ("hincrbyfloat", "h"), ("hdel", "h"),
                      ("del", "h")]
    p.close()
    cl.close()


# ------------------------------------------------------------------ memory

@pytest.mark.slow
def test_memory_small_hashes(start_server):
    """100,000 hashes of 10 small fields: used_memory per hash stays near Redis's."""
    srv = start_server()
    cl = srv.client()
    before = cl.info("memory")["used_memory"]
    pipe = cl.pipeline(transaction=False)
    for i in range(100000):
        pipe.hset("user:%d" % i, mapping={"f%d" % j: "val%d" % (i + j) for j in range(10)})
        if i % 1000 == 999:
            pipe.execute()
    pipe.execute()
    after = cl.info("memory")["used_memory"]
    per_hash = (after - before) / 100000
    assert cl.object("encoding", "user:7") == b"listpack"
    print("used_memory per hash: %.1f" % per_hash)
    assert per_hash < 260, per_hash
    cl.close()
