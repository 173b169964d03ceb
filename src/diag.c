/*
 * diag.c - collecting and printing diagnostics (see diag.h).
 *
 * A diag_list is a plain growing array. Every entry owns copies of its file
 * name and message, so callers may pass temporary strings. Memory comes
 * from mem.h, so a diagnostic is never lost: either it is recorded, or the
 * process ends with mem's out-of-memory message (and a caller never gets to
 * write a book past an error it did not see).
 */
#include "diag.h"
#include "mem.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

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

void diag_vadd(diag_list *dl, diag_level level, const char *file, long line,
               long col, const char *fmt, va_list ap)
{
    diag *d;

    mem_grow((void **)&dl->v, &dl->cap, dl->n + 1, sizeof *dl->v);
    d = &dl->v[dl->n];
    d->level = level;
    d->line = line;
    d->col = col;
    d->file = file ? mem_strdup(file) : NULL;
    d->msg = mem_vprintf(fmt, ap);
    dl->n++;
    if (level == DIAG_ERROR)
        dl->nerrors++;
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
        text_term_put(out, d->file);
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
    /* A message quotes what the user gave, which may hold an ESC
     * sequence or a line break: shown as pictures (text.h). */
    fprintf(out, "%s: ", level_word(d->level));
    text_term_put(out, d->msg);
    fputc('\n', out);
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

    mem_grow((void **)&dst->v, &dst->cap, dst->n + src->n, sizeof *dst->v);
    for (i = 0; i < src->n; i++)
        dst->v[dst->n++] = src->v[i];
    dst->nerrors += src->nerrors;
    free(src->v);
    diag_init(src);
}

const char *samla_strerror(samla_err err)
{
    switch (err) {
    case SAMLA_OK: return "inget fel";
    case SAMLA_EDATA: return "fel i data";
    case SAMLA_EUSAGE: return "fel i anropet";
    case SAMLA_EIO: return "filen kunde inte läsas eller skrivas";
    case SAMLA_ELOCK: return "boken är låst av en annan process";
    case SAMLA_ECLOSED: return "året är stängt";
    case SAMLA_ENOMEM: return "slut på minne";
    }
    return "okänt fel";
}

const char *diag_errno_text(int errnum)
{
    switch (errnum) {
    case ENOENT: return "filen eller mappen finns inte";
    case EACCES: return "åtkomst nekad";
    case EPERM: return "åtgärden är inte tillåten";
    case ENOSPC: return "disken är full";
    case EDQUOT: return "diskkvoten är slut";
    case EROFS: return "filsystemet är skrivskyddat";
    case EISDIR: return "är en mapp";
    case ENOTDIR: return "en del av sökvägen är inte en mapp";
    case EEXIST: return "finns redan";
    case ENAMETOOLONG: return "namnet är för långt";
    case ELOOP: return "för många symboliska länkar (eller en länk där ingen får vara)";
    case EMFILE:
    case ENFILE: return "för många öppna filer";
    case EIO: return "in- eller utmatningsfel på disken";
    case EBUSY: return "upptagen";
    case ENOMEM: return "slut på minne";
    case EFBIG: return "filen är för stor";
    case EINTR: return "avbruten";
    case EAGAIN: return "tillfälligt otillgänglig; försök igen";
    case EXDEV: return "filerna ligger på olika filsystem";
    case ETXTBSY: return "filen används";
    case EBADF: return "ogiltig fil";
    case EINVAL: return "ogiltigt argument";
    case ENOTEMPTY: return "mappen är inte tom";
    case ESTALE: return "filen har försvunnit (nätverksfilsystem)";
    case ENODEV:
    case ENXIO: return "enheten finns inte";
    case EADDRINUSE: return "adressen används redan";
    case EADDRNOTAVAIL: return "adressen finns inte på den här datorn";
    case ECONNRESET: return "förbindelsen bröts";
    case ETIMEDOUT: return "tiden gick ut";
    }
    /* The rest are errors a file operation of samla's does not meet; the
     * C library's (English) text is better than none. */
    return strerror(errnum);
}

_Noreturn void diag_broken(const char *cond, const char *file, int line,
                           const char *func)
{
    fprintf(stderr, "samla: internt fel: villkoret \"%s\" gäller inte i %s "
            "(%s:%d); rapportera det gärna\n", cond, func, file, line);
    abort();
}
