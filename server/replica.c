/* replica.c -- the replica side of replication: REPLICAOF, the link to the primary
 * (resolve, connect, handshake, PSYNC), the RDB transfer into a temp file and its load into
 * a fresh keyspace swapped in only on success, the streaming primary client (offsets,
 * proxying to our backlog and sub-replicas, ACKs), timeouts, reconnection and promotion.
 *
 * The link is one client made by client_new_outgoing(), flagged CLIENT_PRIMARY from the
 * start so that any close (CLIENT KILL, EOF) reaches replica_primary_gone(). During the
 * handshake and the transfer it is read by this file's own callbacks; once streaming it is
 * handed to the normal input path with its replies suppressed. Asynchronous requests carry
 * a generation number: a callback from an abandoned attempt is ignored.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/rdb.h"
#include "common/util.h"
#include "server/multi.h"
#include "server/replication.h"

#define LINK_MAX_LINE (64 * 1024)                 /* handshake reply line */
#define LINK_MAX_RDB (64LL * 1024 * 1024 * 1024)  /* bound on a received snapshot */
#define LINK_RETRY_MS 1000
#define EOF_MARK_LEN 40

/* Optional primary-side hook (replication.c): drop the backlog so that after a full sync it
 * restarts at the new offset. Weak so this file links before it exists. */


enum {
    HS_NONE = 0,
    HS_PING,        /* waiting for +PONG */
    HS_AUTH,        /* waiting for AUTH's reply */
    HS_PORT,        /* REPLCONF listening-port */
    HS_IP,          /* REPLCONF ip-address */
    HS_CAPA,        /* REPLCONF capa */
    HS_PSYNC,       /* +FULLRESYNC / +CONTINUE / error */
    HS_BULK_HEADER, /* "$len" or "$EOF:<mark>" */
    HS_BULK_BODY,   /* RDB bytes */
};

static struct {
    client *c;              /* link client, NULL when there is none */
    unsigned gen;           /* bumped by every attempt and abort */
    int hs;                 /* HS_* */
    dstr in;                /* received bytes not yet consumed (handshake/transfer) */
    long long last_io;      /* ms of the last byte on the link (before streaming) */
    long long attempt_ms;   /* last connection attempt */
    int can_psync;          /* repl.replid/master_repl_offset describe our data */
    dstr multi_pending;     /* stream bytes of a MULTI not yet closed by EXEC */
    /* transfer: to a temp file, or to memory (repl-diskless-load) */
    int fd;
    char tmpfile[96];
    dstr mem;
    int eof_mode;
    char eofmark[EOF_MARK_LEN];
    long long bulk_left;
    char full_id[41];
    long long full_off;     /* -1 after a SYNC fallback */
} lk = {.fd = -1};

typedef struct {
    uv_getaddrinfo_t req;
    unsigned gen;
} resolve_req;

typedef struct {
    uv_connect_t req;
    unsigned gen;
} connect_req;

static void link_connect_start(void);
static void link_process(void);

/* ---------------------------------------------------------------- link teardown */

static void transfer_cleanup(void) {
    dstr_free(lk.mem);
    lk.mem = NULL;
    if (lk.fd != -1) {
        close(lk.fd);
        lk.fd = -1;
    }
    if (lk.tmpfile[0]) {
        unlink(lk.tmpfile);
        lk.tmpfile[0] = '\0';
    }
    repl.sync_total_bytes = repl.sync_read_bytes = 0;
}

/* Forget the link (the client is closed by the caller or is being closed). */
static void link_reset(void) {
    int was_connected = repl.state == REPL_STATE_CONNECTED;
    lk.c = NULL;
    lk.gen++;
    lk.hs = HS_NONE;
    if (lk.in) dstr_clear(lk.in);
    if (lk.multi_pending) dstr_clear(lk.multi_pending);
    transfer_cleanup();
    repl.primary = NULL;
    if (was_connected) {
        repl.link_down_since = mstime();
        kl_log(LL_NOTICE, "Connection with master lost.");
        kl_log(LL_NOTICE, "* Caching the disconnected master state.");
    }
    repl.state = repl.primary_host ? REPL_STATE_CONNECT : REPL_STATE_NONE;
}

/* Close the link (if any) now; a later cron reconnects when we are still a replica. */
static void link_drop(void) {
    client *c = lk.c;
    link_reset();
    if (c) {
        uv_read_stop((uv_stream_t *)&c->tcp);
        client_close_async(c);
    }
}

void replica_primary_gone(client *c) {
    if (c == lk.c) link_reset();
}

/* Our sub-replicas must resync: their history no longer matches ours. */
static void disconnect_sub_replicas(void) {
    for (client *c = server.clients; c; c = c->next)
        if (c->flags & CLIENT_REPLICA) client_close_async(c);
}

/* ---------------------------------------------------------------- sending */

