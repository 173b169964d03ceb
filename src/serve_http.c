/*
 * serve_http - the HTTP side of `samla serve`: the libmicrohttpd daemon,
 * limits, authentication, CSRF, security headers and the route table.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "serve.h"

/* The headers every answer carries. The policy allows nothing but our own
 * routes: no script at all (every task works with forms and links), styles
 * from /style.css only, no framing, no form posting elsewhere. Pages show
 * a ledger, so nothing is cached. */
static void add_security_headers(struct MHD_Response *r)
{
    MHD_add_response_header(
        r, "Content-Security-Policy",
        "default-src 'self'; script-src 'none'; style-src 'self'; "
        "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    MHD_add_response_header(r, "Cache-Control", "no-store");
}

typedef struct {
    serve_req rq;
    char *body;
    size_t len, cap;
    int too_big;
    int answered;
    char *auth_user; /* from MHD (MHD_free) */
} req_ctx;

static void resp_init(serve_resp *rs)
{
    memset(rs, 0, sizeof *rs);
    rs->status = MHD_HTTP_OK;
    rs->fd = -1;
}

static void resp_free(serve_resp *rs)
{
    free(rs->body);
    free(rs->location);
    free(rs->filename);
    if (rs->fd >= 0)
        close(rs->fd);
    resp_init(rs);
}

/* Queue rs on the connection; frees what rs owns (MHD takes the body and
 * the file descriptor). */
static enum MHD_Result send_resp(struct MHD_Connection *conn, serve_resp *rs,
                                 int auth_fail)
{
    struct MHD_Response *r;
    if (rs->fd >= 0) {
        r = MHD_create_response_from_fd(rs->fd_len, rs->fd);
        if (r)
            rs->fd = -1; /* MHD closes it when done */
    } else {
        r = MHD_create_response_from_buffer(rs->len, rs->body ? rs->body : "",
                                            rs->body ? MHD_RESPMEM_MUST_FREE
                                                     : MHD_RESPMEM_PERSISTENT);
        if (r)
            rs->body = NULL;
    }
    if (!r) {
        resp_free(rs);
        return MHD_NO;
    }
    add_security_headers(r);
    MHD_add_response_header(r, "Content-Type",
                            rs->ctype ? rs->ctype : "text/html; charset=utf-8");
    if (rs->location)
        MHD_add_response_header(r, "Location", rs->location);
    if (rs->filename) {
        char cd[256];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", rs->filename);
        MHD_add_response_header(r, "Content-Disposition", cd);
    }
    if (rs->status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, "Allow", "GET, HEAD, POST");
    enum MHD_Result ok;
    if (auth_fail)
        ok = MHD_queue_basic_auth_fail_response(conn, "samla", r);
    else
        ok = MHD_queue_response(conn, rs->status, r);
    MHD_destroy_response(r);
    resp_free(rs);
    return ok;
}

/* A short plain page for refusals that happen before any page logic. */
static enum MHD_Result refuse(req_ctx *c, unsigned status, const char *title,
                              const char *text, int auth_fail)
{
    serve_resp rs;
    resp_init(&rs);
    serve_page_message(&rs, &c->rq, status, title, text);
    c->answered = 1;
    return send_resp(c->rq.conn, &rs, auth_fail);
}

/* ---- Route table ----------------------------------------------------------
 * The only paths served. Anything else, "/../../etc/passwd" included, is a
 * 404: no request path is ever mapped onto the file system. */

typedef struct {
    const char *path;
    int post; /* 0: GET/HEAD only, 1: GET and POST, 2: POST only */
    int (*page)(serve_req *, serve_resp *);
} route;

static const route routes[] = {
    {"/", 0, serve_page_overview},
    {"/kvartal", 1, serve_page_quarter},
    {"/kvartal/spara", 2, serve_page_quarter_save},
    {"/oronmarkt", 0, serve_page_earmarks},
    {"/budget", 0, serve_page_budget},
    {"/verifikationer", 0, serve_page_journal},
    {"/ladda-ned", 0, serve_page_downloads},
    {"/ladda-ned/budget.xlsx", 0, serve_page_download},
    {"/ladda-ned/arsbokslut.xlsx", 0, serve_page_download},
    {"/style.css", 0, serve_page_style},
    {"/favicon.ico", 0, serve_page_favicon},
};

/* ---- Host and origin checks -----------------------------------------------
 * A server on loopback without a password could still be reached by a
 * hostile web page through DNS rebinding (evil.example resolving to
 * 127.0.0.1). Such requests carry the attacker's name in Host, so on
 * loopback only loopback names are accepted. */

static int host_is_loopback(const char *host)
{
    if (!host)
        return 0;
    char name[256];
    size_t n = strlen(host);
    if (n >= sizeof name)
        return 0;
    memcpy(name, host, n + 1);
    if (name[0] == '[') {
        char *end = strchr(name, ']');
        if (!end)
            return 0;
        *end = '\0';
        struct in6_addr a6;
        return inet_pton(AF_INET6, name + 1, &a6) == 1 &&
               IN6_IS_ADDR_LOOPBACK(&a6);
    }
    char *colon = strchr(name, ':');
    if (colon)
        *colon = '\0';
    if (strcasecmp(name, "localhost") == 0)
        return 1;
    struct in_addr a4;
    return inet_pton(AF_INET, name, &a4) == 1 &&
           (ntohl(a4.s_addr) >> 24) == 127;
}

/* A browser sends Origin with every POST; when present it must name this
 * server (scheme aside: behind a TLS proxy the page is https). */
static int origin_ok(struct MHD_Connection *conn)
{
    const char *origin =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
    if (!origin)
        return 1;
    const char *host =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
    if (!host)
        return 0;
    const char *p = strstr(origin, "://");
    if (!p)
        return 0;
    return strcasecmp(p + 3, host) == 0;
}

/* ---- Authentication ------------------------------------------------------- */

static int auth_ok(req_ctx *c)
{
    serve_app *app = c->rq.app;
    if (!app->users)
        return 1;
    char *pass = NULL;
    char *user = MHD_basic_auth_get_username_password(c->rq.conn, &pass);
    int ok = 0;
    if (user && pass) {
        /* Compare with every user's password so the time does not tell
         * whether the name exists. */
        for (size_t i = 0; i < app->nusers; i++) {
            int name_eq = strcmp(user, app->users[i].name) == 0;
            int pass_eq = serve_secret_eq(pass, app->users[i].password);
            ok |= name_eq & pass_eq;
        }
    }
    if (pass)
        MHD_free(pass);
    if (ok) {
        c->auth_user = user;
        c->rq.user = user;
    } else if (user) {
        MHD_free(user);
    }
    return ok;
}

/* ---- The handler ------------------------------------------------------------ */

static const route *find_route(const char *path)
{
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
        if (strcmp(routes[i].path, path) == 0)
            return &routes[i];
    return NULL;
}

/* The first call for a request: everything that can be decided from the
 * request line and headers. Returns 1 when the request was answered. */
static int first_call(req_ctx *c, enum MHD_Result *ret)
{
    serve_req *rq = &c->rq;
    int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    rq->is_post = strcmp(rq->method, "POST") == 0;
    if (!get && !rq->is_post) {
        *ret = refuse(c, MHD_HTTP_METHOD_NOT_ALLOWED, "Metoden stöds inte",
                      "Sidan tar bara emot GET och POST.", 0);
        return 1;
    }
    if (!rq->app->users &&
        !host_is_loopback(MHD_lookup_connection_value(
            rq->conn, MHD_HEADER_KIND, "Host"))) {
        *ret = refuse(c, MHD_HTTP_FORBIDDEN, "Fel värdnamn",
                      "Servern svarar bara på localhost och 127.0.0.1.", 0);
        return 1;
    }
    if (!auth_ok(c)) {
        *ret = refuse(c, MHD_HTTP_UNAUTHORIZED, "Inloggning krävs",
                      "Ange användarnamn och lösenord.", 1);
        return 1;
    }
    if (rq->is_post) {
        const char *cl = MHD_lookup_connection_value(
            rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > SERVE_MAX_BODY) {
            *ret = refuse(c, MHD_HTTP_CONTENT_TOO_LARGE, "För stort formulär",
                          "Formuläret är större än servern tar emot.", 0);
            return 1;
        }
        const char *ct = MHD_lookup_connection_value(
            rq->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
            *ret = refuse(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                          "Fel sorts formulär",
                          "Servern tar bara emot vanliga formulär.", 0);
            return 1;
        }
    }
    return 0;
}

static enum MHD_Result dispatch(req_ctx *c)
{
    serve_req *rq = &c->rq;
    const route *rt = find_route(rq->path);
    if (!rt)
        return refuse(c, MHD_HTTP_NOT_FOUND, "Sidan finns inte",
                      "Det finns ingen sida med den adressen.", 0);
    if ((rq->is_post && rt->post == 0) || (!rq->is_post && rt->post == 2))
        return refuse(c, MHD_HTTP_METHOD_NOT_ALLOWED, "Metoden stöds inte",
                      "Sidan tar inte emot den sortens anrop.", 0);
    if (rq->is_post) {
        if (serve_form_parse(&rq->form, c->body ? c->body : "", c->len) != 0)
            return refuse(c, MHD_HTTP_BAD_REQUEST, "Felaktigt formulär",
                          "Formulärets data kunde inte läsas.", 0);
        const char *token = serve_form_get(&rq->form, "csrf");
        if (!token || !serve_secret_eq(token, rq->app->csrf) ||
            !origin_ok(rq->conn))
            return refuse(c, MHD_HTTP_FORBIDDEN, "Formuläret godtogs inte",
                          "Formuläret kom inte från den här sidan, eller "
                          "servern har startats om sedan sidan visades. "
                          "Ladda om sidan och försök igen.",
                          0);
    }
    serve_resp rs;
    resp_init(&rs);
    rt->page(rq, &rs);
    c->answered = 1;
    return send_resp(rq->conn, &rs, 0);
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn,
                               const char *url, const char *method,
                               const char *version, const char *upload_data,
                               size_t *upload_data_size, void **con_cls)
{
    (void)version;
    req_ctx *c = *con_cls;
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c)
            return MHD_NO;
        *con_cls = c;
        c->rq.app = cls;
        c->rq.conn = conn;
        c->rq.method = method;
        c->rq.path = url;
        c->rq.user = c->rq.app->default_user;
        serve_form_init(&c->rq.form);
        enum MHD_Result ret;
        if (first_call(c, &ret))
            return ret;
        if (!c->rq.is_post)
            return dispatch(c);
        return MHD_YES;
    }
    if (c->answered) {
        /* Answered early (refused): drop whatever still comes. */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (c->too_big || c->len + n > SERVE_MAX_BODY) {
            c->too_big = 1;
            return MHD_YES;
        }
        if (c->len + n + 1 > c->cap) {
            size_t cap = c->cap ? c->cap : 4096;
            while (cap < c->len + n + 1)
                cap *= 2;
            char *p = realloc(c->body, cap);
            if (!p)
                return MHD_NO;
            c->body = p;
            c->cap = cap;
        }
        memcpy(c->body + c->len, upload_data, n);
        c->len += n;
        c->body[c->len] = '\0';
        return MHD_YES;
    }
    if (c->too_big)
        return refuse(c, MHD_HTTP_CONTENT_TOO_LARGE, "För stort formulär",
                      "Formuläret är större än servern tar emot.", 0);
    return dispatch(c);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)conn, (void)toe;
    req_ctx *c = *con_cls;
    if (!c)
        return;
    serve_form_free(&c->rq.form);
    free(c->body);
    if (c->auth_user)
        MHD_free(c->auth_user);
    free(c);
    *con_cls = NULL;
}

