/*
 * Unit tests for the sie module: CRC-32 against its standard check value,
 * code page 437 against iconv's, a hand-written file with every tag read
 * into exact values, each fault named with its line and column, the
 * encodings (PC8, UTF-8 and Windows-1252 recognised, forced ones), #KSUMMA
 * (its value computed by Python's zlib.crc32 over the summed contents), and
 * the rows the import sees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <iconv.h>

#include "sie.h"
#include "sie_priv.h"
#include "text.h"

static int read_text(sie_file *f, const char *text, sie_encoding enc,
                     diag_list *dl)
{
    diag_init(dl);
    return sie_read_mem(f, text, strlen(text), "t.se", enc, dl);
}

static void test_crc(void **state)
{
    (void)state;
    /* The CRC-32 check value (ISO 3309 / zlib) of "123456789". */
    assert_int_equal(sie_crc32(0, "123456789", 9), 0xCBF43926u);
    assert_int_equal(sie_crc32(0, "", 0), 0);
    /* Continuing equals summing at once. */
    assert_int_equal(sie_crc32(sie_crc32(0, "1234", 4), "56789", 5),
                     0xCBF43926u);
}

static void test_cp437(void **state)
{
    (void)state;
    /* Every byte against glibc's own table of code page 437. */
    iconv_t cd = iconv_open("UTF-32LE", "CP437");
    assert_true(cd != (iconv_t)-1);
    for (unsigned b = 0x80; b <= 0xFF; b++) {
        char in = (char)b, *ip = &in;
        unsigned char out[4];
        char *op = (char *)out;
        size_t il = 1, ol = 4;
        assert_int_not_equal(iconv(cd, &ip, &il, &op, &ol), (size_t)-1);
        unsigned cp = out[0] | out[1] << 8 | out[2] << 16 | (unsigned)out[3] << 24;
        assert_int_equal(text_cp437_char((unsigned char)b), cp);
        assert_int_equal(text_cp437_byte(cp), (int)b);
    }
    iconv_close(cd);
    assert_int_equal(text_cp437_byte(0x2013), -1); /* – is not in it */
}

/* A file with every record samla reads, and some it reads past. */
static const char every_tag[] =
    "#FLAGGA 0\r\n"
    "#PROGRAM \"Ekonomisystem\" 6.3\r\n"
    "#FORMAT PC8\r\n"
    "#GEN 20260112 \"ekonomi\"\r\n"
    "#SIETYP 4\r\n"
    "#FNR 17\r\n"
    "#ORGNR 212000-1512\r\n"
    "#ADRESS \"Kontakt\" \"Gatan 1\" \"441 81 Alings\x86s\" \"0322-61 60 00\"\r\n"
    "#FNAMN \"Alings\x86s kommun\"\r\n"
    "#RAR 0 20250101 20251231\r\n"
    "#RAR -1 20240101 20241231\r\n"
    "#TAXAR 2026\r\n"
    "#KPTYP KOMMUNBAS\r\n"
    "#VALUTA SEK\r\n"
    "#DIM 1 \"Ansvar\"\r\n"
    "#UNDERDIM 2 \"Kostnadsb\x84rare\" 1\r\n"
    "#DIM 6 \"Projekt\"\r\n"
    "#OBJEKT 1 \"51200\" \"V\x86rdsamverkan\"\r\n"
    "#OBJEKT 2 \"K1\" \"B\x84rare\"\r\n"
    "#OBJEKT 6 \"SAMLA-SMM\" \"Socialmedicinsk mottagning\"\r\n"
    "#KONTO 2440 \"Leverant\x94rsskulder\"\r\n"
    "#KTYP 2440 S\r\n"
    "#KONTO 4621 \"K\x94p av verksamhet\"\r\n"
    "#KTYP 4621 K\r\n"
    "#SRU 4621 7513\r\n"
    "#IB 0 2440 -1000.50\r\n"
    "#UB 0 2440 -2000.00 0\r\n"
    "#OIB 0 4621 {6 \"SAMLA-SMM\"} 10.00\r\n"
    "#OUB 0 4621 {6 \"SAMLA-SMM\"} 20.00\r\n"
    "#RES 0 4621 138083.33\r\n"
    "#PSALDO 0 202510 4621 {} 38083.33\r\n"
    "#PBUDGET 0 202510 4621 {6 \"SAMLA-SMM\"} 40000.00\r\n"
    "#BUDGET 0 4621 480000.00\r\n"
    "#VER \"L\" 412877 20251031 \"Socionom \\\"oktober\\\"\" 20251105 \"anna\"\r\n"
    "{\r\n"
    "   #TRANS 4621 {1 \"51200\" 6 \"SAMLA-SMM\"} 38083.33\r\n"
    "   #TRANS 2440 {} -38083.33 20251101 \"Lev \x86\x84\x94\x8F\x8E\x99\"\r\n"
    "   #BTRANS 4621 {} 99.00 \"\" \"borttagen\" 0 \"bertil\"\r\n"
    "   #RTRANS 4621 {2 \"K1\"} 100.00 \"\" \"till\"\r\n"
    "   #TRANS 4621 {2 \"K1\"} 100.00 \"\" \"till\"\r\n"
    "   #TRANS 2440 {} -100.00\r\n"
    "   #FUTURE ignored\r\n"
    "}\r\n"
    "#VER \"\" \"\" 20251231\r\n"
    "{\r\n"
    "}\r\n"
    "#NYPOST 1 2 3\r\n";

