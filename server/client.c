/* client.c -- listeners, connections, reading and parsing requests, closing clients.
 *
 * Each client embeds its uv_tcp_t (tcp.data points back) and is freed only in the close
 * callback, after libuv has cancelled any write in flight. Clients are never freed from
 * inside a command: client_close_async puts them on a list handled before the loop sleeps
 * (Redis freeClientAsync). Reads go straight into the tail of the query buffer; the parser
 * returns argv slices into it; consumed bytes are dropped once per read.
 * Loop thread only; nothing here blocks.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/util.h"
#include "server/server.h"
#include "server/blocking.h"
#include "server/multi.h"
#include "server/replication.h"

#define READ_CHUNK (16 * 1024)
#define BIG_ARG (32 * 1024)


/* ---------------------------------------------------------------- lifecycle */

static void client_init(client *c) {
    memset(c, 0, sizeof(*c));
    c->id = ++server.next_client_id;
    c->resp = 2;
    c->db = ks_db(&server.ks, 0);
    c->querybuf = dstr_empty();
    c->authenticated = server.cfg.requirepass == NULL;
    c->ctime = c->last_interaction = mstime();
    c->fd = -1;
    resp_parser_init(&c->parser);
    c->parser.max_bulk_len = server.cfg.proto_max_bulk_len;
}

static void client_link(client *c) {
    c->prev = NULL;
    c->next = server.clients;
    if (server.clients) server.clients->prev = c;
    server.clients = c;
    server.nclients++;
}

static void client_unlink(client *c) {
    if (c->prev) c->prev->next = c->next;
    else server.clients = c->next;
    if (c->next) c->next->prev = c->prev;
    c->next = c->prev = NULL;
    server.nclients--;
}

client *client_new_fake(void) {
    client *c = kl_malloc(sizeof(*c));
    client_init(c);
    c->flags |= CLIENT_FAKE;
    c->authenticated = 1;
    return c;
}

static void client_release(client *c) {
    blocking_forget(c);
    multi_reset_client(c);
    pubsub_unsubscribe_all(c, 0);
    if (c->flags & CLIENT_MONITOR) monitor_remove(c);
    client_free_replies(c);
    resp_parser_free(&c->parser);
    dstr_free(c->querybuf);
    dstr_free(c->name);
    dstr_free(c->lib_name);
    dstr_free(c->lib_ver);
    if (c->pubsub_channels) dict_free(c->pubsub_channels);
    if (c->pubsub_patterns) dict_free(c->pubsub_patterns);
    kl_free(c);
}

void client_free_fake(client *c) { client_release(c); }

static void on_client_closed(uv_handle_t *h) {
    client *c = h->data;
    client_release(c);
}

static void pause_list_remove(client *c);

/* Unlink the client from every server structure and close its socket. */
static void client_close_now(client *c) {
    if (c->closing) return;
    c->closing = 1;
    if (server.current_client == c) server.current_client = NULL;
    pause_list_remove(c);
    blocking_forget(c);
    multi_reset_client(c);
    if (c->flags & CLIENT_REPLICA) repl_replica_gone(c);
    if (c->flags & CLIENT_PRIMARY) replica_primary_gone(c);
    client_unlink(c);
    if (c->in_pending) {
        /* Remove from the pending-write list. */
        if (c->prev_pending) c->prev_pending->next_pending = c->next_pending;
        else server.pending_writes = c->next_pending;
        if (c->next_pending) c->next_pending->prev_pending = c->prev_pending;
        c->in_pending = 0;
    }
    pubsub_unsubscribe_all(c, 0);
    if (c->flags & CLIENT_MONITOR) {
        monitor_remove(c);
        c->flags &= ~CLIENT_MONITOR;
    }
    uv_close((uv_handle_t *)&c->tcp, on_client_closed);
}

void client_close_async(client *c) {
    if (c->closing || c->in_close_list || (c->flags & CLIENT_FAKE)) return;
    c->flags |= CLIENT_CLOSE_ASAP;
    c->in_close_list = 1;
    c->next_close = server.close_list;
    server.close_list = c;
}

