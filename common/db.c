/* db.c -- databases, lookups with lazy expiry, and the active expiry cycle.
 *
 * Each database has a key dict (key -> obj *) and an expires dict (key -> absolute ms).
 * The expires dict is the truth for TTLs; keeping it separate lets the active cycle visit
 * only keys that can expire (Redis's design). The cycle walks the expires dict with the
 * SCAN cursor, so it visits every bucket over time without a full pass per call.
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/db.h"

#include <string.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/util.h"

static void val_free(void *v) { obj_free(v); }

static const dict_type keys_type = {.val_free = val_free, .nocase = 0};
static const dict_type expires_type = {.val_free = NULL, .nocase = 0};

void ks_init(keyspace *ks, int ndb) {
    memset(ks, 0, sizeof(*ks));
    ks->ndb = ndb;
    ks->dbs = kl_calloc((size_t)ndb, sizeof(db));
    ks->active_expire_effort = 1;
    ks->now_ms = mstime();
    for (int i = 0; i < ndb; i++) {
        ks->dbs[i].keys = dict_new(&keys_type);
        ks->dbs[i].expires = dict_new(&expires_type);
        ks->dbs[i].id = i;
        ks->dbs[i].ks = ks;
    }
}

void ks_free(keyspace *ks) {
    for (int i = 0; i < ks->ndb; i++) {
        dict_free(ks->dbs[i].keys);
        dict_free(ks->dbs[i].expires);
    }
    kl_free(ks->dbs);
    ks->dbs = NULL;
    ks->ndb = 0;
}

db *ks_db(keyspace *ks, int id) {
    return id >= 0 && id < ks->ndb ? &ks->dbs[id] : NULL;
}

/* ---------------------------------------------------------------- expiry */

long long db_get_expire(db *d, const char *key, size_t len) {
    if (dict_size(d->expires) == 0) return -1;
    dict_entry *e = dict_find(d->expires, key, len);
    return e ? e->v.s64 : -1;
}

void db_set_expire(db *d, const char *key, size_t len, long long when_ms) {
    kl_assert(dict_find(d->keys, key, len) != NULL);
    dict_entry *existing;
    dict_entry *e = dict_add_raw(d->expires, key, len, &existing);
    (e ? e : existing)->v.s64 = when_ms;
}

int db_remove_expire(db *d, const char *key, size_t len) {
    if (dict_size(d->expires) == 0) return 0;
    return dict_delete(d->expires, key, len) == 0;
}

int db_key_is_expired(keyspace *ks, db *d, const char *key, size_t len) {
    long long when = db_get_expire(d, key, len);
    return when >= 0 && when <= ks->now_ms;
}

static void delete_expired(keyspace *ks, db *d, const char *key, size_t len) {
    /* The hook may publish the key name, which lives in the entry we delete: copy it. */
    char stackbuf[128];
    char *copy = len < sizeof(stackbuf) ? stackbuf : kl_malloc(len + 1);
    memcpy(copy, key, len);
    db_delete(d, copy, len);
    ks->expired++;
    if (ks->hooks.expired) ks->hooks.expired(ks, d, copy, len);
    if (copy != stackbuf) kl_free(copy);
}

int db_expire_if_needed(keyspace *ks, db *d, const char *key, size_t len) {
    if (!db_key_is_expired(ks, d, key, len)) return 0;
    if (!ks->replica_mode) delete_expired(ks, d, key, len);
    return 1;
}

/* ---------------------------------------------------------------- lookups */

obj *db_peek(db *d, const char *key, size_t len) {
    dict_entry *e = dict_find(d->keys, key, len);
    return e ? e->v.val : NULL;
}

obj *db_lookup_write(keyspace *ks, db *d, const char *key, size_t len) {
    if (db_expire_if_needed(ks, d, key, len)) return NULL;
    return db_peek(d, key, len);
}

