// The clinic's day over JSON: visits, listings, practitioner review,
// invite links and kiosk hand-offs. Pages for the same live in pages.cc.
#include "service/visits.h"

#include <Poco/Net/HTTPRequest.h>
#include <qrencode.h>

#include <algorithm>
#include <map>
#include <memory>

#include "api/api.h"
#include "archive/archive.h"
#include "pdf/pdf.h"
#include "seal/seal.h"
#include "server/http.h"
#include "util/json_writer.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Poco::Net::HTTPRequest;

bool IsPost(const Exchange& ex) { return ex.request.getMethod() == HTTPRequest::HTTP_POST; }

// A JSON body from a script or a page of ours: cookie-authenticated
// requests from other sites are refused before anything is read.
bool ReadJsonBody(Site& site, Exchange& ex, std::string& body) {
  if (!SameOrigin(ex)) {
    SendProblem(ex, 403, "Forbidden", "this request came from another site");
    return false;
  }
  if (!IsJsonContentType(ex.request.getContentType())) {
    SendProblem(
        ex, 415, "Unsupported media type",
        "the body is \"" + ex.request.getContentType() + "\"; expected application/json (UTF-8)");
    return false;
  }
  return ReadBody(ex, site.settings.max_body_bytes, body);
}

void SendInvalid(Exchange& ex, const std::vector<FieldError>& errors) {
  std::size_t n = errors.size();
  SendProblem(ex, 422, "Request is not valid",
              std::to_string(n) + (n == 1 ? " field is" : " fields are") + " not valid", errors);
}

void WritePatient(JsonWriter& w, const Patient& p) {
  w.Key("patient").BeginObject().Field("name", p.name).Field("date_of_birth", p.date_of_birth);
  w.Field("number", p.number).EndObject();
}

void WriteStaffReceipt(JsonWriter& w, const SubmissionRecord& r) {
  w.Raw(ReceiptJson(r, ReceiptAudience::kStaff));
}

// {"unlocked": false} or {"unlocked": true, "unlocked_by", "unlocked_by_name", "unlocked_at"}.
void WriteWitnessStep(JsonWriter& w, const std::optional<WitnessUnlock>& unlock) {
  w.BeginObject().Key("unlocked").Bool(unlock.has_value());
  if (unlock) {
    w.Field("unlocked_by", unlock->unlocked_by).Field("unlocked_by_name", unlock->unlocked_by_name);
    w.Field("unlocked_at", unlock->unlocked_at);
  }
  w.EndObject();
}

