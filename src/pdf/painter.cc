#include "pdf/painter.h"

#include <algorithm>
#include <utility>

#include "i18n/dates.h"
#include "pdf/overloaded.h"
#include "pdf/style.h"

namespace consentkit {

using namespace style;  // NOLINT: the style groups read best unqualified here

Painter::Painter(Canvas& canvas, const PageGeometry& g, const ClinicSettings& clinic,
                 const PatientIdentity* patient)
    : canvas_(canvas), g_(g), clinic_(clinic), patient_(patient) {}

void Painter::Header(HPDF_Page p, const FormDefinition& form) {
  float top = g_.height - header::kDrop;
  float x = g_.left;
  if (logo_) {
    x += canvas_.DrawImage(p, logo_, g_.left, top - header::kLogoHeight, header::kLogoHeight) +
         header::kLogoGap;
  }
  canvas_.Text(p, x, top - header::kNameDrop, Face::kBold, header::kNameSize, clinic_.name,
               colour::kInk);
  std::string contact = clinic_.address;
  if (!clinic_.phone.empty()) contact += (contact.empty() ? "" : "  ·  ") + clinic_.phone;
  if (!contact.empty()) {
    canvas_.Text(p, x, top - header::kContactDrop, Face::kRegular, header::kContactSize, contact,
                 colour::kMuted);
  }
  std::string title = canvas_.Ellipsize(Face::kBold, header::kTitleSize, form.title,
                                        g_.Width() / 2 - header::kTitleGap);
  canvas_.TextRight(p, g_.right, top - header::kNameDrop, Face::kBold, header::kTitleSize, title,
                    colour::kAccent);
  canvas_.Line(p, g_.left, top - header::kRuleDrop, g_.right, top - header::kRuleDrop,
               colour::kAccent, header::kRuleWidth);
  if (patient_) PatientBand(p);
}

// Under the header rule, so that a page separated from its packet still
// says whose it is. Labels step back in grey; a name too long for the band
// is cut rather than run into the page edge.
void Painter::PatientBand(HPDF_Page p) {
  const float top = g_.height - band::kDrop;
  canvas_.FillRect(p, {g_.left, top - band::kHeight, g_.Width(), band::kHeight}, colour::kTint);
  std::vector<std::pair<std::string, std::string>> parts = {
      {text_->Text("pdf.band.patient") + " ", patient_->name},
      {"  \u00b7  " + text_->Text("pdf.band.date-of-birth") + " ",
       DisplayDate(patient_->date_of_birth, *text_, clinic_.date_order)}};
  if (!patient_->number.empty()) {
    parts.push_back({"  \u00b7  " + text_->Text("pdf.band.number") + " ", patient_->number});
  }
  float rest = band::kReserve;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    rest += canvas_.TextWidth(Face::kRegular, band::kSize, parts[i].first);
    if (i > 0) rest += canvas_.TextWidth(Face::kBold, band::kSize, parts[i].second);
  }
  parts[0].second = canvas_.Ellipsize(Face::kBold, band::kSize, parts[0].second,
                                      std::max(band::kMinNameWidth, g_.Width() - rest));
  float x = g_.left + band::kInset;
  float baseline = top - band::kHeight / 2 - band::kBaselineBelowMiddle;
  for (const auto& [key, value] : parts) {
    canvas_.Text(p, x, baseline, Face::kRegular, band::kSize, key, colour::kMuted);
    x += canvas_.TextWidth(Face::kRegular, band::kSize, key);
    canvas_.Text(p, x, baseline, Face::kBold, band::kSize, value, colour::kInk);
    x += canvas_.TextWidth(Face::kBold, band::kSize, value);
  }
}

