/* db.h -- the keyspace: numbered databases mapping keys to objects, with expiry.
 *
 * Expiry is in absolute milliseconds, kept in a second dict per database (key -> when in
 * v.s64), as Redis does, so the active cycle samples only keys that have a TTL. Lookups
 * expire lazily. On a replica (ks->replica_mode) expired keys are reported missing but not
 * deleted: the primary sends the DEL.
 *
 * The server hooks into deletions caused by expiry (stats, replication, notifications)
 * through keyspace_hooks. All times come from ks->now_ms, which the server updates before
 * each command, so a command sees one instant.
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_DB_H
#define KEEL_DB_H

#include <stddef.h>
#include <stdint.h>
#include "common/dict.h"
#include "common/object.h"

typedef struct db {
    struct keyspace *ks;  /* owner, for hooks */
    dict *keys;           /* key -> obj * (v.val) */
    dict *expires;        /* key -> int64 ms (v.s64) */
    int id;
    unsigned long expires_cursor;
    long long avg_ttl;
} db;

struct keyspace;
typedef struct keyspace_hooks {
    /* A key was deleted because it expired (lazy or active). */
    void (*expired)(struct keyspace *ks, db *d, const char *key, size_t len);
    /* A key was created (db_add, or db_set of a missing key). May be NULL. */
    void (*added)(struct keyspace *ks, db *d, const char *key, size_t len);
    /* db_lookup_read found nothing. May be NULL. */
    void (*missed)(struct keyspace *ks, db *d, const char *key, size_t len);
    void *priv;
} keyspace_hooks;

typedef struct keyspace {
    db *dbs;
    int ndb;
    long long now_ms;
    int replica_mode;                /* do not delete expired keys */
    int active_expire_effort;        /* 1..10 */
    int lfu;                         /* maxmemory-policy is an LFU one */
    long long lfu_log_factor, lfu_decay_time;
    keyspace_hooks hooks;
    /* stats */
    long long hits, misses, expired, expired_time_cap_reached;
    double expired_stale_perc;
} keyspace;

void ks_init(keyspace *ks, int ndb);
void ks_free(keyspace *ks);
db *ks_db(keyspace *ks, int id);     /* NULL if out of range */

/* Lookups; NULL if missing or expired (lazy delete unless replica_mode). _read counts
 * keyspace hits/misses and touches the LRU; _write does neither. */
obj *db_lookup_read(keyspace *ks, db *d, const char *key, size_t len);
obj *db_lookup_write(keyspace *ks, db *d, const char *key, size_t len);
/* Lookup without expiry or stats (internal). */
obj *db_peek(db *d, const char *key, size_t len);

/* Add a new key (must not exist). Takes ownership of val. */
void db_add(db *d, const char *key, size_t len, obj *val);
/* Replace the value of an existing key keeping its TTL. Takes ownership; frees the old. */
void db_overwrite(db *d, const char *key, size_t len, obj *val);
/* Store val for an existing key without freeing the previous value (the caller already
 * reused or freed it, e.g. through obj_make_raw). Keeps the TTL. */
void db_update_value(db *d, const char *key, size_t len, obj *val);
/* SET semantics: add or overwrite; drops the TTL unless keepttl. */
void db_set(db *d, const char *key, size_t len, obj *val, int keepttl);
/* Delete key and TTL. 1 if deleted, 0 if missing. */
int db_delete(db *d, const char *key, size_t len);
/* Take the value out of the keyspace without freeing it (RENAME/MOVE); deletes the key
 * and TTL. NULL if missing. */
obj *db_take(db *d, const char *key, size_t len);

/* Expiry: -1 = none. db_set_expire requires the key to exist. */
long long db_get_expire(db *d, const char *key, size_t len);
void db_set_expire(db *d, const char *key, size_t len, long long when_ms);
int db_remove_expire(db *d, const char *key, size_t len);   /* 1 if it had one */
/* Whether the key is logically expired at ks->now_ms. */
int db_key_is_expired(keyspace *ks, db *d, const char *key, size_t len);
/* Lazily expire: if expired delete it (unless replica mode) and return 1. */
int db_expire_if_needed(keyspace *ks, db *d, const char *key, size_t len);

size_t db_size(const db *d);
size_t db_expires_size(const db *d);
/* Remove every key; returns how many were removed. */
long long db_flush(db *d);
/* A random non-expired key; NULL if none. Returned pointer valid until the next write. */
dict_entry *db_random_key(keyspace *ks, db *d);
/* Swap contents of two databases (SWAPDB). */
void db_swap(db *a, db *b);

/* Active expiry (Redis activeExpireCycle): sample keys with a TTL in every database,
 * delete expired ones, repeat while more than ~10% (scaled by effort) of a sample was
 * expired, within time_limit_us. Returns keys expired. */
long long ks_active_expire_cycle(keyspace *ks, long long time_limit_us);
/* Incrementally rehash databases (activerehashing), up to us microseconds. */
void ks_incremental_rehash(keyspace *ks, long long us);
/* Shrink hash tables that are mostly empty. */
void ks_shrink_tables(keyspace *ks);

#endif
