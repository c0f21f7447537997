/* test_hll.c -- unit tests for common/types/hll.c: MurmurHash64A vectors, register
 * patterns (checked against Redis's PFDEBUG GETREG), dense register access, sparse
 * encoding round trips and promotion, estimator accuracy and merging.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/dstr.h"
#include "common/types/hll.h"

#define SPARSE_MAX 3000

static dstr add_range(dstr h, const char *prefix, long from, long to, size_t sparse_max) {
    char buf[64];
    for (long i = from; i < to; i++) {
        int n = snprintf(buf, sizeof(buf), "%s%ld", prefix, i);
        ck_assert_int_ge(hll_add(&h, buf, (size_t)n, sparse_max), 0);
    }
    return h;
}

static uint64_t count_of(dstr h) {
    int invalid = 0;
    uint64_t c = hll_count(h, dstr_len(h), &invalid);
    ck_assert_int_eq(invalid, 0);
    return c;
}

START_TEST(test_murmur_vectors) {
    /* Computed with an independent implementation of MurmurHash64A. */
    ck_assert_uint_eq(hll_murmur64a("", 0, HLL_SEED), 0xd8dfea6585bc9732ULL);
    ck_assert_uint_eq(hll_murmur64a("a", 1, HLL_SEED), 0x53d2470a9b43b1a7ULL);
    ck_assert_uint_eq(hll_murmur64a("hello", 5, HLL_SEED), 0x0f656f01eecfe400ULL);
    ck_assert_uint_eq(hll_murmur64a("12345678", 8, HLL_SEED), 0x95ebb86389132953ULL);
    const char *fox = "The quick brown fox jumps over the lazy dog";
    ck_assert_uint_eq(hll_murmur64a(fox, strlen(fox), HLL_SEED), 0x51606c5c5b561aceULL);
    ck_assert_uint_ne(hll_murmur64a("a", 1, 0), hll_murmur64a("a", 1, HLL_SEED));
}
END_TEST

START_TEST(test_pattern_matches_redis) {
    /* (index, value) pairs read back from Redis 7.0 with PFDEBUG GETREG. */
    long idx;
    ck_assert_int_eq(hll_pattern("hello", 5, &idx), 1);
    ck_assert_int_eq(idx, 9216);
    ck_assert_int_eq(hll_pattern("a", 1, &idx), 2);
    ck_assert_int_eq(idx, 12711);
    ck_assert_int_eq(hll_pattern("12345678", 8, &idx), 3);
    ck_assert_int_eq(idx, 10579);
}
END_TEST

START_TEST(test_dense_registers) {
    uint8_t *regs = kl_calloc(HLL_DENSE_BYTES, 1);
    for (long i = 0; i < HLL_REGISTERS; i++) hll_dense_set(regs, i, (int)((i * 7 + 3) % 64));
    for (long i = 0; i < HLL_REGISTERS; i++)
        ck_assert_int_eq(hll_dense_get(regs, i), (int)((i * 7 + 3) % 64));
    /* neighbours are untouched by a write */
    hll_dense_set(regs, 5, 0);
    ck_assert_int_eq(hll_dense_get(regs, 4), (4 * 7 + 3) % 64);
    ck_assert_int_eq(hll_dense_get(regs, 6), (6 * 7 + 3) % 64);
    ck_assert_int_eq(hll_dense_get(regs, 5), 0);
    hll_dense_set(regs, HLL_REGISTERS - 1, 63);
    ck_assert_int_eq(hll_dense_get(regs, HLL_REGISTERS - 1), 63);
    kl_free(regs);
}
END_TEST

START_TEST(test_new_and_header) {
    dstr h = hll_new();
    ck_assert_uint_eq(dstr_len(h), HLL_HDR_SIZE + 2);
    ck_assert_int_eq(memcmp(h, "HYLL", 4), 0);
    ck_assert_int_eq(hll_is_valid(h, dstr_len(h)), 1);
    ck_assert_int_eq(hll_encoding(h), HLL_ENC_SPARSE);
    ck_assert_int_eq(hll_cache_valid(h), 1);
    ck_assert_uint_eq(hll_cache_get(h), 0);
    ck_assert_uint_eq(count_of(h), 0);
    hll_cache_set(h, 123456789);
    ck_assert_uint_eq(hll_cache_get(h), 123456789);
    hll_cache_invalidate(h);
    ck_assert_int_eq(hll_cache_valid(h), 0);
    ck_assert_int_eq(hll_is_valid("HYLL", 4), 0);
    ck_assert_int_eq(hll_is_valid("HYLX\001xxxxxxxxxxxxx", 18), 0);
    ck_assert_int_eq(hll_is_valid("HYLL\002xxxxxxxxxxxxx", 18), 0);
    ck_assert_int_eq(hll_is_valid("HYLL\000xxxxxxxxxxxxx", 18), 0);   /* dense too short */
    dstr_free(h);
}
END_TEST

