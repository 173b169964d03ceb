/*
 * cmd_ledger - the journal's commands: init, add, reverse, check, list.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "mem.h"
#include "check.h"
#include "manifest.h"
#include "cmd.h"
#include "schema.h"
#include "text.h"
#include "uiutil.h"

/* -f and --user are accepted after the command too. */
#define COMMON_OPTS {"book", required_argument, NULL, 'f'}, \
                    {"user", required_argument, NULL, 'U'}, \
                    {"help", no_argument, NULL, 'h'}

static int common_opt(cli_ctx *ctx, int c, const char *arg)
{
    if (c == 'f')
        ctx->book_dir = arg;
    else if (c == 'U')
        ctx->user = arg;
    else
        return 0;
    return 1;
}

/* ---- init ------------------------------------------------------------ */

static const char init_help[] =
    "Användning: samla init MAPP --name NAMN [--short KORTNAMN]\n"
    "                  [--start DATUM] [--opening BELOPP]\n"
    "Skapar en ny, tom bok i MAPP (som inte får finnas).\n"
    "  --name      organisationens namn\n"
    "  --short     kortnamn\n"
    "  --start     bokens startdatum (standard: 1 januari i år)\n"
    "  --opening   ingående ackumulerat överskott (standard 0)\n";

int cmd_init(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"name", required_argument, NULL, 'n'},
        {"short", required_argument, NULL, 's'},
        {"start", required_argument, NULL, 'd'},
        {"opening", required_argument, NULL, 'o'},
        COMMON_OPTS, {0, 0, 0, 0}};
    const char *name = NULL, *shortn = "", *start = NULL, *opening = "0";
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(init_help, ctx->out);
            return EXIT_OKAY;
        } else if (c == 'n')
            name = optarg;
        else if (c == 's')
            shortn = optarg;
        else if (c == 'd')
            start = optarg;
        else if (c == 'o')
            opening = optarg;
        else if (!common_opt(ctx, c, optarg))
            return cli_bad_option(ctx, "init", argv, "f:h");
    }
    if (optind != argc - 1)
        return cli_usage_error(ctx, "init", "ange en mapp för den nya boken");
    if (!name)
        return cli_usage_error(ctx, "init", "--name saknas");
    date_t d;
    if (start) {
        if (cli_date(ctx, "--start", start, &d) != 0)
            return EXIT_USAGE;
    } else {
        d = date_make(date_year(date_today()), 1, 1);
    }
    dec_t open;
    dec_init(&open);
    int rc = EXIT_USAGE;
    if (cli_amount(ctx, "--opening", opening, &open) == 0) {
        diag_list dl;
        diag_init(&dl);
        static const char *const labels[SCHEMA_ORG_N] = {
            [SCHEMA_ORG_NAME] = "--name", [SCHEMA_ORG_SHORT] = "--short"};
        book_origin origin = {NULL, 0, labels};
        int r = book_create(argv[optind], name, shortn, d, &open, &origin,
                            &dl);
        rc = cli_report(ctx, &dl);
        if (r == SAMLA_EUSAGE)
            rc = EXIT_USAGE;
        else if (r != SAMLA_OK)
            rc = EXIT_DATA;
        else
            fprintf(ctx->out, "Skapade boken %s.\n", argv[optind]);
        diag_free(&dl);
    }
    dec_clear(&open);
    return rc;
}

/* ---- add ------------------------------------------------------------- */

static const char add_help[] =
    "Användning: samla add --account KONTO --amount BELOPP --text TEXT\n"
    "                 [--date DATUM] [--activity KOD] [--funder KOD]\n"
    "                 [--earmark KOD] [--doc UNDERLAG]\n"
    "Bokför en verifikation med nästa lediga nummer för året.\n"
    "  --date      händelsens datum, ÅÅÅÅ-MM-DD (standard: i dag)\n"
    "  --account   konto (intäkt eller kostnad)\n"
    "  --activity  verksamhet (krävs för kostnader)\n"
    "  --funder    finansiär (krävs för intäkter; på en kostnad bara en kommun:\n"
    "              kommunens andel eller egen kostnad)\n"
    "  --earmark   öronmärkning som posten drar av på / tillför\n"
    "  --amount    belopp: 1 234,50, 1234.50, -500, 1 234 kr ...\n"
    "  --text      vad posten avser\n"
    "  --doc       hänvisning till underlaget (fakturanummer, beslut)\n"
    "  -f MAPP     boken; --user NAMN  vem som bokför\n";

