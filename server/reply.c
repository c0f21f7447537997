/* reply.c -- building replies into a client's block list and flushing them.
 *
 * Replies are appended to a list of blocks (16 KiB or the size of a big reply). Nothing is
 * written while a command runs: the client joins the pending list and flush_pending_writes
 * (run from the loop's prepare phase, Redis's beforeSleep) writes each client once per
 * iteration with uv_try_write, handing only the remainder to uv_write. Blocks referenced by
 * an in-flight uv_write are marked and never appended to; they are freed in write_cb.
 * RESP2/RESP3 differences (nulls, maps, doubles, booleans, push) are decided here from
 * c->resp, so commands call one function whatever the protocol.
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/util.h"
#include "proto/resp_writer.h"
#include "server/server.h"

#define REPLY_BLOCK_SIZE (16 * 1024)
#define WRITE_MAX_IOV 64

/* ---------------------------------------------------------------- blocks */

static reply_block *block_new(size_t size) {
    reply_block *b = kl_malloc(sizeof(*b) + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    b->inflight = 0;
    return b;
}

static void block_append(client *c, reply_block *b) {
    if (c->reply_tail) c->reply_tail->next = b;
    else c->reply_head = b;
    c->reply_tail = b;
}

static int replies_dropped(const client *c) {
    return (c->flags & (CLIENT_CLOSE_ASAP | CLIENT_REPLY_OFF)) != 0;
}

void reply_raw(client *c, const void *p, size_t len) {
    if (replies_dropped(c) || len == 0) return;
    reply_block *t = c->reply_tail;
    size_t room = (t && !t->inflight) ? t->size - t->used : 0;
    size_t n = room < len ? room : len;
    if (n) {
        memcpy(t->buf + t->used, p, n);
        t->used += n;
        p = (const char *)p + n;
        len -= n;
    }
    if (len) {
        reply_block *b = block_new(len > REPLY_BLOCK_SIZE ? len : REPLY_BLOCK_SIZE);
        memcpy(b->buf, p, len);
        b->used = len;
        block_append(c, b);
    }
    c->reply_bytes += n + len;
    client_install_write(c);
    if (len) client_check_obuf_limits(c);
}

void client_free_replies(client *c) {
    reply_block *b = c->reply_head;
    while (b) {
        reply_block *next = b->next;
        kl_free(b);
        b = next;
    }
    c->reply_head = c->reply_tail = NULL;
    c->reply_bytes = 0;
    c->reply_sent = 0;
}

/* ---------------------------------------------------------------- scalars */

static void reply_hdr(client *c, char prefix, long long n) {
    char buf[RESP_HDR_MAX];
    reply_raw(c, buf, resp_fmt_len(buf, prefix, n));
}

void reply_simple(client *c, const char *s) {
    reply_raw(c, "+", 1);
    reply_raw(c, s, strlen(s));
    reply_raw(c, "\r\n", 2);
}

void reply_ok(client *c) { reply_raw(c, "+OK\r\n", 5); }

void reply_error(client *c, const char *msg) {
    size_t len = strlen(msg);
    const char *sp = memchr(msg, ' ', len);
    size_t codelen = sp ? (size_t)(sp - msg) : len;
    int has_code = codelen > 0;
    for (size_t i = 0; i < codelen && has_code; i++)
        if (msg[i] < 'A' || msg[i] > 'Z') has_code = 0;
    reply_raw(c, has_code ? "-" : "-ERR ", has_code ? 1 : 5);
    server_count_error(has_code ? msg : "ERR", has_code ? codelen : 3);
    /* Newlines would break the protocol: Redis replaces them with spaces. */
    const char *p = msg;
    while (len) {
        size_t run = strcspn(p, "\r\n");
        if (run > len) run = len;
        reply_raw(c, p, run);
        if (run == len) break;
        reply_raw(c, " ", 1);
        p += run + 1;
        len -= run + 1;
    }
    reply_raw(c, "\r\n", 2);
}

void reply_errorf(client *c, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    dstr s = dstr_catvfmt(dstr_empty(), fmt, ap);
    va_end(ap);
    reply_error(c, s);
    dstr_free(s);
}

void reply_error_arity(client *c) {
    reply_errorf(c, "ERR wrong number of arguments for '%s' command",
                 c->cmd ? c->cmd->fullname : "unknown");
}

void reply_error_syntax(client *c) { reply_error(c, "ERR syntax error"); }

void reply_error_wrongtype(client *c) {
    reply_error(c, "WRONGTYPE Operation against a key holding the wrong kind of value");
}

void reply_error_not_int(client *c) { reply_error(c, "ERR value is not an integer or out of range"); }

void reply_error_not_float(client *c) { reply_error(c, "ERR value is not a valid float"); }

void reply_error_subcommand(client *c) {
    dstr up = dstr_newlen(c->argv[0].ptr, c->argv[0].len);
    for (char *p = up; *p; p++)
        if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
    int sublen = c->argc > 1 ? (int)(c->argv[1].len > 128 ? 128 : c->argv[1].len) : 0;
    reply_errorf(c, "ERR unknown subcommand '%.*s'. Try %s HELP.", sublen,
                 c->argc > 1 ? c->argv[1].ptr : "", up);
    dstr_free(up);
}

void reply_bulk(client *c, const void *p, size_t len) {
    reply_hdr(c, '$', (long long)len);
    reply_raw(c, p, len);
    reply_raw(c, "\r\n", 2);
}

void reply_bulk_cstr(client *c, const char *s) {
    if (!s) reply_null(c);
    else reply_bulk(c, s, strlen(s));
}

void reply_bulk_ll(client *c, long long v) {
    char buf[LONG_STR_SIZE];
    reply_bulk(c, buf, (size_t)ll_to_str(buf, sizeof(buf), v));
}

void reply_bulk_obj(client *c, const obj *o) {
    char tmp[24];
    size_t len;
    const char *s = obj_str(o, &len, tmp);
    reply_bulk(c, s, len);
}

void reply_null(client *c) {
    if (c->resp >= 3) reply_raw(c, "_\r\n", 3);
    else reply_raw(c, "$-1\r\n", 5);
}

void reply_null_array(client *c) {
    if (c->resp >= 3) reply_raw(c, "_\r\n", 3);
    else reply_raw(c, "*-1\r\n", 5);
}

void reply_long_long(client *c, long long v) {
    if (v == 0) reply_raw(c, ":0\r\n", 4);
    else if (v == 1) reply_raw(c, ":1\r\n", 4);
    else reply_hdr(c, ':', v);
}

void reply_double(client *c, double d) {
    char buf[RESP_HDR_MAX * 2];
    if (c->resp >= 3) {
        reply_raw(c, buf, resp_fmt_double3(buf, d));
    } else {
        size_t n = resp_fmt_double_text(buf, d);
        reply_bulk(c, buf, n);
    }
}

void reply_bool(client *c, int b) {
    if (c->resp >= 3) reply_raw(c, b ? "#t\r\n" : "#f\r\n", 4);
    else reply_long_long(c, b ? 1 : 0);
}

void reply_bignum(client *c, const char *s, size_t len) {
    if (c->resp < 3) {
        reply_bulk(c, s, len);
        return;
    }
    reply_raw(c, "(", 1);
    reply_raw(c, s, len);
    reply_raw(c, "\r\n", 2);
}

void reply_verbatim(client *c, const char *s, size_t len, const char *fmt) {
    if (c->resp < 3) {
        reply_bulk(c, s, len);
        return;
    }
    char buf[RESP_HDR_MAX];
    reply_raw(c, buf, resp_fmt_verbatim_hdr(buf, len, fmt));
    reply_raw(c, s, len);
    reply_raw(c, "\r\n", 2);
}

void reply_array_len(client *c, long long n) { reply_hdr(c, '*', n); }
void reply_map_len(client *c, long long n) { reply_hdr(c, c->resp >= 3 ? '%' : '*', c->resp >= 3 ? n : 2 * n); }
void reply_set_len(client *c, long long n) { reply_hdr(c, c->resp >= 3 ? '~' : '*', n); }
void reply_push_len(client *c, long long n) { reply_hdr(c, c->resp >= 3 ? '>' : '*', n); }
void reply_empty_array(client *c) { reply_raw(c, "*0\r\n", 4); }

/* ---------------------------------------------------------------- deferred lengths
 * A deferred length is a small block of its own, left empty; the elements go to the
 * blocks after it, and the header is written into it once the count is known. */

void *reply_deferred(client *c) {
    if (replies_dropped(c)) return NULL;
    reply_block *b = block_new(RESP_HDR_MAX);
    b->inflight = 0;
    block_append(c, b);
    /* Seal it: a zero-room block is never appended to by reply_raw. */
    b->size = 0;
    client_install_write(c);
    return b;
}

static void set_deferred(client *c, void *handle, char prefix, long long n) {
    reply_block *b = handle;
    if (!b || replies_dropped(c)) return;
    b->used = resp_fmt_len(b->buf, prefix, n);
    b->size = b->used;
    c->reply_bytes += b->used;
}

void reply_set_deferred_array(client *c, void *h, long long n) { set_deferred(c, h, '*', n); }
void reply_set_deferred_map(client *c, void *h, long long n) {
    set_deferred(c, h, c->resp >= 3 ? '%' : '*', c->resp >= 3 ? n : 2 * n);
}
void reply_set_deferred_set(client *c, void *h, long long n) {
    set_deferred(c, h, c->resp >= 3 ? '~' : '*', n);
}

void reply_help(client *c, const char *const *lines) {
    char name[64];
    size_t n = c->argv[0].len < sizeof(name) - 1 ? c->argv[0].len : sizeof(name) - 1;
    for (size_t i = 0; i < n; i++) {
        char ch = c->argv[0].ptr[i];
        name[i] = (char)(ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
    }
    name[n] = '\0';
    long long count = 0;
    while (lines[count]) count++;
    reply_array_len(c, count + 3);
    char head[160];
    snprintf(head, sizeof(head), "%s <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", name);
    reply_simple(c, head);
    for (long long i = 0; i < count; i++) reply_simple(c, lines[i]);
    reply_simple(c, "HELP");
    reply_simple(c, "    Prints this help.");
}

/* ---------------------------------------------------------------- output limits */

int client_obuf_class(const client *c) {
    if (c->flags & CLIENT_REPLICA) return OBUF_REPLICA;
    if (c->flags & CLIENT_PUBSUB) return OBUF_PUBSUB;
    return OBUF_NORMAL;
}

int client_check_obuf_limits(client *c) {
    if (c->flags & (CLIENT_CLOSE_ASAP | CLIENT_FAKE)) return c->flags & CLIENT_CLOSE_ASAP ? 1 : 0;
    const obuf_limit *l = &server.cfg.obuf_limits[client_obuf_class(c)];
    size_t used = c->reply_bytes;
    int hard = l->hard && used >= (size_t)l->hard;
    int soft = 0;
    if (l->soft && used >= (size_t)l->soft) {
        long long now = mstime();
        if (!c->obuf_soft_since) c->obuf_soft_since = now;
        else if (now - c->obuf_soft_since > l->soft_seconds * 1000) soft = 1;
    } else {
        c->obuf_soft_since = 0;
    }
    if (!hard && !soft) return 0;
    dstr info = client_info_string(dstr_empty(), c);
    kl_log(LL_WARNING, "Client %s scheduled to be closed ASAP for overcoming of output buffer limits.",
           info);
    dstr_free(info);
    server.stat_client_outbuf_limit_disconnections++;
    client_close_async(c);
    return 1;
}

/* ---------------------------------------------------------------- writing */

void client_install_write(client *c) {
    if (c->in_pending || (c->flags & CLIENT_FAKE)) return;
    c->in_pending = 1;
    c->prev_pending = NULL;
    c->next_pending = server.pending_writes;
    if (server.pending_writes) server.pending_writes->prev_pending = c;
    server.pending_writes = c;
}

static void pending_remove(client *c) {
    if (!c->in_pending) return;
    if (c->prev_pending) c->prev_pending->next_pending = c->next_pending;
    else server.pending_writes = c->next_pending;
    if (c->next_pending) c->next_pending->prev_pending = c->prev_pending;
    c->in_pending = 0;
    c->next_pending = c->prev_pending = NULL;
}

/* Drop n written bytes from the front of the list. */
static void consume_written(client *c, size_t n) {
    c->reply_bytes -= n;
    c->tot_net_out += (long long)n;
    server.stat_net_output_bytes += (long long)n;
    while (n && c->reply_head) {
        reply_block *b = c->reply_head;
        size_t left = b->used - c->reply_sent;
        if (n < left) {
            c->reply_sent += n;
            return;
        }
        n -= left;
        c->reply_head = b->next;
        if (!c->reply_head) c->reply_tail = NULL;
        c->reply_sent = 0;
        kl_free(b);
    }
    /* Drop empty blocks (e.g. a deferred header that ended up unused). */
    while (c->reply_head && c->reply_head->used == 0 && c->reply_head != c->reply_tail) {
        reply_block *b = c->reply_head;
        c->reply_head = b->next;
        kl_free(b);
    }
}

static int collect_iov(client *c, uv_buf_t *iov, int max) {
    int n = 0;
    size_t off = c->reply_sent;
    for (reply_block *b = c->reply_head; b && n < max; b = b->next) {
        if (b->used > off) iov[n++] = uv_buf_init(b->buf + off, (unsigned)(b->used - off));
        off = 0;
    }
    return n;
}

static void client_write(client *c);

static void on_write_done(uv_write_t *req, int status) {
    client *c = req->data;
    c->write_inflight = 0;
    size_t n = c->inflight_bytes;
    c->inflight_bytes = 0;
    for (reply_block *b = c->reply_head; b; b = b->next) b->inflight = 0;
    if (status < 0) {
        if (status != UV_ECANCELED)
            kl_log(LL_VERBOSE, "Error writing to client %s: %s", c->addr, uv_strerror(status));
        client_close_async(c);
        return;
    }
    consume_written(c, n);
    if (c->reply_bytes) client_install_write(c);
    else if (c->flags & CLIENT_CLOSE_AFTER_REPLY) client_close_async(c);
}

static void client_write(client *c) {
    uv_buf_t iov[WRITE_MAX_IOV];
    while (c->reply_bytes && !c->write_inflight) {
        int n = collect_iov(c, iov, WRITE_MAX_IOV);
        if (n == 0) break;
        int w = uv_try_write((uv_stream_t *)&c->tcp, iov, (unsigned)n);
        server.stat_io_writes++;
        if (w == UV_EAGAIN) w = 0;
        if (w < 0) {
            kl_log(LL_VERBOSE, "Error writing to client %s: %s", c->addr, uv_strerror(w));
            client_close_async(c);
            return;
        }
        size_t total = 0;
        for (int i = 0; i < n; i++) total += iov[i].len;
        consume_written(c, (size_t)w);
        if ((size_t)w == total) continue;
        /* The kernel buffer is full: hand the rest to libuv and seal those blocks. */
        n = collect_iov(c, iov, WRITE_MAX_IOV);
        size_t queued = 0;
        int k = 0;
        for (reply_block *b = c->reply_head; b && k < n; b = b->next) {
            if (b->used) k++;
            b->inflight = 1;
        }
        for (int i = 0; i < n; i++) queued += iov[i].len;
        c->write_req.data = c;
        int rc = uv_write(&c->write_req, (uv_stream_t *)&c->tcp, iov, (unsigned)n, on_write_done);
        if (rc < 0) {
            for (reply_block *b = c->reply_head; b; b = b->next) b->inflight = 0;
            client_close_async(c);
            return;
        }
        c->write_inflight = 1;
        c->inflight_bytes = queued;
        return;
    }
    if (!c->reply_bytes && (c->flags & CLIENT_CLOSE_AFTER_REPLY)) client_close_async(c);
}

void flush_pending_writes(void) {
    while (server.pending_writes) {
        client *c = server.pending_writes;
        pending_remove(c);
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        client_write(c);
    }
}
