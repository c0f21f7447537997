/* commands.c -- the command table: every group's rows loaded into one case-insensitive
 * dict, lookups with subcommands, and key extraction for COMMAND GETKEYS.
 *
 * The rows themselves live beside their implementations (cmd_*.c, pubsub.c, config.c), so
 * a command's metadata and code change together. Runtime fields (fullname, parent, id,
 * counters) are filled here once at start-up.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/util.h"
#include "server/server.h"
#include "server/replication.h"

static const dict_type command_dict_type = {.val_free = NULL, .nocase = 1};
static dict *commands;
static int next_id;

static void command_prepare(command *cmd, command *parent) {
    cmd->parent = parent;
    cmd->id = next_id++;
    if (parent) snprintf(cmd->fullname, sizeof(cmd->fullname), "%s|%s", parent->name, cmd->name);
    else snprintf(cmd->fullname, sizeof(cmd->fullname), "%s", cmd->name);
    if (!(cmd->acl & (ACL_FAST | ACL_SLOW))) cmd->acl |= (cmd->flags & CMD_FAST) ? ACL_FAST : ACL_SLOW;
    if (cmd->flags & CMD_WRITE) cmd->acl |= ACL_WRITE;
    if (cmd->flags & CMD_READONLY && !(cmd->acl & ACL_SCRIPTING)) cmd->acl |= ACL_READ;
    if (cmd->flags & CMD_ADMIN) cmd->acl |= ACL_ADMIN | ACL_DANGEROUS;
    if (cmd->flags & CMD_PUBSUB) cmd->acl |= ACL_PUBSUB;
    if (cmd->flags & CMD_BLOCKING) cmd->acl |= ACL_BLOCKING;
    if (cmd->subcommands)
        for (command *sc = cmd->subcommands; sc->name; sc++) command_prepare(sc, cmd);
}

static void load_table(command *table) {
    for (command *cmd = table; cmd->name; cmd++) {
        command_prepare(cmd, NULL);
        if (dict_add(commands, cmd->name, strlen(cmd->name), cmd) != 0)
            kl_panic("duplicate command in table: %s", cmd->name);
    }
}

void command_table_init(void) {
    if (commands) return;
    commands = dict_new(&command_dict_type);
    load_table(conn_commands);
    load_table(keys_commands);
    load_table(string_commands);
    load_table(pubsub_commands);
    load_table(admin_commands);
    load_table(config_commands);
    load_table(hash_commands);
    load_table(list_commands);
    load_table(set_commands);
    load_table(zset_commands);
    load_table(bitops_commands);
    load_table(hll_commands);
    load_table(multi_commands);
    load_table(repl_commands);
    load_table(replica_commands);
}

void command_table_free(void) {
    dict_free(commands);
    commands = NULL;
}

command *command_lookup_name(const char *name, size_t len) {
    dict_entry *e = dict_find(commands, name, len);
    return e ? e->v.val : NULL;
}

static command *find_sub(command *parent, const resp_arg *a) {
    for (command *sc = parent->subcommands; sc->name; sc++)
        if (str_eq_nocase(a->ptr, a->len, sc->name)) return sc;
    return NULL;
}

command *command_lookup(int argc, resp_arg *argv) {
    command *cmd = command_lookup_name(argv[0].ptr, argv[0].len);
    if (!cmd || !cmd->subcommands) return cmd;
    if (argc < 2) return cmd;   /* the container's arity check answers */
    command *sc = find_sub(cmd, &argv[1]);
    return sc;
}

void command_foreach(command_visit_fn *fn, void *priv) {
    dict_iter it;
    dict_iter_init(&it, commands, 0);
    dict_entry *e;
    while ((e = dict_iter_next(&it))) fn(e->v.val, priv);
    dict_iter_release(&it);
}

size_t command_count(void) { return dict_size(commands); }

int command_get_keys(const command *cmd, int argc, resp_arg *argv, int *out, int max) {
    if (cmd->getkeys) return cmd->getkeys(argc, argv, out, max);
    if (cmd->firstkey <= 0) return 0;
    int last = cmd->lastkey >= 0 ? cmd->lastkey : argc + cmd->lastkey;
    int step = cmd->keystep > 0 ? cmd->keystep : 1;
    int n = 0;
    for (int i = cmd->firstkey; i <= last && i < argc && n < max; i += step) out[n++] = i;
    return n;
}