static void link_send(const char *s, size_t len) {
    if (lk.c) reply_raw(lk.c, s, len);
}

/* Send one command as RESP multibulk on the link. */
static void link_send_cmd(int argc, const char **argv) {
    dstr s = dstr_catfmt(dstr_empty(), "*%d\r\n", argc);
    for (int i = 0; i < argc; i++)
        s = dstr_catfmt(s, "$%zu\r\n%s\r\n", strlen(argv[i]), argv[i]);
    link_send(s, dstr_len(s));
    dstr_free(s);
}

static void send_ack(void) {
    client *c = repl.primary;
    if (!c || (c->flags & CLIENT_CLOSE_ASAP)) return;
    char num[32];
    int n = snprintf(num, sizeof(num), "%lld", repl.master_repl_offset);
    dstr s = dstr_catfmt(dstr_empty(), "*3\r\n$8\r\nREPLCONF\r\n$3\r\nACK\r\n$%d\r\n%s\r\n", n, num);
    uint64_t off = c->flags & CLIENT_REPLY_OFF;
    c->flags &= ~CLIENT_REPLY_OFF;
    reply_raw(c, s, dstr_len(s));
    c->flags |= off;
    dstr_free(s);
}

void replica_handle_getack(client *c) {
    /* As Redis 7.0: the offset sent does not yet count the GETACK command itself. */
    if (c == repl.primary) send_ack();
}

static void send_handshake_pipeline(void) {
    char port[32];
    long long p = server.cfg.replica_announce_port ? server.cfg.replica_announce_port
                                                   : server.cfg.port;
    snprintf(port, sizeof(port), "%lld", p);
    if (server.cfg.masterauth) {
        if (server.cfg.masteruser) {
            const char *a[] = {"AUTH", server.cfg.masteruser, server.cfg.masterauth};
            link_send_cmd(3, a);
        } else {
            const char *a[] = {"AUTH", server.cfg.masterauth};
            link_send_cmd(2, a);
        }
    }
    const char *lp[] = {"REPLCONF", "listening-port", port};
    link_send_cmd(3, lp);
    if (server.cfg.replica_announce_ip && server.cfg.replica_announce_ip[0]) {
        const char *ip[] = {"REPLCONF", "ip-address", server.cfg.replica_announce_ip};
        link_send_cmd(3, ip);
    }
    const char *capa[] = {"REPLCONF", "capa", "eof", "capa", "psync2"};
    link_send_cmd(5, capa);
}

static void send_psync(void) {
    if (lk.can_psync && strlen(repl.replid) == 40) {
        char off[32];
        snprintf(off, sizeof(off), "%lld", repl.master_repl_offset + 1);
        kl_log(LL_NOTICE, "Trying a partial resynchronization (request %s:%s).", repl.replid, off);
        const char *a[] = {"PSYNC", repl.replid, off};
        link_send_cmd(3, a);
    } else {
        kl_log(LL_NOTICE, "Partial resynchronization not possible (no cached master)");
        const char *a[] = {"PSYNC", "?", "-1"};
        link_send_cmd(3, a);
    }
}

/* ---------------------------------------------------------------- streaming */

/* The link becomes the primary client; extra bytes already read are stream bytes. */
static void link_start_streaming(int dbid) {
    client *c = lk.c;
    uv_read_stop((uv_stream_t *)&c->tcp);
    c->flags |= CLIENT_PRIMARY | CLIENT_REPLY_OFF;
    c->authenticated = 1;
    if (dbid < 0 || client_select_db(c, dbid) < 0) client_select_db(c, 0);
    c->last_interaction = mstime();
    size_t extra = dstr_len(lk.in);
    if (extra) c->querybuf = dstr_catlen(c->querybuf, lk.in, extra);
    dstr_clear(lk.in);
    lk.hs = HS_NONE;
    lk.can_psync = 1;
    repl.primary = c;
    repl.state = REPL_STATE_CONNECTED;
    repl_backlog_ensure();
    send_ack();
    client_start_reading(c);
    if (extra) process_input(c);
}

void replica_applied(client *c, const char *buf, size_t n) {
    if (c != repl.primary) return;
    if (c->flags & CLIENT_MULTI) {
        /* Inside a transaction: the offset moves only once EXEC (or DISCARD) ran, so a
         * partial resync never restarts in the middle of one. */
        if (!lk.multi_pending) lk.multi_pending = dstr_empty();
        lk.multi_pending = dstr_catlen(lk.multi_pending, buf, n);
        return;
    }
    dstr all = NULL;
    if (lk.multi_pending && dstr_len(lk.multi_pending)) {
        all = dstr_catlen(lk.multi_pending, buf, n);
        lk.multi_pending = NULL;
        buf = all;
        n = dstr_len(all);
    }
    long long before = repl.master_repl_offset;
    repl_feed_raw(buf, n);
    if (repl.master_repl_offset == before) repl.master_repl_offset += (long long)n;
    dstr_free(all);
}

