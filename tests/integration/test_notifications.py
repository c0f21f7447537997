# test_notifications.py -- keyspace notifications against Redis 7.0 and keel-server: with
# notify-keyspace-events set to KEA and narrower variants ("Kl", "Eg$", "KEAn", "Ex"), a second
# connection subscribed to __key*__:* must see exactly Redis's channel/message sequence for
# string, generic and collection commands, 'expired' from lazy and active expiry, and 'new'.
# SPDX-License-Identifier: BSD-3-Clause

import time

import pytest

from conftest import RawConn

enc = RawConn.encode


@pytest.fixture
def events(r, raw):
    """events(flags) -> (writer, expect): expect(*pairs) checks the next messages exactly.

    pairs are (channel, message) as str; nothing else may arrive afterwards."""
    sub = raw()
    sub.send(enc("PSUBSCRIBE", "__key*__:*"))
    assert sub.read_reply() == [b"psubscribe", b"__key*__:*", 1]
    writer = raw()

    def setup(flags):
        assert writer.cmd("CONFIG", "SET", "notify-keyspace-events", flags) == b"OK"

        def expect(*pairs):
            got = []
            for _ in pairs:
                m = sub.read_reply()
                assert m[0] == b"pmessage", m
                got.append((m[2].decode(), m[3].decode()))
            assert got == list(pairs)
            assert sub.read_available(0.1) == b""
        return writer, expect

    yield setup
    r.config_set("notify-keyspace-events", "")
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1")


def both(event, key, db=0):
    """The keyspace and keyevent messages of one event, in Redis's order."""
    return [("__keyspace@%d__:%s" % (db, key), event), ("__keyevent@%d__:%s" % (db, event), key)]


def test_kea_strings_and_generic(events):
    w, expect = events("KEA")
    assert w.cmd("SET", "a", "1") == b"OK"
    assert w.cmd("INCR", "a") == 2
    assert w.cmd("APPEND", "a", "x") == 2
    assert w.cmd("EXPIRE", "a", "100") == 1
    assert w.cmd("RENAME", "a", "b") == b"OK"
    assert w.cmd("DEL", "b", "nothere") == 1
    expect(*both("set", "a"), *both("incrby", "a"), *both("append", "a"), *both("expire", "a"),
           *both("rename_from", "a"), *both("rename_to", "b"), *both("del", "b"))
    # commands that change nothing are silent
    assert w.cmd("DEL", "nothere") == 0
    assert w.cmd("GET", "nothere") is None
    assert w.cmd("EXPIRE", "nothere", "10") == 0
    expect()


def test_kea_without_n_has_no_new_event(events):
    w, expect = events("KEA")
    assert w.cmd("SET", "fresh", "1") == b"OK"
    expect(*both("set", "fresh"))


def test_new_event_with_n(events):
    w, expect = events("KEAn")
    assert w.cmd("SET", "fresh", "1") == b"OK"
    assert w.cmd("SET", "fresh", "2") == b"OK"          # existing: no 'new'
    assert w.cmd("LPUSH", "list", "x") == 1
    expect(*both("new", "fresh"), *both("set", "fresh"), *both("set", "fresh"),
           *both("new", "list"), *both("lpush", "list"))


def test_keyevent_generic_and_strings_only(events):
    w, expect = events("Eg$")
    assert w.cmd("SET", "a", "1") == b"OK"
    assert w.cmd("LPUSH", "l", "x") == 1                 # list class not enabled
    assert w.cmd("EXPIRE", "a", "50") == 1
    assert w.cmd("DEL", "a", "l") == 2
    expect(("__keyevent@0__:set", "a"), ("__keyevent@0__:expire", "a"),
           ("__keyevent@0__:del", "a"), ("__keyevent@0__:del", "l"))


def test_keyspace_lists_only(events):
    w, expect = events("Kl")
    assert w.cmd("SET", "s", "1") == b"OK"
    assert w.cmd("RPUSH", "l", "a", "b") == 2
    assert w.cmd("LPOP", "l") == b"a"
    assert w.cmd("RPOP", "l") == b"b"                    # emptied: 'del' is generic, not shown
    expect(("__keyspace@0__:l", "rpush"), ("__keyspace@0__:l", "lpop"),
           ("__keyspace@0__:l", "rpop"))


def test_expired_lazy(events, r):
    w, expect = events("KEA")
    r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "0")
    assert w.cmd("SET", "e", "v", "PX", "50") == b"OK"
    expect(*both("set", "e"), *both("expire", "e"))    # SET ... PX also reports 'expire'
    time.sleep(0.1)
    assert w.cmd("GET", "e") is None
    expect(*both("expired", "e"))


def test_expired_active(events):
    w, expect = events("Ex")
    assert w.cmd("SET", "e", "v", "PX", "50") == b"OK"
    assert w.cmd("SELECT", "2") == b"OK"
    assert w.cmd("SET", "e2", "v", "PX", "50") == b"OK"
    # nobody reads the keys: the active cycle expires them on its own (db 0 first)
    expect(("__keyevent@0__:expired", "e"), ("__keyevent@2__:expired", "e2"))
    assert w.cmd("DBSIZE") == 0


def test_kea_hash(events):
    w, expect = events("KEA")
    assert w.cmd("HSET", "h", "a", "1", "b", "2") == 2
    assert w.cmd("HINCRBY", "h", "a", "5") == 6
    assert w.cmd("HDEL", "h", "a", "zz") == 1
    assert w.cmd("HDEL", "h", "b") == 1                   # emptied: hdel then del
    expect(*both("hset", "h"), *both("hincrby", "h"), *both("hdel", "h"), *both("hdel", "h"),
           *both("del", "h"))


def test_kea_list(events):
    w, expect = events("KEA")
    assert w.cmd("LPUSH", "l", "a", "b") == 2
    assert w.cmd("RPUSH", "l", "c") == 3
    assert w.cmd("LSET", "l", "0", "z") == b"OK"
    assert w.cmd("LPOP", "l", "3") == [b"z", b"a", b"c"]
    expect(*both("lpush", "l"), *both("rpush", "l"), *both("lset", "l"), *both("lpop", "l"),
           *both("del", "l"))


def test_kea_set(events):
    w, expect = events("KEA")
    assert w.cmd("SADD", "s", "a", "b") == 2
    assert w.cmd("SADD", "s", "a") == 0                  # no change: silent
    assert w.cmd("SREM", "s", "a") == 1
    assert w.cmd("SREM", "s", "b") == 1
    expect(*both("sadd", "s"), *both("srem", "s"), *both("srem", "s"), *both("del", "s"))


def test_kea_zset(events):
    w, expect = events("KEA")
    assert w.cmd("ZADD", "z", "1", "a", "2", "b") == 2
    assert w.cmd("ZINCRBY", "z", "3", "a") == b"4"
    assert w.cmd("ZREM", "z", "a", "b") == 2
    expect(*both("zadd", "z"), *both("zincr", "z"), *both("zrem", "z"), *both("del", "z"))
