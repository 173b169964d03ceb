/*
 * store_lock.c - the book lock (see store.h for what its two parts do).
 *
 * Order, always: .lock before the folder, released together. A writer
 * holds .lock (exclusive) and then the folder (exclusive); a reader takes
 * .lock shared for an instant (so it waits behind a writer that holds or
 * waits for the folder, and cannot starve it), then the folder shared for
 * its whole load. Nobody holds the folder and waits for .lock, so the
 * order admits no deadlock.
 *
 * Every wait polls with LOCK_NB rather than blocking in flock(): a blocking
 * flock cannot time out without signals, and a bounded wait with a clear
 * message is what a user at a terminal needs.
 */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define STORE_LOCK_MODE 0644
#define STORE_LOCK_TIMEOUT_MS 10000
#define STORE_LOCK_POLL_MS 10
/* The pid record in .lock: the pid left-aligned, blank-padded, one line,
 * always this long, so it is rewritten in place and never truncated. */
#define STORE_PID_WIDTH 20
/* A .lock larger than this is not a lock file samla wrote: never write
 * into it. */
#define STORE_LOCK_MAX_SIZE 64

static long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
    struct timespec ts;

    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000;
    nanosleep(&ts, NULL); /* an early wake-up only means an earlier retry */
}

/* timeout_ms < 0: $SAMLA_LOCK_TIMEOUT_MS, else the default. */
static long lock_timeout(int timeout_ms)
{
    const char *env;
    char *end;
    long v;

    if (timeout_ms >= 0)
        return timeout_ms;
    env = getenv("SAMLA_LOCK_TIMEOUT_MS");
    if (env == NULL || *env == '\0')
        return STORE_LOCK_TIMEOUT_MS;
    errno = 0;
    v = strtol(env, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0)
        return STORE_LOCK_TIMEOUT_MS;
    return v;
}

/*
 * The pid of a process holding an flock on the file open as fd, from
 * /proc/locks ("1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; waiters
 * are marked "->" and skipped), or 0. This names any holder, also one
 * that is not samla (util-linux flock(1), an editor), and is never stale.
 * A lock on another file system with the same inode number is told apart
 * by the device when it matches; overlay file systems may report another
 * device, so a lone inode match is accepted too.
 */
static long proc_locks_holder(int fd)
{
    struct stat st;
    char line[256];
    long found = 0, found_ino_only = 0;
    FILE *f;

    if (fd < 0 || fstat(fd, &st) != 0)
        return 0;
    f = fopen("/proc/locks", "re");
    if (f == NULL)
        return 0;
    while (fgets(line, sizeof line, f) != NULL) {
        long pid;
        unsigned maj, min;
        unsigned long ino;

        if (sscanf(line, "%*d: FLOCK %*s %*s %ld %x:%x:%lu", &pid, &maj,
                   &min, &ino) != 4 || pid <= 0 ||
            ino != (unsigned long)st.st_ino)
            continue;
        if (maj == major(st.st_dev) && min == minor(st.st_dev)) {
            found = pid;
            break;
        }
        found_ino_only = pid;
    }
    fclose(f);
    return found ? found : found_ino_only;
}

/* The pid the holder wrote into the lock file, or 0 if unreadable. */
static long read_holder_pid(int fd)
{
    char buf[32];
    ssize_t r = fd >= 0 ? pread(fd, buf, sizeof buf - 1, 0) : -1;
    long pid = 0;
    ssize_t i;

    if (r <= 0)
        return 0;
    for (i = 0; i < r && buf[i] >= '0' && buf[i] <= '9'; i++) {
        if (pid > 100000000L)
            return 0;
        pid = pid * 10 + (buf[i] - '0');
    }
    return pid;
}

/*
 * Write the pid record (pid > 0) or blank it (pid 0), in place, while the
 * lock is held. Only into a plain file with one name that is no bigger
 * than a pid record: a hard link to some other file planted at .lock is
 * never written into. Best effort: /proc/locks names the holder anyway.
 */
