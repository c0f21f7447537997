/* config.h -- one typed table of parameters serving the YAML file, "--name value" command
 * line overrides and CONFIG GET/SET/REWRITE (the shape of Redis's static_configs[]).
 *
 * A binary (keel-server, keel-sentinel) declares an array of cfg_param whose storage
 * points into its own state; this module parses, validates, formats and rewrites. Values
 * are always given as text in Redis's syntax ("yes"/"no", "100mb", enum names,
 * multi-word strings such as "normal 0 0 0 replica 256mb 64mb 60"). In YAML a value may be
 * a scalar or a sequence (joined with spaces); keys are Redis's parameter names.
 * Errors name the file, line and parameter:  keel.yaml:12: parameter 'maxmemory': ...
 * Loop thread only (CONFIG REWRITE writes a temporary file and renames it).
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_CONFIG_H
#define KEEL_CONFIG_H

#include <stddef.h>
#include "common/dstr.h"

typedef enum cfg_kind {
    CFG_BOOL,      /* int storage: yes/no */
    CFG_INT,       /* long long storage, bounds min..max */
    CFG_MEMORY,    /* long long storage, accepts units (mem_to_ull), bounds min..max */
    CFG_STRING,    /* char * storage (kl_malloc'd, NULL for empty when CFG_EMPTY_NULL) */
    CFG_ENUM,      /* int storage, names in enums */
    CFG_SPECIAL,   /* custom set/get callbacks, storage opaque */
} cfg_kind;

#define CFG_IMMUTABLE  (1u << 0)   /* only from file/command line; CONFIG SET refuses */
#define CFG_SENSITIVE  (1u << 1)   /* value redacted in logs */
#define CFG_EMPTY_NULL (1u << 2)   /* strings: "" is stored as NULL */
#define CFG_MULTI_ARG  (1u << 3)   /* command line: collects args until the next --opt */
#define CFG_HIDDEN     (1u << 4)   /* not returned by CONFIG GET * */
#define CFG_PROTECTED  (1u << 5)   /* CONFIG SET refused unless enable-protected-configs
                                    * allows it (checked by the binary's CONFIG SET) */

typedef struct cfg_enum {
    const char *name;
    int value;
} cfg_enum;

typedef struct cfg_param cfg_param;

struct cfg_param {
    const char *name;
    const char *alias;               /* e.g. "slaveof" for "replicaof", or NULL */
    cfg_kind kind;
    unsigned flags;
    void *storage;
    const char *def;                 /* default as text */
    long long min, max;              /* CFG_INT / CFG_MEMORY */
    const cfg_enum *enums;           /* CFG_ENUM, terminated by {NULL, 0} */
    /* CFG_SPECIAL: parse and store; return 0 or -1 with *err set to a static message. */
    int (*set)(const cfg_param *p, const char *value, const char **err);
    /* CFG_SPECIAL: current value as text (caller frees). */
    dstr (*get)(const cfg_param *p);
    /* Optional, after a successful change at run time (CONFIG SET): apply it. Return 0 or
     * -1 with *err; on -1 the previous value is restored. */
    int (*apply)(const cfg_param *p, const char **err);
    /* Optional for CFG_STRING: validate the text before it is stored. 0 or -1 with *err. */
    int (*check)(const cfg_param *p, const char *value, const char **err);
};

typedef struct cfg_table {
    cfg_param *params;
    size_t count;
    char *path;                      /* file loaded, NULL if none (CONFIG REWRITE needs it) */
    /* private */
    dstr *defaults;                  /* each default as cfg_get prints it (for rewrite) */
} cfg_table;

/* Set every parameter to its default. Returns 0, or -1 (a default failed: programmer
 * error, message in err). */
int cfg_init(cfg_table *t, cfg_param *params, size_t count, char *err, size_t errlen);
void cfg_free(cfg_table *t);

/* Load a YAML mapping file. Unknown parameter, bad value or bad YAML: -1 with err like
 * "keel.yaml:12: parameter 'maxmemory': argument must be a memory value". */
int cfg_load_file(cfg_table *t, const char *path, char *err, size_t errlen);

/* Apply "--name value [value...]" arguments (argv[0] excluded by caller). Values run until
 * the next argument starting with "--". Returns 0 or -1 with err naming the parameter. */
int cfg_load_argv(cfg_table *t, int argc, char **argv, char *err, size_t errlen);

const cfg_param *cfg_find(const cfg_table *t, const char *name);   /* name or alias, nocase */

/* Parse and store one value. at_runtime: refuse CFG_IMMUTABLE ("can't set immutable
 * config") and call apply. Returns 0 or -1 with *err a static string in Redis's words
 * (e.g. "argument must be 'yes' or 'no'"). */
int cfg_set(cfg_table *t, const cfg_param *p, const char *value, int at_runtime,
            const char **err);

/* Current value as Redis prints it in CONFIG GET (memory values in bytes, bools yes/no). */
dstr cfg_get(const cfg_param *p);

/* The default of p as cfg_get prints it (borrowed from t; valid until cfg_free). */
const char *cfg_default(const cfg_table *t, const cfg_param *p);

/* Whether the value text v would be written as a plain YAML scalar by cfg_rewrite (1), or
 * needs double quotes (0). Exposed for tests. */
int cfg_yaml_is_plain(const char *v);

/* Write the current values back to t->path (or path when non-NULL): existing lines keep
 * their place and comments, changed values are replaced, values that differ from the
 * default and are absent are appended. Atomic (temp file + fsync + rename). 0 or -1. */
int cfg_rewrite(cfg_table *t, const char *path, char *err, size_t errlen);
/* The two halves of cfg_rewrite, so a server can keep the fsync off its event loop:
 * cfg_rewrite_text reads the file and returns the new text (NULL + err on failure);
 * cfg_write_atomic writes it (temp file, fsync, rename) and touches no table, so it may
 * run on a worker thread. */
dstr cfg_rewrite_text(cfg_table *t, const char *path, char *err, size_t errlen);
int cfg_write_atomic(const char *path, const char *text, size_t len, char *err, size_t errlen);

#endif
