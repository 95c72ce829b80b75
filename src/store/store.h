// Durable storage of submissions, their PDFs and the definition versions
// they were made against.
//
// One interface, so the service does not care whether a clinic runs on the
// embedded SQLite file or (later) a shared PostgreSQL. Implementations are
// thread-safe and make every Put all-or-nothing: a receipt is only sent after
// its row, PDF and definition are committed together.
#ifndef CONSENTKIT_STORE_STORE_H_
#define CONSENTKIT_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "form/form.h"

namespace consentkit {

// The database could not be opened, migrated, read or written. The message
// names the database and what was being done. Every Store member throws it
// when the database fails (and nothing else then: no Poco exception gets
// through).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The store refuses every write (and read) from now on because what it
// would write to is no longer the database: its file was removed or
// replaced, or its WAL index was, while it was open. Sticky until the store
// is opened again. A server answers 503: nothing was stored, and nothing
// will be until it is restarted with the database back in place. The
// message names the file and says what happened to it.
class StoreUnavailable : public StoreError {
 public:
  using StoreError::StoreError;
};

// A practitioner's decision on a stored submission, and the countersigned
// PDF it produced: the sealed original with an incremental update carrying
// a second signature appended (see seal/seal.h, CountersignPdf).
struct Review {
  std::string submission_id;
  std::string decision;           // "proceed", "defer" or "decline"
  std::string note;               // may be empty
  std::string practitioner;       // the practitioner's token id
  std::string practitioner_name;  // that token's name, as printed on the PDF
  std::string reviewed_at;        // UTC, ISO 8601 with a trailing Z
  std::string pdf_sha256;         // of the countersigned PDF
};

// The witness step of one form of a visit (see Field::IsWitnessStep),
// unlocked by staff with the witness present.
struct WitnessUnlock {
  std::string visit_id;
  std::string form_id;
  std::string unlocked_by;       // actor
  std::string unlocked_by_name;  // that token's name at the time, as the record prints it
  std::string unlocked_at;       // UTC, ISO 8601
};

// One stored submission, as the receipt and the record API report it.
struct SubmissionRecord {
  std::string id;  // the client-made UUID, lower case
  std::string form_id;
  std::string form_version;
  std::string form_sha256;
  std::string language;
  std::string received_at;  // UTC, ISO 8601 with a trailing Z
  Outcome outcome = Outcome::kSuitable;
  std::vector<std::string> reasons;
  std::string content_json;    // the submission's canonical JSON
  std::string content_sha256;  // of content_json: tells a retry from a conflict
  std::string pdf_sha256;      // of the sealed original, as first stored
  std::string visit_id;        // the visit it was filled for; empty for standalone ones
  // Set by intake: the outcome is practitioner-review or defer, or the form
  // awaits a practitioner's countersignature. Such records wait in the
  // review queue until reviewed.
  bool needs_review = false;
  // Put only: the unlock of its form's witness step the record printed.
  // Put stores the record only if that very unlock still stands (else
  // kWitnessChanged), in the same transaction, so a step locked again while
  // the record was being made never ends up with witness values under
  // "unlocked". Reads leave it unset.
  std::optional<WitnessUnlock> witness;
  // Filled in by the store's reads when the submission was reviewed; Put
  // ignores it.
  std::optional<Review> review;
};

// Who a visit is for, as staff entered it.
struct Patient {
  std::string name;
  std::string date_of_birth;  // YYYY-MM-DD
  std::string number;         // the clinic's own patient number; may be empty
};

// A patient's visit: who, and the packet of forms to fill, in order. A
// form's state is not stored: it follows from the visit's submissions and
// their reviews (see StateOf in service/visits.h).
struct Visit {
  std::string id;  // "vis_" and 24 lower-case hex digits
  std::string created_at;
  std::string created_by;  // actor
  Patient patient;
  std::vector<std::string> form_ids;
};

// Where an invite stands: withdrawn by staff, past its expiry, or usable.
enum class InviteState { kActive, kExpired, kRevoked };
inline const char* ToString(InviteState state) {
  switch (state) {
    case InviteState::kActive:
      return "active";
    case InviteState::kExpired:
      return "expired";
    case InviteState::kRevoked:
      return "revoked";
  }
  return "";
}

// A link for the patient's own phone: scoped to one visit, expiring,
// revocable. Only the SHA-256 of the whole credential is kept.
struct Invite {
  std::string id;  // "inv_…", public; the credential is "cki_<hex>.<secret>"
  std::string visit_id;
  std::string secret_sha256;
  std::string created_at;
  std::string created_by;
  std::string expires_at;  // UTC, ISO 8601
  std::string revoked_at;  // empty while not revoked
  // At `now` (UTC, ISO 8601): a withdrawn invite is revoked whether or not it
  // has also expired.
  InviteState StateAt(const std::string& now) const {
    if (!revoked_at.empty()) return InviteState::kRevoked;
    return expires_at <= now ? InviteState::kExpired : InviteState::kActive;
  }
};

// Filters of a listing; empty strings and unset values do not filter.
// Listings are newest first; `after` is the `next` cursor of the page
// before (opaque to callers), `limit` at most 200.
struct SubmissionQuery {
  std::string from, to;  // received_at bounds: from inclusive, to exclusive
  std::string form_id;
  std::optional<Outcome> outcome;
  // true: reviewed; false: needs_review and not yet reviewed (the queue).
  std::optional<bool> reviewed;
  std::string visit_id;
  // Only submissions whose visit's patient name contains it (case and
  // accents aside: "zoe munoz" finds "Zoë Muñoz") or
  // whose date of birth equals it.
  std::string patient;
  std::string after;
  int limit = 50;
};
// The wire spelling of SubmissionQuery::reviewed: "done" → true,
// "pending" → false, anything else → nullopt.
std::optional<bool> ParseReviewFilter(const std::string& text);

struct VisitQuery {
  std::string from, to;  // created_at bounds
  std::string patient;   // as in SubmissionQuery
  std::string after;
  int limit = 50;
};
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next;  // cursor of the next page; empty on the last
};

