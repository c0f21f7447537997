/* config.c -- the typed parameter table behind the YAML file, "--name value" arguments and
 * CONFIG GET/SET/REWRITE (Redis's static_configs[] shape, see config.h).
 *
 * Every value goes through one text parser per kind (cfg_set) and one printer (cfg_get),
 * so the file, the command line and CONFIG SET accept exactly the same syntax and report
 * errors in Redis 7's words. The file is YAML read with libyaml's event API: the top level
 * is a mapping of scalars or sequences of scalars. CONFIG REWRITE is line based so that
 * comments and unknown lines survive; it writes a temporary file and renames it.
 * Loop thread only (error texts with numbers live in a static buffer).
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "common/alloc.h"
#include "common/util.h"

/* Longest file accepted by CONFIG REWRITE (a config file is a few KB). */
#define CFG_REWRITE_MAX_FILE (64 * 1024 * 1024)

/* ------------------------------------------------------------------ lookup */

const cfg_param *cfg_find(const cfg_table *t, const char *name) {
    if (!name) return NULL;
    for (size_t i = 0; i < t->count; i++) {
        const cfg_param *p = &t->params[i];
        if (strcasecmp(p->name, name) == 0) return p;
        if (p->alias && strcasecmp(p->alias, name) == 0) return p;
    }
    return NULL;
}

const char *cfg_default(const cfg_table *t, const cfg_param *p) {
    if (!t->defaults || p < t->params || p >= t->params + t->count) return "";
    dstr d = t->defaults[p - t->params];
    return d ? d : "";
}

/* ------------------------------------------------------------------ parsing values */

/* Error texts that carry numbers; valid until the next call (loop thread only). */
static char cfg_errbuf[160];

static int cfg_parse_bool(const char *v, int *out, const char **err) {
    if (strcasecmp(v, "yes") == 0) {
        *out = 1;
    } else if (strcasecmp(v, "no") == 0) {
        *out = 0;
    } else {
        *err = "argument must be 'yes' or 'no'";
        return -1;
    }
    return 0;
}

static int cfg_check_bounds(const cfg_param *p, long long v, const char **err) {
    if (v < p->min || v > p->max) {
        snprintf(cfg_errbuf, sizeof(cfg_errbuf), "argument must be between %lld and %lld inclusive",
                 p->min, p->max);
        *err = cfg_errbuf;
        return -1;
    }
    return 0;
}

static int cfg_parse_number(const cfg_param *p, const char *v, long long *out, const char **err) {
    if (p->kind == CFG_INT) {
        if (!str_to_ll(v, strlen(v), out)) {
            *err = "argument couldn't be parsed into an integer";
            return -1;
        }
    } else {
        unsigned long long u = 0;
        /* Redis accepts an empty memory value as 0. */
        if (v[0] != '\0' && !mem_to_ull(v, &u)) {
            *err = "argument must be a memory value";
            return -1;
        }
        if (u > (unsigned long long)LLONG_MAX) {
            snprintf(cfg_errbuf, sizeof(cfg_errbuf),
                     "argument must be between %lld and %lld inclusive", p->min, p->max);
            *err = cfg_errbuf;
            return -1;
        }
        *out = (long long)u;
    }
    return cfg_check_bounds(p, *out, err);
}

/* "argument(s) must be one of the following: a, b, c" */
static const char *cfg_enum_error(const cfg_param *p) {
    size_t off = (size_t)snprintf(cfg_errbuf, sizeof(cfg_errbuf),
                                  "argument(s) must be one of the following: ");
    for (const cfg_enum *e = p->enums; e && e->name && off < sizeof(cfg_errbuf); e++) {
        off += (size_t)snprintf(cfg_errbuf + off, sizeof(cfg_errbuf) - off, "%s%s",
                                e == p->enums ? "" : ", ", e->name);
    }
    return cfg_errbuf;
}

static int cfg_parse_enum(const cfg_param *p, const char *v, int *out, const char **err) {
    for (const cfg_enum *e = p->enums; e && e->name; e++) {
        if (strcasecmp(e->name, v) == 0) {
            *out = e->value;
            return 0;
        }
    }
    *err = cfg_enum_error(p);
    return -1;
}

