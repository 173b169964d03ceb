/*
 * Unit tests for csvio (reading, columns, writing) and diag printing.
 *
 * Non-ASCII characters are spelled as UTF-8 byte escapes. A hex escape runs
 * on over any following hex digits, so a literal is split after each one:
 * "Alings" "\xC3\xA5" "s".
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

#include <csv.h>

#include "csvio.h"
#include "diag.h"

#define AA "\xC3\x85" /* Å */
#define aa "\xC3\xA5" /* å */
#define OE "\xC3\x96" /* Ö */
#define oe "\xC3\xB6" /* ö */
#define ae "\xC3\xA4" /* ä */
#define EURO "\xE2\x82\xAC"
#define NDASH "\xE2\x80\x93"

#define MSG_CP1252 \
    "filen är inte UTF-8; den lästes som Windows-1252 och konverterades"

/* ------------------------------------------------------------------------
 * Helpers
 */

typedef struct {
    csvio_table t;
    diag_list dl;
    int rc;
} parsed;

/* Parse len bytes with the given options (NULL = defaults). */
static parsed *parse_opts(const char *buf, size_t len, const csvio_opts *o)
{
    parsed *p = calloc(1, sizeof *p);

    assert_non_null(p);
    diag_init(&p->dl);
    p->rc = csvio_read_mem(&p->t, buf, len, "test.csv", o, &p->dl);
    return p;
}

static parsed *parse_n(const char *buf, size_t len)
{
    return parse_opts(buf, len, NULL);
}

/* For string literals: sizeof keeps embedded NUL bytes. */
#define PARSE(lit) parse_n((lit), sizeof(lit) - 1)

static void done(parsed *p)
{
    csvio_free(&p->t);
    diag_free(&p->dl);
    free(p);
}

static void assert_field(const parsed *p, size_t row, size_t field,
                         const char *want)
{
    assert_true(row < p->t.nrows);
    assert_true(field < p->t.rows[row].n);
    assert_string_equal(p->t.rows[row].f[field].s, want);
    assert_int_equal(p->t.rows[row].f[field].len, strlen(want));
}

static void assert_diag(const parsed *p, size_t i, diag_level level,
                        long line, long col, const char *msg)
{
    assert_true(i < p->dl.n);
    assert_int_equal(p->dl.v[i].level, level);
    assert_int_equal(p->dl.v[i].line, line);
    assert_int_equal(p->dl.v[i].col, col);
    assert_string_equal(p->dl.v[i].msg, msg);
    assert_string_equal(p->dl.v[i].file, "test.csv");
}

static long col_of(const parsed *p, size_t row, size_t field)
{
    return csvio_col(&p->t, &p->t.rows[row], field);
}

/* ------------------------------------------------------------------------
 * Encodings and line ends
 */

static void test_bom_crlf(void **state)
{
    parsed *p = PARSE("\xEF\xBB\xBF" "Kod;Namn\r\nLERUM;Lerum\r\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->dl.n, 0);
    assert_int_equal(p->t.encoding, CSVIO_UTF8_BOM);
    assert_int_equal(p->t.sep, ';');
    assert_int_equal(p->t.nrows, 2);
    assert_int_equal(p->t.rows[0].n, 2);
    assert_field(p, 0, 0, "Kod"); /* the BOM is not part of the first name */
    assert_field(p, 1, 1, "Lerum");
    assert_int_equal(p->t.rows[1].line, 2);
    assert_int_equal(p->t.rows[1].offset, 10); /* in the text without BOM */
    assert_int_equal(p->t.textlen, 23);
    assert_memory_equal(p->t.text, "Kod;Namn\r\n", 10);
    done(p);
}

static void test_no_bom_lf_no_final_newline(void **state)
{
    parsed *p = PARSE("a;b\nc;d");

    (void)state;
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.encoding, CSVIO_UTF8);
    assert_int_equal(p->t.nrows, 2);
    assert_field(p, 1, 0, "c");
    assert_field(p, 1, 1, "d");
    assert_int_equal(p->t.rows[1].line, 2);
    assert_int_equal(p->t.rows[1].offset, 4);
    done(p);
}

static void test_mixed_line_ends(void **state)
{
    parsed *p = PARSE("a;b\r\nc;d\ne;f\r\ng;h\ri;j");

    (void)state;
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.nrows, 5);
    assert_int_equal(p->t.rows[1].line, 2);
    assert_int_equal(p->t.rows[2].line, 3);
    assert_int_equal(p->t.rows[3].line, 4);
    assert_int_equal(p->t.rows[4].line, 5); /* a lone CR ends a line too */
    assert_int_equal(p->t.rows[4].offset, 18);
    assert_field(p, 2, 1, "f");
    assert_field(p, 3, 1, "h");
    assert_field(p, 4, 0, "i");
    done(p);
}

static void test_empty_inputs(void **state)
{
    parsed *p = PARSE("");

    (void)state;
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.nrows, 0);
    done(p);
    p = PARSE("\xEF\xBB\xBF");
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.nrows, 0);
    assert_int_equal(p->t.encoding, CSVIO_UTF8_BOM);
    done(p);
    p = PARSE("\r\n\r\n  \r\n");
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.nrows, 0);
    done(p);
}

