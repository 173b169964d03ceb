/*
 * xlsx_book - opening and closing a workbook: document properties, a
 * reproducible creation time, failures as diagnostics, and the atomic
 * replacement of the target file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "xlsx_priv.h"
#include "mem.h"

void xlsx_fail(xlsx_wb *w, const char *fmt, ...)
{
    /* The first failure explains the rest (a cell that cannot be written
     * usually repeats down a column); one message is what the user needs. */
    if (w->failed++)
        return;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_error(w->dl, w->path, 0, 0, "%s", msg);
}

int xlsx_check(xlsx_wb *w, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR)
        return 0;
    xlsx_fail(w, "%s: kunde inte skrivas (libxlsxwriter: %s)", what,
              lxw_strerror(e));
    return -1;
}

/* The creation time: $SOURCE_DATE_EPOCH (seconds since 1970, the
 * reproducible-builds convention) when set and valid, else now. */
static time_t creation_time(xlsx_wb *w)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (env && *env) {
        char *end;
        errno = 0;
        long long v = strtoll(env, &end, 10);
        if (errno == 0 && *end == '\0' && v > 0)
            return (time_t)v;
        diag_warn(w->dl, NULL, 0, 0,
                  "SOURCE_DATE_EPOCH=\"%s\" är inte ett antal sekunder; "
                  "arbetsboken får dagens tid",
                  env);
    }
    return time(NULL);
}

/* A folder we may create files in. */
static int writable_dir(const char *d)
{
    struct stat st;
    return d && *d && stat(d, &st) == 0 && S_ISDIR(st.st_mode) &&
           access(d, W_OK | X_OK) == 0;
}

/* Where libxlsxwriter writes each part before zipping it: $TMPDIR when it
 * is a folder we may write in, else /dev/shm when it is (a memory file
 * system: creating, writing and removing a dozen small files there costs
 * about a tenth of what it costs on a disk's file system), else its own
 * default (tmpfile(3), in /tmp). The files are removed as soon as they are
 * created, so nothing is left behind whatever happens. */
static const char *parts_dir(void)
{
    const char *t = getenv("TMPDIR");
    if (writable_dir(t))
        return t;
    return writable_dir("/dev/shm") ? "/dev/shm" : NULL;
}

