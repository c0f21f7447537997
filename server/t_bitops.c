/* t_bitops.c -- bitmap commands on string values: SETBIT, GETBIT, BITCOUNT, BITPOS, BITOP,
 * BITFIELD and BITFIELD_RO.
 *
 * Bitmaps are plain strings; bit 0 is the most significant bit of the first byte, as in
 * Redis. Writers turn the value RAW, grow it with zero bytes up to the highest bit written
 * (offsets are bounded by proto-max-bulk-len, so the 512 MB string limit holds) and edit the
 * dstr in place. Ranges, negative indexes, BYTE/BIT units, overflow modes, replies, errors
 * and keyspace events follow Redis 7.0.
 * Loop thread only.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include <stdint.h>
#include <string.h>

#include "common/alloc.h"
#include "common/db.h"
#include "common/util.h"
#include "server/server.h"

#define ERR_BIT_OFFSET "ERR bit offset is not an integer or out of range"
#define ERR_BIT_VALUE "ERR bit is not an integer or out of range"
#define ERR_BF_TYPE \
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported " \
    "but i64 is."

/* ------------------------------------------------------------------ helpers */

/* Parses a bit offset; "#N" (when bits > 0) means N * bits. Offsets whose byte is at or past
 * proto-max-bulk-len are refused. 0 or -1 after replying the error. */
static int parse_bit_offset(client *c, const resp_arg *a, int bits, uint64_t *out) {
    const char *p = a->ptr;
    size_t len = a->len;
    int hash = bits > 0 && len && p[0] == '#';
    long long v;
    if (!str_to_ll(p + hash, len - (size_t)hash, &v) || v < 0) goto err;
    if (hash) {
        if (v > INT64_MAX / bits) goto err;
        v *= bits;
    }
    if ((v >> 3) >= server.cfg.proto_max_bulk_len) goto err;
    *out = (uint64_t)v;
    return 0;
err:
    reply_error(c, ERR_BIT_OFFSET);
    return -1;
}

/* The key's string for writing, grown (zero filled) to hold bit maxbit: created when
 * missing. *dirty is 1 when the key was created or grew. NULL after WRONGTYPE. */
static obj *string_for_bit_write(client *c, uint64_t maxbit, int *dirty) {
    const resp_arg *key = &c->argv[1];
    size_t need = (size_t)(maxbit >> 3) + 1;
    obj *o = db_lookup_write(&server.ks, c->db, key->ptr, key->len);
    *dirty = 0;
    if (o && o->type != OBJ_STRING) {
        reply_error_wrongtype(c);
        return NULL;
    }
    if (!o) {
        o = obj_new_string_raw(NULL, need);
        db_add(c->db, key->ptr, key->len, o);
        *dirty = 1;
        return o;
    }
    obj *n = obj_make_raw(o);
    if (n != o) db_update_value(c->db, key->ptr, key->len, n);
    dstr s = obj_raw_dstr(n);
    if (dstr_len(s) < need) {
        obj_set_raw_dstr(n, dstr_growzero(s, need));
        *dirty = 1;
    }
    return n;
}

static void bit_key_changed(client *c, const char *event, long long changes) {
    server_key_modified(c, c->db, c->argv[1].ptr, c->argv[1].len);
    server_notify(NOTIFY_STRING, event, c->argv[1].ptr, c->argv[1].len, c->db->id);
    server.dirty += changes;
}

/* Looks up a key for reading: NULL when missing (nothing replied) or after WRONGTYPE
 * (*err set). */
static obj *string_for_read(client *c, const resp_arg *key, int *err) {
    obj *o = db_lookup_read(&server.ks, c->db, key->ptr, key->len);
    *err = 0;
    if (o && o->type != OBJ_STRING) {
        reply_error_wrongtype(c);
        *err = 1;
        return NULL;
    }
    return o;
}

/* ------------------------------------------------------------------ SETBIT GETBIT */

static void cmd_setbit(client *c) {
    uint64_t offset;
    long long on;
    if (parse_bit_offset(c, &c->argv[2], 0, &offset) < 0) return;
    if (arg_to_ll_range(c, &c->argv[3], 0, 1, &on, ERR_BIT_VALUE) < 0) return;
    int dirty;
    obj *o = string_for_bit_write(c, offset, &dirty);
    if (!o) return;
    uint8_t *p = (uint8_t *)obj_raw_dstr(o);
    size_t byte = (size_t)(offset >> 3);
    unsigned bit = 7 - (unsigned)(offset & 7);
    int old = (p[byte] >> bit) & 1;
    if (dirty || old != on) {
        p[byte] = (uint8_t)((p[byte] & ~(1u << bit)) | ((unsigned)on << bit));
        bit_key_changed(c, "setbit", 1);
    }
    reply_long_long(c, old);
}

