# test_conn.py -- connection commands against Redis 7.0 and keel-server with the same
# expectations: PING/ECHO/SELECT/QUIT/RESET, AUTH with requirepass, HELLO 2/3 (exact RESP3
# bytes), and CLIENT ID/SETNAME/GETNAME/INFO/LIST/KILL/PAUSE/NO-EVICT.
# SPDX-License-Identifier: BSD-3-Clause

import re
import time

import pytest
import redis

from conftest import ErrorReply, Map, RawConn, SimpleString, Verbatim

enc = RawConn.encode

LIST_FIELDS = ["id", "addr", "laddr", "fd", "name", "age", "idle", "flags", "db", "sub",
               "psub", "ssub", "multi", "qbuf", "qbuf-free", "argv-mem", "multi-mem", "rbs",
               "rbp", "obl", "oll", "omem", "tot-mem", "events", "cmd", "user", "redir",
               "resp"]


def parse_line(line):
    if isinstance(line, bytes):
        line = line.decode()
    return dict(kv.split("=", 1) for kv in line.strip("\n").split(" "))


def hello_bytes(proto, cid):
    head = b"%7\r\n" if proto == 3 else b"*14\r\n"
    return (head + b"$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n"
            b"$5\r\nproto\r\n:%d\r\n$2\r\nid\r\n:%d\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n"
            b"$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n" % (proto, cid))


# ------------------------------------------------------------------ simple commands

def test_ping_echo(raw):
    c = raw()
    assert c.cmd_bytes("PING") == b"+PONG\r\n"
    assert c.cmd_bytes("PING", "hi") == b"$2\r\nhi\r\n"
    assert c.cmd("PING", "a", "b") == b"ERR wrong number of arguments for 'ping' command"
    assert c.cmd_bytes("ECHO", "a\r\nb") == b"$4\r\na\r\nb\r\n"
    assert c.cmd("ECHO") == b"ERR wrong number of arguments for 'echo' command"


def test_select(raw):
    c = raw()
    assert c.cmd("SELECT", "3") == b"OK"
    assert c.cmd("SET", "k", "db3") == b"OK"
    assert c.cmd("SELECT", "0") == b"OK"
    assert c.cmd("GET", "k") is None
    assert c.cmd("SELECT", "3") == b"OK"
    assert c.cmd("GET", "k") == b"db3"
    for arg, msg in [("16", b"ERR DB index is out of range"),
                     ("-1", b"ERR DB index is out of range"),
                     ("x", b"ERR value is not an integer or out of range"),
                     ("1.5", b"ERR value is not an integer or out of range"),
                     ("99999999999",
                      b"ERR value is out of range, value must between -2147483648 and "
                      b"2147483647")]:
        assert c.cmd("SELECT", arg) == ErrorReply(msg)
    assert parse_line(c.cmd("CLIENT", "INFO"))["db"] == "3"


def test_quit_closes_after_reply(raw):
    c = raw()
    c.send(enc("QUIT") + enc("PING"))
    assert c.read_reply_bytes() == b"+OK\r\n"
    assert c.is_closed()


def test_reset(raw):
    c = raw()
    assert c.cmd("HELLO", "3")
    assert c.cmd("SELECT", "2") == b"OK"
    assert c.cmd("CLIENT", "SETNAME", "before") == b"OK"
    assert c.cmd("SUBSCRIBE", "ch")[0] == b"subscribe"
    assert c.cmd_bytes("RESET") == b"+RESET\r\n"
    assert c.cmd("CLIENT", "GETNAME") is None
    info = parse_line(c.cmd("CLIENT", "INFO"))
    assert (info["db"], info["resp"], info["sub"], info["flags"]) == ("0", "2", "0", "N")
    # RESP2 again: a null is "$-1"
    assert c.cmd_bytes("CLIENT", "GETNAME") == b"$-1\r\n"


# ------------------------------------------------------------------ AUTH and HELLO

