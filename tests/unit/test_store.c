/*
 * Unit tests for store: atomic replacement (with injected faults: full
 * disk, a kill mid-write and a kill before the rename), the book lock
 * against a second process, and whole-file reads.
 *
 * Every test works in its own fresh folder under /tmp. Faults are injected
 * through $SAMLA_FAULT; the kill faults run in a forked child, since they
 * end the process that hits them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <time.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "store.h"

#define OLD_CONTENT "Kod;Namn\r\nLERUM;Lerum\r\n"
#define NEW_CONTENT "Kod;Namn\r\nLERUM;Lerum\r\nALINGSAS;Alings\xC3\xA5s\r\n"

/* ------------------------------------------------------------------------
 * Helpers
 */

typedef struct {
    char dir[64];
    char file[96];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);

    if (fx == NULL)
        return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/samla-store-XXXXXX");
    if (mkdtemp(fx->dir) == NULL)
        return -1;
    snprintf(fx->file, sizeof fx->file, "%s/konton.csv", fx->dir);
    unsetenv("SAMLA_FAULT");
    *state = fx;
    return 0;
}

/* Remove the folder and whatever a test left in it (flat). */
static int teardown(void **state)
{
    fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    struct dirent *e;
    char path[512];

    unsetenv("SAMLA_FAULT");
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", fx->dir, e->d_name);
        unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(fx->dir);
    free(fx);
    return 0;
}

static void write_plain(const char *path, const char *s, mode_t mode)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, strlen(s), f), strlen(s));
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static void assert_file_is(const char *path, const char *want)
{
    diag_list dl;
    char *data;
    size_t len;

    diag_init(&dl);
    assert_int_equal(store_read_file(path, &data, &len, &dl), SAMLA_OK);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(data, want, len);
    assert_int_equal(data[len], '\0');
    free(data);
    diag_free(&dl);
}

static void copy_name(char *dst, size_t dstsz, const char *name)
{
    size_t k = strlen(name);

    if (k >= dstsz)
        k = dstsz - 1;
    memcpy(dst, name, k);
    dst[k] = '\0';
}

/* Names in the folder other than "." and "..", counted; the first one that
 * starts with `prefix` is copied to found (if any). */
static int count_entries(const char *dir, const char *prefix, char *found,
                         size_t foundsz)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    if (found != NULL)
        found[0] = '\0';
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        if (found != NULL && found[0] == '\0' &&
            strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            copy_name(found, foundsz, e->d_name);
    }
    closedir(d);
    return n;
}

static mode_t mode_of(const char *path)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    return st.st_mode & 07777;
}

/* Run store_write_atomic in a child with $SAMLA_FAULT set; return the
 * child's wait status (and its pid in *child when not NULL). */
