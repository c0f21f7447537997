/* test_intset.c -- unit tests for common/types/intset.c: add/remove/find, ordering,
 * encoding upgrades at the int16/int32/int64 boundaries, random members, dup.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/types/intset.h"

static void assert_sorted_unique(const intset *is) {
    int64_t prev = 0, cur;
    for (uint32_t i = 0; i < intset_len(is); i++) {
        ck_assert(intset_get(is, i, &cur));
        if (i) ck_assert(prev < cur);
        prev = cur;
    }
    ck_assert(!intset_get(is, intset_len(is), &cur));
}

START_TEST(test_add_find_remove) {
    intset *is = intset_new();
    int added, removed;
    ck_assert_uint_eq(intset_len(is), 0);
    ck_assert(!intset_find(is, 5));
    is = intset_add(is, 5, &added);
    ck_assert_int_eq(added, 1);
    is = intset_add(is, 5, &added);
    ck_assert_int_eq(added, 0);
    is = intset_add(is, -3, &added);
    is = intset_add(is, 10, &added);
    ck_assert_uint_eq(intset_len(is), 3);
    ck_assert(intset_find(is, -3) && intset_find(is, 5) && intset_find(is, 10));
    ck_assert(!intset_find(is, 6));
    is = intset_remove(is, 6, &removed);
    ck_assert_int_eq(removed, 0);
    is = intset_remove(is, 5, &removed);
    ck_assert_int_eq(removed, 1);
    ck_assert(!intset_find(is, 5));
    ck_assert_uint_eq(intset_len(is), 2);
    is = intset_remove(is, -3, NULL);
    is = intset_remove(is, 10, NULL);
    ck_assert_uint_eq(intset_len(is), 0);
    ck_assert_uint_eq(intset_blob_len(is), sizeof(intset));
    intset_free(is);
}
END_TEST

START_TEST(test_ordering_random_inserts) {
    intset *is = intset_new();
    srand(1234);
    int present[1000] = {0};
    for (int i = 0; i < 5000; i++) {
        int v = rand() % 1000 - 500;
        int added;
        is = intset_add(is, v, &added);
        ck_assert_int_eq(added, !present[v + 500]);
        present[v + 500] = 1;
    }
    int n = 0;
    for (int i = 0; i < 1000; i++) {
        n += present[i];
        ck_assert_int_eq(intset_find(is, i - 500), present[i]);
    }
    ck_assert_uint_eq(intset_len(is), (uint32_t)n);
    assert_sorted_unique(is);
    ck_assert_uint_eq(is->encoding, INTSET_ENC_INT16);
    intset_free(is);
}
END_TEST

START_TEST(test_value_encoding_boundaries) {
    ck_assert_uint_eq(intset_value_encoding(INT16_MAX), INTSET_ENC_INT16);
    ck_assert_uint_eq(intset_value_encoding(INT16_MIN), INTSET_ENC_INT16);
    ck_assert_uint_eq(intset_value_encoding((int64_t)INT16_MAX + 1), INTSET_ENC_INT32);
    ck_assert_uint_eq(intset_value_encoding((int64_t)INT16_MIN - 1), INTSET_ENC_INT32);
    ck_assert_uint_eq(intset_value_encoding(INT32_MAX), INTSET_ENC_INT32);
    ck_assert_uint_eq(intset_value_encoding(INT32_MIN), INTSET_ENC_INT32);
    ck_assert_uint_eq(intset_value_encoding((int64_t)INT32_MAX + 1), INTSET_ENC_INT64);
    ck_assert_uint_eq(intset_value_encoding((int64_t)INT32_MIN - 1), INTSET_ENC_INT64);
    ck_assert_uint_eq(intset_value_encoding(INT64_MIN), INTSET_ENC_INT64);
}
END_TEST

/* Upgrade with v appended (positive) or prepended (negative); all old values survive. */
static void check_upgrade(int64_t v, uint32_t want_enc) {
    intset *is = intset_new();
    for (int i = -20; i <= 20; i++) is = intset_add(is, i * 100, NULL);
    ck_assert_uint_eq(is->encoding, INTSET_ENC_INT16);
    int added;
    is = intset_add(is, v, &added);
    ck_assert_int_eq(added, 1);
    ck_assert_uint_eq(is->encoding, want_enc);
    ck_assert_uint_eq(intset_len(is), 42);
    for (int i = -20; i <= 20; i++) ck_assert(intset_find(is, i * 100));
    ck_assert(intset_find(is, v));
    int64_t edge;
    ck_assert(intset_get(is, v < 0 ? 0 : 41, &edge));
    ck_assert(edge == v);
    assert_sorted_unique(is);
    /* Removing the wide value keeps the width (no downgrade). */
    is = intset_remove(is, v, &added);
    ck_assert_int_eq(added, 1);
    ck_assert_uint_eq(is->encoding, want_enc);
    ck_assert_uint_eq(intset_blob_len(is), sizeof(intset) + 41 * (size_t)want_enc);
    intset_free(is);
}