static void test_every_tag(void **state)
{
    (void)state;
    sie_file f;
    diag_list dl;
    int rc = read_text(&f, every_tag, SIE_ENC_AUTO, &dl);
    if (rc != SAMLA_OK)
        diag_print(&dl, stderr);
    assert_int_equal(rc, SAMLA_OK);
    assert_int_equal(dl.n, 0);
    assert_int_equal(f.encoding, SIE_ENC_CP437);
    assert_int_equal(f.flag, 0);
    assert_int_equal(f.type, 4);
    assert_string_equal(f.program, "Ekonomisystem");
    assert_string_equal(f.format, "PC8");
    assert_string_equal(f.company, "Alingsås kommun");
    assert_string_equal(f.orgnr, "212000-1512");
    assert_string_equal(f.currency, "SEK");
    assert_int_equal(f.generated, date_make(2026, 1, 12));
    assert_int_equal(f.years.n, 2);
    assert_int_equal(sie_year_of(&f, 0), 2025);
    assert_int_equal(sie_year_of(&f, -1), 2024);
    assert_int_equal(sie_year_of(&f, -2), -1);
    assert_int_equal(f.dims.n, 3);
    assert_int_equal(f.dims.v[1].number, 2);
    assert_int_equal(f.dims.v[1].super, 1);
    assert_string_equal(f.dims.v[1].name, "Kostnadsbärare");
    assert_int_equal(f.objects.n, 3);
    assert_string_equal(f.objects.v[0].name, "Vårdsamverkan");
    assert_int_equal(f.accounts.n, 2);
    assert_string_equal(f.accounts.v[0].name, "Leverantörsskulder");
    assert_string_equal(f.accounts.v[0].type, "S");
    assert_string_equal(f.accounts.v[1].type, "K");
    /* Balances, each with its exact amount. */
    static const struct {
        sie_balance_kind kind;
        int period;
        const char *amount;
        size_t nobj;
    } bal[] = {{SIE_IB, 0, "-1000.50", 0},      {SIE_UB, 0, "-2000.00", 0},
               {SIE_OIB, 0, "10.00", 1},        {SIE_OUB, 0, "20.00", 1},
               {SIE_RES, 0, "138083.33", 0},    {SIE_PSALDO, 202510, "38083.33", 0},
               {SIE_PBUDGET, 202510, "40000.00", 1}, {SIE_BUDGET, 0, "480000.00", 0}};
    assert_int_equal(f.balances.n, 8);
    for (size_t i = 0; i < 8; i++) {
        char *s = dec_to_string(&f.balances.v[i].amount);
        assert_int_equal(f.balances.v[i].kind, bal[i].kind);
        assert_int_equal(f.balances.v[i].period, bal[i].period);
        assert_string_equal(s, bal[i].amount);
        assert_int_equal(f.balances.v[i].nobj, bal[i].nobj);
        free(s);
    }
    /* Vouchers: the #RTRANS and its twin #TRANS are one row, the #BTRANS
     * is kept as removed, unknown labels inside are read past. */
    assert_int_equal(f.vouchers.n, 2);
    const sie_voucher *v = &f.vouchers.v[0];
    assert_string_equal(v->series, "L");
    assert_string_equal(v->number, "412877");
    assert_string_equal(v->text, "Socionom \"oktober\"");
    assert_string_equal(v->sign, "anna");
    assert_int_equal(v->date, date_make(2025, 10, 31));
    assert_int_equal(v->registered, date_make(2025, 11, 5));
    assert_int_equal(v->ntrans, 5);
    const sie_trans *t = &f.trans.v[v->trans0];
    assert_int_equal(t[0].kind, SIE_TRANS);
    assert_int_equal(t[0].nobj, 2);
    assert_int_equal(f.objrefs.v[t[0].obj0 + 1].dim, 6);
    assert_string_equal(f.objrefs.v[t[0].obj0 + 1].code, "SAMLA-SMM");
    assert_int_equal(t[0].col_amount, 42);
    assert_int_equal(t[0].date, DATE_NONE);
    assert_string_equal(t[0].text, "");
    assert_int_equal(t[1].date, date_make(2025, 11, 1));
    assert_string_equal(t[1].text, "Lev åäöÅÄÖ");
    assert_int_equal(t[2].kind, SIE_BTRANS);
    assert_int_equal(t[3].kind, SIE_RTRANS);
    assert_int_equal(t[3].line, 39);
    assert_int_equal(t[3].twin, 40);
    assert_int_equal(t[4].kind, SIE_TRANS);
    assert_int_equal(t[4].line, 41);
    assert_string_equal(t[1].source,
                        "#TRANS 2440 {} -38083.33 20251101 \"Lev åäöÅÄÖ\"");
    /* 4I: a voucher without series and number, and without rows. */
    assert_string_equal(f.vouchers.v[1].number, "");
    assert_int_equal(f.vouchers.v[1].ntrans, 0);

    /* The rows the import sees. */
    sie_view vw;
    assert_int_equal(sie_view_build(&vw, &f, SIE_VIEW_TRANSACTIONS), SAMLA_OK);
    assert_int_equal(vw.t.nrows, 5); /* header + 4: the #BTRANS is gone */
    const char *want_head[] = {"Datum", "Konto", "Belopp", "Text", "Serie",
                               "Verifikation", "Vertext", "Transtext",
                               "Objekt:1", "Objekt:2", "Objekt:6"};
    assert_int_equal(vw.t.rows[0].n, 11);
    for (size_t k = 0; k < 11; k++)
        assert_string_equal(vw.t.rows[0].f[k].s, want_head[k]);
    const char *want_row1[] = {"2025-10-31", "4621", "38083.33",
                               "Socionom \"oktober\"", "L", "L 412877",
                               "Socionom \"oktober\"", "", "51200", "",
                               "SAMLA-SMM"};
    for (size_t k = 0; k < 11; k++)
        assert_string_equal(vw.t.rows[1].f[k].s, want_row1[k]);
    assert_int_equal(vw.t.rows[1].line, 36);
    assert_int_equal(sie_view_col(&vw, &vw.t.rows[1], 1), 11);
    assert_int_equal(sie_view_col(&vw, &vw.t.rows[1], 0), 0); /* the #VER's */
    assert_string_equal(vw.t.rows[2].f[0].s, "2025-11-01");
    assert_string_equal(vw.t.rows[2].f[3].s, "Lev åäöÅÄÖ");
    assert_string_equal(vw.t.rows[3].f[2].s, "100.00");
    assert_string_equal(vw.t.rows[3].f[9].s, "K1");
    assert_int_equal(vw.t.rows[3].line, 39);
    assert_true(sie_view_sparse_column("Objekt:6"));
    assert_false(sie_view_sparse_column("Konto"));
    sie_view_free(&vw);

    assert_int_equal(sie_view_build(&vw, &f, SIE_VIEW_BUDGET), SAMLA_OK);
    assert_int_equal(vw.t.nrows, 3);
    const char *want_b1[] = {"2025", "2025-10", "2025-10-31", "4621",
                             "40000.00", "PBUDGET", "", "", "", "", "SAMLA-SMM"};
    for (size_t k = 0; k < 11; k++)
        assert_string_equal(vw.t.rows[1].f[k].s, want_b1[k]);
    const char *want_b2[] = {"2025", "", "2025-12-31", "4621", "480000.00",
                             "BUDGET", "", "", "", "", ""};
    for (size_t k = 0; k < 11; k++)
        assert_string_equal(vw.t.rows[2].f[k].s, want_b2[k]);
    sie_view_free(&vw);
    sie_free(&f);
    diag_free(&dl);
}

