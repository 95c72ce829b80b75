#include "seal/pdf_reader.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>

#include "seal/seal.h"

namespace consentkit {
namespace {

// Deeper than anything libharu writes (three levels), shallow enough that
// recursion cannot exhaust the stack on a hostile file.
constexpr int kMaxDepth = 32;
// A revision's startxref sits in its last few bytes.
constexpr std::size_t kTailBytes = 1024;
constexpr std::size_t kMaxSections = 10000;
constexpr std::size_t kMaxObjectNumber = 8388607;  // PDF 32000-1:2008 annex C

bool IsWhite(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

bool IsDelimiter(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
         c == '}' || c == '/' || c == '%';
}

bool IsRegular(char c) { return !IsWhite(c) && !IsDelimiter(c); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

[[noreturn]] void Fail(const std::string& what, std::size_t at) {
  throw SealError(what + " at byte " + std::to_string(at));
}

[[noreturn]] void CutShort(std::size_t at) { Fail("the PDF is cut short", at); }

// Skips white space and comments.
std::size_t SkipWhite(const std::string& pdf, std::size_t at) {
  while (at < pdf.size()) {
    if (IsWhite(pdf[at])) {
      ++at;
    } else if (pdf[at] == '%') {
      while (at < pdf.size() && pdf[at] != '\n' && pdf[at] != '\r') ++at;
    } else {
      break;
    }
  }
  return at;
}

bool StartsWith(const std::string& pdf, std::size_t at, const char* word) {
  std::string w(word);
  return pdf.compare(at, w.size(), w) == 0;
}

// Digits only, at most 10, as libharu writes offsets, counts and object
// numbers. Leaves `at` after them.
std::size_t ReadUnsigned(const std::string& pdf, std::size_t& at) {
  at = SkipWhite(pdf, at);
  std::size_t value = 0, digits = 0;
  while (at < pdf.size() && IsDigit(pdf[at])) {
    if (++digits > 10) Fail("a number too long", at);
    value = value * 10 + static_cast<std::size_t>(pdf[at++] - '0');
  }
  if (digits == 0) {
    if (at >= pdf.size()) CutShort(at);
    Fail("expected a whole number", at);
  }
  return value;
}

std::size_t ScanRegular(const std::string& pdf, std::size_t at) {
  while (at < pdf.size() && IsRegular(pdf[at])) ++at;
  return at;
}

// After an object number: " generation R" makes it a reference.
bool ReadReferenceTail(const std::string& pdf, std::size_t& at, PdfValue& value) {
  std::size_t probe = SkipWhite(pdf, at), digits = probe;
  while (probe < pdf.size() && IsDigit(pdf[probe])) ++probe;
  if (probe == digits || probe - digits > 5 || probe >= pdf.size() || !IsWhite(pdf[probe])) {
    return false;
  }
  std::size_t generation = ReadUnsigned(pdf, digits);
  probe = SkipWhite(pdf, probe);
  if (probe >= pdf.size() || pdf[probe] != 'R' ||
      (probe + 1 < pdf.size() && IsRegular(pdf[probe + 1]))) {
    return false;
  }
  std::size_t number_at = value.begin;
  std::size_t number = ReadUnsigned(pdf, number_at);
  if (number > kMaxObjectNumber) return false;
  value.kind = PdfValue::kRef;
  value.number = static_cast<unsigned>(number);
  value.generation = static_cast<unsigned>(generation);
  at = probe + 1;
  return true;
}

void ReadNumber(const std::string& pdf, std::size_t& at, PdfValue& value) {
  at = ScanRegular(pdf, at);
  value.kind = PdfValue::kNumber;
  bool object_number = at - value.begin <= 7;  // kMaxObjectNumber has 7 digits
  for (std::size_t i = value.begin; i < at; ++i) object_number &= IsDigit(pdf[i]);
  if (object_number) ReadReferenceTail(pdf, at, value);
}

void SkipLiteralString(const std::string& pdf, std::size_t& at) {
  int open = 0;
  for (; at < pdf.size(); ++at) {
    if (pdf[at] == '\\') {
      ++at;  // whatever it escapes
    } else if (pdf[at] == '(') {
      ++open;
    } else if (pdf[at] == ')' && --open == 0) {
      ++at;
      return;
    }
  }
  CutShort(at);
}

void SkipHexString(const std::string& pdf, std::size_t& at) {
  for (++at; at < pdf.size(); ++at) {
    if (pdf[at] == '>') {
      ++at;
      return;
    }
    if (HexDigit(pdf[at]) < 0 && !IsWhite(pdf[at])) Fail("a bad hex string", at);
  }
  CutShort(at);
}

PdfValue ReadValue(const std::string& pdf, std::size_t& at, int depth);

// Reads the dictionary opening at `at` ("<<"), filling `out` if not null.
void ReadDictAt(const std::string& pdf, std::size_t& at, int depth, PdfDict* out) {
  at += 2;
  for (;;) {
    at = SkipWhite(pdf, at);
    if (at + 1 >= pdf.size()) CutShort(at);
    if (pdf[at] == '>' && pdf[at + 1] == '>') {
      at += 2;
      return;
    }
    if (pdf[at] != '/') Fail("expected a name as a dictionary key", at);
    std::size_t key_end = ScanRegular(pdf, at + 1);
    std::string key = pdf.substr(at + 1, key_end - at - 1);
    at = key_end;
    PdfValue value = ReadValue(pdf, at, depth + 1);
    if (out) out->push_back({key, value});
  }
}

void ReadArrayAt(const std::string& pdf, std::size_t& at, int depth, std::vector<PdfValue>* out) {
  ++at;
  for (;;) {
    at = SkipWhite(pdf, at);
    if (at >= pdf.size()) CutShort(at);
    if (pdf[at] == ']') {
      ++at;
      return;
    }
    PdfValue element = ReadValue(pdf, at, depth + 1);
    if (out) out->push_back(element);
  }
}

void ReadKeyword(const std::string& pdf, std::size_t& at, PdfValue& value) {
  at = ScanRegular(pdf, at);
  std::string word = pdf.substr(value.begin, at - value.begin);
  if (word == "true" || word == "false") {
    value.kind = PdfValue::kBool;
  } else if (word == "null") {
    value.kind = PdfValue::kNull;
  } else {
    Fail("unexpected \"" + word.substr(0, 20) + "\"", value.begin);
  }
}

PdfValue ReadValue(const std::string& pdf, std::size_t& at, int depth) {
  if (depth > kMaxDepth) Fail("values nested too deeply", at);
  at = SkipWhite(pdf, at);
  if (at >= pdf.size()) CutShort(at);
  PdfValue value;
  value.begin = at;
  char c = pdf[at];
  if (c == '<' && at + 1 < pdf.size() && pdf[at + 1] == '<') {
    value.kind = PdfValue::kDict;
    ReadDictAt(pdf, at, depth, nullptr);
  } else if (c == '<') {
    value.kind = PdfValue::kString;
    SkipHexString(pdf, at);
  } else if (c == '(') {
    value.kind = PdfValue::kString;
    SkipLiteralString(pdf, at);
  } else if (c == '[') {
    value.kind = PdfValue::kArray;
    ReadArrayAt(pdf, at, depth, nullptr);
  } else if (c == '/') {
    value.kind = PdfValue::kName;
    at = ScanRegular(pdf, at + 1);
  } else if (IsDigit(c) || c == '+' || c == '-' || c == '.') {
    ReadNumber(pdf, at, value);
  } else if (IsRegular(c)) {
    ReadKeyword(pdf, at, value);
  } else {
    Fail(std::string("unexpected '") + c + "'", at);
  }
  value.end = at;
  return value;
}

void AppendUtf8(char32_t code, std::string& out) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

std::string Utf16ToUtf8(const std::string& bytes) {
  std::string out;
  auto unit = [&bytes](std::size_t i) {
    return static_cast<char32_t>(static_cast<unsigned char>(bytes[i]) << 8 |
                                 static_cast<unsigned char>(bytes[i + 1]));
  };
  for (std::size_t i = 2; i + 1 < bytes.size(); i += 2) {
    char32_t code = unit(i);
    if (code >= 0xD800 && code < 0xDC00 && i + 3 < bytes.size() && unit(i + 2) >= 0xDC00 &&
        unit(i + 2) < 0xE000) {
      code = 0x10000 + ((code - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
      i += 2;
    } else if (code >= 0xD800 && code < 0xE000) {
      code = 0xFFFD;  // a lone surrogate
    }
    AppendUtf8(code, out);
  }
  return out;
}

char LiteralEscape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    default:
      return c;  // \( \) \\ and unknown escapes stand for the character
  }
}

std::string LiteralBytes(const std::string& pdf, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (pdf[i] != '\\' || i + 1 >= to) {
      out += pdf[i];
      continue;
    }
    char c = pdf[++i];
    if (c >= '0' && c <= '7') {
      int code = 0;
      for (int n = 0; n < 3 && i < to && pdf[i] >= '0' && pdf[i] <= '7'; ++n, ++i) {
        code = code * 8 + (pdf[i] - '0');
      }
      --i;
      out += static_cast<char>(code & 0xFF);
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < to && pdf[i + 1] == '\n') ++i;  // a line continuation
    } else {
      out += LiteralEscape(c);
    }
  }
  return out;
}

std::string HexBytes(const std::string& pdf, std::size_t from, std::size_t to) {
  std::string out;
  int high = -1;
  for (std::size_t i = from; i < to; ++i) {
    int digit = HexDigit(pdf[i]);
    if (digit < 0) continue;  // white space
    if (high < 0) {
      high = digit;
    } else {
      out += static_cast<char>(high * 16 + digit);
      high = -1;
    }
  }
  if (high >= 0) out += static_cast<char>(high * 16);  // an odd last digit is followed by 0
  return out;
}

struct XrefSection {
  std::vector<std::pair<unsigned, std::size_t>> entries;  // object, offset (npos: free)
  PdfDict trailer;
};

void ReadSubsection(const std::string& pdf, std::size_t& at, XrefSection& section) {
  std::size_t first = ReadUnsigned(pdf, at), count = ReadUnsigned(pdf, at);
  if (first > kMaxObjectNumber || count > kMaxObjectNumber + 1 - first) {
    Fail("a cross-reference subsection with impossible object numbers", at);
  }
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t offset = ReadUnsigned(pdf, at);
    ReadUnsigned(pdf, at);  // the generation
    at = SkipWhite(pdf, at);
    if (at >= pdf.size()) CutShort(at);
    if (pdf[at] != 'n' && pdf[at] != 'f') Fail("a bad cross-reference entry", at);
    bool in_use = pdf[at++] == 'n';
    section.entries.emplace_back(static_cast<unsigned>(first + i),
                                 in_use ? offset : std::string::npos);
  }
}

XrefSection ReadXrefSection(const std::string& pdf, std::size_t offset) {
  if (offset >= pdf.size() || !StartsWith(pdf, offset, "xref")) {
    throw SealError("byte " + std::to_string(offset) +
                    " is not a cross-reference table (\"xref\"); expected classic tables as "
                    "libharu writes them");
  }
  XrefSection section;
  std::size_t at = offset + 4;
  for (;;) {
    at = SkipWhite(pdf, at);
    if (StartsWith(pdf, at, "trailer")) break;
    ReadSubsection(pdf, at, section);
  }
  at += 7;
  PdfValue trailer = ReadValue(pdf, at, 0);
  section.trailer = ReadPdfDict(pdf, trailer, "the trailer at byte " + std::to_string(offset));
  return section;
}

// The section at `offset` and every older one its /Prev chain reaches.
std::vector<XrefSection> ReadChain(const std::string& pdf, std::size_t offset,
                                   std::vector<std::size_t>* offsets) {
  std::vector<XrefSection> sections;
  std::set<std::size_t> seen;
  for (;;) {
    if (!seen.insert(offset).second || seen.size() > kMaxSections) {
      throw SealError("the cross-reference tables' /Prev entries go round in a loop");
    }
    if (offsets) offsets->push_back(offset);
    sections.push_back(ReadXrefSection(pdf, offset));
    const PdfValue* prev = FindEntry(sections.back().trailer, "Prev");
    if (!prev) return sections;
    double at = PdfNumber(pdf, *prev, "the trailer's /Prev");
    if (!(at >= 0 && at < static_cast<double>(pdf.size()))) {
      throw SealError("the trailer's /Prev is not a byte offset in the file");
    }
    offset = static_cast<std::size_t>(at);
  }
}

}  // namespace

