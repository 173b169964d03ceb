/*
 * Unit tests for the journal snapshot (book_snap.c): a second load of an
 * unchanged book takes the journal from the snapshot and gives exactly the
 * book and the diagnostics of reading the CSV; any change to a book file,
 * a file added, and a corrupt, truncated or foreign snapshot all make the
 * load read the CSV again (and give the CSV's figures), and a book with
 * errors gets no snapshot. The diagnostics of a load (here the note that
 * a journal was read as Windows-1252) come back from the snapshot as they
 * were, naming the book by the path it was opened with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "book.h"
#include "book_priv.h"

typedef struct {
    char dir[128];
    char snap[192];
} scratch;

static int setup(void **state)
{
    scratch *sc = calloc(1, sizeof *sc);
    if (!sc)
        return -1;
    snprintf(sc->dir, sizeof sc->dir, "/tmp/samla-snap-XXXXXX");
    if (!mkdtemp(sc->dir)) {
        free(sc);
        return -1;
    }
    const char *root = getenv("ROOT");
    char cmd[512];
    /* The example book without any cache it may carry. */
    snprintf(cmd, sizeof cmd,
             "cp -R '%s/ledgers/samla/.' '%s/' && rm -rf '%s/.samla-cache'",
             root && *root ? root : ".", sc->dir, sc->dir);
    if (system(cmd) != 0) {
        free(sc);
        return -1;
    }
    snprintf(sc->snap, sizeof sc->snap, "%s/.samla-cache/verifikationer.snap",
             sc->dir);
    *state = sc;
    return 0;
}

static int teardown(void **state)
{
    scratch *sc = *state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", sc->dir);
    int rc = system(cmd);
    free(sc);
    return rc == 0 ? 0 : -1;
}

/* Load the book; *snapped tells whether the journal came from the
 * snapshot; the diagnostics, as printed, go to *diags (malloc'd). */
static int load(const scratch *sc, book *b, int *snapped, char **diags)
{
    diag_list dl;
    diag_init(&dl);
    int rc = book_load(b, sc->dir, &dl);
    *snapped = book_priv_of(b)->from_snapshot;
    size_t len = 0;
    FILE *f = open_memstream(diags, &len);
    assert_non_null(f);
    diag_print(&dl, f);
    fclose(f);
    diag_free(&dl);
    return rc;
}

