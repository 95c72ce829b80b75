// The witness step over HTTP: a form's witness fields are refused until
// staff unlock the step for that visit, the patient's page learns of the
// unlock, and the sealed record prints who unlocked it. The record's text
// is read by poppler's pdftotext.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <doctest/doctest.h>

#include "api/api.h"
#include "auth/auth.h"
#include "server/test_server.h"
#include "support/filled.h"
#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Poco::JSON::Object;

constexpr char kWitnessed[] = "witnessed-consent";
constexpr char kWitnessFields[] = "tests/support/witness-forms";

std::string NewUuid() {
  std::string hex = RandomHex(16);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-a" +
         hex.substr(17, 3) + "-" + hex.substr(20, 12);
}

struct WitnessServer {
  test::TempDir data;
  TestServer server{data.path(), test::SourcePath(kWitnessFields)};
  std::string visit;

  WitnessServer() {
    Reply made = server.Call(
        "POST", "/api/v1/visits",
        R"({"patient": {"name": "Ana Lima", "date_of_birth": "1979-02-03"}, "forms": [")" +
            std::string(kWitnessed) + R"("]})");
    REQUIRE_MESSAGE(made.status == 201, made.body);
    visit = Json(made.body)->getValue<std::string>("id");
  }

  // The whole form, the witness's part included unless `witness` is false.
  std::string Body(bool witness = true, const std::string& uuid = NewUuid()) {
    Submission s = test::FilledSubmission(server.form(kWitnessed), uuid);
    s.values.erase("patient-name");  // the visit fills it in
    if (!witness) {
      s.values.erase("witness-name");
      s.values.erase("witness-signature");
    }
    s.visit_id = visit;
    return CanonicalSubmissionJson(s);
  }
  Reply Submit(const std::string& body) {
    return server.Call("POST", std::string("/api/v1/forms/") + kWitnessed + "/submissions", body);
  }
  Reply Step(Role role, bool unlock, const std::string& form = kWitnessed) {
    return Send(server.port(), server.token(role), "POST",
                "/api/v1/visits/" + visit + (unlock ? "/witness" : "/witness/lock"),
                R"({"form": ")" + form + R"("})");
  }
  int Events(const std::string& action) {
    int count = 0;
    server.store().ForEachAuditEvent(1, 0, [&](const AuditEvent& e) {
      if (e.action == action && e.object == visit) ++count;
    });
    return count;
  }
};

Reply SubmitAs(WitnessServer& w, const std::string& credential, const std::string& body) {
  return Send(w.server.port(), credential, "POST",
              std::string("/api/v1/forms/") + kWitnessed + "/submissions", body);
}

// "field: message" for each field a 422 names.
std::string Problems(const Reply& reply) {
  std::string out;
  for (const std::string& id : ProblemFieldIds(reply)) out += id + ";";
  return out;
}

TEST_CASE("WitnessFieldsAreRefusedUntilStaffUnlockTheStep") {
  WitnessServer w;
  Reply early = w.Submit(w.Body());
  CHECK(early.status == 422);
  CHECK(Problems(early) == "witness-name;witness-signature;");
  CHECK(early.body.find("the witness step of this form is locked") != std::string::npos);
  // Leaving the witness out does not get round it: the witness is required.
  Reply without = w.Submit(w.Body(false));
  CHECK(without.status == 422);
  CHECK(Problems(without) == "witness-name;witness-signature;");
  CHECK(without.body.find("is required from a witness") != std::string::npos);
  CHECK(w.server.store().CountSubmissions() == 0);
}

