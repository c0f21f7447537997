/* config.c -- keel-server's parameter table (Redis 7's names, defaults and bounds) and the
 * CONFIG command (GET, SET, RESETSTAT, REWRITE, HELP).
 *
 * The table is data for common/config.c: each row points into server.cfg, so the rest of
 * the server reads plain fields. Parameters Keel does not implement yet are still accepted
 * with Redis's defaults and validation (their storage is an anonymous static), so existing
 * redis.conf-style settings and clients that read them keep working. CONFIG SET is atomic
 * like Redis 7: every value is parsed first, apply hooks run once each, and any failure
 * restores every old value. Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "server/config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/log.h"
#include "common/util.h"
#include "server/server.h"
#include "server/multi.h"

/* ------------------------------------------------------------------ enums */

static const cfg_enum loglevel_enums[] = {
    {"debug", LL_DEBUG}, {"verbose", LL_VERBOSE}, {"notice", LL_NOTICE},
    {"warning", LL_WARNING}, {NULL, 0}};

static const cfg_enum maxmemory_policy_enums[] = {
    {"volatile-lru", MAXMEMORY_VOLATILE_LRU}, {"volatile-lfu", MAXMEMORY_VOLATILE_LFU},
    {"volatile-random", MAXMEMORY_VOLATILE_RANDOM}, {"volatile-ttl", MAXMEMORY_VOLATILE_TTL},
    {"allkeys-lru", MAXMEMORY_ALLKEYS_LRU}, {"allkeys-lfu", MAXMEMORY_ALLKEYS_LFU},
    {"allkeys-random", MAXMEMORY_ALLKEYS_RANDOM}, {"noeviction", MAXMEMORY_NO_EVICTION},
    {NULL, 0}};

enum { PROTECTED_NO = 0, PROTECTED_YES = 1, PROTECTED_LOCAL = 2 };
static const cfg_enum protected_enums[] = {
    {"no", PROTECTED_NO}, {"yes", PROTECTED_YES}, {"local", PROTECTED_LOCAL}, {NULL, 0}};
static const cfg_enum appendfsync_enums[] = {
    {"always", 0}, {"everysec", 1}, {"no", 2}, {NULL, 0}};
static const cfg_enum supervised_enums[] = {
    {"upstart", 0}, {"systemd", 1}, {"auto", 2}, {"no", 3}, {NULL, 0}};
static const cfg_enum diskless_load_enums[] = {
    {"disabled", 0}, {"on-empty-db", 1}, {"swapdb", 2}, {NULL, 0}};
static const cfg_enum syslog_facility_enums[] = {
    {"user", 0}, {"local0", 1}, {"local1", 2}, {"local2", 3}, {"local3", 4}, {"local4", 5},
    {"local5", 6}, {"local6", 7}, {"local7", 8}, {NULL, 0}};
static const cfg_enum acl_pubsub_enums[] = {
    {"allchannels", 1}, {"resetchannels", 0}, {NULL, 0}};
static const cfg_enum oom_score_enums[] = {
    {"no", 0}, {"yes", 1}, {"relative", 2}, {"absolute", 3}, {NULL, 0}};
static const cfg_enum propagation_error_enums[] = {
    {"ignore", 0}, {"panic", 1}, {"panic-on-replicas", 2}, {NULL, 0}};
static const cfg_enum endpoint_type_enums[] = {
    {"ip", 0}, {"hostname", 1}, {"unknown-endpoint", 2}, {NULL, 0}};
static const cfg_enum sanitize_enums[] = {
    {"no", 0}, {"yes", 1}, {"clients", 2}, {NULL, 0}};
static const cfg_enum tls_auth_enums[] = {
    {"no", 0}, {"yes", 1}, {"optional", 2}, {NULL, 0}};
static const cfg_enum shutdown_enums[] = {
    {"default", 0}, {"save", 1}, {"nosave", 2}, {"now", 3}, {"force", 4}, {NULL, 0}};

/* enable-protected-configs, enable-debug-command, enable-module-command */
static int enable_protected_configs, enable_debug_command, enable_module_command;

/* ------------------------------------------------------------------ checks */

/* Error texts carrying numbers (loop thread only). */
static char errbuf[160];

static int check_save(const cfg_param *p, const char *v, const char **err) {
    (void)p;
    char *copy = kl_strdup(v), *save = NULL;
    int n = 0, ok = 1;
    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save), n++) {
        long long x;
        if (!str_to_ll(tok, strlen(tok), &x) || x < 0) ok = 0;
    }
    kl_free(copy);
    if (!ok || n % 2) {
        *err = "Invalid save parameters";
        return -1;
    }
    return 0;
}

static int check_bind(const cfg_param *p, const char *v, const char **err) {
    (void)p;
    int n = 0;
    for (const char *s = v; *s;) {
        while (*s == ' ') s++;
        if (!*s) break;
        n++;
        while (*s && *s != ' ') s++;
    }
    if (n > 16) {
        *err = "Too many bind addresses specified.";
        return -1;
    }
    return 0;
}

static int check_dbfilename(const cfg_param *p, const char *v, const char **err) {
    (void)p;
    if (strchr(v, '/')) {
        *err = "dbfilename can't be a path, just a filename";
        return -1;
    }
    return 0;
}

static int check_appendfilename(const cfg_param *p, const char *v, const char **err) {
    (void)p;
    if (strchr(v, '/')) {
        *err = "appendfilename can't be a path, just a filename";
        return -1;
    }
    return 0;
}

