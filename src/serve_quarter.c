/*
 * serve_quarter - Registrera kvartal: reading the form and showing it
 * (see serve_quarter.h). Errors are shown at their field: the input gets
 * aria-invalid and aria-describedby naming the message beside it, and a
 * summary at the top links to each faulty field.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "serve_quarter.h"
#include "mem.h"

/* Upper bound on budget lines read from one post, far above any real
 * budget; keeps a hostile post from making us loop for long. */
#define QFORM_MAX_LINES 2000

/* The default quarter: the last one that has ended by today (the costs of
 * a quarter come in after it). */
static void default_quarter(period_t *p)
{
    date_t today = date_today();
    int y = date_year(today), q = date_quarter(today) - 1;
    if (q == 0) {
        y--;
        q = 4;
    }
    period_quarter(p, y, q);
}

int serve_qform_init(serve_qform *f, serve_req *rq, serve_resp *rs,
                     const book *b)
{
    memset(f, 0, sizeof *f);
    diag_init(&f->general);
    const char *q = serve_arg(rq, "kvartal");
    const char *err = NULL;
    if (q && *q) {
        if (quarter_parse_period(q, &f->period, &err) != 0) {
            char msg[200];
            snprintf(msg, sizeof msg, "Kvartalet \"%.20s\" kan inte läsas: %s.",
                     q, err);
            serve_page_message(rs, rq, MHD_HTTP_BAD_REQUEST,
                               "Registrera kvartal", msg);
            return -1;
        }
    } else {
        default_quarter(&f->period);
    }
    quarter_opts_init(&f->qo, &f->period);
    date_now_utc(f->now, sizeof f->now);
    f->qo.user = rq->user;
    f->qo.registered = f->now;
    f->nl = quarter_lines(b, &f->qo, NULL, 0, &f->lines);
    f->rows = mem_calloc(f->nl ? f->nl * QFORM_ROWS : 1, sizeof *f->rows);
    return 0;
}

void serve_qform_free(serve_qform *f)
{
    for (size_t i = 0; i < f->nl * QFORM_ROWS; i++)
        free(f->rows[i].error);
    free(f->rows);
    overlap_list_free(&f->overlaps);
    for (size_t i = 0; i < f->nin; i++)
        quarter_input_clear(&f->in[i]);
    free(f->in);
    free(f->in_line);
    quarter_lines_free(f->lines, f->nl);
    diag_free(&f->general);
    memset(f, 0, sizeof *f);
}

/* "k:SMM:" — what the fields of a line were made for. */
static void line_sig(const book *b, const quarter_line *l, char *buf,
                     size_t size)
{
    snprintf(buf, size, "%c:%s:%s", l->kind == KIND_COST ? 'k' : 'i', l->code,
             l->account >= 0 ? b->accounts.v[l->account].number : "");
}

/* The name of row k's field `prefix` of budget line idx (see
 * serve_quarter.h). */
static void field_name(char *name, size_t size, const char *prefix, int idx,
                       int k)
{
    if (k == 0)
        snprintf(name, size, "%s%d", prefix, idx);
    else
        snprintf(name, size, "%s%d_%d", prefix, idx, k);
}

static const char *field(serve_req *rq, const char *prefix, int idx)
{
    char name[48];
    field_name(name, sizeof name, prefix, idx, 0);
    return serve_form_get(&rq->form, name);
}

static const char *row_field(serve_req *rq, const char *prefix, int idx,
                             int k)
{
    char name[48];
    field_name(name, sizeof name, prefix, idx, k);
    return serve_form_get(&rq->form, name);
}

/* Only blanks (space, tab, no-break spaces) or nothing. */
static int blank(const char *s)
{
    for (; s && *s; s++) {
        if (*s == ' ' || *s == '\t')
            continue;
        if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0) {
            s++;
            continue;
        }
        return 0;
    }
    return 1;
}