TEST_CASE("StaffUnlockTheWitnessStepAndTheRecordSaysWho") {
  WitnessServer w;
  CHECK(w.Step(Role::kTablet, true).status == 403);
  Reply unlocked = w.Step(Role::kStaff, true);
  REQUIRE_MESSAGE(unlocked.status == 200, unlocked.body);
  Object::Ptr step = Json(unlocked.body)->getObject("witness");
  CHECK(step->getValue<bool>("unlocked"));
  CHECK(step->getValue<std::string>("unlocked_by") == w.server.token_id(Role::kStaff));
  CHECK(step->getValue<std::string>("unlocked_by_name") == "staff");
  // Unlocking twice keeps the first unlock, and writes one event.
  CHECK(Json(w.Step(Role::kPractitioner, true).body)
            ->getObject("witness")
            ->getValue<std::string>("unlocked_by_name") == "staff");
  CHECK(w.Events("witness.unlocked") == 1);
  Object::Ptr visit = Json(w.server.Call("GET", "/api/v1/visits/" + w.visit).body);
  Object::Ptr form = visit->getArray("forms")->getObject(0);
  CHECK(form->getObject("witness")->getValue<bool>("unlocked"));

  Reply stored = w.Submit(w.Body());
  REQUIRE_MESSAGE(stored.status == 201, stored.body);
  std::string id = Json(stored.body)->getValue<std::string>("id");
  test::TempDir out;
  std::string pdf =
      out.Write("record.pdf", w.server.Call("GET", "/api/v1/submissions/" + id + ".pdf").body);
  std::string text = CollapseWhitespace(test::PdfText(pdf));
  CHECK(text.find("Witness step unlocked by staff (" + w.server.token_id(Role::kStaff) + ") at " +
                  step->getValue<std::string>("unlocked_at")) != std::string::npos);
  // Once the form is sent its witness step can no longer change.
  Reply late = w.Step(Role::kStaff, false);
  CHECK(late.status == 409);
  CHECK(late.body.find("\"form \\\"witnessed-consent\\\" was already submitted (submission " + id +
                       "); its witness step can no longer change\"") != std::string::npos);
}

TEST_CASE("LockingTheStepAgainRefusesTheWitnessOnceMore") {
  WitnessServer w;
  REQUIRE(w.Step(Role::kStaff, true).status == 200);
  Reply locked = w.Step(Role::kStaff, false);
  REQUIRE_MESSAGE(locked.status == 200, locked.body);
  CHECK_FALSE(Json(locked.body)->getObject("witness")->getValue<bool>("unlocked"));
  CHECK(w.Events("witness.locked") == 1);
  CHECK(w.Submit(w.Body()).status == 422);
}

TEST_CASE("ThePatientsDeviceLearnsOnlyWhetherItsStepIsUnlocked") {
  WitnessServer w;
  Reply made = w.server.Call("POST", "/api/v1/visits/" + w.visit + "/invites", "{}");
  REQUIRE(made.status == 201);
  std::string url = Json(made.body)->getValue<std::string>("url");
  std::string invite = url.substr(url.find("/i/") + 3);
  std::string path = std::string("/api/v1/visit/witness?form=") + kWitnessed;
  Reply before = Send(w.server.port(), invite, "GET", path);
  REQUIRE_MESSAGE(before.status == 200, before.body);
  CHECK(before.body == R"({"form":"witnessed-consent","unlocked":false})");
  REQUIRE(w.Step(Role::kStaff, true).status == 200);
  CHECK(Json(Send(w.server.port(), invite, "GET", path).body)->getValue<bool>("unlocked"));
  // The patient's own phone never gets the witness's part: the witness signs
  // at the clinic, on a clinic tablet.
  Reply page = Send(w.server.port(), invite, "GET", "/visit");
  CHECK(test::CountOf(page.body, "data-witness data-witness-locked hidden") == 2);
  CHECK(page.body.find("data-follow") == std::string::npos);
  CHECK(page.body.find(">The next part is for a witness, and is signed on a clinic tablet during "
                       "your visit.</p>") != std::string::npos);
  Reply from_phone = SubmitAs(w, invite, w.Body());
  CHECK(from_phone.status == 422);
  CHECK(Problems(from_phone) == "witness-name;witness-signature;");
  // Only forms of its own visit; a tablet with no visit handed to it has none.
  CHECK(Send(w.server.port(), invite, "GET", "/api/v1/visit/witness?form=other").status == 422);
  CHECK(w.server.As(Role::kTablet, "GET", path).status == 404);
  CHECK(Send(w.server.port(), invite, "POST", "/api/v1/visits/" + w.visit + "/witness",
             R"({"form": "witnessed-consent"})")
            .status == 403);
}

