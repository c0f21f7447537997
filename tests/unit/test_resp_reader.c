/* test_resp_reader.c -- unit tests for proto/resp_reader (RESP2/RESP3 replies).
 *
 * Every reply type, nesting and attributes are fed whole, split in two at every byte and
 * byte by byte; the reply trees are serialized and compared. Then malformed input with
 * its error text, limits (depth, elements, bulk, line length), sticky errors and raw mode.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/resp_reader.h"

/* ------------------------------------------------------------------ harness */

typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
    memcpy(b->s + b->len, p, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void dump(sbuf *b, const resp_value *v)
{
    static const char agg[] = { [RESP_T_ARRAY] = '*', [RESP_T_MAP] = '%', [RESP_T_SET] = '~',
                                [RESP_T_ATTR] = '|', [RESP_T_PUSH] = '>' };
    char num[64];
    size_t i;

    if (v->attr) {
        dump(b, v->attr);
        ck_assert_ptr_null(v->attr->attr);
    }
    switch (v->type) {
    case RESP_T_STRING: sb_str(b, "+"); sb_add(b, v->str, v->len); break;
    case RESP_T_ERROR: sb_str(b, "-"); sb_add(b, v->str, v->len); break;
    case RESP_T_BIGNUM: sb_str(b, "("); sb_add(b, v->str, v->len); break;
    case RESP_T_INTEGER: snprintf(num, sizeof(num), ":%lld", v->integer); sb_str(b, num); break;
    case RESP_T_NIL: sb_str(b, "_"); break;
    case RESP_T_BOOL: sb_str(b, v->integer ? "#t" : "#f"); break;
    case RESP_T_DOUBLE:
        snprintf(num, sizeof(num), ",%s=%.17g", v->str, v->dval);
        sb_str(b, num);
        break;
    case RESP_T_BULK:
        snprintf(num, sizeof(num), "$%zu:", v->len);
        sb_str(b, num);
        sb_add(b, v->str, v->len);
        ck_assert_int_eq(v->str[v->len], '\0');
        break;
    case RESP_T_VERB:
        sb_str(b, "=");
        sb_str(b, v->vtype);
        sb_str(b, ":");
        sb_add(b, v->str, v->len);
        break;
    default:
        sb_add(b, &agg[v->type], 1);
        sb_str(b, "[");
        for (i = 0; i < v->elements; i++) {
            if (i)
                sb_str(b, " ");
            dump(b, v->element[i]);
        }
        sb_str(b, "]");
    }
}

/* Feed in pieces ending at cuts[], collect every reply ("a;b;"), then "+more" if bytes or
 * an open aggregate remain, or "!<errstr>". */
static char *run_cuts(resp_reader *r, const char *in, size_t n, const size_t *cuts,
                      size_t ncuts, size_t *olen)
{
    sbuf out = {0};
    size_t fed = 0, k;
    int failed = 0;

    sb_str(&out, "");
    for (k = 0; k <= ncuts && !failed; k++) {
        size_t end = k < ncuts ? cuts[k] : n;
        resp_value *v;
        if (resp_reader_feed(r, in + fed, end - fed) != 0) {
            failed = 1;
            break;
        }
        fed = end;
        for (;;) {
            if (resp_reader_get(r, &v) != 0) {
                failed = 1;
                break;
            }
            if (!v)
                break;
            dump(&out, v);
            sb_str(&out, ";");
            resp_value_free(v);
        }
    }
    if (failed) {
        ck_assert_int_ne(r->err, 0);
        sb_str(&out, "!");
        sb_str(&out, r->errstr);
    } else if (resp_reader_buffered(r) > 0 || r->depth > 0) {
        sb_str(&out, "+more");
    }
    *olen = out.len;
    return out.s;
}

static char *run_fresh(const char *in, size_t n, const size_t *cuts, size_t ncuts,
                       size_t *olen)
{
    resp_reader *r = resp_reader_new();
    char *s;

    ck_assert_ptr_nonnull(r);
    s = run_cuts(r, in, n, cuts, ncuts, olen);
    resp_reader_free(r);
    return s;
}

static void expect_eq(const char *got, size_t got_len, const char *want, size_t want_len,
                      const char *what, size_t at)
{
    ck_assert_msg(got_len == want_len && memcmp(got, want, want_len) == 0,
                  "%s (cut %zu): got [%s] want [%s]", what, at, got, want);
}

#define S(lit) lit, sizeof(lit) - 1

typedef struct rcase {
    const char *in;
    size_t in_len;
    const char *want;
    size_t want_len;
} rcase;

static const rcase cases[] = {
    {S("+OK\r\n"), S("+OK;")},
    {S("+\r\n"), S("+;")},
    {S("-ERR bad thing\r\n"), S("-ERR bad thing;")},
    {S(":123\r\n"), S(":123;")},
    {S(":-9223372036854775808\r\n"), S(":-9223372036854775808;")},
    {S("$5\r\nhello\r\n"), S("$5:hello;")},
    {S("$0\r\n\r\n"), S("$0:;")},
    {S("$-1\r\n"), S("_;")},
    {S("$6\r\na\r\n\0b\r\r\n"), S("$6:a\r\n\0b\r;")},
    {S("*3\r\n:1\r\n$1\r\na\r\n+b\r\n"), S("*[:1 $1:a +b];")},
    {S("*0\r\n"), S("*[];")},
    {S("*-1\r\n"), S("_;")},
    {S("_\r\n"), S("_;")},
    {S(",1.5\r\n"), S(",1.5=1.5;")},
    {S(",-0.25\r\n"), S(",-0.25=-0.25;")},
    {S(",1e+20\r\n"), S(",1e+20=1e+20;")},
    {S(",inf\r\n"), S(",inf=inf;")},
    {S(",-inf\r\n"), S(",-inf=-inf;")},
    {S(",nan\r\n"), S(",nan=nan;")},
    {S("#t\r\n"), S("#t;")},
    {S("#f\r\n"), S("#f;")},
    {S("%2\r\n+a\r\n:1\r\n+b\r\n:2\r\n"), S("%[+a :1 +b :2];")},
    {S("%0\r\n"), S("%[];")},
    {S("~2\r\n:1\r\n$1\r\nx\r\n"), S("~[:1 $1:x];")},
    {S(">3\r\n+message\r\n+ch\r\n$2\r\nhi\r\n"), S(">[+message +ch $2:hi];")},
    {S("(3492890328409238509324850943850943825024385\r\n"),
     S("(3492890328409238509324850943850943825024385;")},
    {S("(-12\r\n"), S("(-12;")},
    {S("=15\r\ntxt:Some string\r\n"), S("=txt:Some string;")},
    {S("=4\r\nmkd:\r\n"), S("=mkd:;")},
    {S("|1\r\n+key\r\n+val\r\n:5\r\n"), S("|[+key +val]:5;")},
    {S("|0\r\n|1\r\n+a\r\n+b\r\n:1\r\n"), S("|[+a +b]:1;")},
    {S("*2\r\n:1\r\n|1\r\n+a\r\n+b\r\n:2\r\n"), S("*[:1 |[+a +b]:2];")},
    {S("|1\r\n+a\r\n+b\r\n*1\r\n:2\r\n"), S("|[+a +b]*[:2];")},
    {S("*2\r\n*2\r\n:1\r\n:2\r\n%1\r\n+k\r\n*1\r\n_\r\n"), S("*[*[:1 :2] %[+k *[_]]];")},
    {S("*3\r\n*0\r\n*-1\r\n*1\r\n*1\r\n*0\r\n"), S("*[*[] _ *[*[*[]]]];")},
    {S("+a\r\n:1\r\n$1\r\nz\r\n"), S("+a;:1;$1:z;")},
    {S("+partial"), S("+more")},
    {S("*2\r\n:1\r\n"), S("+more")},
    {S("$10\r\nabc"), S("+more")},
    {S("|1\r\n+a\r\n+b\r\n"), S("")},   /* an attribute alone waits for its reply */
    /* malformed */
    {S("!oops\r\n"), S("!Protocol error, got \"!\" as reply type byte")},
    {S("\r\n"), S("!Protocol error, got \"\\r\" as reply type byte")},
    {S("\x01"), S("!Protocol error, got \"\\x01\" as reply type byte")},
    {S("*1\r\n?\r\n"), S("!Protocol error, got \"?\" as reply type byte")},
    {S(":12a\r\n"), S("!Bad integer value")},
    {S(":\r\n"), S("!Bad integer value")},
    {S(":1\rx"), S("!Bad integer value")},
    {S(":99999999999999999999\r\n"), S("!Bad integer value")},
    {S(",abc\r\n"), S("!Bad double value")},
    {S(",\r\n"), S("!Bad double value")},
    {S("#x\r\n"), S("!Bad bool value")},
    {S("_x\r\n"), S("!Bad nil value")},
    {S("(12a\r\n"), S("!Bad bignum value")},
    {S("(-\r\n"), S("!Bad bignum value")},
    {S("+a\nb\r\n"), S("!Bad simple string value")},
    {S("$abc\r\n"), S("!Bad bulk string length")},
    {S("$-2\r\n"), S("!Bulk string length out of range")},
    {S("$536870913\r\n"), S("!Bulk string length out of range")},
    {S("$3\r\nabcde"), S("!Bad bulk string terminator")},
    {S("=3\r\ntxt\r\n"),
     S("!Verbatim string 4 bytes of content type are missing or incorrectly encoded.")},
    {S("=5\r\ntxtxy\r\n"),
     S("!Verbatim string 4 bytes of content type are missing or incorrectly encoded.")},
    {S("*x\r\n"), S("!Bad multi-bulk length")},
    {S("*-2\r\n"), S("!Multi-bulk length out of range")},
    {S("%1073741825\r\n"), S("!Multi-bulk length out of range")},
    {S("+a\r\n*1\r\n:x\r\n"), S("+a;!Bad integer value")},
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

START_TEST(test_table)
{
    const rcase *t = &cases[_i];
    size_t rl, cut, *cuts;
    char *r = run_fresh(t->in, t->in_len, NULL, 0, &rl);

    expect_eq(r, rl, t->want, t->want_len, "whole", 0);
    free(r);
    for (cut = 1; cut < t->in_len; cut++) {
        r = run_fresh(t->in, t->in_len, &cut, 1, &rl);
        expect_eq(r, rl, t->want, t->want_len, "split in two", cut);
        free(r);
    }
    cuts = malloc(t->in_len * sizeof(*cuts) + 1);
    for (cut = 0; cut < t->in_len; cut++)
        cuts[cut] = cut + 1;
    r = run_fresh(t->in, t->in_len, cuts, t->in_len, &rl);
    expect_eq(r, rl, t->want, t->want_len, "byte by byte", 0);
    free(r);
    free(cuts);
}
END_TEST

/* All complete, valid cases in one stream, split everywhere. */
START_TEST(test_pipelined)
{
    sbuf in = {0}, want = {0};
    size_t i, cut, rl, *cuts;
    char *r;

    sb_str(&in, "");
    sb_str(&want, "");
    for (i = 0; i < NCASES; i++) {
        const rcase *t = &cases[i];
        if (t->want_len == 0 || t->want[t->want_len - 1] != ';' || memchr(t->want, '!', t->want_len))
            continue;
        sb_add(&in, t->in, t->in_len);
        sb_add(&want, t->want, t->want_len);
    }
    r = run_fresh(in.s, in.len, NULL, 0, &rl);
    expect_eq(r, rl, want.s, want.len, "pipelined whole", 0);
    free(r);
    for (cut = 1; cut < in.len; cut += 3) {
        r = run_fresh(in.s, in.len, &cut, 1, &rl);
        expect_eq(r, rl, want.s, want.len, "pipelined split", cut);
        free(r);
    }
    cuts = malloc(in.len * sizeof(*cuts));
    for (cut = 0; cut < in.len; cut++)
        cuts[cut] = cut + 1;
    r = run_fresh(in.s, in.len, cuts, in.len, &rl);
    expect_eq(r, rl, want.s, want.len, "pipelined byte by byte", 0);
    free(r);
    free(cuts);
    free(in.s);
    free(want.s);
}
END_TEST

/* ------------------------------------------------------------------ limits and API */

static char *run_with(resp_reader *r, const char *in, size_t n)
{
    size_t rl;
    return run_cuts(r, in, n, NULL, 0, &rl);
}

START_TEST(test_defaults)
{
    resp_reader *r = resp_reader_new();

    ck_assert_uint_eq(r->max_bulk, 512u * 1024 * 1024);
    ck_assert_uint_eq(r->max_elements, 1u << 30);
    ck_assert_int_eq(r->max_depth, 64);
    ck_assert_int_eq(r->err, 0);
    resp_reader_free(r);
    resp_reader_free(NULL);
    resp_value_free(NULL);
}
END_TEST

START_TEST(test_depth_limit)
{
    resp_reader *r = resp_reader_new();
    char *s;

    r->max_depth = 2;
    s = run_with(r, S("*1\r\n*1\r\n:1\r\n*1\r\n*0\r\n"));
    ck_assert_str_eq(s, "*[*[:1]];*[*[]];");
    free(s);
    s = run_with(r, S("*1\r\n*1\r\n*1\r\n:1\r\n"));
    ck_assert_str_eq(s, "!No support for nested multi bulk replies with depth > 2");
    free(s);
    resp_reader_free(r);

    r = resp_reader_new();   /* default 64: 64 levels pass, 65 fail */
    {
        sbuf in = {0};
        int i;
        for (i = 0; i < 64; i++)
            sb_str(&in, "*1\r\n");
        sb_str(&in, ":7\r\n");
        s = run_with(r, in.s, in.len);
        ck_assert_ptr_null(strchr(s, '!'));
        ck_assert_ptr_nonnull(strstr(s, "[:7]"));
        free(s);
        in.len = 0;
        for (i = 0; i < 65; i++)
            sb_str(&in, "*1\r\n");
        s = run_with(r, in.s, in.len);
        ck_assert_str_eq(s, "!No support for nested multi bulk replies with depth > 64");
        free(s);
        free(in.s);
    }
    resp_reader_free(r);
}
END_TEST

START_TEST(test_element_and_bulk_limits)
{
    resp_reader *r = resp_reader_new();
    char *s;

    r->max_elements = 3;
    r->max_bulk = 5;
    s = run_with(r, S("*3\r\n:1\r\n:2\r\n:3\r\n%3\r\n:1\r\n:2\r\n:3\r\n:4\r\n:5\r\n:6\r\n"));
    ck_assert_str_eq(s, "*[:1 :2 :3];%[:1 :2 :3 :4 :5 :6];");
    free(s);
    s = run_with(r, S("$5\r\nabcde\r\n~4\r\n"));
    ck_assert_str_eq(s, "$5:abcde;!Multi-bulk length out of range");
    free(s);
    resp_reader_free(r);

    r = resp_reader_new();
    r->max_bulk = 5;
    s = run_with(r, S("$6\r\n"));
    ck_assert_str_eq(s, "!Bulk string length out of range");
    free(s);
    resp_reader_free(r);

    r = resp_reader_new();   /* simple strings are bounded by max_bulk too */
    r->max_bulk = 5;
    s = run_with(r, S("+12345\r\n+123456"));
    ck_assert_str_eq(s, "+12345;!Line too long");
    free(s);
    resp_reader_free(r);
}
END_TEST

START_TEST(test_numeric_line_bound)
{
    resp_reader *r = resp_reader_new();
    char big[700];
    char *s;

    memset(big, '1', sizeof(big));
    big[0] = ':';
    s = run_with(r, big, sizeof(big));   /* no CRLF yet, but already too long */
    ck_assert_str_eq(s, "!Bad integer value");
    free(s);
    resp_reader_free(r);
}
END_TEST

/* A hostile count must not allocate its element array up front. */
START_TEST(test_huge_count_no_alloc)
{
    resp_reader *r = resp_reader_new();
    char *s = run_with(r, S("*1000000000\r\n:1\r\n%1000000000\r\n"));

    ck_assert_str_eq(s, "+more");
    ck_assert_int_eq(r->depth, 2);
    free(s);
    resp_reader_free(r);
}
END_TEST

START_TEST(test_sticky_error)
{
    resp_reader *r = resp_reader_new();
    resp_value *v = (resp_value *)1;

    ck_assert_int_eq(resp_reader_feed(r, S("@\r\n")), 0);
    ck_assert_int_eq(resp_reader_get(r, &v), -1);
    ck_assert_ptr_null(v);
    ck_assert_int_eq(r->err, RESP_RERR_PROTOCOL);
    ck_assert_int_eq(resp_reader_feed(r, S("+OK\r\n")), -1);
    ck_assert_int_eq(resp_reader_get(r, &v), -1);
    ck_assert_str_eq(r->errstr, "Protocol error, got \"@\" as reply type byte");
    resp_reader_free(r);
}
END_TEST

START_TEST(test_take_raw)
{
    resp_reader *r = resp_reader_new();
    resp_value *v;
    char raw[64];
    size_t n;

    ck_assert_int_eq(resp_reader_feed(r, S("+FULLRESYNC abc 0\r\n$5\r\nAB")), 0);
    ck_assert_int_eq(resp_reader_get(r, &v), 0);
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(v->type, RESP_T_STRING);
    ck_assert_str_eq(v->str, "FULLRESYNC abc 0");
    resp_value_free(v);
    ck_assert_uint_eq(resp_reader_buffered(r), 6);
    n = resp_reader_take_raw(r, raw, 4);
    ck_assert_uint_eq(n, 4);
    ck_assert(memcmp(raw, "$5\r\n", 4) == 0);
    n = resp_reader_take_raw(r, raw, sizeof(raw));
    ck_assert_uint_eq(n, 2);
    ck_assert(memcmp(raw, "AB", 2) == 0);
    ck_assert_uint_eq(resp_reader_buffered(r), 0);
    /* back to replies after the raw part */
    ck_assert_int_eq(resp_reader_feed(r, S("+CONTINUE\r\n*2\r\n:1\r\n")), 0);
    ck_assert_int_eq(resp_reader_get(r, &v), 0);
    ck_assert_str_eq(v->str, "CONTINUE");
    resp_value_free(v);
    ck_assert_int_eq(resp_reader_get(r, &v), 0);
    ck_assert_ptr_null(v);
    ck_assert_uint_eq(resp_reader_take_raw(r, raw, sizeof(raw)), 0);   /* mid-aggregate */
    resp_reader_free(r);
}
END_TEST

/* A 16 MiB bulk arriving in 64 KiB pieces; the reader compacts and reuses its buffer. */
START_TEST(test_big_bulk_split)
{
    const size_t blen = 16u << 20, step = 65536;
    size_t hdr, total, off;
    char *in = malloc(blen + 64);
    resp_reader *r = resp_reader_new();
    resp_value *v = NULL;

    if (!in) ck_abort_msg("out of memory");
    hdr = (size_t)sprintf(in, "$%zu\r\n", blen);
    memset(in + hdr, 'b', blen);
    memcpy(in + hdr + blen, "\r\n:42\r\n", 7);
    total = hdr + blen + 7;
    for (off = 0; off < total; off += step) {
        size_t n = total - off < step ? total - off : step;
        ck_assert_int_eq(resp_reader_feed(r, in + off, n), 0);
        if (!v)
            ck_assert_int_eq(resp_reader_get(r, &v), 0);
    }
    ck_assert_ptr_nonnull(v);
    ck_assert_int_eq(v->type, RESP_T_BULK);
    ck_assert_uint_eq(v->len, blen);
    ck_assert(v->str[0] == 'b' && v->str[blen - 1] == 'b' && v->str[blen] == '\0');
    resp_value_free(v);
    ck_assert_int_eq(resp_reader_get(r, &v), 0);
    ck_assert_int_eq(v->type, RESP_T_INTEGER);
    ck_assert_int_eq(v->integer, 42);
    resp_value_free(v);
    resp_reader_free(r);
    free(in);
}
END_TEST

START_TEST(test_value_fields)
{
    resp_reader *r = resp_reader_new();
    resp_value *v;

    ck_assert_int_eq(resp_reader_feed(r, S(",3.25\r\n#t\r\n=9\r\ntxt:hello\r\n-WRONGTYPE x\r\n")), 0);
    ck_assert_int_eq(resp_reader_get(r, &v), 0);
    ck_assert_int_eq(v->type, RESP_T_DOUBLE);
    ck_assert(v->dval == 3.25);
    ck_assert_str_eq(v->str, "3.25");
    resp_value_free(v);
    ck_assert_int_eq(resp_reader_get(r, &v), 0);
    ck_assert_int_eq(v->type, RESP_T_BOOL);
    ck_assert_int_eq(v->integer, 1);
    resp_value_free(v);
    ck_assert_int_eq(resp_reader_get(r, &v), 0);
    ck_assert_int_eq(v->type, RESP_T_VERB);
    ck_assert_str_eq(v->vtype, "txt");
    ck_assert_str_eq(v->str, "hello");
    ck_assert_uint_eq(v->len, 5);
    resp_value_free(v);
    ck_assert_int_eq(resp_reader_get(r, &v), 0);
    ck_assert_int_eq(v->type, RESP_T_ERROR);
    ck_assert_str_eq(v->str, "WRONGTYPE x");
    resp_value_free(v);
    ck_assert_int_eq(resp_reader_get(r, &v), 0);
    ck_assert_ptr_null(v);
    ck_assert(isinf(-INFINITY));
    resp_reader_free(r);
}
END_TEST

/* ------------------------------------------------------------------ main */

static Suite *reader_suite(void)
{
    Suite *s = suite_create("resp_reader");
    TCase *t = tcase_create("table");
    TCase *l = tcase_create("limits");
    TCase *a = tcase_create("api");

    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, test_table, 0, (int)NCASES);
    tcase_add_test(t, test_pipelined);
    suite_add_tcase(s, t);
    tcase_set_timeout(l, 120);
    tcase_add_test(l, test_defaults);
    tcase_add_test(l, test_depth_limit);
    tcase_add_test(l, test_element_and_bulk_limits);
    tcase_add_test(l, test_numeric_line_bound);
    tcase_add_test(l, test_huge_count_no_alloc);
    tcase_add_test(l, test_big_bulk_split);
    suite_add_tcase(s, l);
    tcase_add_test(a, test_sticky_error);
    tcase_add_test(a, test_take_raw);
    tcase_add_test(a, test_value_fields);
    suite_add_tcase(s, a);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reader_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
