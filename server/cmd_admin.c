/* cmd_admin.c -- introspection and administration: INFO, COMMAND, SLOWLOG, LATENCY,
 * MONITOR, MEMORY, DEBUG, TIME, LASTSAVE and SHUTDOWN, plus the slow log, the latency
 * monitor and the MONITOR feed the dispatcher calls into.
 *
 * Why here: these commands only read the server's state (stats, the command table, the
 * keyspace sizes) and format it the way Redis 7.0 does, so clients and tools that parse
 * INFO or COMMAND output keep working. Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/util.h"
#include "server/server.h"
#include "server/blocking.h"
#include "server/replication.h"

#ifndef KEEL_VERSION
#define KEEL_VERSION "7.0.15"
#endif
#ifndef KEEL_OWN_VERSION
#define KEEL_OWN_VERSION "0.0.0"
#endif

#define SLOWLOG_ENTRY_MAX_ARGC 32
#define SLOWLOG_ENTRY_MAX_STRING 128

/* "ERR unknown subcommand or wrong number of arguments for '<sub>'. Try <CMD> HELP." */
static void reply_subcommand_syntax(client *c, const char *cmdname) {
    const resp_arg *a = &c->argv[1];
    reply_errorf(c, "ERR unknown subcommand or wrong number of arguments for '%.*s'. Try %s HELP.",
                 (int)(a->len > 128 ? 128 : a->len), a->ptr, cmdname);
}

/* Container commands are normally dispatched to a subcommand; reached only when none
 * matched. */
static void cmd_container(client *c) { reply_error_subcommand(c); }

/* ================================================================== slow log */

static void slowlog_entry_free(slowlog_entry *e) {
    for (int i = 0; i < e->argc; i++) dstr_free(e->argv[i]);
    kl_free(e->argv);
    dstr_free(e->peer);
    dstr_free(e->cname);
    kl_free(e);
}

static void slowlog_unlink_tail(void) {
    slowlog_entry *e = server.slowlog_tail;
    server.slowlog_tail = e->prev;
    if (e->prev) e->prev->next = NULL;
    else server.slowlog_head = NULL;
    server.slowlog_len--;
    slowlog_entry_free(e);
}

static dstr slowlog_arg(int argc, resp_arg *argv, int j, int slargc) {
    if (slargc != argc && j == slargc - 1)
        return dstr_catfmt(dstr_empty(), "... (%d more arguments)", argc - slargc + 1);
    if (argv[j].len > SLOWLOG_ENTRY_MAX_STRING) {
        dstr s = dstr_newlen(argv[j].ptr, SLOWLOG_ENTRY_MAX_STRING);
        return dstr_catfmt(s, "... (%zu more bytes)", argv[j].len - SLOWLOG_ENTRY_MAX_STRING);
    }
    return dstr_newlen(argv[j].ptr, argv[j].len);
}

void slowlog_push(client *c, int argc, resp_arg *argv, long long duration_us) {
    long long threshold = server.cfg.slowlog_log_slower_than;
    if (threshold < 0 || duration_us < threshold || argc <= 0) return;
    slowlog_entry *e = kl_calloc(1, sizeof(*e));
    int slargc = argc > SLOWLOG_ENTRY_MAX_ARGC ? SLOWLOG_ENTRY_MAX_ARGC : argc;
    e->argc = slargc;
    e->argv = kl_malloc(sizeof(dstr) * (size_t)slargc);
    for (int j = 0; j < slargc; j++) e->argv[j] = slowlog_arg(argc, argv, j, slargc);
    e->id = server.slowlog_next_id++;
    e->time = mstime() / 1000;
    e->duration = duration_us;
    e->peer = dstr_new(c ? c->addr : "");
    e->cname = c && c->name ? dstr_dup(c->name) : dstr_empty();
    e->next = server.slowlog_head;
    if (server.slowlog_head) server.slowlog_head->prev = e;
    else server.slowlog_tail = e;
    server.slowlog_head = e;
    server.slowlog_len++;
    while (server.slowlog_len > server.cfg.slowlog_max_len && server.slowlog_tail)
        slowlog_unlink_tail();
}

void slowlog_free_all(void) {
    while (server.slowlog_tail) slowlog_unlink_tail();
}

static void slowlog_reply_entry(client *c, const slowlog_entry *e) {
    reply_array_len(c, 6);
    reply_long_long(c, e->id);
    reply_long_long(c, e->time);
    reply_long_long(c, e->duration);
    reply_array_len(c, e->argc);
    for (int i = 0; i < e->argc; i++) reply_bulk(c, e->argv[i], dstr_len(e->argv[i]));
    reply_bulk(c, e->peer, dstr_len(e->peer));
    reply_bulk(c, e->cname, dstr_len(e->cname));
}

static void cmd_slowlog_get(client *c) {
    long long count = 10;
    if (c->argc == 3 &&
        arg_to_ll_range(c, &c->argv[2], -1, LLONG_MAX, &count,
                        "ERR count should be greater than or equal to -1") < 0)
        return;
    if (c->argc > 3) {
        reply_subcommand_syntax(c, "SLOWLOG");
        return;
    }
    if (count == -1 || count > server.slowlog_len) count = server.slowlog_len;
    reply_array_len(c, count);
    const slowlog_entry *e = server.slowlog_head;
    for (long long i = 0; i < count && e; i++, e = e->next) slowlog_reply_entry(c, e);
}

static void cmd_slowlog_len(client *c) { reply_long_long(c, server.slowlog_len); }

static void cmd_slowlog_reset(client *c) {
    slowlog_free_all();
    reply_ok(c);
}

static void cmd_slowlog_help(client *c) {
    static const char *help[] = {
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
        NULL};
    reply_help(c, help);
}

/* ================================================================== latency monitor */

static void latency_series_free(void *p) { kl_free(p); }
static const dict_type latency_dict_type = {.val_free = latency_series_free, .nocase = 0};

