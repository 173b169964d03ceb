/*
 * render - showing a report (report.h) as text: the terminal, CSV, JSON.
 *
 * Renderers never compute: every figure shown is a value of the report's
 * table, rounded for display only (dec_format). Totals are therefore
 * rounded from exact totals, never summed from rounded parts; where that
 * makes the rounded parts disagree with their rounded total, the command
 * has added a rounding footnote (report_rounding_notes) before rendering.
 *
 * Units: kr shows öre (2 decimals), tkr 0 decimals, mnkr 1 decimal. Only
 * AMOUNT columns are scaled; percentages are shown with 1 decimal.
 */
#ifndef SAMLA_RENDER_H
#define SAMLA_RENDER_H

#include <stdio.h>

#include "csvio.h"
#include "report.h"

typedef enum { RENDER_TERM = 0, RENDER_CSV, RENDER_JSON } render_format;

typedef struct {
    dec_unit unit;  /* DEC_KR, DEC_TKR or DEC_MNKR */
    int decimals;   /* of the unit: 2, 0 and 1 by default (render_decimals) */
    int unit_given; /* --unit was given (CSV: otherwise exact kr with öre) */
    int color;      /* terminal: ANSI colour and bold (TTY and no NO_COLOR) */
    size_t width;   /* terminal: the width to fit, in columns; 0 = any */
} render_opts;

/* The display decimals of a unit: kr 2, tkr 0, mnkr 1. */
int render_decimals(dec_unit unit);

/* Parse "kr", "tkr" or "mnkr". Returns 0 or -1. */
int render_unit_parse(const char *s, dec_unit *out);

/* Display columns of a UTF-8 string on a terminal (code points, except
 * combining marks and zero-width characters, which take none). */
size_t render_text_width(const char *s);

/* s shortened to at most `width` display columns: cut on a character
 * boundary and ended with "…" when too long (malloc'd). */
char *render_text_fit(const char *s, size_t width);

/* Parse "term", "csv" or "json". Returns 0 or -1. */
int render_format_parse(const char *s, render_format *out);

/*
 * Aligned columns for a terminal, UTF-8 (widths count code points as the
 * terminal shows them, not bytes), Swedish number format. Headings and
 * totals are bold and warnings red when o->color. Footnotes are printed
 * below the tables, and in tkr/mnkr the note "Avrundningsdifferenser kan
 * förekomma." Writes to f; returns 0, or -1 on a write error.
 *
 * With o->width a table that is wider is fitted, never wrapped: column
 * headings go onto two lines, long labels and texts are shortened with an
 * ellipsis (on character boundaries), and if that is not enough the columns
 * with the highest report_column.priority (then the code column) are left
 * out, with a note naming them and --wide. Footnotes are word-wrapped.
 */
int render_term(const report *r, const render_opts *o, FILE *f);

/*
 * CSV for Swedish Excel into out (which the caller started with
 * csvio_out_init(out, ';', 1): BOM, ';', CRLF). Amounts are exact kr with
 * öre and decimal comma, no thousands separator (Excel reads a number),
 * unless o->unit_given: then rounded to the unit. Tables are separated by
 * an empty row; the title and subtitle come first, footnotes last. A text
 * cell that begins with = + - @ tab or CR is prefixed with ' so Excel never
 * runs it as a formula.
 */
void render_csv(const report *r, const render_opts *o, csvio_out *out);

/*
 * JSON for other programs, into a malloc'd NUL-terminated string. Amounts
 * are exact decimal strings (dec_to_string: "-1278204.72") whatever the
 * unit; a percent cell is {"num": "...", "den": "...", "percent": "23.45"}.
 * Layout: {"report", "title", "subtitle", "organisation", "period",
 * "as_of", "tables": [{"caption", "label_heading", "code_heading",
 * "columns": [{"key", "heading", "kind"}], "rows": [{"kind", "code",
 * "label", "level", "warn", "cells": {KEY: value|null, ...}}]}],
 * "notes": [{"kind", "text"}]}.
 */
char *render_json(const report *r, const render_opts *o);

#endif
