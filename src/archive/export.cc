// ExportArchive: one pass over the submissions in range (PDFs straight into
// the zip), then one walk of the audit slice, then the small entries and the
// manifest. What grows with the number of submissions goes to spool files;
// only an 8-byte fingerprint per exported id stays in memory (see Exporter).
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <functional>
#include <map>
#include <ostream>

#include "archive/archive.h"
#include "archive/certificate.h"
#include "archive/chain.h"
#include "archive/zip_writer.h"
#include "util/json_writer.h"
#include "util/util.h"

namespace consentkit {
namespace {

constexpr char kFormat[] = "consentkit-archive/1";

// Ids and versions become file names inside the archive, so they must not
// be able to climb out of their folder or collide with another name.
void RequireSafeName(const std::string& what, const std::string& text) {
  bool safe = !text.empty() && text[0] != '.';
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    safe = safe && ok;
  }
  if (!safe) {
    throw ArchiveError(what + " \"" + text +
                       "\" cannot name a file in the archive; expected letters, digits, "
                       "'-', '_' and '.'");
  }
}

Poco::DateTime EntryTime(const std::string& exported_at) {
  Poco::DateTime time;
  int zone = 0;
  if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, exported_at, time,
                                     zone)) {
    time.makeUTC(zone);
  }
  return time;
}

std::string AuditLine(const AuditEvent& e) {
  JsonWriter w;
  w.BeginObject().Key("seq").Int(e.seq).Field("at", e.at).Field("actor", e.actor);
  w.Field("action", e.action).Field("object", e.object).Field("detail", e.detail);
  w.Field("prev_hash", e.prev_hash).Field("hash", e.hash).EndObject();
  return w.str() + "\n";
}

std::string PdfPath(const std::string& id) { return "pdfs/" + id + ".pdf"; }

std::string DefinitionPath(const std::string& form_id, const std::string& version) {
  return "definitions/" + form_id + "@" + version + ".xml";
}

// A submission id's fingerprint. A collision (odds about 1 in 10^9 at
// 100,000 submissions) would only make the audit walk skip re-adding a
// late submission, which verify then reports as missing: never silent.
std::uint64_t Fingerprint(const std::string& id) { return std::hash<std::string>{}(id); }

class Exporter {
 public:
  Exporter(Store& store, const ExportRequest& request, std::ostream& out)
      : store_(store), request_(request), zip_(out, EntryTime(request.exported_at)) {}

  ExportSummary Run();

 private:
  void AddSubmission(const SubmissionRecord& record, const std::string& pdf);
  void WriteAuditSlice();
  void VisitAuditEvent(const AuditEvent& event);
  void AddLateSubmission(const std::string& id);
  std::int64_t FirstSeqAtOrAfter(const std::string& at);
  std::optional<AuditEvent> EventAt(std::int64_t seq);
  void AddDefinitions();
  void AddManifest();
  std::string ManifestHead() const;
  std::string ManifestTail() const;

  Store& store_;
  const ExportRequest& request_;
  ZipStreamWriter zip_;
  std::string certificate_sha256_;
  std::string clinic_name_;
  SpoolFile manifest_submissions_;  // one JSON object a line, comma-separated
  // Sorted once the submission pass is over; the audit walk looks ids up in
  // it to find stored events in range whose submission was not exported.
  std::vector<std::uint64_t> exported_;
  bool exported_sorted_ = false;
  // (form id, version) → the definition's SHA-256, for definitions/.
  std::map<std::pair<std::string, std::string>, std::string> definitions_;
  std::vector<std::pair<std::string, std::string>> included_definitions_;
  DeflatedEntry audit_;
  std::size_t audit_events_ = 0;
  std::string anchor_hash_;
  ExportSummary summary_;
};