void latency_add_sample_if_needed(const char *event, long long ms) {
    long long threshold = server.cfg.latency_monitor_threshold;
    if (threshold <= 0 || ms < threshold || !event) return;
    if (!server.latency_events) server.latency_events = dict_new(&latency_dict_type);
    size_t len = strlen(event);
    dict_entry *de = dict_find(server.latency_events, event, len);
    if (!de) {
        latency_series *ts = kl_calloc(1, sizeof(*ts));
        snprintf(ts->event, sizeof(ts->event), "%s", event);
        dict_add(server.latency_events, event, len, ts);
        de = dict_find(server.latency_events, event, len);
    }
    latency_series *ts = de->v.val;
    uint32_t lat = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
    int32_t now = (int32_t)(mstime() / 1000);
    int prev = (ts->idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
    if (lat > ts->max) ts->max = lat;
    if (ts->samples[prev].time == now) {
        /* One sample per second: keep the worst. */
        if (lat > ts->samples[prev].latency) ts->samples[prev].latency = lat;
        return;
    }
    ts->samples[ts->idx].time = now;
    ts->samples[ts->idx].latency = lat;
    ts->idx = (ts->idx + 1) % LATENCY_TS_LEN;
}

void latency_free_all(void) {
    if (server.latency_events) dict_free(server.latency_events);
    server.latency_events = NULL;
}

static void cmd_latency_latest(client *c) {
    size_t n = server.latency_events ? dict_size(server.latency_events) : 0;
    reply_array_len(c, (long long)n);
    if (!n) return;
    dict_iter it;
    dict_iter_init(&it, server.latency_events, 0);
    dict_entry *de;
    while ((de = dict_iter_next(&it))) {
        latency_series *ts = de->v.val;
        int last = (ts->idx + LATENCY_TS_LEN - 1) % LATENCY_TS_LEN;
        reply_array_len(c, 4);
        reply_bulk(c, de->key, de->klen);
        reply_long_long(c, ts->samples[last].time);
        reply_long_long(c, ts->samples[last].latency);
        reply_long_long(c, ts->max);
    }
    dict_iter_release(&it);
}

static void cmd_latency_history(client *c) {
    dict_entry *de = server.latency_events
        ? dict_find(server.latency_events, c->argv[2].ptr, c->argv[2].len) : NULL;
    if (!de) {
        reply_empty_array(c);
        return;
    }
    latency_series *ts = de->v.val;
    long long n = 0;
    for (int i = 0; i < LATENCY_TS_LEN; i++) n += ts->samples[i].time != 0;
    reply_array_len(c, n);
    for (int j = 0; j < LATENCY_TS_LEN; j++) {
        const latency_sample *s = &ts->samples[(ts->idx + j) % LATENCY_TS_LEN];
        if (!s->time) continue;
        reply_array_len(c, 2);
        reply_long_long(c, s->time);
        reply_long_long(c, s->latency);
    }
}

static void cmd_latency_reset(client *c) {
    long long resets = 0;
    if (!server.latency_events) {
        reply_long_long(c, 0);
        return;
    }
    if (c->argc == 2) {
        resets = (long long)dict_size(server.latency_events);
        latency_free_all();
    } else {
        for (int j = 2; j < c->argc; j++)
            resets += dict_delete(server.latency_events, c->argv[j].ptr, c->argv[j].len) == 0;
    }
    reply_long_long(c, resets);
}

static void cmd_latency_help(client *c) {
    static const char *help[] = {
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        NULL};
    reply_help(c, help);
}

/* ================================================================== MONITOR */

static void cmd_monitor(client *c) {
    /* Already a monitor (or a replica link): ignored without a reply, as Redis. */
    if (c->flags & (CLIENT_MONITOR | CLIENT_REPLICA)) return;
    server.monitor_list = kl_realloc(server.monitor_list,
                                     sizeof(client *) * (server.nmonitors + 1));
    server.monitor_list[server.nmonitors++] = c;
    c->flags |= CLIENT_MONITOR;
    reply_ok(c);
}

void monitor_remove(client *c) {
    for (size_t i = 0; i < server.nmonitors; i++) {
        if (server.monitor_list[i] != c) continue;
        memmove(&server.monitor_list[i], &server.monitor_list[i + 1],
                sizeof(client *) * (server.nmonitors - i - 1));
        server.nmonitors--;
        break;
    }
    if (!server.nmonitors) {
        kl_free(server.monitor_list);
        server.monitor_list = NULL;
    }
    c->flags &= ~CLIENT_MONITOR;
}

void monitor_feed(client *c, int argc, resp_arg *argv) {
    if (!server.nmonitors || argc <= 0) return;
    long long us = ustime();
    dstr line = dstr_catfmt(dstr_empty(), "+%lld.%06lld [%d %s]", us / 1000000, us % 1000000,
                            c && c->db ? c->db->id : 0, c ? c->addr : "");
    for (int j = 0; j < argc; j++) {
        line = dstr_cat(line, " ");
        line = dstr_catrepr(line, argv[j].ptr, argv[j].len);
    }
    line = dstr_cat(line, "\r\n");
    for (size_t i = 0; i < server.nmonitors; i++) {
        client *m = server.monitor_list[i];
        if (m->flags & CLIENT_CLOSE_ASAP) continue;
        reply_raw(m, line, dstr_len(line));
    }
    dstr_free(line);
}

/* ================================================================== INFO */

static size_t mem_peak, mem_startup;

/* Track the peak of used_memory; the first call records the start-up footprint. Call
 * once after initialisation and then from the cron. */
void info_memory_sample(void) {
    size_t used = kl_used_memory();
    if (!mem_startup) mem_startup = used;
    if (used > mem_peak) mem_peak = used;
}

static size_t rss_bytes(void) {
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    unsigned long size = 0, resident = 0;
    int ok = fscanf(f, "%lu %lu", &size, &resident) == 2;
    fclose(f);
    return ok ? (size_t)resident * (size_t)sysconf(_SC_PAGESIZE) : 0;
}

static dstr cat_human(dstr s, const char *field, unsigned long long n) {
    char buf[64];
    bytes_to_human(buf, sizeof(buf), n);
    return dstr_catfmt(s, "%s:%s\r\n", field, buf);
}

static double inst_mean(const long long *samples) {
    long long sum = 0;
    for (int i = 0; i < 16; i++) sum += samples[i];
    return (double)sum / 16;
}

static dstr info_server(dstr s) {
    struct utsname u;
    if (uname(&u) != 0) memset(&u, 0, sizeof(u));
    long long now_us = ustime();
    long long uptime = (now_us / 1000 - server.start_ms) / 1000;
    s = dstr_catfmt(s, "redis_version:%s\r\nkeel_version:%s\r\nredis_git_sha1:00000000\r\n"
                    "redis_git_dirty:0\r\nredis_mode:standalone\r\nos:%s %s %s\r\n"
                    "arch_bits:%d\r\nmonotonic_clock:POSIX clock_gettime\r\n"
                    "multiplexing_api:epoll\r\natomicvar_api:c11-builtin\r\n",
                    KEEL_VERSION, KEEL_OWN_VERSION, u.sysname, u.release, u.machine,
                    (int)sizeof(long) * 8);
#ifdef __GNUC__
    s = dstr_catfmt(s, "gcc_version:%d.%d.%d\r\n", __GNUC__, __GNUC_MINOR__,
                    __GNUC_PATCHLEVEL__);
#else
    s = dstr_cat(s, "gcc_version:0.0.0\r\n");
#endif
    s = dstr_catfmt(s, "process_id:%ld\r\nprocess_supervised:no\r\nrun_id:%s\r\n"
                    "tcp_port:%lld\r\nserver_time_usec:%lld\r\nuptime_in_seconds:%lld\r\n"
                    "uptime_in_days:%lld\r\nhz:%lld\r\nconfigured_hz:%lld\r\n"
                    "lru_clock:%u\r\nexecutable:%s\r\nconfig_file:%s\r\n"
                    "io_threads_active:0\r\n",
                    (long)getpid(), server.runid, server.cfg.port, now_us, uptime,
                    uptime / 86400, server.cfg.hz, server.cfg.hz, obj_lru_clock(),
                    server.executable, server.config_file ? server.config_file : "");
    return s;
}

static dstr info_clients(dstr s) {
    long long connected = 0;
    size_t max_in = 0, max_out = 0;
    for (client *c = server.clients; c; c = c->next) {
        if (c->flags & CLIENT_REPLICA) continue;
        connected++;
        if (c->qb_peak > max_in) max_in = c->qb_peak;
        if (c->reply_bytes > max_out) max_out = c->reply_bytes;
    }
    return dstr_catfmt(s, "connected_clients:%lld\r\ncluster_connections:0\r\n"
                       "maxclients:%lld\r\nclient_recent_max_input_buffer:%zu\r\n"
                       "client_recent_max_output_buffer:%zu\r\nblocked_clients:%lld\r\n"
                       "tracking_clients:0\r\nclients_in_timeout_table:0\r\n",
                       connected, server.cfg.maxclients, max_in, max_out, (long long)blocking_count());
}

static const char *maxmemory_policy_name(int p) {
    static const char *names[] = {"volatile-lru", "volatile-lfu", "volatile-random",
                                  "volatile-ttl", "allkeys-lru", "allkeys-lfu",
                                  "allkeys-random", "noeviction"};
    return p >= 0 && p < (int)(sizeof(names) / sizeof(names[0])) ? names[p] : "unknown";
}

/* Bytes held by normal clients' query and output buffers. */
static size_t clients_normal_memory(void) {
    size_t sum = 0;
    for (client *c = server.clients; c; c = c->next) {
        if (c->flags & CLIENT_REPLICA) continue;
        sum += c->reply_bytes + (c->querybuf ? dstr_alloc_size(c->querybuf) : 0);
    }
    return sum;
}

/* Memory not used by the data set: start-up footprint, client buffers and the keyspace
 * hash tables (Redis's getMemoryOverheadData, restricted to what we track). */
static size_t memory_overhead(size_t *nkeys) {
    size_t overhead = mem_startup + clients_normal_memory(), keys = 0;
    for (int i = 0; i < server.ks.ndb; i++) {
        db *d = &server.ks.dbs[i];
        if (!db_size(d)) continue;
        overhead += dict_mem_usage(d->keys) + dict_mem_usage(d->expires);
        keys += db_size(d);
    }
    if (nkeys) *nkeys = keys;
    return overhead;
}

static dstr info_memory(dstr s) {
    info_memory_sample();
    size_t used = kl_used_memory(), rss = rss_bytes(), overhead = memory_overhead(NULL);
    size_t net = used > mem_startup ? used - mem_startup : 0;
    size_t dataset = used > overhead ? used - overhead : 0;
    unsigned long long total = (unsigned long long)sysconf(_SC_PHYS_PAGES) *
                               (unsigned long long)sysconf(_SC_PAGESIZE);
    s = dstr_catfmt(s, "used_memory:%zu\r\n", used);
    s = cat_human(s, "used_memory_human", used);
    s = dstr_catfmt(s, "used_memory_rss:%zu\r\n", rss);
    s = cat_human(s, "used_memory_rss_human", rss);
    s = dstr_catfmt(s, "used_memory_peak:%zu\r\n", mem_peak);
    s = cat_human(s, "used_memory_peak_human", mem_peak);
    s = dstr_catfmt(s, "used_memory_peak_perc:%.2f%%\r\nused_memory_overhead:%zu\r\n"
                    "used_memory_startup:%zu\r\nused_memory_dataset:%zu\r\n"
                    "used_memory_dataset_perc:%.2f%%\r\ntotal_system_memory:%llu\r\n",
                    mem_peak ? (double)used * 100 / (double)mem_peak : 0.0, overhead,
                    mem_startup, dataset, net ? (double)dataset * 100 / (double)net : 0.0,
                    total);
    s = cat_human(s, "total_system_memory_human", total);
    s = dstr_catfmt(s, "maxmemory:%lld\r\n", server.cfg.maxmemory);
    s = cat_human(s, "maxmemory_human", (unsigned long long)server.cfg.maxmemory);
    s = dstr_catfmt(s, "maxmemory_policy:%s\r\nmem_fragmentation_ratio:%.2f\r\n"
                    "mem_fragmentation_bytes:%lld\r\nmem_not_counted_for_evict:0\r\n"
                    "mem_replication_backlog:0\r\nmem_total_replication_buffers:0\r\n"
                    "mem_clients_slaves:0\r\nmem_clients_normal:%zu\r\nmem_cluster_links:0\r\n"
                    "mem_aof_buffer:0\r\nmem_allocator:" KEEL_ALLOCATOR "\r\nactive_defrag_running:0\r\n"
                    "lazyfree_pending_objects:0\r\nlazyfreed_objects:0\r\n",
                    maxmemory_policy_name(server.cfg.maxmemory_policy),
                    used ? (double)rss / (double)used : 0.0, (long long)rss - (long long)used,
                    clients_normal_memory());
    return s;
}

static dstr info_persistence(dstr s) {
    return dstr_catfmt(s, "loading:0\r\nasync_loading:0\r\ncurrent_cow_peak:0\r\n"
        "current_cow_size:0\r\ncurrent_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\n"
        "current_save_keys_processed:0\r\ncurrent_save_keys_total:0\r\n"
        "rdb_changes_since_last_save:%lld\r\nrdb_bgsave_in_progress:0\r\n"
        "rdb_last_save_time:%lld\r\nrdb_last_bgsave_status:ok\r\n"
        "rdb_last_bgsave_time_sec:-1\r\nrdb_current_bgsave_time_sec:-1\r\nrdb_saves:0\r\n"
        "rdb_last_cow_size:0\r\nrdb_last_load_keys_expired:0\r\n"
        "rdb_last_load_keys_loaded:0\r\naof_enabled:0\r\naof_rewrite_in_progress:0\r\n"
        "aof_rewrite_scheduled:0\r\naof_last_rewrite_time_sec:-1\r\n"
        "aof_current_rewrite_time_sec:-1\r\naof_last_bgrewrite_status:ok\r\n"
        "aof_rewrites:0\r\naof_rewrites_consecutive_failures:0\r\n"
        "aof_last_write_status:ok\r\naof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\n"
        "module_fork_last_cow_size:0\r\n", server.dirty, server.start_ms / 1000);
}

static dstr info_stats(dstr s) {
    s = dstr_catfmt(s, "total_connections_received:%lld\r\ntotal_commands_processed:%lld\r\n"
        "instantaneous_ops_per_sec:%lld\r\ntotal_net_input_bytes:%lld\r\n"
        "total_net_output_bytes:%lld\r\ntotal_net_repl_input_bytes:0\r\n"
        "total_net_repl_output_bytes:0\r\ninstantaneous_input_kbps:%.2f\r\n"
        "instantaneous_output_kbps:%.2f\r\ninstantaneous_input_repl_kbps:0.00\r\n"
        "instantaneous_output_repl_kbps:0.00\r\nrejected_connections:%lld\r\n"
        "sync_full:%lld\r\nsync_partial_ok:%lld\r\nsync_partial_err:%lld\r\n",
        server.stat_numconnections, server.stat_numcommands,
        (long long)inst_mean(server.inst.ops), server.stat_net_input_bytes,
        server.stat_net_output_bytes, inst_mean(server.inst.in) / 1024,
        inst_mean(server.inst.out) / 1024, server.stat_rejected_conn, repl.sync_full,
        repl.sync_partial_ok, repl.sync_partial_err);
    s = dstr_catfmt(s, "expired_keys:%lld\r\nexpired_stale_perc:%.2f\r\n"
        "expired_time_cap_reached_count:%lld\r\nevicted_keys:%lld\r\nevicted_clients:0\r\n"
        "keyspace_hits:%lld\r\nkeyspace_misses:%lld\r\npubsub_channels:%zu\r\n"
        "pubsub_patterns:%zu\r\npubsubshard_channels:0\r\nlatest_fork_usec:0\r\n"
        "total_forks:0\r\nmigrate_cached_sockets:0\r\nslave_expires_tracked_keys:0\r\n"
        "active_defrag_hits:0\r\nactive_defrag_misses:0\r\nactive_defrag_key_hits:0\r\n"
        "active_defrag_key_misses:0\r\ntotal_active_defrag_time:0\r\n"
        "current_active_defrag_time:0\r\ntracking_total_keys:0\r\ntracking_total_items:0\r\n"
        "tracking_total_prefixes:0\r\nunexpected_error_replies:%lld\r\n"
        "total_error_replies:%lld\r\ndump_payload_sanitizations:0\r\n"
        "total_reads_processed:%lld\r\ntotal_writes_processed:%lld\r\n"
        "io_threaded_reads_processed:0\r\nio_threaded_writes_processed:0\r\n"
        "client_query_buffer_limit_disconnections:%lld\r\n"
        "client_output_buffer_limit_disconnections:%lld\r\n",
        server.ks.expired, server.ks.expired_stale_perc * 100, server.ks.expired_time_cap_reached,
        server.stat_evictedkeys, server.ks.hits, server.ks.misses, pubsub_total_channels(),
        pubsub_total_patterns(), server.stat_unexpected_error_replies,
        server.stat_total_error_replies, server.stat_io_reads, server.stat_io_writes,
        server.stat_client_qbuf_limit_disconnections,
        server.stat_client_outbuf_limit_disconnections);
    return s;
}

static dstr info_replication(dstr s) { return repl_info(s); }

static dstr cat_tv(dstr s, const char *field, struct timeval tv) {
    return dstr_catfmt(s, "%s:%ld.%06ld\r\n", field, (long)tv.tv_sec, (long)tv.tv_usec);
}

static dstr info_cpu(dstr s) {
    struct rusage self, children, thread;
    memset(&self, 0, sizeof(self));
    memset(&children, 0, sizeof(children));
    memset(&thread, 0, sizeof(thread));
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &children);
    getrusage(RUSAGE_THREAD, &thread);
    s = cat_tv(s, "used_cpu_sys", self.ru_stime);
    s = cat_tv(s, "used_cpu_user", self.ru_utime);
    s = cat_tv(s, "used_cpu_sys_children", children.ru_stime);
    s = cat_tv(s, "used_cpu_user_children", children.ru_utime);
    s = cat_tv(s, "used_cpu_sys_main_thread", thread.ru_stime);
    return cat_tv(s, "used_cpu_user_main_thread", thread.ru_utime);
}

