/*
 * cmd_budget_sie - `samla budget import FILE.se --rules RULES.csv`: the
 * #PBUDGET (per month) and #BUDGET (per year) records of a SIE file as
 * budget lines (docs/sie.md).
 *
 * The records go through the import's one mapping engine (import.h): the
 * SIE view presents them as rows (År, Period, Datum, Konto, Belopp, Post,
 * Objekt:N), the rules map each to an account, activity and funder with the
 * same checks as an entry (income needs a funder, costs an activity, no
 * closed year), and then they are summed per budget line (year, type,
 * funder or activity, and the account when `budgetrad` is `kod och konto`)
 * and quarter: a month into its quarter, a year spread evenly over the four
 * (budget_spread_year). Each such line replaces the book's line with the
 * same key, or is added; the book's other lines are kept. All or nothing,
 * under the lock, written once with book_write_budget.
 */
#include <stdlib.h>
#include <string.h>

#include "budget_edit.h"
#include "cmd.h"
#include "import.h"
#include "mem.h"

typedef struct {
    int year;
    budget_key key;
    dec_t q[4];
} sie_budget_line;

static int same_key(const sie_budget_line *l, int year, const budget_key *k)
{
    return l->year == year && l->key.kind == k->kind &&
           l->key.account == k->account && !strcmp(l->key.code, k->code);
}

static int field_index(const csvio_row *h, const char *name)
{
    for (size_t f = 0; f < h->n; f++)
        if (!strcmp(h->f[f].s, name))
            return (int)f;
    return -1;
}

/* Sum the plan's rows into lines[] (returns their number); faults to dl. */
static size_t sum_lines(book *b, const import_rules *r, const import_source *s,
                        const import_plan *p, sie_budget_line *lines,
                        diag_list *dl)
{
    size_t n = 0;
    int post = field_index(&s->t.rows[0], "Post");
    for (size_t i = 0; i < p->n; i++) {
        const import_row *x = &p->rows[i];
        if (x->status == IMPORT_ROW_SKIP)
            continue;
        const book_entry *e = &x->e;
        book_kind kind = book_entry_kind(b, e);
        const char *code = kind == KIND_INCOME ? b->funders.v[e->funder].code
                                               : b->activities.v[e->activity].code;
        budget_key key;
        char err[256];
        int which;
        if (budget_key_make(b, kind, code,
                            r->budget_by_account ? b->accounts.v[e->account].number
                                                 : "",
                            &key, err, sizeof err, &which) != 0) {
            diag_error(dl, s->t.display, x->line, 0, "%s", err);
            continue;
        }
        int year = date_year(e->date);
        size_t k = 0;
        while (k < n && !same_key(&lines[k], year, &key))
            k++;
        if (k == n) {
            lines[n].year = year;
            lines[n].key = key;
            for (int q = 0; q < 4; q++)
                dec_init(&lines[n].q[q]);
            n++;
        }
        const csvio_row *row = &s->t.rows[x->src];
        if (post >= 0 && !strcmp(row->f[post].s, "BUDGET")) {
            dec_t part[4];
            for (int q = 0; q < 4; q++)
                dec_init(&part[q]);
            budget_spread_year(part, &e->amount);
            for (int q = 0; q < 4; q++) {
                dec_add(&lines[k].q[q], &lines[k].q[q], &part[q]);
                dec_clear(&part[q]);
            }
        } else {
            int q = date_quarter(e->date) - 1;
            dec_add(&lines[k].q[q], &lines[k].q[q], &e->amount);
        }
    }
    return n;
}

static void print_line(FILE *o, const book *b, const sie_budget_line *l,
                       int created)
{
    char label[160];
    budget_key_label(b, &l->key, label, sizeof label);
    fprintf(o, "%s %d %s %s:", created ? "ny    " : "ersatt", l->year,
            l->key.kind == KIND_INCOME ? "intäkt " : "kostnad", label);
    dec_t sum;
    dec_init(&sum);
    for (int q = 0; q < 4; q++) {
        char *a = dec_format(&l->q[q], DEC_KR, 2, 0);
        fprintf(o, "  Q%d %s", q + 1, a);
        free(a);
        dec_add(&sum, &sum, &l->q[q]);
    }
    char *a = dec_format(&sum, DEC_KR, 2, DEC_FMT_UNIT);
    fprintf(o, "  helår %s\n", a);
    free(a);
    dec_clear(&sum);
}

int cmd_budget_import_sie(cli_ctx *ctx, const char *path, const char *rules,
                          int dry)
{
    diag_list dl;
    diag_init(&dl);
    import_rules r;
    import_source s;
    import_plan p;
    memset(&s, 0, sizeof s);
    memset(&p, 0, sizeof p);
    book b;
    store_lock lock;
    lock.fd = -1;
    book_init(&b);
    int rc = EXIT_DATA;
    sie_budget_line *lines = NULL;
    size_t n = 0;
    if (import_rules_read_as(&r, rules, IMPORT_FMT_SIE, &dl) != SAMLA_OK ||
        import_source_read_budget(&s, &r, path, &dl) != SAMLA_OK)
        goto report;
    book_free(&b);
    if (cli_load_locked(ctx, &b, &lock) != EXIT_OKAY)
        goto done;
    if (import_plan_build(&b, &r, &s, &p, &dl) != SAMLA_OK)
        goto report;
    lines = mem_calloc(p.n ? p.n : 1, sizeof *lines);
    n = sum_lines(&b, &r, &s, &p, lines, &dl);
    if (diag_errors(&dl))
        goto report;
    size_t added = 0, replaced = 0;
    for (size_t i = 0; i < n; i++) {
        int created;
        long j = budget_get_or_add(&b, lines[i].year, &lines[i].key, &created);
        for (int q = 0; q < 4; q++)
            dec_set(&b.budget.v[j].q[q], &lines[i].q[q]);
        print_line(ctx->out, &b, &lines[i], created);
        if (created)
            added++;
        else
            replaced++;
    }
    fprintf(ctx->out, "%zu budgetposter lästes, %zu hoppades över enligt "
                      "regel.\n",
            p.nnew + p.ndone, p.nskip);
    if (dry) {
        fprintf(ctx->out, "Torrkörning: %zu rader skulle ersättas och %zu "
                          "läggas till; inget sparades.\n",
                replaced, added);
        rc = EXIT_OKAY;
    } else if (book_write_budget(&b, NULL, &dl) == SAMLA_OK) {
        fprintf(ctx->out, "Budgeten sparades: %zu rader ersattes, %zu nya.\n",
                replaced, added);
        rc = EXIT_OKAY;
    }
report:
    if (cli_report(ctx, &dl) != EXIT_OKAY)
        rc = EXIT_DATA;
done:
    if (rc != EXIT_OKAY)
        fprintf(ctx->err, "samla budget import: inget sparades\n");
    for (size_t i = 0; i < n; i++)
        for (int q = 0; q < 4; q++)
            dec_clear(&lines[i].q[q]);
    free(lines);
    import_plan_free(&p);
    import_source_free(&s);
    import_rules_free(&r);
    cli_unlock(&lock);
    book_free(&b);
    diag_free(&dl);
    return rc;
}
