/*
 * cmd_import - `samla import FILE --rules RULES.csv [--dry-run] [--yes]`:
 * a finance system's ledger extract into the journal, mapped by a rules
 * file (import.h, docs/import.md), shown before it is saved, all or
 * nothing, never twice.
 *
 * As in cmd_quarter, the preview is made on the book read without the
 * lock (the user may take a while to answer); the save takes the lock,
 * reads the book again and maps the extract again against it, so rows that
 * someone imported meanwhile are recognised by their fingerprints.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "text.h"
#include "import.h"
#include "mem.h"
#include "uiutil.h"

static const char import_help[] =
    "Användning: samla import FIL --rules REGLER.csv [--format csv|sie]\n"
    "                    [--dry-run] [--yes] [--allow-overlap]\n"
    "Importerar ett huvudboksutdrag (CSV) eller en SIE-fil (typ 4 eller 4I)\n"
    "från ett ekonomisystem. En SIE-fil känns igen på sin #FLAGGA/#SIETYP;\n"
    "dess transaktioner blir rader med kolumnerna Datum, Konto, Belopp,\n"
    "Text, Serie, Verifikation och Objekt:N (docs/sie.md). Regelfilen\n"
    "säger hur filen läses (rubrikrad, kolumner, datumformat, tecken,\n"
    "kodning) och vilket konto, vilken verksamhet och finansiär varje rad\n"
    "bokförs på, eller att raden hoppas över (t.ex. summaraden). Se\n"
    "docs/import.md.\n"
    "Varje rad måste passa en regel; annars listas raderna och inget\n"
    "importeras. Rader som redan importerats (samma fingeravtryck) hoppas\n"
    "över, så samma fil eller ett överlappande utdrag kan importeras igen\n"
    "utan dubbletter. Finns det redan poster för samma period, konto och\n"
    "verksamhet (finansiär) från samla quarter eller en annan import (andra\n"
    "fingeravtryck), visas de och inget sparas utan --allow-overlap.\n"
    "  --rules FIL  regelfilen (krävs)\n"
    "  --format F   csv eller sie (standard: känns igen på filens början)\n"
    "  --dry-run    visa vad som skulle importeras, spara inget\n"
    "  --yes        fråga inte före sparandet (för skript)\n"
    "  --reported-through P  utdraget gör utfallet komplett t.o.m. slutet\n"
    "               av P (2026Q2, 2026-06-30 …): boken blir rapporterad\n"
    "               t.o.m. det datumet om det är senare (samla reported)\n"
    "  --allow-overlap  spara även när perioden redan är bokförd så\n"
    "               (se ovan)\n"
    "  -f MAPP      boken; --user NAMN  vem som bokför\n";

#define LIST_MAX 20 /* rows listed per kind before "…" */

static void print_plan(cli_ctx *ctx, const book *b, const import_rules *r,
                       const import_source *s, const import_plan *p)
{
    FILE *o = ctx->out;
    if (p->nnew) {
        fprintf(o, "Rader som importeras från %s:\n", s->t.display);
        ui_pad(o, "Rad", 6, 1);
        fputs("  ", o);
        cmd_entry_head(o, 14);
    }
    for (size_t i = 0; i < p->n; i++) {
        const import_row *x = &p->rows[i];
        if (x->status != IMPORT_ROW_NEW)
            continue;
        const book_entry *e = &x->e;
        char ln[24];
        snprintf(ln, sizeof ln, "%ld", x->line);
        char *a = dec_format(&e->amount, DEC_KR, 2, 0);
        ui_pad(o, ln, 6, 1);
        fputs("  ", o);
        cmd_entry_line(o, b, e, a, 14);
        free(a);
    }
    size_t shown = 0;
    for (size_t i = 0; i < p->n; i++) {
        const import_row *x = &p->rows[i];
        if (x->status == IMPORT_ROW_NEW)
            continue;
        if (shown++ == LIST_MAX) {
            fprintf(o, "  …\n");
            break;
        }
        if (x->status == IMPORT_ROW_SKIP) {
            fprintf(o, "Rad %ld hoppas över (regeln på rad %ld i %s).\n",
                    x->line, r->rules[x->rule].line, r->display);
        } else {
            const book_entry *e = &b->entries.v[x->done_entry];
            fprintf(o, "Rad %ld är redan importerad: verifikation %d:%d "
                       "(%s).\n",
                    x->line, e->year, e->ver, e->source);
        }
    }
    dec_t sum;
    dec_init(&sum);
    for (size_t i = 0; i < p->n; i++)
        if (p->rows[i].status == IMPORT_ROW_NEW) {
            /* Income and costs summed as the book counts them (result). */
            if (book_entry_kind(b, &p->rows[i].e) == KIND_INCOME)
                dec_add(&sum, &sum, &p->rows[i].e.amount);
            else
                dec_sub(&sum, &sum, &p->rows[i].e.amount);
        }
    char *ss = dec_format_kr(&sum);
    fprintf(o, "\n%zu %s importeras (påverkar resultatet med %s), %zu hoppas "
               "över enligt regel, %zu redan importerade.\n",
            p->nnew, p->nnew == 1 ? "rad" : "rader", ss, p->nskip, p->ndone);
    free(ss);
    dec_clear(&sum);
}

