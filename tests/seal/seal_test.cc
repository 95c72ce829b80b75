// Seals submission records and asks outside tools to judge them: pdfsig
// (poppler), qpdf, pdftotext, pdftoppm and the openssl command. Tampers
// with sealed files one way at a time and checks that both pdfsig and
// VerifySealedPdf notice, and how VerifySealedPdf says so.
#include "seal/seal.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <sstream>
#include <thread>

#include "form/form.h"
#include "pdf/pdf.h"
#include "seal/fixtures.h"
#include "seal/record_binding.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using namespace test::seal;  // the fixtures shared with countersign_test.cc
using test::Run;
using test::ShellQuote;

std::size_t ContentsBegin(const std::string& pdf) { return pdf.find("/Contents <") + 10; }
std::size_t ContentsEnd(const std::string& pdf) { return pdf.find('>', ContentsBegin(pdf)) + 1; }

std::string ProblemOf(const std::string& pdf) {
  SealCheck check = VerifySealedPdf(pdf, Clinic().certificate_pem());
  CHECK_FALSE(check.valid);
  return check.problem;
}

TEST_CASE("SealedRecordIsValidForPdfsig") {
  std::string report = PdfSig(Sealed());
  for (const std::string& line :
       {kValid, std::string("- Total document signed"), std::string("Signature Field Name: seal"),
        "Signer Certificate Common Name: " + kClinicName,
        std::string("Signing Hash Algorithm: SHA-256"),
        std::string("Signature Type: adbe.pkcs7.detached")}) {
    CHECK_MESSAGE(report.find(line) != std::string::npos, "no \"" << line << "\" in\n" << report);
  }
  CHECK(test::CountOf(report, "Signature #") == 1);
  MESSAGE(report);
}

TEST_CASE("SealedRecordPassesQpdfCheck") {
  test::TempDir dir;
  auto result = Run("qpdf --check " + ShellQuote(dir.Write("sealed.pdf", Sealed())));
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("No syntax or stream encoding errors") != std::string::npos);
  CHECK(result.out.find("WARNING") == std::string::npos);
  CHECK(result.err.empty());
}

TEST_CASE("SealingKeepsTheLengthAndChangesOnlyTheSignature") {
  const std::string& before = Unsealed();
  const std::string& after = Sealed();
  REQUIRE(after.size() == before.size());
  std::size_t range = before.find("/ByteRange [");
  std::size_t range_end = before.find(']', range) + 1;
  for (std::size_t i = 0; i < before.size(); ++i) {
    bool in_range = i >= range && i < range_end;
    bool in_value = i > ContentsBegin(before) && i + 1 < ContentsEnd(before);
    if (before[i] != after[i] && !in_range && !in_value) FAIL("byte " << i << " changed");
  }
}

TEST_CASE("StampIsOnTheLastPage") {
  test::TempDir dir;
  std::string pdf = dir.Write("sealed.pdf", Sealed());
  auto info = Run("pdfinfo " + ShellQuote(pdf));
  std::string pages = info.out.substr(info.out.find("Pages:") + 6);
  std::string last = std::to_string(std::stoi(pages));
  auto text = Run("pdftotext -f " + last + " -l " + last + " " + ShellQuote(pdf) + " -");
  for (const std::string& line :
       {"Electronically sealed by " + kClinicName, std::string("Sealed 2026-11-23 10:15:02 UTC"),
        "Submission " + kUuid}) {
    CHECK_MESSAGE(text.out.find(line) != std::string::npos, "no \"" << line << "\"");
  }
  // For people to look at: the stamped page as the build's seal-shots/last-page.png.
  test::Run("mkdir -p " + ShellQuote(CK_SEAL_SHOTS));
  auto shot = Run("pdftoppm -r 110 -png -singlefile -f " + last + " -l " + last + " " +
                  ShellQuote(pdf) + " " + ShellQuote(std::string(CK_SEAL_SHOTS) + "/last-page"));
  CHECK(shot.exit_code == 0);
}

TEST_CASE("VerifySealedPdfAcceptsTheClinicsSeal") {
  SealCheck check = VerifySealedPdf(Sealed(), Clinic().certificate_pem());
  CHECK(check.problem == "");
  CHECK(check.valid);
  CHECK(check.signer_common_name == kClinicName);
  CHECK(check.signer_fingerprint_sha256 == Clinic().fingerprint_sha256());
  CHECK(check.signed_at_utc.size() == 20);
  CHECK(check.signed_at_utc.substr(0, 4) >= "2025");
}

