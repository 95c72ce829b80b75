#include "server/handlers.h"

#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>
#include <Poco/URI.h>

#include <iostream>
#include <limits>
#include <sstream>
#include <vector>

#include "api/api.h"
#include "archive/archive.h"
#include "auth/auth.h"
#include "html/html.h"
#include "html/staff.h"
#include "server/http.h"
#include "server/pages.h"
#include "store/store.h"
#include "util/json_writer.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Poco::Net::HTTPRequest;
using Poco::Net::HTTPResponse;

// GET /pair: the sign-in page. POST /pair: check the pasted token and keep
// it in an HttpOnly cookie for this browser.
void Pair(Site& site, Exchange& ex) {
  const ClinicSettings& clinic = site.service.clinic();
  const Catalog& text = StaffText(site);
  auto page = [&](int status, const char* error_key) {
    SendHtml(ex, status, RenderPairPage(clinic, text, error_key ? text.Text(error_key) : ""));
  };
  if (IsGet(ex)) return page(200, nullptr);
  if (ex.request.getMethod() != HTTPRequest::HTTP_POST) return MethodNotAllowed(ex, "GET, POST");
  // Only this page may sign a browser in: another site must not be able to
  // switch a clinic tablet to a token of its choosing.
  // A sign-in never comes from a script, so an Authorization header does
  // not excuse it (CrossSiteReason, not SameOrigin).
  if (!CrossSiteReason(ex).empty()) return page(403, "pair.error.cross-site");
  std::string body;
  if (ex.request.getContentType().rfind("application/x-www-form-urlencoded", 0) != 0 ||
      ex.request.getContentLength64() > 4096) {
    ex.response.setKeepAlive(false);
    return page(400, "pair.error.not-a-form");
  }
  if (!ReadBody(ex, 4096, body)) return;
  Poco::Net::HTMLForm form;
  form.setFieldLimit(4);
  try {
    std::istringstream in(body);
    form.load(ex.request, in);
  } catch (const Poco::Exception&) {
    return page(400, "pair.error.not-a-form");
  }
  std::string token = form.get("token", "");
  std::optional<AuthResult> auth = CheckCredential(site, ex, token);
  if (!auth) return;  // 429: this address guessed too often
  // Why it failed (unknown, revoked, …) is in the auth.failed event.
  if (!auth->principal) return page(401, "pair.error.invalid");
  if (auth->principal->is_invite()) return page(401, "pair.error.invite");
  ex.actor = auth->principal->actor;
  ex.response.set("Set-Cookie", std::string(kTokenCookie) + "=" + token +
                                    "; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000");
  // A paired tablet waits for its next patient; staff go to their desk.
  Role role = auth->principal->role;
  ex.response.set("Location", role == Role::kTablet ? "/kiosk" : "/staff");
  Send(ex, 303, kHtmlType,
       "<p>" + HtmlEscape(text.Text("pair.signed-in")) + " <a href=\"/\">" +
           HtmlEscape(text.Text("pair.continue")) + "</a></p>");
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
  // The page is in the patient's language (?lang=, Accept-Language): the
  // form's own is rendered once at start; another is rendered per request.
  ex.response.set("Vary", "Accept-Language");
  const FormDefinition& form = *site.service.FindForm(id);
  std::string language = PageLanguage(ex, form);
  if (language == form.lang) return SendHtml(ex, 200, found->second);
  SendHtml(ex, 200, RenderFormPage(form, site.service.clinic(), language));
}

// Patients (a tablet token, a kiosk, an invite) get a receipt without
// outcome, reasons or a link they could not follow.
ReceiptAudience AudienceOf(const Exchange& ex) {
  const Principal& p = *ex.principal;
  return p.is_invite() || p.role == Role::kTablet ? ReceiptAudience::kPatient
                                                  : ReceiptAudience::kStaff;
}

