// staff.js: the staff pages rendered by src/html/staff_page.cc. The desk
// creates visits, hands them to kiosk tablets and makes, prints and
// withdraws invite links; the record page sends a practitioner's decision
// and countersignature. Every change goes through /api/v1 and the server
// decides; problems are shown next to the input they name. Nothing is kept
// in browser storage. ES2017 module.
import {add, fromServer, postJson, problemText, readJson} from './dom.js';
import {isBigEnough, makePad, signatureValue} from './pad.js';

// ---- Shared ---------------------------------------------------------------

// What this script says, in the page's language (staff.js.* in the
// catalogs, written into the page by staff_page.cc): t('handed', {name}).
const TEXT = JSON.parse((document.getElementById('ck-staff-text') || {}).textContent || '{}');
const t = (key, values = {}) => String(key in TEXT ? TEXT[key] : key)
    .replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

// The page's language names the month; the desk's own time zone sets the hour.
const timeFormat = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
  day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit',
});
const localTime = iso => {
  const date = new Date(iso);
  return isNaN(date) ? String(iso) : timeFormat.format(date);
};

// The server writes UTC; the desk reads its own time zone.
for (const time of document.querySelectorAll('time[datetime]')) {
  time.title = time.textContent;
  time.textContent = localTime(time.getAttribute('datetime'));
}

