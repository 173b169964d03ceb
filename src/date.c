/*
 * date - calendar dates and periods.
 *
 * Dates are days since 1970-01-01 in the proleptic Gregorian calendar. The
 * conversions use the well-known "days from civil" / "civil from days"
 * integer algorithms, which shift the year to start on March 1 so that the
 * leap day is the last day of the shifted year and every 400-year era has
 * exactly 146097 days. Only integer arithmetic is used.
 */
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Years accepted by date_make. Wide enough for any real use, narrow enough
 * that no intermediate value can overflow 32 bits. */
#define YEAR_MIN (-32767)
#define YEAR_MAX 32767

/* Years accepted in text (dates and periods). */
#define TEXT_YEAR_MIN 1900
#define TEXT_YEAR_MAX 9999

static const char msg_date_form[] = "ogiltigt datum, väntade ÅÅÅÅ-MM-DD";
static const char msg_date_trail[] = "oväntade tecken efter datumet";
static const char msg_year[] = "ogiltigt år (1900–9999)";
static const char msg_month[] = "ogiltig månad";
static const char msg_day[] = "ogiltig dag";
static const char msg_no_day[] = "dagen finns inte i månaden";
static const char msg_period[] =
    "ogiltig period; exempel: 2026, 2026Q1, 2026T2, 2026-03, "
    "2025-07-01..2026-06-30";
static const char msg_quarter[] = "ogiltigt kvartal (Q1–Q4)";
static const char msg_tertial[] = "ogiltigt tertial (T1–T3)";
static const char msg_order[] = "periodens början ligger efter dess slut";

/* ---------------------------------------------------------------------
 * Calendar arithmetic
 */

static int is_leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m) {
    static const unsigned char len[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    if (m == 2 && is_leap(y)) return 29;
    return len[m - 1];
}

/* Floor division, because C division truncates toward zero and dates before
 * year 0 of an era would otherwise land in the wrong era. */
static int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

/* Days from 1970-01-01 to y-m-d; the date must be valid. */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;                              /* year starts in March */
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;              /* [0, 399] */
    int64_t mp = (m + 9) % 12;                /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return era * 146097 + doe - 719468; /* 719468 = 0000-03-01..1970-01-01 */
}

/* Inverse of days_from_civil, valid for every int32 day number. */
static void civil_from_days(int64_t z, int *y, int *m, int *d) {
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                 /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);          /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                               /* [0, 11] */
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

date_t date_make(int y, int m, int d) {
    if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12) return DATE_NONE;
    if (d < 1 || d > days_in_month(y, m)) return DATE_NONE;
    return (date_t)days_from_civil(y, m, d);
}

void date_split(date_t d, int *y, int *m, int *day) {
    int yy, mm, dd;
    civil_from_days(d, &yy, &mm, &dd);
    if (y) *y = yy;
    if (m) *m = mm;
    if (day) *day = dd;
}

int date_year(date_t d) {
    int y;
    date_split(d, &y, NULL, NULL);
    return y;
}

int date_month(date_t d) {
    int m;
    date_split(d, NULL, &m, NULL);
    return m;
}

int date_quarter(date_t d) { return (date_month(d) - 1) / 3 + 1; }

int date_tertial(date_t d) { return (date_month(d) - 1) / 4 + 1; }