def test_auth_without_password(raw):
    c = raw()
    assert c.cmd("AUTH", "x") == ErrorReply(
        b"ERR AUTH <password> called without any password configured for the default user. "
        b"Are you sure your configuration is correct?")
    assert c.cmd("AUTH", "nobody", "x") == \
        b"WRONGPASS invalid username-password pair or user is disabled."
    assert c.cmd("AUTH", "default", "anything") == b"OK"   # nopass default user
    assert c.cmd("AUTH", "a", "b", "c") == b"ERR syntax error"


def test_auth_with_requirepass(r, raw):
    r.config_set("requirepass", "s3cret")
    try:
        c = raw()
        assert c.cmd("PING") == b"NOAUTH Authentication required."
        assert c.cmd("HELLO", "3").startswith(b"NOAUTH HELLO must be called")
        assert c.cmd("AUTH", "wrong") == \
            b"WRONGPASS invalid username-password pair or user is disabled."
        assert c.cmd("PING") == b"NOAUTH Authentication required."
        assert c.cmd("AUTH", "s3cret") == b"OK"
        assert c.cmd("PING") == b"PONG"
        assert c.cmd("AUTH", "other", "s3cret") == \
            b"WRONGPASS invalid username-password pair or user is disabled."
        assert c.cmd("AUTH", "default", "s3cret") == b"OK"
        # RESET logs the connection out again
        assert c.cmd("RESET") == b"RESET"
        assert c.cmd("PING") == b"NOAUTH Authentication required."
        # HELLO with AUTH and SETNAME in one go
        d = raw()
        reply = d.cmd("HELLO", "3", "AUTH", "default", "bad")
        assert reply == b"WRONGPASS invalid username-password pair or user is disabled."
        reply = d.cmd("HELLO", "3", "AUTH", "default", "s3cret", "SETNAME", "me")
        assert isinstance(reply, Map) and reply.to_dict()[b"proto"] == 3
        assert d.cmd("CLIENT", "GETNAME") == b"me"
    finally:
        r.config_set("requirepass", "")
    assert raw().cmd("PING") == b"PONG"


def test_hello_bytes(raw):
    c = raw()
    cid = c.cmd("CLIENT", "ID")
    assert c.cmd_bytes("HELLO") == hello_bytes(2, cid)
    assert c.cmd_bytes("HELLO", "3") == hello_bytes(3, cid)
    # RESP3 null and map-shaped replies now
    assert c.cmd_bytes("CLIENT", "GETNAME") == b"_\r\n"
    assert c.cmd_bytes("HELLO", "2", "SETNAME", "n1") == hello_bytes(2, cid)
    assert c.cmd("CLIENT", "GETNAME") == b"n1"
    assert c.cmd_bytes("CLIENT", "GETNAME") == b"$2\r\nn1\r\n"


def test_hello_errors(raw):
    c = raw()
    assert c.cmd("HELLO", "4") == b"NOPROTO unsupported protocol version"
    assert c.cmd("HELLO", "1") == b"NOPROTO unsupported protocol version"
    assert c.cmd("HELLO", "x") == b"ERR Protocol version is not an integer or out of range"
    assert c.cmd("HELLO", "3", "AUTH", "default") == b"ERR Syntax error in HELLO option 'AUTH'"
    assert c.cmd("HELLO", "3", "FOO") == b"ERR Syntax error in HELLO option 'FOO'"
    assert c.cmd("HELLO", "3", "SETNAME", "a b") == \
        b"ERR Client names cannot contain spaces, newlines or special characters."
    assert c.cmd_bytes("PING", "still2") == b"$6\r\nstill2\r\n"
    assert parse_line(c.cmd("CLIENT", "INFO"))["resp"] == "2"


# ------------------------------------------------------------------ CLIENT