/* Parse value and store it; no immutability check, no apply hook. */
static int cfg_store(const cfg_param *p, const char *v, const char **err) {
    switch (p->kind) {
    case CFG_BOOL: {
        int b;
        if (cfg_parse_bool(v, &b, err) < 0) return -1;
        *(int *)p->storage = b;
        return 0;
    }
    case CFG_INT:
    case CFG_MEMORY: {
        long long n;
        if (cfg_parse_number(p, v, &n, err) < 0) return -1;
        *(long long *)p->storage = n;
        return 0;
    }
    case CFG_STRING: {
        if (p->check && p->check(p, v, err) < 0) return -1;
        char **slot = p->storage;
        char *copy = (v[0] == '\0' && (p->flags & CFG_EMPTY_NULL)) ? NULL : kl_strdup(v);
        kl_free(*slot);
        *slot = copy;
        return 0;
    }
    case CFG_ENUM: {
        int e;
        if (cfg_parse_enum(p, v, &e, err) < 0) return -1;
        *(int *)p->storage = e;
        return 0;
    }
    case CFG_SPECIAL:
        *err = "argument is not valid";
        return p->set ? p->set(p, v, err) : -1;
    }
    *err = "unknown parameter type";
    return -1;
}

int cfg_set(cfg_table *t, const cfg_param *p, const char *value, int at_runtime,
            const char **err) {
    (void)t;
    if (!value) value = "";
    if (at_runtime && (p->flags & CFG_IMMUTABLE)) {
        *err = "can't set immutable config";
        return -1;
    }
    if (!at_runtime || !p->apply) return cfg_store(p, value, err);
    dstr old = cfg_get(p);
    if (cfg_store(p, value, err) < 0) {
        dstr_free(old);
        return -1;
    }
    if (p->apply(p, err) < 0) {
        const char *ignored;
        cfg_store(p, old, &ignored);
        p->apply(p, &ignored);
        dstr_free(old);
        return -1;
    }
    dstr_free(old);
    return 0;
}

dstr cfg_get(const cfg_param *p) {
    switch (p->kind) {
    case CFG_BOOL:
        return dstr_new(*(int *)p->storage ? "yes" : "no");
    case CFG_INT:
    case CFG_MEMORY:
        return dstr_catfmt(dstr_empty(), "%lld", *(long long *)p->storage);
    case CFG_STRING: {
        const char *s = *(char **)p->storage;
        return dstr_new(s ? s : "");
    }
    case CFG_ENUM:
        for (const cfg_enum *e = p->enums; e && e->name; e++) {
            if (e->value == *(int *)p->storage) return dstr_new(e->name);
        }
        return dstr_empty();
    case CFG_SPECIAL:
        return p->get ? p->get(p) : dstr_empty();
    }
    return dstr_empty();
}

/* ------------------------------------------------------------------ init / free */

int cfg_init(cfg_table *t, cfg_param *params, size_t count, char *err, size_t errlen) {
    t->params = params;
    t->count = count;
    t->path = NULL;
    t->defaults = kl_calloc(count ? count : 1, sizeof(dstr));
    for (size_t i = 0; i < count; i++) {
        cfg_param *p = &params[i];
        const char *e = NULL;
        if (p->def || p->kind != CFG_SPECIAL) {
            if (cfg_store(p, p->def ? p->def : "", &e) < 0) {
                snprintf(err, errlen, "default of parameter '%s': %s", p->name, e);
                return -1;
            }
        }
        t->defaults[i] = cfg_get(p);
    }
    return 0;
}

void cfg_free(cfg_table *t) {
    for (size_t i = 0; i < t->count; i++) {
        cfg_param *p = &t->params[i];
        if (p->kind == CFG_STRING) {
            char **slot = p->storage;
            kl_free(*slot);
            *slot = NULL;
        }
        if (t->defaults) dstr_free(t->defaults[i]);
    }
    kl_free(t->defaults);
    t->defaults = NULL;
    kl_free(t->path);
    t->path = NULL;
}

/* ------------------------------------------------------------------ YAML file */

typedef struct yaml_ctx {
    yaml_parser_t parser;
    const char *path;
    char *err;
    size_t errlen;
} yaml_ctx;

