# test_bitops.py -- bitmap commands (SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD,
# BITFIELD_RO): replies, exact error texts, ranges (negative, BYTE/BIT), overflow modes and
# keyspace events, run against Redis 7.0 and keel-server alike; randomized sequences are
# also compared with a reference Redis (redis_ref).
# SPDX-License-Identifier: BSD-3-Clause

import random
import time

import pytest
import redis

from conftest import ErrorReply

WRONGTYPE = b"WRONGTYPE Operation against a key holding the wrong kind of value"
SYNTAX = b"ERR syntax error"
NOT_INT = b"ERR value is not an integer or out of range"
BAD_OFFSET = b"ERR bit offset is not an integer or out of range"
BAD_BIT = b"ERR bit is not an integer or out of range"
BAD_TYPE = (b"ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not "
            b"supported but i64 is.")


@pytest.fixture
def c(r, raw):
    """A raw RESP2 connection to a flushed server: exact replies, errors as ErrorReply."""
    return raw()


def make_hash(c, key):
    rep = c.cmd("HSET", key, "f", "v")
    if isinstance(rep, ErrorReply) and rep.startswith(b"ERR unknown command"):
        pytest.skip("server has no hash type")


# ------------------------------------------------------------------ SETBIT / GETBIT

def test_setbit_getbit(c):
    assert c.cmd("SETBIT", "b", "7", "1") == 0
    assert c.cmd("GET", "b") == b"\x01"
    assert c.cmd("SETBIT", "b", "7", "1") == 1
    assert c.cmd("SETBIT", "b", "0", "1") == 0
    assert c.cmd("GET", "b") == b"\x81"
    assert c.cmd("SETBIT", "b", "7", "0") == 1
    assert c.cmd("GETBIT", "b", "0") == 1
    assert c.cmd("GETBIT", "b", "7") == 0
    assert c.cmd("GETBIT", "b", "100000") == 0
    assert c.cmd("GETBIT", "missing", "5") == 0
    assert c.cmd("SETBIT", "b", "23", "1") == 0     # grows with zero bytes
    assert c.cmd("GET", "b") == b"\x80\x00\x01"
    assert c.cmd("STRLEN", "b") == 3
    c.cmd("SET", "n", "12")                         # int-encoded string: bits of "12"
    assert [c.cmd("GETBIT", "n", str(i)) for i in range(8)] == [0, 0, 1, 1, 0, 0, 0, 1]
    assert c.cmd("SETBIT", "n", "6", "1") == 0
    assert c.cmd("GET", "n") == b"32"


def test_setbit_errors(c):
    for off in ("-1", "4294967296", "abc", "1.5", ""):
        assert c.cmd("SETBIT", "b", off, "1") == BAD_OFFSET
        assert c.cmd("GETBIT", "b", off) == BAD_OFFSET
    for val in ("2", "-1", "x", ""):
        assert c.cmd("SETBIT", "b", "1", val) == BAD_BIT
    assert c.cmd("EXISTS", "b") == 0
    make_hash(c, "h")
    assert c.cmd("SETBIT", "h", "1", "1") == WRONGTYPE
    assert c.cmd("GETBIT", "h", "1") == WRONGTYPE
    assert c.cmd("SETBIT", "b") == b"ERR wrong number of arguments for 'setbit' command"


def test_setbit_proto_max_bulk_len(c, start_server):
    srv = start_server("--proto-max-bulk-len", "1mb")
    cl = srv.client()
    with pytest.raises(redis.ResponseError, match="bit offset is not an integer"):
        cl.setbit("b", 8 * 1024 * 1024, 1)
    assert cl.setbit("b", 8 * 1024 * 1024 - 1, 1) == 0
    assert cl.strlen("b") == 1024 * 1024
    cl.close()


def test_setbit_keeps_ttl(c):
    c.cmd("SET", "b", "a", "EX", "100")
    c.cmd("SETBIT", "b", "100", "1")
    assert c.cmd("TTL", "b") == 100


# ------------------------------------------------------------------ BITCOUNT

