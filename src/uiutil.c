/* uiutil - see uiutil.h. */
#include "uiutil.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int ui_stdin_is_tty(void)
{
    return isatty(STDIN_FILENO);
}

char *ui_ask(FILE *out, const char *prompt)
{
    char *line = NULL;
    size_t cap = 0;
    fputs(prompt, out);
    fflush(out);
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) {
        free(line);
        fputc('\n', out);
        return NULL;
    }
    size_t len = (size_t)n;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r' ||
                       line[len - 1] == ' ' || line[len - 1] == '\t'))
        line[--len] = '\0';
    size_t skip = strspn(line, " \t");
    memmove(line, line + skip, len - skip + 1);
    if (!ui_stdin_is_tty())
        fprintf(out, "%s\n", line);
    return line;
}

int ui_ask_yes(FILE *out, const char *prompt)
{
    return ui_confirm(out, prompt) == 1;
}

int ui_confirm(FILE *out, const char *prompt)
{
    char *a = ui_ask(out, prompt);
    if (!a)
        return -1;
    static const char *yes[] = {"j", "ja", "y", "yes"};
    int r = 0;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (strcasecmp(a, yes[i]) == 0)
            r = 1;
    free(a);
    return r;
}

size_t ui_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

void ui_pad(FILE *out, const char *s, size_t width, int right)
{
    size_t w = ui_width(s);
    if (right)
        for (size_t i = w; i < width; i++)
            fputc(' ', out);
    fputs(s, out);
    if (!right)
        for (size_t i = w; i < width; i++)
            fputc(' ', out);
}

/* Fold one character at *p to lower case (ASCII and the Latin-1 capitals
 * in UTF-8, which is what Swedish column names use), advancing *p. */
static unsigned fold(const char **p)
{
    const unsigned char *s = (const unsigned char *)*p;
    if (s[0] == 0xC3 && s[1] >= 0x80 && s[1] <= 0x9E && s[1] != 0x97) {
        *p += 2;
        return 0xC3A0u + (s[1] - 0x80u); /* À..Þ -> à..þ */
    }
    if (s[0] == 0xC3 && s[1]) {
        *p += 2;
        return 0xC300u + s[1];
    }
    (*p)++;
    return s[0] >= 'A' && s[0] <= 'Z' ? s[0] + 32u : s[0];
}

int ui_name_eq(const char *cell, const char *name)
{
    while (*cell == ' ' || *cell == '\t')
        cell++;
    size_t len = strlen(cell);
    while (len > 0 && (cell[len - 1] == ' ' || cell[len - 1] == '\t'))
        len--;
    const char *end = cell + len;
    while (cell < end && *name) {
        if (fold(&cell) != fold(&name))
            return 0;
    }
    return cell == end && *name == '\0';
}
