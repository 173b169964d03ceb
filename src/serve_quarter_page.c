/*
 * serve_quarter_page - the three steps of Registrera kvartal: the form,
 * the summary against the budget, and the one confirmation that saves the
 * whole quarter through quarter_save under the book's lock.
 */
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "reports.h"
#include "serve_quarter.h"
#include "store.h"

/* The summary as a report table, so it is drawn by the same renderer as
 * every other table: per line the quarter's budget, what is entered now,
 * what was booked before, the outcome and the deviation (budget − outcome,
 * as in the budget report), with totals per kind and the result. */
static report *summary_report(const book *b, const serve_qform *f,
                              const book_entry *e, size_t ne)
{
    quarter_line *l;
    size_t nl = quarter_lines(b, &f->qo, e, ne, &l);
    int q = date_quarter(f->period.from);
    char title[96], head[32], head2[32];
    snprintf(title, sizeof title, "Sammanställning mot budgeten %s",
             f->period.label);
    report *r = report_new("quarter", title);
    report_book_header(r, b, f->period.label, DATE_NONE);
    report_table *t = report_add_table(r, title, "Budgetrad", "Kod");
    snprintf(head, sizeof head, "Budget Q%d", q);
    int c_bud = report_add_column(t, "budget", head, REPORT_COL_AMOUNT);
    int c_new = report_add_column(t, "entered", "Registreras nu",
                                  REPORT_COL_AMOUNT);
    int c_old = report_add_column(t, "booked", "Bokfört förut",
                                  REPORT_COL_AMOUNT);
    snprintf(head2, sizeof head2, "Utfall Q%d", q);
    int c_out = report_add_column(t, "outcome", head2, REPORT_COL_AMOUNT);
    int c_dev = report_add_column(t, "deviation", "Avvikelse",
                                  REPORT_COL_AMOUNT);
    report_colterm out_def[] = {{c_new, +1}, {c_old, +1}};
    report_col_linear(t, c_out, out_def, 2);
    report_colterm dev_def[] = {{c_bud, +1}, {c_out, -1}};
    report_col_linear(t, c_dev, dev_def, 2);
    size_t sums[2] = {0, 0};
    int have[2] = {0, 0};
    static const book_kind order[2] = {KIND_COST, KIND_INCOME};
    for (int k = 0; k < 2; k++) {
        size_t first = t->nrows + 1;
        int any = 0;
        for (size_t i = 0; i < nl; i++)
            any |= l[i].kind == order[k];
        if (!any)
            continue;
        report_add_row(t, REPORT_ROW_HEADING, NULL,
                       order[k] == KIND_COST ? "Kostnader" : "Intäkter", 0);
        for (size_t i = 0; i < nl; i++) {
            if (l[i].kind != order[k])
                continue;
            char label[300];
            snprintf(label, sizeof label, "%s%s", l[i].name,
                     l[i].budget_index < 0 ? " (ingen budgetrad)" : "");
            size_t row = report_add_row(t, REPORT_ROW_LINE, l[i].code, label,
                                        0);
            report_set_amount(t, row, c_bud, &l[i].budget);
            report_set_amount(t, row, c_new, &l[i].entered);
            report_set_amount(t, row, c_old, &l[i].booked);
            report_row_derive(t, row);
            if (l[i].budget_index < 0)
                t->rows[row].flags |= REPORT_FLAG_WARN;
        }
        sums[k] = report_add_sum_row(t, REPORT_ROW_SUBTOTAL,
                                     order[k] == KIND_COST ? "Summa kostnader"
                                                           : "Summa intäkter",
                                     first, t->nrows - 1, REPORT_ROW_LINE);
        have[k] = 1;
    }
    if (have[0] && have[1])
        report_add_diff_row(t, REPORT_ROW_TOTAL,
                            "Resultat (intäkter − kostnader)", sums[1],
                            sums[0]);

    /* The entries that will be saved, as the journal will hold them. */
    report_table *v = report_add_table(r, "Verifikationer som sparas", "Ver",
                                       NULL);
    int c_date = report_add_column(v, "date", "Datum", REPORT_COL_DATE);
    int c_acc = report_add_column(v, "account", "Konto", REPORT_COL_TEXT);
    int c_code = report_add_column(v, "code", "Verksamhet/finansiär",
                                   REPORT_COL_TEXT);
    int c_em = report_add_column(v, "earmark", "Öronmärkning",
                                 REPORT_COL_TEXT);
    int c_amt = report_add_column(v, "amount", "Belopp", REPORT_COL_AMOUNT);
    int c_text = report_add_column(v, "text", "Text", REPORT_COL_TEXT);
    for (size_t i = 0; i < ne; i++) {
        char ver[32];
        snprintf(ver, sizeof ver, "%d:%d", e[i].year, e[i].ver);
        size_t row = report_add_row(v, REPORT_ROW_LINE, NULL, ver, 0);
        report_set_date(v, row, c_date, e[i].date);
        report_set_text(v, row, c_acc, b->accounts.v[e[i].account].number);
        report_set_text(v, row, c_code,
                        e[i].funder >= 0 ? b->funders.v[e[i].funder].code
                                         : b->activities.v[e[i].activity].code);
        if (e[i].earmark >= 0)
            report_set_text(v, row, c_em, b->earmarks.v[e[i].earmark].code);
        report_set_amount(v, row, c_amt, &e[i].amount);
        report_set_text(v, row, c_text, e[i].text);
    }
    report_add_note(r, REPORT_NOTE_INFO,
                    "Verifikationsnumren är preliminära: de sätts när "
                    "kvartalet sparas.");
    quarter_lines_free(l, nl);
    report_evaluate(r);
    return r;
}