/* ---------------------------------------------------------------- full sync */

static void load_rdb_limits(rdb_limits *l) {
    l->hash_max_listpack_entries = server.cfg.hash_max_listpack_entries;
    l->hash_max_listpack_value = server.cfg.hash_max_listpack_value;
    l->list_max_listpack_size = server.cfg.list_max_listpack_size;
    l->set_max_intset_entries = server.cfg.set_max_intset_entries;
    l->zset_max_listpack_entries = server.cfg.zset_max_listpack_entries;
    l->zset_max_listpack_value = server.cfg.zset_max_listpack_value;
    l->max_len = server.cfg.proto_max_bulk_len;
}

/* Replace the contents of every database with those of fresh, keeping the db structs (and
 * so every db pointer held by clients, watchers and blocked clients) in place. */
static void keyspace_swap_in(keyspace *fresh) {
    for (int i = 0; i < server.ks.ndb && i < fresh->ndb; i++) {
        db *d = &server.ks.dbs[i], *n = &fresh->dbs[i];
        server_db_touched(d);
        dict *k = d->keys, *e = d->expires;
        d->keys = n->keys;
        d->expires = n->expires;
        n->keys = k;
        n->expires = e;
        d->expires_cursor = 0;
        d->avg_ttl = 0;
    }
    ks_free(fresh);   /* now holds the old data */
}

/* The whole snapshot is in lk.tmpfile (or lk.mem): load it, then stream. */
static void transfer_finish(void) {
    if (lk.fd != -1) close(lk.fd);
    lk.fd = -1;
    kl_log(LL_NOTICE, "MASTER <-> REPLICA sync: Flushing old data");
    kl_log(LL_NOTICE, "MASTER <-> REPLICA sync: Loading DB in memory");
    keyspace fresh;
    ks_init(&fresh, server.ks.ndb);
    fresh.replica_mode = 1;
    rdb_limits lim;
    load_rdb_limits(&lim);
    rdb_load_info info;
    memset(&info, 0, sizeof(info));
    char err[256] = "";
    int rc = lk.mem ? rdb_load_mem(&fresh, lk.mem, dstr_len(lk.mem), &lim, 0, &info, err, sizeof(err))
                    : rdb_load_file(&fresh, lk.tmpfile, &lim, 0, &info, err, sizeof(err));
    dstr_free(lk.mem);
    lk.mem = NULL;
    if (rc != 0) {
        kl_log(LL_WARNING, "Failed trying to load the MASTER synchronization DB from %s: %s",
               lk.tmpfile[0] ? "disk" : "socket", err[0] ? err : "unknown error");
        ks_free(&fresh);
        link_drop();
        return;
    }
    if (lk.tmpfile[0]) unlink(lk.tmpfile);
    lk.tmpfile[0] = '\0';
    /* New history: sub-replicas and the backlog belong to the old one. */
    disconnect_sub_replicas();
    repl_backlog_free();
    keyspace_swap_in(&fresh);
    kl_log(LL_NOTICE, "Done loading RDB, keys loaded: %lld, keys expired: %lld.",
           info.keys_loaded, info.expired_skipped);
    if (lk.full_off >= 0) {
        memcpy(repl.replid, lk.full_id, 41);
        repl.master_repl_offset = lk.full_off;
    } else {
        repl.master_repl_offset = 0;   /* SYNC: no offsets to continue from */
    }
    repl_clear_replid2();
    /* A backlog from this offset on, so that after a promotion the other replicas can
     * continue from us (psync2), as Redis creates it when the master link is set up. */
    repl_backlog_ensure();
    repl.sync_total_bytes = repl.sync_read_bytes = 0;
    kl_log(LL_NOTICE, "MASTER <-> REPLICA sync: Finished with success");
    int full_off_known = lk.full_off >= 0;
    link_start_streaming(info.repl_stream_db);
    if (!full_off_known) lk.can_psync = 0;
}

static int diskless_load_wanted(void) {
    if (server.cfg.repl_diskless_load == REPL_DISKLESS_LOAD_SWAPDB) return 1;
    if (server.cfg.repl_diskless_load != REPL_DISKLESS_LOAD_ON_EMPTY_DB) return 0;
    for (int i = 0; i < server.ks.ndb; i++)
        if (db_size(&server.ks.dbs[i])) return 0;
    return 1;
}