void SendSubmitResult(Exchange& ex, const SubmitResult& result) {
  switch (result.status) {
    case SubmitStatus::kStored:
      ex.response.set("Location", "/api/v1/submissions/" + result.record.id);
      return Send(ex, 201, kJsonType, ReceiptJson(result.record, AudienceOf(ex)));
    case SubmitStatus::kDuplicate:
      return Send(ex, 200, kJsonType, ReceiptJson(result.record, AudienceOf(ex)));
    case SubmitStatus::kConflict:
      return SendProblem(
          ex, 409, "Submission id already used", result.detail,
          result.errors.empty() ? std::vector<FieldError>{{"id", result.detail}} : result.errors);
    case SubmitStatus::kAlreadyFilled:
      return SendProblem(ex, 409, "Form already filled for this visit", result.detail,
                         result.errors);
    case SubmitStatus::kForbidden:
      return SendProblem(ex, 403, "Forbidden", result.detail, result.errors);
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

// An invite fills only its visit; a kiosk only the visit handed to it (or
// standalone forms); staff may name any visit.
SubmitScope ScopeOf(Site& site, const Exchange& ex) {
  const Principal& p = *ex.principal;
  SubmitScope scope;
  if (p.is_invite()) {
    scope.visit_id = p.visit_id;
    scope.visit_required = true;
    scope.clinic_device = false;
  } else if (p.role == Role::kTablet) {
    scope.visit_id = site.store.FindHandoff(p.actor).value_or("");
  }
  return scope;
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
  // A browser's cookie must not let another site submit in its name.
  if (!SameOrigin(ex))
    return SendProblem(ex, 403, "Forbidden", "this request came from another site");
  std::string body;
  if (!ReadBody(ex, site.settings.max_body_bytes, body)) return;
  SendSubmitResult(ex, site.service.Submit(ex.actor, form_id, body, ScopeOf(site, ex)));
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
  Store& store = site.store;
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
  Store& store = site.store;
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

// GET /api/v1/archive?from=…&to=…: a zip streamed as it is made (chunked),
// so a year of records needs no more memory than one. The export is
// recorded before the first byte goes out (archive.exported, state=started),
// so a download the client breaks off once it has the PDFs it wanted still
// leaves its trace, and again once the zip is whole (archive.completed).
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
  request.signer = seal;
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
  RecordExportStarted(site.store, request);
  ExportSummary summary = ExportArchive(site.store, request, ex.response.send());
  RecordExport(site.store, request, summary);
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
  if (ServeVisitApi(site, ex)) return;
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
  if (path == "/pair") return Pair(site, ex);
  if (path.compare(0, 8, "/assets/") == 0) return ServeAsset(ex);
  if (Segment(path, "/forms/", "", name)) return ServeFormPage(site, ex, name);
  if (ServeVisitPdf(site, ex)) return;
  if (RoutePage(site, ex)) return;
  NotFound(ex);
}

// "/i/cki_<id>.<secret>" → path "/i/inv_<id>", credential kept apart. A
// path with more after the credential is no invite link: it is refused as
// unknown, and its secret is not kept either.
void TakeInviteCredential(Exchange& ex) {
  std::string rest = ex.path.substr(3);
  std::size_t slash = rest.find('/');
  std::size_t dot = rest.find('.');
  std::string id = IsInviteCredential(rest) && dot != std::string::npos && dot <= 40
                       ? "inv_" + rest.substr(4, dot - 4)
                       : "(not an invite)";
  if (slash == std::string::npos) ex.invite_credential = rest.empty() ? "-" : rest;
  ex.path = "/i/" + (slash == std::string::npos ? id : id + "/(more)");
}

}  // namespace

void HandleRequest(Site& site, Exchange& ex) {
  ex.public_origin = Poco::toLower(site.settings.public_url);
  try {
    try {
      Poco::URI uri(ex.request.getURI());
      ex.path = uri.getPath();
      // An invite link's path is its secret: it never reaches a log or an
      // echoed message, whatever route it falls to.
      if (ex.path.compare(0, 3, "/i/") == 0) TakeInviteCredential(ex);
      uri.getQueryParameters();  // a bad %-escape in the query is the client's error too
    } catch (const Poco::Exception&) {
      ex.path = "(malformed)";
      return SendProblem(ex, 400, "Malformed request", "the request target is not a valid URI");
    }
    Route(site, ex);
  } catch (const StoreUnavailable& e) {
    // The database file was removed or replaced under the server: nothing
    // was stored, and nothing will be until a restart.
    std::cerr << "consentkit serve: " << ex.request.getMethod() << " " << ex.path << ": "
              << e.what() << "\n";
    // The log has the path; a client learns only what happened.
    if (!ex.response.sent()) {
      SendProblem(ex, 503, "Storage unavailable",
                  "the database was removed or replaced while the server was using it; nothing "
                  "more is stored until it is restarted with the database back in place");
    }
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
