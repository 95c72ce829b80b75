#include "server/http.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <ctime>
#include <limits>
#include <sstream>

#include "api/api.h"
#include "html/html.h"
#include "html/staff.h"
#include "i18n/languages.h"
#include "server/connections.h"
#include "util/util.h"

namespace consentkit {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

namespace {
constexpr char kProblemType[] = "application/problem+json";
// Pages load only our own script and styles and talk only to us.
constexpr char kPagePolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
}  // namespace

namespace {
// A body the handler left unread would be taken for the next request on a
// kept-alive connection, so such a connection is closed after the answer.
bool HasUnreadBody(const Exchange& ex) {
  return !ex.body_read &&
         (ex.request.getContentLength64() > 0 || ex.request.getChunkedTransferEncoding());
}
}  // namespace

void Send(Exchange& ex, int status, const std::string& content_type, const std::string& body) {
  Poco::Net::HTTPServerResponse& r = ex.response;
  if (HasUnreadBody(ex)) r.setKeepAlive(false);
  r.setStatusAndReason(static_cast<HTTPResponse::HTTPStatus>(status));
  r.setContentType(content_type);
  r.setContentLength64(static_cast<Poco::Int64>(body.size()));
  r.set("X-Content-Type-Options", "nosniff");
  // Same-origin only: a browser then sends our pages' own Origin with
  // their form posts (with no-referrer it sends "Origin: null", which a
  // request from a sandboxed frame of any site also sends, so it proves
  // nothing), and no other site learns our paths.
  r.set("Referrer-Policy", "same-origin");
  if (!r.has("Cache-Control")) r.set("Cache-Control", "no-store");
  r.send().write(body.data(), static_cast<std::streamsize>(body.size()));
  ex.status = status;
  ex.bytes = body.size();
}

void SendProblem(Exchange& ex, int status, const std::string& title, const std::string& detail,
                 const std::vector<FieldError>& fields) {
  Send(ex, status, kProblemType, ProblemJson(status, title, detail, fields));
}

void SendHtml(Exchange& ex, int status, const std::string& html) {
  ex.response.set("Content-Security-Policy", kPagePolicy);
  Send(ex, status, kHtmlType, html);
}

void NotFound(Exchange& ex) {
  SendProblem(ex, 404, "Not found", "nothing is served at " + ex.path);
}

bool IsGet(const Exchange& ex) {
  const std::string& m = ex.request.getMethod();
  return m == HTTPRequest::HTTP_GET || m == HTTPRequest::HTTP_HEAD;
}

void MethodNotAllowed(Exchange& ex, const std::string& allowed) {
  ex.response.set("Allow", allowed);
  SendProblem(ex, 405, "Method not allowed",
              ex.request.getMethod() + " is not allowed on " + ex.path + "; use " + allowed);
}

// The part of `path` after `prefix` and before `suffix`, if it has both
// and holds no further slash.
std::string LocalToday() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &local);
  return text;
}

std::string LocalDayStartUtc(const std::string& day) {
  std::tm midnight{};
  midnight.tm_year = std::stoi(day.substr(0, 4)) - 1900;
  midnight.tm_mon = std::stoi(day.substr(5, 2)) - 1;
  midnight.tm_mday = std::stoi(day.substr(8, 2));
  midnight.tm_isdst = -1;  // the zone's rules say whether summer time applies
  return UtcTimeText(std::mktime(&midnight));
}

std::optional<std::string> PatientVisitOf(Site& site, const Exchange& ex) {
  if (ex.principal->is_invite()) return ex.principal->visit_id;
  return site.store.FindHandoff(ex.actor);
}

bool Segment(const std::string& path, const std::string& prefix, const std::string& suffix,
             std::string& out) {
  if (path.size() <= prefix.size() + suffix.size()) return false;
  if (path.compare(0, prefix.size(), prefix) != 0) return false;
  if (path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) return false;
  out = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  return out.find('/') == std::string::npos;
}

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void ServePdf(Exchange& ex, const std::string& pdf, const std::string& filename) {
  ex.response.set("Content-Disposition", "inline; filename=\"" + filename + "\"");
  Send(ex, 200, kPdfType, pdf);
}

namespace {
bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string ClientAddress(const Exchange& ex) {
  return ex.request.clientAddress().host().toString();
}
}  // namespace

