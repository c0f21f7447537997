/* rdb.c -- RDB version 10 snapshots: a writer with plain encodings (string, list, set,
 * zset_2, hash) and a reader for every encoding Redis 7.0 writes plus the older ones
 * (zipmap, ziplist, intset, quicklist).
 *
 * Reading is defensive: every length is checked against the remaining input (when known)
 * and rdb_limits.max_len before anything is allocated; strings of unknown-size streams are
 * read in chunks so a lying length cannot make us allocate more than the input holds.
 * Redis's ziplist, listpack, intset and zipmap blobs are decoded here with full bounds
 * checks (they are not keel's listpack format) and turned into keel objects through the
 * type APIs, which pick the encodings from the thresholds in rdb_limits.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/rdb.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/crc64.h"
#include "common/lzf.h"
#include "common/util.h"
#include "common/types/hash.h"
#include "common/types/quicklist.h"
#include "common/types/set.h"
#include "common/types/zset.h"

/* Value types and opcodes of the format. */
enum {
    RDB_T_STRING = 0, RDB_T_LIST = 1, RDB_T_SET = 2, RDB_T_ZSET = 3, RDB_T_HASH = 4,
    RDB_T_ZSET_2 = 5, RDB_T_MODULE = 6, RDB_T_MODULE_2 = 7, RDB_T_HASH_ZIPMAP = 9,
    RDB_T_LIST_ZIPLIST = 10, RDB_T_SET_INTSET = 11, RDB_T_ZSET_ZIPLIST = 12,
    RDB_T_HASH_ZIPLIST = 13, RDB_T_LIST_QUICKLIST = 14, RDB_T_STREAM = 15,
    RDB_T_HASH_LISTPACK = 16, RDB_T_ZSET_LISTPACK = 17, RDB_T_LIST_QUICKLIST_2 = 18,
    RDB_T_STREAM_2 = 19, RDB_T_SET_LISTPACK = 20, RDB_T_STREAM_3 = 21,
};
enum {
    RDB_OP_FUNCTION_PRE_GA = 0xF5, RDB_OP_FUNCTION2 = 0xF6, RDB_OP_MODULE_AUX = 0xF7,
    RDB_OP_IDLE = 0xF8, RDB_OP_FREQ = 0xF9, RDB_OP_AUX = 0xFA, RDB_OP_RESIZEDB = 0xFB,
    RDB_OP_EXPIRETIME_MS = 0xFC, RDB_OP_EXPIRETIME = 0xFD, RDB_OP_SELECTDB = 0xFE,
    RDB_OP_EOF = 0xFF,
};
#define RDB_ENC_INT8 0
#define RDB_ENC_INT16 1
#define RDB_ENC_INT32 2
#define RDB_ENC_LZF 3
#define RDB_QL_PLAIN 1
#define RDB_QL_PACKED 2
#define RDB_CHUNK (1 << 20)          /* string read granularity when the size is unknown */
#define RDB_WBUF (64 * 1024)

/* ================================================================== writer */

typedef struct wr {
    rdb_write_fn *w;
    void *ctx;
    uint64_t crc;
    size_t n;
    int failed;
    unsigned char buf[RDB_WBUF];
} wr;

static void wr_flush(wr *o) {
    if (o->n && !o->failed && o->w(o->ctx, o->buf, o->n) < 0) o->failed = 1;
    o->n = 0;
}

static void wr_bytes(wr *o, const void *p, size_t len) {
    o->crc = crc64_update(o->crc, p, len);
    const unsigned char *s = p;
    while (len && !o->failed) {
        if (o->n == RDB_WBUF) wr_flush(o);
        size_t k = RDB_WBUF - o->n < len ? RDB_WBUF - o->n : len;
        memcpy(o->buf + o->n, s, k);
        o->n += k;
        s += k;
        len -= k;
    }
}

static void wr_byte(wr *o, unsigned char b) { wr_bytes(o, &b, 1); }

static void wr_len(wr *o, uint64_t len) {
    unsigned char b[9];
    if (len < 64) {
        wr_byte(o, (unsigned char)len);
    } else if (len < 16384) {
        b[0] = (unsigned char)(0x40 | (len >> 8));
        b[1] = (unsigned char)(len & 0xff);
        wr_bytes(o, b, 2);
    } else if (len <= UINT32_MAX) {
        b[0] = 0x80;
        for (int i = 0; i < 4; i++) b[1 + i] = (unsigned char)(len >> (24 - 8 * i));
        wr_bytes(o, b, 5);
    } else {
        b[0] = 0x81;
        for (int i = 0; i < 8; i++) b[1 + i] = (unsigned char)(len >> (56 - 8 * i));
        wr_bytes(o, b, 9);
    }
}

static void wr_le(wr *o, uint64_t v, int n) {
    unsigned char b[8];
    for (int i = 0; i < n; i++) b[i] = (unsigned char)(v >> (8 * i));
    wr_bytes(o, b, (size_t)n);
}

/* Integer encodings for canonical integers that fit 32 bits (what Redis does). */
static int wr_try_int(wr *o, const char *s, size_t len) {
    long long v;
    if (len == 0 || len > 11 || !str_to_ll(s, len, &v)) return 0;
    if (v >= INT8_MIN && v <= INT8_MAX) {
        wr_byte(o, 0xC0 | RDB_ENC_INT8);
        wr_le(o, (uint64_t)v, 1);
    } else if (v >= INT16_MIN && v <= INT16_MAX) {
        wr_byte(o, 0xC0 | RDB_ENC_INT16);
        wr_le(o, (uint64_t)v, 2);
    } else if (v >= INT32_MIN && v <= INT32_MAX) {
        wr_byte(o, 0xC0 | RDB_ENC_INT32);
        wr_le(o, (uint64_t)v, 4);
    } else {
        return 0;
    }
    return 1;
}

