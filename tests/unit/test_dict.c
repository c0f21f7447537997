/* test_dict.c -- unit tests for common/dict.c: CRUD, value ownership, resizing, incremental
 * rehash, the SCAN guarantee across grow/shrink/rehash, random sampling and iterators.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/dict.h"

static int freed_vals;

static void count_free(void *v) {
    freed_vals++;
    kl_free(v);
}

static const dict_type owned_type = {count_free, 0};
static const dict_type nocase_type = {NULL, 1};
static const dict_type plain_type = {NULL, 0};

static void *int_val(int v) {
    int *p = kl_malloc(sizeof(int));
    *p = v;
    return p;
}

static int key_of(char *buf, size_t n, const char *prefix, int i) {
    return snprintf(buf, n, "%s:%d", prefix, i);
}

static void add_keys(dict *d, const char *prefix, int from, int to) {
    char k[64];
    for (int i = from; i < to; i++) {
        int n = key_of(k, sizeof(k), prefix, i);
        ck_assert_int_eq(dict_add(d, k, (size_t)n, NULL), 0);
    }
}

static void finish_rehash(dict *d) {
    while (dict_rehash_us(d, 1000)) {}
    ck_assert(!dict_is_rehashing(d));
}

static int is_pow2(size_t n) {
    return n && (n & (n - 1)) == 0;
}

/* ---------------------------------------------------------------------------------------- */

START_TEST(test_hash_siphash_vectors) {
    /* Reference SipHash-2-4 vectors (key 00..0f, message 00..len-1) check the core rounds;
     * dict_hash uses the same code with 1 compression and 2 finalisation rounds. */
    static const struct { size_t len; uint64_t want; } vec[] = {
        {0, 0x726fdb47dd0e0e31ULL}, {1, 0x74f839c593dc67fdULL}, {7, 0xab0200f58b01d137ULL},
        {8, 0x93f5f5799a932462ULL}, {15, 0xa129ca6149be45e5ULL}, {63, 0x958a324ceb064572ULL},
    };
    uint8_t key[16], msg[64];
    for (int i = 0; i < 16; i++) key[i] = (uint8_t)i;
    for (int i = 0; i < 64; i++) msg[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++)
        ck_assert_uint_eq(dict__siphash(msg, vec[i].len, key, 2, 4, 0), vec[i].want);
    dict_set_hash_seed(key);
    ck_assert_uint_eq(dict_hash(msg, 20), dict__siphash(msg, 20, key, 1, 2, 0));
    ck_assert_uint_ne(dict_hash(msg, 20), dict__siphash(msg, 20, key, 2, 4, 0));
}
END_TEST

START_TEST(test_hash_seed_and_nocase) {
    uint8_t s1[16] = {1}, s2[16] = {2};
    dict_set_hash_seed(s1);
    uint64_t a = dict_hash("hello", 5);
    ck_assert_uint_eq(a, dict_hash("hello", 5));
    ck_assert_uint_ne(a, dict_hash("hellp", 5));
    ck_assert_uint_ne(a, dict_hash("HELLO", 5));
    ck_assert_uint_eq(dict_hash_nocase("HeLLo", 5), dict_hash_nocase("hello", 5));
    ck_assert_uint_eq(dict_hash_nocase("hello", 5), a);
    /* Only ASCII letters fold: 0xC0 and 0xE0 stay distinct. */
    ck_assert_uint_ne(dict_hash_nocase("\xc0", 1), dict_hash_nocase("\xe0", 1));
    dict_set_hash_seed(s2);
    ck_assert_uint_ne(a, dict_hash("hello", 5));
}
END_TEST