// The token of an Authorization header of scheme Bearer, in any case (RFC
// 9110 11.1: "bearer" is the same scheme), else empty.
std::string BearerCredential(const Exchange& ex) {
  const std::string& header = ex.request.get("Authorization", "");
  std::size_t scheme_end = 0;
  while (scheme_end < header.size() && !IsSpace(header[scheme_end])) ++scheme_end;
  if (scheme_end == 0 || Poco::icompare(header.substr(0, scheme_end), "bearer") != 0) return "";
  std::size_t from = scheme_end, to = header.size();
  while (from < to && IsSpace(header[from])) ++from;
  while (to > from && IsSpace(header[to - 1])) --to;
  return header.substr(from, to - from);
}

// The bearer token, else the cookie a browser got at /pair (browsers cannot
// add headers to page loads).
std::string Credential(const Exchange& ex) {
  std::string bearer = BearerCredential(ex);
  return bearer.empty() ? CookieCredential(ex) : bearer;
}

std::string CookieCredential(const Exchange& ex) {
  Poco::Net::NameValueCollection cookies;
  ex.request.getCookies(cookies);
  return cookies.get(kTokenCookie, "");
}

// Records a failed sign-in without letting the client choose what is
// written: the actor is "anonymous" (a claimed token id goes in the detail),
// the path is cut short, and each address and claimed token gets
// AuditThrottle::kPerMinute events a minute; the rest are counted.
void RecordAuthFailure(Site& site, Exchange& ex, const AuthResult& auth) {
  std::string claimed = auth.claimed_id.substr(0, 40);
  AuditThrottle::Admission admitted =
      site.throttle.Admit(ThrottledAction::kAuthFailed, ClientAddress(ex), claimed);
  if (!admitted.record) return;
  std::string detail = auth.failure;
  if (!claimed.empty()) detail = "claimed " + claimed + ": " + detail;
  if (admitted.unrecorded > 0) {
    detail += " (" + std::to_string(admitted.unrecorded) + " more not recorded)";
  }
  site.store.RecordEvent("anonymous", "auth.failed", ex.path.substr(0, 200), detail);
}

std::optional<AuthResult> CheckCredential(Site& site, Exchange& ex, const std::string& credential) {
  std::string address = ClientAddress(ex);
  if (int wait = site.throttle.GuessingRefusedFor(address); wait > 0) {
    ex.response.set("Retry-After", std::to_string(wait));
    SendProblem(
        ex, 429, "Too many failed sign-ins",
        "this address presented " + std::to_string(AuditThrottle::kGuessesPerMinute) +
            " wrong credentials within a minute; credentials are not checked for the next " +
            std::to_string(wait) + " s (Retry-After)");
    return std::nullopt;
  }
  AuthResult auth = Authenticate(site.store, credential);
  if (!auth.principal) {
    site.throttle.CountFailedGuess(address);
    RecordAuthFailure(site, ex, auth);
  }
  return auth;
}

bool IsPage(const std::string& path) { return path.compare(0, 5, "/api/") != 0; }

void Unauthorized(Exchange& ex, const std::string& detail) {
  if (IsPage(ex.path) && IsGet(ex)) {
    ex.response.set("Location", "/pair");
    return Send(ex, 303, kHtmlType, "<p>Please <a href=\"/pair\">sign in this device</a>.</p>");
  }
  ex.response.set("WWW-Authenticate", "Bearer realm=\"consentkit\"");
  SendProblem(ex, 401, "Unauthorized", detail);
}

namespace {
// A cookie rides along with any request a browser makes, whichever site
// made it; a state-changing one must show it came from our own pages.
bool IsStateChanging(const Exchange& ex) {
  const std::string& m = ex.request.getMethod();
  return m != HTTPRequest::HTTP_GET && m != HTTPRequest::HTTP_HEAD &&
         m != HTTPRequest::HTTP_OPTIONS;
}

// Written to the chain only within the throttle's limits (access.denied
// per address and per token); the refusal is answered either way.
void RecordAccessDenied(Site& site, Exchange& ex, Permission permission) {
  AuditThrottle::Admission admitted =
      site.throttle.Admit(ThrottledAction::kAccessDenied, ClientAddress(ex), ex.actor);
  if (!admitted.record) return;
  std::string detail = ToString(permission);
  if (admitted.unrecorded > 0) {
    detail += " (" + std::to_string(admitted.unrecorded) + " more not recorded)";
  }
  site.store.RecordEvent(ex.actor, "access.denied", ex.path.substr(0, 200), detail);
}
}  // namespace