TEST_CASE("ChangedByteInTheBodyBreaksTheSeal") {
  std::size_t created = Sealed().find("/CreationDate (D:");  // the year's last digit
  REQUIRE(created != std::string::npos);
  for (std::size_t at : {created + 20, ContentsBegin(Sealed()) / 2, Sealed().size() - 20}) {
    std::string changed = Flipped(Sealed(), at);
    CHECK(PdfSig(changed).find(kValid) == std::string::npos);
    CHECK(ProblemOf(changed) == kChanged);
  }
}

TEST_CASE("ChangedByteJustBeforeTheSignatureValueBreaksTheSeal") {
  std::string changed = Flipped(Sealed(), ContentsBegin(Sealed()) - 1);
  CHECK(PdfSig(changed).find(kValid) == std::string::npos);
  CHECK(ProblemOf(changed) == kChanged);
}

TEST_CASE("ChangedByteJustAfterTheSignatureValueBreaksTheSeal") {
  std::string changed = Flipped(Sealed(), ContentsEnd(Sealed()));
  CHECK(PdfSig(changed).find(kValid) == std::string::npos);
  CHECK(ProblemOf(changed) == kChanged);
}

TEST_CASE("AppendedByteIsOutsideTheSeal") {
  std::string appended = Sealed() + "\n";
  std::string report = PdfSig(appended);
  CHECK(report.find("- Total document signed") == std::string::npos);
  CHECK(ProblemOf(appended) ==
        "byte range does not cover the whole file: 1 byte after the signed range (added after "
        "sealing)");
}

TEST_CASE("IncrementalUpdateIsOutsideTheSeal") {
  const std::string update = "1 0 obj\n<< /Changed true >>\nendobj\n";
  std::string updated = Sealed() + update;
  CHECK(PdfSig(updated).find("- Total document signed") == std::string::npos);
  CHECK(MatchError(ProblemOf(updated), {"does not cover the whole file: " +
                                        std::to_string(update.size()) + " bytes after"}) == "OK");
}

TEST_CASE("TruncatedFileBreaksTheSeal") {
  std::string cut = Sealed().substr(0, Sealed().size() - 1);
  CHECK(PdfSig(cut).find(kValid) == std::string::npos);
  CHECK(ProblemOf(cut) ==
        "the signed range runs 1 byte past the end of the file: the file was cut short after "
        "sealing");
}

TEST_CASE("ChangedByteRangeBreaksTheSeal") {
  std::string changed = Sealed();
  std::size_t first_digit = changed.find("/ByteRange [0 ") + 14;
  changed[first_digit] = changed[first_digit] == '1' ? '2' : '1';
  CHECK(PdfSig(changed).find(kValid) == std::string::npos);
  CHECK(MatchError(ProblemOf(changed), {"the byte range leaves out bytes"}) == "OK");
}

// Inside the signature value: not covered by the signature, so pdfsig may
// still call it valid; our check wants the padding untouched.
TEST_CASE("ChangedPaddingInTheSignatureValueIsNoticed") {
  std::string changed = Sealed();
  changed[ContentsEnd(changed) - 2] = '1';
  CHECK(ProblemOf(changed) ==
        "the signature value was changed after sealing: there are bytes after the CMS signature");
}

TEST_CASE("SealOfAnotherCertificateIsNotTheClinics") {
  std::string other = SealPdf(Unsealed(), OtherClinic());
  SealCheck check = VerifySealedPdf(other, Clinic().certificate_pem());
  CHECK_FALSE(check.valid);
  CHECK(MatchError(check.problem,
                   {"signed by CN=Other Clinic (sha256 " + OtherClinic().fingerprint_sha256() +
                    "), not the clinic's certificate CN=" + kClinicName + " (sha256 " +
                    Clinic().fingerprint_sha256() + ")"}) == "OK");
  CHECK(check.signer_common_name == "Other Clinic");
  CHECK(check.signer_fingerprint_sha256 == OtherClinic().fingerprint_sha256());
}

TEST_CASE("UnsealedRecordHasNoValidSeal") {
  CHECK(ProblemOf(Unsealed()) ==
        "the PDF was never sealed: its signature is still the empty placeholder");
  std::string plain = RenderRecord(false);
  CHECK(ProblemOf(plain) == "the PDF has no signature (no /ByteRange)");
}

TEST_CASE("TrustedCertificateMustBeACertificate") {
  CHECK(MatchError(SealErrorOf([] { VerifySealedPdf(Sealed(), "not a certificate"); }),
                   {"not a PEM certificate"}) == "OK");
}

