/* server.c -- the node's core: start-up, the periodic cron, the before-sleep hook, command
 * dispatch (lookup, checks, call, accounting), eviction and shutdown.
 *
 * Dispatch order follows Redis processCommand: lookup (with subcommands), arity, auth,
 * pub/sub context, maxmemory for CMD_DENYOOM, CLIENT PAUSE, then call with stats, slowlog,
 * latency and MONITOR feeding. Errors before the call count as rejected_calls, error replies
 * during it as failed_calls.
 * Loop thread only; nothing here waits on disk fsync, DNS or a peer.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "common/alloc.h"
#include "common/util.h"
#include "server/server.h"
#include "server/blocking.h"
#include "server/multi.h"
#include "server/replication.h"

server_t server;

void clients_cron(long long now);
void clients_close_pending(void);
void clients_close_all(void);
void server_close_listeners(void);
void client_postpone(client *c);

/* ---------------------------------------------------------------- time and stats */

void server_update_time(void) { server.ks.now_ms = mstime(); }

static void errorstat_free(void *v) { (void)v; }
static const dict_type errorstats_type = {.val_free = errorstat_free, .nocase = 0};

void server_count_error(const char *code, size_t len) {
    server.stat_total_error_replies++;
    if (!server.errorstats) server.errorstats = dict_new(&errorstats_type);
    /* Like Redis, stop adding new error codes past 128 distinct ones. */
    dict_entry *e = dict_find(server.errorstats, code, len);
    if (!e) {
        if (dict_size(server.errorstats) >= 128) return;
        e = dict_add_raw(server.errorstats, code, len, NULL);
    }
    e->v.s64++;
}

static void reset_command_stats(command *cmd, void *priv) {
    (void)priv;
    cmd->calls = cmd->usec = cmd->rejected_calls = cmd->failed_calls = 0;
    if (cmd->subcommands)
        for (command *sc = cmd->subcommands; sc->name; sc++)
            sc->calls = sc->usec = sc->rejected_calls = sc->failed_calls = 0;
}

void server_reset_stats(void) {
    server.stat_numcommands = 0;
    server.stat_numconnections = 0;
    server.stat_rejected_conn = 0;
    server.stat_net_input_bytes = 0;
    server.stat_net_output_bytes = 0;
    server.stat_evictedkeys = 0;
    server.stat_total_error_replies = 0;
    server.stat_unexpected_error_replies = 0;
    server.stat_client_qbuf_limit_disconnections = 0;
    server.stat_client_outbuf_limit_disconnections = 0;
    server.stat_io_reads = server.stat_io_writes = 0;
    server.stat_pubsub_messages = 0;
    server.ks.hits = server.ks.misses = server.ks.expired = 0;
    server.ks.expired_time_cap_reached = 0;
    server.ks.expired_stale_perc = 0;
    server.stat_reset_time = mstime();
    if (server.errorstats) dict_empty(server.errorstats, NULL);
    memset(&server.inst, 0, sizeof(server.inst));
    command_foreach(reset_command_stats, NULL);
}

/* Sample the counters every 100 ms so INFO can report per-second rates over 1.6 s,
 * like Redis's trackInstantaneousMetric. */
static void track_instantaneous(long long now) {
    if (now - server.inst.last_ms < 100) return;
    if (server.inst.last_ms) {
        long long dt = now - server.inst.last_ms;
        int i = server.inst.idx;
        server.inst.ops[i] = (server.stat_numcommands - server.inst.last_cmds) * 1000 / dt;
        server.inst.in[i] = (server.stat_net_input_bytes - server.inst.last_in) * 1000 / dt;
        server.inst.out[i] = (server.stat_net_output_bytes - server.inst.last_out) * 1000 / dt;
        server.inst.idx = (i + 1) % 16;
    }
    server.inst.last_ms = now;
    server.inst.last_cmds = server.stat_numcommands;
    server.inst.last_in = server.stat_net_input_bytes;
    server.inst.last_out = server.stat_net_output_bytes;
}

