// consentkit.js: the tablet form page rendered by src/html. Conditions,
// signature pads, checks and the JSON submission of the HTTP contract. The
// checks mirror src/submission only to help: the server checks again and
// decides. Plain ES2017, no dependencies: the page must work offline.
'use strict';

// The sign-in page: a link "/pair#<token>" fills in and sends the token, so
// the secret travels in the fragment (never logged) and then a cookie.
(() => {
  const pair = document.querySelector('form.ck-pair');
  if (!pair) return;
  const signIn = () => {
    if (location.hash.length < 2) return;
    pair.elements.token.value = decodeURIComponent(location.hash.slice(1));
    history.replaceState(null, '', location.pathname);
    pair.submit();
  };
  // A link opened on this very page only changes the fragment.
  window.addEventListener('hashchange', signIn);
  if (!document.querySelector('.ck-pair-error')) signIn();
})();

(() => {
  const form = document.querySelector('form[data-form-id]');
  if (!form) return;

  // Limits of src/submission; text length is held by maxlength attributes.
  const MIN_SIGNATURE_EXTENT = 0.1;  // share of the pad's width or height
  const MAX_SIGNATURE_POINTS = 20000;
  const SEND_TIMEOUT_MS = 30000;

  const REQUIRED = {
    yesno: 'Please choose Yes or No.',
    choice: 'Please choose an answer.',
    multichoice: 'Please tick at least one answer.',
    checkbox: 'Please tick the box to show that you understand this risk.',
    initials: 'Please write your initials.',
    signature: 'Please sign here.',
  };
  const OUTCOMES = {
    suitable: 'Suitable for treatment.',
    'practitioner-review': 'A practitioner will review these answers before treatment.',
    defer: 'Treatment deferred: it should not go ahead for now.',
  };

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
  const EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;
  // Characters the signed PDF's font lacks (fonts/subset.sh; the server's
  // IsInRecordFont): they would print as blanks, so the server refuses them.
  const UNPRINTABLE = /[^\t\n\r\x20-\x7e\xa0-\u024f\u02c6-\u02dd\u0394\u03a9\u03bc\u2010-\u2027\u2030-\u203a\u2044\u20ac\u2116\u2122\u2190-\u2193\u2212\u2264\u2265\u25a0\u25a1\u25cb\u25cf\u2610-\u2612\u2713\u2714\u2717]/u;

  function isDate(text) {
    const m = DATE.exec(text);
    if (!m) return false;
    const [year, month, day] = [+m[1], +m[2], +m[3]];
    const date = new Date(Date.UTC(year, month - 1, day));
    return year >= 1900 && year <= 2200 && date.getUTCMonth() === month - 1 &&
        date.getUTCDate() === day;
  }

  function isPhone(text) {
    return text.length <= 32 && /^[0-9 +\-().]*$/.test(text) &&
        (text.match(/\d/g) || []).length >= 7;
  }

  // A tap or a stray dot is not a signature.
  function isBigEnough(pad) {
    const points = [].concat(...pad.strokes);
    const span = i => Math.max(...points.map(p => p[i])) - Math.min(...points.map(p => p[i]));
    return points.length >= 2 && (span(0) >= MIN_SIGNATURE_EXTENT * pad.width ||
                                  span(1) >= MIN_SIGNATURE_EXTENT * pad.height);
  }

  // What is wrong with the answer in `box`, or '' when nothing is.
  function problem(box) {
    const type = box.dataset.type;
    const input = box.querySelector('input');
    if (type === 'date' && input.validity.badInput) return 'Please enter the whole date.';
    const value = answer(box);
    if (isEmpty(value)) {
      return 'required' in box.dataset ? REQUIRED[type] || 'Please fill this in.' : '';
    }
    if (typeof value === 'string' && UNPRINTABLE.test(value)) {
      return 'Please use Latin letters only: "' + value.match(UNPRINTABLE)[0] +
             '" cannot be printed on the signed form.';
    }
    if (type === 'date' && !isDate(value)) return 'Please enter a date as YYYY-MM-DD.';
    if (type === 'email' && !(value.length <= 254 && EMAIL.test(value))) {
      return 'Please enter an email address, like name@example.com.';
    }
    if (type === 'phone' && !isPhone(value)) {
      return 'Please enter a phone number with at least 7 digits.';
    }
    if (type === 'signature' && !isBigEnough(value)) {
      return 'This signature is too small. Please press Clear and sign again, larger.';
    }
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

  // Re-checks a field as it is corrected, once it has been marked.
  function onEdit(event) {
    applyConditions();
    const box = event.target.closest && event.target.closest('[data-field]');
    if (box && box.classList.contains('ck-invalid')) showError(box, problem(box));
  }

  const say = text => { banner.textContent = text; };

  function makePad(box) {
    const canvas = box.querySelector('canvas');
    const ctx = canvas.getContext('2d');
    const status = box.querySelector('.ck-pad-state');
    const pad = {width: 0, height: 0, strokes: [], locked: false};
    let stroke = null;
    let pointer = null;
    let started = 0;

    function draw(s) {
      ctx.beginPath();
      ctx.moveTo(s[0][0], s[0][1]);
      if (s.length === 1) ctx.arc(s[0][0], s[0][1], 0.6, 0, 2 * Math.PI);
      for (const p of s) ctx.lineTo(p[0], p[1]);
      ctx.stroke();
    }

    function redraw() {
      ctx.clearRect(0, 0, pad.width, pad.height);
      ctx.lineWidth = 2.5;
      ctx.lineCap = ctx.lineJoin = 'round';
      ctx.strokeStyle = '#10233f';
      pad.strokes.forEach(draw);
    }

    // Sizes the bitmap to the device pixels (crisp on HiDPI screens) and
    // keeps the points in the pad's current CSS px, as the payload needs.
    function fit() {
      const w = canvas.clientWidth;
      const h = canvas.clientHeight;
      if (!w || !h) return;  // hidden by a condition
      if (pad.width) {
        for (const p of [].concat(...pad.strokes)) {
          p[0] = Math.min(w, round(p[0] * w / pad.width));
          p[1] = Math.min(h, round(p[1] * h / pad.height));
        }
      }
      pad.width = w;
      pad.height = h;
      const ratio = window.devicePixelRatio || 1;
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      redraw();
    }

    function changed() {
      status.textContent = pad.strokes.length ? 'Signed' : 'Not signed yet';
      if (box.classList.contains('ck-invalid')) showError(box, problem(box));
    }

    function point(e, last) {
      const r = canvas.getBoundingClientRect();
      const x = Math.min(pad.width, Math.max(0, e.clientX - r.left));
      const y = Math.min(pad.height, Math.max(0, e.clientY - r.top));
      const t = Math.max(last ? last[2] : 0, Math.round(e.timeStamp - started));
      return [round(x), round(y), t];
    }

    canvas.addEventListener('pointerdown', e => {
      if (pad.locked || pointer !== null || e.button !== 0) return;
      e.preventDefault();
      pointer = e.pointerId;
      started = e.timeStamp;
      canvas.setPointerCapture(pointer);
      stroke = [point(e)];
      pad.strokes.push(stroke);
      draw(stroke);
    });
    canvas.addEventListener('pointermove', e => {
      if (e.pointerId !== pointer) return;
      if (pad.strokes.reduce((n, s) => n + s.length, 0) >= MAX_SIGNATURE_POINTS) return;
      const last = stroke[stroke.length - 1];
      stroke.push(point(e, last));
      draw(stroke.slice(-2));
    });
    const end = e => {
      if (e.pointerId !== pointer) return;
      pointer = stroke = null;
      changed();
    };
    for (const type of ['pointerup', 'pointercancel', 'lostpointercapture']) {
      canvas.addEventListener(type, end);
    }
    const edit = (action, change) => box.querySelector(`[data-pad=${action}]`)
        .addEventListener('click', () => { change(); redraw(); changed(); });
    edit('undo', () => pad.strokes.pop());
    edit('clear', () => { pad.strokes = []; });
    if (window.ResizeObserver) new ResizeObserver(fit).observe(canvas);
    else window.addEventListener('resize', fit);
    fit();
    return pad;
  }

  const round = n => Math.round(n * 10) / 10;

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
      values[id] = box.dataset.type === 'signature'
          ? {width: value.width, height: value.height, strokes: value.strokes}
          : value;
    }
    const d = form.dataset;
    return {
      id: submissionId,
      form: {id: d.formId, version: d.formVersion, sha256: d.formSha256},
      language: document.documentElement.lang,
      values,
    };
  }

  async function post(body) {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), SEND_TIMEOUT_MS);
    try {
      return await fetch(form.dataset.submitUrl, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', Accept: 'application/json'},
        body: JSON.stringify(body),
        signal: abort.signal,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  // Server messages name the field first ("is required"): drop the name.
  const fromServer = m => (/^[a-z]/.test(m) ? 'This ' + m : m).replace(/[^.]$/, '$&.');


  function showFieldErrors(problemJson) {
    const unplaced = [];
    let stale = false;
    for (const f of problemJson.fields) {
      const box = boxes.get(f.id);
      if (f.id === 'form_id' || f.id === 'form_version') stale = true;
      else if (box && relevant(box)) showError(box, fromServer(String(f.message)));
      else unplaced.push(`${f.id}: ${f.message}`);
    }
    if (stale) {
      say('This page is out of date: the form has changed since it was opened. Staff: ' +
          'please reload the page. The answers will need to be entered again.');
      const reload = add(banner, 'button', 'Reload page', 'ck-btn2');
      reload.type = 'button';
      return reload.addEventListener('click', () => location.reload());
    }
    say(['Some answers need attention. Each one has a message next to it.'].concat(unplaced)
            .join(' '));
    const first = firstInvalid();
    if (first) focusBox(first);
  }

  function add(parent, tag, text, className) {
    const el = document.createElement(tag);
    if (text) el.textContent = text;
    if (className) el.className = className;
    parent.append(el);
    return el;
  }

  function receiptDetails(parent, r) {
    const details = add(parent, 'details');
    add(details, 'summary', 'For clinic staff');
    const list = add(details, 'dl');
    const row = (term, text) => {
      add(list, 'dt', term);
      return add(list, 'dd', text);
    };
    row('Reference', r.id || submissionId);
    const received = new Date(r.received_at);
    row('Received', isNaN(received) ? String(r.received_at || '') : received.toLocaleString());
    if ('screening' in form.dataset && OUTCOMES[r.outcome]) {
      const dd = row('Screening outcome', OUTCOMES[r.outcome]);
      const reasons = add(dd, 'ul');
      for (const reason of r.reasons || []) add(reasons, 'li', String(reason));
    }
    // Only a same-server path: never follow a URL the response could abuse.
    if (typeof r.pdf_url === 'string' && /^\/[^/\\]/.test(r.pdf_url)) {
      add(row('Signed PDF', ''), 'a', 'Open the PDF').href = r.pdf_url;
    }
  }

  function showReceipt(r) {
    for (const el of form.elements) el.disabled = true;
    for (const pad of pads.values()) pad.locked = true;
    form.classList.add('ck-done');
    const panel = document.getElementById('ck-receipt');
    panel.textContent = '';
    add(panel, 'h2', 'Thank you. The form has been sent.');
    add(panel, 'p', 'Please hand the tablet back to a member of staff.');
    receiptDetails(panel, r);
    add(panel, 'a', 'Start a new blank form', 'ck-btn2').href = location.pathname;
    panel.hidden = false;
    panel.focus();
  }

  async function handle(response) {
    const body = await response.json().catch(() => ({}));
    if (response.status === 201 || response.status === 200) return showReceipt(body);
    if (response.status === 422 && Array.isArray(body.fields)) return showFieldErrors(body);
    if (response.status === 409) {
      // An earlier send under this id reached the server (its answer was
      // lost) and the answers have changed since: send these as a new one.
      submissionId = uuid();
      return say('An earlier copy of this form was already received. Your answers have ' +
                 'changed since, so press the button again to send them as a new form.');
    }
    const text = [body.title, body.detail].filter(Boolean).join(': ');
    say(text || `The server answered ${response.status} ${response.statusText}.`);
  }

  function setSending(on) {
    sending = on;
    button.disabled = on;
    button.textContent = on ? 'Sending…' : buttonLabel;
    form.setAttribute('aria-busy', String(on));
  }

  async function submit(event) {
    event.preventDefault();
    if (sending || form.classList.contains('ck-done')) return;
    applyConditions();
    const count = checkAll();
    if (count) {
      say(count === 1 ? 'One answer needs attention. It has a message next to it.'
                      : `${count} answers need attention. Each one has a message next to it.`);
      return focusBox(firstInvalid());
    }
    say('');
    submissionId = submissionId || uuid();
    setSending(true);
    try {
      await handle(await post(payload()));
    } catch (err) {
      say('The form could not be sent. Please check the connection and press the button ' +
          'again. Your answers are still here.');
    } finally {
      if (!form.classList.contains('ck-done')) setSending(false);
    }
  }

  for (const box of boxes.values()) {
    if (box.dataset.type === 'signature') pads.set(box.dataset.field, makePad(box));
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
