// What the browser tests (tablet, the clinic's day, the witness step) share:
// a consentkit server on a free loopback port, tokens, Debian's Chromium via
// playwright-core, checks that are counted, screenshots, layout and axe-core
// checks, and filling and signing forms as a patient does.
//
// usage: const h = await harness(process.argv.slice(2)); (CONSENTKIT_BINARY
// SOURCE_DIR OUT_DIR), then h.check(…), h.finish() at the end.
import {spawn, execFileSync} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {createInterface} from 'node:readline';

export const TABLET = {width: 768, height: 1024};
export const PHONE = {width: 390, height: 844};
export const DESKTOP = {width: 1280, height: 900};

export async function harness([binary, source, outDir]) {
  let chromium;
  try {
    ({chromium} = await import('playwright-core'));
  } catch {
    console.error('playwright-core is missing: run `npm ci --prefix tests/browser` (.ci/run does)');
    process.exit(1);
  }
  const launch = () => chromium.launch({executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu']});

  mkdirSync(outDir, {recursive: true});
  const failures = [];
  function check(ok, message) {
    if (!ok) {
      failures.push(message);
      console.error('FAIL:', message);
    } else {
      console.log('ok:', message);
    }
  }

  function makeToken(dataDir, role, name) {
    const out = execFileSync(binary, ['tokens', 'create', '--data', dataDir, '--role', role,
      '--name', name], {encoding: 'utf8'});
    const secret = out.match(/ckt_\S+/)[0];
    return {secret, id: out.match(/tok_[0-9a-f]+/)[0]};
  }

  // `pair`: a role for `serve --pair`, which prints a sign-in link; its
  // secret comes back as pairSecret, for signIn.
  async function startServer(dataDir, formsDir = join(source, 'forms'), {pair} = {}) {
    const server = spawn(binary, ['serve', '--port', '0', '--data', dataDir, '--forms',
      formsDir, '--config', join(source, 'samples/consentkit.conf'), ...(pair ? ['--pair', pair] : [])],
    {stdio: ['ignore', 'pipe', 'pipe']});
    server.stderr.on('data', chunk => {
      for (const line of String(chunk).split('\n')) {
        if (line && (!line.startsWith('{') || /"path":"\/i\//.test(line))) console.error('server:', line);
      }
    });
    for await (const line of createInterface({input: server.stdout})) {
      const match = line.match(/(http:\/\/127\.0\.0\.1:\d+)(?:\/pair#(\S+))?/);
      if (match && (!pair || match[2])) return {server, base: match[1], pairSecret: match[2]};
    }
    throw new Error('consentkit serve printed no URL');
  }

  // A page's errors, and the dialogs it opened (dismissed). With `base`,
  // also its POSTs and any request that does not come from consentkit.
  function watch(page, name, {base} = {}) {
    const seen = {errors: [], dialogs: 0};
    if (base) {
      seen.foreign = [];
      seen.posts = 0;
      page.on('request', request => {
        if (!request.url().startsWith(base) && !request.url().startsWith('data:')) {
          seen.foreign.push(request.url());
        }
        if (request.method() === 'POST') seen.posts++;
      });
    }
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
    seen.name = name;
    return seen;
  }

  async function signIn(context, base, secret) {
    const page = await context.newPage();
    await page.goto(`${base}/pair#${secret}`);
    await page.waitForURL(url => url.pathname !== '/pair');
    await page.close();
  }

  async function shot(page, name, fullPage = true) {
    await page.screenshot({path: join(outDir, `${name}.png`), fullPage});
  }

  // No sideways scrolling, every input labelled, touch targets 44px.
  // `targets`: what counts as a touch target; `minTextSize`: when given,
  // inputs and textareas must show text at least that many px high.
  async function checkLayout(page, name,
      {targets = 'button, input, select, textarea, a.ck-btn, a.ck-btn2', minTextSize} = {}) {
    const report = await page.evaluate(({targets, minTextSize}) => {
      const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
      const unlabelled = [...document.querySelectorAll('input, textarea, select')]
          .filter(el => visible(el) && el.labels.length === 0 && !el.getAttribute('aria-labelledby'))
          .map(el => el.name || el.id);
      const small = [];
      for (const el of document.querySelectorAll(targets)) {
        if (!visible(el)) continue;
        // A box or radio is tapped through its label, which is the target.
        const target = (el.type === 'checkbox' || el.type === 'radio') ? el.closest('label') || el : el;
        const box = target.getBoundingClientRect();
        if (box.height < 44 || box.width < 44) {
          small.push(`${el.name || el.textContent.trim()} ${Math.round(box.width)}x${Math.round(box.height)}`);
        }
      }
      const tooSmallText = minTextSize === undefined ? [] : [...document.querySelectorAll('input, textarea')]
          .filter(el => visible(el) && parseFloat(getComputedStyle(el).fontSize) < minTextSize)
          .map(el => el.name);
      return {scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth,
        unlabelled, small, tooSmallText};
    }, {targets, minTextSize});
    check(report.scrollWidth <= report.width,
        `${name}: no horizontal scrolling (content ${report.scrollWidth}px in ${report.width}px)`);
    check(report.unlabelled.length === 0, `${name}: inputs without a label: ${report.unlabelled}`);
    check(report.small.length === 0, `${name}: touch targets under 44px: ${report.small}`);
    if (minTextSize !== undefined) {
      check(report.tooSmallText.length === 0,
          `${name}: inputs under ${minTextSize}px text: ${report.tooSmallText}`);
    }
  }

  // axe-core with the WCAG 2.1 A and AA rules, when it is installed
  // (AXE_CORE=path/to/axe.min.js or tests/browser/node_modules/axe-core).
  let axeSource = null;
  for (const path of [process.env.AXE_CORE,
    join(source, 'tests/browser/node_modules/axe-core/axe.min.js')]) {
    try {
      if (path) axeSource = readFileSync(path, 'utf8');
      if (axeSource) break;
    } catch {}
  }

  if (!axeSource) {
    console.error('axe-core is missing: run `npm ci --prefix tests/browser` (.ci/run does)');
    process.exit(1);
  }

  async function axe(page, name) {
    // Evaluated through the debugger, so the page's CSP (no inline scripts) stays on.
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, {
      runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    }));
    const found = result.violations.map(v =>
      `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`);
    check(found.length === 0 && result.passes.length > 0,
        `${name}: axe finds no WCAG 2.1 AA violations (${result.passes.length} rules pass) ${found.join('; ')}`);
  }

  // A signature drawn with the mouse: pointer events, as a finger or pen gives.
  async function sign(page, selector, wave) {
    const pad = page.locator(selector);
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

  // Fills whatever form /visit shows, leaving prefilled fields as they are;
  // `answers` picks yes/no answers by question id (default "no").
  async function fillVisitForm(page, answers = {}) {
    await page.waitForSelector('form[data-visit]');
    const boxes = await page.locator('form [data-field]').all();
    for (const box of boxes) {
      if (!(await box.isVisible())) continue;
      const type = await box.getAttribute('data-type');
      const id = await box.getAttribute('data-field');
      if ((await box.getAttribute('data-prefilled')) !== null) continue;
      if (type === 'yesno') {
        await box.locator(`input[value=${answers[id] || 'no'}]`).check();
      } else if (type === 'choice') {
        await box.locator('input').first().check();
      } else if (type === 'multichoice') {
        await box.locator('input').first().check();
      } else if (type === 'checkbox') {
        await box.locator('input').check();
      } else if (type === 'initials') {
        await box.locator('input').fill('ZM');
      } else if (type === 'signature') {
        await sign(page, `#f-${id}`, 3);
      } else if (type === 'date') {
        await box.locator('input').fill('2026-11-23');
      } else if (type === 'phone') {
        await box.locator('input').fill('207 555 0199');
      } else if (type === 'text' && (await box.getAttribute('data-required')) !== null) {
        await box.locator('input').fill('Zoë Muñoz');
      } else if (type === 'textarea' && (await box.getAttribute('data-required')) !== null) {
        await box.locator('textarea').fill('None');
      }
    }
  }

  async function storageIsEmpty(page) {
    return page.evaluate(async () => {
      const dbs = indexedDB.databases ? await indexedDB.databases() : [];
      const caches = self.caches ? await self.caches.keys() : [];
      return localStorage.length === 0 && sessionStorage.length === 0 && dbs.length === 0 &&
          caches.length === 0;
    });
  }

  async function createVisit(desk, name, dob) {
    await desk.goto(desk.base + '/staff');
    await desk.fill('#nv-name', name);
    await desk.fill('#nv-dob', dob);
    await desk.fill('#nv-number', 'HV-2041');
    await Promise.all([desk.waitForURL(/\/staff\?new=vis_/), desk.click('#ck-new-visit button[type=submit]')]);
    return new URL(desk.url()).searchParams.get('new');
  }

  // Runs a command; its exit code and everything it printed.
  function run(command, args) {
    try {
      return {code: 0, out: execFileSync(command, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})};
    } catch (error) {
      return {code: error.status, out: `${error.stdout || ''}${error.stderr || ''}`};
    }
  }

  // Runs a test's body and records what it throws; then, whatever happened,
  // closes the browser, stops the server, removes `folders`, and finishes.
  async function session(body, {chrome, server, folders}) {
    try {
      await body();
    } catch (error) {
      failures.push(String(error.stack || error));
      console.error(error);
    } finally {
      await chrome.close();
      server.kill('SIGTERM');
      for (const folder of folders) rmSync(folder, {recursive: true, force: true});
    }
    finish();
  }

  // Prints the tally and exits: 0 only when every check passed.
  function finish() {
    console.log(failures.length ? `${failures.length} failures`
                                : `all checks passed; screenshots in ${outDir}`);
    process.exit(failures.length ? 1 : 0);
  }

  return {binary, source, outDir, failures, check, makeToken, startServer, launch, watch, signIn,
    shot, checkLayout, axe, sign, fillVisitForm, storageIsEmpty, createVisit, run, session, finish};
}
