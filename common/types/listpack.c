/* listpack.c -- compact sequence of strings and integers in a single allocation.
 *
 * Why: a small hash, list or sorted set stored as separate heap objects costs a malloc
 * header and pointers per element; packing them into one buffer with 1-byte headers and
 * 1-byte back-lengths keeps a 10-field hash at a few dozen bytes over its payload.
 * Layout: [u32 total bytes][u32 count] then entries. Each entry is an encoding byte (plus
 * length/integer bytes), the string bytes, then "backlen": the size of encoding+data
 * written in 7-bit groups readable from its last byte, which lets lp_prev step backwards.
 * Canonical integer strings (str_to_ll) are stored as integers, like Redis, so an entry's
 * kind follows from its text and lp_find can skip entries of the other kind.
 * Positions are byte offsets; every modification may move the buffer (callers store it).
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/types/listpack.h"

#include <string.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/util.h"

#define LP_HDR 8
#define LP_MAX_TOTAL 0xFFFFFFFFu

/* Encoding byte ranges. */
#define LP_UINT7_MASK 0x80   /* 0xxxxxxx: 0..127 */
#define LP_STR6 0x80         /* 10llllll: string up to 63 bytes */
#define LP_INT13 0xC0        /* 110xxxxx xxxxxxxx: -4096..4095 */
#define LP_STR12 0xE0        /* 1110llll llllllll: string up to 4095 bytes */
#define LP_STR32 0xF0        /* then u32 length */
#define LP_INT16 0xF1
#define LP_INT24 0xF2
#define LP_INT32 0xF3
#define LP_INT64 0xF4

/* ---------------------------------------------------------------- helpers */

static uint32_t rd_u32(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void wr_u32(unsigned char *p, uint32_t v) {
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t lp__total(const listpack *lp) { return rd_u32(lp); }
static void lp__set_total(listpack *lp, size_t v) { wr_u32(lp, (uint32_t)v); }
static void lp__set_count(listpack *lp, size_t v) { wr_u32(lp + 4, (uint32_t)v); }

static size_t lp__backlen_size(size_t v) {
    if (v < 128) return 1;
    if (v < 16384) return 2;
    if (v < 2097152) return 3;
    if (v < 268435456) return 4;
    return 5;
}

/* Writes v in n 7-bit groups: the last byte holds the lowest bits; every byte but the
 * first has the 0x80 flag meaning "more bytes to the left". */
static void lp__backlen_write(unsigned char *dst, size_t v) {
    size_t n = lp__backlen_size(v);
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)(v & 127);
        v >>= 7;
        if (i < n - 1) b |= 128;
        dst[n - 1 - i] = b;
    }
}

/* Reads the back-length ending at last (inclusive), looking at most avail bytes back.
 * Returns the value and sets *nbytes; 0 bytes means malformed. */
static size_t lp__backlen_read(const unsigned char *last, size_t avail, size_t *nbytes) {
    size_t v = 0;
    unsigned shift = 0;
    for (size_t i = 0; i < 5 && i < avail; i++) {
        unsigned char b = *(last - i);
        v |= (size_t)(b & 127) << shift;
        if (!(b & 128)) {
            *nbytes = i + 1;
            return v;
        }
        shift += 7;
    }
    *nbytes = 0;
    return 0;
}

/* Bytes of the encoding header alone (what must be readable to know the entry size). */
static size_t lp__hdr_size(unsigned char b) {
    if (b < 0xC0) return 1;
    if (b < 0xF0) return 2;
    switch (b) {
    case LP_STR32: return 5;
    case LP_INT16: case LP_INT24: case LP_INT32: case LP_INT64: return 1;
    default: return 0;
    }
}

/* Size of encoding + data (without backlen); 0 for an invalid encoding byte. */
static size_t lp__elen(const unsigned char *e) {
    unsigned char b = e[0];
    if (b < 0x80) return 1;
    if (b < 0xC0) return 1 + (size_t)(b & 0x3F);
    if (b < 0xE0) return 2;
    if (b < 0xF0) return 2 + ((size_t)(b & 0x0F) << 8 | e[1]);
    switch (b) {
    case LP_STR32: return 5 + (size_t)rd_u32(e + 1);
    case LP_INT16: return 3;
    case LP_INT24: return 4;
    case LP_INT32: return 5;
    case LP_INT64: return 9;
    default: return 0;
    }
}

static size_t lp__entry_size(const listpack *lp, lp_pos p) {
    size_t elen = lp__elen(lp + p);
    kl_assert(elen != 0);
    return elen + lp__backlen_size(elen);
}