static int write_in_child(const char *path, const char *data, const char *fault,
                          pid_t *child)
{
    pid_t pid = fork();
    int status;

    assert_true(pid >= 0);
    if (pid == 0) {
        diag_list dl;

        diag_init(&dl);
        setenv("SAMLA_FAULT", fault, 1);
        store_write_atomic(path, data, strlen(data), &dl);
        _exit(0); /* only reached if the fault did not fire */
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (child != NULL)
        *child = pid;
    return status;
}

/* ------------------------------------------------------------------------
 * Atomic replacement
 */

static void test_write_creates_with_default_mode(void **state)
{
    fixture *fx = *state;
    diag_list dl;

    diag_init(&dl);
    assert_int_equal(store_write_atomic(fx->file, NEW_CONTENT,
                                        strlen(NEW_CONTENT), &dl),
                     SAMLA_OK);
    assert_int_equal(dl.n, 0);
    assert_file_is(fx->file, NEW_CONTENT);
    assert_int_equal(mode_of(fx->file), 0644);
    assert_int_equal(count_entries(fx->dir, "", NULL, 0), 1);
    diag_free(&dl);
}

static void test_write_replaces_and_keeps_mode(void **state)
{
    fixture *fx = *state;
    diag_list dl;
    struct stat before, after;

    write_plain(fx->file, OLD_CONTENT, 0600);
    assert_int_equal(stat(fx->file, &before), 0);
    diag_init(&dl);
    assert_int_equal(store_write_atomic(fx->file, NEW_CONTENT,
                                        strlen(NEW_CONTENT), &dl),
                     SAMLA_OK);
    assert_file_is(fx->file, NEW_CONTENT);
    assert_int_equal(mode_of(fx->file), 0600);
    /* A new inode: the old file was replaced, not rewritten in place. */
    assert_int_equal(stat(fx->file, &after), 0);
    assert_true(after.st_ino != before.st_ino);
    assert_int_equal(count_entries(fx->dir, "", NULL, 0), 1);
    /* An empty write is a valid, empty file. */
    assert_int_equal(store_write_atomic(fx->file, "", 0, &dl), SAMLA_OK);
    assert_file_is(fx->file, "");
    diag_free(&dl);
}

static void test_write_relative_name(void **state)
{
    fixture *fx = *state;
    diag_list dl;
    char cwd[512];

    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(fx->dir), 0);
    diag_init(&dl);
    assert_int_equal(store_write_atomic("konton.csv", OLD_CONTENT,
                                        strlen(OLD_CONTENT), &dl),
                     SAMLA_OK);
    assert_int_equal(chdir(cwd), 0);
    assert_file_is(fx->file, OLD_CONTENT);
    diag_free(&dl);
}

static void test_enospc_leaves_old_file(void **state)
{
    fixture *fx = *state;
    diag_list dl;

    write_plain(fx->file, OLD_CONTENT, 0644);
    setenv("SAMLA_FAULT", "enospc", 1);
    diag_init(&dl);
    assert_int_equal(store_write_atomic(fx->file, NEW_CONTENT,
                                        strlen(NEW_CONTENT), &dl),
                     SAMLA_EIO);
    unsetenv("SAMLA_FAULT");
    assert_file_is(fx->file, OLD_CONTENT);
    assert_int_equal(count_entries(fx->dir, "", NULL, 0), 1); /* no temp */
    assert_int_equal(dl.n, 1);
    assert_int_equal(diag_errors(&dl), 1);
    assert_string_equal(dl.v[0].file, fx->file);
    assert_string_equal(dl.v[0].msg, "kan inte skriva filen: disken är full");
    diag_free(&dl);
}

