/* server.h -- keel-server's shared state: the server, clients, the command table and the
 * reply API every command file uses.
 *
 * One libuv loop on one thread owns everything here. Commands are plain functions
 * `void cmd_x(client *c)` that read c->argv and answer with reply_* calls; they never
 * return errors upward. The dispatcher (server.c: call_command) alone produces the
 * unknown-command and arity errors.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_SERVER_H
#define KEEL_SERVER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "common/db.h"
#include "common/dict.h"
#include "common/dstr.h"
#include "common/log.h"
#include "common/object.h"
#include "proto/resp_parser.h"
#include "server/config.h"

/* ------------------------------------------------------------------ commands */

#define CMD_WRITE        (1ULL << 0)
#define CMD_READONLY     (1ULL << 1)
#define CMD_DENYOOM      (1ULL << 2)
#define CMD_MODULE       (1ULL << 3)
#define CMD_ADMIN        (1ULL << 4)
#define CMD_PUBSUB       (1ULL << 5)
#define CMD_NOSCRIPT     (1ULL << 6)
#define CMD_BLOCKING     (1ULL << 8)
#define CMD_LOADING      (1ULL << 9)
#define CMD_STALE        (1ULL << 10)
#define CMD_SKIP_MONITOR (1ULL << 11)
#define CMD_SKIP_SLOWLOG (1ULL << 12)
#define CMD_ASKING       (1ULL << 13)
#define CMD_FAST         (1ULL << 14)
#define CMD_NO_AUTH      (1ULL << 15)
#define CMD_MAY_REPLICATE (1ULL << 16)
#define CMD_SENTINEL     (1ULL << 17)
#define CMD_ONLY_SENTINEL (1ULL << 18)
#define CMD_NO_MANDATORY_KEYS (1ULL << 19)
#define CMD_PROTECTED    (1ULL << 20)
#define CMD_NO_ASYNC_LOADING (1ULL << 23)
#define CMD_NO_MULTI     (1ULL << 24)
#define CMD_MOVABLE_KEYS (1ULL << 25)
#define CMD_ALLOW_BUSY   (1ULL << 26)

#define ACL_KEYSPACE   (1ULL << 0)
#define ACL_READ       (1ULL << 1)
#define ACL_WRITE      (1ULL << 2)
#define ACL_SET        (1ULL << 3)
#define ACL_SORTEDSET  (1ULL << 4)
#define ACL_LIST       (1ULL << 5)
#define ACL_HASH       (1ULL << 6)
#define ACL_STRING     (1ULL << 7)
#define ACL_BITMAP     (1ULL << 8)
#define ACL_HYPERLOGLOG (1ULL << 9)
#define ACL_GEO        (1ULL << 10)
#define ACL_STREAM     (1ULL << 11)
#define ACL_PUBSUB     (1ULL << 12)
#define ACL_ADMIN      (1ULL << 13)
#define ACL_FAST       (1ULL << 14)
#define ACL_SLOW       (1ULL << 15)
#define ACL_BLOCKING   (1ULL << 16)
#define ACL_DANGEROUS  (1ULL << 17)
#define ACL_CONNECTION (1ULL << 18)
#define ACL_TRANSACTION (1ULL << 19)
#define ACL_SCRIPTING  (1ULL << 20)

typedef struct client client;
typedef void cmd_proc(client *c);
/* For commands whose keys cannot be described by first/last/step (movable keys):
 * store the argv indexes of keys in out (at most max), return how many. */
typedef int cmd_getkeys_proc(int argc, resp_arg *argv, int *out, int max);

typedef struct command {
    /* declared */
    const char *name;           /* lower case; for subcommands just the subcommand */
    cmd_proc *proc;
    int arity;                  /* negative: at least -arity */
    uint64_t flags;             /* CMD_* */
    uint64_t acl;               /* ACL_* (ACL_FAST/ACL_SLOW derived when absent) */
    int firstkey, lastkey, keystep;   /* lastkey -1 = last argument, -2 = one before */
    const char *group;          /* "string", "generic", "connection", "server", ... */
    const char *since;          /* "1.0.0" */
    const char *summary;
    const char *complexity;
    const char **tips;          /* NULL terminated, e.g. "nondeterministic_output" */
    cmd_getkeys_proc *getkeys;
    struct command *subcommands;  /* array terminated by an entry with name NULL */
    /* runtime (filled by command_table_init / call_command) */
    struct command *parent;
    char fullname[64];          /* "config|get" */
    long long calls, usec, rejected_calls, failed_calls;
    int id;
} command;

