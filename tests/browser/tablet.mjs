// The tablet page in a real browser (Debian's Chromium via playwright-core):
// layout at phone and tablet size, labels and touch targets, conditions,
// client-side checks, drawing a signature with pointer events, submitting,
// the receipt, and the flattened PDF it links to. Screenshots go to OUT_DIR.
//
// usage: node tablet.mjs CONSENTKIT_BINARY SOURCE_DIR OUT_DIR
import {spawn, execFileSync} from 'node:child_process';
import {mkdtempSync, mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';

let chromium;
try {
  ({chromium} = await import('playwright-core'));
} catch {
  console.error('playwright-core is missing: run `npm ci --prefix tests/browser` (.ci/run does)');
  process.exit(1);
}

const [binary, source, outDir] = process.argv.slice(2);
mkdirSync(outDir, {recursive: true});
const failures = [];
function check(ok, message) {
  if (!ok) {
    failures.push(message);
    console.error('FAIL:', message);
  }
}

async function startServer(dataDir) {
  const server = spawn(binary, ['serve', '--port', '0', '--data', dataDir, '--forms',
    join(source, 'forms'), '--config', join(source, 'samples/consentkit.conf'), '--pair', 'staff'],
  {stdio: ['ignore', 'pipe', 'inherit']});
  for await (const line of createInterface({input: server.stdout})) {
    const match = line.match(/open (http:\/\/127\.0\.0\.1:\d+)\/(pair#\S+)/);
    if (match) return {server, base: match[1], pairUrl: `${match[1]}/${match[2]}`};
  }
  throw new Error('consentkit serve printed no URL');
}

// Everything a page asks for must come from consentkit itself.
function watch(page, base) {
  const seen = {foreign: [], errors: [], posts: 0, dialogs: 0};
  page.on('request', request => {
    if (!request.url().startsWith(base) && !request.url().startsWith('data:')) {
      seen.foreign.push(request.url());
    }
    if (request.method() === 'POST') seen.posts++;
  });
  page.on('pageerror', error => seen.errors.push(String(error)));
  page.on('console', message => {
    // A 4xx the test provoked on purpose is logged by the browser itself.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
      seen.errors.push(message.text());
    }
  });
  page.on('dialog', dialog => {
    seen.dialogs++;
    dialog.dismiss();
  });
  return seen;
}

async function checkLayout(page, name) {
  const report = await page.evaluate(() => {
    const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const unlabelled = [...document.querySelectorAll('input, textarea, select')]
        .filter(el => visible(el) && el.labels.length === 0 && !el.getAttribute('aria-labelledby'))
        .map(el => el.name || el.id);
    const small = [];
    for (const el of document.querySelectorAll('button, input, textarea, a.ck-btn')) {
      if (!visible(el)) continue;
      // A box or radio is tapped through its label, which is the target.
      const target = (el.type === 'checkbox' || el.type === 'radio') ? el.closest('label') || el : el;
      const box = target.getBoundingClientRect();
      if (box.height < 44 || box.width < 44) {
        small.push(`${el.name || el.textContent.trim()} ${Math.round(box.width)}x${Math.round(box.height)}`);
      }
    }
    const tooSmallText = [...document.querySelectorAll('input, textarea')]
        .filter(el => visible(el) && parseFloat(getComputedStyle(el).fontSize) < 16)
        .map(el => el.name);
    return {scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth,
      unlabelled, small, tooSmallText};
  });
  check(report.scrollWidth <= report.width,
      `${name}: no horizontal scrolling (content ${report.scrollWidth}px in ${report.width}px)`);
  check(report.unlabelled.length === 0, `${name}: inputs without a label: ${report.unlabelled}`);
  check(report.small.length === 0, `${name}: touch targets under 44px: ${report.small}`);
  check(report.tooSmallText.length === 0, `${name}: inputs under 16px text: ${report.tooSmallText}`);
}

// A signature drawn with the mouse: pointer events, as a finger or pen gives.
async function sign(page, fieldId, wave) {
  const pad = page.locator(`#f-${fieldId}`);
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 24; i++) {
    const t = i / 24;
    await page.mouse.move(box.x + box.width * (0.1 + 0.8 * t),
        box.y + box.height * (0.55 + 0.25 * Math.sin(t * wave * Math.PI)), {steps: 2});
  }
  await page.mouse.up();
}

async function fillConsent(page, patientName) {
  for (const box of await page.locator('input[type=checkbox][name$="-understood"]').all()) {
    await box.check();
  }
  for (const initials of await page.locator('input[name$="-initials"]').all()) {
    await initials.fill('ZM');
  }
  await page.fill('input[name=patient-name]', patientName);
  await sign(page, 'patient-signature', 3);
  await page.fill('input[name=date-signed]', '2026-11-23');
}

async function consentJourney(browser, base, viewport) {
  const tag = `${viewport.width}x${viewport.height}`;
  const page = await browser.newPage();
  await page.setViewportSize(viewport);
  const seen = watch(page, base);
  await page.goto(`${base}/forms/microneedling-consent`);
  await checkLayout(page, `consent ${tag}`);
  await page.screenshot({path: join(outDir, `consent-${tag}.png`), fullPage: true});

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
  await page.fill('input[name=patient-name]', 'Иван');
  await page.click('button[type=submit]');
  const unprintable = await page.locator('#e-patient-name').textContent();
  check(/cannot be printed/.test(unprintable), `consent ${tag}: Cyrillic is flagged (${unprintable})`);
  check(seen.posts === 0, `consent ${tag}: nothing is sent while it is`);

  // Undo and clear work on the pad.
  await sign(page, 'patient-signature', 3);
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
  await page.screenshot({path: join(outDir, `consent-receipt-${tag}.png`), fullPage: false});
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
  const pdfText = execFileSync('pdftotext', [pdfPath, '-'], {encoding: 'utf8'});
  check(pdfText.includes('Zoë Muñoz'), `consent ${tag}: the PDF shows the signer's name`);
  check(pdfText.includes(script), `consent ${tag}: the PDF prints the script as text`);
  execFileSync('pdftoppm', ['-r', '60', '-png', pdfPath, join(outDir, `consent-signed-${tag}`)]);
  await page.close();
}

async function intakeConditions(browser, base) {
  const page = await browser.newPage();
  await page.setViewportSize({width: 390, height: 844});
  const seen = watch(page, base);
  await page.goto(`${base}/forms/microneedling-intake`);
  await checkLayout(page, 'intake 390x844');
  await page.screenshot({path: join(outDir, 'intake-390x844.png'), fullPage: true});
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

// Before signing in, a page sends the browser to /pair; the printed link
// signs it in (the token rides in the #fragment into an HttpOnly cookie).
async function signIn(browser, base, pairUrl) {
  const page = await browser.newPage();
  await page.goto(`${base}/forms/microneedling-consent`);
  check(new URL(page.url()).pathname === '/pair', `unsigned browser is sent to /pair (${page.url()})`);
  await page.screenshot({path: join(outDir, 'pair.png')});
  await page.goto(pairUrl);
  await page.waitForURL(url => url.pathname !== '/pair');
  await page.goto(`${base}/`);
  check(await page.locator('a[href="/forms/microneedling-consent"]').count() >= 1,
      'after signing in, the form list shows');
  const cookies = await page.context().cookies();
  check(cookies.some(c => c.name === 'ck_token' && c.httpOnly && c.sameSite === 'Strict'),
      'the token is kept in an HttpOnly, SameSite=Strict cookie');
  await page.close();
}

const dataDir = mkdtempSync(join(tmpdir(), 'ck-browser-'));
const {server, base, pairUrl} = await startServer(dataDir);
const chrome = await chromium.launch({executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu']});
// One browser profile for the whole run, like a clinic tablet: it signs in
// once and keeps its cookie.
const browser = await chrome.newContext({hasTouch: true, deviceScaleFactor: 1});
try {
  await signIn(browser, base, pairUrl);
  for (const viewport of [{width: 390, height: 844}, {width: 768, height: 1024}]) {
    await consentJourney(browser, base, viewport);
  }
  await intakeConditions(browser, base);
} catch (error) {
  failures.push(String(error.stack || error));
  console.error(error);
} finally {
  await chrome.close();
  server.kill('SIGTERM');
  rmSync(dataDir, {recursive: true, force: true});
}
console.log(failures.length ? `${failures.length} failures` : `all browser checks passed; screenshots in ${outDir}`);
process.exit(failures.length ? 1 : 0);
