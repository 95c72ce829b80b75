// Maps tinyxml2 nodes back to line and column in the source text.
// tinyxml2 records only line numbers, and none for attributes; messages
// such as "consent.xml:12:7" need the column too.
#ifndef CONSENTKIT_FORM_SOURCE_MAP_H_
#define CONSENTKIT_FORM_SOURCE_MAP_H_

#include <string>
#include <unordered_map>
#include <vector>

namespace tinyxml2 {
class XMLDocument;
class XMLElement;
class XMLNode;
}  // namespace tinyxml2

namespace consentkit {

struct SourcePosition {
  int line = 1;
  int column = 1;  // 1-based, counted in Unicode code points
};

class SourceMap {
 public:
  // REQUIRES: `text` outlives this object.
  explicit SourceMap(const std::string& text);

  // Records where each element's start tag begins. Call once after parsing.
  void Index(const tinyxml2::XMLDocument& doc);

  // The start of `node`'s tag; line 1 column 1 for null.
  SourcePosition PositionOf(const tinyxml2::XMLNode* node) const;
  // The attribute's name inside `element`'s start tag, or the tag itself.
  SourcePosition PositionOfAttribute(const tinyxml2::XMLElement* element,
                                     const char* attribute) const;
  // Column of the first non-blank character of `line`.
  int FirstColumnOfLine(int line) const;

  // Byte offset <-> line and column, for parsers that report positions
  // rather than nodes. OffsetOf clamps to the end of the line or the text.
  SourcePosition PositionOfOffset(std::size_t offset) const;
  std::size_t OffsetOf(SourcePosition position) const;

 private:
  std::size_t LineStart(int line) const;

  const std::string& text_;
  std::vector<std::size_t> line_starts_;
  std::unordered_map<const tinyxml2::XMLNode*, std::size_t> tag_offsets_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_FORM_SOURCE_MAP_H_