START_TEST(test_add_find_replace_delete) {
    freed_vals = 0;
    dict *d = dict_new(&owned_type);
    ck_assert_ptr_null(dict_find(d, "a", 1));
    ck_assert_int_eq(dict_add(d, "a", 1, int_val(1)), 0);
    void *dup = int_val(99);
    ck_assert_int_eq(dict_add(d, "a", 1, dup), -1);   /* nothing changed, dup still ours */
    kl_free(dup);
    ck_assert_int_eq(dict_add(d, "a\0b", 3, int_val(3)), 0);   /* binary keys */
    ck_assert_uint_eq(dict_size(d), 2);
    dict_entry *e = dict_find(d, "a\0b", 3);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(*(int *)e->v.val, 3);
    ck_assert_uint_eq(e->klen, 3);
    ck_assert_int_eq(memcmp(e->key, "a\0b\0", 4), 0);
    ck_assert_int_eq(dict_replace(d, "a", 1, int_val(10)), 0);
    ck_assert_int_eq(freed_vals, 1);
    ck_assert_int_eq(*(int *)dict_find(d, "a", 1)->v.val, 10);
    ck_assert_int_eq(dict_replace(d, "b", 1, int_val(20)), 1);
    ck_assert_uint_eq(dict_size(d), 3);
    ck_assert_int_eq(dict_delete(d, "a", 1), 0);
    ck_assert_int_eq(freed_vals, 2);
    ck_assert_int_eq(dict_delete(d, "a", 1), -1);
    ck_assert_ptr_null(dict_find(d, "a", 1));
    ck_assert_ptr_null(dict_find(d, "A", 1));
    dict_entry *existing = NULL;
    ck_assert_ptr_null(dict_add_raw(d, "b", 1, &existing));
    ck_assert_ptr_nonnull(existing);
    ck_assert_int_eq(*(int *)existing->v.val, 20);
    dict_entry *u = dict_unlink(d, "b", 1);
    ck_assert_ptr_eq(u, existing);
    ck_assert_ptr_null(dict_find(d, "b", 1));
    ck_assert_int_eq(freed_vals, 2);
    dict_free_unlinked(d, u);
    ck_assert_int_eq(freed_vals, 3);
    ck_assert_ptr_null(dict_unlink(d, "zz", 2));
    dict_free(d);
    ck_assert_int_eq(freed_vals, 4);
}
END_TEST

START_TEST(test_nocase_type) {
    dict *d = dict_new(&nocase_type);
    ck_assert_int_eq(dict_add(d, "Get", 3, (void *)1), 0);
    ck_assert_int_eq(dict_add(d, "GET", 3, (void *)2), -1);
    ck_assert_ptr_nonnull(dict_find(d, "gEt", 3));
    ck_assert_int_eq(memcmp(dict_find(d, "get", 3)->key, "Get", 3), 0);   /* keeps spelling */
    ck_assert_ptr_null(dict_find(d, "ge", 2));
    ck_assert_ptr_null(dict_find(d, "get ", 4));
    ck_assert_int_eq(dict_delete(d, "GET", 3), 0);
    ck_assert_uint_eq(dict_size(d), 0);
    dict_free(d);
    /* The binary type is case sensitive. */
    d = dict_new(&plain_type);
    ck_assert_int_eq(dict_add(d, "Get", 3, NULL), 0);
    ck_assert_int_eq(dict_add(d, "GET", 3, NULL), 0);
    ck_assert_uint_eq(dict_size(d), 2);
    dict_free(d);
}
END_TEST

START_TEST(test_grow_and_shrink) {
    dict *d = dict_new(NULL);
    ck_assert_uint_eq(dict_buckets(d), 0);
    add_keys(d, "k", 0, 1);
    ck_assert_uint_eq(dict_buckets(d), 4);
    add_keys(d, "k", 1, 1000);
    finish_rehash(d);
    ck_assert_uint_eq(dict_size(d), 1000);
    ck_assert(is_pow2(dict_buckets(d)));
    ck_assert_uint_eq(dict_buckets(d), 1024);   /* grows once used >= buckets */
    size_t mem_full = dict_mem_usage(d);
    char k[32];
    for (int i = 10; i < 1000; i++) {
        int n = key_of(k, sizeof(k), "k", i);
        ck_assert_int_eq(dict_delete(d, k, (size_t)n), 0);
    }
    finish_rehash(d);
    ck_assert_uint_eq(dict_buckets(d), 1024);   /* deletes never shrink by themselves */
    ck_assert_int_eq(dict_shrink_if_needed(d), 1);
    finish_rehash(d);
    ck_assert_uint_eq(dict_buckets(d), 16);     /* smallest power of two >= 10 */
    ck_assert_int_eq(dict_shrink_if_needed(d), 0);   /* 10*8 >= 16 */
    ck_assert(dict_mem_usage(d) < mem_full);
    for (int i = 0; i < 10; i++) {
        int n = key_of(k, sizeof(k), "k", i);
        ck_assert_ptr_nonnull(dict_find(d, k, (size_t)n));
    }
    for (int i = 2; i < 10; i++) {
        int n = key_of(k, sizeof(k), "k", i);
        dict_delete(d, k, (size_t)n);
    }
    ck_assert_int_eq(dict_shrink_if_needed(d), 0);   /* 2*8 == 16: not under 1/8 */
    dict_delete(d, "k:1", 3);
    ck_assert_int_eq(dict_shrink_if_needed(d), 1);
    finish_rehash(d);
    ck_assert_uint_eq(dict_buckets(d), 4);      /* minimum size */
    ck_assert_int_eq(dict_shrink_if_needed(d), 0);
    dict_free(d);
}
END_TEST

