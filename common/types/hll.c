/* hll.c -- HyperLogLog strings compatible with Redis's representation (see hll.h).
 *
 * The sparse update follows the behaviour Redis documents for its sparse encoding: find
 * the opcode covering the register, replace it by at most five opcodes (zero run, the new
 * value, zero run; or split value runs), then merge adjacent equal VAL opcodes in a small
 * window. Doing exactly this keeps the byte layout (and therefore the moment of promotion
 * to dense) identical to Redis for the same sequence of additions.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/types/hll.h"

#include <math.h>
#include <string.h>

#include "common/alloc.h"

#define HLL_ALPHA_INF 0.721347520444481703680
#define SPARSE_ZERO_MAX 64
#define SPARSE_XZERO_MAX 16384
#define SPARSE_VAL_MAX_LEN 4

static const char hll_magic[4] = {'H', 'Y', 'L', 'L'};

/* ------------------------------------------------------------------ sparse opcodes */

static inline int op_is_zero(uint8_t b) { return (b & 0xc0) == 0x00; }
static inline int op_is_xzero(uint8_t b) { return (b & 0xc0) == 0x40; }
static inline int zero_len(uint8_t b) { return (b & 0x3f) + 1; }
static inline int xzero_len(const uint8_t *p) { return (((p[0] & 0x3f) << 8) | p[1]) + 1; }
static inline int val_value(uint8_t b) { return ((b >> 2) & 0x1f) + 1; }
static inline int val_len(uint8_t b) { return (b & 0x3) + 1; }
static inline uint8_t val_op(int v, int len) {
    return (uint8_t)(0x80 | ((v - 1) << 2) | (len - 1));
}

/* Writes a ZERO or XZERO run of len registers at p; returns the bytes written. */
static int put_zero_run(uint8_t *p, int len) {
    if (len > SPARSE_ZERO_MAX) {
        p[0] = (uint8_t)(0x40 | ((len - 1) >> 8));
        p[1] = (uint8_t)((len - 1) & 0xff);
        return 2;
    }
    p[0] = (uint8_t)(len - 1);
    return 1;
}

/* ------------------------------------------------------------------ hash */

uint64_t hll_murmur64a(const void *key, size_t len, uint64_t seed) {
    const uint64_t m = 0xc6a4a7935bd1e995ULL;
    const int r = 47;
    const uint8_t *data = key;
    uint64_t h = seed ^ (len * m);
    size_t nblocks = len / 8;
    for (size_t i = 0; i < nblocks; i++, data += 8) {
        uint64_t k = 0;
        for (int b = 7; b >= 0; b--) k = (k << 8) | data[b];   /* little endian */
        k *= m;
        k ^= k >> r;
        k *= m;
        h ^= k;
        h *= m;
    }
    size_t rest = len & 7;
    if (rest) {
        for (size_t b = rest; b > 0; b--) h ^= (uint64_t)data[b - 1] << (8 * (b - 1));
        h *= m;
    }
    h ^= h >> r;
    h *= m;
    h ^= h >> r;
    return h;
}

int hll_pattern(const void *ele, size_t len, long *index) {
    uint64_t hash = hll_murmur64a(ele, len, HLL_SEED);
    *index = (long)(hash & (HLL_REGISTERS - 1));
    hash >>= HLL_P;
    hash |= 1ULL << HLL_Q;   /* guarantees termination: count <= HLL_Q + 1 */
    int count = 1;
    while (!(hash & 1)) {
        count++;
        hash >>= 1;
    }
    return count;
}

/* ------------------------------------------------------------------ header */

dstr hll_new(void) {
    dstr s = dstr_newlen(NULL, HLL_HDR_SIZE + 2);
    memcpy(s, hll_magic, 4);
    s[4] = HLL_ENC_SPARSE;
    put_zero_run((uint8_t *)s + HLL_HDR_SIZE, HLL_REGISTERS);
    return s;
}

int hll_is_valid(const char *p, size_t len) {
    if (len < HLL_HDR_SIZE || memcmp(p, hll_magic, 4) != 0) return 0;
    if (p[4] != HLL_ENC_DENSE && p[4] != HLL_ENC_SPARSE) return 0;
    if (p[4] == HLL_ENC_DENSE && len != HLL_DENSE_SIZE) return 0;
    return 1;
}

