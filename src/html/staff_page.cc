// The staff pages (html/staff.h). The markup is the contract with
// web/staff.js: a visit card carries data-visit, its buttons data-action;
// the new-visit form and the review form name each input's wrapper by the
// field id the API's problems use (data-field="patient.name", "decision").
#include <algorithm>

#include "form/field_rules.h"
#include "html/html.h"
#include "html/page.h"
#include "html/staff.h"

namespace consentkit {
namespace {

constexpr char kNewTab[] = "<span class=\"ck-sr\"> (opens in a new tab)</span>";

// "2026-11-23" → "23 Nov 2026"; anything else unchanged.
std::string FormatDate(const std::string& date) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (date.size() < 10 || date[4] != '-' || date[7] != '-') return date;
  int month = (date[5] - '0') * 10 + (date[6] - '0');
  if (month < 1 || month > 12) return date;
  std::string day = date.substr(8, 2);
  if (day[0] == '0') day.erase(0, 1);
  return day + " " + kMonths[month - 1] + " " + date.substr(0, 4);
}

// A UTC time as <time>: staff.js rewrites the text in the desk's own time
// zone; without it staff still read the UTC time.
std::string Time(const std::string& iso) {
  std::string text = iso.size() >= 16 ? FormatDate(iso) + ", " + iso.substr(11, 5) + " UTC" : iso;
  return "<time" + HtmlAttr("datetime", iso) + ">" + HtmlEscape(text) + "</time>";
}

std::string NewTabLink(const std::string& href, const std::string& text, const char* css) {
  return "<a" + HtmlAttr("class", css) + HtmlAttr("href", href) +
         " target=\"_blank\" rel=\"noopener\">" + HtmlEscape(text) + kNewTab + "</a>";
}

std::string PdfLink(const std::string& submission_id, const char* css = "") {
  return NewTabLink("/api/v1/submissions/" + submission_id + ".pdf", "Sealed PDF", css);
}

std::string RecordLink(const std::string& submission_id) {
  return "<a" + HtmlAttr("href", "/staff/submissions/" + submission_id) + ">Record</a>";
}

// A badge says its meaning in words; its colour only repeats it. The
// hidden prefix tells a screen reader which of the two badges it is.
std::string Badge(const std::string& css, const char* kind, const std::string& text) {
  return "<span" + HtmlAttr("class", "ck-badge " + css) + "><span class=\"ck-sr\">" + kind +
         ": </span>" + HtmlEscape(text) + "</span>";
}

std::string OutcomeBadge(Outcome outcome) {
  const char* css = outcome == Outcome::kSuitable             ? "ck-o-suitable"
                    : outcome == Outcome::kPractitionerReview ? "ck-o-review"
                                                              : "ck-o-defer";
  return Badge(css, "Screening outcome", OutcomeLabel(outcome));
}

std::string DecisionText(const std::string& decision) {
  if (decision == "proceed") return "Proceed";
  if (decision == "defer") return "Defer";
  if (decision == "decline") return "Decline";
  return decision;
}

std::string StateBadge(FormState state, const std::optional<SubmissionRecord>& record) {
  switch (state) {
    case FormState::kNotStarted:
      return Badge("ck-s-none", "State", "Not started");
    case FormState::kSubmitted:
      return Badge("ck-s-done", "State", "Submitted");
    case FormState::kNeedsReview:
      return Badge("ck-s-review", "State", "Needs review");
    case FormState::kReviewed:
      break;
  }
  std::string decision =
      record && record->review ? ": " + DecisionText(record->review->decision) : "";
  return Badge("ck-s-reviewed", "State", "Reviewed" + decision);
}

std::string Reasons(const std::vector<std::string>& reasons) {
  if (reasons.empty()) return "";
  std::string out = "<ul class=\"ck-reasons\" aria-label=\"Reasons\">\n";
  for (const std::string& reason : reasons) out += HtmlElement("li", "", reason);
  return out + "</ul>\n";
}

// The links every staff page carries; `current` is marked for screen readers.
std::string StaffNav(const std::string& current, bool may_review) {
  auto link = [&current](const std::string& href, const char* text) {
    return "<a" + HtmlAttr("href", href) + (href == current ? " aria-current=\"page\"" : "") + ">" +
           text + "</a>\n";
  };
  std::string out = "<nav class=\"ck-nav\" aria-label=\"Staff pages\">\n" + link("/staff", "Desk");
  if (may_review) out += link("/staff/review", "Review queue");
  return out + link("/", "Forms") + "</nav>\n";
}

std::string StaffPageStart(const ClinicSettings& clinic, const std::string& title,
                           const std::string& current, bool may_review) {
  return HtmlPageStart({"en", title, "staff.js", true}, clinic) + StaffNav(current, may_review);
}

// ---- The new-visit form -------------------------------------------------

// A labelled input whose problems (by `api_id`) land in its error slot.
std::string NewVisitInput(const std::string& api_id, const std::string& id, const char* label,
                          const char* attrs, const char* hint = nullptr) {
  std::string described = (hint ? "h-" + id + " " : "") + "e-" + id;
  std::string out = "<div class=\"ck-field\"" + HtmlAttr("data-field", api_id) + ">\n<label" +
                    HtmlAttr("for", id) + ">" + label + "</label>\n";
  if (hint) out += "<p class=\"ck-hint\"" + HtmlAttr("id", "h-" + id) + ">" + hint + "</p>\n";
  out += "<input" + HtmlAttr("id", id) + HtmlAttr("name", id.substr(3)) + attrs +
         HtmlAttr("aria-describedby", described) + ">\n";
  return out + "<p class=\"ck-error\"" + HtmlAttr("id", "e-" + id) + "></p>\n</div>\n";
}

std::string FormCheckboxes(const std::vector<FormPtr>& forms) {
  std::string out =
      "<fieldset class=\"ck-field ck-nv-forms\" data-field=\"forms\" "
      "aria-describedby=\"e-nv-forms\">\n<legend>Forms, in the order the patient fills "
      "them</legend>\n<div class=\"ck-opts\">\n";
  for (const FormPtr& form : forms) {
    out += "<label class=\"ck-opt\"><input type=\"checkbox\" name=\"forms\"" +
           HtmlAttr("value", form->id) + " checked> <span>" + HtmlEscape(form->title) +
           "</span></label>\n";
  }
  return out + "</div>\n<p class=\"ck-error\" id=\"e-nv-forms\"></p>\n</fieldset>\n";
}

std::string NewVisitForm(const std::vector<FormPtr>& forms) {
  std::string out =
      "<section class=\"ck-card ck-new-visit\" aria-labelledby=\"nv-title\">\n"
      "<h2 id=\"nv-title\">New visit</h2>\n"
      "<form class=\"ck-form\" id=\"ck-new-visit\" novalidate autocomplete=\"off\">\n"
      "<div class=\"ck-nv-who\">\n";
  out += NewVisitInput("patient.name", "nv-name", "Patient&#39;s full name",
                       " type=\"text\" maxlength=\"200\" required");
  out +=
      NewVisitInput("patient.date_of_birth", "nv-dob", "Date of birth", " type=\"date\" required");
  out += NewVisitInput("patient.number", "nv-number", "Clinic patient number (optional)",
                       " type=\"text\" maxlength=\"40\" spellcheck=\"false\"");
  out += "</div>\n" + FormCheckboxes(forms);
  return out +
         "<div class=\"ck-banner\" id=\"nv-banner\" role=\"alert\"></div>\n"
         "<button type=\"submit\" class=\"ck-btn\">Create visit</button>\n</form>\n</section>\n";
}

// ---- The filter form ----------------------------------------------------

std::string Select(const std::string& name, const char* label,
                   const std::vector<std::pair<std::string, std::string>>& options,
                   const std::string& chosen) {
  std::string out = "<div class=\"ck-field\">\n<label" + HtmlAttr("for", "q-" + name) + ">" +
                    label + "</label>\n<select" + HtmlAttr("id", "q-" + name) +
                    HtmlAttr("name", name) + ">\n";
  for (const auto& [value, text] : options) {
    out += "<option" + HtmlAttr("value", value) + (value == chosen ? " selected" : "") + ">" +
           HtmlEscape(text) + "</option>\n";
  }
  return out + "</select>\n</div>\n";
}

std::string FilterInput(const std::string& name, const char* label, const char* type,
                        const std::string& value) {
  return "<div class=\"ck-field\">\n<label" + HtmlAttr("for", "q-" + name) + ">" + label +
         "</label>\n<input" + HtmlAttr("type", type) + HtmlAttr("id", "q-" + name) +
         HtmlAttr("name", name) + HtmlAttr("value", value) + ">\n</div>\n";
}

std::string FilterForm(const DeskPage& page) {
  const DeskFilters& f = page.filters;
  std::vector<std::pair<std::string, std::string>> forms = {{"", "Any form"}};
  for (const FormPtr& form : page.forms) forms.emplace_back(form->id, form->title);
  std::string out =
      "<section class=\"ck-card ck-filters\" aria-labelledby=\"find-title\">\n"
      "<h2 id=\"find-title\">Find visits and forms</h2>\n"
      "<form method=\"get\" action=\"/staff\" role=\"search\" aria-labelledby=\"find-title\">\n"
      "<div class=\"ck-filter-grid\">\n";
  out += FilterInput("q", "Name or date of birth", "search", f.q);
  out += FilterInput("from", "From", "date", f.from) + FilterInput("to", "To", "date", f.to);
  out += Select("form", "Form", forms, f.form);
  out +=
      Select("outcome", "Outcome",
             {{"", "Any outcome"},
              {ToString(Outcome::kSuitable), OutcomeLabel(Outcome::kSuitable)},
              {ToString(Outcome::kPractitionerReview), OutcomeLabel(Outcome::kPractitionerReview)},
              {ToString(Outcome::kDefer), OutcomeLabel(Outcome::kDefer)}},
             f.outcome);
  out += Select("review", "Review",
                {{"", "Any"}, {"pending", "Waiting for review"}, {"done", "Reviewed"}}, f.review);
  return out +
         "</div>\n<p class=\"ck-hint\">Without dates: today, or every date when searching or "
         "filtering. Both dates are included.</p>\n<p class=\"ck-links\"><button type=\"submit\" "
         "class=\"ck-btn\">Show</button>\n<a class=\"ck-btn2\" href=\"/staff\">Today&#39;s "
         "visits</a></p>\n</form>\n</section>\n";
}

// ---- Visit cards --------------------------------------------------------

std::string PatientLine(const Patient& p) {
  std::string out = "Born " + FormatDate(p.date_of_birth);
  if (!p.number.empty()) out += " · No. " + p.number;
  return out;
}

// A form with a witness step: who unlocked it, and until the form is sent
// a button to unlock it (with the witness present) or lock it again.
std::string WitnessStep(const VisitForm& f) {
  std::string out = "<span class=\"ck-witness\"" + HtmlAttr("data-form", f.form_id) + ">";
  if (f.witness) {
    out += HtmlEscape("Witness step unlocked by " + f.witness->unlocked_by_name + ", ") +
           Time(f.witness->unlocked_at);
  } else {
    out += f.submission ? "Witness step was not unlocked" : "Witness step locked";
  }
  if (!f.submission) {
    // Every form of a packet may have one: the label names the form.
    std::string text = f.witness ? "Lock witness step" : "Unlock witness step";
    std::string title = f.form ? f.form->title : f.form_id;
    out += " <button type=\"button\" class=\"ck-btn2\"" +
           HtmlAttr("data-action", f.witness ? "witness-lock" : "witness") +
           HtmlAttr("data-form", f.form_id) + HtmlAttr("aria-label", text + ": " + title) + ">" +
           text + "</button>";
  }
  return out + "</span>\n";
}

std::string PacketItem(const VisitForm& f) {
  std::string title = f.form ? f.form->title : f.form_id;
  std::string out = "<li class=\"ck-packet-item\">\n" + HtmlElement("span", "ck-form-name", title);
  out += "<span class=\"ck-badges\">" + StateBadge(f.state, f.submission);
  if (f.submission) out += OutcomeBadge(f.submission->outcome);
  out += "</span>\n";
  if (f.submission) {
    out += "<span class=\"ck-item-links\">" + PdfLink(f.submission->id) + "\n" +
           RecordLink(f.submission->id) + "</span>\n";
  }
  if (f.HasWitnessStep()) out += WitnessStep(f);
  return out + "</li>\n";
}

std::string TabletPicker(const std::string& visit_id, const std::vector<DeskTablet>& tablets) {
  if (tablets.empty()) {
    return "<p class=\"ck-note\">No tablet is signed in yet: sign one in at /pair with a "
           "tablet token.</p>\n";
  }
  std::string id = "tab-" + visit_id;
  std::string out = "<div class=\"ck-handoff\">\n<label" + HtmlAttr("for", id) +
                    ">Tablet</label>\n<select" + HtmlAttr("id", id) + " name=\"tablet\">\n";
  // A free tablet is offered first: handing over a busy one interrupts a patient.
  auto free = std::find_if(tablets.begin(), tablets.end(),
                           [](const DeskTablet& t) { return t.visit_id.empty(); });
  for (auto it = tablets.begin(); it != tablets.end(); ++it) {
    const DeskTablet& t = *it;
    std::string text = t.name;
    if (t.visit_id == visit_id) {
      text += " (showing this visit)";
    } else if (!t.visit_id.empty()) {
      text += " (in use)";
    }
    bool busy = !t.visit_id.empty() && t.visit_id != visit_id;
    out += "<option" + HtmlAttr("value", t.id) + (it == free ? " selected" : "") +
           (busy ? " data-busy" : "") + ">" + HtmlEscape(text) + "</option>\n";
  }
  return out +
         "</select>\n<button type=\"button\" class=\"ck-btn\" data-action=\"handoff\">Hand to "
         "tablet</button>\n</div>\n";
}

std::string ActiveInvites(const std::vector<Invite>& invites) {
  if (invites.empty()) return "";
  std::string out = "<ul class=\"ck-invites\" aria-label=\"Invite links\">\n";
  for (const Invite& invite : invites) {
    out += "<li>Phone link sent, works until " + Time(invite.expires_at) +
           " <button type=\"button\" class=\"ck-btn2\" data-action=\"revoke\"" +
           HtmlAttr("data-invite", invite.id) + ">Withdraw</button></li>\n";
  }
  return out + "</ul>\n";
}

bool AnySubmitted(const VisitStatus& status) {
  return std::any_of(status.forms.begin(), status.forms.end(),
                     [](const VisitForm& f) { return f.submission.has_value(); });
}

std::size_t DoneCount(const VisitStatus& status) {
  return static_cast<std::size_t>(
      std::count_if(status.forms.begin(), status.forms.end(),
                    [](const VisitForm& f) { return f.state != FormState::kNotStarted; }));
}

std::string VisitActions(const VisitStatus& status, const DeskPage& page) {
  const std::string& id = status.visit.id;
  bool all_done = DoneCount(status) == status.forms.size();
  std::string out = "<div class=\"ck-visit-actions\">\n";
  if (!all_done) {
    out += TabletPicker(id, page.tablets);
    out +=
        "<button type=\"button\" class=\"ck-btn2\" data-action=\"invite\">Invite to fill on "
        "their phone</button>\n";
  }
  out += NewTabLink("/staff/visits/" + id + "/blank.pdf", "Print blank packet", "ck-btn2");
  if (AnySubmitted(status)) {
    out +=
        "\n" + NewTabLink("/staff/visits/" + id + "/packet.pdf", "Print signed packet", "ck-btn2");
  }
  return out + "\n</div>\n";
}

std::string VisitCard(const VisitStatus& status, const DeskPage& page) {
  const Visit& v = status.visit;
  std::string name_id = "vn-" + v.id;
  bool created = v.id == page.created_visit_id;
  std::string out = "<article" + HtmlAttr("class", created ? "ck-visit ck-new" : "ck-visit") +
                    HtmlAttr("id", "v-" + v.id) + HtmlAttr("data-visit", v.id) +
                    HtmlAttr("aria-labelledby", name_id) + " tabindex=\"-1\">\n";
  out += "<div class=\"ck-visit-head\">\n<h3" + HtmlAttr("id", name_id) + ">" +
         HtmlEscape(v.patient.name) + "</h3>\n" +
         HtmlElement("p", "ck-meta", PatientLine(v.patient));
  out += "<p class=\"ck-meta\">" + std::to_string(DoneCount(status)) + " of " +
         std::to_string(status.forms.size()) + " forms done · created " + Time(v.created_at) +
         "</p>\n</div>\n<ul class=\"ck-packet\">\n";
  for (const VisitForm& f : status.forms) out += PacketItem(f);
  out += "</ul>\n" + VisitActions(status, page);
  auto invites = page.invites.find(v.id);
  if (invites != page.invites.end()) out += ActiveInvites(invites->second);
  return out +
         "<div class=\"ck-invite\" data-invite-panel hidden></div>\n"
         "<p class=\"ck-visit-status\" role=\"status\"></p>\n</article>\n";
}

// ---- Submission items (the filtered desk and the review queue) ----------

std::string SubmissionItem(const ListedSubmission& s) {
  const SubmissionRecord& r = s.record;
  std::string who = s.patient ? s.patient->name : "No visit (a form filled on its own)";
  std::string out = "<li class=\"ck-sub\">\n<h3><a" +
                    HtmlAttr("href", "/staff/submissions/" + r.id) + ">" + HtmlEscape(who) +
                    "</a></h3>\n" + HtmlElement("p", "ck-sub-form", s.form_title);
  std::string meta = s.patient ? PatientLine(*s.patient) + " · " : "";
  out += "<p class=\"ck-meta\">" + HtmlEscape(meta) + "received " + Time(r.received_at) + "</p>\n";
  out += "<p class=\"ck-badges\">" + StateBadge(StateOf(r), r) + OutcomeBadge(r.outcome) +
         (r.needs_review && !r.review && r.outcome == Outcome::kSuitable
              ? Badge("ck-s-review", "Waiting for", "Countersignature")
              : "") +
         "</p>\n";
  out += Reasons(r.reasons);
  return out + "<p class=\"ck-item-links\">" + PdfLink(r.id) + "\n" + RecordLink(r.id) +
         "</p>\n</li>\n";
}

std::string SubmissionList(const std::vector<ListedSubmission>& items, const char* empty) {
  if (items.empty()) return HtmlElement("p", "ck-empty", empty);
  std::string out = "<ul class=\"ck-subs\">\n";
  for (const ListedSubmission& s : items) out += SubmissionItem(s);
  return out + "</ul>\n";
}

std::string NextLink(const std::string& url) {
  if (url.empty()) return "";
  return "<p class=\"ck-links ck-next\"><a class=\"ck-btn2\" rel=\"next\"" + HtmlAttr("href", url) +
         ">Next page</a></p>\n";
}

std::string CreatedNotice(const DeskPage& page) {
  for (const VisitStatus& status : page.visits) {
    if (status.visit.id != page.created_visit_id) continue;
    return "<p class=\"ck-flash\" role=\"status\">Visit created for " +
           HtmlEscape(status.visit.patient.name) + ".</p>\n";
  }
  return "";
}

// What the listing covers: "today, 23 Nov 2026", "1 Nov 2026 to 30 Nov 2026", …
std::string RangeText(const DeskPage& page) {
  const std::string &first = page.first_day, &last = page.last_day;
  if (page.today) return "today, " + FormatDate(first);
  if (first.empty() && last.empty()) return "all dates";
  if (first == last) return FormatDate(first);
  if (last.empty()) return "from " + FormatDate(first);
  if (first.empty()) return "until " + FormatDate(last);
  return FormatDate(first) + " to " + FormatDate(last);
}

std::string DeskResults(const DeskPage& page) {
  bool subs = page.filters.SelectsSubmissions();
  std::string out =
      "<section class=\"ck-results\" aria-labelledby=\"list-title\">\n<h2 "
      "id=\"list-title\">" +
      std::string(subs ? "Forms" : "Visits") + ", " + HtmlEscape(RangeText(page)) + "</h2>\n";
  if (!page.error.empty()) {
    out += HtmlElement("p", "ck-banner", page.error);
  } else if (subs) {
    out += SubmissionList(page.submissions, "No forms match these filters.");
  } else if (page.visits.empty()) {
    out += HtmlElement("p", "ck-empty", "No visits here yet. Create one with New visit above.");
  } else {
    for (const VisitStatus& status : page.visits) out += VisitCard(status, page);
  }
  return out + NextLink(page.next_url) + "</section>\n";
}

// The slip staff.js fills and prints: outside every card so the print
// stylesheet can show it alone.
std::string SlipTemplate(const ClinicSettings& clinic) {
  return "<section class=\"ck-slip\" id=\"ck-slip\">\n" +
         HtmlElement("p", "ck-slip-clinic", clinic.name) +
         "<h2>Your forms for your visit</h2>\n<p class=\"ck-slip-name\"></p>\n"
         "<p>Scan the code with your phone&#39;s camera, or type the link into its browser. "
         "Fill in each form and sign it with your finger.</p>\n<div class=\"ck-slip-qr\"></div>\n"
         "<p class=\"ck-slip-url\"></p>\n<p class=\"ck-slip-expiry\"></p>\n</section>\n";
}

// ---- The record page ----------------------------------------------------

std::string Row(const char* term, const std::string& html) {
  return std::string("<dt>") + term + "</dt><dd>" + html + "</dd>\n";
}

std::string PatientSection(const RecordPage& page) {
  std::string out =
      "<section class=\"ck-card\" aria-labelledby=\"r-patient\">\n<h2 "
      "id=\"r-patient\">Patient</h2>\n";
  if (!page.visit) {
    return out +
           "<p>This form was filled on its own, without a visit: the patient&#39;s name "
           "is in the PDF.</p>\n</section>\n";
  }
  const Patient& p = page.visit->patient;
  out += "<dl class=\"ck-dl\">\n" + Row("Name", HtmlEscape(p.name)) +
         Row("Date of birth", HtmlEscape(FormatDate(p.date_of_birth)));
  if (!p.number.empty()) out += Row("Clinic number", HtmlEscape(p.number));
  out += Row("Visit", HtmlEscape(page.visit->id) + ", created " + Time(page.visit->created_at));
  return out + "</dl>\n</section>\n";
}

std::string RecordSection(const ListedSubmission& s) {
  const SubmissionRecord& r = s.record;
  std::string out =
      "<section class=\"ck-card\" aria-labelledby=\"r-record\">\n<h2 "
      "id=\"r-record\">Record</h2>\n<dl class=\"ck-dl\">\n";
  out += Row("Form",
             HtmlEscape(s.form_title + " (" + r.form_id + ", version " + r.form_version + ")"));
  out += Row("Received", Time(r.received_at)) + Row("Reference", HtmlEscape(r.id));
  out += Row("Sealed original",
             "<code class=\"ck-hash\">SHA-256 " + HtmlEscape(r.pdf_sha256) + "</code>");
  out += "</dl>\n<p class=\"ck-links\">" +
         NewTabLink("/api/v1/submissions/" + r.id + ".pdf", "Open the sealed PDF", "ck-btn") +
         "</p>\n";
  return out + "</section>\n";
}

std::string ScreeningSection(const SubmissionRecord& r) {
  std::string out =
      "<section class=\"ck-card\" aria-labelledby=\"r-screening\">\n<h2 "
      "id=\"r-screening\">Screening</h2>\n<p class=\"ck-badges\">" +
      OutcomeBadge(r.outcome) + "</p>\n";
  out +=
      r.reasons.empty() ? "<p class=\"ck-note\">No rule gave a reason.</p>\n" : Reasons(r.reasons);
  return out + "</section>\n";
}

std::string ReviewDone(const Review& review) {
  std::string out = "<dl class=\"ck-dl\">\n" +
                    Row("Decision", HtmlEscape(DecisionText(review.decision))) +
                    Row("Note", review.note.empty() ? "<span class=\"ck-note\">None</span>"
                                                    : HtmlEscape(review.note));
  out +=
      Row("Practitioner", HtmlEscape(review.practitioner_name.empty() ? review.practitioner
                                                                      : review.practitioner_name));
  out += Row("Countersigned", Time(review.reviewed_at));
  out += Row("Countersigned PDF",
             "<code class=\"ck-hash\">SHA-256 " + HtmlEscape(review.pdf_sha256) + "</code>");
  return out + "</dl>\n";
}

std::string DecisionOption(const char* value, const char* text) {
  return "<label class=\"ck-opt\"><input type=\"radio\" name=\"decision\"" +
         HtmlAttr("id", std::string("f-decision.") + value) + HtmlAttr("value", value) +
         " required> <span>" + text + "</span></label>\n";
}

std::string ReviewForm(const std::string& submission_id) {
  std::string out =
      "<form class=\"ck-form ck-review\" id=\"ck-review\" novalidate "
      "autocomplete=\"off\"" +
      HtmlAttr("data-review-url", "/api/v1/submissions/" + submission_id + "/review") + ">\n";
  out +=
      "<fieldset class=\"ck-field\" data-field=\"decision\" data-type=\"choice\" "
      "data-required aria-describedby=\"e-decision\">\n<legend>Decision</legend>\n"
      "<div class=\"ck-opts\">\n" +
      DecisionOption("proceed", "Proceed with treatment") +
      DecisionOption("defer", "Defer treatment") + DecisionOption("decline", "Decline treatment") +
      "</div>\n<p class=\"ck-error\" id=\"e-decision\"></p>\n</fieldset>\n";
  out +=
      "<div class=\"ck-field\" data-field=\"note\" data-type=\"textarea\">\n<label "
      "for=\"f-note\">Note (optional)</label>\n<textarea id=\"f-note\" name=\"note\" rows=\"4\" "
      "maxlength=\"2000\" aria-describedby=\"e-note\"></textarea>\n<p class=\"ck-error\" "
      "id=\"e-note\"></p>\n</div>\n";
  out +=
      "<div class=\"ck-field\" data-field=\"signature\" data-type=\"signature\" "
      "data-required>\n" +
      SignaturePadMarkup("signature", "Your signature",
                         "Sign with your finger, a stylus or a mouse. It is added to the "
                         "sealed PDF with your name, the decision and the time.") +
      "</div>\n";
  return out +
         "<div class=\"ck-banner\" id=\"ck-banner\" role=\"alert\"></div>\n<button "
         "type=\"submit\" class=\"ck-btn ck-submit\">Countersign</button>\n</form>\n";
}

std::string ReviewSection(const RecordPage& page) {
  const SubmissionRecord& r = page.submission.record;
  std::string out =
      "<section class=\"ck-card\" aria-labelledby=\"r-review\">\n<h2 "
      "id=\"r-review\">Practitioner review</h2>\n";
  if (r.review) return out + ReviewDone(*r.review) + "</section>\n";
  if (page.review_form) return out + ReviewForm(r.id) + "</section>\n";
  const char* text = r.needs_review ? "Waiting for a practitioner to review and countersign."
                                    : "No review is needed for this form.";
  return out + HtmlElement("p", "", text) + "</section>\n";
}

}  // namespace

