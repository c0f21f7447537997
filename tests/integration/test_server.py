# test_server.py -- server-wide behaviour against Redis 7.0 and keel: active expiry keeps
# expired keys from piling up, idle-client timeout, the normal-class output buffer limit,
# graceful SHUTDOWN and SIGTERM, and the server keeping other clients served meanwhile.
# SPDX-License-Identifier: BSD-3-Clause

import signal
import socket
import time

import pytest


def wait_for(cond, timeout=10.0, step=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(step)
    return cond()


def test_active_expiry_reclaims_untouched_keys(r):
    p = r.pipeline(transaction=False)
    for i in range(2000):
        p.set("exp:%d" % i, "v", px=50)
    for i in range(100):
        p.set("keep:%d" % i, "v")
    p.execute()
    assert r.dbsize() == 2100
    # Nobody reads the keys: only the active cycle can remove them.
    assert wait_for(lambda: r.dbsize() == 100, timeout=10)
    info = r.info("stats")
    assert info["expired_keys"] == 2000
    assert r.info("keyspace")["db0"]["expires"] == 0


def test_lazy_expiry_on_access(r):
    r.set("k", "v", px=30)
    time.sleep(0.1)
    assert r.get("k") is None
    assert r.exists("k") == 0
    assert r.info("stats")["expired_keys"] >= 1


def test_idle_timeout_closes_client(start_server, raw):
    srv = start_server("--timeout", "1")
    idle = raw(srv.port)
    assert idle.cmd("PING") == b"PONG"
    busy = srv.client()
    assert idle.is_closed(timeout=6.0)
    assert busy.ping()


def test_normal_output_buffer_limit(start_server):
    srv = start_server("--client-output-buffer-limit", "normal 1mb 0 0")
    c = srv.client()
    c.set("big", "x" * 100000)
    s = socket.create_connection(("127.0.0.1", srv.port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    req = b"*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n" * 400   # 40 MB of replies, never read
    s.sendall(req)
    assert wait_for(lambda: c.info("stats").get("client_output_buffer_limit_disconnections", 1) >= 1
                    or c.info("clients")["connected_clients"] == 1, timeout=10)
    assert wait_for(lambda: c.info("clients")["connected_clients"] == 1, timeout=10)
    assert c.ping()
    s.close()


def test_shutdown_command_exits_cleanly(start_server):
    srv = start_server()
    c = srv.client()
    c.set("a", "1")
    try:
        c.shutdown(nosave=True)   # redis-py swallows the closed connection
    except Exception:
        pass
    assert wait_for(lambda: not srv.alive(), timeout=10)
    assert srv.proc.wait(timeout=5) == 0


def test_sigterm_exits_cleanly_with_clients_connected(start_server):
    srv = start_server()
    clients = [srv.client() for _ in range(5)]
    for i, c in enumerate(clients):
        c.set("k%d" % i, i)
    srv.proc.send_signal(signal.SIGTERM)
    assert srv.proc.wait(timeout=10) == 0


def test_new_and_keymiss_events(r, server):
    r.config_set("notify-keyspace-events", "E$gnm")
    try:
        sub = server.client().pubsub()
        sub.psubscribe("__keyevent@0__:*")
        assert wait_for(lambda: sub.get_message(timeout=0.1) is not None, timeout=5)  # psubscribe ack
        r.set("fresh", "1")      # new key: "new" then "set"
        r.set("fresh", "2")      # existing key: "set" only
        r.get("nothere")         # miss: "keymiss"
        events = []
        deadline = time.time() + 5
        while len(events) < 4 and time.time() < deadline:
            m = sub.get_message(timeout=0.2)
            if m and m["type"] == "pmessage":
                events.append((m["channel"].split(b":", 1)[1], m["data"]))
        assert events == [(b"new", b"fresh"), (b"set", b"fresh"), (b"set", b"fresh"),
                          (b"keymiss", b"nothere")]
        sub.close()
    finally:
        r.config_set("notify-keyspace-events", "")


def test_scan_family_cursor_parsing(r):
    """One cursor parser for SCAN, HSCAN, SSCAN and ZSCAN, with Redis's strtoul rules."""
    r.hset("h", "a", "1")
    r.sadd("s", "a")
    r.zadd("z", {"a": 1})
    for args in (("SCAN", ""), ("HSCAN", "h", ""), ("SSCAN", "s", ""), ("ZSCAN", "z", "")):
        assert r.execute_command(*args)[0] in (0, b"0")   # redis-py parses some cursors
    for args in (("SCAN", " 1"), ("HSCAN", "h", "1x"), ("SSCAN", "s", "\t0"),
                 ("ZSCAN", "z", "99999999999999999999999")):
        with pytest.raises(Exception, match="invalid cursor"):
            r.execute_command(*args)
