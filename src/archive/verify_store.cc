// VerifyDataDir: the live database judged by its own audit chain. The chain
// is walked first (remembering what each "submission.stored" and
// "submission.reviewed" event anchors), then every row is streamed and held
// against it. A reviewed row's PDF is the countersigned one: its first
// revision is the sealed original the stored event anchors, the whole file
// what the reviewed event anchors.
//
// The server may keep storing and reviewing while this runs (WAL lets both
// read and write), so a row without a stored event, or a review without a
// reviewed event, gets a second look after the chain is read to its new
// end, and a stored event without a row only counts as a missing row if the
// row is still not there.
//
// The store is opened read-only, so a copied or write-protected folder is
// checked as it is. A damaged database does not end the run: a part that
// cannot be read is itself a problem, named with what could not be read,
// and the rest is still checked (rows then one by one, by id).
#include <sys/stat.h>

#include <map>
#include <set>
#include <unordered_set>

#include "api/api.h"
#include "archive/archive.h"
#include "archive/certificate.h"
#include "archive/chain.h"
#include "archive/verify_checkpoints.h"
#include "archive/verify_tokens.h"
#include "seal/seal.h"
#include "submission/submission.h"
#include "util/util.h"

namespace consentkit {
namespace {

std::string Short(const std::string& hash) { return hash.substr(0, 16) + "…"; }

std::string ReasonsText(const std::vector<std::string>& reasons) {
  if (reasons.empty()) return "none";
  std::string text;
  for (const std::string& reason : reasons) text += (text.empty() ? "" : "; ") + reason;
  return text;
}

std::string JoinClauses(const std::vector<std::string>& clauses) {
  std::string text;
  for (const std::string& clause : clauses) text += (text.empty() ? "" : "; ") + clause;
  return text;
}

std::string Describe(const SubmissionRecord& r) {
  return "submission " + r.id + " (received " + r.received_at + ")";
}

// What a row's PDF hash is taken of, in words.
std::string PdfInWords(bool reviewed) {
  return reviewed ? "the sealed original in its countersigned PDF" : "its PDF";
}

class StoreVerifier {
 public:
  StoreVerifier(Store& store, const std::string& certificate_pem, const VerifyOptions& options,
                Findings& findings)
      : store_(store),
        certificate_pem_(certificate_pem),
        options_(options),
        findings_(findings),
        chain_(1, kGenesisHash, findings) {}

  void Run();
  std::string Summary(const std::string& data_dir) const;

 private:
  // What a row's bytes hash to, kept for rows checked late. pdf_sha256 is
  // of the sealed original (the whole PDF unless reviewed); empty when it
  // cannot be found in a countersigned PDF (already reported).
  struct RowHashes {
    std::string id, received_at, pdf_sha256, content_sha256, row_pdf_sha256;
    bool reviewed = false;
    // RecordHash of the row as read, without and with the unlock of its
    // form's witness step that its visit holds (empty when none does): the
    // row does not say whether the record carried it.
    std::string record_sha256 = "", witnessed_sha256 = "";
    // Which stored fields disagree with the content, the kept definition or
    // the screening, in words; empty when none does.
    std::vector<std::string> differing = {};
  };
  // A review and what its PDF hashes to, kept for reviews checked late.
  struct ReviewHashes {
    Review row;              // as the reviews table has it
    std::string subject;     // Describe(record)
    std::string pdf_sha256;  // of the countersigned PDF as read
  };