static int check_appenddirname(const cfg_param *p, const char *v, const char **err) {
    (void)p;
    if (strchr(v, '/')) {
        *err = "appenddirname can't be a path, just a dirname";
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ special parameters */

static int obuf_class_by_name(const char *s) {
    if (!strcasecmp(s, "normal")) return OBUF_NORMAL;
    if (!strcasecmp(s, "replica") || !strcasecmp(s, "slave")) return OBUF_REPLICA;
    if (!strcasecmp(s, "pubsub")) return OBUF_PUBSUB;
    return -1;
}

/* Parse one "class hard soft seconds" group into limits[]; 0 or -1 with *err. */
static int obuf_parse_group(char **w, obuf_limit *limits, int *seen, const char **err) {
    int cls = obuf_class_by_name(w[0]);
    if (cls < 0) {
        *err = "Invalid client class specified in buffer limit configuration.";
        return -1;
    }
    unsigned long long hard, soft;
    long long secs;
    if (!mem_to_ull(w[1], &hard) || !mem_to_ull(w[2], &soft) ||
        !str_to_ll(w[3], strlen(w[3]), &secs) || secs < 0 || hard > LLONG_MAX ||
        soft > LLONG_MAX) {
        *err = "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
        return -1;
    }
    limits[cls] = (obuf_limit){.hard = (long long)hard, .soft = (long long)soft,
                               .soft_seconds = secs};
    seen[cls] = 1;
    return 0;
}

static int obuf_set(const cfg_param *p, const char *v, const char **err) {
    (void)p;
    char *copy = kl_strdup(v), *save = NULL;
    char *words[64];
    int n = 0, rc = 0;
    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        if (n == 64) {
            rc = -1;
            break;
        }
        words[n++] = tok;
    }
    obuf_limit limits[OBUF_CLASSES];
    int seen[OBUF_CLASSES] = {0};
    if (rc < 0 || n % 4) {
        *err = "Wrong number of arguments in buffer limit configuration.";
        rc = -1;
    }
    for (int i = 0; rc == 0 && i < n; i += 4) rc = obuf_parse_group(words + i, limits, seen, err);
    if (rc == 0) {   /* all groups valid: apply them together */
        for (int c = 0; c < OBUF_CLASSES; c++)
            if (seen[c]) server.cfg.obuf_limits[c] = limits[c];
    }
    kl_free(copy);
    return rc;
}

static dstr obuf_get(const cfg_param *p) {
    (void)p;
    static const char *const names[OBUF_CLASSES] = {"normal", "slave", "pubsub"};
    dstr s = dstr_empty();
    for (int c = 0; c < OBUF_CLASSES; c++) {
        const obuf_limit *l = &server.cfg.obuf_limits[c];
        s = dstr_catfmt(s, "%s%s %lld %lld %lld", c ? " " : "", names[c], l->hard, l->soft,
                        l->soft_seconds);
    }
    return s;
}

static int dir_set(const cfg_param *p, const char *v, const char **err) {
    (void)p;
    if (chdir(v) == -1) {
        snprintf(errbuf, sizeof(errbuf), "%s", strerror(errno));
        *err = errbuf;
        return -1;
    }
    return 0;
}

static dstr dir_get(const cfg_param *p) {
    (void)p;
    char buf[PATH_MAX];
    return dstr_new(getcwd(buf, sizeof(buf)) ? buf : "");
}

static int notify_set(const cfg_param *p, const char *v, const char **err) {
    (void)p;
    int flags = notify_flags_from_string(v);
    if (flags == -1) {
        *err = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";
        return -1;
    }
    server.notify_flags = flags;
    return 0;
}

static dstr notify_get(const cfg_param *p) {
    (void)p;
    return notify_flags_to_string(server.notify_flags);
}

/* ------------------------------------------------------------------ apply hooks */

static int apply_rebind(const cfg_param *p, const char **err) {
    (void)p;
    return server_rebind(err);
}

static int apply_loglevel(const cfg_param *p, const char **err) {
    (void)p;
    (void)err;
    log_set_level(server.cfg.loglevel);
    return 0;
}

/* Redis keeps hz within 1..500 whatever was asked. */
static int apply_hz(const cfg_param *p, const char **err) {
    (void)p;
    (void)err;
    if (server.cfg.hz < 1) server.cfg.hz = 1;
    if (server.cfg.hz > 500) server.cfg.hz = 500;
    return 0;
}

static int apply_active_expire_effort(const cfg_param *p, const char **err) {
    (void)p;
    (void)err;
    server.ks.active_expire_effort = (int)server.cfg.active_expire_effort;
    return 0;
}

/* Descriptors kept aside for listeners, logs and files (Redis's reserved fds). */
#define RESERVED_FDS 32

/* Raise RLIMIT_NOFILE to fit maxclients; returns the number of clients it can serve. */
static long long fd_capacity_for(long long maxclients) {
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0) return maxclients;
    rlim_t want = (rlim_t)(maxclients + RESERVED_FDS);
    if (rl.rlim_cur >= want) return maxclients;
    struct rlimit nl = rl;
    nl.rlim_cur = (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want) ? want : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &nl) == 0) rl = nl;
    if (rl.rlim_cur >= want) return maxclients;
    long long cap = (long long)rl.rlim_cur - RESERVED_FDS;
    return cap < 1 ? 1 : cap;
}