/* ---------------------------------------------------------------------
 * Text
 */

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Value of n decimal digits at s; the caller has checked they are digits. */
static int digits(const char *s, int n) {
    int v = 0;
    for (int i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

static int fail(size_t col, const char *msg, size_t *errcol,
                const char **errmsg) {
    if (errcol) *errcol = col;
    if (errmsg) *errmsg = msg;
    return -1;
}

/* Check the shape "DDDD-DD-DD" first, so the column points at the first
 * character that is wrong (or just past the end when the text is short). */
static size_t shape_fault(const char *s, size_t len) {
    static const char shape[] = "DDDD-DD-DD";
    for (size_t i = 0; i < 10; i++) {
        if (i >= len) return i + 1;
        int ok = shape[i] == 'D' ? is_digit(s[i]) : s[i] == '-';
        if (!ok) return i + 1;
    }
    return 0;
}

int date_parse(date_t *out, const char *s, size_t len, size_t *errcol,
               const char **errmsg) {
    if (!s) len = 0;
    size_t col = shape_fault(s, len);
    if (col) return fail(col, msg_date_form, errcol, errmsg);
    if (len > 10) return fail(11, msg_date_trail, errcol, errmsg);
    int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
    if (y < TEXT_YEAR_MIN || y > TEXT_YEAR_MAX)
        return fail(1, msg_year, errcol, errmsg);
    if (m < 1 || m > 12) return fail(6, msg_month, errcol, errmsg);
    if (d < 1 || d > 31) return fail(9, msg_day, errcol, errmsg);
    if (d > days_in_month(y, m)) return fail(9, msg_no_day, errcol, errmsg);
    if (out) *out = date_make(y, m, d);
    return 0;
}

/* Write v as exactly n digits, most significant first. */
static void put_digits(char *buf, int v, int n) {
    for (int i = n - 1; i >= 0; i--) {
        buf[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void date_format(date_t d, char *buf) {
    int y, m, dd;
    date_split(d, &y, &m, &dd);
    /* Years that do not fit four digits cannot be written as ISO text of
     * this length; write a visible placeholder rather than overflow. */
    if (d == DATE_NONE || y < 0 || y > 9999) {
        memcpy(buf, "XXXX-XX-XX", 11);
        return;
    }
    put_digits(buf, y, 4);
    buf[4] = '-';
    put_digits(buf + 5, m, 2);
    buf[7] = '-';
    put_digits(buf + 8, dd, 2);
    buf[10] = '\0';
}

/* ---------------------------------------------------------------------
 * Now and today
 *
 * "Today" is a Swedish date: the date in Europe/Stockholm of the present
 * instant, not the UTC date (between 00:00 and 01:00/02:00 Swedish time the
 * two differ, on New Year's Eve by a year). The zone's rule is built in, so
 * no time zone database is needed: CET (UTC+1), and CEST (UTC+2) from the
 * last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC,
 * the EU rule Sweden has followed since 1996 (it is applied to earlier
 * years too). When $TZ is set, the C library's local time in that zone is
 * used instead (a named zone such as "Europe/Helsinki" needs tzdata; a
 * POSIX rule such as "UTC0" does not).
 */

/* The last Sunday of month m of year y. 1970-01-01 was a Thursday. */
static date_t last_sunday(int y, int m) {
    date_t last = date_make(y, m, days_in_month(y, m));
    int weekday = (int)(((int64_t)last % 7 + 7 + 3) % 7); /* Monday = 0 */
    return last - (weekday + 1) % 7;
}

/* Seconds east of UTC in Stockholm at the instant t. */
static int stockholm_offset(int64_t t) {
    int y, m, d;
    civil_from_days(floor_div(t, 86400), &y, &m, &d);
    int64_t start = (int64_t)last_sunday(y, 3) * 86400 + 3600;
    int64_t end = (int64_t)last_sunday(y, 10) * 86400 + 3600;
    return t >= start && t < end ? 7200 : 3600;
}

date_t date_local_of(int64_t t) {
    const char *tz = getenv("TZ");
    if (tz != NULL) {
        time_t tt = (time_t)t;
        struct tm tm;
        if (localtime_r(&tt, &tm) != NULL)
            return date_make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    }
    return (date_t)floor_div(t + stockholm_offset(t), 86400);
}

/* Two digits at s, or -1. */
static int two_digits(const char *s) {
    if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9') return -1;
    return (s[0] - '0') * 10 + (s[1] - '0');
}

int date_parse_instant(const char *s, int64_t *t) {
    date_t d;
    if (s == NULL || strlen(s) != 20 || date_parse(&d, s, 10, NULL, NULL) != 0 ||
        s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return -1;
    int hh = two_digits(s + 11), mm = two_digits(s + 14), ss = two_digits(s + 17);
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 59) return -1;
    *t = (int64_t)d * 86400 + hh * 3600 + mm * 60 + ss;
    return 0;
}

/* The present instant: $SAMLA_NOW when it is a valid timestamp (tests). */
static int64_t now_instant(void) {
    int64_t t;
    if (date_parse_instant(getenv("SAMLA_NOW"), &t) == 0) return t;
    return (int64_t)time(NULL);
}

date_t date_today(void) {
    const char *env = getenv("SAMLA_TODAY");
    date_t d;
    if (env && date_parse(&d, env, strlen(env), NULL, NULL) == 0) return d;
    return date_local_of(now_instant());
}

void date_now_utc(char *buf, size_t size) {
    const char *env = getenv("SAMLA_NOW");
    if (env && *env) {
        snprintf(buf, size, "%s", env);
        return;
    }
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---------------------------------------------------------------------
 * Periods
 */

/* A period covering whole months first..last of one year. */
static void period_months(period_t *p, int year, int first, int last) {
    p->from = date_make(year, first, 1);
    p->to = date_make(year, last, days_in_month(year, last));
}

static void label_year(char *buf, int year) {
    put_digits(buf, year, 4);
    buf[4] = '\0';
}

/* A guard for out-of-range arguments: an empty, invalid period rather than
 * arithmetic on nonsense. */
static int bad_whole(period_t *p, int year, int n, int max) {
    if (year >= 0 && year <= 9999 && n >= 1 && n <= max) return 0;
    p->from = p->to = DATE_NONE;
    p->label[0] = '\0';
    return 1;
}

void period_year(period_t *p, int year) {
    if (bad_whole(p, year, 1, 1)) return;
    period_months(p, year, 1, 12);
    label_year(p->label, year);
}

void period_quarter(period_t *p, int year, int q) {
    if (bad_whole(p, year, q, 4)) return;
    period_months(p, year, 3 * q - 2, 3 * q);
    label_year(p->label, year);
    p->label[4] = 'Q';
    p->label[5] = (char)('0' + q);
    p->label[6] = '\0';
}

void period_tertial(period_t *p, int year, int t) {
    if (bad_whole(p, year, t, 3)) return;
    period_months(p, year, 4 * t - 3, 4 * t);
    label_year(p->label, year);
    p->label[4] = 'T';
    p->label[5] = (char)('0' + t);
    p->label[6] = '\0';
}

void period_month(period_t *p, int year, int m) {
    if (bad_whole(p, year, m, 12)) return;
    period_months(p, year, m, m);
    label_year(p->label, year);
    p->label[4] = '-';
    put_digits(p->label + 5, m, 2);
    p->label[7] = '\0';
}

int period_contains(const period_t *p, date_t d) {
    return d != DATE_NONE && p->from <= d && d <= p->to;
}

/* Parse the year in the first four characters (already checked digits). */
static int text_year(const char *s, int *year, const char **errmsg) {
    *year = digits(s, 4);
    if (*year >= TEXT_YEAR_MIN && *year <= TEXT_YEAR_MAX) return 0;
    if (errmsg) *errmsg = msg_year;
    return -1;
}

static int all_digits(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i])) return 0;
    return 1;
}

/* "2026Q1" or "2026T2" (either letter case). */
static int parse_part(period_t *out, const char *s, const char **errmsg) {
    int year, n = s[5] - '0';
    int quarter = s[4] == 'Q' || s[4] == 'q';
    int tertial = s[4] == 'T' || s[4] == 't';
    const char *msg = NULL;
    if ((!quarter && !tertial) || !is_digit(s[5])) msg = msg_period;
    else if (text_year(s, &year, &msg)) ; /* msg is set */
    else if (quarter && (n < 1 || n > 4)) msg = msg_quarter;
    else if (tertial && (n < 1 || n > 3)) msg = msg_tertial;
    if (msg) {
        if (errmsg) *errmsg = msg;
        return -1;
    }
    if (quarter) period_quarter(out, year, n);
    else period_tertial(out, year, n);
    return 0;
}

/* "2026-03". */
static int parse_month(period_t *out, const char *s, const char **errmsg) {
    int year;
    if (s[4] != '-' || !all_digits(s + 5, 2)) {
        if (errmsg) *errmsg = msg_period;
        return -1;
    }
    if (text_year(s, &year, errmsg)) return -1;
    int m = digits(s + 5, 2);
    if (m < 1 || m > 12) {
        if (errmsg) *errmsg = msg_month;
        return -1;
    }
    period_month(out, year, m);
    return 0;
}

/* "2026-03-15" (one day) or "2025-07-01..2026-06-30". */
static int parse_range(period_t *out, const char *s, size_t len,
                       const char **errmsg) {
    date_t from, to;
    const char *dots = len > 10 ? strstr(s, "..") : NULL;
    size_t flen = dots ? (size_t)(dots - s) : len;
    if (date_parse(&from, s, flen, NULL, errmsg)) return -1;
    if (!dots) {
        to = from;
    } else if (date_parse(&to, dots + 2, len - flen - 2, NULL, errmsg)) {
        return -1;
    } else if (from > to) {
        if (errmsg) *errmsg = msg_order;
        return -1;
    }
    if (len >= sizeof out->label) {
        if (errmsg) *errmsg = msg_period;
        return -1;
    }
    out->from = from;
    out->to = to;
    memcpy(out->label, s, len + 1); /* the text is already canonical */
    return 0;
}

int period_parse(period_t *out, const char *s, const char **errmsg) {
    size_t len = s ? strlen(s) : 0;
    if (len < 4 || !all_digits(s, 4)) {
        if (errmsg) *errmsg = msg_period;
        return -1;
    }
    int year;
    switch (len) {
    case 4:
        if (text_year(s, &year, errmsg)) return -1;
        period_year(out, year);
        return 0;
    case 6:
        return parse_part(out, s, errmsg);
    case 7:
        return parse_month(out, s, errmsg);
    default:
        if (s[4] == '-') return parse_range(out, s, len, errmsg);
        if (errmsg) *errmsg = msg_period;
        return -1;
    }
}

/* ASCII-only case folding: the Swedish words' non-ASCII letters must match
 * exactly, and locale-dependent strcasecmp is avoided on purpose. */
static int word_eq(const char *a, const char *b) {
    for (;; a++, b++) {
        char ca = *a, cb = *b;
        if (ca >= 'A' && ca <= 'Z') ca = (char)(ca - 'A' + 'a');
        if (ca != cb) return 0;
        if (!ca) return 1;
    }
}

int period_by_parse(period_by *out, const char *s) {
    static const struct {
        const char *word;
        period_by by;
    } words[] = {
        {"month", PERIOD_BY_MONTH},     {"månad", PERIOD_BY_MONTH},
        {"quarter", PERIOD_BY_QUARTER}, {"kvartal", PERIOD_BY_QUARTER},
        {"tertial", PERIOD_BY_TERTIAL}, {"year", PERIOD_BY_YEAR},
        {"år", PERIOD_BY_YEAR},
    };
    if (!s) return -1;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (word_eq(s, words[i].word)) {
            if (out) *out = words[i].by;
            return 0;
        }
    }
    return -1;
}

/* The whole calendar period of kind `by` that contains d. */
static void period_around(period_t *p, period_by by, date_t d) {
    int y, m;
    date_split(d, &y, &m, NULL);
    switch (by) {
    case PERIOD_BY_MONTH: period_month(p, y, m); break;
    case PERIOD_BY_QUARTER: period_quarter(p, y, (m - 1) / 3 + 1); break;
    case PERIOD_BY_TERTIAL: period_tertial(p, y, (m - 1) / 4 + 1); break;
    default: period_year(p, y); break;
    }
}

/* Walk p in calendar steps; with v == NULL only count. */
static size_t split_walk(const period_t *p, period_by by, period_t *v) {
    size_t n = 0;
    date_t cur = p->from;
    for (;;) {
        period_t part;
        period_around(&part, by, cur);
        if (part.from == DATE_NONE) break; /* outside the labelled years */
        if (part.from < p->from) part.from = p->from;
        if (part.to > p->to) part.to = p->to;
        if (v) v[n] = part;
        n++;
        if (part.to >= p->to) break;
        cur = part.to + 1;
    }
    return n;
}

size_t period_split(const period_t *p, period_by by, period_t **out) {
    *out = NULL;
    if (p->from == DATE_NONE || p->to == DATE_NONE || p->from > p->to)
        return 0;
    if (by != PERIOD_BY_MONTH && by != PERIOD_BY_QUARTER &&
        by != PERIOD_BY_TERTIAL && by != PERIOD_BY_YEAR) {
        *out = malloc(sizeof **out);
        if (!*out) return 0;
        **out = *p;
        return 1;
    }
    size_t n = split_walk(p, by, NULL);
    if (n == 0) return 0;
    *out = malloc(n * sizeof **out);
    if (!*out) return 0;
    split_walk(p, by, *out);
    return n;
}
