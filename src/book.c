/*
 * book - the in-memory model: arena, indexes, lookups. Reading the files is
 * in book_read.c, checking in check.c, writing in book_write.c.
 */
#include "book.h"
#include "book_priv.h"
#include "mem.h"
#include "suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)

book_priv *book_priv_of(const book *b)
{
    return (book_priv *)b->priv;
}

void book_init(book *b)
{
    memset(b, 0, sizeof *b);
    book_priv *p = mem_calloc(1, sizeof *p);
    strmap_init(&p->funders);
    strmap_init(&p->accounts);
    strmap_init(&p->activities);
    strmap_init(&p->earmarks);
    b->priv = p;
    b->start = DATE_NONE;
    b->reported = DATE_NONE;
    dec_init(&b->opening);
    b->name = b->short_name = b->currency = "";
}

void book_free(book *b)
{
    book_priv *p = b->priv;
    for (size_t i = 0; i < b->entries.n; i++)
        dec_clear(&b->entries.v[i].amount);
    for (size_t i = 0; i < b->decisions.n; i++)
        dec_clear(&b->decisions.v[i].amount);
    for (size_t i = 0; i < b->budget.n; i++) {
        for (int q = 0; q < 4; q++)
            dec_clear(&b->budget.v[i].q[q]);
        dec_clear(&b->budget.v[i].forecast);
    }
    for (size_t i = 0; i < b->closes.n; i++) {
        dec_clear(&b->closes.v[i].result);
        dec_clear(&b->closes.v[i].closing);
    }
    free(b->funders.v);
    free(b->accounts.v);
    free(b->activities.v);
    free(b->entries.v);
    free(b->earmarks.v);
    free(b->decisions.v);
    free(b->budget.v);
    free(b->closes.v);
    free(b->reported_log.v);
    free(b->populations.v);
    free(b->comments.v);
    dec_clear(&b->opening);
    free(b->dir);
    if (p) {
        strmap_free(&p->funders);
        strmap_free(&p->accounts);
        strmap_free(&p->activities);
        strmap_free(&p->earmarks);
        for (size_t i = 0; i < p->nyears; i++) {
            free(p->years[i].idx);
            free(p->years[i].far);
        }
        free(p->years);
        arena_block *a = p->arena;
        while (a) {
            arena_block *next = a->next;
            free(a);
            a = next;
        }
        free(p);
    }
    memset(b, 0, sizeof *b);
}

void *book_vec_push_raw(void **v, size_t *n, size_t *cap, size_t size)
{
    mem_grow(v, cap, *n + 1, size);
    char *el = (char *)*v + (*n)++ * size;
    memset(el, 0, size);
    return el;
}

book_budget_line *book_budget_insert(book *b, size_t at)
{
    book_vec_push(b->budget);
    memmove(&b->budget.v[at + 1], &b->budget.v[at],
            (b->budget.n - 1 - at) * sizeof *b->budget.v);
    memset(&b->budget.v[at], 0, sizeof *b->budget.v);
    return &b->budget.v[at];
}

int book_comment_period(int year, const char *s, period_t *p, char *err,
                        size_t errsize)
{
    const char *perr = NULL;
    if (!s || !*s) {
        period_year(p, year);
        return 0;
    }
    int ok = period_parse(p, s, &perr) == 0;
    size_t n = ok ? strlen(p->label) : 0;
    ok = ok && ((n == 6 && (p->label[4] == 'Q' || p->label[4] == 'T')) ||
                (n == 7 && p->label[4] == '-'));
    if (ok && date_year(p->from) == year)
        return 0;
    snprintf(err, errsize,
             "ogiltig period \"%.40s\"; ska vara ett kvartal (%dQ3), ett "
             "tertial (%dT2) eller en månad (%d-03) av år %d, eller tom för "
             "hela året",
             s, year, year, year, year);
    return -1;
}

/* Do comment rows a and c have the same key (År, Period, Typ, Kod, Konto)? */
static int comment_same_key(const book_comment *a, const book_comment *c)
{
    return a->year == c->year && a->kind == c->kind &&
           a->account == c->account && strcmp(a->period, c->period) == 0 &&
           strcmp(a->code, c->code) == 0;
}

int book_comment_current(const book *b, size_t i)
{
    for (size_t j = i + 1; j < b->comments.n; j++)
        if (comment_same_key(&b->comments.v[i], &b->comments.v[j]))
            return 0;
    return 1;
}

