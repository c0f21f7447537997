# test_replication.py -- replication topologies on loopback: one primary and replicas,
# full and partial resynchronisation, promotion with PSYNC continuation, WAIT,
# min-replicas-to-write, read-only replicas, backlog overrun, and Redis <-> Keel interop.
#
# Every test runs under the `server_kind` parameter: with "redis" the whole topology is
# redis-server 7.0 (this validates the expectations), with "keel" it is keel-server. The
# interop tests mix the two kinds when the parameter is "keel" (and are all-Redis under
# "redis"). Every node runs with --repl-diskless-sync-delay 0 so full syncs start at once.
# SPDX-License-Identifier: BSD-3-Clause

import os
import random
import time

import pytest
import redis

from conftest import free_port

SYNC_TIMEOUT = float(os.environ.get("KEEL_REPL_SYNC_TIMEOUT", "15"))
PTTL_TOLERANCE_MS = 1500
NODE_ARGS = ("--repl-diskless-sync-delay", "0")


# ------------------------------------------------------------------ helpers

def info_repl(node):
    return node.client(decode_responses=True).info("replication")


def stat(node, field):
    return int(node.client(decode_responses=True).info("stats")[field])


def wait_for(cond, what, timeout=SYNC_TIMEOUT, interval=0.05):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = cond()
            if last:
                return last
        except (redis.ConnectionError, redis.TimeoutError) as e:
            last = e
        time.sleep(interval)
    pytest.fail("timed out after %.0fs waiting for %s (last: %r)" % (timeout, what, last))


def start_node(start_server, kind=None, *args):
    return start_server(*(NODE_ARGS + tuple(args)), kind=kind)


def attach(replica, primary):
    assert replica.client().execute_command("REPLICAOF", "127.0.0.1", primary.port) in (
        b"OK", b"OK Already connected to specified master")


def wait_synced(primary, *replicas):
    """Every replica's link is up and its offset equals the primary's offset."""
    def synced():
        target = int(info_repl(primary)["master_repl_offset"])
        for rep in replicas:
            inf = info_repl(rep)
            if inf.get("master_link_status") != "up":
                return False
            if int(inf.get("slave_repl_offset", -1)) != target:
                return False
        # Every replica is online on the primary's side (after a diskless transfer Redis
        # streams to a replica only after its first REPLCONF ACK), and the primary's
        # offset did not move meanwhile (no write in flight).
        pinf = info_repl(primary)
        states = [v.get("state") for k, v in pinf.items() if k.startswith("slave")
                  and isinstance(v, dict)]
        if len(states) < len(replicas) or any(st != "online" for st in states):
            return False
        return int(pinf["master_repl_offset"]) == target
    wait_for(synced, "replicas %s in sync with %r" % (replicas, primary))


def topology(start_server, nreplicas=2, kind=None, primary_args=(), replica_args=()):
    primary = start_node(start_server, kind, *primary_args)
    replicas = [start_node(start_server, kind, *replica_args) for _ in range(nreplicas)]
    for rep in replicas:
        attach(rep, primary)
    wait_streaming(primary, *replicas)
    return primary, replicas


def wait_streaming(primary, *replicas):
    """wait_synced, plus a probe key written on the primary seen on every replica: after a
    diskless full sync Redis marks a replica online but holds the stream until the
    replica's first REPLCONF ACK (up to a second later)."""
    wait_synced(primary, *replicas)
    pc = primary.client()
    pc.set("__probe__", "1")
    for rep in replicas:
        rc = rep.client()
        wait_for(lambda: rc.get("__probe__") == b"1", "the stream to reach %r" % rep)
    pc.delete("__probe__")
    wait_synced(primary, *replicas)


def snapshot(node, dbs=(0, 1)):
    """{(db, key): (type, value, expire)} of every key, read through ordinary commands.
    The expiry is PEXPIRETIME (absolute ms, -1 for none): the stream carries absolute times
    (PEXPIREAT, SET PXAT), so it must match between nodes however long the reads take."""
    out = {}
    for db in dbs:
        c = node.client(db=db)
        for key in c.scan_iter(count=1000):
            t = c.type(key).decode()
            if t == "string":
                v = c.get(key)
            elif t == "hash":
                v = sorted(c.hgetall(key).items())
            elif t == "list":
                v = c.lrange(key, 0, -1)
            elif t == "set":
                v = sorted(c.smembers(key))
            elif t == "zset":
                v = c.zrange(key, 0, -1, withscores=True)
            else:
                v = "<%s>" % t
            out[(db, key)] = (t, v, c.execute_command("PEXPIRETIME", key))
    return out


