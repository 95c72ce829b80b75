// Tokens held against the audit chain: tokens made and revoked with the
// consentkit binary, the tokens table tampered with through the sqlite3
// shell, and the verdict read from `consentkit verify` as a compliance
// officer would run it.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "archive/data_folder.h"
#include "seal/seal.h"
#include "store/store.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::Run;
using test::ShellQuote;

const SigningIdentity& Identity() { return test::ClinicSeal(); }

const std::string& CertificatePem() { return Identity().certificate_pem(); }

test::CommandResult Consentkit(const std::string& args) {
  return Run(std::string(CK_BINARY) + " " + args);
}

// A data folder with a front-desk tablet token, a practitioner's token,
// and a staff token made and then revoked, all with the consentkit binary.
struct TokenClinic {
  test::TempDir dir;
  std::string tablet, practitioner, revoked;

  TokenClinic() {
    WriteFileAtomically(dir.File(kSealCertFile), CertificatePem());
    tablet = Create("tablet", "Front desk tablet");
    practitioner = Create("practitioner", "Dr Ana Ruiz");
    revoked = Create("staff", "Reception; old laptop");
    test::CommandResult r =
        Consentkit("tokens revoke --data " + ShellQuote(path()) + " " + revoked);
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    // The commands ran without the seal key, so they signed no checkpoint.
    test::SignCheckpoint(*OpenSqliteStore(path()), Identity());
  }
  std::string Create(const std::string& role, const std::string& name) {
    test::CommandResult r = Consentkit("tokens create --data " + ShellQuote(path()) + " --role " +
                                       role + " --name " + ShellQuote(name));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    std::string prefix = "created ";
    REQUIRE(r.out.compare(0, prefix.size(), prefix) == 0);
    return r.out.substr(prefix.size(), r.out.find(' ', prefix.size()) - prefix.size());
  }
  const std::string& path() const { return dir.path(); }
  void Sql(const std::string& statements) const {
    test::CommandResult r =
        Run("sqlite3 " + ShellQuote(dir.File("consentkit.db")) + " " + ShellQuote(statements));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
  test::CommandResult Verify() const { return Consentkit("verify " + ShellQuote(path())); }
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("an untampered store with created and revoked tokens verifies") {
  TokenClinic clinic;
  test::CommandResult r = clinic.Verify();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.err.empty());
}

TEST_CASE("token events anchor the role, the secret's hash, the name and the times") {
  TokenClinic clinic;
  auto store = OpenSqliteStore(clinic.path());
  std::optional<Token> tablet = store->FindToken(clinic.tablet);
  std::optional<Token> revoked = store->FindToken(clinic.revoked);
  REQUIRE(tablet);
  REQUIRE(revoked);
  std::vector<AuditEvent> events;
  store->ForEachAuditEvent(1, 0, [&](const AuditEvent& e) { events.push_back(e); });
  REQUIRE(events.size() == 4);
  CHECK(events[0].action == "token.created");
  CHECK(events[0].object == clinic.tablet);
  CHECK(events[0].detail == "role=tablet;secret_sha256=" + tablet->secret_sha256 +
                                ";name_sha256=" + Sha256Hex("Front desk tablet") +
                                ";created_at=" + tablet->created_at);
  CHECK(events[3].action == "token.revoked");
  CHECK(events[3].object == clinic.revoked);
  CHECK(events[3].detail == "revoked_at=" + revoked->revoked_at);
}

TEST_CASE("a token's role raised in the tokens table is named") {
  TokenClinic clinic;
  clinic.Sql("UPDATE tokens SET role = 'compliance' WHERE id = '" + clinic.tablet + "'");
  test::CommandResult r = clinic.Verify();
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.err, "token " + clinic.tablet +
                            " (\"Front desk tablet\"): its role is compliance in the tokens "
                            "table, but token.created (audit event 1) anchors tablet"));
  MESSAGE("role raised: " << r.err);
}

