/* render - what the text renderers share (see render.h). */
#include "render.h"

#include <string.h>

int render_decimals(dec_unit unit)
{
    switch (unit) {
    case DEC_TKR: return 0;
    case DEC_MNKR: return 1;
    default: return 2;
    }
}

int render_unit_parse(const char *s, dec_unit *out)
{
    if (!strcmp(s, "kr"))
        *out = DEC_KR;
    else if (!strcmp(s, "tkr"))
        *out = DEC_TKR;
    else if (!strcmp(s, "mnkr") || !strcmp(s, "mkr"))
        *out = DEC_MNKR;
    else
        return -1;
    return 0;
}

int render_format_parse(const char *s, render_format *out)
{
    if (!strcmp(s, "term") || !strcmp(s, "text"))
        *out = RENDER_TERM;
    else if (!strcmp(s, "csv"))
        *out = RENDER_CSV;
    else if (!strcmp(s, "json"))
        *out = RENDER_JSON;
    else
        return -1;
    return 0;
}
