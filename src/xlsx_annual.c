/*
 * xlsx_annual - "Årsbokslut YEAR", the annual accounts workbook. Each sheet
 * is one report (reports.h) rendered with live formulas; the same figures
 * as the commands below print, which is what the tests compare:
 *
 *   Resultaträkning                  samla result YEAR
 *   Kvartal                          samla balance --period YEAR --by quarter --rows account
 *   Finansiärer                      samla balance --period YEAR --by quarter --rows funder
 *   Verksamheter                     samla balance --period YEAR --by quarter --rows activity
 *   Eget kapital och öronmärkning    the equity note (values of the two
 *                                    reports below) and samla surplus --at YEAR
 *   Öronmärkta medel                 samla earmarks --at YEAR
 *   one sheet per activity marked Specifikation=ja
 *                                    samla activity CODE --period YEAR --by quarter
 *   Verifikationer (, 2, …)          the journal of YEAR (xlsx_journal.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"
#include "xlsx_priv.h"
#include "mem.h"

/* The equity sheet's name: the "Eget kapital och öronmärkta
 * medel" has 34 characters, over Excel's 31. */
#define EQUITY_SHEET "Eget kapital och öronmärkning"

typedef struct {
    xlsx_wb *w;
    const book *b;
    int year;
    const char *doc_title;
    char unitline[256];
} annual;

/* Where the tables of up to this many tables per report are kept. */
#define PLACED_MAX 4

/* Write reports r[0..n) on one new sheet (title rows, every table, the
 * notes); `title` overrides the first report's title, `extra` is a warning
 * line under the title rows. placed_out (may be NULL, as may each of its
 * entries) gets, per report, where its first PLACED_MAX tables went. The
 * caller closes the sheet (xlsx_sheet_close) and frees what was placed. */
static int report_sheet(annual *a, const char *name, const char *title,
                        report **r, size_t n, int landscape,
                        const char *extra, xlsx_placed **placed_out,
                        xlsx_sheet *s)
{
    int has_code = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < r[i]->ntables; k++)
            has_code |= report_table_has_codes(r[i]->tables[k]) ||
                        r[i]->tables[k]->code_heading != NULL;
    if (xlsx_sheet_open(s, a->w, name, a->doc_title, landscape, has_code))
        return -1;
    xlsx_sheet_title_warn(s, title ? title : r[0]->title, r[0]->subtitle,
                          a->unitline, extra);
    /* Lay out every table of the sheet first: they share the columns. */
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < r[i]->ntables; k++)
            xlsx_table_measure(s, r[i]->tables[k]);
    xlsx_sheet_fit(s);
    int rc = 0;
    for (size_t i = 0; i < n && !a->w->failed; i++) {
        if (i > 0) {
            xlsx_sheet_skip(s, 2);
            xlsx_sheet_text(s, r[i]->title, a->w->st.title);
            xlsx_sheet_skip(s, 1);
        }
        xlsx_placed *pl = placed_out ? placed_out[i] : NULL;
        for (size_t k = 0; k < r[i]->ntables && !a->w->failed; k++) {
            if (k > 0)
                xlsx_sheet_skip(s, 1);
            rc |= xlsx_table_write(s, r[i]->tables[k],
                                   pl && k < PLACED_MAX ? &pl[k] : NULL);
        }
        xlsx_sheet_notes(s, r[i]);
    }
    return rc;
}

/* An activity's sheet name: "SMM Socialmedicinsk mottagning", cut to
 * Excel's 31 characters at a word boundary when possible. */
static void activity_sheet_name(char *buf, size_t size,
                                const book_activity *act)
{
    char full[512];
    snprintf(full, sizeof full, "%s %s", act->code, act->name);
    /* Cut at 31 code points. */
    size_t o = 0;
    unsigned cps = 0;
    for (const unsigned char *p = (const unsigned char *)full; *p; p++) {
        if ((*p & 0xC0) != 0x80 && ++cps > 31)
            break;
        o++;
    }
    full[o] = '\0';
    if (cps > 31) {
        char *sp = strrchr(full, ' ');
        if (sp && sp > full + strlen(act->code))
            *sp = '\0';
    }
    /* No trailing punctuation or space. */
    size_t n = strlen(full);
    while (n && strchr(" ,.;-(", full[n - 1]))
        full[--n] = '\0';
    snprintf(buf, size, "%s", full);
}

