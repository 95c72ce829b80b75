#include "pdf/layout.h"

#include <algorithm>
#include <functional>

#include "pdf/acroform.h"
#include "pdf/canvas.h"
#include "pdf/document.h"

namespace consentkit {
namespace {

constexpr Color kInk{0.12f, 0.14f, 0.17f};
constexpr Color kMuted{0.38f, 0.41f, 0.46f};
constexpr Color kAccent{0.05f, 0.36f, 0.45f};
constexpr Color kRequired{0.70f, 0.16f, 0.14f};
constexpr Color kRule{0.78f, 0.81f, 0.84f};
constexpr Color kTint{0.94f, 0.97f, 0.97f};
constexpr Color kBox{0.32f, 0.35f, 0.40f};
constexpr Color kBoxFill{0.99f, 0.99f, 1.0f};

// Type sizes and line heights, in points.
constexpr float kBodySize = 10, kBodyLeading = 14;
constexpr float kLabelSize = 9.5f, kLabelLeading = 13;
constexpr float kSmallSize = 8.5f, kSmallLeading = 11;
constexpr float kFieldGap = 18;  // between fields sharing a row
constexpr float kMark = 13;      // checkbox and radio button size

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
  if (field.type == FieldType::kYesNo) return value == "yes" ? "Yes" : "No";
  for (const Option& o : field.options) {
    if (o.value == value) return o.label;
  }
  return value;
}

}  // namespace

struct PacketLayout::Members {
  Members(Document& d, const ClinicSettings& c, const std::string& font_dir)
      : doc(d), clinic(c), g(GeometryFor(c.page_size)), canvas(d, font_dir), acroform(d) {
    if (!clinic.logo_path.empty()) logo = canvas.LoadPng(clinic.logo_path);
  }

  float Width() const { return g.right - g.left; }

  // Pagination.
  void NewPage();
  void Place(const std::vector<Atom>& atoms);
  float ChainHeight(const std::vector<Atom>& atoms, std::size_t first, std::size_t last) const;
  void PlaceAtom(const Atom& atom);
  void DrawHeader(HPDF_Page page, const FormDefinition& f);
  void DrawFooter(const PageInfo& info, std::size_t number, std::size_t total);

  // Content, as atoms appended to `atoms`.
  void TitleBlock();
  void Heading(const std::string& text);
  void TextLines(const std::string& text, float indent, float space_before,
                 const std::string& bullet = "");
  void RiskCard(const Risk& risk, int number);
  void Question(const Field& field);
  void FieldRow(const std::vector<const Field*>& row);
  void ClinicUseBox();
  void Blocks(const Section& section);
  void KeepShortSectionTogether(std::size_t first_atom);

  // Field cells: a label, an optional condition note, the box, a hint.
  float CellHeight(const Field& field, float width) const;
  void DrawCell(HPDF_Page page, const Field& field, float x, float top, float width);
  std::vector<std::string> LabelLines(const std::string& label, bool required, float width,
                                      float size, Face face) const;
  float DrawLabel(HPDF_Page page, const std::string& label, bool required, float x, float top,
                  float width, float size, Face face);
  std::string ConditionNote(const Field& field) const;
  void AddFieldWidget(HPDF_Page page, const Field& field, const PdfRect& box);
  float OptionRowsHeight(const Field& field) const;
  void DrawOptions(HPDF_Page page, const Field& field, float top);

  Document& doc;
  const ClinicSettings& clinic;
  Geometry g;
  Canvas canvas;
  AcroForm acroform;
  HPDF_Image logo = nullptr;
  std::vector<PageInfo> pages;
  std::vector<Atom> atoms;
  const FormDefinition* form = nullptr;
  FieldNode group;  // this form's field group: names are "<form-id>.<field-id>"
  HPDF_Page page = nullptr;
  float cursor = 0;
};

PacketLayout::PacketLayout(Document& doc, const ClinicSettings& clinic, const std::string& font_dir)
    : m_(std::make_unique<Members>(doc, clinic, font_dir)) {}

PacketLayout::~PacketLayout() = default;

void PacketLayout::AddForm(const FormDefinition& form) {
  m_->form = &form;
  m_->group = m_->acroform.AddGroup(form.id);
  m_->atoms.clear();
  m_->TitleBlock();
  for (const Section& section : form.sections) m_->Blocks(section);
  if (!form.rules.empty()) m_->ClinicUseBox();
  m_->NewPage();
  m_->Place(m_->atoms);
  m_->doc.Check(("laying out form " + form.id).c_str());
}

void PacketLayout::Finish() {
  for (std::size_t i = 0; i < m_->pages.size(); ++i) {
    m_->DrawFooter(m_->pages[i], i + 1, m_->pages.size());
  }
  m_->doc.Check("drawing page footers");
}

