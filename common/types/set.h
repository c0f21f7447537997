/* set.h -- the set value type: an unordered collection of distinct binary-safe strings.
 *
 * Two encodings, as in Redis 7.0: an intset (common/types/intset.h) while every member is
 * a canonical integer (Redis string2ll rules: no '+', no leading zeros, no spaces) and the
 * count stays <= the caller's max_intset (set-max-intset-entries), otherwise a dict
 * (common/dict.h) whose keys are the members and whose values are NULL. Conversion goes
 * only from intset to dict, never back. Knows nothing about clients or the keyspace.
 * Not thread safe.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_SET_H
#define KEEL_SET_H

#include <stddef.h>
#include <stdint.h>

#include "common/dict.h"
#include "common/types/intset.h"

typedef struct set set;

/* A member as bytes. For intset members ptr points into buf, so a set_member must not be
 * copied while ptr is in use; for dict members ptr points into the entry (valid until
 * that member is removed). */
typedef struct set_member {
    const char *ptr;
    size_t len;
    char buf[24];
} set_member;

/* A new empty set in intset encoding. */
set *set_new(void);
void set_free(set *s);
set *set_dup(const set *s);

int set_is_intset(const set *s);
size_t set_size(const set *s);
/* Approximate heap bytes (MEMORY USAGE). */
size_t set_mem_usage(const set *s);

/* Add a member: 1 if added, 0 if present. Converts to a dict when the member is not a
 * canonical integer or when the intset would hold more than max_intset members. */
int set_add(set *s, const char *m, size_t len, size_t max_intset);
/* 1 if removed, 0 if absent. */
int set_remove(set *s, const char *m, size_t len);
int set_contains(const set *s, const char *m, size_t len);
/* Switch to the dict encoding (no-op if already). */
void set_convert_to_dict(set *s);

/* A random member (approximately uniform); the set must not be empty. */
void set_random(set *s, set_member *out);

/* Iteration over all members; the set must not change until set_iter_release, but
 * lookups (set_contains) in it are fine. */
typedef struct set_iter {
    set *s;
    uint32_t pos;
    dict_iter di;
} set_iter;
void set_iter_init(set_iter *it, set *s);
/* 1 and *out filled, or 0 at the end. */
int set_iter_next(set_iter *it, set_member *out);
void set_iter_release(set_iter *it);

/* SSCAN step: calls fn for members and returns the next cursor (0 when done). An intset
 * reports every member in one call and returns 0 (as Redis); a dict does one
 * dict_scan step with its guarantees. fn must not modify the set. */
typedef void set_scan_fn(void *priv, const char *m, size_t len);
unsigned long set_scan(set *s, unsigned long cursor, set_scan_fn *fn, void *priv);

#endif
