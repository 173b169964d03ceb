/* cli - see cli.h. */
#include "cli.h"
#include "mem.h"

#include <dirent.h>
#include <getopt.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

const char *cli_book_dir(cli_ctx *ctx)
{
    if (ctx->book_dir)
        return ctx->book_dir;
    const char *env = getenv("SAMLA_BOOK");
    if (env && *env)
        return ctx->book_dir = env;
    /* The one book under ./ledgers/: a folder with organisation.csv. */
    static const char *const base = "ledgers";
    DIR *d = opendir(base);
    if (!d) {
        fprintf(ctx->err, "samla: ingen bok angiven och ingen mapp ledgers/ "
                          "här; ange boken med -f MAPP eller SAMLA_BOOK\n");
        return NULL;
    }
    char *found = NULL;
    int count = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s/%s", base, de->d_name,
                 BOOK_ORGANISATION);
        if (stat(path, &st) == 0) {
            count++;
            if (!found || strcmp(de->d_name, found + strlen(base) + 1) < 0) {
                free(found);
                size_t n = strlen(base) + strlen(de->d_name) + 2;
                found = mem_alloc(n);
                snprintf(found, n, "%s/%s", base, de->d_name);
            }
        }
    }
    closedir(d);
    if (count != 1) {
        fprintf(ctx->err,
                count ? "samla: flera böcker under ledgers/; välj en med -f "
                        "MAPP\n"
                      : "samla: ingen bok under ledgers/; skapa en med "
                        "'samla init' eller ange -f MAPP\n");
        free(found);
        return NULL;
    }
    /* Kept for the process's life; the context does not own strings. */
    static char chosen[4096];
    snprintf(chosen, sizeof chosen, "%s", found);
    free(found);
    return ctx->book_dir = chosen;
}

int cli_report(cli_ctx *ctx, diag_list *dl)
{
    diag_print(dl, ctx->err);
    return diag_errors(dl) ? EXIT_DATA : EXIT_OKAY;
}

/* Load the book; the caller holds a lock on it (shared or exclusive). */
static int load_held(cli_ctx *ctx, const char *dir, book *b)
{
    diag_list dl;
    diag_init(&dl);
    int rc = book_load(b, dir, &dl);
    ctx->warnings = 0;
    for (size_t i = 0; i < dl.n; i++)
        ctx->warnings += dl.v[i].level == DIAG_WARNING;
    cli_report(ctx, &dl);
    diag_free(&dl);
    if (rc != SAMLA_OK) {
        fprintf(ctx->err, "samla: boken %s har fel; inget har ändrats\n", dir);
        book_free(b); /* nothing left for the caller to free */
        return EXIT_DATA;
    }
    return EXIT_OKAY;
}

/* Take the book's lock, shared for reading or exclusive for writing,
 * waiting as long as it takes; on failure print why and return -1. The
 * one way both loads lock. */
static int take_lock(cli_ctx *ctx, const char *dir, store_lock *lock,
                     int exclusive)
{
    diag_list dl;
    diag_init(&dl);
    samla_err e = exclusive ? store_lock_acquire(lock, dir, -1, &dl)
                            : store_lock_shared(lock, dir, -1, &dl);
    if (e != SAMLA_OK)
        cli_report(ctx, &dl);
    diag_free(&dl);
    return e == SAMLA_OK ? 0 : -1;
}

int cli_load(cli_ctx *ctx, book *b)
{
    const char *dir = cli_book_dir(ctx);
    if (!dir) {
        memset(b, 0, sizeof *b); /* empty: book_free passes over it */
        return EXIT_DATA;
    }
    /* A shared lock for the whole load: no writer commits in the middle,
     * so the files read are one state of the book (an earmark decision and
     * the entry that uses it are seen both or neither). */
    store_lock lock;
    if (take_lock(ctx, dir, &lock, 0) != 0) {
        memset(b, 0, sizeof *b); /* empty: book_free passes over it */
        return EXIT_DATA;
    }
    int rc = load_held(ctx, dir, b);
    store_lock_release(&lock);
    return rc;
}

int cli_load_locked(cli_ctx *ctx, book *b, store_lock *lock)
{
    const char *dir = cli_book_dir(ctx);
    memset(lock, 0, sizeof *lock);
    lock->fd = -1;
    lock->dir_fd = -1;
    if (!dir) {
        memset(b, 0, sizeof *b); /* empty: book_free passes over it */
        return EXIT_DATA;
    }
    if (take_lock(ctx, dir, lock, 1) != 0) {
        memset(b, 0, sizeof *b); /* empty: book_free passes over it */
        return EXIT_DATA;
    }
    int rc = load_held(ctx, dir, b);
    if (rc != EXIT_OKAY)
        store_lock_release(lock);
    return rc;
}

void cli_unlock(store_lock *lock)
{
    store_lock_release(lock);
}