static void test_blank_lines_skipped(void **state)
{
    parsed *p = PARSE("\n\na;b\n\n   \n\t\nc;d\n\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.nrows, 2);
    assert_int_equal(p->t.rows[0].line, 3);
    assert_int_equal(p->t.rows[1].line, 7);
    assert_field(p, 1, 0, "c");
    done(p);
}

static void test_cp1252_converted(void **state)
{
    parsed *p = PARSE("Kommun;Belopp\nAlings\xe5s;\x80 5\n\x93" "citat\x94;\x96\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.encoding, CSVIO_CP1252);
    assert_int_equal(p->dl.n, 1);
    assert_int_equal(diag_errors(&p->dl), 0);
    assert_diag(p, 0, DIAG_NOTE, 0, 0, MSG_CP1252);
    assert_field(p, 1, 0, "Alings" aa "s");
    assert_field(p, 1, 1, EURO " 5");
    assert_field(p, 2, 0, "\xE2\x80\x9C" "citat" "\xE2\x80\x9D");
    assert_field(p, 2, 1, NDASH);
    /* Columns are counted in the converted text: å is one character. */
    assert_int_equal(col_of(p, 1, 1), 10);
    done(p);
}

static void test_cp1252_full_high_table(void **state)
{
    /* Every defined byte 0x80..0xFF converts; spot-check the odd ones. */
    static const struct {
        unsigned char byte;
        const char *utf8;
    } cases[] = {
        {0x80, EURO},           {0x82, "\xE2\x80\x9A"}, {0x83, "\xC6\x92"},
        {0x84, "\xE2\x80\x9E"}, {0x85, "\xE2\x80\xA6"}, {0x86, "\xE2\x80\xA0"},
        {0x87, "\xE2\x80\xA1"}, {0x88, "\xCB\x86"},     {0x89, "\xE2\x80\xB0"},
        {0x8A, "\xC5\xA0"},     {0x8B, "\xE2\x80\xB9"}, {0x8C, "\xC5\x92"},
        {0x8E, "\xC5\xBD"},     {0x91, "\xE2\x80\x98"}, {0x92, "\xE2\x80\x99"},
        {0x93, "\xE2\x80\x9C"}, {0x94, "\xE2\x80\x9D"}, {0x95, "\xE2\x80\xA2"},
        {0x96, "\xE2\x80\x93"}, {0x97, "\xE2\x80\x94"}, {0x98, "\xCB\x9C"},
        {0x99, "\xE2\x84\xA2"}, {0x9A, "\xC5\xA1"},     {0x9B, "\xE2\x80\xBA"},
        {0x9C, "\xC5\x93"},     {0x9E, "\xC5\xBE"},     {0x9F, "\xC5\xB8"},
        {0xA0, "\xC2\xA0"},     {0xC5, AA},             {0xD6, OE},
        {0xE4, ae},             {0xFF, "\xC3\xBF"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[4] = {'x', (char)cases[i].byte, 'y', '\n'};
        char want[8];
        parsed *p = parse_n(buf, sizeof buf);

        snprintf(want, sizeof want, "x%sy", cases[i].utf8);
        assert_int_equal(p->rc, SAMLA_OK);
        assert_int_equal(p->t.encoding, CSVIO_CP1252);
        assert_field(p, 0, 0, want);
        done(p);
    }
}

static void test_cp1252_undefined_bytes(void **state)
{
    parsed *p = PARSE("ok;ok\nab;c\x81" "d\n\x8d\x8f\x90\x9d\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(diag_errors(&p->dl), 5);
    assert_diag(p, 0, DIAG_ERROR, 2, 5,
                "byte 0x81 finns inte i Windows-1252; filen är varken UTF-8 "
                "eller Windows-1252");
    assert_int_equal(p->dl.v[1].line, 3);
    assert_int_equal(p->dl.v[1].col, 1);
    assert_int_equal(p->dl.v[4].col, 4);
    assert_non_null(strstr(p->dl.v[4].msg, "0x9D"));
    done(p);
}

static void test_refuse_cp1252(void **state)
{
    csvio_opts o = {0, 0, 0, 1};
    static const char buf[] = "Kommun\nLerum;Alings\xe5s\n";
    parsed *p = parse_opts(buf, sizeof buf - 1, &o);

    (void)state;
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.n, 1);
    /* "Lerum;Alings" is 12 characters: the bad byte is in column 13. */
    assert_diag(p, 0, DIAG_ERROR, 2, 13,
                "filen är inte UTF-8 (byte 0xE5); spara den som CSV UTF-8");
    done(p);
}

/* Valid UTF-8 letters before a bad byte: a damaged UTF-8 file, not
 * Windows-1252 (which would turn every "å" into "Ã¥"). */
static void test_damaged_utf8(void **state)
{
    parsed *p = PARSE("Kommun\n" AA "sa;Alings\xe5s\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.n, 1);
    /* "Åsa;Alings" is 10 characters, so the bad byte is in column 11. */
    assert_diag(p, 0, DIAG_ERROR, 2, 11,
                "ogiltig UTF-8 (byte 0xE5) i en fil som i övrigt är UTF-8");
    done(p);
}

static void test_invalid_utf8_after_bom(void **state)
{
    parsed *p = PARSE("\xEF\xBB\xBF" "a;b\n" OE "\xff\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.n, 1);
    assert_int_equal(p->dl.v[0].line, 2);
    assert_int_equal(p->dl.v[0].col, 2);
    done(p);
}

static void test_utf8_validation_edges(void **state)
{
    /* Overlong, surrogate, above U+10FFFF and truncated sequences are not
     * UTF-8, so such files are taken as Windows-1252. */
    static const char *bad[] = {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                                "\xF4\x90\x80\x80", "ab\xC3"};
    static const char *good[] = {"\xC2\xA0", "\xED\x9F\xBF",
                                 "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF"};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        parsed *p = parse_n(bad[i], strlen(bad[i]));

        assert_int_equal(p->t.encoding, CSVIO_CP1252);
        done(p);
    }
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        parsed *p = parse_n(good[i], strlen(good[i]));

        assert_int_equal(p->rc, SAMLA_OK);
        assert_int_equal(p->t.encoding, CSVIO_UTF8);
        assert_field(p, 0, 0, good[i]);
        done(p);
    }
}

static void test_nul_byte(void **state)
{
    parsed *p = PARSE("a;b\n" AA "s;\0x\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.n, 1);
    assert_diag(p, 0, DIAG_ERROR, 2, 4, "NUL-tecken i filen");
    assert_int_equal(p->t.nrows, 0);
    done(p);
    /* In a Windows-1252 file too (columns are bytes there). */
    p = PARSE("\xe5\xe5\0\n");
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_diag(p, 0, DIAG_ERROR, 1, 3, "NUL-tecken i filen");
    done(p);
}

static void test_many_nul_bytes_capped(void **state)
{
    char buf[1000];
    parsed *p;

    (void)state;
    memset(buf, 0, sizeof buf);
    p = parse_n(buf, sizeof buf);
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.n, 21); /* 20 placed errors and a summary */
    assert_int_equal(p->dl.v[19].col, 20);
    assert_string_equal(p->dl.v[20].msg, "ytterligare 980 sådana fel i filen");
    done(p);
}

/* ------------------------------------------------------------------------
 * Separators
 */

static void test_detect_comma(void **state)
{
    parsed *p = PARSE("Konto,Namn,Typ\n3510,Statsbidrag,int" ae "kt\n"
                      "5010,\"L" oe "ner; m.m.\",kostnad\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.sep, ',');
    assert_int_equal(p->t.nrows, 3);
    assert_field(p, 2, 1, "L" oe "ner; m.m.");
    done(p);
}

static void test_detect_tab(void **state)
{
    parsed *p = PARSE("Konto\tNamn\tBelopp\n3510\tStatsbidrag\t1 234,50\n");

    (void)state;
    assert_int_equal(p->t.sep, '\t');
    assert_int_equal(p->t.rows[1].n, 3);
    assert_field(p, 1, 2, "1 234,50");
    done(p);
}

static void test_detect_semicolon_with_decimal_commas(void **state)
{
    parsed *p = PARSE("Konto;Belopp\n3510;1,5\n3520;2,5\n");

    (void)state;
    assert_int_equal(p->t.sep, ';');
    assert_field(p, 2, 1, "2,5");
    done(p);
}

static void test_detect_by_lines_not_count(void **state)
{
    /* More commas than semicolons in all, but ';' is on every line. */
    parsed *p = PARSE("Kod;Text\nSMM;L" oe "ner, arvoden, resor, " oe "vrigt\n");

    (void)state;
    assert_int_equal(p->t.sep, ';');
    assert_field(p, 1, 1, "L" oe "ner, arvoden, resor, " oe "vrigt");
    done(p);
    /* A stray quote inside text does not open a quoted region. */
    p = PARSE("Text;Belopp\n24\" sk" ae "rm, stor, ny;1,5\nx;y\n");
    assert_int_equal(p->t.sep, ';');
    assert_field(p, 1, 0, "24\" sk" ae "rm, stor, ny");
    done(p);
    /* Quoted separators and "" inside quotes are skipped over. */
    p = PARSE("a,\"x;\"\";y;z\",b\n");
    assert_int_equal(p->t.sep, ',');
    assert_field(p, 0, 1, "x;\";y;z");
    done(p);
}

static void test_detect_ties(void **state)
{
    parsed *p = PARSE("a;b,c\n");

    (void)state;
    assert_int_equal(p->t.sep, ';');
    done(p);
    p = PARSE("a\tb,c\n");
    assert_int_equal(p->t.sep, '\t');
    done(p);
    p = PARSE("a;b\tc\n");
    assert_int_equal(p->t.sep, ';');
    done(p);
    p = PARSE("abc\n");
    assert_int_equal(p->t.sep, ';');
    done(p);
    /* Separators inside quotes do not count. */
    p = PARSE("\"a;b;c;d\",e,f\n");
    assert_int_equal(p->t.sep, ',');
    assert_field(p, 0, 0, "a;b;c;d");
    done(p);
}

static void test_given_separator(void **state)
{
    csvio_opts o = {',', 0, 0, 0};
    static const char buf[] = "a;b,c\n";
    parsed *p = parse_opts(buf, sizeof buf - 1, &o);

    (void)state;
    assert_int_equal(p->t.sep, ',');
    assert_field(p, 0, 0, "a;b");
    done(p);
}

/* The sample municipal ledger extract (shared/samples), byte for byte:
 * BOM, CRLF, a title block and a blank line before the headings. */
static const char kommun_sample[] =
    "\xEF\xBB\xBF" "Huvudboksutdrag\r\n"
    "Alings" aa "s kommun " NDASH " SAMLA\r\n"
    "Period;2025-10-01;2025-12-31\r\n"
    "\r\n"
    "Konto;Ansvar;Verksamhet;Projekt;Motpart;Datum;Verifikation;Text;Belopp\r\n"
    "4621;51200;7310;SAMLA-SMM;VGR;2025-10-31;412877;Socionom 100 % oktober;"
    "38 083,33\r\n"
    "4621;51200;7310;SAMLA-SMM;VGR;2025-11-30;413502;Socionom 100 % november;"
    "38 083,33\r\n"
    "4621;51200;7310;SAMLA-SMM;VGR;2025-12-31;414390;Socionom 100 % december;"
    "38 083,34\r\n"
    "6010;51200;7310;SAMLA-SMM;;2025-12-31;414391;Lokalbidrag Q4 mottagning "
    "Alings" aa "s;12 000,00\r\n"
    "7610;51200;7310;SAMLA-KONF;;2025-11-21;413230;\"Konferens 21/11 "
    "\"\"Tillsammans med ny kraft\"\", lokal och f" oe "rt" ae "ring\";"
    "86 450,00\r\n"
    "7610;51200;7310;SAMLA-KONF;;2025-11-28;413611;Kreditering f" oe "rel" ae
    "sararvode konferens;-2 500,00\r\n"
    "3532;51200;7310;SAMLA;VGR;2025-12-15;414002;\"Fakturerat bidrag 2025, "
    "Alings" aa "s andel\";-310 000,00\r\n"
    "Summa;;;;;;;;-99800,00\r\n";

static void check_kommun_sample(const parsed *p)
{
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->dl.n, 0);
    assert_int_equal(p->t.sep, ';');
    assert_int_equal(p->t.encoding, CSVIO_UTF8_BOM);
    assert_int_equal(p->t.nrows, 12); /* 13 lines, one of them blank */
    assert_int_equal(p->t.rows[0].n, 1);
    assert_field(p, 1, 0, "Alings" aa "s kommun " NDASH " SAMLA");
    assert_int_equal(p->t.rows[2].n, 3);
    assert_int_equal(p->t.rows[3].line, 5); /* the headings, after the blank */
    assert_int_equal(p->t.rows[3].n, 9);
    assert_field(p, 3, 8, "Belopp");
    assert_int_equal(p->t.rows[8].line, 10);
    assert_field(p, 8, 7,
                 "Konferens 21/11 \"Tillsammans med ny kraft\", lokal och f" oe
                 "rt" ae "ring");
    assert_field(p, 8, 8, "86 450,00");
    assert_field(p, 10, 7, "Fakturerat bidrag 2025, Alings" aa "s andel");
    assert_field(p, 11, 0, "Summa");
    assert_field(p, 11, 1, "");
    assert_field(p, 11, 8, "-99800,00");
    /* "7610;51200;7310;SAMLA-KONF;;2025-11-21;413230;" is 46 characters;
     * the quoted text is 67 with its quotes (ö and ä count one each), so
     * the amount after it begins in column 46 + 67 + 2 = 115. */
    assert_int_equal(col_of(p, 8, 7), 47);
    assert_int_equal(col_of(p, 8, 8), 115);
}

static void test_kommun_sample(void **state)
{
    parsed *p = parse_n(kommun_sample, sizeof kommun_sample - 1);

    (void)state;
    check_kommun_sample(p);
    done(p);
}

/* The sample file itself (a byte-for-byte copy of the finance system's
 * export in tests/data/; tests/run.sh runs the unit tests from the
 * repository's root). Skipped, and counted as skipped, when run elsewhere. */
static void test_kommun_sample_file(void **state)
{
    static const char path[] = "tests/data/kommun-huvudboksutdrag-2025Q4.csv";
    parsed *p;

    (void)state;
    if (access(path, R_OK) != 0) {
        print_message("%s not found (run from the repository's root)\n", path);
        skip();
    }
    p = calloc(1, sizeof *p);
    assert_non_null(p);
    diag_init(&p->dl);
    p->rc = csvio_read_file(&p->t, path, "test.csv", NULL, &p->dl);
    check_kommun_sample(p);
    assert_int_equal(p->t.textlen, sizeof kommun_sample - 1 - 3);
    assert_memory_equal(p->t.text, kommun_sample + 3, p->t.textlen);
    done(p);
}

/* ------------------------------------------------------------------------
 * Quoting, embedded newlines, spaces
 */

static void test_embedded_newlines(void **state)
{
    parsed *p = PARSE("a;\"rad 1\nrad 2\r\nrad 3\";b\nc;d\r\n\"\";\"x\"\"y\"\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.nrows, 3);
    assert_field(p, 0, 1, "rad 1\nrad 2\r\nrad 3");
    assert_field(p, 0, 2, "b");
    assert_int_equal(p->t.rows[0].line, 1);
    assert_int_equal(p->t.rows[1].line, 4); /* after three physical lines */
    assert_int_equal(p->t.rows[2].line, 5);
    assert_field(p, 2, 0, "");
    assert_field(p, 2, 1, "x\"y");
    /* A field after an embedded newline: its column in its own line
     * ("rad 3";b - the b is the 9th character). */
    assert_int_equal(col_of(p, 0, 2), 8);
    assert_int_equal(col_of(p, 0, 1), 3);
    done(p);
}

static void test_spaces_and_stray_quotes(void **state)
{
    parsed *p = PARSE("  a ; b\t;\" c \" ;24\" sk" ae "rm;\"\"\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.rows[0].n, 5);
    assert_field(p, 0, 0, "a");   /* unquoted: surrounding spaces dropped */
    assert_field(p, 0, 1, "b");
    assert_field(p, 0, 2, " c "); /* quoted: kept */
    assert_field(p, 0, 3, "24\" sk" ae "rm"); /* a lone quote is literal */
    assert_field(p, 0, 4, "");
    assert_int_equal(col_of(p, 0, 0), 3);
    assert_int_equal(col_of(p, 0, 1), 7);
    assert_int_equal(col_of(p, 0, 2), 10);
    assert_int_equal(col_of(p, 0, 3), 17);
    assert_int_equal(col_of(p, 0, 4), 27);
    assert_int_equal(col_of(p, 0, 5), 29);
    done(p);
}

static void test_col_multibyte(void **state)
{
    parsed *p = PARSE("rubrik\n" AA "sa;" OE "l;x\n;;\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(col_of(p, 1, 0), 1);
    assert_int_equal(col_of(p, 1, 1), 5); /* the second field, Öl */
    assert_int_equal(col_of(p, 1, 2), 8);
    assert_int_equal(col_of(p, 1, 3), 9); /* just past the last field */
    assert_int_equal(col_of(p, 1, 99), 9);
    /* Empty fields start where their separator or the line end is. */
    assert_int_equal(p->t.rows[2].n, 3);
    assert_int_equal(col_of(p, 2, 0), 1);
    assert_int_equal(col_of(p, 2, 1), 2);
    assert_int_equal(col_of(p, 2, 2), 3);
    done(p);
}

static void test_unterminated_quote(void **state)
{
    parsed *p = PARSE("a;b\n" AA "sa;\"x;y\nz\n\n");

    (void)state;
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.n, 1);
    assert_diag(p, 0, DIAG_ERROR, 2, 5,
                "citattecknet avslutas aldrig: filen tar slut inne i det "
                "citerade fältet som börjar här");
    done(p);
    /* Text right after a closing quote: libcsv reads on to the end; a
     * note points at the quote that did not close the field. */
    p = PARSE("a;b\n\"Konferens \"Ny kraft\"\";x\nc;d\n");
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.n, 2);
    assert_int_equal(p->dl.v[0].line, 2);
    assert_int_equal(p->dl.v[0].col, 1);
    assert_diag(p, 1, DIAG_NOTE, 2, 12,
                "citattecknet här avslutar inte fältet eftersom text följer "
                "direkt efter; skriv \"\" för ett citattecken i ett citerat "
                "fält");
    done(p);
    /* "" inside quotes does not close the field. */
    p = PARSE("x\n\n  ;\"ab\"\"");
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.v[0].line, 3);
    assert_int_equal(p->dl.v[0].col, 4);
    done(p);
}

static void test_field_too_long(void **state)
{
    csvio_opts o = {0, 10, 0, 0};
    static const char buf[] = "kort;ok\nok;" AA "0123456789;x\n";
    parsed *p = parse_opts(buf, sizeof buf - 1, &o);

    (void)state;
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.n, 1);
    assert_diag(p, 0, DIAG_ERROR, 2, 4, "fältet är längre än 10 byte");
    done(p);
}

static void test_huge_field(void **state)
{
    size_t n = 10u << 20;
    char *buf = malloc(n + 16);
    parsed *p;

    (void)state;
    assert_non_null(buf);
    memcpy(buf, "a;b\nc;\"", 7);
    memset(buf + 7, 'x', n);
    memcpy(buf + 7 + n, "\";d\n", 4);
    p = parse_n(buf, n + 11);
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.n, 1);
    assert_diag(p, 0, DIAG_ERROR, 2, 3, "fältet är längre än 1048576 byte");
    done(p);
    /* A too-long first field of a later row, still open when caught. */
    memcpy(buf, "a;b;c\n", 6);
    memset(buf + 6, 'y', 2u << 20);
    p = parse_n(buf, 6 + (2u << 20));
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.n, 1);
    assert_diag(p, 0, DIAG_ERROR, 2, 1, "fältet är längre än 1048576 byte");
    done(p);
    /* The same with the limit raised: read in full. */
    memcpy(buf, "a;b\nc;\"", 7);
    memset(buf + 7, 'x', n);
    {
        csvio_opts o = {0, n, 0, 0};

        p = parse_opts(buf, n + 11, &o);
        assert_int_equal(p->rc, SAMLA_OK);
        assert_int_equal(p->t.rows[1].f[1].len, n);
        assert_field(p, 1, 2, "d");
        done(p);
    }
    free(buf);
}

