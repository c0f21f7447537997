/* t_list.c -- the list commands: pushes and pops at both ends, ranges, LINSERT/LREM/LSET/
 * LTRIM/LPOS, LMOVE and LMPOP, and their blocking forms (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH,
 * BLMPOP).
 *
 * A list value is a quicklist (common/types/quicklist.h); like Redis 7.0, OBJECT ENCODING
 * reports "quicklist" for every list. An empty list never stays in the keyspace: the
 * command that empties it deletes the key and emits "del". Blocking commands that find
 * nothing call block_on_keys (server/blocking.h); when a key they wait on is written, the
 * command is run again from the saved argv and either serves the client or blocks it again
 * in its place. Replies, errors and keyspace events follow Redis 7.0.
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <limits.h>
#include <string.h>

#include "common/alloc.h"
#include "common/db.h"
#include "common/util.h"
#include "common/types/quicklist.h"
#include "server/blocking.h"
#include "server/server.h"

/* ------------------------------------------------------------------ helpers */

static inline quicklist *list_of(const obj *o) { return o->v.ptr; }

static obj *list_create(void) {
    long long fill = server.cfg.list_max_listpack_size;
    if (fill > INT_MAX) fill = INT_MAX;
    if (fill < INT_MIN) fill = INT_MIN;
    return obj_new_typed(OBJ_LIST, OBJ_ENC_QUICKLIST, ql_new((int)fill));
}

static obj *lookup_write(client *c, const resp_arg *key) {
    return db_lookup_write(&server.ks, c->db, key->ptr, key->len);
}

static obj *lookup_read(client *c, const resp_arg *key) {
    return db_lookup_read(&server.ks, c->db, key->ptr, key->len);
}

/* WRONGTYPE (returns -1) when o exists and is not a list. */
static int check_list(client *c, const obj *o) {
    if (o && o->type != OBJ_LIST) {
        reply_error_wrongtype(c);
        return -1;
    }
    return 0;
}

static void notify_list(client *c, const char *event, const resp_arg *key) {
    server_notify(NOTIFY_LIST, event, key->ptr, key->len, c->db->id);
}

/* After a removal: delete the key when the list became empty (with its "del" event). */
static void delete_if_empty(client *c, const resp_arg *key, obj *o) {
    if (ql_count(list_of(o))) return;
    db_delete(c->db, key->ptr, key->len);
    server_notify(NOTIFY_GENERIC, "del", key->ptr, key->len, c->db->id);
}

static void touched(client *c, const resp_arg *key, long long changes) {
    server_key_modified(c, c->db, key->ptr, key->len);
    server.dirty += changes;
}

/* LEFT/RIGHT argument: QL_HEAD/QL_TAIL, or -1 after a syntax error. */
static int parse_where(client *c, const resp_arg *a) {
    if (arg_is(a, "left")) return QL_HEAD;
    if (arg_is(a, "right")) return QL_TAIL;
    reply_error_syntax(c);
    return -1;
}

static const char *pop_event(int where) { return where == QL_HEAD ? "lpop" : "rpop"; }
static const char *push_event(int where) { return where == QL_HEAD ? "lpush" : "rpush"; }

/* Pop up to count entries of key's list o from where, replying each as a bulk (the caller
 * wrote the aggregate header). Emits the pop event and deletes the emptied key. Returns
 * how many entries were popped. */
static long long pop_and_reply(client *c, const resp_arg *key, obj *o, int where,
                               long long count) {
    long long n = 0;
    size_t len;
    char *v;
    while (n < count && (v = ql_pop(list_of(o), where, &len)) != NULL) {
        reply_bulk(c, v, len);
        kl_free(v);
        n++;
    }
    notify_list(c, pop_event(where), key);
    delete_if_empty(c, key, o);
    touched(c, key, n);
    return n;
}

/* The deterministic form of a blocking or multi-key pop (Redis 7.0): LPOP|RPOP key, with
 * the number of popped entries when the command had a COUNT (LMPOP/BLMPOP: n >= 1). */