#define HEAD "#FLAGGA 0\n#SIETYP 4\n#DIM 6 \"Projekt\"\n#OBJEKT 6 \"P1\" \"P\"\n"

/* Each fault, with the line, column and start of its message. */
static void test_faults(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        long line, col;
        const char *msg;
    } cases[] = {
        {HEAD "#VER A 1 20251001 \"oavslutad\n{\n#TRANS 4621 {} 1.00\n"
              "#TRANS 2440 {} -1.00\n}\n",
         5, 19, "citattecknet öppnas men stängs aldrig"},
        {HEAD "#VER A 1 20251001\n{\n#TRANS 4621 {6 \"P1\" 1.00\n"
              "#TRANS 2440 {} -1.00\n}\n",
         7, 13, "obalanserade klammerparenteser: { i kolumn 13 stängs aldrig"},
        {HEAD "#VER A 1 20251001\n{\n#TRANS 4621 {} 1.00\n#TRANS 2440 {} -1.00\n",
         5, 0, "obalanserade klammerparenteser: #VER på rad 5 avslutas aldrig"},
        {HEAD "}\n", 5, 1, "obalanserade klammerparenteser: } utan {"},
        {HEAD "#VER A 1 20251001\n#TRANS 4621 {} 1.00\n", 6, 1,
         "#VER på rad 5 ska följas av {"},
        {HEAD "#VER A 1 20251001\n{\n#TRANS 4621 {7 \"X\"} 1.00\n"
              "#TRANS 2440 {} -1.00\n}\n",
         7, 14, "okänd dimension 7: den är inte deklarerad med #DIM"},
        {HEAD "#VER A 1 20251001\n{\n#TRANS 4621 {6 \"P9\"} 1.00\n"
              "#TRANS 2440 {} -1.00\n}\n",
         7, 14, "okänt objekt \"P9\" i dimension 6"},
        {HEAD "#VER A 7 20251001\n{\n#TRANS 4621 {} 100.00\n"
              "#TRANS 2440 {} -99.99\n}\n",
         5, 0, "verifikationen A 7 är inte balanserad: raderna summerar till 0.01"},
        {"#FLAGGA 0\n#KSUMMA\n#PROGRAM \"x\" 1\n#KSUMMA 1757431399\n", 4, 9,
         "fel kontrollsumma: #KSUMMA säger 1757431399"},
        {"#FLAGGA 0\n#KSUMMA\n#PROGRAM \"x\" 1\n", 2, 0,
         "filen är avkortad: #KSUMMA på rad 2"},
        {"#FLAGGA 0\n#KSUMMA 12\n", 2, 1, "#KSUMMA med kontrollsumma men utan"},
        {HEAD "#VER A 1 20251001\n{\n#RTRANS 4621 {} 5.00\n#TRANS 4621 {} 6.00\n"
              "#TRANS 2440 {} -6.00\n}\n",
         8, 0, "#RTRANS på rad 7 ska följas av en identisk #TRANS"},
        {HEAD "#VER A 1 20251001\n{\n#TRANS 4621 {} 1,50\n}\n", 7, 17,
         "ogiltigt belopp \"1,50\": SIE skriver belopp som -1234.50"},
        {HEAD "#VER A 1 20251001\n{\n#TRANS 4621 {} 1.505\n}\n", 7, 16,
         "ogiltigt belopp \"1.505\": högst två decimaler"},
        {HEAD "#VER A 1 20250230\n{\n}\n", 5, 10,
         "verifikationsdatum \"20250230\": ingen sådan dag"},
        {HEAD "#VER A 1 2025-10-01\n{\n}\n", 5, 10,
         "verifikationsdatum ska skrivas ÅÅÅÅMMDD"},
        {HEAD "#TRANS 4621 {} 1.00\n", 5, 1, "#TRANS utanför en #VER"},
        {"#SIETYP 4\n#FLAGGA 0\n", 1, 1, "filen ska börja med #FLAGGA, inte #SIETYP"},
        {HEAD "#VER A 1 20251001\n{\n#TRANS 4621 {6} 1.00\n}\n", 7, 13,
         "objektlistan ska vara par av dimension och objekt"},
        {HEAD "#KONTO 4621 \"A\tB\x01\"\n", 5, 17, "styrtecken 0x01 i en text"},
        {HEAD "#KONTO 4621 Ko\"p\n", 5, 15, "citattecken mitt i ett fält"},
        {HEAD "#DIM 6 \"Igen\"\n", 5, 6, "dimension 6 finns redan på rad 3"},
        {HEAD "#OBJEKT 7 \"X\" \"Y\"\n#VER A 1 20251001\n{\n#TRANS 4621 {7 \"X\"} 1\n"
              "#TRANS 1 {} -1\n}\n", 8, 14, "okänd dimension 7"},
        {HEAD "#KTYP 4621 K\n", 5, 7, "kontot 4621 är inte deklarerat med #KONTO"},
        {HEAD "#KONTO 4621 \"A\"\n#KTYP 4621 X\n", 6, 12, "kontotyp \"X\""},
        {HEAD "#PBUDGET 0 202513 4621 {} 1.00\n", 5, 12, "period 202513: ingen sådan månad"},
        {HEAD "#IB 0 2440 1.00\n", 5, 0, "årsnummer 0 finns inte i någon #RAR"},
        {HEAD "#SIETYP 5\n", 5, 9, "SIE-typ 5 ligger utanför 1..4"},
        {HEAD "raden\n", 5, 1, "raden börjar inte med en etikett"},
        {"", 0, 0, "filen har inga poster"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        sie_file f;
        diag_list dl;
        int rc = read_text(&f, cases[i].text, SIE_ENC_AUTO, &dl);
        int found = 0;
        for (size_t k = 0; k < dl.n; k++)
            if (dl.v[k].level == DIAG_ERROR && dl.v[k].line == cases[i].line &&
                dl.v[k].col == cases[i].col &&
                !strncmp(dl.v[k].msg, cases[i].msg, strlen(cases[i].msg)))
                found = 1;
        if (!found || rc != SAMLA_EDATA) {
            fprintf(stderr, "case %zu: want %ld:%ld %s\n", i, cases[i].line,
                    cases[i].col, cases[i].msg);
            diag_print(&dl, stderr);
        }
        assert_int_equal(rc, SAMLA_EDATA);
        assert_true(found);
        sie_free(&f);
        diag_free(&dl);
    }
}

