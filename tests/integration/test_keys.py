# test_keys.py -- generic keyspace commands (DEL, EXISTS, TYPE, RENAME, COPY, MOVE, KEYS,
# SCAN, RANDOMKEY, the EXPIRE/TTL family, PERSIST, OBJECT, DBSIZE, FLUSHDB/FLUSHALL,
# SWAPDB): replies, exact error texts and edge cases, against Redis 7.0 and keel-server
# alike (fixtures in conftest.py).
# SPDX-License-Identifier: BSD-3-Clause

import time

import pytest
import redis

from conftest import ErrorReply

SYNTAX = b"ERR syntax error"
NOT_INT = b"ERR value is not an integer or out of range"
SAMEOBJ = b"ERR source and destination objects are the same"
DBRANGE = b"ERR DB index is out of range"
INT_RANGE = b"ERR value is out of range, value must between -2147483648 and 2147483647"


@pytest.fixture
def c(r, raw):
    """A raw RESP2 connection to a flushed server: exact replies, errors as ErrorReply."""
    return raw()


@pytest.fixture
def c1(r, raw):
    """A second raw connection, on database 1."""
    conn = raw()
    assert conn.cmd("SELECT", "1") == b"OK"
    return conn


def make_list(c, key):
    """A key of another type, or skip when the server has no list type yet."""
    rep = c.cmd("RPUSH", key, "a")
    if isinstance(rep, ErrorReply) and rep.startswith(b"ERR unknown command"):
        pytest.skip("server has no list type")
    assert rep == 1


def now_ms():
    return int(time.time() * 1000)


# ------------------------------------------------------------------ DEL EXISTS TYPE TOUCH

def test_del_unlink_exists(c):
    c.cmd("MSET", "a", "1", "b", "2", "c", "3")
    assert c.cmd("EXISTS", "a", "a", "b", "missing") == 3
    assert c.cmd("DEL", "a", "missing", "a") == 1
    assert c.cmd("UNLINK", "b", "c", "b") == 2
    assert c.cmd("EXISTS", "a", "b", "c") == 0
    assert c.cmd("DEL", "a") == 0
    assert c.cmd("DBSIZE") == 0


def test_del_expired_key_counts_zero(c):
    c.cmd("SET", "k", "v", "PX", "1")
    time.sleep(0.02)
    assert c.cmd("DEL", "k") == 0
    assert c.cmd("EXISTS", "k") == 0


def test_type_and_touch(c):
    c.cmd("SET", "s", "v")
    c.cmd("SET", "n", "1")
    assert c.cmd("TYPE", "s") == b"string"
    assert c.cmd("TYPE", "n") == b"string"
    assert c.cmd("TYPE", "missing") == b"none"
    assert c.cmd("TOUCH", "s", "n", "missing", "s") == 3
    make_list(c, "l")
    assert c.cmd("TYPE", "l") == b"list"


def test_type_is_a_status_reply(c):
    c.cmd("SET", "s", "v")
    assert c.cmd_bytes("TYPE", "s") == b"+string\r\n"
    assert c.cmd_bytes("TYPE", "nope") == b"+none\r\n"


# ------------------------------------------------------------------ RENAME

