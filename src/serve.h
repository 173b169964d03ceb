/*
 * serve - the local web interface (`samla serve`): internals shared by
 * serve_*.c. docs/web.md describes the pages and the security model.
 *
 * Shape: libmicrohttpd runs one thread per connection, so a slow client or
 * an expensive page (a big workbook) holds only its own connection. A
 * connection must deliver its whole request (headers and body) within
 * SERVE_REQUEST_DEADLINE seconds or it is closed (serve_conn.c), so slow
 * sockets cannot pile up.
 *
 * Shared state and its locks:
 *   - the kept book (serve_book.c): immutable snapshots with a reference
 *     count; a page reads one snapshot, never a book being changed. It is
 *     read from disk under the book's shared file lock;
 *   - saves go one at a time (app->write_mu) and take the book's exclusive
 *     file lock, exactly as the commands do;
 *   - sessions, one-time tokens, form ids and login throttling
 *     (serve_auth.c) under their own mutex;
 *   - generated workbooks (serve_download.c), cached per book state.
 * Nothing else is shared between requests.
 *
 * The handler only dispatches: routes are a fixed table (serve_http.c), and
 * each page fills a serve_resp. No path from a request is ever used to open
 * a file.
 */
#ifndef SAMLA_SERVE_H
#define SAMLA_SERVE_H

#include <pthread.h>
#include <stddef.h>

#include "book.h"
#include "html.h"
#include "render.h"
#include "store.h"

struct MHD_Connection;

/* Limits (docs/web.md): a form post is a few kilobytes. */
#define SERVE_MAX_BODY (64 * 1024)
#define SERVE_CONN_LIMIT 512      /* connections at once */
#define SERVE_CONN_PER_IP 256     /* from one address */
#define SERVE_CONN_TIMEOUT 15     /* seconds without traffic */
#define SERVE_REQUEST_DEADLINE 10 /* seconds to send a whole request */
#define SERVE_LOCK_TIMEOUT_MS 2000       /* a save waits this for the lock */
#define SERVE_READ_LOCK_TIMEOUT_MS 300   /* a page waits this to read */

typedef struct serve_auth serve_auth;
typedef struct serve_books serve_books;
typedef struct serve_workbooks serve_workbooks;
typedef struct serve_conns serve_conns;
typedef struct serve_snapshot serve_snapshot;

/* The running server's fixed state (set before it starts, then read-only
 * except through the objects' own locks). */
typedef struct {
    const char *book_dir;
    const char *default_user; /* --user / $SAMLA_USER / login name */
    const char *password_file; /* NULL: one-time token login */
    int loopback;             /* bound to a loopback address only */
    int tls;                  /* serving HTTPS itself */
    int insecure_http;        /* --insecure-http: plain HTTP beyond loopback */
    unsigned port;
    char base_url[128];       /* http(s)://HOST:PORT, once listening */
    /* --trusted-proxy: the one address whose X-Forwarded-* headers are
     * believed (textual IP, "" = none). */
    char trusted_proxy[64];
    serve_auth *auth;
    serve_books *books;
    serve_workbooks *workbooks;
    serve_conns *conns;
    pthread_mutex_t write_mu; /* one save at a time */
} serve_app;

/* Decoded form fields (application/x-www-form-urlencoded). */
typedef struct {
    char **names, **values;
    size_t n, cap;
} serve_form;

/* One request as the pages see it. */
typedef struct {
    serve_app *app;
    struct MHD_Connection *conn;
    const char *method, *path;
    int is_post;
    serve_form form;      /* the POST body's fields */
    const char *user;     /* who is making the change (audit trail) */
    char user_buf[128];
    char sid[65];         /* the session ("" = none) */
    char csrf[65];        /* the session's CSRF token */
    char client[64];      /* the client's address, as text */
    int https;            /* the browser's scheme is https */
    char org[200];        /* the organisation's name, once the book is read */
    serve_snapshot *snap; /* the kept book this request reads */
    int stale;            /* snap is older than the files (writer busy) */
} serve_req;

/* A shared read-only buffer (a cached workbook), reference counted. */
typedef struct serve_blob serve_blob;

/* What a page answers. */
typedef struct {
    unsigned status;
    const char *ctype;    /* NULL = text/html; charset=utf-8 */
    char *body;           /* malloc'd */
    size_t len;
    char *location;       /* redirect target (malloc'd), with 303 */
    serve_blob *blob;     /* or this shared buffer (one reference) */
    char *filename;       /* Content-Disposition: attachment (malloc'd) */
    char *cookies[2];     /* Set-Cookie values (malloc'd) */
    unsigned retry_after; /* seconds, with 429/503 */
} serve_resp;

