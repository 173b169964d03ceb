/*
 * serve_login - password mode: the password file (NAME:HASH lines, salted
 * yescrypt hashes made by `samla passwd`, never a password), checking a
 * login against it, and the pages Logga in / Logga ut.
 */
#include <crypt.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mem.h"
#include "text.h"
#include "serve_auth.h"
#include "store.h"

/* ---- Hashes ----------------------------------------------------------------- */

int serve_password_hash(const char *password, char *out, size_t size)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    /* "$y$": yescrypt at libcrypt's default cost; the salt's random bytes
     * come from the kernel (rbytes NULL). */
    if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, sizeof salt))
        return -1;
    struct crypt_data *cd = calloc(1, sizeof *cd);
    if (!cd)
        return -1;
    const char *h = crypt_r(password, salt, cd);
    int rc = -1;
    if (h && h[0] == '$' && strlen(h) < size) {
        memcpy(out, h, strlen(h) + 1);
        rc = 0;
    }
    explicit_bzero(cd, sizeof *cd);
    free(cd);
    return rc;
}

int serve_password_check(const char *password, const char *hash)
{
    struct crypt_data *cd = calloc(1, sizeof *cd);
    if (!cd)
        return 0;
    const char *h = crypt_r(password, hash, cd);
    int ok = h && h[0] == '$' && serve_secret_eq(h, hash);
    explicit_bzero(cd, sizeof *cd);
    free(cd);
    return ok;
}

/* ---- The file ---------------------------------------------------------------- */

void serve_users_free(serve_user *users, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(users[i].name);
        free(users[i].hash);
    }
    free(users);
}

/* A crypt(3) hash: "$id$…" in crypt's own alphabet. Anything else (a
 * password written into the file by hand) is refused. */
static int looks_hashed(const char *h)
{
    if (h[0] != '$' || strlen(h) < 20)
        return 0;
    int dollars = 0;
    for (const char *p = h; *p; p++) {
        if (*p == '$')
            dollars++;
        else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9') || *p == '.' || *p == '/' ||
                   *p == '='))
            return 0;
    }
    return dollars >= 3;
}

int serve_user_name_ok(const char *name, size_t len)
{
    text_fault f;
    return len > 0 && name[0] != '#' && memchr(name, ':', len) == NULL &&
           text_check(name, len, 64, 0, &f) == 0;
}

int serve_users_parse(const char *path, const char *text, size_t len,
                      serve_user **users, size_t *n, diag_list *dl)
{
    *users = NULL;
    *n = 0;
    if (!text_utf8_valid(text, len)) {
        diag_error(dl, path, 0, 0,
                   "lösenordsfilen är inte giltig UTF-8; skapa den med "
                   "samla passwd");
        return -1;
    }
    size_t errors = 0, cap = 0;
    long lineno = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        lineno++;
        size_t ll = (size_t)(e - p);
        if (ll && p[ll - 1] == '\r')
            ll--;
        if (ll == 0 || p[0] == '#') {
            p = nl ? nl + 1 : end;
            continue;
        }
        const char *colon = memchr(p, ':', ll);
        int bad_ctrl = 0;
        for (size_t i = 0; i < ll; i++)
            bad_ctrl |= (unsigned char)p[i] < 0x20 || p[i] == 0x7f;
        if (bad_ctrl || !colon || colon == p) {
            diag_error(dl, path, lineno, 0,
                       bad_ctrl ? "raden har styrtecken"
                                : "väntade NAMN:HASH (skapa raden med samla "
                                  "passwd NAMN)");
            errors++;
        } else {
            char *name = mem_strndup(p, (size_t)(colon - p));
            char *hash = mem_strndup(colon + 1, ll - (size_t)(colon - p) - 1);
            if (!serve_user_name_ok(name, strlen(name))) {
                diag_error(dl, path, lineno, 1,
                           "användarnamnet går inte: 1–64 tecken UTF-8, utan "
                           "kolon och styrtecken");
                errors++;
                free(name);
                explicit_bzero(hash, strlen(hash));
                free(hash);
            } else if (!looks_hashed(hash)) {
                diag_error(dl, path, lineno, (long)(colon - p) + 2,
                           "det som står efter kolon är inget lösenordshash "
                           "(ett lösenord i klartext?); lösenordsfilen får "
                           "bara innehålla hash: skapa raden med samla "
                           "passwd %s", name);
                errors++;
                free(name);
                explicit_bzero(hash, strlen(hash));
                free(hash);
            } else {
                mem_grow((void **)users, &cap, *n + 1, sizeof **users);
                (*users)[*n].name = name;
                (*users)[*n].hash = hash;
                (*n)++;
            }
        }
        p = nl ? nl + 1 : end;
    }
    if (errors) {
        serve_users_free(*users, *n);
        *users = NULL;
        *n = 0;
        return -1;
    }
    return 0;
}

