/* test_set.c -- unit tests for common/types/set.c: intset vs dict encoding, conversion on a
 * non-integer member and on crossing the intset limit, membership rules for non-canonical
 * integers, iteration, random members, scan, dup.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/types/set.h"

static int add(set *s, const char *m, size_t max) { return set_add(s, m, strlen(m), max); }
static int has(set *s, const char *m) { return set_contains(s, m, strlen(m)); }

START_TEST(test_intset_until_non_integer) {
    set *s = set_new();
    ck_assert(set_is_intset(s));
    ck_assert_int_eq(add(s, "1", 512), 1);
    ck_assert_int_eq(add(s, "-9223372036854775808", 512), 1);
    ck_assert_int_eq(add(s, "1", 512), 0);
    ck_assert(set_is_intset(s));
    ck_assert_uint_eq(set_size(s), 2);
    ck_assert(has(s, "1") && !has(s, "01") && !has(s, "+1") && !has(s, " 1"));
    ck_assert_int_eq(add(s, "abc", 512), 1);
    ck_assert(!set_is_intset(s));
    ck_assert_uint_eq(set_size(s), 3);
    ck_assert(has(s, "1") && has(s, "-9223372036854775808") && has(s, "abc"));
    ck_assert_int_eq(set_remove(s, "abc", 3), 1);
    ck_assert(!set_is_intset(s));    /* never converts back */
    set_free(s);
}
END_TEST

START_TEST(test_non_canonical_integers_are_strings) {
    const char *odd[] = {"01", "+1", "1 ", "-0", "9223372036854775808", "1.0", ""};
    for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        set *s = set_new();
        ck_assert_int_eq(add(s, odd[i], 512), 1);
        ck_assert_msg(!set_is_intset(s), "%s should force the dict encoding", odd[i]);
        ck_assert(has(s, odd[i]));
        set_free(s);
    }
}
END_TEST

START_TEST(test_convert_on_crossing_limit) {
    set *s = set_new();
    char buf[32];
    for (int i = 0; i < 4; i++) {
        snprintf(buf, sizeof(buf), "%d", i * 1000);
        ck_assert_int_eq(add(s, buf, 4), 1);
    }
    ck_assert(set_is_intset(s));
    ck_assert_int_eq(add(s, "0", 4), 0);     /* duplicate: no conversion */
    ck_assert(set_is_intset(s));
    ck_assert_int_eq(add(s, "7", 4), 1);
    ck_assert(!set_is_intset(s));
    ck_assert_uint_eq(set_size(s), 5);
    for (int i = 0; i < 4; i++) {
        snprintf(buf, sizeof(buf), "%d", i * 1000);
        ck_assert(has(s, buf));
    }
    set_free(s);
    s = set_new();
    ck_assert_int_eq(add(s, "5", 0), 1);     /* limit 0: never an intset once non-empty */
    ck_assert(!set_is_intset(s));
    set_free(s);
}
END_TEST

static int count_members(set *s, const char *want_prefix) {
    set_iter it;
    set_member m;
    int n = 0;
    set_iter_init(&it, s);
    while (set_iter_next(&it, &m)) {
        ck_assert(set_contains(s, m.ptr, m.len));
        if (want_prefix) ck_assert(m.len >= strlen(want_prefix));
        n++;
    }
    set_iter_release(&it);
    return n;
}

START_TEST(test_iteration_and_remove) {
    set *s = set_new();
    char buf[32];
    for (int i = 0; i < 100; i++) {
        snprintf(buf, sizeof(buf), "%d", 100 - i);
        add(s, buf, 512);
    }
    ck_assert_int_eq(count_members(s, NULL), 100);
    set_iter it;
    set_member m;
    set_iter_init(&it, s);
    ck_assert(set_iter_next(&it, &m));
    ck_assert_uint_eq(m.len, 1);
    ck_assert(memcmp(m.ptr, "1", 1) == 0);   /* intset iterates in ascending order */
    set_iter_release(&it);
    set_convert_to_dict(s);
    ck_assert(!set_is_intset(s));
    ck_assert_int_eq(count_members(s, NULL), 100);
    ck_assert_int_eq(set_remove(s, "50", 2), 1);
    ck_assert_int_eq(set_remove(s, "50", 2), 0);
    ck_assert_int_eq(count_members(s, NULL), 99);
    set_free(s);
}
END_TEST

static void check_random_covers(set *s, int n) {
    int *seen = kl_calloc((size_t)n, sizeof(int));
    set_member m;
    for (int i = 0; i < n * 200; i++) {
        set_random(s, &m);
        char buf[32];
        ck_assert(m.len < sizeof(buf));
        memcpy(buf, m.ptr, m.len);
        buf[m.len] = '\0';
        int v = atoi(buf[0] == 'k' ? buf + 1 : buf);
        ck_assert(v >= 0 && v < n);
        seen[v] = 1;
    }
    for (int i = 0; i < n; i++) ck_assert_int_eq(seen[i], 1);
    kl_free(seen);
}

START_TEST(test_random_both_encodings) {
    set *a = set_new(), *b = set_new();
    char buf[32];
    for (int i = 0; i < 40; i++) {
        snprintf(buf, sizeof(buf), "%d", i);
        add(a, buf, 512);
        snprintf(buf, sizeof(buf), "k%d", i);
        add(b, buf, 512);
    }
    ck_assert(set_is_intset(a) && !set_is_intset(b));
    check_random_covers(a, 40);
    check_random_covers(b, 40);
    set_free(a);
    set_free(b);
}
END_TEST

static void count_scan(void *priv, const char *m, size_t len) {
    (void)m, (void)len;
    (*(int *)priv)++;
}

START_TEST(test_scan_and_dup) {
    set *s = set_new();
    char buf[32];
    for (int i = 0; i < 300; i++) {
        snprintf(buf, sizeof(buf), "%d", i);
        add(s, buf, 512);
    }
    int n = 0;
    ck_assert_uint_eq(set_scan(s, 0, count_scan, &n), 0);   /* intset: all in one call */
    ck_assert_int_eq(n, 300);
    set *copy = set_dup(s);
    add(s, "x", 512);
    ck_assert(set_is_intset(copy) && !set_is_intset(s));
    ck_assert(!has(copy, "x"));
    set *copy2 = set_dup(s);
    ck_assert(!set_is_intset(copy2));
    ck_assert_uint_eq(set_size(copy2), 301);
    n = 0;
    unsigned long cur = 0;
    do {
        cur = set_scan(copy2, cur, count_scan, &n);
    } while (cur);
    ck_assert_int_ge(n, 301);
    ck_assert_uint_gt(set_mem_usage(copy2), set_mem_usage(copy));
    set_free(copy);
    set_free(copy2);
    set_free(s);
}
END_TEST

static Suite *set_suite(void) {
    Suite *s = suite_create("set");
    TCase *tc = tcase_create("encoding");
    tcase_add_test(tc, test_intset_until_non_integer);
    tcase_add_test(tc, test_non_canonical_integers_are_strings);
    tcase_add_test(tc, test_convert_on_crossing_limit);
    suite_add_tcase(s, tc);
    tc = tcase_create("access");
    tcase_add_test(tc, test_iteration_and_remove);
    tcase_add_test(tc, test_random_both_encodings);
    tcase_add_test(tc, test_scan_and_dup);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(set_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