/* LZF for strings over 20 bytes when it saves at least 4 bytes (rdbcompression yes). */
static int wr_try_lzf(wr *o, const char *s, size_t len) {
    if (len <= 20) return 0;
    size_t cap = len - 4;
    unsigned char *c = kl_malloc(cap);
    size_t clen = lzf_compress(s, len, c, cap);
    if (clen) {
        wr_byte(o, 0xC0 | RDB_ENC_LZF);
        wr_len(o, clen);
        wr_len(o, len);
        wr_bytes(o, c, clen);
    }
    kl_free(c);
    return clen != 0;
}

static void wr_str(wr *o, const char *s, size_t len) {
    if (wr_try_int(o, s, len) || wr_try_lzf(o, s, len)) return;
    wr_len(o, len);
    wr_bytes(o, s, len);
}

static void wr_aux(wr *o, const char *k, const char *v) {
    wr_byte(o, RDB_OP_AUX);
    wr_str(o, k, strlen(k));
    wr_str(o, v, strlen(v));
}

static void wr_aux_ll(wr *o, const char *k, long long v) {
    char b[32];
    snprintf(b, sizeof(b), "%lld", v);
    wr_aux(o, k, b);
}

static void wr_list(wr *o, obj *v) {
    quicklist *ql = v->v.ptr;
    wr_len(o, ql_count(ql));
    ql_iter it;
    const char *s;
    size_t len;
    char buf[QL_BUF];
    ql_iter_init(&it, ql, 0, QL_TAIL);
    while (ql_iter_next(&it, &s, &len, buf)) wr_str(o, s, len);
}

static void wr_set(wr *o, obj *v) {
    set *st = v->v.ptr;
    wr_len(o, set_size(st));
    set_iter it;
    set_member m;
    set_iter_init(&it, st);
    while (set_iter_next(&it, &m)) wr_str(o, m.ptr, m.len);
    set_iter_release(&it);
}

static void wr_zset(wr *o, obj *v) {
    zset *z = v->v.ptr;
    wr_len(o, zset_len(z));
    zset_iter it;
    const char *e;
    size_t len;
    double score;
    zset_iter_init(&it, z, 0, 0);
    while (zset_iter_next(&it, &e, &len, &score)) {
        uint64_t bits;
        memcpy(&bits, &score, 8);
        wr_str(o, e, len);
        wr_le(o, bits, 8);
    }
}

static void wr_hash(wr *o, obj *v) {
    wr_len(o, hash_len(v));
    hash_iter it;
    const char *f, *val;
    size_t flen, vlen;
    hash_iter_init(&it, v);
    while (hash_iter_next(&it, &f, &flen, &val, &vlen)) {
        wr_str(o, f, flen);
        wr_str(o, val, vlen);
    }
    hash_iter_release(&it);
}

static int wr_value_type(const obj *v) {
    switch (v->type) {
    case OBJ_STRING: return RDB_T_STRING;
    case OBJ_LIST: return RDB_T_LIST;
    case OBJ_SET: return RDB_T_SET;
    case OBJ_ZSET: return RDB_T_ZSET_2;
    case OBJ_HASH: return RDB_T_HASH;
    default: return -1;
    }
}

static int wr_entry(wr *o, db *d, const dict_entry *e) {
    obj *v = e->v.val;
    int t = wr_value_type(v);
    if (t < 0) return -1;
    long long when = db_get_expire(d, e->key, e->klen);
    if (when != -1) {
        wr_byte(o, RDB_OP_EXPIRETIME_MS);
        wr_le(o, (uint64_t)when, 8);
    }
    wr_byte(o, (unsigned char)t);
    wr_str(o, e->key, e->klen);
    if (t == RDB_T_STRING) {
        char tmp[32];
        size_t len;
        const char *s = obj_str(v, &len, tmp);
        wr_str(o, s, len);
    } else if (t == RDB_T_LIST) {
        wr_list(o, v);
    } else if (t == RDB_T_SET) {
        wr_set(o, v);
    } else if (t == RDB_T_ZSET_2) {
        wr_zset(o, v);
    } else {
        wr_hash(o, v);
    }
    return 0;
}

static void wr_header(wr *o, const rdb_save_info *info) {
    char magic[16];
    snprintf(magic, sizeof(magic), "REDIS%04d", RDB_VERSION);
    wr_bytes(o, magic, 9);
    wr_aux(o, "redis-ver", "7.0.15");
    wr_aux_ll(o, "redis-bits", (long long)(sizeof(void *) * 8));
    wr_aux_ll(o, "ctime", (long long)time(NULL));
    wr_aux_ll(o, "used-mem", (long long)kl_used_memory());
    if (info && info->repl_stream_db >= 0) wr_aux_ll(o, "repl-stream-db", info->repl_stream_db);
    if (info && info->repl_id) {
        wr_aux(o, "repl-id", info->repl_id);
        wr_aux_ll(o, "repl-offset", info->repl_offset);
    }
    wr_aux_ll(o, "aof-base", 0);
}

static int wr_db(wr *o, db *d, char *err, size_t errlen) {
    if (db_size(d) == 0) return 0;
    wr_byte(o, RDB_OP_SELECTDB);
    wr_len(o, (uint64_t)d->id);
    wr_byte(o, RDB_OP_RESIZEDB);
    wr_len(o, db_size(d));
    wr_len(o, db_expires_size(d));
    dict_iter it;
    dict_entry *e;
    int rc = 0;
    dict_iter_init(&it, d->keys, 1);   /* safe: no rehash while we look up TTLs */
    while (rc == 0 && !o->failed && (e = dict_iter_next(&it)) != NULL) {
        if (wr_entry(o, d, e) < 0) {
            snprintf(err, errlen, "Can't save a value of type %s",
                     obj_type_name(((obj *)e->v.val)->type));
            rc = -1;
        }
    }
    dict_iter_release(&it);
    return rc;
}