static void test_too_many_fields(void **state)
{
    csvio_opts o = {0, 0, 3, 0};
    static const char buf[] = "a;b;c\n" OE ";b;c;d;e\n";
    parsed *p = parse_opts(buf, sizeof buf - 1, &o);

    (void)state;
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_int_equal(p->dl.n, 1);
    assert_diag(p, 0, DIAG_ERROR, 2, 7, "raden har fler än 3 fält");
    done(p);
}

static void test_wide_row(void **state)
{
    size_t cols = 100000, i;
    char *buf = malloc(cols * 2 + 1);
    parsed *p;
    csvio_opts wide = {0, 0, 200000, 0};

    (void)state;
    assert_non_null(buf);
    for (i = 0; i < cols; i++) {
        buf[2 * i] = 'x';
        buf[2 * i + 1] = i + 1 < cols ? ';' : '\n';
    }
    p = parse_n(buf, cols * 2);
    assert_int_equal(p->rc, SAMLA_EDATA);
    assert_diag(p, 0, DIAG_ERROR, 1, 2001, "raden har fler än 1000 fält");
    done(p);
    p = parse_opts(buf, cols * 2, &wide);
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.rows[0].n, cols);
    assert_int_equal(col_of(p, 0, cols - 1), (long)(cols * 2 - 1));
    done(p);
    free(buf);
}

