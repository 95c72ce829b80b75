// Private to src/pdf: paints blank forms. Where a filled form prints an
// answer, this puts an AcroForm widget (acroform.h) over the drawn box, so
// the form can be filled in a viewer: text fields (prefilled from the
// patient where the field asks for it), checkboxes, radio groups and
// signature fields, each named "<form-id>.<field-id>". It also prints the
// "required" legend and the clinic-use box that staff fill in by hand.
#ifndef CONSENTKIT_PDF_FILLABLE_PAINTER_H_
#define CONSENTKIT_PDF_FILLABLE_PAINTER_H_

#include "pdf/acroform.h"
#include "pdf/painter.h"

namespace consentkit {

class Document;

class FillablePainter final : public Painter {
 public:
  // Makes the document's AcroForm. `doc` and what Painter keeps must
  // outlive this.
  FillablePainter(Document& doc, Canvas& canvas, const PageGeometry& g,
                  const ClinicSettings& clinic, const PatientIdentity* patient);

  // Starts `form`'s field group; its widgets join it until the next.
  void BeginForm(const FormDefinition& form);

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
  void DrawRequiredLegend(HPDF_Page page, float top);
  void DrawClinicUse(HPDF_Page page, float top);
  const std::string* PrefillOf(const Field& field) const;
  void Prefill(TextFieldSpec& spec, const std::string& value, const PdfRect& rect);

  AcroForm acroform_;
  FieldNode group_;  // the current form's: names are "<form-id>.<field-id>"
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_FILLABLE_PAINTER_H_
