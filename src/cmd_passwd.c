/*
 * cmd_passwd - `samla passwd --password-file FIL NAMN`: create or change a
 * user of the web page's password file. The file holds only salted
 * yescrypt hashes (serve_password_hash), never a password; it is written
 * atomically through store.c, readable by its owner alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"
#include "mem.h"
#include "text.h"
#include "serve.h"
#include "store.h"

#define MIN_PASSWORD 10
/* Far beyond any passphrase; a longer line is a file given by mistake
 * (libcrypt would refuse it without saying why). */
#define MAX_PASSWORD 1024

static const char passwd_help[] =
    "Användning: samla passwd --password-file FIL NAMN\n"
    "Lägger till användaren NAMN i lösenordsfilen för samla serve, eller\n"
    "byter hennes lösenord. Lösenordet frågas efter två gånger (utan eko);\n"
    "kommer det från en pipe läses en rad. Filen innehåller bara saltade\n"
    "yescrypt-hash, aldrig lösenord, och kan bara läsas av ägaren.\n"
    "  --password-file FIL  filen (skapas om den saknas)\n";

/* One line from f without its newline, into a malloc'd string; echo off
 * when f is a terminal. NULL at end of input. */
static char *read_secret(FILE *in, FILE *prompt_to, const char *prompt)
{
    int fd = fileno(in), tty = isatty(fd);
    struct termios old, quiet;
    if (tty) {
        fputs(prompt, prompt_to);
        fflush(prompt_to);
        if (tcgetattr(fd, &old) == 0) {
            quiet = old;
            quiet.c_lflag &= ~(tcflag_t)ECHO;
            tcsetattr(fd, TCSAFLUSH, &quiet);
        } else {
            tty = 0;
        }
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, in);
    if (tty) {
        tcsetattr(fd, TCSAFLUSH, &old);
        fputc('\n', prompt_to);
    }
    if (n < 0) {
        free(line);
        return NULL;
    }
    while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    return line;
}

