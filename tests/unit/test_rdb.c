/* test_rdb.c -- unit tests for common/rdb.c, common/lzf.c and common/crc64.c: LZF round
 * trips and corrupt streams, the CRC64 check value, save/load round trips of every type
 * and encoding, loading a snapshot written by redis-server 7.0.15 (tests/unit/rdb/) and
 * comparing it with the content recorded next to it, hand-built old encodings (zipmap,
 * ziplist, intset, quicklist v1, text zset scores), and corrupt input (truncation, flipped
 * bytes, huge lengths, bad inner structures) which must fail cleanly.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/crc64.h"
#include "common/db.h"
#include "common/dstr.h"
#include "common/lzf.h"
#include "common/rdb.h"
#include "common/types/hash.h"
#include "common/types/quicklist.h"
#include "common/types/set.h"
#include "common/types/zset.h"

/* ------------------------------------------------------------------ object ops */

static void list_free_op(obj *o) { ql_free(o->v.ptr); }
static void set_free_op(obj *o) { set_free(o->v.ptr); }
static void zset_free_op(obj *o) { zset_free(o->v.ptr); }
static const obj_type_ops list_ops = {list_free_op, NULL, NULL};
static const obj_type_ops set_ops = {set_free_op, NULL, NULL};
static const obj_type_ops zset_ops = {zset_free_op, NULL, NULL};

static void setup(void) {
    hash_register_ops();
    obj_register_type(OBJ_LIST, &list_ops);
    obj_register_type(OBJ_SET, &set_ops);
    obj_register_type(OBJ_ZSET, &zset_ops);
}

/* Thresholds of the fixture server (redis defaults except list 4 and hash entries 128). */
static const rdb_limits LIM = {128, 64, 4, 512, 128, 64, 512LL * 1024 * 1024};

/* ------------------------------------------------------------------ canonical dumps */

static dstr cat_hex(dstr s, const char *p, size_t len) {
    if (len == 0) return dstr_cat(s, "-");
    for (size_t i = 0; i < len; i++) s = dstr_catfmt(s, "%02x", (unsigned char)p[i]);
    return s;
}

static int cmp_dstr(const void *a, const void *b) {
    return strcmp(*(const dstr *)a, *(const dstr *)b);
}

/* Items of a value as the fixture writes them (sets/hashes sorted, zset scores %.17g). */
static dstr dump_items(dstr s, obj *o, size_t *n) {
    dstr *it = NULL;
    size_t cnt = 0, cap = 0;
#define PUSH(x) do { if (cnt == cap) { cap = cap ? cap * 2 : 16; \
        it = kl_realloc(it, cap * sizeof(dstr)); } it[cnt++] = (x); } while (0)
    char tmp[64];
    size_t len;
    int sorted = 0;
    if (o->type == OBJ_STRING) {
        const char *p = obj_str(o, &len, tmp);
        PUSH(cat_hex(dstr_empty(), p, len));
    } else if (o->type == OBJ_LIST) {
        ql_iter qi;
        const char *p;
        char buf[QL_BUF];
        ql_iter_init(&qi, o->v.ptr, 0, QL_TAIL);
        while (ql_iter_next(&qi, &p, &len, buf)) PUSH(cat_hex(dstr_empty(), p, len));
    } else if (o->type == OBJ_SET) {
        set_iter si;
        set_member m;
        set_iter_init(&si, o->v.ptr);
        while (set_iter_next(&si, &m)) PUSH(cat_hex(dstr_empty(), m.ptr, m.len));
        set_iter_release(&si);
        sorted = 1;
    } else if (o->type == OBJ_HASH) {
        hash_iter hi;
        const char *f, *v;
        size_t fl, vl;
        hash_iter_init(&hi, o);
        while (hash_iter_next(&hi, &f, &fl, &v, &vl)) {
            dstr r = cat_hex(dstr_empty(), f, fl);
            r = dstr_cat(r, " ");
            PUSH(cat_hex(r, v, vl));
        }
        hash_iter_release(&hi);
        sorted = 1;
    } else if (o->type == OBJ_ZSET) {
        zset_iter zi;
        const char *e;
        double sc;
        zset_iter_init(&zi, o->v.ptr, 0, 0);
        while (zset_iter_next(&zi, &e, &len, &sc))
            PUSH(dstr_catfmt(cat_hex(dstr_empty(), e, len), " %.17g", sc));
    }
#undef PUSH
    if (sorted && cnt) qsort(it, cnt, sizeof(dstr), cmp_dstr);
    *n = (o->type == OBJ_HASH || o->type == OBJ_ZSET) ? cnt * 2 : cnt;
    for (size_t i = 0; i < cnt; i++) {
        s = dstr_catfmt(s, " %s", it[i]);
        dstr_free(it[i]);
    }
    kl_free(it);
    return s;
}

