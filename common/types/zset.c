/* zset.c -- sorted sets: a sorted listpack with one entry per member for small sets, a
 * skiplist with spans plus a member -> node dict for large ones (see zset.h).
 *
 * Why one entry per member: a member and its score packed together (score in a 1-9 byte
 * binary trailer, exact) save the second entry's header and back-length, so a 10-member
 * set of short members fits a 64-byte block; with the 16-byte zset block a small sorted set
 * costs no more than Redis's single listpack. Ranks in the public API are 0-based ascending;
 * the skiplist's own ranks are 1-based.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/types/zset.h"

/* ------------------------------------------------------------------ helpers */

static int lex_cmp(const char *a, size_t alen, const char *b, size_t blen) {
    size_t m = alen < blen ? alen : blen;
    int r = m ? memcmp(a, b, m) : 0;
    if (r) return r;
    return alen < blen ? -1 : (alen > blen ? 1 : 0);
}

/* Order of (s1, e1) against (s2, e2). */
static int elem_cmp(double s1, const char *e1, size_t l1, double s2, const char *e2, size_t l2) {
    if (s1 < s2) return -1;
    if (s1 > s2) return 1;
    return lex_cmp(e1, l1, e2, l2);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint32_t zsl_rand(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 32);
}

static int zsl_random_level(void) {
    int level = 1;
    while (level < ZSL_MAXLEVEL && (zsl_rand() & 0xFFFF) < 0xFFFF / 4) level++;
    return level;
}

/* ------------------------------------------------------------------ skiplist */

static zsl_node *zsl_node_new(int level, double score, const char *ele, size_t len) {
    zsl_node *n = kl_calloc(1, sizeof(*n) + (size_t)level * sizeof(struct zsl_level));
    n->score = score;
    if (ele) {
        n->ele = kl_malloc(len + 1);
        if (len) memcpy(n->ele, ele, len);
        n->ele[len] = '\0';
        n->len = len;
    }
    return n;
}

static void zsl_node_free(zsl_node *n) {
    kl_free(n->ele);
    kl_free(n);
}

zskiplist *zsl_create(void) {
    zskiplist *zsl = kl_calloc(1, sizeof(*zsl));
    zsl->level = 1;
    zsl->header = zsl_node_new(ZSL_MAXLEVEL, 0, NULL, 0);
    return zsl;
}

void zsl_free(zskiplist *zsl) {
    zsl_node *n = zsl->header->level[0].forward;
    kl_free(zsl->header);
    while (n) {
        zsl_node *next = n->level[0].forward;
        zsl_node_free(n);
        n = next;
    }
    kl_free(zsl);
}

static int node_before(const zsl_node *n, double score, const char *ele, size_t len) {
    return elem_cmp(n->score, n->ele, n->len, score, ele, len) < 0;
}

zsl_node *zsl_insert(zskiplist *zsl, double score, const char *ele, size_t len) {
    zsl_node *update[ZSL_MAXLEVEL], *x = zsl->header;
    unsigned long rank[ZSL_MAXLEVEL];
    for (int i = zsl->level - 1; i >= 0; i--) {
        rank[i] = i == zsl->level - 1 ? 0 : rank[i + 1];
        while (x->level[i].forward && node_before(x->level[i].forward, score, ele, len)) {
            rank[i] += x->level[i].span;
            x = x->level[i].forward;
        }
        update[i] = x;
    }
    int level = zsl_random_level();
    if (level > zsl->level) {
        for (int i = zsl->level; i < level; i++) {
            rank[i] = 0;
            update[i] = zsl->header;
            update[i]->level[i].span = zsl->length;
        }
        zsl->level = level;
    }
    x = zsl_node_new(level, score, ele, len);
    for (int i = 0; i < level; i++) {
        x->level[i].forward = update[i]->level[i].forward;
        update[i]->level[i].forward = x;
        x->level[i].span = update[i]->level[i].span - (rank[0] - rank[i]);
        update[i]->level[i].span = (rank[0] - rank[i]) + 1;
    }
    for (int i = level; i < zsl->level; i++) update[i]->level[i].span++;
    x->backward = update[0] == zsl->header ? NULL : update[0];
    if (x->level[0].forward) x->level[0].forward->backward = x;
    else zsl->tail = x;
    zsl->length++;
    return x;
}

