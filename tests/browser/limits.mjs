// The page's rules come from the server, in a real browser: a test form
// whose author set max-length="5" (and 3 on initials). The page's inputs
// carry those limits, a longer value put in by script is flagged naming the
// limit, and the other rules the page reads from the page (the characters
// the PDF prints, e-mail, phone, date years, a signature's least size) are
// applied. A valid value is accepted by the server; a too-long one is
// refused with its field id, and the page shows the server's words by it.
// Runs at 390x844 with touch; screenshots go to OUT_DIR.
//
// usage: node limits.mjs CONSENTKIT_BINARY SOURCE_DIR OUT_DIR
import {randomUUID} from 'node:crypto';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PHONE, harness} from './clinic.mjs';

const {source, failures, check, makeToken, startServer, launch, watch, signIn, shot, checkLayout,
  axe, sign, session} = await harness(process.argv.slice(2));

// Sets a control's value as a script or an autofill would (past maxlength)
// and tells the page, as typing does.
async function put(page, selector, value) {
  await page.evaluate(([selector, value]) => {
    const input = document.querySelector(selector);
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true}));
  }, [selector, value]);
}

const errorOf = (page, id) => page.locator(`#e-${id}`).textContent();

async function submitButton(page) {
  await page.click('button[type=submit]');
}

