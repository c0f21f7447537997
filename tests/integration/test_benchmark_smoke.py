# test_benchmark_smoke.py -- redis-benchmark runs to completion against the server: every
# test reports a requests/s line, and the server still answers with the data in place.
# SPDX-License-Identifier: BSD-3-Clause

import re
import subprocess

import pytest

TESTS = ["SET", "GET", "INCR"]


@pytest.mark.slow
def test_redis_benchmark_set_get_incr(server, r):
    p = subprocess.run(["redis-benchmark", "-h", "127.0.0.1", "-p", str(server.port), "-q",
                        "-n", "10000", "-t", "set,get,incr"],
                       capture_output=True, timeout=300)
    out = p.stdout.decode("utf-8", "replace")
    assert p.returncode == 0, "redis-benchmark failed (%d): %s %s" % (p.returncode, out,
                                                                       p.stderr.decode())
    # -q prints progress lines ending in \r, then one final line per test
    lines = [ln.strip() for ln in re.split(r"[\r\n]+", out) if ln.strip()]
    for name in TESTS:
        found = [ln for ln in lines
                 if re.match(r"^%s: [0-9]+(\.[0-9]+)? requests per second" % name, ln)]
        assert found, "no requests/s line for %s in:\n%s" % (name, out)
        rps = float(found[-1].split()[1])
        assert rps > 0, found[-1]
    assert r.ping()
    assert r.dbsize() > 0
    # the benchmark's keys are there: key:__rand_int__ (SET/GET) and counter:__rand_int__
    assert r.strlen("key:__rand_int__") == 3            # default -d 3
    assert int(r.get("counter:__rand_int__")) == 10000
