/* cmd_conn.c -- connection commands: PING, ECHO, QUIT, RESET, SELECT, AUTH, HELLO and the
 * CLIENT container, plus the CLIENT LIST line (client_info_string) and RESET's state reset.
 *
 * Replies, errors and their order follow Redis 7.0.15 (checked against redis-server). There
 * are no ACL users besides "default": its password is requirepass, and with no requirepass
 * it accepts any password, as Redis's "nopass" default user does.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/util.h"
#include "server/server.h"
#include "server/multi.h"

#ifndef KEEL_VERSION
#define KEEL_VERSION "7.0.15"
#endif

void monitor_remove(client *c);   /* cmd_admin.c */

/* ------------------------------------------------------------------ helpers */

static int requirepass_set(void)
{
    return server.cfg.requirepass && server.cfg.requirepass[0];
}

/* Constant-time comparison of a password with requirepass. */
static int password_matches(const resp_arg *pass)
{
    const char *want = server.cfg.requirepass;
    size_t wlen = strlen(want);
    unsigned diff = (unsigned)(wlen != pass->len);
    size_t n = wlen > pass->len ? wlen : pass->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char a = i < wlen ? (unsigned char)want[i] : 0;
        unsigned char b = i < pass->len ? (unsigned char)pass->ptr[i] : 0;
        diff |= (unsigned)(a ^ b);
    }
    return diff == 0;
}

/* Check credentials of user (NULL = "default") and mark the client authenticated. */
static int auth_user(client *c, const resp_arg *user, const resp_arg *pass)
{
    if (user && !(user->len == 7 && memcmp(user->ptr, "default", 7) == 0)) return 0;
    if (requirepass_set() && !password_matches(pass)) return 0;
    c->authenticated = 1;
    return 1;
}

static void reply_wrongpass(client *c)
{
    reply_error(c, "WRONGPASS invalid username-password pair or user is disabled.");
}

/* Client names and SETINFO values: printable ASCII without spaces ('!'..'~'). */
static int attr_valid(const resp_arg *a)
{
    for (size_t i = 0; i < a->len; i++)
        if (a->ptr[i] < '!' || a->ptr[i] > '~') return 0;
    return 1;
}

/* Set or clear (empty value) a client attribute string. */
static void attr_set(dstr *dst, const resp_arg *a)
{
    dstr_free(*dst);
    *dst = a->len ? dstr_newlen(a->ptr, a->len) : NULL;
}

static int client_set_name(client *c, const resp_arg *name)
{
    if (!attr_valid(name)) {
        reply_error(c, "ERR Client names cannot contain spaces, newlines or special characters.");
        return -1;
    }
    attr_set(&c->name, name);
    return 0;
}

static int arg_eq(const resp_arg *a, const char *s)
{
    return a->len == strlen(s) && memcmp(a->ptr, s, a->len) == 0;
}

static void reply_subcommand_syntax(client *c)
{
    int len = c->argv[1].len > 128 ? 128 : (int)c->argv[1].len;
    reply_errorf(c, "ERR unknown subcommand or wrong number of arguments for '%.*s'. "
                 "Try CLIENT HELP.", len, c->argv[1].ptr);
}

/* ------------------------------------------------------------------ simple commands */

static void cmd_ping(client *c)
{
    if (c->argc > 2) {
        reply_error_arity(c);
        return;
    }
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2) {
        reply_array_len(c, 2);
        reply_bulk(c, "pong", 4);
        if (c->argc == 2) reply_bulk(c, c->argv[1].ptr, c->argv[1].len);
        else reply_bulk(c, "", 0);
    } else if (c->argc == 1) {
        reply_simple(c, "PONG");
    } else {
        reply_bulk(c, c->argv[1].ptr, c->argv[1].len);
    }
}

static void cmd_echo(client *c)
{
    reply_bulk(c, c->argv[1].ptr, c->argv[1].len);
}

