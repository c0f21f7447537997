# test_multi.py -- MULTI/EXEC/DISCARD/WATCH/UNWATCH against Redis 7.0 and keel-server: exact
# replies (nested arrays, EXECABORT, runtime errors inside EXEC, RESP3 nulls), WATCH races
# between two connections, WATCH with expiry, FLUSHALL and SWAPDB, commands that cannot be
# queued, blocking commands inside EXEC, and redis-py's transaction helpers.
# SPDX-License-Identifier: BSD-3-Clause

import time

import pytest
import redis

from conftest import ErrorReply

EXECABORT = b"EXECABORT Transaction discarded because of previous errors."


def tx(c, *cmds):
    """MULTI, queue cmds (each must answer +QUEUED), EXEC; returns the EXEC reply bytes."""
    assert c.cmd_bytes("MULTI") == b"+OK\r\n"
    for args in cmds:
        assert c.cmd_bytes(*args) == b"+QUEUED\r\n"
    return c.cmd_bytes("EXEC")


@pytest.fixture
def no_active_expire(r):
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    yield
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")


# ------------------------------------------------------------------ MULTI / EXEC / DISCARD

def test_exec_replies_exact_bytes(r, raw):
    c = raw()
    got = tx(c, ("SET", "a", "1"), ("INCR", "a"), ("GET", "a"), ("RPUSH", "l", "x", "y"),
             ("LRANGE", "l", "0", "-1"), ("GET", "missing"), ("PING",))
    assert got == (b"*7\r\n+OK\r\n:2\r\n$1\r\n2\r\n:2\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n"
                   b"$-1\r\n+PONG\r\n")
    assert tx(c) == b"*0\r\n"
    # the client is out of MULTI after EXEC
    assert c.cmd_bytes("EXEC") == b"-ERR EXEC without MULTI\r\n"


def test_exec_runtime_errors_fail_only_their_command(r, raw):
    c = raw()
    got = tx(c, ("SET", "s", "hello"), ("INCR", "s"), ("LPUSH", "s", "x"), ("APPEND", "s", "!"),
             ("GET", "s"))
    assert got == (b"*5\r\n+OK\r\n-ERR value is not an integer or out of range\r\n"
                   b"-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
                   b":6\r\n$6\r\nhello!\r\n")
    assert r.get("s") == b"hello!"


def test_execabort_after_queuing_errors(r, raw):
    c = raw()
    for bad in (("NOSUCHCMD", "x"), ("SET", "a"), ("GET",)):
        assert c.cmd("MULTI") == b"OK"
        assert c.cmd("SET", "a", "1") == b"QUEUED"
        assert isinstance(c.cmd(*bad), ErrorReply)
        assert c.cmd("SET", "b", "2") == b"QUEUED"
        assert c.cmd_bytes("EXEC") == b"-" + EXECABORT + b"\r\n"
        assert r.exists("a", "b") == 0
    # after EXECABORT the client left MULTI
    assert c.cmd_bytes("DISCARD") == b"-ERR DISCARD without MULTI\r\n"


def test_errors_outside_and_nested(r, raw):
    c = raw()
    assert c.cmd_bytes("EXEC") == b"-ERR EXEC without MULTI\r\n"
    assert c.cmd_bytes("DISCARD") == b"-ERR DISCARD without MULTI\r\n"
    assert c.cmd_bytes("MULTI") == b"+OK\r\n"
    assert c.cmd_bytes("MULTI") == b"-ERR MULTI calls can not be nested\r\n"
    assert c.cmd_bytes("WATCH", "k") == b"-ERR WATCH inside MULTI is not allowed\r\n"
    assert c.cmd_bytes("SET", "k", "v") == b"+QUEUED\r\n"
    # neither the nested MULTI nor WATCH inside MULTI abort the transaction
    assert c.cmd_bytes("EXEC") == b"*1\r\n+OK\r\n"
    assert c.cmd_bytes("MULTI", "x") == b"-ERR wrong number of arguments for 'multi' command\r\n"
    assert c.cmd_bytes("EXEC") == b"-ERR EXEC without MULTI\r\n"


