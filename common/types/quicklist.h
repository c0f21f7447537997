/* quicklist.h -- the list type: a doubly linked list of listpack nodes.
 *
 * Why: a plain linked list costs two pointers and a header per element, one big listpack
 * makes every insert in the middle O(N) memmove. A chain of bounded listpacks keeps the
 * memory of the compact form and bounded edit cost. The node bound is Redis's
 * list-max-listpack-size ("fill"): a positive value is the maximum entries per node (with
 * an 8 KiB safety cap per node), -1..-5 is a byte limit of 4/8/16/32/64 KiB per node. An
 * element larger than the limit lives alone in its node. Neighbouring nodes are merged
 * when a deletion leaves them small enough to fit together.
 *
 * Indexes are 0.. from the head and -1.. from the tail. Values are returned as bytes; an
 * integer entry is formatted into a caller buffer of QL_BUF bytes. Knows nothing about
 * clients. Allocation through kl_malloc.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_QUICKLIST_H
#define KEEL_QUICKLIST_H

#include <stddef.h>
#include "common/types/listpack.h"

#define QL_HEAD 0
#define QL_TAIL 1
#define QL_BUF 32            /* buffer size for formatting integer entries */
#define QL_SAFETY_LIMIT 8192 /* byte cap of a node when fill counts entries */

typedef struct ql_node {
    struct ql_node *prev, *next;
    listpack *lp;
    size_t count;            /* entries in lp */
} ql_node;

typedef struct quicklist {
    ql_node *head, *tail;
    size_t count;            /* entries in all nodes */
    size_t nodes;
    int fill;
} quicklist;

/* A position: an entry of a node. Valid until the list is modified (except through the
 * iterator functions, which keep it up to date). */
typedef struct ql_iter {
    quicklist *ql;
    ql_node *node;
    size_t idx;              /* index of the entry inside node */
    lp_pos pos;              /* its offset in node->lp; -1: exhausted */
    int dir;                 /* QL_TAIL: towards the tail, QL_HEAD: towards the head */
    int started;
} ql_iter;

quicklist *ql_new(int fill);
void ql_free(quicklist *ql);
quicklist *ql_dup(const quicklist *ql);
static inline size_t ql_count(const quicklist *ql) { return ql->count; }
/* Allocation bytes (MEMORY USAGE). */
size_t ql_bytes(const quicklist *ql);

void ql_push(quicklist *ql, int where, const char *s, size_t len);
/* Remove the entry at where (QL_HEAD/QL_TAIL) and return a copy of its bytes (kl_malloc'ed,
 * NUL terminated, *len set; the caller kl_free()s it), or NULL when the list is empty. */
char *ql_pop(quicklist *ql, int where, size_t *len);

/* Entry at index: bytes (integers formatted into buf), NULL when out of range. */
const char *ql_index(quicklist *ql, long index, size_t *len, char *buf);
/* Replace the entry at index. 0 ok, -1 out of range. */
int ql_replace(quicklist *ql, long index, const char *s, size_t len);
/* Delete count entries starting at index start (>= 0). Returns how many were deleted. */
size_t ql_del_range(quicklist *ql, long start, size_t count);

/* Iterate from the entry at index (negative from the tail) in direction dir.
 * ql_iter_next returns 1 and fills the value (buf of QL_BUF bytes) or 0 at the end. */
void ql_iter_init(ql_iter *it, quicklist *ql, long index, int dir);
int ql_iter_next(ql_iter *it, const char **s, size_t *len, char *buf);
/* Compare the current entry (after ql_iter_next returned 1) with bytes. */
int ql_iter_eq(const ql_iter *it, const char *s, size_t len);
/* Delete the current entry; the next ql_iter_next continues with the entry after it in
 * the iteration direction. */
void ql_iter_delete(ql_iter *it);
/* Insert next to the current entry (after: 1 towards the tail, 0 towards the head). The
 * iterator must not be used afterwards except for ql_iter_init. */
void ql_iter_insert(ql_iter *it, const char *s, size_t len, int after);

#endif
