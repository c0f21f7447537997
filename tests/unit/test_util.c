/* test_util.c -- unit tests for common/util.c. Expected values marked "redis" were read from
 * a real redis-server 7.0.15 (INCRBYFLOAT replies, KEYS matches, CONFIG SET maxmemory and
 * INFO maxmemory_human).
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/util.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------------------------- */

START_TEST(test_str_to_ll_table) {
    static const struct { const char *s; long long want; } ok[] = {
        {"0", 0}, {"1", 1}, {"-1", -1}, {"123", 123}, {"9223372036854775807", LLONG_MAX},
        {"-9223372036854775808", LLONG_MIN}, {"10", 10}, {"-100", -100},
    };
    static const char *bad[] = {
        "", "-", "-0", "01", "00", "+1", " 1", "1 ", "9223372036854775808",
        "-9223372036854775809", "1a", "0x1", "99999999999999999999", "123456789012345678901",
        "1.0", "--1", "\t1",
    };
    for (size_t i = 0; i < N_ELEMS(ok); i++) {
        long long v = 42;
        ck_assert_msg(str_to_ll(ok[i].s, strlen(ok[i].s), &v) == 1, "rejected '%s'", ok[i].s);
        ck_assert_int_eq(v, ok[i].want);
    }
    for (size_t i = 0; i < N_ELEMS(bad); i++)
        ck_assert_msg(str_to_ll(bad[i], strlen(bad[i]), NULL) == 0, "accepted '%s'", bad[i]);
    long long v;
    ck_assert_int_eq(str_to_ll("12\0", 3, &v), 0);   /* embedded NUL */
    ck_assert_int_eq(str_to_ll("123", 2, &v), 1);    /* slices need no NUL */
    ck_assert_int_eq(v, 12);
}
END_TEST

START_TEST(test_str_to_ull_and_back) {
    unsigned long long u;
    ck_assert_int_eq(str_to_ull("18446744073709551615", 20, &u), 1);
    ck_assert_uint_eq(u, ULLONG_MAX);
    ck_assert_int_eq(str_to_ull("18446744073709551616", 20, &u), 0);
    ck_assert_int_eq(str_to_ull("-1", 2, &u), 0);
    ck_assert_int_eq(str_to_ull("01", 2, &u), 0);
    ck_assert_int_eq(str_to_ull("0", 1, &u), 1);
    ck_assert_uint_eq(u, 0);
    char buf[LONG_STR_SIZE];
    ck_assert_int_eq(ll_to_str(buf, sizeof(buf), LLONG_MIN), 20);
    ck_assert_str_eq(buf, "-9223372036854775808");
    ck_assert_int_eq(ll_to_str(buf, sizeof(buf), 0), 1);
    ck_assert_str_eq(buf, "0");
    ck_assert_int_eq(ll_to_str(buf, sizeof(buf), -7), 2);
    ck_assert_str_eq(buf, "-7");
    ck_assert_int_eq(ull_to_str(buf, sizeof(buf), ULLONG_MAX), 20);
    ck_assert_str_eq(buf, "18446744073709551615");
    ck_assert_int_eq(ll_to_str(buf, 3, 123), 0);    /* no room for the NUL */
    ck_assert_int_eq(ll_to_str(buf, 4, 123), 3);
    ck_assert_int_eq(ll_to_str(buf, 3, -12), 0);
    ck_assert_int_eq(ll_to_str(buf, 1, -1), 0);
    /* Round trip over a spread of values. */
    for (long long x = -1000000; x <= 1000000; x += 997) {
        long long back;
        int n = ll_to_str(buf, sizeof(buf), x);
        ck_assert_int_eq(str_to_ll(buf, (size_t)n, &back), 1);
        ck_assert_int_eq(back, x);
    }
}
END_TEST

