/*
 * serve_download - the page Ladda ned and the two workbooks. A workbook is
 * written by the same export as `samla export` into a private temporary
 * folder, read into memory and removed from the disk at once, and kept in
 * a small cache keyed by what it was made from: the kind, the year, the
 * follow-up date and the state of the book's files (serve_book_sig). A
 * second download of the same workbook, or one asked for while it is
 * being made, costs nothing: it waits for and shares the one export. At
 * most two exports run at once, each in its own connection's thread, so a
 * big annual workbook never holds up the pages. Nothing else on disk is
 * ever served.
 */
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "reports.h"
#include "mem.h"
#include "serve.h"
#include "store.h"
#include "xlsx.h"

#define WB_CACHE 8   /* workbooks kept */
#define WB_MAKERS 2  /* exports at once */

int serve_page_downloads(serve_req *rq, serve_resp *rs)
{
    const book *b = serve_book(rq, rs);
    if (!b)
        return -1;
    int first, last;
    serve_year_range(b, &first, &last);
    html_buf h;
    html_init(&h);
    serve_page_begin(&h, rq, "Ladda ned", "/ladda-ned");
    html_raw(&h, "<p>Arbetsböckerna skapas när du klickar, ur bokens "
                 "aktuella innehåll, och öppnas i Excel eller LibreOffice. "
                 "Summor och resultat är formler; varje belopp är exakt till "
                 "öret.</p>\n");
    html_raw(&h, "<h2>Budget och uppföljning</h2>\n<p class=\"hint\">För "
                 "samordningsgruppen: budget och utfall t.o.m. ett datum, "
                 "prognos och avvikelse per rad med kommentar, varje "
                 "öronmärkning och det fria överskottet. Utfallet räknas "
                 "t.o.m. bokens rapporterat t.o.m., om du inte väljer ett "
                 "annat datum.</p>\n");
    if (b->reported == DATE_NONE)
        html_raw(&h, "<p class=\"banner warn\">Boken anger inget rapporterat "
                     "t.o.m. (samla reported): utfallet räknas t.o.m. dagens "
                     "datum.</p>\n");
    html_raw(&h, "<ul class=\"downloads\">\n");
    for (int y = last; y >= first; y--) {
        char d[11];
        date_format(report_default_at(b, y), d);
        html_rawf(&h, "<li><a class=\"button secondary\" "
                      "href=\"/ladda-ned/budget.xlsx?ar=%d&amp;per=%s\" "
                      "download>Budget och uppföljning %d, utfall t.o.m. %s "
                      "(budget-%d.xlsx)</a></li>\n",
                  y, d, y, d, y);
    }
    html_raw(&h, "</ul>\n<form class=\"filters\" method=\"get\" "
                 "action=\"/ladda-ned/budget.xlsx\">\n");
    serve_year_select(&h, b, last);
    html_raw(&h, "<div><label for=\"per\">Utfall t.o.m.</label>"
                 "<input type=\"text\" id=\"per\" name=\"per\" "
                 "inputmode=\"numeric\" size=\"12\" "
                 "aria-describedby=\"per-hint\" required>"
                 "<span id=\"per-hint\" class=\"hint\">datum ÅÅÅÅ-MM-DD "
                 "eller kvartal, t.ex. 2026Q2</span></div>\n"
                 "<div class=\"submit\"><button type=\"submit\">Ladda ned "
                 "med ett annat datum</button></div>\n</form>\n");
    html_raw(&h, "<h2>Årsbokslut</h2>\n<p class=\"hint\">Resultaträkning, "
                 "kvartal, finansiärer, verksamheter, eget kapital och "
                 "öronmärkta medel, specifikationer och verifikationslista."
                 "</p>\n<ul class=\"downloads\">\n");
    for (int y = last; y >= first; y--)
        html_rawf(&h, "<li><a class=\"button secondary\" "
                      "href=\"/ladda-ned/arsbokslut.xlsx?ar=%d\" download>"
                      "Årsbokslut %d (arsbokslut-%d.xlsx)</a></li>\n",
                  y, y, y);
    html_raw(&h, "</ul>\n");
    serve_page_end(&h, rq);
    serve_page_done(rs, &h, MHD_HTTP_OK);
    return 0;
}

/* ---- Shared buffers --------------------------------------------------------- */

struct serve_blob {
    int refs; /* atomic */
    char *data;
    size_t len;
};

const char *serve_blob_data(const serve_blob *b, size_t *len)
{
    *len = b->len;
    return b->data;
}

static void blob_ref(serve_blob *b)
{
    __atomic_add_fetch(&b->refs, 1, __ATOMIC_RELAXED);
}

void serve_blob_unref(serve_blob *b)
{
    if (b && __atomic_sub_fetch(&b->refs, 1, __ATOMIC_ACQ_REL) == 0) {
        free(b->data);
        free(b);
    }
}

/* ---- The cache ------------------------------------------------------------------ */

typedef struct {
    int used, busy;
    int budget, year;
    date_t at;
    serve_book_sig sig;
    serve_blob *blob;
    unsigned long long last;
} wb_entry;

struct serve_workbooks {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    wb_entry e[WB_CACHE];
    unsigned long long tick;
    int making;
};

int serve_workbooks_new(serve_app *app)
{
    serve_workbooks *w = calloc(1, sizeof *w);
    if (!w)
        return -1;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    app->workbooks = w;
    return 0;
}

void serve_workbooks_free(serve_app *app)
{
    serve_workbooks *w = app->workbooks;
    if (!w)
        return;
    for (size_t i = 0; i < WB_CACHE; i++)
        serve_blob_unref(w->e[i].blob);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    free(w);
    app->workbooks = NULL;
}