static int same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Every field of every entry, and the voucher index. */
static void assert_same_journal(const book *x, const book *y)
{
    assert_int_equal(x->entries.n, y->entries.n);
    for (size_t i = 0; i < x->entries.n; i++) {
        const book_entry *a = &x->entries.v[i], *b = &y->entries.v[i];
        assert_int_equal(a->year, b->year);
        assert_int_equal(a->ver, b->ver);
        assert_int_equal(a->date, b->date);
        assert_int_equal(a->account, b->account);
        assert_int_equal(a->activity, b->activity);
        assert_int_equal(a->funder, b->funder);
        assert_int_equal(a->earmark, b->earmark);
        assert_int_equal(dec_cmp(&a->amount, &b->amount), 0);
        assert_int_equal(a->corr_year, b->corr_year);
        assert_int_equal(a->corr_ver, b->corr_ver);
        assert_int_equal(a->line, b->line);
        assert_true(same_text(a->text, b->text));
        assert_true(same_text(a->doc, b->doc));
        assert_true(same_text(a->registered, b->registered));
        assert_true(same_text(a->user, b->user));
        assert_true(same_text(a->source, b->source));
        assert_true(same_text(a->fingerprint, b->fingerprint));
        assert_int_equal(book_entry_find(x, a->year, a->ver),
                         book_entry_find(y, b->year, b->ver));
        assert_int_equal(book_entry_find(y, b->year, b->ver), (long)i);
    }
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void test_second_load_is_the_same_book(void **state)
{
    scratch *sc = *state;
    book cold, warm;
    int s1, s2;
    char *d1, *d2;
    assert_int_equal(load(sc, &cold, &s1, &d1), SAMLA_OK);
    assert_int_equal(s1, 0);
    assert_true(exists(sc->snap));
    assert_int_equal(load(sc, &warm, &s2, &d2), SAMLA_OK);
    assert_int_equal(s2, 1);
    assert_true(cold.entries.n > 100);
    assert_same_journal(&cold, &warm);
    assert_string_equal(d1, d2); /* the same warnings, in the same order */
    /* The cache folder ignores itself for git. */
    char gi[256];
    snprintf(gi, sizeof gi, "%s/.samla-cache/.gitignore", sc->dir);
    assert_true(exists(gi));
    book_free(&cold);
    book_free(&warm);
    free(d1);
    free(d2);
}

/* Replace the first occurrence of `from` in a file of the book by `to`
 * (same length, so only content changes, not the size). */
static void edit_file(const scratch *sc, const char *file, const char *from,
                      const char *to)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", sc->dir, file);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, m);
    fclose(m);
    char *at = strstr(buf, from);
    assert_non_null(at);
    assert_int_equal(strlen(from), strlen(to));
    memcpy(at, to, strlen(to));
    rewind(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    fclose(f);
    free(buf);
}

/* The amount of the entry whose text is `text`, as a string. */
static char *amount_of(const book *b, const char *text)
{
    for (size_t i = 0; i < b->entries.n; i++)
        if (strcmp(b->entries.v[i].text, text) == 0)
            return dec_to_string(&b->entries.v[i].amount);
    return NULL;
}

static void test_any_change_reads_the_csv(void **state)
{
    scratch *sc = *state;
    book b;
    int snapped;
    char *d;
    assert_int_equal(load(sc, &b, &snapped, &d), SAMLA_OK);
    free(d);
    /* An entry's text and amount as the CSV has them. */
    const book_entry *e = &b.entries.v[b.entries.n / 2];
    char text[256];
    snprintf(text, sizeof text, "%s", e->text);
    char *before = dec_to_string(&e->amount);
    book_free(&b);

    /* One digit of one amount, same length: a byte the reader must see.
     * The stored form is "1234,56"; find it in the file. */
    char *stored = strdup(before);
    for (char *p = stored; *p; p++)
        if (*p == '.')
            *p = ',';
    char changed[64];
    snprintf(changed, sizeof changed, "%s", stored);
    size_t n = strlen(changed);
    changed[n - 1] = changed[n - 1] == '9' ? '8' : (char)(changed[n - 1] + 1);
    edit_file(sc, "verifikationer.csv", stored, changed);

    assert_int_equal(load(sc, &b, &snapped, &d), SAMLA_OK);
    free(d);
    assert_int_equal(snapped, 0);
    char *after = amount_of(&b, text);
    assert_non_null(after);
    assert_string_not_equal(after, before);
    book_free(&b);
    /* ... and the next load takes the new snapshot, with the new amount. */
    assert_int_equal(load(sc, &b, &snapped, &d), SAMLA_OK);
    free(d);
    assert_int_equal(snapped, 1);
    char *again = amount_of(&b, text);
    assert_string_equal(again, after);
    book_free(&b);

    /* A change in a small file (an account's name) counts too. */
    edit_file(sc, "konton.csv", "Lön", "LÖn");
    assert_int_equal(load(sc, &b, &snapped, &d), SAMLA_OK);
    free(d);
    assert_int_equal(snapped, 0);
    book_free(&b);

    /* So does a new CSV file in the folder. */
    char extra[256];
    snprintf(extra, sizeof extra, "%s/extra.csv", sc->dir);
    FILE *f = fopen(extra, "w");
    assert_non_null(f);
    fputs("a;b\r\n", f);
    fclose(f);
    assert_int_equal(load(sc, &b, &snapped, &d), SAMLA_OK);
    free(d);
    assert_int_equal(snapped, 0);
    book_free(&b);
    free(before);
    free(after);
    free(again);
    free(stored);
}

/* Damage the snapshot with `how`; the next load must read the CSV and give
 * the same book, and the one after that a whole snapshot again. */
static void damaged(scratch *sc, void (*how)(const char *path))
{
    book ref, b;
    int snapped;
    char *d0, *d;
    assert_int_equal(load(sc, &ref, &snapped, &d0), SAMLA_OK);
    assert_true(exists(sc->snap));
    how(sc->snap);
    assert_int_equal(load(sc, &b, &snapped, &d), SAMLA_OK);
    assert_int_equal(snapped, 0);
    assert_same_journal(&ref, &b);
    assert_string_equal(d, d0);
    book_free(&b);
    free(d);
    assert_int_equal(load(sc, &b, &snapped, &d), SAMLA_OK);
    assert_int_equal(snapped, 1);
    assert_same_journal(&ref, &b);
    book_free(&b);
    book_free(&ref);
    free(d);
    free(d0);
}

static long file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (long)st.st_size;
}

static void flip_middle(const char *path)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    long at = file_size(path) / 2;
    fseek(f, at, SEEK_SET);
    int c = fgetc(f);
    fseek(f, at, SEEK_SET);
    fputc(c ^ 0x10, f);
    fclose(f);
}

