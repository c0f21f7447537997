/* replication.h -- primary and replica sides of Redis's replication protocol (PSYNC2).
 *
 * One replication stream per node: every write, in its final deterministic form, is
 * appended (as RESP multibulk, with SELECT when the database changes) to the backlog and
 * to every replica's output. Offsets count every byte of that stream. A replica applies the
 * stream from its primary through a client flagged CLIENT_PRIMARY and feeds the same bytes
 * into its own backlog, so that after a promotion its offsets continue those of the old
 * primary (replid2 / second_repl_offset, partial resync with +CONTINUE).
 *
 * Split: replication.c is the primary side (backlog, feed, SYNC/PSYNC/REPLCONF, full sync
 * through a forked child that streams an RDB, WAIT, min-replicas, INFO/ROLE fields);
 * replica.c is the replica side (REPLICAOF, connect, handshake, RDB transfer and load,
 * stream application, ACKs, reconnection, promotion).
 * Loop thread only; the forked child touches nothing but the keyspace copy and its pipe.
 * Wire reference: ../shared/reference/sentinel-protocol.md section 5.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_REPLICATION_H
#define KEEL_REPLICATION_H

#include "server/server.h"

/* Replica link states (replica side), as ROLE prints them. */
enum {
    REPL_STATE_NONE = 0,     /* not a replica */
    REPL_STATE_CONNECT,      /* must connect ("connect") */
    REPL_STATE_CONNECTING,   /* TCP connect in progress ("connecting") */
    REPL_STATE_HANDSHAKE,    /* PING/AUTH/REPLCONF/PSYNC exchange ("handshake") */
    REPL_STATE_TRANSFER,     /* receiving the RDB ("sync") */
    REPL_STATE_CONNECTED,    /* streaming ("connected") */
};

/* States of a replica as seen by its primary (INFO slaveN:state=). */
enum {
    REPLICA_WAIT_BGSAVE_START = 1,   /* "wait_bgsave": waiting for the next full sync */
    REPLICA_WAIT_BGSAVE_END,         /* "wait_bgsave": the child is producing the RDB */
    REPLICA_SEND_BULK,               /* "send_bulk": RDB bytes on their way */
    REPLICA_ONLINE,                  /* "online": streaming */
};

typedef struct repl_backlog repl_backlog;

typedef struct replication {
    /* identity and offsets (both roles) */
    char replid[41];
    char replid2[41];
    long long master_repl_offset;    /* bytes of the stream produced (primary) or applied (replica) */
    long long second_repl_offset;    /* -1 when replid2 is not valid */
    repl_backlog *backlog;           /* NULL until the first replica (or a primary link) */
    long long backlog_idle_since;    /* ms when the last replica left, for repl-backlog-ttl */
    int last_db;                     /* db of the last command in the stream, -1 = emit SELECT */

    /* primary side */
    int nreplicas;                   /* clients flagged CLIENT_REPLICA */
    int child_pid;                   /* forked RDB child, 0 if none */
    long long sync_full, sync_partial_ok, sync_partial_err;
    int good_replicas;               /* replicas with an ACK within min-replicas-max-lag */

    /* replica side */
    int state;                       /* REPL_STATE_* */
    char *primary_host;              /* NULL when this node is a primary */
    int primary_port;
    client *primary;                 /* the link once streaming */
    long long link_down_since;       /* ms, 0 = never connected */
    long long last_io_ms;            /* last byte from the primary */
    long long sync_total_bytes, sync_read_bytes;   /* during transfer, -1 total for EOF framing */
} replication;

extern replication repl;

/* ---------------------------------------------------------------- shared (replication.c) */

void repl_init(void);          /* random replid, no backlog; reads cfg.replicaof */
void repl_free(void);
void repl_cron(void);          /* once per second work: pings, timeouts, ACKs, lag, ttl */
/* Append one command to the stream (backlog + online replicas), emitting SELECT when dbid
 * differs from the last. No-op when there is no backlog and no replica. */
void repl_feed(int dbid, int argc, resp_arg *argv);
/* Append raw stream bytes received from our primary (replica side proxying), counting
 * them in the offset and backlog exactly as received. */
void repl_feed_raw(const char *buf, size_t len);
/* New replication history (promotion): replid2 = replid, second_repl_offset =
 * master_repl_offset + 1, fresh random replid. */
void repl_shift_replid(void);
void repl_clear_replid2(void);
/* Create the backlog if missing (sized by repl-backlog-size). */
void repl_backlog_ensure(void);
/* Whether writes must be refused for lack of good replicas (min-replicas-to-write). */
int repl_not_enough_good_replicas(void);
/* INFO replication section text (both roles), ROLE reply. */
dstr repl_info(dstr s);
void repl_reply_role(client *c);
/* A replica client is being freed. */
void repl_replica_gone(client *c);
/* SIGCHLD / child exit handling. */
void repl_check_child(void);
/* INFO replication, replica role: the fields from master_host: to replica_announced:
 * (replica.c); repl_info() prints role:slave before and connected_slaves: after them. */
dstr replica_info_fields(dstr s);
/* ROLE on a replica: *5 slave ip port state offset (replica.c). */
void replica_reply_role(client *c);

/* ---------------------------------------------------------------- replica side (replica.c) */

/* Become a replica of host:port (REPLICAOF host port), or a primary (host == NULL). */
void replica_set_primary(const char *host, int port);
void replica_cron(void);       /* reconnect, handshake/transfer timeouts, REPLCONF ACK */
int replica_is_replica(void);  /* repl.primary_host != NULL */
int replica_link_up(void);     /* state == REPL_STATE_CONNECTED */
/* The primary link client is being freed. */
void replica_primary_gone(client *c);
/* After the primary client applied a complete command of n bytes at buf (called by the
 * input loop for CLIENT_PRIMARY clients): offset accounting and proxying. */
void replica_applied(client *c, const char *buf, size_t n);

void replica_init(void);       /* after repl_init: reads cfg.replicaof */
void replica_free(void);
/* REPLCONF GETACK * arriving from our primary: answer REPLCONF ACK <offset>. */
void replica_handle_getack(client *c);
/* ROLE and INFO replication for the replica role. */
void replica_reply_role(client *c);
dstr replica_info_fields(dstr s);
/* Drop the backlog (a full sync starts a new history). */
void repl_backlog_free(void);

extern command repl_commands[];   /* SYNC PSYNC REPLCONF WAIT ROLE (replication.c) */
extern command replica_commands[];/* REPLICAOF SLAVEOF (replica.c) */

#endif
