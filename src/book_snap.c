/*
 * book_snap - a binary snapshot of a loaded and checked journal, kept
 * beside the book (DIR/.samla-cache/verifikationer.snap, ignored by git),
 * so that a large book loads without parsing its journal again.
 *
 * The CSV files stay the single truth. A snapshot is used only when its key
 * equals the key of the book as it is now: SHA-256 over every *.csv file of
 * the folder (name, size and content, in name order) and the build of samla
 * that wrote it (its GNU build-id), so a changed byte anywhere, a file added
 * or removed, or another samla, makes it stale. A stale, missing,
 * truncated or corrupt snapshot (a checksum covers everything after its
 * header) is ignored and the journal is read from CSV, so it costs speed,
 * never correctness. Only a book that loaded without errors gets one.
 *
 * What it holds: the entries (codes as indices, amounts as int64 öre, texts
 * as offsets into one text block), the diagnostics that reading the
 * journal gave, and those of the book-wide checks (check_book), which
 * depend on nothing but the files and the build. The small files are read
 * from CSV on every load; the snapshot records their sizes (the number of
 * accounts, activities, funders, earmarks) to be sure its indices fit.
 *
 * Hashing a big journal is split into 8 MiB pieces hashed on two threads
 * (the key is a hash of the pieces' hashes), so it costs about what reading
 * the file costs.
 *
 * Every journal gets a snapshot, however small: SHA-256 is OpenSSL's block
 * function without EVP's start-up (sha256.h), so keying the 1 000-entry
 * book costs about 0.1 ms, and loading its snapshot saves about 9 M of the
 * 11 M instructions that parsing its CSV takes (docs/performance.md).
 *
 * Why one file of some 800 lines: the format, its writer and its reader
 * must agree byte for byte; kept together, a change to one is seen beside
 * the others.
 */
#include "book.h"
#include "book_priv.h"
#include "mem.h"
#include "sha256.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SNAP_DIR ".samla-cache"
#define SNAP_FILE "verifikationer.snap"
#define SNAP_MAGIC "SAMLASN1"
#define SNAP_VERSION 1u
#define SNAP_ORDER 0x01020304u /* written natively: another byte order differs */
#define PIECE ((size_t)8 << 20) /* bytes hashed as one piece */
#define IOBUF ((size_t)1 << 20)
#define CHUNK 65536 /* entries converted at a time */
#define JOURNAL "verifikationer.csv"

/* Adding a field to book_entry means storing it here too: this fails to
 * compile until snap_entry, to_snap and from_snap have been looked at. */
_Static_assert(sizeof(book_entry) == 112,
               "book_entry changed: update book_snap.c (snap_entry)");

/* One entry on disk: fixed widths, texts as offsets (0 = ""). */
typedef struct {
    int64_t amount;
    int64_t line;
    int32_t year, ver, date, account, activity, funder, earmark;
    int32_t corr_year, corr_ver;
    uint32_t text, doc, registered, user, source, fingerprint;
    uint32_t pad;
} snap_entry;

typedef struct {
    char magic[8];
    uint32_t version, order;
    uint32_t entry_size, book_entry_size;
    unsigned char key[32];
    uint64_t nentries, blob_len;
    uint64_t journal_diag_len, check_diag_len;
    uint64_t naccounts, nactivities, nfunders, nearmarks;
    uint64_t checksum; /* of everything after the header */
} snap_header;

/* ---- The key ------------------------------------------------------------- */

/* The build-id note of the running program, or 0 bytes when it has none. */
typedef struct {
    unsigned char id[64];
    size_t len;
} build_id;

