/* replication.c -- the primary side of Redis's replication protocol (PSYNC2).
 *
 * Why: replicas of keel (keel or real Redis) must see exactly the bytes Redis 7.0 sends:
 * the REPLCONF/PSYNC handshake, +FULLRESYNC or +CONTINUE, an RDB framed with $EOF:<mark>
 * or $<len>, then the command stream whose bytes the offsets count. The backlog is a
 * circular buffer of the last repl-backlog-size stream bytes, for partial resyncs.
 * A full sync forks a child that writes the RDB into a pipe (diskless) or a temp file;
 * the loop relays it without blocking, throttled by the replicas' output size. Commands
 * written meanwhile wait in a per-replica pending buffer sent right after the RDB.
 * Also WAIT, min-replicas, ROLE and the INFO replication section.
 * Loop thread only; the forked child only serialises the keyspace and _exit()s.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/rdb.h"
#include "common/util.h"
#include "server/blocking.h"
#include "server/multi.h"
#include "server/replication.h"

#define REPL_THROTTLE_BYTES (16LL * 1024 * 1024)   /* stop relaying the RDB above this */
#define REPL_FILE_CHUNK (64 * 1024)
#define PRESYNC_MAX 256                             /* REPLCONF data of not-yet-replicas */
#define REPL_TICK_MS 10

replication repl;

struct repl_backlog {
    char *buf;
    long long size;
    long long idx;          /* next write position in buf */
    long long histlen;      /* valid bytes, <= size */
    long long offset;       /* replication offset of the first valid byte */
};

typedef struct replica_info {
    client *c;
    int state;              /* REPLICA_* */
    int port;               /* REPLCONF listening-port */
    char ip[64];            /* REPLCONF ip-address, "" = peer address */
    int capa_eof, capa_psync2, rdb_only, pre_psync;
    long long ack_off;
    long long ack_ms;       /* last ACK (or online time) */
    long long wait_since;   /* WAIT_BGSAVE_START since (ms) */
    int in_round;           /* served by the running full sync */
    dstr pending;           /* stream produced while the RDB is on its way */
    int fd;                 /* disk sync: the RDB file being sent, -1 if none */
    struct replica_info *next;
} replica_info;

typedef struct presync {    /* REPLCONF values given before SYNC/PSYNC */
    uint64_t id;
    int port, capa_eof, capa_psync2, rdb_only;
    char ip[64];
} presync;

typedef struct waiter {     /* a client blocked in WAIT */
    uint64_t id;
    long long woff;
    long long need;
} waiter;

static replica_info *replicas;
static presync presyncs[PRESYNC_MAX];
static int npresync;
static waiter *waiters;
static int nwaiters;

/* full sync in progress */
static struct {
    int socket;             /* 1: diskless via pipe, 0: temp file */
    int pipe_open, pipe_eof, reading;
    int child_done, child_ok;
    uv_pipe_t pipe;
    char tmpfile[256];
    long long start_ms;
} sync_round;
static uv_timer_t tick;
static int tick_init;
static char pipe_buf[64 * 1024];

static void repl_kick(void);
static void replica_close(replica_info *r, const char *why);

/* ================================================================== helpers */

static const char *replica_ip(const replica_info *r, char *buf, size_t len) {
    if (r->ip[0]) return r->ip;
    snprintf(buf, len, "%s", r->c->addr);
    char *colon = strrchr(buf, ':');
    if (colon) *colon = '\0';
    if (buf[0] == '[') {
        memmove(buf, buf + 1, strlen(buf));
        char *br = strchr(buf, ']');
        if (br) *br = '\0';
    }
    return buf;
}

/* "ip:port" as Redis names replicas in its log. */
static const char *replica_name(const replica_info *r) {
    static char name[128];
    char ip[64];
    snprintf(name, sizeof(name), "%s:%d", replica_ip(r, ip, sizeof(ip)), r->port);
    return name;
}

static void refresh_good_replicas(void) {
    long long now = mstime();
    int good = 0;
    for (replica_info *r = replicas; r; r = r->next)
        if (r->state == REPLICA_ONLINE && now - r->ack_ms <= server.cfg.min_replicas_max_lag * 1000)
            good++;
    repl.good_replicas = good;
}

int repl_not_enough_good_replicas(void) {
    return server.cfg.min_replicas_to_write && server.cfg.min_replicas_max_lag &&
           repl.good_replicas < server.cfg.min_replicas_to_write;
}

/* ================================================================== backlog */

static repl_backlog *backlog_new(long long size) {
    repl_backlog *b = kl_calloc(1, sizeof(*b));
    b->size = size > 0 ? size : 1;
    b->buf = kl_malloc((size_t)b->size);
    b->offset = repl.master_repl_offset + 1;
    return b;
}

static void backlog_free(repl_backlog *b) {
    if (!b) return;
    kl_free(b->buf);
    kl_free(b);
}

