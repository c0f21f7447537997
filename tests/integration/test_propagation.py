# test_propagation.py -- what a primary sends to its replicas, against Redis 7.0 and keel.
#
# A fake replica (raw socket: REPLCONF listening-port / capa eof psync2, PSYNC ? -1) takes a
# full resync, skips the RDB payload ($EOF:<mark> or $<len> framing), acknowledges it (a
# diskless transfer goes online on the first REPLCONF ACK), then parses the stream as RESP
# arrays. Each check runs commands on a normal client, then PUBLISHes a unique marker (Redis
# and keel propagate PUBLISH) and reads the stream up to it. PING and REPLCONF GETACK are
# ignored; SELECT, MULTI and EXEC are kept. The forms are Redis 7.0's deterministic ones:
# relative expiries become absolute (compared within a tolerance), random and blocking
# commands become what they actually did, float increments become their result, and a
# command that changed nothing propagates nothing.
# SPDX-License-Identifier: BSD-3-Clause

import socket
import threading
import time

import pytest
import redis

MARK_CHANNEL = b"__keel_propagation_marker__"
TOL_MS = 3000


class At:
    """An absolute unix time in ms expected in the stream: ms_from_now after the check
    started (or the absolute value abs_ms), within TOL_MS."""

    def __init__(self, ms_from_now=None, abs_ms=None):
        self.rel = ms_from_now
        self.abs = abs_ms

    def matches(self, got, t0_ms):
        try:
            v = int(got)
        except ValueError:
            return False
        if self.abs is not None:
            return v == self.abs
        return abs(v - (t0_ms + self.rel)) <= TOL_MS

    def __repr__(self):
        return "<now%+dms>" % self.rel if self.abs is None else "<%d>" % self.abs


class FakeReplica:
    """A replica speaking the PSYNC protocol by hand; reads what the primary propagates."""

    def __init__(self, port, timeout=10.0):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.timeout = timeout
        self.buf = b""
        self.marks = 0
        self.send(b"REPLCONF", b"listening-port", b"0")
        assert self.line() == b"+OK"
        self.send(b"REPLCONF", b"capa", b"eof", b"capa", b"psync2")
        assert self.line() == b"+OK"
        self.send(b"PSYNC", b"?", b"-1")
        first = self.line(skip_keepalive=True)
        assert first.startswith(b"+FULLRESYNC "), first
        self.skip_rdb()

    def close(self):
        self.sock.close()

    def send(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))

    def fill(self):
        """Read more bytes. While waiting, send REPLCONF ACK as replicas do: a diskless
        transfer is put online by the first ACK received after the payload was sent."""
        deadline = time.monotonic() + self.timeout
        self.sock.settimeout(0.25)
        while True:
            try:
                chunk = self.sock.recv(65536)
                break
            except socket.timeout:
                if time.monotonic() > deadline:
                    raise AssertionError("no data from the primary within %.0fs" % self.timeout)
                self.send(b"REPLCONF", b"ACK", b"0")
        if not chunk:
            raise AssertionError("the primary closed the replication link")
        self.buf += chunk

    def line(self, skip_keepalive=False):
        while True:
            # A primary preparing the RDB sends bare "\n" keepalives.
            while skip_keepalive and self.buf.startswith(b"\n"):
                self.buf = self.buf[1:]
            i = self.buf.find(b"\r\n")
            if i >= 0:
                out, self.buf = self.buf[:i], self.buf[i + 2:]
                return out
            self.fill()

    def take(self, n):
        while len(self.buf) < n:
            self.fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def skip_rdb(self):
        head = self.line(skip_keepalive=True)
        if head.startswith(b"$EOF:"):
            mark = head[5:]
            assert len(mark) == 40, head
            while mark not in self.buf:
                self.fill()
            self.buf = self.buf[self.buf.index(mark) + 40:]
        else:
            assert head.startswith(b"$"), head
            payload = self.take(int(head[1:]))
            assert payload.startswith(b"REDIS"), payload[:16]

    def command(self):
        head = self.line(skip_keepalive=True)
        assert head.startswith(b"*"), head
        argv = []
        for _ in range(int(head[1:])):
            h = self.line()
            assert h.startswith(b"$"), h
            argv.append(self.take(int(h[1:]) + 2)[:-2])
        return argv

    def collect(self, client):
        """Everything propagated since the previous call (client runs the marker)."""
        self.marks += 1
        mark = b"%d" % self.marks
        client.execute_command("PUBLISH", MARK_CHANNEL, mark)
        out = []
        while True:
            argv = self.command()
            name = argv[0].upper()
            if name == b"PING" or (name == b"REPLCONF" and argv[1].upper() == b"GETACK"):
                continue
            if name == b"PUBLISH" and argv[1:] == [MARK_CHANNEL, mark]:
                return out
            out.append(argv)