static void flip_last(const char *path)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    long at = file_size(path) - 1;
    fseek(f, at, SEEK_SET);
    int c = fgetc(f);
    fseek(f, at, SEEK_SET);
    fputc(c ^ 0x01, f);
    fclose(f);
}

static void truncate_half(const char *path)
{
    assert_int_equal(truncate(path, file_size(path) / 2), 0);
}

static void garbage(const char *path)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 100000; i++)
        fputc((i * 7919) & 0xFF, f);
    fclose(f);
}

static void empty(const char *path)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fclose(f);
}

static void test_corrupt_snapshot_costs_only_speed(void **state)
{
    scratch *sc = *state;
    damaged(sc, flip_middle);
    damaged(sc, flip_last);
    damaged(sc, truncate_half);
    damaged(sc, garbage);
    damaged(sc, empty);
}

static void test_book_with_errors_gets_no_snapshot(void **state)
{
    scratch *sc = *state;
    book b;
    int snapped;
    char *d1, *d2;
    /* An entry on an account that does not exist. */
    edit_file(sc, "verifikationer.csv", ";5010;", ";5019;");
    assert_int_equal(load(sc, &b, &snapped, &d1), SAMLA_EDATA);
    book_free(&b);
    assert_int_equal(exists(sc->snap), 0);
    assert_non_null(strstr(d1, "okänt konto \"5019\""));
    /* The second load reports exactly the same. */
    assert_int_equal(load(sc, &b, &snapped, &d2), SAMLA_EDATA);
    assert_int_equal(snapped, 0);
    assert_string_equal(d1, d2);
    book_free(&b);
    free(d1);
    free(d2);
}

/* The diagnostics of reading the journal come back from the snapshot, in
 * their place, naming the file by the path the book was opened with. A
 * Windows-1252 journal gives a note. */
static void test_diagnostics_come_back(void **state)
{
    scratch *sc = *state;
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && tail -c +4 verifikationer.csv | iconv -f UTF-8 -t "
             "WINDOWS-1252 > v.tmp && mv v.tmp verifikationer.csv",
             sc->dir);
    assert_int_equal(system(cmd), 0);
    book b;
    int snapped;
    char *d1, *d2, *d3;
    assert_int_equal(load(sc, &b, &snapped, &d1), SAMLA_OK);
    assert_int_equal(snapped, 0);
    book_free(&b);
    assert_non_null(strstr(d1, "lästes som Windows-1252"));
    assert_int_equal(load(sc, &b, &snapped, &d2), SAMLA_OK);
    assert_int_equal(snapped, 1);
    book_free(&b);
    assert_string_equal(d1, d2);

    /* The same book by another path: the messages name that path. */
    scratch other = *sc;
    assert_true(snprintf(other.dir, sizeof other.dir, "%s/.", sc->dir) <
                (int)sizeof other.dir);
    assert_int_equal(load(&other, &b, &snapped, &d3), SAMLA_OK);
    assert_int_equal(snapped, 1);
    book_free(&b);
    char want[256];
    snprintf(want, sizeof want, "%s/./verifikationer.csv", sc->dir);
    assert_non_null(strstr(d3, want));
    free(d1);
    free(d2);
    free(d3);
}

/* A save cut short leaves a temporary file; the next save removes it when
 * its process is gone, and leaves a living process's alone. */
static void test_stale_temporary_files_are_removed(void **state)
{
    scratch *sc = *state;
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0)
        _exit(0);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    char cache[256], dead[300], alive[300];
    snprintf(cache, sizeof cache, "%s/.samla-cache", sc->dir);
    assert_int_equal(mkdir(cache, 0777), 0);
    snprintf(dead, sizeof dead, "%s/verifikationer.snap.%ld.tmp", cache,
             (long)child);
    snprintf(alive, sizeof alive, "%s/verifikationer.snap.%ld.tmp", cache,
             (long)getppid());
    FILE *f = fopen(dead, "w");
    assert_non_null(f);
    fclose(f);
    f = fopen(alive, "w");
    assert_non_null(f);
    fclose(f);
    book b;
    int snapped;
    char *d;
    assert_int_equal(load(sc, &b, &snapped, &d), SAMLA_OK);
    book_free(&b);
    free(d);
    assert_true(exists(sc->snap));
    assert_int_equal(exists(dead), 0);
    assert_int_equal(exists(alive), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_second_load_is_the_same_book,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_any_change_reads_the_csv, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_corrupt_snapshot_costs_only_speed,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_book_with_errors_gets_no_snapshot,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_diagnostics_come_back, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_stale_temporary_files_are_removed,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