static long long lp__sign_extend(uint64_t u, unsigned bits) {
    uint64_t m = 1ULL << (bits - 1);
    u &= (bits == 64) ? ~0ULL : ((1ULL << bits) - 1);
    return (long long)((u ^ m) - m);
}

static uint64_t lp__rd_le(const unsigned char *p, unsigned n) {
    uint64_t u = 0;
    for (unsigned i = 0; i < n; i++) u |= (uint64_t)p[i] << (8 * i);
    return u;
}

static void lp__decode(const unsigned char *e, lp_entry *out) {
    unsigned char b = e[0];
    out->sval = NULL;
    out->slen = 0;
    out->ival = 0;
    if (b < 0x80) {
        out->ival = b;
    } else if (b < 0xC0) {
        out->sval = e + 1;
        out->slen = b & 0x3F;
    } else if (b < 0xE0) {
        out->ival = lp__sign_extend((uint64_t)(b & 0x1F) << 8 | e[1], 13);
    } else if (b < 0xF0) {
        out->sval = e + 2;
        out->slen = (uint32_t)((b & 0x0F) << 8 | e[1]);
    } else if (b == LP_STR32) {
        out->sval = e + 5;
        out->slen = rd_u32(e + 1);
    } else {
        unsigned n = b == LP_INT16 ? 2 : b == LP_INT24 ? 3 : b == LP_INT32 ? 4 : 8;
        out->ival = lp__sign_extend(lp__rd_le(e + 1, n), n * 8);
    }
}

/* ---------------------------------------------------------------- encoding a new entry */

typedef struct lp_enc {
    unsigned char hdr[9];
    size_t hlen;           /* header bytes (for integers: the whole value) */
    const char *data;      /* string bytes, NULL for integers */
    size_t dlen;
    size_t elen;           /* hlen + dlen */
    size_t total;          /* elen + backlen */
} lp_enc;

static void lp__finish(lp_enc *en) {
    en->elen = en->hlen + en->dlen;
    en->total = en->elen + lp__backlen_size(en->elen);
}

static void lp__prepare_int(lp_enc *en, long long v) {
    en->data = NULL;
    en->dlen = 0;
    if (v >= 0 && v <= 127) {
        en->hdr[0] = (unsigned char)v;
        en->hlen = 1;
    } else if (v >= -4096 && v <= 4095) {
        uint64_t u = (uint64_t)v & 0x1FFF;
        en->hdr[0] = (unsigned char)(LP_INT13 | (u >> 8));
        en->hdr[1] = (unsigned char)(u & 0xFF);
        en->hlen = 2;
    } else {
        unsigned n = (v >= -32768 && v <= 32767) ? 2
                   : (v >= -8388608 && v <= 8388607) ? 3
                   : (v >= -2147483648LL && v <= 2147483647LL) ? 4 : 8;
        en->hdr[0] = n == 2 ? LP_INT16 : n == 3 ? LP_INT24 : n == 4 ? LP_INT32 : LP_INT64;
        uint64_t u = (uint64_t)v;
        for (unsigned i = 0; i < n; i++) en->hdr[1 + i] = (unsigned char)(u >> (8 * i));
        en->hlen = 1 + n;
    }
    lp__finish(en);
}

static void lp__prepare_str(lp_enc *en, const char *s, size_t len) {
    long long v;
    if (len <= 20 && len > 0 && str_to_ll(s, len, &v)) {
        lp__prepare_int(en, v);
        return;
    }
    kl_assert(len <= LP_MAX_TOTAL - 16);
    if (len < 64) {
        en->hdr[0] = (unsigned char)(LP_STR6 | len);
        en->hlen = 1;
    } else if (len < 4096) {
        en->hdr[0] = (unsigned char)(LP_STR12 | (len >> 8));
        en->hdr[1] = (unsigned char)(len & 0xFF);
        en->hlen = 2;
    } else {
        en->hdr[0] = LP_STR32;
        wr_u32(en->hdr + 1, (uint32_t)len);
        en->hlen = 5;
    }
    en->data = s;
    en->dlen = len;
    lp__finish(en);
}

static void lp__write(unsigned char *dst, const lp_enc *en) {
    memcpy(dst, en->hdr, en->hlen);
    if (en->dlen) memcpy(dst + en->hlen, en->data, en->dlen);
    lp__backlen_write(dst + en->elen, en->elen);
}

/* Replaces oldsz bytes at off by a gap of newsz bytes (contents undefined). The caller
 * fills the gap and fixes the count. The source string may live inside lp (e.g. a value
 * copied from another entry), so callers copy such data before splicing. */
