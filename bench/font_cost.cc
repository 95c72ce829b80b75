// bench_font_cost: what libharu spends per document on one embedded
// TrueType face, apart from everything else consentkit draws: the median
// time of a one-page document with a line of text in that face (loaded as
// consentkit loads its fonts: embedded, UTF-8 encoder), minus that of the
// same page without it. Prints one JSON line.
//
//   bench_font_cost FONT.ttf [--docs N]
#include <hpdf.h>

#include <cstdlib>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.h"

namespace consentkit::bench {
namespace {

void OnError(HPDF_STATUS error, HPDF_STATUS detail, void*) {
  std::ostringstream message;
  message << "libharu error 0x" << std::hex << error << " (detail " << std::dec << detail << ")";
  throw std::runtime_error(message.str());
}

// One A4 page; with `font`, a line of text in it. Returns the PDF's size.
std::size_t OnePage(const std::string& font) {
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
    HPDF_Page_TextOut(page, 50, 780, "Zoë Muñoz signed the “consent” form.");
    HPDF_Page_EndText(page);
  }
  HPDF_SaveToStream(doc);
  std::size_t size = HPDF_GetStreamSize(doc);
  HPDF_Free(doc);
  return size;
}

double MedianMs(const std::string& font, int docs, std::size_t* bytes) {
  std::vector<double> ms;
  for (int i = -10; i < docs; ++i) {
    Clock::time_point start = Clock::now();
    *bytes = OnePage(font);
    if (i >= 0) ms.push_back(MsSince(start));
  }
  return Percentile(ms, 50);
}

}  // namespace
}  // namespace consentkit::bench

int main(int argc, char** argv) {
  using namespace consentkit::bench;
  if (argc < 2) {
    std::cerr << "usage: bench_font_cost FONT.ttf [--docs N]\n";
    return 2;
  }
  int docs = argc > 3 && std::string(argv[2]) == "--docs" ? std::atoi(argv[3]) : 300;
  try {
    std::size_t plain_bytes = 0, font_bytes = 0;
    double plain = MedianMs("", docs, &plain_bytes);
    double with_font = MedianMs(argv[1], docs, &font_bytes);
    std::ostringstream json;
    json.imbue(std::locale::classic());
    json << "{\"docs\":" << docs << ",\"page_ms\":" << plain << ",\"face_ms\":" << with_font - plain
         << ",\"face_bytes\":" << font_bytes - plain_bytes << "}";
    std::cout << json.str() << std::endl;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bench_font_cost: " << e.what() << "\n";
    return 1;
  }
}
