/* test_listpack.c -- unit tests for common/types/listpack.c: insert/delete/replace/seek,
 * iteration both ways, integer encodings and their edges, non-canonical integer strings,
 * big strings, find with a stride, and validation of corrupt buffers. A randomized test
 * checks every operation against a plain array model.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/types/listpack.h"

/* Asserts the entry at p reads back as s. */
static void expect_str(const listpack *lp, lp_pos p, const char *s) {
    char buf[24];
    size_t len;
    ck_assert_int_ge(p, 0);
    const char *v = lp_get_str(lp, p, &len, buf);
    ck_assert_uint_eq(len, strlen(s));
    ck_assert_int_eq(memcmp(v, s, len), 0);
    ck_assert(lp_eq(lp, p, s, strlen(s)));
}

static listpack *from_list(const char **items, size_t n) {
    listpack *lp = lp_new();
    for (size_t i = 0; i < n; i++) lp = lp_append(lp, items[i], strlen(items[i]));
    ck_assert(lp_validate(lp, lp_bytes(lp)));
    return lp;
}

START_TEST(test_empty) {
    listpack *lp = lp_new();
    ck_assert_uint_eq(lp_count(lp), 0);
    ck_assert_int_eq(lp_first(lp), -1);
    ck_assert_int_eq(lp_last(lp), -1);
    ck_assert_int_eq(lp_seek(lp, 0), -1);
    ck_assert_int_eq(lp_seek(lp, -1), -1);
    ck_assert_int_eq(lp_find(lp, lp_first(lp), "a", 1, 0), -1);
    ck_assert(lp_validate(lp, lp_bytes(lp)));
    lp = lp_delete_range(lp, 0, 5);
    ck_assert_uint_eq(lp_count(lp), 0);
    lp_free(lp);
}
END_TEST

START_TEST(test_append_iterate_both_ways) {
    const char *items[] = {"a", "", "hello", "17", "-5", "12345678901", "x y z", "0"};
    size_t n = sizeof(items) / sizeof(items[0]);
    listpack *lp = from_list(items, n);
    ck_assert_uint_eq(lp_count(lp), n);
    size_t i = 0;
    for (lp_pos p = lp_first(lp); p != -1; p = lp_next(lp, p)) expect_str(lp, p, items[i++]);
    ck_assert_uint_eq(i, n);
    for (lp_pos p = lp_last(lp); p != -1; p = lp_prev(lp, p)) expect_str(lp, p, items[--i]);
    ck_assert_uint_eq(i, 0);
    for (long k = 0; k < (long)n; k++) {
        expect_str(lp, lp_seek(lp, k), items[k]);
        expect_str(lp, lp_seek(lp, -1 - k), items[n - 1 - k]);
    }
    ck_assert_int_eq(lp_seek(lp, (long)n), -1);
    ck_assert_int_eq(lp_seek(lp, -(long)n - 1), -1);
    listpack *d = lp_dup(lp);
    ck_assert_uint_eq(lp_bytes(d), lp_bytes(lp));
    ck_assert_int_eq(memcmp(d, lp, lp_bytes(lp)), 0);
    lp_free(d);
    lp_free(lp);
}
END_TEST

START_TEST(test_insert_prepend_replace_delete) {
    listpack *lp = lp_new();
    lp = lp_append(lp, "b", 1);
    lp = lp_prepend(lp, "a", 1);
    lp = lp_append(lp, "d", 1);
    lp_pos np;
    lp = lp_insert(lp, lp_seek(lp, 2), "c", 1, &np);
    expect_str(lp, np, "c");
    const char *want1[] = {"a", "b", "c", "d"};
    for (int i = 0; i < 4; i++) expect_str(lp, lp_seek(lp, i), want1[i]);
    /* Replace with bigger, smaller and integer values. */
    char big[300];
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    lp = lp_replace(lp, lp_seek(lp, 1), big, strlen(big), &np);
    expect_str(lp, np, big);
    expect_str(lp, lp_next(lp, np), "c");
    expect_str(lp, lp_prev(lp, np), "a");
    lp = lp_replace(lp, np, "42", 2, &np);
    expect_str(lp, np, "42");
    lp_entry e;
    lp_get(lp, np, &e);
    ck_assert_ptr_null(e.sval);
    ck_assert_int_eq(e.ival, 42);
    ck_assert(lp_validate(lp, lp_bytes(lp)));
    /* Delete from the middle, returning the follower; then past the end. */
    lp_pos next;
    lp = lp_delete(lp, lp_seek(lp, 1), 2, &next);
    expect_str(lp, next, "d");
    ck_assert_uint_eq(lp_count(lp), 2);
    lp = lp_delete(lp, lp_seek(lp, -1), 5, &next);
    ck_assert_int_eq(next, -1);
    ck_assert_uint_eq(lp_count(lp), 1);
    expect_str(lp, lp_last(lp), "a");
    lp = lp_delete_range(lp, -1, 1);
    ck_assert_uint_eq(lp_count(lp), 0);
    ck_assert_uint_eq(lp_bytes(lp), 8);   /* back to the bare header */
    ck_assert(lp_validate(lp, lp_bytes(lp)));
    lp_free(lp);
}
END_TEST