static dstr info_modules(dstr s) { return s; }

static dstr cat_cmdstat(dstr s, const command *cmd) {
    if (cmd->calls || cmd->failed_calls || cmd->rejected_calls) {
        s = dstr_catfmt(s, "cmdstat_%s:calls=%lld,usec=%lld,usec_per_call=%.2f,"
                        "rejected_calls=%lld,failed_calls=%lld\r\n",
                        cmd->fullname[0] ? cmd->fullname : cmd->name, cmd->calls, cmd->usec,
                        cmd->calls ? (double)cmd->usec / (double)cmd->calls : 0.0,
                        cmd->rejected_calls, cmd->failed_calls);
    }
    for (const command *sub = cmd->subcommands; sub && sub->name; sub++) s = cat_cmdstat(s, sub);
    return s;
}

static void cmdstat_visit(command *cmd, void *priv) {
    dstr *s = priv;
    *s = cat_cmdstat(*s, cmd);
}

static dstr info_commandstats(dstr s) {
    command_foreach(cmdstat_visit, &s);
    return s;
}

static int entry_cmp(const void *a, const void *b) {
    const dict_entry *x = *(dict_entry *const *)a, *y = *(dict_entry *const *)b;
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int r = memcmp(x->key, y->key, n);
    return r ? r : (x->klen > y->klen) - (x->klen < y->klen);
}