TEST_CASE("SealPdfRefusesAPdfWithoutPlaceholder") {
  std::string plain = RenderRecord(false);
  CHECK(MatchError(SealErrorOf([&] { SealPdf(plain, Clinic()); }),
                   {"cannot seal: the PDF has no signature", "RenderOptions::seal"}) == "OK");
}

TEST_CASE("SealPdfRefusesASealedPdf") {
  CHECK(SealErrorOf([] { SealPdf(Sealed(), Clinic()); }) ==
        "cannot seal: the PDF is already sealed");
}

// The service seals on its request threads with one shared identity.
TEST_CASE("SealingFromManyThreadsWithOneIdentity") {
  const SigningIdentity& identity = Clinic();
  std::vector<std::string> sealed(8);
  std::vector<std::thread> threads;
  for (std::string& out : sealed) {
    threads.emplace_back([&out, &identity] {
      for (int i = 0; i < 5; ++i) out = SealPdf(Unsealed(), identity);
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::string& pdf : sealed) {
    CHECK(VerifySealedPdf(pdf, identity.certificate_pem()).problem == "");
  }
}

TEST_CASE("SealTiming") {
  constexpr int kRounds = 20;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) CHECK(!SealPdf(Unsealed(), Clinic()).empty());
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() /
      kRounds;
  MESSAGE("SealPdf: " << ms << " ms per " << Unsealed().size() << "-byte record (ECDSA P-256)");
}

// --- Identities -----------------------------------------------------------

mode_t ModeOf(const std::string& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

TEST_CASE("CreatedKeyIsPrivateAndCertificateIsPublic") {
  std::string keys = ClinicKeys().path() + "/keys";
  CHECK(ModeOf(keys + "/" + kSealKeyFile) == 0600);
  CHECK(ModeOf(keys + "/" + kSealCertFile) == 0644);
  CHECK(ModeOf(keys) == 0700);
  auto listing = Run("ls -A " + ShellQuote(keys));
  CHECK(listing.out == "seal-cert.pem\nseal-key.pem\n");  // no temporary files left
}

TEST_CASE("CreatedCertificateIsSelfSignedX509v3ForTheClinic") {
  auto text = Run("openssl x509 -noout -text -nameopt utf8 -in " +
                  ShellQuote(ClinicKeys().path() + "/keys/" + kSealCertFile));
  REQUIRE(text.exit_code == 0);
  for (const std::string& part :
       {std::string("Version: 3 (0x2)"), "Subject: CN=" + kClinicName + ", O=" + kClinicName,
        "Issuer: CN=" + kClinicName, std::string("Public-Key: (256 bit)"),
        std::string("NIST CURVE: P-256"), std::string("Digital Signature, Non Repudiation"),
        std::string("CA:FALSE"), std::string("E-mail Protection"),
        std::string("ecdsa-with-SHA256")}) {
    CHECK_MESSAGE(text.out.find(part) != std::string::npos, "no \"" << part << "\"\n" << text.out);
  }
  auto dates = Run("openssl x509 -noout -checkend " + std::to_string(3650L * 86400) + " -in " +
                   ShellQuote(ClinicKeys().path() + "/keys/" + kSealCertFile));
  CHECK(dates.out == "Certificate will not expire\n");
  CHECK(Clinic().common_name() == kClinicName);
  CHECK(Clinic().fingerprint_sha256().size() == 64);
}

TEST_CASE("CreateSelfSignedIdentityNeverReplacesAKey") {
  std::string keys = ClinicKeys().path() + "/keys";
  std::string key_before = ReadFile(keys + "/" + kSealKeyFile);
  CHECK(MatchError(SealErrorOf([&] { CreateSelfSignedIdentity(keys, "Someone Else"); }),
                   {keys + "/seal-key.pem already exists", "never replaces"}) == "OK");
  CHECK(ReadFile(keys + "/" + kSealKeyFile) == key_before);
  // A lone certificate is protected too, and then no key is written.
  test::TempDir dir;
  dir.Write(kSealCertFile, "keep me");
  CHECK(MatchError(SealErrorOf([&] { CreateSelfSignedIdentity(dir.path(), "X"); }),
                   {"seal-cert.pem already exists"}) == "OK");
  CHECK(ReadFile(dir.File(kSealCertFile)) == "keep me");
  CHECK(::access(dir.File(kSealKeyFile).c_str(), F_OK) != 0);
}

TEST_CASE("KeyReadableByOthersIsRefused") {
  test::TempDir dir;
  std::string keys = ClinicKeys().path() + "/keys";
  std::string key = dir.Write("key.pem", ReadFile(keys + "/" + kSealKeyFile));
  for (mode_t mode : {0644u, 0640u, 0604u, 0660u}) {
    REQUIRE(::chmod(key.c_str(), mode) == 0);
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode));
    CHECK(MatchError(SealErrorOf([&] { SigningIdentity::Load(keys + "/" + kSealCertFile, key); }),
                     {key, std::string("(mode ") + text + ")", "run chmod 600 " + key}) == "OK");
  }
  REQUIRE(::chmod(key.c_str(), 0400) == 0);
  CHECK(SigningIdentity::Load(keys + "/" + kSealCertFile, key).common_name() == kClinicName);
}

