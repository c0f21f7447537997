/* cmd_keys.c -- the generic keyspace commands: DEL, EXISTS, RENAME, COPY, MOVE, SCAN, the
 * EXPIRE/TTL family, OBJECT, DBSIZE, FLUSHDB/FLUSHALL and SWAPDB.
 *
 * Every command works on c->db through common/db.h at the single instant
 * server.ks.now_ms, so one command sees a consistent clock. Replies, errors and edge
 * cases follow Redis 7.0 (see `COMMAND DOCS <name>`). After each change of a key the
 * command calls server_key_modified (WATCH, tracking), bumps server.dirty and emits the
 * keyspace event Redis emits. Loop thread only; nothing here blocks.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/db.h"
#include "common/util.h"
#include "server/server.h"
#include "server/multi.h"

#define KEYS_ERR_SAMEOBJ "ERR source and destination objects are the same"
#define KEYS_ERR_DBRANGE "ERR DB index is out of range"

/* ------------------------------------------------------------------ helpers */

static inline const char *key_ptr(client *c, int i) { return c->argv[i].ptr; }
static inline size_t key_len(client *c, int i) { return c->argv[i].len; }

/* A read lookup that counts hits/misses but leaves the LRU/LFU clock alone (Redis's
 * LOOKUP_NOTOUCH), so TYPE, TTL or OBJECT IDLETIME do not reset the idle time. */
static obj *lookup_read_notouch(db *d, const char *key, size_t len) {
    obj *before = db_peek(d, key, len);
    uint32_t lru = before ? before->lru : 0;
    obj *o = db_lookup_read(&server.ks, d, key, len);
    if (o && o == before) o->lru = lru;
    return o;
}

static void key_changed(client *c, db *d, const char *key, size_t len, int ntype,
                        const char *event) {
    server_key_modified(c, d, key, len);
    server_notify(ntype, event, key, len, d->id);
    server.dirty++;
}

/* Parse a DB index like Redis's getIntFromObjectOrReply + selectDb. NULL after replying. */
static db *arg_to_db(client *c, const resp_arg *a) {
    long long id;
    if (arg_to_ll(c, a, &id) < 0) return NULL;
    if (id < INT_MIN || id > INT_MAX) {
        reply_error(c, "ERR value is out of range, value must between -2147483648 and "
                       "2147483647");
        return NULL;
    }
    db *d = ks_db(&server.ks, (int)id);
    if (!d) reply_error(c, KEYS_ERR_DBRANGE);
    return d;
}

/* ------------------------------------------------------------------ DEL UNLINK EXISTS TOUCH */

static void del_generic(client *c) {
    long long deleted = 0;
    for (int j = 1; j < c->argc; j++) {
        const char *k = key_ptr(c, j);
        size_t len = key_len(c, j);
        db_expire_if_needed(&server.ks, c->db, k, len);
        if (db_delete(c->db, k, len)) {
            key_changed(c, c->db, k, len, NOTIFY_GENERIC, "del");
            deleted++;
        }
    }
    reply_long_long(c, deleted);
}

static void cmd_del(client *c) { del_generic(c); }
static void cmd_unlink(client *c) { del_generic(c); }

static void cmd_exists(client *c) {
    long long n = 0;
    for (int j = 1; j < c->argc; j++)
        if (lookup_read_notouch(c->db, key_ptr(c, j), key_len(c, j))) n++;
    reply_long_long(c, n);
}

static void cmd_touch(client *c) {
    long long n = 0;
    for (int j = 1; j < c->argc; j++)
        if (db_lookup_read(&server.ks, c->db, key_ptr(c, j), key_len(c, j))) n++;
    reply_long_long(c, n);
}

static void cmd_type(client *c) {
    obj *o = lookup_read_notouch(c->db, key_ptr(c, 1), key_len(c, 1));
    reply_simple(c, o ? obj_type_name(o->type) : "none");
}

/* ------------------------------------------------------------------ RENAME COPY MOVE */

