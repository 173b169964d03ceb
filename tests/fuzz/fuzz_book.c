/*
 * fuzz_book - libFuzzer target for the book loader (book_load, with every
 * check of check.c) and for appending to a loaded book.
 *
 * Input format: the input is split into segments at each byte 0x01; the
 * byte after a 0x01 is a tag whose low three bits choose the file:
 *   0 organisation.csv  1 finansiarer.csv  2 konton.csv  3 verksamheter.csv
 *   4 verifikationer.csv  5 budget.csv  6 oronmarkningar.csv  7 bokslut.csv
 * The text before the first 0x01 is the journal. Files the input does not
 * give get the small valid book of tests/hostile/base, so an input of
 * nothing but a journal already exercises every cross-file rule.
 *
 * The files are written to a private temporary folder (in /dev/shm when
 * there is one, so a run costs no disk I/O) and the book is loaded from
 * there. Invariants:
 *   - book_load returns SAMLA_OK exactly when it reported no error;
 *   - a book that loads cleanly accepts a new entry built from its own
 *     first entry (or refuses it with an error, e.g. a closed year), and
 *     after a successful append it loads again, cleanly, with one entry
 *     more, which reads back exactly as written (also when the journal was
 *     in Windows-1252 or separated by ','): samla never writes a book it
 *     cannot read back;
 *   - everything is freed (LeakSanitizer).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book.h"
#include "calc.h"
#include "check.h"
#include "csvio.h"
#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NFILES 8
#define BOM "\xEF\xBB\xBF"

static const char *const file_names[NFILES] = {
    BOOK_ORGANISATION, BOOK_FUNDERS, BOOK_ACCOUNTS, BOOK_ACTIVITIES,
    BOOK_JOURNAL,      BOOK_BUDGET,  BOOK_EARMARKS, BOOK_CLOSES};

/* The base book of the hostile-input tests (tests/hostile/base). */
static const char *const defaults[NFILES] = {
    BOM "Namn;Kortnamn;Valuta;Startdatum;Ingående ackumulerat överskott\r\n"
        "Testsamverkan;TEST;SEK;2025-01-01;1000000,00\r\n",
    BOM "Kod;Namn;Typ;Invånare\r\n"
        "STATEN;Staten;stat;\r\n"
        "LERUM;Lerums kommun;kommun;43570\r\n",
    BOM "Konto;Namn;Typ\r\n"
        "3510;Statsbidrag;intäkt\r\n"
        "3531;Bidrag från Lerums kommun;intäkt\r\n"
        "5010;Löner;kostnad\r\n"
        "7690;Övriga kostnader;kostnad\r\n",
    BOM "Kod;Namn;Specifikation\r\n"
        "PROC;Processledare;nej\r\n"
        "SMM;Socialmedicinsk mottagning;ja\r\n",
    BOM "Ver;Datum;Konto;Verksamhet;Finansiär;Öronmärkning;Belopp;Text;"
        "Underlag;Rättar;Registrerad;Användare;Källa;Fingeravtryck\r\n"
        "1;2025-01-31;3510;;STATEN;;200000,00;Statsbidrag;Beslut 1;;"
        "2025-02-01T08:00:00Z;testare;seed;\r\n"
        "2;2025-02-28;5010;PROC;;;45000,00;Lön februari;;;"
        "2025-03-01T08:00:00Z;testare;seed;\r\n"
        "3;2025-03-31;7690;SMM;;OM-SMM;1500,50;Material;Faktura 9;;"
        "2025-04-01T08:00:00Z;testare;seed;\r\n"
        "4;2025-04-02;7690;SMM;;OM-SMM;-1500,50;Rättelse av 2025:3: Material;"
        "Faktura 9;2025:3;2025-04-02T08:00:00Z;testare;reverse;\r\n"
        "5;2025-05-15;3531;;LERUM;;50000,00;Bidrag Lerum;\"Faktura 12; Lerum\";;"
        "2025-05-16T08:00:00Z;testare;seed;\r\n",
    BOM "År;Typ;Kod;Konto;Q1;Q2;Q3;Q4;Prognos;Text\r\n"
        "2025;intäkt;STATEN;;200000,00;0,00;0,00;0,00;;Statsbidrag\r\n"
        "2025;kostnad;PROC;5010;45000,00;45000,00;45000,00;45000,00;;Lön\r\n",
    BOM "Kod;Händelse;Typ;Ändamål;Belopp;Beslutsorgan;Beslutsdatum;Paragraf;"
        "Giltig från;Giltig till;Registrerad;Användare\r\n"
        "OM-SMM;reservera;reservation;Socialmedicinsk mottagning;100000,00;"
        "Samordningsgruppen;2025-01-15;§ 3;2025-01-01;2025-12-31;"
        "2025-01-16T08:00:00Z;testare\r\n",
    BOM "År;Händelse;Resultat;Utgående ackumulerat överskott;"
        "Antal verifikationer;Kontrollsumma;Registrerad;Användare;"
        "Motivering\r\n",
};