START_TEST(test_replace_with_own_bytes) {
    /* Replacing an entry with bytes that live inside the same listpack must be safe. */
    listpack *lp = lp_new();
    lp = lp_append(lp, "short", 5);
    char big[5000];
    memset(big, 'z', sizeof(big));
    lp = lp_append(lp, big, sizeof(big));
    lp_entry e;
    lp_get(lp, lp_seek(lp, 1), &e);
    lp = lp_replace(lp, lp_seek(lp, 0), (const char *)e.sval, e.slen, NULL);
    lp_get(lp, lp_seek(lp, 0), &e);
    ck_assert_uint_eq(e.slen, sizeof(big));
    ck_assert_int_eq(memcmp(e.sval, big, sizeof(big)), 0);
    ck_assert(lp_validate(lp, lp_bytes(lp)));
    lp_free(lp);
}
END_TEST

static const long long int_cases[] = {
    0, 1, 127, 128, -1, -128, -4096, 4095, 4096, -4097, 32767, 32768, -32768, -32769,
    8388607, 8388608, -8388608, -8388609, 2147483647LL, 2147483648LL, -2147483648LL,
    -2147483649LL, LLONG_MAX, LLONG_MIN, LLONG_MAX - 1, LLONG_MIN + 1, 1000000007,
};

START_TEST(test_integer_edges) {
    size_t n = sizeof(int_cases) / sizeof(int_cases[0]);
    listpack *lp = lp_new();
    listpack *lp2 = lp_new();
    for (size_t i = 0; i < n; i++) {
        char s[32];
        int len = snprintf(s, sizeof(s), "%lld", int_cases[i]);
        lp = lp_append(lp, s, (size_t)len);
        lp2 = lp_append_ll(lp2, int_cases[i]);
    }
    ck_assert_uint_eq(lp_bytes(lp), lp_bytes(lp2));
    ck_assert_int_eq(memcmp(lp, lp2, lp_bytes(lp)), 0);
    lp_pos p = lp_first(lp);
    for (size_t i = 0; i < n; i++, p = lp_next(lp, p)) {
        lp_entry e;
        lp_get(lp, p, &e);
        ck_assert_ptr_null(e.sval);
        ck_assert_int_eq(e.ival, int_cases[i]);
        char s[32];
        snprintf(s, sizeof(s), "%lld", int_cases[i]);
        expect_str(lp, p, s);
    }
    ck_assert_int_eq(p, -1);
    ck_assert(lp_validate(lp, lp_bytes(lp)));
    lp_free(lp);
    lp_free(lp2);
}
END_TEST

START_TEST(test_small_int_sizes) {
    /* 1-byte entries (value + backlen = 2 bytes) for 0..127, 3 bytes for 13-bit values. */
    listpack *lp = lp_new();
    size_t base = lp_bytes(lp);
    lp = lp_append(lp, "100", 3);
    ck_assert_uint_eq(lp_bytes(lp) - base, 2);
    lp = lp_append(lp, "-100", 4);
    ck_assert_uint_eq(lp_bytes(lp) - base, 5);
    lp = lp_append(lp, "abc", 3);
    ck_assert_uint_eq(lp_bytes(lp) - base, 10);
    lp_free(lp);
}
END_TEST

