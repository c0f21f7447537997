/* pubsub.c -- Pub/Sub: (P)SUBSCRIBE, (P)UNSUBSCRIBE, PUBLISH, PUBSUB, the RESP2
 * subscribed-mode gate, and keyspace notifications (notify-keyspace-events).
 *
 * Two sides are kept in step: each client has a dict of its channels (patterns) with NULL
 * values, and the server has a dict channel (pattern) -> subscriber array in subscription
 * order. All four dicts are created on first use and freed when they become empty, so an
 * idle server holds no pub/sub memory and the core never has to free them.
 * A message is written straight from the publisher's arguments into every subscriber's
 * reply buffer: no per-subscriber copy besides the reply append itself.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "common/alloc.h"
#include "common/util.h"
#include "server/server.h"

/* Exported for the core (not yet declared in server.h). */
int pubsub_command_allowed(client *c, command *cmd);
void pubsub_init(void);
void pubsub_free(void);

/* ------------------------------------------------------------------ subscriber arrays */

typedef struct pubsub_subs {
    client **v;
    size_t n, cap;
} pubsub_subs;

static void subs_free(void *p)
{
    pubsub_subs *s = p;
    kl_free(s->v);
    kl_free(s);
}

static const dict_type server_subs_type = { .val_free = subs_free, .nocase = 0 };
static const dict_type client_subs_type = { .val_free = NULL, .nocase = 0 };

/* Append c to the subscribers of key in *d (created on demand). */
static void subs_add(dict **d, const char *key, size_t len, client *c)
{
    if (!*d) *d = dict_new(&server_subs_type);
    dict_entry *e = dict_find(*d, key, len);
    if (!e) {
        e = dict_add_raw(*d, key, len, NULL);
        e->v.val = kl_calloc(1, sizeof(pubsub_subs));
    }
    pubsub_subs *s = e->v.val;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4;
        s->v = kl_realloc(s->v, s->cap * sizeof(client *));
    }
    s->v[s->n++] = c;
}

/* Remove c from the subscribers of key, keeping the order of the others; drops the key
 * when nobody is left and the dict when it is empty. */
static void subs_remove(dict **d, const char *key, size_t len, client *c)
{
    dict_entry *e = *d ? dict_find(*d, key, len) : NULL;
    if (!e) return;
    pubsub_subs *s = e->v.val;
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i] != c) continue;
        memmove(s->v + i, s->v + i + 1, (s->n - i - 1) * sizeof(client *));
        s->n--;
        break;
    }
    if (s->n == 0) dict_delete(*d, key, len);
    if (dict_size(*d) == 0) {
        dict_free(*d);
        *d = NULL;
    }
}

/* The server dicts are created on the first subscription; start with none. */
void pubsub_init(void)
{
    server.pubsub_channels = NULL;
    server.pubsub_patterns = NULL;
}

/* At shutdown: drop the server side. Clients freed later find no server entries and only
 * release their own dicts. */
void pubsub_free(void)
{
    dict_free(server.pubsub_channels);
    dict_free(server.pubsub_patterns);
    server.pubsub_channels = NULL;
    server.pubsub_patterns = NULL;
}

/* ------------------------------------------------------------------ client side */

static size_t dsize(dict *d) { return d ? dict_size(d) : 0; }

size_t pubsub_client_count(client *c)
{
    return dsize(c->pubsub_channels) + dsize(c->pubsub_patterns);
}

size_t pubsub_total_channels(void) { return dsize(server.pubsub_channels); }
size_t pubsub_total_patterns(void) { return dsize(server.pubsub_patterns); }

static void drop_if_empty(dict **d)
{
    if (*d && dict_size(*d) == 0) {
        dict_free(*d);
        *d = NULL;
    }
}

