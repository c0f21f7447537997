/* object.c -- keyspace values: string encodings (int, embstr, raw) and per-type hooks.
 *
 * Small strings live in the same allocation as the header (embstr), so a typical cache
 * entry costs one dict entry plus one object. Types added later register free/dup/usage
 * callbacks instead of this file knowing them.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/object.h"

#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/util.h"

#define OBJ_HDR_SIZE offsetof(obj, v)
#define LRU_CLOCK_MAX ((1u << 24) - 1)

static const obj_type_ops *type_ops[8];

void obj_register_type(int type, const obj_type_ops *ops) {
    kl_assert(type >= 0 && type < 8);
    type_ops[type] = ops;
}

uint32_t obj_lru_clock(void) {
    return (uint32_t)((mstime() / 1000) & LRU_CLOCK_MAX);
}

static int lfu_mode;
static uint32_t lfu_minutes(void);
#define LFU_INIT_VAL 5

void obj_set_lfu_mode(int on) { lfu_mode = on; }
int obj_lfu_mode(void) { return lfu_mode; }

static obj *obj_alloc(size_t payload) {
    obj *o = kl_malloc(OBJ_HDR_SIZE + payload);
    o->flags = 0;
    o->lru = lfu_mode ? (lfu_minutes() << 8) | LFU_INIT_VAL : obj_lru_clock();
    return o;
}

obj *obj_new_string_ll(long long v) {
    obj *o = obj_alloc(sizeof(long long));
    o->type = OBJ_STRING;
    o->enc = OBJ_ENC_INT;
    o->v.i = v;
    return o;
}

static obj *obj_new_embstr(const void *p, size_t len) {
    obj *o = obj_alloc(sizeof(uint32_t) + len + 1);
    o->type = OBJ_STRING;
    o->enc = OBJ_ENC_EMBSTR;
    o->v.emb.len = (uint32_t)len;
    if (len) memcpy(o->v.emb.buf, p, len);
    o->v.emb.buf[len] = '\0';
    return o;
}

obj *obj_new_string_raw(const void *p, size_t len) {
    obj *o = obj_alloc(sizeof(void *));
    o->type = OBJ_STRING;
    o->enc = OBJ_ENC_RAW;
    o->v.ptr = dstr_newlen(p, len);
    return o;
}

obj *obj_new_string(const void *p, size_t len) {
    long long v;
    if (len <= 20 && str_to_ll(p, len, &v)) return obj_new_string_ll(v);
    if (len <= OBJ_EMBSTR_MAX) return obj_new_embstr(p, len);
    return obj_new_string_raw(p, len);
}

obj *obj_new_string_noint(const void *p, size_t len) {
    return len <= OBJ_EMBSTR_MAX ? obj_new_embstr(p, len) : obj_new_string_raw(p, len);
}

obj *obj_new_typed(int type, int enc, void *ptr) {
    obj *o = obj_alloc(sizeof(void *));
    o->type = (uint8_t)type;
    o->enc = (uint8_t)enc;
    o->v.ptr = ptr;
    return o;
}

void obj_free(obj *o) {
    if (!o) return;
    if (o->type == OBJ_STRING) {
        if (o->enc == OBJ_ENC_RAW) dstr_free(o->v.ptr);
    } else if (type_ops[o->type] && type_ops[o->type]->free) {
        type_ops[o->type]->free(o);
    }
    kl_free(o);
}

obj *obj_dup(const obj *o) {
    if (o->type != OBJ_STRING) {
        kl_assert(type_ops[o->type] && type_ops[o->type]->dup);
        return type_ops[o->type]->dup(o);
    }
    obj *n;
    switch (o->enc) {
    case OBJ_ENC_INT: n = obj_new_string_ll(o->v.i); break;
    case OBJ_ENC_EMBSTR: n = obj_new_embstr(o->v.emb.buf, o->v.emb.len); break;
    default: n = obj_new_string_raw(o->v.ptr, dstr_len(o->v.ptr)); break;
    }
    n->lru = o->lru;
    return n;
}

const char *obj_str(const obj *o, size_t *len, char *tmp) {
    switch (o->enc) {
    case OBJ_ENC_INT:
        *len = (size_t)ll_to_str(tmp, 24, o->v.i);
        return tmp;
    case OBJ_ENC_EMBSTR:
        *len = o->v.emb.len;
        return o->v.emb.buf;
    default:
        *len = dstr_len(o->v.ptr);
        return o->v.ptr;
    }
}

size_t obj_strlen(const obj *o) {
    char tmp[24];
    size_t len;
    obj_str(o, &len, tmp);
    return len;
}

int obj_get_ll(const obj *o, long long *out) {
    if (o->type != OBJ_STRING) return 0;
    if (o->enc == OBJ_ENC_INT) {
        *out = o->v.i;
        return 1;
    }
    char tmp[24];
    size_t len;
    const char *s = obj_str(o, &len, tmp);
    return len <= 20 && str_to_ll(s, len, out);
}

obj *obj_make_raw(obj *o) {
    if (o->enc == OBJ_ENC_RAW) return o;
    char tmp[24];
    size_t len;
    const char *s = obj_str(o, &len, tmp);
    obj *n = obj_new_string_raw(s, len);
    n->lru = o->lru;
    kl_free(o);
    return n;
}

const char *obj_type_name(int type) {
    switch (type) {
    case OBJ_STRING: return "string";
    case OBJ_LIST: return "list";
    case OBJ_SET: return "set";
    case OBJ_ZSET: return "zset";
    case OBJ_HASH: return "hash";
    case OBJ_STREAM: return "stream";
    default: return "unknown";
    }
}

const char *obj_enc_name(const obj *o) {
    switch (o->enc) {
    case OBJ_ENC_RAW: return "raw";
    case OBJ_ENC_INT: return "int";
    case OBJ_ENC_HT: return "hashtable";
    case OBJ_ENC_INTSET: return "intset";
    case OBJ_ENC_SKIPLIST: return "skiplist";
    case OBJ_ENC_EMBSTR: return "embstr";
    case OBJ_ENC_QUICKLIST: return "quicklist";
    case OBJ_ENC_LISTPACK: return "listpack";
    default: return "unknown";
    }
}

size_t obj_mem_usage(const obj *o) {
    size_t n = kl_alloc_size(o);
    if (o->type == OBJ_STRING) {
        if (o->enc == OBJ_ENC_RAW) n += dstr_alloc_size(o->v.ptr);
    } else if (type_ops[o->type] && type_ops[o->type]->usage) {
        n += type_ops[o->type]->usage(o);
    }
    return n;
}

/* ---------------------------------------------------------------- LRU / LFU
 * LRU mode keeps a 24-bit seconds clock in o->lru. LFU mode keeps, as Redis, 16 bits of
 * minutes (time of last decrement) and an 8-bit logarithmic counter starting at 5. */