/* The entries of b that the plan's new rows overlap (overlap.h); the rows
 * recognised by fingerprint are the same rows, never an overlap. */
static void plan_overlaps(const book *b, const import_plan *p,
                          overlap_list *ov)
{
    const book_entry **news = mem_alloc_array(p->n ? p->n : 1, sizeof *news);
    long *known = mem_alloc_array(p->n ? p->n : 1, sizeof *known);
    size_t nn = 0, nk = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (p->rows[i].status == IMPORT_ROW_NEW)
            news[nn++] = &p->rows[i].e;
        else if (p->rows[i].status == IMPORT_ROW_DONE)
            known[nk++] = p->rows[i].done_entry;
    }
    overlap_find(b, news, nn, known, nk, ov);
    free(news);
    free(known);
}

/* Map and, unless dry, save under the lock. `preview` says whether the
 * plan was already shown (then only what changed is told). */
static int save(cli_ctx *ctx, import_rules *r, const import_source *s,
                size_t shown_new, date_t through, int allow_overlap)
{
    book b;
    store_lock lock;
    int rc = cli_load_locked(ctx, &b, &lock);
    if (rc != EXIT_OKAY)
        return rc;
    diag_list dl;
    diag_init(&dl);
    import_plan p;
    char now[32];
    date_now_utc(now, sizeof now);
    if (import_plan_build(&b, r, s, &p, &dl) == SAMLA_OK) {
        if (shown_new != (size_t)-1 && p.nnew != shown_new)
            diag_add(&dl, DIAG_NOTE, NULL, 0, 0,
                     "boken ändrades medan du svarade: %zu rader importeras "
                     "nu i stället för %zu",
                     p.nnew, shown_new);
        else if (shown_new == (size_t)-1)
            print_plan(ctx, &b, r, s, &p);
        overlap_list ov;
        overlap_list_init(&ov);
        plan_overlaps(&b, &p, &ov);
        int refused = 0;
        if (shown_new == (size_t)-1)
            refused = cmd_overlap_gate(ctx, &b, &ov, allow_overlap, 0) != 0;
        else if (ov.n && !allow_overlap) /* appeared while the user answered */
            overlap_refuse(&b, &ov, "--allow-overlap", &dl);
        overlap_list_free(&ov);
        size_t n0 = b.entries.n;
        int moved = 0;
        if (!refused && p.nnew && diag_errors(&dl) == 0)
            import_plan_commit(&b, &p, cli_user(ctx), now, &dl);
        if (!refused && through != DATE_NONE && diag_errors(&dl) == 0) {
            /* The extract completes the outcome through that date. */
            char *src = mem_printf("import %s", s->base);
            moved = book_reported_advance(&b, through, src, cli_user(ctx),
                                          now, &dl) == 1;
            free(src);
        }
        rc = cli_report(ctx, &dl); /* says when the date moved */
        if (refused)
            rc = EXIT_DATA;
        if (rc == EXIT_OKAY && p.nnew) {
            const book_entry *a = &b.entries.v[n0];
            const book_entry *z = &b.entries.v[b.entries.n - 1];
            fprintf(ctx->out, "Importerade %zu verifikationer: %d:%d–%d:%d.\n",
                    p.nnew, a->year, a->ver, z->year, z->ver);
        } else if (rc == EXIT_OKAY && !moved) {
            fprintf(ctx->out, "Inget nytt att importera; boken är "
                              "oförändrad.\n");
        } else if (rc == EXIT_OKAY) {
            fprintf(ctx->out, "Inget nytt att importera.\n");
        }
    } else {
        rc = cli_report(ctx, &dl);
    }
    if (rc != EXIT_OKAY)
        fprintf(ctx->err, "samla import: inget importerades\n");
    import_plan_free(&p);
    diag_free(&dl);
    cli_unlock(&lock);
    book_free(&b);
    return rc;
}