class Stream:
    def __init__(self, client, replica):
        self.r = client
        self.rep = replica

    def run(self, *cmds):
        """Run cmds (errors are replies too) and return what they propagated."""
        for cmd in cmds:
            try:
                self.r.execute_command(*cmd)
            except (redis.ResponseError, ValueError):
                pass   # an error reply, or a reply redis-py cannot parse (QUEUED for a float)
        return self.rep.collect(self.r)

    def check(self, setup, cmds, expected):
        self.run(*setup)
        t0 = time.time() * 1000
        got = self.run(*cmds)
        assert_forms(got, expected, t0)


def _b(x):
    return x if isinstance(x, bytes) else str(x).encode()


def assert_forms(got, expected, t0_ms):
    ok = len(got) == len(expected)
    for g, e in zip(got, expected):
        if not ok or len(g) != len(e):
            ok = False
            break
        for ga, ea in zip(g, e):
            if isinstance(ea, At):
                ok = ok and ea.matches(ga, t0_ms)
            else:
                ok = ok and ga == _b(ea)
    assert ok, "propagated %r, expected %r" % (got, expected)


@pytest.fixture
def stream(server, r):
    r.config_set("repl-diskless-sync-delay", 0)
    for opt in ("lazyfree-lazy-expire", "lazyfree-lazy-user-del", "lazyfree-lazy-server-del"):
        r.config_set(opt, "no")
    rep = FakeReplica(server.port)
    # Bring the stream to db 0 so that the checks see no SELECT unless they change db.
    r.set("__prop_init__", "x")
    r.delete("__prop_init__")
    first = rep.collect(r)
    assert [b"SELECT", b"0"] in first, first
    yield Stream(r, rep)
    rep.close()
    for opt in ("lazyfree-lazy-expire", "lazyfree-lazy-user-del", "lazyfree-lazy-server-del"):
        r.config_set(opt, "no")


