// Golden bytes: the SHA-256 of PDFs rendered with a fixed creation time,
// so that a refactoring of the renderer (or of how it reaches into
// libharu) cannot change a single output byte without this suite noticing.
// What the bytes mean is judged elsewhere (render_test.cc, filled_test.cc);
// here only "the same as before" is.
//
// The hashes hold for this build environment: Debian 12's libharu 2.3.0,
// zlib, HarfBuzz 6.0 (hb-subset makes each document's font subsets from
// Debian's DejaVu Sans and Noto files, fonts/chain.list), and
// the forms in forms/ as they are. When a change to the output is meant
// (a form edit, a layout change, a new Debian release), regenerate them
// deliberately: run
//   build/tests/pdf_test --test-suite=golden
// and copy each failing check's actual hash (the left-hand side it prints)
// into kGolden below, saying in the commit why the bytes changed.
#include <doctest/doctest.h>

#include <ctime>
#include <map>
#include <string>

#include "form/form.h"
#include "pdf/pdf.h"
#include "submission/submission.h"
#include "support/filled.h"
#include "support/forms.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::MustLoadShipped;
using test::ShippedForms;
using test::TestClinic;

// 2026-11-23T10:15:02Z
constexpr std::time_t kCreated = 1795428902;

// What each rendering below hashed to when it was pinned.
const std::map<std::string, std::string> kGolden = {
    {"blank microneedling-consent",
     "a23b2190761becf6103a3c86e85f9bef08e2527e9b247992f6a5f841fd4411d6"},
    {"blank microneedling-intake",
     "79311e7836042d6e8fbb7f089a42f68e18f88fa054e751abcfe249625cbf2902"},
    {"blank microneedling-aftercare",
     "103d8426d7a9ef878f38caf2c28b0970a3dae91fd0fb3721e0a6a7fa2755a3d9"},
    {"blank packet", "3e1988bab7e41cbc6f36a78ec62cc1c5d2495fd6feeaa862974bb22ea77fb3ea"},
    {"blank packet with patient and logo",
     "595efef1a7ff772dd2b3cb2379dba8a398998b2861e3f2f9f2a472f6ce8be15c"},
    {"record microneedling-consent",
     "1d7b0ddc2b7e9b1a04a32d7553683d5b3ddf9cc58a1c3c60588f3972b123285c"},
    {"record microneedling-intake",
     "571ee9e8473c170b9269f0b2c0239fce97a993bb2d4b807436b53d584cccae1b"},
};

RenderOptions Fixed() {
  RenderOptions options;
  options.font_dir = CK_FONT_DIR;
  options.creation_time = kCreated;
  return options;
}

// The hash of `render()`'s bytes, after checking that a second rendering
// gives the same bytes: a hash of output that varies run to run would pin
// nothing.
template <typename Render>
std::string StableHash(const Render& render) {
  std::string first = render();
  std::string second = render();
  REQUIRE(first.size() == second.size());
  REQUIRE(first == second);
  return Sha256Hex(first);
}

void CheckGolden(const std::string& name, const std::string& actual) {
  INFO("golden rendering \"", name, "\"");
  CHECK(actual == kGolden.at(name));
}

std::string BlankPacketHash(const std::vector<FormPtr>& forms, const ClinicSettings& clinic,
                            const RenderOptions& options) {
  return StableHash([&] { return RenderPacket(forms, clinic, options); });
}

std::string RecordHash(const std::string& file) {
  FormPtr form = MustLoadShipped(file);
  Submission submission = test::FilledSubmission(*form, "5b0d3c1e-6f0a-4b8e-9a57-2f4f3f1c2a10");
  ValidationResult checked = ValidateSubmission(form, submission);
  REQUIRE(checked.ok());
  const ValidSubmission& valid = checked.value();
  ScreeningResult screening = Screen(valid);
  SubmissionStamp stamp{submission.uuid, "2026-11-23T10:15:02Z"};
  return StableHash(
      [&] { return RenderSubmission(valid, screening, stamp, TestClinic(), Fixed()); });
}

TEST_SUITE("golden") {
  TEST_CASE("BlankFormsKeepTheirGoldenBytes") {
    for (const char* id :
         {"microneedling-consent", "microneedling-intake", "microneedling-aftercare"}) {
      FormPtr form = MustLoadShipped(std::string(id) + ".xml");
      CheckGolden(std::string("blank ") + id, BlankPacketHash({form}, TestClinic(), Fixed()));
    }
  }

  TEST_CASE("BlankPacketKeepsItsGoldenBytes") {
    CheckGolden("blank packet", BlankPacketHash(ShippedForms(), TestClinic(), Fixed()));
  }

  // The logo is the one thing libharu draws itself (Canvas splices its
  // bytes into the page), and the patient's prefilled fields the one
  // AcroForm value with an appearance: both go through libharu's internals.
  TEST_CASE("BlankPacketWithPatientAndLogoKeepsItsGoldenBytes") {
    ClinicSettings clinic = TestClinic();
    clinic.logo_path = test::SourcePath("samples/logo.png");
    RenderOptions options = Fixed();
    options.patient = PatientIdentity{"Zoë Muñoz", "1990-02-28", "P-0042", "V-0042"};
    CheckGolden("blank packet with patient and logo",
                BlankPacketHash(ShippedForms(), clinic, options));
  }

  TEST_CASE("FilledRecordsKeepTheirGoldenBytes") {
    CheckGolden("record microneedling-consent", RecordHash("microneedling-consent.xml"));
    CheckGolden("record microneedling-intake", RecordHash("microneedling-intake.xml"));
  }
}

}  // namespace
}  // namespace consentkit
