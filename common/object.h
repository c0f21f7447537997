/* object.h -- values stored in the keyspace.
 *
 * An obj is an 8-byte header (type, encoding, LRU/LFU clock) followed by the payload:
 *   OBJ_ENC_INT    : a long long (strings that are canonical integers, like Redis "int")
 *   OBJ_ENC_EMBSTR : uint32 length + bytes + NUL in the same allocation (<= 44 bytes)
 *   OBJ_ENC_RAW    : a dstr pointer (longer strings, or strings edited in place)
 *   other types    : a pointer to the type's structure (issue #5).
 * One allocation for small strings keeps memory per key below Redis's. Objects are owned
 * by exactly one place (the keyspace); there is no reference count.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_OBJECT_H
#define KEEL_OBJECT_H

#include <stddef.h>
#include <stdint.h>
#include "common/dstr.h"

enum { OBJ_STRING = 0, OBJ_LIST = 1, OBJ_SET = 2, OBJ_ZSET = 3, OBJ_HASH = 4, OBJ_STREAM = 6 };

enum {
    OBJ_ENC_RAW = 0, OBJ_ENC_INT = 1, OBJ_ENC_HT = 2, OBJ_ENC_INTSET = 6,
    OBJ_ENC_SKIPLIST = 7, OBJ_ENC_EMBSTR = 8, OBJ_ENC_QUICKLIST = 9, OBJ_ENC_LISTPACK = 11,
};

#define OBJ_EMBSTR_MAX 44

typedef struct obj {
    uint8_t type;
    uint8_t enc;
    uint16_t flags;
    uint32_t lru;        /* LRU: seconds clock; LFU: (minutes << 8) | counter */
    union {
        long long i;
        void *ptr;
        struct {
            uint32_t len;
            char buf[];
        } emb;
    } v;
} obj;

/* Creates a string object choosing the encoding as Redis's createStringObject +
 * tryObjectEncoding does for SET: canonical integers (<= 20 chars) -> INT, <= 44 bytes ->
 * EMBSTR, else RAW. */
obj *obj_new_string(const void *p, size_t len);
obj *obj_new_string_ll(long long v);      /* INT encoding */
/* EMBSTR up to 44 bytes, RAW above, never INT (INCRBYFLOAT results, like Redis). */
obj *obj_new_string_noint(const void *p, size_t len);
obj *obj_new_string_raw(const void *p, size_t len);  /* always RAW (APPEND/SETRANGE) */
obj *obj_new_typed(int type, int enc, void *ptr);    /* other types */
void obj_free(obj *o);
/* Deep copy (COPY command). */
obj *obj_dup(const obj *o);

/* Bytes of a string object. For INT, formats into tmp (>= 24 bytes) and returns tmp. */
const char *obj_str(const obj *o, size_t *len, char *tmp);
size_t obj_strlen(const obj *o);
/* If the string is a canonical integer, *out = value, return 1. */
int obj_get_ll(const obj *o, long long *out);
/* Make a string object RAW so its dstr can be edited: returns the (possibly new) object;
 * the caller must store it back (the old pointer is freed when it changed). */
obj *obj_make_raw(obj *o);
static inline dstr obj_raw_dstr(obj *o) { return (dstr)o->v.ptr; }
static inline void obj_set_raw_dstr(obj *o, dstr s) { o->v.ptr = s; }

const char *obj_type_name(int type);       /* "string", "list", ... */
const char *obj_enc_name(const obj *o);    /* "int", "embstr", "raw", ... */
size_t obj_mem_usage(const obj *o);        /* allocation bytes, approximate */

/* Hooks for types added later: free/dup/usage by type. */
typedef struct obj_type_ops {
    void (*free)(obj *o);
    obj *(*dup)(const obj *o);
    size_t (*usage)(const obj *o);
} obj_type_ops;
void obj_register_type(int type, const obj_type_ops *ops);

/* LRU/LFU clock helpers. In LFU mode new objects start with Redis's initial counter (5). */
void obj_set_lfu_mode(int on);
int obj_lfu_mode(void);
uint32_t obj_lru_clock(void);               /* seconds, 24 bits like Redis */
void obj_touch(obj *o, int lfu, long long lfu_log_factor, long long lfu_decay_time);
long long obj_idle_ms(const obj *o);
int obj_lfu_freq(const obj *o, long long lfu_decay_time);

#endif
