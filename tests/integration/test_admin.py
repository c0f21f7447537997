# Integration tests for the admin commands (server/cmd_admin.c): INFO, COMMAND, SLOWLOG,
# LATENCY, MONITOR, MEMORY, DEBUG, TIME, LASTSAVE, SHUTDOWN ABORT. Every assertion holds on
# real Redis 7.0 too: the `r` fixture runs them against redis-server and keel-server.
# SPDX-License-Identifier: BSD-3-Clause
import re
import socket
import time

import pytest
import redis


def rawcmd(r, *args):
    """Send a command on a dedicated connection and return the unparsed reply."""
    conn = r.connection_pool.get_connection("raw")
    try:
        conn.send_command(*args)
        return conn.read_response()
    finally:
        r.connection_pool.release(conn)


def addr(r):
    kw = r.connection_pool.connection_kwargs
    return kw.get("host", "127.0.0.1"), kw.get("port", 6379)


def parse_info(text):
    """INFO text -> {field: str or {subfield: str}} (our own parser: redis-py 4.3 mangles
    some fields such as master_replid2 and errorstat_*)."""
    out = {}
    for line in text.split("\r\n"):
        if not line or line.startswith("#"):
            continue
        key, _, value = line.partition(":")
        if "=" in value and "," in value or value.startswith("count="):
            value = dict(kv.split("=", 1) for kv in value.split(","))
        out[key] = value
    return out


def info(r, *sections):
    return parse_info(rawcmd(r, "INFO", *sections).decode())


def debug_allowed(r):
    try:
        r.execute_command("DEBUG", "SLEEP", "0")
        return True
    except redis.ResponseError as e:
        if "not allowed" in str(e):
            return False
        raise


@pytest.fixture
def cfg(r):
    """Set config values for one test and restore them afterwards."""
    saved = {}

    def set_(name, value):
        if name not in saved:
            saved[name] = r.config_get(name)[name]
        r.config_set(name, value)

    yield set_
    for name, value in saved.items():
        r.config_set(name, value)


# ------------------------------------------------------------------ INFO

DEFAULT_SECTIONS = ["Server", "Clients", "Memory", "Persistence", "Stats", "Replication",
                    "CPU", "Modules", "Errorstats", "Cluster", "Keyspace"]


def sections_of(text):
    return re.findall(r"^# (\w+)\r$", text, re.M)


def test_info_default_sections_and_format(r):
    text = rawcmd(r, "INFO").decode()
    assert sections_of(text) == DEFAULT_SECTIONS
    body = text.split("\r\n")
    assert body[0] == "# Server"
    assert all("\n" not in line for line in body)
    assert "cmdstat_" not in text


def test_info_fields_parse(r):
    r.set("k", "v")
    r.set("t", "v", ex=100)
    info = r.info()
    assert info["redis_version"] == "7.0.15"
    assert info["redis_mode"] == "standalone"
    assert info["arch_bits"] == 64
    assert info["multiplexing_api"] == "epoll"
    assert len(info["run_id"]) == 40
    assert info["tcp_port"] == addr(r)[1]
    assert info["connected_clients"] >= 1
    assert isinstance(info["used_memory"], int) and info["used_memory"] > 0
    assert info["used_memory_rss"] > 0
    assert info["used_memory_peak"] >= info["used_memory"] or info["used_memory_peak"] > 0
    assert info["maxmemory_policy"] == "noeviction"
    assert info["loading"] == 0
    assert info["role"] == "master"
    assert info["connected_slaves"] == 0
    assert re.fullmatch(r"[0-9a-f]{40}", info["master_replid"])
    assert parse_info(rawcmd(r, "INFO", "replication").decode())["master_replid2"] == "0" * 40
    assert info["second_repl_offset"] == -1
    assert info["repl_backlog_size"] == 1048576
    assert isinstance(info["used_cpu_sys"], float)
    assert info["cluster_enabled"] == 0
    assert info["db0"] == {"keys": 2, "expires": 1, "avg_ttl": info["db0"]["avg_ttl"]}
    assert "db1" not in info