/* A workbook name for one placed cell (row of the table, column index). */
static void name_cell(xlsx_wb *w, const xlsx_sheet *s, const xlsx_placed *p,
                      size_t row, int col, const char *name)
{
    if (row == (size_t)-1 || col < 0 || row >= p->nrows || col >= p->ncols)
        return;
    xlsx_define_name(w, name, s->name, p->row_at[row], p->col_at[col],
                     p->row_at[row], p->col_at[col]);
}

static int sheet_result(annual *a, const char *extra)
{
    report *r = report_result(a->b, a->year, 0, DATE_NONE);
    xlsx_placed pl[PLACED_MAX];
    memset(pl, 0, sizeof pl);
    xlsx_placed *pp[1] = {pl};
    xlsx_sheet s;
    int rc = report_sheet(a, "Resultaträkning", NULL, &r, 1, 0, extra, pp, &s);
    if (rc == 0 && !a->w->failed && r->ntables) {
        const report_table *t = r->tables[0];
        int col = xlsx_find_col(t, "amount");
        size_t res = xlsx_find_result(t);
        char dn[64];
        if (res != (size_t)-1) {
            name_cell(a->w, &s, pl, t->rows[res].terms[0].row, col,
                      "Intakter_totalt");
            name_cell(a->w, &s, pl, t->rows[res].terms[1].row, col,
                      "Kostnader_totalt");
            snprintf(dn, sizeof dn, "Resultat_%d", a->year);
            name_cell(a->w, &s, pl, res, col, dn);
        }
        snprintf(dn, sizeof dn, "Ingaende_overskott_%d", a->year);
        name_cell(a->w, &s, pl,
                  xlsx_find_row(t, "Ingående ackumulerat överskott", 0), col,
                  dn);
        snprintf(dn, sizeof dn, "Utgaende_overskott_%d", a->year);
        name_cell(a->w, &s, pl,
                  xlsx_find_row(t, "Utgående ackumulerat överskott", 0), col,
                  dn);
    }
    for (int i = 0; i < PLACED_MAX; i++)
        xlsx_placed_free(&pl[i]);
    xlsx_sheet_close(&s);
    report_free(r);
    return rc;
}

static int sheet_balance(annual *a, const char *name, report_rows rows)
{
    period_t p;
    period_year(&p, a->year);
    report *r = report_balance(a->b, &p, PERIOD_BY_QUARTER, rows);
    xlsx_sheet s;
    int rc = report_sheet(a, name, NULL, &r, 1, 1, NULL, NULL, &s);
    xlsx_sheet_close(&s);
    report_free(r);
    return rc;
}

/* The cell of table t at (row, column key), or NULL. */
static const report_cell *cell_of(const report_table *t, size_t row,
                                  const char *key)
{
    int c = xlsx_find_col(t, key);
    if (row == (size_t)-1 || c < 0)
        return NULL;
    const report_cell *cell = report_cell_get(t, row, c);
    return cell->kind == REPORT_CELL_AMOUNT ? cell : NULL;
}

/* The specification lines of the equity note for one kind of earmark
 * (`grants`: the bound grants, else the reservations) from the earmarks
 * table et: "Öronmärkt: purpose (body date § n)" or "Bundet bidrag: …",
 * each with what remains. Returns how many it added. */