static int apply_maxclients(const cfg_param *p, const char **err) {
    (void)p;
    long long cap = fd_capacity_for(server.cfg.maxclients);
    if (cap < server.cfg.maxclients) {
        snprintf(errbuf, sizeof(errbuf),
                 "The operating system is not able to handle the specified number of clients, "
                 "try with %lld", cap);
        *err = errbuf;
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ the table */

#define MAIN_INT(n, st, d, lo, hi, ...) \
    {.name = n, .kind = CFG_INT, .storage = &server.cfg.st, .def = d, .min = lo, .max = hi, \
     __VA_ARGS__}
#define MAIN_MEM(n, st, d, lo, hi, ...) \
    {.name = n, .kind = CFG_MEMORY, .storage = &server.cfg.st, .def = d, .min = lo, \
     .max = hi, __VA_ARGS__}
#define MAIN_BOOL(n, st, d, ...) \
    {.name = n, .kind = CFG_BOOL, .storage = &server.cfg.st, .def = d, __VA_ARGS__}
#define MAIN_STR(n, st, d, ...) \
    {.name = n, .kind = CFG_STRING, .storage = &server.cfg.st, .def = d, __VA_ARGS__}

/* Compatibility parameters: validated and stored, no effect yet. */
#define C_BOOL(n, a, fl, d) \
    {.name = n, .alias = a, .kind = CFG_BOOL, .flags = fl, .storage = &(int){0}, .def = d}
#define C_INT(n, a, fl, d, lo, hi) \
    {.name = n, .alias = a, .kind = CFG_INT, .flags = fl, .storage = &(long long){0}, \
     .def = d, .min = lo, .max = hi}
#define C_MEM(n, a, fl, d, lo, hi) \
    {.name = n, .alias = a, .kind = CFG_MEMORY, .flags = fl, .storage = &(long long){0}, \
     .def = d, .min = lo, .max = hi}
#define C_STR(n, a, fl, d) \
    {.name = n, .alias = a, .kind = CFG_STRING, .flags = fl, .storage = &(char *){NULL}, \
     .def = d}
#define C_ENUM(n, fl, d, e) \
    {.name = n, .kind = CFG_ENUM, .flags = fl, .storage = &(int){0}, .def = d, .enums = e}

#define IMM CFG_IMMUTABLE
#define NUL CFG_EMPTY_NULL
#define LLMAX LLONG_MAX

static cfg_param server_params[] = {
    /* networking */
    MAIN_STR("bind", bind, "127.0.0.1 -::1", .apply = apply_rebind, .check = check_bind),
    MAIN_INT("port", port, "6379", 0, 65535, .apply = apply_rebind),
    MAIN_INT("tcp-backlog", tcp_backlog, "511", 0, INT_MAX, .flags = IMM),
    MAIN_INT("tcp-keepalive", tcp_keepalive, "300", 0, INT_MAX),
    MAIN_INT("timeout", timeout, "0", 0, INT_MAX),
    MAIN_INT("maxclients", maxclients, "10000", 1, UINT_MAX, .apply = apply_maxclients),
    MAIN_BOOL("protected-mode", protected_mode, "yes"),
    /* protocol limits */
    MAIN_MEM("proto-max-bulk-len", proto_max_bulk_len, "512mb", 1024 * 1024, LLMAX),
    MAIN_MEM("client-query-buffer-limit", client_query_buffer_limit, "1gb", 1024 * 1024,
             LLMAX),
    {.name = "client-output-buffer-limit", .kind = CFG_SPECIAL,
     .storage = server.cfg.obuf_limits,
     .def = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60",
     .set = obuf_set, .get = obuf_get},
    /* general */
    MAIN_INT("databases", databases, "16", 1, INT_MAX, .flags = IMM),
    MAIN_INT("hz", hz, "10", 0, INT_MAX, .apply = apply_hz),
    MAIN_BOOL("dynamic-hz", dynamic_hz, "yes"),
    MAIN_BOOL("daemonize", daemonize, "no", .flags = IMM),
    MAIN_STR("pidfile", pidfile, "", .flags = IMM | NUL),
    {.name = "dir", .kind = CFG_SPECIAL, .flags = CFG_PROTECTED, .storage = &server.cfg.dir,
     .set = dir_set, .get = dir_get},
    {.name = "loglevel", .kind = CFG_ENUM, .storage = &server.cfg.loglevel, .def = "notice",
     .enums = loglevel_enums, .apply = apply_loglevel},
    MAIN_STR("logfile", logfile, "", .flags = IMM),
    MAIN_BOOL("activerehashing", activerehashing, "yes"),
    MAIN_INT("active-expire-effort", active_expire_effort, "1", 1, 10,
             .apply = apply_active_expire_effort),
    /* memory */
    MAIN_MEM("maxmemory", maxmemory, "0", 0, LLMAX),
    {.name = "maxmemory-policy", .kind = CFG_ENUM, .storage = &server.cfg.maxmemory_policy,
     .def = "noeviction", .enums = maxmemory_policy_enums},
    MAIN_INT("maxmemory-samples", maxmemory_samples, "5", 1, INT_MAX),
    MAIN_INT("lfu-log-factor", lfu_log_factor, "10", 0, INT_MAX),
    MAIN_INT("lfu-decay-time", lfu_decay_time, "1", 0, INT_MAX),
    /* security */
    MAIN_STR("requirepass", requirepass, "", .flags = CFG_SENSITIVE | NUL),
    /* diagnostics */
    MAIN_INT("slowlog-log-slower-than", slowlog_log_slower_than, "10000", -1, LLMAX),
    MAIN_INT("slowlog-max-len", slowlog_max_len, "128", 0, LONG_MAX),
    MAIN_INT("latency-monitor-threshold", latency_monitor_threshold, "0", 0, LLMAX),
    /* persistence */
    MAIN_STR("save", save, "3600 1 300 100 60 10000", .check = check_save),
    MAIN_BOOL("appendonly", appendonly, "no"),
    MAIN_STR("dbfilename", dbfilename, "dump.rdb", .flags = CFG_PROTECTED,
             .check = check_dbfilename),
    MAIN_STR("appendfilename", appendfilename, "appendonly.aof", .flags = IMM,
             .check = check_appendfilename),
    MAIN_STR("appenddirname", appenddirname, "appendonlydir", .flags = IMM,
             .check = check_appenddirname),
    MAIN_INT("io-threads", io_threads, "1", 1, 128, .flags = IMM),
    {.name = "notify-keyspace-events", .kind = CFG_SPECIAL, .def = "", .set = notify_set,
     .get = notify_get},
    {.name = "enable-protected-configs", .kind = CFG_ENUM, .flags = IMM,
     .storage = &enable_protected_configs, .def = "no", .enums = protected_enums},
    {.name = "enable-debug-command", .kind = CFG_ENUM, .flags = IMM,
     .storage = &enable_debug_command, .def = "no", .enums = protected_enums},
    {.name = "enable-module-command", .kind = CFG_ENUM, .flags = IMM,
     .storage = &enable_module_command, .def = "no", .enums = protected_enums},

    /* accepted for compatibility: replication */
    MAIN_STR("replicaof", replicaof, "", .alias = "slaveof", .flags = IMM | NUL),
    MAIN_STR("masterauth", masterauth, "", .flags = CFG_SENSITIVE | NUL),
    MAIN_STR("masteruser", masteruser, "", .flags = NUL),
    MAIN_BOOL("replica-read-only", replica_read_only, "yes", .alias = "slave-read-only"),
    MAIN_BOOL("replica-serve-stale-data", replica_serve_stale_data, "yes", .alias = "slave-serve-stale-data"),
    C_BOOL("replica-lazy-flush", "slave-lazy-flush", 0, "no"),
    C_BOOL("replica-ignore-maxmemory", "slave-ignore-maxmemory", 0, "yes"),
    MAIN_BOOL("replica-announced", replica_announced, "yes"),
    C_BOOL("replica-ignore-disk-write-errors", NULL, 0, "no"),
    MAIN_STR("replica-announce-ip", replica_announce_ip, "", .alias = "slave-announce-ip", .flags = NUL),
    MAIN_INT("replica-announce-port", replica_announce_port, "0", 0, 65535, .alias = "slave-announce-port"),
    MAIN_INT("replica-priority", replica_priority, "100", 0, INT_MAX, .alias = "slave-priority"),
    MAIN_MEM("repl-backlog-size", repl_backlog_size, "1mb", 1, LLMAX),
    MAIN_INT("repl-backlog-ttl", repl_backlog_ttl, "3600", 0, LLMAX),
    MAIN_BOOL("repl-diskless-sync", repl_diskless_sync, "yes"),
    MAIN_INT("repl-diskless-sync-delay", repl_diskless_sync_delay, "5", 0, INT_MAX),
    MAIN_INT("repl-diskless-sync-max-replicas", repl_diskless_sync_max_replicas, "0", 0, INT_MAX),
    {.name = "repl-diskless-load", .kind = CFG_ENUM, .storage = &server.cfg.repl_diskless_load, .def = "disabled", .enums = diskless_load_enums},
    MAIN_BOOL("repl-disable-tcp-nodelay", repl_disable_tcp_nodelay, "no"),
    MAIN_INT("repl-timeout", repl_timeout, "60", 1, INT_MAX),
    MAIN_INT("repl-ping-replica-period", repl_ping_replica_period, "10", 1, INT_MAX, .alias = "repl-ping-slave-period"),
    MAIN_INT("min-replicas-to-write", min_replicas_to_write, "0", 0, INT_MAX, .alias = "min-slaves-to-write"),
    MAIN_INT("min-replicas-max-lag", min_replicas_max_lag, "10", 0, INT_MAX, .alias = "min-slaves-max-lag"),
    C_ENUM("propagation-error-behavior", 0, "ignore", propagation_error_enums),
    /* lazy freeing */
    C_BOOL("lazyfree-lazy-eviction", NULL, 0, "no"),
    C_BOOL("lazyfree-lazy-expire", NULL, 0, "no"),
    C_BOOL("lazyfree-lazy-server-del", NULL, 0, "no"),
    C_BOOL("lazyfree-lazy-user-del", NULL, 0, "no"),
    C_BOOL("lazyfree-lazy-user-flush", NULL, 0, "no"),
    /* process */
    C_ENUM("supervised", IMM, "no", supervised_enums),
    C_BOOL("always-show-logo", NULL, IMM, "no"),
    C_BOOL("set-proc-title", NULL, IMM, "yes"),
    C_STR("proc-title-template", NULL, 0, "{title} {listen-addr} {server-mode}"),
    C_STR("unixsocket", NULL, IMM | NUL, ""),
    C_STR("unixsocketperm", NULL, IMM, "0"),
    C_BOOL("syslog-enabled", NULL, IMM, "no"),
    C_STR("syslog-ident", NULL, IMM, "redis"),
    C_ENUM("syslog-facility", IMM, "local0", syslog_facility_enums),
    C_BOOL("crash-log-enabled", NULL, 0, "yes"),
    C_BOOL("crash-memcheck-enabled", NULL, 0, "yes"),
    C_BOOL("disable-thp", NULL, 0, "yes"),
    C_BOOL("jemalloc-bg-thread", NULL, 0, "yes"),
    C_BOOL("io-threads-do-reads", NULL, IMM, "no"),
    C_ENUM("oom-score-adj", 0, "no", oom_score_enums),
    C_STR("oom-score-adj-values", NULL, 0, "0 200 800"),
    C_ENUM("shutdown-on-sigint", 0, "default", shutdown_enums),
    C_ENUM("shutdown-on-sigterm", 0, "default", shutdown_enums),
    C_INT("shutdown-timeout", NULL, 0, "10", 0, INT_MAX),
    C_STR("ignore-warnings", NULL, 0, ""),
    C_STR("bind-source-addr", NULL, NUL, ""),
    C_INT("socket-mark-id", NULL, IMM, "0", 0, UINT_MAX),
    C_STR("server_cpulist", NULL, IMM | NUL, ""),
    C_STR("bio_cpulist", NULL, IMM | NUL, ""),
    C_STR("aof_rewrite_cpulist", NULL, IMM | NUL, ""),
    C_STR("bgsave_cpulist", NULL, IMM | NUL, ""),
    /* encodings */
    MAIN_INT("hash-max-listpack-entries", hash_max_listpack_entries, "512", 0, LLMAX, .alias = "hash-max-ziplist-entries"),
    MAIN_MEM("hash-max-listpack-value", hash_max_listpack_value, "64", 0, LLMAX, .alias = "hash-max-ziplist-value"),
    MAIN_INT("list-max-listpack-size", list_max_listpack_size, "-2", INT_MIN, INT_MAX, .alias = "list-max-ziplist-size"),
    MAIN_INT("list-compress-depth", list_compress_depth, "0", 0, INT_MAX),
    MAIN_INT("set-max-intset-entries", set_max_intset_entries, "512", 0, LLMAX),
    MAIN_INT("zset-max-listpack-entries", zset_max_listpack_entries, "128", 0, LLMAX, .alias = "zset-max-ziplist-entries"),
    MAIN_MEM("zset-max-listpack-value", zset_max_listpack_value, "64", 0, LLMAX, .alias = "zset-max-ziplist-value"),
    MAIN_MEM("hll-sparse-max-bytes", hll_sparse_max_bytes, "3000", 0, LLMAX),
    C_MEM("stream-node-max-bytes", NULL, 0, "4096", 0, LLMAX),
    C_INT("stream-node-max-entries", NULL, 0, "100", 0, LLMAX),
    /* scripting, latency, memory */
    C_INT("busy-reply-threshold", "lua-time-limit", 0, "5000", 0, LLMAX),
    C_BOOL("latency-tracking", NULL, 0, "yes"),
    C_STR("latency-tracking-info-percentiles", NULL, 0, "50 99 99.9"),
    C_MEM("maxmemory-clients", NULL, 0, "0", 0, LLMAX),
    C_INT("maxmemory-eviction-tenacity", NULL, 0, "10", 0, 100),
    C_INT("tracking-table-max-keys", NULL, 0, "1000000", 0, LLMAX),
    C_BOOL("activedefrag", NULL, 0, "no"),
    C_MEM("active-defrag-ignore-bytes", NULL, 0, "100mb", 1, LLMAX),
    C_INT("active-defrag-threshold-lower", NULL, 0, "10", 0, 1000),
    C_INT("active-defrag-threshold-upper", NULL, 0, "100", 0, 1000),
    C_INT("active-defrag-cycle-min", NULL, 0, "1", 1, 99),
    C_INT("active-defrag-cycle-max", NULL, 0, "25", 1, 99),
    C_INT("active-defrag-max-scan-fields", NULL, 0, "1000", 1, LLMAX),
    /* persistence */
    C_BOOL("rdbcompression", NULL, 0, "yes"),
    C_BOOL("rdbchecksum", NULL, 0, "yes"),
    C_BOOL("rdb-del-sync-files", NULL, 0, "no"),
    C_BOOL("rdb-save-incremental-fsync", NULL, 0, "yes"),
    C_BOOL("stop-writes-on-bgsave-error", NULL, 0, "yes"),
    C_ENUM("appendfsync", 0, "everysec", appendfsync_enums),
    C_BOOL("no-appendfsync-on-rewrite", NULL, 0, "no"),
    C_INT("auto-aof-rewrite-percentage", NULL, 0, "100", 0, INT_MAX),
    C_MEM("auto-aof-rewrite-min-size", NULL, 0, "64mb", 0, LLMAX),
    C_BOOL("aof-load-truncated", NULL, 0, "yes"),
    C_BOOL("aof-use-rdb-preamble", NULL, 0, "yes"),
    C_BOOL("aof-rewrite-incremental-fsync", NULL, 0, "yes"),
    C_BOOL("aof-timestamp-enabled", NULL, 0, "no"),
    C_BOOL("aof-disable-auto-gc", NULL, 0, "no"),
    C_ENUM("sanitize-dump-payload", 0, "no", sanitize_enums),
    /* ACL */
    C_STR("aclfile", NULL, IMM | NUL, ""),
    C_INT("acllog-max-len", NULL, 0, "128", 0, LLMAX),
    C_ENUM("acl-pubsub-default", 0, "resetchannels", acl_pubsub_enums),
    /* TLS */
    C_INT("tls-port", NULL, 0, "0", 0, 65535),
    C_STR("tls-cert-file", NULL, NUL, ""),
    C_STR("tls-key-file", NULL, NUL, ""),
    C_STR("tls-key-file-pass", NULL, CFG_SENSITIVE | NUL, ""),
    C_STR("tls-client-cert-file", NULL, NUL, ""),
    C_STR("tls-client-key-file", NULL, NUL, ""),
    C_STR("tls-client-key-file-pass", NULL, CFG_SENSITIVE | NUL, ""),
    C_STR("tls-dh-params-file", NULL, NUL, ""),
    C_STR("tls-ca-cert-file", NULL, NUL, ""),
    C_STR("tls-ca-cert-dir", NULL, NUL, ""),
    C_STR("tls-protocols", NULL, NUL, ""),
    C_STR("tls-ciphers", NULL, NUL, ""),
    C_STR("tls-ciphersuites", NULL, NUL, ""),
    C_ENUM("tls-auth-clients", 0, "yes", tls_auth_enums),
    C_BOOL("tls-replication", NULL, 0, "no"),
    C_BOOL("tls-cluster", NULL, 0, "no"),
    C_BOOL("tls-prefer-server-ciphers", NULL, 0, "no"),
    C_BOOL("tls-session-caching", NULL, 0, "yes"),
    C_INT("tls-session-cache-size", NULL, 0, "20480", 0, INT_MAX),
    C_INT("tls-session-cache-timeout", NULL, 0, "300", 0, INT_MAX),
    /* cluster */
    C_BOOL("cluster-enabled", NULL, IMM, "no"),
    C_STR("cluster-config-file", NULL, IMM, "nodes.conf"),
    C_INT("cluster-port", NULL, IMM, "0", 0, 65535),
    C_INT("cluster-node-timeout", NULL, 0, "15000", 0, LLMAX),
    C_INT("cluster-migration-barrier", NULL, 0, "1", 0, INT_MAX),
    C_INT("cluster-replica-validity-factor", "cluster-slave-validity-factor", 0, "10", 0,
          INT_MAX),
    C_BOOL("cluster-replica-no-failover", "cluster-slave-no-failover", 0, "no"),
    C_BOOL("cluster-require-full-coverage", NULL, 0, "yes"),
    C_BOOL("cluster-allow-reads-when-down", NULL, 0, "no"),
    C_BOOL("cluster-allow-pubsubshard-when-down", NULL, 0, "yes"),
    C_BOOL("cluster-allow-replica-migration", NULL, 0, "yes"),
    C_STR("cluster-announce-ip", NULL, NUL, ""),
    C_STR("cluster-announce-hostname", NULL, NUL, ""),
    C_INT("cluster-announce-port", NULL, 0, "0", 0, 65535),
    C_INT("cluster-announce-bus-port", NULL, 0, "0", 0, 65535),
    C_INT("cluster-announce-tls-port", NULL, 0, "0", 0, 65535),
    C_MEM("cluster-link-sendbuf-limit", NULL, 0, "0", 0, LLMAX),
    {.name = "cluster-preferred-endpoint-type", .kind = CFG_ENUM, .storage = &(int){0},
     .def = "ip", .enums = endpoint_type_enums},
};

#define NPARAMS (sizeof(server_params) / sizeof(server_params[0]))

static cfg_table server_table;

cfg_table *server_config_table(void) {
    return &server_table;
}

/* ------------------------------------------------------------------ loading */

/* Settle values that Redis adjusts after loading rather than rejecting. */
static void config_post_load(void) {
    const char *err;
    apply_hz(NULL, &err);
    apply_active_expire_effort(NULL, &err);
    log_set_level(server.cfg.loglevel);
    long long cap = fd_capacity_for(server.cfg.maxclients);
    if (cap < server.cfg.maxclients) {
        kl_log(LL_WARNING, "You requested maxclients of %lld requiring at least %lld max file "
               "descriptors. Server can't set maximum open files, maxclients lowered to %lld.",
               server.cfg.maxclients, server.cfg.maxclients + RESERVED_FDS, cap);
        server.cfg.maxclients = cap;
    }
}

int server_config_load(int argc, char **argv) {
    char err[1024];
    int first = 1;
    if (cfg_init(&server_table, server_params, NPARAMS, err, sizeof(err)) < 0) goto fail;
    if (argc > 1 && strncmp(argv[1], "--", 2) != 0) {
        char abs[PATH_MAX];
        if (!realpath(argv[1], abs)) {
            snprintf(err, sizeof(err), "%s: can't open config file: %s", argv[1],
                     strerror(errno));
            goto fail;
        }
        if (cfg_load_file(&server_table, argv[1], err, sizeof(err)) < 0) goto fail;
        /* The table owns the absolute path (freed by cfg_free); a later "dir" change
         * must not break CONFIG REWRITE. */
        kl_free(server_table.path);
        server_table.path = kl_strdup(abs);
        server.config_file = server_table.path;
        first = 2;
    }
    if (cfg_load_argv(&server_table, argc - first, argv + first, err, sizeof(err)) < 0)
        goto fail;
    config_post_load();
    return 0;
fail:
    fprintf(stderr, "\n*** FATAL CONFIG ERROR *** %s\n", err);
    cfg_free(&server_table);
    server.config_file = NULL;
    return -1;
}

/* ------------------------------------------------------------------ CONFIG GET */

static int is_glob(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] == '*' || s[i] == '?' || s[i] == '[') return 1;
    return 0;
}

