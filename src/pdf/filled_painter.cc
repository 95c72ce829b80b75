#include "pdf/filled_painter.h"

#include <algorithm>

#include "form/field_rules.h"
#include "pdf/filled.h"
#include "pdf/overloaded.h"
#include "pdf/seal_stamp.h"
#include "pdf/style.h"

namespace consentkit {

using namespace style;  // NOLINT: the style groups read best unqualified here

FilledPainter::FilledPainter(Document& doc, Canvas& canvas, const PageGeometry& g,
                             const ClinicSettings& clinic, const PatientIdentity* patient)
    : Painter(canvas, g, clinic, patient), doc_(doc) {}

void FilledPainter::PaintOwn(HPDF_Page p, const AtomPayload& what, float height, float top) {
  std::visit(Overloaded{
                 [&](const FilledLegendAtom& a) { DrawLegend(p, a, top); },
                 [&](const OutcomeHeadAtom& a) { DrawOutcomeHead(p, a, height, top); },
                 [&](const OutcomeLineAtom& a) { DrawOutcomeLine(p, a, height, top); },
                 [&](const OutcomeFootAtom& a) { OutcomePanel(p, top, height, a.tone); },
                 [&](const RecordAtom& a) { DrawRecord(p, a, height, top); },
                 [&](const SealAtom& a) { AddSeal(p, a, height, top); },
                 [&](const auto&) {
                   throw PdfError("internal error: a blank form's atom in a filled form");
                 },
             },
             what);
}

// Says what this copy is, in the colour it names.
void FilledPainter::DrawLegend(HPDF_Page p, const FilledLegendAtom& atom, float top) {
  for (std::size_t i = 0; i < atom.lines.size(); ++i) {
    float baseline = top - title::kLegendBaselineDrop - type::kSmallLeading * static_cast<float>(i);
    canvas_.Text(p, g_.left, baseline, Face::kRegular, type::kSmallSize, atom.lines[i],
                 colour::kValue);
  }
}

// Each part of the outcome box paints its own slice of the panel.
void FilledPainter::OutcomePanel(HPDF_Page p, float top, float height, Tone tone) {
  canvas_.FillRect(p, {g_.left, top - height, g_.Width(), height}, tone.tint);
  canvas_.FillRect(p, {g_.left, top - height, outcome::kBarWidth, height}, tone.strong);
}

void FilledPainter::DrawOutcomeHead(HPDF_Page p, const OutcomeHeadAtom& atom, float height,
                                    float top) {
  OutcomePanel(p, top, height, atom.tone);
  const float x = g_.left + outcome::kPadding;
  canvas_.Text(p, x, top - outcome::kTitleDrop, Face::kBold, type::kSmallSize,
               text_->Text("pdf.clinic-use.title"), colour::kAccent);
  const std::string lead = text_->Text("pdf.outcome.lead") + " ";
  const float baseline = top - outcome::kLeadDrop;
  canvas_.Text(p, x, baseline, Face::kBold, outcome::kLeadSize, lead, colour::kInk);
  canvas_.Text(p, x + canvas_.TextWidth(Face::kBold, outcome::kLeadSize, lead), baseline,
               Face::kBold, outcome::kLeadSize, OutcomeLabel(atom.outcome, *text_),
               atom.tone.strong);
}

void FilledPainter::DrawOutcomeLine(HPDF_Page p, const OutcomeLineAtom& atom, float height,
                                    float top) {
  OutcomePanel(p, top, height, atom.tone);
  float baseline = top - height + outcome::kBaselineRise;
  if (atom.bullet) {
    canvas_.Text(p, g_.left + outcome::kBulletX, baseline, Face::kBold, type::kBodySize, "•",
                 atom.tone.strong);
  }
  canvas_.Text(p, g_.left + outcome::kTextX, baseline, Face::kRegular, type::kBodySize, atom.line,
               colour::kInk);
}

void FilledPainter::DrawRecord(HPDF_Page p, const RecordAtom& atom, float height, float top) {
  PdfRect box{g_.left, top - height, g_.Width(), height};
  canvas_.FillRect(p, box, colour::kBoxFill);
  canvas_.StrokeRect(p, box, colour::kRule, record::kLineWidth);
  const float x = g_.left + record::kPadding;
  canvas_.Text(p, x, top - record::kTitleDrop, Face::kBold, type::kLabelSize,
               text_->Text("pdf.record.title"), colour::kAccent);
  float y = top - record::kRowsDrop;
  for (const RecordRow& row : atom.rows) {
    const float baseline_drop = type::kSmallBaselineDrop;
    canvas_.Text(p, x, y - baseline_drop, Face::kRegular, type::kSmallSize, row.key,
                 colour::kMuted);
    for (const std::string& line : row.lines) {
      canvas_.Text(p, x + record::kKeyWidth, y - baseline_drop, Face::kRegular, type::kSmallSize,
                   line, colour::kInk);
      y -= type::kSmallLeading;
    }
    y -= record::kRowGap;
  }
}

// The page draws nothing here: the stamp is the signature field's
// appearance, so that it is part of the seal rather than of the page.
void FilledPainter::AddSeal(HPDF_Page p, const SealAtom& atom, float height, float top) {
  if (!seal_form_) seal_form_.emplace(doc_);
  seal_form_->AddSealField(p, {g_.left, top - height, g_.Width(), height}, atom.spec);
}

// Right of the label: whether the patient ticked "I understand".
void FilledPainter::Confirmation(HPDF_Page p, const RiskActionsAtom& atom, const PdfRect&,
                                 float label_x, float label_top) {
  float x = label_x +
            canvas_.TextWidth(Face::kBold, type::kBodySize, text_->Text("pdf.risk.confirm")) +
            risk::kConfirmationGap;
  canvas_.Text(p, x, label_top - type::kBodySize, Face::kBold, type::kBodySize,
               text_->Text(atom.ticked ? "pdf.risk.understood" : "pdf.risk.not-confirmed"),
               atom.ticked ? colour::kValue : colour::kRequired);
}

// A few characters, but wide ones may need a smaller size to fit.
void FilledPainter::Initials(HPDF_Page p, const RiskActionsAtom& atom, const PdfRect& box) {
  if (!atom.initials) return;
  const std::string& value = *atom.initials;
  const float full = risk::kInitialsValueSize;
  float natural = canvas_.TextWidth(Face::kBold, full, value);
  float size =
      std::min(full, full * (box.width - 2 * field::kValueInset) / std::max(1.0f, natural));
  float width = canvas_.TextWidth(Face::kBold, size, value);
  canvas_.Text(p, box.x + (box.width - width) / 2, box.y + risk::kInitialsValueRise, Face::kBold,
               size, value, colour::kValue);
}

void FilledPainter::CellValue(HPDF_Page p, const MeasuredCell& cell, const PdfRect& box) {
  if (!cell.value) {
    const char* absent = cell.hidden                                 ? "pdf.not-asked"
                         : cell.field->type == FieldType::kSignature ? "pdf.not-signed"
                                                                     : "pdf.not-answered";
    canvas_.Text(p, box.x + field::kValueInset, box.y + field::kAbsentRise, Face::kRegular,
                 type::kLabelSize, text_->Text(absent), colour::kMuted);
  } else if (const auto* signature = std::get_if<Signature>(cell.value)) {
    PdfRect area{box.x + field::kSignatureLeft, box.y + field::kSignatureRise,
                 box.width - field::kSignatureNarrower, box.height - field::kSignatureShorter};
    canvas_.Polylines(p, FitSignature(*signature, area), colour::kValue, field::kPenWidth);
  } else if (std::holds_alternative<std::string>(*cell.value)) {
    DrawValueText(p, cell.text, box.x + field::kValueInset,
                  box.y + box.height - field::kValueTopInset);
  }
}

void FilledPainter::DrawValueText(HPDF_Page p, const ValueText& value, float x, float top) {
  float baseline = top - (value.leading / 2 + field::kBaselineBelowMiddle * value.size);
  for (const std::string& line : value.lines) {
    canvas_.Text(p, x, baseline, Face::kRegular, value.size, line, colour::kValue);
    baseline -= value.leading;
  }
}

FieldNode FilledPainter::BeginOptions(const MeasuredQuestion&) { return {}; }

void FilledPainter::OptionMark(HPDF_Page, const MeasuredQuestion&, const MeasuredOption&, FieldNode,
                               const PdfRect&) {}

// The chosen options stand out in blue and the others step back, so the
// answer reads at a glance.
Color FilledPainter::OptionColor(bool chosen) const {
  return chosen ? colour::kValue : colour::kMuted;
}

}  // namespace consentkit
