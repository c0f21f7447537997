/* t_set.c -- the set commands: SADD/SREM/SMEMBERS/SISMEMBER/SMISMEMBER/SCARD, SPOP and
 * SRANDMEMBER, SMOVE, the SINTER/SUNION/SDIFF family with their STORE forms, SINTERCARD
 * and SSCAN, plus the object ops of OBJ_SET values.
 *
 * A set value is obj_new_typed(OBJ_SET, enc, set *) over common/types/set.h; o->enc is
 * kept in step with the set's own encoding after every change (intset -> hashtable only).
 * Replies, errors, keyspace events and the order of checks follow Redis 7.0: multi-key
 * commands check every source key's type before anything else, an empty result of a
 * STORE form deletes the destination, and a set that becomes empty is deleted ("del").
 * Loop thread only; nothing here blocks.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/db.h"
#include "common/types/set.h"
#include "common/util.h"
#include "server/server.h"
#include "server/multi.h"

/* Redis's SPOP/SRANDMEMBER strategy thresholds (ratios between count and size). */
#define SPOP_MOVE_STRATEGY_MUL 5
#define SRANDMEMBER_SUB_STRATEGY_MUL 3

/* ------------------------------------------------------------------ helpers */

static inline set *set_of(obj *o) { return o->v.ptr; }
static inline const resp_arg *arg(client *c, int i) { return &c->argv[i]; }

static size_t max_intset(void) {
    long long v = server.cfg.set_max_intset_entries;
    return v < 0 ? 0 : (size_t)v;
}

static void sync_enc(obj *o) {
    o->enc = set_is_intset(set_of(o)) ? OBJ_ENC_INTSET : OBJ_ENC_HT;
}

static obj *set_obj_new(set *s) {
    obj *o = obj_new_typed(OBJ_SET, OBJ_ENC_INTSET, s);
    sync_enc(o);
    return o;
}

static int obj_set_add(obj *o, const char *m, size_t len) {
    int added = set_add(set_of(o), m, len, max_intset());
    sync_enc(o);
    return added;
}

/* *out = the set at argv[i] (NULL if missing). -1 after replying WRONGTYPE. */
static int lookup_set(client *c, int i, int write, obj **out) {
    const resp_arg *k = arg(c, i);
    obj *o = write ? db_lookup_write(&server.ks, c->db, k->ptr, k->len)
                   : db_lookup_read(&server.ks, c->db, k->ptr, k->len);
    if (o && o->type != OBJ_SET) {
        reply_error_wrongtype(c);
        return -1;
    }
    *out = o;
    return 0;
}

static void notify(client *c, int type, const char *event, int i) {
    server_notify(type, event, arg(c, i)->ptr, arg(c, i)->len, c->db->id);
}

static void modified(client *c, int i) {
    server_key_modified(c, c->db, arg(c, i)->ptr, arg(c, i)->len);
}

/* Delete argv[i] when its set became empty; emits "del". Returns 1 if deleted. */
static int delete_if_empty(client *c, int i, obj *o) {
    if (set_size(set_of(o)) != 0) return 0;
    db_delete(c->db, arg(c, i)->ptr, arg(c, i)->len);
    notify(c, NOTIFY_GENERIC, "del", i);
    return 1;
}

static void reply_member(client *c, const set_member *m) { reply_bulk(c, m->ptr, m->len); }

/* Reply every member of s: as a RESP3 set (as_set) or an array. */
static void reply_all(client *c, set *s, int as_set) {
    if (as_set) reply_set_len(c, (long long)set_size(s));
    else reply_array_len(c, (long long)set_size(s));
    set_iter it;
    set_member m;
    set_iter_init(&it, s);
    while (set_iter_next(&it, &m)) reply_member(c, &m);
    set_iter_release(&it);
}

/* ------------------------------------------------------------------ object ops */

static void set_obj_free(obj *o) { set_free(set_of(o)); }

static obj *set_obj_dup(const obj *o) {
    obj *n = obj_new_typed(OBJ_SET, o->enc, set_dup(o->v.ptr));
    return n;
}

static size_t set_obj_usage(const obj *o) { return set_mem_usage(o->v.ptr); }

static const obj_type_ops set_ops = {set_obj_free, set_obj_dup, set_obj_usage};