typedef struct get_match {
    const char *name;
    size_t len;
    const cfg_param *p;
} get_match;

/* Exact name: reply with the name as the client typed it (Redis does). */
static size_t get_exact(const resp_arg *a, char *marks, get_match *out, size_t n) {
    char name[128];
    if (a->len >= sizeof(name)) return n;
    memcpy(name, a->ptr, a->len);
    name[a->len] = '\0';
    const cfg_param *p = cfg_find(&server_table, name);
    if (!p) return n;
    size_t slot = (size_t)(p - server_params) * 2 + (strcasecmp(p->name, name) ? 1 : 0);
    if (marks[slot]) return n;
    marks[slot] = 1;
    out[n++] = (get_match){a->ptr, a->len, p};
    return n;
}

static size_t get_glob(const resp_arg *a, char *marks, get_match *out, size_t n) {
    for (size_t i = 0; i < NPARAMS; i++) {
        const cfg_param *p = &server_params[i];
        if (p->flags & CFG_HIDDEN) continue;
        const char *names[2] = {p->name, p->alias};
        for (int k = 0; k < 2; k++) {
            if (!names[k] || marks[i * 2 + k]) continue;
            if (!glob_match(a->ptr, a->len, names[k], strlen(names[k]), 1)) continue;
            marks[i * 2 + k] = 1;
            out[n++] = (get_match){names[k], strlen(names[k]), p};
        }
    }
    return n;
}

