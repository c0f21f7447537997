/* cmd_string.c -- the string commands: GET/SET and their variants, MGET/MSET, the INCR
 * family, APPEND, STRLEN, GETRANGE/SETRANGE and LCS.
 *
 * Values are string objects (common/object.h). Commands that edit a value in place
 * (APPEND, SETRANGE) first turn it RAW with obj_make_raw and store the result back in the
 * key's dict entry, which keeps the key's TTL untouched. Every size that comes from a
 * request is bounded by proto-max-bulk-len before anything is allocated, and LCS refuses
 * a table larger than that limit. Replies, errors and edge cases follow Redis 7.0.
 * Loop thread only; nothing here blocks.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "common/alloc.h"
#include "common/db.h"
#include "common/util.h"
#include "server/server.h"

/* ------------------------------------------------------------------ helpers */

static inline const char *key_ptr(client *c, int i) { return c->argv[i].ptr; }
static inline size_t key_len(client *c, int i) { return c->argv[i].len; }

static void key_changed(client *c, const char *key, size_t len, int ntype, const char *event) {
    server_key_modified(c, c->db, key, len);
    server_notify(ntype, event, key, len, c->db->id);
    server.dirty++;
}

/* ------------------------------------------------------------------ propagation */

/* Whether a lazyfree-* boolean is on: Redis propagates UNLINK instead of DEL then. */
static int lazyfree_enabled(const char *name) {
    const cfg_param *p = cfg_find(server_config_table(), name);
    return p && p->storage && *(const int *)p->storage;
}

/* Propagate "<name> key <abs ms>" followed by extra (SET key value PXAT ms,
 * PEXPIREAT key ms): relative expiries must not drift on replicas. */
static void prop_with_time(client *c, int argc, resp_arg *argv, long long when) {
    char buf[24];
    int n = ll_to_str(buf, sizeof(buf), when);
    argv[argc - 1] = (resp_arg){buf, (size_t)n};
    propagate_rewrite(c, argc, argv);
}

/* Propagate the deletion of argv[1] as DEL, or UNLINK when lazyfree option `lazy` is on. */
static void prop_del(client *c, const char *lazy) {
    int async = lazyfree_enabled(lazy);
    resp_arg av[2] = {{(char *)(async ? "UNLINK" : "DEL"), async ? 6 : 3}, c->argv[1]};
    propagate_rewrite(c, 2, av);
}

/* Replies WRONGTYPE and returns -1 when o exists and is not a string. */
static int check_string(client *c, const obj *o) {
    if (o && o->type != OBJ_STRING) {
        reply_error_wrongtype(c);
        return -1;
    }
    return 0;
}

/* Store a value that obj_make_raw may have reallocated (the old one is already freed, so
 * db_overwrite cannot be used): point the key's entry at it directly. */
static obj *make_raw_in_place(db *d, const char *key, size_t len, obj *o) {
    obj *n = obj_make_raw(o);
    if (n != o) db_update_value(d, key, len, n);
    return n;
}