static void backlog_append(repl_backlog *b, const char *p, size_t len) {
    if ((long long)len > b->size) {     /* only the tail fits */
        p += len - (size_t)b->size;
        len = (size_t)b->size;
    }
    while (len) {
        size_t room = (size_t)(b->size - b->idx);
        size_t n = len < room ? len : room;
        memcpy(b->buf + b->idx, p, n);
        b->idx = (b->idx + (long long)n) % b->size;
        b->histlen += (long long)n;
        p += n;
        len -= n;
    }
    if (b->histlen > b->size) b->histlen = b->size;
}

/* Copy histlen bytes starting at replication offset `from` to the client. */
static void backlog_send_from(client *c, long long from) {
    repl_backlog *b = repl.backlog;
    long long skip = from - b->offset;
    long long len = b->histlen - skip;
    long long start = (b->idx - b->histlen + skip) % b->size;
    if (start < 0) start += b->size;
    while (len > 0) {
        long long n = b->size - start < len ? b->size - start : len;
        reply_raw(c, b->buf + start, (size_t)n);
        len -= n;
        start = 0;
    }
}

/* Keep the newest bytes when repl-backlog-size changes. */
static void backlog_resize(long long size) {
    repl_backlog *old = repl.backlog, *nb = backlog_new(size);
    long long keep = old->histlen < nb->size ? old->histlen : nb->size;
    long long start = (old->idx - keep) % old->size;
    if (start < 0) start += old->size;
    for (long long i = 0; i < keep; i++) nb->buf[i] = old->buf[(start + i) % old->size];
    nb->idx = keep % nb->size;
    nb->histlen = keep;
    nb->offset = repl.master_repl_offset - keep + 1;
    backlog_free(old);
    repl.backlog = nb;
}

void repl_backlog_free(void) {
    backlog_free(repl.backlog);
    repl.backlog = NULL;
}

void repl_backlog_ensure(void) {
    if (!repl.backlog) repl.backlog = backlog_new(server.cfg.repl_backlog_size);
}

/* ================================================================== ids */

static void repl_new_replid(void) {
    random_hex(repl.replid, 40);
    repl.replid[40] = '\0';
}

void repl_clear_replid2(void) {
    memset(repl.replid2, '0', 40);
    repl.replid2[40] = '\0';
    repl.second_repl_offset = -1;
}

void repl_shift_replid(void) {
    memcpy(repl.replid2, repl.replid, sizeof(repl.replid2));
    repl.second_repl_offset = repl.master_repl_offset + 1;
    repl_new_replid();
    kl_log(LL_NOTICE, "Setting secondary replication ID to %s, valid up to offset: %lld. "
           "New replication ID is %s", repl.replid2, repl.second_repl_offset, repl.replid);
}

/* ================================================================== feeding the stream */

static void feed_bytes(const char *p, size_t len) {
    repl.master_repl_offset += (long long)len;
    if (repl.backlog) {
        backlog_append(repl.backlog, p, len);
        /* The oldest byte kept moves forward once the buffer wraps. */
        repl.backlog->offset = repl.master_repl_offset - repl.backlog->histlen + 1;
    }
    for (replica_info *r = replicas; r; r = r->next) {
        if (r->state == REPLICA_ONLINE) {
            reply_raw(r->c, p, len);
        } else if (r->pending) {
            r->pending = dstr_catlen(r->pending, p, len);
            long long hard = server.cfg.obuf_limits[OBUF_REPLICA].hard;
            if (hard && (long long)dstr_len(r->pending) > hard)
                replica_close(r, "output buffer limit reached while the RDB is transferred");
        }
    }
}

static dstr encode_command(dstr s, int argc, const resp_arg *argv) {
    s = dstr_catfmt(s, "*%d\r\n", argc);
    for (int i = 0; i < argc; i++) {
        s = dstr_catfmt(s, "$%zu\r\n", argv[i].len);
        s = dstr_catlen(s, argv[i].ptr, argv[i].len);
        s = dstr_catlen(s, "\r\n", 2);
    }
    return s;
}

/* Remember the offset of a client's last write, for WAIT. */
static void note_client_write(void) {
    client *c = server.current_client;
    if (!c || (c->flags & CLIENT_PRIMARY)) return;
    c->woff = repl.master_repl_offset;
}

static void feed_command(int dbid, int argc, const resp_arg *argv, int from_client) {
    if (!repl.backlog && !replicas) return;
    if (replica_is_replica()) return;   /* a replica only proxies its primary's stream */
    dstr s = dstr_empty();
    if (dbid != repl.last_db) {
        char num[24];
        int n = ll_to_str(num, sizeof(num), dbid);
        resp_arg sel[2] = {{(char *)"SELECT", 6}, {num, (size_t)n}};
        s = encode_command(s, 2, sel);
        repl.last_db = dbid;
    }
    s = encode_command(s, argc, argv);
    feed_bytes(s, dstr_len(s));
    dstr_free(s);
    if (from_client) note_client_write();
}

void repl_feed(int dbid, int argc, resp_arg *argv) { feed_command(dbid, argc, argv, 1); }

void repl_feed_raw(const char *buf, size_t len) {
    if (!len) return;
    feed_bytes(buf, len);
    repl.last_db = -1;    /* our own commands (after a promotion) must SELECT again */
}