std::string VisitJson(const VisitStatus& status) {
  JsonWriter w;
  const Visit& v = status.visit;
  w.BeginObject().Field("id", v.id).Field("created_at", v.created_at);
  w.Field("created_by", v.created_by);
  WritePatient(w, v.patient);
  w.Key("forms").BeginArray();
  for (const VisitForm& f : status.forms) {
    w.BeginObject().Field("form", f.form_id).Field("title", f.form ? f.form->title : f.form_id);
    w.Field("state", ToString(f.state)).Key("submission");
    if (f.submission) {
      WriteStaffReceipt(w, *f.submission);
    } else {
      w.Null();
    }
    w.Key("witness");
    if (f.HasWitnessStep()) {
      WriteWitnessStep(w, f.witness);
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray().Key("done").Bool(status.Done()).EndObject();
  return w.str();
}

void SendCreated(Exchange& ex, const std::string& location, const std::string& json) {
  ex.response.set("Location", location);
  Send(ex, 201, kJsonType, json);
}

// POST /api/v1/visits
void CreateVisitHandler(Site& site, Exchange& ex) {
  if (!Authorize(site, ex, Permission::kManageVisits)) return;
  std::string body;
  if (!ReadJsonBody(site, ex, body)) return;
  ParsedVisitRequest parsed;
  try {
    parsed = ParseVisitRequest(body);
  } catch (const JsonSyntaxError& e) {
    return SendProblem(ex, 400, "Malformed JSON", e.what());
  }
  if (!parsed.errors.empty()) return SendInvalid(ex, parsed.errors);
  CreateVisitResult made =
      CreateVisit(site.store, site.service, {parsed.patient, parsed.form_ids}, ex.actor);
  if (!made.errors.empty()) return SendInvalid(ex, made.errors);
  SendCreated(ex, "/api/v1/visits/" + made.visit.id,
              VisitJson(StatusOf(site.store, site.service, made.visit)));
}

// A day ("date=YYYY-MM-DD") or from/to bounds; false when a 400 was sent.
bool ReadTimeRange(Exchange& ex, std::string& from, std::string& to) {
  std::string date = QueryText(ex, "date");
  if (!date.empty()) {
    std::optional<std::string> day = NormalizeTimeBound(date);
    if (!day || date.size() != 10) {
      SendProblem(ex, 400, "Bad query", "date=\"" + date.substr(0, 40) + "\" is not YYYY-MM-DD");
      return false;
    }
    from = LocalDayStartUtc(date);
    to = LocalDayStartUtc(NextDay(date));
    return true;
  }
  for (auto [key, bound] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    std::string text = QueryText(ex, key);
    std::optional<std::string> normal = NormalizeTimeBound(text);
    if (!text.empty() && !normal) {
      SendProblem(ex, 400, "Bad query",
                  std::string(key) + "=\"" + text.substr(0, 40) +
                      "\" is not a date; expected YYYY-MM-DD or 2026-11-23T10:15:02Z");
      return false;
    }
    *bound = normal.value_or("");
  }
  return true;
}

int ReadLimit(Exchange& ex) { return static_cast<int>(QueryNumber(ex, "limit", 50, 1, 200)); }

void WriteNext(JsonWriter& w, const std::string& next) {
  w.Key("next");
  if (next.empty()) {
    w.Null();
  } else {
    w.String(next);
  }
}

// GET /api/v1/visits
void ListVisitsHandler(Site& site, Exchange& ex) {
  if (!Authorize(site, ex, Permission::kReadSubmissions)) return;
  VisitQuery query;
  if (!ReadTimeRange(ex, query.from, query.to)) return;
  query.patient = QueryText(ex, "q");
  query.after = QueryText(ex, "after");
  query.limit = ReadLimit(ex);
  Page<Visit> page = site.store.ListVisits(query);
  site.store.RecordEvent(ex.actor, "visits.listed", "",
                         "count=" + std::to_string(page.items.size()));
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (Visit& visit : page.items)
    w.Raw(VisitJson(StatusOf(site.store, site.service, std::move(visit))));
  w.EndArray();
  WriteNext(w, page.next);
  w.EndObject();
  Send(ex, 200, kJsonType, w.str());
}

// Reads the listing filters; false when a 400 was sent.
bool ReadSubmissionQuery(Exchange& ex, SubmissionQuery& query) {
  if (!ReadTimeRange(ex, query.from, query.to)) return false;
  query.form_id = QueryText(ex, "form");
  query.visit_id = QueryText(ex, "visit");
  query.patient = QueryText(ex, "q");
  query.after = QueryText(ex, "after");
  query.limit = ReadLimit(ex);
  std::string outcome = QueryText(ex, "outcome");
  if (!outcome.empty() && !(query.outcome = ParseOutcome(outcome))) {
    SendProblem(ex, 400, "Bad query",
                "outcome=\"" + outcome.substr(0, 40) +
                    "\"; expected suitable, practitioner-review or defer");
    return false;
  }
  std::string review = QueryText(ex, "review");
  if (std::optional<bool> reviewed = ParseReviewFilter(review)) {
    query.reviewed = reviewed;
  } else if (!review.empty()) {
    SendProblem(ex, 400, "Bad query",
                "review=\"" + review.substr(0, 40) + "\"; expected pending or done");
    return false;
  }
  return true;
}

// GET /api/v1/submissions
void ListSubmissionsHandler(Site& site, Exchange& ex) {
  if (!Authorize(site, ex, Permission::kReadSubmissions)) return;
  SubmissionQuery query;
  if (!ReadSubmissionQuery(ex, query)) return;
  Store& store = site.store;
  Page<SubmissionRecord> page = store.ListSubmissions(query);
  store.RecordEvent(ex.actor, "submissions.listed", "",
                    "count=" + std::to_string(page.items.size()));
  std::map<std::string, std::optional<Visit>> visits;
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const SubmissionRecord& r : page.items) {
    w.BeginObject().Key("receipt");
    WriteStaffReceipt(w, r);
    w.Key("form").BeginObject().Field("id", r.form_id).Field("version", r.form_version).EndObject();
    if (!r.visit_id.empty() && !visits.count(r.visit_id))
      visits[r.visit_id] = store.FindVisit(r.visit_id);
    const std::optional<Visit>* visit = r.visit_id.empty() ? nullptr : &visits[r.visit_id];
    if (visit && *visit) {
      WritePatient(w, (*visit)->patient);
    } else {
      w.Key("patient").Null();
    }
    w.EndObject();
  }
  w.EndArray();
  WriteNext(w, page.next);
  w.EndObject();
  Send(ex, 200, kJsonType, w.str());
}

// GET /api/v1/visits/{id}
void ServeVisit(Site& site, Exchange& ex, const std::string& id) {
  if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
  if (!Authorize(site, ex, Permission::kReadSubmissions)) return;
  std::optional<VisitStatus> status = FindVisitStatus(site.store, site.service, id);
  if (!status) return SendProblem(ex, 404, "Unknown visit", "no visit " + id.substr(0, 40));
  site.store.RecordEvent(ex.actor, "visit.read", id);
  Send(ex, 200, kJsonType, VisitJson(*status));
}

std::string QrSvg(const std::string& text) {
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
  if (!code) throw std::runtime_error("cannot make a QR code for an invite link");
  int n = code->width, quiet = 4, size = n + 2 * quiet;
  std::string path;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      if (code->data[y * n + x] & 1) {
        path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
      }
    }
  }
  std::string box = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + box + " " + box +
         "\" role=\"img\" aria-label=\"QR code of the invite link\" shape-rendering=\"crispEdges\">"
         "<rect width=\"" +
         box + "\" height=\"" + box + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path +
         "\"/></svg>";
}