/* Redis checkStringLength: size + append must fit proto-max-bulk-len. */
static int check_string_length(client *c, long long size, long long append) {
    unsigned long long total = (unsigned long long)size + (unsigned long long)append;
    if (total > (unsigned long long)server.cfg.proto_max_bulk_len) {
        reply_error(c, "ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        return -1;
    }
    return 0;
}

/* GET semantics: null for a missing key, bulk for a string; -1 after WRONGTYPE. */
static int get_generic(client *c) {
    obj *o = db_lookup_read(&server.ks, c->db, key_ptr(c, 1), key_len(c, 1));
    if (!o) {
        reply_null(c);
        return 0;
    }
    if (check_string(c, o) < 0) return -1;
    reply_bulk_obj(c, o);
    return 0;
}

/* ------------------------------------------------------------------ SET options */

enum {
    SET_NX = 1 << 0, SET_XX = 1 << 1, SET_GET = 1 << 2, SET_KEEPTTL = 1 << 3,
    SET_PERSIST = 1 << 4, SET_EX = 1 << 5, SET_PX = 1 << 6, SET_EXAT = 1 << 7,
    SET_PXAT = 1 << 8,
};
#define SET_ANY_EXPIRE (SET_EX | SET_PX | SET_EXAT | SET_PXAT)

typedef struct set_opt {
    const char *name;
    int flag;
    int excludes;      /* flags that make this option a syntax error */
    int for_set;       /* 1: SET only, 0: GETEX only, 2: both */
    int has_arg;
} set_opt;

static const set_opt set_opts[] = {
    {"nx", SET_NX, SET_XX, 1, 0},
    {"xx", SET_XX, SET_NX, 1, 0},
    {"get", SET_GET, 0, 1, 0},
    {"keepttl", SET_KEEPTTL, SET_PERSIST | SET_ANY_EXPIRE, 1, 0},
    {"persist", SET_PERSIST, SET_ANY_EXPIRE | SET_KEEPTTL, 0, 0},
    {"ex", SET_EX, SET_KEEPTTL | SET_PERSIST | (SET_ANY_EXPIRE & ~SET_EX), 2, 1},
    {"px", SET_PX, SET_KEEPTTL | SET_PERSIST | (SET_ANY_EXPIRE & ~SET_PX), 2, 1},
    {"exat", SET_EXAT, SET_KEEPTTL | SET_PERSIST | (SET_ANY_EXPIRE & ~SET_EXAT), 2, 1},
    {"pxat", SET_PXAT, SET_KEEPTTL | SET_PERSIST | (SET_ANY_EXPIRE & ~SET_PXAT), 2, 1},
};

/* Parse SET (is_set) or GETEX options from argv[first]; any invalid or conflicting option
 * is "ERR syntax error". *expire points at the expire argument, if any. */
static int set_parse(client *c, int first, int is_set, int *flags, const resp_arg **expire) {
    *flags = 0;
    *expire = NULL;
    for (int j = first; j < c->argc; j++) {
        const set_opt *match = NULL;
        for (size_t i = 0; i < sizeof(set_opts) / sizeof(set_opts[0]); i++) {
            const set_opt *o = &set_opts[i];
            if (!arg_is(&c->argv[j], o->name)) continue;
            if ((o->for_set == 2 || o->for_set == is_set) && !(*flags & o->excludes) &&
                (!o->has_arg || j + 1 < c->argc))
                match = o;
            break;
        }
        if (!match) {
            reply_error_syntax(c);
            return -1;
        }
        *flags |= match->flag;
        if (match->has_arg) *expire = &c->argv[++j];
    }
    return 0;
}

/* The absolute expiry in ms of an EX/PX/EXAT/PXAT argument; errors name the command. */
static int expire_to_ms(client *c, const resp_arg *a, int flags, const char *name,
                        long long *out) {
    long long v;
    if (arg_to_ll(c, a, &v) < 0) return -1;
    int seconds = (flags & (SET_EX | SET_EXAT)) != 0;
    if (v <= 0 || (seconds && v > LLONG_MAX / 1000)) goto bad;
    if (seconds) v *= 1000;
    if (flags & (SET_EX | SET_PX)) {
        if (v > LLONG_MAX - server.ks.now_ms) goto bad;
        v += server.ks.now_ms;
    }
    *out = v;
    return 0;
bad:
    reply_errorf(c, "ERR invalid expire time in '%s' command", name);
    return -1;
}

/* ------------------------------------------------------------------ GET SET family */

static void cmd_get(client *c) { get_generic(c); }

/* The core of SET/SETNX/SETEX/PSETEX. int_reply: 1/0 instead of OK/null (SETNX). */
static void set_generic(client *c, int flags, const resp_arg *val, const resp_arg *expire,
                        const char *name, int int_reply) {
    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    long long when = 0;
    if (expire && expire_to_ms(c, expire, flags, name, &when) < 0) return;
    if ((flags & SET_GET) && get_generic(c) < 0) return;
    int found = db_lookup_write(&server.ks, c->db, k, len) != NULL;
    if (((flags & SET_NX) && found) || ((flags & SET_XX) && !found)) {
        if (flags & SET_GET) return;
        if (int_reply) reply_long_long(c, 0);
        else reply_null(c);
        return;
    }
    db_set(c->db, k, len, obj_new_string(val->ptr, val->len), (flags & SET_KEEPTTL) != 0);
    key_changed(c, k, len, NOTIFY_STRING, "set");
    if (expire) {
        db_set_expire(c->db, k, len, when);
        server_notify(NOTIFY_GENERIC, "expire", k, len, c->db->id);
        /* Redis 7.0 propagates SET key value PXAT <abs ms>, other flags dropped. */
        resp_arg av[5] = {{(char *)"SET", 3}, c->argv[1], *val, {(char *)"PXAT", 4}, {0}};
        prop_with_time(c, 5, av, when);
    }
    if (flags & SET_GET) return;
    if (int_reply) reply_long_long(c, 1);
    else reply_ok(c);
}

static void cmd_set(client *c) {
    int flags;
    const resp_arg *expire;
    if (set_parse(c, 3, 1, &flags, &expire) < 0) return;
    set_generic(c, flags, &c->argv[2], expire, "set", 0);
}

static void cmd_setnx(client *c) { set_generic(c, SET_NX, &c->argv[2], NULL, "setnx", 1); }

static void cmd_setex(client *c) {
    set_generic(c, SET_EX, &c->argv[3], &c->argv[2], "setex", 0);
}

static void cmd_psetex(client *c) {
    set_generic(c, SET_PX, &c->argv[3], &c->argv[2], "psetex", 0);
}

static void cmd_getset(client *c) {
    if (get_generic(c) < 0) return;
    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    db_set(c->db, k, len, obj_new_string(c->argv[2].ptr, c->argv[2].len), 0);
    key_changed(c, k, len, NOTIFY_STRING, "set");
}

static void cmd_getdel(client *c) {
    if (get_generic(c) < 0) return;
    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    if (db_delete(c->db, k, len)) {
        key_changed(c, k, len, NOTIFY_GENERIC, "del");
        prop_del(c, "lazyfree-lazy-user-del");
    }
}

static void cmd_getex(client *c) {
    int flags;
    const resp_arg *expire;
    long long when = 0;
    if (set_parse(c, 2, 0, &flags, &expire) < 0) return;
    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    obj *o = db_lookup_read(&server.ks, c->db, k, len);
    if (!o) {
        reply_null(c);
        return;
    }
    if (check_string(c, o) < 0) return;
    if (expire && expire_to_ms(c, expire, flags, "getex", &when) < 0) return;
    reply_bulk_obj(c, o);
    if ((flags & (SET_EXAT | SET_PXAT)) && when <= server.ks.now_ms &&
        !server.ks.replica_mode) {
        db_delete(c->db, k, len);
        key_changed(c, k, len, NOTIFY_GENERIC, "del");
        prop_del(c, "lazyfree-lazy-expire");
    } else if (expire) {
        db_set_expire(c->db, k, len, when);
        key_changed(c, k, len, NOTIFY_GENERIC, "expire");
        resp_arg av[3] = {{(char *)"PEXPIREAT", 9}, c->argv[1], {0}};
        prop_with_time(c, 3, av, when);
    } else if ((flags & SET_PERSIST) && db_remove_expire(c->db, k, len)) {
        key_changed(c, k, len, NOTIFY_GENERIC, "persist");
        resp_arg av[2] = {{(char *)"PERSIST", 7}, c->argv[1]};
        propagate_rewrite(c, 2, av);
    }
}

/* ------------------------------------------------------------------ MGET MSET */

static void cmd_mget(client *c) {
    reply_array_len(c, c->argc - 1);
    for (int j = 1; j < c->argc; j++) {
        obj *o = db_lookup_read(&server.ks, c->db, key_ptr(c, j), key_len(c, j));
        if (o && o->type == OBJ_STRING) reply_bulk_obj(c, o);
        else reply_null(c);
    }
}

static void mset_generic(client *c, int nx) {
    if (c->argc % 2 == 0) {
        reply_error_arity(c);
        return;
    }
    if (nx) {
        for (int j = 1; j < c->argc; j += 2) {
            if (db_lookup_write(&server.ks, c->db, key_ptr(c, j), key_len(c, j))) {
                reply_long_long(c, 0);
                return;
            }
        }
    }
    for (int j = 1; j < c->argc; j += 2) {
        const resp_arg *v = &c->argv[j + 1];
        db_set(c->db, key_ptr(c, j), key_len(c, j), obj_new_string(v->ptr, v->len), 0);
        key_changed(c, key_ptr(c, j), key_len(c, j), NOTIFY_STRING, "set");
    }
    if (nx) reply_long_long(c, 1);
    else reply_ok(c);
}

static void cmd_mset(client *c) { mset_generic(c, 0); }
static void cmd_msetnx(client *c) { mset_generic(c, 1); }

/* ------------------------------------------------------------------ INCR family */

static void incr_generic(client *c, long long incr) {
    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    obj *o = db_lookup_write(&server.ks, c->db, k, len);
    if (check_string(c, o) < 0) return;
    long long v = 0;
    if (o && !obj_get_ll(o, &v)) {
        reply_error_not_int(c);
        return;
    }
    if ((incr < 0 && v < 0 && incr < LLONG_MIN - v) ||
        (incr > 0 && v > 0 && incr > LLONG_MAX - v)) {
        reply_error(c, "ERR increment or decrement would overflow");
        return;
    }
    v += incr;
    if (o) db_overwrite(c->db, k, len, obj_new_string_ll(v));
    else db_add(c->db, k, len, obj_new_string_ll(v));
    key_changed(c, k, len, NOTIFY_STRING, "incrby");
    reply_long_long(c, v);
}

static void cmd_incr(client *c) { incr_generic(c, 1); }
static void cmd_decr(client *c) { incr_generic(c, -1); }

static void cmd_incrby(client *c) {
    long long incr;
    if (arg_to_ll(c, &c->argv[2], &incr) < 0) return;
    incr_generic(c, incr);
}

static void cmd_decrby(client *c) {
    long long incr;
    if (arg_to_ll(c, &c->argv[2], &incr) < 0) return;
    if (incr == LLONG_MIN) {
        reply_error(c, "ERR decrement would overflow");
        return;
    }
    incr_generic(c, -incr);
}

static void cmd_incrbyfloat(client *c) {
    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    obj *o = db_lookup_write(&server.ks, c->db, k, len);
    if (check_string(c, o) < 0) return;
    long double v = 0, incr;
    if (o) {
        char tmp[24];
        size_t slen;
        const char *s = obj_str(o, &slen, tmp);
        if (!str_to_ld(s, slen, &v)) {
            reply_error_not_float(c);
            return;
        }
    }
    if (arg_to_ld(c, &c->argv[2], &incr) < 0) return;
    v += incr;
    if (isnan(v) || isinf(v)) {
        reply_error(c, "ERR increment would produce NaN or Infinity");
        return;
    }
    char buf[MAX_LONG_DOUBLE_CHARS];
    int n = ld_to_str(buf, sizeof(buf), v, LD_STR_HUMAN);
    if (n <= 0) {
        reply_error_not_float(c);
        return;
    }
    obj *nv = obj_new_string_noint(buf, (size_t)n);
    if (o) db_overwrite(c->db, k, len, nv);
    else db_add(c->db, k, len, nv);
    key_changed(c, k, len, NOTIFY_STRING, "incrbyfloat");
    /* Float arithmetic may differ on the replica: propagate the result, TTL kept. */
    resp_arg av[4] = {{(char *)"SET", 3}, c->argv[1], {buf, (size_t)n}, {(char *)"KEEPTTL", 7}};
    propagate_rewrite(c, 4, av);
    reply_bulk(c, buf, (size_t)n);
}

/* ------------------------------------------------------------------ APPEND STRLEN RANGES */

static void cmd_append(client *c) {
    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    const resp_arg *add = &c->argv[2];
    obj *o = db_lookup_write(&server.ks, c->db, k, len);
    size_t total;
    if (!o) {
        db_add(c->db, k, len, obj_new_string(add->ptr, add->len));
        total = add->len;
    } else {
        if (check_string(c, o) < 0) return;
        if (check_string_length(c, (long long)obj_strlen(o), (long long)add->len) < 0) return;
        o = make_raw_in_place(c->db, k, len, o);
        dstr s = dstr_catlen(obj_raw_dstr(o), add->ptr, add->len);
        obj_set_raw_dstr(o, s);
        total = dstr_len(s);
    }
    key_changed(c, k, len, NOTIFY_STRING, "append");
    reply_long_long(c, (long long)total);
}

static void cmd_strlen(client *c) {
    obj *o = db_lookup_read(&server.ks, c->db, key_ptr(c, 1), key_len(c, 1));
    if (check_string(c, o) < 0) return;
    reply_long_long(c, o ? (long long)obj_strlen(o) : 0);
}

static void cmd_getrange(client *c) {
    long long start, end;
    if (arg_to_ll(c, &c->argv[2], &start) < 0 || arg_to_ll(c, &c->argv[3], &end) < 0) return;
    obj *o = db_lookup_read(&server.ks, c->db, key_ptr(c, 1), key_len(c, 1));
    if (!o) {
        reply_bulk(c, "", 0);
        return;
    }
    if (check_string(c, o) < 0) return;
    char tmp[24];
    size_t slen;
    const char *s = obj_str(o, &slen, tmp);
    long long n = (long long)slen;
    /* Redis 7.0 rules: both negative and inverted is empty; negatives count from the
     * end and clamp at 0; end clamps at the last byte. */
    if (start < 0 && end < 0 && start > end) {
        reply_bulk(c, "", 0);
        return;
    }
    if (start < 0) start += n;
    if (end < 0) end += n;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= n) end = n - 1;
    if (n == 0 || start > end) reply_bulk(c, "", 0);
    else reply_bulk(c, s + start, (size_t)(end - start + 1));
}