void client_close_after_reply(client *c) {
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
    client_install_write(c);
}

void clients_close_pending(void) {
    while (server.close_list) {
        client *c = server.close_list;
        server.close_list = c->next_close;
        c->in_close_list = 0;
        client_close_now(c);
    }
}

void clients_close_all(void) {
    while (server.clients) client_close_now(server.clients);
    server.close_list = NULL;
}

client *client_by_id(uint64_t id) {
    for (client *c = server.clients; c; c = c->next)
        if (c->id == id) return c;
    return NULL;
}

int client_select_db(client *c, long long id) {
    db *d = id >= 0 && id <= 0x7fffffff ? ks_db(&server.ks, (int)id) : NULL;
    if (!d) return -1;
    c->db = d;
    return 0;
}

/* ---------------------------------------------------------------- input */

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf) {
    client *c = h->data;
    (void)suggested;
    size_t want = READ_CHUNK;
    /* Inside a big bulk, read it in one go into a buffer of the right size (Redis does
     * the same to avoid copying large arguments repeatedly). */
    size_t pending = resp_parser_pending_bulk(&c->parser);
    if (pending >= BIG_ARG && pending > want) want = pending;
    if (dstr_avail(c->querybuf) < want) c->querybuf = dstr_grow(c->querybuf, want);
    size_t avail = dstr_avail(c->querybuf);
    buf->base = c->querybuf + dstr_len(c->querybuf);
    buf->len = avail;
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
    client *c = s->data;
    (void)buf;
    if (c->closing || (c->flags & CLIENT_CLOSE_ASAP)) return;
    if (nread < 0) {
        if (nread != UV_EOF && nread != UV_ECONNRESET)
            kl_log(LL_VERBOSE, "Reading from client %s: %s", c->addr, uv_strerror((int)nread));
        else
            kl_log(LL_VERBOSE, "Client closed connection id=%llu addr=%s",
                   (unsigned long long)c->id, c->addr);
        client_close_async(c);
        return;
    }
    if (nread == 0) return;
    dstr_incrlen(c->querybuf, nread);
    server.stat_net_input_bytes += nread;
    server.stat_io_reads++;
    c->last_interaction = mstime();
    size_t qlen = dstr_len(c->querybuf) - c->qb_pos;
    if (qlen > c->qb_peak) c->qb_peak = qlen;
    if (qlen > (size_t)server.cfg.client_query_buffer_limit) {
        dstr info = client_info_string(dstr_empty(), c);
        kl_log(LL_WARNING, "Closing client that reached max query buffer length: %s", info);
        dstr_free(info);
        server.stat_client_qbuf_limit_disconnections++;
        client_close_async(c);
        return;
    }
    process_input(c);
}

static void compact_querybuf(client *c) {
    if (c->qb_pos == 0) return;
    dstr_consume(c->querybuf, c->qb_pos);
    c->qb_pos = 0;
    /* Give back a large buffer once it is empty (a big argument was just consumed). */
    if (dstr_len(c->querybuf) == 0 && dstr_avail(c->querybuf) > 4 * READ_CHUNK) {
        dstr_free(c->querybuf);
        c->querybuf = dstr_empty();
    }
}

static void protocol_error(client *c) {
    dstr msg = dstr_catfmt(dstr_empty(), "ERR %s", c->parser.err);
    reply_error(c, msg);
    dstr_free(msg);
    kl_log(LL_VERBOSE, "Protocol error (%s) from client: id=%llu addr=%s", c->parser.err,
           (unsigned long long)c->id, c->addr);
    client_close_after_reply(c);
}

