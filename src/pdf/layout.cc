#include "pdf/layout.h"

#include <algorithm>
#include <functional>
#include <optional>

#include "form/field_rules.h"
#include "pdf/acroform.h"
#include "pdf/canvas.h"
#include "pdf/document.h"
#include "pdf/filled.h"
#include "pdf/number.h"
#include "pdf/palette.h"
#include "pdf/seal_stamp.h"
#include "util/util.h"

namespace consentkit {
namespace {

using palette::kAccent;
using palette::kInk;
using palette::kMuted;
using palette::kTint;
constexpr Color kRequired{0.70f, 0.16f, 0.14f};
constexpr Color kRule{0.78f, 0.81f, 0.84f};
constexpr Color kBox{0.32f, 0.35f, 0.40f};
constexpr Color kBoxFill{0.99f, 0.99f, 1.0f};
// Filled forms: what the patient gave is dark blue, so that it never reads
// as part of the printed form; a box a condition hid is greyed out.
constexpr Color kValue{0.06f, 0.22f, 0.56f};
constexpr Color kNotAskedFill{0.95f, 0.95f, 0.96f};

// Type sizes and line heights, in points.
constexpr float kBodySize = 10, kBodyLeading = 14;
constexpr float kLabelSize = 9.5f, kLabelLeading = 13;
constexpr float kSmallSize = 8.5f, kSmallLeading = 11;
constexpr float kFieldGap = 18;         // between fields sharing a row
constexpr float kMark = 13;             // checkbox and radio button size
constexpr float kValueInset = 6;        // between a box's edge and the value printed in it
constexpr float kRecordKeyWidth = 110;  // the key column of the submission record
// The patient's band under the header rule, and how far it moves the
// content down: the band's height and the gap the title keeps below it.
constexpr float kPatientBandHeight = 16, kPatientBandShift = 18;

struct Geometry {
  float width, height;  // page
  float left, right;    // content edges
  float top, bottom;    // content area
};

Geometry GeometryFor(PageSize size) {
  Geometry g{};
  g.width = size == PageSize::kLetter ? 612.0f : 595.28f;
  g.height = size == PageSize::kLetter ? 792.0f : 841.89f;
  g.left = 50;
  g.right = g.width - 50;
  g.top = g.height - 92;
  g.bottom = 60;
  return g;
}

// One unbreakable piece of content. `draw` receives the page and the y of
// the atom's top edge.
struct Atom {
  float height = 0;
  float space_before = 0;  // dropped at the top of a page
  bool keep_with_next = false;
  std::function<void(HPDF_Page, float)> draw;
};

struct PageInfo {
  HPDF_Page page;
  const FormDefinition* form;
  const SubmissionStamp* stamp;  // null on blank forms
};

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
      return 150;
    case FieldType::kPhone:
      return 200;
    case FieldType::kEmail:
      return 260;
    case FieldType::kInitials:
      return 90;
    case FieldType::kSignature:
      return 300;
    default:
      return full;
  }
}

float BoxHeight(FieldType type) {
  switch (type) {
    case FieldType::kTextArea:
      return 58;
    case FieldType::kSignature:
      return 46;
    default:
      return 22;
  }
}

// The hint printed under a field's box: a date field says its format.
std::string HintOf(const Field& field) {
  return field.hint.empty() && field.type == FieldType::kDate ? "YYYY-MM-DD" : field.hint;
}

float LeadingFor(float size) {
  return size == kBodySize ? kBodyLeading : size == kLabelSize ? kLabelLeading : size * 1.38f;
}

std::string OptionLabel(const Field& field, const std::string& value) {
  for (const Option& o : field.options) {
    if (o.value == value) return o.label;
  }
  return value;
}

// The caption under a drawn signature; empty when the form names no signer.
std::string SignerCaption(SignerRole role) {
  switch (role) {
    case SignerRole::kPatient:
      return "Signer: patient";
    case SignerRole::kPractitioner:
      return "Signer: practitioner";
    case SignerRole::kWitness:
      return "Signer: witness";
    case SignerRole::kNone:
      break;
  }
  return "";
}

// The outcome's colour, for its name and the bar beside it, and a light
// tint of it for the panel, so that staff see the outcome at a glance.
struct Tone {
  Color strong, tint;
};

Tone ToneOf(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSuitable:
      return {{0.12f, 0.49f, 0.26f}, {0.93f, 0.97f, 0.94f}};
    case Outcome::kPractitionerReview:
      return {{0.70f, 0.42f, 0.02f}, {0.99f, 0.96f, 0.89f}};
    case Outcome::kDefer:
      return {kRequired, {0.99f, 0.93f, 0.93f}};
  }
  return {kAccent, kTint};
}

// The record block's patient row: who, when born, and the clinic's number.
std::string WitnessLine(const WitnessUnlocked& w) {
  return "unlocked by " + w.by_name + " (" + w.by + ") at " + w.at;
}

std::string PatientLine(const PatientIdentity& patient) {
  return patient.name + ", date of birth " + patient.date_of_birth +
         (patient.number.empty() ? "" : ", no. " + patient.number);
}

}  // namespace

struct PacketLayout::Members {
  Members(Document& d, const ClinicSettings& c, const std::string& font_dir, LayoutMode mode,
          const PatientIdentity* who)
      : doc(d), clinic(c), patient(who), g(GeometryFor(c.page_size)), canvas(d, font_dir) {
    if (patient) g.top -= kPatientBandShift;
    // A filled form has no AcroForm at all: no catalog entry, no fields, so
    // nothing is left to edit. A blank one makes it before loading the logo,
    // as it always has, which keeps blank PDFs byte-for-byte unchanged.
    if (mode == LayoutMode::kFillable) acroform.emplace(d);
    if (!clinic.logo_path.empty()) logo = canvas.LoadPng(clinic.logo_path);
  }

  float Width() const { return g.right - g.left; }
  void LayOut(const FormDefinition& f);

  // Pagination.
  void NewPage();
  void Place(const std::vector<Atom>& atoms);
  float ChainHeight(const std::vector<Atom>& atoms, std::size_t first, std::size_t last) const;
  void PlaceAtom(const Atom& atom);
  void DrawHeader(HPDF_Page page, const FormDefinition& f);
  void DrawPatientBand(HPDF_Page page);
  void DrawFooter(const PageInfo& info, std::size_t number, std::size_t total);

