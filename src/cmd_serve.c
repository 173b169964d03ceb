/*
 * cmd_serve - the `samla serve` command: options, certificate files, and
 * setting up the server's shared state; serve_http.c runs the server.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "serve.h"
#include "store.h"

static const char serve_help[] =
    "Användning: samla serve [--port PORT] [--bind ADRESS]\n"
    "                   [--password-file FIL] [--cert FIL --key FIL]\n"
    "                   [--trusted-proxy ADRESS] [--insecure-http]\n"
    "Startar webbsidan för boken: översikt, registrera kvartal, öronmärkta\n"
    "medel, budget, verifikationer och nedladdning av arbetsböckerna.\n"
    "Utan --password-file skriver samla serve ut en inloggningslänk med en\n"
    "engångsnyckel (?token=…); bara den som har länken kommer in.\n"
    "  --port           port att lyssna på (standard 8080; 0 = välj en ledig)\n"
    "  --bind           adress att lyssna på (standard 127.0.0.1, bara den\n"
    "                   egna datorn); en annan adress kräver --password-file\n"
    "                   och TLS (--cert/--key) eller --insecure-http\n"
    "  --password-file  fil med rader NAMN:HASH, gjorda med samla passwd\n"
    "                   (får bara kunna läsas av ägaren, chmod 600); sidan\n"
    "                   kräver då inloggning med namn och lösenord\n"
    "  --cert, --key    certifikat och nyckel (PEM): sidan serveras med HTTPS\n"
    "  --trusted-proxy  adressen till en proxy (nginx, Apache) vars\n"
    "                   X-Forwarded-Host/-Proto/-For ska gälla, se docs/web.md\n"
    "  --insecure-http  tillåt vanlig HTTP utanför den egna datorn (varnar)\n"
    "  -f MAPP          boken; --user NAMN  vem som registrerar (utan\n"
    "                   lösenordsfil)\n"
    "Ctrl-C avslutar.\n";

/* A PEM file into memory. The key must be readable by its owner alone. */
static char *read_pem(cli_ctx *ctx, const char *path, int secret)
{
    struct stat st;
    errno = 0;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(ctx->err, "samla serve: %s: kan inte läsas%s%s\n", path,
                errno ? ": " : "", errno ? diag_errno_text(errno) : "");
        return NULL;
    }
    if (secret && (st.st_mode & 077)) {
        fprintf(ctx->err, "samla serve: %s: nyckelfilen får bara kunna läsas "
                          "av ägaren (chmod 600 %s)\n", path, path);
        return NULL;
    }
    diag_list dl;
    diag_init(&dl);
    char *text = NULL;
    size_t len;
    if (store_read_file(path, &text, &len, &dl) != SAMLA_OK) {
        cli_report(ctx, &dl);
        diag_free(&dl);
        return NULL;
    }
    diag_free(&dl);
    if (!strstr(text, "-----BEGIN ")) {
        fprintf(ctx->err, "samla serve: %s: ingen PEM-fil (väntade "
                          "\"-----BEGIN …\")\n", path);
        if (secret)
            explicit_bzero(text, len);
        free(text);
        return NULL;
    }
    return text;
}

static void free_secret(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

int cmd_serve(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"port", required_argument, NULL, 'p'},
        {"bind", required_argument, NULL, 'b'},
        {"password-file", required_argument, NULL, 'P'},
        {"cert", required_argument, NULL, 'C'},
        {"key", required_argument, NULL, 'K'},
        {"trusted-proxy", required_argument, NULL, 'T'},
        {"insecure-http", no_argument, NULL, 'I'},
        {"book", required_argument, NULL, 'f'},
        {"user", required_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *bind_addr = "127.0.0.1", *pwfile = NULL, *cert = NULL,
               *key = NULL, *proxy = NULL;
    int insecure = 0;
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
        case 'C': cert = optarg; break;
        case 'K': key = optarg; break;
        case 'T': proxy = optarg; break;
        case 'I': insecure = 1; break;
        case 'f': ctx->book_dir = optarg; break;
        case 'U': ctx->user = optarg; break;
        default: return cli_bad_option(ctx, "serve", argv, "f:h");
        }
    }
    if (optind != argc)
        return cli_usage_error(ctx, "serve", "oväntat argument \"%s\"",
                               argv[optind]);
    if (!cert != !key)
        return cli_usage_error(ctx, "serve",
                               "--cert och --key anges tillsammans");
    struct in6_addr a6;
    struct in_addr a4;
    if (proxy && inet_pton(AF_INET, proxy, &a4) != 1 &&
        inet_pton(AF_INET6, proxy, &a6) != 1)
        return cli_usage_error(ctx, "serve",
                               "--trusted-proxy \"%s\" är ingen IP-adress",
                               proxy);
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
    app.port = (unsigned)port;
    app.password_file = pwfile;
    app.insecure_http = insecure;
    if (proxy)
        snprintf(app.trusted_proxy, sizeof app.trusted_proxy, "%s", proxy);
    char *cert_pem = NULL, *key_pem = NULL;
    if (cert) {
        cert_pem = read_pem(ctx, cert, 0);
        key_pem = cert_pem ? read_pem(ctx, key, 1) : NULL;
        if (!key_pem) {
            free(cert_pem);
            return EXIT_DATA;
        }
    }
    diag_list dl;
    diag_init(&dl);
    if (serve_auth_new(&app, &dl) != SAMLA_OK) {
        cli_report(ctx, &dl);
        diag_free(&dl);
        free(cert_pem);
        free_secret(key_pem);
        return EXIT_DATA;
    }
    diag_free(&dl);
    pthread_mutex_init(&app.write_mu, NULL);
    int err = SAMLA_ENOMEM;
    if (serve_books_new(&app) == 0 && serve_workbooks_new(&app) == 0)
        err = serve_run(&app, bind_addr, cert_pem, key_pem);
    serve_workbooks_free(&app);
    serve_books_free(&app);
    serve_auth_free(&app);
    pthread_mutex_destroy(&app.write_mu);
    free(cert_pem);
    free_secret(key_pem);
    return err == SAMLA_OK ? EXIT_OKAY : err == SAMLA_EUSAGE ? EXIT_USAGE
                                                              : EXIT_DATA;
}
