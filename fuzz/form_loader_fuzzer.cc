// The form loader (form/form.h: LoadFormFromMemory) on arbitrary bytes:
// tinyxml2's tree, the strict XML 1.0 check (well_formed.cc) and every
// rule of the definition format. It must never crash or throw, must give
// a form or at least one located diagnostic, and a form it gives must
// hold what the renderers rely on: every block's field exists, every
// offered language has its view.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "form/form.h"
#include "fuzz_check.h"

namespace consentkit {
namespace {

void CheckForm(const FormPtr& form) {
  CK_FUZZ_CHECK(!form->languages.empty() && form->languages.front() == form->lang,
                "a form's default language is first in its languages");
  for (const std::string& language : form->languages) {
    FormPtr view = InLanguage(form, language);
    CK_FUZZ_CHECK(view != nullptr && view->fields.size() == form->fields.size(),
                  "language " + language + " has a view with the same fields");
  }
  for (const Section& section : form->sections) {
    for (const Block& block : section.blocks) {
      if (const auto* ref = std::get_if<FieldRef>(&block)) {
        CK_FUZZ_CHECK(ref->index < form->fields.size(),
                      "section " + section.id + " places a field that exists");
      }
    }
  }
  CK_FUZZ_CHECK(form->sha256_hex.size() == 64, "a loaded form has its SHA-256");
}

}  // namespace
}  // namespace consentkit

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace consentkit;
  std::string xml(reinterpret_cast<const char*>(data), size);
  LoadResult result = LoadFormFromMemory(xml, "fuzz.xml");
  if (result.ok()) {
    CK_FUZZ_CHECK(result.form != nullptr, "an accepted definition gives a form");
    CheckForm(result.form);
    return 0;
  }
  CK_FUZZ_CHECK(result.form == nullptr, "a refused definition gives no form");
  CK_FUZZ_CHECK(result.errors.size() <= kMaxDiagnostics, "diagnostics are capped");
  for (const Diagnostic& d : result.errors) {
    CK_FUZZ_CHECK(d.line >= 1 && d.column >= 1, "diagnostic located: " + d.ToString());
  }
  return 0;
}