static int find_build_id(struct dl_phdr_info *info, size_t size, void *arg)
{
    build_id *out = arg;
    (void)size;
    if (info->dlpi_name && info->dlpi_name[0]) /* the main program only */
        return 0;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE)
            continue;
        const unsigned char *p =
            (const unsigned char *)(info->dlpi_addr + ph->p_vaddr);
        const unsigned char *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *nh = (const ElfW(Nhdr) *)(const void *)p;
            size_t name = (nh->n_namesz + 3) & ~(size_t)3;
            size_t desc = (nh->n_descsz + 3) & ~(size_t)3;
            const unsigned char *d = p + sizeof *nh + name;
            if (d + desc > end)
                break;
            if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 &&
                memcmp(p + sizeof *nh, "GNU", 4) == 0 &&
                nh->n_descsz <= sizeof out->id) {
                memcpy(out->id, d, nh->n_descsz);
                out->len = nh->n_descsz;
                return 1;
            }
            p = d + desc;
        }
    }
    return 1;
}

/* One file of the key: its name, size and open descriptor. */
typedef struct {
    char *name;
    int fd;
    uint64_t size;
    size_t first;  /* index of its first piece */
    size_t npieces;
} key_file;

/* The pieces to hash, shared by the threads. */
typedef struct {
    key_file *files;
    size_t nfiles;
    size_t npieces;
    unsigned char (*digest)[32]; /* one per piece */
    size_t next;                 /* the next piece to take (atomic) */
    int failed;                  /* a read came short or failed */
} key_job;

static void hash_piece(key_job *j, size_t piece, unsigned char *buf)
{
    size_t f = 0;
    while (piece >= j->files[f].first + j->files[f].npieces)
        f++;
    const key_file *kf = &j->files[f];
    uint64_t off = (uint64_t)(piece - kf->first) * PIECE;
    uint64_t left = kf->size - off < PIECE ? kf->size - off : PIECE;
    sha256_ctx ctx_;
    sha256_ctx *ctx = &ctx_;
    sha256_init(ctx);
    while (left > 0) {
        size_t want = left < IOBUF ? (size_t)left : IOBUF;
        ssize_t got = pread(kf->fd, buf, want, (off_t)off);
        if (got <= 0) {
            __atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
            break;
        }
        sha256_update(ctx, buf, (size_t)got);
        off += (uint64_t)got;
        left -= (uint64_t)got;
    }
    sha256_final(ctx, j->digest[piece]);
}

static void *key_worker(void *arg)
{
    key_job *j = arg;
    unsigned char *buf = mem_alloc(IOBUF);
    for (;;) {
        size_t i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
        if (i >= j->npieces)
            break;
        hash_piece(j, i, buf);
    }
    free(buf);
    return NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const key_file *)a)->name, ((const key_file *)b)->name);
}

static int is_book_file(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".csv") == 0;
}

int book_snap_key(const char *dir, unsigned char key[32])
{
    build_id bid = {{0}, 0};
    dl_iterate_phdr(find_build_id, &bid);
    if (bid.len == 0)
        return -1; /* no way to tell builds apart: no snapshots */

    DIR *d = opendir(dir);
    if (!d)
        return -1;
    key_job j;
    memset(&j, 0, sizeof j);
    size_t cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_book_file(de->d_name))
            continue;
        int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
            if (fd >= 0)
                close(fd);
            continue; /* not a file the reader could read either */
        }
        mem_grow((void **)&j.files, &cap, j.nfiles + 1, sizeof *j.files);
        key_file *kf = &j.files[j.nfiles++];
        kf->name = mem_strdup(de->d_name);
        kf->fd = fd;
        kf->size = (uint64_t)st.st_size;
    }
    closedir(d);
    qsort(j.files, j.nfiles, sizeof *j.files, by_name);
    for (size_t i = 0; i < j.nfiles; i++) {
        key_file *kf = &j.files[i];
        kf->first = j.npieces;
        kf->npieces = kf->size ? (size_t)((kf->size + PIECE - 1) / PIECE) : 1;
        j.npieces += kf->npieces;
    }
    j.digest = mem_calloc(j.npieces ? j.npieces : 1, sizeof *j.digest);

    /* Two threads when there is more than a piece of work for each. */
    pthread_t helper;
    int helping = j.npieces >= 4 &&
                  pthread_create(&helper, NULL, key_worker, &j) == 0;
    key_worker(&j);
    if (helping)
        pthread_join(helper, NULL);

    sha256_ctx ctx_;
    sha256_ctx *ctx = &ctx_;
    sha256_init(ctx);
    sha256_update(ctx, SNAP_MAGIC, 8);
    sha256_update(ctx, bid.id, bid.len);
    for (size_t i = 0; i < j.nfiles; i++) {
        key_file *kf = &j.files[i];
        sha256_update(ctx, kf->name, strlen(kf->name) + 1);
        sha256_update(ctx, &kf->size, sizeof kf->size);
        sha256_update(ctx, j.digest[kf->first], 32 * kf->npieces);
        close(kf->fd);
        free(kf->name);
    }
    sha256_final(ctx, key);
    if (j.failed)
        rc = -1;
    free(j.digest);
    free(j.files);
    return rc;
}

