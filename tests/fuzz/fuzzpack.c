/*
 * fuzzpack - pack a folder of fuzz inputs into one file (pack.h), list a
 * pack, or unpack it into a folder for libFuzzer.
 *
 *   fuzzpack pack PACK DIR...   every regular file of the folders, in name
 *                               order (a name seen twice is kept once: the
 *                               first); PACK is replaced atomically
 *   fuzzpack unpack PACK DIR    one file per input (DIR must exist)
 *   fuzzpack list PACK          "NAME SIZE" per input
 *
 * Exit status 0, or 1 with a message on stderr.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pack.h"

typedef struct {
    char *name, *path;
} input;

static int by_name(const void *a, const void *b)
{
    return strcmp(((const input *)a)->name, ((const input *)b)->name);
}

static int add_dir(const char *dir, input **v, size_t *n, size_t *cap)
{
    DIR *d = opendir(dir);
    struct dirent *de;

    if (d == NULL) {
        perror(dir);
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        size_t plen = strlen(dir) + strlen(de->d_name) + 2;
        char *p;
        struct stat st;

        if (de->d_name[0] == '.')
            continue;
        if (strchr(de->d_name, ' ') || strchr(de->d_name, '\n')) {
            fprintf(stderr, "%s/%s: a name with a space or newline cannot be packed\n",
                    dir, de->d_name);
            closedir(d);
            return -1;
        }
        p = malloc(plen);
        if (p == NULL)
            abort();
        snprintf(p, plen, "%s/%s", dir, de->d_name);
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 256;
            *v = realloc(*v, *cap * sizeof **v);
            if (*v == NULL)
                abort();
        }
        (*v)[*n].name = strdup(de->d_name);
        (*v)[*n].path = p;
        if ((*v)[*n].name == NULL)
            abort();
        (*n)++;
    }
    closedir(d);
    return 0;
}

static int copy_into(FILE *out, const char *path, long *size)
{
    FILE *in = fopen(path, "rb");
    char buf[65536];
    size_t r;

    *size = 0;
    if (in == NULL) {
        perror(path);
        return -1;
    }
    while ((r = fread(buf, 1, sizeof buf, in)) > 0) {
        if (fwrite(buf, 1, r, out) != r) {
            fclose(in);
            return -1;
        }
        *size += (long)r;
    }
    if (ferror(in)) {
        perror(path);
        fclose(in);
        return -1;
    }
    fclose(in);
    return 0;
}

static int do_pack(const char *pack, char **dirs, int ndirs)
{
    input *v = NULL;
    size_t n = 0, cap = 0, kept = 0;
    size_t tlen = strlen(pack) + 8;
    char *tmp = malloc(tlen);
    FILE *out;
    int rc = 0;

    if (tmp == NULL)
        abort();
    for (int i = 0; i < ndirs; i++)
        if (add_dir(dirs[i], &v, &n, &cap) != 0)
            return 1;
    qsort(v, n, sizeof *v, by_name);
    snprintf(tmp, tlen, "%s.tmp", pack);
    out = fopen(tmp, "wb");
    if (out == NULL) {
        perror(tmp);
        return 1;
    }
    fputs(PACK_MAGIC, out);
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct stat st;
        long got;

        if (i > 0 && strcmp(v[i].name, v[i - 1].name) == 0)
            continue;
        if (stat(v[i].path, &st) != 0) {
            perror(v[i].path);
            rc = 1;
            break;
        }
        fprintf(out, "%s %ld\n", v[i].name, (long)st.st_size);
        if (copy_into(out, v[i].path, &got) != 0 || got != (long)st.st_size) {
            fprintf(stderr, "%s: changed while packing\n", v[i].path);
            rc = 1;
        }
        fputc('\n', out);
        kept++;
    }
    if (fclose(out) != 0 || rc != 0 || rename(tmp, pack) != 0) {
        if (rc == 0)
            perror(pack);
        unlink(tmp);
        rc = 1;
    } else {
        printf("%s: %zu inputs\n", pack, kept);
    }
    for (size_t i = 0; i < n; i++) {
        free(v[i].name);
        free(v[i].path);
    }
    free(v);
    free(tmp);
    return rc;
}

static int do_read(const char *pack, const char *dir)
{
    FILE *f = fopen(pack, "rb");
    char name[256];
    unsigned char *data;
    size_t len, count = 0;
    int r;

    if (f == NULL) {
        perror(pack);
        return 1;
    }
    if (!pack_is(f)) {
        fprintf(stderr, "%s: not a fuzz pack (no \"samla-fuzz-pack 1\" header)\n", pack);
        fclose(f);
        return 1;
    }
    while ((r = pack_next(f, pack, name, sizeof name, &data, &len)) == 1) {
        if (dir == NULL) {
            printf("%s %zu\n", name, len);
        } else {
            size_t plen = strlen(dir) + strlen(name) + 2;
            char *p = malloc(plen);
            FILE *o;

            if (p == NULL)
                abort();
            snprintf(p, plen, "%s/%s", dir, name);
            o = fopen(p, "wb");
            if (o == NULL || fwrite(data, 1, len, o) != len || fclose(o) != 0) {
                perror(p);
                r = -1;
            }
            free(p);
        }
        free(data);
        count++;
        if (r < 0)
            break;
    }
    fclose(f);
    if (r < 0)
        return 1;
    if (dir != NULL)
        printf("%s: %zu inputs into %s\n", pack, count, dir);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "pack") == 0)
        return do_pack(argv[2], argv + 3, argc - 3);
    if (argc == 4 && strcmp(argv[1], "unpack") == 0)
        return do_read(argv[2], argv[3]);
    if (argc == 3 && strcmp(argv[1], "list") == 0)
        return do_read(argv[2], NULL);
    fprintf(stderr, "usage: fuzzpack pack PACK DIR... | unpack PACK DIR | list PACK\n");
    return 1;
}
