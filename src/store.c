/*
 * store.c - atomic file replacement, the book lock, and whole-file reads
 * (see store.h).
 *
 * The replacement protocol, in order:
 *
 *   1. mkstemp(".NAME.tmpXXXXXX") in the target's own folder, so the final
 *      rename never crosses a file system (rename is only atomic within one);
 *   2. give it the old file's permission bits (mkstemp creates 0600);
 *   3. write everything, retrying short writes and EINTR;
 *   4. fsync the data, close (close can report a deferred write error);
 *   5. rename over the target: readers see either the old or the new file;
 *   6. fsync the folder, which makes the rename itself durable.
 *
 * Any failure before step 5 unlinks the temporary file, so the old file is
 * byte-for-byte what it was and no debris is left behind. A writer killed
 * before step 5 cannot clean up; the next writer removes its temporary
 * file as soon as it holds the lock (remove_stale_temps).
 *
 * Fault injection ($SAMLA_FAULT, read at each call; no global state):
 *   enospc              the write fails with ENOSPC, as on a full disk
 *   kill-mid-write      half the data is written, then SIGKILL
 *   kill-before-rename  the temp file is complete and fsync'ed, then SIGKILL
 *                       (alias: before-rename)
 *   after-tmp-write     all data written but not yet fsync'ed, then SIGKILL
 */
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#define STORE_DEFAULT_MODE 0644
#define STORE_LOCK_TIMEOUT_MS 10000
#define STORE_LOCK_POLL_MS 10

typedef enum {
    FAULT_NONE = 0,
    FAULT_ENOSPC,
    FAULT_KILL_MID_WRITE,
    FAULT_KILL_AFTER_WRITE,
    FAULT_KILL_BEFORE_RENAME
} store_fault;

static store_fault fault_from_env(void)
{
    const char *f = getenv("SAMLA_FAULT");

    if (f == NULL || *f == '\0')
        return FAULT_NONE;
    if (strcmp(f, "enospc") == 0)
        return FAULT_ENOSPC;
    if (strcmp(f, "kill-mid-write") == 0)
        return FAULT_KILL_MID_WRITE;
    if (strcmp(f, "after-tmp-write") == 0)
        return FAULT_KILL_AFTER_WRITE;
    if (strcmp(f, "kill-before-rename") == 0 ||
        strcmp(f, "before-rename") == 0)
        return FAULT_KILL_BEFORE_RENAME;
    return FAULT_NONE;
}

/* Write all of buf, riding out EINTR and short writes. 0 or -1 (errno). */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        if (w == 0) { /* should not happen for regular files; avoid a spin */
            errno = EIO;
            return -1;
        }
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The folder part of path ("." when there is none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    if (slash == NULL)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    return slash ? slash + 1 : path;
}

/* "DIR/.NAME.tmpXXXXXX", malloc'd, ready for mkstemp. */
static char *temp_template(const char *dir, const char *base)
{
    size_t n = strlen(dir) + strlen(base) + sizeof("/..tmpXXXXXX");
    char *t = malloc(n);

    if (t != NULL)
        snprintf(t, n, "%s/.%s.tmpXXXXXX", dir, base);
    return t;
}

/* The permission bits the new file should get: the old file's, if any. */
static mode_t target_mode(const char *path)
{
    struct stat st;

    if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
        return st.st_mode & 07777;
    return STORE_DEFAULT_MODE;
}

/*
 * Flush a folder's entries to disk. Some file systems cannot fsync a
 * folder and say EINVAL; there is nothing more to do on them.
 */
static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = 0;

    if (fd < 0)
        return -1;
    if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP)
        rc = -1;
    close(fd);
    return rc;
}

/*
 * Fill the temp file, honouring the injected faults. Returns 0 or -1 with
 * errno set. The kill faults never return.
 */
static int fill_temp(int fd, const char *data, size_t len, store_fault fault)
{
    if (fault == FAULT_ENOSPC) {
        errno = ENOSPC;
        return -1;
    }
    if (fault == FAULT_KILL_MID_WRITE) {
        if (write_all(fd, data, len / 2) == 0)
            fsync(fd);
        raise(SIGKILL);
    }
    if (write_all(fd, data, len) != 0)
        return -1;
    if (fault == FAULT_KILL_AFTER_WRITE)
        raise(SIGKILL);
    if (fsync(fd) != 0)
        return -1;
    return 0;
}

