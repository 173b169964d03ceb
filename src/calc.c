/* calc - see calc.h. */
#include "calc.h"
#include "mem.h"

#include <stdlib.h>

void calc_result(const book *b, date_t from, date_t to, dec_t *income,
                 dec_t *cost)
{
    dec_set_zero(income);
    dec_set_zero(cost);
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->date < from || e->date > to)
            continue;
        if (book_entry_kind(b, e) == KIND_INCOME)
            dec_add(income, income, &e->amount);
        else
            dec_add(cost, cost, &e->amount);
    }
}

void calc_surplus_at(const book *b, date_t d, dec_t *out)
{
    dec_t inc, cost;
    dec_init(&inc);
    dec_init(&cost);
    calc_result(b, DATE_NONE + 1, d, &inc, &cost);
    dec_add(out, &b->opening, &inc);
    dec_sub(out, out, &cost);
    dec_clear(&inc);
    dec_clear(&cost);
}

void calc_earmark_init(calc_earmark *c)
{
    dec_init(&c->reserved);
    dec_init(&c->released);
    dec_init(&c->drawn);
    dec_init(&c->remaining);
    c->exists = c->closed = 0;
    c->closed_on = DATE_NONE;
}

void calc_earmark_clear(calc_earmark *c)
{
    dec_clear(&c->reserved);
    dec_clear(&c->released);
    dec_clear(&c->drawn);
    dec_clear(&c->remaining);
}

/* The three steps of an earmark's state at a date, shared by the one-earmark
 * and the all-earmarks forms below so they cannot disagree. */
static void earmark_start(calc_earmark *out)
{
    dec_set_zero(&out->reserved);
    dec_set_zero(&out->released);
    dec_set_zero(&out->drawn);
    dec_set_zero(&out->remaining);
    out->exists = out->closed = 0;
    out->closed_on = DATE_NONE;
}

static void earmark_decision(calc_earmark *out, const book_earmark *em,
                             const book_decision *dc)
{
    out->exists = 1;
    if (dc->event == EM_RESERVE && em->kind == EARMARK_RESERVATION)
        dec_add(&out->reserved, &out->reserved, &dc->amount);
    else if (dc->event == EM_RELEASE)
        dec_add(&out->released, &out->released, &dc->amount);
    else if (dc->event == EM_CLOSE && !out->closed) {
        out->closed = 1;
        out->closed_on = dc->date;
    } else if (dc->event == EM_CLOSE && dc->date < out->closed_on) {
        out->closed_on = dc->date;
    }
}

/* Entries are added after every decision up to the day is known, so the
 * close's date is known here: an entry after it does not count. */
static void earmark_entry(calc_earmark *out, const book *b,
                          const book_earmark *em, const book_entry *e)
{
    if (out->closed && e->date > out->closed_on)
        return;
    if (book_entry_kind(b, e) == KIND_COST)
        dec_add(&out->drawn, &out->drawn, &e->amount);
    else if (em->kind == EARMARK_GRANT)
        dec_add(&out->reserved, &out->reserved, &e->amount);
}

static void earmark_finish(calc_earmark *out)
{
    /* remaining = reserved − released − drawn; a closed earmark releases
     * whatever positive amount was left, so nothing remains. An earmark
     * overdrawn at its close keeps its negative remaining amount: the
     * formula holds on every row (and in every sum row). */
    dec_sub(&out->remaining, &out->reserved, &out->released);
    dec_sub(&out->remaining, &out->remaining, &out->drawn);
    if (out->closed && dec_sgn(&out->remaining) > 0) {
        dec_add(&out->released, &out->released, &out->remaining);
        dec_set_zero(&out->remaining);
    }
}

void calc_earmark_at(const book *b, int earmark, date_t d, calc_earmark *out)
{
    const book_earmark *em = &b->earmarks.v[earmark];
    earmark_start(out);
    for (size_t i = 0; i < b->decisions.n; i++) {
        const book_decision *dc = &b->decisions.v[i];
        if (dc->earmark == earmark && dc->date <= d)
            earmark_decision(out, em, dc);
    }
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->earmark == earmark && e->date <= d)
            earmark_entry(out, b, em, e);
    }
    earmark_finish(out);
}

/*
 * Every earmark's state at d in one pass over the decisions and one over
 * the entries (calc_earmark_at per earmark would read the whole journal
 * once per earmark; the earmark checks of a load call this for each
 * reservation decision). Returns a malloc'd array of b->earmarks.n
 * initialised states, to free with earmarks_free.
 */
