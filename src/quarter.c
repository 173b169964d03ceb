/* quarter - see quarter.h. */
#include "quarter.h"
#include "overlap.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"

void quarter_input_init(quarter_input *in)
{
    memset(in, 0, sizeof *in);
    in->kind = KIND_COST;
    dec_init(&in->amount);
}

void quarter_input_clear(quarter_input *in)
{
    dec_clear(&in->amount);
}

int quarter_parse_period(const char *s, period_t *p, const char **err)
{
    char buf[8];
    size_t len = strlen(s);
    /* Only "ÅÅÅÅQn": a quarter is what the entries' Källa names, and a
     * month or a range would make "the quarter's budget" meaningless. */
    if (len != 6 || (s[4] != 'Q' && s[4] != 'q')) {
        *err = "ange kvartalet som ÅÅÅÅQn, t.ex. 2026Q1";
        return -1;
    }
    memcpy(buf, s, 7);
    buf[4] = 'Q';
    if (period_parse(p, buf, err) != 0)
        return -1;
    return 0;
}

void quarter_opts_init(quarter_opts *o, const period_t *p)
{
    memset(o, 0, sizeof *o);
    o->period = *p;
    o->date = DATE_NONE;
    o->user = "";
    o->registered = "";
}

void quarter_source(const period_t *p, char *buf, size_t size)
{
    snprintf(buf, size, "quarter %s", p->label);
}

size_t quarter_existing(const book *b, const period_t *p, long *first,
                        long *last)
{
    char src[48];
    size_t n = 0;
    quarter_source(p, src, sizeof src);
    *first = *last = -1;
    for (size_t i = 0; i < b->entries.n; i++) {
        const char *s = b->entries.v[i].source;
        if (s && strcmp(s, src) == 0) {
            if (*first < 0)
                *first = (long)i;
            *last = (long)i;
            n++;
        }
    }
    return n;
}

/* The index of a code of the kind: activity for costs, funder for income. */
static int code_index(const book *b, book_kind kind, const char *code)
{
    return kind == KIND_COST ? book_activity_find(b, code)
                             : book_funder_find(b, code);
}

static const char *code_name(const book *b, book_kind kind, int idx)
{
    if (idx < 0)
        return "";
    return kind == KIND_COST ? b->activities.v[idx].name
                             : b->funders.v[idx].name;
}

/* Does entry e belong to code index idx of the kind? */
static int entry_has_code(const book *b, const book_entry *e, book_kind kind,
                          int idx)
{
    if (book_entry_kind(b, e) != kind)
        return 0;
    return kind == KIND_COST ? e->activity == idx : e->funder == idx;
}

int quarter_usual_account(const book *b, book_kind kind, const char *code)
{
    int idx = code_index(b, kind, code);
    if (idx < 0 || b->accounts.n == 0)
        return -1;
    dec_t *sum = mem_alloc_array(b->accounts.n, sizeof *sum);
    char *seen = mem_calloc(b->accounts.n, 1);
    for (size_t a = 0; a < b->accounts.n; a++)
        dec_init(&sum[a]);
    for (size_t i = 0; i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (!entry_has_code(b, e, kind, idx))
            continue;
        dec_add(&sum[e->account], &sum[e->account], &e->amount);
        seen[e->account] = 1;
    }
    /* The largest sum, not the latest entry: a code's main account is where
     * its money goes (PROC: wages 5010 before social fees 5610, although
     * both are booked every quarter). Ties go to the lower account. */
    int best = -1;
    for (size_t a = 0; a < b->accounts.n; a++)
        if (seen[a] && (best < 0 || dec_cmp(&sum[a], &sum[best]) > 0))
            best = (int)a;
    for (size_t a = 0; a < b->accounts.n; a++)
        dec_clear(&sum[a]);
    free(sum);
    free(seen);
    return best;
}

int quarter_default_account(const book *b, const quarter_opts *o,
                            book_kind kind, const char *code,
                            int line_account, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (line_account >= 0) {
        *why = "budgetradens konto";
        return line_account;
    }
    const char *opt = kind == KIND_COST ? o->cost_account : o->income_account;
    if (opt && *opt) {
        int a = book_account_find(b, opt);
        if (a >= 0 && b->accounts.v[a].kind == kind) {
            *why = kind == KIND_COST ? "--account" : "--income-account";
            return a;
        }
    }
    int a = quarter_usual_account(b, kind, code);
    *why = a >= 0 ? "det konto där koden har störst bokförd summa" : "";
    return a;
}

