/* render_json - a report as JSON with exact decimal strings (see render.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "mem.h"

/* A growing output string. */
typedef struct {
    char *s;
    size_t len, cap;
} jbuf;

static void jb_raw(jbuf *b, const char *s, size_t n)
{
    if (b->cap - b->len <= n) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap - b->len <= n)
            cap *= 2;
        b->s = mem_realloc_array(b->s, cap, 1);
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void jb_put(jbuf *b, const char *s) { jb_raw(b, s, strlen(s)); }

/* A JSON string: quotes, backslashes and control characters escaped;
 * other UTF-8 passes through as is (JSON text is UTF-8). */
static void jb_str(jbuf *b, const char *s)
{
    if (!s) {
        jb_put(b, "null");
        return;
    }
    jb_put(b, "\"");
    const char *run = s;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *esc = NULL;
        char u[8];
        switch (*p) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (*p < 0x20) {
                snprintf(u, sizeof u, "\\u%04x", *p);
                esc = u;
            }
        }
        if (esc) {
            jb_raw(b, run, (size_t)((const char *)p - run));
            jb_put(b, esc);
            run = (const char *)p + 1;
        }
    }
    jb_put(b, run);
    jb_put(b, "\"");
}

/* A string we made, freed after writing. */
static void jb_own_str(jbuf *b, char *s)
{
    jb_str(b, s);
    free(s);
}

static void jb_key(jbuf *b, const char *k)
{
    jb_str(b, k);
    jb_put(b, ": ");
}

static const char *const col_kind[] = {"amount", "percent", "text", "date",
                                       "integer"};
static const char *const row_kind[] = {"line", "subtotal", "total",
                                       "heading", "blank", "note"};
static const char *const note_kind[] = {"info", "warning", "rounding"};

static void cell_json(jbuf *b, const report_cell *c)
{
    char buf[64];
    switch (c->kind) {
    case REPORT_CELL_AMOUNT:
        jb_own_str(b, dec_to_string(&c->amount));
        break;
    case REPORT_CELL_PERCENT:
        jb_put(b, "{\"num\": ");
        jb_own_str(b, dec_to_string(&c->amount));
        jb_put(b, ", \"den\": ");
        jb_own_str(b, dec_to_string(&c->den));
        jb_put(b, ", \"percent\": ");
        jb_own_str(b, report_percent_format(&c->amount, &c->den, 2,
                                            DEC_FMT_PLAIN | DEC_FMT_POINT));
        jb_put(b, "}");
        break;
    case REPORT_CELL_TEXT:
        jb_str(b, c->text);
        break;
    case REPORT_CELL_DATE:
        date_format(c->date, buf);
        jb_str(b, buf);
        break;
    case REPORT_CELL_INTEGER:
        snprintf(buf, sizeof buf, "%lld", c->integer);
        jb_put(b, buf);
        break;
    default:
        jb_put(b, "null");
    }
}

static void table_json(jbuf *b, const report_table *t)
{
    jb_put(b, "{\n      ");
    jb_key(b, "caption");
    jb_str(b, t->caption);
    jb_put(b, ",\n      ");
    jb_key(b, "label_heading");
    jb_str(b, t->label_heading);
    jb_put(b, ",\n      ");
    jb_key(b, "code_heading");
    jb_str(b, t->code_heading);
    jb_put(b, ",\n      \"columns\": [");
    for (int c = 0; c < t->ncols; c++) {
        jb_put(b, c ? ",\n        {" : "\n        {");
        jb_key(b, "key");
        jb_str(b, t->cols[c].key);
        jb_put(b, ", ");
        jb_key(b, "heading");
        jb_str(b, t->cols[c].heading);
        jb_put(b, ", ");
        jb_key(b, "kind");
        jb_str(b, col_kind[t->cols[c].kind]);
        jb_put(b, "}");
    }
    jb_put(b, "],\n      \"rows\": [");
    for (size_t r = 0; r < t->nrows; r++) {
        const report_row *row = &t->rows[r];
        jb_put(b, r ? ",\n        {" : "\n        {");
        jb_key(b, "kind");
        jb_str(b, row_kind[row->kind]);
        jb_put(b, ", ");
        jb_key(b, "code");
        jb_str(b, row->code);
        jb_put(b, ", ");
        jb_key(b, "label");
        jb_str(b, row->label);
        char lv[64];
        snprintf(lv, sizeof lv, ", \"level\": %d, \"warn\": %s", row->level,
                 (row->flags & REPORT_FLAG_WARN) ? "true" : "false");
        jb_put(b, lv);
        jb_put(b, ", \"cells\": {");
        for (int c = 0; c < t->ncols; c++) {
            if (c)
                jb_put(b, ", ");
            jb_key(b, t->cols[c].key);
            cell_json(b, &row->cells[c]);
        }
        jb_put(b, "}}");
    }
    jb_put(b, "]\n    }");
}

char *render_json(const report *r, const render_opts *o)
{
    (void)o; /* JSON is always exact: the unit does not apply */
    jbuf b = {NULL, 0, 0};
    jb_put(&b, "{\n  ");
    jb_key(&b, "report");
    jb_str(&b, r->kind);
    jb_put(&b, ",\n  ");
    jb_key(&b, "title");
    jb_str(&b, r->title);
    jb_put(&b, ",\n  ");
    jb_key(&b, "subtitle");
    jb_str(&b, r->subtitle);
    jb_put(&b, ",\n  ");
    jb_key(&b, "organisation");
    jb_str(&b, r->organisation);
    jb_put(&b, ",\n  ");
    jb_key(&b, "period");
    jb_str(&b, r->period);
    jb_put(&b, ",\n  ");
    jb_key(&b, "as_of");
    if (r->as_of != DATE_NONE) {
        char d[11];
        date_format(r->as_of, d);
        jb_str(&b, d);
    } else {
        jb_put(&b, "null");
    }
    jb_put(&b, ",\n  \"tables\": [");
    for (size_t i = 0; i < r->ntables; i++) {
        jb_put(&b, i ? ",\n    " : "\n    ");
        table_json(&b, r->tables[i]);
    }
    jb_put(&b, "\n  ],\n  \"notes\": [");
    for (size_t i = 0; i < r->nnotes; i++) {
        jb_put(&b, i ? ",\n    {" : "\n    {");
        jb_key(&b, "kind");
        jb_str(&b, note_kind[r->notes[i].kind]);
        jb_put(&b, ", ");
        jb_key(&b, "text");
        jb_str(&b, r->notes[i].text);
        jb_put(&b, "}");
    }
    jb_put(&b, r->nnotes ? "\n  ]\n}\n" : "]\n}\n");
    return b.s;
}
