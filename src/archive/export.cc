// ExportArchive: one pass over the submissions in range (PDFs straight into
// the zip), then one walk of the audit slice, then the submissions the walk
// found missing, the small entries and the manifest. What grows with the
// number of submissions goes to spool files; only an 8-byte fingerprint per
// exported id (and per exported review) stays in memory (see Exporter).
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Exception.h>

#include <algorithm>
#include <functional>
#include <map>
#include <ostream>
#include <unordered_map>

#include "archive/archive.h"
#include "archive/certificate.h"
#include "archive/chain.h"
#include "archive/zip_writer.h"
#include "seal/seal.h"
#include "util/json_writer.h"
#include "util/util.h"

namespace consentkit {
namespace {

// /3: the manifest is signed (manifest.sig), each entry carries every
// field of its CanonicalRecord and its content JSON is archived, so verify
// can recompute the record hash the submission.stored event anchors. (/2
// was unsigned; its entries held a reviewed PDF's sealed original as
// review.sealed_pdf_sha256.)
constexpr char kFormat[] = "consentkit-archive/3";
constexpr char kExportedAction[] = "archive.exported";
constexpr char kCompletedAction[] = "archive.completed";

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

// A manifest entry's "review": who decided what and when. The entry's
// pdf_sha256 stays the sealed original's (the record's, which the stored
// event anchors); its file_sha256 is then of the countersigned PDF. The
// note stays in the PDF: the manifest is for finding records, not reading
// them.
std::string ReviewJson(const Review& review) {
  JsonWriter w;
  w.BeginObject().Field("decision", review.decision).Field("reviewed_at", review.reviewed_at);
  w.Field("practitioner", review.practitioner);
  w.Field("practitioner_name", review.practitioner_name).EndObject();
  return w.str();
}

std::string WitnessJson(const std::optional<WitnessUnlock>& witness) {
  if (!witness) return "null";
  JsonWriter w;
  w.BeginObject().Field("unlocked_by", witness->unlocked_by);
  w.Field("unlocked_by_name", witness->unlocked_by_name);
  w.Field("unlocked_at", witness->unlocked_at).EndObject();
  return w.str();
}

// Every field of CanonicalRecord(record) but the witness, which is written
// last (see Exporter::witnesses_), then where the files are and the
// archived PDF's own SHA-256; the object is left open.
std::string ManifestEntryStart(const SubmissionRecord& record, const std::string& file_sha256) {
  JsonWriter w;
  w.BeginObject().Field("id", record.id).Field("form_id", record.form_id);
  w.Field("form_version", record.form_version).Field("form_sha256", record.form_sha256);
  w.Field("content_sha256", record.content_sha256).Field("outcome", ToString(record.outcome));
  w.Key("reasons").StringArray(record.reasons);
  w.Field("received_at", record.received_at).Field("language", record.language);
  w.Field("pdf_sha256", record.pdf_sha256).Field("visit_id", record.visit_id);
  w.Key("needs_review").Bool(record.needs_review);
  w.Field("pdf", "pdfs/" + record.id + ".pdf").Field("file_sha256", file_sha256);
  w.Field("content", "records/" + record.id + ".json");
  if (record.review) w.Key("review").Raw(ReviewJson(*record.review));
  w.EndObject();
  std::string text = w.str();
  text.pop_back();  // the closing brace: the witness follows
  return text;
}

std::string AuditLine(const AuditEvent& e) {
  JsonWriter w;
  w.BeginObject().Key("seq").Int(e.seq).Field("at", e.at).Field("actor", e.actor);
  w.Field("action", e.action).Field("object", e.object).Field("detail", e.detail);
  w.Field("prev_hash", e.prev_hash).Field("hash", e.hash).EndObject();
  return w.str() + "\n";
}

std::string PdfPath(const std::string& id) { return "pdfs/" + id + ".pdf"; }

std::string ContentPath(const std::string& id) { return "records/" + id + ".json"; }

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
  void NoteWitness(const SubmissionRecord& record);
  void ChooseWitness(const AuditEvent& stored_event);
  void NoteStartedEvent(const AuditEvent& event);
  void Remember(std::vector<std::uint64_t>& fingerprints, const std::string& id);
  bool Exported(const std::string& id) const;
  void WriteAuditSlice();
  void VisitAuditEvent(const AuditEvent& event);
  bool ReviewedSinceRead(const AuditEvent& event) const;
  void NoteLateSubmission(const AuditEvent& event);
  void AddLateSubmissions();
  void WithoutReview(SubmissionRecord& record, std::string& pdf) const;
  std::int64_t FirstSeqAtOrAfter(const std::string& at);
  std::optional<AuditEvent> EventAt(std::int64_t seq);
  void AddDefinitions();
  void AddManifest();
  void WriteManifest(const std::function<void(std::string_view)>& write);
  std::string ManifestHead() const;
  std::string ManifestTail() const;