def test_discard(r, raw):
    c = raw()
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("SET", "a", "1") == b"QUEUED"
    assert c.cmd_bytes("DISCARD") == b"+OK\r\n"
    assert r.exists("a") == 0
    assert c.cmd_bytes("EXEC") == b"-ERR EXEC without MULTI\r\n"
    # DISCARD also unwatches
    assert c.cmd("WATCH", "w") == b"OK"
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("DISCARD") == b"OK"
    r.set("w", "changed")
    assert tx(c, ("GET", "w")) == b"*1\r\n$7\r\nchanged\r\n"


def test_no_multi_command_rejected(r, raw):
    c = raw()
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd_bytes("SHUTDOWN") == b"-ERR Command not allowed inside a transaction\r\n"
    assert c.cmd_bytes("EXEC") == b"-" + EXECABORT + b"\r\n"


def test_select_and_queued_unwatch_inside_exec(r, raw):
    c = raw()
    assert tx(c, ("SELECT", "3"), ("SET", "k", "db3"), ("UNWATCH",)) == \
        b"*3\r\n+OK\r\n+OK\r\n+OK\r\n"
    assert c.cmd("GET", "k") == b"db3"
    assert r.get("k") is None


def test_blocking_commands_inside_exec_do_not_block(r, raw):
    c = raw()
    start = time.time()
    assert tx(c, ("BLPOP", "nolist", "0"), ("BRPOP", "nolist", "5"), ("RPUSH", "l", "a"),
              ("BLPOP", "l", "0")) == \
        b"*4\r\n*-1\r\n*-1\r\n:1\r\n*2\r\n$1\r\nl\r\n$1\r\na\r\n"
    assert time.time() - start < 2


def test_subscribe_inside_multi_resp2(r, raw):
    c = raw()
    # PING after SUBSCRIBE already answers in the subscribed-mode form
    assert tx(c, ("SUBSCRIBE", "ch"), ("PING",)) == \
        (b"*2\r\n*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
         b"*2\r\n$4\r\npong\r\n$0\r\n\r\n")
    # now in subscribed mode: messages arrive
    r.publish("ch", "hi")
    assert c.read_reply() == [b"message", b"ch", b"hi"]


def test_quit_and_reset_inside_multi(r, raw):
    c = raw()
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("SET", "a", "1") == b"QUEUED"
    assert c.cmd_bytes("RESET") == b"+RESET\r\n"
    assert c.cmd_bytes("EXEC") == b"-ERR EXEC without MULTI\r\n"
    assert c.cmd("MULTI") == b"OK"
    assert c.cmd("SET", "a", "1") == b"QUEUED"
    assert c.cmd_bytes("QUIT") == b"+OK\r\n"
    assert c.read_available(0.5) == b""
    assert r.exists("a") == 0


def test_resp3_exec_and_watch_null(r, raw):
    c = raw()
    c.cmd("HELLO", "3")
    assert tx(c, ("HSET", "h", "f", "v"), ("HGETALL", "h")) == \
        b"*2\r\n:1\r\n%1\r\n$1\r\nf\r\n$1\r\nv\r\n"
    assert c.cmd("WATCH", "h") == b"OK"
    r.hset("h", "f", "v2")
    assert tx(c, ("HGET", "h", "f")) == b"_\r\n"


# ------------------------------------------------------------------ WATCH

def test_watch_broken_by_other_client(r, raw):
    a, b = raw(), raw()
    assert a.cmd("WATCH", "k") == b"OK"
    assert b.cmd("SET", "k", "1") == b"OK"
    assert tx(a, ("SET", "k", "2")) == b"*-1\r\n"
    assert r.get("k") == b"1"
    # the failed EXEC unwatched: the next transaction runs
    assert b.cmd("SET", "k", "3") == b"OK"
    assert tx(a, ("SET", "k", "4")) == b"*1\r\n+OK\r\n"
    assert r.get("k") == b"4"


def test_watch_unrelated_key_or_other_db_does_not_break(r, raw):
    a, b = raw(), raw()
    assert a.cmd("WATCH", "k", "k2") == b"OK"
    assert b.cmd("SET", "other", "1") == b"OK"
    assert b.cmd("SELECT", "1") == b"OK"
    assert b.cmd("SET", "k", "1") == b"OK"
    assert b.cmd("DEL", "k2") == 0          # deleting a missing key changes nothing
    assert tx(a, ("GET", "k")) == b"*1\r\n$-1\r\n"