// The message slot of the input wrapper named `id` ([data-field]) in `form`.
function markField(form, id, message) {
  const box = form.querySelector(`[data-field="${CSS.escape(id)}"]`);
  if (!box) return false;
  box.querySelector('.ck-error').textContent = message;
  box.classList.toggle('ck-invalid', !!message);
  for (const input of box.querySelectorAll('input, textarea, canvas')) {
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
  return true;
}

function clearMarks(form) {
  for (const box of form.querySelectorAll('[data-field]')) markField(form, box.dataset.field, '');
}

function focusFirstMark(form) {
  const box = form.querySelector('.ck-invalid');
  if (!box) return;
  box.scrollIntoView({block: 'center'});
  box.querySelector('input, textarea, canvas').focus({preventScroll: true});
}

// Places a 422's field messages; returns the ones no input could take.
function placeProblems(form, body) {
  const unplaced = [];
  for (const f of body.fields || []) {
    if (!markField(form, String(f.id), fromServer(String(f.message)))) {
      unplaced.push(`${f.id}: ${f.message}`);
    }
  }
  focusFirstMark(form);
  return unplaced;
}

async function busy(button, work) {
  if (button.disabled) return;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

const NETWORK = t('network');

// ---- New visit ------------------------------------------------------------

function newVisitProblems(form, request) {
  const date = form.elements.dob;
  const found = [];
  if (!request.patient.name) found.push(['patient.name', t('need-name')]);
  if (date.validity.badInput || !request.patient.date_of_birth) {
    found.push(['patient.date_of_birth', t('need-dob')]);
  }
  if (!request.forms.length) found.push(['forms', t('need-forms')]);
  return found;
}

function bindNewVisit(form) {
  const banner = document.getElementById('nv-banner');
  const button = form.querySelector('button[type=submit]');
  form.addEventListener('submit', event => {
    event.preventDefault();
    busy(button, async () => {
      clearMarks(form);
      banner.textContent = '';
      const e = form.elements;
      const request = {
        patient: {name: e.name.value.trim(), date_of_birth: e.dob.value, number: e.number.value.trim()},
        forms: [...form.querySelectorAll('input[name=forms]:checked')].map(i => i.value),
      };
      const found = newVisitProblems(form, request);
      if (found.length) {
        for (const [id, message] of found) markField(form, id, message);
        return focusFirstMark(form);
      }
      try {
        const response = await postJson('/api/v1/visits', request);
        const body = await readJson(response);
        if (response.status === 201 && body.id) {
          return location.assign('/staff?new=' + encodeURIComponent(body.id) + '#v-' + body.id);
        }
        const unplaced = response.status === 422 ? placeProblems(form, body) : [];
        if (response.status !== 422 || unplaced.length) {
          banner.textContent = [problemText(response, body)].concat(unplaced).join(' ');
        }
      } catch (err) {
        banner.textContent = NETWORK;
      }
    });
  });
}

// ---- Visit cards: hand-off and invites --------------------------------------

const invites = new Map();  // visit id -> the invite made on this page (for its slip)

const say = (card, text) => { card.querySelector('.ck-visit-status').textContent = text; };

// Our own server drew the QR code as SVG. Parsed as SVG (not HTML) and
// imported without anything active, so even a broken response stays inert.
function insertSvg(parent, text) {
  const doc = new DOMParser().parseFromString(String(text || ''), 'image/svg+xml');
  const svg = doc.documentElement;
  if (doc.getElementsByTagName('parsererror').length || svg.localName !== 'svg') return;
  for (const el of svg.querySelectorAll('script, foreignObject, a')) el.remove();
  for (const el of [svg, ...svg.querySelectorAll('*')]) {
    for (const attr of [...el.attributes]) {
      if (/^on|href$/i.test(attr.name)) el.removeAttribute(attr.name);
    }
  }
  parent.append(document.importNode(svg, true));
}

async function post(card, url, body, done) {
  try {
    const response = await postJson(url, body);
    const json = await readJson(response);
    if (response.ok) return done(json);
    say(card, problemText(response, json));
  } catch (err) {
    say(card, NETWORK);
  }
}

// A tablet option's name without what the page adds to it ("(in use)"),
// read through the same words the page wrote it with.
function tabletName(text) {
  for (const key of ['tablet-showing', 'tablet-in-use']) {
    const [before, after] = t(key).split('{name}');
    if (after !== undefined && text.length >= before.length + after.length &&
        text.startsWith(before) && text.endsWith(after)) {
      return text.slice(before.length, text.length - after.length);
    }
  }
  return text;
}

function handoff(card) {
  const select = card.querySelector('select[name=tablet]');
  const chosen = select.selectedOptions[0];
  const name = tabletName(chosen.textContent);
  // A tablet in use shows another patient's visit: its next form would open this one.
  if ('busy' in chosen.dataset && !window.confirm(t('busy-tablet', {name}))) {
    return Promise.resolve();
  }
  return post(card, `/api/v1/visits/${card.dataset.visit}/handoff`, {tablet: select.value}, () => {
    for (const option of select.options) {
      const own = tabletName(option.textContent);
      if (option.textContent === t('tablet-showing', {name: own})) option.textContent = own;
    }
    chosen.textContent = t('tablet-showing', {name});
    delete chosen.dataset.busy;
    say(card, t('handed', {name}));
  });
}

function showInvite(card, invite) {
  invites.set(card.dataset.visit, invite);
  const panel = card.querySelector('[data-invite-panel]');
  panel.textContent = '';
  const heading = add(panel, 'h4', t('invite-heading'));
  heading.tabIndex = -1;
  insertSvg(add(panel, 'div', '', 'ck-qr'), invite.qr_svg);
  add(add(panel, 'p', '', 'ck-invite-url'), 'code', String(invite.url));
  add(panel, 'p', t('invite-until', {time: localTime(invite.expires_at)}), 'ck-note');
  const tools = add(panel, 'p', '', 'ck-links');
  const print = add(tools, 'button', t('print-slip'), 'ck-btn');
  print.type = 'button';
  print.dataset.action = 'print-slip';
  const withdraw = add(tools, 'button', t('withdraw'), 'ck-btn2');
  withdraw.type = 'button';
  withdraw.dataset.action = 'revoke';
  withdraw.dataset.invite = invite.id;
  panel.hidden = false;
  heading.focus();
}

function invite(card) {
  return post(card, `/api/v1/visits/${card.dataset.visit}/invites`, {}, body => {
    showInvite(card, body);
    say(card, t('invite-made'));
  });
}

function revoke(card, button) {
  return post(card, `/api/v1/invites/${encodeURIComponent(button.dataset.invite)}/revoke`, {}, () => {
    const holder = button.closest('[data-invite-panel], li');
    holder.textContent = t('withdrawn-note');
    if (holder.matches('[data-invite-panel]')) invites.delete(card.dataset.visit);
    say(card, t('invite-withdrawn'));
  });
}

// The print stylesheet shows only #ck-slip while <html> has ck-print-slip.
function printSlip(card) {
  const made = invites.get(card.dataset.visit);
  if (!made) return;
  const slip = document.getElementById('ck-slip');
  slip.querySelector('.ck-slip-name').textContent = card.querySelector('h3').textContent;
  const qr = slip.querySelector('.ck-slip-qr');
  qr.textContent = '';
  insertSvg(qr, made.qr_svg);
  slip.querySelector('.ck-slip-url').textContent = String(made.url);
  slip.querySelector('.ck-slip-expiry').textContent =
      t('slip-until', {time: localTime(made.expires_at)});
  const root = document.documentElement;
  root.classList.add('ck-print-slip');
  window.addEventListener('afterprint', () => root.classList.remove('ck-print-slip'), {once: true});
  window.print();
}

// The witness step of one form: unlocked with the witness in the room, so
// the patient's screen shows the witness's part; locked again by mistake.
function witnessStep(unlock) {
  return (card, button) => {
    const form = button.dataset.form;
    const url = `/api/v1/visits/${card.dataset.visit}/witness${unlock ? '' : '/lock'}`;
    return post(card, url, {form}, body => {
      const holder = button.closest('.ck-witness');
      const title = button.closest('.ck-packet-item').querySelector('.ck-form-name').textContent;
      const w = body.witness;
      holder.textContent = (w.unlocked
          ? t('witness-unlocked-by', {name: w.unlocked_by_name, time: localTime(w.unlocked_at)})
          : t('witness-locked')) + ' ';
      const text = t(w.unlocked ? 'witness-lock' : 'witness-unlock');
      const again = add(holder, 'button', text, 'ck-btn2');
      again.setAttribute('aria-label', `${text}: ${title}`);
      again.type = 'button';
      again.dataset.action = w.unlocked ? 'witness-lock' : 'witness';
      again.dataset.form = form;
      say(card, t(w.unlocked ? 'witness-now-unlocked' : 'witness-now-locked'));
      again.focus();
    });
  };
}

const ACTIONS = {
  handoff, invite, revoke, 'print-slip': printSlip,
  witness: witnessStep(true), 'witness-lock': witnessStep(false),
};

function bindVisitCards() {
  document.addEventListener('click', event => {
    const button = event.target.closest('button[data-action]');
    const card = button && button.closest('[data-visit]');
    const action = button && ACTIONS[button.dataset.action];
    if (!card || !action) return;
    busy(button, () => action(card, button));
  });
  // Just created: the card the notice speaks of takes focus.
  const created = location.hash.length > 1 && document.getElementById(location.hash.slice(1));
  if (created && created.matches('[data-visit]')) created.focus();
}

// ---- Practitioner review ----------------------------------------------------

function reviewProblems(form, pad) {
  const found = [];
  if (!form.querySelector('input[name=decision]:checked')) {
    found.push(['decision', t('need-decision')]);
  }
  if (!pad.strokes.length) {
    found.push(['signature', t('need-signature')]);
  } else if (!isBigEnough(pad)) {
    found.push(['signature', t('small-signature')]);
  }
  return found;
}

async function sendReview(form, pad, banner) {
  const decision = form.querySelector('input[name=decision]:checked').value;
  const body = {decision, note: form.elements.note.value.trim(), signature: signatureValue(pad)};
  const response = await postJson(form.dataset.reviewUrl, body, 60000);
  const json = await readJson(response);
  if (response.status === 201 || response.status === 200) return location.reload();
  const unplaced = response.status === 422 ? placeProblems(form, json) : [];
  if (response.status === 422 && !unplaced.length) return;
  banner.textContent = [problemText(response, json)].concat(unplaced).join(' ');
  if (response.status === 409) {
    const reload = add(banner, 'button', t('show-review'), 'ck-btn2');
    reload.type = 'button';
    reload.addEventListener('click', () => location.reload());
  }
}

function bindReview(form) {
  const banner = document.getElementById('ck-banner');
  const button = form.querySelector('button[type=submit]');
  const pad = makePad(form.querySelector('[data-field=signature]'), () => {
    if (form.querySelector('[data-field=signature].ck-invalid')) markField(form, 'signature', '');
  });
  form.addEventListener('change', event => {
    if (event.target.name === 'decision') markField(form, 'decision', '');
  });
  form.addEventListener('submit', event => {
    event.preventDefault();
    busy(button, async () => {
      clearMarks(form);
      banner.textContent = '';
      const found = reviewProblems(form, pad);
      if (found.length) {
        for (const [id, message] of found) markField(form, id, message);
        return focusFirstMark(form);
      }
      pad.locked = true;
      try {
        await sendReview(form, pad, banner);
      } catch (err) {
        banner.textContent = NETWORK;
      } finally {
        pad.locked = false;
      }
    });
  });
}

const newVisit = document.getElementById('ck-new-visit');
if (newVisit) bindNewVisit(newVisit);
if (document.querySelector('[data-visit]')) bindVisitCards();
const review = document.getElementById('ck-review');
if (review) bindReview(review);
