// tests/web/e2e.mjs - `samla serve` in a real browser (Debian's chromium,
// headless, driven by playwright-core; no browser is downloaded).
//
// Run by tests/e2e/web.sh, which starts the server on a copy of the example
// book and passes: SAMLA_URL (http://127.0.0.1:PORT), WORK (a scratch
// folder), SHOTS (where screenshots go), ROOT (the repository).
//
// The browser runs with JavaScript DISABLED: every task must work with
// forms and links alone. Prints "ok - ..." / "not ok - ..." lines.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const base = process.env.SAMLA_URL;
const work = process.env.WORK;
const shots = process.env.SHOTS || path.join(work, 'shots');
const root = process.env.ROOT;
fs.mkdirSync(shots, { recursive: true });

let failed = 0;
function ok(cond, text, ...why) {
  if (cond) {
    console.log(`ok - ${text}`);
  } else {
    failed++;
    console.log(`not ok - ${text}`);
    for (const w of why) console.log(`#   ${w}`);
  }
  return cond;
}
function eq(actual, expected, text) {
  return ok(actual === expected, text, `got:      ${actual}`, `expected: ${expected}`);
}

// Exact amounts: the pages carry <data value="-1234.50">; compare in öre.
function ore(s) {
  const m = /^(-?)(\d+)\.(\d\d)$/.exec(String(s));
  if (!m) throw new Error(`not an exact amount: ${s}`);
  const v = BigInt(m[2]) * 100n + BigInt(m[3]);
  return m[1] ? -v : v;
}
function kr(o) {
  const neg = o < 0n;
  const a = neg ? -o : o;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

// A raw request, so that paths are sent exactly as written (a browser or
// fetch would normalise "/../").
function raw(method, p, headers = {}, body = null) {
  return new Promise((resolve, reject) => {
    const u = new URL(base);
    const req = http.request({ host: u.hostname, port: u.port, method, path: p, headers }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

const profile = fs.mkdtempSync(path.join(work, 'chromium-profile-'));
const ctx = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  javaScriptEnabled: false,
  acceptDownloads: true,
  viewport: { width: 1280, height: 900 },
  locale: 'sv-SE',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
ctx.setDefaultTimeout(20000);
const page = ctx.pages()[0] || (await ctx.newPage());
const shot = (name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

// ---- Accessibility audits: axe-core (WCAG 2.0/2.1 A and AA) ------------------
// The pages forbid scripts (CSP) and the test browser runs without them, so
// axe runs in a second browser that may run scripts: each page state is
// taken as the test's browser shows it (its HTML, the same origin, the real
// style sheet) and audited there. Any violation fails the test.
const axeSrc = fs.readFileSync(path.join(root, 'tests/web/node_modules/axe-core/axe.min.js'), 'utf8');
const auditBrowser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'] });
const auditCtx = await auditBrowser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
const auditPage = await auditCtx.newPage();
let audits = 0;
async function audit(name, html = null) {
  const body = html ?? (await page.content());
  const url = `${base}/__axe/${++audits}`;
  await auditPage.route(url, (r) => r.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body }));
  await auditPage.goto(url);
  await auditPage.addScriptTag({ content: axeSrc });
  const r = await auditPage.evaluate(() => axe.run(document,
    { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  ok(r.violations.length === 0, `axe-core: no WCAG 2.1 A/AA violation on ${name}`,
    ...r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ` +
      v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')));
}
// The element that has the focus when a page opens (autofocus).
// Chromium applies `autofocus` at the next rendering update, which can come
// after the navigation's load event has resolved; so wait (bounded) until
// something other than <body> holds the focus, then say what it is.
const focused = async () => {
  await page.waitForFunction(() => document.activeElement && document.activeElement !== document.body,
    null, { timeout: 3000 }).catch(() => {});
  return page.evaluate(() => {
    const e = document.activeElement;
    return e ? `${e.tagName.toLowerCase()}.${e.className}` : '';
  });
};

// Key figures of the overview and the free surplus, as exact öre.
async function keyFigure(label) {
  const v = await page.locator('ul.keys li', { has: page.locator('.k', { hasText: new RegExp(`^${label}$`) }) })
    .locator('data').getAttribute('value');
  return ore(v);
}
async function earmarkCell(code, heading) {
  const card = page.locator('article.card', { has: page.locator('h3', { hasText: code }) });
  const dd = card.locator(`dt:text-is("${heading}") + dd data`);
  return ore(await dd.getAttribute('value'));
}

try {
  // ---- Logging in: the one-time link the server printed ------------------------
  let resp = await page.goto(`${base}/`);
  eq(resp.status(), 401, 'without logging in the overview answers 401');
  await audit('the 401 page (not logged in)');
  resp = await page.goto(process.env.SAMLA_LOGIN);
  eq(resp.status(), 200, 'the one-time login link opens the overview');
  eq(new URL(page.url()).search, '', 'the token is gone from the address bar after the login');
  const session = (await ctx.cookies()).find((c) => c.name.startsWith('samla-session-'));
  ok(session && session.httpOnly && session.sameSite === 'Strict',
    'the session cookie is HttpOnly and SameSite=Strict', JSON.stringify(session));

  // ---- Before: the overview and the earmarks of 2026 ------------------------
  resp = await page.goto(`${base}/`);
  eq(resp.status(), 200, 'overview answers 200');
  eq(await page.getAttribute('html', 'lang'), 'sv', 'pages are in Swedish (lang="sv")');
  eq((await page.locator('h1').textContent()).trim(), 'Översikt 2026', 'overview shows the year 2026');
  const hdr = resp.headers();
  ok(/default-src 'self'/.test(hdr['content-security-policy'] || ''), 'Content-Security-Policy default-src self',
    `got: ${hdr['content-security-policy']}`);
  eq(hdr['x-frame-options'], 'DENY', 'X-Frame-Options DENY');
  eq(hdr['x-content-type-options'], 'nosniff', 'X-Content-Type-Options nosniff');
  const costs0 = await keyFigure('Kostnader hittills');
  const income0 = await keyFigure('Intäkter hittills');
  const acc0 = await keyFigure('Ackumulerat överskott');
  eq(kr(costs0), '0.00', 'no costs booked in 2026 before the quarter');
  eq(kr(income0), '0.00', 'no income booked in 2026 before the quarter');
  eq(kr(acc0), '6801236.45', 'accumulated surplus before the quarter (closing 2025)');
  ok(await page.locator('figure.chart svg.bar rect').count() > 4, 'overview draws its bar charts as inline SVG');
  await shot('01-oversikt-fore');
  await audit('Översikt');

  await page.goto(`${base}/oronmarkt`);
  eq(kr(await earmarkCell('OM-SMM-2026', 'Förbrukat')), '0.00', 'earmark OM-SMM-2026 untouched before');
  eq(kr(await earmarkCell('OM-SMM-2026', 'Återstår')), '2180000.00', 'OM-SMM-2026 has 2 180 000 kr left before');
  eq(kr(await keyFigure('Ej öronmärkt \\(fritt överskott\\)')), '3801236.45', 'free surplus before the quarter');
  await audit('Öronmärkta medel');

  // ---- Registrera kvartal: a whole quarter, one wrong amount -----------------
  resp = await page.goto(`${base}/kvartal`);
  eq((await page.locator('h1').textContent()).trim(), 'Registrera kvartal 2026Q1',
    'the quarter form opens on the last quarter that has ended (2026Q1)');
  // Every visible field has a label.
  const unlabeled = await page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]), select')]
      .filter((e) => !e.labels || e.labels.length === 0).map((e) => e.name));
  eq(unlabeled.join(','), '', 'every form field has a label');
  await shot('02-kvartal-tomt');
  await audit('Registrera kvartal (empty form)');

  const amounts = {
    Processledare: '12,3,4', // wrong: corrected below
    'Regional samordnare (delregionala samordnare)': '54 321,09',
    'Kommunikatör': '13999.50',
    'Socialmedicinsk mottagning': '700 000 kr',
    'Mobilt team barn och unga (FACT ung), projektledare': '150 000,00',
    'MHFA-utbildning (Första hjälpen till psykisk hälsa)': '9\u00a0876,54',
    'Gemensamma kostnader (övrigt)': '14 250',
    Staten: '220 000',
    'Hälso- och sjukvårdsnämnden Västra': '334 373,75',
    'Lerums kommun': '168 833,75',
    'Alingsås kommun': '165 540',
  };
  const costOre = [20500000n, 5432109n, 1399950n, 70000000n, 15000000n, 987654n, 1425000n];
  const incomeOre = [22000000n, 33437375n, 16883375n, 16554000n];
  const costSum = costOre.reduce((a, b) => a + b, 0n);
  const incomeSum = incomeOre.reduce((a, b) => a + b, 0n);
  for (const [name, v] of Object.entries(amounts))
    await page.getByLabel(`Belopp, ${name}`, { exact: true }).fill(v);
  await page.getByLabel('Öronmärkning, Socialmedicinsk mottagning', { exact: true }).selectOption('OM-SMM-2026');
  await page.getByLabel('Öronmärkning, Mobilt team barn och unga (FACT ung), projektledare', { exact: true })
    .selectOption('OM-FACT-2026');
  await page.getByLabel('Underlag (valfritt)').fill('Kvartalsrapporter Q1 2026');
  // Submit with the keyboard: focus the button and press Enter.
  await page.getByRole('button', { name: 'Granska' }).focus();
  [resp] = await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  eq(resp.status(), 422, 'a wrong amount is refused (422) and nothing is saved');
  const bad = page.getByLabel('Belopp, Processledare', { exact: true });
  eq(await bad.getAttribute('aria-invalid'), 'true', 'the wrong field is marked aria-invalid');
  const described = await bad.getAttribute('aria-describedby');
  const msg = described ? (await page.locator(`#${described}`).textContent()) : '';
  ok(/decimaltecken/i.test(msg), 'the error is shown at the field, named by aria-describedby', `message: ${msg}`);
  ok(await page.locator('.error-summary a[href="#belopp16"]').count() === 1,
    'the error summary links to the field');
  eq(await page.getByLabel('Belopp, Kommunikatör', { exact: true }).inputValue(), '13999.50',
    'the other amounts are kept as typed');
  eq(await page.getByLabel('Öronmärkning, Socialmedicinsk mottagning', { exact: true }).inputValue(), 'OM-SMM-2026',
    'the chosen earmark is kept');
  await shot('03-kvartal-fel');
  ok(/^Fel: Registrera kvartal 2026Q1/.test(await page.title()), 'the title of a refused form starts with "Fel:"',
    `title: ${await page.title()}`);
  eq(await focused(), 'div.error-summary', 'a refused form opens with the focus on its error summary');
  await audit('Registrera kvartal (form with an error)');
  const lines0 = fs.readFileSync(path.join(process.env.BOOK, 'verifikationer.csv'), 'utf8').split('\n').length;

  await bad.fill('205 000,00');
  [resp] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Granska' }).click()]);
  eq(resp.status(), 200, 'the corrected quarter goes to the summary');
  eq((await page.locator('h1').textContent()).trim(), 'Granska kvartal 2026Q1', 'summary page');
  const sumRow = (label, key) => page.locator('tr', { has: page.locator('th', { hasText: new RegExp(`^${label}$`) }) })
    .first().locator('td data').nth(key);
  eq(kr(ore(await sumRow('Summa kostnader', 1).getAttribute('value'))), kr(costSum),
    'summary: the costs entered now add up exactly');
  eq(kr(ore(await sumRow('Summa intäkter', 1).getAttribute('value'))), kr(incomeSum),
    'summary: the income entered now adds up exactly');
  eq(await page.locator('caption', { hasText: 'Verifikationer som sparas' }).count(), 1,
    'summary lists the vouchers to be saved');
  eq(fs.readFileSync(path.join(process.env.BOOK, 'verifikationer.csv'), 'utf8').split('\n').length, lines0,
    'nothing is written before the confirmation');
  await shot('04-kvartal-sammanstallning');
  eq(await focused(), 'p.banner', 'the summary opens with the focus on its banner');
  ok(await page.locator('caption', { hasText: 'Sammanställning mot budgeten 2026Q1' }).count() === 1,
    'the summary table has a caption');
  await audit('Granska kvartal (summary)');
  // The save form's fields, to send the same form again later.
  const saveForm = await page.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll('form[action="/kvartal/spara"] input')].map((i) => [i.name, i.value])));

  [resp] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Spara kvartalet' }).click()]);
  ok(/\/kvartal\?kvartal=2026Q1&sparat=11$/.test(page.url()), 'one confirmation saves the quarter and redirects',
    `url: ${page.url()}`);
  ok(/Kvartalet 2026Q1 är sparat/.test(await page.locator('.banner').first().textContent()),
    'the page says the quarter is saved');
  const journal = fs.readFileSync(path.join(process.env.BOOK, 'verifikationer.csv'), 'utf8');
  eq((journal.match(/;quarter 2026Q1;/g) || []).length, 11, 'the journal holds the 11 entries of the quarter');
  await shot('05-kvartal-sparat');
  ok(/^Sparat: Registrera kvartal 2026Q1/.test(await page.title()), 'the title after saving starts with "Sparat:"',
    `title: ${await page.title()}`);
  eq(await focused(), 'div.banner', 'the saved page opens with the focus on its banner');
  await audit('Registrera kvartal (saved)');
  // The same form sent again (a reload, a second click): nothing is saved.
  const again = await page.request.post(`${base}/kvartal/spara`, { form: saveForm, maxRedirects: 0 });
  eq(again.status(), 409, 'the same form sent again is refused (409)');
  const againHtml = await again.text();
  ok(/Redan sparat/.test(againHtml) && /Inget sparades en gång till/.test(againHtml),
    'the page says the form was saved before and nothing was saved now');
  eq((fs.readFileSync(path.join(process.env.BOOK, 'verifikationer.csv'), 'utf8').match(/;quarter 2026Q1;/g) || []).length,
    11, 'the repeated form booked nothing');
  await audit('the repeated form (409)', againHtml);

  // ---- After: overview and earmarks changed, exactly -------------------------
  await page.goto(`${base}/`);
  eq(kr(await keyFigure('Kostnader hittills')), kr(costSum), 'overview: costs so far = the quarter\'s costs');
  eq(kr(await keyFigure('Intäkter hittills')), kr(incomeSum), 'overview: income so far = the quarter\'s income');
  eq(kr(await keyFigure('Resultat hittills')), kr(incomeSum - costSum), 'overview: result = income − costs');
  eq(kr(await keyFigure('Ackumulerat överskott')), kr(acc0 + incomeSum - costSum),
    'overview: accumulated surplus moved by the result');
  const smmBar = await page.locator('figure.chart').nth(1).locator('rect.bar-val:not(.legend)').nth(3).getAttribute('width');
  ok(Number(smmBar) > 0, 'the cost chart draws the clinic\'s outcome', `width ${smmBar}`);
  await shot('06-oversikt-efter');

  await page.goto(`${base}/oronmarkt`);
  eq(kr(await earmarkCell('OM-SMM-2026', 'Förbrukat')), '700000.00', 'earmark page: OM-SMM-2026 drawn 700 000,00');
  eq(kr(await earmarkCell('OM-SMM-2026', 'Återstår')), '1480000.00', 'earmark page: OM-SMM-2026 remaining 1 480 000,00');
  eq(kr(await earmarkCell('OM-FACT-2026', 'Återstår')), '670000.00', 'earmark page: OM-FACT-2026 remaining 670 000,00');
  const acc1 = acc0 + incomeSum - costSum;
  eq(kr(await keyFigure('Ej öronmärkt \\(fritt överskott\\)')), kr(acc1 - 148000000n - 67000000n),
    'earmark page: free surplus = surplus − remaining earmarks');
  ok(await page.locator('article.card svg.meter rect.meter-fill[width="96"]').count() >= 1,
    'the clinic\'s bar shows 700 000 of 2 180 000 (96 of 300 units)');
  await shot('07-oronmarkt-efter');
  await audit('Öronmärkta medel (after the quarter)');

  // ---- Budget and Verifikationer ------------------------------------------------
  await page.goto(`${base}/budget?ar=2026`);
  const q1 = page.locator('tr', { has: page.locator('th', { hasText: /^Summa kostnader$/ }) })
    .locator('td data').nth(1);
  eq(kr(ore(await q1.getAttribute('value'))), kr(costSum), 'budget page: Utfall Q1 of the costs');
  await shot('08-budget');
  await audit('Budget');
  // A comment per line: refused at its field, then saved and shown.
  await page.getByLabel('Budgetrad', { exact: true }).selectOption('k:SMM:');
  await page.getByLabel('Period', { exact: true }).fill('2026Q9');
  await page.getByLabel('Kommentar', { exact: true }).fill('Sjuksköterska 60 % vakant');
  const [r422] = await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Spara kommentar' }).click()]);
  eq(r422.status(), 422, 'a comment with a bad period answers 422 with the form again');
  eq(await focused(), 'div.error-summary', 'the refused comment opens with the focus on its summary');
  eq(await page.getByLabel('Period', { exact: true }).getAttribute('aria-invalid'), 'true', 'the period field carries the error');
  await audit('Budget (comment refused)');
  await page.getByLabel('Period', { exact: true }).fill('');
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Spara kommentar' }).click()]);
  const smm = page.locator('tr', { has: page.locator('th', { hasText: /^Socialmedicinsk mottagning$/ }) });
  ok((await smm.textContent()).includes('Sjuksköterska 60 % vakant'), 'the saved comment is on its line of the budget table');
  await audit('Budget (comment saved)');
  // At 1280 px every column of the budget table is in view: this year's,
  // and 2025's with all four quarters filled.
  for (const y of [2026, 2025]) {
    await page.goto(`${base}/budget?ar=${y}`);
    const wide = await page.evaluate(() => [...document.querySelectorAll('.table-wrap')].map((w) =>
      [w.querySelector('caption')?.textContent, w.scrollWidth - w.clientWidth]));
    ok(wide.length > 0 && wide.every(([, over]) => over <= 0), `at 1280 px the budget tables of ${y} show every column`,
      JSON.stringify(wide));
  }
  for (const h of ['Prognos', 'Avvikelse', 'Utfall %'])
    ok(await page.locator('thead th', { hasText: h }).first().isVisible(), `at 1280 px the budget table shows ${h}`);

  await page.goto(`${base}/verifikationer`);
  await page.getByLabel('Period', { exact: true }).fill('2026Q1');
  await page.getByLabel('Verksamhet').selectOption('SMM');
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Visa' }).click()]);
  ok(/period=2026Q1/.test(page.url()) && /verksamhet=SMM/.test(page.url()), 'the journal filter is a GET form');
  const rows = page.locator('tbody tr.line');
  eq(await rows.count(), 1, 'journal filtered by period and activity: one entry');
  ok(/OM-SMM-2026/.test(await rows.first().textContent()), 'the entry carries its earmark');
  await page.goto(`${base}/verifikationer?finansiar=HSNV&period=2026`);
  eq(await page.locator('tbody tr.line').count(), 1, 'journal filtered by funder');
  await shot('09-verifikationer');
  await audit('Verifikationer');
  ok(await page.locator('.table-wrap caption').count() >= 1, 'the journal table has a caption');
  await page.goto(`${base}/verifikationer?period=2025Q9`);
  await audit('Verifikationer (a period that cannot be read)');

  // ---- Ladda ned: a workbook that recalculates clean ----------------------------
  await page.goto(`${base}/ladda-ned`);
  await shot('10-ladda-ned');
  await audit('Ladda ned');
  // Both workbooks, downloaded as a user does, recalculated by LibreOffice
  // (tests/web/recalc.sh: no error cells) and then checked figure by figure
  // against the tool's own exact values by the exports' verifier
  // (tests/e2e/xlsx_verify.py; its ok/not ok lines are passed on).
  const books = [
    [/Budget och uppföljning 2026/, 'budget-2026.xlsx', ['budget', '2026', '2026-03-31']],
    [/Årsbokslut 2025/, 'arsbokslut-2025.xlsx', ['annual', '2025']],
  ];
  for (const [link, name, verify] of books) {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
    eq(dl.suggestedFilename(), name, `the workbook downloads as ${name}`);
    const xlsx = path.join(work, name);
    await dl.saveAs(xlsx);
    ok(fs.readFileSync(xlsx).subarray(0, 2).toString() === 'PK', `${name} is a workbook (zip)`);
    const rdir = path.join(work, 'recalc');
    let out = '';
    try {
      out = execFileSync('sh', [path.join(root, 'tests/web/recalc.sh'), xlsx, rdir],
        { encoding: 'utf8', timeout: 150000 });
    } catch (e) {
      out = `${e.stdout || ''}${e.stderr || ''}`;
    }
    ok(/errors=0\s*$/.test(out), `${name} recalculates in LibreOffice without errors`, out.trim());
    const checker = path.join(root, 'tests/e2e/xlsx_verify.py');
    if (fs.existsSync(checker) && process.env.SAMLA) {
      try {
        out = execFileSync('/usr/bin/python3', [checker, verify[0], process.env.SAMLA, process.env.BOOK, xlsx,
          path.join(rdir, name), ...verify.slice(1)], { encoding: 'utf8', timeout: 150000 });
      } catch (e) {
        out = `${e.stdout || ''}${e.stderr || ''}`;
        if (!/^not ok/m.test(out)) out += '\nnot ok - xlsx_verify.py ran';
      }
      for (const line of out.split('\n')) {
        if (/^not ok/.test(line)) failed++;
        if (line) console.log(line.replace(/^(not ok|ok) - /, '$1 - web download: '));
      }
    }
  }
  const leftovers = fs.readdirSync(process.env.TMPDIR || '/tmp').filter((f) => f.startsWith('samla-serve-'));
  eq(leftovers.length, 0, 'the generated workbook is removed from the disk after the download');

  // ---- Refusals ----------------------------------------------------------------
  let r = await page.request.post(`${base}/kvartal/spara`, { form: { kvartal: '2026Q1', rad16: 'k:PROC:', belopp16: '1' } });
  eq(r.status(), 403, 'a post without the CSRF token is refused (403)');
  r = await page.request.post(`${base}/kvartal/spara`,
    { form: { csrf: '0'.repeat(64), kvartal: '2026Q1', rad16: 'k:PROC:', belopp16: '1', upprepa: '1' } });
  eq(r.status(), 403, 'a post with a wrong CSRF token is refused (403)');
  for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/style.css/../../etc/passwd',
    '/ladda-ned/../../../../etc/passwd', '/ledgers/samla/verifikationer.csv', '/verifikationer.csv']) {
    const x = await raw('GET', p);
    ok(x.status === 404 && !/root:/.test(x.body), `GET ${p} gives 404 and no file`, `status ${x.status}`);
  }
  const host = await raw('GET', '/', { Host: 'evil.example' });
  eq(host.status, 403, 'a foreign Host name (DNS rebinding) is refused');
  const big = await raw('POST', '/kvartal', { 'Content-Type': 'application/x-www-form-urlencoded' },
    'a='.padEnd(70000, 'x'));
  eq(big.status, 413, 'a post over 64 KiB is refused (413)');
  eq(fs.readFileSync(path.join(process.env.BOOK, 'verifikationer.csv'), 'utf8'), journal,
    'the refused posts changed nothing');

  // ---- Keyboard and 200 % zoom ----------------------------------------------------
  await page.goto(`${base}/`);
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => [document.activeElement.textContent, getComputedStyle(document.activeElement).outlineStyle]);
  eq(first[0], 'Hoppa till innehållet', 'the first Tab reaches the skip link');
  ok(first[1] !== 'none', 'focus is visible (outline)', `outline-style ${first[1]}`);
  // A table box that scrolls is a named region the keyboard reaches.
  await page.goto(`${base}/budget?ar=2026`);
  const regions = await page.evaluate(() => [...document.querySelectorAll('.table-wrap')].map((w) =>
    [w.getAttribute('role'), w.tabIndex, document.getElementById(w.getAttribute('aria-labelledby'))?.tagName]));
  ok(regions.length > 0 && regions.every(([r, t, l]) => r === 'region' && t === 0 && l === 'CAPTION'),
    'table boxes are focusable regions named by their captions', JSON.stringify(regions));
  await page.locator('.table-wrap').first().focus();
  ok(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle) !== 'none',
    'a focused table box shows the focus ring');
  await page.goto(`${base}/nonexistent`);
  await audit('the 404 page');
  // 200 % zoom is a CSS viewport of half the width: 640 px on a 1280 px screen.
  await page.setViewportSize({ width: 640, height: 900 });
  for (const [p, name] of [['/', '11-oversikt-200'], ['/kvartal', '12-kvartal-200'], ['/oronmarkt', '13-oronmarkt-200']]) {
    await page.goto(`${base}${p}`);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    ok(over <= 0, `at 200 % zoom ${p} needs no sideways scrolling of the page`, `overflow ${over}px`);
    await shot(name);
  }
  // WCAG 1.4.10 reflow: at 320 px no page scrolls sideways (a wide table
  // scrolls inside its own box, which the keyboard can reach).
  await page.setViewportSize({ width: 320, height: 800 });
  for (const p of ['/', '/kvartal', '/oronmarkt', '/budget?ar=2026', '/verifikationer', '/ladda-ned']) {
    await page.goto(`${base}${p}`);
    const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    ok(over <= 0, `at 320 px ${p} needs no sideways scrolling of the page`, `overflow ${over}px`);
  }
  await shot('14-oronmarkt-320');
  // Password mode's login form, empty and after a wrong password.
  if (process.env.SAMLA_PW_URL) {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${process.env.SAMLA_PW_URL}/logga-in`);
    await audit('Logga in (password mode)');
    await page.getByLabel('Användarnamn').fill('processledare');
    await page.getByLabel('Lösenord').fill('fel lösenord');
    const [r401] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Logga in' }).click()]);
    eq(r401.status(), 401, 'a wrong password answers 401 with the form again');
    eq(await focused(), 'div.error-summary', 'the failed login opens with the focus on its message');
    await audit('Logga in (wrong password)');
    await page.getByLabel('Lösenord').fill('hemligt ord 123');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Logga in' }).click()]);
    ok(/Inloggad som processledare/.test(await page.locator('header').textContent()),
      'password mode: the right password logs in');
    await audit('Översikt (password mode, logged in)');
  }
} catch (e) {
  ok(false, 'the browser test ran to the end', String(e && e.stack || e));
} finally {
  await ctx.close();
  await auditBrowser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