def assert_same_content(a, b):
    sa, sb = snapshot(a), snapshot(b)
    assert sorted(sa) == sorted(sb), "key sets differ: only in %r: %s; only in %r: %s" % (
        a, sorted(set(sa) - set(sb))[:10], b, sorted(set(sb) - set(sa))[:10])
    for k in sa:
        ta, va, pa = sa[k]
        tb, vb, pb = sb[k]
        assert (ta, va) == (tb, vb), "key %r differs: %r vs %r" % (k, sa[k], sb[k])
        if pa < 0 or pb < 0:
            assert pa == pb, "key %r TTL differs: %d vs %d" % (k, pa, pb)
        else:
            assert abs(pa - pb) <= PTTL_TOLERANCE_MS, "key %r expire time %d vs %d" % (k, pa, pb)
    return sa


def mixed_load(node, tag, n=200, seed=1):
    """Writes of every type, with TTLs, transactions, a second db and random commands that
    must be propagated in their effective form (SPOP, SRANDMEMBER-free, INCRBYFLOAT)."""
    rnd = random.Random(seed)
    c = node.client()
    p = c.pipeline(transaction=False)
    for i in range(n):
        k = "%s:%d" % (tag, i)
        p.set("s:" + k, "v%d" % i)
        if i % 3 == 0:
            p.set("sx:" + k, "x" * rnd.randint(1, 100), ex=rnd.randint(100, 1000))
        p.incrby("n:" + tag, i)
        p.hset("h:" + k, mapping={"f%d" % j: j for j in range(rnd.randint(1, 5))})
        p.rpush("l:" + tag, *["e%d" % j for j in range(3)])
        p.sadd("si:" + tag, i, i * 7)                       # integers: intset until large
        p.sadd("ss:" + k, "a", "b", "m%d" % i)
        p.zadd("z:" + tag, {"m%d" % i: rnd.random() * 100})
        p.zadd("zs:" + k, {"a": 1, "b": 2.5})
        if i % 10 == 0:
            p.pexpire("h:" + k, rnd.randint(5000, 90000))
            p.expireat("ss:" + k, int(time.time()) + 3600)
            p.setbit("bm:" + tag, i * 13, 1)
            p.pfadd("hll:" + tag, *["u%d" % j for j in range(i, i + 20)])
    p.execute()
    # Large encodings (above the compact thresholds) and more commands.
    p = c.pipeline(transaction=False)
    p.hset("hbig:" + tag, mapping={"field%d" % j: "v" * (j % 70) for j in range(300)})
    p.rpush("lbig:" + tag, *["x" * (j % 90) for j in range(1000)])
    p.sadd("sbig:" + tag, *["m%d" % j for j in range(600)])
    p.zadd("zbig:" + tag, {"m%d" % j: j / 3 for j in range(400)})
    p.append("s:%s:1" % tag, "-appended")
    p.incrbyfloat("f:" + tag, 1.5)
    p.incrbyfloat("f:" + tag, 0.1)
    p.setrange("s:%s:2" % tag, 10, "range")
    p.lpop("l:" + tag)
    p.linsert("l:" + tag, "BEFORE", "e2", "ins")
    p.hincrby("h:%s:3" % tag, "counter", 5)
    p.zincrby("z:" + tag, 3, "m1")
    p.srem("si:" + tag, 0)
    p.delete("s:%s:4" % tag)
    p.rename("s:%s:5" % tag, "renamed:" + tag)
    p.persist("sx:%s:0" % tag)
    p.set("px:" + tag, "p", px=60000)
    p.set("gone:" + tag, "soon", px=50)
    p.execute()
    c.spop("sbig:" + tag, 5)                                 # random: replicated as SREM
    c.srandmember("sbig:" + tag)                             # read only: nothing replicated
    tx = c.pipeline(transaction=True)
    tx.set("tx:" + tag, "1").incr("tx:" + tag).expire("tx:" + tag, 500)
    tx.execute()
    c1 = node.client(db=1)
    c1.set("db1:" + tag, "one")
    c1.hset("db1h:" + tag, "f", "v")
    c1.expire("db1h:" + tag, 1000)
    time.sleep(0.1)
    # The expired key is deleted on access on the primary; the DEL is propagated.
    assert c.get("gone:" + tag) is None