static void cmd_setrange(client *c) {
    const char *k = key_ptr(c, 1);
    size_t len = key_len(c, 1);
    const resp_arg *val = &c->argv[3];
    long long offset;
    if (arg_to_ll(c, &c->argv[2], &offset) < 0) return;
    if (offset < 0) {
        reply_error(c, "ERR offset is out of range");
        return;
    }
    obj *o = db_lookup_write(&server.ks, c->db, k, len);
    if (!o) {
        if (val->len == 0) {
            reply_long_long(c, 0);
            return;
        }
        if (check_string_length(c, offset, (long long)val->len) < 0) return;
        o = obj_new_string_raw(NULL, 0);
        db_add(c->db, k, len, o);
    } else {
        if (check_string(c, o) < 0) return;
        if (val->len == 0) {
            reply_long_long(c, (long long)obj_strlen(o));
            return;
        }
        if (check_string_length(c, offset, (long long)val->len) < 0) return;
        o = make_raw_in_place(c->db, k, len, o);
    }
    dstr s = dstr_growzero(obj_raw_dstr(o), (size_t)offset + val->len);
    memcpy(s + offset, val->ptr, val->len);
    obj_set_raw_dstr(o, s);
    key_changed(c, k, len, NOTIFY_STRING, "setrange");
    reply_long_long(c, (long long)dstr_len(s));
}