static void cmd_quit(client *c)
{
    reply_ok(c);
    client_close_after_reply(c);
}

static void cmd_select(client *c)
{
    long long id;
    if (arg_to_ll(c, &c->argv[1], &id) < 0) return;
    if (id < INT_MIN || id > INT_MAX) {
        reply_error(c, "ERR value is out of range, value must between -2147483648 and "
                       "2147483647");
        return;
    }
    if (client_select_db(c, id) < 0) reply_error(c, "ERR DB index is out of range");
    else reply_ok(c);
}

void client_reset_state(client *c)
{
    if (c->flags & CLIENT_MONITOR) monitor_remove(c);
    multi_reset_client(c);   /* discards MULTI and unwatches */
    client_select_db(c, 0);
    c->resp = 2;
    c->authenticated = !requirepass_set();
    pubsub_unsubscribe_all(c, 0);
    dstr_free(c->name);
    c->name = NULL;
    c->flags &= ~(CLIENT_PUBSUB | CLIENT_REPLY_OFF);
}

static void cmd_reset(client *c)
{
    client_reset_state(c);
    reply_simple(c, "RESET");
}

static void cmd_auth(client *c)
{
    if (c->argc > 3) {
        reply_error_syntax(c);
        return;
    }
    const resp_arg *user = c->argc == 3 ? &c->argv[1] : NULL;
    if (!user && !requirepass_set()) {
        reply_error(c, "ERR AUTH <password> called without any password configured for the "
                       "default user. Are you sure your configuration is correct?");
        return;
    }
    if (auth_user(c, user, &c->argv[c->argc - 1])) reply_ok(c);
    else reply_wrongpass(c);
}

static void reply_hello_map(client *c)
{
    reply_map_len(c, 7);
    reply_bulk_cstr(c, "server");
    reply_bulk_cstr(c, "redis");
    reply_bulk_cstr(c, "version");
    reply_bulk_cstr(c, KEEL_VERSION);
    reply_bulk_cstr(c, "proto");
    reply_long_long(c, c->resp);
    reply_bulk_cstr(c, "id");
    reply_long_long(c, (long long)c->id);
    reply_bulk_cstr(c, "mode");
    reply_bulk_cstr(c, "standalone");
    reply_bulk_cstr(c, "role");
    reply_bulk_cstr(c, "master");
    reply_bulk_cstr(c, "modules");
    reply_empty_array(c);
}

/* HELLO [protover [AUTH user pass] [SETNAME name]]. Order as Redis 7.0.15: version, option
 * syntax, authentication, name (set even when the NOAUTH error follows), NOAUTH, protocol. */
static void cmd_hello(client *c)
{
    long long ver = 0;
    const resp_arg *user = NULL, *pass = NULL, *name = NULL;
    if (c->argc >= 2) {
        if (!str_to_ll(c->argv[1].ptr, c->argv[1].len, &ver)) {
            reply_error(c, "ERR Protocol version is not an integer or out of range");
            return;
        }
        if (ver < 2 || ver > 3) {
            reply_error(c, "NOPROTO unsupported protocol version");
            return;
        }
    }
    for (int j = 2; j < c->argc; j++) {
        int more = c->argc - 1 - j;
        if (arg_is(&c->argv[j], "auth") && more >= 2) {
            user = &c->argv[j + 1];
            pass = &c->argv[j + 2];
            j += 2;
        } else if (arg_is(&c->argv[j], "setname") && more >= 1) {
            name = &c->argv[++j];
        } else {
            int len = c->argv[j].len > 128 ? 128 : (int)c->argv[j].len;
            reply_errorf(c, "ERR Syntax error in HELLO option '%.*s'", len, c->argv[j].ptr);
            return;
        }
    }
    if (user && !auth_user(c, user, pass)) {
        reply_wrongpass(c);
        return;
    }
    if (name && client_set_name(c, name) < 0) return;
    if (!c->authenticated) {
        reply_error(c, "NOAUTH HELLO must be called with the client already authenticated, "
                       "otherwise the HELLO AUTH <user> <pass> option can be used to "
                       "authenticate the client and select the RESP protocol version at the "
                       "same time");
        return;
    }
    if (ver) c->resp = (int)ver;
    reply_hello_map(c);
}

