/*
 * serve_download - the page Ladda ned and the two workbooks. A workbook is
 * written on request by the same export as `samla export` into a private
 * temporary folder, opened, and removed from the disk at once; the open
 * file is then streamed as an attachment and disappears when it is closed.
 * Nothing else on disk is ever served.
 */
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve.h"
#include "xlsx.h"

int serve_page_downloads(serve_req *rq, serve_resp *rs)
{
    const book *b = serve_book(rq, rs);
    if (!b)
        return -1;
    int first, last;
    serve_year_range(b, &first, &last);
    html_buf h;
    html_init(&h);
    serve_page_begin(&h, rq, "Ladda ned", "/ladda-ned");
    html_raw(&h, "<p>Arbetsböckerna skapas när du klickar, ur bokens "
                 "aktuella innehåll, och öppnas i Excel eller LibreOffice. "
                 "Summor och resultat är formler; varje belopp är exakt till "
                 "öret.</p>\n");
    html_raw(&h, "<h2>Budget och uppföljning</h2>\n<p class=\"hint\">För "
                 "samordningsgruppen: budget, utfall per kvartal, utfall "
                 "hittills, prognos och avvikelse.</p>\n<ul class=\"downloads\">\n");
    for (int y = last; y >= first; y--)
        html_rawf(&h, "<li><a class=\"button secondary\" "
                      "href=\"/ladda-ned/budget.xlsx?ar=%d\" download>"
                      "Budget och uppföljning %d (budget-%d.xlsx)</a></li>\n",
                  y, y, y);
    html_raw(&h, "</ul>\n<h2>Årsbokslut</h2>\n<p class=\"hint\">Resultaträkning, "
                 "kvartal, finansiärer, verksamheter, eget kapital och "
                 "öronmärkta medel, specifikationer och verifikationslista."
                 "</p>\n<ul class=\"downloads\">\n");
    for (int y = last; y >= first; y--)
        html_rawf(&h, "<li><a class=\"button secondary\" "
                      "href=\"/ladda-ned/arsbokslut.xlsx?ar=%d\" download>"
                      "Årsbokslut %d (arsbokslut-%d.xlsx)</a></li>\n",
                  y, y, y);
    html_raw(&h, "</ul>\n");
    serve_page_end(&h);
    serve_page_done(rs, &h, MHD_HTTP_OK);
    return 0;
}

/* A fresh private folder for one export (mode 0700). */
static char *temp_dir(void)
{
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    size_t n = strlen(base) + 32;
    char *dir = malloc(n);
    if (!dir)
        abort();
    snprintf(dir, n, "%s/samla-serve-XXXXXX", base);
    if (!mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

int serve_page_download(serve_req *rq, serve_resp *rs)
{
    int budget = strcmp(rq->path, "/ladda-ned/budget.xlsx") == 0;
    const book *b = serve_book(rq, rs);
    if (!b)
        return -1;
    int year = serve_year(rq);
    char name[64];
    snprintf(name, sizeof name, "%s-%d.xlsx", budget ? "budget" : "arsbokslut",
             year);
    char *dir = temp_dir();
    if (!dir) {
        serve_page_message(rs, rq, MHD_HTTP_INTERNAL_SERVER_ERROR,
                           "Arbetsboken kunde inte skapas",
                           "Ingen tillfällig mapp kunde skapas.");
            return -1;
    }
    size_t n = strlen(dir) + sizeof name + 2;
    char *path = malloc(n);
    if (!path)
        abort();
    snprintf(path, n, "%s/%s", dir, name);

    diag_list dl;
    diag_init(&dl);
    int rc;
    if (budget) {
        /* The same "per" date as the overview and the budget page. */
        period_t at;
        char d[11];
        date_format(serve_as_of(rq, b, year), d);
        const char *err;
        period_parse(&at, d, &err);
        rc = xlsx_export_budget(b, year, &at, path, &dl);
    } else {
        rc = xlsx_export_annual(b, year, path, &dl);
    }
    int fd = -1;
    struct stat st;
    if (rc == SAMLA_OK) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0 && fstat(fd, &st) != 0) {
            close(fd);
            fd = -1;
        }
        if (fd < 0)
            diag_error(&dl, name, 0, 0, "kunde inte läsas: %s",
                       strerror(errno));
    }
    /* Remove the file and its folder now: the open descriptor keeps the
     * data until the download ends, and nothing is left behind even if the
     * server is stopped mid-download. */
    unlink(path);
    rmdir(dir);
    free(path);
    free(dir);
    if (fd >= 0) {
        rs->fd = fd;
        rs->fd_len = (size_t)st.st_size;
        rs->ctype = "application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet";
        rs->filename = strdup(name);
        if (!rs->filename)
            abort();
    } else {
        html_buf h;
        html_init(&h);
        serve_page_begin(&h, rq, "Arbetsboken kunde inte skapas", "/ladda-ned");
        serve_diag_html(&h, &dl);
        serve_page_end(&h);
        serve_page_done(rs, &h, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    diag_free(&dl);
    return fd >= 0 ? 0 : -1;
}