  // Content, as atoms appended to `atoms`.
  void TitleBlock();
  void RequiredLegend();
  void FilledLegend();
  void Heading(const std::string& text);
  void TextLines(const std::string& text, float indent, float space_before,
                 const std::string& bullet = "");
  void RiskCard(const Risk& risk, int number);
  void Question(const Field& field);
  void FieldRow(const std::vector<const Field*>& row);
  void ClinicUseBox();
  void OutcomeBox();
  void OutcomeHead(Outcome outcome, Tone tone);
  void OutcomeReason(const std::string& reason, bool bullet, Tone tone);
  void OutcomePanel(HPDF_Page page, float top, float height, Tone tone);
  void RecordBlock();
  void SealStamp();
  struct RecordRow {
    std::string key;
    std::vector<std::string> lines;
  };
  std::vector<RecordRow> RecordRows() const;
  void Blocks(const Section& section);
  void KeepShortSectionTogether(std::size_t first_atom);

  // Risk cards and questions.
  void DrawRiskActions(HPDF_Page page, const Risk& risk, float top);
  void DrawInitials(HPDF_Page page, const Risk& risk, float row);
  float QuestionTextHeight(const Field& field, float width) const;
  void DrawQuestion(HPDF_Page page, const Field& field, float top, float text_width);
  void DrawYesNo(HPDF_Page page, const Field& field, float top);
  float OptionRowsHeight(const Field& field) const;
  void DrawOptions(HPDF_Page page, const Field& field, float top);
  void MarkBox(HPDF_Page page, const PdfRect& mark, bool ticked);
  void MarkCircle(HPDF_Page page, const PdfRect& mark, bool chosen);
  void OptionText(HPDF_Page page, float x, float baseline, const std::string& line, Face face,
                  bool chosen);
  Face OptionFace(const Field& field, const std::string& value) const;

  // Field cells: a label, an optional condition note, the box, a hint.
  float CellHeight(const Field& field, float width) const;
  float BoxHeightOf(const Field& field, float width) const;
  std::string CellHint(const Field& field) const;
  float SmallLinesHeight(const std::string& text, float width) const;
  void DrawCell(HPDF_Page page, const Field& field, float x, float top, float width);
  void DrawBox(HPDF_Page page, const Field& field, const PdfRect& box);
  float DrawSmallLines(HPDF_Page page, const std::string& text, float x, float y, float width,
                       Color color);
  std::vector<std::string> LabelLines(const std::string& label, bool required, float width,
                                      float size, Face face) const;
  float DrawLabel(HPDF_Page page, const std::string& label, bool required, float x, float top,
                  float width, float size, Face face);
  std::string ConditionNote(const Field& field) const;
  void AddFieldWidget(HPDF_Page page, const Field& field, const PdfRect& box);
  const std::string* PrefillOf(const Field& field) const;
  void Prefill(TextFieldSpec& spec, const std::string& value, const PdfRect& rect);

  // Filled forms: the submission's values. All of these answer "nothing"
  // on a blank form, so the blank layout needs no separate path.
  bool Filling() const { return filled.submission != nullptr; }
  const FieldValue* ValueOf(const std::string& field_id) const;
  const std::string* TextOf(const std::string& field_id) const;
  bool Ticked(const std::string& field_id) const;
  bool Chose(const Field& field, const std::string& option) const;
  bool Hidden(const Field& field) const;
  ValueText ValueLines(const std::string& text, float box_width) const;
  void DrawValue(HPDF_Page page, const Field& field, const PdfRect& box);
  void DrawValueText(HPDF_Page page, const ValueText& value, float x, float top);

  Document& doc;
  const ClinicSettings& clinic;
  const PatientIdentity* patient;  // null: nobody named
  Geometry g;
  Canvas canvas;
  std::optional<AcroForm> acroform;   // fillable mode only
  std::optional<AcroForm> seal_form;  // a sealed record's, made with its stamp
  HPDF_Image logo = nullptr;
  std::vector<PageInfo> pages;
  std::vector<Atom> atoms;
  const FormDefinition* form = nullptr;
  FieldNode group;      // this form's field group: names are "<form-id>.<field-id>"
  FilledValues filled;  // this form's values; all null on blank forms
  HPDF_Page page = nullptr;
  float cursor = 0;
};

PacketLayout::PacketLayout(Document& doc, const ClinicSettings& clinic, const std::string& font_dir,
                           LayoutMode mode, const PatientIdentity* patient)
    : m_(std::make_unique<Members>(doc, clinic, font_dir, mode, patient)) {}

PacketLayout::~PacketLayout() = default;

void PacketLayout::AddForm(const FormDefinition& form) {
  if (!m_->acroform) throw PdfError("internal error: a blank form in a filled-form layout");
  m_->group = m_->acroform->AddGroup(form.id);
  m_->LayOut(form);
}

void PacketLayout::AddFilledForm(const FormDefinition& form, const FilledValues& values) {
  if (m_->acroform) throw PdfError("internal error: a filled form in a fillable layout");
  m_->filled = values;
  m_->LayOut(form);
}

void PacketLayout::Finish() {
  for (std::size_t i = 0; i < m_->pages.size(); ++i) {
    m_->DrawFooter(m_->pages[i], i + 1, m_->pages.size());
  }
  m_->doc.Check("drawing page footers");
}

void PacketLayout::Members::LayOut(const FormDefinition& f) {
  form = &f;
  atoms.clear();
  TitleBlock();
  for (const Section& section : f.sections) Blocks(section);
  if (!f.rules.empty() && Filling()) OutcomeBox();
  if (!f.rules.empty() && !Filling()) ClinicUseBox();
  if (Filling()) RecordBlock();
  if (filled.seal) SealStamp();
  NewPage();
  Place(atoms);
  doc.Check(("laying out form " + f.id).c_str());
}

void PacketLayout::Members::NewPage() {
  page = doc.AddPage(g.width, g.height);
  pages.push_back({page, form, filled.stamp});
  DrawHeader(page, *form);
  cursor = g.top;
}

float PacketLayout::Members::ChainHeight(const std::vector<Atom>& all, std::size_t first,
                                         std::size_t last) const {
  float height = cursor < g.top ? all[first].space_before : 0;
  for (std::size_t i = first; i <= last; ++i) {
    height += all[i].height + (i > first ? all[i].space_before : 0);
  }
  return height;
}

void PacketLayout::Members::Place(const std::vector<Atom>& all) {
  std::size_t first = 0;
  while (first < all.size()) {
    std::size_t last = first;
    while (last + 1 < all.size() && all[last].keep_with_next) ++last;
    float chain = ChainHeight(all, first, last);
    bool fits_here = chain <= cursor - g.bottom;
    bool fits_on_a_page = chain - all[first].space_before <= g.top - g.bottom;
    if (!fits_here && cursor < g.top && fits_on_a_page) {
      NewPage();
    }
    for (std::size_t i = first; i <= last; ++i) PlaceAtom(all[i]);
    first = last + 1;
  }
}

