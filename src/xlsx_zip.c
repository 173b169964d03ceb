/*
 * xlsx_zip - a worksheet's rows written by samla itself into the package
 * libxlsxwriter wrote (its parts stored, xlsx_minizip.c): the journal's
 * entry rows (xlsx_journal.c) and the cells of the report sheets
 * (xlsx_cells.c).
 *
 * libxlsxwriter writes every part of a workbook; for a journal of a
 * million rows its per-cell fprintf and its deflate at zlib's default level
 * cost most of an export (docs/performance.md). So the journal sheets are
 * given to libxlsxwriter without their entry rows (title rows, totals,
 * headings, widths, filter, names: everything but the rows), and once
 * libxlsxwriter has closed the file, xlsx_zip_splice rewrites the package:
 * every other part is copied as it is (its compressed bytes untouched), and
 * each such sheet's XML is inflated, and written again with the rows put
 * before its </sheetData>, deflated at level 1 in chunks of CHUNK bytes on
 * up to two threads (as pigz does: each chunk primed with the previous
 * chunk's last 32 KiB, ended with a sync flush, the last one finished), so
 * the output is the same bytes whichever thread compressed which chunk.
 * Memory stays constant: at most NSLOT chunks are in flight. A part that
 * fits in one chunk is stored instead: for a report sheet or a small
 * book's journal, setting up deflate and compressing cost more than the
 * bytes saved are worth (a 1 000-entry book's annual workbook: 200 KB).
 *
 * The rewritten package is a plain zip (no zip64): a part or offset that
 * would pass 4 GiB is refused with a message.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "mem.h"
#include "text.h"
#include "xlsx_priv.h"

#define CHUNK (1u << 20)   /* input bytes per deflated chunk */
#define NSLOT 6            /* chunks in flight */
#define DICT 32768         /* deflate's window: the dictionary of a chunk */
#define NWORKERS 2
#define LEVEL 1

enum { SLOT_FREE, SLOT_FILLED, SLOT_DONE };

typedef struct {
    unsigned char *in, *out;
    size_t nin, nout, outcap;
    size_t ndict;       /* the previous chunk's last bytes, at dict */
    unsigned char *dict;
    int last;
    int state;
    int zerr;           /* a zlib failure compressing it */
    unsigned long crc;
} slot;

struct xlsx_xml {
    xlsx_xml_room room; /* the free room of the chunk being filled (first:
                           xlsx_xml_put in xlsx_priv.h reads it) */
    int fd;
    off_t pos;          /* where the next compressed byte goes */
    uint64_t usize, csize;
    unsigned long crc;
    slot s[NSLOT];
    size_t filling;     /* sequence number of the chunk being filled */
    size_t written;     /* chunks written out (in order) */
    size_t taken;       /* chunks a worker (or the caller) has taken */
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_t th[NWORKERS];
    int nthreads, stop;
    z_stream z;         /* the caller's own, when there are no workers */
    int z_ready;
    int stored;         /* the part went out stored, not deflated */
    int err;            /* errno of a failed write; -1: zlib failed */
    char rownum[24];    /* the row being written, as text ("7") */
    size_t rownum_len;
    long lastcol;       /* its last cell's column; -1 before the first */
};

static int z_init(z_stream *z)
{
    memset(z, 0, sizeof *z);
    return deflateInit2(z, LEVEL, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) ==
                   Z_OK
               ? 0
               : -1;
}

/* Compress one chunk (any thread). */
static void compress_slot(z_stream *z, slot *sl)
{
    sl->crc = crc32(0L, sl->in, (uInt)sl->nin);
    sl->zerr = 0;
    if (deflateReset(z) != Z_OK ||
        (sl->ndict &&
         deflateSetDictionary(z, sl->dict, (uInt)sl->ndict) != Z_OK)) {
        sl->zerr = 1;
        return;
    }
    z->next_in = sl->in;
    z->avail_in = (uInt)sl->nin;
    z->next_out = sl->out;
    z->avail_out = (uInt)sl->outcap;
    int rc = deflate(z, sl->last ? Z_FINISH : Z_SYNC_FLUSH);
    if (z->avail_in != 0 || (sl->last ? rc != Z_STREAM_END : rc != Z_OK))
        sl->zerr = 1;
    sl->nout = sl->outcap - z->avail_out;
}