static void propagate_pop(client *c, const resp_arg *key, int where, long long n) {
    resp_arg av[3] = {{(char *)(where == QL_HEAD ? "LPOP" : "RPOP"), 4}, *key, {0}};
    char buf[24];
    if (n > 0) av[2] = (resp_arg){buf, (size_t)ll_to_str(buf, sizeof(buf), n)};
    propagate_rewrite(c, n > 0 ? 3 : 2, av);
}

/* BLMOVE -> LMOVE src dst from to (the client's words, or lowercase when served after
 * blocking, as Redis 7.0); BRPOPLPUSH -> RPOPLPUSH src dst. */
static void propagate_move(client *c, int is_blmove, int from, int to) {
    const char *rk;
    size_t rl;
    resp_arg av[5] = {{(char *)"RPOPLPUSH", 9}, c->argv[1], c->argv[2], {0}, {0}};
    if (!is_blmove) {
        propagate_rewrite(c, 3, av);
        return;
    }
    av[0] = (resp_arg){(char *)"LMOVE", 5};
    if (blocking_ready_key(c, &rk, &rl)) {
        av[3] = from == QL_HEAD ? (resp_arg){(char *)"left", 4} : (resp_arg){(char *)"right", 5};
        av[4] = to == QL_HEAD ? (resp_arg){(char *)"left", 4} : (resp_arg){(char *)"right", 5};
    } else {
        av[3] = c->argv[3];
        av[4] = c->argv[4];
    }
    propagate_rewrite(c, 5, av);
}

static void reply_null_array_cb(client *c) { reply_null_array(c); }

/* ------------------------------------------------------------------ push */

static void push_generic(client *c, int where, int only_existing) {
    const resp_arg *key = &c->argv[1];
    obj *o = lookup_write(c, key);
    if (check_list(c, o) < 0) return;
    if (!o) {
        if (only_existing) {
            reply_long_long(c, 0);
            return;
        }
        o = list_create();
        db_add(c->db, key->ptr, key->len, o);
    }
    for (int j = 2; j < c->argc; j++) ql_push(list_of(o), where, c->argv[j].ptr, c->argv[j].len);
    reply_long_long(c, (long long)ql_count(list_of(o)));
    notify_list(c, push_event(where), key);
    touched(c, key, c->argc - 2);
}

static void cmd_lpush(client *c) { push_generic(c, QL_HEAD, 0); }
static void cmd_rpush(client *c) { push_generic(c, QL_TAIL, 0); }
static void cmd_lpushx(client *c) { push_generic(c, QL_HEAD, 1); }
static void cmd_rpushx(client *c) { push_generic(c, QL_TAIL, 1); }

/* ------------------------------------------------------------------ pop */

static void pop_generic(client *c, int where) {
    long long count = 1;
    int has_count = c->argc == 3;
    if (c->argc > 3) {
        reply_error_arity(c);
        return;
    }
    if (has_count && arg_to_ll_range(c, &c->argv[2], 0, LLONG_MAX, &count,
                                     "ERR value is out of range, must be positive") < 0)
        return;
    const resp_arg *key = &c->argv[1];
    obj *o = lookup_write(c, key);
    if (!o) {
        if (has_count) reply_null_array(c);
        else reply_null(c);
        return;
    }
    if (check_list(c, o) < 0) return;
    if (has_count && count == 0) {
        reply_empty_array(c);
        return;
    }
    if (has_count) {
        size_t len = ql_count(list_of(o));
        reply_array_len(c, (size_t)count < len ? count : (long long)len);
    }
    pop_and_reply(c, key, o, where, count);
}

static void cmd_lpop(client *c) { pop_generic(c, QL_HEAD); }
static void cmd_rpop(client *c) { pop_generic(c, QL_TAIL); }

/* ------------------------------------------------------------------ read commands */

static void cmd_llen(client *c) {
    obj *o = lookup_read(c, &c->argv[1]);
    if (check_list(c, o) < 0) return;
    reply_long_long(c, o ? (long long)ql_count(list_of(o)) : 0);
}

static void cmd_lindex(client *c) {
    obj *o = lookup_read(c, &c->argv[1]);
    long long index;
    if (!o) {
        reply_null(c);
        return;
    }
    if (check_list(c, o) < 0 || arg_to_ll(c, &c->argv[2], &index) < 0) return;
    char buf[QL_BUF];
    size_t len;
    const char *v = NULL;
    if (index >= LONG_MIN && index <= LONG_MAX) v = ql_index(list_of(o), (long)index, &len, buf);
    if (v) reply_bulk(c, v, len);
    else reply_null(c);
}