def test_info_section_selection(r):
    server = r.info("server")
    assert "redis_version" in server and "connected_clients" not in server
    assert rawcmd(r, "INFO", "nosuchsection") == b""
    two = rawcmd(r, "INFO", "server", "CLIENTS").decode()
    assert sections_of(two) == ["Server", "Clients"]
    assert "\r\n\r\n# Clients\r\n" in two
    everything = sections_of(rawcmd(r, "INFO", "everything").decode())
    assert "Commandstats" in everything and "Keyspace" in everything
    assert "Commandstats" in sections_of(rawcmd(r, "INFO", "all").decode())
    mixed = sections_of(rawcmd(r, "INFO", "default", "commandstats").decode())
    assert mixed[:8] == DEFAULT_SECTIONS[:8] and "Commandstats" in mixed


def test_info_stats_counters(r):
    before = r.info("stats")
    for _ in range(5):
        r.get("missing")
    r.set("present", "1")
    r.get("present")
    after = r.info("stats")
    assert after["keyspace_misses"] - before["keyspace_misses"] == 5
    assert after["keyspace_hits"] - before["keyspace_hits"] == 1
    # 5 GET + SET + GET + this INFO
    assert after["total_commands_processed"] - before["total_commands_processed"] == 8
    assert after["total_net_input_bytes"] > before["total_net_input_bytes"]
    other = redis.Redis(host=addr(r)[0], port=addr(r)[1])
    other.ping()
    other.close()
    assert r.info("stats")["total_connections_received"] > after["total_connections_received"]


def test_commandstats_counting(r):
    def stats():
        return info(r, "commandstats")

    before = stats().get("cmdstat_echo", {"calls": "0"})
    for _ in range(3):
        r.echo("hello")
    after = stats()["cmdstat_echo"]
    assert int(after["calls"]) - int(before["calls"]) == 3
    assert list(after) == ["calls", "usec", "usec_per_call", "rejected_calls", "failed_calls"]
    assert float(after["usec_per_call"]) >= 0
    rawcmd(r, "COMMAND", "COUNT")
    assert int(stats()["cmdstat_command|count"]["calls"]) >= 1
    # Arity errors are rejected calls of the command.
    rej = int(stats()["cmdstat_echo"]["rejected_calls"])
    with pytest.raises(redis.ResponseError):
        r.execute_command("ECHO")
    assert int(stats()["cmdstat_echo"]["rejected_calls"]) == rej + 1


def test_errorstats(r):
    def errs():
        return int(info(r, "errorstats").get("errorstat_ERR", {"count": "0"})["count"])

    total_before = r.info("stats")["total_error_replies"]
    before = errs()
    with pytest.raises(redis.ResponseError):
        r.execute_command("NOSUCHCOMMAND")
    r.set("s", "notanumber")
    with pytest.raises(redis.ResponseError):
        r.incr("s")
    assert errs() == before + 2
    assert r.info("stats")["total_error_replies"] == total_before + 2


# ------------------------------------------------------------------ COMMAND

