/* t_zset.c -- the sorted set commands: ZADD and friends, the range family (ZRANGE with
 * BYSCORE/BYLEX/REV/LIMIT, ZRANGESTORE and the legacy forms), pops (ZPOPMIN/MAX, ZMPOP
 * and the blocking BZPOPMIN/BZPOPMAX/BZMPOP), ZRANDMEMBER, the set operations
 * (ZUNION/ZINTER/ZDIFF, their STORE forms, ZINTERCARD) and ZSCAN.
 *
 * Values are common/types/zset.h objects; o->enc mirrors the zset's form after every write
 * (OBJECT ENCODING "listpack" / "skiplist"). Every range resolves to an ascending rank
 * interval first, so the reply code is shared. Replies, errors, keyspace events and edge
 * cases follow Redis 7.0, including the RESP3 shapes of WITHSCORES replies.
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/db.h"
#include "common/types/set.h"
#include "common/types/zset.h"
#include "common/util.h"
#include "server/blocking.h"
#include "server/server.h"

/* ------------------------------------------------------------------ helpers */

static zset_limits zlimits(void) {
    zset_limits l = {server.cfg.zset_max_listpack_entries, server.cfg.zset_max_listpack_value};
    return l;
}

static inline zset *zs(obj *o) { return (zset *)o->v.ptr; }

static void sync_enc(obj *o) { o->enc = zset_is_small(zs(o)) ? OBJ_ENC_LISTPACK : OBJ_ENC_SKIPLIST; }

/* Looks up argv[i]; replies WRONGTYPE and returns -1 for a non-zset. *out may be NULL. */
static int lookup_zset(client *c, int i, int write, obj **out) {
    resp_arg *k = &c->argv[i];
    obj *o = write ? db_lookup_write(&server.ks, c->db, k->ptr, k->len)
                   : db_lookup_read(&server.ks, c->db, k->ptr, k->len);
    if (o && o->type != OBJ_ZSET) {
        reply_error_wrongtype(c);
        return -1;
    }
    *out = o;
    return 0;
}

static obj *new_zset_obj(size_t first_len) {
    zset_limits l = zlimits();
    int large = l.max_entries == 0 || (long long)first_len > l.max_value;
    obj *o = obj_new_typed(OBJ_ZSET, OBJ_ENC_LISTPACK, large ? zset_new_large() : zset_new());
    sync_enc(o);
    return o;
}

static void key_event(client *c, const resp_arg *k, int type, const char *event) {
    server_key_modified(c, c->db, k->ptr, k->len);
    server_notify(type, event, k->ptr, k->len, c->db->id);
}

/* After removals: deletes the key when empty ("del" event). */
static void delete_if_empty(client *c, const resp_arg *k, obj *o) {
    if (zset_len(zs(o)) > 0) return;
    db_delete(c->db, k->ptr, k->len);
    server_notify(NOTIFY_GENERIC, "del", k->ptr, k->len, c->db->id);
}

/* One element of a WITHSCORES-style reply: RESP3 nests [member, score]. */
static void reply_elem(client *c, const char *ele, size_t len, double score, int withscores) {
    if (withscores && c->resp == 3) reply_array_len(c, 2);
    reply_bulk(c, ele, len);
    if (withscores) reply_double(c, score);
}

static void reply_elems_len(client *c, long long n, int withscores) {
    reply_array_len(c, (withscores && c->resp == 2) ? n * 2 : n);
}

static int parse_long(client *c, const resp_arg *a, long *out) {
    long long v;
    if (arg_to_ll_range(c, a, LONG_MIN, LONG_MAX, &v, NULL) < 0) return -1;
    *out = (long)v;
    return 0;
}

/* ------------------------------------------------------------------ ZADD / ZINCRBY */

typedef struct zadd_req {
    int flags, ch, nelem;
    int scoreidx;
    double *scores;
} zadd_req;

static int zadd_parse_flags(client *c, zadd_req *r) {
    int j = 2;
    r->flags = 0;
    r->ch = 0;
    for (; j < c->argc; j++) {
        resp_arg *a = &c->argv[j];
        if (arg_is(a, "nx")) r->flags |= ZADD_IN_NX;
        else if (arg_is(a, "xx")) r->flags |= ZADD_IN_XX;
        else if (arg_is(a, "gt")) r->flags |= ZADD_IN_GT;
        else if (arg_is(a, "lt")) r->flags |= ZADD_IN_LT;
        else if (arg_is(a, "ch")) r->ch = 1;
        else if (arg_is(a, "incr")) r->flags |= ZADD_IN_INCR;
        else break;
    }
    r->scoreidx = j;
    int elements = c->argc - j;
    int f = r->flags;
    if (elements % 2 || !elements) { reply_error_syntax(c); return -1; }
    if ((f & ZADD_IN_NX) && (f & ZADD_IN_XX)) {
        reply_error(c, "ERR XX and NX options at the same time are not compatible");
        return -1;
    }
    if (((f & ZADD_IN_GT) && (f & ZADD_IN_NX)) || ((f & ZADD_IN_LT) && (f & ZADD_IN_NX)) ||
        ((f & ZADD_IN_GT) && (f & ZADD_IN_LT))) {
        reply_error(c, "ERR GT, LT, and/or NX options at the same time are not compatible");
        return -1;
    }
    r->nelem = elements / 2;
    if ((f & ZADD_IN_INCR) && r->nelem > 1) {
        reply_error(c, "ERR INCR option supports a single increment-element pair");
        return -1;
    }
    return 0;
}

static void zadd_generic(client *c, zadd_req *r) {
    r->scores = kl_malloc(sizeof(double) * (size_t)r->nelem);
    for (int i = 0; i < r->nelem; i++)
        if (arg_to_double(c, &c->argv[r->scoreidx + i * 2], &r->scores[i]) < 0) goto out;
    obj *o;
    if (lookup_zset(c, 1, 1, &o) < 0) goto out;
    int incr = r->flags & ZADD_IN_INCR;
    long long added = 0, updated = 0, processed = 0;
    double score = 0;
    if (!o) {
        if (r->flags & ZADD_IN_XX) goto reply;
        o = new_zset_obj(c->argv[r->scoreidx + 1].len);
        db_add(c->db, c->argv[1].ptr, c->argv[1].len, o);
    }
    zset_limits lim = zlimits();
    for (int i = 0; i < r->nelem; i++) {
        resp_arg *m = &c->argv[r->scoreidx + i * 2 + 1];
        int out;
        if (!zset_add(zs(o), m->ptr, m->len, r->scores[i], r->flags, &out, &score, &lim)) {
            reply_error(c, "ERR resulting score is not a number (NaN)");
            goto notify;
        }
        if (out & ZADD_OUT_ADDED) added++;
        if (out & ZADD_OUT_UPDATED) updated++;
        if (!(out & ZADD_OUT_NOP)) processed++;
    }
    sync_enc(o);
reply:
    if (incr) {
        if (processed) reply_double(c, score);
        else reply_null(c);
    } else {
        reply_long_long(c, r->ch ? added + updated : added);
    }
notify:
    if (o) sync_enc(o);
    if (added || updated) {
        key_event(c, &c->argv[1], NOTIFY_ZSET, incr ? "zincr" : "zadd");
        server.dirty += added + updated;
    }
out:
    kl_free(r->scores);
}