enum class PutStatus {
  kStored,          // new: the record and PDF were committed
  kDuplicate,       // the same id with the same content was already stored
  kConflict,        // the same id was already stored with other content
  kVisitFilled,     // the record's visit already has this form; `record` is that one
  kWitnessChanged,  // the witness step it printed was locked again meanwhile; nothing stored
};

struct PutResult {
  PutStatus status;
  SubmissionRecord record;  // the record now stored under that id
};

// One entry of the audit log, a hash chain: each event's hash covers the
// previous event's hash and this event, so editing, removing or reordering
// any stored event breaks every hash after it.
struct AuditEvent {
  std::int64_t seq = 0;   // 1, 2, 3, … with no gaps
  std::string at;         // UTC, ISO 8601 with a trailing Z
  std::string actor;      // a token id, "cli", or "anonymous"; never a secret
  std::string action;     // e.g. "submission.stored", "pdf.read", "auth.failed"
  std::string object;     // the id acted on; may be empty
  std::string detail;     // facts worth anchoring, e.g. "pdf_sha256=…"; may be empty
  std::string prev_hash;  // hash of event seq-1 (kGenesisHash for seq 1)
  std::string hash;       // AuditHash(prev_hash, *this)
};

// The prev_hash of the first event: 64 zeros.
extern const char kGenesisHash[];
// The event's fixed JSON form {seq, at, actor, action, object, detail} that
// its hash covers, in that key order with no spaces.
std::string CanonicalAuditEvent(const AuditEvent& event);
// Lower-case hex SHA-256 of prev_hash (as 64 hex characters) followed by
// CanonicalAuditEvent(event).
std::string AuditHash(const std::string& prev_hash, const AuditEvent& event);