/* ---- The checksum of the contents ---------------------------------------- */

/* Corruption, not an adversary, is what the checksum is for (anyone who
 * can write the cache can write the book itself): four independent
 * multiply-rotate lanes over 8-byte words, a few cycles per 32 bytes. */
typedef struct {
    uint64_t lane[4];
    uint64_t total;
    unsigned char part[32]; /* bytes waiting for a whole group */
    size_t npart;
} checksum;

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static void sum_init(checksum *c)
{
    c->lane[0] = 0x9E3779B97F4A7C15u;
    c->lane[1] = 0xC2B2AE3D27D4EB4Fu;
    c->lane[2] = 0x165667B19E3779F9u;
    c->lane[3] = 0x27D4EB2F165667C5u;
    c->total = 0;
    c->npart = 0;
}

static void sum_group(checksum *c, const unsigned char *p)
{
    for (int k = 0; k < 4; k++) {
        uint64_t w;
        memcpy(&w, p + 8 * k, 8);
        c->lane[k] = rotl(c->lane[k] ^ (w * 0x87C37B91114253D5u), 31) *
                     0x4CF5AD432745937Fu;
    }
}

/* Feed n bytes, in pieces of any size: the sum is that of the stream. */
static void sum_add(checksum *c, const void *data, size_t n)
{
    const unsigned char *p = data;
    c->total += n;
    if (c->npart > 0) {
        size_t k = 32 - c->npart < n ? 32 - c->npart : n;
        memcpy(c->part + c->npart, p, k);
        c->npart += k;
        p += k;
        n -= k;
        if (c->npart < 32)
            return;
        sum_group(c, c->part);
        c->npart = 0;
    }
    for (; n >= 32; p += 32, n -= 32)
        sum_group(c, p);
    memcpy(c->part, p, n);
    c->npart = n;
}