static int transfer_write(const char *p, size_t n) {
    if (lk.mem) {
        lk.mem = dstr_catlen(lk.mem, p, n);
        repl.sync_read_bytes += (long long)n;
        n = 0;
    }
    while (n) {
        ssize_t w = write(lk.fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            kl_log(LL_WARNING, "Write error or short write writing to the DB dump file needed "
                   "for MASTER <-> REPLICA synchronization: %s", strerror(errno));
            return -1;
        }
        p += w;
        n -= (size_t)w;
        repl.sync_read_bytes += w;
    }
    if (repl.sync_read_bytes > LINK_MAX_RDB) {
        kl_log(LL_WARNING, "MASTER <-> REPLICA sync: snapshot larger than %lld bytes, aborting",
               LINK_MAX_RDB);
        return -1;
    }
    return 0;
}

/* Consume snapshot bytes from lk.in. Returns 1 when the snapshot is complete. */
static int transfer_consume(void) {
    size_t have = dstr_len(lk.in);
    if (!lk.eof_mode) {
        size_t n = (long long)have < lk.bulk_left ? have : (size_t)lk.bulk_left;
        if (transfer_write(lk.in, n) < 0) return -1;
        dstr_consume(lk.in, n);
        lk.bulk_left -= (long long)n;
        return lk.bulk_left == 0;
    }
    /* EOF framing: the last EOF_MARK_LEN bytes are held back until they are the mark. */
    if (have >= EOF_MARK_LEN && memcmp(lk.in + have - EOF_MARK_LEN, lk.eofmark, EOF_MARK_LEN) == 0) {
        if (transfer_write(lk.in, have - EOF_MARK_LEN) < 0) return -1;
        dstr_clear(lk.in);
        return 1;
    }
    if (have > EOF_MARK_LEN) {
        if (transfer_write(lk.in, have - EOF_MARK_LEN) < 0) return -1;
        dstr_consume(lk.in, have - EOF_MARK_LEN);
    }
    return 0;
}