/* The posted fields again, hidden, for the confirmation (and for going
 * back to the form with the values as typed). */
static void hidden(html_buf *h, const char *name, int idx, const char *v)
{
    if (!v)
        return;
    if (idx >= 0)
        html_rawf(h, "<input type=\"hidden\" name=\"%s%d\" value=\"", name,
                  idx);
    else
        html_rawf(h, "<input type=\"hidden\" name=\"%s\" value=\"", name);
    html_esc(h, v);
    html_raw(h, "\">\n");
}

static void summary_page(serve_qform *f, serve_req *rq, serve_resp *rs,
                         const book *b, const book_entry *e, size_t ne)
{
    render_opts o;
    memset(&o, 0, sizeof o);
    o.unit = DEC_KR;
    o.decimals = 2;
    report *r = summary_report(b, f, e, ne);
    html_buf h;
    html_init(&h);
    char title[64];
    snprintf(title, sizeof title, "Granska kvartal %s", f->period.label);
    serve_page_begin(&h, rq, title, "/kvartal");
    html_rawf(&h, "<p class=\"banner\" role=\"status\" tabindex=\"-1\" "
                  "autofocus>Kontrollera beloppen. "
                  "Inget är sparat ännu: <strong>%zu verifikationer</strong> "
                  "sparas tillsammans när du bekräftar, eller inga alls.</p>\n",
              ne);
    for (size_t i = 0; i < r->ntables; i++)
        render_html_table(&h, r->tables[i], &o);
    render_html_notes(&h, r, &o);
    if (f->overlaps.n) {
        /* Allowed by the tick: still shown, so the save is made knowingly. */
        report *ov = overlap_report(b, &f->overlaps);
        html_raw(&h, "<div class=\"banner warn\"><p>");
        html_esc(&h, ov->title);
        html_raw(&h, " Rutan Spara ändå är ikryssad.</p></div>\n");
        render_html_table(&h, ov->tables[0], &o);
        report_free(ov);
    }
    serve_form_open(&h, rq, "/kvartal/spara", NULL);
    hidden(&h, "kvartal", -1, f->period.label);
    hidden(&h, "underlag", -1, f->doc);
    if (f->allow_repeat)
        hidden(&h, "upprepa", -1, "1");
    if (f->allow_overlap)
        hidden(&h, "overlapp", -1, "1");
    for (size_t i = 0; i < f->nl; i++) {
        const quarter_line *l = &f->lines[i];
        if (l->budget_index < 0)
            continue;
        char name[48];
        snprintf(name, sizeof name, "rad%d", l->budget_index);
        hidden(&h, name, -1, serve_form_get(&rq->form, name));
        for (int k = 0; k < QFORM_ROWS; k++) {
            const serve_qrow *row = &f->rows[i * QFORM_ROWS + (size_t)k];
            static const char *const pre[5] = {"belopp", "konto", "om",
                                               "text", "underlag"};
            const char *val[5] = {row->amount, row->account, row->earmark,
                                  row->text, row->doc};
            for (int c = 0; c < 5; c++) {
                if (k == 0)
                    snprintf(name, sizeof name, "%s%d", pre[c],
                             l->budget_index);
                else
                    snprintf(name, sizeof name, "%s%d_%d", pre[c],
                             l->budget_index, k);
                hidden(&h, name, -1, val[c]);
            }
        }
    }
    html_raw(&h, "<div class=\"actions\"><button type=\"submit\">Spara "
                 "kvartalet</button><button type=\"submit\" "
                 "class=\"secondary\" formaction=\"/kvartal\" name=\"steg\" "
                 "value=\"andra\">Ändra beloppen</button></div>\n</form>\n");
    serve_page_end(&h, rq);
    serve_page_done(rs, &h, MHD_HTTP_OK);
    report_free(r);
}

