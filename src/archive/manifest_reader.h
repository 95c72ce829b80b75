// Private to the archive module: reads manifest.json without building it
// as a tree, so a manifest listing 100,000 submissions costs its text and
// one submission's fields at a time, not a Poco::JSON object per value.
#ifndef CONSENTKIT_ARCHIVE_MANIFEST_READER_H_
#define CONSENTKIT_ARCHIVE_MANIFEST_READER_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace consentkit {

// One JSON object's scalar members as text (numbers in decimal, true and
// false as words, null as ""). In an element of "submissions" or
// "definitions", an object member's scalars are kept as "<member>.<name>"
// (a submission's "review.decision"), and an array member's scalars as
// "<member>[0]", "<member>[1]", … with their count as "<member>[]" (its
// "reasons"); deeper values are left out.
using ManifestFields = std::map<std::string, std::string>;

struct Manifest {
  // format, clinic, exported_at, from, to, …; a top-level object's scalars
  // (other than audit's) as "<member>.<name>": "counts.submissions".
  ManifestFields top;
  ManifestFields audit;  // the "audit" object
  std::vector<ManifestFields> definitions;
  std::size_t submissions = 0;
};

// Parses `json`, calling `on_submission` (if set) for each element of the
// "submissions" array in order. Throws Poco::Exception (its displayText()
// says where) if `json` is not JSON or not an object.
Manifest ReadManifest(const std::string& json,
                      const std::function<void(const ManifestFields&)>& on_submission = {});

// The field's value, or "" when it is missing.
std::string Get(const ManifestFields& fields, const std::string& name);

// The array member `name` as ReadManifest flattened it ("reasons"); empty
// when missing.
std::vector<std::string> GetArray(const ManifestFields& fields, const std::string& name);

}  // namespace consentkit

#endif  // CONSENTKIT_ARCHIVE_MANIFEST_READER_H_
