/*
 * cmd_earmark - earmark decisions: `samla earmark add|release|close|show`.
 *
 * An earmark (öronmärkning) is either a reservation of accumulated surplus
 * decided by a body (Samordningsgruppen), or the restricted balance of a
 * grant (--grant): income tagged with its code adds to it, costs tagged
 * with it draw it down. Every decision is one appended row of
 * oronmarkningar.csv with its body, date and paragraph; nothing is edited.
 *
 * The rules a person should not have to remember are enforced here, before
 * anything is written, with the figures that explain a refusal:
 *   - a reservation may not exceed the free (ej öronmärkt) surplus at the
 *     decision date (check.c enforces the same rule on the whole book);
 *   - a release may not exceed what remains;
 *   - a closed earmark takes no further decisions;
 *   - a decision is not dated in the future, before the book starts, or in
 *     a closed year (it would change that year's equity note).
 *
 * Why one file of some 750 lines: the four subcommands share the option
 * parsing, the decision's checks and the way a decision is shown, and each
 * order of events (mark, release, close) is checked where it is written.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "text.h"
#include "check.h"
#include "cmd.h"
#include "uiutil.h"

static const char earmark_help[] =
    "Användning: samla earmark add KOD --amount BELOPP --purpose TEXT\n"
    "                 --decided-by ORGAN --date DATUM --paragraph PARAGRAF\n"
    "                 [--from DATUM] [--to DATUM] [--grant]\n"
    "       samla earmark release KOD [--amount BELOPP] --decided-by ORGAN\n"
    "                 --date DATUM --paragraph PARAGRAF\n"
    "       samla earmark close KOD --decided-by ORGAN --date DATUM\n"
    "                 --paragraph PARAGRAF\n"
    "       samla earmark show KOD [--date DATUM]\n"
    "\n"
    "Beslut om öronmärkta medel. Varje beslut sparas som en ny rad i\n"
    "oronmarkningar.csv med beslutsorgan, datum och paragraf.\n"
    "  add      reserverar en del av det ackumulerade överskottet för ett\n"
    "           ändamål (eller mer till en befintlig kod). Det går inte att\n"
    "           reservera mer än det fria (ej öronmärkta) överskottet den dag\n"
    "           beslutet fattades. Med --grant öronmärks i stället ett\n"
    "           bidrag (t.ex. statsbidrag för FAR): intäkter och kostnader\n"
    "           märkta med koden (samla add --earmark KOD) bildar ett bundet\n"
    "           saldo som inte räknas som fritt överskott. --amount är då\n"
    "           det beviljade beloppet.\n"
    "  release  frigör oanvända medel till det fria överskottet; utan\n"
    "           --amount allt som återstår. Mer än som återstår nekas.\n"
    "  close    avslutar öronmärkningen; det som återstår frigörs. Kostnader\n"
    "           märkta med koden och daterade på eller efter avslutet nekas.\n"
    "           release och close dateras på eller efter den sista märkta\n"
    "           verifikationen och det senaste beslutet om koden.\n"
    "  show     visar öronmärkningens beslut, märkta poster och saldo,\n"
    "           och det ackumulerade överskottet uppdelat i reserverat,\n"
    "           bundna bidrag och fritt (per --date, annars per i dag eller\n"
    "           den sista dag något är bokfört).\n"
    "\n"
    "  --amount      belopp: 1 234 567,89, 1234567.89, 500 000 kr ...\n"
    "  --purpose     ändamål (krävs för en ny kod)\n"
    "  --decided-by  beslutsorgan, t.ex. \"Samordningsgruppen\"\n"
    "  --date        beslutsdatum ÅÅÅÅ-MM-DD\n"
    "  --paragraph   paragraf i protokollet, t.ex. \"§ 7\"\n"
    "  --from, --to  giltighetstid (frivillig)\n"
    "  -f MAPP       boken; --user NAMN  vem som registrerar\n";

enum { SUB_ADD, SUB_RELEASE, SUB_CLOSE, SUB_SHOW };

typedef struct {
    int sub;
    const char *code, *amount, *purpose, *body, *date, *paragraph, *from, *to;
    int grant;
} em_args;

/* A far-future day: "everything booked", for balances without --date. */
static date_t end_of_time(void)
{
    return date_make(9999, 12, 31);
}

/* The day "now" for balances without --date: today, or the last day that
 * has an entry or decision when the book runs ahead of today (entries may
 * be booked in advance). */