int cli_usage_error(cli_ctx *ctx, const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(ctx->err, "samla %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(ctx->err, fmt, ap);
    va_end(ap);
    fprintf(ctx->err, "\nSe 'samla %s --help'.\n", cmd);
    return EXIT_USAGE;
}

int cli_bad_option(cli_ctx *ctx, const char *cmd, char *const argv[],
                   const char *shortopts)
{
    /* glibc: after '?', argv[optind - 1] is the offending long option (its
     * "=value" included); optopt is 0 for an unknown long option, else the
     * option whose value is missing (a short one's letter). */
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    if (arg && strncmp(arg, "--", 2) == 0) {
        int n = (int)strcspn(arg, "=");
        if (optopt != 0)
            return cli_usage_error(ctx, cmd, "%.*s saknar ett värde", n, arg);
        return cli_usage_error(ctx, cmd, "okänd flagga %.*s", n, arg);
    }
    if (optopt > 0 && optopt < 128 && optopt != ':' &&
        strchr(shortopts, optopt) != NULL)
        return cli_usage_error(ctx, cmd, "-%c saknar ett värde", optopt);
    if (optopt > 0 && optopt < 128)
        return cli_usage_error(ctx, cmd, "okänd flagga -%c", optopt);
    return cli_usage_error(ctx, cmd, "okänd flagga %s", arg ? arg : "");
}

int cli_amount(cli_ctx *ctx, const char *opt, const char *s, dec_t *out)
{
    dec_error err;
    if (dec_parse(out, s, strlen(s), &err) == 0)
        return 0;
    char why[96];
    fprintf(ctx->err, "samla: %s \"%s\": fel: %s\n", opt, s,
            dec_error_text(&err, why, sizeof why));
    return -1;
}

int cli_date(cli_ctx *ctx, const char *opt, const char *s, date_t *out)
{
    if (!s || strcmp(s, "-") == 0) {
        *out = date_today();
        return 0;
    }
    size_t col;
    const char *msg;
    if (date_parse(out, s, strlen(s), &col, &msg) == 0)
        return 0;
    fprintf(ctx->err, "samla: %s \"%s\": kolumn %zu: fel: %s\n", opt, s, col,
            msg);
    return -1;
}

const char *cli_user(cli_ctx *ctx)
{
    if (ctx->user && *ctx->user)
        return ctx->user;
    const char *env = getenv("SAMLA_USER");
    if (env && *env)
        return ctx->user = env;
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name)
        return ctx->user = pw->pw_name;
    return ctx->user = "okänd";
}

int cli_is_help(const char *s)
{
    return strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0;
}

/* The commands' one-line summaries, for `samla --help`. */
static void usage(FILE *f, const cli_command *cmds, size_t ncmds)
{
    fprintf(f, "Användning: samla [-f BOK] [--user NAMN] KOMMANDO [flaggor]\n\n"
               "Kommandon:\n");
    for (size_t i = 0; i < ncmds; i++)
        fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
    fprintf(f, "\nBoken väljs med -f MAPP, annars $SAMLA_BOOK, annars den enda "
               "boken under ./ledgers/.\n"
               "'samla KOMMANDO --help' visar ett kommandos flaggor.\n"
               "Slutstatus: 0 ok, 1 fel i data, 2 fel i anropet.\n");
}

int cli_main(int argc, char **argv, const cli_command *cmds, size_t ncmds)
{
    cli_ctx ctx = {NULL, NULL, stdout, stderr, 0};
    int i = 1;
    opterr = 0; /* getopt's messages are English: cli_bad_option speaks */
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (cli_is_help(argv[i])) {
            usage(stdout, cmds, ncmds);
            return EXIT_OKAY;
        } else if ((!strcmp(argv[i], "-f") || !strcmp(argv[i], "--book")) &&
                   i + 1 < argc) {
            ctx.book_dir = argv[++i];
        } else if (!strcmp(argv[i], "--user") && i + 1 < argc) {
            ctx.user = argv[++i];
        } else if (!strcmp(argv[i], "--version")) {
            printf("samla 0.1\n");
            return EXIT_OKAY;
        } else {
            fprintf(stderr, "samla: okänd flagga %s\n\n", argv[i]);
            usage(stderr, cmds, ncmds);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(stderr, cmds, ncmds);
        return EXIT_USAGE;
    }
    if (!strcmp(argv[i], "help")) {
        usage(stdout, cmds, ncmds);
        return EXIT_OKAY;
    }
    for (size_t c = 0; c < ncmds; c++)
        if (!strcmp(argv[i], cmds[c].name))
            return cmds[c].run(&ctx, argc - i, argv + i);
    fprintf(stderr, "samla: okänt kommando '%s'\n\n", argv[i]);
    usage(stderr, cmds, ncmds);
    return EXIT_USAGE;
}