static void zsl_unlink(zskiplist *zsl, zsl_node *x, zsl_node **update) {
    for (int i = 0; i < zsl->level; i++) {
        if (update[i]->level[i].forward == x) {
            update[i]->level[i].span += x->level[i].span - 1;
            update[i]->level[i].forward = x->level[i].forward;
        } else {
            update[i]->level[i].span -= 1;
        }
    }
    if (x->level[0].forward) x->level[0].forward->backward = x->backward;
    else zsl->tail = x->backward;
    while (zsl->level > 1 && zsl->header->level[zsl->level - 1].forward == NULL) zsl->level--;
    zsl->length--;
}

/* Fills update[] with the last node before (score, ele) on each level; returns the
 * candidate node at level 0. */
static zsl_node *zsl_find_update(zskiplist *zsl, double score, const char *ele, size_t len,
                                 zsl_node **update) {
    zsl_node *x = zsl->header;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && node_before(x->level[i].forward, score, ele, len))
            x = x->level[i].forward;
        update[i] = x;
    }
    return x->level[0].forward;
}

static int node_is(const zsl_node *x, double score, const char *ele, size_t len) {
    return x && x->score == score && lex_cmp(x->ele, x->len, ele, len) == 0;
}

int zsl_delete(zskiplist *zsl, double score, const char *ele, size_t len) {
    zsl_node *update[ZSL_MAXLEVEL];
    zsl_node *x = zsl_find_update(zsl, score, ele, len, update);
    if (!node_is(x, score, ele, len)) return 0;
    zsl_unlink(zsl, x, update);
    zsl_node_free(x);
    return 1;
}

zsl_node *zsl_update_score(zskiplist *zsl, double cur, const char *ele, size_t len,
                           double newscore) {
    zsl_node *update[ZSL_MAXLEVEL];
    zsl_node *x = zsl_find_update(zsl, cur, ele, len, update);
    if (!node_is(x, cur, ele, len)) return NULL;
    /* Stays in place when the order with its neighbours is unchanged. */
    if ((x->backward == NULL || x->backward->score < newscore ||
         (x->backward->score == newscore && lex_cmp(x->backward->ele, x->backward->len,
                                                    ele, len) < 0)) &&
        (x->level[0].forward == NULL || x->level[0].forward->score > newscore ||
         (x->level[0].forward->score == newscore &&
          lex_cmp(x->level[0].forward->ele, x->level[0].forward->len, ele, len) > 0))) {
        x->score = newscore;
        return x;
    }
    zsl_unlink(zsl, x, update);
    zsl_node *n = zsl_insert(zsl, newscore, x->ele, x->len);
    zsl_node_free(x);
    return n;
}

unsigned long zsl_rank(zskiplist *zsl, double score, const char *ele, size_t len) {
    zsl_node *x = zsl->header;
    unsigned long rank = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward &&
               elem_cmp(x->level[i].forward->score, x->level[i].forward->ele,
                        x->level[i].forward->len, score, ele, len) <= 0) {
            rank += x->level[i].span;
            x = x->level[i].forward;
        }
        if (x != zsl->header && node_is(x, score, ele, len)) return rank;
    }
    return 0;
}

zsl_node *zsl_by_rank(zskiplist *zsl, unsigned long rank) {
    zsl_node *x = zsl->header;
    unsigned long traversed = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && traversed + x->level[i].span <= rank) {
            traversed += x->level[i].span;
            x = x->level[i].forward;
        }
        if (traversed == rank) return x == zsl->header ? NULL : x;
    }
    return NULL;
}

/* Number of nodes strictly "below" the predicate (first rank satisfying !below, 0-based). */
typedef int zsl_pred(const zsl_node *n, const void *arg);
static unsigned long zsl_count_while(zskiplist *zsl, zsl_pred *below, const void *arg) {
    zsl_node *x = zsl->header;
    unsigned long rank = 0;
    for (int i = zsl->level - 1; i >= 0; i--) {
        while (x->level[i].forward && below(x->level[i].forward, arg)) {
            rank += x->level[i].span;
            x = x->level[i].forward;
        }
    }
    return rank;
}

/* ------------------------------------------------------------------ range specs */

static int zset_score_gte_min(double s, const zrange_spec *r) { return r->minex ? s > r->min : s >= r->min; }
static int zset_score_lte_max(double s, const zrange_spec *r) { return r->maxex ? s < r->max : s <= r->max; }

