/* blocking.c -- clients blocked on keys (BLPOP, BLMOVE, BLMPOP, BZPOPMIN, ...).
 *
 * Each (db, key) somebody waits on has a FIFO queue of waiters in `waits` (the dict key is
 * the db id followed by the key bytes). A blocked client keeps a private copy of its argv
 * (the query buffer moves on) and one waiter per distinct key. A write to a waited key
 * puts it on the ready list; blocking_serve_ready() then re-runs, in blocking order, the
 * command of each client waiting on it while the key exists with the right type. The
 * re-run either serves the client (which is unblocked, then its pipelined input runs) or
 * calls block_on_keys again, which leaves it blocked in its place. Writes made while
 * serving (BLMOVE into another key) add ready keys that the same pass serves, so chains
 * resolve before the server sleeps. Time-outs are found by a scan of the blocked clients
 * before the loop sleeps (few clients block at once; the scan also yields the next
 * deadline for the timer).
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <string.h>

#include "common/alloc.h"
#include "server/blocking.h"
#include "server/multi.h"

typedef struct waitq waitq;

typedef struct waiter {           /* one client waiting on one key */
    struct waiter *prev, *next;
    waitq *q;
    client *c;
} waiter;

struct waitq {                    /* the clients waiting on one (db, key), oldest first */
    waiter *head, *tail;
    dstr ckey;                    /* the dict key, to delete the queue when it empties */
};

struct blocking_state {
    int argc;
    resp_arg *argv;               /* copy of the blocking command, bytes in argbuf */
    char *argbuf;
    command *cmd;
    db *db;
    long long deadline;           /* absolute ms, 0 = none */
    block_timeout_fn *on_timeout;
    int nwaiters;
    waiter **waiters;
    client *prev, *next;          /* all blocked clients, in blocking order */
};

static dict *waits;               /* ckey -> waitq * */
static dict *ready_set;           /* ckeys already on the ready list */
static dstr *ready;               /* ckeys written since the last pass */
static size_t nready, ready_cap;
static client **unblocked;        /* served clients whose pipelined input must run */
static size_t nunblocked, unblocked_cap;
static client *blocked_head, *blocked_tail;
static size_t nblocked;
static int serving;
static client *reexec_client;     /* client whose command is being re-run */
static int reexec_reblocked;
static const char *reexec_key;    /* the ready key it is re-run for */
static size_t reexec_klen;

/* ------------------------------------------------------------------ keys */

static dstr ckey_new(int dbid, const char *key, size_t len) {
    dstr s = dstr_newlen(&dbid, sizeof(dbid));
    return dstr_catlen(s, key, len);
}

static void waitq_free(void *p) {
    waitq *q = p;
    dstr_free(q->ckey);
    kl_free(q);
}

static const dict_type waits_type = {waitq_free, 0};

static void waiter_remove(waiter *w) {
    waitq *q = w->q;
    if (w->prev) w->prev->next = w->next;
    else q->head = w->next;
    if (w->next) w->next->prev = w->prev;
    else q->tail = w->prev;
    kl_free(w);
    if (!q->head) dict_delete(waits, q->ckey, dstr_len(q->ckey));
}

static void waiter_add(client *c, dstr ckey) {
    dict_entry *e = dict_find(waits, ckey, dstr_len(ckey));
    waitq *q;
    if (e) {
        q = e->v.val;
    } else {
        q = kl_calloc(1, sizeof(*q));
        q->ckey = dstr_dup(ckey);
        dict_add(waits, ckey, dstr_len(ckey), q);
    }
    waiter *w = kl_calloc(1, sizeof(*w));
    w->c = c;
    w->q = q;
    w->prev = q->tail;
    if (q->tail) q->tail->next = w;
    else q->head = w;
    q->tail = w;
    c->bstate->waiters[c->bstate->nwaiters++] = w;
}

/* ------------------------------------------------------------------ block / unblock */

static void copy_argv(struct blocking_state *bs, const client *c) {
    size_t total = 0;
    for (int i = 0; i < c->argc; i++) total += c->argv[i].len + 1;
    bs->argc = c->argc;
    bs->argv = kl_malloc(sizeof(resp_arg) * (size_t)c->argc);
    bs->argbuf = kl_malloc(total ? total : 1);
    char *p = bs->argbuf;
    for (int i = 0; i < c->argc; i++) {
        memcpy(p, c->argv[i].ptr, c->argv[i].len);
        p[c->argv[i].len] = '\0';
        bs->argv[i].ptr = p;
        bs->argv[i].len = c->argv[i].len;
        p += c->argv[i].len + 1;
    }
}

