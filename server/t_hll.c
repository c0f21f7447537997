/* t_hll.c -- the HyperLogLog commands: PFADD, PFCOUNT, PFMERGE and PFDEBUG.
 *
 * HyperLogLogs are plain string values in Redis's layout (common/types/hll.h), so GET/SET
 * move them between Redis and keel unchanged. Writers turn the value RAW and edit its dstr
 * in place; PFCOUNT on one key stores the computed cardinality in the header cache (and so,
 * like Redis, counts as a modification). Replies and errors follow Redis 7.0.
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <string.h>

#include "common/alloc.h"
#include "common/db.h"
#include "common/types/hll.h"
#include "server/server.h"

#define HLL_WRONGTYPE_ERR "WRONGTYPE Key is not a valid HyperLogLog string value."
#define HLL_INVALID_ERR "INVALIDOBJ Corrupted HLL object detected"

/* ------------------------------------------------------------------ helpers */

/* 0 when o is a valid HLL string; otherwise replies the matching error and returns -1. */
static int hll_check(client *c, const obj *o) {
    if (o->type != OBJ_STRING) {
        reply_error_wrongtype(c);
        return -1;
    }
    if (o->enc == OBJ_ENC_INT) goto invalid;
    char tmp[24];
    size_t len;
    const char *p = obj_str(o, &len, tmp);
    if (hll_is_valid(p, len)) return 0;
invalid:
    reply_error(c, HLL_WRONGTYPE_ERR);
    return -1;
}

/* Turns the key's value RAW (storing it back when reallocated) and returns it. */
static obj *hll_unshare(client *c, const resp_arg *key, obj *o) {
    obj *n = obj_make_raw(o);
    if (n != o) db_update_value(c->db, key->ptr, key->len, n);
    return n;
}

static obj *hll_create(client *c, const resp_arg *key) {
    dstr h = hll_new();
    obj *o = obj_new_string_raw(h, dstr_len(h));
    dstr_free(h);
    db_add(c->db, key->ptr, key->len, o);
    return o;
}

static void hll_modified(client *c, const resp_arg *key, long long changes, int notify) {
    server_key_modified(c, c->db, key->ptr, key->len);
    if (notify) server_notify(NOTIFY_STRING, "pfadd", key->ptr, key->len, c->db->id);
    server.dirty += changes;
}

static size_t sparse_max(void) {
    long long v = server.cfg.hll_sparse_max_bytes;
    return v < 0 ? 0 : (size_t)v;
}

/* ------------------------------------------------------------------ PFADD */

static void cmd_pfadd(client *c) {
    const resp_arg *key = &c->argv[1];
    obj *o = db_lookup_write(&server.ks, c->db, key->ptr, key->len);
    long long updated = 0;
    if (!o) {
        o = hll_create(c, key);
        updated++;
    } else {
        if (hll_check(c, o) < 0) return;
        o = hll_unshare(c, key, o);
    }
    dstr s = obj_raw_dstr(o);
    for (int j = 2; j < c->argc; j++) {
        int r = hll_add(&s, c->argv[j].ptr, c->argv[j].len, sparse_max());
        obj_set_raw_dstr(o, s);
        if (r < 0) {
            reply_error(c, HLL_INVALID_ERR);
            return;
        }
        updated += r;
    }
    if (updated) {
        hll_cache_invalidate(s);
        hll_modified(c, key, updated, 1);
    }
    reply_long_long(c, updated ? 1 : 0);
}

/* ------------------------------------------------------------------ PFCOUNT */

/* Union of several keys: registers merged into an 8-bit array, then estimated. */
static void pfcount_union(client *c) {
    uint8_t *max = kl_calloc(HLL_REGISTERS, 1);
    for (int j = 1; j < c->argc; j++) {
        obj *o = db_lookup_read(&server.ks, c->db, c->argv[j].ptr, c->argv[j].len);
        if (!o) continue;
        if (hll_check(c, o) < 0) goto done;
        char tmp[24];
        size_t len;
        const char *p = obj_str(o, &len, tmp);
        if (hll_merge_into(max, p, len) < 0) {
            reply_error(c, HLL_INVALID_ERR);
            goto done;
        }
    }
    reply_long_long(c, (long long)hll_count_raw(max));
done:
    kl_free(max);
}