int zset_score_in_range(double s, const zrange_spec *r) {
    return zset_score_gte_min(s, r) && zset_score_lte_max(s, r);
}

static int lex_gte_min(const char *s, size_t len, const zlex_spec *r) {
    if (r->minkind == ZLEX_NEG_INF) return 1;
    if (r->minkind == ZLEX_POS_INF) return 0;
    int c = lex_cmp(s, len, r->min, r->minlen);
    return r->minex ? c > 0 : c >= 0;
}

static int lex_lte_max(const char *s, size_t len, const zlex_spec *r) {
    if (r->maxkind == ZLEX_POS_INF) return 1;
    if (r->maxkind == ZLEX_NEG_INF) return 0;
    int c = lex_cmp(s, len, r->max, r->maxlen);
    return r->maxex ? c < 0 : c <= 0;
}

int zset_lex_in_range(const char *s, size_t len, const zlex_spec *r) {
    return lex_gte_min(s, len, r) && lex_lte_max(s, len, r);
}

/* Parses one bound as Redis: optional '(' then strtod of the rest, which must be fully
 * consumed and not NaN. */
static int parse_score_bound(const char *s, size_t len, double *out, int *ex) {
    *ex = 0;
    if (len && s[0] == '(') {
        *ex = 1;
        s++;
        len--;
    }
    char stackbuf[128];
    char *buf = len < sizeof(stackbuf) ? stackbuf : kl_malloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    *out = strtod(buf, &end);
    int ok = (size_t)(end - buf) == len && !isnan(*out);
    if (buf != stackbuf) kl_free(buf);
    return ok ? 0 : -1;
}

int zset_parse_score_range(const char *min, size_t minlen, const char *max, size_t maxlen,
                           zrange_spec *out) {
    if (parse_score_bound(min, minlen, &out->min, &out->minex) < 0) return -1;
    if (parse_score_bound(max, maxlen, &out->max, &out->maxex) < 0) return -1;
    return 0;
}

static int parse_lex_bound(const char *s, size_t len, const char **p, size_t *plen, int *kind,
                           int *ex) {
    *p = NULL;
    *plen = 0;
    *ex = 0;
    if (len == 0) return -1;
    if (s[0] == '+' && len == 1) { *kind = ZLEX_POS_INF; return 0; }
    if (s[0] == '-' && len == 1) { *kind = ZLEX_NEG_INF; return 0; }
    if (s[0] != '(' && s[0] != '[') return -1;
    *kind = ZLEX_VALUE;
    *ex = s[0] == '(';
    *p = s + 1;
    *plen = len - 1;
    return 0;
}

int zset_parse_lex_range(const char *min, size_t minlen, const char *max, size_t maxlen,
                         zlex_spec *out) {
    if (parse_lex_bound(min, minlen, &out->min, &out->minlen, &out->minkind, &out->minex) < 0 ||
        parse_lex_bound(max, maxlen, &out->max, &out->maxlen, &out->maxkind, &out->maxex) < 0)
        return -1;
    return 0;
}

/* ------------------------------------------------------------------ small form
 *
 * One listpack entry per member: the member bytes, then the score as a trailer whose last
 * byte t tells its size (the member is what precedes it):
 *   t <= 0xEF         the integer t (1 byte in all)
 *   ZT_INT8/16/32     a signed integer in the 1/2/4 bytes before t
 *   ZT_FLOAT          a float (exactly equal to the score) in the 4 bytes before t
 *   ZT_DOUBLE         the double in the 8 bytes before t
 * Trailers are in host byte order: the listpack never leaves the process as is. An entry
 * whose bytes form a canonical integer is kept as an integer by the listpack and comes back
 * as the same bytes from lp_get_str. -0.0 becomes the integer 0, as in Redis's listpack
 * form (ZSCORE replies "0" there, "-0" only from a skiplist). */

enum { ZT_SMALL_MAX = 0xEF, ZT_INT8 = 0xF0, ZT_INT16, ZT_INT32, ZT_FLOAT, ZT_DOUBLE };
#define ZT_MAX 9

typedef struct small_ent {
    const char *ele;
    size_t len;
    double score;
} small_ent;