void t_set_init(void) { obj_register_type(OBJ_SET, &set_ops); }

/* ------------------------------------------------------------------ SADD SREM SMOVE */

static void cmd_sadd(client *c) {
    obj *o;
    if (lookup_set(c, 1, 1, &o) < 0) return;
    if (!o) {
        o = set_obj_new(set_new());
        db_add(c->db, arg(c, 1)->ptr, arg(c, 1)->len, o);
    }
    long long added = 0;
    for (int j = 2; j < c->argc; j++) added += obj_set_add(o, arg(c, j)->ptr, arg(c, j)->len);
    if (added) {
        modified(c, 1);
        notify(c, NOTIFY_SET, "sadd", 1);
    }
    server.dirty += added;
    reply_long_long(c, added);
}

static void cmd_srem(client *c) {
    obj *o;
    if (lookup_set(c, 1, 1, &o) < 0) return;
    if (!o) {
        reply_long_long(c, 0);
        return;
    }
    long long removed = 0;
    int emptied = 0;
    for (int j = 2; j < c->argc; j++) {
        removed += set_remove(set_of(o), arg(c, j)->ptr, arg(c, j)->len);
        if (set_size(set_of(o)) == 0) {
            emptied = 1;
            break;
        }
    }
    if (removed) {
        modified(c, 1);
        notify(c, NOTIFY_SET, "srem", 1);
        if (emptied) delete_if_empty(c, 1, o);
        server.dirty += removed;
    }
    reply_long_long(c, removed);
}

static void cmd_smove(client *c) {
    obj *src, *dst;
    const resp_arg *ele = arg(c, 3);
    if (lookup_set(c, 1, 1, &src) < 0) return;
    if (!src) {
        reply_long_long(c, 0);
        return;
    }
    if (lookup_set(c, 2, 1, &dst) < 0) return;
    if (src == dst) {
        reply_long_long(c, set_contains(set_of(src), ele->ptr, ele->len));
        return;
    }
    if (!set_remove(set_of(src), ele->ptr, ele->len)) {
        reply_long_long(c, 0);
        return;
    }
    notify(c, NOTIFY_SET, "srem", 1);
    delete_if_empty(c, 1, src);
    if (!dst) {
        dst = set_obj_new(set_new());
        db_add(c->db, arg(c, 2)->ptr, arg(c, 2)->len, dst);
    }
    modified(c, 1);
    server.dirty++;
    if (obj_set_add(dst, ele->ptr, ele->len)) {
        server.dirty++;
        notify(c, NOTIFY_SET, "sadd", 2);
    }
    modified(c, 2);
    reply_long_long(c, 1);
}

/* ------------------------------------------------------------------ read-only singles */

static void cmd_sismember(client *c) {
    obj *o;
    if (lookup_set(c, 1, 0, &o) < 0) return;
    reply_long_long(c, o && set_contains(set_of(o), arg(c, 2)->ptr, arg(c, 2)->len));
}

static void cmd_smismember(client *c) {
    obj *o;
    if (lookup_set(c, 1, 0, &o) < 0) return;
    reply_array_len(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++)
        reply_long_long(c, o && set_contains(set_of(o), arg(c, j)->ptr, arg(c, j)->len));
}

static void cmd_scard(client *c) {
    obj *o;
    if (lookup_set(c, 1, 0, &o) < 0) return;
    reply_long_long(c, o ? (long long)set_size(set_of(o)) : 0);
}

/* ------------------------------------------------------------------ SPOP */

/* SPOP is random: Redis 7.0 propagates the members it removed as SREM key member, one
 * command per member; several of them go in MULTI ... EXEC (unless EXEC already wraps
 * them). Call before the member leaves the set (m may point into it). */
static void spop_prop_member(client *c, const set_member *m) {
    resp_arg av[3] = {{(char *)"SREM", 4}, *arg(c, 1), {(char *)m->ptr, m->len}};
    propagate_rewrite(c, 3, av);
}

static void spop_prop_wrap(client *c, long long count, const char *word) {
    if (count < 2 || multi_in_exec(c)) return;
    resp_arg a = {(char *)word, strlen(word)};
    propagate_rewrite(c, 1, &a);
}

