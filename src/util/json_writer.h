// A small streaming JSON writer with one fixed output form: no spaces, keys
// in the order written, strings escaped per RFC 8259 with UTF-8 passed
// through. The fixed form is what makes a submission's canonical text (and
// so its content hash) independent of how the client formatted it.
#ifndef CONSENTKIT_UTIL_JSON_WRITER_H_
#define CONSENTKIT_UTIL_JSON_WRITER_H_

#include <string>
#include <string_view>
#include <vector>

namespace consentkit {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Bool(bool value);
  JsonWriter& Int(long long value);
  // Shortest of "%.6g" to "%.9g" that reads back as the same float, with a
  // decimal point whatever the locale; null for NaN and infinities.
  JsonWriter& Float(float value);
  JsonWriter& Null();
  // `json` as the next value, unchanged. REQUIRES: it is one valid JSON value.
  JsonWriter& Raw(std::string_view json);
  // Convenience: Key(key) then the value.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& StringArray(const std::vector<std::string>& values);

  const std::string& str() const { return out_; }

 private:
  void BeforeValue();
  std::string out_;
  // Per open container: whether it already holds an element (for commas).
  std::vector<bool> has_element_;
  bool after_key_ = false;
};

// `text` as a quoted JSON string.
std::string JsonQuote(std::string_view text);

}  // namespace consentkit

#endif  // CONSENTKIT_UTIL_JSON_WRITER_H_
