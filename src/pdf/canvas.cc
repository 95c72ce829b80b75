#include "pdf/canvas.h"

#include <algorithm>
#include <cstdio>

#include "pdf/document.h"
#include "pdf/haru_internals.h"
#include "pdf/number.h"
#include "util/util.h"

namespace consentkit {

namespace {

void AppendRect(std::string& out, const PdfRect& rect) {
  AppendPoint(out, rect.x, rect.y);
  AppendPoint(out, rect.width, rect.height);
  out += "re ";
}

}  // namespace

Canvas::Canvas(Document& doc, const std::string& font_dir) : doc_(doc), font_(doc, font_dir) {
  // Registered after the font's hook, so runs after it; both only touch
  // what they own.
  doc.BeforeSave([this] { WriteContents(); });
}

std::vector<std::string> Canvas::Wrap(Face, float size, const std::string& utf8,
                                      float width) const {
  // Widths in font units add up (no kerning), so a line's width is kept as
  // it grows instead of measuring the line again for every word.
  const float limit = width * 1000.0f / size;
  const int space = font_.Units(" ");
  std::vector<std::string> lines;
  std::string line;
  int line_units = 0;
  std::size_t start = 0;
  while (start < utf8.size()) {
    std::size_t end = utf8.find(' ', start);
    if (end == std::string::npos) end = utf8.size();
    std::string word = utf8.substr(start, end - start);
    start = end + 1;
    int word_units = font_.Units(word);
    int candidate = line.empty() ? word_units : line_units + space + word_units;
    if (static_cast<float>(candidate) <= limit) {
      if (!line.empty()) line += ' ';
      line += word;
      line_units = candidate;
      continue;
    }
    if (!line.empty()) lines.push_back(line);
    line.clear();
    line_units = 0;
    if (static_cast<float>(word_units) <= limit) {
      line = word;
      line_units = word_units;
    } else {
      BreakLongWord(Face::kRegular, size, word, width, lines);
      line = lines.back();
      line_units = font_.Units(line);
      lines.pop_back();
    }
  }
  lines.push_back(line);
  return lines;
}

std::string Canvas::Ellipsize(Face face, float size, const std::string& utf8, float width) const {
  if (TextWidth(face, size, utf8) <= width) return utf8;
  std::string fitted;
  for (std::size_t i = 0; i < utf8.size();) {
    std::size_t n = Utf8SequenceLength(static_cast<unsigned char>(utf8[i]));
    std::string next = fitted + utf8.substr(i, n);
    if (TextWidth(face, size, next + "\u2026") > width) break;
    fitted = next;
    i += n;
  }
  return fitted + "\u2026";
}

void Canvas::BreakLongWord(Face face, float size, const std::string& word, float width,
                           std::vector<std::string>& lines) const {
  std::string piece;
  for (std::size_t i = 0; i < word.size();) {
    std::size_t n = Utf8SequenceLength(static_cast<unsigned char>(word[i]));
    std::string next = piece + word.substr(i, n);
    if (!piece.empty() && TextWidth(face, size, next) > width) {
      lines.push_back(piece);
      next = word.substr(i, n);
    }
    piece = next;
    i += n;
  }
  lines.push_back(piece);
}

void Canvas::WriteContents() {
  for (auto& [page, content] : pages_) {
    std::string all;
    if (content.harus.empty() && haru::DrawnSize(page) == 0) {
      all.swap(content.ops);
    } else {
      std::string harus = haru::DrawnBytes(page);
      std::size_t done = 0, spliced = 0;
      for (const PageContent::Splice& splice : content.harus) {
        spliced += splice.to - splice.from;
        all.append(content.ops, done, splice.at - done);
        all.append(harus, splice.from, splice.to - splice.from);
        done = splice.at;
      }
      all.append(content.ops, done, std::string::npos);
      if (spliced != harus.size()) {
        throw PdfError("a page's content was written past Canvas; it would be lost");
      }
    }
    doc_.SetContent(haru::PageContents(page), all);
  }
  pages_.clear();
}

void Canvas::Text(HPDF_Page page, float x, float baseline, Face face, float size,
                  const std::string& utf8, Color color) {
  auto name_of = [page](HPDF_Dict dict) {
    const char* name = haru::FontResourceName(page, dict);
    if (!name) throw PdfError("cannot add an embedded font to a page's resources");
    return std::string(name);
  };
  AppendShapedText(Content(page), font_, {"", face, size, x, baseline, color}, name_of, utf8);
}

std::string Canvas::AppearanceText(const std::string& utf8, float size, float x, float baseline,
                                   std::vector<std::pair<std::string, HPDF_Dict>>& fonts) {
  auto name_of = [&fonts](HPDF_Dict dict) {
    for (const auto& [name, font] : fonts) {
      if (font == dict) return name;
    }
    fonts.emplace_back("CK" + std::to_string(fonts.size()), dict);
    return fonts.back().first;
  };
  std::string ops;
  font_.AppendLine(ops, utf8, size, x, baseline, name_of);
  return ops;
}

void Canvas::TextRight(HPDF_Page page, float right, float baseline, Face face, float size,
                       const std::string& utf8, Color color) {
  Text(page, right - TextWidth(face, size, utf8), baseline, face, size, utf8, color);
}

void Canvas::FillRect(HPDF_Page page, const PdfRect& rect, Color fill) {
  std::string& ops = Content(page);
  AppendRgb(ops, fill, "rg ");
  AppendRect(ops, rect);
  ops += "f\n";
}

void Canvas::StrokeRect(HPDF_Page page, const PdfRect& rect, Color stroke, float line_width) {
  std::string& ops = Content(page);
  AppendStrokeStyle(ops, stroke, line_width);
  AppendRect(ops, rect);
  ops += "S\n";
}

void Canvas::Line(HPDF_Page page, float x1, float y1, float x2, float y2, Color stroke,
                  float line_width) {
  std::string& ops = Content(page);
  AppendStrokeStyle(ops, stroke, line_width);
  AppendPoint(ops, x1, y1);
  ops += "m ";
  AppendPoint(ops, x2, y2);
  ops += "l S\n";
}

void Canvas::Circle(HPDF_Page page, float cx, float cy, float radius, Color stroke,
                    float line_width) {
  std::string& ops = Content(page);
  AppendStrokeStyle(ops, stroke, line_width);
  AppendCircle(ops, cx, cy, radius);
  ops += "S\n";
}

void Canvas::Polylines(HPDF_Page page, const std::vector<Polyline>& lines, Color stroke,
                       float line_width) {
  // Inside q/Q so that the round caps do not leak into later lines.
  std::string& ops = Content(page);
  ops += "q ";
  AppendStrokeStyle(ops, stroke, line_width);
  ops += "1 J 1 j\n";
  for (const Polyline& line : lines) {
    if (line.empty()) continue;
    AppendPoint(ops, line.front().x, line.front().y);
    ops += "m";
    for (std::size_t i = line.size() > 1 ? 1 : 0; i < line.size(); ++i) {
      ops += ' ';
      AppendPoint(ops, line[i].x, line[i].y);
      ops += 'l';
    }
    ops += '\n';
  }
  ops += "S Q\n";
}

void Canvas::Tick(HPDF_Page page, const PdfRect& box, Color stroke) {
  auto at = [&box](float fx, float fy) {
    return PdfPoint{box.x + fx * box.width, box.y + fy * box.height};
  };
  Polylines(page, {{at(0.22f, 0.52f), at(0.42f, 0.26f), at(0.80f, 0.78f)}}, stroke, 1.6f);
}

void Canvas::Dot(HPDF_Page page, const PdfRect& box, Color fill) {
  std::string& ops = Content(page);
  AppendRgb(ops, fill, "rg ");
  AppendCircle(ops, box.x + box.width / 2, box.y + box.height / 2,
               0.27f * std::min(box.width, box.height));
  ops += "f\n";
}

HPDF_Image Canvas::LoadPng(const std::string& path) {
  if (std::FILE* probe = std::fopen(path.c_str(), "rb")) {
    std::fclose(probe);
  } else {
    throw PdfError("cannot open image " + path);
  }
  HPDF_Image image = HPDF_LoadPngImageFromFile(doc_.handle(), path.c_str());
  doc_.Check(("loading image " + path + " (expected a PNG file)").c_str());
  return image;
}

float Canvas::DrawImage(HPDF_Page page, HPDF_Image image, float x, float y, float height) {
  float width = height * static_cast<float>(HPDF_Image_GetWidth(image)) /
                static_cast<float>(HPDF_Image_GetHeight(image));
  PageContent& content = pages_[page];
  std::size_t from = haru::DrawnSize(page);
  HPDF_Page_DrawImage(page, image, x, y, width, height);
  content.harus.push_back({content.ops.size(), from, haru::DrawnSize(page)});
  return width;
}

}  // namespace consentkit
