# test_list.py -- list commands against Redis 7.0 and keel: replies, errors, edge cases,
# WRONGTYPE, encodings, node-size boundaries and keyspace events.
# SPDX-License-Identifier: BSD-3-Clause

import pytest
import redis

ERR_POS = "value is out of range, must be positive"
ERR_INT = "value is not an integer or out of range"
WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value"



@pytest.fixture(autouse=True)
def _clean(r):
    """Every test starts from an empty keyspace (the `r` fixture flushes), also raw-only ones."""
    yield

def err(r, *args):
    with pytest.raises(redis.ResponseError) as e:
        r.execute_command(*args)
    return str(e.value)


def test_push_len_range(r):
    assert r.rpush("l", "a", "b", "c") == 3
    assert r.lpush("l", "z", "y") == 5
    assert r.lrange("l", 0, -1) == [b"y", b"z", b"a", b"b", b"c"]
    assert r.llen("l") == 5
    assert r.llen("nokey") == 0
    assert r.lrange("l", -2, 100) == [b"b", b"c"]
    assert r.lrange("l", 3, 1) == []
    assert r.lrange("l", 10, 20) == []
    assert r.lrange("l", -100, 0) == [b"y"]
    assert r.lrange("nokey", 0, -1) == []
    assert err(r, "LRANGE", "l", "x", "1") == ERR_INT
    assert r.object("encoding", "l") == b"quicklist"


def test_pushx(r):
    assert r.lpushx("l", "a") == 0
    assert r.execute_command("RPUSHX", "l", "a", "b") == 0
    assert r.exists("l") == 0
    r.rpush("l", "m")
    assert r.execute_command("LPUSHX", "l", "a", "b") == 3
    assert r.rpushx("l", "z") == 4
    assert r.lrange("l", 0, -1) == [b"b", b"a", b"m", b"z"]


def test_pop_with_count(r):
    r.rpush("l", *"abcde")
    assert r.lpop("l") == b"a"
    assert r.rpop("l") == b"e"
    assert r.lpop("l", 2) == [b"b", b"c"]
    assert r.rpop("l", 0) == []
    assert r.rpop("l", 10) == [b"d"]
    assert r.exists("l") == 0
    assert r.lpop("l") is None
    assert r.lpop("l", 3) is None
    assert err(r, "LPOP", "l", "-1") == ERR_POS
    assert err(r, "RPOP", "l", "x") == ERR_POS
    assert err(r, "LPOP", "l", "1", "2") == "wrong number of arguments for 'lpop' command"


def test_pop_count_missing_is_null_array(raw):
    c = raw()
    assert c.cmd_bytes("LPOP", "nokey", "2") == b"*-1\r\n"
    assert c.cmd_bytes("LPOP", "nokey") == b"$-1\r\n"
    assert c.cmd_bytes("RPOP", "nokey", "0") == b"*-1\r\n"
    c.cmd("RPUSH", "l", "a")
    assert c.cmd_bytes("RPOP", "l", "0") == b"*0\r\n"
    c.cmd("DEL", "l")


def test_lindex_lset(r):
    r.rpush("l", "a", "b", "c", "12")
    assert r.lindex("l", 0) == b"a"
    assert r.lindex("l", -1) == b"12"
    assert r.lindex("l", 4) is None
    assert r.lindex("l", -5) is None
    assert r.lindex("nokey", 0) is None
    assert r.lindex("nokey", "x") is None          # the key is looked up first
    assert err(r, "LINDEX", "l", "x") == ERR_INT
    assert r.lset("l", 1, "B")
    assert r.lset("l", -1, "13")
    assert r.lrange("l", 0, -1) == [b"a", b"B", b"c", b"13"]
    assert err(r, "LSET", "l", "4", "x") == "index out of range"
    assert err(r, "LSET", "nokey", "x", "v") == "no such key"
    assert err(r, "LSET", "l", "x", "v") == ERR_INT


def test_linsert(r):
    assert r.linsert("nokey", "before", "a", "b") == 0
    r.rpush("l", "a", "b", "c")
    assert r.linsert("l", "before", "b", "x") == 4
    assert r.linsert("l", "AFTER", "c", "y") == 5
    assert r.linsert("l", "after", "nope", "y") == -1
    assert r.lrange("l", 0, -1) == [b"a", b"x", b"b", b"c", b"y"]
    assert err(r, "LINSERT", "l", "middle", "a", "b") == "syntax error"


def test_lrem(r):
    r.rpush("l", *"abacada")
    assert r.lrem("l", 2, "a") == 2
    assert r.lrange("l", 0, -1) == [b"b", b"c", b"a", b"d", b"a"]
    assert r.lrem("l", -1, "a") == 1
    assert r.lrange("l", 0, -1) == [b"b", b"c", b"a", b"d"]
    assert r.lrem("l", 0, "zz") == 0
    assert r.lrem("nokey", 0, "a") == 0
    assert err(r, "LREM", "l", "x", "a") == ERR_INT
    r.delete("l")
    r.rpush("l", "a", "a")
    assert r.lrem("l", 0, "a") == 2
    assert r.exists("l") == 0