/* Each command group file exports a table terminated by {.name = NULL}. */
extern command conn_commands[];
extern command keys_commands[];
extern command string_commands[];
extern command pubsub_commands[];
extern command admin_commands[];
extern command config_commands[];   /* server/config.c */
extern command hash_commands[];     /* server/t_hash.c */
extern command list_commands[];     /* server/t_list.c */
extern command set_commands[];      /* server/t_set.c */
extern command zset_commands[];     /* server/t_zset.c */
extern command bitops_commands[];   /* server/t_bitops.c */
extern command hll_commands[];      /* server/t_hll.c */
extern command multi_commands[];    /* server/multi.c */
/* Per-type start-up (registers object ops for free/dup/usage). */
void t_hash_init(void);
void t_list_init(void);
void t_set_init(void);
void t_zset_init(void);
void t_bitops_init(void);
void t_hll_init(void);

void command_table_init(void);
/* Lookup by name (and subcommand when argc >= 2 and the command has subcommands).
 * *container is set to the parent when a subcommand matched. NULL if unknown. */
command *command_lookup(int argc, resp_arg *argv);
command *command_lookup_name(const char *name, size_t len);   /* top level only */
/* Iterate all top-level commands. */
typedef void command_visit_fn(command *cmd, void *priv);
void command_foreach(command_visit_fn *fn, void *priv);
size_t command_count(void);
/* Key positions of argv according to the command (first/last/step or getkeys).
 * Returns count (may be 0). */
int command_get_keys(const command *cmd, int argc, resp_arg *argv, int *out, int max);

/* ------------------------------------------------------------------ clients */

#define CLIENT_CLOSE_ASAP     (1ULL << 0)   /* close after this iteration, no more replies */
#define CLIENT_CLOSE_AFTER_REPLY (1ULL << 1) /* flush pending replies then close (QUIT) */
#define CLIENT_PUBSUB         (1ULL << 2)   /* has subscriptions (RESP2 subscribed mode) */
#define CLIENT_MONITOR        (1ULL << 3)
#define CLIENT_PENDING_WRITE  (1ULL << 4)
#define CLIENT_NO_EVICT       (1ULL << 5)
#define CLIENT_REPLICA        (1ULL << 7)
#define CLIENT_PRIMARY        (1ULL << 8)
#define CLIENT_BLOCKED        (1ULL << 9)
#define CLIENT_MULTI          (1ULL << 10)
#define CLIENT_REPLY_OFF      (1ULL << 11)
#define CLIENT_PAUSED         (1ULL << 12)   /* input processing postponed by CLIENT PAUSE */
#define CLIENT_FAKE           (1ULL << 13)   /* no socket (unit tests, AOF later) */
#define CLIENT_READING_PAUSED (1ULL << 14)   /* uv_read_stop done */

typedef struct reply_block {
    struct reply_block *next;
    size_t size, used;
    int inflight;               /* referenced by a uv_write in progress */
    char buf[];
} reply_block;

struct client {
    uv_tcp_t tcp;               /* embedded; tcp.data == this client */
    uint64_t id;
    uint64_t flags;             /* CLIENT_* */
    char addr[64];              /* "ip:port" of the peer */
    char laddr[64];
    int fd;
    dstr name;                  /* CLIENT SETNAME, NULL if none */
    dstr lib_name, lib_ver;     /* CLIENT SETINFO */
    int resp;                   /* 2 or 3 */
    int authenticated;
    db *db;
    /* input */
    dstr querybuf;
    size_t qb_pos;              /* start of the unparsed request in querybuf */
    size_t qb_peak;
    resp_parser parser;
    int argc;
    resp_arg *argv;             /* current command, slices into querybuf */
    command *cmd, *lastcmd;
    /* output */
    reply_block *reply_head, *reply_tail;
    size_t reply_sent;          /* bytes of reply_head already written */
    size_t reply_bytes;         /* bytes queued and not yet written */
    uv_write_t write_req;       /* the one uv_write in flight, if write_inflight */
    int write_inflight;
    size_t inflight_bytes;      /* bytes handed to uv_write, not yet completed */
    long long obuf_soft_since;  /* ms when the soft limit was first exceeded, 0 = not */
    long long tot_net_out;
    /* timing */
    long long ctime;            /* ms */
    long long last_interaction; /* ms */
    /* pub/sub */
    dict *pubsub_channels;      /* channel -> NULL */
    dict *pubsub_patterns;      /* pattern -> NULL */
    /* lists */
    struct client *next_pending, *prev_pending;   /* pending-write list */
    struct client *next, *prev;                    /* all clients */
    struct client *next_close;                     /* close-asap list */
    int in_pending;
    int in_close_list;
    /* pause */
    struct client *next_paused;
    int paused_listed;
    /* blocking and transactions (owned by blocking.c and multi.c; NULL when unused) */
    struct blocking_state *bstate;
    struct multi_state *mstate;
    /* replication: the propagated form of the running command (propagate_rewrite) */
    struct prop_list *prop;
    int prop_none;
    long long woff;             /* replication offset after this client's last write (WAIT) */
    /* replication: replica bookkeeping when CLIENT_REPLICA (owned by replication.c) */
    struct replica_info *replica;
    /* misc */
    int closing;
};