static void test_kill_before_rename(void **state)
{
    fixture *fx = *state;
    char tmp[128], path[256];
    int status;
    pid_t child_pid;

    write_plain(fx->file, OLD_CONTENT, 0644);
    status = write_in_child(fx->file, NEW_CONTENT, "kill-before-rename",
                            &child_pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    assert_file_is(fx->file, OLD_CONTENT);
    /* The complete temp file is left, hidden, named after the target and
     * its writer (the child's pid). */
    assert_int_equal(count_entries(fx->dir, ".konton.csv.tmp.", tmp, sizeof tmp),
                     2);
    assert_int_equal(strlen(tmp), strlen(".konton.csv.tmp.") +
                                      (size_t)snprintf(NULL, 0, "%ld", (long)child_pid) + 7);
    snprintf(path, sizeof path, ".konton.csv.tmp.%ld.", (long)child_pid);
    assert_memory_equal(tmp, path, strlen(path));
    snprintf(path, sizeof path, "%s/%s", fx->dir, tmp);
    assert_file_is(path, NEW_CONTENT);
}

static void test_kill_mid_write(void **state)
{
    fixture *fx = *state;
    char tmp[128], path[256], half[64];
    int status;
    size_t n = strlen(NEW_CONTENT) / 2;

    write_plain(fx->file, OLD_CONTENT, 0644);
    status = write_in_child(fx->file, NEW_CONTENT, "kill-mid-write", NULL);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    assert_file_is(fx->file, OLD_CONTENT);
    assert_int_equal(count_entries(fx->dir, ".konton.csv.tmp.", tmp, sizeof tmp),
                     2);
    snprintf(path, sizeof path, "%s/%s", fx->dir, tmp);
    memcpy(half, NEW_CONTENT, n);
    half[n] = '\0';
    assert_file_is(path, half);
}

static void test_write_into_missing_folder(void **state)
{
    fixture *fx = *state;
    diag_list dl;
    char path[160];

    snprintf(path, sizeof path, "%s/saknas/konton.csv", fx->dir);
    diag_init(&dl);
    assert_int_equal(store_write_atomic(path, "x", 1, &dl), SAMLA_EIO);
    assert_int_equal(dl.n, 1);
    assert_string_equal(dl.v[0].file, path);
    assert_string_equal(dl.v[0].msg, "kan inte skapa en tillfällig fil i "
                                     "bokens mapp: filen eller mappen finns inte");
    diag_free(&dl);
}

static void test_write_over_folder_fails_cleanly(void **state)
{
    fixture *fx = *state;
    diag_list dl;
    char sub[160];

    /* rename() of a file over a folder fails: the temp file must go. */
    snprintf(sub, sizeof sub, "%s/mapp", fx->dir);
    assert_int_equal(mkdir(sub, 0755), 0);
    diag_init(&dl);
    assert_int_equal(store_write_atomic(sub, "x", 1, &dl), SAMLA_EIO);
    assert_int_equal(count_entries(fx->dir, "", NULL, 0), 1);
    assert_int_equal(dl.n, 1);
    assert_non_null(strstr(dl.v[0].msg, ": är en mapp"));
    diag_free(&dl);
    rmdir(sub);
}

/* ------------------------------------------------------------------------
 * Lock
 */

static void test_lock_excludes_second_writer(void **state)
{
    fixture *fx = *state;
    int ready[2], release[2];
    pid_t child;
    char c, msg[160], lockfile[160], pidline[32];
    store_lock l;
    diag_list dl;
    int status;

    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(release), 0);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        store_lock cl;
        diag_list cdl;

        diag_init(&cdl);
        if (store_lock_acquire(&cl, fx->dir, 0, &cdl) != SAMLA_OK)
            _exit(3);
        if (write(ready[1], "r", 1) != 1)
            _exit(4);
        if (read(release[0], &c, 1) != 1) /* hold until told */
            _exit(5);
        store_lock_release(&cl);
        _exit(0);
    }
    assert_int_equal(read(ready[0], &c, 1), 1);

    diag_init(&dl);
    assert_int_equal(store_lock_acquire(&l, fx->dir, 100, &dl), SAMLA_ELOCK);
    assert_int_equal(dl.n, 1);
    snprintf(msg, sizeof msg,
             "boken är låst av en annan process (pid %ld); försök igen senare",
             (long)child);
    assert_string_equal(dl.v[0].msg, msg);
    assert_int_equal(l.fd, -1);
    diag_free(&dl);

    /* The holder's pid is still in the lock file: a failed try must not
     * erase it. The record is fixed-width, rewritten in place. */
    snprintf(lockfile, sizeof lockfile, "%s/.lock", fx->dir);
    snprintf(pidline, sizeof pidline, "%-19ld\n", (long)child);
    assert_file_is(lockfile, pidline);

    /* Once the child lets go, the lock is ours and carries our pid. */
    assert_int_equal(write(release[1], "x", 1), 1);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    diag_init(&dl);
    assert_int_equal(store_lock_acquire(&l, fx->dir, 1000, &dl), SAMLA_OK);
    snprintf(pidline, sizeof pidline, "%-19ld\n", (long)getpid());
    assert_file_is(lockfile, pidline);
    store_lock_release(&l);
    assert_int_equal(l.fd, -1);
    assert_int_equal(l.dir_fd, -1);
    assert_null(l.path);
    /* no stale pid after release, and the file was never truncated */
    assert_file_is(lockfile, "                   \n");
    diag_free(&dl);
    close(ready[0]);
    close(ready[1]);
    close(release[0]);
    close(release[1]);
}

