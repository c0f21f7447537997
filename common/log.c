/* log.c -- leveled logging in Redis's line shape:
 *   "<pid>:<role> <dd Mon yyyy hh:mm:ss.mmm> <level char> <message>"
 * The log file is opened in append mode for every line (as Redis does) so an external
 * logrotate can move the file away without a signal; an empty path means standard output.
 * Loop thread mostly; a line is written with one fwrite so children and threads do not
 * interleave inside a line.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/alloc.h"

/* Longest message kept for one line (Redis LOG_MAX_LEN); longer ones are truncated. */
#define LOG_MAX_LEN 1024

static int log_level = LL_NOTICE;
static char *log_file;      /* NULL = stdout */
static char log_role = 'M';

static const char *const level_names[] = {"debug", "verbose", "notice", "warning", "nothing"};

void log_set_level(int level) {
    if (level >= LL_DEBUG && level <= LL_NOTHING) log_level = level;
}

int log_get_level(void) {
    return log_level;
}

void log_set_file(const char *path) {
    kl_free(log_file);
    log_file = (path && path[0]) ? kl_strdup(path) : NULL;
}

void log_set_role(char role) {
    log_role = role;
}

int log_level_from_name(const char *name) {
    if (!name) return -1;
    for (int i = LL_DEBUG; i <= LL_NOTHING; i++) {
        if (strcasecmp(name, level_names[i]) == 0) return i;
    }
    return -1;
}

const char *log_level_name(int level) {
    if (level < LL_DEBUG || level > LL_NOTHING) return "unknown";
    return level_names[level];
}

/* Format the "pid:R dd Mon yyyy hh:mm:ss.mmm c " prefix into buf; returns its length. */
static int log_prefix(char *buf, size_t len, int level) {
    static const char level_chars[] = ".-*#";
    struct timeval tv;
    struct tm tm;
    char when[64];

    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    size_t off = strftime(when, sizeof(when), "%d %b %Y %H:%M:%S.", &tm);
    snprintf(when + off, sizeof(when) - off, "%03d", (int)(tv.tv_usec / 1000));
    char c = (level >= LL_DEBUG && level < LL_NOTHING) ? level_chars[level] : '#';
    return snprintf(buf, len, "%d:%c %s %c ", (int)getpid(), log_role, when, c);
}

/* Write one complete line, opening the file for this line only. */
static void log_write_line(int level, const char *msg) {
    char line[LOG_MAX_LEN + 128];
    int n = log_prefix(line, sizeof(line), level);
    if (n < 0) return;
    if ((size_t)n >= sizeof(line)) n = (int)sizeof(line) - 1;
    /* Copy by hand rather than snprintf: long messages are cut, never a warning. */
    size_t room = sizeof(line) - (size_t)n - 1, mlen = strlen(msg);
    if (mlen > room - 1) mlen = room - 1;
    memcpy(line + n, msg, mlen);
    line[n + mlen] = '\n';
    size_t total = (size_t)n + mlen + 1;
    FILE *fp = log_file ? fopen(log_file, "a") : stdout;
    if (!fp) return;
    fwrite(line, 1, total, fp);
    fflush(fp);
    if (fp != stdout) fclose(fp);
}

void kl_log_raw(int level, const char *msg) {
    if (level < log_level || level >= LL_NOTHING) return;
    log_write_line(level, msg ? msg : "");
}

void kl_log(int level, const char *fmt, ...) {
    if (level < log_level || level >= LL_NOTHING) return;
    char msg[LOG_MAX_LEN];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_write_line(level, msg);
}

_Noreturn void kl_panic_at(const char *file, int line, const char *fmt, ...) {
    char msg[LOG_MAX_LEN];
    char full[LOG_MAX_LEN + 256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    snprintf(full, sizeof(full), "PANIC at %s:%d: %s", file, line, msg);
    /* Panics are logged whatever the level, and echoed to stderr when logging to a file
     * so a supervisor sees why the process stopped. */
    log_write_line(LL_WARNING, full);
    if (log_file) fprintf(stderr, "%s\n", full);
    abort();
}
