#include "pdf/fillable_painter.h"

#include <algorithm>

#include "form/field_rules.h"
#include "pdf/document.h"
#include "pdf/number.h"
#include "pdf/overloaded.h"
#include "pdf/style.h"

namespace consentkit {

using namespace style;  // NOLINT: the style groups read best unqualified here

namespace {

// What a text widget allows: dates are YYYY-MM-DD; other text what the
// field rules accept, so a reader cannot take more than the server would.
constexpr int kIsoDateLength = 10;  // YYYY-MM-DD

int WidgetMaxLength(const Field& field) {
  if (field.type == FieldType::kDate) return kIsoDateLength;
  return static_cast<int>(MaxLengthOf(field));
}

float WidgetTextSize(const Field& field) {
  if (field.type == FieldType::kTextArea) return field::kWidgetMultilineSize;
  if (field.type == FieldType::kInitials) return field::kWidgetInitialsSize;
  return field::kWidgetTextSize;
}

}  // namespace

// The AcroForm is made before anything else of the document (the logo
// included), as it always was: that keeps blank PDFs byte-for-byte the same.
FillablePainter::FillablePainter(Document& doc, Canvas& canvas, const PageGeometry& g,
                                 const ClinicSettings& clinic, const PatientIdentity* patient)
    : Painter(canvas, g, clinic, patient), acroform_(doc) {}

void FillablePainter::BeginForm(const FormDefinition& form) {
  group_ = acroform_.AddGroup(form.id);
}

void FillablePainter::PaintOwn(HPDF_Page p, const AtomPayload& what, float, float top) {
  std::visit(Overloaded{
                 [&](const RequiredLegendAtom&) { DrawRequiredLegend(p, top); },
                 [&](const ClinicUseAtom&) { DrawClinicUse(p, top); },
                 [&](const auto&) {
                   throw PdfError("internal error: a filled form's atom in a blank form");
                 },
             },
             what);
}

void FillablePainter::DrawRequiredLegend(HPDF_Page p, float top) {
  const float baseline = top - title::kLegendBaselineDrop;
  const std::string& before = text_->Text("pdf.legend.before");
  canvas_.Text(p, g_.left, baseline, Face::kRegular, type::kSmallSize, before, colour::kMuted);
  float x = g_.left + canvas_.TextWidth(Face::kRegular, type::kSmallSize, before + " ");
  canvas_.Text(p, x, baseline, Face::kBold, type::kSmallSize, "*", colour::kRequired);
  canvas_.Text(p, x + title::kLegendAsteriskWidth, baseline, Face::kRegular, type::kSmallSize,
               text_->Text("pdf.legend.after"), colour::kMuted);
}

// Printed only, not form fields: staff record the screening outcome on paper.
void FillablePainter::DrawClinicUse(HPDF_Page p, float top) {
  using namespace clinic_box;  // NOLINT
  PdfRect box{g_.left, top - kHeight, g_.Width(), kHeight};
  canvas_.StrokeRect(p, box, colour::kAccent, kLineWidth);
  canvas_.Text(p, box.x + kPadding, top - kTitleDrop, Face::kBold, type::kLabelSize,
               text_->Text("pdf.clinic-use.title"), colour::kAccent);
  float x = box.x + kPadding;
  for (const char* key :
       {"pdf.clinic-use.suitable", "pdf.clinic-use.defer", "pdf.clinic-use.review"}) {
    const std::string& label = text_->Text(key);
    canvas_.StrokeRect(p, {x, top - kMarkDrop, kMark, kMark}, colour::kBox, kLineWidth);
    canvas_.Text(p, x + kMarkLabelGap, top - kMarkLabelDrop, Face::kRegular, type::kLabelSize,
                 label, colour::kInk);
    x += kMarkStep + canvas_.TextWidth(Face::kRegular, type::kLabelSize, label);
  }
  canvas_.Text(p, box.x + kPadding, top - kSignDrop, Face::kRegular, type::kLabelSize,
               text_->Text("pdf.clinic-use.reviewed-by"), colour::kInk);
  canvas_.Line(p, box.x + kReviewerLineFrom, top - kSignLineDrop, box.x + kReviewerLineTo,
               top - kSignLineDrop, colour::kBox, kSignLineWidth);
  canvas_.Text(p, box.x + kDateX, top - kSignDrop, Face::kRegular, type::kLabelSize,
               text_->Text("pdf.clinic-use.date"), colour::kInk);
  canvas_.Line(p, box.x + kDateLineFrom, top - kSignLineDrop, box.x + box.width - kPadding,
               top - kSignLineDrop, colour::kBox, kSignLineWidth);
}

void FillablePainter::Confirmation(HPDF_Page p, const RiskActionsAtom& atom, const PdfRect& check,
                                   float, float) {
  acroform_.AddCheckBox(p, check, atom.risk->UnderstoodFieldId(),
                        text_->Format("pdf.risk.understood-tooltip", {{"risk", atom.risk->title}}),
                        true, group_);
}

void FillablePainter::Initials(HPDF_Page p, const RiskActionsAtom& atom, const PdfRect& box) {
  TextFieldSpec spec;
  spec.name = atom.risk->InitialsFieldId();
  spec.tooltip = text_->Format("pdf.risk.initials-tooltip", {{"risk", atom.risk->title}});
  spec.required = true;
  spec.max_length = atom.initials_field ? static_cast<int>(MaxLengthOf(*atom.initials_field))
                                        : static_cast<int>(kMaxInitialsLength);
  spec.font_size = risk::kInitialsValueSize;
  acroform_.AddTextField(p, box, spec, group_);
}

void FillablePainter::CellValue(HPDF_Page p, const MeasuredCell& cell, const PdfRect& box) {
  const Field& field = *cell.field;
  if (field.type == FieldType::kSignature) {
    acroform_.AddSignatureField(p, box, field.id, field.label, field.required, group_);
    return;
  }
  TextFieldSpec spec;
  spec.name = field.id;
  spec.tooltip = field.label;
  spec.required = field.required;
  spec.multiline = field.type == FieldType::kTextArea;
  spec.date = field.type == FieldType::kDate;
  spec.max_length = WidgetMaxLength(field);
  spec.font_size = WidgetTextSize(field);
  const float inset = field::kWidgetInset;
  PdfRect rect{box.x + inset, box.y + inset, box.width - 2 * inset, box.height - 2 * inset};
  if (const std::string* value = PrefillOf(field)) Prefill(spec, *value, rect);
  acroform_.AddTextField(p, rect, spec, group_);
}

// What the visit already knows for `field`, or null: no patient, no
// prefill, or a patient number the clinic does not have.
const std::string* FillablePainter::PrefillOf(const Field& field) const {
  if (!patient_) return nullptr;
  switch (field.prefill) {
    case PatientFact::kName:
      return &patient_->name;
    case PatientFact::kDateOfBirth:
      return &patient_->date_of_birth;
    case PatientFact::kNumber:
      return patient_->number.empty() ? nullptr : &patient_->number;
    case PatientFact::kNone:
      break;
  }
  return nullptr;
}

// The value and its appearance, set in the embedded font (the AcroForm's
// Helvetica lacks most of Latin Extended) where a viewer puts typed text:
// the box's inset, centred on the line, smaller when it would not fit.
void FillablePainter::Prefill(TextFieldSpec& spec, const std::string& value, const PdfRect& rect) {
  const float inset = field::kValueInset - field::kWidgetInset;  // the widget is inside the box
  float natural = canvas_.TextWidth(Face::kRegular, spec.font_size, value);
  float size =
      std::min(spec.font_size, spec.font_size * (rect.width - 2 * inset) / std::max(1.0f, natural));
  spec.value = value;
  // Shaped, in whichever faces of the chain the value needs (a prefilled
  // name may be Arabic or Chinese).
  spec.fonts.clear();
  spec.appearance =
      "q 0 g " +
      canvas_.AppearanceText(value, size, inset,
                             rect.height / 2 - field::kBaselineBelowMiddle * size, spec.fonts) +
      " Q\n";
}

FieldNode FillablePainter::BeginOptions(const MeasuredQuestion& q) {
  const Field& field = *q.field;
  if (q.multi) return acroform_.AddGroup(field.id, group_);
  return acroform_.AddRadioGroup(field.id, field.label, field.required, group_);
}

void FillablePainter::OptionMark(HPDF_Page p, const MeasuredQuestion& q,
                                 const MeasuredOption& option, FieldNode node,
                                 const PdfRect& mark) {
  const Option& o = *option.option;
  if (q.multi) {
    acroform_.AddCheckBox(p, mark, o.value, q.field->label + ": " + o.label, false, node);
  } else {
    acroform_.AddRadioButton(p, mark, node, o.value);
  }
}

Color FillablePainter::OptionColor(bool) const { return colour::kInk; }

}  // namespace consentkit