static void test_lock_waits_for_release(void **state)
{
    fixture *fx = *state;
    int ready[2];
    pid_t child;
    char c;
    store_lock l;
    diag_list dl;
    int status;

    /* The child holds the lock for ~150 ms; a 5 s wait gets it. */
    assert_int_equal(pipe(ready), 0);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        store_lock cl;
        diag_list cdl;

        diag_init(&cdl);
        if (store_lock_acquire(&cl, fx->dir, 0, &cdl) != SAMLA_OK)
            _exit(3);
        if (write(ready[1], "r", 1) != 1)
            _exit(4);
        usleep(150000);
        store_lock_release(&cl);
        _exit(0);
    }
    assert_int_equal(read(ready[0], &c, 1), 1);
    diag_init(&dl);
    assert_int_equal(store_lock_acquire(&l, fx->dir, 5000, &dl), SAMLA_OK);
    assert_int_equal(dl.n, 0);
    store_lock_release(&l);
    assert_int_equal(waitpid(child, &status, 0), child);
    diag_free(&dl);
    close(ready[0]);
    close(ready[1]);
}

static void test_lock_timeout_from_env(void **state)
{
    fixture *fx = *state;
    store_lock a, b;
    diag_list dl;

    /* flock locks belong to the open file, so a second open in the same
     * process conflicts too; -1 reads $SAMLA_LOCK_TIMEOUT_MS. */
    diag_init(&dl);
    assert_int_equal(store_lock_acquire(&a, fx->dir, 0, &dl), SAMLA_OK);
    setenv("SAMLA_LOCK_TIMEOUT_MS", "30", 1);
    assert_int_equal(store_lock_acquire(&b, fx->dir, -1, &dl), SAMLA_ELOCK);
    unsetenv("SAMLA_LOCK_TIMEOUT_MS");
    assert_int_equal(dl.n, 1);
    assert_non_null(strstr(dl.v[0].msg, "boken är låst av en annan process"));
    store_lock_release(&a);
    diag_free(&dl);
}

static void test_lock_missing_book(void **state)
{
    fixture *fx = *state;
    store_lock l;
    diag_list dl;
    char dir[160];

    snprintf(dir, sizeof dir, "%s/saknas", fx->dir);
    diag_init(&dl);
    assert_int_equal(store_lock_acquire(&l, dir, 0, &dl), SAMLA_EIO);
    assert_int_equal(dl.n, 1);
    assert_non_null(strstr(dl.v[0].msg, "kan inte öppna låsfilen"));
    assert_int_equal(l.fd, -1);
    diag_free(&dl);
    /* A reader of a missing book holds nothing and leaves the message to
     * the loader. */
    diag_init(&dl);
    assert_int_equal(store_lock_shared(&l, dir, 0, &dl), SAMLA_OK);
    assert_int_equal(dl.n, 0);
    assert_int_equal(l.fd, -1);
    assert_int_equal(l.dir_fd, -1);
    store_lock_release(&l);
    diag_free(&dl);
}


/* Once the rename is done the write is saved: a folder fsync that fails
 * afterwards is a warning naming the risk, and the call succeeds (a caller
 * that said "nothing was saved" would make the user save it twice). */
static void test_fsync_dir_failure_is_saved_with_warning(void **state)
{
    fixture *fx = *state;
    diag_list dl;

    write_plain(fx->file, OLD_CONTENT, 0644);
    setenv("SAMLA_FAULT", "fsync-dir", 1);
    diag_init(&dl);
    assert_int_equal(store_write_atomic(fx->file, NEW_CONTENT,
                                        strlen(NEW_CONTENT), &dl),
                     SAMLA_OK);
    unsetenv("SAMLA_FAULT");
    assert_file_is(fx->file, NEW_CONTENT);
    assert_int_equal(count_entries(fx->dir, "", NULL, 0), 1);
    assert_int_equal(dl.n, 1);
    assert_int_equal(diag_errors(&dl), 0);
    assert_int_equal(dl.v[0].level, DIAG_WARNING);
    assert_string_equal(dl.v[0].file, fx->file);
    assert_non_null(strstr(dl.v[0].msg, "sparades, men mappen kunde inte "
                                        "synkas till disk"));
    assert_non_null(strstr(dl.v[0].msg, "spara den inte igen"));
    diag_free(&dl);
}