/* "$<len>" or "$EOF:<mark>": open the temp file. 0, or -1 (link dropped by the caller). */
static int transfer_begin(const char *line) {
    if (line[0] == '-') {
        kl_log(LL_WARNING, "MASTER aborted replication with an error: %s", line + 1);
        return -1;
    }
    if (line[0] != '$') {
        kl_log(LL_WARNING, "Bad protocol from MASTER, the first byte is not '$' (we received "
               "'%s'), are you sure the host and port are right?", line);
        return -1;
    }
    size_t len = strlen(line);
    if (len == 5 + EOF_MARK_LEN && strncmp(line + 1, "EOF:", 4) == 0) {
        lk.eof_mode = 1;
        memcpy(lk.eofmark, line + 5, EOF_MARK_LEN);
        repl.sync_total_bytes = -1;
        kl_log(LL_NOTICE, "MASTER <-> REPLICA sync: receiving streamed RDB from master with "
               "EOF to disk");
    } else {
        long long n;
        if (!str_to_ll(line + 1, len - 1, &n) || n < 0 || n > LINK_MAX_RDB) {
            kl_log(LL_WARNING, "Bad bulk length from MASTER: '%s'", line);
            return -1;
        }
        lk.eof_mode = 0;
        lk.bulk_left = n;
        repl.sync_total_bytes = n;
        kl_log(LL_NOTICE, "MASTER <-> REPLICA sync: receiving %lld bytes from master to disk", n);
    }
    repl.sync_read_bytes = 0;
    if (diskless_load_wanted()) {
        /* repl-diskless-load: keep the snapshot in memory and load it from there; the
         * current data stays served until the new keyspace is complete (swapdb). */
        lk.mem = dstr_empty();
        kl_log(LL_NOTICE, "MASTER <-> REPLICA sync: Loading the snapshot from the socket");
        lk.hs = HS_BULK_BODY;
        return 0;
    }
    snprintf(lk.tmpfile, sizeof(lk.tmpfile), "temp-%lld.%ld.rdb", mstime() / 1000, (long)getpid());
    lk.fd = open(lk.tmpfile, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
    if (lk.fd == -1) {
        kl_log(LL_WARNING, "Opening the temp file needed for MASTER <-> REPLICA "
               "synchronization: %s", strerror(errno));
        lk.tmpfile[0] = '\0';
        return -1;
    }
    lk.hs = HS_BULK_BODY;
    return 0;
}

/* ---------------------------------------------------------------- handshake replies */

static int noauth_tolerated(const char *line) {
    return strncmp(line, "-NOAUTH", 7) == 0 || strncmp(line, "-NOPERM", 7) == 0 ||
           strncmp(line, "-ERR operation not permitted", 28) == 0;
}

/* Reply to PSYNC. 0 to go on reading, -1 to drop the link. */
static int handle_psync_reply(const char *line) {
    if (strncmp(line, "+FULLRESYNC", 11) == 0) {
        const char *id = line + 11;
        while (*id == ' ') id++;
        const char *sp = strchr(id, ' ');
        long long off;
        if (!sp || sp - id != 40 || !str_to_ll(sp + 1, strlen(sp + 1), &off) || off < 0) {
            kl_log(LL_WARNING, "Master replied with wrong +FULLRESYNC syntax.");
            return -1;
        }
        memcpy(lk.full_id, id, 40);
        lk.full_id[40] = '\0';
        lk.full_off = off;
        kl_log(LL_NOTICE, "Full resync from master: %s:%lld", lk.full_id, off);
        repl.state = REPL_STATE_TRANSFER;
        lk.hs = HS_BULK_HEADER;
        return 0;
    }
    if (strncmp(line, "+CONTINUE", 9) == 0) {
        kl_log(LL_NOTICE, "Successful partial resynchronization with master.");
        const char *id = line + 9;
        while (*id == ' ') id++;
        if (strlen(id) == 40 && strcmp(id, repl.replid) != 0) {
            memcpy(repl.replid2, repl.replid, 41);
            repl.second_repl_offset = repl.master_repl_offset + 1;
            memcpy(repl.replid, id, 40);
            repl.replid[40] = '\0';
            kl_log(LL_NOTICE, "Master replication ID changed to %s", repl.replid);
            disconnect_sub_replicas();
        }
        kl_log(LL_NOTICE, "MASTER <-> REPLICA sync: Master accepted a Partial Resynchronization.");
        link_start_streaming(-1);
        return 0;
    }
    if (strncmp(line, "-NOMASTERLINK", 13) == 0 || strncmp(line, "-LOADING", 8) == 0) {
        kl_log(LL_NOTICE, "Master is currently unable to PSYNC but should be in the future: %s",
               line);
        return -1;
    }
    kl_log(LL_WARNING, "Unexpected reply to PSYNC from master: %s", line);
    kl_log(LL_NOTICE, "Retrying with SYNC...");
    link_send("SYNC\r\n", 6);
    lk.full_off = -1;
    repl.state = REPL_STATE_TRANSFER;
    lk.hs = HS_BULK_HEADER;
    return 0;
}

/* One reply line of the handshake (without CRLF). 0 to go on, -1 to drop the link. */
static int handle_line(const char *line) {
    int err = line[0] == '-';
    switch (lk.hs) {
    case HS_PING:
        if (err && !noauth_tolerated(line)) {
            kl_log(LL_WARNING, "Error reply to PING from master: '%s'", line);
            return -1;
        }
        kl_log(LL_NOTICE, "Master replied to PING, replication can continue...");
        send_handshake_pipeline();
        lk.hs = server.cfg.masterauth ? HS_AUTH : HS_PORT;
        return 0;
    case HS_AUTH:
        if (err) {
            kl_log(LL_WARNING, "Unable to AUTH to MASTER: %s", line);
            return -1;
        }
        lk.hs = HS_PORT;
        return 0;
    case HS_PORT:
        if (err)
            kl_log(LL_NOTICE, "(Non critical) Master does not understand REPLCONF "
                   "listening-port: %s", line);
        lk.hs = server.cfg.replica_announce_ip && server.cfg.replica_announce_ip[0] ? HS_IP
                                                                                   : HS_CAPA;
        return 0;
    case HS_IP:
        if (err)
            kl_log(LL_NOTICE, "(Non critical) Master does not understand REPLCONF ip-address: %s",
                   line);
        lk.hs = HS_CAPA;
        return 0;
    case HS_CAPA:
        if (err)
            kl_log(LL_NOTICE, "(Non critical) Master does not understand REPLCONF capa: %s", line);
        send_psync();
        lk.hs = HS_PSYNC;
        return 0;
    case HS_PSYNC:
        return handle_psync_reply(line);
    case HS_BULK_HEADER:
        return transfer_begin(line);
    default:
        return -1;
    }
}

/* Run the handshake/transfer state machine over lk.in. */
static void link_process(void) {
    while (lk.c && lk.hs != HS_NONE) {
        if (lk.hs == HS_BULK_BODY) {
            int r = transfer_consume();
            if (r < 0) link_drop();
            else if (r == 1) transfer_finish();
            return;
        }
        char *nl = memchr(lk.in, '\n', dstr_len(lk.in));
        if (!nl) {
            if (dstr_len(lk.in) > LINK_MAX_LINE) {
                kl_log(LL_WARNING, "Protocol error from MASTER: reply line too long");
                link_drop();
            }
            return;
        }
        size_t len = (size_t)(nl - lk.in);
        dstr line = dstr_newlen(lk.in, len > 0 && lk.in[len - 1] == '\r' ? len - 1 : len);
        dstr_consume(lk.in, len + 1);
        /* Empty lines are keepalives sent while the primary prepares the snapshot. */
        int r = dstr_len(line) ? handle_line(line) : 0;
        dstr_free(line);
        if (r < 0) {
            link_drop();
            return;
        }
    }
}

/* ---------------------------------------------------------------- connecting */

static void link_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    static char chunk[64 * 1024];
    (void)h, (void)suggested;
    buf->base = chunk;
    buf->len = sizeof(chunk);
}

