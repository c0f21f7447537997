/* t_hash.c -- the hash commands (HSET ... HSCAN) over common/types/hash.
 *
 * Replies, errors and their order follow Redis 7.0 t_hash.c: arguments such as increments
 * and HRANDFIELD counts are validated before the key is looked up; an emptied hash is
 * deleted ("hdel" then "del" events); HGETALL answers a RESP3 map; HRANDFIELD WITHVALUES
 * answers pairs in RESP3; HSCAN returns a listpack hash whole with cursor 0.
 * The encoding thresholds come from server.cfg.hash_max_listpack_{entries,value}.
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/types/hash.h"
#include "common/util.h"
#include "server/server.h"

/* ------------------------------------------------------------------ helpers */

static const char *key_ptr(client *c) { return c->argv[1].ptr; }
static size_t key_len(client *c) { return c->argv[1].len; }

static size_t max_entries(void) {
    long long v = server.cfg.hash_max_listpack_entries;
    return v < 0 ? 0 : (size_t)v;
}

static size_t max_value(void) {
    long long v = server.cfg.hash_max_listpack_value;
    return v < 0 ? 0 : (size_t)v;
}

static void key_changed(client *c, const char *event, long long changes) {
    server_key_modified(c, c->db, key_ptr(c), key_len(c));
    server_notify(NOTIFY_HASH, event, key_ptr(c), key_len(c), c->db->id);
    server.dirty += changes;
}

/* Replies WRONGTYPE and returns -1 when o exists and is not a hash. */
static int check_hash(client *c, const obj *o) {
    if (o && o->type != OBJ_HASH) {
        reply_error_wrongtype(c);
        return -1;
    }
    return 0;
}

/* The hash at argv[1] for reading; NULL when missing (nothing replied) and sets *err on
 * WRONGTYPE (already replied). */
static obj *lookup_read(client *c, int *err) {
    obj *o = db_lookup_read(&server.ks, c->db, key_ptr(c), key_len(c));
    *err = check_hash(c, o);
    return *err ? NULL : o;
}

/* The hash at argv[1] for writing, created (and added to the db) when missing. NULL after
 * replying WRONGTYPE. */
static obj *lookup_write_create(client *c) {
    obj *o = db_lookup_write(&server.ks, c->db, key_ptr(c), key_len(c));
    if (check_hash(c, o) < 0) return NULL;
    if (!o) {
        o = hash_new();
        db_add(c->db, key_ptr(c), key_len(c), o);
    }
    return o;
}

static int hash_set_arg(obj *o, const resp_arg *f, const resp_arg *v) {
    return hash_set(o, f->ptr, f->len, v->ptr, v->len, max_entries(), max_value());
}

/* ------------------------------------------------------------------ HSET family */

static void hset_generic(client *c, int is_hmset) {
    if (c->argc % 2 == 1) {
        reply_error_arity(c);
        return;
    }
    obj *o = lookup_write_create(c);
    if (!o) return;
    long long added = 0;
    for (int j = 2; j < c->argc; j += 2) added += hash_set_arg(o, &c->argv[j], &c->argv[j + 1]);
    key_changed(c, "hset", (c->argc - 2) / 2);
    if (is_hmset) reply_ok(c);
    else reply_long_long(c, added);
}

static void cmd_hset(client *c) { hset_generic(c, 0); }
static void cmd_hmset(client *c) { hset_generic(c, 1); }

static void cmd_hsetnx(client *c) {
    obj *o = lookup_write_create(c);
    if (!o) return;
    if (hash_exists(o, c->argv[2].ptr, c->argv[2].len)) {
        reply_long_long(c, 0);
        return;
    }
    hash_set_arg(o, &c->argv[2], &c->argv[3]);
    key_changed(c, "hset", 1);
    reply_long_long(c, 1);
}

/* ------------------------------------------------------------------ reads */

static void reply_field_value(client *c, const obj *o, const resp_arg *f) {
    const char *v;
    size_t vlen;
    char buf[HASH_NUMBUF];
    if (o && hash_get(o, f->ptr, f->len, &v, &vlen, buf)) reply_bulk(c, v, vlen);
    else reply_null(c);
}

static void cmd_hget(client *c) {
    int err;
    obj *o = lookup_read(c, &err);
    if (err) return;
    reply_field_value(c, o, &c->argv[2]);
}