START_TEST(test_str_to_double_table) {
    static const struct { const char *s; double want; } ok[] = {
        {"1", 1}, {"1.5", 1.5}, {"-1.5", -1.5}, {".5", 0.5}, {"5.", 5}, {"1e10", 1e10},
        {"+5", 5}, {"0x10", 16}, {"-0", -0.0}, {"1e-310", 1e-310},
    };
    static const char *bad[] = {
        "", " 1", "1 ", "\n1", "nan", "NaN", "-nan", "abc", "1e400", "-1e400", "1e-400",
        "1e-330", "1e", "1.2.3", "--1",
    };
    for (size_t i = 0; i < N_ELEMS(ok); i++) {
        double v = 42;
        ck_assert_msg(str_to_double(ok[i].s, strlen(ok[i].s), &v) == 1, "rejected '%s'", ok[i].s);
        ck_assert(v == ok[i].want);
    }
    for (size_t i = 0; i < N_ELEMS(bad); i++)
        ck_assert_msg(str_to_double(bad[i], strlen(bad[i]), NULL) == 0, "accepted '%s'", bad[i]);
    double v;
    static const char *infs[] = {"inf", "+inf", "-inf", "Inf", "INF", "-Infinity"};
    for (size_t i = 0; i < N_ELEMS(infs); i++) {
        ck_assert_int_eq(str_to_double(infs[i], strlen(infs[i]), &v), 1);
        ck_assert(isinf(v));
        ck_assert_int_eq(v < 0, infs[i][0] == '-');
    }
    ck_assert_int_eq(str_to_double("1\0", 2, &v), 0);
    ck_assert_int_eq(str_to_double("2.5xyz", 3, &v), 1);   /* slice, not NUL terminated */
    ck_assert(v == 2.5);
    /* A long but valid number takes the heap path. */
    char longnum[400];
    memset(longnum, '0', sizeof(longnum));
    longnum[0] = '1';
    longnum[1] = '.';
    ck_assert_int_eq(str_to_double(longnum, sizeof(longnum), &v), 1);
    ck_assert(v == 1.0);
}
END_TEST

START_TEST(test_str_to_ld_table) {
    static const char *ok[] = {"10.5", "1e-4940", "+5", "0x10", "inf", "-inf", "-0", ".1"};
    static const char *bad[] = {
        "", " 5", "5 ", "5\n", "1e5000", "-1e5000", "1e-5000", "nan", "abc", "1,5",
    };
    for (size_t i = 0; i < N_ELEMS(ok); i++)
        ck_assert_msg(str_to_ld(ok[i], strlen(ok[i]), NULL) == 1, "rejected '%s'", ok[i]);
    for (size_t i = 0; i < N_ELEMS(bad); i++)
        ck_assert_msg(str_to_ld(bad[i], strlen(bad[i]), NULL) == 0, "accepted '%s'", bad[i]);
    static char huge[MAX_LONG_DOUBLE_CHARS + 10];
    memset(huge, '1', sizeof(huge));
    ck_assert_int_eq(str_to_ld(huge, MAX_LONG_DOUBLE_CHARS, NULL), 0);   /* too long */
    ck_assert_int_eq(str_to_ld(huge, 30, NULL), 1);
}
END_TEST

START_TEST(test_incrbyfloat_matches_redis) {
    /* redis: SET k <a>; INCRBYFLOAT k <b> -> <reply>. */
    static const struct { const char *a, *b, *reply; } cases[] = {
        {"10.5", "0.1", "10.6"},
        {"3.0e3", "0", "3000"},
        {"5.0e3", "200", "5200"},
        {"0", "0", "0"},
        {"1", "-1", "0"},
        {"-1", "0.5", "-0.5"},
        {"0.1", "0.2", "0.3"},
        {"1e-5", "0", "0.00001"},
        {"123456789.123456789", "0", "123456789.12345678899873747"},
        {"1.5e-10", "0", "0.00000000015"},
        {"-0.0", "0", "0"},
        {"3", "1e20", "100000000000000000000"},
        {"1", "1e-20", "1"},
        {"17", "0.0000000000000000001", "17"},
        {"5.5", "-5", "0.5"},
        {"2", "-2.5", "-0.5"},
        {"9007199254740993", "0", "9007199254740993"},
        {"1e17", "1.3333333333333", "100000000000000001.3359375"},
        {"0", "-1e-17", "-0.00000000000000001"},
        {"0", "1e-18", "0"},
        {"0", "-1e-18", "0"},
    };
    char buf[MAX_LONG_DOUBLE_CHARS];
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        long double a, b;
        ck_assert_int_eq(str_to_ld(cases[i].a, strlen(cases[i].a), &a), 1);
        ck_assert_int_eq(str_to_ld(cases[i].b, strlen(cases[i].b), &b), 1);
        int n = ld_to_str(buf, sizeof(buf), a + b, LD_STR_HUMAN);
        ck_assert_msg(n > 0 && strcmp(buf, cases[i].reply) == 0, "%s + %s gave '%s', want '%s'",
                      cases[i].a, cases[i].b, buf, cases[i].reply);
        ck_assert_int_eq(n, (int)strlen(cases[i].reply));
    }
    /* redis: SET k 1; INCRBYFLOAT k 1e308 prints every digit. */
    static const char big[] =
        "99999999999999999996685879655845645660560099847415567207797047994921734868838061"
        "87210012692188853932044674722505401322315213474959396058359742081443019641876795"
        "91000196031907786631096045071066679391533957889389145605435630612683649016186302"
        "17086589253444881623791300855757318142424510452728255046343928578048";
    long double a;
    ck_assert_int_eq(str_to_ld("1e308", 5, &a), 1);
    int n = ld_to_str(buf, sizeof(buf), a + 1, LD_STR_HUMAN);
    ck_assert_str_eq(buf, big);
    ck_assert_int_eq(n, (int)strlen(big));
    ck_assert_int_eq(ld_to_str(buf, 8, 1e308L, LD_STR_HUMAN), 0);   /* does not fit */
}
END_TEST