/* How the values of an entry are named in messages. */
static const char *const entry_labels[SCHEMA_JE_N] = {
    [SCHEMA_JE_TEXT] = "--text", [SCHEMA_JE_DOC] = "--doc",
    [SCHEMA_JE_USER] = "--user"};

/* Resolve a code given as an option; prints the error with the codes
 * the user may have meant. */
static int lookup(cli_ctx *ctx, const book *b, int idx, book_code_kind kind,
                  const char *code)
{
    static const char *const what[] = {"okänd finansiär", "okänt konto",
                                       "okänd verksamhet",
                                       "okänd öronmärkning"};
    char hint[160];
    if (idx < 0) {
        /* The code as typed, safe for a terminal (text_term). */
        char *shown = text_term(code);
        fprintf(ctx->err, "samla: %s \"%s\"%s\n", what[kind], shown,
                book_code_hint(b, kind, code, hint, sizeof hint));
        free(shown);
    }
    return idx;
}

int cmd_add(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},
        {"account", required_argument, NULL, 'a'},
        {"activity", required_argument, NULL, 'v'},
        {"funder", required_argument, NULL, 'F'},
        {"earmark", required_argument, NULL, 'e'},
        {"amount", required_argument, NULL, 'm'},
        {"text", required_argument, NULL, 't'},
        {"doc", required_argument, NULL, 'D'},
        COMMON_OPTS, {0, 0, 0, 0}};
    const char *date = NULL, *account = NULL, *activity = NULL,
               *funder = NULL, *earmark = NULL, *amount = NULL, *text = NULL,
               *doc = "";
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(add_help, ctx->out); return EXIT_OKAY;
        case 'd': date = optarg; break;
        case 'a': account = optarg; break;
        case 'v': activity = optarg; break;
        case 'F': funder = optarg; break;
        case 'e': earmark = optarg; break;
        case 'm': amount = optarg; break;
        case 't': text = optarg; break;
        case 'D': doc = optarg; break;
        default:
            if (!common_opt(ctx, c, optarg))
                return cli_bad_option(ctx, "add", argv, "f:h");
        }
    }
    if (optind != argc)
        return cli_usage_error(ctx, "add", "oväntat argument \"%s\"",
                               argv[optind]);
    if (!account || !amount || !text) {
        /* Name what is missing, not every required option. */
        const char *miss[3];
        int n = 0;
        if (!account)
            miss[n++] = "--account";
        if (!amount)
            miss[n++] = "--amount";
        if (!text)
            miss[n++] = "--text";
        return cli_usage_error(ctx, "add", "%s%s%s%s%s saknas (--account, "
                               "--amount och --text krävs)", miss[0],
                               n > 1 ? (n > 2 ? ", " : " och ") : "",
                               n > 1 ? miss[1] : "",
                               n > 2 ? " och " : "", n > 2 ? miss[2] : "");
    }
    /* Check the arguments before touching the book. */
    book_entry e;
    memset(&e, 0, sizeof e);
    dec_init(&e.amount);
    if (cli_amount(ctx, "--amount", amount, &e.amount) != 0 ||
        cli_date(ctx, "--date", date, &e.date) != 0) {
        dec_clear(&e.amount);
        return EXIT_DATA;
    }
    book b;
    store_lock lock;
    int rc = cli_load_locked(ctx, &b, &lock);
    if (rc == EXIT_OKAY) {
        e.account = lookup(ctx, &b, book_account_find(&b, account),
                           BOOK_CODE_ACCOUNT, account);
        e.activity = activity ? lookup(ctx, &b, book_activity_find(&b, activity),
                                       BOOK_CODE_ACTIVITY, activity)
                              : -1;
        e.funder = funder ? lookup(ctx, &b, book_funder_find(&b, funder),
                                   BOOK_CODE_FUNDER, funder)
                          : -1;
        e.earmark = earmark ? lookup(ctx, &b, book_earmark_find(&b, earmark),
                                     BOOK_CODE_EARMARK, earmark)
                            : -1;
        if (e.account < 0 || (activity && e.activity < 0) ||
            (funder && e.funder < 0) || (earmark && e.earmark < 0)) {
            rc = EXIT_DATA;
        } else {
            char now[32];
            date_now_utc(now, sizeof now);
            e.year = date_year(e.date);
            e.ver = book_next_ver(&b, e.year);
            e.text = text;
            e.doc = doc;
            e.registered = now;
            e.user = cli_user(ctx);
            e.source = "add";
            e.fingerprint = "";
            diag_list dl;
            diag_init(&dl);
            book_origin origin = {NULL, 0, entry_labels};
            book_append_entries(&b, &e, 1, &origin, &dl);
            rc = cli_report(ctx, &dl);
            diag_free(&dl);
            if (rc == EXIT_OKAY) {
                char *s = dec_format(&e.amount, DEC_KR, 2, DEC_FMT_UNIT);
                char d[11];
                date_format(e.date, d);
                fprintf(ctx->out, "Sparade verifikation %d:%d  %s  %s  ",
                        e.year, e.ver, d, s);
                text_term_put(ctx->out, text);
                fputc('\n', ctx->out);
                free(s);
            } else {
                fprintf(ctx->err, "samla add: inget sparades\n");
            }
        }
        cli_unlock(&lock);
    }
    dec_clear(&e.amount);
    book_free(&b);
    return rc;
}