START_TEST(test_noncanonical_integers) {
    const char *items[] = {"01", "+1", " 1", "1 ", "-0", "00", "9223372036854775808",
                           "-9223372036854775809", "1.0", "0x10", "-", ""};
    size_t n = sizeof(items) / sizeof(items[0]);
    listpack *lp = from_list(items, n);
    lp_pos p = lp_first(lp);
    for (size_t i = 0; i < n; i++, p = lp_next(lp, p)) {
        lp_entry e;
        lp_get(lp, p, &e);
        ck_assert_ptr_nonnull(e.sval);   /* kept as strings, byte for byte */
        expect_str(lp, p, items[i]);
    }
    /* "1" must not match "01" or "+1", and the other way round. */
    lp = lp_append(lp, "1", 1);
    ck_assert_int_eq(lp_find(lp, lp_first(lp), "1", 1, 0), lp_last(lp));
    ck_assert_int_eq(lp_find(lp, lp_first(lp), "01", 2, 0), lp_first(lp));
    ck_assert_int_eq(lp_find(lp, lp_first(lp), "+1", 2, 0), lp_seek(lp, 1));
    ck_assert(!lp_eq(lp, lp_last(lp), "01", 2));
    lp_free(lp);
}
END_TEST

START_TEST(test_big_strings) {
    size_t sizes[] = {63, 64, 127, 128, 4095, 4096, 16383, 16384, 70000, 2100000};
    size_t n = sizeof(sizes) / sizeof(sizes[0]);
    listpack *lp = lp_new();
    for (size_t i = 0; i < n; i++) {
        char *s = kl_malloc(sizes[i]);
        memset(s, 'a' + (int)i, sizes[i]);
        lp = lp_append(lp, s, sizes[i]);
        lp = lp_append(lp, "7", 1);
        kl_free(s);
    }
    ck_assert(lp_validate(lp, lp_bytes(lp)));
    lp_pos p = lp_last(lp);
    for (size_t i = n; i-- > 0;) {
        lp_entry e;
        lp_get(lp, p, &e);
        ck_assert_int_eq(e.ival, 7);
        p = lp_prev(lp, p);
        lp_get(lp, p, &e);
        ck_assert_uint_eq(e.slen, sizes[i]);
        ck_assert_int_eq(e.sval[0], 'a' + (int)i);
        ck_assert_int_eq(e.sval[sizes[i] - 1], 'a' + (int)i);
        p = lp_prev(lp, p);
    }
    ck_assert_int_eq(p, -1);
    lp_free(lp);
}
END_TEST

START_TEST(test_find_stride) {
    /* field/value pairs where values equal other fields' names. */
    const char *items[] = {"f1", "f2", "f2", "f1", "3", "f3", "f4", "3"};
    listpack *lp = from_list(items, 8);
    ck_assert_int_eq(lp_find(lp, lp_first(lp), "f2", 2, 1), lp_seek(lp, 2));
    ck_assert_int_eq(lp_find(lp, lp_first(lp), "f1", 2, 1), lp_seek(lp, 0));
    ck_assert_int_eq(lp_find(lp, lp_first(lp), "f3", 2, 1), -1);
    ck_assert_int_eq(lp_find(lp, lp_first(lp), "3", 1, 1), lp_seek(lp, 4));
    ck_assert_int_eq(lp_find(lp, lp_seek(lp, 1), "f3", 2, 1), lp_seek(lp, 5));
    ck_assert_int_eq(lp_find(lp, lp_first(lp), "f3", 2, 0), lp_seek(lp, 5));
    ck_assert_int_eq(lp_find(lp, lp_first(lp), "nope", 4, 0), -1);
    ck_assert_int_eq(lp_find(lp, -1, "f1", 2, 0), -1);
    lp_free(lp);
}
END_TEST

START_TEST(test_validate_corrupt) {
    const char *items[] = {"alpha", "12", "-7000", "beta", "99999999999"};
    listpack *lp = from_list(items, 5);
    size_t n = lp_bytes(lp);
    ck_assert(!lp_validate(NULL, 0));
    ck_assert(!lp_validate(lp, n - 1));     /* length mismatch */
    ck_assert(!lp_validate(lp, 4));
    unsigned char *c = kl_malloc(n);
    /* Every single-bit flip: no crash (ASan), header flips always rejected; flips inside
     * string bytes are undetectable, encoding/backlen flips mostly caught. */
    size_t rejected = 0;
    for (size_t i = 0; i < n; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(c, lp, n);
            c[i] ^= (unsigned char)(1 << bit);
            int ok = lp_validate(c, n);
            if (i < 8) ck_assert(!ok);
            if (!ok) rejected++;
        }
    }
    ck_assert_uint_gt(rejected, n * 8 / 3);
    memcpy(c, lp, n);
    c[4] = 9;   /* count */
    ck_assert(!lp_validate(c, n));
    memcpy(c, lp, n);
    c[8] = 0xFE;   /* unknown encoding byte */
    ck_assert(!lp_validate(c, n));
    for (size_t len = 8; len < n; len++) {
        memcpy(c, lp, n);
        c[0] = (unsigned char)len;   /* header says len: the cut entry must be rejected */
        ck_assert(!lp_validate(c, len) || len == 8);
    }
    /* A 32-bit string length pointing past the end. */
    unsigned char bad[] = {14, 0, 0, 0, 1, 0, 0, 0, 0xF0, 0xFF, 0xFF, 0xFF, 0x7F, 1};
    ck_assert(!lp_validate(bad, sizeof(bad)));
    kl_free(c);
    lp_free(lp);
}
END_TEST