/* Pop count < size members one at a time (few members leave the set). */
static void spop_some(client *c, obj *o, long long count) {
    reply_set_len(c, count);
    set_member m;
    while (count--) {
        set_random(set_of(o), &m);
        reply_member(c, &m);
        spop_prop_member(c, &m);
        set_remove(set_of(o), m.ptr, m.len);
    }
}

/* Most members leave: move the few that stay into a new set, reply what is left in the
 * old one and swap the new set in (its encoding follows the old one's, as in Redis). */
static void spop_most(client *c, obj *o, long long count) {
    set *old = set_of(o), *keep = set_new();
    if (!set_is_intset(old)) set_convert_to_dict(keep);
    size_t remaining = set_size(old) - (size_t)count;
    set_member m;
    while (set_size(keep) < remaining) {
        set_random(old, &m);
        set_add(keep, m.ptr, m.len, SIZE_MAX);
        set_remove(old, m.ptr, m.len);
    }
    reply_all(c, old, 1);
    set_iter it;
    set_iter_init(&it, old);
    while (set_iter_next(&it, &m)) spop_prop_member(c, &m);
    set_iter_release(&it);
    set_free(old);
    o->v.ptr = keep;
    sync_enc(o);
}

static void spop_with_count(client *c) {
    long long count;
    if (!str_to_ll(arg(c, 2)->ptr, arg(c, 2)->len, &count) || count < 0) {
        reply_error(c, "ERR value is out of range, must be positive");
        return;
    }
    obj *o;
    if (lookup_set(c, 1, 1, &o) < 0) return;
    if (!o || count == 0) {
        reply_set_len(c, 0);
        return;
    }
    long long size = (long long)set_size(set_of(o));
    notify(c, NOTIFY_SET, "spop", 1);
    server.dirty += count >= size ? size : count;
    if (count >= size) {
        reply_all(c, set_of(o), 1);
        db_delete(c->db, arg(c, 1)->ptr, arg(c, 1)->len);
        notify(c, NOTIFY_GENERIC, "del", 1);
        resp_arg av[2] = {{(char *)"DEL", 3}, *arg(c, 1)};
        propagate_rewrite(c, 2, av);
    } else {
        spop_prop_wrap(c, count, "MULTI");
        if ((size - count) * SPOP_MOVE_STRATEGY_MUL > count) spop_some(c, o, count);
        else spop_most(c, o, count);
        spop_prop_wrap(c, count, "EXEC");
    }
    modified(c, 1);
}

static void cmd_spop(client *c) {
    if (c->argc == 3) {
        spop_with_count(c);
        return;
    }
    if (c->argc > 3) {
        reply_error_syntax(c);
        return;
    }
    obj *o;
    if (lookup_set(c, 1, 1, &o) < 0) return;
    if (!o) {
        reply_null(c);
        return;
    }
    set_member m;
    set_random(set_of(o), &m);
    reply_member(c, &m);
    spop_prop_member(c, &m);
    set_remove(set_of(o), m.ptr, m.len);
    notify(c, NOTIFY_SET, "spop", 1);
    delete_if_empty(c, 1, o);
    modified(c, 1);
    server.dirty++;
}

/* ------------------------------------------------------------------ SRANDMEMBER */

/* Negative count: count independent picks. Streamed; stops early only if the client is
 * being dropped for its output buffer. */
static void srandmember_repeat(client *c, set *s, long long count) {
    reply_array_len(c, count);
    set_member m;
    for (long long i = 0; i < count; i++) {
        set_random(s, &m);
        reply_member(c, &m);
        if ((i & 1023) == 1023 && client_check_obuf_limits(c)) return;
    }
}

/* count < size distinct members: remove random ones from a copy when count is close to
 * size, otherwise collect random picks until count distinct. */
static void srandmember_distinct(client *c, set *s, long long count) {
    set *pick;
    set_member m;
    if ((long long)set_size(s) < count * SRANDMEMBER_SUB_STRATEGY_MUL) {
        pick = set_dup(s);
        while ((long long)set_size(pick) > count) {
            set_random(pick, &m);
            set_remove(pick, m.ptr, m.len);
        }
    } else {
        pick = set_new();
        while ((long long)set_size(pick) < count) {
            set_random(s, &m);
            set_add(pick, m.ptr, m.len, SIZE_MAX);
        }
    }
    reply_all(c, pick, 0);
    set_free(pick);
}