static void cmd_config_get(client *c) {
    char *marks = kl_calloc(NPARAMS * 2, 1);
    get_match *out = kl_malloc(sizeof(get_match) * NPARAMS * 2);
    size_t n = 0;
    for (int i = 2; i < c->argc; i++) {
        const resp_arg *a = &c->argv[i];
        n = is_glob(a->ptr, a->len) ? get_glob(a, marks, out, n) : get_exact(a, marks, out, n);
    }
    reply_map_len(c, (long long)n);
    for (size_t i = 0; i < n; i++) {
        reply_bulk(c, out[i].name, out[i].len);
        dstr v = cfg_get(out[i].p);
        reply_bulk(c, v, dstr_len(v));
        dstr_free(v);
    }
    kl_free(out);
    kl_free(marks);
}

/* ------------------------------------------------------------------ CONFIG SET */

/* Whether CONFIG SET may change a CFG_PROTECTED parameter for this client. */
static int protected_allowed(const client *c) {
    if (enable_protected_configs == PROTECTED_YES) return 1;
    if (enable_protected_configs != PROTECTED_LOCAL) return 0;
    if (c->flags & CLIENT_FAKE) return 1;
    return !strncmp(c->addr, "127.", 4) || !strncmp(c->addr, "::1:", 4) ||
           !strncmp(c->addr, "[::1]", 5) || c->addr[0] == '/';
}

