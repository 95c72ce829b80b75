// pad.js: a signature pad on a <canvas> (pointer events: finger, pen or
// mouse; undo and clear), shared by the patient's form page and the
// practitioner's countersignature. The markup is SignaturePadMarkup in
// src/html/page.cc. A signature is {width, height, strokes}: the pad's size
// in CSS px and each stroke as [x, y, t] points, t in ms since the stroke
// began, as the submission API takes it. ES2017 module.

const round = n => Math.round(n * 10) / 10;

// A tap or a stray dot is not a signature.
export function isBigEnough(pad) {
  const points = [].concat(...pad.strokes);
  const span = i => Math.max(...points.map(p => p[i])) - Math.min(...points.map(p => p[i]));
  return points.length >= 2 && (span(0) >= pad.minShare * pad.width ||
                                span(1) >= pad.minShare * pad.height);
}

// What a payload carries for the pad.
export const signatureValue = pad => ({width: pad.width, height: pad.height, strokes: pad.strokes});

// Binds the pad inside `box` (the field's wrapper); `changed(pad)` runs
// after each stroke, undo or clear. Returns the pad:
// {width, height, strokes, locked, minShare, set(signature)}. The limits
// come with the canvas (SignaturePadMarkup): data-min-share and
// data-max-points; its state's words with the state: the page's text, and
// data-signed.
export function makePad(box, changed = () => {}) {
  const canvas = box.querySelector('canvas');
  const ctx = canvas.getContext('2d');
  const status = box.querySelector('.ck-pad-state');
  const unsigned = status.textContent;
  const pad = {width: 0, height: 0, strokes: [], locked: false,
    minShare: Number(canvas.dataset.minShare)};
  const maxPoints = Number(canvas.dataset.maxPoints);
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

  function done() {
    status.textContent = pad.strokes.length ? status.dataset.signed : unsigned;
    changed(pad);
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
    if (pad.strokes.reduce((n, s) => n + s.length, 0) >= maxPoints) return;
    const last = stroke[stroke.length - 1];
    stroke.push(point(e, last));
    draw(stroke.slice(-2));
  });
  const end = e => {
    if (e.pointerId !== pointer) return;
    pointer = stroke = null;
    done();
  };
  for (const type of ['pointerup', 'pointercancel', 'lostpointercapture']) {
    canvas.addEventListener(type, end);
  }
  const edit = (action, change) => box.querySelector(`[data-pad=${action}]`)
      .addEventListener('click', () => {
        if (pad.locked) return;
        change();
        redraw();
        done();
      });
  edit('undo', () => pad.strokes.pop());
  edit('clear', () => { pad.strokes = []; });
  // A signature given before (a signatureValue): fit() scales it from the
  // size it was drawn at to the pad's, now or once the pad is shown.
  pad.set = value => {
    ({width: pad.width, height: pad.height, strokes: pad.strokes} = value);
    fit();
    redraw();
    done();
  };
  if (window.ResizeObserver) new ResizeObserver(fit).observe(canvas);
  else window.addEventListener('resize', fit);
  fit();
  return pad;
}