/* The account of the year's only budget line for (kind, code), when that
 * line has one; -1 otherwise (no line, a line for every account, or several
 * lines so that the input has to say which). */
static int budget_line_account(const book *b, int year, book_kind kind,
                               const char *code)
{
    int acc = -1, count = 0;
    for (size_t i = 0; i < b->budget.n; i++) {
        const book_budget_line *l = &b->budget.v[i];
        if (l->year == year && l->kind == kind && strcmp(l->code, code) == 0) {
            count++;
            acc = l->account;
        }
    }
    return count == 1 ? acc : -1;
}

const char *quarter_line_earmark(const book *b, int year, book_kind kind,
                                 const char *code, int account)
{
    const char *any = "";
    for (size_t i = 0; i < b->budget.n; i++) {
        const book_budget_line *l = &b->budget.v[i];
        if (l->year != year || l->kind != kind || strcmp(l->code, code) != 0)
            continue;
        const char *em = l->earmark ? l->earmark : "";
        if (l->account >= 0 && l->account == account)
            return em;
        if (l->account < 0)
            any = em;
    }
    return any;
}

int quarter_entry_on_line(const book *b, const book_entry *e,
                          const book_budget_line *l)
{
    int idx = l->kind == KIND_COST ? l->activity : l->funder;
    if (!entry_has_code(b, e, l->kind, idx))
        return 0;
    return l->account < 0 || e->account == l->account;
}

/* s with every "Q<from>" made "Q<to>" and, when the years differ, every
 * "<fromyear>" made "<toyear>": "Lokalhyra Q4" of 2025 -> "Lokalhyra Q1". */
