// The witness step in a real browser: a form whose witness signs on the
// kiosk tablet. The patient fills their part with the witness's part
// locked; the form cannot be sent; staff unlock the step on the desk; the
// tablet shows the witness's fields within seconds, every answer kept;
// the witness signs; the sealed record says who unlocked the step.
// Screenshots at 768x1024 and 390x844 go to OUT_DIR.
//
// usage: node witness.mjs CONSENTKIT_BINARY SOURCE_DIR OUT_DIR
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {DESKTOP, PHONE, TABLET, harness} from './clinic.mjs';

const {source, outDir, failures, check, makeToken, startServer, launch, watch, signIn, shot, checkLayout,
  axe, sign, storageIsEmpty, createVisit, run, session} = await harness(process.argv.slice(2));

const dataDir = mkdtempSync(join(tmpdir(), 'ck-witness-'));
const workDir = mkdtempSync(join(tmpdir(), 'ck-witness-files-'));
const staff = makeToken(dataDir, 'staff', 'Front desk');
const tablet = makeToken(dataDir, 'tablet', 'Room 1 iPad');
const {server, base} = await startServer(dataDir, join(source, 'tests/support/witness-forms'));
const chrome = await launch();
await session(async () => {
  const deskContext = await chrome.newContext({viewport: DESKTOP});
  await signIn(deskContext, base, staff.secret);
  const desk = await deskContext.newPage();
  desk.base = base;
  const deskSeen = watch(desk, 'desk');
  const visitId = await createVisit(desk, 'Ana Lima', '1979-02-03');
  const card = desk.locator(`[data-visit="${visitId}"]`);
  check(/Witness step locked/.test(await card.locator('.ck-witness').textContent()),
      'the desk shows the witness step locked');

  const kioskContext = await chrome.newContext({viewport: TABLET, hasTouch: true});
  await signIn(kioskContext, base, tablet.secret);
  const kiosk = await kioskContext.newPage();
  const kioskSeen = watch(kiosk, 'kiosk');
  await kiosk.goto(`${base}/kiosk`);
  await card.locator('select[name=tablet]').selectOption(tablet.id);
  await card.locator('[data-action=handoff]').click();
  await kiosk.waitForURL(`${base}/visit`, {timeout: 10000});

  // The patient's part, with the witness's part locked away.
  check(await kiosk.locator('[data-field=witness-signature]').isHidden(),
      'the witness signature is hidden while the step is locked');
  check(await kiosk.locator('[data-field=witness-name]').isHidden(), 'so is the witness name');
  await kiosk.locator('#f-redness-understood').check();
  await kiosk.locator('#f-redness-initials').fill('AL');
  await sign(kiosk, '#f-patient-signature', 3);
  await shot(kiosk, 'witness-locked-768');
  await checkLayout(kiosk, 'witness locked 768');
  await axe(kiosk, 'witness locked 768');
  await kiosk.click('button[type=submit]');
  const banner = kiosk.locator('#ck-banner');
  await banner.filter({hasText: 'witness'}).waitFor({timeout: 5000});
  check(/ask a member of staff to unlock the witness part/.test(await banner.textContent()),
      'sending with the witness locked says what to do');
  await kiosk.setViewportSize(PHONE);
  await shot(kiosk, 'witness-locked-390');
  await checkLayout(kiosk, 'witness locked 390');
  await kiosk.setViewportSize(TABLET);

  // Staff unlock the step; the tablet follows without a reload.
  await card.locator('[data-action=witness]').click();
  await card.locator('.ck-witness').filter({hasText: 'unlocked by Front desk'}).waitFor({timeout: 5000});
  await shot(desk, 'witness-desk-unlocked-1280');
  await axe(desk, 'desk with the witness step unlocked 1280');
  await desk.setViewportSize(TABLET);
  await shot(desk, 'witness-desk-unlocked-768');
  await checkLayout(desk, 'desk with the witness step unlocked 768');
  await desk.setViewportSize(DESKTOP);
  await kiosk.locator('[data-field=witness-signature]').waitFor({state: 'visible', timeout: 10000});
  check(await kiosk.inputValue('#f-redness-initials') === 'AL', 'the patient\'s answers are kept');
  check(await kiosk.locator('[data-field=patient-signature] .ck-pad-state').textContent() !== 'Not signed yet',
      'and their signature');
  check((await banner.textContent()) === '', 'the witness banner is gone');
  await kiosk.fill('#f-witness-name', 'Rui Costa');
  // Locked again by mistake: the tablet hides the witness's part, and shows
  // it again, name kept, when staff unlock it once more.
  await card.locator('[data-action=witness-lock]').click();
  await kiosk.locator('[data-field=witness-name]').waitFor({state: 'hidden', timeout: 10000});
  check(/unlock it when your witness is with you/.test(await kiosk.locator('#ck-witness-note').textContent()),
      'locked again, the tablet says the witness part waits');
  await card.locator('[data-action=witness]').click();
  await kiosk.locator('[data-field=witness-name]').waitFor({state: 'visible', timeout: 10000});
  check(await kiosk.inputValue('#f-witness-name') === 'Rui Costa', 'unlocked again, the witness name is kept');
  await sign(kiosk, '#f-witness-signature', 2);
  await shot(kiosk, 'witness-unlocked-768');
  await axe(kiosk, 'witness unlocked 768');
  await kiosk.click('button[type=submit]');
  await kiosk.waitForSelector('[data-kiosk-done]', {timeout: 20000});
  await kiosk.waitForURL(`${base}/kiosk`, {timeout: 15000});
  check(!/Rui|Costa|Ana Lima/.test(await kiosk.content()), 'no one\'s name is left on the kiosk');
  check(await storageIsEmpty(kiosk), 'no browser storage used');
  check(kioskSeen.errors.length === 0, `kiosk: no page errors: ${kioskSeen.errors}`);

  // The record says who unlocked the step; the desk no longer offers to change it.
  await desk.goto(`${base}/staff`);
  const item = desk.locator(`[data-visit="${visitId}"] .ck-packet-item`);
  check(await item.locator('[data-action^=witness]').count() === 0,
      'once sent, the desk offers no witness button');
  const pdfHref = await item.locator('a[href$=".pdf"]').first().getAttribute('href');
  const pdf = await desk.request.get(base + pdfHref);
  const path = join(workDir, 'record.pdf');
  writeFileSync(path, await pdf.body());
  const text = run('pdftotext', [path, '-']).out.replace(/\s+/g, ' ');
  check(new RegExp(`Witness step unlocked by Front desk \\(${staff.id}\\) at 20`).test(text),
      'the sealed record prints who unlocked the witness step');
  check(/Rui Costa/.test(text), 'and the witness\'s name');
  run('pdftoppm', ['-png', '-r', '60', path, join(outDir, 'witness-record')]);
  const sig = run('pdfsig', [path]);
  check(/Signature is Valid/.test(sig.out), `pdfsig: the seal is valid\n${sig.out}`);
  check(deskSeen.errors.length === 0, `desk: no page errors: ${deskSeen.errors}`);
}, {chrome, server, folders: [dataDir, workDir]});