/* Sorted by error code, as Redis's radix tree lists them. */
static dstr info_errorstats(dstr s) {
    size_t n = server.errorstats ? dict_size(server.errorstats) : 0;
    if (!n) return s;
    dict_entry **v = kl_malloc(sizeof(*v) * n);
    size_t k = 0;
    dict_iter it;
    dict_iter_init(&it, server.errorstats, 0);
    dict_entry *de;
    while ((de = dict_iter_next(&it)) && k < n) v[k++] = de;
    dict_iter_release(&it);
    qsort(v, k, sizeof(*v), entry_cmp);
    for (size_t i = 0; i < k; i++)
        s = dstr_catfmt(s, "errorstat_%.*s:count=%lld\r\n", (int)v[i]->klen, v[i]->key,
                        (long long)v[i]->v.s64);
    kl_free(v);
    return s;
}

static dstr info_cluster(dstr s) { return dstr_cat(s, "cluster_enabled:0\r\n"); }

static dstr info_keyspace(dstr s) {
    for (int i = 0; i < server.ks.ndb; i++) {
        db *d = &server.ks.dbs[i];
        size_t keys = db_size(d);
        if (!keys) continue;
        s = dstr_catfmt(s, "db%d:keys=%zu,expires=%zu,avg_ttl=%lld\r\n", i, keys,
                        db_expires_size(d), d->avg_ttl);
    }
    return s;
}

typedef struct info_section {
    const char *name, *title;
    dstr (*gen)(dstr s);
    int is_default;
} info_section;

static const info_section info_sections[] = {
    {"server", "Server", info_server, 1},
    {"clients", "Clients", info_clients, 1},
    {"memory", "Memory", info_memory, 1},
    {"persistence", "Persistence", info_persistence, 1},
    {"stats", "Stats", info_stats, 1},
    {"replication", "Replication", info_replication, 1},
    {"cpu", "CPU", info_cpu, 1},
    {"modules", "Modules", info_modules, 1},
    {"commandstats", "Commandstats", info_commandstats, 0},
    {"errorstats", "Errorstats", info_errorstats, 1},
    {"cluster", "Cluster", info_cluster, 1},
    {"keyspace", "Keyspace", info_keyspace, 1},
};
#define INFO_NSECTIONS ((int)(sizeof(info_sections) / sizeof(info_sections[0])))

/* Which sections the arguments select: none = "default"; "all"/"everything" = every
 * section; otherwise the named ones (unknown names are ignored, as Redis). */
static void info_select(const char *args[], int nargs, int *want) {
    for (int i = 0; i < INFO_NSECTIONS; i++) want[i] = nargs == 0 && info_sections[i].is_default;
    for (int a = 0; a < nargs; a++) {
        const char *arg = args[a];
        int all = !strcasecmp(arg, "all") || !strcasecmp(arg, "everything");
        int dflt = !strcasecmp(arg, "default");
        for (int i = 0; i < INFO_NSECTIONS; i++) {
            if (all || (dflt && info_sections[i].is_default) ||
                !strcasecmp(arg, info_sections[i].name) ||
                (!strcasecmp(arg, "module_list") && !strcmp(info_sections[i].name, "modules")))
                want[i] = 1;
        }
    }
}

dstr info_generate(dstr s, const char *section_args[], int nsec) {
    int want[INFO_NSECTIONS];
    info_select(section_args, nsec, want);
    int emitted = 0;
    for (int i = 0; i < INFO_NSECTIONS; i++) {
        if (!want[i]) continue;
        if (emitted++) s = dstr_cat(s, "\r\n");
        s = dstr_catfmt(s, "# %s\r\n", info_sections[i].title);
        s = info_sections[i].gen(s);
    }
    return s;
}

static void cmd_info(client *c) {
    int n = c->argc - 1;
    dstr *args = kl_malloc(sizeof(dstr) * (size_t)(n > 0 ? n : 1));
    for (int i = 0; i < n; i++) args[i] = dstr_newlen(c->argv[i + 1].ptr, c->argv[i + 1].len);
    dstr s = info_generate(dstr_empty(), (const char **)args, n);
    reply_verbatim(c, s, dstr_len(s), "txt");
    dstr_free(s);
    for (int i = 0; i < n; i++) dstr_free(args[i]);
    kl_free(args);
}

/* ================================================================== COMMAND */

static const struct { uint64_t flag; const char *name; } cmd_flag_names[] = {
    {CMD_WRITE, "write"}, {CMD_READONLY, "readonly"}, {CMD_DENYOOM, "denyoom"},
    {CMD_MODULE, "module"}, {CMD_ADMIN, "admin"}, {CMD_PUBSUB, "pubsub"},
    {CMD_NOSCRIPT, "noscript"}, {CMD_BLOCKING, "blocking"}, {CMD_LOADING, "loading"},
    {CMD_STALE, "stale"}, {CMD_SKIP_MONITOR, "skip_monitor"},
    {CMD_SKIP_SLOWLOG, "skip_slowlog"}, {CMD_ASKING, "asking"}, {CMD_FAST, "fast"},
    {CMD_NO_AUTH, "no_auth"}, {CMD_NO_MANDATORY_KEYS, "no_mandatory_keys"},
    {CMD_NO_ASYNC_LOADING, "no_async_loading"}, {CMD_NO_MULTI, "no_multi"},
    {CMD_MOVABLE_KEYS, "movablekeys"}, {CMD_ALLOW_BUSY, "allow_busy"},
};
#define N_CMD_FLAGS ((int)(sizeof(cmd_flag_names) / sizeof(cmd_flag_names[0])))

/* In ACL_* bit order. */
static const char *acl_cat_names[] = {
    "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap",
    "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
    "dangerous", "connection", "transaction", "scripting"};
#define N_ACL_CATS ((int)(sizeof(acl_cat_names) / sizeof(acl_cat_names[0])))

static uint64_t cmd_effective_flags(const command *cmd) {
    return cmd->flags | (cmd->getkeys ? CMD_MOVABLE_KEYS : 0);
}