def test_bitcount(c):
    assert c.cmd("BITCOUNT", "missing") == 0
    assert c.cmd("BITCOUNT", "missing", "a", "b") == 0     # Redis looks the key up first
    c.cmd("SET", "s", "foobar")
    assert c.cmd("BITCOUNT", "s") == 26
    assert c.cmd("BITCOUNT", "s", "0", "0") == 4
    assert c.cmd("BITCOUNT", "s", "1", "1") == 6
    assert c.cmd("BITCOUNT", "s", "1", "1", "BYTE") == 6
    assert c.cmd("BITCOUNT", "s", "5", "30", "BIT") == 17
    assert c.cmd("BITCOUNT", "s", "-1", "-1") == 4
    assert c.cmd("BITCOUNT", "s", "-2", "-1") == 7
    assert c.cmd("BITCOUNT", "s", "-100", "100") == 26
    assert c.cmd("BITCOUNT", "s", "-1", "-5") == 0
    assert c.cmd("BITCOUNT", "s", "-100", "-200") == 0
    assert c.cmd("BITCOUNT", "s", "3", "1") == 0
    assert c.cmd("BITCOUNT", "s", "-8", "-1", "bit") == 4
    assert c.cmd("BITCOUNT", "s", "0", "-1", "bit") == 26
    assert c.cmd("BITCOUNT", "s", "7", "9", "BIT") == 1
    c.cmd("SET", "e", "")
    assert c.cmd("BITCOUNT", "e") == 0
    assert c.cmd("BITCOUNT", "e", "0", "-1", "BIT") == 0


def test_bitcount_errors(c):
    c.cmd("SET", "s", "foobar")
    assert c.cmd("BITCOUNT", "s", "0") == SYNTAX
    assert c.cmd("BITCOUNT", "s", "0", "1", "BYTE", "x") == SYNTAX
    assert c.cmd("BITCOUNT", "s", "0", "1", "bits") == SYNTAX
    assert c.cmd("BITCOUNT", "s", "-1", "-5", "bits") == 0    # empty range answers first
    assert c.cmd("BITCOUNT", "s", "a", "1") == NOT_INT
    assert c.cmd("BITCOUNT", "s", "0", "1.0") == NOT_INT
    make_hash(c, "h")
    assert c.cmd("BITCOUNT", "h") == WRONGTYPE


# ------------------------------------------------------------------ BITPOS

def test_bitpos(c):
    assert c.cmd("BITPOS", "missing", "1") == -1
    assert c.cmd("BITPOS", "missing", "0") == 0
    c.cmd("SET", "s", b"\xff\xf0\x00")
    assert c.cmd("BITPOS", "s", "0") == 12
    assert c.cmd("BITPOS", "s", "1") == 0
    assert c.cmd("BITPOS", "s", "1", "2") == -1
    assert c.cmd("BITPOS", "s", "0", "0", "0") == -1     # explicit end: no padding
    assert c.cmd("BITPOS", "s", "1", "1") == 8
    assert c.cmd("BITPOS", "s", "0", "-1") == 16
    assert c.cmd("BITPOS", "s", "1", "7", "15", "BIT") == 7
    assert c.cmd("BITPOS", "s", "0", "7", "15", "BIT") == 12
    assert c.cmd("BITPOS", "s", "1", "12", "-1", "bit") == -1
    assert c.cmd("BITPOS", "s", "0", "-12", "-1", "BYTE") == 12
    assert c.cmd("BITPOS", "s", "1", "5", "2") == -1
    c.cmd("SET", "ones", b"\xff\xff")
    assert c.cmd("BITPOS", "ones", "0") == 16            # no end: zero padded on the right
    assert c.cmd("BITPOS", "ones", "0", "1") == 16
    assert c.cmd("BITPOS", "ones", "0", "0", "-1") == -1
    assert c.cmd("BITPOS", "ones", "0", "3", "-1", "BIT") == -1
    c.cmd("SET", "e", "")
    assert c.cmd("BITPOS", "e", "0") == -1
    assert c.cmd("BITPOS", "e", "1") == -1


