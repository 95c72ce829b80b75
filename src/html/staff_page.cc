// The staff pages (html/staff.h). The markup is the contract with
// web/staff.js: a visit card carries data-visit, its buttons data-action;
// the new-visit form and the review form name each input's wrapper by the
// field id the API's problems use (data-field="patient.name", "decision").
// Every built-in word is the clinic's language's (i18n/*.messages: staff.*):
// the pages are one clinic's desk, in its one working language.
#include <algorithm>

#include "form/field_rules.h"
#include "html/html.h"
#include "html/page.h"
#include "html/staff.h"
#include "i18n/dates.h"
#include "util/json_writer.h"

namespace consentkit {
namespace {

// The clinic's words and date convention, which every part of a page uses.
struct Words {
  const Catalog& text;
  std::optional<DateOrder> dates;

  const std::string& operator()(std::string_view key) const { return text.Text(key); }
  std::string Format(std::string_view key,
                     std::initializer_list<std::pair<std::string_view, std::string>> values) const {
    return text.Format(key, values);
  }
  // "2026-11-23" → "23 Nov 2026" (dates.h); anything else unchanged.
  std::string Date(const std::string& iso) const { return DisplayLongDate(iso, text, dates); }
};

Words WordsFor(const ClinicSettings& clinic) {
  return {Catalog::For(clinic.language), clinic.date_order};
}

// A UTC time as <time>: staff.js rewrites the text in the desk's own time
// zone; without it staff still read the UTC time.
std::string Time(const Words& w, const std::string& iso) {
  std::string text = iso.size() >= 16
                         ? w.Format("staff.time-utc", {{"date", w.Date(iso.substr(0, 10))},
                                                       {"time", iso.substr(11, 5)}})
                         : iso;
  return "<time" + HtmlAttr("datetime", iso) + ">" + HtmlEscape(text) + "</time>";
}

std::string NewTabLink(const Words& w, const std::string& href, const std::string& text,
                       const char* css) {
  return "<a" + HtmlAttr("class", css) + HtmlAttr("href", href) +
         " target=\"_blank\" rel=\"noopener\">" + HtmlEscape(text) + "<span class=\"ck-sr\"> " +
         HtmlEscape(w("staff.new-tab")) + "</span></a>";
}

std::string PdfLink(const Words& w, const std::string& submission_id, const char* css = "") {
  return NewTabLink(w, "/api/v1/submissions/" + submission_id + ".pdf", w("staff.sealed-pdf"), css);
}

std::string RecordLink(const Words& w, const std::string& submission_id) {
  return "<a" + HtmlAttr("href", "/staff/submissions/" + submission_id) + ">" +
         HtmlEscape(w("staff.record-link")) + "</a>";
}

// A badge says its meaning in words; its colour only repeats it. The
// hidden prefix tells a screen reader which of the two badges it is.
std::string Badge(const std::string& css, const std::string& kind, const std::string& text) {
  return "<span" + HtmlAttr("class", "ck-badge " + css) + "><span class=\"ck-sr\">" +
         HtmlEscape(kind) + ": </span>" + HtmlEscape(text) + "</span>";
}

std::string OutcomeBadge(const Words& w, Outcome outcome) {
  const char* css = outcome == Outcome::kSuitable             ? "ck-o-suitable"
                    : outcome == Outcome::kPractitionerReview ? "ck-o-review"
                                                              : "ck-o-defer";
  return Badge(css, w("staff.badge.outcome"), OutcomeLabel(outcome, w.text));
}

std::string DecisionText(const Words& w, const std::string& decision) {
  if (decision == "proceed" || decision == "defer" || decision == "decline") {
    return w("staff.decision." + decision);
  }
  return decision;
}

std::string StateBadge(const Words& w, FormState state,
                       const std::optional<SubmissionRecord>& record) {
  const std::string& kind = w("staff.badge.state");
  switch (state) {
    case FormState::kNotStarted:
      return Badge("ck-s-none", kind, w("staff.state.not-started"));
    case FormState::kSubmitted:
      return Badge("ck-s-done", kind, w("staff.state.submitted"));
    case FormState::kNeedsReview:
      return Badge("ck-s-review", kind, w("staff.state.needs-review"));
    case FormState::kReviewed:
      break;
  }
  if (record && record->review) {
    return Badge("ck-s-reviewed", kind,
                 w.Format("staff.state.reviewed-as",
                          {{"decision", DecisionText(w, record->review->decision)}}));
  }
  return Badge("ck-s-reviewed", kind, w("staff.state.reviewed"));
}

std::string Reasons(const Words& w, const std::vector<std::string>& reasons) {
  if (reasons.empty()) return "";
  std::string out = "<ul class=\"ck-reasons\"" + HtmlAttr("aria-label", w("staff.reasons")) + ">\n";
  for (const std::string& reason : reasons) out += HtmlElement("li", "", reason);
  return out + "</ul>\n";
}

// The links every staff page carries; `current` is marked for screen readers.
std::string StaffNav(const Words& w, const std::string& current, bool may_review) {
  auto link = [&current](const std::string& href, const std::string& text) {
    return "<a" + HtmlAttr("href", href) + (href == current ? " aria-current=\"page\"" : "") + ">" +
           HtmlEscape(text) + "</a>\n";
  };
  std::string out = "<nav class=\"ck-nav\"" + HtmlAttr("aria-label", w("staff.nav")) + ">\n" +
                    link("/staff", w("staff.nav.desk"));
  if (may_review) out += link("/staff/review", w("staff.nav.review"));
  return out + link("/", w("staff.nav.forms")) + "</nav>\n";
}

// What staff.js says on these pages, in the page's language: every
// staff.js.* message without its prefix, {placeholders} left for the script
// to fill. None holds "<" (the catalog is ours), so none closes the element.
std::string ScriptWords(const Words& w) {
  constexpr std::string_view kPrefix = "staff.js.";
  JsonWriter texts;
  texts.BeginObject();
  for (const std::string& key : w.text.Keys()) {
    if (key.compare(0, kPrefix.size(), kPrefix) == 0) {
      texts.Field(key.substr(kPrefix.size()), w.text.Text(key));
    }
  }
  texts.EndObject();
  return "<script type=\"application/json\" id=\"ck-staff-text\">" + texts.str() + "</script>\n";
}

std::string StaffPageStart(const Words& w, const ClinicSettings& clinic, const std::string& title,
                           const std::string& current, bool may_review) {
  return HtmlPageStart({w.text.language(), title, "staff.js", true}, clinic) + ScriptWords(w) +
         StaffNav(w, current, may_review);
}

// ---- The new-visit form -------------------------------------------------

// A labelled input whose problems (by `api_id`) land in its error slot.
std::string NewVisitInput(const std::string& api_id, const std::string& id,
                          const std::string& label, const char* attrs) {
  std::string described = "e-" + id;
  std::string out = "<div class=\"ck-field\"" + HtmlAttr("data-field", api_id) + ">\n<label" +
                    HtmlAttr("for", id) + ">" + HtmlEscape(label) + "</label>\n";
  out += "<input" + HtmlAttr("id", id) + HtmlAttr("name", id.substr(3)) + attrs +
         HtmlAttr("aria-describedby", described) + ">\n";
  return out + "<p class=\"ck-error\"" + HtmlAttr("id", "e-" + id) + "></p>\n</div>\n";
}

std::string FormCheckboxes(const Words& w, const std::vector<FormPtr>& forms) {
  std::string out =
      "<fieldset class=\"ck-field ck-nv-forms\" data-field=\"forms\" "
      "aria-describedby=\"e-nv-forms\">\n" +
      HtmlElement("legend", "", w("staff.new-visit.forms")) + "<div class=\"ck-opts\">\n";
  for (const FormPtr& form : forms) {
    out += "<label class=\"ck-opt\"><input type=\"checkbox\" name=\"forms\"" +
           HtmlAttr("value", form->id) + " checked> <span>" + HtmlEscape(form->title) +
           "</span></label>\n";
  }
  return out + "</div>\n<p class=\"ck-error\" id=\"e-nv-forms\"></p>\n</fieldset>\n";
}

std::string NewVisitForm(const Words& w, const std::vector<FormPtr>& forms) {
  std::string out =
      "<section class=\"ck-card ck-new-visit\" aria-labelledby=\"nv-title\">\n"
      "<h2 id=\"nv-title\">" +
      HtmlEscape(w("staff.new-visit")) +
      "</h2>\n<form class=\"ck-form\" id=\"ck-new-visit\" novalidate autocomplete=\"off\">\n"
      "<div class=\"ck-nv-who\">\n";
  out += NewVisitInput("patient.name", "nv-name", w("staff.new-visit.name"),
                       " type=\"text\" maxlength=\"200\" required");
  out += NewVisitInput("patient.date_of_birth", "nv-dob", w("staff.new-visit.dob"),
                       " type=\"date\" required");
  out += NewVisitInput("patient.number", "nv-number", w("staff.new-visit.number"),
                       " type=\"text\" maxlength=\"40\" spellcheck=\"false\"");
  out += "</div>\n" + FormCheckboxes(w, forms);
  return out +
         "<div class=\"ck-banner\" id=\"nv-banner\" role=\"alert\"></div>\n"
         "<button type=\"submit\" class=\"ck-btn\">" +
         HtmlEscape(w("staff.new-visit.create")) + "</button>\n</form>\n</section>\n";
}

// ---- The filter form ----------------------------------------------------

std::string Select(const std::string& name, const std::string& label,
                   const std::vector<std::pair<std::string, std::string>>& options,
                   const std::string& chosen) {
  std::string out = "<div class=\"ck-field\">\n<label" + HtmlAttr("for", "q-" + name) + ">" +
                    HtmlEscape(label) + "</label>\n<select" + HtmlAttr("id", "q-" + name) +
                    HtmlAttr("name", name) + ">\n";
  for (const auto& [value, text] : options) {
    out += "<option" + HtmlAttr("value", value) + (value == chosen ? " selected" : "") + ">" +
           HtmlEscape(text) + "</option>\n";
  }
  return out + "</select>\n</div>\n";
}

std::string FilterInput(const std::string& name, const std::string& label, const char* type,
                        const std::string& value) {
  return "<div class=\"ck-field\">\n<label" + HtmlAttr("for", "q-" + name) + ">" +
         HtmlEscape(label) + "</label>\n<input" + HtmlAttr("type", type) +
         HtmlAttr("id", "q-" + name) + HtmlAttr("name", name) + HtmlAttr("value", value) +
         ">\n</div>\n";
}

std::string OutcomeSelect(const Words& w, const std::string& chosen) {
  std::vector<std::pair<std::string, std::string>> options = {{"", w("staff.filter.any-outcome")}};
  for (Outcome o : {Outcome::kSuitable, Outcome::kPractitionerReview, Outcome::kDefer}) {
    options.emplace_back(ToString(o), OutcomeLabel(o, w.text));
  }
  return Select("outcome", w("staff.filter.outcome"), options, chosen);
}

std::string FilterForm(const Words& w, const DeskPage& page) {
  const DeskFilters& f = page.filters;
  std::vector<std::pair<std::string, std::string>> forms = {{"", w("staff.filter.any-form")}};
  for (const FormPtr& form : page.forms) forms.emplace_back(form->id, form->title);
  std::string out =
      "<section class=\"ck-card ck-filters\" aria-labelledby=\"find-title\">\n"
      "<h2 id=\"find-title\">" +
      HtmlEscape(w("staff.filter.title")) +
      "</h2>\n<form method=\"get\" action=\"/staff\" role=\"search\" "
      "aria-labelledby=\"find-title\">\n<div class=\"ck-filter-grid\">\n";
  out += FilterInput("q", w("staff.filter.q"), "search", f.q);
  out += FilterInput("from", w("staff.filter.from"), "date", f.from) +
         FilterInput("to", w("staff.filter.to"), "date", f.to);
  out += Select("form", w("staff.filter.form"), forms, f.form) + OutcomeSelect(w, f.outcome);
  out += Select("review", w("staff.filter.review"),
                {{"", w("staff.filter.any")},
                 {"pending", w("staff.filter.pending")},
                 {"done", w("staff.filter.done")}},
                f.review);
  return out + "</div>\n" + HtmlElement("p", "ck-hint", w("staff.filter.hint")) +
         "<p class=\"ck-links\"><button type=\"submit\" class=\"ck-btn\">" +
         HtmlEscape(w("staff.filter.show")) + "</button>\n<a class=\"ck-btn2\" href=\"/staff\">" +
         HtmlEscape(w("staff.filter.today")) + "</a></p>\n</form>\n</section>\n";
}

// ---- Visit cards --------------------------------------------------------

std::string PatientLine(const Words& w, const Patient& p) {
  std::string born = w.Date(p.date_of_birth);
  if (p.number.empty()) return w.Format("staff.patient.born", {{"dob", born}});
  return w.Format("staff.patient.born-number", {{"dob", born}, {"number", p.number}});
}

// A form with a witness step: who unlocked it, and until the form is sent
// a button to unlock it (with the witness present) or lock it again.
std::string WitnessStep(const Words& w, const VisitForm& f) {
  std::string out = "<span class=\"ck-witness\"" + HtmlAttr("data-form", f.form_id) + ">";
  if (f.witness) {
    out +=
        HtmlEscape(w.Format("staff.witness.unlocked-by", {{"name", f.witness->unlocked_by_name}})) +
        " " + Time(w, f.witness->unlocked_at);
  } else {
    out += HtmlEscape(w(f.submission ? "staff.witness.never-unlocked" : "staff.witness.locked"));
  }
  if (!f.submission) {
    // Every form of a packet may have one: the label names the form.
    const std::string& text = w(f.witness ? "staff.witness.lock" : "staff.witness.unlock");
    std::string title = f.form ? f.form->title : f.form_id;
    out += " <button type=\"button\" class=\"ck-btn2\"" +
           HtmlAttr("data-action", f.witness ? "witness-lock" : "witness") +
           HtmlAttr("data-form", f.form_id) + HtmlAttr("aria-label", text + ": " + title) + ">" +
           HtmlEscape(text) + "</button>";
  }
  return out + "</span>\n";
}

std::string PacketItem(const Words& w, const VisitForm& f) {
  std::string title = f.form ? f.form->title : f.form_id;
  std::string out = "<li class=\"ck-packet-item\">\n" + HtmlElement("span", "ck-form-name", title);
  out += "<span class=\"ck-badges\">" + StateBadge(w, f.state, f.submission);
  if (f.submission) out += OutcomeBadge(w, f.submission->outcome);
  out += "</span>\n";
  if (f.submission) {
    out += "<span class=\"ck-item-links\">" + PdfLink(w, f.submission->id) + "\n" +
           RecordLink(w, f.submission->id) + "</span>\n";
  }
  if (f.HasWitnessStep()) out += WitnessStep(w, f);
  return out + "</li>\n";
}

std::string TabletOption(const Words& w, const DeskTablet& t, const std::string& visit_id,
                         bool selected) {
  std::string text = t.visit_id == visit_id ? w.Format("staff.tablet.showing", {{"name", t.name}})
                     : t.visit_id.empty()   ? t.name
                                            : w.Format("staff.tablet.in-use", {{"name", t.name}});
  bool busy = !t.visit_id.empty() && t.visit_id != visit_id;
  return "<option" + HtmlAttr("value", t.id) + (selected ? " selected" : "") +
         (busy ? " data-busy" : "") + ">" + HtmlEscape(text) + "</option>\n";
}

std::string TabletPicker(const Words& w, const std::string& visit_id,
                         const std::vector<DeskTablet>& tablets) {
  if (tablets.empty()) return HtmlElement("p", "ck-note", w("staff.tablet.none"));
  std::string id = "tab-" + visit_id;
  std::string out = "<div class=\"ck-handoff\">\n<label" + HtmlAttr("for", id) + ">" +
                    HtmlEscape(w("staff.tablet")) + "</label>\n<select" + HtmlAttr("id", id) +
                    " name=\"tablet\">\n";
  // A free tablet is offered first: handing over a busy one interrupts a patient.
  auto free = std::find_if(tablets.begin(), tablets.end(),
                           [](const DeskTablet& t) { return t.visit_id.empty(); });
  for (auto it = tablets.begin(); it != tablets.end(); ++it) {
    out += TabletOption(w, *it, visit_id, it == free);
  }
  return out + "</select>\n<button type=\"button\" class=\"ck-btn\" data-action=\"handoff\">" +
         HtmlEscape(w("staff.tablet.hand")) + "</button>\n</div>\n";
}

std::string ActiveInvites(const Words& w, const std::vector<Invite>& invites) {
  if (invites.empty()) return "";
  std::string out = "<ul class=\"ck-invites\"" + HtmlAttr("aria-label", w("staff.invites")) + ">\n";
  for (const Invite& invite : invites) {
    out += "<li>" + HtmlEscape(w("staff.invites.sent")) + " " + Time(w, invite.expires_at) +
           " <button type=\"button\" class=\"ck-btn2\" data-action=\"revoke\"" +
           HtmlAttr("data-invite", invite.id) + ">" + HtmlEscape(w("staff.invites.withdraw")) +
           "</button></li>\n";
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

std::string VisitActions(const Words& w, const VisitStatus& status, const DeskPage& page) {
  const std::string& id = status.visit.id;
  bool all_done = DoneCount(status) == status.forms.size();
  std::string out = "<div class=\"ck-visit-actions\">\n";
  if (!all_done) {
    out += TabletPicker(w, id, page.tablets);
    out += "<button type=\"button\" class=\"ck-btn2\" data-action=\"invite\">" +
           HtmlEscape(w("staff.visit.invite")) + "</button>\n";
  }
  out +=
      NewTabLink(w, "/staff/visits/" + id + "/blank.pdf", w("staff.visit.print-blank"), "ck-btn2");
  if (AnySubmitted(status)) {
    out += "\n" + NewTabLink(w, "/staff/visits/" + id + "/packet.pdf",
                             w("staff.visit.print-signed"), "ck-btn2");
  }
  return out + "\n</div>\n";
}

std::string VisitCard(const Words& w, const VisitStatus& status, const DeskPage& page) {
  const Visit& v = status.visit;
  std::string name_id = "vn-" + v.id;
  bool created = v.id == page.created_visit_id;
  std::string out = "<article" + HtmlAttr("class", created ? "ck-visit ck-new" : "ck-visit") +
                    HtmlAttr("id", "v-" + v.id) + HtmlAttr("data-visit", v.id) +
                    HtmlAttr("aria-labelledby", name_id) + " tabindex=\"-1\">\n";
  out += "<div class=\"ck-visit-head\">\n<h3" + HtmlAttr("id", name_id) + ">" +
         HtmlEscape(v.patient.name) + "</h3>\n" +
         HtmlElement("p", "ck-meta", PatientLine(w, v.patient));
  out += "<p class=\"ck-meta\">" +
         HtmlEscape(
             w.Format("staff.visit.done-count", {{"done", std::to_string(DoneCount(status))},
                                                 {"count", std::to_string(status.forms.size())}})) +
         " " + Time(w, v.created_at) + "</p>\n</div>\n<ul class=\"ck-packet\">\n";
  for (const VisitForm& f : status.forms) out += PacketItem(w, f);
  out += "</ul>\n" + VisitActions(w, status, page);
  auto invites = page.invites.find(v.id);
  if (invites != page.invites.end()) out += ActiveInvites(w, invites->second);
  return out +
         "<div class=\"ck-invite\" data-invite-panel hidden></div>\n"
         "<p class=\"ck-visit-status\" role=\"status\"></p>\n</article>\n";
}

// ---- Submission items (the filtered desk and the review queue) ----------

std::string SubmissionItem(const Words& w, const ListedSubmission& s) {
  const SubmissionRecord& r = s.record;
  std::string who = s.patient ? s.patient->name : w("staff.sub.no-visit");
  std::string out = "<li class=\"ck-sub\">\n<h3><a" +
                    HtmlAttr("href", "/staff/submissions/" + r.id) + ">" + HtmlEscape(who) +
                    "</a></h3>\n" + HtmlElement("p", "ck-sub-form", s.form_title);
  std::string meta = s.patient ? PatientLine(w, *s.patient) + " · " : "";
  out += "<p class=\"ck-meta\">" + HtmlEscape(meta + w("staff.received")) + " " +
         Time(w, r.received_at) + "</p>\n";
  out +=
      "<p class=\"ck-badges\">" + StateBadge(w, StateOf(r), r) + OutcomeBadge(w, r.outcome) +
      (r.needs_review && !r.review && r.outcome == Outcome::kSuitable
           ? Badge("ck-s-review", w("staff.badge.waiting-for"), w("staff.badge.countersignature"))
           : "") +
      "</p>\n";
  out += Reasons(w, r.reasons);
  return out + "<p class=\"ck-item-links\">" + PdfLink(w, r.id) + "\n" + RecordLink(w, r.id) +
         "</p>\n</li>\n";
}

std::string SubmissionList(const Words& w, const std::vector<ListedSubmission>& items,
                           const std::string& empty) {
  if (items.empty()) return HtmlElement("p", "ck-empty", empty);
  std::string out = "<ul class=\"ck-subs\">\n";
  for (const ListedSubmission& s : items) out += SubmissionItem(w, s);
  return out + "</ul>\n";
}

std::string NextLink(const Words& w, const std::string& url) {
  if (url.empty()) return "";
  return "<p class=\"ck-links ck-next\"><a class=\"ck-btn2\" rel=\"next\"" + HtmlAttr("href", url) +
         ">" + HtmlEscape(w("staff.next-page")) + "</a></p>\n";
}

std::string CreatedNotice(const Words& w, const DeskPage& page) {
  for (const VisitStatus& status : page.visits) {
    if (status.visit.id != page.created_visit_id) continue;
    return "<p class=\"ck-flash\" role=\"status\">" +
           HtmlEscape(w.Format("staff.visit.created", {{"name", status.visit.patient.name}})) +
           "</p>\n";
  }
  return "";
}

// What the listing covers: "today, 23 Nov 2026", "1 Nov 2026 to 30 Nov 2026", …
std::string RangeText(const Words& w, const DeskPage& page) {
  const std::string &first = page.first_day, &last = page.last_day;
  if (page.today) return w.Format("staff.range.today", {{"date", w.Date(first)}});
  if (first.empty() && last.empty()) return w("staff.range.all");
  if (first == last) return w.Date(first);
  if (last.empty()) return w.Format("staff.range.from", {{"date", w.Date(first)}});
  if (first.empty()) return w.Format("staff.range.until", {{"date", w.Date(last)}});
  return w.Format("staff.range.between", {{"first", w.Date(first)}, {"last", w.Date(last)}});
}

std::string DeskResults(const Words& w, const DeskPage& page) {
  bool subs = page.filters.SelectsSubmissions();
  std::string heading = w.Format(subs ? "staff.results.forms" : "staff.results.visits",
                                 {{"range", RangeText(w, page)}});
  std::string out =
      "<section class=\"ck-results\" aria-labelledby=\"list-title\">\n<h2 "
      "id=\"list-title\">" +
      HtmlEscape(heading) + "</h2>\n";
  if (!page.error.empty()) {
    out += HtmlElement("p", "ck-banner", page.error);
  } else if (subs) {
    out += SubmissionList(w, page.submissions, w("staff.results.no-forms"));
  } else if (page.visits.empty()) {
    out += HtmlElement("p", "ck-empty", w("staff.results.no-visits"));
  } else {
    for (const VisitStatus& status : page.visits) out += VisitCard(w, status, page);
  }
  return out + NextLink(w, page.next_url) + "</section>\n";
}

// The slip staff.js fills and prints: outside every card so the print
// stylesheet can show it alone. It is the patient's, but printed at the
// desk in the clinic's language.
std::string SlipTemplate(const Words& w, const ClinicSettings& clinic) {
  return "<section class=\"ck-slip\" id=\"ck-slip\">\n" +
         HtmlElement("p", "ck-slip-clinic", clinic.name) +
         HtmlElement("h2", "", w("staff.slip.title")) + "<p class=\"ck-slip-name\"></p>\n" +
         HtmlElement("p", "", w("staff.slip.how")) +
         "<div class=\"ck-slip-qr\"></div>\n<p class=\"ck-slip-url\"></p>\n<p "
         "class=\"ck-slip-expiry\"></p>\n</section>\n";
}

// ---- The record page ----------------------------------------------------

std::string Row(const std::string& term, const std::string& html) {
  return "<dt>" + HtmlEscape(term) + "</dt><dd>" + html + "</dd>\n";
}

std::string Card(const std::string& id, const std::string& heading) {
  return "<section class=\"ck-card\"" + HtmlAttr("aria-labelledby", id) + ">\n<h2" +
         HtmlAttr("id", id) + ">" + HtmlEscape(heading) + "</h2>\n";
}

std::string PatientSection(const Words& w, const RecordPage& page) {
  std::string out = Card("r-patient", w("staff.record.patient"));
  if (!page.visit) return out + HtmlElement("p", "", w("staff.record.no-visit")) + "</section>\n";
  const Patient& p = page.visit->patient;
  out += "<dl class=\"ck-dl\">\n" + Row(w("staff.record.name"), HtmlEscape(p.name)) +
         Row(w("staff.record.dob"), HtmlEscape(w.Date(p.date_of_birth)));
  if (!p.number.empty()) out += Row(w("staff.record.number"), HtmlEscape(p.number));
  out += Row(w("staff.record.visit"),
             HtmlEscape(w.Format("staff.record.visit-created", {{"id", page.visit->id}})) + " " +
                 Time(w, page.visit->created_at));
  return out + "</dl>\n</section>\n";
}

std::string RecordSection(const Words& w, const ListedSubmission& s) {
  const SubmissionRecord& r = s.record;
  std::string out = Card("r-record", w("staff.record.record")) + "<dl class=\"ck-dl\">\n";
  out += Row(w("staff.record.form"),
             HtmlEscape(w.Format(
                 "staff.record.form-version",
                 {{"title", s.form_title}, {"id", r.form_id}, {"version", r.form_version}})));
  out += Row(w("staff.record.received"), Time(w, r.received_at)) +
         Row(w("staff.record.reference"), HtmlEscape(r.id));
  out += Row(w("staff.record.sealed"),
             "<code class=\"ck-hash\">SHA-256 " + HtmlEscape(r.pdf_sha256) + "</code>");
  out +=
      "</dl>\n<p class=\"ck-links\">" +
      NewTabLink(w, "/api/v1/submissions/" + r.id + ".pdf", w("staff.record.open-pdf"), "ck-btn") +
      "</p>\n";
  return out + "</section>\n";
}

std::string ScreeningSection(const Words& w, const SubmissionRecord& r) {
  std::string out = Card("r-screening", w("staff.record.screening")) + "<p class=\"ck-badges\">" +
                    OutcomeBadge(w, r.outcome) + "</p>\n";
  out += r.reasons.empty() ? HtmlElement("p", "ck-note", w("staff.record.no-reason"))
                           : Reasons(w, r.reasons);
  return out + "</section>\n";
}

std::string ReviewDone(const Words& w, const Review& review) {
  std::string out = "<dl class=\"ck-dl\">\n" +
                    Row(w("staff.review.decision"), HtmlEscape(DecisionText(w, review.decision))) +
                    Row(w("staff.review.note"),
                        review.note.empty() ? "<span class=\"ck-note\">" +
                                                  HtmlEscape(w("staff.review.none")) + "</span>"
                                            : HtmlEscape(review.note));
  out += Row(w("staff.review.practitioner"),
             HtmlEscape(review.practitioner_name.empty() ? review.practitioner
                                                         : review.practitioner_name));
  out += Row(w("staff.review.countersigned"), Time(w, review.reviewed_at));
  out += Row(w("staff.review.countersigned-pdf"),
             "<code class=\"ck-hash\">SHA-256 " + HtmlEscape(review.pdf_sha256) + "</code>");
  return out + "</dl>\n";
}

std::string DecisionOption(const Words& w, const std::string& value) {
  return "<label class=\"ck-opt\"><input type=\"radio\" name=\"decision\"" +
         HtmlAttr("id", "f-decision." + value) + HtmlAttr("value", value) + " required> <span>" +
         HtmlEscape(w("staff.review.option." + value)) + "</span></label>\n";
}

std::string ReviewForm(const Words& w, const std::string& submission_id) {
  std::string out =
      "<form class=\"ck-form ck-review\" id=\"ck-review\" novalidate "
      "autocomplete=\"off\"" +
      HtmlAttr("data-review-url", "/api/v1/submissions/" + submission_id + "/review") + ">\n";
  out +=
      "<fieldset class=\"ck-field\" data-field=\"decision\" data-type=\"choice\" "
      "data-required aria-describedby=\"e-decision\">\n" +
      HtmlElement("legend", "", w("staff.review.decision")) + "<div class=\"ck-opts\">\n" +
      DecisionOption(w, "proceed") + DecisionOption(w, "defer") + DecisionOption(w, "decline") +
      "</div>\n<p class=\"ck-error\" id=\"e-decision\"></p>\n</fieldset>\n";
  out +=
      "<div class=\"ck-field\" data-field=\"note\" data-type=\"textarea\">\n<label "
      "for=\"f-note\">" +
      HtmlEscape(w("staff.review.note-optional")) +
      "</label>\n<textarea id=\"f-note\" name=\"note\" rows=\"4\" "
      "maxlength=\"2000\" aria-describedby=\"e-note\"></textarea>\n<p class=\"ck-error\" "
      "id=\"e-note\"></p>\n</div>\n";
  out +=
      "<div class=\"ck-field\" data-field=\"signature\" data-type=\"signature\" "
      "data-required>\n" +
      SignaturePadMarkup("signature", HtmlEscape(w("staff.review.signature")),
                         w("staff.review.signature-hint")) +
      "</div>\n";
  return out +
         "<div class=\"ck-banner\" id=\"ck-banner\" role=\"alert\"></div>\n<button "
         "type=\"submit\" class=\"ck-btn ck-submit\">" +
         HtmlEscape(w("staff.review.countersign")) + "</button>\n</form>\n";
}

std::string ReviewSection(const Words& w, const RecordPage& page) {
  const SubmissionRecord& r = page.submission.record;
  std::string out = Card("r-review", w("staff.review.title"));
  if (r.review) return out + ReviewDone(w, *r.review) + "</section>\n";
  if (page.review_form) return out + ReviewForm(w, r.id) + "</section>\n";
  const std::string& text = w(r.needs_review ? "staff.review.waiting" : "staff.review.not-needed");
  return out + HtmlElement("p", "", text) + "</section>\n";
}

}  // namespace

std::string RenderDeskPage(const DeskPage& page, const ClinicSettings& clinic) {
  Words w = WordsFor(clinic);
  std::string out = StaffPageStart(w, clinic, w("staff.desk"), "/staff", page.may_review);
  out += HtmlElement("h1", "", w("staff.desk")) + CreatedNotice(w, page);
  if (page.may_review) {
    out += "<p class=\"ck-note\">" + HtmlEscape(w("staff.desk.queue-before")) +
           " <a href=\"/staff/review\">" + HtmlEscape(w("staff.desk.queue-link")) + "</a>.</p>\n";
  }
  out += "<div class=\"ck-desk-tools\">\n" + NewVisitForm(w, page.forms) + FilterForm(w, page) +
         "</div>\n";
  return out + DeskResults(w, page) + SlipTemplate(w, clinic) + HtmlPageEnd();
}

std::string RenderReviewQueuePage(const ReviewQueuePage& page, const ClinicSettings& clinic) {
  Words w = WordsFor(clinic);
  std::string out = StaffPageStart(w, clinic, w("staff.queue"), "/staff/review", true);
  out +=
      HtmlElement("h1", "", w("staff.queue")) + HtmlElement("p", "ck-note", w("staff.queue.note"));
  out += SubmissionList(w, page.items, w("staff.queue.empty"));
  return out + NextLink(w, page.next_url) + HtmlPageEnd();
}

std::string RenderRecordPage(const RecordPage& page, const ClinicSettings& clinic) {
  Words w = WordsFor(clinic);
  const ListedSubmission& s = page.submission;
  std::string out = StaffPageStart(w, clinic, s.form_title, "/staff/submissions/" + s.record.id,
                                   page.show_queue_link);
  out += "<h1>" + HtmlEscape(s.form_title) + "</h1>\n<p class=\"ck-meta\">" +
         HtmlEscape((s.patient ? s.patient->name + " · " : "") + w("staff.received")) + " " +
         Time(w, s.record.received_at) + "</p>\n";
  out += "<div class=\"ck-record\">\n" + PatientSection(w, page) + RecordSection(w, s) +
         ScreeningSection(w, s.record) + ReviewSection(w, page) + "</div>\n";
  return out + HtmlPageEnd();
}

// ---- The clinic's device pages, in a language ---------------------------

std::string RenderKioskPage(const ClinicSettings& clinic, const Catalog& text) {
  std::string out = HtmlPageStart(
      {text.language(), text.Text("kiosk.title"), "kiosk.js", false, "ck-kiosk"}, clinic);
  // kiosk.js says these while it waits; the page carries them in its language.
  out += "<div class=\"ck-screen\" data-kiosk" +
         HtmlAttr("data-msg-not-tablet", text.Text("kiosk.not-a-tablet")) +
         HtmlAttr("data-msg-offline", text.Text("kiosk.offline")) + ">\n" +
         HtmlElement("h1", "", text.Text("kiosk.heading")) +
         HtmlElement("p", "ck-note", text.Text("kiosk.note")) +
         "<p class=\"ck-screen-status\" id=\"ck-kiosk-status\" role=\"status\"></p>\n</div>\n";
  return out + HtmlPageEnd();
}

std::string RenderVisitDonePage(const ClinicSettings& clinic, const Catalog& text,
                                VisitChannel channel, const std::string& visit_id) {
  bool kiosk = channel == VisitChannel::kKiosk;
  std::string out = HtmlPageStart({text.language(), text.Text("done.title"),
                                   kiosk ? "kiosk.js" : "", false, kiosk ? "ck-kiosk" : ""},
                                  clinic);
  out += "<div class=\"ck-screen ck-thanks\"" +
         (kiosk ? HtmlAttr("data-kiosk-done", visit_id) : std::string()) + ">\n" +
         HtmlElement("h1", "", text.Text("done.title")) +
         HtmlElement("p", "", text.Text("done.finished"));
  if (kiosk) {
    out += HtmlElement("p", "", text.Text("done.hand-back")) +
           "<button type=\"button\" class=\"ck-btn\" id=\"ck-done\">" +
           HtmlEscape(text.Text("done.button")) + "</button>\n";
  } else {
    out += HtmlElement("p", "", text.Text("done.close"));
  }
  return out + "</div>\n" + HtmlPageEnd();
}

std::string RenderNoticePage(const ClinicSettings& clinic, const Catalog& text,
                             const std::string& title, const std::string& message) {
  return HtmlPageStart({text.language(), title}, clinic) + "<div class=\"ck-notice\">\n" +
         HtmlElement("h1", "", title) + HtmlElement("p", "", message) + "</div>\n" + HtmlPageEnd();
}

std::string RenderPairPage(const ClinicSettings& clinic, const Catalog& text,
                           const std::string& error) {
  std::string out = HtmlPageStart({text.language(), text.Text("pair.title"), "pair.js"}, clinic);
  out += HtmlElement("h1", "", text.Text("pair.title"));
  // The command is a program's name: it stays as typed in every language.
  std::string note = HtmlEscape(text.Text("pair.note"));
  const std::string placeholder = "{command}";
  std::size_t at = note.find(placeholder);
  if (at != std::string::npos) {
    note.replace(at, placeholder.size(), "<code>consentkit tokens create</code>");
  }
  out += "<p class=\"ck-note\">" + note + "</p>\n";
  if (!error.empty()) out += HtmlElement("p", "ck-banner ck-pair-error", error);
  out +=
      "<form class=\"ck-pair\" method=\"post\" action=\"/pair\">\n"
      "<div class=\"ck-field\"><label for=\"f-token\" class=\"ck-label\">" +
      HtmlEscape(text.Text("pair.token")) +
      "</label>\n<input type=\"password\" id=\"f-token\" name=\"token\" required "
      "autocomplete=\"off\" spellcheck=\"false\"></div>\n<button type=\"submit\" "
      "class=\"ck-btn\">" +
      HtmlEscape(text.Text("pair.submit")) + "</button>\n</form>\n";
  return out + HtmlPageEnd();
}

}  // namespace consentkit