/* xorshift64 with a fixed seed, so a failure reproduces. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

static void test_random_bytes(void **state)
{
    static const char alphabet[] = "ab;,\t\"\"\r\n \xC3\xA5\x80\x81";
    uint64_t seed = 0x5EED5A31A;
    size_t round;

    (void)state;
    for (round = 0; round < 300; round++) {
        size_t len = (size_t)(rng_next(&seed) % 2000), i, r;
        int use_alphabet = round % 2;
        char *buf = malloc(len + 1);
        parsed *p;

        assert_non_null(buf);
        for (i = 0; i < len; i++) {
            uint64_t v = rng_next(&seed);

            buf[i] = use_alphabet
                         ? alphabet[v % (sizeof alphabet - 1)]
                         : (char)(v & 0xFF);
        }
        p = parse_n(buf, len);
        assert_true(p->rc == SAMLA_OK || p->rc == SAMLA_EDATA);
        if (p->rc == SAMLA_OK) {
            /* Every row's columns can be computed. */
            for (r = 0; r < p->t.nrows; r++) {
                assert_true(col_of(p, r, 0) >= 1);
                assert_true(col_of(p, r, p->t.rows[r].n) >= 1);
            }
        } else {
            assert_true(diag_errors(&p->dl) > 0);
        }
        done(p);
        free(buf);
    }
}

