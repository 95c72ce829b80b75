// Private to src/pdf: paints filled forms, the record of one submission.
// Where a blank form has widgets this prints the answers, in blue: text in
// the boxes, ticks, dots, drawn signatures, "Not answered" and "Not asked".
// It also prints what only a record has: the legend saying what the copy
// is, the screening outcome, the submission record and, for a sealed
// record, the seal's signature field with its stamp (the only AcroForm a
// filled form has).
#ifndef CONSENTKIT_PDF_FILLED_PAINTER_H_
#define CONSENTKIT_PDF_FILLED_PAINTER_H_

#include <optional>

#include "pdf/acroform.h"
#include "pdf/painter.h"

namespace consentkit {

class Document;

class FilledPainter final : public Painter {
 public:
  // `doc` and what Painter keeps must outlive this.
  FilledPainter(Document& doc, Canvas& canvas, const PageGeometry& g, const ClinicSettings& clinic,
                const PatientIdentity* patient);

 protected:
  void PaintOwn(HPDF_Page page, const AtomPayload& what, float height, float top) override;
  void Confirmation(HPDF_Page page, const RiskActionsAtom& atom, const PdfRect& check,
                    float label_x, float label_top) override;
  void Initials(HPDF_Page page, const RiskActionsAtom& atom, const PdfRect& box) override;
  void CellValue(HPDF_Page page, const MeasuredCell& cell, const PdfRect& box) override;
  FieldNode BeginOptions(const MeasuredQuestion& question) override;
  void OptionMark(HPDF_Page page, const MeasuredQuestion& question, const MeasuredOption& option,
                  FieldNode node, const PdfRect& mark) override;
  Color OptionColor(bool chosen) const override;

 private:
  void DrawLegend(HPDF_Page page, const FilledLegendAtom& atom, float top);
  void OutcomePanel(HPDF_Page page, float top, float height, Tone tone);
  void DrawOutcomeHead(HPDF_Page page, const OutcomeHeadAtom& atom, float height, float top);
  void DrawOutcomeLine(HPDF_Page page, const OutcomeLineAtom& atom, float height, float top);
  void DrawRecord(HPDF_Page page, const RecordAtom& atom, float height, float top);
  void AddSeal(HPDF_Page page, const SealAtom& atom, float height, float top);
  void DrawValueText(HPDF_Page page, const ValueText& value, float x, float top);

  Document& doc_;
  std::optional<AcroForm> seal_form_;  // made with the seal's stamp, if any
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_FILLED_PAINTER_H_