// True when the caller may do `permission`; otherwise answers 401, 403 or
// 429. Bad credentials and refusals are audit events (throttled); a request
// with no credential at all is not (browsers probe pages before signing
// in), nor is a cross-site one, refused before its credential is checked.
bool Authorize(Site& site, Exchange& ex, Permission permission) {
  std::string credential = Credential(ex);
  if (credential.empty()) {
    Unauthorized(ex, "no credentials; expected Authorization: Bearer <token>");
    return false;
  }
  if (BearerCredential(ex).empty() && IsStateChanging(ex)) {
    if (std::string why = CrossSiteReason(ex); !why.empty()) {
      SendProblem(ex, 403, "Forbidden", why);
      return false;
    }
  }
  std::optional<AuthResult> auth = CheckCredential(site, ex, credential);
  if (!auth) return false;
  if (!auth->principal) {
    Unauthorized(ex, auth->failure);
    return false;
  }
  ex.actor = auth->principal->actor;
  ex.principal = auth->principal;
  if (!Allows(*auth->principal, permission)) {
    RecordAccessDenied(site, ex, permission);
    std::string who = auth->principal->is_invite()
                          ? std::string("an invite link")
                          : std::string("a ") + ToString(auth->principal->role) + " token";
    if (IsPage(ex.path) && IsGet(ex)) {
      // Who may not do what is in the access.denied event, for staff; the
      // person at the screen only needs to know to ask.
      const Catalog& text = PatientText(ex);
      SendHtml(
          ex, 403,
          RenderNoticePage(site.service.clinic(), text, text.Text("notice.not-available.title"),
                           text.Text("notice.not-available")));
      return false;
    }
    SendProblem(ex, 403, "Forbidden", who + " may not " + ToString(permission));
    return false;
  }
  return true;
}

// Reads the body unless it is over the limit; false when a problem (413,
// or 400 for a body cut short) was sent.
bool ReadBody(Exchange& ex, std::size_t limit, std::string& body) {
  Poco::Int64 declared = ex.request.getContentLength64();
  std::istream& in = ex.request.stream();
  char buffer[16384];
  while (declared < 0 || static_cast<std::size_t>(declared) <= limit) {
    in.read(buffer, sizeof buffer);
    if (in.gcount() <= 0) break;
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > limit) break;
  }
  bool within_limit =
      body.size() <= limit && (declared < 0 || static_cast<std::size_t>(declared) <= limit);
  if (within_limit && declared >= 0 && body.size() < static_cast<std::size_t>(declared)) {
    // The client went away, or a body deadline cut it off, mid-body: a
    // prefix that happens to parse must never be taken for the whole.
    ex.response.setKeepAlive(false);
    SendProblem(ex, 400, "Incomplete body",
                "the body ended after " + std::to_string(body.size()) + " of the " +
                    std::to_string(declared) + " bytes its Content-Length declares");
    return false;
  }
  if (within_limit) {
    ex.body_read = true;
    BodyRead();  // the body deadline ends here; handling has none
    return true;
  }
  // The rest of the body is not read, so this connection cannot be reused.
  ex.response.setKeepAlive(false);
  SendProblem(ex, 413, "Request body too large",
              "the body is over the limit of " + std::to_string(limit) + " bytes");
  return false;
}

bool DrainBody(Exchange& ex) {
  std::string ignored;
  return ReadBody(ex, 4096, ignored);
}

namespace {
// The scheme and authority of a URL ("https://host:port"), lower-cased;
// empty when it has none.
std::string OriginOf(const std::string& url) {
  std::size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  std::size_t end = url.find_first_of("/?#", scheme + 3);
  return Poco::toLower(url.substr(0, end));
}

std::string Quoted(const std::string& text) { return "\"" + text.substr(0, 200) + "\""; }
}  // namespace

