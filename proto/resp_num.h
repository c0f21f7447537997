/* resp_num.h -- the strict integer syntax shared by RESP framing and Redis commands.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_RESP_NUM_H
#define KEEL_RESP_NUM_H

#include <stddef.h>

/* Strict decimal like Redis string2ll: only '-' as sign, no leading zero (except "0"), no
 * spaces, fits in long long, at most 20 characters. Returns 1 and sets *out (when
 * non-NULL), or 0. Pure; used by the request parser, the reply reader and common/util. */
int resp_parse_ll(const char *s, size_t n, long long *out);

#endif