START_TEST(test_sparse_round_trip) {
    /* Random register writes in sparse form must read back the same as a dense mirror. */
    dstr h = hll_new();
    uint8_t *mirror = kl_calloc(HLL_REGISTERS, 1);
    srand(7);
    for (int i = 0; i < 400; i++) {
        long idx = rand() % HLL_REGISTERS;
        int v = 1 + rand() % 32;
        int changed = hll_set_register(&h, idx, v, 1 << 20);
        ck_assert_int_eq(changed, v > mirror[idx]);
        if (v > mirror[idx]) mirror[idx] = (uint8_t)v;
    }
    ck_assert_int_eq(hll_encoding(h), HLL_ENC_SPARSE);
    for (long i = 0; i < HLL_REGISTERS; i++)
        ck_assert_int_eq(hll_get_register(h, dstr_len(h), i), mirror[i]);
    uint64_t sparse_count = count_of(h);
    ck_assert_int_eq(hll_to_dense(&h), 0);
    ck_assert_int_eq(hll_encoding(h), HLL_ENC_DENSE);
    ck_assert_uint_eq(dstr_len(h), HLL_DENSE_SIZE);
    for (long i = 0; i < HLL_REGISTERS; i++)
        ck_assert_int_eq(hll_get_register(h, dstr_len(h), i), mirror[i]);
    ck_assert_uint_eq(count_of(h), sparse_count);
    ck_assert_uint_eq(hll_count_raw(mirror), sparse_count);
    kl_free(mirror);
    dstr_free(h);
}
END_TEST

START_TEST(test_sparse_runs_merge) {
    /* Adjacent equal values collapse into one VAL opcode (up to 4 registers). */
    dstr h = hll_new();
    for (long i = 100; i < 104; i++) ck_assert_int_eq(hll_set_register(&h, i, 3, SPARSE_MAX), 1);
    /* XZERO(100) + VAL(3,4) + XZERO(16280) */
    ck_assert_uint_eq(dstr_len(h), HLL_HDR_SIZE + 2 + 1 + 2);
    ck_assert_int_eq(hll_set_register(&h, 101, 2, SPARSE_MAX), 0);   /* lower: no change */
    ck_assert_int_eq(hll_set_register(&h, 101, 5, SPARSE_MAX), 1);
    ck_assert_int_eq(hll_get_register(h, dstr_len(h), 100), 3);
    ck_assert_int_eq(hll_get_register(h, dstr_len(h), 101), 5);
    ck_assert_int_eq(hll_get_register(h, dstr_len(h), 102), 3);
    ck_assert_int_eq(hll_get_register(h, dstr_len(h), 104), 0);
    ck_assert_int_eq(hll_set_register(&h, 0, 64, SPARSE_MAX), -1);   /* out of range */
    dstr_free(h);
}
END_TEST

START_TEST(test_promotion_by_value) {
    dstr h = hll_new();
    ck_assert_int_eq(hll_set_register(&h, 10, 32, SPARSE_MAX), 1);
    ck_assert_int_eq(hll_encoding(h), HLL_ENC_SPARSE);
    ck_assert_int_eq(hll_set_register(&h, 11, 33, SPARSE_MAX), 1);   /* > 32: dense */
    ck_assert_int_eq(hll_encoding(h), HLL_ENC_DENSE);
    ck_assert_int_eq(hll_get_register(h, dstr_len(h), 10), 32);
    ck_assert_int_eq(hll_get_register(h, dstr_len(h), 11), 33);
    dstr_free(h);
}
END_TEST

START_TEST(test_promotion_by_size) {
    dstr h = hll_new();
    char buf[32];
    int promoted_at = -1;
    for (int i = 0; i < 5000 && promoted_at < 0; i++) {
        size_t before = dstr_len(h);
        int n = snprintf(buf, sizeof(buf), "el%d", i);
        ck_assert_int_ge(hll_add(&h, buf, (size_t)n, SPARSE_MAX), 0);
        if (hll_encoding(h) == HLL_ENC_DENSE) {
            promoted_at = i;
            ck_assert_uint_gt(before + 3, SPARSE_MAX);   /* it was close to the limit */
        } else {
            ck_assert_uint_le(dstr_len(h), SPARSE_MAX);
        }
    }
    ck_assert_int_gt(promoted_at, 100);
    ck_assert_uint_eq(dstr_len(h), HLL_DENSE_SIZE);
    /* A small limit promotes at once. */
    dstr s = hll_new();
    ck_assert_int_ge(hll_add(&s, "x", 1, HLL_HDR_SIZE + 2), 0);
    ck_assert_int_eq(hll_encoding(s), HLL_ENC_DENSE);
    dstr_free(s);
    dstr_free(h);
}
END_TEST