/* Next event; on a syntax error fill err with file, line and libyaml's problem. */
static int yaml_next(yaml_ctx *y, yaml_event_t *ev) {
    if (yaml_parser_parse(&y->parser, ev)) return 0;
    const char *problem = y->parser.problem ? y->parser.problem : "syntax error";
    if (y->parser.context) {
        snprintf(y->err, y->errlen, "%s:%zu: YAML syntax error: %s %s", y->path,
                 y->parser.problem_mark.line + 1, problem, y->parser.context);
    } else {
        snprintf(y->err, y->errlen, "%s:%zu: YAML syntax error: %s", y->path,
                 y->parser.problem_mark.line + 1, problem);
    }
    return -1;
}

/* Read a parameter's value: a scalar, or a sequence of scalars joined by spaces. The value
 * event has not been read yet. Returns a dstr or NULL (err filled). */
static dstr yaml_read_value(yaml_ctx *y, const char *key, size_t line) {
    yaml_event_t ev;
    if (yaml_next(y, &ev) < 0) return NULL;
    if (ev.type == YAML_SCALAR_EVENT) {
        dstr v = dstr_newlen(ev.data.scalar.value, ev.data.scalar.length);
        yaml_event_delete(&ev);
        return v;
    }
    if (ev.type != YAML_SEQUENCE_START_EVENT) {
        yaml_event_delete(&ev);
        snprintf(y->err, y->errlen,
                 "%s:%zu: parameter '%s': value must be a scalar or a list of scalars",
                 y->path, line, key);
        return NULL;
    }
    yaml_event_delete(&ev);
    dstr v = dstr_empty();
    for (int n = 0;; n++) {
        if (yaml_next(y, &ev) < 0) break;
        if (ev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&ev);
            return v;
        }
        if (ev.type != YAML_SCALAR_EVENT) {
            snprintf(y->err, y->errlen, "%s:%zu: parameter '%s': list items must be scalars",
                     y->path, ev.start_mark.line + 1, key);
            yaml_event_delete(&ev);
            break;
        }
        if (n > 0) v = dstr_cat(v, " ");
        v = dstr_catlen(v, ev.data.scalar.value, ev.data.scalar.length);
        yaml_event_delete(&ev);
    }
    dstr_free(v);
    return NULL;
}

/* One "key: value" pair of the top-level mapping; the key event is in kev. */
static int yaml_load_pair(cfg_table *t, yaml_ctx *y, yaml_event_t *kev) {
    size_t line = kev->start_mark.line + 1;
    if (kev->type != YAML_SCALAR_EVENT) {
        snprintf(y->err, y->errlen, "%s:%zu: parameter names must be scalars", y->path, line);
        return -1;
    }
    char key[256];
    snprintf(key, sizeof(key), "%.*s", (int)(kev->data.scalar.length > 255
             ? 255 : kev->data.scalar.length), (const char *)kev->data.scalar.value);
    dstr v = yaml_read_value(y, key, line);
    if (!v) return -1;
    const cfg_param *p = cfg_find(t, key);
    const char *e = NULL;
    int rc = 0;
    if (!p) {
        snprintf(y->err, y->errlen, "%s:%zu: unknown parameter '%s'", y->path, line, key);
        rc = -1;
    } else if (strlen(v) != dstr_len(v)) {
        snprintf(y->err, y->errlen, "%s:%zu: parameter '%s': value contains a NUL byte",
                 y->path, line, key);
        rc = -1;
    } else if (cfg_set(t, p, v, 0, &e) < 0) {
        snprintf(y->err, y->errlen, "%s:%zu: parameter '%s': %s", y->path, line, key, e);
        rc = -1;
    }
    dstr_free(v);
    return rc;
}

/* The top-level mapping, from MAPPING_START (already consumed) to MAPPING_END. */
static int yaml_load_mapping(cfg_table *t, yaml_ctx *y) {
    for (;;) {
        yaml_event_t ev;
        if (yaml_next(y, &ev) < 0) return -1;
        if (ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return 0;
        }
        int rc = yaml_load_pair(t, y, &ev);
        yaml_event_delete(&ev);
        if (rc < 0) return -1;
    }
}

/* Expect one event of the given type (or STREAM_END when allow_end); 1 = got it, 0 =
 * stream ended, -1 = error. */