static int key_seen(client *c, int upto, const int *key_idx, int k) {
    for (int j = 0; j < upto; j++) {
        const resp_arg *a = &c->argv[key_idx[j]], *b = &c->argv[key_idx[k]];
        if (a->len == b->len && memcmp(a->ptr, b->ptr, a->len) == 0) return 1;
    }
    return 0;
}

void block_on_keys(client *c, const int *key_idx, int nkeys, long long deadline_ms,
                   block_timeout_fn *on_timeout) {
    if (c == reexec_client) {
        reexec_reblocked = 1;   /* re-run found nothing: keep its place and deadline */
        return;
    }
    struct blocking_state *bs = kl_calloc(1, sizeof(*bs));
    c->bstate = bs;
    copy_argv(bs, c);
    bs->cmd = c->cmd;
    bs->db = c->db;
    bs->deadline = deadline_ms;
    bs->on_timeout = on_timeout;
    bs->waiters = kl_malloc(sizeof(waiter *) * (size_t)(nkeys > 0 ? nkeys : 1));
    for (int k = 0; k < nkeys; k++) {
        if (key_seen(c, k, key_idx, k)) continue;
        const resp_arg *a = &c->argv[key_idx[k]];
        dstr ck = ckey_new(c->db->id, a->ptr, a->len);
        waiter_add(c, ck);
        dstr_free(ck);
    }
    bs->prev = blocked_tail;
    if (blocked_tail) blocked_tail->bstate->next = c;
    else blocked_head = c;
    blocked_tail = c;
    nblocked++;
    c->flags |= CLIENT_BLOCKED;
}

/* Drop c's blocking state; queue it to run its pipelined input when run_input. */
static void unblock(client *c, int run_input) {
    struct blocking_state *bs = c->bstate;
    for (int i = 0; i < bs->nwaiters; i++) waiter_remove(bs->waiters[i]);
    if (bs->prev) bs->prev->bstate->next = bs->next;
    else blocked_head = bs->next;
    if (bs->next) bs->next->bstate->prev = bs->prev;
    else blocked_tail = bs->prev;
    nblocked--;
    kl_free(bs->waiters);
    kl_free(bs->argv);
    kl_free(bs->argbuf);
    kl_free(bs);
    c->bstate = NULL;
    c->flags &= ~CLIENT_BLOCKED;
    if (!run_input) return;
    if (nunblocked == unblocked_cap) {
        unblocked_cap = unblocked_cap ? unblocked_cap * 2 : 16;
        unblocked = kl_realloc(unblocked, sizeof(client *) * unblocked_cap);
    }
    unblocked[nunblocked++] = c;
}

int blocking_allowed(client *c) {
    return !(c->flags & CLIENT_FAKE) && !multi_in_exec(c);
}

void blocking_forget(client *c) {
    if (c->bstate) unblock(c, 0);
    for (size_t i = 0; i < nunblocked; i++) {
        if (unblocked[i] != c) continue;
        memmove(unblocked + i, unblocked + i + 1, (nunblocked - i - 1) * sizeof(client *));
        nunblocked--;
        break;
    }
}

/* ------------------------------------------------------------------ serving */

void blocking_signal_key(db *d, const char *key, size_t len) {
    if (!nblocked) return;
    dstr ck = ckey_new(d->id, key, len);
    if (!dict_find(waits, ck, dstr_len(ck)) || dict_find(ready_set, ck, dstr_len(ck))) {
        dstr_free(ck);
        return;
    }
    dict_add(ready_set, ck, dstr_len(ck), NULL);
    if (nready == ready_cap) {
        ready_cap = ready_cap ? ready_cap * 2 : 16;
        ready = kl_realloc(ready, sizeof(dstr) * ready_cap);
    }
    ready[nready++] = ck;
}

/* The type a blocked command waits for (sorted-set commands wait for zsets). */
static int wanted_type(const struct blocking_state *bs) {
    return bs->cmd->group && strcmp(bs->cmd->group, "sorted-set") == 0 ? OBJ_ZSET : OBJ_LIST;
}