/* ["subscribe", ch, count] and friends; ch NULL gives a null channel. */
static void reply_sub_event(client *c, const char *kind, const char *ch, size_t len)
{
    reply_push_len(c, 3);
    reply_bulk_cstr(c, kind);
    if (ch) reply_bulk(c, ch, len);
    else reply_null(c);
    reply_long_long(c, (long long)pubsub_client_count(c));
}

static void subscribe_one(client *c, int pat, const char *key, size_t len)
{
    dict **cd = pat ? &c->pubsub_patterns : &c->pubsub_channels;
    if (!*cd) *cd = dict_new(&client_subs_type);
    if (dict_add(*cd, key, len, NULL) == 0)
        subs_add(pat ? &server.pubsub_patterns : &server.pubsub_channels, key, len, c);
    reply_sub_event(c, pat ? "psubscribe" : "subscribe", key, len);
}

/* Unsubscribe c from one channel (pattern). key may point into the client's own dict
 * entry: it is used before that entry is freed. may_free = 0 while iterating the dict. */
static void unsubscribe_one(client *c, int pat, const char *key, size_t len, int notify,
                            int may_free)
{
    dict **cd = pat ? &c->pubsub_patterns : &c->pubsub_channels;
    dict_entry *e = *cd ? dict_unlink(*cd, key, len) : NULL;
    if (e) subs_remove(pat ? &server.pubsub_patterns : &server.pubsub_channels, key, len, c);
    if (notify) reply_sub_event(c, pat ? "punsubscribe" : "unsubscribe", key, len);
    if (e) dict_free_unlinked(*cd, e);
    if (may_free) drop_if_empty(cd);
}

static void unsubscribe_all_kind(client *c, int pat, int notify)
{
    dict **cd = pat ? &c->pubsub_patterns : &c->pubsub_channels;
    size_t count = 0;
    if (*cd) {
        dict_iter it;
        dict_entry *e;
        dict_iter_init(&it, *cd, 1);
        while ((e = dict_iter_next(&it)) != NULL) {
            unsubscribe_one(c, pat, e->key, e->klen, notify, 0);
            count++;
        }
        dict_iter_release(&it);
        drop_if_empty(cd);
    }
    if (notify && count == 0) reply_sub_event(c, pat ? "punsubscribe" : "unsubscribe", NULL, 0);
}

void pubsub_unsubscribe_all(client *c, int notify)
{
    unsubscribe_all_kind(c, 0, notify);
    unsubscribe_all_kind(c, 1, notify);
    c->flags &= ~CLIENT_PUBSUB;
}

/* ------------------------------------------------------------------ publishing */

static void deliver_message(client *c, const char *ch, size_t chlen, const char *msg,
                            size_t msglen)
{
    reply_push_len(c, 3);
    reply_bulk(c, "message", 7);
    reply_bulk(c, ch, chlen);
    reply_bulk(c, msg, msglen);
}

static void deliver_pmessage(client *c, const char *pat, size_t patlen, const char *ch,
                             size_t chlen, const char *msg, size_t msglen)
{
    reply_push_len(c, 4);
    reply_bulk(c, "pmessage", 8);
    reply_bulk(c, pat, patlen);
    reply_bulk(c, ch, chlen);
    reply_bulk(c, msg, msglen);
}

long long pubsub_publish(const char *ch, size_t chlen, const char *msg, size_t msglen)
{
    long long receivers = 0;
    dict_entry *e = server.pubsub_channels ? dict_find(server.pubsub_channels, ch, chlen)
                                           : NULL;
    if (e) {
        pubsub_subs *s = e->v.val;
        for (size_t i = 0; i < s->n; i++) deliver_message(s->v[i], ch, chlen, msg, msglen);
        receivers += (long long)s->n;
    }
    if (!server.pubsub_patterns) return receivers;
    dict_iter it;
    dict_iter_init(&it, server.pubsub_patterns, 1);
    while ((e = dict_iter_next(&it)) != NULL) {
        if (!glob_match(e->key, e->klen, ch, chlen, 0)) continue;
        pubsub_subs *s = e->v.val;
        for (size_t i = 0; i < s->n; i++)
            deliver_pmessage(s->v[i], e->key, e->klen, ch, chlen, msg, msglen);
        receivers += (long long)s->n;
    }
    dict_iter_release(&it);
    return receivers;
}