static size_t spec_rows(report_table *t, int col, const report_table *et,
                        int grants)
{
    size_t n = 0;
    int tc = et ? xlsx_find_col(et, "type") : -1;
    int bc = et ? xlsx_find_col(et, "body") : -1;
    int dc = et ? xlsx_find_col(et, "decided") : -1;
    int pc = et ? xlsx_find_col(et, "paragraph") : -1;
    for (size_t i = 0; et && i < et->nrows; i++) {
        const report_row *er = &et->rows[i];
        const report_cell *rem = cell_of(et, i, "remaining");
        if (er->kind != REPORT_ROW_LINE || !rem)
            continue;
        const report_cell *type = tc >= 0 ? report_cell_get(et, i, tc) : NULL;
        int is_grant = type && type->text && !strcmp(type->text, "bidrag");
        if (is_grant != grants)
            continue;
        /* "Purpose (body date § n)": the decision the earmark rests on. */
        char label[1024], date[11] = "";
        const report_cell *body = bc >= 0 ? report_cell_get(et, i, bc) : NULL;
        const report_cell *dec = dc >= 0 ? report_cell_get(et, i, dc) : NULL;
        const report_cell *par = pc >= 0 ? report_cell_get(et, i, pc) : NULL;
        if (dec && dec->kind == REPORT_CELL_DATE && dec->date != DATE_NONE)
            date_format(dec->date, date);
        snprintf(label, sizeof label, "%s: %s (%s %s %s)",
                 grants ? "Bundet bidrag" : "Öronmärkt",
                 er->label ? er->label : "",
                 body && body->text ? body->text : "", date,
                 par && par->text ? par->text : "");
        size_t row = report_add_row(t, REPORT_ROW_LINE, er->code, label, 1);
        report_set_amount(t, row, col, &rem->amount);
        n++;
    }
    return n;
}

/*
 * The equity note in the layout of Swedish annual accounts: opening
 * equity, the year's result, closing equity; then its specification:
 * earmarked per decision, the bound grants (when there are any) and not
 * earmarked. It only rearranges values of the surplus and earmarks reports
 * (nothing new is computed), as a small report whose rows carry formulas
 * (closing = opening + result, the sum of each kind, free = closing −
 * earmarked − bound grants). Each formula's exact value is
 * checked against the figure the reports give; where they differ (an
 * overdrawn earmark counts as zero in the reports' earmarked total) the
 * reports' figure is written as a value instead, with a note.
 */