static dstr dump_key(db *d, const char *key, size_t klen) {
    obj *o = db_peek(d, key, klen);
    if (!o) return dstr_new("missing");
    dstr s = dstr_catfmt(dstr_empty(), "%d %s %s %lld ", d->id, obj_type_name(o->type),
                         obj_enc_name(o), db_get_expire(d, key, klen));
    s = cat_hex(s, key, klen);
    size_t n;
    dstr items = dump_items(dstr_empty(), o, &n);
    s = dstr_catfmt(s, " %zu%s", n, items);
    dstr_free(items);
    return s;
}

/* Every key of every db, one line each, sorted. */
static dstr dump_ks(keyspace *ks) {
    dstr *lines = NULL;
    size_t n = 0;
    for (int i = 0; i < ks->ndb; i++) {
        dict_iter it;
        dict_entry *e;
        dict_iter_init(&it, ks->dbs[i].keys, 1);
        while ((e = dict_iter_next(&it)) != NULL) {
            lines = kl_realloc(lines, (n + 1) * sizeof(dstr));
            lines[n++] = dump_key(&ks->dbs[i], e->key, e->klen);
        }
        dict_iter_release(&it);
    }
    if (n) qsort(lines, n, sizeof(dstr), cmp_dstr);
    dstr s = dstr_empty();
    for (size_t i = 0; i < n; i++) {
        s = dstr_catfmt(s, "%s\n", lines[i]);
        dstr_free(lines[i]);
    }
    kl_free(lines);
    return s;
}

/* ------------------------------------------------------------------ memory sink */

typedef struct membuf {
    unsigned char *p;
    size_t len, cap;
} membuf;

static int mb_write(void *ctx, const void *buf, size_t len) {
    membuf *m = ctx;
    if (m->len + len > m->cap) {
        m->cap = (m->len + len) * 2;
        m->p = kl_realloc(m->p, m->cap);
    }
    memcpy(m->p + m->len, buf, len);
    m->len += len;
    return 0;
}

static void mb_bytes(membuf *m, const void *p, size_t len) { mb_write(m, p, len); }
static void mb_byte(membuf *m, int b) {
    unsigned char c = (unsigned char)b;
    mb_write(m, &c, 1);
}
static void mb_len(membuf *m, uint64_t len) {
    if (len < 64) {
        mb_byte(m, (int)len);
    } else if (len < 16384) {
        mb_byte(m, (int)(0x40 | (len >> 8)));
        mb_byte(m, (int)(len & 0xff));
    } else {
        mb_byte(m, 0x81);
        for (int i = 7; i >= 0; i--) mb_byte(m, (int)((len >> (8 * i)) & 0xff));
    }
}
static void mb_str(membuf *m, const void *p, size_t len) {
    mb_len(m, len);
    mb_bytes(m, p, len);
}
static void mb_cstr(membuf *m, const char *s) { mb_str(m, s, strlen(s)); }
static void mb_le(membuf *m, uint64_t v, int n) {
    for (int i = 0; i < n; i++) mb_byte(m, (int)((v >> (8 * i)) & 0xff));
}
/* Header for hand-built snapshots, and EOF + CRC. */
static void mb_begin(membuf *m) { mb_bytes(m, "REDIS0010", 9); }
static void mb_end(membuf *m) {
    mb_byte(m, 0xFF);
    uint64_t crc = rdb_crc64(0, m->p, m->len);
    mb_le(m, crc, 8);
}

/* Load buf into a fresh keyspace; returns rc and the dump (or NULL on failure). */
static int load_buf(const void *p, size_t len, dstr *dump, char *err, size_t errlen) {
    keyspace ks;
    ks_init(&ks, 16);
    rdb_load_info info;
    int rc = rdb_load_mem(&ks, p, len, &LIM, 0, &info, err, errlen);
    if (dump) *dump = rc == 0 ? dump_ks(&ks) : NULL;
    ks_free(&ks);
    return rc;
}

static void expect_fail(const membuf *m, const char *msg) {
    char err[256] = "";
    int rc = load_buf(m->p, m->len, NULL, err, sizeof(err));
    ck_assert_int_eq(rc, -1);
    if (msg) ck_assert_msg(strstr(err, msg) != NULL, "error '%s' lacks '%s'", err, msg);
}

/* ------------------------------------------------------------------ LZF and CRC */

START_TEST(test_crc64) {
    ck_assert_uint_eq(crc64_update(0, "123456789", 9), 0xe9c6d914c4b8d9caULL);
    ck_assert_uint_eq(rdb_crc64(rdb_crc64(0, "1234", 4), "56789", 5), 0xe9c6d914c4b8d9caULL);
}
END_TEST

static void lzf_roundtrip(const unsigned char *in, size_t len) {
    size_t cap = len + len / 16 + 64;
    unsigned char *c = malloc(cap), *u = malloc(len + 1);
    size_t clen = lzf_compress(in, len, c, cap);
    ck_assert_uint_gt(clen, 0);
    ck_assert_uint_eq(lzf_decompress(c, clen, u, len), len);
    ck_assert(memcmp(in, u, len) == 0);
    /* one byte less room for the output is an error, not an overflow */
    if (len > 1) ck_assert_uint_eq(lzf_decompress(c, clen, u, len - 1), 0);
    free(c);
    free(u);
}

