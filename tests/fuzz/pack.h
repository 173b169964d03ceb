/*
 * pack.h - the fuzz corpus pack: every input of one target's corpus in one
 * file (tests/fuzz/corpus/TARGET.pack), as SQLite keeps its fuzzdata*.db,
 * so the repository holds a handful of files instead of thousands and the
 * replay reads one file per target.
 *
 * Format: a header line, then one record per input, in name order:
 *
 *     samla-fuzz-pack 1\n
 *     NAME SIZE\n  SIZE raw bytes  \n
 *     ...
 *
 * NAME has no space, newline or '/' (libFuzzer names inputs by their
 * SHA-1); SIZE is decimal. The header lines keep a pack readable with
 * `grep -a` and its diffs legible. Header-only: used by replay.c and
 * fuzzpack.c, each one file.
 */
#ifndef SAMLA_FUZZ_PACK_H
#define SAMLA_FUZZ_PACK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PACK_MAGIC "samla-fuzz-pack 1\n"
#define PACK_MAX_INPUT (64u << 20) /* no input is near this; a bound on a bad SIZE */

/* Is the file at f (positioned at its start) a pack? Leaves f after the
 * header when it is, at the start otherwise. */
static int pack_is(FILE *f)
{
    char head[sizeof PACK_MAGIC];
    size_t n = fread(head, 1, sizeof PACK_MAGIC - 1, f);

    if (n == sizeof PACK_MAGIC - 1 && memcmp(head, PACK_MAGIC, n) == 0)
        return 1;
    rewind(f);
    return 0;
}

/* Read the next record of a pack: its name into name[size] and its bytes
 * into *data (malloc'd, exactly *len bytes; the caller frees). Returns 1
 * for a record, 0 at the end, -1 for a malformed pack (message on stderr). */
static int pack_next(FILE *f, const char *path, char *name, size_t size,
                     unsigned char **data, size_t *len)
{
    char line[512];
    unsigned long n;
    char *sp, *end;

    *data = NULL;
    *len = 0;
    if (fgets(line, sizeof line, f) == NULL)
        return ferror(f) ? (perror(path), -1) : 0;
    sp = strchr(line, ' ');
    if (sp == NULL || sp == line || (size_t)(sp - line) >= size ||
        strchr(line, '/') != NULL) {
        fprintf(stderr, "%s: malformed record header: %.60s\n", path, line);
        return -1;
    }
    n = strtoul(sp + 1, &end, 10);
    if (end == sp + 1 || *end != '\n' || n > PACK_MAX_INPUT) {
        fprintf(stderr, "%s: malformed size in: %.60s\n", path, line);
        return -1;
    }
    memcpy(name, line, (size_t)(sp - line));
    name[sp - line] = '\0';
    /* An exact-size buffer, as libFuzzer passes: overreads are caught. */
    *data = malloc(n ? n : 1);
    if (*data == NULL) {
        fprintf(stderr, "%s: out of memory\n", path);
        return -1;
    }
    if (fread(*data, 1, n, f) != n || fgetc(f) != '\n') {
        fprintf(stderr, "%s: %s is cut short\n", path, name);
        free(*data);
        *data = NULL;
        return -1;
    }
    *len = n;
    return 1;
}

#endif
