/* test_hash.c -- unit tests for common/types/hash.c: get/set/delete on both encodings,
 * conversion at the entry-count and value-length thresholds (one way only), iteration,
 * dup/free through the registered object ops, random sampling and the table scan.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/object.h"
#include "common/types/hash.h"

static void setup(void) { hash_register_ops(); }

static int hset(obj *o, const char *f, const char *v, size_t max_entries, size_t max_value) {
    return hash_set(o, f, strlen(f), v, strlen(v), max_entries, max_value);
}

static void expect(const obj *o, const char *f, const char *want) {
    const char *v;
    size_t vlen;
    char buf[HASH_NUMBUF];
    int found = hash_get(o, f, strlen(f), &v, &vlen, buf);
    if (!want) {
        ck_assert_int_eq(found, 0);
        ck_assert(!hash_exists(o, f, strlen(f)));
        return;
    }
    ck_assert_int_eq(found, 1);
    ck_assert(hash_exists(o, f, strlen(f)));
    ck_assert_uint_eq(vlen, strlen(want));
    ck_assert_int_eq(memcmp(v, want, vlen), 0);
}

START_TEST(test_set_get_delete_listpack) {
    obj *o = hash_new();
    ck_assert_int_eq(o->enc, OBJ_ENC_LISTPACK);
    ck_assert_uint_eq(hash_len(o), 0);
    ck_assert_int_eq(hset(o, "a", "1", 512, 64), 1);
    ck_assert_int_eq(hset(o, "b", "hello", 512, 64), 1);
    ck_assert_int_eq(hset(o, "1", "a", 512, 64), 1);     /* field equal to a value */
    ck_assert_int_eq(hset(o, "a", "-99999999999", 512, 64), 0);
    ck_assert_uint_eq(hash_len(o), 3);
    expect(o, "a", "-99999999999");
    expect(o, "b", "hello");
    expect(o, "1", "a");
    expect(o, "hello", NULL);    /* a value is never found as a field */
    expect(o, "01", NULL);
    ck_assert_int_eq(hash_delete(o, "b", 1), 1);
    ck_assert_int_eq(hash_delete(o, "b", 1), 0);
    expect(o, "b", NULL);
    expect(o, "1", "a");
    ck_assert_uint_eq(hash_len(o), 2);
    ck_assert_int_eq(o->enc, OBJ_ENC_LISTPACK);
    obj_free(o);
}
END_TEST

START_TEST(test_convert_on_entries) {
    obj *o = hash_new();
    char f[16], v[16];
    for (int i = 0; i < 4; i++) {
        snprintf(f, sizeof(f), "f%d", i);
        snprintf(v, sizeof(v), "%d", i * 1000);
        hset(o, f, v, 4, 64);
    }
    ck_assert_int_eq(o->enc, OBJ_ENC_LISTPACK);
    hset(o, "f0", "updated", 4, 64);              /* updates do not grow the count */
    ck_assert_int_eq(o->enc, OBJ_ENC_LISTPACK);
    ck_assert_int_eq(hset(o, "f4", "x", 4, 64), 1);
    ck_assert_int_eq(o->enc, OBJ_ENC_HT);
    ck_assert_uint_eq(hash_len(o), 5);
    expect(o, "f0", "updated");
    expect(o, "f3", "3000");
    expect(o, "f4", "x");
    for (int i = 0; i < 5; i++) {
        snprintf(f, sizeof(f), "f%d", i);
        ck_assert_int_eq(hash_delete(o, f, strlen(f)), 1);
    }
    ck_assert_uint_eq(hash_len(o), 0);
    ck_assert_int_eq(o->enc, OBJ_ENC_HT);          /* never back */
    obj_free(o);
}
END_TEST

START_TEST(test_convert_on_value_length) {
    char v8[9] = "xxxxxxxx", v9[10] = "yyyyyyyyy";
    obj *o = hash_new();
    hset(o, "a", v8, 512, 8);
    hset(o, v8, "b", 512, 8);
    ck_assert_int_eq(o->enc, OBJ_ENC_LISTPACK);
    hset(o, "a", v9, 512, 8);
    ck_assert_int_eq(o->enc, OBJ_ENC_HT);
    expect(o, "a", v9);
    expect(o, v8, "b");
    obj_free(o);
    o = hash_new();
    hset(o, v9, "1", 512, 8);                     /* long field converts too */
    ck_assert_int_eq(o->enc, OBJ_ENC_HT);
    expect(o, v9, "1");
    obj_free(o);
    o = hash_new();
    hash_convert(o);                              /* explicit, also when empty */
    ck_assert_int_eq(o->enc, OBJ_ENC_HT);
    hash_convert(o);
    ck_assert_uint_eq(hash_len(o), 0);
    obj_free(o);
}
END_TEST

