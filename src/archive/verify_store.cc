// VerifyDataDir: the live database judged by its own audit chain. The chain
// is walked first (remembering what each "submission.stored" event
// anchors), then every row is streamed and held against it.
//
// The server may keep storing while this runs (WAL lets both read and
// write), so a row without a stored event gets a second look after the
// chain is read to its new end, and a stored event without a row only
// counts as a missing row if the row is still not there.
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
  // What a row's bytes hash to, kept for rows checked late.
  struct RowHashes {
    std::string id, received_at, pdf_sha256, content_sha256, row_pdf_sha256;
  };

  void CheckRow(const SubmissionRecord& record, const std::string& pdf);
  bool CheckAgainstEvent(const RowHashes& row, StoredEvent& event);
  bool CheckWithoutEvent(const RowHashes& row);
  void CheckSeal(const SubmissionRecord& record, const std::string& pdf);
  void CheckDefinition(const SubmissionRecord& record);
  std::optional<std::string> DefinitionHash(const std::string& form_id, const std::string& version);
  void CheckLateRows();
  void CheckMissingRows();

  Store& store_;
  const std::string& certificate_pem_;
  Findings& findings_;
  ChainChecker chain_;
  std::optional<CertificateInfo> certificate_;
  std::size_t rows_ = 0;
  std::vector<RowHashes> late_;
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
}

void StoreVerifier::CheckRow(const SubmissionRecord& record, const std::string& pdf) {
  ++rows_;
  RowHashes row{record.id, record.received_at, Sha256Hex(pdf), Sha256Hex(record.content_json),
                record.pdf_sha256};
  if (row.content_sha256 != record.content_sha256) {
    findings_.Add(Describe(record) + ": its content has been altered: it hashes to " +
                  Short(row.content_sha256) + ", the row records " + Short(record.content_sha256));
  }
  auto event = chain_.stored().find(record.id);
  bool pdf_intact = event == chain_.stored().end() ? CheckWithoutEvent(row)
                                                   : CheckAgainstEvent(row, event->second);
  if (event == chain_.stored().end()) late_.push_back(row);
  if (pdf_intact) CheckSeal(record, pdf);
  CheckDefinition(record);
}

void StoreVerifier::CheckSeal(const SubmissionRecord& record, const std::string& pdf) {
  if (!certificate_) return;
  try {
    SealCheck seal = VerifySealedPdf(pdf, certificate_pem_);
    if (!seal.valid)
      findings_.Add(Describe(record) + ": its seal does not verify: " + seal.problem);
  } catch (const SealError& e) {  // the certificate itself: say so once
    findings_.Add(std::string("the certificate cannot check seals: ") + e.what());
    certificate_.reset();
  }
}

// The stored event is the anchor: the row's own pdf_sha256 is just a copy.
bool StoreVerifier::CheckAgainstEvent(const RowHashes& row, StoredEvent& event) {
  event.matched = true;
  std::string where = "audit event " + std::to_string(event.seq);
  if (event.duplicate_seq != 0) {
    findings_.Add("submission " + row.id + " has more than one submission.stored event (" + where +
                  " and " + std::to_string(event.duplicate_seq) + "); expected one");
  }
  if (row.content_sha256 != event.content_sha256) {
    findings_.Add("submission " + row.id + ": its content does not match " + where +
                  ", which anchors content SHA-256 " + Short(event.content_sha256));
  }
  if (row.pdf_sha256 != event.pdf_sha256) {
    findings_.Add("submission " + row.id + " (received " + row.received_at +
                  "): its PDF has been altered: it hashes to " + Short(row.pdf_sha256) + ", " +
                  where + " anchors " + Short(event.pdf_sha256));
    return false;
  }
  if (row.row_pdf_sha256 != row.pdf_sha256) {
    findings_.Add("submission " + row.id + ": its row's pdf_sha256 has been altered (the PDF " +
                  "itself still matches " + where + ")");
  }
  return true;
}

bool StoreVerifier::CheckWithoutEvent(const RowHashes& row) {
  if (row.row_pdf_sha256 == row.pdf_sha256) return true;
  findings_.Add("submission " + row.id + " (received " + row.received_at +
                "): its PDF has been altered: it hashes to " + Short(row.pdf_sha256) +
                ", the row records " + Short(row.row_pdf_sha256));
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
  if (late_.empty()) return;
  store_.ForEachAuditEvent(chain_.next_seq(), 0, [this](const AuditEvent& e) { chain_.Add(e); });
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

void StoreVerifier::CheckMissingRows() {
  for (const auto& [id, event] : chain_.Unmatched()) {
    if (store_.Find(id)) continue;  // stored after the rows were read
    findings_.Add("submission " + id + " (stored in audit event " + std::to_string(event.seq) +
                  ") is missing");
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
         " check out: each PDF and its content match the SHA-256 anchored by the one "
         "submission.stored event for it, each seal verifies against " +
         signer + ", and each was made against a definition version kept in the database (" +
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