  Store& store_;
  const ExportRequest& request_;
  ZipStreamWriter zip_;
  std::string certificate_sha256_;
  std::string clinic_name_;
  // One line per submission: '1' when its witness is in witnesses_, else
  // '0', then its entry without the witness and the closing brace.
  SpoolFile manifest_submissions_;
  // Read records carry no witness unlock, yet their record hash covers the
  // one they were made under. A record whose visit holds an unlock of its
  // form's witness step may or may not have been made under it; its stored
  // event tells (ChooseWitness). In spool order; few.
  struct WitnessChoice {
    std::string id;
    WitnessUnlock unlock;
    std::string witnessed_record_sha256;  // RecordHash with the unlock
    bool witnessed = false;
  };
  std::vector<WitnessChoice> witnesses_;
  std::unordered_map<std::string, std::size_t> witness_index_;  // id → witnesses_
  // The stored events' record hashes of late submissions (added after the
  // walk, so ChooseWitness has already passed them).
  std::unordered_map<std::string, std::string> late_record_sha256_;
  std::string started_detail_;  // what RecordExportStarted wrote for this request
  std::size_t reviewed_ = 0;
  // Sorted once the submission pass is over; the audit walk looks ids up in
  // it to find stored events in range whose submission was not exported.
  std::vector<std::uint64_t> exported_;
  // The exported submissions that were exported with their review.
  std::vector<std::uint64_t> exported_reviews_;
  bool exported_sorted_ = false;
  // The last audit event before the submission pass began: everything up
  // to it was committed before the pass read its snapshot.
  std::int64_t seq_before_read_ = 0;
  // Set at the first review the submission pass did not see: the slice
  // ends before it (see ReviewedSinceRead).
  bool slice_ended_ = false;
  // Submissions stored in range that the pass did not read, in seq order,
  // each with whether the slice holds its reviewed event. Few: they were
  // received just before `from` or stored while the export ran.
  std::vector<std::string> late_;
  std::unordered_map<std::string, bool> late_reviewed_;
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
  started_detail_ = ExportStartedDetail(request_);
  seq_before_read_ = store_.LastAuditSeq();
  store_.ForEachSubmission(request_.from, request_.to,
                           [this](const SubmissionRecord& record, const std::string& pdf) {
                             AddSubmission(record, pdf);
                           });
  std::sort(exported_.begin(), exported_.end());
  std::sort(exported_reviews_.begin(), exported_reviews_.end());
  exported_sorted_ = true;
  WriteAuditSlice();
  AddLateSubmissions();
  AddDefinitions();
  zip_.AddStored("certificate.pem", request_.certificate_pem);
  if (!request_.signer) throw ArchiveError("no signing identity for the archive's manifest");
  AddManifest();
  zip_.Finish();
  return summary_;
}

void Exporter::AddSubmission(const SubmissionRecord& record, const std::string& pdf) {
  RequireSafeName("submission id", record.id);
  zip_.AddStored(PdfPath(record.id), pdf);
  zip_.AddStored(ContentPath(record.id), record.content_json);
  NoteWitness(record);
  bool has_witness = witness_index_.count(record.id) > 0;
  manifest_submissions_.stream() << (has_witness ? '1' : '0')
                                 << ManifestEntryStart(record, Sha256Hex(pdf)) << '\n';
  definitions_.emplace(std::make_pair(record.form_id, record.form_version), record.form_sha256);
  Remember(exported_, record.id);
  if (record.review) {
    Remember(exported_reviews_, record.id);
    ++reviewed_;
  }
  ++summary_.submissions;
}

// The unlock of the record's form's witness step its visit holds (it stays
// once the visit has a submission of that form). A late submission's
// stored event has already been walked: choose now.
void Exporter::NoteWitness(const SubmissionRecord& record) {
  if (record.visit_id.empty()) return;
  for (WitnessUnlock& unlock : store_.WitnessUnlocksOfVisit(record.visit_id)) {
    if (unlock.form_id != record.form_id) continue;
    SubmissionRecord witnessed = record;
    witnessed.witness = unlock;
    WitnessChoice choice{record.id, std::move(unlock), RecordHash(witnessed), false};
    auto late = late_record_sha256_.find(record.id);
    if (late != late_record_sha256_.end()) {
      choice.witnessed = late->second == choice.witnessed_record_sha256;
    }
    witness_index_[record.id] = witnesses_.size();
    witnesses_.push_back(std::move(choice));
    return;
  }
}

void Exporter::ChooseWitness(const AuditEvent& stored_event) {
  auto found = witness_index_.find(stored_event.object);
  if (found == witness_index_.end()) return;
  WitnessChoice& choice = witnesses_[found->second];
  choice.witnessed =
      ParseStoredDetail(stored_event).record_sha256 == choice.witnessed_record_sha256;
}

// This export's own "archive.exported" (state=started) event, if the
// caller recorded it before streaming (RecordExportStarted): the manifest
// names it, so verify can hold the archive's range against it.
void Exporter::NoteStartedEvent(const AuditEvent& event) {
  if (event.action == kExportedAction && event.actor == request_.actor &&
      event.detail == started_detail_) {
    summary_.started_seq = event.seq;
  }
}

void Exporter::Remember(std::vector<std::uint64_t>& fingerprints, const std::string& id) {
  if (exported_sorted_) {
    fingerprints.insert(std::upper_bound(fingerprints.begin(), fingerprints.end(), Fingerprint(id)),
                        Fingerprint(id));
  } else {
    fingerprints.push_back(Fingerprint(id));
  }
}

bool Exporter::Exported(const std::string& id) const {
  return std::binary_search(exported_.begin(), exported_.end(), Fingerprint(id));
}

// The slice ends at the last event once the submissions have been read, so
// it holds the stored event of every PDF already in the zip, and the
// reviewed event of every review (recorded after `to` too), unless a
// review came in while the pass ran (see ReviewedSinceRead).
void Exporter::WriteAuditSlice() {
  std::int64_t last_seq = store_.LastAuditSeq();
  std::int64_t first_seq = request_.from.empty() ? 1 : FirstSeqAtOrAfter(request_.from);
  first_seq = std::min(first_seq, last_seq + 1);
  // What the slice continues from; the first event's own prev_hash replaces
  // it below, so an empty slice still says where it stands in the chain.
  std::optional<AuditEvent> before = EventAt(first_seq - 1);
  anchor_hash_ = before ? before->hash : kGenesisHash;
  summary_.first_seq = first_seq;
  summary_.last_seq = first_seq - 1;
  summary_.last_hash = anchor_hash_;
  bool first = true;
  if (first_seq <= last_seq) {  // (a last_seq of 0 would mean "to the end")
    store_.ForEachAuditEvent(first_seq, last_seq, [&](const AuditEvent& event) {
      if (first) anchor_hash_ = event.prev_hash;
      first = false;
      VisitAuditEvent(event);
    });
  }
  audit_.Finish();
  zip_.AddDeflated("audit.jsonl", audit_);
}

void Exporter::VisitAuditEvent(const AuditEvent& event) {
  if (!slice_ended_ && ReviewedSinceRead(event)) slice_ended_ = true;
  if (slice_ended_) return;
  audit_.Write(AuditLine(event));
  ++audit_events_;
  summary_.last_seq = event.seq;
  summary_.last_hash = event.hash;
  if (event.action == kReviewedAction) {
    auto late = late_reviewed_.find(event.object);
    if (late != late_reviewed_.end()) late->second = true;
  }
  if (event.action == kStoredAction) {
    ChooseWitness(event);
    NoteLateSubmission(event);
  }
  NoteStartedEvent(event);
}

// A review of an exported submission that the pass read before it was
// reviewed: its event, and every event after it, came after the pass's
// snapshot, so the slice ends just before it and still holds every event
// the exported PDFs need. An event the snapshot must have seen (up to
// seq_before_read_) never ends the slice: a review missing from it was
// removed, and the archive is left to show exactly that.
bool Exporter::ReviewedSinceRead(const AuditEvent& event) const {
  return event.action == kReviewedAction && event.seq > seq_before_read_ &&
         Exported(event.object) &&
         !std::binary_search(exported_reviews_.begin(), exported_reviews_.end(),
                             Fingerprint(event.object));
}

// A submission whose stored event is timed within the range but which the
// submission pass did not read: received just before `from` and stored
// after it, or stored while the export ran. Without it the archive's own
// slice would show it missing. It is added once the slice is written, when
// it is known whether the slice holds its review.
void Exporter::NoteLateSubmission(const AuditEvent& event) {
  if (!InTimeRange(event.at, request_.from, request_.to) || Exported(event.object)) return;
  if (late_reviewed_.emplace(event.object, false).second) late_.push_back(event.object);
  late_record_sha256_[event.object] = ParseStoredDetail(event).record_sha256;
}

// If a row is gone, the archive is left to show exactly that.
void Exporter::AddLateSubmissions() {
  for (const std::string& id : late_) {
    std::optional<SubmissionRecord> record = store_.Find(id);
    std::optional<std::string> pdf = store_.FindPdf(id);
    if (!record || !pdf) continue;
    if (record->review && !late_reviewed_.at(id)) WithoutReview(*record, *pdf);
    AddSubmission(*record, *pdf);
  }
}

// A review recorded after the slice ends: the archive holds the sealed
// original as the slice anchors it, without the review. A PDF whose seal
// cannot be read is left whole, for verify to show.
void Exporter::WithoutReview(SubmissionRecord& record, std::string& pdf) const {
  std::vector<SignatureCheck> signatures;
  try {
    signatures = VerifyPdfSignatures(pdf, request_.certificate_pem);
  } catch (const SealError&) {
    return;
  }
  std::size_t original = signatures.empty() ? 0 : signatures.front().signed_length;
  if (original == 0 || original >= pdf.size()) return;
  pdf.resize(original);
  record.review.reset();
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

// The manifest is written as it is read back from the spool, into its zip
// entry and a plain copy that is then signed a block at a time: memory
// stays flat however many submissions there are.
void Exporter::AddManifest() {
  DeflatedEntry manifest;
  SpoolFile plain;
  WriteManifest([&](std::string_view text) {
    manifest.Write(text);
    plain.stream() << text;
  });
  manifest.Finish();
  std::string signature = SignDetachedData(plain.Rewind(), *request_.signer);
  zip_.AddDeflated("manifest.json", manifest);
  zip_.AddStored("manifest.sig", signature);
  summary_.manifest_sha256 = manifest.sha256_hex();
}

// The spooled entries, each closed with its witness (see witnesses_).
void Exporter::WriteManifest(const std::function<void(std::string_view)>& write) {
  write(ManifestHead());
  std::istream& submissions = manifest_submissions_.Rewind();
  std::size_t next_witness = 0, count = 0;
  for (std::string line; std::getline(submissions, line);) {
    if (line.empty()) continue;
    std::optional<WitnessUnlock> witness;
    if (line[0] == '1') {
      const WitnessChoice& choice = witnesses_.at(next_witness++);
      if (choice.witnessed) witness = choice.unlock;
    }
    write(count++ == 0 ? "\n" : ",\n");
    write(std::string_view(line).substr(1));
    write(",\"witness\":" + WitnessJson(witness) + "}");
  }
  write(ManifestTail());
}

std::string Exporter::ManifestHead() const {
  JsonWriter w;
  w.BeginObject().Field("format", kFormat).Field("clinic", clinic_name_);
  w.Field("exported_at", request_.exported_at).Field("from", request_.from);
  w.Field("to", request_.to).Field("certificate_sha256", certificate_sha256_);
  w.Key("export_event_seq").Int(summary_.started_seq);
  w.Key("counts")
      .BeginObject()
      .Key("submissions")
      .Int(static_cast<long long>(summary_.submissions));
  w.Key("reviewed").Int(static_cast<long long>(reviewed_));
  w.Key("definitions").Int(static_cast<long long>(included_definitions_.size())).EndObject();
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

std::string ExportStartedDetail(const ExportRequest& request) {
  return "state=started;from=" + request.from + ";to=" + request.to +
         ";exported_at=" + request.exported_at;
}

AuditEvent RecordExportStarted(Store& store, const ExportRequest& request) {
  return store.RecordEvent(request.actor, kExportedAction, "", ExportStartedDetail(request));
}

AuditEvent RecordExport(Store& store, const ExportRequest& request, const ExportSummary& summary) {
  std::string detail = "from=" + request.from + ";to=" + request.to +
                       ";submissions=" + std::to_string(summary.submissions) +
                       ";started_seq=" + std::to_string(summary.started_seq) +
                       ";last_seq=" + std::to_string(summary.last_seq) +
                       ";manifest_sha256=" + summary.manifest_sha256;
  return store.RecordEvent(request.actor, kCompletedAction, "", detail);
}

}  // namespace consentkit
