/* dstr.c -- binary-safe dynamic strings with a {len, cap} header before the bytes.
 *
 * Why one fixed header instead of sds's five header sizes: simpler code and O(1) length on
 * every string; the few extra bytes on tiny strings are accepted. Invariants: buf[len] is
 * always '\0', len <= cap, and cap is the usable room left by the allocator (so slack that
 * malloc gives us for free is used). Growth is amortised: double up to 1 MiB, then add
 * 1 MiB at a time, like sdsMakeRoomFor. Functions that may reallocate return the new pointer.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/dstr.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/alloc.h"
#include "common/log.h"

#define DSTR_MAX_PREALLOC (1024 * 1024)

/* ----------------------------------------------------------------------------------------
 * Allocation
 * ------------------------------------------------------------------------------------- */

static _Noreturn void dstr_overflow(void) {
    fprintf(stderr, "dstr: requested length overflows size_t\n");
    abort();
}

/* Resize the block holding h to room for cap content bytes; records the real capacity. */
static dstr_hdr *dstr_realloc_hdr(dstr_hdr *h, size_t cap) {
    if (cap > (size_t)-1 - sizeof(dstr_hdr) - 1) dstr_overflow();
    h = kl_realloc(h, sizeof(dstr_hdr) + cap + 1);
    h->cap = kl_alloc_size(h) - sizeof(dstr_hdr) - 1;
    return h;
}

dstr dstr_newlen(const void *init, size_t len) {
    dstr_hdr *h = dstr_realloc_hdr(NULL, len);
    h->len = len;
    if (init && len) memcpy(h->buf, init, len);
    else if (len) memset(h->buf, 0, len);
    h->buf[len] = '\0';
    return h->buf;
}

dstr dstr_new(const char *cstr) {
    return dstr_newlen(cstr, cstr ? strlen(cstr) : 0);
}

dstr dstr_empty(void) {
    return dstr_newlen("", 0);
}

dstr dstr_dup(const dstr s) {
    return dstr_newlen(s, dstr_len(s));
}

void dstr_free(dstr s) {
    if (s) kl_free(DSTR_HDR(s));
}

dstr dstr_grow(dstr s, size_t addlen) {
    dstr_hdr *h = DSTR_HDR(s);
    if (h->cap - h->len >= addlen) return s;
    if (addlen > (size_t)-1 - h->len) dstr_overflow();
    size_t need = h->len + addlen;
    size_t cap;
    if (need < DSTR_MAX_PREALLOC) cap = need * 2;
    else if (need > (size_t)-1 - DSTR_MAX_PREALLOC) cap = need;
    else cap = need + DSTR_MAX_PREALLOC;
    h = dstr_realloc_hdr(h, cap);
    return h->buf;
}

dstr dstr_shrink(dstr s) {
    dstr_hdr *h = DSTR_HDR(s);
    if (h->cap == h->len) return s;
    h = dstr_realloc_hdr(h, h->len);
    return h->buf;
}

size_t dstr_alloc_size(const dstr s) {
    return sizeof(dstr_hdr) + DSTR_HDR(s)->cap + 1;
}

/* ----------------------------------------------------------------------------------------
 * Appending and copying
 * ------------------------------------------------------------------------------------- */

dstr dstr_catlen(dstr s, const void *t, size_t len) {
    s = dstr_grow(s, len);
    dstr_hdr *h = DSTR_HDR(s);
    if (len) memcpy(h->buf + h->len, t, len);
    h->len += len;
    h->buf[h->len] = '\0';
    return s;
}

dstr dstr_cat(dstr s, const char *t) {
    return dstr_catlen(s, t, strlen(t));
}

dstr dstr_cpylen(dstr s, const void *t, size_t len) {
    dstr_hdr *h = DSTR_HDR(s);
    if (h->cap < len) {
        h->len = 0;   /* nothing to preserve: grow from an empty string */
        s = dstr_grow(s, len);
        h = DSTR_HDR(s);
    }
    if (len) memmove(h->buf, t, len);
    h->len = len;
    h->buf[len] = '\0';
    return s;
}

