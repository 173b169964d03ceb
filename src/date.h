/*
 * date - calendar dates and periods (year, quarter, tertial, month, range).
 *
 * A date is the number of days since 1970-01-01 in the proleptic Gregorian
 * calendar, so ranges and comparisons are plain integer arithmetic. The
 * fiscal year is the calendar year. All text forms are ISO 8601.
 */
#ifndef SAMLA_DATE_H
#define SAMLA_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t date_t;

#define DATE_NONE INT32_MIN

/* Build a date; returns DATE_NONE if y-m-d is not a real day (2025-02-30). */
date_t date_make(int y, int m, int d);
void date_split(date_t d, int *y, int *m, int *day);
int date_year(date_t d);
int date_month(date_t d);   /* 1..12 */
int date_quarter(date_t d); /* 1..4 */
int date_tertial(date_t d); /* 1..3: Jan-Apr, May-Aug, Sep-Dec */

/*
 * Parse a strict ISO date "YYYY-MM-DD" (four-digit year 1900..9999).
 * s need not be NUL-terminated. Returns 0, or -1 with *errcol (1-based
 * character column of the fault) and *errmsg (static Swedish text) set when
 * not NULL: "25-01-01" and "2025-02-30" are refused.
 */
int date_parse(date_t *out, const char *s, size_t len, size_t *errcol,
               const char **errmsg);

/* Write "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void date_format(date_t d, char *buf);

/*
 * Today: the date in Swedish time (Europe/Stockholm, the zone's rule built
 * in) of the present instant, or in the zone $TZ names when TZ is set. For
 * tests, $SAMLA_TODAY (YYYY-MM-DD) gives the date itself, and $SAMLA_NOW
 * (YYYY-MM-DDTHH:MM:SSZ) the present instant, whose Swedish date is then
 * today (2025-12-31T23:30:00Z is 2026-01-01).
 */
date_t date_today(void);

/* The local date (as date_today: Stockholm, or $TZ) of an instant given in
 * seconds since 1970-01-01T00:00:00Z. */
date_t date_local_of(int64_t t);

/* Parse a UTC timestamp "YYYY-MM-DDTHH:MM:SSZ" into seconds since the
 * epoch. 0, or -1 when s is NULL or not exactly that form. */
int date_parse_instant(const char *s, int64_t *t);

/* Now as a registration timestamp, always UTC: "YYYY-MM-DDTHH:MM:SSZ" (or
 * $SAMLA_NOW verbatim when set, for tests). buf holds at least 21 bytes. */
void date_now_utc(char *buf, size_t size);

/* A period: an inclusive date range with a label such as "2026Q1". */
typedef struct {
    date_t from, to;
    char label[32];
} period_t;

/*
 * Parse a period: "2026", "2026Q1", "2026T2", "2026-03", "2026-03-15" (one
 * day), "2025-07-01..2026-06-30". Labels: "2026", "2026Q1" "2026T2",
 * "2026-03", "2026-03-15", "2025-07-01..2026-06-30". Returns 0, or -1 with a
 * static Swedish *errmsg.
 */
int period_parse(period_t *out, const char *s, const char **errmsg);

/* Whole periods. */
void period_year(period_t *p, int year);
void period_quarter(period_t *p, int year, int q);
void period_tertial(period_t *p, int year, int t);
void period_month(period_t *p, int year, int m);

int period_contains(const period_t *p, date_t d);

typedef enum {
    PERIOD_BY_NONE = 0,
    PERIOD_BY_MONTH,
    PERIOD_BY_QUARTER,
    PERIOD_BY_TERTIAL,
    PERIOD_BY_YEAR
} period_by;

/* Parse "month"|"quarter"|"tertial"|"year" (also Swedish "månad",
 * "kvartal", "tertial", "år"). Returns 0 or -1. */
int period_by_parse(period_by *out, const char *s);

/*
 * Split p into consecutive calendar periods of the given kind, clipped to p
 * (a range starting mid-quarter gives a first, shorter quarter with the
 * quarter's label). PERIOD_BY_NONE gives p itself. Returns the number of
 * periods and a malloc'd array in *out.
 */
size_t period_split(const period_t *p, period_by by, period_t **out);

#endif
