// dom.js: the small helpers every page's script shares: building elements
// as text (never markup from a response), sending JSON to our own API, and
// turning a problem's field messages into sentences. ES2017 module.

// A new <tag> appended to `parent`, its text set as text.
export function add(parent, tag, text, className) {
  const el = document.createElement(tag);
  if (text) el.textContent = text;
  if (className) el.className = className;
  parent.append(el);
  return el;
}

// POSTs `body` as JSON; rejects when the network fails or after `timeoutMs`.
export async function postJson(url, body, timeoutMs = 30000) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    return await fetch(url, {
      method: 'POST',
      headers: {'Content-Type': 'application/json', Accept: 'application/json'},
      body: JSON.stringify(body),
      signal: abort.signal,
      credentials: 'same-origin',
    });
  } finally {
    clearTimeout(timer);
  }
}

// The response's JSON body, or {} when it has none.
export const readJson = response => response.json().catch(() => ({}));

// Server messages name the field first ("is required"): drop the name, and
// put `frame` (the page's language's "This {message}") around the rest.
// (The English default is for pages that hand their scripts no words yet.)
export const fromServer = (m, frame = 'This {message}') =>
  (/^[a-z]/.test(m) ? frame.replace('{message}', m) : m).replace(/[^.]$/, '$&.');

// A problem's title and detail as one line, for a banner; with neither,
// `frame` ("The server answered {status}.") around the HTTP status.
export function problemText(response, body, frame = 'The server answered {status}.') {
  const text = [body.title, body.detail].filter(Boolean).join(': ');
  return text || frame.replace('{status}', `${response.status} ${response.statusText}`);
}
