/* resp_reader.h -- incremental reader for RESP2/RESP3 replies (hiredis read.c shape),
 * used by replicas (link to the primary) and sentinels (links to nodes and sentinels).
 *
 * The reader copies what it is fed. resp_reader_get returns a whole reply tree or NULL
 * when it needs more bytes. Errors are sticky with a message in r->errstr. Limits bound
 * nesting depth, aggregate element count and bulk length so hostile peers cannot make it
 * allocate without bound. Allocation failure is an error (RESP_RERR_OOM), not an abort.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_RESP_READER_H
#define KEEL_RESP_READER_H

#include <stddef.h>

typedef enum resp_type {
    RESP_T_STRING = 1,   /* '+' simple string */
    RESP_T_ERROR,        /* '-' error (str holds text without '-') */
    RESP_T_INTEGER,      /* ':' */
    RESP_T_BULK,         /* '$' (RESP_T_NIL when $-1) */
    RESP_T_ARRAY,        /* '*' (RESP_T_NIL when *-1) */
    RESP_T_NIL,          /* '_' or $-1 / *-1 */
    RESP_T_DOUBLE,       /* ',' (str keeps the text too) */
    RESP_T_BOOL,         /* '#' (integer = 0/1) */
    RESP_T_MAP,          /* '%' elements = 2*n, key/value interleaved */
    RESP_T_SET,          /* '~' */
    RESP_T_ATTR,         /* '|' never returned alone: attached as ->attr to the next value */
    RESP_T_PUSH,         /* '>' */
    RESP_T_BIGNUM,       /* '(' str */
    RESP_T_VERB,         /* '=' str holds payload after "txt:", vtype holds "txt" */
} resp_type;

typedef struct resp_value {
    resp_type type;
    long long integer;
    double dval;
    char *str;               /* NUL terminated, binary safe with len */
    size_t len;
    char vtype[4];
    struct resp_value **element;
    size_t elements;
    struct resp_value *attr;  /* RESP3 '|' attribute that preceded this value, or NULL */
} resp_value;

#define RESP_RERR_PROTOCOL 1
#define RESP_RERR_OOM      2

/* Error texts (r->errstr) follow hiredis: "Protocol error, got \"!\" as reply type byte",
 * "Bad integer value", "Bad double value", "Bad bool value", "Bad nil value",
 * "Bad bignum value", "Bad simple string value", "Bad bulk string length",
 * "Bulk string length out of range", "Bad multi-bulk length", "Multi-bulk length out of
 * range", "No support for nested multi bulk replies with depth > N", "Out of memory".
 * Stricter than hiredis: a bulk must end with "\r\n" ("Bad bulk string terminator"), a
 * line must end with "\r\n", lines of '+', '-', '(' are bounded by max_bulk ("Line too
 * long") and numeric lines by 512 bytes. Results do not depend on how input is split. */

typedef struct resp_reader {
    /* public limits */
    size_t max_bulk;         /* default 512 MiB */
    size_t max_elements;     /* per aggregate (pairs for maps), default 1<<30 */
    int max_depth;           /* nested aggregates, default 64 (1 = no nesting) */
    /* read-only */
    int err;                 /* 0 or RESP_RERR_* */
    char errstr[128];
    /* private */
    char *buf;
    size_t pos, len, cap;
    void *stack;             /* parse stack of partially built aggregates */
    int depth;               /* aggregates open right now */
} resp_reader;

/* A reader with default limits, or NULL on OOM. Free with resp_reader_free (NULL ok).
 * No I/O and no globals: safe inside libuv callbacks. */
resp_reader *resp_reader_new(void);
void resp_reader_free(resp_reader *r);
/* Copy len bytes into the reader. Returns 0 or -1 (sticky error / OOM). */
int resp_reader_feed(resp_reader *r, const char *buf, size_t len);
/* Returns 0 and sets *out to a reply (caller frees with resp_value_free) or to NULL when
 * more bytes are needed; -1 on error (r->err, r->errstr). */
int resp_reader_get(resp_reader *r, resp_value **out);
/* Frees v, its elements and its attribute; NULL is a no-op. */
void resp_value_free(resp_value *v);
/* Bytes buffered but not yet consumed by a complete reply (used for raw streaming). */
size_t resp_reader_buffered(const resp_reader *r);
/* Take up to n raw buffered bytes out of the reader (for switching a link to raw mode,
 * e.g. reading an RDB payload after "+FULLRESYNC"). Returns bytes copied into dst; 0 when
 * an aggregate reply is half parsed (only valid between replies). */
size_t resp_reader_take_raw(resp_reader *r, char *dst, size_t n);

#endif
