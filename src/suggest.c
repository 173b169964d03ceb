/* suggest - see suggest.h. */
#include "diag.h"
#include "suggest.h"

#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decode a string into code points (ASCII letters folded to upper case),
 * so that "Ö" is one character, not two bytes. Invalid UTF-8 bytes count
 * as one character each. Returns the count; *out is malloc'd. */
static size_t chars(const char *s, unsigned **out)
{
    size_t len = strlen(s), n = 0;
    unsigned *v = mem_calloc(len + 1, sizeof *v);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t k = 1;
        if (c >= 0xF0 && p[1] && p[2] && p[3])
            c = (c & 7) << 18 | (p[1] & 63u) << 12 | (p[2] & 63u) << 6 |
                (p[3] & 63u), k = 4;
        else if (c >= 0xE0 && p[1] && p[2])
            c = (c & 15) << 12 | (p[1] & 63u) << 6 | (p[2] & 63u), k = 3;
        else if (c >= 0xC0 && p[1])
            c = (c & 31) << 6 | (p[1] & 63u), k = 2;
        if (c >= 'a' && c <= 'z')
            c -= 32;
        v[n++] = c;
        p += k;
    }
    *out = v;
    return n;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Optimal string alignment over code points. */
static size_t osa(const unsigned *a, size_t na, const unsigned *b, size_t nb)
{
    size_t w = nb + 1;
    size_t *d = mem_calloc((na + 1) * w, sizeof *d);
    for (size_t i = 0; i <= na; i++)
        d[i * w] = i;
    for (size_t j = 0; j <= nb; j++)
        d[j] = j;
    for (size_t i = 1; i <= na; i++)
        for (size_t j = 1; j <= nb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = min3(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1,
                            d[(i - 1) * w + j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[(i - 2) * w + j - 2] + 1 < v)
                v = d[(i - 2) * w + j - 2] + 1;
            d[i * w + j] = v;
        }
    size_t r = d[na * w + nb];
    free(d);
    return r;
}

#ifdef SAMLA_TESTING
/* osa() on two strings, for the unit tests only (the program goes through
 * nearness). */
STATIC size_t suggest_distance(const char *a, const char *b)
{
    unsigned *x, *y;
    size_t nx = chars(a, &x), ny = chars(b, &y);
    size_t r = osa(x, nx, y, ny);
    free(x);
    free(y);
    return r;
}
#endif

/* How near candidate c is to got: its distance, or 0 for a prefix
 * (nearest of all); (size_t)-1 when too far to suggest. */
static size_t nearness(const char *got, const char *c)
{
    unsigned *x, *y;
    size_t nx = chars(got, &x), ny = chars(c, &y);
    size_t r = (size_t)-1;
    if (nx >= 2 && nx < ny && memcmp(x, y, nx * sizeof *x) == 0) {
        r = 0;
    } else {
        size_t d = osa(x, nx, y, ny);
        size_t longer = nx > ny ? nx : ny;
        size_t limit = longer / 3 ? longer / 3 : 1;
        if (limit > 2)
            limit = 2;
        if (d > 0 && d <= limit)
            r = d;
    }
    free(x);
    free(y);
    return r;
}

char *suggest_phrase(const char *got, const char *const *candidates,
                     size_t n, char *buf, size_t size)
{
    enum { MAX = 3 };
    size_t best[MAX], dist[MAX], nb = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t d = nearness(got, candidates[i]);
        if (d == (size_t)-1)
            continue;
        /* Insert in order of distance; equal distances keep file order. */
        size_t at = nb;
        while (at > 0 && dist[at - 1] > d)
            at--;
        if (at >= MAX)
            continue;
        size_t last = nb < MAX ? nb : MAX - 1;
        for (size_t k = last; k > at; k--) {
            best[k] = best[k - 1];
            dist[k] = dist[k - 1];
        }
        best[at] = i;
        dist[at] = d;
        if (nb < MAX)
            nb++;
    }
    if (nb == 0 || size == 0)
        return buf;
    size_t used = (size_t)snprintf(buf, size, "; menade du %s",
                                   candidates[best[0]]);
    for (size_t k = 1; k < nb && used < size; k++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s",
                                 k + 1 == nb ? " eller " : ", ",
                                 candidates[best[k]]);
    if (used < size)
        snprintf(buf + used, size - used, "?");
    return buf;
}
