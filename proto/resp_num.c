/* resp_num.c -- strict integer parsing (Redis string2ll rules), one copy for proto/ and
 * common/.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "proto/resp_num.h"

#include <limits.h>

/* Strict decimal like Redis string2ll: no sign but '-', no leading zero, no spaces, fits
 * in long long, fewer than 21 characters. Returns 1 and sets *out, or 0. */
int resp_parse_ll(const char *s, size_t n, long long *out)
{
    unsigned long long v = 0;
    size_t i = 0;
    int neg = 0;

    if (n == 0 || n >= 21)
        return 0;
    if (n == 1 && s[0] == '0') {
        if (out)
            *out = 0;
        return 1;
    }
    if (s[0] == '-') {
        neg = 1;
        if (++i == n)
            return 0;
    }
    if (s[i] < '1' || s[i] > '9')
        return 0;
    for (; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (s[i] < '0' || s[i] > '9')
            return 0;
        if (v > (ULLONG_MAX - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (unsigned long long)LLONG_MAX + 1)
            return 0;
        if (out)
            *out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)v;
    } else {
        if (v > (unsigned long long)LLONG_MAX)
            return 0;
        if (out)
            *out = (long long)v;
    }
    return 1;
}
