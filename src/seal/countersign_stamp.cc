#include "seal/countersign_stamp.h"

#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "pdf/number.h"
#include "util/util.h"

namespace consentkit {
namespace {

// Advance widths (1/1000 em) of WinAnsi codes 0x20 to 0xFF, from Adobe's
// Helvetica and Helvetica-Bold AFM files (as groff's devps HR and HB carry
// them). 0 marks codes WinAnsi leaves undefined, which ToWinAnsi never writes.
// clang-format off: sixteen codes a row
constexpr std::array<short, 224> kHelvetica = {
    278,  278, 355, 556, 556, 889,  667,  191,  333, 333,  389, 584, 278,  333, 278, 278,  // 0x20
    556,  556, 556, 556, 556, 556,  556,  556,  556, 556,  278, 278, 584,  584, 584, 556,  // 0x30
    1015, 667, 667, 722, 722, 667,  611,  778,  722, 278,  500, 667, 556,  833, 722, 778,  // 0x40
    667,  778, 722, 667, 611, 722,  667,  944,  667, 667,  611, 278, 278,  278, 469, 556,  // 0x50
    333,  556, 556, 500, 556, 556,  278,  556,  556, 222,  222, 500, 222,  833, 556, 556,  // 0x60
    556,  556, 333, 500, 278, 556,  500,  722,  500, 500,  500, 334, 260,  334, 584, 0,    // 0x70
    556,  0,   222, 556, 333, 1000, 556,  556,  333, 1000, 667, 333, 1000, 0,   611, 0,    // 0x80
    0,    222, 222, 333, 333, 350,  556,  1000, 333, 1000, 500, 333, 944,  0,   500, 667,  // 0x90
    278,  333, 556, 556, 556, 556,  260,  556,  333, 737,  370, 556, 584,  333, 737, 333,  // 0xA0
    400,  584, 333, 333, 333, 578,  537,  278,  333, 333,  365, 556, 834,  834, 834, 611,  // 0xB0
    667,  667, 667, 667, 667, 667,  1000, 722,  667, 667,  667, 667, 278,  278, 278, 278,  // 0xC0
    722,  722, 778, 778, 778, 778,  778,  584,  778, 722,  722, 722, 722,  667, 667, 611,  // 0xD0
    556,  556, 556, 556, 556, 556,  889,  500,  556, 556,  556, 556, 278,  278, 278, 278,  // 0xE0
    556,  556, 556, 556, 556, 556,  556,  584,  611, 556,  556, 556, 556,  500, 556, 500,  // 0xF0
};
constexpr std::array<short, 224> kHelveticaBold = {
    278, 333, 474, 556, 556, 889,  722,  238,  333, 333,  389, 584, 278,  333, 278, 278,  // 0x20
    556, 556, 556, 556, 556, 556,  556,  556,  556, 556,  333, 333, 584,  584, 584, 611,  // 0x30
    975, 722, 722, 722, 722, 667,  611,  778,  722, 278,  556, 722, 611,  833, 722, 778,  // 0x40
    667, 778, 722, 667, 611, 722,  667,  944,  667, 667,  611, 333, 278,  333, 584, 556,  // 0x50
    333, 556, 611, 556, 611, 556,  333,  611,  611, 278,  278, 556, 278,  889, 611, 611,  // 0x60
    611, 611, 389, 556, 333, 611,  556,  778,  556, 556,  500, 389, 280,  389, 584, 0,    // 0x70
    556, 0,   278, 556, 500, 1000, 556,  556,  333, 1000, 667, 333, 1000, 0,   611, 0,    // 0x80
    0,   278, 278, 500, 500, 350,  556,  1000, 333, 1000, 556, 333, 944,  0,   500, 667,  // 0x90
    278, 333, 556, 556, 556, 556,  280,  556,  333, 737,  370, 556, 584,  333, 737, 333,  // 0xA0
    400, 584, 333, 333, 333, 611,  556,  278,  333, 333,  365, 556, 834,  834, 834, 611,  // 0xB0
    722, 722, 722, 722, 722, 722,  1000, 722,  667, 667,  667, 667, 278,  278, 278, 278,  // 0xC0
    722, 722, 778, 778, 778, 778,  778,  584,  778, 722,  722, 722, 722,  667, 667, 611,  // 0xD0
    556, 556, 556, 556, 556, 556,  889,  556,  556, 556,  556, 556, 278,  278, 278, 278,  // 0xE0
    611, 611, 611, 611, 611, 611,  611,  584,  611, 611,  611, 611, 611,  556, 611, 556,  // 0xF0
};
// clang-format on

// The characters WinAnsi puts at 0x80 to 0x9F, where Latin-1 has controls.
constexpr std::array<char32_t, 32> kWinAnsiHigh = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

constexpr char kEllipsis = '\x85';

// The record's colours (pdf/palette.h, which this module cannot include:
// it pulls in libharu), so the two stamps look alike.
struct Rgb {
  float r, g, b;
};
constexpr Rgb kInk{0.12f, 0.14f, 0.17f};
constexpr Rgb kMuted{0.38f, 0.41f, 0.46f};
constexpr Rgb kAccent{0.05f, 0.36f, 0.45f};
constexpr Rgb kTint{0.94f, 0.97f, 0.97f};
constexpr Rgb kRule{0.78f, 0.81f, 0.84f};
constexpr Rgb kStrokeInk{0.06f, 0.22f, 0.56f};  // the patient's drawn signature's (pdf/layout.cc)

enum class Font { kRegular, kBold };

constexpr float kPadding = 14;  // left of the text, right of the drawing
constexpr float kTitleSize = 10.5f;
constexpr float kTextSize = 8.5f;
constexpr float kLeading = 11;
constexpr float kDrawingWidth = 150;
constexpr float kMinHeight = 72;  // room for the drawing box however short the text

std::string Colour(Rgb c, const char* op) {
  return Num(c.r) + " " + Num(c.g) + " " + Num(c.b) + " " + op + "\n";
}

float Width(Font font, float size, const std::string& win_ansi) {
  const auto& widths = font == Font::kBold ? kHelveticaBold : kHelvetica;
  int total = 0;
  for (char c : win_ansi) {
    auto code = static_cast<unsigned char>(c);
    if (code >= 0x20) total += widths[code - 0x20u];
  }
  return size * static_cast<float>(total) / 1000.0f;
}

// Hex, so that no text a user typed can appear verbatim in the file (see
// seal/placeholder.h), and no byte needs escaping.
std::string HexString(const std::string& bytes) {
  return "<" + HexEncode(bytes, HexCase::kUpper) + ">";
}

std::string TextOp(Font font, float size, Rgb colour, float x, float baseline,
                   const std::string& win_ansi) {
  return "q " + Colour(colour, "rg") + "BT /" + (font == Font::kBold ? "F2 " : "F1 ") + Num(size) +
         " Tf " + Num(x) + " " + Num(baseline) + " Td " + HexString(win_ansi) + " Tj ET Q\n";
}

// `text` cut to `width`, ending in "…" if anything was cut.
std::string Ellipsized(Font font, float size, std::string text, float width) {
  if (Width(font, size, text) <= width) return text;
  while (!text.empty() && Width(font, size, text + kEllipsis) > width) text.pop_back();
  return text + kEllipsis;
}

// Greedy line breaking at spaces; a word wider than a line is broken
// wherever it has to be.
std::vector<std::string> Wrapped(Font font, float size, const std::string& text, float width) {
  std::vector<std::string> lines(1);
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t space = std::min(text.find(' ', at), text.size());
    std::string word = text.substr(at, space - at);
    std::string joined = lines.back().empty() ? word : lines.back() + " " + word;
    if (Width(font, size, joined) <= width) {
      lines.back() = joined;
    } else if (!lines.back().empty() && Width(font, size, word) <= width) {
      lines.push_back(word);
    } else {
      for (char c : word) {  // too long for any line
        if (!lines.back().empty() && Width(font, size, lines.back() + c) > width) {
          lines.emplace_back();
        }
        lines.back() += c;
      }
    }
    at = space + 1;
  }
  return lines;
}

// "Note: " and the note, wrapped, its own line breaks kept, at most
// kMaxNoteLines lines.
std::vector<std::string> NoteLines(const std::string& note, float width) {
  std::vector<std::string> lines;
  if (note.empty()) return lines;
  std::string text = "Note: " + note;
  for (std::size_t at = 0; at <= text.size();) {
    std::size_t end = std::min(text.find('\n', at), text.size());
    std::string paragraph = text.substr(at, end - at);
    paragraph.erase(std::remove(paragraph.begin(), paragraph.end(), '\r'), paragraph.end());
    for (std::string& line : Wrapped(Font::kRegular, kTextSize, ToWinAnsi(paragraph), width)) {
      lines.push_back(line);
    }
    at = end + 1;
  }
  if (lines.size() > static_cast<std::size_t>(kMaxNoteLines)) {
    lines.resize(kMaxNoteLines);
    std::string& last = lines.back();
    while (!last.empty() && Width(Font::kRegular, kTextSize, last + kEllipsis) > width) {
      last.pop_back();
    }
    last += kEllipsis;
  }
  return lines;
}

// Tinted, with an accent border and bar: the seal stamp's box (pdf/seal_stamp.cc).
std::string Box(float width, float height) {
  return "q\n" + Colour(kTint, "rg") + Colour(kAccent, "RG") + "0.9 w 0.45 0.45 " +
         Num(width - 0.9) + " " + Num(height - 0.9) + " re B\n" + Colour(kAccent, "rg") +
         "0.45 0.45 3 " + Num(height - 0.9) + " re f\nQ\n";
}

struct Area {
  float x, y, width, height;
};

struct Bounds {
  double min_x, min_y, max_x, max_y;
};

Bounds BoundsOf(const Signature& drawing) {
  constexpr double kHuge = std::numeric_limits<double>::max();
  Bounds b{kHuge, kHuge, -kHuge, -kHuge};
  for (const Stroke& stroke : drawing.strokes) {
    for (const StrokePoint& p : stroke) {
      b.min_x = std::min(b.min_x, double{p.x});
      b.max_x = std::max(b.max_x, double{p.x});
      b.min_y = std::min(b.min_y, double{p.y});
      b.max_y = std::max(b.max_y, double{p.y});
    }
  }
  return b;
}

// The strokes scaled, keeping their proportions, to fit `area`, centred in
// it; the pad's y axis points down, the page's up. A lone point is drawn as
// a dot (a zero-length line with round caps). In doubles: a pad's float
// coordinates may be far apart.
std::string Strokes(const Signature& drawing, const Area& area) {
  Bounds b = BoundsOf(drawing);
  if (b.min_x > b.max_x) return "";  // no points
  double width = b.max_x - b.min_x, height = b.max_y - b.min_y;
  double scale = 1;  // a single point: nothing to scale
  if (width > 0 || height > 0) {
    scale = std::min(width > 0 ? area.width / width : area.height / height,
                     height > 0 ? area.height / height : area.width / width);
  }
  double left = area.x + (area.width - width * scale) / 2;
  double top = area.y + (area.height + height * scale) / 2;
  auto point = [&](const StrokePoint& p) {
    return Num(left + (p.x - b.min_x) * scale) + " " + Num(top - (p.y - b.min_y) * scale);
  };
  std::string ops = "q\n" + Colour(kStrokeInk, "RG") + "1.2 w 1 J 1 j\n";
  for (const Stroke& stroke : drawing.strokes) {
    if (stroke.empty()) continue;
    ops += point(stroke[0]) + " m\n";
    for (std::size_t i = 1; i < stroke.size(); ++i) ops += point(stroke[i]) + " l\n";
    if (stroke.size() == 1) ops += point(stroke[0]) + " l\n";
    ops += "S\n";
  }
  return ops + "Q\n";
}

// The drawing's box on the right: strokes over a rule and a caption.
std::string DrawingBox(const Signature& drawing, float width, float height) {
  float x = width - kPadding - kDrawingWidth;
  return Strokes(drawing, {x + 4, 22, kDrawingWidth - 8, height - 32}) + "q " +
         Colour(kRule, "RG") + "0.6 w " + Num(x) + " 18 m " + Num(x + kDrawingWidth) +
         " 18 l S Q\n" +
         TextOp(Font::kRegular, 6.5f, kMuted, x, 9, "Practitioner's drawn signature");
}

std::string SignedAt(const std::string& iso) {
  return "Signed " + iso.substr(0, 10) + " " + iso.substr(11, 8) + " UTC";
}

}  // namespace