int store_write_atomic(const char *path, const void *data, size_t len,
                       diag_list *dl)
{
    store_fault fault = fault_from_env();
    char *dir = dir_of(path);
    char *tmp = dir ? temp_template(dir, base_of(path)) : NULL;
    int fd = -1, err = 0;
    const char *what = "kan inte skriva filen";

    if (tmp == NULL) {
        err = ENOMEM;
        goto fail;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        err = errno;
        what = "kan inte skapa en tillfällig fil för";
        free(tmp);
        tmp = NULL; /* nothing to unlink */
        goto fail;
    }
    if (fchmod(fd, target_mode(path)) != 0 ||
        fill_temp(fd, data, len, fault) != 0) {
        err = errno;
        goto fail;
    }
    if (close(fd) != 0) {
        fd = -1;
        err = errno;
        goto fail;
    }
    fd = -1;
    if (fault == FAULT_KILL_BEFORE_RENAME)
        raise(SIGKILL);
    if (rename(tmp, path) != 0) {
        err = errno;
        goto fail;
    }
    free(tmp);
    tmp = NULL;
    if (fsync_dir(dir) != 0) {
        /* The new contents are in place, but the rename may not survive a
         * power cut; say so rather than claim durability. */
        diag_error(dl, path, 0, 0,
                   "filen skrevs men mappen kunde inte synkas till disk: %s",
                   strerror(errno));
        free(dir);
        return SAMLA_EIO;
    }
    free(dir);
    return SAMLA_OK;

fail:
    if (fd >= 0)
        close(fd);
    if (tmp != NULL) {
        unlink(tmp);
        free(tmp);
    }
    free(dir);
    diag_error(dl, path, 0, 0, "%s: %s", what, strerror(err));
    return SAMLA_EIO;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

/*
 * Read fd to the end into a NUL-terminated buffer. The size from fstat is
 * only a first guess: the file may change while we read, and some files
 * (pipes, /proc) report 0.
 */
static int read_fd(int fd, size_t hint, char **data, size_t *len)
{
    size_t cap = hint + 1 > 4096 ? hint + 1 : 4096, n = 0;
    char *buf = malloc(cap);

    if (buf == NULL) {
        errno = ENOMEM;
        return -1;
    }
    for (;;) {
        ssize_t r;

        if (cap - n < 2) {
            char *nb;

            if (cap > SIZE_MAX / 2) {
                free(buf);
                errno = EFBIG;
                return -1;
            }
            nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                errno = ENOMEM;
                return -1;
            }
            buf = nb;
            cap *= 2;
        }
        r = read(fd, buf + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            free(buf);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

int store_read_file(const char *path, char **data, size_t *len,
                    diag_list *dl)
{
    struct stat st;
    int fd, rc;

    *data = NULL;
    *len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_error(dl, path, 0, 0, "kan inte läsa filen: %s", strerror(errno));
        return SAMLA_EIO;
    }
    if (fstat(fd, &st) != 0) {
        diag_error(dl, path, 0, 0, "kan inte läsa filen: %s", strerror(errno));
        close(fd);
        return SAMLA_EIO;
    }
    if (S_ISDIR(st.st_mode)) {
        diag_error(dl, path, 0, 0, "är en mapp, inte en fil");
        close(fd);
        return SAMLA_EIO;
    }
    rc = read_fd(fd, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0, data, len);
    if (rc != 0) {
        int e = errno;

        diag_error(dl, path, 0, 0, "kan inte läsa filen: %s", strerror(e));
        close(fd);
        return e == ENOMEM ? SAMLA_ENOMEM : SAMLA_EIO;
    }
    close(fd);
    return SAMLA_OK;
}

/* ------------------------------------------------------------------ */
/* The book lock                                                       */
/* ------------------------------------------------------------------ */

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
 * The pid of the process holding an flock on the file open as fd, from
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

    if (fstat(fd, &st) != 0)
        return 0;
    f = fopen("/proc/locks", "r");
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
    ssize_t r = pread(fd, buf, sizeof buf - 1, 0);
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

/* Record our pid so a waiting writer can name us. Best effort. */
static void write_own_pid(int fd)
{
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());

    if (ftruncate(fd, 0) == 0 && n > 0) {
        ssize_t w;

        do
            w = pwrite(fd, buf, (size_t)n, 0);
        while (w < 0 && errno == EINTR);
    }
}

static char *lock_path(const char *bookdir)
{
    size_t n = strlen(bookdir) + sizeof("/.lock");
    char *p = malloc(n);

    if (p != NULL)
        snprintf(p, n, "%s/.lock", bookdir);
    return p;
}

/*
 * Close the lock file. The holder empties it first so a stale pid is never
 * shown; a failed acquirer must not, as the pid there is the holder's.
 * Closing the descriptor drops the flock.
 */
static void lock_close(store_lock *l, int owned)
{
    if (l->fd >= 0) {
        if (owned && ftruncate(l->fd, 0) != 0) {
            /* harmless: the next holder overwrites it */
        }
        close(l->fd);
    }
    l->fd = -1;
    free(l->path);
    l->path = NULL;
}

/*
 * Remove the temporary files (".NAME.tmpXXXXXX", see temp_template) that
 * writers killed in the middle of a commit left in the book folder. Called
 * with the lock held: a writer creates temporary files only while holding
 * the lock, so every one found now belongs to a writer that died. Best
 * effort; a file that cannot be removed is simply left.
 */
static void remove_stale_temps(const char *bookdir)
{
    DIR *d = opendir(bookdir);
    struct dirent *de;

    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        size_t len = strlen(n);

        /* "." + at least one character + ".tmp" + six from mkstemp */
        if (n[0] != '.' || len < 12 || memcmp(n + len - 10, ".tmp", 4) != 0)
            continue;
        if (unlinkat(dirfd(d), n, 0) != 0) {
            /* not ours to worry about: a folder, or no permission */
        }
    }
    closedir(d);
}