#include "scratch_dir.h"

static void make_dir(void)
{
    make_dir_named("fuzz_book");
}

static void put_file(int i, const uint8_t *p, size_t n)
{
    char path[512];
    int fd;

    snprintf(path, sizeof path, "%s/%s", dir, file_names[i]);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror("fuzz_book: open");
        abort();
    }
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w <= 0) {
            perror("fuzz_book: write");
            abort();
        }
        p += w;
        n -= (size_t)w;
    }
    close(fd);
}

static void fail(const char *what)
{
    fprintf(stderr, "fuzz_book: %s\n", what);
    abort();
}

/* Load the book in dir; enforce "OK exactly when no error". */
static int load(book *b, diag_list *dl)
{
    int rc = book_load(b, dir, dl);

    if ((rc == SAMLA_OK) != (diag_errors(dl) == 0)) {
        diag_print(dl, stderr);
        fail("book_load's result disagrees with its diagnostics");
    }
    return rc;
}

/* Use the loaded book like the commands do, then append one entry. */
static void exercise(book *b)
{
    size_t n0 = b->entries.n;
    diag_list dl;
    dec_t s, income, cost;
    char hex[65];
    long count;

    dec_init(&s);
    dec_init(&income);
    dec_init(&cost);
    for (size_t i = 0; i < b->entries.n && i < 4; i++) {
        const book_entry *e = &b->entries.v[i];
        calc_surplus_at(b, e->date, &s);
        calc_result(b, e->date, e->date, &income, &cost);
        csvio_out m;
        manifest_build(b, e->year, &income, &s, &m, &count);
        manifest_sha256_hex(m.buf, m.len, hex);
        csvio_out_free(&m);
        if (count < 1)
            fail("a year with an entry has no vouchers in its manifest");
    }
    dec_clear(&s);
    dec_clear(&income);
    dec_clear(&cost);
    if (n0 == 0)
        return;

    /* A copy of the first entry, as the next voucher of its year. */
    book_entry e = b->entries.v[0];
    dec_init(&e.amount);
    dec_set(&e.amount, &b->entries.v[0].amount);
    e.ver = book_next_ver(b, e.year);
    e.corr_year = e.corr_ver = 0;
    e.text = "fuzz; \"ny\" post\r\nÅäö − =1+1";
    e.source = "add";
    e.fingerprint = "";
    diag_init(&dl);
    int rc = book_append_entries(b, &e, 1, NULL, &dl);
    dec_clear(&e.amount);
    if ((rc == SAMLA_OK) != (diag_errors(&dl) == 0))
        fail("book_append_entries' result disagrees with its diagnostics");
    if (rc != SAMLA_OK && b->entries.n != n0)
        fail("a refused append changed the book in memory");
    diag_free(&dl);
    if (rc != SAMLA_OK)
        return;

    book again;
    diag_init(&dl);
    if (load(&again, &dl) != SAMLA_OK) {
        diag_print(&dl, stderr);
        fail("the book does not load after samla appended to it");
    }
    if (again.entries.n != n0 + 1)
        fail("the appended entry is not there exactly once");
    /* ... and reads back as it was written (a file in another encoding or
     * with another separator must not garble it). */
    const book_entry *w = &b->entries.v[n0], *r = &again.entries.v[n0];
    if (r->year != w->year || r->ver != w->ver || r->date != w->date ||
        dec_cmp(&r->amount, &w->amount) != 0 ||
        strcmp(again.accounts.v[r->account].number,
               b->accounts.v[w->account].number) != 0 ||
        strcmp(r->text, w->text) != 0)
        fail("the appended entry reads back differently");
    book_free(&again);
    diag_free(&dl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *seg[NFILES];
    size_t len[NFILES];
    int given[NFILES] = {0};
    size_t i = 0, start = 0;
    int tag = 4; /* the text before the first 0x01 is the journal */

    if (dir[0] == '\0')
        make_dir();
    for (;;) {
        const uint8_t *m = memchr(data + i, 0x01, size - i);
        size_t end = m ? (size_t)(m - data) : size;

        seg[tag] = data + start;
        len[tag] = end - start;
        given[tag] = 1;
        if (m == NULL || end + 1 >= size)
            break;
        tag = data[end + 1] & 7;
        start = i = end + 2;
    }
    for (int f = 0; f < NFILES; f++) {
        if (given[f])
            put_file(f, seg[f], len[f]);
        else
            put_file(f, (const uint8_t *)defaults[f], strlen(defaults[f]));
    }

    book b;
    diag_list dl;
    diag_init(&dl);
    if (load(&b, &dl) == SAMLA_OK)
        exercise(&b);
    book_free(&b);
    diag_free(&dl);
    return 0;
}
