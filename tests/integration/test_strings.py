# test_strings.py -- string commands (GET/SET family, MGET/MSET, INCR family, APPEND,
# STRLEN, GETRANGE/SETRANGE/SUBSTR, LCS): replies, exact error texts and edge cases, run
# against Redis 7.0 and keel-server alike (fixtures in conftest.py).
# SPDX-License-Identifier: BSD-3-Clause

import time

import pytest

from conftest import ErrorReply, Map

WRONGTYPE = b"WRONGTYPE Operation against a key holding the wrong kind of value"
SYNTAX = b"ERR syntax error"
NOT_INT = b"ERR value is not an integer or out of range"
NOT_FLOAT = b"ERR value is not a valid float"


@pytest.fixture
def c(r, raw):
    """A raw RESP2 connection to a flushed server: exact replies, errors as ErrorReply."""
    return raw()


def make_list(c, key):
    """A key of another type, or skip when the server has no list type yet."""
    rep = c.cmd("RPUSH", key, "a")
    if isinstance(rep, ErrorReply) and rep.startswith(b"ERR unknown command"):
        pytest.skip("server has no list type")
    assert rep == 1


def now_ms():
    return int(time.time() * 1000)


# ------------------------------------------------------------------ GET / SET

def test_get_set_basic(c):
    assert c.cmd("GET", "k") is None
    assert c.cmd("SET", "k", "v") == b"OK"
    assert c.cmd("GET", "k") == b"v"
    assert c.cmd("SET", "k", "") == b"OK"
    assert c.cmd("GET", "k") == b""
    binary = b"a\x00b\r\n\xff"
    assert c.cmd("SET", "bin", binary) == b"OK"
    assert c.cmd("GET", "bin") == binary
    assert c.cmd("SET", "big", "x" * 100000) == b"OK"
    assert c.cmd("GET", "big") == b"x" * 100000


def test_set_drops_ttl_unless_keepttl(c):
    c.cmd("SET", "k", "v", "EX", "100")
    assert c.cmd("TTL", "k") == 100
    c.cmd("SET", "k", "v2")
    assert c.cmd("TTL", "k") == -1
    c.cmd("SET", "k", "v", "EX", "100")
    assert c.cmd("SET", "k", "v3", "KEEPTTL") == b"OK"
    assert c.cmd("TTL", "k") == 100
    assert c.cmd("GET", "k") == b"v3"


def test_set_nx_xx(c):
    assert c.cmd("SET", "k", "1", "XX") is None
    assert c.cmd("EXISTS", "k") == 0
    assert c.cmd("SET", "k", "1", "NX") == b"OK"
    assert c.cmd("SET", "k", "2", "NX") is None
    assert c.cmd("GET", "k") == b"1"
    assert c.cmd("SET", "k", "3", "XX") == b"OK"
    assert c.cmd("GET", "k") == b"3"
    assert c.cmd("SET", "k", "4", "nx", "nx") is None   # repeating is allowed


def test_set_get_option(c):
    assert c.cmd("SET", "k", "1", "GET") is None
    assert c.cmd("SET", "k", "2", "GET") == b"1"
    assert c.cmd("GET", "k") == b"2"
    # NX + GET (allowed since 7.0): returns the old value, does not set
    assert c.cmd("SET", "k", "3", "NX", "GET") == b"2"
    assert c.cmd("GET", "k") == b"2"
    assert c.cmd("SET", "new", "3", "XX", "GET") is None
    assert c.cmd("EXISTS", "new") == 0
    assert c.cmd("SET", "k", "5", "GET", "EX", "50") == b"2"
    assert c.cmd("TTL", "k") == 50


def test_set_get_wrongtype(c):
    make_list(c, "l")
    assert c.cmd("SET", "l", "x", "GET") == WRONGTYPE
    assert c.cmd("SET", "l", "x", "NX", "GET") == WRONGTYPE
    assert c.cmd("TYPE", "l") == b"list"
    # plain SET overwrites any type
    assert c.cmd("SET", "l", "x") == b"OK"
    assert c.cmd("GET", "l") == b"x"


@pytest.mark.parametrize("opts", [
    ["NX", "XX"], ["XX", "NX"], ["EX", "10", "PX", "100"], ["EX", "10", "KEEPTTL"],
    ["KEEPTTL", "EX", "10"], ["PX", "10", "EXAT", "99999999999"], ["EXAT", "1", "PXAT", "1"],
    ["KEEPTTL", "PXAT", "1"], ["EX"], ["PX"], ["EXAT"], ["PXAT"], ["FOO"], ["PERSIST"],
    ["NX", "EX"], ["EX", "10", "BAR"], ["GETX"], ["E"],
])
def test_set_invalid_combinations(c, opts):
    assert c.cmd("SET", "k", "v", *opts) == SYNTAX