static void *worker(void *arg)
{
    xlsx_xml *x = arg;
    z_stream z;
    int ok = z_init(&z) == 0;
    pthread_mutex_lock(&x->mu);
    for (;;) {
        while (!x->stop && x->taken >= x->filling)
            pthread_cond_wait(&x->work, &x->mu);
        if (x->taken >= x->filling)
            break; /* stopping, and nothing left */
        slot *sl = &x->s[x->taken++ % NSLOT];
        pthread_mutex_unlock(&x->mu);
        if (ok)
            compress_slot(&z, sl);
        else
            sl->zerr = 1;
        pthread_mutex_lock(&x->mu);
        sl->state = SLOT_DONE;
        pthread_cond_broadcast(&x->done);
    }
    pthread_mutex_unlock(&x->mu);
    if (ok)
        deflateEnd(&z);
    return NULL;
}

static void put_out(xlsx_xml *x, const unsigned char *p, size_t n)
{
    while (n && !x->err) {
        ssize_t k = pwrite(x->fd, p, n, x->pos);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            x->err = k < 0 ? errno : EIO;
            return;
        }
        p += k;
        n -= (size_t)k;
        x->pos += k;
    }
}

/* Write out the done chunks at the head of the queue, in order. With
 * `wait`, first wait until the oldest unwritten chunk is done. Called with
 * the mutex held when there are workers. */
static void drain(xlsx_xml *x, int wait)
{
    while (x->written < x->filling) {
        slot *sl = &x->s[x->written % NSLOT];
        if (sl->state != SLOT_DONE) {
            if (!wait || !x->nthreads)
                return;
            pthread_cond_wait(&x->done, &x->mu);
            continue;
        }
        if (x->nthreads)
            pthread_mutex_unlock(&x->mu);
        if (sl->zerr && !x->err)
            x->err = -1;
        put_out(x, sl->out, sl->nout);
        x->crc = crc32_combine(x->crc, sl->crc, (z_off_t)sl->nin);
        x->usize += sl->nin;
        x->csize += sl->nout;
        if (x->nthreads)
            pthread_mutex_lock(&x->mu);
        sl->state = SLOT_FREE;
        x->written++;
        wait = 0; /* one chunk freed: enough to go on */
    }
}

/* Hand the chunk being filled to the compressors; make the next one the
 * one being filled (unless this was the last). */