int xlsx_wb_open(xlsx_wb *w, const book *b, const char *path,
                 const char *title, const char *subject, int constant_memory,
                 dec_unit unit, date_t report_date, diag_list *dl)
{
    memset(w, 0, sizeof *w);
    w->dl = dl;
    w->path = path;
    w->unit = unit;
    w->report_date = report_date;
    w->b = b;

    /* A temporary file beside the target, so the final rename stays within
     * one file system and is atomic. It is created here with O_EXCL |
     * O_NOFOLLOW (a name that exists, or a symbolic link planted there, is
     * never opened; the pid and a counter make the name ours), and
     * libxlsxwriter, which opens its output by name, is given that very
     * file through /proc/self/fd, so whatever happens to the name in the
     * folder meanwhile, it writes only into the file created here. */
    static unsigned counter;
    size_t n = strlen(path) + 48;
    w->tmp = mem_alloc(n);
    w->tmp_fd = -1;
    for (int tries = 0; w->tmp_fd < 0 && tries < 16; tries++) {
        snprintf(w->tmp, n, "%s.tmp%ld-%u", path, (long)getpid(),
                 __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
        w->tmp_fd = open(w->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
                                     O_CLOEXEC,
                         0666); /* the user's umask applies, as for any file */
        if (w->tmp_fd < 0 && errno != EEXIST)
            break;
    }
    if (w->tmp_fd < 0) {
        diag_error(dl, path, 0, 0, "kan inte skriva filen: %s",
                   diag_errno_text(errno));
        free(w->tmp);
        w->tmp = NULL;
        return -1;
    }
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", w->tmp_fd);
    const char *target = access(fdpath, W_OK) == 0 ? fdpath : w->tmp;

    lxw_workbook_options opt = {0};
    opt.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE;
    opt.tmpdir = (char *)parts_dir();
    /* Streamed (large) workbooks may pass 4 GiB inside the zip. */
    opt.use_zip64 = constant_memory ? LXW_TRUE : LXW_FALSE;
    w->wb = workbook_new_opt(target, &opt);
    if (!w->wb) {
        diag_error(dl, path, 0, 0, "kan inte skapa arbetsboken");
        close(w->tmp_fd);
        w->tmp_fd = -1;
        unlink(w->tmp);
        free(w->tmp);
        w->tmp = NULL;
        return -1;
    }

    /* The properties' strings are copied by libxlsxwriter. */
    char comments[256];
    snprintf(comments, sizeof comments,
             "Skapad av samla från boken %s. Cellerna innehåller exakta "
             "belopp i kr; summor och resultat är formler.",
             b->short_name && *b->short_name ? b->short_name : b->name);
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    props.title = (char *)title;
    props.subject = (char *)subject;
    props.author = (char *)b->name;
    props.company = (char *)b->name;
    props.category = (char *)"Ekonomi";
    props.keywords = (char *)"budget, uppföljning, årsbokslut, samla";
    props.comments = comments;
    props.created = creation_time(w);
    xlsx_check(w, workbook_set_properties(w->wb, &props),
               "dokumentegenskaperna");

    xlsx_styles_init(w);
    return 0;
}

void xlsx_wb_defer(xlsx_wb *w, lxw_worksheet *ws, const xlsx_deferred *d)
{
    w->defer = mem_realloc_array(w->defer, w->ndefer + 1, sizeof *w->defer);
    w->defer[w->ndefer] = *d;
    /* libxlsxwriter names the parts by the sheets' order, from 1. */
    w->defer[w->ndefer].sheet_no = (unsigned)ws->index + 1;
    w->ndefer++;
}

xlsx_cells *xlsx_wb_cells_of(const xlsx_wb *w, const lxw_worksheet *ws)
{
    size_t i = ws ? (size_t)ws->index : (size_t)-1;
    return i < w->ncells && w->cells[i].ws == ws ? w->cells[i].cs : NULL;
}

void xlsx_wb_cells_own(xlsx_wb *w, lxw_worksheet *ws, const char *sheet,
                       int own)
{
    size_t i = (size_t)ws->index;
    if (i >= w->ncells) {
        w->cells = mem_realloc_array(w->cells, i + 1, sizeof *w->cells);
        memset(w->cells + w->ncells, 0,
               (i + 1 - w->ncells) * sizeof *w->cells);
        w->ncells = i + 1;
    }
    xlsx_cells_free(w->cells[i].cs);
    w->cells[i].ws = ws;
    w->cells[i].cs = own ? xlsx_cells_new(sheet) : NULL;
}

int xlsx_wb_close(xlsx_wb *w)
{
    int rc = SAMLA_OK;
    /* The sheets whose cells samla keeps: written by the splice. */
    for (size_t i = 0; i < w->ncells; i++)
        if (w->cells[i].cs) {
            if (w->wb)
                xlsx_cells_defer(w, w->cells[i].ws, w->cells[i].cs);
            else
                xlsx_cells_free(w->cells[i].cs);
            w->cells[i].cs = NULL;
        }
    free(w->cells);
    w->cells = NULL;
    w->ncells = 0;
    if (w->wb) {
        lxw_error e = workbook_close(w->wb); /* writes the file, frees wb */
        w->wb = NULL;
        if (e != LXW_NO_ERROR && !w->failed) {
            xlsx_fail(w, "kunde inte skriva arbetsboken (libxlsxwriter: %s)",
                      lxw_strerror(e));
            rc = SAMLA_EIO;
        }
    }
    /* The rows samla writes itself go into the package now. */
    if (w->ndefer && !w->failed && w->tmp_fd >= 0 &&
        xlsx_zip_splice(w, w->tmp_fd) != 0 && rc == SAMLA_OK)
        rc = SAMLA_EIO;
    for (size_t i = 0; i < w->ndefer; i++)
        if (w->defer[i].free_ctx)
            w->defer[i].free_ctx(w->defer[i].ctx);
    free(w->defer);
    w->defer = NULL;
    w->ndefer = 0;
    /* Renamed into place when complete, so no one ever opens half a
     * workbook. Not fsynced, unlike a commit of the book (store.c): a
     * workbook is drawn from the book, which is on disk, and one lost to a
     * power cut is written again by the same command, while the two
     * fsyncs (file and folder) cost about 0.7 ms of the 10 a small book's
     * export may take (docs/performance.md). */
    if (!w->failed && w->tmp_fd >= 0) {
        int err = close(w->tmp_fd) != 0 ? errno : 0;
        w->tmp_fd = -1; /* closed whatever close says: never twice */
        if (err) {
            diag_error(w->dl, w->path, 0, 0, "kan inte skriva filen: %s",
                       strerror(err));
            w->failed = 1;
            rc = SAMLA_EIO;
        }
    }
    if (w->tmp_fd >= 0)
        close(w->tmp_fd);
    w->tmp_fd = -1;
    if (w->failed) {
        if (rc == SAMLA_OK)
            rc = SAMLA_EDATA;
        if (w->tmp)
            unlink(w->tmp);
    } else if (w->tmp && rename(w->tmp, w->path) != 0) {
        diag_error(w->dl, w->path, 0, 0, "kan inte skriva filen: %s",
                   diag_errno_text(errno));
        unlink(w->tmp);
        rc = SAMLA_EIO;
    }
    free(w->tmp);
    w->tmp = NULL;
    return rc;
}

void xlsx_ref(char *buf, size_t size, const char *sheet, lxw_row_t r,
              lxw_col_t c, int absolute)
{
    char cell[32];
    if (absolute)
        lxw_rowcol_to_cell_abs(cell, r, c, 1, 1);
    else
        lxw_rowcol_to_cell(cell, r, c);
    if (!sheet) {
        snprintf(buf, size, "%s", cell);
        return;
    }
    /* Quote the sheet name, doubling any apostrophe in it. */
    size_t o = 0;
    if (o + 1 < size)
        buf[o++] = '\'';
    for (const char *p = sheet; *p && o + 2 < size; p++) {
        if (*p == '\'')
            buf[o++] = '\'';
        buf[o++] = *p;
    }
    snprintf(buf + o, size - o, "'!%s", cell);
}

void xlsx_define_name(xlsx_wb *w, const char *name, const char *sheet,
                      lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2)
{
    char a[256], b[64], f[400];
    xlsx_ref(a, sizeof a, sheet, r1, c1, 1);
    if (r1 == r2 && c1 == c2) {
        snprintf(f, sizeof f, "=%s", a);
    } else {
        lxw_rowcol_to_cell_abs(b, r2, c2, 1, 1);
        snprintf(f, sizeof f, "=%s:%s", a, b);
    }
    char what[128];
    snprintf(what, sizeof what, "namnet %s", name);
    xlsx_check(w, workbook_define_name(w->wb, name, f), what);
}