/* ------------------------------------------------------------------ server */

typedef struct slowlog_entry {
    long long id, time, duration;  /* time: unix s; duration: us */
    int argc;                      /* as stored (at most 32, last says how many more) */
    dstr *argv;
    dstr peer, cname;
    struct slowlog_entry *next, *prev;
} slowlog_entry;

typedef struct latency_sample {
    int32_t time;                  /* unix seconds */
    uint32_t latency;              /* ms */
} latency_sample;

#define LATENCY_TS_LEN 160
typedef struct latency_series {
    char event[64];
    int idx;
    uint32_t max;
    latency_sample samples[LATENCY_TS_LEN];
} latency_series;

typedef struct server {
    server_config cfg;
    uv_loop_t *loop;
    uv_tcp_t *listeners;
    int nlisteners;
    uv_prepare_t before_sleep;
    uv_timer_t cron;
    uv_signal_t sigterm, sigint;

    keyspace ks;
    char runid[41];
    char executable[4096];
    char *config_file;            /* absolute path, NULL if none */
    long long start_ms;
    uint64_t cronloops;
    int shutdown_asap;
    int shutting_down;
    int exit_code;

    /* clients */
    client *clients;              /* doubly linked list of all clients */
    size_t nclients;
    client *pending_writes;       /* clients with replies to flush */
    client *close_list;           /* clients to close after this iteration */
    client *current_client;
    uint64_t next_client_id;
    client **monitor_list;
    size_t nmonitors;

    /* pub/sub */
    dict *pubsub_channels;        /* channel -> (client **array, count) */
    dict *pubsub_patterns;        /* pattern -> same */

    /* pause */
    int pause_type;               /* 0 none, 1 WRITE, 2 ALL */
    long long pause_end_ms;
    uv_timer_t pause_timer;
    uv_timer_t block_timer;       /* next blocked-client deadline */

    /* stats */
    long long stat_numcommands;
    long long stat_numconnections;
    long long stat_rejected_conn;
    long long stat_net_input_bytes;
    long long stat_net_output_bytes;
    long long stat_evictedkeys;
    long long stat_total_error_replies;
    long long stat_unexpected_error_replies;
    long long stat_client_qbuf_limit_disconnections;
    long long stat_client_outbuf_limit_disconnections;
    long long stat_io_reads, stat_io_writes;
    long long stat_pubsub_messages;
    long long stat_reset_time;
    dict *errorstats;             /* "ERR" -> count (v.s64) */
    /* instantaneous metrics: samples per second */
    struct {
        long long last_ms, last_cmds, last_in, last_out;
        long long ops[16], in[16], out[16];
        int idx;
    } inst;

    /* slowlog, latency */
    slowlog_entry *slowlog_head, *slowlog_tail;
    long long slowlog_len, slowlog_next_id;
    dict *latency_events;          /* event -> latency_series * */

    /* debug */
    int active_expire_enabled;
    /* changes since start (Redis server.dirty): commands add the number of changes */
    long long dirty;
    int notify_flags;              /* parsed notify-keyspace-events */
} server_t;

extern server_t server;

/* ------------------------------------------------------------------ core (server.c) */

/* Cached time for the command being run (deterministic within a command). */
static inline long long server_now_ms(void) { return server.ks.now_ms; }
void server_update_time(void);
/* Run the command in c->argv (lookup, checks, call, stats, slowlog, monitor feed).
 * Returns 1 when CLIENT PAUSE postponed it (not executed; run it again later). */
int process_command_or_postpone(client *c);
/* Parse and run what is buffered in c's query buffer (after the client was unblocked). */
void process_input(client *c);
/* Run cmd->proc with stats, slowlog and latency accounting. */
void call_command(client *c, command *cmd);
/* Stop the server gracefully at the next loop iteration (SHUTDOWN, SIGTERM). */
void server_request_shutdown(int exit_code);
/* Re-bind listeners after CONFIG SET port/bind. 0 ok, -1 (old listeners kept). */
int server_rebind(const char **err);
/* Count an error reply in errorstats (called by reply_error*). */
void server_count_error(const char *errcode, size_t len);
/* CONFIG RESETSTAT: zero stats, errorstats, commandstats, slowlog is kept. */
void server_reset_stats(void);
/* Record latency event if over latency-monitor-threshold. */
void latency_add_sample_if_needed(const char *event, long long ms);
/* Active expiry and other periodic work; at hz. */
void server_cron_run(void);

