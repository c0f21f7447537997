/* test_dstr.c -- unit tests for common/dstr.c (and the accounting in common/alloc.c):
 * creation, binary safety, amortised growth, formatting, sdsrange semantics, repr quoting.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/dstr.h"

#define MIB (1024 * 1024)

#ifdef __SANITIZE_ADDRESS__
/* Let malloc return NULL for impossible sizes under ASan, so kl_malloc's own OOM path runs. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) {
    return "allocator_may_return_null=1";
}
#endif

START_TEST(test_new_and_binary) {
    dstr s = dstr_new("hello");
    ck_assert_uint_eq(dstr_len(s), 5);
    ck_assert_str_eq(s, "hello");
    ck_assert_uint_ge(dstr_avail(s), 0);
    s = dstr_catlen(s, "\0x\0", 3);
    ck_assert_uint_eq(dstr_len(s), 8);
    ck_assert_int_eq(memcmp(s, "hello\0x\0\0", 9), 0);   /* always NUL terminated */
    dstr d = dstr_dup(s);
    ck_assert_uint_eq(dstr_len(d), 8);
    ck_assert_int_eq(memcmp(d, s, 9), 0);
    dstr z = dstr_newlen(NULL, 4);
    ck_assert_uint_eq(dstr_len(z), 4);
    ck_assert_int_eq(memcmp(z, "\0\0\0\0\0", 5), 0);
    dstr e = dstr_empty();
    ck_assert_uint_eq(dstr_len(e), 0);
    ck_assert_str_eq(e, "");
    dstr n = dstr_new(NULL);
    ck_assert_uint_eq(dstr_len(n), 0);
    dstr_free(s);
    dstr_free(d);
    dstr_free(z);
    dstr_free(e);
    dstr_free(n);
    dstr_free(NULL);
}
END_TEST

START_TEST(test_growth_policy) {
    dstr s = dstr_empty();
    s = dstr_grow(s, 100);
    ck_assert_uint_ge(dstr_avail(s), 100);
    ck_assert_uint_ge(DSTR_HDR(s)->cap, 200);            /* doubled below 1 MiB */
    ck_assert_uint_eq(dstr_len(s), 0);
    size_t cap = DSTR_HDR(s)->cap;
    dstr same = dstr_grow(s, cap);                       /* fits: no reallocation */
    ck_assert_ptr_eq(same, s);
    s = dstr_grow(s, 2 * MIB);                           /* above 1 MiB: +1 MiB */
    ck_assert_uint_ge(DSTR_HDR(s)->cap, 3 * MIB);
    ck_assert_uint_lt(DSTR_HDR(s)->cap, 3 * MIB + 4096);
    /* Appending byte by byte reallocates only O(log n) times. */
    dstr t = dstr_empty();
    int reallocs = 0;
    for (int i = 0; i < 100000; i++) {
        char *before = t;
        size_t before_cap = DSTR_HDR(t)->cap;
        t = dstr_catlen(t, "x", 1);
        if (t != before || DSTR_HDR(t)->cap != before_cap) reallocs++;
    }
    ck_assert_uint_eq(dstr_len(t), 100000);
    ck_assert_int_lt(reallocs, 30);
    t = dstr_shrink(t);
    ck_assert_uint_lt(DSTR_HDR(t)->cap, 100000 + 4096);   /* page slack of mmap chunks */
    ck_assert_uint_eq(dstr_alloc_size(t), sizeof(dstr_hdr) + DSTR_HDR(t)->cap + 1);
    ck_assert_uint_le(dstr_alloc_size(t), kl_alloc_size(DSTR_HDR(t)));
    dstr_free(s);
    dstr_free(t);
}
END_TEST

START_TEST(test_catfmt) {
    dstr s = dstr_new("n=");
    s = dstr_catfmt(s, "%d,%s,%lld", 42, "ok", -9223372036854775807LL - 1);
    ck_assert_str_eq(s, "n=42,ok,-9223372036854775808");
    char big[1000];
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    s = dstr_catfmt(s, "[%s]", big);                     /* longer than the stack buffer */
    size_t pre = strlen("n=42,ok,-9223372036854775808");
    ck_assert_uint_eq(dstr_len(s), pre + 2 + 999);
    ck_assert_int_eq(s[pre], '[');
    ck_assert_int_eq(s[pre + 1 + 999], ']');
    ck_assert_int_eq(s[dstr_len(s)], '\0');
    dstr_free(s);
}
END_TEST

