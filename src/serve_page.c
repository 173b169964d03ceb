/* serve_page - the frame every page shares, and request helpers. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "reports.h"
#include "serve.h"
#include "store.h"

static const struct {
    const char *path, *label;
} nav[] = {
    {"/", "Översikt"},
    {"/kvartal", "Registrera kvartal"},
    {"/oronmarkt", "Öronmärkta medel"},
    {"/budget", "Budget"},
    {"/verifikationer", "Verifikationer"},
    {"/ladda-ned", "Ladda ned"},
};

void serve_page_begin(html_buf *h, const serve_req *rq, const char *title,
                      const char *active)
{
    html_raw(h, "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n"
                "<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, "
                "initial-scale=1\">\n<title>");
    html_esc(h, title);
    if (rq->org[0]) {
        html_raw(h, " \xE2\x80\x93 ");
        html_esc(h, rq->org);
    }
    html_raw(h, "</title>\n<link rel=\"stylesheet\" href=\"/style.css\">\n"
                "</head>\n<body>\n"
                "<a class=\"skip\" href=\"#main\">Hoppa till innehållet</a>\n"
                "<header class=\"site\">\n<p class=\"org\"><span "
                "class=\"app\">samla</span> ");
    html_esc(h, rq->org[0] ? rq->org : "budget och uppföljning");
    if (rq->app->users && rq->user) {
        html_raw(h, " <span class=\"who\">inloggad som ");
        html_esc(h, rq->user);
        html_raw(h, "</span>");
    }
    html_raw(h, "</p>\n<nav aria-label=\"Huvudmeny\"><ul>\n");
    for (size_t i = 0; i < sizeof nav / sizeof *nav; i++) {
        int cur = active && strcmp(active, nav[i].path) == 0;
        html_rawf(h, "<li><a href=\"%s\"%s>", nav[i].path,
                  cur ? " aria-current=\"page\"" : "");
        html_esc(h, nav[i].label);
        html_raw(h, "</a></li>\n");
    }
    html_raw(h, "</ul></nav>\n</header>\n<main id=\"main\" tabindex=\"-1\">\n"
                "<h1>");
    html_esc(h, title);
    html_raw(h, "</h1>\n");
}

void serve_page_end(html_buf *h)
{
    html_raw(h, "</main>\n<footer class=\"site\"><p>samla \xE2\x80\x93 "
                "beloppen är exakta till öret; visade belopp är avrundade "
                "först vid visning.</p></footer>\n</body>\n</html>\n");
}

void serve_page_done(serve_resp *rs, html_buf *h, unsigned status)
{
    free(rs->body);
    rs->body = html_take(h, &rs->len);
    rs->status = status;
    rs->ctype = NULL;
}

void serve_page_message(serve_resp *rs, const serve_req *rq, unsigned status,
                        const char *title, const char *text)
{
    html_buf h;
    html_init(&h);
    serve_page_begin(&h, rq, title, NULL);
    html_raw(&h, "<p class=\"message\">");
    html_esc(&h, text);
    html_raw(&h, "</p>\n<p><a href=\"/\">Till översikten</a></p>\n");
    serve_page_end(&h);
    serve_page_done(rs, &h, status);
}

void serve_csrf_field(html_buf *h, const serve_req *rq)
{
    html_raw(h, "<input type=\"hidden\" name=\"csrf\" value=\"");
    html_esc(h, rq->app->csrf);
    html_raw(h, "\">\n");
}

void serve_redirect(serve_resp *rs, const char *location)
{
    free(rs->location);
    rs->location = strdup(location);
    if (!rs->location)
        abort();
    rs->status = MHD_HTTP_SEE_OTHER;
    free(rs->body);
    rs->body = NULL;
    rs->len = 0;
}

void serve_diag_html(html_buf *h, const diag_list *dl)
{
    html_raw(h, "<ul class=\"diag\">\n");
    for (size_t i = 0; i < dl->n; i++) {
        const diag *d = &dl->v[i];
        html_rawf(h, "<li class=\"%s\">",
                  d->level == DIAG_ERROR ? "error" : "warn");
        html_raw(h, d->level == DIAG_ERROR ? "<strong>Fel:</strong> "
                    : d->level == DIAG_WARNING ? "<strong>Varning:</strong> "
                                               : "<strong>Not:</strong> ");
        if (d->file) {
            /* Only the file's own name: the folder is nobody's business on
             * a page that may be reached over the network. */
            const char *base = strrchr(d->file, '/');
            html_esc(h, base ? base + 1 : d->file);
            if (d->line)
                html_rawf(h, ":%ld", d->line);
            if (d->col)
                html_rawf(h, ":%ld", d->col);
            html_raw(h, ": ");
        }
        html_esc(h, d->msg);
        html_raw(h, "</li>\n");
    }
    html_raw(h, "</ul>\n");
}