void PacketLayout::Members::PlaceAtom(const Atom& atom) {
  if (atom.height > g.top - g.bottom) {
    throw PdfError("form " + form->id + ": an item is too tall to fit on one page (" +
                   std::to_string(static_cast<int>(atom.height)) + " pt); shorten its text");
  }
  float top = cursor < g.top ? cursor - atom.space_before : cursor;
  if (top - atom.height < g.bottom && cursor < g.top) {
    NewPage();
    top = cursor;
  }
  atom.draw(page, top);
  cursor = top - atom.height;
}

void PacketLayout::Members::DrawHeader(HPDF_Page p, const FormDefinition& f) {
  float top = g.height - 40;
  float x = g.left;
  if (logo) x += canvas.DrawImage(p, logo, g.left, top - 30, 30) + 10;
  canvas.Text(p, x, top - 12, Face::kBold, 12, clinic.name, kInk);
  std::string contact = clinic.address;
  if (!clinic.phone.empty()) contact += (contact.empty() ? "" : "  ·  ") + clinic.phone;
  if (!contact.empty()) canvas.Text(p, x, top - 26, Face::kRegular, 8.5f, contact, kMuted);
  canvas.TextRight(p, g.right, top - 12, Face::kBold, 9.5f,
                   canvas.Ellipsize(Face::kBold, 9.5f, f.title, Width() / 2 - 10), kAccent);
  canvas.Line(p, g.left, top - 36, g.right, top - 36, kAccent, 1.2f);
  if (patient) DrawPatientBand(p);
}

// Under the header rule, so that a page separated from its packet still
// says whose it is. Labels step back in grey; a name too long for the band
// is cut rather than run into the page edge.
void PacketLayout::Members::DrawPatientBand(HPDF_Page p) {
  constexpr float kSize = 8.5f;
  const float top = g.height - 77;
  canvas.FillRect(p, {g.left, top - kPatientBandHeight, Width(), kPatientBandHeight}, kTint);
  std::vector<std::pair<std::string, std::string>> parts = {
      {"Patient: ", patient->name}, {"  \u00b7  Date of birth: ", patient->date_of_birth}};
  if (!patient->number.empty()) parts.push_back({"  \u00b7  No. ", patient->number});
  float rest = 16;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    rest += canvas.TextWidth(Face::kRegular, kSize, parts[i].first);
    if (i > 0) rest += canvas.TextWidth(Face::kBold, kSize, parts[i].second);
  }
  parts[0].second =
      canvas.Ellipsize(Face::kBold, kSize, parts[0].second, std::max(40.0f, Width() - rest));
  float x = g.left + 8, baseline = top - kPatientBandHeight / 2 - 3;
  for (const auto& [key, value] : parts) {
    canvas.Text(p, x, baseline, Face::kRegular, kSize, key, kMuted);
    x += canvas.TextWidth(Face::kRegular, kSize, key);
    canvas.Text(p, x, baseline, Face::kBold, kSize, value, kInk);
    x += canvas.TextWidth(Face::kBold, kSize, value);
  }
}

// A filled form's footer also names the submission, so that a printed page
// separated from the rest can still be traced to its record.
void PacketLayout::Members::DrawFooter(const PageInfo& info, std::size_t number,
                                       std::size_t total) {
  const FormDefinition& f = *info.form;
  canvas.Line(info.page, g.left, 44, g.right, 44, kRule, 0.6f);
  canvas.Text(info.page, g.left, 32, Face::kRegular, 7.5f,
              f.id + "  ·  version " + f.version + "  ·  definition " + f.ShortHash(), kMuted);
  canvas.TextRight(info.page, g.right, 32, Face::kBold, 8.5f,
                   "Page " + std::to_string(number) + " of " + std::to_string(total), kInk);
  if (!info.stamp) return;
  std::string id = "submission " + info.stamp->submission_id;
  canvas.Text(info.page, g.left, 22, Face::kRegular, 7.5f,
              canvas.Ellipsize(Face::kRegular, 7.5f, id, Width()), kMuted);
}

void PacketLayout::Members::TitleBlock() {
  std::vector<std::string> lines = canvas.Wrap(Face::kBold, 19, form->title, Width());
  Atom title;
  title.height = 26.0f * static_cast<float>(lines.size()) + 4;
  title.keep_with_next = true;
  title.draw = [this, lines](HPDF_Page p, float top) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      canvas.Text(p, g.left, top - 19 - 26.0f * static_cast<float>(i), Face::kBold, 19, lines[i],
                  kInk);
    }
  };
  atoms.push_back(title);
  if (!form->summary.empty()) TextLines(form->summary, 0, 4);
  if (Filling()) {
    FilledLegend();
  } else {
    RequiredLegend();
  }
}

void PacketLayout::Members::RequiredLegend() {
  bool any_required = std::any_of(form->fields.begin(), form->fields.end(),
                                  [](const Field& f) { return f.required; });
  if (!any_required) return;
  Atom legend;
  legend.height = kSmallLeading + 4;
  legend.space_before = 6;
  legend.draw = [this](HPDF_Page p, float top) {
    canvas.Text(p, g.left, top - 9, Face::kRegular, kSmallSize,
                "Please read every section. Items marked", kMuted);
    float x = g.left + canvas.TextWidth(Face::kRegular, kSmallSize,
                                        "Please read every section. Items marked ");
    canvas.Text(p, x, top - 9, Face::kBold, kSmallSize, "*", kRequired);
    canvas.Text(p, x + 6, top - 9, Face::kRegular, kSmallSize, "are required.", kMuted);
  };
  atoms.push_back(legend);
}

// Says what this copy is, in the colour it names.
void PacketLayout::Members::FilledLegend() {
  std::vector<std::string> lines =
      canvas.Wrap(Face::kRegular, kSmallSize,
                  "This is the form as submitted, received " + filled.stamp->received_at +
                      " (UTC). The answers given are printed in blue.",
                  Width());
  Atom legend;
  legend.height = kSmallLeading * static_cast<float>(lines.size()) + 4;
  legend.space_before = 6;
  legend.draw = [this, lines](HPDF_Page p, float top) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
      canvas.Text(p, g.left, top - 9 - kSmallLeading * static_cast<float>(i), Face::kRegular,
                  kSmallSize, lines[i], kValue);
    }
  };
  atoms.push_back(legend);
}

void PacketLayout::Members::Heading(const std::string& text) {
  std::vector<std::string> lines = canvas.Wrap(Face::kBold, 12.5f, text, Width());
  Atom heading;
  heading.height = 17.0f * static_cast<float>(lines.size()) + 9;
  heading.space_before = 18;
  heading.keep_with_next = true;
  heading.draw = [this, lines](HPDF_Page p, float top) {
    float y = top - 12.5f;
    for (const auto& line : lines) {
      canvas.Text(p, g.left, y, Face::kBold, 12.5f, line, kAccent);
      y -= 17;
    }
    canvas.Line(p, g.left, y + 10, g.right, y + 10, kRule, 0.6f);
  };
  atoms.push_back(heading);
}