TEST_CASE("KeyOfAnotherCertificateIsRefused") {
  std::string keys = ClinicKeys().path() + "/keys";
  test::TempDir dir;
  std::string cert = dir.Write("other-cert.pem", OtherClinic().certificate_pem());
  CHECK(MatchError(SealErrorOf([&] { SigningIdentity::Load(cert, keys + "/" + kSealKeyFile); }),
                   {"does not belong to the certificate in " + cert, "CN=Other Clinic"}) == "OK");
}

TEST_CASE("MissingFilesAreRefused") {
  std::string keys = ClinicKeys().path() + "/keys";
  CHECK(MatchError(SealErrorOf([&] {
                     SigningIdentity::Load("/nonexistent/cert.pem", keys + "/" + kSealKeyFile);
                   }),
                   {"/nonexistent/cert.pem", "No such file", "PEM certificate"}) == "OK");
  CHECK(MatchError(SealErrorOf([&] {
                     SigningIdentity::Load(keys + "/" + kSealCertFile, "/nonexistent/key.pem");
                   }),
                   {"/nonexistent/key.pem", "No such file", "keys init"}) == "OK");
}

TEST_CASE("GarbageIsRefused") {
  std::string keys = ClinicKeys().path() + "/keys";
  test::TempDir dir;
  std::string garbage = dir.Write("garbage.pem", "hello, I am not PEM\n");
  ::chmod(garbage.c_str(), 0600);
  CHECK(MatchError(SealErrorOf([&] { SigningIdentity::Load(garbage, keys + "/" + kSealKeyFile); }),
                   {garbage, "holds no PEM certificate"}) == "OK");
  CHECK(MatchError(SealErrorOf([&] { SigningIdentity::Load(keys + "/" + kSealCertFile, garbage); }),
                   {garbage, "is not a PEM private key"}) == "OK");
  // A certificate where the key should be.
  std::string cert_as_key = dir.Write("cert-as-key.pem", Clinic().certificate_pem());
  ::chmod(cert_as_key.c_str(), 0600);
  CHECK(MatchError(
            SealErrorOf([&] { SigningIdentity::Load(keys + "/" + kSealCertFile, cert_as_key); }),
            {"is not a PEM private key"}) == "OK");
}

TEST_CASE("EncryptedKeyIsRefusedWithoutAPrompt") {
  std::string keys = ClinicKeys().path() + "/keys";
  test::TempDir dir;
  std::string encrypted = dir.File("encrypted.pem");
  auto made = Run("umask 077 && openssl pkey -aes256 -passout pass:secret -in " +
                  ShellQuote(keys + "/" + kSealKeyFile) + " -out " + ShellQuote(encrypted));
  REQUIRE(made.exit_code == 0);
  CHECK(
      MatchError(SealErrorOf([&] { SigningIdentity::Load(keys + "/" + kSealCertFile, encrypted); }),
                 {encrypted, "is encrypted", "unencrypted"}) == "OK");
}

// An EC key of its own (from the openssl command) seals as well as RSA.
TEST_CASE("EcKeySealsToo") {
  test::TempDir dir;
  auto made = Run("cd " + ShellQuote(dir.path()) +
                  " && umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256"
                  " -nodes -days 30 -subj '/CN=EC Clinic' -keyout key.pem -out cert.pem");
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  SigningIdentity identity = SigningIdentity::Load(dir.File("cert.pem"), dir.File("key.pem"));
  std::string sealed = SealPdf(Unsealed(), identity);
  CHECK(PdfSig(sealed).find(kValid) != std::string::npos);
  CHECK(VerifySealedPdf(sealed, identity.certificate_pem()).problem == "");
}

TEST_CASE("KeyViewersCannotVerifyIsRefused") {
  test::TempDir dir;
  auto made = Run("cd " + ShellQuote(dir.path()) +
                  " && umask 077 && openssl req -x509 -newkey ed25519 -nodes -days 30"
                  " -subj '/CN=Ed Clinic' -keyout key.pem -out cert.pem");
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  CHECK(MatchError(
            SealErrorOf([&] { SigningIdentity::Load(dir.File("cert.pem"), dir.File("key.pem")); }),
            {"is a ED25519 key, which PDF viewers cannot verify"}) == "OK");
}

