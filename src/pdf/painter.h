// Private to src/pdf: draws measured atoms (atoms.h) where the paginator
// put them. This is the part both outputs share: the header, the patient
// band and the footer of every page, titles, headings, lines of text, risk
// cards, field cells and questions. What differs between a blank form and
// a filled one is left to hooks: FillablePainter (fillable_painter.h) adds
// AcroForm widgets there, FilledPainter (filled_painter.h) prints the
// answers.
//
// A painter only positions what was measured: every height it needs is in
// the atom, so it can never disagree with the paginator. Not thread-safe.
#ifndef CONSENTKIT_PDF_PAINTER_H_
#define CONSENTKIT_PDF_PAINTER_H_

#include <hpdf.h>

#include <string>

#include "config/config.h"
#include "form/form.h"
#include "i18n/catalog.h"
#include "pdf/acroform.h"
#include "pdf/atoms.h"
#include "pdf/canvas.h"
#include "pdf/pdf.h"

namespace consentkit {

class Painter {
 public:
  // `canvas`, `g`, `clinic` and `patient` (unless null) must outlive this.
  Painter(Canvas& canvas, const PageGeometry& g, const ClinicSettings& clinic,
          const PatientIdentity* patient);
  virtual ~Painter() = default;
  Painter(const Painter&) = delete;
  Painter& operator=(const Painter&) = delete;

  // The clinic's logo for every header; null: none.
  void UseLogo(HPDF_Image logo) { logo_ = logo; }
  // The built-in text for the atoms painted next: the language of the form
  // they are of (English until set). Must outlive the painting.
  void UseCatalog(const Catalog& text) { text_ = &text; }

  // A new page's header: clinic, form title, rule, and the patient band.
  void Header(HPDF_Page page, const FormDefinition& form);
  // "Page X of Y" and the form's identity; a filled form's footer also
  // names the submission (`stamp`, null on blank forms), so that a printed
  // page separated from the rest can still be traced to its record.
  void Footer(HPDF_Page page, const FormDefinition& form, const SubmissionStamp* stamp,
              std::size_t number, std::size_t total);
  // Draws `what` with its top edge at `top`; `flow` is what was measured
  // of it.
  void Paint(HPDF_Page page, const AtomPayload& what, const FlowItem& flow, float top);

 protected:
  // Atoms only one output has (legends, the clinic-use box, the outcome,
  // the record, the seal). `height` is the atom's measured height.
  virtual void PaintOwn(HPDF_Page page, const AtomPayload& what, float height, float top) = 0;
  // After the "I understand this risk" label, whose first line's top is
  // at `label_top` and which starts at `label_x`; `check` is its checkbox.
  virtual void Confirmation(HPDF_Page page, const RiskActionsAtom& atom, const PdfRect& check,
                            float label_x, float label_top) = 0;
  // Inside the drawn initials box.
  virtual void Initials(HPDF_Page page, const RiskActionsAtom& atom, const PdfRect& box) = 0;
  // Inside a field's drawn box.
  virtual void CellValue(HPDF_Page page, const MeasuredCell& cell, const PdfRect& box) = 0;
  // Before a question's options are drawn: the node their widgets join.
  virtual FieldNode BeginOptions(const MeasuredQuestion& question) = 0;
  // At an option's drawn mark.
  virtual void OptionMark(HPDF_Page page, const MeasuredQuestion& question,
                          const MeasuredOption& option, FieldNode node, const PdfRect& mark) = 0;
  virtual Color OptionColor(bool chosen) const = 0;

  // Shared drawing the hooks use too. DrawLabel returns the y below its
  // last line, as does DrawSmallLines.
  float DrawLabel(HPDF_Page page, const MeasuredLabel& label, float x, float top);
  float DrawSmallLines(HPDF_Page page, const std::vector<std::string>& lines, float x, float y,
                       Color color);
  void MarkBox(HPDF_Page page, const PdfRect& mark, bool ticked);
  void MarkCircle(HPDF_Page page, const PdfRect& mark, bool chosen);

  Canvas& canvas_;
  const PageGeometry& g_;
  const ClinicSettings& clinic_;
  const PatientIdentity* patient_;  // null: nobody named
  const Catalog* text_ = &Catalog::For("en");

 private:
  void PatientBand(HPDF_Page page);
  void DrawTitle(HPDF_Page page, const TitleAtom& atom, float top);
  void DrawHeading(HPDF_Page page, const HeadingAtom& atom, float top);
  void DrawTextLine(HPDF_Page page, const TextLineAtom& atom, float top);
  void CardBackground(HPDF_Page page, float top, float height);
  void DrawRiskHead(HPDF_Page page, const RiskHeadAtom& atom, float height, float top);
  void DrawRiskLine(HPDF_Page page, const RiskLineAtom& atom, float height, float top);
  void DrawRiskActions(HPDF_Page page, const RiskActionsAtom& atom, float height, float top);
  void DrawInitialsBox(HPDF_Page page, const RiskActionsAtom& atom, float row);
  void DrawRow(HPDF_Page page, const FieldRowAtom& atom, float top);
  void DrawCell(HPDF_Page page, const MeasuredCell& cell, float top);
  void DrawBox(HPDF_Page page, const MeasuredCell& cell, const PdfRect& box);
  void DrawQuestion(HPDF_Page page, const MeasuredQuestion& question, float height, float top);
  void DrawNotAsked(HPDF_Page page, const MeasuredQuestion& question, float top, float y);
  void DrawYesNo(HPDF_Page page, const MeasuredQuestion& question, float top);
  void DrawOptions(HPDF_Page page, const MeasuredQuestion& question, float top);

  HPDF_Image logo_ = nullptr;
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_PAINTER_H_
