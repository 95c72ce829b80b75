// The tablet page in a real browser (Debian's Chromium via playwright-core):
// layout at phone and tablet size, labels and touch targets, conditions,
// client-side checks, drawing a signature with pointer events, submitting,
// the receipt, and the flattened PDF it links to. Screenshots go to OUT_DIR.
// The server (started with --pair staff), checks, screenshots, layout
// checks and signing come from clinic.mjs.
//
// usage: node tablet.mjs CONSENTKIT_BINARY SOURCE_DIR OUT_DIR
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PHONE, TABLET, harness} from './clinic.mjs';

const {outDir, failures, check, startServer, launch, watch, signIn, shot, checkLayout, sign, run,
  session} = await harness(process.argv.slice(2));

// The public form page: its touch targets, and text big enough that
// focusing an input does not zoom the page.
const layout = {targets: 'button, input, textarea, a.ck-btn', minTextSize: 16};

async function fillConsent(page, patientName) {
  for (const box of await page.locator('input[type=checkbox][name$="-understood"]').all()) {
    await box.check();
  }
  for (const initials of await page.locator('input[name$="-initials"]').all()) {
    await initials.fill('ZM');
  }
  await page.fill('input[name=patient-name]', patientName);
  await sign(page, '#f-patient-signature', 3);
  await page.fill('input[name=date-signed]', '2026-11-23');
}

async function consentJourney(browser, base, viewport) {
  const tag = `${viewport.width}x${viewport.height}`;
  const page = await browser.newPage();
  await page.setViewportSize(viewport);
  const seen = watch(page, `consent ${tag}`, {base});
  await page.goto(`${base}/forms/microneedling-consent`);
  await checkLayout(page, `consent ${tag}`, layout);
  await shot(page, `consent-${tag}`);

  // Sending it empty: every required field is flagged, nothing is sent,
  // and focus moves to the first problem.
  await page.click('button[type=submit]');
  const flagged = await page.evaluate(() => [...document.querySelectorAll('[data-field][data-required]')]
      .filter(box => document.getElementById('e-' + box.dataset.field).textContent.trim() !== '').length);
  const required = await page.locator('[data-field][data-required]').count();
  check(required > 10 && flagged === required,
      `consent ${tag}: an empty send flags every required field (${flagged} of ${required})`);
  check(seen.posts === 0, `consent ${tag}: an empty form is not sent`);
  const focused = await page.evaluate(() => document.activeElement.name || document.activeElement.id);
  check(focused === 'irritation-understood', `consent ${tag}: focus moves to the first problem (${focused})`);

  // Text the signed PDF could not print is caught before sending.
  await page.fill('input[name=patient-name]', 'Иван 😀');
  await page.click('button[type=submit]');
  const unprintable = await page.locator('#e-patient-name').textContent();
  check(/cannot be printed/.test(unprintable) && unprintable.includes('😀'),
      `consent ${tag}: an emoji is flagged, shown as itself (${unprintable})`);
  check(seen.posts === 0, `consent ${tag}: nothing is sent while it is`);

  // Undo and clear work on the pad.
  await sign(page, '#f-patient-signature', 3);
  await page.locator('[data-field=patient-signature] [data-pad=clear]').click();
  const cleared = await page.locator('[data-field=patient-signature] .ck-pad-state').textContent();

  const script = '<img src=x onerror=alert(1)><script>alert(2)</script>';
  await fillConsent(page, `Zoë Muñoz ${script}`);
  const [answer] = await Promise.all([
    page.waitForResponse(r => r.request().method() === 'POST', {timeout: 20000}),
    page.click('button[type=submit]'),
  ]);
  const stored = await answer.json();
  const receipt = page.locator('#ck-receipt');
  await receipt.waitFor({state: 'visible', timeout: 20000});
  await shot(page, `consent-receipt-${tag}`, false);
  const text = await receipt.textContent();
  check(/sent/i.test(text), `consent ${tag}: the receipt says the form was sent`);
  check(seen.posts === 1, `consent ${tag}: one POST for one send (${seen.posts})`);
  check(seen.dialogs === 0, `consent ${tag}: no script from a value ran`);
  check(seen.foreign.length === 0, `consent ${tag}: no requests leave consentkit: ${seen.foreign}`);
  check(seen.errors.length === 0, `consent ${tag}: no page errors: ${seen.errors}`);
  check(!/Signed/.test(cleared) || /not/i.test(cleared), `consent ${tag}: Clear empties the pad (${cleared})`);

  // The page is patient-facing whoever holds it: no outcome, no record
  // links, and the answers left the screen with the form.
  check(await receipt.locator('a[href$=".pdf"]').count() === 0, `consent ${tag}: the receipt links to no PDF`);
  check(!/outcome|suitable|staff only|For clinic staff/i.test(text), `consent ${tag}: the receipt shows no outcome`);
  check(await page.locator('form[data-form-id]').count() === 0, `consent ${tag}: the filled form is gone from the page`);
  const pdf = await page.request.get(`${base}/api/v1/submissions/${stored.id}.pdf`);
  const bytes = await pdf.body();
  check(pdf.status() === 200 && bytes.subarray(0, 5).toString() === '%PDF-',
      `consent ${tag}: the PDF downloads`);
  const pdfPath = join(outDir, `consent-signed-${tag}.pdf`);
  writeFileSync(pdfPath, bytes);
  const pdfText = run('pdftotext', [pdfPath, '-']).out;
  check(pdfText.includes('Zoë Muñoz'), `consent ${tag}: the PDF shows the signer's name`);
  check(pdfText.includes(script), `consent ${tag}: the PDF prints the script as text`);
  const pages = run('pdftoppm', ['-r', '60', '-png', pdfPath, join(outDir, `consent-signed-${tag}`)]);
  if (pages.code !== 0) throw new Error(`pdftoppm ${pdfPath} failed: ${pages.out}`);
  await page.close();
}