def test_client_setname_getname(raw):
    c = raw()
    assert c.cmd("CLIENT", "GETNAME") is None
    assert c.cmd("CLIENT", "SETNAME", "worker-1") == b"OK"
    assert c.cmd("CLIENT", "GETNAME") == b"worker-1"
    for bad in ("a b", "x\n", "\x7f", "caf\xe9"):
        assert c.cmd("CLIENT", "SETNAME", bad) == \
            b"ERR Client names cannot contain spaces, newlines or special characters."
    assert c.cmd("CLIENT", "GETNAME") == b"worker-1"
    assert c.cmd("CLIENT", "SETNAME", "") == b"OK"
    assert c.cmd("CLIENT", "GETNAME") is None
    assert c.cmd("CLIENT", "SETNAME", "a", "b") == \
        b"ERR wrong number of arguments for 'client|setname' command"
    assert c.cmd("CLIENT", "FOO") == b"ERR unknown subcommand 'FOO'. Try CLIENT HELP."
    assert c.cmd("CLIENT") == b"ERR wrong number of arguments for 'client' command"


def test_client_info_and_list(raw):
    a, b = raw(), raw()
    aid, bid = a.cmd("CLIENT", "ID"), b.cmd("CLIENT", "ID")
    assert isinstance(aid, int) and bid > aid
    assert a.cmd("CLIENT", "SETNAME", "alpha") == b"OK"
    assert a.cmd("SELECT", "5") == b"OK"
    raw_info = a.cmd_bytes("CLIENT", "INFO")
    assert raw_info.startswith(b"$") and raw_info.endswith(b"\n\r\n")
    line = a.cmd("CLIENT", "INFO").decode()
    assert [kv.split("=", 1)[0] for kv in line.strip().split(" ")] == LIST_FIELDS
    info = parse_line(line)
    assert info["id"] == str(aid) and info["name"] == "alpha" and info["db"] == "5"
    assert info["flags"] == "N" and info["cmd"] == "client|info" and info["resp"] == "2"
    assert info["user"] == "default" and info["multi"] == "-1" and info["events"] == "r"
    assert info["laddr"].endswith(":%d" % a.port)
    listing = a.cmd("CLIENT", "LIST").decode()
    assert listing.endswith("\n")
    ids = [parse_line(l)["id"] for l in listing.strip("\n").split("\n")]
    assert str(aid) in ids and str(bid) in ids
    only = a.cmd("CLIENT", "LIST", "ID", str(bid), "999999", str(bid)).decode()
    assert [parse_line(l)["id"] for l in only.strip("\n").split("\n")] == [str(bid)] * 2
    assert a.cmd("CLIENT", "LIST", "TYPE", "pubsub") == b""
    assert a.cmd("CLIENT", "LIST", "TYPE", "master") == b""
    assert a.cmd("CLIENT", "LIST", "TYPE", "foo") == b"ERR Unknown client type 'foo'"
    assert a.cmd("CLIENT", "LIST", "ID", "x") == b"ERR Invalid client ID"
    assert a.cmd("CLIENT", "LIST", "foo") == b"ERR syntax error"
    # RESP3: verbatim string
    a.cmd("HELLO", "3")
    v = a.cmd("CLIENT", "INFO")
    assert isinstance(v, Verbatim) and v.fmt == b"txt" and parse_line(v)["resp"] == "3"