// The fixed JSON form of a record as Put stores it, which the
// "submission.stored" event anchors by its SHA-256 (record_sha256): every
// field of `record` stored at put time, in this key order with no spaces:
// {id, form_id, form_version, form_sha256, content_sha256, outcome,
// reasons (an array), received_at, language, pdf_sha256, visit_id,
// needs_review (a bool), witness (null, or {unlocked_by, unlocked_by_name,
// unlocked_at}: visit and form are the record's own)}. The review, added
// later with its own event, is not in it; content_json is, by its hash.
std::string CanonicalRecord(const SubmissionRecord& record);
// Lower-case hex SHA-256 of CanonicalRecord(record).
std::string RecordHash(const SubmissionRecord& record);

enum class Role { kTablet, kStaff, kPractitioner, kCompliance };
const char* ToString(Role role);
// "tablet, staff, practitioner or compliance": every role, for messages.
extern const char kRoleNames[];
// Parses "tablet", "staff", "practitioner" or "compliance".
std::optional<Role> ParseRole(const std::string& text);

// An API token. Only the SHA-256 of its secret is stored.
struct Token {
  std::string id;  // public, e.g. "tok_3f9a0c1d"; appears in the audit log
  std::string name;
  Role role = Role::kTablet;
  std::string secret_sha256;
  std::string created_at;
  std::string revoked_at;  // empty while the token is valid
};

// What the "token.created" event anchors about a token, so verify can hold
// the tokens table against the chain: "role=<role>;secret_sha256=<hex>;
// name_sha256=<hex SHA-256 of the name>;created_at=<ISO 8601>". The name is
// hashed so its free text cannot break the key=value form. Events written
// before this carry "role=<role>" only.
std::string TokenCreatedDetail(const Token& token);
// What the "token.revoked" event anchors: "revoked_at=<ISO 8601>". Events
// written before this have an empty detail.
std::string TokenRevokedDetail(const std::string& revoked_at);

// What the "invite.created" event anchors about an invite, so verify can
// hold the invites table against the chain: "visit=<visit id>;
// secret_sha256=<hex>;created_at=<ISO 8601>;expires_at=<ISO 8601>".
// Events written before this carry "visit=<visit id>;expires=<ISO 8601>".
std::string InviteCreatedDetail(const Invite& invite);
// What the "invite.revoked" event anchors: "revoked_at=<ISO 8601>". Events
// written before this have an empty detail.
std::string InviteRevokedDetail(const std::string& revoked_at);

// A signed statement of where the audit chain ended at a moment: the
// server signs one with the clinic's seal key every so many events, every
// few minutes and when it stops, so that removing the newest events (or
// all of them) contradicts a signature the database cannot forge. Kept
// outside the chain (a checkpoint event would itself lie past the head it
// names).
struct Checkpoint {
  std::int64_t seq = 0;   // the last event it covers; 0 for an empty chain
  std::string last_hash;  // that event's hash; kGenesisHash for seq 0
  std::string at;         // UTC, ISO 8601 with a trailing Z: when it was signed
  std::string signature;  // base64 of a detached CMS signature over CanonicalCheckpoint
};
// The exact bytes a checkpoint's signature covers:
// "consentkit-checkpoint/1\nseq=<seq>\nlast_hash=<hex>\nat=<ISO 8601>\n".
std::string CanonicalCheckpoint(const Checkpoint& checkpoint);

// What the caller is, for the audit log: a token id, "cli" or "anonymous".
using Actor = std::string;

class Store {
 public:
  virtual ~Store() = default;

  // Stores `record` with its PDF and, unless already kept, the definition
  // it was made against, in one transaction. When the id exists, stores
  // nothing and reports whether the existing content matches.
  // The "submission.stored" audit event (detail: pdf_sha256 and
  // content_sha256, then visit when it has one, then record_sha256, the
  // RecordHash of `record` as stored) is written in the same transaction.
  virtual PutResult Put(const SubmissionRecord& record, const std::string& pdf,
                        const FormDefinition& form, const Actor& actor) = 0;
  virtual std::optional<SubmissionRecord> Find(const std::string& id) = 0;
  virtual std::optional<std::string> FindPdf(const std::string& id) = 0;
  // Appends one audit event in its own transaction; returns it.
  virtual AuditEvent RecordEvent(const Actor& actor, const std::string& action,
                                 const std::string& object, const std::string& detail = "") = 0;