static char *move_text(const char *s, int fy, int fq, int ty, int tq)
{
    size_t len = strlen(s);
    char *o = mem_alloc(len + 1);
    char fys[8], tys[8];
    snprintf(fys, sizeof fys, "%04d", fy);
    snprintf(tys, sizeof tys, "%04d", ty);
    size_t j = 0;
    for (size_t i = 0; i < len;) {
        if (s[i] == 'Q' && s[i + 1] == '0' + fq &&
            !(s[i + 2] >= '0' && s[i + 2] <= '9')) {
            o[j++] = 'Q';
            o[j++] = (char)('0' + tq);
            i += 2;
        } else if (fy != ty && strncmp(s + i, fys, 4) == 0 &&
                   !(i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9') &&
                   !(s[i + 4] >= '0' && s[i + 4] <= '9')) {
            memcpy(o + j, tys, 4);
            j += 4;
            i += 4;
        } else {
            o[j++] = s[i++];
        }
    }
    o[j] = '\0';
    return o;
}

/* The entries that reverse another (Rättar): their indices. Corrections
 * are few, so a scan of them answers entry_reversed. */
typedef struct {
    const book *b;
    size_t *v, n;
} corr_list;

static void corr_list_init(corr_list *c, const book *b)
{
    c->b = b;
    c->n = 0;
    c->v = mem_alloc_array(b->entries.n ? b->entries.n : 1, sizeof *c->v);
    for (size_t i = 0; i < b->entries.n; i++)
        if (b->entries.v[i].corr_year > 0)
            c->v[c->n++] = i;
}

/* Has entry e been reversed by a later entry (one whose Rättar names it)? */
static int entry_reversed(const corr_list *c, const book_entry *e)
{
    for (size_t i = 0; i < c->n; i++) {
        const book_entry *x = &c->b->entries.v[c->v[i]];
        if (x->corr_year == e->year && x->corr_ver == e->ver)
            return 1;
    }
    return 0;
}

size_t quarter_suggest(const book *b, const quarter_opts *o,
                       const quarter_line *l, quarter_suggestion **out)
{
    *out = NULL;
    size_t n = 0;
    quarter_suggestion *v = NULL;
    int idx = code_index(b, l->kind, l->code);
    date_t from = o->period.from;
    corr_list corr;
    corr_list_init(&corr, b);
    /* The latest entry on the line before the quarter gives the quarter
     * to take the suggestions from. A reversal (Rättar) and the entries
     * it reverses are not what a quarter normally holds. */
    date_t last = DATE_NONE;
    for (size_t i = 0; idx >= 0 && i < b->entries.n; i++) {
        const book_entry *e = &b->entries.v[i];
        if (e->date >= from || !entry_has_code(b, e, l->kind, idx) ||
            (l->account >= 0 && e->account != l->account) ||
            e->corr_year > 0 || entry_reversed(&corr, e))
            continue;
        if (last == DATE_NONE || e->date > last)
            last = e->date;
    }
    if (last != DATE_NONE) {
        int y = date_year(last), q = date_quarter(last);
        period_t p;
        period_quarter(&p, y, q);
        int ty = date_year(from), tq = date_quarter(from);
        v = mem_alloc_array(b->accounts.n ? b->accounts.n : 1, sizeof *v);
        dec_t *sums =
            mem_alloc_array(b->accounts.n ? b->accounts.n : 1, sizeof *sums);
        for (size_t i = 0; i < b->entries.n; i++) {
            const book_entry *e = &b->entries.v[i];
            if (!period_contains(&p, e->date) ||
                !entry_has_code(b, e, l->kind, idx) ||
                (l->account >= 0 && e->account != l->account) ||
                e->corr_year > 0 || entry_reversed(&corr, e))
                continue;
            size_t k;
            for (k = 0; k < n && v[k].account != e->account; k++)
                ;
            if (k < n) {
                dec_add(&sums[k], &sums[k], &e->amount);
                continue;
            }
            v[n].account = e->account;
            v[n].text = move_text(e->text, y, q, ty, tq);
            dec_init(&sums[n]);
            dec_set(&sums[n], &e->amount);
            n++;
        }
        /* The account with the largest sum first (SMM: the regional
         * resources on 4610 before a one-off 7690), equal sums in journal
         * order: a stable insertion sort of a few items. */
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && dec_cmp(&sums[j], &sums[j - 1]) > 0;
                 j--) {
                quarter_suggestion t = v[j];
                v[j] = v[j - 1];
                v[j - 1] = t;
                dec_t d = sums[j];
                sums[j] = sums[j - 1];
                sums[j - 1] = d;
            }
        for (size_t i = 0; i < n; i++)
            dec_clear(&sums[i]);
        free(sums);
    }
    free(corr.v);
    if (n == 0 && l->usual_account >= 0) {
        free(v);
        v = mem_alloc_array(1, sizeof *v);
        v[0].account = l->usual_account;
        v[0].text = NULL;
        n = 1;
    }
    if (n == 0) {
        free(v);
        v = NULL;
    }
    *out = v;
    return n;
}

void quarter_suggestions_free(quarter_suggestion *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((char *)s[i].text);
    free(s);
}

static quarter_line *push_line(quarter_line **v, size_t *n, size_t *cap)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        quarter_line *nv = mem_realloc_array(*v, *cap, sizeof *nv);
        *v = nv;
    }
    quarter_line *l = &(*v)[(*n)++];
    memset(l, 0, sizeof *l);
    dec_init(&l->budget);
    dec_init(&l->booked);
    dec_init(&l->entered);
    l->account = l->usual_account = l->budget_index = -1;
    return l;
}

