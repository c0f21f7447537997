/* hash.c -- the hash value type over two encodings: a listpack of field,value pairs for
 * small hashes and a dict (field embedded in the entry, value a dstr) for big ones.
 *
 * Why two: 100,000 hashes of ten small fields would cost ~20 allocations each as a table;
 * as a listpack each is one allocation of a few bytes per field. Lookups in the listpack
 * are linear, which is why it is bounded by hash-max-listpack-entries/-value (Redis 7.0
 * rules: convert when a field or value is longer than the value limit or the field count
 * exceeds the entry limit; never convert back). Commands live in server/t_hash.c.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/types/hash.h"

#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/dstr.h"
#include "common/log.h"
#include "common/util.h"

/* A listpack never grows past 1 GiB whatever the configured limits (Redis lpSafeToAdd),
 * far below the listpack's 4 GiB format limit. */
#define HASH_LP_SAFE_BYTES (1UL << 30)

static void hash__val_free(void *v) { dstr_free(v); }

static const dict_type hash_dict_type = {.val_free = hash__val_free, .nocase = 0};

static int is_lp(const obj *o) { return o->enc == OBJ_ENC_LISTPACK; }
static listpack *lp_of(const obj *o) { return (listpack *)o->v.ptr; }
static dict *dict_of(const obj *o) { return (dict *)o->v.ptr; }

/* ---------------------------------------------------------------- lifetime */

obj *hash_new(void) { return obj_new_typed(OBJ_HASH, OBJ_ENC_LISTPACK, lp_new()); }

void hash_free_payload(obj *o) {
    if (is_lp(o)) lp_free(lp_of(o));
    else dict_free(dict_of(o));
    o->v.ptr = NULL;
}

obj *hash_dup(const obj *o) {
    if (is_lp(o)) return obj_new_typed(OBJ_HASH, OBJ_ENC_LISTPACK, lp_dup(lp_of(o)));
    dict *src = dict_of(o);
    dict *d = dict_new(&hash_dict_type);
    dict_expand(d, dict_size(src));
    dict_iter it;
    dict_iter_init(&it, src, 0);
    dict_entry *e;
    while ((e = dict_iter_next(&it)) != NULL) {
        dstr v = e->v.val;
        dict_add(d, e->key, e->klen, dstr_newlen(v, dstr_len(v)));
    }
    dict_iter_release(&it);
    return obj_new_typed(OBJ_HASH, OBJ_ENC_HT, d);
}

size_t hash_mem_usage(const obj *o) {
    if (is_lp(o)) return kl_alloc_size(lp_of(o));
    size_t n = dict_mem_usage(dict_of(o));
    dict_iter it;
    dict_iter_init(&it, dict_of(o), 0);
    dict_entry *e;
    while ((e = dict_iter_next(&it)) != NULL) n += dstr_alloc_size(e->v.val);
    dict_iter_release(&it);
    return n;
}

void hash_register_ops(void) {
    static const obj_type_ops ops = {
        .free = hash_free_payload, .dup = hash_dup, .usage = hash_mem_usage};
    obj_register_type(OBJ_HASH, &ops);
}

/* ---------------------------------------------------------------- access */

size_t hash_len(const obj *o) {
    return is_lp(o) ? lp_count(lp_of(o)) / 2 : dict_size(dict_of(o));
}

/* Position of field's entry in a listpack hash, -1 if missing. */
static lp_pos lp_field(const listpack *lp, const char *f, size_t flen) {
    return lp_find(lp, lp_first(lp), f, flen, 1);
}

int hash_get(const obj *o, const char *f, size_t flen, const char **v, size_t *vlen,
             char *buf) {
    if (is_lp(o)) {
        const listpack *lp = lp_of(o);
        lp_pos p = lp_field(lp, f, flen);
        if (p < 0) return 0;
        *v = lp_get_str(lp, lp_next(lp, p), vlen, buf);
        return 1;
    }
    dict_entry *e = dict_find(dict_of(o), f, flen);
    if (!e) return 0;
    *v = e->v.val;
    *vlen = dstr_len(e->v.val);
    return 1;
}