static void cmd_hmget(client *c) {
    int err;
    obj *o = lookup_read(c, &err);
    if (err) return;
    reply_array_len(c, c->argc - 2);
    for (int j = 2; j < c->argc; j++) reply_field_value(c, o, &c->argv[j]);
}

static void cmd_hlen(client *c) {
    int err;
    obj *o = lookup_read(c, &err);
    if (err) return;
    reply_long_long(c, o ? (long long)hash_len(o) : 0);
}

static void cmd_hstrlen(client *c) {
    int err;
    obj *o = lookup_read(c, &err);
    if (err) return;
    const char *v;
    size_t vlen = 0;
    char buf[HASH_NUMBUF];
    if (!o || !hash_get(o, c->argv[2].ptr, c->argv[2].len, &v, &vlen, buf)) vlen = 0;
    reply_long_long(c, (long long)vlen);
}

static void cmd_hexists(client *c) {
    int err;
    obj *o = lookup_read(c, &err);
    if (err) return;
    reply_long_long(c, o && hash_exists(o, c->argv[2].ptr, c->argv[2].len));
}

#define WANT_FIELDS 1
#define WANT_VALUES 2

/* HGETALL (a map), HKEYS, HVALS. */
static void getall_generic(client *c, int want) {
    int err;
    obj *o = lookup_read(c, &err);
    if (err) return;
    long long n = o ? (long long)hash_len(o) : 0;
    if (want == (WANT_FIELDS | WANT_VALUES)) reply_map_len(c, n);
    else reply_array_len(c, n);
    if (!o) return;
    hash_iter it;
    const char *f, *v;
    size_t flen, vlen;
    hash_iter_init(&it, o);
    while (hash_iter_next(&it, &f, &flen, &v, &vlen)) {
        if (want & WANT_FIELDS) reply_bulk(c, f, flen);
        if (want & WANT_VALUES) reply_bulk(c, v, vlen);
    }
    hash_iter_release(&it);
}

static void cmd_hgetall(client *c) { getall_generic(c, WANT_FIELDS | WANT_VALUES); }
static void cmd_hkeys(client *c) { getall_generic(c, WANT_FIELDS); }
static void cmd_hvals(client *c) { getall_generic(c, WANT_VALUES); }

/* ------------------------------------------------------------------ HDEL */

static void cmd_hdel(client *c) {
    obj *o = db_lookup_write(&server.ks, c->db, key_ptr(c), key_len(c));
    if (check_hash(c, o) < 0) return;
    long long deleted = 0;
    int removed = 0;
    for (int j = 2; o && j < c->argc; j++) {
        deleted += hash_delete(o, c->argv[j].ptr, c->argv[j].len);
        if (hash_len(o) == 0) {
            db_delete(c->db, key_ptr(c), key_len(c));
            removed = 1;
            break;
        }
    }
    if (deleted) {
        key_changed(c, "hdel", deleted);
        if (removed) server_notify(NOTIFY_GENERIC, "del", key_ptr(c), key_len(c), c->db->id);
    }
    reply_long_long(c, deleted);
}

/* ------------------------------------------------------------------ HINCRBY* */

static void cmd_hincrby(client *c) {
    long long incr, cur = 0;
    if (arg_to_ll(c, &c->argv[3], &incr) < 0) return;
    obj *o = lookup_write_create(c);
    if (!o) return;
    const char *v;
    size_t vlen;
    char buf[HASH_NUMBUF];
    if (hash_get(o, c->argv[2].ptr, c->argv[2].len, &v, &vlen, buf) &&
        !str_to_ll(v, vlen, &cur)) {
        reply_error(c, "ERR hash value is not an integer");
        return;
    }
    if ((incr < 0 && cur < 0 && incr < LLONG_MIN - cur) ||
        (incr > 0 && cur > 0 && incr > LLONG_MAX - cur)) {
        reply_error(c, "ERR increment or decrement would overflow");
        return;
    }
    cur += incr;
    char out[HASH_NUMBUF];
    int n = ll_to_str(out, sizeof(out), cur);
    hash_set(o, c->argv[2].ptr, c->argv[2].len, out, (size_t)n, max_entries(), max_value());
    key_changed(c, "hincrby", 1);
    reply_long_long(c, cur);
}