static void cmd_zadd(client *c) {
    zadd_req r;
    if (zadd_parse_flags(c, &r) < 0) return;
    zadd_generic(c, &r);
}

static void cmd_zincrby(client *c) {
    zadd_req r = {.flags = ZADD_IN_INCR, .ch = 0, .nelem = 1, .scoreidx = 2};
    zadd_generic(c, &r);
}

/* ------------------------------------------------------------------ simple reads */

static void cmd_zcard(client *c) {
    obj *o;
    if (lookup_zset(c, 1, 0, &o) < 0) return;
    reply_long_long(c, o ? (long long)zset_len(zs(o)) : 0);
}

static void cmd_zscore(client *c) {
    obj *o;
    double s;
    if (lookup_zset(c, 1, 0, &o) < 0) return;
    if (o && zset_score(zs(o), c->argv[2].ptr, c->argv[2].len, &s)) reply_double(c, s);
    else reply_null(c);
}

static void cmd_zmscore(client *c) {
    obj *o;
    double s;
    if (lookup_zset(c, 1, 0, &o) < 0) return;
    reply_array_len(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) {
        if (o && zset_score(zs(o), c->argv[j].ptr, c->argv[j].len, &s)) reply_double(c, s);
        else reply_null(c);
    }
}

static void zrank_generic(client *c, int reverse) {
    obj *o;
    if (lookup_zset(c, 1, 0, &o) < 0) return;
    long r = o ? zset_rank(zs(o), c->argv[2].ptr, c->argv[2].len, reverse) : -1;
    if (r < 0) reply_null(c);
    else reply_long_long(c, r);
}

static void cmd_zrank(client *c) { zrank_generic(c, 0); }
static void cmd_zrevrank(client *c) { zrank_generic(c, 1); }

static int parse_score_range(client *c, int i, int j, zrange_spec *r) {
    if (zset_parse_score_range(c->argv[i].ptr, c->argv[i].len, c->argv[j].ptr, c->argv[j].len,
                               r) < 0) {
        reply_error(c, "ERR min or max is not a float");
        return -1;
    }
    return 0;
}

static int parse_lex_range(client *c, int i, int j, zlex_spec *r) {
    if (zset_parse_lex_range(c->argv[i].ptr, c->argv[i].len, c->argv[j].ptr, c->argv[j].len,
                             r) < 0) {
        reply_error(c, "ERR min or max not valid string range item");
        return -1;
    }
    return 0;
}

static void cmd_zcount(client *c) {
    zrange_spec r;
    obj *o;
    long first, last;
    if (parse_score_range(c, 2, 3, &r) < 0 || lookup_zset(c, 1, 0, &o) < 0) return;
    reply_long_long(c, o ? (long long)zset_score_range(zs(o), &r, &first, &last) : 0);
}

static void cmd_zlexcount(client *c) {
    zlex_spec r;
    obj *o;
    long first, last;
    if (parse_lex_range(c, 2, 3, &r) < 0 || lookup_zset(c, 1, 0, &o) < 0) return;
    reply_long_long(c, o ? (long long)zset_lex_range(zs(o), &r, &first, &last) : 0);
}

/* ------------------------------------------------------------------ ZREM family */

static void cmd_zrem(client *c) {
    obj *o;
    if (lookup_zset(c, 1, 1, &o) < 0) return;
    long long deleted = 0;
    if (o) {
        for (int j = 2; j < c->argc && zset_len(zs(o)) > 0; j++)
            deleted += zset_del(zs(o), c->argv[j].ptr, c->argv[j].len);
    }
    if (deleted) {
        sync_enc(o);
        key_event(c, &c->argv[1], NOTIFY_ZSET, "zrem");
        delete_if_empty(c, &c->argv[1], o);
        server.dirty += deleted;
    }
    reply_long_long(c, deleted);
}

enum { ZR_RANK, ZR_SCORE, ZR_LEX };

/* Normalizes a rank range as Redis: negative from the end, clamped. 0 when empty. */
static int clamp_ranks(long llen, long *start, long *end) {
    if (*start < 0) *start += llen;
    if (*end < 0) *end += llen;
    if (*start < 0) *start = 0;
    if (*start > *end || *start >= llen) return 0;
    if (*end >= llen) *end = llen - 1;
    return 1;
}

static void zremrange_generic(client *c, int type) {
    long start = 0, end = 0;
    zrange_spec sr;
    zlex_spec lr;
    if (type == ZR_RANK) {
        if (parse_long(c, &c->argv[2], &start) < 0 || parse_long(c, &c->argv[3], &end) < 0)
            return;
    } else if (type == ZR_SCORE) {
        if (parse_score_range(c, 2, 3, &sr) < 0) return;
    } else if (parse_lex_range(c, 2, 3, &lr) < 0) {
        return;
    }
    obj *o;
    if (lookup_zset(c, 1, 1, &o) < 0) return;
    if (!o) { reply_long_long(c, 0); return; }
    zset *z = zs(o);
    unsigned long n;
    if (type == ZR_RANK) n = clamp_ranks((long)zset_len(z), &start, &end) ? 1 : 0;
    else if (type == ZR_SCORE) n = zset_score_range(z, &sr, &start, &end);
    else n = zset_lex_range(z, &lr, &start, &end);
    unsigned long deleted = n ? zset_delete_ranks(z, start, end) : 0;
    if (deleted) {
        static const char *ev[] = {"zremrangebyrank", "zremrangebyscore", "zremrangebylex"};
        sync_enc(o);
        key_event(c, &c->argv[1], NOTIFY_ZSET, ev[type]);
        delete_if_empty(c, &c->argv[1], o);
        server.dirty += (long long)deleted;
    }
    reply_long_long(c, (long long)deleted);
}

static void cmd_zremrangebyrank(client *c) { zremrange_generic(c, ZR_RANK); }
static void cmd_zremrangebyscore(client *c) { zremrange_generic(c, ZR_SCORE); }
static void cmd_zremrangebylex(client *c) { zremrange_generic(c, ZR_LEX); }

/* ------------------------------------------------------------------ ZRANGE family */

enum { DIR_AUTO, DIR_FWD, DIR_REV };
enum { RT_AUTO = -1 };

typedef struct zrange_req {
    int keyidx, type, dir, withscores;
    long offset, limit;
    const resp_arg *dst;     /* ZRANGESTORE destination, NULL otherwise */
} zrange_req;

