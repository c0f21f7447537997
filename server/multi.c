/* multi.c -- transactions: MULTI/EXEC/DISCARD and optimistic locking with WATCH/UNWATCH.
 *
 * A client in MULTI gets a multi_state holding owned copies of every queued command (the
 * argv slices of the dispatcher point into the query buffer, which moves). EXEC runs the
 * queue through call_command with the client's argv swapped in, one reply array.
 *
 * WATCH bookkeeping: one server-wide dict maps "db id + key" to a watched_key holding the
 * list of clients watching it, and each watched_key is also linked in a per-database list
 * so FLUSHDB/SWAPDB visit only that database's watched keys. Each client keeps the list of
 * its watch nodes. Touching a key costs one dict lookup (none when nothing is watched) plus
 * O(watchers of that key). As Redis 7.0: a key already logically expired when WATCHed is
 * flagged; its deletion (expiry, DEL, flush) is then no change, while writing it is. A key
 * that expires after WATCH makes EXEC fail.
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <stdint.h>
#include <string.h>

#include "common/alloc.h"
#include "server/multi.h"

/* ------------------------------------------------------------------ state */

typedef struct watched_key watched_key;

typedef struct watch_node {            /* one client watching one key */
    watched_key *wk;
    client *c;
    struct watch_node *key_prev, *key_next;   /* the key's watchers */
    struct watch_node *cl_next;               /* the client's watches */
    int expired;                              /* logically expired when WATCHed */
} watch_node;

struct watched_key {
    dict_entry *entry;                 /* in watched_keys: key bytes = dbid(4) + name */
    db *d;
    watch_node *watchers;
    watched_key *db_prev, *db_next;    /* watched keys of the same database */
};

typedef struct queued_cmd {
    command *cmd;
    int argc;
    resp_arg *argv;                    /* argv and the argument bytes: one allocation */
} queued_cmd;

struct multi_state {
    queued_cmd *queue;
    int count, cap;
    int dirty_exec;                    /* a command was rejected while queuing */
    int dirty_cas;                     /* a watched key was touched */
    int in_exec;
    watch_node *watches;
};

static dict *watched_keys;             /* dbid + key -> watched_key * */
static watched_key **db_watched;       /* per database id: list of watched keys */
static int db_watched_n;
static command *cmd_exec, *cmd_discard, *cmd_multi, *cmd_watch, *cmd_quit, *cmd_reset;

#define DBID_LEN 4

static struct multi_state *mstate_get(client *c) {
    if (!c->mstate) c->mstate = kl_calloc(1, sizeof(struct multi_state));
    return c->mstate;
}

/* Build "dbid + key" into buf (or a heap buffer when too long; the caller frees if != buf). */
static char *watch_key_build(char *buf, size_t bufsz, int dbid, const char *key, size_t len) {
    char *p = len + DBID_LEN <= bufsz ? buf : kl_malloc(len + DBID_LEN);
    int32_t id = dbid;
    memcpy(p, &id, DBID_LEN);
    memcpy(p + DBID_LEN, key, len);
    return p;
}

static const char *wk_name(const watched_key *wk) { return wk->entry->key + DBID_LEN; }
static size_t wk_len(const watched_key *wk) { return wk->entry->klen - DBID_LEN; }

/* ------------------------------------------------------------------ queue */

static void queue_free(queued_cmd *q, int count) {
    for (int i = 0; i < count; i++) kl_free(q[i].argv);
    kl_free(q);
}

static void queue_add(struct multi_state *ms, command *cmd, int argc, const resp_arg *argv) {
    if (ms->count == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 8;
        ms->queue = kl_realloc(ms->queue, (size_t)ms->cap * sizeof(queued_cmd));
    }
    size_t bytes = (size_t)argc * sizeof(resp_arg);
    for (int i = 0; i < argc; i++) bytes += argv[i].len + 1;
    resp_arg *copy = kl_malloc(bytes);
    char *p = (char *)(copy + argc);
    for (int i = 0; i < argc; i++) {
        memcpy(p, argv[i].ptr, argv[i].len);
        p[argv[i].len] = '\0';
        copy[i].ptr = p;
        copy[i].len = argv[i].len;
        p += argv[i].len + 1;
    }
    ms->queue[ms->count++] = (queued_cmd){.cmd = cmd, .argc = argc, .argv = copy};
}

/* ------------------------------------------------------------------ watch */