@pytest.mark.parametrize("opts", [
    ["EX", "10", "EX", "20"], ["NX", "GET", "EX", "5"], ["px", "5000", "xx"],
    ["KEEPTTL", "GET"], ["GET", "GET"], ["exat", "99999999999"],
])
def test_set_valid_combinations(c, opts):
    c.cmd("SET", "k", "old")
    rep = c.cmd("SET", "k", "v", *opts)
    assert not isinstance(rep, ErrorReply)


def test_set_expire_variants(c):
    assert c.cmd("SET", "a", "v", "EX", "100") == b"OK"
    assert c.cmd("TTL", "a") == 100
    assert c.cmd("SET", "b", "v", "PX", "100000") == b"OK"
    assert 99000 < c.cmd("PTTL", "b") <= 100000
    at = int(time.time()) + 1000
    assert c.cmd("SET", "c", "v", "EXAT", str(at)) == b"OK"
    assert c.cmd("EXPIRETIME", "c") == at
    pat = now_ms() + 1000000
    assert c.cmd("SET", "d", "v", "PXAT", str(pat)) == b"OK"
    assert c.cmd("PEXPIRETIME", "d") == pat
    # a timestamp in the past is accepted; the key is then gone
    assert c.cmd("SET", "e", "v", "PXAT", "1") == b"OK"
    assert c.cmd("GET", "e") is None
    assert c.cmd("SET", "f", "v", "PXAT", "9223372036854775807") == b"OK"
    assert c.cmd("TTL", "f") > 0


@pytest.mark.parametrize("opts,cmd", [
    (["EX", "0"], "set"), (["EX", "-1"], "set"), (["PX", "0"], "set"), (["EXAT", "0"], "set"),
    (["PXAT", "-5"], "set"), (["EX", "9223372036854775"], "set"),
    (["EX", "9223372036854776"], "set"), (["PX", "9223372036854775807"], "set"),
])
def test_set_invalid_expire(c, opts, cmd):
    assert c.cmd("SET", "k", "v", *opts) == b"ERR invalid expire time in '%s' command" % \
        cmd.encode()
    assert c.cmd("EXISTS", "k") == 0


def test_set_expire_not_integer(c):
    assert c.cmd("SET", "k", "v", "EX", "1.5") == NOT_INT
    assert c.cmd("SET", "k", "v", "PX", "abc") == NOT_INT
    assert c.cmd("SET", "k", "v", "EX", "99999999999999999999") == NOT_INT


def test_setnx_setex_psetex(c):
    assert c.cmd("SETNX", "k", "1") == 1
    assert c.cmd("SETNX", "k", "2") == 0
    assert c.cmd("GET", "k") == b"1"
    assert c.cmd("SETEX", "k", "100", "v") == b"OK"
    assert c.cmd("TTL", "k") == 100
    assert c.cmd("GET", "k") == b"v"
    assert c.cmd("PSETEX", "p", "100000", "v") == b"OK"
    assert 99000 < c.cmd("PTTL", "p") <= 100000
    assert c.cmd("SETEX", "k", "0", "v") == b"ERR invalid expire time in 'setex' command"
    assert c.cmd("SETEX", "k", "-10", "v") == b"ERR invalid expire time in 'setex' command"
    assert c.cmd("PSETEX", "k", "0", "v") == b"ERR invalid expire time in 'psetex' command"
    assert c.cmd("SETEX", "k", "abc", "v") == NOT_INT
    assert c.cmd("SETEX", "k", "10") == \
        b"ERR wrong number of arguments for 'setex' command"


def test_getset(c):
    assert c.cmd("GETSET", "k", "1") is None
    assert c.cmd("GETSET", "k", "2") == b"1"
    c.cmd("EXPIRE", "k", "100")
    assert c.cmd("GETSET", "k", "3") == b"2"
    assert c.cmd("TTL", "k") == -1
    make_list(c, "l")
    assert c.cmd("GETSET", "l", "x") == WRONGTYPE