std::string RenderDeskPage(const DeskPage& page, const ClinicSettings& clinic) {
  std::string out = StaffPageStart(clinic, "Staff desk", "/staff", page.may_review);
  out += "<h1>Staff desk</h1>\n" + CreatedNotice(page);
  if (page.may_review) {
    out +=
        "<p class=\"ck-note\">Forms waiting for you are in the <a href=\"/staff/review\">review "
        "queue</a>.</p>\n";
  }
  out +=
      "<div class=\"ck-desk-tools\">\n" + NewVisitForm(page.forms) + FilterForm(page) + "</div>\n";
  return out + DeskResults(page) + SlipTemplate(clinic) + HtmlPageEnd();
}

std::string RenderReviewQueuePage(const ReviewQueuePage& page, const ClinicSettings& clinic) {
  std::string out = StaffPageStart(clinic, "Review queue", "/staff/review", true);
  out +=
      "<h1>Review queue</h1>\n<p class=\"ck-note\">Forms whose answers need a practitioner, "
      "and consent forms waiting for your countersignature. Newest first.</p>\n";
  out += SubmissionList(page.items, "Nothing is waiting for review.");
  return out + NextLink(page.next_url) + HtmlPageEnd();
}

std::string RenderRecordPage(const RecordPage& page, const ClinicSettings& clinic) {
  const ListedSubmission& s = page.submission;
  std::string out = StaffPageStart(clinic, s.form_title, "/staff/submissions/" + s.record.id,
                                   page.show_queue_link);
  out += "<h1>" + HtmlEscape(s.form_title) + "</h1>\n<p class=\"ck-meta\">" +
         HtmlEscape(s.patient ? s.patient->name + " · " : "") + "received " +
         Time(s.record.received_at) + "</p>\n";
  out += "<div class=\"ck-record\">\n" + PatientSection(page) + RecordSection(s) +
         ScreeningSection(s.record) + ReviewSection(page) + "</div>\n";
  return out + HtmlPageEnd();
}

}  // namespace consentkit