static calc_earmark *earmarks_at(const book *b, date_t d)
{
    size_t n = b->earmarks.n;
    calc_earmark *all = mem_alloc_array(n ? n : 1, sizeof *all);
    for (size_t i = 0; i < n; i++) {
        calc_earmark_init(&all[i]);
        earmark_start(&all[i]);
    }
    for (size_t i = 0; i < b->decisions.n; i++) {
        const book_decision *dc = &b->decisions.v[i];
        if (dc->date <= d)
            earmark_decision(&all[dc->earmark], &b->earmarks.v[dc->earmark],
                             dc);
    }
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->earmark >= 0 && e->date <= d)
            earmark_entry(&all[e->earmark], b, &b->earmarks.v[e->earmark], e);
    }
    for (size_t i = 0; i < n; i++)
        earmark_finish(&all[i]);
    return all;
}

static void earmarks_free(const book *b, calc_earmark *all)
{
    for (size_t i = 0; i < b->earmarks.n; i++)
        calc_earmark_clear(&all[i]);
    free(all);
}

void calc_earmarked_at(const book *b, date_t d, dec_t *out)
{
    calc_earmark *all = earmarks_at(b, d);
    dec_set_zero(out);
    for (size_t i = 0; i < b->earmarks.n; i++)
        if (dec_sgn(&all[i].remaining) > 0)
            dec_add(out, out, &all[i].remaining);
    earmarks_free(b, all);
}

void calc_earmarked_split_at(const book *b, date_t d, dec_t *reservations,
                             dec_t *grants)
{
    calc_earmark *all = earmarks_at(b, d);
    if (reservations)
        dec_set_zero(reservations);
    if (grants)
        dec_set_zero(grants);
    for (size_t i = 0; i < b->earmarks.n; i++) {
        dec_t *sum = b->earmarks.v[i].kind == EARMARK_GRANT ? grants
                                                            : reservations;
        if (sum && dec_sgn(&all[i].remaining) > 0)
            dec_add(sum, sum, &all[i].remaining);
    }
    earmarks_free(b, all);
}

void calc_free_at(const book *b, date_t d, dec_t *out)
{
    dec_t earmarked;
    dec_init(&earmarked);
    calc_surplus_at(b, d, out);
    calc_earmarked_at(b, d, &earmarked);
    dec_sub(out, out, &earmarked);
    dec_clear(&earmarked);
}

void calc_filter_init(calc_filter *f)
{
    f->from = f->to = DATE_NONE;
    f->account = f->activity = f->funder = f->earmark = CALC_ANY;
    f->kind = CALC_ANY;
}

/* A code filter: ANY passes everything, NONE_CODE only "no code" (-1). */
static int code_match(int want, int have)
{
    if (want == CALC_ANY)
        return 1;
    if (want == CALC_NONE_CODE)
        return have < 0;
    return want == have;
}

int calc_filter_match(const book *b, const calc_filter *f,
                      const book_entry *e)
{
    if (f->from != DATE_NONE && e->date < f->from)
        return 0;
    if (f->to != DATE_NONE && e->date > f->to)
        return 0;
    if (f->account != CALC_ANY && e->account != f->account)
        return 0;
    if (!code_match(f->activity, e->activity) ||
        !code_match(f->funder, e->funder) ||
        !code_match(f->earmark, e->earmark))
        return 0;
    if (f->kind != CALC_ANY && (int)book_entry_kind(b, e) != f->kind)
        return 0;
    return 1;
}

void calc_sum(const book *b, const calc_filter *f, dec_t *out, long *count)
{
    long n = 0;
    dec_set_zero(out);
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (calc_filter_match(b, f, e)) {
            dec_add(out, out, &e->amount);
            n++;
        }
    }
    if (count)
        *count = n;
}

int calc_budget_covers(const book *b, const book_budget_line *l,
                       const book_entry *e)
{
    if (book_entry_kind(b, e) != l->kind)
        return 0;
    if (l->account >= 0 && e->account != l->account)
        return 0;
    if (l->kind == KIND_INCOME)
        return e->funder >= 0 && e->funder == l->funder;
    return e->activity >= 0 && e->activity == l->activity;
}

void calc_budget_outcome(const book *b, const book_budget_line *l,
                         date_t from, date_t to, dec_t *out)
{
    dec_set_zero(out);
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->date < from || e->date > to)
            continue;
        if (calc_budget_covers(b, l, e))
            dec_add(out, out, &e->amount);
    }
}

void calc_entry_years(const book *b, int *first, int *last)
{
    *first = *last = 0;
    for (size_t i = 0; i < b->entries.n; i++) {
        int y = b->entries.v[i].year;
        if (!*first || y < *first)
            *first = y;
        if (y > *last)
            *last = y;
    }
}