def test_ltrim(r):
    r.rpush("l", *"abcdef")
    assert r.ltrim("l", 1, -2)
    assert r.lrange("l", 0, -1) == [b"b", b"c", b"d", b"e"]
    assert r.ltrim("l", -2, 100)
    assert r.lrange("l", 0, -1) == [b"d", b"e"]
    assert r.ltrim("l", 5, 1)
    assert r.exists("l") == 0
    assert r.ltrim("nokey", 0, 1)
    assert err(r, "LTRIM", "nokey", "x", "1") == ERR_INT


def test_lpos(r):
    r.rpush("l", "a", "b", "c", "1", "2", "3", "c", "c")
    assert r.lpos("l", "c") == 2
    assert r.lpos("l", "c", rank=2) == 6
    assert r.lpos("l", "c", rank=-1) == 7
    assert r.lpos("l", "c", rank=-3) == 2
    assert r.lpos("l", "c", count=0) == [2, 6, 7]
    assert r.lpos("l", "c", count=2, rank=-1) == [7, 6]
    assert r.lpos("l", "c", count=0, maxlen=3) == [2]
    assert r.lpos("l", "c", maxlen=2) is None
    assert r.lpos("l", "zz") is None
    assert r.lpos("l", "zz", count=5) == []
    assert r.lpos("nokey", "a") is None
    assert r.lpos("nokey", "a", count=1) == []
    # Redis 7.0 treats the most negative rank like -1
    assert r.execute_command("LPOS", "l", "c", "RANK", "-9223372036854775808") == 7
    assert err(r, "LPOS", "l", "c", "RANK", "0") == (
        "RANK can't be zero: use 1 to start from the first match, 2 from the second ... or "
        "use negative to start from the end of the list")
    assert err(r, "LPOS", "l", "c", "COUNT", "-1") == "COUNT can't be negative"
    assert err(r, "LPOS", "l", "c", "MAXLEN", "-1") == "MAXLEN can't be negative"
    assert err(r, "LPOS", "l", "c", "RANK", "x") == ERR_INT
    assert err(r, "LPOS", "l", "c", "COUNT") == "syntax error"
    assert err(r, "LPOS", "l", "c", "FOO", "1") == "syntax error"


def test_lmove_rpoplpush(r):
    r.rpush("src", "a", "b", "c")
    assert r.lmove("src", "dst", "LEFT", "RIGHT") == b"a"
    assert r.lmove("src", "dst", "RIGHT", "LEFT") == b"c"
    assert r.lrange("dst", 0, -1) == [b"c", b"a"]
    assert r.rpoplpush("src", "dst") == b"b"
    assert r.exists("src") == 0
    assert r.lrange("dst", 0, -1) == [b"b", b"c", b"a"]
    assert r.lmove("dst", "dst", "LEFT", "RIGHT") == b"b"     # rotation
    assert r.lrange("dst", 0, -1) == [b"c", b"a", b"b"]
    assert r.lmove("nokey", "dst", "LEFT", "LEFT") is None
    assert r.rpoplpush("nokey", "dst") is None
    assert err(r, "LMOVE", "dst", "x", "UP", "LEFT") == "syntax error"
    r.set("s", "v")
    assert err(r, "LMOVE", "dst", "s", "LEFT", "LEFT") == WRONGTYPE
    assert err(r, "LMOVE", "s", "dst", "LEFT", "LEFT") == WRONGTYPE
    assert r.lmove("nokey", "s", "LEFT", "LEFT") is None
    assert r.lrange("dst", 0, -1) == [b"c", b"a", b"b"]        # nothing moved on error


def test_lmpop(r, raw):
    r.rpush("b", "1", "2", "3")
    assert r.execute_command("LMPOP", "2", "a", "b", "LEFT") == [b"b", [b"1"]]
    assert r.execute_command("LMPOP", "2", "a", "b", "RIGHT", "COUNT", "10") == \
        [b"b", [b"3", b"2"]]
    assert r.exists("b") == 0
    assert r.execute_command("LMPOP", "2", "a", "b", "LEFT") is None
    assert err(r, "LMPOP", "0", "a", "LEFT") == "numkeys should be greater than 0"
    assert err(r, "LMPOP", "x", "a", "LEFT") == "numkeys should be greater than 0"
    assert err(r, "LMPOP", "2", "a", "LEFT") == "syntax error"
    assert err(r, "LMPOP", "99999999999999999", "a", "LEFT") == "syntax error"
    assert err(r, "LMPOP", "1", "a", "MIDDLE") == "syntax error"
    assert err(r, "LMPOP", "1", "a", "LEFT", "COUNT", "0") == "count should be greater than 0"
    assert err(r, "LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1") == "syntax error"
    assert raw().cmd("COMMAND", "GETKEYS", "LMPOP", "2", "a", "b", "LEFT") == [b"a", b"b"]


