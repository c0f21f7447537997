/* resp_reader.c -- incremental RESP2/RESP3 reply reader (hiredis read.c shape).
 *
 * Replicas and sentinels read replies from peers that may be hostile or broken, so every
 * size is bounded before it is used: line length, bulk length, aggregate element count and
 * nesting depth. Items are parsed whole or not at all; aggregates are kept on an explicit
 * stack between calls, so input may arrive split at any byte. Allocation failure is a
 * sticky error, never an abort.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "proto/resp_reader.h"
#include "proto/resp_num.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_MAX_BULK     (512UL * 1024 * 1024)
#define DEFAULT_MAX_ELEMENTS (1UL << 30)
#define DEFAULT_MAX_DEPTH    64
#define NUM_LINE_MAX         512   /* numeric and length lines */

typedef struct frame {
    resp_value *v;        /* aggregate being filled */
    size_t expected;      /* children expected (2n for maps and attributes) */
    size_t cap;           /* slots allocated in v->element */
    resp_value *attr;     /* attribute waiting for the next child */
} frame;

typedef struct rstate {
    frame *frames;
    int cap;
    resp_value *root_attr;   /* attribute waiting for the next top-level reply */
    size_t scan;             /* bytes after r->pos + 1 already searched for '\r' */
} rstate;

/* ------------------------------------------------------------------ helpers */

static int set_err(resp_reader *r, int code, const char *msg)
{
    r->err = code;
    snprintf(r->errstr, sizeof(r->errstr), "%s", msg);
    return -1;
}

static int oom(resp_reader *r)
{
    return set_err(r, RESP_RERR_OOM, "Out of memory");
}


static const char *bad_value_msg(char t)
{
    switch (t) {
    case '+': case '-': return "Bad simple string value";
    case ':': return "Bad integer value";
    case ',': return "Bad double value";
    case '#': return "Bad bool value";
    case '_': return "Bad nil value";
    case '(': return "Bad bignum value";
    case '$': case '=': return "Bad bulk string length";
    default: return "Bad multi-bulk length";
    }
}

static int type_of(char t, resp_type *out)
{
    static const char bytes[] = "+-:$*_,#%~|>(=";
    static const resp_type types[] = {
        RESP_T_STRING, RESP_T_ERROR, RESP_T_INTEGER, RESP_T_BULK, RESP_T_ARRAY, RESP_T_NIL,
        RESP_T_DOUBLE, RESP_T_BOOL, RESP_T_MAP, RESP_T_SET, RESP_T_ATTR, RESP_T_PUSH,
        RESP_T_BIGNUM, RESP_T_VERB,
    };
    const char *hit = t ? strchr(bytes, t) : NULL;

    if (!hit)
        return 0;
    *out = types[hit - bytes];
    return 1;
}

static int bad_type_byte(resp_reader *r, unsigned char c)
{
    char shown[16], msg[80];

    if (c == '\n')
        snprintf(shown, sizeof(shown), "\"\\n\"");
    else if (c == '\r')
        snprintf(shown, sizeof(shown), "\"\\r\"");
    else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
        snprintf(shown, sizeof(shown), "\"%c\"", c);
    else
        snprintf(shown, sizeof(shown), "\"\\x%02x\"", c);
    snprintf(msg, sizeof(msg), "Protocol error, got %s as reply type byte", shown);
    return set_err(r, RESP_RERR_PROTOCOL, msg);
}

static resp_value *new_value(resp_type t)
{
    resp_value *v = calloc(1, sizeof(*v));
    if (v)
        v->type = t;
    return v;
}

static int set_str(resp_value *v, const char *s, size_t n)
{
    v->str = malloc(n + 1);
    if (!v->str)
        return -1;
    memcpy(v->str, s, n);
    v->str[n] = '\0';
    v->len = n;
    return 0;
}

/* ------------------------------------------------------------------ lines */

/* Find the "\r\n" ending the line whose type byte is at r->pos, searching at most maxlen
 * payload bytes and never the same byte twice. Returns 1 and sets *n to the payload length,
 * 0 when more bytes are needed, -1 (error set) for a line that is too long or has a '\r'
 * not followed by '\n'. */
