/*
 * cmd_comment - comments on the budget follow-up: `samla comment`.
 *
 *   samla comment ÅR RAD "TEXT" [--at PERIOD]   set or replace
 *   samla comment ÅR RAD --clear [--at PERIOD]  clear
 *   samla comment ÅR                            list those in force
 *
 * A comment belongs to a budget line (RAD as in `samla budget set`: CODE or
 * CODE/ACCOUNT) of a year, for the whole year or for one quarter, tertial
 * or month (--at). It is a row appended to kommentarer.csv through
 * book_append_comment (the reader's rules: UTF-8, no control characters
 * but line breaks, at most 1000 characters, stored formula-safe); the last
 * row of a key is in force, so earlier comments stay in the file as the
 * audit trail. The follow-up shows the comment in its Kommentar column
 * (report_budget, book_comment_at).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "budget_edit.h"
#include "cmd.h"
#include "schema.h"
#include "text.h"

static const char comment_help[] =
    "Användning: samla comment ÅR RAD TEXT [--at PERIOD] [--type TYP]\n"
    "       samla comment ÅR RAD --clear [--at PERIOD] [--type TYP]\n"
    "       samla comment ÅR\n"
    "Sätter, ersätter eller tar bort kommentaren på en rad i\n"
    "budgetuppföljningen (samla budget, budgetarbetsboken, webbsidan). RAD\n"
    "är en finansiärs kod (intäktsrad) eller en verksamhets kod\n"
    "(kostnadsrad), eventuellt med konto: PROC eller PROC/5010. Utan RAD\n"
    "visas årets kommentarer.\n"
    "Kommentarerna sparas i kommentarer.csv; en ny kommentar läggs till som\n"
    "en ny rad och de tidigare finns kvar i filen.\n"
    "  --at PERIOD  kommentaren gäller uppföljningen per ett kvartal\n"
    "               (2026Q3), tertial (2026T2) eller en månad (2026-03);\n"
    "               utan --at gäller den hela året. En periods kommentar\n"
    "               går före årets i uppföljningar per ett datum i perioden.\n"
    "  --clear      ta bort kommentaren\n"
    "  --type       intäkt eller kostnad, när koden är både finansiär och\n"
    "               verksamhet\n"
    "  -f MAPP      boken\n";

/* "2026 kostnad PROC/5010 (2026Q3)" into buf. */
static void key_text(const book *b, const book_comment *c, char *buf,
                     size_t size)
{
    char acc[48] = "";
    if (c->account >= 0)
        snprintf(acc, sizeof acc, "/%s", b->accounts.v[c->account].number);
    snprintf(buf, size, "%d %s %s%s (%s)", c->year,
             c->kind == KIND_INCOME ? "intäkt" : "kostnad", c->code, acc,
             *c->period ? c->period : "helår");
}

/* The text in force for c's key, or NULL (none, or cleared). */
static const char *in_force(const book *b, const book_comment *c)
{
    for (size_t i = b->comments.n; i-- > 0;) {
        const book_comment *o = &b->comments.v[i];
        if (o->year == c->year && o->kind == c->kind &&
            o->account == c->account && strcmp(o->code, c->code) == 0 &&
            strcmp(o->period, c->period) == 0)
            return *o->text ? o->text : NULL;
    }
    return NULL;
}

static void put_text(FILE *o, const char *lead, const char *t)
{
    fprintf(o, "%s\"", lead);
    text_term_put(o, t);
    fputs("\"\n", o);
}

/* `samla comment ÅR`: the comments in force, in file order. */
static int list_comments(cli_ctx *ctx, int year)
{
    book b;
    int rc = cli_load(ctx, &b);
    if (rc != EXIT_OKAY)
        return rc;
    size_t n = 0;
    for (size_t i = 0; i < b.comments.n; i++) {
        const book_comment *c = &b.comments.v[i];
        if (c->year != year || !*c->text || !book_comment_current(&b, i))
            continue;
        char key[160];
        key_text(&b, c, key, sizeof key);
        fprintf(ctx->out, "%s  ", key);
        put_text(ctx->out, "", c->text);
        fprintf(ctx->out, "  (%s, %s)\n", c->registered, c->user);
        n++;
    }
    if (n == 0)
        fprintf(ctx->out, "Inga kommentarer för %d.\n", year);
    book_free(&b);
    return EXIT_OKAY;
}

