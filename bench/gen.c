/*
 * gen - a deterministic generator of synthetic books for the benchmark.
 *
 *   gen N OUTDIR [SEED [YEARS]]
 *
 * writes, for N journal entries (verifikationer) spread over YEARS years
 * ending with 2025 (default 5, 2021-2025):
 *
 *   OUTDIR/book/        a samla book in its own CSV format (docs/file-formats.md):
 *                       4 funders, 22 accounts, 22 activities, 4 earmarks (three
 *                       reservations of accumulated surplus and one grant),
 *                       a budget per year and corrections that reverse earlier
 *                       vouchers, valid so that `samla check` passes (no year
 *                       is closed: that is `samla close`'s business);
 *   OUTDIR/book.journal the same entries as a ledger-cli / hledger journal;
 *   OUTDIR/book.beancount the same entries for beancount;
 *   OUTDIR/expected.txt the totals every tool must agree on, in öre.
 *
 * The same N and SEED always give byte-identical files. Amounts are whole
 * öre in int64_t from first to last: nothing passes through floating point.
 *
 * Journal mapping. An entry is one amount on one account; in double-entry
 * terms it is a transaction of two postings: a cost is
 *   Kostnader:<activity>:<account>   +amount
 *   Tillgångar:Bank                  -amount
 * and an income is
 *   Intäkter:<funder>:<account>      -amount   (credit, as ledger signs it)
 *   Tillgångar:Bank                  +amount
 * so "costs per activity" is the depth-2 balance of Kostnader, and a year's
 * income statement is the balance of Intäkter and Kostnader in that year.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define LAST_YEAR 2025
#define MAX_YEARS 10
static int NYEARS = 5; /* years 2021..2025 unless given */
#define FIRST_YEAR (LAST_YEAR - NYEARS + 1)
#define BENCH_QUARTER 2 /* the quarter of LAST_YEAR the reports ask for */

/* ---- random numbers: splitmix64, fully determined by the seed ---------- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int64_t rnd_range(int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1));
}

/* ---- the chart ----------------------------------------------------------- */

typedef struct {
    const char *code, *name, *type;
    long population;
} funder;

static const funder funders[] = {
    {"STATEN", "Staten", "stat", 0},
    {"HSNV", "Hälso- och sjukvårdsnämnden Västra", "region", 0},
    {"LERUM", "Lerums kommun", "kommun", 43570},
    {"ALINGSAS", "Alingsås kommun", "kommun", 42720},
};
#define NFUNDERS (int)(sizeof funders / sizeof *funders)

typedef struct {
    const char *number, *name;
    int income;
    int funder; /* income: the funder that usually pays on it, -1 = any */
} account;

static const account accounts[] = {
    {"3510", "Statsbidrag", 1, 0},
    {"3520", "Bidrag från region (HSNV)", 1, 1},
    {"3531", "Bidrag från Lerums kommun", 1, 2},
    {"3532", "Bidrag från Alingsås kommun", 1, 3},
    {"3590", "Övriga bidrag och intäkter", 1, -1},
    {"4610", "Köp av verksamhet, region", 0, -1},
    {"4621", "Köp av verksamhet, Alingsås kommun", 0, -1},
    {"4622", "Köp av verksamhet, Lerums kommun", 0, -1},
    {"5010", "Löner", 0, -1},
    {"5020", "Timlöner och arvoden", 0, -1},
    {"5410", "Pensionskostnader", 0, -1},
    {"5610", "Sociala avgifter", 0, -1},
    {"5620", "Särskild löneskatt", 0, -1},
    {"6010", "Lokalhyror", 0, -1},
    {"6050", "Lokalvård", 0, -1},
    {"6210", "Telefon och data", 0, -1},
    {"6410", "Förbrukningsmaterial", 0, -1},
    {"6510", "IT-tjänster och licenser", 0, -1},
    {"7010", "Resor", 0, -1},
    {"7410", "Administrativa tjänster", 0, -1},
    {"7610", "Konferens och utbildning", 0, -1},
    {"7690", "Övriga kostnader", 0, -1},
};
#define NACCOUNTS (int)(sizeof accounts / sizeof *accounts)
#define FIRST_COST 5 /* accounts[0..4] are income */