static int zrange_parse_opts(client *c, zrange_req *q) {
    for (int j = q->keyidx + 3; j < c->argc; j++) {
        int left = c->argc - j - 1;
        resp_arg *a = &c->argv[j];
        if (!q->dst && arg_is(a, "withscores")) {
            q->withscores = 1;
        } else if (arg_is(a, "limit") && left >= 2) {
            if (parse_long(c, &c->argv[j + 1], &q->offset) < 0 ||
                parse_long(c, &c->argv[j + 2], &q->limit) < 0)
                return -1;
            j += 2;
        } else if (q->dir == DIR_AUTO && arg_is(a, "rev")) {
            q->dir = DIR_REV;
        } else if (q->type == RT_AUTO && arg_is(a, "bylex")) {
            q->type = ZR_LEX;
        } else if (q->type == RT_AUTO && arg_is(a, "byscore")) {
            q->type = ZR_SCORE;
        } else {
            reply_error_syntax(c);
            return -1;
        }
    }
    if (q->dir == DIR_AUTO) q->dir = DIR_FWD;
    if (q->type == RT_AUTO) q->type = ZR_RANK;
    if (q->limit != -1 && q->type == ZR_RANK) {
        reply_error(c, "ERR syntax error, LIMIT is only supported in combination with either "
                       "BYSCORE or BYLEX");
        return -1;
    }
    if (q->withscores && q->type == ZR_LEX) {
        reply_error(c, "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        return -1;
    }
    return 0;
}

/* Emits ascending ranks [first, last] in the requested direction, into a reply or into
 * the destination set. */
typedef struct zrange_out {
    client *c;
    zset *dst;
    int withscores;
    long long count;
} zrange_out;

static void zrange_emit(zrange_out *out, zset *z, long first, long last, int rev) {
    long n = last - first + 1;
    if (!out->dst) reply_elems_len(out->c, n, out->withscores);
    zset_iter it;
    zset_iter_init(&it, z, rev ? last : first, rev);
    zset_limits lim = zlimits();
    const char *e;
    size_t len;
    double s;
    for (long i = 0; i < n && zset_iter_next(&it, &e, &len, &s); i++) {
        if (out->dst) {
            int fl;
            zset_add(out->dst, e, len, s, 0, &fl, NULL, &lim);
        } else {
            reply_elem(out->c, e, len, s, out->withscores);
        }
        out->count++;
    }
}

/* Applies LIMIT offset/count (Redis: negative offset -> empty, negative count -> all). */
static void apply_limit(const zrange_req *q, unsigned long n, long *first, long *last) {
    if (n == 0 || q->offset < 0 || (unsigned long)q->offset >= n || q->limit == 0) {
        *last = *first - 1;
        return;
    }
    long avail = (long)n - q->offset;
    long take = (q->limit < 0 || q->limit > avail) ? avail : q->limit;
    if (q->dir == DIR_REV) {
        *last -= q->offset;
        *first = *last - take + 1;
    } else {
        *first += q->offset;
        *last = *first + take - 1;
    }
}

static void store_result(client *c, const resp_arg *dk, zset *res, const char *event) {
    if (zset_len(res) > 0) {
        zset_limits lim = zlimits();
        zset_maybe_shrink(res, &lim);
        obj *o = obj_new_typed(OBJ_ZSET, OBJ_ENC_LISTPACK, res);
        sync_enc(o);
        long long n = (long long)zset_len(res);
        db_set(c->db, dk->ptr, dk->len, o, 0);
        reply_long_long(c, n);
        key_event(c, dk, NOTIFY_ZSET, event);
        server.dirty++;
        return;
    }
    zset_free(res);
    reply_long_long(c, 0);
    if (db_delete(c->db, dk->ptr, dk->len)) {
        key_event(c, dk, NOTIFY_GENERIC, "del");
        server.dirty++;
    }
}

static void zrange_run(client *c, zrange_req *q) {
    int minidx = q->keyidx + 1, maxidx = q->keyidx + 2;
    if (zrange_parse_opts(c, q) < 0) return;
    if (q->dir == DIR_REV && q->type != ZR_RANK) {
        int t = minidx;
        minidx = maxidx;
        maxidx = t;
    }
    long start = 0, end = 0;
    zrange_spec sr;
    zlex_spec lr;
    if (q->type == ZR_RANK) {
        if (parse_long(c, &c->argv[minidx], &start) < 0 ||
            parse_long(c, &c->argv[maxidx], &end) < 0)
            return;
    } else if (q->type == ZR_SCORE) {
        if (parse_score_range(c, minidx, maxidx, &sr) < 0) return;
    } else if (parse_lex_range(c, minidx, maxidx, &lr) < 0) {
        return;
    }
    obj *o;
    if (lookup_zset(c, q->keyidx, 0, &o) < 0) return;
    zrange_out out = {c, q->dst ? zset_new() : NULL, q->withscores, 0};
    long first = 0, last = -1;
    if (o) {
        zset *z = zs(o);
        if (q->type == ZR_RANK) {
            if (clamp_ranks((long)zset_len(z), &start, &end)) {
                first = q->dir == DIR_REV ? (long)zset_len(z) - 1 - end : start;
                last = q->dir == DIR_REV ? (long)zset_len(z) - 1 - start : end;
            }
        } else {
            unsigned long n = q->type == ZR_SCORE ? zset_score_range(z, &sr, &first, &last)
                                                  : zset_lex_range(z, &lr, &first, &last);
            apply_limit(q, n, &first, &last);
        }
        if (last >= first) zrange_emit(&out, z, first, last, q->dir == DIR_REV);
    }
    if (q->dst) store_result(c, q->dst, out.dst, "zrangestore");
    else if (last < first) reply_empty_array(c);
}

static void zrange_cmd(client *c, int keyidx, int type, int dir, const resp_arg *dst) {
    zrange_req q = {.keyidx = keyidx, .type = type, .dir = dir, .withscores = 0,
                    .offset = 0, .limit = -1, .dst = dst};
    zrange_run(c, &q);
}

static void cmd_zrange(client *c) { zrange_cmd(c, 1, RT_AUTO, DIR_AUTO, NULL); }
static void cmd_zrangestore(client *c) { zrange_cmd(c, 2, RT_AUTO, DIR_AUTO, &c->argv[1]); }
static void cmd_zrevrange(client *c) { zrange_cmd(c, 1, ZR_RANK, DIR_REV, NULL); }
static void cmd_zrangebyscore(client *c) { zrange_cmd(c, 1, ZR_SCORE, DIR_FWD, NULL); }
static void cmd_zrevrangebyscore(client *c) { zrange_cmd(c, 1, ZR_SCORE, DIR_REV, NULL); }
static void cmd_zrangebylex(client *c) { zrange_cmd(c, 1, ZR_LEX, DIR_FWD, NULL); }
static void cmd_zrevrangebylex(client *c) { zrange_cmd(c, 1, ZR_LEX, DIR_REV, NULL); }

/* ------------------------------------------------------------------ pops */

enum { POP_PLAIN, POP_NESTED, POP_BLOCK, POP_MPOP };

/* BZPOPMIN/BZPOPMAX propagate as ZPOPMIN|ZPOPMAX key, [B]ZMPOP as ZPOPMIN|ZPOPMAX key
 * <popped> (Redis 7.0): the replica must not block nor pick another key. */
static void zpop_propagate(client *c, const resp_arg *k, int max, long popped, int shape) {
    char buf[24];
    resp_arg av[3] = {{(char *)(max ? "ZPOPMAX" : "ZPOPMIN"), 7}, *k, {0}};
    if (shape == POP_MPOP) av[2] = (resp_arg){buf, (size_t)ll_to_str(buf, sizeof(buf), popped)};
    propagate_rewrite(c, shape == POP_MPOP ? 3 : 2, av);
}

/* Pops up to count elements from the min (max = 0) or max end of the zset at argv[ki]
 * and replies in the given shape. The set must not be empty. */
static void zpop_from(client *c, int ki, obj *o, int max, long count, int shape) {
    zset *z = zs(o);
    long n = (long)zset_len(z);
    if (count > n) count = n;
    const resp_arg *k = &c->argv[ki];
    if (shape == POP_BLOCK) {
        reply_array_len(c, 3);
        reply_bulk(c, k->ptr, k->len);
    } else if (shape == POP_MPOP) {
        reply_array_len(c, 2);
        reply_bulk(c, k->ptr, k->len);
        reply_array_len(c, count);
    } else {
        reply_elems_len(c, shape == POP_NESTED ? count : count * 2, shape == POP_NESTED);
    }
    for (long i = 0; i < count; i++) {
        long rank = max ? (long)zset_len(z) - 1 : 0;
        zset_iter it;
        const char *e;
        size_t len;
        double s;
        zset_iter_init(&it, z, rank, 0);
        zset_iter_next(&it, &e, &len, &s);
        if (shape == POP_MPOP || (shape == POP_NESTED && c->resp == 3)) reply_array_len(c, 2);
        reply_bulk(c, e, len);
        reply_double(c, s);
        zset_delete_ranks(z, rank, rank);
    }
    sync_enc(o);
    key_event(c, k, NOTIFY_ZSET, max ? "zpopmax" : "zpopmin");
    delete_if_empty(c, k, o);
    server.dirty += count;
    if (shape == POP_BLOCK || shape == POP_MPOP) zpop_propagate(c, k, max, count, shape);
}

static void zpop_cmd(client *c, int max) {
    long count = 1;
    int has_count = c->argc > 2;
    if (c->argc > 3) { reply_error_syntax(c); return; }
    if (has_count) {
        long long v;
        if (arg_to_ll_range(c, &c->argv[2], 0, LONG_MAX, &v,
                            "ERR value is out of range, must be positive") < 0)
            return;
        count = (long)v;
    }
    obj *o;
    if (lookup_zset(c, 1, 1, &o) < 0) return;
    if (!o || count == 0) { reply_empty_array(c); return; }
    zpop_from(c, 1, o, max, count, has_count ? POP_NESTED : POP_PLAIN);
}

static void cmd_zpopmin(client *c) { zpop_cmd(c, 0); }
static void cmd_zpopmax(client *c) { zpop_cmd(c, 1); }

/* First non-empty zset among argv[first..first+n-1]: its index, 0 when none, -1 after
 * replying WRONGTYPE. */
static int first_nonempty(client *c, int first, int n, obj **out) {
    for (int i = first; i < first + n; i++) {
        obj *o;
        if (lookup_zset(c, i, 1, &o) < 0) return -1;
        if (o && zset_len(zs(o)) > 0) {
            *out = o;
            return i;
        }
    }
    return 0;
}

static void block_timeout_null(client *c) { reply_null_array(c); }

static void bzpop_cmd(client *c, int max) {
    long long deadline;
    if (arg_to_timeout_ms(c, &c->argv[c->argc - 1], 1, &deadline) < 0) return;
    obj *o;
    int nkeys = c->argc - 2;
    int ki = first_nonempty(c, 1, nkeys, &o);
    if (ki < 0) return;
    if (ki > 0) { zpop_from(c, ki, o, max, 1, POP_BLOCK); return; }
    if (!blocking_allowed(c)) { reply_null_array(c); return; }
    int idx[256];
    int *keys = nkeys <= 256 ? idx : kl_malloc(sizeof(int) * (size_t)nkeys);
    for (int i = 0; i < nkeys; i++) keys[i] = i + 1;
    block_on_keys(c, keys, nkeys, deadline, block_timeout_null);
    if (keys != idx) kl_free(keys);
}

static void cmd_bzpopmin(client *c) { bzpop_cmd(c, 0); }
static void cmd_bzpopmax(client *c) { bzpop_cmd(c, 1); }

/* [B]ZMPOP: numkeys at argv[ni]. */
static void zmpop_generic(client *c, int ni, long long deadline, int blocking) {
    long long numkeys, count = -1;
    if (arg_to_ll_range(c, &c->argv[ni], 1, LONG_MAX, &numkeys,
                        "ERR numkeys should be greater than 0") < 0)
        return;
    long long where_idx = ni + numkeys + 1;
    if (where_idx >= c->argc) { reply_error_syntax(c); return; }
    int max;
    if (arg_is(&c->argv[where_idx], "min")) max = 0;
    else if (arg_is(&c->argv[where_idx], "max")) max = 1;
    else { reply_error_syntax(c); return; }
    for (long long j = where_idx + 1; j < c->argc; j++) {
        int more = c->argc - 1 - (int)j;
        if (count == -1 && arg_is(&c->argv[j], "count") && more) {
            j++;
            if (arg_to_ll_range(c, &c->argv[j], 1, LONG_MAX, &count,
                                "ERR count should be greater than 0") < 0)
                return;
        } else {
            reply_error_syntax(c);
            return;
        }
    }
    if (count == -1) count = 1;
    obj *o;
    int ki = first_nonempty(c, ni + 1, (int)numkeys, &o);
    if (ki < 0) return;
    if (ki > 0) { zpop_from(c, ki, o, max, (long)count, POP_MPOP); return; }
    if (!blocking || !blocking_allowed(c)) { reply_null_array(c); return; }
    int *keys = kl_malloc(sizeof(int) * (size_t)numkeys);
    for (int i = 0; i < (int)numkeys; i++) keys[i] = ni + 1 + i;
    block_on_keys(c, keys, (int)numkeys, deadline, block_timeout_null);
    kl_free(keys);
}

static void cmd_zmpop(client *c) { zmpop_generic(c, 1, 0, 0); }

static void cmd_bzmpop(client *c) {
    long long deadline;
    if (arg_to_timeout_ms(c, &c->argv[1], 1, &deadline) < 0) return;
    zmpop_generic(c, 2, deadline, 1);
}

/* ------------------------------------------------------------------ ZRANDMEMBER */

static void reply_rank(client *c, zset *z, long rank, int withscores) {
    zset_iter it;
    const char *e;
    size_t len;
    double s;
    zset_iter_init(&it, z, rank, 0);
    zset_iter_next(&it, &e, &len, &s);
    reply_elem(c, e, len, s, withscores);
}

static void randmember_unique(client *c, zset *z, long count, int withscores) {
    long size = (long)zset_len(z);
    reply_elems_len(c, count < size ? count : size, withscores);
    if (count >= size) {
        zset_iter it;
        const char *e;
        size_t len;
        double s;
        zset_iter_init(&it, z, 0, 0);
        while (zset_iter_next(&it, &e, &len, &s)) reply_elem(c, e, len, s, withscores);
        return;
    }
    /* Partial Fisher-Yates over ranks. */
    long *ranks = kl_malloc(sizeof(long) * (size_t)size);
    for (long i = 0; i < size; i++) ranks[i] = i;
    for (long i = 0; i < count; i++) {
        long j = i + (long)(random() % (size - i));
        long t = ranks[i];
        ranks[i] = ranks[j];
        ranks[j] = t;
        reply_rank(c, z, ranks[i], withscores);
    }
    kl_free(ranks);
}

static void cmd_zrandmember(client *c) {
    long long l = 0;
    int withscores = 0;
    if (c->argc >= 3) {
        if (arg_to_ll_range(c, &c->argv[2], -LONG_MAX, LONG_MAX, &l, NULL) < 0) return;
        if (c->argc > 4 || (c->argc == 4 && !arg_is(&c->argv[3], "withscores"))) {
            reply_error_syntax(c);
            return;
        }
        if (c->argc == 4) {
            withscores = 1;
            if (l < -LONG_MAX / 2 || l > LONG_MAX / 2) {
                reply_error(c, "ERR value is out of range");
                return;
            }
        }
    }
    obj *o;
    if (lookup_zset(c, 1, 0, &o) < 0) return;
    if (c->argc < 3) {
        if (!o) { reply_null(c); return; }
        reply_rank(c, zs(o), (long)(random() % (long)zset_len(zs(o))), 0);
        return;
    }
    if (!o || l == 0) { reply_empty_array(c); return; }
    zset *z = zs(o);
    if (l > 0) { randmember_unique(c, z, (long)l, withscores); return; }
    reply_elems_len(c, -l, withscores);
    for (long long i = 0; i < -l; i++)
        reply_rank(c, z, (long)(random() % (long)zset_len(z)), withscores);
}

/* ------------------------------------------------------------------ set operations */

enum { OP_UNION, OP_INTER, OP_DIFF };
enum { AGG_SUM, AGG_MIN, AGG_MAX };

typedef struct zsrc {
    obj *o;          /* NULL: missing key (empty) */
    double weight;
} zsrc;

static size_t src_len(const zsrc *s) {
    if (!s->o) return 0;
    return s->o->type == OBJ_ZSET ? zset_len(zs(s->o)) : set_size(s->o->v.ptr);
}

static int src_score(const zsrc *s, const char *e, size_t len, double *score) {
    if (!s->o) return 0;
    if (s->o->type == OBJ_ZSET) return zset_score(zs(s->o), e, len, score);
    if (!set_contains(s->o->v.ptr, e, len)) return 0;
    *score = 1.0;
    return 1;
}

typedef void src_visit_fn(void *priv, const char *e, size_t len, double score);

static void src_foreach(const zsrc *s, src_visit_fn *fn, void *priv) {
    if (!s->o) return;
    if (s->o->type == OBJ_ZSET) {
        zset_iter it;
        const char *e;
        size_t len;
        double sc;
        zset_iter_init(&it, zs(s->o), 0, 0);
        while (zset_iter_next(&it, &e, &len, &sc)) fn(priv, e, len, sc);
        return;
    }
    set_iter it;
    set_member m;
    set_iter_init(&it, s->o->v.ptr);
    while (set_iter_next(&it, &m)) fn(priv, m.ptr, m.len, 1.0);
    set_iter_release(&it);
}

static void aggregate(int agg, double *target, double val) {
    if (agg == AGG_SUM) {
        *target += val;
        if (isnan(*target)) *target = 0.0;
    } else if (agg == AGG_MIN) {
        if (val < *target) *target = val;
    } else if (val > *target) {
        *target = val;
    }
}

typedef struct setop_ctx {
    zset *acc;
    zsrc *src;
    int nsrc, cur, agg, op;
    long long card, limit;
    zset_limits lim;
} setop_ctx;

static void acc_set(setop_ctx *x, const char *e, size_t len, double v) {
    int fl;
    zset_add(x->acc, e, len, v, 0, &fl, NULL, &x->lim);
}

static void union_visit(void *priv, const char *e, size_t len, double score) {
    setop_ctx *x = priv;
    double v = x->src[x->cur].weight * score, old;
    if (isnan(v)) v = 0;
    if (zset_score(x->acc, e, len, &old)) {
        aggregate(x->agg, &old, v);
        v = old;
    }
    acc_set(x, e, len, v);
}

static void inter_visit(void *priv, const char *e, size_t len, double score) {
    setop_ctx *x = priv;
    if (x->limit && x->card >= x->limit) return;
    double v = x->src[0].weight * score;
    if (isnan(v)) v = 0;
    for (int i = 1; i < x->nsrc; i++) {
        double s;
        if (!src_score(&x->src[i], e, len, &s)) return;
        double w = x->src[i].weight * s;
        if (isnan(w)) w = 0;
        aggregate(x->agg, &v, w);
    }
    x->card++;
    if (x->acc) acc_set(x, e, len, v);
}

static void diff_visit(void *priv, const char *e, size_t len, double score) {
    setop_ctx *x = priv;
    for (int i = 1; i < x->nsrc; i++) {
        double s;
        if (src_score(&x->src[i], e, len, &s)) return;
    }
    acc_set(x, e, len, score);
}

static int cmp_src_len(const void *a, const void *b) {
    size_t la = src_len(a), lb = src_len(b);
    return la < lb ? -1 : (la > lb ? 1 : 0);
}

static void setop_compute(setop_ctx *x) {
    if (x->op == OP_UNION) {
        for (x->cur = 0; x->cur < x->nsrc; x->cur++) src_foreach(&x->src[x->cur], union_visit, x);
    } else if (x->op == OP_INTER) {
        qsort(x->src, (size_t)x->nsrc, sizeof(zsrc), cmp_src_len);
        if (src_len(&x->src[0]) > 0) src_foreach(&x->src[0], inter_visit, x);
    } else if (src_len(&x->src[0]) > 0) {
        src_foreach(&x->src[0], diff_visit, x);
    }
}

typedef struct setop_args {
    int withscores;
    long long limit;
} setop_args;

static int setop_parse_opts(client *c, int j, int op, int store, int cardonly, setop_ctx *x,
                            setop_args *a) {
    int remaining = c->argc - j;
    while (remaining) {
        if (op != OP_DIFF && !cardonly && remaining >= x->nsrc + 1 &&
            arg_is(&c->argv[j], "weights")) {
            j++;
            remaining--;
            for (int i = 0; i < x->nsrc; i++, j++, remaining--) {
                if (!str_to_double(c->argv[j].ptr, c->argv[j].len, &x->src[i].weight)) {
                    reply_error(c, "ERR weight value is not a float");
                    return -1;
                }
            }
        } else if (op != OP_DIFF && !cardonly && remaining >= 2 &&
                   arg_is(&c->argv[j], "aggregate")) {
            resp_arg *v = &c->argv[j + 1];
            if (arg_is(v, "sum")) x->agg = AGG_SUM;
            else if (arg_is(v, "min")) x->agg = AGG_MIN;
            else if (arg_is(v, "max")) x->agg = AGG_MAX;
            else { reply_error_syntax(c); return -1; }
            j += 2;
            remaining -= 2;
        } else if (!store && !cardonly && arg_is(&c->argv[j], "withscores")) {
            j++;
            remaining--;
            a->withscores = 1;
        } else if (cardonly && remaining >= 2 && arg_is(&c->argv[j], "limit")) {
            if (arg_to_ll_range(c, &c->argv[j + 1], 0, LLONG_MAX, &a->limit,
                                "ERR LIMIT can't be negative") < 0)
                return -1;
            j += 2;
            remaining -= 2;
        } else {
            reply_error_syntax(c);
            return -1;
        }
    }
    return 0;
}

static void setop_reply(client *c, zset *res, int withscores) {
    reply_elems_len(c, (long long)zset_len(res), withscores);
    zset_iter it;
    const char *e;
    size_t len;
    double s;
    zset_iter_init(&it, res, 0, 0);
    while (zset_iter_next(&it, &e, &len, &s)) reply_elem(c, e, len, s, withscores);
}

/* numkeys at argv[ni]; dst (store forms) at argv[1]. */
static void setop_generic(client *c, int ni, int op, int store, int cardonly) {
    long long n;
    if (arg_to_ll(c, &c->argv[ni], &n) < 0) return;
    if (n < 1) {
        reply_errorf(c, "ERR at least 1 input key is needed for '%s' command",
                     c->cmd ? c->cmd->fullname : "");
        return;
    }
    if (n > c->argc - (ni + 1)) { reply_error_syntax(c); return; }
    setop_ctx x = {.nsrc = (int)n, .agg = AGG_SUM, .op = op, .lim = zlimits()};
    x.src = kl_calloc((size_t)n, sizeof(zsrc));
    int j = ni + 1;
    for (int i = 0; i < x.nsrc; i++, j++) {
        resp_arg *k = &c->argv[j];
        obj *o = store ? db_lookup_write(&server.ks, c->db, k->ptr, k->len)
                       : db_lookup_read(&server.ks, c->db, k->ptr, k->len);
        if (o && o->type != OBJ_ZSET && o->type != OBJ_SET) {
            reply_error_wrongtype(c);
            goto out;
        }
        x.src[i].o = o;
        x.src[i].weight = 1.0;
    }
    setop_args a = {0, 0};
    if (setop_parse_opts(c, j, op, store, cardonly, &x, &a) < 0) goto out;
    x.limit = a.limit;
    x.acc = cardonly ? NULL : zset_new_large();
    setop_compute(&x);
    if (cardonly) {
        reply_long_long(c, x.card);
    } else if (store) {
        static const char *ev[] = {"zunionstore", "zinterstore", "zdiffstore"};
        store_result(c, &c->argv[1], x.acc, ev[op]);
        x.acc = NULL;
    } else {
        setop_reply(c, x.acc, a.withscores);
    }
    if (x.acc) zset_free(x.acc);
out:
    kl_free(x.src);
}

static void cmd_zunion(client *c) { setop_generic(c, 1, OP_UNION, 0, 0); }
static void cmd_zinter(client *c) { setop_generic(c, 1, OP_INTER, 0, 0); }
static void cmd_zdiff(client *c) { setop_generic(c, 1, OP_DIFF, 0, 0); }
static void cmd_zintercard(client *c) { setop_generic(c, 1, OP_INTER, 0, 1); }
static void cmd_zunionstore(client *c) { setop_generic(c, 2, OP_UNION, 1, 0); }
static void cmd_zinterstore(client *c) { setop_generic(c, 2, OP_INTER, 1, 0); }
static void cmd_zdiffstore(client *c) { setop_generic(c, 2, OP_DIFF, 1, 0); }

/* ------------------------------------------------------------------ ZSCAN */

typedef struct zscan_batch {
    const char **ele;
    size_t *len;
    double *score;
    size_t n, cap;
} zscan_batch;

static void zscan_collect(void *priv, const dict_entry *e) {
    zscan_batch *b = priv;
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->ele = kl_realloc(b->ele, b->cap * sizeof(char *));
        b->len = kl_realloc(b->len, b->cap * sizeof(size_t));
        b->score = kl_realloc(b->score, b->cap * sizeof(double));
    }
    const zsl_node *x = e->v.val;
    b->ele[b->n] = x->ele;
    b->len[b->n] = x->len;
    b->score[b->n] = x->score;
    b->n++;
}