static size_t trailer_encode(unsigned char *out, double d) {
    if (d >= -2147483648.0 && d <= 2147483647.0 && d == (double)(int32_t)d) {
        int32_t v = (int32_t)d;
        if (v >= 0 && v <= ZT_SMALL_MAX) {
            out[0] = (unsigned char)v;
            return 1;
        }
        if (v >= INT8_MIN && v <= INT8_MAX) {
            int8_t b = (int8_t)v;
            memcpy(out, &b, 1);
            out[1] = ZT_INT8;
            return 2;
        }
        if (v >= INT16_MIN && v <= INT16_MAX) {
            int16_t h = (int16_t)v;
            memcpy(out, &h, 2);
            out[2] = ZT_INT16;
            return 3;
        }
        memcpy(out, &v, 4);
        out[4] = ZT_INT32;
        return 5;
    }
    if (isinf(d) || fabs(d) <= FLT_MAX) {
        float f = (float)d;
        if ((double)f == d) {
            memcpy(out, &f, 4);
            out[4] = ZT_FLOAT;
            return 5;
        }
    }
    memcpy(out, &d, 8);
    out[8] = ZT_DOUBLE;
    return 9;
}

/* Trailer size for its last byte t (0: not a trailer). */
static size_t trailer_len(unsigned char t) {
    if (t <= ZT_SMALL_MAX) return 1;
    switch (t) {
    case ZT_INT8: return 2;
    case ZT_INT16: return 3;
    case ZT_INT32: case ZT_FLOAT: return 5;
    case ZT_DOUBLE: return 9;
    default: return 0;
    }
}

/* The score of a trailer of tl bytes starting at p. */
static double trailer_decode(const unsigned char *p, size_t tl) {
    unsigned char t = p[tl - 1];
    int8_t b;
    int16_t h;
    int32_t v;
    float f;
    double d;
    switch (t) {
    case ZT_INT8: memcpy(&b, p, 1); return b;
    case ZT_INT16: memcpy(&h, p, 2); return h;
    case ZT_INT32: memcpy(&v, p, 4); return v;
    case ZT_FLOAT: memcpy(&f, p, 4); return f;
    case ZT_DOUBLE: memcpy(&d, p, 8); return d;
    default: return t;
    }
}

/* Decode the entry at p; buf (>= 24 bytes) backs entries the listpack keeps as integers. */
static void ent_read(const listpack *lp, lp_pos p, char *buf, small_ent *e) {
    size_t n;
    const char *s = lp_get_str(lp, p, &n, buf);
    kl_assert(n > 0);
    size_t tl = trailer_len((unsigned char)s[n - 1]);
    kl_assert(tl > 0 && tl <= n);
    e->ele = s;
    e->len = n - tl;
    e->score = trailer_decode((const unsigned char *)s + n - tl, tl);
}

/* Insert the entry for (ele, score) before p (-1: append). */
static listpack *small_insert_at(listpack *lp, lp_pos p, const char *ele, size_t len,
                                 double score) {
    char stackbuf[128];
    char *b = len <= sizeof(stackbuf) - ZT_MAX ? stackbuf : kl_malloc(len + ZT_MAX);
    if (len) memcpy(b, ele, len);
    size_t tl = trailer_encode((unsigned char *)b + len, score);
    lp = lp_insert(lp, p, b, len + tl, NULL);
    if (b != stackbuf) kl_free(b);
    return lp;
}

/* Insert before the first entry greater than (score, ele). */
static listpack *small_insert_sorted(listpack *lp, const char *ele, size_t len, double score) {
    char buf[32];
    small_ent e;
    lp_pos p = lp_first(lp);
    for (; p >= 0; p = lp_next(lp, p)) {
        ent_read(lp, p, buf, &e);
        if (elem_cmp(e.score, e.ele, e.len, score, ele, len) > 0) break;
    }
    return small_insert_at(lp, p, ele, len, score);
}

/* Position of ele, -1 if absent; *rank (0-based) and *score when found (both may be NULL). */
static lp_pos small_find(const listpack *lp, const char *ele, size_t len, long *rank,
                         double *score) {
    char buf[32];
    small_ent e;
    long i = 0;
    for (lp_pos p = lp_first(lp); p >= 0; p = lp_next(lp, p), i++) {
        ent_read(lp, p, buf, &e);
        if (e.len == len && (len == 0 || memcmp(e.ele, ele, len) == 0)) {
            if (rank) *rank = i;
            if (score) *score = e.score;
            return p;
        }
    }
    return -1;
}

/* ------------------------------------------------------------------ the zset block */

