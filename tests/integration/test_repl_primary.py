# test_repl_primary.py -- the primary side of replication, on the wire: the REPLCONF/PSYNC
# handshake with a fake replica (a plain socket), FULLRESYNC with $EOF framing and the command
# stream bytes, +CONTINUE from the backlog, full resync when the offset is outside it, a real
# redis-server replica converging, WAIT, min-replicas (NOREPLICAS), INFO replication, ROLE,
# and `redis-cli --rdb`. Runs against Redis 7.0 and keel alike (same assertions).
# SPDX-License-Identifier: BSD-3-Clause

import os
import shutil
import socket
import subprocess
import time

import pytest

FAST_SYNC = ("--repl-diskless-sync-delay", "0")


def enc(*args):
    out = b"*%d\r\n" % len(args)
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out += b"$%d\r\n%s\r\n" % (len(a), a)
    return out


class FakeReplica:
    """A socket speaking the replica side of the handshake."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""

    def send(self, *args):
        self.sock.sendall(enc(*args))

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("closed by the primary")
        self.buf += data

    def line(self, skip_keepalive=True):
        while True:
            while b"\n" not in self.buf:
                self._fill()
            i = self.buf.index(b"\n")
            ln, self.buf = self.buf[:i + 1], self.buf[i + 1:]
            if skip_keepalive and ln == b"\n":
                continue
            return ln

    def exactly(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def until(self, marker):
        while marker not in self.buf:
            self._fill()
        i = self.buf.index(marker) + len(marker)
        out, self.buf = self.buf[:i], self.buf[i:]
        return out

    def read_for(self, seconds):
        end = time.time() + seconds
        self.sock.settimeout(0.1)
        try:
            while time.time() < end:
                try:
                    self._fill()
                except socket.timeout:
                    pass
        finally:
            self.sock.settimeout(10)
        out, self.buf = self.buf, b""
        return out

    def handshake(self, port=7777, capa=True):
        self.send("PING")
        assert self.line() == b"+PONG\r\n"
        self.send("REPLCONF", "listening-port", port)
        assert self.line() == b"+OK\r\n"
        if capa:
            self.send("REPLCONF", "capa", "eof", "capa", "psync2")
            assert self.line() == b"+OK\r\n"

    def full_sync(self, r):
        """PSYNC ? -1, then ACKs until the primary lists every replica online (Redis starts
        streaming to a diskless replica at its first ACK once the transfer ended): returns
        (replid, offset, rdb bytes)."""
        self.send("PSYNC", "?", "-1")
        ln = self.line()
        assert ln.startswith(b"+FULLRESYNC "), ln
        _, replid, off = ln.strip().split(b" ")
        assert len(replid) == 40
        hdr = self.line()
        assert hdr.startswith(b"$EOF:") and len(hdr) == 5 + 40 + 2, hdr
        mark = hdr[5:45]
        rdb = self.until(mark)[:-40]
        assert rdb.startswith(b"REDIS00")
        def online():
            self.send("REPLCONF", "ACK", off.decode())
            slaves = [v for k, v in info_fields(r).items() if k.startswith("slave")]
            return slaves and all(",state=online," in v for v in slaves)
        assert wait_for(online)
        return replid.decode(), int(off), rdb

    def close(self):
        self.sock.close()


def info_text(r, section):
    """INFO as the server sent it (redis-py would parse it into a dict)."""
    kw = r.connection_pool.connection_kwargs
    with socket.create_connection((kw["host"], kw["port"]), timeout=10) as s:
        s.sendall(enc("INFO", section))
        data = b""
        while b"\r\n" not in data:
            data += s.recv(65536)
        n = int(data[1:data.index(b"\r\n")])
        head = data.index(b"\r\n") + 2
        while len(data) < head + n:
            data += s.recv(65536)
        return data[head:head + n].decode()


def info_fields(r, section="replication"):
    out = {}
    for ln in info_text(r, section).split("\r\n"):
        if ":" in ln:
            k, v = ln.split(":", 1)
            out[k] = v
    return out


def wait_for(pred, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def primary(start_server):
    return start_server(*FAST_SYNC)


def test_handshake_replies(primary):
    fr = FakeReplica(primary.port)
    fr.handshake()
    fr.send("REPLCONF", "ip-address", "10.1.2.3")
    assert fr.line() == b"+OK\r\n"
    fr.send("REPLCONF", "listening-port")
    assert fr.line() == b"-ERR syntax error\r\n"
    fr.send("REPLCONF", "nosuch", "x")
    assert fr.line() == b"-ERR Unrecognized REPLCONF option: nosuch\r\n"
    fr.send("REPLCONF", "listening-port", "abc")
    assert fr.line() == b"-ERR value is not an integer or out of range\r\n"
    fr.send("REPLCONF", "rdb-only", "2")
    assert fr.line() == b"-ERR value is out of range, value must between 0 and 1\r\n"
    # ACK and GETACK from a non-replica get no reply at all: PING answers first.
    fr.send("REPLCONF", "ack", "10")
    fr.send("REPLCONF", "getack", "*")
    fr.send("PING")
    assert fr.line() == b"+PONG\r\n"
    fr.send("PSYNC", "?", "notanumber")
    assert fr.line() == b"-ERR value is not an integer or out of range\r\n"
    fr.close()


def test_fullresync_eof_framing_and_stream(primary):
    r = primary.client()
    r.set("before", "1")
    fr = FakeReplica(primary.port)
    fr.handshake()
    replid, off, rdb = fr.full_sync(r)
    assert b"before" in rdb
    info = info_fields(r)
    assert info["master_replid"] == replid
    r.set("k", "v")
    r.execute_command("SELECT", 0)
    c2 = primary.client(db=2)
    c2.lpush("L", "a")
    expected = (enc("SELECT", "0") + enc("set", "k", "v") + enc("SELECT", "2")
                + enc("lpush", "L", "a"))
    got = fr.exactly(len(expected))
    assert got.lower() == expected.lower()
    assert wait_for(lambda: int(info_fields(r)["master_repl_offset"]) == off + len(expected))
    stats = info_fields(r, "stats")
    assert int(stats["sync_full"]) >= 1
    fr.close()


def test_psync_continue_after_reconnect(primary):
    r = primary.client()
    r.config_set("repl-ping-replica-period", "3600")
    fr = FakeReplica(primary.port)
    fr.handshake()
    replid, off, _ = fr.full_sync(r)
    r.set("a", "1")
    first = enc("SELECT", "0") + enc("set", "a", "1")
    assert fr.exactly(len(first)).lower() == first.lower()
    off += len(first)
    fr.close()
    assert wait_for(lambda: info_fields(r)["connected_slaves"] == "0")
    r.set("b", "2")
    r.rpush("n", "x")
    fr = FakeReplica(primary.port)
    fr.handshake()
    fr.send("PSYNC", replid, off + 1)
    assert fr.line() == ("+CONTINUE %s\r\n" % replid).encode()
    missed = enc("set", "b", "2") + enc("rpush", "n", "x")
    assert fr.exactly(len(missed)).lower() == missed.lower()
    stats = info_fields(r, "stats")
    assert stats["sync_partial_ok"] == "1"
    fr.close()


def test_psync_outside_backlog_is_full_resync(primary):
    r = primary.client()
    fr = FakeReplica(primary.port)
    fr.handshake()
    replid, off, _ = fr.full_sync(r)
    fr.close()
    fr = FakeReplica(primary.port)
    fr.handshake()
    fr.send("PSYNC", replid, off + 100000)
    assert fr.line().startswith(b"+FULLRESYNC ")
    fr.close()
    fr = FakeReplica(primary.port)
    fr.handshake()
    fr.send("PSYNC", "f" * 40, 1)
    assert fr.line().startswith(b"+FULLRESYNC ")
    fr.close()
    stats = info_fields(r, "stats")
    assert stats["sync_partial_err"] == "2"
    assert stats["sync_full"] == "3"


def mixed_load(r):
    p = r.pipeline(transaction=False)
    for i in range(300):
        p.set("s%d" % i, "v%d" % i)
        p.hset("h%d" % (i % 20), "f%d" % i, i)
        p.rpush("l%d" % (i % 7), i)
        p.sadd("set%d" % (i % 5), i)
        p.zadd("z", {"m%d" % i: i * 1.5})
        if i % 3 == 0:
            p.incr("counter")
        if i % 11 == 0:
            p.delete("s%d" % (i - 1))
    p.execute()
    r.incrbyfloat("fl", 2.25)
    r.set("ex", "x", ex=1000)
    r.lpop("l1")
    r.spop("set1")
    r.expire("s5", 500)
    with r.pipeline(transaction=True) as t:
        t.set("tx1", "a")
        t.append("tx1", "b")
        t.execute()


def snapshot(r):
    out = {}
    for k in r.scan_iter(count=1000):
        t = r.type(k)
        if t == b"string":
            v = r.get(k)
        elif t == b"hash":
            v = r.hgetall(k)
        elif t == b"list":
            v = r.lrange(k, 0, -1)
        elif t == b"set":
            v = sorted(r.smembers(k))
        elif t == b"zset":
            v = r.zrange(k, 0, -1, withscores=True)
        else:
            v = t
        out[k] = (t, v, r.ttl(k) > 0)
    return out


@pytest.mark.slow
def test_redis_replica_converges(primary, start_server):
    r = primary.client()
    mixed_load(r)
    replica = start_server("--replicaof", "127.0.0.1", primary.port, kind="redis")
    rr = replica.client()
    assert wait_for(lambda: info_fields(rr).get("master_link_status") == "up", 20)
    mixed_load(r)                       # more writes while streaming
    primary.client(db=3).set("indb3", "yes")
    assert r.execute_command("WAIT", 1, 5000) == 1
    assert wait_for(lambda: info_fields(rr)["slave_repl_offset"]
                    == info_fields(r)["master_repl_offset"])
    assert snapshot(rr) == snapshot(r)
    assert replica.client(db=3).get("indb3") == b"yes"
    info = info_fields(r)
    assert info["connected_slaves"] == "1"
    assert info["slave0"].startswith("ip=127.0.0.1,port=%d,state=online,offset=" % replica.port)
    role = r.execute_command("ROLE")
    assert role[0] == b"master" and role[1] == int(info["master_repl_offset"])
    assert role[2] == [[b"127.0.0.1", str(replica.port).encode(), role[2][0][2]]]
    # WAIT for more replicas than there are: the count after the timeout.
    r.set("w", "1")
    t0 = time.time()
    assert r.execute_command("WAIT", 2, 300) == 1
    assert time.time() - t0 >= 0.25


def test_wait_errors_and_no_replicas(primary):
    r = primary.client()
    with pytest.raises(Exception, match="timeout is negative"):
        r.execute_command("WAIT", 0, -1)
    with pytest.raises(Exception, match="timeout is not an integer or out of range"):
        r.execute_command("WAIT", 0, "x")
    with pytest.raises(Exception, match="value is not an integer or out of range"):
        r.execute_command("WAIT", "x", 0)
    assert r.execute_command("WAIT", 0, 0) == 0
    t0 = time.time()
    assert r.execute_command("WAIT", 1, 200) == 0
    assert time.time() - t0 >= 0.15


def test_min_replicas_noreplicas(primary):
    r = primary.client()
    r.config_set("min-replicas-to-write", "1")
    r.config_set("min-replicas-max-lag", "10")
    with pytest.raises(Exception, match="^NOREPLICAS Not enough good replicas to write.$"):
        r.set("x", "1")
    assert r.get("x") is None
    assert info_fields(r)["min_slaves_good_slaves"] == "0"
    r.config_set("min-replicas-to-write", "0")
    assert r.set("x", "1")
    assert "min_slaves_good_slaves" not in info_fields(r)


def test_info_replication_fields_order_and_role(primary):
    r = primary.client()
    text = info_text(r, "replication")
    keys = [ln.split(":")[0] for ln in text.split("\r\n") if ":" in ln]
    assert keys == ["role", "connected_slaves", "master_failover_state", "master_replid",
                    "master_replid2", "master_repl_offset", "second_repl_offset",
                    "repl_backlog_active", "repl_backlog_size",
                    "repl_backlog_first_byte_offset", "repl_backlog_histlen"]
    info = info_fields(r)
    assert info["role"] == "master" and info["master_replid2"] == "0" * 40
    assert info["repl_backlog_active"] == "0" and info["second_repl_offset"] == "-1"
    assert r.execute_command("ROLE") == [b"master", 0, []]
    fr = FakeReplica(primary.port)
    fr.handshake(port=6543)
    fr.full_sync(r)
    r.set("a", "b")
    info = info_fields(r)
    assert info["repl_backlog_active"] == "1"
    assert info["repl_backlog_first_byte_offset"] == "1"
    assert int(info["repl_backlog_histlen"]) == int(info["master_repl_offset"]) > 0
    assert info["slave0"].startswith("ip=127.0.0.1,port=6543,state=online,offset=0,lag=")
    fr.close()


def test_redis_cli_rdb_loads(primary, tmp_path):
    r = primary.client()
    r.set("s", "v")
    r.rpush("l", 1, 2, 3)
    r.hset("h", mapping={"a": 1})
    path = str(tmp_path / "out.rdb")
    res = subprocess.run(["redis-cli", "-p", str(primary.port), "--rdb", path],
                         capture_output=True, timeout=30)
    assert res.returncode == 0, res.stderr
    with open(path, "rb") as f:
        assert f.read(9) == b"REDIS0010"
    if shutil.which("redis-check-rdb"):
        chk = subprocess.run(["redis-check-rdb", path], capture_output=True, timeout=30)
        assert chk.returncode == 0 and b"3 keys read" in chk.stdout, chk.stdout
    # The connection is closed after the RDB: no replica stays attached.
    assert wait_for(lambda: info_fields(r)["connected_slaves"] == "0")


def test_redis_cli_rdb_disk_framing(primary, tmp_path):
    r = primary.client()
    r.config_set("repl-diskless-sync", "no")
    r.set("disk", "1")
    path = str(tmp_path / "disk.rdb")
    res = subprocess.run(["redis-cli", "-p", str(primary.port), "--rdb", path],
                         capture_output=True, timeout=30)
    assert res.returncode == 0, res.stderr
    assert os.path.getsize(path) > 9
    if shutil.which("redis-check-rdb"):
        chk = subprocess.run(["redis-check-rdb", path], capture_output=True, timeout=30)
        assert chk.returncode == 0 and b"1 keys read" in chk.stdout, chk.stdout