int hll_encoding(const char *p) { return p[4]; }

int hll_cache_valid(const char *p) { return ((uint8_t)p[15] & 0x80) == 0; }

uint64_t hll_cache_get(const char *p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) v = (v << 8) | (uint8_t)p[8 + i];
    return v;
}

void hll_cache_set(char *p, uint64_t card) {
    for (int i = 0; i < 8; i++) p[8 + i] = (char)((card >> (8 * i)) & 0xff);
}

void hll_cache_invalidate(char *p) { p[15] = (char)((uint8_t)p[15] | 0x80); }

/* ------------------------------------------------------------------ dense */

int hll_dense_get(const uint8_t *regs, long index) {
    size_t pos = (size_t)index * HLL_BITS;
    size_t b = pos >> 3;
    unsigned fb = pos & 7;
    unsigned v = (unsigned)regs[b] >> fb;
    if (fb > 8 - HLL_BITS) v |= (unsigned)regs[b + 1] << (8 - fb);
    return (int)(v & HLL_REGISTER_MAX);
}

void hll_dense_set(uint8_t *regs, long index, int value) {
    size_t pos = (size_t)index * HLL_BITS;
    size_t b = pos >> 3;
    unsigned fb = pos & 7;
    unsigned v = (unsigned)value & HLL_REGISTER_MAX;
    regs[b] = (uint8_t)((regs[b] & ~(HLL_REGISTER_MAX << fb)) | (v << fb));
    if (fb > 8 - HLL_BITS) {
        unsigned hi = 8 - fb;
        regs[b + 1] = (uint8_t)((regs[b + 1] & ~(HLL_REGISTER_MAX >> hi)) | (v >> hi));
    }
}

static uint8_t *dense_regs(dstr s) { return (uint8_t *)s + HLL_HDR_SIZE; }

static int dense_set_max(dstr s, long index, int value) {
    uint8_t *regs = dense_regs(s);
    if (hll_dense_get(regs, index) >= value) return 0;
    hll_dense_set(regs, index, value);
    return 1;
}

/* ------------------------------------------------------------------ sparse decoding */

/* Calls fn(priv, first, runlen, value) for every run; -1 if the data is corrupt (runs past
 * the register count, truncated opcode, or not covering all registers). */
typedef void sparse_run_fn(void *priv, long first, int runlen, int value);

static int sparse_walk(const char *p, size_t len, sparse_run_fn *fn, void *priv) {
    const uint8_t *op = (const uint8_t *)p + HLL_HDR_SIZE, *end = (const uint8_t *)p + len;
    long idx = 0;
    while (op < end) {
        int runlen, value = 0;
        if (op_is_zero(*op)) {
            runlen = zero_len(*op++);
        } else if (op_is_xzero(*op)) {
            if (op + 1 >= end) return -1;
            runlen = xzero_len(op);
            op += 2;
        } else {
            runlen = val_len(*op);
            value = val_value(*op++);
        }
        if (idx + runlen > HLL_REGISTERS) return -1;
        if (fn) fn(priv, idx, runlen, value);
        idx += runlen;
    }
    return idx == HLL_REGISTERS ? 0 : -1;
}

static void run_to_dense(void *priv, long first, int runlen, int value) {
    if (!value) return;
    for (int i = 0; i < runlen; i++) hll_dense_set(priv, first + i, value);
}

static void run_to_max(void *priv, long first, int runlen, int value) {
    uint8_t *max = priv;
    for (int i = 0; i < runlen; i++)
        if (value > max[first + i]) max[first + i] = (uint8_t)value;
}

static void run_to_histo(void *priv, long first, int runlen, int value) {
    (void)first;
    ((int *)priv)[value] += runlen;
}

int hll_to_dense(dstr *s) {
    if (hll_encoding(*s) == HLL_ENC_DENSE) return 0;
    dstr d = dstr_newlen(NULL, HLL_DENSE_SIZE);
    memcpy(d, *s, HLL_HDR_SIZE);
    d[4] = HLL_ENC_DENSE;
    if (sparse_walk(*s, dstr_len(*s), run_to_dense, dense_regs(d)) < 0) {
        dstr_free(d);
        return -1;
    }
    dstr_free(*s);
    *s = d;
    return 0;
}

