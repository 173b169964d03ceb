/*
 * Unit tests for date.c: calendar arithmetic, strict parsing, periods.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "date.h"

/* An independent leap rule, so the round trip does not test date.c
 * against itself. */
static int ref_mdays(int y, int m) {
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : len[m - 1];
}

static void test_epoch_values(void **state) {
    (void)state;
    assert_int_equal(date_make(1970, 1, 1), 0);
    assert_int_equal(date_make(1969, 12, 31), -1);
    assert_int_equal(date_make(1900, 1, 1), -25567);
    assert_int_equal(date_make(2000, 2, 29), 11016);
    assert_int_equal(date_make(2024, 2, 29), 19782);
    assert_int_equal(date_make(2026, 3, 15), 20527);
    assert_int_equal(date_make(2100, 12, 31), 47846);
    assert_int_equal(date_make(9999, 12, 31), 2932896);
}

/* Every day 1900-01-01..2100-12-31: consecutive numbers, split, format and
 * parse all agree with an independently counted calendar. */
static void test_round_trip(void **state) {
    (void)state;
    date_t expect = -25567;
    long count = 0;
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= ref_mdays(y, m); d++, expect++, count++) {
                char want[40], buf[16];
                int yy, mm, dd;
                date_t p;
                assert_int_equal(date_make(y, m, d), expect);
                date_split(expect, &yy, &mm, &dd);
                assert_int_equal(yy, y);
                assert_int_equal(mm, m);
                assert_int_equal(dd, d);
                assert_int_equal(date_year(expect), y);
                assert_int_equal(date_month(expect), m);
                snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, d);
                date_format(expect, buf);
                assert_string_equal(buf, want);
                assert_int_equal(date_parse(&p, want, 10, NULL, NULL), 0);
                assert_int_equal(p, expect);
            }
        }
    }
    assert_int_equal(expect, 47847);
    assert_int_equal(count, 73414);
}

static void test_leap_years(void **state) {
    (void)state;
    assert_int_equal(date_make(1900, 2, 29), DATE_NONE);
    assert_int_not_equal(date_make(2000, 2, 29), DATE_NONE);
    assert_int_not_equal(date_make(2024, 2, 29), DATE_NONE);
    assert_int_equal(date_make(2100, 2, 29), DATE_NONE);
    assert_int_equal(date_make(2025, 2, 29), DATE_NONE);
    /* Year lengths via day numbers. */
    assert_int_equal(date_make(1901, 1, 1) - date_make(1900, 1, 1), 365);
    assert_int_equal(date_make(2001, 1, 1) - date_make(2000, 1, 1), 366);
    assert_int_equal(date_make(2025, 1, 1) - date_make(2024, 1, 1), 366);
    assert_int_equal(date_make(2101, 1, 1) - date_make(2100, 1, 1), 365);
}

static void test_make_refuses(void **state) {
    (void)state;
    assert_int_equal(date_make(2025, 2, 30), DATE_NONE);
    assert_int_equal(date_make(2025, 4, 31), DATE_NONE);
    assert_int_equal(date_make(2025, 0, 1), DATE_NONE);
    assert_int_equal(date_make(2025, 13, 1), DATE_NONE);
    assert_int_equal(date_make(2025, 1, 0), DATE_NONE);
    assert_int_equal(date_make(2025, 1, 32), DATE_NONE);
    assert_int_equal(date_make(1000000, 1, 1), DATE_NONE);
}