START_TEST(test_expand_and_resize_forbidden) {
    dict *d = dict_new(NULL);
    ck_assert_int_eq(dict_expand(d, 100), 0);
    ck_assert_uint_eq(dict_buckets(d), 128);
    ck_assert_int_eq(dict_expand(d, 100), -1);  /* same size */
    add_keys(d, "k", 0, 128);
    ck_assert_int_eq(dict_expand(d, 10), -1);   /* smaller than used */
    dict_free(d);

    d = dict_new(NULL);
    dict_set_resize_allowed(0);
    add_keys(d, "k", 0, 4);
    ck_assert_uint_eq(dict_buckets(d), 4);
    add_keys(d, "k", 4, 24);                      /* 24/4 = 6 > 5 only after the 24th */
    ck_assert_uint_eq(dict_buckets(d), 4);
    add_keys(d, "k", 24, 25);                     /* forced growth */
    ck_assert(dict_is_rehashing(d) || dict_buckets(d) > 4);
    finish_rehash(d);
    ck_assert_uint_eq(dict_buckets(d), 32);
    dict_set_resize_allowed(1);
    dict_free(d);
}
END_TEST

START_TEST(test_rehash_in_progress) {
    dict *d = dict_new(NULL);
    enum { N = 4096 };
    static dict_entry *ptrs[N];
    char k[32];
    for (int i = 0; i < N; i++) {
        int n = key_of(k, sizeof(k), "r", i);
        ptrs[i] = dict_add_raw(d, k, (size_t)n, NULL);
        ptrs[i]->v.s64 = i;
    }
    finish_rehash(d);
    ck_assert_int_eq(dict_expand(d, 2 * N + 1), 0);   /* start a grow by hand */
    ck_assert(dict_is_rehashing(d));
    ck_assert_uint_eq(dict_buckets(d), N + 4 * N);
    /* Every key stays findable, updatable and deletable while both tables are live, and
     * entries never move in memory. */
    for (int i = 0; i < N; i++) {
        int n = key_of(k, sizeof(k), "r", i);
        dict_entry *e = dict_find(d, k, (size_t)n);
        ck_assert_ptr_eq(e, ptrs[i]);
        ck_assert_int_eq(e->v.s64, i);
        if (i % 7 == 0) ck_assert_int_eq(dict_delete(d, k, (size_t)n), 0);
        if (i == 10) ck_assert(dict_is_rehashing(d));
    }
    add_keys(d, "late", 0, 100);   /* adds during rehash go to the new table */
    finish_rehash(d);
    ck_assert_uint_eq(dict_buckets(d), 4 * N);
    for (int i = 0; i < N; i++) {
        int n = key_of(k, sizeof(k), "r", i);
        dict_entry *e = dict_find(d, k, (size_t)n);
        if (i % 7 == 0) ck_assert_ptr_null(e);
        else ck_assert_ptr_eq(e, ptrs[i]);
    }
    ck_assert_uint_eq(dict_size(d), N - (N + 6) / 7 + 100);
    dict_free(d);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* The SCAN guarantee. "keep:i" keys live for the whole scan and must all be reported;
 * other keys come and go between dict_scan calls, driving grows, shrinks and rehashes. */

typedef struct scan_state {
    unsigned char *seen;
    int nkeep;
    long reported;
} scan_state;

static void scan_cb(void *priv, const dict_entry *e) {
    scan_state *st = priv;
    int i;
    st->reported++;
    if (sscanf(e->key, "keep:%d", &i) == 1 && i >= 0 && i < st->nkeep) st->seen[i] = 1;
}

static void assert_all_seen(const scan_state *st) {
    for (int i = 0; i < st->nkeep; i++) {
        if (!st->seen[i]) ck_abort_msg("keep:%d was present for the whole scan but missed", i);
    }
}

START_TEST(test_scan_guarantee_grow) {
    dict *d = dict_new(NULL);
    scan_state st = {calloc(2000, 1), 2000, 0};
    add_keys(d, "keep", 0, st.nkeep);
    finish_rehash(d);
    size_t start_buckets = dict_buckets(d);
    int calls = 0, calls_rehashing = 0, next = 0;
    unsigned long cur = 0;
    do {
        cur = dict_scan(d, cur, scan_cb, &st);
        if (next < 30000) {   /* the table doubles several times, then the scan ends */
            add_keys(d, "new", next, next + 40);
            next += 40;
        }
        calls++;
        if (dict_is_rehashing(d)) calls_rehashing++;
    } while (cur != 0);
    assert_all_seen(&st);
    ck_assert(dict_buckets(d) >= 4 * start_buckets);
    ck_assert_int_gt(calls_rehashing, 0);
    ck_assert_int_gt(calls, 10);
    free(st.seen);
    dict_free(d);
}
END_TEST

START_TEST(test_scan_guarantee_shrink) {
    dict *d = dict_new(NULL);
    scan_state st = {calloc(300, 1), 300, 0};
    add_keys(d, "keep", 0, st.nkeep);
    add_keys(d, "tmp", 0, 30000);
    finish_rehash(d);
    size_t start_buckets = dict_buckets(d), min_buckets = start_buckets;
    int shrinks = 0, next = 0, calls_rehashing = 0;
    char k[32];
    unsigned long cur = 0;
    do {
        cur = dict_scan(d, cur, scan_cb, &st);
        for (int j = 0; j < 1500 && next < 30000; j++, next++) {
            int n = key_of(k, sizeof(k), "tmp", next);
            ck_assert_int_eq(dict_delete(d, k, (size_t)n), 0);
        }
        shrinks += dict_shrink_if_needed(d);
        if (dict_is_rehashing(d)) calls_rehashing++;
        dict_find(d, "keep:0", 6);   /* one rehash step, as a client lookup would do */
        if (dict_buckets(d) < min_buckets) min_buckets = dict_buckets(d);
    } while (cur != 0);
    assert_all_seen(&st);
    ck_assert_int_gt(shrinks, 0);
    ck_assert_int_gt(calls_rehashing, 0);
    ck_assert(min_buckets < start_buckets);
    free(st.seen);
    dict_free(d);
}
END_TEST

/* Random mix of adds, deletes, shrinks and partial rehashes between scan calls, for many
 * seeds: the guarantee must hold whatever the interleaving. */
START_TEST(test_scan_guarantee_random) {
    char k[32];
    for (unsigned seed = 1; seed <= 40; seed++) {
        srand(seed);
        dict *d = dict_new(NULL);
        scan_state st = {calloc(500, 1), 500, 0};
        int live_lo = 0, live_hi = 0;   /* "tmp:i" present for live_lo <= i < live_hi */
        add_keys(d, "keep", 0, st.nkeep);
        int extra = rand() % 5000;
        add_keys(d, "tmp", 0, extra);
        live_hi = extra;
        if (rand() % 2) finish_rehash(d);
        unsigned long cur = 0;
        do {
            cur = dict_scan(d, cur, scan_cb, &st);
            int op = rand() % 4, n = rand() % 400;
            if (op == 0 && live_hi < 20000) {
                add_keys(d, "tmp", live_hi, live_hi + n);
                live_hi += n;
            } else if (op == 1) {
                for (int j = 0; j < n && live_lo < live_hi; j++, live_lo++) {
                    int kl = key_of(k, sizeof(k), "tmp", live_lo);
                    ck_assert_int_eq(dict_delete(d, k, (size_t)kl), 0);
                }
                dict_shrink_if_needed(d);
            } else if (op == 2) {
                dict_rehash_us(d, rand() % 3);
            } else {
                dict_find(d, "keep:1", 6);   /* one rehash step */
            }
        } while (cur != 0);
        assert_all_seen(&st);
        ck_assert_int_ge(st.reported, st.nkeep);
        free(st.seen);
        dict_free(d);
    }
}
END_TEST

START_TEST(test_scan_stable_table_exact) {
    /* Without changes, a full scan reports each entry exactly once. */
    dict *d = dict_new(NULL);
    scan_state st = {calloc(777, 1), 777, 0};
    add_keys(d, "keep", 0, st.nkeep);
    finish_rehash(d);
    unsigned long cur = 0;
    do {
        cur = dict_scan(d, cur, scan_cb, &st);
    } while (cur != 0);
    assert_all_seen(&st);
    ck_assert_int_eq(st.reported, 777);
    dict *empty = dict_new(NULL);
    ck_assert_uint_eq(dict_scan(empty, 0, scan_cb, &st), 0);
    dict_free(empty);
    free(st.seen);
    dict_free(d);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */

START_TEST(test_random_sparse) {
    dict *d = dict_new(NULL);
    add_keys(d, "s", 0, 3000);
    finish_rehash(d);
    dict_set_resize_allowed(0);   /* keep the table big and sparse */
    char k[32];
    for (int i = 3; i < 3000; i++) {
        int n = key_of(k, sizeof(k), "s", i);
        dict_delete(d, k, (size_t)n);
    }
    dict_set_resize_allowed(1);
    ck_assert_uint_eq(dict_size(d), 3);
    ck_assert_uint_ge(dict_buckets(d), 4096);
    int hits[3] = {0, 0, 0};
    for (int t = 0; t < 3000; t++) {
        dict_entry *e = dict_random_entry(d);
        int i;
        ck_assert_ptr_nonnull(e);
        ck_assert_int_eq(sscanf(e->key, "s:%d", &i), 1);
        ck_assert(i >= 0 && i < 3);
        hits[i]++;
    }
    for (int i = 0; i < 3; i++) ck_assert_int_gt(hits[i], 500);   /* ~1000 each */
    dict_entry *out[10];
    for (int t = 0; t < 200; t++) {
        size_t n = dict_sample(d, out, 10);
        ck_assert_uint_le(n, 3);
        for (size_t j = 0; j < n; j++) ck_assert_int_eq(out[j]->key[0], 's');
    }
    dict_free(d);
}
END_TEST

START_TEST(test_random_empty_and_rehashing) {
    dict *d = dict_new(NULL);
    dict_entry *out[64];
    ck_assert_ptr_null(dict_random_entry(d));
    ck_assert_uint_eq(dict_sample(d, out, 4), 0);
    add_keys(d, "x", 0, 2000);
    finish_rehash(d);
    ck_assert_uint_eq(dict_sample(d, out, 64), 64);   /* dense table: a full sample */
    add_keys(d, "y", 0, 10);
    ck_assert_uint_eq(dict_sample(d, out, 64), 64);
    ck_assert_int_eq(dict_expand(d, 10000), 0);
    ck_assert(dict_is_rehashing(d));
    /* Like Redis's dictGetSomeKeys, a sample may come back short (it walks a bounded number
     * of buckets), but everything returned is a live entry. */
    dict_entry *pool[64];
    size_t total = 0;
    for (int t = 0; t < 20; t++) {
        size_t n = dict_sample(d, pool, 64);
        ck_assert_uint_le(n, 64);
        total += n;
        for (size_t j = 0; j < n; j++)
            ck_assert_ptr_eq(dict_find(d, pool[j]->key, pool[j]->klen), pool[j]);
    }
    ck_assert_uint_gt(total, 0);
    for (int t = 0; t < 500; t++) {
        dict_entry *e = dict_random_entry(d);
        ck_assert_ptr_nonnull(e);
        ck_assert_ptr_eq(dict_find(d, e->key, e->klen), e);
    }
    dict_free(d);
}
END_TEST

START_TEST(test_iter_safe_delete) {
    freed_vals = 0;
    dict *d = dict_new(&owned_type);
    char k[32];
    for (int i = 0; i < 1000; i++) {
        int n = key_of(k, sizeof(k), "i", i);
        dict_add(d, k, (size_t)n, int_val(i));
    }
    finish_rehash(d);
    ck_assert_int_eq(dict_expand(d, 5000), 0);   /* iterate while rehashing */
    dict_iter it;
    dict_iter_init(&it, d, 1);
    dict_entry *e;
    int count = 0;
    long sum = 0;
    while ((e = dict_iter_next(&it)) != NULL) {
        sum += *(int *)e->v.val;
        count++;
        ck_assert_int_eq(dict_delete(d, e->key, e->klen), 0);
    }
    dict_iter_release(&it);
    ck_assert_int_eq(count, 1000);
    ck_assert_int_eq(sum, 999 * 1000 / 2);
    ck_assert_int_eq(freed_vals, 1000);
    ck_assert_uint_eq(dict_size(d), 0);
    dict_free(d);
}
END_TEST

START_TEST(test_iter_unsafe_counts) {
    dict *d = dict_new(NULL);
    dict_iter it;
    dict_iter_init(&it, d, 0);
    ck_assert_ptr_null(dict_iter_next(&it));
    dict_iter_release(&it);
    add_keys(d, "u", 0, 500);
    int count = 0;
    finish_rehash(d);
    dict_iter_init(&it, d, 0);
    while (dict_iter_next(&it)) {
        ck_assert_ptr_nonnull(dict_find(d, "u:1", 3));   /* no rehash pending: no change */
        count++;
    }
    dict_iter_release(&it);
    ck_assert_int_eq(count, 500);
    dict_free(d);
}
END_TEST

START_TEST(test_iter_unsafe_modified_aborts) {
    dict *d = dict_new(NULL);
    add_keys(d, "u", 0, 100);
    finish_rehash(d);
    dict_iter it;
    dict_iter_init(&it, d, 0);
    ck_assert_ptr_nonnull(dict_iter_next(&it));
    dict_add(d, "extra", 5, NULL);   /* forbidden with an unsafe iterator */
    dict_iter_release(&it);          /* fingerprint mismatch: abort */
}
END_TEST

static int empty_callbacks;
static void on_empty(dict *d) {
    (void)d;
    empty_callbacks++;
}

START_TEST(test_empty_and_mem_usage) {
    freed_vals = 0;
    dict *d = dict_new(&owned_type);
    size_t m0 = dict_mem_usage(d);
    for (int i = 0; i < 100000; i++) {
        char k[32];
        int n = key_of(k, sizeof(k), "e", i);
        dict_add(d, k, (size_t)n, int_val(i));
    }
    ck_assert(dict_mem_usage(d) > m0 + 100000 * sizeof(dict_entry));
    empty_callbacks = 0;
    dict_empty(d, on_empty);
    ck_assert_int_gt(empty_callbacks, 0);
    ck_assert_int_eq(freed_vals, 100000);
    ck_assert_uint_eq(dict_size(d), 0);
    ck_assert_uint_eq(dict_buckets(d), 0);
    ck_assert_uint_eq(dict_mem_usage(d), m0);
    dict_add(d, "again", 5, int_val(1));   /* usable after empty */
    ck_assert_ptr_nonnull(dict_find(d, "again", 5));
    dict_free(d);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */

static Suite *dict_suite(void) {
    Suite *s = suite_create("dict");
    TCase *tc = tcase_create("hash");
    tcase_add_test(tc, test_hash_siphash_vectors);
    tcase_add_test(tc, test_hash_seed_and_nocase);
    suite_add_tcase(s, tc);
    tc = tcase_create("crud");
    tcase_add_test(tc, test_add_find_replace_delete);
    tcase_add_test(tc, test_nocase_type);
    tcase_add_test(tc, test_empty_and_mem_usage);
    suite_add_tcase(s, tc);
    tc = tcase_create("resize");
    tcase_add_test(tc, test_grow_and_shrink);
    tcase_add_test(tc, test_expand_and_resize_forbidden);
    tcase_add_test(tc, test_rehash_in_progress);
    suite_add_tcase(s, tc);
    tc = tcase_create("scan");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_scan_guarantee_grow);
    tcase_add_test(tc, test_scan_guarantee_shrink);
    tcase_add_test(tc, test_scan_guarantee_random);
    tcase_add_test(tc, test_scan_stable_table_exact);
    suite_add_tcase(s, tc);
    tc = tcase_create("random");
    tcase_add_test(tc, test_random_sparse);
    tcase_add_test(tc, test_random_empty_and_rehashing);
    suite_add_tcase(s, tc);
    tc = tcase_create("iter");
    tcase_add_test(tc, test_iter_safe_delete);
    tcase_add_test(tc, test_iter_unsafe_counts);
    tcase_add_test_raise_signal(tc, test_iter_unsafe_modified_aborts, SIGABRT);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(dict_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