static void watched_key_unlink(watched_key *wk) {
    int id = wk->d->id;
    if (wk->db_prev) wk->db_prev->db_next = wk->db_next;
    else db_watched[id] = wk->db_next;
    if (wk->db_next) wk->db_next->db_prev = wk->db_prev;
    dict_delete(watched_keys, wk->entry->key, wk->entry->klen);
    kl_free(wk);
}

static void watch_key(client *c, const char *key, size_t len) {
    struct multi_state *ms = mstate_get(c);
    char buf[256];
    char *k = watch_key_build(buf, sizeof(buf), c->db->id, key, len);
    dict_entry *existing = NULL;
    dict_entry *e = dict_add_raw(watched_keys, k, len + DBID_LEN, &existing);
    if (k != buf) kl_free(k);
    watched_key *wk;
    if (e) {
        wk = kl_calloc(1, sizeof(*wk));
        wk->entry = e;
        wk->d = c->db;
        e->v.val = wk;
        wk->db_next = db_watched[c->db->id];
        if (wk->db_next) wk->db_next->db_prev = wk;
        db_watched[c->db->id] = wk;
    } else {
        wk = existing->v.val;
        for (watch_node *n = wk->watchers; n; n = n->key_next)
            if (n->c == c) return;     /* already watched by this client */
    }
    watch_node *n = kl_calloc(1, sizeof(*n));
    n->wk = wk;
    n->c = c;
    n->expired = db_key_is_expired(&server.ks, c->db, key, len);
    n->key_next = wk->watchers;
    if (n->key_next) n->key_next->key_prev = n;
    wk->watchers = n;
    n->cl_next = ms->watches;
    ms->watches = n;
}

static void unwatch_all(client *c) {
    struct multi_state *ms = c->mstate;
    if (!ms) return;
    watch_node *n = ms->watches;
    while (n) {
        watch_node *next = n->cl_next;
        watched_key *wk = n->wk;
        if (n->key_prev) n->key_prev->key_next = n->key_next;
        else wk->watchers = n->key_next;
        if (n->key_next) n->key_next->key_prev = n->key_prev;
        if (!wk->watchers) watched_key_unlink(wk);
        kl_free(n);
        n = next;
    }
    ms->watches = NULL;
}

static void mark_dirty(watch_node *n) { n->c->mstate->dirty_cas = 1; }

void multi_touch_key(db *d, const char *key, size_t len) {
    if (!watched_keys || dict_size(watched_keys) == 0) return;
    char buf[256];
    char *k = watch_key_build(buf, sizeof(buf), d->id, key, len);
    dict_entry *e = dict_find(watched_keys, k, len + DBID_LEN);
    if (k != buf) kl_free(k);
    if (!e) return;
    watched_key *wk = e->v.val;
    int exists = db_peek(d, key, len) != NULL;
    for (watch_node *n = wk->watchers; n; n = n->key_next) {
        if (n->expired && !exists) {
            n->expired = 0;            /* an already expired key was deleted: no change */
            continue;
        }
        mark_dirty(n);
    }
}

/* Redis's touchAllWatchedKeysInDb: the contents of emptied go away, replaced_with (NULL
 * for a flush) takes their place. Only keys present in either database count. */
static void touch_db_generic(db *emptied, db *replaced_with) {
    if (!db_watched || emptied->id >= db_watched_n) return;
    for (watched_key *wk = db_watched[emptied->id]; wk; wk = wk->db_next) {
        const char *key = wk_name(wk);
        size_t len = wk_len(wk);
        int in_emptied = db_peek(emptied, key, len) != NULL;
        int in_new = replaced_with && db_peek(replaced_with, key, len) != NULL;
        if (!in_emptied && !in_new) continue;
        int new_expired = in_new && db_key_is_expired(&server.ks, replaced_with, key, len);
        for (watch_node *n = wk->watchers; n; n = n->key_next) {
            if (n->expired) {
                if (!in_new) {
                    n->expired = 0;    /* expired key deleted: no logical change */
                    continue;
                }
                if (new_expired) continue;
            } else if (!in_emptied && new_expired) {
                n->expired = 1;        /* a missing key replaced by an expired one */
                continue;
            }
            mark_dirty(n);
        }
    }
}

void multi_touch_db(db *d) { touch_db_generic(d, NULL); }

void multi_touch_swapped_dbs(db *a, db *b) {
    touch_db_generic(a, b);
    touch_db_generic(b, a);
}

