/*
 * diag.c - collecting and printing diagnostics (see diag.h).
 *
 * A diag_list is a plain growing array. Every entry owns copies of its file
 * name and message, so callers may pass temporary strings.
 *
 * Running out of memory while recording a diagnostic must never make an
 * error disappear: the error counter is bumped before anything is
 * allocated, so diag_errors() stays truthful even if the text is lost, and
 * a caller that checks it will still refuse to write the book.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void diag_init(diag_list *dl)
{
    dl->v = NULL;
    dl->n = 0;
    dl->cap = 0;
    dl->nerrors = 0;
}

void diag_free(diag_list *dl)
{
    size_t i;

    if (dl == NULL)
        return;
    for (i = 0; i < dl->n; i++) {
        free(dl->v[i].file);
        free(dl->v[i].msg);
    }
    free(dl->v);
    diag_init(dl);
}

/* Make room for `more` further entries; returns 0 on success. */
static int diag_reserve(diag_list *dl, size_t more)
{
    size_t cap;
    diag *v;

    if (dl->cap - dl->n >= more)
        return 0;
    cap = dl->cap ? dl->cap : 8;
    while (cap - dl->n < more) {
        if (cap > ((size_t)-1 / sizeof(diag)) / 2)
            return -1;
        cap *= 2;
    }
    v = realloc(dl->v, cap * sizeof(diag));
    if (v == NULL)
        return -1;
    dl->v = v;
    dl->cap = cap;
    return 0;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* printf into a fresh malloc'd string, or NULL when out of memory. */
static char *vformat(const char *fmt, va_list ap)
{
    va_list ap2;
    int len;
    char *s;

    va_copy(ap2, ap);
    len = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (len < 0)
        return NULL;
    s = malloc((size_t)len + 1);
    if (s != NULL)
        vsnprintf(s, (size_t)len + 1, fmt, ap);
    return s;
}

void diag_vadd(diag_list *dl, diag_level level, const char *file, long line,
               long col, const char *fmt, va_list ap)
{
    diag *d;

    if (level == DIAG_ERROR)
        dl->nerrors++; /* first, so an allocation failure cannot hide it */
    if (diag_reserve(dl, 1) != 0)
        return;
    d = &dl->v[dl->n];
    d->level = level;
    d->line = line;
    d->col = col;
    d->file = dup_or_null(file);
    d->msg = vformat(fmt, ap);
    if (d->msg == NULL) {
        free(d->file);
        return;
    }
    dl->n++;
}

void diag_add(diag_list *dl, diag_level level, const char *file, long line,
              long col, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vadd(dl, level, file, line, col, fmt, ap);
    va_end(ap);
}

void diag_error(diag_list *dl, const char *file, long line, long col,
                const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vadd(dl, DIAG_ERROR, file, line, col, fmt, ap);
    va_end(ap);
}

void diag_warn(diag_list *dl, const char *file, long line, long col,
               const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vadd(dl, DIAG_WARNING, file, line, col, fmt, ap);
    va_end(ap);
}

size_t diag_errors(const diag_list *dl)
{
    return dl->nerrors;
}

static const char *level_word(diag_level level)
{
    switch (level) {
    case DIAG_ERROR:
        return "fel";
    case DIAG_WARNING:
        return "varning";
    case DIAG_NOTE:
        return "not";
    }
    return "fel";
}

/*
 * One line in the form compilers use, so editors can jump to the place:
 * "file:line:col: fel: message". A column without a line means nothing to
 * a reader, so it is printed only together with the line.
 */
static void diag_print_one(const diag *d, FILE *out)
{
    int any = 0;

    if (d->file != NULL && d->file[0] != '\0') {
        fputs(d->file, out);
        any = 1;
    }
    if (d->line > 0) {
        fprintf(out, any ? ":%ld" : "%ld", d->line);
        any = 1;
        if (d->col > 0)
            fprintf(out, ":%ld", d->col);
    }
    if (any)
        fputs(": ", out);
    fprintf(out, "%s: %s\n", level_word(d->level), d->msg);
}

void diag_print(const diag_list *dl, FILE *out)
{
    size_t i;

    for (i = 0; i < dl->n; i++)
        diag_print_one(&dl->v[i], out);
}

void diag_take(diag_list *dst, diag_list *src)
{
    size_t i;

    if (src->n > 0 && diag_reserve(dst, src->n) != 0) {
        /* Keep at least the count; the texts are lost with src. */
        dst->nerrors += src->nerrors;
        diag_free(src);
        return;
    }
    for (i = 0; i < src->n; i++)
        dst->v[dst->n++] = src->v[i];
    dst->nerrors += src->nerrors;
    free(src->v);
    diag_init(src);
}