static void test_read_file_errors(void **state)
{
    diag_list dl;
    csvio_table t;
    char dir[] = "/tmp/samla-csvio-XXXXXX";

    (void)state;
    assert_non_null(mkdtemp(dir));
    diag_init(&dl);
    assert_int_equal(csvio_read_file(&t, dir, "bok/", NULL, &dl), SAMLA_EIO);
    assert_int_equal(dl.n, 1);
    assert_string_equal(dl.v[0].file, "bok/");
    assert_string_equal(dl.v[0].msg, "är en mapp, inte en fil");
    csvio_free(&t);
    csvio_free(&t); /* twice is harmless */
    diag_free(&dl);

    diag_init(&dl);
    assert_int_equal(
        csvio_read_file(&t, "/nonexistent/x.csv", NULL, NULL, &dl), SAMLA_EIO);
    assert_string_equal(dl.v[0].file, "/nonexistent/x.csv");
    assert_string_equal(dl.v[0].msg,
                        "kan inte läsa filen: filen eller mappen finns inte");
    csvio_free(&t);
    diag_free(&dl);
    rmdir(dir);
}

/* 0 when reading an unreadable file gives the expected message. */
static int check_unreadable(const char *path)
{
    diag_list dl;
    csvio_table t;
    int ok;

    diag_init(&dl);
    ok = csvio_read_file(&t, path, "x.csv", NULL, &dl) == SAMLA_EIO &&
         dl.n == 1 &&
         strcmp(dl.v[0].msg, "kan inte läsa filen: åtkomst nekad") == 0 &&
         strcmp(dl.v[0].file, "x.csv") == 0;
    csvio_free(&t);
    diag_free(&dl);
    return ok ? 0 : 1;
}

