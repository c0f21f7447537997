/* dstr.h -- binary-safe dynamic strings (our own take on Redis's sds).
 *
 * A dstr is a char * to NUL-terminated bytes preceded by a header {size_t len, cap}, so it
 * can be passed to C string functions and printed, while holding any bytes. Functions that
 * may grow the string return the new pointer: callers must use it (the old one is invalid).
 * Allocation goes through kl_malloc (aborts on OOM).
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_DSTR_H
#define KEEL_DSTR_H

#include <stdarg.h>
#include <stddef.h>

typedef char *dstr;

typedef struct dstr_hdr {
    size_t len;
    size_t cap;   /* bytes available for content, excluding the NUL */
    char buf[];
} dstr_hdr;

#define DSTR_HDR(s) ((dstr_hdr *)((s) - sizeof(dstr_hdr)))

static inline size_t dstr_len(const dstr s) { return DSTR_HDR(s)->len; }
static inline size_t dstr_avail(const dstr s) { return DSTR_HDR(s)->cap - DSTR_HDR(s)->len; }

dstr dstr_newlen(const void *init, size_t len);   /* init may be NULL: zero filled */
dstr dstr_new(const char *cstr);
dstr dstr_empty(void);
dstr dstr_dup(const dstr s);
void dstr_free(dstr s);                           /* NULL is a no-op */
dstr dstr_catlen(dstr s, const void *t, size_t len);
dstr dstr_cat(dstr s, const char *t);
dstr dstr_catfmt(dstr s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
dstr dstr_catvfmt(dstr s, const char *fmt, va_list ap);
/* Append t quoted like Redis's sdscatrepr ("\"a\\x00b\\n\""). */
dstr dstr_catrepr(dstr s, const char *t, size_t len);
dstr dstr_cpylen(dstr s, const void *t, size_t len);
/* Make room for at least addlen more bytes (amortised growth: doubles up to 1 MiB, then
 * +1 MiB). Does not change len. */
dstr dstr_grow(dstr s, size_t addlen);
/* Grow to exactly len bytes, zero filling new bytes (SETRANGE). */
dstr dstr_growzero(dstr s, size_t len);
/* Adjust len after writing into the spare room (incr may be negative). */
void dstr_incrlen(dstr s, long incr);
void dstr_setlen(dstr s, size_t len);
void dstr_clear(dstr s);                          /* len = 0, keeps capacity */
/* Keep bytes [start, end] inclusive, Redis sdsrange semantics (negative = from end). */
void dstr_range(dstr s, long start, long end);
/* Drop the first n bytes (memmove). */
void dstr_consume(dstr s, size_t n);
/* Release spare capacity. */
dstr dstr_shrink(dstr s);
void dstr_tolower(dstr s);
/* Bytes used by the allocation (header + cap + 1), for MEMORY USAGE. */
size_t dstr_alloc_size(const dstr s);

#endif
