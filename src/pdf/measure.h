// Private to src/pdf: cuts one form into atoms (atoms.h), measuring every
// one: wrapped lines, box sizes, heights, keep flags, and where each came
// from. Measuring draws nothing and touches no page; the only libharu it
// reaches is the font, through the canvas, and the seal stamp's appearance.
#ifndef CONSENTKIT_PDF_MEASURE_H_
#define CONSENTKIT_PDF_MEASURE_H_

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "form/form.h"
#include "i18n/catalog.h"
#include "pdf/answers.h"
#include "pdf/atoms.h"
#include "pdf/canvas.h"

namespace consentkit {

PageGeometry GeometryFor(PageSize size, bool patient_band);

class Measurer {
 public:
  // All of these must outlive the Measurer and the atoms it returns;
  // `patient` may be null (nobody named). `date_order`: the clinic's
  // ([clinic] date-order), unset for the form's language's own.
  Measurer(Canvas& canvas, const PageGeometry& g, const FormDefinition& form,
           const Answers& answers, const PatientIdentity* patient,
           std::optional<DateOrder> date_order = std::nullopt);

  // A blank form: title, legend, sections, the printed clinic-use box.
  Atoms BlankForm();
  // A filled one: title, legend, sections with the answers, the screening
  // outcome, the submission record and, if sealed, the seal's stamp.
  // REQUIRES: answers.Filling(). Throws PdfError for a malformed seal date.
  Atoms FilledForm();

 private:
  struct SectionState;

  void Title();
  void RequiredLegend();
  void FilledLegend();
  void AddSection(const Section& section);
  void AddBlock(const Block& block, SectionState& state);
  void AddToRow(const Field& field, SectionState& state);
  void FlushRow(SectionState& state);
  void Heading(const Section& section);
  void TextLines(const std::string& text, float indent, float space_before,
                 const std::string& bullet, const std::string& source);
  void RiskCard(const Risk& risk, int number);
  void Question(const Field& field);
  void FieldRow(const std::vector<const Field*>& row);
  void ClinicUseBox();
  void OutcomeBox();
  void OutcomeReason(const std::string& reason, bool bullet, Tone tone);
  void RecordBlock();
  std::vector<RecordRow> RecordRows() const;
  void SealStamp();

  MeasuredCell MeasureCell(const Field& field, float x, float width) const;
  float CellHeight(const MeasuredCell& cell) const;
  float BoxHeightOf(const MeasuredCell& cell) const;
  std::string CellHint(const MeasuredCell& cell) const;
  MeasuredQuestion MeasureQuestion(const Field& field) const;
  float QuestionHeight(const MeasuredQuestion& question) const;
  float OptionRowsHeight(const MeasuredQuestion& question) const;
  MeasuredLabel Label(const std::string& text, bool required, float width, float size,
                      Face face) const;
  std::vector<std::string> SmallLines(const std::string& text, float width) const;
  std::string ConditionNote(const Field& field) const;

  Canvas& canvas_;
  const PageGeometry& g_;
  const FormDefinition& form_;
  const Catalog& text_;                  // the built-in text in the form's language
  std::optional<DateOrder> date_order_;  // how dates are printed (dates.h)
  const Answers& answers_;
  const PatientIdentity* patient_;
  Atoms atoms_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_MEASURE_H_