typedef struct set_item {
    const cfg_param *p;
    char *value;
    dstr old;
} set_item;

static void set_error(client *c, const char *name, size_t len, const char *why) {
    reply_errorf(c, "ERR CONFIG SET failed (possibly related to argument '%.*s') - %s",
                 (int)(len > 128 ? 128 : len), name, why);
}

/* Resolve every name first (unknown, immutable, protected, duplicate); -1 after replying. */
static int set_resolve(client *c, set_item *items, int n) {
    for (int i = 0; i < n; i++) {
        const resp_arg *a = &c->argv[2 + i * 2];
        char name[128];
        size_t len = a->len < sizeof(name) - 1 ? a->len : sizeof(name) - 1;
        memcpy(name, a->ptr, len);
        name[len] = '\0';
        const cfg_param *p = a->len < sizeof(name) ? cfg_find(&server_table, name) : NULL;
        if (!p) {
            reply_errorf(c, "ERR Unknown option or number of arguments for CONFIG SET - '%s'",
                         name);
            return -1;
        }
        const char *why = NULL;
        if (p->flags & CFG_IMMUTABLE) why = "can't set immutable config";
        else if ((p->flags & CFG_PROTECTED) && !protected_allowed(c))
            why = "can't set protected config";
        for (int j = 0; j < i && !why; j++)
            if (items[j].p == p) why = "duplicate parameter";
        if (why) {
            set_error(c, a->ptr, a->len, why);
            return -1;
        }
        items[i].p = p;
        items[i].value = kl_memdup(c->argv[3 + i * 2].ptr, c->argv[3 + i * 2].len);
    }
    return 0;
}

