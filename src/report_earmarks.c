/* report_earmarks - earmarked funds as of a date (`samla earmarks`, see
 * reports.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reports.h"

/* Status words, as the coordination group says them. */
static const char *status_of(const calc_earmark *c, const book_earmark *em,
                             date_t at)
{
    if (c->closed)
        return "avslutad";
    if (dec_sgn(&c->remaining) < 0)
        return "överdragen";
    if (dec_is_zero(&c->remaining))
        return "förbrukad";
    if (em->valid_to != DATE_NONE && em->valid_to < at)
        return "utgången";
    return "aktiv";
}

/* The warning of an overdrawn earmark, by how much and what was drawn:
 * one still open, or one closed overdrawn (`closed`: then when, and that
 * the free surplus paid). */
static void warn_overdrawn(report *r, const book_earmark *em,
                           const calc_earmark *c, int closed)
{
    dec_t over;
    dec_init(&over);
    dec_neg(&over, &c->remaining);
    char *o = dec_format_kr(&over);
    char *d = dec_format_kr(&c->drawn);
    if (closed) {
        char day[11];
        date_format(c->closed_on, day);
        report_add_note(r, REPORT_NOTE_WARNING,
                        "Varning: öronmärkningen %s avslutades %s överdragen "
                        "med %s (förbrukat %s); inget frigjordes och "
                        "överdraget betalades ur det fria överskottet.",
                        em->code, day, o, d);
    } else {
        report_add_note(r, REPORT_NOTE_WARNING,
                        "Varning: öronmärkningen %s är överdragen med %s "
                        "(förbrukat %s).",
                        em->code, o, d);
    }
    free(o);
    free(d);
    dec_clear(&over);
}

static void warn_expired(report *r, const book_earmark *em,
                         const calc_earmark *c)
{
    char d[11];
    date_format(em->valid_to, d);
    char *rest = dec_format_kr(&c->remaining);
    report_add_note(r, REPORT_NOTE_WARNING,
                    "Varning: öronmärkningen %s gick ut %s men har %s kvar; "
                    "avsluta den eller frigör beloppet.",
                    em->code, d, rest);
    free(rest);
}

report *report_earmarks(const book *b, date_t at)
{
    report *r = report_new("earmarks", "Öronmärkta medel");
    /* Drawn is outcome: counted through `at`, as in the follow-up. */
    report_set_header_through(r, b->name, NULL, at);
    report_table *t = report_add_table(r, "Öronmärkningar", "Ändamål", "Kod");
    int c_type = report_add_column(t, "type", "Typ", REPORT_COL_TEXT);
    int c_res = report_add_column(t, "reserved", "Beslutat",
                                  REPORT_COL_AMOUNT);
    int c_rel = report_add_column(t, "released", "Frigjort",
                                  REPORT_COL_AMOUNT);
    int c_drawn = report_add_column(t, "drawn", "Förbrukat",
                                    REPORT_COL_AMOUNT);
    int c_rem = report_add_column(t, "remaining", "Återstår",
                                  REPORT_COL_AMOUNT);
    int c_pct = report_add_column(t, "pct_used", "Förbrukat %",
                                  REPORT_COL_PERCENT);
    int c_body = report_add_column(t, "body", "Beslutsorgan", REPORT_COL_TEXT);
    int c_date = report_add_column(t, "decided", "Beslutsdatum",
                                   REPORT_COL_DATE);
    int c_para = report_add_column(t, "paragraph", "Paragraf",
                                   REPORT_COL_TEXT);
    int c_to = report_add_column(t, "valid_to", "Giltig till",
                                 REPORT_COL_DATE);
    int c_status = report_add_column(t, "status", "Status", REPORT_COL_TEXT);
    /* What a narrow terminal leaves out first: the decision's details,
     * then the type, the percentage and the released amount. */
    report_col_priority(t, c_body, 4);
    report_col_priority(t, c_para, 4);
    report_col_priority(t, c_to, 3);
    report_col_priority(t, c_date, 3);
    report_col_priority(t, c_type, 2);
    report_col_priority(t, c_pct, 2);
    report_col_priority(t, c_rel, 1);
    report_colterm rem_def[] = {{c_res, +1}, {c_rel, -1}, {c_drawn, -1}};
    report_col_linear(t, c_rem, rem_def, 3);
    report_col_ratio(t, c_pct, c_drawn, c_res);

    calc_earmark c;
    calc_earmark_init(&c);
    size_t first = t->nrows, n_res = 0;
    size_t *order = report_earmark_order(b);
    for (size_t k = 0; k < b->earmarks.n; k++) {
        size_t i = order[k];
        const book_earmark *em = &b->earmarks.v[i];
        calc_earmark_at(b, (int)i, at, &c);
        if (!c.exists)
            continue;
        size_t row = report_add_row(t, REPORT_ROW_LINE, em->code, em->purpose,
                                    0);
        n_res += em->kind != EARMARK_GRANT;
        report_set_text(t, row, c_type, em->kind == EARMARK_GRANT
                                            ? "bidrag"
                                            : "reservation");
        report_set_amount(t, row, c_res, &c.reserved);
        report_set_amount(t, row, c_rel, &c.released);
        report_set_amount(t, row, c_drawn, &c.drawn);
        /* Remaining is reserved − released − drawn on every row, a closed
         * one too (calc.h): an earmark overdrawn at its close shows its
         * negative remaining amount, so the Summa row (the same formula on
         * the sums) is the sum of the rows. */
        report_row_use_column(t, row, c_rem, NULL);
        report_row_use_column(t, row, c_pct, NULL);
        report_set_text(t, row, c_body, em->body);
        report_set_date(t, row, c_date, em->decided);
        report_set_text(t, row, c_para, em->paragraph);
        report_set_date(t, row, c_to, em->valid_to);
        const char *st = status_of(&c, em, at);
        report_set_text(t, row, c_status, st);
        if (dec_sgn(&c.remaining) < 0) { /* open or closed overdrawn */
            t->rows[row].flags |= REPORT_FLAG_WARN;
            warn_overdrawn(r, em, &c, c.closed);
        } else if (!strcmp(st, "utgången")) {
            t->rows[row].flags |= REPORT_FLAG_WARN;
            warn_expired(r, em, &c);
        }
    }
    if (t->nrows == first)
        report_add_row(t, REPORT_ROW_NOTE, NULL,
                       "Inga öronmärkningar är beslutade per detta datum.", 0);
    else
        report_earmark_sums(t, first, n_res, "Summa");
    free(order);

    /* The free surplus: accumulated surplus − what remains earmarked and
     * what remains of the bound grants. */
    report_table *f = report_add_table(r, "Fritt överskott", "Benämning", NULL);
    int col = report_add_column(f, "amount", "Belopp", REPORT_COL_AMOUNT);
    report_surplus_split(f, col, b, at, "Ackumulerat överskott");
    calc_earmark_clear(&c);

    report_add_note(r, REPORT_NOTE_INFO,
                    "Återstår = beslutat − frigjort − förbrukat. Fritt "
                    "överskott = ackumulerat överskott − det som återstår "
                    "av öronmärkningarna och de bundna bidragen "
                    "(överdragna räknas som noll).");
    report_evaluate(r);
    return r;
}