int hash_exists(const obj *o, const char *f, size_t flen) {
    if (is_lp(o)) return lp_field(lp_of(o), f, flen) >= 0;
    return dict_find(dict_of(o), f, flen) != NULL;
}

void hash_convert(obj *o) {
    if (!is_lp(o)) return;
    listpack *lp = lp_of(o);
    dict *d = dict_new(&hash_dict_type);
    dict_expand(d, lp_count(lp) / 2);
    char fb[HASH_NUMBUF], vb[HASH_NUMBUF];
    for (lp_pos p = lp_first(lp); p >= 0; p = lp_next(lp, lp_next(lp, p))) {
        size_t flen, vlen;
        const char *f = lp_get_str(lp, p, &flen, fb);
        const char *v = lp_get_str(lp, lp_next(lp, p), &vlen, vb);
        /* A listpack from a trusted source has unique fields. */
        kl_assert(dict_add(d, f, flen, dstr_newlen(v, vlen)) == 0);
    }
    lp_free(lp);
    o->v.ptr = d;
    o->enc = OBJ_ENC_HT;
}

int hash_set(obj *o, const char *f, size_t flen, const char *v, size_t vlen,
             size_t max_entries, size_t max_value) {
    if (is_lp(o) && (flen > max_value || vlen > max_value ||
                     lp_bytes(lp_of(o)) + flen + vlen > HASH_LP_SAFE_BYTES)) {
        hash_convert(o);
    }
    if (is_lp(o)) {
        listpack *lp = lp_of(o);
        lp_pos p = lp_field(lp, f, flen);
        if (p >= 0) {
            o->v.ptr = lp_replace(lp, lp_next(lp, p), v, vlen, NULL);
            return 0;
        }
        lp = lp_append(lp, f, flen);
        o->v.ptr = lp_append(lp, v, vlen);
        if (hash_len(o) > max_entries) hash_convert(o);
        return 1;
    }
    return dict_replace(dict_of(o), f, flen, dstr_newlen(v, vlen));
}

int hash_delete(obj *o, const char *f, size_t flen) {
    if (is_lp(o)) {
        listpack *lp = lp_of(o);
        lp_pos p = lp_field(lp, f, flen);
        if (p < 0) return 0;
        o->v.ptr = lp_delete(lp, p, 2, NULL);
        return 1;
    }
    if (dict_delete(dict_of(o), f, flen) != 0) return 0;
    dict_shrink_if_needed(dict_of(o));
    return 1;
}

/* ---------------------------------------------------------------- iteration */

void hash_iter_init(hash_iter *it, const obj *o) {
    it->o = o;
    it->p = -2;
    if (!is_lp(o)) dict_iter_init(&it->di, dict_of(o), 0);
}

int hash_iter_next(hash_iter *it, const char **f, size_t *flen, const char **v,
                   size_t *vlen) {
    if (is_lp(it->o)) {
        const listpack *lp = lp_of(it->o);
        it->p = it->p == -2 ? lp_first(lp) : lp_next(lp, lp_next(lp, it->p));
        if (it->p < 0) return 0;
        *f = lp_get_str(lp, it->p, flen, it->fbuf);
        *v = lp_get_str(lp, lp_next(lp, it->p), vlen, it->vbuf);
        return 1;
    }
    dict_entry *e = dict_iter_next(&it->di);
    if (!e) return 0;
    *f = e->key;
    *flen = e->klen;
    *v = e->v.val;
    *vlen = dstr_len(e->v.val);
    return 1;
}

void hash_iter_release(hash_iter *it) {
    if (!is_lp(it->o)) dict_iter_release(&it->di);
}

/* ---------------------------------------------------------------- random sampling */

static size_t rand_below(size_t n) {
    uint64_t r = ((uint64_t)random() << 31) ^ (uint64_t)random();
    return (size_t)(r % n);
}

/* Positions of the fields of a listpack hash (kl_free the result). */
static lp_pos *lp_field_positions(const listpack *lp, size_t *n) {
    *n = lp_count(lp) / 2;
    lp_pos *v = kl_malloc((*n ? *n : 1) * sizeof(*v));
    size_t i = 0;
    for (lp_pos p = lp_first(lp); p >= 0; p = lp_next(lp, lp_next(lp, p))) v[i++] = p;
    return v;
}

