/*
 * fuzz_rules - libFuzzer target for the import rules parser
 * (import_rules_read) and the whole import path behind it: reading the
 * extract under the rules (import_source_read), mapping its rows
 * (import_plan_build) and committing them (import_plan_commit).
 *
 * Input: the rules file, then optionally a byte 0x01 and the extract;
 * without one, the sample extract of a municipality's general ledger
 * (Alingsås kommun, Q4 2025) is used. The book is the small book of
 * tests/hostile/base with the accounts, activities and funder the sample
 * rules name. Files live in a private temporary folder (/dev/shm when
 * there is one).
 *
 * Invariants:
 *   - every step returns SAMLA_OK exactly when it reported no error;
 *   - a committed import leaves a book that loads cleanly with exactly the
 *     new entries added;
 *   - importing the same extract again adds nothing (every row is found
 *     by its fingerprint): import is idempotent;
 *   - everything is freed (LeakSanitizer).
 *
 * FUZZ_DEBUG=1 prints the diagnostics of each input (to check a seed).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "book.h"
#include "import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NFILES 8
#define BOM "\xEF\xBB\xBF"

static const char *const file_names[NFILES] = {
    BOOK_ORGANISATION, BOOK_FUNDERS, BOOK_ACCOUNTS, BOOK_ACTIVITIES,
    BOOK_JOURNAL,      BOOK_BUDGET,  BOOK_EARMARKS, BOOK_CLOSES};

/* tests/hostile/base, plus what the sample rules name. */
static const char *const defaults[NFILES] = {
    BOM "Namn;Kortnamn;Valuta;Startdatum;Ingående ackumulerat överskott\r\n"
        "Testsamverkan;TEST;SEK;2025-01-01;1000000,00\r\n",
    BOM "Kod;Namn;Typ;Invånare\r\n"
        "STATEN;Staten;stat;\r\n"
        "LERUM;Lerums kommun;kommun;43570\r\n"
        "ALINGSAS;Alingsås kommun;kommun;42720\r\n",
    BOM "Konto;Namn;Typ\r\n"
        "3510;Statsbidrag;intäkt\r\n"
        "3531;Bidrag från Lerums kommun;intäkt\r\n"
        "5010;Löner;kostnad\r\n"
        "7690;Övriga kostnader;kostnad\r\n"
        "3532;Bidrag från Alingsås kommun;intäkt\r\n"
        "4621;Köp av verksamhet från Alingsås kommun;kostnad\r\n"
        "7610;Konferens och utbildning;kostnad\r\n",
    BOM "Kod;Namn;Specifikation\r\n"
        "PROC;Processledare;nej\r\n"
        "SMM;Socialmedicinsk mottagning;ja\r\n"
        "KONF;Konferens;nej\r\n",
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

static const char sample_extract[] =
    BOM "Huvudboksutdrag\r\n"
    "Alingsås kommun – SAMLA\r\n"
    "Period;2025-10-01;2025-12-31\r\n"
    "\r\n"
    "Konto;Ansvar;Verksamhet;Projekt;Motpart;Datum;Verifikation;Text;Belopp\r\n"
    "4621;51200;7310;SAMLA-SMM;VGR;2025-10-31;412877;Socionom 100 % oktober;"
    "38 083,33\r\n"
    "6010;51200;7310;SAMLA-SMM;;2025-12-31;414391;Lokalbidrag Q4;12 000,00\r\n"
    "7610;51200;7310;SAMLA-KONF;;2025-11-21;413230;\"Konferens \"\"ny "
    "kraft\"\"\";86 450,00\r\n"
    "7610;51200;7310;SAMLA-KONF;;2025-11-28;413611;Kreditering;-2 500,00\r\n"
    "3532;51200;7310;SAMLA;VGR;2025-12-15;414002;Fakturerat bidrag;"
    "-310 000,00\r\n"
    "Summa;;;;;;;;-99800,00\r\n";

#include "scratch_dir.h"

static void make_dir(void)
{
    make_dir_named("fuzz_rules");
}

static void put_file(const char *name, const void *data, size_t n)
{
    char path[512];
    const char *p = data;
    int fd;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror("fuzz_rules: open");
        abort();
    }
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w <= 0) {
            perror("fuzz_rules: write");
            abort();
        }
        p += w;
        n -= (size_t)w;
    }
    close(fd);
}

