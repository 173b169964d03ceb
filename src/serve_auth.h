/*
 * serve_auth - the parts of the login that serve_auth.c (sessions, tokens,
 * throttling, form ids), serve_login.c (the password file and the login
 * page) and serve_http.c share. The rest is in serve.h.
 */
#ifndef SAMLA_SERVE_AUTH_H
#define SAMLA_SERVE_AUTH_H

#include "serve.h"

/* The password file of password mode, re-read when it changes (so `samla
 * passwd` takes effect without a restart). */
typedef struct {
    const char *path;
    pthread_mutex_t mu;
    int ready;
    serve_user *users;
    size_t n;
    serve_file_sig sig;
    char dummy[128]; /* a hash to check unknown names against */
} serve_pwfile;

int serve_pwfile_open(serve_pwfile *pw, const char *path, diag_list *dl);
void serve_pwfile_close(serve_pwfile *pw);
/* 1 when name and password match an entry of the file. Takes as long for
 * an unknown name as for a wrong password. */
int serve_pwfile_verify(serve_app *app, const char *name,
                        const char *password);
serve_pwfile *serve_auth_pwfile(serve_app *app);

/* Cookies: "samla-WHAT-PORT" (with __Host- over https). */
void serve_cookie_name(const serve_req *rq, const char *what, char *buf,
                       size_t size);
char *serve_cookie(const serve_req *rq, const char *what, const char *value,
                   int forget);

/* A new session for user, its cookie into rs, and rq filled from it. */
void serve_auth_login_session(serve_req *rq, serve_resp *rs,
                              const char *user);
void serve_auth_logout(serve_req *rq, serve_resp *rs);
/* The login form's CSRF token (setting the pre-login cookie if needed). */
void serve_auth_login_csrf(serve_req *rq, serve_resp *rs, char out[65]);

/* Failed logins: begin returns the milliseconds to wait (0: go ahead, the
 * attempt is counted as failed until end says it succeeded). user may be
 * NULL (a token). */
long long serve_throttle_begin(serve_req *rq, const char *user);
void serve_throttle_end(serve_req *rq, const char *user, int success);
/* The 429 page with Retry-After. */
void serve_auth_too_many(serve_req *rq, serve_resp *rs, long long wait_ms);

/* At most two password checks run at once (yescrypt is slow on purpose). */
void serve_hash_enter(serve_app *app);
void serve_hash_leave(serve_app *app);

#endif