int rdb_save(keyspace *ks, const rdb_save_info *info, rdb_write_fn *w, void *ctx,
             char *err, size_t errlen) {
    wr *o = kl_calloc(1, sizeof(*o));
    o->w = w;
    o->ctx = ctx;
    wr_header(o, info);
    int rc = 0;
    for (int i = 0; i < ks->ndb && rc == 0 && !o->failed; i++)
        rc = wr_db(o, &ks->dbs[i], err, errlen);
    if (rc == 0) {
        wr_byte(o, RDB_OP_EOF);
        uint64_t crc = o->crc;
        wr_le(o, crc, 8);
        wr_flush(o);
        if (o->failed) {
            snprintf(err, errlen, "Write error saving the DB");
            rc = -1;
        }
    }
    kl_free(o);
    return rc;
}

/* ================================================================== reader core */

typedef struct rd {
    rdb_read_fn *r;
    void *ctx;
    uint64_t crc;
    size_t remaining;           /* SIZE_MAX: unknown */
    const rdb_limits *lim;
    char *err;
    size_t errlen;
    int failed;
} rd;

static int rd_fail(rd *in, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int rd_fail(rd *in, const char *fmt, ...) {
    if (!in->failed && in->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(in->err, in->errlen, fmt, ap);
        va_end(ap);
    }
    in->failed = 1;
    return -1;
}

static int rd_bytes(rd *in, void *buf, size_t len) {
    if (in->remaining != SIZE_MAX) {
        if (len > in->remaining) return rd_fail(in, "Short read");
        in->remaining -= len;
    }
    if (len && in->r(in->ctx, buf, len) < 0) return rd_fail(in, "Short read");
    in->crc = crc64_update(in->crc, buf, len);
    return 0;
}

static int rd_byte(rd *in, int *out) {
    unsigned char b;
    if (rd_bytes(in, &b, 1) < 0) return -1;
    *out = b;
    return 0;
}

static int rd_le(rd *in, int n, uint64_t *out) {
    unsigned char b[8];
    if (rd_bytes(in, b, (size_t)n) < 0) return -1;
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | b[i];
    *out = v;
    return 0;
}

/* A length, or (when *encoded is set) a special string encoding in *out. */
static int rd_len_enc(rd *in, uint64_t *out, int *encoded) {
    int b;
    unsigned char x[8];
    if (encoded) *encoded = 0;
    if (rd_byte(in, &b) < 0) return -1;
    int kind = b >> 6;
    if (kind == 0) {
        *out = (uint64_t)(b & 0x3f);
    } else if (kind == 1) {
        if (rd_bytes(in, x, 1) < 0) return -1;
        *out = (uint64_t)(b & 0x3f) << 8 | x[0];
    } else if (kind == 3) {
        if (!encoded) return rd_fail(in, "Unexpected encoded length");
        *encoded = 1;
        *out = (uint64_t)(b & 0x3f);
    } else if (b == 0x80 || b == 0x81) {
        int n = b == 0x80 ? 4 : 8;
        if (rd_bytes(in, x, (size_t)n) < 0) return -1;
        uint64_t v = 0;
        for (int i = 0; i < n; i++) v = v << 8 | x[i];
        *out = v;
    } else {
        return rd_fail(in, "Unknown length encoding %d in rdbLoadLen()", b);
    }
    return 0;
}

static int rd_len(rd *in, uint64_t *out) { return rd_len_enc(in, out, NULL); }

/* A collection count: bounded by max_len and by the remaining input (each element takes
 * at least min_bytes). */
static int rd_count(rd *in, uint64_t *out, size_t min_bytes) {
    if (rd_len(in, out) < 0) return -1;
    if (*out > (uint64_t)in->lim->max_len ||
        (in->remaining != SIZE_MAX && *out > in->remaining / min_bytes))
        return rd_fail(in, "Collection length %llu out of range", (unsigned long long)*out);
    return 0;
}

/* len raw bytes into a fresh NUL-terminated buffer; allocation grows with the data. */
static char *rd_raw(rd *in, uint64_t len) {
    if (len > (uint64_t)in->lim->max_len) {
        rd_fail(in, "String length %llu out of range", (unsigned long long)len);
        return NULL;
    }
    if (in->remaining != SIZE_MAX && len > in->remaining) {
        rd_fail(in, "Short read");
        return NULL;
    }
    size_t have = 0, cap = in->remaining != SIZE_MAX || len < RDB_CHUNK ? len : RDB_CHUNK;
    char *buf = kl_malloc(cap + 1);
    while (have < len) {
        size_t k = len - have < RDB_CHUNK ? len - have : RDB_CHUNK;
        if (have + k > cap) {
            cap = have + k;
            buf = kl_realloc(buf, cap + 1);
        }
        if (rd_bytes(in, buf + have, k) < 0) {
            kl_free(buf);
            return NULL;
        }
        have += k;
    }
    buf[len] = '\0';
    return buf;
}

static char *rd_lzf(rd *in, size_t *outlen) {
    uint64_t clen, ulen;
    if (rd_len(in, &clen) < 0 || rd_len(in, &ulen) < 0) return NULL;
    if (ulen > (uint64_t)in->lim->max_len || clen == 0 || ulen == 0 ||
        ulen / LZF_MAX_RATIO > clen) {
        rd_fail(in, "Bad LZF compressed string");
        return NULL;
    }
    char *c = rd_raw(in, clen);
    if (!c) return NULL;
    char *u = kl_malloc((size_t)ulen + 1);
    size_t got = lzf_decompress(c, (size_t)clen, u, (size_t)ulen);
    kl_free(c);
    if (got != ulen) {
        kl_free(u);
        rd_fail(in, "Invalid LZF compressed string");
        return NULL;
    }
    u[ulen] = '\0';
    *outlen = (size_t)ulen;
    return u;
}

static char *rd_int_str(rd *in, uint64_t enc, size_t *outlen) {
    int n = enc == RDB_ENC_INT8 ? 1 : enc == RDB_ENC_INT16 ? 2 : 4;
    uint64_t u;
    if (rd_le(in, n, &u) < 0) return NULL;
    long long v = n == 1 ? (int8_t)u : n == 2 ? (int16_t)u : (int32_t)u;
    char *s = kl_malloc(24);
    *outlen = (size_t)ll_to_str(s, 24, v);
    return s;
}

/* A string in any encoding: kl_malloc'ed, NUL terminated, *len set. NULL on error. */
static char *rd_str(rd *in, size_t *len) {
    uint64_t v;
    int enc;
    if (rd_len_enc(in, &v, &enc) < 0) return NULL;
    if (!enc) {
        char *s = rd_raw(in, v);
        if (s) *len = (size_t)v;
        return s;
    }
    if (v <= RDB_ENC_INT32) return rd_int_str(in, v, len);
    if (v == RDB_ENC_LZF) return rd_lzf(in, len);
    rd_fail(in, "Unknown RDB string encoding type %d", (int)v);
    return NULL;
}

/* Old zset scores: a length byte then text; 253 nan, 254 +inf, 255 -inf. */
static int rd_text_double(rd *in, double *out) {
    int n;
    char buf[256];
    if (rd_byte(in, &n) < 0) return -1;
    if (n == 253) return rd_fail(in, "Zset with NAN score detected");
    if (n == 254 || n == 255) {
        *out = n == 254 ? 1.0 / 0.0 : -1.0 / 0.0;
        return 0;
    }
    if (rd_bytes(in, buf, (size_t)n) < 0) return -1;
    if (!str_to_double(buf, (size_t)n, out)) return rd_fail(in, "Bad double value");
    return 0;
}

static int rd_bin_double(rd *in, double *out) {
    uint64_t bits;
    if (rd_le(in, 8, &bits) < 0) return -1;
    memcpy(out, &bits, 8);
    if (*out != *out) return rd_fail(in, "Zset with NAN score detected");
    return 0;
}

/* ================================================================== builders */

/* Collections under construction; elements arrive one at a time as bytes. */
enum { B_LIST, B_SET, B_ZSET, B_HASH };
typedef struct builder {
    rd *in;
    int kind;
    quicklist *ql;
    set *st;
    zset *z;
    obj *h;
    char *pend;                   /* hash field / zset member waiting for its pair */
    size_t pendlen;
    int has_pend;
} builder;

static void b_init(builder *b, rd *in, int kind) {
    memset(b, 0, sizeof(*b));
    b->in = in;
    b->kind = kind;
    if (kind == B_LIST) {
        long long f = in->lim->list_max_listpack_size;
        b->ql = ql_new((int)(f > INT_MAX ? INT_MAX : f < INT_MIN ? INT_MIN : f));
    } else if (kind == B_SET) {
        b->st = set_new();
    } else if (kind == B_ZSET) {
        b->z = zset_new();
    } else {
        b->h = hash_new();
    }
}

static void b_discard(builder *b) {
    if (b->ql) ql_free(b->ql);
    if (b->st) set_free(b->st);
    if (b->z) zset_free(b->z);
    if (b->h) obj_free(b->h);
    kl_free(b->pend);
    memset(b, 0, sizeof(*b));
}

static size_t b_len(const builder *b) {
    switch (b->kind) {
    case B_LIST: return ql_count(b->ql);
    case B_SET: return set_size(b->st);
    case B_ZSET: return zset_len(b->z);
    default: return hash_len(b->h);
    }
}

/* The finished object (NULL and freed when empty: Redis skips empty keys), or NULL with
 * an error when a pair is incomplete. */
static obj *b_finish(builder *b, int *failed) {
    obj *o = NULL;
    *failed = 0;
    if (b->has_pend) {
        rd_fail(b->in, "Odd number of elements in a hash or zset encoding");
        *failed = 1;
    } else if (b_len(b) > 0) {
        if (b->kind == B_LIST) {
            o = obj_new_typed(OBJ_LIST, OBJ_ENC_QUICKLIST, b->ql);
            b->ql = NULL;
        } else if (b->kind == B_SET) {
            o = obj_new_typed(OBJ_SET, set_is_intset(b->st) ? OBJ_ENC_INTSET : OBJ_ENC_HT,
                              b->st);
            b->st = NULL;
        } else if (b->kind == B_ZSET) {
            o = obj_new_typed(OBJ_ZSET, zset_is_small(b->z) ? OBJ_ENC_LISTPACK
                                                            : OBJ_ENC_SKIPLIST, b->z);
            b->z = NULL;
        } else {
            o = b->h;
            b->h = NULL;
        }
    }
    b_discard(b);
    return o;
}

static int b_set_add(builder *b, const char *s, size_t len) {
    long long max = b->in->lim->set_max_intset_entries;
    if (!set_add(b->st, s, len, max < 0 ? 0 : (size_t)max))
        return rd_fail(b->in, "Duplicate set members detected");
    return 0;
}

static int b_zset_add(builder *b, const char *m, size_t len, double score) {
    zset_limits zl = {b->in->lim->zset_max_listpack_entries,
                      b->in->lim->zset_max_listpack_value};
    int out = 0;
    if (score != score) return rd_fail(b->in, "Zset with NAN score detected");
    zset_add(b->z, m, len, score, ZADD_IN_NX, &out, NULL, &zl);
    if (!(out & ZADD_OUT_ADDED)) return rd_fail(b->in, "Duplicate zset fields detected");
    return 0;
}

static int b_hash_set(builder *b, const char *f, size_t flen, const char *v, size_t vlen) {
    long long me = b->in->lim->hash_max_listpack_entries;
    long long mv = b->in->lim->hash_max_listpack_value;
    if (!hash_set(b->h, f, flen, v, vlen, me < 0 ? 0 : (size_t)me, mv < 0 ? 0 : (size_t)mv))
        return rd_fail(b->in, "Duplicate hash fields detected");
    return 0;
}

/* One element from a ziplist/listpack/zipmap/plain node. */
static int b_push(builder *b, const char *s, size_t len) {
    if (b->kind == B_LIST) {
        ql_push(b->ql, QL_TAIL, s, len);
        return 0;
    }
    if (b->kind == B_SET) return b_set_add(b, s, len);
    if (!b->has_pend) {
        b->pend = kl_memdup(s, len);
        b->pendlen = len;
        b->has_pend = 1;
        return 0;
    }
    int rc;
    if (b->kind == B_HASH) {
        rc = b_hash_set(b, b->pend, b->pendlen, s, len);
    } else {
        double score;
        rc = str_to_double(s, len, &score) ? b_zset_add(b, b->pend, b->pendlen, score)
                                           : rd_fail(b->in, "Bad zset score in encoding");
    }
    kl_free(b->pend);
    b->pend = NULL;
    b->has_pend = 0;
    return rc;
}

static int b_push_ll(builder *b, long long v) {
    char buf[24];
    int n = ll_to_str(buf, sizeof(buf), v);
    return b_push(b, buf, (size_t)n);
}

/* ================================================================== blob decoders */

static uint32_t le32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static int64_t le_signed(const unsigned char *p, int n) {
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--) v = v << 8 | p[i];
    int sh = 64 - 8 * n;
    return sh ? (int64_t)(v << sh) >> sh : (int64_t)v;
}