const book_comment *book_comment_at(const book *b, int year, book_kind kind,
                                    const char *code, int account, date_t at)
{
    const book_comment *best = NULL;
    if (!code)
        return NULL;
    /* Later rows first: the first of equal length found is the later one. */
    for (size_t i = b->comments.n; i-- > 0;) {
        const book_comment *c = &b->comments.v[i];
        if (c->year != year || c->kind != kind || c->account != account ||
            strcmp(c->code, code) != 0 || !book_comment_current(b, i) ||
            !*c->text)
            continue;
        /* A comment on the year holds whatever the date; one on a period
         * only in a follow-up per a day of that period. */
        if (*c->period && (at < c->from || at > c->to))
            continue;
        long len = *c->period ? (long)(c->to - c->from) : 100000L;
        long best_len = !best            ? 0
                        : *best->period ? (long)(best->to - best->from)
                                        : 100000L;
        if (!best || len < best_len)
            best = c;
    }
    return best;
}

const char *book_strdup(book *b, const char *s)
{
    book_priv *p = b->priv;
    size_t len = strlen(s) + 1;
    arena_block *a = p->arena;
    if (!a || a->cap - a->used < len) {
        size_t cap = len > ARENA_BLOCK ? len : ARENA_BLOCK;
        arena_block *na = mem_alloc(sizeof *na + cap);
        na->used = 0;
        na->cap = cap;
        /* A large one-off string gets its own block behind the current one,
         * so the current block keeps its free space. */
        if (a && len > ARENA_BLOCK) {
            na->next = a->next;
            a->next = na;
        } else {
            na->next = a;
            p->arena = na;
        }
        a = na;
    }
    char *dst = a->data + a->used;
    memcpy(dst, s, len);
    a->used += len;
    return dst;
}

void book_arena_link(book *b, arena_block *blk)
{
    book_priv *p = b->priv;
    /* Behind the current block, which keeps its free space. */
    if (p->arena) {
        blk->next = p->arena->next;
        p->arena->next = blk;
    } else {
        blk->next = NULL;
        p->arena = blk;
    }
}

int book_funder_find(const book *b, const char *code)
{
    return strmap_get(&book_priv_of(b)->funders, code);
}

int book_account_find(const book *b, const char *number)
{
    return strmap_get(&book_priv_of(b)->accounts, number);
}

int book_activity_find(const book *b, const char *code)
{
    return strmap_get(&book_priv_of(b)->activities, code);
}

int book_earmark_find(const book *b, const char *code)
{
    return strmap_get(&book_priv_of(b)->earmarks, code);
}

date_t book_earmark_closed_on(const book *b, int em)
{
    date_t d = DATE_NONE;
    for (size_t i = 0; i < b->decisions.n; i++) {
        const book_decision *x = &b->decisions.v[i];
        if (x->earmark == em && x->event == EM_CLOSE &&
            (d == DATE_NONE || x->date < d))
            d = x->date;
    }
    return d;
}

char *book_code_hint(const book *b, book_code_kind kind, const char *got,
                     char *buf, size_t size)
{
    size_t n = kind == BOOK_CODE_FUNDER     ? b->funders.n
               : kind == BOOK_CODE_ACCOUNT  ? b->accounts.n
               : kind == BOOK_CODE_ACTIVITY ? b->activities.n
                                            : b->earmarks.n;
    const char **codes = mem_calloc(n ? n : 1, sizeof *codes);
    for (size_t i = 0; i < n; i++)
        codes[i] = kind == BOOK_CODE_FUNDER     ? b->funders.v[i].code
                   : kind == BOOK_CODE_ACCOUNT  ? b->accounts.v[i].number
                   : kind == BOOK_CODE_ACTIVITY ? b->activities.v[i].code
                                                : b->earmarks.v[i].code;
    suggest_phrase(got ? got : "", codes, n, buf, size);
    free(codes);
    return buf;
}

static year_index *year_slot(book_priv *p, int year, int create)
{
    for (size_t i = 0; i < p->nyears; i++)
        if (p->years[i].year == year)
            return &p->years[i];
    if (!create)
        return NULL;
    mem_grow((void **)&p->years, &p->capyears, p->nyears + 1,
             sizeof *p->years);
    year_index *y = &p->years[p->nyears++];
    memset(y, 0, sizeof *y);
    y->year = year;
    return y;
}

/* How long the dense part may grow for `count` vouchers: gaps are errors,
 * so a real year has few, but the bound must not depend on the numbers. */
#define DENSE_LIMIT(count) (2 * (size_t)(count) + 1024)

