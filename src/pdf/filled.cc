#include "pdf/filled.h"

#include <algorithm>
#include <limits>

namespace consentkit {
namespace {

struct TypeSize {
  float size, leading;
};
// Tried in order until a value fits; the last one always does for the
// longest value a submission may hold (2000 characters).
constexpr TypeSize kValueSizes[] = {{10, 13}, {8, 10.5f}, {7, 9}};

bool IsBlankLine(const std::string& line) {
  return line.find_first_not_of(' ') == std::string::npos;
}

// The patient's lines, whichever line ending the tablet sent, with tabs as
// spaces (the font has no tab glyph) and blank lines at either end dropped.
std::vector<std::string> LinesOf(const std::string& text) {
  std::vector<std::string> lines(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;
    if (c == '\n' || c == '\r') {
      lines.emplace_back();
    } else {
      lines.back() += c == '\t' ? ' ' : c;
    }
  }
  while (!lines.empty() && IsBlankLine(lines.back())) lines.pop_back();
  auto first = std::find_if_not(lines.begin(), lines.end(), IsBlankLine);
  lines.erase(lines.begin(), first);
  return lines;
}

std::string JoinedWithPilcrows(const std::vector<std::string>& lines) {
  std::string joined;
  for (const std::string& line : lines) {
    if (IsBlankLine(line)) continue;
    joined += (joined.empty() ? "" : " \u00b6 ") + line;
  }
  return joined;
}

ValueText Wrapped(const Canvas& canvas, const std::vector<std::string>& lines, float width,
                  TypeSize type) {
  ValueText value;
  value.size = type.size;
  value.leading = type.leading;
  for (const std::string& line : lines) {
    for (std::string& piece : canvas.Wrap(Face::kRegular, type.size, line, width)) {
      value.lines.push_back(std::move(piece));
    }
  }
  if (value.lines.empty()) value.lines.emplace_back();
  return value;
}

}  // namespace

ValueText LayOutValue(const Canvas& canvas, const std::string& text, float width,
                      float max_height) {
  std::vector<std::string> lines = LinesOf(text);
  ValueText value = Wrapped(canvas, lines, width, kValueSizes[0]);
  if (value.Height() <= max_height) return value;
  std::vector<std::string> joined = {JoinedWithPilcrows(lines)};
  for (TypeSize type : kValueSizes) {
    value = Wrapped(canvas, joined, width, type);
    if (value.Height() <= max_height) break;
  }
  return value;
}

std::vector<Polyline> FitSignature(const Signature& signature, const PdfRect& area) {
  constexpr float kHuge = std::numeric_limits<float>::max();
  float min_x = kHuge, min_y = kHuge, max_x = -kHuge, max_y = -kHuge;
  for (const Stroke& stroke : signature.strokes) {
    for (const StrokePoint& p : stroke) {
      min_x = std::min(min_x, p.x);
      max_x = std::max(max_x, p.x);
      min_y = std::min(min_y, p.y);
      max_y = std::max(max_y, p.y);
    }
  }
  if (min_x > max_x) return {};  // no points at all
  float width = max_x - min_x, height = max_y - min_y;
  float scale = kHuge;
  if (width > 0) scale = area.width / width;
  if (height > 0) scale = std::min(scale, area.height / height);
  if (scale == kHuge) scale = 1;  // a single point: nothing to scale
  float top = area.y + (area.height + height * scale) / 2;
  std::vector<Polyline> lines;
  for (const Stroke& stroke : signature.strokes) {
    Polyline& line = lines.emplace_back();
    for (const StrokePoint& p : stroke) {
      line.push_back({area.x + (p.x - min_x) * scale, top - (p.y - min_y) * scale});
    }
  }
  return lines;
}

}  // namespace consentkit