static listpack *lp__splice(listpack *lp, size_t off, size_t oldsz, size_t newsz) {
    size_t total = lp__total(lp);
    kl_assert(off + oldsz <= total);
    kl_assert(total - oldsz <= LP_MAX_TOTAL - newsz);
    size_t newtotal = total - oldsz + newsz;
    size_t tail = total - off - oldsz;
    if (newsz > oldsz) lp = kl_realloc(lp, newtotal);
    memmove(lp + off + newsz, lp + off + oldsz, tail);
    if (newsz < oldsz) lp = kl_realloc(lp, newtotal);
    lp__set_total(lp, newtotal);
    return lp;
}

/* Inserts or replaces (oldsz > 0) at off with the prepared entry. Data pointing into lp
 * is copied first because the splice moves bytes. */
static listpack *lp__put(listpack *lp, size_t off, size_t oldsz, lp_enc *en) {
    char *copy = NULL;
    uintptr_t d = (uintptr_t)en->data, b = (uintptr_t)lp;
    if (en->dlen && d >= b && d < b + lp__total(lp)) {
        copy = kl_malloc(en->dlen);
        memcpy(copy, en->data, en->dlen);
        en->data = copy;
    }
    lp = lp__splice(lp, off, oldsz, en->total);
    lp__write(lp + off, en);
    kl_free(copy);
    return lp;
}

/* ---------------------------------------------------------------- public API */

listpack *lp_new(void) {
    listpack *lp = kl_malloc(LP_HDR);
    lp__set_total(lp, LP_HDR);
    lp__set_count(lp, 0);
    return lp;
}

void lp_free(listpack *lp) { kl_free(lp); }

listpack *lp_dup(const listpack *lp) {
    size_t n = lp__total(lp);
    listpack *d = kl_malloc(n);
    memcpy(d, lp, n);
    return d;
}

size_t lp_count(const listpack *lp) { return rd_u32(lp + 4); }
size_t lp_bytes(const listpack *lp) { return lp__total(lp); }

lp_pos lp_first(const listpack *lp) { return lp__total(lp) > LP_HDR ? LP_HDR : -1; }

static lp_pos lp__prev_of(const listpack *lp, size_t off) {
    if (off <= LP_HDR) return -1;
    size_t nb;
    size_t elen = lp__backlen_read(lp + off - 1, off - LP_HDR, &nb);
    kl_assert(nb != 0 && off >= LP_HDR + nb + elen);
    return (lp_pos)(off - nb - elen);
}

lp_pos lp_last(const listpack *lp) { return lp__prev_of(lp, lp__total(lp)); }

lp_pos lp_next(const listpack *lp, lp_pos p) {
    if (p < 0) return -1;
    size_t np = (size_t)p + lp__entry_size(lp, p);
    return np < lp__total(lp) ? (lp_pos)np : -1;
}

lp_pos lp_prev(const listpack *lp, lp_pos p) {
    if (p < 0) return -1;
    return lp__prev_of(lp, (size_t)p);
}

lp_pos lp_seek(const listpack *lp, long index) {
    long count = (long)lp_count(lp);
    if (index < 0) index += count;
    if (index < 0 || index >= count) return -1;
    lp_pos p;
    if (index <= count / 2) {
        p = lp_first(lp);
        while (index-- > 0) p = lp_next(lp, p);
    } else {
        p = lp_last(lp);
        for (long i = count - 1; i > index; i--) p = lp_prev(lp, p);
    }
    return p;
}

void lp_get(const listpack *lp, lp_pos p, lp_entry *out) {
    kl_assert(p >= LP_HDR && (size_t)p < lp__total(lp));
    lp__decode(lp + p, out);
}

const char *lp_get_str(const listpack *lp, lp_pos p, size_t *len, char *buf) {
    lp_entry e;
    lp_get(lp, p, &e);
    if (e.sval) {
        *len = e.slen;
        return (const char *)e.sval;
    }
    *len = (size_t)ll_to_str(buf, 24, e.ival);
    return buf;
}

/* The search key classified once: canonical integers only ever match integer entries. */
typedef struct lp_key {
    const char *s;
    size_t len;
    int isint;
    long long v;
} lp_key;

static void lp__key_init(lp_key *k, const char *s, size_t len) {
    k->s = s;
    k->len = len;
    k->isint = len > 0 && len <= 20 && str_to_ll(s, len, &k->v);
}

