// consentkit.js: the tablet form page rendered by src/html. Conditions,
// signature pads, checks and the JSON submission of the HTTP contract. The
// checks mirror src/submission only to help: the server checks again and
// decides; the page gives its rules (maxlength, #ck-rules). In a visit's
// packet (data-visit) each sent form leads to the next, and a kiosk's page
// clears itself when left idle (data-idle-seconds).
// The page is patient-facing whoever holds it: it never shows a screening
// outcome, reasons or links to records. Every word it shows comes from the
// page, in the page's language (#ck-text, from the catalog). Answers touch
// browser storage only across a language switch (see keep()). An ES2017
// module with no dependencies but its siblings: the page must work offline.
import {add, fromServer, postJson, problemText, readJson} from './dom.js';
import {isBigEnough, makePad, signatureValue} from './pad.js';

(() => {
  const form = document.querySelector('form[data-form-id]');
  if (!form) return;

  const SEND_TIMEOUT_MS = 30000;
  const RULES = JSON.parse(document.getElementById('ck-rules').textContent);
  const TEXT = JSON.parse(document.getElementById('ck-text').textContent);
  // TEXT[key] with each {name} filled in from `values`.
  const t = (key, values = {}) => TEXT[key].replace(/\{(\w+)\}/g, (m, name) => values[name]);
  const LANG = document.documentElement.lang;
  // A visit's next page, in the language the patient chose.
  const VISIT = '/visit?lang=' + encodeURIComponent(LANG);
  const REQUIRED = ['yesno', 'choice', 'multichoice', 'checkbox', 'initials', 'signature'];

  const boxes = new Map();  // field id -> its .ck-field element, in page order
  for (const box of form.querySelectorAll('[data-field]')) boxes.set(box.dataset.field, box);
  const pads = new Map();  // field id -> signature pad
  const banner = document.getElementById('ck-banner');
  const button = form.querySelector('button[type=submit]');
  const buttonLabel = button.textContent;
  let submissionId = '';  // kept for every retry so the server can spot repeats
  let sending = false;

  const controls = box => [...box.querySelectorAll('input, textarea')];
  const isEmpty = v => v === '' || v === false || v === null || (Array.isArray(v) && !v.length);

  // The current answer in the shape the payload carries it.
  function answer(box) {
    const type = box.dataset.type;
    const inputs = controls(box);
    if (type === 'signature') {
      const pad = pads.get(box.dataset.field);
      return pad.strokes.length ? pad : null;
    }
    if (type === 'multichoice') return inputs.filter(i => i.checked).map(i => i.value);
    if (type === 'yesno' || type === 'choice') {
      const ticked = inputs.find(i => i.checked);
      return ticked ? ticked.value : '';
    }
    if (type === 'checkbox') return inputs[0].checked;
    return inputs[0].value.trim();
  }

  // Asked when it has no condition, or its condition holds and the field it
  // depends on is itself asked (as IsRelevant() on the server).
  function relevant(box, hops = 0) {
    // A witness's part is not asked while its step is locked.
    return !('witnessLocked' in box.dataset) && conditionHolds(box, hops);
  }

  function conditionHolds(box, hops = 0) {
    const when = box.dataset.when;
    if (!when) return true;
    const target = boxes.get(when);
    if (!target || hops > boxes.size || !relevant(target, hops + 1)) return false;
    const value = answer(target);
    const equals = box.dataset.equals;
    return Array.isArray(value) ? value.includes(equals) : value === equals;
  }

  function applyConditions() {
    for (const box of boxes.values()) {
      if (!box.dataset.when) continue;
      const show = relevant(box);
      if (box.hidden !== show) continue;
      box.hidden = !show;
      if (!show) showError(box, '');
    }
  }

  const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
  const EMAIL = new RegExp(`^(?:${RULES.email})$`);
  // Not what the PDF font prints (hex ranges "20-7e,a0-24f,…"): it would print as blanks.
  const UNPRINTABLE =
      new RegExp(`[^${RULES.chars.replace(/\w+/g, '\\u{$&}').replace(/,/g, '')}]`, 'u');

  function isDate(text) {
    const m = DATE.exec(text);
    if (!m) return false;
    const [year, month, day] = [+m[1], +m[2], +m[3]];
    const date = new Date(Date.UTC(year, month - 1, day));
    return year >= RULES.years[0] && year <= RULES.years[1] && date.getUTCMonth() === month - 1 &&
        date.getUTCDate() === day;
  }

  function isPhone(text) {
    return [...text].every(c => /\d/.test(c) || RULES.phone.includes(c)) &&
        (text.match(/\d/g) || []).length >= RULES.digits;
  }

  // Past its maxlength (as a script or autofill can put it).
  function overLimit(box) {
    const max = (controls(box)[0] || {}).maxLength;
    return max > 0 && [...answer(box)].length > max ? t('too-long', {max}) : '';
  }

  // What is wrong with the answer in `box`, or '' when nothing is.
  function problem(box) {
    const type = box.dataset.type;
    const input = box.querySelector('input');
    if (type === 'date' && input.validity.badInput) return t('whole-date');
    const value = answer(box);
    if (isEmpty(value)) {
      return 'required' in box.dataset ? t(REQUIRED.includes(type) ? type : 'fill') : '';
    }
    if (overLimit(box)) return overLimit(box);
    if (typeof value === 'string' && UNPRINTABLE.test(value)) {
      return t('unprintable', {char: value.match(UNPRINTABLE)[0]});
    }
    if (type === 'date' && !isDate(value)) return t('date');
    if (type === 'email' && !EMAIL.test(value)) return t('email');
    if (type === 'phone' && !isPhone(value)) return t('phone', {digits: RULES.digits});
    if (type === 'signature' && !isBigEnough(value)) return t('small');
    return '';
  }

  function showError(box, message) {
    document.getElementById('e-' + box.dataset.field).textContent = message;
    box.classList.toggle('ck-invalid', !!message);
    for (const input of controls(box)) {
      if (message) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    }
  }

  function focusBox(box) {
    box.scrollIntoView({block: 'center'});
    box.querySelector('input, textarea, canvas').focus({preventScroll: true});
  }

  const firstInvalid = () => [...boxes.values()].find(b => b.classList.contains('ck-invalid'));

  // Marks every asked field that has a problem; returns how many have one.
  function checkAll() {
    let count = 0;
    for (const box of boxes.values()) {
      const message = relevant(box) ? problem(box) : '';
      showError(box, message);
      if (message) count++;
    }
    return count;
  }

  // Re-checks a field as it is corrected, once it has been marked (or is too long).
  function onEdit(event) {
    applyConditions();
    const box = event.target.closest && event.target.closest('[data-field]');
    if (box && (box.classList.contains('ck-invalid') || overLimit(box))) {
      showError(box, problem(box));
    }
  }

  const say = text => { banner.textContent = text; };

  function uuid() {
    // randomUUID() exists only in secure contexts; a clinic LAN may be http.
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;  // version 4
    b[8] = (b[8] & 0x3f) | 0x80;  // RFC 4122 variant
    const h = [...b].map(x => x.toString(16).padStart(2, '0')).join('');
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join('-');
  }

  function payload() {
    const values = {};
    for (const [id, box] of boxes) {
      const value = relevant(box) ? answer(box) : null;
      if (isEmpty(value)) continue;
      values[id] = box.dataset.type === 'signature' ? signatureValue(value) : value;
    }
    const d = form.dataset;
    const body = {
      id: submissionId,
      form: {id: d.formId, version: d.formVersion, sha256: d.formSha256},
      language: document.documentElement.lang,
      values,
    };
    if (d.visit) body.visit = d.visit;
    return body;
  }

  function showFieldErrors(problemJson) {
    const unplaced = [];
    let stale = false;
    for (const f of problemJson.fields) {
      const box = boxes.get(f.id);
      if (f.id.startsWith('form.')) stale = true;
      else if (box && relevant(box)) showError(box, fromServer(String(f.message), TEXT.field));
      else unplaced.push(`${f.id}: ${f.message}`);
    }
    if (stale) {
      say(t('stale'));
      const reload = add(banner, 'button', t('reload'), 'ck-btn2');
      reload.type = 'button';
      return reload.addEventListener('click', () => location.reload());
    }
    say([t('attention')].concat(unplaced).join(' '));
    const first = firstInvalid();
    if (first) focusBox(first);
  }

  // A standalone page: the answers leave the screen with the form, so the
  // next patient sees none of them. The thank-you carries no outcome,
  // reasons or links (staff read those on the desk).
  function showReceipt() {
    forget();
    for (const pad of pads.values()) pad.locked = true;
    const panel = document.getElementById('ck-receipt');
    form.classList.add('ck-done');
    form.remove();
    panel.textContent = '';
    add(panel, 'h2', t('sent'));
    add(panel, 'p', t('hand-back'));
    add(panel, 'a', t('new'), 'ck-btn2').href = location.pathname + '?lang=' + LANG;
    panel.hidden = false;
    panel.focus();
  }

  // In a visit, the server decides what comes next: the next form, or the
  // thank-you after the last. replace() keeps this one out of the history.
  function next() {
    forget();
    form.classList.add('ck-done');
    button.textContent = t('next');
    location.replace(VISIT);
  }

  const isVisitClash = body => Array.isArray(body.fields) &&
      body.fields.some(f => f.id === 'visit');

  async function handle(response) {
    const body = await readJson(response);
    if (response.status === 201 || response.status === 200) {
      return form.dataset.visit ? next() : showReceipt();
    }
    if (response.status === 422 && Array.isArray(body.fields)) return showFieldErrors(body);
    // An invite that expired or was withdrawn meanwhile: /visit says so plainly.
    if (response.status === 401 && form.dataset.visit) return location.replace(VISIT);
    // This visit's form was sent already (from another tab or device): the
    // visit's next page is what the patient needs now.
    if (response.status === 409 && form.dataset.visit && isVisitClash(body)) {
      return location.replace(VISIT);
    }
    if (response.status === 409) {
      // An earlier send under this id reached the server (its answer was
      // lost) and the answers have changed since: send these as a new one.
      submissionId = uuid();
      return say(t('resend'));
    }
    say(problemText(response, body, TEXT.server));
  }

  function setSending(on) {
    sending = on;
    button.disabled = on;
    button.textContent = on ? t('sending') : buttonLabel;
    form.setAttribute('aria-busy', String(on));
  }

  async function submit(event) {
    event.preventDefault();
    if (sending || form.classList.contains('ck-done')) return;
    applyConditions();
    const count = checkAll();
    if (count) {
      say(count === 1 ? t('one') : t('many', {count}));
      return focusBox(firstInvalid());
    }
    say('');
    submissionId = submissionId || uuid();
    setSending(true);
    try {
      await handle(await postJson(form.dataset.submitUrl, payload(), SEND_TIMEOUT_MS));
    } catch (err) {
      say(t('offline'));
    } finally {
      if (!form.classList.contains('ck-done')) setSending(false);
    }
  }

  // Re-checks a marked signature as it is corrected.
  const padChanged = box => () => {
    if (box.classList.contains('ck-invalid')) showError(box, problem(box));
  };
  for (const box of boxes.values()) {
    if (box.dataset.type === 'signature') {
      pads.set(box.dataset.field, makePad(box, padChanged(box)));
    }
  }

  // The language switch (form_page.cc) reloads the page in another language;
  // answers, signatures and the submission id cross in sessionStorage. Only
  // the page the link opens (its one-time ?keep= nonce) gets them back; any
  // page drops every copy on load, and one older than KEEP_MS is void.
  const KEPT = ['ck-kept', form.dataset.formId, form.dataset.formSha256, form.dataset.visit]
      .join(' ');
  const KEEP_MS = 120000;
  const forget = () => {
    try {
      for (const key of Object.keys(sessionStorage)) {
        if (key.startsWith('ck-kept')) sessionStorage.removeItem(key);
      }
    } catch (err) { /* none */ }
  };
  function keep() {
    const values = {};
    for (const [id, box] of boxes) {
      const v = answer(box);
      if (!isEmpty(v)) values[id] = box.dataset.type === 'signature' ? signatureValue(v) : v;
    }
    const nonce = uuid();
    sessionStorage.setItem(KEPT, JSON.stringify({at: Date.now(), nonce, id: submissionId, values}));
    return nonce;
  }
  function restore() {
    let kept;
    try {
      kept = JSON.parse(sessionStorage.getItem(KEPT));
      forget();
    } catch (err) { return; }
    const age = kept ? Date.now() - kept.at : -1;
    const asked = new URLSearchParams(location.search).get('keep');
    if (!(age >= 0 && age < KEEP_MS) || !asked || asked !== kept.nonce) return;
    submissionId = kept.id || '';
    for (const [id, value] of Object.entries(kept.values || {})) {
      const box = boxes.get(id);
      if (box && box.dataset.type === 'signature') pads.get(id).set(value);
      else if (box) {
        for (const input of controls(box)) {
          if (input.readOnly) continue;  // prefilled: the visit's value stands
          if (/radio|checkbox/.test(input.type)) {
            input.checked = value === true || [].concat(value).includes(input.value);
          } else input.value = value;
        }
      }
    }
  }
  for (const link of document.querySelectorAll('.ck-lang a')) {
    link.addEventListener('click', event => {
      event.preventDefault();
      // Once sent or cleared, the answers are gone with the form: the link
      // opens a blank one.
      const filling = form.isConnected && !form.classList.contains('ck-done');
      if ((filling && sending) || link.hasAttribute('aria-current')) return;
      const target = new URL(link.href);
      try {
        if (filling) target.searchParams.set('keep', keep());
      } catch (err) {
        return say(t('no-switch'));
      }
      location.replace(target.href);
    });
  }
  restore();
  // A kiosk left idle: whatever was typed or drawn goes with the page's DOM,
  // and the hand-off ends, so the patient's prefilled name and date of birth
  // are not shown to whoever picks the tablet up next: staff hand it over
  // again. Loaded only where it is used.
  if (form.dataset.idleSeconds) {
    import('./idle.js').then(idle => idle.startIdleReset(Number(form.dataset.idleSeconds), () => {
      forget();
      form.remove();
      const back = () => location.replace('/kiosk');
      postJson('/api/v1/kiosk/done', {visit: form.dataset.visit}, SEND_TIMEOUT_MS).then(back, back);
    }));
  }
  // A witness's part follows its step (loaded only where there is one).
  if (form.querySelector('[data-witness]')) {
    import('./witness.js').then(w => w.followWitnessStep(form, applyConditions, conditionHolds));
  }
  form.addEventListener('input', onEdit);
  form.addEventListener('change', onEdit);
  // Enter in a one-line box would send the whole form: a surprise on a tablet.
  form.addEventListener('keydown', e => {
    if (e.key === 'Enter' && e.target.tagName === 'INPUT') e.preventDefault();
  });
  form.addEventListener('submit', submit);
  applyConditions();
  button.disabled = false;  // the page cannot send anything until now
})();
