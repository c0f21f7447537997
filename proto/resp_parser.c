/* resp_parser.c -- incremental, zero-copy parser for client requests (multibulk + inline).
 *
 * The request grammar and every error text follow Redis 7.0 (processInlineBuffer,
 * processMultibulkBuffer, sdssplitargs, string2ll). Progress is kept as offsets from the
 * start of the request so the caller may move its buffer between calls, and each byte is
 * scanned a bounded number of times however the input is split.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "proto/resp_parser.h"
#include "proto/resp_num.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BULK_LEN_DEFAULT (512LL * 1024 * 1024)
#define ARGV_FIRST_CAP   1024   /* Redis starts argv at min(n, 1024) slots */

enum {
    PS_START = 0,   /* at the first byte of a request */
    PS_INLINE,      /* looking for the '\n' ending an inline request */
    PS_MB_COUNT,    /* looking for the '\r' ending "*<n>" */
    PS_BULK_HDR,    /* looking for the '\r' ending "$<len>" */
    PS_BULK_DATA,   /* waiting for <len> payload bytes plus 2 */
};

/* ------------------------------------------------------------------ helpers */

static ssize_t set_error(resp_parser *p, const char *msg)
{
    snprintf(p->err, sizeof(p->err), "%s", msg);
    return RESP_ERROR;
}

/* Begin scanning a new line (or payload) at offset off. */
static void start_line(resp_parser *p, size_t off)
{
    p->line_start = off;
    p->pos = off;
    p->nul_stall = 0;
}

/* Forget the request in progress (not the error, not the last result). */
static void clear_request(resp_parser *p)
{
    p->state = PS_START;
    p->mbulk_left = 0;
    p->bulk_len = -1;
    p->nargs = 0;
    p->seen = 0;
    start_line(p, 0);
}

/* Find the terminator c of the line starting at p->line_start the way Redis's strchr does:
 * a NUL byte before it hides it for good. `after` bytes from the terminator on must be
 * buffered. Returns the terminator's offset, RESP_NEED_MORE, or RESP_ERROR (toobig) when
 * no terminator is visible and more than RESP_INLINE_MAX_SIZE bytes are buffered. Scans
 * every byte once: p->pos remembers how far it looked. */
static ssize_t find_term(resp_parser *p, const char *buf, size_t len, char c, size_t after,
                         const char *toobig)
{
    if (!p->nul_stall) {
        const char *hit = memchr(buf + p->pos, c, len - p->pos);
        size_t end = hit ? (size_t)(hit - buf) : len;

        if (memchr(buf + p->pos, '\0', end - p->pos)) {
            p->nul_stall = 1;
        } else if (hit) {
            p->pos = end;
            return end + after <= len ? (ssize_t)end : RESP_NEED_MORE;
        } else {
            p->pos = len;
        }
    }
    if (len - p->line_start > RESP_INLINE_MAX_SIZE)
        return set_error(p, toobig);
    return RESP_NEED_MORE;
}

static int grow_offsets(resp_parser *p)
{
    long long want = p->nargs + p->mbulk_left;   /* never more than the declared count */
    long long cap = p->arg_cap ? (long long)p->arg_cap * 2 : ARGV_FIRST_CAP;
    size_t *off, *len;

    if (cap > want)
        cap = want;
    if (cap > INT_MAX)
        cap = INT_MAX;
    off = realloc(p->arg_off, (size_t)cap * sizeof(*off));
    if (!off)
        return -1;
    p->arg_off = off;
    len = realloc(p->arg_len, (size_t)cap * sizeof(*len));
    if (!len)
        return -1;
    p->arg_len = len;
    p->arg_cap = (int)cap;
    return 0;
}

static int ensure_argv(resp_parser *p, int n)
{
    resp_arg *a;
    int cap = p->argv_cap ? p->argv_cap : 8;

    if (n <= p->argv_cap)
        return 0;
    while (cap < n)
        cap = cap > INT_MAX / 2 ? INT_MAX : cap * 2;
    a = realloc(p->argv, (size_t)cap * sizeof(*a));
    if (!a)
        return -1;
    p->argv = a;
    p->argv_cap = cap;
    return 0;
}

/* ------------------------------------------------------------------ inline splitting */

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static int hex_val(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static char unescape(int c)
{
    switch (c) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'b': return '\b';
    case 'a': return '\a';
    default: return (char)c;
    }
}

#define CH(k) ((k) < len ? (unsigned char)s[k] : 0)

/* One token of sdssplitargs, starting at *ip (not a blank). Writes the unescaped bytes at
 * *wp (never past the read position). Returns 0 or -1 for unbalanced quotes. A state
 * machine over three modes (plain, "double", 'single'), so longer than usual. */
