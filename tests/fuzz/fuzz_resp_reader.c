/* fuzz_resp_reader.c -- fuzz driver for proto/resp_reader (replies).
 *
 * Feeds the input once whole and once in small pieces, walks every reply tree checking
 * its invariants (NUL-terminated strings, element arrays, depth) and checks that both runs
 * produce the same replies and the same final error. Built into the corpus replay test,
 * and into a libFuzzer binary with -DKEEL_LIBFUZZER.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proto/resp_reader.h"

int fuzz_resp_reader(const uint8_t *data, size_t size);
int fuzz_resp_reader_split(const uint8_t *data, size_t size, size_t step);

typedef struct outcome {
    uint64_t hash;
    size_t replies;
    int err;
    char errstr[128];
    size_t buffered;
    int bad;
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

static void walk(outcome *o, const resp_value *v, int depth, int max_depth)
{
    size_t i;

    if (depth > max_depth + 1 || v->type < RESP_T_STRING || v->type > RESP_T_VERB) {
        o->bad = 1;
        return;
    }
    mix(&o->hash, &v->type, sizeof(v->type));
    mix(&o->hash, &v->integer, sizeof(v->integer));
    if (v->str) {
        if (v->str[v->len] != '\0')
            o->bad = 1;
        mix(&o->hash, &v->len, sizeof(v->len));
        mix(&o->hash, v->str, v->len);
    }
    if (v->elements > 0 && !v->element)
        o->bad = 1;
    for (i = 0; i < v->elements && !o->bad; i++)
        walk(o, v->element[i], depth + 1, max_depth);
    if (v->attr && !o->bad)
        walk(o, v->attr, depth, max_depth);
}

static void run(const uint8_t *data, size_t size, size_t step, outcome *o)
{
    resp_reader *r = resp_reader_new();
    size_t fed = 0;
    int stop = 0;

    memset(o, 0, sizeof(*o));
    o->hash = 1469598103934665603ULL;
    if (!r)
        abort();
    if (size > 0 && (data[0] & 1)) {
        r->max_depth = 4;
        r->max_elements = 8;
        r->max_bulk = 64;
    }
    while (fed < size && !stop && !o->bad) {
        size_t n = step == 0 || size - fed < step ? size - fed : step;
        resp_value *v;
        if (resp_reader_feed(r, (const char *)data + fed, n) != 0)
            break;
        fed += n;
        while (!o->bad) {
            if (resp_reader_get(r, &v) != 0) {
                stop = 1;
                break;
            }
            if (!v)
                break;
            walk(o, v, 1, r->max_depth);
            o->replies++;
            resp_value_free(v);
        }
    }
    o->err = r->err;
    memcpy(o->errstr, r->errstr, sizeof(o->errstr));
    o->buffered = r->err ? 0 : resp_reader_buffered(r);
    if (r->err && o->errstr[0] == '\0')
        o->bad = 1;
    resp_reader_free(r);
}

int fuzz_resp_reader_split(const uint8_t *data, size_t size, size_t step)
{
    outcome whole, split;

    run(data, size, 0, &whole);
    run(data, size, step, &split);
    if (whole.bad || split.bad)
        return -1;
    if (whole.hash != split.hash || whole.replies != split.replies || whole.err != split.err ||
        strcmp(whole.errstr, split.errstr) != 0 || whole.buffered != split.buffered)
        return -1;
    return 0;
}

int fuzz_resp_reader(const uint8_t *data, size_t size)
{
    size_t step = size > 0 ? 1 + data[size - 1] % 16 : 1;

    return fuzz_resp_reader_split(data, size, step);
}

#ifdef KEEL_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fuzz_resp_reader(data, size) != 0)
        abort();
    return 0;
}
#endif
