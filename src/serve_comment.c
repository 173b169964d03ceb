/*
 * serve_comment - the comment form of the budget page and its save (see
 * serve.h). One form: the budget line (a list of the year's lines), the
 * period (empty for the whole year) and the comment; an empty comment
 * removes the line's comment. The save takes the book's lock, reads the
 * book under it and appends one row to kommentarer.csv through
 * book_append_comment, which checks the text with the reader's rules.
 */
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "serve.h"
#include "store.h"

/* The <select> value of a budget line: "k:PROC:" or "i:HSNV:3520". */
static void line_value(const book *b, book_kind kind, const char *code,
                       int account, char *buf, size_t size)
{
    snprintf(buf, size, "%c:%s:%s", kind == KIND_COST ? 'k' : 'i', code,
             account >= 0 ? b->accounts.v[account].number : "");
}

/* The year's budget line with select value v, or -1. */
static long find_line(const book *b, int year, const char *v)
{
    for (size_t i = 0; v && i < b->budget.n; i++) {
        const book_budget_line *l = &b->budget.v[i];
        char buf[128];
        if (l->year != year)
            continue;
        line_value(b, l->kind, l->code, l->account, buf, sizeof buf);
        if (strcmp(buf, v) == 0)
            return (long)i;
    }
    return -1;
}

/* The page's ?per= when it is a plain date or period (digits, '-', '.',
 * Q, T), to carry on into the form's action and the redirect; else NULL. */
static const char *per_arg(const serve_req *rq)
{
    const char *per = serve_query(rq, "per");
    if (per && *per && strlen(per) < 40 &&
        strspn(per, "0123456789-.QT") == strlen(per))
        return per;
    return NULL;
}

/* aria-invalid and aria-describedby of a field, when it is at fault. */
static void field_state(html_buf *h, const serve_comment_form *f, int field,
                        const char *hint)
{
    if (f && f->field == field)
        html_rawf(h, " aria-invalid=\"true\" aria-describedby=\"%s "
                     "kommentar-fel-%d\"",
                  hint, field);
    else
        html_rawf(h, " aria-describedby=\"%s\"", hint);
}

static void field_error(html_buf *h, const serve_comment_form *f, int field)
{
    if (!f || f->field != field)
        return;
    html_rawf(h, "<span class=\"field-error\" id=\"kommentar-fel-%d\">",
              field);
    html_esc(h, f->msg);
    html_raw(h, "</span>");
}

