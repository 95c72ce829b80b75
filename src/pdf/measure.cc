#include "pdf/measure.h"

#include <algorithm>

#include "i18n/dates.h"
#include "pdf/seal_stamp.h"
#include "pdf/style.h"

namespace consentkit {
namespace {

using namespace style;  // NOLINT: the style groups read best unqualified here

// Fields short enough to share a row with others.
bool IsCompact(FieldType type) {
  switch (type) {
    case FieldType::kDate:
    case FieldType::kPhone:
    case FieldType::kEmail:
    case FieldType::kInitials:
    case FieldType::kSignature:
      return true;
    default:
      return false;
  }
}

float PreferredWidth(FieldType type, float full) {
  switch (type) {
    case FieldType::kDate:
      return field::kDateWidth;
    case FieldType::kPhone:
      return field::kPhoneWidth;
    case FieldType::kEmail:
      return field::kEmailWidth;
    case FieldType::kInitials:
      return field::kInitialsWidth;
    case FieldType::kSignature:
      return field::kSignatureWidth;
    default:
      return full;
  }
}

float BoxHeight(FieldType type) {
  switch (type) {
    case FieldType::kTextArea:
      return field::kTextAreaHeight;
    case FieldType::kSignature:
      return field::kSignatureHeight;
    default:
      return field::kLineHeight;
  }
}

bool IsQuestion(const Field& field) {
  return field.screening || field.type == FieldType::kYesNo || field.type == FieldType::kChoice ||
         field.type == FieldType::kMultiChoice;
}

// The hint printed under a blank field's box: a date field says its format,
// in the order the language and the clinic write dates (dates.h).
std::string HintOf(const Field& field, const Catalog& text, std::optional<DateOrder> order) {
  return field.hint.empty() && field.type == FieldType::kDate ? DateHint(text, order) : field.hint;
}

float LeadingFor(float size) {
  return size == type::kBodySize    ? type::kBodyLeading
         : size == type::kLabelSize ? type::kLabelLeading
                                    : size * type::kLeadingRatio;
}

float SmallHeight(const std::vector<std::string>& lines) {
  return type::kSmallLeading * static_cast<float>(lines.size());
}

std::string OptionLabel(const Field& field, const std::string& value) {
  for (const Option& o : field.options) {
    if (o.value == value) return o.label;
  }
  return value;
}

// The caption under a drawn signature; empty when the form names no signer.
std::string SignerCaption(SignerRole role, const Catalog& text) {
  switch (role) {
    case SignerRole::kPatient:
      return text.Text("pdf.signer.patient");
    case SignerRole::kPractitioner:
      return text.Text("pdf.signer.practitioner");
    case SignerRole::kWitness:
      return text.Text("pdf.signer.witness");
    case SignerRole::kNone:
      break;
  }
  return "";
}

Tone ToneOf(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSuitable:
      return {colour::kSuitable, colour::kSuitableTint};
    case Outcome::kPractitionerReview:
      return {colour::kReview, colour::kReviewTint};
    case Outcome::kDefer:
      return {colour::kRequired, colour::kDeferTint};
  }
  return {colour::kAccent, colour::kTint};
}

std::string WitnessLine(const WitnessUnlocked& w, const Catalog& text) {
  return text.Format("pdf.record.witness-unlocked",
                     {{"name", w.by_name}, {"token", w.by}, {"time", w.at}});
}

// The record block's patient row: who, when born, and the clinic's number.
std::string PatientLine(const PatientIdentity& patient, const Catalog& text,
                        std::optional<DateOrder> order) {
  std::string dob = DisplayDate(patient.date_of_birth, text, order);
  if (patient.number.empty()) {
    return text.Format("pdf.record.patient-line", {{"name", patient.name}, {"dob", dob}});
  }
  return text.Format("pdf.record.patient-line-number",
                     {{"name", patient.name}, {"dob", dob}, {"number", patient.number}});
}

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

std::string FieldsSource(const std::vector<const Field*>& row) {
  std::string source = row.size() == 1 ? "field " : "fields ";
  for (std::size_t i = 0; i < row.size(); ++i) {
    source += (i ? ", " : "") + Quoted(row[i]->id);
  }
  return source;
}

}  // namespace

