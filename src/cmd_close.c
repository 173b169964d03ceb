/*
 * cmd_close - the year close: `samla close YEAR` and `samla reopen YEAR`.
 *
 * A close shows the year's figures, asks, and then records a `stängt` row
 * in bokslut.csv: the result carried into the accumulated surplus, the
 * closing surplus, the number of vouchers and a SHA-256. Before that row,
 * book_append_close writes the year's manifest bokslut-YYYY.csv with the
 * SHA-256 of every voucher, earmark decision and budget line of the year
 * and of the close's figures, so that `samla check` can name each one that
 * is changed, added or removed by hand afterwards (manifest.h); the row's
 * Kontrollsumma is the manifest's own SHA-256, which the close prints for
 * the minutes (`samla check --digest YEAR=HEX`). The close is recorded only
 * by the bokslut.csv row, written last: a crash before it leaves the year
 * open. A closed year takes no new entries (check_new_entries).
 *
 * Rules (docs/user-guide.md, "Bokslut"):
 *   - only a year that has ended, and not one before the book's start;
 *   - the book must have no errors (it does not load otherwise);
 *   - the previous year must be closed first, since this year's opening
 *     surplus is that year's closing one (refused, not just warned: a
 *     closed year whose opening can still move would not be final);
 *   - a reopening needs a reason and is refused while a later year is
 *     closed, for the same reason.
 *
 * The question is asked before the book is locked, so a person thinking
 * about it does not block other writers; after the answer the book is
 * locked, read again, and the close goes ahead only if the year is still
 * exactly what was shown.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "text.h"
#include "check.h"
#include "csvio.h"
#include "manifest.h"
#include "cmd.h"
#include "uiutil.h"

/* How the values of a close row are named in messages. */
static const char *const close_labels[SCHEMA_CL_N] = {
    [SCHEMA_CL_USER] = "--user", [SCHEMA_CL_REASON] = "--reason"};
static const book_origin close_origin = {NULL, 0, close_labels};

static const char close_help[] =
    "Användning: samla close ÅR [--yes]\n"
    "Årsbokslut: visar årets intäkter, kostnader och resultat, ingående och\n"
    "utgående ackumulerat överskott, och frågar \"Stäng år ÅR? [j/N]\".\n"
    "Vid ja förs resultatet över till det ackumulerade överskottet och året\n"
    "låses: inget kan längre bokföras i det, och 'samla check' upptäcker och\n"
    "namnger varje verifikation som ändras, läggs till eller tas bort för\n"
    "hand. Året måste vara slut, boken fri från fel och föregående år\n"
    "stängt.\n"
    "  --yes      stäng utan att fråga (för skript)\n"
    "  -f MAPP    boken; --user NAMN  vem som stänger\n";

static const char reopen_help[] =
    "Användning: samla reopen ÅR --reason TEXT [--yes]\n"
    "Återöppnar ett stängt år, t.ex. för att rätta ett fel som upptäckts\n"
    "efter bokslutet. Återöppningen sparas med motivering, tid och användare\n"
    "i bokslut.csv. När året stängs igen beräknas nya kontrollsummor.\n"
    "Ett senare stängt år måste återöppnas först.\n"
    "  --reason   motivering (krävs)\n"
    "  --yes      återöppna utan att fråga (för skript)\n"
    "  -f MAPP    boken; --user NAMN  vem som återöppnar\n";

/* The year's figures, as shown and as recorded. */
typedef struct {
    dec_t income, cost, result, opening, closing, reserved, grants, free_;
    long count;
    char hash[65]; /* of the year's manifest: detects a change while asking */
} year_figures;

static void figures_init(year_figures *f)
{
    dec_init(&f->income);
    dec_init(&f->cost);
    dec_init(&f->result);
    dec_init(&f->opening);
    dec_init(&f->closing);
    dec_init(&f->reserved);
    dec_init(&f->grants);
    dec_init(&f->free_);
}

static void figures_clear(year_figures *f)
{
    dec_clear(&f->income);
    dec_clear(&f->cost);
    dec_clear(&f->result);
    dec_clear(&f->opening);
    dec_clear(&f->closing);
    dec_clear(&f->reserved);
    dec_clear(&f->grants);
    dec_clear(&f->free_);
}

