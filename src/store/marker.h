// Private to the SQLite store: the marker beside a served database.
//
// "consentkit.marker" says that a database was here and which one: the
// hash of its first audit event (its origin) and a recent head of its
// chain. A database that went missing, or one put in its place, cannot
// hold that head, so a server refuses it instead of starting afresh on an
// empty file and forgetting every receipt it gave. The chain only grows,
// so any head once written stays in it: the marker needs no fsync per
// submission, only one whenever it is rewritten (at open, at each
// checkpoint, at a clean close).
#ifndef CONSENTKIT_STORE_MARKER_H_
#define CONSENTKIT_STORE_MARKER_H_

#include <cstdint>
#include <optional>
#include <string>

namespace consentkit {

struct DatabaseMarker {
  std::string origin;  // hash of audit event 1; empty while the chain is empty
  std::int64_t seq = 0;
  std::string hash;        // of event `seq`; empty for seq 0
  std::string written_at;  // UTC, ISO 8601
};

// Where the marker of the database at `db_path` lives: beside it, its ".db"
// replaced by ".marker" (consentkit.db: consentkit.marker).
std::string MarkerPath(const std::string& db_path);

// The text of a marker file: "consentkit-database-marker/1" then
// "origin=", "seq=", "hash=" and "written_at=" lines.
std::string FormatMarker(const DatabaseMarker& marker);

// The marker at `marker_path`; nullopt if there is no file. Throws
// StoreError naming the file and the line if it is not one FormatMarker
// wrote, or cannot be read.
std::optional<DatabaseMarker> ReadMarker(const std::string& marker_path);

// Replaces the marker atomically (temporary file, fsync, rename, fsync of
// the folder). Throws StoreError naming the file.
void WriteMarker(const std::string& marker_path, const DatabaseMarker& marker);

}  // namespace consentkit

#endif  // CONSENTKIT_STORE_MARKER_H_