void PacketLayout::Members::TextLines(const std::string& text, float indent, float space_before,
                                      const std::string& bullet) {
  float bullet_width = bullet.empty() ? 0 : 14;
  std::vector<std::string> lines =
      canvas.Wrap(Face::kRegular, kBodySize, text, Width() - indent - bullet_width);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Atom atom;
    atom.height = kBodyLeading;
    atom.space_before = i == 0 ? space_before : 0;
    // Keep the first two lines together, and the last two, so that no line
    // is left alone at the foot or head of a page.
    atom.keep_with_next = lines.size() > 1 && (i == 0 || i + 2 == lines.size());
    bool first = i == 0;
    atom.draw = [this, line = lines[i], indent, bullet, bullet_width, first](HPDF_Page p,
                                                                             float top) {
      float x = g.left + indent;
      if (first && !bullet.empty())
        canvas.Text(p, x + 2, top - 10, Face::kBold, kBodySize, bullet, kAccent);
      canvas.Text(p, x + bullet_width, top - 10.5f, Face::kRegular, kBodySize, line, kInk);
    };
    atoms.push_back(atom);
  }
}

void PacketLayout::Members::Blocks(const Section& section) {
  std::size_t first_atom = atoms.size();
  Heading(section.heading);
  int risk_number = 0;
  bool previous_was_text = false;
  std::vector<const Field*> row;
  float row_width = 0;
  auto flush_row = [&]() {
    if (!row.empty()) FieldRow(row);
    row.clear();
    row_width = 0;
  };
  for (const Block& block : section.blocks) {
    const Field* field = form->FieldOf(block);
    if (field && !field->screening && IsCompact(field->type)) {
      float w = PreferredWidth(field->type, Width());
      if (!row.empty() && row_width + kFieldGap + w > Width()) flush_row();
      row_width += (row.empty() ? 0 : kFieldGap) + w;
      row.push_back(field);
      continue;
    }
    flush_row();
    if (previous_was_text && (std::holds_alternative<Risk>(block) || field)) {
      atoms.back().keep_with_next = true;  // an introduction stays with what it introduces
    }
    previous_was_text =
        std::holds_alternative<Paragraph>(block) || std::holds_alternative<BulletList>(block);
    if (const auto* p = std::get_if<Paragraph>(&block)) {
      TextLines(p->text, 0, 6);
    } else if (const auto* list = std::get_if<BulletList>(&block)) {
      for (std::size_t i = 0; i < list->items.size(); ++i) {
        TextLines(list->items[i], 6, i == 0 ? 6 : 3, "•");
      }
    } else if (const auto* risk = std::get_if<Risk>(&block)) {
      RiskCard(*risk, ++risk_number);
    } else if (field->screening || field->type == FieldType::kYesNo ||
               field->type == FieldType::kChoice || field->type == FieldType::kMultiChoice) {
      Question(*field);
    } else {
      FieldRow({field});
    }
  }
  flush_row();
  if (section.kind == SectionKind::kFields) KeepShortSectionTogether(first_atom);
}

// A short fields section, such as the signatures at the end of a consent,
// moves to the next page whole rather than leaving the patient's signature
// on one page and the practitioner's on the next.
void PacketLayout::Members::KeepShortSectionTogether(std::size_t first_atom) {
  float height = 0;
  for (std::size_t i = first_atom; i < atoms.size(); ++i)
    height += atoms[i].space_before + atoms[i].height;
  if (height > 0.6f * (g.top - g.bottom)) return;
  for (std::size_t i = first_atom; i + 1 < atoms.size(); ++i) atoms[i].keep_with_next = true;
}

// A tinted card: numbered title, description, then the "I understand"
// checkbox and the initials box. Every part is kept with the next, so the
// card moves to a new page whole unless it is taller than a page.
void PacketLayout::Members::RiskCard(const Risk& risk, int number) {
  float inner = Width() - 28;
  auto background = [this](HPDF_Page p, float top, float height) {
    canvas.FillRect(p, {g.left, top - height, Width(), height}, kTint);
    canvas.FillRect(p, {g.left, top - height, 3, height}, kAccent);
  };
  std::string title = std::to_string(number) + ". " + risk.title;
  std::vector<std::string> title_lines = canvas.Wrap(Face::kBold, 11, title, inner);
  Atom head;
  head.height = 10 + 15.0f * static_cast<float>(title_lines.size());
  head.space_before = 10;
  head.keep_with_next = true;
  head.draw = [this, background, title_lines, h = head.height](HPDF_Page p, float top) {
    background(p, top, h);
    for (std::size_t i = 0; i < title_lines.size(); ++i) {
      canvas.Text(p, g.left + 14, top - 21 - 15.0f * static_cast<float>(i), Face::kBold, 11,
                  title_lines[i], kInk);
    }
  };
  atoms.push_back(head);
  for (const std::string& line : canvas.Wrap(Face::kRegular, kBodySize, risk.description, inner)) {
    Atom text;
    text.height = kBodyLeading;
    text.keep_with_next = true;
    text.draw = [this, background, line](HPDF_Page p, float top) {
      background(p, top, kBodyLeading);
      canvas.Text(p, g.left + 14, top - 10.5f, Face::kRegular, kBodySize, line, kInk);
    };
    atoms.push_back(text);
  }
  Atom actions;
  actions.height = 40;
  actions.draw = [this, background, &risk](HPDF_Page p, float top) {
    background(p, top, 40);
    DrawRiskActions(p, risk, top);
  };
  atoms.push_back(actions);
}

// The card's last row: "I understand this risk" (and, filled, the patient's
// "Understood") on the left, the initials box on the right.
void PacketLayout::Members::DrawRiskActions(HPDF_Page p, const Risk& risk, float top) {
  float row = top - 10;  // top edge of the 22 pt control row
  bool ticked = Ticked(risk.UnderstoodFieldId());
  PdfRect check{g.left + 14, row - 17.5f, kMark + 1, kMark + 1};
  MarkBox(p, check, ticked);
  if (acroform) {
    acroform->AddCheckBox(p, check, risk.UnderstoodFieldId(), "I understand: " + risk.title, true,
                          group);
  }
  const std::string label = "I understand this risk";
  DrawLabel(p, label, true, check.x + check.width + 8, row - 4, 200, kBodySize, Face::kBold);
  if (Filling()) {
    float x = check.x + check.width + 8 + canvas.TextWidth(Face::kBold, kBodySize, label) + 18;
    canvas.Text(p, x, row - 4 - kBodySize, Face::kBold, kBodySize,
                ticked ? "Understood" : "Not confirmed", ticked ? kValue : kRequired);
  }
  DrawInitials(p, risk, row);
}

