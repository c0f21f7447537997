/* test_config.c -- unit tests for the typed parameter table (common/config.c): defaults,
 * each kind parsed and rejected with Redis's wording, YAML file errors naming file, line
 * and parameter, argv overrides and the comment-preserving atomic CONFIG REWRITE.
 * Uses its own small table so it links against keel_common only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/config.h"
#include "common/dstr.h"

/* ------------------------------------------------------------------ the test table */

static int t_flag;
static long long t_port, t_mem, t_hz;
static char *t_name, *t_pass;
static int t_policy;
static long long t_pair[2];
static int apply_calls;
static int apply_fail;

static const cfg_enum policy_enums[] = {
    {"volatile-lru", 0}, {"allkeys-lru", 1}, {"noeviction", 2}, {NULL, 0}};

/* "a b": two integers. */
static int pair_set(const cfg_param *p, const char *v, const char **err) {
    long long a, b;
    char extra;
    (void)p;
    if (sscanf(v, "%lld %lld %c", &a, &b, &extra) != 2) {
        *err = "Invalid pair";
        return -1;
    }
    t_pair[0] = a;
    t_pair[1] = b;
    return 0;
}

static dstr pair_get(const cfg_param *p) {
    (void)p;
    return dstr_catfmt(dstr_empty(), "%lld %lld", t_pair[0], t_pair[1]);
}

static int hz_apply(const cfg_param *p, const char **err) {
    (void)p;
    apply_calls++;
    if (apply_fail && t_hz == 13) {
        *err = "unlucky";
        return -1;
    }
    return 0;
}

static cfg_param test_params[] = {
    {.name = "protected-mode", .kind = CFG_BOOL, .storage = &t_flag, .def = "yes"},
    {.name = "port", .kind = CFG_INT, .storage = &t_port, .def = "6379", .min = 0,
     .max = 65535},
    {.name = "maxmemory", .kind = CFG_MEMORY, .storage = &t_mem, .def = "0", .min = 0,
     .max = 1LL << 50},
    {.name = "hz", .kind = CFG_INT, .storage = &t_hz, .def = "10", .min = 1, .max = 500,
     .apply = hz_apply},
    {.name = "replicaof", .alias = "slaveof", .kind = CFG_STRING, .flags = CFG_IMMUTABLE,
     .storage = &t_name, .def = ""},
    {.name = "requirepass", .kind = CFG_STRING, .flags = CFG_EMPTY_NULL | CFG_SENSITIVE,
     .storage = &t_pass, .def = ""},
    {.name = "maxmemory-policy", .kind = CFG_ENUM, .storage = &t_policy, .def = "noeviction",
     .enums = policy_enums},
    {.name = "pair", .kind = CFG_SPECIAL, .storage = t_pair, .def = "1 2", .set = pair_set,
     .get = pair_get},
};
#define NPARAMS (sizeof(test_params) / sizeof(test_params[0]))

static cfg_table tbl;

/* Temporary directory per test (fork mode gives each test its own process). */
static char tmpdir[64];

static void setup(void) {
    char err[256];
    ck_assert_int_eq(cfg_init(&tbl, test_params, NPARAMS, err, sizeof(err)), 0);
}

