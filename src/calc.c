/* calc - see calc.h. */
#include "calc.h"

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
}

void calc_earmark_clear(calc_earmark *c)
{
    dec_clear(&c->reserved);
    dec_clear(&c->released);
    dec_clear(&c->drawn);
    dec_clear(&c->remaining);
}

void calc_earmark_at(const book *b, int earmark, date_t d, calc_earmark *out)
{
    const book_earmark *em = &b->earmarks.v[earmark];
    dec_set_zero(&out->reserved);
    dec_set_zero(&out->released);
    dec_set_zero(&out->drawn);
    dec_set_zero(&out->remaining);
    out->exists = out->closed = 0;
    for (size_t i = 0; i < b->decisions.n; i++) {
        const book_decision *dc = &b->decisions.v[i];
        if (dc->earmark != earmark || dc->date > d)
            continue;
        out->exists = 1;
        if (dc->event == EM_RESERVE && em->kind == EARMARK_RESERVATION)
            dec_add(&out->reserved, &out->reserved, &dc->amount);
        else if (dc->event == EM_RELEASE)
            dec_add(&out->released, &out->released, &dc->amount);
        else if (dc->event == EM_CLOSE)
            out->closed = 1;
    }
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->earmark != earmark || e->date > d)
            continue;
        if (book_entry_kind(b, e) == KIND_COST)
            dec_add(&out->drawn, &out->drawn, &e->amount);
        else if (em->kind == EARMARK_GRANT)
            dec_add(&out->reserved, &out->reserved, &e->amount);
    }
    /* remaining = reserved − released − drawn; a closed earmark releases
     * whatever was left, so nothing remains. */
    dec_sub(&out->remaining, &out->reserved, &out->released);
    dec_sub(&out->remaining, &out->remaining, &out->drawn);
    if (out->closed) {
        if (dec_sgn(&out->remaining) > 0)
            dec_add(&out->released, &out->released, &out->remaining);
        dec_set_zero(&out->remaining);
    }
}

void calc_earmarked_at(const book *b, date_t d, dec_t *out)
{
    calc_earmark c;
    calc_earmark_init(&c);
    dec_set_zero(out);
    for (size_t i = 0; i < b->earmarks.n; i++) {
        calc_earmark_at(b, (int)i, d, &c);
        if (dec_sgn(&c.remaining) > 0)
            dec_add(out, out, &c.remaining);
    }
    calc_earmark_clear(&c);
}