static uint64_t sum_final(checksum *c)
{
    if (c->npart > 0) { /* the last group, padded with zeros */
        memset(c->part + c->npart, 0, 32 - c->npart);
        sum_group(c, c->part);
    }
    uint64_t h = c->total * 0x9E3779B97F4A7C15u;
    for (int k = 0; k < 4; k++) {
        h ^= rotl(c->lane[k], 17 + 8 * k);
        h = (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9u;
    }
    return h ^ (h >> 32);
}

/* ---- Writing -------------------------------------------------------------- */

/* A text field's offset in the block: "" is 0; the same pointer as the
 * previous entry's field (a repeated user or source) shares its offset. */
typedef struct {
    uint64_t len;            /* bytes in the block so far */
    const char *prev[6];     /* previous entry's texts */
    uint32_t prev_off[6];
    int overflow;            /* the block would pass 4 GiB */
} blob_state;

static uint32_t text_offset(blob_state *bs, int k, const char *s)
{
    if (!s || !*s)
        return 0;
    if (s == bs->prev[k])
        return bs->prev_off[k];
    uint64_t off = bs->len;
    bs->len += strlen(s) + 1;
    if (bs->len > UINT32_MAX)
        bs->overflow = 1;
    bs->prev[k] = s;
    bs->prev_off[k] = (uint32_t)off;
    return (uint32_t)off;
}

static const char *const *entry_texts(const book_entry *e, const char *t[6])
{
    t[0] = e->text;
    t[1] = e->doc;
    t[2] = e->registered;
    t[3] = e->user;
    t[4] = e->source;
    t[5] = e->fingerprint;
    return t;
}

/* A buffered writer that also sums what it writes. */
typedef struct {
    int fd;
    unsigned char *buf;
    size_t n;
    checksum sum;
    int failed;
} out_file;

static void out_flush(out_file *o)
{
    size_t done = 0;
    while (done < o->n && !o->failed) {
        ssize_t w = write(o->fd, o->buf + done, o->n - done);
        if (w <= 0)
            o->failed = 1;
        else
            done += (size_t)w;
    }
    o->n = 0;
}

static void out_put(out_file *o, const void *data, size_t n)
{
    const unsigned char *p = data;
    while (n > 0) {
        size_t room = IOBUF - o->n;
        size_t k = n < room ? n : room;
        memcpy(o->buf + o->n, p, k);
        o->n += k;
        p += k;
        n -= k;
        if (o->n == IOBUF) {
            sum_add(&o->sum, o->buf, o->n);
            out_flush(o);
        }
    }
}

/* Diagnostics as records: level, line, column, whether there is a file and
 * whether it is inside the book folder (then stored relative to it, since
 * the same book may be named by another path next time), file, message. */
static void put_diags(out_file *o, const diag_list *dl, const char *dir)
{
    size_t dn = strlen(dir);
    for (size_t i = 0; i < dl->n; i++) {
        const diag *g = &dl->v[i];
        int64_t rec[3] = {g->level, g->line, g->col};
        const char *file = g->file ? g->file : "";
        unsigned char rel = 0;
        if (g->file && strncmp(file, dir, dn) == 0 && file[dn] == '/') {
            file += dn + 1;
            rel = 1;
        }
        unsigned char has = g->file != NULL;
        out_put(o, rec, sizeof rec);
        out_put(o, &has, 1);
        out_put(o, &rel, 1);
        out_put(o, file, strlen(file) + 1);
        out_put(o, g->msg ? g->msg : "", strlen(g->msg ? g->msg : "") + 1);
    }
}

static void diag_bytes(const diag_list *dl, const char *dir, uint64_t *len)
{
    size_t dn = strlen(dir);
    *len = 0;
    for (size_t i = 0; i < dl->n; i++) {
        const diag *g = &dl->v[i];
        const char *file = g->file ? g->file : "";
        if (g->file && strncmp(file, dir, dn) == 0 && file[dn] == '/')
            file += dn + 1;
        *len += 3 * sizeof(int64_t) + 2 + strlen(file) + 1 +
                strlen(g->msg ? g->msg : "") + 1;
    }
}

static char *snap_path(const char *dir, const char *file)
{
    return mem_printf("%s/%s%s%s", dir, SNAP_DIR, *file ? "/" : "", file);
}

/* The cache folder, with a .gitignore that ignores all of it. */
static int make_cache_dir(const char *dir)
{
    char *cd = snap_path(dir, "");
    int rc = mkdir(cd, 0777);
    free(cd);
    if (rc != 0 && errno != EEXIST)
        return -1;
    char *gi = snap_path(dir, ".gitignore");
    int fd = open(gi, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    free(gi);
    if (fd >= 0) {
        static const char text[] =
            "# samla's snapshot of the loaded book: a cache, rebuilt from "
            "the CSV files\n*\n";
        if (write(fd, text, sizeof text - 1) < 0) {
            /* only a cache: nothing to do */
        }
        close(fd);
    }
    return 0;
}

/* A save cut short (the process killed) leaves its temporary file behind:
 * remove those whose process is gone, so they do not pile up. */
static void remove_stale_temps(const char *dir)
{
    char *cd = snap_path(dir, "");
    DIR *d = opendir(cd);
    free(cd);
    if (!d)
        return;
    struct dirent *de;
    size_t plen = strlen(SNAP_FILE);
    while ((de = readdir(d)) != NULL) {
        const char *name = de->d_name;
        size_t n = strlen(name);
        if (strncmp(name, SNAP_FILE ".", plen + 1) != 0 || n < plen + 5 ||
            strcmp(name + n - 4, ".tmp") != 0)
            continue;
        long pid = strtol(name + plen + 1, NULL, 10);
        if (pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 &&
            errno == ESRCH)
            unlinkat(dirfd(d), name, 0);
    }
    closedir(d);
}

void book_snap_save(const book *b, const unsigned char key[32],
                    const diag_list *journal_dl, const diag_list *check_dl)
{
    const size_t n = b->entries.n;
    if (make_cache_dir(b->dir) != 0)
        return;
    remove_stale_temps(b->dir);
    char *path = snap_path(b->dir, SNAP_FILE);
    char *tmp = mem_printf("%s.%ld.tmp", path, (long)getpid());
    out_file o;
    memset(&o, 0, sizeof o);
    o.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    o.buf = mem_alloc(IOBUF);
    if (o.fd < 0)
        goto out;
    sum_init(&o.sum);

    snap_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, SNAP_MAGIC, 8);
    h.version = SNAP_VERSION;
    h.order = SNAP_ORDER;
    h.entry_size = sizeof(snap_entry);
    h.book_entry_size = sizeof(book_entry);
    memcpy(h.key, key, 32);
    h.nentries = n;
    h.naccounts = b->accounts.n;
    h.nactivities = b->activities.n;
    h.nfunders = b->funders.n;
    h.nearmarks = b->earmarks.n;
    diag_bytes(journal_dl, b->dir, &h.journal_diag_len);
    diag_bytes(check_dl, b->dir, &h.check_diag_len);
    /* The header is written last, so a half-written file never looks
     * whole; its place is reserved now. */
    if (pwrite(o.fd, &h, sizeof h, 0) != (ssize_t)sizeof h ||
        lseek(o.fd, (off_t)sizeof h, SEEK_SET) < 0)
        goto out;

    /* Entries, with the offsets their texts will have in the block. */
    blob_state bs;
    memset(&bs, 0, sizeof bs);
    bs.len = 1; /* offset 0 is the shared "" */
    for (size_t i = 0; i < n && !o.failed; i++) {
        const book_entry *e = &b->entries.v[i];
        snap_entry s;
        int64_t ore;
        const char *t[6];
        memset(&s, 0, sizeof s);
        if (dec_get_i64(&e->amount, &ore) != 0)
            goto out; /* never from a CSV amount; not worth a format */
        s.amount = ore;
        s.line = e->line;
        s.year = e->year;
        s.ver = e->ver;
        s.date = e->date;
        s.account = e->account;
        s.activity = e->activity;
        s.funder = e->funder;
        s.earmark = e->earmark;
        s.corr_year = e->corr_year;
        s.corr_ver = e->corr_ver;
        entry_texts(e, t);
        s.text = text_offset(&bs, 0, t[0]);
        s.doc = text_offset(&bs, 1, t[1]);
        s.registered = text_offset(&bs, 2, t[2]);
        s.user = text_offset(&bs, 3, t[3]);
        s.source = text_offset(&bs, 4, t[4]);
        s.fingerprint = text_offset(&bs, 5, t[5]);
        out_put(&o, &s, sizeof s);
    }
    if (bs.overflow)
        goto out;
    h.blob_len = bs.len;

    /* The text block, in the same order and with the same sharing. */
    blob_state again;
    memset(&again, 0, sizeof again);
    again.len = 1;
    out_put(&o, "", 1);
    for (size_t i = 0; i < n && !o.failed; i++) {
        const char *t[6];
        entry_texts(&b->entries.v[i], t);
        for (int k = 0; k < 6; k++) {
            uint64_t before = again.len;
            text_offset(&again, k, t[k]);
            if (again.len != before)
                out_put(&o, t[k], (size_t)(again.len - before));
        }
    }
    put_diags(&o, journal_dl, b->dir);
    put_diags(&o, check_dl, b->dir);
    sum_add(&o.sum, o.buf, o.n);
    out_flush(&o);
    h.checksum = sum_final(&o.sum);
    if (o.failed || pwrite(o.fd, &h, sizeof h, 0) != (ssize_t)sizeof h)
        goto out;
    if (close(o.fd) == 0) {
        o.fd = -1;
        if (rename(tmp, path) == 0) {
            free(tmp);
            tmp = NULL;
        }
    }
out:
    if (o.fd >= 0)
        close(o.fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    free(o.buf);
    free(path);
}

/* ---- Reading -------------------------------------------------------------- */

static int read_full(int fd, void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t r = read(fd, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* A large block for the entries or the texts: in 2 MiB pages where the
 * kernel offers them on request (transparent huge pages "madvise"), which
 * turns some 40 000 page faults of a million-entry book into a few
 * hundred. free() releases it like any other. */
static void *big_alloc(size_t n)
{
    const size_t huge = (size_t)2 << 20;
    if (n > SIZE_MAX - huge)
        mem_fail((size_t)-1);
    if (n < 4 * huge)
        return mem_alloc(n);
    size_t size = (n + huge - 1) / huge * huge;
    void *p = aligned_alloc(huge, size);
    if (!p)
        mem_fail(size);
#ifdef MADV_HUGEPAGE
    madvise(p, size, MADV_HUGEPAGE);
#endif
    return p;
}

static int index_ok(int32_t v, uint64_t n, int optional)
{
    return optional && v == -1 ? 1 : v >= 0 && (uint64_t)v < n;
}

/* Read diagnostics records from p[0..len) into dl; -1 when malformed. */
static int get_diags(const unsigned char *p, uint64_t len, const char *dir,
                     diag_list *dl)
{
    const unsigned char *end = p + len;
    while (p < end) {
        int64_t rec[3];
        if ((size_t)(end - p) < sizeof rec + 2)
            return -1;
        memcpy(rec, p, sizeof rec);
        unsigned char has = p[sizeof rec], rel = p[sizeof rec + 1];
        p += sizeof rec + 2;
        const unsigned char *file = p;
        const unsigned char *z = memchr(p, 0, (size_t)(end - p));
        if (!z)
            return -1;
        const unsigned char *msg = z + 1;
        const unsigned char *z2 =
            msg < end ? memchr(msg, 0, (size_t)(end - msg)) : NULL;
        if (!z2 || rec[0] < DIAG_ERROR || rec[0] > DIAG_NOTE)
            return -1;
        p = z2 + 1;
        char *name = NULL;
        if (has && rel)
            name = mem_printf("%s/%s", dir, (const char *)file);
        diag_add(dl, (diag_level)rec[0],
                 !has ? NULL : rel ? name : (const char *)file, (long)rec[1],
                 (long)rec[2], "%s", (const char *)msg);
        free(name);
    }
    return 0;
}

int book_snap_load(book *b, const unsigned char key[32], diag_list *journal_dl,
                   diag_list *check_dl)
{
    char *path = snap_path(b->dir, SNAP_FILE);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    free(path);
    if (fd < 0)
        return 0;
    snap_header h;
    struct stat st;
    snap_entry *chunk = NULL;
    arena_block *blk = NULL;
    char *blob = NULL;
    unsigned char *dbuf = NULL;
    book_entry *entries = NULL;
    diag_list jd, cd;
    diag_init(&jd);
    diag_init(&cd);
    int ok = 0;
    if (fstat(fd, &st) != 0 || read_full(fd, &h, sizeof h) != 0 ||
        memcmp(h.magic, SNAP_MAGIC, 8) != 0 || h.version != SNAP_VERSION ||
        h.order != SNAP_ORDER || h.entry_size != sizeof(snap_entry) ||
        h.book_entry_size != sizeof(book_entry) ||
        memcmp(h.key, key, 32) != 0 || h.naccounts != b->accounts.n ||
        h.nactivities != b->activities.n || h.nfunders != b->funders.n ||
        h.nearmarks != b->earmarks.n || h.blob_len == 0 ||
        h.blob_len > UINT32_MAX)
        goto out;
    uint64_t dlen1 = h.journal_diag_len, dlen2 = h.check_diag_len;
    if (h.nentries > (uint64_t)st.st_size / sizeof(snap_entry) ||
        (uint64_t)st.st_size != sizeof h + h.nentries * sizeof(snap_entry) +
                                    h.blob_len + dlen1 + dlen2)
        goto out;

    size_t n = (size_t)h.nentries;
    entries = big_alloc((n ? n : 1) * sizeof *entries);
    blk = big_alloc(sizeof *blk + (size_t)h.blob_len);
    chunk = mem_alloc(CHUNK * sizeof *chunk);
    blob = blk->data;
    blk->used = blk->cap = (size_t)h.blob_len;
    checksum sum;
    sum_init(&sum);
    for (size_t i = 0; i < n; i += CHUNK) {
        size_t k = n - i < CHUNK ? n - i : CHUNK;
        if (read_full(fd, chunk, k * sizeof *chunk) != 0)
            goto out;
        sum_add(&sum, chunk, k * sizeof *chunk);
        for (size_t m = 0; m < k; m++) {
            const snap_entry *s = &chunk[m];
            book_entry *e = &entries[i + m];
            const uint32_t off[6] = {s->text, s->doc, s->registered,
                                     s->user, s->source, s->fingerprint};
            for (int t = 0; t < 6; t++)
                if (off[t] >= h.blob_len)
                    goto out;
            if (!index_ok(s->account, h.naccounts, 0) ||
                !index_ok(s->activity, h.nactivities, 1) ||
                !index_ok(s->funder, h.nfunders, 1) ||
                !index_ok(s->earmark, h.nearmarks, 1) || s->ver < 1)
                goto out;
            memset(e, 0, sizeof *e);
            e->year = s->year;
            e->ver = s->ver;
            e->date = s->date;
            e->account = s->account;
            e->activity = s->activity;
            e->funder = s->funder;
            e->earmark = s->earmark;
            dec_set_ore(&e->amount, (long)s->amount);
            e->corr_year = s->corr_year;
            e->corr_ver = s->corr_ver;
            e->line = (long)s->line;
            e->text = blob + s->text;
            e->doc = blob + s->doc;
            e->registered = blob + s->registered;
            e->user = blob + s->user;
            e->source = blob + s->source;
            e->fingerprint = blob + s->fingerprint;
        }
    }
    if (read_full(fd, blob, (size_t)h.blob_len) != 0 || blob[0] != '\0' ||
        blob[h.blob_len - 1] != '\0')
        goto out;
    sum_add(&sum, blob, (size_t)h.blob_len);
    dbuf = mem_alloc((size_t)(dlen1 + dlen2) + 1);
    if (read_full(fd, dbuf, (size_t)(dlen1 + dlen2)) != 0)
        goto out;
    sum_add(&sum, dbuf, (size_t)(dlen1 + dlen2));
    if (sum_final(&sum) != h.checksum ||
        get_diags(dbuf, dlen1, b->dir, &jd) != 0 ||
        get_diags(dbuf + dlen1, dlen2, b->dir, &cd) != 0 ||
        diag_errors(&jd) + diag_errors(&cd) != 0)
        goto out;

    /* Whole and matching: it becomes the book's journal. */
    book_arena_link(b, blk);
    blk = NULL;
    free(b->entries.v);
    b->entries.v = entries;
    b->entries.n = b->entries.cap = n;
    entries = NULL;
    for (size_t i = 0; i < n; i++)
        book_index_voucher(b, b->entries.v[i].year, b->entries.v[i].ver,
                           (long)i);
    diag_take(journal_dl, &jd);
    diag_take(check_dl, &cd);
    ok = 1;
out:
    close(fd);
    free(chunk);
    free(blk);
    free(dbuf);
    free(entries);
    diag_free(&jd);
    diag_free(&cd);
    return ok;
}