static int find_line(resp_reader *r, size_t maxlen, size_t *n)
{
    rstate *st = r->stack;
    const char *start = r->buf + r->pos + 1;
    size_t avail = r->len - r->pos - 1;
    size_t lim = avail < maxlen + 1 ? avail : maxlen + 1;
    const char *cr = st->scan < lim ? memchr(start + st->scan, '\r', lim - st->scan) : NULL;
    char t = r->buf[r->pos];

    if (cr) {
        size_t i = (size_t)(cr - start);
        st->scan = i;
        if (i + 1 >= avail)
            return 0;
        if (start[i + 1] != '\n')
            return set_err(r, RESP_RERR_PROTOCOL, bad_value_msg(t));
        *n = i;
        return 1;
    }
    if (avail > maxlen) {
        if (t == '+' || t == '-' || t == '(')
            return set_err(r, RESP_RERR_PROTOCOL, "Line too long");
        return set_err(r, RESP_RERR_PROTOCOL, bad_value_msg(t));
    }
    st->scan = lim;
    return 0;
}

static int parse_double(const char *s, size_t n, double *out)
{
    char tmp[NUM_LINE_MAX + 1];
    char *end;

    memcpy(tmp, s, n);
    tmp[n] = '\0';
    if (n == 3 && strcasecmp(tmp, "inf") == 0) {
        *out = INFINITY;
    } else if (n == 4 && strcasecmp(tmp, "-inf") == 0) {
        *out = -INFINITY;
    } else if ((n == 3 && strcasecmp(tmp, "nan") == 0) ||
               (n == 4 && strcasecmp(tmp, "-nan") == 0)) {
        *out = NAN;
    } else {
        *out = strtod(tmp, &end);
        if (n == 0 || end != tmp + n || !isfinite(*out))
            return 0;
    }
    return 1;
}