static void feed_simple(const char *a, const char *b, const char *c) {
    resp_arg av[3] = {{(char *)a, strlen(a)}, {(char *)b, b ? strlen(b) : 0},
                      {(char *)c, c ? strlen(c) : 0}};
    feed_command(repl.last_db, c ? 3 : b ? 2 : 1, av, 0);
}

/* ================================================================== replicas */

static presync *presync_find(uint64_t id, int create) {
    for (int i = 0; i < npresync; i++)
        if (presyncs[i].id == id) return &presyncs[i];
    if (!create) return NULL;
    if (npresync == PRESYNC_MAX) {          /* drop entries of gone clients, else the oldest */
        int j = 0;
        for (int i = 0; i < npresync; i++)
            if (client_by_id(presyncs[i].id)) presyncs[j++] = presyncs[i];
        npresync = j;
        if (npresync == PRESYNC_MAX) {
            memmove(presyncs, presyncs + 1, sizeof(presync) * (PRESYNC_MAX - 1));
            npresync--;
        }
    }
    presync *p = &presyncs[npresync++];
    memset(p, 0, sizeof(*p));
    p->id = id;
    return p;
}

static void presync_remove(uint64_t id) {
    presync *p = presync_find(id, 0);
    if (!p) return;
    *p = presyncs[--npresync];
}

static replica_info *replica_attach(client *c) {
    replica_info *r = kl_calloc(1, sizeof(*r));
    r->c = c;
    r->fd = -1;
    presync *p = presync_find(c->id, 0);
    if (p) {
        r->port = p->port;
        r->capa_eof = p->capa_eof;
        r->capa_psync2 = p->capa_psync2;
        r->rdb_only = p->rdb_only;
        memcpy(r->ip, p->ip, sizeof(r->ip));
        presync_remove(c->id);
    }
    r->ack_ms = mstime();
    r->next = replicas;
    replicas = r;
    c->replica = r;
    c->flags |= CLIENT_REPLICA;
    repl.nreplicas++;
    if (repl.nreplicas == 1 && !repl.backlog) {
        repl_new_replid();
        repl_clear_replid2();
        repl_backlog_ensure();
        kl_log(LL_NOTICE, "Replication backlog created, my new replication IDs are '%s' and '%s'",
               repl.replid, repl.replid2);
    }
    return r;
}

static void replica_close(replica_info *r, const char *why) {
    if (why) kl_log(LL_WARNING, "Disconnecting replica %s: %s", replica_name(r), why);
    client_close_async(r->c);
}

void repl_replica_gone(client *c) {
    replica_info *r = c->replica;
    if (!r) return;
    for (replica_info **pp = &replicas; *pp; pp = &(*pp)->next) {
        if (*pp == r) {
            *pp = r->next;
            break;
        }
    }
    if (r->state == REPLICA_ONLINE && !r->rdb_only)
        kl_log(LL_NOTICE, "Connection with replica %s lost.", replica_name(r));
    if (r->fd >= 0) close(r->fd);
    dstr_free(r->pending);
    kl_free(r);
    c->replica = NULL;
    c->flags &= ~CLIENT_REPLICA;
    repl.nreplicas--;
    if (repl.nreplicas == 0) repl.backlog_idle_since = mstime();
    refresh_good_replicas();
}

/* The RDB reached the replica: send what was written meanwhile and stream from now on. */
static void replica_online(replica_info *r) {
    r->state = REPLICA_ONLINE;
    r->in_round = 0;
    r->ack_ms = mstime();
    if (r->pending) {
        reply_raw(r->c, r->pending, dstr_len(r->pending));
        dstr_free(r->pending);
        r->pending = NULL;
    }
    if (r->rdb_only) {
        client_close_after_reply(r->c);
        return;
    }
    kl_log(LL_NOTICE, "Synchronization with replica %s succeeded", replica_name(r));
    refresh_good_replicas();
}

/* ================================================================== full sync */

static int fd_write_all(void *ctx, const void *buf, size_t len) {
    int fd = *(int *)ctx;
    const char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* In the forked child: write the RDB (with EOF marks when mark != NULL) and _exit. */
static void child_main(int fd, const char *path, const char *mark, const rdb_save_info *info) {
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    char err[256] = "";
    int rc = 0;
    if (path) {
        rc = rdb_save_file(&server.ks, info, path, err, sizeof(err));
    } else {
        char hdr[64];
        int n = snprintf(hdr, sizeof(hdr), "$EOF:%s\r\n", mark);
        rc = fd_write_all(&fd, hdr, (size_t)n);
        if (rc == 0) rc = rdb_save(&server.ks, info, fd_write_all, &fd, err, sizeof(err));
        if (rc == 0) rc = fd_write_all(&fd, mark, 40);
    }
    if (rc != 0 && err[0]) {
        char msg[300];
        int n = snprintf(msg, sizeof(msg), "RDB child error: %s\n", err);
        if (write(STDERR_FILENO, msg, (size_t)n) < 0) rc = -1;
    }
    _exit(rc == 0 ? 0 : 1);
}

static void on_pipe_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    (void)h, (void)suggested;
    *buf = uv_buf_init(pipe_buf, sizeof(pipe_buf));
}