/* z->lp and z->zsl share storage: the form is told by d alone. */
static int is_small(const zset *z) { return z->d == NULL; }
static listpack *zlp(const zset *z) { return z->lp; }
static dict *zdict(const zset *z) { return z->d; }
static void set_lp(zset *z, listpack *lp) { z->lp = lp; }

static void large_init(zset *z) {
    z->zsl = zsl_create();
    z->d = dict_new(NULL);
}

static void large_release(zset *z) {
    zsl_free(z->zsl);
    dict_free(z->d);
    z->d = NULL;
}

/* ------------------------------------------------------------------ whole sets */

zset *zset_new(void) {
    zset *z = kl_calloc(1, sizeof(*z));
    set_lp(z, lp_new());
    return z;
}

zset *zset_new_large(void) {
    zset *z = kl_calloc(1, sizeof(*z));
    large_init(z);
    return z;
}

void zset_free(zset *z) {
    if (!z) return;
    if (is_small(z)) lp_free(zlp(z));
    else large_release(z);
    kl_free(z);
}

int zset_is_small(const zset *z) { return is_small(z); }

size_t zset_len(const zset *z) { return is_small(z) ? lp_count(zlp(z)) : z->zsl->length; }

static void large_insert(zset *z, const char *ele, size_t len, double score) {
    zsl_node *n = zsl_insert(z->zsl, score, ele, len);
    dict_add(zdict(z), ele, len, n);
}

zset *zset_dup(const zset *z) {
    if (is_small(z)) {
        zset *n = kl_calloc(1, sizeof(*n));
        set_lp(n, lp_dup(zlp(z)));
        return n;
    }
    zset *n = zset_new_large();
    for (zsl_node *x = z->zsl->tail; x; x = x->backward) large_insert(n, x->ele, x->len, x->score);
    return n;
}

size_t zset_mem_usage(const zset *z) {
    size_t s = sizeof(*z);
    if (is_small(z)) return s + lp_bytes(zlp(z));
    s += dict_mem_usage(zdict(z)) + sizeof(zskiplist);
    for (zsl_node *x = z->zsl->header->level[0].forward; x; x = x->level[0].forward)
        s += sizeof(*x) + 2 * sizeof(struct zsl_level) + x->len + 1;
    return s;
}

void zset_convert_large(zset *z) {
    if (!is_small(z)) return;
    listpack *lp = zlp(z);
    large_init(z);
    char buf[32];
    small_ent e;
    for (lp_pos p = lp_first(lp); p >= 0; p = lp_next(lp, p)) {
        ent_read(lp, p, buf, &e);
        large_insert(z, e.ele, e.len, e.score);
    }
    lp_free(lp);
}

void zset_maybe_shrink(zset *z, const zset_limits *lim) {
    if (is_small(z) || (long long)z->zsl->length > lim->max_entries) return;
    for (zsl_node *x = z->zsl->header->level[0].forward; x; x = x->level[0].forward)
        if ((long long)x->len > lim->max_value) return;
    listpack *lp = lp_new();
    for (zsl_node *x = z->zsl->header->level[0].forward; x; x = x->level[0].forward)
        lp = small_insert_at(lp, -1, x->ele, x->len, x->score);
    large_release(z);
    set_lp(z, lp);
}

int zset_score(zset *z, const char *ele, size_t len, double *score) {
    if (is_small(z)) return small_find(zlp(z), ele, len, NULL, score) >= 0;
    dict_entry *e = dict_find(zdict(z), ele, len);
    if (!e) return 0;
    *score = ((zsl_node *)e->v.val)->score;
    return 1;
}

/* Set the score of an existing member. */
static void zset_set_existing(zset *z, const char *ele, size_t len, double cur, double score) {
    if (is_small(z)) {
        listpack *lp = zlp(z);
        lp = lp_delete(lp, small_find(lp, ele, len, NULL, NULL), 1, NULL);
        set_lp(z, small_insert_sorted(lp, ele, len, score));
        return;
    }
    dict_entry *e = dict_find(zdict(z), ele, len);
    zsl_node *n = e->v.val;
    e->v.val = zsl_update_score(z->zsl, cur, n->ele, n->len, score);
}

static void zset_insert_new(zset *z, const char *ele, size_t len, double score,
                            const zset_limits *lim) {
    if (is_small(z)) {
        if ((long long)zset_len(z) + 1 > lim->max_entries || (long long)len > lim->max_value)
            zset_convert_large(z);
    }
    if (is_small(z)) set_lp(z, small_insert_sorted(zlp(z), ele, len, score));
    else large_insert(z, ele, len, score);
}