void PacketLayout::Members::DrawInitials(HPDF_Page p, const Risk& risk, float row) {
  PdfRect initials{g.right - 14 - 80, row - 22, 80, 22};
  canvas.TextRight(p, initials.x - 8, row - 15, Face::kRegular, kLabelSize, "Initials", kInk);
  canvas.Text(p, initials.x - 6, row - 15, Face::kBold, kLabelSize, "*", kRequired);
  canvas.FillRect(p, initials, kBoxFill);
  canvas.StrokeRect(p, initials, kBox, 0.9f);
  if (const std::string* value = TextOf(risk.InitialsFieldId())) {
    // At most 4 characters, but wide ones may need a smaller size to fit.
    float size = std::min(12.0f, 12.0f * (initials.width - 2 * kValueInset) /
                                     std::max(1.0f, canvas.TextWidth(Face::kBold, 12, *value)));
    float width = canvas.TextWidth(Face::kBold, size, *value);
    canvas.Text(p, initials.x + (initials.width - width) / 2, initials.y + 7, Face::kBold, size,
                *value, kValue);
  }
  if (!acroform) return;
  TextFieldSpec spec;
  spec.name = risk.InitialsFieldId();
  spec.tooltip = "Initials: " + risk.title;
  spec.required = true;
  spec.max_length = 4;
  spec.font_size = 12;
  acroform->AddTextField(p, initials, spec, group);
}

// Lines of a label, leaving room for the required-field asterisk; the one
// place both measuring and drawing wrap labels.
std::vector<std::string> PacketLayout::Members::LabelLines(const std::string& label, bool required,
                                                           float width, float size,
                                                           Face face) const {
  return canvas.Wrap(face, size, label, width - (required ? 8 : 0));
}

// Draws a wrapped label with a red asterisk when required; returns the y
// below the last line.
float PacketLayout::Members::DrawLabel(HPDF_Page p, const std::string& label, bool required,
                                       float x, float top, float width, float size, Face face) {
  float leading = LeadingFor(size);
  std::vector<std::string> lines = LabelLines(label, required, width, size, face);
  float y = top;
  for (const std::string& line : lines) {
    canvas.Text(p, x, y - size, face, size, line, kInk);
    y -= leading;
  }
  if (required) {
    float end = x + canvas.TextWidth(face, size, lines.back()) + 2;
    canvas.Text(p, end, y + leading - size, Face::kBold, size, "*", kRequired);
  }
  return y;
}

std::string PacketLayout::Members::ConditionNote(const Field& field) const {
  if (!field.condition) return "";
  const Field* target = form->FindField(field.condition->field_id);
  if (!target) return "";
  return "Only if you answered \u201c" + OptionLabel(*target, field.condition->equals) +
         "\u201d to \u201c" + target->label + "\u201d";
}

// Small print wrapped to `width`: a condition note or a hint. Nothing for
// empty text.
float PacketLayout::Members::SmallLinesHeight(const std::string& text, float width) const {
  if (text.empty()) return 0;
  return kSmallLeading *
         static_cast<float>(canvas.Wrap(Face::kRegular, kSmallSize, text, width).size());
}

// Returns the y below the last line.
float PacketLayout::Members::DrawSmallLines(HPDF_Page p, const std::string& text, float x, float y,
                                            float width, Color color) {
  for (const auto& line : canvas.Wrap(Face::kRegular, kSmallSize, text, width)) {
    if (line.empty()) break;
    canvas.Text(p, x, y - 8.5f, Face::kRegular, kSmallSize, line, color);
    y -= kSmallLeading;
  }
  return y;
}

// Blank forms say a date's format under its box; filled ones say who signed
// under a signature instead, and the date needs no format.
std::string PacketLayout::Members::CellHint(const Field& field) const {
  if (!Filling()) return HintOf(field);
  if (field.type == FieldType::kSignature && !Hidden(field) && ValueOf(field.id)) {
    std::string caption = SignerCaption(field.role);
    if (!caption.empty()) return caption;
  }
  return field.hint;
}

float PacketLayout::Members::CellHeight(const Field& field, float width) const {
  float height =
      kLabelLeading *
      static_cast<float>(
          LabelLines(field.label, field.required, width, kLabelSize, Face::kBold).size());
  height += SmallLinesHeight(ConditionNote(field), width);
  height += 3 + BoxHeightOf(field, width);
  std::string hint = CellHint(field);
  if (!hint.empty()) height += 2 + SmallLinesHeight(hint, width);
  return height;
}

// A filled text box grows to hold its whole value; a box with nothing in
// it ("Not asked", "Not answered") shrinks to one line.
float PacketLayout::Members::BoxHeightOf(const Field& field, float width) const {
  if (!Filling()) return BoxHeight(field.type);
  if (Hidden(field) || !ValueOf(field.id)) return BoxHeight(FieldType::kText);
  if (const std::string* text = TextOf(field.id)) {
    return std::max(BoxHeight(FieldType::kText), ValueLines(*text, width).Height() + 9);
  }
  return BoxHeight(field.type);
}

void PacketLayout::Members::DrawCell(HPDF_Page p, const Field& field, float x, float top,
                                     float width) {
  float y = DrawLabel(p, field.label, field.required, x, top, width, kLabelSize, Face::kBold);
  y = DrawSmallLines(p, ConditionNote(field), x, y, width, kAccent);
  float box_height = BoxHeightOf(field, width);
  PdfRect box{x, y - 3 - box_height, width, box_height};
  DrawBox(p, field, box);
  if (acroform) {
    AddFieldWidget(p, field, box);
  } else {
    DrawValue(p, field, box);
  }
  DrawSmallLines(p, CellHint(field), x, box.y - 2, width, kMuted);
}

void PacketLayout::Members::DrawBox(HPDF_Page p, const Field& field, const PdfRect& box) {
  bool hidden = Hidden(field);
  canvas.FillRect(p, box, hidden ? kNotAskedFill : kBoxFill);
  bool signature_line = field.type == FieldType::kSignature && !hidden &&
                        (!Filling() || ValueOf(field.id) != nullptr);
  if (signature_line) {
    canvas.StrokeRect(p, box, kRule, 0.6f);
    canvas.Line(p, box.x + 10, box.y + 12, box.x + box.width - 10, box.y + 12, kBox, 0.9f);
    canvas.Text(p, box.x + 10, box.y + 15, Face::kRegular, 12, "\u00d7", kMuted);
  } else {
    canvas.StrokeRect(p, box, hidden ? kRule : kBox, 0.9f);
  }
}

