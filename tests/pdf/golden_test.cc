// Golden bytes: the SHA-256 of PDFs rendered with a fixed creation time,
// so that a refactoring of the renderer (or of how it reaches into
// libharu) cannot change a single output byte without this suite noticing.
// What the bytes mean is judged elsewhere (render_test.cc, filled_test.cc);
// here only "the same as before" is.
//
// The hashes hold for this build environment: Debian 12's libharu 2.3.0,
// zlib and DejaVu Sans (the font subset is made from it at build time), and
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
     "eb01af4d30492b0f8851cbe2e2200a8bb6922571890f9c7129c14c5fe1232e7b"},
    {"blank microneedling-intake",
     "8aca8de751c519fa1a1a3e9dce952e721daafb5e31bfa61420bda58deaee11e5"},
    {"blank microneedling-aftercare",
     "310b77ffd4ece230af5616ab9c560a34c99012b51d6bb85392488a46214dfe57"},
    {"blank packet", "205aeea4fd80679aaccb24f562934e8612821f89c437bcbc72e1b1d3adfbb2a2"},
    {"blank packet with patient and logo",
     "24f73a94edb0601bfb7d36b82a4a8f7b7596280dd6ad5dc56b15a9ac18d78a40"},
    {"record microneedling-consent",
     "ff26296f614e62dbc8f86e8ad8605ecdda920e21e03e49b73f8c26b7d16da7ef"},
    {"record microneedling-intake",
     "1a56c3d348f8d6ccbf7e93be023e5bc9e2a136cdd1bbd5e80dd1d6fc4d923e99"},
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