/* Load the book: shared lock held (serve_load), or the caller's exclusive
 * lock (serve_load_held). */
static int load_book(serve_req *rq, serve_resp *rs, book *b, int shared)
{
    diag_list dl;
    diag_init(&dl);
    store_lock lock = STORE_LOCK_NONE;
    int rc = shared ? store_lock_shared(&lock, rq->app->book_dir,
                                        SERVE_LOCK_TIMEOUT_MS, &dl)
                    : SAMLA_OK;
    if (rc == SAMLA_OK)
        rc = book_load(b, rq->app->book_dir, &dl);
    else
        book_init(b);
    store_lock_release(&lock);
    if (rc == SAMLA_OK) {
        snprintf(rq->org, sizeof rq->org, "%s", b->name ? b->name : "");
        diag_free(&dl);
        return 0;
    }
    html_buf h;
    html_init(&h);
    serve_page_begin(&h, rq, "Boken kan inte läsas", NULL);
    html_raw(&h, "<p class=\"message\">Boken har fel och visas inte förrän "
                 "de är rättade. Inget har ändrats. Kör <code>samla "
                 "check</code> för att se samma lista.</p>\n");
    serve_diag_html(&h, &dl);
    serve_page_end(&h);
    serve_page_done(rs, &h, MHD_HTTP_INTERNAL_SERVER_ERROR);
    diag_free(&dl);
    book_free(b);
    return -1;
}

int serve_load(serve_req *rq, serve_resp *rs, book *b)
{
    return load_book(rq, rs, b, 1);
}

int serve_load_held(serve_req *rq, serve_resp *rs, book *b)
{
    return load_book(rq, rs, b, 0);
}

void serve_render_opts(const serve_req *rq, render_opts *o)
{
    memset(o, 0, sizeof *o);
    o->unit = DEC_KR;
    const char *u = serve_query(rq, "enhet");
    if (u && render_unit_parse(u, &o->unit) == 0)
        o->unit_given = 1;
    else
        o->unit = DEC_KR;
    o->decimals = render_decimals(o->unit);
}

int serve_year(const serve_req *rq)
{
    const char *y = serve_query(rq, "ar");
    if (y && strlen(y) == 4 && y[0] >= '1' && y[0] <= '9') {
        int v = atoi(y);
        if (v >= 1900 && v <= 9999)
            return v;
    }
    return date_year(date_today());
}

date_t serve_as_of(const serve_req *rq, const book *b, int year)
{
    const char *per = serve_query(rq, "per");
    if (per && *per) {
        period_t p;
        const char *err;
        if (period_parse(&p, per, &err) == 0)
            return p.to;
    }
    return report_default_at(b, year);
}

period_by serve_budget_by(const serve_req *rq)
{
    const char *per = serve_query(rq, "per");
    period_t p;
    const char *err;
    if (per && *per && period_parse(&p, per, &err) == 0)
        return report_budget_by(&p);
    return PERIOD_BY_QUARTER;
}

void serve_year_range(const book *b, int *first, int *last)
{
    int today = date_year(date_today());
    *first = b->start != DATE_NONE ? date_year(b->start) : today;
    *last = today;
    for (size_t i = 0; i < b->entries.n; i++)
        if (b->entries.v[i].year > *last)
            *last = b->entries.v[i].year;
    for (size_t i = 0; i < b->budget.n; i++)
        if (b->budget.v[i].year > *last)
            *last = b->budget.v[i].year;
    if (*first > *last)
        *first = *last;
}