/* Collects pairs as "f=v" lines for comparing iteration results. */
static void collect(obj *o, char *out, size_t cap) {
    hash_iter it;
    const char *f, *v;
    size_t flen, vlen, n = 0;
    out[0] = 0;
    hash_iter_init(&it, o);
    while (hash_iter_next(&it, &f, &flen, &v, &vlen)) {
        n += (size_t)snprintf(out + n, cap - n, "%.*s=%.*s;", (int)flen, f, (int)vlen, v);
        ck_assert_uint_lt(n, cap);
    }
    hash_iter_release(&it);
}

START_TEST(test_iterate_and_dup) {
    obj *o = hash_new();
    hset(o, "a", "1", 512, 64);
    hset(o, "b", "-5", 512, 64);
    hset(o, "c", "str", 512, 64);
    char buf[256], buf2[256];
    collect(o, buf, sizeof(buf));
    ck_assert_str_eq(buf, "a=1;b=-5;c=str;");    /* listpack keeps insertion order */
    obj *d = obj_dup(o);
    collect(d, buf2, sizeof(buf2));
    ck_assert_str_eq(buf2, buf);
    hset(o, "a", "changed", 512, 64);
    expect(d, "a", "1");
    ck_assert_uint_gt(obj_mem_usage(o), 0);
    hash_convert(o);
    obj *d2 = obj_dup(o);
    ck_assert_int_eq(d2->enc, OBJ_ENC_HT);
    expect(d2, "a", "changed");
    expect(d2, "b", "-5");
    ck_assert_uint_eq(hash_len(d2), 3);
    size_t pairs = 0;
    hash_iter it;
    const char *f, *v;
    size_t flen, vlen;
    hash_iter_init(&it, d2);
    while (hash_iter_next(&it, &f, &flen, &v, &vlen)) pairs++;
    hash_iter_release(&it);
    ck_assert_uint_eq(pairs, 3);
    ck_assert_uint_gt(obj_mem_usage(d2), obj_mem_usage(d));
    obj_free(o);
    obj_free(d);
    obj_free(d2);
}
END_TEST

typedef struct picks {
    int seen[100];
    size_t n;
} picks;

static void on_pick(void *priv, const char *f, size_t flen, const char *v, size_t vlen) {
    picks *p = priv;
    ck_assert_uint_ge(flen, 2);
    int i = atoi(f + 1);
    ck_assert(i >= 0 && i < 100);
    ck_assert_int_eq(atoi(v), i * 2);
    (void)vlen;
    p->seen[i]++;
    p->n++;
}

static obj *make_numbered(size_t n, size_t max_entries) {
    obj *o = hash_new();
    for (size_t i = 0; i < n; i++) {
        char f[32], v[32];
        snprintf(f, sizeof(f), "f%zu", i);
        snprintf(v, sizeof(v), "%zu", i * 2);
        hset(o, f, v, max_entries, 64);
    }
    return o;
}

static void check_unique(obj *o, size_t count) {
    picks p = {{0}, 0};
    hash_random_unique(o, count, on_pick, &p);
    ck_assert_uint_eq(p.n, count);
    for (int i = 0; i < 100; i++) ck_assert_int_le(p.seen[i], 1);
}

START_TEST(test_random) {
    for (int enc = 0; enc < 2; enc++) {
        obj *o = make_numbered(100, enc ? 10 : 512);
        ck_assert_int_eq(o->enc, enc ? OBJ_ENC_HT : OBJ_ENC_LISTPACK);
        picks p = {{0}, 0};
        hash_random_repeat(o, 5000, on_pick, &p);
        ck_assert_uint_eq(p.n, 5000);
        for (int i = 0; i < 100; i++) ck_assert_int_gt(p.seen[i], 0);   /* ~50 each */
        check_unique(o, 1);
        check_unique(o, 20);     /* sparse path on the table */
        check_unique(o, 99);     /* shuffle path */
        obj_free(o);
    }
}
END_TEST

START_TEST(test_scan_table) {
    obj *o = make_numbered(100, 10);
    picks p = {{0}, 0};
    unsigned long cursor = 0;
    int calls = 0;
    do {
        cursor = hash_scan(o, cursor, 7, on_pick, &p);
        calls++;
    } while (cursor != 0 && calls < 1000);
    ck_assert_uint_eq(cursor, 0);
    ck_assert_int_gt(calls, 3);
    for (int i = 0; i < 100; i++) ck_assert_int_ge(p.seen[i], 1);
    obj_free(o);
}
END_TEST

static Suite *hash_suite(void) {
    Suite *s = suite_create("hash");
    TCase *tc = tcase_create("access");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_set_get_delete_listpack);
    tcase_add_test(tc, test_iterate_and_dup);
    suite_add_tcase(s, tc);
    tc = tcase_create("conversion");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_convert_on_entries);
    tcase_add_test(tc, test_convert_on_value_length);
    suite_add_tcase(s, tc);
    tc = tcase_create("sampling");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_random);
    tcase_add_test(tc, test_scan_table);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(hash_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