static void submit(xlsx_xml *x, int last)
{
    size_t seq = x->filling;
    slot *sl = &x->s[seq % NSLOT];
    sl->nin = (size_t)(x->room.p - sl->in);
    sl->last = last;
    sl->ndict = 0;
    if (seq > 0) {
        const slot *prev = &x->s[(seq - 1) % NSLOT];
        size_t n = prev->nin < DICT ? prev->nin : DICT;
        memcpy(sl->dict, prev->in + prev->nin - n, n);
        sl->ndict = n;
    }
    /* A second chunk: the part is large, start the workers (a small part
     * is compressed by the caller, without threads). */
    if (!last && seq == 0 && !x->nthreads) {
        for (int i = 0; i < NWORKERS; i++) {
            if (pthread_create(&x->th[x->nthreads], NULL, worker, x) != 0)
                break;
            x->nthreads++;
        }
    }
    if (x->nthreads) {
        pthread_mutex_lock(&x->mu);
        sl->state = SLOT_FILLED;
        x->filling++;
        pthread_cond_signal(&x->work);
        drain(x, 0);
        /* The next chunk's slot must be free (written out). */
        while (!last && x->filling - x->written >= NSLOT)
            drain(x, 1);
        pthread_mutex_unlock(&x->mu);
    } else if (seq == 0 && last) {
        /* A part of one chunk (under CHUNK bytes of XML: a report sheet,
         * a small book's journal) is stored, as libxlsxwriter's parts are
         * (xlsx_minizip.c): setting up deflate for it and compressing it
         * cost more than writing its bytes. */
        sl->state = SLOT_FILLED;
        x->filling++;
        x->taken++;
        sl->crc = crc32(0L, sl->in, (uInt)sl->nin);
        put_out(x, sl->in, sl->nin);
        x->crc = sl->crc;
        x->usize = x->csize = sl->nin;
        x->written++;
        x->stored = 1;
        sl->state = SLOT_FREE;
    } else {
        if (!x->z_ready) {
            if (z_init(&x->z) != 0)
                x->err = -1;
            x->z_ready = 1;
        }
        sl->state = SLOT_FILLED;
        x->filling++;
        x->taken++;
        compress_slot(&x->z, sl);
        sl->state = SLOT_DONE;
        drain(x, 0);
    }
    if (!last) {
        slot *nx = &x->s[x->filling % NSLOT];
        if (!nx->in) {
            nx->in = mem_alloc(CHUNK);
            nx->outcap = CHUNK + CHUNK / 8 + 4096; /* > deflateBound */
            nx->out = mem_alloc(nx->outcap);
            nx->dict = mem_alloc(DICT);
        }
        x->room.p = nx->in;
        x->room.end = nx->in + CHUNK;
    }
}

static xlsx_xml *xml_open(int fd, off_t pos)
{
    xlsx_xml *x = mem_calloc(1, sizeof *x);
    x->fd = fd;
    x->pos = pos;
    x->crc = crc32(0L, Z_NULL, 0);
    pthread_mutex_init(&x->mu, NULL);
    pthread_cond_init(&x->work, NULL);
    pthread_cond_init(&x->done, NULL);
    slot *sl = &x->s[0];
    sl->in = mem_alloc(CHUNK);
    sl->outcap = CHUNK + CHUNK / 8 + 4096;
    sl->out = mem_alloc(sl->outcap);
    sl->dict = mem_alloc(DICT);
    x->room.p = sl->in;
    x->room.end = sl->in + CHUNK;
    return x;
}

/* Finish the stream: everything compressed and written. Returns 0 or -1
 * (x->err says why). Frees x's buffers and threads but not x. */
static int xml_finish(xlsx_xml *x)
{
    submit(x, 1);
    if (x->nthreads) {
        pthread_mutex_lock(&x->mu);
        while (x->written < x->filling)
            drain(x, 1);
        x->stop = 1;
        pthread_cond_broadcast(&x->work);
        pthread_mutex_unlock(&x->mu);
        for (int i = 0; i < x->nthreads; i++)
            pthread_join(x->th[i], NULL);
    }
    if (x->z_ready)
        deflateEnd(&x->z);
    for (int i = 0; i < NSLOT; i++) {
        free(x->s[i].in);
        free(x->s[i].out);
        free(x->s[i].dict);
    }
    pthread_mutex_destroy(&x->mu);
    pthread_cond_destroy(&x->work);
    pthread_cond_destroy(&x->done);
    return x->err ? -1 : 0;
}

void xlsx_xml_put_more(xlsx_xml *x, const char *s, size_t n)
{
    while (n) {
        size_t room = (size_t)(x->room.end - x->room.p);
        size_t k = n < room ? n : room;
        memcpy(x->room.p, s, k);
        x->room.p += k;
        s += k;
        n -= k;
        if (x->room.p == x->room.end)
            submit(x, 0);
    }
}

void xlsx_xml_puts(xlsx_xml *x, const char *s)
{
    xlsx_xml_put(x, s, strlen(s));
}

const char *xlsx_xml_rownum(const xlsx_xml *x, size_t *len)
{
    *len = x->rownum_len;
    return x->rownum;
}

