/* strmap - see strmap.h. */
#include "strmap.h"
#include "mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* FNV-1a: short codes, no adversary to speak of, and it is tiny. */
static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

void strmap_init(strmap *m)
{
    memset(m, 0, sizeof *m);
}

void strmap_free(strmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

static void grow(strmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 16;
    const char **nk = mem_calloc(ncap, sizeof *nk);
    int *nv = mem_calloc(ncap, sizeof *nv);
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = hash(m->keys[i]) & (ncap - 1);
        while (nk[j])
            j = (j + 1) & (ncap - 1);
        nk[j] = m->keys[i];
        nv[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = nk;
    m->vals = nv;
    m->cap = ncap;
}

int strmap_put(strmap *m, const char *key, int val)
{
    /* Keep the load factor under 1/2 so probes stay short. */
    if (2 * (m->n + 1) > m->cap)
        grow(m);
    size_t j = hash(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0) {
            int old = m->vals[j];
            m->vals[j] = val;
            return old;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->keys[j] = key;
    m->vals[j] = val;
    m->n++;
    return -1;
}

int strmap_get(const strmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    size_t j = hash(key) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0)
            return m->vals[j];
        j = (j + 1) & (m->cap - 1);
    }
    return -1;
}
