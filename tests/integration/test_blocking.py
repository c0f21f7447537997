# test_blocking.py -- blocking list commands against Redis 7.0 and keel: FIFO service of
# several waiting clients, fractional timeouts, wake-ups by pushes, MULTI/EXEC and BLMOVE
# chains, pipelined input after the wake-up, disconnects while blocked, MULTI semantics.
# SPDX-License-Identifier: BSD-3-Clause

import time

import pytest



@pytest.fixture(autouse=True)
def _clean(r):
    """Every test starts from an empty keyspace (the `r` fixture flushes), also raw-only ones."""
    yield

def blocked(r):
    return r.info("clients")["blocked_clients"]


def wait_blocked(r, n, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if blocked(r) == n:
            return
        time.sleep(0.01)
    raise AssertionError("blocked_clients never reached %d (now %d)" % (n, blocked(r)))


def test_argument_errors(raw):
    c = raw()
    assert c.cmd("BLPOP", "q", "x") == b"ERR timeout is not a float or out of range"
    assert c.cmd("BRPOP", "q", "-1") == b"ERR timeout is negative"
    assert c.cmd("BLMOVE", "a", "b", "LEFT", "UP", "0") == b"ERR syntax error"
    assert c.cmd("BLMOVE", "a", "b", "LEFT", "LEFT", "x") == \
        b"ERR timeout is not a float or out of range"
    assert c.cmd("BRPOPLPUSH", "a", "b", "-0.5") == b"ERR timeout is negative"
    assert c.cmd("BLMPOP", "x", "1", "k", "LEFT") == \
        b"ERR timeout is not a float or out of range"
    assert c.cmd("BLMPOP", "0", "0", "k", "LEFT") == b"ERR numkeys should be greater than 0"
    assert c.cmd("BLMPOP", "0", "1", "k", "LEFT", "COUNT", "0") == \
        b"ERR count should be greater than 0"


def test_immediate_when_data(raw):
    c = raw()
    c.cmd("RPUSH", "a", "1", "2", "3")
    assert c.cmd("BLPOP", "nokey", "a", "0") == [b"a", b"1"]
    assert c.cmd("BRPOP", "a", "0") == [b"a", b"3"]
    assert c.cmd("BLMPOP", "0", "2", "x", "a", "LEFT", "COUNT", "5") == [b"a", [b"2"]]
    c.cmd("RPUSH", "a", "1")
    assert c.cmd("BRPOPLPUSH", "a", "b", "0") == b"1"
    assert c.cmd("BLMOVE", "b", "a", "LEFT", "RIGHT", "0") == b"1"
    assert c.cmd("LRANGE", "a", "0", "-1") == [b"1"]
    c.cmd("DEL", "a")


def test_timeouts(raw):
    c = raw()
    for args, expect in ((("BLPOP", "q", "0.1"), b"*-1\r\n"),
                         (("BRPOP", "q", "w", "0.05"), b"*-1\r\n"),
                         (("BLMPOP", "0.1", "1", "q", "LEFT"), b"*-1\r\n"),
                         (("BLMOVE", "q", "d", "LEFT", "LEFT", "0.1"), b"*-1\r\n"),
                         (("BRPOPLPUSH", "q", "d", "0.1"), b"*-1\r\n")):
        t0 = time.monotonic()
        assert c.cmd_bytes(*args) == expect
        elapsed = time.monotonic() - t0
        assert 0.04 <= elapsed < 2.0, (args, elapsed)
    assert c.cmd("EXISTS", "d") == 0


def test_timeout_resp3(raw):
    c = raw()
    c.cmd("HELLO", "3")
    assert c.cmd_bytes("BLPOP", "q", "0.05") == b"_\r\n"
    assert c.cmd_bytes("BLMOVE", "q", "d", "LEFT", "LEFT", "0.05") == b"_\r\n"


def test_fifo_several_clients(r, raw):
    waiters = []
    for i in range(3):
        w = raw()
        w.send(w.encode("BLPOP", "q", "0"))
        wait_blocked(r, i + 1)
        waiters.append(w)
    other = raw()
    assert other.cmd("RPUSH", "q", "a", "b") == 2
    assert waiters[0].read_reply() == [b"q", b"a"]
    assert waiters[1].read_reply() == [b"q", b"b"]
    wait_blocked(r, 1)
    assert waiters[2].read_available(0.1) == b""
    assert other.cmd("LPUSH", "q", "c") == 1
    assert waiters[2].read_reply() == [b"q", b"c"]
    wait_blocked(r, 0)
    assert other.cmd("EXISTS", "q") == 0


def test_several_keys_and_brpop(r, raw):
    w = raw()
    w.send(w.encode("BRPOP", "k1", "k2", "k3", "0"))
    wait_blocked(r, 1)
    other = raw()
    other.cmd("SET", "k1", "string")         # wrong type: the client stays blocked
    other.cmd("RPUSH", "k3", "x", "y")
    assert w.read_reply() == [b"k3", b"y"]
    assert other.cmd("LRANGE", "k3", "0", "-1") == [b"x"]
    other.cmd("DEL", "k1", "k3")


def test_wake_by_multi_exec(r, raw):
    w = raw()
    w.send(w.encode("BLPOP", "q", "0"))
    wait_blocked(r, 1)
    other = raw()
    assert other.cmd("MULTI") == b"OK"
    assert other.cmd("RPUSH", "q", "a") == b"QUEUED"
    assert other.cmd("RPUSH", "q", "b") == b"QUEUED"
    assert other.cmd("EXEC") == [1, 2]
    assert w.read_reply() == [b"q", b"a"]
    assert other.cmd("LRANGE", "q", "0", "-1") == [b"b"]
    other.cmd("DEL", "q")


def test_blmove_chain(r, raw):
    a = raw()
    a.send(a.encode("BLMOVE", "src", "mid", "RIGHT", "LEFT", "0"))
    wait_blocked(r, 1)
    b = raw()
    b.send(b.encode("BRPOPLPUSH", "mid", "dst", "0"))
    wait_blocked(r, 2)
    c = raw()
    c.send(c.encode("BLPOP", "dst", "0"))
    wait_blocked(r, 3)
    other = raw()
    assert other.cmd("LPUSH", "src", "v") == 1
    assert a.read_reply() == b"v"
    assert b.read_reply() == b"v"
    assert c.read_reply() == [b"dst", b"v"]
    wait_blocked(r, 0)
    assert other.cmd("EXISTS", "src", "mid", "dst") == 0


def test_blmpop_served_with_count(r, raw):
    w = raw()
    w.send(w.encode("BLMPOP", "0", "2", "x", "y", "RIGHT", "COUNT", "2"))
    wait_blocked(r, 1)
    other = raw()
    other.cmd("RPUSH", "y", "1", "2", "3")
    assert w.read_reply() == [b"y", [b"3", b"2"]]
    other.cmd("DEL", "y")


def test_pipelined_after_wakeup(r, raw):
    w = raw()
    w.send(w.encode("BLPOP", "q", "0") + w.encode("PING") + w.encode("LLEN", "q"))
    wait_blocked(r, 1)
    assert w.read_available(0.1) == b""
    other = raw()
    other.cmd("RPUSH", "q", "a", "b")
    assert w.read_reply() == [b"q", b"a"]
    assert w.read_reply() == b"PONG"
    assert w.read_reply() == 1
    other.cmd("DEL", "q")


def test_pipelined_after_timeout(r, raw):
    w = raw()
    w.send(w.encode("BLPOP", "q", "0.05") + w.encode("PING"))
    assert w.read_reply() is None
    assert w.read_reply() == b"PONG"


def test_disconnect_while_blocked(r, raw):
    w = raw()
    w.send(w.encode("BLPOP", "q", "0"))
    w2 = raw()
    w2.send(w2.encode("BLMOVE", "q", "d", "LEFT", "LEFT", "10"))
    wait_blocked(r, 2)
    w.close()
    w2.close()
    wait_blocked(r, 0)
    other = raw()
    assert other.cmd("RPUSH", "q", "a") == 1
    assert other.cmd("LRANGE", "q", "0", "-1") == [b"a"]
    assert other.cmd("PING") == b"PONG"
    other.cmd("DEL", "q")


def test_inside_multi_returns_immediately(raw):
    c = raw()
    assert c.cmd("MULTI") == b"OK"
    for args in (("BLPOP", "q", "0"), ("BRPOP", "q", "0"), ("BLMOVE", "q", "d", "LEFT",
                 "LEFT", "0"), ("BRPOPLPUSH", "q", "d", "0"), ("BLMPOP", "0", "1", "q", "LEFT")):
        assert c.cmd(*args) == b"QUEUED"
    c.send(c.encode("EXEC"))
    assert c.read_reply_bytes() == b"*5\r\n*-1\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n"


def test_served_client_events(r, raw):
    sub = raw()
    sub.cmd("PSUBSCRIBE", "__keyevent@0__:*")
    r.config_set("notify-keyspace-events", "Elg")
    try:
        w = raw()
        w.send(w.encode("BLPOP", "q", "0"))
        wait_blocked(r, 1)
        raw().cmd("RPUSH", "q", "a")
        assert w.read_reply() == [b"q", b"a"]
        got = [sub.read_reply()[2:] for _ in range(3)]
        assert got == [[b"__keyevent@0__:rpush", b"q"], [b"__keyevent@0__:lpop", b"q"],
                       [b"__keyevent@0__:del", b"q"]]
    finally:
        r.config_set("notify-keyspace-events", "")


@pytest.mark.parametrize("n", [20])
def test_many_clients_one_push_each(r, raw, n):
    ws = []
    for i in range(n):
        w = raw()
        w.send(w.encode("BRPOP", "q%d" % (i % 3), "0"))
        ws.append(w)
    wait_blocked(r, n)
    other = raw()
    for i in range(n):
        other.cmd("LPUSH", "q%d" % (i % 3), "v%d" % i)
    for i, w in enumerate(ws):
        assert w.read_reply() == [b"q%d" % (i % 3), b"v%d" % i]
    wait_blocked(r, 0)