def test_bitpos_errors(c):
    assert c.cmd("BITPOS", "missing", "2") == b"ERR The bit argument must be 1 or 0."
    assert c.cmd("BITPOS", "missing", "x") == NOT_INT
    c.cmd("SET", "s", "abc")
    assert c.cmd("BITPOS", "s", "1", "a") == NOT_INT
    assert c.cmd("BITPOS", "s", "1", "0", "b") == NOT_INT
    assert c.cmd("BITPOS", "s", "1", "0", "1", "WORD") == SYNTAX
    assert c.cmd("BITPOS", "s", "1", "0", "1", "BIT", "x") == SYNTAX
    make_hash(c, "h")
    assert c.cmd("BITPOS", "h", "1") == WRONGTYPE


def test_bitcount_bitpos_match_reference(r, redis_ref):
    """Random strings and ranges: replies identical to a reference Redis 7.0."""
    ref = redis_ref.client()
    rnd = random.Random(5)
    for _ in range(300):
        val = bytes(rnd.choice([0, 255, rnd.randrange(256)]) for _ in range(rnd.randrange(7)))
        r.set("s", val)
        ref.set("s", val)
        a, b = str(rnd.randrange(-60, 60)), str(rnd.randrange(-60, 60))
        unit = rnd.choice(["BIT", "BYTE"])
        for args in ([], [a], [a, b], [a, b, unit]):
            bit = rnd.choice(["0", "1"])
            for cmd in (["BITPOS", "s", bit] + args, ["BITCOUNT", "s"] + args):
                assert run(r, cmd) == run(ref, cmd), cmd
    ref.close()


def run(cl, cmd):
    try:
        return cl.execute_command(*cmd)
    except redis.ResponseError as e:
        return "error: %s" % e


# ------------------------------------------------------------------ BITOP

def test_bitop(c):
    c.cmd("SET", "a", b"\xf0\x0f")
    c.cmd("SET", "b", b"\xff")
    assert c.cmd("BITOP", "AND", "d", "a", "b") == 2
    assert c.cmd("GET", "d") == b"\xf0\x00"
    assert c.cmd("BITOP", "or", "d", "a", "b") == 2
    assert c.cmd("GET", "d") == b"\xff\x0f"
    assert c.cmd("BITOP", "XOR", "d", "a", "b", "missing") == 2
    assert c.cmd("GET", "d") == b"\x0f\x0f"
    assert c.cmd("BITOP", "NOT", "d", "a") == 2
    assert c.cmd("GET", "d") == b"\x0f\xf0"
    assert c.cmd("BITOP", "AND", "d", "a", "missing") == 2
    assert c.cmd("GET", "d") == b"\x00\x00"
    assert c.cmd("OBJECT", "ENCODING", "d") == b"raw"
    assert c.cmd("BITOP", "AND", "a", "a", "b") == 2      # destination among the sources
    assert c.cmd("GET", "a") == b"\xf0\x00"


def test_bitop_empty_result_deletes(c):
    c.cmd("SET", "d", "x", "EX", "100")
    c.cmd("SET", "e", "")
    assert c.cmd("BITOP", "OR", "d", "missing", "e") == 0
    assert c.cmd("EXISTS", "d") == 0
    c.cmd("SET", "d", "x", "EX", "100")
    c.cmd("SET", "a", "y")
    assert c.cmd("BITOP", "OR", "d", "a") == 1
    assert c.cmd("TTL", "d") == -1                        # overwritten like SET


def test_bitop_errors(c):
    c.cmd("SET", "a", "x")
    assert c.cmd("BITOP", "NAND", "d", "a") == SYNTAX
    assert c.cmd("BITOP", "NOT", "d", "a", "a") == \
        b"ERR BITOP NOT must be called with a single source key."
    assert c.cmd("BITOP", "AND", "d") == b"ERR wrong number of arguments for 'bitop' command"
    make_hash(c, "h")
    assert c.cmd("BITOP", "AND", "d", "a", "h") == WRONGTYPE
    assert c.cmd("EXISTS", "d") == 0
    assert c.cmd("BITOP", "AND", "h", "a") == 1           # destination of any type replaced
    assert c.cmd("GET", "h") == b"x"


# ------------------------------------------------------------------ BITFIELD