/* Put back the old values of items[0..n) and re-run their apply hooks. */
static void set_restore(set_item *items, int n) {
    const char *ignored;
    for (int i = 0; i < n; i++) cfg_set(&server_table, items[i].p, items[i].old, 0, &ignored);
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int j = 0; j < i; j++) seen |= items[j].p->apply == items[i].p->apply;
        if (items[i].p->apply && !seen) items[i].p->apply(items[i].p, &ignored);
    }
}

/* Store all values, then run each distinct apply hook once (port + bind rebind once). */
static int set_all(client *c, set_item *items, int n) {
    const char *err = NULL;
    for (int i = 0; i < n; i++) {
        items[i].old = cfg_get(items[i].p);
        if (cfg_set(&server_table, items[i].p, items[i].value, 0, &err) < 0) {
            set_error(c, items[i].p->name, strlen(items[i].p->name), err);
            set_restore(items, i + 1);
            return -1;
        }
    }
    for (int i = 0; i < n; i++) {
        int seen = 0;
        for (int j = 0; j < i; j++) seen |= items[j].p->apply == items[i].p->apply;
        if (!items[i].p->apply || seen) continue;
        if (items[i].p->apply(items[i].p, &err) < 0) {
            set_error(c, items[i].p->name, strlen(items[i].p->name), err);
            set_restore(items, n);
            return -1;
        }
    }
    return 0;
}

static void cmd_config_set(client *c) {
    if ((c->argc - 2) % 2) {
        reply_error_syntax(c);
        return;
    }
    int n = (c->argc - 2) / 2;
    set_item *items = kl_calloc((size_t)n, sizeof(set_item));
    if (set_resolve(c, items, n) == 0 && set_all(c, items, n) == 0) reply_ok(c);
    for (int i = 0; i < n; i++) {
        kl_free(items[i].value);
        dstr_free(items[i].old);
    }
    kl_free(items);
}

/* ------------------------------------------------------------------ other subcommands */

static void cmd_config_resetstat(client *c) {
    server_reset_stats();
    reply_ok(c);
}

/* CONFIG REWRITE builds the new text on the loop, then writes and fsyncs it on a libuv
 * worker thread so the loop never waits on the disk. The client is blocked meanwhile (its
 * later pipelined commands wait) and answered when the work completes; if it disconnected,
 * the result is only logged. */