static void cmd_hincrbyfloat(client *c) {
    long double incr, cur = 0;
    if (arg_to_ld(c, &c->argv[3], &incr) < 0) return;
    if (isnan(incr) || isinf(incr)) {
        reply_error(c, "ERR value is NaN or Infinity");
        return;
    }
    obj *o = lookup_write_create(c);
    if (!o) return;
    const char *v;
    size_t vlen;
    char buf[HASH_NUMBUF];
    if (hash_get(o, c->argv[2].ptr, c->argv[2].len, &v, &vlen, buf) &&
        (!str_to_ld(v, vlen, &cur) || isnan(cur))) {
        reply_error(c, "ERR hash value is not a float");
        return;
    }
    cur += incr;
    if (isnan(cur) || isinf(cur)) {
        reply_error(c, "ERR increment would produce NaN or Infinity");
        return;
    }
    char out[MAX_LONG_DOUBLE_CHARS];
    int n = ld_to_str(out, sizeof(out), cur, LD_STR_HUMAN);
    if (n <= 0) {
        reply_error(c, "ERR hash value is not a float");
        return;
    }
    hash_set(o, c->argv[2].ptr, c->argv[2].len, out, (size_t)n, max_entries(), max_value());
    key_changed(c, "hincrbyfloat", 1);
    /* Float arithmetic may differ on the replica: propagate the stored result. */
    resp_arg av[4] = {{(char *)"HSET", 4}, c->argv[1], c->argv[2], {out, (size_t)n}};
    propagate_rewrite(c, 4, av);
    reply_bulk(c, out, (size_t)n);
}

/* ------------------------------------------------------------------ HRANDFIELD */

typedef struct pick_reply {
    client *c;
    int withvalues;
} pick_reply;

static void pick_emit(void *priv, const char *f, size_t flen, const char *v, size_t vlen) {
    pick_reply *pr = priv;
    if (pr->withvalues && pr->c->resp > 2) reply_array_len(pr->c, 2);
    reply_bulk(pr->c, f, flen);
    if (pr->withvalues) reply_bulk(pr->c, v, vlen);
}

static void hrandfield_count(client *c, long long l, int withvalues) {
    int err;
    obj *o = lookup_read(c, &err);
    if (err) return;
    unsigned long long count = l >= 0 ? (unsigned long long)l : (unsigned long long)-l;
    if (!o || count == 0) {
        reply_empty_array(c);
        return;
    }
    size_t size = hash_len(o);
    pick_reply pr = {c, withvalues};
    int flat = withvalues && c->resp == 2;
    if (l < 0) {
        reply_array_len(c, (long long)(flat ? count * 2 : count));
        hash_random_repeat(o, (size_t)count, pick_emit, &pr);
        return;
    }
    if (count >= size) {
        reply_array_len(c, (long long)(flat ? size * 2 : size));
        hash_iter it;
        const char *f, *v;
        size_t flen, vlen;
        hash_iter_init(&it, o);
        while (hash_iter_next(&it, &f, &flen, &v, &vlen)) pick_emit(&pr, f, flen, v, vlen);
        hash_iter_release(&it);
        return;
    }
    reply_array_len(c, (long long)(flat ? count * 2 : count));
    hash_random_unique(o, (size_t)count, pick_emit, &pr);
}

static void cmd_hrandfield(client *c) {
    if (c->argc >= 3) {
        long long l;
        if (arg_to_ll(c, &c->argv[2], &l) < 0) return;
        if (l < -LONG_MAX) {   /* Redis's getRangeLongFromObjectOrReply wording */
            reply_error(c, "ERR value is out of range, value must between -9223372036854775807 "
                           "and 9223372036854775807");
            return;
        }
        if (c->argc > 4 || (c->argc == 4 && !arg_is(&c->argv[3], "withvalues"))) {
            reply_error_syntax(c);
            return;
        }
        if (c->argc == 4 && (l < -LONG_MAX / 2 || l > LONG_MAX / 2)) {
            reply_error(c, "ERR value is out of range");
            return;
        }
        hrandfield_count(c, l, c->argc == 4);
        return;
    }
    int err;
    obj *o = lookup_read(c, &err);
    if (err) return;
    if (!o) {
        reply_null(c);
        return;
    }
    pick_reply pr = {c, 0};
    hash_random_repeat(o, 1, pick_emit, &pr);
}