int serve_page_quarter(serve_req *rq, serve_resp *rs)
{
    if (!rq->is_post) {
        /* Showing the form only reads: the kept book will do. */
        const book *kept = serve_book(rq, rs);
        if (!kept)
            return -1;
        serve_qform f;
        if (serve_qform_init(&f, rq, rs, kept) != 0)
            return -1;
        serve_qform_page(&f, rq, rs, kept, MHD_HTTP_OK);
        serve_qform_free(&f);
        return 0;
    }
    /* The summary builds the entries, which copies strings into the
     * book's arena: a book of its own, read now. */
    book b;
    if (serve_load(rq, rs, &b) != 0)
        return -1;
    serve_qform f;
    if (serve_qform_init(&f, rq, rs, &b) != 0) {
        book_free(&b);
        return -1;
    }
    const char *step = serve_form_get(&rq->form, "steg");
    if (step && strcmp(step, "andra") == 0) {
        /* Back from the summary: the form with the values as typed. */
        serve_qform_read(&f, rq, &b);
        diag_free(&f.general);
        diag_init(&f.general);
        serve_qform_page(&f, rq, rs, &b, MHD_HTTP_OK);
    } else {
        size_t errors = serve_qform_read(&f, rq, &b);
        book_entry *e = NULL;
        size_t ne = 0;
        if (errors == 0 && f.nin == 0) {
            diag_error(&f.general, NULL, 0, 0,
                       "inga belopp är ifyllda; fyll i minst ett belopp");
            errors++;
        }
        if (errors == 0) {
            diag_list dl;
            diag_init(&dl);
            long first, last;
            if (quarter_existing(&b, &f.period, &first, &last) &&
                !f.allow_repeat)
                f.need_repeat = 1;
            else
                ne = quarter_build(&b, &f.qo, f.in, f.nin, &e, &dl);
            /* Entries booked by import for the same lines: shown, and saved only with the tick. */
            if (ne && overlap_find_entries(&b, e, ne, &f.overlaps) &&
                !f.allow_overlap)
                f.need_overlap = 1;
            errors = diag_errors(&dl) + (size_t)f.need_repeat +
                     (size_t)f.need_overlap;
            serve_qform_place(&f, &dl);
            diag_free(&dl);
        }
        if (errors)
            serve_qform_page(&f, rq, rs, &b, MHD_HTTP_UNPROCESSABLE_CONTENT);
        else
            summary_page(&f, rq, rs, &b, e, ne);
        quarter_entries_free(e, ne);
    }
    serve_qform_free(&f);
    book_free(&b);
    return 0;
}

