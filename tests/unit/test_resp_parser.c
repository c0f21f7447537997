/* test_resp_parser.c -- unit tests for proto/resp_parser (requests, Redis 7.0 semantics).
 *
 * A table of requests is fed whole, pipelined, split in two at every byte and byte by byte
 * through a simulated client buffer that moves on every read (to catch stale pointers);
 * the parsed argv are serialized and compared with the expected text. Then every error
 * class with Redis's exact text, the 64 KiB limits, bulk/multibulk limits and allocation
 * bounds.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/resp_parser.h"

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

/* "<argc> <len>:<bytes> ...;" for the request the parser just returned. */
static void record_request(sbuf *out, const resp_parser *p, const char *buf, size_t n)
{
    char num[32];
    int i;

    snprintf(num, sizeof(num), "%d", p->argc);
    sb_str(out, num);
    for (i = 0; i < p->argc; i++) {
        ck_assert_ptr_nonnull(p->argv[i].ptr);
        if (!p->is_inline)   /* zero copy: multibulk args are slices of the request */
            ck_assert(p->argv[i].ptr >= buf && p->argv[i].ptr + p->argv[i].len <= buf + n);
        snprintf(num, sizeof(num), " %zu:", p->argv[i].len);
        sb_str(out, num);
        sb_add(out, p->argv[i].ptr, p->argv[i].len);
    }
    sb_str(out, ";");
}

/* Feed in[0..n) in pieces ending at cuts[0..ncuts) (then the rest) through a query buffer
 * that is re-allocated for every piece. Returns the serialized result: requests, then
 * "+more" if bytes are left unparsed, or "!<err>" after an error. Caller frees. */
static char *run_cuts(const char *in, size_t n, const size_t *cuts, size_t ncuts,
                      resp_parser *p, size_t *olen)
{
    sbuf out = {0};
    char *qb = NULL;
    size_t qlen = 0, fed = 0, k;
    int failed = 0;

    sb_str(&out, "");
    for (k = 0; k <= ncuts && !failed; k++) {
        size_t end = k < ncuts ? cuts[k] : n;
        char *nb = malloc(qlen + (end - fed) + 1);
        ck_assert_ptr_nonnull(nb);
        if (qlen)
            memcpy(nb, qb, qlen);
        memcpy(nb + qlen, in + fed, end - fed);
        free(qb);
        qb = nb;
        qlen += end - fed;
        fed = end;
        while (qlen > 0) {
            ssize_t r = resp_parse_request(p, qb, qlen);
            if (r == RESP_NEED_MORE)
                break;
            if (r == RESP_ERROR) {
                sb_str(&out, "!");
                sb_str(&out, p->err);
                failed = 1;
                break;
            }
            ck_assert_int_gt(r, 0);
            ck_assert_uint_le((size_t)r, qlen);
            ck_assert(memcmp(qb, in + (fed - qlen), (size_t)r) == 0);   /* never modified */
            record_request(&out, p, qb, (size_t)r);
            memmove(qb, qb + r, qlen - (size_t)r);
            qlen -= (size_t)r;
        }
    }
    if (!failed && qlen > 0)
        sb_str(&out, "+more");
    free(qb);
    *olen = out.len;
    return out.s;
}

static char *run_fresh(const char *in, size_t n, const size_t *cuts, size_t ncuts,
                       size_t *olen)
{
    resp_parser p;
    char *r;

    resp_parser_init(&p);
    r = run_cuts(in, n, cuts, ncuts, &p, olen);
    resp_parser_free(&p);
    return r;
}

static char *run_whole(const char *in, size_t n, size_t *olen)
{
    return run_fresh(in, n, NULL, 0, olen);
}

/* expected output compared as a binary-safe string */
static void expect_eq(const char *got, size_t got_len, const char *want, size_t want_len,
                      const char *what, size_t at)
{
    ck_assert_msg(got_len == want_len && memcmp(got, want, want_len) == 0,
                  "%s (cut %zu): got [%s] want [%s]", what, at, got, want);
}

/* ------------------------------------------------------------------ the table */

