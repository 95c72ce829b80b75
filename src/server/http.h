// Private to the server module: what every handler uses to read a request
// and answer it (bodies, problems, pages, credentials and permissions).
// Handlers live in handlers.cc (forms, submissions, archive), visits.cc
// (visits, listings, review, invites, kiosk) and pages.cc (staff and patient
// pages); each is a function of (Site&, Exchange&) run on Poco's thread for
// that connection.
#ifndef CONSENTKIT_SERVER_HTTP_H_
#define CONSENTKIT_SERVER_HTTP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "auth/auth.h"
#include "form/form.h"
#include "i18n/catalog.h"
#include "server/handlers.h"

namespace consentkit {

inline constexpr char kJsonType[] = "application/json; charset=utf-8";
inline constexpr char kHtmlType[] = "text/html; charset=utf-8";
inline constexpr char kPdfType[] = "application/pdf";
// The HttpOnly cookie a browser keeps its token or invite credential in.
inline constexpr char kTokenCookie[] = "ck_token";

// Sends the whole answer; sets ex.status and ex.bytes for the access log.
void Send(Exchange& ex, int status, const std::string& content_type, const std::string& body);
// A problem body (api/api.h, ProblemJson).
void SendProblem(Exchange& ex, int status, const std::string& title, const std::string& detail,
                 const std::vector<FieldError>& fields = {});
// A page, with the Content-Security-Policy every page carries.
void SendHtml(Exchange& ex, int status, const std::string& html);
void NotFound(Exchange& ex);
void MethodNotAllowed(Exchange& ex, const std::string& allowed);
void ServePdf(Exchange& ex, const std::string& pdf, const std::string& filename);

bool IsGet(const Exchange& ex);        // GET or HEAD
bool IsPage(const std::string& path);  // not under /api/
// The part of `path` after `prefix` and before `suffix`, if it has both
// and holds no further slash.
bool Segment(const std::string& path, const std::string& prefix, const std::string& suffix,
             std::string& out);
bool EndsWith(const std::string& text, const std::string& suffix);

// The bearer credential from the Authorization header (scheme "Bearer" in
// any case), else the cookie.
std::string Credential(const Exchange& ex);
// The token of an "Authorization: Bearer" header (any case), else empty.
// A script's credential: no other site can make a browser send the header
// (it would need CORS, which we never grant), so it needs no Origin check.
std::string BearerCredential(const Exchange& ex);
// The credential of the ck_token cookie alone; empty when there is none.
std::string CookieCredential(const Exchange& ex);
// Records a failed sign-in as auth.failed, within Site::throttle's limits
// (per client address and per claimed token); the rest are counted.
void RecordAuthFailure(Site& site, Exchange& ex, const AuthResult& auth);
// Authenticate(), guarded against guessing: when this client address had
// AuditThrottle::kGuessesPerMinute failures in its minute, answers 429 with
// Retry-After and returns nullopt without checking `credential`. A failure
// is counted towards that limit and recorded (RecordAuthFailure).
std::optional<AuthResult> CheckCredential(Site& site, Exchange& ex, const std::string& credential);
// True when the caller may do `permission` (ex.actor and ex.principal are
// then set); otherwise answers 401/303, 403 (a page for pages) or 429 and
// returns false. A state-changing request authenticated by the cookie must
// come from our own pages (CrossSiteReason), else 403 before anything else.
bool Authorize(Site& site, Exchange& ex, Permission permission);

// The visit a patient's device is on once authorized: an invite's own, or
// the one staff handed to this kiosk tablet; nullopt when there is none.
std::optional<std::string> PatientVisitOf(Site& site, const Exchange& ex);

// The clinic's days are the server's local days (its TZ), not UTC ones: a
// clinic in Portland, Maine, open till 8 pm, must not see the evening's
// visits under tomorrow. Today's date there, YYYY-MM-DD:
std::string LocalToday();
// The UTC instant ("…T05:00:00Z") that local day `day` (a valid
// YYYY-MM-DD) begins, for comparing with the stored UTC times.
std::string LocalDayStartUtc(const std::string& day);

// Reads the whole body unless it is over `limit`; false when a problem was
// sent instead: 413 for too large, 400 when it ended short of its declared
// Content-Length (the connection is then closed).
bool ReadBody(Exchange& ex, std::size_t limit, std::string& body);
// Reads and drops a body the route does not use, so the connection can carry
// the next request; false when a problem was sent (as ReadBody).
bool DrainBody(Exchange& ex);
// Why a browser request is not shown to come from one of our own pages
// (http(s)://Host, or [server] public-url's origin behind a proxy): a
// Referer or Origin of another site, "Origin: null",
// Sec-Fetch-Site other than same-origin or none, or neither Origin nor
// Sec-Fetch-Site; empty when it is shown to. The reason is a problem detail.
std::string CrossSiteReason(const Exchange& ex);
// True for a request with a bearer credential (a script's) or one
// CrossSiteReason finds nothing against.
bool SameOrigin(const Exchange& ex);
// application/json with no charset, or charset exactly utf-8 (any case,
// quoted or not, once); anything else (utf-8x, latin1, utf8) is not.
bool IsJsonContentType(const std::string& content_type);
// A query parameter as a whole number within [min, max], else `fallback`;
// throws std::invalid_argument naming it when it is there but not one.
std::int64_t QueryNumber(const Exchange& ex, const std::string& key, std::int64_t fallback,
                         std::int64_t min, std::int64_t max);
// A query parameter's decoded value; empty when absent.
std::string QueryText(const Exchange& ex, const std::string& key);

// The language to show `form`'s page in: ?lang= when the form offers it
// (OfferedLanguage), else the one Accept-Language prefers among the form's
// (PreferredLanguage), else form.lang. Never refuses: an unoffered ?lang=
// falls back as if it were not there. REQUIRES: `form` is a default view.
std::string PageLanguage(const Exchange& ex, const FormDefinition& form);

// A patient's page not tied to one form (the kiosk, a visit's thank-you, a
// notice) speaks the patient's language: ?lang= when consentkit has it,
// else the browser's Accept-Language (i18n/languages.h), else English.
const Catalog& PatientText(const Exchange& ex);
// Staff pages (the desk, review, the sign-in page) speak the clinic's one
// working language ([clinic] language): a desk shared by several people
// reads the same on every screen.
const Catalog& StaffText(const Site& site);

// The visit, listing, review, invite and kiosk routes under /api/v1
// (visits.cc); false when `ex.path` is none of them.
bool ServeVisitApi(Site& site, Exchange& ex);
// GET /staff/visits/{id}/blank.pdf and /packet.pdf (visits.cc).
bool ServeVisitPdf(Site& site, Exchange& ex);

}  // namespace consentkit

#endif  // CONSENTKIT_SERVER_HTTP_H_