/* Declared categories plus the ones Redis implies from the flags. */
static uint64_t cmd_acl_categories(const command *cmd) {
    uint64_t acl = cmd->acl;
    if (cmd->flags & CMD_WRITE) acl |= ACL_WRITE;
    if ((cmd->flags & CMD_READONLY) && !(acl & ACL_SCRIPTING)) acl |= ACL_READ;
    if (cmd->flags & CMD_ADMIN) acl |= ACL_ADMIN | ACL_DANGEROUS;
    if (cmd->flags & CMD_PUBSUB) acl |= ACL_PUBSUB;
    if (cmd->flags & CMD_FAST) acl |= ACL_FAST;
    if (cmd->flags & CMD_BLOCKING) acl |= ACL_BLOCKING;
    if (!(acl & ACL_FAST)) acl |= ACL_SLOW;
    return acl;
}

static const char *cmd_fullname(const command *cmd) {
    return cmd->fullname[0] ? cmd->fullname : cmd->name;
}

static void reply_cmd_flags(client *c, const command *cmd) {
    uint64_t f = cmd_effective_flags(cmd);
    int n = 0;
    for (int i = 0; i < N_CMD_FLAGS; i++) n += (f & cmd_flag_names[i].flag) != 0;
    reply_set_len(c, n);
    for (int i = 0; i < N_CMD_FLAGS; i++)
        if (f & cmd_flag_names[i].flag) reply_simple(c, cmd_flag_names[i].name);
}

static void reply_cmd_acl(client *c, const command *cmd) {
    uint64_t acl = cmd_acl_categories(cmd);
    int n = 0;
    for (int i = 0; i < N_ACL_CATS; i++) n += (acl & (1ULL << i)) != 0;
    reply_set_len(c, n);
    char buf[32];
    for (int i = 0; i < N_ACL_CATS; i++) {
        if (!(acl & (1ULL << i))) continue;
        snprintf(buf, sizeof(buf), "@%s", acl_cat_names[i]);
        reply_simple(c, buf);
    }
}

static void reply_cmd_tips(client *c, const command *cmd) {
    long long n = 0;
    while (cmd->tips && cmd->tips[n]) n++;
    reply_set_len(c, n);
    for (long long i = 0; i < n; i++) reply_bulk_cstr(c, cmd->tips[i]);
}

/* Key-spec access flags derived from the command flags (we declare no per-key specs). */
static void reply_key_flags(client *c, const command *cmd) {
    int write = (cmd->flags & CMD_WRITE) != 0;
    reply_set_len(c, 2);
    reply_simple(c, write ? "RW" : "RO");
    reply_simple(c, write ? "update" : "access");
}

static void reply_unknown_search(client *c, const char *what) {
    reply_bulk_cstr(c, what);
    reply_map_len(c, 2);
    reply_bulk_cstr(c, "type");
    reply_bulk_cstr(c, "unknown");
    reply_bulk_cstr(c, "spec");
    reply_map_len(c, 0);
}

/* One key spec from first/last/step (index + range); movable-key commands without a
 * range get an "unknown" spec as Redis does for keys it cannot locate statically. */
static void reply_cmd_key_specs(client *c, const command *cmd) {
    int has_range = cmd->firstkey > 0;
    int n = has_range + (cmd->getkeys && !has_range);
    reply_array_len(c, n);
    if (!n) return;
    reply_map_len(c, 3);
    reply_bulk_cstr(c, "flags");
    reply_key_flags(c, cmd);
    if (!has_range) {
        reply_unknown_search(c, "begin_search");
        reply_unknown_search(c, "find_keys");
        return;
    }
    reply_bulk_cstr(c, "begin_search");
    reply_map_len(c, 2);
    reply_bulk_cstr(c, "type");
    reply_bulk_cstr(c, "index");
    reply_bulk_cstr(c, "spec");
    reply_map_len(c, 1);
    reply_bulk_cstr(c, "index");
    reply_long_long(c, cmd->firstkey);
    reply_bulk_cstr(c, "find_keys");
    reply_map_len(c, 2);
    reply_bulk_cstr(c, "type");
    reply_bulk_cstr(c, "range");
    reply_bulk_cstr(c, "spec");
    reply_map_len(c, 3);
    reply_bulk_cstr(c, "lastkey");
    reply_long_long(c, cmd->lastkey >= 0 ? cmd->lastkey - cmd->firstkey : cmd->lastkey);
    reply_bulk_cstr(c, "keystep");
    reply_long_long(c, cmd->keystep);
    reply_bulk_cstr(c, "limit");
    reply_long_long(c, 0);
}

static long long subcommand_count(const command *cmd) {
    long long n = 0;
    for (const command *s = cmd->subcommands; s && s->name; s++) n++;
    return n;
}

static void reply_command_info(client *c, const command *cmd) {
    if (!cmd) {
        reply_null(c);
        return;
    }
    reply_array_len(c, 10);
    reply_bulk_cstr(c, cmd_fullname(cmd));
    reply_long_long(c, cmd->arity);
    reply_cmd_flags(c, cmd);
    reply_long_long(c, cmd->firstkey);
    reply_long_long(c, cmd->lastkey);
    reply_long_long(c, cmd->keystep);
    reply_cmd_acl(c, cmd);
    reply_cmd_tips(c, cmd);
    reply_cmd_key_specs(c, cmd);
    reply_array_len(c, subcommand_count(cmd));
    for (const command *s = cmd->subcommands; s && s->name; s++) reply_command_info(c, s);
}

static void reply_command_docs(client *c, const command *cmd) {
    long long n = 3 + (cmd->complexity != NULL) + (cmd->subcommands != NULL);
    reply_map_len(c, n);
    reply_bulk_cstr(c, "summary");
    reply_bulk_cstr(c, cmd->summary ? cmd->summary : "");
    reply_bulk_cstr(c, "since");
    reply_bulk_cstr(c, cmd->since ? cmd->since : "");
    reply_bulk_cstr(c, "group");
    reply_bulk_cstr(c, cmd->group ? cmd->group : "");
    if (cmd->complexity) {
        reply_bulk_cstr(c, "complexity");
        reply_bulk_cstr(c, cmd->complexity);
    }
    if (cmd->subcommands) {
        reply_bulk_cstr(c, "subcommands");
        reply_map_len(c, subcommand_count(cmd));
        for (const command *s = cmd->subcommands; s && s->name; s++) {
            reply_bulk_cstr(c, cmd_fullname(s));
            reply_command_docs(c, s);
        }
    }
}

/* "get" or "config|get" (case-insensitive); NULL if unknown. */
static command *command_by_fullname(const char *name, size_t len) {
    const char *bar = memchr(name, '|', len);
    command *cmd = command_lookup_name(name, bar ? (size_t)(bar - name) : len);
    if (!bar || !cmd) return cmd;
    const char *sub = bar + 1;
    size_t sublen = len - (size_t)(sub - name);
    for (command *s = cmd->subcommands; s && s->name; s++)
        if (str_eq_nocase(sub, sublen, s->name)) return s;
    return NULL;
}

typedef struct cmd_walk {
    client *c;
    long long n;
    int kind;                   /* 0 info, 1 docs, 2 list */
    int filter;                 /* 0 none, 1 module, 2 aclcat, 3 pattern */
    uint64_t aclcat;
    const resp_arg *pattern;
} cmd_walk;

static int cmd_walk_match(const cmd_walk *w, const command *cmd) {
    const char *fn = cmd_fullname(cmd);
    switch (w->filter) {
    case 1: return 0;
    case 2: return (cmd_acl_categories(cmd) & w->aclcat) != 0;
    case 3: return glob_match(w->pattern->ptr, w->pattern->len, fn, strlen(fn), 1);
    default: return 1;
    }
}

static void cmd_walk_list(cmd_walk *w, const command *cmd) {
    if (cmd_walk_match(w, cmd)) {
        reply_bulk_cstr(w->c, cmd_fullname(cmd));
        w->n++;
    }
    for (const command *s = cmd->subcommands; s && s->name; s++) cmd_walk_list(w, s);
}

static void cmd_walk_visit(command *cmd, void *priv) {
    cmd_walk *w = priv;
    if (w->kind == 2) {
        cmd_walk_list(w, cmd);
        return;
    }
    w->n++;
    if (w->kind == 0) {
        reply_command_info(w->c, cmd);
    } else {
        reply_bulk_cstr(w->c, cmd_fullname(cmd));
        reply_command_docs(w->c, cmd);
    }
}

