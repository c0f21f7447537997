/* resp_writer.c -- RESP2/RESP3 header and scalar encoders into a caller's small buffer.
 *
 * Used by the server's reply layer, the sentinel and the tests so that every place prints
 * lengths and doubles the way Redis 7.0 does (addReplyLongLongWithPrefix, addReplyDouble).
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "proto/resp_writer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Decimal digits of v into out (no NUL); returns the count. Handles LLONG_MIN. */
static size_t fmt_ll(char *out, long long v)
{
    char tmp[24];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    size_t n = 0, i = 0;

    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[i++] = '-';
    while (n)
        out[i++] = tmp[--n];
    return i;
}

size_t resp_fmt_len(char *out, char prefix, long long n)
{
    size_t i = 0;

    out[i++] = prefix;
    i += fmt_ll(out + i, n);
    out[i++] = '\r';
    out[i++] = '\n';
    return i;
}

size_t resp_fmt_double_text(char *out, double d)
{
    int n;

    if (isinf(d)) {
        memcpy(out, d > 0 ? "inf" : "-inf", d > 0 ? 4 : 5);
        return d > 0 ? 3 : 4;
    }
    n = snprintf(out, RESP_HDR_MAX, "%.17g", d);
    return n > 0 ? (size_t)n : 0;
}

size_t resp_fmt_double3(char *out, double d)
{
    size_t n;

    out[0] = ',';
    n = 1 + resp_fmt_double_text(out + 1, d);
    out[n++] = '\r';
    out[n++] = '\n';
    return n;
}

size_t resp_fmt_verbatim_hdr(char *out, size_t payload_len, const char *fmt)
{
    size_t n = resp_fmt_len(out, '=', (long long)(payload_len + 4));

    memcpy(out + n, fmt, 3);
    out[n + 3] = ':';
    return n + 4;
}