size_t serve_qform_read(serve_qform *f, serve_req *rq, book *b)
{
    size_t errors = 0;
    const char *doc = serve_form_get(&rq->form, "underlag");
    f->doc = doc && !blank(doc) ? doc : NULL;
    const char *rep = serve_form_get(&rq->form, "upprepa");
    f->allow_repeat = rep && strcmp(rep, "1") == 0;
    f->qo.allow_repeat = f->allow_repeat;
    const char *ovl = serve_form_get(&rq->form, "overlapp");
    f->allow_overlap = ovl && strcmp(ovl, "1") == 0;
    f->qo.allow_overlap = f->allow_overlap;
    size_t cap = f->nl ? f->nl * QFORM_ROWS : 1;
    f->in = mem_calloc(cap, sizeof *f->in);
    f->in_line = mem_calloc(cap, sizeof *f->in_line);
    for (size_t i = 0; i < f->nl && i < QFORM_MAX_LINES; i++) {
        const quarter_line *l = &f->lines[i];
        int idx = l->budget_index;
        char sig[160];
        line_sig(b, l, sig, sizeof sig);
        const char *posted = field(rq, "rad", idx);
        int ok = posted && strcmp(posted, sig) == 0;
        for (int k = 0; k < QFORM_ROWS; k++) {
            serve_qrow *r = &f->rows[i * QFORM_ROWS + (size_t)k];
            r->amount = row_field(rq, "belopp", idx, k);
            r->account = row_field(rq, "konto", idx, k);
            r->earmark = row_field(rq, "om", idx, k);
            r->text = row_field(rq, "text", idx, k);
            r->doc = row_field(rq, "underlag", idx, k);
            if (!r->amount || blank(r->amount))
                continue;
            if (!ok) {
                f->stale = 1;
                continue;
            }
            quarter_input *in = &f->in[f->nin];
            quarter_input_init(in);
            dec_error de;
            if (dec_parse(&in->amount, r->amount, strlen(r->amount), &de) !=
                0) {
                char why[96];
                r->error = mem_printf("Ogiltigt belopp: %s.",
                                     dec_error_text(&de, why, sizeof why));
                /* Capitalise the message's first letter for the page. */
                if (r->error[0] >= 'a' && r->error[0] <= 'z')
                    r->error[0] = (char)(r->error[0] - 'a' + 'A');
                quarter_input_clear(in);
                errors++;
                continue;
            }
            in->kind = l->kind;
            in->code = l->code;
            in->account = r->account && *r->account ? r->account : NULL;
            if (l->account >= 0)
                in->account = b->accounts.v[l->account].number;
            /* "" = the line's earmark (quarter.h), "-" = none. */
            in->earmark = r->earmark && *r->earmark ? r->earmark : NULL;
            in->text = r->text && !blank(r->text) ? r->text : NULL;
            in->doc = r->doc && !blank(r->doc) ? r->doc : f->doc;
            f->in_line[f->nin] = i * QFORM_ROWS + (size_t)k;
            r->has_input = 1;
            f->nin++;
        }
    }
    if (f->stale) {
        diag_error(&f->general, NULL, 0, 0,
                   "budgeten har ändrats sedan formuläret visades; beloppen "
                   "har inte sparats. Kontrollera raderna och skicka igen");
        errors++;
    }
    return errors;
}

void serve_qform_place(serve_qform *f, const diag_list *dl)
{
    for (size_t i = 0; i < dl->n; i++) {
        const diag *d = &dl->v[i];
        if (d->level != DIAG_ERROR)
            continue;
        if (d->file == NULL && d->line >= 1 && (size_t)d->line <= f->nin) {
            serve_qrow *r = &f->rows[f->in_line[d->line - 1]];
            char *msg = mem_printf("%s%s%s.", r->error ? r->error : "",
                                  r->error ? " " : "", d->msg);
            if (msg[0] >= 'a' && msg[0] <= 'z')
                msg[0] = (char)(msg[0] - 'a' + 'A');
            free(r->error);
            r->error = msg;
            if (strstr(d->msg, "konto"))
                r->error_account = 1;
        } else {
            diag_add(&f->general, d->level, NULL, 0, 0, "%s", d->msg);
        }
    }
}

