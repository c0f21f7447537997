/* resp_writer.h -- RESP2/RESP3 encoders that format headers and scalars into a caller's
 * small buffer. They allocate nothing: the server's reply layer appends the bytes where it
 * wants (its own block list), and the sentinel and tests reuse the same encoders.
 *
 * Every function returns the number of bytes written into out, which must have room for
 * RESP_HDR_MAX bytes. Doubles follow Redis 7.0 addReplyDouble: "%.17g" (1.1 prints as
 * "1.1000000000000001", 1e20 as "1e+20", 3 as "3"), infinities as "inf"/"-inf"; RESP2
 * sends that text as a bulk string, RESP3 as ",<text>\r\n". NaN prints as glibc's %.17g
 * does ("nan" or "-nan"). Pure functions: no allocation, no I/O, no globals.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_RESP_WRITER_H
#define KEEL_RESP_WRITER_H

#include <stddef.h>

#define RESP_HDR_MAX 64

/* '<prefix><n>\r\n', e.g. ('*', 3) -> "*3\r\n", ('$', 5), (':', -1), ('%', 2), ('~', 1),
 * ('>', 3), ('|', 1). */
size_t resp_fmt_len(char *out, char prefix, long long n);

/* Text of a double as Redis prints it in replies (%.17g, "inf", "-inf", "nan"); no framing,
 * NUL terminated (the NUL is not counted). Returns length. Used for RESP2 bulk doubles and
 * RESP3 ','. */
size_t resp_fmt_double_text(char *out, double d);

/* A full RESP3 double ",<text>\r\n". */
size_t resp_fmt_double3(char *out, double d);

/* Verbatim string header "=<len+4>\r\n<fmt>:" (fmt is 3 chars, e.g. "txt"). The caller
 * appends the payload and "\r\n". */
size_t resp_fmt_verbatim_hdr(char *out, size_t payload_len, const char *fmt);

#endif
