/* test_quicklist.c -- unit tests for common/types/quicklist.c: pushes and pops at both
 * ends, index/replace, range deletion, iteration both ways with deletion and insertion,
 * and node splitting/merging at the count and byte limits, checked against a plain array
 * model after every step.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/types/quicklist.h"

/* ------------------------------------------------------------------ model */

#define MAXN 4096
typedef struct model {
    char *v[MAXN];
    size_t n;
} model;

static void m_insert(model *m, size_t at, const char *s) {
    ck_assert_uint_lt(m->n, MAXN);
    memmove(m->v + at + 1, m->v + at, (m->n - at) * sizeof(char *));
    m->v[at] = strdup(s);
    m->n++;
}

static void m_delete(model *m, size_t at) {
    free(m->v[at]);
    memmove(m->v + at, m->v + at + 1, (m->n - at - 1) * sizeof(char *));
    m->n--;
}

static void m_clear(model *m) {
    while (m->n) m_delete(m, m->n - 1);
}

/* The list equals the model forwards and backwards, counts agree, nodes respect fill. */
static void check_same(quicklist *ql, const model *m) {
    ck_assert_uint_eq(ql_count(ql), m->n);
    ql_iter it;
    const char *s;
    size_t len, i = 0, total = 0, nodes = 0;
    char buf[QL_BUF];
    ql_iter_init(&it, ql, 0, QL_TAIL);
    while (ql_iter_next(&it, &s, &len, buf)) {
        ck_assert_uint_lt(i, m->n);
        ck_assert_uint_eq(len, strlen(m->v[i]));
        ck_assert(memcmp(s, m->v[i], len) == 0);
        i++;
    }
    ck_assert_uint_eq(i, m->n);
    ql_iter_init(&it, ql, -1, QL_HEAD);
    while (ql_iter_next(&it, &s, &len, buf)) {
        ck_assert_uint_gt(i, 0);
        i--;
        ck_assert(len == strlen(m->v[i]) && memcmp(s, m->v[i], len) == 0);
    }
    ck_assert_uint_eq(i, 0);
    for (ql_node *n = ql->head; n; n = n->next) {
        ck_assert_uint_gt(n->count, 0);
        ck_assert_uint_eq(n->count, lp_count(n->lp));
        if (ql->fill > 0) ck_assert_uint_le(n->count, (size_t)ql->fill);
        if (n->next) ck_assert_ptr_eq(n->next->prev, n);
        total += n->count;
        nodes++;
    }
    ck_assert_uint_eq(total, m->n);
    ck_assert_uint_eq(nodes, ql->nodes);
}

/* ------------------------------------------------------------------ tests */

START_TEST(test_push_pop_both_ends) {
    quicklist *ql = ql_new(-1);
    model m = {.n = 0};
    char v[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(v, sizeof(v), "%s%d", i % 2 ? "s" : "", i);
        if (i % 3) {
            ql_push(ql, QL_TAIL, v, strlen(v));
            m_insert(&m, m.n, v);
        } else {
            ql_push(ql, QL_HEAD, v, strlen(v));
            m_insert(&m, 0, v);
        }
    }
    check_same(ql, &m);
    ck_assert_uint_gt(ql->nodes, 1);
    for (int i = 0; i < 600; i++) {
        size_t len;
        int head = i % 2;
        char *p = ql_pop(ql, head ? QL_HEAD : QL_TAIL, &len);
        size_t at = head ? 0 : m.n - 1;
        ck_assert_str_eq(p, m.v[at]);
        kl_free(p);
        m_delete(&m, at);
    }
    check_same(ql, &m);
    size_t len;
    char *p;
    while ((p = ql_pop(ql, QL_HEAD, &len)) != NULL) kl_free(p);
    ck_assert_uint_eq(ql_count(ql), 0);
    ck_assert_ptr_null(ql->head);
    ck_assert_uint_eq(ql->nodes, 0);
    m_clear(&m);
    ql_free(ql);
}
END_TEST