START_TEST(test_lzf_roundtrip) {
    size_t n = 200000;
    unsigned char *b = malloc(n);
    for (size_t i = 0; i < n; i++) b[i] = (unsigned char)(i % 7 == 0 ? rand() : (int)('a' + i % 5));
    for (size_t len = 1; len < 300; len += 7) lzf_roundtrip(b, len);
    lzf_roundtrip(b, n);
    for (size_t i = 0; i < n; i++) b[i] = (unsigned char)rand();
    lzf_roundtrip(b, n);                       /* incompressible */
    memset(b, 'x', n);
    lzf_roundtrip(b, n);                       /* long runs: overlapping references */
    unsigned char small[16];
    ck_assert_uint_eq(lzf_compress(b, n, small, sizeof(small)), 0);   /* does not fit */
    size_t clen = lzf_compress(b, 1000, b + 2000, 1000);
    ck_assert_uint_lt(clen, 100);
    free(b);
}
END_TEST

START_TEST(test_lzf_corrupt) {
    unsigned char out[64];
    const unsigned char lit_short[] = {5, 'a', 'b'};            /* 6 literals announced */
    ck_assert_uint_eq(lzf_decompress(lit_short, sizeof(lit_short), out, 64), 0);
    const unsigned char ref_before[] = {0, 'a', 0x20, 5};       /* reference 6 back at 1 */
    ck_assert_uint_eq(lzf_decompress(ref_before, sizeof(ref_before), out, 64), 0);
    const unsigned char ref_cut[] = {0, 'a', 0xE0};             /* long ref, bytes missing */
    ck_assert_uint_eq(lzf_decompress(ref_cut, sizeof(ref_cut), out, 64), 0);
    const unsigned char ok[] = {0, 'a', 0xE0, 10, 0};           /* 'a' + 19 more */
    ck_assert_uint_eq(lzf_decompress(ok, sizeof(ok), out, 64), 20);
    ck_assert_uint_eq(lzf_decompress(ok, sizeof(ok), out, 19), 0);
    for (int i = 0; i < 20; i++) ck_assert_int_eq(out[i], 'a');
    /* random garbage never overflows */
    unsigned char g[256];
    for (int k = 0; k < 2000; k++) {
        for (size_t i = 0; i < sizeof(g); i++) g[i] = (unsigned char)rand();
        ck_assert_uint_le(lzf_decompress(g, (size_t)(rand() % 256), out, sizeof(out)), 64);
    }
}
END_TEST

/* ------------------------------------------------------------------ round trips */

static void add_str(db *d, const char *k, size_t kl, const char *v, size_t vl) {
    db_add(d, k, kl, obj_new_string(v, vl));
}

static void fill_keyspace(keyspace *ks) {
    db *d0 = &ks->dbs[0], *d3 = &ks->dbs[3], *d15 = &ks->dbs[15];
    add_str(d0, "int", 3, "12345", 5);
    add_str(d0, "neg", 3, "-9223372036854775808", 20);
    add_str(d0, "empty", 5, "", 0);
    add_str(d0, "", 0, "empty key", 9);
    add_str(d0, "bin\0k\xff", 6, "\0\1\2\xff", 4);
    size_t big = 3 * 1024 * 1024;
    char *bv = kl_malloc(big);
    for (size_t i = 0; i < big; i++) bv[i] = (char)(i % 13 ? 'q' : rand());
    add_str(d0, "big", 3, bv, big);
    kl_free(bv);
    add_str(d3, "ttl", 3, "v", 1);
    db_set_expire(d3, "ttl", 3, 4102444800123LL);
    add_str(d3, "past", 4, "gone", 4);
    db_set_expire(d3, "past", 4, 1000);
    quicklist *ql = ql_new(4);
    for (int i = 0; i < 1000; i++) {
        char b[32];
        int n = snprintf(b, sizeof(b), i % 2 ? "%d" : "el-%d", i);
        ql_push(ql, QL_TAIL, b, (size_t)n);
    }
    ql_push(ql, QL_TAIL, "", 0);
    db_add(d0, "list", 4, obj_new_typed(OBJ_LIST, OBJ_ENC_QUICKLIST, ql));
    set *si = set_new(), *sh = set_new();
    for (int i = -50; i < 50; i++) {
        char b[32];
        int n = snprintf(b, sizeof(b), "%d", i * 100000);
        set_add(si, b, (size_t)n, 512);
        n = snprintf(b, sizeof(b), "m\x01%d", i);
        set_add(sh, b, (size_t)n, 512);
    }
    db_add(d0, "seti", 4, obj_new_typed(OBJ_SET, OBJ_ENC_INTSET, si));
    db_add(d15, "seth", 4, obj_new_typed(OBJ_SET, OBJ_ENC_HT, sh));
    zset_limits zl = {128, 64};
    zset *zs = zset_new(), *zb = zset_new();
    int out;
    zset_add(zs, "a", 1, 1.5, 0, &out, NULL, &zl);
    zset_add(zs, "b", 1, -1.0 / 0.0, 0, &out, NULL, &zl);
    zset_add(zs, "", 0, 0.1, 0, &out, NULL, &zl);
    for (int i = 0; i < 300; i++) {
        char b[32];
        int n = snprintf(b, sizeof(b), "z%d", i);
        zset_add(zb, b, (size_t)n, i / 3.0, 0, &out, NULL, &zl);
    }
    db_add(d0, "zs", 2, obj_new_typed(OBJ_ZSET, OBJ_ENC_LISTPACK, zs));
    db_add(d0, "zb", 2, obj_new_typed(OBJ_ZSET, OBJ_ENC_SKIPLIST, zb));
    obj *hs = hash_new(), *hb = hash_new();
    hash_set(hs, "f", 1, "", 0, 128, 64);
    hash_set(hs, "n", 1, "42", 2, 128, 64);
    for (int i = 0; i < 500; i++) {
        char f[32], v[32];
        int fl = snprintf(f, sizeof(f), "f%d", i), vl = snprintf(v, sizeof(v), "%d", i * 7);
        hash_set(hb, f, (size_t)fl, v, (size_t)vl, 128, 64);
    }
    db_add(d3, "hs", 2, hs);
    db_add(d3, "hb", 2, hb);
}