static void test_read_file_unreadable(void **state)
{
    char dir[] = "/tmp/samla-csvio-XXXXXX";
    char path[64];
    FILE *f;
    int status;
    pid_t pid;

    (void)state;
    assert_non_null(mkdtemp(dir));
    chmod(dir, 0755);
    snprintf(path, sizeof path, "%s/hemlig.csv", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("a;b\n", f);
    fclose(f);
    chmod(path, 0);
    /* root reads anything, so as root the check runs as "nobody". */
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
            _exit(2);
        _exit(check_unreadable(path));
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    unlink(path);
    rmdir(dir);
}

/* ------------------------------------------------------------------------
 * Agreement with libcsv itself
 */

/* Fields as plain libcsv reports them, flattened: each field followed by
 * a 0x01 byte, each row end by 0x02 (neither occurs in the inputs). */
typedef struct {
    char *buf;
    size_t len, cap;
} flat;

static void flat_put(flat *fl, const void *s, size_t len, char mark)
{
    if (fl->len + len + 1 > fl->cap) {
        fl->cap = (fl->len + len + 1) * 2;
        fl->buf = realloc(fl->buf, fl->cap);
        assert_non_null(fl->buf);
    }
    if (len > 0)
        memcpy(fl->buf + fl->len, s, len);
    fl->len += len;
    fl->buf[fl->len++] = mark;
}

static void flat_field(void *s, size_t len, void *data)
{
    flat_put(data, s, len, 1);
}

static void flat_row(int c, void *data)
{
    (void)c;
    flat_put(data, "", 0, 2);
}

/*
 * csvio feeds libcsv one physical line at a time (to know where rows
 * start) and copies fields into its arena; the rows must be exactly what
 * one whole-text libcsv parse makes of the same text (same separator,
 * default options).
 */
static void test_same_rows_as_libcsv(void **state)
{
    static const char *atoms[] = {"a", "b", " ", "\t", ";", ",", "\r",
                                  "\n", "\r\n", AA, "x y", "\"", "\"\""};
    static const char seps[] = {';', ',', '\t'};
    uint64_t seed = 0xFACADE;
    size_t round, compared = 0;

    (void)state;
    for (round = 0; round < 3000; round++) {
        size_t natoms = rng_next(&seed) % 40, k, r, f;
        size_t nkinds = round % 2 ? 11 : 13; /* half without quotes */
        csvio_opts o = {seps[round % 3], 0, 0, 0};
        char text[512] = "";
        struct csv_parser cp;
        flat want = {NULL, 0, 0}, got = {NULL, 0, 0};
        parsed *p;

        for (k = 0; k < natoms; k++)
            strcat(text, atoms[rng_next(&seed) % nkinds]);
        p = parse_opts(text, strlen(text), &o);
        if (p->rc != SAMLA_OK) { /* an unterminated quote */
            done(p);
            continue;
        }
        assert_int_equal(csv_init(&cp, 0), 0);
        csv_set_delim(&cp, (unsigned char)o.sep);
        assert_int_equal(csv_parse(&cp, text, strlen(text), flat_field,
                                   flat_row, &want),
                         strlen(text));
        csv_fini(&cp, flat_field, flat_row, &want);
        csv_free(&cp);
        for (r = 0; r < p->t.nrows; r++) {
            for (f = 0; f < p->t.rows[r].n; f++)
                flat_put(&got, p->t.rows[r].f[f].s, p->t.rows[r].f[f].len, 1);
            flat_put(&got, "", 0, 2);
        }
        assert_int_equal(got.len, want.len);
        if (got.len > 0)
            assert_memory_equal(got.buf, want.buf, got.len);
        compared += p->t.nrows;
        free(want.buf);
        free(got.buf);
        done(p);
    }
    assert_true(compared > 3000);
}

/* ------------------------------------------------------------------------
 * Row by row
 */

typedef struct {
    size_t calls;
    long lines[4];
    long cols[4];
    char first[4][16];
    size_t n[4];
} row_log;

static void log_row(const csvio_table *t, const csvio_row *row, void *arg)
{
    row_log *lg = arg;

    if (lg->calls < 4) {
        lg->lines[lg->calls] = row->line;
        lg->cols[lg->calls] = csvio_col(t, row, row->n - 1);
        lg->n[lg->calls] = row->n;
        snprintf(lg->first[lg->calls], sizeof lg->first[0], "%s",
                 row->f[0].s);
    }
    lg->calls++;
}

static void test_read_file_rows(void **state)
{
    char path[] = "/tmp/samla-csvio-XXXXXX";
    static const char text[] = "\xEF\xBB\xBF" "Ver;Text;Belopp\r\n"
                               "1;\"rad\r\nett\";10,00\r\n"
                               "\r\n"
                               "2;" AA "tta;-5\r\n";
    diag_list dl;
    csvio_table t;
    row_log lg;
    int fd;

    (void)state;
    memset(&lg, 0, sizeof lg);
    fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, sizeof text - 1), (long)sizeof text - 1);
    close(fd);
    diag_init(&dl);
    assert_int_equal(
        csvio_read_file_rows(&t, path, "v.csv", NULL, &dl, log_row, &lg),
        SAMLA_OK);
    assert_int_equal(lg.calls, 3);
    assert_string_equal(lg.first[0], "Ver");
    assert_string_equal(lg.first[2], "2");
    assert_int_equal(lg.lines[1], 2);
    assert_int_equal(lg.lines[2], 5);
    assert_int_equal(lg.n[2], 3);
    assert_int_equal(lg.cols[1], 6);  /* 10,00 after the embedded line end */
    assert_int_equal(lg.cols[2], 8);  /* -5 after "2;Åtta;" */
    assert_null(t.rows);
    assert_int_equal(t.nrows, 0);
    assert_int_equal(t.sep, ';');
    csvio_free(&t);
    diag_free(&dl);
    unlink(path);
}