void PacketLayout::Members::AddFieldWidget(HPDF_Page p, const Field& field, const PdfRect& box) {
  if (field.type == FieldType::kSignature) {
    acroform->AddSignatureField(p, box, field.id, field.label, field.required, group);
    return;
  }
  TextFieldSpec spec;
  spec.name = field.id;
  spec.tooltip = field.label;
  spec.required = field.required;
  spec.multiline = field.type == FieldType::kTextArea;
  spec.date = field.type == FieldType::kDate;
  spec.max_length = spec.date ? 10 : field.type == FieldType::kInitials ? 4 : 0;
  spec.font_size = spec.multiline ? 9.0f : field.type == FieldType::kInitials ? 12.0f : 10.0f;
  PdfRect rect{box.x + 1, box.y + 1, box.width - 2, box.height - 2};
  if (const std::string* value = PrefillOf(field)) Prefill(spec, *value, rect);
  acroform->AddTextField(p, rect, spec, group);
}

// What the visit already knows for `field`, or null: no patient, no
// prefill, or a patient number the clinic does not have.
const std::string* PacketLayout::Members::PrefillOf(const Field& field) const {
  if (!patient) return nullptr;
  switch (field.prefill) {
    case PatientFact::kName:
      return &patient->name;
    case PatientFact::kDateOfBirth:
      return &patient->date_of_birth;
    case PatientFact::kNumber:
      return patient->number.empty() ? nullptr : &patient->number;
    case PatientFact::kNone:
      break;
  }
  return nullptr;
}

// The value and its appearance, set in the embedded font (the AcroForm's
// Helvetica lacks most of Latin Extended) where a viewer puts typed text:
// the box's inset, centred on the line, smaller when it would not fit.
void PacketLayout::Members::Prefill(TextFieldSpec& spec, const std::string& value,
                                    const PdfRect& rect) {
  const float inset = kValueInset - 1;  // the widget is 1 pt inside the drawn box
  float size = std::min(
      spec.font_size, spec.font_size * (rect.width - 2 * inset) /
                          std::max(1.0f, canvas.TextWidth(Face::kRegular, spec.font_size, value)));
  spec.value = value;
  spec.appearance = "q BT /F1 " + Num(size) + " Tf 0 g " + Num(inset) + " " +
                    Num(rect.height / 2 - 0.35f * size) + " Td " + canvas.ShowString(value) +
                    " Tj ET Q\n";
  spec.fonts = {{"F1", canvas.FontOf(Face::kRegular)}};
}

// Fields side by side, each in its own column; a row is one atom.
void PacketLayout::Members::FieldRow(const std::vector<const Field*>& row) {
  std::vector<float> widths;
  float height = 0;
  for (const Field* field : row) {
    widths.push_back(row.size() == 1 && !IsCompact(field->type)
                         ? Width()
                         : PreferredWidth(field->type, Width()));
    height = std::max(height, CellHeight(*field, widths.back()));
  }
  Atom atom;
  atom.height = height + 6;
  atom.space_before = 10;
  atom.draw = [this, row, widths](HPDF_Page p, float top) {
    float x = g.left;
    for (std::size_t i = 0; i < row.size(); ++i) {
      DrawCell(p, *row[i], x, top, widths[i]);
      x += widths[i] + kFieldGap;
    }
  };
  atoms.push_back(atom);
}

float PacketLayout::Members::QuestionTextHeight(const Field& field, float width) const {
  float label_height =
      kBodyLeading *
      static_cast<float>(
          LabelLines(field.label, field.required, width, kBodySize, Face::kRegular).size());
  return label_height + SmallLinesHeight(ConditionNote(field), width) +
         SmallLinesHeight(field.hint, width);
}

// Yes/no questions put the two buttons at the right of the question text;
// choices list one option per line below it. A separator closes each.
void PacketLayout::Members::Question(const Field& field) {
  float text_width = field.type == FieldType::kYesNo ? Width() - 120 : Width();
  Atom atom;
  atom.height =
      7 + std::max(QuestionTextHeight(field, text_width), 16.0f) + OptionRowsHeight(field) + 7;
  atom.space_before = 0;
  atom.draw = [this, &field, text_width, h = atom.height](HPDF_Page p, float top) {
    DrawQuestion(p, field, top, text_width);
    canvas.Line(p, g.left, top - h, g.right, top - h, kRule, 0.5f);
  };
  atoms.push_back(atom);
}

void PacketLayout::Members::DrawQuestion(HPDF_Page p, const Field& field, float top,
                                         float text_width) {
  float y = DrawLabel(p, field.label, field.required, g.left, top - 7, text_width, kBodySize,
                      Face::kRegular);
  y = DrawSmallLines(p, ConditionNote(field), g.left, y, text_width, kAccent);
  y = DrawSmallLines(p, field.hint, g.left, y, text_width, kMuted);
  bool yes_no = field.type == FieldType::kYesNo;
  if (Hidden(field)) {
    float x = yes_no ? g.right - 112 : g.left + 12;
    float baseline = yes_no ? top - 7 - kMark + 3 : y - 4 - 10.5f;
    canvas.Text(p, x, baseline, Face::kRegular, kBodySize, "Not asked", kMuted);
  } else if (yes_no) {
    DrawYesNo(p, field, top);
  } else {
    DrawOptions(p, field, y - 4);
  }
}

void PacketLayout::Members::DrawYesNo(HPDF_Page p, const Field& field, float top) {
  FieldNode radio;
  if (acroform) radio = acroform->AddRadioGroup(field.id, field.label, field.required, group);
  float x = g.right - 112;
  for (const Option& option : field.options) {
    const std::string& value = option.value;
    PdfRect mark{x, top - 7 - kMark, kMark, kMark};
    MarkCircle(p, mark, Chose(field, value));
    if (acroform) acroform->AddRadioButton(p, mark, radio, value);
    OptionText(p, x + kMark + 5, mark.y + 3, OptionLabel(field, value), OptionFace(field, value),
               Chose(field, value));
    x += 58;
  }
}

// A filled form prints the chosen options in bold, so they are measured
// in bold too.
Face PacketLayout::Members::OptionFace(const Field& field, const std::string& value) const {
  return Chose(field, value) ? Face::kBold : Face::kRegular;
}

float PacketLayout::Members::OptionRowsHeight(const Field& field) const {
  if (field.type == FieldType::kYesNo) return 0;
  if (Hidden(field)) return kBodyLeading + 8;  // "Not asked" instead of the options
  float height = 0;
  for (const Option& o : field.options) {
    height +=
        4 +
        kBodyLeading *
            static_cast<float>(
                canvas.Wrap(OptionFace(field, o.value), kBodySize, o.label, Width() - 40).size());
  }
  return height + 4;
}