/* ------------------------------------------------------------------ commands */

static void cmd_subscribe(client *c)
{
    for (int j = 1; j < c->argc; j++) subscribe_one(c, 0, c->argv[j].ptr, c->argv[j].len);
    c->flags |= CLIENT_PUBSUB;
}

static void cmd_psubscribe(client *c)
{
    for (int j = 1; j < c->argc; j++) subscribe_one(c, 1, c->argv[j].ptr, c->argv[j].len);
    c->flags |= CLIENT_PUBSUB;
}

static void unsubscribe_command(client *c, int pat)
{
    if (c->argc == 1) {
        unsubscribe_all_kind(c, pat, 1);
    } else {
        for (int j = 1; j < c->argc; j++)
            unsubscribe_one(c, pat, c->argv[j].ptr, c->argv[j].len, 1, 1);
    }
    if (pubsub_client_count(c) == 0) c->flags &= ~CLIENT_PUBSUB;
}

static void cmd_unsubscribe(client *c) { unsubscribe_command(c, 0); }
static void cmd_punsubscribe(client *c) { unsubscribe_command(c, 1); }

static void cmd_publish(client *c)
{
    long long n = pubsub_publish(c->argv[1].ptr, c->argv[1].len, c->argv[2].ptr,
                                 c->argv[2].len);
    /* Redis forces PUBLISH into the replication stream even though it writes no key. */
    server_propagate(c->db ? c->db->id : 0, c->argc, c->argv);
    reply_long_long(c, n);
}

static void reply_subcommand_syntax(client *c)
{
    int len = c->argv[1].len > 128 ? 128 : (int)c->argv[1].len;
    reply_errorf(c, "ERR unknown subcommand or wrong number of arguments for '%.*s'. "
                 "Try PUBSUB HELP.", len, c->argv[1].ptr);
}

static void cmd_pubsub_channels(client *c)
{
    if (c->argc > 3) {
        reply_subcommand_syntax(c);
        return;
    }
    const resp_arg *pat = c->argc == 3 ? &c->argv[2] : NULL;
    void *h = reply_deferred(c);
    long long n = 0;
    if (server.pubsub_channels) {
        dict_iter it;
        dict_entry *e;
        dict_iter_init(&it, server.pubsub_channels, 0);
        while ((e = dict_iter_next(&it)) != NULL) {
            if (pat && !glob_match(pat->ptr, pat->len, e->key, e->klen, 0)) continue;
            reply_bulk(c, e->key, e->klen);
            n++;
        }
        dict_iter_release(&it);
    }
    reply_set_deferred_array(c, h, n);
}

static void cmd_pubsub_numsub(client *c)
{
    reply_array_len(c, (long long)(c->argc - 2) * 2);
    for (int j = 2; j < c->argc; j++) {
        dict_entry *e = server.pubsub_channels
                            ? dict_find(server.pubsub_channels, c->argv[j].ptr, c->argv[j].len)
                            : NULL;
        reply_bulk(c, c->argv[j].ptr, c->argv[j].len);
        reply_long_long(c, e ? (long long)((pubsub_subs *)e->v.val)->n : 0);
    }
}

static void cmd_pubsub_numpat(client *c)
{
    reply_long_long(c, (long long)pubsub_total_patterns());
}

static void cmd_pubsub_help(client *c)
{
    static const char *lines[] = {
        "CHANNELS [<pattern>]",
        "    Return the currently active channels matching a <pattern> (default: '*').",
        "NUMPAT",
        "    Return number of subscriptions to patterns.",
        "NUMSUB [<channel> ...]",
        "    Return the number of subscribers for the specified channels, excluding",
        "    pattern subscriptions(default: no channels).",
        NULL
    };
    reply_help(c, lines);
}

