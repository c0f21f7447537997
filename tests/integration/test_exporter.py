# test_exporter.py -- Debian's prometheus-redis-exporter (oliver006/redis_exporter 1.45)
# scrapes the server: it must log in, parse INFO/CONFIG GET and report the metrics that
# dashboards and alert rules use, with no scrape error. Same checks on Redis and keel.
# SPDX-License-Identifier: BSD-3-Clause

import subprocess
import time
import urllib.request

import pytest

from conftest import free_port

EXPORTER = "/usr/bin/prometheus-redis-exporter"


def scrape(port, deadline=10.0):
    end = time.time() + deadline
    while True:
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % port, timeout=5) as f:
                return f.read().decode()
        except OSError:
            if time.time() > end:
                raise
            time.sleep(0.1)


def metrics(text):
    out = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name, _, value = line.rpartition(" ")
        out[name] = float(value)
    return out


@pytest.fixture
def exporter(server):
    port = free_port()
    p = subprocess.Popen([EXPORTER, "-redis.addr", "redis://127.0.0.1:%d" % server.port,
                          "-web.listen-address", "127.0.0.1:%d" % port],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    yield port
    p.terminate()
    p.wait(timeout=10)


def test_exporter_scrapes_cleanly(r, exporter):
    r.mset({"a": "1", "b": "2"})
    r.set("c", "3", ex=100)
    r.get("missing")
    m = metrics(scrape(exporter))
    assert m["redis_up"] == 1
    assert m['redis_exporter_last_scrape_error{err=""}'] == 0
    assert m['redis_db_keys{db="db0"}'] == 3
    assert m['redis_db_keys_expiring{db="db0"}'] == 1
    assert m["redis_keyspace_misses_total"] >= 1
    assert m["redis_connected_clients"] >= 1
    assert m["redis_memory_used_bytes"] > 0
    assert m["redis_commands_processed_total"] >= 3
    assert m['redis_commands_total{cmd="mset"}'] == 1
    assert m["redis_uptime_in_seconds"] >= 0
    info = [k for k in m if k.startswith("redis_instance_info{")]
    assert len(info) == 1
    assert 'role="master"' in info[0] and 'redis_version="7.0.15"' in info[0]