static void cmd_lrange(client *c) {
    long long start, end;
    if (arg_to_ll(c, &c->argv[2], &start) < 0 || arg_to_ll(c, &c->argv[3], &end) < 0) return;
    obj *o = lookup_read(c, &c->argv[1]);
    if (check_list(c, o) < 0) return;
    long long llen = o ? (long long)ql_count(list_of(o)) : 0;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) {
        reply_empty_array(c);
        return;
    }
    if (end >= llen) end = llen - 1;
    long long n = end - start + 1;
    reply_array_len(c, n);
    ql_iter it;
    ql_iter_init(&it, list_of(o), (long)start, QL_TAIL);
    const char *v;
    size_t len;
    char buf[QL_BUF];
    while (n-- > 0 && ql_iter_next(&it, &v, &len, buf)) reply_bulk(c, v, len);
}

/* ------------------------------------------------------------------ edits */

static void cmd_lset(client *c) {
    const resp_arg *key = &c->argv[1];
    obj *o = lookup_write(c, key);
    long long index;
    if (!o) {
        reply_error(c, "ERR no such key");
        return;
    }
    if (check_list(c, o) < 0 || arg_to_ll(c, &c->argv[2], &index) < 0) return;
    if (index < LONG_MIN || index > LONG_MAX ||
        ql_replace(list_of(o), (long)index, c->argv[3].ptr, c->argv[3].len) < 0) {
        reply_error(c, "ERR index out of range");
        return;
    }
    reply_ok(c);
    notify_list(c, "lset", key);
    touched(c, key, 1);
}

static void cmd_linsert(client *c) {
    int after;
    if (arg_is(&c->argv[2], "after")) after = 1;
    else if (arg_is(&c->argv[2], "before")) after = 0;
    else {
        reply_error_syntax(c);
        return;
    }
    const resp_arg *key = &c->argv[1], *pivot = &c->argv[3], *val = &c->argv[4];
    obj *o = lookup_write(c, key);
    if (!o) {
        reply_long_long(c, 0);
        return;
    }
    if (check_list(c, o) < 0) return;
    ql_iter it;
    ql_iter_init(&it, list_of(o), 0, QL_TAIL);
    const char *v;
    size_t len;
    char buf[QL_BUF];
    while (ql_iter_next(&it, &v, &len, buf)) {
        if (!ql_iter_eq(&it, pivot->ptr, pivot->len)) continue;
        ql_iter_insert(&it, val->ptr, val->len, after);
        reply_long_long(c, (long long)ql_count(list_of(o)));
        notify_list(c, "linsert", key);
        touched(c, key, 1);
        return;
    }
    reply_long_long(c, -1);
}

static void cmd_lrem(client *c) {
    long long count;
    if (arg_to_ll(c, &c->argv[2], &count) < 0) return;
    const resp_arg *key = &c->argv[1], *val = &c->argv[3];
    obj *o = lookup_write(c, key);
    if (check_list(c, o) < 0) return;
    if (!o) {
        reply_long_long(c, 0);
        return;
    }
    ql_iter it;
    ql_iter_init(&it, list_of(o), count < 0 ? -1 : 0, count < 0 ? QL_HEAD : QL_TAIL);
    unsigned long long limit = count < 0 ? 0ULL - (unsigned long long)count : (unsigned long long)count;
    long long removed = 0;
    const char *v;
    size_t len;
    char buf[QL_BUF];
    while (ql_iter_next(&it, &v, &len, buf)) {
        if (!ql_iter_eq(&it, val->ptr, val->len)) continue;
        ql_iter_delete(&it);
        removed++;
        if (limit && (unsigned long long)removed == limit) break;
    }
    reply_long_long(c, removed);
    if (!removed) return;
    notify_list(c, "lrem", key);
    delete_if_empty(c, key, o);
    touched(c, key, removed);
}

