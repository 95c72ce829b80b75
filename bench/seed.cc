// bench_seed: a data folder holding N stored submissions, for measuring
// `consentkit export`. The first goes through the real pipeline (validate,
// render, seal, commit, with a self-signed sealing certificate in the
// folder as `consentkit serve` makes one); the rest are copies of its
// record under fresh ids, put through Store::Put with synchronous=OFF (as
// store.h allows for fixtures that generate many rows), each with its own
// audit event. Every row's PDF is that first sealed PDF: an export
// streams PDFs as stored, so their bytes matter only by their size. The
// copies' received_at times are spread --spacing seconds apart, ending
// now, as a clinic's would be (0: all "now", to the second, as a burst).
//
// With --visits V (for the listing rows), the folder is a clinic's history
// instead: one record of every form in --forms goes through the pipeline
// (standalone, received now), and the other N - forms copies are spread
// over V visits in time order (visit k holds a contiguous block of them and
// was created a minute before its first), cycling through the forms. Each
// visit's patient is "<first> <last>" from fixed lists (the last name
// changes every visit, the first every 50 visits: 2,000 distinct names),
// born 1950-1999. Copies of a form that intake marks needs_review (the
// consent's countersignature) are reviewed ten minutes after they arrived
// (PutReview with one countersigned copy of that form's record), except
// every --pending-every'th, which stays in the review queue. Besides the
// counts it prints a surname, the full name of one patient and the day of
// the middle visit, for the listing queries.
//
//   bench_seed --data DIR --forms DIR --form ID [--config FILE] --count N [--spacing S]
//              [--visits V [--pending-every P]]
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "api/api.h"
#include "bench_util.h"
#include "seal/seal.h"
#include "service/intake.h"
#include "store/store.h"
#include "support/filled.h"
#include "util/util.h"

namespace consentkit::bench {
namespace {

struct Args {
  std::string data, forms_dir = "forms", form_id = "microneedling-consent", config;
  long count = 100000;
  long spacing_s = 30;
  long visits = 0;
  long pending_every = 10;
};

Args ParseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], value = argv[i + 1];
    if (a == "--data") {
      args.data = value;
    } else if (a == "--forms") {
      args.forms_dir = value;
    } else if (a == "--form") {
      args.form_id = value;
    } else if (a == "--config") {
      args.config = value;
    } else if (a == "--count") {
      args.count = std::atol(value.c_str());
    } else if (a == "--spacing") {
      args.spacing_s = std::atol(value.c_str());
    } else if (a == "--visits") {
      args.visits = std::atol(value.c_str());
    } else if (a == "--pending-every") {
      args.pending_every = std::atol(value.c_str());
    } else {
      throw std::runtime_error(
          "usage: bench_seed --data DIR --forms DIR --form ID "
          "[--config FILE] --count N [--spacing S] [--visits V [--pending-every P]]");
    }
  }
  if (args.data.empty() || args.count < 1) throw std::runtime_error("need --data and --count >= 1");
  if (args.visits < 0 || args.pending_every < 1) {
    throw std::runtime_error("need --visits >= 0 and --pending-every >= 1");
  }
  return args;
}