static void srandmember_with_count(client *c) {
    long long l;
    if (arg_to_ll(c, arg(c, 2), &l) < 0) return;
    if (l < -LONG_MAX) {
        reply_errorf(c, "ERR value is out of range, value must between %ld and %ld",
                     -LONG_MAX, LONG_MAX);
        return;
    }
    obj *o;
    if (lookup_set(c, 1, 0, &o) < 0) return;
    if (!o || l == 0) {
        reply_empty_array(c);
        return;
    }
    set *s = set_of(o);
    if (l < 0) srandmember_repeat(c, s, -l);
    else if (l == 1) srandmember_repeat(c, s, 1);
    else if (l >= (long long)set_size(s)) reply_all(c, s, 0);
    else srandmember_distinct(c, s, l);
}

static void cmd_srandmember(client *c) {
    if (c->argc == 3) {
        srandmember_with_count(c);
        return;
    }
    if (c->argc > 3) {
        reply_error_syntax(c);
        return;
    }
    obj *o;
    if (lookup_set(c, 1, 0, &o) < 0) return;
    if (!o) {
        reply_null(c);
        return;
    }
    set_member m;
    set_random(set_of(o), &m);
    reply_member(c, &m);
}

/* ------------------------------------------------------------------ SINTER SUNION SDIFF */

/* The sets named by argv[first..first+n): sets[j] is NULL for a missing key. Every key is
 * type checked first (Redis 7.0). Returns the number missing, or -1 after WRONGTYPE. */
static int collect_sets(client *c, int first, int n, int write, set **sets) {
    int missing = 0;
    for (int j = 0; j < n; j++) {
        obj *o;
        if (lookup_set(c, first + j, write, &o) < 0) return -1;
        sets[j] = o ? set_of(o) : NULL;
        missing += o == NULL;
    }
    return missing;
}

static int by_size(const void *a, const void *b) {
    size_t x = set_size(*(set *const *)a), y = set_size(*(set *const *)b);
    return x < y ? -1 : x > y;
}

typedef void member_fn(void *priv, const set_member *m);

/* Walk the intersection of n non-NULL sets (reordered smallest first), calling fn for each
 * member until limit members (0 = all). Returns how many were reported. */
static long long inter_walk(set **sets, int n, long long limit, member_fn *fn, void *priv) {
    qsort(sets, (size_t)n, sizeof(*sets), by_size);
    long long found = 0;
    set_iter it;
    set_member m;
    set_iter_init(&it, sets[0]);
    while ((limit == 0 || found < limit) && set_iter_next(&it, &m)) {
        int j = 1;
        while (j < n && (sets[j] == sets[0] || set_contains(sets[j], m.ptr, m.len))) j++;
        if (j < n) continue;
        if (fn) fn(priv, &m);
        found++;
    }
    set_iter_release(&it);
    return found;
}

static void add_to_set(void *priv, const set_member *m) {
    set_add(priv, m->ptr, m->len, max_intset());
}

static void reply_to_client(void *priv, const set_member *m) { reply_member(priv, m); }

/* Union (is_diff 0) or difference of sets[0] minus the others, as a new set. */
static set *union_or_diff(set **sets, int n, int is_diff) {
    set *res = set_new();
    set_iter it;
    set_member m;
    for (int j = 0; j < (is_diff ? 1 : n); j++) {
        if (!sets[j]) continue;
        set_iter_init(&it, sets[j]);
        while (set_iter_next(&it, &m)) {
            int k = 1;
            while (is_diff && k < n && sets[k] != sets[0] &&
                   !(sets[k] && set_contains(sets[k], m.ptr, m.len)))
                k++;
            if (!is_diff || k == n) set_add(res, m.ptr, m.len, max_intset());
        }
        set_iter_release(&it);
    }
    return res;
}

/* STORE forms: a non-empty result replaces argv[1] (dropping its TTL); an empty one
 * deletes it. Takes ownership of res. */
static void store_result(client *c, set *res, const char *event) {
    const resp_arg *k = arg(c, 1);
    if (set_size(res) > 0) {
        long long n = (long long)set_size(res);
        db_set(c->db, k->ptr, k->len, set_obj_new(res), 0);
        modified(c, 1);
        reply_long_long(c, n);
        notify(c, NOTIFY_SET, event, 1);
        server.dirty++;
        return;
    }
    set_free(res);
    reply_long_long(c, 0);
    if (db_delete(c->db, k->ptr, k->len)) {
        server.dirty++;
        modified(c, 1);
        notify(c, NOTIFY_GENERIC, "del", 1);
    }
}

