// VerifyArchive: an exported zip judged offline. The manifest is read twice
// without building a tree (see manifest_reader.h): first for its header,
// definitions and audit range; then, once the audit slice has been walked,
// submission by submission. Poco's ZipArchive keeps every entry's headers
// (about 800 bytes each); the chain keeps each stored event's hashes.
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <unordered_set>

#include "archive/archive.h"
#include "archive/certificate.h"
#include "archive/chain.h"
#include "archive/manifest_reader.h"
#include "form/form.h"
#include "seal/seal.h"
#include "util/util.h"

namespace consentkit {
namespace {

// What export writes now, and what this verifier reads: a /1 manifest is
// the same without reviews.
constexpr char kFormat[] = "consentkit-archive/2";
constexpr char kFormatWithoutReviews[] = "consentkit-archive/1";
constexpr char kManifest[] = "manifest.json";
constexpr char kAudit[] = "audit.jsonl";
constexpr char kCertificate[] = "certificate.pem";

std::string Short(const std::string& hash) { return hash.substr(0, 16) + "…"; }

std::string FileName(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Thrown to end a run whose remaining checks would only repeat the problem
// already reported (no manifest, no readable zip).
struct Abandon {};

class ArchiveVerifier {
 public:
  ArchiveVerifier(const std::string& zip_path, const std::string& pinned_pem, Findings& findings)
      : path_(zip_path), pinned_pem_(pinned_pem), findings_(findings) {}

  void Run();
  std::string Summary() const;

 private:
  std::string About() const;
  std::string SliceText() const;
  std::string TrustText() const;
  void Open();
  std::optional<std::string> ReadEntry(const std::string& name);
  void ReadHeader();
  void ChooseCertificate();
  std::optional<CertificateInfo> ArchivedCertificate(std::string& pem);
  void WalkAudit();
  AuditEvent ParseAuditLine(Poco::JSON::Parser& parser, const std::string& line);
  void CheckAuditEnd();
  void CheckDefinitions();
  void CheckDefinition(const ManifestFields& definition);
  void CheckSubmission(const ManifestFields& entry);
  std::optional<std::string> CheckPdf(const std::string& id, const ManifestFields& entry);
  bool CheckStoredAnchor(const std::string& id, const std::string& sha256, const std::string& what);
  void CheckSeal(const std::string& id, const std::string& pdf);
  std::string CheckReviewedPdf(const std::string& id, const ManifestFields& entry,
                               const std::string& pdf);
  void CheckReviewEvent(const std::string& id, const ManifestFields& entry,
                        const std::string& pdf_sha256);
  void CheckSubmissionDefinition(const std::string& id, const ManifestFields& entry);
  void CheckNothingMissing();
  void CheckNothingExtra();
  std::int64_t AuditNumber(const std::string& name);

  std::string path_;
  const std::string& pinned_pem_;
  Findings& findings_;
  std::ifstream file_;
  std::unique_ptr<Poco::Zip::ZipArchive> zip_;
  std::string manifest_text_;
  Manifest manifest_;
  std::string certificate_pem_;
  std::optional<CertificateInfo> certificate_;
  std::unique_ptr<ChainChecker> chain_;
  // (form id, version) → canonical SHA-256 of the archived XML, or nullopt
  // when that file is missing or bad (reported once).
  std::map<std::pair<std::string, std::string>, std::optional<std::string>> definitions_;
  std::set<std::string> definition_paths_;
  std::unordered_set<std::string> manifest_ids_;
  std::size_t reviewed_ = 0;
};

// A manifest entry's "review" object, flattened by ReadManifest.
bool HasReview(const ManifestFields& entry) {
  auto first = entry.lower_bound("review.");
  return first != entry.end() && first->first.compare(0, 7, "review.") == 0;
}

std::string PdfPath(const std::string& id) { return "pdfs/" + id + ".pdf"; }

void ArchiveVerifier::Run() {
  try {
    Open();
    ReadHeader();
    ChooseCertificate();
    WalkAudit();
    CheckDefinitions();
    ReadManifest(manifest_text_, [this](const ManifestFields& entry) { CheckSubmission(entry); });
    CheckNothingMissing();
    CheckNothingExtra();
  } catch (const Abandon&) {
  }
}

void ArchiveVerifier::Open() {
  file_.open(path_, std::ios::binary);
  if (!file_) {
    findings_.Add("cannot read " + path_);
    throw Abandon();
  }
  try {
    zip_ = std::make_unique<Poco::Zip::ZipArchive>(file_);
  } catch (const Poco::Exception& e) {
    findings_.Add(path_ + " is not a readable zip archive: " + e.displayText());
    throw Abandon();
  }
  // Poco reads a file with no zip records at all as an empty archive.
  if (zip_->headerBegin() == zip_->headerEnd()) {
    findings_.Add(path_ + " is not a readable zip archive: it holds no zip entries");
    zip_.reset();
    throw Abandon();
  }
}

// The whole entry, or nullopt if there is no such entry. An entry that
// cannot be read (bad CRC, bad deflate data) is a problem and also nullopt.
std::optional<std::string> ArchiveVerifier::ReadEntry(const std::string& name) {
  auto header = zip_->findHeader(name);
  if (header == zip_->headerEnd()) return std::nullopt;
  try {
    file_.clear();
    Poco::Zip::ZipInputStream in(file_, header->second, true);
    std::string bytes;
    Poco::StreamCopier::copyToString(in, bytes);
    if (bytes.size() != header->second.getUncompressedSize()) {
      throw Poco::DataFormatException("it holds " + std::to_string(bytes.size()) +
                                      " bytes; its header says " +
                                      std::to_string(header->second.getUncompressedSize()));
    }
    return bytes;
  } catch (const Poco::Exception& e) {
    findings_.Add(name + " in the archive cannot be read: " + e.displayText());
    return std::nullopt;
  }
}

void ArchiveVerifier::ReadHeader() {
  std::optional<std::string> text = ReadEntry(kManifest);
  if (!text) {
    findings_.Add(std::string(kManifest) + " is missing from the archive");
    throw Abandon();
  }
  manifest_text_ = std::move(*text);
  try {
    manifest_ = ReadManifest(manifest_text_);
  } catch (const Poco::Exception& e) {
    findings_.Add(std::string(kManifest) + " is not valid JSON: " + e.displayText());
    throw Abandon();
  }
  std::string format = Get(manifest_.top, "format");
  if (format != kFormat && format != kFormatWithoutReviews) {
    findings_.Add(std::string(kManifest) + " is not a " + kFormat + " manifest (format \"" +
                  format + "\")");
    throw Abandon();
  }
}

// The archive's own certificate.pem, if it is one and the one its manifest
// names; problems otherwise.
std::optional<CertificateInfo> ArchiveVerifier::ArchivedCertificate(std::string& pem) {
  std::optional<std::string> archived = ReadEntry(kCertificate);
  if (!archived) {
    findings_.Add(std::string(kCertificate) + " is missing from the archive");
    return std::nullopt;
  }
  pem = *archived;
  std::optional<CertificateInfo> info = ReadCertificate(pem);
  std::string named = Get(manifest_.top, "certificate_sha256");
  if (!info) {
    findings_.Add(std::string(kCertificate) + " in the archive is not a PEM X.509 certificate");
  } else if (info->fingerprint_sha256 != named) {
    findings_.Add(std::string(kCertificate) + " (SHA-256 " + Short(info->fingerprint_sha256) +
                  ") is not the certificate the manifest names (" + Short(named) + ")");
  }
  return info;
}

// Seals are held against the pinned certificate when there is one, which
// the archive's own must then be; otherwise against the archive's own.
void ArchiveVerifier::ChooseCertificate() {
  std::string archived_pem;
  std::optional<CertificateInfo> archived = ArchivedCertificate(archived_pem);
  if (pinned_pem_.empty()) {
    certificate_pem_ = archived_pem;
    certificate_ = archived;
    return;
  }
  certificate_pem_ = pinned_pem_;
  certificate_ = ReadCertificate(pinned_pem_);
  if (!certificate_) {
    findings_.Add("the pinned certificate is not a PEM X.509 certificate");
  } else if (archived && archived->fingerprint_sha256 != certificate_->fingerprint_sha256) {
    findings_.Add(std::string(kCertificate) + " in the archive (SHA-256 " +
                  Short(archived->fingerprint_sha256) + ") is not the pinned certificate " +
                  "(SHA-256 " + Short(certificate_->fingerprint_sha256) + ")");
  }
}

std::int64_t ArchiveVerifier::AuditNumber(const std::string& name) {
  std::string text = Get(manifest_.audit, name);
  try {
    return std::stoll(text);
  } catch (const std::exception&) {
    findings_.Add(std::string(kManifest) + ": audit." + name + " is \"" + text +
                  "\"; expected a number");
    throw Abandon();
  }
}

void ArchiveVerifier::WalkAudit() {
  chain_ = std::make_unique<ChainChecker>(AuditNumber("first_seq"),
                                          Get(manifest_.audit, "anchor_hash"), findings_);
  auto header = zip_->findHeader(kAudit);
  if (header == zip_->headerEnd()) {
    findings_.Add(std::string(kAudit) + " is missing from the archive");
    return;
  }
  try {
    file_.clear();
    Poco::Zip::ZipInputStream in(file_, header->second, true);
    Poco::JSON::Parser parser;
    std::string line;
    for (std::size_t number = 1; std::getline(in, line); ++number) {
      if (line.empty()) continue;
      try {
        chain_->Add(ParseAuditLine(parser, line));
      } catch (const Poco::Exception& e) {
        findings_.Add(std::string(kAudit) + " line " + std::to_string(number) +
                      " is not an audit event: " + e.displayText());
      }
    }
  } catch (const Poco::Exception& e) {
    findings_.Add(std::string(kAudit) + " in the archive cannot be read: " + e.displayText());
  }
  CheckAuditEnd();
}

AuditEvent ArchiveVerifier::ParseAuditLine(Poco::JSON::Parser& parser, const std::string& line) {
  parser.reset();
  Poco::JSON::Object::Ptr object = parser.parse(line).extract<Poco::JSON::Object::Ptr>();
  AuditEvent e;
  e.seq = object->getValue<Poco::Int64>("seq");
  e.at = object->getValue<std::string>("at");
  e.actor = object->getValue<std::string>("actor");
  e.action = object->getValue<std::string>("action");
  e.object = object->getValue<std::string>("object");
  e.detail = object->getValue<std::string>("detail");
  e.prev_hash = object->getValue<std::string>("prev_hash");
  e.hash = object->getValue<std::string>("hash");
  return e;
}

void ArchiveVerifier::CheckAuditEnd() {
  std::int64_t last_seq = AuditNumber("last_seq");
  std::int64_t events = AuditNumber("events");
  if (chain_->next_seq() - 1 < last_seq) {
    findings_.Add("audit event " + std::to_string(chain_->next_seq()) +
                  " is missing (the audit slice ends at event " +
                  std::to_string(chain_->next_seq() - 1) + ", the manifest says " +
                  std::to_string(last_seq) + ")");
  } else if (chain_->next_seq() - 1 > last_seq) {
    findings_.Add("the audit slice runs on to event " + std::to_string(chain_->next_seq() - 1) +
                  "; the manifest says it ends at " + std::to_string(last_seq));
  } else if (chain_->last_hash() != Get(manifest_.audit, "last_hash")) {
    findings_.Add("the audit slice ends at hash " + Short(chain_->last_hash()) +
                  ", the manifest records " + Short(Get(manifest_.audit, "last_hash")));
  } else if (static_cast<std::int64_t>(chain_->events()) != events) {
    findings_.Add(std::string(kAudit) + " holds " + std::to_string(chain_->events()) +
                  " events; the manifest says " + std::to_string(events));
  }
}

void ArchiveVerifier::CheckDefinitions() {
  for (const ManifestFields& definition : manifest_.definitions) CheckDefinition(definition);
}

void ArchiveVerifier::CheckDefinition(const ManifestFields& definition) {
  std::string form_id = Get(definition, "form_id"), version = Get(definition, "version");
  std::string path = Get(definition, "path");
  std::optional<std::string>& hash = definitions_[{form_id, version}];
  definition_paths_.insert(path);
  std::optional<std::string> xml = ReadEntry(path);
  if (!xml || xml->empty()) {
    findings_.Add("definition " + form_id + " version " + version + ": " + path +
                  (xml ? " is empty" : " is missing from the archive"));
    return;
  }
  LoadResult loaded = LoadFormFromMemory(*xml, path);
  if (!loaded.ok()) {
    findings_.Add(path + " does not load: " + loaded.errors.front().ToString());
  } else if (loaded.form->id != form_id || loaded.form->version != version) {
    findings_.Add(path + " is form " + loaded.form->id + " version " + loaded.form->version +
                  "; the manifest lists it as " + form_id + " version " + version);
  } else if (loaded.form->sha256_hex != Get(definition, "sha256")) {
    findings_.Add(path + " has been altered: its canonical SHA-256 is " +
                  Short(loaded.form->sha256_hex) + ", the manifest records " +
                  Short(Get(definition, "sha256")));
  } else {
    hash = loaded.form->sha256_hex;
  }
}

void ArchiveVerifier::CheckSubmission(const ManifestFields& entry) {
  std::string id = Get(entry, "id");
  if (!manifest_ids_.insert(id).second) {
    findings_.Add("submission " + id + " is listed twice in the manifest");
    return;
  }
  bool reviewed = HasReview(entry);
  std::optional<std::string> pdf = CheckPdf(id, entry);
  // Past CheckPdf the file hashes to the manifest's pdf_sha256.
  std::string pdf_sha256 = pdf ? Get(entry, "pdf_sha256") : "";
  if (pdf && reviewed) {
    pdf_sha256 = CheckReviewedPdf(id, entry, *pdf);
  } else if (pdf && CheckStoredAnchor(id, pdf_sha256, PdfPath(id))) {
    // The seal is checked only on an intact PDF: an altered one fails it anyway.
    CheckSeal(id, *pdf);
  }
  CheckReviewEvent(id, entry, pdf_sha256);
  CheckSubmissionDefinition(id, entry);
}

void ArchiveVerifier::CheckSeal(const std::string& id, const std::string& pdf) {
  if (!certificate_) return;
  try {
    SealCheck seal = VerifySealedPdf(pdf, certificate_pem_);
    if (!seal.valid) {
      findings_.Add("submission " + id + ": the seal of pdfs/" + id +
                    ".pdf does not verify: " + seal.problem);
    }
  } catch (const SealError& e) {  // the certificate itself: say so once
    findings_.Add(std::string("the certificate cannot check seals: ") + e.what());
    certificate_.reset();
  }
}

// The PDF's bytes if it is there and matches the manifest; otherwise the
// problem is reported and nullopt returned. Its stored event, if any,
// counts as matched either way: the submission is not missing.
std::optional<std::string> ArchiveVerifier::CheckPdf(const std::string& id,
                                                     const ManifestFields& entry) {
  std::string path = PdfPath(id);
  if (Get(entry, "pdf") != path) {
    findings_.Add("submission " + id + ": the manifest puts its PDF at \"" + Get(entry, "pdf") +
                  "\"; expected " + path);
    return std::nullopt;
  }
  auto stored = chain_->stored().find(id);
  if (stored != chain_->stored().end()) stored->second.matched = true;
  std::optional<std::string> pdf = ReadEntry(path);
  if (!pdf) {
    findings_.Add("submission " + id + ": " + path + " is missing from the archive");
    return std::nullopt;
  }
  std::string sha256 = Sha256Hex(*pdf);
  if (sha256 != Get(entry, "pdf_sha256")) {
    findings_.Add("submission " + id + ": " + path + " has been altered: it hashes to " +
                  Short(sha256) + ", the manifest records " + Short(Get(entry, "pdf_sha256")));
    return std::nullopt;
  }
  return pdf;
}

// Whether `sha256`, of `what` (the PDF, or the sealed original inside a
// countersigned one), is what the submission's stored event anchors.
bool ArchiveVerifier::CheckStoredAnchor(const std::string& id, const std::string& sha256,
                                        const std::string& what) {
  auto stored = chain_->stored().find(id);
  if (stored == chain_->stored().end()) {
    findings_.Add("submission " + id + " has no submission.stored event in the archive's " +
                  "audit slice");
    return false;
  }
  if (stored->second.pdf_sha256 != sha256) {
    findings_.Add("submission " + id + ": " + what + " does not match audit event " +
                  std::to_string(stored->second.seq) + ": it hashes to " + Short(sha256) +
                  ", the event anchors " + Short(stored->second.pdf_sha256));
    return false;
  }
  return true;
}

// Both signatures, then the sealed original against its stored event and
// the manifest. Returns the countersigned PDF's SHA-256.
std::string ArchiveVerifier::CheckReviewedPdf(const std::string& id, const ManifestFields& entry,
                                              const std::string& pdf) {
  ++reviewed_;
  std::string subject = "submission " + id + " (" + PdfPath(id) + ")";
  Revisions revisions{"", Get(entry, "pdf_sha256")};
  if (certificate_) {
    try {
      revisions = CheckCountersignedPdf(subject, pdf, certificate_pem_, findings_);
    } catch (const SealError& e) {  // the certificate itself: say so once
      findings_.Add(std::string("the certificate cannot check seals: ") + e.what());
      certificate_.reset();
    }
  }
  const std::string& original = revisions.original_sha256;
  std::string what = "the sealed original in " + PdfPath(id);
  if (!original.empty() && CheckStoredAnchor(id, original, what) &&
      original != Get(entry, "review.sealed_pdf_sha256")) {
    findings_.Add(subject + ": the manifest records its sealed original as " +
                  Short(Get(entry, "review.sealed_pdf_sha256")) + ", but it hashes to " +
                  Short(original) + " (which its submission.stored event anchors)");
  }
  return revisions.whole_sha256;
}

// The manifest's review, or its absence, against the slice's reviewed
// event. A reviewed event for a submission that is not in the archive is
// fine: it was received outside the range.
void ArchiveVerifier::CheckReviewEvent(const std::string& id, const ManifestFields& entry,
                                       const std::string& pdf_sha256) {
  auto event = chain_->reviewed().find(id);
  bool has_event = event != chain_->reviewed().end();
  std::string subject = "submission " + id;
  if (!HasReview(entry)) {
    if (!has_event) return;
    event->second.matched = true;
    findings_.Add(subject + ": " + DescribeReviewedEvent(event->second) +
                  ", but the archive holds no review for it: its manifest entry has none");
  } else if (!has_event) {
    findings_.Add(subject + ": the PDF was reviewed (decision \"" + Get(entry, "review.decision") +
                  "\", at " + Get(entry, "review.reviewed_at") +
                  ", per the manifest) but no submission.reviewed event in the archive's audit "
                  "slice anchors the review");
  } else {
    CheckAgainstReviewedEvent(subject + " (" + PdfPath(id) + ")", id, Get(entry, "review.decision"),
                              pdf_sha256, event->second, findings_);
  }
}

void ArchiveVerifier::CheckSubmissionDefinition(const std::string& id,
                                                const ManifestFields& entry) {
  std::string form_id = Get(entry, "form_id"), version = Get(entry, "form_version");
  auto definition = definitions_.find({form_id, version});
  if (definition == definitions_.end()) {
    findings_.Add("submission " + id + ": its definition " + form_id + " version " + version +
                  " is not in the archive");
  } else if (definition->second && *definition->second != Get(entry, "form_sha256")) {
    findings_.Add("submission " + id + " names definition " + form_id + " version " + version +
                  " with SHA-256 " + Short(Get(entry, "form_sha256")) +
                  ", but the archived definition hashes to " + Short(*definition->second));
  }
}

// Every submission stored within the range, by its own audit slice, must
// be here: a PDF removed together with its manifest entry shows up now.
void ArchiveVerifier::CheckNothingMissing() {
  std::string from = Get(manifest_.top, "from"), to = Get(manifest_.top, "to");
  for (const auto& [id, event] : chain_->Unmatched()) {
    if (!InTimeRange(event.at, from, to)) continue;
    findings_.Add("submission " + id + " (stored in audit event " + std::to_string(event.seq) +
                  " at " + event.at + ") is not in the archive");
  }
}

void ArchiveVerifier::CheckNothingExtra() {
  for (auto it = zip_->headerBegin(); it != zip_->headerEnd(); ++it) {
    const std::string& name = it->first;
    if (it->second.isDirectory()) continue;  // a folder entry holds nothing
    bool known = name == kManifest || name == kAudit || name == kCertificate ||
                 definition_paths_.count(name) > 0;
    std::string prefix = "pdfs/", suffix = ".pdf";
    if (!known && name.compare(0, prefix.size(), prefix) == 0 && name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      std::string id = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
      known = manifest_ids_.count(id) > 0;
    }
    if (!known) findings_.Add(name + " is in the archive but not in its manifest");
  }
}

// "archive.zip (Clinic, exported …, submissions received from … to …)"
std::string ArchiveVerifier::About() const {
  std::string from = Get(manifest_.top, "from"), to = Get(manifest_.top, "to");
  std::string range =
      "received " + (from.empty() ? "any time" : "from " + from) + (to.empty() ? "" : " to " + to);
  return FileName(path_) + " (" + Get(manifest_.top, "clinic") + ", exported " +
         Get(manifest_.top, "exported_at") + ", submissions " + range + ")";
}

std::string ArchiveVerifier::SliceText() const {
  if (!chain_) return "no audit slice";
  return "audit events " + Get(manifest_.audit, "first_seq") + " to " +
         Get(manifest_.audit, "last_seq") + ", chained from anchor " +
         Short(Get(manifest_.audit, "anchor_hash")) + " to last hash " + chain_->last_hash();
}

// Which certificate the seals were held against, and how far to trust it.
std::string ArchiveVerifier::TrustText() const {
  std::string signer = certificate_
                           ? "\"" + certificate_->common_name + "\" (SHA-256 fingerprint " +
                                 certificate_->fingerprint_sha256 + ")"
                           : "no usable certificate";
  if (!pinned_pem_.empty()) {
    return " Every seal was checked against the pinned certificate " + signer + ".";
  }
  return " The seals were checked against the archive's own certificate.pem, " + signer +
         ", which was NOT pinned: compare that fingerprint with the clinic's records, or pass "
         "--cert.";
}

std::string ArchiveVerifier::Summary() const {
  if (!zip_ || manifest_.top.empty()) {
    return FileName(path_) + " does not verify: it cannot be read as an archive.";
  }
  std::string submissions = Plural(manifest_.submissions, "submission", "submissions");
  if (!findings_.empty()) {
    return About() + " does not verify: " + Plural(findings_.count(), "problem", "problems") +
           " found across " + submissions + " and " + SliceText() + "." + TrustText();
  }
  return About() + " verifies: all " + submissions +
         " are present, each PDF matches the manifest and (for a reviewed one, its sealed "
         "original) the SHA-256 anchored by its submission.stored event, and its seal "
         "verifies; " +
         ReviewedText(reviewed_) + "; the " +
         Plural(manifest_.definitions.size(), "definition", "definitions") +
         " hash to the versions the submissions name; the audit slice (" + SliceText() +
         ") is unbroken, every submission stored in the range is in the archive, and the "
         "archive holds nothing else." +
         TrustText() + " Compare the last hash with the clinic's audit log to show the slice " +
         "is theirs.";
}

}  // namespace

VerifyReport VerifyArchive(const std::string& zip_path, const std::string& pinned_certificate_pem) {
  VerifyReport report;
  Findings findings;
  ArchiveVerifier verifier(zip_path, pinned_certificate_pem, findings);
  verifier.Run();
  findings.Fill(report);
  report.summary = verifier.Summary();
  return report;
}

}  // namespace consentkit
