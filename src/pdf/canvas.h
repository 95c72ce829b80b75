// Text measurement and drawing primitives over libharu pages, in points
// with the origin at the bottom-left of the page.
//
// Owns the embedded font of one Document; not thread-safe.
#ifndef CONSENTKIT_PDF_CANVAS_H_
#define CONSENTKIT_PDF_CANVAS_H_

#include <hpdf.h>

#include <map>
#include <string>
#include <vector>

#include "pdf/acroform.h"
#include "pdf/content_stream.h"
#include "pdf/font.h"

namespace consentkit {

class Document;

struct PdfPoint {
  float x, y;
};
using Polyline = std::vector<PdfPoint>;

class Canvas {
 public:
  // Embeds the font chain of `font_dir` (fonts/chain.list; each face
  // parsed once per process, embedded when a page shows it). Throws
  // PdfError if its first face is missing or unreadable.
  Canvas(Document& doc, const std::string& font_dir);

  // The chain's first face, for appearance streams that name one font:
  // one font for both faces (kBoldStroke in content_stream.h).
  HPDF_Dict FontOf(Face) const { return font_.dict(); }
  // The embedded font itself, for appearance streams that AppendText.
  EmbeddedFont& font() { return font_; }
  float TextWidth(Face, float size, const std::string& utf8) const {
    return font_.TextWidth(utf8, size);
  }
  // `utf8` as a string operand for Tj in the font FontOf() names, one
  // glyph per character, unshaped; see AppearanceText for any script.
  std::string ShowString(const std::string& utf8) {
    std::string hex;
    font_.AppendShowString(hex, utf8);
    return hex;
  }
  // `utf8` as one shaped line at (x, baseline) for an appearance stream:
  // "BT … ET" selecting fonts /CK0, /CK1, … which `fonts` receives, named
  // as AcroForm appearance specs take them.
  std::string AppearanceText(const std::string& utf8, float size, float x, float baseline,
                             std::vector<std::pair<std::string, HPDF_Dict>>& fonts);
  // Greedy word wrap to `width`; a word longer than a line is broken
  // between characters. Always returns at least one line.
  std::vector<std::string> Wrap(Face face, float size, const std::string& utf8, float width) const;

  // `utf8`, or as much of it as fits in `width` followed by "…".
  std::string Ellipsize(Face face, float size, const std::string& utf8, float width) const;

  void Text(HPDF_Page page, float x, float baseline, Face face, float size, const std::string& utf8,
            Color color);
  void TextRight(HPDF_Page page, float right, float baseline, Face face, float size,
                 const std::string& utf8, Color color);
  void FillRect(HPDF_Page page, const PdfRect& rect, Color fill);
  void StrokeRect(HPDF_Page page, const PdfRect& rect, Color stroke, float line_width);
  void Line(HPDF_Page page, float x1, float y1, float x2, float y2, Color stroke, float line_width);
  void Circle(HPDF_Page page, float cx, float cy, float radius, Color stroke, float line_width);
  // Open lines with round caps and joins, as a pen draws them; a line of one
  // point is a dot.
  void Polylines(HPDF_Page page, const std::vector<Polyline>& lines, Color stroke,
                 float line_width);
  // The check mark and the radio dot of the AcroForm's "on" appearances
  // (acroform.cc), for forms printed already filled in.
  void Tick(HPDF_Page page, const PdfRect& box, Color stroke);
  void Dot(HPDF_Page page, const PdfRect& box, Color fill);
  // Loads a PNG once per document. Throws PdfError naming the path.
  HPDF_Image LoadPng(const std::string& path);
  // Draws `image` scaled to `height`, keeping its aspect ratio; returns its width.
  float DrawImage(HPDF_Page page, HPDF_Image image, float x, float y, float height);

 private:
  void BreakLongWord(Face face, float size, const std::string& word, float width,
                     std::vector<std::string>& lines) const;
  // Each page's drawing is collected here as content-stream text and
  // written into the PDF once, deflated, when the document is saved:
  // per-operator calls into libharu were most of the drawing cost, and
  // libharu copies stream data byte by byte. Images are the one thing
  // libharu draws itself; `harus` marks where its bytes go.
  struct PageContent {
    std::string ops;
    struct Splice {
      std::size_t at;        // position in `ops`
      std::size_t from, to;  // bytes of libharu's stream for the page
    };
    std::vector<Splice> harus;
  };
  std::string& Content(HPDF_Page page) { return pages_[page].ops; }
  void WriteContents();

  Document& doc_;
  EmbeddedFont font_;
  std::map<HPDF_Page, PageContent> pages_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_CANVAS_H_
