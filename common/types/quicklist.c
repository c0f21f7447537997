/* quicklist.c -- lists as a doubly linked chain of bounded listpack nodes (see
 * quicklist.h for why). Nodes are split when an insert in the middle of a full node needs
 * room, and a node absorbs its successor when a deletion leaves both small enough to fit
 * in one node. Node positions inside a listpack are recomputed from entry indexes after
 * every modification, because listpack offsets do not survive an edit.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <string.h>

#include "common/alloc.h"
#include "common/types/quicklist.h"

#define ENTRY_OVERHEAD 11   /* worst-case per-entry bytes besides the value */

static const size_t fill_bytes_table[] = {4096, 8192, 16384, 32768, 65536};

static size_t fill_bytes(int fill) {
    int off = -fill - 1;
    if (off > 4) off = 4;
    return fill_bytes_table[off];
}

/* Whether a node of `count` entries and `bytes` bytes respects the fill bound. */
static int size_ok(const quicklist *ql, size_t count, size_t bytes) {
    if (ql->fill < 0) return bytes <= fill_bytes(ql->fill);
    return count <= (size_t)ql->fill && bytes <= QL_SAFETY_LIMIT;
}

static int node_allows(const quicklist *ql, const ql_node *n, size_t len) {
    if (!n) return 0;
    return size_ok(ql, n->count + 1, lp_bytes(n->lp) + len + ENTRY_OVERHEAD);
}

/* ------------------------------------------------------------------ nodes */

static ql_node *node_new(void) {
    ql_node *n = kl_calloc(1, sizeof(*n));
    n->lp = lp_new();
    return n;
}

/* Link n after `after` (NULL: at the head). */
static void node_link(quicklist *ql, ql_node *after, ql_node *n) {
    n->prev = after;
    n->next = after ? after->next : ql->head;
    if (n->next) n->next->prev = n;
    else ql->tail = n;
    if (after) after->next = n;
    else ql->head = n;
    ql->nodes++;
}

static void node_unlink_free(quicklist *ql, ql_node *n) {
    if (n->prev) n->prev->next = n->next;
    else ql->head = n->next;
    if (n->next) n->next->prev = n->prev;
    else ql->tail = n->prev;
    ql->nodes--;
    ql->count -= n->count;
    lp_free(n->lp);
    kl_free(n);
}

/* Append every entry of src to the listpack of dst. */
static void node_append_all(ql_node *dst, const ql_node *src) {
    char buf[QL_BUF];
    for (lp_pos p = lp_first(src->lp); p != -1; p = lp_next(src->lp, p)) {
        size_t len;
        const char *s = lp_get_str(src->lp, p, &len, buf);
        dst->lp = lp_append(dst->lp, s, len);
    }
    dst->count += src->count;
}

/* Let n absorb its successor when both fit in one node. Returns 1 if merged. */
static int node_try_merge_next(quicklist *ql, ql_node *n) {
    ql_node *next = n ? n->next : NULL;
    if (!next) return 0;
    if (!size_ok(ql, n->count + next->count, lp_bytes(n->lp) + lp_bytes(next->lp))) return 0;
    node_append_all(n, next);
    ql->count += next->count;   /* node_unlink_free subtracts it again */
    node_unlink_free(ql, next);
    return 1;
}

/* Split n so that it keeps its first `at` entries; the rest move to a new node after it. */
static ql_node *node_split(quicklist *ql, ql_node *n, size_t at) {
    ql_node *b = node_new();
    char buf[QL_BUF];
    for (lp_pos p = lp_seek(n->lp, (long)at); p != -1; p = lp_next(n->lp, p)) {
        size_t len;
        const char *s = lp_get_str(n->lp, p, &len, buf);
        b->lp = lp_append(b->lp, s, len);
    }
    b->count = n->count - at;
    n->lp = lp_delete_range(n->lp, (long)at, b->count);
    n->count = at;
    node_link(ql, n, b);
    return b;
}

/* Node holding index (>= 0, < count) and the index inside it. */
static ql_node *locate(const quicklist *ql, long index, size_t *local) {
    if (index < 0) index += (long)ql->count;
    if (index < 0 || (size_t)index >= ql->count) return NULL;
    size_t i = (size_t)index;
    if (i < ql->count / 2) {
        ql_node *n = ql->head;
        while (i >= n->count) {
            i -= n->count;
            n = n->next;
        }
        *local = i;
        return n;
    }
    size_t back = ql->count - 1 - i;   /* entries after index */
    ql_node *n = ql->tail;
    while (back >= n->count) {
        back -= n->count;
        n = n->prev;
    }
    *local = n->count - 1 - back;
    return n;
}