static void cmd_getbit(client *c) {
    uint64_t offset;
    int err;
    if (parse_bit_offset(c, &c->argv[2], 0, &offset) < 0) return;
    obj *o = string_for_read(c, &c->argv[1], &err);
    if (err) return;
    int bit = 0;
    if (o) {
        char tmp[24];
        size_t len;
        const uint8_t *p = (const uint8_t *)obj_str(o, &len, tmp);
        size_t byte = (size_t)(offset >> 3);
        if (byte < len) bit = (p[byte] >> (7 - (offset & 7))) & 1;
    }
    reply_long_long(c, bit);
}

/* ------------------------------------------------------------------ BITCOUNT BITPOS */

static long long popcount(const uint8_t *p, size_t n) {
    long long count = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        count += __builtin_popcountll(w);
    }
    for (; i < n; i++) count += __builtin_popcount(p[i]);
    return count;
}

/* Mask of the bits of byte (index b) that lie inside [sbit, ebit]. */
static uint8_t range_mask(size_t b, long long sbit, long long ebit) {
    unsigned mask = 0xff;
    if ((long long)b == (sbit >> 3)) mask &= 0xffu >> (sbit & 7);
    if ((long long)b == (ebit >> 3)) mask &= (0xffu << (7 - (ebit & 7))) & 0xff;
    return (uint8_t)mask;
}

/* Converts [*start, *end] (bytes or bits per isbit, negatives from the end) of a string of
 * len bytes into an inclusive bit range, clamped. Returns 0 if the range is empty. */
static int bit_range(long long start, long long end, size_t len, int isbit, long long *sbit,
                     long long *ebit) {
    long long total = isbit ? (long long)len * 8 : (long long)len;
    if (start < 0) start += total;
    if (end < 0) end += total;
    if (start < 0) start = 0;
    if (end < 0) end = 0;
    if (end >= total) end = total - 1;
    if (start > end) return 0;
    *sbit = isbit ? start : start * 8;
    *ebit = isbit ? end : end * 8 + 7;
    return 1;
}

/* Parses an optional BYTE|BIT argument; -1 after a syntax error. */
static int parse_unit(client *c, int idx, int *isbit) {
    *isbit = 0;
    if (idx >= c->argc) return 0;
    if (arg_is(&c->argv[idx], "bit")) *isbit = 1;
    else if (!arg_is(&c->argv[idx], "byte")) {
        reply_error_syntax(c);
        return -1;
    }
    return 0;
}

static long long count_range(const uint8_t *p, long long sbit, long long ebit) {
    size_t first = (size_t)(sbit >> 3), last = (size_t)(ebit >> 3);
    long long count = popcount(p + first, last - first + 1);
    /* subtract the bits of the edge bytes that lie outside the range */
    count -= __builtin_popcount(p[first] & (uint8_t)~range_mask(first, sbit, ebit));
    if (last != first)
        count -= __builtin_popcount(p[last] & (uint8_t)~range_mask(last, sbit, ebit));
    return count;
}

static void cmd_bitcount(client *c) {
    int err, isbit = 0;
    obj *o = string_for_read(c, &c->argv[1], &err);
    if (err) return;
    if (!o) {
        reply_long_long(c, 0);
        return;
    }
    char tmp[24];
    size_t len;
    const uint8_t *p = (const uint8_t *)obj_str(o, &len, tmp);
    long long start = 0, end = -1, sbit, ebit;
    if (c->argc == 4 || c->argc == 5) {
        if (arg_to_ll(c, &c->argv[2], &start) < 0 || arg_to_ll(c, &c->argv[3], &end) < 0) return;
        if (start < 0 && end < 0 && start > end) {   /* before the unit, as Redis 7.0 */
            reply_long_long(c, 0);
            return;
        }
        if (parse_unit(c, 4, &isbit) < 0) return;
    } else if (c->argc != 2) {
        reply_error_syntax(c);
        return;
    }
    if (!bit_range(start, end, len, isbit, &sbit, &ebit)) {
        reply_long_long(c, 0);
        return;
    }
    reply_long_long(c, count_range(p, sbit, ebit));
}

