// witness.js: a form with a witness's part (data-witness boxes and the
// #ck-witness-note above them, see RenderFormPage). While the step is
// locked the boxes carry data-witness-locked and stay hidden, and the form
// cannot be sent if a required one would be asked. Where the note says
// data-follow (a clinic tablet in a visit), the page asks the server every
// few seconds whether staff unlocked or locked the step again, and shows or
// hides the witness's fields; every answer on the page stays as it is. All
// wording comes from the note's data-*-text attributes. ES2017 module.
const POLL_MS = 3000;

// `reapply` re-evaluates the page's conditions; `conditionHolds(box)`
// says whether a box would be asked, its lock aside.
export function followWitnessStep(form, reapply, conditionHolds) {
  const note = document.getElementById('ck-witness-note');
  const banner = document.getElementById('ck-banner');
  const boxes = [...form.querySelectorAll('[data-witness]')];
  const locked = () => 'locked' in note.dataset;
  const waiting = () => locked() && boxes.some(b => 'required' in b.dataset && conditionHolds(b));

  // Before the page's own send handler (capture runs first on the target).
  form.addEventListener('submit', event => {
    if (!waiting()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    banner.textContent = note.dataset.waitingText;
    note.scrollIntoView({block: 'center'});
  }, true);

  function setLocked(lock) {
    for (const box of boxes) {
      if (lock) box.dataset.witnessLocked = '';
      else delete box.dataset.witnessLocked;
      if (!box.dataset.when) box.hidden = lock;
    }
    reapply();
    if (lock) note.dataset.locked = '';
    else delete note.dataset.locked;
    note.textContent = lock ? note.dataset.lockedText : note.dataset.openText;
    if (!lock && banner.textContent === note.dataset.waitingText) banner.textContent = '';
  }

  if (!('follow' in note.dataset)) return;
  const url = `/api/v1/visit/witness?form=${encodeURIComponent(form.dataset.formId)}` +
      `&visit=${encodeURIComponent(form.dataset.visit)}`;
  const poll = async () => {
    if (form.classList.contains('ck-done') || !form.isConnected) return;
    try {
      const response = await fetch(url, {headers: {Accept: 'application/json'},
                                          cache: 'no-store', credentials: 'same-origin'});
      // Signed out, or no longer showing this visit: /visit says what now.
      if (response.status === 401 || response.status === 404) return location.replace('/visit');
      if (!response.ok) return;  // not a question this page may ask: stop asking
      const unlocked = (await response.json()).unlocked === true;
      if (unlocked === locked()) setLocked(!unlocked);
    } catch (err) { /* offline: ask again later */ }
    setTimeout(poll, POLL_MS);
  };
  setTimeout(poll, POLL_MS);
}
