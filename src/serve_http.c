/*
 * serve_http - the HTTP side of `samla serve`: the libmicrohttpd daemon
 * (one thread per connection, TLS when given a certificate), limits, the
 * Host and Origin checks, the login gate, CSRF, security headers and the
 * route table.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <unistd.h>

#include "serve_auth.h"

/* The headers every answer carries. The policy allows nothing but our own
 * routes: no script at all (every task works with forms and links), styles
 * from /style.css only, no framing, no form posting elsewhere. Pages show
 * a ledger, so nothing is cached. */
static void add_security_headers(struct MHD_Response *r, int https)
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
    if (https)
        MHD_add_response_header(r, "Strict-Transport-Security",
                                "max-age=31536000");
}

typedef struct {
    serve_req rq;
    char *body;
    size_t len, cap;
    int too_big;
    int answered;
} req_ctx;

static void resp_init(serve_resp *rs)
{
    memset(rs, 0, sizeof *rs);
    rs->status = MHD_HTTP_OK;
}

static void resp_free(serve_resp *rs)
{
    free(rs->body);
    free(rs->location);
    free(rs->filename);
    for (size_t i = 0; i < 2; i++)
        free(rs->cookies[i]);
    if (rs->blob)
        serve_blob_unref(rs->blob);
    resp_init(rs);
}

static void blob_done(void *cls)
{
    serve_blob_unref(cls);
}

/* Queue rs on the connection; frees what rs owns (MHD takes the body or
 * the blob's reference). */
static enum MHD_Result send_resp(req_ctx *c, serve_resp *rs)
{
    struct MHD_Connection *conn = c->rq.conn;
    struct MHD_Response *r;
    if (rs->blob) {
        size_t len;
        const char *data = serve_blob_data(rs->blob, &len);
        r = MHD_create_response_from_buffer_with_free_callback_cls(
            len, (void *)data, blob_done, rs->blob);
        if (r)
            rs->blob = NULL;
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
    add_security_headers(r, c->rq.https);
    MHD_add_response_header(r, "Content-Type",
                            rs->ctype ? rs->ctype : "text/html; charset=utf-8");
    if (rs->location)
        MHD_add_response_header(r, "Location", rs->location);
    if (rs->filename) {
        char cd[256];
        snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", rs->filename);
        MHD_add_response_header(r, "Content-Disposition", cd);
    }
    for (size_t i = 0; i < 2; i++)
        if (rs->cookies[i])
            MHD_add_response_header(r, "Set-Cookie", rs->cookies[i]);
    if (rs->retry_after) {
        char ra[16];
        snprintf(ra, sizeof ra, "%u", rs->retry_after);
        MHD_add_response_header(r, "Retry-After", ra);
    }
    if (rs->status == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(r, "Allow", "GET, HEAD, POST");
    if (rs->status == MHD_HTTP_UNAUTHORIZED)
        /* Not Basic: the login is a form. */
        MHD_add_response_header(r, "WWW-Authenticate", "Session");
    enum MHD_Result ok = MHD_queue_response(conn, rs->status, r);
    MHD_destroy_response(r);
    resp_free(rs);
    c->answered = 1;
    return ok;
}

/* A short page for refusals that happen before any page logic. */
static enum MHD_Result refuse(req_ctx *c, unsigned status, const char *title,
                              const char *text)
{
    serve_resp rs;
    resp_init(&rs);
    serve_page_message(&rs, &c->rq, status, title, text);
    return send_resp(c, &rs);
}

/* ---- Route table ----------------------------------------------------------
 * The only paths served. Anything else, "/../../etc/passwd" included, is a
 * 404: no request path is ever mapped onto the file system. */

typedef struct {
    const char *path;
    int post;   /* 0: GET/HEAD only, 1: GET and POST, 2: POST only */
    int open;   /* served without a login */
    int (*page)(serve_req *, serve_resp *);
} route;

static const route routes[] = {
    {"/", 0, 0, serve_page_overview},
    {"/kvartal", 1, 0, serve_page_quarter},
    {"/kvartal/spara", 2, 0, serve_page_quarter_save},
    {"/oronmarkt", 0, 0, serve_page_earmarks},
    {"/budget", 0, 0, serve_page_budget},
    {"/budget/kommentar", 2, 0, serve_page_comment_save},
    {"/verifikationer", 0, 0, serve_page_journal},
    {"/ladda-ned", 0, 0, serve_page_downloads},
    {"/ladda-ned/budget.xlsx", 0, 0, serve_page_download},
    {"/ladda-ned/arsbokslut.xlsx", 0, 0, serve_page_download},
    {"/logga-in", 1, 1, serve_page_login},
    {"/logga-ut", 2, 0, serve_page_logout},
    {"/style.css", 0, 1, serve_page_style},
    {"/favicon.ico", 0, 1, serve_page_favicon},
};

static const route *find_route(const char *path)
{
    for (size_t i = 0; i < sizeof routes / sizeof *routes; i++)
        if (strcmp(routes[i].path, path) == 0)
            return &routes[i];
    return NULL;
}

/* ---- Host, client and origin ----------------------------------------------
 * A server on loopback could be reached by a hostile web page through DNS
 * rebinding (evil.example resolving to 127.0.0.1). Such requests carry the
 * attacker's name in Host, so in token mode only loopback names are
 * accepted. In every mode Host must be one well-formed name: two Host
 * headers, or userinfo ("localhost:80@evil.example"), are refused. */

static enum MHD_Result count_host(void *cls, enum MHD_ValueKind kind,
                                  const char *key, const char *value)
{
    (void)kind, (void)value;
    if (strcasecmp(key, "Host") == 0)
        (*(int *)cls)++;
    return MHD_YES;
}

/* host[:port], host a name, an IPv4 address or [IPv6]. */
static int host_well_formed(const char *h)
{
    if (!h || !*h || strlen(h) > 255)
        return 0;
    const char *p = h;
    if (*p == '[') {
        const char *end = strchr(p, ']');
        if (!end)
            return 0;
        for (const char *q = p + 1; q < end; q++)
            if (!strchr("0123456789abcdefABCDEF:.", *q))
                return 0;
        p = end + 1;
    } else {
        const char *start = p;
        while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
               (*p >= '0' && *p <= '9') || *p == '-' || *p == '.')
            p++;
        if (p == start)
            return 0;
    }
    if (*p == ':') {
        p++;
        int digits = 0;
        while (*p >= '0' && *p <= '9') {
            p++;
            digits++;
        }
        if (!digits || digits > 5)
            return 0;
    }
    return *p == '\0';
}

static int host_is_loopback(const char *host)
{
    char name[256];
    snprintf(name, sizeof name, "%s", host);
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

/* The peer's address as text. */
static void peer_address(struct MHD_Connection *conn, char *buf, size_t size)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(buf, size, "?");
    if (!ci || !ci->client_addr)
        return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf,
                  (socklen_t)size);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
                  buf, (socklen_t)size);
}

