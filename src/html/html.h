// The tablet pages: server-rendered HTML for the list of forms, one
// fillable form, a visit's packet flow and the kiosk screens, plus the
// static assets (CSS and JavaScript) every page uses. The staff pages are
// in html/staff.h.
//
// Pages are rendered from the same FormDefinition model as the PDFs, so the
// field names a page posts are exactly the model's field ids. Every string
// taken from a definition or the clinic settings is HTML-escaped. Pages refer
// only to /assets/ URLs on the same server: they work offline, with no CDN,
// and a Content-Security-Policy of default-src 'self' holds (no inline
// scripts, styles or event handlers).
//
// All functions are pure or read only immutable data: safe from any thread.
#ifndef CONSENTKIT_HTML_HTML_H_
#define CONSENTKIT_HTML_HTML_H_

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "form/form.h"
#include "i18n/catalog.h"

namespace consentkit {

// `text` with & < > " and ' replaced by character references, so the result
// is safe both as element content and inside a quoted attribute value.
std::string HtmlEscape(std::string_view text);

struct IndexOptions {
  bool staff_link = false;  // the caller may use the staff desk: link to /staff
  // The page's words; each form shows in it when the form offers it.
  std::string language = "en";
};

// The start page: each form's title, kind and version, in the order given
// (callers pass packet order), with links to its tablet page (/forms/{id})
// and its blank PDF (/forms/{id}.pdf).
// REQUIRES: no null pointers in `forms`.
std::string RenderIndexPage(const std::vector<FormPtr>& forms, const ClinicSettings& clinic,
                            const IndexOptions& options = {});

// The tablet page for `form`. Its <form> carries data-form-id,
// data-form-version, data-form-sha256 and data-submit-url
// (/api/v1/forms/{id}/submissions); /assets/consentkit.js reads them, checks
// the answers and posts the JSON submission. After sending it shows a
// thank-you with no outcome, reasons or links: the page is patient-facing
// whoever opened it, and staff read outcomes on the desk. A witness step's
// fields are left out of it (hidden, never sent): only a visit unlocks them.
// The page is in `language` when `form` offers it (OfferedLanguage), else in
// form.lang: <html lang>, the definition's text (its translation) and every
// built-in word (the catalog's page.* text) are that language's. When the
// form offers more than one language, a switch near the top links to each
// (?lang=), and consentkit.js carries every answer across it. REQUIRES:
// `form` is a default view (LoadForm*'s result), which lists the languages.
std::string RenderFormPage(const FormDefinition& form, const ClinicSettings& clinic,
                           std::string_view language = {});

// One form of a visit's packet, as the patient fills it (GET /visit).
struct VisitFormOptions {
  std::string visit_id;      // posted as "visit" in the submission envelope
  std::size_t position = 1;  // this form's place in the packet, from 1
  std::size_t count = 1;     // forms in the packet
  // A field whose prefill names a fact found here is filled in with it and
  // read-only: the patient does not type it again. (The caller takes the
  // values from the visit's patient.)
  std::map<PatientFact, std::string> prefill;
  // Seconds without a touch or key before the page clears itself, with a
  // warning first; 0: never (a patient's own phone).
  int idle_seconds = 0;
  // A witness may sign on this device: a clinic tablet, not the patient's
  // own phone. The page then follows the step (GET /api/v1/visit/witness),
  // showing or hiding the witness's fields as staff unlock or lock it.
  bool witness_here = true;
  // Staff unlocked this form's witness step: its fields are shown. Else they
  // start hidden behind a note.
  bool witness_unlocked = false;
  // The language to show the form in, as RenderFormPage takes it; empty:
  // the form's own. (The caller reads ?lang= and Accept-Language, e.g.
  // with PageLanguage in server/http.h.)
  std::string language;
};

// RenderFormPage plus "Form 2 of 3", prefilled identity and the visit id;
// after a form is sent the script loads /visit again, which shows the next.
std::string RenderVisitFormPage(const FormDefinition& form, const ClinicSettings& clinic,
                                const VisitFormOptions& options);

// The clinic's device pages below take every built-in word from `text`
// (i18n/*.messages: kiosk.*, done.*, pair.*, notice.*), and <html lang> is
// its language: the server picks it by the patient's ?lang= and
// Accept-Language (i18n/languages.h), or for the sign-in page the clinic's
// working language. Their scripts read their messages from the page.

// The locked screen of a kiosk tablet between patients: the clinic and
// "Waiting for the next patient", nothing else. /assets/kiosk.js polls
// /api/v1/kiosk and opens /visit when staff hand a visit to it.
std::string RenderKioskPage(const ClinicSettings& clinic, const Catalog& text);

// Where a patient fills a visit's packet.
enum class VisitChannel { kKiosk, kInvite };

// After the packet's last form: a thank-you with no outcome, reasons,
// answers or names. On a kiosk its script tells the server the patient of
// `visit_id` is done (ending that hand-off, not a newer one) and returns to
// the waiting screen; an invite's page just ends.
std::string RenderVisitDonePage(const ClinicSettings& clinic, const Catalog& text,
                                VisitChannel channel, const std::string& visit_id = "");

// Signs a browser in: a form to paste an API token, posted to /pair, which
// keeps it in an HttpOnly cookie so the tablet pages can load and submit.
// The script fills it in from a link's #fragment (never sent to a server,
// never in a log). `error` (may be empty) says why the last try failed.
std::string RenderPairPage(const ClinicSettings& clinic, const Catalog& text,
                           const std::string& error);

// A page that only says something: a refusal, an expired link, a thank-you.
// `title` and `message` are escaped and already in `text`'s language. It has
// no links: patients see it too.
std::string RenderNoticePage(const ClinicSettings& clinic, const Catalog& text,
                             const std::string& title, const std::string& message);

// A static file embedded in the binary at build time.
struct Asset {
  std::string_view content_type;  // e.g. "text/css; charset=utf-8"
  std::string_view body;          // the file's exact bytes
};

// The asset served at `path` ("/assets/" and a file name of web/, e.g.
// "/assets/consentkit.css"), or nullptr for any other path. The Asset and
// its bytes live for the whole program.
const Asset* FindAsset(std::string_view path);
// The file names of every asset, as FindAsset takes them after "/assets/".
std::vector<std::string_view> AssetNames();

}  // namespace consentkit

#endif  // CONSENTKIT_HTML_HTML_H_