PageGeometry GeometryFor(PageSize size, bool patient_band) {
  PageGeometry g{};
  g.width = size == PageSize::kLetter ? page::kLetterWidth : page::kA4Width;
  g.height = size == PageSize::kLetter ? page::kLetterHeight : page::kA4Height;
  g.left = page::kMargin;
  g.right = g.width - page::kMargin;
  g.top = g.height - page::kContentDrop;
  g.bottom = page::kContentBottom;
  if (patient_band) g.top -= band::kShift;
  return g;
}

// Where a section's blocks stand while they are cut into atoms.
struct Measurer::SectionState {
  explicit SectionState(const Section& s) : section(s) {}
  const Section& section;
  int risk_number = 0;
  bool previous_was_text = false;
  std::vector<const Field*> row;  // compact fields waiting to share a row
  float row_width = 0;
};

Measurer::Measurer(Canvas& canvas, const PageGeometry& g, const FormDefinition& form,
                   const Answers& answers, const PatientIdentity* patient,
                   std::optional<DateOrder> date_order)
    : canvas_(canvas),
      g_(g),
      form_(form),
      text_(Catalog::For(form.lang)),
      date_order_(date_order),
      answers_(answers),
      patient_(patient) {}

Atoms Measurer::BlankForm() {
  Title();
  RequiredLegend();
  for (const Section& section : form_.sections) AddSection(section);
  if (!form_.rules.empty()) ClinicUseBox();
  return std::move(atoms_);
}

Atoms Measurer::FilledForm() {
  Title();
  FilledLegend();
  for (const Section& section : form_.sections) AddSection(section);
  if (!form_.rules.empty()) OutcomeBox();
  RecordBlock();
  if (answers_.values().seal) SealStamp();
  return std::move(atoms_);
}

void Measurer::Title() {
  std::vector<std::string> lines = canvas_.Wrap(Face::kBold, title::kSize, form_.title, g_.Width());
  float height = title::kLeading * static_cast<float>(lines.size()) + title::kAfter;
  atoms_.Add({height, 0, true, "title"}, TitleAtom{lines});
  if (!form_.summary.empty()) TextLines(form_.summary, 0, title::kSummarySpace, "", "summary");
}

void Measurer::RequiredLegend() {
  bool any_required = std::any_of(form_.fields.begin(), form_.fields.end(),
                                  [](const Field& f) { return f.required; });
  if (!any_required) return;
  atoms_.Add({type::kSmallLeading + title::kLegendAfter, title::kLegendSpace, false, "legend"},
             RequiredLegendAtom{});
}

// Says what this copy is, in the colour it names.
void Measurer::FilledLegend() {
  std::vector<std::string> lines = canvas_.Wrap(
      Face::kRegular, type::kSmallSize,
      text_.Format(
          "pdf.filled-legend",
          {{"received", DisplayInstant(answers_.values().stamp->received_at, text_, date_order_)}}),
      g_.Width());
  float height = type::kSmallLeading * static_cast<float>(lines.size()) + title::kLegendAfter;
  atoms_.Add({height, title::kLegendSpace, false, "legend"}, FilledLegendAtom{lines});
}

// Compact fields collect into rows; an introduction stays with what it
// introduces; a short fields section, such as the signatures at the end of
// a consent, moves to the next page whole rather than leaving the patient's
// signature on one page and the practitioner's on the next.
void Measurer::AddSection(const Section& section) {
  std::size_t first = atoms_.size();
  Heading(section);
  SectionState state(section);
  for (const Block& block : section.blocks) AddBlock(block, state);
  FlushRow(state);
  if (section.kind != SectionKind::kFields) return;
  KeepTogetherIfShort(atoms_.flow, first, atoms_.size(),
                      page::kShortSectionShare * g_.Frame().Height());
}