def test_wrongtype(r):
    r.set("s", "v")
    for args in (("LPUSH", "s", "a"), ("RPUSHX", "s", "a"), ("LPOP", "s"), ("RPOP", "s", "0"),
                 ("LLEN", "s"), ("LRANGE", "s", "0", "1"), ("LINDEX", "s", "x"),
                 ("LSET", "s", "x", "a"), ("LINSERT", "s", "BEFORE", "a", "b"),
                 ("LREM", "s", "0", "a"), ("LTRIM", "s", "0", "1"), ("LPOS", "s", "a"),
                 ("LMPOP", "1", "s", "LEFT"), ("BLPOP", "s", "0"), ("BRPOP", "x", "s", "0"),
                 ("BLMPOP", "0", "1", "s", "LEFT")):
        assert err(r, *args) == WRONGTYPE, args
    assert r.get("s") == b"v"


def test_integers_and_binary(r):
    big = "x" * 100000
    r.rpush("l", "123", "-5", "9223372036854775807", "0x10", "", big, "a\x00b")
    assert r.lrange("l", 0, -1) == [b"123", b"-5", b"9223372036854775807", b"0x10", b"",
                                    big.encode(), b"a\x00b"]
    assert r.lpos("l", "123") == 0
    assert r.lrem("l", 0, "-5") == 1
    assert r.lindex("l", 4) == big.encode()


@pytest.mark.parametrize("fill", [-1, -2, 3, 1, 0])
def test_node_limits_many_ops(r, fill):
    """Mirror a Python list through node splits/merges at several fills."""
    r.config_set("list-max-listpack-size", fill)
    try:
        model = []
        for i in range(300):
            v = ("v%d" % i) * (1 + i % 7)
            if i % 3 == 0:
                r.lpush("l", v)
                model.insert(0, v)
            else:
                r.rpush("l", v)
                model.append(v)
        assert [x.decode() for x in r.lrange("l", 0, -1)] == model
        for i in range(0, 250, 9):      # inserts in the middle of full nodes
            pivot = model[i]
            r.linsert("l", "BEFORE", pivot, "ins%d" % i)
            model.insert(model.index(pivot), "ins%d" % i)
        for i in range(5, 200, 11):
            r.lset("l", i, "set%d" % i * 50)
            model[i] = "set%d" % i * 50
        assert r.lrem("l", 0, model[10]) == model.count(model[10])
        model = [x for x in model if x != model[10]]
        r.ltrim("l", 7, -9)
        model = model[7:-8]
        assert [x.decode() for x in r.lrange("l", 0, -1)] == model
        assert r.llen("l") == len(model)
        for i in (0, 1, len(model) // 2, -1, -2):
            assert r.lindex("l", i).decode() == model[i]
        assert r.object("encoding", "l") == b"quicklist"
    finally:
        r.config_set("list-max-listpack-size", -2)


def test_keyspace_events(r, raw):
    sub = raw()
    sub.cmd("PSUBSCRIBE", "__keyevent@0__:*")
    r.config_set("notify-keyspace-events", "El$g")
    try:
        w = raw()
        w.cmd("RPUSH", "l", "a", "b", "c")
        w.cmd("LPUSH", "l", "z")
        w.cmd("LINSERT", "l", "BEFORE", "a", "x")
        w.cmd("LSET", "l", "0", "y")
        w.cmd("LREM", "l", "0", "x")
        w.cmd("LTRIM", "l", "0", "2")
        w.cmd("LMOVE", "l", "m", "LEFT", "RIGHT")
        w.cmd("LPOP", "l", "5")
        w.cmd("RPOP", "m")
        events = [sub.read_reply()[2:] for _ in range(12)]
        assert events == [
            [b"__keyevent@0__:rpush", b"l"], [b"__keyevent@0__:lpush", b"l"],
            [b"__keyevent@0__:linsert", b"l"], [b"__keyevent@0__:lset", b"l"],
            [b"__keyevent@0__:lrem", b"l"], [b"__keyevent@0__:ltrim", b"l"],
            [b"__keyevent@0__:rpush", b"m"], [b"__keyevent@0__:lpop", b"l"],
            [b"__keyevent@0__:lpop", b"l"], [b"__keyevent@0__:del", b"l"],
            [b"__keyevent@0__:rpop", b"m"], [b"__keyevent@0__:del", b"m"],
        ]
        assert sub.read_available(0.2) == b""
    finally:
        r.config_set("notify-keyspace-events", "")