obj *db_lookup_read(keyspace *ks, db *d, const char *key, size_t len) {
    obj *o = db_expire_if_needed(ks, d, key, len) ? NULL : db_peek(d, key, len);
    if (o) {
        ks->hits++;
        obj_touch(o, ks->lfu, ks->lfu_log_factor, ks->lfu_decay_time);
    } else {
        ks->misses++;
        if (ks->hooks.missed) ks->hooks.missed(ks, d, key, len);
    }
    return o;
}

/* ---------------------------------------------------------------- writes */

static void notify_added(db *d, const char *key, size_t len) {
    if (d->ks && d->ks->hooks.added) d->ks->hooks.added(d->ks, d, key, len);
}

void db_add(db *d, const char *key, size_t len, obj *val) {
    int rc = dict_add(d->keys, key, len, val);
    kl_assert(rc == 0);
    notify_added(d, key, len);
}

void db_overwrite(db *d, const char *key, size_t len, obj *val) {
    dict_entry *e = dict_find(d->keys, key, len);
    kl_assert(e != NULL);
    obj *old = e->v.val;
    e->v.val = val;
    if (old != val) obj_free(old);
}

void db_update_value(db *d, const char *key, size_t len, obj *val) {
    dict_entry *e = dict_find(d->keys, key, len);
    kl_assert(e != NULL);
    e->v.val = val;
}

void db_set(db *d, const char *key, size_t len, obj *val, int keepttl) {
    dict_entry *existing;
    dict_entry *e = dict_add_raw(d->keys, key, len, &existing);
    if (e) {
        e->v.val = val;
        notify_added(d, key, len);
        return;
    }
    obj *old = existing->v.val;
    existing->v.val = val;
    if (old != val) obj_free(old);
    if (!keepttl) db_remove_expire(d, key, len);
}

int db_delete(db *d, const char *key, size_t len) {
    if (dict_size(d->expires)) dict_delete(d->expires, key, len);
    return dict_delete(d->keys, key, len) == 0;
}

obj *db_take(db *d, const char *key, size_t len) {
    dict_entry *e = dict_unlink(d->keys, key, len);
    if (!e) return NULL;
    obj *o = e->v.val;
    e->v.val = NULL;
    dict_free_unlinked(d->keys, e);
    db_remove_expire(d, key, len);
    return o;
}

size_t db_size(const db *d) { return dict_size(d->keys); }
size_t db_expires_size(const db *d) { return dict_size(d->expires); }

long long db_flush(db *d) {
    long long n = (long long)dict_size(d->keys);
    dict_empty(d->keys, NULL);
    dict_empty(d->expires, NULL);
    d->expires_cursor = 0;
    d->avg_ttl = 0;
    return n;
}

dict_entry *db_random_key(keyspace *ks, db *d) {
    /* Like Redis: retry a bounded number of times when sampled keys are expired, and on
     * a replica where every key may be logically expired, give up after 100 tries. */
    for (int tries = 0; tries < 100 && dict_size(d->keys); tries++) {
        dict_entry *e = dict_random_entry(d->keys);
        if (!e) return NULL;
        if (!db_key_is_expired(ks, d, e->key, e->klen)) return e;
        if (!ks->replica_mode) {
            delete_expired(ks, d, e->key, e->klen);
        } else if (tries == 99) {
            return e;
        }
    }
    return NULL;
}

void db_swap(db *a, db *b) {
    dict *k = a->keys, *e = a->expires;
    long long ttl = a->avg_ttl;
    a->keys = b->keys;
    a->expires = b->expires;
    a->avg_ttl = b->avg_ttl;
    b->keys = k;
    b->expires = e;
    b->avg_ttl = ttl;
    a->expires_cursor = b->expires_cursor = 0;
}

/* ---------------------------------------------------------------- active expiry
 *
 * How it works: per database, scan the expires dict from a persistent cursor and test up
 * to `keys_per_loop` keys; if more than `acceptable_stale` percent of the tested keys were
 * expired, go again on the same database, because expired keys are probably piling up.
 * Every 16 loops check the clock and stop at the time limit. Effort (1..10) raises the
 * sample size and lowers the acceptable stale percentage, as in Redis. */