static int lp__key_eq(const unsigned char *e, const lp_key *k) {
    unsigned char b = e[0];
    int is_str = (b >= 0x80 && b < 0xC0) || (b >= 0xE0 && b <= LP_STR32);
    if (is_str != !k->isint) return 0;
    lp_entry x;
    lp__decode(e, &x);
    if (k->isint) return x.ival == k->v;
    return x.slen == k->len && (k->len == 0 || memcmp(x.sval, k->s, k->len) == 0);
}

int lp_eq(const listpack *lp, lp_pos p, const char *s, size_t len) {
    lp_key k;
    lp__key_init(&k, s, len);
    return lp__key_eq(lp + p, &k);
}

lp_pos lp_find(const listpack *lp, lp_pos start, const char *s, size_t len, unsigned skip) {
    lp_key k;
    lp__key_init(&k, s, len);
    size_t total = lp__total(lp);
    size_t off = (size_t)start;
    unsigned left = 0;
    if (start < 0) return -1;
    while (off < total) {
        if (left == 0) {
            if (lp__key_eq(lp + off, &k)) return (lp_pos)off;
            left = skip;
        } else {
            left--;
        }
        off += lp__entry_size(lp, (lp_pos)off);
    }
    return -1;
}

listpack *lp_insert(listpack *lp, lp_pos p, const char *s, size_t len, lp_pos *newpos) {
    lp_enc en;
    lp__prepare_str(&en, s, len);
    size_t off = p < 0 ? lp__total(lp) : (size_t)p;
    kl_assert(lp_count(lp) < LP_MAX_TOTAL);
    lp = lp__put(lp, off, 0, &en);
    lp__set_count(lp, lp_count(lp) + 1);
    if (newpos) *newpos = (lp_pos)off;
    return lp;
}

listpack *lp_append(listpack *lp, const char *s, size_t len) {
    return lp_insert(lp, -1, s, len, NULL);
}

listpack *lp_prepend(listpack *lp, const char *s, size_t len) {
    return lp_insert(lp, lp_first(lp), s, len, NULL);
}

listpack *lp_append_ll(listpack *lp, long long v) {
    lp_enc en;
    lp__prepare_int(&en, v);
    size_t off = lp__total(lp);
    lp = lp__put(lp, off, 0, &en);
    lp__set_count(lp, lp_count(lp) + 1);
    return lp;
}

listpack *lp_replace(listpack *lp, lp_pos p, const char *s, size_t len, lp_pos *newpos) {
    kl_assert(p >= LP_HDR && (size_t)p < lp__total(lp));
    lp_enc en;
    lp__prepare_str(&en, s, len);
    lp = lp__put(lp, (size_t)p, lp__entry_size(lp, p), &en);
    if (newpos) *newpos = p;
    return lp;
}

listpack *lp_delete(listpack *lp, lp_pos p, size_t count, lp_pos *next) {
    if (p < 0 || count == 0) {
        if (next) *next = p;
        return lp;
    }
    size_t total = lp__total(lp), end = (size_t)p, n = 0;
    while (n < count && end < total) {
        end += lp__entry_size(lp, (lp_pos)end);
        n++;
    }
    lp = lp__splice(lp, (size_t)p, end - (size_t)p, 0);
    lp__set_count(lp, lp_count(lp) - n);
    if (next) *next = (size_t)p < lp__total(lp) ? p : -1;
    return lp;
}

listpack *lp_delete_range(listpack *lp, long index, size_t count) {
    lp_pos p = lp_seek(lp, index);
    if (p < 0) return lp;
    return lp_delete(lp, p, count, NULL);
}

/* ---------------------------------------------------------------- validation */

/* Checks one entry at off within len bytes; returns its full size or 0 when corrupt. */
static size_t lp__validate_entry(const unsigned char *buf, size_t off, size_t len) {
    size_t room = len - off;
    size_t hsz = lp__hdr_size(buf[off]);
    if (hsz == 0 || hsz > room) return 0;
    size_t elen = lp__elen(buf + off);
    if (elen == 0 || elen > room) return 0;
    size_t bl = lp__backlen_size(elen);
    if (bl > room - elen) return 0;
    size_t nb;
    size_t v = lp__backlen_read(buf + off + elen + bl - 1, bl, &nb);
    if (nb != bl || v != elen) return 0;
    return elen + bl;
}

int lp_validate(const unsigned char *buf, size_t len) {
    if (!buf || len < LP_HDR || len > LP_MAX_TOTAL) return 0;
    if (rd_u32(buf) != len) return 0;
    size_t count = rd_u32(buf + 4), n = 0, off = LP_HDR;
    while (off < len) {
        size_t sz = lp__validate_entry(buf, off, len);
        if (sz == 0) return 0;
        off += sz;
        n++;
    }
    return off == len && n == count;
}