async function intakeConditions(browser, base) {
  const page = await browser.newPage();
  await page.setViewportSize(PHONE);
  const seen = watch(page, 'intake', {base});
  await page.goto(`${base}/forms/microneedling-intake`);
  await checkLayout(page, 'intake 390x844', layout);
  await shot(page, 'intake-390x844');
  const followUp = page.locator('[data-field=allergies-list]');
  check(await followUp.isHidden(), 'intake: the allergy details start hidden');
  await page.locator('[data-field=allergies] input[value=yes]').check();
  check(await followUp.isVisible(), 'intake: answering yes shows the allergy details');
  await page.locator('[data-field=allergies] input[value=no]').check();
  check(await followUp.isHidden(), 'intake: answering no hides them again');
  // Keyboard: Tab reaches the first control and its focus ring shows.
  await page.keyboard.press('Tab');
  const ring = await page.evaluate(() => {
    // A radio's or checkbox's ring is drawn around its label, the tap target.
    const shown = el => el && getComputedStyle(el).outlineStyle !== 'none' &&
        parseFloat(getComputedStyle(el).outlineWidth) >= 2;
    return shown(document.activeElement) || shown(document.activeElement.closest('label'));
  });
  check(ring, 'intake: the focused control shows a focus ring');
  check(seen.errors.length === 0, `intake: no page errors: ${seen.errors}`);
  await page.close();
}

// Before signing in, a page sends the browser to /pair; the link `serve
// --pair` printed signs it in (the token rides in the #fragment into an
// HttpOnly cookie).
async function pairBrowser(browser, base, pairSecret) {
  let page = await browser.newPage();
  await page.goto(`${base}/forms/microneedling-consent`);
  check(new URL(page.url()).pathname === '/pair', `unsigned browser is sent to /pair (${page.url()})`);
  await shot(page, 'pair', false);
  await page.close();
  await signIn(browser, base, pairSecret);
  page = await browser.newPage();
  await page.goto(`${base}/`);
  check(await page.locator('a[href="/forms/microneedling-consent"]').count() >= 1,
      'after signing in, the form list shows');
  const cookies = await page.context().cookies();
  check(cookies.some(c => c.name === 'ck_token' && c.httpOnly && c.sameSite === 'Strict'),
      'the token is kept in an HttpOnly, SameSite=Strict cookie');
  await page.close();
}

const dataDir = mkdtempSync(join(tmpdir(), 'ck-browser-'));
const {server, base, pairSecret} = await startServer(dataDir, undefined, {pair: 'staff'});
const chrome = await launch();
// One browser profile for the whole run, like a clinic tablet: it signs in
// once and keeps its cookie.
const browser = await chrome.newContext({hasTouch: true, deviceScaleFactor: 1});
await session(async () => {
  await pairBrowser(browser, base, pairSecret);
  for (const viewport of [PHONE, TABLET]) {
    await consentJourney(browser, base, viewport);
  }
  await intakeConditions(browser, base);
}, {chrome, server, folders: [dataDir]});
