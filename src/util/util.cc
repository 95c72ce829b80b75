#include "util/util.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <ctime>

#include "text/font_chain_data.h"

namespace consentkit {
namespace {

std::string OsError(const std::string& what, const std::string& path, int err) {
  return what + " " + path + ": " + std::strerror(err);
}

// Makes the rename itself durable. Best effort: some file systems refuse
// fsync on directories, and the data is already safely in the file.
void SyncDirectory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

std::string DirectoryOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool WriteAll(int fd, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

void AppendHex(std::string& out, std::string_view bytes, HexCase letters) {
  const char* digits = letters == HexCase::kUpper ? "0123456789ABCDEF" : "0123456789abcdef";
  for (char c : bytes) {
    auto byte = static_cast<unsigned char>(c);
    out += digits[byte >> 4];
    out += digits[byte & 0xF];
  }
}

std::string HexEncode(std::string_view bytes, HexCase letters) {
  std::string hex;
  hex.reserve(2 * bytes.size());
  AppendHex(hex, bytes, letters);
  return hex;
}

// With read(2), not an ifstream: a stream opens a folder and then reads it
// as empty, where read(2) says EISDIR.
std::string ReadFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw FileError(OsError("cannot read", path, errno));
  std::string bytes;
  char buffer[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      throw FileError(OsError("cannot read", path, err));
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

void WriteFileAtomically(const std::string& path, const std::string& data) {
  std::string temp = DirectoryOf(path) + "/.consentkit-XXXXXX";
  int fd = ::mkstemp(temp.data());
  if (fd < 0) throw FileError(OsError("cannot write", path, errno));
  bool written = WriteAll(fd, data) && ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
  int err = errno;
  if (::close(fd) != 0 && written) {
    written = false;
    err = errno;
  }
  if (written && ::rename(temp.c_str(), path.c_str()) != 0) {
    written = false;
    err = errno;
  }
  if (!written) {
    ::unlink(temp.c_str());
    throw FileError(OsError("cannot write", path, err));
  }
  SyncDirectory(DirectoryOf(path));
}

std::string RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("the system random source failed");
  }
  return HexEncode(raw);
}

std::string NextDay(const std::string& date) {
  std::tm day{};
  day.tm_year = std::stoi(date.substr(0, 4)) - 1900;
  day.tm_mon = std::stoi(date.substr(5, 2)) - 1;
  day.tm_mday = std::stoi(date.substr(8, 2)) + 1;
  std::time_t t = timegm(&day);
  std::tm next{};
  gmtime_r(&t, &next);
  char text[16];
  std::strftime(text, sizeof text, "%Y-%m-%d", &next);
  return text;
}

std::string Utf16BigEndian(const std::string& utf8) {
  std::u32string codes;
  DecodeUtf8(utf8, codes);
  std::string out = "\xFE\xFF";
  auto put = [&out](char32_t unit) {
    out += static_cast<char>(unit >> 8);
    out += static_cast<char>(unit & 0xFF);
  };
  for (char32_t code : codes) {
    if (code >= 0x10000) {
      put(0xD800 + ((code - 0x10000) >> 10));
      put(0xDC00 + ((code - 0x10000) & 0x3FF));
    } else {
      put(code);
    }
  }
  return out;
}

std::string UtcTimeText(std::time_t seconds) {
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string UtcNow() { return UtcAfterSeconds(0); }

std::string UtcAfterSeconds(long long seconds) {
  return UtcTimeText(std::time(nullptr) + static_cast<std::time_t>(seconds));
}

void MakeDirectories(const std::string& path, unsigned mode) {
  for (std::size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && mkdir(prefix.c_str(), static_cast<mode_t>(mode)) != 0 &&
        errno != EEXIST) {
      throw FileError("cannot create folder " + prefix + ": " + std::strerror(errno));
    }
    if (slash == std::string::npos) break;
  }
  struct stat info {};
  if (stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    throw FileError("cannot use " + path + " as a folder: it is not one");
  }
}

bool IsInRecordFont(char32_t c) {
  // The build's table (fonts/coverage.cc): ascending, disjoint ranges.
  const font_chain::CodeRange* begin = font_chain::kPrintable;
  const font_chain::CodeRange* end = begin + font_chain::kPrintableCount;
  const auto* range = std::upper_bound(
      begin, end, c, [](char32_t code, const font_chain::CodeRange& r) { return code < r.first; });
  return range != begin && c <= (range - 1)->last;
}

bool IsUuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (text[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::string CollapseWhitespace(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

bool DecodeUtf8At(std::string_view text, std::size_t& at, char32_t& code) {
  static const char32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
  auto lead = static_cast<unsigned char>(text[at]);
  std::size_t start = at;
  at = std::min(text.size(), start + Utf8SequenceLength(lead));
  code = 0xFFFD;
  std::size_t extra = lead < 0x80           ? 0
                      : (lead >> 5) == 0x6  ? 1
                      : (lead >> 4) == 0xE  ? 2
                      : (lead >> 3) == 0x1E ? 3
                                            : 4;
  if (extra == 4 || start + extra >= text.size()) return false;
  char32_t decoded = extra == 0 ? lead : lead & (0x3Fu >> extra);
  for (std::size_t k = 1; k <= extra; ++k) {
    auto next = static_cast<unsigned char>(text[start + k]);
    if ((next & 0xC0) != 0x80) return false;
    decoded = (decoded << 6) | (next & 0x3Fu);
  }
  if (decoded < kMinimum[extra] || decoded > 0x10FFFF || (decoded >= 0xD800 && decoded <= 0xDFFF)) {
    return false;
  }
  code = decoded;
  return true;
}

bool DecodeUtf8(const std::string& text, std::u32string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size();) {
    char32_t code = 0;
    if (!DecodeUtf8At(text, i, code)) return false;
    out += code;
  }
  return true;
}

std::size_t Utf8SequenceLength(unsigned char lead) {
  return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}

std::size_t Utf8Length(const std::string& text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace consentkit