int zset_add(zset *z, const char *ele, size_t len, double score, int in, int *out,
             double *newscore, const zset_limits *lim) {
    *out = 0;
    if (isnan(score)) {
        *out = ZADD_OUT_NAN;
        return 0;
    }
    double cur;
    if (zset_score(z, ele, len, &cur)) {
        if (in & ZADD_IN_NX) { *out |= ZADD_OUT_NOP; return 1; }
        if (in & ZADD_IN_INCR) {
            score += cur;
            if (isnan(score)) { *out |= ZADD_OUT_NAN; return 0; }
        }
        if (((in & ZADD_IN_LT) && score >= cur) || ((in & ZADD_IN_GT) && score <= cur)) {
            *out |= ZADD_OUT_NOP;
            return 1;
        }
        if (newscore) *newscore = score;
        if (score != cur) {
            zset_set_existing(z, ele, len, cur, score);
            *out |= ZADD_OUT_UPDATED;
        }
        return 1;
    }
    if (in & ZADD_IN_XX) { *out |= ZADD_OUT_NOP; return 1; }
    zset_insert_new(z, ele, len, score, lim);
    if (newscore) *newscore = score;
    *out |= ZADD_OUT_ADDED;
    return 1;
}

int zset_del(zset *z, const char *ele, size_t len) {
    if (is_small(z)) {
        listpack *lp = zlp(z);
        lp_pos p = small_find(lp, ele, len, NULL, NULL);
        if (p < 0) return 0;
        set_lp(z, lp_delete(lp, p, 1, NULL));
        return 1;
    }
    dict_entry *e = dict_unlink(zdict(z), ele, len);
    if (!e) return 0;
    zsl_node *n = e->v.val;
    zsl_delete(z->zsl, n->score, n->ele, n->len);
    e->v.val = NULL;
    dict_free_unlinked(zdict(z), e);
    return 1;
}

long zset_rank(zset *z, const char *ele, size_t len, int reverse) {
    long n = (long)zset_len(z), rank = -1;
    if (is_small(z)) {
        if (small_find(zlp(z), ele, len, &rank, NULL) < 0) return -1;
    } else {
        dict_entry *e = dict_find(zdict(z), ele, len);
        if (!e) return -1;
        zsl_node *x = e->v.val;
        rank = (long)zsl_rank(z->zsl, x->score, x->ele, x->len) - 1;
    }
    return reverse ? n - 1 - rank : rank;
}

/* ------------------------------------------------------------------ ranges */

/* A range as two predicates on (score, member): "at least min" and "at most max". The
 * resolution follows Redis's walk (first element >= min, then forward while <= max), which
 * also fixes the answer for lex ranges over members with different scores. */
static unsigned long finish_range(long lo, long hi, long *first, long *last);
typedef int elem_pred(double s, const char *e, size_t len, const void *r);
typedef struct range_preds {
    elem_pred *gte, *lte;
    const void *r;
} range_preds;

static int node_below(const zsl_node *n, const void *arg) {
    const range_preds *p = arg;
    return !p->gte(n->score, n->ele, n->len, p->r);
}
static int node_within(const zsl_node *n, const void *arg) {
    const range_preds *p = arg;
    return p->lte(n->score, n->ele, n->len, p->r);
}

static unsigned long range_small(zset *z, const range_preds *p, long *first, long *last) {
    long n = (long)zset_len(z), lo = -1, hi = -1;
    zset_iter it;
    const char *e;
    size_t len;
    double s;
    zset_iter_init(&it, z, 0, 0);
    for (long i = 0; zset_iter_next(&it, &e, &len, &s); i++) {
        if (i == 0 && !p->lte(s, e, len, p->r)) return 0;
        if (lo < 0) {
            if (!p->gte(s, e, len, p->r)) continue;
            if (!p->lte(s, e, len, p->r)) return 0;
            lo = hi = i;
        } else if (hi == i - 1 && p->lte(s, e, len, p->r)) {
            hi = i;
        }
        if (i == n - 1 && !p->gte(s, e, len, p->r)) return 0;
    }
    if (lo < 0) return 0;
    return finish_range(lo, hi + 1, first, last);
}