/* ---- reverse ----------------------------------------------------------- */

static const char reverse_help[] =
    "Användning: samla reverse ÅR:NUMMER [--date DATUM] [--text TEXT] [--yes]\n"
    "Rättar en verifikation genom en ny, omvänd post som hänvisar till den.\n"
    "Inget redigeras eller tas bort. Rättelsen bokförs det datum felet\n"
    "upptäcktes (standard: i dag), aldrig i ett stängt år.\n"
    "Rättelsen visas och bokförs först när du svarar j. Svaret läses från\n"
    "standard in (terminal eller rör); utan svar bokförs inget.\n"
    "  --yes       fråga inte (för skript)\n";

/* The reversal of voucher year:ver on book b, or an error (printed).
 * Returns 0 and fills *e (its amount initialised; strings borrowed from b
 * or buf), else the exit code. */
/* "Rättelse av 2025:3: <text>" into buf, within the Text column's limit: a
 * long original text is cut on a character boundary and ends with "…".
 * size: room for the limit's characters of four bytes each. */
static void correction_text(char *buf, size_t size, int year, int ver,
                            const char *orig)
{
    char head[64];
    snprintf(head, sizeof head, "Rättelse av %d:%d: ", year, ver);
    size_t max = schema_journal.cols[SCHEMA_JE_TEXT].max;
    size_t room = max - text_chars(head, strlen(head));
    size_t keep = text_prefix_bytes(orig, room);
    int cut = orig[keep] != '\0';
    if (cut) /* room for the ellipsis */
        keep = text_prefix_bytes(orig, room - 1);
    snprintf(buf, size, "%s%.*s%s", head, (int)keep, orig, cut ? "…" : "");
}

static int reversal(cli_ctx *ctx, const book *b, int year, int ver,
                    date_t when, const char *text, char *buf, size_t size,
                    book_entry *e)
{
    long i = book_entry_find(b, year, ver);
    if (i < 0) {
        fprintf(ctx->err, "samla reverse: verifikation %d:%d finns inte\n",
                year, ver);
        return EXIT_DATA;
    }
    for (size_t j = 0; j < b->entries.n; j++)
        if (b->entries.v[j].corr_year == year &&
            b->entries.v[j].corr_ver == ver) {
            fprintf(ctx->err, "samla reverse: %d:%d är redan rättad av %d:%d\n",
                    year, ver, b->entries.v[j].year, b->entries.v[j].ver);
            return EXIT_DATA;
        }
    const book_entry *o = &b->entries.v[i];
    *e = *o;
    correction_text(buf, size, year, ver, o->text);
    dec_init(&e->amount);
    dec_neg(&e->amount, &o->amount);
    e->date = when;
    e->year = date_year(when);
    e->ver = book_next_ver(b, e->year);
    e->text = text ? text : buf;
    e->doc = o->doc;
    e->corr_year = year;
    e->corr_ver = ver;
    e->source = "reverse";
    e->fingerprint = "";
    e->line = 0;
    return EXIT_OKAY;
}

/* One entry as a line of the journal's list: voucher, date, account,
 * activity or funder, earmark, amount, text. */