/* ------------------------------------------------------------------ clients (client.c) */

client *client_new_fake(void);
/* A client for a connection we open (replica -> primary link): linked in the client list,
 * its tcp handle initialised (tcp.data = c) but not connected. Free with client_close_async. */
client *client_new_outgoing(void);
/* Hand the socket to the normal request path (on_alloc/on_read): commands arriving on it
 * are parsed and run like any client's. */
void client_start_reading(client *c);
void client_free_fake(client *c);
/* Close after this loop iteration (freeClientAsync): no more replies are sent. */
void client_close_async(client *c);
/* Send what is queued, then close (QUIT). */
void client_close_after_reply(client *c);
/* "id=.. addr=.. laddr=.. fd=.. name=.. age=.. idle=.. flags=.. db=.. sub=.. psub=.. ..."
 * one line without trailing newline. */
dstr client_info_string(dstr s, client *c);
client *client_by_id(uint64_t id);
/* Return a client to the state of a new connection (RESET). */
void client_reset_state(client *c);
/* Switch database; returns 0 or -1 if out of range. */
int client_select_db(client *c, long long id);
/* Feed a command to MONITOR clients. */
void monitor_feed(client *c, int argc, resp_arg *argv);
/* Take a closed MONITOR client off the list (clears CLIENT_MONITOR). */
void monitor_remove(client *c);
/* Track peak memory; the first call records the start-up figure (cmd_admin.c). */
void info_memory_sample(void);
int client_obuf_class(const client *c);
/* Start listening. 0 or -1. */
int server_listen(const char **err);
void clients_pause(int type, long long end_ms);
void clients_unpause(void);
/* Whether a client's commands must wait because of CLIENT PAUSE. */
int client_is_paused_for(client *c, command *cmd);

/* ------------------------------------------------------------------ replies (reply.c) */

void reply_raw(client *c, const void *p, size_t len);
void reply_simple(client *c, const char *s);           /* "+s\r\n" */
void reply_ok(client *c);
/* msg starts with the error code, without '-': "ERR syntax error", "WRONGTYPE ...". A
 * message without a code gets "ERR " prepended. Newlines are replaced by spaces. */