static void command_reply_all(client *c, int kind) {
    cmd_walk w = {.c = c, .kind = kind};
    void *h = reply_deferred(c);
    command_foreach(cmd_walk_visit, &w);
    if (kind == 1) reply_set_deferred_map(c, h, w.n);
    else reply_set_deferred_array(c, h, w.n);
}

static void cmd_command(client *c) {
    if (c->argc > 1) {
        reply_error_subcommand(c);
        return;
    }
    command_reply_all(c, 0);
}

static void cmd_command_count(client *c) { reply_long_long(c, (long long)command_count()); }

static void cmd_command_info(client *c) {
    if (c->argc == 2) {
        command_reply_all(c, 0);
        return;
    }
    reply_array_len(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++)
        reply_command_info(c, command_by_fullname(c->argv[i].ptr, c->argv[i].len));
}

static void cmd_command_docs(client *c) {
    if (c->argc == 2) {
        command_reply_all(c, 1);
        return;
    }
    void *h = reply_deferred(c);
    long long n = 0;
    for (int i = 2; i < c->argc; i++) {
        command *cmd = command_by_fullname(c->argv[i].ptr, c->argv[i].len);
        if (!cmd) continue;
        reply_bulk_cstr(c, cmd_fullname(cmd));
        reply_command_docs(c, cmd);
        n++;
    }
    reply_set_deferred_map(c, h, n);
}

static void cmd_command_list(client *c) {
    cmd_walk w = {.c = c, .kind = 2};
    if (c->argc == 5 && arg_is(&c->argv[2], "filterby")) {
        const resp_arg *v = &c->argv[4];
        if (arg_is(&c->argv[3], "module")) {
            w.filter = 1;
        } else if (arg_is(&c->argv[3], "aclcat")) {
            w.filter = 2;
            for (int i = 0; i < N_ACL_CATS; i++)
                if (str_eq_nocase(v->ptr, v->len, acl_cat_names[i])) w.aclcat = 1ULL << i;
            if (!w.aclcat) w.filter = 1;   /* unknown category: nothing matches */
        } else if (arg_is(&c->argv[3], "pattern")) {
            w.filter = 3;
            w.pattern = v;
        } else {
            reply_error_syntax(c);
            return;
        }
    } else if (c->argc != 2) {
        reply_error_syntax(c);
        return;
    }
    void *h = reply_deferred(c);
    command_foreach(cmd_walk_visit, &w);
    reply_set_deferred_array(c, h, w.n);
}

/* Shared by GETKEYS and GETKEYSANDFLAGS. */
static void command_getkeys(client *c, int with_flags) {
    int argc = c->argc - 2;
    resp_arg *argv = c->argv + 2;
    command *cmd = command_lookup(argc, argv);
    if (!cmd) {
        reply_error(c, "ERR Invalid command specified");
        return;
    }
    if (!cmd->getkeys && cmd->firstkey <= 0) {
        reply_error(c, "ERR The command has no key arguments");
        return;
    }
    if ((cmd->arity > 0 && cmd->arity != argc) || argc < -cmd->arity) {
        reply_error(c, "ERR Invalid number of arguments specified for command");
        return;
    }
    int *keys = kl_malloc(sizeof(int) * (size_t)argc);
    int n = command_get_keys(cmd, argc, argv, keys, argc);
    if (n <= 0) {
        reply_error(c, "ERR Invalid arguments specified for command");
    } else {
        reply_array_len(c, n);
        for (int i = 0; i < n; i++) {
            if (with_flags) reply_array_len(c, 2);
            reply_bulk(c, argv[keys[i]].ptr, argv[keys[i]].len);
            if (with_flags) reply_key_flags(c, cmd);
        }
    }
    kl_free(keys);
}

static void cmd_command_getkeys(client *c) { command_getkeys(c, 0); }
static void cmd_command_getkeysandflags(client *c) { command_getkeys(c, 1); }

static void cmd_command_help(client *c) {
    static const char *help[] = {
        "(no subcommand)",
        "    Return details about all Redis commands.",
        "COUNT",
        "    Return the total number of commands in this Redis server.",
        "LIST",
        "    Return a list of all commands in this Redis server.",
        "INFO [<command-name> ...]",
        "    Return details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "DOCS [<command-name> ...]",
        "    Return documentation details about multiple Redis commands.",
        "    If no command names are given, documentation details for all",
        "    commands are returned.",
        "GETKEYS <full-command>",
        "    Return the keys from a full Redis command.",
        "GETKEYSANDFLAGS <full-command>",
        "    Return the keys and the access flags from a full Redis command.",
        NULL};
    reply_help(c, help);
}

/* ================================================================== TIME, LASTSAVE */

static void cmd_time(client *c) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    reply_array_len(c, 2);
    reply_bulk_ll(c, (long long)tv.tv_sec);
    reply_bulk_ll(c, (long long)tv.tv_usec);
}

/* No snapshot has been written yet: the last "save" is the start, as Redis reports for a
 * server that never saved. */
static void cmd_lastsave(client *c) { reply_long_long(c, server.start_ms / 1000); }

/* ================================================================== DEBUG */

/* Copy an argument into a NUL-terminated buffer (truncated to fit). */
static const char *arg_cstr(const resp_arg *a, char *buf, size_t size) {
    size_t n = a->len < size - 1 ? a->len : size - 1;
    memcpy(buf, a->ptr, n);
    buf[n] = '\0';
    return buf;
}

/* RDB length of a string value: integers as 1-4 byte payloads, else length + bytes. */
static size_t string_serialized_len(const obj *o) {
    long long v;
    if (obj_get_ll(o, &v) && obj_strlen(o) <= 11) {
        if (v >= -128 && v <= 127) return 2;
        if (v >= -32768 && v <= 32767) return 3;
        if (v >= INT32_MIN && v <= INT32_MAX) return 5;
    }
    size_t len = obj_strlen(o);
    size_t hdr = len < 64 ? 1 : len < 16384 ? 2 : len <= UINT32_MAX ? 5 : 9;
    return hdr + len;
}

static void debug_object(client *c) {
    const resp_arg *k = &c->argv[2];
    obj *o = db_peek(c->db, k->ptr, k->len);
    if (!o || db_key_is_expired(&server.ks, c->db, k->ptr, k->len)) {
        reply_error(c, "ERR no such key");
        return;
    }
    size_t ser = o->type == OBJ_STRING ? string_serialized_len(o) : obj_mem_usage(o);
    char buf[256];
    snprintf(buf, sizeof(buf),
             "Value at:%p refcount:1 encoding:%s serializedlength:%zu lru:%u "
             "lru_seconds_idle:%lld", (void *)o, obj_enc_name(o), ser, (unsigned)o->lru,
             obj_idle_ms(o) / 1000);
    reply_simple(c, buf);
}

static void debug_sleep(client *c) {
    char buf[64];
    double secs = strtod(arg_cstr(&c->argv[2], buf, sizeof(buf)), NULL);
    long long us = (long long)(secs * 1000000);
    if (us > 0) {
        struct timespec ts = {.tv_sec = us / 1000000, .tv_nsec = (us % 1000000) * 1000};
        nanosleep(&ts, NULL);
    }
    reply_ok(c);
}