def test_rename(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("RENAME", "a", "b") == b"OK"
    assert c.cmd("GET", "a") is None
    assert c.cmd("GET", "b") == b"1"
    assert c.cmd("RENAME", "missing", "x") == b"ERR no such key"
    assert c.cmd("RENAME", "missing", "missing") == b"ERR no such key"
    assert c.cmd("RENAME", "b", "b") == b"OK"
    assert c.cmd("GET", "b") == b"1"


def test_rename_moves_ttl_and_overwrites(c):
    c.cmd("SET", "src", "1", "EX", "100")
    c.cmd("SET", "dst", "2", "EX", "500")
    assert c.cmd("RENAME", "src", "dst") == b"OK"
    assert c.cmd("GET", "dst") == b"1"
    assert c.cmd("TTL", "dst") == 100
    c.cmd("SET", "p", "3")
    assert c.cmd("RENAME", "p", "dst") == b"OK"
    assert c.cmd("TTL", "dst") == -1
    make_list(c, "l")
    assert c.cmd("RENAME", "l", "dst") == b"OK"
    assert c.cmd("TYPE", "dst") == b"list"


def test_renamenx(c):
    c.cmd("MSET", "a", "1", "b", "2")
    assert c.cmd("RENAMENX", "a", "b") == 0
    assert c.cmd("MGET", "a", "b") == [b"1", b"2"]
    assert c.cmd("RENAMENX", "a", "c") == 1
    assert c.cmd("MGET", "a", "c") == [None, b"1"]
    assert c.cmd("RENAMENX", "c", "c") == 0
    assert c.cmd("RENAMENX", "missing", "z") == b"ERR no such key"


# ------------------------------------------------------------------ COPY MOVE

def test_copy(c, c1):
    c.cmd("SET", "a", "hello", "EX", "100")
    assert c.cmd("COPY", "a", "b") == 1
    assert c.cmd("GET", "b") == b"hello"
    assert c.cmd("TTL", "b") == 100
    c.cmd("APPEND", "b", "!")
    assert c.cmd("GET", "a") == b"hello"                  # independent copies
    assert c.cmd("COPY", "a", "b") == 0
    assert c.cmd("COPY", "a", "b", "REPLACE") == 1
    assert c.cmd("GET", "b") == b"hello"
    assert c.cmd("COPY", "missing", "b", "REPLACE") == 0
    assert c.cmd("COPY", "a", "a", "DB", "1") == 1
    assert c1.cmd("GET", "a") == b"hello"
    assert c1.cmd("TTL", "a") == 100
    assert c.cmd("COPY", "a", "a", "DB", "1") == 0
    assert c.cmd("COPY", "a", "a", "db", "1", "replace") == 1


def test_copy_errors(c):
    c.cmd("SET", "a", "1")
    assert c.cmd("COPY", "a", "a") == SAMEOBJ
    assert c.cmd("COPY", "missing", "missing") == SAMEOBJ
    assert c.cmd("COPY", "a", "a", "DB", "0") == SAMEOBJ
    assert c.cmd("COPY", "a", "b", "DB", "99") == DBRANGE
    assert c.cmd("COPY", "a", "b", "DB", "-1") == DBRANGE
    assert c.cmd("COPY", "a", "b", "DB", "abc") == NOT_INT
    assert c.cmd("COPY", "a", "b", "DB", "9999999999") == INT_RANGE
    assert c.cmd("COPY", "a", "b", "DB") == SYNTAX
    assert c.cmd("COPY", "a", "b", "FOO") == SYNTAX
    assert c.cmd("EXISTS", "b") == 0


def test_move(c, c1):
    c.cmd("SET", "k", "v", "EX", "100")
    assert c.cmd("MOVE", "k", "1") == 1
    assert c.cmd("EXISTS", "k") == 0
    assert c1.cmd("GET", "k") == b"v"
    assert c1.cmd("TTL", "k") == 100
    c.cmd("SET", "k", "other")
    assert c.cmd("MOVE", "k", "1") == 0
    assert c.cmd("GET", "k") == b"other"
    assert c.cmd("MOVE", "missing", "1") == 0
    assert c.cmd("MOVE", "k", "0") == SAMEOBJ
    assert c.cmd("MOVE", "missing", "0") == SAMEOBJ
    assert c.cmd("MOVE", "k", "99") == DBRANGE
    assert c.cmd("MOVE", "k", "abc") == NOT_INT
    assert c.cmd("MOVE", "k", "-9999999999") == INT_RANGE
    assert c.cmd("MOVE", "k", "99999999999999999999") == NOT_INT


# ------------------------------------------------------------------ KEYS SCAN RANDOMKEY

def test_keys_patterns(c):
    c.cmd("MSET", "hello", "1", "hallo", "2", "hxllo", "3", "hllo", "4", "heeeello", "5",
          "a*b", "6")
    assert sorted(c.cmd("KEYS", "*")) == sorted([b"hello", b"hallo", b"hxllo", b"hllo",
                                                 b"heeeello", b"a*b"])
    assert sorted(c.cmd("KEYS", "h?llo")) == [b"hallo", b"hello", b"hxllo"]
    assert sorted(c.cmd("KEYS", "h*llo")) == sorted([b"heeeello", b"hallo", b"hello",
                                                     b"hllo", b"hxllo"])
    assert sorted(c.cmd("KEYS", "h[ae]llo")) == [b"hallo", b"hello"]
    assert sorted(c.cmd("KEYS", "h[^e]llo")) == [b"hallo", b"hxllo"]
    assert sorted(c.cmd("KEYS", "h[a-b]llo")) == [b"hallo"]
    assert c.cmd("KEYS", "a\\*b") == [b"a*b"]
    assert c.cmd("KEYS", "nomatch*") == []


def test_keys_skips_expired(c):
    c.cmd("SET", "live", "1")
    c.cmd("SET", "dead", "1", "PX", "1")
    time.sleep(0.02)
    assert c.cmd("KEYS", "*") == [b"live"]


def scan_all(c, *opts):
    cursor, seen, calls = b"0", [], 0
    while True:
        cursor, keys = c.cmd("SCAN", cursor, *opts)
        seen.extend(keys)
        calls += 1
        assert calls < 100000
        if cursor == b"0":
            return seen, calls


@pytest.mark.parametrize("count", [None, "1", "7", "100", "100000"])
def test_scan_full_iteration_matches_keys(c, count):
    for i in range(0, 1000, 100):
        c.cmd("MSET", *[x for j in range(i, i + 100) for x in ("key:%d" % j, j)])
    opts = ["COUNT", count] if count else []
    seen, calls = scan_all(c, *opts)
    assert len(seen) >= 1000
    assert set(seen) == set(c.cmd("KEYS", "*"))
    if count == "100000":
        assert calls == 1


def test_scan_match_and_type(c):
    for i in range(200):
        c.cmd("SET", "user:%d" % i, i)
        c.cmd("SET", "item:%d" % i, i)
    seen, _ = scan_all(c, "MATCH", "user:1*", "COUNT", "10")
    assert set(seen) == set(c.cmd("KEYS", "user:1*"))
    assert len(set(seen)) == 111
    seen, _ = scan_all(c, "TYPE", "string", "COUNT", "50")
    assert len(set(seen)) == 400
    seen, _ = scan_all(c, "TYPE", "list")
    assert seen == []
    seen, _ = scan_all(c, "type", "STRING", "match", "item:19*")
    assert set(seen) == {b"item:19", b"item:190", b"item:191", b"item:192", b"item:193",
                         b"item:194", b"item:195", b"item:196", b"item:197", b"item:198",
                         b"item:199"}


def test_scan_skips_expired(c):
    for i in range(50):
        c.cmd("SET", "live:%d" % i, i)
        c.cmd("SET", "dead:%d" % i, i, "PX", "1")
    time.sleep(0.02)
    seen, _ = scan_all(c, "COUNT", "1000")
    assert set(seen) == {b"live:%d" % i for i in range(50)}


def test_scan_errors_and_cursor_forms(c):
    c.cmd("SET", "k", "v")
    assert c.cmd("SCAN", "abc") == b"ERR invalid cursor"
    assert c.cmd("SCAN", "1x") == b"ERR invalid cursor"
    assert c.cmd("SCAN", " 1") == b"ERR invalid cursor"
    assert c.cmd("SCAN", "99999999999999999999999") == b"ERR invalid cursor"
    assert c.cmd("SCAN", "0", "COUNT", "0") == SYNTAX
    assert c.cmd("SCAN", "0", "COUNT", "-1") == SYNTAX
    assert c.cmd("SCAN", "0", "COUNT", "x") == NOT_INT
    assert c.cmd("SCAN", "0", "MATCH") == SYNTAX
    assert c.cmd("SCAN", "0", "FOO", "bar") == SYNTAX
    assert c.cmd("SCAN", "0") == [b"0", [b"k"]]
    assert c.cmd("SCAN", "0", "TYPE", "nosuchtype") == [b"0", []]
    assert c.cmd("SCAN", "0", "MATCH", "*") == [b"0", [b"k"]]
    assert c.cmd("SCAN", "0", "MATCH", "x*") == [b"0", []]


def test_scan_empty_db(c):
    assert c.cmd("SCAN", "0") == [b"0", []]


def test_randomkey(c):
    assert c.cmd("RANDOMKEY") is None
    c.cmd("SET", "only", "1")
    assert c.cmd("RANDOMKEY") == b"only"
    c.cmd("MSET", "a", "1", "b", "2")
    got = {c.cmd("RANDOMKEY") for _ in range(200)}
    assert got == {b"only", b"a", b"b"}


def test_randomkey_skips_expired(c):
    c.cmd("SET", "dead", "1", "PX", "1")
    time.sleep(0.02)
    assert c.cmd("RANDOMKEY") is None
    c.cmd("SET", "live", "1")
    assert c.cmd("RANDOMKEY") == b"live"


# ------------------------------------------------------------------ EXPIRE family

def test_expire_ttl_basic(c):
    assert c.cmd("TTL", "k") == -2
    assert c.cmd("PTTL", "k") == -2
    assert c.cmd("EXPIRETIME", "k") == -2
    assert c.cmd("PEXPIRETIME", "k") == -2
    assert c.cmd("EXPIRE", "k", "100") == 0
    c.cmd("SET", "k", "v")
    assert c.cmd("TTL", "k") == -1
    assert c.cmd("PTTL", "k") == -1
    assert c.cmd("EXPIRETIME", "k") == -1
    assert c.cmd("EXPIRE", "k", "100") == 1
    assert c.cmd("TTL", "k") == 100
    assert 99000 < c.cmd("PTTL", "k") <= 100000
    assert c.cmd("PEXPIRE", "k", "50000") == 1
    assert c.cmd("TTL", "k") == 50
    at = int(time.time()) + 1000
    assert c.cmd("EXPIREAT", "k", at) == 1
    assert c.cmd("EXPIRETIME", "k") == at
    assert c.cmd("PEXPIRETIME", "k") == at * 1000
    pat = now_ms() + 123456
    assert c.cmd("PEXPIREAT", "k", pat) == 1
    assert c.cmd("PEXPIRETIME", "k") == pat
    assert c.cmd("EXPIRETIME", "k") == (pat + 500) // 1000


def test_ttl_rounds_to_nearest_second(c):
    c.cmd("SET", "k", "v")
    c.cmd("PEXPIRE", "k", "100900")
    assert c.cmd("TTL", "k") == 101
    c.cmd("PEXPIRE", "k", "100300")
    assert c.cmd("TTL", "k") == 100


def test_expire_in_the_past_deletes(c):
    for cmd, arg in (("EXPIRE", "-1"), ("PEXPIRE", "0"), ("EXPIREAT", "1"),
                     ("PEXPIREAT", "1000"), ("EXPIRE", "-9223372036854775")):
        c.cmd("SET", "k", "v")
        assert c.cmd(cmd, "k", arg) == 1, cmd
        assert c.cmd("EXISTS", "k") == 0, cmd
        assert c.cmd(cmd, "k", arg) == 0, cmd


def test_key_expires(c):
    c.cmd("SET", "k", "v", "PX", "50")
    assert c.cmd("GET", "k") == b"v"
    time.sleep(0.1)
    assert c.cmd("GET", "k") is None
    assert c.cmd("TTL", "k") == -2
    assert c.cmd("DBSIZE") == 0


def test_expire_options(c):
    c.cmd("SET", "k", "v")
    assert c.cmd("EXPIRE", "k", "100", "XX") == 0
    assert c.cmd("EXPIRE", "k", "100", "GT") == 0          # no TTL counts as infinite
    assert c.cmd("TTL", "k") == -1
    assert c.cmd("EXPIRE", "k", "100", "LT") == 1
    assert c.cmd("EXPIRE", "k", "200", "NX") == 0
    assert c.cmd("EXPIRE", "k", "200", "XX") == 1
    assert c.cmd("TTL", "k") == 200
    assert c.cmd("EXPIRE", "k", "100", "GT") == 0
    assert c.cmd("EXPIRE", "k", "300", "GT") == 1
    assert c.cmd("EXPIRE", "k", "400", "LT") == 0
    assert c.cmd("EXPIRE", "k", "50", "lt", "xx") == 1
    assert c.cmd("TTL", "k") == 50
    assert c.cmd("PERSIST", "k") == 1
    assert c.cmd("EXPIRE", "k", "50", "NX") == 1
    assert c.cmd("PEXPIRE", "k", "10000", "gt", "xx") == 0
    assert c.cmd("EXPIRE", "missing", "50", "NX") == 0


def test_expire_errors(c):
    c.cmd("SET", "k", "v")
    assert c.cmd("EXPIRE", "k", "10", "NX", "XX") == \
        b"ERR NX and XX, GT or LT options at the same time are not compatible"
    assert c.cmd("EXPIRE", "k", "10", "NX", "GT") == \
        b"ERR NX and XX, GT or LT options at the same time are not compatible"
    assert c.cmd("EXPIRE", "k", "10", "GT", "LT") == \
        b"ERR GT and LT options at the same time are not compatible"
    assert c.cmd("EXPIRE", "k", "10", "FOO") == b"ERR Unsupported option FOO"
    assert c.cmd("EXPIRE", "k", "abc", "FOO") == b"ERR Unsupported option FOO"
    assert c.cmd("EXPIRE", "k", "abc") == NOT_INT
    assert c.cmd("EXPIRE", "k", "1.5") == NOT_INT
    for cmd, arg in (("EXPIRE", "9223372036854775807"), ("EXPIRE", "9223372036854775"),
                     ("PEXPIRE", "9223372036854775807"),
                     ("EXPIREAT", "-9223372036854775808"),
                     ("EXPIREAT", "9223372036854776")):
        assert c.cmd(cmd, "k", arg) == \
            b"ERR invalid expire time in '%s' command" % cmd.lower().encode()
    assert c.cmd("PEXPIREAT", "k", "9223372036854775807") == 1
    assert c.cmd("TTL", "k") > 0
    assert c.cmd("EXPIRE", "k") == b"ERR wrong number of arguments for 'expire' command"


def test_persist(c):
    assert c.cmd("PERSIST", "missing") == 0
    c.cmd("SET", "k", "v")
    assert c.cmd("PERSIST", "k") == 0
    c.cmd("EXPIRE", "k", "100")
    assert c.cmd("PERSIST", "k") == 1
    assert c.cmd("TTL", "k") == -1
    assert c.cmd("PERSIST", "k") == 0


# ------------------------------------------------------------------ OBJECT

def test_object_encoding_refcount_idletime(c):
    c.cmd("SET", "small", "1")
    c.cmd("SET", "large", "100000")
    c.cmd("SET", "s", "hello")
    assert c.cmd("OBJECT", "ENCODING", "small") == b"int"
    assert c.cmd("OBJECT", "encoding", "s") == b"embstr"
    assert c.cmd("OBJECT", "ENCODING", "missing") is None
    assert c.cmd("OBJECT", "REFCOUNT", "small") == 2147483647   # shared integer
    assert c.cmd("OBJECT", "REFCOUNT", "large") == 1
    assert c.cmd("OBJECT", "REFCOUNT", "s") == 1
    assert c.cmd("OBJECT", "REFCOUNT", "missing") is None
    assert c.cmd("OBJECT", "IDLETIME", "s") == 0
    assert c.cmd("OBJECT", "IDLETIME", "missing") is None
    assert c.cmd("OBJECT", "FREQ", "missing") is None
    assert c.cmd("OBJECT", "FREQ", "s") == (
        b"ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please "
        b"note that when switching between policies at runtime LRU and LFU data will take "
        b"some time to adjust.")


@pytest.mark.slow
def test_object_idletime_grows_and_is_not_reset_by_type(c):
    c.cmd("SET", "k", "v")
    time.sleep(2.2)
    assert c.cmd("TYPE", "k") == b"string"
    assert c.cmd("TTL", "k") == -1
    assert c.cmd("EXISTS", "k") == 1
    assert c.cmd("OBJECT", "IDLETIME", "k") >= 2
    c.cmd("GET", "k")
    assert c.cmd("OBJECT", "IDLETIME", "k") == 0


def test_object_lfu_policy(c):
    c.cmd("SET", "k", "v")
    assert c.cmd("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu") == b"OK"
    try:
        freq = c.cmd("OBJECT", "FREQ", "k")
        assert isinstance(freq, int) and freq >= 0
        assert c.cmd("OBJECT", "IDLETIME", "k") == (
            b"ERR An LFU maxmemory policy is selected, idle time not tracked. Please note "
            b"that when switching between policies at runtime LRU and LFU data will take "
            b"some time to adjust.")
    finally:
        c.cmd("CONFIG", "SET", "maxmemory-policy", "noeviction")


def test_object_help_and_errors(c):
    helps = c.cmd("OBJECT", "HELP")
    assert helps[0] == b"OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert b"ENCODING <key>" in helps
    assert b"REFCOUNT <key>" in helps
    assert helps[-2] == b"HELP"
    assert len(helps) == 15
    assert c.cmd("OBJECT", "FOO", "k") == b"ERR unknown subcommand 'FOO'. Try OBJECT HELP."
    assert c.cmd("OBJECT", "ENCODING") == \
        b"ERR wrong number of arguments for 'object|encoding' command"


# ------------------------------------------------------------------ DBSIZE FLUSH SWAPDB

def test_dbsize_flushdb_flushall(c, c1):
    c.cmd("MSET", "a", "1", "b", "2")
    c1.cmd("SET", "x", "1")
    assert c.cmd("DBSIZE") == 2
    assert c1.cmd("DBSIZE") == 1
    assert c.cmd("FLUSHDB") == b"OK"
    assert c.cmd("DBSIZE") == 0
    assert c1.cmd("DBSIZE") == 1
    c.cmd("SET", "a", "1", "EX", "100")
    assert c.cmd("FLUSHDB", "ASYNC") == b"OK"
    assert c.cmd("DBSIZE") == 0
    assert c.cmd("TTL", "a") == -2
    c.cmd("SET", "a", "1")
    assert c.cmd("FLUSHALL", "sync") == b"OK"
    assert c.cmd("DBSIZE") == 0
    assert c1.cmd("DBSIZE") == 0
    assert c.cmd("FLUSHDB", "foo") == SYNTAX
    assert c.cmd("FLUSHALL", "async", "x") == SYNTAX
    assert c.cmd("DBSIZE", "x") == b"ERR wrong number of arguments for 'dbsize' command"


def test_swapdb(c, c1):
    c.cmd("SET", "k", "db0", "EX", "100")
    c1.cmd("SET", "k", "db1")
    c1.cmd("SET", "only1", "x")
    assert c.cmd("SWAPDB", "0", "1") == b"OK"
    assert c.cmd("GET", "k") == b"db1"
    assert c.cmd("TTL", "k") == -1
    assert c.cmd("GET", "only1") == b"x"
    assert c1.cmd("GET", "k") == b"db0"
    assert c1.cmd("TTL", "k") == 100
    assert c.cmd("SWAPDB", "1", "1") == b"OK"
    assert c1.cmd("GET", "k") == b"db0"
    assert c.cmd("SWAPDB", "a", "1") == b"ERR invalid first DB index"
    assert c.cmd("SWAPDB", "0", "b") == b"ERR invalid second DB index"
    assert c.cmd("SWAPDB", "0", "99") == DBRANGE
    assert c.cmd("SWAPDB", "-1", "0") == DBRANGE
    assert c.cmd("SWAPDB", "9999999999", "0") == b"ERR invalid first DB index"
    assert c.cmd("SWAPDB", "0", "1") == b"OK"                  # swap back for later tests


# ------------------------------------------------------------------ notifications

def test_keyspace_events(r, c):
    assert c.cmd("CONFIG", "SET", "notify-keyspace-events", "KEA") == b"OK"
    try:
        p = r.pubsub()
        p.psubscribe("__keyevent@0__:*")
        assert p.get_message(timeout=2)["type"] == "psubscribe"
        c.cmd("SET", "a", "1")
        c.cmd("EXPIRE", "a", "100")
        c.cmd("INCRBY", "a", "2")
        c.cmd("RENAME", "a", "b")
        c.cmd("PERSIST", "b")
        c.cmd("COPY", "b", "c")
        c.cmd("APPEND", "c", "x")
        c.cmd("INCRBYFLOAT", "b", "1.5")
        c.cmd("SETRANGE", "b", "0", "9")
        c.cmd("DEL", "b", "c")
        c.cmd("SET", "d", "1")
        c.cmd("MOVE", "d", "1")
        events = []
        deadline = time.time() + 5
        while len(events) < 14 and time.time() < deadline:
            m = p.get_message(timeout=0.5)
            if m and m["type"] == "pmessage":
                events.append((m["channel"].split(b":", 1)[1], m["data"]))
        assert events == [
            (b"set", b"a"), (b"expire", b"a"), (b"incrby", b"a"), (b"rename_from", b"a"),
            (b"rename_to", b"b"), (b"persist", b"b"), (b"copy_to", b"c"), (b"append", b"c"),
            (b"incrbyfloat", b"b"), (b"setrange", b"b"), (b"del", b"b"), (b"del", b"c"),
            (b"set", b"d"), (b"move_from", b"d")]
        p.close()
    finally:
        c.cmd("CONFIG", "SET", "notify-keyspace-events", "")
