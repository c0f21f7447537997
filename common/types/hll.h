/* hll.h -- HyperLogLog values stored as strings, bit-compatible with Redis.
 *
 * An HLL is a string: a 16-byte header ("HYLL", encoding byte, 3 unused bytes, 8 bytes of
 * cached cardinality in little endian whose top bit set means "stale") followed by the
 * registers. 16384 registers of 6 bits, filled from a 64-bit MurmurHash64A (seed
 * 0xadc83b19): the low 14 bits pick the register, the run of zeros (+1) in the remaining
 * 50 bits is the value. Two encodings:
 *   dense  : 12288 bytes, register i at bit i*6, least significant bits first.
 *   sparse : run-length opcodes, ZERO 00xxxxxx (1..64 zero registers), XZERO 01xxxxxx
 *            yyyyyyyy (1..16384 zero registers), VAL 1vvvvvxx (1..4 registers of value
 *            1..32). Promoted to dense when a value exceeds 32 or the string would grow
 *            beyond sparse_max bytes (hll-sparse-max-bytes); never converted back.
 * The estimator is Ertl's improved raw estimator as used by Redis 7, so counts are equal to
 * Redis's for the same registers. Functions taking a dstr * may reallocate it.
 * Pure data structure: no clients, no keyspace.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_HLL_H
#define KEEL_HLL_H

#include <stddef.h>
#include <stdint.h>
#include "common/dstr.h"

#define HLL_P 14
#define HLL_Q (64 - HLL_P)
#define HLL_REGISTERS (1 << HLL_P)
#define HLL_BITS 6
#define HLL_REGISTER_MAX ((1 << HLL_BITS) - 1)
#define HLL_HDR_SIZE 16
#define HLL_DENSE_BYTES ((HLL_REGISTERS * HLL_BITS + 7) / 8)
#define HLL_DENSE_SIZE (HLL_HDR_SIZE + HLL_DENSE_BYTES)
#define HLL_ENC_DENSE 0
#define HLL_ENC_SPARSE 1
#define HLL_SPARSE_VAL_MAX 32
#define HLL_SEED 0xadc83b19ULL

/* MurmurHash64A over len bytes (little-endian blocks, as Redis on any platform). */
uint64_t hll_murmur64a(const void *key, size_t len, uint64_t seed);
/* Register index (*index) and value (returned, 1..51) for an element. */
int hll_pattern(const void *ele, size_t len, long *index);

/* A new empty HLL: sparse, one XZERO opcode, cached cardinality 0 (valid). */
dstr hll_new(void);
/* Header checks as Redis's isHLLObjectOrReply: length, magic, encoding, dense size. */
int hll_is_valid(const char *p, size_t len);
int hll_encoding(const char *p);          /* HLL_ENC_*; p must be valid */

/* Cached cardinality in the header. */
int hll_cache_valid(const char *p);
uint64_t hll_cache_get(const char *p);
void hll_cache_set(char *p, uint64_t card);
void hll_cache_invalidate(char *p);

/* Add an element: 1 if a register changed, 0 if not, -1 if the sparse data is corrupt. */
int hll_add(dstr *s, const void *ele, size_t len, size_t sparse_max);
/* Raise register index to value if greater (Redis hllSparseSet/hllDenseSet semantics
 * including promotion). 1 changed, 0 unchanged, -1 corrupt. value 1..HLL_REGISTER_MAX. */
int hll_set_register(dstr *s, long index, int value, size_t sparse_max);
/* Register value, or -1 if the sparse data is corrupt. */
int hll_get_register(const char *p, size_t len, long index);
/* Convert to dense in place (no-op when already dense). 0 or -1 if corrupt. */
int hll_to_dense(dstr *s);
/* max[i] = max(max[i], register i) for all registers. 0 or -1 if corrupt. */
int hll_merge_into(uint8_t *max, const char *p, size_t len);

/* Estimated cardinality of a valid HLL; *invalid set to 1 if sparse data is corrupt. */
uint64_t hll_count(const char *p, size_t len, int *invalid);
/* Estimate from 16384 8-bit registers (union of several HLLs). */
uint64_t hll_count_raw(const uint8_t *regs);

/* Dense register access on the 12288-byte register area. */
int hll_dense_get(const uint8_t *regs, long index);
void hll_dense_set(uint8_t *regs, long index, int value);

#endif
