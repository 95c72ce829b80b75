// bench_font_cost: what one embedded font costs per document, apart from
// everything else consentkit draws. Two ways, each the median time of a
// one-page document with a line of text in the font minus that of the same
// page without it:
//   - consentkit's EmbeddedFont (src/pdf/font.h): the font parsed once per
//     process, glyph ids as text, a per-document glyph subset;
//   - libharu's own UTF-8 TrueType embedding (HPDF_LoadTTFontFromFile +
//     the UTF-8 encoder), which consentkit used before: kept as the
//     reference for bench/README.md's before/after.
// Prints one JSON line.
//
//   bench_font_cost FONT_DIR [--docs N]
#include <hpdf.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.h"
#include "pdf/canvas.h"
#include "pdf/document.h"

namespace consentkit::bench {
namespace {

const char kLine[] = "Zoë Muñoz signed the “consent” form.";

void OnError(HPDF_STATUS error, HPDF_STATUS detail, void*) {
  std::ostringstream message;
  message << "libharu error 0x" << std::hex << error << " (detail " << std::dec << detail << ")";
  throw std::runtime_error(message.str());
}

// One A4 page made with libharu alone; with `font`, a line of text in it
// through libharu's UTF-8 TrueType font. Returns the PDF's size.
std::size_t LibharuPage(const std::string& font) {
  HPDF_Doc doc = HPDF_New(&OnError, nullptr);
  HPDF_SetCompressionMode(doc, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(doc);
  HPDF_SetCurrentEncoder(doc, "UTF-8");
  HPDF_Page page = HPDF_AddPage(doc);
  HPDF_Page_SetWidth(page, 595.28f);
  HPDF_Page_SetHeight(page, 841.89f);
  if (!font.empty()) {
    const char* name = HPDF_LoadTTFontFromFile(doc, font.c_str(), HPDF_TRUE);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, HPDF_GetFont(doc, name, "UTF-8"), 10);
    HPDF_Page_TextOut(page, 50, 780, kLine);
    HPDF_Page_EndText(page);
  }
  HPDF_SaveToStream(doc);
  std::size_t size = HPDF_GetStreamSize(doc);
  HPDF_Free(doc);
  return size;
}

// The same page made as consentkit makes its documents; with `font_dir`,
// the line drawn through Canvas in the embedded font.
std::size_t ConsentkitPage(const std::string& font_dir, const std::string& line = kLine) {
  Document doc;
  HPDF_Page page = doc.AddPage(595.28f, 841.89f);
  if (font_dir.empty()) return doc.Save().size();
  Canvas canvas(doc, font_dir);
  canvas.Text(page, 50, 780, Face::kRegular, 10, line, {0, 0, 0});
  return doc.Save().size();
}

// A patient's name in the chain's other faces (Noto Sans CJK, a CFF face;
// Noto Sans Arabic, shaped right to left), after the Latin line: what a
// record with such a name adds. Each document has another name, as each
// record has, so the subset cache does not hide the subsetting.
std::string ChineseName(int i) {
  std::string name = "\u738B";  // 王 and two of the 20,902 URO ideographs
  for (int k = 0; k < 2; ++k) {
    auto c = static_cast<unsigned>(0x4E00 + (i * 7919 + k * 104729) % 20902);
    name += static_cast<char>(0xE0 | c >> 12);
    name += static_cast<char>(0x80 | (c >> 6 & 0x3F));
    name += static_cast<char>(0x80 | (c & 0x3F));
  }
  return name;
}
std::string ArabicName(int i) {
  // Letters of the Arabic block in changing order: joined, shaped, RTL.
  std::string name = "\u0645\u062D\u0645\u062F \u0627\u0644";
  for (int k = 0; k < 4; ++k) {
    auto c = static_cast<unsigned>(0x0628 + (i * 31 + k * 7) % 19);
    name += static_cast<char>(0xC0 | c >> 6);
    name += static_cast<char>(0x80 | (c & 0x3F));
  }
  return name;
}

double MedianMs(const std::function<std::size_t()>& make, int docs, std::size_t* bytes) {
  std::vector<double> ms;
  for (int i = -10; i < docs; ++i) {
    Clock::time_point start = Clock::now();
    *bytes = make();
    if (i >= 0) ms.push_back(MsSince(start));
  }
  return Percentile(ms, 50);
}

}  // namespace
}  // namespace consentkit::bench

int main(int argc, char** argv) {
  using namespace consentkit::bench;
  if (argc < 2) {
    std::cerr << "usage: bench_font_cost FONT_DIR [--docs N]\n";
    return 2;
  }
  std::string dir = argv[1], font = dir + "/ConsentKitSans.ttf";
  int docs = argc > 3 && std::string(argv[2]) == "--docs" ? std::atoi(argv[3]) : 300;
  try {
    std::size_t plain = 0, with_font = 0, haru_plain = 0, haru_font = 0;
    double plain_ms = MedianMs([] { return ConsentkitPage(""); }, docs, &plain);
    double font_ms = MedianMs([&] { return ConsentkitPage(dir); }, docs, &with_font);
    double haru_plain_ms = MedianMs([] { return LibharuPage(""); }, docs, &haru_plain);
    double haru_font_ms = MedianMs([&] { return LibharuPage(font); }, docs, &haru_font);
    std::size_t chinese = 0, arabic = 0;
    int n = 0;
    double chinese_ms =
        MedianMs([&] { return ConsentkitPage(dir, std::string(kLine) + " " + ChineseName(n++)); },
                 docs, &chinese);
    double arabic_ms =
        MedianMs([&] { return ConsentkitPage(dir, std::string(kLine) + " " + ArabicName(n++)); },
                 docs, &arabic);
    std::ostringstream json;
    json.imbue(std::locale::classic());
    json << "{\"docs\":" << docs << ",\"page_ms\":" << plain_ms
         << ",\"face_ms\":" << font_ms - plain_ms << ",\"face_bytes\":" << with_font - plain
         << ",\"libharu_face_ms\":" << haru_font_ms - haru_plain_ms
         << ",\"libharu_face_bytes\":" << haru_font - haru_plain
         << ",\"chinese_name_ms\":" << chinese_ms - font_ms
         << ",\"chinese_name_bytes\":" << static_cast<long>(chinese) - static_cast<long>(with_font)
         << ",\"arabic_name_ms\":" << arabic_ms - font_ms
         << ",\"arabic_name_bytes\":" << static_cast<long>(arabic) - static_cast<long>(with_font)
         << "}";
    std::cout << json.str() << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bench_font_cost: " << e.what() << "\n";
    return 1;
  }
}