/* ------------------------------------------------------------------ CLIENT LIST line */

enum { CTYPE_NORMAL, CTYPE_REPLICA, CTYPE_PUBSUB, CTYPE_PRIMARY };

static int client_type(const client *c)
{
    if (c->flags & CLIENT_PRIMARY) return CTYPE_PRIMARY;
    if ((c->flags & CLIENT_REPLICA) && !(c->flags & CLIENT_MONITOR)) return CTYPE_REPLICA;
    if (c->flags & CLIENT_PUBSUB) return CTYPE_PUBSUB;
    return CTYPE_NORMAL;
}

static int client_type_by_name(const resp_arg *a)
{
    if (arg_is(a, "normal")) return CTYPE_NORMAL;
    if (arg_is(a, "slave") || arg_is(a, "replica")) return CTYPE_REPLICA;
    if (arg_is(a, "pubsub")) return CTYPE_PUBSUB;
    if (arg_is(a, "master")) return CTYPE_PRIMARY;
    return -1;
}

/* Redis's flag letters, in its order; "N" when none applies. */
static void client_flags_string(const client *c, char *out)
{
    char *p = out;
    if (c->flags & CLIENT_MONITOR) *p++ = 'O';
    else if (c->flags & CLIENT_REPLICA) *p++ = 'S';
    if (c->flags & CLIENT_PRIMARY) *p++ = 'M';
    if (c->flags & CLIENT_PUBSUB) *p++ = 'P';
    if (c->flags & CLIENT_MULTI) *p++ = 'x';
    if (c->flags & CLIENT_BLOCKED) *p++ = 'b';
    if (c->flags & CLIENT_CLOSE_AFTER_REPLY) *p++ = 'c';
    if (c->flags & CLIENT_CLOSE_ASAP) *p++ = 'A';
    if (c->flags & CLIENT_NO_EVICT) *p++ = 'e';
    if (p == out) *p++ = 'N';
    *p = '\0';
}

typedef struct obuf_stats {
    size_t rbs, obl, oll, omem, total;
} obuf_stats;

/* The first reply block plays the role of Redis's fixed reply buffer (rbs/obl), the others
 * of its reply list (oll/omem). */
static obuf_stats client_obuf_stats(const client *c)
{
    obuf_stats st = { 0, 0, 0, 0, 0 };
    for (const reply_block *b = c->reply_head; b; b = b->next) {
        size_t sz = sizeof(*b) + b->size;
        st.total += sz;
        if (b == c->reply_head) {
            st.rbs = b->size;
            st.obl = b->used;
        } else {
            st.oll++;
            st.omem += sz;
        }
    }
    return st;
}

static const char *client_cmd_name(const client *c)
{
    const command *cmd = c->cmd ? c->cmd : c->lastcmd;
    if (!cmd) return "NULL";
    return cmd->fullname[0] ? cmd->fullname : cmd->name;
}