def test_getdel(c):
    c.cmd("SET", "k", "v")
    assert c.cmd("GETDEL", "k") == b"v"
    assert c.cmd("EXISTS", "k") == 0
    assert c.cmd("GETDEL", "k") is None
    make_list(c, "l")
    assert c.cmd("GETDEL", "l") == WRONGTYPE
    assert c.cmd("EXISTS", "l") == 1


def test_getex(c):
    assert c.cmd("GETEX", "missing") is None
    assert c.cmd("GETEX", "missing", "EX", "-5") is None   # lookup comes before the check
    c.cmd("SET", "k", "v")
    assert c.cmd("GETEX", "k") == b"v"
    assert c.cmd("TTL", "k") == -1
    assert c.cmd("GETEX", "k", "EX", "100") == b"v"
    assert c.cmd("TTL", "k") == 100
    assert c.cmd("GETEX", "k", "PX", "50000") == b"v"
    assert 49000 < c.cmd("PTTL", "k") <= 50000
    at = int(time.time()) + 500
    assert c.cmd("GETEX", "k", "EXAT", str(at)) == b"v"
    assert c.cmd("EXPIRETIME", "k") == at
    assert c.cmd("GETEX", "k", "PERSIST") == b"v"
    assert c.cmd("TTL", "k") == -1
    assert c.cmd("GETEX", "k", "PXAT", "1") == b"v"      # past: deleted
    assert c.cmd("EXISTS", "k") == 0


def test_getex_errors(c):
    c.cmd("SET", "k", "v")
    assert c.cmd("GETEX", "k", "EX", "0") == b"ERR invalid expire time in 'getex' command"
    assert c.cmd("GETEX", "k", "EX", "-5") == b"ERR invalid expire time in 'getex' command"
    assert c.cmd("GETEX", "k", "EX", "x") == NOT_INT
    for opts in (["EX", "5", "PERSIST"], ["PERSIST", "PX", "5"], ["EX"], ["KEEPTTL"],
                 ["NX"], ["GET"], ["EX", "5", "PX", "5"], ["FOO"]):
        assert c.cmd("GETEX", "k", *opts) == SYNTAX, opts
    make_list(c, "l")
    assert c.cmd("GETEX", "l", "EX", "5") == WRONGTYPE
    assert c.cmd("GETEX", "l", "EX", "0") == WRONGTYPE


# ------------------------------------------------------------------ MGET / MSET

def test_mget(c):
    c.cmd("MSET", "a", "1", "b", "2")
    make_list(c, "l")
    assert c.cmd("MGET", "a", "missing", "l", "b", "a") == [b"1", None, None, b"2", b"1"]


def test_mset_msetnx(c):
    assert c.cmd("MSET", "a", "1", "b", "2", "a", "3") == b"OK"
    assert c.cmd("MGET", "a", "b") == [b"3", b"2"]
    c.cmd("EXPIRE", "a", "100")
    c.cmd("MSET", "a", "4")
    assert c.cmd("TTL", "a") == -1
    assert c.cmd("MSETNX", "x", "1", "a", "2") == 0
    assert c.cmd("EXISTS", "x") == 0
    assert c.cmd("MSETNX", "x", "1", "y", "2") == 1
    assert c.cmd("MGET", "x", "y") == [b"1", b"2"]
    assert c.cmd("MSETNX", "z", "1", "z", "2") == 1
    assert c.cmd("GET", "z") == b"2"
    for cmd in ("MSET", "MSETNX"):
        msg = b"ERR wrong number of arguments for '%s' command" % cmd.lower().encode()
        assert c.cmd(cmd, "a") == msg
        assert c.cmd(cmd, "a", "1", "b") == msg


# ------------------------------------------------------------------ INCR family

def test_incr_decr(c):
    assert c.cmd("INCR", "n") == 1
    assert c.cmd("INCR", "n") == 2
    assert c.cmd("DECR", "n") == 1
    assert c.cmd("INCRBY", "n", "10") == 11
    assert c.cmd("DECRBY", "n", "20") == -9
    assert c.cmd("INCRBY", "n", "-1") == -10
    assert c.cmd("DECR", "m") == -1
    c.cmd("SET", "s", "41")
    assert c.cmd("INCR", "s") == 42
    assert c.cmd("GET", "s") == b"42"
    c.cmd("SET", "big", "9223372036854775806")
    assert c.cmd("INCR", "big") == 9223372036854775807


def test_incr_keeps_ttl(c):
    c.cmd("SET", "n", "5", "EX", "100")
    assert c.cmd("INCR", "n") == 6
    assert c.cmd("TTL", "n") == 100
    c.cmd("SET", "f", "1.5", "EX", "100")
    assert c.cmd("INCRBYFLOAT", "f", "1") == b"2.5"
    assert c.cmd("TTL", "f") == 100