def test_watch_broken_by_own_write_and_by_same_value(r, raw):
    a, b = raw(), raw()
    r.set("k", "v")
    assert a.cmd("WATCH", "k") == b"OK"
    assert a.cmd("SET", "k", "v") == b"OK"
    assert tx(a, ("GET", "k")) == b"*-1\r\n"
    assert a.cmd("WATCH", "k") == b"OK"
    assert b.cmd("SET", "k", "v") == b"OK"     # same value still counts as a write
    assert tx(a, ("GET", "k")) == b"*-1\r\n"


def test_watch_collection_writes(r, raw):
    a, b = raw(), raw()
    for write in (("LPUSH", "l", "x"), ("HSET", "h", "f", "v"), ("SADD", "s", "m"),
                  ("ZADD", "z", "1", "m"), ("EXPIRE", "l", "100"), ("RENAME", "h", "h2")):
        key = "h2" if write[0] == "RENAME" else write[1]
        assert a.cmd("WATCH", write[1], key) == b"OK"
        assert b.cmd(*write) is not None
        assert tx(a, ("PING",)) == b"*-1\r\n", write


def test_unwatch_clears_dirty(r, raw):
    a, b = raw(), raw()
    assert a.cmd("WATCH", "k") == b"OK"
    assert b.cmd("SET", "k", "1") == b"OK"
    assert a.cmd_bytes("UNWATCH") == b"+OK\r\n"
    assert tx(a, ("GET", "k")) == b"*1\r\n$1\r\n1\r\n"
    assert a.cmd_bytes("UNWATCH") == b"+OK\r\n"


def test_watch_flushall_flushdb(r, raw):
    a, b = raw(), raw()
    r.set("k", "v")
    assert a.cmd("WATCH", "k") == b"OK"
    assert b.cmd("FLUSHALL") == b"OK"
    assert tx(a, ("PING",)) == b"*-1\r\n"
    # FLUSHDB of a database without the watched key: no change
    assert a.cmd("WATCH", "k") == b"OK"
    assert b.cmd("FLUSHDB") == b"OK"
    assert tx(a, ("PING",)) == b"*1\r\n+PONG\r\n"
    r.set("k", "v")
    assert a.cmd("WATCH", "k") == b"OK"
    assert b.cmd("FLUSHDB") == b"OK"
    assert tx(a, ("PING",)) == b"*-1\r\n"


def test_watch_swapdb(r, raw):
    a, b = raw(), raw()
    r.set("k", "v")
    assert a.cmd("WATCH", "k") == b"OK"
    assert b.cmd("SWAPDB", "0", "1") == b"OK"
    assert tx(a, ("PING",)) == b"*-1\r\n"
    # the watched key is missing in db 0 but present in db 1: swapping brings it in
    assert a.cmd("WATCH", "k") == b"OK"
    assert b.cmd("SWAPDB", "0", "1") == b"OK"
    assert tx(a, ("PING",)) == b"*-1\r\n"
    # missing in both: no change
    assert a.cmd("WATCH", "nothere") == b"OK"
    assert b.cmd("SWAPDB", "0", "1") == b"OK"
    assert tx(a, ("PING",)) == b"*1\r\n+PONG\r\n"


def test_watch_key_expiring_after_watch(r, raw, no_active_expire):
    a, b = raw(), raw()
    # logically expired at EXEC (nobody touched it): EXEC fails
    assert a.cmd("SET", "k", "v", "PX", "100") == b"OK"
    assert a.cmd("WATCH", "k") == b"OK"
    time.sleep(0.2)
    assert tx(a, ("PING",)) == b"*-1\r\n"
    # lazily expired by another client's read
    assert a.cmd("SET", "k", "v", "PX", "100") == b"OK"
    assert a.cmd("WATCH", "k") == b"OK"
    time.sleep(0.2)
    assert b.cmd("GET", "k") is None
    assert tx(a, ("PING",)) == b"*-1\r\n"


def test_watch_key_removed_by_active_expiry(r, raw):
    a = raw()
    assert a.cmd("SET", "k", "v", "PX", "50") == b"OK"
    assert a.cmd("WATCH", "k") == b"OK"
    deadline = time.time() + 5
    while r.dbsize() and time.time() < deadline:   # DBSIZE does not expire lazily
        time.sleep(0.05)
    assert r.dbsize() == 0
    assert tx(a, ("PING",)) == b"*-1\r\n"