static void print_entry(FILE *out, const book *b, const char *label,
                        const book_entry *e)
{
    char d[11];
    date_format(e->date, d);
    char *a = dec_format(&e->amount, DEC_KR, 2, DEC_FMT_UNIT);
    fputs("  ", out);
    ui_pad(out, label, 8, 0);
    fprintf(out, "%d:%d  %s  konto %s", e->year, e->ver, d,
            b->accounts.v[e->account].number);
    if (e->activity >= 0)
        fprintf(out, "  %s", b->activities.v[e->activity].code);
    if (e->funder >= 0)
        fprintf(out, "  %s", b->funders.v[e->funder].code);
    if (e->earmark >= 0)
        fprintf(out, "  %s", b->earmarks.v[e->earmark].code);
    fprintf(out, "  %s  ", a);
    text_term_put(out, e->text);
    fputc('\n', out);
    free(a);
}

int cmd_reverse(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"date", required_argument, NULL, 'd'},
        {"text", required_argument, NULL, 't'},
        {"yes", no_argument, NULL, 'y'},
        COMMON_OPTS, {0, 0, 0, 0}};
    const char *date = NULL, *text = NULL;
    int yes = 0, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:hy", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(reverse_help, ctx->out);
            return EXIT_OKAY;
        } else if (c == 'd')
            date = optarg;
        else if (c == 't')
            text = optarg;
        else if (c == 'y')
            yes = 1;
        else if (!common_opt(ctx, c, optarg))
            return cli_bad_option(ctx, "reverse", argv, "f:h");
    }
    int year, ver;
    if (optind != argc - 1 || book_parse_voucher(argv[optind], &year, &ver))
        return cli_usage_error(ctx, "reverse",
                               "ange verifikationen som ÅR:NUMMER, t.ex. "
                               "2025:17");
    date_t when;
    if (cli_date(ctx, "--date", date, &when) != 0)
        return EXIT_DATA;
    char buf[4 * 500 + 64], now[32]; /* the Text limit, in bytes */
    book_entry e;
    int rc;
    if (!yes) {
        /* Show what will be booked and ask, on the book read without the
         * lock: the answer may take a while, and nobody else should wait
         * for it. The save below reads the book again under the lock. */
        book b;
        rc = cli_load(ctx, &b);
        if (rc == EXIT_OKAY)
            rc = reversal(ctx, &b, year, ver, when, text, buf, sizeof buf, &e);
        if (rc == EXIT_OKAY) {
            /* What the save would refuse (a closed year) is said before
             * the question, not after the answer. */
            diag_list dl;
            diag_init(&dl);
            date_now_utc(now, sizeof now);
            e.registered = now;
            e.user = cli_user(ctx);
            check_new_entries(&b, &e, 1, &dl);
            if (cli_report(ctx, &dl) != EXIT_OKAY) {
                fprintf(ctx->err, "samla reverse: inget sparades\n");
                rc = EXIT_DATA;
                dec_clear(&e.amount);
            }
            diag_free(&dl);
        }
        if (rc == EXIT_OKAY) {
            fprintf(ctx->out, "Rättelse som bokförs (numret är preliminärt):\n");
            print_entry(ctx->out, &b, "rättar",
                        &b.entries.v[book_entry_find(&b, year, ver)]);
            print_entry(ctx->out, &b, "ny", &e);
            dec_clear(&e.amount);
            if (!ui_ask_yes(ctx->out, "Bokför rättelsen? [j/N] ")) {
                fprintf(ctx->out, "Inget bokfördes.%s\n",
                        ui_stdin_is_tty() ? ""
                                          : " (Utan terminal: svara j på "
                                            "standard in eller kör med --yes.)");
                rc = EXIT_DATA;
            }
        }
        book_free(&b);
        if (rc != EXIT_OKAY)
            return rc;
    }
    book b;
    store_lock lock;
    rc = cli_load_locked(ctx, &b, &lock);
    if (rc != EXIT_OKAY)
        return rc;
    rc = reversal(ctx, &b, year, ver, when, text, buf, sizeof buf, &e);
    if (rc == EXIT_OKAY) {
        date_now_utc(now, sizeof now);
        e.registered = now;
        e.user = cli_user(ctx);
        diag_list dl;
        diag_init(&dl);
        /* Underlag is the original's; Användare and the text are given. */
        static const char *const labels[SCHEMA_JE_N] = {
            [SCHEMA_JE_TEXT] = "--text", [SCHEMA_JE_USER] = "--user"};
        book_origin origin = {NULL, 0, labels};
        book_append_entries(&b, &e, 1, &origin, &dl);
        rc = cli_report(ctx, &dl);
        diag_free(&dl);
        if (rc == EXIT_OKAY)
            fprintf(ctx->out, "Sparade verifikation %d:%d som rättar %d:%d\n",
                    e.year, e.ver, year, ver);
        else
            fprintf(ctx->err, "samla reverse: inget sparades\n");
        dec_clear(&e.amount);
    }
    cli_unlock(&lock);
    book_free(&b);
    return rc;
}

