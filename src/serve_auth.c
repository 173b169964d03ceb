/*
 * serve_auth - who may use the page: sessions, the one-time login token,
 * the password file's users, throttling of failed logins, and one-time
 * form submission ids (see serve.h, docs/web.md).
 *
 * Without a password file the server prints a link with a random token
 * (32 bytes from the kernel); opening it once creates a session, whose id
 * goes into an HttpOnly, SameSite=Strict cookie, and the token is replaced
 * by a new one (printed again), so a link seen in a terminal's scroll-back
 * or a shell history is worth nothing once used. Everything else answers
 * 401 without a session: another user of the same computer can reach the
 * port but not the book.
 *
 * Every session has its own CSRF token. The login form of password mode
 * has none yet: its token is an HMAC of a random pre-login cookie under a
 * per-start secret, so a form posted from another site (which carries no
 * SameSite=Strict cookie) is refused.
 *
 * All state lives in struct serve_auth under one mutex; nothing here does
 * I/O while holding it except printing a new login link.
 */
#include <errno.h>
#include <microhttpd.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "mem.h"
#include "serve_auth.h"

#define MAX_SESSIONS 64
#define SESSION_IDLE_S (12 * 3600)
#define FORM_IDS 64
#define THROTTLES 1024
#define FREE_FAILURES 3      /* failures before any delay */
#define MAX_DELAY_S 60       /* longest wait between attempts */
#define FORGET_FAILURES_S 900 /* a quiet quarter of an hour resets */

typedef enum { FID_FREE, FID_PENDING, FID_BUSY, FID_USED } fid_state;

typedef struct {
    char id[33];
    fid_state state;
    unsigned long long seq; /* issue order, for replacing the oldest */
    char where[128];
} form_id;

typedef struct {
    int used;
    char id[65], csrf[65];
    char user[128];
    time_t last;
    form_id forms[FORM_IDS];
    unsigned long long seq;
} session;

typedef struct {
    char key[160];
    unsigned fails;
    long long until_ms, last_ms;
} throttle;

struct serve_auth {
    pthread_mutex_t mu;
    char token[65];     /* the current one-time token (token mode) */
    char secret[65];    /* per start: HMAC key of the login form's token */
    session sessions[MAX_SESSIONS];
    throttle thr[THROTTLES];
    serve_pwfile pw;    /* password mode */
    pthread_mutex_t hash_mu; /* at most HASHERS password checks at once */
    pthread_cond_t hash_cv;
    int hashing;
};