/* ---- serve_form.c --------------------------------------------------------- */

void serve_form_init(serve_form *f);
void serve_form_free(serve_form *f);
/* Parse an urlencoded body; -1 when malformed (bad %-escape, too many
 * fields). Values are NUL-terminated; a NUL byte inside is refused. */
int serve_form_parse(serve_form *f, const char *body, size_t len);
/* The value of the first field called name, or NULL. */
const char *serve_form_get(const serve_form *f, const char *name);

/* A query-string argument (GET form), or NULL. */
const char *serve_query(const serve_req *rq, const char *name);
/* A POST field, else a query argument. */
const char *serve_arg(const serve_req *rq, const char *name);

/* Constant-time equality of two NUL-terminated strings (the time depends
 * only on the length of `known`). */
int serve_secret_eq(const char *given, const char *known);
/* n random bytes from the kernel as 2n hex digits + NUL into out. */
int serve_random_hex(char *out, size_t nbytes);

/* ---- serve_page.c: the page frame ------------------------------------------ */

/* The navigation entries; `active` is the path of the current page. */
void serve_page_begin(html_buf *h, const serve_req *rq, const char *title,
                      const char *active);
void serve_page_end(html_buf *h, const serve_req *rq);
/* Finish a page into a response with status. */
void serve_page_done(serve_resp *rs, html_buf *h, unsigned status);
/* A whole page with a message (errors, 404 …). The message box gets the
 * focus when the page opens (an outcome a screen reader announces). */
void serve_page_message(serve_resp *rs, const serve_req *rq, unsigned status,
                        const char *title, const char *text);
/* The start of a POST form: <form …> with the session's CSRF token and a
 * fresh one-time submission id (see serve_form_id_*). */
void serve_form_open(html_buf *h, serve_req *rq, const char *action,
                     const char *extra_attrs);
/* A redirect (303 See Other) to a path of our own. */
void serve_redirect(serve_resp *rs, const char *location);

/* Load the book for writing or checking (a book of the caller's own),
 * under the book's shared lock (one consistent state of its files). On
 * failure fills rs with an error page and returns -1. The caller frees b. */
int serve_load(serve_req *rq, serve_resp *rs, book *b);
/* The same for a caller that already holds the book's exclusive lock. */
int serve_load_held(serve_req *rq, serve_resp *rs, book *b);

/* A save from a form, the one way both save handlers start and end one:
 * one save at a time within the server (app->write_mu), under the book's
 * exclusive file lock (which keeps out the command line and other
 * servers), on the book read under that lock (what was saved since the
 * form was shown is part of it). serve_write_begin takes the mutex and the
 * lock and loads *b; when the lock cannot be had it calls refused(rq, rs,
 * rc, dl) for the page (each form has its own words), when the book cannot
 * be read the page is serve_load_held's; either way it gives up the form id
 * `id` unsaved (serve_form_id_done), lets go of what it took and returns -1.
 * On 0, w->dl is for the save's diagnostics; serve_write_end lets go of the
 * lock and the mutex; the caller frees *b and w->dl. */
typedef struct {
    store_lock lock;
    diag_list dl;
} serve_write;
int serve_write_begin(serve_write *w, serve_req *rq, serve_resp *rs,
                      const char *id, book *b,
                      void (*refused)(serve_req *rq, serve_resp *rs, int rc,
                                      const diag_list *dl));
void serve_write_end(serve_write *w, serve_req *rq);
/* The error page of a book that cannot be read: where the faults are
 * (file, line, column), never the text of the files. */
void serve_book_error(serve_resp *rs, const serve_req *rq,
                      const diag_list *dl);
/* Diagnostics about the user's own input (never file contents) as a list. */
void serve_diag_html(html_buf *h, const diag_list *dl);

/* The display options of a request: ?enhet=kr|tkr|mnkr (default kr). */
void serve_render_opts(const serve_req *rq, render_opts *o);
/* The date ?per= names (a date, or a period: its end), else `def` (no
 * ?per=, an empty one or one that is no period). The one reading of ?per=
 * as a date, for every page that reports "as of". */
date_t serve_per_date(const serve_req *rq, date_t def);
/* The date the pages report "as of": serve_per_date, else the book's
 * reported-through date clamped to the year (report_default_at). */
date_t serve_as_of(const serve_req *rq, const book *b, int year);
/* The outcome columns of the budget pages: tertials for ?per=2026T2, else
 * quarters (report_budget_by). */