void process_input(client *c) {
    server.current_client = c;
    while (c->qb_pos < dstr_len(c->querybuf)) {
        if (c->flags & (CLIENT_CLOSE_ASAP | CLIENT_CLOSE_AFTER_REPLY | CLIENT_PAUSED | CLIENT_BLOCKED))
            break;
        c->parser.max_bulk_len = server.cfg.proto_max_bulk_len;
        c->parser.unauthenticated = !c->authenticated;
        ssize_t n = resp_parse_request(&c->parser, c->querybuf + c->qb_pos,
                                       dstr_len(c->querybuf) - c->qb_pos);
        if (n == RESP_NEED_MORE) break;
        if (n == RESP_ERROR) {
            protocol_error(c);
            break;
        }
        c->argc = c->parser.argc;
        c->argv = c->parser.argv;
        if (c->argc > 0 && process_command_or_postpone(c)) {
            /* Postponed by CLIENT PAUSE: the same request is parsed again later. */
            resp_parser_reset(&c->parser);
            c->argc = 0;
            c->argv = NULL;
            break;
        }
        if ((c->flags & CLIENT_PRIMARY) && !c->closing)
            replica_applied(c, c->querybuf + c->qb_pos, (size_t)n);
        c->qb_pos += (size_t)n;
        c->argc = 0;
        c->argv = NULL;
        if (server.current_client != c) break;   /* closed itself */
    }
    if (server.current_client == c) server.current_client = NULL;
    if (!c->closing) compact_querybuf(c);
}

/* ---------------------------------------------------------------- outgoing links */

client *client_new_outgoing(void) {
    client *c = kl_malloc(sizeof(*c));
    client_init(c);
    uv_tcp_init(server.loop, &c->tcp);
    c->tcp.data = c;
    c->authenticated = 1;
    client_link(c);
    return c;
}

