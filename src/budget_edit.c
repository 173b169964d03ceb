/* budget_edit - see budget_edit.h. */
#include "budget_edit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uiutil.h"

int budget_kind_parse(const char *s)
{
    if (ui_name_eq(s, "intäkt") || ui_name_eq(s, "income"))
        return KIND_INCOME;
    if (ui_name_eq(s, "kostnad") || ui_name_eq(s, "cost"))
        return KIND_COST;
    return -1;
}

int budget_key_make(book *b, book_kind kind, const char *code,
                    const char *account, budget_key *k, char *err,
                    size_t errsize, int *which)
{
    memset(k, 0, sizeof *k);
    k->kind = kind;
    k->funder = k->activity = k->account = -1;
    *which = 0;
    if (kind == KIND_INCOME)
        k->funder = book_funder_find(b, code);
    else
        k->activity = book_activity_find(b, code);
    if (k->funder < 0 && k->activity < 0) {
        snprintf(err, errsize, "okänd %s \"%s\"",
                 kind == KIND_INCOME ? "finansiär" : "verksamhet", code);
        return -1;
    }
    k->code = kind == KIND_INCOME ? b->funders.v[k->funder].code
                                  : b->activities.v[k->activity].code;
    if (account && *account) {
        *which = 1;
        k->account = book_account_find(b, account);
        if (k->account < 0) {
            snprintf(err, errsize, "okänt konto \"%s\"", account);
            return -1;
        }
        if (b->accounts.v[k->account].kind != kind) {
            snprintf(err, errsize, "konto %s är inte ett %skonto", account,
                     kind == KIND_INCOME ? "intäkts" : "kostnads");
            return -1;
        }
    }
    return 0;
}

int budget_key_parse(book *b, const char *spec, int forced, budget_key *k,
                     char *err, size_t errsize)
{
    const char *slash = strchr(spec, '/');
    size_t n = slash ? (size_t)(slash - spec) : strlen(spec);
    char code[128];
    if (n == 0 || n >= sizeof code) {
        snprintf(err, errsize, "ange budgetraden som KOD eller KOD/KONTO, "
                               "t.ex. SMM eller SMM/4610");
        return -1;
    }
    memcpy(code, spec, n);
    code[n] = '\0';
    const char *account = slash ? slash + 1 : NULL;
    int kind = forced;
    if (kind < 0) {
        int f = book_funder_find(b, code) >= 0;
        int a = book_activity_find(b, code) >= 0;
        /* An account given with the code also says the type. */
        int acc = account ? book_account_find(b, account) : -1;
        if (f && a && acc >= 0)
            kind = (int)b->accounts.v[acc].kind;
        else if (f && a) {
            snprintf(err, errsize,
                     "\"%s\" är både en finansiär och en verksamhet; ange "
                     "--type intäkt eller --type kostnad",
                     code);
            return -1;
        } else if (f)
            kind = KIND_INCOME;
        else if (a)
            kind = KIND_COST;
        else {
            snprintf(err, errsize,
                     "\"%s\" är varken en finansiär (intäktsrad) eller en "
                     "verksamhet (kostnadsrad) i boken",
                     code);
            return -1;
        }
    }
    int which;
    return budget_key_make(b, (book_kind)kind, code, account, k, err, errsize,
                           &which);
}

long budget_find(const book *b, int year, const budget_key *k)
{
    for (size_t i = 0; i < b->budget.n; i++) {
        const book_budget_line *l = &b->budget.v[i];
        if (l->year == year && l->kind == k->kind &&
            strcmp(l->code, k->code) == 0 && l->account == k->account)
            return (long)i;
    }
    return -1;
}

long budget_get_or_add(book *b, int year, const budget_key *k, int *created)
{
    long i = budget_find(b, year, k);
    *created = i < 0;
    if (i >= 0)
        return i;
    /* Keep budget.csv in the order a reader expects: a new line goes after
     * the last line of its year and type, else after its year, else last. */
    size_t at = b->budget.n;
    long same_kind = -1, same_year = -1;
    for (size_t j = 0; j < b->budget.n; j++) {
        const book_budget_line *l = &b->budget.v[j];
        if (l->year == year) {
            same_year = (long)j;
            if (l->kind == k->kind)
                same_kind = (long)j;
        }
    }
    if (same_kind >= 0)
        at = (size_t)same_kind + 1;
    else if (same_year >= 0)
        at = (size_t)same_year + 1;
    book_budget_line *l = book_budget_insert(b, at);
    l->year = year;
    l->kind = k->kind;
    l->code = k->code;
    l->funder = k->funder;
    l->activity = k->activity;
    l->account = k->account;
    for (int q = 0; q < 4; q++)
        dec_init(&l->q[q]);
    dec_init(&l->forecast);
    l->text = "";
    return (long)at;
}

void budget_key_label(const book *b, const budget_key *k, char *buf,
                      size_t size)
{
    if (k->account >= 0)
        snprintf(buf, size, "%s/%s", k->code, b->accounts.v[k->account].number);
    else
        snprintf(buf, size, "%s", k->code);
}

void budget_spread_year(dec_t q[4], const dec_t *whole)
{
    static const unsigned long equal[4] = {1, 1, 1, 1};
    dec_allocate(q, whole, equal, 4);
}
