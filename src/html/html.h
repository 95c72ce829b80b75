// The tablet pages: server-rendered HTML for the list of forms and for one
// fillable form, plus the static assets (CSS and JavaScript) they use.
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

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "form/form.h"

namespace consentkit {

// `text` with & < > " and ' replaced by character references, so the result
// is safe both as element content and inside a quoted attribute value.
std::string HtmlEscape(std::string_view text);

// The start page: each form's title, kind and version, with links to its
// tablet page (/forms/{id}) and its blank PDF (/forms/{id}.pdf).
// REQUIRES: no null pointers in `forms`.
std::string RenderIndexPage(const std::vector<FormPtr>& forms, const ClinicSettings& clinic);

// The tablet page for `form`. Its <form> carries data-form-id,
// data-form-version, data-form-sha256 and data-submit-url
// (/api/v1/forms/{id}/submissions); /assets/consentkit.js reads them, checks
// the answers and posts the JSON submission.
std::string RenderFormPage(const FormDefinition& form, const ClinicSettings& clinic);

// Signs a browser in: a form to paste an API token, posted to /pair, which
// keeps it in an HttpOnly cookie so the tablet pages can load and submit.
// The script fills it in from a link's #fragment (never sent to a server,
// never in a log). `error` (may be empty) says why the last try failed.
std::string RenderPairPage(const ClinicSettings& clinic, const std::string& error);

// A static file embedded in the binary at build time.
struct Asset {
  std::string_view content_type;  // e.g. "text/css; charset=utf-8"
  std::string_view body;          // the file's exact bytes
};

// The asset served at `path` ("/assets/consentkit.css" or
// "/assets/consentkit.js"), or nullptr for any other path. The Asset and its
// bytes live for the whole program.
const Asset* FindAsset(std::string_view path);

}  // namespace consentkit

#endif  // CONSENTKIT_HTML_HTML_H_