/* ------------------------------------------------------------------ LCS */

typedef struct lcs_opts {
    int getlen, getidx, withmatchlen;
    long long minmatchlen;
} lcs_opts;

static int lcs_parse(client *c, lcs_opts *o) {
    memset(o, 0, sizeof(*o));
    for (int j = 3; j < c->argc; j++) {
        const resp_arg *a = &c->argv[j];
        if (arg_is(a, "idx")) {
            o->getidx = 1;
        } else if (arg_is(a, "len")) {
            o->getlen = 1;
        } else if (arg_is(a, "withmatchlen")) {
            o->withmatchlen = 1;
        } else if (arg_is(a, "minmatchlen") && j + 1 < c->argc) {
            if (arg_to_ll(c, &c->argv[++j], &o->minmatchlen) < 0) return -1;
            if (o->minmatchlen < 0) o->minmatchlen = 0;
        } else {
            reply_error_syntax(c);
            return -1;
        }
    }
    if (o->getidx && o->getlen) {
        reply_error(c, "ERR If you want both the length and indexes, please just use IDX.");
        return -1;
    }
    return 0;
}

/* The bytes of o ("" if missing) into s and len; tmp holds an INT rendering. */
static void lcs_input(obj *o, const char **s, size_t *len, char *tmp) {
    if (o) {
        *s = obj_str(o, len, tmp);
    } else {
        *s = "";
        *len = 0;
    }
}

