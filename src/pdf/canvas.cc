#include "pdf/canvas.h"

#include <algorithm>
#include <cstdio>

#include "pdf/document.h"
#include "util/util.h"

namespace consentkit {

Canvas::Canvas(Document& doc, const std::string& font_dir)
    : doc_(doc), regular_(doc.LoadFont(font_dir + "/ConsentKitSans.ttf")) {}

float Canvas::TextWidth(Face face, float size, const std::string& utf8) const {
  HPDF_TextWidth width =
      HPDF_Font_TextWidth(FontOf(face), reinterpret_cast<const HPDF_BYTE*>(utf8.c_str()),
                          static_cast<HPDF_UINT>(utf8.size()));
  return static_cast<float>(width.width) * size / 1000.0f;
}

std::vector<std::string> Canvas::Wrap(Face face, float size, const std::string& utf8,
                                      float width) const {
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start < utf8.size()) {
    std::size_t end = utf8.find(' ', start);
    if (end == std::string::npos) end = utf8.size();
    std::string word = utf8.substr(start, end - start);
    start = end + 1;
    std::string candidate = line.empty() ? word : line + " " + word;
    if (TextWidth(face, size, candidate) <= width) {
      line = candidate;
      continue;
    }
    if (!line.empty()) lines.push_back(line);
    line.clear();
    if (TextWidth(face, size, word) <= width) {
      line = word;
    } else {
      BreakLongWord(face, size, word, width, lines);
      line = lines.back();
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

void Canvas::Text(HPDF_Page page, float x, float baseline, Face face, float size,
                  const std::string& utf8, Color color) {
  HPDF_Page_GSave(page);
  HPDF_Page_SetRGBFill(page, color.r, color.g, color.b);
  if (face == Face::kBold) {
    HPDF_Page_SetRGBStroke(page, color.r, color.g, color.b);
    HPDF_Page_SetLineWidth(page, size * kBoldStroke);
  }
  HPDF_Page_BeginText(page);
  if (face == Face::kBold) HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
  HPDF_Page_SetFontAndSize(page, FontOf(face), size);
  HPDF_Page_TextOut(page, x, baseline, utf8.c_str());
  HPDF_Page_EndText(page);
  HPDF_Page_GRestore(page);
}

void Canvas::TextRight(HPDF_Page page, float right, float baseline, Face face, float size,
                       const std::string& utf8, Color color) {
  Text(page, right - TextWidth(face, size, utf8), baseline, face, size, utf8, color);
}

void Canvas::FillRect(HPDF_Page page, const PdfRect& rect, Color fill) {
  HPDF_Page_SetRGBFill(page, fill.r, fill.g, fill.b);
  HPDF_Page_Rectangle(page, rect.x, rect.y, rect.width, rect.height);
  HPDF_Page_Fill(page);
}

void Canvas::StrokeRect(HPDF_Page page, const PdfRect& rect, Color stroke, float line_width) {
  HPDF_Page_SetRGBStroke(page, stroke.r, stroke.g, stroke.b);
  HPDF_Page_SetLineWidth(page, line_width);
  HPDF_Page_Rectangle(page, rect.x, rect.y, rect.width, rect.height);
  HPDF_Page_Stroke(page);
}

void Canvas::Line(HPDF_Page page, float x1, float y1, float x2, float y2, Color stroke,
                  float line_width) {
  HPDF_Page_SetRGBStroke(page, stroke.r, stroke.g, stroke.b);
  HPDF_Page_SetLineWidth(page, line_width);
  HPDF_Page_MoveTo(page, x1, y1);
  HPDF_Page_LineTo(page, x2, y2);
  HPDF_Page_Stroke(page);
}

void Canvas::Circle(HPDF_Page page, float cx, float cy, float radius, Color stroke,
                    float line_width) {
  HPDF_Page_SetRGBStroke(page, stroke.r, stroke.g, stroke.b);
  HPDF_Page_SetLineWidth(page, line_width);
  HPDF_Page_Circle(page, cx, cy, radius);
  HPDF_Page_Stroke(page);
}

void Canvas::Polylines(HPDF_Page page, const std::vector<Polyline>& lines, Color stroke,
                       float line_width) {
  // Saved and restored so that the round caps do not leak into later lines.
  HPDF_Page_GSave(page);
  HPDF_Page_SetRGBStroke(page, stroke.r, stroke.g, stroke.b);
  HPDF_Page_SetLineWidth(page, line_width);
  HPDF_Page_SetLineCap(page, HPDF_ROUND_END);
  HPDF_Page_SetLineJoin(page, HPDF_ROUND_JOIN);
  for (const Polyline& line : lines) {
    if (line.empty()) continue;
    HPDF_Page_MoveTo(page, line.front().x, line.front().y);
    for (std::size_t i = line.size() > 1 ? 1 : 0; i < line.size(); ++i) {
      HPDF_Page_LineTo(page, line[i].x, line[i].y);
    }
  }
  HPDF_Page_Stroke(page);
  HPDF_Page_GRestore(page);
}

void Canvas::Tick(HPDF_Page page, const PdfRect& box, Color stroke) {
  auto at = [&box](float fx, float fy) {
    return PdfPoint{box.x + fx * box.width, box.y + fy * box.height};
  };
  Polylines(page, {{at(0.22f, 0.52f), at(0.42f, 0.26f), at(0.80f, 0.78f)}}, stroke, 1.6f);
}

void Canvas::Dot(HPDF_Page page, const PdfRect& box, Color fill) {
  HPDF_Page_SetRGBFill(page, fill.r, fill.g, fill.b);
  HPDF_Page_Circle(page, box.x + box.width / 2, box.y + box.height / 2,
                   0.27f * std::min(box.width, box.height));
  HPDF_Page_Fill(page);
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
  HPDF_Page_DrawImage(page, image, x, y, width, height);
  return width;
}

}  // namespace consentkit