/* ---- The form page ---------------------------------------------------------- */

/* Cells carry data-label with their column's heading: on a narrow screen
 * (or at 200 % zoom) the table becomes one block per line and the style
 * sheet shows the heading beside each value. */
static void amount_cell(html_buf *h, const dec_t *v, const char *label)
{
    char *s = dec_format(v, DEC_KR, 2, 0);
    char *x = dec_to_string(v);
    html_raw(h, "<td class=\"num\" data-label=\"");
    html_esc(h, label);
    html_raw(h, "\"><data value=\"");
    html_esc(h, x);
    html_raw(h, "\">");
    html_esc(h, s);
    html_raw(h, "</data></td>");
    free(s);
    free(x);
}

/* The id suffix of row k of line idx: "16" or "16_2". */
static void row_id(char *buf, size_t size, int idx, int k)
{
    field_name(buf, size, "", idx, k);
}

/* ", rad 2" after a field's label for rows after the first. */
static void row_label(html_buf *h, const char *what, const quarter_line *l,
                      int k)
{
    html_raw(h, what);
    html_raw(h, ", ");
    html_esc(h, l->name);
    if (k > 0)
        html_rawf(h, ", rad %d", k + 1);
}

static void account_field(html_buf *h, const book *b, const quarter_line *l,
                          const serve_qrow *r, int idx, int k,
                          const quarter_suggestion *sg, size_t ns)
{
    html_raw(h, "<td data-label=\"Konto\">");
    if (l->account >= 0) {
        /* The budget line names its account: no choice to make. */
        html_esc(h, b->accounts.v[l->account].number);
        html_raw(h, "</td>");
        return;
    }
    char id[32];
    row_id(id, sizeof id, idx, k);
    const char *cur = r->account;
    /* The k-th account of the line's own history, else its usual one. */
    if (!cur && (size_t)k < ns)
        cur = b->accounts.v[sg[k].account].number;
    if (!cur && l->usual_account >= 0)
        cur = b->accounts.v[l->usual_account].number;
    html_rawf(h, "<label class=\"sr-only\" for=\"konto%s\">", id);
    row_label(h, "Konto", l, k);
    html_rawf(h, "</label><select id=\"konto%s\" name=\"konto%s\"", id, id);
    if (r->error && r->error_account)
        html_rawf(h, " aria-invalid=\"true\" aria-describedby=\"fel%s\"", id);
    html_raw(h, ">");
    if (!cur || !*cur)
        html_raw(h, "<option value=\"\" selected>välj konto</option>");
    for (size_t a = 0; a < b->accounts.n; a++) {
        const book_account *ac = &b->accounts.v[a];
        if (ac->kind != l->kind)
            continue;
        html_raw(h, "<option value=\"");
        html_esc(h, ac->number);
        html_rawf(h, "\"%s>", cur && strcmp(cur, ac->number) == 0 ? " selected"
                                                                   : "");
        html_esc(h, ac->number);
        html_raw(h, " ");
        html_esc(h, ac->name);
        html_raw(h, "</option>");
    }
    html_raw(h, "</select></td>");
}

/* The earmark of a row: the line's earmark preselected (quarter.h), "ingen"
 * posts "-". */
static void earmark_field(html_buf *h, const book *b, const quarter_line *l,
                          const serve_qrow *r, int idx, int k)
{
    char id[32];
    row_id(id, sizeof id, idx, k);
    html_rawf(h, "<td data-label=\"Öronmärkning\"><label class=\"sr-only\" "
                 "for=\"om%s\">",
              id);
    row_label(h, "Öronmärkning", l, k);
    html_rawf(h, "</label><select id=\"om%s\" name=\"om%s\">", id, id);
    const char *cur = r->earmark;
    if (!cur || !*cur)
        cur = *l->earmark ? l->earmark : QUARTER_NO_EARMARK;
    html_rawf(h, "<option value=\"" QUARTER_NO_EARMARK "\"%s>ingen</option>",
              strcmp(cur, QUARTER_NO_EARMARK) == 0 ? " selected" : "");
    for (size_t e = 0; e < b->earmarks.n; e++) {
        const book_earmark *em = &b->earmarks.v[e];
        html_raw(h, "<option value=\"");
        html_esc(h, em->code);
        html_rawf(h, "\"%s>", strcmp(cur, em->code) == 0 ? " selected" : "");
        html_esc(h, em->code);
        html_raw(h, "</option>");
    }
    html_raw(h, "</select></td>");
}