std::string ToWinAnsi(const std::string& utf8) {
  std::u32string codes;
  DecodeUtf8(utf8, codes);
  std::string out;
  for (char32_t code : codes) {
    if (code == '\t') code = ' ';
    if ((code >= 0x20 && code < 0x7F) || (code >= 0xA0 && code <= 0xFF)) {
      out += static_cast<char>(code);
      continue;
    }
    auto high = std::find(kWinAnsiHigh.begin(), kWinAnsiHigh.end(), code);
    bool found = code != 0 && high != kWinAnsiHigh.end();
    out += found ? static_cast<char>(0x80 + (high - kWinAnsiHigh.begin())) : '?';
  }
  return out;
}

CountersignStamp DrawCountersignStamp(const Countersignature& countersignature, float width) {
  const float column = width - 2 * kPadding - kDrawingWidth - 12;
  std::vector<std::string> note = NoteLines(countersignature.note, column);
  CountersignStamp stamp;
  stamp.height = std::max(kMinHeight, 67 + kLeading * static_cast<float>(note.size()));
  float y = stamp.height - 18;
  std::string label = "Decision: ";
  stamp.content = Box(width, stamp.height) +
                  TextOp(Font::kBold, kTitleSize, kInk, kPadding, y, "Practitioner review") +
                  TextOp(Font::kRegular, 9, kInk, kPadding, y - 14, label) +
                  TextOp(Font::kBold, 9, kInk, kPadding + Width(Font::kRegular, 9, label), y - 14,
                         ToWinAnsi(countersignature.decision));
  y -= 14;
  for (const std::string& line : note) {
    stamp.content += TextOp(Font::kRegular, kTextSize, kInk, kPadding, y -= kLeading, line);
  }
  std::string name =
      ToWinAnsi("Reviewed by " + CollapseWhitespace(countersignature.practitioner_name));
  stamp.content += TextOp(Font::kRegular, kTextSize, kInk, kPadding, y - 14,
                          Ellipsized(Font::kRegular, kTextSize, name, column)) +
                   TextOp(Font::kRegular, kTextSize, kMuted, kPadding, y - 25,
                          SignedAt(countersignature.signed_at_utc)) +
                   DrawingBox(countersignature.drawing, width, stamp.height);
  return stamp;
}

}  // namespace consentkit