/* First bit equal to bit in [sbit, ebit], or -1. */
static long long find_bit(const uint8_t *p, long long sbit, long long ebit, int bit) {
    size_t first = (size_t)(sbit >> 3), last = (size_t)(ebit >> 3);
    const uint64_t skip = bit ? 0 : UINT64_MAX;
    for (size_t b = first; b <= last; b++) {
        if (b > first && b + 8 <= last) {
            uint64_t w;
            memcpy(&w, p + b, 8);
            if (w == skip) {
                b += 7;
                continue;
            }
        }
        uint8_t v = bit ? p[b] : (uint8_t)~p[b];
        v &= range_mask(b, sbit, ebit);
        if (v) return (long long)b * 8 + __builtin_clz((unsigned)v) - 24;
    }
    return -1;
}

static void cmd_bitpos(client *c) {
    long long bit;
    if (arg_to_ll(c, &c->argv[2], &bit) < 0) return;
    if (bit != 0 && bit != 1) {
        reply_error(c, "ERR The bit argument must be 1 or 0.");
        return;
    }
    int err, isbit = 0, end_given = c->argc >= 5;
    obj *o = string_for_read(c, &c->argv[1], &err);
    if (err) return;
    if (!o) {
        reply_long_long(c, bit ? -1 : 0);
        return;
    }
    char tmp[24];
    size_t len;
    const uint8_t *p = (const uint8_t *)obj_str(o, &len, tmp);
    long long start = 0, end = -1, sbit, ebit;
    if (c->argc >= 4 && c->argc <= 6) {
        if (arg_to_ll(c, &c->argv[3], &start) < 0) return;
        if (parse_unit(c, 5, &isbit) < 0) return;
        if (end_given && arg_to_ll(c, &c->argv[4], &end) < 0) return;
    } else if (c->argc != 3) {
        reply_error_syntax(c);
        return;
    }
    if (!bit_range(start, end, len, isbit, &sbit, &ebit)) {
        reply_long_long(c, -1);
        return;
    }
    long long pos = find_bit(p, sbit, ebit, (int)bit);
    /* Looking for a clear bit without an explicit end: the string is zero padded. */
    if (pos < 0 && bit == 0 && !end_given) pos = ebit + 1;
    reply_long_long(c, pos);
}

/* ------------------------------------------------------------------ BITOP */

enum { BITOP_AND, BITOP_OR, BITOP_XOR, BITOP_NOT };

static void bitop_compute(int op, int n, const uint8_t **src, const size_t *len, uint8_t *res,
                          size_t maxlen) {
    for (size_t j = 0; j < maxlen; j++) {
        uint8_t out = len[0] > j ? src[0][j] : 0;
        if (op == BITOP_NOT) out = (uint8_t)~out;
        for (int i = 1; i < n; i++) {
            uint8_t b = len[i] > j ? src[i][j] : 0;
            if (op == BITOP_AND) out &= b;
            else if (op == BITOP_OR) out |= b;
            else out ^= b;
        }
        res[j] = out;
    }
}

static void bitop_store(client *c, const resp_arg *dest, obj *res, size_t maxlen) {
    if (maxlen) {
        db_set(c->db, dest->ptr, dest->len, res, 0);
        server_key_modified(c, c->db, dest->ptr, dest->len);
        server_notify(NOTIFY_STRING, "set", dest->ptr, dest->len, c->db->id);
        server.dirty++;
    } else if (db_delete(c->db, dest->ptr, dest->len)) {
        server_key_modified(c, c->db, dest->ptr, dest->len);
        server_notify(NOTIFY_GENERIC, "del", dest->ptr, dest->len, c->db->id);
        server.dirty++;
    }
    reply_long_long(c, (long long)maxlen);
}

static int bitop_parse(client *c, int *op) {
    const resp_arg *a = &c->argv[1];
    if (arg_is(a, "and")) *op = BITOP_AND;
    else if (arg_is(a, "or")) *op = BITOP_OR;
    else if (arg_is(a, "xor")) *op = BITOP_XOR;
    else if (arg_is(a, "not")) *op = BITOP_NOT;
    else {
        reply_error_syntax(c);
        return -1;
    }
    if (*op == BITOP_NOT && c->argc != 4) {
        reply_error(c, "ERR BITOP NOT must be called with a single source key.");
        return -1;
    }
    return 0;
}