/* ---------------------------------------------------------------- hooks */

void server_key_modified(client *c, db *d, const char *key, size_t len) {
    (void)c;
    multi_touch_key(d, key, len);
    blocking_signal_key(d, key, len);
}

void server_db_touched(db *d) {
    multi_touch_db(d);
}

/* ---------------------------------------------------------------- propagation */

typedef struct prop_cmd {
    int argc;
    dstr *argv;
} prop_cmd;

struct prop_list {
    prop_cmd *cmds;
    int n;
};

static int exec_multi_emitted;   /* MULTI already sent for the EXEC being run */

void server_propagate(int dbid, int argc, resp_arg *argv) {
    client *c = server.current_client;
    if (c && multi_in_exec(c) && !exec_multi_emitted) {
        resp_arg m = {(char *)"MULTI", 5};
        exec_multi_emitted = 1;
        repl_feed(dbid, 1, &m);
    }
    repl_feed(dbid, argc, argv);
}

void propagate_rewrite(client *c, int argc, const resp_arg *argv) {
    if (!c->prop) c->prop = kl_calloc(1, sizeof(*c->prop));
    struct prop_list *pl = c->prop;
    pl->cmds = kl_realloc(pl->cmds, sizeof(prop_cmd) * (size_t)(pl->n + 1));
    prop_cmd *pc = &pl->cmds[pl->n++];
    pc->argc = argc;
    pc->argv = kl_malloc(sizeof(dstr) * (size_t)argc);
    for (int i = 0; i < argc; i++) pc->argv[i] = dstr_newlen(argv[i].ptr, argv[i].len);
}

void propagate_none(client *c) { c->prop_none = 1; }

static void prop_clear(client *c) {
    struct prop_list *pl = c->prop;
    c->prop = NULL;
    c->prop_none = 0;
    if (!pl) return;
    for (int i = 0; i < pl->n; i++) {
        for (int j = 0; j < pl->cmds[i].argc; j++) dstr_free(pl->cmds[i].argv[j]);
        kl_free(pl->cmds[i].argv);
    }
    kl_free(pl->cmds);
    kl_free(pl);
}

/* After a command ran: send its effect to the replication stream. */
static void propagate_after_call(client *c, command *cmd, long long dirty_before) {
    struct prop_list *pl = c->prop;
    int changed = server.dirty != dirty_before;
    if (c->flags & CLIENT_PRIMARY) {
        /* On a replica the primary's own bytes are proxied (replica_applied). */
    } else if (c->prop_none) {
    } else if (pl) {
        int dbid = c->db->id;
        for (int i = 0; i < pl->n; i++) {
            resp_arg args[64], *av = pl->cmds[i].argc <= 64 ? args
                                    : kl_malloc(sizeof(resp_arg) * (size_t)pl->cmds[i].argc);
            for (int j = 0; j < pl->cmds[i].argc; j++) {
                av[j].ptr = pl->cmds[i].argv[j];
                av[j].len = dstr_len(pl->cmds[i].argv[j]);
            }
            server_propagate(dbid, pl->cmds[i].argc, av);
            if (av != args) kl_free(av);
        }
    } else if (changed && (cmd->flags & CMD_WRITE)) {
        server_propagate(c->db->id, c->argc, c->argv);
    }
    prop_clear(c);
}

static void propagate_exec_end(client *c, command *cmd) {
    if (!exec_multi_emitted || strcmp(cmd->fullname, "exec") != 0) return;
    exec_multi_emitted = 0;
    resp_arg e = {(char *)"EXEC", 4};
    repl_feed(c->db->id, 1, &e);
}

static void on_key_expired(keyspace *ks, db *d, const char *key, size_t len) {
    (void)ks;
    multi_touch_key(d, key, len);
    server_notify(NOTIFY_EXPIRED, "expired", key, len, d->id);
    resp_arg del[2] = {{(char *)"DEL", 3}, {(char *)key, len}};
    server_propagate(d->id, 2, del);
}

