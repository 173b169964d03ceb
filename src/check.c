/* check - see check.h. */
#include "check.h"
#include "manifest.h"
#include "calc.h"
#include "csvio.h"
#include "mem.h"
#include "schema.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t check_voucher_number(const book *b, const book_entry *e,
                            const char *file, long line, diag_list *dl)
{
    int next = book_next_ver(b, e->year);
    if (e->ver < next) {
        diag_error(dl, file, line, 1,
                   "verifikationsnummer %d:%d finns redan eller går bakåt "
                   "(nästa ska vara %d)",
                   e->year, e->ver, next);
        return 1;
    }
    if (e->ver > next) {
        if (e->ver == next + 1)
            diag_error(dl, file, line, 1,
                       "verifikation %d:%d saknas (nummer får inte hoppas "
                       "över)",
                       e->year, next);
        else
            diag_error(dl, file, line, 1,
                       "verifikationerna %d:%d–%d saknas (nummer får inte "
                       "hoppas över)",
                       e->year, next, e->ver - 1);
        return 1;
    }
    return 0;
}

size_t check_entry_row(const book *b, const book_entry *e, const char *file,
                       diag_list *dl)
{
    size_t before = diag_errors(dl);
    long ln = e->line;
    const book_account *a = &b->accounts.v[e->account];
    if (a->kind == KIND_INCOME && e->funder < 0)
        diag_error(dl, file, ln, 0,
                   "ver %d:%d: intäkt på konto %s saknar finansiär", e->year,
                   e->ver, a->number);
    /* A cost may name a municipality: the share of a cost that is that
     * municipality's (samla allocate, docs/file-formats.md). */
    if (a->kind == KIND_COST && e->funder >= 0 &&
        !book_funder_is_municipality(b, e->funder))
        diag_error(dl, file, ln, 0,
                   "ver %d:%d: kostnad på konto %s ska inte ha finansiär "
                   "(%s); på en kostnad får bara en kommun stå",
                   e->year, e->ver, a->number, b->funders.v[e->funder].code);
    if (a->kind == KIND_COST && e->activity < 0)
        diag_error(dl, file, ln, 0,
                   "ver %d:%d: kostnad på konto %s saknar verksamhet",
                   e->year, e->ver, a->number);
    if (b->start != DATE_NONE && e->date < b->start) {
        char d[11], s[11];
        date_format(e->date, d);
        date_format(b->start, s);
        diag_error(dl, file, ln, 0,
                   "ver %d:%d: datumet %s ligger före bokens startdatum %s",
                   e->year, e->ver, d, s);
    }
    check_voucher_number(b, e, file, ln, dl);
    if (e->corr_year) {
        long j = book_entry_find(b, e->corr_year, e->corr_ver);
        if (j < 0)
            diag_error(dl, file, ln, 0,
                       "ver %d:%d rättar %d:%d, som inte finns före den",
                       e->year, e->ver, e->corr_year, e->corr_ver);
    }
    return diag_errors(dl) - before;
}