int cmd_import(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"rules", required_argument, NULL, 'r'},
        {"format", required_argument, NULL, 'F'},
        {"dry-run", no_argument, NULL, 'n'},
        {"yes", no_argument, NULL, 'y'},
        {"allow-overlap", no_argument, NULL, 'O'},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, 'U'},
        {"reported-through", required_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *rules = NULL, *format = NULL, *through_s = NULL;
    int dry = 0, yes = 0, allow_overlap = 0, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:hy", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(import_help, ctx->out); return EXIT_OKAY;
        case 'r': rules = optarg; break;
        case 'F': format = optarg; break;
        case 'n': dry = 1; break;
        case 'y': yes = 1; break;
        case 'O': allow_overlap = 1; break;
        case 'f': ctx->book_dir = optarg; break;
        case 'U': ctx->user = optarg; break;
        case 'R': through_s = optarg; break;
        default: return cli_bad_option(ctx, "import", argv, "f:hy");
        }
    }
    date_t through = DATE_NONE;
    if (through_s) {
        period_t tp;
        const char *msg = NULL;
        if (period_parse(&tp, through_s, &msg) != 0)
            return cli_usage_error(ctx, "import",
                                   "--reported-through \"%s\": %s",
                                   through_s, msg ? msg : "ogiltig period");
        if (tp.to > date_today()) {
            char d[11];
            date_format(tp.to, d);
            return cli_usage_error(ctx, "import",
                                   "--reported-through %s har inte kommit "
                                   "än; utfallet kan inte vara komplett "
                                   "t.o.m. ett datum i framtiden",
                                   d);
        }
        through = tp.to;
    }
    if (optind != argc - 1)
        return cli_usage_error(ctx, "import", "ange en fil att importera");
    if (!rules)
        return cli_usage_error(ctx, "import", "--rules REGLER.csv krävs");
    import_format fmt = IMPORT_FMT_AUTO;
    if (format && !strcmp(format, "sie"))
        fmt = IMPORT_FMT_SIE;
    else if (format && !strcmp(format, "csv"))
        fmt = IMPORT_FMT_CSV;
    else if (format)
        return cli_usage_error(ctx, "import", "--format ska vara csv eller sie");
    else if (sie_sniff_file(argv[optind]))
        fmt = IMPORT_FMT_SIE;
    diag_list dl;
    diag_init(&dl);
    import_rules r;
    import_source s;
    memset(&s, 0, sizeof s);
    int rc = EXIT_DATA;
    if (import_rules_read_as(&r, rules, fmt, &dl) != SAMLA_OK ||
        import_source_read(&s, &r, argv[optind], &dl) != SAMLA_OK) {
        cli_report(ctx, &dl);
        fprintf(ctx->err, "samla import: inget importerades\n");
        goto done;
    }
    cli_report(ctx, &dl); /* notes, e.g. a Windows-1252 file converted */
    diag_free(&dl);
    diag_init(&dl);
    if (yes && !dry) {
        rc = save(ctx, &r, &s, (size_t)-1, through, allow_overlap);
        goto done;
    }
    {
        book b;
        import_plan p;
        memset(&p, 0, sizeof p);
        rc = cli_load(ctx, &b);
        if (rc == EXIT_OKAY) {
            if (import_plan_build(&b, &r, &s, &p, &dl) != SAMLA_OK) {
                cli_report(ctx, &dl);
                fprintf(ctx->err, "samla import: inget importerades\n");
                rc = EXIT_DATA;
            } else {
                cli_report(ctx, &dl);
                print_plan(ctx, &b, &r, &s, &p);
                overlap_list ov;
                overlap_list_init(&ov);
                plan_overlaps(&b, &p, &ov);
                if (cmd_overlap_gate(ctx, &b, &ov, allow_overlap, dry) != 0) {
                    fprintf(ctx->err, "samla import: inget importerades\n");
                    rc = EXIT_DATA;
                }
                overlap_list_free(&ov);
            }
        }
        size_t nnew = p.nnew;
        import_plan_free(&p);
        book_free(&b);
        if (rc != EXIT_OKAY)
            goto done;
        if (dry) {
            fprintf(ctx->out, "Torrkörning: inget sparades.\n");
            goto done;
        }
        if (nnew == 0) {
            if (through == DATE_NONE)
                fprintf(ctx->out, "Inget nytt att importera; boken är "
                                  "oförändrad.\n");
            else /* only the reported-through date may move */
                rc = save(ctx, &r, &s, 0, through, allow_overlap);
            goto done;
        }
        char prompt[96];
        snprintf(prompt, sizeof prompt, "Importera %zu %s? [j/N] ", nnew,
                 nnew == 1 ? "rad" : "rader");
        if (!ui_ask_yes(ctx->out, prompt)) {
            fprintf(ctx->out, "Inget importerades.\n");
            rc = EXIT_DATA;
            goto done;
        }
        rc = save(ctx, &r, &s, nnew, through, allow_overlap);
    }
done:
    diag_free(&dl);
    import_source_free(&s);
    import_rules_free(&r);
    return rc;
}