enum { OP_INTER, OP_UNION, OP_DIFF };

/* The six SINTER/SUNION/SDIFF commands; sources start at argv[first]. */
static void set_op(client *c, int op, int first, const char *store_event) {
    int n = c->argc - first;
    set **sets = kl_malloc((size_t)n * sizeof(*sets));
    int missing = collect_sets(c, first, n, store_event != NULL, sets);
    if (missing < 0) goto done;
    if (op != OP_INTER) {
        set *res = union_or_diff(sets, n, op == OP_DIFF);
        if (store_event) store_result(c, res, store_event);
        else reply_all(c, res, 1);
        if (!store_event) set_free(res);
    } else if (store_event) {
        set *res = set_new();
        if (!missing) inter_walk(sets, n, 0, add_to_set, res);
        store_result(c, res, store_event);
    } else if (missing) {
        reply_set_len(c, 0);
    } else {
        void *hdr = reply_deferred(c);
        long long found = inter_walk(sets, n, 0, reply_to_client, c);
        reply_set_deferred_set(c, hdr, found);
    }
done:
    kl_free(sets);
}

static void cmd_smembers(client *c) { set_op(c, OP_INTER, 1, NULL); }
static void cmd_sinter(client *c) { set_op(c, OP_INTER, 1, NULL); }
static void cmd_sunion(client *c) { set_op(c, OP_UNION, 1, NULL); }
static void cmd_sdiff(client *c) { set_op(c, OP_DIFF, 1, NULL); }
static void cmd_sinterstore(client *c) { set_op(c, OP_INTER, 2, "sinterstore"); }
static void cmd_sunionstore(client *c) { set_op(c, OP_UNION, 2, "sunionstore"); }
static void cmd_sdiffstore(client *c) { set_op(c, OP_DIFF, 2, "sdiffstore"); }

/* ------------------------------------------------------------------ SINTERCARD */

static void cmd_sintercard(client *c) {
    long long numkeys, limit = 0;
    if (arg_to_ll_range(c, arg(c, 1), 1, LONG_MAX, &numkeys,
                        "ERR numkeys should be greater than 0") < 0)
        return;
    if (numkeys > c->argc - 2) {
        reply_error(c, "ERR Number of keys can't be greater than number of args");
        return;
    }
    for (int j = 2 + (int)numkeys; j < c->argc; j++) {
        if (arg_is(arg(c, j), "limit") && j + 1 < c->argc) {
            if (!str_to_ll(arg(c, j + 1)->ptr, arg(c, j + 1)->len, &limit) || limit < 0) {
                reply_error(c, "ERR LIMIT can't be negative");
                return;
            }
            j++;
        } else {
            reply_error_syntax(c);
            return;
        }
    }
    set **sets = kl_malloc((size_t)numkeys * sizeof(*sets));
    int missing = collect_sets(c, 2, (int)numkeys, 0, sets);
    if (missing == 0) reply_long_long(c, inter_walk(sets, (int)numkeys, limit, NULL, NULL));
    else if (missing > 0) reply_long_long(c, 0);
    kl_free(sets);
}

/* Keys of SINTERCARD numkeys key [key ...]: argv[2 .. 2+numkeys). */
static int sintercard_keys(int argc, resp_arg *argv, int *out, int max) {
    long long numkeys;
    if (argc < 3 || !str_to_ll(argv[1].ptr, argv[1].len, &numkeys) || numkeys < 1 ||
        numkeys > argc - 2)
        return 0;
    int n = 0;
    for (int j = 0; j < numkeys && n < max; j++) out[n++] = 2 + j;
    return n;
}

/* ------------------------------------------------------------------ SSCAN */