static void figures_compute(const book *b, int year, year_figures *f)
{
    date_t first = date_make(year, 1, 1), last = date_make(year, 12, 31);
    calc_result(b, first, last, &f->income, &f->cost);
    dec_sub(&f->result, &f->income, &f->cost);
    calc_surplus_at(b, first - 1, &f->opening);
    calc_surplus_at(b, last, &f->closing);
    calc_earmarked_split_at(b, last, &f->reserved, &f->grants);
    calc_free_at(b, last, &f->free_);
    /* The manifest as it would be written now: a change to anything the
     * close covers, while the question waited, changes its hash. */
    csvio_out m;
    manifest_build(b, year, &f->result, &f->closing, &m, &f->count);
    manifest_sha256_hex(m.buf, m.len, f->hash);
    csvio_out_free(&m);
}

static void line(FILE *out, const char *label, const dec_t *v)
{
    char *s = dec_format(v, DEC_KR, 2, DEC_FMT_UNIT);
    fputs("  ", out);
    ui_pad(out, label, 36, 0);
    ui_pad(out, s, 20, 1);
    fputc('\n', out);
    free(s);
}

static void figures_print(FILE *out, const book *b, int year,
                          const year_figures *f)
{
    fprintf(out, "Bokslut %d för %s\n", year, b->name);
    char n[24];
    snprintf(n, sizeof n, "%ld", f->count);
    fputs("  ", out);
    ui_pad(out, "Verifikationer", 36, 0);
    ui_pad(out, n, 20, 1);
    fputc('\n', out);
    line(out, "Intäkter", &f->income);
    line(out, "Kostnader", &f->cost);
    line(out, "Årets resultat", &f->result);
    line(out, "Ingående ackumulerat överskott", &f->opening);
    line(out, "Utgående ackumulerat överskott", &f->closing);
    line(out, "  varav öronmärkt (beslut)", &f->reserved);
    if (!dec_is_zero(&f->grants))
        line(out, "  varav bundna bidrag", &f->grants);
    line(out, "  varav ej öronmärkt", &f->free_);
}

/* Parse "2025". Returns the year, or 0. */
static int parse_year(const char *s)
{
    if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
        return 0;
    int y = atoi(s);
    return y >= 1900 && y <= 9999 ? y : 0;
}

/* May `year` be closed now? Prints why not and returns -1. */
static int close_allowed(cli_ctx *ctx, const book *b, int year)
{
    int today = date_year(date_today());
    int start = b->start != DATE_NONE ? date_year(b->start) : year;
    if (book_year_closed(b, year) >= 0) {
        const book_close *c = &b->closes.v[book_year_closed(b, year)];
        char *who = text_term(c->user);
        fprintf(ctx->err, "samla close: år %d är redan stängt (%.10s av "
                          "%s)\n",
                year, c->registered, who);
        free(who);
        return -1;
    }
    if (year >= today) {
        fprintf(ctx->err, "samla close: år %d är inte slut än (i dag är det "
                          "%d); bara ett avslutat år kan stängas\n",
                year, today);
        return -1;
    }
    if (year < start) {
        fprintf(ctx->err, "samla close: boken börjar %d; år %d finns inte i "
                          "den\n",
                start, year);
        return -1;
    }
    if (year > start && book_year_closed(b, year - 1) < 0) {
        fprintf(ctx->err, "samla close: år %d är inte stängt; stäng det "
                          "först ('samla close %d'), eftersom dess utgående "
                          "överskott är %d års ingående\n",
                year - 1, year - 1, year);
        return -1;
    }
    return 0;
}

/* What close and reopen are asked to do. */
typedef struct {
    int year;
    int yes;            /* --yes: no question */
    const char *reason; /* reopen's --reason */
} year_request;

enum { GO_ON = -1 };

/* The options of reopen; close takes the same but --reason (the table
 * from its second entry). */
static const struct option year_opts[] = {
    {"reason", required_argument, NULL, 'r'},
    {"yes", no_argument, NULL, 'y'},
    {"book", required_argument, NULL, 'f'},
    {"user", required_argument, NULL, 'U'},
    {"help", no_argument, NULL, 'h'},
    {0, 0, 0, 0}};

/* The options and the year of close and reopen (with_reason: reopen's
 * --reason too); no_year is the usage error without a year. Returns
 * GO_ON, or the exit code to give after the help or a usage error. */
static int read_request(cli_ctx *ctx, const char *cmd, const char *help,
                        int with_reason, const char *no_year, int argc,
                        char **argv, year_request *rq)
{
    const struct option *opts = with_reason ? year_opts : year_opts + 1;
    memset(rq, 0, sizeof *rq);
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:hy", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(help, ctx->out);
            return EXIT_OKAY;
        } else if (c == 'r')
            rq->reason = optarg;
        else if (c == 'y')
            rq->yes = 1;
        else if (c == 'f')
            ctx->book_dir = optarg;
        else if (c == 'U')
            ctx->user = optarg;
        else
            return cli_bad_option(ctx, cmd, argv, "f:hy");
    }
    rq->year = optind == argc - 1 ? parse_year(argv[optind]) : 0;
    if (!rq->year)
        return cli_usage_error(ctx, cmd, "%s", no_year);
    return GO_ON;
}