std::string InviteJson(const Invite& invite) {
  const char* state = ToString(invite.StateAt(UtcNow()));
  JsonWriter w;
  w.BeginObject().Field("id", invite.id).Field("visit", invite.visit_id);
  w.Field("created_at", invite.created_at).Field("expires_at", invite.expires_at);
  w.Field("revoked_at", invite.revoked_at).Field("state", state).EndObject();
  return w.str();
}

// The link a patient opens: this server as the staff member reached it.
// Under [server] public-url when set: the desk may be reached by another
// name (localhost, a back-office address) than patients' phones can use.
std::string InviteUrl(const Site& site, const Exchange& ex, const std::string& secret) {
  if (!site.settings.public_url.empty()) return site.settings.public_url + "/i/" + secret;
  bool tls = ex.request.secure();
  return std::string(tls ? "https://" : "http://") + ex.request.getHost() + "/i/" + secret;
}

// POST (make one) and GET (list) /api/v1/visits/{id}/invites
void VisitInvites(Site& site, Exchange& ex, const std::string& visit_id) {
  if (!IsPost(ex) && !IsGet(ex)) return MethodNotAllowed(ex, "GET, POST");
  if (!Authorize(site, ex, Permission::kManageVisits)) return;
  Store& store = site.store;
  if (!store.FindVisit(visit_id))
    return SendProblem(ex, 404, "Unknown visit", "no visit " + visit_id.substr(0, 40));
  if (IsGet(ex)) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const Invite& invite : store.InvitesOfVisit(visit_id)) w.Raw(InviteJson(invite));
    w.EndArray().EndObject();
    return Send(ex, 200, kJsonType, w.str());
  }
  std::string body;
  if (!ReadJsonBody(site, ex, body)) return;
  NewInvite made = MakeInvite(visit_id, site.settings.invite_hours, ex.actor);
  store.AddInvite(made.invite, ex.actor);
  std::string url = InviteUrl(site, ex, made.secret);
  JsonWriter w;
  w.BeginObject().Field("id", made.invite.id).Field("url", url);
  w.Field("expires_at", made.invite.expires_at).Field("qr_svg", QrSvg(url)).EndObject();
  SendCreated(ex, "/api/v1/visits/" + visit_id + "/invites", w.str());
}

