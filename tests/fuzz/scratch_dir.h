/*
 * scratch_dir.h - a scratch folder for fuzz targets that must hand files to
 * code reading from disk (the book loader, the import rules). It lives in
 * /dev/shm when that is writable (no disk I/O per execution), else $TMPDIR or
 * /tmp, and is removed at exit. Header-only: each target is one .c file.
 */
#ifndef SAMLA_SCRATCH_DIR_H
#define SAMLA_SCRATCH_DIR_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[256];

static void remove_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *de;

    if (d == NULL)
        return;
    while ((de = readdir(d)) != NULL) {
        char p[512];

        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Create the folder as NAME.XXXXXX; aborts when it cannot. */
static void make_dir_named(const char *name)
{
    const char *base = getenv("TMPDIR");
    struct stat st;

    if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
        access("/dev/shm", W_OK) == 0)
        base = "/dev/shm";
    if (base == NULL || *base == '\0')
        base = "/tmp";
    snprintf(dir, sizeof dir, "%s/%s.XXXXXX", base, name);
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        abort();
    }
    atexit(remove_dir);
}

#endif