static void rename_generic(client *c, int nx) {
    const char *src = key_ptr(c, 1), *dst = key_ptr(c, 2);
    size_t slen = key_len(c, 1), dlen = key_len(c, 2);
    int samekey = slen == dlen && memcmp(src, dst, slen) == 0;

    if (!db_lookup_write(&server.ks, c->db, src, slen)) {
        reply_error(c, "ERR no such key");
        return;
    }
    if (samekey) {
        if (nx) reply_long_long(c, 0);
        else reply_ok(c);
        return;
    }
    if (db_lookup_write(&server.ks, c->db, dst, dlen)) {
        if (nx) {
            reply_long_long(c, 0);
            return;
        }
        db_delete(c->db, dst, dlen);
    }
    long long when = db_get_expire(c->db, src, slen);
    obj *o = db_take(c->db, src, slen);
    db_add(c->db, dst, dlen, o);
    if (when != -1) db_set_expire(c->db, dst, dlen, when);
    server_key_modified(c, c->db, src, slen);
    server_key_modified(c, c->db, dst, dlen);
    server_notify(NOTIFY_GENERIC, "rename_from", src, slen, c->db->id);
    server_notify(NOTIFY_GENERIC, "rename_to", dst, dlen, c->db->id);
    server.dirty++;
    if (nx) reply_long_long(c, 1);
    else reply_ok(c);
}

static void cmd_rename(client *c) { rename_generic(c, 0); }
static void cmd_renamenx(client *c) { rename_generic(c, 1); }

static void cmd_copy(client *c) {
    db *dst = c->db;
    int replace = 0;
    for (int j = 3; j < c->argc; j++) {
        if (arg_is(&c->argv[j], "replace")) {
            replace = 1;
        } else if (arg_is(&c->argv[j], "db") && j + 1 < c->argc) {
            if ((dst = arg_to_db(c, &c->argv[++j])) == NULL) return;
        } else {
            reply_error_syntax(c);
            return;
        }
    }
    const char *src = key_ptr(c, 1), *dk = key_ptr(c, 2);
    size_t slen = key_len(c, 1), dlen = key_len(c, 2);
    if (dst == c->db && slen == dlen && memcmp(src, dk, slen) == 0) {
        reply_error(c, KEYS_ERR_SAMEOBJ);
        return;
    }
    obj *o = db_lookup_read(&server.ks, c->db, src, slen);
    if (!o) {
        reply_long_long(c, 0);
        return;
    }
    long long when = db_get_expire(c->db, src, slen);
    if (db_lookup_write(&server.ks, dst, dk, dlen)) {
        if (!replace) {
            reply_long_long(c, 0);
            return;
        }
        db_delete(dst, dk, dlen);
    }
    db_add(dst, dk, dlen, obj_dup(o));
    if (when != -1) db_set_expire(dst, dk, dlen, when);
    key_changed(c, dst, dk, dlen, NOTIFY_GENERIC, "copy_to");
    reply_long_long(c, 1);
}

static void cmd_move(client *c) {
    db *src = c->db, *dst = arg_to_db(c, &c->argv[2]);
    if (!dst) return;
    if (dst == src) {
        reply_error(c, KEYS_ERR_SAMEOBJ);
        return;
    }
    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    if (!db_lookup_write(&server.ks, src, k, len) ||
        db_lookup_write(&server.ks, dst, k, len)) {
        reply_long_long(c, 0);
        return;
    }
    long long when = db_get_expire(src, k, len);
    db_add(dst, k, len, db_take(src, k, len));
    if (when != -1) db_set_expire(dst, k, len, when);
    server_key_modified(c, src, k, len);
    server_key_modified(c, dst, k, len);
    server_notify(NOTIFY_GENERIC, "move_from", k, len, src->id);
    server_notify(NOTIFY_GENERIC, "move_to", k, len, dst->id);
    server.dirty++;
    reply_long_long(c, 1);
}

/* ------------------------------------------------------------------ KEYS SCAN RANDOMKEY */

static void cmd_keys(client *c) {
    const char *pat = key_ptr(c, 1);
    size_t plen = key_len(c, 1);
    int allkeys = plen == 1 && pat[0] == '*';
    void *hdr = reply_deferred(c);
    long long n = 0;
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, c->db->keys, 1);
    while ((e = dict_iter_next(&it)) != NULL) {
        if (!allkeys && !glob_match(pat, plen, e->key, e->klen, 0)) continue;
        if (db_key_is_expired(&server.ks, c->db, e->key, e->klen)) continue;
        reply_bulk(c, e->key, e->klen);
        n++;
    }
    dict_iter_release(&it);
    reply_set_deferred_array(c, hdr, n);
}

typedef struct scan_batch {
    const dict_entry **v;
    size_t n, cap;
} scan_batch;