/* EXEC fails when a key that was live at WATCH time has logically expired since. */
static int watched_key_expired(client *c) {
    for (watch_node *n = c->mstate->watches; n; n = n->cl_next) {
        if (n->expired) continue;
        if (db_key_is_expired(&server.ks, n->wk->d, wk_name(n->wk), wk_len(n->wk))) return 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ client state */

/* Leave MULTI (dropping the queue) and unwatch everything. */
static void discard_transaction(client *c) {
    struct multi_state *ms = c->mstate;
    c->flags &= ~CLIENT_MULTI;
    if (!ms) return;
    queue_free(ms->queue, ms->count);
    ms->queue = NULL;
    ms->count = ms->cap = 0;
    ms->dirty_exec = ms->dirty_cas = 0;
    unwatch_all(c);
    if (!ms->in_exec) {
        kl_free(ms);
        c->mstate = NULL;
    }
}

void multi_reset_client(client *c) { discard_transaction(c); }

int multi_in_exec(const client *c) { return c->mstate && c->mstate->in_exec; }

void multi_flag_error(client *c) {
    if (!(c->flags & CLIENT_MULTI)) return;
    mstate_get(c)->dirty_exec = 1;
}

int multi_maybe_queue(client *c, command *cmd) {
    if (cmd == cmd_exec || cmd == cmd_discard || cmd == cmd_multi || cmd == cmd_watch ||
        cmd == cmd_quit || cmd == cmd_reset)
        return 0;
    struct multi_state *ms = mstate_get(c);
    if (cmd->flags & CMD_NO_MULTI) {
        cmd->rejected_calls++;
        ms->dirty_exec = 1;
        reply_error(c, "ERR Command not allowed inside a transaction");
        return 1;
    }
    /* Redis refuses to grow a transaction while over maxmemory. The dispatcher evicts
     * only for CMD_DENYOOM commands, so refuse here when nothing can be evicted. */
    if (server.cfg.maxmemory && server.cfg.maxmemory_policy == MAXMEMORY_NO_EVICTION &&
        kl_used_memory() > (size_t)server.cfg.maxmemory) {
        cmd->rejected_calls++;
        ms->dirty_exec = 1;
        reply_error(c, "OOM command not allowed when used memory > 'maxmemory'.");
        return 1;
    }
    /* A transaction that will abort anyway does not need its commands. */
    if (!ms->dirty_exec && !ms->dirty_cas) queue_add(ms, cmd, c->argc, c->argv);
    reply_simple(c, "QUEUED");
    return 1;
}

/* ------------------------------------------------------------------ commands */

static void cmd_multi_proc(client *c) {
    if (c->flags & CLIENT_MULTI) {
        reply_error(c, "ERR MULTI calls can not be nested");
        return;
    }
    mstate_get(c);
    c->flags |= CLIENT_MULTI;
    reply_ok(c);
}

static void cmd_discard_proc(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        reply_error(c, "ERR DISCARD without MULTI");
        return;
    }
    discard_transaction(c);
    reply_ok(c);
}

/* Run the detached queue; the client's argv/argc/cmd are restored afterwards. */
static void exec_queue(client *c, queued_cmd *q, int count) {
    int argc = c->argc;
    resp_arg *argv = c->argv;
    command *self = c->cmd;
    reply_array_len(c, count);
    for (int i = 0; i < count; i++) {
        c->argc = q[i].argc;
        c->argv = q[i].argv;
        call_command(c, q[i].cmd);
        if (server.nmonitors && !(q[i].cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)))
            monitor_feed(c, c->argc, c->argv);
    }
    c->argc = argc;
    c->argv = argv;
    c->cmd = self;
}

static void cmd_exec_proc(client *c) {
    if (!(c->flags & CLIENT_MULTI)) {
        reply_error(c, "ERR EXEC without MULTI");
        return;
    }
    struct multi_state *ms = mstate_get(c);
    if (!ms->dirty_exec && !ms->dirty_cas && watched_key_expired(c)) ms->dirty_cas = 1;
    if (ms->dirty_exec || ms->dirty_cas) {
        if (ms->dirty_exec)
            reply_error(c, "EXECABORT Transaction discarded because of previous errors.");
        else
            reply_null_array(c);
        discard_transaction(c);
        return;
    }
    /* Detach the queue: a command of the transaction may reset the client. */
    queued_cmd *q = ms->queue;
    int count = ms->count;
    ms->queue = NULL;
    ms->count = ms->cap = 0;
    unwatch_all(c);
    c->flags &= ~CLIENT_MULTI;
    ms->in_exec = 1;
    exec_queue(c, q, count);
    ms->in_exec = 0;
    queue_free(q, count);
    discard_transaction(c);
}