def test_client_kill(raw):
    a, b, c = raw(), raw(), raw()
    bid = b.cmd("CLIENT", "ID")
    baddr = parse_line(b.cmd("CLIENT", "INFO"))["addr"]
    assert a.cmd("CLIENT", "KILL", "1.2.3.4:5") == b"ERR No such client"
    assert a.cmd("CLIENT", "KILL", "ID", "x") == b"ERR client-id should be greater than 0"
    assert a.cmd("CLIENT", "KILL", "ID", "0") == b"ERR client-id should be greater than 0"
    assert a.cmd("CLIENT", "KILL", "ID", "99999999") == 0
    assert a.cmd("CLIENT", "KILL", "TYPE", "foo") == b"ERR Unknown client type 'foo'"
    assert a.cmd("CLIENT", "KILL", "USER", "nobody") == b"ERR No such user 'nobody'"
    assert a.cmd("CLIENT", "KILL", "SKIPME", "maybe") == b"ERR syntax error"
    assert a.cmd("CLIENT", "KILL", "FOO", "bar") == b"ERR syntax error"
    assert a.cmd("CLIENT", "KILL", "ID", str(bid)) == 1
    assert b.is_closed()
    # old form by address
    caddr = parse_line(c.cmd("CLIENT", "INFO"))["addr"]
    assert a.cmd("CLIENT", "KILL", caddr) == b"OK"
    assert c.is_closed()
    assert a.cmd("CLIENT", "KILL", baddr) == b"ERR No such client"
    # killing yourself: the reply is sent, then the connection is closed
    aid = a.cmd("CLIENT", "ID")
    assert a.cmd("CLIENT", "KILL", "ID", str(aid), "SKIPME", "yes") == 0
    assert a.cmd("CLIENT", "KILL", "ID", str(aid), "SKIPME", "no") == 1
    assert a.is_closed()


def test_client_pause_unpause(r, raw):
    c = raw()
    assert c.cmd("CLIENT", "PAUSE", "x") == b"ERR timeout is not an integer or out of range"
    assert c.cmd("CLIENT", "PAUSE", "-1") == b"ERR timeout is negative"
    assert c.cmd("CLIENT", "PAUSE", "10", "FOO") == b"ERR CLIENT PAUSE mode must be WRITE or ALL"
    assert c.cmd("CLIENT", "PAUSE", "10", "ALL", "x") == \
        b"ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP."
    assert c.cmd("CLIENT", "PAUSE", "100000", "WRITE") == b"OK"
    try:
        w = raw()
        assert w.cmd("GET", "k") is None          # reads still run
        w.send(enc("SET", "k", "v"))
        assert w.read_available(0.3) == b""       # the write waits
        assert c.cmd("CLIENT", "UNPAUSE") == b"OK"
        assert w.read_reply() == b"OK"
    finally:
        r.execute_command("CLIENT", "UNPAUSE")
    start = time.monotonic()
    assert c.cmd("CLIENT", "PAUSE", "300") == b"OK"
    assert raw().cmd("PING") == b"PONG"
    assert time.monotonic() - start >= 0.25


def test_client_no_evict_and_help(raw):
    c = raw()
    assert c.cmd("CLIENT", "NO-EVICT", "on") == b"OK"
    assert "e" in parse_line(c.cmd("CLIENT", "INFO"))["flags"]
    assert c.cmd("CLIENT", "NO-EVICT", "off") == b"OK"
    assert parse_line(c.cmd("CLIENT", "INFO"))["flags"] == "N"
    assert c.cmd("CLIENT", "NO-EVICT", "maybe") == b"ERR syntax error"
    help_lines = c.cmd("CLIENT", "HELP")
    assert help_lines[0] == b"CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert b"KILL <ip:port>" in help_lines and b"NO-EVICT (ON|OFF)" in help_lines


def test_client_setinfo_keel_only(server, raw):
    """CLIENT SETINFO is Redis 7.2; Redis 7.0.15 answers unknown subcommand."""
    c = raw()
    if server.kind == "redis":
        assert c.cmd("CLIENT", "SETINFO", "lib-name", "x") == \
            b"ERR unknown subcommand 'SETINFO'. Try CLIENT HELP."
        return
    assert c.cmd("CLIENT", "SETINFO", "LIB-NAME", "redis-py") == b"OK"
    assert c.cmd("CLIENT", "SETINFO", "lib-ver", "4.3.4") == b"OK"
    assert c.cmd("CLIENT", "SETINFO", "lib-ver", "a b") == \
        b"ERR lib-ver cannot contain spaces, newlines or special characters."
    assert c.cmd("CLIENT", "SETINFO", "color", "red") == b"ERR Unrecognized option 'color'"
    assert c.cmd("CLIENT", "SETINFO", "lib-name") == \
        b"ERR wrong number of arguments for 'client|setinfo' command"