ExportSummary Exporter::Run() {
  std::optional<CertificateInfo> certificate = ReadCertificate(request_.certificate_pem);
  if (!certificate) throw ArchiveError("the sealing certificate is not a PEM X.509 certificate");
  certificate_sha256_ = certificate->fingerprint_sha256;
  clinic_name_ = request_.clinic_name.empty() ? certificate->common_name : request_.clinic_name;
  store_.ForEachSubmission(request_.from, request_.to,
                           [this](const SubmissionRecord& record, const std::string& pdf) {
                             AddSubmission(record, pdf);
                           });
  std::sort(exported_.begin(), exported_.end());
  exported_sorted_ = true;
  WriteAuditSlice();
  AddDefinitions();
  zip_.AddStored("certificate.pem", request_.certificate_pem);
  AddManifest();
  zip_.Finish();
  return summary_;
}

void Exporter::AddSubmission(const SubmissionRecord& record, const std::string& pdf) {
  RequireSafeName("submission id", record.id);
  std::string pdf_sha256 = Sha256Hex(pdf);
  zip_.AddStored(PdfPath(record.id), pdf);
  JsonWriter w;
  w.BeginObject().Field("id", record.id).Field("form_id", record.form_id);
  w.Field("form_version", record.form_version).Field("form_sha256", record.form_sha256);
  w.Field("pdf", PdfPath(record.id)).Field("pdf_sha256", pdf_sha256);
  w.Field("received_at", record.received_at).Field("outcome", ToString(record.outcome));
  w.EndObject();
  manifest_submissions_.stream() << (summary_.submissions == 0 ? "\n" : ",\n") << w.str();
  definitions_.emplace(std::make_pair(record.form_id, record.form_version), record.form_sha256);
  if (exported_sorted_) {
    exported_.insert(std::upper_bound(exported_.begin(), exported_.end(), Fingerprint(record.id)),
                     Fingerprint(record.id));
  } else {
    exported_.push_back(Fingerprint(record.id));
  }
  ++summary_.submissions;
}

// The slice ends at the last event once the submissions have been read, so
// it holds the stored event of every PDF already in the zip.
void Exporter::WriteAuditSlice() {
  std::int64_t last_seq = store_.LastAuditSeq();
  std::int64_t first_seq = request_.from.empty() ? 1 : FirstSeqAtOrAfter(request_.from);
  first_seq = std::min(first_seq, last_seq + 1);
  // What the slice continues from; the first event's own prev_hash replaces
  // it below, so an empty slice still says where it stands in the chain.
  std::optional<AuditEvent> before = EventAt(first_seq - 1);
  anchor_hash_ = before ? before->hash : kGenesisHash;
  summary_.first_seq = first_seq;
  summary_.last_seq = last_seq;
  summary_.last_hash = anchor_hash_;
  std::size_t events = 0;
  if (first_seq <= last_seq) {  // (a last_seq of 0 would mean "to the end")
    store_.ForEachAuditEvent(first_seq, last_seq, [&](const AuditEvent& event) {
      if (events++ == 0) anchor_hash_ = event.prev_hash;
      VisitAuditEvent(event);
    });
  }
  audit_.Finish();
  zip_.AddDeflated("audit.jsonl", audit_);
  audit_events_ = events;
}

void Exporter::VisitAuditEvent(const AuditEvent& event) {
  audit_.Write(AuditLine(event));
  summary_.last_hash = event.hash;
  if (event.action != kStoredAction) return;
  if (!InTimeRange(event.at, request_.from, request_.to)) return;
  if (std::binary_search(exported_.begin(), exported_.end(), Fingerprint(event.object))) return;
  AddLateSubmission(event.object);
}

// A submission whose stored event is timed within the range but which the
// submission pass did not read: received just before `from` and stored
// after it, or stored while the export ran. Without it the archive's own
// slice would show it missing. If its row is gone, the archive is left to
// show exactly that.
void Exporter::AddLateSubmission(const std::string& id) {
  std::optional<SubmissionRecord> record = store_.Find(id);
  std::optional<std::string> pdf = store_.FindPdf(id);
  if (record && pdf) AddSubmission(*record, *pdf);
}

std::optional<AuditEvent> Exporter::EventAt(std::int64_t seq) {
  std::optional<AuditEvent> found;
  if (seq > 0) store_.ForEachAuditEvent(seq, seq, [&](const AuditEvent& e) { found = e; });
  return found;
}

