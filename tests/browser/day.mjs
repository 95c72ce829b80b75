// The clinic's day in a real browser (Debian's Chromium via playwright-core):
// staff create a visit on the desk and hand it to a kiosk tablet; the
// patient fills the packet on the tablet (768x1024, touch) with prefilled
// identity; the kiosk returns to waiting with nothing of the patient left;
// staff make an invite for a second visit and the patient fills it on a
// phone (390x844, touch); the practitioner reviews and countersigns.
// Screenshots go to OUT_DIR.
//
// usage: node day.mjs CONSENTKIT_BINARY SOURCE_DIR OUT_DIR
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {DESKTOP, PHONE, TABLET, harness} from './clinic.mjs';

const {binary, outDir, failures, check, makeToken, startServer, launch, watch, signIn, shot,
  checkLayout, axe, sign, fillVisitForm, storageIsEmpty, createVisit, run, session} =
    await harness(process.argv.slice(2));

const dataDir = mkdtempSync(join(tmpdir(), 'ck-day-'));
const staff = makeToken(dataDir, 'staff', 'Front desk');
const tablet = makeToken(dataDir, 'tablet', 'Room 1 iPad');
makeToken(dataDir, 'tablet', 'Room 2 iPad');
const practitioner = makeToken(dataDir, 'practitioner', 'Dr. Amara Okafor');
const compliance = makeToken(dataDir, 'compliance', 'Compliance office');
const workDir = mkdtempSync(join(tmpdir(), 'ck-day-files-'));

