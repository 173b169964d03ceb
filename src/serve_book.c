/*
 * serve_book - the kept book: the book as last read, shared by the pages
 * that only read it (see serve.h).
 *
 * A snapshot is never changed once made. Requests take a reference; when
 * the files change (every write renames a new file over the old one, so a
 * new inode, size or time shows it) the next request reads a new snapshot
 * and the old one is freed when its last reader is done. Reading happens
 * under the book's shared lock (store_lock_shared), so a page never sees
 * half of a multi-file save. Only
 * one thread reads the book at a time; the others wait for its result.
 */
#include <dirent.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mem.h"
#include "serve.h"
#include "store.h"

struct serve_snapshot {
    book b;
    serve_book_sig sig;
    char org[200];
    int refs; /* under serve_books.mu; the kept one holds one itself */
};

struct serve_books {
    pthread_mutex_t mu;      /* cur and refs */
    pthread_mutex_t load_mu; /* one reader of the files at a time */
    serve_snapshot *cur;
};

static int sig_name_cmp(const void *x, const void *y)
{
    return strcmp(((const serve_file_sig *)x)->name,
                  ((const serve_file_sig *)y)->name);
}

void serve_book_sign(const char *dir, serve_book_sig *sig)
{
    /* Zeroed whole, padding included: signatures are compared with
     * memcmp. */
    memset(sig, 0, sizeof *sig);
    struct stat st;
    DIR *d = opendir(dir);
    if (!d || fstat(dirfd(d), &st) != 0) {
        if (d)
            closedir(d);
        sig->overflow = 1; /* cannot tell: read it again */
        return;
    }
    sig->dir_ino = (unsigned long long)st.st_ino;
    sig->dir_mtime_s = st.st_mtim.tv_sec;
    sig->dir_mtime_ns = st.st_mtim.tv_nsec;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        size_t len = strlen(name);
        if (name[0] == '.' || len < 5 || strcmp(name + len - 4, ".csv") != 0)
            continue;
        if (len >= sizeof sig->f[0].name || sig->n == SERVE_SIG_FILES) {
            sig->overflow = 1;
            continue;
        }
        if (fstatat(dirfd(d), name, &st, 0) != 0 || !S_ISREG(st.st_mode))
            continue;
        serve_file_sig *f = &sig->f[sig->n++];
        f->exists = 1;
        memcpy(f->name, name, len);
        f->dev = (unsigned long long)st.st_dev;
        f->ino = (unsigned long long)st.st_ino;
        f->size = (unsigned long long)st.st_size;
        f->mtime_s = st.st_mtim.tv_sec;
        f->mtime_ns = st.st_mtim.tv_nsec;
    }
    closedir(d);
    qsort(sig->f, sig->n, sizeof sig->f[0], sig_name_cmp);
}

int serve_book_sig_same(const serve_book_sig *a, const serve_book_sig *b)
{
    return !a->overflow && !b->overflow && memcmp(a, b, sizeof *a) == 0;
}

int serve_books_new(serve_app *app)
{
    serve_books *s = calloc(1, sizeof *s);
    if (!s)
        return -1;
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->load_mu, NULL);
    app->books = s;
    return 0;
}

static void snap_unref(serve_books *s, serve_snapshot *sn)
{
    if (!sn)
        return;
    pthread_mutex_lock(&s->mu);
    int last = --sn->refs == 0;
    pthread_mutex_unlock(&s->mu);
    if (last) {
        book_free(&sn->b);
        free(sn);
    }
}

void serve_books_free(serve_app *app)
{
    serve_books *s = app->books;
    if (!s)
        return;
    snap_unref(s, s->cur);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->load_mu);
    free(s);
    app->books = NULL;
}

/* Take a reference to the kept snapshot when it matches sig (or any when
 * sig is NULL). */
static serve_snapshot *kept(serve_books *s, const serve_book_sig *sig)
{
    pthread_mutex_lock(&s->mu);
    serve_snapshot *sn = s->cur;
    if (sn && (!sig || serve_book_sig_same(&sn->sig, sig)))
        sn->refs++;
    else
        sn = NULL;
    pthread_mutex_unlock(&s->mu);
    return sn;
}

static const book *use(serve_req *rq, serve_snapshot *sn)
{
    rq->snap = sn;
    snprintf(rq->org, sizeof rq->org, "%s", sn->org);
    return &sn->b;
}

const book *serve_book(serve_req *rq, serve_resp *rs)
{
    serve_books *s = rq->app->books;
    serve_book_sig sig;
    serve_book_sign(rq->app->book_dir, &sig);
    serve_snapshot *sn = kept(s, &sig);
    if (sn)
        return use(rq, sn);

    pthread_mutex_lock(&s->load_mu);
    /* Another request may have read it while this one waited. */
    serve_book_sign(rq->app->book_dir, &sig);
    sn = kept(s, &sig);
    if (sn) {
        pthread_mutex_unlock(&s->load_mu);
        return use(rq, sn);
    }
    diag_list dl;
    diag_init(&dl);
    store_lock lock = STORE_LOCK_NONE;
    if (store_lock_shared(&lock, rq->app->book_dir, SERVE_READ_LOCK_TIMEOUT_MS,
                          &dl) == SAMLA_ELOCK) {
        diag_free(&dl);
        /* A writer is at work (the command line, perhaps for long): show
         * the book as it was rather than keep the page waiting. */
        pthread_mutex_unlock(&s->load_mu);
        sn = kept(s, NULL);
        if (sn) {
            rq->stale = 1;
            return use(rq, sn);
        }
        serve_page_message(rs, rq, MHD_HTTP_SERVICE_UNAVAILABLE,
                           "Boken sparas just nu",
                           "Någon annan sparar i boken just nu (till exempel "
                           "från kommandoraden). Ladda om sidan om en stund.");
        rs->retry_after = 2;
        return NULL;
    }
    /* Sign under the lock, before reading: a write after this point only
     * costs one more read later. */
    serve_book_sign(rq->app->book_dir, &sig);
    sn = mem_calloc(1, sizeof *sn);
    int rc = book_load(&sn->b, rq->app->book_dir, &dl);
    store_lock_release(&lock);
    if (rc != SAMLA_OK) {
        pthread_mutex_unlock(&s->load_mu);
        serve_book_error(rs, rq, &dl);
        diag_free(&dl);
        book_free(&sn->b);
        free(sn);
        return NULL;
    }
    diag_free(&dl);
    sn->sig = sig;
    snprintf(sn->org, sizeof sn->org, "%s", sn->b.name ? sn->b.name : "");
    sn->refs = 2; /* the kept one and this request */
    pthread_mutex_lock(&s->mu);
    serve_snapshot *old = s->cur;
    s->cur = sn;
    pthread_mutex_unlock(&s->mu);
    snap_unref(s, old);
    pthread_mutex_unlock(&s->load_mu);
    return use(rq, sn);
}

void serve_book_release(serve_req *rq)
{
    if (rq->snap) {
        snap_unref(rq->app->books, rq->snap);
        rq->snap = NULL;
    }
}

const serve_book_sig *serve_book_signature(const serve_req *rq)
{
    return rq->snap ? &rq->snap->sig : NULL;
}