def write_bytes(node, nbytes, prefix="fill"):
    """Write at least nbytes of payload to the stream through SETs of 1 KB values."""
    c = node.client()
    p = c.pipeline(transaction=False)
    for i in range(nbytes // 1024 + 1):
        p.set("%s:%d" % (prefix, i), "y" * 1024)
    p.execute()


# ------------------------------------------------------------------ tests

def test_full_sync_and_stream_converge(start_server):
    """Data written before the replicas attach (RDB) and after (stream) is identical on
    every node: type, value and PTTL of every key in db 0 and db 1."""
    primary = start_node(start_server)
    mixed_load(primary, "before", seed=1)
    replicas = [start_node(start_server) for _ in range(2)]
    for rep in replicas:
        attach(rep, primary)
    wait_streaming(primary, *replicas)
    mixed_load(primary, "after", seed=2)
    wait_synced(primary, *replicas)
    for rep in replicas:
        snap = assert_same_content(primary, rep)
        assert len(snap) > 1000
        assert (0, b"gone:before") not in snap and (0, b"gone:after") not in snap
        assert (1, b"db1:after") in snap
    # Both replicas report the role and link as Redis does.
    inf = info_repl(replicas[0])
    assert inf["role"] == "slave"
    assert inf["master_host"] == "127.0.0.1" and int(inf["master_port"]) == primary.port
    pinf = info_repl(primary)
    assert pinf["role"] == "master" and int(pinf["connected_slaves"]) == 2
    assert pinf["slave0"]["state"] == "online"
    assert stat(primary, "sync_full") == 2


@pytest.mark.parametrize("mode", ["swapdb", "on-empty-db"])
def test_diskless_load_converges(start_server, mode):
    """repl-diskless-load: the replica loads the snapshot from memory, never writing a temp
    file, and converges like a disk load (existing data is replaced, not merged)."""
    primary = start_node(start_server)
    mixed_load(primary, "before", seed=3)
    rep = start_node(start_server, None, "--repl-diskless-load", mode)
    rep.client().set("stale-key-on-replica", "x")
    attach(rep, primary)
    wait_streaming(primary, rep)
    mixed_load(primary, "after", seed=4)
    wait_synced(primary, rep)
    snap = assert_same_content(primary, rep)
    assert (0, b"stale-key-on-replica") not in snap
    assert not [f for f in os.listdir(rep.dir) if f.startswith("temp-") and mode == "swapdb"]


def test_replica_expires_follow_primary(start_server):
    """A replica does not expire keys by itself in the keyspace: it reports an expired key
    as missing and the key goes away when the primary propagates the DEL."""
    primary, (rep,) = topology(start_server, nreplicas=1)
    pc, rc = primary.client(), rep.client()
    pc.set("k", "v", px=200)
    wait_synced(primary, rep)
    assert rc.get("k") == b"v"
    time.sleep(0.3)
    assert rc.get("k") is None            # logically expired on the replica
    assert rc.exists("k") == 0
    pc.get("k")                           # lazy expiry on the primary -> DEL propagated
    wait_synced(primary, rep)
    assert rc.dbsize() == 0


@pytest.mark.slow
def test_partial_resync_after_link_killed(start_server):
    primary, replicas = topology(start_server)
    mixed_load(primary, "a", n=50)
    wait_synced(primary, *replicas)
    full0, part0 = stat(primary, "sync_full"), stat(primary, "sync_partial_ok")
    assert full0 == 2
    rc = replicas[0].client()
    assert rc.execute_command("CLIENT", "KILL", "TYPE", "master") == 1
    mixed_load(primary, "b", n=50, seed=3)
    wait_synced(primary, *replicas)
    assert stat(primary, "sync_partial_ok") == part0 + 1
    assert stat(primary, "sync_full") == full0
    for rep in replicas:
        assert_same_content(primary, rep)


@pytest.mark.slow
def test_partial_resync_after_repointing_away_and_back(start_server):
    """The replica keeps its cached primary state while pointed at a dead address, then
    continues with +CONTINUE when pointed back (writes meanwhile fit in the backlog)."""
    primary, (rep,) = topology(start_server, nreplicas=1)
    full0, part0 = stat(primary, "sync_full"), stat(primary, "sync_partial_ok")
    rep.client().execute_command("REPLICAOF", "127.0.0.1", free_port())
    wait_for(lambda: int(info_repl(primary)["connected_slaves"]) == 0, "link down")
    write_bytes(primary, 20000)
    attach(rep, primary)
    wait_synced(primary, rep)
    assert stat(primary, "sync_partial_ok") == part0 + 1
    assert stat(primary, "sync_full") == full0
    assert_same_content(primary, rep)


@pytest.mark.slow
def test_backlog_overrun_forces_full_sync(start_server):
    primary, (rep,) = topology(start_server, nreplicas=1,
                               primary_args=("--repl-backlog-size", "16kb"))
    assert primary.client().config_get("repl-backlog-size")["repl-backlog-size"] in ("16384", b"16384")
    full0, part0 = stat(primary, "sync_full"), stat(primary, "sync_partial_ok")
    rep.client().execute_command("REPLICAOF", "127.0.0.1", free_port())
    wait_for(lambda: int(info_repl(primary)["connected_slaves"]) == 0, "link down")
    write_bytes(primary, 200 * 1024)      # far more than the 16 KB backlog
    attach(rep, primary)
    wait_synced(primary, rep)
    assert stat(primary, "sync_full") == full0 + 1
    assert stat(primary, "sync_partial_ok") == part0
    assert stat(primary, "sync_partial_err") >= 1
    assert_same_content(primary, rep)


@pytest.mark.slow
def test_promotion_and_psync_continuation(start_server):
    primary, (r1, r2) = topology(start_server)
    mixed_load(primary, "old", n=50)
    wait_synced(primary, r1, r2)
    old_replid = info_repl(primary)["master_replid"]
    old_offset = int(info_repl(primary)["master_repl_offset"])

    c1 = r1.client()
    assert c1.execute_command("REPLICAOF", "NO", "ONE") == b"OK"
    inf = info_repl(r1)
    assert inf["role"] == "master"
    assert inf["master_replid2"] == old_replid
    assert inf["master_replid"] != old_replid
    assert int(inf["second_repl_offset"]) == old_offset + 1
    c1.set("after-promotion", "1")        # the new primary accepts writes

    attach(r2, r1)
    attach(primary, r1)                   # the old primary is demoted to a replica
    wait_synced(r1, r2, primary)
    assert stat(r1, "sync_partial_ok") == 2
    assert stat(r1, "sync_full") == 0
    assert info_repl(primary)["role"] == "slave"
    assert info_repl(primary)["master_replid"] == info_repl(r1)["master_replid"]
    c1.set("later", "2")
    wait_synced(r1, r2, primary)
    for n in (r2, primary):
        assert n.client().get("after-promotion") == b"1"
        assert_same_content(r1, n)
    assert int(info_repl(r1)["connected_slaves"]) == 2


def test_wait(start_server):
    primary, replicas = topology(start_server)
    c = primary.client()
    c.set("k", "v")
    assert c.execute_command("WAIT", 2, 1000) == 2
    assert c.execute_command("WAIT", 0, 0) == 2          # returns at once
    t0 = time.monotonic()
    assert c.execute_command("WAIT", 3, 300) == 2        # times out with the count reached
    assert time.monotonic() - t0 >= 0.25
    with pytest.raises(redis.ResponseError, match="timeout is negative"):
        c.execute_command("WAIT", 1, -1)
    # On a replica WAIT is refused.
    with pytest.raises(redis.ResponseError, match="WAIT cannot be used with replica"):
        replicas[0].client().execute_command("WAIT", 1, 100)


def test_read_only_replica(start_server):
    primary, (rep, _) = topology(start_server)
    primary.client().set("k", "v")
    wait_synced(primary, rep)
    rc = rep.client()
    assert rc.get("k") == b"v"
    with pytest.raises(redis.ReadOnlyError, match="You can't write against a read only replica"):
        rc.set("k", "other")
    with pytest.raises(redis.ReadOnlyError):
        rc.delete("k")
    assert rc.get("k") == b"v"
    # ROLE on both sides.
    role = rc.execute_command("ROLE")
    assert role[0] == b"slave" and role[1] == b"127.0.0.1" and role[2] == primary.port
    assert role[3] == b"connected"
    prole = primary.client().execute_command("ROLE")
    assert prole[0] == b"master" and len(prole[2]) == 2
    # Writable replica when replica-read-only is off: local writes, not propagated.
    rc.config_set("replica-read-only", "no")
    assert rc.set("local", "1")
    assert primary.client().get("local") is None


def test_min_replicas_to_write(start_server):
    primary, replicas = topology(start_server)
    c = primary.client()
    c.set("k", "v")
    c.config_set("min-replicas-to-write", 3)
    with pytest.raises(redis.ResponseError) as e:
        c.set("k", "w")
    assert str(e.value) == "NOREPLICAS Not enough good replicas to write."
    assert c.get("k") == b"v"             # reads still served
    c.config_set("min-replicas-to-write", 2)
    wait_for(lambda: c.set("k", "w"), "writes accepted with 2 good replicas")
    wait_synced(primary, *replicas)
    assert replicas[1].client().get("k") == b"w"
    # A replica going away lowers the good count below 2: writes refused again.
    replicas[1].client().execute_command("REPLICAOF", "NO", "ONE")

    def refused():
        try:
            c.set("k", "x")
        except redis.ResponseError as err:
            return str(err).startswith("NOREPLICAS")
        return False
    wait_for(refused, "NOREPLICAS after a replica left")


@pytest.mark.slow
def test_restarted_replica_full_syncs(start_server):
    primary, (r1, r2) = topology(start_server)
    mixed_load(primary, "one", n=50)
    wait_synced(primary, r1, r2)
    full0 = stat(primary, "sync_full")
    r1.stop()
    mixed_load(primary, "two", n=50, seed=5)
    # A replica that loads from disk keeps the transferred RDB (dump.rdb, with the
    # replication id and offset in its aux fields) and can PSYNC after a restart; remove
    # it so the restarted replica comes back empty. The primary is given on the command line.
    for name in os.listdir(r1.dir):
        if name.endswith(".rdb"):
            os.unlink(os.path.join(r1.dir, name))
    r1.extra_args += ["--replicaof", "127.0.0.1", str(primary.port)]
    r1.start()
    wait_synced(primary, r1, r2)
    assert stat(primary, "sync_full") == full0 + 1
    for rep in (r1, r2):
        assert_same_content(primary, rep)


def compact_load(c):
    """Small values that Redis 7.0 stores in compact encodings, and their big siblings."""
    c.hset("hsmall", mapping={"a": "1", "b": "two", "c": "3.5"})
    c.zadd("zsmall", {"a": 1, "b": -2.5, "c": 1e10})
    c.rpush("lsmall", "x", 1, "yy", -7)
    c.sadd("iset", 1, 2, 3, -40, 1 << 40)
    c.sadd("sset", "a", "b", "c")
    c.set("int", 12345)
    c.set("neg", -9)
    c.set("str", "hello")
    c.set("ttl", "t", px=80000)
    c.hset("hbig", mapping={"f%d" % i: "v%d" % i for i in range(200)})
    c.zadd("zbig", {"m%d" % i: i for i in range(200)})
    c.rpush("lbig", *range(300))
    c.sadd("ibig", *range(1000))
    c.pfadd("hll", *range(50))
    c.setbit("bits", 100, 1)


@pytest.mark.slow
@pytest.mark.parametrize("direction", ["keel-primary", "keel-replica"])
def test_interop(start_server, server_kind, direction):
    """keel-primary: a redis-server replica of a keel primary; keel-replica: a keel replica
    of a redis-server primary (under the "redis" parameter both nodes are redis-server)."""
    pkind = server_kind if direction == "keel-primary" else "redis"
    rkind = "redis" if direction == "keel-primary" else server_kind
    primary = start_node(start_server, pkind)
    c = primary.client()
    compact_load(c)
    mixed_load(primary, "pre", n=60)
    if pkind == "redis":
        enc = {k: c.object("encoding", k) for k in ("hsmall", "zsmall", "lsmall", "iset", "int")}
        assert enc == {"hsmall": b"listpack", "zsmall": b"listpack", "lsmall": b"quicklist",
                       "iset": b"intset", "int": b"int"}
    rep = start_node(start_server, rkind)
    attach(rep, primary)
    wait_streaming(primary, rep)
    snap = assert_same_content(primary, rep)
    assert snap[(0, b"iset")][1] == sorted([b"1", b"2", b"3", b"-40", b"1099511627776"])
    assert snap[(0, b"zsmall")][1] == [(b"b", -2.5), (b"a", 1.0), (b"c", 1e10)]
    # Streaming after the full sync, then a partial resync across kinds.
    mixed_load(primary, "post", n=60, seed=9)
    wait_synced(primary, rep)
    part0 = stat(primary, "sync_partial_ok")
    rep.client().execute_command("CLIENT", "KILL", "TYPE", "master")
    c.hset("hsmall", "d", "4")
    c.sadd("iset", 99)
    wait_synced(primary, rep)
    assert stat(primary, "sync_partial_ok") == part0 + 1
    assert_same_content(primary, rep)
