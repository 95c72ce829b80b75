#include "form/well_formed.h"

#include <Poco/Exception.h>
#include <Poco/SAX/DefaultHandler.h>
#include <Poco/SAX/SAXException.h>
#include <Poco/SAX/SAXParser.h>

#include <cctype>

#include "util/util.h"

namespace consentkit {

const char kWellFormedXml[] =
    "well-formed XML (every tag closed, attributes quoted, & written as &amp;)";

namespace {

constexpr std::size_t kMaxEntityName = 32;

// Poco words expat's error as "Undefined entity in line 3 column 7"; the
// position comes separately, so keep the words before it, in lower case.
std::string Reason(const Poco::XML::SAXParseException& e) {
  std::string reason = e.message().substr(0, e.message().rfind(" in "));
  if (!reason.empty()) reason[0] = static_cast<char>(std::tolower(reason[0]));
  return reason;
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '#' || c == '.' || c == '-' ||
         c == '_' || c == ':';
}

// The '&' that starts the reference expat stopped in, if it stopped in one.
std::optional<std::size_t> AmpersandBefore(const std::string& xml, std::size_t offset) {
  for (std::size_t at = offset, steps = 0; at > 0 && steps <= kMaxEntityName; --at, ++steps) {
    char c = xml[at - 1];
    if (c == '&') return at - 1;
    if (!IsNameChar(c)) break;
  }
  return std::nullopt;
}

bool StartsBadUtf8(const std::string& xml, std::size_t offset) {
  if (offset >= xml.size() || static_cast<unsigned char>(xml[offset]) < 0x80) return false;
  std::u32string decoded;
  std::size_t length = Utf8SequenceLength(static_cast<unsigned char>(xml[offset]));
  return !DecodeUtf8(xml.substr(offset, length), decoded);
}

// Turns expat's verdict into what a clinic's editor can act on: the common
// slips (HTML habits, a stray '&' or '<', a file saved as Latin-1) get
// their own hint, pointing at the character that started the problem.
XmlProblem Explain(const std::string& xml, const SourceMap& map, const std::string& reason,
                   std::size_t offset) {
  XmlProblem problem{map.PositionOfOffset(offset), reason, kWellFormedXml};
  if (reason == "undefined entity") {
    std::size_t end = xml.find(';', offset);
    if (end != std::string::npos && end - offset <= kMaxEntityName) {
      problem.message += " \"" + xml.substr(offset, end - offset + 1) + "\"";
    }
    problem.expected =
        "&amp; for a literal ampersand, or one of XML's own entities (&lt; &gt; &quot; &apos;) "
        "or a character reference such as &#160; (HTML names such as &nbsp; are not XML)";
  } else if (reason != "invalid token") {
    return problem;
  } else if (StartsBadUtf8(xml, offset)) {
    problem.message = "a byte that is not UTF-8";
    problem.expected = "UTF-8 text (save the file as UTF-8)";
  } else if (auto ampersand = AmpersandBefore(xml, offset)) {
    problem = {map.PositionOfOffset(*ampersand), "'&' that starts no entity reference",
               "&amp; for a literal ampersand"};
  } else if (offset > 0 && xml[offset - 1] == '<') {
    problem = {map.PositionOfOffset(offset - 1), "'<' that starts no tag",
               "&lt; for a literal less-than sign"};
  }
  return problem;
}

}  // namespace

std::optional<XmlProblem> FindXmlProblem(const std::string& xml, const SourceMap& map) {
  Poco::XML::SAXParser parser;       // external entities stay off: nothing is fetched
  Poco::XML::DefaultHandler ignore;  // only the verdict matters
  parser.setContentHandler(&ignore);
  try {
    parser.parseMemoryNP(xml.data(), xml.size());
    return std::nullopt;
  } catch (const Poco::XML::SAXParseException& e) {
    // expat counts columns from 0, in characters; SourcePosition from 1.
    std::size_t offset = map.OffsetOf({e.getLineNumber(), e.getColumnNumber() + 1});
    return Explain(xml, map, Reason(e), offset);
  } catch (const Poco::Exception& e) {  // out of memory, an unknown encoding
    return XmlProblem{{}, e.displayText(), kWellFormedXml};
  }
}

}  // namespace consentkit