static int yaml_expect(yaml_ctx *y, yaml_event_type_t type, int allow_end, const char *what) {
    yaml_event_t ev;
    if (yaml_next(y, &ev) < 0) return -1;
    yaml_event_type_t got = ev.type;
    size_t line = ev.start_mark.line + 1;
    int empty_doc = got == YAML_SCALAR_EVENT && ev.data.scalar.length == 0 &&
                    ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    yaml_event_delete(&ev);
    if (got == type) return 1;
    if (allow_end && got == YAML_STREAM_END_EVENT) return 0;
    if (type == YAML_MAPPING_START_EVENT && empty_doc) return 0;
    snprintf(y->err, y->errlen, "%s:%zu: %s", y->path, line, what);
    return -1;
}

static int yaml_load_stream(cfg_table *t, yaml_ctx *y) {
    int rc = yaml_expect(y, YAML_STREAM_START_EVENT, 0, "not a YAML stream");
    if (rc <= 0) return -1;
    rc = yaml_expect(y, YAML_DOCUMENT_START_EVENT, 1, "the top level must be a mapping");
    if (rc <= 0) return rc;                       /* empty file: nothing to load */
    rc = yaml_expect(y, YAML_MAPPING_START_EVENT, 0, "the top level must be a mapping");
    if (rc < 0) return -1;
    if (rc == 1 && yaml_load_mapping(t, y) < 0) return -1;
    if (yaml_expect(y, YAML_DOCUMENT_END_EVENT, 0, "the top level must be a mapping") < 0)
        return -1;
    rc = yaml_expect(y, YAML_STREAM_END_EVENT, 0, "only one YAML document is allowed");
    return rc < 0 ? -1 : 0;
}

int cfg_load_file(cfg_table *t, const char *path, char *err, size_t errlen) {
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: can't open config file: %s", path, strerror(errno));
        return -1;
    }
    yaml_ctx y = {.path = path, .err = err, .errlen = errlen};
    if (!yaml_parser_initialize(&y.parser)) {
        fclose(fp);
        snprintf(err, errlen, "%s: can't initialize the YAML parser", path);
        return -1;
    }
    yaml_parser_set_input_file(&y.parser, fp);
    int rc = yaml_load_stream(t, &y);
    yaml_parser_delete(&y.parser);
    fclose(fp);
    if (rc == 0) {
        kl_free(t->path);
        t->path = kl_strdup(path);
    }
    return rc;
}

/* ------------------------------------------------------------------ command line */

int cfg_load_argv(cfg_table *t, int argc, char **argv, char *err, size_t errlen) {
    int i = 0;
    while (i < argc) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            snprintf(err, errlen, "command line: unexpected argument '%s'", arg);
            return -1;
        }
        const char *name = arg + 2;
        dstr v = dstr_empty();
        int j = i + 1;
        for (; j < argc && strncmp(argv[j], "--", 2) != 0; j++) {
            if (j > i + 1) v = dstr_cat(v, " ");
            v = dstr_cat(v, argv[j]);
        }
        const cfg_param *p = cfg_find(t, name);
        const char *e = NULL;
        int rc = 0;
        if (!p) {
            snprintf(err, errlen, "command line: unknown parameter '%s'", name);
            rc = -1;
        } else if (cfg_set(t, p, v, 0, &e) < 0) {
            snprintf(err, errlen, "command line: parameter '%s': %s", name, e);
            rc = -1;
        }
        dstr_free(v);
        if (rc < 0) return -1;
        i = j;
    }
    return 0;
}

/* ------------------------------------------------------------------ rewrite */

int cfg_yaml_is_plain(const char *v) {
    size_t n = strlen(v);
    if (n == 0 || v[0] == ' ' || v[n - 1] == ' ') return 0;
    if (strchr("-?:,[]{}#&*!|>'\"%@`~", v[0])) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c >= 'a' && c <= 'z') continue;
        if (c >= 'A' && c <= 'Z') continue;
        if (c >= '0' && c <= '9') continue;
        if (c == ' ' && v[i + 1] != '#') continue;
        if (strchr("._/-+=$^()", c) && c != '\0') continue;
        if (c == ':' && v[i + 1] != ' ' && v[i + 1] != '\0') continue;
        return 0;
    }
    /* Words YAML 1.1 readers would turn into null or booleans stay quoted for them. */
    static const char *const reserved[] = {"null", "Null", "NULL", "true", "false", "True",
                                           "False", "TRUE", "FALSE", "on", "off", "On", "Off",
                                           "ON", "OFF", NULL};
    for (int i = 0; reserved[i]; i++) {
        if (strcmp(v, reserved[i]) == 0) return 0;
    }
    return 1;
}