static void cmd_bitop(client *c) {
    int op;
    if (bitop_parse(c, &op) < 0) return;
    int n = c->argc - 3;
    const uint8_t **src = kl_calloc((size_t)n, sizeof(*src));
    size_t *len = kl_calloc((size_t)n, sizeof(*len));
    char (*tmp)[24] = kl_malloc((size_t)n * sizeof(*tmp));
    size_t maxlen = 0;
    for (int j = 0; j < n; j++) {
        int err;
        obj *o = string_for_read(c, &c->argv[j + 3], &err);
        if (err) goto done;
        if (!o) continue;
        src[j] = (const uint8_t *)obj_str(o, &len[j], tmp[j]);
        if (len[j] > maxlen) maxlen = len[j];
    }
    obj *res = NULL;
    if (maxlen) {
        res = obj_new_string_raw(NULL, maxlen);
        bitop_compute(op, n, src, len, (uint8_t *)obj_raw_dstr(res), maxlen);
    }
    bitop_store(c, &c->argv[2], res, maxlen);
done:
    kl_free(src);
    kl_free(len);
    kl_free(tmp);
}

/* ------------------------------------------------------------------ BITFIELD */

enum { BF_GET, BF_SET, BF_INCRBY };
enum { BF_WRAP, BF_SAT, BF_FAIL };

typedef struct bf_op {
    uint64_t offset;
    int64_t arg;
    int opcode, overflow, bits, sign;
} bf_op;

/* Reads bits (MSB first) at offset of p, bytes at or past len reading as zero. */
static uint64_t bf_get_unsigned(const uint8_t *p, size_t len, uint64_t offset, int bits) {
    uint64_t v = 0;
    for (int j = 0; j < bits; j++, offset++) {
        size_t byte = (size_t)(offset >> 3);
        int b = byte < len ? (p[byte] >> (7 - (offset & 7))) & 1 : 0;
        v = (v << 1) | (uint64_t)b;
    }
    return v;
}

static int64_t bf_get_signed(const uint8_t *p, size_t len, uint64_t offset, int bits) {
    uint64_t v = bf_get_unsigned(p, len, offset, bits);
    if (bits < 64 && (v & (1ULL << (bits - 1)))) v |= UINT64_MAX << bits;
    return (int64_t)v;
}

static void bf_set(uint8_t *p, uint64_t offset, int bits, uint64_t v) {
    for (int j = 0; j < bits; j++, offset++) {
        size_t byte = (size_t)(offset >> 3);
        unsigned bit = 7 - (unsigned)(offset & 7);
        unsigned b = (unsigned)(v >> (bits - 1 - j)) & 1;
        p[byte] = (uint8_t)((p[byte] & ~(1u << bit)) | (b << bit));
    }
}

/* value + incr for a field of the op's type: *res is the stored result (wrapped or
 * saturated); returns 1 on overflow. Exact arithmetic in 128 bits. */
static int bf_apply(const bf_op *op, __int128 value, __int128 incr, uint64_t *res) {
    __int128 exact = value + incr, min, max;
    if (op->sign) {
        max = (((__int128)1) << (op->bits - 1)) - 1;
        min = -max - 1;
    } else {
        max = (((__int128)1) << op->bits) - 1;
        min = 0;
    }
    if (exact >= min && exact <= max) {
        *res = (uint64_t)exact;
        return 0;
    }
    if (op->overflow == BF_SAT) {
        /* Redis computes max - value in 64 bits: when that wraps (a SET of a value far
         * below a narrow signed field) it saturates to the maximum. */
        int up = exact > max || (op->sign && op->bits < 64 && max - value > INT64_MAX);
        *res = (uint64_t)(up ? max : min);
    } else {
        uint64_t w = (uint64_t)exact;   /* modulo 2^64, then to the field width */
        if (op->bits < 64) {
            w &= ~(UINT64_MAX << op->bits);
            if (op->sign && (w & (1ULL << (op->bits - 1)))) w |= UINT64_MAX << op->bits;
        }
        *res = w;
    }
    return 1;
}