static void scan_collect(void *priv, const dict_entry *e) {
    scan_batch *b = priv;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->v = kl_realloc(b->v, b->cap * sizeof(*b->v));
    }
    b->v[b->n++] = e;
}

typedef struct scan_opts {
    long long count;
    const resp_arg *match, *type;
} scan_opts;

static int scan_parse_opts(client *c, scan_opts *o) {
    o->count = 10;
    o->match = o->type = NULL;
    for (int j = 2; j < c->argc; j += 2) {
        const resp_arg *a = &c->argv[j];
        if (j + 1 >= c->argc) {
            reply_error_syntax(c);
            return -1;
        }
        if (arg_is(a, "count")) {
            if (arg_to_ll(c, &c->argv[j + 1], &o->count) < 0) return -1;
            if (o->count < 1) {
                reply_error_syntax(c);
                return -1;
            }
        } else if (arg_is(a, "match")) {
            o->match = &c->argv[j + 1];
            if (o->match->len == 1 && o->match->ptr[0] == '*') o->match = NULL;
        } else if (arg_is(a, "type")) {
            o->type = &c->argv[j + 1];
        } else {
            reply_error_syntax(c);
            return -1;
        }
    }
    return 0;
}

/* Whether a collected key is reported: pattern, then expiry (deleting the key as Redis
 * does, after which e must not be touched), then type. */
static int scan_keep(client *c, const scan_opts *o, const dict_entry *e) {
    if (o->match && !glob_match(o->match->ptr, o->match->len, e->key, e->klen, 0)) return 0;
    if (db_key_is_expired(&server.ks, c->db, e->key, e->klen)) {
        db_expire_if_needed(&server.ks, c->db, e->key, e->klen);
        return 0;
    }
    if (o->type) {
        const obj *v = e->v.val;
        const char *tn = obj_type_name(v->type);
        if (!str_eq_nocase(o->type->ptr, o->type->len, tn)) return 0;
    }
    return 1;
}

static void cmd_scan(client *c) {
    unsigned long cursor;
    scan_opts o;
    if (arg_to_scan_cursor(c, &c->argv[1], &cursor) < 0 || scan_parse_opts(c, &o) < 0) return;

    /* Visit buckets until COUNT keys are collected, at most 10*COUNT buckets per call so
     * that a sparse table cannot make one call walk it all. */
    scan_batch b = {0};
    long long budget = o.count > LLONG_MAX / 10 ? LLONG_MAX : o.count * 10;
    do {
        cursor = dict_scan(c->db->keys, cursor, scan_collect, &b);
    } while (cursor && budget-- && b.n < (unsigned long long)o.count);

    char cbuf[32];
    int clen = ull_to_str(cbuf, sizeof(cbuf), cursor);
    reply_array_len(c, 2);
    reply_bulk(c, cbuf, (size_t)clen);
    void *hdr = reply_deferred(c);
    long long n = 0;
    for (size_t i = 0; i < b.n; i++) {
        const dict_entry *e = b.v[i];
        if (!scan_keep(c, &o, e)) continue;
        reply_bulk(c, e->key, e->klen);
        n++;
    }
    reply_set_deferred_array(c, hdr, n);
    kl_free(b.v);
}

static void cmd_randomkey(client *c) {
    dict_entry *e = db_random_key(&server.ks, c->db);
    if (e) reply_bulk(c, e->key, e->klen);
    else reply_null(c);
}

/* ------------------------------------------------------------------ EXPIRE family */

enum { EXP_NX = 1, EXP_XX = 2, EXP_GT = 4, EXP_LT = 8 };

static int expire_parse_flags(client *c, int *flags) {
    *flags = 0;
    for (int j = 3; j < c->argc; j++) {
        const resp_arg *a = &c->argv[j];
        if (arg_is(a, "nx")) *flags |= EXP_NX;
        else if (arg_is(a, "xx")) *flags |= EXP_XX;
        else if (arg_is(a, "gt")) *flags |= EXP_GT;
        else if (arg_is(a, "lt")) *flags |= EXP_LT;
        else {
            int l = a->len > 128 ? 128 : (int)a->len;
            reply_errorf(c, "ERR Unsupported option %.*s", l, a->ptr);
            return -1;
        }
    }
    if ((*flags & EXP_NX) && (*flags & (EXP_XX | EXP_GT | EXP_LT))) {
        reply_error(c, "ERR NX and XX, GT or LT options at the same time are not compatible");
        return -1;
    }
    if ((*flags & EXP_GT) && (*flags & EXP_LT)) {
        reply_error(c, "ERR GT and LT options at the same time are not compatible");
        return -1;
    }
    return 0;
}

