/* multi.h -- MULTI/EXEC/DISCARD and WATCH/UNWATCH with Redis semantics.
 *
 * While in MULTI, the dispatcher queues every command except EXEC, DISCARD, MULTI, WATCH,
 * QUIT and RESET (replying +QUEUED); a command rejected while queuing (unknown, arity,
 * NOAUTH, OOM...) marks the transaction so EXEC answers -EXECABORT. EXEC runs the queue
 * atomically (one reply array; a runtime error fails only its command) unless a watched key
 * was touched (EXEC answers a null array). WATCH is broken by any write to the key
 * (server_key_modified), its expiry, FLUSHDB/FLUSHALL/SWAPDB (server_db_touched).
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_MULTI_H
#define KEEL_MULTI_H

#include "server/server.h"

/* Called by the dispatcher for a client in MULTI, after lookup/arity/auth checks passed:
 * returns 1 when cmd was queued (and +QUEUED replied), 0 when it must run now. */
int multi_maybe_queue(client *c, command *cmd);
/* The dispatcher rejected a command of a client in MULTI: EXEC must abort. */
void multi_flag_error(client *c);
/* Whether c is currently executing EXEC's queue (for blocking_allowed and propagation). */
int multi_in_exec(const client *c);
/* Key/database touched: invalidate watchers (no-op when nothing is watched). */
void multi_touch_key(db *d, const char *key, size_t len);
/* d is about to be emptied (FLUSHDB/FLUSHALL): call before the flush, once per database. */
void multi_touch_db(db *d);
/* SWAPDB a b: call once, before the swap (Redis touches watched keys present in either). */
void multi_touch_swapped_dbs(db *a, db *b);
/* Leave MULTI and forget watched keys (disconnect, RESET). */
void multi_reset_client(client *c);
void multi_init(void);
void multi_free(void);

#endif