int cmd_comment(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"at", required_argument, NULL, 'a'},
        {"clear", no_argument, NULL, 'c'},
        {"type", required_argument, NULL, 't'},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *at = NULL, *type = NULL;
    int clear = 0, c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(comment_help, ctx->out); return EXIT_OKAY;
        case 'a': at = optarg; break;
        case 'c': clear = 1; break;
        case 't': type = optarg; break;
        case 'f': ctx->book_dir = optarg; break;
        case 'U': ctx->user = optarg; break;
        default: return cli_bad_option(ctx, "comment", argv, "f:h");
        }
    }
    int nargs = argc - optind;
    if (nargs < 1)
        return cli_usage_error(ctx, "comment",
                               "ange år, budgetrad och kommentar, t.ex. "
                               "2026 PROC \"Vakant tjänst jan–feb\"");
    const char *ys = argv[optind];
    if (strlen(ys) != 4 || strspn(ys, "0123456789") != 4 || ys[0] == '0')
        return cli_usage_error(ctx, "comment", "ogiltigt år \"%s\"", ys);
    int year = atoi(ys);
    if (nargs == 1) {
        if (clear || at || type)
            return cli_usage_error(ctx, "comment",
                                   "ange budgetraden, t.ex. 2026 PROC");
        return list_comments(ctx, year);
    }
    const char *spec = argv[optind + 1];
    const char *textv = nargs >= 3 ? argv[optind + 2] : NULL;
    if (nargs > 3)
        return cli_usage_error(ctx, "comment",
                               "oväntat argument \"%s\"; sätt kommentaren "
                               "inom citattecken",
                               argv[optind + 3]);
    if (clear && textv)
        return cli_usage_error(ctx, "comment",
                               "ange antingen en kommentar eller --clear, "
                               "inte båda");
    if (!clear && (!textv || !*textv))
        return cli_usage_error(ctx, "comment",
                               "ange kommentaren, eller --clear för att ta "
                               "bort den");
    int forced = -1;
    if (type && (forced = budget_kind_parse(type)) < 0)
        return cli_usage_error(ctx, "comment",
                               "--type ska vara intäkt eller kostnad");
    period_t p;
    char err[256];
    if (book_comment_period(year, at, &p, err, sizeof err) != 0)
        return cli_usage_error(ctx, "comment", "--at: %s", err);

    book b;
    store_lock lock;
    int rc = cli_load_locked(ctx, &b, &lock);
    if (rc != EXIT_OKAY)
        return rc;
    budget_key key;
    rc = EXIT_DATA;
    if (budget_key_parse(&b, spec, forced, &key, err, sizeof err) != 0) {
        fprintf(ctx->err, "samla comment: %s\n", err);
        goto done;
    }
    if (book_year_closed(&b, year) >= 0) {
        fprintf(ctx->err,
                "samla comment: år %d är stängt (bokslut); dess "
                "uppföljning och kommentarer ändras inte\n",
                year);
        goto done;
    }
    char now[32];
    date_now_utc(now, sizeof now);
    book_comment nc;
    memset(&nc, 0, sizeof nc);
    nc.year = year;
    nc.period = at && *at ? p.label : "";
    nc.kind = key.kind;
    nc.code = key.code;
    nc.funder = key.funder;
    nc.activity = key.activity;
    nc.account = key.account;
    nc.text = clear ? "" : textv;
    nc.registered = now;
    nc.user = cli_user(ctx);
    char what[160];
    key_text(&b, &nc, what, sizeof what);
    const char *before = in_force(&b, &nc);
    if (clear && !before) {
        fprintf(ctx->err,
                "samla comment: %s har ingen kommentar att ta bort; inget "
                "sparades\n",
                what);
        goto done;
    }
    if (!clear && before && strcmp(before, textv) == 0) {
        fprintf(ctx->out, "Kommentaren på %s är redan den; inget sparades.\n",
                what);
        rc = EXIT_OKAY;
        goto done;
    }
    diag_list dl;
    diag_init(&dl);
    static const char *const labels[SCHEMA_CM_N] = {
        [SCHEMA_CM_TEXT] = "kommentaren", [SCHEMA_CM_USER] = "--user"};
    book_origin origin = {NULL, 0, labels};
    book_append_comment(&b, &nc, &origin, &dl);
    rc = cli_report(ctx, &dl);
    diag_free(&dl);
    if (rc != EXIT_OKAY) {
        fprintf(ctx->err, "samla comment: inget sparades\n");
        goto done;
    }
    fprintf(ctx->out, "%s kommentar på %s.\n",
            clear ? "Tog bort" : before ? "Ersatte" : "Sparade", what);
    if (before)
        put_text(ctx->out, "  förut: ", before);
    if (!clear)
        put_text(ctx->out, "  nu:    ", textv);
    if (!clear && budget_find(&b, year, &key) < 0)
        fprintf(ctx->err,
                "samla comment: varning: %d har ingen budgetrad %s; "
                "kommentaren visas bara på en rad med utfall utan budget "
                "(ej budgeterad)\n",
                year, spec);
done:
    cli_unlock(&lock);
    book_free(&b);
    return rc;
}