period_by serve_budget_by(const serve_req *rq);
/* The year of a page: ?ar=YYYY, else the year of today. */
int serve_year(const serve_req *rq);
/* The year of a follow-up page: ?ar=YYYY, else the year of the book's
 * reported-through date (report_default_year: today's while it has none). */
int serve_followup_year(const serve_req *rq, const book *b);
/* The years a page can show: from the book's start to the last year with
 * entries or a budget (at least this year). */
void serve_year_range(const book *b, int *first, int *last);
/* The <select> of years (name "ar") and of the unit (name "enhet"), for a
 * GET form. */
void serve_year_select(html_buf *h, const book *b, int year);
void serve_unit_select(html_buf *h, const render_opts *o);
/* The first row of kind `kind` at or after `from` in t, or t->nrows. */
size_t serve_find_row(const report_table *t, size_t from,
                      report_row_kind kind);

/* ---- serve_book.c: the kept book -------------------------------------------- */

/* The state of the book's files: every *.csv file in the book's folder,
 * by name (inode, size, modification time of each), and the folder's own
 * time. Every write renames a new file over the old, so a change always
 * shows; a file added, renamed or removed (a new book file, a year's
 * manifest) changes the folder. Listing the folder rather than naming the
 * files means a new kind of book file can never be forgotten here. A
 * folder of more files than the signature holds is marked `overflow` and
 * then never matches, so the book is read again on every request:
 * slower, never stale. */
#define SERVE_SIG_FILES 64
typedef struct {
    int exists;
    char name[64];
    unsigned long long dev, ino, size;
    long long mtime_s, mtime_ns;
} serve_file_sig;
typedef struct {
    long long dir_mtime_s, dir_mtime_ns;
    unsigned long long dir_ino;
    size_t n;
    int overflow;
    serve_file_sig f[SERVE_SIG_FILES];
} serve_book_sig;

int serve_books_new(serve_app *app);
void serve_books_free(serve_app *app);
/* The book for a page that only reads it: the snapshot read by an earlier
 * request while none of the book's files has changed, else read afresh
 * under the book's shared lock. When a writer holds the lock longer than
 * SERVE_READ_LOCK_TIMEOUT_MS, the last snapshot is used (rq->stale is set
 * and the page says so) rather than making the page wait. NULL with an
 * error page in rs when the book cannot be read. The request holds a
 * reference until serve_book_release (the handler calls it). */
const book *serve_book(serve_req *rq, serve_resp *rs);
void serve_book_release(serve_req *rq);
/* The signature of the snapshot a request reads (for caches). */
const serve_book_sig *serve_book_signature(const serve_req *rq);
/* The book's signature now, from the files. */
void serve_book_sign(const char *dir, serve_book_sig *sig);
/* Whether two signatures show the same files (never when either is an
 * overflow). */
int serve_book_sig_same(const serve_book_sig *a, const serve_book_sig *b);

/* ---- serve_auth.c: logins, sessions, form ids ----------------------------- */

/* Set up the login: with password_file NULL a one-time token (printed by
 * serve_run), else the users of that file (hashes only; re-read when it
 * changes). Errors go to dl. */
int serve_auth_new(serve_app *app, diag_list *dl);
void serve_auth_free(serve_app *app);
/* The current one-time login URL (base_url + "/?token=…") into buf. */
void serve_auth_login_url(serve_app *app, char *buf, size_t size);
/* Find the request's session (cookie) and fill rq->user/sid/csrf. Returns
 * 1 when it is logged in. */
int serve_auth_session(serve_req *rq);
/* A request carrying ?token=: log in with it (one-time) and redirect.
 * Returns 1 when rs holds the answer. */
int serve_auth_token(serve_req *rq, serve_resp *rs);
/* The answer to a request without a session: 401 and how to log in. */
void serve_auth_refuse(serve_req *rq, serve_resp *rs);
/* The CSRF token a POST must carry for this request (the session's, or
 * the login form's). */
int serve_auth_csrf_ok(serve_req *rq, const char *given);
/* Parse a password file's text (NAME:HASH lines) for `samla passwd` and
 * the server; -1 with messages naming file and line in dl. */
typedef struct {
    char *name, *hash;
} serve_user;
/* A user name the password file may hold, for the writer (samla passwd)
 * and the reader alike: 1-64 characters of UTF-8 without control
 * characters (C0, DEL, C1: text_check), no ':' and not beginning with '#'
 * (a comment line). */
int serve_user_name_ok(const char *name, size_t len);
int serve_users_parse(const char *path, const char *text, size_t len,
                      serve_user **users, size_t *n, diag_list *dl);