  // Streaming reads for export and verify: one row in memory at a time,
  // in received_at then id order. `from`/`to` are UTC ISO 8601 bounds,
  // from inclusive, to exclusive; empty means unbounded. An exception the
  // visitor throws ends the read and propagates as it is.
  using SubmissionVisitor =
      std::function<void(const SubmissionRecord& record, const std::string& pdf)>;
  virtual void ForEachSubmission(const std::string& from, const std::string& to,
                                 const SubmissionVisitor& visit) = 0;
  // Events with first_seq <= seq <= last_seq (last_seq 0: to the end), in order.
  virtual void ForEachAuditEvent(std::int64_t first_seq, std::int64_t last_seq,
                                 const std::function<void(const AuditEvent&)>& visit) = 0;
  // The seq of the last event, 0 if there is none.
  virtual std::int64_t LastAuditSeq() = 0;
  // The exact XML kept for a definition version that received submissions.
  virtual std::optional<std::string> DefinitionXml(const std::string& form_id,
                                                   const std::string& version) = 0;

  // Tokens. Creating and revoking write "token.created"/"token.revoked" in
  // the same transaction.
  virtual void AddToken(const Token& token, const Actor& actor) = 0;
  virtual std::optional<Token> FindToken(const std::string& id) = 0;
  // Every token, revoked ones too, in created_at then id order.
  virtual std::vector<Token> Tokens() = 0;
  // False if there is no such token or it was already revoked.
  virtual bool RevokeToken(const std::string& id, const Actor& actor) = 0;
  // The hash kept for `form_id` at `version`, if any submission used it.
  // Lets the server refuse a definition whose wording changed without a new
  // version: old submissions must keep pointing at the text they were shown.
  virtual std::optional<std::string> PinnedDefinitionHash(const std::string& form_id,
                                                          const std::string& version) = 0;
  virtual std::size_t CountSubmissions() = 0;
  // Every submission id, in id order: read from the primary key alone, so
  // that verify can still name the records of a database whose row pages
  // are damaged (it then reads each with Find and FindPdf).
  virtual std::vector<std::string> SubmissionIds() = 0;

  // Checkpoints of the audit chain (see Checkpoint). AddCheckpoint stores
  // one as given (the caller signed it) and ignores one whose seq is
  // already checkpointed; it writes no audit event.
  virtual void AddCheckpoint(const Checkpoint& checkpoint) = 0;
  virtual std::optional<Checkpoint> LatestCheckpoint() = 0;
  // Every checkpoint in seq order.
  virtual void ForEachCheckpoint(const std::function<void(const Checkpoint&)>& visit) = 0;

  // The database's own consistency check (SQLite: PRAGMA integrity_check):
  // empty when it finds nothing wrong, else what it reports, one problem
  // per entry, at most `max_problems` of them.
  virtual std::vector<std::string> CheckIntegrity(std::size_t max_problems) = 0;

  // Submissions matching `query`, newest first, without PDFs. Throws
  // std::invalid_argument for a cursor it did not make.
  virtual Page<SubmissionRecord> ListSubmissions(const SubmissionQuery& query) = 0;

  // Visits. AddVisit writes "visit.created" in the same transaction.
  virtual void AddVisit(const Visit& visit, const Actor& actor) = 0;
  virtual std::optional<Visit> FindVisit(const std::string& id) = 0;
  // Visits matching `query`, newest first. Throws std::invalid_argument for
  // a cursor it did not make.
  virtual Page<Visit> ListVisits(const VisitQuery& query) = 0;
  // Every submission naming `visit_id`, oldest first, without PDFs.
  virtual std::vector<SubmissionRecord> SubmissionsOfVisit(const std::string& visit_id) = 0;

  // Stores a review and its countersigned PDF (which FindPdf and
  // ForEachSubmission then return), with the "submission.reviewed" audit
  // event (detail: decision and pdf_sha256), in one transaction. False,
  // storing nothing, if the submission is unknown or already reviewed.
  virtual bool PutReview(const Review& review, const std::string& pdf, const Actor& actor) = 0;

