/* log.h -- leveled logging with Redis's line shape:
 *   "<pid>:<role> <dd Mon yyyy hh:mm:ss.mmm> <level char> <message>"
 * role: 'M' primary, 'S' replica, 'X' sentinel, 'C' child; level chars ". - * #" for
 * debug, verbose, notice, warning. The log file is opened per line so rotation works
 * (as Redis); an empty logfile means standard output.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_LOG_H
#define KEEL_LOG_H

enum { LL_DEBUG = 0, LL_VERBOSE, LL_NOTICE, LL_WARNING, LL_NOTHING };

void log_set_level(int level);
int log_get_level(void);
void log_set_file(const char *path);       /* copied; "" or NULL = stdout */
void log_set_role(char role);
/* Level names "debug", "verbose", "notice", "warning", "nothing" <-> LL_*. -1 if unknown. */
int log_level_from_name(const char *name);
const char *log_level_name(int level);

void kl_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kl_log_raw(int level, const char *msg);

_Noreturn void kl_panic_at(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#define kl_panic(...) kl_panic_at(__FILE__, __LINE__, __VA_ARGS__)
/* Always on; for invariants, never for input validation. */
#define kl_assert(e) ((e) ? (void)0 : kl_panic_at(__FILE__, __LINE__, "assertion failed: %s", #e))

#endif