static int valid_bignum(const char *s, size_t n)
{
    size_t i = n > 0 && s[0] == '-' ? 1 : 0;

    if (i == n)
        return 0;
    for (; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* A one-line scalar (+ - : , # _ () whose payload is s[0..n). */
static int line_scalar(resp_reader *r, resp_type t, const char *s, size_t n, resp_value **out)
{
    char tc = r->buf[r->pos];
    long long ll = 0;
    double d = 0;
    int ok = 1;
    resp_value *v;

    switch (tc) {
    case '+': case '-': ok = memchr(s, '\n', n) == NULL; break;
    case ':': ok = resp_parse_ll(s, n, &ll); break;
    case ',': ok = parse_double(s, n, &d); break;
    case '#': ok = n == 1 && (s[0] == 't' || s[0] == 'f'); ll = ok && s[0] == 't'; break;
    case '_': ok = n == 0; break;
    default: ok = valid_bignum(s, n); break;
    }
    if (!ok)
        return set_err(r, RESP_RERR_PROTOCOL, bad_value_msg(tc));
    v = new_value(t);
    if (!v)
        return oom(r);
    v->integer = ll;
    v->dval = d;
    if ((tc == '+' || tc == '-' || tc == ',' || tc == '(') && set_str(v, s, n)) {
        free(v);
        return oom(r);
    }
    *out = v;
    return 1;
}

/* ------------------------------------------------------------------ items */

/* '$' and '=': header line of n bytes already found. */
static int bulk_item(resp_reader *r, resp_type t, size_t n, resp_value **out, size_t *used)
{
    const char *hdr = r->buf + r->pos + 1;
    const char *data = hdr + n + 2;
    size_t avail = r->len - r->pos - n - 3;
    long long blen;
    resp_value *v;

    if (!resp_parse_ll(hdr, n, &blen))
        return set_err(r, RESP_RERR_PROTOCOL, "Bad bulk string length");
    if (blen == -1 && t == RESP_T_BULK) {
        if (!(*out = new_value(RESP_T_NIL)))
            return oom(r);
        *used = n + 3;
        return 1;
    }
    if (blen < 0 || (unsigned long long)blen > r->max_bulk)
        return set_err(r, RESP_RERR_PROTOCOL, "Bulk string length out of range");
    if (avail < (size_t)blen + 2)
        return 0;
    if (data[blen] != '\r' || data[blen + 1] != '\n')
        return set_err(r, RESP_RERR_PROTOCOL, "Bad bulk string terminator");
    if (t == RESP_T_VERB && (blen < 4 || data[3] != ':'))
        return set_err(r, RESP_RERR_PROTOCOL, "Verbatim string 4 bytes of content type are "
                                              "missing or incorrectly encoded.");
    if (!(v = new_value(t)))
        return oom(r);
    *used = n + 3 + (size_t)blen + 2;
    if (t == RESP_T_VERB) {
        memcpy(v->vtype, data, 3);
        data += 4;
        blen -= 4;
    }
    if (set_str(v, data, (size_t)blen)) {
        free(v);
        return oom(r);
    }
    *out = v;
    return 1;
}

/* Aggregate header line of n bytes already found: the value, with its expected count. */
static int agg_item(resp_reader *r, resp_type t, size_t n, resp_value **out, size_t *expected)
{
    long long cnt;
    resp_value *v;

    if (!resp_parse_ll(r->buf + r->pos + 1, n, &cnt))
        return set_err(r, RESP_RERR_PROTOCOL, "Bad multi-bulk length");
    if (cnt < -1 || (cnt > 0 && (unsigned long long)cnt > r->max_elements))
        return set_err(r, RESP_RERR_PROTOCOL, "Multi-bulk length out of range");
    if (cnt >= 0 && r->depth >= r->max_depth) {
        char msg[96];
        snprintf(msg, sizeof(msg), "No support for nested multi bulk replies with depth > %d",
                 r->max_depth);
        return set_err(r, RESP_RERR_PROTOCOL, msg);
    }
    if (!(v = new_value(cnt == -1 ? RESP_T_NIL : t)))
        return oom(r);
    *expected = cnt <= 0 ? 0 : (size_t)cnt * (t == RESP_T_MAP || t == RESP_T_ATTR ? 2 : 1);
    *out = v;
    return 1;
}

/* Parse the item at r->pos. Returns 1 with *out (and *expected children for an aggregate
 * header), 0 when more bytes are needed, -1 on error. Consumes the item only on 1. */
static int parse_item(resp_reader *r, resp_value **out, size_t *expected)
{
    rstate *st = r->stack;
    char tc;
    resp_type t;
    size_t n = 0, used = 0;
    int rc;

    *expected = 0;
    if (r->pos >= r->len)
        return 0;
    tc = r->buf[r->pos];
    if (!type_of(tc, &t))
        return bad_type_byte(r, (unsigned char)tc);
    rc = find_line(r, tc == '+' || tc == '-' || tc == '(' ? r->max_bulk : NUM_LINE_MAX, &n);
    if (rc <= 0)
        return rc;
    if (t == RESP_T_BULK || t == RESP_T_VERB) {
        rc = bulk_item(r, t, n, out, &used);
    } else if (tc == '*' || tc == '%' || tc == '~' || tc == '|' || tc == '>') {
        rc = agg_item(r, t, n, out, expected);
        used = n + 3;
    } else {
        rc = line_scalar(r, t, r->buf + r->pos + 1, n, out);
        used = n + 3;
    }
    if (rc == 1) {
        r->pos += used;
        st->scan = 0;
    }
    return rc;
}

/* ------------------------------------------------------------------ tree building */

static int push_frame(resp_reader *r, resp_value *v, size_t expected)
{
    rstate *st = r->stack;

    if (r->depth == st->cap) {
        int ncap = st->cap ? st->cap * 2 : 4;
        frame *f = realloc(st->frames, (size_t)ncap * sizeof(*f));
        if (!f)
            return -1;
        st->frames = f;
        st->cap = ncap;
    }
    st->frames[r->depth].v = v;
    st->frames[r->depth].expected = expected;
    st->frames[r->depth].cap = 0;
    st->frames[r->depth].attr = NULL;
    r->depth++;
    return 0;
}

static int append_child(frame *f, resp_value *v)
{
    resp_value *p = f->v;

    if (p->elements == f->cap) {
        size_t ncap = f->cap ? f->cap * 2 : 4;
        resp_value **e;
        if (ncap > f->expected)
            ncap = f->expected;
        e = realloc(p->element, ncap * sizeof(*e));
        if (!e)
            return -1;
        p->element = e;
        f->cap = ncap;
    }
    p->element[p->elements++] = v;
    return 0;
}

/* v is complete: attach it to the open aggregate (closing every aggregate it completes),
 * keep it as the pending attribute, or hand it out as a whole reply. */
static int deliver(resp_reader *r, resp_value *v, resp_value **out)
{
    rstate *st = r->stack;

    for (;;) {
        frame *f;
        if (r->depth == 0) {
            if (v->type == RESP_T_ATTR)
                st->root_attr = v;
            else
                *out = v;
            return 0;
        }
        f = &st->frames[r->depth - 1];
        if (v->type == RESP_T_ATTR) {
            f->attr = v;
            return 0;
        }
        if (append_child(f, v)) {
            resp_value_free(v);
            return oom(r);
        }
        if (f->v->elements < f->expected)
            return 0;
        v = f->v;
        r->depth--;
    }
}

int resp_reader_get(resp_reader *r, resp_value **out)
{
    rstate *st = r->stack;

    *out = NULL;
    if (r->err)
        return -1;
    while (!*out) {
        resp_value *v = NULL, **pending;
        size_t expected;
        int rc = parse_item(r, &v, &expected);
        if (rc <= 0)
            return rc;
        pending = r->depth ? &st->frames[r->depth - 1].attr : &st->root_attr;
        if (v->type == RESP_T_ATTR)
            resp_value_free(*pending);   /* a newer attribute replaces an unused one */
        else
            v->attr = *pending;
        *pending = NULL;
        if (expected > 0) {
            if (push_frame(r, v, expected)) {
                resp_value_free(v);
                return oom(r);
            }
        } else if (deliver(r, v, out)) {
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ buffer and lifecycle */

int resp_reader_feed(resp_reader *r, const char *buf, size_t len)
{
    if (r->err)
        return -1;
    if (len == 0)
        return 0;
    if (r->pos == r->len) {
        r->pos = r->len = 0;
    } else if (r->pos > 0 && r->pos >= r->cap / 2) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    if (len > SIZE_MAX / 2 - r->len)
        return oom(r);
    if (r->len + len > r->cap) {
        size_t ncap = r->cap ? r->cap : 1024;
        char *nb;
        while (ncap < r->len + len)
            ncap *= 2;
        nb = realloc(r->buf, ncap);
        if (!nb)
            return oom(r);
        r->buf = nb;
        r->cap = ncap;
    }
    memcpy(r->buf + r->len, buf, len);
    r->len += len;
    return 0;
}

resp_reader *resp_reader_new(void)
{
    resp_reader *r = calloc(1, sizeof(*r));

    if (!r)
        return NULL;
    r->stack = calloc(1, sizeof(rstate));
    if (!r->stack) {
        free(r);
        return NULL;
    }
    r->max_bulk = DEFAULT_MAX_BULK;
    r->max_elements = DEFAULT_MAX_ELEMENTS;
    r->max_depth = DEFAULT_MAX_DEPTH;
    return r;
}

void resp_reader_free(resp_reader *r)
{
    rstate *st;
    int i;

    if (!r)
        return;
    st = r->stack;
    for (i = 0; i < r->depth; i++) {
        resp_value_free(st->frames[i].v);
        resp_value_free(st->frames[i].attr);
    }
    resp_value_free(st->root_attr);
    free(st->frames);
    free(st);
    free(r->buf);
    free(r);
}

void resp_value_free(resp_value *v)
{
    size_t i;

    if (!v)
        return;
    for (i = 0; i < v->elements; i++)
        resp_value_free(v->element[i]);
    free(v->element);
    resp_value_free(v->attr);
    free(v->str);
    free(v);
}

size_t resp_reader_buffered(const resp_reader *r)
{
    return r->len - r->pos;
}

size_t resp_reader_take_raw(resp_reader *r, char *dst, size_t n)
{
    rstate *st = r->stack;
    size_t k = r->len - r->pos;

    if (r->depth > 0)
        return 0;
    if (k > n)
        k = n;
    memcpy(dst, r->buf + r->pos, k);
    r->pos += k;
    st->scan = 0;
    return k;
}