/* The deterministic form Redis 7.0 propagates: PEXPIREAT key <abs ms> with the client's
 * NX/XX/GT/LT kept (PEXPIREAT itself goes as is), or DEL, UNLINK with lazyfree-lazy-expire,
 * when the time is in the past. */
static void expire_propagate(client *c, long long when, int deleted, int as_is) {
    if (deleted) {
        const cfg_param *p = cfg_find(server_config_table(), "lazyfree-lazy-expire");
        int async = p && p->storage && *(const int *)p->storage;
        resp_arg av[2] = {{(char *)(async ? "UNLINK" : "DEL"), async ? 6 : 3}, c->argv[1]};
        propagate_rewrite(c, 2, av);
        return;
    }
    if (as_is) return;
    char buf[24];
    int n = ll_to_str(buf, sizeof(buf), when);
    resp_arg *av = kl_malloc(sizeof(resp_arg) * (size_t)c->argc);
    av[0] = (resp_arg){(char *)"PEXPIREAT", 9};
    av[1] = c->argv[1];
    av[2] = (resp_arg){buf, (size_t)n};
    for (int j = 3; j < c->argc; j++) av[j] = c->argv[j];
    propagate_rewrite(c, c->argc, av);
    kl_free(av);
}

/* Whether NX/XX/GT/LT allow replacing the current expiry (-1 = none, i.e. infinite). */
static int expire_flags_allow(int flags, long long cur, long long when) {
    if ((flags & EXP_NX) && cur != -1) return 0;
    if ((flags & EXP_XX) && cur == -1) return 0;
    if ((flags & EXP_GT) && (cur == -1 || when <= cur)) return 0;
    if ((flags & EXP_LT) && cur != -1 && when >= cur) return 0;
    return 1;
}

static void expire_generic(client *c, const char *name, long long base, int seconds) {
    int flags;
    long long when;
    if (expire_parse_flags(c, &flags) < 0 || arg_to_ll(c, &c->argv[2], &when) < 0) return;
    if (seconds) {
        if (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000) goto bad_time;
        when *= 1000;
    }
    if (when > LLONG_MAX - base) goto bad_time;
    when += base;

    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    if (!db_lookup_write(&server.ks, c->db, k, len) ||
        (flags && !expire_flags_allow(flags, db_get_expire(c->db, k, len), when))) {
        reply_long_long(c, 0);
        return;
    }
    if (when <= server.ks.now_ms && !server.ks.replica_mode) {
        db_delete(c->db, k, len);
        key_changed(c, c->db, k, len, NOTIFY_GENERIC, "del");
        expire_propagate(c, when, 1, 0);
    } else {
        db_set_expire(c->db, k, len, when);
        key_changed(c, c->db, k, len, NOTIFY_GENERIC, "expire");
        expire_propagate(c, when, 0, base == 0 && !seconds);   /* PEXPIREAT as is */
    }
    reply_long_long(c, 1);
    return;
bad_time:
    reply_errorf(c, "ERR invalid expire time in '%s' command", name);
}

static void cmd_expire(client *c) { expire_generic(c, "expire", server.ks.now_ms, 1); }
static void cmd_pexpire(client *c) { expire_generic(c, "pexpire", server.ks.now_ms, 0); }
static void cmd_expireat(client *c) { expire_generic(c, "expireat", 0, 1); }
static void cmd_pexpireat(client *c) { expire_generic(c, "pexpireat", 0, 0); }

/* TTL/PTTL/EXPIRETIME/PEXPIRETIME: -2 missing, -1 no expiry. */
static void ttl_generic(client *c, int ms, int absolute) {
    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    if (!lookup_read_notouch(c->db, k, len)) {
        reply_long_long(c, -2);
        return;
    }
    long long when = db_get_expire(c->db, k, len);
    if (when == -1) {
        reply_long_long(c, -1);
        return;
    }
    long long ttl = absolute ? when : when - server.ks.now_ms;
    if (ttl < 0) ttl = 0;
    reply_long_long(c, ms ? ttl : (ttl + 500) / 1000);
}