// --- Certificates from elsewhere, made with the openssl command ----------

// "YYMMDDHHMMSSZ", `offset` seconds from now, for openssl ca.
std::string AsnTime(long offset) {
  std::time_t when = std::time(nullptr) + offset;
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[16];
  std::strftime(text, sizeof text, "%y%m%d%H%M%SZ", &utc);
  return text;
}

// A self-signed certificate for `name` valid between the two times, and
// its key, as dir/<stem>-cert.pem and dir/<stem>-key.pem.
void MakeCertificate(const test::TempDir& dir, const std::string& stem, const std::string& name,
                     const std::string& start, const std::string& end) {
  std::string ca = dir.File(stem + "-ca");
  std::string config = "[ca]\ndefault_ca = d\n[d]\ndatabase = " + ca +
                       "/index.txt\nserial = " + ca + "/serial\nnew_certs_dir = " + ca +
                       "\ndefault_md = sha256\npolicy = p\nunique_subject = no\n"
                       "[p]\ncommonName = supplied\n";
  auto result =
      Run("mkdir -p " + ShellQuote(ca) + " && touch " + ShellQuote(ca + "/index.txt") +
              " && echo 01 > " + ShellQuote(ca + "/serial") + " && cat > " +
              ShellQuote(ca + "/ca.cnf") + " && umask 077 && openssl req -new -newkey " +
              "rsa:2048 -nodes -subj " + ShellQuote("/CN=" + name) + " -keyout " +
              ShellQuote(dir.File(stem + "-key.pem")) + " -out " + ShellQuote(ca + "/req.csr") +
              " && openssl ca -batch -notext -selfsign " + "-config " + ShellQuote(ca + "/ca.cnf") +
              " -keyfile " + ShellQuote(dir.File(stem + "-key.pem")) + " -in " +
              ShellQuote(ca + "/req.csr") + " -startdate " + start + " -enddate " + end + " -out " +
              ShellQuote(dir.File(stem + "-cert.pem")),
          config);
  REQUIRE_MESSAGE(result.exit_code == 0, result.err);
}

const std::string kToHex =
    std::string(CK_PYTHON) +
    " -c 'import sys; print(sys.stdin.buffer.read().hex().upper(), end=\"\")'";
const std::string kFromHex =
    std::string(CK_PYTHON) +
    " -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))'";

// Seals `pdf` the way any other signer would: the byte range filled in by
// hand, the signature made by `openssl cms -sign`.
std::string SealWithOpenSsl(std::string pdf, const test::TempDir& dir, const std::string& stem) {
  std::size_t range = pdf.find("/ByteRange [") + 11, range_end = pdf.find(']', range) + 1;
  std::size_t a = ContentsBegin(pdf), b = ContentsEnd(pdf);
  std::string numbers =
      "[0 " + std::to_string(a) + " " + std::to_string(b) + " " + std::to_string(pdf.size() - b);
  pdf.replace(range, range_end - range,
              numbers + std::string(range_end - range - numbers.size() - 1, ' ') + "]");
  std::string data = dir.Write("signed-bytes", pdf.substr(0, a) + pdf.substr(b));
  auto signed_ = Run("openssl cms -sign -binary -md sha256 -outform DER -in " + ShellQuote(data) +
                     " -signer " + ShellQuote(dir.File(stem + "-cert.pem")) + " -inkey " +
                     ShellQuote(dir.File(stem + "-key.pem")) + " | " + kToHex);
  REQUIRE(signed_.exit_code == 0);
  REQUIRE(signed_.out.size() <= b - a - 2);
  pdf.replace(a + 1, signed_.out.size(), signed_.out);
  return pdf;
}

TEST_CASE("SealMadeByTheOpensslCommandVerifies") {
  test::TempDir dir;
  MakeCertificate(dir, "elsewhere", "Elsewhere Clinic", AsnTime(-3600), AsnTime(86400));
  std::string sealed = SealWithOpenSsl(Unsealed(), dir, "elsewhere");
  CHECK(PdfSig(sealed).find(kValid) != std::string::npos);
  SealCheck check = VerifySealedPdf(sealed, ReadFile(dir.File("elsewhere-cert.pem")));
  CHECK(check.problem == "");
  CHECK(check.signer_common_name == "Elsewhere Clinic");
}

