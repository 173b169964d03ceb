/*
 * Unit tests for earmark balances and warnings (calc.c, check.c) and the
 * year close with its voucher manifest (book_write.c, check.c), on a small
 * book built in a temporary folder.
 *
 * Non-ASCII characters are spelled as UTF-8 byte escapes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "book.h"
#include "calc.h"
#include "check.h"
#include "manifest.h"

#define ae "\xC3\xA4" /* ä */

static char dir[64];

static void put(const char *file, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static dec_t *kr(dec_t *d, long ore)
{
    dec_set_ore(d, ore);
    return d;
}

/* A book: opening 1 000,00; income account 3510 and cost account 5010. */
static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/samla-unit-close.XXXXXX");
    assert_non_null(mkdtemp(dir));
    rmdir(dir); /* book_create wants a new folder */
    dec_t open;
    dec_init(&open);
    diag_list dl;
    diag_init(&dl);
    assert_int_equal(book_create(dir, "Test", "T", date_make(2025, 1, 1),
                                 kr(&open, 100000), NULL, &dl),
                     SAMLA_OK);
    diag_free(&dl);
    dec_clear(&open);
    put(BOOK_ACCOUNTS, "Konto;Namn;Typ\r\n3510;Bidrag;int" ae "kt\r\n"
                       "5010;L" "\xC3\xB6" "ner;kostnad\r\n");
    put(BOOK_FUNDERS, "Kod;Namn;Typ;Inv" "\xC3\xA5" "nare\r\nSTATEN;Staten;stat;\r\n");
    put(BOOK_ACTIVITIES, "Kod;Namn;Specifikation\r\nPROC;Processledare;nej\r\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void load(book *b)
{
    diag_list dl;
    diag_init(&dl);
    int rc = book_load(b, dir, &dl);
    if (rc != SAMLA_OK)
        diag_print(&dl, stderr);
    assert_int_equal(rc, SAMLA_OK);
    diag_free(&dl);
}

/* Append one entry; returns the number of warnings it produced. */
static size_t entry(book *b, int y, int m, int d, const char *account,
                    const char *code, const char *earmark, long ore,
                    int expect_rc)
{
    book_entry e;
    memset(&e, 0, sizeof e);
    e.date = date_make(y, m, d);
    e.year = y;
    e.ver = book_next_ver(b, y);
    e.account = book_account_find(b, account);
    int income = book_entry_kind(b, &e) == KIND_INCOME;
    e.activity = income ? -1 : book_activity_find(b, code);
    e.funder = income ? book_funder_find(b, code) : -1;
    e.earmark = earmark ? book_earmark_find(b, earmark) : -1;
    dec_init(&e.amount);
    dec_set_ore(&e.amount, ore);
    e.text = "t";
    e.doc = "";
    e.registered = "2026-01-15T10:00:00Z";
    e.user = "test";
    e.source = "add";
    e.fingerprint = "";
    diag_list dl;
    diag_init(&dl);
    assert_int_equal(book_append_entries(b, &e, 1, NULL, &dl), expect_rc);
    size_t warnings = dl.n - diag_errors(&dl);
    diag_free(&dl);
    dec_clear(&e.amount);
    return warnings;
}

static int decide(book *b, const char *code, book_earmark_kind kind,
                  book_earmark_event ev, int y, int m, int d, long ore)
{
    book_earmark def = {code, "purpose", kind, DATE_NONE, DATE_NONE,
                        "Samordningsgruppen", "1", date_make(y, m, d), 0};
    book_decision dc;
    memset(&dc, 0, sizeof dc);
    dc.earmark = book_earmark_find(b, code);
    dc.event = ev;
    dec_init(&dc.amount);
    dec_set_ore(&dc.amount, ore);
    dc.body = "Samordningsgruppen";
    dc.paragraph = "1";
    dc.registered = "2026-01-15T10:00:00Z";
    dc.user = "test";
    dc.date = date_make(y, m, d);
    diag_list dl;
    diag_init(&dl);
    int rc = book_append_decision(b, dc.earmark < 0 ? &def : NULL, &dc, NULL, &dl);
    diag_free(&dl);
    dec_clear(&dc.amount);
    return rc;
}

static void assert_ore(const dec_t *d, long ore)
{
    dec_t want;
    dec_init(&want);
    dec_set_ore(&want, ore);
    assert_int_equal(dec_cmp(d, &want), 0);
    dec_clear(&want);
}

static void test_earmarks(void **state)
{
    (void)state;
    book b;
    load(&b);
    entry(&b, 2025, 3, 1, "3510", "STATEN", NULL, 50000, SAMLA_OK);
    entry(&b, 2025, 4, 1, "5010", "PROC", NULL, 20000, SAMLA_OK);
    /* Surplus on 2025-05-01: 1 000 + 500 − 200 = 1 300. */
    assert_int_equal(decide(&b, "EM1", EARMARK_RESERVATION, EM_RESERVE, 2025,
                            5, 1, 80000),
                     SAMLA_OK);
    size_t nd = b.decisions.n;
    assert_int_equal(decide(&b, "EM2", EARMARK_RESERVATION, EM_RESERVE, 2025,
                            5, 1, 60000),
                     SAMLA_EDATA);
    assert_int_equal(b.decisions.n, nd); /* refused: b unchanged */
    assert_int_equal(book_earmark_find(&b, "EM2"), -1);

    /* A grant: income tagged adds, costs tagged draw. */
    assert_int_equal(decide(&b, "GR", EARMARK_GRANT, EM_RESERVE, 2025, 5, 2,
                            30000),
                     SAMLA_OK);
    entry(&b, 2025, 5, 3, "3510", "STATEN", "GR", 30000, SAMLA_OK);
    assert_int_equal(entry(&b, 2025, 5, 4, "5010", "PROC", "GR", 5000,
                           SAMLA_OK),
                     0);
    dec_t res, gr, fr, s;
    dec_init(&res);
    dec_init(&gr);
    dec_init(&fr);
    dec_init(&s);
    date_t d = date_make(2025, 5, 31);
    calc_earmarked_split_at(&b, d, &res, &gr);
    assert_ore(&res, 80000);
    assert_ore(&gr, 25000);
    calc_surplus_at(&b, d, &s);
    assert_ore(&s, 155000);
    calc_free_at(&b, d, &fr);
    assert_ore(&fr, 50000); /* 1 550 − 800 − 250: the grant is not free */

    /* Drawing more than remains: saved, with one warning. */
    assert_int_equal(entry(&b, 2025, 6, 1, "5010", "PROC", "EM1", 90000,
                           SAMLA_OK),
                     1);
    diag_list dl;
    diag_init(&dl);
    assert_int_equal(check_earmark_draws(&b, b.entries.n, &dl), 1);
    assert_non_null(strstr(dl.v[0].msg, "ver 2025:5"));
    assert_non_null(strstr(dl.v[0].msg, "EM1"));
    diag_free(&dl);

    /* An entry without its audit trail is refused. */
    book_entry e = b.entries.v[0];
    e.ver = book_next_ver(&b, 2025);
    e.registered = "";
    diag_init(&dl);
    assert_int_equal(book_append_entries(&b, &e, 1, NULL, &dl), SAMLA_EDATA);
    assert_non_null(strstr(dl.v[0].msg, "saknar Registrerad"));
    diag_free(&dl);

    dec_clear(&res);
    dec_clear(&gr);
    dec_clear(&fr);
    dec_clear(&s);
    book_free(&b);
}

static void test_close_manifest(void **state)
{
    (void)state;
    book b;
    load(&b);
    entry(&b, 2025, 3, 1, "3510", "STATEN", NULL, 50000, SAMLA_OK);
    entry(&b, 2025, 4, 1, "5010", "PROC", NULL, 20000, SAMLA_OK);
    entry(&b, 2026, 1, 10, "5010", "PROC", NULL, 100, SAMLA_OK);

    book_close c;
    memset(&c, 0, sizeof c);
    c.year = 2025;
    c.closed = 1;
    dec_init(&c.result);
    dec_init(&c.closing);
    dec_set_ore(&c.result, 30000);
    dec_set_ore(&c.closing, 130000);
    c.registered = "2026-01-15T10:00:00Z";
    c.user = "test";
    c.reason = "";
    diag_list dl;
    diag_init(&dl);
    assert_int_equal(book_append_close(&b, &c, NULL, &dl), SAMLA_OK);
    assert_int_equal(b.closes.n, 1);
    assert_int_equal(b.closes.v[0].count, 2);
    assert_int_equal(strlen(b.closes.v[0].hash), 64);
    /* Closing twice is refused. */
    assert_int_equal(book_append_close(&b, &c, NULL, &dl), SAMLA_EDATA);
    diag_free(&dl);
    book_free(&b);

    /* Read back: clean. The manifest's SHA-256 is the recorded one. */
    load(&b);
    assert_int_equal(book_year_closed(&b, 2025), 0);
    char name[32], hex[65];
    manifest_name(2025, name, sizeof name);
    assert_string_equal(name, "bokslut-2025.csv");
    char *path = book_path(&b, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    free(path);
    manifest_sha256_hex(buf, n, hex);
    assert_string_equal(hex, b.closes.v[0].hash);
    manifest_entry_hash(&b, &b.entries.v[1], hex);
    assert_non_null(strstr(buf, hex)); /* 2025:2's hash is listed */

    /* A change to 2025:2 in memory is named; 2026 is not concerned. */
    dec_set_ore(&b.entries.v[1].amount, 20001);
    diag_init(&dl);
    assert_int_equal(check_book_rules(&b, &dl), 1);
    assert_non_null(strstr(dl.v[0].msg, "ver 2025:2 har " ae "ndrats"));
    assert_non_null(strstr(dl.v[0].msg, "belopp"));
    diag_free(&dl);
    dec_set_ore(&b.entries.v[1].amount, 20000);
    dec_set_ore(&b.entries.v[2].amount, 99);
    diag_init(&dl);
    assert_int_equal(check_book_rules(&b, &dl), 0);
    diag_free(&dl);

    /* New entries into the closed year are refused, once per year. */
    book_entry e[2] = {b.entries.v[0], b.entries.v[1]};
    e[0].ver = book_next_ver(&b, 2025);
    e[1].ver = e[0].ver + 1;
    diag_init(&dl);
    assert_int_equal(check_new_entries(&b, e, 2, &dl), 1);
    assert_non_null(strstr(dl.v[0].msg, "2 poster"));
    diag_free(&dl);

    /* Reopen: the manifest is no longer checked. */
    c.closed = 0;
    c.hash = b.closes.v[0].hash;
    c.reason = "fel";
    diag_init(&dl);
    assert_int_equal(book_append_close(&b, &c, NULL, &dl), SAMLA_OK);
    assert_int_equal(book_year_closed(&b, 2025), -1);
    dec_set_ore(&b.entries.v[1].amount, 20001);
    assert_int_equal(check_book_rules(&b, &dl), 0);
    diag_free(&dl);

    dec_clear(&c.result);
    dec_clear(&c.closing);
    book_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_earmarks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_close_manifest, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