static int bf_parse_type(client *c, const resp_arg *a, int *sign, int *bits) {
    const char *p = a->ptr;
    long long v;
    if (a->len < 2 || (p[0] != 'i' && p[0] != 'u')) goto err;   /* lower case only */
    *sign = p[0] == 'i';
    if (!str_to_ll(p + 1, a->len - 1, &v) || v < 1 || v > (*sign ? 64 : 63)) goto err;
    *bits = (int)v;
    return 0;
err:
    reply_error(c, ERR_BF_TYPE);
    return -1;
}

/* Parses one GET/SET/INCRBY at argv[*j]; advances *j past its arguments. */
static int bf_parse_op(client *c, int *j, int opcode, int overflow, bf_op *op) {
    op->opcode = opcode;
    op->overflow = overflow;
    op->arg = 0;
    if (bf_parse_type(c, &c->argv[*j + 1], &op->sign, &op->bits) < 0) return -1;
    if (parse_bit_offset(c, &c->argv[*j + 2], op->bits, &op->offset) < 0) return -1;
    if (opcode != BF_GET) {
        long long v;
        if (arg_to_ll(c, &c->argv[*j + 3], &v) < 0) return -1;
        op->arg = v;
    }
    *j += opcode == BF_GET ? 3 : 4;
    return 0;
}

static int bf_parse_overflow(client *c, const resp_arg *a, int *overflow) {
    if (arg_is(a, "wrap")) *overflow = BF_WRAP;
    else if (arg_is(a, "sat")) *overflow = BF_SAT;
    else if (arg_is(a, "fail")) *overflow = BF_FAIL;
    else {
        reply_error(c, "ERR Invalid OVERFLOW type specified");
        return -1;
    }
    return 0;
}

/* Parses all operations; returns their count or -1 after replying an error. */
static int bf_parse(client *c, bf_op *ops) {
    int n = 0, overflow = BF_WRAP, j = 2;
    while (j < c->argc) {
        int rem = c->argc - j - 1, opcode;
        const resp_arg *a = &c->argv[j];
        if (arg_is(a, "get") && rem >= 2) opcode = BF_GET;
        else if (arg_is(a, "set") && rem >= 3) opcode = BF_SET;
        else if (arg_is(a, "incrby") && rem >= 3) opcode = BF_INCRBY;
        else if (arg_is(a, "overflow") && rem >= 1) {
            if (bf_parse_overflow(c, &c->argv[j + 1], &overflow) < 0) return -1;
            j += 2;
            continue;
        } else {
            reply_error_syntax(c);
            return -1;
        }
        if (bf_parse_op(c, &j, opcode, overflow, &ops[n]) < 0) return -1;
        n++;
    }
    return n;
}

/* Runs one SET/INCRBY on the (already grown) string; returns 1 if it counts as a change. */
static int bf_write(client *c, const bf_op *op, uint8_t *p, size_t len, int dirty) {
    uint64_t oldbits = bf_get_unsigned(p, len, op->offset, op->bits), res;
    __int128 old = op->sign ? (__int128)bf_get_signed(p, len, op->offset, op->bits)
                            : (__int128)oldbits;
    int ovf;
    if (op->opcode == BF_INCRBY) {
        ovf = bf_apply(op, old, op->arg, &res);
    } else if (op->sign) {
        ovf = bf_apply(op, op->arg, 0, &res);
    } else {
        ovf = bf_apply(op, (__int128)(uint64_t)op->arg, 0, &res);   /* -1 is 2^64-1 */
    }
    if (ovf && op->overflow == BF_FAIL) {
        reply_null(c);
        return 0;
    }
    long long shown = op->opcode == BF_INCRBY ? (long long)res : (long long)old;
    reply_long_long(c, shown);
    uint64_t mask = op->bits == 64 ? UINT64_MAX : ~(UINT64_MAX << op->bits);
    bf_set(p, op->offset, op->bits, res & mask);
    return dirty || (res & mask) != oldbits;
}

static void bf_read(client *c, const bf_op *op, const obj *o) {
    char tmp[24];
    size_t len = 0;
    const uint8_t *p = o ? (const uint8_t *)obj_str(o, &len, tmp) : NULL;
    if (op->sign) reply_long_long(c, bf_get_signed(p, len, op->offset, op->bits));
    else reply_long_long(c, (long long)bf_get_unsigned(p, len, op->offset, op->bits));
}

/* Looks the key up for the operations: read-only lookups when all are GETs. *o is NULL for
 * a missing key; returns -1 after replying an error. */