void Painter::Footer(HPDF_Page p, const FormDefinition& f, const SubmissionStamp* stamp,
                     std::size_t number, std::size_t total) {
  canvas_.Line(p, g_.left, footer::kRuleY, g_.right, footer::kRuleY, colour::kRule,
               footer::kRuleWidth);
  const Catalog& text = Catalog::For(f.lang);
  canvas_.Text(p, g_.left, footer::kTextY, Face::kRegular, footer::kSize,
               text.Format("pdf.footer.form",
                           {{"form", f.id}, {"version", f.version}, {"hash", f.ShortHash()}}),
               colour::kMuted);
  canvas_.TextRight(p, g_.right, footer::kTextY, Face::kBold, footer::kPageNumberSize,
                    text.Format("pdf.footer.page", {{"page", std::to_string(number)},
                                                    {"pages", std::to_string(total)}}),
                    colour::kInk);
  if (!stamp) return;
  std::string id = text.Format("pdf.footer.submission", {{"id", stamp->submission_id}});
  canvas_.Text(p, g_.left, footer::kSubmissionY, Face::kRegular, footer::kSize,
               canvas_.Ellipsize(Face::kRegular, footer::kSize, id, g_.Width()), colour::kMuted);
}

void Painter::Paint(HPDF_Page p, const AtomPayload& what, const FlowItem& flow, float top) {
  const float h = flow.height;
  std::visit(Overloaded{
                 [&](const TitleAtom& a) { DrawTitle(p, a, top); },
                 [&](const HeadingAtom& a) { DrawHeading(p, a, top); },
                 [&](const TextLineAtom& a) { DrawTextLine(p, a, top); },
                 [&](const RiskHeadAtom& a) { DrawRiskHead(p, a, h, top); },
                 [&](const RiskLineAtom& a) { DrawRiskLine(p, a, h, top); },
                 [&](const RiskActionsAtom& a) { DrawRiskActions(p, a, h, top); },
                 [&](const FieldRowAtom& a) { DrawRow(p, a, top); },
                 [&](const QuestionAtom& a) { DrawQuestion(p, a.question, h, top); },
                 [&](const auto&) { PaintOwn(p, what, h, top); },
             },
             what);
}

void Painter::DrawTitle(HPDF_Page p, const TitleAtom& atom, float top) {
  for (std::size_t i = 0; i < atom.lines.size(); ++i) {
    canvas_.Text(p, g_.left, top - title::kSize - title::kLeading * static_cast<float>(i),
                 Face::kBold, title::kSize, atom.lines[i], colour::kInk);
  }
}

void Painter::DrawHeading(HPDF_Page p, const HeadingAtom& atom, float top) {
  float y = top - heading::kSize;
  for (const auto& line : atom.lines) {
    canvas_.Text(p, g_.left, y, Face::kBold, heading::kSize, line, colour::kAccent);
    y -= heading::kLeading;
  }
  canvas_.Line(p, g_.left, y + heading::kRuleRise, g_.right, y + heading::kRuleRise, colour::kRule,
               heading::kRuleWidth);
}

void Painter::DrawTextLine(HPDF_Page p, const TextLineAtom& atom, float top) {
  float x = g_.left + atom.indent;
  float bullet_width = atom.bullet.empty() ? 0 : text::kBulletWidth;
  if (atom.first && !atom.bullet.empty()) {
    canvas_.Text(p, x + text::kBulletInset, top - text::kBulletBaselineDrop, Face::kBold,
                 type::kBodySize, atom.bullet, colour::kAccent);
  }
  canvas_.Text(p, x + bullet_width, top - type::kBodyBaselineDrop, Face::kRegular, type::kBodySize,
               atom.line, colour::kInk);
}

// Each part of a risk card paints its own slice of the card's tint.
void Painter::CardBackground(HPDF_Page p, float top, float height) {
  canvas_.FillRect(p, {g_.left, top - height, g_.Width(), height}, colour::kTint);
  canvas_.FillRect(p, {g_.left, top - height, risk::kBarWidth, height}, colour::kAccent);
}

void Painter::DrawRiskHead(HPDF_Page p, const RiskHeadAtom& atom, float height, float top) {
  CardBackground(p, top, height);
  for (std::size_t i = 0; i < atom.lines.size(); ++i) {
    float baseline = top - risk::kTitleBaselineDrop - risk::kTitleLeading * static_cast<float>(i);
    canvas_.Text(p, g_.left + risk::kPadding, baseline, Face::kBold, risk::kTitleSize,
                 atom.lines[i], colour::kInk);
  }
}