START_TEST(test_upgrades) {
    check_upgrade((int64_t)INT16_MAX + 1, INTSET_ENC_INT32);
    check_upgrade((int64_t)INT16_MIN - 1, INTSET_ENC_INT32);
    check_upgrade((int64_t)INT32_MAX + 1, INTSET_ENC_INT64);
    check_upgrade((int64_t)INT32_MIN - 1, INTSET_ENC_INT64);
    check_upgrade(INT64_MAX, INTSET_ENC_INT64);
    check_upgrade(INT64_MIN, INTSET_ENC_INT64);
}
END_TEST

START_TEST(test_upgrade_chain_and_wide_lookups) {
    intset *is = intset_new();
    is = intset_add(is, 1, NULL);
    is = intset_add(is, 70000, NULL);
    ck_assert_uint_eq(is->encoding, INTSET_ENC_INT32);
    is = intset_add(is, -5000000000LL, NULL);
    ck_assert_uint_eq(is->encoding, INTSET_ENC_INT64);
    is = intset_add(is, 2, NULL);
    int64_t v;
    const int64_t want[] = {-5000000000LL, 1, 2, 70000};
    for (uint32_t i = 0; i < 4; i++) {
        ck_assert(intset_get(is, i, &v));
        ck_assert(v == want[i]);
    }
    intset_free(is);
    /* In a 16-bit set, wider values are never members (and removing them is a no-op). */
    is = intset_new();
    is = intset_add(is, 1, NULL);
    ck_assert(!intset_find(is, 65537));
    ck_assert(!intset_find(is, INT64_MIN));
    int removed;
    is = intset_remove(is, 65537, &removed);
    ck_assert_int_eq(removed, 0);
    ck_assert_uint_eq(intset_len(is), 1);
    intset_free(is);
}
END_TEST

START_TEST(test_random_and_dup) {
    intset *is = intset_new();
    for (int i = 0; i < 16; i++) is = intset_add(is, i * 7, NULL);
    int seen[16] = {0};
    for (int i = 0; i < 2000; i++) {
        int64_t v = intset_random(is);
        ck_assert(v % 7 == 0 && v >= 0 && v < 112);
        seen[v / 7] = 1;
    }
    for (int i = 0; i < 16; i++) ck_assert_int_eq(seen[i], 1);
    intset *copy = intset_dup(is);
    is = intset_add(is, 1000000, NULL);
    ck_assert_uint_eq(intset_len(copy), 16);
    ck_assert_uint_eq(copy->encoding, INTSET_ENC_INT16);
    ck_assert(!intset_find(copy, 1000000));
    intset *copy2 = intset_dup(copy);
    ck_assert_uint_eq(intset_blob_len(copy2), intset_blob_len(copy));
    ck_assert(memcmp(copy2, copy, intset_blob_len(copy)) == 0);
    intset_free(copy2);
    intset_free(copy);
    intset_free(is);
}
END_TEST

static Suite *intset_suite(void) {
    Suite *s = suite_create("intset");
    TCase *tc = tcase_create("basics");
    tcase_add_test(tc, test_add_find_remove);
    tcase_add_test(tc, test_ordering_random_inserts);
    tcase_add_test(tc, test_random_and_dup);
    suite_add_tcase(s, tc);
    tc = tcase_create("encoding");
    tcase_add_test(tc, test_value_encoding_boundaries);
    tcase_add_test(tc, test_upgrades);
    tcase_add_test(tc, test_upgrade_chain_and_wide_lookups);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(intset_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