static int split_token(char *s, size_t len, size_t *ip, size_t *wp)
{
    size_t i = *ip, w = *wp;
    int inq = 0, insq = 0;

    for (;;) {
        int c = CH(i), next = CH(i + 1);
        if (inq) {
            if (c == '\\' && next == 'x' && hex_val(CH(i + 2)) >= 0 && hex_val(CH(i + 3)) >= 0) {
                s[w++] = (char)(hex_val(CH(i + 2)) * 16 + hex_val(CH(i + 3)));
                i += 4;
            } else if (c == '\\' && next) {
                s[w++] = unescape(next);
                i += 2;
            } else if (c == '"') {
                if (next && !is_space(next))
                    return -1;
                i++;
                break;
            } else if (!c) {
                return -1;
            } else {
                s[w++] = (char)c;
                i++;
            }
        } else if (insq) {
            if (c == '\\' && next == '\'') {
                s[w++] = '\'';
                i += 2;
            } else if (c == '\'') {
                if (next && !is_space(next))
                    return -1;
                i++;
                break;
            } else if (!c) {
                return -1;
            } else {
                s[w++] = (char)c;
                i++;
            }
        } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\0') {
            if (c)
                i++;
            break;
        } else if (c == '"' || c == '\'') {
            inq = c == '"';
            insq = c == '\'';
            i++;
        } else {
            s[w++] = (char)c;
            i++;
        }
    }
    *ip = i;
    *wp = w;
    return 0;
}

#undef CH

/* Split s[0..len) into *argv (grown as needed, capacity *cap). Returns 0, -1 unbalanced
 * quotes, -2 OOM; *argc gets the count on success. */
static int split_args(char *s, size_t len, resp_arg **argv, int *cap, int *argc)
{
    size_t i = 0;
    int n = 0;

    len = len ? strnlen(s, len) : 0;
    for (;;) {
        size_t start, w;
        while (i < len && is_space((unsigned char)s[i]))
            i++;
        if (i >= len)
            break;
        start = w = i;
        if (split_token(s, len, &i, &w))
            return -1;
        if (n == *cap) {
            int ncap = *cap ? (*cap > INT_MAX / 2 ? INT_MAX : *cap * 2) : 8;
            resp_arg *a;
            if (n == INT_MAX)
                return -2;
            a = realloc(*argv, (size_t)ncap * sizeof(*a));
            if (!a)
                return -2;
            *argv = a;
            *cap = ncap;
        }
        (*argv)[n].ptr = s + start;
        (*argv)[n].len = w - start;
        n++;
    }
    *argc = n;
    return 0;
}

int resp_split_inline(char *line, size_t len, resp_arg **argv, int *argc)
{
    int cap = 0, rc;

    *argv = NULL;
    *argc = 0;
    rc = split_args(line, len, argv, &cap, argc);
    if (rc == 0 && *argv == NULL) {
        *argv = malloc(sizeof(**argv));
        if (!*argv)
            rc = -2;
    }
    if (rc != 0) {
        free(*argv);
        *argv = NULL;
        *argc = 0;
    }
    return rc;
}

/* ------------------------------------------------------------------ request parsing */

static ssize_t parse_inline(resp_parser *p, const char *buf, size_t len)
{
    ssize_t nl = find_term(p, buf, len, '\n', 1, "Protocol error: too big inline request");
    size_t line_len;
    int argc = 0, rc;

    if (nl < 0)
        return nl;
    line_len = (size_t)nl;
    if (line_len > 0 && buf[line_len - 1] == '\r')
        line_len--;
    if (line_len > p->scratch_cap) {
        char *s = realloc(p->scratch, line_len);
        if (!s)
            return set_error(p, RESP_ERR_OOM);
        p->scratch = s;
        p->scratch_cap = line_len;
    }
    if (line_len > 0)
        memcpy(p->scratch, buf, line_len);   /* unescape a copy: buf stays as received */
    rc = split_args(p->scratch, line_len, &p->argv, &p->argv_cap, &argc);
    if (rc == -1)
        return set_error(p, "Protocol error: unbalanced quotes in request");
    if (rc == -2)
        return set_error(p, RESP_ERR_OOM);
    p->argc = argc;
    p->is_inline = 1;
    clear_request(p);
    return nl + 1;
}

/* The request ends at p->line_start: publish argv as pointers into buf. */
static ssize_t finish_multibulk(resp_parser *p, char *buf)
{
    size_t consumed = p->line_start;
    int i;

    if (ensure_argv(p, p->nargs))
        return set_error(p, RESP_ERR_OOM);
    for (i = 0; i < p->nargs; i++) {
        p->argv[i].ptr = buf + p->arg_off[i];
        p->argv[i].len = p->arg_len[i];
    }
    p->argc = p->nargs;
    p->is_inline = 0;
    clear_request(p);
    return (ssize_t)consumed;
}