static void remove_tmpdir(void) {
    DIR *d = opendir(tmpdir);
    if (!d) return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(path, sizeof(path), "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(tmpdir);
    tmpdir[0] = '\0';
}

static void teardown(void) {
    cfg_free(&tbl);
    if (tmpdir[0]) remove_tmpdir();
}

static void assert_value(const char *name, const char *want) {
    const cfg_param *p = cfg_find(&tbl, name);
    ck_assert_ptr_nonnull(p);
    dstr v = cfg_get(p);
    ck_assert_str_eq(v, want);
    dstr_free(v);
}

/* Set name=value; returns the error text ("" on success). */
static const char *try_set(const char *name, const char *value, int runtime) {
    const cfg_param *p = cfg_find(&tbl, name);
    ck_assert_ptr_nonnull(p);
    const char *err = NULL;
    if (cfg_set(&tbl, p, value, runtime, &err) == 0) return "";
    ck_assert_ptr_nonnull(err);
    return err;
}

static const char *write_file(const char *name, const char *text) {
    static char path[256];
    if (!tmpdir[0]) {
        strcpy(tmpdir, "/tmp/keel_cfg_test_XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    }
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

static char *read_file(const char *path) {
    static char buf[8192];
    FILE *fp = fopen(path, "r");
    ck_assert_ptr_nonnull(fp);
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return buf;
}

/* ------------------------------------------------------------------ defaults and kinds */

START_TEST(test_defaults) {
    assert_value("protected-mode", "yes");
    assert_value("port", "6379");
    assert_value("maxmemory", "0");
    assert_value("replicaof", "");
    assert_value("requirepass", "");
    ck_assert_ptr_null(t_pass);
    assert_value("maxmemory-policy", "noeviction");
    assert_value("pair", "1 2");
    ck_assert_str_eq(cfg_default(&tbl, cfg_find(&tbl, "port")), "6379");
}
END_TEST

START_TEST(test_find_alias_nocase) {
    ck_assert_ptr_eq(cfg_find(&tbl, "SLAVEOF"), cfg_find(&tbl, "replicaof"));
    ck_assert_ptr_eq(cfg_find(&tbl, "MaxMemory"), &test_params[2]);
    ck_assert_ptr_null(cfg_find(&tbl, "foo"));
}
END_TEST

START_TEST(test_bool) {
    ck_assert_str_eq(try_set("protected-mode", "NO", 1), "");
    ck_assert_int_eq(t_flag, 0);
    ck_assert_str_eq(try_set("protected-mode", "maybe", 1), "argument must be 'yes' or 'no'");
    ck_assert_str_eq(try_set("protected-mode", "", 1), "argument must be 'yes' or 'no'");
    ck_assert_int_eq(t_flag, 0);
}
END_TEST

static const struct {
    const char *value, *err;
} int_cases[] = {
    {"abc", "argument couldn't be parsed into an integer"},
    {"+5", "argument couldn't be parsed into an integer"},
    {"05", "argument couldn't be parsed into an integer"},
    {" 5", "argument couldn't be parsed into an integer"},
    {"10k", "argument couldn't be parsed into an integer"},
    {"", "argument couldn't be parsed into an integer"},
    {"65536", "argument must be between 0 and 65535 inclusive"},
    {"-1", "argument must be between 0 and 65535 inclusive"},
    {"99999999999999999999", "argument couldn't be parsed into an integer"},
};

START_TEST(test_int_rejected) {
    ck_assert_str_eq(try_set("port", int_cases[_i].value, 1), int_cases[_i].err);
    ck_assert_int_eq(t_port, 6379);
}
END_TEST

START_TEST(test_int_accepted) {
    ck_assert_str_eq(try_set("port", "0", 1), "");
    ck_assert_int_eq(t_port, 0);
    ck_assert_str_eq(try_set("port", "65535", 1), "");
    assert_value("port", "65535");
}
END_TEST

START_TEST(test_memory) {
    ck_assert_str_eq(try_set("maxmemory", "1mb", 1), "");
    ck_assert_int_eq(t_mem, 1048576);
    assert_value("maxmemory", "1048576");
    ck_assert_str_eq(try_set("maxmemory", "5GB", 1), "");
    ck_assert_int_eq(t_mem, 5368709120LL);
    ck_assert_str_eq(try_set("maxmemory", "1k", 1), "");
    ck_assert_int_eq(t_mem, 1000);
    ck_assert_str_eq(try_set("maxmemory", "1x", 1), "argument must be a memory value");
    ck_assert_str_eq(try_set("maxmemory", "-1", 1), "argument must be a memory value");
    ck_assert_str_eq(try_set("maxmemory", "2000000gb", 1),
                     "argument must be between 0 and 1125899906842624 inclusive");
    ck_assert_int_eq(t_mem, 1000);
    ck_assert_str_eq(try_set("maxmemory", "", 1), "");   /* Redis: empty is 0 */
    ck_assert_int_eq(t_mem, 0);
}
END_TEST

START_TEST(test_enum) {
    ck_assert_str_eq(try_set("maxmemory-policy", "ALLKEYS-LRU", 1), "");
    ck_assert_int_eq(t_policy, 1);
    assert_value("maxmemory-policy", "allkeys-lru");
    ck_assert_str_eq(try_set("maxmemory-policy", "lru", 1),
                     "argument(s) must be one of the following: volatile-lru, allkeys-lru, "
                     "noeviction");
    ck_assert_int_eq(t_policy, 1);
}
END_TEST

START_TEST(test_string) {
    ck_assert_str_eq(try_set("requirepass", "secret", 1), "");
    ck_assert_str_eq(t_pass, "secret");
    ck_assert_str_eq(try_set("requirepass", "", 1), "");
    ck_assert_ptr_null(t_pass);
    ck_assert_str_eq(try_set("replicaof", "127.0.0.1 7000", 0), "");
    assert_value("slaveof", "127.0.0.1 7000");
    ck_assert_str_eq(try_set("replicaof", "", 1), "can't set immutable config");
    ck_assert_str_eq(t_name, "127.0.0.1 7000");
}
END_TEST

START_TEST(test_special) {
    ck_assert_str_eq(try_set("pair", "5 6", 1), "");
    assert_value("pair", "5 6");
    ck_assert_str_eq(try_set("pair", "5", 1), "Invalid pair");
    assert_value("pair", "5 6");
}
END_TEST

START_TEST(test_apply_restores) {
    apply_fail = 1;
    ck_assert_str_eq(try_set("hz", "50", 1), "");
    ck_assert_int_eq(apply_calls, 1);
    ck_assert_str_eq(try_set("hz", "13", 1), "unlucky");
    ck_assert_int_eq(t_hz, 50);
    ck_assert_str_eq(try_set("hz", "13", 0), "");   /* load time: no apply */
    ck_assert_int_eq(t_hz, 13);
}
END_TEST

/* ------------------------------------------------------------------ YAML file */

START_TEST(test_yaml_load) {
    const char *path = write_file("ok.yaml",
        "# a comment\n"
        "port: 7000\n"
        "maxmemory: 100mb   # trailing comment\n"
        "protected-mode: no\n"
        "slaveof: \"10.0.0.1 6380\"\n"
        "pair:\n"
        "  - 7\n"
        "  - 8\n"
        "requirepass: ''\n"
        "maxmemory-policy: allkeys-lru\n");
    char err[256] = "";
    ck_assert_msg(cfg_load_file(&tbl, path, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(t_port, 7000);
    ck_assert_int_eq(t_mem, 100LL << 20);
    ck_assert_int_eq(t_flag, 0);
    ck_assert_str_eq(t_name, "10.0.0.1 6380");
    assert_value("pair", "7 8");
    ck_assert_ptr_null(t_pass);
    ck_assert_int_eq(t_policy, 1);
    ck_assert_str_eq(tbl.path, path);
}
END_TEST

START_TEST(test_yaml_flow_sequence_and_empty) {
    const char *path = write_file("seq.yaml", "pair: [3, 4]\nreplicaof:\n");
    char err[256] = "";
    ck_assert_msg(cfg_load_file(&tbl, path, err, sizeof(err)) == 0, "%s", err);
    assert_value("pair", "3 4");
    assert_value("replicaof", "");
    path = write_file("empty.yaml", "# only comments\n\n");
    ck_assert_msg(cfg_load_file(&tbl, path, err, sizeof(err)) == 0, "%s", err);
}
END_TEST

static const struct {
    const char *text, *err;
} yaml_errors[] = {
    {"port: 1\n\nmaxmemory: 12qb\n",
     "keel.yaml:3: parameter 'maxmemory': argument must be a memory value"},
    {"port: 1\nhz: 2\nfoo: bar\n", "keel.yaml:3: unknown parameter 'foo'"},
    {"port: 99999\n", "keel.yaml:1: parameter 'port': argument must be between 0 and 65535 "
                      "inclusive"},
    {"\nprotected-mode: maybe\n",
     "keel.yaml:2: parameter 'protected-mode': argument must be 'yes' or 'no'"},
    {"port: abc\n", "keel.yaml:1: parameter 'port': argument couldn't be parsed into an integer"},
    {"pair: 1\n", "keel.yaml:1: parameter 'pair': Invalid pair"},
    {"- port\n- 1\n", "keel.yaml:1: the top level must be a mapping"},
    {"just a scalar\n", "keel.yaml:1: the top level must be a mapping"},
    {"port:\n  a: 1\n", "keel.yaml:1: parameter 'port': value must be a scalar or a list of "
                        "scalars"},
    {"pair:\n  - 1\n  - [2]\n", "keel.yaml:3: parameter 'pair': list items must be scalars"},
    {"replicaof: 'a'\n---\nport: 1\n", "keel.yaml:2: only one YAML document is allowed"},
};

START_TEST(test_yaml_errors) {
    char cwd[512];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
    const char *path = write_file("keel.yaml", yaml_errors[_i].text);
    (void)path;
    ck_assert_int_eq(chdir(tmpdir), 0);
    char err[256] = "";
    ck_assert_int_eq(cfg_load_file(&tbl, "keel.yaml", err, sizeof(err)), -1);
    ck_assert_str_eq(err, yaml_errors[_i].err);
    ck_assert_int_eq(chdir(cwd), 0);
}
END_TEST

START_TEST(test_yaml_syntax_error) {
    const char *path = write_file("bad.yaml", "port: 1\nhz: 2\nmaxmemory: \"unterminated\n");
    char err[256] = "";
    ck_assert_int_eq(cfg_load_file(&tbl, path, err, sizeof(err)), -1);
    char want[300];
    snprintf(want, sizeof(want), "%s:", path);
    ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%s", err);
    ck_assert_msg(strstr(err, "YAML syntax error") != NULL, "%s", err);
    path = write_file("bad2.yaml", "port: 1\nhz: [1, 2\nmaxmemory: 3\n");
    ck_assert_int_eq(cfg_load_file(&tbl, path, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "bad2.yaml:3: YAML syntax error: did not find expected ','")
                  != NULL, "%s", err);
    ck_assert_int_eq(cfg_load_file(&tbl, "/nonexistent/keel.yaml", err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "/nonexistent/keel.yaml: can't open config file") == err, "%s",
                  err);
}
END_TEST

/* ------------------------------------------------------------------ command line */

START_TEST(test_argv) {
    char *argv[] = {"--port", "7001", "--replicaof", "127.0.0.1", "7000", "--requirepass", "",
                    "--MAXMEMORY", "1gb", "--pair", "9 10"};
    char err[256] = "";
    ck_assert_msg(cfg_load_argv(&tbl, 11, argv, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(t_port, 7001);
    ck_assert_str_eq(t_name, "127.0.0.1 7000");
    ck_assert_ptr_null(t_pass);
    ck_assert_int_eq(t_mem, 1LL << 30);
    assert_value("pair", "9 10");
}
END_TEST

START_TEST(test_argv_empty_value) {
    ck_assert_str_eq(try_set("requirepass", "x", 0), "");
    char *argv[] = {"--requirepass", "--port", "1"};
    char err[256] = "";
    ck_assert_msg(cfg_load_argv(&tbl, 3, argv, err, sizeof(err)) == 0, "%s", err);
    ck_assert_ptr_null(t_pass);
    ck_assert_int_eq(t_port, 1);
}
END_TEST

START_TEST(test_argv_errors) {
    char err[256] = "";
    char *a1[] = {"--foo", "bar"};
    ck_assert_int_eq(cfg_load_argv(&tbl, 2, a1, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "command line: unknown parameter 'foo'");
    char *a2[] = {"--port", "1", "2"};
    ck_assert_int_eq(cfg_load_argv(&tbl, 3, a2, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "command line: parameter 'port': argument couldn't be parsed into an "
                          "integer");
    char *a3[] = {"stray"};
    ck_assert_int_eq(cfg_load_argv(&tbl, 1, a3, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "command line: unexpected argument 'stray'");
}
END_TEST

/* ------------------------------------------------------------------ rewrite */

static int count_dir_entries(const char *dir) {
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    }
    closedir(d);
    return n;
}

START_TEST(test_rewrite) {
    const char *path = write_file("rw.yaml",
        "# Keel config\n"
        "port: 7000   # the port\n"
        "\n"
        "pair:\n"
        "  - 1\n"
        "  # kept comment\n"
        "  - 2\n"
        "maxmemory: 1mb\n"
        "port: 7002\n");
    char err[256] = "";
    ck_assert_msg(cfg_load_file(&tbl, path, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(t_port, 7002);
    chmod(path, 0640);
    struct stat before, after;
    ck_assert_int_eq(stat(path, &before), 0);
    t_port = 7100;
    ck_assert_str_eq(try_set("pair", "3 4", 1), "");
    ck_assert_str_eq(try_set("requirepass", "p\"w d", 1), "");
    ck_assert_str_eq(try_set("maxmemory-policy", "allkeys-lru", 1), "");
    ck_assert_msg(cfg_rewrite(&tbl, NULL, err, sizeof(err)) == 0, "%s", err);
    ck_assert_str_eq(read_file(path),
        "# Keel config\n"
        "port: 7100   # the port\n"
        "\n"
        "pair: 3 4\n"
        "  # kept comment\n"
        "maxmemory: 1048576\n"
        "requirepass: \"p\\\"w d\"\n"
        "maxmemory-policy: allkeys-lru\n");
    ck_assert_int_eq(stat(path, &after), 0);
    ck_assert_int_ne(before.st_ino, after.st_ino);      /* replaced by rename */
    ck_assert_int_eq(after.st_mode & 0777, 0640);
    ck_assert_int_eq(count_dir_entries(tmpdir), 1);     /* no temporary file left */
    /* The rewritten file loads back to the same values. */
    cfg_free(&tbl);
    setup();
    ck_assert_msg(cfg_load_file(&tbl, path, err, sizeof(err)) == 0, "%s", err);
    ck_assert_int_eq(t_port, 7100);
    ck_assert_str_eq(t_pass, "p\"w d");
    assert_value("pair", "3 4");
    ck_assert_int_eq(t_policy, 1);
}
END_TEST

START_TEST(test_rewrite_quoting) {
    const char *path = write_file("q.yaml", "replicaof: x\n");
    char err[256] = "";
    ck_assert_int_eq(cfg_load_file(&tbl, path, err, sizeof(err)), 0);
    ck_assert_str_eq(try_set("replicaof", "-::1 *", 0), "");
    ck_assert_str_eq(try_set("requirepass", "yes: no #x", 0), "");
    ck_assert_msg(cfg_rewrite(&tbl, NULL, err, sizeof(err)) == 0, "%s", err);
    ck_assert_str_eq(read_file(path), "replicaof: \"-::1 *\"\nrequirepass: \"yes: no #x\"\n");
    ck_assert_int_eq(cfg_load_file(&tbl, path, err, sizeof(err)), 0);
    ck_assert_str_eq(t_name, "-::1 *");
    ck_assert_str_eq(t_pass, "yes: no #x");
    ck_assert_int_eq(cfg_yaml_is_plain("3600 1 300 100"), 1);
    ck_assert_int_eq(cfg_yaml_is_plain(""), 0);
    ck_assert_int_eq(cfg_yaml_is_plain("on"), 0);
}
END_TEST

START_TEST(test_rewrite_errors) {
    char err[256] = "";
    ck_assert_int_eq(cfg_rewrite(&tbl, NULL, err, sizeof(err)), -1);
    ck_assert_str_eq(err, "The server is running without a config file");
    ck_assert_int_eq(cfg_rewrite(&tbl, "/nonexistent/dir/k.yaml", err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, "/nonexistent/dir/k.yaml") == err, "%s", err);
    /* A missing file is created with only the non-default values. */
    write_file("placeholder", "");
    char path[256];
    snprintf(path, sizeof(path), "%s/new.yaml", tmpdir);
    t_hz = 20;
    ck_assert_msg(cfg_rewrite(&tbl, path, err, sizeof(err)) == 0, "%s", err);
    ck_assert_str_eq(read_file(path), "hz: 20\n");
}
END_TEST

/* ------------------------------------------------------------------ suite */

static Suite *config_suite(void) {
    Suite *s = suite_create("config");
    struct {
        const char *name;
        const TTest *test;
        int loop;
    } cases[] = {
        {"defaults", test_defaults, 0},
        {"find", test_find_alias_nocase, 0},
        {"bool", test_bool, 0},
        {"int_rejected", test_int_rejected, (int)(sizeof(int_cases) / sizeof(int_cases[0]))},
        {"int_accepted", test_int_accepted, 0},
        {"memory", test_memory, 0},
        {"enum", test_enum, 0},
        {"string", test_string, 0},
        {"special", test_special, 0},
        {"apply", test_apply_restores, 0},
        {"yaml_load", test_yaml_load, 0},
        {"yaml_seq", test_yaml_flow_sequence_and_empty, 0},
        {"yaml_errors", test_yaml_errors, (int)(sizeof(yaml_errors) / sizeof(yaml_errors[0]))},
        {"yaml_syntax", test_yaml_syntax_error, 0},
        {"argv", test_argv, 0},
        {"argv_empty", test_argv_empty_value, 0},
        {"argv_errors", test_argv_errors, 0},
        {"rewrite", test_rewrite, 0},
        {"rewrite_quoting", test_rewrite_quoting, 0},
        {"rewrite_errors", test_rewrite_errors, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_add_checked_fixture(tc, setup, teardown);
        if (cases[i].loop) {
            tcase_add_loop_test(tc, cases[i].test, 0, cases[i].loop);
        } else {
            tcase_add_test(tc, cases[i].test);
        }
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(config_suite());
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