static void sync_round_finish(void);

static void on_pipe_closed(uv_handle_t *h) {
    (void)h;
    sync_round.pipe_open = 0;
    repl_kick();
}

static void on_pipe_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
    (void)s;
    if (nread < 0) {
        sync_round.pipe_eof = 1;
        sync_round.reading = 0;
        uv_close((uv_handle_t *)&sync_round.pipe, on_pipe_closed);
        return;
    }
    for (replica_info *r = replicas; r; r = r->next)
        if (r->in_round) reply_raw(r->c, buf->base, (size_t)nread);
}

static int round_throttled(void) {
    for (replica_info *r = replicas; r; r = r->next)
        if (r->in_round && (long long)r->c->reply_bytes > REPL_THROTTLE_BYTES) return 1;
    return 0;
}

/* Reply +FULLRESYNC and start collecting the stream for every replica of the round. */
static void round_setup_replicas(int socket) {
    char line[128];
    snprintf(line, sizeof(line), "+FULLRESYNC %s %lld\r\n", repl.replid,
             repl.master_repl_offset);
    for (replica_info *r = replicas; r; r = r->next) {
        if (r->state != REPLICA_WAIT_BGSAVE_START || (socket && !r->capa_eof)) continue;
        r->state = REPLICA_WAIT_BGSAVE_END;
        r->in_round = 1;
        dstr_free(r->pending);
        r->pending = dstr_empty();
        if (!r->pre_psync) reply_raw(r->c, line, strlen(line));
    }
}

static int fork_child(int socket, int pipefd[2], const rdb_save_info *info, const char *mark) {
    pid_t pid = fork();
    if (pid == 0) {
        if (socket) close(pipefd[0]);
        child_main(socket ? pipefd[1] : -1, socket ? NULL : sync_round.tmpfile, mark, info);
    }
    if (socket) close(pipefd[1]);
    if (pid < 0) {
        kl_log(LL_WARNING, "Can't save in background: fork: %s", strerror(errno));
        if (socket) close(pipefd[0]);
        return -1;
    }
    repl.child_pid = (int)pid;
    return 0;
}

static void start_full_sync(int socket) {
    int pipefd[2] = {-1, -1};
    if (socket && pipe2(pipefd, O_CLOEXEC) != 0) {
        kl_log(LL_WARNING, "Can't create the RDB pipe: %s", strerror(errno));
        return;
    }
    kl_log(LL_NOTICE, "Starting BGSAVE for SYNC with target: %s", socket ? "replicas sockets" : "disk");
    memset(&sync_round, 0, sizeof(sync_round));
    sync_round.socket = socket;
    sync_round.start_ms = mstime();
    snprintf(sync_round.tmpfile, sizeof(sync_round.tmpfile), "temp-repl-%d.rdb", (int)getpid());
    char mark[41];
    random_hex(mark, 40);
    mark[40] = '\0';
    repl.last_db = -1;    /* the stream after the RDB starts with SELECT */
    rdb_save_info info = {repl.replid, repl.master_repl_offset, 0};
    if (fork_child(socket, pipefd, &info, mark) < 0) {
        for (replica_info *r = replicas; r; r = r->next)
            if (r->state == REPLICA_WAIT_BGSAVE_START) replica_close(r, "BGSAVE failed");
        return;
    }
    kl_log(LL_NOTICE, socket ? "Background RDB transfer started by pid %d"
                             : "Background saving started by pid %d", repl.child_pid);
    round_setup_replicas(socket);
    if (socket) {
        uv_pipe_init(server.loop, &sync_round.pipe, 0);
        uv_pipe_open(&sync_round.pipe, pipefd[0]);
        sync_round.pipe_open = 1;
        sync_round.reading = 1;
        uv_read_start((uv_stream_t *)&sync_round.pipe, on_pipe_alloc, on_pipe_read);
    }
}

/* Start a full sync when replicas wait and the diskless delay passed. */
static void maybe_start_sync(void) {
    if (repl.child_pid || sync_round.pipe_open) return;
    long long now = mstime(), oldest = 0;
    int waiting = 0, eof = 0;
    for (replica_info *r = replicas; r; r = r->next) {
        if (r->state != REPLICA_WAIT_BGSAVE_START) continue;
        waiting++;
        if (r->capa_eof) eof++;
        if (!oldest || r->wait_since < oldest) oldest = r->wait_since;
    }
    if (!waiting) return;
    int socket = server.cfg.repl_diskless_sync && eof > 0;
    if (socket) {
        long long maxr = server.cfg.repl_diskless_sync_max_replicas;
        int enough = maxr > 0 && eof >= maxr;
        if (!enough && now - oldest < server.cfg.repl_diskless_sync_delay * 1000) return;
    }
    start_full_sync(socket);
}