size_t check_new_entries(const book *b, const book_entry *e, size_t n,
                         diag_list *dl)
{
    size_t before = diag_errors(dl);
    /* One message per closed year, not per entry: an import of hundreds of
     * rows into a closed year should say so once. Closed years are few, so
     * the years already reported are kept in a small list. */
    int *told = NULL;
    size_t ntold = 0;
    for (size_t i = 0; i < n; i++) {
        int ci = book_year_closed(b, e[i].year);
        if (ci < 0)
            continue;
        int seen = 0;
        for (size_t k = 0; k < ntold; k++)
            if (told[k] == e[i].year)
                seen = 1;
        if (seen)
            continue;
        told = mem_realloc_array(told, ntold + 1, sizeof *told);
        told[ntold++] = e[i].year;
        size_t count = 0;
        for (size_t j = i; j < n; j++)
            if (e[j].year == e[i].year)
                count++;
        const book_close *c = &b->closes.v[ci];
        char d[11], what[64];
        date_format(e[i].date, d);
        if (count == 1)
            snprintf(what, sizeof what, "posten daterad %s", d);
        else
            snprintf(what, sizeof what, "%zu poster (den första daterad %s)",
                     count, d);
        diag_error(dl, NULL, 0, 0,
                   "år %d är stängt (bokslut registrerat %.10s av %s): %s "
                   "kan inte bokföras där. En rättelse bokförs i ett öppet "
                   "år; måste år %d ändras, återöppna det först med 'samla "
                   "reopen %d --reason \"…\"'",
                   e[i].year, c->registered, *c->user ? c->user : "okänd",
                   what, e[i].year, e[i].year);
    }
    free(told);
    /* An earmark's close is final (calc.h): a new entry tagged with a
     * closed earmark, dated on or after its close, would change what the
     * close released. A correction may repeat its original's tag; it is
     * not counted on the closed earmark. */
    for (size_t i = 0; i < n; i++) {
        if (e[i].earmark < 0 || e[i].corr_year)
            continue;
        date_t closed = book_earmark_closed_on(b, e[i].earmark);
        if (closed == DATE_NONE || e[i].date < closed)
            continue;
        char d[11], c[11];
        date_format(e[i].date, d);
        date_format(closed, c);
        diag_error(dl, NULL, 0, 0,
                   "posten daterad %s (%s) är märkt med öronmärkningen %s, "
                   "som avslutades %s: det som frigjordes då får inte ändras "
                   "i efterhand. Boka posten utan öronmärkning, eller med en "
                   "ny öronmärkning",
                   d, e[i].text ? e[i].text : "",
                   b->earmarks.v[e[i].earmark].code, c);
    }
    /* Every saved entry tells when, by whom and how it was saved; a writer
     * that forgets is a bug, and the book must not get entries without
     * their audit trail. */
    for (size_t i = 0; i < n; i++) {
        const char *missing = !e[i].registered || !*e[i].registered
                                  ? "Registrerad"
                              : !e[i].user || !*e[i].user ? "Användare"
                              : !e[i].source || !*e[i].source ? "Källa"
                                                              : NULL;
        if (missing)
            diag_error(dl, NULL, 0, 0,
                       "ver %d:%d saknar %s (revisionsspåret kräver när, av "
                       "vem och hur posten sparades)",
                       e[i].year, e[i].ver, missing);
    }
    return diag_errors(dl) - before;
}

/* ---- Earmarks ------------------------------------------------------------- */

/* Every reservation decision must fit in the accumulated surplus at its
 * date: the sum of all earmarks' remaining amounts may not exceed it. */
static void check_earmark_cover(const book *b, diag_list *dl)
{
    dec_t surplus, earmarked, over;
    dec_init(&surplus);
    dec_init(&earmarked);
    dec_init(&over);
    char *file = book_path(b, BOOK_EARMARKS);
    for (size_t i = 0; i < b->decisions.n; i++) {
        const book_decision *d = &b->decisions.v[i];
        if (d->event != EM_RESERVE ||
            b->earmarks.v[d->earmark].kind != EARMARK_RESERVATION)
            continue;
        calc_surplus_at(b, d->date, &surplus);
        calc_earmarked_at(b, d->date, &earmarked);
        if (dec_cmp(&earmarked, &surplus) > 0) {
            char day[11];
            date_format(d->date, day);
            dec_sub(&over, &earmarked, &surplus);
            char *e = dec_format(&earmarked, DEC_KR, 2, DEC_FMT_UNIT);
            char *s = dec_format(&surplus, DEC_KR, 2, DEC_FMT_UNIT);
            char *o = dec_format(&over, DEC_KR, 2, DEC_FMT_UNIT);
            diag_error(dl, file, d->line, 0,
                       "öronmärkningarna (%s) överstiger det ackumulerade "
                       "överskottet (%s) den %s med %s (reservationen till "
                       "%s)",
                       e, s, day, o, b->earmarks.v[d->earmark].code);
            free(e);
            free(s);
            free(o);
        }
    }
    free(file);
    dec_clear(&surplus);
    dec_clear(&earmarked);
    dec_clear(&over);
}

/* One event in an earmark's life, for walking it in date order. Within a
 * day: reservations and releases first, then income, then costs, then a
 * close (so a close on a day releases what that day's costs left). */
typedef struct {
    int earmark;
    date_t date;
    int order; /* 0 reserve/release, 1 income, 2 cost, 3 close */
    size_t idx; /* decision or entry index */
} draw_event;