static void lcs_emit_range(client *c, const lcs_opts *o, uint32_t as, uint32_t ae, uint32_t bs,
                           uint32_t be) {
    reply_array_len(c, 2 + o->withmatchlen);
    reply_array_len(c, 2);
    reply_long_long(c, as);
    reply_long_long(c, ae);
    reply_array_len(c, 2);
    reply_long_long(c, bs);
    reply_long_long(c, be);
    if (o->withmatchlen) reply_long_long(c, (long long)ae - as + 1);
}

#define LCS_T(t, blen, i, j) (t)[(size_t)(i) * ((size_t)(blen) + 1) + (j)]

/* How it works: T[i][j] is the LCS length of a[0..i) and b[0..j) (dynamic programming,
 * O(alen*blen) time and cells). */
static void lcs_fill(const char *a, uint32_t alen, const char *b, uint32_t blen, uint32_t *t) {
    for (uint32_t i = 0; i <= alen; i++) {
        for (uint32_t j = 0; j <= blen; j++) {
            uint32_t *cell = &LCS_T(t, blen, i, j);
            if (i == 0 || j == 0) {
                *cell = 0;
            } else if (a[i - 1] == b[j - 1]) {
                *cell = LCS_T(t, blen, i - 1, j - 1) + 1;
            } else {
                uint32_t up = LCS_T(t, blen, i - 1, j), left = LCS_T(t, blen, i, j - 1);
                *cell = up > left ? up : left;
            }
        }
    }
}

