/* test_db.c -- keyspace unit tests: lookups, lazy expiry, the active expiry cycle, the
 * expired hook, replica mode, flush/swap/take and string object encodings.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/object.h"
#include "common/util.h"

static int hook_calls;
static char hook_last[64];

static void on_expired(keyspace *ks, db *d, const char *key, size_t len) {
    (void)ks, (void)d;
    hook_calls++;
    snprintf(hook_last, sizeof(hook_last), "%.*s", (int)len, key);
}

static void setup_ks(keyspace *ks) {
    ks_init(ks, 16);
    ks->hooks.expired = on_expired;
    hook_calls = 0;
    hook_last[0] = '\0';
}

static void set_str(db *d, const char *k, const char *v) {
    db_set(d, k, strlen(k), obj_new_string(v, strlen(v)), 0);
}

START_TEST(test_lookup_and_stats) {
    keyspace ks;
    setup_ks(&ks);
    db *d = ks_db(&ks, 0);
    set_str(d, "a", "1");
    ck_assert_ptr_nonnull(db_lookup_read(&ks, d, "a", 1));
    ck_assert_ptr_null(db_lookup_read(&ks, d, "b", 1));
    ck_assert_int_eq(ks.hits, 1);
    ck_assert_int_eq(ks.misses, 1);
    ck_assert_ptr_null(ks_db(&ks, 16));
    ck_assert_ptr_null(db_lookup_read(&ks, ks_db(&ks, 1), "a", 1));
    ks_free(&ks);
}
END_TEST

START_TEST(test_lazy_expiry) {
    keyspace ks;
    setup_ks(&ks);
    db *d = ks_db(&ks, 3);
    set_str(d, "k", "v");
    ks.now_ms = 1000;
    db_set_expire(d, "k", 1, 1500);
    ck_assert_int_eq(db_get_expire(d, "k", 1), 1500);
    ck_assert_ptr_nonnull(db_lookup_write(&ks, d, "k", 1));
    ks.now_ms = 1500;   /* expired exactly at its time, like Redis (when <= now) */
    ck_assert_ptr_null(db_lookup_read(&ks, d, "k", 1));
    ck_assert_int_eq(hook_calls, 1);
    ck_assert_str_eq(hook_last, "k");
    ck_assert_int_eq(db_size(d), 0);
    ck_assert_int_eq(db_expires_size(d), 0);
    ck_assert_int_eq(ks.expired, 1);
    ks_free(&ks);
}
END_TEST

START_TEST(test_set_drops_ttl_unless_keepttl) {
    keyspace ks;
    setup_ks(&ks);
    db *d = ks_db(&ks, 0);
    set_str(d, "k", "v");
    db_set_expire(d, "k", 1, ks.now_ms + 100000);
    db_set(d, "k", 1, obj_new_string("w", 1), 1);
    ck_assert_int_ne(db_get_expire(d, "k", 1), -1);
    set_str(d, "k", "x");
    ck_assert_int_eq(db_get_expire(d, "k", 1), -1);
    ks_free(&ks);
}
END_TEST

START_TEST(test_replica_mode_keeps_keys) {
    keyspace ks;
    setup_ks(&ks);
    ks.replica_mode = 1;
    db *d = ks_db(&ks, 0);
    set_str(d, "k", "v");
    db_set_expire(d, "k", 1, ks.now_ms - 1);
    ck_assert_ptr_null(db_lookup_read(&ks, d, "k", 1));
    ck_assert_int_eq(db_size(d), 1);   /* the primary sends the DEL */
    ck_assert_int_eq(hook_calls, 0);
    ck_assert_int_eq(ks_active_expire_cycle(&ks, 100000), 0);
    ck_assert_int_eq(db_size(d), 1);
    ks_free(&ks);
}
END_TEST

