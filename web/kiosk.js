// kiosk.js: a paired tablet between patients (RenderKioskPage) and after a
// patient's last form (RenderVisitDonePage). The waiting screen asks the
// server every few seconds whether staff handed it a visit; the thank-you
// tells the server the patient is done and goes back to waiting. Every
// move uses location.replace(), so Back never returns to a patient's page.
// ES2017 module.
import {postJson} from './dom.js';

const POLL_MS = 3000;
const THANKS_MS = 8000;

const waiting = document.querySelector('[data-kiosk]');
const thanks = document.querySelector('[data-kiosk-done]');

if (waiting) {
  const status = document.getElementById('ck-kiosk-status');
  const say = text => { if (status.textContent !== text) status.textContent = text; };
  // The server writes these in the patient's language (RenderKioskPage).
  const NOT_A_TABLET = waiting.dataset.msgNotTablet ||
      'This device is not signed in as a clinic tablet. Please ask a member of staff.';
  const OFFLINE = waiting.dataset.msgOffline || 'Cannot reach the clinic’s server. Trying again…';

  async function poll() {
    try {
      const response = await fetch('/api/v1/kiosk', {
        headers: {Accept: 'application/json'}, cache: 'no-store', credentials: 'same-origin'});
      if (response.status === 401) return location.replace('/pair');
      // Signed in, but not as a tablet: waiting would never end. Say so once.
      if (response.status === 403) {
        return say(NOT_A_TABLET);
      }
      const body = await response.json();
      if (body.visit && body.visit.id) return location.replace('/visit');
      say('');
    } catch (err) {
      say(OFFLINE);
    }
    setTimeout(poll, POLL_MS);
  }
  poll();
}

if (thanks) {
  // The hand-off ends now, not when the screen changes: a tablet left on
  // this page must not reopen the visit.
  const finished = postJson('/api/v1/kiosk/done', {visit: thanks.dataset.kioskDone})
      .catch(() => null);
  let leaving = false;
  const back = async () => {
    if (leaving) return;
    leaving = true;
    await finished;
    location.replace('/kiosk');
  };
  document.getElementById('ck-done').addEventListener('click', back);
  setTimeout(back, THANKS_MS);
}