/* Disk sync: the child wrote the file; send "$<len>\r\n" + the file to each replica. */
static void disk_round_send(void) {
    for (replica_info *r = replicas; r; r = r->next) {
        if (!r->in_round) continue;
        struct stat st;
        r->fd = open(sync_round.tmpfile, O_RDONLY | O_CLOEXEC);
        if (r->fd < 0 || fstat(r->fd, &st) != 0) {
            replica_close(r, "SYNC failed. Can't open/stat DB after BGSAVE");
            continue;
        }
        char hdr[64];
        int n = snprintf(hdr, sizeof(hdr), "$%lld\r\n", (long long)st.st_size);
        reply_raw(r->c, hdr, (size_t)n);
        r->state = REPLICA_SEND_BULK;
    }
    unlink(sync_round.tmpfile);
}

/* Push file chunks while the replica's output is small. */
static int disk_stream_step(void) {
    int busy = 0;
    for (replica_info *r = replicas; r; r = r->next) {
        if (r->state != REPLICA_SEND_BULK || r->fd < 0) continue;
        char buf[REPL_FILE_CHUNK];
        while (r->c->reply_bytes < 4 * REPL_FILE_CHUNK) {
            ssize_t n = read(r->fd, buf, sizeof(buf));
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                replica_close(r, "read error on the RDB file");
                break;
            }
            if (n == 0) {
                close(r->fd);
                r->fd = -1;
                replica_online(r);
                break;
            }
            reply_raw(r->c, buf, (size_t)n);
        }
        if (r->fd >= 0) busy = 1;
    }
    return busy;
}

/* Both the child's exit and the end of its pipe are known: conclude the round. */
static void sync_round_finish(void) {
    int ok = sync_round.child_ok;
    if (sync_round.socket) {
        for (replica_info *r = replicas; r; r = r->next) {
            if (!r->in_round) continue;
            if (ok) replica_online(r);
            else replica_close(r, "the RDB transfer failed");
        }
    } else if (ok) {
        disk_round_send();
    } else {
        for (replica_info *r = replicas; r; r = r->next)
            if (r->in_round) replica_close(r, "the background save failed");
        unlink(sync_round.tmpfile);
    }
    sync_round.child_done = 0;
}

void repl_check_child(void) {
    if (repl.child_pid) {
        int status;
        pid_t p = waitpid(repl.child_pid, &status, WNOHANG);
        if (p == repl.child_pid || (p < 0 && errno == ECHILD)) {
            int ok = p > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
            if (ok) kl_log(LL_NOTICE, sync_round.socket ? "Background RDB transfer terminated with success"
                                                         : "Background saving terminated with success");
            else kl_log(LL_WARNING, sync_round.socket ? "Background transfer error"
                                                       : "Background saving error");
            repl.child_pid = 0;
            sync_round.child_done = 1;
            sync_round.child_ok = ok;
        }
    }
    if (sync_round.child_done && !sync_round.pipe_open) sync_round_finish();
}

/* Throttled pipe reading resumes once every replica of the round drained. */
static void pipe_flow_control(void) {
    if (!sync_round.pipe_open || sync_round.pipe_eof) return;
    int throttled = round_throttled();
    if (throttled && sync_round.reading) {
        uv_read_stop((uv_stream_t *)&sync_round.pipe);
        sync_round.reading = 0;
    } else if (!throttled && !sync_round.reading) {
        uv_read_start((uv_stream_t *)&sync_round.pipe, on_pipe_alloc, on_pipe_read);
        sync_round.reading = 1;
    }
}

/* ================================================================== WAIT */

static long long count_acks(long long off) {
    long long n = 0;
    for (replica_info *r = replicas; r; r = r->next)
        if (r->state == REPLICA_ONLINE && r->ack_off >= off) n++;
    return n;
}

static void waiter_remove_at(int i) {
    waiters[i] = waiters[--nwaiters];
    if (!nwaiters) {
        kl_free(waiters);
        waiters = NULL;
    }
}

static void wait_timeout(client *c) {
    for (int i = 0; i < nwaiters; i++) {
        if (waiters[i].id != c->id) continue;
        reply_long_long(c, count_acks(waiters[i].woff));
        waiter_remove_at(i);
        return;
    }
    reply_long_long(c, count_acks(repl.master_repl_offset));
}

/* Answer WAIT clients whose target is reached; their pipelined input then runs. */
static void serve_waiters(void) {
    for (int i = 0; i < nwaiters;) {
        client *c = client_by_id(waiters[i].id);
        if (!c || !(c->flags & CLIENT_BLOCKED) || c->closing) {
            waiter_remove_at(i);
            continue;
        }
        long long n = count_acks(waiters[i].woff);
        if (n < waiters[i].need) {
            i++;
            continue;
        }
        waiter_remove_at(i);
        reply_long_long(c, n);
        blocking_forget(c);
        client *cur = server.current_client;
        process_input(c);
        server.current_client = cur;
    }
}

static long long client_woff(client *c) { return c->woff; }