// Audit times never decrease along the chain (each is taken under the
// store's write lock), so a binary search finds the first event at or after
// `at` in a few point reads instead of a scan of the whole log. A missing
// event (a damaged log) falls back to a scan of what is left to search.
std::int64_t Exporter::FirstSeqAtOrAfter(const std::string& at) {
  std::int64_t low = 1, high = store_.LastAuditSeq() + 1;
  while (low < high) {
    std::int64_t middle = low + (high - low) / 2;
    std::optional<AuditEvent> event = EventAt(middle);
    if (!event) {
      std::int64_t first = high;
      store_.ForEachAuditEvent(low, high - 1, [&](const AuditEvent& e) {
        if (first == high && e.at >= at) first = e.seq;
      });
      return first;
    }
    if (event->at >= at) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return low;
}

void Exporter::AddDefinitions() {
  for (const auto& [key, sha256] : definitions_) {
    const auto& [form_id, version] = key;
    RequireSafeName("form id", form_id);
    RequireSafeName("form version", version);
    // A definition the store no longer has is left out; verify then names
    // every submission that needed it.
    if (std::optional<std::string> xml = store_.DefinitionXml(form_id, version)) {
      zip_.AddStored(DefinitionPath(form_id, version), *xml);
      included_definitions_.push_back(key);
    }
  }
  summary_.definitions = included_definitions_.size();
}

void Exporter::AddManifest() {
  DeflatedEntry manifest;
  manifest.Write(ManifestHead());
  std::istream& submissions = manifest_submissions_.Rewind();
  std::string chunk(64 * 1024, '\0');
  while (submissions.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) ||
         submissions.gcount() > 0) {
    manifest.Write(std::string_view(chunk.data(), static_cast<std::size_t>(submissions.gcount())));
  }
  manifest.Write(ManifestTail());
  manifest.Finish();
  zip_.AddDeflated("manifest.json", manifest);
  summary_.manifest_sha256 = manifest.sha256_hex();
}

std::string Exporter::ManifestHead() const {
  JsonWriter w;
  w.BeginObject().Field("format", kFormat).Field("clinic", clinic_name_);
  w.Field("exported_at", request_.exported_at).Field("from", request_.from);
  w.Field("to", request_.to).Field("certificate_sha256", certificate_sha256_);
  w.Key("submissions");
  return w.str() + "[";
}

std::string Exporter::ManifestTail() const {
  JsonWriter definitions;
  definitions.BeginArray();
  for (const auto& key : included_definitions_) {
    definitions.BeginObject().Field("form_id", key.first).Field("version", key.second);
    definitions.Field("sha256", definitions_.at(key));
    definitions.Field("path", DefinitionPath(key.first, key.second)).EndObject();
  }
  definitions.EndArray();
  JsonWriter audit;
  audit.BeginObject().Field("path", "audit.jsonl").Key("first_seq").Int(summary_.first_seq);
  audit.Key("last_seq").Int(summary_.last_seq).Field("anchor_hash", anchor_hash_);
  audit.Field("last_hash", summary_.last_hash);
  audit.Key("events").Int(static_cast<long long>(audit_events_)).EndObject();
  return std::string(summary_.submissions == 0 ? "" : "\n") +
         "],\"definitions\":" + definitions.str() + ",\"audit\":" + audit.str() + "}\n";
}

}  // namespace

ExportSummary ExportArchive(Store& store, const ExportRequest& request, std::ostream& out) {
  try {
    return Exporter(store, request, out).Run();
  } catch (const Poco::Exception& e) {  // zip records or deflate
    throw ArchiveError("cannot write the archive: " + e.displayText());
  }
}

AuditEvent RecordExport(Store& store, const ExportRequest& request, const ExportSummary& summary) {
  std::string detail = "from=" + request.from + ";to=" + request.to +
                       ";submissions=" + std::to_string(summary.submissions) +
                       ";last_seq=" + std::to_string(summary.last_seq) +
                       ";manifest_sha256=" + summary.manifest_sha256;
  return store.RecordEvent(request.actor, "archive.exported", "", detail);
}

}  // namespace consentkit