/* #KSUMMA as Python's zlib.crc32 computes it over "#PROGRAM" "x" "1"
 * "#FORMAT" "PC8" "#DIM" "6" "P" "#OBJEKT" "6" "P1" "x" "#KONTO" "4621"
 * "Köp" (cp437) "#VER" "A" "1" "20251001" "Text \"ok\"" "#TRANS" "4621" "6"
 * "P1" "100.00" "#TRANS" "2440" "-100.00": labels and contents, without
 * the spaces, tabs, quotes and braces around them. */
static const char checksummed[] =
    "#FLAGGA 0\r\n#KSUMMA\r\n#PROGRAM \"x\" 1\r\n#FORMAT PC8\r\n"
    "#DIM 6 \"P\"\r\n#OBJEKT 6 \"P1\" x\r\n"
    "#KONTO 4621 \"K\x94p\"\r\n#VER A 1 20251001 \"Text \\\"ok\\\"\"\r\n{\r\n"
    "  #TRANS  4621\t{6 \"P1\"}  100.00\r\n#TRANS 2440 {} -100.00\r\n}\r\n"
    "#KSUMMA 68796243\r\n";

static void test_checksum(void **state)
{
    (void)state;
    sie_file f;
    diag_list dl;
    assert_int_equal(read_text(&f, checksummed, SIE_ENC_AUTO, &dl), SAMLA_OK);
    assert_true(f.has_checksum);
    assert_int_equal(f.checksum, 68796243u);
    sie_free(&f);
    diag_free(&dl);
    /* A sum above 2^31 may be written signed by some programs: the same
     * 32 bits. */
    uint32_t c = sie_crc32(0, "#KONTO", 6);
    c = sie_crc32(c, "1", 1);
    c = sie_crc32(c, "a", 1);
    assert_true(c > 0x80000000u);
    char buf[512];
    snprintf(buf, sizeof buf, "#FLAGGA 0\n#KSUMMA\n#KONTO 1 \"a\"\n#KSUMMA %ld\n",
             (long)(int32_t)c);
    assert_int_equal(read_text(&f, buf, SIE_ENC_AUTO, &dl), SAMLA_OK);
    assert_int_equal(f.checksum, c);
    sie_free(&f);
    diag_free(&dl);
    snprintf(buf, sizeof buf, "#FLAGGA 0\n#KSUMMA\n#KONTO 1 \"a\"\n#KSUMMA %lu\n",
             (unsigned long)c);
    assert_int_equal(read_text(&f, buf, SIE_ENC_AUTO, &dl), SAMLA_OK);
    sie_free(&f);
    diag_free(&dl);
    /* Both amounts changed (still balanced), the same checksum: refused. */
    snprintf(buf, sizeof buf, "%s", checksummed);
    strstr(buf, " 100.00")[3] = '1';
    strstr(buf, "-100.00")[3] = '1';
    assert_int_equal(read_text(&f, buf, SIE_ENC_AUTO, &dl), SAMLA_EDATA);
    assert_int_equal(dl.n, 1);
    assert_int_equal(dl.v[0].line, 13);
    assert_int_equal(dl.v[0].col, 9);
    sie_free(&f);
    diag_free(&dl);
}

