#include "pdf/document.h"

#include <hpdf_streams.h>

#include <cstdio>
#include <new>

namespace consentkit {

namespace {

// libharu's UTF-8 fonts write each character as its 2-byte Unicode code
// point (the CIDToGIDMap turns that into a glyph). Their ToUnicode CMap,
// though, uses "begincidrange", which is only valid in encoding CMaps:
// poppler warns, and copy-and-paste falls back to guessing. This CMap maps
// each code to itself, in the 256-code blocks bfrange requires, for the
// blocks where fonts/subset.sh keeps glyphs (keep the two in step).
std::string IdentityToUnicodeCMap() {
  static const unsigned kBlocks[] = {0x00, 0x01, 0x02, 0x03, 0x20, 0x21, 0x22, 0x25, 0x26, 0x27};
  std::string ranges;
  int count = 0;
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  auto flush = [&]() {  // one bfrange block: at most 100 entries
    cmap += std::to_string(count) + " beginbfrange\n" + ranges + "endbfrange\n";
    ranges.clear();
    count = 0;
  };
  for (unsigned high : kBlocks) {
    char line[32];
    std::snprintf(line, sizeof line, "<%02X00> <%02XFF> <%02X00>\n", high, high, high);
    ranges += line;
    ++count;
  }
  flush();
  return cmap + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

}  // namespace

Document::Document() {
  doc_ = HPDF_New(&Document::OnError, this);
  if (!doc_) throw std::bad_alloc();
  HPDF_SetCompressionMode(doc_, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(doc_);
  HPDF_SetCurrentEncoder(doc_, "UTF-8");
  Check("setting up the PDF document");
}

Document::~Document() { HPDF_Free(doc_); }

void Document::OnError(HPDF_STATUS error, HPDF_STATUS detail, void* self) {
  auto* doc = static_cast<Document*>(self);
  if (doc->error_ != HPDF_OK) return;  // keep the first, root-cause error
  doc->error_ = error;
  doc->detail_ = detail;
}

void Document::Check(const char* what) {
  // Low-level object calls (HPDF_Dict_Add, HPDF_String_New) record errors
  // without calling the handler, so ask the document too.
  if (error_ == HPDF_OK && HPDF_GetError(doc_) != HPDF_OK) {
    error_ = HPDF_GetError(doc_);
    detail_ = HPDF_GetErrorDetail(doc_);
  }
  if (error_ == HPDF_OK) return;
  char code[64];
  std::snprintf(code, sizeof code, "libharu error 0x%04X (detail %u)",
                static_cast<unsigned>(error_), static_cast<unsigned>(detail_));
  error_ = HPDF_OK;
  HPDF_ResetError(doc_);
  throw PdfError(std::string(what) + ": " + code);
}

HPDF_Font Document::LoadFont(const std::string& path) {
  if (std::FILE* probe = std::fopen(path.c_str(), "rb")) {
    std::fclose(probe);
  } else {
    throw PdfError("cannot open font " + path +
                   " (build the 'fonts' target or set CONSENTKIT_FONT_DIR)");
  }
  const char* name = HPDF_LoadTTFontFromFile(doc_, path.c_str(), HPDF_TRUE);
  HPDF_Font font = name ? HPDF_GetFont(doc_, name, "UTF-8") : nullptr;
  Check(("loading font " + path).c_str());
  ReplaceToUnicode(font);
  return font;
}

void Document::ReplaceToUnicode(HPDF_Font font) {
  auto* cmap = static_cast<HPDF_Dict>(
      HPDF_Dict_GetItem(static_cast<HPDF_Dict>(font), "ToUnicode", HPDF_OCLASS_DICT));
  if (!cmap) throw PdfError("libharu made a UTF-8 font without a ToUnicode CMap");
  static const std::string kCMap = IdentityToUnicodeCMap();
  HPDF_MemStream_FreeData(cmap->stream);
  HPDF_Stream_WriteStr(cmap->stream, kCMap.c_str());
  cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  Check("replacing the font's ToUnicode CMap");
}

HPDF_Page Document::AddPage(float width, float height) {
  HPDF_Page page = HPDF_AddPage(doc_);
  HPDF_Page_SetWidth(page, width);
  HPDF_Page_SetHeight(page, height);
  Check("adding a page");
  return page;
}

std::string Document::Save() {
  HPDF_SaveToStream(doc_);
  Check("writing the PDF");
  std::string bytes(HPDF_GetStreamSize(doc_), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(bytes.size());
  HPDF_ReadFromStream(doc_, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  bytes.resize(size);
  // ReadFromStream reports HPDF_STREAM_EOF when it reaches the end: expected.
  if (error_ == HPDF_STREAM_EOF) error_ = HPDF_OK;
  HPDF_ResetError(doc_);
  Check("reading the PDF back from memory");
  return bytes;
}

}  // namespace consentkit