static unsigned long range_resolve(zset *z, const range_preds *p, long *first, long *last) {
    if (zset_len(z) == 0) return 0;
    if (is_small(z)) return range_small(z, p, first, last);
    zsl_node *head = z->zsl->header->level[0].forward, *tail = z->zsl->tail;
    if (!node_within(head, p) || node_below(tail, p)) return 0;
    long lo = (long)zsl_count_while(z->zsl, node_below, p);
    zsl_node *x = zsl_by_rank(z->zsl, (unsigned long)lo + 1);
    if (!x || !node_within(x, p)) return 0;
    long hi = (long)zsl_count_while(z->zsl, node_within, p);
    return finish_range(lo, hi, first, last);
}

static int score_gte(double s, const char *e, size_t len, const void *r) {
    (void)e, (void)len;
    return zset_score_gte_min(s, r);
}
static int score_lte(double s, const char *e, size_t len, const void *r) {
    (void)e, (void)len;
    return zset_score_lte_max(s, r);
}
static int lex_gte(double s, const char *e, size_t len, const void *r) {
    (void)s;
    return lex_gte_min(e, len, r);
}
static int lex_lte(double s, const char *e, size_t len, const void *r) {
    (void)s;
    return lex_lte_max(e, len, r);
}

static unsigned long finish_range(long lo, long hi, long *first, long *last) {
    *first = lo;
    *last = hi - 1;
    return hi > lo ? (unsigned long)(hi - lo) : 0;
}

unsigned long zset_score_range(zset *z, const zrange_spec *r, long *first, long *last) {
    if (r->min > r->max || (r->min == r->max && (r->minex || r->maxex))) return 0;
    range_preds p = {score_gte, score_lte, r};
    return range_resolve(z, &p, first, last);
}

static int lex_range_empty(const zlex_spec *r) {
    if (r->minkind == ZLEX_POS_INF || r->maxkind == ZLEX_NEG_INF) return 1;
    if (r->minkind != ZLEX_VALUE || r->maxkind != ZLEX_VALUE) return 0;
    int c = lex_cmp(r->min, r->minlen, r->max, r->maxlen);
    return c > 0 || (c == 0 && (r->minex || r->maxex));
}

unsigned long zset_lex_range(zset *z, const zlex_spec *r, long *first, long *last) {
    if (lex_range_empty(r)) return 0;
    range_preds p = {lex_gte, lex_lte, r};
    return range_resolve(z, &p, first, last);
}

unsigned long zset_delete_ranks(zset *z, long start, long end) {
    if (end < start) return 0;
    unsigned long n = (unsigned long)(end - start + 1);
    if (is_small(z)) {
        set_lp(z, lp_delete_range(zlp(z), start, n));
        return n;
    }
    zsl_node *x = zsl_by_rank(z->zsl, (unsigned long)start + 1);
    for (unsigned long i = 0; i < n && x; i++) {
        zsl_node *next = x->level[0].forward;
        dict_entry *e = dict_unlink(zdict(z), x->ele, x->len);
        e->v.val = NULL;
        dict_free_unlinked(zdict(z), e);
        zsl_delete(z->zsl, x->score, x->ele, x->len);
        x = next;
    }
    return n;
}

/* ------------------------------------------------------------------ iteration */

void zset_iter_init(zset_iter *it, zset *z, long rank, int reverse) {
    it->z = z;
    it->reverse = reverse;
    it->p = -1;
    it->n = NULL;
    if (rank < 0 || rank >= (long)zset_len(z)) return;
    if (is_small(z)) it->p = lp_seek(zlp(z), rank);
    else it->n = zsl_by_rank(z->zsl, (unsigned long)rank + 1);
}

int zset_iter_next(zset_iter *it, const char **ele, size_t *len, double *score) {
    zset *z = it->z;
    if (is_small(z)) {
        if (it->p < 0) return 0;
        listpack *lp = zlp(z);
        small_ent e;
        ent_read(lp, it->p, it->buf, &e);
        *ele = e.ele;
        *len = e.len;
        *score = e.score;
        it->p = it->reverse ? lp_prev(lp, it->p) : lp_next(lp, it->p);
        return 1;
    }
    if (!it->n) return 0;
    *ele = it->n->ele;
    *len = it->n->len;
    *score = it->n->score;
    it->n = it->reverse ? it->n->backward : it->n->level[0].forward;
    return 1;
}