static report *equity_note(const book *b, int year, const report *sur,
                           const report *ear)
{
    char title[96], lab[128], yl[16];
    snprintf(title, sizeof title, "Eget kapital %d", year);
    report *r = report_new("equity", title);
    report_set_header(r, b->name, NULL, DATE_NONE);
    report_table *t = report_add_table(r, "Not: Eget kapital", "Benämning",
                                       "Kod");
    int col = report_add_column(t, "amount", "Belopp", REPORT_COL_AMOUNT);

    const report_table *st = sur->ntables ? sur->tables[0] : NULL;
    snprintf(yl, sizeof yl, "%d", year);
    size_t yrow = st ? xlsx_find_row(st, yl, 0) : (size_t)-1;
    const report_cell *open = st ? cell_of(st, yrow, "opening") : NULL;
    const report_cell *res = st ? cell_of(st, yrow, "result") : NULL;
    const report_cell *close = st ? cell_of(st, yrow, "closing") : NULL;
    const report_table *et = ear->ntables > 0 ? ear->tables[0] : NULL;
    const report_table *ft = ear->ntables > 1 ? ear->tables[1] : NULL;
    /* The free surplus row is accumulated − reservations − bound grants
     * (report_surplus_split): its terms are the figures to agree with. */
    size_t fres = ft ? xlsx_find_result(ft) : (size_t)-1;
    const report_row *frow = fres != (size_t)-1 ? &ft->rows[fres] : NULL;
    const report_cell *earm =
        frow && frow->nterms >= 2 ? cell_of(ft, frow->terms[1].row, "amount")
                                  : NULL;
    const report_cell *bound =
        frow && frow->nterms >= 3 ? cell_of(ft, frow->terms[2].row, "amount")
                                  : NULL;
    const report_cell *free_ = frow ? cell_of(ft, fres, "amount") : NULL;
    if (!open || !res || !close || !earm || !bound || !free_) {
        report_add_row(t, REPORT_ROW_NOTE, NULL,
                       "Underlaget för noten saknas.", 0);
        return r;
    }

    report_add_row(t, REPORT_ROW_HEADING, NULL, "Eget kapital", 0);
    snprintf(lab, sizeof lab, "Ingående eget kapital %d-01-01", year);
    size_t r_open = report_add_row(t, REPORT_ROW_LINE, NULL, lab, 0);
    report_set_amount(t, r_open, col, &open->amount);
    size_t r_res = report_add_row(t, REPORT_ROW_LINE, NULL, "Årets resultat",
                                  0);
    report_set_amount(t, r_res, col, &res->amount);
    snprintf(lab, sizeof lab, "Utgående eget kapital %d-12-31", year);
    size_t r_close = report_add_sum_row(t, REPORT_ROW_TOTAL, lab, r_open,
                                        r_res, REPORT_ROW_LINE);
    report_add_row(t, REPORT_ROW_BLANK, NULL, NULL, 0);

    report_add_row(t, REPORT_ROW_HEADING, NULL,
                   "Specifikation av utgående eget kapital", 0);
    /* The reservations, "Summa öronmärkt" (always, zero without any);
     * then the bound grants and their own sum, when there are any. */
    size_t first = t->nrows;
    spec_rows(t, col, et, 0);
    size_t r_ear = report_add_sum_row(t, REPORT_ROW_SUBTOTAL,
                                      "Summa öronmärkt", first, t->nrows - 1,
                                      REPORT_ROW_LINE);
    size_t r_gr = (size_t)-1;
    first = t->nrows;
    if (spec_rows(t, col, et, 1) > 0)
        r_gr = report_add_sum_row(t, REPORT_ROW_SUBTOTAL,
                                  "Summa bundna bidrag", first, t->nrows - 1,
                                  REPORT_ROW_LINE);
    size_t r_free = report_add_row(t, REPORT_ROW_TOTAL, NULL,
                                   "Ej öronmärkt (fritt eget kapital)", 0);
    report_row_add_term(t, r_free, r_close, +1);
    report_row_add_term(t, r_free, r_ear, -1);
    if (r_gr != (size_t)-1)
        report_row_add_term(t, r_free, r_gr, -1);
    report_row_use_formula(t, r_free);
    report_evaluate(r);

    /* The note must agree with the reports to the öre; a value replaces a
     * formula that would not (src VALUE: the terms are then ignored). */
    if (dec_cmp(&report_cell_get(t, r_close, col)->amount, &close->amount)) {
        report_set_amount(t, r_close, col, &close->amount);
    }
    int replaced = 0;
    if (dec_cmp(&report_cell_get(t, r_ear, col)->amount, &earm->amount)) {
        report_set_amount(t, r_ear, col, &earm->amount);
        replaced = 1;
    }
    if (r_gr != (size_t)-1 &&
        dec_cmp(&report_cell_get(t, r_gr, col)->amount, &bound->amount)) {
        report_set_amount(t, r_gr, col, &bound->amount);
        replaced = 1;
    }
    if (replaced)
        report_add_note(r, REPORT_NOTE_INFO,
                        "Summorna räknar överdragna öronmärkningar och "
                        "bidrag som noll, som rapporten earmarks gör.");
    report_evaluate(r);
    if (dec_cmp(&report_cell_get(t, r_free, col)->amount, &free_->amount)) {
        report_set_amount(t, r_free, col, &free_->amount);
    }
    return r;
}

/*
 * The earmarks in full (type, decided, released, drawn, remaining, % used,
 * validity, status) on a landscape sheet of their own, then the free
 * surplus. The decision (body, date, §) is left out here: the equity note
 * on the sheet before names it with every earmark, and its three columns
 * would print the page below 8 pt once a year has a grant beside the
 * reservations (2026: "Västra Götalandsregionen", "Fördelning av
 * statsbidrag 2026": 7.7 pt measured).
 */