static int from_trusted_proxy(const serve_req *rq, const char *peer)
{
    return rq->app->trusted_proxy[0] &&
           strcmp(peer, rq->app->trusted_proxy) == 0;
}

static const char *header(const serve_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

/* The host the browser asked for: X-Forwarded-Host from the trusted proxy,
 * else Host. */
static const char *seen_host(const serve_req *rq, int trusted)
{
    const char *xfh = trusted ? header(rq, "X-Forwarded-Host") : NULL;
    return xfh ? xfh : header(rq, "Host");
}

/* "scheme://host[:port]" with the scheme's default port dropped and the
 * name in lower case, for comparing origins. */
static void origin_norm(const char *scheme, const char *host, char *out,
                        size_t size)
{
    char h[300];
    size_t n = 0;
    for (; host[n] && n + 1 < sizeof h; n++)
        h[n] = (char)((host[n] >= 'A' && host[n] <= 'Z') ? host[n] + 32
                                                         : host[n]);
    h[n] = '\0';
    size_t hl = strlen(h);
    if (strcmp(scheme, "https") == 0 && hl > 4 &&
        strcmp(h + hl - 4, ":443") == 0)
        h[hl - 4] = '\0';
    if (strcmp(scheme, "http") == 0 && hl > 3 && strcmp(h + hl - 3, ":80") == 0)
        h[hl - 3] = '\0';
    snprintf(out, size, "%s://%s", scheme, h);
}

/* A browser sends Origin with every POST; when present it must be what
 * the browser saw of this server, scheme and port included. */
static int origin_ok(const serve_req *rq, int trusted)
{
    const char *origin = header(rq, "Origin");
    if (!origin)
        return 1;
    const char *host = seen_host(rq, trusted);
    if (!host)
        return 0;
    const char *sep = strstr(origin, "://");
    if (!sep || sep - origin > 5)
        return 0;
    char scheme[8];
    snprintf(scheme, sizeof scheme, "%.*s", (int)(sep - origin), origin);
    for (char *p = scheme; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    char want[320], got[320];
    origin_norm(rq->https ? "https" : "http", host, want, sizeof want);
    origin_norm(scheme, sep + 3, got, sizeof got);
    return strcmp(want, got) == 0;
}

/* ---- The handler ------------------------------------------------------------ */

/* Everything that can be decided from the request line and headers.
 * Returns 1 when the request was answered. */
static int first_call(req_ctx *c, enum MHD_Result *ret)
{
    serve_req *rq = &c->rq;
    int get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    rq->is_post = strcmp(rq->method, "POST") == 0;
    char peer[64];
    peer_address(rq->conn, peer, sizeof peer);
    int trusted = from_trusted_proxy(rq, peer);
    snprintf(rq->client, sizeof rq->client, "%s", peer);
    rq->https = rq->app->tls;
    if (trusted) {
        /* The proxy appends the address it took the request from. */
        const char *xff = header(rq, "X-Forwarded-For");
        if (xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ')
                last++;
            if (*last && strlen(last) < sizeof rq->client)
                snprintf(rq->client, sizeof rq->client, "%s", last);
        }
        const char *xfp = header(rq, "X-Forwarded-Proto");
        if (xfp)
            rq->https = strcasecmp(xfp, "https") == 0;
    }
    if (!get && !rq->is_post) {
        *ret = refuse(c, MHD_HTTP_METHOD_NOT_ALLOWED, "Metoden stöds inte",
                      "Sidan tar bara emot GET och POST.");
        return 1;
    }
    int hosts = 0;
    MHD_get_connection_values(rq->conn, MHD_HEADER_KIND, count_host, &hosts);
    const char *host = header(rq, "Host");
    const char *xfh = trusted ? header(rq, "X-Forwarded-Host") : NULL;
    if (hosts > 1 || (host && !host_well_formed(host)) ||
        (xfh && !host_well_formed(xfh))) {
        *ret = refuse(c, MHD_HTTP_BAD_REQUEST, "Fel värdnamn",
                      "Anropet har ett felaktigt värdnamn (Host).");
        return 1;
    }
    if (!rq->app->password_file && !trusted && !(host && host_is_loopback(host))) {
        *ret = refuse(c, MHD_HTTP_FORBIDDEN, "Fel värdnamn",
                      "Servern svarar bara på localhost och 127.0.0.1.");
        return 1;
    }
    if (rq->is_post) {
        const char *cl = header(rq, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > SERVE_MAX_BODY) {
            *ret = refuse(c, MHD_HTTP_CONTENT_TOO_LARGE, "För stort formulär",
                          "Formuläret är större än servern tar emot.");
            return 1;
        }
        const char *ct = header(rq, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
            *ret = refuse(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                          "Fel sorts formulär",
                          "Servern tar bara emot vanliga formulär.");
            return 1;
        }
    }
    (void)trusted;
    return 0;
}

static enum MHD_Result dispatch(req_ctx *c)
{
    serve_req *rq = &c->rq;
    serve_conn_received(rq->app, rq->conn);
    serve_resp rs;
    resp_init(&rs);
    const route *rt = find_route(rq->path);
    /* The one-time token works on any page: the printed link is "/". */
    if (!rq->is_post && serve_auth_token(rq, &rs))
        return send_resp(c, &rs);
    int logged_in = serve_auth_session(rq);
    if (!rt)
        return refuse(c, MHD_HTTP_NOT_FOUND, "Sidan finns inte",
                      "Det finns ingen sida med den adressen.");
    if (!logged_in && !rt->open) {
        serve_auth_refuse(rq, &rs);
        return send_resp(c, &rs);
    }
    if ((rq->is_post && rt->post == 0) || (!rq->is_post && rt->post == 2))
        return refuse(c, MHD_HTTP_METHOD_NOT_ALLOWED, "Metoden stöds inte",
                      "Sidan tar inte emot den sortens anrop.");
    if (rq->is_post) {
        if (serve_form_parse(&rq->form, c->body ? c->body : "", c->len) != 0)
            return refuse(c, MHD_HTTP_BAD_REQUEST, "Felaktigt formulär",
                          "Formulärets data kunde inte läsas.");
        char peer[64];
        peer_address(rq->conn, peer, sizeof peer);
        if (!serve_auth_csrf_ok(rq, serve_form_get(&rq->form, "csrf")) ||
            !origin_ok(rq, from_trusted_proxy(rq, peer)))
            return refuse(c, MHD_HTTP_FORBIDDEN, "Formuläret godtogs inte",
                          "Formuläret kom inte från den här sidan, eller "
                          "servern har startats om sedan sidan visades. "
                          "Ladda om sidan och försök igen.");
    }
    rt->page(rq, &rs);
    serve_book_release(rq);
    return send_resp(c, &rs);
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
                      "Formuläret är större än servern tar emot.");
    return dispatch(c);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    serve_conn_answered(cls, conn);
    req_ctx *c = *con_cls;
    if (!c)
        return;
    serve_book_release(&c->rq);
    serve_form_free(&c->rq.form);
    free(c->body);
    free(c);
    *con_cls = NULL;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("samla serve: libmicrohttpd: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* ---- Running ------------------------------------------------------------------ */

int serve_run(serve_app *app, const char *bind_addr, const char *cert_pem,
              const char *key_pem)
{
    struct sockaddr_in a4;
    struct sockaddr_in6 a6;
    struct sockaddr *sa;
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG |
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
    if (!app->loopback && !app->password_file) {
        fprintf(stderr,
                "samla serve: att lyssna på %s (inte bara den egna datorn) "
                "kräver --password-file; se docs/web.md\n",
                bind_addr);
        return SAMLA_EUSAGE;
    }
    app->tls = cert_pem != NULL;
    if (app->tls && !MHD_is_feature_supported(MHD_FEATURE_TLS)) {
        fprintf(stderr, "samla serve: libmicrohttpd saknar TLS (GnuTLS); "
                        "--cert kan inte användas här\n");
        return SAMLA_EUSAGE;
    }
    if (!app->loopback && !app->tls) {
        if (!app->insecure_http) {
            fprintf(stderr,
                    "samla serve: att lyssna på %s utan TLS skulle skicka "
                    "lösenord och bok okrypterade över nätet; ange --cert "
                    "och --key, eller --insecure-http om en proxy med TLS "
                    "står framför (se docs/web.md)\n",
                    bind_addr);
            return SAMLA_EUSAGE;
        }
        fprintf(stderr, "samla serve: VARNING: --insecure-http: sidan, "
                        "lösenord och boken går okrypterade över nätet till "
                        "%s\n", bind_addr);
    }
    if (app->tls)
        flags |= MHD_USE_TLS;

    /* Every connection is a descriptor and a thread: make room for the
     * limit within what the system allows. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max &&
        rl.rlim_cur < 4096) {
        rl.rlim_cur = rl.rlim_max < 4096 ? rl.rlim_max : 4096;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    /* SIGINT/SIGTERM are taken with sigwait below; they are blocked before
     * the daemon starts so its threads inherit the mask and never get them. */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (serve_conns_new(app) != 0) {
        fprintf(stderr, "samla serve: kunde inte starta en tråd\n");
        return SAMLA_EIO;
    }
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)cert_pem},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)key_pem},
        {MHD_OPTION_END, 0, NULL}};
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)app->port, NULL, NULL, handler, app,
        MHD_OPTION_EXTERNAL_LOGGER, log_mhd, NULL,
        MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)SERVE_CONN_LIMIT,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SERVE_CONN_PER_IP,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVE_CONN_TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(32 * 1024),
        MHD_OPTION_THREAD_STACK_SIZE, (size_t)(2 * 1024 * 1024),
        MHD_OPTION_NOTIFY_COMPLETED, completed, app,
        MHD_OPTION_NOTIFY_CONNECTION, serve_conn_notify, app,
        MHD_OPTION_ARRAY, app->tls ? tls_opts : tls_opts + 2,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "samla serve: kunde inte lyssna på %s port %u (upptagen "
                        "port, saknad behörighet%s)\n",
                bind_addr, app->port,
                app->tls ? " eller ett certifikat som inte går att läsa" : "");
        serve_conns_free(app);
        return SAMLA_EIO;
    }
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = info ? info->port : app->port;
    app->port = port;
    int v6 = sa->sa_family == AF_INET6;
    snprintf(app->base_url, sizeof app->base_url, "%s://%s%s%s:%u",
             app->tls ? "https" : "http", v6 ? "[" : "", bind_addr,
             v6 ? "]" : "", port);
    char login[256];
    serve_auth_login_url(app, login, sizeof login);
    printf("samla serve: boken %s\nsamla serve: lyssnar på %s/ "
           "(Ctrl-C avslutar)\nsamla serve: logga in: %s\n",
           app->book_dir, app->base_url, login);
    fflush(stdout);

    int sig = 0;
    sigwait(&sigs, &sig);
    MHD_stop_daemon(d);
    serve_conns_free(app);
    printf("samla serve: avslutad\n");
    return SAMLA_OK;
}
