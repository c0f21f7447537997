/* dict.c -- chained hash table with embedded keys, incremental rehash and SCAN cursors.
 *
 * Why incremental rehashing: a cache holds millions of keys, and rehashing them all at once
 * would stall the event loop. Two power-of-two tables coexist while a resize is in progress;
 * each add/find/delete moves one bucket from table 0 to table 1, and the cron can spend a
 * time budget on it (dict_rehash_us). Entries are relinked, never copied, so a dict_entry *
 * stays valid until its key is deleted. Keys are hashed with SipHash-1-2 under a secret seed
 * so clients cannot craft collisions. Not thread safe; used from the loop thread only.
 * Behaviour follows Redis 7.0 dict.c (growth at load 1, forced growth at 5, SCAN cursor).
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/dict.h"

#include <string.h>
#include <time.h>

#include "common/alloc.h"
#include "common/log.h"

#define DICT_MIN_BUCKETS 4
#define DICT_FORCE_RATIO 5
#define DICT_FAIR_SAMPLE 20

struct dict {
    const dict_type *type;
    dict_entry **table[2];
    size_t size[2];        /* buckets, 0 or a power of two */
    size_t used[2];
    long rehash_idx;       /* next bucket of table 0 to move, -1 when not rehashing */
    int pause_rehash;      /* > 0 while safe iterators or a scan call are active */
    size_t key_bytes;      /* sum of key lengths, for dict_mem_usage */
};

static int resize_allowed = 1;

/* ----------------------------------------------------------------------------------------
 * SipHash-1-2 (keyed, 64-bit output)
 * ------------------------------------------------------------------------------------- */

static uint8_t hash_seed[16];

#define ROTL64(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static inline void sip_round(uint64_t v[4]) {
    v[0] += v[1];
    v[1] = ROTL64(v[1], 13);
    v[1] ^= v[0];
    v[0] = ROTL64(v[0], 32);
    v[2] += v[3];
    v[3] = ROTL64(v[3], 16);
    v[3] ^= v[2];
    v[0] += v[3];
    v[3] = ROTL64(v[3], 21);
    v[3] ^= v[0];
    v[2] += v[1];
    v[1] = ROTL64(v[1], 17);
    v[1] ^= v[2];
    v[2] = ROTL64(v[2], 32);
}