#define S(lit) lit, sizeof(lit) - 1

typedef struct tcase_req {
    const char *in;
    size_t in_len;
    const char *want;
    size_t want_len;
} tcase_req;

static const tcase_req good[] = {
    {S("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"), S("2 3:GET 1:k;")},
    {S("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n"), S("3 3:SET 1:k 0:;")},
    {S("*2\r\n$4\r\na\r\nb\r\n$3\r\n\0\1\2\r\n"), S("2 4:a\r\nb 3:\0\1\2;")},
    {S("*1\r\n$10\r\n\r\n\r\n\r\n\r\n\r\n\r\n"), S("1 10:\r\n\r\n\r\n\r\n\r\n;")},
    {S("*1\r\n$5\r\nhello\r\n*1\r\n$4\r\nPING\r\n"), S("1 5:hello;1 4:PING;")},
    {S("PING\r\n"), S("1 4:PING;")},
    {S("set k v\n"), S("3 3:set 1:k 1:v;")},
    {S("  GET\t  key  \r\n"), S("2 3:GET 3:key;")},
    {S("set \"a b\" 'c\\'d' \"\\x41\\n\\t\\q\"\r\n"), S("4 3:set 3:a b 3:c'd 4:A\n\tq;")},
    {S("echo \"\\x4\" \"\\\\\" \"\\\"\"\r\n"), S("4 4:echo 2:x4 1:\\ 1:\";")},
    {S("a\"b c\" d\r\n"), S("2 4:ab c 1:d;")},
    {S("\"\" ''\r\n"), S("2 0: 0:;")},
    {S("echo a\vb\r\n"), S("2 4:echo 3:a\vb;")},
    {S("a\rb\r\n"), S("2 1:a 1:b;")},
    {S("x\r\r\n"), S("1 1:x;")},
    {S("\r\n"), S("0;")},
    {S("\n"), S("0;")},
    {S("   \r\n"), S("0;")},
    {S("*0\r\n"), S("0;")},
    {S("*-1\r\n"), S("0;")},
    {S("*-7\r\n"), S("0;")},
    {S("*1\rX$4\rXPING\r\n"), S("1 4:PING;")},
    {S("*1\r\n$3\r\nabcXY"), S("1 3:abc;")},
    {S("*2\r\n$1\r\na\r\n$-"), S("+more")},
    {S("*3\r\n$3\r\nSET\r\n"), S("+more")},
    {S("PING"), S("+more")},
    {S("PING\0\r\n"), S("+more")},
    {S("*1\r\n\0$1\r\n"), S("+more")},
    {S("*1\r\n$3\r"), S("+more")},
};

static const tcase_req bad[] = {
    {S("*1\r\nfoo\r\n"), S("!Protocol error: expected '$', got 'f'")},
    {S("*1\r\n\r\n"), S("!Protocol error: expected '$', got ' '")},
    {S("*1\r\n\nX\r\n"), S("!Protocol error: expected '$', got ' '")},
    {S("*2\r\n$1\r\na\r\n:1\r\n"), S("!Protocol error: expected '$', got ':'")},
    {S("*abc\r\n"), S("!Protocol error: invalid multibulk length")},
    {S("*\r\n"), S("!Protocol error: invalid multibulk length")},
    {S("*-0\r\n"), S("!Protocol error: invalid multibulk length")},
    {S("*01\r\n"), S("!Protocol error: invalid multibulk length")},
    {S("*+1\r\n"), S("!Protocol error: invalid multibulk length")},
    {S("* 1\r\n"), S("!Protocol error: invalid multibulk length")},
    {S("*1 \r\n"), S("!Protocol error: invalid multibulk length")},
    {S("*2147483648\r\n"), S("!Protocol error: invalid multibulk length")},
    {S("*99999999999999999999\r\n"), S("!Protocol error: invalid multibulk length")},
    {S("*1\r\n$-1\r\n"), S("!Protocol error: invalid bulk length")},
    {S("*1\r\n$-0\r\n"), S("!Protocol error: invalid bulk length")},
    {S("*1\r\n$01\r\n"), S("!Protocol error: invalid bulk length")},
    {S("*1\r\n$\r\n"), S("!Protocol error: invalid bulk length")},
    {S("*1\r\n$3x\r\n"), S("!Protocol error: invalid bulk length")},
    {S("*1\r\n$536870913\r\n"), S("!Protocol error: invalid bulk length")},
    {S("set \"a\r\n"), S("!Protocol error: unbalanced quotes in request")},
    {S("set \"a\"b\r\n"), S("!Protocol error: unbalanced quotes in request")},
    {S("set 'a\r\n"), S("!Protocol error: unbalanced quotes in request")},
    {S("set 'a'b\r\n"), S("!Protocol error: unbalanced quotes in request")},
    {S("\"\\\"\r\n"), S("!Protocol error: unbalanced quotes in request")},
};