/* Append v as a YAML scalar: plain when safe, otherwise double quoted with escapes. */
static dstr yaml_cat_scalar(dstr s, const char *v) {
    if (cfg_yaml_is_plain(v)) return dstr_cat(s, v);
    s = dstr_cat(s, "\"");
    for (const unsigned char *c = (const unsigned char *)v; *c; c++) {
        if (*c == '"' || *c == '\\') {
            s = dstr_catfmt(s, "\\%c", *c);
        } else if (*c == '\n') {
            s = dstr_cat(s, "\\n");
        } else if (*c == '\t') {
            s = dstr_cat(s, "\\t");
        } else if (*c < 0x20 || *c == 0x7f) {
            s = dstr_catfmt(s, "\\x%02x", *c);
        } else {
            s = dstr_catlen(s, c, 1);
        }
    }
    return dstr_cat(s, "\"");
}

/* Offset where the value part of "key: value # comment" ends (start of the whitespace
 * before the comment), honouring quotes. */
static size_t yaml_value_end(const char *line, size_t start, size_t len) {
    size_t i = start;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    if (i < len && (line[i] == '"' || line[i] == '\'')) {
        char q = line[i++];
        while (i < len) {
            if (q == '"' && line[i] == '\\' && i + 1 < len) {
                i += 2;
            } else if (line[i] == q) {
                if (q == '\'' && i + 1 < len && line[i + 1] == '\'') {
                    i += 2;
                } else {
                    i++;
                    break;
                }
            } else {
                i++;
            }
        }
    }
    for (; i < len; i++) {
        if (line[i] == '#' && i > start && (line[i - 1] == ' ' || line[i - 1] == '\t')) break;
    }
    while (i > start && (line[i - 1] == ' ' || line[i - 1] == '\t')) i--;
    return i;
}

/* If line is a top-level "key: ..." line, return the param and set *key_end to the offset
 * of the ':'; NULL otherwise. */
static const cfg_param *yaml_line_param(const cfg_table *t, const char *line, size_t len,
                                        size_t *key_end) {
    if (len == 0 || strchr(" \t#-\"'", line[0])) return NULL;
    size_t i = 0;
    while (i < len && line[i] != ':' && line[i] != ' ' && line[i] != '\t') i++;
    size_t klen = i;
    while (i < len && (line[i] == ' ' || line[i] == '\t')) i++;
    if (i >= len || line[i] != ':') return NULL;
    if (i + 1 < len && line[i + 1] != ' ' && line[i + 1] != '\t') return NULL;
    if (klen == 0 || klen >= 128) return NULL;
    char key[128];
    memcpy(key, line, klen);
    key[klen] = '\0';
    *key_end = i;
    return cfg_find(t, key);
}

/* A line that continues the previous key's value (indented, or a "- item"). Comments and
 * blank lines are not continuations: they are kept. */
static int yaml_is_continuation(const char *line, size_t len) {
    if (len == 0) return 0;
    if (line[0] == '-' && (len == 1 || line[1] == ' ')) return 1;
    if (line[0] != ' ' && line[0] != '\t') return 0;
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) i++;
    return i < len && line[i] != '#';
}

/* Blank or comment-only lines may sit inside a multi-line value: they do not end it. */
static int yaml_is_blank_or_comment(const char *line, size_t len) {
    size_t i = 0;
    while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) i++;
    return i == len || line[i] == '#';
}

static dstr rewrite_line(dstr out, const cfg_param *p, const char *line, size_t len,
                         size_t colon) {
    size_t vend = yaml_value_end(line, colon + 1, len);
    dstr v = cfg_get(p);
    out = dstr_catlen(out, line, colon + 1);
    out = dstr_cat(out, " ");
    out = yaml_cat_scalar(out, v);
    dstr_free(v);
    if (vend < len) out = dstr_catlen(out, line + vend, len - vend);   /* comment */
    return dstr_cat(out, "\n");
}

