/* alloc.h -- the one allocator entry point for common/, server/ and sentinel/.
 *
 * Every allocation goes through kl_malloc and friends. They account the usable size of
 * each block (used_memory in INFO, maxmemory) and on failure write "Out Of Memory
 * allocating N bytes!" to stderr and abort() (Redis zmalloc), so callers never check for
 * NULL: sizes read from the network or files are bounded before allocation. Thread safe
 * (relaxed atomic counter). kl_malloc(0) returns a valid unique block.
 * SPDX-License-Identifier: BSD-3-Clause
 */
#ifndef KEEL_ALLOC_H
#define KEEL_ALLOC_H

#include <stddef.h>

void *kl_malloc(size_t n);
void *kl_calloc(size_t nmemb, size_t size);
void *kl_realloc(void *p, size_t n);
void kl_free(void *p);                 /* NULL is a no-op */
char *kl_strdup(const char *s);
void *kl_memdup(const void *p, size_t n);   /* copies n bytes and adds a NUL after them */
size_t kl_used_memory(void);           /* bytes currently allocated (usable sizes) */
size_t kl_alloc_size(const void *p);   /* usable size of a block from kl_malloc */

#endif
