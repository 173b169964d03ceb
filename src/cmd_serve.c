/*
 * cmd_serve - the `samla serve` command: options, the password file and the
 * CSRF secret; serve_http.c runs the server.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "cmd.h"
#include "serve.h"

static const char serve_help[] =
    "Användning: samla serve [--port PORT] [--bind ADRESS]\n"
    "                   [--password-file FIL]\n"
    "Startar webbsidan för boken: översikt, registrera kvartal, öronmärkta\n"
    "medel, budget, verifikationer och nedladdning av arbetsböckerna.\n"
    "  --port           port att lyssna på (standard 8080; 0 = välj en ledig)\n"
    "  --bind           adress att lyssna på (standard 127.0.0.1, bara den\n"
    "                   egna datorn); en annan adress kräver --password-file\n"
    "  --password-file  fil med rader NAMN:LÖSENORD (får bara kunna läsas av\n"
    "                   ägaren, chmod 600); sidan kräver då inloggning.\n"
    "                   Lägg TLS framför (t.ex. nginx), se docs/web.md\n"
    "  -f MAPP          boken; --user NAMN  vem som registrerar (utan\n"
    "                   inloggning)\n"
    "Ctrl-C avslutar.\n";

static void users_free(serve_app *app)
{
    for (size_t i = 0; i < app->nusers; i++) {
        /* The passwords were secrets: wipe them before freeing. */
        if (app->users[i].password)
            explicit_bzero(app->users[i].password,
                           strlen(app->users[i].password));
        free(app->users[i].name);
        free(app->users[i].password);
    }
    free(app->users);
    app->users = NULL;
    app->nusers = 0;
}

/* Read NAME:PASSWORD lines ('#' comments and blank lines skipped). The file
 * must be readable by its owner alone, as ssh demands of its keys. */
static int read_password_file(serve_app *app, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "samla serve: %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        fprintf(stderr, "samla serve: %s: inte en vanlig fil\n", path);
        return -1;
    }
    if (st.st_mode & 077) {
        fprintf(stderr, "samla serve: %s: lösenordsfilen får bara kunna läsas "
                        "av ägaren (chmod 600 %s)\n", path, path);
        return -1;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "samla serve: %s: %s\n", path, strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        char *colon = strchr(line, ':');
        if (!colon || colon == line || colon[1] == '\0') {
            fprintf(stderr, "samla serve: %s:%ld: väntade NAMN:LÖSENORD\n",
                    path, lineno);
            rc = -1;
            break;
        }
        *colon = '\0';
        serve_user *u = realloc(app->users, (app->nusers + 1) * sizeof *u);
        if (!u)
            abort();
        app->users = u;
        u[app->nusers].name = strdup(line);
        u[app->nusers].password = strdup(colon + 1);
        if (!u[app->nusers].name || !u[app->nusers].password)
            abort();
        app->nusers++;
    }
    if (line) {
        explicit_bzero(line, cap);
        free(line);
    }
    fclose(f);
    if (rc == 0 && app->nusers == 0) {
        fprintf(stderr, "samla serve: %s: inga användare i filen\n", path);
        rc = -1;
    }
    if (rc != 0)
        users_free(app);
    return rc;
}

/* The CSRF secret: 32 bytes from the kernel's random source, as hex. One
 * per server start: a restart invalidates open forms, which then say so. */
static int make_csrf(serve_app *app)
{
    unsigned char raw[32];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "samla serve: getrandom: %s\n", strerror(errno));
            return -1;
        }
        got += (size_t)n;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof raw; i++) {
        app->csrf[2 * i] = hex[raw[i] >> 4];
        app->csrf[2 * i + 1] = hex[raw[i] & 15];
    }
    app->csrf[64] = '\0';
    explicit_bzero(raw, sizeof raw);
    return 0;
}

int cmd_serve(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},
        {"bind", required_argument, NULL, 'b'},
        {"password-file", required_argument, NULL, 'P'},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *bind_addr = "127.0.0.1", *pwfile = NULL;
    long port = 8080;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(serve_help, ctx->out); return EXIT_OKAY;
        case 'p': {
            char *end;
            errno = 0;
            port = strtol(optarg, &end, 10);
            if (errno || *end || end == optarg || port < 0 || port > 65535)
                return cli_usage_error(ctx, "serve",
                                       "--port vill ha ett tal 0–65535");
            break;
        }
        case 'b': bind_addr = optarg; break;
        case 'P': pwfile = optarg; break;
        case 'f': ctx->book_dir = optarg; break;
        case 'U': ctx->user = optarg; break;
        default: return cli_bad_option(ctx, "serve", argv, "f:h");
        }
    }
    if (optind != argc)
        return cli_usage_error(ctx, "serve", "oväntat argument \"%s\"",
                               argv[optind]);
    serve_app app;
    memset(&app, 0, sizeof app);
    app.book_dir = cli_book_dir(ctx);
    if (!app.book_dir)
        return EXIT_DATA;
    /* Refuse to start on a book that does not load, rather than serve an
     * error page forever. */
    book b;
    int rc = cli_load(ctx, &b);
    book_free(&b);
    if (rc != EXIT_OKAY)
        return rc;
    app.default_user = cli_user(ctx);
    app.now = date_now_utc;
    app.port = (unsigned)port;
    if (pwfile && read_password_file(&app, pwfile) != 0)
        return EXIT_DATA;
    if (make_csrf(&app) != 0) {
        users_free(&app);
        return EXIT_DATA;
    }
    int err = serve_run(&app, bind_addr);
    rc = err == SAMLA_OK ? EXIT_OKAY : err == SAMLA_EUSAGE ? EXIT_USAGE : EXIT_DATA;
    users_free(&app);
    explicit_bzero(app.csrf, sizeof app.csrf);
    return rc;
}