/* ------------------------------------------------------------------ subscribed mode */

/* RESP2 clients with subscriptions may only run these (Redis processCommand). */
int pubsub_command_allowed(client *c, command *cmd)
{
    static const char *allowed[] = {
        "ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe",
        "punsubscribe", "quit", "reset", NULL
    };
    if (!(c->flags & CLIENT_PUBSUB) || c->resp != 2) return 1;
    const char *top = cmd->parent ? cmd->parent->name : cmd->name;
    for (int i = 0; allowed[i]; i++)
        if (strcasecmp(top, allowed[i]) == 0) return 1;
    reply_errorf(c, "ERR Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                 "QUIT / RESET are allowed in this context",
                 cmd->fullname[0] ? cmd->fullname : cmd->name);
    return 0;
}

/* ------------------------------------------------------------------ keyspace events */

static const struct {
    char letter;
    int flag;
} notify_letters[] = {
    { 'g', NOTIFY_GENERIC }, { '$', NOTIFY_STRING }, { 'l', NOTIFY_LIST },
    { 's', NOTIFY_SET }, { 'h', NOTIFY_HASH }, { 'z', NOTIFY_ZSET },
    { 'x', NOTIFY_EXPIRED }, { 'e', NOTIFY_EVICTED }, { 't', NOTIFY_STREAM },
    { 'd', NOTIFY_MODULE }, { 'n', NOTIFY_NEW }, { 'K', NOTIFY_KEYSPACE },
    { 'E', NOTIFY_KEYEVENT }, { 'm', NOTIFY_KEY_MISS }, { 0, 0 }
};

int notify_flags_from_string(const char *s)
{
    int flags = 0;
    for (; *s; s++) {
        if (*s == 'A') {
            flags |= NOTIFY_ALL;
            continue;
        }
        int i;
        for (i = 0; notify_letters[i].letter; i++)
            if (notify_letters[i].letter == *s) break;
        if (!notify_letters[i].letter) return -1;
        flags |= notify_letters[i].flag;
    }
    return flags;
}

/* Redis's order: A or the class letters g$lshzxetdn, then K, E, m ('n' is dropped with A,
 * as Redis 7.0 prints it). */
dstr notify_flags_to_string(int flags)
{
    dstr s = dstr_empty();
    int all = (flags & NOTIFY_ALL) == NOTIFY_ALL;
    if (all) s = dstr_cat(s, "A");
    for (int i = 0; notify_letters[i].letter; i++) {
        int f = notify_letters[i].flag;
        int is_class = f != NOTIFY_KEYSPACE && f != NOTIFY_KEYEVENT && f != NOTIFY_KEY_MISS;
        if (!(flags & f) || (all && is_class)) continue;
        s = dstr_catlen(s, &notify_letters[i].letter, 1);
    }
    return s;
}

void server_notify(int type, const char *event, const char *key, size_t len, int dbid)
{
    int flags = server.notify_flags;
    if (!(flags & type) || !(flags & (NOTIFY_KEYSPACE | NOTIFY_KEYEVENT))) return;
    if (!server.pubsub_channels && !server.pubsub_patterns) return;   /* nobody listens */
    size_t evlen = strlen(event);
    dstr ch = dstr_empty();
    if (flags & NOTIFY_KEYSPACE) {
        ch = dstr_catfmt(ch, "__keyspace@%d__:", dbid);
        ch = dstr_catlen(ch, key, len);
        pubsub_publish(ch, dstr_len(ch), event, evlen);
    }
    if (flags & NOTIFY_KEYEVENT) {
        dstr_clear(ch);
        ch = dstr_catfmt(ch, "__keyevent@%d__:", dbid);
        ch = dstr_catlen(ch, event, evlen);
        pubsub_publish(ch, dstr_len(ch), key, len);
    }
    dstr_free(ch);
}