static int draw_cmp(const void *pa, const void *pb)
{
    const draw_event *a = pa, *b = pb;
    if (a->earmark != b->earmark)
        return a->earmark < b->earmark ? -1 : 1;
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

size_t check_earmark_draws(const book *b, size_t first_new, diag_list *dl)
{
    int only_new = first_new < b->entries.n;
    size_t nev = 0;
    for (size_t i = 0; i < b->entries.n; i++)
        if (b->entries.v[i].earmark >= 0)
            nev++;
    if (nev == 0)
        return 0;
    nev += b->decisions.n;
    draw_event *ev = mem_alloc_array(nev, sizeof *ev);
    size_t n = 0;
    for (size_t i = 0; i < b->decisions.n; i++) {
        const book_decision *d = &b->decisions.v[i];
        ev[n++] = (draw_event){d->earmark, d->date,
                               d->event == EM_CLOSE ? 3 : 0, i};
    }
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->earmark >= 0)
            ev[n++] = (draw_event){
                e->earmark, e->date,
                book_entry_kind(b, e) == KIND_INCOME ? 1 : 2, i};
    }
    qsort(ev, n, sizeof *ev, draw_cmp);

    char *jfile = book_path(b, BOOK_JOURNAL);
    size_t warnings = 0;
    dec_t rem, before;
    dec_init(&rem);
    dec_init(&before);
    for (size_t i = 0; i < n;) {
        const book_earmark *em = &b->earmarks.v[ev[i].earmark];
        int decided = 0, closed = 0;
        date_t closed_on = DATE_NONE;
        dec_set_zero(&rem);
        for (; i < n && &b->earmarks.v[ev[i].earmark] == em; i++) {
            const draw_event *x = &ev[i];
            if (x->order == 0 || x->order == 3) {
                const book_decision *d = &b->decisions.v[x->idx];
                decided = 1;
                if (d->event == EM_CLOSE && !closed) {
                    closed = 1;
                    closed_on = d->date;
                } else if (d->event == EM_RESERVE &&
                           em->kind == EARMARK_RESERVATION) {
                    dec_add(&rem, &rem, &d->amount);
                } else if (d->event == EM_RELEASE) {
                    dec_sub(&rem, &rem, &d->amount);
                }
                continue;
            }
            const book_entry *e = &b->entries.v[x->idx];
            int report = !only_new || x->idx >= first_new;
            const char *file = e->line ? jfile : NULL;
            char day[11];
            date_format(e->date, day);
            if (x->order == 1 && em->kind != EARMARK_GRANT) {
                if (report) {
                    diag_warn(dl, file, e->line, 0,
                              "ver %d:%d: intäkten är märkt med %s, som är "
                              "en reservation av överskottet och inte ett "
                              "bidrag; märkningen räknas inte",
                              e->year, e->ver, em->code);
                    warnings++;
                }
                continue;
            }
            if (closed) {
                /* Not counted (calc.h). A correction repeats the tag of
                 * the entry it reverses and is no news. */
                if (report && !e->corr_year) {
                    char cd[11];
                    date_format(closed_on, cd);
                    diag_warn(dl, file, e->line, 0,
                              "ver %d:%d (%s) är märkt med öronmärkningen "
                              "%s, som avslutades %s; %s räknas inte på den",
                              e->year, e->ver, day, em->code, cd,
                              x->order == 1 ? "intäkten" : "kostnaden");
                    warnings++;
                }
                continue;
            }
            if (x->order == 1) {
                dec_add(&rem, &rem, &e->amount);
                continue;
            }
            dec_set(&before, &rem);
            dec_sub(&rem, &rem, &e->amount);
            if (dec_sgn(&rem) >= 0 || !report ||
                (!only_new && dec_sgn(&before) < 0))
                continue;
            char *a = dec_format_kr(&e->amount);
            char *bs = dec_format_kr(&before), *rs = dec_format_kr(&rem);
            if (!decided)
                diag_warn(dl, file, e->line, 0,
                          "ver %d:%d (%s, %s) är märkt med öronmärkningen "
                          "%s men ligger före beslutet om den; den drar "
                          "mer än som finns (kvar efter: %s)",
                          e->year, e->ver, day, a, em->code, rs);
            else
                diag_warn(dl, file, e->line, 0,
                          "ver %d:%d (%s) drar %s från öronmärkningen %s, "
                          "mer än som återstår: kvar före %s, efter %s%s",
                          e->year, e->ver, day, a, em->code, bs, rs,
                          em->kind == EARMARK_GRANT
                              ? " (kostnaderna överstiger inbetalt bidrag)"
                              : "");
            free(a);
            free(bs);
            free(rs);
            warnings++;
        }
    }
    dec_clear(&rem);
    dec_clear(&before);
    free(jfile);
    free(ev);
    return warnings;
}

size_t check_book_rules(const book *b, diag_list *dl)
{
    size_t before = diag_errors(dl);
    check_earmark_cover(b, dl);
    manifest_check_closed_years(b, dl);
    return diag_errors(dl) - before;
}

size_t check_book(const book *b, diag_list *dl)
{
    size_t errors = check_book_rules(b, dl);
    check_earmark_draws(b, b->entries.n, dl);
    return errors;
}
