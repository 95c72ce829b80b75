// Owns one libharu document and turns its error callback into PdfError.
//
// libharu reports errors through a C callback; throwing from it would unwind
// through C frames, so the callback only records the error and Check()
// throws afterwards. Not thread-safe: one Document per thread.
#ifndef CONSENTKIT_PDF_DOCUMENT_H_
#define CONSENTKIT_PDF_DOCUMENT_H_

#include <hpdf.h>

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

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

  // Runs `write` when the document is saved, before libharu writes it:
  // for objects whose content is known only once every page is drawn,
  // such as an embedded font's glyph subset. What `write` uses must live
  // until Save().
  void BeforeSave(std::function<void()> write) { before_save_.push_back(std::move(write)); }
  HPDF_Page AddPage(float width, float height);
  // Makes `raw` the content of stream `dict`, deflated unless it is short.
  // REQUIRES: `dict` has no write hook of its own (haru::SetStream).
  void SetContent(HPDF_Dict dict, const std::string& raw);
  // Serialises the document. Throws PdfError.
  std::string Save();

 private:
  void DeflateStreams();
  static void OnError(HPDF_STATUS error, HPDF_STATUS detail, void* self);

  HPDF_Doc doc_ = nullptr;
  HPDF_STATUS error_ = HPDF_OK;
  HPDF_STATUS detail_ = 0;
  std::vector<std::function<void()>> before_save_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_DOCUMENT_H_