typedef struct {
    const char *code, *name;
    int spec;
} activity;

static const activity activities[] = {
    {"PROC", "Processledare", 0},
    {"REGSAM", "Regional samordnare", 0},
    {"KOMM", "Kommunikatör", 0},
    {"SMM", "Socialmedicinsk mottagning", 1},
    {"FACT", "Mobilt team barn och unga (FACT ung)", 1},
    {"KONF", "Konferens", 0},
    {"MHFA", "MHFA-utbildning", 0},
    {"GEM", "Gemensamma kostnader", 0},
    {"FAR", "Fysisk aktivitet på recept", 1},
    {"SUIC", "Suicidprevention", 0},
    {"BARN", "Barn och unga med psykisk ohälsa", 0},
    {"ANHOR", "Anhörigstöd", 0},
    {"ÄLDRE", "Äldre med psykisk ohälsa", 0},
    {"MISSB", "Missbruk och beroende", 0},
    {"VÅLD", "Våld i nära relationer", 0},
    {"DIGI", "Digitala vårdtjänster", 0},
    {"UTB", "Kompetensutveckling", 0},
    {"NÄTV", "Nätverksträffar", 0},
    {"UPPF", "Uppföljning och analys", 0},
    {"SPRÅK", "Språkstöd och tolk", 0},
    {"BOST", "Bostad först", 0},
    {"ADM", "Administration", 0},
};
#define NACTIVITIES (int)(sizeof activities / sizeof *activities)
#define ACT_SMM 3
#define ACT_FACT 4
#define ACT_FAR 8
#define ACT_DIGI 15

/* Earmarks: three reservations of accumulated surplus, one grant. */
typedef struct {
    const char *code, *type, *purpose;
    int activity; /* costs of this activity are (partly) tagged with it */
} earmark;

static const earmark earmarks[] = {
    {"OM-SMM", "reservation", "Delfinansiering av socialmedicinsk mottagning",
     ACT_SMM},
    {"OM-FACT", "reservation", "Projektledare för FACT ung", ACT_FACT},
    {"OM-DIGI", "reservation", "Införande av digitala vårdtjänster", ACT_DIGI},
    {"FAR-BIDRAG", "bidrag", "Statsbidrag för fysisk aktivitet på recept",
     ACT_FAR},
};
#define NEARMARKS (int)(sizeof earmarks / sizeof *earmarks)
#define EM_GRANT 3

static const char *const cost_texts[] = {
    "Lön", "Sociala avgifter", "Hyra", "Faktura", "Konsultarvode",
    "Utbildningsdag", "Fika och lokal; nätverksträff", "Licenser",
    "Resa tåg Göteborg", "Material", "Tolktjänst", "Städning",
};
static const char *const income_texts[] = {
    "Bidrag", "Statsbidrag", "Utbetalning", "Ersättning", "Återbetalning",
};
#define NTEXTS(a) (int)(sizeof a / sizeof *a)

/* ---- entries ------------------------------------------------------------- */

