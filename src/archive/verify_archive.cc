// VerifyArchive: an exported zip judged offline. The zip's own structure is
// checked first from its raw end record and central directory (Poco's
// reader keeps one entry per name and indexes an empty one out of range),
// then the manifest's signature. The manifest is read twice without
// building a tree (see manifest_reader.h): first for its header,
// definitions and audit range; then, once the audit slice has been walked,
// submission by submission. Poco's ZipArchive keeps every entry's headers
// (about 800 bytes each); the chain keeps each stored event's hashes.
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/StreamCopier.h>
#include <Poco/Zip/ZipArchive.h>
#include <Poco/Zip/ZipStream.h>

#include <algorithm>
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

// What export writes now, and the only format this verifier accepts: /1
// and /2 manifests were not signed, so nothing they say can be trusted.
constexpr char kFormat[] = "consentkit-archive/3";
constexpr char kManifest[] = "manifest.json";
constexpr char kSignature[] = "manifest.sig";
constexpr char kAudit[] = "audit.jsonl";
constexpr char kCertificate[] = "certificate.pem";
constexpr char kExportedAction[] = "archive.exported";

std::string Short(const std::string& hash) { return hash.substr(0, 16) + "…"; }

std::string FileName(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Thrown to end a run whose remaining checks would only repeat the problem
// already reported (no manifest, no readable zip).
struct Abandon {};

// ---- The zip's raw structure ----------------------------------------------

constexpr std::uint32_t kEndSignature = 0x06054b50;           // "PK\5\6"
constexpr std::uint32_t kZip64EndSignature = 0x06064b50;      // "PK\6\6"
constexpr std::uint32_t kZip64LocatorSignature = 0x07064b50;  // "PK\6\7"
constexpr std::uint32_t kCentralSignature = 0x02014b50;       // "PK\1\2"
constexpr std::uint32_t kLocalSignature = 0x04034b50;         // "PK\3\4"
constexpr std::size_t kEndSize = 22, kZip64EndSize = 56, kZip64LocatorSize = 20;
constexpr std::size_t kCentralSize = 46, kLocalSize = 30;
constexpr std::size_t kMaxComment = 65535;

std::uint64_t LittleEndian(const std::string& bytes, std::size_t at, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = width; i-- > 0;) {
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  }
  return value;
}

// `count` bytes at `offset`, or fewer if the file ends first.
std::string ReadAt(std::istream& file, std::uint64_t offset, std::size_t count) {
  std::string bytes(count, '\0');
  file.clear();
  file.seekg(static_cast<std::streamoff>(offset));
  file.read(bytes.data(), static_cast<std::streamsize>(count));
  bytes.resize(file ? count
                    : static_cast<std::size_t>(std::max<std::streamsize>(file.gcount(), 0)));
  file.clear();
  return bytes;
}

// A name as a problem shows it: NUL and other control characters escaped.
std::string Printable(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20) {
      out += "\\x" + HexEncode(std::string_view(&c, 1));
    } else {
      out += c;
    }
  }
  return "\"" + out + "\"";
}

// What is wrong with an entry's name, or "" when nothing is: names become
// paths when the archive is unpacked, so none may be empty, absolute,
// climb out with "..", hide a folder behind a backslash or end early at a
// NUL.
std::string NameProblem(const std::string& name) {
  if (name.empty()) return "has an empty name";
  if (name.find('\0') != std::string::npos) return "has a NUL character in its name";
  if (name.front() == '/') return "has an absolute name";
  if (name.find('\\') != std::string::npos) return "has a backslash in its name";
  if (name.find("..") != std::string::npos) return "has \"..\" in its name";
  return "";
}

// Where the central directory is, as the end record (or its ZIP64 record)
// says.
struct CentralDirectory {
  std::uint64_t offset = 0, size = 0, entries = 0;
  std::uint64_t end_offset = 0;  // where the (ZIP64) end records begin
};

// Checks the raw zip before Poco reads it: the end of central directory
// record must end the file, and every central directory entry must have a
// sound, unique name that its local header repeats. Problems go to
// `findings`; returns false when Poco must not read the file at all.
class ZipStructure {
 public:
  ZipStructure(std::istream& file, const std::string& path, Findings& findings)
      : file_(file), path_(path), findings_(findings) {}

  bool Check();
  std::size_t entries() const { return names_.size(); }

 private:
  bool FindEnd(CentralDirectory& directory);
  bool ReadZip64End(std::uint64_t end_at, CentralDirectory& directory);
  bool CheckEntries(const CentralDirectory& directory);
  void CheckLocalName(std::size_t number, const std::string& name, std::uint64_t offset);

  std::istream& file_;
  const std::string& path_;
  Findings& findings_;
  std::uint64_t file_size_ = 0;
  std::set<std::string> names_;
};

