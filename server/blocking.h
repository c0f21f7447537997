/* blocking.h -- clients blocked on keys (BLPOP, BLMOVE, BZPOPMIN, ...), later WAIT.
 *
 * A blocking command that finds nothing calls block_on_keys(): the dispatcher stops reading
 * the client's input (CLIENT_BLOCKED), a copy of its argv is kept, and the client waits in
 * FIFO order on each key. Every write to a key calls blocking_signal_key() (through
 * server_key_modified); after the current command, blocking_serve_ready() re-runs the
 * blocked command of each waiting client in the order they blocked, while the key can
 * serve them. A client that cannot be served stays blocked in its place. Timeouts are
 * answered by the command's on_timeout callback; a disconnect just forgets the client.
 * Inside MULTI (and from scripts) blocking commands never block: they behave as timed out.
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_BLOCKING_H
#define KEEL_BLOCKING_H

#include "server/server.h"

typedef void block_timeout_fn(client *c);

/* Block c on keys (argv indexes of c->argv given in key_idx). deadline_ms absolute, 0 =
 * forever. on_timeout replies what the command answers on timeout (e.g. reply_null_array).
 * The command must return right after calling this. */
void block_on_keys(client *c, const int *key_idx, int nkeys, long long deadline_ms,
                   block_timeout_fn *on_timeout);
/* Whether the current execution may block (not inside MULTI/EXEC, not a fake client). */
int blocking_allowed(client *c);
/* While a blocked command is re-run because one of its keys became ready: 1 and the key
 * (valid during the command), else 0. Commands waiting on several keys (BLPOP, BZMPOP...)
 * serve only from that key, as Redis 7.0 does. */
int blocking_ready_key(const client *c, const char **key, size_t *len);
/* A key of d was written: remember it if some client waits on it. Cheap when nobody is
 * blocked. */
void blocking_signal_key(db *d, const char *key, size_t len);
/* Serve clients waiting on keys signalled since the last call (the dispatcher calls this
 * after each top-level command). */
void blocking_serve_ready(void);
/* Remove c from every wait list (disconnect, RESET, CLIENT KILL). No reply. */
void blocking_forget(client *c);
/* Time out clients whose deadline passed (before the loop sleeps); returns the next deadline
 * in ms (0 = none) so the caller can arm its timer. */
long long blocking_handle_timeouts(long long now_ms);
size_t blocking_count(void);   /* blocked_clients in INFO */
void blocking_init(void);
void blocking_free(void);

#endif