static void cmd_pfcount(client *c) {
    if (c->argc > 2) {
        pfcount_union(c);
        return;
    }
    const resp_arg *key = &c->argv[1];
    obj *o = db_lookup_read(&server.ks, c->db, key->ptr, key->len);
    if (!o) {
        reply_long_long(c, 0);
        return;
    }
    if (hll_check(c, o) < 0) return;
    o = hll_unshare(c, key, o);
    dstr s = obj_raw_dstr(o);
    uint64_t card;
    if (hll_cache_valid(s)) {
        card = hll_cache_get(s);
    } else {
        int invalid = 0;
        card = hll_count(s, dstr_len(s), &invalid);
        if (invalid) {
            reply_error(c, HLL_INVALID_ERR);
            return;
        }
        hll_cache_set(s, card);
        hll_modified(c, key, 1, 0);
        /* PFCOUNT is read-only but stored its cache: Redis 7.0 propagates it as is. */
        propagate_rewrite(c, c->argc, c->argv);
    }
    reply_long_long(c, (long long)card);
}

/* ------------------------------------------------------------------ PFMERGE */

/* Merges every source (and the destination) into max; -1 after replying an error. */
static int pfmerge_collect(client *c, uint8_t *max, int *use_dense) {
    for (int j = 1; j < c->argc; j++) {
        obj *o = db_lookup_read(&server.ks, c->db, c->argv[j].ptr, c->argv[j].len);
        if (!o) continue;
        if (hll_check(c, o) < 0) return -1;
        char tmp[24];
        size_t len;
        const char *p = obj_str(o, &len, tmp);
        if (hll_encoding(p) == HLL_ENC_DENSE) *use_dense = 1;
        if (hll_merge_into(max, p, len) < 0) {
            reply_error(c, HLL_INVALID_ERR);
            return -1;
        }
    }
    return 0;
}

static void cmd_pfmerge(client *c) {
    const resp_arg *key = &c->argv[1];
    uint8_t *max = kl_calloc(HLL_REGISTERS, 1);
    int use_dense = 0;
    if (pfmerge_collect(c, max, &use_dense) < 0) goto done;
    obj *o = db_lookup_write(&server.ks, c->db, key->ptr, key->len);
    o = o ? hll_unshare(c, key, o) : hll_create(c, key);
    dstr s = obj_raw_dstr(o);
    if (use_dense && hll_to_dense(&s) < 0) {
        reply_error(c, HLL_INVALID_ERR);
        goto done;
    }
    for (long j = 0; j < HLL_REGISTERS; j++) {
        if (!max[j]) continue;
        if (hll_encoding(s) == HLL_ENC_DENSE)
            hll_dense_set((uint8_t *)s + HLL_HDR_SIZE, j, max[j]);
        else
            hll_set_register(&s, j, max[j], sparse_max());
    }
    hll_cache_invalidate(s);
    obj_set_raw_dstr(o, s);
    hll_modified(c, key, 1, 1);
    reply_ok(c);
done:
    kl_free(max);
}

/* ------------------------------------------------------------------ PFDEBUG */

static void pfdebug_getreg(client *c, obj *o) {
    dstr s = obj_raw_dstr(o);
    int r = hll_to_dense(&s);
    obj_set_raw_dstr(o, s);
    if (r < 0) {
        reply_error(c, HLL_INVALID_ERR);
        return;
    }
    server.dirty++;
    reply_array_len(c, HLL_REGISTERS);
    for (long j = 0; j < HLL_REGISTERS; j++)
        reply_long_long(c, hll_dense_get((uint8_t *)s + HLL_HDR_SIZE, j));
}

