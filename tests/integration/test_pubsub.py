# test_pubsub.py -- Pub/Sub against Redis 7.0 and keel-server: subscriptions and counts,
# message order between two connections, patterns, PUBSUB CHANNELS/NUMSUB/NUMPAT, the RESP2
# subscribed-mode restriction, RESP3 push messages (exact bytes) and keyspace notifications.
# SPDX-License-Identifier: BSD-3-Clause

import pytest

from conftest import ErrorReply, Push, RawConn

enc = RawConn.encode

ONLY_MSG = (b"only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this "
            b"context")


def read_n(c, n):
    return [c.read_reply() for _ in range(n)]


def test_subscribe_counts_and_unsubscribe(raw):
    c = raw()
    assert c.cmd_bytes("UNSUBSCRIBE") == b"*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n"
    assert c.cmd_bytes("PUNSUBSCRIBE") == b"*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n"
    c.send(enc("SUBSCRIBE", "a", "b", "a"))
    assert read_n(c, 3) == [[b"subscribe", b"a", 1], [b"subscribe", b"b", 2],
                            [b"subscribe", b"a", 2]]
    c.send(enc("PSUBSCRIBE", "a*", "b?"))
    assert read_n(c, 2) == [[b"psubscribe", b"a*", 3], [b"psubscribe", b"b?", 4]]
    assert c.cmd("PUNSUBSCRIBE", "zz") == [b"punsubscribe", b"zz", 4]
    assert c.cmd("UNSUBSCRIBE", "b") == [b"unsubscribe", b"b", 3]
    assert c.cmd("UNSUBSCRIBE") == [b"unsubscribe", b"a", 2]
    c.send(enc("PUNSUBSCRIBE"))
    got = read_n(c, 2)
    assert sorted(x[1] for x in got) == [b"a*", b"b?"]
    assert sorted(x[2] for x in got) == [0, 1]
    # out of subscribed mode: normal commands again
    assert c.cmd_bytes("PING") == b"+PONG\r\n"
    assert c.cmd("GET", "x") is None


def test_subscribed_mode_resp2(raw):
    c = raw()
    assert c.cmd("SUBSCRIBE", "ch") == [b"subscribe", b"ch", 1]
    assert c.cmd("GET", "x") == ErrorReply(b"ERR Can't execute 'get': " + ONLY_MSG)
    assert c.cmd("CONFIG", "GET", "x") == ErrorReply(b"ERR Can't execute 'config|get': " +
                                                     ONLY_MSG)
    assert c.cmd("PUBLISH", "ch", "m") == ErrorReply(b"ERR Can't execute 'publish': " + ONLY_MSG)
    assert c.cmd_bytes("PING") == b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"
    assert c.cmd_bytes("PING", "hi") == b"*2\r\n$4\r\npong\r\n$2\r\nhi\r\n"
    info = c.cmd("CLIENT", "INFO")
    assert isinstance(info, ErrorReply)
    assert c.cmd("RESET") == b"RESET"
    assert c.cmd("ECHO", "free") == b"free"


def test_publish_two_clients(raw):
    sub, pub = raw(), raw()
    sub.send(enc("SUBSCRIBE", "news", "sport"))
    read_n(sub, 2)
    sub.send(enc("PSUBSCRIBE", "n*"))
    sub.read_reply()
    assert pub.cmd("PUBLISH", "news", "m1") == 2      # channel + pattern
    assert pub.cmd("PUBLISH", "sport", "m2") == 1
    assert pub.cmd("PUBLISH", "nothing", "m3") == 1   # pattern only
    assert pub.cmd("PUBLISH", "other", "m4") == 0
    assert read_n(sub, 4) == [
        [b"message", b"news", b"m1"],
        [b"pmessage", b"n*", b"news", b"m1"],
        [b"message", b"sport", b"m2"],
        [b"pmessage", b"n*", b"nothing", b"m3"],
    ]
    assert sub.read_available(0.2) == b""
    # binary-safe payloads, in order
    for i in range(50):
        pub.send(enc("PUBLISH", "sport", b"\x00bin\r\n%d" % i))
    assert read_n(pub, 50) == [1] * 50
    assert read_n(sub, 50) == [[b"message", b"sport", b"\x00bin\r\n%d" % i] for i in range(50)]


def test_pubsub_introspection(raw):
    a, b, q = raw(), raw(), raw()
    a.send(enc("SUBSCRIBE", "c1", "c2"))
    read_n(a, 2)
    b.send(enc("SUBSCRIBE", "c2", "d1"))
    read_n(b, 2)
    b.send(enc("PSUBSCRIBE", "x*", "y*"))
    read_n(b, 2)
    a.send(enc("PSUBSCRIBE", "x*"))
    a.read_reply()
    assert q.cmd("PUBSUB", "NUMSUB", "c1", "c2", "d1", "zz", "c2") == \
        [b"c1", 1, b"c2", 2, b"d1", 1, b"zz", 0, b"c2", 2]
    assert q.cmd("PUBSUB", "NUMSUB") == []
    assert q.cmd("PUBSUB", "NUMPAT") == 2
    assert sorted(q.cmd("PUBSUB", "CHANNELS")) == [b"c1", b"c2", b"d1"]
    assert sorted(q.cmd("PUBSUB", "CHANNELS", "c*")) == [b"c1", b"c2"]
    assert q.cmd("PUBSUB", "CHANNELS", "zz") == []
    assert q.cmd("PUBSUB", "CHANNELS", "a", "b") == \
        b"ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP."
    assert q.cmd("PUBSUB", "NUMPAT", "x") == \
        b"ERR wrong number of arguments for 'pubsub|numpat' command"
    assert q.cmd("PUBSUB", "FOO") == b"ERR unknown subcommand 'FOO'. Try PUBSUB HELP."
    assert q.cmd("PUBSUB", "HELP")[0] == \
        b"PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    lst = q.cmd("CLIENT", "LIST", "TYPE", "pubsub").decode().strip("\n").split("\n")
    assert len(lst) == 2 and all(" flags=P " in l for l in lst)
    assert any(" sub=2 psub=1 " in l for l in lst) and any(" sub=2 psub=2 " in l for l in lst)
    # a closed subscriber disappears from the counts
    assert q.cmd("CLIENT", "KILL", "TYPE", "pubsub") == 2
    assert a.is_closed() and b.is_closed()
    assert q.cmd("PUBSUB", "NUMSUB", "c2") == [b"c2", 0]
    assert q.cmd("PUBSUB", "NUMPAT") == 0
    assert q.cmd("PUBSUB", "CHANNELS") == []
    assert q.cmd("PUBLISH", "c2", "x") == 0