typedef struct {
    int32_t day;  /* days since 1970-01-01 */
    int32_t ver;
    int16_t year;
    int8_t account, activity, funder, earmark; /* -1 = none */
    int8_t text;
    int32_t corr; /* index of the entry this one reverses, -1 = none */
    int64_t ore;  /* positive in the account's own direction */
} entry;

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Days since 1970-01-01 of y-m-d (Howard Hinnant's days_from_civil). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

static void fmt_date(char *buf, int32_t day)
{
    int y, m, d;
    civil_from_days(day, &y, &m, &d);
    /* Written digit by digit: years here are always four digits. */
    buf[0] = (char)('0' + y / 1000 % 10);
    buf[1] = (char)('0' + y / 100 % 10);
    buf[2] = (char)('0' + y / 10 % 10);
    buf[3] = (char)('0' + y % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + m / 10);
    buf[6] = (char)('0' + m % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + d / 10);
    buf[9] = (char)('0' + d % 10);
    buf[10] = '\0';
}

/* "-1234567,89" (the book's form, sep ',') or "-1234567.89" (sep '.'). */
static void fmt_amount(char *buf, int64_t ore, char sep)
{
    uint64_t a = ore < 0 ? (uint64_t)-ore : (uint64_t)ore;
    snprintf(buf, 32, "%s%llu%c%02llu", ore < 0 ? "-" : "",
             (unsigned long long)(a / 100), sep,
             (unsigned long long)(a % 100));
}

/* An amount in öre: mostly small, some up to millions, always with öre. */
static int64_t rnd_amount(int income)
{
    int64_t r = rnd_range(0, 999), v;
    if (r < 600)
        v = rnd_range(10000, 1000000); /* 100 kr - 10 000 kr */
    else if (r < 900)
        v = rnd_range(1000000, 20000000); /* 10 tkr - 200 tkr */
    else if (r < 990)
        v = rnd_range(20000000, 200000000); /* 200 tkr - 2 mnkr */
    else
        v = rnd_range(200000000, 999999999); /* 2 - 10 mnkr */
    return income ? v * 4 : v;
}

/* ---- output helpers ------------------------------------------------------ */

static FILE *open_out(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    return f;
}

static void close_out(FILE *f)
{
    if (ferror(f) || fclose(f) != 0) {
        perror("gen: write");
        exit(1);
    }
}

static void mkdir_p(const char *dir)
{
    if (mkdir(dir, 0777) != 0) {
        struct stat st;
        if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            perror(dir);
            exit(1);
        }
    }
}

#define BOM "\xEF\xBB\xBF"

/* A CSV field as samla writes it: quoted only when it holds ';' or '"'
 * (the generator's texts never hold line breaks or edge spaces). */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ";\"")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* The text of an entry (what it concerns). */
static void entry_text(char *buf, size_t n, const entry *e, const entry *all)
{
    const account *a = &accounts[e->account];
    if (e->corr >= 0) {
        const entry *o = &all[e->corr];
        char inner[160];
        entry_text(inner, sizeof inner, o, all);
        snprintf(buf, n, "Rättelse av %d:%d: %s", o->year, o->ver, inner);
    } else if (a->income) {
        snprintf(buf, n, "%s %s kv %d", income_texts[e->text],
                 funders[e->funder].code, (e->ver % 4) + 1);
    } else {
        snprintf(buf, n, "%s %s nr %d", cost_texts[e->text],
                 activities[e->activity].code, e->ver);
    }
}

static void entry_doc(char *buf, size_t n, const entry *e)
{
    snprintf(buf, n, "F-%d-%06d", e->year, e->ver);
}

static void entry_registered(char *buf, size_t n, const entry *e)
{
    char d[11];
    fmt_date(d, e->day + 7);
    snprintf(buf, n, "%sT09:%02d:%02dZ", d, e->ver % 60, (e->ver / 60) % 60);
}

static const char USER[] = "bench";
static const char SOURCE[] = "import bench";

