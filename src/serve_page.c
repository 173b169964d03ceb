/* serve_page - the frame every page shares, and request helpers. */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "mem.h"
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
                "<header class=\"site\">\n<div class=\"org\"><p><span "
                "class=\"app\">samla</span> ");
    html_esc(h, rq->org[0] ? rq->org : "budget och uppföljning");
    html_raw(h, "</p>");
    if (rq->sid[0]) {
        /* Logging out is a change: a POST with the session's token. */
        html_raw(h, "<form class=\"logout\" method=\"post\" "
                    "action=\"/logga-ut\"><input type=\"hidden\" "
                    "name=\"csrf\" value=\"");
        html_esc(h, rq->csrf);
        html_raw(h, "\"><span class=\"who\">");
        if (rq->app->password_file) {
            html_raw(h, "Inloggad som ");
            html_esc(h, rq->user);
        }
        html_raw(h, "</span> <button type=\"submit\" class=\"link\">Logga ut"
                    "</button></form>");
    }
    html_raw(h, "</div>\n");
    if (rq->sid[0]) {
        html_raw(h, "<nav aria-label=\"Huvudmeny\"><ul>\n");
        for (size_t i = 0; i < sizeof nav / sizeof *nav; i++) {
            int cur = active && strcmp(active, nav[i].path) == 0;
            html_rawf(h, "<li><a href=\"%s\"%s>", nav[i].path,
                      cur ? " aria-current=\"page\"" : "");
            html_esc(h, nav[i].label);
            html_raw(h, "</a></li>\n");
        }
        html_raw(h, "</ul></nav>\n");
    }
    html_raw(h, "</header>\n<main id=\"main\" tabindex=\"-1\">\n<h1>");
    html_esc(h, title);
    html_raw(h, "</h1>\n");
    if (rq->stale)
        html_raw(h, "<p class=\"banner warn\">Någon sparar i boken just nu "
                    "(till exempel från kommandoraden). Sidan visar boken "
                    "som den var innan; ladda om om en stund.</p>\n");
}

void serve_page_end(html_buf *h, const serve_req *rq)
{
    (void)rq;
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
    html_raw(&h, "<div class=\"banner warn\" role=\"alert\" tabindex=\"-1\" "
                 "autofocus><p>");
    html_esc(&h, text);
    html_raw(&h, "</p></div>\n");
    if (rq->sid[0])
        html_raw(&h, "<p><a href=\"/\">Till översikten</a></p>\n");
    serve_page_end(&h, rq);
    serve_page_done(rs, &h, status);
}

void serve_form_open(html_buf *h, serve_req *rq, const char *action,
                     const char *extra_attrs)
{
    char id[33];
    serve_form_id_issue(rq, id);
    html_raw(h, "<form method=\"post\" action=\"");
    html_esc(h, action);
    html_raw(h, "\"");
    if (extra_attrs) {
        html_raw(h, " ");
        html_raw(h, extra_attrs);
    }
    html_raw(h, ">\n<input type=\"hidden\" name=\"csrf\" value=\"");
    html_esc(h, rq->csrf);
    html_raw(h, "\">\n<input type=\"hidden\" name=\"inskick\" value=\"");
    html_esc(h, id);
    html_raw(h, "\">\n");
}

void serve_redirect(serve_resp *rs, const char *location)
{
    free(rs->location);
    rs->location = mem_strdup(location);
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
        html_esc(h, d->msg);
        html_raw(h, "</li>\n");
    }
    html_raw(h, "</ul>\n");
}

/* Where the book's faults are, and nothing of what the files hold: a
 * message may quote a field, and a book file may be a link to a file the
 * visitor must not read. The command line (samla check) tells the rest to
 * whoever can read the files. */
void serve_book_error(serve_resp *rs, const serve_req *rq,
                      const diag_list *dl)
{
    html_buf h;
    html_init(&h);
    serve_page_begin(&h, rq, "Fel: boken kan inte läsas", NULL);
    html_raw(&h, "<div class=\"banner warn\" role=\"alert\" tabindex=\"-1\" "
                 "autofocus><p>Boken har fel och visas inte förrän de är "
                 "rättade. Inget har ändrats. Kör <code>samla check</code> "
                 "för att se vad som är fel.</p></div>\n"
                 "<h2>Här finns felen</h2>\n<ul class=\"diag\">\n");
    size_t shown = 0;
    for (size_t i = 0; i < dl->n && shown < 50; i++) {
        const diag *d = &dl->v[i];
        if (d->level != DIAG_ERROR)
            continue;
        shown++;
        html_raw(&h, "<li class=\"error\"><strong>Fel</strong> i ");
        if (d->file) {
            /* Only the file's own name: the folder is nobody's business
             * on a page that may be reached over the network. */
            const char *base = strrchr(d->file, '/');
            html_esc(&h, base ? base + 1 : d->file);
        } else {
            html_raw(&h, "boken");
        }
        if (d->line)
            html_rawf(&h, ", rad %ld", d->line);
        if (d->col)
            html_rawf(&h, ", kolumn %ld", d->col);
        html_raw(&h, "</li>\n");
    }
    html_raw(&h, "</ul>\n");
    serve_page_end(&h, rq);
    serve_page_done(rs, &h, MHD_HTTP_INTERNAL_SERVER_ERROR);
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
    if (rc == SAMLA_ELOCK) {
        serve_page_message(rs, rq, MHD_HTTP_SERVICE_UNAVAILABLE,
                           "Fel: boken är upptagen",
                           "Någon annan sparar i boken just nu (till exempel "
                           "från kommandoraden). Inget har ändrats; försök "
                           "igen om en stund.");
        rs->retry_after = 5;
    } else {
        serve_book_error(rs, rq, &dl);
    }
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

int serve_write_begin(serve_write *w, serve_req *rq, serve_resp *rs,
                      const char *id, book *b,
                      void (*refused)(serve_req *rq, serve_resp *rs, int rc,
                                      const diag_list *dl))
{
    pthread_mutex_lock(&rq->app->write_mu);
    diag_init(&w->dl);
    int lrc = store_lock_acquire(&w->lock, rq->app->book_dir,
                                 SERVE_LOCK_TIMEOUT_MS, &w->dl);
    if (lrc != SAMLA_OK) {
        pthread_mutex_unlock(&rq->app->write_mu);
        serve_form_id_done(rq, id, 0, NULL);
        refused(rq, rs, lrc, &w->dl);
        diag_free(&w->dl);
        return -1;
    }
    if (serve_load_held(rq, rs, b) != 0) {
        serve_write_end(w, rq);
        serve_form_id_done(rq, id, 0, NULL);
        diag_free(&w->dl);
        return -1;
    }
    return 0;
}

void serve_write_end(serve_write *w, serve_req *rq)
{
    store_lock_release(&w->lock);
    pthread_mutex_unlock(&rq->app->write_mu);
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

int serve_followup_year(const serve_req *rq, const book *b)
{
    const char *y = serve_query(rq, "ar");
    return y && *y ? serve_year(rq) : report_default_year(b);
}

date_t serve_per_date(const serve_req *rq, date_t def)
{
    const char *per = serve_query(rq, "per");
    if (per && *per) {
        period_t p;
        const char *err;
        if (period_parse(&p, per, &err) == 0)
            return p.to;
    }
    return def;
}

date_t serve_as_of(const serve_req *rq, const book *b, int year)
{
    return serve_per_date(rq, report_default_at(b, year));
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