TEST_CASE("AKioskFollowsTheStepOfTheVisitItShows") {
  WitnessServer w;
  const std::string& tablet = w.server.token(Role::kTablet);
  std::string to_tablet = R"({"tablet": ")" + w.server.token_id(Role::kTablet) + R"("})";
  REQUIRE(w.server.Call("POST", "/api/v1/visits/" + w.visit + "/handoff", to_tablet).status == 200);
  std::string path = std::string("/api/v1/visit/witness?form=") + kWitnessed + "&visit=" + w.visit;
  CHECK(Send(w.server.port(), tablet, "GET", path).body ==
        R"({"form":"witnessed-consent","unlocked":false})");
  Reply page = Send(w.server.port(), tablet, "GET", "/visit");
  CHECK(page.body.find("data-follow") != std::string::npos);
  CHECK(page.body.find(">The next part is for a witness. A member of staff will unlock it when "
                       "your witness is with you.</p>") != std::string::npos);
  REQUIRE(w.Step(Role::kStaff, true).status == 200);
  page = Send(w.server.port(), tablet, "GET", "/visit");
  CHECK(page.body.find("data-witness-locked") == std::string::npos);
  CHECK(page.body.find(">Witness: please fill in your part below.</p>") != std::string::npos);
  // Handed on to another visit, the old page learns nothing of the new one.
  Reply made = w.server.Call(
      "POST", "/api/v1/visits",
      R"({"patient": {"name": "Rui Costa", "date_of_birth": "1970-05-06"}, "forms": [")" +
          std::string(kWitnessed) + R"("]})");
  std::string next = Json(made.body)->getValue<std::string>("id");
  REQUIRE(w.server.Call("POST", "/api/v1/visits/" + next + "/handoff", to_tablet).status == 200);
  CHECK(Send(w.server.port(), tablet, "GET", path).status == 404);
  CHECK(SubmitAs(w, tablet, w.Body()).status == 403);
}

TEST_CASE("AStepLockedWhileTheRecordIsMadeStoresNothing") {
  WitnessServer w;
  REQUIRE(w.Step(Role::kStaff, true).status == 200);
  // What intake does between reading the unlock and committing, with the
  // lock landing in between: the store refuses the record it made.
  std::optional<WitnessUnlock> read = w.server.store().WitnessUnlocksOfVisit(w.visit).front();
  REQUIRE(w.Step(Role::kStaff, false).status == 200);
  SubmissionRecord record;
  record.id = NewUuid();
  record.form_id = kWitnessed;
  record.visit_id = w.visit;
  record.received_at = UtcNow();
  record.witness = read;
  const FormDefinition& form = w.server.form(kWitnessed);
  CHECK(w.server.store().Put(record, "%PDF-1.7", form, "test").status ==
        PutStatus::kWitnessChanged);
  // Unlocked again by someone else: still not the unlock the record printed.
  REQUIRE(w.Step(Role::kPractitioner, true).status == 200);
  CHECK(w.server.store().Put(record, "%PDF-1.7", form, "test").status ==
        PutStatus::kWitnessChanged);
  CHECK(w.server.store().CountSubmissions() == 0);
  // Once a record of the form is stored, its step cannot be locked.
  Reply stored = w.Submit(w.Body());
  REQUIRE_MESSAGE(stored.status == 201, stored.body);
  CHECK_FALSE(w.server.store().LockWitness(w.visit, kWitnessed, "test"));
  CHECK(w.server.store().WitnessUnlocksOfVisit(w.visit).size() == 1);
}

TEST_CASE("OnlyAPacketFormWithAWitnessStepCanBeUnlocked") {
  WitnessServer w;
  Reply other = w.Step(Role::kStaff, true, "microneedling-consent");
  CHECK(other.status == 422);
  CHECK(other.body.find(R"("message":"\"microneedling-consent\" is not in this visit's packet")") !=
        std::string::npos);
  Reply none = Send(w.server.port(), w.server.token(Role::kStaff), "POST",
                    "/api/v1/visits/vis_000000000000000000000000/witness",
                    R"({"form": "witnessed-consent"})");
  CHECK(none.status == 404);
  Reply empty = Send(w.server.port(), w.server.token(Role::kStaff), "POST",
                     "/api/v1/visits/" + w.visit + "/witness", "{}");
  CHECK(empty.status == 422);

  test::TempDir data;
  TestServer shipped(data.path());
  Reply made = shipped.Call("POST", "/api/v1/visits",
                            R"({"patient": {"name": "Ana Lima", "date_of_birth": "1979-02-03"}})");
  std::string visit = Json(made.body)->getValue<std::string>("id");
  Reply plain = shipped.Call("POST", "/api/v1/visits/" + visit + "/witness",
                             R"({"form": "microneedling-consent"})");
  CHECK(plain.status == 422);
  CHECK(plain.body.find(R"("message":"form \"microneedling-consent\" has no witness step")") !=
        std::string::npos);
}

TEST_CASE("AStandaloneSubmissionCannotCarryAWitness") {
  WitnessServer w;
  Submission s = test::FilledSubmission(w.server.form(kWitnessed), NewUuid());
  Reply refused = w.Submit(CanonicalSubmissionJson(s));
  CHECK(refused.status == 422);
  CHECK(Problems(refused) == "witness-name;witness-signature;");
}

}  // namespace
}  // namespace consentkit
