/* util.c -- number/string conversions, glob matching, clocks, randomness, memory units.
 *
 * Why a module of its own: replies must match Redis 7.0 byte for byte, so the parsing and
 * printing rules (string2ll, string2ld, ld2string, d2string, stringmatchlen, memtoull,
 * bytesToHuman) live in one place with table-driven unit tests. Inputs are slices (pointer +
 * length) that need not be NUL terminated: argv slices point into the query buffer.
 * Pure functions except the clocks and the random helpers; thread safe.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/util.h"
#include "proto/resp_num.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <openssl/rand.h>

#include "common/alloc.h"
#include "common/log.h"

/* ----------------------------------------------------------------------------------------
 * Integers
 * ------------------------------------------------------------------------------------- */

/* Accumulate the digits of s[0..len) into *out; fails on a non-digit or on overflow. */
static int parse_digits(const char *s, size_t len, unsigned long long *out) {
    unsigned long long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') return 0;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (ULLONG_MAX - d) / 10) return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

int str_to_ll(const char *s, size_t len, long long *out) { return resp_parse_ll(s, len, out); }

int str_to_ull(const char *s, size_t len, unsigned long long *out) {
    unsigned long long v;
    if (len == 0 || len >= LONG_STR_SIZE) return 0;
    if (len == 1 && s[0] == '0') {
        if (out) *out = 0;
        return 1;
    }
    if (s[0] < '1' || s[0] > '9') return 0;
    if (!parse_digits(s, len, &v)) return 0;
    if (out) *out = v;
    return 1;
}

int ull_to_str(char *dst, size_t dstlen, unsigned long long v) {
    char tmp[LONG_STR_SIZE];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (n + 1 > dstlen) return 0;
    for (size_t i = 0; i < n; i++) dst[i] = tmp[n - 1 - i];
    dst[n] = '\0';
    return (int)n;
}

int ll_to_str(char *dst, size_t dstlen, long long v) {
    if (v >= 0) return ull_to_str(dst, dstlen, (unsigned long long)v);
    /* Negate in unsigned arithmetic so LLONG_MIN works. */
    unsigned long long mag = (unsigned long long)0 - (unsigned long long)v;
    if (dstlen < 2) return 0;
    int n = ull_to_str(dst + 1, dstlen - 1, mag);
    if (n == 0) return 0;
    dst[0] = '-';
    return n + 1;
}

/* ----------------------------------------------------------------------------------------
 * Floating point
 * ------------------------------------------------------------------------------------- */

/* Redis's shared rejection rule: overflow to +-inf or underflow to zero (ERANGE) and NaN
 * are invalid, while a denormal result with ERANGE is kept. */
static int float_range_bad(int err, long double v) {
    if (isnan(v)) return 1;
    return err == ERANGE && (isinf(v) || v == 0);
}

int str_to_double(const char *s, size_t len, double *out) {
    char stackbuf[128];
    if (len == 0 || isspace((unsigned char)s[0])) return 0;
    if (memchr(s, '\0', len)) return 0;   /* strtod would stop early: trailing garbage */
    char *buf = len < sizeof(stackbuf) ? stackbuf : kl_malloc(len + 1);
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    int ok = (size_t)(end - buf) == len && !float_range_bad(errno, v);
    if (buf != stackbuf) kl_free(buf);
    if (ok && out) *out = v;
    return ok;
}

int str_to_ld(const char *s, size_t len, long double *out) {
    char buf[MAX_LONG_DOUBLE_CHARS];
    if (len == 0 || len >= sizeof(buf)) return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (isspace((unsigned char)buf[0])) return 0;
    char *end;
    errno = 0;
    long double v = strtold(buf, &end);
    if ((size_t)(end - buf) != len || errno == EINVAL || float_range_bad(errno, v)) return 0;
    if (out) *out = v;
    return 1;
}

/* "%.17Lf" with trailing zeros (and a trailing dot) removed, "-0" printed as "0". */
static int ld_to_str_human(char *buf, size_t len, long double value) {
    int n = snprintf(buf, len, "%.17Lf", value);
    if (n < 0 || (size_t)n + 1 > len) return 0;
    if (strchr(buf, '.')) {
        while (buf[n - 1] == '0') n--;
        if (buf[n - 1] == '.') n--;
    }
    if (n == 2 && buf[0] == '-' && buf[1] == '0') {
        buf[0] = '0';
        n = 1;
    }
    buf[n] = '\0';
    return n;
}

int ld_to_str(char *buf, size_t len, long double value, ld_str_mode mode) {
    int n;
    if (isinf(value)) {
        const char *txt = value > 0 ? "inf" : "-inf";
        if (len < 5) return 0;
        memcpy(buf, txt, strlen(txt) + 1);
        return (int)strlen(txt);
    }
    switch (mode) {
    case LD_STR_HUMAN: return ld_to_str_human(buf, len, value);
    case LD_STR_HEX: n = snprintf(buf, len, "%La", value); break;
    case LD_STR_AUTO:
    default: n = snprintf(buf, len, "%.17Lg", value); break;
    }
    if (n < 0 || (size_t)n + 1 > len) return 0;
    return n;
}

int double_to_str(char *buf, size_t len, double value) {
    int n;
    if (isnan(value)) {
        n = snprintf(buf, len, "nan");
    } else if (isinf(value)) {
        n = snprintf(buf, len, value < 0 ? "-inf" : "inf");
    } else if (value == 0) {
        n = snprintf(buf, len, signbit(value) ? "-0" : "0");
    } else if (value > -4503599627370495.0 && value < 4503599627370496.0 &&
               value == (double)(long long)value) {
        /* Integral and exactly representable: print as an integer (faster, no exponent). */
        return ll_to_str(buf, len, (long long)value);
    } else {
        n = snprintf(buf, len, "%.17g", value);
    }
    if (n < 0 || (size_t)n + 1 > len) return 0;
    return n;
}

/* ----------------------------------------------------------------------------------------
 * Glob matching
 *
 * Same language and corner cases as Redis stringmatchlen: '*' any run, '?' one byte, '[...]'
 * a set with '^' negation, 'a-z' ranges (reversed ranges swapped) and '\' escapes, '\' outside
 * a set escapes the next byte. Bytes compare as signed chars, as in Redis. Two guards keep
 * hostile patterns cheap: recursion deeper than 1000 '*' fails, and once the tail after a
 * '*' matched nowhere in the remaining string, every outer '*' gives up too (a longer match
 * for an earlier star could only start the tail later), which makes "a*a*a*...b" linear-ish.
 * Unlike Redis we never read past patlen, since slices need not be NUL terminated.
 * ------------------------------------------------------------------------------------- */

#define GLOB_MAX_NESTING 1000

static int glob_lower(int c) {
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static int glob_eq(int a, int b, int nocase) {
    return nocase ? glob_lower(a) == glob_lower(b) : a == b;
}

/* Match one '[...]' set against byte c. *pp and *plen point just after '['; on return they
 * point at the closing ']' (or the last pattern byte when the set is unterminated). */
static int glob_set(const signed char **pp, size_t *plen, int c, int nocase) {
    const signed char *p = *pp;
    size_t n = *plen;
    int negate = n > 0 && p[0] == '^', match = 0;
    if (negate) p++, n--;
    for (;;) {
        if (n >= 2 && p[0] == '\\') {
            p++, n--;
            if (p[0] == c) match = 1;
        } else if (n == 0) {
            p--, n++;   /* unterminated: stay on the last byte */
            break;
        } else if (p[0] == ']') {
            break;
        } else if (n >= 3 && p[1] == '-') {
            int lo = p[0], hi = p[2], x = c;
            if (lo > hi) {
                int t = lo;
                lo = hi;
                hi = t;
            }
            if (nocase) lo = glob_lower(lo), hi = glob_lower(hi), x = glob_lower(x);
            p += 2, n -= 2;
            if (x >= lo && x <= hi) match = 1;
        } else if (glob_eq(p[0], c, nocase)) {
            match = 1;
        }
        p++, n--;
    }
    *pp = p;
    *plen = n;
    return negate ? !match : match;
}

static int glob_impl(const signed char *p, size_t plen, const signed char *s, size_t slen,
                     int nocase, int *give_up, int nesting) {
    if (nesting > GLOB_MAX_NESTING) return 0;
    while (plen && slen) {
        switch (p[0]) {
        case '*':
            while (plen > 1 && p[1] == '*') p++, plen--;
            if (plen == 1) return 1;
            for (; slen; s++, slen--) {
                if (glob_impl(p + 1, plen - 1, s, slen, nocase, give_up, nesting + 1)) return 1;
                if (*give_up) return 0;
            }
            *give_up = 1;
            return 0;
        case '?':
            s++, slen--;
            break;
        case '[':
            p++, plen--;
            if (!glob_set(&p, &plen, s[0], nocase)) return 0;
            s++, slen--;
            break;
        case '\\':
            if (plen >= 2) p++, plen--;
            /* fall through */
        default:
            if (!glob_eq(p[0], s[0], nocase)) return 0;
            s++, slen--;
            break;
        }
        p++, plen--;
        if (slen == 0) {
            while (plen && p[0] == '*') p++, plen--;
            break;
        }
    }
    return plen == 0 && slen == 0;
}

int glob_match(const char *pat, size_t patlen, const char *s, size_t slen, int nocase) {
    int give_up = 0;
    return glob_impl((const signed char *)pat, patlen, (const signed char *)s, slen, nocase,
                     &give_up, 0);
}

/* ----------------------------------------------------------------------------------------
 * Clocks and randomness
 * ------------------------------------------------------------------------------------- */

long long ustime(void) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

long long mstime(void) {
    return ustime() / 1000;
}

uint64_t monotonic_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

void random_bytes(void *p, size_t len) {
    unsigned char *out = p;
    while (len > 0) {
        int chunk = len > INT_MAX ? INT_MAX : (int)len;
        /* Without entropy we cannot make run ids or hash seeds safely: stop. */
        if (RAND_bytes(out, chunk) != 1) kl_panic("RAND_bytes failed: no entropy source");
        out += chunk;
        len -= (size_t)chunk;
    }
}

void random_hex(char *p, size_t len) {
    static const char hex[] = "0123456789abcdef";
    random_bytes(p, len);
    for (size_t i = 0; i < len; i++) p[i] = hex[(unsigned char)p[i] & 0x0f];
}

/* ----------------------------------------------------------------------------------------
 * Memory units and small string helpers
 * ------------------------------------------------------------------------------------- */

int mem_to_ull(const char *s, unsigned long long *out) {
    static const struct { const char *unit; unsigned long long mul; } units[] = {
        {"", 1}, {"b", 1}, {"k", 1000}, {"kb", 1024}, {"m", 1000ULL * 1000},
        {"mb", 1024ULL * 1024}, {"g", 1000ULL * 1000 * 1000}, {"gb", 1024ULL * 1024 * 1024},
    };
    size_t digits = 0;
    while (s[digits] >= '0' && s[digits] <= '9') digits++;
    unsigned long long mul = 0;
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
        if (str_eq_nocase(s + digits, strlen(s + digits), units[i].unit)) mul = units[i].mul;
    }
    if (mul == 0) return 0;   /* unknown unit, '-', '+', spaces, dots... */
    unsigned long long v = 0;
    /* As Redis, no digits at all ("" or "kb") reads as 0. Leading zeros are fine. */
    for (size_t i = 0; i < digits; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (ULLONG_MAX - d) / 10) return 0;
        v = v * 10 + d;
    }
    if (v > ULLONG_MAX / mul) return 0;
    if (out) *out = v * mul;
    return 1;
}

void bytes_to_human(char *buf, size_t len, unsigned long long n) {
    static const char units[] = "KMGTP";
    if (n < 1024) {
        snprintf(buf, len, "%lluB", n);
        return;
    }
    double scale = 1024.0;
    for (int i = 0; units[i]; i++) {
        if ((long double)n < (long double)scale * 1024.0L) {
            snprintf(buf, len, "%.2f%c", (double)n / scale, units[i]);
            return;
        }
        scale *= 1024.0;
    }
    snprintf(buf, len, "%lluB", n);   /* beyond petabytes: as Redis, raw bytes */
}

int str_eq_nocase(const char *s, size_t len, const char *cstr) {
    size_t i;
    for (i = 0; i < len; i++) {
        if (cstr[i] == '\0') return 0;
        if (glob_lower((unsigned char)s[i]) != glob_lower((unsigned char)cstr[i])) return 0;
    }
    return cstr[i] == '\0';
}
