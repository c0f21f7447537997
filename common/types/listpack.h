/* listpack.h -- a compact sequence of small strings and integers in one allocation, the
 * encoding small hashes, lists and sorted sets use before they grow past their
 * thresholds (Redis's listpack idea; our own format and code).
 *
 * Layout: a header {total bytes, count} then entries; each entry stores its value (an
 * integer in a varint-like form, or a string with its length) followed by its own length
 * backwards, so iteration works in both directions. Positions are byte offsets (lp_pos);
 * they stay valid until the next modification. All functions that modify return the new
 * pointer (the listpack may move): callers store it.
 * Allocation through kl_malloc. Values up to 4 GiB; callers bound what they insert.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_LISTPACK_H
#define KEEL_LISTPACK_H

#include <stddef.h>
#include <stdint.h>

typedef unsigned char listpack;
typedef long lp_pos;            /* byte offset of an entry; -1 = none */

/* A decoded entry: either a string (sval != NULL, slen) or an integer (sval == NULL, ival).
 * sval points into the listpack (valid until the next modification). Integers are stored
 * for strings that are canonical integers (str_to_ll), like Redis. */
typedef struct lp_entry {
    const unsigned char *sval;
    uint32_t slen;
    long long ival;
} lp_entry;

listpack *lp_new(void);
void lp_free(listpack *lp);
listpack *lp_dup(const listpack *lp);
size_t lp_count(const listpack *lp);
size_t lp_bytes(const listpack *lp);

/* Positions. lp_first/lp_last -1 when empty; lp_next/lp_prev -1 past the ends.
 * lp_seek: index 0.. from the head, -1.. from the tail; -1 when out of range. */
lp_pos lp_first(const listpack *lp);
lp_pos lp_last(const listpack *lp);
lp_pos lp_next(const listpack *lp, lp_pos p);
lp_pos lp_prev(const listpack *lp, lp_pos p);
lp_pos lp_seek(const listpack *lp, long index);

void lp_get(const listpack *lp, lp_pos p, lp_entry *out);
/* The entry as bytes: strings point into the listpack; integers are formatted into buf
 * (>= 24 bytes). Returns the pointer, sets *len. */
const char *lp_get_str(const listpack *lp, lp_pos p, size_t *len, char *buf);
/* Compare the entry with a byte string (integers compared by their text). 1 if equal. */
int lp_eq(const listpack *lp, lp_pos p, const char *s, size_t len);
/* First position >= start whose entry equals s, checking every `skip+1`-th entry
 * (skip = 1 walks field/value pairs by field). -1 if none. */
lp_pos lp_find(const listpack *lp, lp_pos start, const char *s, size_t len, unsigned skip);

listpack *lp_append(listpack *lp, const char *s, size_t len);
listpack *lp_prepend(listpack *lp, const char *s, size_t len);
listpack *lp_append_ll(listpack *lp, long long v);
/* Insert before p (p == -1: append). *newpos (may be NULL) receives the new entry's position. */
listpack *lp_insert(listpack *lp, lp_pos p, const char *s, size_t len, lp_pos *newpos);
/* Replace the entry at p; *newpos receives its (possibly moved) position. */
listpack *lp_replace(listpack *lp, lp_pos p, const char *s, size_t len, lp_pos *newpos);
/* Delete count entries starting at p; *next (may be NULL) receives the position of the entry
 * that followed them, -1 if none. */
listpack *lp_delete(listpack *lp, lp_pos p, size_t count, lp_pos *next);
/* Delete count entries starting at index (negative from the tail). */
listpack *lp_delete_range(listpack *lp, long index, size_t count);

/* Check the structure (for loading untrusted data): 1 valid, 0 corrupt. */
int lp_validate(const unsigned char *buf, size_t len);

#endif