dstr dstr_catvfmt(dstr s, const char *fmt, va_list ap) {
    char stackbuf[256];
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, cp);
    va_end(cp);
    if (n < 0) return s;   /* encoding error: append nothing */
    if ((size_t)n < sizeof(stackbuf)) return dstr_catlen(s, stackbuf, (size_t)n);
    s = dstr_grow(s, (size_t)n + 1);
    dstr_hdr *h = DSTR_HDR(s);
    va_copy(cp, ap);
    vsnprintf(h->buf + h->len, (size_t)n + 1, fmt, cp);
    va_end(cp);
    h->len += (size_t)n;
    h->buf[h->len] = '\0';
    return s;
}

dstr dstr_catfmt(dstr s, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    s = dstr_catvfmt(s, fmt, ap);
    va_end(ap);
    return s;
}

dstr dstr_catrepr(dstr s, const char *t, size_t len) {
    s = dstr_grow(s, len + 2);
    s = dstr_catlen(s, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)t[i];
        switch (c) {
        case '\\': s = dstr_catlen(s, "\\\\", 2); break;
        case '"': s = dstr_catlen(s, "\\\"", 2); break;
        case '\n': s = dstr_catlen(s, "\\n", 2); break;
        case '\r': s = dstr_catlen(s, "\\r", 2); break;
        case '\t': s = dstr_catlen(s, "\\t", 2); break;
        case '\a': s = dstr_catlen(s, "\\a", 2); break;
        case '\b': s = dstr_catlen(s, "\\b", 2); break;
        default:
            if (isprint(c)) s = dstr_catlen(s, (const char *)&c, 1);
            else s = dstr_catfmt(s, "\\x%02x", c);
        }
    }
    return dstr_catlen(s, "\"", 1);
}

/* ----------------------------------------------------------------------------------------
 * Length changes in place
 * ------------------------------------------------------------------------------------- */

dstr dstr_growzero(dstr s, size_t len) {
    size_t cur = dstr_len(s);
    if (len <= cur) return s;
    s = dstr_grow(s, len - cur);
    dstr_hdr *h = DSTR_HDR(s);
    memset(h->buf + cur, 0, len - cur + 1);
    h->len = len;
    return s;
}

void dstr_incrlen(dstr s, long incr) {
    dstr_hdr *h = DSTR_HDR(s);
    if (incr >= 0) kl_assert((size_t)incr <= h->cap - h->len);
    else kl_assert((size_t)0 - (size_t)incr <= h->len);
    h->len += (size_t)incr;   /* modular arithmetic handles negative incr */
    h->buf[h->len] = '\0';
}

void dstr_setlen(dstr s, size_t len) {
    dstr_hdr *h = DSTR_HDR(s);
    kl_assert(len <= h->cap);
    h->len = len;
    h->buf[len] = '\0';
}

void dstr_clear(dstr s) {
    dstr_setlen(s, 0);
}

void dstr_range(dstr s, long start, long end) {
    dstr_hdr *h = DSTR_HDR(s);
    long len = (long)h->len;
    if (len == 0) return;
    if (start < 0) start = len + start < 0 ? 0 : len + start;
    if (end < 0) end = len + end < 0 ? 0 : len + end;
    size_t newlen = start > end ? 0 : (size_t)(end - start) + 1;
    if (start >= len) {
        start = 0;
        newlen = 0;
    } else if (newlen > (size_t)(len - start)) {
        newlen = (size_t)(len - start);
    }
    if (newlen && start) memmove(h->buf, h->buf + start, newlen);
    h->len = newlen;
    h->buf[newlen] = '\0';
}

void dstr_consume(dstr s, size_t n) {
    dstr_hdr *h = DSTR_HDR(s);
    if (n >= h->len) {
        h->len = 0;
    } else {
        memmove(h->buf, h->buf + n, h->len - n);
        h->len -= n;
    }
    h->buf[h->len] = '\0';
}

void dstr_tolower(dstr s) {
    size_t len = dstr_len(s);
    for (size_t i = 0; i < len; i++) s[i] = (char)tolower((unsigned char)s[i]);
}