/* Random operations compared with an array of strings. */
#define MODEL_MAX 200
static char *model[MODEL_MAX];
static size_t model_n;

static void model_check(const listpack *lp) {
    ck_assert_uint_eq(lp_count(lp), model_n);
    lp_pos p = lp_first(lp);
    for (size_t i = 0; i < model_n; i++, p = lp_next(lp, p)) expect_str(lp, p, model[i]);
    ck_assert_int_eq(p, -1);
    ck_assert(lp_validate(lp, lp_bytes(lp)));
}

static void random_value(char *s) {
    int kind = rand() % 4;
    if (kind == 0) snprintf(s, 64, "%d", rand() % 300 - 150);
    else if (kind == 1) snprintf(s, 64, "%lld", (long long)rand() * rand() * (rand() % 2 ? 1 : -1));
    else if (kind == 2) snprintf(s, 64, "s%d", rand());
    else {
        int len = rand() % 63;
        for (int i = 0; i < len; i++) s[i] = (char)('a' + rand() % 26);
        s[len] = 0;
    }
}

START_TEST(test_random_model) {
    srand(12345);
    listpack *lp = lp_new();
    model_n = 0;
    for (int step = 0; step < 3000; step++) {
        char v[64];
        random_value(v);
        int op = rand() % 3;
        if (op == 0 && model_n < MODEL_MAX) {
            size_t at = model_n ? (size_t)rand() % (model_n + 1) : 0;
            lp_pos p = at == model_n ? -1 : lp_seek(lp, (long)at);
            lp = lp_insert(lp, p, v, strlen(v), NULL);
            memmove(model + at + 1, model + at, (model_n - at) * sizeof(char *));
            model[at] = kl_strdup(v);
            model_n++;
        } else if (op == 1 && model_n > 0) {
            size_t at = (size_t)rand() % model_n;
            lp = lp_replace(lp, lp_seek(lp, (long)at), v, strlen(v), NULL);
            kl_free(model[at]);
            model[at] = kl_strdup(v);
        } else if (model_n > 0) {
            size_t at = (size_t)rand() % model_n, cnt = 1 + (size_t)rand() % 3;
            if (cnt > model_n - at) cnt = model_n - at;
            lp = lp_delete_range(lp, (long)at, cnt);
            for (size_t i = at; i < at + cnt; i++) kl_free(model[i]);
            memmove(model + at, model + at + cnt, (model_n - at - cnt) * sizeof(char *));
            model_n -= cnt;
        }
        model_check(lp);
    }
    for (size_t i = 0; i < model_n; i++) kl_free(model[i]);
    lp_free(lp);
}
END_TEST

static Suite *listpack_suite(void) {
    Suite *s = suite_create("listpack");
    TCase *tc = tcase_create("basics");
    tcase_add_test(tc, test_empty);
    tcase_add_test(tc, test_append_iterate_both_ways);
    tcase_add_test(tc, test_insert_prepend_replace_delete);
    tcase_add_test(tc, test_replace_with_own_bytes);
    tcase_add_test(tc, test_find_stride);
    suite_add_tcase(s, tc);
    tc = tcase_create("encodings");
    tcase_add_test(tc, test_integer_edges);
    tcase_add_test(tc, test_small_int_sizes);
    tcase_add_test(tc, test_noncanonical_integers);
    tcase_add_test(tc, test_big_strings);
    suite_add_tcase(s, tc);
    tc = tcase_create("validate");
    tcase_add_test(tc, test_validate_corrupt);
    suite_add_tcase(s, tc);
    tc = tcase_create("random");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_random_model);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(listpack_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