static void cmd_ltrim(client *c) {
    long long start, end;
    if (arg_to_ll(c, &c->argv[2], &start) < 0 || arg_to_ll(c, &c->argv[3], &end) < 0) return;
    const resp_arg *key = &c->argv[1];
    obj *o = lookup_write(c, key);
    if (check_list(c, o) < 0) return;
    if (!o) {
        reply_ok(c);
        return;
    }
    quicklist *ql = list_of(o);
    long long llen = (long long)ql_count(ql), ltrim, rtrim;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) {
        ltrim = llen;
        rtrim = 0;
    } else {
        if (end >= llen) end = llen - 1;
        ltrim = start;
        rtrim = llen - end - 1;
    }
    ql_del_range(ql, 0, (size_t)ltrim);
    if (rtrim) ql_del_range(ql, (long)(ql_count(ql) - (size_t)rtrim), (size_t)rtrim);
    reply_ok(c);
    notify_list(c, "ltrim", key);
    delete_if_empty(c, key, o);
    touched(c, key, ltrim + rtrim);
}

/* ------------------------------------------------------------------ LPOS */

typedef struct lpos_opts {
    long long rank, count, maxlen;   /* count -1: not given */
} lpos_opts;

static int lpos_parse(client *c, lpos_opts *op) {
    op->rank = 1;
    op->count = -1;
    op->maxlen = 0;
    for (int j = 3; j < c->argc; j++) {
        int more = j + 1 < c->argc;
        if (arg_is(&c->argv[j], "rank") && more) {
            if (arg_to_ll(c, &c->argv[++j], &op->rank) < 0) return -1;
            if (op->rank == 0) {
                reply_error(c, "ERR RANK can't be zero: use 1 to start from the first match, 2 "
                               "from the second ... or use negative to start from the end of "
                               "the list");
                return -1;
            }
        } else if (arg_is(&c->argv[j], "count") && more) {
            if (arg_to_ll_range(c, &c->argv[++j], 0, LLONG_MAX, &op->count,
                                "ERR COUNT can't be negative") < 0)
                return -1;
        } else if (arg_is(&c->argv[j], "maxlen") && more) {
            if (arg_to_ll_range(c, &c->argv[++j], 0, LLONG_MAX, &op->maxlen,
                                "ERR MAXLEN can't be negative") < 0)
                return -1;
        } else {
            reply_error_syntax(c);
            return -1;
        }
    }
    return 0;
}

static void cmd_lpos(client *c) {
    lpos_opts op;
    if (lpos_parse(c, &op) < 0) return;
    obj *o = lookup_read(c, &c->argv[1]);
    if (check_list(c, o) < 0) return;
    if (!o) {
        if (op.count != -1) reply_empty_array(c);
        else reply_null(c);
        return;
    }
    quicklist *ql = list_of(o);
    int forward = op.rank > 0;
    /* Redis 7.0 negates the rank, so LLONG_MIN stays negative and matches at once. */
    unsigned long long skip = forward ? (unsigned long long)op.rank - 1
                              : op.rank == LLONG_MIN ? 0 : 0ULL - (unsigned long long)(op.rank + 1);
    void *deferred = op.count != -1 ? reply_deferred(c) : NULL;
    long long found = 0, llen = (long long)ql_count(ql), i = 0;
    ql_iter it;
    ql_iter_init(&it, ql, forward ? 0 : -1, forward ? QL_TAIL : QL_HEAD);
    const char *v;
    size_t len;
    char buf[QL_BUF];
    const resp_arg *want = &c->argv[2];
    for (; ql_iter_next(&it, &v, &len, buf) && (!op.maxlen || i < op.maxlen); i++) {
        if (len != want->len || memcmp(v, want->ptr, len) != 0) continue;
        if (skip) {
            skip--;
            continue;
        }
        reply_long_long(c, forward ? i : llen - 1 - i);
        found++;
        if (op.count == -1 || (op.count && found == op.count)) break;
    }
    if (deferred) reply_set_deferred_array(c, deferred, found);
    else if (!found) reply_null(c);
}

/* ------------------------------------------------------------------ LMOVE */

/* Move one entry from src (an existing, non-empty list object) to dst, replying the value.
 * WRONGTYPE (and -1) when dst holds another type. */