static void wipe(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

/* The folder of path, for the lock ("." when none). */
static void dir_of(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
}

int cmd_passwd(cli_ctx *ctx, int argc, char **argv)
{
    static const struct option opts[] = {
        {"password-file", required_argument, NULL, 'P'},
        {"help", no_argument, NULL, 'h'},
        {0, 0, 0, 0}};
    const char *file = NULL;
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(passwd_help, ctx->out); return EXIT_OKAY;
        case 'P': file = optarg; break;
        default: return cli_usage_error(ctx, "passwd", "okänd flagga");
        }
    }
    if (!file)
        return cli_usage_error(ctx, "passwd", "--password-file FIL saknas");
    if (optind + 1 != argc)
        return cli_usage_error(ctx, "passwd", "ange ett användarnamn");
    const char *name = argv[optind];
    if (!serve_user_name_ok(name, strlen(name))) {
        /* A bad value, not a bad call (exit 1, as --amount 12,3,4); the
         * name is quoted as a terminal may show it. */
        char *shown = text_term(name);
        fprintf(ctx->err, "samla passwd: fel: användarnamnet \"%s\" går "
                          "inte: 1–64 tecken UTF-8, utan kolon och "
                          "styrtecken; inget ändrades\n", shown);
        free(shown);
        return EXIT_DATA;
    }

    char *pw = read_secret(stdin, ctx->err, "Nytt lösenord: ");
    if (!pw) {
        fprintf(ctx->err, "samla passwd: inget lösenord angavs\n");
        return EXIT_DATA;
    }
    if (isatty(fileno(stdin))) {
        char *again = read_secret(stdin, ctx->err, "Samma lösenord igen: ");
        int same = again && strcmp(again, pw) == 0;
        wipe(again);
        if (!same) {
            wipe(pw);
            fprintf(ctx->err, "samla passwd: lösenorden var olika; inget "
                              "ändrades\n");
            return EXIT_DATA;
        }
    }
    size_t pwlen = strlen(pw);
    if (!text_utf8_valid(pw, pwlen) || text_chars(pw, pwlen) < MIN_PASSWORD ||
        text_chars(pw, pwlen) > MAX_PASSWORD) {
        wipe(pw);
        fprintf(ctx->err, "samla passwd: lösenordet måste vara %d–%d "
                          "tecken (UTF-8); inget ändrades\n", MIN_PASSWORD,
                MAX_PASSWORD);
        return EXIT_DATA;
    }
    char hash[256];
    int hrc = serve_password_hash(pw, hash, sizeof hash);
    wipe(pw);
    if (hrc != 0) {
        fprintf(ctx->err, "samla passwd: libcrypt kunde inte göra ett "
                          "yescrypt-hash\n");
        return EXIT_DATA;
    }

    diag_list dl;
    diag_init(&dl);
    char dir[4096];
    dir_of(file, dir, sizeof dir);
    store_lock lock;
    if (store_lock_acquire(&lock, dir, -1, &dl) != SAMLA_OK)
    {
        cli_report(ctx, &dl);
        diag_free(&dl);
        return EXIT_DATA;
    }
    int rc = EXIT_DATA;
    char *text = NULL;
    size_t len = 0;
    struct stat st;
    if (stat(file, &st) == 0) {
        if (st.st_mode & 077) {
            fprintf(ctx->err, "samla passwd: %s: lösenordsfilen får bara kunna "
                              "läsas av ägaren (chmod 600 %s)\n", file, file);
            goto out;
        }
        if (store_read_file(file, &text, &len, &dl) != SAMLA_OK)
            goto out;
        serve_user *users;
        size_t n;
        if (serve_users_parse(file, text, len, &users, &n, &dl) != 0)
            goto out;
        serve_users_free(users, n);
    } else if (errno == ENOENT) {
        /* A new file is made private before anything is written to it:
         * store_write_atomic keeps an existing file's permissions. */
        int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) {
            fprintf(ctx->err, "samla passwd: %s: %s\n", file, diag_errno_text(errno));
            goto out;
        }
        close(fd);
        text = mem_strdup("# samla serve: användare och yescrypt-hash "
                          "(samla passwd)\n");
        len = strlen(text);
    } else {
        fprintf(ctx->err, "samla passwd: %s: %s\n", file, diag_errno_text(errno));
        goto out;
    }
    /* The lines of the file as they are, the user's own line replaced (or
     * added at the end). */
    {
        size_t nlen = strlen(name), cap = len + strlen(hash) + nlen + 4, o = 0;
        char *out = mem_alloc(cap);
        int replaced = 0;
        const char *p = text, *end = text + len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *e = nl ? nl + 1 : end;
            if (!replaced && (size_t)(e - p) > nlen && memcmp(p, name, nlen) == 0 &&
                p[nlen] == ':') {
                o += (size_t)sprintf(out + o, "%s:%s\n", name, hash);
                replaced = 1;
            } else {
                memcpy(out + o, p, (size_t)(e - p));
                o += (size_t)(e - p);
                if (!nl)
                    out[o++] = '\n';
            }
            p = e;
        }
        if (!replaced)
            o += (size_t)sprintf(out + o, "%s:%s\n", name, hash);
        /* The new file read back with the server's own reader: it must
         * load and hold the user with the new hash. */
        serve_user *back;
        size_t nback, found = 0;
        if (serve_users_parse(file, out, o, &back, &nback, &dl) == 0) {
            for (size_t i = 0; i < nback; i++)
                found += strcmp(back[i].name, name) == 0 &&
                         strcmp(back[i].hash, hash) == 0;
            serve_users_free(back, nback);
            if (found != 1)
                diag_error(&dl, file, 0, 0, "den nya raden skulle inte "
                                            "läsas tillbaka likadant");
        }
        if (diag_errors(&dl) == 0 &&
            store_write_atomic(file, out, o, &dl) == SAMLA_OK) {
            char *shown = text_term(name);
            fprintf(ctx->out, "samla passwd: %s %s i %s\n", shown,
                    replaced ? "fick nytt lösenord" : "lades till", file);
            free(shown);
            rc = EXIT_OKAY;
        }
        free(out);
    }
out:
    store_lock_release(&lock);
    if (text) {
        explicit_bzero(text, len);
        free(text);
    }
    if (rc != EXIT_OKAY)
        cli_report(ctx, &dl);
    diag_free(&dl);
    return rc;
}