// `seconds_ago` before now as UTC ISO 8601, "2026-11-23T10:15:02Z".
std::string UtcSecondsAgo(long seconds_ago) {
  std::time_t t = std::time(nullptr) - seconds_ago;
  std::tm utc{};
  gmtime_r(&t, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// The patient of visit k (see the top of the file). No name is a
// substring of another, so a search for one matches only its own visits.
const char* const kFirstNames[] = {
    "Amara",   "Bruno",  "Chiara", "Dmitri",  "Elena",  "Farid",   "Greta",   "Hiroshi",
    "Ines",    "Jonas",  "Kalani", "Lucia",   "Mateo",  "Nadia",   "Oskar",   "Priya",
    "Quentin", "Rosa",   "Sigrid", "Tamsin",  "Ugo",    "Vera",    "Wanjiru", "Xavier",
    "Yara",    "Zeno",   "Anouk",  "Bastien", "Carmen", "Desmond", "Esther",  "Fintan",
    "Giulia",  "Hamish", "Ingrid", "Jovan",   "Keiko",  "Leopold", "Marisol", "Niamh"};
const char* const kLastNames[] = {
    "Okafor",     "Lindqvist",  "Moreau",    "Takahashi",   "Novak",       "Haddad",
    "Fitzgerald", "Ramirez",    "Kowalski",  "Abernathy",   "Bianchi",     "Castellanos",
    "Dubois",     "Eriksen",    "Ferreira",  "Gallagher",   "Horvath",     "Iwasaki",
    "Jablonski",  "Kuznetsova", "Lombardi",  "Mbeki",       "Nakamura",    "Oyelaran",
    "Petrovic",   "Quispe",     "Rasmussen", "Szabo",       "Thorvaldsen", "Urquhart",
    "Vasquez",    "Whitfield",  "Xiong",     "Yamamoto",    "Zielinski",   "Achterberg",
    "Bergstrom",  "Cardenas",   "Delacroix", "Esposito",    "Fonseca",     "Grabowski",
    "Hakimi",     "Ivanova",    "Jaramillo", "Kristiansen", "Lindgren",    "Montague",
    "Nieminen",   "Ortega"};
constexpr long kFirst = sizeof kFirstNames / sizeof kFirstNames[0];
constexpr long kLast = sizeof kLastNames / sizeof kLastNames[0];

Patient PatientOf(long k) {
  Patient p;
  p.name = std::string(kFirstNames[(k / kLast) % kFirst]) + " " + kLastNames[k % kLast];
  char dob[16];
  std::snprintf(dob, sizeof dob, "%04ld-%02ld-%02ld", 1950 + k % 50, 1 + k % 12, 1 + k % 28);
  p.date_of_birth = dob;
  char number[16];
  std::snprintf(number, sizeof number, "P-%05ld", k);
  p.number = number;
  return p;
}

// --visits: a clinic's history of visits, forms and reviews.
int RunVisits(const Args& args) {
  std::vector<FormPtr> forms = LoadFormsDirectory(args.forms_dir);
  ClinicSettings clinic;
  if (!args.config.empty()) clinic = LoadSettings(args.config).clinic;
  MakeDirectories(args.data, 0700);
  CreateSelfSignedIdentity(args.data, clinic.name.empty() ? "Bench" : clinic.name);
  SigningIdentity seal =
      SigningIdentity::Load(args.data + "/" + kSealCertFile, args.data + "/" + kSealKeyFile);
  SqliteOptions fast;
  fast.synchronous_full = false;
  std::unique_ptr<Store> store = OpenSqliteStore(args.data, fast);
  IntakeService service(forms, *store, clinic, &seal);
  std::mt19937_64 rng(std::random_device{}());

  // One real record of each form, and a countersigned copy of those that
  // wait for review.
  struct Template {
    const FormDefinition* form;
    std::string first_id, pdf, countersigned_pdf, countersigned_sha256;
    SubmissionRecord record;
  };
  std::vector<Template> templates;
  std::vector<std::string> form_ids;
  for (const FormPtr& form : forms) {
    Template t{form.get(), RandomUuid(rng), "", "", "", {}};
    SubmitResult first = service.Submit(
        "bench", form->id, CanonicalSubmissionJson(test::FilledSubmission(*form, t.first_id)));
    if (first.status != SubmitStatus::kStored) {
      throw std::runtime_error("first submission of " + form->id + " failed: " + first.detail);
    }
    t.record = first.record;
    t.pdf = *store->FindPdf(t.first_id);
    if (t.record.needs_review) {
      t.countersigned_pdf = CountersignPdf(
          t.pdf, seal, {"Dr Bench", "proceed", "", UtcNow(), test::SampleSignature()});
      t.countersigned_sha256 = Sha256Hex(t.countersigned_pdf);
    }
    templates.push_back(std::move(t));
    form_ids.push_back(form->id);
  }
  long copies = args.count - static_cast<long>(templates.size());
  if (copies < args.visits) throw std::runtime_error("--count must exceed --visits plus the forms");

  // The standalone first records that need review stay in the queue.
  long visits = 0, reviews = 0, pending = 0, needing = 0;
  for (const Template& t : templates) pending += t.record.needs_review ? 1 : 0;
  std::string visit_id, middle_day, middle_name;
  std::set<std::string> used;  // forms filled in the current visit
  for (long c = 0; c < copies; ++c) {
    long k = c * args.visits / copies;  // contiguous blocks, as even as can be
    long ago = (copies - c) * args.spacing_s;
    const Template& t = templates[static_cast<std::size_t>(c) % templates.size()];
    // A visit's form is filled once: patient k's next copy of a form they
    // already filled is their next visit.
    bool refill = !visit_id.empty() && used.count(t.form->id) && k + 1 == visits;
    if (k == visits || refill) {  // the first copy of visit k, or k's next visit
      Visit visit;
      visit.id = "vis_" + RandomHex(12);
      visit.created_at = UtcSecondsAgo(ago + 60);
      visit.created_by = "bench";
      visit.patient = PatientOf(k);
      visit.form_ids = form_ids;
      store->AddVisit(visit, "bench");
      visit_id = visit.id;
      used.clear();
      if (!refill && k == args.visits / 2) {
        middle_day = visit.created_at.substr(0, 10);
        middle_name = visit.patient.name;
      }
      if (!refill) ++visits;
    }
    used.insert(t.form->id);
    SubmissionRecord record = t.record;
    std::string id = RandomUuid(rng);
    record.id = id;
    record.received_at = UtcSecondsAgo(ago);
    std::size_t at = record.content_json.find(t.first_id);
    if (at != std::string::npos) record.content_json.replace(at, id.size(), id);
    record.content_sha256 = Sha256Hex(record.content_json);
    record.visit_id = visit_id;
    if (store->Put(record, t.pdf, *t.form, "bench").status != PutStatus::kStored) {
      throw std::runtime_error("copy " + id + " not stored");
    }
    if (!record.needs_review) continue;
    if (++needing % args.pending_every == 0) {
      ++pending;
      continue;
    }
    Review review{id,
                  "proceed",
                  "",
                  "tok_bench",
                  "Dr Bench",
                  UtcSecondsAgo(ago > 600 ? ago - 600 : 0),
                  t.countersigned_sha256};
    if (!store->PutReview(review, t.countersigned_pdf, "bench")) {
      throw std::runtime_error("review of " + id + " not stored");
    }
    ++reviews;
  }
  std::cout << "{\"submissions\":" << store->CountSubmissions() << ",\"visits\":" << visits
            << ",\"forms\":" << templates.size() << ",\"needs_review\":" << needing
            << ",\"reviews\":" << reviews << ",\"pending\":" << pending
            << ",\"pdf_bytes\":" << templates.front().pdf.size() << ",\"surname\":\""
            << kLastNames[(args.visits / 2) % kLast] << "\",\"one_patient\":\"" << middle_name
            << "\",\"day\":\"" << middle_day << "\"}" << std::endl;
  return 0;
}

int Run(const Args& args) {
  if (args.visits > 0) return RunVisits(args);
  std::vector<FormPtr> forms = LoadFormsDirectory(args.forms_dir);
  ClinicSettings clinic;
  if (!args.config.empty()) clinic = LoadSettings(args.config).clinic;
  MakeDirectories(args.data, 0700);
  CreateSelfSignedIdentity(args.data, clinic.name.empty() ? "Bench" : clinic.name);
  SigningIdentity seal =
      SigningIdentity::Load(args.data + "/" + kSealCertFile, args.data + "/" + kSealKeyFile);
  SqliteOptions fast;
  fast.synchronous_full = false;
  std::unique_ptr<Store> store = OpenSqliteStore(args.data, fast);
  IntakeService service(forms, *store, clinic, &seal);
  const FormDefinition* form = service.FindForm(args.form_id);
  if (!form) throw std::runtime_error("no form " + args.form_id + " in " + args.forms_dir);
  std::mt19937_64 rng(std::random_device{}());
  std::string first_id = RandomUuid(rng);
  SubmitResult first = service.Submit(
      "bench", form->id, CanonicalSubmissionJson(test::FilledSubmission(*form, first_id)));
  if (first.status != SubmitStatus::kStored) throw std::runtime_error("first submission failed");
  std::string pdf = *store->FindPdf(first_id);
  SubmissionRecord record = first.record;
  for (long i = 1; i < args.count; ++i) {
    std::string id = RandomUuid(rng);
    record.id = id;
    record.received_at = UtcSecondsAgo((args.count - i) * args.spacing_s);
    record.content_json = first.record.content_json;
    std::size_t at = record.content_json.find(first_id);
    if (at != std::string::npos) record.content_json.replace(at, id.size(), id);
    record.content_sha256 = Sha256Hex(record.content_json);
    store->Put(record, pdf, *form, "bench");
  }
  std::cout << "{\"submissions\":" << store->CountSubmissions() << ",\"pdf_bytes\":" << pdf.size()
            << "}" << std::endl;
  return 0;
}

}  // namespace
}  // namespace consentkit::bench

int main(int argc, char** argv) {
  using namespace consentkit::bench;
  return DriverMain("bench_seed", argc, argv, ParseArgs, Run);
}
