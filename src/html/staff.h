// The staff pages: the desk (today's visits, filters, new visits, kiosk
// hand-offs, invites, packets), the practitioner's review queue and one
// record with its review. Only these pages show screening outcomes,
// reasons and links to records; the patient pages are in html/html.h.
//
// The renderers only format what the caller read (src/server/pages.cc):
// pure functions, safe from any thread. Every string from the store or a
// query is HTML-escaped.
#ifndef CONSENTKIT_HTML_STAFF_H_
#define CONSENTKIT_HTML_STAFF_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "form/form.h"
#include "html/html.h"  // VisitChannel
#include "i18n/catalog.h"
#include "service/visits.h"
#include "store/store.h"

namespace consentkit {

// A paired tablet staff can hand a visit to.
struct DeskTablet {
  std::string id;        // its token id
  std::string name;      // e.g. "Front desk iPad"
  std::string visit_id;  // the visit it shows now; empty when free
};

// A submission as the listings show it.
struct ListedSubmission {
  SubmissionRecord record;
  std::optional<Patient> patient;  // its visit's patient; unset for a standalone form
  std::string form_title;          // the form's title, or its id if the server lacks it
};

// The desk's filters as the query gave them, echoed into the filter form.
struct DeskFilters {
  std::string from, to;  // YYYY-MM-DD, both days included; empty: not given
  std::string form;      // a form id
  std::string outcome;   // suitable, practitioner-review or defer
  std::string review;    // pending or done
  std::string q;         // part of a name, or a date of birth
  // A filter only submissions have: the desk lists submissions, not visits.
  bool SelectsSubmissions() const { return !form.empty() || !outcome.empty() || !review.empty(); }
};

struct DeskPage {
  bool may_review = false;  // a practitioner: link to the review queue
  DeskFilters filters;
  // The days listed (YYYY-MM-DD, both included); either may be empty (no
  // bound). `today`: the default view, no filter given.
  std::string first_day, last_day;
  bool today = false;
  std::string error;           // a filter that could not be read; nothing is listed then
  std::vector<FormPtr> forms;  // packet order: the new-visit form and the form filter
  std::vector<DeskTablet> tablets;
  std::vector<VisitStatus> visits;                     // unless filters.SelectsSubmissions()
  std::map<std::string, std::vector<Invite>> invites;  // active ones, by visit id
  std::vector<ListedSubmission> submissions;           // if filters.SelectsSubmissions()
  std::string next_url;                                // "Next page"; empty on the last page
  std::string created_visit_id;                        // just created here: announced and marked
};

// GET /staff. /assets/staff.js creates visits, hands them to tablets and
// makes and withdraws invites through /api/v1.
std::string RenderDeskPage(const DeskPage& page, const ClinicSettings& clinic);

// GET /staff/review: submissions waiting for a practitioner, newest first.
struct ReviewQueuePage {
  std::vector<ListedSubmission> items;
  std::string next_url;
};
std::string RenderReviewQueuePage(const ReviewQueuePage& page, const ClinicSettings& clinic);

// GET /staff/submissions/{id}: one record, its outcome and review, and for
// a practitioner the review form (decision, note, countersignature).
struct RecordPage {
  ListedSubmission submission;
  std::optional<Visit> visit;
  bool show_queue_link = false;  // the caller is a practitioner
  bool review_form = false;      // a practitioner, and not reviewed yet
};
std::string RenderRecordPage(const RecordPage& page, const ClinicSettings& clinic);

}  // namespace consentkit

#endif  // CONSENTKIT_HTML_STAFF_H_