def test_bitfield_basic(c):
    assert c.cmd("BITFIELD", "f", "SET", "u8", "0", "255", "GET", "u8", "0") == [0, 255]
    assert c.cmd("BITFIELD", "f", "GET", "i8", "0", "GET", "u4", "4", "GET", "i4", "4") == \
        [-1, 15, -1]
    assert c.cmd("BITFIELD", "f", "SET", "u8", "#1", "7", "GET", "u16", "0") == [0, 0xff07]
    assert c.cmd("BITFIELD", "f", "INCRBY", "u2", "100", "1") == [1]
    assert c.cmd("STRLEN", "f") == 13
    assert c.cmd("BITFIELD", "f", "GET", "u8", "1000") == [0]
    assert c.cmd("BITFIELD", "f") == []
    assert c.cmd("BITFIELD", "missing", "GET", "u8", "0") == [0]
    assert c.cmd("EXISTS", "missing") == 0
    assert c.cmd("BITFIELD", "f", "SET", "i64", "0", "-9223372036854775808",
                 "GET", "i64", "0", "GET", "u63", "1") == \
        [-70087269200953344, -9223372036854775808, 0]
    assert c.cmd("BITFIELD_RO", "f", "GET", "u8", "#1") == [0]
    c.cmd("SET", "n", "12")
    assert c.cmd("BITFIELD", "n", "GET", "u8", "0", "GET", "u8", "8") == [ord("1"), ord("2")]


def test_bitfield_overflow(c):
    assert c.cmd("BITFIELD", "f", "INCRBY", "u2", "0", "5") == [1]           # WRAP default
    assert c.cmd("BITFIELD", "f", "OVERFLOW", "SAT", "INCRBY", "u2", "0", "5") == [3]
    assert c.cmd("BITFIELD", "f", "OVERFLOW", "SAT", "INCRBY", "u2", "0", "-9") == [0]
    assert c.cmd("BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "4",
                 "INCRBY", "u2", "0", "2") == [None, 2]
    assert c.cmd("BITFIELD", "g", "INCRBY", "i8", "0", "200") == [-56]
    assert c.cmd("BITFIELD", "g", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "-100") == [-128]
    assert c.cmd("BITFIELD", "g", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "1000") == [127]
    assert c.cmd("BITFIELD", "g", "OVERFLOW", "WRAP", "INCRBY", "i8", "0", "1") == [-128]
    assert c.cmd("BITFIELD", "g", "OVERFLOW", "FAIL", "SET", "i8", "0", "128",
                 "GET", "i8", "0") == [None, -128]
    assert c.cmd("BITFIELD", "g", "OVERFLOW", "SAT", "SET", "i8", "0", "-1000") == [-128]
    assert c.cmd("BITFIELD", "g", "GET", "i8", "0") == [-128]
    # SET of a negative value into an unsigned field: the 64-bit pattern saturates to max
    assert c.cmd("BITFIELD", "g", "OVERFLOW", "SAT", "SET", "u8", "0", "-1",
                 "GET", "u8", "0") == [128, 255]
    # Redis's quirk: a value far below a narrow signed field saturates to its maximum
    assert c.cmd("BITFIELD", "g", "OVERFLOW", "SAT", "SET", "i8", "0",
                 "-9223372036854775808", "GET", "i8", "0") == [-1, 127]
    assert c.cmd("BITFIELD", "h", "OVERFLOW", "SAT", "INCRBY", "i64", "0",
                 "9223372036854775807", "INCRBY", "i64", "0", "1") == \
        [9223372036854775807, 9223372036854775807]
    assert c.cmd("BITFIELD", "h", "INCRBY", "i64", "0", "1") == [-9223372036854775808]
    assert c.cmd("BITFIELD", "h", "OVERFLOW", "FAIL", "INCRBY", "u63", "100",
                 "9223372036854775807", "INCRBY", "u63", "100", "1") == \
        [9223372036854775807, None]


