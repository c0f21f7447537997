/* intset.h -- a sorted array of distinct 64-bit integers stored with the narrowest element
 * width (16, 32 or 64 bits) that fits every member, like Redis's intset.
 *
 * Why: small sets of integers (ids) are common; a packed sorted array costs 2-8 bytes per
 * member against ~40 for a hash table entry, and binary search keeps lookups O(log n).
 * Adding a value that does not fit the current width upgrades the whole array once (it
 * never downgrades). Elements are stored little-endian regardless of the host, so the blob
 * is portable. Functions that may grow or shrink the set return the (possibly moved)
 * pointer, which the caller must store back.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_INTSET_H
#define KEEL_INTSET_H

#include <stddef.h>
#include <stdint.h>

#define INTSET_ENC_INT16 ((uint32_t)sizeof(int16_t))
#define INTSET_ENC_INT32 ((uint32_t)sizeof(int32_t))
#define INTSET_ENC_INT64 ((uint32_t)sizeof(int64_t))

typedef struct intset {
    uint32_t encoding;    /* bytes per element: 2, 4 or 8 */
    uint32_t length;      /* number of elements */
    int8_t contents[];    /* length * encoding bytes, ascending order */
} intset;

/* A new empty set (16-bit encoding). Free with intset_free. */
intset *intset_new(void);
void intset_free(intset *is);
intset *intset_dup(const intset *is);

/* Add v; *added (may be NULL) is 1 when inserted, 0 when it was already present. */
intset *intset_add(intset *is, int64_t v, int *added);
/* Remove v; *removed (may be NULL) is 1 when it was present. */
intset *intset_remove(intset *is, int64_t v, int *removed);
/* 1 if v is a member. */
int intset_find(const intset *is, int64_t v);
/* The element at pos (0-based, ascending order); 1 if pos < length, else 0. */
int intset_get(const intset *is, uint32_t pos, int64_t *out);
/* A uniformly random member; the set must not be empty. */
int64_t intset_random(const intset *is);
uint32_t intset_len(const intset *is);
/* The smallest width able to hold v (INTSET_ENC_*). */
uint32_t intset_value_encoding(int64_t v);
/* Bytes of the blob (header + elements). */
size_t intset_blob_len(const intset *is);

#endif