void Painter::DrawRiskLine(HPDF_Page p, const RiskLineAtom& atom, float height, float top) {
  CardBackground(p, top, height);
  canvas_.Text(p, g_.left + risk::kPadding, top - type::kBodyBaselineDrop, Face::kRegular,
               type::kBodySize, atom.line, colour::kInk);
}

// The card's last row: "I understand this risk" on the left, the initials
// box on the right.
void Painter::DrawRiskActions(HPDF_Page p, const RiskActionsAtom& atom, float height, float top) {
  CardBackground(p, top, height);
  float row = top - risk::kActionsDrop;  // the top edge of the control row
  PdfRect check{g_.left + risk::kPadding, row - risk::kCheckDrop, question::kMark + 1,
                question::kMark + 1};
  MarkBox(p, check, atom.ticked);
  float label_x = check.x + check.width + risk::kLabelGap;
  DrawLabel(p, atom.label, label_x, row - risk::kLabelDrop);
  Confirmation(p, atom, check, label_x, row - risk::kLabelDrop);
  DrawInitialsBox(p, atom, row);
}

void Painter::DrawInitialsBox(HPDF_Page p, const RiskActionsAtom& atom, float row) {
  PdfRect box{g_.right - risk::kPadding - risk::kInitialsWidth, row - risk::kInitialsHeight,
              risk::kInitialsWidth, risk::kInitialsHeight};
  float baseline = row - risk::kInitialsBaselineDrop;
  canvas_.TextRight(p, box.x - risk::kInitialsLabelGap, baseline, Face::kRegular, type::kLabelSize,
                    text_->Text("risk.initials"), colour::kInk);
  canvas_.Text(p, box.x - risk::kInitialsAsteriskGap, baseline, Face::kBold, type::kLabelSize, "*",
               colour::kRequired);
  canvas_.FillRect(p, box, colour::kBoxFill);
  canvas_.StrokeRect(p, box, colour::kBox, field::kBoxLineWidth);
  Initials(p, atom, box);
}

void Painter::DrawRow(HPDF_Page p, const FieldRowAtom& atom, float top) {
  for (const MeasuredCell& cell : atom.cells) DrawCell(p, cell, top);
}

void Painter::DrawCell(HPDF_Page p, const MeasuredCell& cell, float top) {
  float y = DrawLabel(p, cell.label, cell.x, top);
  y = DrawSmallLines(p, cell.note, cell.x, y, colour::kAccent);
  PdfRect box{cell.x, y - field::kBoxGap - cell.box_height, cell.width, cell.box_height};
  DrawBox(p, cell, box);
  CellValue(p, cell, box);
  DrawSmallLines(p, cell.hint, cell.x, box.y - field::kHintGap, colour::kMuted);
}

void Painter::DrawBox(HPDF_Page p, const MeasuredCell& cell, const PdfRect& box) {
  canvas_.FillRect(p, box, cell.hidden ? colour::kNotAskedFill : colour::kBoxFill);
  if (!cell.signature_line) {
    canvas_.StrokeRect(p, box, cell.hidden ? colour::kRule : colour::kBox, field::kBoxLineWidth);
    return;
  }
  canvas_.StrokeRect(p, box, colour::kRule, field::kFaintLineWidth);
  float line_y = box.y + field::kSignatureLineRise;
  canvas_.Line(p, box.x + field::kSignatureLineInset, line_y,
               box.x + box.width - field::kSignatureLineInset, line_y, colour::kBox,
               field::kBoxLineWidth);
  canvas_.Text(p, box.x + field::kSignatureLineInset, box.y + field::kCrossRise, Face::kRegular,
               field::kCrossSize, "\u00d7", colour::kMuted);
}

void Painter::DrawQuestion(HPDF_Page p, const MeasuredQuestion& q, float height, float top) {
  float y = DrawLabel(p, q.label, g_.left, top - question::kPadding);
  y = DrawSmallLines(p, q.note, g_.left, y, colour::kAccent);
  y = DrawSmallLines(p, q.hint, g_.left, y, colour::kMuted);
  if (q.hidden) {
    DrawNotAsked(p, q, top, y);
  } else if (q.yes_no) {
    DrawYesNo(p, q, top);
  } else {
    DrawOptions(p, q, y - question::kOptionsGap);
  }
  canvas_.Line(p, g_.left, top - height, g_.right, top - height, colour::kRule,
               question::kSeparatorWidth);
}