static int sheet_earmarks(annual *a, report *ear, const char *title)
{
    static const char *const hide[] = {"body", "decided", "paragraph"};
    xlsx_sheet s;
    if (xlsx_sheet_open(&s, a->w, "Öronmärkta medel", a->doc_title, 1, 1))
        return -1;
    report_add_note(ear, REPORT_NOTE_INFO,
                    "Beslutet för varje öronmärkning (beslutsorgan, datum, "
                    "paragraf) står i noten på bladet %s.", EQUITY_SHEET);
    xlsx_sheet_title_warn(&s, title, ear->subtitle, a->unitline, NULL);
    lxw_col_t *place[PLACED_MAX] = {NULL};
    size_t nt = ear->ntables < PLACED_MAX ? ear->ntables : PLACED_MAX;
    for (size_t k = 0; k < nt; k++) {
        const report_table *t = ear->tables[k];
        place[k] = mem_alloc_array(t->ncols ? (size_t)t->ncols : 1,
                                   sizeof *place[k]);
        lxw_col_t next = s.data_col;
        for (int j = 0; j < t->ncols; j++) {
            int shown = 1;
            for (size_t h = 0; h < sizeof hide / sizeof *hide; h++)
                if (t->cols[j].key && !strcmp(t->cols[j].key, hide[h]))
                    shown = 0;
            place[k][j] = shown ? next++ : XLSX_SKIP;
        }
        xlsx_table_measure_at(&s, t, place[k]);
    }
    xlsx_sheet_fit(&s);
    int rc = 0;
    for (size_t k = 0; k < nt && !a->w->failed; k++) {
        if (k > 0)
            xlsx_sheet_skip(&s, 1);
        rc |= xlsx_table_write_at(&s, ear->tables[k], place[k], NULL);
    }
    xlsx_sheet_notes(&s, ear);
    for (size_t k = 0; k < nt; k++)
        free(place[k]);
    xlsx_sheet_close(&s);
    return rc;
}

static int sheet_equity(annual *a)
{
    period_t p;
    period_year(&p, a->year);
    report *sur = report_surplus(a->b, p.to);
    report *ear = report_earmarks(a->b, p.to);
    report *note = equity_note(a->b, a->year, sur, ear);
    report *r[2] = {note, sur};
    xlsx_placed pl[PLACED_MAX];
    memset(pl, 0, sizeof pl);
    xlsx_placed *pp[2] = {pl, NULL};
    char title[96], dn[64];
    snprintf(title, sizeof title, "Eget kapital och öronmärkta medel %d",
             a->year);
    xlsx_sheet s;
    int rc = report_sheet(a, EQUITY_SHEET, title, r, 2, 1, NULL, pp, &s);
    if (rc == 0 && !a->w->failed && note->ntables) {
        const report_table *t = note->tables[0];
        int col = xlsx_find_col(t, "amount");
        size_t fr = xlsx_find_result(t);
        if (fr != (size_t)-1) {
            size_t close = t->rows[fr].terms[0].row;
            size_t earm = t->rows[fr].terms[1].row;
            snprintf(dn, sizeof dn, "Eget_kapital_utgaende_%d", a->year);
            name_cell(a->w, &s, pl, close, col, dn);
            snprintf(dn, sizeof dn, "Oronmarkt_%d", a->year);
            name_cell(a->w, &s, pl, earm, col, dn);
            if (t->rows[fr].nterms >= 3) {
                snprintf(dn, sizeof dn, "Bundna_bidrag_%d", a->year);
                name_cell(a->w, &s, pl, t->rows[fr].terms[2].row, col, dn);
            }
            snprintf(dn, sizeof dn, "Ej_oronmarkt_%d", a->year);
            name_cell(a->w, &s, pl, fr, col, dn);
            if (t->rows[close].nterms >= 1) {
                snprintf(dn, sizeof dn, "Eget_kapital_ingaende_%d", a->year);
                name_cell(a->w, &s, pl, t->rows[close].terms[0].row, col,
                          dn);
            }
        }
    }
    for (int i = 0; i < PLACED_MAX; i++)
        xlsx_placed_free(&pl[i]);
    xlsx_sheet_close(&s);

    char etitle[96];
    snprintf(etitle, sizeof etitle, "Öronmärkta medel per %d-12-31", a->year);
    if (!a->w->failed)
        rc |= sheet_earmarks(a, ear, etitle);
    report_free(note);
    report_free(sur);
    report_free(ear);
    return rc;
}