static ino_t ino_of_fd(int fd)
{
    struct stat st;

    assert_int_equal(fstat(fd, &st), 0);
    return st.st_ino;
}

static ino_t ino_of_path(const char *path)
{
    struct stat st;

    assert_int_equal(lstat(path, &st), 0);
    return st.st_ino;
}

/* Deleting .lock under its holder admits no second writer: the folder lock
 * still excludes it, and once the holder is gone the next writer locks the
 * .lock that is at the path now. */
static void test_lock_holds_when_lockfile_deleted(void **state)
{
    fixture *fx = *state;
    store_lock a, b;
    diag_list dl;
    char lockfile[160];

    snprintf(lockfile, sizeof lockfile, "%s/.lock", fx->dir);
    diag_init(&dl);
    assert_int_equal(store_lock_acquire(&a, fx->dir, 0, &dl), SAMLA_OK);
    assert_int_equal(unlink(lockfile), 0);
    assert_int_equal(store_lock_acquire(&b, fx->dir, 50, &dl), SAMLA_ELOCK);
    assert_int_equal(dl.n, 1);
    assert_non_null(strstr(dl.v[0].msg, "boken är låst av en annan process"));
    /* the newcomer created a new .lock, which the holder's release leaves */
    store_lock_release(&a);
    assert_int_equal(store_lock_acquire(&b, fx->dir, 0, &dl), SAMLA_OK);
    assert_int_equal(ino_of_fd(b.fd), ino_of_path(lockfile));
    store_lock_release(&b);
    diag_free(&dl);
}

/* A writer waiting on a .lock that is replaced meanwhile does not settle
 * for the old file once it is free: it retries on the one at the path. */
static void test_lock_retries_on_replaced_lockfile(void **state)
{
    fixture *fx = *state;
    store_lock a;
    diag_list dl;
    char lockfile[160], other[160];
    pid_t child;
    int status, ready[2];
    char c;

    snprintf(lockfile, sizeof lockfile, "%s/.lock", fx->dir);
    snprintf(other, sizeof other, "%s/ny-lock", fx->dir);
    diag_init(&dl);
    assert_int_equal(store_lock_acquire(&a, fx->dir, 0, &dl), SAMLA_OK);
    assert_int_equal(pipe(ready), 0);
    child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        store_lock cl;
        diag_list cdl;
        int same;

        /* The parent's descriptors were copied by fork and would keep
         * its locks alive: this child is another writer, not the holder. */
        close(a.fd);
        close(a.dir_fd);
        diag_init(&cdl);
        if (write(ready[1], "r", 1) != 1)
            _exit(4);
        if (store_lock_acquire(&cl, fx->dir, 5000, &cdl) != SAMLA_OK)
            _exit(3);
        same = ino_of_fd(cl.fd) == ino_of_path(lockfile);
        store_lock_release(&cl);
        _exit(same ? 0 : 6);
    }
    assert_int_equal(read(ready[0], &c, 1), 1);
    usleep(100000); /* let the child open the old .lock and wait on it */
    write_plain(other, "", 0644);
    assert_int_equal(rename(other, lockfile), 0);
    store_lock_release(&a);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(ready[0]);
    close(ready[1]);
    diag_free(&dl);
}

