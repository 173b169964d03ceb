/*
 * store - the one commit path: atomic file replacement under a book lock.
 *
 * A write never modifies a file in place. The new contents go to a
 * temporary file beside the old one, which is fsync'ed and renamed over the
 * old name, and then the folder is fsync'ed so the rename itself is durable.
 * A crash at any moment leaves either the old or the new file, never a torn
 * one. Writers serialise on an exclusive lock (flock) on the file ".lock" in
 * the book folder, held across the whole read-modify-write; the holder's pid
 * is written into the lock file so a waiting writer can say who holds it.
 *
 * For crash tests, $SAMLA_FAULT may name a point where the process stops
 * itself ("before-rename", "after-tmp-write") or a failure to inject
 * ("enospc"), see store.c.
 */
#ifndef SAMLA_STORE_H
#define SAMLA_STORE_H

#include <stddef.h>

#include "diag.h"

typedef struct {
    int fd;
    char *path;
} store_lock;

/*
 * Take the book's exclusive lock, waiting up to timeout_ms (default from
 * $SAMLA_LOCK_TIMEOUT_MS, else 10 000 ms, when timeout_ms < 0). On timeout
 * adds an error naming the process that holds it and returns SAMLA_ELOCK.
 */
int store_lock_acquire(store_lock *l, const char *bookdir, int timeout_ms,
                       diag_list *dl);
void store_lock_release(store_lock *l);

/*
 * Replace `path` atomically with len bytes of data (see above). On failure
 * (including a full disk) the old file is untouched, the temporary file is
 * removed, an error naming the file is added and SAMLA_EIO is returned.
 */
int store_write_atomic(const char *path, const void *data, size_t len,
                       diag_list *dl);

/* Read a whole file into a malloc'd, NUL-terminated buffer. */
int store_read_file(const char *path, char **data, size_t *len,
                    diag_list *dl);

#endif
