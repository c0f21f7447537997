# conftest.py -- fixtures for the integration tests: real server processes (Redis 7.0 as the
# reference and keel-server as the system under test) on free loopback ports.
#
# Fixtures
#   server_kind   session, parametrized "redis" / "keel" (keel needs env KEEL_SERVER; without it
#                 the keel tests FAIL, unless KEEL_ONLY_REDIS=1 drops the keel parameter so a
#                 test file can be validated against Redis alone).
#   server        session: one shared server of that kind (ServerProcess: .port .kind .pid ...).
#   r / rd        redis.Redis on `server` (bytes / decoded), after FLUSHALL + CONFIG RESETSTAT.
#   raw           factory: raw(port=None) -> RawConn, a plain socket with a RESP2/RESP3 reader.
#   start_server  factory: start_server(*extra_args, config=None) -> a dedicated ServerProcess of
#                 the current kind, stopped at the end of the test (for config changes such as
#                 requirepass or maxclients).
#   redis_ref     session: a real redis-server, to compare replies dynamically when needed.
# Tests must not stop or reconfigure the shared `server` (SHUTDOWN, CONFIG SET requirepass,
# maxclients, ...): use start_server for that.
# Marker: @pytest.mark.slow for tests that take more than a couple of seconds (-m "not slow").
# The server logs (log file and stdout/stderr) are attached to the report of a failed test.
# SPDX-License-Identifier: BSD-3-Clause

import os
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pytest
import redis

REDIS_SERVER = "/usr/bin/redis-server"
START_TIMEOUT = float(os.environ.get("KEEL_START_TIMEOUT", "20"))
STOP_TIMEOUT = float(os.environ.get("KEEL_STOP_TIMEOUT", "15"))
ONLY_REDIS = os.environ.get("KEEL_ONLY_REDIS") == "1"
KINDS = ["redis"] if ONLY_REDIS else ["redis", "keel"]

# Sanitizer reports in a server's stderr fail the session even when the tests passed.
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "ERROR: UndefinedBehaviorSanitizer")


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than a few seconds (deselect with "
                            "-m 'not slow')")


def pytest_report_header(config):
    if ONLY_REDIS:
        return "KEEL_ONLY_REDIS=1: keel-server parameters are NOT collected (Redis only)"
    return "keel-server: %s" % (os.environ.get("KEEL_SERVER") or "<KEEL_SERVER unset>")


# ------------------------------------------------------------------ ports and processes