void Measurer::AddBlock(const Block& block, SectionState& state) {
  const Field* field = form_.FieldOf(block);
  if (field && !field->screening && IsCompact(field->type)) return AddToRow(*field, state);
  FlushRow(state);
  if (state.previous_was_text && (std::holds_alternative<Risk>(block) || field)) {
    atoms_.flow.back().keep_with_next = true;
  }
  state.previous_was_text =
      std::holds_alternative<Paragraph>(block) || std::holds_alternative<BulletList>(block);
  const std::string in_section = " in section " + Quoted(state.section.id);
  if (const auto* p = std::get_if<Paragraph>(&block)) {
    TextLines(p->text, 0, text::kParagraphSpace, "", "paragraph" + in_section);
  } else if (const auto* list = std::get_if<BulletList>(&block)) {
    for (std::size_t i = 0; i < list->items.size(); ++i) {
      TextLines(list->items[i], text::kItemIndent, i == 0 ? text::kListSpace : text::kItemSpace,
                "•", "list item" + in_section);
    }
  } else if (const auto* risk = std::get_if<Risk>(&block)) {
    RiskCard(*risk, ++state.risk_number);
  } else if (IsQuestion(*field)) {
    Question(*field);
  } else {
    FieldRow({field});
  }
}

void Measurer::AddToRow(const Field& field, SectionState& state) {
  float w = PreferredWidth(field.type, g_.Width());
  if (!state.row.empty() && state.row_width + field::kRowGap + w > g_.Width()) FlushRow(state);
  state.row_width += (state.row.empty() ? 0 : field::kRowGap) + w;
  state.row.push_back(&field);
}

void Measurer::FlushRow(SectionState& state) {
  if (!state.row.empty()) FieldRow(state.row);
  state.row.clear();
  state.row_width = 0;
}

void Measurer::Heading(const Section& section) {
  std::vector<std::string> lines =
      canvas_.Wrap(Face::kBold, heading::kSize, section.heading, g_.Width());
  float height = heading::kLeading * static_cast<float>(lines.size()) + heading::kAfter;
  atoms_.Add({height, heading::kSpace, true, "heading of section " + Quoted(section.id)},
             HeadingAtom{lines});
}

// One atom per line, with no line left alone at a page's foot or head.
void Measurer::TextLines(const std::string& text, float indent, float space_before,
                         const std::string& bullet, const std::string& source) {
  float bullet_width = bullet.empty() ? 0 : text::kBulletWidth;
  std::vector<std::string> lines =
      canvas_.Wrap(Face::kRegular, type::kBodySize, text, g_.Width() - indent - bullet_width);
  std::size_t first = atoms_.size();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    atoms_.Add({type::kBodyLeading, i == 0 ? space_before : 0, false, source},
               TextLineAtom{lines[i], indent, bullet, i == 0});
  }
  KeepParagraphLines(atoms_.flow, first, atoms_.size());
}