static void text_field(html_buf *h, const quarter_line *l, const char *name,
                       const char *what, const char *value, int idx, int k)
{
    char id[32];
    row_id(id, sizeof id, idx, k);
    html_rawf(h, "<td data-label=\"%s\"><label class=\"sr-only\" "
                 "for=\"%s%s\">",
              what, name, id);
    row_label(h, what, l, k);
    html_rawf(h, "</label><input type=\"text\" id=\"%s%s\" name=\"%s%s\" "
                 "size=\"24\" value=\"",
              name, id, name, id);
    html_esc(h, value ? value : "");
    html_raw(h, "\"></td>");
}

/* How many rows line i shows: those posted, at least one per suggestion
 * of its history, and one empty row more (up to QFORM_ROWS). */
static int rows_shown(const serve_qform *f, size_t i, size_t ns)
{
    int last = -1;
    for (int k = 0; k < QFORM_ROWS; k++) {
        const serve_qrow *r = &f->rows[i * QFORM_ROWS + (size_t)k];
        if ((r->amount && *r->amount) || r->error)
            last = k;
    }
    int n = last + 2;
    if (n < (int)ns + 1)
        n = (int)ns + 1;
    return n > QFORM_ROWS ? QFORM_ROWS : n;
}

static void form_section(html_buf *h, const serve_qform *f, const book *b,
                         book_kind kind)
{
    int q = date_quarter(f->period.from);
    int any = 0;
    for (size_t i = 0; i < f->nl; i++)
        any |= f->lines[i].kind == kind;
    if (!any)
        return;
    unsigned id = html_next_id(h);
    html_rawf(h, "<div class=\"table-wrap\" role=\"region\" tabindex=\"0\" "
                 "aria-labelledby=\"tabell%u\"><table class=\"entry\">"
                 "<caption id=\"tabell%u\">%s</caption>\n<thead><tr><th "
                 "scope=\"col\">Kod"
                 "</th><th scope=\"col\">Budgetrad</th><th scope=\"col\" "
                 "class=\"num\">Budget Q%d</th><th scope=\"col\" "
                 "class=\"num\">Bokfört i kvartalet</th><th scope=\"col\">"
                 "Belopp att registrera (kr)</th><th scope=\"col\">Konto"
                 "</th><th scope=\"col\">Text</th><th scope=\"col\">Underlag"
                 "</th><th scope=\"col\">Öronmärkning</th></tr></thead>\n"
                 "<tbody>\n",
              id, id,
              kind == KIND_COST ? "Kostnader per verksamhet"
                                : "Intäkter per finansiär",
              q);
    for (size_t i = 0; i < f->nl; i++) {
        const quarter_line *l = &f->lines[i];
        if (l->kind != kind || l->budget_index < 0)
            continue;
        int idx = l->budget_index;
        char sig[160];
        line_sig(b, l, sig, sizeof sig);
        quarter_suggestion *sg;
        size_t ns = quarter_suggest(b, &f->qo, l, &sg);
        int nshow = rows_shown(f, i, ns);
        for (int k = 0; k < nshow; k++) {
            const serve_qrow *r = &f->rows[i * QFORM_ROWS + (size_t)k];
            char rid[32];
            row_id(rid, sizeof rid, idx, k);
            html_raw(h, r->error ? "<tr class=\"warn\">" : "<tr>");
            if (k == 0) {
                html_raw(h, "<td class=\"code\" data-label=\"Kod\">");
                html_esc(h, l->code);
                html_raw(h, "</td><th scope=\"row\">");
                html_esc(h, l->name);
                html_raw(h, "</th>");
                char qh[16];
                snprintf(qh, sizeof qh, "Budget Q%d", q);
                amount_cell(h, &l->budget, qh);
                amount_cell(h, &l->booked, "Bokfört i kvartalet");
            } else {
                html_raw(h, "<td></td><th scope=\"row\" class=\"sub\">");
                html_esc(h, l->name);
                html_rawf(h, ", rad %d</th><td></td><td></td>", k + 1);
            }
            html_raw(h, "<td class=\"input\" data-label=\"Belopp (kr)\">");
            if (k == 0) {
                html_rawf(h, "<input type=\"hidden\" name=\"rad%d\" value=\"",
                          idx);
                html_esc(h, sig);
                html_raw(h, "\">");
            }
            html_rawf(h, "<label class=\"sr-only\" for=\"belopp%s\">", rid);
            row_label(h, "Belopp", l, k);
            html_rawf(h, "</label><input type=\"text\" class=\"amount\" "
                         "id=\"belopp%s\" name=\"belopp%s\" "
                         "inputmode=\"decimal\" autocomplete=\"off\" value=\"",
                      rid, rid);
            html_esc(h, r->amount ? r->amount : "");
            html_raw(h, "\"");
            if (r->error)
                html_rawf(h, " aria-invalid=\"true\" aria-describedby=\"fel%s\"",
                          rid);
            html_raw(h, ">");
            if (r->error) {
                html_rawf(h, "<span class=\"field-error\" id=\"fel%s\">", rid);
                html_esc(h, r->error);
                html_raw(h, "</span>");
            }
            html_raw(h, "</td>");
            account_field(h, b, l, r, idx, k, sg, ns);
            /* The text the line's history gives the row, until one is
             * typed. */
            const char *text = r->text;
            if (!text && (size_t)k < ns)
                text = sg[k].text;
            text_field(h, l, "text", "Text", text, idx, k);
            text_field(h, l, "underlag", "Underlag", r->doc, idx, k);
            earmark_field(h, b, l, r, idx, k);
            html_raw(h, "</tr>\n");
        }
        quarter_suggestions_free(sg, ns);
    }
    html_raw(h, "</tbody></table></div>\n");
}

