/* main.c -- keel-server entry point: configuration, logging, start-up, run, clean exit.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "server/server.h"

int server_init(void);
int server_run(void);
void server_free(void);
void command_table_free(void);

static void usage(void) {
    fprintf(stderr,
            "Usage: ./keel-server [/path/to/keel.yaml] [options]\n"
            "       ./keel-server -v or --version\n"
            "       ./keel-server -h or --help\n\n"
            "Examples:\n"
            "       ./keel-server (run the server with default config)\n"
            "       ./keel-server /etc/keel/6379.yaml\n"
            "       ./keel-server --port 7777\n"
            "       ./keel-server --port 7777 --replicaof 127.0.0.1 8888\n"
            "       ./keel-server /etc/keel.yaml --loglevel verbose\n");
}

int main(int argc, char **argv) {
    if (argc == 2 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version"))) {
        printf("Keel server v=%s redis_version=%s\n", KEEL_OWN_VERSION, KEEL_VERSION);
        return 0;
    }
    if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        usage();
        return 0;
    }
    if (server_config_load(argc, argv) != 0) return 1;
    log_set_role('M');
    log_set_level(server.cfg.loglevel);
    log_set_file(server.cfg.logfile);
    kl_log(LL_NOTICE, "Keel %s (Redis %s compatible) starting, pid=%d", KEEL_OWN_VERSION,
           KEEL_VERSION, (int)getpid());
    if (server_init() != 0) {
        server_free();
        command_table_free();
        return 1;
    }
    kl_log(LL_NOTICE, "Server initialized, port=%lld", server.cfg.port);
    int rc = server_run();
    server_free();
    command_table_free();
    return rc;
}
