/* alloc.c -- the accounting allocator behind kl_malloc and friends.
 *
 * Why: INFO used_memory and maxmemory need the heap size the server really holds, so every
 * block is counted by its malloc_usable_size() in one relaxed atomic counter (cheap, and
 * exact enough across threads). Failure is not recoverable here: we print the size to
 * stderr and abort(), so callers never check for NULL (Redis zmalloc's contract).
 * SPDX-License-Identifier: BSD-3-Clause
 */
#include "common/alloc.h"

#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static atomic_size_t used_memory;

static _Noreturn void alloc_oom(size_t n) {
    fprintf(stderr, "Out Of Memory allocating %zu bytes!\n", n);
    fflush(stderr);
    abort();
}

static void *alloc_account(void *p, size_t n) {
    if (p == NULL) alloc_oom(n);
    atomic_fetch_add_explicit(&used_memory, malloc_usable_size(p), memory_order_relaxed);
    return p;
}

void *kl_malloc(size_t n) {
    /* malloc(0) may return NULL legitimately; ask for one byte so NULL always means OOM. */
    return alloc_account(malloc(n ? n : 1), n);
}

void *kl_calloc(size_t nmemb, size_t size) {
    if (nmemb && size > (size_t)-1 / nmemb) alloc_oom((size_t)-1);
    size_t n = nmemb * size;
    return alloc_account(calloc(1, n ? n : 1), n);
}

void *kl_realloc(void *p, size_t n) {
    if (p == NULL) return kl_malloc(n);
    if (n == 0) n = 1;
    size_t old = malloc_usable_size(p);
    void *np = realloc(p, n);
    if (np == NULL) alloc_oom(n);
    atomic_fetch_sub_explicit(&used_memory, old, memory_order_relaxed);
    atomic_fetch_add_explicit(&used_memory, malloc_usable_size(np), memory_order_relaxed);
    return np;
}

void kl_free(void *p) {
    if (p == NULL) return;
    atomic_fetch_sub_explicit(&used_memory, malloc_usable_size(p), memory_order_relaxed);
    free(p);
}

char *kl_strdup(const char *s) {
    size_t n = strlen(s);
    char *d = kl_malloc(n + 1);
    memcpy(d, s, n + 1);
    return d;
}

void *kl_memdup(const void *p, size_t n) {
    if (n == (size_t)-1) alloc_oom(n);
    char *d = kl_malloc(n + 1);
    if (n) memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

size_t kl_used_memory(void) {
    return atomic_load_explicit(&used_memory, memory_order_relaxed);
}

size_t kl_alloc_size(const void *p) {
    return p ? malloc_usable_size((void *)p) : 0;
}
