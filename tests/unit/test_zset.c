/* test_zset.c -- unit tests for common/types/zset.c: skiplist insert/delete/update with
 * rank and span arithmetic checked against a brute-force sorted array over random
 * operations, score and lex ranges, ZADD flag semantics and the listpack -> skiplist
 * conversion at both thresholds.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/types/zset.h"

static const zset_limits big = {1000000, 1000000};

/* ------------------------------------------------------------------ brute-force model */

typedef struct model_el {
    char name[16];
    double score;
} model_el;

static int model_cmp(const void *a, const void *b) {
    const model_el *x = a, *y = b;
    if (x->score != y->score) return x->score < y->score ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* Checks spans: every level's spans add up to the distance between linked nodes. */
static void check_spans(zskiplist *zsl) {
    for (int lvl = 0; lvl < zsl->level; lvl++) {
        unsigned long pos = 0;
        zsl_node *x = zsl->header;
        while (x->level[lvl].forward) {
            pos += x->level[lvl].span;
            x = x->level[lvl].forward;
            ck_assert_ptr_eq(zsl_by_rank(zsl, pos), x);
        }
    }
}

static void check_against_model(zset *z, model_el *m, int n) {
    qsort(m, (size_t)n, sizeof(*m), model_cmp);
    ck_assert_uint_eq(zset_len(z), (size_t)n);
    zset_iter it;
    const char *e;
    size_t len;
    double s;
    zset_iter_init(&it, z, 0, 0);
    for (int i = 0; i < n; i++) {
        ck_assert(zset_iter_next(&it, &e, &len, &s));
        ck_assert_uint_eq(len, strlen(m[i].name));
        ck_assert(memcmp(e, m[i].name, len) == 0);
        ck_assert(s == m[i].score);
        ck_assert_int_eq(zset_rank(z, m[i].name, len, 0), i);
        ck_assert_int_eq(zset_rank(z, m[i].name, len, 1), n - 1 - i);
    }
    ck_assert(!zset_iter_next(&it, &e, &len, &s));
    if (!zset_is_small(z)) check_spans(z->zsl);
}

static void random_ops(zset *z, const zset_limits *lim, int rounds) {
    model_el m[200];
    int n = 0;
    for (int r = 0; r < rounds; r++) {
        char name[16];
        snprintf(name, sizeof(name), "m%d", rand() % 150);
        double score = (double)(rand() % 40) / 4.0;
        int op = rand() % 4, found = -1;
        for (int i = 0; i < n; i++)
            if (!strcmp(m[i].name, name)) found = i;
        int out;
        if (op < 3) {
            ck_assert(zset_add(z, name, strlen(name), score, 0, &out, NULL, lim));
            if (found >= 0) m[found].score = score;
            else {
                strcpy(m[n].name, name);
                m[n++].score = score;
            }
        } else {
            ck_assert_int_eq(zset_del(z, name, strlen(name)), found >= 0);
            if (found >= 0) m[found] = m[--n];
        }
        if (r % 50 == 0) check_against_model(z, m, n);
    }
    check_against_model(z, m, n);
}

START_TEST(test_random_skiplist) {
    srand(42);
    zset *z = zset_new_large();
    random_ops(z, &big, 4000);
    zset *d = zset_dup(z);
    ck_assert_uint_eq(zset_len(d), zset_len(z));
    zset_free(d);
    zset_free(z);
}
END_TEST

START_TEST(test_random_listpack) {
    srand(7);
    zset *z = zset_new();
    random_ops(z, &big, 2000);
    ck_assert(zset_is_small(z));
    zset_free(z);
}
END_TEST

START_TEST(test_raw_skiplist) {
    zskiplist *zsl = zsl_create();
    zsl_insert(zsl, 3, "c", 1);
    zsl_insert(zsl, 1, "a", 1);
    zsl_insert(zsl, 2, "b", 1);
    ck_assert_uint_eq(zsl_rank(zsl, 2, "b", 1), 2);
    ck_assert_uint_eq(zsl_rank(zsl, 2, "x", 1), 0);
    zsl_node *n = zsl_update_score(zsl, 2, "b", 1, 10);
    ck_assert(n->score == 10);
    ck_assert_ptr_eq(zsl->tail, n);
    ck_assert_uint_eq(zsl_rank(zsl, 10, "b", 1), 3);
    ck_assert_int_eq(zsl_delete(zsl, 10, "b", 1), 1);
    ck_assert_int_eq(zsl_delete(zsl, 10, "b", 1), 0);
    ck_assert_uint_eq(zsl->length, 2);
    check_spans(zsl);
    zsl_free(zsl);
}
END_TEST

static zset *abc_set(int large) {
    zset *z = large ? zset_new_large() : zset_new();
    const char *names[] = {"a", "b", "c", "d", "e"};
    int out;
    for (int i = 0; i < 5; i++) zset_add(z, names[i], 1, i + 1, 0, &out, NULL, &big);
    return z;
}

static unsigned long score_count(zset *z, const char *min, const char *max, long *f, long *l) {
    zrange_spec r;
    ck_assert_int_eq(zset_parse_score_range(min, strlen(min), max, strlen(max), &r), 0);
    return zset_score_range(z, &r, f, l);
}

START_TEST(test_score_ranges) {
    for (int large = 0; large < 2; large++) {
        zset *z = abc_set(large);
        long f, l;
        ck_assert_uint_eq(score_count(z, "2", "4", &f, &l), 3);
        ck_assert_int_eq(f, 1);
        ck_assert_int_eq(l, 3);
        ck_assert_uint_eq(score_count(z, "(2", "(4", &f, &l), 1);
        ck_assert_int_eq(f, 2);
        ck_assert_uint_eq(score_count(z, "-inf", "+inf", &f, &l), 5);
        ck_assert_uint_eq(score_count(z, "(5", "+inf", &f, &l), 0);
        ck_assert_uint_eq(score_count(z, "3", "2", &f, &l), 0);
        ck_assert_uint_eq(score_count(z, "(3", "3", &f, &l), 0);
        ck_assert_uint_eq(score_count(z, "-inf", "(1", &f, &l), 0);
        ck_assert_uint_eq(zset_delete_ranks(z, 1, 2), 2);
        ck_assert_uint_eq(score_count(z, "-inf", "+inf", &f, &l), 3);
        zset_free(z);
    }
    zrange_spec r;
    ck_assert_int_eq(zset_parse_score_range("nan", 3, "1", 1, &r), -1);
    ck_assert_int_eq(zset_parse_score_range("1x", 2, "1", 1, &r), -1);
}
END_TEST

static unsigned long lex_count(zset *z, const char *min, const char *max, long *f, long *l) {
    zlex_spec r;
    ck_assert_int_eq(zset_parse_lex_range(min, strlen(min), max, strlen(max), &r), 0);
    return zset_lex_range(z, &r, f, l);
}

START_TEST(test_lex_ranges) {
    for (int large = 0; large < 2; large++) {
        zset *z = zset_new();
        if (large) zset_convert_large(z);
        int out;
        const char *names[] = {"alpha", "beta", "gamma", "delta", "b"};
        for (int i = 0; i < 5; i++)
            zset_add(z, names[i], strlen(names[i]), 0, 0, &out, NULL, &big);
        long f, l;
        ck_assert_uint_eq(lex_count(z, "-", "+", &f, &l), 5);
        ck_assert_uint_eq(lex_count(z, "[b", "(d", &f, &l), 2);
        ck_assert_int_eq(f, 1);
        ck_assert_uint_eq(lex_count(z, "(b", "[delta", &f, &l), 2);
        ck_assert_uint_eq(lex_count(z, "+", "-", &f, &l), 0);
        ck_assert_uint_eq(lex_count(z, "[z", "+", &f, &l), 0);
        ck_assert_uint_eq(lex_count(z, "(b", "(b", &f, &l), 0);
        zset_free(z);
    }
    zlex_spec r;
    ck_assert_int_eq(zset_parse_lex_range("a", 1, "+", 1, &r), -1);
    ck_assert_int_eq(zset_parse_lex_range("", 0, "+", 1, &r), -1);
    ck_assert_int_eq(zset_parse_lex_range("-x", 2, "+", 1, &r), -1);
}
END_TEST

START_TEST(test_add_flags) {
    zset *z = zset_new();
    int out;
    double ns;
    ck_assert(zset_add(z, "a", 1, 5, ZADD_IN_XX, &out, &ns, &big));
    ck_assert(out & ZADD_OUT_NOP);
    ck_assert(zset_add(z, "a", 1, 5, 0, &out, &ns, &big));
    ck_assert(out & ZADD_OUT_ADDED);
    ck_assert(zset_add(z, "a", 1, 3, ZADD_IN_GT, &out, &ns, &big));
    ck_assert(out & ZADD_OUT_NOP);
    ck_assert(zset_add(z, "a", 1, 3, ZADD_IN_LT, &out, &ns, &big));
    ck_assert(out & ZADD_OUT_UPDATED);
    ck_assert(zset_add(z, "a", 1, 2, ZADD_IN_INCR, &out, &ns, &big));
    ck_assert(ns == 5);
    ck_assert(zset_add(z, "a", 1, INFINITY, ZADD_IN_INCR, &out, &ns, &big));
    ck_assert(!zset_add(z, "a", 1, -INFINITY, ZADD_IN_INCR, &out, &ns, &big));
    ck_assert(out & ZADD_OUT_NAN);
    double s;
    ck_assert(zset_score(z, "a", 1, &s) && isinf(s));
    zset_free(z);
}
END_TEST

START_TEST(test_conversion_thresholds) {
    zset_limits lim = {4, 8};
    zset *z = zset_new();
    int out;
    char name[32];
    for (int i = 0; i < 4; i++) {
        snprintf(name, sizeof(name), "m%d", i);
        zset_add(z, name, strlen(name), i, 0, &out, NULL, &lim);
    }
    ck_assert(zset_is_small(z));
    zset_add(z, "m4", 2, 4, 0, &out, NULL, &lim);
    ck_assert(!zset_is_small(z));
    ck_assert_uint_eq(zset_len(z), 5);
    ck_assert_int_eq(zset_rank(z, "m4", 2, 0), 4);
    zset_free(z);

    z = zset_new();
    zset_add(z, "12345678", 8, 1, 0, &out, NULL, &lim);
    ck_assert(zset_is_small(z));
    zset_add(z, "123456789", 9, 0, 0, &out, NULL, &lim);
    ck_assert(!zset_is_small(z));
    ck_assert_int_eq(zset_rank(z, "123456789", 9, 0), 0);
    zset_del(z, "123456789", 9);
    zset_maybe_shrink(z, &lim);
    ck_assert(zset_is_small(z));
    double s;
    ck_assert(zset_score(z, "12345678", 8, &s) && s == 1);
    zset_free(z);
}
END_TEST

START_TEST(test_score_text_roundtrip) {
    zset *z = zset_new();
    int out;
    double vals[] = {0.1, -3, 1e300, 123456789012345678.0, 1.0 / 3, -INFINITY};
    for (int i = 0; i < 6; i++) {
        char n[8];
        snprintf(n, sizeof(n), "v%d", i);
        zset_add(z, n, strlen(n), vals[i], 0, &out, NULL, &big);
    }
    for (int i = 0; i < 6; i++) {
        char n[8];
        snprintf(n, sizeof(n), "v%d", i);
        double s;
        ck_assert(zset_score(z, n, strlen(n), &s));
        ck_assert(s == vals[i]);
    }
    zset_free(z);
}
END_TEST

int main(void) {
    Suite *s = suite_create("zset");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_random_skiplist);
    tcase_add_test(tc, test_random_listpack);
    tcase_add_test(tc, test_raw_skiplist);
    tcase_add_test(tc, test_score_ranges);
    tcase_add_test(tc, test_lex_ranges);
    tcase_add_test(tc, test_add_flags);
    tcase_add_test(tc, test_conversion_thresholds);
    tcase_add_test(tc, test_score_text_roundtrip);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