void PacketLayout::Members::DrawOptions(HPDF_Page p, const Field& field, float top) {
  bool multi = field.type == FieldType::kMultiChoice;
  FieldNode node;
  if (acroform) {
    node = multi ? acroform->AddGroup(field.id, group)
                 : acroform->AddRadioGroup(field.id, field.label, field.required, group);
  }
  float y = top;
  for (const Option& option : field.options) {
    PdfRect mark{g.left + 12, y - kMark, kMark, kMark};
    bool chosen = Chose(field, option.value);
    if (multi) {
      MarkBox(p, mark, chosen);
      if (acroform) {
        acroform->AddCheckBox(p, mark, option.value, field.label + ": " + option.label, false,
                              node);
      }
    } else {
      MarkCircle(p, mark, chosen);
      if (acroform) acroform->AddRadioButton(p, mark, node, option.value);
    }
    Face face = OptionFace(field, option.value);
    for (const auto& line : canvas.Wrap(face, kBodySize, option.label, Width() - 40)) {
      OptionText(p, g.left + 32, y - 10.5f, line, face, chosen);
      y -= kBodyLeading;
    }
    y -= 4;
  }
}

void PacketLayout::Members::MarkBox(HPDF_Page p, const PdfRect& mark, bool ticked) {
  canvas.FillRect(p, mark, kBoxFill);
  canvas.StrokeRect(p, mark, kBox, 0.9f);
  if (ticked) canvas.Tick(p, mark, kValue);
}

void PacketLayout::Members::MarkCircle(HPDF_Page p, const PdfRect& mark, bool chosen) {
  canvas.Circle(p, mark.x + kMark / 2, mark.y + kMark / 2, kMark / 2, kBox, 0.9f);
  if (chosen) canvas.Dot(p, mark, kValue);
}

// An option's label: on a filled form the chosen ones stand out in blue and
// the others step back, so the answer reads at a glance.
void PacketLayout::Members::OptionText(HPDF_Page p, float x, float baseline,
                                       const std::string& line, Face face, bool chosen) {
  Color color = !Filling() ? kInk : chosen ? kValue : kMuted;
  canvas.Text(p, x, baseline, face, kBodySize, line, color);
}

// Printed only, not a form field: staff record the screening outcome on paper.
void PacketLayout::Members::ClinicUseBox() {
  Atom atom;
  atom.height = 62;
  atom.space_before = 20;
  atom.draw = [this](HPDF_Page p, float top) {
    PdfRect box{g.left, top - 62, Width(), 62};
    canvas.StrokeRect(p, box, kAccent, 0.8f);
    canvas.Text(p, box.x + 10, top - 16, Face::kBold, kLabelSize,
                "For clinic use only: screening outcome", kAccent);
    float x = box.x + 10;
    for (const char* label : {"Suitable", "Defer treatment", "Practitioner review"}) {
      canvas.StrokeRect(p, {x, top - 36, 11, 11}, kBox, 0.8f);
      canvas.Text(p, x + 16, top - 34, Face::kRegular, kLabelSize, label, kInk);
      x += 36 + canvas.TextWidth(Face::kRegular, kLabelSize, label);
    }
    canvas.Text(p, box.x + 10, top - 54, Face::kRegular, kLabelSize, "Reviewed by", kInk);
    canvas.Line(p, box.x + 72, top - 55, box.x + 280, top - 55, kBox, 0.6f);
    canvas.Text(p, box.x + 300, top - 54, Face::kRegular, kLabelSize, "Date", kInk);
    canvas.Line(p, box.x + 326, top - 55, box.x + box.width - 10, top - 55, kBox, 0.6f);
  };
  atoms.push_back(atom);
}

// Where the blank form has its "for clinic use" box: the outcome Screen()
// reached and the reason of every rule that holds, as a panel tinted by the
// outcome. One atom per line, all kept together, like a risk card.
void PacketLayout::Members::OutcomeBox() {
  const ScreeningResult& result = *filled.screening;
  Tone tone = ToneOf(result.outcome);
  OutcomeHead(result.outcome, tone);
  for (const std::string& reason : result.reasons) OutcomeReason(reason, true, tone);
  if (result.reasons.empty()) {
    OutcomeReason("No screening rule applies to these answers.", false, tone);
  }
  Atom foot;
  foot.height = 12;
  foot.draw = [this, tone](HPDF_Page p, float top) { OutcomePanel(p, top, 12, tone); };
  atoms.push_back(foot);
}

void PacketLayout::Members::OutcomePanel(HPDF_Page p, float top, float height, Tone tone) {
  canvas.FillRect(p, {g.left, top - height, Width(), height}, tone.tint);
  canvas.FillRect(p, {g.left, top - height, 3, height}, tone.strong);
}

void PacketLayout::Members::OutcomeHead(Outcome outcome, Tone tone) {
  Atom head;
  head.height = 46;
  head.space_before = 20;
  head.keep_with_next = true;
  head.draw = [this, outcome, tone](HPDF_Page p, float top) {
    OutcomePanel(p, top, 46, tone);
    canvas.Text(p, g.left + 14, top - 17, Face::kBold, kSmallSize,
                "For clinic use only: screening outcome", kAccent);
    const std::string lead = "Screening outcome: ";
    canvas.Text(p, g.left + 14, top - 36, Face::kBold, 12, lead, kInk);
    canvas.Text(p, g.left + 14 + canvas.TextWidth(Face::kBold, 12, lead), top - 36, Face::kBold, 12,
                OutcomeLabel(outcome), tone.strong);
  };
  atoms.push_back(head);
}

// One atom per line, kept with the rest of the panel.
void PacketLayout::Members::OutcomeReason(const std::string& reason, bool bullet, Tone tone) {
  std::vector<std::string> lines = canvas.Wrap(Face::kRegular, kBodySize, reason, Width() - 42);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Atom line;
    line.height = kBodyLeading + (i == 0 ? 3 : 0);
    line.keep_with_next = true;
    bool first = i == 0;
    line.draw = [this, text = lines[i], bullet, first, tone, h = line.height](HPDF_Page p,
                                                                              float top) {
      OutcomePanel(p, top, h, tone);
      float baseline = top - h + 3.5f;
      if (bullet && first) {
        canvas.Text(p, g.left + 16, baseline, Face::kBold, kBodySize, "•", tone.strong);
      }
      canvas.Text(p, g.left + 28, baseline, Face::kRegular, kBodySize, text, kInk);
    };
    atoms.push_back(line);
  }
}