/* Read and check the file: a regular file that only its owner can read
 * (as ssh demands of its keys), valid UTF-8, hashes only. */
static int pw_read(serve_pwfile *pw, diag_list *dl)
{
    struct stat st;
    if (stat(pw->path, &st) != 0) {
        diag_error(dl, pw->path, 0, 0, "kan inte läsa lösenordsfilen: %s",
                   diag_errno_text(errno));
        return SAMLA_EIO;
    }
    if (!S_ISREG(st.st_mode)) {
        diag_error(dl, pw->path, 0, 0, "inte en vanlig fil");
        return SAMLA_EIO;
    }
    if (st.st_mode & 077) {
        diag_error(dl, pw->path, 0, 0,
                   "lösenordsfilen får bara kunna läsas av ägaren "
                   "(chmod 600 %s)", pw->path);
        return SAMLA_EDATA;
    }
    char *text;
    size_t len;
    int rc = store_read_file(pw->path, &text, &len, dl);
    if (rc != SAMLA_OK)
        return rc;
    serve_user *users;
    size_t n;
    int prc = serve_users_parse(pw->path, text, len, &users, &n, dl);
    explicit_bzero(text, len);
    free(text);
    if (prc != 0)
        return SAMLA_EDATA;
    if (n == 0) {
        diag_error(dl, pw->path, 0, 0,
                   "inga användare i filen; lägg till en med samla passwd");
        return SAMLA_EDATA;
    }
    serve_users_free(pw->users, pw->n);
    pw->users = users;
    pw->n = n;
    memset(&pw->sig, 0, sizeof pw->sig);
    pw->sig.exists = 1;
    pw->sig.dev = st.st_dev;
    pw->sig.ino = st.st_ino;
    pw->sig.size = (unsigned long long)st.st_size;
    pw->sig.mtime_s = st.st_mtim.tv_sec;
    pw->sig.mtime_ns = st.st_mtim.tv_nsec;
    return SAMLA_OK;
}

int serve_pwfile_open(serve_pwfile *pw, const char *path, diag_list *dl)
{
    memset(pw, 0, sizeof *pw);
    pw->path = path;
    pthread_mutex_init(&pw->mu, NULL);
    pw->ready = 1;
    if (serve_password_hash("samla", pw->dummy, sizeof pw->dummy) != 0) {
        diag_error(dl, path, 0, 0, "libcrypt kan inte göra yescrypt-hash");
        return SAMLA_EIO;
    }
    return pw_read(pw, dl);
}

void serve_pwfile_close(serve_pwfile *pw)
{
    if (!pw->ready)
        return;
    serve_users_free(pw->users, pw->n);
    pthread_mutex_destroy(&pw->mu);
    memset(pw, 0, sizeof *pw);
}

int serve_pwfile_verify(serve_app *app, const char *name, const char *password)
{
    serve_pwfile *pw = serve_auth_pwfile(app);
    char hash[256];
    int known = 0;
    pthread_mutex_lock(&pw->mu);
    struct stat st;
    if (stat(pw->path, &st) == 0 &&
        (pw->sig.ino != st.st_ino || pw->sig.dev != st.st_dev ||
         pw->sig.size != (unsigned long long)st.st_size ||
         pw->sig.mtime_s != st.st_mtim.tv_sec ||
         pw->sig.mtime_ns != st.st_mtim.tv_nsec)) {
        /* Changed (samla passwd): read it again. A broken file keeps the
         * users read before, and the log says why. */
        diag_list dl;
        diag_init(&dl);
        if (pw_read(pw, &dl) != SAMLA_OK) {
            fprintf(stderr, "samla serve: lösenordsfilen ändrades men kan "
                            "inte läsas; de tidigare användarna gäller:\n");
            diag_print(&dl, stderr);
        }
        diag_free(&dl);
    }
    snprintf(hash, sizeof hash, "%s", pw->dummy);
    for (size_t i = 0; i < pw->n; i++)
        if (strcmp(pw->users[i].name, name) == 0) {
            snprintf(hash, sizeof hash, "%s", pw->users[i].hash);
            known = 1;
        }
    pthread_mutex_unlock(&pw->mu);
    serve_hash_enter(app);
    int ok = serve_password_check(password, hash);
    serve_hash_leave(app);
    return ok && known;
}

/* ---- Pages ------------------------------------------------------------------ */

/* A path of ours to return to after the login, or "/". */
static const char *next_path(const char *p)
{
    if (!p || p[0] != '/' || p[1] == '/' || strpbrk(p, "\\\"<>\r\n ") ||
        strlen(p) > 100 || strcmp(p, "/logga-in") == 0 ||
        strcmp(p, "/logga-ut") == 0)
        return "/";
    return p;
}