/* ------------------------------------------------------------------ HSCAN */

typedef struct hscan_batch {
    const resp_arg *match;    /* NULL = everything */
    const char **v;           /* field, value, field, value ... */
    size_t *len;
    size_t n, cap;
} hscan_batch;

static void hscan_collect(void *priv, const char *f, size_t flen, const char *v, size_t vlen) {
    hscan_batch *b = priv;
    if (b->match && !glob_match(b->match->ptr, b->match->len, f, flen, 0)) return;
    if (b->n + 2 > b->cap) {
        b->cap = b->cap ? b->cap * 2 : 32;
        b->v = kl_realloc(b->v, b->cap * sizeof(*b->v));
        b->len = kl_realloc(b->len, b->cap * sizeof(*b->len));
    }
    b->v[b->n] = f;
    b->len[b->n++] = flen;
    b->v[b->n] = v;
    b->len[b->n++] = vlen;
}

static int hscan_parse_opts(client *c, long long *count, const resp_arg **match) {
    *count = 10;
    *match = NULL;
    for (int j = 3; j < c->argc; j += 2) {
        if (j + 1 >= c->argc) goto syntax;
        if (arg_is(&c->argv[j], "count")) {
            if (arg_to_ll(c, &c->argv[j + 1], count) < 0) return -1;
            if (*count < 1) goto syntax;
        } else if (arg_is(&c->argv[j], "match")) {
            const resp_arg *m = &c->argv[j + 1];
            *match = (m->len == 1 && m->ptr[0] == '*') ? NULL : m;
        } else {
            goto syntax;
        }
    }
    return 0;
syntax:
    reply_error_syntax(c);
    return -1;
}

/* A listpack hash is small by construction: reply with all matching pairs and cursor 0
 * (integers are formatted by the iterator, so pairs are replied as they are visited). */
static void hscan_listpack(client *c, const obj *o, hscan_batch *b) {
    hash_iter it;
    const char *f, *v;
    size_t flen, vlen;
    hash_iter_init(&it, o);
    reply_array_len(c, 2);
    reply_bulk(c, "0", 1);
    void *hdr = reply_deferred(c);
    long long n = 0;
    while (hash_iter_next(&it, &f, &flen, &v, &vlen)) {
        if (b->match && !glob_match(b->match->ptr, b->match->len, f, flen, 0)) continue;
        reply_bulk(c, f, flen);
        reply_bulk(c, v, vlen);
        n += 2;
    }
    hash_iter_release(&it);
    reply_set_deferred_array(c, hdr, n);
}

static void cmd_hscan(client *c) {
    unsigned long cursor;
    if (arg_to_scan_cursor(c, &c->argv[2], &cursor) < 0) return;
    int err;
    obj *o = lookup_read(c, &err);
    if (err) return;
    if (!o) {
        reply_array_len(c, 2);
        reply_bulk(c, "0", 1);
        reply_empty_array(c);
        return;
    }
    long long count;
    hscan_batch b = {0};
    if (hscan_parse_opts(c, &count, &b.match) < 0) return;
    if (o->enc == OBJ_ENC_LISTPACK) {
        hscan_listpack(c, o, &b);
        return;
    }
    cursor = hash_scan(o, cursor, (size_t)count, hscan_collect, &b);
    char cbuf[32];
    int clen = ull_to_str(cbuf, sizeof(cbuf), cursor);
    reply_array_len(c, 2);
    reply_bulk(c, cbuf, (size_t)clen);
    reply_array_len(c, (long long)b.n);
    for (size_t i = 0; i < b.n; i++) reply_bulk(c, b.v[i], b.len[i]);
    kl_free(b.v);
    kl_free(b.len);
}

/* ------------------------------------------------------------------ table */

void t_hash_init(void) { hash_register_ops(); }

#define HW (ACL_WRITE | ACL_HASH)
#define HR (ACL_READ | ACL_HASH)
#define W_DENY_FAST (CMD_WRITE | CMD_DENYOOM | CMD_FAST)
#define KEY1 .firstkey = 1, .lastkey = 1, .keystep = 1

static const char *tips_order[] = {"nondeterministic_output_order", NULL};
static const char *tips_nondet[] = {"nondeterministic_output", NULL};