int blocking_ready_key(const client *c, const char **key, size_t *len) {
    if (c != reexec_client) return 0;
    *key = reexec_key;
    *len = reexec_klen;
    return 1;
}

/* Run c's blocked command again for the ready key; unblock c unless it blocked again. */
static void reexec(client *c, const char *key, size_t klen) {
    struct blocking_state *bs = c->bstate;
    int argc = c->argc;
    resp_arg *argv = c->argv;
    db *cdb = c->db;
    client *current = server.current_client;
    c->argc = bs->argc;
    c->argv = bs->argv;
    c->db = bs->db;
    server.current_client = c;
    reexec_client = c;
    reexec_reblocked = 0;
    reexec_key = key;
    reexec_klen = klen;
    call_command(c, bs->cmd);
    reexec_client = NULL;
    server.current_client = current;
    c->argc = argc;
    c->argv = argv;
    c->db = cdb;
    if (!reexec_reblocked) unblock(c, 1);
}

/* Serve, oldest first, the clients waiting on ckey while the key can serve them. */
static void serve_key(dstr ck) {
    dict_entry *e = dict_find(waits, ck, dstr_len(ck));
    if (!e) return;
    waitq *q = e->v.val;
    size_t n = 0;
    for (waiter *w = q->head; w; w = w->next) n++;
    client **snap = kl_malloc(sizeof(client *) * n);
    n = 0;
    for (waiter *w = q->head; w; w = w->next) snap[n++] = w->c;
    const char *key = ck + sizeof(int);
    size_t klen = dstr_len(ck) - sizeof(int);
    for (size_t i = 0; i < n; i++) {
        client *c = snap[i];
        if (!c->bstate) continue;
        obj *o = db_lookup_write(&server.ks, c->bstate->db, key, klen);
        if (!o || o->type != wanted_type(c->bstate)) break;
        reexec(c, key, klen);
    }
    kl_free(snap);
}

static void serve_ready_keys(void) {
    dstr *batch = ready;
    size_t n = nready;
    ready = NULL;
    nready = ready_cap = 0;
    dict_empty(ready_set, NULL);
    for (size_t i = 0; i < n; i++) {
        serve_key(batch[i]);
        dstr_free(batch[i]);
    }
    kl_free(batch);
}

static void run_input(client *c) {
    client *current = server.current_client;
    process_input(c);
    server.current_client = current;
}

/* Serve ready keys and run the input of unblocked clients until nothing is left. */
static void run_pending(void) {
    if (serving) return;
    serving = 1;
    for (;;) {
        if (nready) {
            serve_ready_keys();
        } else if (nunblocked) {
            client *c = unblocked[0];
            memmove(unblocked, unblocked + 1, (nunblocked - 1) * sizeof(client *));
            nunblocked--;
            run_input(c);
        } else {
            break;
        }
    }
    serving = 0;
}

void blocking_serve_ready(void) {
    if (nready || nunblocked) run_pending();
}

long long blocking_handle_timeouts(long long now_ms) {
    client *c = blocked_head;
    while (c) {
        client *next = c->bstate->next;
        if (c->bstate->deadline && c->bstate->deadline <= now_ms) {
            c->bstate->on_timeout(c);
            unblock(c, 1);
        }
        c = next;
    }
    run_pending();
    long long soonest = 0;
    for (c = blocked_head; c; c = c->bstate->next) {
        long long d = c->bstate->deadline;
        if (d && (!soonest || d < soonest)) soonest = d;
    }
    return soonest;
}

size_t blocking_count(void) { return nblocked; }

void blocking_init(void) {
    waits = dict_new(&waits_type);
    ready_set = dict_new(NULL);
}

void blocking_free(void) {
    while (blocked_head) unblock(blocked_head, 0);
    for (size_t i = 0; i < nready; i++) dstr_free(ready[i]);
    kl_free(ready);
    ready = NULL;
    nready = ready_cap = 0;
    kl_free(unblocked);
    unblocked = NULL;
    nunblocked = unblocked_cap = 0;
    if (waits) dict_free(waits);
    if (ready_set) dict_free(ready_set);
    waits = ready_set = NULL;
}
