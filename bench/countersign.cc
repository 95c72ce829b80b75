// bench_countersign: a practitioner's countersignature of a sealed record,
// in-process, next to the seal it is appended to. The record is the
// microneedling consent as intake makes it for a visit (FilledSubmission,
// ValidateSubmission, Screen, RenderSubmission with the seal's placeholder
// and the patient), sealed with a new self-signed identity as
// `consentkit serve` makes one.
// Each run, in this order and on the same identity:
//   SealPdf(copy of the unsealed record)            -> seal_ms
//   CountersignPdf(that sealed record, a review)    -> countersign_ms
//   VerifySealedPdf(the sealed record)              -> seal_verify_ms
//   VerifyPdfSignatures(the countersigned record)   -> verify_ms (both must be valid)
// so that the ratio countersign / seal compares calls made side by side.
// Prints one JSON line.
//
//   bench_countersign --forms DIR --form ID [--config FILE] [--runs N] [--warmup N]
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.h"
#include "config/config.h"
#include "pdf/pdf.h"
#include "seal/seal.h"
#include "service/intake.h"
#include "submission/submission.h"
#include "support/filled.h"
#include "util/util.h"

namespace consentkit::bench {
namespace {

struct Args {
  std::string forms_dir = "forms";
  std::string form_id = "microneedling-consent";
  std::string config;
  int runs = 200;
  int warmup = 10;
};

Args ParseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], value = argv[i + 1];
    if (a == "--forms") {
      args.forms_dir = value;
    } else if (a == "--form") {
      args.form_id = value;
    } else if (a == "--config") {
      args.config = value;
    } else if (a == "--runs") {
      args.runs = std::atoi(value.c_str());
    } else if (a == "--warmup") {
      args.warmup = std::atoi(value.c_str());
    } else {
      throw std::runtime_error(
          "usage: bench_countersign --forms DIR --form ID [--config FILE] [--runs N] "
          "[--warmup N]");
    }
  }
  if (argc % 2 == 0) throw std::runtime_error("bench_countersign: an option lacks its value");
  if (args.runs < 1) throw std::runtime_error("need --runs >= 1");
  return args;
}

// A fresh folder under $TMPDIR for the identity, removed on destruction.
class TempDir {
 public:
  TempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/ck-bench-cs-XXXXXX";
    if (!mkdtemp(pattern.data())) throw std::runtime_error("cannot make a folder " + pattern);
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

int Run(const Args& args) {
  std::vector<FormPtr> forms = LoadFormsDirectory(args.forms_dir);
  FormPtr form;
  for (const FormPtr& f : forms) {
    if (f->id == args.form_id) form = f;
  }
  if (!form) throw std::runtime_error("no form " + args.form_id + " in " + args.forms_dir);
  ClinicSettings clinic;
  if (!args.config.empty()) clinic = LoadSettings(args.config).clinic;
  if (clinic.name.empty()) clinic.name = "Bench";

  TempDir keys;
  CreateSelfSignedIdentity(keys.path(), clinic.name);
  SigningIdentity seal =
      SigningIdentity::Load(keys.path() + "/" + kSealCertFile, keys.path() + "/" + kSealKeyFile);

  // The record as intake renders it for a visit's submission.
  std::mt19937_64 rng(std::random_device{}());
  std::string id = RandomUuid(rng);
  std::string received_at = UtcNow();
  ValidSubmission submission = test::MustValidate(form, test::FilledSubmission(*form, id));
  RenderOptions options;
  options.seal = SealAppearance{clinic.name, received_at, id};
  options.patient =
      PatientIdentity{"Zoë Muñoz", "1988-03-14", "P-1042", "vis_0123456789abcdef01234567"};
  const std::string unsealed =
      RenderSubmission(submission, Screen(submission), {id, received_at}, clinic, options);

  Countersignature review;
  review.practitioner_name = "Dr Ana Pereira";
  review.decision = "proceed";
  review.note = "Reviewed history and risks with the patient; no contraindications.";
  review.drawing = test::SampleSignature();

  std::vector<double> seal_ms, countersign_ms, seal_verify_ms, verify_ms;
  std::string sealed, countersigned;
  std::size_t signatures = 0;
  for (int i = -args.warmup; i < args.runs; ++i) {
    review.signed_at_utc = UtcNow();
    std::string copy = unsealed;
    Clock::time_point start = Clock::now();
    sealed = SealPdf(std::move(copy), seal);
    double seal_time = MsSince(start);

    start = Clock::now();
    countersigned = CountersignPdf(sealed, seal, review);
    double countersign_time = MsSince(start);

    start = Clock::now();
    SealCheck seal_check = VerifySealedPdf(sealed, seal.certificate_pem());
    double seal_verify_time = MsSince(start);
    if (!seal_check.valid) throw std::runtime_error("seal does not verify: " + seal_check.problem);

    start = Clock::now();
    std::vector<SignatureCheck> checks = VerifyPdfSignatures(countersigned, seal.certificate_pem());
    double verify_time = MsSince(start);
    if (checks.size() != 2) {
      throw std::runtime_error("countersigned record has " + std::to_string(checks.size()) +
                               " signatures, expected 2");
    }
    for (const SignatureCheck& check : checks) {
      if (!check.seal.valid) {
        throw std::runtime_error("signature \"" + check.name +
                                 "\" does not verify: " + check.seal.problem);
      }
    }
    signatures = checks.size();
    if (i < 0) continue;
    seal_ms.push_back(seal_time);
    countersign_ms.push_back(countersign_time);
    seal_verify_ms.push_back(seal_verify_time);
    verify_ms.push_back(verify_time);
  }

  std::ostringstream json;
  json.imbue(std::locale::classic());
  json << "{\"runs\":" << args.runs << "," << StatsJson("seal_ms", seal_ms) << ","
       << StatsJson("countersign_ms", countersign_ms) << ","
       << StatsJson("seal_verify_ms", seal_verify_ms) << "," << StatsJson("verify_ms", verify_ms)
       << ",\"sealed_bytes\":" << sealed.size()
       << ",\"countersigned_bytes\":" << countersigned.size() << ",\"signatures\":" << signatures
       << ",\"vmhwm_kb\":" << ProcStatusKb("VmHWM") << "}";
  std::cout << json.str() << std::endl;
  return 0;
}

}  // namespace
}  // namespace consentkit::bench

int main(int argc, char** argv) {
  using namespace consentkit::bench;
  return DriverMain("bench_countersign", argc, argv, ParseArgs, Run);
}