void xlsx_xml_row(xlsx_xml *x, lxw_row_t r, long height_cpt)
{
    size_t n = text_utoa((unsigned long)r + 1, x->rownum);
    x->rownum_len = n;
    x->lastcol = -1;
    xlsx_xml_put(x, "<row r=\"", 8);
    xlsx_xml_put(x, x->rownum, n);
    if (height_cpt) {
        char ht[XLSX_NUMBER_TEXT];
        xlsx_hundredths_text(height_cpt, ht);
        xlsx_xml_put(x, "\" ht=\"", 6);
        xlsx_xml_puts(x, ht);
        xlsx_xml_put(x, "\" customHeight=\"1\">", 19);
    } else {
        xlsx_xml_put(x, "\">", 2);
    }
}

void xlsx_xml_cell(xlsx_xml *x, lxw_col_t c)
{
    /* A cell's reference is optional (ECMA-376 Part 1, 18.3.1.4): one
     * without it is the cell after the previous one of its row. Most cells
     * of a journal row follow the previous one, and the references were a
     * third of the sheet's bytes. */
    if ((long)c == x->lastcol + 1) {
        xlsx_xml_put(x, "<c", 2);
    } else {
        char b[32], *o = b;
        memcpy(o, "<c r=\"", 6);
        o += 6;
        char letters[4];
        int nl = 0;
        unsigned n = (unsigned)c + 1;
        while (n) {
            letters[nl++] = (char)('A' + (n - 1) % 26);
            n = (n - 1) / 26;
        }
        while (nl)
            *o++ = letters[--nl];
        memcpy(o, x->rownum, x->rownum_len);
        o += x->rownum_len;
        *o++ = '"';
        xlsx_xml_put(x, b, (size_t)(o - b));
    }
    x->lastcol = (long)c;
}

void xlsx_xml_row_end(xlsx_xml *x)
{
    xlsx_xml_put(x, "</row>", 6);
}

/* ---- The package ---------------------------------------------------------- */

static unsigned rd16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static void wr16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void wr32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

typedef struct {
    const unsigned char *cd; /* its central directory record */
    size_t cdlen;
    uint32_t off;            /* its local header's offset */
    uint32_t end;            /* where its bytes end (the next entry) */
    const xlsx_deferred *d;  /* rows to put in, or NULL */
} entry;

static int by_offset(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    return (x->off > y->off) - (x->off < y->off);
}

/* Inflate a raw deflate stream of known size. NULL on failure. */
static char *inflate_part(const unsigned char *p, size_t n, size_t usize)
{
    char *out = mem_alloc(usize + 1);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, -15) != Z_OK) {
        free(out);
        return NULL;
    }
    z.next_in = (unsigned char *)p;
    z.avail_in = (uInt)n;
    z.next_out = (unsigned char *)out;
    z.avail_out = (uInt)usize;
    int rc = inflate(&z, Z_FINISH);
    size_t got = usize - z.avail_out;
    inflateEnd(&z);
    if (rc != Z_STREAM_END || got != usize) {
        free(out);
        return NULL;
    }
    out[usize] = '\0';
    return out;
}

/* The sheet's XML again with the rows of d put in: the part before the
 * end of sheetData (its dimension set to d's), the rows, the rest. */
static int write_sheet(xlsx_wb *w, xlsx_xml *x, const char *xml,
                       const xlsx_deferred *d)
{
    const char *end = strstr(xml, "</sheetData>");
    const char *empty = end ? NULL : strstr(xml, "<sheetData/>");
    if (!end && !empty)
        return -1;
    const char *cut = end ? end : empty;
    const char *dim = strstr(xml, "<dimension ref=\"");
    const char *from = xml;
    if (dim && dim < cut) {
        dim += strlen("<dimension ref=\"");
        const char *q = strchr(dim, '"');
        if (!q || q > cut)
            return -1;
        xlsx_xml_put(x, xml, (size_t)(dim - xml));
        xlsx_xml_puts(x, d->dimension);
        from = q;
    }
    xlsx_xml_put(x, from, (size_t)(cut - from));
    if (empty)
        xlsx_xml_puts(x, "<sheetData>");
    int rc = d->rows(w, x, d->ctx);
    xlsx_xml_puts(x, "</sheetData>");
    xlsx_xml_puts(x, cut + (end ? strlen("</sheetData>")
                                : strlen("<sheetData/>")));
    return rc;
}