static void login_form(serve_req *rq, serve_resp *rs, unsigned status,
                       const char *error, const char *name, const char *next)
{
    char csrf[65];
    serve_auth_login_csrf(rq, rs, csrf);
    html_buf h;
    html_init(&h);
    serve_page_begin(&h, rq, error ? "Fel: logga in" : "Logga in", NULL);
    if (error) {
        html_raw(&h, "<div class=\"error-summary\" role=\"alert\" "
                     "tabindex=\"-1\" autofocus id=\"inloggning-fel\"><h2>"
                     "Du är inte inloggad</h2><p>");
        html_esc(&h, error);
        html_raw(&h, "</p></div>\n");
    } else if (status == MHD_HTTP_UNAUTHORIZED) {
        html_raw(&h, "<p>Sidan kräver inloggning.</p>\n");
    }
    html_raw(&h, "<form method=\"post\" action=\"/logga-in\" class=\"login\">"
                 "\n<input type=\"hidden\" name=\"csrf\" value=\"");
    html_esc(&h, csrf);
    html_raw(&h, "\">\n<input type=\"hidden\" name=\"nasta\" value=\"");
    html_esc(&h, next_path(next));
    html_raw(&h, "\">\n<div class=\"field\"><label for=\"namn\">Användarnamn"
                 "</label><input type=\"text\" id=\"namn\" name=\"namn\" "
                 "autocomplete=\"username\" autocapitalize=\"none\" "
                 "spellcheck=\"false\" required");
    if (error)
        html_raw(&h, " aria-describedby=\"inloggning-fel\"");
    html_raw(&h, " value=\"");
    html_esc(&h, name ? name : "");
    html_raw(&h, "\"></div>\n<div class=\"field\"><label for=\"losenord\">"
                 "Lösenord</label><input type=\"password\" id=\"losenord\" "
                 "name=\"losenord\" autocomplete=\"current-password\" "
                 "required></div>\n<div class=\"actions\"><button "
                 "type=\"submit\">Logga in</button></div>\n</form>\n");
    serve_page_end(&h, rq);
    serve_page_done(rs, &h, status);
}

void serve_auth_refuse(serve_req *rq, serve_resp *rs)
{
    if (rq->app->password_file) {
        login_form(rq, rs, MHD_HTTP_UNAUTHORIZED, NULL, NULL,
                   rq->is_post ? "/" : rq->path);
        return;
    }
    serve_page_message(rs, rq, MHD_HTTP_UNAUTHORIZED, "Inloggning krävs",
                       "Öppna länken som samla serve skrev ut i terminalen "
                       "när den startade (den slutar med ?token=…). Den "
                       "gäller en gång; efter inloggningen skriver samla "
                       "serve ut en ny.");
}

int serve_page_login(serve_req *rq, serve_resp *rs)
{
    if (!rq->app->password_file) {
        serve_auth_refuse(rq, rs);
        return 0;
    }
    if (!rq->is_post) {
        if (rq->sid[0])
            serve_redirect(rs, "/");
        else
            login_form(rq, rs, MHD_HTTP_OK, NULL, NULL,
                       serve_query(rq, "nasta"));
        return 0;
    }
    const char *name = serve_form_get(&rq->form, "namn");
    const char *pass = serve_form_get(&rq->form, "losenord");
    const char *next = serve_form_get(&rq->form, "nasta");
    if (!name || !*name || !pass || !*pass) {
        login_form(rq, rs, MHD_HTTP_UNAUTHORIZED,
                   "Fyll i både användarnamn och lösenord.", name, next);
        return 0;
    }
    long long wait = serve_throttle_begin(rq, name);
    if (wait > 0) {
        serve_auth_too_many(rq, rs, wait);
        return 0;
    }
    int ok = serve_pwfile_verify(rq->app, name, pass);
    if (!ok) {
        /* A second's pause on every failure, besides the growing wait
         * between attempts (serve_throttle_begin). */
        sleep(1);
        serve_throttle_end(rq, name, 0);
        login_form(rq, rs, MHD_HTTP_UNAUTHORIZED,
                   "Fel användarnamn eller lösenord.", name, next);
        return 0;
    }
    serve_throttle_end(rq, name, 1);
    serve_auth_login_session(rq, rs, name);
    fprintf(stderr, "samla serve: inloggad från %s\n", rq->client);
    serve_redirect(rs, next_path(next));
    return 0;
}

int serve_page_logout(serve_req *rq, serve_resp *rs)
{
    serve_auth_logout(rq, rs);
    if (rq->app->password_file) {
        serve_redirect(rs, "/logga-in");
        return 0;
    }
    serve_page_message(rs, rq, MHD_HTTP_OK, "Utloggad",
                       "Du är utloggad. Logga in igen med den senaste länken "
                       "som samla serve skrev ut i terminalen.");
    return 0;
}