/* ------------------------------------------------------------------ list */

quicklist *ql_new(int fill) {
    quicklist *ql = kl_calloc(1, sizeof(*ql));
    ql->fill = fill;
    return ql;
}

void ql_free(quicklist *ql) {
    if (!ql) return;
    ql_node *n = ql->head;
    while (n) {
        ql_node *next = n->next;
        lp_free(n->lp);
        kl_free(n);
        n = next;
    }
    kl_free(ql);
}

quicklist *ql_dup(const quicklist *ql) {
    quicklist *d = ql_new(ql->fill);
    for (const ql_node *n = ql->head; n; n = n->next) {
        ql_node *c = kl_calloc(1, sizeof(*c));
        c->lp = lp_dup(n->lp);
        c->count = n->count;
        node_link(d, d->tail, c);
    }
    d->count = ql->count;
    return d;
}

size_t ql_bytes(const quicklist *ql) {
    size_t total = sizeof(*ql);
    for (const ql_node *n = ql->head; n; n = n->next) total += sizeof(*n) + lp_bytes(n->lp);
    return total;
}

void ql_push(quicklist *ql, int where, const char *s, size_t len) {
    ql_node *n = where == QL_HEAD ? ql->head : ql->tail;
    if (!node_allows(ql, n, len)) {
        ql_node *fresh = node_new();
        node_link(ql, where == QL_HEAD ? NULL : ql->tail, fresh);
        n = fresh;
    }
    n->lp = where == QL_HEAD ? lp_prepend(n->lp, s, len) : lp_append(n->lp, s, len);
    n->count++;
    ql->count++;
}

char *ql_pop(quicklist *ql, int where, size_t *len) {
    ql_node *n = where == QL_HEAD ? ql->head : ql->tail;
    if (!n) return NULL;
    char buf[QL_BUF];
    lp_pos p = where == QL_HEAD ? lp_first(n->lp) : lp_last(n->lp);
    const char *s = lp_get_str(n->lp, p, len, buf);
    char *copy = kl_memdup(s, *len);
    n->lp = lp_delete(n->lp, p, 1, NULL);
    n->count--;
    ql->count--;
    if (n->count == 0) node_unlink_free(ql, n);
    return copy;
}

const char *ql_index(quicklist *ql, long index, size_t *len, char *buf) {
    size_t local;
    ql_node *n = locate(ql, index, &local);
    if (!n) return NULL;
    return lp_get_str(n->lp, lp_seek(n->lp, (long)local), len, buf);
}

/* Insert s before (after == 0) or after entry `local` of node n. */
static void insert_at(quicklist *ql, ql_node *n, size_t local, const char *s, size_t len,
                      int after) {
    size_t at = after ? local + 1 : local;   /* index the new entry gets inside n */
    if (node_allows(ql, n, len)) {
        lp_pos p = at < n->count ? lp_seek(n->lp, (long)at) : -1;
        n->lp = lp_insert(n->lp, p, s, len, NULL);
        n->count++;
        ql->count++;
        return;
    }
    ql_node *target;
    if (at == n->count && node_allows(ql, n->next, len)) {
        target = n->next;
        target->lp = lp_prepend(target->lp, s, len);
    } else if (at == 0 && node_allows(ql, n->prev, len)) {
        target = n->prev;
        target->lp = lp_append(target->lp, s, len);
    } else {
        /* Full node: cut it at the insertion point, the new entry gets a node of its own
         * between the halves unless one half has room. */
        ql_node *prev = at == 0 ? n->prev : n;
        if (at > 0 && at < n->count) node_split(ql, n, at);
        if (at > 0 && node_allows(ql, prev, len)) {
            target = prev;
            target->lp = lp_append(target->lp, s, len);
        } else {
            target = node_new();
            node_link(ql, prev, target);
            target->lp = lp_append(target->lp, s, len);
        }
    }
    target->count++;
    ql->count++;
}