static void test_encodings(void **state)
{
    (void)state;
    sie_file f;
    diag_list dl;
    /* UTF-8 though it says PC8: read as UTF-8, with a note. */
    const char *u8 = "#FLAGGA 0\n#FORMAT PC8\n#FNAMN \"Alingsås\"\n";
    assert_int_equal(read_text(&f, u8, SIE_ENC_AUTO, &dl), SAMLA_OK);
    assert_int_equal(f.encoding, SIE_ENC_UTF8);
    assert_string_equal(f.company, "Alingsås");
    assert_int_equal(dl.n, 1);
    assert_int_equal(dl.v[0].level, DIAG_NOTE);
    assert_string_equal(dl.v[0].msg, "filen anger #FORMAT PC8 men är kodad i "
                                     "UTF-8; den lästes som UTF-8");
    sie_free(&f);
    diag_free(&dl);
    /* Windows-1252 letters and none of code page 437's: Windows-1252. */
    const char *w = "#FLAGGA 0\n#FORMAT PC8\n#FNAMN \"Alings\xE5s \xC4\xD6\"\n";
    assert_int_equal(read_text(&f, w, SIE_ENC_AUTO, &dl), SAMLA_OK);
    assert_int_equal(f.encoding, SIE_ENC_CP1252);
    assert_string_equal(f.company, "Alingsås ÄÖ");
    assert_int_equal(dl.v[0].level, DIAG_NOTE);
    assert_int_equal(dl.v[0].line, 3);
    sie_free(&f);
    diag_free(&dl);
    /* The same bytes as the rules insist on PC8: code page 437. */
    assert_int_equal(read_text(&f, w, SIE_ENC_CP437, &dl), SAMLA_OK);
    assert_string_equal(f.company, "Alingsσs ─╓");
    assert_int_equal(dl.n, 0);
    sie_free(&f);
    diag_free(&dl);
    /* Insisting on UTF-8: refused at the first bad byte. */
    assert_int_equal(read_text(&f, w, SIE_ENC_UTF8, &dl), SAMLA_EDATA);
    assert_int_equal(dl.v[0].line, 3);
    assert_int_equal(dl.v[0].col, 15);
    sie_free(&f);
    diag_free(&dl);
    /* A UTF-16 file (NUL bytes). */
    static const char u16[] = "#\0F\0L\0A\0G\0G\0A\0";
    diag_init(&dl);
    assert_int_equal(sie_read_mem(&f, u16, sizeof u16 - 1, "t.se",
                                  SIE_ENC_AUTO, &dl),
                     SAMLA_EDATA);
    assert_memory_equal(dl.v[0].msg, "NUL-tecken i filen", 18);
    sie_free(&f);
    diag_free(&dl);
    /* A BOM means UTF-8; with pc8 insisted on it is refused. */
    assert_int_equal(read_text(&f, "\xEF\xBB\xBF#FLAGGA 0\n", SIE_ENC_CP437, &dl),
                     SAMLA_EDATA);
    sie_free(&f);
    diag_free(&dl);
}

static void test_sniff(void **state)
{
    (void)state;
    assert_true(sie_sniff("#FLAGGA 0\r\n", 11));
    assert_true(sie_sniff("\xEF\xBB\xBF\r\n#FLAGGA 0", 13));
    assert_true(sie_sniff("#PROGRAM \"x\"\n#SIETYP 4\n", 23));
    assert_false(sie_sniff("Konto;Belopp\n#SIETYP 4\n", 23));
    assert_false(sie_sniff("Huvudboksutdrag\r\n", 17));
    assert_false(sie_sniff("", 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc),      cmocka_unit_test(test_cp437),
        cmocka_unit_test(test_every_tag), cmocka_unit_test(test_faults),
        cmocka_unit_test(test_checksum), cmocka_unit_test(test_encodings),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