static void write_pid_record(int fd, long pid)
{
    char buf[STORE_PID_WIDTH + 1];
    struct stat st;
    ssize_t w;

    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_nlink != 1 ||
        st.st_size > STORE_LOCK_MAX_SIZE)
        return;
    if (pid > 0)
        snprintf(buf, sizeof buf, "%-*ld\n", STORE_PID_WIDTH - 1, pid);
    else
        snprintf(buf, sizeof buf, "%*s\n", STORE_PID_WIDTH - 1, "");
    do
        w = pwrite(fd, buf, STORE_PID_WIDTH, 0);
    while (w < 0 && errno == EINTR);
}

static char *lock_path(const char *bookdir)
{
    size_t n = strlen(bookdir) + sizeof("/.lock");
    char *p = malloc(n);

    if (p != NULL)
        snprintf(p, n, "%s/.lock", bookdir);
    return p;
}

static void lock_init(store_lock *l)
{
    l->fd = -1;
    l->dir_fd = -1;
    l->path = NULL;
}

/* Close whatever is open; closing a descriptor drops its flock. */
static void lock_close(store_lock *l)
{
    if (l->dir_fd >= 0)
        close(l->dir_fd);
    if (l->fd >= 0)
        close(l->fd);
    free(l->path);
    lock_init(l);
}

typedef enum { POLL_OK, POLL_TIMEOUT, POLL_ERROR } poll_rc;

/* flock(fd, op | LOCK_NB) until it succeeds or the deadline passes. */
static poll_rc poll_flock(int fd, int op, long start, long limit)
{
    for (;;) {
        if (flock(fd, op | LOCK_NB) == 0)
            return POLL_OK;
        if (errno != EWOULDBLOCK && errno != EINTR)
            return POLL_ERROR;
        if (now_ms() - start >= limit)
            return POLL_TIMEOUT;
        sleep_ms(STORE_LOCK_POLL_MS);
    }
}

/* The error for a lock that could not be had in time, naming the holder
 * of the descriptor waited on. */
static int timed_out(store_lock *l, int waited_fd, const char *bookdir,
                     diag_list *dl)
{
    long pid = proc_locks_holder(waited_fd);

    if (pid <= 0)
        pid = read_holder_pid(l->fd);
    if (pid > 0)
        diag_error(dl, bookdir, 0, 0,
                   "boken är låst av en annan process (pid %ld); "
                   "försök igen senare", pid);
    else
        diag_error(dl, bookdir, 0, 0,
                   "boken är låst av en annan process; försök igen senare");
    lock_close(l);
    return SAMLA_ELOCK;
}

/*
 * Open .lock for the writer: created if missing, never through a symbolic
 * link, never truncated. 0, or -1 after an error was added.
 */
