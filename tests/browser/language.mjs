// The tablet page in the patient's language (issue 13), in a real browser
// (Debian's Chromium via playwright-core) at phone size with touch: the
// server's choice of language (?lang=, Accept-Language), the consent in
// Spanish, a language switch mid-form that keeps every answer, tick,
// initials and the signature, the submission's language and its sealed
// PDF's words, axe-core, and screenshots in OUT_DIR at 390x844 and 768x1024.
//
// usage: node language.mjs CONSENTKIT_BINARY SOURCE_DIR OUT_DIR
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PHONE, TABLET, harness} from './clinic.mjs';

const {source, outDir, check, startServer, launch, watch, signIn, shot, checkLayout, axe, sign,
  run, storageIsEmpty, session} = await harness(process.argv.slice(2));

const FORM = '/forms/microneedling-consent';
// The patient: an Arabic name (right to left, joined letters).
const PATIENT = 'محمد الأحمد';
const layout = {targets: 'button, input, textarea, a.ck-btn, .ck-lang a', minTextSize: 16};

// A catalog (i18n/<lang>.messages) as {key: text}.
function catalog(lang) {
  const texts = {};
  for (const line of readFileSync(join(source, `i18n/${lang}.messages`), 'utf8').split('\n')) {
    const m = line.match(/^\s*([^#=\s][^=]*?)\s*=\s*(.*?)\s*$/);
    if (m) texts[m[1]] = m[2];
  }
  return texts;
}
const en = catalog('en');
const es = catalog('es');

// The fixed parts of the English page and PDF words that Spanish words
// differ from ("No" is both), each as a whole-word pattern. The switch
// names English in English on every page: that one is meant.
const english = [];
for (const [key, text] of Object.entries(en)) {
  if (!/^(page|pdf|option|risk|outcome)\./.test(key) || key === 'page.language-name') continue;
  if (es[key] === text) continue;
  for (const part of text.split(/\{[a-z]+\}/)) {
    const fixed = part.trim();
    if (fixed.length < 4) continue;
    const escaped = fixed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    english.push({fixed, pattern: new RegExp(`(?<![\\p{L}])${escaped}(?![\\p{L}])`, 'u')});
  }
}
const englishIn = text => english.filter(e => e.pattern.test(text)).map(e => e.fixed);

// What a person reads or hears on the page: its text and the names a
// screen reader speaks.
const pageWords = page => page.evaluate(() => document.body.innerText + '\n' +
    [...document.querySelectorAll('[aria-label]')].map(el => el.getAttribute('aria-label'))
        .join('\n'));

// Every answer on the page, and the pad's drawing as pixels.
const answers = page => page.evaluate(() => ({
  name: document.querySelector('input[name=patient-name]').value,
  date: document.querySelector('input[name=date-signed]').value,
  ticked: [...document.querySelectorAll('input[name$="-understood"]')].map(i => i.checked),
  initials: [...document.querySelectorAll('input[name$="-initials"]')].map(i => i.value),
  pad: document.querySelector('#f-patient-signature').toDataURL(),
  padState: document.querySelector('#s-patient-signature').textContent,
}));

async function switchTo(page, lang) {
  await Promise.all([
    page.waitForURL(url => url.searchParams.get('lang') === lang),
    page.click(`nav.ck-lang a[lang=${lang}]`),
  ]);
  await page.waitForFunction(() => !document.querySelector('button[type=submit]').disabled);
}

// ?lang= first when offered, else Accept-Language among the form's
// languages, else the form's own; never an error page.
async function serverChooses(context, base) {
  for (const [query, accept, expected] of [
    ['', 'es-ES,es;q=0.9,en;q=0.5', 'es'],
    ['', 'fr, en;q=0.3', 'en'],
    ['', '', 'en'],
    ['?lang=en', 'es', 'en'],
    ['?lang=es', 'en', 'es'],
    ['?lang=fr', 'es', 'es'],
    ['?lang=zz-%3Cb%3E', '', 'en'],
  ]) {
    const response = await context.request.get(`${base}${FORM}${query}`,
        {headers: {'Accept-Language': accept}});
    const body = await response.text();
    const lang = (body.match(/<html lang="([^"]*)">/) || [])[1];
    check(response.status() === 200 && lang === expected,
        `${FORM}${query} with Accept-Language "${accept}" is in ${expected} (${response.status()} ${lang})`);
    check(/Accept-Language/i.test(response.headers().vary || ''),
        `${FORM}${query}: the page varies by Accept-Language`);
  }
}

async function spanishJourney(context, base) {
  const page = await context.newPage();
  await page.setViewportSize(PHONE);
  const seen = watch(page, 'language 390x844', {base});
  await page.goto(base + FORM);
  check(await page.getAttribute('html', 'lang') === 'es', 'Accept-Language es opens the Spanish page');
  await checkLayout(page, 'consent es 390x844', layout);
  await axe(page, 'consent es 390x844');
  await shot(page, 'consent-es-390x844');
  const found = englishIn(await pageWords(page));
  check(found.length === 0, `the Spanish page shows no English built-in words: ${found}`);

  // The page's own checks speak Spanish.
  await page.click('button[type=submit]');
  const banner = await page.locator('#ck-banner').textContent();
  check(banner.includes(es['page.js.many'].replace(/\{count\}/, '').trim()),
      `an empty send is refused in Spanish (${banner})`);
  const risk = await page.locator('#e-irritation-understood').textContent();
  check(risk === es['page.js.checkbox'], `a missing tick is explained in Spanish (${risk})`);
  await shot(page, 'consent-es-errors-390x844', false);

  // Some answers, a tick and initials, a signature: then English.
  await page.fill('input[name=patient-name]', PATIENT);
  const ticks = page.locator('input[name$="-understood"]');
  const initials = page.locator('input[name$="-initials"]');
  await ticks.nth(0).check();
  await ticks.nth(2).check();
  await initials.nth(0).fill('ZM');
  await sign(page, '#f-patient-signature', 3);
  await page.fill('input[name=date-signed]', '2026-11-23');
  const given = await answers(page);
  check(given.padState === es['page.pad.signed'], `the pad says it is signed in Spanish (${given.padState})`);

  await switchTo(page, 'en');
  check(await page.getAttribute('html', 'lang') === 'en', 'the switch shows the page in English');
  const inEnglish = await answers(page);
  for (const key of ['name', 'date', 'ticked', 'initials', 'pad']) {
    check(JSON.stringify(inEnglish[key]) === JSON.stringify(given[key]),
        `after switching to English, ${key} is kept (${JSON.stringify(inEnglish[key]).slice(0, 60)})`);
  }
  check(inEnglish.padState === en['page.pad.signed'], `the pad says Signed (${inEnglish.padState})`);
  check(await page.locator('button[type=submit]').textContent() === en['page.send'],
      'the send button is in English');
  check(/Microneedling/i.test(await page.locator('h1').textContent()), 'the title is the English one');
  check(await storageIsEmpty(page), 'nothing is left in browser storage after the switch');
  await axe(page, 'consent en after the switch');
  await shot(page, 'consent-en-switched-390x844');

  await switchTo(page, 'es');
  const back = await answers(page);
  check(JSON.stringify({...back, padState: 0}) === JSON.stringify({...given, padState: 0}),
      'switching back to Spanish keeps every answer and the signature');
  check(back.padState === es['page.pad.signed'], 'the pad is still signed');

  // Finish in Spanish and send.
  const count = await ticks.count();
  for (let i = 0; i < count; i++) await ticks.nth(i).check();
  for (let i = 0; i < count; i++) await initials.nth(i).fill('ZM');
  const [response] = await Promise.all([
    page.waitForResponse(r => r.request().method() === 'POST', {timeout: 20000}),
    page.click('button[type=submit]'),
  ]);
  const stored = await response.json();
  check(response.status() === 201, `the Spanish form is stored (${response.status()} ${JSON.stringify(stored).slice(0, 300)})`);
  const receipt = page.locator('#ck-receipt');
  await receipt.waitFor({state: 'visible', timeout: 20000});
  const thanks = await receipt.textContent();
  check(thanks.includes(es['page.js.sent']), `the receipt is in Spanish (${thanks})`);
  check(await storageIsEmpty(page), 'nothing is left in browser storage after sending');
  await shot(page, 'consent-es-receipt-390x844', false);
  // The switch on the thank-you opens a blank form: the answers sent stay gone.
  await switchTo(page, 'en');
  const blank = await answers(page);
  check(blank.name === '' && blank.ticked.every(t => !t) && blank.padState === en['page.pad.not-signed'],
      `after sending, the switch opens a blank form (${JSON.stringify({...blank, pad: 0})})`);
  check(seen.errors.length === 0, `no page errors: ${seen.errors}`);
  check(seen.foreign.length === 0, `no requests leave consentkit: ${seen.foreign}`);

  const record = await (await page.request.get(`${base}/api/v1/submissions/${stored.id}`)).json();
  check(record.language === 'es', `the submission records the language shown (${record.language})`);
  const pdf = await page.request.get(`${base}/api/v1/submissions/${stored.id}.pdf`);
  const pdfPath = join(outDir, 'consent-es-signed.pdf');
  writeFileSync(pdfPath, await pdf.body());
  const pdfText = run('pdftotext', [pdfPath, '-']).out.replace(/\s+/g, ' ');
  for (const key of ['pdf.record.title', 'pdf.record.language', 'pdf.risk.understood', 'risk.initials']) {
    check(pdfText.includes(es[key]), `the sealed PDF says "${es[key]}"`);
  }
  // pdftotext marks right-to-left runs with embedding controls; the letters
  // themselves must come back exactly as typed, in logical order.
  const letters = pdfText.replace(/[\u200e\u200f\u202a-\u202e]/g, '');
  check(letters.includes(PATIENT), `the sealed PDF shows the signer's name as typed (${PATIENT})`);
  const pdfEnglish = englishIn(pdfText);
  check(pdfEnglish.length === 0, `the sealed PDF has no English built-in words: ${pdfEnglish}`);
  run('pdftoppm', ['-r', '60', '-png', pdfPath, join(outDir, 'consent-es-signed')]);
  await page.close();
}

async function tabletShots(context, base) {
  const page = await context.newPage();
  await page.setViewportSize(TABLET);
  await page.goto(base + FORM);
  await checkLayout(page, 'consent es 768x1024', layout);
  await axe(page, 'consent es 768x1024');
  await shot(page, 'consent-es-768x1024', false);
  await page.close();
}

const dataDir = mkdtempSync(join(tmpdir(), 'ck-language-'));
const {server, base, pairSecret} = await startServer(dataDir, undefined, {pair: 'staff'});
const chrome = await launch();
// A Spanish-speaking patient's phone-sized screen, with touch.
const context = await chrome.newContext({hasTouch: true, deviceScaleFactor: 1, locale: 'es-ES'});
await session(async () => {
  await signIn(context, base, pairSecret);
  await serverChooses(context, base);
  await spanishJourney(context, base);
  await tabletShots(context, base);
}, {chrome, server, folders: [dataDir]});