/* ---- Running ------------------------------------------------------------------ */

int serve_run(serve_app *app, const char *bind_addr)
{
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    struct sockaddr *sa;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
                     MHD_USE_AUTO;
    memset(&a4, 0, sizeof a4);
    memset(&a6, 0, sizeof a6);
    if (strcmp(bind_addr, "localhost") == 0)
        bind_addr = "127.0.0.1";
    if (inet_pton(AF_INET, bind_addr, &a4.sin_addr) == 1) {
        a4.sin_family = AF_INET;
        a4.sin_port = htons((unsigned short)app->port);
        sa = (struct sockaddr *)&a4;
        app->loopback = (ntohl(a4.sin_addr.s_addr) >> 24) == 127;
    } else if (inet_pton(AF_INET6, bind_addr, &a6.sin6_addr) == 1) {
        a6.sin6_family = AF_INET6;
        a6.sin6_port = htons((unsigned short)app->port);
        sa = (struct sockaddr *)&a6;
        flags |= MHD_USE_IPv6;
        app->loopback = IN6_IS_ADDR_LOOPBACK(&a6.sin6_addr);
    } else {
        fprintf(stderr, "samla serve: --bind \"%s\" är ingen IP-adress\n",
                bind_addr);
        return SAMLA_EUSAGE;
    }
    if (!app->loopback && !app->users) {
        fprintf(stderr,
                "samla serve: att lyssna på %s (inte bara den egna datorn) "
                "kräver --password-file; se docs/web.md\n",
                bind_addr);
        return SAMLA_EUSAGE;
    }

    /* SIGINT/SIGTERM are taken with sigwait below; they are blocked before
     * the daemon starts so its thread inherits the mask and never gets them. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)app->port, NULL, NULL, handler, app,
        MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONN_LIMIT,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_CONN_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "samla serve: kunde inte lyssna på %s port %u (upptagen "
                        "port eller saknad behörighet)\n",
                bind_addr, app->port);
        return SAMLA_EIO;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : app->port;
    int v6 = sa->sa_family == AF_INET6;
    printf("samla serve: boken %s\nsamla serve: lyssnar på http://%s%s%s:%u/ "
           "(Ctrl-C avslutar)\n",
           app->book_dir, v6 ? "[" : "", bind_addr, v6 ? "]" : "", port);
    fflush(stdout);

    int sig = 0;
    sigwait(&sigs, &sig);
    MHD_stop_daemon(d);
    serve_cache_free(app);
    printf("samla serve: avslutad\n");
    return SAMLA_OK;
}