PdfValue ReadPdfValue(const std::string& pdf, std::size_t& at) { return ReadValue(pdf, at, 0); }

PdfDict ReadPdfDict(const std::string& pdf, const PdfValue& value, const std::string& what) {
  if (value.kind != PdfValue::kDict) throw SealError(what + " is not a dictionary");
  PdfDict dict;
  std::size_t at = value.begin;
  ReadDictAt(pdf, at, 0, &dict);
  return dict;
}

std::vector<PdfValue> ReadPdfArray(const std::string& pdf, const PdfValue& value,
                                   const std::string& what) {
  if (value.kind != PdfValue::kArray) throw SealError(what + " is not an array");
  std::vector<PdfValue> elements;
  std::size_t at = value.begin;
  ReadArrayAt(pdf, at, 0, &elements);
  return elements;
}

const PdfValue* FindEntry(const PdfDict& dict, const std::string& key) {
  for (const PdfEntry& entry : dict) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

double PdfNumber(const std::string& pdf, const PdfValue& value, const std::string& what) {
  if (value.kind != PdfValue::kNumber) throw SealError(what + " is not a number");
  std::size_t from = value.begin;
  if (pdf[from] == '+') ++from;
  double number = 0;
  auto [end, error] = std::from_chars(pdf.data() + from, pdf.data() + value.end, number);
  if (error != std::errc() || end != pdf.data() + value.end) {
    throw SealError(what + " is not a number: " + RawText(pdf, value).substr(0, 20));
  }
  return number;
}

std::string PdfName(const std::string& pdf, const PdfValue& value) {
  if (value.kind != PdfValue::kName) return "";
  return pdf.substr(value.begin + 1, value.end - value.begin - 1);
}

std::string PdfStringBytes(const std::string& pdf, const PdfValue& value) {
  if (value.kind != PdfValue::kString) return "";
  if (pdf[value.begin] == '<') return HexBytes(pdf, value.begin + 1, value.end - 1);
  return LiteralBytes(pdf, value.begin + 1, value.end - 1);
}

std::string PdfTextToUtf8(const std::string& bytes) {
  if (bytes.size() >= 2 && bytes[0] == '\xFE' && bytes[1] == '\xFF') return Utf16ToUtf8(bytes);
  std::string out;
  for (char c : bytes) AppendUtf8(static_cast<unsigned char>(c), out);
  return out;
}

bool EndsRevision(const std::string& pdf, std::size_t end) {
  auto eof_before = [&pdf](std::size_t at) {
    return at >= 5 && pdf.compare(at - 5, 5, "%%EOF") == 0;
  };
  if (end < 6 || end > pdf.size()) return false;
  if (pdf[end - 1] == '\n') {
    return eof_before(end - 1) || (pdf[end - 2] == '\r' && eof_before(end - 2));
  }
  return pdf[end - 1] == '\r' && eof_before(end - 1) && (end == pdf.size() || pdf[end] != '\n');
}

std::size_t StartXrefBefore(const std::string& pdf, std::size_t end) {
  if (end > pdf.size() || end < 9) CutShort(end);
  std::size_t keyword = pdf.rfind("startxref", end - 9);
  if (keyword == std::string::npos || end - keyword > kTailBytes) {
    throw SealError("the revision that ends at byte " + std::to_string(end) +
                    " has no startxref in its last " + std::to_string(kTailBytes) + " bytes");
  }
  std::size_t at = keyword + 9;
  std::size_t offset = ReadUnsigned(pdf, at);
  while (at < end && IsWhite(pdf[at])) ++at;
  bool ends_with_eof =
      StartsWith(pdf, at, "%%EOF") && at + 5 <= end && pdf.find_first_not_of("\r\n", at + 5) >= end;
  if (!ends_with_eof || offset >= keyword) {
    throw SealError("the revision that ends at byte " + std::to_string(end) +
                    " does not end with startxref, an offset before it and %%EOF");
  }
  return offset;
}

std::vector<std::size_t> XrefChain(const std::string& pdf, std::size_t startxref) {
  std::vector<std::size_t> offsets;
  ReadChain(pdf, startxref, &offsets);
  return offsets;
}

PdfFile::PdfFile(const std::string& pdf) : pdf_(pdf) {
  startxref_ = StartXrefBefore(pdf, pdf.size());
  std::vector<XrefSection> sections = ReadChain(pdf, startxref_, nullptr);
  for (const XrefSection& section : sections) {
    for (const auto& [number, offset] : section.entries) offsets_.emplace(number, offset);
  }
  trailer_ = sections.front().trailer;
  const PdfValue* size = FindEntry(trailer_, "Size");
  if (!size) throw SealError("the trailer has no /Size");
  double value = PdfNumber(pdf, *size, "the trailer's /Size");
  if (!(value >= 1 && value <= static_cast<double>(kMaxObjectNumber + 1))) {
    throw SealError("the trailer's /Size is out of range");
  }
  next_free_ = static_cast<unsigned>(value);
  if (!offsets_.empty()) next_free_ = std::max(next_free_, offsets_.rbegin()->first + 1);
}

PdfValue PdfFile::Object(unsigned number) const {
  auto found = offsets_.find(number);
  std::string name = "object " + std::to_string(number);
  if (found == offsets_.end() || found->second == std::string::npos) {
    throw SealError(name + " is not in the cross-reference table");
  }
  std::size_t at = found->second;
  if (at >= pdf_.size()) throw SealError(name + " is past the end of the file");
  std::size_t header = ReadUnsigned(pdf_, at);
  ReadUnsigned(pdf_, at);
  at = SkipWhite(pdf_, at);
  if (header != number || !StartsWith(pdf_, at, "obj")) {
    throw SealError("the cross-reference table puts " + name + " at byte " +
                    std::to_string(found->second) + ", which does not start it");
  }
  at += 3;
  return ReadValue(pdf_, at, 0);
}

PdfValue PdfFile::Resolve(const PdfValue& value) const {
  PdfValue resolved = value;
  for (int hops = 0; resolved.kind == PdfValue::kRef; ++hops) {
    if (hops == kMaxDepth) throw SealError("references that refer to references go on too long");
    resolved = Object(resolved.number);
  }
  return resolved;
}

PdfDict PdfFile::DictOf(const PdfValue& value, const std::string& what) const {
  return ReadPdfDict(pdf_, Resolve(value), what);
}

}  // namespace consentkit