void serve_year_select(html_buf *h, const book *b, int year)
{
    int first, last;
    serve_year_range(b, &first, &last);
    html_raw(h, "<div><label for=\"ar\">År</label>"
                "<select id=\"ar\" name=\"ar\">");
    for (int y = last; y >= first; y--)
        html_rawf(h, "<option value=\"%d\"%s>%d</option>", y,
                  y == year ? " selected" : "", y);
    html_raw(h, "</select></div>\n");
}

void serve_unit_select(html_buf *h, const render_opts *o)
{
    static const char *const units[] = {"kr", "tkr", "mnkr"};
    html_raw(h, "<div><label for=\"enhet\">Enhet</label>"
                "<select id=\"enhet\" name=\"enhet\">");
    for (int u = 0; u < 3; u++)
        html_rawf(h, "<option value=\"%s\"%s>%s</option>", units[u],
                  (int)o->unit == u ? " selected" : "", units[u]);
    html_raw(h, "</select></div>\n");
}

size_t serve_find_row(const report_table *t, size_t from,
                      report_row_kind kind)
{
    for (size_t i = from; i < t->nrows; i++)
        if (t->rows[i].kind == kind)
            return i;
    return t->nrows;
}

/* ---- The kept book ---------------------------------------------------------- */

static const char *const book_files[] = {
    BOOK_ORGANISATION, BOOK_FUNDERS, BOOK_ACCOUNTS, BOOK_ACTIVITIES,
    BOOK_JOURNAL,      BOOK_BUDGET,  BOOK_EARMARKS, BOOK_CLOSES};
#define NBOOK_FILES (sizeof book_files / sizeof *book_files)

typedef struct {
    int exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} file_sig;

struct serve_cache {
    book b;
    file_sig sig[NBOOK_FILES];
    char org[200];
};

static void sign_files(const char *dir, file_sig *sig)
{
    char path[4096];
    for (size_t i = 0; i < NBOOK_FILES; i++) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, book_files[i]);
        memset(&sig[i], 0, sizeof sig[i]);
        if (stat(path, &st) == 0) {
            sig[i].exists = 1;
            sig[i].dev = st.st_dev;
            sig[i].ino = st.st_ino;
            sig[i].size = st.st_size;
            sig[i].mtime = st.st_mtim;
        }
    }
}

static int same_sig(const file_sig *a, const file_sig *b)
{
    for (size_t i = 0; i < NBOOK_FILES; i++)
        if (a[i].exists != b[i].exists || a[i].dev != b[i].dev ||
            a[i].ino != b[i].ino || a[i].size != b[i].size ||
            a[i].mtime.tv_sec != b[i].mtime.tv_sec ||
            a[i].mtime.tv_nsec != b[i].mtime.tv_nsec)
            return 0;
    return 1;
}

void serve_cache_free(serve_app *app)
{
    if (app->cache) {
        book_free(&app->cache->b);
        free(app->cache);
        app->cache = NULL;
    }
}

const book *serve_book(serve_req *rq, serve_resp *rs)
{
    serve_app *app = rq->app;
    /* Sign the files BEFORE reading them: a write in between then leaves
     * a signature older than the contents, which only costs one more read
     * later; the other order could keep stale contents for good. */
    file_sig sig[NBOOK_FILES];
    sign_files(app->book_dir, sig);
    if (app->cache && same_sig(app->cache->sig, sig)) {
        snprintf(rq->org, sizeof rq->org, "%s", app->cache->org);
        return &app->cache->b;
    }
    serve_cache_free(app);
    struct serve_cache *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    if (serve_load(rq, rs, &c->b) != 0) {
        free(c);
        return NULL;
    }
    memcpy(c->sig, sig, sizeof sig);
    snprintf(c->org, sizeof c->org, "%s", rq->org);
    app->cache = c;
    return &c->b;
}