/* A decoded ziplist/listpack element: a string (s != NULL) or an integer. */
typedef struct elem {
    const unsigned char *s;
    size_t len;
    long long v;
} elem;

static int b_push_elem(builder *b, const elem *e) {
    return e->s ? b_push(b, (const char *)e->s, e->len) : b_push_ll(b, e->v);
}

/* Decode the ziplist entry encoding at p (avail bytes up to the end marker): sets *hdr
 * (encoding bytes), the element, returns the data length, or -1 when malformed. */
static long zl_decode(const unsigned char *p, size_t avail, size_t *hdr, elem *e) {
    unsigned c = p[0];
    e->s = NULL;
    if ((c >> 6) < 3) {
        size_t h = (c >> 6) == 0 ? 1 : (c >> 6) == 1 ? 2 : 5, len;
        if (avail < h || ((c >> 6) == 2 && c != 0x80)) return -1;
        len = h == 1 ? (c & 0x3f) : h == 2 ? ((size_t)(c & 0x3f) << 8 | p[1])
                                           : ((size_t)p[1] << 24 | (size_t)p[2] << 16 |
                                              (size_t)p[3] << 8 | p[4]);
        if (avail - h < len) return -1;
        *hdr = h;
        e->s = p + h;
        e->len = len;
        return (long)len;
    }
    int n = c == 0xC0 ? 2 : c == 0xD0 ? 4 : c == 0xE0 ? 8 : c == 0xF0 ? 3 : c == 0xFE ? 1 : 0;
    *hdr = 1;
    if (n) {
        if (avail < 1 + (size_t)n) return -1;
        e->v = le_signed(p + 1, n);
        return n;
    }
    if (c >= 0xF1 && c <= 0xFD) {
        e->v = (long long)(c & 0x0f) - 1;
        return 0;
    }
    return -1;
}