/* ------------------------------------------------------------------------
 * Writing
 */

static void test_writer_quoting(void **state)
{
    csvio_out o;
    static const char want[] =
        "\xEF\xBB\xBF"
        "Kod;Text\r\n"
        "plain;\"a;b\"\r\n"
        "\"sa \"\"hej\"\"\";\"rad1\nrad2\"\r\n"
        "\" lead\";\"trail \";\"cr\rx\"\r\n"
        ";" AA "sa\r\n"
        "\"\"\r\n";

    (void)state;
    csvio_out_init(&o, ';', 1);
    csvio_out_field(&o, "Kod");
    csvio_out_field(&o, "Text");
    csvio_out_endrow(&o);
    csvio_out_field(&o, "plain");
    csvio_out_field(&o, "a;b");
    csvio_out_endrow(&o);
    csvio_out_field(&o, "sa \"hej\"");
    csvio_out_field(&o, "rad1\nrad2");
    csvio_out_endrow(&o);
    csvio_out_field(&o, " lead");
    csvio_out_field(&o, "trail ");
    csvio_out_fieldn(&o, "cr\rxyz", 4);
    csvio_out_endrow(&o);
    csvio_out_field(&o, "");
    csvio_out_field(&o, AA "sa");
    csvio_out_endrow(&o);
    csvio_out_field(&o, ""); /* a row of one empty field must not vanish */
    csvio_out_endrow(&o);
    assert_int_equal(o.len, sizeof want - 1);
    assert_memory_equal(o.buf, want, o.len);
    csvio_out_free(&o);
}

static void test_writer_comma_and_raw(void **state)
{
    csvio_out o;

    (void)state;
    csvio_out_init(&o, ',', 0);
    csvio_out_raw(&o, "x,y\r\n", 5);
    csvio_out_field(&o, "1,5");
    csvio_out_field(&o, "2;5");
    csvio_out_endrow(&o);
    assert_int_equal(o.len, 5 + 11);
    assert_memory_equal(o.buf, "x,y\r\n\"1,5\",2;5\r\n", o.len);
    csvio_out_free(&o);
}

static void test_round_trip(void **state)
{
    static const char *rows[][4] = {
        {"Kod", "Namn", "Text", "Belopp"},
        {"OM-SMM", AA "sa " OE "berg", "a;b \"c\"\r\nd", "-1 234,50"},
        {"", " lead", "trail ", "\t"},
        {"x", "\"", ";", "\n"},
        {"1", "", "", ""},
    };
    size_t nrows = sizeof rows / sizeof rows[0], r, f;
    csvio_out o;
    parsed *p;

    (void)state;
    csvio_out_init(&o, ';', 1);
    for (r = 0; r < nrows; r++) {
        for (f = 0; f < 4; f++)
            csvio_out_field(&o, rows[r][f]);
        csvio_out_endrow(&o);
    }
    p = parse_n(o.buf, o.len);
    assert_int_equal(p->rc, SAMLA_OK);
    assert_int_equal(p->t.sep, ';');
    assert_int_equal(p->t.nrows, nrows);
    for (r = 0; r < nrows; r++) {
        assert_int_equal(p->t.rows[r].n, 4);
        for (f = 0; f < 4; f++)
            assert_field(p, r, f, rows[r][f]);
    }
    assert_int_equal(p->t.rows[2].line, 4); /* row 1 spans two lines */
    done(p);
    csvio_out_free(&o);
}