command hash_commands[] = {
    {.name = "hset", .proc = cmd_hset, .arity = -4, .flags = W_DENY_FAST,
     .acl = HW | ACL_FAST, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Set the string value of a hash field",
     .complexity = "O(1) for each field/value pair added, so O(N) to add N field/value pairs "
                   "when the command is called with multiple field/value pairs."},
    {.name = "hsetnx", .proc = cmd_hsetnx, .arity = 4, .flags = W_DENY_FAST,
     .acl = HW | ACL_FAST, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Set the value of a hash field, only if the field does not exist",
     .complexity = "O(1)"},
    {.name = "hget", .proc = cmd_hget, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = HR | ACL_FAST, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Get the value of a hash field", .complexity = "O(1)"},
    {.name = "hmget", .proc = cmd_hmget, .arity = -3, .flags = CMD_READONLY | CMD_FAST,
     .acl = HR | ACL_FAST, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Get the values of all the given hash fields",
     .complexity = "O(N) where N is the number of fields being requested."},
    {.name = "hmset", .proc = cmd_hmset, .arity = -4, .flags = W_DENY_FAST,
     .acl = HW | ACL_FAST, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Set multiple hash fields to multiple values",
     .complexity = "O(N) where N is the number of fields being set."},
    {.name = "hgetall", .proc = cmd_hgetall, .arity = 2, .flags = CMD_READONLY,
     .acl = HR | ACL_SLOW, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Get all the fields and values in a hash",
     .complexity = "O(N) where N is the size of the hash.", .tips = tips_order},
    {.name = "hdel", .proc = cmd_hdel, .arity = -3, .flags = CMD_WRITE | CMD_FAST,
     .acl = HW | ACL_FAST, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Delete one or more hash fields",
     .complexity = "O(N) where N is the number of fields to be removed."},
    {.name = "hexists", .proc = cmd_hexists, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = HR | ACL_FAST, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Determine if a hash field exists", .complexity = "O(1)"},
    {.name = "hlen", .proc = cmd_hlen, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = HR | ACL_FAST, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Get the number of fields in a hash", .complexity = "O(1)"},
    {.name = "hstrlen", .proc = cmd_hstrlen, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = HR | ACL_FAST, KEY1, .group = "hash", .since = "3.2.0",
     .summary = "Get the length of the value of a hash field", .complexity = "O(1)"},
    {.name = "hkeys", .proc = cmd_hkeys, .arity = 2, .flags = CMD_READONLY,
     .acl = HR | ACL_SLOW, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Get all the fields in a hash",
     .complexity = "O(N) where N is the size of the hash.", .tips = tips_order},
    {.name = "hvals", .proc = cmd_hvals, .arity = 2, .flags = CMD_READONLY,
     .acl = HR | ACL_SLOW, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Get all the values in a hash",
     .complexity = "O(N) where N is the size of the hash.", .tips = tips_order},
    {.name = "hincrby", .proc = cmd_hincrby, .arity = 4, .flags = W_DENY_FAST,
     .acl = HW | ACL_FAST, KEY1, .group = "hash", .since = "2.0.0",
     .summary = "Increment the integer value of a hash field by the given number",
     .complexity = "O(1)"},
    {.name = "hincrbyfloat", .proc = cmd_hincrbyfloat, .arity = 4, .flags = W_DENY_FAST,
     .acl = HW | ACL_FAST, KEY1, .group = "hash", .since = "2.6.0",
     .summary = "Increment the float value of a hash field by the given amount",
     .complexity = "O(1)"},
    {.name = "hrandfield", .proc = cmd_hrandfield, .arity = -2, .flags = CMD_READONLY,
     .acl = HR | ACL_SLOW, KEY1, .group = "hash", .since = "6.2.0",
     .summary = "Get one or multiple random fields from a hash",
     .complexity = "O(N) where N is the number of fields returned", .tips = tips_nondet},
    {.name = "hscan", .proc = cmd_hscan, .arity = -3, .flags = CMD_READONLY,
     .acl = HR | ACL_SLOW, KEY1, .group = "hash", .since = "2.8.0",
     .summary = "Incrementally iterate hash fields and associated values",
     .complexity = "O(1) for every call. O(N) for a complete iteration, including enough "
                   "command calls for the cursor to return back to 0. N is the number of "
                   "elements inside the collection..",
     .tips = tips_nondet},
    {.name = NULL},
};