static void cmd_wait(client *c) {
    if (replica_is_replica()) {
        reply_error(c, "ERR WAIT cannot be used with replica instances. Please also note that "
                    "since Redis 4.0 if a replica is configured to be writable (which is not the "
                    "default) writes to replicas are just local and are not propagated.");
        return;
    }
    long long deadline, need;
    if (arg_to_timeout_ms(c, &c->argv[2], 0, &deadline) < 0) return;
    if (arg_to_ll(c, &c->argv[1], &need) < 0) return;
    long long woff = client_woff(c);
    long long acks = count_acks(woff);
    if (acks >= need || !blocking_allowed(c)) {
        reply_long_long(c, acks);
        return;
    }
    block_on_keys(c, NULL, 0, deadline, wait_timeout);
    waiters = kl_realloc(waiters, sizeof(waiter) * (size_t)(nwaiters + 1));
    waiters[nwaiters++] = (waiter){c->id, woff, need};
    feed_simple("REPLCONF", "GETACK", "*");
}

/* ================================================================== timer */

static void on_tick(uv_timer_t *t) {
    repl_check_child();
    maybe_start_sync();
    pipe_flow_control();
    int busy = disk_stream_step();
    if (nwaiters) serve_waiters();
    int waiting = 0;
    for (replica_info *r = replicas; r; r = r->next)
        if (r->state == REPLICA_WAIT_BGSAVE_START) waiting = 1;
    if (!busy && !waiting && !repl.child_pid && !sync_round.pipe_open && !sync_round.child_done)
        uv_timer_stop(t);
}

static void repl_kick(void) {
    if (!tick_init) {
        uv_timer_init(server.loop, &tick);
        tick_init = 1;
    }
    if (!uv_is_active((uv_handle_t *)&tick)) uv_timer_start(&tick, on_tick, 0, REPL_TICK_MS);
}

/* ================================================================== SYNC / PSYNC */

/* +CONTINUE when the history matches and the offset is in the backlog. 0 if served. */
static int try_partial(client *c, const resp_arg *id, long long off) {
    const char *rid = id->ptr;
    int is_main = id->len == 40 && memcmp(rid, repl.replid, 40) == 0;
    int is_old = id->len == 40 && memcmp(rid, repl.replid2, 40) == 0;
    if (!is_main) {
        if (!is_old) {
            if (!(id->len == 1 && rid[0] == '?'))
                kl_log(LL_NOTICE, "Partial resynchronization not accepted: Replication ID mismatch "
                       "(Replica asked for '%.*s', my replication IDs are '%s' and '%s')",
                       (int)(id->len > 64 ? 64 : id->len), rid, repl.replid, repl.replid2);
            else
                kl_log(LL_NOTICE, "Full resync requested by replica %s", c->addr);
            return -1;
        }
        if (off > repl.second_repl_offset) {
            kl_log(LL_NOTICE, "Partial resynchronization not accepted: Requested offset for second "
                   "ID was %lld, but I can reply up to %lld", off, repl.second_repl_offset);
            return -1;
        }
    }
    repl_backlog *b = repl.backlog;
    if (!b || off < b->offset || off > b->offset + b->histlen) {
        kl_log(LL_NOTICE, "Unable to partial resync with replica %s for lack of backlog "
               "(Replica request was: %lld).", c->addr, off);
        if (off > repl.master_repl_offset)
            kl_log(LL_WARNING, "Warning: replica %s tried to PSYNC with an offset that is greater "
                   "than the master replication offset.", c->addr);
        return -1;
    }
    replica_info *r = replica_attach(c);
    r->state = REPLICA_ONLINE;
    char line[128];
    if (r->capa_psync2) snprintf(line, sizeof(line), "+CONTINUE %s\r\n", repl.replid);
    else snprintf(line, sizeof(line), "+CONTINUE\r\n");
    reply_raw(c, line, strlen(line));
    long long sent = b->offset + b->histlen - off;
    backlog_send_from(c, off);
    kl_log(LL_NOTICE, "Partial resynchronization request from %s accepted. Sending %lld bytes of "
           "backlog starting from offset %lld.", replica_name(r), sent, off);
    refresh_good_replicas();
    return 0;
}

static void cmd_sync(client *c) {
    if (c->flags & CLIENT_REPLICA) return;
    if (replica_is_replica() && !replica_link_up()) {
        reply_error(c, "NOMASTERLINK Can't SYNC while not connected with my master");
        return;
    }
    if (c->reply_bytes) {
        reply_error(c, "ERR SYNC and PSYNC are invalid with pending output");
        return;
    }
    int psync = arg_is(&c->argv[0], "psync");
    long long off = 0;
    if (psync && arg_to_ll(c, &c->argv[2], &off) < 0) return;
    kl_log(LL_NOTICE, "Replica %s asks for synchronization", c->addr);
    if (psync) {
        if (try_partial(c, &c->argv[1], off) == 0) {
            repl.sync_partial_ok++;
            return;
        }
        if (!(c->argv[1].len == 1 && c->argv[1].ptr[0] == '?')) repl.sync_partial_err++;
    }
    repl.sync_full++;
    replica_info *r = replica_attach(c);
    r->pre_psync = !psync;
    r->state = REPLICA_WAIT_BGSAVE_START;
    r->wait_since = mstime();
    repl_kick();
}

/* ================================================================== REPLCONF */

static void set_listening_port(client *c, presync *p, long long v) {
    if (c->replica) c->replica->port = (int)v;
    else p->port = (int)v;
}