static int move_entry(client *c, const resp_arg *src, obj *so, const resp_arg *dst,
                      int from, int to) {
    obj *dobj = lookup_write(c, dst);
    if (check_list(c, dobj) < 0) return -1;
    size_t len;
    char *v = ql_pop(list_of(so), from, &len);
    if (!dobj) {
        dobj = list_create();
        db_add(c->db, dst->ptr, dst->len, dobj);
    }
    ql_push(list_of(dobj), to, v, len);
    reply_bulk(c, v, len);
    kl_free(v);
    touched(c, dst, 0);
    notify_list(c, push_event(to), dst);
    notify_list(c, pop_event(from), src);
    delete_if_empty(c, src, so);
    touched(c, src, 1);
    return 0;
}

/* Shared by LMOVE/RPOPLPUSH (timeout_idx 0) and BLMOVE/BRPOPLPUSH. */
static void move_generic(client *c, int from, int to, int timeout_idx) {
    long long deadline = 0;
    if (timeout_idx && arg_to_timeout_ms(c, &c->argv[timeout_idx], 1, &deadline) < 0) return;
    const resp_arg *src = &c->argv[1], *dst = &c->argv[2];
    obj *so = lookup_write(c, src);
    if (check_list(c, so) < 0) return;
    if (so) {
        if (move_entry(c, src, so, dst, from, to) == 0 && timeout_idx)
            propagate_move(c, timeout_idx == 5, from, to);
        return;
    }
    if (!timeout_idx || !blocking_allowed(c)) {
        reply_null(c);
        return;
    }
    int key = 1;
    block_on_keys(c, &key, 1, deadline, reply_null_array_cb);
}

/* LEFT/RIGHT pair at argv[i], argv[i+1]; -1 after a syntax error. */
static int parse_move_dirs(client *c, int i, int *from, int *to) {
    if ((*from = parse_where(c, &c->argv[i])) < 0) return -1;
    if ((*to = parse_where(c, &c->argv[i + 1])) < 0) return -1;
    return 0;
}

static void cmd_lmove(client *c) {
    int from, to;
    if (parse_move_dirs(c, 3, &from, &to) < 0) return;
    move_generic(c, from, to, 0);
}

static void cmd_rpoplpush(client *c) { move_generic(c, QL_TAIL, QL_HEAD, 0); }

static void cmd_blmove(client *c) {
    int from, to;
    if (parse_move_dirs(c, 3, &from, &to) < 0) return;
    move_generic(c, from, to, 5);
}

static void cmd_brpoplpush(client *c) { move_generic(c, QL_TAIL, QL_HEAD, 3); }

/* ------------------------------------------------------------------ BLPOP/BRPOP */

/* Reply [key, value] from the first non-empty list among argv[first..first+n); 1 if served,
 * 0 if all are empty, -1 after WRONGTYPE. With count > 0 (LMPOP) the value is an array.
 * When re-run for a ready key, only that key is considered (Redis 7.0). */
static int pop_first_nonempty(client *c, int first, int n, int where, long long count) {
    const char *ready;
    size_t rlen;
    int only_ready = blocking_ready_key(c, &ready, &rlen);
    for (int j = first; j < first + n; j++) {
        const resp_arg *k = &c->argv[j];
        if (only_ready && (k->len != rlen || memcmp(k->ptr, ready, rlen) != 0)) continue;
        obj *o = lookup_write(c, k);
        if (!o) continue;
        if (check_list(c, o) < 0) return -1;
        reply_array_len(c, 2);
        reply_bulk(c, c->argv[j].ptr, c->argv[j].len);
        if (count > 0) {
            size_t len = ql_count(list_of(o));
            reply_array_len(c, (size_t)count < len ? count : (long long)len);
        }
        long long popped = pop_and_reply(c, &c->argv[j], o, where, count > 0 ? count : 1);
        propagate_pop(c, &c->argv[j], where, count > 0 ? popped : 0);
        return 1;
    }
    return 0;
}

/* Block on argv[first..first+n) answering a null array on timeout. */
static void block_on_range(client *c, int first, int n, long long deadline) {
    int *idx = kl_malloc(sizeof(int) * (size_t)n);
    for (int j = 0; j < n; j++) idx[j] = first + j;
    block_on_keys(c, idx, n, deadline, reply_null_array_cb);
    kl_free(idx);
}