TEST_CASE("SignatureOutsideTheCertificatesValidityIsInvalid") {
  test::TempDir dir;
  MakeCertificate(dir, "old", "Old Clinic", "010101000000Z", "020101000000Z");
  std::string sealed = SealWithOpenSsl(Unsealed(), dir, "old");
  SealCheck check = VerifySealedPdf(sealed, ReadFile(dir.File("old-cert.pem")));
  CHECK(MatchError(check.problem, {"outside the certificate's validity (2001-01-01T00:00:00Z to "
                                   "2002-01-01T00:00:00Z)"}) == "OK");
  // Load refuses such a certificate outright: its seals would not verify.
  CHECK(MatchError(SealErrorOf([&] {
                     SigningIdentity::Load(dir.File("old-cert.pem"), dir.File("old-key.pem"));
                   }),
                   {"is not valid now", "2002-01-01T00:00:00Z"}) == "OK");
}

// Years later the certificate has expired; the seal, made while it was
// valid, still verifies.
TEST_CASE("SealStaysValidAfterTheCertificateExpires") {
  test::TempDir dir;
  MakeCertificate(dir, "short", "Short Clinic", AsnTime(-60), AsnTime(3));
  std::string sealed = SealPdf(
      Unsealed(), SigningIdentity::Load(dir.File("short-cert.pem"), dir.File("short-key.pem")));
  std::this_thread::sleep_for(std::chrono::seconds(5));
  auto expired =
      Run("openssl x509 -noout -checkend 0 -in " + ShellQuote(dir.File("short-cert.pem")));
  REQUIRE(expired.out == "Certificate will expire\n");
  SealCheck check = VerifySealedPdf(sealed, ReadFile(dir.File("short-cert.pem")));
  CHECK(check.problem == "");
  CHECK(check.valid);
}

TEST_CASE("ChainIsSentWithEverySeal") {
  test::TempDir dir;
  std::string root = dir.File("root"), leaf = dir.File("leaf");
  auto made =
      Run("cd " + ShellQuote(dir.path()) +
          " && umask 077"
          " && openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj '/CN=Example Root CA'"
          " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign"
          " -keyout root-key.pem -out root-cert.pem"
          " && openssl req -new -newkey rsa:2048 -nodes -subj '/O=Chain Clinic/CN=Chain Clinic'"
          " -keyout leaf-key.pem -out leaf.csr"
          " && printf 'keyUsage=critical,digitalSignature,nonRepudiation\\n' > leaf.ext"
          " && openssl x509 -req -in leaf.csr -CA root-cert.pem -CAkey root-key.pem"
          " -CAcreateserial -days 365 -extfile leaf.ext -out leaf-only.pem"
          " && cat leaf-only.pem root-cert.pem > leaf-chain.pem");
  REQUIRE_MESSAGE(made.exit_code == 0, made.err);
  SigningIdentity identity =
      SigningIdentity::Load(dir.File("leaf-chain.pem"), dir.File("leaf-key.pem"));
  CHECK(identity.common_name() == "Chain Clinic");
  CHECK(identity.certificate_pem() == ReadFile(dir.File("leaf-only.pem")));
  std::string sealed = SealPdf(Unsealed(), identity);
  CHECK(PdfSig(sealed).find(kValid) != std::string::npos);
  CHECK(VerifySealedPdf(sealed, identity.certificate_pem()).problem == "");
  // The CMS carries both certificates.
  std::size_t a = ContentsBegin(sealed) + 1;
  std::string hex = sealed.substr(a, ContentsEnd(sealed) - 1 - a);
  auto certs = Run(kFromHex + " | openssl pkcs7 -inform DER -print_certs -noout", hex);
  CHECK(test::CountOf(certs.out, "subject=") == 2);
  CHECK(certs.out.find("CN = Example Root CA") != std::string::npos);
}

// Detached signatures over data: what an archive's manifest and the audit
// checkpoints carry.
const std::string kCheckpointText = "consentkit-checkpoint/1\nseq 17\nlast_hash 9f2c\n";

TEST_CASE("DetachedSignatureOfDataVerifies") {
  std::string signature = SignDetachedData(kCheckpointText, Clinic());
  SealCheck check = VerifyDetachedData(kCheckpointText, signature, Clinic().certificate_pem());
  CHECK(check.problem == "");
  CHECK(check.valid);
  CHECK(check.signer_common_name == kClinicName);
  CHECK(check.signer_fingerprint_sha256 == Clinic().fingerprint_sha256());
  CHECK(check.signed_at_utc.size() == 20);
  CHECK(check.sealed_submission_id.empty());
  CHECK(check.sealed_content_sha256.empty());
}

