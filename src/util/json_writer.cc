#include "util/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "util/util.h"

namespace consentkit {

namespace {

// Bytes of the valid UTF-8 sequence starting at text[i], or 0 if none starts
// there. Client-supplied text is echoed in error messages, and those must
// stay valid JSON even when the client's bytes were not valid UTF-8.
std::size_t ValidSequenceAt(std::string_view text, std::size_t i) {
  std::size_t end = i;
  char32_t code = 0;
  return DecodeUtf8At(text, end, code) ? end - i : 0;
}

// printf's "%.*g" with the fewest digits from 6 to 9 that read back as
// `value`: the form canonical JSON, and so every stored content hash, has
// always had. to_chars and from_chars never consult the locale, so a
// decimal comma cannot creep in. REQUIRES: `value` is finite.
std::string FloatText(float value) {
  char text[32];
  char* end = text;
  for (int precision = 6; precision <= 9; ++precision) {
    end = std::to_chars(text, text + sizeof text, value, std::chars_format::general, precision).ptr;
    float back = 0;
    std::from_chars(text, end, back);
    if (back == value) break;
  }
  return std::string(text, end);
}

}  // namespace

std::string JsonQuote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::size_t length = ValidSequenceAt(text, i);
      out += length ? text.substr(i, length) : "\uFFFD";
      i += length ? length : 1;
      continue;
    }
    ++i;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
      out += escaped;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
  return out;
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!has_element_.empty()) {
    if (has_element_.back()) out_ += ',';
    has_element_.back() = true;
  }
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  has_element_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_ += '}';
  has_element_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  has_element_.push_back(false);
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_ += ']';
  has_element_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  BeforeValue();
  out_ += JsonQuote(key);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  BeforeValue();
  out_ += JsonQuote(value);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Int(long long value) {
  BeforeValue();
  out_ += std::to_string(value);
  return *this;
}

JsonWriter& JsonWriter::Float(float value) {
  BeforeValue();
  if (!std::isfinite(value)) {
    out_ += "null";  // JSON has no NaN or infinity; callers validate first
    return *this;
  }
  out_ += FloatText(value);
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  BeforeValue();
  out_ += json;
  return *this;
}

JsonWriter& JsonWriter::StringArray(const std::vector<std::string>& values) {
  BeginArray();
  for (const std::string& v : values) String(v);
  return EndArray();
}

}  // namespace consentkit
