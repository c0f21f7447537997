/* hash.h -- the hash value type: field -> value maps stored in an obj (OBJ_HASH).
 *
 * Two encodings, as Redis 7.0: OBJ_ENC_LISTPACK (a listpack of field,value,field,value...
 * while the hash has at most max_entries fields and no field or value longer than
 * max_value bytes) and OBJ_ENC_HT (a dict: field -> dstr value) beyond. Conversion happens
 * only from listpack to table, never back. The thresholds are passed in by the caller
 * (server.cfg.hash_max_listpack_*), so this module knows nothing of the server.
 * Returned field/value pointers borrow from the hash (or from a caller buffer for integers
 * stored in the listpack) and stay valid until the hash is modified.
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_HASH_H
#define KEEL_HASH_H

#include <stddef.h>

#include "common/dict.h"
#include "common/object.h"
#include "common/types/listpack.h"

#define HASH_NUMBUF 24   /* room for a formatted long long */

/* A new empty listpack-encoded hash object. Free with obj_free once the type ops are
 * registered (hash_register_ops; server/t_hash.c does it at start-up). */
obj *hash_new(void);
/* Type ops (obj_type_ops): free the payload (obj_free frees the object itself), deep copy,
 * and payload bytes for MEMORY USAGE. */
void hash_free_payload(obj *o);
obj *hash_dup(const obj *o);
size_t hash_mem_usage(const obj *o);
/* obj_register_type(OBJ_HASH, ...) with the three functions above. */
void hash_register_ops(void);

size_t hash_len(const obj *o);
/* Looks up field. Returns 1 and sets *v and *vlen (integers are formatted into buf of at least
 * HASH_NUMBUF bytes), or 0 when the field is missing. */
int hash_get(const obj *o, const char *f, size_t flen, const char **v, size_t *vlen,
             char *buf);
int hash_exists(const obj *o, const char *f, size_t flen);
/* Sets field to value (both copied). Converts to a table first when flen or vlen exceed
 * max_value, and after the insert when the hash has more than max_entries fields.
 * Returns 1 if the field was added, 0 if an existing value was replaced. */
int hash_set(obj *o, const char *f, size_t flen, const char *v, size_t vlen,
             size_t max_entries, size_t max_value);
/* Removes field; 1 if it was there. The caller deletes the key when hash_len becomes 0. */
int hash_delete(obj *o, const char *f, size_t flen);
/* Converts a listpack hash to the table encoding (no-op if already a table). */
void hash_convert(obj *o);

/* Iteration over field/value pairs in storage order; the hash must not change meanwhile. */
typedef struct hash_iter {
    /* private */
    const obj *o;
    lp_pos p;
    dict_iter di;
    char fbuf[HASH_NUMBUF], vbuf[HASH_NUMBUF];
} hash_iter;
void hash_iter_init(hash_iter *it, const obj *o);
/* 1 and the next pair (pointers valid until the next call), 0 at the end. */
int hash_iter_next(hash_iter *it, const char **f, size_t *flen, const char **v,
                   size_t *vlen);
void hash_iter_release(hash_iter *it);

/* Random sampling for HRANDFIELD. fn receives each picked pair. */
typedef void hash_pick_fn(void *priv, const char *f, size_t flen, const char *v,
                          size_t vlen);
/* count picks with repetition (count may exceed the size); hash must not be empty. */
void hash_random_repeat(const obj *o, size_t count, hash_pick_fn *fn, void *priv);
/* count distinct fields, count < hash_len; order is random. */
void hash_random_unique(const obj *o, size_t count, hash_pick_fn *fn, void *priv);

/* One step of HSCAN over a table-encoded hash (dict_scan cursor): reports the pairs of the
 * visited buckets, visiting buckets until at least count pairs or 10*count buckets.
 * Returns the next cursor (0 when done). */
unsigned long hash_scan(const obj *o, unsigned long cursor, size_t count, hash_pick_fn *fn,
                        void *priv);

#endif