static void lp_emit(const listpack *lp, lp_pos p, hash_pick_fn *fn, void *priv) {
    char fb[HASH_NUMBUF], vb[HASH_NUMBUF];
    size_t flen, vlen;
    const char *f = lp_get_str(lp, p, &flen, fb);
    const char *v = lp_get_str(lp, lp_next(lp, p), &vlen, vb);
    fn(priv, f, flen, v, vlen);
}

static void de_emit(const dict_entry *e, hash_pick_fn *fn, void *priv) {
    fn(priv, e->key, e->klen, e->v.val, dstr_len(e->v.val));
}

void hash_random_repeat(const obj *o, size_t count, hash_pick_fn *fn, void *priv) {
    if (is_lp(o)) {
        size_t n;
        lp_pos *pos = lp_field_positions(lp_of(o), &n);
        kl_assert(n > 0);
        for (size_t i = 0; i < count; i++) lp_emit(lp_of(o), pos[rand_below(n)], fn, priv);
        kl_free(pos);
        return;
    }
    for (size_t i = 0; i < count; i++) de_emit(dict_random_entry(dict_of(o)), fn, priv);
}

/* Partial Fisher-Yates: the first count slots of v become a uniform random selection. */
static void shuffle_prefix(void **v, size_t n, size_t count) {
    for (size_t i = 0; i < count; i++) {
        size_t j = i + rand_below(n - i);
        void *t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

/* Small samples of a big table: random entries, skipping fields already picked (tracked
 * in a temporary dict); cheaper than listing the whole table. */
static void dict_random_sparse(dict *d, size_t count, hash_pick_fn *fn, void *priv) {
    dict *seen = dict_new(NULL);
    while (dict_size(seen) < count) {
        dict_entry *e = dict_random_entry(d);
        if (dict_add(seen, e->key, e->klen, NULL) == 0) de_emit(e, fn, priv);
    }
    dict_free(seen);
}

void hash_random_unique(const obj *o, size_t count, hash_pick_fn *fn, void *priv) {
    size_t n = hash_len(o);
    kl_assert(count < n);
    if (is_lp(o)) {
        lp_pos *pos = lp_field_positions(lp_of(o), &n);
        for (size_t i = 0; i < count; i++) {
            size_t j = i + rand_below(n - i);
            lp_pos t = pos[i];
            pos[i] = pos[j];
            pos[j] = t;
            lp_emit(lp_of(o), pos[i], fn, priv);
        }
        kl_free(pos);
        return;
    }
    if (count * 3 <= n) {
        dict_random_sparse(dict_of(o), count, fn, priv);
        return;
    }
    void **v = kl_malloc(n * sizeof(*v));
    size_t i = 0;
    dict_iter it;
    dict_iter_init(&it, dict_of(o), 0);
    dict_entry *e;
    while ((e = dict_iter_next(&it)) != NULL) v[i++] = e;
    dict_iter_release(&it);
    shuffle_prefix(v, n, count);
    for (i = 0; i < count; i++) de_emit(v[i], fn, priv);
    kl_free(v);
}

/* ---------------------------------------------------------------- scan */

typedef struct scan_ctx {
    hash_pick_fn *fn;
    void *priv;
    size_t n;
} scan_ctx;

static void hash__scan_cb(void *priv, const dict_entry *e) {
    scan_ctx *s = priv;
    de_emit(e, s->fn, s->priv);
    s->n++;
}

unsigned long hash_scan(const obj *o, unsigned long cursor, size_t count, hash_pick_fn *fn,
                        void *priv) {
    kl_assert(!is_lp(o));
    scan_ctx s = {fn, priv, 0};
    size_t budget = count > SIZE_MAX / 10 ? SIZE_MAX : count * 10;
    do {
        cursor = dict_scan(dict_of(o), cursor, hash__scan_cb, &s);
    } while (cursor && budget-- && s.n < count);
    return cursor;
}