def test_bitfield_errors(c):
    assert c.cmd("BITFIELD", "f", "GET", "u64", "0") == BAD_TYPE
    assert c.cmd("BITFIELD", "f", "GET", "i65", "0") == BAD_TYPE
    assert c.cmd("BITFIELD", "f", "GET", "i0", "0") == BAD_TYPE
    assert c.cmd("BITFIELD", "f", "GET", "I8", "0") == BAD_TYPE        # lower case only
    assert c.cmd("BITFIELD", "f", "GET", "x8", "0") == BAD_TYPE
    assert c.cmd("BITFIELD", "f", "GET", "u8", "-1") == BAD_OFFSET
    assert c.cmd("BITFIELD", "f", "GET", "u8", "4294967296") == BAD_OFFSET
    assert c.cmd("BITFIELD", "f", "GET", "u8", "#536870912") == BAD_OFFSET
    assert c.cmd("BITFIELD", "f", "GET", "u8", "#x") == BAD_OFFSET
    assert c.cmd("BITFIELD", "f", "SET", "u8", "0", "x") == NOT_INT
    assert c.cmd("BITFIELD", "f", "GET", "u8") == SYNTAX
    assert c.cmd("BITFIELD", "f", "FOO", "u8", "0") == SYNTAX
    assert c.cmd("BITFIELD", "f", "GET", "u8", "0", "bad") == SYNTAX
    assert c.cmd("BITFIELD", "f", "OVERFLOW", "MAYBE") == b"ERR Invalid OVERFLOW type specified"
    assert c.cmd("BITFIELD", "f", "OVERFLOW") == SYNTAX
    assert c.cmd("BITFIELD_RO", "f", "SET", "u8", "0", "1") == \
        b"ERR BITFIELD_RO only supports the GET subcommand"
    assert c.cmd("BITFIELD_RO", "f", "INCRBY", "u8", "0", "x") == NOT_INT    # parsed first
    assert c.cmd("EXISTS", "f") == 0
    make_hash(c, "h")
    assert c.cmd("BITFIELD", "h", "GET", "u8", "0") == WRONGTYPE
    assert c.cmd("BITFIELD", "h", "SET", "u8", "0", "1") == WRONGTYPE


def test_bitfield_matches_reference(r, redis_ref):
    """Random BITFIELD sequences: replies and resulting bytes identical to Redis 7.0."""
    ref = redis_ref.client()
    ref.delete("f")
    rnd = random.Random(9)
    types = ["i1", "i5", "i8", "i16", "i32", "i63", "i64", "u1", "u5", "u8", "u16", "u32",
             "u63"]
    values = [0, 1, -1, 2**63 - 1, -2**63, 2**62, 255, -300]
    for _ in range(1500):
        cmd = ["BITFIELD", "f"]
        for _ in range(rnd.randrange(1, 4)):
            cmd += ["OVERFLOW", rnd.choice(["WRAP", "SAT", "FAIL"])]
            op = rnd.choice(["GET", "SET", "INCRBY"])
            cmd += [op, rnd.choice(types), rnd.choice([str(rnd.randrange(80)),
                                                       "#%d" % rnd.randrange(4)])]
            if op != "GET":
                cmd.append(str(rnd.choice(values + [rnd.randrange(-2**63, 2**63)])))
        assert run(r, cmd) == run(ref, cmd), cmd
        assert r.get("f") == ref.get("f"), cmd
    ref.close()


# ------------------------------------------------------------------ keyspace events

def collect_events(r, actions):
    r.config_set("notify-keyspace-events", "KEA")
    p = r.pubsub()
    p.psubscribe("__keyevent@0__:*")
    p.get_message(timeout=1)
    actions()
    r.set("__end__", "1")
    events = []
    deadline = time.time() + 5
    while time.time() < deadline:
        m = p.get_message(timeout=0.5)
        if not m or m["type"] != "pmessage":
            continue
        ev = (m["channel"].split(b":", 1)[1], m["data"])
        if ev[1] == b"__end__":
            break
        events.append(ev)
    p.close()
    r.config_set("notify-keyspace-events", "")
    return events


def test_keyspace_events(r):
    def actions():
        r.setbit("b", 7, 1)
        r.setbit("b", 7, 1)                                       # no change: no event
        r.execute_command("BITFIELD", "b", "SET", "u8", "0", "1")  # unchanged
        r.execute_command("BITFIELD", "b", "INCRBY", "u8", "0", "1")
        r.execute_command("BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u8", "64", "300")
        r.execute_command("BITOP", "NOT", "d", "b")
        r.execute_command("BITOP", "AND", "d", "missing")
    events = collect_events(r, actions)
    assert events == [(b"setbit", b"b"), (b"setbit", b"b"), (b"set", b"d"), (b"del", b"d")]
    assert r.strlen("b") == 9     # the failed INCRBY still grew the string, like Redis
