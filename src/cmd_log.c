/*
 * cmd_log - the audit trail: `samla log [--period P] [--user U]`.
 *
 * Lists every save event of the book in time order: when (Registrerad),
 * who (Användare) and how (Källa), and what was saved. Journal entries that
 * were saved together form one event: consecutive rows of
 * verifikationer.csv with the same Registrerad, Användare and Källa (the
 * journal is append-only, so file order is save order). An import's rows
 * carry "import FILE:LINE" each; they are grouped by "import FILE" and the
 * source lines are shown as a range. Earmark decisions (oronmarkningar.csv)
 * closes/reopenings (bokslut.csv) and the reported-through rows
 * (rapporterat.csv) are one event per row, and so are the comments on the
 * budget follow-up (kommentarer.csv).
 *
 * --period selects by the day an event was SAVED (not the voucher date):
 * `samla log --period 2026Q1` is what was registered in the first quarter.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "mem.h"
#include "text.h"
#include "uiutil.h"

static const char log_help[] =
    "Användning: samla log [--period PERIOD] [--user NAMN]\n"
    "Visar revisionsspåret: varje sparande i tidsordning, med när, av vem,\n"
    "hur (källa: add, quarter 2026Q1, import FIL, reverse, earmark …,\n"
    "close, reopen, reported, comment) och vad som sparades\n"
    "(verifikationsnummer, beslut, bokslut, rapporterat t.o.m.,\n"
    "kommentarer). Poster som sparades tillsammans visas som en händelse.\n"
    "  --period   bara det som registrerades under perioden: 2026, 2026Q1,\n"
    "             2026T2, 2026-03, 2026-03-15 eller 2026-01-01..2026-06-30\n"
    "  --user     bara det som NAMN sparade\n"
    "  -f MAPP    boken\n";

typedef struct {
    const char *when, *user;
    char *how, *what; /* owned */
    char *shown_user; /* owned: user as a terminal shows it */
    size_t seq;
} log_event;

typedef struct {
    log_event *v;
    size_t n, cap;
} log_list;

static log_event *log_push(log_list *l)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 64;
        log_event *nv = mem_realloc_array(l->v, ncap, sizeof *nv);
        l->v = nv;
        l->cap = ncap;
    }
    log_event *e = &l->v[l->n];
    memset(e, 0, sizeof *e);
    e->seq = l->n++;
    return e;
}