// A tinted card: numbered title, description, then the "I understand"
// checkbox and the initials box, kept together so the card moves to a new
// page whole unless it is taller than a page.
void Measurer::RiskCard(const Risk& risk, int number) {
  float inner = g_.Width() - 2 * risk::kPadding;
  std::string source = "risk " + Quoted(risk.id);
  std::size_t first = atoms_.size();
  std::vector<std::string> title_lines = canvas_.Wrap(
      Face::kBold, risk::kTitleSize, std::to_string(number) + ". " + risk.title, inner);
  float head = risk::kHeadPadding + risk::kTitleLeading * static_cast<float>(title_lines.size());
  atoms_.Add({head, risk::kSpace, false, source}, RiskHeadAtom{title_lines});
  for (std::string& line : canvas_.Wrap(Face::kRegular, type::kBodySize, risk.description, inner)) {
    atoms_.Add({type::kBodyLeading, 0, false, source}, RiskLineAtom{std::move(line)});
  }
  RiskActionsAtom actions{
      &risk, form_.FindField(risk.InitialsFieldId()),
      Label(text_.Text("pdf.risk.confirm"), true, risk::kLabelWidth, type::kBodySize, Face::kBold),
      answers_.Ticked(risk.UnderstoodFieldId()), answers_.TextOf(risk.InitialsFieldId())};
  atoms_.Add({risk::kActionsHeight, 0, false, source}, std::move(actions));
  KeepTogether(atoms_.flow, first, atoms_.size());
}

// Fields side by side, each in its own column; a row is one atom.
void Measurer::FieldRow(const std::vector<const Field*>& row) {
  FieldRowAtom atom;
  float height = 0, x = g_.left;
  for (const Field* field : row) {
    float width = row.size() == 1 && !IsCompact(field->type)
                      ? g_.Width()
                      : PreferredWidth(field->type, g_.Width());
    atom.cells.push_back(MeasureCell(*field, x, width));
    height = std::max(height, CellHeight(atom.cells.back()));
    x += width + field::kRowGap;
  }
  atoms_.Add({height + field::kRowAfter, field::kRowSpace, false, FieldsSource(row)},
             std::move(atom));
}

MeasuredCell Measurer::MeasureCell(const Field& field, float x, float width) const {
  MeasuredCell cell;
  cell.field = &field;
  cell.x = x;
  cell.width = width;
  cell.label = Label(field.label, field.required, width, type::kLabelSize, Face::kBold);
  cell.note = SmallLines(ConditionNote(field), width);
  cell.hidden = answers_.Hidden(field);
  cell.value = cell.hidden ? nullptr : answers_.ValueOf(field.id);
  if (const auto* text = cell.value ? std::get_if<std::string>(cell.value) : nullptr) {
    // A date answer is stored as YYYY-MM-DD and printed as people write it.
    std::string shown =
        field.type == FieldType::kDate ? DisplayDate(*text, text_, date_order_) : *text;
    cell.text = LayOutValue(canvas_, shown, width - 2 * field::kValueInset,
                            page::kValueShare * g_.Frame().Height());
  }
  cell.box_height = BoxHeightOf(cell);
  cell.hint = SmallLines(CellHint(cell), width);
  // A blank form always offers the line to sign on; a filled one only
  // where someone signed.
  cell.signature_line = field.type == FieldType::kSignature && !cell.hidden &&
                        (!answers_.Filling() || cell.value != nullptr);
  return cell;
}

float Measurer::CellHeight(const MeasuredCell& cell) const {
  float height = cell.label.leading * static_cast<float>(cell.label.lines.size());
  height += SmallHeight(cell.note);
  height += field::kBoxGap + cell.box_height;
  if (!cell.hint.empty()) height += field::kHintGap + SmallHeight(cell.hint);
  return height;
}

// A filled text box grows to hold its whole value; a box with nothing in
// it ("Not asked", "Not answered") shrinks to one line.
float Measurer::BoxHeightOf(const MeasuredCell& cell) const {
  FieldType type = cell.field->type;
  if (!answers_.Filling()) return BoxHeight(type);
  if (!cell.value) return BoxHeight(FieldType::kText);
  if (std::holds_alternative<std::string>(*cell.value)) {
    return std::max(BoxHeight(FieldType::kText), cell.text.Height() + field::kValuePadding);
  }
  return BoxHeight(type);
}