/* Write n bytes at *pos, advancing it. */
static int put_at(int fd, off_t *pos, const void *p, size_t n)
{
    const unsigned char *c = p;
    while (n) {
        ssize_t k = pwrite(fd, c, n, *pos);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return -1;
        }
        c += k;
        n -= (size_t)k;
        *pos += k;
    }
    return 0;
}

#define LIMIT 0xFFFFFFFEu /* the largest size or offset without zip64 */

static int too_big(xlsx_wb *w)
{
    xlsx_fail(w, "arbetsboken skulle bli större än 4 GB, mer än samla "
                 "skriver (zip utan zip64); arbetsboken skrevs inte");
    return -1;
}

int xlsx_zip_splice(xlsx_wb *w, int fd)
{
    struct stat stt;
    if (fstat(fd, &stt) != 0 || stt.st_size < 22 ||
        (uint64_t)stt.st_size > LIMIT) {
        xlsx_fail(w, "kan inte läsa arbetsboken som skrevs");
        return -1;
    }
    size_t size = (size_t)stt.st_size;
    unsigned char *buf = mem_alloc(size);
    size_t got = 0;
    while (got < size) {
        ssize_t k = pread(fd, buf + got, size - got, (off_t)got);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    entry *ents = NULL;
    char *xml = NULL;
    unsigned char *cd = NULL;
    int rc = -1;
    /* The end of central directory record: the last one in the file. */
    size_t eocd = size - 22;
    while (got == size && eocd > 0 && rd32(buf + eocd) != 0x06054b50u)
        eocd--;
    if (got != size || rd32(buf + eocd) != 0x06054b50u)
        goto bad;
    unsigned nent = rd16(buf + eocd + 10);
    uint32_t cdsize = rd32(buf + eocd + 12), cdoff = rd32(buf + eocd + 16);
    if ((size_t)cdoff + cdsize > eocd)
        goto bad;
    ents = mem_calloc(nent ? nent : 1, sizeof *ents);
    size_t p = cdoff;
    for (unsigned i = 0; i < nent; i++) {
        if (p + 46 > (size_t)cdoff + cdsize || rd32(buf + p) != 0x02014b50u)
            goto bad;
        size_t nlen = rd16(buf + p + 28), xlen = rd16(buf + p + 30),
               clen = rd16(buf + p + 32);
        entry *e = &ents[i];
        e->cd = buf + p;
        e->cdlen = 46 + nlen + xlen + clen;
        e->off = rd32(buf + p + 42);
        if (p + e->cdlen > (size_t)cdoff + cdsize || e->off >= cdoff)
            goto bad;
        for (size_t k = 0; k < w->ndefer; k++) {
            char name[64];
            snprintf(name, sizeof name, "xl/worksheets/sheet%u.xml",
                     w->defer[k].sheet_no);
            if (strlen(name) == nlen && !memcmp(buf + p + 46, name, nlen))
                e->d = &w->defer[k];
        }
        p += e->cdlen;
    }
    /* Each entry's bytes run to the next one's (a data descriptor, if
     * any, goes with them). */
    qsort(ents, nent, sizeof *ents, by_offset);
    for (unsigned i = 0; i < nent; i++)
        ents[i].end = i + 1 < nent ? ents[i + 1].off : cdoff;

    off_t pos = 0;
    cd = mem_alloc(cdsize + 1);
    size_t ncd = 0;
    for (unsigned i = 0; i < nent && !w->failed; i++) {
        entry *e = &ents[i];
        if ((uint64_t)pos > LIMIT) {
            rc = too_big(w);
            goto out;
        }
        memcpy(cd + ncd, e->cd, e->cdlen);
        unsigned char *c = cd + ncd;
        ncd += e->cdlen;
        wr32(c + 42, (uint32_t)pos);
        if (!e->d) {
            if (put_at(fd, &pos, buf + e->off, e->end - e->off) != 0)
                goto ioerr;
            continue;
        }
        /* The sheet: its XML, then a new entry with the rows put in. */
        const unsigned char *lh = buf + e->off;
        size_t nlen = rd16(e->cd + 28);
        uint32_t csize = rd32(e->cd + 20), usize = rd32(e->cd + 24);
        size_t data = e->off + 30 + rd16(lh + 26) + rd16(lh + 28);
        unsigned method = rd16(e->cd + 10);
        if (rd32(lh) != 0x04034b50u || (method != 8 && method != 0) ||
            data + csize > e->end || (method == 0 && csize != usize))
            goto bad;
        free(xml);
        /* stored (xlsx_minizip.c) or deflated, by whoever wrote it */
        xml = method == 8 ? inflate_part(buf + data, csize, usize)
                          : mem_strndup((const char *)buf + data, usize);
        if (!xml)
            goto bad;
        unsigned char h[30];
        memcpy(h, lh, 30);
        wr16(h + 6, rd16(h + 6) & ~8u); /* sizes in the header */

        wr16(h + 28, 0);                /* no extra field */
        off_t hpos = pos;
        if (put_at(fd, &pos, h, 30) != 0 ||
            put_at(fd, &pos, e->cd + 46, nlen) != 0)
            goto ioerr;
        xlsx_xml *x = xml_open(fd, pos);
        int r = write_sheet(w, x, xml, e->d);
        int f = xml_finish(x);
        pos = x->pos;
        int xerr = x->err;
        uint64_t cs = x->csize, us = x->usize;
        unsigned long crc = x->crc;
        method = x->stored ? 0 : 8;
        free(x);
        if (r != 0 && !w->failed)
            goto bad;
        if (f != 0) {
            if (xerr > 0) {
                errno = xerr;
                goto ioerr;
            }
            goto bad;
        }
        if (cs > LIMIT || us > LIMIT) {
            rc = too_big(w);
            goto out;
        }
        wr16(h + 8, method);
        wr32(h + 14, (uint32_t)crc);
        wr32(h + 18, (uint32_t)cs);
        wr32(h + 22, (uint32_t)us);
        if (pwrite(fd, h, 30, hpos) != 30)
            goto ioerr;
        wr16(c + 8, rd16(c + 8) & ~8u);
        wr16(c + 10, method);
        wr32(c + 16, (uint32_t)crc);
        wr32(c + 20, (uint32_t)cs);
        wr32(c + 24, (uint32_t)us);
    }
    if (w->failed)
        goto out;
    if ((uint64_t)pos > LIMIT) {
        rc = too_big(w);
        goto out;
    }
    unsigned char tail[22];
    memcpy(tail, buf + eocd, 22);
    wr32(tail + 12, (uint32_t)ncd);
    wr32(tail + 16, (uint32_t)pos);
    wr16(tail + 20, 0); /* no comment */
    if (put_at(fd, &pos, cd, ncd) != 0 || put_at(fd, &pos, tail, 22) != 0 ||
        ftruncate(fd, pos) != 0)
        goto ioerr;
    rc = 0;
    goto out;
ioerr:
    xlsx_fail(w, "kan inte skriva arbetsboken: %s", strerror(errno));
    goto out;
bad:
    xlsx_fail(w, "arbetsboken som libxlsxwriter skrev kunde inte "
                 "kompletteras med verifikationerna");
out:
    free(cd);
    free(xml);
    free(ents);
    free(buf);
    return rc;
}