# (id, setup, commands, expected propagated forms). Unrewritten commands keep the
# client's argv (lowercase here); rewritten forms are Redis's uppercase words.
CASES = [
    # ---- keys: EXPIRE family
    ("expire", [("set", "k", "v")], [("expire", "k", "100")],
     [["PEXPIREAT", "k", At(100000)]]),
    ("pexpire", [("set", "k", "v")], [("pexpire", "k", "100000")],
     [["PEXPIREAT", "k", At(100000)]]),
    ("expireat", [("set", "k", "v")], [("expireat", "k", "99999999999")],
     [["PEXPIREAT", "k", At(abs_ms=99999999999000)]]),
    ("pexpireat-as-is", [("set", "k", "v")], [("pexpireat", "k", "99999999999999", "nx")],
     [["pexpireat", "k", "99999999999999", "nx"]]),
    ("pexpireat-past", [("set", "k", "v")], [("pexpireat", "k", "1")], [["DEL", "k"]]),
    ("expire-flags-kept", [("set", "k", "v")], [("expire", "k", "100", "lt")],
     [["PEXPIREAT", "k", At(100000), "lt"]]),
    ("expire-flag-refused", [("set", "k", "v")], [("expire", "k", "100", "gt")], []),
    ("expire-nx-refused", [("set", "k", "v", "ex", "50")], [("expire", "k", "100", "nx")], []),
    ("expire-missing", [], [("expire", "nokey", "100")], []),
    ("expire-past", [("set", "k", "v")], [("expire", "k", "-1")], [["DEL", "k"]]),
    ("pexpire-zero", [("set", "k", "v")], [("pexpire", "k", "0")], [["DEL", "k"]]),
    ("expireat-past", [("set", "k", "v")], [("expireat", "k", "1")], [["DEL", "k"]]),
    ("expire-past-lazyfree", [("set", "k", "v"), ("config", "set", "lazyfree-lazy-expire",
                                                  "yes")],
     [("expire", "k", "-1")], [["UNLINK", "k"]]),
    ("expire-past-user-del-is-not-it", [("set", "k", "v"),
                                        ("config", "set", "lazyfree-lazy-user-del", "yes")],
     [("expire", "k", "-1")], [["DEL", "k"]]),
    ("persist", [("set", "k", "v", "ex", "100")], [("persist", "k")], [["persist", "k"]]),
    ("persist-no-ttl", [("set", "k", "v")], [("persist", "k")], []),
    ("del-missing", [], [("del", "a", "b")], []),
    ("del-some", [("set", "a", "1")], [("del", "a", "b")], [["del", "a", "b"]]),
    ("copy-refused", [("set", "a", "1"), ("set", "b", "2")], [("copy", "a", "b")], []),
    ("renamenx-refused", [("set", "a", "1"), ("set", "b", "2")], [("renamenx", "a", "b")], []),
    # ---- strings
    ("set-ex", [], [("set", "k", "v", "ex", "100")], [["SET", "k", "v", "PXAT", At(100000)]]),
    ("set-px-flags-dropped", [("set", "k", "old")], [("set", "k", "v", "xx", "get", "px", "5000")],
     [["SET", "k", "v", "PXAT", At(5000)]]),
    ("set-exat", [], [("set", "k", "v", "exat", "99999999999")],
     [["SET", "k", "v", "PXAT", At(abs_ms=99999999999000)]]),
    ("set-pxat", [], [("set", "k", "v", "nx", "pxat", "99999999999999")],
     [["SET", "k", "v", "PXAT", At(abs_ms=99999999999999)]]),
    ("set-keepttl-as-is", [], [("set", "k", "v", "keepttl")], [["set", "k", "v", "keepttl"]]),
    ("set-nx-refused", [("set", "k", "v")], [("set", "k", "w", "nx", "ex", "10")], []),
    ("set-xx-refused", [], [("set", "k", "w", "xx")], []),
    ("setex", [], [("setex", "k", "100", "v")], [["SET", "k", "v", "PXAT", At(100000)]]),
    ("psetex", [], [("psetex", "k", "100000", "v")], [["SET", "k", "v", "PXAT", At(100000)]]),
    ("setex-invalid", [], [("setex", "k", "0", "v")], []),
    ("getex-ex", [("set", "k", "v")], [("getex", "k", "ex", "100")],
     [["PEXPIREAT", "k", At(100000)]]),
    ("getex-px", [("set", "k", "v")], [("getex", "k", "px", "100000")],
     [["PEXPIREAT", "k", At(100000)]]),
    ("getex-pxat", [("set", "k", "v")], [("getex", "k", "pxat", "99999999999999")],
     [["PEXPIREAT", "k", At(abs_ms=99999999999999)]]),
    ("getex-persist", [("set", "k", "v", "ex", "100")], [("getex", "k", "persist")],
     [["PERSIST", "k"]]),
    ("getex-persist-no-ttl", [("set", "k", "v")], [("getex", "k", "persist")], []),
    ("getex-plain", [("set", "k", "v", "ex", "100")], [("getex", "k")], []),
    ("getex-missing", [], [("getex", "k", "ex", "10")], []),
    ("getex-exat-past", [("set", "k", "v")], [("getex", "k", "exat", "1")], [["DEL", "k"]]),
    ("getex-past-lazyfree", [("set", "k", "v"), ("config", "set", "lazyfree-lazy-expire",
                                                 "yes")],
     [("getex", "k", "pxat", "1")], [["UNLINK", "k"]]),
    ("getdel", [("set", "k", "v")], [("getdel", "k")], [["DEL", "k"]]),
    ("getdel-lazyfree", [("set", "k", "v"), ("config", "set", "lazyfree-lazy-user-del", "yes")],
     [("getdel", "k")], [["UNLINK", "k"]]),
    ("getdel-missing", [], [("getdel", "k")], []),
    ("incrbyfloat", [("set", "n", "1.5")], [("incrbyfloat", "n", "2")],
     [["SET", "n", "3.5", "KEEPTTL"]]),
    ("incrbyfloat-new", [], [("incrbyfloat", "n", "2.0e0")], [["SET", "n", "2", "KEEPTTL"]]),
    ("incrbyfloat-error", [("set", "n", "abc")], [("incrbyfloat", "n", "1")], []),
    ("msetnx-refused", [("set", "a", "1")], [("msetnx", "a", "1", "c", "2")], []),
    # ---- hashes
    ("hincrbyfloat", [("hset", "h", "f", "1")], [("hincrbyfloat", "h", "f", "2.5")],
     [["HSET", "h", "f", "3.5"]]),
    ("hincrbyfloat-new", [], [("hincrbyfloat", "h", "g", "1e2")], [["HSET", "h", "g", "100"]]),
    ("hdel-missing", [("hset", "h", "f", "1")], [("hdel", "h", "zz")], []),
    # ---- sets
    ("spop-one-member", [("sadd", "s", "a")], [("spop", "s")], [["SREM", "s", "a"]]),
    ("spop-count-all", [("sadd", "s", "a", "b")], [("spop", "s", "5")], [["DEL", "s"]]),
    ("spop-count-equal", [("sadd", "s", "a", "b")], [("spop", "s", "2")], [["DEL", "s"]]),
    ("spop-count-zero", [("sadd", "s", "a", "b")], [("spop", "s", "0")], []),
    ("spop-missing", [], [("spop", "s"), ("spop", "s", "3")], []),
    ("srandmember", [("sadd", "s", "a", "b")], [("srandmember", "s", "2")], []),
    ("srem-missing", [("sadd", "s", "a")], [("srem", "s", "zz")], []),
    # ---- lists
    ("lpop-as-is", [("rpush", "l", "a", "b")], [("lpop", "l")], [["lpop", "l"]]),
    ("lpop-count-zero", [("rpush", "l", "a")], [("lpop", "l", "0")], []),
    ("lmpop", [("rpush", "l", "a", "b", "c")], [("lmpop", "2", "x", "l", "left", "count", "2")],
     [["LPOP", "l", "2"]]),
    ("lmpop-count-capped", [("rpush", "l", "a")], [("lmpop", "1", "l", "right", "count", "5")],
     [["RPOP", "l", "1"]]),
    ("lmpop-default-count", [("rpush", "l", "a", "b")], [("lmpop", "1", "l", "left")],
     [["LPOP", "l", "1"]]),
    ("lmpop-empty", [], [("lmpop", "1", "l", "left")], []),
    ("blpop-ready", [("rpush", "l", "a", "b")], [("blpop", "x", "l", "0")], [["LPOP", "l"]]),
    ("brpop-ready", [("rpush", "l", "a", "b")], [("brpop", "l", "0")], [["RPOP", "l"]]),
    ("blmpop-ready", [("rpush", "l", "a", "b", "c")],
     [("blmpop", "0", "1", "l", "right", "count", "2")], [["RPOP", "l", "2"]]),
    ("blmove-ready", [("rpush", "l", "a", "b")], [("blmove", "l", "l2", "left", "Right", "0")],
     [["LMOVE", "l", "l2", "left", "Right"]]),
    ("brpoplpush-ready", [("rpush", "l", "a")], [("brpoplpush", "l", "l2", "0")],
     [["RPOPLPUSH", "l", "l2"]]),
    ("lmove-as-is", [("rpush", "l", "a")], [("lmove", "l", "l2", "left", "left")],
     [["lmove", "l", "l2", "left", "left"]]),
    ("blmove-wrongtype", [("rpush", "l", "a"), ("set", "l2", "x")],
     [("blmove", "l", "l2", "left", "left", "0")], []),
    ("lrem-nothing", [("rpush", "l", "a")], [("lrem", "l", "0", "zz")], []),
    # ---- sorted sets
    ("zpopmin-as-is", [("zadd", "z", "1", "a", "2", "b")], [("zpopmin", "z")],
     [["zpopmin", "z"]]),
    ("zmpop", [("zadd", "z", "1", "a", "2", "b", "3", "c")],
     [("zmpop", "1", "z", "min", "count", "2")], [["ZPOPMIN", "z", "2"]]),
    ("zmpop-capped", [("zadd", "z", "1", "a")], [("zmpop", "2", "y", "z", "max", "count", "9")],
     [["ZPOPMAX", "z", "1"]]),
    ("zmpop-empty", [], [("zmpop", "1", "z", "max")], []),
    ("bzpopmin-ready", [("zadd", "z", "1", "a", "2", "b")], [("bzpopmin", "z", "0")],
     [["ZPOPMIN", "z"]]),
    ("bzpopmax-ready", [("zadd", "z", "1", "a", "2", "b")], [("bzpopmax", "z", "0")],
     [["ZPOPMAX", "z"]]),
    ("bzmpop-ready", [("zadd", "z", "1", "a", "2", "b")],
     [("bzmpop", "0", "1", "z", "max", "count", "5")], [["ZPOPMAX", "z", "2"]]),
    ("zincrby-zero", [("zadd", "z", "1", "a")], [("zincrby", "z", "0", "a")], []),
    # ---- HyperLogLog: PFCOUNT that stored its cache propagates as is
    ("pfcount-caches", [("pfadd", "h", "a", "b", "c")], [("pfcount", "h"), ("pfcount", "h")],
     [["pfcount", "h"]]),
    ("pfcount-union", [("pfadd", "h", "a"), ("pfadd", "h2", "b")], [("pfcount", "h", "h2")], []),
    ("pfadd-no-change", [("pfadd", "h", "a")], [("pfadd", "h", "a")], []),
    # ---- bitmaps
    ("bitfield-get", [("set", "b", "x")], [("bitfield", "b", "get", "u8", "0")], []),
    ("setbit-as-is", [], [("setbit", "b", "5", "1")], [["setbit", "b", "5", "1"]]),
]