size_t serve_qform_overlaps(serve_qform *f, book *b)
{
    diag_list dl;
    diag_init(&dl);
    book_entry *e = NULL;
    size_t ne = quarter_build(b, &f->qo, f->in, f->nin, &e, &dl);
    overlap_find_entries(b, e, ne, &f->overlaps);
    quarter_entries_free(e, ne);
    diag_free(&dl);
    return f->overlaps.n;
}

#define OVERLAP_MSG "Det finns redan poster för samma kvartal, konto och " \
                    "verksamhet (se tabellen). Kryssa i rutan om de nya " \
                    "posterna ändå ska sparas, eller ändra beloppen."

/* A tick box that lets a refused save through (the overlap, a repeated
 * quarter), its refusal `msg` (HTML) tied to it when `refused`: the one
 * markup of both boxes, up to the end of their <div>'s content. */
static void tick_box(html_buf *h, const char *name, const char *label,
                     int checked, int refused, const char *msg)
{
    html_rawf(h, "<div class=\"check\"><span><input type=\"checkbox\" "
                 "id=\"%s\" name=\"%s\" value=\"1\"%s",
              name, name, checked ? " checked" : "");
    if (refused)
        html_rawf(h, " aria-invalid=\"true\" aria-describedby=\"%s-fel\"",
                  name);
    html_rawf(h, "> <label for=\"%s\">%s</label></span>", name, label);
    if (refused)
        html_rawf(h, "<span class=\"field-error\" id=\"%s-fel\">%s</span>",
                  name, msg);
}

/* The entries already booked that the amounts overlap, and the tick box
 * that allows saving anyway (a refusal for want of it is tied to the
 * box). */