const dataDir = mkdtempSync(join(tmpdir(), 'ck-limits-'));
const tablet = makeToken(dataDir, 'tablet', 'Room 2 iPad');
const {server, base} = await startServer(dataDir, join(source, 'tests/support/rule-forms'));
const chrome = await launch();
await session(async () => {
  const context = await chrome.newContext({viewport: PHONE, hasTouch: true, deviceScaleFactor: 1});
  await signIn(context, base, tablet.secret);
  const page = await context.newPage();
  const seen = watch(page, 'limits', {base});
  await page.goto(`${base}/forms/limits`);

  // The author's limits are the inputs' maxlength; the syntax's where less.
  const maxlength = id => page.locator(`#f-${id}`).getAttribute('maxlength');
  check(await maxlength('nickname') === '5', `nickname: maxlength 5 (${await maxlength('nickname')})`);
  check(await maxlength('initials') === '3', `initials: maxlength 3 (${await maxlength('initials')})`);
  check(await maxlength('email') === '254', `email: maxlength 254 (${await maxlength('email')})`);
  check(await maxlength('phone') === '32', `phone: maxlength 32 (${await maxlength('phone')})`);
  const rules = await page.evaluate(() => JSON.parse(document.getElementById('ck-rules').textContent));
  check(/^9-a,d,20-7e,a0-/.test(rules.chars) && rules.digits === 7,
      `the page carries the server's rules (${JSON.stringify(rules).slice(0, 60)}…)`);

  // Typing is stopped at the limit; a script can go past it, and the page
  // says so at once, naming the limit.
  await page.locator('#f-nickname').pressSequentially('Alexandra');
  check(await page.inputValue('#f-nickname') === 'Alexa', 'typing stops at 5 characters');
  await put(page, '#f-nickname', 'Alexan');
  const tooLong = await errorOf(page, 'nickname');
  check(/at most 5 characters/.test(tooLong), `6 characters are flagged with the limit of 5 (${tooLong})`);
  check(await page.getAttribute('#f-nickname', 'aria-invalid') === 'true', 'and the input is marked invalid');
  await put(page, '#f-initials', 'ZMAB');
  const initials = await errorOf(page, 'initials');
  check(/at most 3 characters/.test(initials), `4 initials are flagged with the limit of 3 (${initials})`);

  // The other rules the page reads from the server.
  await put(page, '#f-email', 'not-an-address');
  await put(page, '#f-phone', '555 01');
  await page.fill('#f-visit-date', '1899-12-31');
  await page.locator('#f-signature').tap();  // a tap is not a signature
  await submitButton(page);
  check(/email address/.test(await errorOf(page, 'email')), `e-mail syntax: ${await errorOf(page, 'email')}`);
  check(/at least 7 digits/.test(await errorOf(page, 'phone')), `phone digits: ${await errorOf(page, 'phone')}`);
  check(/YYYY-MM-DD/.test(await errorOf(page, 'visit-date')),
      `a year before 1900 is refused: ${await errorOf(page, 'visit-date')}`);
  check(/too small/.test(await errorOf(page, 'signature')), `a tap is too small: ${await errorOf(page, 'signature')}`);
  check(seen.posts === 0, 'nothing is sent while a field has a problem');
  await shot(page, 'limits-errors-390x844');
  await shot(page, 'limits-errors-top-390x844', false);
  // Any script prints; what no font has (an emoji) is flagged from the
  // page's character set, showing the character.
  await put(page, '#f-nickname', 'Иван');
  check((await errorOf(page, 'nickname')).trim() === '', `Cyrillic is accepted (${await errorOf(page, 'nickname')})`);
  await put(page, '#f-nickname', 'Iv😀');
  await submitButton(page);  // an answer that was fine is checked again on sending
  check(/cannot be printed/.test(await errorOf(page, 'nickname')) && (await errorOf(page, 'nickname')).includes('😀'),
      `an emoji is flagged from the page's character set: ${await errorOf(page, 'nickname')}`);
  await checkLayout(page, 'limits 390x844', {targets: 'button, input, textarea, a.ck-btn', minTextSize: 16});
  await axe(page, 'limits with errors 390x844');

  // The server is the judge: with the page's limit taken away, a 6-letter
  // name is sent and refused by the server with the field's id, and the
  // page shows the server's words by the field.
  await put(page, '#f-nickname', 'Alexan');
  await put(page, '#f-initials', 'ZM');
  await put(page, '#f-email', 'zoe@example.com');
  await put(page, '#f-phone', '207 555 0199');
  await page.fill('#f-visit-date', '2026-11-23');
  await sign(page, '#f-signature', 3);
  await page.evaluate(() => document.getElementById('f-nickname').removeAttribute('maxlength'));
  const [refused] = await Promise.all([
    page.waitForResponse(r => r.request().method() === 'POST', {timeout: 20000}),
    submitButton(page),
  ]);
  const problem = await refused.json();
  const nicknameError = (problem.fields || []).find(f => f.id === 'nickname');
  check(refused.status() === 422 && nicknameError && /at most 5/.test(nicknameError.message),
      `the server refuses 6 characters for nickname (${refused.status()} ${JSON.stringify(problem.fields)})`);
  check((problem.fields || []).length === 1, 'and nothing else');
  await page.locator('#e-nickname').filter({hasText: 'at most 5'}).waitFor({timeout: 5000});
  check(/at most 5/.test(await errorOf(page, 'nickname')),
      `the page shows the server's message by the field: ${await errorOf(page, 'nickname')}`);
  await shot(page, 'limits-server-refused-390x844', false);

  // The same refusal straight from the API, for the envelope's field id.
  const d = await page.evaluate(() => ({...document.querySelector('form').dataset}));
  const body = value => ({
    id: randomUUID(),
    form: {id: d.formId, version: d.formVersion, sha256: d.formSha256},
    language: 'en',
    values: {nickname: value, initials: 'ZM',
      signature: {width: 300, height: 100, strokes: [[[10, 50, 0], [200, 60, 16]]]}},
  });
  const post = async value => {
    const response = await fetch(`${base}/api/v1/forms/limits/submissions`, {method: 'POST',
      headers: {'Content-Type': 'application/json', Authorization: `Bearer ${tablet.secret}`},
      body: JSON.stringify(body(value))});
    return {status: response.status, json: await response.json()};
  };
  const long = await post('Alexan');
  check(long.status === 422 && long.json.fields.length === 1 && long.json.fields[0].id === 'nickname',
      `the API refuses a 6-character nickname by its id (${long.status} ${JSON.stringify(long.json.fields)})`);
  const fits = await post('Alexa');
  check(fits.status === 201, `the API accepts 5 characters (${fits.status} ${JSON.stringify(fits.json)})`);

  // Within the limit, the page sends and the server accepts.
  await page.evaluate(() => document.getElementById('f-nickname').setAttribute('maxlength', '5'));
  await page.fill('#f-nickname', 'Zoë');
  const [accepted] = await Promise.all([
    page.waitForResponse(r => r.request().method() === 'POST', {timeout: 20000}),
    submitButton(page),
  ]);
  check(accepted.status() === 201, `the server accepts "Zoë" (${accepted.status()})`);
  await page.locator('#ck-receipt').waitFor({state: 'visible', timeout: 20000});
  await shot(page, 'limits-sent-390x844', false);
  check(seen.posts === 2, `two sends from the page: one refused, one accepted (${seen.posts})`);
  check(seen.foreign.length === 0, `no requests leave consentkit: ${seen.foreign}`);
  check(seen.errors.length === 0, `no page errors: ${seen.errors}`);
}, {chrome, server, folders: [dataDir]});