void PacketLayout::Members::NewPage() {
  page = doc.AddPage(g.width, g.height);
  pages.push_back({page, form});
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
}

void PacketLayout::Members::DrawFooter(const PageInfo& info, std::size_t number,
                                       std::size_t total) {
  const FormDefinition& f = *info.form;
  canvas.Line(info.page, g.left, 44, g.right, 44, kRule, 0.6f);
  canvas.Text(info.page, g.left, 32, Face::kRegular, 7.5f,
              f.id + "  ·  version " + f.version + "  ·  definition " + f.ShortHash(), kMuted);
  canvas.TextRight(info.page, g.right, 32, Face::kBold, 8.5f,
                   "Page " + std::to_string(number) + " of " + std::to_string(total), kInk);
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
    const Field* field = std::get_if<Field>(&block);
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
    float row = top - 10;  // top edge of the 22 pt control row
    PdfRect check{g.left + 14, row - 17.5f, kMark + 1, kMark + 1};
    canvas.FillRect(p, check, kBoxFill);
    canvas.StrokeRect(p, check, kBox, 0.9f);
    acroform.AddCheckBox(p, check, risk.UnderstoodFieldId(), "I understand: " + risk.title, true,
                         group);
    DrawLabel(p, "I understand this risk", true, check.x + check.width + 8, row - 4, 200, kBodySize,
              Face::kBold);
    PdfRect initials{g.right - 14 - 80, row - 22, 80, 22};
    canvas.TextRight(p, initials.x - 8, row - 15, Face::kRegular, kLabelSize, "Initials", kInk);
    canvas.Text(p, initials.x - 6, row - 15, Face::kBold, kLabelSize, "*", kRequired);
    canvas.FillRect(p, initials, kBoxFill);
    canvas.StrokeRect(p, initials, kBox, 0.9f);
    TextFieldSpec spec;
    spec.name = risk.InitialsFieldId();
    spec.tooltip = "Initials: " + risk.title;
    spec.required = true;
    spec.max_length = 4;
    spec.font_size = 12;
    acroform.AddTextField(p, initials, spec, group);
  };
  atoms.push_back(actions);
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

float PacketLayout::Members::CellHeight(const Field& field, float width) const {
  float height =
      kLabelLeading *
      static_cast<float>(
          LabelLines(field.label, field.required, width, kLabelSize, Face::kBold).size());
  std::string note = ConditionNote(field);
  if (!note.empty()) {
    height += kSmallLeading *
              static_cast<float>(canvas.Wrap(Face::kRegular, kSmallSize, note, width).size());
  }
  height += 3 + BoxHeight(field.type);
  std::string hint = HintOf(field);
  if (!hint.empty()) {
    height += 2 + kSmallLeading * static_cast<float>(
                                      canvas.Wrap(Face::kRegular, kSmallSize, hint, width).size());
  }
  return height;
}

void PacketLayout::Members::DrawCell(HPDF_Page p, const Field& field, float x, float top,
                                     float width) {
  float y = DrawLabel(p, field.label, field.required, x, top, width, kLabelSize, Face::kBold);
  std::string note = ConditionNote(field);
  if (!note.empty()) {
    for (const auto& line : canvas.Wrap(Face::kRegular, kSmallSize, note, width)) {
      canvas.Text(p, x, y - 8.5f, Face::kRegular, kSmallSize, line, kAccent);
      y -= kSmallLeading;
    }
  }
  float box_height = BoxHeight(field.type);
  PdfRect box{x, y - 3 - box_height, width, box_height};
  canvas.FillRect(p, box, kBoxFill);
  if (field.type == FieldType::kSignature) {
    canvas.StrokeRect(p, box, kRule, 0.6f);
    canvas.Line(p, box.x + 10, box.y + 12, box.x + box.width - 10, box.y + 12, kBox, 0.9f);
    canvas.Text(p, box.x + 10, box.y + 15, Face::kRegular, 12, "\u00d7", kMuted);
  } else {
    canvas.StrokeRect(p, box, kBox, 0.9f);
  }
  AddFieldWidget(p, field, box);
  std::string hint = HintOf(field);
  float hint_y = box.y - 2;
  for (const auto& line : canvas.Wrap(Face::kRegular, kSmallSize, hint, width)) {
    if (line.empty()) break;
    canvas.Text(p, x, hint_y - 8.5f, Face::kRegular, kSmallSize, line, kMuted);
    hint_y -= kSmallLeading;
  }
}