/* COUNT and MATCH from argv[3]; TYPE is SCAN-only, hence a syntax error here. */
static int sscan_opts(client *c, long long *count, const resp_arg **match) {
    *count = 10;
    *match = NULL;
    for (int j = 3; j < c->argc; j += 2) {
        if (j + 1 >= c->argc) goto syntax;
        if (arg_is(arg(c, j), "count")) {
            if (arg_to_ll(c, arg(c, j + 1), count) < 0) return -1;
            if (*count < 1) goto syntax;
        } else if (arg_is(arg(c, j), "match")) {
            *match = arg(c, j + 1);
            if ((*match)->len == 1 && (*match)->ptr[0] == '*') *match = NULL;
        } else {
            goto syntax;
        }
    }
    return 0;
syntax:
    reply_error_syntax(c);
    return -1;
}

typedef struct scan_batch {
    dstr *v;
    size_t n, cap;
} scan_batch;

static void scan_collect(void *priv, const char *m, size_t len) {
    scan_batch *b = priv;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->v = kl_realloc(b->v, b->cap * sizeof(*b->v));
    }
    b->v[b->n++] = dstr_newlen(m, len);
}

static void sscan_reply(client *c, unsigned long cursor, scan_batch *b, const resp_arg *match) {
    char cbuf[32];
    int clen = ull_to_str(cbuf, sizeof(cbuf), cursor);
    reply_array_len(c, 2);
    reply_bulk(c, cbuf, (size_t)clen);
    void *hdr = reply_deferred(c);
    long long n = 0;
    for (size_t i = 0; i < b->n; i++) {
        size_t len = dstr_len(b->v[i]);
        if (!match || glob_match(match->ptr, match->len, b->v[i], len, 0)) {
            reply_bulk(c, b->v[i], len);
            n++;
        }
        dstr_free(b->v[i]);
    }
    reply_set_deferred_array(c, hdr, n);
}

static void cmd_sscan(client *c) {
    unsigned long cursor;
    obj *o;
    long long count;
    const resp_arg *match;
    if (arg_to_scan_cursor(c, arg(c, 2), &cursor) < 0 || lookup_set(c, 1, 0, &o) < 0) return;
    if (!o) {
        reply_array_len(c, 2);
        reply_bulk(c, "0", 1);
        reply_empty_array(c);
        return;
    }
    if (sscan_opts(c, &count, &match) < 0) return;
    /* At most 10*COUNT steps per call so a sparse table cannot make one call walk it all. */
    scan_batch b = {0};
    long long budget = count > LLONG_MAX / 10 ? LLONG_MAX : count * 10;
    do {
        cursor = set_scan(set_of(o), cursor, scan_collect, &b);
    } while (cursor && budget-- && b.n < (unsigned long long)count);
    sscan_reply(c, cursor, &b, match);
    kl_free(b.v);
}

/* ------------------------------------------------------------------ table */

static const char *tips_order[] = {"nondeterministic_output_order", NULL};
static const char *tips_random[] = {"nondeterministic_output", NULL};

#define RD (ACL_READ | ACL_SET)
#define WR (ACL_WRITE | ACL_SET)
#define KEY1 .firstkey = 1, .lastkey = 1, .keystep = 1
#define KEYS_ALL .firstkey = 1, .lastkey = -1, .keystep = 1
#define SET_GROUP .group = "set"
#define INTER_CX \
    "O(N*M) worst case where N is the cardinality of the smallest set and M is the number " \
    "of sets."
#define UNION_CX "O(N) where N is the total number of elements in all given sets."