static void cmd_ttl(client *c) { ttl_generic(c, 0, 0); }
static void cmd_pttl(client *c) { ttl_generic(c, 1, 0); }
static void cmd_expiretime(client *c) { ttl_generic(c, 0, 1); }
static void cmd_pexpiretime(client *c) { ttl_generic(c, 1, 1); }

static void cmd_persist(client *c) {
    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    if (db_lookup_write(&server.ks, c->db, k, len) && db_remove_expire(c->db, k, len)) {
        key_changed(c, c->db, k, len, NOTIFY_GENERIC, "persist");
        reply_long_long(c, 1);
    } else {
        reply_long_long(c, 0);
    }
}

/* ------------------------------------------------------------------ OBJECT */

static int policy_is_lfu(void) {
    int p = server.cfg.maxmemory_policy;
    return p == MAXMEMORY_VOLATILE_LFU || p == MAXMEMORY_ALLKEYS_LFU;
}

static int policy_is_lru_or_lfu(void) {
    int p = server.cfg.maxmemory_policy;
    return policy_is_lfu() || p == MAXMEMORY_VOLATILE_LRU || p == MAXMEMORY_ALLKEYS_LRU;
}

/* OBJECT x <key>: the value without touching it, or a null reply. */
static obj *object_lookup(client *c) {
    obj *o = lookup_read_notouch(c->db, key_ptr(c, 2), key_len(c, 2));
    if (!o) reply_null(c);
    return o;
}

static void cmd_object_encoding(client *c) {
    obj *o = object_lookup(c);
    if (o) reply_bulk_cstr(c, obj_enc_name(o));
}

/* Redis shares the integers 0..9999 (refcount INT_MAX) unless maxmemory evicts by
 * LRU/LFU; we have no shared objects but report what Redis would. */
static void cmd_object_refcount(client *c) {
    obj *o = object_lookup(c);
    if (!o) return;
    long long v;
    int shared = o->type == OBJ_STRING && o->enc == OBJ_ENC_INT && obj_get_ll(o, &v) &&
                 v >= 0 && v < 10000 && !(server.cfg.maxmemory && policy_is_lru_or_lfu());
    reply_long_long(c, shared ? INT_MAX : 1);
}

static void cmd_object_idletime(client *c) {
    obj *o = object_lookup(c);
    if (!o) return;
    if (policy_is_lfu()) {
        reply_error(c, "ERR An LFU maxmemory policy is selected, idle time not tracked. Please "
                       "note that when switching between policies at runtime LRU and LFU data "
                       "will take some time to adjust.");
        return;
    }
    reply_long_long(c, obj_idle_ms(o) / 1000);
}

static void cmd_object_freq(client *c) {
    obj *o = object_lookup(c);
    if (!o) return;
    if (!policy_is_lfu()) {
        reply_error(c, "ERR An LFU maxmemory policy is not selected, access frequency not "
                       "tracked. Please note that when switching between policies at runtime "
                       "LRU and LFU data will take some time to adjust.");
        return;
    }
    reply_long_long(c, obj_lfu_freq(o, server.cfg.lfu_decay_time));
}

static void cmd_object_help(client *c) {
    static const char *lines[] = {
        "ENCODING <key>",
        "    Return the kind of internal representation used in order to store the value",
        "    associated with a <key>.",
        "FREQ <key>",
        "    Return the access frequency index of the <key>. The returned integer is",
        "    proportional to the logarithm of the recent access frequency of the key.",
        "IDLETIME <key>",
        "    Return the idle time of the <key>, that is the approximated number of",
        "    seconds elapsed since the last access to the key.",
        "REFCOUNT <key>",
        "    Return the number of references of the value associated with the specified",
        "    <key>.",
        NULL,
    };
    reply_help(c, lines);
}

/* Container: the dispatcher normally resolves the subcommand; anything reaching here is an
 * unknown one. */
static void cmd_object(client *c) { reply_error_subcommand(c); }

/* ------------------------------------------------------------------ DBSIZE FLUSH* SWAPDB */

static void cmd_dbsize(client *c) { reply_long_long(c, (long long)db_size(c->db)); }

/* [ASYNC|SYNC]: freeing is synchronous either way, only the syntax is checked. */
static int flush_parse(client *c) {
    if (c->argc > 2 || (c->argc == 2 && !arg_is(&c->argv[1], "sync") &&
                        !arg_is(&c->argv[1], "async"))) {
        reply_error_syntax(c);
        return -1;
    }
    return 0;
}

