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
//   bench_seed --data DIR --forms DIR --form ID [--config FILE] --count N [--spacing S]
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>

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
    } else {
      throw std::runtime_error(
          "usage: bench_seed --data DIR --forms DIR --form ID "
          "[--config FILE] --count N");
    }
  }
  if (args.data.empty() || args.count < 1) throw std::runtime_error("need --data and --count >= 1");
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

int Run(const Args& args) {
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