void client_start_reading(client *c) {
    c->flags &= ~CLIENT_READING_PAUSED;
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

/* ---------------------------------------------------------------- CLIENT PAUSE */

static client *paused_head;

static void pause_list_remove(client *c) {
    if (!c->paused_listed) return;
    for (client **pp = &paused_head; *pp; pp = &(*pp)->next_paused) {
        if (*pp == c) {
            *pp = c->next_paused;
            break;
        }
    }
    c->paused_listed = 0;
    c->flags &= ~CLIENT_PAUSED;
}

int client_is_paused_for(client *c, command *cmd) {
    if (server.pause_type == 0 || (c->flags & (CLIENT_REPLICA | CLIENT_PRIMARY))) return 0;
    if (server.pause_end_ms && server.pause_end_ms <= mstime()) {
        clients_unpause();
        return 0;
    }
    if (server.pause_type == 2) return 1;
    /* WRITE pause: writes and commands that may replicate wait; EVAL-like and PUBLISH too. */
    return (cmd->flags & (CMD_WRITE | CMD_MAY_REPLICATE)) != 0;
}

void client_postpone(client *c) {
    c->flags |= CLIENT_PAUSED;
    if (!c->paused_listed) {
        c->paused_listed = 1;
        c->next_paused = paused_head;
        paused_head = c;
    }
    if (!(c->flags & CLIENT_READING_PAUSED)) {
        uv_read_stop((uv_stream_t *)&c->tcp);
        c->flags |= CLIENT_READING_PAUSED;
    }
}

static void on_pause_timer(uv_timer_t *t) {
    if (!server.pause_type) return;
    long long left = server.pause_end_ms - mstime();
    /* The timer may fire a little before the wall clock reaches the end: re-arm. */
    if (left > 0) uv_timer_start(t, on_pause_timer, (uint64_t)left, 0);
    else clients_unpause();
}

void clients_pause(int type, long long end_ms) {
    /* A new pause never shortens or weakens one in force (Redis semantics). */
    if (server.pause_type && server.pause_type > type) type = server.pause_type;
    if (server.pause_type && server.pause_end_ms > end_ms) end_ms = server.pause_end_ms;
    server.pause_type = type;
    server.pause_end_ms = end_ms;
    long long wait = end_ms - mstime();
    uv_timer_start(&server.pause_timer, on_pause_timer, (uint64_t)(wait > 0 ? wait : 0), 0);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf);

void clients_unpause(void) {
    server.pause_type = 0;
    server.pause_end_ms = 0;
    uv_timer_stop(&server.pause_timer);
    client *list = paused_head;
    paused_head = NULL;
    while (list) {
        client *c = list;
        list = c->next_paused;
        c->paused_listed = 0;
        c->flags &= ~CLIENT_PAUSED;
        if (c->closing) continue;
        if (c->flags & CLIENT_READING_PAUSED) {
            c->flags &= ~CLIENT_READING_PAUSED;
            uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
        }
        server_update_time();
        process_input(c);
    }
}

/* ---------------------------------------------------------------- accept */

static void format_addr(char *out, size_t len, const struct sockaddr_storage *ss) {
    char ip[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (ss->ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ss;
        uv_ip4_name(a, ip, sizeof(ip));
        port = ntohs(a->sin_port);
        snprintf(out, len, "%s:%d", ip, port);
    } else if (ss->ss_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ss;
        uv_ip6_name(a, ip, sizeof(ip));
        port = ntohs(a->sin6_port);
        snprintf(out, len, "[%s]:%d", ip, port);
    } else {
        snprintf(out, len, "?:0");
    }
}

static void on_reject_closed(uv_handle_t *h) { kl_free(h); }

static void reject_connection(uv_stream_t *listener) {
    uv_tcp_t *t = kl_malloc(sizeof(*t));
    uv_tcp_init(server.loop, t);
    if (uv_accept(listener, (uv_stream_t *)t) == 0) {
        static const char msg[] = "-ERR max number of clients reached\r\n";
        uv_buf_t b = uv_buf_init((char *)msg, sizeof(msg) - 1);
        uv_try_write((uv_stream_t *)t, &b, 1);
    }
    server.stat_rejected_conn++;
    uv_close((uv_handle_t *)t, on_reject_closed);
}

static void on_connection(uv_stream_t *listener, int status) {
    if (status < 0) {
        kl_log(LL_WARNING, "Accepting client connection: %s", uv_strerror(status));
        return;
    }
    if ((long long)server.nclients >= server.cfg.maxclients) {
        reject_connection(listener);
        return;
    }
    client *c = kl_malloc(sizeof(*c));
    client_init(c);
    uv_tcp_init(server.loop, &c->tcp);
    c->tcp.data = c;
    if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0) {
        c->closing = 1;
        uv_close((uv_handle_t *)&c->tcp, on_client_closed);
        return;
    }
    client_link(c);
    server.stat_numconnections++;
    uv_tcp_nodelay(&c->tcp, 1);
    if (server.cfg.tcp_keepalive > 0) uv_tcp_keepalive(&c->tcp, 1, (unsigned)server.cfg.tcp_keepalive);
    struct sockaddr_storage ss;
    int sl = sizeof(ss);
    if (uv_tcp_getpeername(&c->tcp, (struct sockaddr *)&ss, &sl) == 0) format_addr(c->addr, sizeof(c->addr), &ss);
    sl = sizeof(ss);
    if (uv_tcp_getsockname(&c->tcp, (struct sockaddr *)&ss, &sl) == 0) format_addr(c->laddr, sizeof(c->laddr), &ss);
    uv_os_fd_t fd;
    if (uv_fileno((uv_handle_t *)&c->tcp, &fd) == 0) c->fd = fd;
    kl_log(LL_VERBOSE, "Accepted %s", c->addr);
    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

/* ---------------------------------------------------------------- listeners */

static void on_listener_closed(uv_handle_t *h) { kl_free(h); }

/* Bind one address from the bind list. Returns 0, a libuv error otherwise. */
static int listen_one(const char *addr, int port, uv_tcp_t **out) {
    struct sockaddr_storage ss;
    unsigned flags = 0;
    const char *a = addr;
    if (strcmp(a, "*") == 0) a = "0.0.0.0";
    if (strcmp(a, "::*") == 0) a = "::";
    int rc = strchr(a, ':') ? uv_ip6_addr(a, port, (struct sockaddr_in6 *)&ss)
                            : uv_ip4_addr(a, port, (struct sockaddr_in *)&ss);
    if (rc) return rc;
    if (strchr(a, ':')) flags |= UV_TCP_IPV6ONLY;
    uv_tcp_t *t = kl_malloc(sizeof(*t));
    uv_tcp_init(server.loop, t);
    rc = uv_tcp_bind(t, (struct sockaddr *)&ss, flags);
    if (rc == 0) rc = uv_listen((uv_stream_t *)t, (int)server.cfg.tcp_backlog, on_connection);
    if (rc) {
        uv_close((uv_handle_t *)t, on_listener_closed);
        return rc;
    }
    *out = t;
    return 0;
}

int server_listen_on(const char *bind, int port, uv_tcp_t ***out, int *nout, const char **err) {
    static char errbuf[256];
    char *copy = kl_strdup(bind ? bind : "");
    uv_tcp_t **list = NULL;
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        int optional = tok[0] == '-';
        const char *addr = optional ? tok + 1 : tok;
        uv_tcp_t *t;
        int rc = listen_one(addr, port, &t);
        if (rc) {
            if (optional && (rc == UV_EADDRNOTAVAIL || rc == UV_EAFNOSUPPORT || rc == UV_EINVAL)) continue;
            snprintf(errbuf, sizeof(errbuf), "Failed listening on port %d (tcp), aborting: %s: %s",
                     port, addr, uv_strerror(rc));
            *err = errbuf;
            for (int i = 0; i < n; i++) uv_close((uv_handle_t *)list[i], on_listener_closed);
            kl_free(list);
            kl_free(copy);
            return -1;
        }
        list = kl_realloc(list, sizeof(*list) * (size_t)(n + 1));
        list[n++] = t;
    }
    kl_free(copy);
    if (n == 0) {
        snprintf(errbuf, sizeof(errbuf), "Failed listening on port %d: no usable bind address", port);
        *err = errbuf;
        kl_free(list);
        return -1;
    }
    *out = list;
    *nout = n;
    return 0;
}

static uv_tcp_t **listeners;
static int nlisteners;

int server_listen(const char **err) {
    if (server.cfg.port == 0) return 0;   /* like Redis: port 0 = no TCP listener */
    uv_tcp_t **list;
    int n;
    if (server_listen_on(server.cfg.bind, (int)server.cfg.port, &list, &n, err)) return -1;
    listeners = list;
    nlisteners = n;
    return 0;
}

void server_close_listeners(void) {
    for (int i = 0; i < nlisteners; i++) uv_close((uv_handle_t *)listeners[i], on_listener_closed);
    kl_free(listeners);
    listeners = NULL;
    nlisteners = 0;
}

int server_rebind(const char **err) {
    uv_tcp_t **list = NULL;
    int n = 0;
    if (server.cfg.port != 0 &&
        server_listen_on(server.cfg.bind, (int)server.cfg.port, &list, &n, err))
        return -1;
    server_close_listeners();
    listeners = list;
    nlisteners = n;
    return 0;
}

/* ---------------------------------------------------------------- cron */

void clients_cron(long long now) {
    for (client *c = server.clients; c; c = c->next) {
        if (c->flags & CLIENT_CLOSE_ASAP) continue;
        int exempt = (c->flags & (CLIENT_REPLICA | CLIENT_PRIMARY | CLIENT_BLOCKED | CLIENT_PUBSUB)) != 0;
        if (!exempt && server.cfg.timeout && now - c->last_interaction > server.cfg.timeout * 1000) {
            kl_log(LL_VERBOSE, "Closing idle client");
            client_close_async(c);
            continue;
        }
        if (c->reply_bytes) client_check_obuf_limits(c);
        /* Give back query buffer space held by a client that is idle. */
        if (dstr_len(c->querybuf) == 0 && dstr_avail(c->querybuf) > 4 * READ_CHUNK) {
            dstr_free(c->querybuf);
            c->querybuf = dstr_empty();
        }
        c->qb_peak = dstr_len(c->querybuf);
    }
}