// Blank forms say a date's format under its box; filled ones say who signed
// under a signature instead, and the date needs no format.
std::string Measurer::CellHint(const MeasuredCell& cell) const {
  const Field& field = *cell.field;
  if (!answers_.Filling()) return HintOf(field, text_, date_order_);
  if (field.type == FieldType::kSignature && cell.value) {
    std::string caption = SignerCaption(field.role, text_);
    if (!caption.empty()) return caption;
  }
  return field.hint;
}

// Yes/no questions put the two buttons at the right of the question text;
// choices list one option per line below it. A separator closes each.
void Measurer::Question(const Field& field) {
  QuestionAtom atom{MeasureQuestion(field)};
  float height = QuestionHeight(atom.question);
  atoms_.Add({height, 0, false, "field " + Quoted(field.id)}, std::move(atom));
}

MeasuredQuestion Measurer::MeasureQuestion(const Field& field) const {
  MeasuredQuestion q;
  q.field = &field;
  q.yes_no = field.type == FieldType::kYesNo;
  q.multi = field.type == FieldType::kMultiChoice;
  q.hidden = answers_.Hidden(field);
  q.text_width = q.yes_no ? g_.Width() - question::kYesNoRoom : g_.Width();
  q.label = Label(field.label, field.required, q.text_width, type::kBodySize, Face::kRegular);
  q.note = SmallLines(ConditionNote(field), q.text_width);
  q.hint = SmallLines(field.hint, q.text_width);
  for (const Option& option : field.options) {
    bool chosen = answers_.Chose(field, option.value);
    // A filled form prints the chosen options in bold, so they are
    // measured in bold too.
    Face face = chosen ? Face::kBold : Face::kRegular;
    std::vector<std::string> lines =
        q.yes_no
            ? std::vector<std::string>{OptionLabel(field, option.value)}
            : canvas_.Wrap(face, type::kBodySize, option.label, g_.Width() - question::kOptionRoom);
    q.options.push_back({&option, std::move(lines), face, chosen});
  }
  return q;
}

float Measurer::QuestionHeight(const MeasuredQuestion& q) const {
  float text = q.label.leading * static_cast<float>(q.label.lines.size()) + SmallHeight(q.note) +
               SmallHeight(q.hint);
  return question::kPadding + std::max(text, question::kMinTextHeight) + OptionRowsHeight(q) +
         question::kPadding;
}

float Measurer::OptionRowsHeight(const MeasuredQuestion& q) const {
  if (q.yes_no) return 0;
  if (q.hidden) return type::kBodyLeading + question::kNotAskedPadding;  // "Not asked"
  float height = 0;
  for (const MeasuredOption& option : q.options) {
    height += question::kOptionsGap + type::kBodyLeading * static_cast<float>(option.lines.size());
  }
  return height + question::kOptionsGap;
}

// Lines of a label, leaving room for the required-field asterisk.
MeasuredLabel Measurer::Label(const std::string& text, bool required, float width, float size,
                              Face face) const {
  return {canvas_.Wrap(face, size, text, width - (required ? field::kAsteriskRoom : 0)), required,
          face, size, LeadingFor(size)};
}

// Small print wrapped to `width`: a condition note or a hint. No lines for
// no text.
std::vector<std::string> Measurer::SmallLines(const std::string& text, float width) const {
  if (text.empty()) return {};
  return canvas_.Wrap(Face::kRegular, type::kSmallSize, text, width);
}

std::string Measurer::ConditionNote(const Field& field) const {
  if (!field.condition) return "";
  const Field* target = form_.FindField(field.condition->field_id);
  if (!target) return "";
  return text_.Format("pdf.condition", {{"option", OptionLabel(*target, field.condition->equals)},
                                        {"question", target->label}});
}

// Printed only, not a form field: staff record the screening outcome on paper.
void Measurer::ClinicUseBox() {
  atoms_.Add({clinic_box::kHeight, clinic_box::kSpace, false, "clinic-use box"}, ClinicUseAtom{});
}