dstr client_info_string(dstr s, client *c)
{
    char flags[16];
    client_flags_string(c, flags);
    obuf_stats ob = client_obuf_stats(c);
    size_t qbuf = c->querybuf ? dstr_len(c->querybuf) : 0;
    size_t qfree = c->querybuf ? dstr_avail(c->querybuf) : 0;
    size_t qalloc = c->querybuf ? dstr_alloc_size(c->querybuf) : 0;
    size_t argv_mem = 0;   /* the arguments of the command it is running, if any */
    for (int i = 0; c->argv && i < c->argc; i++) argv_mem += c->argv[i].len;
    size_t tot = sizeof(*c) + qalloc + argv_mem + ob.total;
    long long now = mstime();
    long long age = c->ctime && now > c->ctime ? (now - c->ctime) / 1000 : 0;
    long long idle = c->last_interaction && now > c->last_interaction
                         ? (now - c->last_interaction) / 1000 : 0;
    const char *events = (c->flags & CLIENT_READING_PAUSED)
                             ? (c->inflight_bytes ? "w" : "")
                             : (c->inflight_bytes ? "rw" : "r");
    return dstr_catfmt(s,
        "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=%s db=%d "
        "sub=%zu psub=%zu ssub=0 multi=%d qbuf=%zu qbuf-free=%zu argv-mem=%zu multi-mem=0 "
        "rbs=%zu rbp=%zu obl=%zu oll=%zu omem=%zu tot-mem=%zu events=%s cmd=%s "
        "user=default redir=-1 resp=%d",
        (unsigned long long)c->id, c->addr, c->laddr, c->fd, c->name ? c->name : "", age,
        idle, flags, c->db ? c->db->id : 0,
        c->pubsub_channels ? dict_size(c->pubsub_channels) : 0,
        c->pubsub_patterns ? dict_size(c->pubsub_patterns) : 0,
        (c->flags & CLIENT_MULTI) ? 0 : -1, qbuf, qfree, argv_mem, ob.rbs, ob.rbs, ob.obl,
        ob.oll, ob.omem, tot, events, client_cmd_name(c), c->resp);
}

static dstr cat_client_line(dstr s, client *c)
{
    s = client_info_string(s, c);
    return dstr_catlen(s, "\n", 1);
}

/* ------------------------------------------------------------------ CLIENT subcommands */

static void cmd_client_id(client *c)
{
    reply_long_long(c, (long long)c->id);
}

static void cmd_client_setname(client *c)
{
    if (client_set_name(c, &c->argv[2]) == 0) reply_ok(c);
}

static void cmd_client_getname(client *c)
{
    if (c->name) reply_bulk(c, c->name, dstr_len(c->name));
    else reply_null(c);
}

static void cmd_client_info(client *c)
{
    dstr s = cat_client_line(dstr_empty(), c);
    reply_verbatim(c, s, dstr_len(s), "txt");
    dstr_free(s);
}

/* CLIENT LIST [TYPE type | ID id [id ...]] */
static void cmd_client_list(client *c)
{
    int type = -1;
    if (c->argc == 4 && arg_is(&c->argv[2], "type")) {
        type = client_type_by_name(&c->argv[3]);
        if (type < 0) {
            int len = c->argv[3].len > 128 ? 128 : (int)c->argv[3].len;
            reply_errorf(c, "ERR Unknown client type '%.*s'", len, c->argv[3].ptr);
            return;
        }
    } else if (c->argc > 3 && arg_is(&c->argv[2], "id")) {
        dstr s = dstr_empty();
        for (int j = 3; j < c->argc; j++) {
            long long id;
            if (!str_to_ll(c->argv[j].ptr, c->argv[j].len, &id)) {
                dstr_free(s);
                reply_error(c, "ERR Invalid client ID");
                return;
            }
            client *o = id > 0 ? client_by_id((uint64_t)id) : NULL;
            if (o) s = cat_client_line(s, o);
        }
        reply_verbatim(c, s, dstr_len(s), "txt");
        dstr_free(s);
        return;
    } else if (c->argc != 2) {
        reply_error_syntax(c);
        return;
    }
    dstr s = dstr_empty();
    for (client *o = server.clients; o; o = o->next)
        if (type < 0 || client_type(o) == type) s = cat_client_line(s, o);
    reply_verbatim(c, s, dstr_len(s), "txt");
    dstr_free(s);
}

typedef struct kill_filter {
    const resp_arg *addr, *laddr;
    int type;
    uint64_t id;
    int skipme;
} kill_filter;