  // Runs `read`; a StoreError it throws becomes the problem "<what> cannot
  // be read: …" and the run goes on. False if it threw.
  template <typename Read>
  bool Guarded(const std::string& what, Read&& read);
  void CheckIntegrity();
  void ReadCheckpoints();
  void ReadChainFrom(std::int64_t first_seq);
  void ReadRows();
  void ReadRowsById();
  void ReadRowById(const std::string& id);
  bool NothingStored();
  void CheckRow(const SubmissionRecord& record, const std::string& pdf);
  void CheckSealBinding(const SubmissionRecord& record, const std::string& sealed_id,
                        const std::string& sealed_content_sha256);
  void CheckRecordHash(const RowHashes& row, const StoredEvent& event);
  std::optional<WitnessUnlock> WitnessOf(const SubmissionRecord& record);
  std::vector<std::string> Rescreen(const SubmissionRecord& record,
                                    const std::optional<WitnessUnlock>& unlock,
                                    const RowHashes& row, const StoredEvent* event);
  void CompareScreening(const SubmissionRecord& record, const ScreeningResult& screening,
                        std::vector<std::string>& differing);
  bool CheckAgainstEvent(const RowHashes& row, StoredEvent& event);
  bool CheckWithoutEvent(const RowHashes& row);
  void CheckSeal(const SubmissionRecord& record, const std::string& pdf);
  Revisions CheckRevisions(const SubmissionRecord& record, const std::string& pdf);
  void CertificateUnusable(const SealError& e);
  void CheckReview(const SubmissionRecord& record, const std::string& pdf_sha256);
  void CheckReviewAgainstEvent(const ReviewHashes& review, ReviewedEvent& event);
  void CheckLateReviews();
  void CheckDefinition(const SubmissionRecord& record);
  std::optional<std::string> DefinitionHash(const std::string& form_id, const std::string& version);
  void CheckLateRows();
  void CheckMissingRows();
  void CheckReviewsWithoutRows();