static void pfdebug_decode(client *c, dstr s) {
    if (hll_encoding(s) != HLL_ENC_SPARSE) {
        reply_error(c, "ERR HLL encoding is not sparse");
        return;
    }
    dstr out = dstr_empty();
    const uint8_t *p = (const uint8_t *)s + HLL_HDR_SIZE, *end = (const uint8_t *)s + dstr_len(s);
    while (p < end) {
        if ((*p & 0xc0) == 0) {
            out = dstr_catfmt(out, "z:%d ", (*p & 0x3f) + 1);
            p++;
        } else if ((*p & 0xc0) == 0x40) {
            int len = p + 1 < end ? (((p[0] & 0x3f) << 8) | p[1]) + 1 : 1;
            out = dstr_catfmt(out, "Z:%d ", len);
            p += 2;
        } else {
            out = dstr_catfmt(out, "v:%d,%d ", ((*p >> 2) & 0x1f) + 1, (*p & 3) + 1);
            p++;
        }
    }
    if (dstr_len(out)) dstr_setlen(out, dstr_len(out) - 1);
    reply_simple(c, out);
    dstr_free(out);
}

static void cmd_pfdebug(client *c) {
    const resp_arg *key = &c->argv[2];
    obj *o = db_lookup_write(&server.ks, c->db, key->ptr, key->len);
    if (!o) {
        reply_error(c, "The specified key does not exist");
        return;
    }
    if (hll_check(c, o) < 0) return;
    o = hll_unshare(c, key, o);
    dstr s = obj_raw_dstr(o);
    if (arg_is(&c->argv[1], "getreg")) {
        pfdebug_getreg(c, o);
    } else if (arg_is(&c->argv[1], "decode")) {
        pfdebug_decode(c, s);
    } else if (arg_is(&c->argv[1], "encoding")) {
        reply_simple(c, hll_encoding(s) == HLL_ENC_DENSE ? "dense" : "sparse");
    } else if (arg_is(&c->argv[1], "todense")) {
        int conv = hll_encoding(s) == HLL_ENC_SPARSE;
        if (conv) {
            int r = hll_to_dense(&s);
            obj_set_raw_dstr(o, s);
            if (r < 0) {
                reply_error(c, HLL_INVALID_ERR);
                return;
            }
            server.dirty++;
        }
        reply_long_long(c, conv);
    } else {
        reply_errorf(c, "Unknown PFDEBUG subcommand '%.*s'", (int)c->argv[1].len,
                     c->argv[1].ptr);
    }
}

/* ------------------------------------------------------------------ table */

#define HW (ACL_WRITE | ACL_HYPERLOGLOG)

command hll_commands[] = {
    {.name = "pfadd", .proc = cmd_pfadd, .arity = -2,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_FAST, .acl = HW | ACL_FAST, .firstkey = 1,
     .lastkey = 1, .keystep = 1, .group = "hyperloglog", .since = "2.8.9",
     .summary = "Adds the specified elements to the specified HyperLogLog.",
     .complexity = "O(1) to add every element."},
    {.name = "pfcount", .proc = cmd_pfcount, .arity = -2, .flags = CMD_READONLY,
     .acl = ACL_READ | ACL_HYPERLOGLOG | ACL_SLOW, .firstkey = 1, .lastkey = -1, .keystep = 1,
     .group = "hyperloglog", .since = "2.8.9",
     .summary = "Return the approximated cardinality of the set(s) observed by the "
                "HyperLogLog at key(s).",
     .complexity = "O(1) with a very small average constant time when called with a single "
                   "key. O(N) with N being the number of keys, and much bigger constant "
                   "times, when called with multiple keys."},
    {.name = "pfmerge", .proc = cmd_pfmerge, .arity = -2, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = HW | ACL_SLOW, .firstkey = 1, .lastkey = -1, .keystep = 1,
     .group = "hyperloglog", .since = "2.8.9",
     .summary = "Merge N different HyperLogLogs into a single one.",
     .complexity = "O(N) to merge N HyperLogLogs, but with high constant times."},
    {.name = "pfdebug", .proc = cmd_pfdebug, .arity = 3,
     .flags = CMD_WRITE | CMD_DENYOOM | CMD_ADMIN, .acl = HW | ACL_ADMIN | ACL_SLOW,
     .firstkey = 2, .lastkey = 2, .keystep = 1, .group = "hyperloglog", .since = "2.8.9",
     .summary = "Internal commands for debugging HyperLogLog values", .complexity = "N/A"},
    {.name = NULL},
};

/* HyperLogLogs are strings: no object type to register. */
void t_hll_init(void) {}