static ssize_t parse_count(resp_parser *p, const char *buf, size_t len)
{
    long long limit = p->max_multibulk > 0 && p->max_multibulk < INT_MAX ? p->max_multibulk
                                                                         : INT_MAX;
    ssize_t cr = find_term(p, buf, len, '\r', 2, "Protocol error: too big mbulk count string");
    long long n;

    if (cr < 0)
        return cr;
    if (!resp_parse_ll(buf + 1, (size_t)cr - 1, &n) || n > limit)
        return set_error(p, "Protocol error: invalid multibulk length");
    if (n > 10 && p->unauthenticated)
        return set_error(p, "Protocol error: unauthenticated multibulk length");
    start_line(p, (size_t)cr + 2);
    p->mbulk_left = n > 0 ? n : 0;
    p->state = PS_BULK_HDR;
    return 0;
}

static ssize_t parse_bulk_header(resp_parser *p, const char *buf, size_t len)
{
    ssize_t cr = find_term(p, buf, len, '\r', 2, "Protocol error: too big bulk count string");
    unsigned char first;
    long long n;

    if (cr < 0)
        return cr;
    first = (unsigned char)buf[p->line_start];
    if (first != '$') {
        char msg[64];
        /* Redis replaces newlines in error replies with spaces. */
        snprintf(msg, sizeof(msg), "Protocol error: expected '$', got '%c'",
                 first == '\r' || first == '\n' ? ' ' : first);
        return set_error(p, msg);
    }
    if (!resp_parse_ll(buf + p->line_start + 1, (size_t)cr - p->line_start - 1, &n) || n < 0 ||
        n > p->max_bulk_len)
        return set_error(p, "Protocol error: invalid bulk length");
    if (n > 16384 && p->unauthenticated)
        return set_error(p, "Protocol error: unauthenticated bulk length");
    p->bulk_len = n;
    start_line(p, (size_t)cr + 2);
    p->state = PS_BULK_DATA;
    return 0;
}

static ssize_t parse_multibulk(resp_parser *p, char *buf, size_t len)
{
    ssize_t rc;

    if (p->state == PS_MB_COUNT && (rc = parse_count(p, buf, len)) != 0)
        return rc;
    while (p->mbulk_left > 0) {
        if (p->state == PS_BULK_HDR && (rc = parse_bulk_header(p, buf, len)) != 0)
            return rc;
        if ((unsigned long long)(len - p->line_start) < (unsigned long long)p->bulk_len + 2)
            return RESP_NEED_MORE;
        if (p->nargs == p->arg_cap && grow_offsets(p))
            return set_error(p, RESP_ERR_OOM);
        p->arg_off[p->nargs] = p->line_start;
        p->arg_len[p->nargs] = (size_t)p->bulk_len;
        p->nargs++;
        p->mbulk_left--;
        start_line(p, p->line_start + (size_t)p->bulk_len + 2);
        p->bulk_len = -1;
        p->state = PS_BULK_HDR;
    }
    return finish_multibulk(p, buf);
}

ssize_t resp_parse_request(resp_parser *p, char *buf, size_t len)
{
    if (p->err[0])
        return RESP_ERROR;
    p->argc = 0;
    if (p->scratch_cap > RESP_INLINE_MAX_SIZE) {   /* do not keep a huge inline copy */
        free(p->scratch);
        p->scratch = NULL;
        p->scratch_cap = 0;
    }
    if (len < p->seen || len < p->pos)   /* contract broken: restart this request */
        clear_request(p);
    p->seen = len;
    if (len == 0)
        return RESP_NEED_MORE;
    if (p->state == PS_START)
        p->state = buf[0] == '*' ? PS_MB_COUNT : PS_INLINE;
    if (p->state == PS_INLINE)
        return parse_inline(p, buf, len);
    return parse_multibulk(p, buf, len);
}

/* ------------------------------------------------------------------ lifecycle */

void resp_parser_init(resp_parser *p)
{
    memset(p, 0, sizeof(*p));
    p->max_bulk_len = BULK_LEN_DEFAULT;
    p->max_multibulk = INT_MAX;
    clear_request(p);
}

void resp_parser_free(resp_parser *p)
{
    free(p->argv);
    free(p->arg_off);
    free(p->arg_len);
    free(p->scratch);
    p->scratch = NULL;
    p->scratch_cap = 0;
    p->argv = NULL;
    p->arg_off = NULL;
    p->arg_len = NULL;
    p->argv_cap = p->arg_cap = 0;
    p->argc = 0;
}

size_t resp_parser_pending_bulk(const resp_parser *p)
{
    unsigned long long need, have;

    if (p->state != PS_BULK_DATA || p->bulk_len < 0 || p->seen < p->line_start)
        return 0;
    need = (unsigned long long)p->bulk_len + 2;
    have = p->seen - p->line_start;
    return need > have ? (size_t)(need - have) : 0;
}

void resp_parser_reset(resp_parser *p)
{
    clear_request(p);
    p->err[0] = '\0';
    p->argc = 0;
    p->seen = 0;
}