/* Parse the new form's option pairs. 0 ok, -1 after replying the error. */
static int kill_filter_parse(client *c, kill_filter *f)
{
    for (int i = 2; i < c->argc; i += 2) {
        if (i + 1 >= c->argc) {
            reply_error_syntax(c);
            return -1;
        }
        const resp_arg *opt = &c->argv[i], *val = &c->argv[i + 1];
        if (arg_is(opt, "id")) {
            long long id;
            if (!str_to_ll(val->ptr, val->len, &id) || id < 1) {
                reply_error(c, "ERR client-id should be greater than 0");
                return -1;
            }
            f->id = (uint64_t)id;
        } else if (arg_is(opt, "type")) {
            f->type = client_type_by_name(val);
            if (f->type < 0) {
                int len = val->len > 128 ? 128 : (int)val->len;
                reply_errorf(c, "ERR Unknown client type '%.*s'", len, val->ptr);
                return -1;
            }
        } else if (arg_is(opt, "addr")) {
            f->addr = val;
        } else if (arg_is(opt, "laddr")) {
            f->laddr = val;
        } else if (arg_is(opt, "user")) {
            if (!arg_eq(val, "default")) {
                int len = val->len > 128 ? 128 : (int)val->len;
                reply_errorf(c, "ERR No such user '%.*s'", len, val->ptr);
                return -1;
            }
        } else if (arg_is(opt, "skipme")) {
            if (arg_is(val, "yes")) f->skipme = 1;
            else if (arg_is(val, "no")) f->skipme = 0;
            else {
                reply_error_syntax(c);
                return -1;
            }
        } else {
            reply_error_syntax(c);
            return -1;
        }
    }
    return 0;
}

static int kill_filter_match(const kill_filter *f, client *self, client *o)
{
    if (f->addr && !arg_eq(f->addr, o->addr)) return 0;
    if (f->laddr && !arg_eq(f->laddr, o->laddr)) return 0;
    if (f->type >= 0 && client_type(o) != f->type) return 0;
    if (f->id && o->id != f->id) return 0;
    if (o == self && f->skipme) return 0;
    return 1;
}

/* CLIENT KILL ip:port | CLIENT KILL <option> <value> [...]. The current client is closed
 * after its reply; others are closed asynchronously. */
static void cmd_client_kill(client *c)
{
    kill_filter f = { NULL, NULL, -1, 0, 1 };
    if (c->argc == 3) {
        f.addr = &c->argv[2];
        f.skipme = 0;
    } else if (kill_filter_parse(c, &f) < 0) {
        return;
    }
    long long killed = 0;
    int close_self = 0;
    for (client *o = server.clients; o; o = o->next) {
        if (!kill_filter_match(&f, c, o)) continue;
        if (o == c) close_self = 1;
        else client_close_async(o);
        killed++;
    }
    if (c->argc == 3) {
        if (killed == 0) reply_error(c, "ERR No such client");
        else reply_ok(c);
    } else {
        reply_long_long(c, killed);
    }
    if (close_self) client_close_after_reply(c);
}

/* CLIENT SETINFO LIB-NAME|LIB-VER value (Redis 7.2). */
static void cmd_client_setinfo(client *c)
{
    const resp_arg *attr = &c->argv[2];
    dstr *dst;
    if (arg_is(attr, "lib-name")) dst = &c->lib_name;
    else if (arg_is(attr, "lib-ver")) dst = &c->lib_ver;
    else {
        int len = attr->len > 128 ? 128 : (int)attr->len;
        reply_errorf(c, "ERR Unrecognized option '%.*s'", len, attr->ptr);
        return;
    }
    if (!attr_valid(&c->argv[3])) {
        int len = attr->len > 128 ? 128 : (int)attr->len;
        reply_errorf(c, "ERR %.*s cannot contain spaces, newlines or special characters.", len,
                     attr->ptr);
        return;
    }
    attr_set(dst, &c->argv[3]);
    reply_ok(c);
}