START_TEST(test_roundtrip_all_types) {
    keyspace ks;
    ks_init(&ks, 16);
    fill_keyspace(&ks);
    membuf m = {0};
    char err[256] = "";
    rdb_save_info si = {"0123456789abcdef0123456789abcdef01234567", 777, 3};
    ck_assert_int_eq(rdb_save(&ks, &si, mb_write, &m, err, sizeof(err)), 0);
    ck_assert(memcmp(m.p, "REDIS0010", 9) == 0);
    ck_assert_uint_lt(m.len, 1024 * 1024);       /* the 3 MiB string was compressed */
    keyspace k2;
    ks_init(&k2, 16);
    rdb_load_info info;
    ck_assert_int_eq(rdb_load_mem(&k2, m.p, m.len, &LIM, 0, &info, err, sizeof(err)), 0);
    ck_assert_str_eq(info.repl_id, "0123456789abcdef0123456789abcdef01234567");
    ck_assert_int_eq(info.repl_offset, 777);
    ck_assert_int_eq(info.repl_stream_db, 3);
    ck_assert_int_eq(info.keys_loaded, 15);
    dstr a = dump_ks(&ks), b = dump_ks(&k2);
    ck_assert_str_eq(a, b);
    ck_assert(strstr(b, " intset ") && strstr(b, " skiplist ") && strstr(b, " hashtable "));
    dstr_free(b);
    /* a primary drops keys already expired */
    keyspace k3;
    ks_init(&k3, 16);
    k3.now_ms = 2000;
    ck_assert_int_eq(rdb_load_mem(&k3, m.p, m.len, &LIM, 1, &info, err, sizeof(err)), 0);
    ck_assert_int_eq(info.expired_skipped, 1);
    ck_assert_ptr_null(db_peek(&k3.dbs[3], "past", 4));
    ck_assert_int_eq(db_get_expire(&k3.dbs[3], "ttl", 3), 4102444800123LL);
    /* the file wrappers give the same result */
    char path[] = "/tmp/keel-rdb-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(rdb_save_file(&ks, NULL, path, err, sizeof(err)), 0);
    keyspace k4;
    ks_init(&k4, 16);
    ck_assert_int_eq(rdb_load_file(&k4, path, &LIM, 0, &info, err, sizeof(err)), 0);
    ck_assert_str_eq(info.repl_id, "");
    ck_assert_int_eq(info.repl_offset, -1);
    b = dump_ks(&k4);
    ck_assert_str_eq(a, b);
    unlink(path);
    dstr_free(a);
    dstr_free(b);
    kl_free(m.p);
    ks_free(&ks);
    ks_free(&k2);
    ks_free(&k3);
    ks_free(&k4);
}
END_TEST

START_TEST(test_roundtrip_empty_and_limits) {
    keyspace ks;
    ks_init(&ks, 2);
    membuf m = {0};
    char err[256];
    ck_assert_int_eq(rdb_save(&ks, NULL, mb_write, &m, err, sizeof(err)), 0);
    dstr d = NULL;
    ck_assert_int_eq(load_buf(m.p, m.len, &d, err, sizeof(err)), 0);
    ck_assert_str_eq(d, "");
    dstr_free(d);
    /* db 1 of a 2-db keyspace does not fit a 1-db keyspace */
    add_str(&ks.dbs[1], "k", 1, "v", 1);
    m.len = 0;
    ck_assert_int_eq(rdb_save(&ks, NULL, mb_write, &m, err, sizeof(err)), 0);
    keyspace one;
    ks_init(&one, 1);
    ck_assert_int_eq(rdb_load_mem(&one, m.p, m.len, &LIM, 0, NULL, err, sizeof(err)), -1);
    ck_assert(strstr(err, "databases") != NULL);
    ks_free(&one);
    kl_free(m.p);
    ks_free(&ks);
}
END_TEST