static void on_key_added(keyspace *ks, db *d, const char *key, size_t len) {
    (void)ks;
    server_notify(NOTIFY_NEW, "new", key, len, d->id);
}

static void on_key_missed(keyspace *ks, db *d, const char *key, size_t len) {
    (void)ks;
    server_notify(NOTIFY_KEY_MISS, "keymiss", key, len, d->id);
}

/* ---------------------------------------------------------------- argument helpers */

int arg_to_ll(client *c, const resp_arg *a, long long *out) {
    if (!str_to_ll(a->ptr, a->len, out)) {
        reply_error_not_int(c);
        return -1;
    }
    return 0;
}

int arg_to_ll_range(client *c, const resp_arg *a, long long min, long long max, long long *out,
                    const char *msg) {
    long long v;
    if (!str_to_ll(a->ptr, a->len, &v) || v < min || v > max) {
        if (msg) reply_error(c, msg);
        else reply_error_not_int(c);
        return -1;
    }
    *out = v;
    return 0;
}

int arg_to_double(client *c, const resp_arg *a, double *out) {
    if (!str_to_double(a->ptr, a->len, out)) {
        reply_error_not_float(c);
        return -1;
    }
    return 0;
}

int arg_to_ld(client *c, const resp_arg *a, long double *out) {
    if (!str_to_ld(a->ptr, a->len, out)) {
        reply_error_not_float(c);
        return -1;
    }
    return 0;
}

int arg_to_scan_cursor(client *c, const resp_arg *a, unsigned long *out) {
    char buf[64];
    if (a->len >= sizeof(buf) || memchr(a->ptr, '\0', a->len)) goto bad;
    memcpy(buf, a->ptr, a->len);
    buf[a->len] = '\0';
    if (buf[0] == ' ' || (buf[0] >= '\t' && buf[0] <= '\r')) goto bad;
    char *end;
    errno = 0;
    *out = strtoul(buf, &end, 10);
    if (*end != '\0' || errno == ERANGE) goto bad;
    return 0;
bad:
    reply_error(c, "ERR invalid cursor");
    return -1;
}

int arg_is(const resp_arg *a, const char *lower) { return str_eq_nocase(a->ptr, a->len, lower); }

int arg_to_timeout_ms(client *c, const resp_arg *a, int unit_seconds, long long *out) {
    long double v;
    if (unit_seconds) {
        if (!str_to_ld(a->ptr, a->len, &v)) {
            reply_error(c, "ERR timeout is not a float or out of range");
            return -1;
        }
        v *= 1000;
    } else {
        long long ll;
        if (!str_to_ll(a->ptr, a->len, &ll)) {
            reply_error(c, "ERR timeout is not an integer or out of range");
            return -1;
        }
        v = (long double)ll;
    }
    if (v < 0) {
        reply_error(c, "ERR timeout is negative");
        return -1;
    }
    if (v > (long double)(LLONG_MAX / 2)) {
        reply_error(c, "ERR timeout is out of range");
        return -1;
    }
    long long ms = (long long)ceill(v);
    *out = ms > 0 ? server_now_ms() + ms : 0;
    return 0;
}

/* ---------------------------------------------------------------- eviction
 * When maxmemory is exceeded before a command that may grow memory, evict keys by the
 * configured policy: sample maxmemory-samples keys per database and evict the best
 * candidate (idle time, LFU counter, nearest expiry, or random), as Redis approximates it. */

static int policy_volatile(int p) {
    return p == MAXMEMORY_VOLATILE_LRU || p == MAXMEMORY_VOLATILE_LFU ||
           p == MAXMEMORY_VOLATILE_RANDOM || p == MAXMEMORY_VOLATILE_TTL;
}