/* Why a save could not be written, from the messages of the lock and the
 * commit (they carry diag_errno_text's words) and the folder itself. */
typedef enum { WHY_OTHER, WHY_BUSY, WHY_READONLY, WHY_FULL } save_why;

static int diag_mentions(const diag_list *dl, int err)
{
    /* The C library's text or samla's Swedish one (diag_errno_text). */
    const char *texts[2] = {strerror(err), diag_errno_text(err)};
    for (size_t i = 0; i < dl->n; i++)
        for (int k = 0; k < 2; k++)
            if (dl->v[i].msg && strstr(dl->v[i].msg, texts[k]))
                return 1;
    return 0;
}

static save_why why_not_saved(const char *dir, int rc, const diag_list *dl)
{
    if (rc == SAMLA_ELOCK)
        return WHY_BUSY;
    if (diag_mentions(dl, ENOSPC) || diag_mentions(dl, EDQUOT))
        return WHY_FULL;
    if (diag_mentions(dl, EROFS) || diag_mentions(dl, EACCES) ||
        diag_mentions(dl, EPERM) || access(dir, W_OK) != 0)
        return WHY_READONLY;
    return WHY_OTHER;
}

/* The page of a save that could not be written: each cause its own
 * message and status. */
static void not_written(serve_req *rq, serve_resp *rs, save_why why)
{
    static const struct {
        unsigned status;
        const char *title, *text;
    } pages[] = {
        [WHY_OTHER] = {MHD_HTTP_INTERNAL_SERVER_ERROR,
                       "Fel: kvartalet kunde inte sparas",
                       "Boken kunde inte skrivas. Inget har sparats. Kör "
                       "samla check och försök igen."},
        [WHY_BUSY] = {MHD_HTTP_SERVICE_UNAVAILABLE, "Fel: boken är upptagen",
                      "Någon annan sparar i boken just nu (till exempel "
                      "från kommandoraden). Inget har sparats; gå tillbaka "
                      "och försök igen om en stund."},
        [WHY_READONLY] = {MHD_HTTP_FORBIDDEN, "Fel: boken är skrivskyddad",
                          "Boken kan bara läsas: servern får inte skriva i "
                          "bokens mapp (skrivskyddad mapp eller disk, eller "
                          "fel ägare). Inget har sparats."},
        [WHY_FULL] = {MHD_HTTP_INSUFFICIENT_STORAGE, "Fel: disken är full",
                      "Det finns inte plats på disken för att spara. Inget "
                      "har sparats och boken är oförändrad; frigör utrymme "
                      "och försök igen."},
    };
    serve_page_message(rs, rq, pages[why].status, pages[why].title,
                       pages[why].text);
    if (why == WHY_BUSY)
        rs->retry_after = 5;
}

/* The answer to a form sent again after it was saved: nothing is saved
 * twice, and the page says so. */
