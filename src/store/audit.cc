// The audit chain's and the record's hashing, and the role names: shared by every Store
// implementation and by verify, so all of them agree on every byte hashed.
#include "store/store.h"
#include "util/json_writer.h"
#include "util/util.h"

namespace consentkit {

const char kGenesisHash[] = "0000000000000000000000000000000000000000000000000000000000000000";

std::string CanonicalAuditEvent(const AuditEvent& e) {
  JsonWriter w;
  w.BeginObject().Key("seq").Int(e.seq).Field("at", e.at).Field("actor", e.actor);
  w.Field("action", e.action).Field("object", e.object).Field("detail", e.detail).EndObject();
  return w.str();
}

std::string AuditHash(const std::string& prev_hash, const AuditEvent& event) {
  return Sha256Hex(prev_hash + CanonicalAuditEvent(event));
}

std::string CanonicalRecord(const SubmissionRecord& r) {
  JsonWriter w;
  w.BeginObject().Field("id", r.id).Field("form_id", r.form_id);
  w.Field("form_version", r.form_version).Field("form_sha256", r.form_sha256);
  w.Field("content_sha256", r.content_sha256).Field("outcome", ToString(r.outcome));
  w.Key("reasons").StringArray(r.reasons);
  w.Field("received_at", r.received_at).Field("language", r.language);
  w.Field("pdf_sha256", r.pdf_sha256).Field("visit_id", r.visit_id);
  w.Key("needs_review").Bool(r.needs_review).Key("witness");
  if (r.witness) {
    w.BeginObject().Field("unlocked_by", r.witness->unlocked_by);
    w.Field("unlocked_by_name", r.witness->unlocked_by_name);
    w.Field("unlocked_at", r.witness->unlocked_at).EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
  return w.str();
}

std::string RecordHash(const SubmissionRecord& record) {
  return Sha256Hex(CanonicalRecord(record));
}

std::string CanonicalCheckpoint(const Checkpoint& checkpoint) {
  return "consentkit-checkpoint/1\nseq=" + std::to_string(checkpoint.seq) +
         "\nlast_hash=" + checkpoint.last_hash + "\nat=" + checkpoint.at + "\n";
}

std::optional<bool> ParseReviewFilter(const std::string& text) {
  if (text == "done") return true;
  if (text == "pending") return false;
  return std::nullopt;
}

const char kRoleNames[] = "tablet, staff, practitioner or compliance";

const char* ToString(Role role) {
  switch (role) {
    case Role::kTablet:
      return "tablet";
    case Role::kStaff:
      return "staff";
    case Role::kPractitioner:
      return "practitioner";
    case Role::kCompliance:
      return "compliance";
  }
  return "tablet";
}

std::optional<Role> ParseRole(const std::string& text) {
  for (Role role : {Role::kTablet, Role::kStaff, Role::kPractitioner, Role::kCompliance}) {
    if (text == ToString(role)) return role;
  }
  return std::nullopt;
}

}  // namespace consentkit