/* Applies one option pair; returns 1 when REPLCONF must end without a reply, -1 on error. */
static int replconf_option(client *c, const resp_arg *k, const resp_arg *v) {
    presync *p = c->replica ? NULL : presync_find(c->id, 1);
    replica_info *r = c->replica;
    if (arg_is(k, "listening-port")) {
        long long port;
        if (arg_to_ll(c, v, &port) < 0) return -1;
        set_listening_port(c, p, port);
    } else if (arg_is(k, "ip-address")) {
        if (v->len >= 64) {
            reply_errorf(c, "ERR REPLCONF ip-address provided by replica instance is too long: "
                         "%zu bytes", v->len);
            return -1;
        }
        char *dst = r ? r->ip : p->ip;
        memcpy(dst, v->ptr, v->len);
        dst[v->len] = '\0';
    } else if (arg_is(k, "capa")) {
        if (arg_is(v, "eof")) *(r ? &r->capa_eof : &p->capa_eof) = 1;
        else if (arg_is(v, "psync2")) *(r ? &r->capa_psync2 : &p->capa_psync2) = 1;
    } else if (arg_is(k, "ack")) {
        long long off;
        if (!r || !str_to_ll(v->ptr, v->len, &off)) return 1;
        if (off > r->ack_off) r->ack_off = off;
        r->ack_ms = mstime();
        refresh_good_replicas();
        if (nwaiters) repl_kick();
        return 1;
    } else if (arg_is(k, "getack")) {
        return 1;   /* answered by the replica side when this node is a replica */
    } else if (arg_is(k, "rdb-only")) {
        long long on;
        if (arg_to_ll_range(c, v, 0, 1, &on, "ERR value is out of range, value must between 0 and 1") < 0)
            return -1;
        *(r ? &r->rdb_only : &p->rdb_only) = (int)on;
    } else if (arg_is(k, "rdb-filter-only")) {
        /* Only "functions" exists in Redis 7.0; keel has no functions to filter. */
    } else {
        reply_errorf(c, "ERR Unrecognized REPLCONF option: %.*s", (int)(k->len > 128 ? 128 : k->len),
                     k->ptr);
        return -1;
    }
    return 0;
}

static void cmd_replconf(client *c) {
    if (c->argc % 2 == 0) {
        reply_error_syntax(c);
        return;
    }
    for (int i = 1; i < c->argc; i += 2) {
        int rc = replconf_option(c, &c->argv[i], &c->argv[i + 1]);
        if (rc != 0) return;
    }
    reply_ok(c);
}

/* ================================================================== ROLE and INFO */

static void cmd_role(client *c) { repl_reply_role(c); }

void repl_reply_role(client *c) {
    if (replica_is_replica()) {
        replica_reply_role(c);
        return;
    }
    reply_array_len(c, 3);
    reply_bulk_cstr(c, "master");
    reply_long_long(c, repl.master_repl_offset);
    void *h = reply_deferred(c);
    long long n = 0;
    for (replica_info *r = replicas; r; r = r->next) {
        if (r->state != REPLICA_ONLINE) continue;
        char ip[64];
        reply_array_len(c, 3);
        reply_bulk_cstr(c, replica_ip(r, ip, sizeof(ip)));
        reply_bulk_ll(c, r->port);
        reply_bulk_ll(c, r->ack_off);
        n++;
    }
    reply_set_deferred_array(c, h, n);
}

static const char *replica_state_name(int st) {
    switch (st) {
    case REPLICA_SEND_BULK: return "send_bulk";
    case REPLICA_ONLINE: return "online";
    default: return "wait_bgsave";
    }
}

static dstr info_replicas(dstr s) {
    s = dstr_catfmt(s, "connected_slaves:%d\r\n", repl.nreplicas);
    if (server.cfg.min_replicas_to_write && server.cfg.min_replicas_max_lag)
        s = dstr_catfmt(s, "min_slaves_good_slaves:%d\r\n", repl.good_replicas);
    long long now = mstime();
    int i = 0;
    for (replica_info *r = replicas; r; r = r->next) {
        char ip[64];
        long long lag = r->state == REPLICA_ONLINE ? (now - r->ack_ms) / 1000 : 0;
        s = dstr_catfmt(s, "slave%d:ip=%s,port=%d,state=%s,offset=%lld,lag=%lld\r\n", i++,
                        replica_ip(r, ip, sizeof(ip)), r->port, replica_state_name(r->state),
                        r->ack_off, lag);
    }
    return s;
}

dstr repl_info(dstr s) {
    if (replica_is_replica()) {
        s = dstr_cat(s, "role:slave\r\n");
        s = replica_info_fields(s);
    } else {
        s = dstr_cat(s, "role:master\r\n");
    }
    s = info_replicas(s);
    repl_backlog *b = repl.backlog;
    return dstr_catfmt(s, "master_failover_state:no-failover\r\nmaster_replid:%s\r\n"
        "master_replid2:%s\r\nmaster_repl_offset:%lld\r\nsecond_repl_offset:%lld\r\n"
        "repl_backlog_active:%d\r\nrepl_backlog_size:%lld\r\n"
        "repl_backlog_first_byte_offset:%lld\r\nrepl_backlog_histlen:%lld\r\n",
        repl.replid, repl.replid2, repl.master_repl_offset, repl.second_repl_offset,
        b != NULL, b ? b->size : server.cfg.repl_backlog_size, b ? b->offset : 0,
        b ? b->histlen : 0);
}