/* ------------------------------------------------------------------ redis fixtures */

static char *read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 1);
    *len = fread(p, 1, (size_t)n, f);
    p[*len] = '\0';
    fclose(f);
    return p;
}

/* tests/unit/rdb wherever the test runs from. */
static char *fixture(const char *name, size_t *len) {
    char exe[4096], path[4200];
    const char *bases[4] = {getenv("KEEL_RDB_FIXTURES"), NULL, "tests/unit/rdb",
                            "../tests/unit/rdb"};
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    char rel[4200];
    if (n > 0) {
        exe[n] = '\0';
        snprintf(rel, sizeof(rel), "%s/../../tests/unit/rdb", dirname(exe));
        bases[1] = rel;
    }
    for (int i = 0; i < 4; i++) {
        if (!bases[i]) continue;
        snprintf(path, sizeof(path), "%s/%s", bases[i], name);
        char *p = read_file(path, len);
        if (p) return p;
    }
    ck_abort_msg("fixture %s not found (set KEEL_RDB_FIXTURES)", name);
    return NULL;
}

/* The expected dump from the fixture text: zset scores re-formatted as %.17g. */
static dstr expected_dump(char *txt) {
    dstr out = dstr_empty();
    char *save = NULL;
    for (char *line = strtok_r(txt, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#') continue;
        char *tsave = NULL;
        int zset = 0, idx = 0;
        dstr l = dstr_empty();
        for (char *t = strtok_r(line, " ", &tsave); t; t = strtok_r(NULL, " ", &tsave), idx++) {
            if (idx == 1) zset = strcmp(t, "zset") == 0;
            if (zset && idx >= 7 && idx % 2 == 1)
                l = dstr_catfmt(l, " %.17g", strtod(t, NULL));
            else
                l = dstr_catfmt(l, idx ? " %s" : "%s", t);
        }
        out = dstr_catfmt(out, "%s\n", l);
        dstr_free(l);
    }
    return out;
}

/* Compare two dumps line by line (Check cannot print huge strings). */
static void assert_same_lines(const char *got, const char *want) {
    while (*got || *want) {
        const char *g = strchr(got, '\n'), *w = strchr(want, '\n');
        size_t gl = g ? (size_t)(g - got) : strlen(got), wl = w ? (size_t)(w - want) : strlen(want);
        ck_assert_msg(gl == wl && memcmp(got, want, gl) == 0, "got  %.200s\nwant %.200s", got,
                      want);
        got += gl + (g != NULL);
        want += wl + (w != NULL);
    }
}

START_TEST(test_redis_fixture) {
    size_t rlen, tlen;
    char *rdb = fixture("redis-7.0.15.rdb", &rlen), *txt = fixture("redis-7.0.15.txt", &tlen);
    /* expected lines are already sorted by db then key? sort them like dump_ks */
    dstr want = expected_dump(txt), got = NULL;
    size_t nl = 0;
    for (char *p = want; *p; p++) nl += *p == '\n';
    dstr *lines = kl_malloc(nl * sizeof(dstr));
    char *save = NULL;
    size_t k = 0;
    for (char *l = strtok_r(want, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
        lines[k++] = dstr_new(l);
    qsort(lines, k, sizeof(dstr), cmp_dstr);
    dstr sorted = dstr_empty();
    for (size_t i = 0; i < k; i++) {
        sorted = dstr_catfmt(sorted, "%s\n", lines[i]);
        dstr_free(lines[i]);
    }
    kl_free(lines);
    char err[256] = "";
    int rc = load_buf(rdb, rlen, &got, err, sizeof(err));
    ck_assert_msg(rc == 0, "load failed: %s", err);
    ck_assert_uint_ge(k, 30);
    assert_same_lines(got, sorted);
    dstr_free(got);
    dstr_free(sorted);
    dstr_free(want);
    free(rdb);
    free(txt);
}
END_TEST

START_TEST(test_fixture_truncated) {
    size_t len;
    char *rdb = fixture("redis-7.0.15.rdb", &len);
    char err[256];
    for (size_t cut = 0; cut < len; cut += cut < 400 ? 1 : 13) {
        char *p = malloc(cut ? cut : 1);   /* exact-size copy so ASan sees overreads */
        memcpy(p, rdb, cut);
        ck_assert_msg(load_buf(p, cut, NULL, err, sizeof(err)) == -1, "cut %zu loaded", cut);
        free(p);
    }
    free(rdb);
}
END_TEST

START_TEST(test_fixture_flipped) {
    size_t len;
    char *rdb = fixture("redis-7.0.15.rdb", &len);
    char err[256];
    unsigned char *p = malloc(len);
    for (size_t pos = 9; pos < len - 8; pos += 11) {
        memcpy(p, rdb, len);
        p[pos] ^= 0x5a;
        err[0] = '\0';
        ck_assert_msg(load_buf(p, len, NULL, err, sizeof(err)) == -1, "flip %zu loaded", pos);
    }
    /* a flip inside a string payload is caught by the checksum */
    char *hit = memmem(rdb, len, "hello", 5);
    ck_assert_ptr_nonnull(hit);
    memcpy(p, rdb, len);
    p[hit - rdb] = 'j';
    ck_assert_int_eq(load_buf(p, len, NULL, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "Wrong RDB checksum");
    /* a zero checksum is not checked */
    memset(p + len - 8, 0, 8);
    ck_assert_int_eq(load_buf(p, len, NULL, err, sizeof(err)), 0);
    free(p);
    free(rdb);
}
END_TEST

/* ------------------------------------------------------------------ hand-built encodings */

/* Redis ziplist of strings (ints given as text are stored as strings: valid too) plus one
 * int16 and one small immediate. */
static void zl_build(membuf *z, const char **items, int n) {
    membuf e = {0};
    size_t prev = 0, last = 10;
    for (int i = 0; i < n; i++) {
        size_t start = e.len, sl = strlen(items[i]);
        last = 10 + start;
        mb_byte(&e, (int)prev);
        if (items[i][0] == '#') {                 /* "#n": int16 n */
            mb_byte(&e, 0xC0);
            mb_le(&e, (uint64_t)atoi(items[i] + 1), 2);
        } else if (items[i][0] == '%') {          /* "%d": immediate 0..12 */
            mb_byte(&e, 0xF1 + atoi(items[i] + 1));
        } else {
            mb_byte(&e, (int)sl);
            mb_bytes(&e, items[i], sl);
        }
        prev = e.len - start;
    }
    z->len = 0;
    mb_le(z, 11 + e.len, 4);
    mb_le(z, last, 4);
    mb_le(z, (uint64_t)n, 2);
    mb_bytes(z, e.p, e.len);
    mb_byte(z, 0xFF);
    kl_free(e.p);
}

/* Redis listpack of short strings and 7-bit ints ("%n"). */
static void lp_build(membuf *l, const char **items, int n) {
    membuf e = {0};
    for (int i = 0; i < n; i++) {
        if (items[i][0] == '%') {
            mb_byte(&e, atoi(items[i] + 1));
            mb_byte(&e, 1);
        } else {
            size_t sl = strlen(items[i]);
            mb_byte(&e, (int)(0x80 | sl));
            mb_bytes(&e, items[i], sl);
            mb_byte(&e, (int)(sl + 1));
        }
    }
    l->len = 0;
    mb_le(l, 7 + e.len, 4);
    mb_le(l, (uint64_t)n, 2);
    mb_bytes(l, e.p, e.len);
    mb_byte(l, 0xFF);
    kl_free(e.p);
}

static void snap_blob(membuf *m, int type, const char *key, const membuf *blob) {
    m->len = 0;
    mb_begin(m);
    mb_byte(m, type);
    mb_cstr(m, key);
    mb_str(m, blob->p, blob->len);
    mb_end(m);
}

static void expect_dump(const membuf *m, const char *want) {
    dstr d = NULL;
    char err[256] = "";
    int rc = load_buf(m->p, m->len, &d, err, sizeof(err));
    ck_assert_msg(rc == 0, "load failed: %s", err);
    ck_assert_str_eq(d, want);
    dstr_free(d);
}

START_TEST(test_old_encodings) {
    membuf m = {0}, b = {0};
    const char *li[] = {"ab", "#-300", "%7", ""};
    zl_build(&b, li, 4);
    snap_blob(&m, 10, "l", &b);
    expect_dump(&m, "0 list quicklist -1 6c 4 6162 2d333030 37 -\n");
    const char *hi[] = {"f", "v", "n", "#5"};
    zl_build(&b, hi, 4);
    snap_blob(&m, 13, "h", &b);
    expect_dump(&m, "0 hash listpack -1 68 4 66 76 6e 35\n");
    const char *zi[] = {"m", "1.5", "k", "#-2"};
    zl_build(&b, zi, 4);
    snap_blob(&m, 12, "z", &b);
    expect_dump(&m, "0 zset listpack -1 7a 4 6b -2 6d 1.5\n");
    /* quicklist v1: two ziplist nodes */
    m.len = 0;
    mb_begin(&m);
    mb_byte(&m, 14);
    mb_cstr(&m, "q");
    mb_len(&m, 2);
    zl_build(&b, li, 2);
    mb_str(&m, b.p, b.len);
    zl_build(&b, li + 2, 2);
    mb_str(&m, b.p, b.len);
    mb_end(&m);
    expect_dump(&m, "0 list quicklist -1 71 4 6162 2d333030 37 -\n");
    /* zipmap with a free byte */
    b.len = 0;
    const unsigned char zm[] = {2, 1, 'a', 2, 1, 'x', 'y', '?', 1, 'b', 1, 0, 'z', 0xFF};
    mb_bytes(&b, zm, sizeof(zm));
    snap_blob(&m, 9, "zm", &b);
    expect_dump(&m, "0 hash listpack -1 7a6d 4 61 7879 62 7a\n");
    /* intset 32-bit */
    b.len = 0;
    mb_le(&b, 4, 4);
    mb_le(&b, 3, 4);
    mb_le(&b, (uint64_t)-70000, 4);
    mb_le(&b, 1, 4);
    mb_le(&b, 70000, 4);
    snap_blob(&m, 11, "s", &b);
    expect_dump(&m, "0 set intset -1 73 3 2d3730303030 31 3730303030\n");
    /* old zset with text scores, plain list, EXPIRETIME in seconds, SELECTDB */
    m.len = 0;
    mb_begin(&m);
    mb_byte(&m, 0xFE);
    mb_len(&m, 2);
    mb_byte(&m, 0xFD);
    mb_le(&m, 2000000000, 4);
    mb_byte(&m, 3);
    mb_cstr(&m, "oz");
    mb_len(&m, 2);
    mb_cstr(&m, "a");
    mb_byte(&m, 3);
    mb_bytes(&m, "2.5", 3);
    mb_cstr(&m, "b");
    mb_byte(&m, 255);
    mb_byte(&m, 0xF8);                            /* IDLE and FREQ are accepted */
    mb_len(&m, 100);
    mb_byte(&m, 0xF9);
    mb_byte(&m, 5);
    mb_byte(&m, 1);
    mb_cstr(&m, "pl");
    mb_len(&m, 1);
    mb_byte(&m, 0xC0);                            /* int8 encoded element */
    mb_byte(&m, 0x85);
    mb_end(&m);
    expect_dump(&m, "2 list quicklist -1 706c 1 2d313233\n"
                    "2 zset listpack 2000000000000 6f7a 4 62 -inf 61 2.5\n");
    /* listpack hash and quicklist-2 with plain and packed nodes */
    const char *lh[] = {"k", "%100"};
    lp_build(&b, lh, 2);
    snap_blob(&m, 16, "lh", &b);
    expect_dump(&m, "0 hash listpack -1 6c68 2 6b 313030\n");
    kl_free(m.p);
    kl_free(b.p);
}
END_TEST

START_TEST(test_bad_inner_structures) {
    membuf m = {0}, b = {0};
    const char *li[] = {"ab", "cd", "ef"};
    zl_build(&b, li, 3);
    b.p[0]++;                                     /* zlbytes mismatch */
    snap_blob(&m, 10, "l", &b);
    expect_fail(&m, "Bad ziplist");
    zl_build(&b, li, 3);
    b.p[10 + 4] = 9;                              /* second entry's prevlen */
    snap_blob(&m, 10, "l", &b);
    expect_fail(&m, "Bad ziplist");
    zl_build(&b, li, 3);
    b.p[8] = 2;                                   /* zllen */
    snap_blob(&m, 10, "l", &b);
    expect_fail(&m, "Bad ziplist");
    zl_build(&b, li, 3);
    b.p[11] = 0x3f;                               /* string longer than the blob */
    snap_blob(&m, 10, "l", &b);
    expect_fail(&m, "Bad ziplist");
    const char *hi[] = {"f", "v", "g"};
    zl_build(&b, hi, 3);                          /* odd count for a hash */
    snap_blob(&m, 13, "h", &b);
    expect_fail(&m, "Odd number");
    const char *dup[] = {"f", "v", "f", "w"};
    zl_build(&b, dup, 4);
    snap_blob(&m, 13, "h", &b);
    expect_fail(&m, "Duplicate hash fields");
    const char *zbad[] = {"m", "notanumber"};
    zl_build(&b, zbad, 2);
    snap_blob(&m, 12, "z", &b);
    expect_fail(&m, "score");
    const char *lv[] = {"abc", "%5"};
    lp_build(&b, lv, 2);
    b.p[6 + 4] = 3;                               /* backlen of "abc" */
    snap_blob(&m, 16, "h", &b);
    expect_fail(&m, "Bad listpack");
    lp_build(&b, lv, 2);
    b.p[4] = 3;                                   /* element count */
    snap_blob(&m, 17, "z", &b);
    expect_fail(&m, "Bad listpack");
    lp_build(&b, lv, 2);
    b.p[6] = 0xF5;                                /* unknown encoding */
    snap_blob(&m, 16, "h", &b);
    expect_fail(&m, "Bad listpack");
    b.len = 0;                                    /* unsorted intset */
    mb_le(&b, 2, 4);
    mb_le(&b, 2, 4);
    mb_le(&b, 5, 2);
    mb_le(&b, 3, 2);
    snap_blob(&m, 11, "s", &b);
    expect_fail(&m, "Bad intset");
    b.p[0] = 3;                                   /* bad width */
    snap_blob(&m, 11, "s", &b);
    expect_fail(&m, "Bad intset");
    b.len = 6;                                    /* length does not match */
    b.p[0] = 2;
    snap_blob(&m, 11, "s", &b);
    expect_fail(&m, "Bad intset");
    b.len = 0;
    const unsigned char zm[] = {1, 9, 'a', 0xFF};
    mb_bytes(&b, zm, sizeof(zm));
    snap_blob(&m, 9, "zm", &b);
    expect_fail(&m, "Bad zipmap");
    kl_free(m.p);
    kl_free(b.p);
}
END_TEST

static int stream_read(void *ctx, void *buf, size_t len) {
    membuf *m = ctx;            /* m->cap used as the read offset */
    if (len > m->len - m->cap) return -1;
    memcpy(buf, m->p + m->cap, len);
    m->cap += len;
    return 0;
}

START_TEST(test_bad_snapshots) {
    membuf m = {0};
    mb_bytes(&m, "REDIX0010", 9);
    mb_end(&m);
    expect_fail(&m, "Wrong signature");
    m.len = 0;
    mb_bytes(&m, "REDIS0011", 9);
    mb_end(&m);
    expect_fail(&m, "Can't handle RDB format version 11");
    const int rejected[] = {15, 19, 21, 6, 7, 8};
    const char *msgs[] = {"Streams are not supported", "Streams are not supported",
                          "Streams are not supported", "Module", "Module",
                          "Unknown RDB encoding type 8"};
    for (int i = 0; i < 6; i++) {
        m.len = 0;
        mb_begin(&m);
        mb_byte(&m, rejected[i]);
        mb_cstr(&m, "k");
        mb_len(&m, 0);
        mb_end(&m);
        expect_fail(&m, msgs[i]);
    }
    /* huge declared lengths: string, collection, LZF; no allocation of that size */
    m.len = 0;
    mb_begin(&m);
    mb_byte(&m, 0);
    mb_cstr(&m, "k");
    mb_len(&m, 1ULL << 60);
    expect_fail(&m, "out of range");
    m.len = 0;
    mb_begin(&m);
    mb_byte(&m, 1);
    mb_cstr(&m, "k");
    mb_len(&m, 100000000);
    mb_cstr(&m, "x");
    expect_fail(&m, "out of range");
    m.len = 0;
    mb_begin(&m);
    mb_byte(&m, 0);
    mb_cstr(&m, "k");
    mb_byte(&m, 0xC3);
    mb_len(&m, 4);
    mb_len(&m, 400000000);
    mb_bytes(&m, "\x01" "ab", 3);
    expect_fail(&m, "LZF");
    /* a streamed (unknown size) input announcing 400 MB then ending */
    m.len = 0;
    mb_begin(&m);
    mb_byte(&m, 0);
    mb_cstr(&m, "k");
    mb_len(&m, 400000000);
    mb_bytes(&m, "abc", 3);
    m.cap = 0;
    keyspace ks;
    ks_init(&ks, 16);
    char err[128];
    size_t before = kl_used_memory();
    ck_assert_int_eq(rdb_load(&ks, stream_read, &m, &LIM, 0, NULL, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "Short read");
    ck_assert_uint_lt(kl_used_memory(), before + 4096);
    ks_free(&ks);
    /* duplicate key, duplicate set member, bad quicklist container, MODULE_AUX */
    m.len = 0;
    mb_begin(&m);
    for (int i = 0; i < 2; i++) {
        mb_byte(&m, 0);
        mb_cstr(&m, "dup");
        mb_cstr(&m, "v");
    }
    mb_end(&m);
    expect_fail(&m, "Duplicate key");
    m.len = 0;
    mb_begin(&m);
    mb_byte(&m, 2);
    mb_cstr(&m, "s");
    mb_len(&m, 2);
    mb_cstr(&m, "a");
    mb_cstr(&m, "a");
    mb_end(&m);
    expect_fail(&m, "Duplicate set members");
    m.len = 0;
    mb_begin(&m);
    mb_byte(&m, 18);
    mb_cstr(&m, "q");
    mb_len(&m, 1);
    mb_len(&m, 7);
    mb_cstr(&m, "x");
    mb_end(&m);
    expect_fail(&m, "Quicklist");
    m.len = 0;
    mb_begin(&m);
    mb_byte(&m, 0xF7);
    mb_end(&m);
    expect_fail(&m, "Module auxiliary");
    kl_free(m.p);
}
END_TEST

static Suite *rdb_suite(void) {
    Suite *s = suite_create("rdb");
    TCase *tc = tcase_create("codec");
    tcase_add_test(tc, test_crc64);
    tcase_add_test(tc, test_lzf_roundtrip);
    tcase_add_test(tc, test_lzf_corrupt);
    suite_add_tcase(s, tc);
    tc = tcase_create("roundtrip");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_roundtrip_all_types);
    tcase_add_test(tc, test_roundtrip_empty_and_limits);
    suite_add_tcase(s, tc);
    tc = tcase_create("redis");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_redis_fixture);
    tcase_add_test(tc, test_fixture_truncated);
    tcase_add_test(tc, test_fixture_flipped);
    tcase_add_test(tc, test_old_encodings);
    tcase_add_test(tc, test_bad_inner_structures);
    tcase_add_test(tc, test_bad_snapshots);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(rdb_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
