// Holds a definition to XML 1.0 (with namespaces) using Poco's expat-based
// SAX parser. tinyxml2 builds the tree the loader walks, but lets through
// text that other XML tools refuse: a bare '&', an HTML entity such as
// &nbsp;, a byte that is not UTF-8. A kept definition must still open in
// those tools years later, so the loader refuses what expat refuses.
#ifndef CONSENTKIT_FORM_WELL_FORMED_H_
#define CONSENTKIT_FORM_WELL_FORMED_H_

#include <optional>
#include <string>

#include "form/source_map.h"

namespace consentkit {

// What a malformed-XML diagnostic expects when no closer hint applies.
extern const char kWellFormedXml[];

struct XmlProblem {
  SourcePosition at;
  std::string message;   // e.g. "undefined entity &nbsp;"
  std::string expected;  // what to write instead, e.g. "&amp; for a literal ampersand"
};

// The first place where `xml` is not well-formed, or nullopt if it is.
// REQUIRES: `map` was built over `xml`. No DTD or entity is fetched.
std::optional<XmlProblem> FindXmlProblem(const std::string& xml, const SourceMap& map);

}  // namespace consentkit

#endif  // CONSENTKIT_FORM_WELL_FORMED_H_