static int bf_lookup(client *c, const bf_op *ops, int n, int ro_cmd, obj **o, int *dirty) {
    uint64_t highest = 0;
    int readonly = 1;
    for (int i = 0; i < n; i++) {
        if (ops[i].opcode == BF_GET) continue;
        readonly = 0;
        uint64_t last = ops[i].offset + (uint64_t)ops[i].bits - 1;
        if (last > highest) highest = last;
    }
    *dirty = 0;
    if (readonly) {
        int err;
        *o = string_for_read(c, &c->argv[1], &err);
        return err ? -1 : 0;
    }
    if (ro_cmd) {
        reply_error(c, "ERR BITFIELD_RO only supports the GET subcommand");
        return -1;
    }
    *o = string_for_bit_write(c, highest, dirty);
    return *o ? 0 : -1;
}

static void bitfield_generic(client *c, int ro_cmd) {
    bf_op *ops = kl_malloc((size_t)(c->argc / 2 + 1) * sizeof(*ops));
    int n = bf_parse(c, ops), dirty;
    obj *o;
    if (n < 0 || bf_lookup(c, ops, n, ro_cmd, &o, &dirty) < 0) goto done;
    long long changes = 0;
    reply_array_len(c, n);
    for (int i = 0; i < n; i++) {
        if (ops[i].opcode == BF_GET) {
            bf_read(c, &ops[i], o);
        } else {
            dstr s = obj_raw_dstr(o);
            changes += bf_write(c, &ops[i], (uint8_t *)s, dstr_len(s), dirty);
        }
    }
    if (changes) bit_key_changed(c, "setbit", changes);
done:
    kl_free(ops);
}

static void cmd_bitfield(client *c) { bitfield_generic(c, 0); }
static void cmd_bitfield_ro(client *c) { bitfield_generic(c, 1); }

/* ------------------------------------------------------------------ table */

#define BR (ACL_READ | ACL_BITMAP)
#define BW (ACL_WRITE | ACL_BITMAP)
#define KEY1 .firstkey = 1, .lastkey = 1, .keystep = 1

command bitops_commands[] = {
    {.name = "setbit", .proc = cmd_setbit, .arity = 4, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = BW | ACL_SLOW, KEY1, .group = "bitmap", .since = "2.2.0",
     .summary = "Sets or clears the bit at offset in the string value stored at key",
     .complexity = "O(1)"},
    {.name = "getbit", .proc = cmd_getbit, .arity = 3, .flags = CMD_READONLY | CMD_FAST,
     .acl = BR | ACL_FAST, KEY1, .group = "bitmap", .since = "2.2.0",
     .summary = "Returns the bit value at offset in the string value stored at key",
     .complexity = "O(1)"},
    {.name = "bitcount", .proc = cmd_bitcount, .arity = -2, .flags = CMD_READONLY,
     .acl = BR | ACL_SLOW, KEY1, .group = "bitmap", .since = "2.6.0",
     .summary = "Count set bits in a string", .complexity = "O(N)"},
    {.name = "bitpos", .proc = cmd_bitpos, .arity = -3, .flags = CMD_READONLY,
     .acl = BR | ACL_SLOW, KEY1, .group = "bitmap", .since = "2.8.7",
     .summary = "Find first bit set or clear in a string", .complexity = "O(N)"},
    {.name = "bitop", .proc = cmd_bitop, .arity = -4, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = BW | ACL_SLOW, .firstkey = 2, .lastkey = -1, .keystep = 1, .group = "bitmap",
     .since = "2.6.0", .summary = "Perform bitwise operations between strings",
     .complexity = "O(N)"},
    {.name = "bitfield", .proc = cmd_bitfield, .arity = -2, .flags = CMD_WRITE | CMD_DENYOOM,
     .acl = BW | ACL_SLOW, KEY1, .group = "bitmap", .since = "3.2.0",
     .summary = "Perform arbitrary bitfield integer operations on strings",
     .complexity = "O(1) for each subcommand specified"},
    {.name = "bitfield_ro", .proc = cmd_bitfield_ro, .arity = -2,
     .flags = CMD_READONLY | CMD_FAST, .acl = BR | ACL_FAST, KEY1, .group = "bitmap",
     .since = "6.0.0",
     .summary = "Perform arbitrary bitfield integer operations on strings. Read-only "
                "variant of BITFIELD",
     .complexity = "O(1) for each subcommand specified"},
    {.name = NULL},
};

/* Bitmaps are strings: no object type to register. */
void t_bitops_init(void) {}