// Each sign a browser gives must name this very host: a Referer, an Origin
// (over http or https), Fetch Metadata (same-origin, or none for what the
// user did themselves). "Origin: null" (sandboxed frames, file: pages,
// no-referrer pages, which ours are not) and a request with neither Origin
// nor Fetch Metadata are refused too: an old browser sending neither
// cannot be told apart from a forged form post.
std::string CrossSiteReason(const Exchange& ex) {
  const std::string host = Poco::toLower(ex.request.getHost());
  const std::string fetch_site = Poco::toLower(ex.request.get("Sec-Fetch-Site", ""));
  const std::string origin = ex.request.get("Origin", "");
  const std::string referer = ex.request.get("Referer", "");
  auto is_ours = [&](const std::string& o) {
    if (!ex.public_origin.empty() && o == ex.public_origin) return true;
    return !host.empty() && (o == "http://" + host || o == "https://" + host);
  };
  const char* expected = "; expected a request from this site's own pages";
  if (!referer.empty() && !is_ours(OriginOf(referer))) {
    return "this request came from another site (Referer from " + Quoted(OriginOf(referer)) + ")" +
           expected;
  }
  if (!origin.empty() && !is_ours(Poco::toLower(origin))) {
    return "this request came from another site (Origin " + Quoted(origin) + ")" + expected;
  }
  if (!fetch_site.empty() && fetch_site != "same-origin" && fetch_site != "none") {
    return "this request came from another site (Sec-Fetch-Site: " + fetch_site.substr(0, 40) +
           ")" + expected;
  }
  if (origin.empty() && fetch_site.empty()) {
    return std::string(
               "this browser request has neither Origin nor Sec-Fetch-Site, so where it "
               "came from is unknown") +
           expected;
  }
  return "";
}

bool SameOrigin(const Exchange& ex) {
  return !BearerCredential(ex).empty() || CrossSiteReason(ex).empty();
}

namespace {
std::string Trimmed(const std::string& text) {
  std::size_t from = 0, to = text.size();
  while (from < to && IsSpace(text[from])) ++from;
  while (to > from && IsSpace(text[to - 1])) --to;
  return text.substr(from, to - from);
}
}  // namespace

bool IsJsonContentType(const std::string& content_type) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  for (std::size_t semi; (semi = content_type.find(';', at)) != std::string::npos; at = semi + 1) {
    parts.push_back(Trimmed(content_type.substr(at, semi - at)));
  }
  parts.push_back(Trimmed(content_type.substr(at)));
  if (Poco::toLower(parts[0]) != "application/json") return false;
  int charsets = 0;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty()) continue;  // "application/json;"
    std::size_t equals = parts[i].find('=');
    if (equals == std::string::npos) return false;
    if (Poco::toLower(Trimmed(parts[i].substr(0, equals))) != "charset") continue;
    std::string value = Poco::toLower(Trimmed(parts[i].substr(equals + 1)));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    // Exactly UTF-8: "utf-8x" or "utf8" are other (or no) encodings.
    if (value != "utf-8" || ++charsets > 1) return false;
  }
  return true;
}

// A query parameter as a whole number within [min, max], else `fallback`.
std::int64_t QueryNumber(const Exchange& ex, const std::string& key, std::int64_t fallback,
                         std::int64_t min, std::int64_t max) {
  Poco::URI uri(ex.request.getURI());
  for (const auto& [name, value] : uri.getQueryParameters()) {
    if (name != key) continue;
    std::size_t used = 0;
    try {
      long long number = std::stoll(value, &used);
      if (used == value.size() && number >= min && number <= max) return number;
    } catch (const std::exception&) {
    }
    throw std::invalid_argument(key + "=\"" + value + "\" is not a whole number from " +
                                std::to_string(min) + " to " + std::to_string(max));
  }
  return fallback;
}

std::string QueryText(const Exchange& ex, const std::string& key) {
  for (const auto& [name, value] : Poco::URI(ex.request.getURI()).getQueryParameters()) {
    if (name == key) return value;
  }
  return "";
}

const Catalog& PatientText(const Exchange& ex) {
  return Catalog::For(
      NegotiateLanguage(ex.request.get("Accept-Language", ""), QueryText(ex, "lang")));
}

const Catalog& StaffText(const Site& site) { return Catalog::For(site.service.clinic().language); }

std::string PageLanguage(const Exchange& ex, const FormDefinition& form) {
  if (std::optional<std::string> asked = OfferedLanguage(form, QueryText(ex, "lang"))) {
    return *asked;
  }
  return PreferredLanguage(form, ex.request.get("Accept-Language", ""));
}

}  // namespace consentkit