static date_t last_day(const book *b)
{
    date_t d = date_today();
    for (size_t i = 0; i < b->entries.n; i++)
        if (b->entries.v[i].date > d)
            d = b->entries.v[i].date;
    for (size_t i = 0; i < b->decisions.n; i++)
        if (b->decisions.v[i].date > d)
            d = b->decisions.v[i].date;
    return d;
}

/* An amount right-aligned in the 20 characters of this command's amount
 * column (NULL: the column left blank):
 * the one amount column of the figures, decisions and entries. */
static void pad_kr(FILE *out, const dec_t *v)
{
    char *s = v ? dec_format_kr(v) : NULL;
    ui_pad(out, s ? s : "", 20, 1);
    free(s);
}

/* One aligned "label  amount" line. */
static void figure(FILE *out, const char *label, const dec_t *v)
{
    fputs("  ", out);
    ui_pad(out, label, 40, 0);
    pad_kr(out, v);
    fputc('\n', out);
}

/* How the values of a decision are named in messages. */
static const char *const em_labels[SCHEMA_EM_N] = {
    [SCHEMA_EM_CODE] = "KOD",           [SCHEMA_EM_PURPOSE] = "--purpose",
    [SCHEMA_EM_BODY] = "--decided-by",  [SCHEMA_EM_PARAGRAPH] = "--paragraph",
    [SCHEMA_EM_USER] = "--user"};

static const char *sub_name(int sub)
{
    static const char *names[] = {"earmark add", "earmark release",
                                  "earmark close", "earmark show"};
    return names[sub];
}

/* Parse the options of one subcommand. Returns -1 to go on, else an exit
 * code (help printed, a usage error, or a code the reader would refuse). */
