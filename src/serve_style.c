/*
 * serve_style - the style sheet, compiled in and served at /style.css.
 * It is a separate route, not inline, so the Content-Security-Policy can
 * forbid inline styles. Sizes are in rem/em so the page follows the
 * browser's text size and zoom (readable at 200 %); the layout is one
 * column that wraps, tables scroll sideways inside their own box rather
 * than widening the page; focus is always visible.
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "serve.h"

static const char css[] =
    ":root{--ink:#1b1b1b;--muted:#4a4a4a;--line:#c9c9c9;--bg:#fff;"
    "--soft:#f3f5f8;--accent:#0b4f8a;--accent-ink:#fff;--warn:#8a1c00;"
    "--warn-bg:#fff1ec;--ok:#155724;--ok-bg:#e8f5ea;--focus:#ffbf47}\n"
    "*{box-sizing:border-box}\n"
    "html{font-size:100%}\n"
    "body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,"
    "'Noto Sans','Liberation Sans',Arial,sans-serif;line-height:1.5;"
    "color:var(--ink);background:var(--bg)}\n"
    ".skip{position:absolute;left:-100vw;top:0;background:var(--focus);"
    "color:#000;padding:.5rem 1rem;z-index:10}\n"
    ".skip:focus{left:0}\n"
    "a{color:var(--accent)}\n"
    "a:focus,button:focus,input:focus,select:focus,summary:focus,"
    "[tabindex]:focus{outline:.2rem solid var(--focus);outline-offset:.1rem;"
    "box-shadow:0 0 0 .35rem #000}\n"
    "main:focus{box-shadow:none;outline:none}\n"
    "header.site{background:var(--accent);color:var(--accent-ink);"
    "padding:.5rem 1rem 0}\n"
    "header.site .org{margin:0 0 .25rem;font-size:1rem;display:flex;"
    "flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline;"
    "justify-content:space-between}\n"
    "header.site .org p{margin:0}\n"
    "header.site form.logout{margin:0;display:flex;flex-wrap:wrap;"
    "gap:0 .5rem;align-items:baseline}\n"
    "button.link{background:none;border:0;padding:.25rem 0;font-weight:600;"
    "color:var(--accent-ink);text-decoration:underline;cursor:pointer}\n"
    "header.site .app{font-weight:700;letter-spacing:.03em}\n"
    "header.site .who{font-size:.9rem}\n"
    "nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;"
    "gap:.25rem}\n"
    "nav a{display:block;padding:.5rem .8rem;color:var(--accent-ink);"
    "text-decoration:none;border-radius:.3rem .3rem 0 0;font-weight:600}\n"
    "nav a:hover{text-decoration:underline}\n"
    "nav a[aria-current=page]{background:var(--bg);color:var(--accent)}\n"
    "main{max-width:80rem;margin:0 auto;padding:1rem 1rem 3rem}\n"
    "h1{font-size:1.8rem;margin:.5rem 0 1rem;line-height:1.2}\n"
    "h2{font-size:1.35rem;margin:2rem 0 .5rem;line-height:1.25}\n"
    "h3{font-size:1.1rem;margin:1.25rem 0 .25rem}\n"
    ".subtitle,.hint{color:var(--muted);margin-top:0}\n"
    "footer.site{border-top:1px solid var(--line);color:var(--muted);"
    "font-size:.9rem;padding:.5rem 1rem;max-width:80rem;margin:0 auto}\n"
    ".table-wrap{overflow-x:auto;margin:.5rem 0 1rem;max-width:100%;"
    "position:relative}\n"
    /* A table wider than the page scrolls in its box; the row headings
     * stay in view while the figures scroll under them. */
    ".table-wrap tbody th[scope=row],.table-wrap thead th.label{"
    "position:sticky;left:0;z-index:1;background:var(--bg)}\n"
    ".table-wrap thead th.label{background:var(--soft)}\n"
    "table{border-collapse:collapse;min-width:50%}\n"
    /* Report tables are dense (the budget follow-up has a dozen columns
     * and must show them all at 1280 px); headings may wrap, figures not. */
    ".table-wrap table{font-size:.875rem}\n"
    ".table-wrap thead th{white-space:normal;vertical-align:bottom}\n"
    /* The whole budget follow-up (a dozen columns of figures) fits 1280
     * px: smaller figures, and below 90 rem the codes give way to the
     * names beside them. */
    ".budget-page section.report>.table-wrap:first-of-type table{"
    "font-size:.8125rem}\n"
    ".budget-page section.report>.table-wrap:first-of-type tbody th.label{"
    "min-width:7rem}\n"
    ".budget-page section.report>.table-wrap:first-of-type :is(th,td){"
    "padding:.3rem .25rem}\n"
    "@media (max-width:90rem){.budget-page section.report>"
    ".table-wrap:first-of-type .code{display:none}}\n"
    "caption{text-align:left;font-weight:700;padding:.25rem 0}\n"
    "th,td{padding:.3rem .35rem;border-bottom:1px solid var(--line);"
    "vertical-align:top}\n"
    "thead th{border-bottom:2px solid var(--ink);text-align:left;"
    "background:var(--soft)}\n"
    "th.num,td.num{text-align:right;white-space:nowrap;"
    "font-variant-numeric:tabular-nums}\n"
    "td.date,td.code{white-space:nowrap}\n"
    "tbody th{text-align:left;font-weight:400}\n"
    "tbody th.label{min-width:9rem}\n"
    "th.level1{padding-left:1.6rem}th.level2{padding-left:2.6rem}"
    "th.level3{padding-left:3.6rem}\n"
    "tr.subtotal th,tr.subtotal td{font-weight:600}\n"
    "tr.subtotal th,tr.total th{white-space:nowrap}\n"
    ".table-wrap tr.subtotal th,.table-wrap tr.total th{white-space:normal}\n"
    "tr.total th,tr.total td{font-weight:700;border-top:2px solid var(--ink)}\n"
    "tr.heading th{background:var(--soft);font-weight:700;text-align:left}\n"
    "tr.note th{font-weight:400;font-style:italic}\n"
    "tr.blank td{border:0;height:.6rem}\n"
    "tr.warn th,tr.warn td,.table-wrap tr.warn th[scope=row]{"
    "background:var(--warn-bg);color:var(--warn)}\n"
    "td.neg{color:var(--warn)}\n"
    ".sr-only{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0);white-space:nowrap}\n"
    ".notes{color:var(--muted);font-size:.95rem}\n"
    ".notes .warn,.diag .error,.diag .warn{color:var(--warn)}\n"
    ".banner{padding:.75rem 1rem;border-left:.4rem solid var(--ok);"
    "background:var(--ok-bg);margin:1rem 0}\n"
    ".banner.warn,.error-summary{border-left:.4rem solid var(--warn);"
    "background:var(--warn-bg)}\n"
    ".error-summary{padding:.75rem 1rem;margin:1rem 0}\n"
    ".error-summary h2{margin-top:0;color:var(--warn)}\n"
    ".keys{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));"
    "gap:.75rem;margin:1rem 0;padding:0;list-style:none}\n"
    ".keys li{background:var(--soft);border-radius:.4rem;padding:.75rem 1rem}\n"
    ".keys .k{display:block;color:var(--muted);font-size:.95rem}\n"
    ".keys .v{display:block;font-size:1.4rem;font-weight:700;"
    "font-variant-numeric:tabular-nums}\n"
    ".keys .neg .v{color:var(--warn)}\n"
    "figure.chart{margin:.5rem 0 1.5rem;max-width:60rem}\n"
    "figure.chart figcaption{display:flex;flex-wrap:wrap;gap:.25rem 1.5rem;"
    "color:var(--muted);font-size:.95rem;margin-bottom:.5rem}\n"
    ".legend-item{display:inline-flex;align-items:center;gap:.4rem}\n"
    "svg.swatch{width:1.25rem;height:.75rem}\n"
    "ul.bars{list-style:none;margin:0;padding:0}\n"
    "ul.bars li{margin:0 0 .6rem}\n"
    ".bar-label{font-weight:600}\n"
    ".bar-figure{color:var(--muted);font-variant-numeric:tabular-nums}\n"
    ".over-mark{color:var(--warn)}\n"
    "svg.bar{display:block;width:100%;height:1.1rem;margin-top:.15rem}\n"
    ".bar-val{fill:var(--accent)}.bar-val.over{fill:var(--warn)}\n"
    ".bar-ref{fill:#c5d6e8}\n"
    "svg.meter{width:100%;max-width:20rem;height:1.25rem;display:block;"
    "margin:.25rem 0}\n"
    ".meter-bg{fill:#dde3ea}.meter-fill{fill:var(--accent)}"
    ".meter-fill.over{fill:var(--warn)}\n"
    ".cards{display:grid;"
    "grid-template-columns:repeat(auto-fit,minmax(min(22rem,100%),1fr));"
    "gap:1rem;margin:1rem 0}\n"
    ".card{border:1px solid var(--line);border-radius:.4rem;padding:1rem}\n"
    ".card h3{margin-top:0}\n"
    ".card dl{display:grid;grid-template-columns:auto 1fr;gap:.2rem 1rem;"
    "margin:.5rem 0}\n"
    ".card dt{color:var(--muted)}.card dd{margin:0;text-align:right;"
    "font-variant-numeric:tabular-nums}\n"
    ".card .warn,.card dd.neg{color:var(--warn);font-weight:600}\n"
    ".filters{display:flex;flex-wrap:wrap;gap:.75rem 1.25rem;"
    "align-items:flex-start;background:var(--soft);padding:.75rem 1rem;"
    "border-radius:.4rem;margin:1rem 0}\n"
    ".filters div{display:flex;flex-direction:column;max-width:100%}\n"
    ".filters .hint{font-size:.875rem;max-width:18rem}\n"    /* Buttons line up with the fields, below their labels. */
    ".filters .submit{padding-top:1.5rem}\n"
    ".filters select{max-width:100%}\n"
    "label{font-weight:600}\n"
    "input,select,button{font:inherit;font-size:1rem}\n"
    "input[type=text],select{padding:.35rem .5rem;border:2px solid var(--ink);"
    "border-radius:.2rem;background:#fff;color:var(--ink);max-width:100%}\n"
    "input.amount{width:10em;text-align:right}\n"
    "textarea{font:inherit;font-size:1rem;padding:.35rem .5rem;"
    "border:2px solid var(--ink);border-radius:.2rem;max-width:100%}\n"
    ".filters .wide{flex:1 1 24rem}\n"
    "textarea[aria-invalid=true],select[aria-invalid=true]{"
    "border-color:var(--warn);border-width:3px}\n"
    "input[aria-invalid=true]{border-color:var(--warn);border-width:3px}\n"
    ".field-error{display:block;color:var(--warn);font-weight:600}\n"
    "button,.button{display:inline-block;padding:.5rem 1.1rem;"
    "border:2px solid var(--accent);border-radius:.3rem;background:var(--accent);"
    "color:var(--accent-ink);font-weight:700;cursor:pointer;"
    "text-decoration:none}\n"
    "button.secondary,.button.secondary{background:#fff;color:var(--accent)}\n"
    ".actions{display:flex;flex-wrap:wrap;gap:1rem;margin:1.5rem 0}\n"
    "table.entry td,table.entry th{vertical-align:middle}\n"
    "table.entry label{font-weight:400}\n"
    "table.entry select{max-width:none}\n"
    "table.entry th[scope=row]{min-width:10rem}\n"
    ".downloads{list-style:none;padding:0}.downloads li{margin:.75rem 0}\n"
    "form.login .field{display:flex;flex-direction:column;max-width:24rem;"
    "margin:.75rem 0}\n"
    ".check .field-error{margin-top:.25rem}\n"
    "input[type=checkbox][aria-invalid=true]{outline:3px solid var(--warn)}\n"
    "code{font-size:.95em}\n"
    /* The entry form on a narrow screen or at 200 % zoom: one block per
     * budget line, each value with its column's heading (data-label). */
    "@media (max-width:60rem){table.entry,table.entry tbody,table.entry tr,"
    "table.entry td,table.entry th{display:block;width:100%}"
    "table.entry thead{position:absolute;width:1px;height:1px;overflow:hidden;"
    "clip:rect(0 0 0 0)}"
    "table.entry tr{border:1px solid var(--line);border-radius:.4rem;"
    "padding:.5rem .75rem;margin:0 0 .75rem}"
    "table.entry td,table.entry th{border:0;padding:.2rem 0;text-align:left}"
    "table.entry th[scope=row]{font-weight:700;font-size:1.1rem}"
    "table.entry td.num{text-align:left}"
    "table.entry td[data-label]::before{content:attr(data-label) \": \";"
    "color:var(--muted);font-weight:600}"
    "table.entry td.input::before{display:block}"
    "table.entry select{max-width:100%}"
    "table.entry caption{display:block;font-size:1.2rem}"
    "table.entry th[scope=row]{position:static}}\n"
    "@media (max-width:40rem){h1{font-size:1.5rem}main{padding:.75rem}"
    "header.site .who{margin-left:0}}\n"
    /* Reflow at 320 px: a card's facts one below the other. */
    "@media (max-width:30rem){.card{padding:.75rem}"
    ".card dl{grid-template-columns:minmax(0,1fr)}"
    ".card dd{text-align:left;margin-bottom:.25rem}}\n";