static void overlap_section(html_buf *h, const serve_qform *f, const book *b)
{
    if (f->overlaps.n == 0 && !f->allow_overlap)
        return;
    if (f->overlaps.n) {
        render_opts o;
        memset(&o, 0, sizeof o);
        o.unit = DEC_KR;
        o.decimals = 2;
        report *r = overlap_report(b, &f->overlaps);
        html_raw(h, "<div class=\"banner warn\"><p>");
        html_esc(h, r->title);
        html_raw(h, "</p></div>\n");
        render_html_table(h, r->tables[0], &o);
        report_free(r);
    }
    tick_box(h, "overlapp",
             "Spara ändå: de nya posterna ska bokföras trots att perioden "
             "redan har poster på samma konto och verksamhet",
             f->allow_overlap, f->need_overlap, OVERLAP_MSG);
    html_raw(h, "</div>\n");
}

static size_t error_count(const serve_qform *f)
{
    size_t n = f->general.nerrors + (f->need_repeat != 0) +
               (f->need_overlap != 0);
    for (size_t i = 0; i < f->nl * QFORM_ROWS; i++)
        n += f->rows[i].error != NULL;
    return n;
}

#define REPEAT_MSG "Kvartalet har redan verifikationer. Kryssa i rutan " \
                   "för att lägga till fler, eller lämna det som det är."

static void error_summary(html_buf *h, const serve_qform *f)
{
    size_t n = error_count(f);
    if (n == 0)
        return;
    /* The summary takes the focus, so a screen reader reads it at once. */
    html_raw(h, "<div class=\"error-summary\" role=\"alert\" "
                "aria-labelledby=\"fel-rubrik\" tabindex=\"-1\" autofocus>"
                "<h2 id=\"fel-rubrik\">Kvartalet är inte sparat</h2>\n<ul>\n");
    if (f->need_repeat)
        html_raw(h, "<li><a href=\"#upprepa\">" REPEAT_MSG "</a></li>\n");
    if (f->need_overlap)
        html_raw(h, "<li><a href=\"#overlapp\">" OVERLAP_MSG "</a></li>\n");
    for (size_t i = 0; i < f->general.n; i++) {
        html_raw(h, "<li>");
        html_esc(h, f->general.v[i].msg);
        html_raw(h, "</li>\n");
    }
    for (size_t j = 0; j < f->nl * QFORM_ROWS; j++) {
        const serve_qrow *r = &f->rows[j];
        if (!r->error)
            continue;
        size_t i = j / QFORM_ROWS;
        int k = (int)(j % QFORM_ROWS);
        char rid[32];
        row_id(rid, sizeof rid, f->lines[i].budget_index, k);
        html_rawf(h, "<li><a href=\"#%s%s\">", r->error_account ? "konto"
                                                                : "belopp",
                  rid);
        html_esc(h, f->lines[i].name);
        if (k > 0)
            html_rawf(h, ", rad %d", k + 1);
        html_raw(h, ": ");
        html_esc(h, r->error);
        html_raw(h, "</a></li>\n");
    }
    html_raw(h, "</ul></div>\n");
}