static int parse_args(cli_ctx *ctx, int argc, char **argv, em_args *a)
{
    static const struct option opts[] = {
        {"amount", required_argument, NULL, 'm'},
        {"purpose", required_argument, NULL, 'p'},
        {"decided-by", required_argument, NULL, 'b'},
        {"date", required_argument, NULL, 'd'},
        {"paragraph", required_argument, NULL, 'P'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"grant", no_argument, NULL, 'g'},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *cmd = sub_name(a->sub);
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(earmark_help, ctx->out); return EXIT_OKAY;
        case 'm': a->amount = optarg; break;
        case 'p': a->purpose = optarg; break;
        case 'b': a->body = optarg; break;
        case 'd': a->date = optarg; break;
        case 'P': a->paragraph = optarg; break;
        case 'F': a->from = optarg; break;
        case 'T': a->to = optarg; break;
        case 'g': a->grant = 1; break;
        case 'f': ctx->book_dir = optarg; break;
        case 'U': ctx->user = optarg; break;
        default: return cli_bad_option(ctx, cmd, argv, "f:h");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error(ctx, cmd, "ange en kod för öronmärkningen, "
                                         "t.ex. OM-SMM-2026");
    a->code = argv[optind];
    /* The reader's code rule (schema.h), before the code is looked up. */
    char msg[400];
    if (schema_check_value(&schema_earmarks, SCHEMA_EM_CODE, a->code, msg,
                           sizeof msg) != 0 || !*a->code) {
        /* A bad value (exit 1, as a bad --amount), quoted as a terminal
         * may show it: the message repeats the code. */
        char *shown = text_term(*a->code ? msg : "koden är tom");
        fprintf(ctx->err, "samla %s: fel: KOD: %s; inget sparades\n", cmd,
                shown);
        free(shown);
        return EXIT_DATA;
    }
    if (a->sub == SUB_SHOW) {
        if (a->amount || a->purpose || a->body || a->paragraph || a->from ||
            a->to || a->grant)
            return cli_usage_error(ctx, cmd, "show tar bara --date");
        return -1;
    }
    if (a->sub != SUB_ADD && (a->purpose || a->from || a->to || a->grant))
        return cli_usage_error(ctx, cmd, "--purpose, --from, --to och "
                                         "--grant hör till 'earmark add'");
    if (a->sub == SUB_CLOSE && a->amount)
        return cli_usage_error(ctx, cmd, "close tar inget belopp: det som "
                                         "återstår frigörs");
    if (a->sub == SUB_ADD && !a->amount)
        return cli_usage_error(ctx, cmd, "--amount krävs");
    const char *missing[3];
    size_t nm = 0;
    if (!a->body || !*a->body)
        missing[nm++] = "--decided-by";
    if (!a->date)
        missing[nm++] = "--date";
    if (!a->paragraph || !*a->paragraph)
        missing[nm++] = "--paragraph";
    if (nm)
        return cli_usage_error(ctx, cmd,
                               "%s%s%s%s%s saknas (ett beslut anges med "
                               "--decided-by, --date och --paragraph)",
                               missing[0],
                               nm == 3 ? ", " : nm == 2 ? " och " : "",
                               nm > 1 ? missing[1] : "",
                               nm == 3 ? " och " : "",
                               nm == 3 ? missing[2] : "");
    return -1;
}

/* The state of an earmark in text: its remaining amount and more. */
static void print_state(FILE *out, const book *b, int em, date_t d)
{
    calc_earmark c;
    calc_earmark_init(&c);
    calc_earmark_at(b, em, d, &c);
    const book_earmark *e = &b->earmarks.v[em];
    if (e->kind == EARMARK_GRANT)
        figure(out, "Bidragsintäkter (märkta)", &c.reserved);
    else
        figure(out, "Reserverat", &c.reserved);
    if (!dec_is_zero(&c.released))
        figure(out, "Frigjort", &c.released);
    figure(out, "Förbrukat (märkta kostnader)", &c.drawn);
    figure(out, e->kind == EARMARK_GRANT ? "Kvar (bundet bidrag)" : "Kvar",
           &c.remaining);
    calc_earmark_clear(&c);
}

/* The surplus lines shown after every decision. */
static void print_surplus(FILE *out, const book *b, date_t d)
{
    dec_t s, res, grants, free_;
    dec_init(&s);
    dec_init(&res);
    dec_init(&grants);
    dec_init(&free_);
    calc_surplus_at(b, d, &s);
    calc_earmarked_split_at(b, d, &res, &grants);
    calc_free_at(b, d, &free_);
    char day[11], label[64];
    date_format(d, day);
    snprintf(label, sizeof label, "Ackumulerat överskott %s", day);
    figure(out, label, &s);
    figure(out, "  varav reserverat (beslut)", &res);
    if (!dec_is_zero(&grants))
        figure(out, "  varav bundna bidrag", &grants);
    figure(out, "  varav ej öronmärkt (fritt)", &free_);
    dec_clear(&s);
    dec_clear(&res);
    dec_clear(&grants);
    dec_clear(&free_);
}

/* A release or close at d must come after everything already booked on
 * the earmark: the entries tagged with it and its other decisions. Else
 * what it releases would be worked out on figures that its own date does
 * not show, and a close's "frigörs" would disagree with the report (calc.h
 * does not count entries after a close). Names what is in the way and
 * returns -1. */
static int decided_after_all(cli_ctx *ctx, const book *b, const char *cmd,
                             const char *code, int em, date_t d)
{
    char day[11], other[11];
    date_format(d, day);
    size_t late = 0;
    for (size_t i = 0; i < b->entries.n; i++)
        if (b->entries.v[i].earmark == em && b->entries.v[i].date > d)
            late++;
    if (late) {
        fprintf(ctx->err,
                "samla %s: %s har %zu märkt%s verifikation%s daterad%s efter "
                "beslutsdatumet %s; ett beslut att %s ska dateras på eller "
                "efter den sista märkta posten (eller flytta posterna till en "
                "annan öronmärkning med en rättelse först):\n",
                cmd, code, late, late == 1 ? "" : "a", late == 1 ? "" : "er",
                late == 1 ? "" : "e", day,
                strcmp(cmd, "earmark close") == 0 ? "avsluta" : "frigöra");
        for (size_t i = 0; i < b->entries.n; i++) {
            const book_entry *x = &b->entries.v[i];
            if (x->earmark != em || x->date <= d)
                continue;
            char ver[32];
            snprintf(ver, sizeof ver, "%d:%d", x->year, x->ver);
            date_format(x->date, other);
            char *a = dec_format_kr(&x->amount);
            fprintf(ctx->err, "  ");
            ui_pad(ctx->err, ver, 9, 0);
            fprintf(ctx->err, " %s  ", other);
            ui_pad(ctx->err, a, 20, 1);
            fprintf(ctx->err, "  %s\n", x->text);
            free(a);
        }
        return -1;
    }
    date_t last = DATE_NONE;
    for (size_t i = 0; i < b->decisions.n; i++)
        if (b->decisions.v[i].earmark == em && b->decisions.v[i].date > last)
            last = b->decisions.v[i].date;
    if (last != DATE_NONE && d < last) {
        date_format(last, other);
        fprintf(ctx->err, "samla %s: beslutsdatumet %s ligger före det "
                          "senaste beslutet om %s (%s); beslut om en "
                          "öronmärkning registreras i datumordning\n",
                cmd, day, code, other);
        return -1;
    }
    return 0;
}

/* Rules on the decision date that hold for every decision. Prints why not
 * and returns -1. */
static int date_allowed(cli_ctx *ctx, const book *b, const char *cmd,
                        const char *code, int em, date_t d)
{
    char day[11], other[11];
    date_format(d, day);
    if (d > date_today()) {
        date_format(date_today(), other);
        fprintf(ctx->err, "samla %s: beslutsdatumet %s ligger i framtiden "
                          "(i dag är %s); registrera beslutet när det är "
                          "fattat\n",
                cmd, day, other);
        return -1;
    }
    if (b->start != DATE_NONE && d < b->start) {
        date_format(b->start, other);
        fprintf(ctx->err, "samla %s: beslutsdatumet %s ligger före bokens "
                          "startdatum %s\n",
                cmd, day, other);
        return -1;
    }
    int ci = book_year_closed(b, date_year(d));
    if (ci >= 0) {
        fprintf(ctx->err,
                "samla %s: år %d är stängt (bokslut); ett beslut daterat %s "
                "skulle ändra årets redovisning av eget kapital. Datera "
                "beslutet i ett öppet år, eller återöppna året med 'samla "
                "reopen %d --reason \"…\"'\n",
                cmd, date_year(d), day, date_year(d));
        return -1;
    }
    if (em >= 0) {
        const book_earmark *e = &b->earmarks.v[em];
        date_t closed = book_earmark_closed_on(b, em);
        if (closed != DATE_NONE) {
            date_format(closed, other);
            fprintf(ctx->err, "samla %s: öronmärkningen %s avslutades %s och "
                              "kan inte få fler beslut; använd en ny kod\n",
                    cmd, code, other);
            return -1;
        }
        if (d < e->decided) {
            date_format(e->decided, other);
            fprintf(ctx->err, "samla %s: beslutsdatumet %s ligger före det "
                              "första beslutet om %s (%s)\n",
                    cmd, day, code, other);
            return -1;
        }
    }
    return 0;
}

/* Reserving: refuse more than the free surplus at the decision date, with
 * every figure the reader needs to see why. Returns 0 when it fits. */
static int reservation_fits(cli_ctx *ctx, const book *b, const char *code,
                            date_t d, const dec_t *asked)
{
    dec_t s, em, res, grants, free_, short_;
    dec_init(&s);
    dec_init(&em);
    dec_init(&res);
    dec_init(&grants);
    dec_init(&free_);
    dec_init(&short_);
    calc_surplus_at(b, d, &s);
    calc_earmarked_at(b, d, &em);
    calc_earmarked_split_at(b, d, &res, &grants);
    dec_sub(&free_, &s, &em);
    int fits = dec_cmp(asked, &free_) <= 0;
    if (!fits) {
        char day[11], label[64];
        date_format(d, day);
        char *a = dec_format_kr(asked);
        fprintf(ctx->err,
                "samla earmark add: %s: kan inte reservera %s den %s; det "
                "är mer än det fria (ej öronmärkta) ackumulerade "
                "överskottet den dagen.\n",
                code, a, day);
        free(a);
        snprintf(label, sizeof label, "Ackumulerat överskott %s", day);
        figure(ctx->err, label, &s);
        if (dec_is_zero(&grants)) {
            figure(ctx->err, "Redan öronmärkt", &em);
        } else {
            figure(ctx->err, "Redan öronmärkt (beslut)", &res);
            figure(ctx->err, "Bundna bidrag (ej fritt)", &grants);
        }
        figure(ctx->err, "Ej öronmärkt (fritt)", &free_);
        figure(ctx->err, "Begärt", asked);
        dec_sub(&short_, asked, &free_);
        figure(ctx->err, "Saknas", &short_);
    }
    dec_clear(&s);
    dec_clear(&em);
    dec_clear(&res);
    dec_clear(&grants);
    dec_clear(&free_);
    dec_clear(&short_);
    return fits ? 0 : -1;
}

/* What can be released at d: the remaining amount at the decision date,
 * but no more than remains with everything booked (costs after the date
 * may already have used it). */
static void releasable(const book *b, int em, date_t d, dec_t *out)
{
    calc_earmark c;
    calc_earmark_init(&c);
    calc_earmark_at(b, em, d, &c);
    dec_set(out, &c.remaining);
    calc_earmark_at(b, em, end_of_time(), &c);
    if (dec_cmp(&c.remaining, out) < 0)
        dec_set(out, &c.remaining);
    calc_earmark_clear(&c);
}

static int earmark_write(cli_ctx *ctx, em_args *a)
{
    const char *cmd = sub_name(a->sub);
    book_decision d;
    memset(&d, 0, sizeof d);
    dec_init(&d.amount);
    date_t from = DATE_NONE, to = DATE_NONE;
    int rc = EXIT_DATA;
    if (cli_date(ctx, "--date", a->date, &d.date) != 0 ||
        (a->from && cli_date(ctx, "--from", a->from, &from) != 0) ||
        (a->to && cli_date(ctx, "--to", a->to, &to) != 0) ||
        (a->amount && cli_amount(ctx, "--amount", a->amount, &d.amount) != 0)) {
        dec_clear(&d.amount);
        return EXIT_DATA;
    }
    if (a->amount && dec_sgn(&d.amount) <= 0) {
        fprintf(ctx->err, "samla %s: beloppet ska vara större än noll\n", cmd);
        dec_clear(&d.amount);
        return EXIT_DATA;
    }
    if (from != DATE_NONE && to != DATE_NONE && from > to) {
        fprintf(ctx->err, "samla %s: giltighetstiden slutar (--to) före den "
                          "börjar (--from)\n",
                cmd);
        dec_clear(&d.amount);
        return EXIT_DATA;
    }
    book b;
    store_lock lock;
    rc = cli_load_locked(ctx, &b, &lock);
    if (rc != EXIT_OKAY) {
        dec_clear(&d.amount);
        book_free(&b);
        return rc;
    }
    rc = EXIT_DATA;
    int em = book_earmark_find(&b, a->code);
    book_earmark def;
    memset(&def, 0, sizeof def);
    const book_earmark *newdef = NULL;
    dec_t avail;
    dec_init(&avail);
    if (a->sub != SUB_ADD && em < 0) {
        fprintf(ctx->err, "samla %s: öronmärkningen %s finns inte\n", cmd,
                a->code);
        goto done;
    }
    if (date_allowed(ctx, &b, cmd, a->code, em, d.date) != 0)
        goto done;
    if (a->sub != SUB_ADD &&
        decided_after_all(ctx, &b, cmd, a->code, em, d.date) != 0)
        goto done;
    if (a->sub == SUB_ADD && em >= 0) {
        /* More on an existing code: its kind, purpose and validity were
         * set by the first decision and stay. */
        const book_earmark *e = &b.earmarks.v[em];
        if ((e->kind == EARMARK_GRANT) != (a->grant != 0)) {
            fprintf(ctx->err, "samla %s: %s är %s sedan tidigare; --grant "
                              "ska %s\n",
                    cmd, a->code,
                    e->kind == EARMARK_GRANT ? "ett bidrag" : "en reservation",
                    e->kind == EARMARK_GRANT ? "anges" : "inte anges");
            goto done;
        }
        if ((a->purpose && strcmp(a->purpose, e->purpose) != 0) ||
            (from != DATE_NONE && from != e->valid_from) ||
            (to != DATE_NONE && to != e->valid_to)) {
            fprintf(ctx->err, "samla %s: %s finns redan med ändamålet \"%s\"; "
                              "ändamål och giltighetstid bestäms av det "
                              "första beslutet (använd en ny kod för ett "
                              "nytt ändamål)\n",
                    cmd, a->code, e->purpose);
            goto done;
        }
    }
    if (a->sub == SUB_ADD && em < 0) {
        if (!a->purpose || !*a->purpose) {
            fprintf(ctx->err, "samla %s: --purpose krävs för en ny "
                              "öronmärkning\n",
                    cmd);
            goto done;
        }
        def.code = a->code;
        def.purpose = a->purpose;
        def.kind = a->grant ? EARMARK_GRANT : EARMARK_RESERVATION;
        def.valid_from = from;
        def.valid_to = to;
        def.body = a->body;
        def.paragraph = a->paragraph;
        def.decided = d.date;
        newdef = &def;
    }
    int grant = newdef ? a->grant : b.earmarks.v[em].kind == EARMARK_GRANT;
    if (a->sub == SUB_ADD) {
        d.event = EM_RESERVE;
        /* A grant is not taken from the surplus: only reservations must
         * fit in what is free. */
        if (!grant && reservation_fits(ctx, &b, a->code, d.date, &d.amount))
            goto done;
    } else if (a->sub == SUB_RELEASE) {
        d.event = EM_RELEASE;
        releasable(&b, em, d.date, &avail);
        if (dec_sgn(&avail) <= 0) {
            char *s = dec_format_kr(&avail);
            fprintf(ctx->err, "samla %s: inget återstår av %s att frigöra "
                              "(kvar: %s)\n",
                    cmd, a->code, s);
            free(s);
            goto done;
        }
        if (!a->amount) {
            dec_set(&d.amount, &avail);
        } else if (dec_cmp(&d.amount, &avail) > 0) {
            char *x = dec_format_kr(&d.amount), *y = dec_format_kr(&avail);
            fprintf(ctx->err, "samla %s: kan inte frigöra %s av %s; bara %s "
                              "återstår.\n",
                    cmd, x, a->code, y);
            free(x);
            free(y);
            print_state(ctx->err, &b, em, end_of_time());
            goto done;
        }
    } else {
        d.event = EM_CLOSE;
        releasable(&b, em, d.date, &avail);
    }
    char now[32];
    date_now_utc(now, sizeof now);
    d.earmark = em;
    d.body = a->body;
    d.paragraph = a->paragraph;
    d.registered = now;
    d.user = cli_user(ctx);
    diag_list dl;
    diag_init(&dl);
    book_origin origin = {NULL, 0, em_labels};
    book_append_decision(&b, newdef, &d, &origin, &dl);
    rc = cli_report(ctx, &dl);
    diag_free(&dl);
    if (rc != EXIT_OKAY)
        goto done;
    em = book_earmark_find(&b, a->code);
    char day[11];
    date_format(d.date, day);
    char *amt = dec_format_kr(&d.amount);
    /* The body and paragraph as a terminal may show them (text_term). */
    char *body = text_term(a->body), *para = text_term(a->paragraph);
    if (a->sub == SUB_ADD && grant)
        fprintf(ctx->out,
                "Sparade beslut: bidraget %s (beviljat %s) öronmärks (%s %s "
                "%s).\nIntäkter och kostnader märkta med %s (--earmark %s) "
                "bildar ett bundet saldo som inte är fritt överskott.\n",
                a->code, amt, body, day, para, a->code, a->code);
    else if (a->sub == SUB_ADD)
        fprintf(ctx->out, "Sparade beslut: %s reserveras %s (%s %s %s).\n",
                a->code, amt, body, day, para);
    else if (a->sub == SUB_RELEASE)
        fprintf(ctx->out, "Sparade beslut: %s av %s frigörs till det fria "
                          "överskottet (%s %s %s).\n",
                amt, a->code, body, day, para);
    else {
        if (dec_sgn(&avail) >= 0) {
            char *r = dec_format_kr(&avail);
            fprintf(ctx->out, "Sparade beslut: %s avslutas (%s %s %s); det "
                              "som återstod, %s, frigörs till det fria "
                              "överskottet.\n",
                    a->code, body, day, para, r);
            free(r);
        } else {
            dec_neg(&avail, &avail);
            char *r = dec_format_kr(&avail);
            fprintf(ctx->out, "Sparade beslut: %s avslutas (%s %s %s); den är "
                              "överdragen med %s, så inget frigörs "
                              "(överdraget är betalt ur det fria "
                              "överskottet).\n",
                    a->code, body, day, para, r);
            free(r);
        }
    }
    free(amt);
    free(body);
    free(para);
    print_state(ctx->out, &b, em, end_of_time());
    print_surplus(ctx->out, &b, d.date);
done:
    if (rc != EXIT_OKAY)
        fprintf(ctx->err, "samla %s: inget sparades\n", cmd);
    cli_unlock(&lock);
    dec_clear(&avail);
    dec_clear(&d.amount);
    book_free(&b);
    return rc;
}

static const char *event_word(book_earmark_event ev, int grant)
{
    if (ev == EM_RESERVE)
        return grant ? "beviljat" : "reservera";
    return ev == EM_RELEASE ? "frigör" : "avsluta";
}

static int earmark_show(cli_ctx *ctx, em_args *a)
{
    date_t at = end_of_time();
    if (a->date && cli_date(ctx, "--date", a->date, &at) != 0)
        return EXIT_DATA;
    book b;
    int rc = cli_load(ctx, &b);
    if (rc != EXIT_OKAY)
        return rc;
    int em = book_earmark_find(&b, a->code);
    if (em < 0) {
        fprintf(ctx->err, "samla earmark show: öronmärkningen %s finns inte\n",
                a->code);
        book_free(&b);
        return EXIT_DATA;
    }
    FILE *out = ctx->out;
    const book_earmark *e = &b.earmarks.v[em];
    char d1[11], d2[11];
    fprintf(out, "%s  ", e->code);
    text_term_put(out, e->purpose);
    fputc('\n', out);
    fprintf(out, "Typ: %s\n", e->kind == EARMARK_GRANT
                                  ? "bidrag (bundna medel)"
                                  : "reservation av ackumulerat överskott");
    if (e->valid_from != DATE_NONE || e->valid_to != DATE_NONE) {
        strcpy(d1, "…");
        strcpy(d2, "…");
        if (e->valid_from != DATE_NONE)
            date_format(e->valid_from, d1);
        if (e->valid_to != DATE_NONE)
            date_format(e->valid_to, d2);
        fprintf(out, "Giltig: %s – %s\n", d1, d2);
    }
    fprintf(out, "\nBeslut:\n");
    for (size_t i = 0; i < b.decisions.n; i++) {
        const book_decision *d = &b.decisions.v[i];
        if (d->earmark != em || d->date > at)
            continue;
        date_format(d->date, d1);
        fprintf(out, "  %s  ", d1);
        ui_pad(out, event_word(d->event, e->kind == EARMARK_GRANT), 10, 0);
        pad_kr(out, d->event == EM_CLOSE ? NULL : &d->amount);
        fputs("  ", out);
        text_term_put(out, d->body);
        fputc(' ', out);
        text_term_put(out, d->paragraph);
        fputc('\n', out);
    }
    int any = 0;
    for (size_t i = 0; i < b.entries.n; i++) {
        const book_entry *x = &b.entries.v[i];
        if (x->earmark != em || x->date > at)
            continue;
        if (!any)
            fprintf(out, "\nMärkta verifikationer:\n");
        any = 1;
        date_format(x->date, d1);
        char ver[32];
        snprintf(ver, sizeof ver, "%d:%d", x->year, x->ver);
        fprintf(out, "  ");
        ui_pad(out, ver, 9, 0);
        fprintf(out, " %s  %s  ", d1,
                book_entry_kind(&b, x) == KIND_INCOME ? "intäkt " : "kostnad");
        pad_kr(out, &x->amount);
        fputs("  ", out);
        text_term_put(out, x->text);
        fputc('\n', out);
    }
    if (at == end_of_time())
        at = last_day(&b);
    date_format(at, d1);
    fprintf(out, "\nSaldo per %s:\n", d1);
    print_state(out, &b, em, at);
    print_surplus(out, &b, at);
    book_free(&b);
    return EXIT_OKAY;
}

int cmd_earmark(cli_ctx *ctx, int argc, char **argv)
{
    static const char *const subs[] = {"add", "release", "close", "show"};
    if (argc < 2 || cli_is_help(argv[1])) {
        fputs(earmark_help, argc < 2 ? ctx->err : ctx->out);
        return argc < 2 ? EXIT_USAGE : EXIT_OKAY;
    }
    em_args a;
    memset(&a, 0, sizeof a);
    a.sub = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(argv[1], subs[i]) == 0)
            a.sub = i;
    if (a.sub < 0)
        return cli_usage_error(ctx, "earmark",
                               "okänt delkommando \"%s\"; välj add, release, "
                               "close eller show",
                               argv[1]);
    int rc = parse_args(ctx, argc - 1, argv + 1, &a);
    if (rc >= 0)
        return rc;
    return a.sub == SUB_SHOW ? earmark_show(ctx, &a) : earmark_write(ctx, &a);
}