/* ------------------------------------------------------------------ table */

static command pubsub_subcommands[] = {
    { .name = "channels", .proc = cmd_pubsub_channels, .arity = -2,
      .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE, .acl = ACL_PUBSUB | ACL_SLOW,
      .group = "pubsub", .since = "2.8.0", .summary = "List active channels",
      .complexity = "O(N) where N is the number of active channels, and assuming constant "
                    "time pattern matching (relatively short channels and patterns)" },
    { .name = "help", .proc = cmd_pubsub_help, .arity = 2,
      .flags = CMD_LOADING | CMD_STALE, .acl = ACL_SLOW, .group = "pubsub", .since = "6.2.0",
      .summary = "Show helpful text about the different subcommands", .complexity = "O(1)" },
    { .name = "numpat", .proc = cmd_pubsub_numpat, .arity = 2,
      .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE, .acl = ACL_PUBSUB | ACL_SLOW,
      .group = "pubsub", .since = "2.8.0",
      .summary = "Get the count of unique patterns pattern subscriptions",
      .complexity = "O(1)" },
    { .name = "numsub", .proc = cmd_pubsub_numsub, .arity = -2,
      .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE, .acl = ACL_PUBSUB | ACL_SLOW,
      .group = "pubsub", .since = "2.8.0",
      .summary = "Get the count of subscribers for channels",
      .complexity = "O(N) for the NUMSUB subcommand, where N is the number of requested "
                    "channels" },
    { .name = NULL }
};

command pubsub_commands[] = {
    { .name = "subscribe", .proc = cmd_subscribe, .arity = -2,
      .flags = CMD_PUBSUB | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
      .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "2.0.0",
      .summary = "Listen for messages published to the given channels",
      .complexity = "O(N) where N is the number of channels to subscribe to." },
    { .name = "unsubscribe", .proc = cmd_unsubscribe, .arity = -1,
      .flags = CMD_PUBSUB | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
      .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "2.0.0",
      .summary = "Stop listening for messages posted to the given channels",
      .complexity = "O(N) where N is the number of clients already subscribed to a "
                    "channel." },
    { .name = "psubscribe", .proc = cmd_psubscribe, .arity = -2,
      .flags = CMD_PUBSUB | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
      .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "2.0.0",
      .summary = "Listen for messages published to channels matching the given patterns",
      .complexity = "O(N) where N is the number of patterns the client is already "
                    "subscribed to." },
    { .name = "punsubscribe", .proc = cmd_punsubscribe, .arity = -1,
      .flags = CMD_PUBSUB | CMD_NOSCRIPT | CMD_LOADING | CMD_STALE,
      .acl = ACL_PUBSUB | ACL_SLOW, .group = "pubsub", .since = "2.0.0",
      .summary = "Stop listening for messages posted to channels matching the given "
                 "patterns",
      .complexity = "O(N+M) where N is the number of patterns the client is already "
                    "subscribed and M is the number of total patterns subscribed in the "
                    "system (by any client)." },
    { .name = "publish", .proc = cmd_publish, .arity = 3,
      .flags = CMD_PUBSUB | CMD_LOADING | CMD_STALE | CMD_FAST | CMD_MAY_REPLICATE,
      .acl = ACL_PUBSUB | ACL_FAST, .group = "pubsub", .since = "2.0.0",
      .summary = "Post a message to a channel",
      .complexity = "O(N+M) where N is the number of clients subscribed to the receiving "
                    "channel and M is the total number of subscribed patterns (by any "
                    "client)." },
    { .name = "pubsub", .proc = NULL, .arity = -2, .acl = ACL_SLOW, .group = "pubsub",
      .since = "2.8.0", .summary = "A container for Pub/Sub commands",
      .complexity = "Depends on subcommand.", .subcommands = pubsub_subcommands },
    { .name = NULL }
};