/* Walking back from T[alen][blen], a diagonal step on equal bytes adds a byte to the
 * result (written right to left) and extends the current matching range backwards; any
 * other step closes the range, which IDX reports when it is at least MINMATCHLEN long.
 * hdr is the deferred "matches" array (NULL without IDX). Returns the ranges emitted. */
static long long lcs_walk(client *c, const lcs_opts *o, const char *a, uint32_t alen,
                          const char *b, uint32_t blen, const uint32_t *t, char *result,
                          void *hdr) {
    uint32_t i = alen, j = blen, idx = LCS_T(t, blen, alen, blen);
    uint32_t as = alen, ae = 0, bs = 0, be = 0;   /* as == alen: no open range */
    long long nranges = 0;
    while (i > 0 && j > 0) {
        int emit = 0;
        if (a[i - 1] == b[j - 1]) {
            result[--idx] = a[i - 1];
            if (as == alen) {
                as = ae = i - 1;
                bs = be = j - 1;
            } else if (as == i && bs == j) {
                as--;
                bs--;
            } else {
                emit = 1;
            }
            if (as == 0 || bs == 0) emit = 1;
            i--;
            j--;
        } else {
            if (LCS_T(t, blen, i - 1, j) > LCS_T(t, blen, i, j - 1)) i--;
            else j--;
            if (as != alen) emit = 1;
        }
        if (!emit) continue;
        if (hdr && (o->minmatchlen == 0 || (long long)ae - as + 1 >= o->minmatchlen)) {
            lcs_emit_range(c, o, as, ae, bs, be);
            nranges++;
        }
        as = alen;
    }
    return nranges;
}

static void lcs_reply(client *c, const lcs_opts *o, const char *a, uint32_t alen,
                      const char *b, uint32_t blen, uint32_t *t) {
    lcs_fill(a, alen, b, blen, t);
    uint32_t total = LCS_T(t, blen, alen, blen);
    if (o->getlen) {
        reply_long_long(c, total);
        return;
    }
    char *result = kl_malloc((size_t)total + 1);
    void *hdr = NULL;
    if (o->getidx) {
        reply_map_len(c, 2);
        reply_bulk_cstr(c, "matches");
        hdr = reply_deferred(c);
    }
    long long nranges = lcs_walk(c, o, a, alen, b, blen, t, result, hdr);
    if (o->getidx) {
        reply_bulk_cstr(c, "len");
        reply_long_long(c, total);
        reply_set_deferred_array(c, hdr, nranges);
    } else {
        reply_bulk(c, result, total);
    }
    kl_free(result);
}

static void cmd_lcs(client *c) {
    obj *oa = db_lookup_read(&server.ks, c->db, key_ptr(c, 1), key_len(c, 1));
    obj *ob = db_lookup_read(&server.ks, c->db, key_ptr(c, 2), key_len(c, 2));
    if ((oa && oa->type != OBJ_STRING) || (ob && ob->type != OBJ_STRING)) {
        reply_error(c, "ERR The specified keys must contain string values");
        return;
    }
    lcs_opts o;
    if (lcs_parse(c, &o) < 0) return;
    char ta[24], tb[24];
    const char *a, *b;
    size_t alen, blen;
    lcs_input(oa, &a, &alen, ta);
    lcs_input(ob, &b, &blen, tb);
    if (alen >= UINT32_MAX - 1 || blen >= UINT32_MAX - 1) {
        reply_error(c, "ERR String too long for LCS");
        return;
    }
    /* The table is (alen+1)*(blen+1) uint32: bounded by proto-max-bulk-len like Redis,
     * so a request cannot make us allocate gigabytes. */
    unsigned long long cells = (unsigned long long)(alen + 1) * (blen + 1);
    if (cells > (unsigned long long)server.cfg.proto_max_bulk_len / sizeof(uint32_t)) {
        reply_error(c, "ERR Insufficient memory, transient memory for LCS exceeds "
                       "proto-max-bulk-len");
        return;
    }
    uint32_t *t = kl_malloc((size_t)cells * sizeof(uint32_t));
    lcs_reply(c, &o, a, (uint32_t)alen, b, (uint32_t)blen, t);
    kl_free(t);
}