/* Walk a Redis ziplist blob, validating it, feeding every element to b. */
static int zl_walk(builder *b, const unsigned char *p, size_t n) {
    if (n < 11 || le32(p) != n || p[n - 1] != 0xFF) return rd_fail(b->in, "Bad ziplist");
    size_t tail = le32(p + 4), zllen = le16(p + 8), off = 10, prev = 0, last = 10, count = 0;
    while (off < n - 1) {
        size_t h = p[off] < 254 ? 1 : 5, plen, hdr;
        if (p[off] == 255 || n - 1 - off < h) return rd_fail(b->in, "Bad ziplist");
        plen = h == 1 ? p[off] : le32(p + off + 1);
        elem e;
        if (plen != prev || off + h >= n - 1) return rd_fail(b->in, "Bad ziplist");
        long dl = zl_decode(p + off + h, n - 1 - off - h, &hdr, &e);
        if (dl < 0) return rd_fail(b->in, "Bad ziplist");
        if (b_push_elem(b, &e) < 0) return -1;
        last = off;
        prev = h + hdr + (size_t)dl;
        off += prev;
        count++;
    }
    if (off != n - 1 || tail != last || (zllen != 65535 && zllen != count))
        return rd_fail(b->in, "Bad ziplist");
    return 0;
}

/* Redis listpack entry at p (avail bytes before the end marker): element and the size of
 * encoding + data, -1 when malformed. */
static long lp_decode(const unsigned char *p, size_t avail, elem *e) {
    unsigned c = p[0];
    size_t h = 0, len = 0;
    e->s = NULL;
    if (c < 0x80) {
        e->v = c;
        return 1;
    }
    if ((c & 0xC0) == 0x80) {
        h = 1, len = c & 0x3f;
    } else if ((c & 0xE0) == 0xC0) {
        if (avail < 2) return -1;
        e->v = ((long long)(c & 0x1f) << 8 | p[1]);
        if (e->v >= 4096) e->v -= 8192;
        return 2;
    } else if ((c & 0xF0) == 0xE0) {
        if (avail < 2) return -1;
        h = 2, len = (size_t)(c & 0x0f) << 8 | p[1];
    } else if (c == 0xF0) {
        if (avail < 5) return -1;
        h = 5, len = le32(p + 1);
    } else {
        int n = c == 0xF1 ? 2 : c == 0xF2 ? 3 : c == 0xF3 ? 4 : c == 0xF4 ? 8 : 0;
        if (!n || avail < 1 + (size_t)n) return -1;
        e->v = le_signed(p + 1, n);
        return 1 + n;
    }
    if (avail - h < len) return -1;
    e->s = p + h;
    e->len = len;
    return (long)(h + len);
}