static void cmd_debug(client *c) {
    static const char *help[] = {
        "OBJECT <key>",
        "    Show low level info about the key and associated value.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        NULL};
    char buf[32];
    if (c->argc == 2 && arg_is(&c->argv[1], "help")) {
        reply_help(c, help);
    } else if (c->argc == 3 && arg_is(&c->argv[1], "sleep")) {
        debug_sleep(c);
    } else if (c->argc == 3 && arg_is(&c->argv[1], "set-active-expire")) {
        server.active_expire_enabled = atoi(arg_cstr(&c->argv[2], buf, sizeof(buf)));
        reply_ok(c);
    } else if (c->argc == 3 && arg_is(&c->argv[1], "object")) {
        debug_object(c);
    } else {
        reply_subcommand_syntax(c, "DEBUG");
    }
}

/* ================================================================== MEMORY */

static void cmd_memory_usage(client *c) {
    for (int j = 3; j < c->argc; j++) {
        long long samples;
        if (arg_is(&c->argv[j], "samples") && j + 1 < c->argc) {
            if (arg_to_ll(c, &c->argv[j + 1], &samples) < 0) return;
            if (samples < 0) {
                reply_error_syntax(c);
                return;
            }
            j++;   /* accepted for compatibility: usage is always computed in full */
        } else {
            reply_error_syntax(c);
            return;
        }
    }
    dict_entry *de = dict_find(c->db->keys, c->argv[2].ptr, c->argv[2].len);
    if (!de) {
        reply_null(c);
        return;
    }
    size_t usage = obj_mem_usage(de->v.val) + sizeof(dict_entry) + de->klen + 1;
    reply_long_long(c, (long long)usage);
}

static void reply_kv_ll(client *c, const char *k, long long v) {
    reply_bulk_cstr(c, k);
    reply_long_long(c, v);
}

static void reply_kv_double(client *c, const char *k, double v) {
    reply_bulk_cstr(c, k);
    reply_double(c, v);
}

static void cmd_memory_stats(client *c) {
    info_memory_sample();
    size_t used = kl_used_memory(), rss = rss_bytes(), keys = 0;
    size_t overhead = memory_overhead(&keys);
    long long fields = 0;
    void *h = reply_deferred(c);
    reply_kv_ll(c, "peak.allocated", (long long)mem_peak);
    reply_kv_ll(c, "total.allocated", (long long)used);
    reply_kv_ll(c, "startup.allocated", (long long)mem_startup);
    reply_kv_ll(c, "replication.backlog", 0);
    reply_kv_ll(c, "clients.slaves", 0);
    reply_kv_ll(c, "clients.normal", (long long)clients_normal_memory());
    reply_kv_ll(c, "cluster.links", 0);
    reply_kv_ll(c, "aof.buffer", 0);
    reply_kv_ll(c, "lua.caches", 0);
    reply_kv_ll(c, "functions.caches", 0);
    fields += 10;
    for (int i = 0; i < server.ks.ndb; i++) {
        db *d = &server.ks.dbs[i];
        if (!db_size(d)) continue;
        char name[32];
        snprintf(name, sizeof(name), "db.%d", i);
        reply_bulk_cstr(c, name);
        reply_map_len(c, 2);
        reply_kv_ll(c, "overhead.hashtable.main", (long long)dict_mem_usage(d->keys));
        reply_kv_ll(c, "overhead.hashtable.expires", (long long)dict_mem_usage(d->expires));
        fields++;
    }
    size_t net = used > mem_startup ? used - mem_startup : 0;
    size_t dataset = used > overhead ? used - overhead : 0;
    reply_kv_ll(c, "overhead.total", (long long)overhead);
    reply_kv_ll(c, "keys.count", (long long)keys);
    reply_kv_ll(c, "keys.bytes-per-key", keys ? (long long)(net / keys) : 0);
    reply_kv_ll(c, "dataset.bytes", (long long)dataset);
    reply_kv_double(c, "dataset.percentage", net ? (double)dataset * 100 / (double)net : 0);
    reply_kv_double(c, "peak.percentage", mem_peak ? (double)used * 100 / (double)mem_peak : 0);
    reply_kv_double(c, "fragmentation", used ? (double)rss / (double)used : 0);
    reply_kv_ll(c, "fragmentation.bytes", (long long)rss - (long long)used);
    fields += 8;
    reply_set_deferred_map(c, h, fields);
}

static void cmd_memory_doctor(client *c) {
    size_t used = kl_used_memory(), rss = rss_bytes();
    info_memory_sample();
    dstr s;
    if (used < 5 * 1024 * 1024) {
        s = dstr_new("Hi Sam, this instance is empty or is using very little memory, my issues "
                     "detector can't be used in these conditions. Please, leave for your "
                     "mission on Earth and fill it with some data. The new Sam and I will be "
                     "back to our programming as soon as I finished rebooting.");
    } else {
        s = dstr_new("Sam, I detected a few issues in this Redis instance memory implants:\n\n");
        int issues = 0;
        if (mem_peak > used + used / 2) {
            issues++;
            s = dstr_cat(s, " * Peak memory: In the past this instance used more than 150% "
                         "the memory that is currently using.\n\n");
        }
        if (rss > used + used * 4 / 10 && rss - used > 10 * 1024 * 1024) {
            issues++;
            s = dstr_catfmt(s, " * High total RSS: the RSS is %.2f times the memory used by "
                            "the data set.\n\n", (double)rss / (double)used);
        }
        if (!issues) {
            dstr_free(s);
            s = dstr_new("Hi Sam, I can't find any memory issue in your instance. I can only "
                         "account for what occurs on this base.");
        }
    }
    reply_verbatim(c, s, dstr_len(s), "txt");
    dstr_free(s);
}

static void cmd_memory_malloc_stats(client *c) {
    reply_verbatim(c, "Stats not supported for the current allocator", 45, "txt");
}

static void cmd_memory_purge(client *c) {
    malloc_trim(0);
    reply_ok(c);
}

static void cmd_memory_help(client *c) {
    static const char *help[] = {
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
        NULL};
    reply_help(c, help);
}

/* ================================================================== SHUTDOWN */

static void cmd_shutdown(client *c) {
    int nosave = 0, save = 0, abort_req = 0, other = 0;
    for (int j = 1; j < c->argc; j++) {
        const resp_arg *a = &c->argv[j];
        if (arg_is(a, "nosave")) nosave = 1;
        else if (arg_is(a, "save")) save = 1;
        else if (arg_is(a, "abort")) abort_req = 1;
        else if (arg_is(a, "now") || arg_is(a, "force")) other = 1;
        else {
            reply_error_syntax(c);
            return;
        }
    }
    if ((abort_req && (nosave || save || other)) || (nosave && save)) {
        reply_error_syntax(c);
        return;
    }
    if (abort_req) {
        /* Shutdown is immediate here: there is never one in progress to abort. */
        reply_error(c, "ERR No shutdown in progress.");
        return;
    }
    if (save || (!nosave && server.cfg.save && server.cfg.save[0]))
        kl_log(LL_WARNING, "Persistence is not available: no snapshot is written on shutdown.");
    server_request_shutdown(0);
}

/* ================================================================== command table */

#define LS (CMD_LOADING | CMD_STALE)

static const char *tips_nd[] = {"nondeterministic_output", NULL};
static const char *tips_nd_order[] = {"nondeterministic_output_order", NULL};
static const char *tips_info[] = {"nondeterministic_output", "request_policy:all_shards",
                                  "response_policy:special", NULL};
static const char *tips_nodes_ok[] = {"request_policy:all_nodes",
                                      "response_policy:all_succeeded", NULL};
static const char *tips_slowlog_len[] = {"request_policy:all_nodes", "response_policy:agg_sum",
                                         "nondeterministic_output", NULL};
static const char *tips_slowlog_get[] = {"request_policy:all_nodes", "nondeterministic_output",
                                         NULL};
static const char *tips_latency[] = {"nondeterministic_output", "request_policy:all_nodes",
                                     "response_policy:special", NULL};
static const char *tips_shards_ok[] = {"request_policy:all_shards",
                                       "response_policy:all_succeeded", NULL};

#define HELP_SUB(p, since_) \
    {.name = "help", .proc = p, .arity = 2, .flags = LS, .group = "server", .since = since_, \
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"}

static command command_subcommands[] = {
    {.name = "count", .proc = cmd_command_count, .arity = 2, .flags = LS,
     .acl = ACL_CONNECTION, .group = "server", .since = "2.8.13",
     .summary = "Get total number of Redis commands", .complexity = "O(1)"},
    {.name = "docs", .proc = cmd_command_docs, .arity = -2, .flags = LS,
     .acl = ACL_CONNECTION, .tips = tips_nd_order, .group = "server", .since = "7.0.0",
     .summary = "Get array of specific Redis command documentation",
     .complexity = "O(N) where N is the number of commands to look up"},
    {.name = "getkeys", .proc = cmd_command_getkeys, .arity = -4, .flags = LS,
     .acl = ACL_CONNECTION, .group = "server", .since = "2.8.13",
     .summary = "Extract keys given a full Redis command",
     .complexity = "O(N) where N is the number of arguments to the command"},
    {.name = "getkeysandflags", .proc = cmd_command_getkeysandflags, .arity = -4, .flags = LS,
     .acl = ACL_CONNECTION, .group = "server", .since = "7.0.0",
     .summary = "Extract keys and access flags given a full Redis command",
     .complexity = "O(N) where N is the number of arguments to the command"},
    {.name = "help", .proc = cmd_command_help, .arity = 2, .flags = LS, .acl = ACL_CONNECTION,
     .group = "server", .since = "5.0.0",
     .summary = "Show helpful text about the different subcommands", .complexity = "O(1)"},
    {.name = "info", .proc = cmd_command_info, .arity = -2, .flags = LS,
     .acl = ACL_CONNECTION, .tips = tips_nd_order, .group = "server", .since = "2.8.13",
     .summary = "Get array of specific Redis command details, or all when no argument is "
                "given.",
     .complexity = "O(N) where N is the number of commands to look up"},
    {.name = "list", .proc = cmd_command_list, .arity = -2, .flags = LS,
     .acl = ACL_CONNECTION, .tips = tips_nd_order, .group = "server", .since = "7.0.0",
     .summary = "Get an array of Redis command names",
     .complexity = "O(N) where N is the total number of Redis commands"},
    {.name = NULL},
};

static command slowlog_subcommands[] = {
    {.name = "get", .proc = cmd_slowlog_get, .arity = -2, .flags = CMD_ADMIN | LS,
     .tips = tips_slowlog_get, .group = "server", .since = "2.2.12",
     .summary = "Get the slow log's entries",
     .complexity = "O(N) where N is the number of entries returned"},
    {.name = "len", .proc = cmd_slowlog_len, .arity = 2, .flags = CMD_ADMIN | LS,
     .tips = tips_slowlog_len, .group = "server", .since = "2.2.12",
     .summary = "Get the slow log's length", .complexity = "O(1)"},
    {.name = "reset", .proc = cmd_slowlog_reset, .arity = 2, .flags = CMD_ADMIN | LS,
     .tips = tips_nodes_ok, .group = "server", .since = "2.2.12",
     .summary = "Clear all entries from the slow log",
     .complexity = "O(N) where N is the number of entries in the slowlog"},
    HELP_SUB(cmd_slowlog_help, "6.2.0"),
    {.name = NULL},
};

#define LATENCY_FLAGS (CMD_ADMIN | CMD_NOSCRIPT | LS)
static command latency_subcommands[] = {
    {.name = "history", .proc = cmd_latency_history, .arity = 3, .flags = LATENCY_FLAGS,
     .tips = tips_latency, .group = "server", .since = "2.8.13",
     .summary = "Return timestamp-latency samples for the event.", .complexity = "O(1)"},
    {.name = "latest", .proc = cmd_latency_latest, .arity = 2, .flags = LATENCY_FLAGS,
     .tips = tips_latency, .group = "server", .since = "2.8.13",
     .summary = "Return the latest latency samples for all events.", .complexity = "O(1)"},
    {.name = "reset", .proc = cmd_latency_reset, .arity = -2, .flags = LATENCY_FLAGS,
     .tips = tips_nodes_ok, .group = "server", .since = "2.8.13",
     .summary = "Reset latency data for one or more events.", .complexity = "O(1)"},
    {.name = "help", .proc = cmd_latency_help, .arity = 2, .flags = LS, .group = "server",
     .since = "2.8.13", .summary = "Show helpful text about the different subcommands.",
     .complexity = "O(1)"},
    {.name = NULL},
};

static command memory_subcommands[] = {
    {.name = "doctor", .proc = cmd_memory_doctor, .arity = 2, .tips = tips_info,
     .group = "server", .since = "4.0.0", .summary = "Outputs memory problems report",
     .complexity = "O(1)"},
    {.name = "malloc-stats", .proc = cmd_memory_malloc_stats, .arity = 2, .tips = tips_info,
     .group = "server", .since = "4.0.0", .summary = "Show allocator internal stats",
     .complexity = "Depends on how much memory is allocated, could be slow"},
    {.name = "purge", .proc = cmd_memory_purge, .arity = 2, .tips = tips_shards_ok,
     .group = "server", .since = "4.0.0", .summary = "Ask the allocator to release memory",
     .complexity = "Depends on how much memory is allocated, could be slow"},
    {.name = "stats", .proc = cmd_memory_stats, .arity = 2, .tips = tips_info,
     .group = "server", .since = "4.0.0", .summary = "Show memory usage details",
     .complexity = "O(1)"},
    {.name = "usage", .proc = cmd_memory_usage, .arity = -3, .flags = CMD_READONLY,
     .firstkey = 2, .lastkey = 2, .keystep = 1, .group = "server", .since = "4.0.0",
     .summary = "Estimate the memory usage of a key",
     .complexity = "O(N) where N is the number of samples."},
    HELP_SUB(cmd_memory_help, "4.0.0"),
    {.name = NULL},
};

command admin_commands[] = {
    {.name = "info", .proc = cmd_info, .arity = -1, .flags = LS, .acl = ACL_DANGEROUS,
     .tips = tips_info, .group = "server", .since = "1.0.0",
     .summary = "Get information and statistics about the server", .complexity = "O(1)"},
    {.name = "command", .proc = cmd_command, .arity = -1, .flags = LS, .acl = ACL_CONNECTION,
     .tips = tips_nd_order, .subcommands = command_subcommands, .group = "server",
     .since = "2.8.13", .summary = "Get array of Redis command details",
     .complexity = "O(N) where N is the total number of Redis commands"},
    {.name = "time", .proc = cmd_time, .arity = 1, .flags = LS | CMD_FAST, .tips = tips_nd,
     .group = "server", .since = "2.6.0", .summary = "Return the current server time",
     .complexity = "O(1)"},
    {.name = "lastsave", .proc = cmd_lastsave, .arity = 1, .flags = LS | CMD_FAST,
     .acl = ACL_ADMIN | ACL_DANGEROUS, .tips = tips_nd, .group = "server", .since = "1.0.0",
     .summary = "Get the UNIX time stamp of the last successful save to disk",
     .complexity = "O(1)"},
    {.name = "debug", .proc = cmd_debug, .arity = -2,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | LS, .group = "server", .since = "1.0.0",
     .summary = "A container for debugging commands", .complexity = "Depends on subcommand."},
    {.name = "slowlog", .proc = cmd_container, .arity = -2, .subcommands = slowlog_subcommands,
     .group = "server", .since = "2.2.12", .summary = "A container for slow log commands",
     .complexity = "Depends on subcommand."},
    {.name = "latency", .proc = cmd_container, .arity = -2, .subcommands = latency_subcommands,
     .group = "server", .since = "2.8.13",
     .summary = "A container for latency diagnostics commands",
     .complexity = "Depends on subcommand."},
    {.name = "memory", .proc = cmd_container, .arity = -2, .subcommands = memory_subcommands,
     .group = "server", .since = "4.0.0",
     .summary = "A container for memory diagnostics commands",
     .complexity = "Depends on subcommand."},
    {.name = "monitor", .proc = cmd_monitor, .arity = 1, .flags = CMD_ADMIN | CMD_NOSCRIPT | LS,
     .group = "server", .since = "1.0.0",
     .summary = "Listen for all requests received by the server in real time"},
    {.name = "shutdown", .proc = cmd_shutdown, .arity = -1,
     .flags = CMD_ADMIN | CMD_NOSCRIPT | LS | CMD_NO_MULTI | CMD_ALLOW_BUSY, .group = "server",
     .since = "1.0.0",
     .summary = "Synchronously save the dataset to disk and then shut down the server",
     .complexity = "O(N) when saving, where N is the total number of keys in all databases "
                   "when saving data, otherwise O(1)"},
    {.name = NULL},
};