START_TEST(test_index_replace) {
    quicklist *ql = ql_new(4);
    model m = {.n = 0};
    char v[64];
    for (int i = 0; i < 50; i++) {
        snprintf(v, sizeof(v), "%d", i * 7);
        ql_push(ql, QL_TAIL, v, strlen(v));
        m_insert(&m, m.n, v);
    }
    char buf[QL_BUF];
    size_t len;
    const char *s = ql_index(ql, 0, &len, buf);
    ck_assert(len == 1 && s[0] == '0');
    s = ql_index(ql, -1, &len, buf);
    ck_assert(len == 3 && memcmp(s, "343", 3) == 0);
    ck_assert_ptr_null(ql_index(ql, 50, &len, buf));
    ck_assert_ptr_null(ql_index(ql, -51, &len, buf));
    ck_assert_int_eq(ql_replace(ql, 50, "x", 1), -1);
    for (int i = 0; i < 50; i += 3) {
        snprintf(v, sizeof(v), "replaced-%d-%s", i, i % 2 ? "long long long value" : "");
        ck_assert_int_eq(ql_replace(ql, i, v, strlen(v)), 0);
        free(m.v[i]);
        m.v[i] = strdup(v);
    }
    ck_assert_int_eq(ql_replace(ql, -1, "last", 4), 0);
    free(m.v[49]);
    m.v[49] = strdup("last");
    check_same(ql, &m);
    m_clear(&m);
    ql_free(ql);
}
END_TEST

START_TEST(test_count_fill_splits_on_insert) {
    quicklist *ql = ql_new(3);
    model m = {.n = 0};
    char v[32];
    for (int i = 0; i < 9; i++) {
        snprintf(v, sizeof(v), "e%d", i);
        ql_push(ql, QL_TAIL, v, strlen(v));
        m_insert(&m, m.n, v);
    }
    ck_assert_uint_eq(ql->nodes, 3);
    /* insert in the middle of a full node: it must split, never exceed 3 entries */
    for (int i = 0; i < 30; i++) {
        size_t at = (size_t)(i * 5) % m.n;
        snprintf(v, sizeof(v), "i%d", i);
        ql_iter it;
        const char *s;
        size_t len;
        char buf[QL_BUF];
        ql_iter_init(&it, ql, (long)at, QL_TAIL);
        ck_assert(ql_iter_next(&it, &s, &len, buf));
        int after = i % 2;
        ql_iter_insert(&it, v, strlen(v), after);
        m_insert(&m, at + (size_t)after, v);
        check_same(ql, &m);
    }
    m_clear(&m);
    ql_free(ql);
}
END_TEST

START_TEST(test_byte_fill_and_big_entries) {
    quicklist *ql = ql_new(-1);   /* 4 KiB per node */
    model m = {.n = 0};
    char *big = malloc(10000);
    memset(big, 'b', 9999);
    big[9999] = '\0';
    char v[300];
    for (int i = 0; i < 100; i++) {
        memset(v, 'a' + i % 26, 200);
        snprintf(v + 200, 20, "%d", i);
        ql_push(ql, QL_TAIL, v, strlen(v));
        m_insert(&m, m.n, v);
    }
    for (ql_node *n = ql->head; n; n = n->next) ck_assert_uint_le(lp_bytes(n->lp), 4096);
    ck_assert_uint_ge(ql->nodes, 5);
    ql_push(ql, QL_HEAD, big, 9999);   /* larger than a node: alone in its node */
    m_insert(&m, 0, big);
    ck_assert_uint_eq(ql->head->count, 1);
    ql_iter it;
    const char *s;
    size_t len;
    char buf[QL_BUF];
    ql_iter_init(&it, ql, 50, QL_TAIL);
    ck_assert(ql_iter_next(&it, &s, &len, buf));
    ql_iter_insert(&it, big, 9999, 0);
    m_insert(&m, 50, big);
    check_same(ql, &m);
    for (ql_node *n = ql->head; n; n = n->next)
        if (n->count > 1) ck_assert_uint_le(lp_bytes(n->lp), 4096);
    free(big);
    m_clear(&m);
    ql_free(ql);
}
END_TEST

START_TEST(test_iter_delete_both_ways_merges) {
    for (int dir = 0; dir < 2; dir++) {
        quicklist *ql = ql_new(8);
        model m = {.n = 0};
        char v[16];
        for (int i = 0; i < 200; i++) {
            snprintf(v, sizeof(v), "%d", i % 5);
            ql_push(ql, QL_TAIL, v, strlen(v));
            m_insert(&m, m.n, v);
        }
        size_t nodes_before = ql->nodes;
        ql_iter it;
        const char *s;
        size_t len;
        char buf[QL_BUF];
        ql_iter_init(&it, ql, dir ? -1 : 0, dir ? QL_HEAD : QL_TAIL);
        while (ql_iter_next(&it, &s, &len, buf))
            if (ql_iter_eq(&it, "1", 1) || ql_iter_eq(&it, "2", 1) || ql_iter_eq(&it, "3", 1))
                ql_iter_delete(&it);
        for (size_t i = m.n; i-- > 0;)
            if (!strcmp(m.v[i], "1") || !strcmp(m.v[i], "2") || !strcmp(m.v[i], "3"))
                m_delete(&m, i);
        check_same(ql, &m);
        ck_assert_uint_lt(ql->nodes, nodes_before);   /* small neighbours were merged */
        m_clear(&m);
        ql_free(ql);
    }
}
END_TEST

