#include "seal/fixtures.h"

#include <doctest/doctest.h>

#include "form/form.h"
#include "pdf/pdf.h"
#include "support/filled.h"

namespace consentkit::test::seal {

std::string MatchError(const std::string& message, const std::vector<std::string>& parts) {
  for (const std::string& part : parts) {
    if (message.find(part) == std::string::npos) return message;
  }
  return "OK";
}

SigningIdentity LoadFrom(const std::string& dir) {
  return SigningIdentity::Load(dir + "/" + kSealCertFile, dir + "/" + kSealKeyFile);
}

const TempDir& ClinicKeys() {
  static const TempDir dir;
  static const bool made = (CreateSelfSignedIdentity(dir.path() + "/keys", kClinicName), true);
  (void)made;
  return dir;
}

const SigningIdentity& Clinic() {
  static const SigningIdentity identity = LoadFrom(ClinicKeys().path() + "/keys");
  return identity;
}

const SigningIdentity& OtherClinic() {
  static const TempDir dir;
  static const SigningIdentity identity = [] {
    CreateSelfSignedIdentity(dir.path(), "Other Clinic");
    return LoadFrom(dir.path());
  }();
  return identity;
}

namespace {

ClinicSettings Settings() {
  ClinicSettings clinic;
  clinic.name = kClinicName;
  clinic.address = "1 Main Street";
  clinic.phone = "555-0100";
  return clinic;
}

}  // namespace

std::string RenderRecord(bool sealed, const std::string& content_sha256) {
  LoadResult loaded = LoadFormFile(SourcePath("forms/microneedling-consent.xml"));
  REQUIRE(loaded.ok());
  ValidSubmission submission = MustValidate(loaded.form, FilledSubmission(*loaded.form, kUuid));
  RenderOptions options;
  if (sealed) options.seal = SealAppearance{kClinicName, kSealedAt, kUuid, content_sha256};
  return RenderSubmission(submission, Screen(submission), {kUuid, kSealedAt}, Settings(), options);
}

const std::string& Unsealed() {
  static const std::string pdf = RenderRecord(true);
  return pdf;
}

const std::string& Sealed() {
  static const std::string pdf = SealPdf(Unsealed(), Clinic());
  return pdf;
}

std::string PdfSig(const std::string& pdf) {
  TempDir dir;
  auto result = Run("pdfsig " + ShellQuote(dir.Write("sealed.pdf", pdf)));
  return result.out + result.err;
}

std::string Pypdf(const std::string& pdf, const std::string& script) {
  TempDir dir;
  auto result = Run(std::string(CK_PYTHON) + " - " + ShellQuote(dir.Write("record.pdf", pdf)),
                    "import sys, pypdf\nr = pypdf.PdfReader(sys.argv[1], strict=True)\n" + script);
  return result.out + result.err;
}

std::string Flipped(std::string pdf, std::size_t at) {
  pdf[at] = static_cast<char>(pdf[at] ^ 0x01);
  return pdf;
}

}  // namespace consentkit::test::seal