bool ZipStructure::Check() {
  file_.clear();
  file_.seekg(0, std::ios::end);
  std::streamoff size = file_.tellg();
  file_size_ = size > 0 ? static_cast<std::uint64_t>(size) : 0;
  CentralDirectory directory;
  if (!FindEnd(directory)) return false;
  return CheckEntries(directory);
}

// The last end record whose central directory ends right where the end
// records begin: bytes appended after it (a second zip, a trailer, junk
// with "PK\5\6" in it) cannot pose as the end.
bool ZipStructure::FindEnd(CentralDirectory& directory) {
  std::size_t tail_size =
      static_cast<std::size_t>(std::min<std::uint64_t>(file_size_, kEndSize + kMaxComment + 4096));
  std::uint64_t tail_start = file_size_ - tail_size;
  std::string tail = ReadAt(file_, tail_start, tail_size);
  for (std::size_t at = tail.size() >= kEndSize ? tail.size() - kEndSize + 1 : 0; at-- > 0;) {
    if (LittleEndian(tail, at, 4) != kEndSignature) continue;
    std::uint64_t end_at = tail_start + at;
    CentralDirectory found;
    found.entries = LittleEndian(tail, at + 10, 2);
    found.size = LittleEndian(tail, at + 12, 4);
    found.offset = LittleEndian(tail, at + 16, 4);
    found.end_offset = end_at;
    bool zip64 = found.entries == 0xFFFF || found.size == 0xFFFFFFFF || found.offset == 0xFFFFFFFF;
    if (zip64 && !ReadZip64End(end_at, found)) continue;
    if (found.offset + found.size != found.end_offset) continue;
    std::uint64_t zip_end = end_at + kEndSize + LittleEndian(tail, at + 20, 2);
    if (zip_end > file_size_) continue;  // its comment runs past the file: not an end record
    if (zip_end < file_size_) {
      findings_.Add(path_ + " has " + std::to_string(file_size_ - zip_end) +
                    " bytes after the end of its zip (the end of central directory record "
                    "ends at byte " +
                    std::to_string(zip_end) + " of " + std::to_string(file_size_) +
                    "); an archive as exported ends there");
    }
    directory = found;
    return true;
  }
  findings_.Add(path_ +
                " is not a readable zip archive: no end of central directory record "
                "closes it");
  return false;
}

bool ZipStructure::ReadZip64End(std::uint64_t end_at, CentralDirectory& directory) {
  if (end_at < kZip64LocatorSize) return false;
  std::string locator = ReadAt(file_, end_at - kZip64LocatorSize, kZip64LocatorSize);
  if (locator.size() != kZip64LocatorSize || LittleEndian(locator, 0, 4) != kZip64LocatorSignature)
    return false;
  std::uint64_t record_at = LittleEndian(locator, 8, 8);
  if (record_at + kZip64EndSize > end_at - kZip64LocatorSize) return false;
  std::string record = ReadAt(file_, record_at, kZip64EndSize);
  if (record.size() != kZip64EndSize || LittleEndian(record, 0, 4) != kZip64EndSignature)
    return false;
  directory.entries = LittleEndian(record, 32, 8);
  directory.size = LittleEndian(record, 40, 8);
  directory.offset = LittleEndian(record, 48, 8);
  directory.end_offset = record_at;
  return true;
}

bool ZipStructure::CheckEntries(const CentralDirectory& directory) {
  // The size was checked to end at the end records, which lie in the file.
  std::string bytes = ReadAt(file_, directory.offset, static_cast<std::size_t>(directory.size));
  bool sound = true;
  std::size_t at = 0, number = 0;
  while (at < bytes.size()) {
    ++number;
    if (at + kCentralSize > bytes.size() || LittleEndian(bytes, at, 4) != kCentralSignature) {
      findings_.Add(path_ + " is not a readable zip archive: central directory entry " +
                    std::to_string(number) + " is malformed");
      return false;
    }
    std::size_t name_length = LittleEndian(bytes, at + 28, 2);
    std::size_t extra_length = LittleEndian(bytes, at + 30, 2);
    std::size_t comment_length = LittleEndian(bytes, at + 32, 2);
    std::uint64_t local_offset = LittleEndian(bytes, at + 42, 4);
    std::size_t next = at + kCentralSize + name_length + extra_length + comment_length;
    if (next > bytes.size()) {
      findings_.Add(path_ + " is not a readable zip archive: central directory entry " +
                    std::to_string(number) + " runs past the directory");
      return false;
    }
    std::string name = bytes.substr(at + kCentralSize, name_length);
    std::string problem = NameProblem(name);
    std::string entry = "zip entry " + std::to_string(number);
    if (!problem.empty()) {
      findings_.Add(entry + (name.empty() ? "" : " " + Printable(name)) + " " + problem +
                    "; expected a relative path such as pdfs/<id>.pdf");
      sound = false;
    } else if (!names_.insert(name).second) {
      findings_.Add(entry + " " + Printable(name) +
                    " has the same name as an earlier entry; each name must appear once");
      sound = false;
    } else if (local_offset != 0xFFFFFFFF) {  // a ZIP64 offset: Poco compares those
      CheckLocalName(number, name, local_offset);
    }
    at = next;
  }
  if (number != directory.entries) {
    findings_.Add(path_ + ": its central directory holds " + std::to_string(number) +
                  " entries; its end record says " + std::to_string(directory.entries));
  }
  return sound;
}