/* Load the book (under the lock when lock is not NULL) and see that the
 * year may be closed or reopened (allowed prints why not). Returns the
 * exit code; b is freed by the caller either way. */
static int load_year(cli_ctx *ctx, book *b, store_lock *lock, int year,
                     int (*allowed)(cli_ctx *, const book *, int))
{
    int rc = lock ? cli_load_locked(ctx, b, lock) : cli_load(ctx, b);
    if (rc == EXIT_OKAY && allowed(ctx, b, year) != 0)
        rc = EXIT_DATA;
    return rc;
}

/* "VERB år YEAR? [j/N]": the answer, or why nothing was done. Returns 0
 * to go on, else the exit code. */
static int ask(cli_ctx *ctx, const char *cmd, const char *verb, int year)
{
    char question[64];
    snprintf(question, sizeof question, "%s år %d? [j/N] ", verb, year);
    int r = ui_confirm(ctx->out, question);
    if (r == 1)
        return 0;
    if (r < 0)
        fprintf(ctx->err, "samla %s: inget svar (indata tog slut); ange "
                          "--yes för att köra utan fråga. Inget sparades.\n",
                cmd);
    else
        fprintf(ctx->out, "Avbrutet; inget sparades.\n");
    return EXIT_DATA;
}

/* Save a row of bokslut.csv (a close or a reopening, its figures set by
 * the caller), registered now by the user; the exit code. The one way
 * close and reopen write. */
static int append_close(cli_ctx *ctx, book *b, book_close *row)
{
    char stamp[32];
    date_now_utc(stamp, sizeof stamp);
    row->registered = stamp;
    row->user = cli_user(ctx);
    diag_list dl;
    diag_init(&dl);
    book_append_close(b, row, &close_origin, &dl);
    int rc = cli_report(ctx, &dl);
    diag_free(&dl);
    row->registered = NULL; /* stamp ends here */
    return rc;
}

int cmd_close(cli_ctx *ctx, int argc, char **argv)
{
    year_request rq;
    int rc = read_request(ctx, "close", close_help, 0,
                          "ange året som ska stängas, t.ex. 2025", argc,
                          argv, &rq);
    if (rc != GO_ON)
        return rc;
    int year = rq.year, yes = rq.yes;
    book b;
    year_figures shown, now;
    figures_init(&shown);
    figures_init(&now);
    store_lock lock = STORE_LOCK_NONE;
    if (!yes) {
        /* Show and ask without holding the lock. */
        rc = load_year(ctx, &b, NULL, year, close_allowed);
        if (rc == EXIT_OKAY) {
            figures_compute(&b, year, &shown);
            figures_print(ctx->out, &b, year, &shown);
            fprintf(ctx->out, "Efter bokslutet kan inget bokföras i %d, och "
                              "ändringar i årets verifikationer upptäcks.\n",
                    year);
            rc = ask(ctx, "close", "Stäng", year);
        }
        book_free(&b);
        if (rc != EXIT_OKAY)
            goto out;
    }
    rc = load_year(ctx, &b, &lock, year, close_allowed);
    if (rc == EXIT_OKAY) {
        figures_compute(&b, year, &now);
        if (!yes && (strcmp(now.hash, shown.hash) != 0 ||
                     dec_cmp(&now.closing, &shown.closing) != 0)) {
            fprintf(ctx->err, "samla close: boken ändrades medan frågan "
                              "väntade på svar; inget sparades. Kör 'samla "
                              "close %d' igen.\n",
                    year);
            rc = EXIT_DATA;
        }
    }
    if (rc == EXIT_OKAY) {
        if (yes)
            figures_print(ctx->out, &b, year, &now);
        book_close row;
        memset(&row, 0, sizeof row);
        row.year = year;
        row.closed = 1;
        row.result = now.result;
        row.closing = now.closing;
        row.reason = "";
        rc = append_close(ctx, &b, &row);
        if (rc == EXIT_OKAY) {
            const book_close *nc = &b.closes.v[b.closes.n - 1];
            char *r = dec_format(&now.result, DEC_KR, 2, DEC_FMT_UNIT);
            char *s = dec_format(&now.closing, DEC_KR, 2, DEC_FMT_UNIT);
            char name[32];
            manifest_name(year, name, sizeof name);
            size_t ndec = 0, nbud = 0;
            for (size_t i = 0; i < b.decisions.n; i++)
                ndec += b.decisions.v[i].date != DATE_NONE &&
                        date_year(b.decisions.v[i].date) == year;
            for (size_t i = 0; i < b.budget.n; i++)
                nbud += b.budget.v[i].year == year;
            fprintf(ctx->out,
                    "År %d är stängt. Årets resultat %s är fört till det "
                    "ackumulerade överskottet, som är %s vid årets slut.\n"
                    "%ld verifikationer, %zu öronmärkningsbeslut och %zu "
                    "budgetrader daterade %d har sina kontrollsummor i %s.\n"
                    "Kontrollsumma att skriva in i protokollet från "
                    "bokslutet:\n"
                    "  %d=%s\n"
                    "Kontrollera senare att året är oförändrat med 'samla "
                    "check --digest %d=%s'.\n",
                    year, r, s, nc->count, ndec, nbud, year, name, year,
                    nc->hash, year, nc->hash);
            free(r);
            free(s);
        }
    }
    if (rc != EXIT_OKAY)
        fprintf(ctx->err, "samla close: inget sparades\n");
    cli_unlock(&lock);
    book_free(&b);
out:
    figures_clear(&shown);
    figures_clear(&now);
    return rc;
}

