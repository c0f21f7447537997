/* set.c -- the set type over an intset or a dict of NULL values (see set.h).
 *
 * Members handed to an intset set are parsed with the strict str_to_ll rules, so "01" or
 * "+1" force the dict encoding exactly where Redis does. Intset members are rendered back
 * to decimal text into the caller's set_member buffer.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <string.h>

#include "common/alloc.h"
#include "common/types/set.h"
#include "common/util.h"

struct set {
    int is_intset;
    intset *is;     /* when is_intset */
    dict *d;        /* otherwise */
};

static const dict_type set_dict_type = {NULL, 0};

static void member_from_ll(set_member *out, int64_t v) {
    int n = ll_to_str(out->buf, sizeof(out->buf), (long long)v);
    out->ptr = out->buf;
    out->len = (size_t)n;
}

static int member_to_ll(const char *m, size_t len, int64_t *v) {
    long long x;
    if (!str_to_ll(m, len, &x)) return 0;
    *v = (int64_t)x;
    return 1;
}

set *set_new(void) {
    set *s = kl_malloc(sizeof(*s));
    s->is_intset = 1;
    s->is = intset_new();
    s->d = NULL;
    return s;
}

void set_free(set *s) {
    if (!s) return;
    if (s->is_intset) intset_free(s->is);
    else dict_free(s->d);
    kl_free(s);
}

set *set_dup(const set *s) {
    set *copy = kl_malloc(sizeof(*copy));
    copy->is_intset = s->is_intset;
    copy->is = NULL;
    copy->d = NULL;
    if (s->is_intset) {
        copy->is = intset_dup(s->is);
        return copy;
    }
    copy->d = dict_new(&set_dict_type);
    dict_expand(copy->d, dict_size(s->d));
    dict_iter it;
    dict_entry *e;
    dict_iter_init(&it, s->d, 0);
    while ((e = dict_iter_next(&it)) != NULL) dict_add(copy->d, e->key, e->klen, NULL);
    dict_iter_release(&it);
    return copy;
}

int set_is_intset(const set *s) { return s->is_intset; }

size_t set_size(const set *s) {
    return s->is_intset ? intset_len(s->is) : dict_size(s->d);
}

size_t set_mem_usage(const set *s) {
    size_t n = sizeof(*s);
    if (s->is_intset) return n + intset_blob_len(s->is);
    return n + dict_mem_usage(s->d);
}

void set_convert_to_dict(set *s) {
    if (!s->is_intset) return;
    dict *d = dict_new(&set_dict_type);
    uint32_t len = intset_len(s->is);
    dict_expand(d, len);
    set_member m;
    int64_t v;
    for (uint32_t i = 0; intset_get(s->is, i, &v); i++) {
        member_from_ll(&m, v);
        dict_add(d, m.ptr, m.len, NULL);
    }
    intset_free(s->is);
    s->is = NULL;
    s->d = d;
    s->is_intset = 0;
}

int set_add(set *s, const char *m, size_t len, size_t max_intset) {
    if (s->is_intset) {
        int64_t v;
        if (member_to_ll(m, len, &v)) {
            int added;
            s->is = intset_add(s->is, v, &added);
            size_t n = intset_len(s->is);
            /* The uint32 length bound keeps the intset valid whatever the config says. */
            if (added && (n > max_intset || n >= UINT32_MAX - 1)) set_convert_to_dict(s);
            return added;
        }
        set_convert_to_dict(s);
    }
    return dict_add(s->d, m, len, NULL) == 0;
}

int set_remove(set *s, const char *m, size_t len) {
    if (!s->is_intset) return dict_delete(s->d, m, len) == 0;
    int64_t v;
    int removed = 0;
    if (member_to_ll(m, len, &v)) s->is = intset_remove(s->is, v, &removed);
    return removed;
}

int set_contains(const set *s, const char *m, size_t len) {
    if (!s->is_intset) return dict_find(s->d, m, len) != NULL;
    int64_t v;
    return member_to_ll(m, len, &v) && intset_find(s->is, v);
}

void set_random(set *s, set_member *out) {
    if (s->is_intset) {
        member_from_ll(out, intset_random(s->is));
        return;
    }
    dict_entry *e = dict_random_entry(s->d);
    out->ptr = e->key;
    out->len = e->klen;
}

void set_iter_init(set_iter *it, set *s) {
    it->s = s;
    it->pos = 0;
    /* Safe: lookups in the same dict (SDIFF a a) must not rehash under the iterator. */
    if (!s->is_intset) dict_iter_init(&it->di, s->d, 1);
}

int set_iter_next(set_iter *it, set_member *out) {
    if (it->s->is_intset) {
        int64_t v;
        if (!intset_get(it->s->is, it->pos, &v)) return 0;
        it->pos++;
        member_from_ll(out, v);
        return 1;
    }
    dict_entry *e = dict_iter_next(&it->di);
    if (!e) return 0;
    out->ptr = e->key;
    out->len = e->klen;
    return 1;
}

void set_iter_release(set_iter *it) {
    if (!it->s->is_intset) dict_iter_release(&it->di);
}

typedef struct scan_ctx {
    set_scan_fn *fn;
    void *priv;
} scan_ctx;

static void scan_entry(void *priv, const dict_entry *e) {
    scan_ctx *ctx = priv;
    ctx->fn(ctx->priv, e->key, e->klen);
}

unsigned long set_scan(set *s, unsigned long cursor, set_scan_fn *fn, void *priv) {
    if (!s->is_intset) {
        scan_ctx ctx = {fn, priv};
        return dict_scan(s->d, cursor, scan_entry, &ctx);
    }
    set_member m;
    int64_t v;
    for (uint32_t i = 0; intset_get(s->is, i, &v); i++) {
        member_from_ll(&m, v);
        fn(priv, m.ptr, m.len);
    }
    return 0;
}