/* ---- check ------------------------------------------------------------- */

static const char check_help[] =
    "Användning: samla check [-f MAPP] [--digest ÅR=KONTROLLSUMMA …]\n"
    "Läser hela boken och kontrollerar varje regel. Varje fel visas som\n"
    "fil:rad:kolumn: meddelande. Slutstatus 1 om något fel finns.\n"
    "  --digest ÅR=KONTROLLSUMMA  jämför ett stängt år med kontrollsumman\n"
    "             som skrevs in i protokollet vid bokslutet (samla close\n"
    "             skriver ut den); kan ges flera gånger\n";

/* Parse "2025=64 hex digits". Returns the year, or 0. */
static int parse_digest(const char *s, const char **hex)
{
    const char *eq = strchr(s, '=');
    if (!eq || eq - s != 4 || strspn(s, "0123456789") != 4)
        return 0;
    *hex = eq + 1;
    if (strlen(*hex) != 64 || strspn(*hex, "0123456789abcdefABCDEF") != 64)
        return 0;
    return atoi(s);
}

int cmd_check(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        COMMON_OPTS, {"digest", required_argument, NULL, 'D'}, {0, 0, 0, 0}};
    const char *digests[64];
    int ndigests = 0;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(check_help, ctx->out);
            return EXIT_OKAY;
        } else if (c == 'D') {
            const char *hex;
            if (!parse_digest(optarg, &hex))
                return cli_usage_error(ctx, "check",
                                       "--digest \"%s\": ange ÅR=KONTROLLSUMMA, "
                                       "t.ex. 2025= och 64 hexadecimala "
                                       "tecken",
                                       optarg);
            if (ndigests == (int)(sizeof digests / sizeof *digests))
                return cli_usage_error(ctx, "check", "för många --digest");
            digests[ndigests++] = optarg;
        } else if (!common_opt(ctx, c, optarg))
            return cli_bad_option(ctx, "check", argv, "f:h");
    }
    if (optind != argc)
        return cli_usage_error(ctx, "check", "oväntat argument \"%s\"",
                               argv[optind]);
    book b;
    int rc = cli_load(ctx, &b);
    if (rc == EXIT_OKAY) {
        /* The years compared with digests kept outside the book. */
        diag_list dl;
        diag_init(&dl);
        for (int i = 0; i < ndigests; i++) {
            const char *hex;
            int year = parse_digest(digests[i], &hex);
            if (manifest_verify_digest(&b, year, hex, &dl) == 0)
                fprintf(ctx->out,
                        "År %d stämmer med kontrollsumman i protokollet.\n",
                        year);
        }
        rc = cli_report(ctx, &dl);
        diag_free(&dl);
    }
    if (rc == EXIT_OKAY) {
        int y0 = 0, y1 = 0;
        for (size_t i = 0; i < b.entries.n; i++) {
            int y = b.entries.v[i].year;
            if (!y0 || y < y0)
                y0 = y;
            if (y > y1)
                y1 = y;
        }
        /* The last line says what was found, warnings included: "korrekt"
         * alone beside a warning would read as "nothing to look at". */
        if (ctx->warnings)
            fprintf(ctx->out, "%s: boken har inga fel men %zu %s (se ovan). "
                              "%zu verifikationer",
                    b.dir, ctx->warnings,
                    ctx->warnings == 1 ? "varning" : "varningar", b.entries.n);
        else
            fprintf(ctx->out, "%s: boken är korrekt. %zu verifikationer",
                    b.dir, b.entries.n);
        if (y0)
            fprintf(ctx->out, y0 == y1 ? " (%d)" : " (%d–%d)", y0, y1);
        fprintf(ctx->out, ", %zu finansiärer, %zu konton, %zu verksamheter, "
                          "%zu öronmärkningar.\n",
                b.funders.n, b.accounts.n, b.activities.n, b.earmarks.n);
    }
    book_free(&b);
    return rc;
}