@pytest.mark.parametrize("value", ["abc", " 1", "1 ", "01", "1.5", "", "-0", "+1",
                                   "9223372036854775808", "1e3"])
def test_incr_not_integer(c, value):
    c.cmd("SET", "n", value)
    assert c.cmd("INCR", "n") == NOT_INT
    assert c.cmd("GET", "n") == value.encode()


def test_incr_overflow(c):
    over = b"ERR increment or decrement would overflow"
    c.cmd("SET", "n", "9223372036854775807")
    assert c.cmd("INCR", "n") == over
    assert c.cmd("INCRBY", "n", "1") == over
    c.cmd("SET", "n", "-9223372036854775808")
    assert c.cmd("DECR", "n") == over
    assert c.cmd("INCRBY", "n", "-1") == over
    assert c.cmd("DECRBY", "x", "-9223372036854775808") == b"ERR decrement would overflow"
    assert c.cmd("INCRBY", "x", "-9223372036854775808") == -9223372036854775808
    assert c.cmd("INCRBY", "n", "abc") == NOT_INT
    assert c.cmd("INCRBY", "n", "9223372036854775808") == NOT_INT


def test_incr_wrongtype(c):
    make_list(c, "l")
    for args in (["INCR", "l"], ["DECR", "l"], ["INCRBY", "l", "2"], ["DECRBY", "l", "2"],
                 ["INCRBYFLOAT", "l", "1.5"], ["APPEND", "l", "x"], ["STRLEN", "l"],
                 ["GETRANGE", "l", "0", "1"], ["SETRANGE", "l", "0", "x"], ["GET", "l"]):
        assert c.cmd(*args) == WRONGTYPE, args
    # the increment argument is parsed before the type check
    assert c.cmd("INCRBY", "l", "x") == NOT_INT


@pytest.mark.parametrize("start,incr,expected", [
    (None, "10.5", b"10.5"), ("10.50", "0.1", b"10.6"), ("5.0e3", "2.0e2", b"5200"),
    ("3", "0", b"3"), ("3.0", "0", b"3"), ("1", "-1", b"0"), ("0.1", "0.2", b"0.3"),
    (None, "1e3", b"1000"), (None, "0x10", b"16"), (None, "-5.25", b"-5.25"),
    ("1.5e10", "0.1", b"15000000000.09999999962747097"), (None, "1e-5", b"0.00001"),
    ("1e5", "0", b"100000"), (None, "17179869184", b"17179869184"),
])
def test_incrbyfloat_format(c, start, incr, expected):
    if start is not None:
        c.cmd("SET", "f", start)
    assert c.cmd("INCRBYFLOAT", "f", incr) == expected
    assert c.cmd("GET", "f") == expected


def test_incrbyfloat_errors(c):
    c.cmd("SET", "s", "abc")
    assert c.cmd("INCRBYFLOAT", "s", "1") == NOT_FLOAT
    assert c.cmd("INCRBYFLOAT", "f", "abc") == NOT_FLOAT
    assert c.cmd("INCRBYFLOAT", "f", " 1") == NOT_FLOAT
    assert c.cmd("INCRBYFLOAT", "f", "") == NOT_FLOAT
    assert c.cmd("INCRBYFLOAT", "f", "nan") == NOT_FLOAT
    nan_inf = b"ERR increment would produce NaN or Infinity"
    assert c.cmd("INCRBYFLOAT", "f", "inf") == nan_inf
    c.cmd("SET", "f", "1.7976931348623157e308")
    # beyond a double but within a long double: printed in full, without exponent
    assert c.cmd("INCRBYFLOAT", "f", "1.7976931348623157e308") == (
        b"359538626972463139991842093548208868096772893888658356970628841530353257046248792"
        b"709403737216774171128857586838851041378617416726902272110715794556052955234146997"
        b"955372576789671236326588091188869859074894581254961338834769297758245552436667197"
        b"907705664206565009503223382416235440319971852753604933726679072768")
    c.cmd("SET", "h", "  1")
    assert c.cmd("INCRBYFLOAT", "h", "1") == NOT_FLOAT


# ------------------------------------------------------------------ APPEND / STRLEN

