/*
 * mem - the one way samla allocates memory, and its one out-of-memory
 * policy.
 *
 * Policy: running out of memory is not an error a caller handles. Every
 * function here either returns the memory asked for or prints
 *
 *     samla: slut på minne (N byte behövdes)
 *
 * on stderr and ends the process with exit status 1. Nothing is lost by
 * that: a book is only changed by store's atomic commit (a temporary file
 * renamed into place), so a process that ends before the rename leaves the
 * book as it was (the next writer removes the temporary file), and one that
 * ends after it has saved everything. The alternative - returning
 * SAMLA_ENOMEM through every layer - would add an error path to nearly
 * every function for a case that a ledger of this size never meets, and
 * untested error paths are where bugs live. So callers never test for NULL.
 *
 * Sizes are checked: a count times an element size that overflows size_t
 * is treated as a request that cannot be met (the same message), never as
 * a smaller allocation.
 *
 * Ownership: what these functions return belongs to the caller, who frees
 * it with free().
 */
#ifndef SAMLA_MEM_H
#define SAMLA_MEM_H

#include <stdarg.h>
#include <stddef.h>

/* malloc(size); size 0 gives a unique pointer, as malloc(1). */
void *mem_alloc(size_t size);

/* malloc(n * size) with n * size checked (not zeroed). */
void *mem_alloc_array(size_t n, size_t size);

/* calloc(n, size): zeroed, with n * size checked. */
void *mem_calloc(size_t n, size_t size);

/* realloc(p, n * size) with n * size checked; p may be NULL. */
void *mem_realloc_array(void *p, size_t n, size_t size);

/* Grow an array *v of *cap elements of `size` bytes so that it holds at
 * least `need` elements (doubling, at least 16); the new part is not
 * zeroed. For the pattern "if (n == cap) grow" of growing vectors. */
void mem_grow(void **v, size_t *cap, size_t need, size_t size);

/* Copies of s (NUL-terminated) and of its first n bytes (NUL added; s may
 * hold fewer, the copy stops at a NUL). mem_strdup_or_null copies NULL as
 * NULL, for optional texts. */
char *mem_strdup(const char *s);
char *mem_strndup(const char *s, size_t n);
char *mem_strdup_or_null(const char *s);

/* A printf-formatted string. */
char *mem_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *mem_vprintf(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/* The policy itself: print the message for a request of `size` bytes
 * ((size_t)-1: a size that overflowed; 0: not known) and exit(1). For code that gets
 * memory elsewhere (libcsv, libxlsxwriter, GMP) and learns that it failed. */
_Noreturn void mem_fail(size_t size);

#endif