command set_commands[] = {
    {.name = "sadd", .proc = cmd_sadd, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, .acl = WR | ACL_FAST, KEY1, SET_GROUP,
     .since = "1.0.0", .summary = "Add one or more members to a set",
     .complexity = "O(1) for each element added, so O(N) to add N elements when the command "
                   "is called with multiple arguments."},
    {.name = "srem", .proc = cmd_srem, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .acl = WR | ACL_FAST, KEY1, SET_GROUP, .since = "1.0.0",
     .summary = "Remove one or more members from a set",
     .complexity = "O(N) where N is the number of members to be removed."},
    {.name = "smembers", .proc = cmd_smembers, .arity = 2, .flags = CMD_READONLY,
     .acl = RD | ACL_SLOW, KEY1, SET_GROUP, .since = "1.0.0",
     .summary = "Get all the members in a set",
     .complexity = "O(N) where N is the set cardinality.", .tips = tips_order},
    {.name = "sismember", .proc = cmd_sismember, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = RD | ACL_FAST, KEY1, SET_GROUP, .since = "1.0.0",
     .summary = "Determine if a given value is a member of a set", .complexity = "O(1)"},
    {.name = "smismember", .proc = cmd_smismember, .arity = -3,
     .flags = CMD_READONLY | CMD_FAST, .acl = RD | ACL_FAST, KEY1, SET_GROUP,
     .since = "6.2.0",
     .summary = "Returns the membership associated with the given elements for a set",
     .complexity = "O(N) where N is the number of elements being checked for membership"},
    {.name = "scard", .proc = cmd_scard, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = RD | ACL_FAST, KEY1, SET_GROUP, .since = "1.0.0",
     .summary = "Get the number of members in a set", .complexity = "O(1)"},
    {.name = "spop", .proc = cmd_spop, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = WR | ACL_FAST, KEY1, SET_GROUP, .since = "1.0.0",
     .summary = "Remove and return one or multiple random members from a set",
     .complexity = "Without the count argument O(1), otherwise O(N) where N is the value of "
                   "the passed count.", .tips = tips_random},
    {.name = "srandmember", .proc = cmd_srandmember, .arity = -2, .flags = CMD_READONLY,
     .acl = RD | ACL_SLOW, KEY1, SET_GROUP, .since = "1.0.0",
     .summary = "Get one or multiple random members from a set",
     .complexity = "Without the count argument O(1), otherwise O(N) where N is the absolute "
                   "value of the passed count.", .tips = tips_random},
    {.name = "smove", .proc = cmd_smove, .arity = 4, .flags = CMD_WRITE | CMD_FAST,
     .acl = WR | ACL_FAST, .firstkey = 1, .lastkey = 2, .keystep = 1, SET_GROUP,
     .since = "1.0.0", .summary = "Move a member from one set to another",
     .complexity = "O(1)"},
    {.name = "sinter", .proc = cmd_sinter, .arity = -2, .flags = CMD_READONLY,
     .acl = RD | ACL_SLOW, KEYS_ALL, SET_GROUP, .since = "1.0.0",
     .summary = "Intersect multiple sets", .complexity = INTER_CX, .tips = tips_order},
    {.name = "sintercard", .proc = cmd_sintercard, .arity = -3, .flags = CMD_READONLY,
     .acl = RD | ACL_SLOW, SET_GROUP, .since = "7.0.0",
     .summary = "Intersect multiple sets and return the cardinality of the result",
     .complexity = INTER_CX, .getkeys = sintercard_keys},
    {.name = "sunion", .proc = cmd_sunion, .arity = -2, .flags = CMD_READONLY,
     .acl = RD | ACL_SLOW, KEYS_ALL, SET_GROUP, .since = "1.0.0",
     .summary = "Add multiple sets", .complexity = UNION_CX, .tips = tips_order},
    {.name = "sdiff", .proc = cmd_sdiff, .arity = -2, .flags = CMD_READONLY,
     .acl = RD | ACL_SLOW, KEYS_ALL, SET_GROUP, .since = "1.0.0",
     .summary = "Subtract multiple sets", .complexity = UNION_CX, .tips = tips_order},
    {.name = "sinterstore", .proc = cmd_sinterstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = WR | ACL_SLOW, KEYS_ALL, SET_GROUP,
     .since = "1.0.0", .summary = "Intersect multiple sets and store the resulting set in a key",
     .complexity = INTER_CX},
    {.name = "sunionstore", .proc = cmd_sunionstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = WR | ACL_SLOW, KEYS_ALL, SET_GROUP,
     .since = "1.0.0", .summary = "Add multiple sets and store the resulting set in a key",
     .complexity = UNION_CX},
    {.name = "sdiffstore", .proc = cmd_sdiffstore, .arity = -3,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = WR | ACL_SLOW, KEYS_ALL, SET_GROUP,
     .since = "1.0.0", .summary = "Subtract multiple sets and store the resulting set in a key",
     .complexity = UNION_CX},
    {.name = "sscan", .proc = cmd_sscan, .arity = -3, .flags = CMD_READONLY,
     .acl = RD | ACL_SLOW, KEY1, SET_GROUP, .since = "2.8.0",
     .summary = "Incrementally iterate Set elements",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection..", .tips = tips_random},
    {.name = NULL},
};