def free_port():
    """A currently free loopback port (bind 0, read it back, release)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def keel_binary():
    path = os.environ.get("KEEL_SERVER")
    if not path:
        pytest.fail("KEEL_SERVER is not set: point it at build/server/keel-server (meson test "
                    "does this), or set KEEL_ONLY_REDIS=1 to run the tests against Redis only",
                    pytrace=False)
    if not os.access(path, os.X_OK):
        pytest.fail("KEEL_SERVER=%s is not an executable file" % path, pytrace=False)
    return path


def _tail(path, lines=80):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return ""
    return "\n".join(data.decode("utf-8", "replace").splitlines()[-lines:])


class ServerStartError(Exception):
    pass


class ServerProcess:
    """One server process on 127.0.0.1:<port> with its own temp dir and log."""

    def __init__(self, kind, extra_args=(), config=None):
        self.kind = kind
        self.extra_args = [str(a) for a in extra_args]
        self.config = config
        self.dir = tempfile.mkdtemp(prefix="keel-it-%s-" % kind)
        self.logfile = os.path.join(self.dir, "server.log")
        self.outfile = os.path.join(self.dir, "stdout.log")
        self.proc = None
        self.port = None
        self.returncode = None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def argv(self, port):
        if self.kind == "redis":
            argv = [REDIS_SERVER]
            if self.config is not None:
                argv.append(self._write_config("redis.conf"))
            # Redis 7 refuses DEBUG unless enabled; keel always allows it (docs/compatibility.md).
            argv += ["--daemonize", "no", "--enable-debug-command", "yes"]
        else:
            argv = [keel_binary()]
            if self.config is not None:
                argv.append(self._write_config("keel.yaml"))
        argv += ["--port", str(port), "--bind", "127.0.0.1", "--dir", self.dir,
                 "--save", "", "--appendonly", "no", "--logfile", self.logfile]
        return argv + self.extra_args

    def _write_config(self, name):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(self.config)
        return path

    def start(self):
        # A free port can be taken between our probe and the server's bind: retry.
        last = ""
        for _ in range(3):
            port = free_port()
            argv = self.argv(port)
            with open(self.outfile, "ab") as out:
                self.proc = subprocess.Popen(argv, cwd=self.dir, stdout=out,
                                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            self.port = port
            if self._wait_ready() and self._owns_port():
                return self
            last = self.logs()
            self.stop()
        raise ServerStartError("%s server did not answer PING within %.0fs\ncommand: %s\n%s"
                               % (self.kind, START_TIMEOUT, shlex.join(argv), last))

    def _wait_ready(self):
        """Poll PING until a reply (any reply: +PONG, or -NOAUTH with requirepass)."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(64)[:1] in (b"+", b"-"):
                        return True
            except OSError:
                pass
            time.sleep(0.02)
        return False

    def _owns_port(self):
        """Guard against a foreign server that grabbed the port first: the process_id in
        INFO must be ours (skipped when INFO needs AUTH)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as s:
                s.sendall(b"INFO server\r\n")
                data = b""
                while b"process_id:" not in data or not data.endswith(b"\r\n"):
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                    if data.startswith(b"-"):
                        return self.proc.poll() is None
        except OSError:
            return False
        for line in data.split(b"\r\n"):
            if line.startswith(b"process_id:"):
                return int(line.split(b":")[1]) == self.proc.pid
        return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """SIGTERM, then SIGKILL after STOP_TIMEOUT. Returns the exit code."""
        if self.proc is None:
            return self.returncode
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGTERM)
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                self.returncode = "killed after %.0fs without exiting on SIGTERM" % STOP_TIMEOUT
                return self.returncode
            except ProcessLookupError:
                pass
        self.returncode = self.proc.wait()
        return self.returncode

    def problems(self):
        """Reasons to fail after stop(): crash signal, sanitizer report, SIGTERM ignored."""
        out = []
        rc = self.returncode
        if isinstance(rc, str):
            out.append(rc)
        elif rc is not None and rc < 0 and rc != -signal.SIGTERM:
            out.append("died by signal %d" % -rc)
        elif rc not in (None, 0, -signal.SIGTERM):
            out.append("exit code %d" % rc)
        try:
            with open(self.outfile, "rb") as f:
                text = f.read().decode("utf-8", "replace")
        except OSError:
            text = ""
        if any(m in text for m in SANITIZER_MARKERS):
            out.append("sanitizer report in stderr")
        return out

    def logs(self, lines=80):
        return ("--- %s log (%s) ---\n%s\n--- %s stdout/stderr ---\n%s"
                % (self.kind, self.logfile, _tail(self.logfile, lines), self.kind,
                   _tail(self.outfile, lines)))

    def cleanup(self, keep):
        if not keep and os.environ.get("KEEL_KEEP_TMP") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)

    def client(self, **kw):
        kw.setdefault("socket_timeout", 10)
        return redis.Redis(host="127.0.0.1", port=self.port, **kw)

    def __repr__(self):
        return "<%s server pid=%s port=%s>" % (self.kind, self.pid, self.port)


def _finish(srv):
    """Stop a server; fail (raise) when it crashed, leaked or ignored SIGTERM."""
    srv.stop()
    problems = srv.problems()
    srv.cleanup(keep=bool(problems))
    if problems:
        pytest.fail("%r: %s (files kept in %s)\n%s"
                    % (srv, "; ".join(problems), srv.dir, srv.logs(200)), pytrace=False)


# Servers used by the running test, for the failure report.
_test_servers = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed and rep.when in ("setup", "call"):
        seen = []
        shared = item.funcargs.get("server") if hasattr(item, "funcargs") else None
        for srv in ([shared] if shared else []) + _test_servers:
            if isinstance(srv, ServerProcess) and srv not in seen:
                seen.append(srv)
                state = "alive" if srv.alive() else "NOT RUNNING (rc=%s)" % srv.proc.poll()
                rep.sections.append(("server %s port %s: %s" % (srv.kind, srv.port, state),
                                     srv.logs()))


_ran = {"n": 0}


def pytest_runtest_logreport(report):
    if report.when == "call" and not report.skipped:
        _ran["n"] += 1


def pytest_sessionfinish(session, exitstatus):
    # No test ran (nothing collected, or all skipped/deselected): that is a failure here.
    if exitstatus == 0 and _ran["n"] == 0:
        session.exitstatus = 5


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _ran["n"] == 0:
        terminalreporter.write_line("ERROR: no test ran; treating the run as failed", red=True)


# ------------------------------------------------------------------ server fixtures

@pytest.fixture(scope="session", params=KINDS)
def server_kind(request):
    if request.param == "keel":
        keel_binary()
    return request.param


@pytest.fixture(scope="session")
def server(server_kind):
    srv = ServerProcess(server_kind)
    try:
        srv.start()
    except ServerStartError as e:
        srv.cleanup(keep=True)
        pytest.fail(str(e), pytrace=False)
    yield srv
    _finish(srv)


@pytest.fixture(scope="session")
def redis_ref():
    srv = ServerProcess("redis")
    srv.start()
    yield srv
    _finish(srv)


@pytest.fixture
def start_server(server_kind):
    """start_server(*extra_args, config=None): a dedicated server for this test.

    extra_args are appended to the command line ("--maxclients", "2"); config is the text of
    a config file (redis.conf syntax for redis, YAML for keel), passed as first argument."""
    started = []

    def start(*extra_args, config=None, kind=None):
        srv = ServerProcess(kind or server_kind, extra_args, config)
        started.append(srv)
        _test_servers.append(srv)
        try:
            srv.start()
        except ServerStartError as e:
            pytest.fail(str(e), pytrace=False)
        return srv

    yield start
    errors = []
    for srv in started:
        try:
            _finish(srv)
        except pytest.fail.Exception as e:
            errors.append(str(e))
    del _test_servers[:]
    if errors:
        pytest.fail("\n".join(errors), pytrace=False)


def _check_alive(server):
    if not server.alive():
        pytest.fail("%r is not running (exit %s)\n%s"
                    % (server, server.proc.poll(), server.logs(200)), pytrace=False)


@pytest.fixture
def r(server):
    _check_alive(server)
    c = server.client(decode_responses=False)
    c.flushall()
    c.config_resetstat()
    yield c
    c.close()


@pytest.fixture
def rd(server):
    _check_alive(server)
    c = server.client(decode_responses=True)
    c.flushall()
    c.config_resetstat()
    yield c
    c.close()


# ------------------------------------------------------------------ raw RESP connections

class SimpleString(bytes):
    """+OK"""


class ErrorReply(bytes):
    """-ERR ... (the text without '-' and CRLF)"""


class Double(float):
    """RESP3 ','"""


class BigNumber(int):
    """RESP3 '('"""


class Verbatim(bytes):
    """RESP3 '=': .fmt holds the 3-letter format, the bytes are the text."""
    fmt = b""


class Map(list):
    """RESP3 '%': a list of (key, value) pairs (keys may be unhashable)."""

    def to_dict(self):
        return dict(self)


class Set(list):
    """RESP3 '~'"""


class Push(list):
    """RESP3 '>'"""


class ConnectionClosed(Exception):
    pass


class RawConn:
    """A plain TCP connection with an exact RESP2/RESP3 reply reader.

    read_reply() parses one reply (None for every kind of null, see the classes above);
    read_reply_bytes() returns the exact bytes of one complete reply."""

    def __init__(self, port, timeout=10.0, nodelay=True, rcvbuf=None):
        self.port = port
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf is not None:   # before connect, so the TCP window stays small
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.settimeout(timeout)
        self.sock.connect(("127.0.0.1", port))
        if nodelay:
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""
        self.pos = 0
        self.last_attribute = None

    # sending
    def send(self, data):
        self.sock.sendall(data)

    def send_slowly(self, data, delay=0.002, step=1):
        """Send data step bytes at a time with a pause: every split point is exercised."""
        for i in range(0, len(data), step):
            self.sock.sendall(data[i:i + step])
            time.sleep(delay)

    @staticmethod
    def encode(*args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            if isinstance(a, str):
                a = a.encode()
            elif isinstance(a, int):
                a = str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        return b"".join(out)

    def cmd(self, *args):
        self.send(self.encode(*args))
        return self.read_reply()

    def cmd_bytes(self, *args):
        self.send(self.encode(*args))
        return self.read_reply_bytes()

    # receiving
    def _fill(self):
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError:
            data = b""
        if not data:
            raise ConnectionClosed("connection closed by the server")
        self.buf += data

    def _line(self):
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line = self.buf[self.pos:i]
                self.pos = i + 2
                return line
            self._fill()

    def read_exact(self, n):
        while len(self.buf) - self.pos < n:
            self._fill()
        data = self.buf[self.pos:self.pos + n]
        self.pos += n
        return data

    def _bulk(self, n):
        data = self.read_exact(n + 2)
        if data[-2:] != b"\r\n":
            raise AssertionError("bulk not terminated by CRLF: %r" % data[-2:])
        return data[:-2]

    def _compact(self):
        if self.pos:
            self.buf = self.buf[self.pos:]
            self.pos = 0

    def read_reply(self):
        """Parse one complete reply."""
        self._compact()
        return self._read()

    def read_reply_bytes(self):
        """The exact bytes of one complete reply."""
        self._compact()
        self._read()
        return self.buf[:self.pos]

    def _read(self):
        line = self._line()
        t, rest = line[:1], line[1:]
        if t == b"+":
            return SimpleString(rest)
        if t == b"-":
            return ErrorReply(rest)
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            return None if n < 0 else self._bulk(n)
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        if t == b"_":
            return None
        if t == b",":
            return Double(rest.decode())
        if t == b"#":
            return {b"t": True, b"f": False}[rest]
        if t == b"(":
            return BigNumber(int(rest))
        if t == b"!":
            return ErrorReply(self._bulk(int(rest)))
        if t == b"=":
            data = self._bulk(int(rest))
            v = Verbatim(data[4:])
            v.fmt = data[:3]
            return v
        if t == b"%":
            return Map((self._read(), self._read()) for _ in range(int(rest)))
        if t == b"~":
            return Set(self._read() for _ in range(int(rest)))
        if t == b">":
            return Push(self._read() for _ in range(int(rest)))
        if t == b"|":
            self.last_attribute = Map((self._read(), self._read())
                                      for _ in range(int(rest)))
            return self._read()
        raise AssertionError("unknown RESP type byte in %r" % line)

    def read_available(self, wait=0.2):
        """Whatever arrives within `wait` seconds (b"" if nothing)."""
        data = self.buf[self.pos:]
        self.buf, self.pos = b"", 0
        self.sock.settimeout(wait)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except (socket.timeout, ConnectionResetError):
            pass
        finally:
            self.sock.settimeout(self.timeout)
        return data

    def is_closed(self, timeout=5.0):
        """True when the server closes the connection within timeout (pending data is
        discarded)."""
        self.buf, self.pos = b"", 0
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                self.sock.settimeout(max(0.01, deadline - time.monotonic()))
                if not self.sock.recv(65536):
                    return True
        except ConnectionResetError:
            return True
        except socket.timeout:
            return False
        finally:
            self.sock.settimeout(self.timeout)
        return False

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


@pytest.fixture
def raw(server):
    """raw(port=None, **kw) -> RawConn to `server` (or to port); closed after the test."""
    conns = []

    def connect(port=None, **kw):
        c = RawConn(port or server.port, **kw)
        conns.append(c)
        return c

    yield connect
    for c in conns:
        c.close()