size_t quarter_lines(const book *b, const quarter_opts *o,
                     const book_entry *news, size_t n, quarter_line **out)
{
    const period_t *p = &o->period;
    int year = date_year(p->from), q = date_quarter(p->from);
    quarter_line *v = NULL;
    size_t nv = 0, cap = 0;
    /* news[i] has found a budget line. */
    char *placed = n ? mem_calloc(n, 1) : NULL;
    static const book_kind order[2] = {KIND_COST, KIND_INCOME};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < b->budget.n; i++) {
            const book_budget_line *bl = &b->budget.v[i];
            if (bl->year != year || bl->kind != order[k])
                continue;
            quarter_line *l = push_line(&v, &nv, &cap);
            l->budget_index = (int)i;
            l->kind = bl->kind;
            l->code = bl->code;
            l->name = code_name(b, bl->kind, bl->kind == KIND_COST
                                                 ? bl->activity
                                                 : bl->funder);
            l->account = bl->account;
            l->earmark = bl->earmark ? bl->earmark : "";
            l->usual_account = quarter_default_account(
                b, o, bl->kind, bl->code,
                budget_line_account(b, year, bl->kind, bl->code), NULL);
            dec_set(&l->budget, &bl->q[q - 1]);
            for (size_t j = 0; j < b->entries.n; j++) {
                const book_entry *e = &b->entries.v[j];
                if (period_contains(p, e->date) &&
                    quarter_entry_on_line(b, e, bl))
                    dec_add(&l->booked, &l->booked, &e->amount);
            }
            for (size_t j = 0; j < n; j++)
                if (quarter_entry_on_line(b, &news[j], bl)) {
                    dec_add(&l->entered, &l->entered, &news[j].amount);
                    placed[j] = 1;
                }
        }
        /* New entries of this kind that no budget line takes: one line per
         * code, so the summary still accounts for every krona. */
        for (size_t j = 0; j < n; j++) {
            const book_entry *e = &news[j];
            if (placed[j] || book_entry_kind(b, e) != order[k])
                continue;
            int idx = order[k] == KIND_COST ? e->activity : e->funder;
            quarter_line *l = push_line(&v, &nv, &cap);
            l->kind = order[k];
            l->code = order[k] == KIND_COST ? b->activities.v[idx].code
                                            : b->funders.v[idx].code;
            l->name = code_name(b, order[k], idx);
            l->earmark = "";
            for (size_t m = j; m < n; m++)
                if (!placed[m] && entry_has_code(b, &news[m], order[k], idx)) {
                    dec_add(&l->entered, &l->entered, &news[m].amount);
                    placed[m] = 1;
                }
            for (size_t m = 0; m < b->entries.n; m++) {
                const book_entry *be = &b->entries.v[m];
                if (period_contains(p, be->date) &&
                    entry_has_code(b, be, order[k], idx))
                    dec_add(&l->booked, &l->booked, &be->amount);
            }
        }
    }
    free(placed);
    *out = v;
    return nv;
}

void quarter_lines_free(quarter_line *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        dec_clear(&l[i].budget);
        dec_clear(&l[i].booked);
        dec_clear(&l[i].entered);
    }
    free(l);
}

void quarter_entries_free(book_entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++)
        dec_clear(&e[i].amount);
    free(e);
}