static void link_on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
    client *c = s->data;
    if (c != lk.c || c->closing) return;
    if (nread < 0) {
        if (lk.hs == HS_BULK_BODY)
            kl_log(LL_WARNING, "I/O error trying to sync with MASTER: connection lost");
        else
            kl_log(LL_WARNING, "Error condition on socket for SYNC: %s",
                   nread == UV_EOF ? "Connection closed by peer" : uv_strerror((int)nread));
        link_drop();
        return;
    }
    if (nread == 0) return;
    lk.last_io = mstime();
    server.stat_net_input_bytes += nread;
    lk.in = dstr_catlen(lk.in, buf->base, (size_t)nread);
    link_process();
}

static void link_on_connect(uv_connect_t *req, int status) {
    connect_req *cr = (connect_req *)req;
    unsigned gen = cr->gen;
    kl_free(cr);
    if (gen != lk.gen || !lk.c) return;
    if (status < 0) {
        kl_log(LL_WARNING, "Error condition on socket for SYNC: %s", strerror(-status));
        link_drop();
        return;
    }
    client *c = lk.c;
    kl_log(LL_NOTICE, "Non blocking connect for SYNC fired the event.");
    struct sockaddr_storage ss;
    int sl = sizeof(ss);
    char ip[46] = "?";
    if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &sl) == 0) {
        if (ss.ss_family == AF_INET6) uv_ip6_name((struct sockaddr_in6 *)&ss, ip, sizeof(ip));
        else uv_ip4_name((struct sockaddr_in *)&ss, ip, sizeof(ip));
    }
    snprintf(c->addr, sizeof(c->addr), "%s:%d", ip, repl.primary_port);
    uv_os_fd_t fd;
    if (uv_fileno((uv_handle_t *)&c->tcp, &fd) == 0) c->fd = (int)fd;
    uv_tcp_nodelay(&c->tcp, !server.cfg.repl_disable_tcp_nodelay);
    repl.state = REPL_STATE_HANDSHAKE;
    lk.hs = HS_PING;
    lk.last_io = mstime();
    link_send("*1\r\n$4\r\nPING\r\n", 14);
    uv_read_start((uv_stream_t *)&c->tcp, link_alloc, link_on_read);
}

static void link_on_resolved(uv_getaddrinfo_t *req, int status, struct addrinfo *res) {
    resolve_req *rr = (resolve_req *)req;
    unsigned gen = rr->gen;
    kl_free(rr);
    if (gen != lk.gen || repl.state != REPL_STATE_CONNECTING) {
        if (res) uv_freeaddrinfo(res);
        return;
    }
    if (status < 0 || !res) {
        kl_log(LL_WARNING, "Unable to connect to MASTER: %s", uv_strerror(status));
        if (res) uv_freeaddrinfo(res);
        link_drop();
        return;
    }
    struct sockaddr_storage ss;
    memcpy(&ss, res->ai_addr, res->ai_addrlen);
    uv_freeaddrinfo(res);
    if (ss.ss_family == AF_INET6) ((struct sockaddr_in6 *)&ss)->sin6_port = htons(repl.primary_port);
    else ((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)repl.primary_port);
    lk.c = client_new_outgoing();
    lk.c->flags |= CLIENT_PRIMARY;
    connect_req *cr = kl_malloc(sizeof(*cr));
    cr->gen = lk.gen;
    int rc = uv_tcp_connect(&cr->req, &lk.c->tcp, (struct sockaddr *)&ss, link_on_connect);
    if (rc < 0) {
        kl_free(cr);
        kl_log(LL_WARNING, "Unable to connect to MASTER: %s", uv_strerror(rc));
        link_drop();
    }
}

static void link_connect_start(void) {
    lk.gen++;
    lk.attempt_ms = lk.last_io = mstime();
    if (!lk.in) lk.in = dstr_empty();
    dstr_clear(lk.in);
    repl.state = REPL_STATE_CONNECTING;
    kl_log(LL_NOTICE, "MASTER <-> REPLICA sync started");
    resolve_req *rr = kl_malloc(sizeof(*rr));
    rr->gen = lk.gen;
    struct addrinfo hints;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int rc = uv_getaddrinfo(server.loop, &rr->req, link_on_resolved, repl.primary_host, NULL, &hints);
    if (rc < 0) {
        kl_free(rr);
        kl_log(LL_WARNING, "Unable to connect to MASTER: %s", uv_strerror(rc));
        repl.state = REPL_STATE_CONNECT;
    }
}

/* ---------------------------------------------------------------- roles */

int replica_is_replica(void) { return repl.primary_host != NULL; }

