// Compliance archives: export a date range of submissions as one zip, and
// verify a data folder or an exported archive years later, offline.
//
// An archive holds the sealed PDFs exactly as stored (a reviewed one as
// countersigned: the sealed original with the practitioner's signed
// revision appended), the exact XML of every definition version they were
// made against, the slice of the audit hash chain that anchors each PDF's
// SHA-256, the sealing certificate and a manifest tying them together
// (layout: see ExportArchive). Verifying checks every link: each PDF's
// signatures and hashes, the chain, and that nothing in the range was left
// out.
//
// All functions are thread-safe as far as the Store is; none keeps state.
#ifndef CONSENTKIT_ARCHIVE_ARCHIVE_H_
#define CONSENTKIT_ARCHIVE_ARCHIVE_H_

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "store/store.h"

namespace consentkit {

class SigningIdentity;  // seal/seal.h

// An export could not be written: the store failed, a temporary file could
// not be made, or the output stream broke. The message says which.
class ArchiveError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ExportRequest {
  // UTC ISO 8601 bounds on received_at ("2026-11-01T00:00:00Z"): `from`
  // inclusive, `to` exclusive; empty is unbounded. See NormalizeTimeBound.
  std::string from, to;
  // The clinic's sealing certificate (PEM), included so the archive
  // verifies offline.
  std::string certificate_pem;
  std::string clinic_name;
  std::string exported_at;  // UTC ISO 8601; also the zip entries' time
  Actor actor;              // who exports, for RecordExport
  // Signs the manifest (manifest.sig); must be the identity whose
  // certificate is certificate_pem. Not owned; must outlive the export.
  const SigningIdentity* signer = nullptr;
};

struct ExportSummary {
  std::size_t submissions = 0;
  std::size_t definitions = 0;
  // The audit slice in the archive; first_seq > last_seq when it is empty.
  std::int64_t first_seq = 0, last_seq = 0;
  std::string last_hash;
  std::string manifest_sha256;  // of manifest.json as written
  // The export's own "archive.exported" (state=started) event in the slice,
  // which the manifest names; 0 when RecordExportStarted was not called
  // first (or its event is not in the slice).
  std::int64_t started_seq = 0;
};

// Streams a zip to `out`, which may be non-seekable (an HTTP chunked
// response): memory stays flat however many submissions there are, since
// every entry's size and CRC are known before its header is written and the
// zip's central directory and the manifest's submission list are spooled
// to temporary files in $TMPDIR (removed when done, also on error).
//
// Layout:
//   pdfs/<submission-id>.pdf          every submission received in
//                                     [from, to), plus any whose
//                                     "submission.stored" event falls in
//                                     that range (see below), as stored:
//                                     countersigned once reviewed
//   definitions/<form-id>@<version>.xml  the exact XML of each definition
//                                     version those submissions used
//   audit.jsonl                       the audit slice, one event per line
//   records/<submission-id>.json      the submission's canonical content
//                                     JSON (its content_sha256)
//   certificate.pem                   request.certificate_pem
//   manifest.json                     "consentkit-archive/3": what is where,
//                                     with SHA-256s; written last but one:
//                                     {format, clinic, exported_at, from,
//                                     to, certificate_sha256,
//                                     export_event_seq (ExportSummary::
//                                     started_seq), counts {submissions,
//                                     reviewed, definitions}, submissions,
//                                     definitions, audit {path, first_seq,
//                                     last_seq, anchor_hash, last_hash,
//                                     events}}. Each submission's entry
//                                     holds every field of its
//                                     CanonicalRecord (pdf_sha256 is the
//                                     sealed original's; witness as the
//                                     record was made), then pdf, content
//                                     (paths), file_sha256 (of the archived
//                                     PDF: the countersigned one once
//                                     reviewed) and, once reviewed,
//                                     "review": {decision, reviewed_at,
//                                     practitioner, practitioner_name}
//   manifest.sig                      a detached CMS signature (DER) by
//                                     request.signer over exactly the bytes
//                                     of manifest.json (SignDetachedData):
//                                     `openssl cms -verify -binary -inform
//                                     DER -in manifest.sig -content
//                                     manifest.json` checks it
// The audit slice runs from the first event at or after `from` (seq 1 when
// `from` is empty) to the last event once the submissions have been read,
// so it holds the "submission.stored" event of every exported PDF and the
// "submission.reviewed" event of every exported review, however long after
// `to` it was recorded. A review recorded while the submissions were read,
// of one read before it, ends the slice just before its event: the archive
// holds that submission as read, unreviewed, and its slice says nothing the
// archive does not show. Any stored event in the slice timed within
// [from, to) whose submission was not read (received just before `from`,
// or stored while the export ran) has its PDF added too (without a review
// the slice does not hold), so an archive verifies as complete by its own
// audit slice.
// The manifest is held in memory while it is signed (about 1 KB per
// submission). Throws StoreError or ArchiveError (also when request.signer
// is null); `out` then holds a partial zip.
ExportSummary ExportArchive(Store& store, const ExportRequest& request, std::ostream& out);

// An export is recorded twice. Before the first byte is streamed,
// RecordExportStarted appends "archive.exported" (actor request.actor;
// detail ExportStartedDetail(request): "state=started;from=…;to=…;
// exported_at=…"), so a download aborted once the PDFs of interest
// arrived still leaves its trace; the archive's own slice holds that event
// and its manifest names it (export_event_seq). Once the last byte is
// written, RecordExport appends "archive.completed" (detail "from=…;to=…;
// submissions=N;started_seq=…;last_seq=…;manifest_sha256=…"): the live
// audit chain then anchors the archive's manifest, and its hash is the
// chain head to compare with a later verify (--expect-last-hash).
std::string ExportStartedDetail(const ExportRequest& request);
AuditEvent RecordExportStarted(Store& store, const ExportRequest& request);
AuditEvent RecordExport(Store& store, const ExportRequest& request, const ExportSummary& summary);

// "2026-11-23" (the start of that UTC day), "2026-11-23T10:15:02Z" or
// "2026-11-23T11:15:02+01:00" as "2026-11-23T10:15:02Z"; nullopt for
// anything else (fractions of a second included).
std::optional<std::string> NormalizeTimeBound(const std::string& text);

// What an officer holds against the chain from a record kept elsewhere
// (a daily report, a log, an earlier export): the chain must still hold
// that event. Unset: verify relies on the signed checkpoints alone.
struct VerifyOptions {
  std::string expect_last_hash;  // empty: not given
  std::int64_t expect_seq = 0;   // 0: not given
};

struct VerifyReport {
  bool ok = false;
  // One paragraph: what was checked and found, with the certificate's and
  // the chain's fingerprints to compare with the clinic's records.
  std::string summary;
  std::string first_problem;  // empty when ok
  // The problems in the order found, at most kMaxProblems of them;
  // problem_count counts them all.
  std::vector<std::string> problems;
  std::size_t problem_count = 0;
  static constexpr std::size_t kMaxProblems = 50;
};

// Checks a live data folder: the whole audit chain from seq 1 (no gaps,
// each prev_hash the previous hash, each hash recomputing), and for every
// submission row its PDF's and content's SHA-256 against the row and its
// one "submission.stored" event, its seal against `certificate_pem`, and
// its definition's kept XML; every stored event must have its row. A
// reviewed row's PDF must carry exactly two valid signatures by that
// certificate, the seal and the countersignature: the seal's revision is
// the sealed original the stored event anchors, and the whole file and the
// review's decision are what its one "submission.reviewed" event anchors.
// A reviewed event without a review, or a review without its event, is a
// problem.
// Also holds the chain against its signed checkpoints and `options` (see
// archive/verify_checkpoints.h; no valid checkpoint is a problem), each
// valid seal's record binding against its row, and the invites table
// against its events. Opens the store read-only (SqliteOptions::read_only):
// nothing is created, migrated or written, so a copied or write-protected
// folder verifies as it is. Parts that cannot be read (damaged pages, a
// broken chain) are problems naming what could not be read, and the rest
// is still checked; throws StoreError only if the database cannot be opened.
VerifyReport VerifyDataDir(const std::string& data_dir, const std::string& certificate_pem,
                           const VerifyOptions& options = {});

// Checks an exported archive offline. The zip itself first: its end record
// must end the file (no bytes appended), and every entry name must be
// non-empty, unique, relative, without "..", backslashes or NUL. Then the
// manifest's signature (manifest.sig) against the trusted certificate,
// `pinned_certificate_pem` (empty: the archive's own certificate.pem, and
// the summary says it was not pinned): an unsigned manifest (older formats
// included) or a bad signature is a problem, and the summary then shows
// nothing the manifest says. Then the audit slice chained from its anchor
// to its last hash; per submission, the RecordHash of its manifest fields
// against the record_sha256 of its submission.stored event (so an edited
// outcome, reasons, received time or language names the record), its
// content file's SHA-256 against the entry and the event, its PDF's
// against the entry and the event, its seal against the certificate and
// bound to that very record (the seal's submission id and content
// SHA-256), its definition's canonical SHA-256; that every submission
// stored in the range (the manifest's, and the range its export event
// recorded) is present; the manifest's counts; and that the zip holds
// nothing else. A reviewed submission is held to what VerifyDataDir
// checks, with its manifest entry's review in place of the row's and the
// slice's events. With `options`, the slice must agree with the event the
// officer holds: given expect_seq, an event of the slice at that seq must
// have expect_last_hash (when given), and a slice that ends before it (or
// starts after it) cannot say, which the summary states; given only
// expect_last_hash, some event of the slice (or its anchor) must have it.
// An unreadable or malformed zip is a problem, not an exception.
VerifyReport VerifyArchive(const std::string& zip_path, const std::string& pinned_certificate_pem,
                           const VerifyOptions& options = {});

}  // namespace consentkit

#endif  // CONSENTKIT_ARCHIVE_ARCHIVE_H_
