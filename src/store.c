/*
 * store.c - atomic file replacement, stale temporary files, and whole-file
 * reads (see store.h; the book lock is in store_lock.c).
 *
 * The replacement protocol, in order:
 *
 *   1. mkostemp(".NAME.tmp.PID.XXXXXX") in the target's own folder, so the
 *      final rename never crosses a file system (rename is only atomic
 *      within one); O_EXCL, so an existing name or a planted symlink is
 *      never opened; the writer's pid in the name says whose it is;
 *   2. give it the old file's permission bits (mkstemp creates 0600);
 *   3. write everything, retrying short writes and EINTR;
 *   4. fsync the data, close (close can report a deferred write error);
 *   5. rename over the target: readers see either the old or the new file;
 *      from here on the write is saved, whatever happens next;
 *   6. fsync the folder, which makes the rename itself durable. If that
 *      fails the new contents are in place (a retry would save them twice),
 *      so it is a warning that names the risk, not an error.
 *
 * Any failure before step 5 unlinks the temporary file, so the old file is
 * byte-for-byte what it was and no debris is left behind. A writer killed
 * before step 5 cannot clean up; a later writer removes its temporary file
 * once it is provably stale (store_remove_stale_temps).
 *
 * Fault injection ($SAMLA_FAULT, read at each call; no global state):
 *   enospc              the write fails with ENOSPC, as on a full disk
 *   kill-mid-write      half the data is written, then SIGKILL
 *   kill-before-rename  the temp file is complete and fsync'ed, then SIGKILL
 *                       (alias: before-rename)
 *   after-tmp-write     all data written but not yet fsync'ed, then SIGKILL
 *   stop-before-rename  the temp file is complete, then SIGSTOP (the test
 *                       sees a writer frozen inside its commit, lock held)
 *   fsync-dir           the rename is done, the folder fsync fails (EIO)
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STORE_DEFAULT_MODE 0644

typedef enum {
    FAULT_NONE = 0,
    FAULT_ENOSPC,
    FAULT_KILL_MID_WRITE,
    FAULT_KILL_AFTER_WRITE,
    FAULT_KILL_BEFORE_RENAME,
    FAULT_STOP_BEFORE_RENAME,
    FAULT_FSYNC_DIR
} store_fault;

static store_fault fault_from_env(void)
{
    static const struct {
        const char *name;
        store_fault fault;
    } faults[] = {
        {"enospc", FAULT_ENOSPC},
        {"kill-mid-write", FAULT_KILL_MID_WRITE},
        {"after-tmp-write", FAULT_KILL_AFTER_WRITE},
        {"kill-before-rename", FAULT_KILL_BEFORE_RENAME},
        {"before-rename", FAULT_KILL_BEFORE_RENAME},
        {"stop-before-rename", FAULT_STOP_BEFORE_RENAME},
        {"fsync-dir", FAULT_FSYNC_DIR},
    };
    const char *f = getenv("SAMLA_FAULT");

    if (f == NULL || *f == '\0')
        return FAULT_NONE;
    for (size_t i = 0; i < sizeof faults / sizeof *faults; i++)
        if (strcmp(f, faults[i].name) == 0)
            return faults[i].fault;
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

/* "DIR/.NAME.tmp.PID.XXXXXX", malloc'd, ready for mkostemp. */
static char *temp_template(const char *dir, const char *base)
{
    size_t n = strlen(dir) + strlen(base) + sizeof("/..tmp..XXXXXX") + 24;
    char *t = malloc(n);

    if (t != NULL)
        snprintf(t, n, "%s/.%s" STORE_TEMP_MARK "%ld.XXXXXX", dir, base,
                 (long)getpid());
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
static int fsync_dir(const char *dir, store_fault fault)
{
    int fd, rc = 0;

    if (fault == FAULT_FSYNC_DIR) {
        errno = EIO;
        return -1;
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fsync(fd) != 0 && errno != EINVAL && errno != ENOTSUP) {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
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

samla_err store_write_atomic(const char *path, const void *data, size_t len,
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
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        err = errno;
        what = "kan inte skapa en tillfällig fil i bokens mapp";
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
    if (fault == FAULT_STOP_BEFORE_RENAME)
        raise(SIGSTOP);
    if (rename(tmp, path) != 0) {
        err = errno;
        goto fail;
    }
    free(tmp);
    tmp = NULL;
    /* Saved: the new contents are what every reader sees from now on. */
    if (fsync_dir(dir, fault) != 0)
        diag_warn(dl, path, 0, 0,
                   "sparades, men mappen kunde inte synkas till disk (%s): "
                   "ändringen finns i filen men kan gå förlorad vid ett "
                   "strömavbrott eller en krasch i datorn strax efter; "
                   "spara den inte igen (då finns den två gånger), "
                   "kontrollera i stället efter en omstart med 'samla "
                   "check' och 'samla list'",
                   diag_errno_text(errno));
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
    diag_error(dl, path, 0, 0, "%s: %s", what, diag_errno_text(err));
    return SAMLA_EIO;
}

/* ------------------------------------------------------------------ */
/* Stale temporary files                                               */
/* ------------------------------------------------------------------ */

/*
 * The pid in a temporary file's name ".NAME.tmp.PID.XXXXXX", 0 when the
 * name is an older samla's ".NAME.tmpXXXXXX" (no pid), -1 when the name is
 * not a temporary file's at all.
 */
static long temp_owner(const char *n)
{
    size_t len = strlen(n);
    const char *mark, *p;
    long pid = 0;

    if (n[0] != '.' || len < 12)
        return -1;
    /* An older samla's name: "." + at least one character + ".tmp" + six
     * characters from mkstemp. */
    if (memcmp(n + len - 10, ".tmp", 4) == 0 && strchr(n + len - 6, '.') == NULL)
        return 0;
    /* ".tmp.PID.XXXXXX": find the last ".tmp." followed by digits, '.', six
     * characters and the end. */
    if (len < sizeof(STORE_TEMP_MARK) + 8 || n[len - 7] != '.')
        return -1;
    for (mark = NULL, p = n + 1; (p = strstr(p, STORE_TEMP_MARK)) != NULL; p++)
        mark = p;
    if (mark == NULL)
        return -1;
    for (p = mark + sizeof(STORE_TEMP_MARK) - 1; p < n + len - 7; p++) {
        if (*p < '0' || *p > '9' || pid > 100000000L)
            return -1;
        pid = pid * 10 + (*p - '0');
    }
    return pid > 0 ? pid : -1;
}

/* When the process with this pid started, in seconds since the epoch, or
 * -1 when /proc cannot tell: field 22 of /proc/PID/stat counts clock ticks
 * since boot, and /proc/stat's btime is the boot. */
static long long process_start(long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* The command name (field 2) may hold spaces and ')': skip to its last
     * ")"; p then stands on the space before field 3 (the state), and
     * starttime is field 22, 19 spaces on. */
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    p++;
    for (int field = 3; field < 22 && p; field++)
        p = strchr(p + 1, ' ');
    if (!p)
        return -1;
    unsigned long long ticks = strtoull(p + 1, NULL, 10);
    long hz = sysconf(_SC_CLK_TCK);
    f = fopen("/proc/stat", "re");
    if (!f || hz <= 0) {
        if (f)
            fclose(f);
        return -1;
    }
    long long btime = -1;
    char line[256];
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "btime %lld", &btime) == 1)
            break;
    fclose(f);
    return btime < 0 ? -1 : btime + (long long)(ticks / (unsigned long long)hz);
}

/* Whether the writer of a temporary file written at `mtime` still runs:
 * a process with its pid runs here (EPERM: it does, not ours) and did not
 * start after the file was written. Pids are reused (pid_max is often
 * 32 768): a process that started later is another program, and the
 * writer is gone. */
static int writer_alive(long pid, time_t mtime)
{
    if (!(kill((pid_t)pid, 0) == 0 || errno == EPERM))
        return 0;
    long long started = process_start(pid);
    /* 2 s of slack: starttime is in whole seconds after rounding. */
    return started < 0 || started <= (long long)mtime + 2;
}

void store_remove_stale_temps(const char *bookdir)
{
    DIR *d = opendir(bookdir);
    struct dirent *de;
    time_t now = time(NULL);

    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        const char *n = de->d_name;
        long pid = temp_owner(n);
        struct stat st;

        if (pid < 0)
            continue;
        if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode))
            continue;
        /* Only a dead writer's file that had time to finish (store.h).
         * This process's own pid counts as alive: a commit that fails
         * removes its own file, and another thread of a server may be
         * writing its own right now. */
        if ((pid > 0 && writer_alive(pid, st.st_mtime)) ||
            now - st.st_mtime < STORE_STALE_SECONDS)
            continue;
        if (unlinkat(dirfd(d), n, 0) != 0) {
            /* not ours to worry about: no permission */
        }
    }
    closedir(d);
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

samla_err store_read_file(const char *path, char **data, size_t *len,
                    diag_list *dl)
{
    struct stat st;
    int fd, rc;

    *data = NULL;
    *len = 0;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_error(dl, path, 0, 0, "kan inte läsa filen: %s", diag_errno_text(errno));
        return SAMLA_EIO;
    }
    if (fstat(fd, &st) != 0) {
        diag_error(dl, path, 0, 0, "kan inte läsa filen: %s", diag_errno_text(errno));
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

        diag_error(dl, path, 0, 0, "kan inte läsa filen: %s", diag_errno_text(e));
        close(fd);
        return e == ENOMEM ? SAMLA_ENOMEM : SAMLA_EIO;
    }
    close(fd);
    return SAMLA_OK;
}