  // Invites. Adding and revoking write "invite.created"/"invite.revoked".
  virtual void AddInvite(const Invite& invite, const Actor& actor) = 0;
  virtual std::optional<Invite> FindInvite(const std::string& id) = 0;
  // False if there is no such invite or it was already revoked.
  virtual bool RevokeInvite(const std::string& id, const Actor& actor) = 0;
  virtual std::vector<Invite> InvitesOfVisit(const std::string& visit_id) = 0;
  // Every invite, revoked and expired ones too, in created_at then id order.
  virtual std::vector<Invite> Invites() = 0;

  // Witness steps. Unlocking writes "witness.unlocked" and returns the
  // unlock as stored: the earlier one, writing nothing, if the step was
  // already unlocked. Locking again writes "witness.locked"; false if the
  // step was not unlocked, or the visit already has a submission of that
  // form (whose record may print the unlock). Neither checks that the visit
  // or its form exists: the service does.
  virtual WitnessUnlock UnlockWitness(const WitnessUnlock& unlock, const Actor& actor) = 0;
  virtual bool LockWitness(const std::string& visit_id, const std::string& form_id,
                           const Actor& actor) = 0;
  virtual std::vector<WitnessUnlock> WitnessUnlocksOfVisit(const std::string& visit_id) = 0;

  // Kiosk hand-off: which visit a paired tablet (its token id) is showing.
  // Setting and clearing write "kiosk.handoff"/"kiosk.cleared".
  virtual void SetHandoff(const std::string& tablet_token_id, const std::string& visit_id,
                          const Actor& actor) = 0;
  // The visit handed to that tablet, if any.
  virtual std::optional<std::string> FindHandoff(const std::string& tablet_token_id) = 0;
  // Ends the hand-off if the tablet shows `visit_id` (any visit when it is
  // empty): a patient finishing visit A must not end the hand-off staff
  // have since made of visit B. True if it ended one.
  virtual bool ClearHandoff(const std::string& tablet_token_id, const std::string& visit_id,
                            const Actor& actor) = 0;
};

struct SqliteOptions {
  // FULL: a committed Put survives power loss. Only test and benchmark
  // fixtures that generate many rows turn this off.
  bool synchronous_full = true;
  // Opens the existing database for reading only (verify): nothing is
  // created, migrated or written, so a copied or read-only data folder can
  // be checked as it is. Every write then throws StoreError. Throws
  // StoreError if there is no database or its schema is not this
  // consentkit's (the message says how to bring a copy up to date).
  bool read_only = false;
  // What `serve` opens with (writable opens only). Guards against losing
  // the database unnoticed: the marker "consentkit.marker" beside it
  // names the hash of its first audit event and a recent head of its chain
  // (rewritten at open, at each AddCheckpoint and at a clean close). The
  // open throws StoreError naming the database and what was expected when
  // the marker is there but the database is missing or empty, or its chain
  // has another first event or lacks the marker's head.
  bool guard_with_marker = false;
  // With guard_with_marker: accept whatever database is there, or make an
  // empty one, and mark it (`serve --new-database`).
  bool new_database = false;
  // Runs SQLite's quick_check at open and throws StoreError naming the file
  // and the first problem it reports.
  bool quick_check = false;
};

// Opens (creating if needed) the SQLite store "consentkit.db" in `data_dir`,
// which must exist, and applies any pending schema migrations (WAL journal).
// Throws StoreError if the folder does not exist or the database cannot be
// opened or migrated (or is newer than this consentkit), its WAL index
// (consentkit.db-shm) is there but not writable, or `options` refuse it.
// A writable store checks after every commit that its file is still the
// one at the path (see StoreUnavailable): no commit into a removed or
// replaced database is reported as done.
std::unique_ptr<Store> OpenSqliteStore(const std::string& data_dir,
                                       const SqliteOptions& options = {});

}  // namespace consentkit

#endif  // CONSENTKIT_STORE_STORE_H_
