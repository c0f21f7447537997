# test_protocol.py -- RESP parsing over real sockets, run against Redis 7.0 and keel-server
# with the same expected bytes: pipelining, requests split at every byte, inline commands,
# protocol errors (reply, then the connection is closed), unknown command / arity errors,
# input and output limits, RESP3 (HELLO 3), and redis-cli as a client.
# SPDX-License-Identifier: BSD-3-Clause

import os
import socket
import subprocess
import time

import pytest

from conftest import ConnectionClosed, Map, Push, RawConn, SimpleString

enc = RawConn.encode


def wait_until(pred, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(0.02)
    raise AssertionError("timed out after %.0fs waiting for %s" % (timeout, what))


def connected_clients(r):
    return int(r.info("clients")["connected_clients"])


# ------------------------------------------------------------------ pipelining and splitting

def test_pipeline_in_one_send(raw, r):
    c = raw()
    n = 300
    req = []
    for i in range(n):
        req.append(enc("SET", "k%d" % i, "v%d" % i))
        req.append(enc("INCR", "counter"))
        req.append(b"PING\r\n")                   # inline commands mixed in
        req.append(enc("GET", "k%d" % i))
    c.send(b"".join(req))
    for i in range(n):
        assert c.read_reply_bytes() == b"+OK\r\n"
        assert c.read_reply_bytes() == b":%d\r\n" % (i + 1)
        assert c.read_reply_bytes() == b"+PONG\r\n"
        v = b"v%d" % i
        assert c.read_reply_bytes() == b"$%d\r\n%s\r\n" % (len(v), v)
    assert r.dbsize() == n + 1


SPLIT_REQUESTS = [
    (enc("SET", "key", "hello\r\nworld"), b"+OK\r\n"),
    (enc("GET", "key"), b"$12\r\nhello\r\nworld\r\n"),
    (b'SET key2 "a b" \r\n', b"+OK\r\n"),
    (b"GET key2\n", b"$3\r\na b\r\n"),
    (enc("ECHO", "") + enc("PING"), b"$0\r\n\r\n+PONG\r\n"),
]


@pytest.mark.parametrize("req,expected", SPLIT_REQUESTS, ids=range(len(SPLIT_REQUESTS)))
def test_request_sent_byte_by_byte(raw, r, req, expected):
    r.set("key", "hello\r\nworld")
    r.set("key2", "a b")
    c = raw()
    c.send_slowly(req, delay=0.002)
    got = c.read_available(0.3)
    deadline = time.monotonic() + 5
    while len(got) < len(expected) and time.monotonic() < deadline:
        got += c.read_available(0.2)
    assert got == expected


def test_request_split_at_every_offset(raw, r):
    """Two sends, the split point moving over every byte of a pipelined pair."""
    data = enc("SET", "sk", "v" * 20) + enc("GET", "sk")
    expected = b"+OK\r\n$20\r\n" + b"v" * 20 + b"\r\n"
    c = raw()
    for i in range(1, len(data)):
        c.send(data[:i])
        time.sleep(0.001)
        c.send(data[i:])
        assert c.read_reply_bytes() + c.read_reply_bytes() == expected, "split at %d" % i


def test_big_argument_in_pieces(raw, r):
    value = os.urandom(300 * 1024)
    data = enc("SET", "big", value)
    c = raw()
    for i in range(0, len(data), 7000):
        c.send(data[i:i + 7000])
    assert c.read_reply_bytes() == b"+OK\r\n"
    assert r.get("big") == value
    assert c.cmd_bytes("STRLEN", "big") == b":%d\r\n" % len(value)


# ------------------------------------------------------------------ inline commands

INLINE = [
    (b"PING\r\n", b"+PONG\r\n"),
    (b"PING\n", b"+PONG\r\n"),
    (b"\r\n\n   \r\nPING\r\n", b"+PONG\r\n"),            # empty lines are ignored
    (b"  ECHO    spaced   \r\n", b"$6\r\nspaced\r\n"),
    (b'ECHO "hello world"\r\n', b"$11\r\nhello world\r\n"),
    (b"ECHO 'single quoted'\r\n", b"$13\r\nsingle quoted\r\n"),
    (b'ECHO "a\\x41\\n\\t"\r\n', b"$4\r\naA\n\t\r\n"),
    (b"ECHO 'it\\'s'\r\n", b"$4\r\nit's\r\n"),
    (b'ECHO ""\r\n', b"$0\r\n\r\n"),
    (b'SET ik "x y"\r\nGET ik\r\n', b"+OK\r\n$3\r\nx y\r\n"),
]


@pytest.mark.parametrize("req,expected", INLINE, ids=range(len(INLINE)))
def test_inline_commands(raw, r, req, expected):
    c = raw()
    c.send(req)
    got = b""
    deadline = time.monotonic() + 5
    while len(got) < len(expected) and time.monotonic() < deadline:
        got += c.read_available(0.1)
    assert got == expected
    assert c.cmd_bytes("PING") == b"+PONG\r\n"           # still usable


# ------------------------------------------------------------------ protocol errors

PROTO_ERRORS = [
    (b"*abc\r\n", b"invalid multibulk length"),
    (b"*2147483648\r\n", b"invalid multibulk length"),
    (b"*1\r\n$abc\r\n", b"invalid bulk length"),
    (b"*1\r\n$-1\r\n", b"invalid bulk length"),
    (b"*1\r\n$2147483648\r\n", b"invalid bulk length"),
    (b"*1\r\n$536870913\r\n", b"invalid bulk length"),      # proto-max-bulk-len + 1
    (b"*1\r\nx\r\n", b"expected '$', got 'x'"),
    (b"*2\r\n$3\r\nGET\r\n:1\r\n", b"expected '$', got ':'"),
    (b"a" * 70000, b"too big inline request"),
    (b"*" + b"1" * 70000, b"too big mbulk count string"),
    (b"*1\r\n$" + b"1" * 70000, b"too big bulk count string"),
    (b'SET "a b\r\n', b"unbalanced quotes in request"),
    (b"SET 'a b\r\n", b"unbalanced quotes in request"),
    (b'SET "a"b c\r\n', b"unbalanced quotes in request"),
]


@pytest.mark.parametrize("req,msg", PROTO_ERRORS, ids=range(len(PROTO_ERRORS)))
def test_protocol_error_replies_then_closes(raw, r, req, msg):
    c = raw()
    # the complete command before the bad one still runs
    try:
        c.send(enc("SET", "before", "1") + req)
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert c.read_reply_bytes() == b"+OK\r\n"
    assert c.read_reply_bytes() == b"-ERR Protocol error: " + msg + b"\r\n"
    assert c.is_closed(5), "connection still open after a protocol error"
    assert r.get("before") == b"1"
    assert r.ping()


def test_protocol_error_counts_and_server_survives(raw, r):
    before = connected_clients(r)
    for _ in range(20):
        c = raw()
        c.send(b"*1\r\n$zz\r\n")
        assert c.read_reply() == b"ERR Protocol error: invalid bulk length"
        assert c.is_closed(5)
    wait_until(lambda: connected_clients(r) <= before, what="closed clients to be freed")


def test_empty_multibulk_and_negative_count_are_ignored(raw):
    c = raw()
    c.send(b"*0\r\n*-1\r\n*-5\r\nPING\r\n")
    assert c.read_reply_bytes() == b"+PONG\r\n"


# ------------------------------------------------------------------ command errors

UNKNOWN = [
    (enc("foo", "a", "b"), b"-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n"),
    (b"foo a b\r\n", b"-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n"),
    (b"foo\r\n", b"-ERR unknown command 'foo', with args beginning with: \r\n"),
    (enc(""), b"-ERR unknown command '', with args beginning with: \r\n"),
    (enc("FOO", "x"), b"-ERR unknown command 'FOO', with args beginning with: 'x' \r\n"),
    # CR/LF inside an argument become spaces
    (enc("foo", "a\r\nb", "c"), b"-ERR unknown command 'foo', with args beginning with: "
     b"'a  b' 'c' \r\n"),
    # the argument list is cut at 128 characters, the name at 128
    (enc("foo", "x" * 200, "b"), b"-ERR unknown command 'foo', with args beginning with: '"
     + b"x" * 128 + b"' \r\n"),
    (enc("f" * 150, "a"), b"-ERR unknown command '" + b"f" * 128
     + b"', with args beginning with: 'a' \r\n"),
]


@pytest.mark.parametrize("req,expected", UNKNOWN, ids=range(len(UNKNOWN)))
def test_unknown_command(raw, req, expected):
    c = raw()
    c.send(req)
    assert c.read_reply_bytes() == expected
    assert c.cmd_bytes("PING") == b"+PONG\r\n"           # not a protocol error: stays open


ARITY = [
    (enc("GET"), b"get"),
    (enc("get", "a", "b"), b"get"),
    (b"GET\r\n", b"get"),
    (enc("SET", "k"), b"set"),
    (enc("Config", "GET"), b"config|get"),
    (enc("ECHO"), b"echo"),
]


@pytest.mark.parametrize("req,name", ARITY, ids=range(len(ARITY)))
def test_wrong_arity(raw, req, name):
    c = raw()
    c.send(req)
    assert c.read_reply_bytes() == b"-ERR wrong number of arguments for '%s' command\r\n" % name


def test_unknown_subcommand(raw):
    c = raw()
    assert c.cmd_bytes("CONFIG", "FOO", "bar") == \
        b"-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n"
    assert c.cmd_bytes("config", "foo") == b"-ERR unknown subcommand 'foo'. Try CONFIG HELP.\r\n"


def test_quit_flushes_reply_then_closes(raw):
    c = raw()
    c.send(b"PING\r\nQUIT\r\nPING\r\n")
    assert c.read_reply_bytes() == b"+PONG\r\n"
    assert c.read_reply_bytes() == b"+OK\r\n"
    assert c.is_closed(5)


# ------------------------------------------------------------------ misbehaving clients

def test_huge_bulk_declared_while_others_are_served(raw, r):
    bad, good = raw(), raw()
    bad.send(b"*2\r\n$3\r\nGET\r\n")                      # partial request
    assert good.cmd_bytes("SET", "g", "1") == b"+OK\r\n"
    bad.send(b"$2147483648\r\n")                          # 2 GB > proto-max-bulk-len
    assert bad.read_reply_bytes() == b"-ERR Protocol error: invalid bulk length\r\n"
    assert bad.is_closed(5)
    for i in range(50):
        assert good.cmd_bytes("INCR", "g") == b":%d\r\n" % (i + 2)
    assert r.ping()


def test_client_disconnects_mid_request(raw, r):
    base = connected_clients(r)
    partials = [
        enc("SET", "mid", "value")[:-3],                  # inside the last bulk
        b"*3\r\n$3\r\nSET\r\n$3\r\nmid",                  # inside a bulk, no CRLF
        b"*3\r\n$3\r\nSET\r\n",                           # between arguments
        b"*3\r\n",                                        # after the count
        b"SET mid inline",                                # inline without newline
        b"*3\r\n$3\r\nSET\r\n$3\r\nmid\r\n$200000\r\n" + b"x" * 100000,   # big argument
    ]
    for p in partials:
        c = raw()
        c.send(p)
        time.sleep(0.02)
        c.close()
    wait_until(lambda: connected_clients(r) <= base, what="disconnected clients to be freed")
    assert r.exists("mid") == 0
    assert r.ping()


# ------------------------------------------------------------------ limits (dedicated servers)

def test_maxclients(start_server, raw):
    srv = start_server("--maxclients", "2")
    a = raw(srv.port)
    assert a.cmd_bytes("PING") == b"+PONG\r\n"
    # the start-up PING probe's connection may still be closing: wait until `a` is alone
    wait_until(lambda: b"connected_clients:1\r\n" in a.cmd("INFO", "clients"),
               what="connected_clients:1")
    b = raw(srv.port)
    assert b.cmd_bytes("PING") == b"+PONG\r\n"
    c = raw(srv.port)
    assert c.read_reply_bytes() == b"-ERR max number of clients reached\r\n"
    assert c.is_closed(5)
    a.close()

    def new_client_ok():
        d = RawConn(srv.port)
        try:
            return d.cmd_bytes("PING") == b"+PONG\r\n"
        except ConnectionClosed:
            return False
        finally:
            d.close()
    wait_until(new_client_ok, what="a free client slot after one client left")
    assert b.cmd_bytes("CONFIG", "GET", "maxclients") == b"*2\r\n$10\r\nmaxclients\r\n$1\r\n2\r\n"
    assert int(srv.client().info("stats")["rejected_connections"]) >= 1


def test_client_query_buffer_limit(start_server, raw):
    srv = start_server("--client-query-buffer-limit", "1mb", "--proto-max-bulk-len", "100mb")
    c = raw(srv.port)
    head = b"*3\r\n$3\r\nSET\r\n$1\r\nq\r\n$%d\r\n" % (4 * 1024 * 1024)
    try:
        c.send(head)
        chunk = b"x" * 65536
        for _ in range(32):                                # 2 MB of a 4 MB argument
            c.send(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    assert c.is_closed(10), "client over client-query-buffer-limit was not disconnected"
    admin = srv.client()
    assert admin.ping()
    assert admin.exists("q") == 0
    # a normal request under the limit still works
    assert admin.set("small", b"y" * 500000) and admin.strlen("small") == 500000


@pytest.mark.slow
def test_pubsub_output_buffer_limit(start_server, raw):
    srv = start_server("--client-output-buffer-limit", "pubsub", "256kb", "128kb", "60")
    sub = raw(srv.port, rcvbuf=4096)
    assert sub.cmd("SUBSCRIBE", "ch") == [b"subscribe", b"ch", 1]
    pub = srv.client()
    assert pub.execute_command("PUBSUB", "NUMSUB", "ch") == [b"ch", 1]
    msg = b"m" * 8192
    receivers = []
    p = pub.pipeline(transaction=False)
    for _ in range(1000):                                  # 8 MB, never read by `sub`
        p.publish("ch", msg)
    receivers = p.execute()
    assert receivers[0] == 1
    wait_until(lambda: pub.execute_command("PUBSUB", "NUMSUB", "ch") == [b"ch", 0],
               what="the slow subscriber to be disconnected")
    assert 0 in receivers or pub.publish("ch", "x") == 0
    assert sub.is_closed(10)
    assert pub.ping()


# ------------------------------------------------------------------ RESP3

def hello3_expected(client_id, proto=3):
    fields = [(b"server", b"$5\r\nredis\r\n"), (b"version", b"$6\r\n7.0.15\r\n"),
              (b"proto", b":%d\r\n" % proto), (b"id", b":%d\r\n" % client_id),
              (b"mode", b"$10\r\nstandalone\r\n"), (b"role", b"$6\r\nmaster\r\n"),
              (b"modules", b"*0\r\n")]
    head = b"%7\r\n" if proto == 3 else b"*14\r\n"
    return head + b"".join(b"$%d\r\n%s\r\n" % (len(k), k) + v for k, v in fields)


def test_hello3_map_reply(raw):
    c = raw()
    cid = c.cmd("CLIENT", "ID")
    assert c.cmd_bytes("HELLO", "3") == hello3_expected(cid, 3)
    assert c.cmd_bytes("GET", "nokey") == b"_\r\n"
    assert c.cmd_bytes("CONFIG", "GET", "maxclients") == \
        b"%1\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n"
    reply = c.cmd("CONFIG", "GET", "maxclients")
    assert isinstance(reply, Map) and reply.to_dict() == {b"maxclients": b"10000"}
    assert c.cmd_bytes("HELLO", "4") == b"-NOPROTO unsupported protocol version\r\n"
    assert c.cmd_bytes("HELLO", "2") == hello3_expected(cid, 2)
    assert c.cmd_bytes("GET", "nokey") == b"$-1\r\n"


def test_hello3_inline_and_push_messages(raw, r):
    c = raw()
    c.send(b"HELLO 3\r\n")
    assert isinstance(c.read_reply(), Map)
    assert c.cmd_bytes("SUBSCRIBE", "ch") == b">3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n"
    # RESP3: ordinary commands stay allowed, PING answers normally
    assert c.cmd_bytes("PING") == b"+PONG\r\n"
    assert c.cmd_bytes("GET", "nokey") == b"_\r\n"
    assert r.publish("ch", "hi") == 1
    msg = c.read_reply()
    assert isinstance(msg, Push) and msg == [b"message", b"ch", b"hi"]


def test_resp2_subscribed_context(raw):
    c = raw()
    assert c.cmd_bytes("SUBSCRIBE", "a") == b"*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n"
    assert c.cmd_bytes("PING") == b"*2\r\n$4\r\npong\r\n$0\r\n\r\n"
    assert c.cmd_bytes("GET", "x") == (
        b"-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
        b"RESET are allowed in this context\r\n")
    assert isinstance(c.cmd("RESET"), SimpleString)


# ------------------------------------------------------------------ redis-cli as a client

def cli(port, *args, stdin=None):
    p = subprocess.run(["redis-cli", "-p", str(port)] + list(args), input=stdin,
                       capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def test_redis_cli_ping(server, r):
    assert cli(server.port, "ping") == (0, b"PONG\n", b"")
    assert cli(server.port, "set", "a", "hello world")[1] == b"OK\n"
    assert cli(server.port, "get", "a")[1] == b"hello world\n"
    assert cli(server.port, "foo", "a", "b")[1] == \
        b"ERR unknown command 'foo', with args beginning with: 'a' 'b' \n\n"


def test_redis_cli_pipe(server, r, tmp_path):
    n = 20000
    f = tmp_path / "load.resp"
    with open(f, "wb") as out:
        for i in range(n):
            out.write(enc("SET", "key:%d" % i, "val%07d" % i))
        out.write(b"INCR counter\r\n")                    # inline works in --pipe too
    with open(f, "rb") as fin:
        p = subprocess.run(["redis-cli", "-p", str(server.port), "--pipe"], stdin=fin,
                           capture_output=True, timeout=120)
    assert p.returncode == 0, p.stderr
    assert b"errors: 0, replies: %d" % (n + 1) in p.stdout
    assert r.dbsize() == n + 1
    assert r.get("key:12345") == b"val0012345"


def test_redis_cli_resp3(server, r):
    rc, out, _ = cli(server.port, "-3", "--no-raw", "config", "get", "maxclients")
    assert (rc, out) == (0, b'1# "maxclients" => "10000"\n')
    rc, out, _ = cli(server.port, "-3", "--no-raw", "get", "nokey")
    assert (rc, out) == (0, b"(nil)\n")
    rc, out, _ = cli(server.port, "-3", "hello", "3")
    assert rc == 0 and out.startswith(b"server redis\nversion 7.0.15\nproto 3\n")