int hll_merge_into(uint8_t *max, const char *p, size_t len) {
    if (hll_encoding(p) == HLL_ENC_SPARSE) return sparse_walk(p, len, run_to_max, max);
    const uint8_t *regs = (const uint8_t *)p + HLL_HDR_SIZE;
    for (long i = 0; i < HLL_REGISTERS; i++) {
        int v = hll_dense_get(regs, i);
        if (v > max[i]) max[i] = (uint8_t)v;
    }
    return 0;
}

typedef struct reg_probe {
    long index;
    int value;
} reg_probe;

static void run_probe(void *priv, long first, int runlen, int value) {
    reg_probe *rp = priv;
    if (rp->index >= first && rp->index < first + runlen) rp->value = value;
}

int hll_get_register(const char *p, size_t len, long index) {
    if (index < 0 || index >= HLL_REGISTERS) return -1;
    if (hll_encoding(p) == HLL_ENC_DENSE)
        return hll_dense_get((const uint8_t *)p + HLL_HDR_SIZE, index);
    reg_probe rp = {index, 0};
    if (sparse_walk(p, len, run_probe, &rp) < 0) return -1;
    return rp.value;
}

/* ------------------------------------------------------------------ sparse update */

/* Merge adjacent VAL opcodes with the same value (total length <= 4), looking at up to
 * five opcodes from *start. Returns the new end. */
static uint8_t *sparse_merge_window(uint8_t *p, uint8_t *end) {
    int scan = 5;
    while (p < end && scan--) {
        if (op_is_xzero(*p)) {
            p += 2;
            continue;
        }
        if (op_is_zero(*p)) {
            p++;
            continue;
        }
        if (p + 1 < end && !op_is_zero(p[1]) && !op_is_xzero(p[1]) &&
            val_value(p[0]) == val_value(p[1])) {
            int len = val_len(p[0]) + val_len(p[1]);
            if (len <= SPARSE_VAL_MAX_LEN) {
                p[1] = val_op(val_value(p[0]), len);
                memmove(p, p + 1, (size_t)(end - p - 1));
                end--;
                continue;   /* retry with the merged opcode and the one before it */
            }
        }
        p++;
    }
    return end;
}

/* Builds the opcodes replacing the one at op (covering [first, first+span-1]) so that
 * register index holds value. Returns the sequence length (<= 5). */
static int sparse_split(const uint8_t *op, long first, int span, long index, int value,
                        uint8_t *seq) {
    long last = first + span - 1;
    int n = 0;
    if (op_is_zero(*op) || op_is_xzero(*op)) {
        if (index != first) n += put_zero_run(seq + n, (int)(index - first));
        seq[n++] = val_op(value, 1);
        if (index != last) n += put_zero_run(seq + n, (int)(last - index));
    } else {
        int cur = val_value(*op);
        if (index != first) seq[n++] = val_op(cur, (int)(index - first));
        seq[n++] = val_op(value, 1);
        if (index != last) seq[n++] = val_op(cur, (int)(last - index));
    }
    return n;
}

static int promote_and_set(dstr *s, long index, int value) {
    if (hll_to_dense(s) < 0) return -1;
    return dense_set_max(*s, index, value);
}

/* Locates the opcode covering index: *opoff, *prevoff (-1 if none), *first, *span.
 * -1 if corrupt. */
static int sparse_find(const char *s, size_t len, long index, size_t *opoff, long *prevoff,
                       long *first, int *span) {
    size_t off = HLL_HDR_SIZE;
    long f = 0;
    *prevoff = -1;
    while (off < len) {
        const uint8_t *op = (const uint8_t *)s + off;
        int oplen = 1, sp;
        if (op_is_zero(*op)) {
            sp = zero_len(*op);
        } else if (op_is_xzero(*op)) {
            if (off + 1 >= len) return -1;
            sp = xzero_len(op);
            oplen = 2;
        } else {
            sp = val_len(*op);
        }
        if (index <= f + sp - 1) {
            *opoff = off, *first = f, *span = sp;
            return 0;
        }
        *prevoff = (long)off;
        off += (size_t)oplen;
        f += sp;
    }
    return -1;
}

