/* intset.c -- sorted packed integer array with 16/32/64-bit encodings (see intset.h).
 *
 * Elements are kept little-endian in contents[]; get/set go through memcpy so unaligned
 * access and the host byte order never matter. An insert of a value wider than the
 * current encoding upgrades every element in place, back to front, and the new value goes
 * to one end (it is necessarily the new minimum or maximum).
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <string.h>
#include <time.h>

#include "common/alloc.h"
#include "common/types/intset.h"

/* ------------------------------------------------------------------ byte order */

static int host_is_little(void) {
    const uint16_t one = 1;
    return *(const uint8_t *)&one == 1;
}

static void swap_bytes(void *p, size_t n) {
    uint8_t *b = p;
    for (size_t i = 0; i < n / 2; i++) {
        uint8_t t = b[i];
        b[i] = b[n - 1 - i];
        b[n - 1 - i] = t;
    }
}

/* Read element pos assuming encoding enc. */
static int64_t get_enc(const intset *is, uint32_t pos, uint32_t enc) {
    const int8_t *p = is->contents + (size_t)pos * enc;
    int little = host_is_little();
    if (enc == INTSET_ENC_INT64) {
        int64_t v;
        memcpy(&v, p, sizeof(v));
        if (!little) swap_bytes(&v, sizeof(v));
        return v;
    }
    if (enc == INTSET_ENC_INT32) {
        int32_t v;
        memcpy(&v, p, sizeof(v));
        if (!little) swap_bytes(&v, sizeof(v));
        return v;
    }
    int16_t v;
    memcpy(&v, p, sizeof(v));
    if (!little) swap_bytes(&v, sizeof(v));
    return v;
}

/* Write v (which fits is->encoding) at pos. */
static void set_at(intset *is, uint32_t pos, int64_t v) {
    int8_t *p = is->contents + (size_t)pos * is->encoding;
    int little = host_is_little();
    if (is->encoding == INTSET_ENC_INT64) {
        if (!little) swap_bytes(&v, sizeof(v));
        memcpy(p, &v, sizeof(v));
    } else if (is->encoding == INTSET_ENC_INT32) {
        int32_t x = (int32_t)v;
        if (!little) swap_bytes(&x, sizeof(x));
        memcpy(p, &x, sizeof(x));
    } else {
        int16_t x = (int16_t)v;
        if (!little) swap_bytes(&x, sizeof(x));
        memcpy(p, &x, sizeof(x));
    }
}

static int64_t get_at(const intset *is, uint32_t pos) { return get_enc(is, pos, is->encoding); }

/* ------------------------------------------------------------------ helpers */

uint32_t intset_value_encoding(int64_t v) {
    if (v < INT32_MIN || v > INT32_MAX) return INTSET_ENC_INT64;
    if (v < INT16_MIN || v > INT16_MAX) return INTSET_ENC_INT32;
    return INTSET_ENC_INT16;
}

static intset *resize(intset *is, uint32_t len) {
    return kl_realloc(is, sizeof(intset) + (size_t)len * is->encoding);
}

/* Binary search: 1 and *pos = index when found, else 0 and *pos = insertion point. */
static int search(const intset *is, int64_t v, uint32_t *pos) {
    uint32_t lo = 0, hi = is->length;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t cur = get_at(is, mid);
        if (cur == v) {
            *pos = mid;
            return 1;
        }
        if (cur < v) lo = mid + 1;
        else hi = mid;
    }
    *pos = lo;
    return 0;
}

/* Move elements [from, length) to start at index to (the array is already sized). */
static void move_tail(intset *is, uint32_t from, uint32_t to) {
    size_t bytes = (size_t)(is->length - from) * is->encoding;
    memmove(is->contents + (size_t)to * is->encoding,
            is->contents + (size_t)from * is->encoding, bytes);
}

/* Widen every element to fit v, then add v at the front (negative) or back. */
static intset *upgrade_and_add(intset *is, int64_t v) {
    uint32_t old = is->encoding, len = is->length;
    int front = v < 0;
    is->encoding = intset_value_encoding(v);
    is = resize(is, len + 1);
    for (uint32_t i = len; i-- > 0;) set_at(is, i + (uint32_t)front, get_enc(is, i, old));
    set_at(is, front ? 0 : len, v);
    is->length = len + 1;
    return is;
}

/* ------------------------------------------------------------------ API */

intset *intset_new(void) {
    intset *is = kl_malloc(sizeof(intset));
    is->encoding = INTSET_ENC_INT16;
    is->length = 0;
    return is;
}

void intset_free(intset *is) { kl_free(is); }

intset *intset_dup(const intset *is) {
    size_t n = intset_blob_len(is);
    intset *copy = kl_malloc(n);
    memcpy(copy, is, n);
    return copy;
}

intset *intset_add(intset *is, int64_t v, int *added) {
    if (added) *added = 0;
    if (intset_value_encoding(v) > is->encoding) {
        if (added) *added = 1;
        return upgrade_and_add(is, v);
    }
    uint32_t pos;
    if (search(is, v, &pos)) return is;
    is = resize(is, is->length + 1);
    if (pos < is->length) move_tail(is, pos, pos + 1);
    set_at(is, pos, v);
    is->length++;
    if (added) *added = 1;
    return is;
}

intset *intset_remove(intset *is, int64_t v, int *removed) {
    uint32_t pos;
    if (removed) *removed = 0;
    if (intset_value_encoding(v) > is->encoding || !search(is, v, &pos)) return is;
    if (pos + 1 < is->length) move_tail(is, pos + 1, pos);
    is->length--;
    if (removed) *removed = 1;
    return resize(is, is->length);
}

int intset_find(const intset *is, int64_t v) {
    uint32_t pos;
    return intset_value_encoding(v) <= is->encoding && search(is, v, &pos);
}

int intset_get(const intset *is, uint32_t pos, int64_t *out) {
    if (pos >= is->length) return 0;
    *out = get_at(is, pos);
    return 1;
}

/* xorshift64*: fast, good enough to pick members; seeded once from the clock. */
static uint64_t rng_next(void) {
    static uint64_t state;
    if (state == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        state = ((uint64_t)ts.tv_nsec << 24) ^ (uint64_t)ts.tv_sec ^ 0x9e3779b97f4a7c15ULL;
    }
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1DULL;
}

int64_t intset_random(const intset *is) {
    return get_at(is, (uint32_t)(rng_next() % is->length));
}

uint32_t intset_len(const intset *is) { return is->length; }

size_t intset_blob_len(const intset *is) {
    return sizeof(intset) + (size_t)is->length * is->encoding;
}
