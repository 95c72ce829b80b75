// bench_submit: the intake pipeline in-process, as the HTTP handler runs
// it (IntakeService::Submit: parse → validate → screen → render the filled,
// flattened PDF → seal → one durable SQLite commit), on a fresh data
// folder with the real store (WAL, synchronous=FULL). Each run submits a
// complete valid body with a fresh UUID. Prints one JSON line with the
// whole call's times and each stage's.
//
//   bench_submit --forms DIR --form ID [--config FILE] [--runs N] [--warmup N]
//                [--seal-cert PEM --seal-key PEM]  (default: a new self-signed RSA
//                identity, as `consentkit serve` makes one)
//   bench_submit --forms DIR --form ID --print-body   (the body, id 0000…)
//   bench_submit --forms DIR --form ID --bad-fields N [--runs N]
//                (a refused body: the valid one plus N unknown fields; the
//                whole call's times, the errors found and the 422 body's size)
#include <stdlib.h>

#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "api/api.h"
#include "bench_util.h"
#include "seal/seal.h"
#include "service/intake.h"
#include "store/store.h"
#include "support/filled.h"

namespace consentkit::bench {
namespace {

struct Args {
  std::string forms_dir = "forms";
  std::string form_id = "microneedling-consent";
  std::string config;
  std::string seal_cert, seal_key;
  int runs = 300;
  int warmup = 10;
  bool print_body = false;
  int bad_fields = 0;
};

Args ParseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--forms" && has_value) {
      args.forms_dir = argv[++i];
    } else if (a == "--form" && has_value) {
      args.form_id = argv[++i];
    } else if (a == "--config" && has_value) {
      args.config = argv[++i];
    } else if (a == "--seal-cert" && has_value) {
      args.seal_cert = argv[++i];
    } else if (a == "--seal-key" && has_value) {
      args.seal_key = argv[++i];
    } else if (a == "--runs" && has_value) {
      args.runs = std::atoi(argv[++i]);
    } else if (a == "--warmup" && has_value) {
      args.warmup = std::atoi(argv[++i]);
    } else if (a == "--print-body") {
      args.print_body = true;
    } else if (a == "--bad-fields" && has_value) {
      args.bad_fields = std::atoi(argv[++i]);
    } else {
      throw std::runtime_error(
          "usage: bench_submit --forms DIR --form ID [--config FILE] "
          "[--runs N] [--warmup N] [--print-body | --bad-fields N]");
    }
  }
  return args;
}

// A fresh folder under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/ck-bench-XXXXXX";
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

struct Samples {
  std::vector<double> total, validate, render, seal, commit;
};

std::string ResultJson(const Samples& s, int runs) {
  std::ostringstream json;
  json.imbue(std::locale::classic());
  json << "{\"runs\":" << runs << ",\"seal_stage\":true," << StatsJson("total_ms", s.total) << ","
       << StatsJson("validate_ms", s.validate) << "," << StatsJson("render_ms", s.render) << ","
       << StatsJson("seal_ms", s.seal) << "," << StatsJson("commit_ms", s.commit)
       << ",\"vmhwm_kb\":" << ProcStatusKb("VmHWM") << "}";
  return json.str();
}

// The given identity, or a new self-signed one as `consentkit serve` makes
// when [seal] names none.
SigningIdentity LoadIdentity(const Args& args, const std::string& dir,
                             const ClinicSettings& clinic) {
  if (!args.seal_cert.empty()) return SigningIdentity::Load(args.seal_cert, args.seal_key);
  CreateSelfSignedIdentity(dir + "/keys", clinic.name.empty() ? "Bench" : clinic.name);
  return SigningIdentity::Load(dir + "/keys/" + kSealCertFile, dir + "/keys/" + kSealKeyFile);
}

// The valid body with `count` unknown fields "zz-0"… among its values.
std::string WithUnknownFields(Submission submission, int count) {
  for (int i = 0; i < count; ++i) submission.values["zz-" + std::to_string(i)] = std::string("x");
  return CanonicalSubmissionJson(submission);
}

// Refusals of a body with args.bad_fields unknown fields: what issue 14
// measured at 0.01 / 0.14 / 2.0 s for 2,000 / 8,000 / 32,000 fields.
int RunRefused(const Args& args, IntakeService& service, const FormDefinition& form) {
  std::mt19937_64 rng(std::random_device{}());
  std::vector<double> total;
  std::size_t errors = 0, problem_bytes = 0, body_bytes = 0;
  for (int i = -args.warmup; i < args.runs; ++i) {
    std::string body =
        WithUnknownFields(test::FilledSubmission(form, RandomUuid(rng)), args.bad_fields);
    Clock::time_point start = Clock::now();
    SubmitResult result = service.Submit("bench", form.id, body);
    std::string problem = ProblemJson(422, "Submission is not valid", "", result.errors);
    double ms = MsSince(start);
    if (result.status != SubmitStatus::kInvalid) {
      throw std::runtime_error("a body with unknown fields was not refused as invalid");
    }
    if (i < 0) continue;
    total.push_back(ms);
    errors = result.errors.size();
    problem_bytes = problem.size();
    body_bytes = body.size();
  }
  std::ostringstream json;
  json.imbue(std::locale::classic());
  json << "{\"runs\":" << args.runs << ",\"bad_fields\":" << args.bad_fields
       << ",\"errors\":" << errors << ",\"body_bytes\":" << body_bytes
       << ",\"problem_bytes\":" << problem_bytes << "," << StatsJson("total_ms", total) << "}";
  std::cout << json.str() << std::endl;
  return 0;
}

int Run(const Args& args) {
  std::vector<FormPtr> forms = LoadFormsDirectory(args.forms_dir);
  ClinicSettings clinic;
  if (!args.config.empty()) clinic = LoadSettings(args.config).clinic;
  TempDir data;
  std::unique_ptr<Store> store = OpenSqliteStore(data.path());  // durable: synchronous=FULL
  SigningIdentity seal = LoadIdentity(args, data.path(), clinic);
  IntakeService service(forms, *store, clinic, &seal);
  const FormDefinition* form = service.FindForm(args.form_id);
  if (!form) throw std::runtime_error("no form " + args.form_id + " in " + args.forms_dir);
  if (args.print_body) {
    std::cout << CanonicalSubmissionJson(
                     test::FilledSubmission(*form, "00000000-0000-4000-8000-000000000000"))
              << "\n";
    return 0;
  }
  if (args.bad_fields > 0) return RunRefused(args, service, *form);
  std::mt19937_64 rng(std::random_device{}());
  Samples s;
  for (int i = -args.warmup; i < args.runs; ++i) {
    std::string body = CanonicalSubmissionJson(test::FilledSubmission(*form, RandomUuid(rng)));
    SubmitTimings t;
    Clock::time_point start = Clock::now();
    SubmitResult result = service.Submit("bench", form->id, body, {}, &t);
    double total = MsSince(start);
    if (result.status != SubmitStatus::kStored) {
      throw std::runtime_error("submission not stored: " + result.detail);
    }
    if (i < 0) continue;
    s.total.push_back(total);
    s.validate.push_back(t.validate_ms);
    s.render.push_back(t.render_ms);
    s.seal.push_back(t.seal_ms);
    s.commit.push_back(t.commit_ms);
  }
  std::cout << ResultJson(s, args.runs) << std::endl;
  return 0;
}

}  // namespace
}  // namespace consentkit::bench

int main(int argc, char** argv) {
  using namespace consentkit::bench;
  return DriverMain("bench_submit", argc, argv, ParseArgs, Run);
}