/* ---- main ---------------------------------------------------------------- */

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5) {
        fprintf(stderr, "usage: gen N OUTDIR [SEED [YEARS]]\n");
        return 2;
    }
    if (argc == 5) {
        NYEARS = atoi(argv[4]);
        if (NYEARS < 1 || NYEARS > MAX_YEARS) {
            fprintf(stderr, "gen: YEARS must be 1..%d\n", MAX_YEARS);
            return 2;
        }
    }
    long n = strtol(argv[1], NULL, 10);
    if (n < NYEARS * 10 || n > 100000000L) {
        fprintf(stderr, "gen: N must be between %d and 100000000\n",
                NYEARS * 10);
        return 2;
    }
    const char *out = argv[2];
    uint64_t seed = argc >= 4 ? strtoull(argv[3], NULL, 10) : 20250101ULL;
    rng_state = seed;

    entry *es = calloc((size_t)n, sizeof *es);
    if (!es) {
        perror("gen");
        return 1;
    }

    /* 1. Draw the entries, year by year, in date order; voucher numbers
     * run 1, 2, 3 ... within each year. */
    long k = 0;
    long first_of_year[MAX_YEARS];
    for (int yi = 0; yi < NYEARS; yi++) {
        int year = FIRST_YEAR + yi;
        long ny = n / NYEARS + (yi < n % NYEARS ? 1 : 0);
        int days = is_leap(year) ? 366 : 365;
        int32_t jan1 = days_from_civil(year, 1, 1);
        first_of_year[yi] = k;
        for (long i = 0; i < ny; i++, k++) {
            entry *e = &es[k];
            e->year = (int16_t)year;
            e->ver = (int32_t)(i + 1);
            /* Jan 2 .. Dec 31, evenly spread, so the file is in date order. */
            e->day = jan1 + 1 + (int32_t)(i * (days - 1) / ny);
            e->corr = -1;
            e->earmark = -1;
            e->funder = -1;
            e->activity = -1;
            /* Voucher 1 of each year: the grant's yearly payment (its
             * amount is set in step 2, once the year's draws are known). */
            if (i == 0) {
                e->account = 0; /* 3510 Statsbidrag */
                e->funder = 0;  /* STATEN */
                e->activity = ACT_FAR;
                e->earmark = EM_GRANT;
                e->text = 1;
                continue;
            }
            /* Now and then, a correction reversing an earlier voucher of
             * the same year that is neither a correction nor reversed. */
            if (i > 20 && rnd_range(0, 249) == 0) {
                long j = k - 1 - rnd_range(0, 19);
                if (j > first_of_year[yi] && es[j].corr < 0 &&
                    es[j].corr != -2) {
                    *e = es[j];
                    e->year = (int16_t)year;
                    e->ver = (int32_t)(i + 1);
                    e->day = jan1 + 1 + (int32_t)(i * (days - 1) / ny);
                    e->corr = (int32_t)j;
                    e->ore = -es[j].ore;
                    es[j].corr = -2; /* mark: reversed */
                    continue;
                }
            }
            if (rnd_range(0, 4) == 0) { /* income */
                int a = (int)rnd_range(0, FIRST_COST - 1);
                e->account = (int8_t)a;
                e->funder = (int8_t)(accounts[a].funder >= 0
                                         ? accounts[a].funder
                                         : rnd_range(0, NFUNDERS - 1));
                if (rnd_range(0, 2) == 0)
                    e->activity = (int8_t)rnd_range(0, NACTIVITIES - 1);
                e->text = (int8_t)rnd_range(0, NTEXTS(income_texts) - 1);
                e->ore = rnd_amount(1);
            } else { /* cost */
                e->account = (int8_t)rnd_range(FIRST_COST, NACCOUNTS - 1);
                e->activity = (int8_t)rnd_range(0, NACTIVITIES - 1);
                e->text = (int8_t)rnd_range(0, NTEXTS(cost_texts) - 1);
                e->ore = rnd_amount(0);
                for (int m = 0; m < NEARMARKS; m++)
                    if (earmarks[m].activity == e->activity &&
                        rnd_range(0, 2) == 0)
                        e->earmark = (int8_t)m;
            }
        }
    }
    for (long i = 0; i < n; i++)
        if (es[i].corr == -2)
            es[i].corr = -1;

    /* 2. Amounts that depend on the rest: the grant covers the year's
     * tagged costs plus 10 %; each reservation covers all its draws plus
     * 10 %; the opening surplus covers the reservations and 10 mnkr more. */
    int64_t drawn[NEARMARKS] = {0};
    for (int yi = 0; yi < NYEARS; yi++) {
        long lo = first_of_year[yi], hi = yi + 1 < NYEARS ? first_of_year[yi + 1] : n;
        int64_t grant = 0;
        for (long i = lo; i < hi; i++)
            if (es[i].earmark == EM_GRANT && !accounts[es[i].account].income)
                grant += es[i].ore;
        es[lo].ore = grant + grant / 10 + 100000000; /* + 1 mnkr */
    }
    for (long i = 0; i < n; i++)
        if (es[i].earmark >= 0 && !accounts[es[i].account].income)
            drawn[es[i].earmark] += es[i].ore;
    /* A correction may refer back to a grant payment; keep those intact
     * by never having reversed voucher 1 (j > first_of_year above). */
    int64_t reserve[NEARMARKS] = {0}, reserved_total = 0;
    for (int m = 0; m < NEARMARKS; m++) {
        if (m == EM_GRANT)
            continue;
        reserve[m] = (drawn[m] + drawn[m] / 10) / 100000 * 100000 + 100000000;
        reserved_total += reserve[m];
    }
    int64_t opening = reserved_total + 1000000000 + 4217;

    /* 3. Totals the tools must agree on. */
    int64_t inc_year[MAX_YEARS] = {0}, cost_year[MAX_YEARS] = {0};
    int64_t act_year[MAX_YEARS][NACTIVITIES], fun_year[MAX_YEARS][NFUNDERS];
    int64_t act_quarter[NACTIVITIES] = {0};
    memset(act_year, 0, sizeof act_year);
    memset(fun_year, 0, sizeof fun_year);
    int32_t q_from = days_from_civil(LAST_YEAR, 3 * BENCH_QUARTER - 2, 1);
    int32_t q_to = BENCH_QUARTER == 4
                       ? days_from_civil(LAST_YEAR + 1, 1, 1)
                       : days_from_civil(LAST_YEAR, 3 * BENCH_QUARTER + 1, 1);
    for (long i = 0; i < n; i++) {
        const entry *e = &es[i];
        int yi = e->year - FIRST_YEAR;
        if (accounts[e->account].income) {
            inc_year[yi] += e->ore;
            fun_year[yi][e->funder] += e->ore;
        } else {
            cost_year[yi] += e->ore;
            act_year[yi][e->activity] += e->ore;
            if (e->day >= q_from && e->day < q_to)
                act_quarter[e->activity] += e->ore;
        }
    }

    /* 4. The book. */
    char dir[4096];
    mkdir_p(out);
    snprintf(dir, sizeof dir, "%s/book", out);
    mkdir_p(dir);
    char a1[32], a2[32], a3[32], a4[32], a5[32], d[11], d2[11];
    FILE *f;

    f = open_out(dir, "organisation.csv");
    fmt_amount(a1, opening, ',');
    fmt_date(d, days_from_civil(FIRST_YEAR, 1, 1));
    fprintf(f, BOM "Namn;Kortnamn;Valuta;Startdatum;Ingående ackumulerat "
                   "överskott\r\n"
                   "Benchmarkförbundet (syntetisk bok, %ld verifikationer);"
                   "BENCH;SEK;%s;%s\r\n",
            n, d, a1);
    close_out(f);

    f = open_out(dir, "finansiarer.csv");
    fputs(BOM "Kod;Namn;Typ;Invånare\r\n", f);
    for (int i = 0; i < NFUNDERS; i++) {
        fprintf(f, "%s;%s;%s;", funders[i].code, funders[i].name,
                funders[i].type);
        if (funders[i].population)
            fprintf(f, "%ld", funders[i].population);
        fputs("\r\n", f);
    }
    close_out(f);

    f = open_out(dir, "konton.csv");
    fputs(BOM "Konto;Namn;Typ\r\n", f);
    for (int i = 0; i < NACCOUNTS; i++)
        fprintf(f, "%s;%s;%s\r\n", accounts[i].number, accounts[i].name,
                accounts[i].income ? "intäkt" : "kostnad");
    close_out(f);

    f = open_out(dir, "verksamheter.csv");
    fputs(BOM "Kod;Namn;Specifikation\r\n", f);
    for (int i = 0; i < NACTIVITIES; i++)
        fprintf(f, "%s;%s;%s\r\n", activities[i].code, activities[i].name,
                activities[i].spec ? "ja" : "nej");
    close_out(f);

    f = open_out(dir, "oronmarkningar.csv");
    fputs(BOM "Kod;Händelse;Typ;Ändamål;Belopp;Beslutsorgan;Beslutsdatum;"
              "Paragraf;Giltig från;Giltig till;Registrerad;Användare\r\n",
          f);
    fmt_date(d2, days_from_civil(LAST_YEAR, 12, 31));
    for (int m = 0; m < NEARMARKS; m++) {
        /* A grant's reservation row carries a token amount: its balance
         * comes from the tagged income (file-formats.md). */
        fmt_amount(a1, m == EM_GRANT ? 100 : reserve[m], ',');
        fprintf(f, "%s;reservera;%s;%s;%s;Samordningsgruppen;%s;§ %d;%s;%s;"
                   "%sT12:00:00Z;%s\r\n",
                earmarks[m].code, earmarks[m].type, earmarks[m].purpose, a1, d,
                m + 3, d, d2, d, USER);
    }
    close_out(f);

    f = open_out(dir, "verifikationer.csv");
    fputs(BOM "Ver;Datum;Konto;Verksamhet;Finansiär;Öronmärkning;Belopp;Text;"
              "Underlag;Rättar;Registrerad;Användare;Källa;Fingeravtryck\r\n",
          f);
    for (long i = 0; i < n; i++) {
        const entry *e = &es[i];
        char text[200], doc[32], reg[32];
        fmt_date(d, e->day);
        fmt_amount(a1, e->ore, ',');
        entry_text(text, sizeof text, e, es);
        entry_doc(doc, sizeof doc, e);
        entry_registered(reg, sizeof reg, e);
        fprintf(f, "%d;%s;%s;%s;%s;%s;%s;", e->ver, d,
                accounts[e->account].number,
                e->activity >= 0 ? activities[e->activity].code : "",
                e->funder >= 0 ? funders[e->funder].code : "",
                e->earmark >= 0 ? earmarks[e->earmark].code : "", a1);
        csv_field(f, text);
        fprintf(f, ";%s;", doc);
        if (e->corr >= 0)
            fprintf(f, "%d:%d", es[e->corr].year, es[e->corr].ver);
        fprintf(f, ";%s;%s;%s;\r\n", reg, USER, SOURCE);
    }
    close_out(f);

    /* Budget: per year, per funder and per activity, near the outcome. */
    f = open_out(dir, "budget.csv");
    fputs(BOM "År;Typ;Kod;Konto;Q1;Q2;Q3;Q4;Prognos;Text\r\n", f);
    for (int yi = 0; yi < NYEARS; yi++) {
        for (int i = 0; i < NFUNDERS + NACTIVITIES; i++) {
            int inc = i < NFUNDERS;
            int64_t base = inc ? fun_year[yi][i] : act_year[yi][i - NFUNDERS];
            /* 90 %..110 % of the outcome, whole hundreds of kronor. */
            int64_t year_b = base / 100 * rnd_range(90, 110) / 10000 * 10000;
            int64_t q = year_b / 4;
            fmt_amount(a1, q, ',');
            fmt_amount(a2, q, ',');
            fmt_amount(a3, q, ',');
            fmt_amount(a4, year_b - 3 * q, ',');
            fprintf(f, "%d;%s;%s;;%s;%s;%s;%s;", FIRST_YEAR + yi,
                    inc ? "intäkt" : "kostnad",
                    inc ? funders[i].code : activities[i - NFUNDERS].code, a1,
                    a2, a3, a4);
            if (i % 7 == 3) {
                fmt_amount(a5, base / 100 * 105, ',');
                fputs(a5, f);
            }
            fprintf(f, ";Budget %d\r\n", FIRST_YEAR + yi);
        }
    }
    close_out(f);

    /* No year is closed: closing is samla's own job (`samla close`), and
     * its checksums are not the generator's business. */
    f = open_out(dir, "bokslut.csv");
    fputs(BOM "År;Händelse;Resultat;Utgående ackumulerat överskott;"
              "Antal verifikationer;Kontrollsumma;Registrerad;Användare;"
              "Motivering\r\n",
          f);
    close_out(f);

    /* 5. The journal for ledger-cli and hledger. */
    f = open_out(out, "book.journal");
    fprintf(f, "; Synthetic book of %ld entries (bench/gen.c, seed %llu).\n"
               "; One transaction per samla entry; see gen.c for the "
               "mapping.\n\n",
            n, (unsigned long long)seed);
    for (long i = 0; i < n; i++) {
        const entry *e = &es[i];
        char text[200];
        int inc = accounts[e->account].income;
        fmt_date(d, e->day);
        fmt_amount(a1, inc ? -e->ore : e->ore, '.');
        entry_text(text, sizeof text, e, es);
        for (char *p = text; *p; p++)
            if (*p == ';')
                *p = ',';
        fprintf(f, "%s * (%d:%d) %s\n", d, e->year, e->ver, text);
        if (e->earmark >= 0)
            fprintf(f, "    ; earmark: %s\n", earmarks[e->earmark].code);
        if (inc)
            fprintf(f, "    Intäkter:%s:%s    %s SEK\n",
                    funders[e->funder].code, accounts[e->account].number, a1);
        else
            fprintf(f, "    Kostnader:%s:%s    %s SEK\n",
                    activities[e->activity].code, accounts[e->account].number,
                    a1);
        fputs("    Tillgångar:Bank\n\n", f);
    }
    close_out(f);

    /* 6. The same for beancount: Swedish root names, opened accounts. */
    f = open_out(out, "book.beancount");
    fprintf(f, "; Synthetic book of %ld entries (bench/gen.c).\n"
               "option \"title\" \"Benchmarkförbundet\"\n"
               "option \"operating_currency\" \"SEK\"\n"
               "option \"name_assets\" \"Tillgångar\"\n"
               "option \"name_income\" \"Intäkter\"\n"
               "option \"name_expenses\" \"Kostnader\"\n\n",
            n);
    fmt_date(d, days_from_civil(FIRST_YEAR, 1, 1));
    fprintf(f, "%s open Tillgångar:Bank SEK\n", d);
    for (int i = 0; i < NFUNDERS; i++)
        for (int a = 0; a < FIRST_COST; a++)
            fprintf(f, "%s open Intäkter:%s:%s SEK\n", d, funders[i].code,
                    accounts[a].number);
    for (int i = 0; i < NACTIVITIES; i++)
        for (int a = FIRST_COST; a < NACCOUNTS; a++)
            fprintf(f, "%s open Kostnader:%s:%s SEK\n", d, activities[i].code,
                    accounts[a].number);
    fputs("\n", f);
    for (long i = 0; i < n; i++) {
        const entry *e = &es[i];
        char text[200];
        int inc = accounts[e->account].income;
        fmt_date(d, e->day);
        fmt_amount(a1, inc ? -e->ore : e->ore, '.');
        entry_text(text, sizeof text, e, es);
        fprintf(f, "%s * \"%s\"\n  ver: \"%d:%d\"\n", d, text, e->year,
                e->ver);
        if (e->earmark >= 0)
            fprintf(f, "  earmark: \"%s\"\n", earmarks[e->earmark].code);
        if (inc)
            fprintf(f, "  Intäkter:%s:%s  %s SEK\n", funders[e->funder].code,
                    accounts[e->account].number, a1);
        else
            fprintf(f, "  Kostnader:%s:%s  %s SEK\n",
                    activities[e->activity].code, accounts[e->account].number,
                    a1);
        fputs("  Tillgångar:Bank\n\n", f);
    }
    close_out(f);

    /* 7. What the tools must agree on (öre). */
    f = open_out(out, "expected.txt");
    int64_t inc_all = 0, cost_all = 0;
    for (int yi = 0; yi < NYEARS; yi++) {
        inc_all += inc_year[yi];
        cost_all += cost_year[yi];
    }
    fprintf(f, "entries %ld\nyear %d\nquarter %dQ%d\n", n, LAST_YEAR,
            LAST_YEAR, BENCH_QUARTER);
    fmt_date(d, q_from);
    fmt_date(d2, q_to);
    fprintf(f, "quarter_from %s\nquarter_end %s\n", d, d2); /* end exclusive */
    fprintf(f, "income_all %lld\ncost_all %lld\n", (long long)inc_all,
            (long long)cost_all);
    int ly = NYEARS - 1;
    fprintf(f, "income_year %lld\ncost_year %lld\n", (long long)inc_year[ly],
            (long long)cost_year[ly]);
    for (int i = 0; i < NFUNDERS; i++)
        fprintf(f, "year_funder %s %lld\n", funders[i].code,
                (long long)fun_year[ly][i]);
    for (int i = 0; i < NACTIVITIES; i++)
        fprintf(f, "year_activity %s %lld\n", activities[i].code,
                (long long)act_year[ly][i]);
    for (int i = 0; i < NACTIVITIES; i++)
        fprintf(f, "quarter_activity %s %lld\n", activities[i].code,
                (long long)act_quarter[i]);
    close_out(f);
    free(es);
    return 0;
}
