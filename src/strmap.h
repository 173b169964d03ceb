/*
 * strmap - a small string -> int hash index (open addressing, linear
 * probing). Keys are not copied: they must outlive the map (in samla they
 * live in the book's arena). Used to resolve codes in constant time, which
 * matters when a journal has a million rows.
 */
#ifndef SAMLA_STRMAP_H
#define SAMLA_STRMAP_H

#include <stddef.h>

typedef struct {
    const char **keys;
    int *vals;
    size_t cap, n; /* cap is a power of two, or 0 */
} strmap;

void strmap_init(strmap *m);
void strmap_free(strmap *m);
/* Insert or replace. Returns the previous value, or -1 when new. */
int strmap_put(strmap *m, const char *key, int val);
/* The value for key, or -1. */
int strmap_get(const strmap *m, const char *key);

#endif