static int sparse_set(dstr *s, long index, int value, size_t sparse_max) {
    if (value > HLL_SPARSE_VAL_MAX) return promote_and_set(s, index, value);
    *s = dstr_grow(*s, 3);
    size_t len = dstr_len(*s), opoff;
    long prevoff, first;
    int span;
    if (sparse_find(*s, len, index, &opoff, &prevoff, &first, &span) < 0) return -1;
    uint8_t *base = (uint8_t *)*s, *op = base + opoff, *end = base + len;
    int is_val = !op_is_zero(*op) && !op_is_xzero(*op);
    if (is_val && val_value(*op) >= value) return 0;
    if ((is_val || op_is_zero(*op)) && span == 1) {
        *op = val_op(value, 1);
    } else {
        uint8_t seq[5];
        int seqlen = sparse_split(op, first, span, index, value, seq);
        int oldlen = op_is_xzero(*op) ? 2 : 1;
        long delta = seqlen - oldlen;
        if (delta > 0 && len + (size_t)delta > sparse_max) return promote_and_set(s, index, value);
        uint8_t *next = op + oldlen;
        if (delta) memmove(next + delta, next, (size_t)(end - next));
        memcpy(op, seq, (size_t)seqlen);
        end += delta;
    }
    end = sparse_merge_window(prevoff >= 0 ? base + prevoff : base + HLL_HDR_SIZE, end);
    dstr_setlen(*s, (size_t)(end - base));
    return 1;
}

int hll_set_register(dstr *s, long index, int value, size_t sparse_max) {
    if (index < 0 || index >= HLL_REGISTERS || value < 1 || value > HLL_REGISTER_MAX) return -1;
    if (hll_encoding(*s) == HLL_ENC_DENSE) return dense_set_max(*s, index, value);
    return sparse_set(s, index, value, sparse_max);
}

int hll_add(dstr *s, const void *ele, size_t len, size_t sparse_max) {
    long index;
    int count = hll_pattern(ele, len, &index);
    return hll_set_register(s, index, count, sparse_max);
}

/* ------------------------------------------------------------------ estimator */

/* sigma(x) = x + sum_{k>=1} x^(2^k) 2^(k-1) */
static double hll_sigma(double x) {
    if (x == 1.) return INFINITY;
    double prev, y = 1, z = x;
    do {
        x *= x;
        prev = z;
        z += x * y;
        y += y;
    } while (prev != z);
    return z;
}

/* tau(x) = (1 - x - sum_{k>=1} (1 - x^(2^-k))^2 2^-k) / 3 */
static double hll_tau(double x) {
    if (x == 0. || x == 1.) return 0.;
    double prev, y = 1.0, z = 1 - x;
    do {
        x = sqrt(x);
        prev = z;
        y *= 0.5;
        z -= pow(1 - x, 2) * y;
    } while (prev != z);
    return z / 3;
}

static uint64_t estimate(const int *histo) {
    double m = HLL_REGISTERS;
    double z = m * hll_tau((m - histo[HLL_Q + 1]) / m);
    for (int j = HLL_Q; j >= 1; --j) {
        z += histo[j];
        z *= 0.5;
    }
    z += m * hll_sigma(histo[0] / m);
    return (uint64_t)llroundl(HLL_ALPHA_INF * m * m / z);
}

uint64_t hll_count(const char *p, size_t len, int *invalid) {
    int histo[64] = {0};
    if (hll_encoding(p) == HLL_ENC_SPARSE) {
        if (sparse_walk(p, len, run_to_histo, histo) < 0) {
            *invalid = 1;
            return 0;
        }
    } else {
        const uint8_t *regs = (const uint8_t *)p + HLL_HDR_SIZE;
        for (long i = 0; i < HLL_REGISTERS; i++) histo[hll_dense_get(regs, i)]++;
    }
    return estimate(histo);
}

uint64_t hll_count_raw(const uint8_t *regs) {
    int histo[256] = {0};
    for (long i = 0; i < HLL_REGISTERS; i++) histo[regs[i]]++;
    return estimate(histo);
}