/* Build the new file text from the old one. */
static dstr rewrite_text(cfg_table *t, const char *old, size_t oldlen) {
    char *seen = kl_calloc(t->count ? t->count : 1, 1);
    dstr out = dstr_empty();
    int skipping = 0;
    size_t pos = 0;
    while (pos < oldlen) {
        const char *nl = memchr(old + pos, '\n', oldlen - pos);
        size_t len = nl ? (size_t)(nl - (old + pos)) : oldlen - pos;
        const char *line = old + pos;
        pos += len + (nl ? 1 : 0);
        if (skipping && yaml_is_continuation(line, len)) continue;
        if (!yaml_is_blank_or_comment(line, len)) skipping = 0;
        size_t colon;
        const cfg_param *p = yaml_line_param(t, line, len, &colon);
        if (!p) {
            out = dstr_catlen(out, line, len);
            out = dstr_cat(out, "\n");
            continue;
        }
        skipping = 1;          /* the old value may continue on the next lines */
        size_t idx = (size_t)(p - t->params);
        if (seen[idx]) continue;    /* a later duplicate would override: drop it */
        seen[idx] = 1;
        out = rewrite_line(out, p, line, len, colon);
    }
    for (size_t i = 0; i < t->count; i++) {
        if (seen[i]) continue;
        dstr v = cfg_get(&t->params[i]);
        if (strcmp(v, cfg_default(t, &t->params[i])) != 0) {
            out = dstr_catfmt(out, "%s: ", t->params[i].name);
            out = yaml_cat_scalar(out, v);
            out = dstr_cat(out, "\n");
        }
        dstr_free(v);
    }
    kl_free(seen);
    return out;
}

/* Read the whole file; a missing file reads as empty. NULL on error (err filled). */
static dstr read_whole_file(const char *path, char *err, size_t errlen) {
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        if (errno == ENOENT) return dstr_empty();
        snprintf(err, errlen, "%s: can't open config file: %s", path, strerror(errno));
        return NULL;
    }
    dstr s = dstr_empty();
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), fp)) > 0) {
        if (dstr_len(s) + n > CFG_REWRITE_MAX_FILE) {
            snprintf(err, errlen, "%s: config file too large", path);
            dstr_free(s);
            fclose(fp);
            return NULL;
        }
        s = dstr_catlen(s, buf, n);
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) {
        snprintf(err, errlen, "%s: read error", path);
        dstr_free(s);
        return NULL;
    }
    return s;
}

/* Write text to a temporary file beside path, fsync it and rename it over path. */
int cfg_write_atomic(const char *path, const char *text, size_t len, char *err,
                        size_t errlen) {
    dstr tmp = dstr_catfmt(dstr_empty(), "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        snprintf(err, errlen, "%s: can't create temporary file: %s", path, strerror(errno));
        dstr_free(tmp);
        return -1;
    }
    struct stat st;
    fchmod(fd, stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        off += (size_t)w;
    }
    int ok = off == len && fsync(fd) == 0;
    ok = (close(fd) == 0) && ok;
    if (!ok || rename(tmp, path) < 0) {
        snprintf(err, errlen, "%s: can't write config file: %s", path, strerror(errno));
        unlink(tmp);
        dstr_free(tmp);
        return -1;
    }
    dstr_free(tmp);
    return 0;
}

dstr cfg_rewrite_text(cfg_table *t, const char *path, char *err, size_t errlen) {
    if (!path) path = t->path;
    if (!path) {
        snprintf(err, errlen, "The server is running without a config file");
        return NULL;
    }
    dstr old = read_whole_file(path, err, errlen);
    if (!old) return NULL;
    dstr text = rewrite_text(t, old, dstr_len(old));
    dstr_free(old);
    return text;
}

int cfg_rewrite(cfg_table *t, const char *path, char *err, size_t errlen) {
    dstr text = cfg_rewrite_text(t, path, err, errlen);
    if (!text) return -1;
    int rc = cfg_write_atomic(path ? path : t->path, text, dstr_len(text), err, errlen);
    dstr_free(text);
    return rc;
}