/* Random tables of awkward fields survive write -> read exactly, for each
 * separator (given, since a table of random text has no typical shape). */
static void test_round_trip_random(void **state)
{
    static const char *atoms[] = {"a", "Z", aa, OE, "1,5", ";", ",", "\t",
                                  "\"", "\r", "\n", "\r\n", " ", EURO};
    static const char seps[] = {';', ',', '\t'};
    uint64_t seed = 0xC0FFEE;
    char cell[8][64];
    size_t round;

    (void)state;
    for (round = 0; round < 300; round++) {
        csvio_opts o = {seps[round % 3], 0, 0, 0};
        size_t nrows = 1 + rng_next(&seed) % 6, r, f;
        size_t nf = 1 + rng_next(&seed) % 8;
        char *want[6][8];
        csvio_out out;
        parsed *p;

        csvio_out_init(&out, o.sep, round % 2);
        for (r = 0; r < nrows; r++) {
            for (f = 0; f < nf; f++) {
                size_t natoms = rng_next(&seed) % 6, k;

                cell[f][0] = '\0';
                for (k = 0; k < natoms; k++)
                    strcat(cell[f], atoms[rng_next(&seed) %
                                          (sizeof atoms / sizeof atoms[0])]);
                want[r][f] = strdup(cell[f]);
                csvio_out_field(&out, cell[f]);
            }
            csvio_out_endrow(&out);
        }
        p = parse_opts(out.buf, out.len, &o);
        assert_int_equal(p->rc, SAMLA_OK);
        assert_int_equal(p->t.nrows, nrows);
        for (r = 0; r < nrows; r++) {
            assert_int_equal(p->t.rows[r].n, nf);
            for (f = 0; f < nf; f++) {
                assert_field(p, r, f, want[r][f]);
                free(want[r][f]);
            }
        }
        done(p);
        csvio_out_free(&out);
    }
}

/* ------------------------------------------------------------------------
 * diag
 */

static void test_diag_print(void **state)
{
    diag_list dl;
    char *out = NULL;
    size_t len = 0;
    FILE *f;

    (void)state;
    diag_init(&dl);
    diag_error(&dl, "bok/konton.csv", 3, 7, "okänt konto %d", 9999);
    diag_warn(&dl, "bok/konton.csv", 4, 0, "tom rad");
    diag_add(&dl, DIAG_NOTE, "x.csv", 0, 0, "Windows-1252");
    diag_error(&dl, NULL, 0, 0, "ingen bok");
    diag_error(&dl, NULL, 2, 5, "bara rad");
    assert_int_equal(diag_errors(&dl), 3);
    f = open_memstream(&out, &len);
    assert_non_null(f);
    diag_print(&dl, f);
    fclose(f);
    assert_string_equal(out, "bok/konton.csv:3:7: fel: okänt konto 9999\n"
                             "bok/konton.csv:4: varning: tom rad\n"
                             "x.csv: not: Windows-1252\n"
                             "fel: ingen bok\n"
                             "2:5: fel: bara rad\n");
    free(out);
    diag_free(&dl);
}

static void test_diag_take(void **state)
{
    diag_list a, b;

    (void)state;
    diag_init(&a);
    diag_init(&b);
    diag_error(&a, "a", 1, 1, "ett");
    diag_error(&b, "b", 2, 2, "två");
    diag_warn(&b, "b", 3, 3, "tre");
    diag_take(&a, &b);
    assert_int_equal(a.n, 3);
    assert_int_equal(diag_errors(&a), 2);
    assert_int_equal(b.n, 0);
    assert_int_equal(diag_errors(&b), 0);
    assert_string_equal(a.v[2].msg, "tre");
    diag_free(&a);
    diag_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_no_bom_lf_no_final_newline),
        cmocka_unit_test(test_mixed_line_ends),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_blank_lines_skipped),
        cmocka_unit_test(test_cp1252_converted),
        cmocka_unit_test(test_cp1252_full_high_table),
        cmocka_unit_test(test_cp1252_undefined_bytes),
        cmocka_unit_test(test_refuse_cp1252),
        cmocka_unit_test(test_damaged_utf8),
        cmocka_unit_test(test_invalid_utf8_after_bom),
        cmocka_unit_test(test_utf8_validation_edges),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_many_nul_bytes_capped),
        cmocka_unit_test(test_detect_comma),
        cmocka_unit_test(test_detect_tab),
        cmocka_unit_test(test_detect_semicolon_with_decimal_commas),
        cmocka_unit_test(test_detect_by_lines_not_count),
        cmocka_unit_test(test_detect_ties),
        cmocka_unit_test(test_given_separator),
        cmocka_unit_test(test_kommun_sample),
        cmocka_unit_test(test_kommun_sample_file),
        cmocka_unit_test(test_embedded_newlines),
        cmocka_unit_test(test_spaces_and_stray_quotes),
        cmocka_unit_test(test_col_multibyte),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_field_too_long),
        cmocka_unit_test(test_huge_field),
        cmocka_unit_test(test_too_many_fields),
        cmocka_unit_test(test_wide_row),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_read_file_errors),
        cmocka_unit_test(test_read_file_unreadable),
        cmocka_unit_test(test_same_rows_as_libcsv),
        cmocka_unit_test(test_read_file_rows),
        cmocka_unit_test(test_writer_quoting),
        cmocka_unit_test(test_writer_comma_and_raw),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_random),
        cmocka_unit_test(test_diag_print),
        cmocka_unit_test(test_diag_take),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
