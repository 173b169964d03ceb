/* serve_form - decoding form posts and query arguments (see serve.h). */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "serve.h"

/* A form of the quarter page has four fields per budget line; a book with
 * a few hundred lines stays far below this. Beyond it the post is refused
 * rather than grown without bound. */
#define FORM_MAX_FIELDS 4096

void serve_form_init(serve_form *f)
{
    memset(f, 0, sizeof *f);
}

void serve_form_free(serve_form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->names[i]);
        free(f->values[i]);
    }
    free(f->names);
    free(f->values);
    serve_form_init(f);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode one urlencoded component into a new string; NULL when malformed
 * (a broken %-escape or an encoded NUL). */
static char *decode(const char *s, size_t n)
{
    char *out = mem_alloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[o++] = ' ';
        } else if (s[i] == '%') {
            int hi = i + 1 < n ? hexval(s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
                free(out);
                return NULL;
            }
            out[o++] = (char)(hi * 16 + lo);
            i += 2;
        } else if (s[i] == '\0') {
            free(out);
            return NULL;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

int serve_form_parse(serve_form *f, const char *body, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && body[end] != '&')
            end++;
        if (end > i) {
            size_t eq = i;
            while (eq < end && body[eq] != '=')
                eq++;
            if (f->n == FORM_MAX_FIELDS)
                return -1;
            char *name = decode(body + i, eq - i);
            char *value = eq < end ? decode(body + eq + 1, end - eq - 1)
                                   : decode("", 0);
            if (!name || !value) {
                free(name);
                free(value);
                return -1;
            }
            if (f->n == f->cap) {
                size_t c = f->cap ? f->cap * 2 : 16;
                f->names = mem_realloc_array(f->names, c, sizeof *f->names);
                f->values = mem_realloc_array(f->values, c, sizeof *f->values);
                f->cap = c;
            }
            f->names[f->n] = name;
            f->values[f->n] = value;
            f->n++;
        }
        i = end + 1;
    }
    return 0;
}

const char *serve_form_get(const serve_form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->names[i], name) == 0)
            return f->values[i];
    return NULL;
}

const char *serve_query(const serve_req *rq, const char *name)
{
    return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *serve_arg(const serve_req *rq, const char *name)
{
    const char *v = rq->is_post ? serve_form_get(&rq->form, name) : NULL;
    return v ? v : serve_query(rq, name);
}

int serve_secret_eq(const char *given, const char *known)
{
    size_t kn = strlen(known), gn = strlen(given);
    /* Compare every byte of `known` whatever `given` holds, so the time
     * tells nothing about how many leading bytes matched. */
    unsigned char diff = (unsigned char)(gn != kn);
    for (size_t i = 0; i < kn; i++) {
        unsigned char g = i < gn ? (unsigned char)given[i] : 0;
        diff |= (unsigned char)(g ^ (unsigned char)known[i]);
    }
    return diff == 0;
}