def test_append_strlen(c):
    assert c.cmd("STRLEN", "k") == 0
    assert c.cmd("APPEND", "k", "hello") == 5
    assert c.cmd("APPEND", "k", " world") == 11
    assert c.cmd("GET", "k") == b"hello world"
    assert c.cmd("STRLEN", "k") == 11
    assert c.cmd("APPEND", "k", "") == 11
    c.cmd("SET", "n", "123")
    assert c.cmd("STRLEN", "n") == 3
    assert c.cmd("APPEND", "n", "45") == 5
    assert c.cmd("GET", "n") == b"12345"
    assert c.cmd("OBJECT", "ENCODING", "n") == b"raw"
    assert c.cmd("INCR", "n") == 12346
    c.cmd("SET", "t", "x", "EX", "100")
    c.cmd("APPEND", "t", "y")
    assert c.cmd("TTL", "t") == 100
    assert c.cmd("APPEND", "e", "") == 0
    assert c.cmd("EXISTS", "e") == 1


# ------------------------------------------------------------------ GETRANGE / SETRANGE

@pytest.mark.parametrize("start,end,expected", [
    (0, 3, b"This"), (-3, -1, b"ing"), (0, -1, b"This is a string"), (10, 100, b"string"),
    (5, 3, b""), (-1, -5, b""), (-100, 3, b"This"), (0, -100, b"T"), (-100, -50, b"T"),
    (16, 20, b""), (15, 15, b"g"), (-16, -16, b"T"), (0, 0, b"T"), (100, 200, b""),
    (-1, -1, b"g"), (3, -100, b""),
])
def test_getrange(c, start, end, expected):
    c.cmd("SET", "s", "This is a string")
    assert c.cmd("GETRANGE", "s", start, end) == expected
    assert c.cmd("SUBSTR", "s", start, end) == expected


def test_getrange_special(c):
    assert c.cmd("GETRANGE", "missing", "0", "10") == b""
    c.cmd("SET", "n", "1234")
    assert c.cmd("GETRANGE", "n", "1", "2") == b"23"
    assert c.cmd("GETRANGE", "n", "-2", "-1") == b"34"
    c.cmd("SET", "e", "")
    assert c.cmd("GETRANGE", "e", "0", "-1") == b""
    assert c.cmd("GETRANGE", "n", "a", "1") == NOT_INT
    assert c.cmd("GETRANGE", "missing", "0", "b") == NOT_INT


def test_setrange(c):
    c.cmd("SET", "k", "Hello World")
    assert c.cmd("SETRANGE", "k", "6", "Redis") == 11
    assert c.cmd("GET", "k") == b"Hello Redis"
    assert c.cmd("SETRANGE", "k", "11", "!!") == 13
    assert c.cmd("GET", "k") == b"Hello Redis!!"
    assert c.cmd("SETRANGE", "pad", "5", "ab") == 7
    assert c.cmd("GET", "pad") == b"\x00" * 5 + b"ab"
    assert c.cmd("SETRANGE", "new", "3", "") == 0          # empty value: not created
    assert c.cmd("EXISTS", "new") == 0
    assert c.cmd("SETRANGE", "k", "100", "") == 13          # empty value: length only
    assert c.cmd("STRLEN", "k") == 13
    c.cmd("SET", "n", "1234")
    assert c.cmd("SETRANGE", "n", "1", "x") == 4
    assert c.cmd("GET", "n") == b"1x34"
    c.cmd("SET", "t", "abc", "EX", "100")
    c.cmd("SETRANGE", "t", "1", "X")
    assert c.cmd("TTL", "t") == 100


def test_setrange_errors(c):
    assert c.cmd("SETRANGE", "k", "-1", "x") == b"ERR offset is out of range"
    assert c.cmd("SETRANGE", "k", "abc", "x") == NOT_INT
    too_big = b"ERR string exceeds maximum allowed size (proto-max-bulk-len)"
    assert c.cmd("SETRANGE", "k", "536870912", "x") == too_big
    assert c.cmd("SETRANGE", "k", "536870911", "xy") == too_big
    assert c.cmd("EXISTS", "k") == 0
    c.cmd("SET", "k", "v")
    assert c.cmd("SETRANGE", "k", str(2 ** 62), "x") == too_big
    assert c.cmd("APPEND", "k", "x") == 2


# ------------------------------------------------------------------ LCS