void reply_error(client *c, const char *msg);
void reply_errorf(client *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void reply_error_arity(client *c);                     /* for the current command */
void reply_error_syntax(client *c);                    /* "ERR syntax error" */
void reply_error_wrongtype(client *c);
void reply_error_not_int(client *c);     /* "ERR value is not an integer or out of range" */
void reply_error_not_float(client *c);   /* "ERR value is not a valid float" */
void reply_error_subcommand(client *c);  /* "ERR unknown subcommand '%s'. Try X HELP." */
void reply_bulk(client *c, const void *p, size_t len);
void reply_bulk_cstr(client *c, const char *s);       /* NULL -> null */
void reply_bulk_ll(client *c, long long v);
void reply_bulk_obj(client *c, const obj *o);         /* a string object as bulk */
void reply_null(client *c);          /* RESP2 "$-1", RESP3 "_" */
void reply_null_array(client *c);    /* RESP2 "*-1", RESP3 "_" */
void reply_long_long(client *c, long long v);
void reply_double(client *c, double d);   /* RESP2 bulk text, RESP3 ',' */
void reply_bool(client *c, int b);        /* RESP2 :1/:0, RESP3 #t/#f */
void reply_bignum(client *c, const char *s, size_t len);   /* RESP2 bulk, RESP3 '(' */
void reply_verbatim(client *c, const char *s, size_t len, const char *fmt); /* "txt" */
void reply_array_len(client *c, long long n);
void reply_map_len(client *c, long long n);   /* RESP2: array of 2n */
void reply_set_len(client *c, long long n);   /* RESP2: array */
void reply_push_len(client *c, long long n);  /* RESP2: array */
void reply_empty_array(client *c);
/* Deferred aggregate length: reply_deferred() returns a handle, then fill elements,
 * then set the length with the matching kind. */
void *reply_deferred(client *c);
void reply_set_deferred_array(client *c, void *handle, long long n);
void reply_set_deferred_map(client *c, void *handle, long long n);
void reply_set_deferred_set(client *c, void *handle, long long n);
/* Help text as Redis: array of status lines, first "<CMD> <subcommand> [<arg> ...]...". */
void reply_help(client *c, const char *const *lines);
/* Queue the client for writing at the end of this loop iteration. */
void client_install_write(client *c);
/* Flush all pending writes (called before the loop sleeps). */
void flush_pending_writes(void);
/* Check output buffer limits; closes the client asynchronously when exceeded. Returns 1
 * if the client is being closed. */
int client_check_obuf_limits(client *c);
/* Free all reply blocks. */
void client_free_replies(client *c);

/* ------------------------------------------------------------------ helpers (util in server) */

/* Argument parsing helpers that reply the Redis error themselves and return -1. */
int arg_to_ll(client *c, const resp_arg *a, long long *out);   /* not-int error */
int arg_to_ll_range(client *c, const resp_arg *a, long long min, long long max,
                    long long *out, const char *msg);   /* msg NULL -> not-int error */
int arg_to_double(client *c, const resp_arg *a, double *out);  /* not-float error */
int arg_to_ld(client *c, const resp_arg *a, long double *out);
int arg_is(const resp_arg *a, const char *lower);              /* case-insensitive */
/* SCAN-family cursor, parsed as Redis does (strtoul: "" is 0, a leading '-' wraps, a
 * leading space or trailing junk is "ERR invalid cursor"). */
int arg_to_scan_cursor(client *c, const resp_arg *a, unsigned long *out);
/* Timeouts for blocking/wait commands (seconds, may be fractional). */
int arg_to_timeout_ms(client *c, const resp_arg *a, int unit_seconds, long long *out);

/* Keyspace notification classes (notify-keyspace-events letters). */
#define NOTIFY_KEYSPACE (1 << 0)   /* K */
#define NOTIFY_KEYEVENT (1 << 1)   /* E */
#define NOTIFY_GENERIC  (1 << 2)   /* g */
#define NOTIFY_STRING   (1 << 3)   /* $ */
#define NOTIFY_LIST     (1 << 4)   /* l */
#define NOTIFY_SET      (1 << 5)   /* s */
#define NOTIFY_HASH     (1 << 6)   /* h */
#define NOTIFY_ZSET     (1 << 7)   /* z */
#define NOTIFY_EXPIRED  (1 << 8)   /* x */
#define NOTIFY_EVICTED  (1 << 9)   /* e */
#define NOTIFY_STREAM   (1 << 10)  /* t */
#define NOTIFY_KEY_MISS (1 << 11)  /* m (excluded from A) */
#define NOTIFY_LOADED   (1 << 12)
#define NOTIFY_MODULE   (1 << 13)
#define NOTIFY_NEW      (1 << 14)  /* n (excluded from A) */
#define NOTIFY_ALL (NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH | \
                    NOTIFY_ZSET | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE)
/* "KEA" <-> flags (pubsub.c). -1 on an invalid letter. */
int notify_flags_from_string(const char *s);
dstr notify_flags_to_string(int flags);

/* Keyspace wrappers with notifications/hooks. */
void server_key_modified(client *c, db *d, const char *key, size_t len);
/* Every key of d may have changed (FLUSHDB, FLUSHALL, SWAPDB). */
void server_db_touched(db *d);
void server_notify(int type, const char *event, const char *key, size_t len, int dbid);
/* Send one command to the replication stream now (lazy-expiry/eviction DELs, PUBLISH).
 * Inside EXEC the first propagated command is preceded by MULTI and EXEC follows. */
void server_propagate(int dbid, int argc, resp_arg *argv);
/* The dispatcher propagates c->argv after a write command that changed data (server.dirty
 * grew). A command whose effect must be described differently (relative expiry, random
 * or blocking commands, float increments) calls propagate_rewrite(): the first call
 * replaces the command, later calls add more commands after it, all in c->db. It copies
 * argv. propagate_none(c) propagates nothing for this call. */
void propagate_rewrite(client *c, int argc, const resp_arg *argv);
void propagate_none(client *c);

/* pubsub.c */
void pubsub_init(void);
void pubsub_free(void);
/* RESP2 subscribed mode: 0 (after replying the error) when cmd is not allowed. */
int pubsub_command_allowed(client *c, command *cmd);
long long pubsub_publish(const char *ch, size_t chlen, const char *msg, size_t msglen);
void pubsub_unsubscribe_all(client *c, int notify);
size_t pubsub_client_count(client *c);
size_t pubsub_total_channels(void);
size_t pubsub_total_patterns(void);

/* admin: slowlog/latency/info */
void slowlog_push(client *c, int argc, resp_arg *argv, long long duration_us);
void slowlog_free_all(void);
void latency_free_all(void);
dstr info_generate(dstr s, const char *section_args[], int nsec);

#endif