/* A fresh private folder for one export (mode 0700). */
static char *temp_dir(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t n = strlen(base) + 32;
    char *dir = mem_alloc(n);
    snprintf(dir, n, "%s/samla-serve-XXXXXX", base);
    if (!mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

/* Write the workbook and read it back into a blob; NULL with dl filled. */
static serve_blob *make(const book *b, int budget, int year, date_t at_date,
                        const char *name, diag_list *dl)
{
    char *dir = temp_dir();
    if (!dir) {
        diag_error(dl, NULL, 0, 0, "ingen tillfällig mapp kunde skapas: %s",
                   diag_errno_text(errno));
        return NULL;
    }
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = mem_alloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    int rc;
    if (budget) {
        period_t at;
        char d[11];
        const char *err;
        date_format(at_date, d);
        period_parse(&at, d, &err);
        rc = xlsx_export_budget(b, year, &at, path, dl);
    } else {
        rc = xlsx_export_annual(b, year, path, dl);
    }
    serve_blob *blob = NULL;
    if (rc == SAMLA_OK) {
        blob = mem_calloc(1, sizeof *blob);
        if (store_read_file(path, &blob->data, &blob->len, dl) != SAMLA_OK) {
            free(blob);
            blob = NULL;
        } else {
            blob->refs = 1;
        }
    }
    /* Nothing is left on the disk, whatever happened. */
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
    return blob;
}

static int same_key(const wb_entry *e, int budget, int year, date_t at,
                    const serve_book_sig *sig)
{
    return e->used && e->budget == budget && e->year == year && e->at == at &&
           serve_book_sig_same(&e->sig, sig);
}

/* The workbook for this key, from the cache or made now (one reference
 * for the caller). */
static serve_blob *workbook(serve_app *app, const book *b,
                           const serve_book_sig *sig, int budget, int year,
                           date_t at, const char *name, diag_list *dl)
{
    serve_workbooks *w = app->workbooks;
    pthread_mutex_lock(&w->mu);
    wb_entry *slot;
    for (;;) {
        slot = NULL;
        for (size_t i = 0; i < WB_CACHE; i++) {
            wb_entry *e = &w->e[i];
            if (e->used && !e->busy && !serve_book_sig_same(&e->sig, sig)) {
                /* Made from a book that has changed since: drop it. */
                serve_blob_unref(e->blob);
                memset(e, 0, sizeof *e);
            }
            if (same_key(e, budget, year, at, sig))
                slot = e;
        }
        if (slot && slot->busy) {
            pthread_cond_wait(&w->cv, &w->mu);
            continue;
        }
        if (slot) {
            slot->last = ++w->tick;
            blob_ref(slot->blob);
            serve_blob *blob = slot->blob;
            pthread_mutex_unlock(&w->mu);
            return blob;
        }
        if (w->making >= WB_MAKERS) {
            pthread_cond_wait(&w->cv, &w->mu);
            continue;
        }
        break;
    }
    /* A slot for it: a free one, else the least recently used. */
    for (size_t i = 0; i < WB_CACHE; i++) {
        wb_entry *e = &w->e[i];
        if (e->busy)
            continue;
        if (!e->used) {
            slot = e;
            break;
        }
        if (!slot || e->last < slot->last)
            slot = e;
    }
    if (slot) {
        serve_blob_unref(slot->blob);
        memset(slot, 0, sizeof *slot);
        slot->used = slot->busy = 1;
        slot->budget = budget;
        slot->year = year;
        slot->at = at;
        slot->sig = *sig;
    }
    w->making++;
    pthread_mutex_unlock(&w->mu);

    serve_blob *blob = make(b, budget, year, at, name, dl);

    pthread_mutex_lock(&w->mu);
    w->making--;
    if (slot) {
        if (blob) {
            slot->busy = 0;
            slot->blob = blob;
            slot->last = ++w->tick;
            blob_ref(blob); /* the cache's own */
        } else {
            memset(slot, 0, sizeof *slot);
        }
    }
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    return blob;
}

int serve_page_download(serve_req *rq, serve_resp *rs)
{
    int budget = strcmp(rq->path, "/ladda-ned/budget.xlsx") == 0;
    const book *b = serve_book(rq, rs);
    if (!b)
        return -1;
    int year = budget ? serve_followup_year(rq, b) : serve_year(rq);
    date_t at = budget ? serve_as_of(rq, b, year) : DATE_NONE;
    char name[64];
    snprintf(name, sizeof name, "%s-%d.xlsx", budget ? "budget" : "arsbokslut",
             year);
    diag_list dl;
    diag_init(&dl);
    serve_blob *blob = workbook(rq->app, b, serve_book_signature(rq), budget,
                                year, at, name, &dl);
    if (blob) {
        rs->blob = blob;
        rs->ctype = "application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet";
        rs->filename = mem_strdup(name);
    } else {
        html_buf h;
        html_init(&h);
        serve_page_begin(&h, rq, "Fel: arbetsboken kunde inte skapas",
                         "/ladda-ned");
        html_raw(&h, "<div class=\"banner warn\" role=\"alert\" "
                     "tabindex=\"-1\" autofocus><p>Arbetsboken kunde inte "
                     "skapas. Inget har ändrats i boken.</p></div>\n");
        serve_diag_html(&h, &dl);
        serve_page_end(&h, rq);
        serve_page_done(rs, &h, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    diag_free(&dl);
    return blob ? 0 : -1;
}