void serve_qform_page(serve_qform *f, serve_req *rq, serve_resp *rs,
                      const book *b, unsigned status)
{
    html_buf h;
    html_init(&h);
    char title[96];
    long first, last;
    size_t had = quarter_existing(b, &f->period, &first, &last);
    const char *saved = serve_query(rq, "sparat");
    /* The title says the outcome: it is the first thing read out. */
    snprintf(title, sizeof title, "%sRegistrera kvartal %s",
             error_count(f) ? "Fel: "
             : saved && had ? "Sparat: "
                            : "",
             f->period.label);
    serve_page_begin(&h, rq, title, "/kvartal");
    error_summary(&h, f);

    if (saved && had) {
        const book_entry *a = &b->entries.v[first], *z = &b->entries.v[last];
        html_rawf(&h, "<div class=\"banner\" role=\"status\" tabindex=\"-1\" "
                      "autofocus><p><strong>"
                      "Kvartalet %s är sparat.</strong> Det har nu %zu "
                      "verifikationer (%d:%d–%d:%d).</p><p><a href=\"/\">Se "
                      "översikten</a> · <a href=\"/oronmarkt\">Öronmärkta "
                      "medel</a> · <a href=\"/verifikationer?period=%s\">"
                      "Kvartalets verifikationer</a></p></div>\n",
                  f->period.label, had, a->year, a->ver, z->year, z->ver,
                  f->period.label);
    }

    /* Choosing another quarter is a plain GET form. */
    html_raw(&h, "<form class=\"filters\" method=\"get\" action=\"/kvartal\">"
                 "<div><label for=\"kvartal-val\">Kvartal</label><input "
                 "type=\"text\" id=\"kvartal-val\" name=\"kvartal\" size=\"8\" "
                 "aria-describedby=\"kvartal-hint\" value=\"");
    html_esc(&h, f->period.label);
    html_raw(&h, "\"><span id=\"kvartal-hint\" class=\"hint\">ÅÅÅÅQn, t.ex. "
                 "2026Q1</span></div><div class=\"submit\"><button type=\"submit\" "
                 "class=\"secondary\">Byt kvartal</button></div></form>\n");

    if (f->nl == 0) {
        html_rawf(&h, "<p>Det finns ingen budget för %d. Lägg in budgeten "
                      "först (<code>samla budget set</code>).</p>\n",
                  date_year(f->period.from));
        serve_page_end(&h, rq);
        serve_page_done(rs, &h, status);
        return;
    }
    char d[11];
    date_format(f->period.to, d);
    html_raw(&h, "<p class=\"hint\">Fyll i kvartalets belopp per budgetrad "
                 "(tomt = inget). Belopp kan skrivas 1 234,50, 1234.50 eller "
                 "1 234 kr. Posterna dateras ");
    html_esc(&h, d);
    html_raw(&h, ". Inget sparas förrän du har sett sammanställningen och "
                 "bekräftat.</p>\n");
    if (had && !saved) {
        const book_entry *a = &b->entries.v[first], *z = &b->entries.v[last];
        html_rawf(&h, "<p class=\"banner warn\">Kvartalet har redan %zu "
                      "verifikationer från en tidigare registrering "
                      "(%d:%d–%d:%d). Kryssa i rutan nedan om du vill lägga "
                      "till fler.</p>\n",
                  had, a->year, a->ver, z->year, z->ver);
    }
    serve_form_open(&h, rq, "/kvartal", "novalidate");
    html_raw(&h, "<input type=\"hidden\" name=\"kvartal\" value=\"");
    html_esc(&h, f->period.label);
    html_raw(&h, "\">\n");
    form_section(&h, f, b, KIND_COST);
    form_section(&h, f, b, KIND_INCOME);
    html_raw(&h, "<div class=\"filters\"><div><label for=\"underlag\">Underlag "
                 "(valfritt)</label><input type=\"text\" id=\"underlag\" "
                 "name=\"underlag\" size=\"40\" aria-describedby="
                 "\"underlag-hint\" value=\"");
    html_esc(&h, f->doc ? f->doc : "");
    html_raw(&h, "\"><span id=\"underlag-hint\" class=\"hint\">t.ex. "
                 "fakturanummer eller sammanställning; gäller rader utan eget underlag"
                 "</span></div>\n");
    if (had) {
        /* A refusal for want of the tick is tied to the tick box. */
        tick_box(&h, "upprepa", "Lägg till i ett redan registrerat kvartal",
                 f->allow_repeat, f->need_repeat, REPEAT_MSG);
        html_raw(&h, "</div>\n");
    }
    html_raw(&h, "</div>\n");
    overlap_section(&h, f, b);
    html_raw(&h, "<div class=\"actions\"><button type=\"submit\" "
                 "name=\"steg\" value=\"granska\">Granska</button></div>\n"
                 "</form>\n");
    serve_page_end(&h, rq);
    serve_page_done(rs, &h, status);
}