static double evict_score(db *d, const dict_entry *e, int policy) {
    if (policy == MAXMEMORY_VOLATILE_TTL) return -(double)e->v.s64;   /* sooner = better */
    if (policy == MAXMEMORY_ALLKEYS_RANDOM || policy == MAXMEMORY_VOLATILE_RANDOM) return rand();
    obj *o = db_peek(d, e->key, e->klen);
    if (!o) return -1;
    if (policy == MAXMEMORY_ALLKEYS_LFU || policy == MAXMEMORY_VOLATILE_LFU)
        return 255 - obj_lfu_freq(o, server.cfg.lfu_decay_time);
    return (double)obj_idle_ms(o);
}

static int evict_one(void) {
    int policy = server.cfg.maxmemory_policy;
    db *best_db = NULL;
    char best_key[512];
    size_t best_len = 0;
    double best = -2;
    dict_entry *sample[64];
    size_t want = (size_t)server.cfg.maxmemory_samples;
    if (want > 64) want = 64;
    for (int i = 0; i < server.ks.ndb; i++) {
        db *d = &server.ks.dbs[i];
        dict *from = policy_volatile(policy) ? d->expires : d->keys;
        size_t n = dict_size(from) ? dict_sample(from, sample, want) : 0;
        for (size_t k = 0; k < n; k++) {
            double s = evict_score(d, sample[k], policy);
            if (s > best && sample[k]->klen < sizeof(best_key)) {
                best = s;
                best_db = d;
                best_len = sample[k]->klen;
                memcpy(best_key, sample[k]->key, best_len);
            }
        }
    }
    if (!best_db) return 0;
    db_delete(best_db, best_key, best_len);
    server.stat_evictedkeys++;
    server_notify(NOTIFY_EVICTED, "evicted", best_key, best_len, best_db->id);
    resp_arg del[2] = {{(char *)"DEL", 3}, {best_key, best_len}};
    server_propagate(best_db->id, 2, del);
    return 1;
}

/* 0 when memory is under the limit (possibly after evicting), -1 when it cannot be. */
static int perform_evictions(void) {
    if (!server.cfg.maxmemory || replica_is_replica()) return 0;
    if (kl_used_memory() <= (size_t)server.cfg.maxmemory) return 0;
    if (server.cfg.maxmemory_policy == MAXMEMORY_NO_EVICTION) return -1;
    uint64_t start = monotonic_us();
    while (kl_used_memory() > (size_t)server.cfg.maxmemory) {
        if (!evict_one()) return -1;
        if (monotonic_us() - start > 50000) break;   /* bounded work per command */
    }
    return kl_used_memory() > (size_t)server.cfg.maxmemory ? -1 : 0;
}

/* ---------------------------------------------------------------- dispatch */

static void reject_unknown(client *c) {
    dstr args = dstr_empty();
    for (int i = 1; i < c->argc && dstr_len(args) < 128; i++) {
        int room = 128 - (int)dstr_len(args);
        int n = (int)c->argv[i].len < room ? (int)c->argv[i].len : room;
        args = dstr_catfmt(args, "'%.*s' ", n, c->argv[i].ptr);
    }
    int n = c->argv[0].len > 128 ? 128 : (int)c->argv[0].len;
    reply_errorf(c, "ERR unknown command '%.*s', with args beginning with: %s", n, c->argv[0].ptr, args);
    dstr_free(args);
}

static int arity_ok(const command *cmd, int argc) {
    return cmd->arity > 0 ? argc == cmd->arity : argc >= -cmd->arity;
}

void call_command(client *c, command *cmd) {
    long long errors_before = server.stat_total_error_replies;
    long long dirty_before = server.dirty;
    struct prop_list *outer_prop = c->prop;   /* EXEC runs commands inside a command */
    int outer_none = c->prop_none;
    c->prop = NULL;
    c->prop_none = 0;
    c->cmd = cmd;
    uint64_t start = monotonic_us();
    cmd->proc(c);
    long long duration = (long long)(monotonic_us() - start);
    /* EXEC itself is not propagated: its commands were, wrapped in MULTI ... EXEC. */
    if (strcmp(cmd->fullname, "exec") != 0) propagate_after_call(c, cmd, dirty_before);
    else prop_clear(c);
    propagate_exec_end(c, cmd);
    c->prop = outer_prop;
    c->prop_none = outer_none;
    cmd->calls++;
    cmd->usec += duration;
    if (server.stat_total_error_replies > errors_before) cmd->failed_calls++;
    server.stat_numcommands++;
    c->lastcmd = cmd;
    if (!(cmd->flags & CMD_SKIP_SLOWLOG)) slowlog_push(c, c->argc, c->argv, duration);
    latency_add_sample_if_needed((cmd->flags & CMD_FAST) ? "fast-command" : "command", duration / 1000);
}