static void cmd_watch_proc(client *c) {
    if (c->flags & CLIENT_MULTI) {
        reply_error(c, "ERR WATCH inside MULTI is not allowed");
        return;
    }
    /* Once dirty, more watches cannot change the outcome. */
    if (!(c->mstate && c->mstate->dirty_cas))
        for (int j = 1; j < c->argc; j++) watch_key(c, c->argv[j].ptr, c->argv[j].len);
    reply_ok(c);
}

static void cmd_unwatch_proc(client *c) {
    if (c->mstate) {
        unwatch_all(c);
        c->mstate->dirty_cas = 0;
        if (!(c->flags & CLIENT_MULTI) && !c->mstate->in_exec) discard_transaction(c);
    }
    reply_ok(c);
}

/* ------------------------------------------------------------------ init */

static const dict_type watched_dict_type = {.val_free = NULL, .nocase = 0};

void multi_init(void) {
    watched_keys = dict_new(&watched_dict_type);
    db_watched_n = server.ks.ndb;
    db_watched = kl_calloc((size_t)(db_watched_n > 0 ? db_watched_n : 1), sizeof(*db_watched));
    cmd_exec = command_lookup_name("exec", 4);
    cmd_discard = command_lookup_name("discard", 7);
    cmd_multi = command_lookup_name("multi", 5);
    cmd_watch = command_lookup_name("watch", 5);
    cmd_quit = command_lookup_name("quit", 4);
    cmd_reset = command_lookup_name("reset", 5);
}

void multi_free(void) {
    if (watched_keys) {
        /* Clients are gone by now; free any watched_key left behind. */
        dict_iter it;
        dict_iter_init(&it, watched_keys, 0);
        dict_entry *e;
        while ((e = dict_iter_next(&it))) {
            watched_key *wk = e->v.val;
            for (watch_node *n = wk->watchers, *next; n; n = next) {
                next = n->key_next;
                kl_free(n);
            }
            kl_free(wk);
        }
        dict_iter_release(&it);
        dict_free(watched_keys);
        watched_keys = NULL;
    }
    kl_free(db_watched);
    db_watched = NULL;
    db_watched_n = 0;
}

#define TX_FLAGS (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)
#define TX_FAST (TX_FLAGS | CMD_FAST | CMD_ALLOW_BUSY)

command multi_commands[] = {
    {.name = "multi", .proc = cmd_multi_proc, .arity = 1, .flags = TX_FAST,
     .acl = ACL_TRANSACTION | ACL_FAST, .group = "transactions", .since = "1.2.0",
     .summary = "Mark the start of a transaction block", .complexity = "O(1)"},
    {.name = "exec", .proc = cmd_exec_proc, .arity = 1, .flags = TX_FLAGS | CMD_SKIP_SLOWLOG,
     .acl = ACL_TRANSACTION | ACL_SLOW, .group = "transactions", .since = "1.2.0",
     .summary = "Execute all commands issued after MULTI",
     .complexity = "Depends on commands in the transaction"},
    {.name = "discard", .proc = cmd_discard_proc, .arity = 1, .flags = TX_FAST,
     .acl = ACL_TRANSACTION | ACL_FAST, .group = "transactions", .since = "2.0.0",
     .summary = "Discard all commands issued after MULTI",
     .complexity = "O(N), when N is the number of queued commands"},
    {.name = "watch", .proc = cmd_watch_proc, .arity = -2, .flags = TX_FAST,
     .acl = ACL_TRANSACTION | ACL_FAST, .firstkey = 1, .lastkey = -1, .keystep = 1,
     .group = "transactions", .since = "2.2.0",
     .summary = "Watch the given keys to determine execution of the MULTI/EXEC block",
     .complexity = "O(1) for every key."},
    {.name = "unwatch", .proc = cmd_unwatch_proc, .arity = 1, .flags = TX_FAST,
     .acl = ACL_TRANSACTION | ACL_FAST, .group = "transactions", .since = "2.2.0",
     .summary = "Forget about all watched keys", .complexity = "O(1)"},
    {.name = NULL},
};