TEST_CASE("a token's secret hash swapped in the tokens table is named") {
  TokenClinic clinic;
  std::string mine = Sha256Hex("ckt_000000000000.attacker-knows-this");
  clinic.Sql("UPDATE tokens SET secret_sha256 = '" + mine + "' WHERE id = '" + clinic.practitioner +
             "'");
  test::CommandResult r = clinic.Verify();
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.err, "token " + clinic.practitioner + " (\"Dr Ana Ruiz\"): its secret hash is " +
                            mine +
                            " in the tokens table, but token.created (audit event 2) anchors "));
  MESSAGE("secret hash swapped: " << r.err);
}

TEST_CASE("a token's name changed in the tokens table is named") {
  TokenClinic clinic;
  clinic.Sql("UPDATE tokens SET name = 'Dr Someone Else' WHERE id = '" + clinic.practitioner + "'");
  test::CommandResult r = clinic.Verify();
  CHECK(r.exit_code == 1);
  CHECK(
      Contains(r.err, "token " + clinic.practitioner +
                          " (\"Dr Someone Else\"): its name is \"Dr Someone Else\" in the "
                          "tokens table, but token.created (audit event 2) anchors another name"));
  MESSAGE("name changed: " << r.err);
}

TEST_CASE("a revoked token un-revoked in the tokens table is named") {
  TokenClinic clinic;
  clinic.Sql("UPDATE tokens SET revoked_at = '' WHERE id = '" + clinic.revoked + "'");
  test::CommandResult r = clinic.Verify();
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.err, "token " + clinic.revoked +
                            " (\"Reception; old laptop\") was revoked by token.revoked (audit "
                            "event 4), but the tokens table has it valid: it has been un-revoked"));
  MESSAGE("un-revoked: " << r.err);
}

TEST_CASE("a live token's deleted row is named; a revoked one's is not") {
  TokenClinic clinic;
  SUBCASE("live") {
    clinic.Sql("DELETE FROM tokens WHERE id = '" + clinic.tablet + "'");
    test::CommandResult r = clinic.Verify();
    CHECK(r.exit_code == 1);
    CHECK(Contains(r.err, "token " + clinic.tablet +
                              " (role tablet, token.created (audit event 1)) is missing from the "
                              "tokens table, and no token.revoked event records its revocation"));
    MESSAGE("live token deleted: " << r.err);
  }
  SUBCASE("revoked") {
    clinic.Sql("DELETE FROM tokens WHERE id = '" + clinic.revoked + "'");
    test::CommandResult r = clinic.Verify();
    CHECK_MESSAGE(r.exit_code == 0, r.err);
  }
}

TEST_CASE("a token row no token.created event anchors is named") {
  TokenClinic clinic;
  clinic.Sql(
      "INSERT INTO tokens (id, name, role, secret_sha256, created_at) VALUES "
      "('tok_000000000bad', 'Side door', 'compliance', '" +
      Sha256Hex("x") + "', '2026-01-01T00:00:00Z')");
  test::CommandResult r = clinic.Verify();
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.err,
                 "token tok_000000000bad (\"Side door\") has no token.created event in the "
                 "audit log"));
  MESSAGE("inserted token: " << r.err);
}

// A token created before token events anchored hashes: its event says
// "role=…" only, so only the role can be checked.
TEST_CASE("a token anchored before token hashes is checked by its role only") {
  TokenClinic clinic;
  {
    auto store = OpenSqliteStore(clinic.path());
    store->RecordEvent("cli", "token.created", "tok_0000000000aa", "role=staff");
  }
  clinic.Sql(
      "INSERT INTO tokens (id, name, role, secret_sha256, created_at) VALUES "
      "('tok_0000000000aa', 'Old desk', 'staff', '" +
      Sha256Hex("old") + "', '2025-01-01T00:00:00Z')");
  test::CommandResult r = clinic.Verify();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  clinic.Sql("UPDATE tokens SET role = 'compliance' WHERE id = 'tok_0000000000aa'");
  r = clinic.Verify();
  CHECK(r.exit_code == 1);
  CHECK(Contains(r.err,
                 "token tok_0000000000aa (\"Old desk\"): its role is compliance in the "
                 "tokens table, but token.created (audit event 5) anchors staff"));
}

}  // namespace
}  // namespace consentkit
