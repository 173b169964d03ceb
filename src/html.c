/* html - the page buffer and escaping (see html.h). */
#include "html.h"
#include "mem.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Out of memory while building a page is not recoverable in a sensible way
 * for a one-user local server; abort rather than send a truncated page. */
static void reserve(html_buf *h, size_t more)
{
    if (h->len + more + 1 <= h->cap)
        return;
    size_t c = h->cap ? h->cap : 4096;
    while (c < h->len + more + 1)
        c *= 2;
    char *p = mem_realloc_array(h->data, c, 1);
    h->data = p;
    h->cap = c;
}

void html_init(html_buf *h)
{
    h->data = NULL;
    h->len = h->cap = 0;
    h->ids = 0;
}

unsigned html_next_id(html_buf *h)
{
    return ++h->ids;
}

void html_free(html_buf *h)
{
    free(h->data);
    html_init(h);
}

char *html_take(html_buf *h, size_t *len)
{
    reserve(h, 0);
    h->data[h->len] = '\0';
    char *p = h->data;
    if (len)
        *len = h->len;
    html_init(h);
    return p;
}

void html_rawn(html_buf *h, const char *s, size_t n)
{
    reserve(h, n);
    memcpy(h->data + h->len, s, n);
    h->len += n;
    h->data[h->len] = '\0';
}

void html_raw(html_buf *h, const char *s)
{
    if (s)
        html_rawn(h, s, strlen(s));
}

void html_rawf(html_buf *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = mem_vprintf(fmt, ap);
    va_end(ap);
    html_raw(h, s);
    free(s);
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t len;
    unsigned min;
    unsigned cp;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2, min = 0x80, cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, min = 0x800, cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, cp = s[0] & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

void html_escn(html_buf *h, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        const char *rep = NULL;
        switch (p[i]) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (rep) {
            html_raw(h, rep);
            i++;
            continue;
        }
        /* Control characters other than tab/newline are never wanted in a
         * page (a NUL would end the string for a C reader). */
        if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n') {
            html_raw(h, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        size_t l = utf8_len(p + i, n - i);
        if (l == 0) {
            html_raw(h, "\xEF\xBF\xBD");
            i++;
        } else {
            html_rawn(h, s + i, l);
            i += l;
        }
    }
}

void html_esc(html_buf *h, const char *s)
{
    if (s)
        html_escn(h, s, strlen(s));
}

void html_escf(html_buf *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = mem_vprintf(fmt, ap);
    va_end(ap);
    html_esc(h, s);
    free(s);
}

void html_url(html_buf *h, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' ||
            *p == '~') {
            html_rawn(h, (const char *)p, 1);
        } else {
            char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            html_rawn(h, e, 3);
        }
    }
}

void html_amount(html_buf *h, const dec_t *v, const render_opts *o)
{
    char *exact = dec_to_string(v);
    char *shown = dec_format(v, o->unit, o->decimals, 0);
    html_raw(h, "<data value=\"");
    html_esc(h, exact);
    html_raw(h, "\">");
    html_esc(h, shown);
    html_raw(h, "</data>");
    free(exact);
    free(shown);
}