typedef struct expire_scan {
    keyspace *ks;
    db *d;
    long long sampled, expired, ttl_sum, ttl_count;
    /* Keys to delete are collected and removed after the scan callback: deleting inside
     * the callback would modify the dict under the scan. */
    char **victims;
    size_t *victim_len;
    size_t nvictims, cap;
} expire_scan;

static void expire_scan_cb(void *priv, const dict_entry *e) {
    expire_scan *s = priv;
    s->sampled++;
    long long ttl = e->v.s64 - s->ks->now_ms;
    if (ttl > 0) {
        s->ttl_sum += ttl;
        s->ttl_count++;
        return;
    }
    if (s->nvictims == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 32;
        s->victims = kl_realloc(s->victims, s->cap * sizeof(char *));
        s->victim_len = kl_realloc(s->victim_len, s->cap * sizeof(size_t));
    }
    s->victims[s->nvictims] = kl_memdup(e->key, e->klen);
    s->victim_len[s->nvictims++] = e->klen;
}

static long long expire_db_round(keyspace *ks, db *d, long long keys_per_loop, expire_scan *s) {
    s->sampled = s->expired = s->ttl_sum = s->ttl_count = 0;
    s->nvictims = 0;
    long long max_buckets = keys_per_loop * 20, buckets = 0;
    do {
        d->expires_cursor = dict_scan(d->expires, d->expires_cursor, expire_scan_cb, s);
        buckets++;
    } while (d->expires_cursor != 0 && s->sampled < keys_per_loop && buckets < max_buckets);
    for (size_t i = 0; i < s->nvictims; i++) {
        if (!ks->replica_mode) delete_expired(ks, d, s->victims[i], s->victim_len[i]);
        kl_free(s->victims[i]);
        s->expired++;
    }
    if (s->ttl_count) {
        long long avg = s->ttl_sum / s->ttl_count;
        d->avg_ttl = d->avg_ttl ? (d->avg_ttl / 50) * 49 + avg / 50 : avg;
    }
    return s->expired;
}

long long ks_active_expire_cycle(keyspace *ks, long long time_limit_us) {
    int effort = ks->active_expire_effort < 1 ? 0 : ks->active_expire_effort - 1;
    long long keys_per_loop = 20 + 20 / 4 * effort;
    long long acceptable_stale = 10 - effort;
    uint64_t start = monotonic_us();
    long long total = 0, sampled_all = 0, expired_all = 0;
    expire_scan s = {.ks = ks};
    int timedout = 0;

    if (ks->replica_mode) return 0;
    for (int i = 0; i < ks->ndb && !timedout; i++) {
        db *d = &ks->dbs[i];
        s.d = d;
        for (int loops = 0;; loops++) {
            if (dict_size(d->expires) == 0) {
                d->avg_ttl = 0;
                break;
            }
            total += expire_db_round(ks, d, keys_per_loop, &s);
            sampled_all += s.sampled;
            expired_all += s.expired;
            if ((loops & 15) == 15 && (long long)(monotonic_us() - start) > time_limit_us) {
                timedout = 1;
                ks->expired_time_cap_reached++;
                break;
            }
            if (s.sampled == 0 || s.expired * 100 / s.sampled <= acceptable_stale) break;
        }
    }
    kl_free(s.victims);
    kl_free(s.victim_len);
    double perc = sampled_all ? (double)expired_all / (double)sampled_all : 0;
    ks->expired_stale_perc = perc * 0.05 + ks->expired_stale_perc * 0.95;
    return total;
}

void ks_incremental_rehash(keyspace *ks, long long us) {
    for (int i = 0; i < ks->ndb; i++) {
        db *d = &ks->dbs[i];
        if (dict_is_rehashing(d->keys)) {
            dict_rehash_us(d->keys, us);
            return;
        }
        if (dict_is_rehashing(d->expires)) {
            dict_rehash_us(d->expires, us);
            return;
        }
    }
}

void ks_shrink_tables(keyspace *ks) {
    for (int i = 0; i < ks->ndb; i++) {
        dict_shrink_if_needed(ks->dbs[i].keys);
        dict_shrink_if_needed(ks->dbs[i].expires);
    }
}