static uint32_t lfu_minutes(void) {
    return (uint32_t)((mstime() / 60000) & 0xFFFF);
}

static unsigned long lfu_decr(const obj *o, long long decay_time) {
    unsigned long ldt = o->lru >> 8, counter = o->lru & 255;
    unsigned long now = lfu_minutes();
    unsigned long elapsed = now >= ldt ? now - ldt : 65535 - ldt + now;
    unsigned long periods = decay_time ? elapsed / (unsigned long)decay_time : 0;
    return periods > counter ? 0 : counter - periods;
}

void obj_touch(obj *o, int lfu, long long lfu_log_factor, long long lfu_decay_time) {
    if (!lfu) {
        o->lru = obj_lru_clock();
        return;
    }
    unsigned long counter = lfu_decr(o, lfu_decay_time);
    if (counter < 255) {
        double r = (double)rand() / RAND_MAX;
        double base = counter > LFU_INIT_VAL ? (double)(counter - LFU_INIT_VAL) : 0;
        double p = 1.0 / (base * (double)lfu_log_factor + 1);
        if (r < p) counter++;
    }
    o->lru = (lfu_minutes() << 8) | (uint32_t)counter;
}

long long obj_idle_ms(const obj *o) {
    uint32_t now = obj_lru_clock(), then = o->lru & LRU_CLOCK_MAX;
    uint32_t secs = now >= then ? now - then : LRU_CLOCK_MAX - then + now;
    return (long long)secs * 1000;
}

int obj_lfu_freq(const obj *o, long long lfu_decay_time) {
    return (int)lfu_decr(o, lfu_decay_time);
}