def test_resp3_push(raw):
    c, pub = raw(), raw()
    c.cmd("HELLO", "3")
    assert c.cmd_bytes("SUBSCRIBE", "ch") == b">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
    assert c.cmd_bytes("PSUBSCRIBE", "c*") == b">3\r\n$10\r\npsubscribe\r\n$2\r\nc*\r\n:2\r\n"
    # any command works in RESP3; messages to ourselves come before the PUBLISH reply
    c.send(enc("PUBLISH", "ch", "hello"))
    assert c.read_available(0.3) == (
        b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$5\r\nhello\r\n"
        b">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$5\r\nhello\r\n:2\r\n")
    assert c.cmd_bytes("PING") == b"+PONG\r\n"
    assert c.cmd_bytes("GET", "nokey") == b"_\r\n"
    assert pub.cmd("PUBLISH", "cx", "y") == 1
    msg = c.read_reply()
    assert isinstance(msg, Push) and msg == [b"pmessage", b"c*", b"cx", b"y"]
    assert c.cmd_bytes("UNSUBSCRIBE") == b">3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:1\r\n"
    assert c.cmd_bytes("PUNSUBSCRIBE") == b">3\r\n$12\r\npunsubscribe\r\n$2\r\nc*\r\n:0\r\n"
    assert c.cmd_bytes("UNSUBSCRIBE") == b">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n"
    # back to RESP2 while subscribed: the restriction applies
    c.cmd("SUBSCRIBE", "q")
    c.cmd("HELLO", "2")
    assert c.cmd("GET", "a") == ErrorReply(b"ERR Can't execute 'get': " + ONLY_MSG)


def test_keyspace_notifications(r, raw):
    sub = raw()
    sub.send(enc("PSUBSCRIBE", "__key*__:*"))
    sub.read_reply()
    try:
        assert r.config_set("notify-keyspace-events", "KEA")
        assert raw().cmd("CONFIG", "GET", "notify-keyspace-events") == \
            [b"notify-keyspace-events", b"AKE"]
        w = raw()
        assert w.cmd("SET", "foo", "bar") == b"OK"
        assert w.cmd("DEL", "foo") == 1
        assert w.cmd("SELECT", "2") == b"OK"
        assert w.cmd("SET", "k2", "v") == b"OK"
        assert read_n(sub, 6) == [
            [b"pmessage", b"__key*__:*", b"__keyspace@0__:foo", b"set"],
            [b"pmessage", b"__key*__:*", b"__keyevent@0__:set", b"foo"],
            [b"pmessage", b"__key*__:*", b"__keyspace@0__:foo", b"del"],
            [b"pmessage", b"__key*__:*", b"__keyevent@0__:del", b"foo"],
            [b"pmessage", b"__key*__:*", b"__keyspace@2__:k2", b"set"],
            [b"pmessage", b"__key*__:*", b"__keyevent@2__:set", b"k2"],
        ]
        # only keyevent, only strings: generic DEL is not reported
        r.config_set("notify-keyspace-events", "E$")
        assert w.cmd("DEL", "k2") == 1
        assert w.cmd("SET", "s", "1") == b"OK"
        assert sub.read_reply() == [b"pmessage", b"__key*__:*", b"__keyevent@2__:set", b"s"]
        assert sub.read_available(0.2) == b""
        r.config_set("notify-keyspace-events", "")
        assert w.cmd("SET", "s", "2") == b"OK"
        assert sub.read_available(0.2) == b""
    finally:
        r.config_set("notify-keyspace-events", "")


@pytest.mark.parametrize("value,canonical", [
    ("KEA", b"AKE"), ("Kg$lshzxetmn", b"g$lshzxetnKm"), ("KAm", b"AKm"), ("An", b"A"),
    ("El", b"lE"), ("", b""),
])
def test_notify_flags_canonical(r, raw, value, canonical):
    c = raw()
    try:
        assert c.cmd("CONFIG", "SET", "notify-keyspace-events", value) == b"OK"
        assert c.cmd("CONFIG", "GET", "notify-keyspace-events") == \
            [b"notify-keyspace-events", canonical]
    finally:
        r.config_set("notify-keyspace-events", "")


def test_notify_flags_invalid(r):
    with pytest.raises(Exception, match="notify-keyspace-events"):
        r.config_set("notify-keyspace-events", "q")