/*
 * Poll with LOCK_NB rather than block in flock(): a blocking flock cannot
 * time out without signals, and a bounded wait with a clear message is
 * what a user at a terminal needs.
 */
int store_lock_acquire(store_lock *l, const char *bookdir, int timeout_ms,
                       diag_list *dl)
{
    long limit = lock_timeout(timeout_ms), start = now_ms();
    long pid;

    l->fd = -1;
    l->path = lock_path(bookdir);
    if (l->path == NULL) {
        diag_error(dl, bookdir, 0, 0, "slut på minne");
        return SAMLA_ENOMEM;
    }
    l->fd = open(l->path, O_RDWR | O_CREAT | O_CLOEXEC, STORE_DEFAULT_MODE);
    if (l->fd < 0) {
        diag_error(dl, l->path, 0, 0, "kan inte öppna låsfilen: %s",
                   strerror(errno));
        lock_close(l, 0);
        return SAMLA_EIO;
    }
    for (;;) {
        if (flock(l->fd, LOCK_EX | LOCK_NB) == 0) {
            write_own_pid(l->fd);
            remove_stale_temps(bookdir);
            return SAMLA_OK;
        }
        if (errno != EWOULDBLOCK && errno != EINTR) {
            diag_error(dl, l->path, 0, 0, "kan inte låsa boken: %s",
                       strerror(errno));
            lock_close(l, 0);
            return SAMLA_EIO;
        }
        if (now_ms() - start >= limit)
            break;
        sleep_ms(STORE_LOCK_POLL_MS);
    }
    pid = proc_locks_holder(l->fd);
    if (pid <= 0)
        pid = read_holder_pid(l->fd);
    if (pid > 0)
        diag_error(dl, bookdir, 0, 0,
                   "boken är låst av en annan process (pid %ld); "
                   "försök igen senare", pid);
    else
        diag_error(dl, bookdir, 0, 0,
                   "boken är låst av en annan process; försök igen senare");
    lock_close(l, 0);
    return SAMLA_ELOCK;
}

void store_lock_release(store_lock *l)
{
    lock_close(l, 1);
}