// Poco finds entries by their local headers, so a local header must name
// what the central directory names.
void ZipStructure::CheckLocalName(std::size_t number, const std::string& name,
                                  std::uint64_t offset) {
  std::string header = ReadAt(file_, offset, kLocalSize);
  std::string local;
  if (header.size() == kLocalSize && LittleEndian(header, 0, 4) == kLocalSignature) {
    local = ReadAt(file_, offset + kLocalSize, LittleEndian(header, 26, 2));
  }
  if (local != name) {
    findings_.Add("zip entry " + std::to_string(number) + " " + Printable(name) +
                  ": its local header at byte " + std::to_string(offset) + " names " +
                  (local.empty() ? "nothing" : Printable(local)) +
                  "; expected the same name as the central directory");
  }
}

// ---- The archive's content -----------------------------------------------

bool IsSafeId(const std::string& id) {
  bool safe = !id.empty() && id[0] != '.';
  for (char c : id) {
    safe = safe && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.');
  }
  return safe;
}

// A manifest entry's "review" object, flattened by ReadManifest.
bool HasReview(const ManifestFields& entry) {
  auto first = entry.lower_bound("review.");
  return first != entry.end() && first->first.compare(0, 7, "review.") == 0;
}

std::string PdfPath(const std::string& id) { return "pdfs/" + id + ".pdf"; }
std::string ContentPath(const std::string& id) { return "records/" + id + ".json"; }

// The record a manifest entry describes, as CanonicalRecord reads it.
SubmissionRecord RecordOf(const ManifestFields& entry) {
  SubmissionRecord r;
  r.id = Get(entry, "id");
  r.form_id = Get(entry, "form_id");
  r.form_version = Get(entry, "form_version");
  r.form_sha256 = Get(entry, "form_sha256");
  r.content_sha256 = Get(entry, "content_sha256");
  // An outcome that is not one of ours cannot hash to what was stored;
  // the record hash check names it.
  r.outcome = ParseOutcome(Get(entry, "outcome")).value_or(Outcome::kSuitable);
  r.reasons = GetArray(entry, "reasons");
  r.received_at = Get(entry, "received_at");
  r.language = Get(entry, "language");
  r.pdf_sha256 = Get(entry, "pdf_sha256");
  r.visit_id = Get(entry, "visit_id");
  r.needs_review = Get(entry, "needs_review") == "true";
  if (entry.count("witness.unlocked_at") > 0) {
    r.witness =
        WitnessUnlock{r.visit_id, r.form_id, Get(entry, "witness.unlocked_by"),
                      Get(entry, "witness.unlocked_by_name"), Get(entry, "witness.unlocked_at")};
  }
  return r;
}

// "from=…;to=…" style details, key by key.
std::map<std::string, std::string> ParseDetail(const std::string& detail) {
  std::map<std::string, std::string> fields;
  std::size_t at = 0;
  while (at <= detail.size()) {
    std::size_t end = detail.find(';', at);
    if (end == std::string::npos) end = detail.size();
    std::string part = detail.substr(at, end - at);
    std::size_t equals = part.find('=');
    if (equals != std::string::npos) fields[part.substr(0, equals)] = part.substr(equals + 1);
    at = end + 1;
  }
  return fields;
}

class ArchiveVerifier {
 public:
  ArchiveVerifier(const std::string& zip_path, const std::string& pinned_pem,
                  const VerifyOptions& options, Findings& findings)
      : path_(zip_path), pinned_pem_(pinned_pem), options_(options), findings_(findings) {}

  void Run();
  std::string Summary() const;

