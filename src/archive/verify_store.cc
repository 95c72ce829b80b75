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
#include <sys/stat.h>

#include <map>
#include <set>

#include "archive/archive.h"
#include "archive/certificate.h"
#include "archive/chain.h"
#include "seal/seal.h"
#include "util/util.h"

namespace consentkit {
namespace {

std::string Short(const std::string& hash) { return hash.substr(0, 16) + "…"; }

std::string Describe(const SubmissionRecord& r) {
  return "submission " + r.id + " (received " + r.received_at + ")";
}

// What a row's PDF hash is taken of, in words.
std::string PdfInWords(bool reviewed) {
  return reviewed ? "the sealed original in its countersigned PDF" : "its PDF";
}

class StoreVerifier {
 public:
  StoreVerifier(Store& store, const std::string& certificate_pem, Findings& findings)
      : store_(store),
        certificate_pem_(certificate_pem),
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
  };
  // A review and what its PDF hashes to, kept for reviews checked late.
  struct ReviewHashes {
    Review row;              // as the reviews table has it
    std::string subject;     // Describe(record)
    std::string pdf_sha256;  // of the countersigned PDF as read
  };

  void CheckRow(const SubmissionRecord& record, const std::string& pdf);
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
  Findings& findings_;
  ChainChecker chain_;
  std::optional<CertificateInfo> certificate_;
  std::size_t rows_ = 0;
  std::size_t reviewed_ = 0;
  std::vector<RowHashes> late_;
  std::vector<ReviewHashes> late_reviews_;
  // (form id, version) → the kept XML's canonical SHA-256, or nullopt when
  // it is missing or does not load (reported once).
  std::map<std::pair<std::string, std::string>, std::optional<std::string>> definitions_;
};

void StoreVerifier::Run() {
  certificate_ = ReadCertificate(certificate_pem_);
  if (!certificate_) findings_.Add("the certificate is not a PEM X.509 certificate");
  store_.ForEachAuditEvent(1, 0, [this](const AuditEvent& event) { chain_.Add(event); });
  store_.ForEachSubmission(
      "", "", [this](const SubmissionRecord& r, const std::string& pdf) { CheckRow(r, pdf); });
  CheckLateRows();
  CheckMissingRows();
  CheckReviewsWithoutRows();
}

void StoreVerifier::CheckRow(const SubmissionRecord& record, const std::string& pdf) {
  ++rows_;
  std::string pdf_sha256 = Sha256Hex(pdf);
  Revisions revisions{pdf_sha256, pdf_sha256};
  if (record.review) revisions = CheckRevisions(record, pdf);
  RowHashes row{record.id, record.received_at, revisions.original_sha256,
                Sha256Hex(record.content_json), record.pdf_sha256};
  row.reviewed = record.review.has_value();
  if (row.content_sha256 != record.content_sha256) {
    findings_.Add(Describe(record) + ": its content has been altered: it hashes to " +
                  Short(row.content_sha256) + ", the row records " + Short(record.content_sha256));
  }
  auto event = chain_.stored().find(record.id);
  bool pdf_intact = event == chain_.stored().end() ? CheckWithoutEvent(row)
                                                   : CheckAgainstEvent(row, event->second);
  if (event == chain_.stored().end()) late_.push_back(row);
  // A countersigned PDF's signatures were judged by CheckRevisions.
  if (pdf_intact && !record.review) CheckSeal(record, pdf);
  CheckReview(record, revisions.whole_sha256);
  CheckDefinition(record);
}

void StoreVerifier::CheckSeal(const SubmissionRecord& record, const std::string& pdf) {
  if (!certificate_) return;
  try {
    SealCheck seal = VerifySealedPdf(pdf, certificate_pem_);
    if (!seal.valid)
      findings_.Add(Describe(record) + ": its seal does not verify: " + seal.problem);
  } catch (const SealError& e) {
    CertificateUnusable(e);
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
  }
  return hash;
}

// Rows that had no stored event when the chain was read: stored since, or
// their event is gone. Reading the chain on to its end tells which.
void StoreVerifier::CheckLateRows() {
  if (late_.empty() && late_reviews_.empty()) return;
  store_.ForEachAuditEvent(chain_.next_seq(), 0, [this](const AuditEvent& e) { chain_.Add(e); });
  CheckLateReviews();
  for (const RowHashes& row : late_) {
    auto event = chain_.stored().find(row.id);
    if (event != chain_.stored().end()) {
      CheckAgainstEvent(row, event->second);
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
    if (store_.Find(id)) continue;  // stored after the rows were read
    findings_.Add("submission " + id + " (stored in audit event " + std::to_string(event.seq) +
                  ") is missing");
  }
}

// A review event whose submission has no row: a missing row is already
// reported by its stored event, if there is one.
void StoreVerifier::CheckReviewsWithoutRows() {
  for (const auto& [id, event] : chain_.UnmatchedReviews()) {
    if (chain_.stored().count(id) > 0 || store_.Find(id)) continue;
    findings_.Add("submission " + id + ": " + DescribeReviewedEvent(event) +
                  ", but the submission is not in the database and no submission.stored event "
                  "records it");
  }
}

std::string StoreVerifier::Summary(const std::string& data_dir) const {
  std::string chain = Plural(chain_.events(), "audit event", "audit events") + " (seq 1 to " +
                      std::to_string(chain_.next_seq() - 1) + ", last hash " + chain_.last_hash() +
                      ")";
  std::string signer = certificate_
                           ? "the certificate \"" + certificate_->common_name +
                                 "\" (SHA-256 fingerprint " + certificate_->fingerprint_sha256 + ")"
                           : "the certificate given";
  if (!findings_.empty()) {
    return data_dir + " does not verify: " + Plural(findings_.count(), "problem", "problems") +
           " found in " + chain + " and " + Plural(rows_, "submission", "submissions") +
           ", checked against " + signer + ".";
  }
  return data_dir + " verifies: its audit log is one unbroken hash chain of " + chain +
         ", and all " + Plural(rows_, "submission", "submissions") +
         " check out: each PDF (for a reviewed one, its sealed original) and its content match "
         "the SHA-256 anchored by the one submission.stored event for it, each seal verifies "
         "against " +
         signer + "; " + ReviewedText(reviewed_) +
         "; and each was made against a definition version kept in the database (" +
         Plural(definitions_.size(), "version", "versions") +
         " in all) whose canonical SHA-256 matches. Compare the last hash with the clinic's "
         "records to "
         "show nothing was rewritten since.";
}

}  // namespace

VerifyReport VerifyDataDir(const std::string& data_dir, const std::string& certificate_pem) {
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
  std::unique_ptr<Store> store = OpenSqliteStore(data_dir);
  StoreVerifier verifier(*store, certificate_pem, findings);
  verifier.Run();
  findings.Fill(report);
  report.summary = verifier.Summary(data_dir);
  return report;
}

}  // namespace consentkit