static int zscan_parse(client *c, unsigned long *cursor, const resp_arg **pat, long long *count) {
    if (arg_to_scan_cursor(c, &c->argv[2], cursor) < 0) return -1;
    for (int j = 3; j < c->argc; j += 2) {
        int more = c->argc - j - 1;
        if (arg_is(&c->argv[j], "count") && more >= 1) {
            if (arg_to_ll(c, &c->argv[j + 1], count) < 0) return -1;
            if (*count < 1) { reply_error_syntax(c); return -1; }
        } else if (arg_is(&c->argv[j], "match") && more >= 1) {
            *pat = &c->argv[j + 1];
        } else {
            reply_error_syntax(c);
            return -1;
        }
    }
    return 0;
}

static int zscan_keep(const resp_arg *pat, const char *e, size_t len) {
    if (!pat || (pat->len == 1 && pat->ptr[0] == '*')) return 1;
    return glob_match(pat->ptr, pat->len, e, len, 0);
}

static void zscan_reply(client *c, unsigned long cursor, const resp_arg *pat, zscan_batch *b) {
    char cbuf[32];
    int cl = ull_to_str(cbuf, sizeof(cbuf), cursor);
    reply_array_len(c, 2);
    reply_bulk(c, cbuf, (size_t)cl);
    void *h = reply_deferred(c);
    long long n = 0;
    for (size_t i = 0; i < b->n; i++) {
        if (!zscan_keep(pat, b->ele[i], b->len[i])) continue;
        char sbuf[64];
        int sl = double_to_str(sbuf, sizeof(sbuf), b->score[i]);
        reply_bulk(c, b->ele[i], b->len[i]);
        reply_bulk(c, sbuf, (size_t)sl);
        n += 2;
    }
    reply_set_deferred_array(c, h, n);
}