/* Reply a rejection. Inside MULTI it marks the transaction, except that rejecting EXEC
 * itself discards the transaction with "EXECABORT ... because of: <error>" (Redis). */
static void reject(client *c, command *cmd, const char *msg) {
    if (cmd) cmd->rejected_calls++;
    if ((c->flags & CLIENT_MULTI) && cmd && !strcmp(cmd->fullname, "exec")) {
        const char *text = strncmp(msg, "ERR ", 4) == 0 ? msg + 4 : msg;
        multi_reset_client(c);
        reply_errorf(c, "EXECABORT Transaction discarded because of: %s", text);
        return;
    }
    if (c->flags & CLIENT_MULTI) multi_flag_error(c);
    reply_error(c, msg);
}

/* Returns 1 when the command was postponed by CLIENT PAUSE (not executed). */
int process_command_or_postpone(client *c) {
    server_update_time();
    command *cmd = command_lookup(c->argc, c->argv);
    if (!cmd) {
        command *parent = command_lookup_name(c->argv[0].ptr, c->argv[0].len);
        if (c->flags & CLIENT_MULTI) multi_flag_error(c);
        if (parent && parent->subcommands && c->argc >= 2) reply_error_subcommand(c);
        else reject_unknown(c);
        return 0;
    }
    c->cmd = cmd;
    if (!arity_ok(cmd, c->argc) || !cmd->proc) {
        char msg[128];
        snprintf(msg, sizeof(msg), "ERR wrong number of arguments for '%s' command", cmd->fullname);
        reject(c, cmd, msg);
        return 0;
    }
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH)) {
        reject(c, cmd, "NOAUTH Authentication required.");
        return 0;
    }
    int is_write = (cmd->flags & CMD_WRITE) != 0;
    int from_primary = (c->flags & CLIENT_PRIMARY) != 0;
    if (is_write && !from_primary && !replica_is_replica() && repl_not_enough_good_replicas()) {
        reject(c, cmd, "NOREPLICAS Not enough good replicas to write.");
        return 0;
    }
    if (is_write && !from_primary && replica_is_replica() && server.cfg.replica_read_only) {
        reject(c, cmd, "READONLY You can't write against a read only replica.");
        return 0;
    }
    if (!pubsub_command_allowed(c, cmd)) {
        cmd->rejected_calls++;
        return 0;
    }
    if (replica_is_replica() && !replica_link_up() && !server.cfg.replica_serve_stale_data &&
        !from_primary && !(cmd->flags & CMD_STALE)) {
        reject(c, cmd, "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
        return 0;
    }
    if ((c->flags & CLIENT_MULTI) && multi_maybe_queue(c, cmd)) return 0;
    if ((cmd->flags & CMD_DENYOOM) && !from_primary && perform_evictions() < 0) {
        reject(c, cmd, "OOM command not allowed when used memory > 'maxmemory'.");
        return 0;
    }
    if (!from_primary && client_is_paused_for(c, cmd)) {
        client_postpone(c);
        return 1;
    }
    call_command(c, cmd);
    /* Like Redis, monitors see a command after it ran (a monitor's own RESET is not shown). */
    if (server.nmonitors && !(cmd->flags & (CMD_SKIP_MONITOR | CMD_ADMIN)))
        monitor_feed(c, c->argc, c->argv);
    /* Pushes made by this command may serve clients blocked on those keys. */
    blocking_serve_ready();
    return 0;
}


