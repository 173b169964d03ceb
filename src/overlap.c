/* overlap - see overlap.h. */
#include "overlap.h"
#include "mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PATH_OTHER = 0, PATH_QUARTER, PATH_IMPORT };

static int path_of(const book_entry *e)
{
    if (!e->source)
        return PATH_OTHER;
    if (strncmp(e->source, "quarter ", 8) == 0)
        return PATH_QUARTER;
    if (strncmp(e->source, "import ", 7) == 0)
        return PATH_IMPORT;
    return PATH_OTHER;
}

/* What two entries must share: kind (by the account), account, and the
 * activity of a cost or the funder of an income. */
typedef struct {
    int account, code;
    int quarter; /* year * 4 + quarter - 1 */
    date_t day;
    int path;
    size_t idx; /* the new entry's index */
} key;

static void key_of(const book *b, const book_entry *e, key *k)
{
    k->account = e->account;
    k->code = book_entry_kind(b, e) == KIND_INCOME ? e->funder : e->activity;
    k->quarter = date_year(e->date) * 4 + date_quarter(e->date) - 1;
    k->day = e->date;
    k->path = path_of(e);
}

static int key_cmp(const void *pa, const void *pb)
{
    const key *a = pa, *b = pb;
    if (a->account != b->account)
        return a->account < b->account ? -1 : 1;
    if (a->code != b->code)
        return a->code < b->code ? -1 : 1;
    if (a->quarter != b->quarter)
        return a->quarter < b->quarter ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Same account, code and quarter (the sort's prefix). */
static int same_place(const key *a, const key *b)
{
    return a->account == b->account && a->code == b->code &&
           a->quarter == b->quarter;
}

void overlap_list_init(overlap_list *l)
{
    l->v = NULL;
    l->n = 0;
}

void overlap_list_free(overlap_list *l)
{
    free(l->v);
    overlap_list_init(l);
}

size_t overlap_find(const book *b, const book_entry *const *news, size_t n,
                    const long *known, size_t nknown, overlap_list *out)
{
    overlap_list_free(out);
    key *k = mem_alloc_array(n ? n : 1, sizeof *k);
    size_t nk = 0;
    for (size_t i = 0; i < n; i++) {
        key_of(b, news[i], &k[nk]);
        k[nk].idx = i;
        if (k[nk].path != PATH_OTHER && k[nk].code >= 0)
            nk++;
    }
    if (nk == 0 || b->entries.n == 0) {
        free(k);
        return 0;
    }
    qsort(k, nk, sizeof *k, key_cmp);
    /* Entries that do not count: corrections, what they reversed, and the
     * caller's known ones. */
    unsigned char *skip = mem_calloc(b->entries.n, 1);
    for (size_t i = 0; i < nknown; i++)
        if (known[i] >= 0 && (size_t)known[i] < b->entries.n)
            skip[known[i]] = 1;
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (!e->corr_year)
            continue;
        skip[i] = 1;
        long j = book_entry_find(b, e->corr_year, e->corr_ver);
        if (j >= 0)
            skip[j] = 1;
    }
    size_t cap = 0;
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (skip[i])
            continue;
        key x;
        key_of(b, e, &x);
        if (x.path == PATH_OTHER || x.code < 0)
            continue;
        /* The first new key at x's place, by binary search. */
        x.idx = 0;
        size_t lo = 0, hi = nk;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (key_cmp(&k[mid], &x) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t first_new = (size_t)-1;
        for (size_t j = lo; j < nk && same_place(&k[j], &x); j++) {
            /* Two imports overlap on the same day only; two quarter runs
             * are the quarter's own guard's business. */
            if (x.path == PATH_IMPORT && k[j].path == PATH_IMPORT &&
                x.day != k[j].day)
                continue;
            if (x.path == PATH_QUARTER && k[j].path == PATH_QUARTER)
                continue;
            if (k[j].idx < first_new)
                first_new = k[j].idx;
        }
        if (first_new == (size_t)-1)
            continue;
        if (out->n == cap) {
            void *v = out->v;
            mem_grow(&v, &cap, out->n + 1, sizeof *out->v);
            out->v = v;
        }
        out->v[out->n].entry = (long)i;
        out->v[out->n].news = first_new;
        out->n++;
    }
    free(skip);
    free(k);
    return out->n;
}

size_t overlap_find_entries(const book *b, const book_entry *news, size_t n,
                            overlap_list *out)
{
    const book_entry **p = mem_alloc_array(n ? n : 1, sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = &news[i];
    size_t found = overlap_find(b, p, n, NULL, 0, out);
    free(p);
    return found;
}

report *overlap_report(const book *b, const overlap_list *l)
{
    char *title = mem_printf(
        "Varning: %zu %s redan för samma period, konto och "
        "verksamhet/finansiär (bokförd%s med samla quarter eller import); "
        "samma kostnader och intäkter kan räknas två gånger",
        l->n, l->n == 1 ? "verifikation finns" : "verifikationer finns",
        l->n == 1 ? "" : "a");
    report *r = report_new("overlap", title);
    free(title);
    report_table *t = report_add_table(r, "Redan bokfört", "Ver", NULL);
    int c_date = report_add_column(t, "date", "Datum", REPORT_COL_DATE);
    int c_acc = report_add_column(t, "account", "Konto", REPORT_COL_TEXT);
    int c_code = report_add_column(t, "code", "Verksamhet/finansiär",
                                   REPORT_COL_TEXT);
    int c_amt = report_add_column(t, "amount", "Belopp", REPORT_COL_AMOUNT);
    int c_text = report_add_column(t, "text", "Text", REPORT_COL_TEXT);
    int c_src = report_add_column(t, "source", "Källa", REPORT_COL_TEXT);
    report_col_priority(t, c_src, 1);
    for (size_t i = 0; i < l->n; i++) {
        const book_entry *e = &b->entries.v[l->v[i].entry];
        char ver[32];
        snprintf(ver, sizeof ver, "%d:%d", e->year, e->ver);
        size_t row = report_add_row(t, REPORT_ROW_LINE, NULL, ver, 0);
        report_set_date(t, row, c_date, e->date);
        report_set_text(t, row, c_acc, b->accounts.v[e->account].number);
        report_set_text(t, row, c_code,
                        e->funder >= 0 && book_entry_kind(b, e) == KIND_INCOME
                            ? b->funders.v[e->funder].code
                        : e->activity >= 0 ? b->activities.v[e->activity].code
                                           : "");
        report_set_amount(t, row, c_amt, &e->amount);
        report_set_text(t, row, c_text, e->text);
        report_set_text(t, row, c_src, e->source);
    }
    report_evaluate(r);
    return r;
}

void overlap_refuse(const book *b, const overlap_list *l, const char *how,
                    diag_list *dl)
{
    /* The vouchers named, at most a screenful; the table shows them all. */
    enum { NAMED = 12 };
    char list[NAMED * 24 + 16];
    size_t len = 0;
    list[0] = '\0';
    for (size_t i = 0; i < l->n && i < NAMED; i++) {
        const book_entry *e = &b->entries.v[l->v[i].entry];
        int w = snprintf(list + len, sizeof list - len, "%s%d:%d",
                         i ? ", " : "", e->year, e->ver);
        if (w > 0 && (size_t)w < sizeof list - len)
            len += (size_t)w;
    }
    if (l->n > NAMED)
        snprintf(list + len, sizeof list - len, " …");
    diag_error(dl, NULL, 0, 0,
               "%zu %s redan för samma period, konto och "
               "verksamhet/finansiär, bokförd%s med samla quarter eller "
               "import (%s); att spara nu kan räkna samma kostnader och "
               "intäkter två gånger. Kontrollera %s och spara med %s om de "
               "nya posterna ändå ska bokföras; inget sparades",
               l->n, l->n == 1 ? "verifikation finns" : "verifikationer finns",
               l->n == 1 ? "" : "a", list, l->n == 1 ? "den" : "dem", how);
}
