/* lzf.c -- LZF compressor and decompressor (format in lzf.h). The compressor finds
 * matches through a hash of the next three bytes pointing at their last position; the
 * decompressor checks every literal run and back reference against both buffers.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/lzf.h"

#include <stdint.h>
#include <string.h>

#define LZF_HBITS 13
#define LZF_MAX_OFF 8192            /* farthest back reference */
#define LZF_MAX_REF (264)           /* longest match: (7 + 255) + 2 */
#define LZF_MAX_LIT 32              /* longest literal run */

static inline uint32_t lzf_hash(const unsigned char *p) {
    uint32_t v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
    return (v * 2654435761u) >> (32 - LZF_HBITS);
}

/* Emit a back reference of len bytes at distance dist. 0 ok, -1 no room. */
static int lzf_emit_ref(unsigned char **op, unsigned char *oend, size_t len, size_t dist) {
    size_t l = len - 2, off = dist - 1;
    size_t need = l < 7 ? 2 : 3;
    if ((size_t)(oend - *op) < need) return -1;
    unsigned char *o = *op;
    if (l < 7) {
        *o++ = (unsigned char)((l << 5) | (off >> 8));
    } else {
        *o++ = (unsigned char)((7 << 5) | (off >> 8));
        *o++ = (unsigned char)(l - 7);
    }
    *o++ = (unsigned char)(off & 0xff);
    *op = o;
    return 0;
}

/* Length of the match between in+ref and in+i, at most max. */
static size_t lzf_match_len(const unsigned char *in, size_t ref, size_t i, size_t max) {
    size_t len = 0;
    while (len < max && in[ref + len] == in[i + len]) len++;
    return len;
}

size_t lzf_compress(const void *in_v, size_t in_len, void *out_v, size_t out_len) {
    const unsigned char *in = in_v;
    unsigned char *op = out_v, *oend = op + out_len, *litp = NULL;
    uint32_t htab[1 << LZF_HBITS];
    memset(htab, 0, sizeof(htab));
    size_t i = 0;
    while (i < in_len) {
        if (i + 2 < in_len) {
            uint32_t h = lzf_hash(in + i);
            size_t ref = htab[h];            /* position + 1, 0 = empty */
            htab[h] = (uint32_t)(i + 1);
            if (ref && i - (ref - 1) <= LZF_MAX_OFF && i < UINT32_MAX) {
                size_t max = in_len - i < LZF_MAX_REF ? in_len - i : LZF_MAX_REF;
                size_t len = lzf_match_len(in, ref - 1, i, max);
                if (len >= 3) {
                    if (lzf_emit_ref(&op, oend, len, i - (ref - 1)) < 0) return 0;
                    litp = NULL;
                    for (size_t k = i + 1; k < i + len && k + 2 < in_len; k++)
                        htab[lzf_hash(in + k)] = (uint32_t)(k + 1);
                    i += len;
                    continue;
                }
            }
        }
        if (!litp || *litp == LZF_MAX_LIT - 1) {
            if (oend - op < 2) return 0;
            litp = op++;
            *litp = 0;
        } else {
            if (op >= oend) return 0;
            (*litp)++;
        }
        *op++ = in[i++];
    }
    return (size_t)(op - (unsigned char *)out_v);
}

size_t lzf_decompress(const void *in_v, size_t in_len, void *out_v, size_t out_len) {
    const unsigned char *ip = in_v, *iend = ip + in_len;
    unsigned char *out = out_v, *op = out, *oend = out + out_len;
    while (ip < iend) {
        size_t c = *ip++;
        if (c < 32) {
            size_t n = c + 1;
            if ((size_t)(iend - ip) < n || (size_t)(oend - op) < n) return 0;
            memcpy(op, ip, n);
            op += n;
            ip += n;
            continue;
        }
        size_t len = c >> 5;
        if (len == 7) {
            if (ip >= iend) return 0;
            len += *ip++;
        }
        len += 2;
        if (ip >= iend) return 0;
        size_t dist = ((c & 31) << 8 | *ip++) + 1;
        if (dist > (size_t)(op - out) || (size_t)(oend - op) < len) return 0;
        const unsigned char *ref = op - dist;
        for (size_t k = 0; k < len; k++) op[k] = ref[k];   /* may overlap forwards */
        op += len;
    }
    return (size_t)(op - out);
}