/* A growing string for the "what" column. */
typedef struct {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sb_add(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t ncap = (b->len + (size_t)n + 1) * 2;
        char *ns = mem_realloc_array(b->s, ncap, 1);
        b->s = ns;
        b->cap = ncap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

static char *sb_take(sbuf *b)
{
    return b->s ? b->s : mem_strdup("");
}

/* The length of an import source's "import FILE" part, without ":LINE";
 * for any other source its whole length. *srcline gets LINE (or 0). */
static size_t source_key(const char *src, long *srcline)
{
    size_t len = strlen(src);
    *srcline = 0;
    if (strncmp(src, "import ", 7) != 0)
        return len;
    const char *colon = strrchr(src, ':');
    if (!colon || !colon[1] || strspn(colon + 1, "0123456789") !=
                                   strlen(colon + 1))
        return len;
    *srcline = strtol(colon + 1, NULL, 10);
    return (size_t)(colon - src);
}

static int same_group(const book_entry *a, const book_entry *b)
{
    long la, lb;
    size_t ka = source_key(a->source, &la), kb = source_key(b->source, &lb);
    return strcmp(a->registered, b->registered) == 0 &&
           strcmp(a->user, b->user) == 0 && ka == kb &&
           strncmp(a->source, b->source, ka) == 0;
}

/* One event for the journal rows [i, j) saved together. */
static void entry_event(const book *b, size_t i, size_t j, log_list *l)
{
    const book_entry *first = &b->entries.v[i];
    log_event *ev = log_push(l);
    ev->when = first->registered;
    ev->user = first->user;
    long minline = 0, maxline = 0, ln;
    size_t klen = source_key(first->source, &ln);
    ev->how = mem_alloc(klen + 1);
    memcpy(ev->how, first->source, klen);
    ev->how[klen] = '\0';
    sbuf w = {NULL, 0, 0};
    if (j - i == 1) {
        char d[11];
        date_format(first->date, d);
        char *a = dec_format_kr(&first->amount);
        const char *code = first->activity >= 0
                               ? b->activities.v[first->activity].code
                           : first->funder >= 0
                               ? b->funders.v[first->funder].code
                               : "";
        sb_add(&w, "ver %d:%d  %s  %s %s  %s  %s", first->year, first->ver, d,
               b->accounts.v[first->account].number, code, a, first->text);
        if (first->corr_year)
            sb_add(&w, " (rättar %d:%d)", first->corr_year, first->corr_ver);
        free(a);
    } else {
        sb_add(&w, "%zu verifikationer: ", j - i);
    }
    /* Voucher numbers as runs: 2025:1–20, 2026:1–3. */
    for (size_t k = i; j - i > 1 && k < j;) {
        size_t m = k;
        while (m + 1 < j && b->entries.v[m + 1].year == b->entries.v[k].year &&
               b->entries.v[m + 1].ver == b->entries.v[m].ver + 1)
            m++;
        sb_add(&w, "%s%d:%d", k > i ? ", " : "", b->entries.v[k].year,
               b->entries.v[k].ver);
        if (m > k)
            sb_add(&w, "–%d", b->entries.v[m].ver);
        k = m + 1;
    }
    for (size_t k = i; k < j; k++) {
        source_key(b->entries.v[k].source, &ln);
        if (ln && (!minline || ln < minline))
            minline = ln;
        if (ln > maxline)
            maxline = ln;
    }
    if (minline && minline == maxline)
        sb_add(&w, " (rad %ld)", minline);
    else if (minline)
        sb_add(&w, " (rader %ld–%ld)", minline, maxline);
    ev->what = sb_take(&w);
}

static void decision_event(const book *b, const book_decision *d,
                           log_list *l)
{
    static const char *how[] = {"earmark add", "earmark release",
                                "earmark close"};
    static const char *word[] = {"reservera", "frigör", "avsluta"};
    const book_earmark *em = &b->earmarks.v[d->earmark];
    log_event *ev = log_push(l);
    ev->when = d->registered;
    ev->user = d->user;
    ev->how = mem_strdup(how[d->event]);
    sbuf w = {NULL, 0, 0};
    char day[11];
    date_format(d->date, day);
    sb_add(&w, "%s %s%s", em->code, word[d->event],
           em->kind == EARMARK_GRANT && d->event == EM_RESERVE ? " (bidrag)"
                                                               : "");
    if (d->event != EM_CLOSE) {
        char *a = dec_format_kr(&d->amount);
        sb_add(&w, " %s", a);
        free(a);
    }
    sb_add(&w, " (%s %s %s)", d->body, day, d->paragraph);
    ev->what = sb_take(&w);
}

static void close_event(const book_close *c, log_list *l)
{
    log_event *ev = log_push(l);
    ev->when = c->registered;
    ev->user = c->user;
    ev->how = mem_strdup(c->closed ? "close" : "reopen");
    sbuf w = {NULL, 0, 0};
    if (c->closed) {
        char *r = dec_format_kr(&c->result), *s = dec_format_kr(&c->closing);
        sb_add(&w, "stängde år %d: resultat %s, utgående ackumulerat "
                   "överskott %s, %ld verifikationer",
               c->year, r, s, c->count);
        free(r);
        free(s);
    } else {
        sb_add(&w, "återöppnade år %d: %s", c->year, c->reason);
    }
    ev->what = sb_take(&w);
}

static void reported_event(const book_reported *r, log_list *l)
{
    log_event *ev = log_push(l);
    ev->when = r->registered;
    ev->user = r->user;
    /* "reported" by hand; a quarter's or an import's own source */
    ev->how = mem_strdup(strcmp(r->source, "hand") == 0 ? "reported"
                                                          : r->source);
    sbuf w = {NULL, 0, 0};
    char day[11];
    date_format(r->date, day);
    sb_add(&w, "rapporterat t.o.m. %s", day);
    if (r->reason && *r->reason)
        sb_add(&w, ": %s", r->reason);
    ev->what = sb_take(&w);
}

static void comment_event(const book *b, const book_comment *c, log_list *l)
{
    log_event *ev = log_push(l);
    ev->when = c->registered;
    ev->user = c->user;
    ev->how = mem_strdup("comment");
    sbuf w = {NULL, 0, 0};
    sb_add(&w, "%d %s %s", c->year,
           c->kind == KIND_INCOME ? "intäkt" : "kostnad", c->code);
    if (c->account >= 0)
        sb_add(&w, "/%s", b->accounts.v[c->account].number);
    sb_add(&w, " (%s): ", *c->period ? c->period : "helår");
    if (*c->text) {
        char *t = text_term(c->text);
        sb_add(&w, "\"%s\"", t);
        free(t);
    } else {
        sb_add(&w, "kommentaren borttagen");
    }
    ev->what = sb_take(&w);
}

static int event_cmp(const void *pa, const void *pb)
{
    const log_event *a = pa, *b = pb;
    int c = strcmp(a->when, b->when);
    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Keep an event? By the day it was saved and by user. */
static int wanted(const log_event *e, const period_t *p, const char *user)
{
    if (user && strcmp(e->user, user) != 0)
        return 0;
    if (p) {
        date_t d;
        if (strlen(e->when) < 10 ||
            date_parse(&d, e->when, 10, NULL, NULL) != 0 ||
            !period_contains(p, d))
            return 0;
    }
    return 1;
}

int cmd_log(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"period", required_argument, NULL, 'p'},
        {"user", required_argument, NULL, 'u'},
        {"book", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *period = NULL, *user = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        if (c == 'h') {
            fputs(log_help, ctx->out);
            return EXIT_OKAY;
        } else if (c == 'p')
            period = optarg;
        else if (c == 'u')
            user = optarg;
        else if (c == 'f')
            ctx->book_dir = optarg;
        else
            return cli_bad_option(ctx, "log", argv, "f:h");
    }
    if (optind != argc)
        return cli_usage_error(ctx, "log", "oväntat argument \"%s\"",
                               argv[optind]);
    period_t p;
    if (period) {
        const char *msg = NULL;
        if (period_parse(&p, period, &msg) != 0) {
            fprintf(ctx->err, "samla log: --period \"%s\": %s\n", period,
                    msg ? msg : "ogiltig period");
            return EXIT_USAGE;
        }
    }
    book b;
    int rc = cli_load(ctx, &b);
    if (rc != EXIT_OKAY)
        return rc;
    log_list l = {NULL, 0, 0};
    for (size_t i = 0; i < b.entries.n;) {
        size_t j = i + 1;
        while (j < b.entries.n &&
               same_group(&b.entries.v[i], &b.entries.v[j]))
            j++;
        entry_event(&b, i, j, &l);
        i = j;
    }
    for (size_t i = 0; i < b.decisions.n; i++)
        decision_event(&b, &b.decisions.v[i], &l);
    for (size_t i = 0; i < b.closes.n; i++)
        close_event(&b.closes.v[i], &l);
    for (size_t i = 0; i < b.reported_log.n; i++)
        reported_event(&b.reported_log.v[i], &l);
    for (size_t i = 0; i < b.comments.n; i++)
        comment_event(&b, &b.comments.v[i], &l);
    if (l.n) /* a new book has no events, and l.v is NULL */
        qsort(l.v, l.n, sizeof *l.v, event_cmp);

    size_t wuser = ui_width("Användare"), whow = ui_width("Källa"), shown = 0;
    /* What is shown passes text_term first: a user name, a file name or a
     * text with a line break or a bidi control cannot break the table. */
    for (size_t i = 0; i < l.n; i++) {
        log_event *e = &l.v[i];
        char *t = text_term(e->how);
        free(e->how);
        e->how = t;
        t = text_term(e->what);
        free(e->what);
        e->what = t;
        e->shown_user = text_term(e->user);
        if (!wanted(e, period ? &p : NULL, user))
            continue;
        if (ui_width(e->shown_user) > wuser)
            wuser = ui_width(e->shown_user);
        if (ui_width(e->how) > whow)
            whow = ui_width(e->how);
        shown++;
    }
    FILE *out = ctx->out;
    fputs("Revisionsspår för ", out);
    text_term_put(out, b.name);
    if (period)
        fprintf(out, ", registrerat %s", p.label);
    if (user) {
        fputs(", användare ", out);
        text_term_put(out, user);
    }
    fprintf(out, "\n");
    if (!shown) {
        fprintf(out, "Inga händelser.\n");
    } else {
        ui_pad(out, "Registrerad", 22, 0);
        ui_pad(out, "Användare", wuser + 2, 0);
        ui_pad(out, "Källa", whow + 2, 0);
        fprintf(out, "Vad\n");
    }
    for (size_t i = 0; i < l.n; i++) {
        const log_event *e = &l.v[i];
        if (wanted(e, period ? &p : NULL, user)) {
            ui_pad(out, *e->when ? e->when : "(okänd tid)", 22, 0);
            ui_pad(out, *e->user ? e->shown_user : "(okänd)", wuser + 2, 0);
            ui_pad(out, e->how, whow + 2, 0);
            fprintf(out, "%s\n", e->what);
        }
        free(e->how);
        free(e->what);
        free(e->shown_user);
    }
    free(l.v);
    book_free(&b);
    return EXIT_OKAY;
}