START_TEST(test_ld_to_str_modes) {
    char buf[64];
    ck_assert_int_eq(ld_to_str(buf, sizeof(buf), 3.0L, LD_STR_AUTO), 1);
    ck_assert_str_eq(buf, "3");
    ld_to_str(buf, sizeof(buf), 1e20L, LD_STR_AUTO);
    ck_assert_str_eq(buf, "1e+20");
    ld_to_str(buf, sizeof(buf), 1.5L, LD_STR_AUTO);
    ck_assert_str_eq(buf, "1.5");
    ld_to_str(buf, sizeof(buf), 1.0L / 3, LD_STR_AUTO);
    ck_assert_str_eq(buf, "0.33333333333333333");
    ck_assert_int_eq(ld_to_str(buf, sizeof(buf), INFINITY, LD_STR_HUMAN), 3);
    ck_assert_str_eq(buf, "inf");
    ck_assert_int_eq(ld_to_str(buf, sizeof(buf), -INFINITY, LD_STR_AUTO), 4);
    ck_assert_str_eq(buf, "-inf");
    ck_assert_int_eq(ld_to_str(buf, 4, INFINITY, LD_STR_AUTO), 0);
    ck_assert_int_gt(ld_to_str(buf, sizeof(buf), 1.0L, LD_STR_HEX), 0);
    long double back = strtold(buf, NULL);
    ck_assert(back == 1.0L);
}
END_TEST

START_TEST(test_double_to_str) {
    static const struct { double v; const char *want; } cases[] = {
        {3, "3"}, {-3, "-3"}, {1.5, "1.5"}, {0.1, "0.10000000000000001"}, {1e20, "1e+20"},
        {4503599627370495.0, "4503599627370495"}, {-4503599627370494.0, "-4503599627370494"},
        {4503599627370496.0, "4503599627370496"}, {-0.0, "-0"}, {0.0, "0"},
        {1e-310, "9.9999999999999694e-311"},
    };
    char buf[MAX_D2STRING_CHARS];
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        int n = double_to_str(buf, sizeof(buf), cases[i].v);
        ck_assert_msg(strcmp(buf, cases[i].want) == 0, "got '%s' want '%s'", buf, cases[i].want);
        ck_assert_int_eq(n, (int)strlen(cases[i].want));
    }
    double_to_str(buf, sizeof(buf), NAN);
    ck_assert_str_eq(buf, "nan");
    double_to_str(buf, sizeof(buf), -INFINITY);
    ck_assert_str_eq(buf, "-inf");
    ck_assert_int_eq(double_to_str(buf, 3, 0.5), 0);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */

START_TEST(test_glob_table) {
    static const struct { const char *pat, *s; int nocase, want; } cases[] = {
        {"h?llo", "hello", 0, 1}, {"h?llo", "hllo", 0, 0}, {"h*llo", "hllo", 0, 1},
        {"h*llo", "heeeello", 0, 1}, {"h[ae]llo", "hallo", 0, 1}, {"h[ae]llo", "hillo", 0, 0},
        {"h[^e]llo", "hallo", 0, 1}, {"h[^e]llo", "hello", 0, 0}, {"h[a-b]llo", "hallo", 0, 1},
        {"h[a-b]llo", "hcllo", 0, 0}, {"h[b-a]llo", "hallo", 0, 1},
        {"h\\*llo", "h*llo", 0, 1}, {"h\\*llo", "hello", 0, 0}, {"h\\?llo", "h?llo", 0, 1},
        {"h[\\[]llo", "h[llo", 0, 1}, {"*\\\\*", "h\\llo", 0, 1}, {"H*", "hello", 0, 0},
        {"H*", "hello", 1, 1}, {"h[A-Z]llo", "hello", 1, 1}, {"h[A-Z]llo", "hello", 0, 0},
        {"a[-]b", "a-b", 0, 1}, {"a[]]b", "a]b", 0, 0}, {"a[\\]]b", "a]b", 0, 1},
        {"[^]", "x", 0, 1}, {"[z-a]*", "hello", 0, 1}, {"a[a-]", "a]", 0, 1},
        {"a[a-]", "a-", 0, 0}, {"a[a-]", "ab", 0, 0}, {"a[]", "a]", 0, 0}, {"a\\", "a\\", 0, 1},
        {"a\\", "ab", 0, 0}, {"a[b", "ab", 0, 1}, {"a[^", "a]", 0, 1}, {"a[^", "ab", 0, 1},
        {"*", "", 0, 0}, {"**", "", 0, 0}, {"", "", 0, 1}, {"*", "anything", 0, 1},
        {"a*", "a", 0, 1}, {"a**", "a", 0, 1}, {"?", "", 0, 0}, {"*?", "a", 0, 1},
        {"*.txt", "file.txt", 0, 1}, {"*.txt", "file.txt.bak", 0, 0}, {"a?c", "a\xff" "c", 0, 1},
        {"[\x80-\xff]", "\x90", 0, 1}, {"[a-\xff]", "b", 0, 0},   /* signed char ranges */
    };
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        int got = glob_match(cases[i].pat, strlen(cases[i].pat), cases[i].s, strlen(cases[i].s),
                             cases[i].nocase);
        ck_assert_msg(got == cases[i].want, "glob '%s' on '%s' (nocase %d): got %d", cases[i].pat,
                      cases[i].s, cases[i].nocase, got);
    }
    /* Slices: the pattern and string need no NUL and are never read past their length. */
    ck_assert_int_eq(glob_match("ab*", 2, "abc", 2, 0), 1);
    ck_assert_int_eq(glob_match("a*", 2, "abc", 3, 0), 1);
    ck_assert_int_eq(glob_match("a[bc]", 3, "ab", 2, 0), 1);   /* "a[b" unterminated */
}
END_TEST

