# test_config.py -- configuration end to end: config file + command-line overrides, CONFIG
# SET/GET, CONFIG REWRITE keeping comments (and answering pipelined commands in order while
# the file is written off the event loop), restart from the rewritten file, and a bad file
# refusing to start with a message naming file, line and parameter.
# Redis gets the same steps with a redis.conf; keel with YAML.
# SPDX-License-Identifier: BSD-3-Clause

import os
import subprocess

import pytest

from conftest import REDIS_SERVER, keel_binary, free_port

CONFIGS = {
    "redis": "# cache settings\nmaxmemory 100mb\n# keep this comment\nmaxmemory-policy allkeys-lru\n",
    "keel": "# cache settings\nmaxmemory: 100mb   # hard cap\n# keep this comment\n"
            "maxmemory-policy: allkeys-lru\n",
}


def config_path(srv):
    name = "redis.conf" if srv.kind == "redis" else "keel.yaml"
    return os.path.join(srv.dir, name)


def test_file_and_command_line(start_server, server_kind):
    srv = start_server("--slowlog-max-len", "77", "--save", "", config=CONFIGS[server_kind])
    c = srv.client(decode_responses=True)
    assert c.config_get("maxmemory") == {"maxmemory": "104857600"}
    assert c.config_get("maxmemory-policy") == {"maxmemory-policy": "allkeys-lru"}
    assert c.config_get("slowlog-max-len") == {"slowlog-max-len": "77"}
    assert c.config_get("save") == {"save": ""}


def test_rewrite_keeps_comments_and_restarts(start_server, server_kind):
    srv = start_server(config=CONFIGS[server_kind])
    c = srv.client(decode_responses=True)
    assert c.config_set("maxmemory", "200mb")
    assert c.config_set("slowlog-max-len", "99")
    # Pipelined: the replies must come back in order even though the file is written by a
    # worker thread.
    p = c.pipeline(transaction=False)
    p.config_rewrite()
    p.ping()
    p.config_get("maxmemory")
    # redis-py 4.3 has no reply callback for CONFIG REWRITE: it returns the status text.
    assert p.execute() == ["OK", True, {"maxmemory": "209715200"}]
    text = open(config_path(srv)).read()
    assert "# cache settings" in text
    assert "# keep this comment" in text
    assert "slowlog-max-len" in text
    assert "allkeys-lru" in text
    srv2 = start_server(config=text)
    c2 = srv2.client(decode_responses=True)
    assert c2.config_get("maxmemory") == {"maxmemory": "209715200"}
    assert c2.config_get("slowlog-max-len") == {"slowlog-max-len": "99"}
    assert c2.config_get("maxmemory-policy") == {"maxmemory-policy": "allkeys-lru"}


def test_rewrite_without_file(r):
    with pytest.raises(Exception) as e:
        r.config_rewrite()
    assert "The server is running without a config file" in str(e.value)


@pytest.mark.parametrize("name,value,message", [
    ("maxmemory", "12qb", "argument must be a memory value"),
    ("hz", "abc", "argument couldn't be parsed into an integer"),
    ("appendonly", "maybe", "argument must be 'yes' or 'no'"),
    ("maxmemory-policy", "sometimes", "argument(s) must be one of the following"),
])
def test_config_set_errors(r, name, value, message):
    with pytest.raises(Exception) as e:
        r.config_set(name, value)
    text = str(e.value)
    assert text.startswith("CONFIG SET failed (possibly related to argument '%s')" % name)
    assert message in text


def test_config_set_unknown_and_immutable(r):
    with pytest.raises(Exception) as e:
        r.config_set("no-such-parameter", "1")
    assert "Unknown option or number of arguments for CONFIG SET - 'no-such-parameter'" in str(e.value)
    with pytest.raises(Exception) as e:
        r.config_set("databases", "4")
    assert "can't set immutable config" in str(e.value)


def test_bad_file_refuses_to_start(tmp_path):
    """keel-server exits 1 and names the file, the line and the parameter."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("port: %d\nmaxmemory: 12qb\n" % free_port())
    p = subprocess.run([keel_binary(), str(bad)], capture_output=True, text=True, timeout=20)
    assert p.returncode == 1
    out = p.stdout + p.stderr
    assert "bad.yaml:2" in out
    assert "maxmemory" in out
    assert "argument must be a memory value" in out


def test_bad_command_line_refuses_to_start():
    p = subprocess.run([keel_binary(), "--port", "notaport"], capture_output=True, text=True,
                       timeout=20)
    assert p.returncode == 1
    assert "port" in p.stdout + p.stderr
    p = subprocess.run([keel_binary(), "--no-such-option", "1"], capture_output=True, text=True,
                       timeout=20)
    assert p.returncode == 1
    assert "no-such-option" in p.stdout + p.stderr


def test_redis_agrees_on_bad_value(tmp_path):
    """The reference refuses the same value (so the keel expectation is Redis's)."""
    bad = tmp_path / "bad.conf"
    bad.write_text("port %d\nmaxmemory 12qb\n" % free_port())
    p = subprocess.run([REDIS_SERVER, str(bad)], capture_output=True, text=True, timeout=20)
    assert p.returncode == 1
    assert "argument must be a memory value" in p.stdout + p.stderr
