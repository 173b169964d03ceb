/*
 * replay - a main() for the fuzz targets without libFuzzer, so `make check`
 * can run every corpus input and every crash ever found through a target
 * built with gcc and ASan/UBSan (or under valgrind), in one process per
 * target.
 *
 * Usage: replay_TARGET PACK|FILE|DIR...  A pack (pack.h: the target's
 * corpus in one file) is replayed input by input; any other regular file
 * is one input; a folder is every regular file directly inside it, in
 * name order. Each input is passed to LLVMFuzzerTestOneInput once, in a
 * buffer of exactly its size. A sanitizer or an invariant check inside the
 * target aborts the process; otherwise it prints "N inputs" and exits 0.
 * Exit status 2: a file could not be read, or a pack is malformed.
 * REPLAY_VERBOSE=1 names each input on stderr before running it, so the
 * last name printed is the one that failed.
 */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static long count;

static void run_input(const char *path, const char *member,
                      const uint8_t *data, size_t len)
{
    if (getenv("REPLAY_VERBOSE"))
        fprintf(stderr, "replay %s%s%s (%zu bytes)\n", path,
                member ? ":" : "", member ? member : "", len);
    LLVMFuzzerTestOneInput(data, len);
    count++;
}

static int run_pack(FILE *f, const char *path)
{
    char name[256];
    unsigned char *data;
    size_t len;
    int r;

    while ((r = pack_next(f, path, name, sizeof name, &data, &len)) == 1) {
        run_input(path, name, data, len);
        free(data);
    }
    fclose(f);
    return r;
}

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;

    if (f == NULL) {
        perror(path);
        return -1;
    }
    if (pack_is(f))
        return run_pack(f, path);
    for (;;) {
        if (cap - len < 65536) {
            uint8_t *nb = realloc(buf, cap + 65536);

            if (nb == NULL) {
                fclose(f);
                free(buf);
                fprintf(stderr, "%s: out of memory\n", path);
                return -1;
            }
            buf = nb;
            cap += 65536;
        }
        size_t r = fread(buf + len, 1, cap - len, f);

        len += r;
        if (r == 0)
            break;
    }
    if (ferror(f)) {
        perror(path);
        fclose(f);
        free(buf);
        return -1;
    }
    fclose(f);
    /* An exact-size copy, as libFuzzer passes: overreads are caught. */
    uint8_t *exact = malloc(len ? len : 1);
    if (exact == NULL) {
        free(buf);
        return -1;
    }
    if (len)
        memcpy(exact, buf, len);
    free(buf);
    run_input(path, NULL, exact, len);
    free(exact);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *path)
{
    DIR *d = opendir(path);
    struct dirent *de;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;

    if (d == NULL) {
        perror(path);
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (n == cap) {
            char **nn = realloc(names, (cap = cap ? cap * 2 : 64) * sizeof *nn);
            if (nn == NULL) {
                rc = -1;
                break;
            }
            names = nn;
        }
        names[n] = strdup(de->d_name);
        if (names[n] == NULL) {
            rc = -1;
            break;
        }
        n++;
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof *names, by_name);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(path) + strlen(names[i]) + 2;
        char *p = malloc(len);
        struct stat st;

        if (p == NULL) {
            rc = -1;
        } else {
            snprintf(p, len, "%s/%s", path, names[i]);
            if (stat(p, &st) == 0 && S_ISREG(st.st_mode) && run_file(p) != 0)
                rc = -1;
            free(p);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        struct stat st;

        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            rc = 2;
        } else if (S_ISDIR(st.st_mode)) {
            if (run_dir(argv[i]) != 0)
                rc = 2;
        } else if (run_file(argv[i]) != 0) {
            rc = 2;
        }
    }
    printf("%ld inputs\n", count);
    return rc;
}