void serve_comment_form_html(html_buf *h, serve_req *rq, const book *b,
                             int year, const serve_comment_form *f)
{
    static const char *const ids[] = {"", "kommentar-rad", "kommentar-period",
                                      "kommentar-text", "kommentar-rad"};
    html_raw(h, "<section class=\"comment-form\" aria-labelledby="
                "\"kommentarer\">\n<h2 id=\"kommentarer\">Kommentera en "
                "budgetrad</h2>\n");
    if (f && f->field) {
        /* The summary takes the focus, so a screen reader reads it. */
        html_raw(h, "<div class=\"error-summary\" role=\"alert\" "
                    "aria-labelledby=\"kommentar-fel-rubrik\" tabindex=\"-1\" "
                    "autofocus><h2 id=\"kommentar-fel-rubrik\">Kommentaren är "
                    "inte sparad</h2>\n<ul><li>");
        html_rawf(h, "<a href=\"#%s\">", ids[f->field]);
        html_esc(h, f->msg);
        html_raw(h, "</a></li></ul></div>\n");
    }
    int nlines = 0;
    for (size_t i = 0; i < b->budget.n; i++)
        nlines += b->budget.v[i].year == year;
    if (!nlines) {
        html_rawf(h, "<p>Det finns ingen budget för %d att kommentera.</p>\n"
                     "</section>\n",
                  year);
        return;
    }
    html_raw(h, "<p class=\"hint\">Kommentaren visas i kolumnen Kommentar, "
                "i budgetarbetsboken och i <code>samla budget</code>. En ny "
                "kommentar ersätter radens förra; de tidigare finns kvar i "
                "bokens kommentarsfil.</p>\n");
    /* The year and the date the page is per stay in the action's query. */
    char action[160];
    const char *per = per_arg(rq);
    snprintf(action, sizeof action, "/budget/kommentar?ar=%d%s%s", year,
             per ? "&per=" : "", per ? per : "");
    serve_form_open(h, rq, action, "novalidate");
    html_raw(h, "<div class=\"filters\">\n<div><label for=\"kommentar-rad\">"
                "Budgetrad</label><select id=\"kommentar-rad\" name=\"rad\"");
    field_state(h, f, 1, "kommentar-rad-hint");
    if (f && f->field == 4)
        html_raw(h, " aria-invalid=\"true\"");
    html_raw(h, ">\n");
    for (int kind = KIND_INCOME; kind <= KIND_COST; kind++) {
        html_raw(h, kind == KIND_INCOME ? "<optgroup label=\"Intäkter\">\n"
                                        : "<optgroup label=\"Kostnader\">\n");
        for (size_t i = 0; i < b->budget.n; i++) {
            const book_budget_line *l = &b->budget.v[i];
            if (l->year != year || (int)l->kind != kind)
                continue;
            char v[128];
            line_value(b, l->kind, l->code, l->account, v, sizeof v);
            const char *name = kind == KIND_INCOME
                                   ? b->funders.v[l->funder].name
                                   : b->activities.v[l->activity].name;
            html_raw(h, "<option value=\"");
            html_esc(h, v);
            html_raw(h, "\"");
            if (f && f->line && strcmp(f->line, v) == 0)
                html_raw(h, " selected");
            html_raw(h, ">");
            html_esc(h, name);
            html_raw(h, " (");
            html_esc(h, l->code);
            if (l->account >= 0) {
                html_raw(h, "/");
                html_esc(h, b->accounts.v[l->account].number);
            }
            html_raw(h, ")</option>\n");
        }
        html_raw(h, "</optgroup>\n");
    }
    html_raw(h, "</select><span id=\"kommentar-rad-hint\" class=\"hint\">"
                "intäkter per finansiär, kostnader per verksamhet</span>");
    field_error(h, f, 1);
    field_error(h, f, 4);
    html_raw(h, "</div>\n<div><label for=\"kommentar-period\">Period</label>"
                "<input type=\"text\" id=\"kommentar-period\" name=\"period\" "
                "size=\"10\"");
    field_state(h, f, 2, "kommentar-period-hint");
    html_raw(h, " value=\"");
    html_esc(h, f && f->period ? f->period : "");
    html_rawf(h, "\"><span id=\"kommentar-period-hint\" class=\"hint\">tom "
                 "för hela året, eller kvartal (%dQ3), tertial (%dT2) eller "
                 "månad (%d-03)</span>",
              year, year, year);
    field_error(h, f, 2);
    html_raw(h, "</div>\n<div class=\"wide\"><label for=\"kommentar-text\">"
                "Kommentar</label><textarea id=\"kommentar-text\" "
                "name=\"kommentar\" rows=\"3\" cols=\"50\"");
    field_state(h, f, 3, "kommentar-text-hint");
    html_raw(h, ">");
    html_esc(h, f && f->text ? f->text : "");
    html_raw(h, "</textarea><span id=\"kommentar-text-hint\" class=\"hint\">"
                "högst 1000 tecken; lämna tom för att ta bort radens "
                "kommentar</span>");
    field_error(h, f, 3);
    html_raw(h, "</div>\n<div class=\"submit\"><button type=\"submit\">Spara "
                "kommentar</button></div>\n</div>\n</form>\n</section>\n");
}

/* A refusal: the page again with the form as sent and the fault at its
 * field. */
static void refuse(serve_req *rq, serve_resp *rs, const book *b,
                   serve_comment_form *f, int field, unsigned status,
                   const char *msg)
{
    f->field = field;
    snprintf(f->msg, sizeof f->msg, "%s", msg);
    serve_budget_page(rq, rs, b, f, status);
}

/* The first error of dl, without its place (the user's own input). */
static const char *first_error(const diag_list *dl)
{
    for (size_t i = 0; i < dl->n; i++)
        if (dl->v[i].level == DIAG_ERROR)
            return dl->v[i].msg;
    return "kommentaren kunde inte sparas";
}

/* The page of a save that could not take the book's lock. */
static void not_locked(serve_req *rq, serve_resp *rs, int lrc,
                       const diag_list *dl)
{
    (void)dl;
    serve_page_message(rs, rq,
                       lrc == SAMLA_ELOCK ? MHD_HTTP_SERVICE_UNAVAILABLE
                                          : MHD_HTTP_INTERNAL_SERVER_ERROR,
                       "Fel: kommentaren kunde inte sparas",
                       lrc == SAMLA_ELOCK
                           ? "Någon annan sparar i boken just nu (till "
                             "exempel från kommandoraden). Inget har "
                             "sparats; gå tillbaka och försök igen om en "
                             "stund."
                           : "Boken kunde inte låsas. Inget har sparats.");
    if (lrc == SAMLA_ELOCK)
        rs->retry_after = 5;
}

