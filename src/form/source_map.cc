#include "form/source_map.h"

#include <tinyxml2.h>

#include <algorithm>

#include "util/util.h"

namespace consentkit {
namespace {

bool IsNameEnd(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/';
}

// Finds "<name" followed by a name terminator, at or after `from`.
std::size_t FindStartTag(const std::string& text, const std::string& name, std::size_t from) {
  std::string needle = "<" + name;
  for (std::size_t at = text.find(needle, from); at != std::string::npos;
       at = text.find(needle, at + 1)) {
    std::size_t end = at + needle.size();
    if (end >= text.size() || IsNameEnd(text[end])) return at;
  }
  return std::string::npos;
}

}  // namespace

SourceMap::SourceMap(const std::string& text) : text_(text) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') line_starts_.push_back(i + 1);
  }
}

std::size_t SourceMap::LineStart(int line) const {
  std::size_t index = static_cast<std::size_t>(std::max(line, 1) - 1);
  return index < line_starts_.size() ? line_starts_[index] : text_.size();
}

// Start tags appear in the text in document order, so one forward cursor
// finds each element's tag; starting no earlier than the line tinyxml2
// reports keeps a stray "<name" in an earlier comment from matching.
void SourceMap::Index(const tinyxml2::XMLDocument& doc) {
  std::size_t cursor = 0;
  const tinyxml2::XMLElement* e = doc.RootElement();
  while (e) {
    std::size_t from = std::max(cursor, LineStart(e->GetLineNum()));
    std::size_t at = FindStartTag(text_, e->Name(), from);
    if (at != std::string::npos) {
      tag_offsets_[e] = at;
      cursor = at + 1;
    }
    if (e->FirstChildElement()) {
      e = e->FirstChildElement();
      continue;
    }
    while (e && !e->NextSiblingElement()) {
      e = e->Parent() ? e->Parent()->ToElement() : nullptr;
    }
    if (e) e = e->NextSiblingElement();
  }
}

SourcePosition SourceMap::PositionOfOffset(std::size_t offset) const {
  auto next = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  std::size_t line_index = static_cast<std::size_t>(next - line_starts_.begin()) - 1;
  SourcePosition pos;
  pos.line = static_cast<int>(line_index + 1);
  std::size_t start = line_starts_[line_index];
  pos.column = 1 + static_cast<int>(Utf8Length(text_.substr(start, offset - start)));
  return pos;
}

std::size_t SourceMap::OffsetOf(SourcePosition position) const {
  std::size_t at = LineStart(position.line);
  for (int column = 1; column < position.column && at < text_.size() && text_[at] != '\n';
       ++column) {
    at += Utf8SequenceLength(static_cast<unsigned char>(text_[at]));
  }
  return std::min(at, text_.size());
}

SourcePosition SourceMap::PositionOf(const tinyxml2::XMLNode* node) const {
  if (!node) return {};
  auto found = tag_offsets_.find(node);
  if (found != tag_offsets_.end()) return PositionOfOffset(found->second);
  return {std::max(node->GetLineNum(), 1), 1};
}

SourcePosition SourceMap::PositionOfAttribute(const tinyxml2::XMLElement* element,
                                              const char* attribute) const {
  auto found = tag_offsets_.find(element);
  if (found == tag_offsets_.end()) return PositionOf(element);
  std::size_t tag_end = text_.find('>', found->second);
  std::string name = attribute;
  for (std::size_t at = text_.find(name, found->second); at < tag_end;
       at = text_.find(name, at + 1)) {
    bool starts_name = at > 0 && (text_[at - 1] == ' ' || text_[at - 1] == '\t' ||
                                  text_[at - 1] == '\n' || text_[at - 1] == '\r');
    std::size_t after = text_.find_first_not_of(" \t\r\n", at + name.size());
    if (starts_name && after != std::string::npos && text_[after] == '=') {
      return PositionOfOffset(at);
    }
  }
  return PositionOfOffset(found->second);
}

int SourceMap::FirstColumnOfLine(int line) const {
  std::size_t start = LineStart(line);
  std::size_t first = text_.find_first_not_of(" \t", start);
  if (first == std::string::npos || first > text_.find('\n', start)) return 1;
  return PositionOfOffset(first).column;
}

}  // namespace consentkit