#define NGOOD (sizeof(good) / sizeof(good[0]))
#define NBAD  (sizeof(bad) / sizeof(bad[0]))

static void check_all_splits(const tcase_req *t)
{
    size_t rl, cut, *cuts;
    char *r = run_whole(t->in, t->in_len, &rl);

    expect_eq(r, rl, t->want, t->want_len, "whole", 0);
    free(r);
    for (cut = 1; cut < t->in_len; cut++) {
        r = run_fresh(t->in, t->in_len, &cut, 1, &rl);
        expect_eq(r, rl, t->want, t->want_len, "split in two", cut);
        free(r);
    }
    cuts = malloc(t->in_len * sizeof(*cuts));
    for (cut = 0; cut < t->in_len; cut++)
        cuts[cut] = cut + 1;
    r = run_fresh(t->in, t->in_len, cuts, t->in_len, &rl);
    expect_eq(r, rl, t->want, t->want_len, "byte by byte", 0);
    free(r);
    free(cuts);
}

START_TEST(test_table_good)
{
    check_all_splits(&good[_i]);
}
END_TEST

START_TEST(test_table_bad)
{
    check_all_splits(&bad[_i]);
}
END_TEST

/* Every complete good request in one buffer, then a bad one: split everywhere. */
START_TEST(test_pipelined)
{
    sbuf in = {0}, want = {0};
    size_t i, cut, *cuts, rl;
    char *r;

    sb_str(&in, "");
    sb_str(&want, "");
    for (i = 0; i < NGOOD; i++) {
        if (good[i].want_len >= 5 && memcmp(good[i].want + good[i].want_len - 5, "+more", 5) == 0)
            continue;
        sb_add(&in, good[i].in, good[i].in_len);
        sb_add(&want, good[i].want, good[i].want_len);
    }
    /* the "abcXY" entry leaves no trailing bytes; add a final partial and an error case */
    r = run_whole(in.s, in.len, &rl);
    expect_eq(r, rl, want.s, want.len, "pipelined whole", 0);
    free(r);
    for (cut = 1; cut < in.len; cut++) {
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
    /* a bad request after all of them: requests first, then the error */
    sb_add(&in, S("*1\r\nfoo\r\n"));
    sb_str(&want, "!Protocol error: expected '$', got 'f'");
    r = run_fresh(in.s, in.len, cuts, in.len - 9, &rl);
    expect_eq(r, rl, want.s, want.len, "pipelined then error", 0);
    free(r);
    free(cuts);
    free(in.s);
    free(want.s);
}
END_TEST

/* ------------------------------------------------------------------ direct API checks */

START_TEST(test_zero_copy_and_return_values)
{
    char buf[] = "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\nPING\r\n";
    size_t len = sizeof(buf) - 1;
    resp_parser p;
    ssize_t n;

    resp_parser_init(&p);
    ck_assert_int_eq(p.max_bulk_len, 512LL * 1024 * 1024);
    ck_assert_int_eq(p.max_multibulk, INT_MAX);
    ck_assert_int_eq(resp_parse_request(&p, buf, 0), RESP_NEED_MORE);
    n = resp_parse_request(&p, buf, len);
    ck_assert_int_eq(n, 22);
    ck_assert_int_eq(p.argc, 2);
    ck_assert_int_eq(p.is_inline, 0);
    ck_assert_ptr_eq(p.argv[0].ptr, buf + 8);
    ck_assert_ptr_eq(p.argv[1].ptr, buf + 17);
    ck_assert_uint_eq(p.argv[1].len, 3);
    ck_assert(memcmp(buf, "*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n", 22) == 0);   /* untouched */
    n = resp_parse_request(&p, buf + 22, len - 22);
    ck_assert_int_eq(n, 6);
    ck_assert_int_eq(p.is_inline, 1);
    ck_assert_int_eq(p.argc, 1);
    ck_assert(p.argv[0].len == 4 && memcmp(p.argv[0].ptr, "PING", 4) == 0);
    resp_parser_free(&p);
}
END_TEST

/* The server re-parses a postponed request after resp_parser_reset: same result. */
START_TEST(test_reparse_after_reset)
{
    char buf[] = "set \"a b\" 'c\\'d' \"\\x41\"\r\n";
    char copy[sizeof(buf)];
    resp_parser p;
    int round;

    memcpy(copy, buf, sizeof(buf));
    resp_parser_init(&p);
    for (round = 0; round < 2; round++) {
        ck_assert_int_eq(resp_parse_request(&p, buf, sizeof(buf) - 1), (ssize_t)sizeof(buf) - 1);
        ck_assert_int_eq(p.argc, 4);
        ck_assert(p.argv[1].len == 3 && memcmp(p.argv[1].ptr, "a b", 3) == 0);
        ck_assert(p.argv[2].len == 3 && memcmp(p.argv[2].ptr, "c'd", 3) == 0);
        ck_assert(p.argv[3].len == 1 && p.argv[3].ptr[0] == 'A');
        ck_assert(memcmp(buf, copy, sizeof(buf)) == 0);
        resp_parser_reset(&p);
    }
    resp_parser_free(&p);
}
END_TEST

START_TEST(test_error_sticky_and_reset)
{
    char bad1[] = "*x\r\n";
    char ok[] = "PING\r\n";
    resp_parser p;

    resp_parser_init(&p);
    ck_assert_int_eq(resp_parse_request(&p, bad1, 4), RESP_ERROR);
    ck_assert_str_eq(p.err, "Protocol error: invalid multibulk length");
    ck_assert_int_eq(resp_parse_request(&p, ok, 6), RESP_ERROR);
    resp_parser_reset(&p);
    ck_assert_str_eq(p.err, "");
    ck_assert_int_eq(resp_parse_request(&p, ok, 6), 6);
    ck_assert_int_eq(p.argc, 1);
    resp_parser_free(&p);
}
END_TEST

/* Build "<prefix><n filler bytes><suffix>". */
static char *make_line(const char *prefix, size_t n, char fill, const char *suffix, size_t *len)
{
    size_t pl = strlen(prefix), sl = strlen(suffix);
    char *s = malloc(pl + n + sl + 1);

    memcpy(s, prefix, pl);
    memset(s + pl, fill, n);
    memcpy(s + pl + n, suffix, sl + 1);
    *len = pl + n + sl;
    return s;
}

static ssize_t parse_once(const char *in, size_t len, char *err, size_t errlen)
{
    resp_parser p;
    char *copy = malloc(len + 1);
    ssize_t r;

    memcpy(copy, in, len);
    resp_parser_init(&p);
    r = resp_parse_request(&p, copy, len);
    snprintf(err, errlen, "%s", p.err);
    resp_parser_free(&p);
    free(copy);
    return r;
}

START_TEST(test_limit_inline)
{
    char err[128];
    size_t len;
    char *s = make_line("", 65536, 'a', "", &len);

    ck_assert_int_eq(parse_once(s, len, err, sizeof(err)), RESP_NEED_MORE);
    free(s);
    s = make_line("", 65537, 'a', "", &len);
    ck_assert_int_eq(parse_once(s, len, err, sizeof(err)), RESP_ERROR);
    ck_assert_str_eq(err, "Protocol error: too big inline request");
    free(s);
    /* a longer line whose newline is already buffered is accepted, like Redis */
    s = make_line("", 70000, 'a', "\r\n", &len);
    ck_assert_int_eq(parse_once(s, len, err, sizeof(err)), (ssize_t)len);
    free(s);
    /* a NUL hides the newline (Redis uses strchr): stall, then the size error */
    s = make_line("PING\0", 65536, 'a', "\r\n", &len);
    s[4] = '\0';
    ck_assert_int_eq(parse_once(s, 60000, err, sizeof(err)), RESP_NEED_MORE);
    ck_assert_int_eq(parse_once(s, len, err, sizeof(err)), RESP_ERROR);
    ck_assert_str_eq(err, "Protocol error: too big inline request");
    free(s);
}
END_TEST

START_TEST(test_limit_count_strings)
{
    char err[128];
    size_t len;
    char *s = make_line("*", 65535, '1', "", &len);

    ck_assert_int_eq(parse_once(s, len, err, sizeof(err)), RESP_NEED_MORE);
    free(s);
    s = make_line("*", 65536, '1', "", &len);
    ck_assert_int_eq(parse_once(s, len, err, sizeof(err)), RESP_ERROR);
    ck_assert_str_eq(err, "Protocol error: too big mbulk count string");
    free(s);
    s = make_line("*", 70000, '1', "\r\n", &len);   /* terminated: parsed, then invalid */
    ck_assert_int_eq(parse_once(s, len, err, sizeof(err)), RESP_ERROR);
    ck_assert_str_eq(err, "Protocol error: invalid multibulk length");
    free(s);
    s = make_line("*1\r\n$", 65535, '1', "", &len);
    ck_assert_int_eq(parse_once(s, len, err, sizeof(err)), RESP_NEED_MORE);
    free(s);
    s = make_line("*1\r\n$", 65536, '1', "", &len);
    ck_assert_int_eq(parse_once(s, len, err, sizeof(err)), RESP_ERROR);
    ck_assert_str_eq(err, "Protocol error: too big bulk count string");
    free(s);
    /* the '$' check waits for the '\r' like Redis, so junk first hits the size limit */
    s = make_line("*1\r\n", 65537, 'x', "", &len);
    ck_assert_int_eq(parse_once(s, len, err, sizeof(err)), RESP_ERROR);
    ck_assert_str_eq(err, "Protocol error: too big bulk count string");
    free(s);
}
END_TEST

START_TEST(test_max_bulk_and_multibulk)
{
    char a[] = "*1\r\n$10\r\n0123456789\r\n";
    char b[] = "*1\r\n$11\r\n";
    char c[] = "*5\r\n";
    char d[] = "*6\r\n";
    char e[] = "*1\r\n$536870912\r\n";
    resp_parser p;

    resp_parser_init(&p);
    p.max_bulk_len = 10;
    ck_assert_int_eq(resp_parse_request(&p, a, sizeof(a) - 1), (ssize_t)sizeof(a) - 1);
    ck_assert_int_eq(resp_parse_request(&p, b, sizeof(b) - 1), RESP_ERROR);
    ck_assert_str_eq(p.err, "Protocol error: invalid bulk length");
    resp_parser_reset(&p);
    p.max_multibulk = 5;
    ck_assert_int_eq(resp_parse_request(&p, c, 4), RESP_NEED_MORE);
    resp_parser_reset(&p);
    ck_assert_int_eq(resp_parse_request(&p, d, 4), RESP_ERROR);
    ck_assert_str_eq(p.err, "Protocol error: invalid multibulk length");
    resp_parser_free(&p);

    resp_parser_init(&p);   /* the default 512 MiB is allowed exactly */
    ck_assert_int_eq(resp_parse_request(&p, e, sizeof(e) - 1), RESP_NEED_MORE);
    ck_assert_uint_eq(resp_parser_pending_bulk(&p), 536870912u + 2);
    resp_parser_free(&p);
}
END_TEST

START_TEST(test_unauthenticated_limits)
{
    char a[] = "*10\r\n$16384\r\n";
    char b[] = "*11\r\n";
    char c[] = "*1\r\n$16385\r\n";
    char d[] = "*1\r\n$-1\r\n";
    resp_parser p;

    resp_parser_init(&p);
    p.unauthenticated = 1;
    ck_assert_int_eq(resp_parse_request(&p, a, sizeof(a) - 1), RESP_NEED_MORE);
    resp_parser_reset(&p);
    ck_assert_int_eq(resp_parse_request(&p, b, sizeof(b) - 1), RESP_ERROR);
    ck_assert_str_eq(p.err, "Protocol error: unauthenticated multibulk length");
    resp_parser_reset(&p);
    ck_assert_int_eq(resp_parse_request(&p, c, sizeof(c) - 1), RESP_ERROR);
    ck_assert_str_eq(p.err, "Protocol error: unauthenticated bulk length");
    resp_parser_reset(&p);
    ck_assert_int_eq(resp_parse_request(&p, d, sizeof(d) - 1), RESP_ERROR);
    ck_assert_str_eq(p.err, "Protocol error: invalid bulk length");
    resp_parser_reset(&p);
    p.unauthenticated = 0;
    ck_assert_int_eq(resp_parse_request(&p, c, sizeof(c) - 1), RESP_NEED_MORE);
    resp_parser_free(&p);
}
END_TEST

START_TEST(test_pending_bulk)
{
    char buf[200];
    resp_parser p;
    int n = snprintf(buf, sizeof(buf), "*2\r\n$1\r\nx\r\n$100\r\n");

    memset(buf + n, 'z', 50);
    resp_parser_init(&p);
    ck_assert_uint_eq(resp_parser_pending_bulk(&p), 0);
    ck_assert_int_eq(resp_parse_request(&p, buf, (size_t)n - 2), RESP_NEED_MORE);
    ck_assert_uint_eq(resp_parser_pending_bulk(&p), 0);          /* still in the header */
    ck_assert_int_eq(resp_parse_request(&p, buf, (size_t)n + 50), RESP_NEED_MORE);
    ck_assert_uint_eq(resp_parser_pending_bulk(&p), 52);
    memset(buf + n + 50, 'z', 50);
    memcpy(buf + n + 100, "\r\n", 2);
    ck_assert_int_eq(resp_parse_request(&p, buf, (size_t)n + 101), RESP_NEED_MORE);
    ck_assert_uint_eq(resp_parser_pending_bulk(&p), 1);
    ck_assert_int_eq(resp_parse_request(&p, buf, (size_t)n + 102), n + 102);
    ck_assert_int_eq(p.argc, 2);
    ck_assert_uint_eq(p.argv[1].len, 100);
    ck_assert_uint_eq(resp_parser_pending_bulk(&p), 0);
    resp_parser_free(&p);
}
END_TEST

/* '*2000000000' must not allocate 2e9 slots; slots grow with the arguments received. */
START_TEST(test_huge_count_no_alloc)
{
    const int nargs = 3000;
    size_t cap = 32 + (size_t)nargs * 7, len;
    char *buf = malloc(cap);
    resp_parser p;
    int i;

    len = (size_t)snprintf(buf, cap, "*2000000000\r\n");
    for (i = 0; i < nargs; i++) {
        memcpy(buf + len, "$1\r\na\r\n", 7);
        len += 7;
    }
    resp_parser_init(&p);
    ck_assert_int_eq(resp_parse_request(&p, buf, 13), RESP_NEED_MORE);
    ck_assert_int_le(p.arg_cap, 1024);
    ck_assert_int_le(p.argv_cap, 1024);
    ck_assert_int_eq(resp_parse_request(&p, buf, len), RESP_NEED_MORE);
    ck_assert_int_le(p.arg_cap, 4096);
    ck_assert_int_ge(p.arg_cap, nargs);
    ck_assert_int_le(p.argv_cap, 1024);
    resp_parser_free(&p);
    free(buf);
}
END_TEST

/* A 64 MiB bulk arriving in 64 KiB reads (the buffer only grows). */
START_TEST(test_big_bulk_incremental)
{
    const size_t blen = 64u << 20, step = 64u << 10;
    size_t hdr, total, have;
    char *buf = malloc(blen + 64);
    resp_parser p;
    ssize_t r = RESP_NEED_MORE;

    if (!buf) ck_abort_msg("out of memory");
    hdr = (size_t)sprintf(buf, "*1\r\n$%zu\r\n", blen);
    memset(buf + hdr, 'q', blen);
    memcpy(buf + hdr + blen, "\r\n", 2);
    total = hdr + blen + 2;
    resp_parser_init(&p);
    for (have = step; have < total + step && r == RESP_NEED_MORE; have += step) {
        size_t len = have < total ? have : total;
        r = resp_parse_request(&p, buf, len);
        if (r == RESP_NEED_MORE && len > hdr)
            ck_assert_uint_eq(resp_parser_pending_bulk(&p), total - len);
    }
    ck_assert_int_eq(r, (ssize_t)total);
    ck_assert_int_eq(p.argc, 1);
    ck_assert_uint_eq(p.argv[0].len, blen);
    ck_assert_ptr_eq(p.argv[0].ptr, buf + hdr);
    resp_parser_free(&p);
    free(buf);
}
END_TEST

START_TEST(test_split_inline_api)
{
    char line[] = "set \"a\\x00b\" 'it''s'";
    char line2[] = "get k\0ignored";
    char line3[] = "x \"open";
    resp_arg *argv;
    int argc;

    ck_assert_int_eq(resp_split_inline(line, sizeof(line) - 1, &argv, &argc), -1);
    ck_assert_ptr_null(argv);
    {
        char ok[] = "set \"a\\x00b\" 'it\\'s' \"\"";
        ck_assert_int_eq(resp_split_inline(ok, sizeof(ok) - 1, &argv, &argc), 0);
        ck_assert_int_eq(argc, 4);
        ck_assert_uint_eq(argv[1].len, 3);
        ck_assert(memcmp(argv[1].ptr, "a\0b", 3) == 0);
        ck_assert(argv[2].len == 4 && memcmp(argv[2].ptr, "it's", 4) == 0);
        ck_assert_uint_eq(argv[3].len, 0);
        free(argv);
    }
    ck_assert_int_eq(resp_split_inline(line2, sizeof(line2) - 1, &argv, &argc), 0);
    ck_assert_int_eq(argc, 2);   /* a NUL ends the line like a C string */
    free(argv);
    ck_assert_int_eq(resp_split_inline(line3, sizeof(line3) - 1, &argv, &argc), -1);
    ck_assert_int_eq(resp_split_inline(line3, 0, &argv, &argc), 0);
    ck_assert_int_eq(argc, 0);
    ck_assert_ptr_nonnull(argv);
    free(argv);
}
END_TEST

/* ------------------------------------------------------------------ main */

static Suite *parser_suite(void)
{
    Suite *s = suite_create("resp_parser");
    TCase *t = tcase_create("table");
    TCase *l = tcase_create("limits");
    TCase *a = tcase_create("api");

    tcase_set_timeout(t, 120);
    tcase_add_loop_test(t, test_table_good, 0, (int)NGOOD);
    tcase_add_loop_test(t, test_table_bad, 0, (int)NBAD);
    tcase_add_test(t, test_pipelined);
    suite_add_tcase(s, t);
    tcase_set_timeout(l, 120);
    tcase_add_test(l, test_limit_inline);
    tcase_add_test(l, test_limit_count_strings);
    tcase_add_test(l, test_max_bulk_and_multibulk);
    tcase_add_test(l, test_pending_bulk);
    tcase_add_test(l, test_unauthenticated_limits);
    tcase_add_test(l, test_huge_count_no_alloc);
    tcase_add_test(l, test_big_bulk_incremental);
    suite_add_tcase(s, l);
    tcase_add_test(a, test_zero_copy_and_return_values);
    tcase_add_test(a, test_error_sticky_and_reset);
    tcase_add_test(a, test_reparse_after_reset);
    tcase_add_test(a, test_split_inline_api);
    suite_add_tcase(s, a);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(parser_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
