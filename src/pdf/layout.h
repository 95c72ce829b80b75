// Lays form definitions out on pages: headers, wrapped text, risk cards,
// questions, fields and signature boxes, with page breaks that never split
// a field from its label or a risk from its checkbox.
//
// Content is cut into atoms (a line of text, a field with its label, one
// part of a risk card), each with a height and a keep-with-next flag; the
// paginator places each chain of kept-together atoms on one page whenever
// the chain fits on a page at all. Not thread-safe.
#ifndef CONSENTKIT_PDF_LAYOUT_H_
#define CONSENTKIT_PDF_LAYOUT_H_

#include <memory>
#include <string>

#include "config/config.h"
#include "form/form.h"

namespace consentkit {

class Document;

class PacketLayout {
 public:
  // `doc` must outlive this object. Throws PdfError if fonts or the logo
  // cannot be loaded.
  PacketLayout(Document& doc, const ClinicSettings& clinic, const std::string& font_dir);
  ~PacketLayout();

  // Lays out `form` starting on a new page. `form` must outlive this object.
  void AddForm(const FormDefinition& form);
  // Draws every page's footer ("Page X of Y"); call once, after the last form.
  void Finish();

 private:
  struct Members;
  std::unique_ptr<Members> m_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_LAYOUT_H_