/* An answer that is a constant of this file (the style sheet, the icon):
 * a copy, since the response frees its body. */
static int constant_body(serve_resp *rs, const char *data, size_t len,
                         const char *ctype)
{
    rs->body = mem_strndup(data, len);
    rs->len = len;
    rs->ctype = ctype;
    return 0;
}

int serve_page_style(serve_req *rq, serve_resp *rs)
{
    (void)rq;
    return constant_body(rs, css, sizeof css - 1, "text/css; charset=utf-8");
}

/* Browsers ask for /favicon.ico on every page; a small SVG mark answers
 * instead of a 404 in the log. */
static const char favicon[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 16 16\">"
    "<rect width=\"16\" height=\"16\" rx=\"3\" fill=\"#0b4f8a\"/>"
    "<rect x=\"3\" y=\"9\" width=\"2\" height=\"4\" fill=\"#fff\"/>"
    "<rect x=\"7\" y=\"6\" width=\"2\" height=\"7\" fill=\"#fff\"/>"
    "<rect x=\"11\" y=\"3\" width=\"2\" height=\"10\" fill=\"#fff\"/></svg>";

int serve_page_favicon(serve_req *rq, serve_resp *rs)
{
    (void)rq;
    return constant_body(rs, favicon, sizeof favicon - 1, "image/svg+xml");
}
