// The layout is three steps per form, each in its own part: measure.cc
// cuts the form into measured atoms, paginator.cc decides each one's page
// and y, and a painter draws them there: fillable_painter.cc for blank
// forms (AcroForm widgets), filled_painter.cc for records (the answers),
// both on painter.cc's shared drawing. This file only runs the steps and
// keeps the pages.
#include "pdf/layout.h"

#include <optional>
#include <vector>

#include "pdf/answers.h"
#include "pdf/atoms.h"
#include "pdf/canvas.h"
#include "pdf/document.h"
#include "pdf/fillable_painter.h"
#include "pdf/filled_painter.h"
#include "pdf/measure.h"
#include "pdf/paginator.h"

namespace consentkit {
namespace {

// A page and what its footer names.
struct PageInfo {
  HPDF_Page page;
  const FormDefinition* form;
  const SubmissionStamp* stamp;  // null on blank forms
};

}  // namespace

struct PacketLayout::Members {
  Members(Document& d, const ClinicSettings& c, const std::string& font_dir, LayoutMode mode,
          const PatientIdentity* who)
      : doc(d),
        clinic(c),
        patient(who),
        g(GeometryFor(c.page_size, who != nullptr)),
        canvas(d, font_dir) {
    // A filled form has no AcroForm at all: no catalog entry, no fields, so
    // nothing is left to edit. A blank one makes it before loading the logo,
    // as it always has, which keeps blank PDFs byte-for-byte unchanged.
    if (mode == LayoutMode::kFillable) {
      painter = &fillable.emplace(d, canvas, g, clinic, patient);
    } else {
      painter = &filled.emplace(d, canvas, g, clinic, patient);
    }
    if (!clinic.logo_path.empty()) painter->UseLogo(canvas.LoadPng(clinic.logo_path));
  }

  void LayOut(const FormDefinition& form, const Atoms& atoms, const SubmissionStamp* stamp);
  void NewPage(const FormDefinition& form, const SubmissionStamp* stamp);

  Document& doc;
  const ClinicSettings& clinic;
  const PatientIdentity* patient;  // null: nobody named
  PageGeometry g;
  Canvas canvas;
  std::optional<FillablePainter> fillable;  // kFillable
  std::optional<FilledPainter> filled;      // kFilled
  Painter* painter = nullptr;               // whichever of the two there is
  std::vector<PageInfo> pages;
};

PacketLayout::PacketLayout(Document& doc, const ClinicSettings& clinic, const std::string& font_dir,
                           LayoutMode mode, const PatientIdentity* patient)
    : m_(std::make_unique<Members>(doc, clinic, font_dir, mode, patient)) {}

PacketLayout::~PacketLayout() = default;

void PacketLayout::AddForm(const FormDefinition& form) {
  if (!m_->fillable) throw PdfError("internal error: a blank form in a filled-form layout");
  m_->fillable->BeginForm(form);
  const Answers nothing_given;
  Atoms atoms = Measurer(m_->canvas, m_->g, form, nothing_given, m_->patient, m_->clinic.date_order)
                    .BlankForm();
  m_->LayOut(form, atoms, nullptr);
}

void PacketLayout::AddFilledForm(const FormDefinition& form, const FilledValues& values) {
  if (!m_->filled) throw PdfError("internal error: a filled form in a fillable layout");
  const Answers answers(form, values);
  Atoms atoms =
      Measurer(m_->canvas, m_->g, form, answers, m_->patient, m_->clinic.date_order).FilledForm();
  m_->LayOut(form, atoms, values.stamp);
}

void PacketLayout::Finish() {
  for (std::size_t i = 0; i < m_->pages.size(); ++i) {
    const PageInfo& info = m_->pages[i];
    m_->painter->Footer(info.page, *info.form, info.stamp, i + 1, m_->pages.size());
  }
  m_->doc.Check("drawing page footers");
}

// Every atom is placed before any is drawn, so a form that cannot be laid
// out fails before it has drawn anything. Pages are made as the first atom
// on each is drawn, in the order libharu has always been asked for them.
void PacketLayout::Members::LayOut(const FormDefinition& form, const Atoms& atoms,
                                   const SubmissionStamp* stamp) {
  std::vector<Placement> placements = Paginate(atoms.flow, g.Frame(), "form \"" + form.id + "\"");
  const std::size_t first_page = pages.size();
  painter->UseCatalog(Catalog::For(form.lang));
  NewPage(form, stamp);
  for (std::size_t i = 0; i < atoms.size(); ++i) {
    while (first_page + placements[i].page >= pages.size()) NewPage(form, stamp);
    painter->Paint(pages.back().page, atoms.payload[i], atoms.flow[i], placements[i].top);
  }
  doc.Check(("laying out form " + form.id).c_str());
}

void PacketLayout::Members::NewPage(const FormDefinition& form, const SubmissionStamp* stamp) {
  HPDF_Page page = doc.AddPage(g.width, g.height);
  pages.push_back({page, &form, stamp});
  painter->Header(page, form);
}

}  // namespace consentkit