START_TEST(test_del_range_and_dup) {
    quicklist *ql = ql_new(5);
    model m = {.n = 0};
    char v[16];
    for (int i = 0; i < 100; i++) {
        snprintf(v, sizeof(v), "v%d", i);
        ql_push(ql, QL_TAIL, v, strlen(v));
        m_insert(&m, m.n, v);
    }
    ck_assert_uint_eq(ql_del_range(ql, 3, 10), 10);
    for (int i = 0; i < 10; i++) m_delete(&m, 3);
    check_same(ql, &m);
    ck_assert_uint_eq(ql_del_range(ql, 80, 100), 10);   /* clipped at the end */
    while (m.n > 80) m_delete(&m, m.n - 1);
    check_same(ql, &m);
    ck_assert_uint_eq(ql_del_range(ql, 0, 2), 2);
    m_delete(&m, 0);
    m_delete(&m, 0);
    ck_assert_uint_eq(ql_del_range(ql, 200, 2), 0);
    quicklist *d = ql_dup(ql);
    check_same(d, &m);
    ck_assert_uint_gt(ql_bytes(d), 78 * 2);
    ql_free(ql);
    ck_assert_uint_eq(ql_del_range(d, 0, 1000), 78);
    ck_assert_uint_eq(ql_count(d), 0);
    ck_assert_ptr_null(d->head);
    ql_free(d);
    m_clear(&m);
}
END_TEST

START_TEST(test_random_ops_many_fills) {
    static const int fills[] = {1, 2, 7, 128, -1, -2, -5, 0, -9};
    srand(12345);
    for (size_t f = 0; f < sizeof(fills) / sizeof(fills[0]); f++) {
        quicklist *ql = ql_new(fills[f]);
        model m = {.n = 0};
        char v[200];
        for (int step = 0; step < 1500; step++) {
            int op = rand() % 6;
            snprintf(v, sizeof(v), "%d-%.*s", rand() % 50, rand() % 120,
                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                     "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
            if (op <= 1 || m.n == 0) {
                ql_push(ql, op ? QL_HEAD : QL_TAIL, v, strlen(v));
                m_insert(&m, op ? 0 : m.n, v);
            } else if (op == 2) {
                size_t len;
                char *p = ql_pop(ql, QL_TAIL, &len);
                ck_assert_str_eq(p, m.v[m.n - 1]);
                kl_free(p);
                m_delete(&m, m.n - 1);
            } else if (op == 3) {
                size_t at = (size_t)rand() % m.n;
                ql_iter it;
                const char *s;
                size_t len;
                char buf[QL_BUF];
                ql_iter_init(&it, ql, (long)at, QL_TAIL);
                ck_assert(ql_iter_next(&it, &s, &len, buf));
                ql_iter_insert(&it, v, strlen(v), 1);
                m_insert(&m, at + 1, v);
            } else if (op == 4) {
                size_t at = (size_t)rand() % m.n, cnt = (size_t)rand() % 4;
                size_t got = ql_del_range(ql, (long)at, cnt);
                ck_assert_uint_eq(got, at + cnt > m.n ? m.n - at : cnt);
                for (size_t i = 0; i < got; i++) m_delete(&m, at);
            } else {
                size_t at = (size_t)rand() % m.n;
                ck_assert_int_eq(ql_replace(ql, (long)at, v, strlen(v)), 0);
                free(m.v[at]);
                m.v[at] = strdup(v);
            }
            if (step % 100 == 0) check_same(ql, &m);
        }
        check_same(ql, &m);
        m_clear(&m);
        ql_free(ql);
    }
}
END_TEST

static Suite *quicklist_suite(void) {
    Suite *s = suite_create("quicklist");
    TCase *tc = tcase_create("ends");
    tcase_add_test(tc, test_push_pop_both_ends);
    tcase_add_test(tc, test_index_replace);
    suite_add_tcase(s, tc);
    tc = tcase_create("nodes");
    tcase_add_test(tc, test_count_fill_splits_on_insert);
    tcase_add_test(tc, test_byte_fill_and_big_entries);
    tcase_add_test(tc, test_iter_delete_both_ways_merges);
    tcase_add_test(tc, test_del_range_and_dup);
    suite_add_tcase(s, tc);
    tc = tcase_create("random");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_random_ops_many_fills);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(quicklist_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