// Where the options would be: right of the text for yes/no, below it else.
void Painter::DrawNotAsked(HPDF_Page p, const MeasuredQuestion& q, float top, float y) {
  float x = q.yes_no ? g_.right - question::kYesNoInset : g_.left + question::kOptionIndent;
  float baseline = q.yes_no ? top - question::kPadding - question::kMark + question::kOptionTextRise
                            : y - question::kOptionsGap - type::kBodyBaselineDrop;
  canvas_.Text(p, x, baseline, Face::kRegular, type::kBodySize, text_->Text("pdf.not-asked"),
               colour::kMuted);
}

void Painter::DrawYesNo(HPDF_Page p, const MeasuredQuestion& q, float top) {
  FieldNode node = BeginOptions(q);
  float x = g_.right - question::kYesNoInset;
  for (const MeasuredOption& option : q.options) {
    PdfRect mark{x, top - question::kPadding - question::kMark, question::kMark, question::kMark};
    MarkCircle(p, mark, option.chosen);
    OptionMark(p, q, option, node, mark);
    canvas_.Text(p, x + question::kMark + question::kOptionTextGap,
                 mark.y + question::kOptionTextRise, option.face, type::kBodySize,
                 option.lines.front(), OptionColor(option.chosen));
    x += question::kYesNoStep;
  }
}

void Painter::DrawOptions(HPDF_Page p, const MeasuredQuestion& q, float top) {
  FieldNode node = BeginOptions(q);
  float y = top;
  for (const MeasuredOption& option : q.options) {
    PdfRect mark{g_.left + question::kOptionIndent, y - question::kMark, question::kMark,
                 question::kMark};
    if (q.multi) {
      MarkBox(p, mark, option.chosen);
    } else {
      MarkCircle(p, mark, option.chosen);
    }
    OptionMark(p, q, option, node, mark);
    for (const auto& line : option.lines) {
      canvas_.Text(p, g_.left + question::kOptionTextIndent, y - type::kBodyBaselineDrop,
                   option.face, type::kBodySize, line, OptionColor(option.chosen));
      y -= type::kBodyLeading;
    }
    y -= question::kOptionsGap;
  }
}

// The label's lines in ink, and a red asterisk after the last when required.
float Painter::DrawLabel(HPDF_Page p, const MeasuredLabel& label, float x, float top) {
  float y = top;
  for (const std::string& line : label.lines) {
    canvas_.Text(p, x, y - label.size, label.face, label.size, line, colour::kInk);
    y -= label.leading;
  }
  if (label.required) {
    float end =
        x + canvas_.TextWidth(label.face, label.size, label.lines.back()) + field::kAsteriskGap;
    canvas_.Text(p, end, y + label.leading - label.size, Face::kBold, label.size, "*",
                 colour::kRequired);
  }
  return y;
}

float Painter::DrawSmallLines(HPDF_Page p, const std::vector<std::string>& lines, float x, float y,
                              Color color) {
  for (const auto& line : lines) {
    if (line.empty()) break;
    canvas_.Text(p, x, y - type::kSmallBaselineDrop, Face::kRegular, type::kSmallSize, line, color);
    y -= type::kSmallLeading;
  }
  return y;
}

void Painter::MarkBox(HPDF_Page p, const PdfRect& mark, bool ticked) {
  canvas_.FillRect(p, mark, colour::kBoxFill);
  canvas_.StrokeRect(p, mark, colour::kBox, field::kBoxLineWidth);
  if (ticked) canvas_.Tick(p, mark, colour::kValue);
}

void Painter::MarkCircle(HPDF_Page p, const PdfRect& mark, bool chosen) {
  canvas_.Circle(p, mark.x + question::kMark / 2, mark.y + question::kMark / 2, question::kMark / 2,
                 colour::kBox, field::kBoxLineWidth);
  if (chosen) canvas_.Dot(p, mark, colour::kValue);
}

}  // namespace consentkit