/* A symbolic link planted at .lock is neither followed nor emptied. */
static void test_lock_refuses_symlink(void **state)
{
    fixture *fx = *state;
    store_lock l;
    diag_list dl;
    char lockfile[160];

    write_plain(fx->file, OLD_CONTENT, 0644);
    snprintf(lockfile, sizeof lockfile, "%s/.lock", fx->dir);
    assert_int_equal(symlink(fx->file, lockfile), 0);
    diag_init(&dl);
    assert_int_equal(store_lock_acquire(&l, fx->dir, 0, &dl), SAMLA_EIO);
    assert_int_equal(l.fd, -1);
    assert_int_equal(l.dir_fd, -1);
    assert_int_equal(dl.n, 1);
    assert_string_equal(dl.v[0].file, lockfile);
    assert_string_equal(dl.v[0].msg,
                        "låsfilen är en symbolisk länk; samla följer den inte "
                        "och har inte ändrat något. Ta bort länken (den "
                        "skapas inte av samla) och försök igen");
    assert_file_is(fx->file, OLD_CONTENT);
    /* A reader is not stopped by it (the folder lock is what it needs). */
    assert_int_equal(store_lock_shared(&l, fx->dir, 0, &dl), SAMLA_OK);
    assert_int_equal(dl.n, 1);
    store_lock_release(&l);
    assert_file_is(fx->file, OLD_CONTENT);
    diag_free(&dl);
}

/* Readers share; a writer excludes readers and readers exclude a writer. */
static void test_shared_lock(void **state)
{
    fixture *fx = *state;
    store_lock r1, r2, w;
    diag_list dl;

    diag_init(&dl);
    assert_int_equal(store_lock_shared(&r1, fx->dir, 0, &dl), SAMLA_OK);
    assert_true(r1.dir_fd >= 0);
    assert_int_equal(store_lock_shared(&r2, fx->dir, 0, &dl), SAMLA_OK);
    assert_int_equal(store_lock_acquire(&w, fx->dir, 30, &dl), SAMLA_ELOCK);
    assert_int_equal(dl.n, 1);
    store_lock_release(&r1);
    store_lock_release(&r2);
    assert_int_equal(store_lock_acquire(&w, fx->dir, 0, &dl), SAMLA_OK);
    assert_int_equal(store_lock_shared(&r1, fx->dir, 30, &dl), SAMLA_ELOCK);
    assert_int_equal(dl.n, 2);
    assert_non_null(strstr(dl.v[1].msg, "boken är låst av en annan process"));
    assert_int_equal(r1.dir_fd, -1);
    store_lock_release(&w);
    assert_int_equal(store_lock_shared(&r1, fx->dir, 0, &dl), SAMLA_OK);
    store_lock_release(&r1);
    diag_free(&dl);
}