static int open_lock_file(store_lock *l, diag_list *dl)
{
    struct stat st;

    l->fd = open(l->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK |
                              O_CLOEXEC,
                 STORE_LOCK_MODE);
    if (l->fd < 0) {
        if (errno == ELOOP)
            diag_error(dl, l->path, 0, 0,
                       "låsfilen är en symbolisk länk; samla följer den "
                       "inte och har inte ändrat något. Ta bort länken "
                       "(den skapas inte av samla) och försök igen");
        else
            diag_error(dl, l->path, 0, 0, "kan inte öppna låsfilen: %s",
                       diag_errno_text(errno));
        return -1;
    }
    if (fstat(l->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        diag_error(dl, l->path, 0, 0,
                   "låsfilen är inte en vanlig fil; samla har inte ändrat "
                   "något. Ta bort den och försök igen");
        return -1;
    }
    return 0;
}

/* Whether the file open as fd is still the one named path. */
static int still_at_path(int fd, const char *path)
{
    struct stat a, b;

    return fstat(fd, &a) == 0 && lstat(path, &b) == 0 &&
           a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int open_dir(store_lock *l, const char *bookdir)
{
    l->dir_fd = open(bookdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    return l->dir_fd >= 0 ? 0 : -1;
}

samla_err store_lock_acquire(store_lock *l, const char *bookdir, int timeout_ms,
                       diag_list *dl)
{
    long limit = lock_timeout(timeout_ms), start = now_ms();
    poll_rc rc;

    lock_init(l);
    l->path = lock_path(bookdir);
    if (l->path == NULL) {
        diag_error(dl, bookdir, 0, 0, "slut på minne");
        return SAMLA_ENOMEM;
    }
    /* .lock: lock it, then make sure it is still the file at the path. If
     * it was deleted or replaced meanwhile, a newcomer may lock the new
     * file, so ours excludes nobody: take the one that is there now. */
    for (;;) {
        if (open_lock_file(l, dl) != 0) {
            lock_close(l);
            return SAMLA_EIO;
        }
        rc = poll_flock(l->fd, LOCK_EX, start, limit);
        if (rc == POLL_TIMEOUT)
            return timed_out(l, l->fd, bookdir, dl);
        if (rc == POLL_ERROR) {
            diag_error(dl, l->path, 0, 0, "kan inte låsa boken: %s",
                       diag_errno_text(errno));
            lock_close(l);
            return SAMLA_EIO;
        }
        if (still_at_path(l->fd, l->path))
            break;
        close(l->fd);
        l->fd = -1;
        if (now_ms() - start >= limit)
            return timed_out(l, -1, bookdir, dl);
    }
    /* The folder: what actually excludes a second writer even if .lock is
     * deleted from now on, and what readers share. */
    if (open_dir(l, bookdir) != 0) {
        diag_error(dl, bookdir, 0, 0, "kan inte öppna bokens mapp: %s",
                   diag_errno_text(errno));
        lock_close(l);
        return SAMLA_EIO;
    }
    rc = poll_flock(l->dir_fd, LOCK_EX, start, limit);
    if (rc == POLL_TIMEOUT)
        return timed_out(l, l->dir_fd, bookdir, dl);
    if (rc == POLL_ERROR) {
        diag_error(dl, bookdir, 0, 0, "kan inte låsa boken: %s",
                   diag_errno_text(errno));
        lock_close(l);
        return SAMLA_EIO;
    }
    write_pid_record(l->fd, (long)getpid());
    store_remove_stale_temps(bookdir);
    return SAMLA_OK;
}

samla_err store_lock_shared(store_lock *l, const char *bookdir, int timeout_ms,
                      diag_list *dl)
{
    long limit = lock_timeout(timeout_ms), start = now_ms();
    poll_rc rc;
    struct stat st;

    lock_init(l);
    if (open_dir(l, bookdir) != 0)
        return SAMLA_OK; /* no book there: the loader says so */
    l->path = lock_path(bookdir);
    if (l->path == NULL) {
        lock_close(l);
        diag_error(dl, bookdir, 0, 0, "slut på minne");
        return SAMLA_ENOMEM;
    }
    /* The turnstile: wait while a writer holds .lock. Skipped when there is
     * no plain .lock to open (no writer yet, a read-only folder): the
     * folder lock below is what keeps the read consistent. */
    l->fd = open(l->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (l->fd >= 0 && (fstat(l->fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(l->fd);
        l->fd = -1;
    }
    if (l->fd >= 0) {
        rc = poll_flock(l->fd, LOCK_SH, start, limit);
        if (rc == POLL_TIMEOUT)
            return timed_out(l, l->fd, bookdir, dl);
        if (rc == POLL_ERROR) {
            close(l->fd);
            l->fd = -1;
        }
    }
    rc = poll_flock(l->dir_fd, LOCK_SH, start, limit);
    if (rc == POLL_TIMEOUT)
        return timed_out(l, l->dir_fd, bookdir, dl);
    if (rc == POLL_ERROR) {
        diag_error(dl, bookdir, 0, 0, "kan inte låsa boken för läsning: %s",
                   diag_errno_text(errno));
        lock_close(l);
        return SAMLA_EIO;
    }
    /* Past the turnstile: a writer may queue on .lock again. */
    if (l->fd >= 0) {
        close(l->fd);
        l->fd = -1;
    }
    return SAMLA_OK;
}

void store_lock_release(store_lock *l)
{
    /* A writer blanks its pid record so a stale pid is never shown. */
    if (l->fd >= 0 && l->dir_fd >= 0)
        write_pid_record(l->fd, 0);
    lock_close(l);
}
