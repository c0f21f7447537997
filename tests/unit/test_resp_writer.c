/* test_resp_writer.c -- unit tests for proto/resp_writer (headers and doubles).
 *
 * Expected double texts were taken from redis-server 7.0.15 (ZADD then ZSCORE over RESP2
 * and RESP3), e.g. 1.1 -> "1.1000000000000001", 1e20 -> "1e+20".
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "proto/resp_writer.h"

static void expect_out(const char *out, size_t n, const char *want)
{
    ck_assert_msg(n == strlen(want) && memcmp(out, want, n) == 0, "got [%.*s] want [%s]",
                  (int)n, out, want);
}

START_TEST(test_fmt_len)
{
    char out[RESP_HDR_MAX];

    expect_out(out, resp_fmt_len(out, '*', 3), "*3\r\n");
    expect_out(out, resp_fmt_len(out, '$', 5), "$5\r\n");
    expect_out(out, resp_fmt_len(out, '$', 0), "$0\r\n");
    expect_out(out, resp_fmt_len(out, ':', -1), ":-1\r\n");
    expect_out(out, resp_fmt_len(out, '%', 2), "%2\r\n");
    expect_out(out, resp_fmt_len(out, '~', 1), "~1\r\n");
    expect_out(out, resp_fmt_len(out, '>', 3), ">3\r\n");
    expect_out(out, resp_fmt_len(out, '|', 1), "|1\r\n");
    expect_out(out, resp_fmt_len(out, ':', 1234567890123LL), ":1234567890123\r\n");
    expect_out(out, resp_fmt_len(out, ':', LLONG_MAX), ":9223372036854775807\r\n");
    expect_out(out, resp_fmt_len(out, ':', LLONG_MIN), ":-9223372036854775808\r\n");
}
END_TEST

typedef struct dcase {
    double d;
    const char *text;
} dcase;

static const dcase doubles[] = {
    {1.1, "1.1000000000000001"},
    {0.1, "0.10000000000000001"},
    {1e20, "1e+20"},
    {123456789012345678.0, "1.2345678901234568e+17"},
    {3, "3"},
    {-3, "-3"},
    {0, "0"},
    {2.5, "2.5"},
    {1.5e-7, "1.4999999999999999e-07"},
    {-1.7976931348623157e308, "-1.7976931348623157e+308"},
    {4.9406564584124654e-324, "4.9406564584124654e-324"},
};

START_TEST(test_double_text)
{
    char out[RESP_HDR_MAX];
    size_t i;

    for (i = 0; i < sizeof(doubles) / sizeof(doubles[0]); i++) {
        size_t n = resp_fmt_double_text(out, doubles[i].d);
        expect_out(out, n, doubles[i].text);
        ck_assert_int_eq(out[n], '\0');
    }
    expect_out(out, resp_fmt_double_text(out, INFINITY), "inf");
    expect_out(out, resp_fmt_double_text(out, -INFINITY), "-inf");
    expect_out(out, resp_fmt_double_text(out, NAN), "nan");
}
END_TEST

START_TEST(test_double3)
{
    char out[RESP_HDR_MAX];

    expect_out(out, resp_fmt_double3(out, 2.5), ",2.5\r\n");
    expect_out(out, resp_fmt_double3(out, 1.1), ",1.1000000000000001\r\n");
    expect_out(out, resp_fmt_double3(out, INFINITY), ",inf\r\n");
    expect_out(out, resp_fmt_double3(out, -INFINITY), ",-inf\r\n");
    expect_out(out, resp_fmt_double3(out, -1.7976931348623157e308),
               ",-1.7976931348623157e+308\r\n");
}
END_TEST

START_TEST(test_verbatim)
{
    char out[RESP_HDR_MAX];

    expect_out(out, resp_fmt_verbatim_hdr(out, 11, "txt"), "=15\r\ntxt:");
    expect_out(out, resp_fmt_verbatim_hdr(out, 0, "mkd"), "=4\r\nmkd:");
    expect_out(out, resp_fmt_verbatim_hdr(out, 1000000, "txt"), "=1000004\r\ntxt:");
}
END_TEST

static Suite *writer_suite(void)
{
    Suite *s = suite_create("resp_writer");
    TCase *t = tcase_create("fmt");

    tcase_add_test(t, test_fmt_len);
    tcase_add_test(t, test_double_text);
    tcase_add_test(t, test_double3);
    tcase_add_test(t, test_verbatim);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(writer_suite());
    int failed;

    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
