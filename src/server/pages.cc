#include "server/pages.h"

#include <Poco/URI.h>

#include <ctime>
#include <map>
#include <stdexcept>
#include <tuple>

#include "api/api.h"
#include "archive/archive.h"
#include "html/html.h"
#include "html/staff.h"
#include "i18n/catalog.h"
#include "i18n/languages.h"
#include "server/http.h"
#include "service/visits.h"
#include "util/util.h"

namespace consentkit {
namespace {

constexpr int kPageSize = 50;

bool IsHead(const Exchange& ex) { return ex.request.getMethod() == "HEAD"; }

void Redirect(Exchange& ex, const std::string& location) {
  ex.response.set("Location", location);
  Send(ex, 303, kHtmlType, "<p><a href=\"" + HtmlEscape(location) + "\">Continue</a></p>");
}

// The notice whose words are `key` (its text) and `key`.title in `text`.
void SendNotice(Site& site, Exchange& ex, int status, const Catalog& text, const std::string& key) {
  SendHtml(
      ex, status,
      RenderNoticePage(site.service.clinic(), text, text.Text(key + ".title"), text.Text(key)));
}

// ---- Dates -------------------------------------------------------------

// "YYYY-MM-DD" as a real day.
bool IsDay(const std::string& text) { return text.size() == 10 && NormalizeTimeBound(text); }

// "2026-11-23T10:15:02Z" as seconds since the epoch; 0 if it is not one.
std::time_t ParseUtc(const std::string& iso) {
  std::optional<std::string> normal = NormalizeTimeBound(iso);
  if (!normal) return 0;
  std::tm t{};
  t.tm_year = std::stoi(normal->substr(0, 4)) - 1900;
  t.tm_mon = std::stoi(normal->substr(5, 2)) - 1;
  t.tm_mday = std::stoi(normal->substr(8, 2));
  t.tm_hour = std::stoi(normal->substr(11, 2));
  t.tm_min = std::stoi(normal->substr(14, 2));
  t.tm_sec = std::stoi(normal->substr(17, 2));
  return timegm(&t);
}

// ---- Who is asking -----------------------------------------------------

// An invite that stopped working gets its own clear page here, not the
// device sign-in page a bad token is sent to: a patient holds it. Only the
// holder of the invite's very secret learns what became of it
// (AuthResult::invite_state is set only then).
void SendInviteProblem(Site& site, Exchange& ex, const AuthResult& auth) {
  switch (auth.invite_state.value_or(InviteState::kActive)) {
    case InviteState::kExpired:
      return SendNotice(site, ex, 410, PatientText(ex), "notice.link-expired");
    case InviteState::kRevoked:
      return SendNotice(site, ex, 410, PatientText(ex), "notice.link-withdrawn");
    case InviteState::kActive:  // not an invite we know, or not its secret
      break;
  }
  SendNotice(site, ex, 404, PatientText(ex), "notice.link-broken");
}

// Authorize, except that a failing invite (a patient's phone) is answered
// with the invite's page.
bool AuthorizePatient(Site& site, Exchange& ex, Permission permission) {
  std::string credential = Credential(ex);
  if (IsInviteCredential(credential)) {
    std::optional<AuthResult> auth = CheckCredential(site, ex, credential);
    if (!auth) return false;  // 429 sent
    if (!auth->principal) {
      SendInviteProblem(site, ex, *auth);
      return false;
    }
  }
  return Authorize(site, ex, permission);
}

bool IsStaff(const Principal& p) {
  return !p.is_invite() && Allows(p.role, Permission::kManageVisits);
}

// ---- GET / ---------------------------------------------------------------

// An invite opens one visit's forms and nothing else: a patient who opens
// the clinic's start page or the kiosk screen on their phone is taken back
// to their forms rather than refused. True when that answer was sent (or
// a failing invite's page).
bool SentInviteHome(Site& site, Exchange& ex) {
  if (!IsInviteCredential(Credential(ex))) return false;
  if (AuthorizePatient(site, ex, Permission::kSubmit)) Redirect(ex, "/visit");
  return true;
}

void Index(Site& site, Exchange& ex) {
  if (SentInviteHome(site, ex) || !Authorize(site, ex, Permission::kLoadForms)) return;
  IndexOptions options;
  options.staff_link = IsStaff(*ex.principal);
  options.language = PatientText(ex).language();
  ex.response.set("Vary", "Accept-Language");
  SendHtml(ex, 200,
           RenderIndexPage(PacketOrder(site.service.forms()), site.service.clinic(), options));
}

// ---- The desk ------------------------------------------------------------

DeskFilters ReadFilters(const Exchange& ex) {
  DeskFilters f;
  std::string date = QueryText(ex, "date");
  f.from = date.empty() ? QueryText(ex, "from") : date;
  f.to = date.empty() ? QueryText(ex, "to") : date;
  f.form = QueryText(ex, "form");
  f.outcome = QueryText(ex, "outcome");
  f.review = QueryText(ex, "review");
  f.q = CollapseWhitespace(QueryText(ex, "q"));
  return f;
}

// What is wrong with the filters, in words for staff; empty when nothing.
std::string FilterProblem(Site& site, const DeskFilters& f) {
  const Catalog& text = StaffText(site);
  for (const std::string* day : {&f.from, &f.to}) {
    if (!day->empty() && !IsDay(*day)) {
      return text.Format("staff.filter.bad-date", {{"value", day->substr(0, 40)}});
    }
  }
  if (!f.from.empty() && !f.to.empty() && f.from > f.to) {
    return text.Text("staff.filter.from-after-to");
  }
  if (!f.form.empty() && !site.service.FindForm(f.form)) return text.Text("staff.filter.no-form");
  if (!f.outcome.empty() && !ParseOutcome(f.outcome)) return text.Text("staff.filter.no-outcome");
  if (!f.review.empty() && !ParseReviewFilter(f.review)) {
    return text.Text("staff.filter.bad-review");
  }
  return "";
}

// The days listed: today unless the query asks for something, and then
// every date unless it gives some.
void ChooseDays(const DeskFilters& f, DeskPage& page) {
  page.first_day = f.from;
  page.last_day = f.to;
  if (f.from.empty() && f.to.empty() && f.q.empty() && !f.SelectsSubmissions()) {
    page.today = true;
    page.first_day = page.last_day = LocalToday();
  }
}

// The store's bounds for the listed (local) days: from inclusive, to exclusive.
std::pair<std::string, std::string> Bounds(const DeskPage& page) {
  std::string from = page.first_day.empty() ? "" : LocalDayStartUtc(page.first_day);
  std::string to = page.last_day.empty() ? "" : LocalDayStartUtc(NextDay(page.last_day));
  return {from, to};
}

// This page's URL with `after` set to the next page's cursor.
std::string NextUrl(const Exchange& ex, const std::string& path, const std::string& next) {
  if (next.empty()) return "";
  Poco::URI uri(path);
  for (const auto& [name, value] : Poco::URI(ex.request.getURI()).getQueryParameters()) {
    if (name != "after" && name != "new" && !value.empty()) uri.addQueryParameter(name, value);
  }
  uri.addQueryParameter("after", next);
  return uri.toString();
}

std::vector<DeskTablet> Tablets(Store& store) {
  std::vector<DeskTablet> tablets;
  for (const PairedTablet& t : PairedTablets(store)) {
    tablets.push_back({t.token.id, t.token.name, t.visit_id.value_or("")});
  }
  return tablets;
}

std::vector<Invite> ActiveInvites(Store& store, const std::string& visit_id) {
  std::vector<Invite> active;
  std::string now = UtcNow();
  for (Invite& invite : store.InvitesOfVisit(visit_id)) {
    if (invite.StateAt(now) == InviteState::kActive) active.push_back(std::move(invite));
  }
  return active;
}

// Submissions with their visit's patient (each visit read once).
std::vector<ListedSubmission> Listed(Site& site, std::vector<SubmissionRecord> records) {
  std::map<std::string, std::optional<Visit>> visits;
  std::vector<ListedSubmission> listed;
  for (SubmissionRecord& r : records) {
    ListedSubmission item;
    if (!r.visit_id.empty()) {
      auto found = visits.find(r.visit_id);
      if (found == visits.end()) {
        found = visits.emplace(r.visit_id, site.store.FindVisit(r.visit_id)).first;
      }
      if (found->second) item.patient = found->second->patient;
    }
    const FormDefinition* form = site.service.FindForm(r.form_id);
    item.form_title = form ? form->title : r.form_id;
    item.record = std::move(r);
    listed.push_back(std::move(item));
  }
  return listed;
}

void ListVisitsInto(Site& site, Exchange& ex, DeskPage& page) {
  Store& store = site.store;
  VisitQuery query;
  std::tie(query.from, query.to) = Bounds(page);
  query.patient = page.filters.q;
  query.after = QueryText(ex, "after");
  query.limit = kPageSize;
  Page<Visit> visits = store.ListVisits(query);
  for (Visit& visit : visits.items) {
    page.invites[visit.id] = ActiveInvites(store, visit.id);
    page.visits.push_back(StatusOf(site.store, site.service, std::move(visit)));
  }
  page.next_url = NextUrl(ex, "/staff", visits.next);
  if (!IsHead(ex)) {
    store.RecordEvent(ex.actor, "visits.listed", "",
                      "desk count=" + std::to_string(page.visits.size()));
  }
}

void ListSubmissionsInto(Site& site, Exchange& ex, DeskPage& page) {
  Store& store = site.store;
  const DeskFilters& f = page.filters;
  SubmissionQuery query;
  std::tie(query.from, query.to) = Bounds(page);
  query.form_id = f.form;
  query.outcome = ParseOutcome(f.outcome);
  if (!f.review.empty()) query.reviewed = ParseReviewFilter(f.review);
  query.patient = f.q;
  query.after = QueryText(ex, "after");
  query.limit = kPageSize;
  Page<SubmissionRecord> found = store.ListSubmissions(query);
  page.submissions = Listed(site, std::move(found.items));
  page.next_url = NextUrl(ex, "/staff", found.next);
  if (!IsHead(ex)) {
    store.RecordEvent(ex.actor, "submissions.listed", "",
                      "desk count=" + std::to_string(page.submissions.size()));
  }
}

// GET /staff
void Desk(Site& site, Exchange& ex) {
  if (!Authorize(site, ex, Permission::kManageVisits)) return;
  DeskPage page;
  page.may_review = Allows(ex.principal->role, Permission::kReview);
  page.filters = ReadFilters(ex);
  page.forms = PacketOrder(site.service.forms());
  page.tablets = Tablets(site.store);
  page.created_visit_id = QueryText(ex, "new");
  page.error = FilterProblem(site, page.filters);
  int status = page.error.empty() ? 200 : 400;
  if (page.error.empty()) {
    ChooseDays(page.filters, page);
    try {
      if (page.filters.SelectsSubmissions()) {
        ListSubmissionsInto(site, ex, page);
      } else {
        ListVisitsInto(site, ex, page);
      }
    } catch (const std::invalid_argument&) {  // a cursor the store did not make
      page.error = StaffText(site).Text("staff.filter.stale-page");
      status = 400;
    }
  }
  SendHtml(ex, status, RenderDeskPage(page, site.service.clinic()));
}

// GET /staff/review
void ReviewQueue(Site& site, Exchange& ex) {
  if (!Authorize(site, ex, Permission::kReview)) return;
  Store& store = site.store;
  SubmissionQuery query;
  query.reviewed = false;
  query.after = QueryText(ex, "after");
  query.limit = kPageSize;
  Page<SubmissionRecord> found;
  try {
    found = store.ListSubmissions(query);
  } catch (const std::invalid_argument&) {
    return Redirect(ex, "/staff/review");  // a stale cursor: the queue from the start
  }
  ReviewQueuePage page{Listed(site, std::move(found.items)),
                       NextUrl(ex, "/staff/review", found.next)};
  if (!IsHead(ex)) {
    store.RecordEvent(ex.actor, "submissions.listed", "",
                      "review queue count=" + std::to_string(page.items.size()));
  }
  SendHtml(ex, 200, RenderReviewQueuePage(page, site.service.clinic()));
}

// GET /staff/submissions/{id}
void Record(Site& site, Exchange& ex, std::string id) {
  if (!Authorize(site, ex, Permission::kReadSubmissions)) return;
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  Store& store = site.store;
  std::optional<SubmissionRecord> record = IsUuid(id) ? store.Find(id) : std::nullopt;
  if (!record) {
    return SendNotice(site, ex, 404, StaffText(site), "notice.no-record");
  }
  if (!IsHead(ex)) store.RecordEvent(ex.actor, "submission.read", id);
  RecordPage page;
  page.visit = record->visit_id.empty() ? std::nullopt : store.FindVisit(record->visit_id);
  page.show_queue_link = Allows(ex.principal->role, Permission::kReview);
  page.review_form = page.show_queue_link && !record->review && record->needs_review;
  std::vector<SubmissionRecord> one;
  one.push_back(std::move(*record));
  page.submission = std::move(Listed(site, std::move(one)).front());
  SendHtml(ex, 200, RenderRecordPage(page, site.service.clinic()));
}

// ---- Patient pages -----------------------------------------------------

// GET /kiosk
void Kiosk(Site& site, Exchange& ex) {
  if (SentInviteHome(site, ex) || !Authorize(site, ex, Permission::kLoadForms)) return;
  SendHtml(ex, 200, RenderKioskPage(site.service.clinic(), PatientText(ex)));
}

VisitFormOptions FormOptions(Site& site, const VisitStatus& status, std::size_t next, bool kiosk) {
  VisitFormOptions options;
  options.visit_id = status.visit.id;
  options.position = next + 1;
  options.count = status.forms.size();
  for (PatientFact fact : {PatientFact::kName, PatientFact::kDateOfBirth, PatientFact::kNumber}) {
    options.prefill[fact] = PatientValue(status.visit.patient, fact);
  }
  // A patient's own phone is theirs to leave and come back to.
  options.idle_seconds = kiosk ? site.settings.idle_timeout_s : 0;
  options.witness_here = kiosk;
  options.witness_unlocked = kiosk && status.forms[next].witness.has_value();
  return options;
}

// GET /visit: the caller's visit's next form, or the thank-you after the
// last. An invite names its visit; a kiosk tablet shows the visit staff
// handed to it, and waits when there is none.
void VisitFlow(Site& site, Exchange& ex) {
  if (!AuthorizePatient(site, ex, Permission::kSubmit)) return;
  bool kiosk = !ex.principal->is_invite();
  std::optional<std::string> visit_id = PatientVisitOf(site, ex);
  if (!visit_id) return Redirect(ex, "/kiosk");
  std::optional<VisitStatus> status = FindVisitStatus(site.store, site.service, *visit_id);
  if (!status) {
    return SendNotice(site, ex, 404, PatientText(ex), "notice.nothing-to-fill");
  }
  std::size_t next = status->NextForm();
  const ClinicSettings& clinic = site.service.clinic();
  if (next == status->forms.size()) {
    return SendHtml(ex, 200,
                    RenderVisitDonePage(clinic, PatientText(ex),
                                        kiosk ? VisitChannel::kKiosk : VisitChannel::kInvite,
                                        status->visit.id));
  }
  const FormDefinition* form = status->forms[next].form;
  if (!form) {
    return SendNotice(site, ex, 503, PatientText(ex), "notice.form-unavailable");
  }
  VisitFormOptions options = FormOptions(site, *status, next, kiosk);
  // The patient's language among the form's (?lang=, Accept-Language), as
  // the standalone form page picks it.
  options.language = PageLanguage(ex, *form);
  SendHtml(ex, 200, RenderVisitFormPage(*form, clinic, options));
}

// Whether this browser already holds a clinic device's token: an invite
// opened on it must not sign the desk or a kiosk out.
bool HoldsDeviceToken(Site& site, Exchange& ex) {
  // The cookie alone: a browser opening a link sends no Authorization.
  std::string current = CookieCredential(ex);
  if (current.empty() || IsInviteCredential(current)) return false;
  AuthResult auth = Authenticate(site.store, current);
  if (!auth.principal) {
    // Counted and recorded as any wrong credential is, or an invite holder
    // could test guessed tokens here at full speed.
    site.throttle.CountFailedGuess(ex.request.clientAddress().host().toString());
    RecordAuthFailure(site, ex, auth);
  }
  return auth.principal.has_value();
}

// GET /i/{credential}: a patient opens the link from the slip or a message.
// The credential goes into an HttpOnly cookie for the rest of the visit,
// until the invite expires.
void InviteLanding(Site& site, Exchange& ex, const std::string& credential) {
  if (!IsGet(ex)) return MethodNotAllowed(ex, "GET");
  // A link is opened by navigating to it. An image or script another site
  // points here is not checked or counted, so it cannot spend this
  // browser's address's guesses and lock the clinic's own devices out.
  std::string mode = ex.request.get("Sec-Fetch-Mode", "navigate");
  if (mode != "navigate") return NotFound(ex);
  std::optional<AuthResult> checked = CheckCredential(site, ex, credential);
  if (!checked) return;  // 429 sent
  const AuthResult& auth = *checked;
  if (!auth.principal || !auth.principal->is_invite()) return SendInviteProblem(site, ex, auth);
  if (HoldsDeviceToken(site, ex)) {
    return SendNotice(site, ex, 409, PatientText(ex), "notice.clinic-device");
  }
  ex.actor = auth.principal->actor;
  std::optional<Invite> invite = site.store.FindInvite(auth.principal->actor);
  std::time_t left = invite ? ParseUtc(invite->expires_at) - std::time(nullptr) : 0;
  ex.response.set("Set-Cookie", std::string(kTokenCookie) + "=" + credential +
                                    "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                                    std::to_string(left > 0 ? left : 0));
  Redirect(ex, "/visit");
}

}  // namespace

bool RoutePage(Site& site, Exchange& ex) {
  const std::string& path = ex.path;
  std::string name;
  if (!ex.invite_credential.empty()) return InviteLanding(site, ex, ex.invite_credential), true;
  using Handler = void (*)(Site&, Exchange&);
  static const std::map<std::string, Handler> kPages = {
      {"/", Index},      {"/staff", Desk},      {"/staff/review", ReviewQueue},
      {"/kiosk", Kiosk}, {"/visit", VisitFlow},
  };
  auto page = kPages.find(path);
  bool record = page == kPages.end() && Segment(path, "/staff/submissions/", "", name);
  if (page == kPages.end() && !record) return false;
  if (!IsGet(ex)) return MethodNotAllowed(ex, "GET"), true;
  if (record) return Record(site, ex, name), true;
  page->second(site, ex);
  return true;
}

}  // namespace consentkit