def test_command_count_and_list(r):
    count = rawcmd(r, "COMMAND", "COUNT")
    assert isinstance(count, int) and count > 10
    names = rawcmd(r, "COMMAND", "LIST")
    top = [n for n in names if b"|" not in n]
    assert len(top) == count
    assert b"get" in names and b"config|get" in names
    sl = rawcmd(r, "COMMAND", "LIST", "FILTERBY", "PATTERN", "slowlog*")
    assert sorted(sl) == [b"slowlog", b"slowlog|get", b"slowlog|help", b"slowlog|len",
                          b"slowlog|reset"]
    assert rawcmd(r, "COMMAND", "LIST", "FILTERBY", "MODULE", "x") == []
    assert rawcmd(r, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuchcat") == []
    assert b"get" in rawcmd(r, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "string")
    assert b"get" not in rawcmd(r, "COMMAND", "LIST", "FILTERBY", "ACLCAT", "write")
    for bad in (["x"], ["FILTERBY"], ["FILTERBY", "aclcat"], ["FILTERBY", "foo", "x"]):
        with pytest.raises(redis.ResponseError, match="^syntax error$"):
            rawcmd(r, "COMMAND", "LIST", *bad)


GET_INFO = [b"get", 2, [b"readonly", b"fast"], 1, 1, 1, [b"@read", b"@string", b"@fast"], [],
            [[b"flags", [b"RO", b"access"],
              b"begin_search", [b"type", b"index", b"spec", [b"index", 1]],
              b"find_keys", [b"type", b"range", b"spec",
                             [b"lastkey", 0, b"keystep", 1, b"limit", 0]]]],
            []]


def test_command_info_shapes(r):
    assert rawcmd(r, "COMMAND", "INFO", "get") == [GET_INFO]
    assert rawcmd(r, "COMMAND", "INFO", "nosuch", "GET") == [None, GET_INFO]
    info = rawcmd(r, "COMMAND", "INFO", "info")[0]
    assert info[:7] == [b"info", -1, [b"loading", b"stale"], 0, 0, 0,
                        [b"@slow", b"@dangerous"]]
    assert info[7] == [b"nondeterministic_output", b"request_policy:all_shards",
                       b"response_policy:special"]
    assert info[8] == [] and info[9] == []
    slowlog = rawcmd(r, "COMMAND", "INFO", "slowlog")[0]
    assert slowlog[:7] == [b"slowlog", -2, [], 0, 0, 0, [b"@slow"]]
    subs = {s[0]: s for s in slowlog[9]}
    assert set(subs) == {b"slowlog|get", b"slowlog|len", b"slowlog|reset", b"slowlog|help"}
    assert subs[b"slowlog|get"][1:3] == [-2, [b"admin", b"loading", b"stale"]]
    assert subs[b"slowlog|get"][6] == [b"@admin", b"@slow", b"@dangerous"]
    assert rawcmd(r, "COMMAND", "INFO", "slowlog|len")[0] == subs[b"slowlog|len"]
    usage = rawcmd(r, "COMMAND", "INFO", "memory|usage")[0]
    assert usage[:7] == [b"memory|usage", -3, [b"readonly"], 2, 2, 1, [b"@read", b"@slow"]]
    # COMMAND with no argument describes every top-level command.
    everything = rawcmd(r, "COMMAND")
    assert len(everything) == rawcmd(r, "COMMAND", "COUNT")
    assert GET_INFO in everything


def test_command_docs(r):
    docs = rawcmd(r, "COMMAND", "DOCS", "nosuch", "time")
    assert docs[0] == b"time"
    d = dict(zip(docs[1][::2], docs[1][1::2]))
    assert d[b"summary"] == b"Return the current server time"
    assert d[b"since"] == b"2.6.0" and d[b"group"] == b"server"
    assert d[b"complexity"] == b"O(1)"
    sl = rawcmd(r, "COMMAND", "DOCS", "slowlog")
    sd = dict(zip(sl[1][::2], sl[1][1::2]))
    subs = dict(zip(sd[b"subcommands"][::2], sd[b"subcommands"][1::2]))
    assert set(subs) == {b"slowlog|get", b"slowlog|len", b"slowlog|reset", b"slowlog|help"}
    assert rawcmd(r, "COMMAND", "DOCS", "nosuch") == []


def test_command_getkeys(r):
    assert rawcmd(r, "COMMAND", "GETKEYS", "set", "a", "b") == [b"a"]
    assert rawcmd(r, "COMMAND", "GETKEYS", "MSET", "a", "1", "c", "2") == [b"a", b"c"]
    assert rawcmd(r, "COMMAND", "GETKEYS", "del", "x", "y", "z") == [b"x", b"y", b"z"]
    cases = [
        (["nosuch", "a"], "^Invalid command specified$"),
        (["ping", "x"], "^The command has no key arguments$"),
        (["get", "a", "b"], "^Invalid number of arguments specified for command$"),
    ]
    for args, msg in cases:
        with pytest.raises(redis.ResponseError, match=msg):
            rawcmd(r, "COMMAND", "GETKEYS", *args)
    arity = re.escape("wrong number of arguments for 'command|getkeys' command")
    with pytest.raises(redis.ResponseError, match=arity):
        rawcmd(r, "COMMAND", "GETKEYS", "get")


def test_command_errors_and_help(r):
    with pytest.raises(redis.ResponseError, match=r"^unknown subcommand 'foo'. Try COMMAND HELP.$"):
        rawcmd(r, "COMMAND", "foo")
    with pytest.raises(redis.ResponseError, match=re.escape("arguments for 'command|count'")):
        rawcmd(r, "COMMAND", "COUNT", "x")
    help_ = rawcmd(r, "COMMAND", "HELP")
    assert help_[0] == b"COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    assert help_[-2:] == [b"HELP", b"    Prints this help."]


# ------------------------------------------------------------------ SLOWLOG

def test_slowlog_entries(r, cfg):
    cfg("slowlog-log-slower-than", "0")
    cfg("slowlog-max-len", "128")
    assert r.execute_command("SLOWLOG", "RESET") == b"OK"
    r.client_setname("slowpoke")
    r.execute_command("ECHO", "x" * 200)
    r.execute_command("DEL", *[str(i) for i in range(40)])
    entries = rawcmd(r, "SLOWLOG", "GET", "2")
    assert len(entries) == 2
    dele, echo = entries
    assert len(dele) == 6 and len(echo) == 6
    assert dele[0] == echo[0] + 1
    assert abs(dele[1] - time.time()) < 5 and dele[2] >= 0
    assert len(dele[3]) == 32
    assert dele[3][:3] == [b"DEL", b"0", b"1"]
    assert dele[3][31] == b"... (10 more arguments)"
    assert echo[3] == [b"ECHO", b"x" * 128 + b"... (72 more bytes)"]
    assert re.fullmatch(rb"127\.0\.0\.1:\d+", dele[4])
    assert dele[5] == b"slowpoke"
    assert r.execute_command("SLOWLOG", "LEN") >= 4
    assert len(rawcmd(r, "SLOWLOG", "GET", "-1")) == r.execute_command("SLOWLOG", "LEN") - 1
    r.execute_command("SLOWLOG", "RESET")
    # the RESET itself is logged after it ran
    assert r.execute_command("SLOWLOG", "LEN") <= 1


def test_slowlog_threshold_and_max_len(r, cfg):
    cfg("slowlog-log-slower-than", "1000000")
    r.execute_command("SLOWLOG", "RESET")
    r.ping()
    assert r.execute_command("SLOWLOG", "LEN") == 0
    cfg("slowlog-log-slower-than", "0")
    cfg("slowlog-max-len", "3")
    for _ in range(10):
        r.ping()
    assert r.execute_command("SLOWLOG", "LEN") == 3


def test_slowlog_errors(r):
    for arg in ("-2", "abc"):
        with pytest.raises(redis.ResponseError,
                           match="^count should be greater than or equal to -1$"):
            rawcmd(r, "SLOWLOG", "GET", arg)
    with pytest.raises(redis.ResponseError, match="^unknown subcommand or wrong number of "
                       "arguments for 'get'. Try SLOWLOG HELP.$"):
        rawcmd(r, "SLOWLOG", "get", "1", "2")
    with pytest.raises(redis.ResponseError, match=r"^unknown subcommand 'foo'. Try SLOWLOG HELP.$"):
        rawcmd(r, "SLOWLOG", "foo")
    help_ = rawcmd(r, "SLOWLOG", "HELP")
    assert help_[0].startswith(b"SLOWLOG <subcommand>") and b"LEN" in help_


# ------------------------------------------------------------------ MONITOR

def read_until(sock, pattern, timeout=3.0):
    sock.settimeout(timeout)
    buf = b""
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = re.search(pattern, buf)
        if m:
            return m, buf
        try:
            data = sock.recv(65536)
        except socket.timeout:
            break
        if not data:
            break
        buf += data
    return re.search(pattern, buf), buf


def test_monitor_output(r):
    sock = socket.create_connection(addr(r))
    try:
        sock.sendall(b"MONITOR\r\n")
        m, _ = read_until(sock, rb"\+OK\r\n")
        assert m
        r.set("x", "6")
        r.execute_command("ECHO", "a\nb \"q\"")
        line = rb'\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "ECHO" "a\\nb \\"q\\""\r\n'
        m, buf = read_until(sock, line)
        assert m, buf
        assert re.search(rb'\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "set" "x" "6"\r\n', buf) or \
            re.search(rb'\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "SET" "x" "6"\r\n', buf), buf
    finally:
        sock.close()
    # the server keeps working after the monitor is gone
    assert r.ping()


def test_monitor_arity(r):
    with pytest.raises(redis.ResponseError, match="wrong number of arguments for 'monitor'"):
        rawcmd(r, "MONITOR", "x")


# ------------------------------------------------------------------ TIME, LASTSAVE, DEBUG

def test_time(r):
    reply = rawcmd(r, "TIME")
    assert len(reply) == 2 and all(isinstance(x, bytes) for x in reply)
    secs, usecs = int(reply[0]), int(reply[1])
    assert abs(secs - time.time()) < 5 and 0 <= usecs < 1000000
    with pytest.raises(redis.ResponseError, match="wrong number of arguments for 'time'"):
        rawcmd(r, "TIME", "x")


def test_lastsave(r):
    ls = rawcmd(r, "LASTSAVE")
    assert isinstance(ls, int) and ls <= time.time() + 1


def test_debug(r):
    if not debug_allowed(r):
        pytest.skip("DEBUG disabled on this server")
    assert r.execute_command("DEBUG", "SLEEP", "0") == b"OK"
    t0 = time.time()
    r.execute_command("DEBUG", "SLEEP", "0.05")
    assert time.time() - t0 >= 0.045
    with pytest.raises(redis.ResponseError, match="^unknown subcommand or wrong number of "
                       "arguments for 'nosuch'. Try DEBUG HELP.$"):
        r.execute_command("DEBUG", "nosuch")
    with pytest.raises(redis.ResponseError, match="^no such key$"):
        r.execute_command("DEBUG", "OBJECT", "missing")
    r.set("foo", "bar")
    obj = r.execute_command("DEBUG", "OBJECT", "foo").decode()
    assert re.match(r"Value at:0x[0-9a-f]+ refcount:1 encoding:embstr serializedlength:\d+ "
                    r"lru:\d+ lru_seconds_idle:\d+", obj)
    assert r.execute_command("DEBUG", "SET-ACTIVE-EXPIRE", "1") == b"OK"


# ------------------------------------------------------------------ LATENCY

def test_latency_monitor(r, cfg):
    if not debug_allowed(r):
        pytest.skip("DEBUG disabled on this server")
    r.execute_command("LATENCY", "RESET")
    assert rawcmd(r, "LATENCY", "LATEST") == []
    cfg("latency-monitor-threshold", "10")
    r.execute_command("DEBUG", "SLEEP", "0.03")
    latest = rawcmd(r, "LATENCY", "LATEST")
    events = {e[0]: e for e in latest}
    assert b"command" in events
    name, when, last, worst = events[b"command"]
    assert abs(when - time.time()) < 5 and last >= 25 and worst >= last
    hist = rawcmd(r, "LATENCY", "HISTORY", "command")
    assert len(hist) >= 1 and hist[-1][1] >= 25
    assert rawcmd(r, "LATENCY", "HISTORY", "nosuchevent") == []
    assert r.execute_command("LATENCY", "RESET", "command", "nosuchevent") == 1
    assert rawcmd(r, "LATENCY", "LATEST") == []
    with pytest.raises(redis.ResponseError, match=r"^unknown subcommand 'foo'. Try LATENCY HELP.$"):
        rawcmd(r, "LATENCY", "foo")


# ------------------------------------------------------------------ MEMORY, SHUTDOWN

def test_memory_usage(r):
    r.set("foo", "bar")
    r.set("big", "x" * 5000)
    small = r.memory_usage("foo")
    big = r.memory_usage("big")
    assert isinstance(small, int) and small > 3
    assert big > 5000 and big > small
    assert r.memory_usage("missing") is None
    assert r.execute_command("MEMORY", "USAGE", "foo", "SAMPLES", "0") == small
    for bad in (["SAMPLES"], ["SAMPLES", "-1"], ["bar"]):
        with pytest.raises(redis.ResponseError, match="^syntax error$"):
            r.execute_command("MEMORY", "USAGE", "foo", *bad)
    with pytest.raises(redis.ResponseError, match="^value is not an integer or out of range$"):
        r.execute_command("MEMORY", "USAGE", "foo", "SAMPLES", "x")


def test_memory_stats_and_doctor(r):
    r.set("a", "1")
    stats = rawcmd(r, "MEMORY", "STATS")
    d = dict(zip(stats[::2], stats[1::2]))
    for k in (b"peak.allocated", b"total.allocated", b"startup.allocated", b"keys.count",
              b"dataset.bytes", b"overhead.total"):
        assert isinstance(d[k], int), k
    assert d[b"keys.count"] == 1
    assert b"db.0" in d and b"db.1" not in d
    assert isinstance(r.execute_command("MEMORY", "DOCTOR"), bytes)
    help_ = rawcmd(r, "MEMORY", "HELP")
    assert help_[0].startswith(b"MEMORY <subcommand>")


def test_shutdown_abort_and_syntax(r):
    with pytest.raises(redis.ResponseError, match=r"^No shutdown in progress.$"):
        r.execute_command("SHUTDOWN", "ABORT")
    for bad in (["foo"], ["NOSAVE", "SAVE"], ["ABORT", "NOW"]):
        with pytest.raises(redis.ResponseError, match="^syntax error$"):
            r.execute_command("SHUTDOWN", *bad)
    assert r.ping()