static inline uint8_t sip_byte(const uint8_t *p, int nocase) {
    uint8_t c = *p;
    return (nocase && c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* Little-endian load of n <= 8 bytes, optionally ASCII-lowercased. */
static inline uint64_t sip_load(const uint8_t *p, size_t n, int nocase) {
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++) m |= (uint64_t)sip_byte(p + i, nocase) << (8 * i);
    return m;
}

static inline void sip_compress(uint64_t v[4], uint64_t m, int crounds) {
    v[3] ^= m;
    for (int r = 0; r < crounds; r++) sip_round(v);
    v[0] ^= m;
}

uint64_t dict__siphash(const void *in, size_t len, const uint8_t key[16], int crounds,
                       int drounds, int nocase) {
    const uint8_t *p = in;
    uint64_t k0 = sip_load(key, 8, 0), k1 = sip_load(key + 8, 8, 0);
    uint64_t v[4] = {0x736f6d6570736575ULL ^ k0, 0x646f72616e646f6dULL ^ k1,
                     0x6c7967656e657261ULL ^ k0, 0x7465646279746573ULL ^ k1};
    size_t full = len & ~(size_t)7;
    for (size_t i = 0; i < full; i += 8) sip_compress(v, sip_load(p + i, 8, nocase), crounds);
    uint64_t last = ((uint64_t)len << 56) | sip_load(p + full, len - full, nocase);
    sip_compress(v, last, crounds);
    v[2] ^= 0xff;
    for (int r = 0; r < drounds; r++) sip_round(v);
    return v[0] ^ v[1] ^ v[2] ^ v[3];
}

void dict_set_hash_seed(const uint8_t seed[16]) {
    memcpy(hash_seed, seed, sizeof(hash_seed));
}

uint64_t dict_hash(const void *key, size_t len) {
    return dict__siphash(key, len, hash_seed, 1, 2, 0);
}

uint64_t dict_hash_nocase(const void *key, size_t len) {
    return dict__siphash(key, len, hash_seed, 1, 2, 1);
}

/* ----------------------------------------------------------------------------------------
 * Small helpers: hashing and comparing by type, random numbers
 * ------------------------------------------------------------------------------------- */

static uint64_t dict_key_hash(const dict *d, const void *key, size_t len) {
    return d->type->nocase ? dict_hash_nocase(key, len) : dict_hash(key, len);
}

static int dict_key_eq(const dict *d, const dict_entry *e, const void *key, size_t len) {
    if (e->klen != len) return 0;
    if (!d->type->nocase) return memcmp(e->key, key, len) == 0;
    const uint8_t *a = (const uint8_t *)e->key, *b = key;
    for (size_t i = 0; i < len; i++) {
        uint8_t x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = (uint8_t)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (uint8_t)(y + 32);
        if (x != y) return 0;
    }
    return 1;
}

/* Per-thread xorshift64* state, seeded lazily from the clock and the state's address. */
static _Thread_local uint64_t rng_state;

static uint64_t dict_rand(void) {
    if (rng_state == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        rng_state = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^
                    (uint64_t)(uintptr_t)&rng_state ^ 0x9e3779b97f4a7c15ULL;
        if (rng_state == 0) rng_state = 1;
    }
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static void dict_free_val(dict *d, void *val) {
    if (d->type->val_free && val) d->type->val_free(val);
}

/* ----------------------------------------------------------------------------------------
 * Creation and destruction
 * ------------------------------------------------------------------------------------- */

static void dict_reset_table(dict *d, int t) {
    d->table[t] = NULL;
    d->size[t] = 0;
    d->used[t] = 0;
}

dict *dict_new(const dict_type *type) {
    static const dict_type default_type = {NULL, 0};
    dict *d = kl_malloc(sizeof(*d));
    d->type = type ? type : &default_type;
    dict_reset_table(d, 0);
    dict_reset_table(d, 1);
    d->rehash_idx = -1;
    d->pause_rehash = 0;
    d->key_bytes = 0;
    return d;
}

static void dict_clear_table(dict *d, int t, void (*callback)(dict *d)) {
    for (size_t i = 0; i < d->size[t] && d->used[t] > 0; i++) {
        if (callback && (i & 65535) == 0) callback(d);
        dict_entry *e = d->table[t][i];
        while (e) {
            dict_entry *next = e->next;
            dict_free_val(d, e->v.val);
            kl_free(e);
            d->used[t]--;
            e = next;
        }
    }
    kl_free(d->table[t]);
    dict_reset_table(d, t);
}

void dict_empty(dict *d, void (*callback)(dict *d)) {
    dict_clear_table(d, 0, callback);
    dict_clear_table(d, 1, callback);
    d->rehash_idx = -1;
    d->key_bytes = 0;
}

void dict_free(dict *d) {
    if (d == NULL) return;
    dict_empty(d, NULL);
    kl_free(d);
}

size_t dict_size(const dict *d) {
    return d->used[0] + d->used[1];
}

size_t dict_buckets(const dict *d) {
    return d->size[0] + d->size[1];
}

int dict_is_rehashing(const dict *d) {
    return d->rehash_idx != -1;
}

void dict_set_resize_allowed(int allowed) {
    resize_allowed = allowed;
}

size_t dict_mem_usage(const dict *d) {
    return sizeof(*d) + dict_buckets(d) * sizeof(dict_entry *) +
           dict_size(d) * (sizeof(dict_entry) + 1) + d->key_bytes;
}

/* ----------------------------------------------------------------------------------------
 * Resizing and incremental rehash
 * ------------------------------------------------------------------------------------- */

static size_t dict_next_power(size_t size) {
    const size_t top = (size_t)1 << (sizeof(size_t) * 8 - 1);
    size_t n = DICT_MIN_BUCKETS;
    if (size >= top) return top;
    while (n < size) n <<= 1;
    return n;
}

/* Create a table of at least size buckets: the first table, or the rehash target. */
int dict_expand(dict *d, size_t size) {
    if (dict_is_rehashing(d) || d->used[0] > size) return -1;
    size_t real = dict_next_power(size);
    if (real == d->size[0]) return -1;
    if (real > (size_t)-1 / sizeof(dict_entry *)) return -1;
    dict_entry **t = kl_calloc(real, sizeof(dict_entry *));
    if (d->table[0] == NULL) {
        d->table[0] = t;
        d->size[0] = real;
        d->used[0] = 0;
        return 0;
    }
    d->table[1] = t;
    d->size[1] = real;
    d->used[1] = 0;
    d->rehash_idx = 0;
    return 0;
}

static void dict_expand_if_needed(dict *d) {
    if (dict_is_rehashing(d)) return;
    if (d->size[0] == 0) {
        dict_expand(d, DICT_MIN_BUCKETS);
        return;
    }
    if (d->used[0] >= d->size[0] &&
        (resize_allowed || d->used[0] / d->size[0] > DICT_FORCE_RATIO))
        dict_expand(d, d->used[0] + 1);
}

int dict_shrink_if_needed(dict *d) {
    if (!resize_allowed || dict_is_rehashing(d)) return 0;
    if (d->size[0] <= DICT_MIN_BUCKETS || d->used[0] * 8 >= d->size[0]) return 0;
    return dict_expand(d, d->used[0]) == 0;
}

/* Move one bucket of table 0 into table 1, relinking each entry. */
static void dict_move_bucket(dict *d, size_t idx) {
    dict_entry *e = d->table[0][idx];
    size_t mask = d->size[1] - 1;
    while (e) {
        dict_entry *next = e->next;
        size_t h = (size_t)dict_key_hash(d, e->key, e->klen) & mask;
        e->next = d->table[1][h];
        d->table[1][h] = e;
        d->used[0]--;
        d->used[1]++;
        e = next;
    }
    d->table[0][idx] = NULL;
}

/* Rehash up to n non-empty buckets, visiting at most n*10 empty ones. Returns 1 if work
 * remains, 0 when the rehash is complete (or was not in progress). */
static int dict_rehash(dict *d, size_t n) {
    size_t empty_visits = n * 10;
    if (!dict_is_rehashing(d)) return 0;
    while (n-- && d->used[0] != 0) {
        kl_assert((size_t)d->rehash_idx < d->size[0]);
        while (d->table[0][d->rehash_idx] == NULL) {
            d->rehash_idx++;
            if (--empty_visits == 0) return 1;
        }
        dict_move_bucket(d, (size_t)d->rehash_idx);
        d->rehash_idx++;
    }
    if (d->used[0] != 0) return 1;
    kl_free(d->table[0]);
    d->table[0] = d->table[1];
    d->size[0] = d->size[1];
    d->used[0] = d->used[1];
    dict_reset_table(d, 1);
    d->rehash_idx = -1;
    return 0;
}

static void dict_rehash_step(dict *d) {
    if (d->pause_rehash == 0) dict_rehash(d, 1);
}

static long long dict_now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int dict_rehash_us(dict *d, long long us) {
    if (d->pause_rehash > 0 || !dict_is_rehashing(d)) return 0;
    long long start = dict_now_us();
    while (dict_rehash(d, 100)) {
        if (dict_now_us() - start >= us) return 1;
    }
    return 0;
}

/* ----------------------------------------------------------------------------------------
 * Lookup, insertion and deletion
 * ------------------------------------------------------------------------------------- */

dict_entry *dict_find(dict *d, const void *key, size_t len) {
    if (dict_size(d) == 0) return NULL;
    if (dict_is_rehashing(d)) dict_rehash_step(d);
    uint64_t h = dict_key_hash(d, key, len);
    for (int t = 0; t <= 1; t++) {
        if (d->size[t] == 0) continue;
        dict_entry *e = d->table[t][h & (d->size[t] - 1)];
        for (; e; e = e->next)
            if (dict_key_eq(d, e, key, len)) return e;
        if (!dict_is_rehashing(d)) break;
    }
    return NULL;
}

dict_entry *dict_add_raw(dict *d, const void *key, size_t len, dict_entry **existing) {
    kl_assert(len <= UINT32_MAX);
    if (dict_is_rehashing(d)) dict_rehash_step(d);
    dict_expand_if_needed(d);
    uint64_t h = dict_key_hash(d, key, len);
    for (int t = 0; t <= 1; t++) {
        if (d->size[t] == 0) continue;
        for (dict_entry *e = d->table[t][h & (d->size[t] - 1)]; e; e = e->next) {
            if (dict_key_eq(d, e, key, len)) {
                if (existing) *existing = e;
                return NULL;
            }
        }
        if (!dict_is_rehashing(d)) break;
    }
    int t = dict_is_rehashing(d) ? 1 : 0;
    dict_entry *e = kl_malloc(sizeof(dict_entry) + len + 1);
    if (len) memcpy(e->key, key, len);
    e->key[len] = '\0';
    e->klen = (uint32_t)len;
    e->v.u64 = 0;
    e->v.val = NULL;
    size_t idx = h & (d->size[t] - 1);
    e->next = d->table[t][idx];
    d->table[t][idx] = e;
    d->used[t]++;
    d->key_bytes += len;
    return e;
}

int dict_add(dict *d, const void *key, size_t len, void *val) {
    dict_entry *e = dict_add_raw(d, key, len, NULL);
    if (e == NULL) return -1;
    e->v.val = val;
    return 0;
}

int dict_replace(dict *d, const void *key, size_t len, void *val) {
    dict_entry *existing = NULL;
    dict_entry *e = dict_add_raw(d, key, len, &existing);
    if (e) {
        e->v.val = val;
        return 1;
    }
    void *old = existing->v.val;
    existing->v.val = val;
    if (old != val) dict_free_val(d, old);
    return 0;
}

dict_entry *dict_unlink(dict *d, const void *key, size_t len) {
    if (dict_size(d) == 0) return NULL;
    if (dict_is_rehashing(d)) dict_rehash_step(d);
    uint64_t h = dict_key_hash(d, key, len);
    for (int t = 0; t <= 1; t++) {
        if (d->size[t] == 0) continue;
        dict_entry **link = &d->table[t][h & (d->size[t] - 1)];
        for (; *link; link = &(*link)->next) {
            dict_entry *e = *link;
            if (!dict_key_eq(d, e, key, len)) continue;
            *link = e->next;
            e->next = NULL;
            d->used[t]--;
            d->key_bytes -= e->klen;
            return e;
        }
        if (!dict_is_rehashing(d)) break;
    }
    return NULL;
}

void dict_free_unlinked(dict *d, dict_entry *e) {
    if (e == NULL) return;
    dict_free_val(d, e->v.val);
    kl_free(e);
}

int dict_delete(dict *d, const void *key, size_t len) {
    dict_entry *e = dict_unlink(d, key, len);
    if (e == NULL) return -1;
    dict_free_unlinked(d, e);
    return 0;
}

/* ----------------------------------------------------------------------------------------
 * Random entries and sampling
 * ------------------------------------------------------------------------------------- */

/* A random non-empty bucket, then a random entry of its chain. Entries in long chains are
 * less likely to be picked, which dict_random_entry corrects by sampling first. */
static dict_entry *dict_random_bucket_entry(dict *d) {
    dict_entry *e;
    if (dict_size(d) == 0) return NULL;
    if (dict_is_rehashing(d)) dict_rehash_step(d);
    if (dict_is_rehashing(d)) {
        size_t s0 = d->size[0], lo = (size_t)d->rehash_idx;
        do {
            size_t h = lo + (size_t)(dict_rand() % (s0 + d->size[1] - lo));
            e = h >= s0 ? d->table[1][h - s0] : d->table[0][h];
        } while (e == NULL);
    } else {
        do {
            e = d->table[0][dict_rand() & (d->size[0] - 1)];
        } while (e == NULL);
    }
    size_t chain = 0;
    for (dict_entry *p = e; p; p = p->next) chain++;
    for (size_t pick = (size_t)(dict_rand() % chain); pick > 0; pick--) e = e->next;
    return e;
}

dict_entry *dict_random_entry(dict *d) {
    dict_entry *sample[DICT_FAIR_SAMPLE];
    size_t n = dict_sample(d, sample, DICT_FAIR_SAMPLE);
    if (n == 0) return dict_random_bucket_entry(d);
    return sample[dict_rand() % n];
}

size_t dict_sample(dict *d, dict_entry **out, size_t count) {
    size_t stored = 0, empty_run = 0;
    if (count > dict_size(d)) count = dict_size(d);
    if (count == 0) return 0;
    size_t max_steps = count * 10;
    for (size_t j = 0; j < count && dict_is_rehashing(d); j++) dict_rehash_step(d);
    int tables = dict_is_rehashing(d) ? 2 : 1;
    size_t mask = d->size[0] - 1;
    if (tables == 2 && d->size[1] > d->size[0]) mask = d->size[1] - 1;
    size_t i = (size_t)dict_rand() & mask;
    while (stored < count && max_steps--) {
        for (int t = 0; t < tables; t++) {
            /* Buckets of table 0 below rehash_idx are empty: they were moved. */
            if (tables == 2 && t == 0 && i < (size_t)d->rehash_idx) {
                if (i >= d->size[1]) i = (size_t)d->rehash_idx;
                else continue;
            }
            if (i >= d->size[t]) continue;
            dict_entry *e = d->table[t][i];
            if (e == NULL) {
                if (++empty_run >= 5 && empty_run > count) {
                    i = (size_t)dict_rand() & mask;
                    empty_run = 0;
                }
                continue;
            }
            empty_run = 0;
            for (; e; e = e->next) {
                out[stored++] = e;
                if (stored == count) return stored;
            }
        }
        i = (i + 1) & mask;
    }
    return stored;
}

/* ----------------------------------------------------------------------------------------
 * SCAN
 *
 * How the cursor works. A table of 2^n buckets indexes an entry by the low n bits of its
 * hash. Instead of counting the cursor up normally, we count it up with its bits reversed:
 * we increment the highest bit of the mask and let the carry flow towards the low bits. So
 * the cursor visits buckets in an order where the LOW bits change least often: for 8
 * buckets, 0 4 2 6 1 5 3 7.
 *
 * Why that survives resizing. When the table doubles from 2^n to 2^(n+1), bucket b splits
 * into b and b + 2^n: the low n bits of every entry stay the same, one new high bit is added.
 * When it halves, buckets b and b + 2^(n-1) merge into b. Because the cursor's order only
 * depends on the low bits, "all buckets whose low bits come before the cursor in reversed
 * order" is the same set of hashes in the small table and in the big one. After a grow, the
 * cursor value read with more mask bits names the first of the split buckets still to visit,
 * and everything already visited maps to buckets already passed. After a shrink, the cursor
 * read with fewer bits may name a bucket of which part was already visited (the merge of a
 * visited and an unvisited big bucket): we visit it fully, so some entries can come twice,
 * but none is skipped. Elements that exist from the first call to the last are therefore
 * returned at least once; elements added or deleted during the scan may or may not be.
 *
 * During an incremental rehash both tables hold entries. We take the smaller table (mask
 * m0) and the bigger one (mask m1). We visit bucket (cursor & m0) of the small table, then
 * every bucket of the big table whose low bits equal cursor & m0: those are the buckets
 * the small one expands into, whichever direction the rehash goes. The loop steps the
 * cursor through the extra high bits of m1 (reverse increment under m1) until those bits
 * wrap to zero, which also carries into the low bits and so advances the small-table part
 * of the cursor. The returned cursor is thus valid for either table once rehash finishes.
 * Rehashing is paused during one call so the two tables stay consistent while we read them.
 * ------------------------------------------------------------------------------------- */

static unsigned long rev_bits(unsigned long v) {
    unsigned long r = 0;
    for (unsigned i = 0; i < sizeof(v) * 8; i++) {
        r = (r << 1) | (v & 1);
        v >>= 1;
    }
    return r;
}

/* The reverse-binary increment of v under mask: set bits outside the mask so the carry
 * passes through them, reverse, add one, reverse back. */
static unsigned long scan_next(unsigned long v, unsigned long mask) {
    v |= ~mask;
    v = rev_bits(v);
    v++;
    return rev_bits(v);
}

static void scan_bucket(dict_entry *e, dict_scan_fn *fn, void *priv) {
    while (e) {
        dict_entry *next = e->next;
        fn(priv, e);
        e = next;
    }
}

unsigned long dict_scan(dict *d, unsigned long cursor, dict_scan_fn *fn, void *priv) {
    if (dict_size(d) == 0) return 0;
    unsigned long v = cursor;
    d->pause_rehash++;
    if (!dict_is_rehashing(d)) {
        unsigned long m0 = (unsigned long)d->size[0] - 1;
        scan_bucket(d->table[0][v & m0], fn, priv);
        v = scan_next(v, m0);
    } else {
        int small = d->size[0] <= d->size[1] ? 0 : 1, big = 1 - small;
        unsigned long m0 = (unsigned long)d->size[small] - 1;
        unsigned long m1 = (unsigned long)d->size[big] - 1;
        scan_bucket(d->table[small][v & m0], fn, priv);
        do {
            scan_bucket(d->table[big][v & m1], fn, priv);
            v = scan_next(v, m1);
        } while (v & (m0 ^ m1));
    }
    d->pause_rehash--;
    return v;
}

/* ----------------------------------------------------------------------------------------
 * Iterators
 * ------------------------------------------------------------------------------------- */

/* A digest of the table layout: any add, delete, resize or rehash step changes it. */
static uint64_t dict_fingerprint(const dict *d) {
    uint64_t parts[6] = {(uint64_t)(uintptr_t)d->table[0], d->size[0], d->used[0],
                         (uint64_t)(uintptr_t)d->table[1], d->size[1], d->used[1]};
    uint64_t h = 0;
    for (int i = 0; i < 6; i++) {
        h = (h + parts[i]) * 0xff51afd7ed558ccdULL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 29;
    }
    return h;
}

void dict_iter_init(dict_iter *it, dict *d, int safe) {
    it->d = d;
    it->index = -1;
    it->table = 0;
    it->safe = safe;
    it->entry = NULL;
    it->next_entry = NULL;
    it->fingerprint = 0;
}

dict_entry *dict_iter_next(dict_iter *it) {
    dict *d = it->d;
    for (;;) {
        if (it->entry == NULL) {
            if (it->index == -1 && it->table == 0) {
                if (it->safe) d->pause_rehash++;
                else it->fingerprint = dict_fingerprint(d);
            }
            it->index++;
            if ((size_t)it->index >= d->size[it->table]) {
                if (dict_is_rehashing(d) && it->table == 0) {
                    it->table = 1;
                    it->index = 0;
                    if (d->size[1] == 0) break;
                } else {
                    break;
                }
            }
            it->entry = d->table[it->table][it->index];
        } else {
            it->entry = it->next_entry;
        }
        if (it->entry) {
            it->next_entry = it->entry->next;
            return it->entry;
        }
    }
    return NULL;
}

void dict_iter_release(dict_iter *it) {
    if (it->index == -1 && it->table == 0) return;   /* never started */
    if (it->safe) it->d->pause_rehash--;
    else kl_assert(it->fingerprint == dict_fingerprint(it->d));
}
