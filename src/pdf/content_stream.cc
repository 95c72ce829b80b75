#include "pdf/content_stream.h"

#include "pdf/font.h"
#include "pdf/number.h"

namespace consentkit {

void AppendRgb(std::string& out, Color c, const char* op) {
  AppendNum(out, c.r);
  out += ' ';
  AppendNum(out, c.g);
  out += ' ';
  AppendNum(out, c.b);
  out += ' ';
  out += op;
}

void AppendPoint(std::string& out, float x, float y) {
  AppendNum(out, x);
  out += ' ';
  AppendNum(out, y);
  out += ' ';
}

void AppendStrokeStyle(std::string& out, Color stroke, float line_width) {
  AppendRgb(out, stroke, "RG ");
  AppendNum(out, line_width);
  out += " w ";
}

void AppendCircle(std::string& out, float cx, float cy, float r) {
  const float k = 0.5523f * r;  // approximates a quarter circle
  AppendPoint(out, cx + r, cy);
  out += "m ";
  const float arcs[4][6] = {{cx + r, cy + k, cx + k, cy + r, cx, cy + r},
                            {cx - k, cy + r, cx - r, cy + k, cx - r, cy},
                            {cx - r, cy - k, cx - k, cy - r, cx, cy - r},
                            {cx + k, cy - r, cx + r, cy - k, cx + r, cy}};
  for (const auto& arc : arcs) {
    for (int i = 0; i < 6; i += 2) AppendPoint(out, arc[i], arc[i + 1]);
    out += "c ";
  }
}

namespace {

// "q", the colour and, for bold, the stroke that thickens the outline.
void AppendTextState(std::string& out, const TextRun& run) {
  out += "q ";
  AppendRgb(out, run.color, "rg ");
  if (run.face == Face::kBold) {  // fill and stroke (2 Tr): see kBoldStroke
    AppendRgb(out, run.color, "RG ");
    AppendNum(out, run.size * kBoldStroke);
    out += " w 2 Tr ";
  }
}

}  // namespace

void AppendShapedText(std::string& out, EmbeddedFont& font, const TextRun& run,
                      const std::function<std::string(HPDF_Dict)>& name_of,
                      const std::string& utf8) {
  AppendTextState(out, run);
  font.AppendLine(out, utf8, run.size, run.x, run.baseline, name_of);
  out += " Q\n";
}

void AppendText(std::string& out, EmbeddedFont& font, const TextRun& run, const std::string& utf8) {
  AppendTextState(out, run);
  out += "BT /";
  out += run.font;
  out += ' ';
  AppendNum(out, run.size);
  out += " Tf ";
  AppendPoint(out, run.x, run.baseline);
  out += "Td ";
  font.AppendShowString(out, utf8);
  out += " Tj ET Q\n";
}

}  // namespace consentkit