static int sheet_activity(annual *a, int act)
{
    period_t p;
    period_year(&p, a->year);
    report *r = report_activity(a->b, act, &p, PERIOD_BY_QUARTER);
    char name[512], title[600];
    activity_sheet_name(name, sizeof name, &a->b->activities.v[act]);
    snprintf(title, sizeof title, "Specifikation %s %d",
             a->b->activities.v[act].name, a->year);
    xlsx_sheet s;
    int rc = report_sheet(a, name, title, &r, 1, 1, NULL, NULL, &s);
    xlsx_sheet_close(&s);
    report_free(r);
    return rc;
}

samla_err xlsx_export_annual_opt(const book *b, int year, const char *path,
                           const xlsx_opts *o_in, diag_list *dl)
{
    xlsx_opts o;
    if (o_in)
        o = *o_in;
    else
        xlsx_opts_default(&o);
    date_t today = o.report_date != DATE_NONE ? o.report_date : date_today();
    dec_unit unit = o.unit < 0 ? DEC_KR : (dec_unit)o.unit;
    size_t nj = xlsx_journal_count(b, year);
    int constant = o.constant_memory >= 0
                       ? o.constant_memory
                       : nj > XLSX_CONSTANT_MEMORY_ROWS;

    char title[96], subject[160];
    snprintf(title, sizeof title, "Årsbokslut %d", year);
    snprintf(subject, sizeof subject,
             "Ekonomisk redovisning (årsbokslut) %d: resultaträkning, "
             "kvartal, finansiärer, verksamheter, eget kapital, "
             "verifikationer",
             year);
    xlsx_wb w;
    if (xlsx_wb_open(&w, b, path, title, subject, constant, unit, today,
                     dl) != 0)
        return SAMLA_EIO;

    annual a;
    memset(&a, 0, sizeof a);
    a.w = &w;
    a.b = b;
    a.year = year;
    a.doc_title = title;
    snprintf(a.unitline, sizeof a.unitline,
             "Belopp i %s. Cellerna innehåller exakta belopp i kr; summor och "
             "resultat är formler.%s",
             unit == DEC_TKR ? "tkr" : "kr",
             unit == DEC_TKR ? " Avrundningsdifferenser kan förekomma." : "");

    char extra[160] = "";
    if (book_year_closed(b, year) < 0)
        snprintf(extra, sizeof extra,
                 "Preliminärt: år %d är inte stängt (samla close %d).", year,
                 year);

    int rc = sheet_result(&a, extra[0] ? extra : NULL);
    if (!w.failed)
        rc |= sheet_balance(&a, "Kvartal", REPORT_ROWS_ACCOUNT);
    if (!w.failed)
        rc |= sheet_balance(&a, "Finansiärer", REPORT_ROWS_FUNDER);
    if (!w.failed)
        rc |= sheet_balance(&a, "Verksamheter", REPORT_ROWS_ACTIVITY);
    if (!w.failed)
        rc |= sheet_equity(&a);
    for (size_t i = 0; i < b->activities.n && !w.failed; i++)
        if (b->activities.v[i].specification)
            rc |= sheet_activity(&a, (int)i);
    if (!w.failed)
        rc |= xlsx_journal_write(&w, year, o.journal_rows_per_sheet, title);
    (void)rc; /* failures are recorded in w and reported by close */
    return xlsx_wb_close(&w);
}

samla_err xlsx_export_annual(const book *b, int year, const char *path,
                       diag_list *dl)
{
    return xlsx_export_annual_opt(b, year, path, NULL, dl);
}
