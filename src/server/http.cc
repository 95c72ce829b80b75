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
  r.set("Referrer-Policy", "no-referrer");
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

// The bearer token from the Authorization header, else from the cookie a
// browser got at /pair (browsers cannot add headers to page loads).
std::string Credential(const Exchange& ex) {
  const std::string& header = ex.request.get("Authorization", "");
  if (Poco::icompare(header.substr(0, 7), "bearer ") == 0) return header.substr(7);
  Poco::Net::NameValueCollection cookies;
  ex.request.getCookies(cookies);
  return cookies.get(kTokenCookie, "");
}

// Records a failed sign-in without letting the client choose what is
// written: the actor is "anonymous" (a claimed token id goes in the detail),
// the path is cut short, and each address gets kPerMinute events a minute.
void RecordAuthFailure(Site& site, Exchange& ex, const AuthResult& auth) {
  int suppressed = 0;
  if (!site.auth_failures.Admit(ex.request.clientAddress().host().toString(), suppressed)) return;
  std::string detail = auth.failure;
  if (!auth.claimed_id.empty()) detail = "claimed " + auth.claimed_id.substr(0, 40) + ": " + detail;
  if (suppressed > 0) detail += " (" + std::to_string(suppressed) + " more not recorded)";
  site.store.RecordEvent("anonymous", "auth.failed", ex.path.substr(0, 200), detail);
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

// True when the caller may do `permission`; otherwise answers 401 or 403.
// Bad credentials and refusals are audit events; a request with no
// credential at all is not (browsers probe pages before signing in).
bool Authorize(Site& site, Exchange& ex, Permission permission) {
  std::string credential = Credential(ex);
  if (credential.empty()) {
    Unauthorized(ex, "no credentials; expected Authorization: Bearer <token>");
    return false;
  }
  AuthResult auth = Authenticate(site.store, credential);
  if (!auth.principal) {
    RecordAuthFailure(site, ex, auth);
    Unauthorized(ex, auth.failure);
    return false;
  }
  ex.actor = auth.principal->actor;
  ex.principal = auth.principal;
  if (!Allows(*auth.principal, permission)) {
    site.store.RecordEvent(ex.actor, "access.denied", ex.path, ToString(permission));
    std::string who = auth.principal->is_invite()
                          ? std::string("an invite link")
                          : std::string("a ") + ToString(auth.principal->role) + " token";
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

// Reads the body unless it is over the limit; false when a 413 was sent.
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
  if (body.size() <= limit && (declared < 0 || static_cast<std::size_t>(declared) <= limit)) {
    ex.body_read = true;
    return true;
  }
  // The rest of the body is not read, so this connection cannot be reused.
  ex.response.setKeepAlive(false);
  SendProblem(ex, 413, "Request body too large",
              "the body is over the limit of " + std::to_string(limit) + " bytes");
  return false;
}

// Whether a browser sent this from one of our own pages. Browsers say so in
// Sec-Fetch-Site; our pages' no-referrer policy makes their Origin "null",
// so Origin is only judged when it names some other site.
bool DrainBody(Exchange& ex) {
  std::string ignored;
  return ReadBody(ex, 4096, ignored);
}

bool SameOrigin(const Exchange& ex) {
  std::string site = ex.request.get("Sec-Fetch-Site", "");
  if (!site.empty()) return site == "same-origin" || site == "none";
  std::string origin = ex.request.get("Origin", "");
  const std::string& host = ex.request.getHost();
  return origin.empty() || origin == "null" || origin == "http://" + host ||
         origin == "https://" + host;
}

bool IsJsonContentType(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (type != "application/json") return false;
  std::string lower = content_type;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t charset = lower.find("charset=");
  return charset == std::string::npos || lower.compare(charset + 8, 5, "utf-8") == 0 ||
         lower.compare(charset + 8, 7, "\"utf-8\"") == 0;
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
