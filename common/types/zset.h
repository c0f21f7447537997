/* zset.h -- sorted sets: members ordered by (score, member bytes), in two forms.
 *
 * Small form: a listpack with one entry per member, kept sorted: the member bytes followed
 * by the score in a 1 to 9 byte trailer (see zset.c), used while the set has at most
 * max_entries members of at most max_value bytes each. Large form: a skiplist with spans
 * (so rank <-> node is O(log n)) plus a dict member -> node for O(1) score lookup.
 * Conversion small -> large happens inside zset_add when a limit would be crossed and
 * never goes back, except zset_maybe_shrink which store-commands call on a fresh result.
 *
 * Every range operation is expressed in ranks: a score or lex range resolves to the
 * ascending rank interval [first, last], then iteration and deletion work on ranks.
 * Knows nothing about clients. Not thread safe.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_ZSET_H
#define KEEL_ZSET_H

#include <stddef.h>
#include "common/dict.h"
#include "common/types/listpack.h"

#define ZSL_MAXLEVEL 32

typedef struct zsl_node {
    char *ele;                      /* kl_malloc'd, NUL terminated */
    size_t len;
    double score;
    struct zsl_node *backward;
    struct zsl_level {
        struct zsl_node *forward;
        unsigned long span;
    } level[];
} zsl_node;

typedef struct zskiplist {
    zsl_node *header, *tail;
    unsigned long length;
    int level;
} zskiplist;

/* 16 bytes: the zset's address must stay fixed while its listpack moves, so it is a block
 * of its own, kept as small as the large form allows. d == NULL marks the small form. */
typedef struct zset {
    union {
        listpack *lp;      /* small form (d == NULL) */
        zskiplist *zsl;    /* large form */
    };
    dict *d;               /* large form: member -> zsl_node * (v.val); NULL when small */
} zset;

typedef struct zset_limits {
    long long max_entries, max_value;
} zset_limits;

/* Score range: min/max with exclusive flags; infinities allowed. */
typedef struct zrange_spec {
    double min, max;
    int minex, maxex;
} zrange_spec;

/* Lex range item kinds. */
enum { ZLEX_VALUE = 0, ZLEX_NEG_INF = 1, ZLEX_POS_INF = 2 };
typedef struct zlex_spec {
    const char *min, *max;  /* point into the caller's strings (not owned) */
    size_t minlen, maxlen;
    int minkind, maxkind;
    int minex, maxex;
} zlex_spec;

/* zset_add flags (Redis's ZADD semantics). */
#define ZADD_IN_INCR 1
#define ZADD_IN_NX 2
#define ZADD_IN_XX 4
#define ZADD_IN_GT 8
#define ZADD_IN_LT 16
#define ZADD_OUT_NOP 1       /* nothing done because of NX/XX/GT/LT */
#define ZADD_OUT_NAN 2       /* the resulting score would be NaN: nothing done */
#define ZADD_OUT_ADDED 4
#define ZADD_OUT_UPDATED 8

/* Raw skiplist (exposed for unit tests). Ranks here are 1-based as in the structure. */
zskiplist *zsl_create(void);
void zsl_free(zskiplist *zsl);
/* Insert (the member must not be present); ele is copied. */
zsl_node *zsl_insert(zskiplist *zsl, double score, const char *ele, size_t len);
/* Delete the node with exactly this score and member; 1 if found. */
int zsl_delete(zskiplist *zsl, double score, const char *ele, size_t len);
/* Move the node to a new score; returns the (possibly new) node. */
zsl_node *zsl_update_score(zskiplist *zsl, double cur, const char *ele, size_t len,
                           double newscore);
unsigned long zsl_rank(zskiplist *zsl, double score, const char *ele, size_t len);  /* 0 = none */
zsl_node *zsl_by_rank(zskiplist *zsl, unsigned long rank);                          /* 1-based */

/* Whole sorted sets. zset_new creates the small form; zset_new_large the skiplist. */
zset *zset_new(void);
zset *zset_new_large(void);
void zset_free(zset *z);
zset *zset_dup(const zset *z);
size_t zset_len(const zset *z);
int zset_is_small(const zset *z);
size_t zset_mem_usage(const zset *z);
void zset_convert_large(zset *z);
/* Convert a large set back to the small form when it fits lim (store commands). */
void zset_maybe_shrink(zset *z, const zset_limits *lim);

/* 1 and *score when present. */
int zset_score(zset *z, const char *ele, size_t len, double *score);
/* Add/update per flags. *newscore (may be NULL) receives the resulting score. Returns
 * 0 when the result would be NaN (nothing changed, *out has ZADD_OUT_NAN), else 1. */
int zset_add(zset *z, const char *ele, size_t len, double score, int in, int *out,
             double *newscore, const zset_limits *lim);
int zset_del(zset *z, const char *ele, size_t len);      /* 1 if removed */
/* 0-based rank (reverse: from the highest), -1 when absent. */
long zset_rank(zset *z, const char *ele, size_t len, int reverse);

/* Ranges resolve to the ascending 0-based ranks [*first, *last]; returns the count (0:
 * empty, then first/last are unspecified). */
unsigned long zset_score_range(zset *z, const zrange_spec *r, long *first, long *last);
unsigned long zset_lex_range(zset *z, const zlex_spec *r, long *first, long *last);
/* Delete ascending ranks start..end (inclusive, 0-based, in range). Returns how many. */
unsigned long zset_delete_ranks(zset *z, long start, long end);

/* Parsing of range arguments: 0 ok, -1 invalid. */
int zset_parse_score_range(const char *min, size_t minlen, const char *max, size_t maxlen,
                           zrange_spec *out);
int zset_parse_lex_range(const char *min, size_t minlen, const char *max, size_t maxlen,
                         zlex_spec *out);
int zset_score_in_range(double s, const zrange_spec *r);
int zset_lex_in_range(const char *s, size_t len, const zlex_spec *r);

/* Iteration from an ascending 0-based rank, going up (reverse = 0) or down (1). */
typedef struct zset_iter {
    zset *z;
    int reverse;
    lp_pos p;             /* small: entry position */
    zsl_node *n;          /* large */
    char buf[32];
} zset_iter;
void zset_iter_init(zset_iter *it, zset *z, long rank, int reverse);
/* 1 and the element (ele valid until the next call or modification), 0 at the end. */
int zset_iter_next(zset_iter *it, const char **ele, size_t *len, double *score);

#endif
