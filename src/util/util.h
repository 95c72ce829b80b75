// Small shared helpers: hashing, whole-file I/O and text utilities.
// All functions are thread-safe (they touch no shared state).
#ifndef CONSENTKIT_UTIL_UTIL_H_
#define CONSENTKIT_UTIL_UTIL_H_

#include <ctime>
#include <stdexcept>
#include <string>
#include <string_view>

namespace consentkit {

// An operating-system failure on a named file, e.g.
// "cannot write out/packet.pdf: Permission denied".
class FileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(const std::string& data);

// Two hex digits per byte of `bytes`, most significant first. Hashes and
// ids are lower case; PDF hex strings are written in upper case.
enum class HexCase { kLower, kUpper };
std::string HexEncode(std::string_view bytes, HexCase letters = HexCase::kLower);
// HexEncode(bytes) appended to `out`, for callers that write hex in a loop.
void AppendHex(std::string& out, std::string_view bytes, HexCase letters = HexCase::kLower);

// The folder part of `path`: "a/b" for "a/b/c", "/" for "/c" and "." for
// a bare name.
std::string DirectoryOf(const std::string& path);

// Whole file as bytes. Throws FileError naming the path and the OS reason.
std::string ReadFile(const std::string& path);

// Writes all of `data` to the open file `fd`, retrying short writes and
// EINTR. False on any other failure, with errno set.
bool WriteAll(int fd, const std::string& data);

// Writes `data` to `path` so that readers see either the old file or the
// complete new one, never a partial file: writes a temporary file in the
// same directory, fsyncs it, then renames it over `path`. On failure the
// temporary is removed and FileError names `path` and the OS reason.
void WriteFileAtomically(const std::string& path, const std::string& data);

// Creates `path` and any missing parents with `mode` (existing folders are
// left as they are). Throws FileError naming the folder that failed.
void MakeDirectories(const std::string& path, unsigned mode);

// `bytes` random bytes from OpenSSL's RAND_bytes, as lower-case hex. Throws
// std::runtime_error if the system random source fails.
std::string RandomHex(std::size_t bytes);

// `seconds` since the epoch as UTC ISO 8601 to the second, the one form
// every time consentkit writes has: "2026-11-23T10:15:02Z".
std::string UtcTimeText(std::time_t seconds);
// Now, in the same form.
std::string UtcNow();
// UTF-16BE with a byte-order mark: the PDF text-string form for non-ASCII
// text. REQUIRES: valid UTF-8.
std::string Utf16BigEndian(const std::string& utf8);

// "YYYY-MM-DD" → the day after, in the same form. REQUIRES: a valid date.
std::string NextDay(const std::string& date);
// `seconds` from now (negative: ago), in the same form as UtcNow().
std::string UtcAfterSeconds(long long seconds);

// Whether some face of the record's font chain (fonts/chain.list: DejaVu
// Sans, Noto per script, Noto Sans CJK) has a glyph for `c`, less
// controls, private use and emoji. Text outside it would print as nothing
// or a box, so a record could silently differ from what a patient typed:
// validators refuse it. The table is computed at build time from the same
// font files the PDF embeds (fonts/coverage.cc), so this reads no fonts.
bool IsInRecordFont(char32_t c);

// A client-made submission id: a UUID in 8-4-4-4-12 hex form, either case.
bool IsUuid(const std::string& text);

// Collapses every run of XML white space to one space and trims both ends.
std::string CollapseWhitespace(const std::string& text);

// Decodes UTF-8 strictly (no overlong forms, surrogates or values past
// U+10FFFF). Returns false, with `out` holding what decoded before the first
// bad byte, if `text` is not valid UTF-8.
bool DecodeUtf8(const std::string& text, std::u32string& out);

// The one UTF-8 sequence at `at` (< text.size()), decoded as strictly as
// DecodeUtf8 decodes; moves `at` past it. Returns false for a sequence
// DecodeUtf8 refuses: `code` is then U+FFFD and `at` moves on by
// Utf8SequenceLength of its first byte (to the end of `text` at most), so
// text that ought to be UTF-8 can be walked whatever it holds.
bool DecodeUtf8At(std::string_view text, std::size_t& at, char32_t& code);

// Bytes in the UTF-8 sequence that starts with `lead` (1 for a stray byte).
std::size_t Utf8SequenceLength(unsigned char lead);

// Number of Unicode code points in valid UTF-8 (continuation bytes skipped).
std::size_t Utf8Length(const std::string& text);

}  // namespace consentkit

#endif  // CONSENTKIT_UTIL_UTIL_H_