TEST_CASE("DetachedSignatureOfEmptyDataVerifies") {
  std::string signature = SignDetachedData("", Clinic());
  CHECK(VerifyDetachedData("", signature, Clinic().certificate_pem()).problem == "");
  CHECK_FALSE(VerifyDetachedData("x", signature, Clinic().certificate_pem()).valid);
}

TEST_CASE("DataSignedFromAStreamVerifiesAsTheSameBytes") {
  std::string data;  // several of the BIO's blocks, with every byte value
  for (int i = 0; i < 300000; ++i) data += static_cast<char>((i * 7919) & 0xff);
  std::istringstream in(data);
  std::string signature = SignDetachedData(in, Clinic());
  CHECK(VerifyDetachedData(data, signature, Clinic().certificate_pem()).problem == "");
  CHECK_FALSE(VerifyDetachedData(data.substr(1), signature, Clinic().certificate_pem()).valid);
  std::istringstream rest(data);
  rest.seekg(100);  // from where the stream stands
  CHECK(VerifyDetachedData(data.substr(100), SignDetachedData(rest, Clinic()),
                           Clinic().certificate_pem())
            .valid);
}

TEST_CASE("ChangedByteOfSignedDataIsNoticed") {
  std::string signature = SignDetachedData(kCheckpointText, Clinic());
  std::string changed = kCheckpointText;
  changed[changed.find("17")] = '8';
  SealCheck check = VerifyDetachedData(changed, signature, Clinic().certificate_pem());
  CHECK_FALSE(check.valid);
  CHECK(check.problem ==
        "the signature does not match the signed bytes: the data was changed after it was signed");
  CHECK(check.signer_common_name == kClinicName);  // read, though the signature is bad
}

TEST_CASE("DetachedSignatureOfAnotherIdentityNamesItsSigner") {
  std::string signature = SignDetachedData(kCheckpointText, OtherClinic());
  SealCheck check = VerifyDetachedData(kCheckpointText, signature, Clinic().certificate_pem());
  CHECK_FALSE(check.valid);
  CHECK(MatchError(check.problem,
                   {"signed by CN=Other Clinic (sha256 " + OtherClinic().fingerprint_sha256() +
                    "), not the clinic's certificate CN=" + kClinicName}) == "OK");
  CHECK(check.signer_common_name == "Other Clinic");
  // With its own certificate trusted, the same signature is fine.
  CHECK(VerifyDetachedData(kCheckpointText, signature, OtherClinic().certificate_pem()).valid);
}

TEST_CASE("GarbageDetachedSignatureIsInvalidNotAnError") {
  for (const std::string& garbage :
       {std::string(), std::string("not a signature"), std::string(300, '\0')}) {
    SealCheck check = VerifyDetachedData(kCheckpointText, garbage, Clinic().certificate_pem());
    CHECK_FALSE(check.valid);
    CHECK(check.problem == "the signature is not a CMS signature");
  }
  std::string signature = SignDetachedData(kCheckpointText, Clinic());
  SealCheck padded = VerifyDetachedData(kCheckpointText, signature + std::string(1, '\0'),
                                        Clinic().certificate_pem());
  CHECK(padded.problem == "the signature has bytes after the CMS signature");
  SealCheck cut = VerifyDetachedData(kCheckpointText, signature.substr(0, signature.size() - 1),
                                     Clinic().certificate_pem());
  CHECK(cut.problem == "the signature is not a CMS signature");
}

TEST_CASE("DetachedDataVerifyNeedsACertificate") {
  CHECK(MatchError(SealErrorOf([] { VerifyDetachedData("data", "sig", "not pem"); }),
                   {"not a PEM certificate"}) == "OK");
}

TEST_CASE("OpensslAcceptsADetachedDataSignature") {
  test::TempDir dir;
  std::string data = dir.Write("data", kCheckpointText);
  std::string sig = dir.Write("data.sig", SignDetachedData(kCheckpointText, Clinic()));
  std::string cert = dir.Write("cert.pem", Clinic().certificate_pem());
  std::string verify = "openssl cms -verify -binary -inform DER -in " + ShellQuote(sig) +
                       " -content " + ShellQuote(data) + " -CAfile " + ShellQuote(cert) +
                       " -out /dev/null";
  auto result = Run(verify);
  CHECK_MESSAGE(result.exit_code == 0, result.err);
  CHECK(result.err.find("Verification successful") != std::string::npos);
  dir.Write("data", kCheckpointText + " ");
  auto changed = Run(verify);
  CHECK(changed.exit_code != 0);
  CHECK(changed.err.find("Verification failure") != std::string::npos);
}