static void bpop_generic(client *c, int where) {
    long long deadline;
    if (arg_to_timeout_ms(c, &c->argv[c->argc - 1], 1, &deadline) < 0) return;
    int r = pop_first_nonempty(c, 1, c->argc - 2, where, 0);
    if (r != 0) return;
    if (!blocking_allowed(c)) {
        reply_null_array(c);
        return;
    }
    block_on_range(c, 1, c->argc - 2, deadline);
}

static void cmd_blpop(client *c) { bpop_generic(c, QL_HEAD); }
static void cmd_brpop(client *c) { bpop_generic(c, QL_TAIL); }

/* ------------------------------------------------------------------ LMPOP/BLMPOP */

/* numkeys LEFT|RIGHT [COUNT n] from argv[numkeys_idx]. */
static int mpop_parse(client *c, int numkeys_idx, long long *numkeys, int *where,
                      long long *count) {
    if (arg_to_ll_range(c, &c->argv[numkeys_idx], 1, LLONG_MAX, numkeys,
                        "ERR numkeys should be greater than 0") < 0)
        return -1;
    if (*numkeys >= c->argc || numkeys_idx + *numkeys + 1 >= c->argc) {
        reply_error_syntax(c);
        return -1;
    }
    int where_idx = numkeys_idx + (int)*numkeys + 1;
    if ((*where = parse_where(c, &c->argv[where_idx])) < 0) return -1;
    *count = -1;
    for (int j = where_idx + 1; j < c->argc; j++) {
        if (*count == -1 && arg_is(&c->argv[j], "count") && j + 1 < c->argc) {
            if (arg_to_ll_range(c, &c->argv[++j], 1, LLONG_MAX, count,
                                "ERR count should be greater than 0") < 0)
                return -1;
        } else {
            reply_error_syntax(c);
            return -1;
        }
    }
    if (*count == -1) *count = 1;
    return 0;
}

static void mpop_generic(client *c, int numkeys_idx, int blocking) {
    long long deadline = 0, numkeys, count;
    int where;
    if (blocking && arg_to_timeout_ms(c, &c->argv[1], 1, &deadline) < 0) return;
    if (mpop_parse(c, numkeys_idx, &numkeys, &where, &count) < 0) return;
    int r = pop_first_nonempty(c, numkeys_idx + 1, (int)numkeys, where, count);
    if (r != 0) return;
    if (!blocking || !blocking_allowed(c)) {
        reply_null_array(c);
        return;
    }
    block_on_range(c, numkeys_idx + 1, (int)numkeys, deadline);
}

static void cmd_lmpop(client *c) { mpop_generic(c, 1, 0); }
static void cmd_blmpop(client *c) { mpop_generic(c, 2, 1); }

/* Keys of LMPOP (numkeys at argv[1]) and BLMPOP (at argv[2]). */
static int mpop_keys(int argc, resp_arg *argv, int numkeys_idx, int *out, int max) {
    long long n;
    if (numkeys_idx >= argc || !str_to_ll(argv[numkeys_idx].ptr, argv[numkeys_idx].len, &n))
        return 0;
    if (n <= 0 || n > argc - numkeys_idx - 1) return 0;
    int k = 0;
    for (long long j = 0; j < n && k < max; j++) out[k++] = numkeys_idx + 1 + (int)j;
    return k;
}

static int lmpop_getkeys(int argc, resp_arg *argv, int *out, int max) {
    return mpop_keys(argc, argv, 1, out, max);
}

static int blmpop_getkeys(int argc, resp_arg *argv, int *out, int max) {
    return mpop_keys(argc, argv, 2, out, max);
}

/* ------------------------------------------------------------------ type ops */

static void list_free(obj *o) { ql_free(list_of(o)); }

static obj *list_dup(const obj *o) {
    return obj_new_typed(OBJ_LIST, OBJ_ENC_QUICKLIST, ql_dup(list_of(o)));
}

static size_t list_usage(const obj *o) { return ql_bytes(list_of(o)); }

static const obj_type_ops list_ops = {list_free, list_dup, list_usage};

void t_list_init(void) { obj_register_type(OBJ_LIST, &list_ops); }

/* ------------------------------------------------------------------ table */

