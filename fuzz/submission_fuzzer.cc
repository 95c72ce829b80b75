// The submission wire format and the validator on arbitrary bytes: the body
// as POST /api/v1/submissions receives it (api.h: ParseSubmission), then
// ValidateSubmission against the shipped form it names (the first one when
// it names none of them), witness step locked and unlocked, then screening
// and the canonical JSON of what validated. The other /api/v1 bodies
// (visit, review, one string member) are parsed from the same bytes.
// Malformed JSON may throw JsonSyntaxError and nothing else; a valid
// submission is one with no errors.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "api/api.h"
#include "form/form.h"
#include "fuzz_check.h"
#include "submission/submission.h"

namespace consentkit {
namespace {

// The shipped forms and the test forms with a witness step and rules,
// loaded once (CK_FUZZ_FORM_DIRS: folders separated by ':').
const std::vector<FormPtr>& Forms() {
  static const std::vector<FormPtr> forms = [] {
    std::vector<FormPtr> loaded;
    std::string dirs = CK_FUZZ_FORM_DIRS;
    for (std::size_t at = 0; at <= dirs.size();) {
      std::size_t end = std::min(dirs.find(':', at), dirs.size());
      for (const auto& entry : std::filesystem::directory_iterator(dirs.substr(at, end - at))) {
        if (entry.path().extension() != ".xml") continue;
        LoadResult result = LoadFormFile(entry.path().string());
        CK_FUZZ_CHECK(result.ok(), "form " + entry.path().string() + " loads");
        loaded.push_back(result.form);
      }
      at = end + 1;
    }
    CK_FUZZ_CHECK(!loaded.empty(), std::string("forms found in ") + CK_FUZZ_FORM_DIRS);
    return loaded;
  }();
  return forms;
}

FormPtr FormNamed(const std::string& id) {
  for (const FormPtr& form : Forms()) {
    if (form->id == id) return form;
  }
  return Forms().front();
}

void ValidateAndScreen(const Submission& submission) {
  FormPtr form = FormNamed(submission.form_id);
  for (WitnessStep witness : {WitnessStep::kLocked, WitnessStep::kUnlocked}) {
    ValidationResult result = ValidateSubmission(form, submission, witness);
    CK_FUZZ_CHECK(result.ok() == result.errors().empty(), "valid exactly when no errors");
    if (!result.ok()) continue;
    ScreeningResult screening = Screen(result.value());
    CK_FUZZ_CHECK(screening.outcome == Outcome::kSuitable || !screening.reasons.empty(),
                  "an outcome other than suitable gives its reasons");
    CK_FUZZ_CHECK(!CanonicalSubmissionJson(result.value().submission()).empty(),
                  "a valid submission has a canonical form");
  }
}

template <typename Parse>
void ParseOrSyntaxError(Parse parse) {
  try {
    parse();
  } catch (const JsonSyntaxError&) {
    // malformed JSON: the one documented refusal
  }
}

}  // namespace
}  // namespace consentkit

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace consentkit;
  std::string body(reinterpret_cast<const char*>(data), size);
  ParseOrSyntaxError([&] {
    ParsedSubmission parsed = ParseSubmission(body);
    ValidateAndScreen(parsed.submission);
  });
  ParseOrSyntaxError([&] { ParseVisitRequest(body); });
  ParseOrSyntaxError([&] { ParseReviewRequest(body); });
  ParseOrSyntaxError([&] { ParseStringMember(body, "id"); });
  return 0;
}