static void already_saved(serve_req *rq, serve_resp *rs, serve_formid st,
                          const char *where)
{
    html_buf h;
    html_init(&h);
    serve_page_begin(&h, rq, st == SERVE_FORMID_USED
                                 ? "Redan sparat: inget sparades nu"
                                 : "Fel: formuläret gäller inte",
                     "/kvartal");
    html_raw(&h, "<div class=\"banner warn\" role=\"alert\" tabindex=\"-1\" "
                 "autofocus><p>");
    if (st == SERVE_FORMID_USED)
        html_raw(&h, "Det här formuläret är redan sparat. Inget sparades en "
                     "gång till.");
    else if (st == SERVE_FORMID_BUSY)
        html_raw(&h, "Det här formuläret sparas redan. Inget sparas två "
                     "gånger.");
    else
        html_raw(&h, "Formuläret är för gammalt eller kommer inte från den "
                     "här inloggningen. Inget har sparats; börja om från "
                     "Registrera kvartal.");
    html_raw(&h, "</p>");
    if (where && *where) {
        html_raw(&h, "<p><a href=\"");
        html_esc(&h, where);
        html_raw(&h, "\">Se det som sparades</a></p>");
    }
    html_raw(&h, "</div>\n");
    serve_page_end(&h, rq);
    serve_page_done(rs, &h, MHD_HTTP_CONFLICT);
}

/* The page of a save that could not take the book's lock. */
static void not_locked(serve_req *rq, serve_resp *rs, int lrc,
                       const diag_list *dl)
{
    not_written(rq, rs, why_not_saved(rq->app->book_dir, lrc, dl));
}

int serve_page_quarter_save(serve_req *rq, serve_resp *rs)
{
    const char *id = serve_form_get(&rq->form, "inskick");
    char where[128];
    serve_formid st = serve_form_id_claim(rq, id, where, sizeof where);
    if (st != SERVE_FORMID_OK) {
        already_saved(rq, rs, st, where);
        return -1;
    }
    /* The book read under the lock: voucher numbers follow what the
     * command line saved since the form was shown. */
    serve_write w;
    book b;
    if (serve_write_begin(&w, rq, rs, id, &b, not_locked) != 0)
        return -1;
    serve_qform f;
    if (serve_qform_init(&f, rq, rs, &b) != 0) {
        serve_write_end(&w, rq);
        serve_form_id_done(rq, id, 0, NULL);
        book_free(&b);
        diag_free(&w.dl);
        return -1;
    }
    size_t errors = serve_qform_read(&f, rq, &b);
    size_t saved = 0;
    long first = -1, x, y;
    int rc = SAMLA_EDATA;
    if (errors == 0 && f.nin == 0)
        diag_error(&f.general, NULL, 0, 0, "inga belopp är ifyllda");
    else if (errors == 0 && quarter_existing(&b, &f.period, &x, &y) &&
             !f.allow_repeat)
        f.need_repeat = 1;
    else if (errors == 0 && serve_qform_overlaps(&f, &b) && !f.allow_overlap)
        f.need_overlap = 1;
    else if (errors == 0)
        rc = quarter_save(&b, &f.qo, f.in, f.nin, &saved, &first, &w.dl);
    serve_write_end(&w, rq);

    if (rc == SAMLA_OK && saved > 0) {
        const book_entry *a = &b.entries.v[first];
        const book_entry *z = &b.entries.v[first + (long)saved - 1];
        printf("samla serve: %s sparat av %s: %zu verifikationer "
               "(%d:%d–%d:%d)\n",
               f.period.label, f.qo.user ? f.qo.user : "", saved, a->year,
               a->ver, z->year, z->ver);
        fflush(stdout);
        char loc[96];
        snprintf(loc, sizeof loc, "/kvartal?kvartal=%s&sparat=%zu",
                 f.period.label, saved);
        serve_form_id_done(rq, id, 1, loc);
        serve_redirect(rs, loc);
    } else if (rc == SAMLA_EIO) {
        serve_form_id_done(rq, id, 0, NULL);
        not_written(rq, rs, why_not_saved(rq->app->book_dir, rc, &w.dl));
    } else {
        serve_form_id_done(rq, id, 0, NULL);
        serve_qform_place(&f, &w.dl);
        serve_qform_page(&f, rq, rs, &b,
                         f.need_repeat || f.need_overlap ? MHD_HTTP_CONFLICT
                                       : MHD_HTTP_UNPROCESSABLE_CONTENT);
    }
    serve_qform_free(&f);
    book_free(&b);
    diag_free(&w.dl);
    return 0;
}
