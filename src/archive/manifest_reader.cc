#include "archive/manifest_reader.h"

#include <Poco/JSON/Handler.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>

namespace consentkit {
namespace {

// Poco's parser calls these as it reads. Depth 1 is the manifest object,
// depth 2 its "submissions" and "definitions" arrays and "audit" object,
// depth 3 the objects inside those arrays, depth 4 an object inside one of
// those (a submission's "review" and "witness", or its "reasons" array).
class ManifestHandler : public Poco::JSON::Handler {
 public:
  explicit ManifestHandler(const std::function<void(const ManifestFields&)>& on_submission)
      : on_submission_(on_submission) {}

  Manifest manifest;

  void reset() override {
    manifest = Manifest();
    depth_ = 0;
    section_ = Section::kTop;
  }
  void startObject() override { Enter(true); }
  void startArray() override { Enter(false); }
  void endObject() override { Leave(); }
  void endArray() override { Leave(); }
  void key(const std::string& k) override { key_ = k; }
  void null() override { Scalar(""); }
  void value(int v) override { Scalar(std::to_string(v)); }
  void value(unsigned v) override { Scalar(std::to_string(v)); }
  void value(Poco::Int64 v) override { Scalar(std::to_string(v)); }
  void value(Poco::UInt64 v) override { Scalar(std::to_string(v)); }
  void value(const std::string& v) override { Scalar(v); }
  void value(double v) override { Scalar(std::to_string(v)); }
  void value(bool v) override { Scalar(v ? "true" : "false"); }

 private:
  enum class Section { kTop, kSubmissions, kDefinitions, kAudit, kOther };

  void Enter(bool object) {
    ++depth_;
    if (depth_ == 4) {
      prefix_ = object ? key_ + "." : "";
      array_key_ = object ? "" : key_;
      if (!object) current_[array_key_ + "[]"] = "0";
    }
    if (depth_ == 2) {
      section_ = key_ == "submissions"   ? Section::kSubmissions
                 : key_ == "definitions" ? Section::kDefinitions
                 : key_ == "audit"       ? Section::kAudit
                                         : Section::kOther;
      other_prefix_ = object ? key_ + "." : "";
    }
    if (depth_ == 3) current_.clear();
  }

  void Leave() {
    if (depth_ == 3 && section_ == Section::kSubmissions) {
      ++manifest.submissions;
      if (on_submission_) on_submission_(current_);
    } else if (depth_ == 3 && section_ == Section::kDefinitions) {
      manifest.definitions.push_back(current_);
    }
    if (depth_ == 2) section_ = Section::kTop;
    --depth_;
  }

  void Scalar(const std::string& text) {
    if (depth_ == 1) {
      manifest.top[key_] = text;
    } else if (depth_ == 2 && section_ == Section::kAudit) {
      manifest.audit[key_] = text;
    } else if (depth_ == 2 && section_ == Section::kOther && !other_prefix_.empty()) {
      manifest.top[other_prefix_ + key_] = text;
    } else if (depth_ == 3) {
      current_[key_] = text;
    } else if (depth_ == 4 && !prefix_.empty()) {
      current_[prefix_ + key_] = text;
    } else if (depth_ == 4 && !array_key_.empty()) {
      std::string& count = current_[array_key_ + "[]"];
      current_[array_key_ + "[" + count + "]"] = text;
      count = std::to_string(std::stoul(count) + 1);
    }
  }

  const std::function<void(const ManifestFields&)>& on_submission_;
  int depth_ = 0;
  Section section_ = Section::kTop;
  std::string key_;
  std::string prefix_;        // "review." inside a depth-4 object; empty in an array
  std::string array_key_;     // "reasons" inside a depth-4 array; empty in an object
  std::string other_prefix_;  // "counts." inside another depth-2 object
  ManifestFields current_;
};

}  // namespace

Manifest ReadManifest(const std::string& json,
                      const std::function<void(const ManifestFields&)>& on_submission) {
  auto* handler = new ManifestHandler(on_submission);
  Poco::JSON::Handler::Ptr owned(handler);  // the parser shares ownership
  Poco::JSON::Parser parser(owned);
  parser.parse(json);
  return handler->manifest;
}

std::string Get(const ManifestFields& fields, const std::string& name) {
  auto found = fields.find(name);
  return found == fields.end() ? "" : found->second;
}

std::vector<std::string> GetArray(const ManifestFields& fields, const std::string& name) {
  std::vector<std::string> values;
  std::size_t count = 0;
  try {
    count = std::stoul(Get(fields, name + "[]"));
  } catch (const std::exception&) {
    return values;  // missing
  }
  count = std::min(count, fields.size());  // a forged count cannot make us loop
  for (std::size_t i = 0; i < count; ++i)
    values.push_back(Get(fields, name + "[" + std::to_string(i) + "]"));
  return values;
}

}  // namespace consentkit