static size_t lp_backlen_size(size_t l) {
    return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/* The back length at p (k bytes) must encode l. */
static int lp_backlen_ok(const unsigned char *p, size_t k, size_t l) {
    if (p[0] & 0x80) return 0;
    uint64_t v = p[0];
    for (size_t i = 1; i < k; i++) {
        if (!(p[i] & 0x80)) return 0;
        v = v << 7 | (p[i] & 0x7f);
    }
    return v == l;
}

static int lpk_walk(builder *b, const unsigned char *p, size_t n) {
    if (n < 7 || le32(p) != n || p[n - 1] != 0xFF) return rd_fail(b->in, "Bad listpack");
    size_t num = le16(p + 4), off = 6, count = 0;
    while (off < n - 1) {
        elem e;
        long l = lp_decode(p + off, n - 1 - off, &e);
        if (l < 0) return rd_fail(b->in, "Bad listpack");
        size_t k = lp_backlen_size((size_t)l);
        if (n - 1 - off - (size_t)l < k || !lp_backlen_ok(p + off + l, k, (size_t)l))
            return rd_fail(b->in, "Bad listpack");
        if (b_push_elem(b, &e) < 0) return -1;
        off += (size_t)l + k;
        count++;
    }
    if (num != 65535 && num != count) return rd_fail(b->in, "Bad listpack");
    return 0;
}

/* Redis intset blob: encoding, length (LE u32), sorted distinct LE integers. */
static int is_walk(builder *b, const unsigned char *p, size_t n) {
    if (n < 8) return rd_fail(b->in, "Bad intset");
    uint32_t enc = le32(p), len = le32(p + 4);
    if ((enc != 2 && enc != 4 && enc != 8) || (n - 8) / enc != len || (n - 8) % enc)
        return rd_fail(b->in, "Bad intset");
    long long prev = 0;
    for (uint32_t i = 0; i < len; i++) {
        long long v = le_signed(p + 8 + (size_t)i * enc, (int)enc);
        if (i && v <= prev) return rd_fail(b->in, "Bad intset");
        if (b_push_ll(b, v) < 0) return -1;
        prev = v;
    }
    return 0;
}

/* zipmap length at *off: 1 byte < 254, or 254 + LE u32. */
static int zm_len(const unsigned char *p, size_t n, size_t *off, size_t *out) {
    if (*off >= n) return -1;
    if (p[*off] < 254) {
        *out = p[(*off)++];
        return 0;
    }
    if (p[*off] == 255 || n - *off < 5) return -1;
    *out = le32(p + *off + 1);
    *off += 5;
    return 0;
}

static int zm_walk(builder *b, const unsigned char *p, size_t n) {
    size_t off = 1, klen, vlen;
    if (n < 2 || p[n - 1] != 0xFF) return rd_fail(b->in, "Bad zipmap");
    while (off < n - 1) {
        if (zm_len(p, n - 1, &off, &klen) < 0 || n - 1 - off < klen)
            return rd_fail(b->in, "Bad zipmap");
        const unsigned char *k = p + off;
        off += klen;
        if (zm_len(p, n - 1, &off, &vlen) < 0 || off >= n - 1)
            return rd_fail(b->in, "Bad zipmap");
        size_t fr = p[off++];
        if (n - 1 - off < vlen || n - 1 - off - vlen < fr) return rd_fail(b->in, "Bad zipmap");
        if (b_push(b, (const char *)k, klen) < 0 ||
            b_push(b, (const char *)p + off, vlen) < 0)
            return -1;
        off += vlen + fr;
    }
    return off == n - 1 ? 0 : rd_fail(b->in, "Bad zipmap");
}

typedef int blob_walk_fn(builder *b, const unsigned char *p, size_t n);

/* Read one string and decode it as a blob into b. */
static int rd_blob(rd *in, builder *b, blob_walk_fn *walk) {
    size_t n;
    char *s = rd_str(in, &n);
    if (!s) return -1;
    int rc = walk(b, (const unsigned char *)s, n);
    kl_free(s);
    return rc;
}

/* ================================================================== value loaders */

static int rd_plain_elems(rd *in, builder *b, uint64_t count) {
    for (uint64_t i = 0; i < count; i++) {
        size_t len;
        char *s = rd_str(in, &len);
        if (!s) return -1;
        int rc = b_push(b, s, len);
        kl_free(s);
        if (rc < 0) return -1;
    }
    return 0;
}

static int rd_plain_zset(rd *in, builder *b, uint64_t count, int binary) {
    for (uint64_t i = 0; i < count; i++) {
        size_t len;
        double score;
        char *s = rd_str(in, &len);
        if (!s) return -1;
        int rc = binary ? rd_bin_double(in, &score) : rd_text_double(in, &score);
        if (rc == 0) rc = b_zset_add(b, s, len, score);
        kl_free(s);
        if (rc < 0) return -1;
    }
    return 0;
}

static int rd_quicklist(rd *in, builder *b, int v2) {
    uint64_t nodes;
    if (rd_count(in, &nodes, 1) < 0) return -1;
    for (uint64_t i = 0; i < nodes; i++) {
        uint64_t container = RDB_QL_PACKED;
        if (v2 && rd_len(in, &container) < 0) return -1;
        if (container == RDB_QL_PLAIN) {
            if (rd_plain_elems(in, b, 1) < 0) return -1;
        } else if (container == RDB_QL_PACKED) {
            if (rd_blob(in, b, v2 ? lpk_walk : zl_walk) < 0) return -1;
        } else {
            return rd_fail(in, "Quicklist integrity check failed.");
        }
    }
    return 0;
}

static int rd_collection(rd *in, builder *b, int type) {
    uint64_t count;
    switch (type) {
    case RDB_T_LIST: case RDB_T_SET: case RDB_T_HASH:
        if (rd_count(in, &count, type == RDB_T_HASH ? 2 : 1) < 0) return -1;
        return rd_plain_elems(in, b, type == RDB_T_HASH ? count * 2 : count);
    case RDB_T_ZSET: case RDB_T_ZSET_2:
        if (rd_count(in, &count, 2) < 0) return -1;
        return rd_plain_zset(in, b, count, type == RDB_T_ZSET_2);
    case RDB_T_HASH_ZIPMAP: return rd_blob(in, b, zm_walk);
    case RDB_T_LIST_ZIPLIST: case RDB_T_ZSET_ZIPLIST: case RDB_T_HASH_ZIPLIST:
        return rd_blob(in, b, zl_walk);
    case RDB_T_SET_INTSET: return rd_blob(in, b, is_walk);
    case RDB_T_HASH_LISTPACK: case RDB_T_ZSET_LISTPACK: case RDB_T_SET_LISTPACK:
        return rd_blob(in, b, lpk_walk);
    case RDB_T_LIST_QUICKLIST: return rd_quicklist(in, b, 0);
    default: return rd_quicklist(in, b, 1);
    }
}

static int type_kind(int type) {
    switch (type) {
    case RDB_T_LIST: case RDB_T_LIST_ZIPLIST: case RDB_T_LIST_QUICKLIST:
    case RDB_T_LIST_QUICKLIST_2:
        return B_LIST;
    case RDB_T_SET: case RDB_T_SET_INTSET: case RDB_T_SET_LISTPACK:
        return B_SET;
    case RDB_T_ZSET: case RDB_T_ZSET_2: case RDB_T_ZSET_ZIPLIST: case RDB_T_ZSET_LISTPACK:
        return B_ZSET;
    case RDB_T_HASH: case RDB_T_HASH_ZIPMAP: case RDB_T_HASH_ZIPLIST: case RDB_T_HASH_LISTPACK:
        return B_HASH;
    default:
        return -1;
    }
}

/* A value of the given type. *o = NULL with 0 for an empty collection (skipped). */
static int rd_value(rd *in, int type, obj **o) {
    *o = NULL;
    if (type == RDB_T_STRING) {
        size_t len;
        char *s = rd_str(in, &len);
        if (!s) return -1;
        *o = obj_new_string(s, len);
        kl_free(s);
        return 0;
    }
    if (type == RDB_T_STREAM || type == RDB_T_STREAM_2 || type == RDB_T_STREAM_3)
        return rd_fail(in, "Streams are not supported");
    if (type == RDB_T_MODULE || type == RDB_T_MODULE_2)
        return rd_fail(in, "Module values are not supported");
    int kind = type_kind(type);
    if (kind < 0) return rd_fail(in, "Unknown RDB encoding type %d", type);
    builder b;
    b_init(&b, in, kind);
    if (rd_collection(in, &b, type) < 0) {
        b_discard(&b);
        return -1;
    }
    int failed;
    *o = b_finish(&b, &failed);
    return failed ? -1 : 0;
}

/* ================================================================== top level */

typedef struct ld {
    rd in;
    keyspace *ks;
    db *cur;
    int skip_expired;
    long long expire;              /* for the next key, -1 none */
    rdb_load_info *info;
} ld;

static int ld_aux(ld *l) {
    size_t klen, vlen;
    char *k = rd_str(&l->in, &klen), *v = k ? rd_str(&l->in, &vlen) : NULL;
    int rc = v ? 0 : -1;
    if (rc == 0 && l->info) {
        long long n;
        if (!strcmp(k, "repl-id") && vlen == 40) {
            memcpy(l->info->repl_id, v, 41);
        } else if (!strcmp(k, "repl-offset") && str_to_ll(v, vlen, &n)) {
            l->info->repl_offset = n;
        } else if (!strcmp(k, "repl-stream-db") && str_to_ll(v, vlen, &n) && n >= -1 &&
                   n < INT_MAX) {
            l->info->repl_stream_db = (int)n;
        }
    }
    kl_free(k);
    kl_free(v);
    return rc;
}

static int ld_key(ld *l, int type) {
    size_t klen;
    obj *o;
    char *key = rd_str(&l->in, &klen);
    if (!key) return -1;
    if (rd_value(&l->in, type, &o) < 0) {
        kl_free(key);
        return -1;
    }
    long long when = l->expire;
    l->expire = -1;
    int rc = 0;
    if (!o) {
        /* empty collection: skipped like Redis */
    } else if (db_peek(l->cur, key, klen)) {
        obj_free(o);
        rc = rd_fail(&l->in, "Duplicate key '%.*s' found in RDB file",
                     (int)(klen > 64 ? 64 : klen), key);
    } else if (l->skip_expired && when != -1 && when < l->ks->now_ms) {
        obj_free(o);
        if (l->info) l->info->expired_skipped++;
    } else {
        db_add(l->cur, key, klen, o);
        if (when != -1) db_set_expire(l->cur, key, klen, when);
        if (l->info) l->info->keys_loaded++;
    }
    kl_free(key);
    return rc;
}

static int ld_selectdb(ld *l) {
    uint64_t id;
    if (rd_len(&l->in, &id) < 0) return -1;
    if (id >= (uint64_t)l->ks->ndb)
        return rd_fail(&l->in, "FATAL: Data file was created with a Redis server configured "
                               "to handle more than %d databases. Exiting", l->ks->ndb);
    l->cur = &l->ks->dbs[id];
    return 0;
}

/* One opcode that is not a value type. 1 at EOF, 0 to continue, -1 on error. */
static int ld_opcode(ld *l, int op) {
    uint64_t a, b;
    size_t n;
    char *s;
    switch (op) {
    case RDB_OP_EOF: return 1;
    case RDB_OP_SELECTDB: return ld_selectdb(l);
    case RDB_OP_RESIZEDB: return rd_len(&l->in, &a) < 0 || rd_len(&l->in, &b) < 0 ? -1 : 0;
    case RDB_OP_AUX: return ld_aux(l);
    case RDB_OP_EXPIRETIME_MS:
        if (rd_le(&l->in, 8, &a) < 0) return -1;
        l->expire = (long long)a;
        return 0;
    case RDB_OP_EXPIRETIME:
        if (rd_le(&l->in, 4, &a) < 0) return -1;
        l->expire = (long long)(int32_t)a * 1000;
        return 0;
    case RDB_OP_FREQ: return rd_le(&l->in, 1, &a);   /* LFU counter: not kept */
    case RDB_OP_IDLE: return rd_len(&l->in, &a);     /* idle seconds: not kept */
    case RDB_OP_MODULE_AUX: return rd_fail(&l->in, "Module auxiliary data is not supported");
    case RDB_OP_FUNCTION2:                            /* a library: functions unsupported */
        if (!(s = rd_str(&l->in, &n))) return -1;
        kl_free(s);
        return 0;
    case RDB_OP_FUNCTION_PRE_GA: return rd_fail(&l->in, "Functions are not supported");
    default: return -2;
    }
}

static int ld_header(ld *l) {
    char magic[10];
    if (rd_bytes(&l->in, magic, 9) < 0) return -1;
    magic[9] = '\0';
    if (memcmp(magic, "REDIS", 5))
        return rd_fail(&l->in, "Wrong signature trying to load DB from file");
    int ver = 0;
    for (int i = 5; i < 9; i++) {
        if (magic[i] < '0' || magic[i] > '9')
            return rd_fail(&l->in, "Wrong signature trying to load DB from file");
        ver = ver * 10 + (magic[i] - '0');
    }
    if (ver < 1 || ver > RDB_VERSION)
        return rd_fail(&l->in, "Can't handle RDB format version %d", ver);
    return ver;
}

static int ld_trailer(ld *l, int ver) {
    if (ver < 5) return 0;
    uint64_t expect = l->in.crc, got;
    if (rd_le(&l->in, 8, &got) < 0) return -1;
    if (got != 0 && got != expect) return rd_fail(&l->in, "Wrong RDB checksum");
    return 0;
}

static int ld_run(ld *l) {
    int ver = ld_header(l);
    if (ver < 0) return -1;
    l->cur = &l->ks->dbs[0];
    for (;;) {
        int op;
        if (rd_byte(&l->in, &op) < 0) return -1;
        int rc = ld_opcode(l, op);
        if (rc == 1) return ld_trailer(l, ver);
        if (rc == -1) return -1;
        if (rc == -2 && ld_key(l, op) < 0) return -1;
    }
}

static int rdb_load_impl(keyspace *ks, rdb_read_fn *r, void *ctx, size_t total,
                         const rdb_limits *limits, int skip_expired, rdb_load_info *info,
                         char *err, size_t errlen) {
    ld l;
    memset(&l, 0, sizeof(l));
    l.in.r = r;
    l.in.ctx = ctx;
    l.in.remaining = total;
    l.in.lim = limits;
    l.in.err = err;
    l.in.errlen = errlen;
    l.ks = ks;
    l.skip_expired = skip_expired;
    l.expire = -1;
    l.info = info;
    if (info) {
        memset(info, 0, sizeof(*info));
        info->repl_offset = -1;
        info->repl_stream_db = -1;
    }
    if (ks->ndb < 1) return rd_fail(&l.in, "No databases to load into");
    return ld_run(&l);
}

int rdb_load(keyspace *ks, rdb_read_fn *r, void *ctx, const rdb_limits *limits,
             int skip_expired, rdb_load_info *info, char *err, size_t errlen) {
    return rdb_load_impl(ks, r, ctx, SIZE_MAX, limits, skip_expired, info, err, errlen);
}

/* ================================================================== wrappers */

typedef struct memsrc {
    const unsigned char *p;
    size_t len, off;
} memsrc;

static int mem_read(void *ctx, void *buf, size_t len) {
    memsrc *m = ctx;
    if (len > m->len - m->off) return -1;
    memcpy(buf, m->p + m->off, len);
    m->off += len;
    return 0;
}

int rdb_load_mem(keyspace *ks, const void *buf, size_t len, const rdb_limits *limits,
                 int skip_expired, rdb_load_info *info, char *err, size_t errlen) {
    memsrc m = {buf, len, 0};
    return rdb_load_impl(ks, mem_read, &m, len, limits, skip_expired, info, err, errlen);
}

static int file_read(void *ctx, void *buf, size_t len) {
    return fread(buf, 1, len, (FILE *)ctx) == len ? 0 : -1;
}

static int file_write(void *ctx, const void *buf, size_t len) {
    return fwrite(buf, 1, len, (FILE *)ctx) == len ? 0 : -1;
}

int rdb_load_file(keyspace *ks, const char *path, const rdb_limits *limits, int skip_expired,
                  rdb_load_info *info, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "Can't open %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    size_t total = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) ? (size_t)st.st_size
                                                                      : SIZE_MAX;
    int rc = rdb_load_impl(ks, file_read, f, total, limits, skip_expired, info, err, errlen);
    fclose(f);
    return rc;
}

/* Writes path.tmp-<pid>, flushes it to disk, then renames it over path. */
int rdb_save_file(keyspace *ks, const rdb_save_info *info, const char *path, char *err,
                  size_t errlen) {
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s.tmp-%d", path, (int)getpid());
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        snprintf(err, errlen, "Failed opening the temp RDB file %s: %s", tmp, strerror(errno));
        return -1;
    }
    int rc = rdb_save(ks, info, file_write, f, err, errlen);
    if (rc == 0 && (fflush(f) != 0 || fsync(fileno(f)) != 0)) {
        snprintf(err, errlen, "Write error saving DB on disk: %s", strerror(errno));
        rc = -1;
    }
    if (fclose(f) != 0 && rc == 0) {
        snprintf(err, errlen, "Write error saving DB on disk: %s", strerror(errno));
        rc = -1;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, errlen, "Error moving temp DB file on the final destination: %s",
                 strerror(errno));
        rc = -1;
    }
    if (rc != 0) unlink(tmp);
    return rc;
}

uint64_t rdb_crc64(uint64_t crc, const void *buf, size_t len) {
    return crc64_update(crc, buf, len);
}