// Where the blank form has its "for clinic use" box: the outcome Screen()
// reached and the reason of every rule that holds, as a panel tinted by the
// outcome. One atom per line, all kept together, like a risk card.
void Measurer::OutcomeBox() {
  const ScreeningResult& result = *answers_.values().screening;
  Tone tone = ToneOf(result.outcome);
  std::size_t first = atoms_.size();
  atoms_.Add({outcome::kHeadHeight, outcome::kSpace, false, "screening outcome"},
             OutcomeHeadAtom{result.outcome, tone});
  for (const std::string& reason : result.reasons) OutcomeReason(reason, true, tone);
  if (result.reasons.empty()) {
    OutcomeReason(text_.Text("pdf.outcome.no-rule"), false, tone);
  }
  atoms_.Add({outcome::kFootHeight, 0, false, "screening outcome"}, OutcomeFootAtom{tone});
  KeepTogether(atoms_.flow, first, atoms_.size());
}

void Measurer::OutcomeReason(const std::string& reason, bool bullet, Tone tone) {
  std::vector<std::string> lines =
      canvas_.Wrap(Face::kRegular, type::kBodySize, reason, g_.Width() - outcome::kTextRoom);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    float height = type::kBodyLeading + (i == 0 ? outcome::kFirstLineExtra : 0);
    atoms_.Add({height, 0, false, "screening outcome"},
               OutcomeLineAtom{lines[i], bullet && i == 0, tone});
  }
}

// What the record is of, at the very end: one atom, so it is never split.
void Measurer::RecordBlock() {
  std::vector<RecordRow> rows = RecordRows();
  float height = record::kFrame;
  for (const RecordRow& row : rows) {
    height += type::kSmallLeading * static_cast<float>(row.lines.size()) + record::kRowGap;
  }
  atoms_.Add({height, record::kSpace, false, "submission record"}, RecordAtom{std::move(rows)});
}

// The record's rows, values wrapped: the hash and the ids are printed whole.
std::vector<RecordRow> Measurer::RecordRows() const {
  const FilledValues& filled = answers_.values();
  auto label = [this](const char* message) { return text_.Text(message); };
  std::vector<std::pair<std::string, std::string>> rows = {
      {label("pdf.record.submission-id"), filled.stamp->submission_id},
      {label("pdf.record.received"), DisplayInstant(filled.stamp->received_at, text_, date_order_)},
  };
  if (patient_ && !patient_->visit_id.empty()) {
    rows.push_back({label("pdf.record.visit"), patient_->visit_id});
  }
  if (patient_) {
    rows.push_back({label("pdf.record.patient"), PatientLine(*patient_, text_, date_order_)});
  }
  if (filled.witness) {
    rows.push_back({label("pdf.record.witness"), WitnessLine(*filled.witness, text_)});
  } else if (form_.HasWitnessStep()) {
    rows.push_back({label("pdf.record.witness"), label("pdf.record.witness-locked")});
  }
  rows.insert(
      rows.end(),
      {{label("pdf.record.form"),
        text_.Format("pdf.record.form-version", {{"form", form_.id}, {"version", form_.version}})},
       {label("pdf.record.definition"), form_.sha256_hex},
       {label("pdf.record.language"), filled.submission->language}});
  std::vector<RecordRow> wrapped;
  float width = g_.Width() - 2 * record::kPadding - record::kKeyWidth;
  for (const auto& [key, value] : rows) {
    wrapped.push_back({key, canvas_.Wrap(Face::kRegular, type::kSmallSize, value, width)});
  }
  return wrapped;
}

// The seal's stamp, kept on one page with the record it seals.
void Measurer::SealStamp() {
  SealFieldSpec spec =
      SealField(canvas_, *answers_.values().seal, g_.Width(), {text_, date_order_});
  atoms_.flow.back().keep_with_next = true;
  atoms_.Add({kSealStampHeight, record::kSealSpace, false, "seal stamp"}, SealAtom{spec});
}

}  // namespace consentkit