int ql_replace(quicklist *ql, long index, const char *s, size_t len) {
    size_t local;
    ql_node *n = locate(ql, index, &local);
    if (!n) return -1;
    lp_pos p = lp_seek(n->lp, (long)local);
    size_t oldlen;
    char buf[QL_BUF];
    lp_get_str(n->lp, p, &oldlen, buf);
    if (n->count == 1 || size_ok(ql, n->count, lp_bytes(n->lp) - oldlen + len)) {
        n->lp = lp_replace(n->lp, p, s, len, NULL);
        return 0;
    }
    /* The new value does not fit in this node: delete and insert where it was. */
    n->lp = lp_delete(n->lp, p, 1, NULL);
    n->count--;
    ql->count--;
    if (local < n->count) insert_at(ql, n, local, s, len, 0);
    else insert_at(ql, n, n->count - 1, s, len, 1);
    return 0;
}

size_t ql_del_range(quicklist *ql, long start, size_t count) {
    size_t local, deleted = 0;
    ql_node *n = locate(ql, start, &local);
    ql_node *before = NULL;
    while (n && deleted < count) {
        size_t take = n->count - local;
        if (take > count - deleted) take = count - deleted;
        ql_node *next = n->next;
        if (take == n->count) {
            node_unlink_free(ql, n);
        } else {
            n->lp = lp_delete_range(n->lp, (long)local, take);
            n->count -= take;
            ql->count -= take;
            before = n;
        }
        deleted += take;
        local = 0;
        n = next;
    }
    if (before) node_try_merge_next(ql, before);
    else if (n && n->prev) node_try_merge_next(ql, n->prev);
    return deleted;
}

/* ------------------------------------------------------------------ iteration */

void ql_iter_init(ql_iter *it, quicklist *ql, long index, int dir) {
    size_t local = 0;
    it->ql = ql;
    it->dir = dir;
    it->started = 0;
    it->node = locate(ql, index, &local);
    it->idx = local;
    it->pos = it->node ? lp_seek(it->node->lp, (long)local) : -1;
}

/* Position the iterator on entry idx of n (moving to a neighbour when idx is past n). */
static void iter_place(ql_iter *it, ql_node *n, long idx) {
    if (n && idx >= (long)n->count) {
        n = n->next;
        idx = 0;
    } else if (n && idx < 0) {
        n = n->prev;
        idx = n ? (long)n->count - 1 : 0;
    }
    it->node = n;
    it->idx = (size_t)idx;
    it->pos = n ? lp_seek(n->lp, idx) : -1;
}

int ql_iter_next(ql_iter *it, const char **s, size_t *len, char *buf) {
    if (!it->node) return 0;
    if (it->started) {
        if (it->dir == QL_TAIL) iter_place(it, it->node, (long)it->idx + 1);
        else iter_place(it, it->node, (long)it->idx - 1);
        if (!it->node) return 0;
    }
    it->started = 1;
    *s = lp_get_str(it->node->lp, it->pos, len, buf);
    return 1;
}

int ql_iter_eq(const ql_iter *it, const char *s, size_t len) {
    return lp_eq(it->node->lp, it->pos, s, len);
}

void ql_iter_delete(ql_iter *it) {
    quicklist *ql = it->ql;
    ql_node *n = it->node;
    n->lp = lp_delete(n->lp, it->pos, 1, NULL);
    n->count--;
    ql->count--;
    it->started = 0;   /* the next call returns the entry we are placed on */
    if (n->count == 0) {
        ql_node *neighbour = it->dir == QL_TAIL ? n->next : n->prev;
        node_unlink_free(ql, n);
        if (neighbour) iter_place(it, neighbour, it->dir == QL_TAIL ? 0 : (long)neighbour->count - 1);
        else iter_place(it, NULL, 0);
        return;
    }
    long idx = (long)it->idx;
    ql_node *prev = n->prev;
    size_t prev_count = prev ? prev->count : 0;
    if (prev && node_try_merge_next(ql, prev)) {   /* prev absorbed n: re-base the index */
        idx += (long)prev_count;
        n = prev;
    }
    node_try_merge_next(ql, n);
    iter_place(it, n, it->dir == QL_TAIL ? idx : idx - 1);
}

void ql_iter_insert(ql_iter *it, const char *s, size_t len, int after) {
    insert_at(it->ql, it->node, it->idx, s, len, after);
    it->node = NULL;
    it->pos = -1;
}