static void cmd_zscan(client *c) {
    unsigned long cursor;
    const resp_arg *pat = NULL;
    long long count = 10;
    if (zscan_parse(c, &cursor, &pat, &count) < 0) return;
    obj *o;
    if (lookup_zset(c, 1, 0, &o) < 0) return;
    zscan_batch b = {0};
    if (!o) {
        zscan_reply(c, 0, pat, &b);
        return;
    }
    zset *z = zs(o);
    if (zset_is_small(z)) {
        /* The small form is returned whole; members are copied out of the listpack. */
        size_t n = zset_len(z);
        char **copies = kl_malloc(sizeof(char *) * (n ? n : 1));
        zset_iter it;
        const char *e;
        size_t len;
        double s;
        zset_iter_init(&it, z, 0, 0);
        while (zset_iter_next(&it, &e, &len, &s)) {
            char *cp = kl_malloc(len + 1);
            memcpy(cp, e, len);
            copies[b.n] = cp;
            zsl_node tmp = {.ele = cp, .len = len, .score = s};
            dict_entry de = {.v.val = &tmp};
            zscan_collect(&b, &de);
        }
        zscan_reply(c, 0, pat, &b);
        for (size_t i = 0; i < b.n; i++) kl_free(copies[i]);
        kl_free(copies);
    } else {
        long long maxiter = count * 10;
        do {
            cursor = dict_scan(z->d, cursor, zscan_collect, &b);
        } while (cursor && maxiter-- && (long long)b.n < count);
        zscan_reply(c, cursor, pat, &b);
    }
    kl_free(b.ele);
    kl_free(b.len);
    kl_free(b.score);
}