 private:
  std::string About() const;
  std::string SliceText() const;
  std::string TrustText() const;
  std::string ExpectationText() const;
  void Open();
  std::optional<std::string> ReadEntry(const std::string& name);
  void ReadHeader();
  void ChooseCertificate();
  std::optional<CertificateInfo> ArchivedCertificate(std::string& pem);
  void CheckSignature();
  void WalkAudit();
  AuditEvent ParseAuditLine(Poco::JSON::Parser& parser, const std::string& line);
  void NoteEvent(const AuditEvent& event);
  void CheckAuditEnd();
  void CheckExpectation();
  void CheckExportEvent();
  void CheckDefinitions();
  void CheckDefinition(const ManifestFields& definition);
  void CheckSubmission(const ManifestFields& entry);
  StoredEvent* StoredEventOf(const std::string& id);
  void CheckRecordHash(const std::string& id, const ManifestFields& entry);
  void CheckContent(const std::string& id, const ManifestFields& entry);
  std::optional<std::string> ReadPdf(const std::string& id, const ManifestFields& entry,
                                     bool& intact);
  bool CheckStoredAnchor(const std::string& id, const std::string& sha256, const std::string& what);
  void CheckSeal(const std::string& id, const ManifestFields& entry, const std::string& pdf,
                 bool intact);
  void CheckSealBinding(const std::string& id, const ManifestFields& entry, const SealCheck& seal);
  std::string CheckReviewedPdf(const std::string& id, const ManifestFields& entry,
                               const std::string& pdf);
  void CheckReviewEvent(const std::string& id, const ManifestFields& entry,
                        const std::string& pdf_sha256);
  void CheckSubmissionDefinition(const std::string& id, const ManifestFields& entry);
  void CheckNothingMissing();
  void CheckMissingIn(const std::string& from, const std::string& to, const std::string& whose);
  void CheckCounts();
  void CheckNothingExtra();
  std::int64_t AuditNumber(const std::string& name);

  std::string path_;
  const std::string& pinned_pem_;
  const VerifyOptions& options_;
  Findings& findings_;
  std::ifstream file_;
  std::unique_ptr<Poco::Zip::ZipArchive> zip_;
  std::string manifest_text_;
  Manifest manifest_;
  // Whether manifest.sig verifies over manifest.json with the trusted
  // certificate: until it does, nothing the manifest says is shown.
  bool signed_ = false;
  std::string certificate_pem_;
  std::optional<CertificateInfo> certificate_;
  std::unique_ptr<ChainChecker> chain_;
  // (form id, version) → canonical SHA-256 of the archived XML, or nullopt
  // when that file is missing or bad (reported once).
  std::map<std::pair<std::string, std::string>, std::optional<std::string>> definitions_;
  std::set<std::string> definition_paths_;
  std::unordered_set<std::string> manifest_ids_;
  std::size_t reviewed_ = 0;
  std::size_t bound_seals_ = 0;  // seals that name their record
  // The export's own started event (the manifest's export_event_seq).
  std::optional<AuditEvent> export_event_;
  // What the slice says about options_: the hash of its event at
  // expect_seq, and whether some event (or the anchor) has expect_last_hash.
  std::optional<std::string> hash_at_expected_seq_;
  bool holds_expected_hash_ = false;
};