START_TEST(test_glob_pathological) {
    static char s[20001], pat[4000];
    memset(s, 'a', 20000);
    size_t n = 0;
    for (int i = 0; i < 30; i++) pat[n++] = 'a', pat[n++] = '*';
    pat[n++] = 'b';
    clock_t t0 = clock();
    ck_assert_int_eq(glob_match(pat, n, s, 20000, 0), 0);
    for (int i = 0; i < 50; i++)
        ck_assert_int_eq(glob_match("*a*a*a*a*a*a*a*a*a*a*b", 22, s, 20000, 0), 0);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_msg(secs < 2.0, "pathological patterns took %.2fs", secs);
    /* redis: nesting of up to 1000 stars works, 1001 fails (KEYS "*a" x 1001 on a x 1500). */
    n = 0;
    for (int i = 0; i < 1000; i++) pat[n++] = '*', pat[n++] = 'a';
    ck_assert_int_eq(glob_match(pat, n, s, 1500, 0), 1);
    pat[n++] = '*';
    pat[n++] = 'a';
    ck_assert_int_eq(glob_match(pat, n, s, 1500, 0), 0);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */

START_TEST(test_mem_to_ull_table) {
    /* redis: CONFIG SET maxmemory <s>; CONFIG GET maxmemory. */
    static const struct { const char *s; unsigned long long want; } ok[] = {
        {"", 0}, {"1", 1}, {"1k", 1000}, {"1kb", 1024}, {"1K", 1000}, {"1KB", 1024},
        {"1Kb", 1024}, {"1m", 1000000}, {"1mb", 1048576}, {"1g", 1000000000},
        {"1gb", 1073741824}, {"1b", 1}, {"1B", 1}, {"01", 1}, {"k", 0}, {"b", 0},
        {"5mb", 5242880}, {"2G", 2000000000}, {"18446744073709551615", ULLONG_MAX},
    };
    /* Redis 7.0 wraps or saturates on the last three; we reject overflow instead. */
    static const char *bad[] = {
        "1t", "1tb", "-1", " 1", "+1", "1.5mb", "1 mb", "0x10", "1kbb", "1 ", "mb1",
        "18446744073709551616", "99999999999999999999999", "18446744073709551615k",
    };
    for (size_t i = 0; i < N_ELEMS(ok); i++) {
        unsigned long long v = 42;
        ck_assert_msg(mem_to_ull(ok[i].s, &v) == 1, "rejected '%s'", ok[i].s);
        ck_assert_uint_eq(v, ok[i].want);
    }
    for (size_t i = 0; i < N_ELEMS(bad); i++)
        ck_assert_msg(mem_to_ull(bad[i], NULL) == 0, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(test_bytes_to_human) {
    /* redis: CONFIG SET maxmemory <n>; INFO memory -> maxmemory_human. */
    static const struct { unsigned long long n; const char *want; } cases[] = {
        {0, "0B"}, {900, "900B"}, {1023, "1023B"}, {1024, "1.00K"}, {1536, "1.50K"},
        {1048575, "1024.00K"}, {1048576, "1.00M"}, {123456789, "117.74M"},
        {1073741824, "1.00G"}, {1099511627776ULL, "1.00T"}, {1125899906842624ULL, "1.00P"},
        {1152921504606846976ULL, "1152921504606846976B"},
    };
    char buf[64];
    for (size_t i = 0; i < N_ELEMS(cases); i++) {
        bytes_to_human(buf, sizeof(buf), cases[i].n);
        ck_assert_str_eq(buf, cases[i].want);
    }
}
END_TEST

START_TEST(test_misc) {
    ck_assert_int_eq(str_eq_nocase("GeT", 3, "get"), 1);
    ck_assert_int_eq(str_eq_nocase("get", 3, "gets"), 0);
    ck_assert_int_eq(str_eq_nocase("gets", 3, "get"), 1);   /* only len bytes compared */
    ck_assert_int_eq(str_eq_nocase("gets", 4, "get"), 0);
    ck_assert_int_eq(str_eq_nocase("", 0, ""), 1);
    ck_assert_int_eq(str_eq_nocase("\xc0", 1, "\xe0"), 0);
    char h1[41], h2[41];
    random_hex(h1, 40);
    random_hex(h2, 40);
    h1[40] = h2[40] = '\0';
    ck_assert_uint_eq(strspn(h1, "0123456789abcdef"), 40);
    ck_assert_str_ne(h1, h2);
    unsigned char r[32] = {0};
    random_bytes(r, sizeof(r));
    int nonzero = 0;
    for (size_t i = 0; i < sizeof(r); i++) nonzero += r[i] != 0;
    ck_assert_int_gt(nonzero, 0);
    long long us = ustime(), ms = mstime();
    ck_assert(us > 1600000000LL * 1000000);
    ck_assert(ms - us / 1000 >= 0 && ms - us / 1000 < 1000);
    uint64_t m1 = monotonic_us(), m2 = monotonic_us();
    ck_assert_uint_ge(m2, m1);
}
END_TEST

static Suite *util_suite(void) {
    Suite *s = suite_create("util");
    TCase *tc = tcase_create("integers");
    tcase_add_test(tc, test_str_to_ll_table);
    tcase_add_test(tc, test_str_to_ull_and_back);
    suite_add_tcase(s, tc);
    tc = tcase_create("floats");
    tcase_add_test(tc, test_str_to_double_table);
    tcase_add_test(tc, test_str_to_ld_table);
    tcase_add_test(tc, test_incrbyfloat_matches_redis);
    tcase_add_test(tc, test_ld_to_str_modes);
    tcase_add_test(tc, test_double_to_str);
    suite_add_tcase(s, tc);
    tc = tcase_create("glob");
    tcase_add_test(tc, test_glob_table);
    tcase_add_test(tc, test_glob_pathological);
    suite_add_tcase(s, tc);
    tc = tcase_create("memory");
    tcase_add_test(tc, test_mem_to_ull_table);
    tcase_add_test(tc, test_bytes_to_human);
    suite_add_tcase(s, tc);
    tc = tcase_create("misc");
    tcase_add_test(tc, test_misc);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(util_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