void book_index_voucher(book *b, int year, int ver, long i)
{
    year_index *y = year_slot(b->priv, year, 1);
    if (ver <= y->last)
        return; /* taken already: check.c reports it */
    if (y->nfar == 0 && (size_t)ver <= DENSE_LIMIT(y->count + 1)) {
        while (y->n < (size_t)ver) {
            mem_grow((void **)&y->idx, &y->cap, y->n + 1, sizeof *y->idx);
            y->idx[y->n++] = -1;
        }
        y->idx[ver - 1] = i;
    } else {
        mem_grow((void **)&y->far, &y->capfar, y->nfar + 1, sizeof *y->far);
        y->far[y->nfar].ver = ver;
        y->far[y->nfar++].i = i;
    }
    y->last = ver;
    y->count++;
}

void book_unindex_voucher(book *b, int year, long i)
{
    year_index *y = year_slot(b->priv, year, 0);
    if (!y || y->count == 0)
        return;
    if (y->nfar > 0) {
        if (y->far[y->nfar - 1].i != i)
            return;
        y->nfar--;
        y->last = y->nfar ? y->far[y->nfar - 1].ver : (int)y->n;
    } else {
        if (y->n == 0 || y->idx[y->n - 1] != i)
            return;
        y->n--;
        y->last = (int)y->n;
    }
    y->count--;
}

long book_entry_find(const book *b, int year, int ver)
{
    year_index *y = year_slot(b->priv, year, 0);
    if (!y || ver < 1 || ver > y->last)
        return -1;
    if ((size_t)ver <= y->n)
        return y->idx[ver - 1];
    size_t lo = 0, hi = y->nfar; /* binary search in the far part */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (y->far[mid].ver < ver)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < y->nfar && y->far[lo].ver == ver ? y->far[lo].i : -1;
}

int book_next_ver(const book *b, int year)
{
    year_index *y = year_slot(b->priv, year, 0);
    return y ? y->last + 1 : 1;
}

book_kind book_entry_kind(const book *b, const book_entry *e)
{
    return b->accounts.v[e->account].kind;
}

int book_year_closed(const book *b, int year)
{
    for (size_t i = b->closes.n; i-- > 0;)
        if (b->closes.v[i].year == year)
            return b->closes.v[i].closed ? (int)i : -1;
    return -1;
}

char *book_path(const book *b, const char *file)
{
    size_t n = strlen(b->dir) + strlen(file) + 2;
    char *s = mem_alloc(n);
    snprintf(s, n, "%s/%s", b->dir, file);
    return s;
}

int book_funder_is_municipality(const book *b, int f)
{
    return f >= 0 && (size_t)f < b->funders.n && b->funders.v[f].type &&
           strcmp(b->funders.v[f].type, "kommun") == 0;
}

size_t book_year_populations(const book *b, int year, book_population **out,
                             int *fallback)
{
    size_t n = 0;
    *out = NULL;
    *fallback = 0;
    /* Walk the funders in file order, so ties break the same way in
     * every allocation whatever the order of invanare.csv. */
    for (size_t f = 0; f < b->funders.n; f++) {
        for (size_t i = 0; i < b->populations.n; i++) {
            const book_population *p = &b->populations.v[i];
            if (p->year != year || p->funder != (int)f)
                continue;
            *out = mem_realloc_array(*out, n + 1, sizeof **out);
            (*out)[n++] = *p;
            break;
        }
    }
    /* A book with invanare.csv gives every year's figures there; only a
     * book without it falls back on finansiarer.csv. */
    if (n > 0 || b->populations.n > 0)
        return n;
    for (size_t f = 0; f < b->funders.n; f++) {
        const book_funder *fu = &b->funders.v[f];
        if (!fu->population || !book_funder_is_municipality(b, (int)f))
            continue;
        *out = mem_realloc_array(*out, n + 1, sizeof **out);
        book_population p = {year, (int)f, fu->population, "", 0};
        (*out)[n++] = p;
    }
    *fallback = n > 0;
    return n;
}

book_population *book_population_row(book *b, int year, int funder,
                                     int *created)
{
    *created = 0;
    for (size_t i = 0; i < b->populations.n; i++)
        if (b->populations.v[i].year == year &&
            b->populations.v[i].funder == funder)
            return &b->populations.v[i];
    book_population *p = book_vec_push(b->populations);
    p->year = year;
    p->funder = funder;
    p->source = "";
    *created = 1;
    return p;
}