static void fail(const char *what, diag_list *dl)
{
    if (dl)
        diag_print(dl, stderr);
    fprintf(stderr, "fuzz_rules: %s\n", what);
    abort();
}

/* rc must be SAMLA_OK exactly when dl gained no error since `before`. */
static void agree(int rc, const diag_list *dl, size_t before, const char *what)
{
    if ((rc == SAMLA_OK) != (diag_errors(dl) == before))
        fail(what, NULL);
}

static int load(book *b, diag_list *dl)
{
    size_t before = diag_errors(dl);
    int rc = book_load(b, dir, dl);

    agree(rc, dl, before, "book_load disagrees with its diagnostics");
    return rc;
}

/* Build a plan for the extract against the book as it is on disk. */
static int plan(book *b, import_rules *r, import_plan *p, diag_list *dl,
                import_source *s, const char *xpath)
{
    size_t before = diag_errors(dl);
    int rc = import_source_read(s, r, xpath, dl);

    agree(rc, dl, before, "import_source_read disagrees with its diagnostics");
    if (rc != SAMLA_OK)
        return rc;
    if (load(b, dl) != SAMLA_OK)
        fail("the fuzz book does not load", dl);
    before = diag_errors(dl);
    rc = import_plan_build(b, r, s, p, dl);
    agree(rc, dl, before, "import_plan_build disagrees with its diagnostics");
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *sep = memchr(data, 0x01, size);
    size_t rlen = sep ? (size_t)(sep - data) : size;
    char rpath[512], xpath[512];
    import_rules r;
    diag_list dl;
    int rc;

    if (dir[0] == '\0')
        make_dir();
    for (int f = 0; f < NFILES; f++)
        put_file(file_names[f], defaults[f], strlen(defaults[f]));
    put_file("regler.csv", data, rlen);
    if (sep)
        put_file("utdrag.csv", sep + 1, size - rlen - 1);
    else
        put_file("utdrag.csv", sample_extract, strlen(sample_extract));
    snprintf(rpath, sizeof rpath, "%s/regler.csv", dir);
    snprintf(xpath, sizeof xpath, "%s/utdrag.csv", dir);

    diag_init(&dl);
    rc = import_rules_read(&r, rpath, &dl);
    agree(rc, &dl, 0, "import_rules_read disagrees with its diagnostics");
    if (rc == SAMLA_OK) {
        import_source s;
        import_plan p;
        book b;

        memset(&p, 0, sizeof p);
        book_init(&b);
        book_free(&b);
        rc = plan(&b, &r, &p, &dl, &s, xpath);
        if (rc == SAMLA_OK && p.nnew > 0) {
            size_t n0 = b.entries.n, nnew = p.nnew;
            size_t before = diag_errors(&dl);

            rc = import_plan_commit(&b, &p, "fuzz", "2026-01-15T10:00:00Z",
                                    &dl);
            agree(rc, &dl, before,
                  "import_plan_commit disagrees with its diagnostics");
            if (rc == SAMLA_OK) {
                import_source s2;
                import_plan p2;
                book b2;

                /* The committed book loads with the new entries, and the
                 * same extract again adds nothing. */
                memset(&p2, 0, sizeof p2);
                if (plan(&b2, &r, &p2, &dl, &s2, xpath) != SAMLA_OK)
                    fail("the same import refused after it was committed",
                         &dl);
                if (b2.entries.n != n0 + nnew)
                    fail("the committed entries are not all there", NULL);
                if (p2.nnew != 0)
                    fail("importing the same extract twice adds entries",
                         NULL);
                import_plan_free(&p2);
                import_source_free(&s2);
                book_free(&b2);
            }
        }
        if (getenv("FUZZ_DEBUG"))
            fprintf(stderr, "fuzz_rules: %zu new, %zu skipped, %zu done\n",
                    p.nnew, p.nskip, p.ndone);
        import_plan_free(&p);
        import_source_free(&s);
        book_free(&b);
    }
    if (getenv("FUZZ_DEBUG"))
        diag_print(&dl, stderr); /* to see what a seed reaches */
    import_rules_free(&r);
    diag_free(&dl);
    return 0;
}