/* ================================================================== cron, init */

static void cron_replicas(long long now) {
    for (replica_info *r = replicas; r; r = r->next) {
        int waiting = r->state == REPLICA_WAIT_BGSAVE_START ||
                      (r->state == REPLICA_WAIT_BGSAVE_END && !sync_round.socket);
        if (waiting) reply_raw(r->c, "\n", 1);   /* keepalive the replica skips */
        if (r->state == REPLICA_ONLINE && !r->pre_psync &&
            now - r->ack_ms > server.cfg.repl_timeout * 1000) {
            kl_log(LL_WARNING, "Disconnecting timedout replica (streaming sync): %s",
                   replica_name(r));
            client_close_async(r->c);
        }
    }
}

static void cron_backlog(long long now) {
    if (!repl.backlog) return;
    if (repl.backlog->size != server.cfg.repl_backlog_size && server.cfg.repl_backlog_size > 0)
        backlog_resize(server.cfg.repl_backlog_size);
    long long ttl = server.cfg.repl_backlog_ttl;
    if (repl.nreplicas == 0 && !replica_is_replica() && ttl > 0 &&
        now - repl.backlog_idle_since > ttl * 1000) {
        repl_new_replid();
        repl_clear_replid2();
        backlog_free(repl.backlog);
        repl.backlog = NULL;
        kl_log(LL_NOTICE, "Replication backlog freed after %lld seconds without connected replicas.",
               ttl);
    }
}

void repl_cron(void) {
    static long long loops;
    long long now = mstime();
    long long period = server.cfg.repl_ping_replica_period;
    if (replicas && !replica_is_replica() && period > 0 && loops % period == 0)
        feed_simple("PING", NULL, NULL);
    loops++;
    cron_replicas(now);
    cron_backlog(now);
    refresh_good_replicas();
    int j = 0;
    for (int i = 0; i < npresync; i++)
        if (client_by_id(presyncs[i].id)) presyncs[j++] = presyncs[i];
    npresync = j;
    for (replica_info *r = replicas; r; r = r->next)
        if (r->state == REPLICA_WAIT_BGSAVE_START) repl_kick();
}

void repl_init(void) {
    memset(&repl, 0, sizeof(repl));
    repl_new_replid();
    repl_clear_replid2();
    repl.last_db = -1;
    if (server.cfg.replicaof && *server.cfg.replicaof) {
        char host[256];
        int port;
        if (sscanf(server.cfg.replicaof, "%255s %d", host, &port) == 2)
            replica_set_primary(host, port);
    }
}

void repl_free(void) {
    if (repl.child_pid) {
        kill(repl.child_pid, SIGKILL);
        waitpid(repl.child_pid, NULL, 0);
        repl.child_pid = 0;
        if (!sync_round.socket) unlink(sync_round.tmpfile);
    }
    while (replicas) {
        client *c = replicas->c;
        repl_replica_gone(c);
    }
    backlog_free(repl.backlog);
    repl.backlog = NULL;
    kl_free(waiters);
    waiters = NULL;
    nwaiters = 0;
}

/* ================================================================== command table */

static const char *wait_tips[] = {"request_policy:all_shards", "response_policy:agg_min", NULL};

command repl_commands[] = {
    {.name = "sync", .proc = cmd_sync, .arity = 1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_NO_ASYNC_LOADING | CMD_NO_MULTI,
     .group = "server", .since = "1.0.0", .summary = "Internal command used for replication"},
    {.name = "psync", .proc = cmd_sync, .arity = -3,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_NO_ASYNC_LOADING | CMD_NO_MULTI,
     .group = "server", .since = "2.8.0", .summary = "Internal command used for replication"},
    {.name = "replconf", .proc = cmd_replconf, .arity = -1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_ALLOW_BUSY,
     .group = "server", .since = "3.0.0",
     .summary = "An internal command for configuring the replication stream",
     .complexity = "O(1)"},
    {.name = "wait", .proc = cmd_wait, .arity = 3, .flags = CMD_NOSCRIPT,
     .acl = ACL_SLOW | ACL_CONNECTION, .group = "generic", .since = "3.0.0",
     .summary = "Wait for the synchronous replication of all the write commands sent in the "
                "context of the current connection",
     .complexity = "O(1)", .tips = wait_tips},
    {.name = "role", .proc = cmd_role, .arity = 1,
     .flags = CMD_NOSCRIPT | CMD_LOADING | CMD_STALE | CMD_FAST,
     .acl = ACL_ADMIN | ACL_FAST | ACL_DANGEROUS, .group = "server", .since = "2.8.12",
     .summary = "Return the role of the instance in the context of replication",
     .complexity = "O(1)"},
    {.name = NULL},
};