int serve_page_comment_save(serve_req *rq, serve_resp *rs)
{
    const char *id = serve_form_get(&rq->form, "inskick");
    char where[128];
    serve_formid st = serve_form_id_claim(rq, id, where, sizeof where);
    if (st != SERVE_FORMID_OK) {
        serve_page_message(rs, rq, MHD_HTTP_CONFLICT,
                           st == SERVE_FORMID_USED
                               ? "Redan sparat: inget sparades nu"
                               : "Fel: formuläret gäller inte",
                           st == SERVE_FORMID_USED
                               ? "Den här kommentaren är redan sparad. Inget "
                                 "sparades en gång till."
                           : st == SERVE_FORMID_BUSY
                               ? "Den här kommentaren sparas redan. Inget "
                                 "sparas två gånger."
                               : "Formuläret är för gammalt eller kommer "
                                 "inte från den här inloggningen. Inget har "
                                 "sparats; börja om från sidan Budget.");
        return -1;
    }
    serve_comment_form f;
    memset(&f, 0, sizeof f);
    f.line = serve_form_get(&rq->form, "rad");
    f.period = serve_form_get(&rq->form, "period");
    f.text = serve_form_get(&rq->form, "kommentar");
    if (!f.period)
        f.period = "";
    if (!f.text)
        f.text = "";
    /* A browser sends a textarea's line breaks as CR LF: stored as LF. */
    char *text = mem_strdup(f.text);
    size_t o = 0;
    for (size_t i = 0; text[i]; i++)
        if (!(text[i] == '\r' && text[i + 1] == '\n'))
            text[o++] = text[i];
    text[o] = '\0';
    f.text = text;
    int year = serve_year(rq);

    serve_write w;
    book b;
    if (serve_write_begin(&w, rq, rs, id, &b, not_locked) != 0) {
        free(text);
        return -1;
    }
    long li = find_line(&b, year, f.line);
    period_t p;
    char err[256];
    const book_comment *before = NULL;
    int rc = SAMLA_EDATA, field = 0;
    unsigned status = MHD_HTTP_UNPROCESSABLE_CONTENT;
    if (li < 0) {
        field = 1;
        snprintf(err, sizeof err, "Välj en av årets budgetrader.");
    } else if (book_year_closed(&b, year) >= 0) {
        field = 4;
        status = MHD_HTTP_CONFLICT;
        snprintf(err, sizeof err,
                 "År %d är stängt (bokslut); dess kommentarer ändras inte.",
                 year);
    } else if (book_comment_period(year, f.period, &p, err, sizeof err) !=
               0) {
        field = 2;
    } else {
        const book_budget_line *l = &b.budget.v[li];
        book_comment c;
        memset(&c, 0, sizeof c);
        c.year = year;
        c.period = *f.period ? p.label : "";
        c.kind = l->kind;
        c.code = l->code;
        c.funder = l->funder;
        c.activity = l->activity;
        c.account = l->account;
        c.text = text;
        char now[32];
        date_now_utc(now, sizeof now);
        c.registered = now;
        c.user = rq->user;
        for (size_t i = b.comments.n; i-- > 0;) {
            const book_comment *x = &b.comments.v[i];
            if (x->year == c.year && x->kind == c.kind &&
                x->account == c.account && strcmp(x->code, c.code) == 0 &&
                strcmp(x->period, c.period) == 0) {
                before = *x->text ? x : NULL;
                break;
            }
        }
        if (!*text && !before) {
            field = 3;
            snprintf(err, sizeof err,
                     "Raden har ingen kommentar att ta bort; skriv en "
                     "kommentar.");
        } else {
            static const char *const labels[SCHEMA_CM_N] = {
                [SCHEMA_CM_TEXT] = "Kommentaren"};
            book_origin origin = {NULL, 0, labels};
            rc = book_append_comment(&b, &c, &origin, &w.dl);
            if (rc == SAMLA_EDATA) {
                field = 3;
                snprintf(err, sizeof err, "%s.", first_error(&w.dl));
            }
        }
    }
    serve_write_end(&w, rq);
    if (rc == SAMLA_OK) {
        printf("samla serve: kommentar %d %s sparad av %s\n", year,
               b.budget.v[li].code, rq->user ? rq->user : "");
        fflush(stdout);
        char loc[160];
        const char *per = per_arg(rq);
        snprintf(loc, sizeof loc, "/budget?ar=%d%s%s&kommentar=%s", year,
                 per ? "&per=" : "", per ? per : "",
                 *text ? "sparad" : "borttagen");
        serve_form_id_done(rq, id, 1, loc);
        serve_redirect(rs, loc);
    } else {
        serve_form_id_done(rq, id, 0, NULL);
        if (field)
            refuse(rq, rs, &b, &f, field, status, err);
        else
            serve_page_message(rs, rq, MHD_HTTP_INTERNAL_SERVER_ERROR,
                               "Fel: kommentaren kunde inte sparas",
                               "Boken kunde inte skrivas. Inget har sparats. "
                               "Kör samla check och försök igen.");
    }
    book_free(&b);
    diag_free(&w.dl);
    free(text);
    return 0;
}
