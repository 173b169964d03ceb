/*
 * mem.c - allocation with one out-of-memory policy (see mem.h).
 */
#include "mem.h"

#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void mem_fail(size_t size)
{
    /* No allocation here: stderr is unbuffered and the text is constant. */
    if (size == SIZE_MAX)
        fputs("samla: slut på minne (en storlek som inte ryms i minnet "
              "begärdes)\n", stderr);
    else if (size == 0)
        fputs("samla: slut på minne\n", stderr);
    else
        fprintf(stderr, "samla: slut på minne (%zu byte behövdes)\n", size);
    exit(1);
}

/* n * size, or SIZE_MAX when it overflows. */
static size_t times(size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size)
        return SIZE_MAX;
    return n * size;
}

void *mem_alloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (p == NULL)
        mem_fail(size);
    return p;
}

void *mem_alloc_array(size_t n, size_t size)
{
    size_t bytes = times(n, size);
    if (bytes == SIZE_MAX)
        mem_fail(SIZE_MAX);
    return mem_alloc(bytes);
}

void *mem_calloc(size_t n, size_t size)
{
    if (times(n, size) == SIZE_MAX)
        mem_fail(SIZE_MAX);
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL)
        mem_fail(n * size);
    return p;
}

void *mem_realloc_array(void *p, size_t n, size_t size)
{
    size_t bytes = times(n, size);
    if (bytes == SIZE_MAX)
        mem_fail(SIZE_MAX);
    void *q = realloc(p, bytes ? bytes : 1);
    if (q == NULL)
        mem_fail(bytes);
    return q;
}

void mem_grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            mem_fail(SIZE_MAX);
        ncap *= 2;
    }
    *v = mem_realloc_array(*v, ncap, size);
    *cap = ncap;
}

char *mem_strdup(const char *s)
{
    return mem_strndup(s, strlen(s));
}

char *mem_strdup_or_null(const char *s)
{
    return s ? mem_strdup(s) : NULL;
}

char *mem_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    if (len == SIZE_MAX)
        mem_fail(SIZE_MAX);
    char *p = mem_alloc(len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *mem_vprintf(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    SAMLA_REQUIRE(n >= 0); /* only a malformed format fails */
    char *p = mem_alloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *mem_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = mem_vprintf(fmt, ap);
    va_end(ap);
    return p;
}
