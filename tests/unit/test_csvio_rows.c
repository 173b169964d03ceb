/*
 * test_csvio_rows - the fast paths of csvio (issue 7):
 *
 *  - lines without a quote are split by csvio itself, not by libcsv; the
 *    rows must be exactly libcsv's, so random quote-free texts are parsed
 *    both ways and compared field by field;
 *  - csvio_read_file_rows hands over the same rows (fields, lines) as
 *    csvio_read_file, including quoted fields spanning lines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvio.h"

/* ---- libcsv on its own, as the reference --------------------------------- */

typedef struct {
    char **f;    /* every field, in order */
    size_t *row; /* fields per row */
    size_t nf, nr, capf, capr, cur;
} ref_rows;

static void ref_field(void *s, size_t len, void *data)
{
    ref_rows *r = data;
    if (r->nf == r->capf) {
        r->capf = r->capf ? 2 * r->capf : 64;
        r->f = realloc(r->f, r->capf * sizeof *r->f);
    }
    r->f[r->nf] = malloc(len + 1);
    memcpy(r->f[r->nf], s ? s : "", len);
    r->f[r->nf][len] = '\0';
    r->nf++;
    r->cur++;
}

static void ref_row(int c, void *data)
{
    ref_rows *r = data;
    (void)c;
    if (r->nr == r->capr) {
        r->capr = r->capr ? 2 * r->capr : 64;
        r->row = realloc(r->row, r->capr * sizeof *r->row);
    }
    r->row[r->nr++] = r->cur;
    r->cur = 0;
}

static void ref_parse(ref_rows *r, const char *s, size_t len, char sep)
{
    struct csv_parser p;
    memset(r, 0, sizeof *r);
    assert_int_equal(csv_init(&p, 0), 0);
    csv_set_delim(&p, (unsigned char)sep);
    assert_int_equal(csv_parse(&p, s, len, ref_field, ref_row, r), len);
    csv_fini(&p, ref_field, ref_row, r);
    csv_free(&p);
}

static void ref_free(ref_rows *r)
{
    for (size_t i = 0; i < r->nf; i++)
        free(r->f[i]);
    free(r->f);
    free(r->row);
}

/* Compare a csvio table with the reference. */
static void same_rows(const csvio_table *t, const ref_rows *r, const char *in)
{
    size_t k = 0;
    if (t->nrows != r->nr)
        fail_msg("rows %zu, libcsv %zu, input \"%s\"", t->nrows, r->nr, in);
    for (size_t i = 0; i < t->nrows; i++) {
        if (t->rows[i].n != r->row[i])
            fail_msg("row %zu: %zu fields, libcsv %zu, input \"%s\"", i,
                     t->rows[i].n, r->row[i], in);
        for (size_t j = 0; j < t->rows[i].n; j++, k++)
            if (strcmp(t->rows[i].f[j].s, r->f[k]) != 0)
                fail_msg("row %zu field %zu: \"%s\", libcsv \"%s\", input "
                         "\"%s\"", i, j, t->rows[i].f[j].s, r->f[k], in);
    }
}

/* Random quote-free texts of separators, blanks, line ends and text. */
static void test_split_matches_libcsv(void **state)
{
    static const char *const atoms[] = {"a", "bc", " ", "\t", ";", ",",
                                        "\r\n", "\n", "\r", "\xC3\xB6",
                                        "12,50", "  x  "};
    static const char seps[] = {';', ',', '\t'};
    unsigned long long rng = 12345;
    (void)state;
    for (int round = 0; round < 20000; round++) {
        char in[256];
        size_t len = 0;
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        int natoms = (int)((rng >> 33) % 24);
        for (int i = 0; i < natoms; i++) {
            rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
            const char *a = atoms[(rng >> 33) % (sizeof atoms / sizeof *atoms)];
            size_t n = strlen(a);
            memcpy(in + len, a, n);
            len += n;
        }
        in[len] = '\0';
        char sep = seps[round % 3];
        csvio_opts o = {sep, 0, 0, 0};
        csvio_table t;
        diag_list dl;
        diag_init(&dl);
        assert_int_equal(csvio_read_mem(&t, in, len, "t", &o, &dl), SAMLA_OK);
        ref_rows r;
        ref_parse(&r, in, len, sep);
        same_rows(&t, &r, in);
        ref_free(&r);
        csvio_free(&t);
        diag_free(&dl);
    }
}

/* ---- csvio_read_file_rows ------------------------------------------------- */

typedef struct {
    char buf[4096];
    size_t len;
    long lines[32];
    size_t n;
} seen_rows;

static void collect(const csvio_table *t, const csvio_row *row, void *arg)
{
    seen_rows *s = arg;
    assert_non_null(t->text);
    s->lines[s->n++] = row->line;
    for (size_t i = 0; i < row->n; i++)
        s->len += (size_t)snprintf(s->buf + s->len, sizeof s->buf - s->len,
                                   "%s|", row->f[i].s);
    s->len += (size_t)snprintf(s->buf + s->len, sizeof s->buf - s->len, "\n");
}

static void test_rows_match_table(void **state)
{
    static const char text[] =
        "\xEF\xBB\xBFVer;Text;Belopp\r\n"
        "1;enkel rad;10,00\r\n"
        "\r\n"
        "2;\"citat; med semikolon\";-5,5\r\n"
        "3;\"flera\r\nrader\";7\r\n"
        "  4 ; blanksteg ;8\r\n"
        "5;sista utan radslut;9";
    char path[] = "/tmp/samla-csvio-rows-XXXXXX";
    int fd = mkstemp(path);
    (void)state;
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, sizeof text - 1), (long)(sizeof text - 1));
    close(fd);

    csvio_table whole, each;
    diag_list dl;
    diag_init(&dl);
    assert_int_equal(csvio_read_file(&whole, path, "j", NULL, &dl), SAMLA_OK);
    seen_rows s;
    memset(&s, 0, sizeof s);
    assert_int_equal(csvio_read_file_rows(&each, path, "j", NULL, &dl, collect,
                                          &s),
                     SAMLA_OK);
    assert_int_equal(each.nrows, 0);
    assert_null(each.rows);

    seen_rows w;
    memset(&w, 0, sizeof w);
    for (size_t i = 0; i < whole.nrows; i++)
        collect(&whole, &whole.rows[i], &w);
    assert_int_equal(s.n, 6);
    assert_int_equal(w.n, s.n);
    assert_string_equal(s.buf, w.buf);
    for (size_t i = 0; i < s.n; i++)
        assert_int_equal(s.lines[i], w.lines[i]);
    assert_int_equal(s.lines[3], 5); /* the quoted field spans lines 5-6 */
    assert_int_equal(s.lines[4], 7);
    assert_string_equal(s.buf,
                        "Ver|Text|Belopp|\n1|enkel rad|10,00|\n"
                        "2|citat; med semikolon|-5,5|\n3|flera\r\nrader|7|\n"
                        "4|blanksteg|8|\n5|sista utan radslut|9|\n");
    csvio_free(&whole);
    csvio_free(&each);
    diag_free(&dl);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_matches_libcsv),
        cmocka_unit_test(test_rows_match_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