void PacketLayout::Members::AddFieldWidget(HPDF_Page p, const Field& field, const PdfRect& box) {
  if (field.type == FieldType::kSignature) {
    acroform.AddSignatureField(p, box, field.id, field.label, field.required, group);
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
  acroform.AddTextField(p, {box.x + 1, box.y + 1, box.width - 2, box.height - 2}, spec, group);
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

float PacketLayout::Members::OptionRowsHeight(const Field& field) const {
  if (field.type == FieldType::kYesNo) return 0;
  float height = 0;
  for (const Option& o : field.options) {
    height += 4 + kBodyLeading *
                      static_cast<float>(
                          canvas.Wrap(Face::kRegular, kBodySize, o.label, Width() - 40).size());
  }
  return height + 4;
}

// Yes/no questions put the two buttons at the right of the question text;
// choices list one option per line below it. A separator closes each.
void PacketLayout::Members::Question(const Field& field) {
  bool yes_no = field.type == FieldType::kYesNo;
  float text_width = yes_no ? Width() - 120 : Width();
  float label_height =
      kBodyLeading *
      static_cast<float>(
          LabelLines(field.label, field.required, text_width, kBodySize, Face::kRegular).size());
  std::string note = ConditionNote(field);
  float note_height =
      note.empty()
          ? 0
          : kSmallLeading * static_cast<float>(
                                canvas.Wrap(Face::kRegular, kSmallSize, note, text_width).size());
  float hint_height =
      field.hint.empty()
          ? 0
          : kSmallLeading *
                static_cast<float>(
                    canvas.Wrap(Face::kRegular, kSmallSize, field.hint, text_width).size());
  Atom atom;
  atom.height =
      7 + std::max(label_height + note_height + hint_height, 16.0f) + OptionRowsHeight(field) + 7;
  atom.space_before = 0;
  atom.draw = [this, &field, yes_no, text_width, note, h = atom.height](HPDF_Page p, float top) {
    float y = DrawLabel(p, field.label, field.required, g.left, top - 7, text_width, kBodySize,
                        Face::kRegular);
    for (const auto& line : canvas.Wrap(Face::kRegular, kSmallSize, note, text_width)) {
      if (line.empty()) break;
      canvas.Text(p, g.left, y - 8.5f, Face::kRegular, kSmallSize, line, kAccent);
      y -= kSmallLeading;
    }
    for (const auto& line : canvas.Wrap(Face::kRegular, kSmallSize, field.hint, text_width)) {
      if (line.empty()) break;
      canvas.Text(p, g.left, y - 8.5f, Face::kRegular, kSmallSize, line, kMuted);
      y -= kSmallLeading;
    }
    if (yes_no) {
      FieldNode radio = acroform.AddRadioGroup(field.id, field.label, field.required, group);
      float x = g.right - 112;
      for (const char* value : {"yes", "no"}) {
        PdfRect mark{x, top - 7 - kMark, kMark, kMark};
        canvas.Circle(p, mark.x + kMark / 2, mark.y + kMark / 2, kMark / 2, kBox, 0.9f);
        acroform.AddRadioButton(p, mark, radio, value);
        canvas.Text(p, x + kMark + 5, mark.y + 3, Face::kRegular, kBodySize,
                    OptionLabel(field, value), kInk);
        x += 58;
      }
    } else {
      DrawOptions(p, field, y - 4);
    }
    canvas.Line(p, g.left, top - h, g.right, top - h, kRule, 0.5f);
  };
  atoms.push_back(atom);
}

void PacketLayout::Members::DrawOptions(HPDF_Page p, const Field& field, float top) {
  bool multi = field.type == FieldType::kMultiChoice;
  FieldNode node = multi ? acroform.AddGroup(field.id, group)
                         : acroform.AddRadioGroup(field.id, field.label, field.required, group);
  float y = top;
  for (const Option& option : field.options) {
    PdfRect mark{g.left + 12, y - kMark, kMark, kMark};
    if (multi) {
      canvas.FillRect(p, mark, kBoxFill);
      canvas.StrokeRect(p, mark, kBox, 0.9f);
      acroform.AddCheckBox(p, mark, option.value, field.label + ": " + option.label, false, node);
    } else {
      canvas.Circle(p, mark.x + kMark / 2, mark.y + kMark / 2, kMark / 2, kBox, 0.9f);
      acroform.AddRadioButton(p, mark, node, option.value);
    }
    for (const auto& line : canvas.Wrap(Face::kRegular, kBodySize, option.label, Width() - 40)) {
      canvas.Text(p, g.left + 32, y - 10.5f, Face::kRegular, kBodySize, line, kInk);
      y -= kBodyLeading;
    }
    y -= 4;
  }
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

}  // namespace consentkit