static void touch_aged(const char *dir, const char *name, int age)
{
    char path[256];
    struct timespec ts[2];

    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_plain(path, "x", 0600);
    clock_gettime(CLOCK_REALTIME, &ts[0]);
    ts[0].tv_sec -= age;
    ts[1] = ts[0];
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static int exists_in(const char *dir, const char *name)
{
    char path[256];
    struct stat st;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    return lstat(path, &st) == 0;
}

/* Only provably stale temporary files go: a dead writer's that is older
 * than STORE_STALE_SECONDS (dead: no process has its pid, or the one that
 * has started after the file was written), or an older samla's (no pid)
 * as old. */
static void test_stale_temps(void **state)
{
    fixture *fx = *state;
    char dead_old[96], dead_new[96], live_old[96];
    int status;
    pid_t dead = fork();

    assert_true(dead >= 0);
    if (dead == 0)
        _exit(0);
    assert_int_equal(waitpid(dead, &status, 0), dead);
    snprintf(dead_old, sizeof dead_old, ".konton.csv.tmp.%ld.aB3dE9",
             (long)dead);
    snprintf(dead_new, sizeof dead_new, ".budget.csv.tmp.%ld.Zz9yY8",
             (long)dead);
    /* A live writer: pid 1 started at boot, long before the file. */
    snprintf(live_old, sizeof live_old, ".konton.csv.tmp.%ld.qQ1wW2", 1L);
    /* A reused pid: a process runs under it, but it started after the file
     * was written, so it is not the writer. */
    int pfd[2];
    assert_int_equal(pipe(pfd), 0);
    pid_t later = fork();
    assert_true(later >= 0);
    if (later == 0) {
        char c;
        close(pfd[1]);
        if (read(pfd[0], &c, 1) < 0)
            _exit(1);
        _exit(0);
    }
    close(pfd[0]);
    char reused[96];
    snprintf(reused, sizeof reused, ".oronmarkningar.csv.tmp.%ld.Rr5tT6",
             (long)later);
    touch_aged(fx->dir, reused, STORE_STALE_SECONDS + 60);
    touch_aged(fx->dir, dead_old, STORE_STALE_SECONDS + 60);
    touch_aged(fx->dir, dead_new, 0);
    touch_aged(fx->dir, live_old, STORE_STALE_SECONDS + 60);
    touch_aged(fx->dir, ".konton.csv.tmpAbC123", STORE_STALE_SECONDS + 60);
    touch_aged(fx->dir, ".budget.csv.tmpAbC123", 0);
    touch_aged(fx->dir, ".konton.csv.bak", 86400);
    touch_aged(fx->dir, "konton.csv.tmp.1.abcdef", 86400);
    store_remove_stale_temps(fx->dir);
    close(pfd[1]); /* the child ends */
    assert_int_equal(waitpid(later, &status, 0), later);
    assert_false(exists_in(fx->dir, reused));
    assert_false(exists_in(fx->dir, dead_old));
    assert_true(exists_in(fx->dir, dead_new));
    assert_true(exists_in(fx->dir, live_old));
    assert_false(exists_in(fx->dir, ".konton.csv.tmpAbC123"));
    assert_true(exists_in(fx->dir, ".budget.csv.tmpAbC123"));
    assert_true(exists_in(fx->dir, ".konton.csv.bak"));
    assert_true(exists_in(fx->dir, "konton.csv.tmp.1.abcdef"));
}

/* ------------------------------------------------------------------------
 * Reading
 */

static void test_read_file_ok(void **state)
{
    fixture *fx = *state;

    write_plain(fx->file, NEW_CONTENT, 0644);
    assert_file_is(fx->file, NEW_CONTENT);
}

static void test_read_file_folder(void **state)
{
    fixture *fx = *state;
    diag_list dl;
    char *data = (char *)1;
    size_t len = 99;

    diag_init(&dl);
    assert_int_equal(store_read_file(fx->dir, &data, &len, &dl), SAMLA_EIO);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_int_equal(dl.n, 1);
    assert_string_equal(dl.v[0].file, fx->dir);
    assert_string_equal(dl.v[0].msg, "är en mapp, inte en fil");
    diag_free(&dl);
}

static void test_read_file_missing(void **state)
{
    fixture *fx = *state;
    diag_list dl;
    char *data;
    size_t len;

    diag_init(&dl);
    assert_int_equal(store_read_file(fx->file, &data, &len, &dl), SAMLA_EIO);
    assert_null(data);
    assert_int_equal(dl.n, 1);
    assert_string_equal(dl.v[0].file, fx->file);
    assert_string_equal(dl.v[0].msg,
                        "kan inte läsa filen: filen eller mappen finns inte");
    diag_free(&dl);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write_creates_with_default_mode,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_replaces_and_keeps_mode,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_relative_name, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_enospc_leaves_old_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_kill_before_rename, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_kill_mid_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_write_into_missing_folder, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_write_over_folder_fails_cleanly,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_excludes_second_writer,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_waits_for_release, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lock_timeout_from_env, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_lock_missing_book, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_fsync_dir_failure_is_saved_with_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_holds_when_lockfile_deleted,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_retries_on_replaced_lockfile,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_lock_refuses_symlink, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_shared_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_temps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_file_ok, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_file_folder, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_file_missing, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