def test_lcs_basic(c):
    c.cmd("MSET", "key1", "ohmytext", "key2", "mynewtext")
    assert c.cmd("LCS", "key1", "key2") == b"mytext"
    assert c.cmd("LCS", "key1", "key2", "LEN") == 6
    assert c.cmd("LCS", "key1", "key2", "IDX") == \
        [b"matches", [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], b"len", 6]
    assert c.cmd("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4") == \
        [b"matches", [[[4, 7], [5, 8]]], b"len", 6]
    assert c.cmd("LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN") == \
        [b"matches", [[[4, 7], [5, 8], 4]], b"len", 6]
    assert c.cmd("LCS", "key1", "key2", "IDX", "WITHMATCHLEN", "MINMATCHLEN", "-3") == \
        [b"matches", [[[4, 7], [5, 8], 4], [[2, 3], [0, 1], 2]], b"len", 6]


def test_lcs_edge_cases(c):
    assert c.cmd("LCS", "nx1", "nx2") == b""
    assert c.cmd("LCS", "nx1", "nx2", "LEN") == 0
    assert c.cmd("LCS", "nx1", "nx2", "IDX") == [b"matches", [], b"len", 0]
    c.cmd("MSET", "a", "abc", "b", "xyz", "n1", "12345", "n2", "2345")
    assert c.cmd("LCS", "a", "b") == b""
    assert c.cmd("LCS", "a", "a") == b"abc"
    assert c.cmd("LCS", "n1", "n2") == b"2345"
    assert c.cmd("LCS", "a", "nx") == b""
    c.cmd("MSET", "s1", "GTTCCTAATA", "s2", "CGATAATTGAGA")
    assert c.cmd("LCS", "s1", "s2", "LEN") == 6
    assert len(c.cmd("LCS", "s1", "s2")) == 6
    assert c.cmd("LCS", "s1", "s2", "IDX", "MINMATCHLEN", "3")[3] == 6


def test_lcs_errors(c):
    c.cmd("MSET", "a", "abc", "b", "abd")
    assert c.cmd("LCS", "a", "b", "IDX", "LEN") == \
        b"ERR If you want both the length and indexes, please just use IDX."
    assert c.cmd("LCS", "a", "b", "FOO") == SYNTAX
    assert c.cmd("LCS", "a", "b", "MINMATCHLEN") == SYNTAX
    assert c.cmd("LCS", "a", "b", "MINMATCHLEN", "x") == NOT_INT
    make_list(c, "l")
    msg = b"ERR The specified keys must contain string values"
    assert c.cmd("LCS", "a", "l") == msg
    assert c.cmd("LCS", "l", "missing", "LEN") == msg


def test_lcs_refuses_huge_table(c):
    c.cmd("SET", "a", "x" * 12000)
    c.cmd("SET", "b", "y" * 12000)
    msg = b"ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
    assert c.cmd("LCS", "a", "b", "LEN") == msg
    assert c.cmd("PING") == b"PONG"


def test_lcs_resp3_map(c):
    c.cmd("HELLO", "3")
    c.cmd("MSET", "key1", "ohmytext", "key2", "mynewtext")
    rep = c.cmd("LCS", "key1", "key2", "IDX")
    assert isinstance(rep, Map)
    assert rep.to_dict()[b"len"] == 6


# ------------------------------------------------------------------ misc

def test_object_encoding_of_strings(c):
    c.cmd("SET", "i", "12345")
    c.cmd("SET", "e", "hello")
    c.cmd("SET", "r", "x" * 45)
    c.cmd("SET", "e44", "x" * 44)
    c.cmd("SET", "big", "12345678901234567890")
    c.cmd("SET", "neg", "-5")
    assert c.cmd("OBJECT", "ENCODING", "i") == b"int"
    assert c.cmd("OBJECT", "ENCODING", "e") == b"embstr"
    assert c.cmd("OBJECT", "ENCODING", "r") == b"raw"
    assert c.cmd("OBJECT", "ENCODING", "e44") == b"embstr"
    assert c.cmd("OBJECT", "ENCODING", "big") == b"embstr"
    assert c.cmd("OBJECT", "ENCODING", "neg") == b"int"
    c.cmd("SETRANGE", "e", "0", "H")
    assert c.cmd("OBJECT", "ENCODING", "e") == b"raw"
    assert c.cmd("GET", "e") == b"Hello"


def test_arity_errors(c):
    for cmd, args in (("GET", []), ("SET", ["k"]), ("GETRANGE", ["k", "0"]),
                      ("LCS", ["a"]), ("INCRBY", ["k"]), ("MGET", [])):
        assert c.cmd(cmd, *args) == \
            b"ERR wrong number of arguments for '%s' command" % cmd.lower().encode()