static void cmd_flushdb(client *c) {
    if (flush_parse(c) < 0) return;
    server_db_touched(c->db);   /* breaks WATCH on its keys */
    server.dirty += db_flush(c->db);
    reply_ok(c);
}

static void cmd_flushall(client *c) {
    if (flush_parse(c) < 0) return;
    long long removed = 0;
    for (int i = 0; i < server.ks.ndb; i++) {
        db *d = &server.ks.dbs[i];
        server_db_touched(d);
        removed += db_flush(d);
    }
    server.dirty += removed + 1;
    reply_ok(c);
}

static void cmd_swapdb(client *c) {
    long long a, b;
    if (arg_to_ll_range(c, &c->argv[1], INT_MIN, INT_MAX, &a, "ERR invalid first DB index") < 0 ||
        arg_to_ll_range(c, &c->argv[2], INT_MIN, INT_MAX, &b, "ERR invalid second DB index") < 0)
        return;
    db *da = ks_db(&server.ks, (int)a), *dbb = ks_db(&server.ks, (int)b);
    if (!da || !dbb) {
        reply_error(c, KEYS_ERR_DBRANGE);
        return;
    }
    if (da != dbb) {
        /* Watchers of a key in either database see its value change. */
        multi_touch_swapped_dbs(da, dbb);
        db_swap(da, dbb);
    }
    server.dirty++;
    reply_ok(c);
}

/* ------------------------------------------------------------------ table */

static const char *tips_multi_sum[] = {"request_policy:multi_shard", "response_policy:agg_sum",
                                       NULL};
static const char *tips_keys[] = {"request_policy:all_shards", "nondeterministic_output_order",
                                  NULL};
static const char *tips_scan[] = {"nondeterministic_output", "request_policy:special", NULL};
static const char *tips_random[] = {"request_policy:all_shards", "nondeterministic_output",
                                    NULL};
static const char *tips_nondet[] = {"nondeterministic_output", NULL};
static const char *tips_all_sum[] = {"request_policy:all_shards", "response_policy:agg_sum",
                                     NULL};
static const char *tips_all_ok[] = {"request_policy:all_shards",
                                    "response_policy:all_succeeded", NULL};

#define KR (ACL_KEYSPACE | ACL_READ)
#define KW (ACL_KEYSPACE | ACL_WRITE)
#define RO_FAST (CMD_READONLY | CMD_FAST)
#define WR_FAST (CMD_WRITE | CMD_FAST)