/* ---------------------------------------------------------------- loop hooks */

static void on_block_timer(uv_timer_t *t) {
    (void)t;   /* the work happens in before_sleep, which runs right after timers */
}

static void arm_block_timer(void) {
    server_update_time();
    long long next = blocking_handle_timeouts(server_now_ms());
    if (next) {
        long long wait = next - server_now_ms();
        uv_timer_start(&server.block_timer, on_block_timer, (uint64_t)(wait > 0 ? wait : 0), 0);
    } else {
        uv_timer_stop(&server.block_timer);
    }
}

static void before_sleep(uv_prepare_t *h) {
    (void)h;
    if (blocking_count()) arm_block_timer();
    flush_pending_writes();
    clients_close_pending();
    if (server.shutdown_asap && !server.shutting_down) {
        server.shutting_down = 1;
        uv_stop(server.loop);
    }
}

void server_cron_run(void) {
    long long now = mstime();
    server_update_time();
    server.cronloops++;
    int p = server.cfg.maxmemory_policy;
    server.ks.lfu = p == MAXMEMORY_ALLKEYS_LFU || p == MAXMEMORY_VOLATILE_LFU;
    server.ks.lfu_log_factor = server.cfg.lfu_log_factor;
    server.ks.lfu_decay_time = server.cfg.lfu_decay_time;
    obj_set_lfu_mode(server.ks.lfu);
    track_instantaneous(now);
    info_memory_sample();
    if (server.active_expire_enabled && !server.ks.replica_mode) {
        long long limit_us = 1000000LL * 25 / server.cfg.hz / 100;
        ks_active_expire_cycle(&server.ks, limit_us);
    }
    if (server.cfg.activerehashing) ks_incremental_rehash(&server.ks, 1000);
    if (server.cronloops % (uint64_t)server.cfg.hz == 0) {
        ks_shrink_tables(&server.ks);
        clients_cron(now);
        repl_cron();
        replica_cron();
    }
    repl_check_child();
}

static void on_cron(uv_timer_t *t) {
    (void)t;
    server_cron_run();
    uint64_t period = (uint64_t)(1000 / server.cfg.hz);
    if (period == 0) period = 1;
    if (uv_timer_get_repeat(&server.cron) != period) uv_timer_set_repeat(&server.cron, period);
}

static void on_signal(uv_signal_t *s, int signum) {
    (void)s;
    kl_log(LL_WARNING, "Received %s scheduling shutdown...", signum == SIGINT ? "SIGINT" : "SIGTERM");
    server_request_shutdown(0);
}

void server_request_shutdown(int exit_code) {
    server.exit_code = exit_code;
    server.shutdown_asap = 1;
    uv_stop(server.loop);
}

/* ---------------------------------------------------------------- start and stop */

static void adjust_open_files_limit(void) {
    struct rlimit rl;
    rlim_t want = (rlim_t)server.cfg.maxclients + 32;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want) return;
    rlim_t target = want < rl.rlim_max ? want : rl.rlim_max;
    rl.rlim_cur = target;
    if (setrlimit(RLIMIT_NOFILE, &rl) == 0 && target < want) {
        long long reduced = (long long)target - 32;
        kl_log(LL_WARNING, "You requested maxclients of %lld requiring at least %llu max file "
               "descriptors. Server can't set maximum open files to %llu; maxclients is now %lld.",
               server.cfg.maxclients, (unsigned long long)want, (unsigned long long)want, reduced);
        server.cfg.maxclients = reduced > 1 ? reduced : 1;
    }
}

