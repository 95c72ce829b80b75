// The archive's manifest reader (archive/manifest_reader.h: ReadManifest,
// which reads manifest.json without building a tree) on arbitrary bytes,
// with a callback per submission that reads fields as verify does. It
// throws Poco::Exception (saying where) for text that is not a JSON object,
// and nothing else.
#include <Poco/Exception.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "archive/manifest_reader.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace consentkit;
  std::string json(reinterpret_cast<const char*>(data), size);
  std::size_t seen = 0;
  try {
    Manifest manifest = ReadManifest(json, [&seen](const ManifestFields& fields) {
      ++seen;
      Get(fields, "id");
      Get(fields, "review.decision");
      GetArray(fields, "reasons");
    });
    CK_FUZZ_CHECK(seen == manifest.submissions, "each submission is passed to the callback once");
    for (const ManifestFields& definition : manifest.definitions) Get(definition, "sha256");
    Get(manifest.top, "format");
    Get(manifest.audit, "last_hash");
  } catch (const Poco::Exception&) {
    // not a JSON object: the one documented refusal
  }
  return 0;
}
