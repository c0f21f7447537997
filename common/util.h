/* util.h -- number/string conversions with Redis's exact rules, glob matching, clocks,
 * randomness and memory-unit parsing. Pure functions except the clocks and random_hex.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_UTIL_H
#define KEEL_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define LONG_STR_SIZE 21
#define MAX_LONG_DOUBLE_CHARS 5 * 1024
#define MAX_D2STRING_CHARS 128

/* Strict integer parsing like Redis string2ll: no spaces, no '+', no leading zeros
 * (except "0"), fits in long long. Returns 1 on success, 0 otherwise. */
int str_to_ll(const char *s, size_t len, long long *out);
/* The same strict rules for unsigned values (no '-'); up to 18446744073709551615. */
int str_to_ull(const char *s, size_t len, unsigned long long *out);
/* Number of chars written (no NUL counted), 0 if it does not fit. */
int ll_to_str(char *dst, size_t dstlen, long long v);
int ull_to_str(char *dst, size_t dstlen, unsigned long long v);

/* Float parsing like Redis string2ld/string2d: no leading/trailing space, rejects NaN,
 * accepts "inf", "-inf", "+inf" (case-insensitive) for doubles (getDoubleFromObject) but
 * string2ld rejects empty and isspace. Returns 1 ok, 0 invalid. */
int str_to_double(const char *s, size_t len, double *out);
int str_to_ld(const char *s, size_t len, long double *out);

typedef enum { LD_STR_AUTO, LD_STR_HUMAN, LD_STR_HEX } ld_str_mode;
/* Redis ld2string: LD_STR_HUMAN is what INCRBYFLOAT returns ("%.17Lf" trimmed of trailing
 * zeros and dot), LD_STR_AUTO is "%.17Lg". Returns length or 0 on failure. */
int ld_to_str(char *buf, size_t len, long double value, ld_str_mode mode);
/* Redis d2string: "%.17g" style with integer shortcut, inf/-inf/nan. */
int double_to_str(char *buf, size_t len, double value);

/* Glob-style match (Redis stringmatchlen): * ? [abc] [^a] [a-z] and \ escapes. Exactly as
 * Redis, an empty string matches only an empty pattern (not even "*"): KEYS and SCAN treat
 * the pattern "*" as match-all before calling this. Never reads past patlen/slen. */
int glob_match(const char *pat, size_t patlen, const char *s, size_t slen, int nocase);

long long ustime(void);            /* wall clock, microseconds */
long long mstime(void);            /* wall clock, milliseconds */
uint64_t monotonic_us(void);       /* CLOCK_MONOTONIC in microseconds */

/* Fill p with len random hex characters [0-9a-f] (OpenSSL RAND_bytes); e.g. run ids. */
void random_hex(char *p, size_t len);
void random_bytes(void *p, size_t len);

/* Parse a memory size like Redis memtoull: "100", "1k", "1kb", "5mb", "1gb", "2G"
 * (k=1000, kb=1024, m=1000^2, mb=1024^2, g, gb, b; case-insensitive; NUL-terminated s).
 * As Redis, "" and a bare unit ("kb") read as 0 and leading zeros are fine; signs, spaces
 * and dots are rejected. Unlike Redis 7.0 (which wraps or saturates), overflow is rejected.
 * Returns 1 ok, 0 bad. */
int mem_to_ull(const char *s, unsigned long long *out);
/* "1.23M"-style like Redis bytesToHuman (B, K, M, G, T, P with two decimals; beyond P the
 * raw count with "B"). Truncates to len-1 characters. */
void bytes_to_human(char *buf, size_t len, unsigned long long n);

/* ASCII case-insensitive equality of a slice with a C string. */
int str_eq_nocase(const char *s, size_t len, const char *cstr);

#endif