START_TEST(test_corrupt_sparse) {
    dstr h = hll_new();
    h = add_range(h, "c", 0, 50, SPARSE_MAX);
    dstr bad = dstr_newlen(h, dstr_len(h) - 1);   /* last run missing */
    int invalid = 0;
    hll_count(bad, dstr_len(bad), &invalid);
    ck_assert_int_eq(invalid, 1);
    uint8_t *max = kl_calloc(HLL_REGISTERS, 1);
    ck_assert_int_eq(hll_merge_into(max, bad, dstr_len(bad)), -1);
    ck_assert_int_eq(hll_to_dense(&bad), -1);
    bad = dstr_catlen(bad, "\x7f\xff\x7f\xff", 4);   /* runs past the register count */
    ck_assert_int_eq(hll_merge_into(max, bad, dstr_len(bad)), -1);
    kl_free(max);
    dstr_free(bad);
    dstr_free(h);
}
END_TEST

static void check_accuracy(long n) {
    dstr h = hll_new();
    h = add_range(h, "acc:", 0, n, SPARSE_MAX);
    double est = (double)count_of(h);
    double err = fabs(est - (double)n) / (double)n;
    ck_assert_msg(err < 0.03, "n=%ld estimate=%.0f error=%.4f", n, est, err);
    dstr_free(h);
}

START_TEST(test_accuracy) {
    dstr h = hll_new();
    h = add_range(h, "small", 0, 1, SPARSE_MAX);
    ck_assert_uint_eq(count_of(h), 1);
    h = add_range(h, "small", 0, 10, SPARSE_MAX);
    ck_assert_uint_eq(count_of(h), 10);
    dstr_free(h);
    long sizes[] = {100, 1000, 10000, 100000, 1000000};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) check_accuracy(sizes[i]);
}
END_TEST

START_TEST(test_duplicates_do_not_count) {
    dstr h = hll_new();
    h = add_range(h, "d", 0, 5000, SPARSE_MAX);
    uint64_t c1 = count_of(h);
    for (long i = 0; i < 5000; i++) {
        char buf[32];
        int n = snprintf(buf, sizeof(buf), "d%ld", i);
        ck_assert_int_eq(hll_add(&h, buf, (size_t)n, SPARSE_MAX), 0);
    }
    ck_assert_uint_eq(count_of(h), c1);
    dstr_free(h);
}
END_TEST

START_TEST(test_merge) {
    dstr a = add_range(hll_new(), "m", 0, 20000, SPARSE_MAX);
    dstr b = add_range(hll_new(), "m", 10000, 30000, SPARSE_MAX);
    dstr u = add_range(hll_new(), "m", 0, 30000, SPARSE_MAX);
    dstr small = add_range(hll_new(), "m", 0, 20, SPARSE_MAX);   /* stays sparse */
    ck_assert_int_eq(hll_encoding(small), HLL_ENC_SPARSE);
    uint8_t *max = kl_calloc(HLL_REGISTERS, 1);
    ck_assert_int_eq(hll_merge_into(max, a, dstr_len(a)), 0);
    ck_assert_int_eq(hll_merge_into(max, b, dstr_len(b)), 0);
    ck_assert_int_eq(hll_merge_into(max, small, dstr_len(small)), 0);
    /* The union of registers is exactly the HLL of the union of the sets. */
    for (long i = 0; i < HLL_REGISTERS; i++)
        ck_assert_int_eq(max[i], hll_get_register(u, dstr_len(u), i));
    ck_assert_uint_eq(hll_count_raw(max), count_of(u));
    double err = fabs((double)hll_count_raw(max) - 30000.0) / 30000.0;
    ck_assert(err < 0.03);
    kl_free(max);
    dstr_free(a);
    dstr_free(b);
    dstr_free(u);
    dstr_free(small);
}
END_TEST

static Suite *hll_suite(void) {
    Suite *s = suite_create("hll");
    TCase *tc = tcase_create("hash");
    tcase_add_test(tc, test_murmur_vectors);
    tcase_add_test(tc, test_pattern_matches_redis);
    suite_add_tcase(s, tc);
    tc = tcase_create("encoding");
    tcase_add_test(tc, test_dense_registers);
    tcase_add_test(tc, test_new_and_header);
    tcase_add_test(tc, test_sparse_round_trip);
    tcase_add_test(tc, test_sparse_runs_merge);
    tcase_add_test(tc, test_promotion_by_value);
    tcase_add_test(tc, test_promotion_by_size);
    tcase_add_test(tc, test_corrupt_sparse);
    suite_add_tcase(s, tc);
    tc = tcase_create("estimate");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_accuracy);
    tcase_add_test(tc, test_duplicates_do_not_count);
    tcase_add_test(tc, test_merge);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(hll_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