// What the record is of, at the very end: one atom, so it is never split.
void PacketLayout::Members::RecordBlock() {
  std::vector<RecordRow> rows = RecordRows();
  float height = 30;
  for (const RecordRow& row : rows) {
    height += kSmallLeading * static_cast<float>(row.lines.size()) + 2;
  }
  Atom atom;
  atom.height = height;
  atom.space_before = 22;
  atom.draw = [this, rows, height](HPDF_Page p, float top) {
    PdfRect box{g.left, top - height, Width(), height};
    canvas.FillRect(p, box, kBoxFill);
    canvas.StrokeRect(p, box, kRule, 0.8f);
    canvas.Text(p, g.left + 10, top - 17, Face::kBold, kLabelSize, "Submission record", kAccent);
    float y = top - 24;
    for (const RecordRow& row : rows) {
      canvas.Text(p, g.left + 10, y - 8.5f, Face::kRegular, kSmallSize, row.key, kMuted);
      for (const std::string& line : row.lines) {
        canvas.Text(p, g.left + 10 + kRecordKeyWidth, y - 8.5f, Face::kRegular, kSmallSize, line,
                    kInk);
        y -= kSmallLeading;
      }
      y -= 2;
    }
  };
  atoms.push_back(atom);
}

// The seal's stamp, kept on one page with the record it seals. The page
// draws nothing there: the stamp is the signature field's appearance, so
// that it is part of the seal rather than of the page under it.
void PacketLayout::Members::SealStamp() {
  SealFieldSpec spec = SealField(canvas, *filled.seal, Width());  // throws before any drawing
  atoms.back().keep_with_next = true;
  Atom atom;
  atom.height = kSealStampHeight;
  atom.space_before = 12;
  atom.draw = [this, spec](HPDF_Page p, float top) {
    if (!seal_form) seal_form.emplace(doc);
    seal_form->AddSealField(p, {g.left, top - kSealStampHeight, Width(), kSealStampHeight}, spec);
  };
  atoms.push_back(atom);
}

// The record's rows, values wrapped: the hash and the ids are printed whole.
std::vector<PacketLayout::Members::RecordRow> PacketLayout::Members::RecordRows() const {
  std::vector<std::pair<const char*, std::string>> rows = {
      {"Submission ID", filled.stamp->submission_id},
      {"Received (UTC)", filled.stamp->received_at},
  };
  if (patient && !patient->visit_id.empty()) rows.push_back({"Visit", patient->visit_id});
  if (patient) rows.push_back({"Patient", PatientLine(*patient)});
  if (filled.witness) {
    rows.push_back({"Witness step", WitnessLine(*filled.witness)});
  } else if (form->HasWitnessStep()) {
    rows.push_back({"Witness step", "not unlocked: no witness signed"});
  }
  rows.insert(rows.end(), {{"Form", form->id + ", version " + form->version},
                           {"Definition SHA-256", form->sha256_hex},
                           {"Language shown", filled.submission->language}});
  std::vector<RecordRow> wrapped;
  for (const auto& [key, value] : rows) {
    wrapped.push_back(
        {key, canvas.Wrap(Face::kRegular, kSmallSize, value, Width() - 20 - kRecordKeyWidth)});
  }
  return wrapped;
}

// Null for a blank value too (white space, no ticks, no strokes): validation
// counts those as not given, and so does the printed form.
const FieldValue* PacketLayout::Members::ValueOf(const std::string& field_id) const {
  if (!Filling()) return nullptr;
  auto found = filled.submission->values.find(field_id);
  if (found == filled.submission->values.end()) return nullptr;
  const FieldValue& value = found->second;
  if (const auto* text = std::get_if<std::string>(&value)) {
    if (CollapseWhitespace(*text).empty()) return nullptr;
  } else if (const auto* ticked = std::get_if<std::vector<std::string>>(&value)) {
    if (ticked->empty()) return nullptr;
  } else if (const auto* signature = std::get_if<Signature>(&value)) {
    if (signature->strokes.empty()) return nullptr;
  }
  return &value;
}

const std::string* PacketLayout::Members::TextOf(const std::string& field_id) const {
  const FieldValue* value = ValueOf(field_id);
  return value ? std::get_if<std::string>(value) : nullptr;
}

bool PacketLayout::Members::Ticked(const std::string& field_id) const {
  const FieldValue* value = ValueOf(field_id);
  const bool* ticked = value ? std::get_if<bool>(value) : nullptr;
  return ticked && *ticked;
}

// Whether `option` is the chosen choice, or one of the ticked ones.
bool PacketLayout::Members::Chose(const Field& field, const std::string& option) const {
  const FieldValue* value = ValueOf(field.id);
  if (!value) return false;
  if (const auto* text = std::get_if<std::string>(value)) return *text == option;
  if (const auto* ticked = std::get_if<std::vector<std::string>>(value)) {
    return std::find(ticked->begin(), ticked->end(), option) != ticked->end();
  }
  return false;
}

// A witness field of a step staff never unlocked was not asked either.
bool PacketLayout::Members::Hidden(const Field& field) const {
  if (!Filling()) return false;
  return !IsRelevant(*form, field, *filled.submission) ||
         (field.IsWitnessStep() && !filled.witness);
}

// A value as wrapped into a box `box_width` wide. The cap keeps the field,
// with its label and hint, within one page.
ValueText PacketLayout::Members::ValueLines(const std::string& text, float box_width) const {
  return LayOutValue(canvas, text, box_width - 2 * kValueInset, 0.6f * (g.top - g.bottom));
}

void PacketLayout::Members::DrawValue(HPDF_Page p, const Field& field, const PdfRect& box) {
  const FieldValue* value = Hidden(field) ? nullptr : ValueOf(field.id);
  if (!value) {
    const char* absent = Hidden(field)                         ? "Not asked"
                         : field.type == FieldType::kSignature ? "Not signed"
                                                               : "Not answered";
    canvas.Text(p, box.x + kValueInset, box.y + 7.5f, Face::kRegular, kLabelSize, absent, kMuted);
  } else if (const auto* signature = std::get_if<Signature>(value)) {
    // Right of the "×", resting on the signature line as a pen would.
    PdfRect area{box.x + 26, box.y + 5, box.width - 36, box.height - 9};
    canvas.Polylines(p, FitSignature(*signature, area), kValue, 1.2f);
  } else if (const auto* text = std::get_if<std::string>(value)) {
    DrawValueText(p, ValueLines(*text, box.width), box.x + kValueInset, box.y + box.height - 4.5f);
  }
}

void PacketLayout::Members::DrawValueText(HPDF_Page p, const ValueText& value, float x, float top) {
  float baseline = top - (value.leading / 2 + 0.35f * value.size);
  for (const std::string& line : value.lines) {
    canvas.Text(p, x, baseline, Face::kRegular, value.size, line, kValue);
    baseline -= value.leading;
  }
}

}  // namespace consentkit
