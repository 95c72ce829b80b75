#include "server/handlers.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include <iostream>
#include <limits>
#include <sstream>
#include <vector>

#include "api/api.h"
#include "archive/archive.h"
#include "auth/auth.h"
#include "html/html.h"
#include "util/json_writer.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

constexpr char kProblemType[] = "application/problem+json";
constexpr char kJsonType[] = "application/json; charset=utf-8";
constexpr char kHtmlType[] = "text/html; charset=utf-8";
constexpr char kPdfType[] = "application/pdf";
// Pages load only our own script and styles and talk only to us.
constexpr char kPagePolicy[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

void Send(Exchange& ex, int status, const std::string& content_type, const std::string& body) {
  Poco::Net::HTTPServerResponse& r = ex.response;
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
                 const std::vector<FieldError>& fields = {}) {
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

constexpr char kTokenCookie[] = "ck_token";

// The bearer token from the Authorization header, else from the cookie a
// browser got at /pair (browsers cannot add headers to page loads).
std::string Credential(const Exchange& ex) {
  const std::string& header = ex.request.get("Authorization", "");
  if (header.compare(0, 7, "Bearer ") == 0) return header.substr(7);
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
  site.service.store().RecordEvent("anonymous", "auth.failed", ex.path.substr(0, 200), detail);
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
  AuthResult auth = Authenticate(site.service.store(), credential);
  if (!auth.token) {
    RecordAuthFailure(site, ex, auth);
    Unauthorized(ex, auth.failure);
    return false;
  }
  ex.actor = auth.token->id;
  if (!Allows(auth.token->role, permission)) {
    site.service.store().RecordEvent(ex.actor, "access.denied", ex.path, ToString(permission));
    SendProblem(
        ex, 403, "Forbidden",
        std::string("a ") + ToString(auth.token->role) + " token may not " + ToString(permission));
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
bool SameOrigin(const Exchange& ex) {
  std::string site = ex.request.get("Sec-Fetch-Site", "");
  if (!site.empty()) return site == "same-origin" || site == "none";
  std::string origin = ex.request.get("Origin", "");
  const std::string& host = ex.request.getHost();
  return origin.empty() || origin == "null" || origin == "http://" + host ||
         origin == "https://" + host;
}

// GET /pair: the sign-in page. POST /pair: check the pasted token and keep
// it in an HttpOnly cookie for this browser.
void Pair(Site& site, Exchange& ex) {
  const ClinicSettings& clinic = site.service.clinic();
  if (IsGet(ex)) return SendHtml(ex, 200, RenderPairPage(clinic, ""));
  if (ex.request.getMethod() != HTTPRequest::HTTP_POST) return MethodNotAllowed(ex, "GET, POST");
  // Only this page may sign a browser in: another site must not be able to
  // switch a clinic tablet to a token of its choosing.
  if (!SameOrigin(ex))
    return SendHtml(ex, 403, RenderPairPage(clinic, "Sign in from this page only."));
  std::string body;
  if (ex.request.getContentType().rfind("application/x-www-form-urlencoded", 0) != 0 ||
      ex.request.getContentLength64() > 4096) {
    ex.response.setKeepAlive(false);
    return SendHtml(ex, 400, RenderPairPage(clinic, "That was not a sign-in form."));
  }
  if (!ReadBody(ex, 4096, body)) return;
  Poco::Net::HTMLForm form;
  form.setFieldLimit(4);
  try {
    std::istringstream in(body);
    form.load(ex.request, in);
  } catch (const Poco::Exception&) {
    return SendHtml(ex, 400, RenderPairPage(clinic, "That was not a sign-in form."));
  }
  std::string token = form.get("token", "");
  AuthResult auth = Authenticate(site.service.store(), token);
  if (!auth.token) {
    RecordAuthFailure(site, ex, auth);
    return SendHtml(ex, 401, RenderPairPage(clinic, "That token is not valid: " + auth.failure));
  }
  ex.actor = auth.token->id;
  ex.response.set("Set-Cookie", std::string(kTokenCookie) + "=" + token +
                                    "; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000");
  ex.response.set("Location", "/");
  Send(ex, 303, kHtmlType, "<p>Signed in. <a href=\"/\">Continue</a>.</p>");
}

void ServeAsset(Exchange& ex) {
  const Asset* asset = FindAsset(ex.path);
  if (!asset) return NotFound(ex);
  if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
  ex.response.set("Cache-Control", "public, max-age=300");
  Send(ex, 200, std::string(asset->content_type), std::string(asset->body));
}

// GET /forms/{id} and /forms/{id}.pdf
void ServeFormPage(Site& site, Exchange& ex, const std::string& name) {
  bool pdf = EndsWith(name, ".pdf");
  std::string id = pdf ? name.substr(0, name.size() - 4) : name;
  auto& pages = pdf ? site.blank_pdf : site.form_html;
  auto found = pages.find(id);
  if (found == pages.end()) return SendProblem(ex, 404, "Unknown form", "no form \"" + id + "\"");
  if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
  if (!Authorize(site, ex, Permission::kLoadForms)) return;
  if (pdf) return ServePdf(ex, found->second, id + ".pdf");
  SendHtml(ex, 200, found->second);
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

void SendSubmitResult(Exchange& ex, const SubmitResult& result) {
  switch (result.status) {
    case SubmitStatus::kStored:
      ex.response.set("Location", "/api/v1/submissions/" + result.record.id);
      return Send(ex, 201, kJsonType, ReceiptJson(result.record));
    case SubmitStatus::kDuplicate:
      return Send(ex, 200, kJsonType, ReceiptJson(result.record));
    case SubmitStatus::kConflict:
      return SendProblem(ex, 409, "Submission id already used", result.detail,
                         {{"id", result.detail}});
    case SubmitStatus::kUnknownForm:
      return SendProblem(ex, 404, "Unknown form", result.detail);
    case SubmitStatus::kMalformed:
      return SendProblem(ex, 400, "Malformed JSON", result.detail);
    case SubmitStatus::kInvalid:
      break;
  }
  std::size_t n = result.errors.size();
  SendProblem(ex, 422, "Submission is not valid",
              std::to_string(n) + (n == 1 ? " field is" : " fields are") + " not valid",
              result.errors);
}

// POST /api/v1/forms/{id}/submissions
void Submit(Site& site, Exchange& ex, const std::string& form_id) {
  if (!site.service.FindForm(form_id)) {
    return SendProblem(ex, 404, "Unknown form", "no form \"" + form_id + "\"");
  }
  if (ex.request.getMethod() != HTTPRequest::HTTP_POST) return MethodNotAllowed(ex, "POST");
  if (!Authorize(site, ex, Permission::kSubmit)) return;
  if (!IsJsonContentType(ex.request.getContentType())) {
    return SendProblem(
        ex, 415, "Unsupported media type",
        "the body is \"" + ex.request.getContentType() + "\"; expected application/json (UTF-8)");
  }
  std::string body;
  if (!ReadBody(ex, site.settings.max_body_bytes, body)) return;
  SendSubmitResult(ex, site.service.Submit(ex.actor, form_id, body));
}

// GET /api/v1/submissions/{id} and /api/v1/submissions/{id}.pdf
void ServeSubmission(Site& site, Exchange& ex, const std::string& name) {
  bool pdf = EndsWith(name, ".pdf");
  std::string id = pdf ? name.substr(0, name.size() - 4) : name;
  if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
  // Shape first: a malformed id is answered without touching the store.
  if (!IsUuid(id)) {
    return SendProblem(ex, 404, "Unknown submission", "no submission \"" + id.substr(0, 64) + "\"");
  }
  if (!Authorize(site, ex, Permission::kReadSubmissions)) return;
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Store& store = site.service.store();
  if (pdf) {
    auto bytes = store.FindPdf(id);
    if (!bytes) return SendProblem(ex, 404, "Unknown submission", "no submission " + id);
    // Every read of a PDF is on record; a HEAD sends no PDF, so reads none.
    if (ex.request.getMethod() != HTTPRequest::HTTP_HEAD)
      store.RecordEvent(ex.actor, "pdf.read", id);
    return ServePdf(ex, *bytes, id + ".pdf");
  }
  auto record = store.Find(id);
  if (!record) return SendProblem(ex, 404, "Unknown submission", "no submission " + id);
  if (ex.request.getMethod() != HTTPRequest::HTTP_HEAD) {
    store.RecordEvent(ex.actor, "submission.read", id);
  }
  Send(ex, 200, kJsonType, SubmissionRecordJson(*record));
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

// GET /api/v1/audit?after=SEQ&limit=N: events after SEQ, oldest first.
void ServeAudit(Site& site, Exchange& ex) {
  if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
  if (!Authorize(site, ex, Permission::kReadAudit)) return;
  std::int64_t after = 0, limit = 0;
  try {
    after = QueryNumber(ex, "after", 0, 0, std::numeric_limits<std::int64_t>::max() - 1000);
    limit = QueryNumber(ex, "limit", 100, 1, 1000);
  } catch (const std::invalid_argument& e) {
    return SendProblem(ex, 400, "Bad query", e.what());
  }
  Store& store = site.service.store();
  store.RecordEvent(ex.actor, "audit.read", "", "after=" + std::to_string(after));
  JsonWriter w;
  w.BeginObject().Key("events").BeginArray();
  store.ForEachAuditEvent(after + 1, after + limit, [&w](const AuditEvent& e) {
    w.BeginObject().Key("seq").Int(e.seq).Field("at", e.at).Field("actor", e.actor);
    w.Field("action", e.action).Field("object", e.object).Field("detail", e.detail);
    w.Field("prev_hash", e.prev_hash).Field("hash", e.hash).EndObject();
  });
  w.EndArray().Key("last_seq").Int(store.LastAuditSeq()).EndObject();
  Send(ex, 200, kJsonType, w.str());
}

std::string QueryText(const Exchange& ex, const std::string& key) {
  for (const auto& [name, value] : Poco::URI(ex.request.getURI()).getQueryParameters()) {
    if (name == key) return value;
  }
  return "";
}

// GET /api/v1/archive?from=…&to=…: a zip streamed as it is made (chunked),
// so a year of records needs no more memory than one.
void ServeArchive(Site& site, Exchange& ex) {
  if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
  if (!Authorize(site, ex, Permission::kExport)) return;
  ExportRequest request;
  for (auto [key, bound] : {std::pair{"from", &request.from}, std::pair{"to", &request.to}}) {
    std::string text = QueryText(ex, key);
    std::optional<std::string> normal = NormalizeTimeBound(text);
    if (!text.empty() && !normal) {
      return SendProblem(ex, 400, "Bad query",
                         std::string(key) + "=\"" + text +
                             "\" is not a date; expected YYYY-MM-DD or 2026-11-23T10:15:02Z");
    }
    *bound = normal.value_or("");
  }
  if (!request.from.empty() && !request.to.empty() && request.from >= request.to) {
    return SendProblem(ex, 400, "Bad query",
                       "from=" + request.from + " is not before to=" + request.to);
  }
  const SigningIdentity* seal = site.service.seal();
  if (!seal) {
    return SendProblem(ex, 503, "No sealing certificate",
                       "this server does not seal PDFs, so it cannot make a verifiable archive");
  }
  request.certificate_pem = seal->certificate_pem();
  request.clinic_name = site.service.clinic().name;
  request.exported_at = UtcNow();
  request.actor = ex.actor;
  HTTPResponse& r = ex.response;
  r.setStatusAndReason(HTTPResponse::HTTP_OK);
  r.setContentType("application/zip");
  r.setChunkedTransferEncoding(true);
  r.set("Content-Disposition", "attachment; filename=\"consentkit-archive.zip\"");
  r.set("Cache-Control", "no-store");
  r.set("X-Content-Type-Options", "nosniff");
  ex.status = 200;
  if (ex.request.getMethod() == HTTPRequest::HTTP_HEAD) {
    ex.response.send();  // headers only: no archive is made, so none is recorded
    return;
  }
  ExportSummary summary = ExportArchive(site.service.store(), request, ex.response.send());
  RecordExport(site.service.store(), request, summary);
}

void ServeApi(Site& site, Exchange& ex) {
  const std::string& path = ex.path;
  std::string name;
  if (path == "/api/v1/forms") {
    if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
    if (!Authorize(site, ex, Permission::kLoadForms)) return;
    return Send(ex, 200, kJsonType, DescribeFormsJson(site.service.forms()));
  }
  if (Segment(path, "/api/v1/forms/", "/submissions", name)) return Submit(site, ex, name);
  if (Segment(path, "/api/v1/forms/", "", name)) {
    const FormDefinition* form = site.service.FindForm(name);
    if (!form) return SendProblem(ex, 404, "Unknown form", "no form \"" + name + "\"");
    if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
    if (!Authorize(site, ex, Permission::kLoadForms)) return;
    return Send(ex, 200, kJsonType, DescribeFormJson(*form));
  }
  if (Segment(path, "/api/v1/submissions/", "", name)) return ServeSubmission(site, ex, name);
  if (path == "/api/v1/audit") return ServeAudit(site, ex);
  if (path == "/api/v1/archive") return ServeArchive(site, ex);
  NotFound(ex);
}

void Route(Site& site, Exchange& ex) {
  const std::string& path = ex.path;
  std::string name;
  if (path.compare(0, 5, "/api/") == 0) return ServeApi(site, ex);
  if (path == "/healthz") {
    if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
    return Send(ex, 200, kJsonType, "{\"status\":\"ok\"}");
  }
  if (path == "/") {
    if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
    if (!Authorize(site, ex, Permission::kLoadForms)) return;
    return SendHtml(ex, 200, site.index_html);
  }
  if (path == "/pair") return Pair(site, ex);
  if (path.compare(0, 8, "/assets/") == 0) return ServeAsset(ex);
  if (Segment(path, "/forms/", "", name)) return ServeFormPage(site, ex, name);
  NotFound(ex);
}

}  // namespace

bool FailureLimiter::Admit(const std::string& address, int& suppressed) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  if (windows_.size() >= kMaxAddresses && !windows_.count(address)) windows_.clear();
  Window& w = windows_[address];
  if (now - w.start >= std::chrono::minutes(1)) {
    suppressed = w.suppressed;
    w = Window{now, 0, 0};
  }
  if (w.recorded >= kPerMinute) {
    ++w.suppressed;
    return false;
  }
  ++w.recorded;
  return true;
}

void HandleRequest(Site& site, Exchange& ex) {
  try {
    try {
      Poco::URI uri(ex.request.getURI());
      ex.path = uri.getPath();
      uri.getQueryParameters();  // a bad %-escape in the query is the client's error too
    } catch (const Poco::Exception&) {
      ex.path = "(malformed)";
      return SendProblem(ex, 400, "Malformed request", "the request target is not a valid URI");
    }
    Route(site, ex);
  } catch (const std::exception& e) {
    // Only the server's own failures get here (a full disk, a broken
    // database); the message names no patient data.
    std::cerr << "consentkit serve: " << ex.request.getMethod() << " " << ex.path << ": "
              << e.what() << "\n";
    if (!ex.response.sent()) {
      SendProblem(ex, 500, "Internal error",
                  "the server could not complete this request; nothing was stored");
    }
  }
}

}  // namespace consentkit