// POST /api/v1/invites/{id}/revoke
void RevokeInviteHandler(Site& site, Exchange& ex, const std::string& invite_id) {
  if (!IsPost(ex)) return MethodNotAllowed(ex, "POST");
  if (!Authorize(site, ex, Permission::kManageVisits)) return;
  if (!SameOrigin(ex))
    return SendProblem(ex, 403, "Forbidden", "this request came from another site");
  if (!DrainBody(ex)) return;
  Store& store = site.store;
  if (!store.FindInvite(invite_id))
    return SendProblem(ex, 404, "Unknown invite", "no invite " + invite_id.substr(0, 40));
  store.RevokeInvite(invite_id, ex.actor);
  Send(ex, 200, kJsonType, InviteJson(*store.FindInvite(invite_id)));
}

// GET /api/v1/tablets: the paired tablets staff can hand a visit to.
void ListTablets(Site& site, Exchange& ex) {
  if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
  if (!Authorize(site, ex, Permission::kManageVisits)) return;
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const PairedTablet& t : PairedTablets(site.store)) {
    w.BeginObject().Field("id", t.token.id).Field("name", t.token.name).Key("visit");
    if (t.visit_id) {
      w.String(*t.visit_id);
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  Send(ex, 200, kJsonType, w.str());
}

// POST /api/v1/visits/{id}/handoff {"tablet": "tok_…"}
void Handoff(Site& site, Exchange& ex, const std::string& visit_id) {
  if (!IsPost(ex)) return MethodNotAllowed(ex, "POST");
  if (!Authorize(site, ex, Permission::kManageVisits)) return;
  std::string body;
  if (!ReadJsonBody(site, ex, body)) return;
  std::string tablet;
  try {
    tablet = ParseStringMember(body, "tablet").value_or("");
  } catch (const JsonSyntaxError& e) {
    return SendProblem(ex, 400, "Malformed JSON", e.what());
  }
  Store& store = site.store;
  if (!store.FindVisit(visit_id))
    return SendProblem(ex, 404, "Unknown visit", "no visit " + visit_id.substr(0, 40));
  std::optional<Token> token = tablet.empty() ? std::nullopt : store.FindToken(tablet);
  if (!token || token->role != Role::kTablet || !token->revoked_at.empty()) {
    return SendInvalid(ex,
                       {{"tablet", "is not a paired tablet; expected the id of a tablet token"}});
  }
  store.SetHandoff(token->id, visit_id, ex.actor);
  JsonWriter w;
  w.BeginObject().Field("tablet", token->id).Field("visit", visit_id).EndObject();
  Send(ex, 200, kJsonType, w.str());
}

// POST /api/v1/visits/{id}/witness {"form": "…"} unlocks that form's
// witness step; …/witness/lock locks it again.
void WitnessStepHandler(Site& site, Exchange& ex, const std::string& visit_id, bool unlock) {
  if (!IsPost(ex)) return MethodNotAllowed(ex, "POST");
  if (!Authorize(site, ex, Permission::kManageVisits)) return;
  std::string body;
  if (!ReadJsonBody(site, ex, body)) return;
  std::string form;
  try {
    form = ParseStringMember(body, "form").value_or("");
  } catch (const JsonSyntaxError& e) {
    return SendProblem(ex, 400, "Malformed JSON", e.what());
  }
  if (form.empty()) return SendInvalid(ex, {{"form", "is required; expected a form id"}});
  WitnessStepResult result = SetWitnessStep(site.store, site.service, {visit_id, form, unlock},
                                            ex.actor, ex.principal->name);
  switch (result.status) {
    case WitnessStepStatus::kNoVisit:
      return SendProblem(ex, 404, "Unknown visit", "no visit " + visit_id.substr(0, 40));
    case WitnessStepStatus::kInvalid:
      return SendInvalid(ex, {result.error});
    case WitnessStepStatus::kAlreadyFilled:
      return SendProblem(ex, 409, "Form already filled for this visit", result.error.message,
                         {result.error});
    case WitnessStepStatus::kDone:
      break;
  }
  JsonWriter w;
  w.BeginObject().Field("visit", visit_id).Field("form", form).Key("witness");
  WriteWitnessStep(w, result.unlock);
  w.EndObject();
  Send(ex, 200, kJsonType, w.str());
}

// GET /api/v1/visit/witness?form=…[&visit=…]: whether the witness step of
// that form of the caller's own visit (an invite's, a kiosk's hand-off) is
// unlocked, polled by the patient's page. Says nothing else.
void PatientWitnessStep(Site& site, Exchange& ex) {
  if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
  if (!Authorize(site, ex, Permission::kSubmit)) return;
  std::optional<std::string> visit_id = PatientVisitOf(site, ex);
  std::optional<Visit> visit = visit_id ? site.store.FindVisit(*visit_id) : std::nullopt;
  // The page names its visit: once staff hand the tablet to another, the
  // old page learns nothing of the new one.
  std::string asked = QueryText(ex, "visit");
  if (!visit || (!asked.empty() && asked != visit->id)) {
    return SendProblem(ex, 404, "No visit", "this device is not showing that visit");
  }
  std::string form_id = QueryText(ex, "form");
  const FormDefinition* form = site.service.FindForm(form_id);
  const auto& packet = visit->form_ids;
  if (!form || std::find(packet.begin(), packet.end(), form_id) == packet.end()) {
    return SendInvalid(ex, {{"form", "is not a form of this visit"}});
  }
  std::optional<WitnessUnlock> unlock = FindWitnessUnlock(site.store, *visit, *form);
  JsonWriter w;
  w.BeginObject().Field("form", form_id).Key("unlocked").Bool(unlock.has_value()).EndObject();
  Send(ex, 200, kJsonType, w.str());
}

// POST /api/v1/kiosk/done {"visit"?: id}: the patient of that visit (of
// whatever visit the tablet shows, without one) finished or walked away.
// False when an answer was sent.
bool EndHandoff(Site& site, Exchange& ex) {
  if (!SameOrigin(ex)) {
    SendProblem(ex, 403, "Forbidden", "this request came from another site");
    return false;
  }
  std::string body;
  if (!ReadBody(ex, site.settings.max_body_bytes, body)) return false;
  std::string visit;
  try {
    if (!body.empty()) visit = ParseStringMember(body, "visit").value_or("");
  } catch (const JsonSyntaxError& e) {
    SendProblem(ex, 400, "Malformed JSON", e.what());
    return false;
  }
  site.store.ClearHandoff(ex.actor, visit, ex.actor);
  return true;
}

// GET /api/v1/kiosk: which visit this tablet shows (polled by /kiosk).
// POST /api/v1/kiosk/done: the patient finished; back to waiting.
void Kiosk(Site& site, Exchange& ex, bool done) {
  if (done ? !IsPost(ex) : !IsGet(ex)) return MethodNotAllowed(ex, done ? "POST" : "GET");
  if (!Authorize(site, ex, Permission::kSubmit)) return;
  if (ex.principal->is_invite() || ex.principal->role != Role::kTablet) {
    return SendProblem(ex, 403, "Forbidden", "only a paired tablet is a kiosk");
  }
  Store& store = site.store;
  if (done && !EndHandoff(site, ex)) return;
  std::optional<std::string> visit = store.FindHandoff(ex.actor);
  JsonWriter w;
  w.BeginObject().Key("visit");
  if (visit) {
    w.BeginObject().Field("id", *visit).EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
  Send(ex, 200, kJsonType, w.str());
}

// The submission a review is for, if it may be reviewed now; otherwise
// answers 404 or 409 and returns nullopt.
std::optional<SubmissionRecord> ReviewableRecord(Site& site, Exchange& ex, std::string id) {
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::optional<SubmissionRecord> record = IsUuid(id) ? site.store.Find(id) : std::nullopt;
  if (!record) {
    SendProblem(ex, 404, "Unknown submission", "no submission " + id.substr(0, 40));
  } else if (record->review) {
    SendProblem(ex, 409, "Already reviewed",
                "submission " + id + " was reviewed at " + record->review->reviewed_at + " by " +
                    record->review->practitioner_name);
  } else if (!record->needs_review) {
    SendProblem(ex, 409, "No review needed",
                "submission " + id + " is not waiting for a practitioner (outcome " +
                    ToString(record->outcome) + ", no countersignature asked for)");
  } else {
    return record;
  }
  return std::nullopt;
}

// What the stamp cannot print is refused, not shown as "?" on a signed record.
void CheckPrintable(const ParsedReview& parsed, const std::string& name,
                    std::vector<FieldError>& errors) {
  if (!CountersignStampCanPrint(parsed.note)) {
    errors.push_back({"note",
                      "has characters the countersignature cannot print; expected "
                      "Latin letters, digits and punctuation"});
  }
  if (!CountersignStampCanPrint(name)) {
    errors.push_back({"practitioner", "this token's name \"" + name +
                                          "\" cannot be printed on a countersignature; make "
                                          "the practitioner a token named in Latin letters"});
  }
}

// The stored PDF, checked to be the sealed original the row anchors: the
// clinic's key must never countersign anything else.
std::optional<std::string> SealedOriginal(Site& site, const SubmissionRecord& record) {
  std::optional<std::string> pdf = site.store.FindPdf(record.id);
  if (!pdf || Sha256Hex(*pdf) != record.pdf_sha256) return std::nullopt;
  const SigningIdentity& seal = *site.service.seal();
  if (!VerifySealedPdf(*pdf, seal.certificate_pem()).valid) return std::nullopt;
  return pdf;
}

// POST /api/v1/submissions/{id}/review: the decision and the practitioner's
// countersignature, appended to the sealed PDF as an incremental update.
void ReviewHandler(Site& site, Exchange& ex, const std::string& raw_id) {
  if (!IsPost(ex)) return MethodNotAllowed(ex, "POST");
  if (!Authorize(site, ex, Permission::kReview)) return;
  std::string body;
  if (!ReadJsonBody(site, ex, body)) return;
  ParsedReview parsed;
  try {
    parsed = ParseReviewRequest(body);
  } catch (const JsonSyntaxError& e) {
    return SendProblem(ex, 400, "Malformed JSON", e.what());
  }
  std::optional<SubmissionRecord> record = ReviewableRecord(site, ex, raw_id);
  if (!record) return;
  CheckPrintable(parsed, ex.principal->name, parsed.errors);
  if (!parsed.errors.empty()) return SendInvalid(ex, parsed.errors);
  if (!site.service.seal()) {
    return SendProblem(ex, 503, "No sealing certificate",
                       "this server does not seal PDFs, so it cannot countersign");
  }
  std::optional<std::string> original = SealedOriginal(site, *record);
  if (!original) {
    site.store.RecordEvent(ex.actor, "review.refused", record->id, "pdf not sealed original");
    return SendProblem(ex, 500, "Stored PDF is not the sealed original",
                       "submission " + record->id +
                           "'s stored PDF does not match its seal or "
                           "its anchored hash; nothing was countersigned: run consentkit verify");
  }
  Review review{record->id, parsed.decision,    CollapseWhitespace(parsed.note),
                ex.actor,   ex.principal->name, UtcNow(),
                ""};
  std::string pdf = CountersignPdf(*original, *site.service.seal(),
                                   {review.practitioner_name, review.decision, review.note,
                                    review.reviewed_at, parsed.signature});
  review.pdf_sha256 = Sha256Hex(pdf);
  if (!site.store.PutReview(review, pdf, ex.actor)) {
    return SendProblem(ex, 409, "Already reviewed",
                       "submission " + record->id + " was reviewed meanwhile");
  }
  SendCreated(ex, "/api/v1/submissions/" + record->id,
              ReceiptJson(*site.store.Find(record->id), ReceiptAudience::kStaff));
}

std::vector<FormPtr> FormsOfVisit(Site& site, const VisitStatus& status) {
  std::vector<FormPtr> forms;
  for (const FormPtr& form : site.service.forms()) {
    for (const VisitForm& f : status.forms) {
      if (f.form_id == form->id) forms.push_back(form);
    }
  }
  return forms;
}

// GET /staff/visits/{id}/blank.pdf: the packet to print, with the
// patient on every page. GET /staff/visits/{id}/packet.pdf: one print copy
// of the visit's sealed records.
void VisitPdf(Site& site, Exchange& ex, const std::string& visit_id, bool blank) {
  if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
  if (!Authorize(site, ex, Permission::kReadSubmissions)) return;
  std::optional<VisitStatus> status = FindVisitStatus(site.store, site.service, visit_id);
  if (!status) return SendProblem(ex, 404, "Unknown visit", "no visit " + visit_id.substr(0, 40));
  Store& store = site.store;
  if (blank) {
    std::vector<FormPtr> forms = FormsOfVisit(site, *status);
    if (forms.empty())
      return SendProblem(ex, 404, "No forms", "this server has none of the visit's forms");
    RenderOptions options;
    options.patient = IdentityOf(status->visit);
    store.RecordEvent(ex.actor, "packet.printed", visit_id, "blank");
    return ServePdf(ex, RenderPacket(forms, site.service.clinic(), options),
                    visit_id + "-blank.pdf");
  }
  std::vector<std::string> sealed;
  std::string ids;
  for (const VisitForm& f : status->forms) {
    if (!f.submission) continue;
    sealed.push_back(*store.FindPdf(f.submission->id));
    ids += (ids.empty() ? "" : ",") + f.submission->id;
  }
  if (sealed.empty())
    return SendProblem(ex, 404, "Nothing signed yet",
                       "no form of visit " + visit_id + " was submitted");
  // Every read of a sealed PDF is on record, copies included.
  store.RecordEvent(ex.actor, "packet.printed", visit_id, "copy of " + ids);
  std::string label = "Visit " + visit_id + ", " + status->visit.patient.name;
  ServePdf(ex, RenderPrintCopy(sealed, label), visit_id + "-signed-copy.pdf");
}

// Runs a listing handler; a bad limit or cursor is the client's error.
template <typename Handler>
void Listing(Exchange& ex, Handler handler) {
  try {
    handler();
  } catch (const std::invalid_argument& e) {
    if (!ex.response.sent()) SendProblem(ex, 400, "Bad query", e.what());
  }
}

}  // namespace

bool ServeVisitPdf(Site& site, Exchange& ex) {
  std::string id;
  if (Segment(ex.path, "/staff/visits/", "/blank.pdf", id))
    return VisitPdf(site, ex, id, true), true;
  if (Segment(ex.path, "/staff/visits/", "/packet.pdf", id))
    return VisitPdf(site, ex, id, false), true;
  return false;
}

// Declared in http.h.
bool ServeVisitApi(Site& site, Exchange& ex) {
  const std::string& path = ex.path;
  std::string id;
  if (path == "/api/v1/visits") {
    if (IsPost(ex)) return CreateVisitHandler(site, ex), true;
    if (!IsGet(ex)) return MethodNotAllowed(ex, "GET, POST"), true;
    return Listing(ex, [&] { ListVisitsHandler(site, ex); }), true;
  }
  if (path == "/api/v1/submissions") {
    if (!IsGet(ex)) return MethodNotAllowed(ex, "GET"), true;
    return Listing(ex, [&] { ListSubmissionsHandler(site, ex); }), true;
  }
  if (Segment(path, "/api/v1/visits/", "/invites", id)) return VisitInvites(site, ex, id), true;
  if (Segment(path, "/api/v1/visits/", "/handoff", id)) return Handoff(site, ex, id), true;
  if (Segment(path, "/api/v1/visits/", "/witness", id))
    return WitnessStepHandler(site, ex, id, true), true;
  if (Segment(path, "/api/v1/visits/", "/witness/lock", id))
    return WitnessStepHandler(site, ex, id, false), true;
  if (Segment(path, "/api/v1/visits/", "", id)) return ServeVisit(site, ex, id), true;
  if (path == "/api/v1/visit/witness") return PatientWitnessStep(site, ex), true;
  if (Segment(path, "/api/v1/invites/", "/revoke", id))
    return RevokeInviteHandler(site, ex, id), true;
  if (Segment(path, "/api/v1/submissions/", "/review", id))
    return ReviewHandler(site, ex, id), true;
  if (path == "/api/v1/tablets") return ListTablets(site, ex), true;
  if (path == "/api/v1/kiosk") return Kiosk(site, ex, false), true;
  if (path == "/api/v1/kiosk/done") return Kiosk(site, ex, true), true;
  return false;
}

}  // namespace consentkit