// Saves a response body and returns its path.
async function save(response, name) {
  const path = join(workDir, name);
  writeFileSync(path, await response.body());
  return path;
}
const {server, base} = await startServer(dataDir);
const chrome = await launch();
await session(async () => {
  // Staff at the front desk (a desktop).
  const deskContext = await chrome.newContext({viewport: DESKTOP});
  await signIn(deskContext, base, staff.secret);
  const desk = await deskContext.newPage();
  desk.base = base;
  const deskSeen = watch(desk, 'desk');
  await desk.goto(`${base}/staff`);
  await shot(desk, 'desk-empty-1280');
  await checkLayout(desk, 'desk 1280');
  await axe(desk, 'desk 1280');

  // A bad new visit: messages next to the inputs.
  await desk.click('#ck-new-visit button[type=submit]');
  check((await desk.locator('#e-nv-name').textContent()).length > 0, 'new visit: a missing name is flagged');
  await desk.fill('#nv-name', 'Zoë Muñoz');
  await desk.fill('#nv-dob', '2099-01-01');
  await desk.click('#ck-new-visit button[type=submit]');
  await desk.waitForFunction(() => document.getElementById('e-nv-dob').textContent.length > 0);
  check(/future/.test(await desk.locator('#e-nv-dob').textContent()), 'new visit: the server\'s date problem lands by the date');
  await shot(desk, 'desk-new-visit-error-1280', false);
  await axe(desk, 'desk with a problem 1280');

  const visitId = await createVisit(desk, 'Zoë Muñoz', '1990-04-02');
  check(/^vis_/.test(visitId || ''), `a visit was created (${visitId})`);
  await shot(desk, 'desk-visit-1280');

  // The kiosk tablet waits.
  const kioskContext = await chrome.newContext({viewport: TABLET, hasTouch: true});
  await kioskContext.clock.install();  // real time, but the idle test can jump ahead
  await signIn(kioskContext, base, tablet.secret);
  const kiosk = await kioskContext.newPage();
  const kioskSeen = watch(kiosk, 'kiosk');
  await kiosk.goto(`${base}/kiosk`);
  await shot(kiosk, 'kiosk-waiting-768', false);
  await axe(kiosk, 'kiosk waiting 768');

  // Staff hand the visit to it.
  const card = desk.locator(`[data-visit="${visitId}"]`);
  await card.locator('select[name=tablet]').selectOption(tablet.id);
  await card.locator('[data-action=handoff]').click();
  await card.locator('.ck-visit-status').filter({hasText: 'Handed'}).waitFor({timeout: 5000});
  await kiosk.waitForURL(`${base}/visit`, {timeout: 10000});
  await shot(kiosk, 'kiosk-form1-768');
  await checkLayout(kiosk, 'kiosk form 1 768');
  await axe(kiosk, 'kiosk form 1 768');
  const prefilled = await kiosk.locator('input[name=full-name]').inputValue();
  check(prefilled === 'Zoë Muñoz', `the name is prefilled (${prefilled})`);
  check(await kiosk.locator('input[name=full-name]').getAttribute('readonly') !== null, 'the name is read-only');
  const step = await kiosk.locator('#ck-step').textContent();
  check(step === 'Form 1 of 3', `progress says ${step}`);

  // Left idle: a warning, "I'm still here" keeps the answers; then the
  // form clears itself.
  await kiosk.fill('input[name=phone]', '207 555 0100');
  await kiosk.clock.fastForward(91000);
  await kiosk.locator('#ck-idle').waitFor({state: 'visible', timeout: 5000});
  await shot(kiosk, 'kiosk-idle-warning-768', false);
  const left = Number(await kiosk.locator('#ck-idle-left').textContent());
  check(left > 0 && left <= 30, `the warning counts down (${left} s left)`);
  await kiosk.click('#ck-idle-stay');
  check(await kiosk.locator('#ck-idle').isHidden(), '"I\'m still here" closes the warning');
  check(await kiosk.inputValue('input[name=phone]') === '207 555 0100', 'and keeps the answers');
  await kiosk.clock.fastForward(60000);
  check(await kiosk.locator('#ck-idle').isHidden(), 'a minute later there is no warning yet');
  await sign(kiosk, '#f-patient-signature', 3);
  await kiosk.clock.fastForward(125000);
  // Past the timeout the hand-off ends: the tablet is back on its locked
  // waiting screen, with nothing typed, drawn or prefilled left on it.
  await kiosk.waitForURL(`${base}/kiosk`, {timeout: 15000});
  const idleHtml = await kiosk.content();
  check(!/Zoë|Muñoz|1990|207 555 0100/.test(idleHtml), 'after the idle timeout no patient data is left in the DOM');
  check(await storageIsEmpty(kiosk), 'nothing was put in browser storage');
  await shot(kiosk, 'kiosk-after-idle-768', false);
  // Staff hand the visit over again; the form starts blank.
  await desk.goto(`${base}/staff`);
  await card.locator('select[name=tablet]').selectOption(tablet.id);
  await card.locator('[data-action=handoff]').click();
  await kiosk.waitForURL(`${base}/visit`, {timeout: 10000});
  check(await kiosk.inputValue('input[name=phone]') === '', 'handed over again, the form is blank');
  check(await kiosk.locator('[data-field=patient-signature] .ck-pad-state').textContent() === 'Not signed yet',
      'and the signature is gone');

  // Intake with a deferring answer, then consent, then aftercare.
  await fillVisitForm(kiosk, {pregnant: 'yes'});
  await kiosk.click('button[type=submit]');
  await kiosk.waitForFunction(() => document.getElementById('ck-step')?.textContent === 'Form 2 of 3', null, {timeout: 20000});
  await shot(kiosk, 'kiosk-form2-768');
  await fillVisitForm(kiosk);
  await kiosk.click('button[type=submit]');
  await kiosk.waitForFunction(() => document.getElementById('ck-step')?.textContent === 'Form 3 of 3', null, {timeout: 20000});
  await fillVisitForm(kiosk);
  await kiosk.click('button[type=submit]');
  await kiosk.waitForSelector('[data-kiosk-done]', {timeout: 20000});
  await shot(kiosk, 'kiosk-thanks-768', false);
  await axe(kiosk, 'kiosk thank-you 768');
  const thanks = await kiosk.content();
  check(!/Zoë|Muñoz|defer|outcome/i.test(thanks), 'the thank-you names no one and no outcome');
  await kiosk.waitForURL(`${base}/kiosk`, {timeout: 15000});
  const waitingHtml = await kiosk.content();
  check(!/Zoë|Muñoz|1990/.test(waitingHtml), 'back on the waiting screen, no patient data in the DOM');
  check(await storageIsEmpty(kiosk), 'no browser storage used on the kiosk');
  check(kioskSeen.errors.length === 0, `kiosk: no page errors: ${kioskSeen.errors}`);

  // A kiosk reaches no listing, record or PDF.
  const kioskDesk = await kiosk.goto(`${base}/staff`);
  check(kioskDesk.status() === 403, `a kiosk gets 403 for the desk (${kioskDesk.status()})`);
  await shot(kiosk, 'kiosk-desk-refused-768', false);
  await kiosk.goto(`${base}/kiosk`);

  // The desk now shows states and outcomes.
  await desk.goto(`${base}/staff`);
  await shot(desk, 'desk-after-kiosk-1280');
  const deskText = await desk.locator(`[data-visit="${visitId}"]`).textContent();
  check(/Deferred/.test(deskText), 'the desk shows the intake outcome');
  check(/3 of 3 forms done/.test(deskText), 'the desk shows all forms done');
  for (const link of await desk.locator(`[data-visit="${visitId}"] a[target=_blank]`).all()) {
    const href = await link.getAttribute('href');
    const got = await desk.request.get(base + href);
    const body = await got.body();
    check(got.status() === 200 && body.subarray(0, 5).toString() === '%PDF-',
        `${href} opens a PDF (${got.status()})`);
    const asKiosk = await kiosk.request.get(base + href);
    check(asKiosk.status() === 403, `a kiosk may not open ${href} (${asKiosk.status()})`);
  }

  // The desk at tablet size.
  const deskTabletContext = await chrome.newContext({viewport: TABLET, hasTouch: true});
  await signIn(deskTabletContext, base, staff.secret);
  const deskTablet = await deskTabletContext.newPage();
  await deskTablet.goto(`${base}/staff`);
  await shot(deskTablet, 'desk-768');
  await checkLayout(deskTablet, 'desk 768');
  await axe(deskTablet, 'desk 768');
  await deskTablet.setViewportSize(PHONE);
  await shot(deskTablet, 'desk-390');
  await checkLayout(deskTablet, 'desk 390');
  await axe(deskTablet, 'desk 390');

  // A second visit filled on the patient's phone through an invite.
  const visit2 = await createVisit(desk, 'Ana Lima', '1985-12-01');
  const card2 = desk.locator(`[data-visit="${visit2}"]`);
  await card2.locator('[data-action=invite]').click();
  await card2.locator('[data-invite-panel] svg').waitFor({timeout: 5000});
  await shot(desk, 'desk-invite-1280');
  await axe(desk, 'desk with an invite 1280');
  const inviteUrl = await card2.locator('.ck-invite-url code').textContent();
  check(/\/i\/cki_/.test(inviteUrl), `the invite URL is shown (${inviteUrl})`);
  // The slip alone in print.
  await desk.evaluate(() => {
    window.print = () => {};
  });
  await card2.locator('[data-action=print-slip]').click();
  await desk.emulateMedia({media: 'print'});
  await shot(desk, 'desk-slip-print', true);
  await desk.emulateMedia({media: 'screen'});

  const phoneContext = await chrome.newContext({viewport: PHONE, hasTouch: true, isMobile: true});
  const phone = await phoneContext.newPage();
  const phoneSeen = watch(phone, 'phone');
  await phone.goto(inviteUrl);
  await phone.waitForURL(`${base}/visit`);
  await shot(phone, 'phone-form1-390');
  await checkLayout(phone, 'phone form 1 390');
  await axe(phone, 'phone form 1 390');
  await fillVisitForm(phone);
  await phone.click('button[type=submit]');
  await phone.waitForFunction(() => document.getElementById('ck-step')?.textContent === 'Form 2 of 3', null, {timeout: 20000});
  await fillVisitForm(phone);
  await phone.click('button[type=submit]');
  await phone.waitForFunction(() => document.getElementById('ck-step')?.textContent === 'Form 3 of 3', null, {timeout: 20000});
  await fillVisitForm(phone);
  await phone.click('button[type=submit]');
  await phone.waitForSelector('.ck-thanks', {timeout: 20000});
  await shot(phone, 'phone-thanks-390', false);
  await axe(phone, 'phone thank-you 390');
  check(phoneSeen.errors.length === 0, `phone: no page errors: ${phoneSeen.errors}`);

  // Withdrawn: a clear page, not JSON.
  await desk.goto(`${base}/staff`);
  const revoke = desk.locator(`[data-visit="${visit2}"] [data-action=revoke]`);
  if (await revoke.count()) {
    await revoke.first().click();
    await desk.locator(`[data-visit="${visit2}"] .ck-visit-status`).filter({hasText: 'withdrawn'}).waitFor();
  }
  const phone2 = await (await chrome.newContext({viewport: PHONE, hasTouch: true})).newPage();
  const gone = await phone2.goto(inviteUrl);
  check(gone.status() === 410, `a withdrawn invite answers 410 (${gone.status()})`);
  await shot(phone2, 'phone-withdrawn-390', false);
  await axe(phone2, 'withdrawn invite 390');
  const unknown = await phone2.goto(`${base}/i/cki_0000000000000000.nope`);
  check(unknown.status() === 404, `an unknown invite answers 404 (${unknown.status()})`);
  await shot(phone2, 'phone-unknown-390', false);
  // An invite opened on the desk must not sign the desk out.
  const onDesk = await desk.goto(inviteUrl);
  check(onDesk.status() !== 303 && new URL(desk.url()).pathname.startsWith('/i/'),
      `an invite opened on a signed-in device is refused (${onDesk.status()})`);

  // The practitioner's queue and a review.
  const drContext = await chrome.newContext({viewport: DESKTOP});
  await signIn(drContext, base, practitioner.secret);
  const dr = await drContext.newPage();
  const drSeen = watch(dr, 'practitioner');
  await dr.goto(`${base}/staff/review`);
  await shot(dr, 'review-queue-1280');
  await checkLayout(dr, 'review queue 1280');
  await axe(dr, 'review queue 1280');
  // The intake the kiosk patient's answers deferred is in the queue, with its reason.
  const intakeCard = dr.locator('.ck-sub', {hasText: 'Health Form'}).filter({hasText: 'Zoë Muñoz'});
  check(/Deferred/.test(await intakeCard.textContent()), 'the deferred intake waits in the review queue');
  await intakeCard.locator('h3 a').first().click();
  await dr.waitForSelector('#ck-review');
  await shot(dr, 'record-review-form-1280');
  await axe(dr, 'record with the review form 1280');
  await dr.click('#ck-review button[type=submit]');
  await shot(dr, 'record-review-errors-1280', false);
  await dr.locator('input[name=decision][value=defer]').check();
  await dr.fill('#f-note', 'Wait until after the pregnancy.');
  await sign(dr, '#f-signature', 2);
  await Promise.all([dr.waitForEvent('load', {timeout: 30000}), dr.click('#ck-review button[type=submit]')]);
  await dr.waitForSelector('text=Countersigned');
  await shot(dr, 'record-reviewed-1280');
  await dr.setViewportSize(PHONE);
  await shot(dr, 'record-reviewed-390');
  await checkLayout(dr, 'record 390');
  await axe(dr, 'record 390');
  check(drSeen.errors.length === 0, `practitioner: no page errors: ${drSeen.errors}`);

  // The countersigned record: poppler sees the patient's seal and the
  // practitioner's countersignature, both valid.
  const reviewedId = new URL(dr.url()).pathname.split('/').pop();
  const reviewed = await save(await dr.request.get(`${base}/api/v1/submissions/${reviewedId}.pdf`),
      'reviewed.pdf');
  const sig = run('pdfsig', [reviewed]);
  check((sig.out.match(/Signature is Valid/g) || []).length === 2,
      `pdfsig: the reviewed record has two valid signatures\n${sig.out}`);
  check(/Total document signed/.test(sig.out), 'pdfsig: the countersignature covers the whole file');

  // Staff print the visit's packet: one copy of its sealed records, and a
  // blank packet with the patient on every page.
  await desk.goto(`${base}/staff`);
  const printLink = desk.locator(`[data-visit="${visitId}"] a[href$="/packet.pdf"]`);
  check(await printLink.count() === 1, 'the desk links the visit\'s signed packet');
  const copy = await save(await desk.request.get(base + await printLink.getAttribute('href')), 'copy.pdf');
  const copyText = run('pdftotext', [copy, '-']).out;
  const copyPages = Number(run('pdfinfo', [copy]).out.match(/Pages:\s+(\d+)/)[1]);
  check((copyText.match(/COPY/g) || []).length >= copyPages, `every page of the print copy says COPY (${copyPages} pages)`);
  check(!/Signature is Valid/.test(run('pdfsig', [copy]).out), 'the print copy carries no signature');
  const renders = join(outDir, 'copy');
  run('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '2', copy, renders]);
  const blankLink = desk.locator(`[data-visit="${visitId}"] a[href$="/blank.pdf"]`);
  const blank = await save(await desk.request.get(base + await blankLink.getAttribute('href')), 'blank.pdf');
  const blankPages = Number(run('pdfinfo', [blank]).out.match(/Pages:\s+(\d+)/)[1]);
  const blankText = run('pdftotext', [blank, '-']).out;
  check((blankText.match(/Zoë Muñoz/g) || []).length >= blankPages,
      `every page of the blank packet names the patient (${blankPages} pages)`);
  run('pdftoppm', ['-png', '-r', '50', '-f', '1', '-l', '1', blank, join(outDir, 'blank')]);
  check(run('qpdf', ['--check', copy]).code === 0 && run('qpdf', ['--check', blank]).code === 0,
      'qpdf --check passes on both packets');

  // The compliance officer exports the day and verifies it offline.
  const today = new Date().toISOString().slice(0, 10);
  const archiveResponse = await desk.request.get(`${base}/api/v1/archive?from=${today}`,
      {headers: {Authorization: `Bearer ${compliance.secret}`}});
  check(archiveResponse.status() === 200, `the day's archive downloads (${archiveResponse.status()})`);
  const archive = await save(archiveResponse, 'day.zip');
  const verified = run(binary, ['verify', archive, '--cert', join(dataDir, 'seal-cert.pem')]);
  check(verified.code === 0, `consentkit verify passes on the day's export\n${verified.out}`);
  const live = run(binary, ['verify', dataDir, '--cert', join(dataDir, 'seal-cert.pem')]);
  check(live.code === 0, `consentkit verify passes on the data folder\n${live.out}`);
  check(deskSeen.errors.length === 0, `desk: no page errors: ${deskSeen.errors}`);
}, {chrome, server, folders: [dataDir, workDir]});