/* ------------------------------------------------------------------ table */

static const char *tips_multi[] = {"request_policy:multi_shard", NULL};
static const char *tips_mset[] = {"request_policy:multi_shard", "response_policy:all_succeeded",
                                  NULL};
static const char *tips_msetnx[] = {"request_policy:multi_shard", "response_policy:agg_min",
                                    NULL};

#define SR (ACL_READ | ACL_STRING)
#define SW (ACL_WRITE | ACL_STRING)
#define W_DENY (CMD_WRITE | CMD_DENYOOM)
#define W_DENY_FAST (CMD_WRITE | CMD_DENYOOM | CMD_FAST)
#define KEY1 .firstkey = 1, .lastkey = 1, .keystep = 1

#define GETRANGE_COMPLEXITY                                                                   \
    "O(N) where N is the length of the returned string. The complexity is ultimately "       \
    "determined by the returned length, but because creating a substring from an existing " \
    "string is very cheap, it can be considered O(1) for small strings."

command string_commands[] = {
    {.name = "get", .proc = cmd_get, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = SR | ACL_FAST, KEY1, .group = "string", .since = "1.0.0",
     .summary = "Get the value of a key", .complexity = "O(1)"},
    {.name = "set", .proc = cmd_set, .arity = -3, .flags = W_DENY, .acl = SW | ACL_SLOW, KEY1,
     .group = "string", .since = "1.0.0", .summary = "Set the string value of a key",
     .complexity = "O(1)"},
    {.name = "setnx", .proc = cmd_setnx, .arity = 3, .flags = W_DENY_FAST,
     .acl = SW | ACL_FAST, KEY1, .group = "string", .since = "1.0.0",
     .summary = "Set the value of a key, only if the key does not exist",
     .complexity = "O(1)"},
    {.name = "setex", .proc = cmd_setex, .arity = 4, .flags = W_DENY, .acl = SW | ACL_SLOW,
     KEY1, .group = "string", .since = "2.0.0",
     .summary = "Set the value and expiration of a key", .complexity = "O(1)"},
    {.name = "psetex", .proc = cmd_psetex, .arity = 4, .flags = W_DENY, .acl = SW | ACL_SLOW,
     KEY1, .group = "string", .since = "2.6.0",
     .summary = "Set the value and expiration in milliseconds of a key",
     .complexity = "O(1)"},
    {.name = "getset", .proc = cmd_getset, .arity = 3, .flags = W_DENY_FAST,
     .acl = SW | ACL_FAST, KEY1, .group = "string", .since = "1.0.0",
     .summary = "Set the string value of a key and return its old value",
     .complexity = "O(1)"},
    {.name = "getdel", .proc = cmd_getdel, .arity = 2, .flags = CMD_WRITE | CMD_FAST,
     .acl = SW | ACL_FAST, KEY1, .group = "string", .since = "6.2.0",
     .summary = "Get the value of a key and delete the key", .complexity = "O(1)"},
    {.name = "getex", .proc = cmd_getex, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = SW | ACL_FAST, KEY1, .group = "string", .since = "6.2.0",
     .summary = "Get the value of a key and optionally set its expiration",
     .complexity = "O(1)"},
    {.name = "mget", .proc = cmd_mget, .arity = -2, .flags = CMD_READONLY | CMD_FAST,
     .acl = SR | ACL_FAST, .firstkey = 1, .lastkey = -1, .keystep = 1, .group = "string",
     .since = "1.0.0", .summary = "Get the values of all the given keys",
     .complexity = "O(N) where N is the number of keys to retrieve.", .tips = tips_multi},
    {.name = "mset", .proc = cmd_mset, .arity = -3, .flags = W_DENY, .acl = SW | ACL_SLOW,
     .firstkey = 1, .lastkey = -1, .keystep = 2, .group = "string", .since = "1.0.1",
     .summary = "Set multiple keys to multiple values",
     .complexity = "O(N) where N is the number of keys to set.", .tips = tips_mset},
    {.name = "msetnx", .proc = cmd_msetnx, .arity = -3, .flags = W_DENY, .acl = SW | ACL_SLOW,
     .firstkey = 1, .lastkey = -1, .keystep = 2, .group = "string", .since = "1.0.1",
     .summary = "Set multiple keys to multiple values, only if none of the keys exist",
     .complexity = "O(N) where N is the number of keys to set.", .tips = tips_msetnx},
    {.name = "incr", .proc = cmd_incr, .arity = 2, .flags = W_DENY_FAST, .acl = SW | ACL_FAST,
     KEY1, .group = "string", .since = "1.0.0",
     .summary = "Increment the integer value of a key by one", .complexity = "O(1)"},
    {.name = "decr", .proc = cmd_decr, .arity = 2, .flags = W_DENY_FAST, .acl = SW | ACL_FAST,
     KEY1, .group = "string", .since = "1.0.0",
     .summary = "Decrement the integer value of a key by one", .complexity = "O(1)"},
    {.name = "incrby", .proc = cmd_incrby, .arity = 3, .flags = W_DENY_FAST,
     .acl = SW | ACL_FAST, KEY1, .group = "string", .since = "1.0.0",
     .summary = "Increment the integer value of a key by the given amount",
     .complexity = "O(1)"},
    {.name = "decrby", .proc = cmd_decrby, .arity = 3, .flags = W_DENY_FAST,
     .acl = SW | ACL_FAST, KEY1, .group = "string", .since = "1.0.0",
     .summary = "Decrement the integer value of a key by the given number",
     .complexity = "O(1)"},
    {.name = "incrbyfloat", .proc = cmd_incrbyfloat, .arity = 3, .flags = W_DENY_FAST,
     .acl = SW | ACL_FAST, KEY1, .group = "string", .since = "2.6.0",
     .summary = "Increment the float value of a key by the given amount",
     .complexity = "O(1)"},
    {.name = "append", .proc = cmd_append, .arity = 3, .flags = W_DENY_FAST,
     .acl = SW | ACL_FAST, KEY1, .group = "string", .since = "2.0.0",
     .summary = "Append a value to a key",
     .complexity = "O(1). The amortized time complexity is O(1) assuming the appended value "
                   "is small and the already present value is of any size, since the dynamic "
                   "string library used by Redis will double the free space available on "
                   "every reallocation."},
    {.name = "strlen", .proc = cmd_strlen, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = SR | ACL_FAST, KEY1, .group = "string", .since = "2.2.0",
     .summary = "Get the length of the value stored in a key", .complexity = "O(1)"},
    {.name = "getrange", .proc = cmd_getrange, .arity = 4, .flags = CMD_READONLY,
     .acl = SR | ACL_SLOW, KEY1, .group = "string", .since = "2.4.0",
     .summary = "Get a substring of the string stored at a key",
     .complexity = GETRANGE_COMPLEXITY},
    {.name = "substr", .proc = cmd_getrange, .arity = 4, .flags = CMD_READONLY,
     .acl = SR | ACL_SLOW, KEY1, .group = "string", .since = "1.0.0",
     .summary = "Get a substring of the string stored at a key",
     .complexity = GETRANGE_COMPLEXITY},
    {.name = "setrange", .proc = cmd_setrange, .arity = 4, .flags = W_DENY,
     .acl = SW | ACL_SLOW, KEY1, .group = "string", .since = "2.2.0",
     .summary = "Overwrite part of a string at key starting at the specified offset",
     .complexity = "O(1), not counting the time taken to copy the new string in place. "
                   "Usually, this string is very small so the amortized complexity is O(1). "
                   "Otherwise, complexity is O(M) with M being the length of the value "
                   "argument."},
    {.name = "lcs", .proc = cmd_lcs, .arity = -3, .flags = CMD_READONLY, .acl = SR | ACL_SLOW,
     .firstkey = 1, .lastkey = 2, .keystep = 1, .group = "string", .since = "7.0.0",
     .summary = "Find longest common substring",
     .complexity = "O(N*M) where N and M are the lengths of s1 and s2, respectively"},
    {.name = NULL},
};
