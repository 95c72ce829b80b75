// Private to src/pdf: content-stream operators (PDF 32000-1 §8, §9) as
// text, for page contents (Canvas) and appearance streams (the seal stamp)
// alike, so that a colour, a path and a line of text are written one way,
// and bold is drawn one way, wherever they appear.
//
// Each function appends to `out`; numbers have two decimals (number.h),
// and each operator is followed by a space unless it ends a line.
#ifndef CONSENTKIT_PDF_CONTENT_STREAM_H_
#define CONSENTKIT_PDF_CONTENT_STREAM_H_

#include <hpdf.h>

#include <functional>
#include <string>

namespace consentkit {

class EmbeddedFont;

struct Color {
  float r, g, b;
};

enum class Face { kRegular, kBold };

// One embedded face serves both: bold is the regular outline filled and
// stroked, the stroke kBoldStroke of the size wide. A second embedded face
// cost 12.9 KB per PDF, a third of a blank consent form.
constexpr float kBoldStroke = 0.045f;

// "r g b <op>": `op` is "rg " (fill) or "RG " (stroke), with its separator.
void AppendRgb(std::string& out, Color c, const char* op);
// "x y ".
void AppendPoint(std::string& out, float x, float y);
// "r g b RG w w ".
void AppendStrokeStyle(std::string& out, Color stroke, float line_width);
// A circle as four Bézier quarter arcs, from "m" to the last "c", unpainted.
void AppendCircle(std::string& out, float cx, float cy, float r);

// Where and how a line of text is drawn.
struct TextRun {
  const char* font;  // the embedded font's name in the stream's /Resources /Font, "F1"
  Face face;
  float size;
  float x, baseline;
  Color color;
};
// `utf8` as one line in the first face of `font` alone, one glyph per
// character: "q … BT /F1 size Tf x y Td <glyphs> Tj ET Q\n", inside q/Q so
// that its colour, line width and text render mode do not leak into what
// follows. Marks its glyphs as used in `font`. For appearance streams whose
// resources name that one face (the seal stamp). REQUIRES: valid UTF-8.
void AppendText(std::string& out, EmbeddedFont& font, const TextRun& run, const std::string& utf8);
// The same line shaped, in every face of the chain it needs (run.font is
// not read): `name_of` gives the resource name of each face's dictionary
// (EmbeddedFont::AppendLine). REQUIRES: valid UTF-8.
void AppendShapedText(std::string& out, EmbeddedFont& font, const TextRun& run,
                      const std::function<std::string(HPDF_Dict)>& name_of,
                      const std::string& utf8);

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_CONTENT_STREAM_H_