int replica_link_up(void) { return repl.state == REPL_STATE_CONNECTED; }

static void set_primary(const char *host, int port, int synthesize);

void replica_set_primary(const char *host, int port) { set_primary(host, port, 1); }

static void set_primary(const char *host, int port, int synthesize) {
    if (!host) {
        if (!repl.primary_host) return;
        link_drop();
        kl_free(repl.primary_host);
        repl.primary_host = NULL;
        repl.primary_port = 0;
        repl.state = REPL_STATE_NONE;
        repl.link_down_since = 0;
        server.ks.replica_mode = 0;
        /* Our data continue the old primary's history: other replicas can PSYNC with it. */
        repl_shift_replid();
        kl_log(LL_NOTICE, "Setting secondary replication ID to %s, valid up to offset: %lld. "
               "New replication ID is %s", repl.replid2, repl.second_repl_offset, repl.replid);
        repl_backlog_ensure();
        return;
    }
    int was_primary = repl.primary_host == NULL;
    link_drop();
    kl_free(repl.primary_host);
    size_t hl = strlen(host);
    repl.primary_host = kl_malloc(hl + 1);
    memcpy(repl.primary_host, host, hl + 1);
    repl.primary_port = port;
    server.ks.replica_mode = 1;
    if (was_primary && synthesize) {
        kl_log(LL_NOTICE, "Before turning into a replica, using my own master parameters to "
               "synthesize a cached master: I may be able to synchronize with the new master "
               "with just a partial transfer.");
        lk.can_psync = 1;
    }
    kl_log(LL_NOTICE, "Connecting to MASTER %s:%d", host, port);
    link_connect_start();
}

void replica_init(void) {
    lk.can_psync = 0;
    const char *v = server.cfg.replicaof;
    if (!v || !v[0]) return;
    const char *sp = strrchr(v, ' ');
    long long port;
    if (!sp || sp == v || !str_to_ll(sp + 1, strlen(sp + 1), &port) || port < 0 ||
        port > 65535) {
        kl_log(LL_WARNING, "Invalid replicaof parameter '%s': ignored", v);
        return;
    }
    dstr host = dstr_newlen(v, (size_t)(sp - v));
    set_primary(host, (int)port, 0);   /* no data of our own yet: PSYNC ? -1 */
    dstr_free(host);
}

void replica_free(void) {
    link_drop();
    kl_free(repl.primary_host);
    repl.primary_host = NULL;
    dstr_free(lk.in);
    dstr_free(lk.multi_pending);
    lk.in = lk.multi_pending = NULL;
}

/* ---------------------------------------------------------------- cron */

void replica_cron(void) {
    if (!repl.primary_host) return;
    long long now = mstime();
    long long timeout = server.cfg.repl_timeout * 1000;
    switch (repl.state) {
    case REPL_STATE_CONNECT:
        if (now - lk.attempt_ms >= LINK_RETRY_MS) {
            kl_log(LL_NOTICE, "Connecting to MASTER %s:%d", repl.primary_host, repl.primary_port);
            link_connect_start();
        }
        break;
    case REPL_STATE_CONNECTING:
    case REPL_STATE_HANDSHAKE:
        if (now - lk.last_io > timeout) {
            kl_log(LL_WARNING, "Timeout connecting to the MASTER...");
            link_drop();
        }
        break;
    case REPL_STATE_TRANSFER:
        if (now - lk.last_io > timeout) {
            kl_log(LL_WARNING, "Timeout receiving bulk data from MASTER... If the problem "
                   "persists try to set the 'repl-timeout' parameter in keel.conf to a larger "
                   "value.");
            link_drop();
        }
        break;
    case REPL_STATE_CONNECTED:
        if (repl.primary && now - repl.primary->last_interaction > timeout) {
            kl_log(LL_WARNING, "MASTER timeout: no data nor PING received...");
            link_drop();
            break;
        }
        if (repl.primary) repl.last_io_ms = repl.primary->last_interaction;
        send_ack();
        break;
    }
}

/* ---------------------------------------------------------------- introspection */

static const char *state_name(void) {
    switch (repl.state) {
    case REPL_STATE_CONNECT: return "connect";
    case REPL_STATE_CONNECTING: return "connecting";
    case REPL_STATE_HANDSHAKE: return "handshake";
    case REPL_STATE_TRANSFER: return "sync";
    case REPL_STATE_CONNECTED: return "connected";
    default: return "none";
    }
}

void replica_reply_role(client *c) {
    reply_array_len(c, 5);
    reply_bulk_cstr(c, "slave");
    reply_bulk_cstr(c, repl.primary_host ? repl.primary_host : "");
    reply_long_long(c, repl.primary_port);
    reply_bulk_cstr(c, state_name());
    reply_long_long(c, repl.primary ? repl.master_repl_offset : -1);
}