/* ------------------------------------------------------------------ object ops */

static void zset_obj_free(obj *o) { zset_free(zs(o)); }

static obj *zset_obj_dup(const obj *o) {
    obj *n = obj_new_typed(OBJ_ZSET, o->enc, zset_dup(zs((obj *)o)));
    sync_enc(n);
    return n;
}

static size_t zset_obj_usage(const obj *o) { return sizeof(obj) + zset_mem_usage(zs((obj *)o)); }

static const obj_type_ops zset_ops = {zset_obj_free, zset_obj_dup, zset_obj_usage};

void t_zset_init(void) { obj_register_type(OBJ_ZSET, &zset_ops); }

/* ------------------------------------------------------------------ key specs */

/* Keys after a numkeys argument at argv[ni] (plus argv[1] as destination when dst). */
static int numkeys_keys(int argc, resp_arg *argv, int ni, int dst, int *out, int max) {
    long long n;
    int k = 0;
    if (ni >= argc || !str_to_ll(argv[ni].ptr, argv[ni].len, &n) || n < 1 ||
        n > argc - ni - 1)
        return 0;
    if (dst && k < max) out[k++] = 1;
    for (long long i = 0; i < n && k < max; i++) out[k++] = ni + 1 + (int)i;
    return k;
}

static int keys_numkeys1(int argc, resp_arg *argv, int *out, int max) {
    return numkeys_keys(argc, argv, 1, 0, out, max);
}
static int keys_numkeys2(int argc, resp_arg *argv, int *out, int max) {
    return numkeys_keys(argc, argv, 2, 0, out, max);
}
static int keys_store(int argc, resp_arg *argv, int *out, int max) {
    return numkeys_keys(argc, argv, 2, 1, out, max);
}