@pytest.mark.parametrize("setup,cmds,expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_forms(stream, setup, cmds, expected):
    stream.check(setup, cmds, expected)


def test_spop_count_removes_each_member_in_multi(stream):
    r = stream.r
    r.sadd("s", *"abcdefg")
    stream.run()
    popped = r.spop("s", 3)
    got = stream.run()
    assert got[0] == [b"MULTI"] and got[-1] == [b"EXEC"], got
    assert sorted(got[1:-1]) == sorted([b"SREM", b"s", m] for m in popped)
    assert len(got) == 5
    # Most of the set leaves (the other internal strategy): still one SREM per member.
    r.sadd("t", *[str(i) for i in range(20)])
    stream.run()
    popped = r.spop("t", 18)
    got = stream.run()
    assert got[0] == [b"MULTI"] and got[-1] == [b"EXEC"]
    assert sorted(got[1:-1]) == sorted([b"SREM", b"t", m] for m in popped)
    # A single member needs no transaction; the plain SPOP is SREM too.
    popped = r.spop("t", 1)
    assert stream.run() == [[b"SREM", b"t", popped[0]]]
    popped = r.spop("t")
    assert stream.run() == [[b"SREM", b"t", popped]]
    assert r.exists("t") == 0


def test_spop_inside_exec_not_wrapped_twice(stream):
    r = stream.r
    r.sadd("s", "a", "b", "c")
    stream.run()
    p = r.pipeline(transaction=True)
    p.spop("s", 2)
    p.set("x", "1")
    popped, _ = p.execute()
    got = stream.run()
    assert got[0] == [b"MULTI"] and got[-1] == [b"EXEC"], got
    assert sorted(got[1:3]) == sorted([b"SREM", b"s", m] for m in popped)
    assert got[3:-1] == [[b"SET", b"x", b"1"]]
    assert len(got) == 5


def test_exec_wraps_rewritten_forms(stream):
    t0 = time.time() * 1000
    got = stream.run(("multi",), ("set", "k", "v", "ex", "100"), ("incrbyfloat", "n", "1.5"),
                     ("expire", "k", "-1"), ("exec",))
    assert_forms(got, [["MULTI"], ["SET", "k", "v", "PXAT", At(100000)],
                       ["SET", "n", "1.5", "KEEPTTL"], ["DEL", "k"], ["EXEC"]], t0)


def test_select_kept(stream, server):
    c9 = server.client(db=9)
    try:
        t0 = time.time() * 1000
        c9.execute_command("expire", "nokey", "10")
        c9.execute_command("set", "k", "v", "px", "1000")
        got = stream.rep.collect(stream.r)
        # The marker runs in db 0: the stream switches back before it.
        assert_forms(got, [["SELECT", "9"], ["SET", "k", "v", "PXAT", At(1000)],
                           ["SELECT", "0"]], t0)
        c9.execute_command("incrbyfloat", "n", "3")
        assert stream.rep.collect(stream.r) == [[b"SELECT", b"9"],
                                                [b"SET", b"n", b"3", b"KEEPTTL"],
                                                [b"SELECT", b"0"]]
    finally:
        c9.close()


# ------------------------------------------------------------------ served after blocking

def wait_blocked(r, n, timeout=5.0):
    deadline = time.monotonic() + timeout
    while r.info("clients")["blocked_clients"] != n:
        if time.monotonic() > deadline:
            raise AssertionError("blocked_clients never reached %d" % n)
        time.sleep(0.01)


def served(stream, server, blocking_cmds, trigger):
    """Block one client per command in blocking_cmds (in order), run trigger, return what
    was propagated and the blocked clients' replies."""
    replies = [None] * len(blocking_cmds)
    threads, clients = [], []
    for i, cmd in enumerate(blocking_cmds):
        c = server.client()
        clients.append(c)

        def run(i=i, c=c, cmd=cmd):
            replies[i] = c.execute_command(*cmd)
        t = threading.Thread(target=run)
        t.start()
        threads.append(t)
        wait_blocked(stream.r, i + 1)
    got = stream.run(*trigger)
    for t in threads:
        t.join(5)
    for c in clients:
        c.close()
    return got, replies


BLOCKED_CASES = [
    ("blpop", [("blpop", "x", "l", "0")], [("rpush", "l", "a", "b")],
     [["rpush", "l", "a", "b"], ["LPOP", "l"]]),
    ("brpop-two-clients", [("blpop", "l", "0"), ("brpop", "l", "0")],
     [("rpush", "l", "a", "b", "c")],
     [["rpush", "l", "a", "b", "c"], ["LPOP", "l"], ["RPOP", "l"]]),
    ("blmove-lowercase-directions", [("blmove", "l", "l2", "LEFT", "RIGHT", "0")],
     [("rpush", "l", "a")], [["rpush", "l", "a"], ["LMOVE", "l", "l2", "left", "right"]]),
    ("brpoplpush-chain", [("brpoplpush", "l", "l2", "0"), ("blpop", "l2", "0")],
     [("rpush", "l", "a")], [["rpush", "l", "a"], ["RPOPLPUSH", "l", "l2"], ["LPOP", "l2"]]),
    ("blmpop", [("blmpop", "0", "2", "x", "l", "LEFT", "COUNT", "3")],
     [("rpush", "l", "a", "b")], [["rpush", "l", "a", "b"], ["LPOP", "l", "2"]]),
    ("bzpopmin", [("bzpopmin", "z", "0")], [("zadd", "z", "1", "a", "2", "b")],
     [["zadd", "z", "1", "a", "2", "b"], ["ZPOPMIN", "z"]]),
    ("bzmpop", [("bzmpop", "0", "1", "z", "MAX", "COUNT", "3")],
     [("zadd", "z", "1", "a", "2", "b")],
     [["zadd", "z", "1", "a", "2", "b"], ["ZPOPMAX", "z", "2"]]),
    ("blpop-after-exec", [("blpop", "l", "0")],
     [("multi",), ("rpush", "l", "a", "b"), ("set", "x", "1"), ("exec",)],
     [["MULTI"], ["rpush", "l", "a", "b"], ["set", "x", "1"], ["EXEC"], ["LPOP", "l"]]),
]


@pytest.mark.parametrize("blocking,trigger,expected", [c[1:] for c in BLOCKED_CASES],
                         ids=[c[0] for c in BLOCKED_CASES])
def test_served_after_blocking(stream, server, blocking, trigger, expected):
    got, replies = served(stream, server, blocking, trigger)
    assert all(rep is not None for rep in replies), replies
    assert_forms(got, expected, time.time() * 1000)


def test_blocking_timeout_propagates_nothing(stream):
    assert stream.run(("blpop", "l", "0.05"), ("bzpopmax", "z", "0.05"),
                      ("blmove", "l", "m", "left", "left", "0.05")) == []