/* May `year` be reopened? Prints why not and returns -1. */
static int reopen_allowed(cli_ctx *ctx, const book *b, int year)
{
    if (book_year_closed(b, year) < 0) {
        fprintf(ctx->err, "samla reopen: år %d är inte stängt\n", year);
        return -1;
    }
    for (size_t i = 0; i < b->closes.n; i++) {
        int y = b->closes.v[i].year;
        if (y > year && book_year_closed(b, y) >= 0) {
            fprintf(ctx->err, "samla reopen: år %d är stängt; återöppna det "
                              "först, eftersom dess ingående överskott "
                              "bygger på år %d\n",
                    y, year);
            return -1;
        }
    }
    return 0;
}

int cmd_reopen(cli_ctx *ctx, int argc, char **argv)
{
    year_request rq;
    int rc = read_request(ctx, "reopen", reopen_help, 1,
                          "ange året som ska återöppnas, t.ex. 2025", argc,
                          argv, &rq);
    if (rc != GO_ON)
        return rc;
    int year = rq.year;
    const char *reason = rq.reason;
    size_t skip = reason ? strspn(reason, " \t") : 0;
    if (!reason || !reason[skip])
        return cli_usage_error(ctx, "reopen", "--reason krävs: varför "
                                              "återöppnas året?");
    book b;
    store_lock lock = STORE_LOCK_NONE;
    if (!rq.yes) {
        rc = load_year(ctx, &b, NULL, year, reopen_allowed);
        if (rc == EXIT_OKAY) {
            const book_close *cl = &b.closes.v[book_year_closed(&b, year)];
            /* The user and the reason as a terminal may show them. */
            char *who = text_term(cl->user), *why = text_term(reason);
            fprintf(ctx->out, "År %d stängdes %.10s av %s. Efter "
                              "återöppningen kan det bokföras i året igen;\n"
                              "motivering: %s\n",
                    year, cl->registered, who, why);
            free(who);
            free(why);
            rc = ask(ctx, "reopen", "Återöppna", year);
        }
        book_free(&b);
        if (rc != EXIT_OKAY)
            return rc;
    }
    rc = load_year(ctx, &b, &lock, year, reopen_allowed);
    if (rc == EXIT_OKAY) {
        year_figures f;
        figures_init(&f);
        figures_compute(&b, year, &f);
        const book_close *cl = &b.closes.v[book_year_closed(&b, year)];
        book_close row;
        memset(&row, 0, sizeof row);
        row.year = year;
        row.closed = 0;
        row.result = f.result;
        row.closing = f.closing;
        row.count = f.count;
        /* The checksum of the close being reopened, naming it. */
        row.hash = cl->hash;
        /* Stored as given: a leading tab is refused by the Motivering
         * column's rules (naming --reason), not silently dropped. */
        row.reason = reason;
        rc = append_close(ctx, &b, &row);
        if (rc == EXIT_OKAY) {
            char *why = text_term(reason);
            fprintf(ctx->out, "År %d är återöppnat (motivering: %s). Stäng "
                              "det igen med 'samla close %d' när rättelsen "
                              "är gjord.\n",
                    year, why, year);
            free(why);
        }
        figures_clear(&f);
    }
    if (rc != EXIT_OKAY)
        fprintf(ctx->err, "samla reopen: inget sparades\n");
    cli_unlock(&lock);
    book_free(&b);
    return rc;
}