/* CLIENT PAUSE timeout [WRITE|ALL]: the mode is checked before the timeout, as Redis. */
static void cmd_client_pause(client *c)
{
    if (c->argc > 4) {
        reply_subcommand_syntax(c);
        return;
    }
    int type = 2;
    if (c->argc == 4) {
        if (arg_is(&c->argv[3], "write")) type = 1;
        else if (arg_is(&c->argv[3], "all")) type = 2;
        else {
            reply_error(c, "ERR CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
    }
    long long ms;
    if (!str_to_ll(c->argv[2].ptr, c->argv[2].len, &ms)) {
        reply_error(c, "ERR timeout is not an integer or out of range");
        return;
    }
    if (ms < 0) {
        reply_error(c, "ERR timeout is negative");
        return;
    }
    long long now = mstime();
    if (ms > LLONG_MAX - now) {
        reply_error(c, "ERR timeout is out of range");
        return;
    }
    clients_pause(type, now + ms);
    reply_ok(c);
}

static void cmd_client_unpause(client *c)
{
    clients_unpause();
    reply_ok(c);
}

static void cmd_client_no_evict(client *c)
{
    if (arg_is(&c->argv[2], "on")) c->flags |= CLIENT_NO_EVICT;
    else if (arg_is(&c->argv[2], "off")) c->flags &= ~CLIENT_NO_EVICT;
    else {
        reply_error_syntax(c);
        return;
    }
    reply_ok(c);
}

static void cmd_client_help(client *c)
{
    static const char *lines[] = {
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        NULL
    };
    reply_help(c, lines);
}

/* ------------------------------------------------------------------ table */

#define CONN_FLAGS (CMD_NOSCRIPT | CMD_LOADING | CMD_STALE)
#define CONN_ADMIN (CMD_ADMIN | CONN_FLAGS)
#define ACL_CONN_SLOW (ACL_SLOW | ACL_CONNECTION)
#define ACL_CONN_ADMIN (ACL_ADMIN | ACL_SLOW | ACL_DANGEROUS | ACL_CONNECTION)

static const char *ping_tips[] = { "request_policy:all_shards", "response_policy:all_succeeded",
                                   NULL };
static const char *nondet_tips[] = { "nondeterministic_output", NULL };

static command client_subcommands[] = {
    { .name = "getname", .proc = cmd_client_getname, .arity = 2, .flags = CONN_FLAGS,
      .acl = ACL_CONN_SLOW, .group = "connection", .since = "2.6.9",
      .summary = "Get the current connection name", .complexity = "O(1)" },
    { .name = "help", .proc = cmd_client_help, .arity = 2, .flags = CMD_LOADING | CMD_STALE,
      .acl = ACL_CONN_SLOW, .group = "connection", .since = "5.0.0",
      .summary = "Show helpful text about the different subcommands", .complexity = "O(1)" },
    { .name = "id", .proc = cmd_client_id, .arity = 2, .flags = CONN_FLAGS,
      .acl = ACL_CONN_SLOW, .group = "connection", .since = "5.0.0",
      .summary = "Returns the client ID for the current connection", .complexity = "O(1)" },
    { .name = "info", .proc = cmd_client_info, .arity = 2, .flags = CONN_FLAGS,
      .acl = ACL_CONN_SLOW, .group = "connection", .since = "6.2.0",
      .summary = "Returns information about the current client connection.",
      .complexity = "O(1)", .tips = nondet_tips },
    { .name = "kill", .proc = cmd_client_kill, .arity = -3, .flags = CONN_ADMIN,
      .acl = ACL_CONN_ADMIN, .group = "connection", .since = "2.4.0",
      .summary = "Kill the connection of a client",
      .complexity = "O(N) where N is the number of client connections" },
    { .name = "list", .proc = cmd_client_list, .arity = -2, .flags = CONN_ADMIN,
      .acl = ACL_CONN_ADMIN, .group = "connection", .since = "2.4.0",
      .summary = "Get the list of client connections",
      .complexity = "O(N) where N is the number of client connections", .tips = nondet_tips },
    { .name = "no-evict", .proc = cmd_client_no_evict, .arity = 3, .flags = CONN_ADMIN,
      .acl = ACL_CONN_ADMIN, .group = "connection", .since = "7.0.0",
      .summary = "Set client eviction mode for the current connection", .complexity = "O(1)" },
    { .name = "pause", .proc = cmd_client_pause, .arity = -3, .flags = CONN_ADMIN,
      .acl = ACL_CONN_ADMIN, .group = "connection", .since = "2.9.50",
      .summary = "Stop processing commands from clients for some time",
      .complexity = "O(1)" },
    { .name = "setinfo", .proc = cmd_client_setinfo, .arity = 4, .flags = CONN_FLAGS,
      .acl = ACL_CONN_SLOW, .group = "connection", .since = "7.2.0",
      .summary = "Set client or connection specific info", .complexity = "O(1)" },
    { .name = "setname", .proc = cmd_client_setname, .arity = 3, .flags = CONN_FLAGS,
      .acl = ACL_CONN_SLOW, .group = "connection", .since = "2.6.9",
      .summary = "Set the current connection name", .complexity = "O(1)" },
    { .name = "unpause", .proc = cmd_client_unpause, .arity = 2, .flags = CONN_ADMIN,
      .acl = ACL_CONN_ADMIN, .group = "connection", .since = "6.2.0",
      .summary = "Resume processing of clients that were paused",
      .complexity = "O(N) Where N is the number of paused clients" },
    { .name = NULL }
};

#define CONN_HANDSHAKE (CONN_FLAGS | CMD_FAST | CMD_NO_AUTH | CMD_ALLOW_BUSY)

command conn_commands[] = {
    { .name = "ping", .proc = cmd_ping, .arity = -1, .flags = CMD_FAST,
      .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "1.0.0",
      .summary = "Ping the server", .complexity = "O(1)", .tips = ping_tips },
    { .name = "echo", .proc = cmd_echo, .arity = 2,
      .flags = CMD_LOADING | CMD_STALE | CMD_FAST, .acl = ACL_FAST | ACL_CONNECTION,
      .group = "connection", .since = "1.0.0", .summary = "Echo the given string",
      .complexity = "O(1)" },
    { .name = "select", .proc = cmd_select, .arity = 2,
      .flags = CMD_LOADING | CMD_STALE | CMD_FAST, .acl = ACL_FAST | ACL_CONNECTION,
      .group = "connection", .since = "1.0.0",
      .summary = "Change the selected database for the current connection",
      .complexity = "O(1)" },
    { .name = "auth", .proc = cmd_auth, .arity = -2, .flags = CONN_HANDSHAKE,
      .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "1.0.0",
      .summary = "Authenticate to the server",
      .complexity = "O(N) where N is the number of passwords defined for the user" },
    { .name = "hello", .proc = cmd_hello, .arity = -1, .flags = CONN_HANDSHAKE,
      .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "6.0.0",
      .summary = "Handshake with Redis", .complexity = "O(1)" },
    { .name = "quit", .proc = cmd_quit, .arity = -1, .flags = CONN_HANDSHAKE,
      .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "1.0.0",
      .summary = "Close the connection", .complexity = "O(1)" },
    { .name = "reset", .proc = cmd_reset, .arity = 1, .flags = CONN_HANDSHAKE,
      .acl = ACL_FAST | ACL_CONNECTION, .group = "connection", .since = "6.2.0",
      .summary = "Reset the connection", .complexity = "O(1)" },
    { .name = "client", .proc = NULL, .arity = -2, .acl = ACL_SLOW, .group = "connection",
      .since = "2.4.0", .summary = "A container for client connection commands",
      .complexity = "Depends on subcommand.", .subcommands = client_subcommands },
    { .name = NULL }
};
