// idle.js: a kiosk's half-filled form must not wait for the next patient.
// After `seconds` without a touch, key or scroll the page calls `clear`
// (which drops the form and reloads); a dialog (IdleDialog in
// src/html/form_page.cc) warns first and counts down. Deadlines are
// wall-clock times, so a throttled timer cannot stretch them. ES2017 module.

const WARNING_SECONDS = 30;
const ACTIVITY = ['pointerdown', 'keydown', 'input', 'wheel', 'scroll', 'touchstart'];

export function startIdleReset(seconds, clear) {
  const dialog = document.getElementById('ck-idle');
  const left = document.getElementById('ck-idle-left');
  const warnFor = Math.min(WARNING_SECONDS, Math.floor(seconds / 2));
  let deadline = 0;
  let timer = 0;

  const open = () => dialog.open;

  // Wakes at the warning, then at each whole second of the countdown.
  function tick() {
    const ms = deadline - Date.now();
    if (ms <= 0) return clear();
    const remaining = Math.ceil(ms / 1000);
    if (remaining > warnFor) {
      timer = setTimeout(tick, ms - warnFor * 1000);
      return;
    }
    if (!open()) dialog.showModal();
    left.textContent = String(remaining);
    timer = setTimeout(tick, ms - (remaining - 1) * 1000);
  }

  function restart() {
    deadline = Date.now() + seconds * 1000;
    clearTimeout(timer);
    tick();
  }

  function stay() {
    if (open()) dialog.close();
    restart();
  }

  // While the warning shows, only its button (or Escape) counts as "still here".
  const onActivity = () => { if (!open()) restart(); };
  for (const type of ACTIVITY) {
    window.addEventListener(type, onActivity, {capture: true, passive: true});
  }
  document.getElementById('ck-idle-stay').addEventListener('click', stay);
  dialog.addEventListener('cancel', e => { e.preventDefault(); stay(); });
  restart();
}
