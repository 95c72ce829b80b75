#include "pdf/document.h"

#include <cstdio>
#include <new>

namespace consentkit {

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
  if (error_ == HPDF_OK) return;
  char code[64];
  std::snprintf(code, sizeof code, "libharu error 0x%04X (detail %u)", static_cast<unsigned>(error_),
                static_cast<unsigned>(detail_));
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
  return font;
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