START_TEST(test_range) {
    /* Expected results of Redis's sdsrange on "Hello World" (len 11). */
    static const struct { long start, end; const char *want; } cases[] = {
        {0, -1, "Hello World"}, {1, -1, "ello World"}, {-5, -1, "World"}, {0, 0, "H"},
        {1, 1, "e"}, {2, 1, ""}, {-100, 4, "Hello"}, {6, 100, "World"}, {11, 20, ""},
        {100, 200, ""}, {-1, -1, "d"}, {-2, -5, ""}, {0, -100, "H"}, {3, -3, "lo Wor"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        dstr s = dstr_new("Hello World");
        dstr_range(s, cases[i].start, cases[i].end);
        ck_assert_msg(strcmp(s, cases[i].want) == 0, "range(%ld,%ld) gave '%s', want '%s'",
                      cases[i].start, cases[i].end, s, cases[i].want);
        ck_assert_uint_eq(dstr_len(s), strlen(cases[i].want));
        dstr_free(s);
    }
    dstr e = dstr_empty();
    dstr_range(e, 0, -1);
    ck_assert_uint_eq(dstr_len(e), 0);
    dstr_free(e);
}
END_TEST

START_TEST(test_catrepr) {
    dstr s = dstr_empty();
    s = dstr_catrepr(s, "a\0b\n\r\t\a\b\"\\\x7f\xff ~", 14);
    ck_assert_str_eq(s, "\"a\\x00b\\n\\r\\t\\a\\b\\\"\\\\\\x7f\\xff ~\"");
    dstr_clear(s);
    s = dstr_catrepr(s, "", 0);
    ck_assert_str_eq(s, "\"\"");
    dstr_free(s);
}
END_TEST

START_TEST(test_length_edits) {
    dstr s = dstr_new("abc");
    s = dstr_cpylen(s, "a much longer replacement string", 32);
    ck_assert_str_eq(s, "a much longer replacement string");
    s = dstr_cpylen(s, "xy", 2);
    ck_assert_str_eq(s, "xy");
    s = dstr_growzero(s, 6);
    ck_assert_uint_eq(dstr_len(s), 6);
    ck_assert_int_eq(memcmp(s, "xy\0\0\0\0\0", 7), 0);
    s = dstr_growzero(s, 3);                             /* never truncates */
    ck_assert_uint_eq(dstr_len(s), 6);
    s = dstr_grow(s, 10);
    memcpy(s + dstr_len(s), "0123", 4);
    dstr_incrlen(s, 4);
    ck_assert_uint_eq(dstr_len(s), 10);
    ck_assert_int_eq(memcmp(s + 6, "0123", 5), 0);
    dstr_incrlen(s, -2);
    ck_assert_uint_eq(dstr_len(s), 8);
    ck_assert_int_eq(s[8], '\0');
    dstr_setlen(s, 2);
    ck_assert_str_eq(s, "xy");
    s = dstr_cat(s, "ABCdef");
    dstr_consume(s, 2);
    ck_assert_str_eq(s, "ABCdef");
    dstr_tolower(s);
    ck_assert_str_eq(s, "abcdef");
    dstr_consume(s, 100);
    ck_assert_str_eq(s, "");
    size_t cap = DSTR_HDR(s)->cap;
    dstr_clear(s);
    ck_assert_uint_eq(DSTR_HDR(s)->cap, cap);
    dstr_free(s);
}
END_TEST

START_TEST(test_alloc_accounting) {
    size_t before = kl_used_memory();
    void *p = kl_malloc(1000);
    ck_assert_uint_ge(kl_used_memory(), before + 1000);
    ck_assert_uint_eq(kl_used_memory(), before + kl_alloc_size(p));
    p = kl_realloc(p, 100000);
    ck_assert_uint_eq(kl_used_memory(), before + kl_alloc_size(p));
    kl_free(p);
    ck_assert_uint_eq(kl_used_memory(), before);
    char *m = kl_memdup("abc", 3);
    ck_assert_str_eq(m, "abc");
    char *d = kl_strdup("xyz");
    ck_assert_str_eq(d, "xyz");
    int *c = kl_calloc(10, sizeof(int));
    for (int i = 0; i < 10; i++) ck_assert_int_eq(c[i], 0);
    kl_free(m);
    kl_free(d);
    kl_free(c);
    kl_free(NULL);
    ck_assert_uint_eq(kl_used_memory(), before);
}
END_TEST

START_TEST(test_alloc_oom_aborts) {
    /* An impossible size must abort (never return NULL). */
    void *volatile p = kl_malloc((size_t)-1 / 2);
    (void)p;
}
END_TEST

static Suite *dstr_suite(void) {
    Suite *s = suite_create("dstr");
    TCase *tc = tcase_create("basics");
    tcase_add_test(tc, test_new_and_binary);
    tcase_add_test(tc, test_length_edits);
    suite_add_tcase(s, tc);
    tc = tcase_create("growth");
    tcase_add_test(tc, test_growth_policy);
    suite_add_tcase(s, tc);
    tc = tcase_create("format");
    tcase_add_test(tc, test_catfmt);
    tcase_add_test(tc, test_catrepr);
    tcase_add_test(tc, test_range);
    suite_add_tcase(s, tc);
    tc = tcase_create("alloc");
    tcase_add_test(tc, test_alloc_accounting);
    tcase_add_test_raise_signal(tc, test_alloc_oom_aborts, SIGABRT);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(dstr_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
