/* dict.h -- hash table with binary-safe keys embedded in the entries, incremental
 * rehashing and a reverse-binary SCAN cursor (the design of Redis's dict.c, our code).
 *
 * Why keys are embedded: one allocation per entry instead of entry + key saves a malloc
 * header and a pointer per key; the keyspace is the dominant memory cost of a cache.
 * Entries never move once added (rehashing relinks them), so a dict_entry * stays valid
 * until that key is deleted.
 *
 * Two tables exist while rehashing; every add/find/delete moves one bucket (unless
 * rehashing is paused by a safe iterator). The table doubles when used >= buckets and
 * halves (dict_shrink_if_needed) when under 1/8 full.
 *
 * Not thread safe. Values are owned by the dict only when the type has val_free (never
 * called with NULL). A NULL type means binary keys and values not owned.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_DICT_H
#define KEEL_DICT_H

#include <stddef.h>
#include <stdint.h>

typedef struct dict_entry {
    struct dict_entry *next;
    union {
        void *val;
        int64_t s64;
        uint64_t u64;
        double d;
    } v;
    uint32_t klen;
    char key[];          /* klen bytes followed by a NUL */
} dict_entry;

typedef struct dict_type {
    void (*val_free)(void *val);   /* called on delete/replace/empty when non-NULL */
    int nocase;                    /* ASCII case-insensitive keys (command table) */
} dict_type;

typedef struct dict dict;

typedef struct dict_iter {
    dict *d;
    long index;
    int table, safe;
    dict_entry *entry, *next_entry;
    uint64_t fingerprint;           /* unsafe iterators assert the dict did not change */
} dict_iter;

typedef void dict_scan_fn(void *priv, const dict_entry *e);

/* Seed for the keyed hash (SipHash-1-2); call once at start-up with random bytes. */
void dict_set_hash_seed(const uint8_t seed[16]);
uint64_t dict_hash(const void *key, size_t len);
uint64_t dict_hash_nocase(const void *key, size_t len);
/* Internal, exposed for unit tests: SipHash-c-d of in under key (nocase lowercases ASCII
 * bytes first). dict_hash is dict__siphash(key, len, seed, 1, 2, 0). */
uint64_t dict__siphash(const void *in, size_t len, const uint8_t key[16], int crounds,
                       int drounds, int nocase);

dict *dict_new(const dict_type *type);
void dict_free(dict *d);                     /* frees entries (and values via val_free) */
/* Remove everything; callback (may be NULL) is called every 65536 buckets. */
void dict_empty(dict *d, void (*callback)(dict *d));

size_t dict_size(const dict *d);
size_t dict_buckets(const dict *d);          /* buckets of both tables */
int dict_is_rehashing(const dict *d);

dict_entry *dict_find(dict *d, const void *key, size_t len);
/* Add a key with val=NULL and return its entry; if the key exists return NULL and set
 * *existing (when non-NULL) to the present entry. */
dict_entry *dict_add_raw(dict *d, const void *key, size_t len, dict_entry **existing);
/* 0 added, -1 key existed (nothing changed). */
int dict_add(dict *d, const void *key, size_t len, void *val);
/* Set or replace: returns 1 if added, 0 if an existing value was replaced (old value freed
 * through val_free). */
int dict_replace(dict *d, const void *key, size_t len, void *val);
/* 0 deleted (value freed through val_free), -1 not found. */
int dict_delete(dict *d, const void *key, size_t len);
/* Remove the entry from the table without freeing it; free later with dict_free_unlinked
 * (which calls val_free unless the caller cleared e->v.val). NULL if not found. */
dict_entry *dict_unlink(dict *d, const void *key, size_t len);
void dict_free_unlinked(dict *d, dict_entry *e);

/* Grow/shrink control. dict_expand pre-sizes for at least size elements (0 or -1).
 * dict_shrink_if_needed resizes to the smallest power of two >= used when used*8 < size
 * (min 4 buckets), returning 1 if a shrink started. dict_rehash_us does rehash steps for up
 * to us microseconds and returns 1 if more rehashing is left (0 while a safe iterator
 * pauses rehashing). dict_set_resize_allowed(0) stops growth except when
 * used/buckets > 5 (for a forked child's copy-on-write, as Redis). */
int dict_expand(dict *d, size_t size);
int dict_shrink_if_needed(dict *d);
int dict_rehash_us(dict *d, long long us);
void dict_set_resize_allowed(int allowed);

/* A random entry (NULL if empty), approximately uniform as Redis's dictGetFairRandomKey. */
dict_entry *dict_random_entry(dict *d);
/* Up to count entries sampled from random consecutive buckets (dictGetSomeKeys); returns
 * how many were stored. */
size_t dict_sample(dict *d, dict_entry **out, size_t count);

/* Reverse-binary cursor SCAN (Redis dictScan): start with 0, call until it returns 0.
 * Every entry present for the whole scan is reported at least once even when the table
 * grows, shrinks or rehashes between calls; some may be reported more than once. The
 * callback must not add or delete. Returns the next cursor. */
unsigned long dict_scan(dict *d, unsigned long cursor, dict_scan_fn *fn, void *priv);

/* Iteration. A safe iterator pauses rehashing and allows dict_delete of the current entry;
 * an unsafe one asserts that the dict was not modified. Always release. */
void dict_iter_init(dict_iter *it, dict *d, int safe);
dict_entry *dict_iter_next(dict_iter *it);
void dict_iter_release(dict_iter *it);

/* Approximate heap bytes of the table arrays plus entries (for MEMORY USAGE). */
size_t dict_mem_usage(const dict *d);

#endif