/* ------------------------------------------------------------------ command table */

#define ZR (ACL_READ | ACL_SORTEDSET)
#define ZW (ACL_WRITE | ACL_SORTEDSET)
#define KEY1 .firstkey = 1, .lastkey = 1, .keystep = 1
#define RO_FAST (CMD_READONLY | CMD_FAST)
#define ZGROUP .group = "sorted-set"
#define LOGN "O(log(N)) where N is the number of elements in the sorted set."
#define RANGE_CPLX "O(log(N)+M) with N being the number of elements in the sorted set and M " \
                   "the number of elements returned."

static const char *tips_nd[] = {"nondeterministic_output", NULL};

command zset_commands[] = {
    {.name = "zadd", .proc = cmd_zadd, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST,
     .acl = ZW | ACL_FAST, KEY1, ZGROUP, .since = "1.2.0",
     .summary = "Add one or more members to a sorted set, or update its score if it already "
                "exists",
     .complexity = "O(log(N)) for each item added, where N is the number of elements in the "
                   "sorted set."},
    {.name = "zincrby", .proc = cmd_zincrby, .arity = 4,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, .acl = ZW | ACL_FAST, KEY1, ZGROUP,
     .since = "1.2.0", .summary = "Increment the score of a member in a sorted set",
     .complexity = LOGN},
    {.name = "zrem", .proc = cmd_zrem, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .acl = ZW | ACL_FAST, KEY1, ZGROUP, .since = "1.2.0",
     .summary = "Remove one or more members from a sorted set",
     .complexity = "O(M*log(N)) with N being the number of elements in the sorted set and M "
                   "the number of elements to be removed."},
    {.name = "zcard", .proc = cmd_zcard, .arity = 2, .flags = RO_FAST, .acl = ZR | ACL_FAST,
     KEY1, ZGROUP, .since = "1.2.0", .summary = "Get the number of members in a sorted set",
     .complexity = "O(1)"},
    {.name = "zscore", .proc = cmd_zscore, .arity = 3, .flags = RO_FAST, .acl = ZR | ACL_FAST,
     KEY1, ZGROUP, .since = "1.2.0",
     .summary = "Get the score associated with the given member in a sorted set",
     .complexity = "O(1)"},
    {.name = "zmscore", .proc = cmd_zmscore, .arity = -3, .flags = RO_FAST,
     .acl = ZR | ACL_FAST, KEY1, ZGROUP, .since = "6.2.0",
     .summary = "Get the score associated with the given members in a sorted set",
     .complexity = "O(N) where N is the number of members being requested."},
    {.name = "zcount", .proc = cmd_zcount, .arity = 4, .flags = RO_FAST, .acl = ZR | ACL_FAST,
     KEY1, ZGROUP, .since = "2.0.0",
     .summary = "Count the members in a sorted set with scores within the given values",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set."},
    {.name = "zlexcount", .proc = cmd_zlexcount, .arity = 4, .flags = RO_FAST,
     .acl = ZR | ACL_FAST, KEY1, ZGROUP, .since = "2.8.9",
     .summary = "Count the number of members in a sorted set between a given lexicographical "
                "range",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set."},
    {.name = "zrange", .proc = cmd_zrange, .arity = -4, .flags = CMD_READONLY,
     .acl = ZR | ACL_SLOW, KEY1, ZGROUP, .since = "1.2.0",
     .summary = "Return a range of members in a sorted set", .complexity = RANGE_CPLX},
    {.name = "zrangestore", .proc = cmd_zrangestore, .arity = -5,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = ZW | ACL_SLOW, .firstkey = 1, .lastkey = 2,
     .keystep = 1, ZGROUP, .since = "6.2.0",
     .summary = "Store a range of members from sorted set into another key",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M "
                   "the number of elements stored into the destination key."},
    {.name = "zrangebyscore", .proc = cmd_zrangebyscore, .arity = -4, .flags = CMD_READONLY,
     .acl = ZR | ACL_SLOW, KEY1, ZGROUP, .since = "1.0.5",
     .summary = "Return a range of members in a sorted set, by score",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M "
                   "the number of elements being returned. If M is constant (e.g. always "
                   "asking for the first 10 elements with LIMIT), you can consider it O(log(N))."},
    {.name = "zrevrangebyscore", .proc = cmd_zrevrangebyscore, .arity = -4,
     .flags = CMD_READONLY, .acl = ZR | ACL_SLOW, KEY1, ZGROUP, .since = "2.2.0",
     .summary = "Return a range of members in a sorted set, by score, with scores ordered "
                "from high to low",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M "
                   "the number of elements being returned. If M is constant (e.g. always "
                   "asking for the first 10 elements with LIMIT), you can consider it O(log(N))."},
    {.name = "zrangebylex", .proc = cmd_zrangebylex, .arity = -4, .flags = CMD_READONLY,
     .acl = ZR | ACL_SLOW, KEY1, ZGROUP, .since = "2.8.9",
     .summary = "Return a range of members in a sorted set, by lexicographical range",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M "
                   "the number of elements being returned. If M is constant (e.g. always "
                   "asking for the first 10 elements with LIMIT), you can consider it O(log(N))."},
    {.name = "zrevrangebylex", .proc = cmd_zrevrangebylex, .arity = -4, .flags = CMD_READONLY,
     .acl = ZR | ACL_SLOW, KEY1, ZGROUP, .since = "2.8.9",
     .summary = "Return a range of members in a sorted set, by lexicographical range, ordered "
                "from higher to lower strings.",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M "
                   "the number of elements being returned. If M is constant (e.g. always "
                   "asking for the first 10 elements with LIMIT), you can consider it O(log(N))."},
    {.name = "zrevrange", .proc = cmd_zrevrange, .arity = -4, .flags = CMD_READONLY,
     .acl = ZR | ACL_SLOW, KEY1, ZGROUP, .since = "1.2.0",
     .summary = "Return a range of members in a sorted set, by index, with scores ordered "
                "from high to low",
     .complexity = RANGE_CPLX},
    {.name = "zrank", .proc = cmd_zrank, .arity = 3, .flags = RO_FAST, .acl = ZR | ACL_FAST,
     KEY1, ZGROUP, .since = "2.0.0", .summary = "Determine the index of a member in a sorted set",
     .complexity = "O(log(N))"},
    {.name = "zrevrank", .proc = cmd_zrevrank, .arity = 3, .flags = RO_FAST,
     .acl = ZR | ACL_FAST, KEY1, ZGROUP, .since = "2.0.0",
     .summary = "Determine the index of a member in a sorted set, with scores ordered from "
                "high to low",
     .complexity = "O(log(N))"},
    {.name = "zremrangebyrank", .proc = cmd_zremrangebyrank, .arity = 4, .flags = CMD_WRITE,
     .acl = ZW | ACL_SLOW, KEY1, ZGROUP, .since = "2.0.0",
     .summary = "Remove all members in a sorted set within the given indexes",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M "
                   "the number of elements removed by the operation."},
    {.name = "zremrangebyscore", .proc = cmd_zremrangebyscore, .arity = 4, .flags = CMD_WRITE,
     .acl = ZW | ACL_SLOW, KEY1, ZGROUP, .since = "1.2.0",
     .summary = "Remove all members in a sorted set within the given scores",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M "
                   "the number of elements removed by the operation."},
    {.name = "zremrangebylex", .proc = cmd_zremrangebylex, .arity = 4, .flags = CMD_WRITE,
     .acl = ZW | ACL_SLOW, KEY1, ZGROUP, .since = "2.8.9",
     .summary = "Remove all members in a sorted set between the given lexicographical range",
     .complexity = "O(log(N)+M) with N being the number of elements in the sorted set and M "
                   "the number of elements removed by the operation."},
    {.name = "zpopmin", .proc = cmd_zpopmin, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ZW | ACL_FAST, KEY1, ZGROUP, .since = "5.0.0",
     .summary = "Remove and return members with the lowest scores in a sorted set",
     .complexity = "O(log(N)*M) with N being the number of elements in the sorted set, and M "
                   "being the number of elements popped."},
    {.name = "zpopmax", .proc = cmd_zpopmax, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = ZW | ACL_FAST, KEY1, ZGROUP, .since = "5.0.0",
     .summary = "Remove and return members with the highest scores in a sorted set",
     .complexity = "O(log(N)*M) with N being the number of elements in the sorted set, and M "
                   "being the number of elements popped."},
    {.name = "zmpop", .proc = cmd_zmpop, .arity = -4, .flags = CMD_WRITE, .acl = ZW | ACL_SLOW,
     ZGROUP, .since = "7.0.0", .getkeys = keys_numkeys1,
     .summary = "Remove and return members with scores in a sorted set",
     .complexity = "O(K) + O(N*log(M)) where K is the number of provided keys, N being the "
                   "number of elements in the sorted set, and M being the number of elements "
                   "popped."},
    {.name = "bzpopmin", .proc = cmd_bzpopmin, .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING | CMD_FAST,
     .acl = ZW | ACL_FAST | ACL_BLOCKING, .firstkey = 1, .lastkey = -2, .keystep = 1, ZGROUP,
     .since = "5.0.0",
     .summary = "Remove and return the member with the lowest score from one or more sorted "
                "sets, or block until one is available",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set."},
    {.name = "bzpopmax", .proc = cmd_bzpopmax, .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING | CMD_FAST,
     .acl = ZW | ACL_FAST | ACL_BLOCKING, .firstkey = 1, .lastkey = -2, .keystep = 1, ZGROUP,
     .since = "5.0.0",
     .summary = "Remove and return the member with the highest score from one or more sorted "
                "sets, or block until one is available",
     .complexity = "O(log(N)) with N being the number of elements in the sorted set."},
    {.name = "bzmpop", .proc = cmd_bzmpop, .arity = -5, .flags = CMD_WRITE | CMD_BLOCKING,
     .acl = ZW | ACL_SLOW | ACL_BLOCKING, ZGROUP, .since = "7.0.0", .getkeys = keys_numkeys2,
     .summary = "Remove and return members with scores in a sorted set or block until one is "
                "available",
     .complexity = "O(K) + O(N*log(M)) where K is the number of provided keys, N being the "
                   "number of elements in the sorted set, and M being the number of elements "
                   "popped."},
    {.name = "zrandmember", .proc = cmd_zrandmember, .arity = -2, .flags = CMD_READONLY,
     .acl = ZR | ACL_SLOW, KEY1, ZGROUP, .since = "6.2.0", .tips = tips_nd,
     .summary = "Get one or multiple random elements from a sorted set",
     .complexity = "O(N) where N is the number of elements returned"},
    {.name = "zunion", .proc = cmd_zunion, .arity = -3, .flags = CMD_READONLY,
     .acl = ZR | ACL_SLOW, ZGROUP, .since = "6.2.0", .getkeys = keys_numkeys1,
     .summary = "Add multiple sorted sets",
     .complexity = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted "
                   "sets, and M being the number of elements in the resulting sorted set."},
    {.name = "zinter", .proc = cmd_zinter, .arity = -3, .flags = CMD_READONLY,
     .acl = ZR | ACL_SLOW, ZGROUP, .since = "6.2.0", .getkeys = keys_numkeys1,
     .summary = "Intersect multiple sorted sets",
     .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, "
                   "K being the number of input sorted sets and M being the number of elements "
                   "in the resulting sorted set."},
    {.name = "zdiff", .proc = cmd_zdiff, .arity = -3, .flags = CMD_READONLY,
     .acl = ZR | ACL_SLOW, ZGROUP, .since = "6.2.0", .getkeys = keys_numkeys1,
     .summary = "Subtract multiple sorted sets",
     .complexity = "O(L + (N-K)log(N)) worst case where L is the total number of elements in "
                   "all the sets, N is the size of the first set, and K is the size of the "
                   "result set."},
    {.name = "zintercard", .proc = cmd_zintercard, .arity = -3, .flags = CMD_READONLY,
     .acl = ZR | ACL_SLOW, ZGROUP, .since = "7.0.0", .getkeys = keys_numkeys1,
     .summary = "Intersect multiple sorted sets and return the cardinality of the result",
     .complexity = "O(N*K) worst case with N being the smallest input sorted set, K being the "
                   "number of input sorted sets."},
    {.name = "zunionstore", .proc = cmd_zunionstore, .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = ZW | ACL_SLOW, KEY1, ZGROUP, .since = "2.0.0",
     .getkeys = keys_store, .summary = "Add multiple sorted sets and store the resulting sorted "
                                       "set in a new key",
     .complexity = "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted "
                   "sets, and M being the number of elements in the resulting sorted set."},
    {.name = "zinterstore", .proc = cmd_zinterstore, .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = ZW | ACL_SLOW, KEY1, ZGROUP, .since = "2.0.0",
     .getkeys = keys_store, .summary = "Intersect multiple sorted sets and store the resulting "
                                       "sorted set in a new key",
     .complexity = "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, "
                   "K being the number of input sorted sets and M being the number of elements "
                   "in the resulting sorted set."},
    {.name = "zdiffstore", .proc = cmd_zdiffstore, .arity = -4,
     .flags = CMD_WRITE | CMD_DENYOOM, .acl = ZW | ACL_SLOW, KEY1, ZGROUP, .since = "6.2.0",
     .getkeys = keys_store, .summary = "Subtract multiple sorted sets and store the resulting "
                                       "sorted set in a new key",
     .complexity = "O(L + (N-K)log(N)) worst case where L is the total number of elements in "
                   "all the sets, N is the size of the first set, and K is the size of the "
                   "result set."},
    {.name = "zscan", .proc = cmd_zscan, .arity = -3, .flags = CMD_READONLY,
     .acl = ZR | ACL_SLOW, KEY1, ZGROUP, .since = "2.8.0", .tips = tips_nd,
     .summary = "Incrementally iterate sorted sets elements and associated scores",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection.."},
    {.name = NULL},
};