void serve_users_free(serve_user *users, size_t n);
/* A new salted yescrypt hash of password into out (size >= 128). */
int serve_password_hash(const char *password, char *out, size_t size);
/* Does password match hash (constant time in the comparison)? */
int serve_password_check(const char *password, const char *hash);

/* One-time form submission ids (issue: a form submitted twice saves
 * once). serve_form_open issues one per rendered form; a save claims it. */
typedef enum {
    SERVE_FORMID_OK,      /* claimed: go ahead, then call _done */
    SERVE_FORMID_USED,    /* this form was saved before: *where says where */
    SERVE_FORMID_BUSY,    /* the same form is being saved right now */
    SERVE_FORMID_UNKNOWN  /* not issued to this session (or long forgotten) */
} serve_formid;
void serve_form_id_issue(serve_req *rq, char out[33]);
serve_formid serve_form_id_claim(serve_req *rq, const char *id, char *where,
                                 size_t where_size);
/* After a claimed save: saved (with the result's location) or given back. */
void serve_form_id_done(serve_req *rq, const char *id, int saved,
                        const char *where);

/* ---- serve_conn.c: the request deadline ---------------------------------- */

int serve_conns_new(serve_app *app);
void serve_conns_free(serve_app *app);
/* libmicrohttpd's connection notifications (start, close). */
void serve_conn_notify(void *cls, struct MHD_Connection *conn,
                       void **socket_context, int code);
/* The request on conn is fully received (no deadline while it is
 * answered), or answered (a new deadline for the next one). */
void serve_conn_received(serve_app *app, struct MHD_Connection *conn);
void serve_conn_answered(serve_app *app, struct MHD_Connection *conn);

/* ---- pages ------------------------------------------------------------------ */

int serve_page_overview(serve_req *rq, serve_resp *rs);
int serve_page_earmarks(serve_req *rq, serve_resp *rs);
int serve_page_budget(serve_req *rq, serve_resp *rs);
int serve_page_journal(serve_req *rq, serve_resp *rs);
int serve_page_quarter(serve_req *rq, serve_resp *rs);
int serve_page_quarter_save(serve_req *rq, serve_resp *rs);
int serve_page_downloads(serve_req *rq, serve_resp *rs);
int serve_page_download(serve_req *rq, serve_resp *rs);
int serve_page_style(serve_req *rq, serve_resp *rs);
int serve_page_favicon(serve_req *rq, serve_resp *rs);
int serve_page_login(serve_req *rq, serve_resp *rs);
int serve_page_logout(serve_req *rq, serve_resp *rs);

/* ---- serve_comment.c: comments on the budget follow-up ------------------
 * The budget page's form sets the comment of one line (kommentarer.csv,
 * book_append_comment): a POST to /budget/kommentar with the session's
 * CSRF token and a one-time form id. A refused value is shown at its field
 * (aria-invalid, aria-describedby) and in a summary that takes the focus. */

/* What the form holds when it is shown again after a refusal. */
typedef struct {
    const char *line;    /* the <select> value: "k:PROC:" ("" = none) */
    const char *period;  /* as typed */
    const char *text;    /* as typed */
    int field;           /* the field at fault: 0 none, 1 line, 2 period,
                            3 text, 4 the whole form (e.g. a closed year) */
    char msg[400];       /* why, in Swedish */
} serve_comment_form;

/* The comment form for the lines of `year` (f NULL: empty). */
void serve_comment_form_html(html_buf *h, serve_req *rq, const book *b,
                             int year, const serve_comment_form *f);
/* The budget page (serve_overview.c), with the comment form as f holds it
 * and the given status. */
void serve_budget_page(serve_req *rq, serve_resp *rs, const book *b,
                       const serve_comment_form *f, unsigned status);
int serve_page_comment_save(serve_req *rq, serve_resp *rs);

/* ---- serve_download.c: cached workbooks ----------------------------------- */

int serve_workbooks_new(serve_app *app);
void serve_workbooks_free(serve_app *app);
/* A blob's bytes and length; serve_blob_unref drops one reference. */
const char *serve_blob_data(const serve_blob *b, size_t *len);
void serve_blob_unref(serve_blob *b);

/* ---- serve_http.c ------------------------------------------------------------- */

/* Run the server until SIGINT/SIGTERM. Prints the address it listens on
 * (the real port when port 0 was asked for) and the login link to stdout.
 * cert/key: PEM text for HTTPS (NULL = plain HTTP). Returns SAMLA_OK,
 * SAMLA_EUSAGE (a bad address) or SAMLA_EIO (cannot listen); the command
 * (cmd_serve.c) turns that into an exit code. */
int serve_run(serve_app *app, const char *bind_addr, const char *cert_pem,
              const char *key_pem);

#endif