START_TEST(test_active_cycle_removes_expired) {
    keyspace ks;
    setup_ks(&ks);
    db *d = ks_db(&ks, 0);
    char key[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(key, sizeof(key), "key:%d", i);
        set_str(d, key, "v");
        if (i % 2 == 0) db_set_expire(d, key, strlen(key), ks.now_ms - 1);
        else if (i % 3 == 0) db_set_expire(d, key, strlen(key), ks.now_ms + 1000000);
    }
    /* Keys that expired must not pile up: repeated cycles reclaim all of them without
     * any lookup, and keys without TTL or with a future TTL stay. */
    long long total = 0;
    for (int i = 0; i < 200 && db_size(d) > 10000; i++) total += ks_active_expire_cycle(&ks, 25000);
    ck_assert_int_eq(total, 10000);
    ck_assert_int_eq(db_size(d), 10000);
    ck_assert_int_eq(hook_calls, 10000);
    for (int i = 1; i < 20000; i += 2) {
        snprintf(key, sizeof(key), "key:%d", i);
        ck_assert_ptr_nonnull(db_peek(d, key, strlen(key)));
    }
    ck_assert_int_gt(d->avg_ttl, 0);
    ks_free(&ks);
}
END_TEST

START_TEST(test_take_flush_swap) {
    keyspace ks;
    setup_ks(&ks);
    db *a = ks_db(&ks, 0), *b = ks_db(&ks, 1);
    set_str(a, "x", "1");
    db_set_expire(a, "x", 1, ks.now_ms + 5000);
    obj *o = db_take(a, "x", 1);
    ck_assert_ptr_nonnull(o);
    ck_assert_int_eq(db_size(a), 0);
    ck_assert_int_eq(db_expires_size(a), 0);
    db_add(b, "y", 1, o);
    set_str(a, "z", "2");
    db_swap(a, b);
    ck_assert_ptr_nonnull(db_peek(a, "y", 1));
    ck_assert_ptr_nonnull(db_peek(b, "z", 1));
    ck_assert_int_eq(db_flush(a), 1);
    ck_assert_int_eq(db_size(a), 0);
    ck_assert_int_eq(db_delete(b, "z", 1), 1);
    ck_assert_int_eq(db_delete(b, "z", 1), 0);
    ks_free(&ks);
}
END_TEST

START_TEST(test_random_key_skips_expired) {
    keyspace ks;
    setup_ks(&ks);
    db *d = ks_db(&ks, 0);
    ck_assert_ptr_null(db_random_key(&ks, d));
    set_str(d, "dead", "1");
    db_set_expire(d, "dead", 4, ks.now_ms - 10);
    set_str(d, "live", "1");
    dict_entry *e = db_random_key(&ks, d);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(e->key, "live");
    ks_free(&ks);
}
END_TEST

START_TEST(test_string_encodings) {
    obj *o = obj_new_string("12345", 5);
    ck_assert_str_eq(obj_enc_name(o), "int");
    long long v;
    ck_assert_int_eq(obj_get_ll(o, &v), 1);
    ck_assert_int_eq(v, 12345);
    obj_free(o);
    o = obj_new_string("012", 3);   /* not canonical: stays a string */
    ck_assert_str_eq(obj_enc_name(o), "embstr");
    obj_free(o);
    char big[45];
    memset(big, 'x', sizeof(big));
    o = obj_new_string(big, 44);
    ck_assert_str_eq(obj_enc_name(o), "embstr");
    obj_free(o);
    o = obj_new_string(big, 45);
    ck_assert_str_eq(obj_enc_name(o), "raw");
    ck_assert_int_eq(obj_strlen(o), 45);
    obj *d = obj_dup(o);
    ck_assert_int_eq(obj_strlen(d), 45);
    obj_free(d);
    obj_free(o);
    o = obj_make_raw(obj_new_string("hello", 5));
    ck_assert_str_eq(obj_enc_name(o), "raw");
    char tmp[24];
    size_t len;
    const char *s = obj_str(o, &len, tmp);
    ck_assert_int_eq(len, 5);
    ck_assert_int_eq(memcmp(s, "hello", 5), 0);
    obj_free(o);
}
END_TEST

static Suite *db_suite(void) {
    Suite *s = suite_create("db");
    TCase *tc = tcase_create("keyspace");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_lookup_and_stats);
    tcase_add_test(tc, test_lazy_expiry);
    tcase_add_test(tc, test_set_drops_ttl_unless_keepttl);
    tcase_add_test(tc, test_replica_mode_keeps_keys);
    tcase_add_test(tc, test_active_cycle_removes_expired);
    tcase_add_test(tc, test_take_flush_swap);
    tcase_add_test(tc, test_random_key_skips_expired);
    tcase_add_test(tc, test_string_encodings);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(db_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