// Seals bound to their record: the /Reason names the submission id and its
// content hash, and verify reads them back from a valid seal only.
TEST_CASE("SealedRecordNamesItsSubmissionAndContent") {
  SealCheck check = VerifySealedPdf(Sealed(), Clinic().certificate_pem());
  REQUIRE(check.valid);
  CHECK(check.sealed_submission_id == kUuid);
  CHECK(check.sealed_content_sha256 == kContentSha256);
  std::vector<SignatureCheck> all = VerifyPdfSignatures(Sealed(), Clinic().certificate_pem());
  REQUIRE(all.size() == 1);
  CHECK(all[0].seal.sealed_submission_id == kUuid);
  CHECK(all[0].seal.sealed_content_sha256 == kContentSha256);
}

// pdfsig judges the signature; poppler 22.12's pdfsig does not print the
// /Reason, so pypdf reads it.
const std::string kPrintSealReason = "print(r.get_fields()['seal']['/V']['/Reason'])\n";

TEST_CASE("SealsReasonNamesTheRecordForPypdfAndPdfsigFindsItValid") {
  CHECK(PdfSig(Sealed()).find(kValid) != std::string::npos);
  CHECK(Pypdf(Sealed(), kPrintSealReason) ==
        "Record of consent submission " + kUuid + "; content SHA-256 " + kContentSha256 + "\n");
}

TEST_CASE("BrokenSealNamesNoRecord") {
  SealCheck check =
      VerifySealedPdf(Flipped(Sealed(), Sealed().size() / 3), Clinic().certificate_pem());
  CHECK_FALSE(check.valid);
  CHECK(check.sealed_submission_id.empty());
  CHECK(check.sealed_content_sha256.empty());
}

TEST_CASE("SealOfAnotherCertificateNamesNoRecord") {
  SealCheck check = VerifySealedPdf(SealPdf(Unsealed(), OtherClinic()), Clinic().certificate_pem());
  CHECK_FALSE(check.valid);
  CHECK(check.sealed_submission_id.empty());
  CHECK(check.sealed_content_sha256.empty());
}

// A seal made before seals named their content says "Record of consent
// submission <id>" only: valid, but bound to nothing verify can check.
TEST_CASE("OldFormatSealIsValidButNamesNoRecord") {
  std::string old = SealPdf(RenderRecord(true, ""), Clinic());
  CHECK(Pypdf(old, kPrintSealReason) == "Record of consent submission " + kUuid + "\n");
  CHECK(PdfSig(old).find(kValid) != std::string::npos);
  SealCheck check = VerifySealedPdf(old, Clinic().certificate_pem());
  CHECK(check.problem == "");
  CHECK(check.sealed_submission_id.empty());
  CHECK(check.sealed_content_sha256.empty());
}

TEST_CASE("ContentHashThatIsNotASha256IsRefused") {
  for (const std::string& bad : {std::string("abc"), std::string(64, 'A'), kContentSha256 + "0"}) {
    std::string message;
    try {
      RenderRecord(true, bad);
    } catch (const PdfError& e) {
      message = e.what();
    }
    CHECK(MatchError(message, {"content hash of submission " + kUuid, "\"" + bad + "\"",
                               "expected 64 lower-case hex digits"}) == "OK");
  }
}

TEST_CASE("SealReasonReadsBackOnlyInItsOwnFormat") {
  std::string id, hash;
  REQUIRE(ParseSealReason(SealReason(kUuid, kContentSha256), id, hash));
  CHECK(id == kUuid);
  CHECK(hash == kContentSha256);
  // The hash is the tail, so any id reads back whole.
  REQUIRE(ParseSealReason(SealReason("odd; content SHA-256 id", kContentSha256), id, hash));
  CHECK(id == "odd; content SHA-256 id");
  for (const std::string& other :
       {SealReason(kUuid, ""), SealReason("", kContentSha256),
        SealReason(kUuid, kContentSha256) + " ", " " + SealReason(kUuid, kContentSha256),
        SealReason(kUuid, kContentSha256.substr(1)), SealReason(kUuid, std::string(64, 'F')),
        std::string("Record of consent submission")}) {
    std::string other_id = "unchanged", other_hash = "unchanged";
    CHECK_MESSAGE(!ParseSealReason(other, other_id, other_hash), other);
    CHECK(other_id == "unchanged");
    CHECK(other_hash == "unchanged");
  }
}

}  // namespace
}  // namespace consentkit
