// witness.js: a form whose witness part is still locked (data-witness-locked
// boxes, see RenderVisitFormPage). The form cannot be sent while a required
// witness field waits. In a visit, asks the server every few seconds
// whether staff unlocked the step; then shows the witness's fields and
// rewords the note above them. Every answer on the page stays as it is.
// ES2017 module.
const POLL_MS = 3000;

// `reapply` re-evaluates conditions once the locked boxes are unmarked.
export function awaitWitness(form, reapply) {
  const note = document.getElementById('ck-witness-note');
  const banner = document.getElementById('ck-banner');
  const locked = [...form.querySelectorAll('[data-witness-locked]')];
  const waiting = () => locked.some(b => 'witnessLocked' in b.dataset && 'required' in b.dataset);

  // Before the page's own send handler (capture runs first on the target).
  form.addEventListener('submit', event => {
    if (!waiting()) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    banner.textContent = 'This form needs a witness to sign it. Please ask a member of staff ' +
        'to unlock the witness part when your witness is with you. Your answers are still here.';
    note.scrollIntoView({block: 'center'});
  }, true);

  function unlock() {
    for (const box of locked) {
      delete box.dataset.witnessLocked;
      if (!box.dataset.when) box.hidden = false;
    }
    reapply();
    delete note.dataset.locked;
    note.textContent = 'Witness: please fill in your part below.';
    if (banner.textContent.includes('witness')) banner.textContent = '';
  }

  if (!form.dataset.visit) return;  // standalone: nothing to unlock
  const url = '/api/v1/visit/witness?form=' + encodeURIComponent(form.dataset.formId);
  const poll = async () => {
    if (form.classList.contains('ck-done') || !form.isConnected) return;
    try {
      const response = await fetch(url, {headers: {Accept: 'application/json'},
                                          cache: 'no-store', credentials: 'same-origin'});
      const body = response.ok ? await response.json() : {};
      if (body.unlocked === true) return unlock();
    } catch (err) { /* offline: ask again later */ }
    setTimeout(poll, POLL_MS);
  };
  setTimeout(poll, POLL_MS);
}