static void test_quarter_tertial(void **state) {
    (void)state;
    static const struct { int m, d, q, t; } cases[] = {
        {1, 1, 1, 1},   {3, 31, 1, 1},  {4, 1, 2, 1},   {4, 30, 2, 1},
        {5, 1, 2, 2},   {6, 30, 2, 2},  {7, 1, 3, 2},   {8, 31, 3, 2},
        {9, 1, 3, 3},   {9, 30, 3, 3},  {10, 1, 4, 3},  {12, 31, 4, 3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        date_t d = date_make(2026, cases[i].m, cases[i].d);
        assert_int_equal(date_quarter(d), cases[i].q);
        assert_int_equal(date_tertial(d), cases[i].t);
    }
}

/* One refused date: text, expected 1-based column and message. */
static void refuse(const char *s, size_t len, size_t col, const char *msg) {
    date_t d = 12345;
    size_t c = 0;
    const char *m = NULL;
    assert_int_equal(date_parse(&d, s, len, &c, &m), -1);
    assert_int_equal(d, 12345); /* untouched on failure */
    assert_int_equal(c, col);
    assert_non_null(m);
    assert_string_equal(m, msg);
}

static void test_parse_refused(void **state) {
    (void)state;
    const char *form = "ogiltigt datum, väntade ÅÅÅÅ-MM-DD";
    refuse("2025-02-30", 10, 9, "dagen finns inte i månaden");
    refuse("2025-04-31", 10, 9, "dagen finns inte i månaden");
    refuse("1900-02-29", 10, 9, "dagen finns inte i månaden");
    refuse("2025-01-00", 10, 9, "ogiltig dag");
    refuse("2025-01-32", 10, 9, "ogiltig dag");
    refuse("2025-13-01", 10, 6, "ogiltig månad");
    refuse("2025-00-01", 10, 6, "ogiltig månad");
    refuse("1899-12-31", 10, 1, "ogiltigt år (1900–9999)");
    refuse("0000-01-01", 10, 1, "ogiltigt år (1900–9999)");
    refuse("25-01-01", 8, 3, form);
    refuse("2025/01/01", 10, 5, form);
    refuse("2025-1-01", 9, 7, form);
    refuse("2025-01-1", 9, 10, form);
    refuse("x025-01-01", 10, 1, form);
    refuse("2025-01-0a", 10, 10, form);
    refuse("20250101", 8, 5, form);
    refuse("", 0, 1, form);
    refuse("2025-01", 7, 8, form);
    refuse(" 2025-01-01", 11, 1, form);
    refuse("2025-01-01x", 11, 11, "oväntade tecken efter datumet");
    refuse("2025-01-01 ", 11, 11, "oväntade tecken efter datumet");
    /* len bounds the text: the same bytes with a shorter length. */
    refuse("2025-01-01", 9, 10, form);
    /* NULL outputs are allowed. */
    assert_int_equal(date_parse(NULL, "2025-02-30", 10, NULL, NULL), -1);
}

static void test_parse_not_terminated(void **state) {
    (void)state;
    char buf[10];
    date_t d;
    memcpy(buf, "2026-03-15", 10); /* no NUL */
    assert_int_equal(date_parse(&d, buf, sizeof buf, NULL, NULL), 0);
    assert_int_equal(d, 20527);
    assert_int_equal(date_parse(&d, "9999-12-31", 10, NULL, NULL), 0);
    assert_int_equal(d, 2932896);
}

static void test_format_out_of_range(void **state) {
    (void)state;
    char buf[11];
    date_format(DATE_NONE, buf);
    assert_string_equal(buf, "XXXX-XX-XX");
    date_format(date_make(10000, 1, 1), buf);
    assert_string_equal(buf, "XXXX-XX-XX");
}

static void test_today(void **state) {
    (void)state;
    assert_int_equal(setenv("SAMLA_TODAY", "2026-03-15", 1), 0);
    assert_int_equal(date_today(), 20527);
    /* An invalid override is ignored: today is then the real clock, which
     * is certainly after this code was written. */
    assert_int_equal(setenv("SAMLA_TODAY", "2026-02-30", 1), 0);
    assert_true(date_today() > date_make(2025, 1, 1));
    assert_int_equal(unsetenv("SAMLA_TODAY"), 0);
    assert_true(date_today() > date_make(2025, 1, 1));
    assert_true(date_today() < date_make(2200, 1, 1));
}

/* The Swedish date of the instant `stamp` (UTC), through date_today with
 * $SAMLA_NOW as the clock and neither $SAMLA_TODAY nor $TZ set. */
static void today_at(const char *stamp, const char *want) {
    char buf[11];
    assert_int_equal(unsetenv("SAMLA_TODAY"), 0);
    assert_int_equal(setenv("SAMLA_NOW", stamp, 1), 0);
    date_format(date_today(), buf);
    assert_string_equal(buf, want);
}

static void test_today_is_swedish(void **state) {
    (void)state;
    char *tz = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    assert_int_equal(unsetenv("TZ"), 0);
    /* New Year's Eve: CET, UTC+1. */
    today_at("2025-12-31T22:59:59Z", "2025-12-31");
    today_at("2025-12-31T23:00:00Z", "2026-01-01");
    today_at("2025-12-31T23:30:00Z", "2026-01-01");
    today_at("2026-01-01T00:30:00Z", "2026-01-01");
    /* Midnight in summer: CEST, UTC+2. */
    today_at("2026-06-30T21:59:59Z", "2026-06-30");
    today_at("2026-06-30T22:00:00Z", "2026-07-01");
    today_at("2026-06-30T23:30:00Z", "2026-07-01");
    /* The changes: last Sunday of March and of October, 01:00 UTC. */
    today_at("2026-03-28T22:59:59Z", "2026-03-28"); /* 23:59:59 CET */
    today_at("2026-03-28T23:00:00Z", "2026-03-29"); /* 00:00 CET */
    today_at("2026-03-29T00:59:59Z", "2026-03-29"); /* 01:59:59 CET */
    today_at("2026-03-29T01:00:00Z", "2026-03-29"); /* 03:00 CEST */
    today_at("2026-03-29T21:59:59Z", "2026-03-29"); /* 23:59:59 CEST */
    today_at("2026-03-29T22:00:00Z", "2026-03-30");
    today_at("2026-10-24T21:59:59Z", "2026-10-24"); /* 23:59:59 CEST */
    today_at("2026-10-24T22:00:00Z", "2026-10-25"); /* 00:00 CEST */
    today_at("2026-10-25T22:59:59Z", "2026-10-25"); /* 23:59:59 CET */
    today_at("2026-10-25T23:00:00Z", "2026-10-26");
    /* 2025: March 30 and October 26; a leap year's February. */
    today_at("2025-03-29T23:30:00Z", "2025-03-30");
    today_at("2025-03-30T22:30:00Z", "2025-03-31"); /* CEST already */
    today_at("2025-10-25T22:30:00Z", "2025-10-26");
    today_at("2025-10-26T22:30:00Z", "2025-10-26"); /* CET again */
    today_at("2028-02-28T23:00:00Z", "2028-02-29");
    /* With $TZ set, that zone (a POSIX rule: no time zone data needed). */
    assert_int_equal(setenv("TZ", "UTC0", 1), 0);
    tzset();
    today_at("2025-12-31T23:30:00Z", "2025-12-31");
    assert_int_equal(setenv("TZ", "EST5", 1), 0);
    tzset();
    today_at("2026-01-01T04:59:59Z", "2025-12-31");
    /* $SAMLA_TODAY wins over $SAMLA_NOW. */
    assert_int_equal(setenv("SAMLA_NOW", "2025-12-31T23:30:00Z", 1), 0);
    assert_int_equal(setenv("SAMLA_TODAY", "2024-05-05", 1), 0);
    assert_int_equal(date_today(), date_make(2024, 5, 5));
    assert_int_equal(unsetenv("SAMLA_TODAY"), 0);
    assert_int_equal(unsetenv("SAMLA_NOW"), 0);
    if (tz) {
        assert_int_equal(setenv("TZ", tz, 1), 0);
        free(tz);
    } else {
        assert_int_equal(unsetenv("TZ"), 0);
    }
    tzset();
}

/* The built-in rule against the time zone database (tzdata), every 15
 * minutes of 2020-2030, when the database is there (else skipped). */
static void test_today_matches_tzdata(void **state) {
    (void)state;
    if (access("/usr/share/zoneinfo/Europe/Stockholm", R_OK) != 0) {
        skip();
        return;
    }
    char *tz = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    int64_t from = (int64_t)date_make(2020, 1, 1) * 86400;
    int64_t to = (int64_t)date_make(2031, 1, 1) * 86400;
    size_t n = 0;
    for (int64_t t = from; t < to; t += 900, n++) {
        assert_int_equal(unsetenv("TZ"), 0);
        date_t ours = date_local_of(t);
        assert_int_equal(setenv("TZ", "Europe/Stockholm", 1), 0);
        tzset();
        date_t theirs = date_local_of(t);
        if (ours != theirs) {
            char a[11], b[11];
            date_format(ours, a);
            date_format(theirs, b);
            fail_msg("at %lld: built-in %s, tzdata %s", (long long)t, a, b);
        }
    }
    assert_true(n > 380000);
    if (tz) {
        assert_int_equal(setenv("TZ", tz, 1), 0);
        free(tz);
    } else {
        assert_int_equal(unsetenv("TZ"), 0);
    }
    tzset();
}

static void test_instant_and_stamp(void **state) {
    (void)state;
    int64_t t;
    char buf[32];
    assert_int_equal(date_parse_instant("1970-01-01T00:00:00Z", &t), 0);
    assert_int_equal(t, 0);
    assert_int_equal(date_parse_instant("2025-12-31T23:30:00Z", &t), 0);
    assert_int_equal(t, 1767223800);
    assert_int_equal(date_parse_instant("2025-12-31T23:30:00", &t), -1);
    assert_int_equal(date_parse_instant("2025-12-31 23:30:00Z", &t), -1);
    assert_int_equal(date_parse_instant("2025-12-31T24:00:00Z", &t), -1);
    assert_int_equal(date_parse_instant("2025-02-30T10:00:00Z", &t), -1);
    assert_int_equal(date_parse_instant(NULL, &t), -1);
    /* An invalid $SAMLA_NOW is not a clock: today is then real. */
    assert_int_equal(unsetenv("SAMLA_TODAY"), 0);
    assert_int_equal(setenv("SAMLA_NOW", "snart", 1), 0);
    assert_true(date_today() > date_make(2025, 1, 1));
    /* Registration stamps stay UTC with a Z. */
    assert_int_equal(setenv("SAMLA_NOW", "2025-12-31T23:30:00Z", 1), 0);
    date_now_utc(buf, sizeof buf);
    assert_string_equal(buf, "2025-12-31T23:30:00Z");
    assert_int_equal(unsetenv("SAMLA_NOW"), 0);
    date_now_utc(buf, sizeof buf);
    assert_int_equal(strlen(buf), 20);
    assert_int_equal(buf[10], 'T');
    assert_int_equal(buf[19], 'Z');
    assert_int_equal(date_parse_instant(buf, &t), 0);
    assert_true(t >= (int64_t)time(NULL) - 5 && t <= (int64_t)time(NULL));
}

/* Parse s and check range and label. */
static void period_is(const char *s, const char *from, const char *to,
                      const char *label) {
    period_t p;
    const char *msg = NULL;
    char a[11], b[11];
    assert_int_equal(period_parse(&p, s, &msg), 0);
    date_format(p.from, a);
    date_format(p.to, b);
    assert_string_equal(a, from);
    assert_string_equal(b, to);
    assert_string_equal(p.label, label);
}

static void test_period_forms(void **state) {
    (void)state;
    period_is("2026", "2026-01-01", "2026-12-31", "2026");
    period_is("2024Q1", "2024-01-01", "2024-03-31", "2024Q1");
    period_is("2026Q2", "2026-04-01", "2026-06-30", "2026Q2");
    period_is("2026q3", "2026-07-01", "2026-09-30", "2026Q3");
    period_is("2026Q4", "2026-10-01", "2026-12-31", "2026Q4");
    period_is("2026T1", "2026-01-01", "2026-04-30", "2026T1");
    period_is("2026T2", "2026-05-01", "2026-08-31", "2026T2");
    period_is("2026t3", "2026-09-01", "2026-12-31", "2026T3");
    period_is("2026-03", "2026-03-01", "2026-03-31", "2026-03");
    period_is("2024-02", "2024-02-01", "2024-02-29", "2024-02");
    period_is("2100-02", "2100-02-01", "2100-02-28", "2100-02");
    period_is("2026-03-15", "2026-03-15", "2026-03-15", "2026-03-15");
    period_is("2025-07-01..2026-06-30", "2025-07-01", "2026-06-30",
              "2025-07-01..2026-06-30");
    period_is("2026-03-15..2026-03-15", "2026-03-15", "2026-03-15",
              "2026-03-15..2026-03-15");
    period_is("1900", "1900-01-01", "1900-12-31", "1900");
    period_is("9999Q4", "9999-10-01", "9999-12-31", "9999Q4");
}

static void period_refused(const char *s, const char *msg) {
    period_t p;
    const char *m = NULL;
    assert_int_equal(period_parse(&p, s, &m), -1);
    assert_non_null(m);
    assert_string_equal(m, msg);
}

static void test_period_refused(void **state) {
    (void)state;
    const char *gen = "ogiltig period; exempel: 2026, 2026Q1, 2026T2, "
                      "2026-03, 2025-07-01..2026-06-30";
    period_refused("", gen);
    period_refused(NULL, gen);
    period_refused("26", gen);
    period_refused("abcd", gen);
    period_refused("20266", gen);
    period_refused("2026Q", gen);
    period_refused("2026X1", gen);
    period_refused("2026Qa", gen);
    period_refused("2026Q12", gen);
    period_refused("2026-3", gen);
    period_refused("2026/03", gen);
    period_refused(" 2026", gen);
    period_refused("2026 ", gen);
    period_refused("1899", "ogiltigt år (1900–9999)");
    period_refused("1899Q1", "ogiltigt år (1900–9999)");
    period_refused("0000-01", "ogiltigt år (1900–9999)");
    period_refused("2026Q0", "ogiltigt kvartal (Q1–Q4)");
    period_refused("2026Q5", "ogiltigt kvartal (Q1–Q4)");
    period_refused("2026T0", "ogiltigt tertial (T1–T3)");
    period_refused("2026T4", "ogiltigt tertial (T1–T3)");
    period_refused("2026-13", "ogiltig månad");
    period_refused("2026-00", "ogiltig månad");
    period_refused("2026-02-30", "dagen finns inte i månaden");
    period_refused("2026-02-3", "ogiltigt datum, väntade ÅÅÅÅ-MM-DD");
    period_refused("2026-06-30..2025-07-01",
                   "periodens början ligger efter dess slut");
    period_refused("2025-07-01..", "ogiltigt datum, väntade ÅÅÅÅ-MM-DD");
    period_refused("2025-07-01..2026-02-30", "dagen finns inte i månaden");
    period_refused("2025-07-01...2026-06-30",
                   "ogiltigt datum, väntade ÅÅÅÅ-MM-DD");
    period_refused("2025-07-01..2026-06-30x", "oväntade tecken efter datumet");
    period_refused("2025-07-01-2026-06-30", "oväntade tecken efter datumet");
    /* A NULL errmsg is allowed. */
    period_t p;
    assert_int_equal(period_parse(&p, "2026Q5", NULL), -1);
}

static void test_period_contains(void **state) {
    (void)state;
    period_t p;
    period_quarter(&p, 2026, 2);
    assert_false(period_contains(&p, date_make(2026, 3, 31)));
    assert_true(period_contains(&p, date_make(2026, 4, 1)));
    assert_true(period_contains(&p, date_make(2026, 6, 30)));
    assert_false(period_contains(&p, date_make(2026, 7, 1)));
    assert_false(period_contains(&p, DATE_NONE));
}

static void test_period_by(void **state) {
    (void)state;
    static const struct { const char *s; period_by by; } ok[] = {
        {"month", PERIOD_BY_MONTH},     {"månad", PERIOD_BY_MONTH},
        {"Month", PERIOD_BY_MONTH},     {"quarter", PERIOD_BY_QUARTER},
        {"kvartal", PERIOD_BY_QUARTER}, {"tertial", PERIOD_BY_TERTIAL},
        {"year", PERIOD_BY_YEAR},       {"år", PERIOD_BY_YEAR},
        {"YEAR", PERIOD_BY_YEAR},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        period_by by = PERIOD_BY_NONE;
        assert_int_equal(period_by_parse(&by, ok[i].s), 0);
        assert_int_equal(by, ok[i].by);
    }
    period_by by = PERIOD_BY_MONTH;
    assert_int_equal(period_by_parse(&by, "week"), -1);
    assert_int_equal(period_by_parse(&by, ""), -1);
    assert_int_equal(period_by_parse(&by, "months"), -1);
    assert_int_equal(period_by_parse(&by, NULL), -1);
    assert_int_equal(by, PERIOD_BY_MONTH);
}

/* Check a split against expected "from to label" triples. */
static void split_is(const char *period, period_by by, size_t n,
                     const char *const (*want)[3]) {
    period_t p, *v = NULL;
    assert_int_equal(period_parse(&p, period, NULL), 0);
    size_t got = period_split(&p, by, &v);
    assert_int_equal(got, n);
    assert_non_null(v);
    for (size_t i = 0; i < n; i++) {
        char a[11], b[11];
        date_format(v[i].from, a);
        date_format(v[i].to, b);
        assert_string_equal(a, want[i][0]);
        assert_string_equal(b, want[i][1]);
        assert_string_equal(v[i].label, want[i][2]);
    }
    free(v);
}

static void test_split_year_by_month(void **state) {
    (void)state;
    static const char *const want[12][3] = {
        {"2024-01-01", "2024-01-31", "2024-01"},
        {"2024-02-01", "2024-02-29", "2024-02"},
        {"2024-03-01", "2024-03-31", "2024-03"},
        {"2024-04-01", "2024-04-30", "2024-04"},
        {"2024-05-01", "2024-05-31", "2024-05"},
        {"2024-06-01", "2024-06-30", "2024-06"},
        {"2024-07-01", "2024-07-31", "2024-07"},
        {"2024-08-01", "2024-08-31", "2024-08"},
        {"2024-09-01", "2024-09-30", "2024-09"},
        {"2024-10-01", "2024-10-31", "2024-10"},
        {"2024-11-01", "2024-11-30", "2024-11"},
        {"2024-12-01", "2024-12-31", "2024-12"},
    };
    split_is("2024", PERIOD_BY_MONTH, 12, want);
}

static void test_split_year_by_quarter(void **state) {
    (void)state;
    static const char *const want[4][3] = {
        {"2026-01-01", "2026-03-31", "2026Q1"},
        {"2026-04-01", "2026-06-30", "2026Q2"},
        {"2026-07-01", "2026-09-30", "2026Q3"},
        {"2026-10-01", "2026-12-31", "2026Q4"},
    };
    split_is("2026", PERIOD_BY_QUARTER, 4, want);
}

static void test_split_year_by_tertial(void **state) {
    (void)state;
    static const char *const want[3][3] = {
        {"2026-01-01", "2026-04-30", "2026T1"},
        {"2026-05-01", "2026-08-31", "2026T2"},
        {"2026-09-01", "2026-12-31", "2026T3"},
    };
    split_is("2026", PERIOD_BY_TERTIAL, 3, want);
}

static void test_split_year_by_year_and_none(void **state) {
    (void)state;
    static const char *const year[1][3] = {
        {"2026-01-01", "2026-12-31", "2026"},
    };
    static const char *const q[1][3] = {
        {"2026-01-01", "2026-03-31", "2026Q1"},
    };
    split_is("2026", PERIOD_BY_YEAR, 1, year);
    split_is("2026", PERIOD_BY_NONE, 1, year);
    split_is("2026Q1", PERIOD_BY_NONE, 1, q);
    split_is("2026Q1", PERIOD_BY_QUARTER, 1, q);
}

/* A range that starts and ends mid-period is clipped at both ends. */
static void test_split_clipped(void **state) {
    (void)state;
    static const char *const quarters[5][3] = {
        {"2025-08-15", "2025-09-30", "2025Q3"},
        {"2025-10-01", "2025-12-31", "2025Q4"},
        {"2026-01-01", "2026-03-31", "2026Q1"},
        {"2026-04-01", "2026-06-30", "2026Q2"},
        {"2026-07-01", "2026-07-10", "2026Q3"},
    };
    static const char *const tertials[3][3] = {
        {"2025-08-15", "2025-08-31", "2025T2"},
        {"2025-09-01", "2025-12-31", "2025T3"},
        {"2026-01-01", "2026-02-10", "2026T1"},
    };
    static const char *const months[3][3] = {
        {"2026-01-31", "2026-01-31", "2026-01"},
        {"2026-02-01", "2026-02-28", "2026-02"},
        {"2026-03-01", "2026-03-01", "2026-03"},
    };
    static const char *const years[2][3] = {
        {"2025-07-01", "2025-12-31", "2025"},
        {"2026-01-01", "2026-06-30", "2026"},
    };
    static const char *const day[1][3] = {
        {"2026-03-15", "2026-03-15", "2026Q1"},
    };
    static const char *const range[1][3] = {
        {"2025-07-01", "2026-06-30", "2025-07-01..2026-06-30"},
    };
    split_is("2025-08-15..2026-07-10", PERIOD_BY_QUARTER, 5, quarters);
    split_is("2025-08-15..2026-02-10", PERIOD_BY_TERTIAL, 3, tertials);
    split_is("2026-01-31..2026-03-01", PERIOD_BY_MONTH, 3, months);
    split_is("2025-07-01..2026-06-30", PERIOD_BY_YEAR, 2, years);
    split_is("2026-03-15", PERIOD_BY_QUARTER, 1, day);
    split_is("2025-07-01..2026-06-30", PERIOD_BY_NONE, 1, range);
}

static void test_split_long_and_empty(void **state) {
    (void)state;
    period_t p, *v = NULL;
    assert_int_equal(period_parse(&p, "1900-01-01..2100-12-31", NULL), 0);
    assert_int_equal(period_split(&p, PERIOD_BY_MONTH, &v), 201 * 12);
    assert_string_equal(v[0].label, "1900-01");
    assert_string_equal(v[201 * 12 - 1].label, "2100-12");
    for (size_t i = 1; i < 201 * 12; i++)
        assert_int_equal(v[i].from, v[i - 1].to + 1);
    free(v);
    /* from > to (built by hand) gives nothing. */
    p.from = date_make(2026, 2, 1);
    p.to = date_make(2026, 1, 1);
    v = (period_t *)&p;
    assert_int_equal(period_split(&p, PERIOD_BY_MONTH, &v), 0);
    assert_null(v);
}

static void test_whole_periods(void **state) {
    (void)state;
    period_t p;
    period_month(&p, 2024, 2);
    assert_int_equal(p.from, date_make(2024, 2, 1));
    assert_int_equal(p.to, date_make(2024, 2, 29));
    assert_string_equal(p.label, "2024-02");
    period_year(&p, 2000);
    assert_int_equal(p.to - p.from + 1, 366);
    period_tertial(&p, 2026, 2);
    assert_string_equal(p.label, "2026T2");
    assert_int_equal(p.to - p.from + 1, 123);
    period_quarter(&p, 2026, 1);
    assert_int_equal(p.to - p.from + 1, 90);
    /* Out-of-range arguments give an empty, invalid period. */
    period_quarter(&p, 2026, 5);
    assert_int_equal(p.from, DATE_NONE);
    assert_string_equal(p.label, "");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_epoch_values),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_leap_years),
        cmocka_unit_test(test_make_refuses),
        cmocka_unit_test(test_quarter_tertial),
        cmocka_unit_test(test_parse_refused),
        cmocka_unit_test(test_parse_not_terminated),
        cmocka_unit_test(test_format_out_of_range),
        cmocka_unit_test(test_today),
        cmocka_unit_test(test_today_is_swedish),
        cmocka_unit_test(test_today_matches_tzdata),
        cmocka_unit_test(test_instant_and_stamp),
        cmocka_unit_test(test_period_forms),
        cmocka_unit_test(test_period_refused),
        cmocka_unit_test(test_period_contains),
        cmocka_unit_test(test_period_by),
        cmocka_unit_test(test_split_year_by_month),
        cmocka_unit_test(test_split_year_by_quarter),
        cmocka_unit_test(test_split_year_by_tertial),
        cmocka_unit_test(test_split_year_by_year_and_none),
        cmocka_unit_test(test_split_clipped),
        cmocka_unit_test(test_split_long_and_empty),
        cmocka_unit_test(test_whole_periods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
