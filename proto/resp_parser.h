/* resp_parser.h -- incremental parser for client requests (RESP multibulk and inline).
 *
 * Why: the server reads bytes in arbitrary pieces; the parser must resume where it stopped
 * without rescanning, and must hand back arguments without copying them (picohttpparser's
 * contract). It keeps offsets, not pointers, across calls because the caller may grow
 * (realloc) its buffer between calls.
 *
 * Ownership: multibulk argv slices point into the caller's buffer and stay valid until the
 * caller discards or moves those bytes (and until the next parse call). Inline arguments
 * are unescaped into a parser-owned copy, valid until the next parse call. The caller's
 * buffer is never modified, so a request may be parsed again after resp_parser_reset.
 * No I/O, no globals; allocation failure becomes RESP_ERR_OOM.
 * Behaviour follows Redis 7 processInlineBuffer/processMultibulkBuffer (networking.c).
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_RESP_PARSER_H
#define KEEL_RESP_PARSER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define RESP_INLINE_MAX_SIZE (64 * 1024)        /* Redis PROTO_INLINE_MAX_SIZE */
#define RESP_MBULK_MAX_LEN   (1024L * 1024 * 1024) /* fallback bound on '*<n>' */

/* Return values of resp_parse_request besides a positive byte count. */
#define RESP_NEED_MORE (-2)
#define RESP_ERROR     (-1)

/* Text put in p->err (with RESP_ERROR) when an internal allocation fails. */
#define RESP_ERR_OOM   "Protocol error: out of memory while parsing the request"

typedef struct resp_arg {
    char *ptr;
    size_t len;
} resp_arg;

typedef struct resp_parser {
    /* public: limits, set by the caller before/between calls */
    long long max_bulk_len;    /* proto-max-bulk-len, default 512 MiB */
    long long max_multibulk;   /* max '*<n>' accepted, default INT32_MAX like Redis */
    int unauthenticated;       /* set while the client must still AUTH: like Redis, then
                                * '*<n>' > 10 and '$<len>' > 16384 are protocol errors
                                * ("unauthenticated multibulk length" / "bulk length") */
    /* read-only: result of the last complete request */
    resp_arg *argv;            /* owned by the parser, valid until the next parse call */
    int argc;
    int is_inline;             /* last request was an inline command */
    char err[128];             /* sticky error text, e.g. "Protocol error: invalid bulk length" */
    /* private: resumable state (offsets relative to the request start, never pointers) */
    int state;
    long long mbulk_left;      /* args still expected in current multibulk */
    long long bulk_len;        /* length of the bulk being read, -1 if none */
    size_t pos;                /* bytes of the current line already scanned */
    size_t line_start;         /* start of the current header line, or of the bulk payload */
    size_t seen;               /* len of the last call (for resp_parser_pending_bulk) */
    int nul_stall;             /* a NUL byte hides the current line's terminator (strchr) */
    int nargs;                 /* args of the current multibulk parsed so far */
    char *scratch;             /* unescaped copy of the last inline request */
    size_t scratch_cap;
    int argv_cap;
    size_t *arg_off;           /* offsets of args parsed so far (relative to request start) */
    size_t *arg_len;
    int arg_cap;
} resp_parser;

/* Initialise with Redis defaults. resp_parser_free releases internal arrays. */
void resp_parser_init(resp_parser *p);
void resp_parser_free(resp_parser *p);

/* Parse one request from buf[0..len), where buf starts at the first byte of a request
 * (the caller removes consumed bytes or advances buf). Returns:
 *   n > 0          : a whole request was parsed and spans buf[0..n); p->argv/p->argc hold
 *                    it (argc may be 0 for an empty inline line or '*0'/'*-1': skip it).
 *   RESP_NEED_MORE : incomplete; call again with the same buf start and more bytes.
 *   RESP_ERROR     : malformed; p->err holds Redis's text without "-ERR " (sticky until
 *                    resp_parser_reset). The caller replies "-ERR <err>" and closes.
 *                    Allocation failure is also RESP_ERROR, with err == RESP_ERR_OOM.
 * Between NEED_MORE calls the caller must keep buf[0..len) unchanged (it may realloc, and
 * must pass a len that only grows). argv slices are not NUL terminated.
 * Quirks kept from Redis: the CRLF after a bulk is not checked, nor the byte after a '\r'
 * ending a '*'/'$' line; a NUL byte before a line terminator hides the terminator (Redis
 * uses strchr), so the request waits until the 64 KiB limit error. Inline lines and count
 * lines without their terminator fail once more than RESP_INLINE_MAX_SIZE bytes are
 * buffered from their start. Pure function of its inputs: no I/O, safe in libuv callbacks. */
ssize_t resp_parse_request(resp_parser *p, char *buf, size_t len);

/* When the parser is inside a bulk payload, the number of bytes (payload plus its trailing
 * CRLF) still missing after the len of the last call (lets the caller grow its buffer
 * once); 0 otherwise. */
size_t resp_parser_pending_bulk(const resp_parser *p);

/* Forget any partial request and the sticky error. */
void resp_parser_reset(resp_parser *p);

/* Split a line into arguments like Redis's sdssplitargs (quotes, \xHH escapes); a NUL
 * byte ends the line like in a C string. Unescapes in place into line; on success *argv
 * is a malloc'd array of *argc slices into line (caller frees *argv; it is non-NULL even
 * when *argc is 0). Returns 0, -1 on unbalanced quotes, -2 on allocation failure (then
 * *argv is NULL and *argc 0). Used for inline commands and by redis-cli-like tools. */
int resp_split_inline(char *line, size_t len, resp_arg **argv, int *argc);

#endif