def test_watch_already_expired_key(r, raw, no_active_expire):
    a, b = raw(), raw()
    # expired before WATCH: neither its deletion nor a flush is a change...
    for delete in (("GET", "k"), ("DEL", "k"), ("FLUSHALL",), None):
        assert a.cmd("SET", "k", "v", "PX", "50") == b"OK"
        time.sleep(0.1)
        assert a.cmd("WATCH", "k") == b"OK"
        if delete:
            b.cmd(*delete)
        assert tx(a, ("PING",)) == b"*1\r\n+PONG\r\n", delete
    # ...but writing it is
    assert a.cmd("SET", "k", "v", "PX", "50") == b"OK"
    time.sleep(0.1)
    assert a.cmd("WATCH", "k") == b"OK"
    assert b.cmd("SET", "k", "new") == b"OK"
    assert tx(a, ("PING",)) == b"*-1\r\n"


def test_disconnect_with_watch_and_multi(r, raw):
    for _ in range(20):
        a = raw()
        a.cmd("WATCH", "k", "k2")
        a.cmd("MULTI")
        a.cmd("SET", "k", "1")
        a.sock.close()
    b = raw()
    assert b.cmd("WATCH", "k") == b"OK"
    time.sleep(0.1)
    r.set("k", "x")      # touching a key whose other watchers are gone
    r.flushall()
    assert tx(b, ("PING",)) == b"*-1\r\n"
    assert r.ping()


def test_command_info_rows(raw):
    rows = raw().cmd("COMMAND", "INFO", "multi", "exec", "discard", "watch", "unwatch")
    got = [[x[0], x[1], sorted(x[2]), x[3], x[4], x[5], sorted(x[6])] for x in rows]
    assert got == [
        [b"multi", 1, sorted([b"noscript", b"loading", b"stale", b"fast", b"allow_busy"]), 0, 0,
         0, [b"@fast", b"@transaction"]],
        [b"exec", 1, sorted([b"noscript", b"loading", b"stale", b"skip_slowlog"]), 0, 0, 0,
         [b"@slow", b"@transaction"]],
        [b"discard", 1, sorted([b"noscript", b"loading", b"stale", b"fast", b"allow_busy"]), 0,
         0, 0, [b"@fast", b"@transaction"]],
        [b"watch", -2, sorted([b"noscript", b"loading", b"stale", b"fast", b"allow_busy"]), 1,
         -1, 1, [b"@fast", b"@transaction"]],
        [b"unwatch", 1, sorted([b"noscript", b"loading", b"stale", b"fast", b"allow_busy"]), 0,
         0, 0, [b"@fast", b"@transaction"]],
    ]


# ------------------------------------------------------------------ redis-py helpers

def test_redis_py_pipeline_transaction(r):
    p = r.pipeline(transaction=True)
    p.set("a", "1").incr("a").rpush("l", "x", "y").lrange("l", 0, -1).hset("h", "f", "v")
    assert p.execute() == [True, 2, 2, [b"x", b"y"], 1]
    p = r.pipeline(transaction=True)
    p.set("s", "x").incr("s").get("s")
    res = p.execute(raise_on_error=False)
    assert res[0] is True and res[2] == b"x"
    assert isinstance(res[1], redis.ResponseError)


def test_redis_py_transaction_helper_retries(server, r):
    other = server.client()
    r.set("counter", "10")
    attempts = []

    def incr_twice(pipe):
        value = int(pipe.get("counter"))
        if not attempts:
            other.set("counter", "100")    # a concurrent write breaks the first attempt
        attempts.append(value)
        pipe.multi()
        pipe.set("counter", value * 2)

    assert r.transaction(incr_twice, "counter") == [True]
    assert attempts == [10, 100]
    assert r.get("counter") == b"200"
    other.close()


def test_redis_py_watch_error(server, r):
    other = server.client()
    with r.pipeline() as p:
        p.watch("w")
        other.set("w", "1")
        p.multi()
        p.set("w", "2")
        with pytest.raises(redis.WatchError):
            p.execute()
    assert r.get("w") == b"1"
    other.close()
