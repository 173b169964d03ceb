/*
 * fuzz_sie - libFuzzer target for the SIE reader (sie_read_mem and the
 * records, lexer and checksum behind it) and the view the import maps
 * (sie_view_build, sie_view_col, sie_view_source).
 *
 * Input: the SIE file's bytes, read with #FORMAT's or the recognised
 * encoding; an input whose first byte is 0x01, 0x02 or 0x03 is the rest of
 * it read with the encoding forced (UTF-8, Windows-1252, code page 437), as
 * the rules' `kodning` does.
 *
 * Invariants:
 *   - the reader returns SAMLA_OK exactly when it reported no error;
 *   - reading the same bytes again gives the same result and messages;
 *   - a file read without error has: every voucher's #TRANS (and #RTRANS)
 *     rows summing to zero, every object-list dimension declared, every
 *     voucher's rows inside the file's rows, a checksum only when #KSUMMA
 *     was there and matched, valid UTF-8 text everywhere;
 *   - its views have a header and one row per transaction (#BTRANS left
 *     out) or budget record, each row as wide as the header, each amount a
 *     canonical "-1234.50" that parses back exactly, each field placed at a
 *     column inside its line;
 *   - everything is freed (LeakSanitizer).
 *
 * FUZZ_DEBUG=1 prints the diagnostics of each input (to check a seed).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvio.h"
#include "sie.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const diag_list *dl)
{
    if (dl)
        diag_print(dl, stderr);
    fprintf(stderr, "fuzz_sie: %s\n", what);
    abort();
}

static void check_view(const sie_file *f, sie_view_kind kind,
                       const char *text, size_t len)
{
    sie_view v;
    if (sie_view_build(&v, f, kind) != SAMLA_OK)
        fail("sie_view_build failed on a file read without error", NULL);
    size_t want = 0;
    if (kind == SIE_VIEW_TRANSACTIONS) {
        for (size_t i = 0; i < f->vouchers.n; i++)
            for (size_t k = 0; k < f->vouchers.v[i].ntrans; k++)
                want += f->trans.v[f->vouchers.v[i].trans0 + k].kind !=
                        SIE_BTRANS;
    } else {
        for (size_t i = 0; i < f->balances.n; i++)
            want += f->balances.v[i].kind == SIE_PBUDGET ||
                    f->balances.v[i].kind == SIE_BUDGET;
    }
    if (v.t.nrows != want + 1)
        fail("the view does not have one row per record", NULL);
    const csvio_row *h = &v.t.rows[0];
    int amount = -1;
    for (size_t c = 0; c < h->n; c++)
        if (!strcmp(h->f[c].s, "Belopp"))
            amount = (int)c;
    if (amount < 0 || h->n != v.ncols)
        fail("the view's header lacks Belopp or has the wrong width", NULL);
    long lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    for (size_t r = 1; r < v.t.nrows; r++) {
        const csvio_row *row = &v.t.rows[r];
        if (row->n != h->n)
            fail("a view row is not as wide as its header", NULL);
        if (row->line < 1 || row->line > lines)
            fail("a view row's line is outside the file", NULL);
        for (size_t c = 0; c < row->n; c++) {
            if (!row->f[c].s || strlen(row->f[c].s) != row->f[c].len ||
                !text_utf8_valid(row->f[c].s, row->f[c].len))
                fail("a view field is not valid UTF-8 of its length", NULL);
            long col = sie_view_col(&v, row, c);
            if (col < 0 || col > (long)len + 1)
                fail("a view field's column is outside its line", NULL);
        }
        const char *a = row->f[amount].s;
        dec_t d;
        dec_error e;
        dec_init(&d);
        if (dec_parse(&d, a, strlen(a), &e) != 0)
            fail("a view amount does not parse", NULL);
        char *back = dec_to_string(&d);
        if (strcmp(back, a) != 0)
            fail("a view amount is not canonical", NULL);
        free(back);
        dec_clear(&d);
        const char *src = sie_view_source(&v, row);
        if (!src || !text_utf8_valid(src, strlen(src)))
            fail("a view row's source is not UTF-8", NULL);
    }
    sie_view_free(&v);
}

static void check_file(const sie_file *f, const char *text, size_t len)
{
    for (size_t i = 0; i < f->vouchers.n; i++) {
        const sie_voucher *v = &f->vouchers.v[i];
        if (v->trans0 + v->ntrans > f->trans.n)
            fail("a voucher's rows run past the file's rows", NULL);
        dec_t sum;
        dec_init(&sum);
        for (size_t k = 0; k < v->ntrans; k++)
            if (f->trans.v[v->trans0 + k].kind != SIE_BTRANS)
                dec_add(&sum, &sum, &f->trans.v[v->trans0 + k].amount);
        if (!dec_is_zero(&sum))
            fail("a voucher read without error does not balance", NULL);
        dec_clear(&sum);
        if (v->date == DATE_NONE)
            fail("a voucher read without error has no date", NULL);
    }
    for (size_t i = 0; i < f->objrefs.n; i++)
        if (!sie_dim_find(f, f->objrefs.v[i].dim))
            fail("an undeclared dimension was accepted", NULL);
    for (size_t i = 0; i < f->accounts.n; i++)
        if (!text_utf8_valid(f->accounts.v[i].name,
                              strlen(f->accounts.v[i].name)))
            fail("an account name is not UTF-8", NULL);
    if (f->has_checksum && !memmem(text, len, "#KSUMMA", 7))
        fail("a checksum without #KSUMMA", NULL);
    check_view(f, SIE_VIEW_TRANSACTIONS, text, len);
    check_view(f, SIE_VIEW_BUDGET, text, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sie_encoding enc = SIE_ENC_AUTO;
    if (size && data[0] >= 1 && data[0] <= 3) {
        enc = (sie_encoding)data[0];
        data++;
        size--;
    }
    const char *text = (const char *)data;
    diag_list dl, dl2;
    sie_file f, g;
    diag_init(&dl);
    diag_init(&dl2);
    int rc = sie_read_mem(&f, text, size, "fuzz.se", enc, &dl);
    if ((rc == SAMLA_OK) != (diag_errors(&dl) == 0))
        fail("sie_read_mem disagrees with its diagnostics", &dl);
    int rc2 = sie_read_mem(&g, text, size, "fuzz.se", enc, &dl2);
    if (rc2 != rc || dl2.n != dl.n || f.trans.n != g.trans.n ||
        f.vouchers.n != g.vouchers.n || f.checksum != g.checksum)
        fail("reading the same bytes twice differs", &dl);
    for (size_t i = 0; i < dl.n; i++)
        if (strcmp(dl.v[i].msg, dl2.v[i].msg) || dl.v[i].line != dl2.v[i].line ||
            dl.v[i].col != dl2.v[i].col)
            fail("reading the same bytes twice gives other messages", &dl);
    if (rc == SAMLA_OK)
        check_file(&f, text, size);
    if (getenv("FUZZ_DEBUG"))
        diag_print(&dl, stderr);
    sie_free(&f);
    sie_free(&g);
    diag_free(&dl);
    diag_free(&dl2);
    return 0;
}