/* Bytes received from the primary: applied, plus read but not yet applied. */
static long long read_offset(void) {
    long long off = repl.master_repl_offset;
    client *c = repl.primary;
    if (c) off += (long long)(dstr_len(c->querybuf) - c->qb_pos);
    if (lk.multi_pending) off += (long long)dstr_len(lk.multi_pending);
    return off;
}

dstr replica_info_fields(dstr s) {
    long long now = mstime();
    int have = repl.primary != NULL || lk.can_psync;
    s = dstr_catfmt(s,
                    "role:slave\r\nmaster_host:%s\r\nmaster_port:%d\r\n"
                    "master_link_status:%s\r\nmaster_last_io_seconds_ago:%lld\r\n"
                    "master_sync_in_progress:%d\r\nslave_read_repl_offset:%lld\r\n"
                    "slave_repl_offset:%lld\r\n",
                    repl.primary_host, repl.primary_port,
                    repl.state == REPL_STATE_CONNECTED ? "up" : "down",
                    repl.primary ? (now - repl.primary->last_interaction) / 1000 : -1LL,
                    repl.state == REPL_STATE_TRANSFER, have ? read_offset() : 1,
                    have ? repl.master_repl_offset : 1);
    if (repl.state == REPL_STATE_TRANSFER) {
        long long total = repl.sync_total_bytes, got = repl.sync_read_bytes;
        double perc = total > 0 ? (double)got * 100 / (double)total : 0;
        s = dstr_catfmt(s,
                        "master_sync_total_bytes:%lld\r\nmaster_sync_read_bytes:%lld\r\n"
                        "master_sync_left_bytes:%lld\r\nmaster_sync_perc:%.2f\r\n"
                        "master_sync_last_io_seconds_ago:%lld\r\n",
                        total, got, total - got, perc, (now - lk.last_io) / 1000);
    }
    if (repl.state != REPL_STATE_CONNECTED)
        s = dstr_catfmt(s, "master_link_down_since_seconds:%lld\r\n",
                        repl.link_down_since ? (now - repl.link_down_since) / 1000 : -1LL);
    return dstr_catfmt(s, "slave_priority:%lld\r\nslave_read_only:%d\r\nreplica_announced:%d\r\n",
                       server.cfg.replica_priority, server.cfg.replica_read_only ? 1 : 0,
                       server.cfg.replica_announced ? 1 : 0);
}

/* ---------------------------------------------------------------- REPLICAOF */

static void cmd_replicaof(client *c) {
    if (arg_is(&c->argv[1], "no") && arg_is(&c->argv[2], "one")) {
        if (repl.primary_host) {
            replica_set_primary(NULL, 0);
            dstr info = client_info_string(dstr_empty(), c);
            kl_log(LL_NOTICE, "MASTER MODE enabled (user request from '%s')", info);
            dstr_free(info);
        }
        reply_ok(c);
        return;
    }
    if (c->flags & CLIENT_REPLICA) {
        reply_error(c, "ERR Command is not valid when client is a replica.");
        return;
    }
    long long port;
    if (arg_to_ll_range(c, &c->argv[2], 0, 65535, &port, "ERR Invalid master port") < 0) return;
    dstr host = dstr_newlen(c->argv[1].ptr, c->argv[1].len);
    if (repl.primary_host && strcasecmp(repl.primary_host, host) == 0 &&
        repl.primary_port == port) {
        kl_log(LL_NOTICE, "REPLICAOF would result into synchronization with the master we are "
               "already connected with. No operation performed.");
        reply_simple(c, "OK Already connected to specified master");
        dstr_free(host);
        return;
    }
    replica_set_primary(host, (int)port);
    dstr info = client_info_string(dstr_empty(), c);
    kl_log(LL_NOTICE, "REPLICAOF %s:%d enabled (user request from '%s')", host, (int)port, info);
    dstr_free(info);
    dstr_free(host);
    reply_ok(c);
}

#define REPLICAOF_FLAGS (CMD_ADMIN | CMD_NOSCRIPT | CMD_STALE | CMD_NO_ASYNC_LOADING)
#define REPLICAOF_ACL (ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS)

command replica_commands[] = {
    {.name = "replicaof", .proc = cmd_replicaof, .arity = 3, .flags = REPLICAOF_FLAGS,
     .acl = REPLICAOF_ACL, .group = "server", .since = "5.0.0",
     .summary = "Make the server a replica of another instance, or promote it as master.",
     .complexity = "O(1)"},
    {.name = "slaveof", .proc = cmd_replicaof, .arity = 3, .flags = REPLICAOF_FLAGS,
     .acl = REPLICAOF_ACL, .group = "server", .since = "1.0.0",
     .summary = "Make the server a replica of another instance, or promote it as master.",
     .complexity = "O(1)"},
    {.name = NULL},
};
