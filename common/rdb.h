/* rdb.h -- Redis RDB snapshots, version 10 (what Redis 7.0 writes): a writer using plain
 * encodings and a reader for everything Redis 7.0 writes (listpack, ziplist, intset,
 * quicklist, zipmap-era types, LZF strings, expiry, aux fields, CRC64).
 *
 * I/O goes through callbacks so the same code writes to a socket pipe from a forked child,
 * to a file, or to memory, and reads from a file or memory. Every length read from the
 * input is bounded before use (by the remaining input when known, and by hard limits), so
 * corrupt or hostile snapshots give an error, never a crash or a huge allocation. The loader
 * fills the keyspace it is given; callers load into a fresh keyspace and swap it in only on
 * success, so a half-loaded dataset is never served.
 * No globals; thread-compatible (the forked child uses it).
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_RDB_H
#define KEEL_RDB_H

#include <stddef.h>
#include <stdint.h>

#include "common/db.h"

#define RDB_VERSION 10

/* Write len bytes; return 0, or -1 to abort the save. */
typedef int rdb_write_fn(void *ctx, const void *buf, size_t len);
/* Read exactly len bytes into buf; return 0, or -1 on end of input / error. */
typedef int rdb_read_fn(void *ctx, void *buf, size_t len);

/* Aux fields written after the header (what a replica needs to continue the stream). */
typedef struct rdb_save_info {
    const char *repl_id;          /* NULL = not written */
    long long repl_offset;
    int repl_stream_db;           /* -1 = not written */
} rdb_save_info;

/* Encoding thresholds applied to loaded collections (server.cfg values). */
typedef struct rdb_limits {
    long long hash_max_listpack_entries, hash_max_listpack_value;
    long long list_max_listpack_size;
    long long set_max_intset_entries;
    long long zset_max_listpack_entries, zset_max_listpack_value;
    long long max_len;            /* bound on any string/collection length, e.g. 512 MiB */
} rdb_limits;

/* What the loader found in aux fields. */
typedef struct rdb_load_info {
    char repl_id[41];             /* "" if absent */
    long long repl_offset;        /* -1 if absent */
    int repl_stream_db;           /* -1 if absent */
    long long keys_loaded, expired_skipped;
} rdb_load_info;

/* Serialise every database of ks ("REDIS0010", aux fields, SELECTDB/RESIZEDB per non-empty
 * db, entries with EXPIRETIME_MS, EOF, CRC64). now_ms decides nothing: expired keys are
 * written as they are (the loader skips them on a primary). Returns 0, or -1 with err. */
int rdb_save(keyspace *ks, const rdb_save_info *info, rdb_write_fn *w, void *ctx,
             char *err, size_t errlen);

/* Load a snapshot into ks (normally empty). skip_expired: drop keys whose expiry is before
 * ks->now_ms (a primary loading; a replica keeps them). Verifies the CRC64 when present
 * (non-zero). Returns 0, or -1 with a message such as "Wrong RDB checksum", "Unknown RDB
 * encoding type 7", "Short read", "Bad ziplist". On -1 ks may hold part of the data: the
 * caller discards it. */
int rdb_load(keyspace *ks, rdb_read_fn *r, void *ctx, const rdb_limits *limits,
             int skip_expired, rdb_load_info *info, char *err, size_t errlen);

/* Convenience wrappers over a file (blocking I/O: for the forked child, worker threads or
 * start-up, never the event loop) and over memory. */
int rdb_save_file(keyspace *ks, const rdb_save_info *info, const char *path, char *err,
                  size_t errlen);
int rdb_load_file(keyspace *ks, const char *path, const rdb_limits *limits, int skip_expired,
                  rdb_load_info *info, char *err, size_t errlen);
int rdb_load_mem(keyspace *ks, const void *buf, size_t len, const rdb_limits *limits,
                 int skip_expired, rdb_load_info *info, char *err, size_t errlen);

/* Redis's CRC64 (Jones polynomial, reflected), crc = 0 to start. */
uint64_t rdb_crc64(uint64_t crc, const void *buf, size_t len);

#endif