void ArchiveVerifier::Run() {
  try {
    Open();
    ReadHeader();
    ChooseCertificate();
    CheckSignature();
    WalkAudit();
    CheckExportEvent();
    CheckDefinitions();
    ReadManifest(manifest_text_, [this](const ManifestFields& entry) { CheckSubmission(entry); });
    CheckNothingMissing();
    CheckCounts();
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
  if (!ZipStructure(file_, path_, findings_).Check()) throw Abandon();
  try {
    file_.clear();
    file_.seekg(0);
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
  if (format == "consentkit-archive/1" || format == "consentkit-archive/2") {
    findings_.Add(std::string(kManifest) + " is a " + format +
                  " manifest, which is not signed, so nothing it says can be checked; export "
                  "the range again for a signed " +
                  kFormat + " archive");
    throw Abandon();
  }
  if (format != kFormat) {
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

// The manifest says which PDFs, records and range the archive holds; only
// its signature by the trusted certificate makes that more than a claim.
// The other checks still run, so every problem is named, but the summary
// shows nothing the manifest says unless this one passes.
void ArchiveVerifier::CheckSignature() {
  std::optional<std::string> signature = ReadEntry(kSignature);
  if (!signature) {
    findings_.Add(std::string(kSignature) + " is missing from the archive: " + kManifest +
                  " is not signed, so nothing it says can be trusted");
    return;
  }
  if (!certificate_) {
    findings_.Add(std::string(kSignature) + " cannot be checked: there is no usable certificate");
    return;
  }
  try {
    SealCheck check = VerifyDetachedData(manifest_text_, *signature, certificate_pem_);
    if (!check.valid) {
      findings_.Add(std::string(kSignature) + " does not verify over " + kManifest + " with " +
                    (pinned_pem_.empty() ? "the archive's certificate" : "the pinned certificate") +
                    " \"" + certificate_->common_name + "\": " + check.problem);
      return;
    }
    signed_ = true;
  } catch (const SealError& e) {  // the certificate itself: say so once
    findings_.Add(std::string("the certificate cannot check signatures: ") + e.what());
    certificate_.reset();
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
  std::string anchor = Get(manifest_.audit, "anchor_hash");
  chain_ = std::make_unique<ChainChecker>(AuditNumber("first_seq"), anchor, findings_);
  if (!options_.expect_last_hash.empty() && anchor == options_.expect_last_hash) {
    holds_expected_hash_ = true;
  }
  if (options_.expect_seq != 0 && options_.expect_seq == AuditNumber("first_seq") - 1) {
    hash_at_expected_seq_ = anchor;
  }
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
        AuditEvent event = ParseAuditLine(parser, line);
        NoteEvent(event);
        chain_->Add(event);
      } catch (const Poco::Exception& e) {
        findings_.Add(std::string(kAudit) + " line " + std::to_string(number) +
                      " is not an audit event: " + e.displayText());
      }
    }
  } catch (const Poco::Exception& e) {
    findings_.Add(std::string(kAudit) + " in the archive cannot be read: " + e.displayText());
  }
  CheckAuditEnd();
  CheckExpectation();
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

// What the walk keeps besides the chain: the export's own event and what
// the officer's expectation needs. (The chain itself checks each hash.)
void ArchiveVerifier::NoteEvent(const AuditEvent& event) {
  if (Get(manifest_.top, "export_event_seq") == std::to_string(event.seq)) export_event_ = event;
  if (options_.expect_seq != 0 && event.seq == options_.expect_seq) {
    hash_at_expected_seq_ = event.hash;
  }
  if (!options_.expect_last_hash.empty() && event.hash == options_.expect_last_hash) {
    holds_expected_hash_ = true;
  }
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

// The event the officer holds (--expect-seq, --expect-last-hash) against
// the slice. A slice that ends before that seq, or starts after it, cannot
// contradict it: ExpectationText says so. A hash without a seq must be in
// the slice.
void ArchiveVerifier::CheckExpectation() {
  const std::string& hash = options_.expect_last_hash;
  if (options_.expect_seq != 0) {
    if (!hash_at_expected_seq_ || hash.empty() || *hash_at_expected_seq_ == hash) return;
    findings_.Add("audit event " + std::to_string(options_.expect_seq) +
                  " in the archive's slice " + "has hash " + Short(*hash_at_expected_seq_) +
                  "; expected " + Short(hash) +
                  " (--expect-last-hash): the slice is not the chain you hold");
  } else if (!hash.empty() && !holds_expected_hash_) {
    findings_.Add("no audit event in the archive's slice (events " +
                  Get(manifest_.audit, "first_seq") + " to " + Get(manifest_.audit, "last_seq") +
                  ") has hash " + Short(hash) +
                  " (--expect-last-hash); pass --expect-seq too if it lies outside the slice");
  }
}

// The export's "archive.exported" (state=started) event recorded the range
// in the live chain before any byte was written; the manifest must say the
// same, or it was narrowed (CheckNothingMissing holds both ranges).
void ArchiveVerifier::CheckExportEvent() {
  std::string named = Get(manifest_.top, "export_event_seq");
  if (named.empty() || named == "0") return;
  if (!export_event_) {
    findings_.Add(std::string(kManifest) + " names audit event " + named +
                  " as its export's archive.exported event, but the audit slice does not hold it");
    return;
  }
  std::map<std::string, std::string> detail = ParseDetail(export_event_->detail);
  std::string where = "audit event " + named + " (" + export_event_->action + ")";
  if (export_event_->action != kExportedAction || detail["state"] != "started") {
    findings_.Add(std::string(kManifest) + " names " + where +
                  " as its export's archive.exported event; it is not one");
    export_event_.reset();
    return;
  }
  for (const char* bound : {"from", "to", "exported_at"}) {
    if (detail[bound] == Get(manifest_.top, bound)) continue;
    findings_.Add(std::string(kManifest) + ": its " + bound + " is \"" + Get(manifest_.top, bound) +
                  "\", but " + where + " recorded the export with " + bound + "=\"" +
                  detail[bound] + "\"");
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
  if (!IsSafeId(id)) {
    findings_.Add(std::string(kManifest) + " lists a submission with id " + Printable(id) +
                  ", which cannot name a file in the archive");
    return;
  }
  if (!manifest_ids_.insert(id).second) {
    findings_.Add("submission " + id + " is listed twice in the manifest");
    return;
  }
  // Listed: its stored event counts as matched whatever else is wrong, so
  // it is not also reported missing.
  if (StoredEvent* stored = StoredEventOf(id)) stored->matched = true;
  CheckRecordHash(id, entry);
  CheckContent(id, entry);
  bool reviewed = HasReview(entry);
  bool intact = false;
  std::optional<std::string> pdf = ReadPdf(id, entry, intact);
  // Past ReadPdf an intact file hashes to the manifest's file_sha256.
  std::string pdf_sha256 = intact ? Get(entry, "file_sha256") : "";
  if (intact && reviewed) {
    pdf_sha256 = CheckReviewedPdf(id, entry, *pdf);
  } else if (intact) {
    if (Get(entry, "pdf_sha256") != pdf_sha256) {
      findings_.Add("submission " + id + ": " + PdfPath(id) + " hashes to " + Short(pdf_sha256) +
                    ", but the manifest records its sealed original as " +
                    Short(Get(entry, "pdf_sha256")) + " and no review");
    }
    // The seal is checked only on an intact PDF: an altered one fails it anyway.
    if (CheckStoredAnchor(id, pdf_sha256, PdfPath(id))) CheckSeal(id, entry, *pdf, true);
  } else if (pdf) {
    CheckSeal(id, entry, *pdf, false);  // whose record is it, then?
  }
  CheckReviewEvent(id, entry, pdf_sha256);
  CheckSubmissionDefinition(id, entry);
}

StoredEvent* ArchiveVerifier::StoredEventOf(const std::string& id) {
  auto stored = chain_->stored().find(id);
  return stored == chain_->stored().end() ? nullptr : &stored->second;
}

// Every field of the record but its content (which has its own hash) is
// anchored through the record hash: an edited outcome, reasons, received
// time, language, visit, review flag or witness cannot hash the same.
void ArchiveVerifier::CheckRecordHash(const std::string& id, const ManifestFields& entry) {
  const StoredEvent* stored = StoredEventOf(id);
  if (!stored) return;  // CheckStoredAnchor reports it
  std::string where = "audit event " + std::to_string(stored->seq) + " (submission.stored)";
  if (stored->record_sha256.empty()) {
    findings_.Add("submission " + id + ": " + where +
                  " predates record hashes, so its outcome, reasons, received time and language "
                  "are not anchored; expected a record_sha256 in its detail");
    return;
  }
  SubmissionRecord record = RecordOf(entry);
  std::string sha256 = RecordHash(record);
  if (sha256 == stored->record_sha256) return;
  std::string reasons;
  for (const std::string& reason : record.reasons)
    reasons += (reasons.empty() ? "" : ", ") + reason;
  findings_.Add("submission " + id + ": its manifest entry (outcome \"" + Get(entry, "outcome") +
                "\", reasons [" + reasons + "], received_at " + record.received_at +
                ", language \"" + record.language + "\") is not the record " + where +
                " anchors: its record hash is " + Short(sha256) + ", the event anchors " +
                Short(stored->record_sha256));
}

void ArchiveVerifier::CheckContent(const std::string& id, const ManifestFields& entry) {
  std::string path = ContentPath(id);
  if (Get(entry, "content") != path) {
    findings_.Add("submission " + id + ": the manifest puts its content at \"" +
                  Get(entry, "content") + "\"; expected " + path);
    return;
  }
  std::optional<std::string> content = ReadEntry(path);
  if (!content) {
    findings_.Add("submission " + id + ": " + path + " is missing from the archive");
    return;
  }
  std::string sha256 = Sha256Hex(*content);
  const StoredEvent* stored = StoredEventOf(id);
  if (sha256 != Get(entry, "content_sha256")) {
    findings_.Add("submission " + id + ": " + path + " has been altered: it hashes to " +
                  Short(sha256) + ", the manifest records " + Short(Get(entry, "content_sha256")));
  } else if (stored && stored->content_sha256 != sha256) {
    findings_.Add("submission " + id + ": " + path + " does not match audit event " +
                  std::to_string(stored->seq) + ": it hashes to " + Short(sha256) +
                  ", the event anchors " + Short(stored->content_sha256));
  }
}

// The PDF's bytes if it is there; `intact` when it also hashes to the
// manifest's file_sha256. Otherwise the problem is reported.
std::optional<std::string> ArchiveVerifier::ReadPdf(const std::string& id,
                                                    const ManifestFields& entry, bool& intact) {
  intact = false;
  std::string path = PdfPath(id);
  if (Get(entry, "pdf") != path) {
    findings_.Add("submission " + id + ": the manifest puts its PDF at \"" + Get(entry, "pdf") +
                  "\"; expected " + path);
    return std::nullopt;
  }
  std::optional<std::string> pdf = ReadEntry(path);
  if (!pdf) {
    findings_.Add("submission " + id + ": " + path + " is missing from the archive");
    return std::nullopt;
  }
  std::string sha256 = Sha256Hex(*pdf);
  if (sha256 != Get(entry, "file_sha256")) {
    findings_.Add("submission " + id + ": " + path + " has been altered: it hashes to " +
                  Short(sha256) + ", the manifest records " + Short(Get(entry, "file_sha256")));
    return pdf;
  }
  intact = true;
  return pdf;
}

// Whether `sha256`, of `what` (the PDF, or the sealed original inside a
// countersigned one), is what the submission's stored event anchors.
bool ArchiveVerifier::CheckStoredAnchor(const std::string& id, const std::string& sha256,
                                        const std::string& what) {
  const StoredEvent* stored = StoredEventOf(id);
  if (!stored) {
    findings_.Add("submission " + id + " has no submission.stored event in the archive's " +
                  "audit slice");
    return false;
  }
  if (stored->pdf_sha256 != sha256) {
    findings_.Add("submission " + id + ": " + what + " does not match audit event " +
                  std::to_string(stored->seq) + ": it hashes to " + Short(sha256) +
                  ", the event anchors " + Short(stored->pdf_sha256));
    return false;
  }
  return true;
}

// An intact PDF's seal must verify; any PDF whose seal verifies must have
// been sealed for this very record (a PDF filed under another id names
// both).
void ArchiveVerifier::CheckSeal(const std::string& id, const ManifestFields& entry,
                                const std::string& pdf, bool intact) {
  if (!certificate_) return;
  try {
    SealCheck seal = VerifySealedPdf(pdf, certificate_pem_);
    if (!seal.valid && intact) {
      findings_.Add("submission " + id + ": the seal of pdfs/" + id +
                    ".pdf does not verify: " + seal.problem);
    }
    CheckSealBinding(id, entry, seal);
  } catch (const SealError& e) {  // the certificate itself: say so once
    findings_.Add(std::string("the certificate cannot check seals: ") + e.what());
    certificate_.reset();
  }
}

void ArchiveVerifier::CheckSealBinding(const std::string& id, const ManifestFields& entry,
                                       const SealCheck& seal) {
  if (!seal.valid || seal.sealed_submission_id.empty()) return;  // a seal from before bindings
  std::string subject = "submission " + id + ": " + PdfPath(id);
  if (seal.sealed_submission_id != id) {
    findings_.Add(subject + " is sealed for submission " + seal.sealed_submission_id +
                  ", not for " + id + ": the PDF is another record's");
  } else if (!seal.sealed_content_sha256.empty() &&
             seal.sealed_content_sha256 != Get(entry, "content_sha256")) {
    findings_.Add(subject + " is sealed for content " + Short(seal.sealed_content_sha256) +
                  ", but the manifest records its content as " +
                  Short(Get(entry, "content_sha256")));
  } else {
    ++bound_seals_;
  }
}

// Both signatures, then the sealed original against its stored event, the
// manifest and the record its seal names. Returns the countersigned PDF's
// SHA-256.
std::string ArchiveVerifier::CheckReviewedPdf(const std::string& id, const ManifestFields& entry,
                                              const std::string& pdf) {
  ++reviewed_;
  std::string subject = "submission " + id + " (" + PdfPath(id) + ")";
  Revisions revisions{"", Get(entry, "file_sha256")};
  if (certificate_) {
    try {
      revisions = CheckCountersignedPdf(subject, pdf, certificate_pem_, findings_);
      std::vector<SignatureCheck> signatures = VerifyPdfSignatures(pdf, certificate_pem_);
      if (!signatures.empty()) CheckSealBinding(id, entry, signatures.front().seal);
    } catch (const SealError& e) {  // the certificate itself: say so once
      findings_.Add(std::string("the certificate cannot check seals: ") + e.what());
      certificate_.reset();
    }
  }
  const std::string& original = revisions.original_sha256;
  std::string what = "the sealed original in " + PdfPath(id);
  if (!original.empty() && CheckStoredAnchor(id, original, what) &&
      original != Get(entry, "pdf_sha256")) {
    findings_.Add(subject + ": the manifest records its sealed original as " +
                  Short(Get(entry, "pdf_sha256")) + ", but it hashes to " + Short(original) +
                  " (which its submission.stored event anchors)");
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
// The range is the manifest's and, when the slice holds it, the one the
// export's started event recorded: a `from` moved past the records cannot
// hide one.
void ArchiveVerifier::CheckNothingMissing() {
  std::string from = Get(manifest_.top, "from"), to = Get(manifest_.top, "to");
  CheckMissingIn(from, to, "");
  if (!export_event_) return;
  std::map<std::string, std::string> detail = ParseDetail(export_event_->detail);
  if (detail["from"] == from && detail["to"] == to) return;
  CheckMissingIn(detail["from"], detail["to"],
                 " (in the range audit event " + std::to_string(export_event_->seq) +
                     " recorded for this export)");
}

void ArchiveVerifier::CheckMissingIn(const std::string& from, const std::string& to,
                                     const std::string& whose) {
  for (auto& [id, event] : chain_->Unmatched()) {
    if (!InTimeRange(event.at, from, to)) continue;
    findings_.Add("submission " + id + " (stored in audit event " + std::to_string(event.seq) +
                  " at " + event.at + ")" + whose + " is not in the archive");
    if (StoredEvent* stored = StoredEventOf(id)) stored->matched = true;  // named once
  }
}

// The counts the signed manifest states against what it lists.
void ArchiveVerifier::CheckCounts() {
  auto check = [&](const char* name, std::size_t found) {
    std::string stated = Get(manifest_.top, std::string("counts.") + name);
    if (stated == std::to_string(found)) return;
    findings_.Add(std::string(kManifest) + " states " + (stated.empty() ? "no" : stated) + " " +
                  name + ", but " + (std::string(name) == "reviewed" ? "finds " : "lists ") +
                  std::to_string(found));
  };
  check("submissions", manifest_.submissions);
  check("reviewed", reviewed_);
  check("definitions", manifest_.definitions.size());
}

void ArchiveVerifier::CheckNothingExtra() {
  auto id_in = [](const std::string& name, const std::string& prefix, const std::string& suffix,
                  std::string& id) {
    if (name.compare(0, prefix.size(), prefix) != 0 ||
        name.size() <= prefix.size() + suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
      return false;
    id = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    return true;
  };
  for (auto it = zip_->headerBegin(); it != zip_->headerEnd(); ++it) {
    const std::string& name = it->first;
    if (it->second.isDirectory()) continue;  // a folder entry holds nothing
    bool known = name == kManifest || name == kSignature || name == kAudit ||
                 name == kCertificate || definition_paths_.count(name) > 0;
    std::string id;
    if (!known && (id_in(name, "pdfs/", ".pdf", id) || id_in(name, "records/", ".json", id))) {
      known = manifest_ids_.count(id) > 0;
    }
    if (!known) findings_.Add(name + " is in the archive but not in its manifest");
  }
}

// "archive.zip (Clinic, exported …, submissions received from … to …)",
// only as the signed manifest says it.
std::string ArchiveVerifier::About() const {
  if (!signed_)
    return FileName(path_) + " (whose manifest is not signed by the trusted certificate)";
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
    return " The manifest's signature and every seal were checked against the pinned "
           "certificate " +
           signer + ".";
  }
  return " The manifest's signature and the seals were checked against the archive's own "
         "certificate.pem, " +
         signer +
         ", which was NOT pinned: compare that fingerprint with the clinic's records, or pass "
         "--cert.";
}

std::string ArchiveVerifier::ExpectationText() const {
  std::string text;
  if (options_.expect_seq != 0) {
    std::string seq = std::to_string(options_.expect_seq);
    if (!hash_at_expected_seq_) {
      text = " The slice does not reach audit event " + seq +
             " (--expect-seq), so it cannot be held against it.";
    } else {
      text = " Audit event " + seq + " in the slice" +
             (options_.expect_last_hash.empty() ? " is there" : " has the expected hash") + ".";
    }
  } else if (!options_.expect_last_hash.empty()) {
    text = " The slice holds the expected hash " + Short(options_.expect_last_hash) + ".";
  }
  return text;
}

std::string ArchiveVerifier::Summary() const {
  if (!zip_ || manifest_.top.empty()) {
    return FileName(path_) + " does not verify: it cannot be read as an archive.";
  }
  std::string submissions = Plural(manifest_.submissions, "submission", "submissions");
  if (!findings_.empty()) {
    return About() + " does not verify: " + Plural(findings_.count(), "problem", "problems") +
           " found" + (signed_ ? " across " + submissions + " and " + SliceText() : "") + "." +
           TrustText();
  }
  std::string export_event =
      export_event_ ? " the range is the one audit event " + std::to_string(export_event_->seq) +
                          " recorded when the export started;"
                    : " the manifest names no export event to hold its range against;";
  return About() + " verifies: its manifest is signed; all " + submissions +
         " are present, each record's fields hash to the record its submission.stored event "
         "anchors, its content and its PDF (for a reviewed one, its sealed original) match "
         "the SHA-256s that event anchors, and its seal verifies (" +
         std::to_string(bound_seals_) + " of them naming their very record); " +
         ReviewedText(reviewed_) + "; the " +
         Plural(manifest_.definitions.size(), "definition", "definitions") +
         " hash to the versions the submissions name; the audit slice (" + SliceText() +
         ") is unbroken, every submission stored in the range is in the archive," + export_event +
         " and the archive holds nothing else." + ExpectationText() + TrustText() +
         " Compare the last hash with the clinic's audit log to show the slice is theirs.";
}

}  // namespace

VerifyReport VerifyArchive(const std::string& zip_path, const std::string& pinned_certificate_pem,
                           const VerifyOptions& options) {
  VerifyReport report;
  Findings findings;
  ArchiveVerifier verifier(zip_path, pinned_certificate_pem, options, findings);
  verifier.Run();
  findings.Fill(report);
  report.summary = verifier.Summary();
  return report;
}

}  // namespace consentkit
