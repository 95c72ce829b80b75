#include "store/marker.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <string_view>

#include "store/store.h"
#include "util/util.h"

namespace consentkit {
namespace {

const char kMarkerHeader[] = "consentkit-database-marker/1";

bool IsHexHash(const std::string& text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// The value of `line` (line `number` of the file), which must read "<key>=<value>".
std::string ValueOf(const std::string& path, const std::string& line, int number,
                    const std::string& key) {
  if (line.compare(0, key.size() + 1, key + "=") != 0) {
    throw StoreError(path + ": line " + std::to_string(number) + " should start with \"" + key +
                     "=\"; this is not a marker consentkit wrote (remove it only if you know "
                     "the database beside it is the right one)");
  }
  return line.substr(key.size() + 1);
}

std::int64_t ParseSeq(const std::string& path, const std::string& text) {
  std::int64_t seq = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (error != std::errc() || end != text.data() + text.size() || seq < 0) {
    throw StoreError(path + ": seq \"" + text.substr(0, 30) + "\" is not a count of events");
  }
  return seq;
}

}  // namespace

// "consentkit.marker", not "consentkit.db.marker": `rm consentkit.db*`, the
// way a database is deleted by hand, must not take the marker with it.
std::string MarkerPath(const std::string& db_path) {
  constexpr std::string_view kDb = ".db";
  bool db_suffix = db_path.size() > kDb.size() &&
                   db_path.compare(db_path.size() - kDb.size(), kDb.size(), kDb) == 0;
  return (db_suffix ? db_path.substr(0, db_path.size() - kDb.size()) : db_path) + ".marker";
}

std::string FormatMarker(const DatabaseMarker& m) {
  return std::string(kMarkerHeader) + "\norigin=" + m.origin + "\nseq=" + std::to_string(m.seq) +
         "\nhash=" + m.hash + "\nwritten_at=" + m.written_at + "\n";
}

std::optional<DatabaseMarker> ReadMarker(const std::string& path) {
  if (access(path.c_str(), F_OK) != 0 && errno == ENOENT) return std::nullopt;
  std::string text;
  try {
    text = ReadFile(path);
  } catch (const FileError& e) {
    throw StoreError(e.what());
  }
  std::string lines[5];
  std::size_t start = 0;
  for (std::string& line : lines) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      throw StoreError(path + ": the marker is cut short (expected 5 lines ending in newlines)");
    }
    line = text.substr(start, end - start);
    start = end + 1;
  }
  if (lines[0] != kMarkerHeader) {
    throw StoreError(path + ": does not start with \"" + kMarkerHeader +
                     "\"; this is not a marker consentkit wrote");
  }
  DatabaseMarker m;
  m.origin = ValueOf(path, lines[1], 2, "origin");
  m.seq = ParseSeq(path, ValueOf(path, lines[2], 3, "seq"));
  m.hash = ValueOf(path, lines[3], 4, "hash");
  m.written_at = ValueOf(path, lines[4], 5, "written_at");
  bool empty_chain = m.seq == 0 && m.origin.empty() && m.hash.empty();
  if (!empty_chain && !(m.seq > 0 && IsHexHash(m.origin) && IsHexHash(m.hash))) {
    throw StoreError(path + ": origin and hash must be 64 lower-case hex digits (or both empty " +
                     "with seq 0)");
  }
  return m;
}

void WriteMarker(const std::string& path, const DatabaseMarker& marker) {
  try {
    WriteFileAtomically(path, FormatMarker(marker));
  } catch (const FileError& e) {
    throw StoreError(std::string("cannot keep the database marker: ") + e.what());
  }
}

}  // namespace consentkit
