/* lzf.h -- LZF compression as used inside RDB files (compressed strings and quicklist
 * nodes), written from the format description.
 *
 * Format: a sequence of items, each starting with a control byte c.
 *   c < 32      : a literal run of c + 1 bytes follows.
 *   c >= 32     : a back reference. len = c >> 5 (7 means "7 + next byte"); then one byte
 *                 lo; the match starts ((c & 31) << 8 | lo) + 1 bytes back in the output
 *                 and is len + 2 bytes long (it may overlap the bytes it produces).
 * Both functions never write past out_len and never read past in_len.
 * Pure functions (the compressor's hash table is on the stack): thread safe.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_LZF_H
#define KEEL_LZF_H

#include <stddef.h>

/* Largest expansion a valid stream can have: a 2-byte reference yields at most 8 bytes,
 * a 3-byte one at most 264; used to reject absurd declared lengths before allocating. */
#define LZF_MAX_RATIO 88

/* Compress in_len bytes into out (capacity out_len). Returns the compressed size, or 0
 * when the result would not fit in out_len (or in_len is 0). */
size_t lzf_compress(const void *in, size_t in_len, void *out, size_t out_len);

/* Decompress into out (capacity out_len). Returns the number of bytes produced, or 0 on
 * a corrupt stream (bad back reference, truncated item) or when the output does not fit. */
size_t lzf_decompress(const void *in, size_t in_len, void *out, size_t out_len);

#endif
