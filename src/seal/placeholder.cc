#include "seal/placeholder.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace consentkit {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\0';
}

std::size_t SkipSpace(const std::string& pdf, std::size_t at) {
  while (at < pdf.size() && IsSpace(pdf[at])) ++at;
  return at;
}

// Where each `key` in pdf[from, to) is followed, after white space, by
// `opening` (and, for "<", not by a second "<", which would open a
// dictionary): the positions of those openings.
std::vector<std::size_t> ValuesOf(const std::string& pdf, const std::string& key, char opening,
                                  std::size_t from = 0, std::size_t to = std::string::npos) {
  std::vector<std::size_t> found;
  for (std::size_t at = pdf.find(key, from); at < to; at = pdf.find(key, at + 1)) {
    std::size_t value = SkipSpace(pdf, at + key.size());
    if (value >= pdf.size() || pdf[value] != opening) continue;
    if (opening == '<' && value + 1 < pdf.size() && pdf[value + 1] == '<') continue;
    found.push_back(value);
  }
  return found;
}

std::string CountProblem(std::size_t count, const char* what) {
  if (count == 0) return std::string("the PDF has no signature (no ") + what + ")";
  return "the PDF has " + std::to_string(count) + " signatures (" + what +
         " values); expected exactly one";
}

// Sealing checks 32 KB of placeholder per PDF, so these loops are written
// to run without a call or a branch per byte.
bool OnlyHexDigits(const std::string& pdf, std::size_t from, std::size_t to) {
  static const auto kHex = [] {
    std::array<bool, 256> table{};
    for (const char* c = "0123456789abcdefABCDEF"; *c; ++c)
      table[static_cast<unsigned char>(*c)] = true;
    return table;
  }();
  bool all = true;
  for (std::size_t i = from; i < to; ++i) all &= kHex[static_cast<unsigned char>(pdf[i])];
  return all;
}

}  // namespace

std::string FindByteRange(const std::string& pdf, SignatureSlots& slots) {
  std::vector<std::size_t> ranges = ValuesOf(pdf, "/ByteRange", '[');
  if (ranges.size() != 1) return CountProblem(ranges.size(), "/ByteRange");
  slots.range_begin = ranges[0];
  slots.range_end = pdf.find(']', ranges[0]);
  if (slots.range_end == std::string::npos) return "the /ByteRange array is cut short";
  ++slots.range_end;
  return "";
}

std::string FindSignatureSlots(const std::string& pdf, SignatureSlots& slots) {
  std::string problem = FindByteRange(pdf, slots);
  if (!problem.empty()) return problem;
  std::vector<std::size_t> contents = ValuesOf(pdf, "/Contents", '<');
  if (contents.size() != 1) return CountProblem(contents.size(), "/Contents string");
  slots.contents_begin = contents[0];
  slots.contents_end = pdf.find('>', contents[0]);
  if (slots.contents_end == std::string::npos) return "the signature value is cut short";
  ++slots.contents_end;
  if (!OnlyHexDigits(pdf, slots.contents_begin + 1, slots.contents_end - 1)) {
    return "the signature value is not a hex string";
  }
  std::size_t first = std::min(slots.range_begin, slots.contents_begin);
  std::size_t last = std::max(slots.range_begin, slots.contents_begin);
  if (pdf.find("endobj", first) < last) {
    return "the /ByteRange and the signature value are in different objects";
  }
  return "";
}

std::vector<FoundSignature> FindSignatures(const std::string& pdf) {
  std::vector<FoundSignature> found;
  for (std::size_t at : ValuesOf(pdf, "/ByteRange", '[')) {
    FoundSignature& signature = found.emplace_back();
    SignatureSlots& slots = signature.slots;
    slots.range_begin = at;
    slots.range_end = pdf.find(']', at);
    if (slots.range_end == std::string::npos) {
      signature.problem = "the /ByteRange array is cut short";
      slots.range_end = pdf.size();
      continue;
    }
    ++slots.range_end;
    std::size_t before = pdf.rfind("endobj", at);
    std::size_t object_begin = before == std::string::npos ? 0 : before + 6;
    std::size_t object_end = std::min(pdf.find("endobj", slots.range_end), pdf.size());
    std::vector<std::size_t> contents = ValuesOf(pdf, "/Contents", '<', object_begin, object_end);
    std::size_t end = contents.empty() ? std::string::npos : pdf.find('>', contents[0]);
    if (contents.size() == 1 && end != std::string::npos && end < object_end) {
      slots.contents_begin = contents[0];
      slots.contents_end = end + 1;
    }
  }
  return found;
}

bool IsUnfilled(const std::string& pdf, const SignatureSlots& slots) {
  unsigned char differs = 0;
  for (std::size_t i = slots.contents_begin + 1; i + 1 < slots.contents_end; ++i) {
    differs |= static_cast<unsigned char>(pdf[i] ^ '0');
  }
  return differs == 0;
}

bool IsHexString(const std::string& pdf, std::size_t begin, std::size_t end) {
  return end >= begin + 2 && end <= pdf.size() && pdf[begin] == '<' && pdf[end - 1] == '>' &&
         OnlyHexDigits(pdf, begin + 1, end - 1);
}

bool ParseByteRange(const std::string& pdf, const SignatureSlots& slots,
                    std::array<std::size_t, 4>& range) {
  std::size_t at = slots.range_begin + 1, end = slots.range_end - 1;  // inside [ ]
  for (std::size_t& number : range) {
    at = SkipSpace(pdf, at);
    std::size_t digits = 0;
    number = 0;
    while (at < end && std::isdigit(static_cast<unsigned char>(pdf[at])) && digits < 11) {
      number = number * 10 + static_cast<std::size_t>(pdf[at++] - '0');
      ++digits;
    }
    if (digits == 0 || digits > 10) return false;
  }
  return SkipSpace(pdf, at) == end;
}

}  // namespace consentkit
