/*
 * fuzz_csv - libFuzzer target for the CSV reader (csvio_read_mem), the
 * column finder (csvio_col) and the writer (csvio_out_*).
 *
 * Input: one option byte, then the file's bytes. The option byte picks
 *   bits 0-1  the separator: detect, ';', ',' or tab;
 *   bit 2     tiny limits (fields of 64 bytes, rows of 8 fields), so the
 *             limit errors are reached with small inputs;
 *   bit 3     refuse Windows-1252.
 *
 * Invariants checked:
 *   - every field is NUL-terminated, has no NUL inside and its stated
 *     length; every row has at least one field;
 *   - rows start on strictly increasing lines and offsets;
 *   - csvio_col gives a column >= 1 for every field and for "past the
 *     last field", and never reads outside the text (ASan);
 *   - a table that was read without errors, written back with csvio_out
 *     and read again with the same separator, gives the same rows and
 *     fields byte for byte (what samla writes, samla reads back exactly);
 *   - a failed read reports at least one error.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, long a, long b)
{
    fprintf(stderr, "fuzz_csv: %s (%ld, %ld)\n", what, a, b);
    abort();
}

static void check_table(const csvio_table *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        const csvio_row *r = &t->rows[i];

        if (r->n == 0 || r->f == NULL)
            fail("a row without fields", (long)i, (long)r->n);
        if (r->line < 1)
            fail("a row on line < 1", (long)i, r->line);
        if (i > 0 && (r->line <= t->rows[i - 1].line ||
                      r->offset <= t->rows[i - 1].offset))
            fail("rows out of order", (long)i, r->line);
        if (r->offset >= t->textlen)
            fail("row offset outside the text", (long)r->offset,
                 (long)t->textlen);
        for (size_t j = 0; j < r->n; j++) {
            const csvio_field *f = &r->f[j];

            if (f->s == NULL || f->s[f->len] != '\0' ||
                strlen(f->s) != f->len)
                fail("field not NUL-terminated or with a NUL inside",
                     (long)i, (long)j);
            if (csvio_col(t, r, j) < 1)
                fail("field without a column", (long)i, (long)j);
        }
        if (csvio_col(t, r, r->n) < 1)
            fail("no column past the last field", (long)i, (long)r->n);
    }
}

/* Write t with csvio_out, read it again, require the same cells. */
static void round_trip(const csvio_table *t, const csvio_opts *o)
{
    csvio_out out;
    csvio_table u;
    csvio_opts o2 = *o;
    diag_list dl;

    csvio_out_init(&out, t->sep, 1);
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->rows[i].n; j++)
            csvio_out_fieldn(&out, t->rows[i].f[j].s, t->rows[i].f[j].len);
        csvio_out_endrow(&out);
    }
    o2.sep = t->sep;
    diag_init(&dl);
    if (csvio_read_mem(&u, out.buf, out.len, "rt", &o2, &dl) != SAMLA_OK) {
        diag_print(&dl, stderr);
        fail("samla's own CSV output is refused", (long)out.len, 0);
    }
    if (u.nrows != t->nrows)
        fail("row count changed in the round trip", (long)t->nrows,
             (long)u.nrows);
    for (size_t i = 0; i < t->nrows; i++) {
        if (u.rows[i].n != t->rows[i].n)
            fail("field count changed in the round trip", (long)i,
                 (long)u.rows[i].n);
        for (size_t j = 0; j < t->rows[i].n; j++) {
            const csvio_field *a = &t->rows[i].f[j], *b = &u.rows[i].f[j];

            if (a->len != b->len || memcmp(a->s, b->s, a->len) != 0)
                fail("field changed in the round trip", (long)i, (long)j);
        }
    }
    check_table(&u);
    csvio_free(&u);
    diag_free(&dl);
    csvio_out_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char seps[4] = {0, ';', ',', '\t'};
    csvio_opts o = {0, 0, 0, 0};
    csvio_table t;
    diag_list dl;
    char *buf;
    int rc;

    if (size < 1)
        return 0;
    o.sep = seps[data[0] & 3];
    if (data[0] & 4) {
        o.max_field = 64;
        o.max_fields = 8;
    }
    o.refuse_cp1252 = (data[0] & 8) != 0;
    data++;
    size--;

    /* An exact-size copy: reading one byte too far is an ASan error. */
    buf = malloc(size ? size : 1);
    if (buf == NULL)
        return 0;
    if (size)
        memcpy(buf, data, size);
    diag_init(&dl);
    rc = csvio_read_mem(&t, buf, size, "fuzz.csv", &o, &dl);
    free(buf);
    if (rc != SAMLA_OK && diag_errors(&dl) == 0)
        fail("a failed read without an error", rc, 0);
    if (rc == SAMLA_OK && diag_errors(&dl) != 0)
        fail("errors reported but the read succeeded", rc,
             (long)diag_errors(&dl));
    if (t.sep != ';' && t.sep != ',' && t.sep != '\t')
        fail("unknown separator", t.sep, 0);
    if (rc == SAMLA_OK) {
        check_table(&t);
        round_trip(&t, &o);
    }
    csvio_free(&t);
    diag_free(&dl);
    return 0;
}
