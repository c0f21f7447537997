/* config.h -- keel-server's parameters: the storage behind the typed table in config.c
 * (Redis's names, defaults and bounds) and the CONFIG command.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_SERVER_CONFIG_H
#define KEEL_SERVER_CONFIG_H

#include "common/config.h"

enum { OBUF_NORMAL = 0, OBUF_REPLICA = 1, OBUF_PUBSUB = 2, OBUF_CLASSES = 3 };

typedef struct obuf_limit {
    long long hard;          /* bytes, 0 = none */
    long long soft;          /* bytes, 0 = none */
    long long soft_seconds;
} obuf_limit;

enum {
    MAXMEMORY_VOLATILE_LRU, MAXMEMORY_VOLATILE_LFU, MAXMEMORY_VOLATILE_RANDOM,
    MAXMEMORY_VOLATILE_TTL, MAXMEMORY_ALLKEYS_LRU, MAXMEMORY_ALLKEYS_LFU,
    MAXMEMORY_ALLKEYS_RANDOM, MAXMEMORY_NO_EVICTION
};

enum { REPL_DISKLESS_LOAD_DISABLED = 0, REPL_DISKLESS_LOAD_ON_EMPTY_DB = 1,
       REPL_DISKLESS_LOAD_SWAPDB = 2 };

typedef struct server_config {
    /* networking */
    char *bind;                      /* "127.0.0.1 -::1": space separated, '-' = optional */
    long long port;
    long long tcp_backlog;
    long long tcp_keepalive;         /* seconds, 0 = off */
    long long timeout;               /* idle client timeout, seconds, 0 = never */
    long long maxclients;
    int protected_mode;
    /* protocol limits */
    long long proto_max_bulk_len;
    long long client_query_buffer_limit;
    obuf_limit obuf_limits[OBUF_CLASSES];
    /* general */
    long long databases;
    long long hz;
    int dynamic_hz;
    int daemonize;
    char *pidfile;
    char *dir;
    int loglevel;
    char *logfile;
    int activerehashing;
    long long active_expire_effort;  /* 1..10 */
    /* memory */
    long long maxmemory;
    int maxmemory_policy;
    long long maxmemory_samples;
    long long lfu_log_factor;
    long long lfu_decay_time;
    /* security */
    char *requirepass;               /* NULL = none */
    /* diagnostics */
    long long slowlog_log_slower_than;   /* microseconds, <0 disables, 0 logs all */
    long long slowlog_max_len;
    long long latency_monitor_threshold; /* milliseconds, 0 = off */
    /* persistence (accepted for compatibility; snapshots arrive with a later issue) */
    char *save;
    int appendonly;
    char *dbfilename;
    char *appendfilename;
    char *appenddirname;
    /* replication */
    char *replicaof;                 /* "host port" from the file/command line, NULL if none */
    char *masterauth;
    char *masteruser;
    int replica_read_only;
    int replica_serve_stale_data;
    int replica_announced;
    char *replica_announce_ip;
    long long replica_announce_port;
    long long replica_priority;
    long long repl_backlog_size;
    long long repl_backlog_ttl;
    int repl_diskless_sync;
    long long repl_diskless_sync_delay;
    long long repl_diskless_sync_max_replicas;
    int repl_diskless_load;              /* REPL_DISKLESS_LOAD_* */
    int repl_disable_tcp_nodelay;
    long long repl_timeout;
    long long repl_ping_replica_period;
    long long min_replicas_to_write;
    long long min_replicas_max_lag;
    /* compact encodings of small collections (thresholds as in Redis 7.0) */
    long long hash_max_listpack_entries;
    long long hash_max_listpack_value;
    long long list_max_listpack_size;    /* > 0 entries per node, < 0 -1..-5 = 4..64 KiB */
    long long list_compress_depth;       /* accepted; nodes are not compressed */
    long long set_max_intset_entries;
    long long zset_max_listpack_entries;
    long long zset_max_listpack_value;
    long long hll_sparse_max_bytes;
    /* accepted, no effect yet */
    long long io_threads;
    char *notify_keyspace_events;
} server_config;

/* The table; storage points into server.cfg. */
cfg_table *server_config_table(void);
/* Defaults, then file (argv[1] when it does not start with "--"), then --name value.
 * On error prints "*** FATAL CONFIG ERROR *** <message>" to stderr and returns -1. */
int server_config_load(int argc, char **argv);

struct client;
void cmd_config(struct client *c);

#endif
