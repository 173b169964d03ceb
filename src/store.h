/*
 * store - the one commit path: atomic file replacement under a book lock.
 *
 * A write never modifies a file in place. The new contents go to a
 * temporary file beside the old one, which is fsync'ed and renamed over the
 * old name, and then the folder is fsync'ed so the rename itself is durable.
 * A crash at any moment leaves either the old or the new file, never a torn
 * one. Once the rename is done the write is saved: a folder fsync that
 * fails after it is a warning, never "nothing was saved".
 *
 * The book lock (store_lock.c) has two parts, because a file can be deleted
 * or replaced while it is locked and a folder cannot:
 *
 *   - the lock file BOOK/.lock (flock): writers take it exclusively, and
 *     only once the locked file is verified to still be the one at the path
 *     (else they retry), so a deleted or replaced .lock is noticed. It is
 *     what other tools (util-linux flock) and a waiting writer see, and it
 *     is the turnstile that keeps readers from starving a writer. It is
 *     opened with O_NOFOLLOW and never truncated.
 *   - the book folder itself (flock on its descriptor): writers hold it
 *     exclusively, readers shared, for the whole load. This is what makes
 *     the lock hold even when .lock is deleted under a holder, and what
 *     lets a reader see one consistent state of all the book's files.
 *
 * Temporary files are named ".NAME.tmp.PID.XXXXXX" after their writer.
 * A writer removes its own on failure; a writer holding the lock removes
 * another's only when it is provably stale: its pid names no running
 * process (or one that started after the file was written: pids are
 * reused) and it is older than STORE_STALE_SECONDS (no commit takes that
 * long; the delay covers a writer whose pid means nothing here, such as
 * one on another machine sharing the folder). An older samla's
 * ".NAME.tmpXXXXXX" (no pid) is removed once older than that delay.
 *
 * For crash tests, $SAMLA_FAULT may name a point where the process stops
 * itself or a failure to inject, see store.c.
 */
#ifndef SAMLA_STORE_H
#define SAMLA_STORE_H

#include <stddef.h>

#include "diag.h"

#define STORE_TEMP_MARK ".tmp."
#define STORE_STALE_SECONDS 60

typedef struct {
    int fd;     /* BOOK/.lock, or -1 */
    int dir_fd; /* the book folder, or -1 */
    char *path; /* BOOK/.lock */
} store_lock;

#define STORE_LOCK_NONE {-1, -1, NULL}

/*
 * Take the book's exclusive (writer's) lock, waiting up to timeout_ms
 * (default from $SAMLA_LOCK_TIMEOUT_MS, else 10 000 ms, when timeout_ms <
 * 0). On timeout adds an error naming the process that holds it and returns
 * SAMLA_ELOCK. A .lock that is a symbolic link, a folder or anything but a
 * plain file is refused (SAMLA_EIO) and left as it is. Then removes stale
 * temporary files (above).
 */
samla_err store_lock_acquire(store_lock *l, const char *bookdir, int timeout_ms,
                       diag_list *dl);

/*
 * Take the book's shared (reader's) lock: held while a book is loaded, so
 * that no writer commits in the middle. Waits like store_lock_acquire
 * (SAMLA_ELOCK after the timeout). A folder that cannot be opened is not an
 * error here (nothing is held, SAMLA_OK): the loader says what is wrong.
 * Needs no write permission and creates nothing.
 */
samla_err store_lock_shared(store_lock *l, const char *bookdir, int timeout_ms,
                      diag_list *dl);

/* Release either lock; a lock that holds nothing is left as it is. */
void store_lock_release(store_lock *l);

/*
 * Replace `path` atomically with len bytes of data (see above). On failure
 * (including a full disk) the old file is untouched, the temporary file is
 * removed, an error naming the file is added and SAMLA_EIO is returned.
 * SAMLA_OK means saved; a warning may say the folder could not be synced.
 */
samla_err store_write_atomic(const char *path, const void *data, size_t len,
                       diag_list *dl);

/* Remove the stale temporary files in bookdir (above). Call it only with
 * the book's exclusive lock held. Best effort. */
void store_remove_stale_temps(const char *bookdir);

/* Read a whole file into a malloc'd, NUL-terminated buffer. */
samla_err store_read_file(const char *path, char **data, size_t *len,
                    diag_list *dl);

#endif
