/* fuzz_resp_parser.c -- fuzz driver for proto/resp_parser (client requests).
 *
 * Feeds the input the way the server does (a query buffer that grows, moves on realloc and
 * drops parsed requests) once whole and once in small pieces, checks every argv slice lies
 * inside the request, and checks both runs parse the same requests and end the same way.
 * Built into the corpus replay test, and into a libFuzzer binary with -DKEEL_LIBFUZZER.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/resp_parser.h"

int fuzz_resp_parser(const uint8_t *data, size_t size);
int fuzz_resp_parser_split(const uint8_t *data, size_t size, size_t step);

typedef struct outcome {
    uint64_t hash;       /* FNV-1a over every request's argc and args */
    size_t requests;
    int status;          /* 0 all parsed, 1 bytes left (need more), 2 error */
    char err[128];
    size_t pending;
    int bad;             /* an invariant was broken */
} outcome;

static void mix(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *s = p;
    size_t i;

    for (i = 0; i < n; i++) {
        *h ^= s[i];
        *h *= 1099511628211ULL;
    }
}

static void record(outcome *o, const resp_parser *p, const char *buf, size_t n)
{
    int i;

    if (p->argc < 0 || (p->argc > 0 && !p->argv))
        o->bad = 1;
    mix(&o->hash, &p->argc, sizeof(p->argc));
    mix(&o->hash, &p->is_inline, sizeof(p->is_inline));
    for (i = 0; i < p->argc && !o->bad; i++) {
        const resp_arg *a = &p->argv[i];
        if (!a->ptr || (!p->is_inline && (a->ptr < buf || a->len > n ||
                                          a->ptr > buf + n - a->len))) {
            o->bad = 1;
            break;
        }
        mix(&o->hash, &a->len, sizeof(a->len));
        mix(&o->hash, a->ptr, a->len);
    }
    o->requests++;
}

/* Parse every request in qb[0..*qlen), dropping parsed ones. Returns 0 to go on. */
static int drain(resp_parser *p, char *qb, size_t *qlen, outcome *o)
{
    while (*qlen > 0 && !o->bad) {
        ssize_t r = resp_parse_request(p, qb, *qlen);
        if (r == RESP_NEED_MORE)
            return 0;
        if (r == RESP_ERROR) {
            o->status = 2;
            memcpy(o->err, p->err, sizeof(o->err));
            return -1;
        }
        if (r <= 0 || (size_t)r > *qlen) {
            o->bad = 1;
            return -1;
        }
        record(o, p, qb, (size_t)r);
        memmove(qb, qb + r, *qlen - (size_t)r);
        *qlen -= (size_t)r;
    }
    return o->bad ? -1 : 0;
}

/* step 0 = everything at once. */
static void run(const uint8_t *data, size_t size, size_t step, outcome *o)
{
    resp_parser p;
    char *qb = NULL;
    size_t qlen = 0, cap = 0, fed = 0;

    memset(o, 0, sizeof(*o));
    o->hash = 1469598103934665603ULL;
    resp_parser_init(&p);
    if (size > 0 && (data[0] & 1)) {   /* small limits reach the limit paths */
        p.max_bulk_len = 64;
        p.max_multibulk = 16;
    }
    while (fed < size) {
        size_t n = step == 0 || size - fed < step ? size - fed : step;
        if (qlen + n > cap) {
            char *nb;
            cap = (qlen + n) * 2;
            nb = realloc(qb, cap);
            if (!nb)
                abort();
            qb = nb;
        }
        memcpy(qb + qlen, data + fed, n);
        qlen += n;
        fed += n;
        if (drain(&p, qb, &qlen, o) != 0)
            break;
    }
    if (o->status == 0 && qlen > 0)
        o->status = 1;
    o->pending = resp_parser_pending_bulk(&p);
    if (o->status == 1 && o->pending > (size_t)p.max_bulk_len + 2)
        o->bad = 1;
    resp_parser_free(&p);
    free(qb);
}

static int same(const outcome *a, const outcome *b)
{
    /* the 64 KiB limits depend on how much is buffered, as in Redis */
    if (strncmp(a->err, "Protocol error: too big", 23) == 0 ||
        strncmp(b->err, "Protocol error: too big", 23) == 0)
        return 1;
    return a->hash == b->hash && a->requests == b->requests && a->status == b->status &&
           strcmp(a->err, b->err) == 0 && a->pending == b->pending;
}

/* resp_split_inline on a copy: slices must stay inside the line. */
static int check_split(const uint8_t *data, size_t size)
{
    char *line = malloc(size + 1);
    resp_arg *argv;
    int argc, i, rc, bad = 0;

    if (!line)
        abort();
    memcpy(line, data, size);
    rc = resp_split_inline(line, size, &argv, &argc);
    if (rc == 0) {
        for (i = 0; i < argc; i++)
            if (argv[i].ptr < line || argv[i].ptr + argv[i].len > line + size)
                bad = 1;
        free(argv);
    } else if (rc != -1 || argv != NULL || argc != 0) {
        bad = 1;
    }
    free(line);
    return bad ? -1 : 0;
}

int fuzz_resp_parser_split(const uint8_t *data, size_t size, size_t step)
{
    outcome whole, split;

    run(data, size, 0, &whole);
    run(data, size, step, &split);
    if (whole.bad || split.bad || !same(&whole, &split))
        return -1;
    return 0;
}

int fuzz_resp_parser(const uint8_t *data, size_t size)
{
    size_t step = size > 0 ? 1 + data[size - 1] % 16 : 1;

    if (check_split(data, size) != 0)
        return -1;
    return fuzz_resp_parser_split(data, size, step);
}

#ifdef KEEL_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_resp_parser(data, size) != 0)
        abort();
    return 0;
}
#endif