/* An error about one input, at its place (see quarter.h). */
static void input_error(diag_list *dl, const quarter_input *in, size_t i,
                        long col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void input_error(diag_list *dl, const quarter_input *in, size_t i,
                        long col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(dl, DIAG_ERROR, in->file, in->line ? in->line : (long)i + 1,
              in->line ? col : 0, fmt, ap);
    va_end(ap);
}

/* The index of `code` in the book's list of `kind`, or -1 after the error
 * "okänd verksamhet \"X\"; menade du …?" (the word of the kind) at the
 * row's column: the one lookup of every code a row names. */
static int find_code(const book *b, diag_list *dl, const quarter_input *x,
                     size_t i, long col, book_code_kind kind,
                     const char *code)
{
    static const char *const unknown[] = {
        [BOOK_CODE_FUNDER] = "okänd finansiär",
        [BOOK_CODE_ACCOUNT] = "okänt konto",
        [BOOK_CODE_ACTIVITY] = "okänd verksamhet",
        [BOOK_CODE_EARMARK] = "okänd öronmärkning"};
    int idx = kind == BOOK_CODE_FUNDER    ? book_funder_find(b, code)
              : kind == BOOK_CODE_ACCOUNT ? book_account_find(b, code)
              : kind == BOOK_CODE_ACTIVITY ? book_activity_find(b, code)
                                           : book_earmark_find(b, code);
    if (idx < 0) {
        char hint[160];
        input_error(dl, x, i, col, "%s \"%s\"%s", unknown[kind], code,
                    book_code_hint(b, kind, code, hint, sizeof hint));
    }
    return idx;
}

size_t quarter_build(book *b, const quarter_opts *o, const quarter_input *in,
                     size_t n, book_entry **out, diag_list *dl)
{
    size_t before = diag_errors(dl);
    const period_t *p = &o->period;
    date_t date = o->date == DATE_NONE ? p->to : o->date;
    int year = date_year(date);
    char d[11], src[48];
    *out = NULL;
    date_format(date, d);
    if (!period_contains(p, date))
        diag_error(dl, NULL, 0, 0,
                   "datumet %s ligger utanför kvartalet %s", d, p->label);
    if (book_year_closed(b, year) >= 0)
        diag_error(dl, NULL, 0, 0,
                   "år %d är stängt (bokslut); inget kan bokföras i det",
                   year);
    if (b->start != DATE_NONE && date < b->start)
        diag_error(dl, NULL, 0, 0, "datumet %s ligger före bokens startdatum",
                   d);
    /* The defaults must themselves be valid, else every line would report
     * the same fault. */
    const char *opts[2] = {o->cost_account, o->income_account};
    static const char *optname[2] = {"--account", "--income-account"};
    for (int k = 0; k < 2; k++) {
        if (!opts[k] || !*opts[k])
            continue;
        int a = book_account_find(b, opts[k]);
        if (a < 0)
            diag_error(dl, NULL, 0, 0, "%s: okänt konto %s", optname[k],
                       opts[k]);
        else if (b->accounts.v[a].kind != (k == 0 ? KIND_COST : KIND_INCOME))
            diag_error(dl, NULL, 0, 0, "%s: konto %s är inte ett %skonto",
                       optname[k], opts[k], k == 0 ? "kostnads" : "intäkts");
    }
    char msg[600];
    if (o->user && schema_check_value(&schema_journal, SCHEMA_JE_USER,
                                      o->user, msg, sizeof msg) != 0)
        diag_error(dl, NULL, 0, 0, "Användare: %s", msg);
    if (diag_errors(dl) > before)
        return 0;

    quarter_source(p, src, sizeof src);
    const char *source = book_strdup(b, src);
    book_entry *e = n ? mem_calloc(n, sizeof *e) : NULL;
    size_t ne = 0;
    int ver = book_next_ver(b, year);
    for (size_t i = 0; i < n; i++) {
        const quarter_input *x = &in[i];
        if (dec_is_zero(&x->amount))
            continue;
        size_t errs = diag_errors(dl);
        const char *kindword = x->kind == KIND_COST ? "kostnad" : "intäkt";
        int idx = -1;
        if (!x->code || !*x->code)
            input_error(dl, x, i, x->col_code,
                        x->kind == KIND_COST ? "verksamhet saknas"
                                             : "finansiär saknas");
        else
            idx = find_code(b, dl, x, i, x->col_code,
                            x->kind == KIND_COST ? BOOK_CODE_ACTIVITY
                                                 : BOOK_CODE_FUNDER,
                            x->code);
        int acc = -1;
        if (x->account && *x->account) {
            acc = find_code(b, dl, x, i, x->col_account, BOOK_CODE_ACCOUNT,
                            x->account);
            if (acc >= 0 && b->accounts.v[acc].kind != x->kind)
                input_error(dl, x, i, x->col_account,
                            "konto %s är inte ett %skonto",
                            x->account,
                            x->kind == KIND_COST ? "kostnads" : "intäkts");
        } else if (idx >= 0) {
            acc = quarter_default_account(
                b, o, x->kind, x->code,
                budget_line_account(b, year, x->kind, x->code), NULL);
            if (acc < 0)
                input_error(dl, x, i, x->col_account,
                            "konto saknas för %s \"%s\": budgetraden har "
                            "inget konto och koden har inget bokfört; ange "
                            "kontot (--account/--income-account)",
                            kindword, x->code);
        }
        int activity = -1;
        if (x->kind == KIND_INCOME && x->activity && *x->activity)
            activity = find_code(b, dl, x, i, x->col_activity,
                                 BOOK_CODE_ACTIVITY, x->activity);
        int earmark = -1;
        if (x->earmark && strcmp(x->earmark, QUARTER_NO_EARMARK) == 0) {
            /* none, although the line may have one */
        } else if (x->earmark && *x->earmark) {
            earmark = find_code(b, dl, x, i, x->col_earmark,
                                BOOK_CODE_EARMARK, x->earmark);
        } else if (idx >= 0 && acc >= 0) {
            const char *def =
                quarter_line_earmark(b, year, x->kind, x->code, acc);
            if (*def)
                earmark = book_earmark_find(b, def);
        }
        /* Text and Underlag keep the journal's rules (schema.h). */
        const int tcols[2] = {SCHEMA_JE_TEXT, SCHEMA_JE_DOC};
        const char *tvals[2] = {x->text, x->doc};
        for (int k = 0; k < 2; k++) {
            if (tvals[k] && *tvals[k] &&
                schema_check_value(&schema_journal, tcols[k], tvals[k], msg,
                                   sizeof msg) != 0)
                input_error(dl, x, i, 0, "%s: %s",
                            schema_journal.cols[tcols[k]].name, msg);
        }
        if (diag_errors(dl) > errs)
            continue;
        book_entry *ne_ = &e[ne++];
        ne_->year = year;
        ne_->ver = ver++;
        ne_->date = date;
        ne_->account = acc;
        ne_->activity = x->kind == KIND_COST ? idx : activity;
        ne_->funder = x->kind == KIND_INCOME ? idx : -1;
        ne_->earmark = earmark;
        dec_init(&ne_->amount);
        dec_set(&ne_->amount, &x->amount);
        if (x->text && *x->text) {
            ne_->text = book_strdup(b, x->text);
        } else {
            char *t = mem_printf("%s %s", code_name(b, x->kind, idx),
                                 p->label);
            ne_->text = book_strdup(b, t);
            free(t);
        }
        ne_->doc = x->doc && *x->doc ? book_strdup(b, x->doc) : "";
        ne_->registered = book_strdup(b, o->registered ? o->registered : "");
        ne_->user = book_strdup(b, o->user ? o->user : "");
        ne_->source = source;
        ne_->fingerprint = "";
    }
    if (diag_errors(dl) > before || ne == 0) {
        quarter_entries_free(e, ne);
        return 0;
    }
    *out = e;
    return ne;
}

int quarter_save(book *b, const quarter_opts *o, const quarter_input *in,
                 size_t n, size_t *saved, long *first, diag_list *dl)
{
    long f, l;
    *saved = 0;
    *first = -1;
    size_t had = quarter_existing(b, &o->period, &f, &l);
    if (had && !o->allow_repeat) {
        const book_entry *a = &b->entries.v[f], *z = &b->entries.v[l];
        diag_error(dl, NULL, 0, 0,
                   "kvartalet %s är redan registrerat: %zu verifikationer "
                   "(%d:%d–%d:%d, sparade %s av %s); inget sparades",
                   o->period.label, had, a->year, a->ver, z->year, z->ver,
                   a->registered, a->user);
        return SAMLA_EDATA;
    }
    size_t before = diag_errors(dl);
    book_entry *e;
    size_t ne = quarter_build(b, o, in, n, &e, dl);
    if (diag_errors(dl) > before)
        return SAMLA_EDATA;
    if (ne == 0)
        return SAMLA_OK;
    /* The same costs booked by another path (overlap.h). */
    overlap_list ov;
    overlap_list_init(&ov);
    if (!o->allow_overlap && overlap_find_entries(b, e, ne, &ov) > 0) {
        overlap_refuse(b, &ov, "--allow-overlap (i webbformuläret: rutan "
                               "Spara ändå)", dl);
        overlap_list_free(&ov);
        quarter_entries_free(e, ne);
        return SAMLA_EDATA;
    }
    int rc = book_append_entries(b, e, ne, NULL, dl);
    if (rc == SAMLA_OK) {
        *saved = ne;
        *first = (long)(b->entries.n - ne);
        /* A registered quarter completes the outcome through its end. */
        char src[64];
        quarter_source(&o->period, src, sizeof src);
        book_reported_advance(b, o->period.to, src, o->user, o->registered,
                              dl);
    }
    quarter_entries_free(e, ne);
    return rc;
}
