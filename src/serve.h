/*
 * serve - the local web interface (`samla serve`, issue 8): internals
 * shared by serve*.c. docs/web.md describes the pages and the security
 * model.
 *
 * Shape: libmicrohttpd runs ONE internal polling thread and calls our
 * handler there, so requests are handled one at a time. That is plenty for
 * a one-person book and means no module below (book, reports, quarter,
 * xlsx) has to be thread-safe. Every request reads the book afresh from
 * disk (the command line may have written since); every write takes the
 * book's lock, loads the book under it and commits atomically, exactly as
 * the commands do.
 *
 * The handler only dispatches: routes are a fixed table (serve_http.c), and
 * each page (serve_page_*.c) fills a serve_resp. No path from a request is
 * ever used to open a file.
 */
#ifndef SAMLA_SERVE_H
#define SAMLA_SERVE_H

#include <stddef.h>

#include "book.h"
#include "html.h"
#include "render.h"

struct MHD_Connection;

/* Limits (docs/web.md): a form post is a few kilobytes. */
#define SERVE_MAX_BODY (64 * 1024)
#define SERVE_CONN_LIMIT 64
#define SERVE_CONN_TIMEOUT 15 /* seconds without traffic */
#define SERVE_LOCK_TIMEOUT_MS 5000

/* One user of the password file. */
typedef struct {
    char *name, *password;
} serve_user;

/* The running server's fixed state. */
typedef struct {
    const char *book_dir;
    const char *default_user; /* --user / $SAMLA_USER / login name */
    char csrf[65];            /* per server start, 64 hex digits */
    serve_user *users;        /* from --password-file; NULL = no auth */
    size_t nusers;
    int loopback;             /* bound to a loopback address only */
    unsigned port;
    struct serve_cache *cache; /* the book as last read (serve_book) */
    /* The audit timestamp "YYYY-MM-DDTHH:MM:SSZ" of a save, passed in by
     * the command so the pages need not know the command layer. */
    void (*now)(char *buf, size_t size);
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
    serve_form form;  /* the POST body's fields */
    const char *user; /* who is making the change (audit trail) */
    char org[200];    /* the organisation's name, once the book is read */
} serve_req;

/* What a page answers. */
typedef struct {
    unsigned status;
    const char *ctype;    /* NULL = text/html; charset=utf-8 */
    char *body;           /* malloc'd */
    size_t len;
    char *location;       /* redirect target (malloc'd), with 303 */
    int fd;               /* >= 0: stream this (already unlinked) file */
    size_t fd_len;
    char *filename;       /* Content-Disposition: attachment (malloc'd) */
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

/* ---- serve_page.c: the page frame ------------------------------------------ */

/* The navigation entries; `active` is the path of the current page. */
void serve_page_begin(html_buf *h, const serve_req *rq, const char *title,
                      const char *active);
void serve_page_end(html_buf *h);
/* Finish a page into a response with status. */
void serve_page_done(serve_resp *rs, html_buf *h, unsigned status);
/* A whole page with a message (errors, 404 …). */
void serve_page_message(serve_resp *rs, const serve_req *rq, unsigned status,
                        const char *title, const char *text);
/* The hidden CSRF field of a form. */
void serve_csrf_field(html_buf *h, const serve_req *rq);
/* A redirect (303 See Other) to a path of our own. */
void serve_redirect(serve_resp *rs, const char *location);

/* Load the book for reading, under the book's shared lock (one consistent
 * state of its files). On failure fills rs with an error page listing the
 * book's problems and returns -1. The caller frees b. */
int serve_load(serve_req *rq, serve_resp *rs, book *b);
/* The same for a caller that already holds the book's exclusive lock. */
int serve_load_held(serve_req *rq, serve_resp *rs, book *b);

/* The book for a page that only reads it: the one read by an earlier
 * request when none of the book's files has changed since (same inode,
 * size and modification time: every write replaces a file by renaming a
 * new one over it), else read afresh. A big book takes a second to read;
 * most pages then cost only their report. Owned by the server (never
 * freed by the page, never modified); NULL with an error page in rs when
 * the book cannot be read. Writes never use it: they read the book under
 * the lock (serve_load). */
const book *serve_book(serve_req *rq, serve_resp *rs);
/* Drop the kept book (at shutdown). */
void serve_cache_free(serve_app *app);
/* Diagnostics as an HTML list. */
void serve_diag_html(html_buf *h, const diag_list *dl);

/* The display options of a request: ?enhet=kr|tkr|mnkr (default kr). */
void serve_render_opts(const serve_req *rq, render_opts *o);
/* The date the pages report "as of": ?per=DATE (or a period: its end),
 * else the book's reported-through date clamped to the year
 * (report_default_at). */
date_t serve_as_of(const serve_req *rq, const book *b, int year);
/* The outcome columns of the budget pages: tertials for ?per=2026T2, else
 * quarters (report_budget_by). */
period_by serve_budget_by(const serve_req *rq);
/* The year of a page: ?ar=YYYY, else the year of today. */
int serve_year(const serve_req *rq);
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

/* ---- serve_http.c ------------------------------------------------------------- */

/* Run the server until SIGINT/SIGTERM. Prints the address it listens on
 * (the real port when port 0 was asked for) to stdout. Returns SAMLA_OK,
 * SAMLA_EUSAGE (a bad address) or SAMLA_EIO (cannot listen); the command
 * (cmd_serve.c) turns that into an exit code. */
int serve_run(serve_app *app, const char *bind_addr);

#endif