typedef struct rewrite_job {
    uv_work_t req;
    uint64_t client_id;
    dstr path, text;
    int rc;
    char err[512];
} rewrite_job;

void process_input(client *c);

static void rewrite_work(uv_work_t *req) {
    rewrite_job *job = req->data;
    job->rc = cfg_write_atomic(job->path, job->text, dstr_len(job->text), job->err, sizeof(job->err));
}

static void rewrite_done(uv_work_t *req, int status) {
    rewrite_job *job = req->data;
    if (status < 0) {
        job->rc = -1;
        snprintf(job->err, sizeof(job->err), "%s", uv_strerror(status));
    }
    if (job->rc < 0) kl_log(LL_WARNING, "CONFIG REWRITE failed: %s", job->err);
    else kl_log(LL_NOTICE, "CONFIG REWRITE executed with success.");
    client *c = client_by_id(job->client_id);
    if (c && !c->closing) {
        c->flags &= ~CLIENT_BLOCKED;
        if (job->rc < 0) reply_errorf(c, "ERR Rewriting config file: %s", job->err);
        else reply_ok(c);
        server_update_time();
        process_input(c);
    }
    dstr_free(job->path);
    dstr_free(job->text);
    kl_free(job);
}

static void cmd_config_rewrite(client *c) {
    if (!server.config_file) {
        reply_error(c, "ERR The server is running without a config file");
        return;
    }
    rewrite_job *job = kl_calloc(1, sizeof(*job));
    job->text = cfg_rewrite_text(&server_table, server.config_file, job->err, sizeof(job->err));
    if (!job->text) {
        kl_log(LL_WARNING, "CONFIG REWRITE failed: %s", job->err);
        reply_errorf(c, "ERR Rewriting config file: %s", job->err);
        kl_free(job);
        return;
    }
    job->path = dstr_new(server.config_file);
    job->client_id = c->id;
    job->req.data = job;
    /* Inside MULTI/EXEC (Sentinel's promotion transaction) the reply belongs in the EXEC
     * array, so the write is done here; a rare, deliberate admin step. */
    if ((c->flags & CLIENT_FAKE) || multi_in_exec(c) ||
        uv_queue_work(server.loop, &job->req, rewrite_work, rewrite_done) != 0) {
        rewrite_work(&job->req);
        if (job->rc < 0) reply_errorf(c, "ERR Rewriting config file: %s", job->err);
        else reply_ok(c);
        dstr_free(job->path);
        dstr_free(job->text);
        kl_free(job);
        return;
    }
    c->flags |= CLIENT_BLOCKED;
}

static void cmd_config_help(client *c) {
    static const char *const lines[] = {
        "GET <pattern>",
        "    Return parameters matching the glob-like <pattern> and their values.",
        "SET <directive> <value>",
        "    Set the configuration <directive> to <value>.",
        "RESETSTAT",
        "    Reset statistics reported by the INFO command.",
        "REWRITE",
        "    Rewrite the configuration file.",
        NULL,
    };
    reply_help(c, lines);
}

/* Direct entry (the dispatcher normally calls the subcommand procs itself). */
void cmd_config(client *c) {
    static const struct {
        const char *name;
        cmd_proc *proc;
        int arity;
    } subs[] = {{"get", cmd_config_get, -3}, {"set", cmd_config_set, -4},
                {"resetstat", cmd_config_resetstat, 2}, {"rewrite", cmd_config_rewrite, 2},
                {"help", cmd_config_help, 2}};
    for (size_t i = 0; c->argc >= 2 && i < sizeof(subs) / sizeof(subs[0]); i++) {
        if (!arg_is(&c->argv[1], subs[i].name)) continue;
        int ar = subs[i].arity;
        if ((ar > 0 && c->argc != ar) || (ar < 0 && c->argc < -ar)) reply_error_arity(c);
        else subs[i].proc(c);
        return;
    }
    reply_error_subcommand(c);
}

/* ------------------------------------------------------------------ command table */

#define CONFIG_FLAGS (CMD_ADMIN | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)

static const char *config_set_tips[] = {"request_policy:all_nodes",
                                        "response_policy:all_succeeded", NULL};

static command config_subcommands[] = {
    {.name = "get", .proc = cmd_config_get, .arity = -3, .flags = CONFIG_FLAGS,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "2.0.0",
     .summary = "Get the values of configuration parameters",
     .complexity = "O(N) when N is the number of configuration parameters provided"},
    {.name = "set", .proc = cmd_config_set, .arity = -4, .flags = CONFIG_FLAGS,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "2.0.0",
     .summary = "Set configuration parameters to the given values",
     .complexity = "O(N) when N is the number of configuration parameters provided",
     .tips = config_set_tips},
    {.name = "resetstat", .proc = cmd_config_resetstat, .arity = 2, .flags = CONFIG_FLAGS,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "2.0.0",
     .summary = "Reset the stats returned by INFO", .complexity = "O(1)"},
    {.name = "rewrite", .proc = cmd_config_rewrite, .arity = 2, .flags = CONFIG_FLAGS,
     .acl = ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS, .group = "server", .since = "2.8.0",
     .summary = "Rewrite the configuration file with the in memory configuration",
     .complexity = "O(1)"},
    {.name = "help", .proc = cmd_config_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
     .acl = ACL_SLOW, .group = "server", .since = "5.0.0",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {.name = NULL},
};

command config_commands[] = {
    {.name = "config", .arity = -2, .acl = ACL_SLOW, .group = "server", .since = "2.0.0",
     .summary = "A container for server configuration commands",
     .complexity = "Depends on subcommand.", .subcommands = config_subcommands},
    {.name = NULL},
};