#define LR (ACL_READ | ACL_LIST)
#define LW (ACL_WRITE | ACL_LIST)
#define W_DENY (CMD_WRITE | CMD_DENYOOM)
#define KEY1 .firstkey = 1, .lastkey = 1, .keystep = 1
#define KEY12 .firstkey = 1, .lastkey = 2, .keystep = 1
#define G .group = "list"

#define PUSH_CPLX "O(1) for each element added, so O(N) to add N elements when the command " \
                  "is called with multiple arguments."
#define POP_CPLX "O(N) where N is the number of elements returned"
#define MPOP_CPLX "O(N+M) where N is the number of provided keys and M is the number of " \
                  "elements returned."

command list_commands[] = {
    {.name = "lpush", .proc = cmd_lpush, .arity = -3, .flags = W_DENY | CMD_FAST,
     .acl = LW | ACL_FAST, KEY1, G, .since = "1.0.0",
     .summary = "Prepend one or multiple elements to a list", .complexity = PUSH_CPLX},
    {.name = "rpush", .proc = cmd_rpush, .arity = -3, .flags = W_DENY | CMD_FAST,
     .acl = LW | ACL_FAST, KEY1, G, .since = "1.0.0",
     .summary = "Append one or multiple elements to a list", .complexity = PUSH_CPLX},
    {.name = "lpushx", .proc = cmd_lpushx, .arity = -3, .flags = W_DENY | CMD_FAST,
     .acl = LW | ACL_FAST, KEY1, G, .since = "2.2.0",
     .summary = "Prepend an element to a list, only if the list exists", .complexity = PUSH_CPLX},
    {.name = "rpushx", .proc = cmd_rpushx, .arity = -3, .flags = W_DENY | CMD_FAST,
     .acl = LW | ACL_FAST, KEY1, G, .since = "2.2.0",
     .summary = "Append an element to a list, only if the list exists", .complexity = PUSH_CPLX},
    {.name = "lpop", .proc = cmd_lpop, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = LW | ACL_FAST, KEY1, G, .since = "1.0.0",
     .summary = "Remove and get the first elements in a list", .complexity = POP_CPLX},
    {.name = "rpop", .proc = cmd_rpop, .arity = -2, .flags = CMD_WRITE | CMD_FAST,
     .acl = LW | ACL_FAST, KEY1, G, .since = "1.0.0",
     .summary = "Remove and get the last elements in a list", .complexity = POP_CPLX},
    {.name = "llen", .proc = cmd_llen, .arity = 2, .flags = CMD_READONLY | CMD_FAST,
     .acl = LR | ACL_FAST, KEY1, G, .since = "1.0.0", .summary = "Get the length of a list",
     .complexity = "O(1)"},
    {.name = "lrange", .proc = cmd_lrange, .arity = 4, .flags = CMD_READONLY,
     .acl = LR | ACL_SLOW, KEY1, G, .since = "1.0.0",
     .summary = "Get a range of elements from a list",
     .complexity = "O(S+N) where S is the distance of start offset from HEAD for small lists, "
                   "from nearest end (HEAD or TAIL) for large lists; and N is the number of "
                   "elements in the specified range."},
    {.name = "lindex", .proc = cmd_lindex, .arity = 3, .flags = CMD_READONLY,
     .acl = LR | ACL_SLOW, KEY1, G, .since = "1.0.0",
     .summary = "Get an element from a list by its index",
     .complexity = "O(N) where N is the number of elements to traverse to get to the element "
                   "at index. This makes asking for the first or the last element of the list "
                   "O(1)."},
    {.name = "lset", .proc = cmd_lset, .arity = 4, .flags = W_DENY, .acl = LW | ACL_SLOW, KEY1,
     G, .since = "1.0.0", .summary = "Set the value of an element in a list by its index",
     .complexity = "O(N) where N is the length of the list. Setting either the first or the "
                   "last element of the list is O(1)."},
    {.name = "linsert", .proc = cmd_linsert, .arity = 5, .flags = W_DENY, .acl = LW | ACL_SLOW,
     KEY1, G, .since = "2.2.0",
     .summary = "Insert an element before or after another element in a list",
     .complexity = "O(N) where N is the number of elements to traverse before seeing the value "
                   "pivot. This means that inserting somewhere on the left end on the list "
                   "(head) can be considered O(1) and inserting somewhere on the right end "
                   "(tail) is O(N)."},
    {.name = "lrem", .proc = cmd_lrem, .arity = 4, .flags = CMD_WRITE, .acl = LW | ACL_SLOW,
     KEY1, G, .since = "1.0.0", .summary = "Remove elements from a list",
     .complexity = "O(N+M) where N is the length of the list and M is the number of elements "
                   "removed."},
    {.name = "ltrim", .proc = cmd_ltrim, .arity = 4, .flags = CMD_WRITE, .acl = LW | ACL_SLOW,
     KEY1, G, .since = "1.0.0", .summary = "Trim a list to the specified range",
     .complexity = "O(N) where N is the number of elements to be removed by the operation."},
    {.name = "lpos", .proc = cmd_lpos, .arity = -3, .flags = CMD_READONLY, .acl = LR | ACL_SLOW,
     KEY1, G, .since = "6.0.6", .summary = "Return the index of matching elements on a list",
     .complexity = "O(N) where N is the number of elements in the list, for the average case. "
                   "When searching for elements near the head or the tail of the list, or when "
                   "the MAXLEN option is provided, the command may run in constant time."},
    {.name = "lmove", .proc = cmd_lmove, .arity = 5, .flags = W_DENY, .acl = LW | ACL_SLOW,
     KEY12, G, .since = "6.2.0",
     .summary = "Pop an element from a list, push it to another list and return it",
     .complexity = "O(1)"},
    {.name = "rpoplpush", .proc = cmd_rpoplpush, .arity = 3, .flags = W_DENY,
     .acl = LW | ACL_SLOW, KEY12, G, .since = "1.2.0",
     .summary = "Remove the last element in a list, prepend it to another list and return it",
     .complexity = "O(1)"},
    {.name = "lmpop", .proc = cmd_lmpop, .arity = -4, .flags = CMD_WRITE, .acl = LW | ACL_SLOW,
     G, .since = "7.0.0", .summary = "Pop elements from a list", .complexity = MPOP_CPLX,
     .getkeys = lmpop_getkeys},
    {.name = "blpop", .proc = cmd_blpop, .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING, .acl = LW | ACL_SLOW | ACL_BLOCKING,
     .firstkey = 1, .lastkey = -2, .keystep = 1, G, .since = "2.0.0",
     .summary = "Remove and get the first element in a list, or block until one is available",
     .complexity = "O(N) where N is the number of provided keys."},
    {.name = "brpop", .proc = cmd_brpop, .arity = -3,
     .flags = CMD_WRITE | CMD_NOSCRIPT | CMD_BLOCKING, .acl = LW | ACL_SLOW | ACL_BLOCKING,
     .firstkey = 1, .lastkey = -2, .keystep = 1, G, .since = "2.0.0",
     .summary = "Remove and get the last element in a list, or block until one is available",
     .complexity = "O(N) where N is the number of provided keys."},
    {.name = "blmove", .proc = cmd_blmove, .arity = 6,
     .flags = W_DENY | CMD_NOSCRIPT | CMD_BLOCKING, .acl = LW | ACL_SLOW | ACL_BLOCKING, KEY12,
     G, .since = "6.2.0",
     .summary = "Pop an element from a list, push it to another list and return it; or block "
                "until one is available",
     .complexity = "O(1)"},
    {.name = "brpoplpush", .proc = cmd_brpoplpush, .arity = 4,
     .flags = W_DENY | CMD_NOSCRIPT | CMD_BLOCKING, .acl = LW | ACL_SLOW | ACL_BLOCKING, KEY12,
     G, .since = "2.2.0",
     .summary = "Pop an element from a list, push it to another list and return it; or block "
                "until one is available",
     .complexity = "O(1)"},
    {.name = "blmpop", .proc = cmd_blmpop, .arity = -5, .flags = CMD_WRITE | CMD_BLOCKING,
     .acl = LW | ACL_SLOW | ACL_BLOCKING, G, .since = "7.0.0",
     .summary = "Pop elements from a list, or block until one is available",
     .complexity = MPOP_CPLX, .getkeys = blmpop_getkeys},
    {.name = NULL},
};
