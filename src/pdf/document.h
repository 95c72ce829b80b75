// Owns one libharu document and turns its error callback into PdfError.
//
// libharu reports errors through a C callback; throwing from it would unwind
// through C frames, so the callback only records the error and Check()
// throws afterwards. Not thread-safe: one Document per thread.
#ifndef CONSENTKIT_PDF_DOCUMENT_H_
#define CONSENTKIT_PDF_DOCUMENT_H_

#include <hpdf.h>

#include <string>

#include "pdf/pdf.h"

namespace consentkit {

class Document {
 public:
  Document();
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  HPDF_Doc handle() const { return doc_; }

  // Throws PdfError("<what>: libharu error 0x1017 (detail 0)") if any libharu
  // call since the last Check() failed, and resets the error state.
  void Check(const char* what);

  // Loads a TrueType file for UTF-8 text. Throws PdfError naming the path.
  HPDF_Font LoadFont(const std::string& path);
  HPDF_Page AddPage(float width, float height);
  // Serialises the document. Throws PdfError.
  std::string Save();

 private:
  void ReplaceToUnicode(HPDF_Font font);
  static void OnError(HPDF_STATUS error, HPDF_STATUS detail, void* self);

  HPDF_Doc doc_ = nullptr;
  HPDF_STATUS error_ = HPDF_OK;
  HPDF_STATUS detail_ = 0;
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_DOCUMENT_H_