  Store& store_;
  const std::string& certificate_pem_;
  const VerifyOptions& options_;
  Findings& findings_;
  ChainChecker chain_;
  std::optional<CheckpointChecker> checkpoints_;
  std::size_t integrity_problems_ = 0;
  // The seq from which the audit chain could not be read; 0 when it all was.
  std::int64_t chain_unreadable_from_ = 0;
  std::unordered_set<std::string> checked_ids_;     // rows checked, to read the rest by id
  std::unordered_set<std::string> unreadable_ids_;  // rows named as unreadable
  std::size_t unbound_seals_ = 0;  // valid seals made before seals named their record
  InviteCheck invites_;
  std::optional<CertificateInfo> certificate_;
  std::size_t rows_ = 0;
  std::size_t reviewed_ = 0;
  std::vector<RowHashes> late_;
  std::vector<ReviewHashes> late_reviews_;
  // (form id, version) → the kept XML's canonical SHA-256, or nullopt when
  // it is missing or does not load (reported once).
  std::map<std::pair<std::string, std::string>, std::optional<std::string>> definitions_;
  TokenCheck tokens_;
  // The kept definitions that load, for rescreening.
  std::map<std::pair<std::string, std::string>, FormPtr> forms_;
};

// The checkpoints are read before the chain: the server only signs a
// checkpoint of events already committed, so a chain read after them that
// ends before one of them has lost events.
void StoreVerifier::Run() {
  certificate_ = ReadCertificate(certificate_pem_);
  if (!certificate_) findings_.Add("the certificate is not a PEM X.509 certificate");
  CheckIntegrity();
  ReadCheckpoints();
  ReadChainFrom(1);
  ReadRows();
  Guarded("the audit chain (read on for rows stored meanwhile)", [this] { CheckLateRows(); });
  Guarded("a submission the audit log names", [this] { CheckMissingRows(); });
  Guarded("a reviewed submission", [this] { CheckReviewsWithoutRows(); });
  Guarded("the tokens table", [this] { tokens_ = CheckTokens(store_, findings_); });
  Guarded("the invites table", [this] { invites_ = CheckInvites(store_, findings_); });
  checkpoints_->Finish(chain_.next_seq() - 1, NothingStored());
}

template <typename Read>
bool StoreVerifier::Guarded(const std::string& what, Read&& read) {
  try {
    read();
    return true;
  } catch (const StoreError& e) {
    findings_.Add(what + " cannot be read: " + e.what());
    return false;
  }
}

// What the database says of its own pages, each line a problem: a damaged
// page explains the unreadable records named after it.
void StoreVerifier::CheckIntegrity() {
  for (const std::string& line : store_.CheckIntegrity(VerifyReport::kMaxProblems)) {
    findings_.Add("integrity_check: " + line);
    ++integrity_problems_;
  }
}

void StoreVerifier::ReadCheckpoints() {
  std::vector<Checkpoint> checkpoints;
  Guarded("the checkpoints", [&] {
    store_.ForEachCheckpoint([&](const Checkpoint& c) { checkpoints.push_back(c); });
  });
  checkpoints_.emplace(checkpoints, certificate_pem_, options_, findings_);
}

// A chain that cannot be read on from some event: what came before it is
// judged, what follows is unchecked, and the problem says from where.
void StoreVerifier::ReadChainFrom(std::int64_t first_seq) {
  if (chain_unreadable_from_ != 0) return;
  try {
    store_.ForEachAuditEvent(first_seq, 0, [this](const AuditEvent& event) {
      chain_.Add(event);
      checkpoints_->Observe(event);
    });
  } catch (const StoreError& e) {
    chain_unreadable_from_ = chain_.next_seq();
    findings_.Add("the audit chain cannot be read from event " +
                  std::to_string(chain_unreadable_from_) + " on: " + e.what() +
                  "; the events after it are unchecked");
  }
}

// In received order while the rows can be streamed; once a row cannot be,
// every other one by its id, so that one damaged page costs only the rows
// on it.
void StoreVerifier::ReadRows() {
  try {
    store_.ForEachSubmission(
        "", "", [this](const SubmissionRecord& r, const std::string& pdf) { CheckRow(r, pdf); });
  } catch (const StoreError& e) {
    findings_.Add("the submissions cannot be read in order after " + Plural(rows_, "row", "rows") +
                  ": " + e.what() + "; the others are read one by one");
    ReadRowsById();
  }
}

void StoreVerifier::ReadRowsById() {
  std::set<std::string> ids;
  Guarded("the submission ids", [&] {
    for (std::string& id : store_.SubmissionIds()) ids.insert(std::move(id));
  });
  for (const auto& stored : chain_.stored()) ids.insert(stored.first);
  for (const std::string& id : ids) {
    if (checked_ids_.count(id) == 0) ReadRowById(id);
  }
}

void StoreVerifier::ReadRowById(const std::string& id) {
  try {
    std::optional<SubmissionRecord> record = store_.Find(id);
    if (!record) return;  // a stored event without a row: CheckMissingRows names it
    std::optional<std::string> pdf = store_.FindPdf(id);
    if (!pdf) {
      findings_.Add(Describe(*record) + ": its PDF cannot be found");
      unreadable_ids_.insert(id);
      return;
    }
    CheckRow(*record, *pdf);
  } catch (const StoreError& e) {
    findings_.Add("submission " + id + " cannot be read: " + e.what());
    unreadable_ids_.insert(id);
  }
}

// Only words the problem of a missing checkpoint; reading failures here
// count as something stored.
bool StoreVerifier::NothingStored() {
  if (chain_.events() > 0 || rows_ > 0 || tokens_.tokens > 0 || invites_.invites > 0 ||
      !unreadable_ids_.empty())
    return false;
  try {
    VisitQuery any;
    any.limit = 1;
    return store_.CountSubmissions() == 0 && store_.ListVisits(any).items.empty();
  } catch (const StoreError&) {
    return false;
  }
}

void StoreVerifier::CheckRow(const SubmissionRecord& record, const std::string& pdf) {
  ++rows_;
  checked_ids_.insert(record.id);
  std::string pdf_sha256 = Sha256Hex(pdf);
  Revisions revisions{pdf_sha256, pdf_sha256};
  if (record.review) {
    revisions = CheckRevisions(record, pdf);
    if (revisions.seal_valid) {
      CheckSealBinding(record, revisions.sealed_submission_id, revisions.sealed_content_sha256);
    }
  }
  RowHashes row{record.id, record.received_at, revisions.original_sha256,
                Sha256Hex(record.content_json), record.pdf_sha256};
  row.reviewed = record.review.has_value();
  if (row.content_sha256 != record.content_sha256) {
    findings_.Add(Describe(record) + ": its content has been altered: it hashes to " +
                  Short(row.content_sha256) + ", the row records " + Short(record.content_sha256));
  }
  row.record_sha256 = RecordHash(record);
  std::optional<WitnessUnlock> unlock = WitnessOf(record);
  if (unlock) {
    SubmissionRecord witnessed = record;
    witnessed.witness = unlock;
    row.witnessed_sha256 = RecordHash(witnessed);
  }
  auto event = chain_.stored().find(record.id);
  bool late = event == chain_.stored().end();
  bool pdf_intact = late ? CheckWithoutEvent(row) : CheckAgainstEvent(row, event->second);
  // A countersigned PDF's signatures were judged by CheckRevisions.
  if (pdf_intact && !record.review) CheckSeal(record, pdf);
  CheckReview(record, revisions.whole_sha256);
  CheckDefinition(record);
  row.differing = Rescreen(record, unlock, row, late ? nullptr : &event->second);
  if (late) {
    late_.push_back(row);
  } else {
    CheckRecordHash(row, event->second);
  }
}

// The unlock of the record's form's witness step its visit holds. It
// stays once the visit has a submission of that form (see LockWitness).
std::optional<WitnessUnlock> StoreVerifier::WitnessOf(const SubmissionRecord& record) {
  if (record.visit_id.empty()) return std::nullopt;
  for (WitnessUnlock& unlock : store_.WitnessUnlocksOfVisit(record.visit_id)) {
    if (unlock.form_id == record.form_id) return std::move(unlock);
  }
  return std::nullopt;
}

// Where the row's envelope (language, form, visit) differs from its content's.
std::vector<std::string> EnvelopeDifferences(const SubmissionRecord& record,
                                             const Submission& content) {
  std::vector<std::string> differing;
  if (content.language != record.language) {
    differing.push_back("its language is '" + record.language +
                        "' but its content was filled in '" + content.language + "'");
  }
  if (content.form_id != record.form_id || content.form_version != record.form_version) {
    differing.push_back("it names form " + record.form_id + " version " + record.form_version +
                        " but its content was filled on " + content.form_id + " version " +
                        content.form_version);
  }
  if (content.visit_id != record.visit_id) {
    differing.push_back("its visit is '" + record.visit_id + "' but its content names '" +
                        content.visit_id + "'");
  }
  return differing;
}

// The witness steps the record may have been validated under, most likely
// first: unlocked if its anchored record hash carries the unlock, locked if
// it does not, and both when the hash cannot tell.
// `plain` and `witnessed` are the row's record hash without and with the unlock.
std::vector<WitnessStep> StepsToTry(const std::optional<WitnessUnlock>& unlock,
                                    const std::string& plain, const std::string& witnessed,
                                    const StoredEvent* event) {
  if (!unlock) return {WitnessStep::kLocked};
  bool anchored = event && !event->record_sha256.empty();
  if (anchored && event->record_sha256 == witnessed) return {WitnessStep::kUnlocked};
  if (anchored && event->record_sha256 == plain) return {WitnessStep::kLocked};
  return {WitnessStep::kLocked, WitnessStep::kUnlocked};
}

// Parses the row's content, validates it against the kept definition under
// the witness step the record was made under, screens it and holds the
// result against the row. Returns which stored fields disagree, in words.
std::vector<std::string> StoreVerifier::Rescreen(const SubmissionRecord& record,
                                                 const std::optional<WitnessUnlock>& unlock,
                                                 const RowHashes& row, const StoredEvent* event) {
  std::string subject = "submission " + record.id;
  ParsedSubmission parsed;
  try {
    parsed = ParseSubmission(record.content_json);
  } catch (const std::exception& e) {
    findings_.Add(subject + ": its content cannot be read back: " + e.what());
    return {};
  }
  std::vector<std::string> differing = EnvelopeDifferences(record, parsed.submission);
  for (const std::string& clause : differing) findings_.Add(Describe(record) + ": " + clause);
  if (!parsed.errors.empty()) {
    findings_.Add(subject + ": its content is not a valid submission: " +
                  parsed.errors.front().field_id + ": " + parsed.errors.front().message);
    return differing;
  }
  auto form = forms_.find({record.form_id, record.form_version});
  if (form == forms_.end()) return differing;  // reported by CheckDefinition
  std::optional<ValidationResult> checked;
  for (WitnessStep step : StepsToTry(unlock, row.record_sha256, row.witnessed_sha256, event)) {
    checked = ValidateSubmission(form->second, parsed.submission, step);
    if (checked->ok()) break;
  }
  if (!checked->ok()) {
    const FieldError& error = checked->errors().front();
    findings_.Add(subject + ": its content no longer validates against definition " +
                  record.form_id + " version " + record.form_version +
                  " as kept: " + error.field_id + ": " + error.message);
    return differing;
  }
  CompareScreening(record, Screen(checked->value()), differing);
  return differing;
}

// The row's outcome and reasons against what its content screens to.
void StoreVerifier::CompareScreening(const SubmissionRecord& record,
                                     const ScreeningResult& screening,
                                     std::vector<std::string>& differing) {
  std::string subject = "submission " + record.id;
  std::string outcome = ToString(record.outcome), screened = ToString(screening.outcome);
  if (outcome != screened) {
    findings_.Add(subject + ": its outcome is '" + outcome + "' but its content screens to '" +
                  screened + "' (reasons: " + ReasonsText(screening.reasons) + ")");
    differing.push_back("its outcome is not what its content screens to");
  } else if (record.reasons != screening.reasons) {
    findings_.Add(subject + ": its reasons are '" + ReasonsText(record.reasons) +
                  "' but its content screens to '" + screened +
                  "' with reasons: " + ReasonsText(screening.reasons));
  }
  if (record.reasons != screening.reasons) {
    differing.push_back("its reasons are not what its content screens to");
  }
}

// The row as read against the record the stored event anchors.
void StoreVerifier::CheckRecordHash(const RowHashes& row, const StoredEvent& event) {
  std::string subject = "submission " + row.id + " (received " + row.received_at + ")";
  std::string where = "the submission.stored event (audit event " + std::to_string(event.seq) + ")";
  if (event.record_sha256.empty()) {
    findings_.Add(subject + ": " + where +
                  " was anchored before record hashes; its outcome, reasons, received time and "
                  "language are not covered");
    return;
  }
  if (event.record_sha256 == row.record_sha256 || event.record_sha256 == row.witnessed_sha256) {
    return;
  }
  std::string which;
  if (!row.differing.empty()) {
    which = ": " + JoinClauses(row.differing);
  } else if (row.received_at > event.at) {
    which =
        ": its received time " + row.received_at + " is later than " + where + ", at " + event.at;
  } else {
    which =
        ": its content, definition, language, visit and screening agree with the row, so "
        "what changed is what only the record hash holds: its received time, review flag or "
        "witness unlock";
  }
  findings_.Add(subject + ": its row no longer matches what was stored: the record hash is " +
                Short(row.record_sha256) + ", " + where + " anchors " + Short(event.record_sha256) +
                which);
}

void StoreVerifier::CheckSeal(const SubmissionRecord& record, const std::string& pdf) {
  if (!certificate_) return;
  try {
    SealCheck seal = VerifySealedPdf(pdf, certificate_pem_);
    if (!seal.valid) {
      findings_.Add(Describe(record) + ": its seal does not verify: " + seal.problem);
    } else {
      CheckSealBinding(record, seal.sealed_submission_id, seal.sealed_content_sha256);
    }
  } catch (const SealError& e) {
    CertificateUnusable(e);
  }
}

// A valid seal made for another record: a PDF copied or swapped between
// rows whose hashes were rewritten to match. A seal from before seals
// named their record binds nothing, which the summary counts.
void StoreVerifier::CheckSealBinding(const SubmissionRecord& record, const std::string& sealed_id,
                                     const std::string& sealed_content_sha256) {
  if (sealed_id.empty()) {
    ++unbound_seals_;
    return;
  }
  if (sealed_id != record.id) {
    findings_.Add(Describe(record) + ": the PDF filed under " + record.id +
                  " was sealed for submission " + sealed_id);
  } else if (!sealed_content_sha256.empty() && sealed_content_sha256 != record.content_sha256) {
    findings_.Add(Describe(record) + ": its PDF was sealed for content SHA-256 " +
                  Short(sealed_content_sha256) + ", but the row's content SHA-256 is " +
                  Short(record.content_sha256));
  }
}

// The certificate itself is at fault: said once, and no signature is
// judged after it.
void StoreVerifier::CertificateUnusable(const SealError& e) {
  findings_.Add(std::string("the certificate cannot check seals: ") + e.what());
  certificate_.reset();
}

// Without a usable certificate the sealed original cannot be found, so
// its hash is left unknown rather than reported as altered.
Revisions StoreVerifier::CheckRevisions(const SubmissionRecord& record, const std::string& pdf) {
  ++reviewed_;
  Revisions unknown{"", Sha256Hex(pdf)};
  if (!certificate_) return unknown;
  try {
    return CheckCountersignedPdf(Describe(record), pdf, certificate_pem_, findings_);
  } catch (const SealError& e) {
    CertificateUnusable(e);
    return unknown;
  }
}

// A reviewed event seen before the rows were read had its review
// committed before them, so a row without a review means it was removed.
void StoreVerifier::CheckReview(const SubmissionRecord& record, const std::string& pdf_sha256) {
  auto event = chain_.reviewed().find(record.id);
  if (!record.review) {
    if (event == chain_.reviewed().end()) return;
    event->second.matched = true;
    findings_.Add(Describe(record) + ": " + DescribeReviewedEvent(event->second) +
                  ", but the database holds no review for it: the review and its countersigned "
                  "PDF are gone");
    return;
  }
  ReviewHashes review{*record.review, Describe(record), pdf_sha256};
  if (event == chain_.reviewed().end()) {
    late_reviews_.push_back(review);
  } else {
    CheckReviewAgainstEvent(review, event->second);
  }
}

void StoreVerifier::CheckReviewAgainstEvent(const ReviewHashes& review, ReviewedEvent& event) {
  const Review& row = review.row;
  CheckAgainstReviewedEvent(review.subject, row.submission_id, row.decision, review.pdf_sha256,
                            event, findings_);
  if (review.pdf_sha256 == event.pdf_sha256 && row.pdf_sha256 != review.pdf_sha256) {
    findings_.Add("submission " + row.submission_id +
                  ": its review row's pdf_sha256 has been altered " +
                  "(the countersigned PDF itself still matches audit event " +
                  std::to_string(event.seq) + ")");
  }
}

// The stored event is the anchor: the row's own pdf_sha256 is just a copy.
bool StoreVerifier::CheckAgainstEvent(const RowHashes& row, StoredEvent& event) {
  event.matched = true;
  std::string what = PdfInWords(row.reviewed);
  std::string where = "audit event " + std::to_string(event.seq);
  if (event.duplicate_seq != 0) {
    findings_.Add("submission " + row.id + " has more than one submission.stored event (" + where +
                  " and " + std::to_string(event.duplicate_seq) + "); expected one");
  }
  if (row.content_sha256 != event.content_sha256) {
    findings_.Add("submission " + row.id + ": its content does not match " + where +
                  ", which anchors content SHA-256 " + Short(event.content_sha256));
  }
  if (row.pdf_sha256.empty()) return false;
  if (row.pdf_sha256 != event.pdf_sha256) {
    findings_.Add("submission " + row.id + " (received " + row.received_at + "): " + what +
                  " has been altered: it hashes to " + Short(row.pdf_sha256) + ", " + where +
                  " anchors " + Short(event.pdf_sha256));
    return false;
  }
  if (row.row_pdf_sha256 != row.pdf_sha256) {
    findings_.Add("submission " + row.id + ": its row's pdf_sha256 has been altered (" + what +
                  " itself still matches " + where + ")");
  }
  return true;
}

bool StoreVerifier::CheckWithoutEvent(const RowHashes& row) {
  if (row.pdf_sha256.empty()) return false;
  if (row.row_pdf_sha256 == row.pdf_sha256) return true;
  findings_.Add("submission " + row.id + " (received " + row.received_at +
                "): " + PdfInWords(row.reviewed) + " has been altered: it hashes to " +
                Short(row.pdf_sha256) + ", the row records " + Short(row.row_pdf_sha256));
  return false;
}

void StoreVerifier::CheckDefinition(const SubmissionRecord& record) {
  std::optional<std::string> kept = DefinitionHash(record.form_id, record.form_version);
  if (kept && *kept != record.form_sha256) {
    findings_.Add(Describe(record) + " names definition " + record.form_id + " version " +
                  record.form_version + " with SHA-256 " + Short(record.form_sha256) +
                  ", but the kept definition hashes to " + Short(*kept));
  }
}

std::optional<std::string> StoreVerifier::DefinitionHash(const std::string& form_id,
                                                         const std::string& version) {
  auto key = std::make_pair(form_id, version);
  auto cached = definitions_.find(key);
  if (cached != definitions_.end()) return cached->second;
  std::optional<std::string>& hash = definitions_[key];
  std::string name = "definition " + form_id + " version " + version;
  std::optional<std::string> xml = store_.DefinitionXml(form_id, version);
  if (!xml) {
    findings_.Add(name + " is used by submissions but is not kept in the database");
    return hash;
  }
  LoadResult loaded = LoadFormFromMemory(*xml, name);
  if (!loaded.ok()) {
    findings_.Add(name +
                  " as kept in the database does not load: " + loaded.errors.front().ToString());
  } else if (loaded.form->id != form_id || loaded.form->version != version) {
    findings_.Add(name + " as kept in the database is form " + loaded.form->id + " version " +
                  loaded.form->version);
  } else {
    hash = loaded.form->sha256_hex;
    forms_[key] = loaded.form;
  }
  return hash;
}

// Rows that had no stored event when the chain was read: stored since, or
// their event is gone. Reading the chain on to its end tells which.
void StoreVerifier::CheckLateRows() {
  if (late_.empty() && late_reviews_.empty()) return;
  ReadChainFrom(chain_.next_seq());
  CheckLateReviews();
  for (const RowHashes& row : late_) {
    auto event = chain_.stored().find(row.id);
    if (event != chain_.stored().end()) {
      CheckAgainstEvent(row, event->second);
      CheckRecordHash(row, event->second);
    } else {
      findings_.Add("submission " + row.id + " (received " + row.received_at +
                    ") has no submission.stored event in the audit log");
    }
  }
}

void StoreVerifier::CheckLateReviews() {
  for (const ReviewHashes& review : late_reviews_) {
    auto event = chain_.reviewed().find(review.row.submission_id);
    if (event != chain_.reviewed().end()) {
      CheckReviewAgainstEvent(review, event->second);
    } else {
      findings_.Add(review.subject + ": the PDF was reviewed (decision \"" + review.row.decision +
                    "\", at " + review.row.reviewed_at +
                    ") but no submission.reviewed event in the audit log anchors the review");
    }
  }
}

void StoreVerifier::CheckMissingRows() {
  for (const auto& [id, event] : chain_.Unmatched()) {
    if (unreadable_ids_.count(id) > 0) continue;  // named as unreadable
    if (store_.Find(id)) continue;                // stored after the rows were read
    findings_.Add("submission " + id + " (stored in audit event " + std::to_string(event.seq) +
                  ") is missing");
  }
}

// A review event whose submission has no row: a missing row is already
// reported by its stored event, if there is one.
void StoreVerifier::CheckReviewsWithoutRows() {
  for (const auto& [id, event] : chain_.UnmatchedReviews()) {
    if (chain_.stored().count(id) > 0 || unreadable_ids_.count(id) > 0 || store_.Find(id)) continue;
    findings_.Add("submission " + id + ": " + DescribeReviewedEvent(event) +
                  ", but the submission is not in the database and no submission.stored event "
                  "records it");
  }
}

// What the token check found, for a store that verifies.
std::string TokensText(const TokenCheck& tokens) {
  std::string text = Plural(tokens.tokens, "token", "tokens") +
                     " match what their token.created and token.revoked events anchor";
  std::size_t older = tokens.anchored_before_token_hashes.size();
  if (older > 0) {
    text += " (" + Plural(older, "token", "tokens") +
            " anchored before token hashes: only their role is checked)";
  }
  return text;
}

// What the invite check found, for a store that verifies.
std::string InvitesText(const InviteCheck& invites) {
  std::string text = Plural(invites.invites, "invite", "invites") +
                     " match what their invite.created and invite.revoked events anchor";
  std::size_t older = invites.anchored_before_invite_hashes.size();
  if (older > 0) {
    text += " (" + Plural(older, "invite", "invites") +
            " anchored before invite hashes: only their visit and expiry are checked)";
  }
  return text;
}

std::string StoreVerifier::Summary(const std::string& data_dir) const {
  std::string chain = Plural(chain_.events(), "audit event", "audit events") + " (seq 1 to " +
                      std::to_string(chain_.next_seq() - 1) + ", last hash " + chain_.last_hash() +
                      ")";
  std::string signer = certificate_
                           ? "the certificate \"" + certificate_->common_name +
                                 "\" (SHA-256 fingerprint " + certificate_->fingerprint_sha256 + ")"
                           : "the certificate given";
  std::string integrity =
      integrity_problems_ == 0
          ? "integrity_check: ok"
          : "integrity_check: " + Plural(integrity_problems_, "problem", "problems");
  if (!findings_.empty()) {
    std::string unreadable = unreadable_ids_.empty()
                                 ? ""
                                 : " (" +
                                       Plural(unreadable_ids_.size(), "submission", "submissions") +
                                       " could not be read)";
    std::string cut =
        chain_unreadable_from_ == 0
            ? ""
            : " (unreadable from event " + std::to_string(chain_unreadable_from_) + ")";
    return data_dir + " does not verify: " + Plural(findings_.count(), "problem", "problems") +
           " found in " + chain + cut + " and " + Plural(rows_, "submission", "submissions") +
           unreadable + ", checked against " + signer + "; " + integrity + ".";
  }
  std::string unbound =
      unbound_seals_ == 0
          ? "each seal names the record it is filed under"
          : Plural(unbound_seals_, "seal was", "seals were") +
                " made before seals named their record, so nothing binds it to its row beyond "
                "its hash";
  return data_dir + " verifies: its audit log is one unbroken hash chain of " + chain + "; " +
         checkpoints_->SummaryText() + "; " + integrity + "; and all " +
         Plural(rows_, "submission", "submissions") +
         " check out: each PDF (for a reviewed one, its sealed original) and its content match "
         "the SHA-256 anchored by the one submission.stored event for it, as does the whole "
         "row (outcome, reasons, received time, language, definition, visit) by its record "
         "hash, and its content screens again to its outcome and reasons; each seal verifies "
         "against " +
         signer + " (" + unbound + "); " + ReviewedText(reviewed_) + "; " + TokensText(tokens_) +
         "; " + InvitesText(invites_) +
         "; and each was made against a definition version kept in the database (" +
         Plural(definitions_.size(), "version", "versions") +
         " in all) whose canonical SHA-256 matches. Compare the last hash with the clinic's "
         "records to "
         "show nothing was rewritten since.";
}

}  // namespace

VerifyReport VerifyDataDir(const std::string& data_dir, const std::string& certificate_pem,
                           const VerifyOptions& options) {
  VerifyReport report;
  Findings findings;
  struct stat info {};
  std::string db = data_dir + "/consentkit.db";
  if (stat(db.c_str(), &info) != 0) {
    findings.Add(data_dir + " holds no consentkit.db; expected a consentkit data folder");
    findings.Fill(report);
    report.summary = data_dir + " does not verify: there is no database in it.";
    return report;
  }
  SqliteOptions read_only;
  read_only.read_only = true;
  std::unique_ptr<Store> store = OpenSqliteStore(data_dir, read_only);
  StoreVerifier verifier(*store, certificate_pem, options, findings);
  verifier.Run();
  findings.Fill(report);
  report.summary = verifier.Summary(data_dir);
  return report;
}

}  // namespace consentkit