static long long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int serve_random_hex(char *out, size_t nbytes)
{
    unsigned char raw[64];
    if (nbytes > sizeof raw)
        return -1;
    size_t got = 0;
    while (got < nbytes) {
        ssize_t n = getrandom(raw + got, nbytes - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        got += (size_t)n;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[2 * nbytes] = '\0';
    explicit_bzero(raw, sizeof raw);
    return 0;
}

static void must_random(char *out, size_t nbytes)
{
    /* getrandom on Linux does not fail once the pool is ready; a server
     * that cannot make secrets must not run with guessable ones. */
    if (serve_random_hex(out, nbytes) != 0)
        abort();
}

int serve_auth_new(serve_app *app, diag_list *dl)
{
    serve_auth *a = calloc(1, sizeof *a);
    if (!a)
        return SAMLA_ENOMEM;
    pthread_mutex_init(&a->mu, NULL);
    pthread_mutex_init(&a->hash_mu, NULL);
    pthread_cond_init(&a->hash_cv, NULL);
    if (serve_random_hex(a->secret, 32) != 0 ||
        serve_random_hex(a->token, 32) != 0) {
        diag_error(dl, NULL, 0, 0, "slumptal kunde inte hämtas: %s",
                   diag_errno_text(errno));
        free(a);
        return SAMLA_EIO;
    }
    app->auth = a;
    if (app->password_file) {
        a->token[0] = '\0'; /* no token login with passwords */
        int rc = serve_pwfile_open(&a->pw, app->password_file, dl);
        if (rc != SAMLA_OK) {
            serve_auth_free(app);
            return rc;
        }
    }
    return SAMLA_OK;
}

void serve_auth_free(serve_app *app)
{
    serve_auth *a = app->auth;
    if (!a)
        return;
    serve_pwfile_close(&a->pw);
    pthread_mutex_destroy(&a->mu);
    pthread_mutex_destroy(&a->hash_mu);
    pthread_cond_destroy(&a->hash_cv);
    explicit_bzero(a, sizeof *a);
    free(a);
    app->auth = NULL;
}

serve_pwfile *serve_auth_pwfile(serve_app *app)
{
    return &app->auth->pw;
}

void serve_auth_login_url(serve_app *app, char *buf, size_t size)
{
    pthread_mutex_lock(&app->auth->mu);
    if (app->auth->token[0])
        snprintf(buf, size, "%s/?token=%s", app->base_url, app->auth->token);
    else
        snprintf(buf, size, "%s/logga-in", app->base_url);
    pthread_mutex_unlock(&app->auth->mu);
}

/* ---- Cookies ------------------------------------------------------------------ */

/* Cookie names carry the port: cookies of "localhost" are shared by every
 * port, and two servers must not overwrite each other's session. */
void serve_cookie_name(const serve_req *rq, const char *what, char *buf,
                       size_t size)
{
    snprintf(buf, size, "%ssamla-%s-%u", rq->https ? "__Host-" : "", what,
             rq->app->port);
}

char *serve_cookie(const serve_req *rq, const char *what, const char *value,
                   int forget)
{
    char name[64];
    serve_cookie_name(rq, what, name, sizeof name);
    return mem_printf("%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name,
                      value, rq->https ? "; Secure" : "",
                      forget ? "; Max-Age=0" : "");
}

static const char *cookie_value(const serve_req *rq, const char *what)
{
    char name[64];
    serve_cookie_name(rq, what, name, sizeof name);
    return MHD_lookup_connection_value(rq->conn, MHD_COOKIE_KIND, name);
}

static void add_cookie(serve_resp *rs, char *c)
{
    for (size_t i = 0; i < 2; i++)
        if (!rs->cookies[i]) {
            rs->cookies[i] = c;
            return;
        }
    free(c);
}

/* ---- Sessions ------------------------------------------------------------------- */

/* The session with this id, under a->mu; NULL when none or expired. */
static session *find_session(serve_auth *a, const char *sid)
{
    if (!sid || strlen(sid) != 64)
        return NULL;
    time_t now = time(NULL);
    session *hit = NULL;
    for (size_t i = 0; i < MAX_SESSIONS; i++) {
        session *s = &a->sessions[i];
        if (!s->used)
            continue;
        if (now - s->last > SESSION_IDLE_S) {
            explicit_bzero(s, sizeof *s);
            continue;
        }
        /* Compare with every one, in constant time each. */
        if (serve_secret_eq(sid, s->id))
            hit = s;
    }
    return hit;
}

static session *new_session(serve_auth *a, const char *user)
{
    session *s = NULL;
    for (size_t i = 0; i < MAX_SESSIONS && !s; i++)
        if (!a->sessions[i].used)
            s = &a->sessions[i];
    if (!s) { /* full: the one unused the longest makes room */
        s = &a->sessions[0];
        for (size_t i = 1; i < MAX_SESSIONS; i++)
            if (a->sessions[i].last < s->last)
                s = &a->sessions[i];
    }
    memset(s, 0, sizeof *s);
    s->used = 1;
    must_random(s->id, 32);
    must_random(s->csrf, 32);
    snprintf(s->user, sizeof s->user, "%s", user);
    s->last = time(NULL);
    return s;
}

static void fill_req(serve_req *rq, const session *s)
{
    snprintf(rq->sid, sizeof rq->sid, "%s", s->id);
    snprintf(rq->csrf, sizeof rq->csrf, "%s", s->csrf);
    snprintf(rq->user_buf, sizeof rq->user_buf, "%s", s->user);
    rq->user = rq->user_buf;
}

int serve_auth_session(serve_req *rq)
{
    serve_auth *a = rq->app->auth;
    const char *sid = cookie_value(rq, "session");
    pthread_mutex_lock(&a->mu);
    session *s = find_session(a, sid);
    if (s) {
        s->last = time(NULL);
        fill_req(rq, s);
    }
    pthread_mutex_unlock(&a->mu);
    return s != NULL;
}

void serve_auth_login_session(serve_req *rq, serve_resp *rs, const char *user)
{
    serve_auth *a = rq->app->auth;
    pthread_mutex_lock(&a->mu);
    /* A fresh id at every login: an id planted before the login (session
     * fixation) is never the one that is logged in. */
    session *s = new_session(a, user);
    fill_req(rq, s);
    pthread_mutex_unlock(&a->mu);
    add_cookie(rs, serve_cookie(rq, "session", rq->sid, 0));
}

void serve_auth_logout(serve_req *rq, serve_resp *rs)
{
    serve_auth *a = rq->app->auth;
    pthread_mutex_lock(&a->mu);
    session *s = find_session(a, rq->sid);
    if (s)
        explicit_bzero(s, sizeof *s);
    pthread_mutex_unlock(&a->mu);
    add_cookie(rs, serve_cookie(rq, "session", "", 1));
    rq->sid[0] = rq->csrf[0] = '\0';
}

/* ---- The one-time token ------------------------------------------------------ */

int serve_auth_token(serve_req *rq, serve_resp *rs)
{
    serve_auth *a = rq->app->auth;
    const char *given = serve_query(rq, "token");
    if (!given || rq->app->password_file)
        return 0;
    long long wait = serve_throttle_begin(rq, NULL);
    if (wait > 0) {
        serve_auth_too_many(rq, rs, wait);
        return 1;
    }
    pthread_mutex_lock(&a->mu);
    int ok = a->token[0] && serve_secret_eq(given, a->token);
    if (ok)
        must_random(a->token, 32); /* used once: the next link differs */
    pthread_mutex_unlock(&a->mu);
    if (!ok) {
        serve_throttle_end(rq, NULL, 0);
        serve_page_message(rs, rq, MHD_HTTP_FORBIDDEN,
                           "Fel: inloggningslänken gäller inte",
                           "Länken är redan använd eller fel. Använd den "
                           "senaste länken som samla serve skrev ut i "
                           "terminalen.");
        return 1;
    }
    serve_throttle_end(rq, NULL, 1);
    serve_auth_login_session(rq, rs, rq->app->default_user);
    char url[256];
    serve_auth_login_url(rq->app, url, sizeof url);
    printf("samla serve: inloggad från %s; nästa inloggningslänk: %s\n",
           rq->client, url);
    fflush(stdout);
    /* Away from the token: it must not stay in the address bar, the
     * history or a Referer. */
    serve_redirect(rs, strcmp(rq->path, "/logga-in") == 0 ? "/" : rq->path);
    return 1;
}

/* ---- CSRF ------------------------------------------------------------------------ */

/* The login form's token: HMAC-SHA256(secret, pre-login cookie), hex. */
static int login_token(serve_auth *a, const char *pre, char out[65])
{
    if (!pre || strlen(pre) != 64)
        return -1;
    unsigned char mac[32];
    unsigned int n = sizeof mac;
    if (!HMAC(EVP_sha256(), a->secret, (int)strlen(a->secret),
              (const unsigned char *)pre, strlen(pre), mac, &n))
        return -1;
    static const char hex[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        out[2 * i] = hex[mac[i] >> 4];
        out[2 * i + 1] = hex[mac[i] & 15];
    }
    out[64] = '\0';
    return 0;
}

void serve_auth_login_csrf(serve_req *rq, serve_resp *rs, char out[65])
{
    const char *pre = cookie_value(rq, "login");
    char fresh[65];
    if (!pre || strlen(pre) != 64) {
        must_random(fresh, 32);
        pre = fresh;
        add_cookie(rs, serve_cookie(rq, "login", fresh, 0));
    }
    if (login_token(rq->app->auth, pre, out) != 0)
        abort();
}

int serve_auth_csrf_ok(serve_req *rq, const char *given)
{
    if (!given)
        return 0;
    if (rq->sid[0])
        return serve_secret_eq(given, rq->csrf);
    char want[65];
    if (login_token(rq->app->auth, cookie_value(rq, "login"), want) != 0)
        return 0;
    return serve_secret_eq(given, want);
}

/* ---- Throttling failed logins ------------------------------------------------- */

static throttle *thr_get(serve_auth *a, const char *key, long long now)
{
    throttle *free_slot = NULL, *oldest = NULL;
    for (size_t i = 0; i < THROTTLES; i++) {
        throttle *t = &a->thr[i];
        if (t->key[0] && now - t->last_ms > FORGET_FAILURES_S * 1000LL &&
            now >= t->until_ms)
            t->key[0] = '\0';
        if (!t->key[0]) {
            if (!free_slot)
                free_slot = t;
            continue;
        }
        if (strcmp(t->key, key) == 0)
            return t;
        if (!oldest || t->last_ms < oldest->last_ms)
            oldest = t;
    }
    throttle *t = free_slot ? free_slot : oldest;
    memset(t, 0, sizeof *t);
    snprintf(t->key, sizeof t->key, "%s", key);
    t->last_ms = now;
    return t;
}

static long long delay_ms(unsigned fails)
{
    if (fails <= FREE_FAILURES)
        return 0;
    /* 4 s after the fourth failure, then doubling up to a minute. */
    unsigned shift = fails - FREE_FAILURES + 1;
    long long s = shift >= 6 ? MAX_DELAY_S : 1LL << shift;
    return (s > MAX_DELAY_S ? MAX_DELAY_S : s) * 1000;
}

long long serve_throttle_begin(serve_req *rq, const char *user)
{
    serve_auth *a = rq->app->auth;
    char kc[160], ku[160];
    snprintf(kc, sizeof kc, "klient %s", rq->client);
    if (user)
        snprintf(ku, sizeof ku, "användare %s", user);
    long long now = mono_ms(), wait = 0;
    pthread_mutex_lock(&a->mu);
    throttle *tc = thr_get(a, kc, now);
    throttle *tu = user ? thr_get(a, ku, now) : NULL;
    if (tc->until_ms > now)
        wait = tc->until_ms - now;
    if (tu && tu->until_ms - now > wait)
        wait = tu->until_ms - now;
    if (wait == 0) {
        /* Counted as failed until it succeeds, so attempts sent at once
         * are throttled as if one after another. */
        throttle *both[2] = {tc, tu};
        for (int i = 0; i < 2; i++) {
            if (!both[i])
                continue;
            both[i]->fails++;
            both[i]->last_ms = now;
            both[i]->until_ms = now + delay_ms(both[i]->fails);
        }
    }
    pthread_mutex_unlock(&a->mu);
    return wait;
}

void serve_throttle_end(serve_req *rq, const char *user, int success)
{
    serve_auth *a = rq->app->auth;
    char kc[160], ku[160];
    snprintf(kc, sizeof kc, "klient %s", rq->client);
    if (user)
        snprintf(ku, sizeof ku, "användare %s", user);
    long long now = mono_ms();
    unsigned fails = 0;
    pthread_mutex_lock(&a->mu);
    throttle *tc = thr_get(a, kc, now);
    throttle *tu = user ? thr_get(a, ku, now) : NULL;
    if (success) {
        tc->key[0] = '\0';
        if (tu)
            tu->key[0] = '\0';
    } else {
        /* The wait runs from the end of the failed attempt. */
        throttle *both[2] = {tc, tu};
        for (int i = 0; i < 2; i++) {
            if (!both[i])
                continue;
            long long until = now + delay_ms(both[i]->fails);
            if (until > both[i]->until_ms)
                both[i]->until_ms = until;
            both[i]->last_ms = now;
            if (both[i]->fails > fails)
                fails = both[i]->fails;
        }
    }
    pthread_mutex_unlock(&a->mu);
    if (!success) {
        /* The log line names the client and (sanitised) user. */
        char shown[64];
        size_t o = 0;
        for (const char *p = user ? user : ""; *p && o + 1 < sizeof shown; p++)
            shown[o++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
        shown[o] = '\0';
        fprintf(stderr, "samla serve: misslyckad inloggning%s%s%s från %s "
                        "(%u i följd)\n",
                user ? " som \"" : " (fel länk)", shown, user ? "\"" : "",
                rq->client, fails);
        fflush(stderr);
    }
}

void serve_auth_too_many(serve_req *rq, serve_resp *rs, long long wait_ms)
{
    unsigned s = (unsigned)((wait_ms + 999) / 1000);
    char msg[200];
    snprintf(msg, sizeof msg, "För många misslyckade inloggningar. Vänta %u "
                              "sekunder och försök igen.", s);
    fprintf(stderr, "samla serve: inloggning från %s avvisad: för många "
                    "försök (vänta %u s)\n", rq->client, s);
    fflush(stderr);
    serve_page_message(rs, rq, MHD_HTTP_TOO_MANY_REQUESTS,
                       "Fel: för många försök", msg);
    rs->retry_after = s;
}

void serve_hash_enter(serve_app *app)
{
    serve_auth *a = app->auth;
    pthread_mutex_lock(&a->hash_mu);
    while (a->hashing >= 2)
        pthread_cond_wait(&a->hash_cv, &a->hash_mu);
    a->hashing++;
    pthread_mutex_unlock(&a->hash_mu);
}

void serve_hash_leave(serve_app *app)
{
    serve_auth *a = app->auth;
    pthread_mutex_lock(&a->hash_mu);
    a->hashing--;
    pthread_cond_signal(&a->hash_cv);
    pthread_mutex_unlock(&a->hash_mu);
}

/* ---- One-time form ids --------------------------------------------------------- */

void serve_form_id_issue(serve_req *rq, char out[33])
{
    must_random(out, 16);
    serve_auth *a = rq->app->auth;
    pthread_mutex_lock(&a->mu);
    session *s = find_session(a, rq->sid);
    if (s) {
        form_id *slot = NULL;
        for (size_t i = 0; i < FORM_IDS; i++) {
            form_id *f = &s->forms[i];
            if (f->state == FID_BUSY)
                continue;
            if (f->state == FID_FREE) {
                slot = f;
                break;
            }
            /* Forget the oldest, sent or not. Preferring to keep used
             * ids made the pending ones the only ones forgotten: after 64
             * saves a session had room for one open form, and a second
             * tab's form cancelled the first. A forgotten id saves nothing
             * either way (the repeat of a saved form is refused as
             * unknown instead of "redan sparat"). */
            if (!slot || f->seq < slot->seq)
                slot = f;
        }
        if (slot) {
            memset(slot, 0, sizeof *slot);
            memcpy(slot->id, out, 33);
            slot->state = FID_PENDING;
            slot->seq = ++s->seq;
        }
    }
    pthread_mutex_unlock(&a->mu);
}

serve_formid serve_form_id_claim(serve_req *rq, const char *id, char *where,
                                 size_t where_size)
{
    serve_auth *a = rq->app->auth;
    serve_formid r = SERVE_FORMID_UNKNOWN;
    if (where_size)
        where[0] = '\0';
    if (!id || strlen(id) != 32)
        return r;
    pthread_mutex_lock(&a->mu);
    session *s = find_session(a, rq->sid);
    for (size_t i = 0; s && i < FORM_IDS; i++) {
        form_id *f = &s->forms[i];
        if (f->state == FID_FREE || strcmp(f->id, id) != 0)
            continue;
        if (f->state == FID_PENDING) {
            f->state = FID_BUSY;
            r = SERVE_FORMID_OK;
        } else if (f->state == FID_BUSY) {
            r = SERVE_FORMID_BUSY;
        } else {
            r = SERVE_FORMID_USED;
            snprintf(where, where_size, "%s", f->where);
        }
        break;
    }
    pthread_mutex_unlock(&a->mu);
    return r;
}

void serve_form_id_done(serve_req *rq, const char *id, int saved,
                        const char *where)
{
    serve_auth *a = rq->app->auth;
    pthread_mutex_lock(&a->mu);
    session *s = find_session(a, rq->sid);
    for (size_t i = 0; s && i < FORM_IDS; i++) {
        form_id *f = &s->forms[i];
        if (f->state != FID_BUSY || strcmp(f->id, id) != 0)
            continue;
        f->state = saved ? FID_USED : FID_PENDING;
        snprintf(f->where, sizeof f->where, "%s", where ? where : "");
        break;
    }
    pthread_mutex_unlock(&a->mu);
}