int server_init(void) {
    uint8_t seed[16];
    random_bytes(seed, sizeof(seed));
    dict_set_hash_seed(seed);
    random_hex(server.runid, 40);
    server.runid[40] = '\0';
    server.loop = uv_default_loop();
    server.start_ms = server.stat_reset_time = mstime();
    server.active_expire_enabled = 1;
    server.notify_flags = server.cfg.notify_keyspace_events
                              ? notify_flags_from_string(server.cfg.notify_keyspace_events)
                              : 0;
    if (server.notify_flags < 0) server.notify_flags = 0;
    ks_init(&server.ks, (int)server.cfg.databases);
    server.ks.active_expire_effort = (int)server.cfg.active_expire_effort;
    server.ks.hooks.expired = on_key_expired;
    server.ks.hooks.added = on_key_added;
    server.ks.hooks.missed = on_key_missed;
    command_table_init();
    pubsub_init();
    blocking_init();
    multi_init();
    t_hash_init();
    t_list_init();
    t_set_init();
    t_zset_init();
    t_bitops_init();
    t_hll_init();
    repl_init();
    replica_init();
    info_memory_sample();
    ssize_t n = readlink("/proc/self/exe", server.executable, sizeof(server.executable) - 1);
    server.executable[n > 0 ? n : 0] = '\0';
    adjust_open_files_limit();
    signal(SIGPIPE, SIG_IGN);

    const char *err = NULL;
    if (server_listen(&err) < 0) {
        kl_log(LL_WARNING, "%s", err);
        return -1;
    }
    uv_prepare_init(server.loop, &server.before_sleep);
    uv_prepare_start(&server.before_sleep, before_sleep);
    uv_timer_init(server.loop, &server.cron);
    uint64_t period = (uint64_t)(1000 / server.cfg.hz);
    uv_timer_start(&server.cron, on_cron, period ? period : 1, period ? period : 1);
    uv_timer_init(server.loop, &server.pause_timer);
    uv_timer_init(server.loop, &server.block_timer);
    uv_signal_init(server.loop, &server.sigterm);
    uv_signal_start(&server.sigterm, on_signal, SIGTERM);
    uv_signal_init(server.loop, &server.sigint);
    uv_signal_start(&server.sigint, on_signal, SIGINT);
    return 0;
}

static void write_pidfile(void) {
    if (!server.cfg.pidfile || !*server.cfg.pidfile) return;
    FILE *f = fopen(server.cfg.pidfile, "w");
    if (!f) {
        kl_log(LL_WARNING, "Failed to write PID file: %s", strerror(errno));
        return;
    }
    fprintf(f, "%d\n", (int)getpid());
    fclose(f);
}

static void close_walk(uv_handle_t *h, void *arg) {
    (void)arg;
    if (!uv_is_closing(h)) uv_close(h, NULL);
}

int server_run(void) {
    write_pidfile();
    kl_log(LL_NOTICE, "Ready to accept connections tcp");
    while (!server.shutdown_asap) {
        uv_run(server.loop, UV_RUN_DEFAULT);
    }
    kl_log(LL_WARNING, "User requested shutdown...");
    /* Send what clients are owed, then close everything and let libuv finish. */
    flush_pending_writes();
    clients_close_all();
    server_close_listeners();
    uv_close((uv_handle_t *)&server.before_sleep, NULL);
    uv_close((uv_handle_t *)&server.cron, NULL);
    uv_close((uv_handle_t *)&server.pause_timer, NULL);
    uv_close((uv_handle_t *)&server.block_timer, NULL);
    uv_close((uv_handle_t *)&server.sigterm, NULL);
    uv_close((uv_handle_t *)&server.sigint, NULL);
    uv_run(server.loop, UV_RUN_DEFAULT);
    uv_walk(server.loop, close_walk, NULL);
    uv_run(server.loop, UV_RUN_DEFAULT);
    uv_loop_close(server.loop);
    if (server.cfg.pidfile && *server.cfg.pidfile) unlink(server.cfg.pidfile);
    kl_log(LL_WARNING, "Keel is now ready to exit, bye bye...");
    return server.exit_code;
}

void server_free(void) {
    replica_free();
    repl_free();
    blocking_free();
    multi_free();
    pubsub_free();
    slowlog_free_all();
    latency_free_all();
    if (server.errorstats) dict_free(server.errorstats);
    kl_free(server.monitor_list);
    ks_free(&server.ks);
    cfg_free(server_config_table());
}