static command object_subcommands[] = {
    {.name = "encoding", .proc = cmd_object_encoding, .arity = 3, .flags = CMD_READONLY,
     .acl = KR | ACL_SLOW, .firstkey = 2, .lastkey = 2, .keystep = 1, .group = "generic",
     .since = "2.2.3", .summary = "Inspect the internal encoding of a Redis object",
     .complexity = "O(1)", .tips = tips_nondet},
    {.name = "freq", .proc = cmd_object_freq, .arity = 3, .flags = CMD_READONLY,
     .acl = KR | ACL_SLOW, .firstkey = 2, .lastkey = 2, .keystep = 1, .group = "generic",
     .since = "4.0.0",
     .summary = "Get the logarithmic access frequency counter of a Redis object",
     .complexity = "O(1)", .tips = tips_nondet},
    {.name = "help", .proc = cmd_object_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_KEYSPACE | ACL_SLOW, .group = "generic", .since = "6.2.0",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {.name = "idletime", .proc = cmd_object_idletime, .arity = 3, .flags = CMD_READONLY,
     .acl = KR | ACL_SLOW, .firstkey = 2, .lastkey = 2, .keystep = 1, .group = "generic",
     .since = "2.2.3", .summary = "Get the time since a Redis object was last accessed",
     .complexity = "O(1)", .tips = tips_nondet},
    {.name = "refcount", .proc = cmd_object_refcount, .arity = 3, .flags = CMD_READONLY,
     .acl = KR | ACL_SLOW, .firstkey = 2, .lastkey = 2, .keystep = 1, .group = "generic",
     .since = "2.2.3", .summary = "Get the number of references to the value of the key",
     .complexity = "O(1)", .tips = tips_nondet},
    {.name = NULL},
};

command keys_commands[] = {
    {.name = "del", .proc = cmd_del, .arity = -2, .flags = CMD_WRITE, .acl = KW | ACL_SLOW,
     .firstkey = 1, .lastkey = -1, .keystep = 1, .group = "generic", .since = "1.0.0",
     .summary = "Delete a key",
     .complexity = "O(N) where N is the number of keys that will be removed. When a key to "
                   "remove holds a value other than a string, the individual complexity for "
                   "this key is O(M) where M is the number of elements in the list, set, "
                   "sorted set or hash. Removing a single key that holds a string value is "
                   "O(1).",
     .tips = tips_multi_sum},
    {.name = "unlink", .proc = cmd_unlink, .arity = -2, .flags = WR_FAST, .acl = KW | ACL_FAST,
     .firstkey = 1, .lastkey = -1, .keystep = 1, .group = "generic", .since = "4.0.0",
     .summary = "Delete a key asynchronously in another thread. Otherwise it is just as DEL, "
                "but non blocking.",
     .complexity = "O(1) for each key removed regardless of its size. Then the command does "
                   "O(N) work in a different thread in order to reclaim memory, where N is "
                   "the number of allocations the deleted objects where composed of.",
     .tips = tips_multi_sum},
    {.name = "exists", .proc = cmd_exists, .arity = -2, .flags = RO_FAST, .acl = KR | ACL_FAST,
     .firstkey = 1, .lastkey = -1, .keystep = 1, .group = "generic", .since = "1.0.0",
     .summary = "Determine if a key exists",
     .complexity = "O(N) where N is the number of keys to check.", .tips = tips_multi_sum},
    {.name = "type", .proc = cmd_type, .arity = 2, .flags = RO_FAST, .acl = KR | ACL_FAST,
     .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "generic", .since = "1.0.0",
     .summary = "Determine the type stored at key", .complexity = "O(1)"},
    {.name = "rename", .proc = cmd_rename, .arity = 3, .flags = CMD_WRITE, .acl = KW | ACL_SLOW,
     .firstkey = 1, .lastkey = 2, .keystep = 1, .group = "generic", .since = "1.0.0",
     .summary = "Rename a key", .complexity = "O(1)"},
    {.name = "renamenx", .proc = cmd_renamenx, .arity = 3, .flags = WR_FAST,
     .acl = KW | ACL_FAST, .firstkey = 1, .lastkey = 2, .keystep = 1, .group = "generic",
     .since = "1.0.0", .summary = "Rename a key, only if the new key does not exist",
     .complexity = "O(1)"},
    {.name = "copy", .proc = cmd_copy, .arity = -3, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = KW | ACL_SLOW, .firstkey = 1, .lastkey = 2, .keystep = 1, .group = "generic",
     .since = "6.2.0", .summary = "Copy a key",
     .complexity = "O(N) worst case for collections, where N is the number of nested items. "
                   "O(1) for string values."},
    {.name = "move", .proc = cmd_move, .arity = 3, .flags = WR_FAST, .acl = KW | ACL_FAST,
     .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "generic", .since = "1.0.0",
     .summary = "Move a key to another database", .complexity = "O(1)"},
    {.name = "touch", .proc = cmd_touch, .arity = -2, .flags = RO_FAST, .acl = KR | ACL_FAST,
     .firstkey = 1, .lastkey = -1, .keystep = 1, .group = "generic", .since = "3.2.1",
     .summary = "Alters the last access time of a key(s). Returns the number of existing keys "
                "specified.",
     .complexity = "O(N) where N is the number of keys that will be touched.",
     .tips = tips_multi_sum},
    {.name = "keys", .proc = cmd_keys, .arity = 2, .flags = CMD_READONLY,
     .acl = KR | ACL_SLOW | ACL_DANGEROUS, .group = "generic", .since = "1.0.0",
     .summary = "Find all keys matching the given pattern",
     .complexity = "O(N) with N being the number of keys in the database, under the "
                   "assumption that the key names in the database and the given pattern "
                   "have limited length.",
     .tips = tips_keys},
    {.name = "scan", .proc = cmd_scan, .arity = -2, .flags = CMD_READONLY,
     .acl = KR | ACL_SLOW, .group = "generic", .since = "2.8.0",
     .summary = "Incrementally iterate the keys space",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection.",
     .tips = tips_scan},
    {.name = "randomkey", .proc = cmd_randomkey, .arity = 1, .flags = CMD_READONLY,
     .acl = KR | ACL_SLOW, .group = "generic", .since = "1.0.0",
     .summary = "Return a random key from the keyspace", .complexity = "O(1)",
     .tips = tips_random},
    {.name = "expire", .proc = cmd_expire, .arity = -3, .flags = WR_FAST, .acl = KW | ACL_FAST,
     .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "generic", .since = "1.0.0",
     .summary = "Set a key's time to live in seconds", .complexity = "O(1)"},
    {.name = "pexpire", .proc = cmd_pexpire, .arity = -3, .flags = WR_FAST,
     .acl = KW | ACL_FAST, .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "generic",
     .since = "2.6.0", .summary = "Set a key's time to live in milliseconds",
     .complexity = "O(1)"},
    {.name = "expireat", .proc = cmd_expireat, .arity = -3, .flags = WR_FAST,
     .acl = KW | ACL_FAST, .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "generic",
     .since = "1.2.0", .summary = "Set the expiration for a key as a UNIX timestamp",
     .complexity = "O(1)"},
    {.name = "pexpireat", .proc = cmd_pexpireat, .arity = -3, .flags = WR_FAST,
     .acl = KW | ACL_FAST, .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "generic",
     .since = "2.6.0",
     .summary = "Set the expiration for a key as a UNIX timestamp specified in milliseconds",
     .complexity = "O(1)"},
    {.name = "ttl", .proc = cmd_ttl, .arity = 2, .flags = RO_FAST, .acl = KR | ACL_FAST,
     .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "generic", .since = "1.0.0",
     .summary = "Get the time to live for a key in seconds", .complexity = "O(1)",
     .tips = tips_nondet},
    {.name = "pttl", .proc = cmd_pttl, .arity = 2, .flags = RO_FAST, .acl = KR | ACL_FAST,
     .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "generic", .since = "2.6.0",
     .summary = "Get the time to live for a key in milliseconds", .complexity = "O(1)",
     .tips = tips_nondet},
    {.name = "expiretime", .proc = cmd_expiretime, .arity = 2, .flags = RO_FAST,
     .acl = KR | ACL_FAST, .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "generic",
     .since = "7.0.0", .summary = "Get the expiration Unix timestamp for a key",
     .complexity = "O(1)"},
    {.name = "pexpiretime", .proc = cmd_pexpiretime, .arity = 2, .flags = RO_FAST,
     .acl = KR | ACL_FAST, .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "generic",
     .since = "7.0.0",
     .summary = "Get the expiration Unix timestamp for a key in milliseconds",
     .complexity = "O(1)"},
    {.name = "persist", .proc = cmd_persist, .arity = 2, .flags = WR_FAST,
     .acl = KW | ACL_FAST, .firstkey = 1, .lastkey = 1, .keystep = 1, .group = "generic",
     .since = "2.2.0", .summary = "Remove the expiration from a key", .complexity = "O(1)"},
    {.name = "object", .proc = cmd_object, .arity = -2, .flags = 0, .acl = ACL_SLOW,
     .group = "generic", .since = "2.2.3",
     .summary = "A container for object introspection commands",
     .complexity = "Depends on subcommand.", .subcommands = object_subcommands},
    {.name = "dbsize", .proc = cmd_dbsize, .arity = 1, .flags = RO_FAST, .acl = KR | ACL_FAST,
     .group = "server", .since = "1.0.0",
     .summary = "Return the number of keys in the selected database", .complexity = "O(1)",
     .tips = tips_all_sum},
    {.name = "flushdb", .proc = cmd_flushdb, .arity = -1, .flags = CMD_WRITE,
     .acl = KW | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "1.0.0",
     .summary = "Remove all keys from the current database",
     .complexity = "O(N) where N is the number of keys in the selected database",
     .tips = tips_all_ok},
    {.name = "flushall", .proc = cmd_flushall, .arity = -1, .flags = CMD_WRITE,
     .acl = KW | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "1.0.0",
     .summary = "Remove all keys from all databases",
     .complexity = "O(N) where N is the total number of keys in all databases",
     .tips = tips_all_ok},
    {.name = "swapdb", .proc = cmd_swapdb, .arity = 3, .flags = WR_FAST,
     .acl = KW | ACL_FAST | ACL_DANGEROUS, .group = "server", .since = "4.0.0",
     .summary = "Swaps two Redis databases",
     .complexity = "O(N) where N is the count of clients watching or blocking on keys from "
                   "both databases."},
    {.name = NULL},
};
