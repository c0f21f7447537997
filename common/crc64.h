/* crc64.h -- the CRC-64 variant Redis puts at the end of RDB files (Jones polynomial
 * 0xad93d23594c935a9, reflected input and output, initial value 0, no final xor).
 * Check value: crc64_update(0, "123456789", 9) == 0xe9c6d914c4b8d9ca.
 * Pure function over a constant table: thread safe.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_CRC64_H
#define KEEL_CRC64_H

#include <stddef.h>
#include <stdint.h>

/* Continue a CRC over len more bytes (start with crc = 0). */
uint64_t crc64_update(uint64_t crc, const void *buf, size_t len);

#endif
