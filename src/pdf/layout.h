// Lays form definitions out on pages: headers, wrapped text, risk cards,
// questions, fields and signature boxes, with page breaks that never split
// a field from its label or a risk from its checkbox.
//
// Content is cut into atoms (a line of text, a field with its label, one
// part of a risk card), each with a height and a keep-with-next flag; the
// paginator places each chain of kept-together atoms on one page whenever
// the chain fits on a page at all.
//
// One layout engine serves both outputs: a blank form, where every field is
// an AcroForm widget, and a filled one, where the same atoms print a
// submission's values instead (text in the boxes, ticks, dots, signatures)
// and no AcroForm exists at all, unless the record is to be sealed: then
// its one field is the seal's signature. Not thread-safe.
#ifndef CONSENTKIT_PDF_LAYOUT_H_
#define CONSENTKIT_PDF_LAYOUT_H_

#include <memory>
#include <string>

#include "config/config.h"
#include "form/form.h"
#include "pdf/pdf.h"
#include "submission/submission.h"

namespace consentkit {

class Document;

// Fillable: blank forms with AcroForm fields. Filled: forms printed with
// one submission's values, with no AcroForm (nothing left to edit).
enum class LayoutMode { kFillable, kFilled };

// What a filled form prints besides the form itself. Not owned: all of it
// must outlive the PacketLayout it is given to.
struct FilledValues {
  const Submission* submission = nullptr;
  const ScreeningResult* screening = nullptr;
  const SubmissionStamp* stamp = nullptr;
  const SealAppearance* seal = nullptr;      // null: not sealed
  const WitnessUnlocked* witness = nullptr;  // null: the witness step stayed locked
};

class PacketLayout {
 public:
  // `doc`, and `patient` unless null, must outlive this object. A patient
  // is named in every page's header band, prefills the fields that ask for
  // it (kFillable) and has rows in the record block (kFilled). Throws
  // PdfError if fonts or the logo cannot be loaded.
  PacketLayout(Document& doc, const ClinicSettings& clinic, const std::string& font_dir,
               LayoutMode mode = LayoutMode::kFillable, const PatientIdentity* patient = nullptr);
  ~PacketLayout();

  // Lays out `form` starting on a new page. `form` must outlive this object.
  // REQUIRES: mode kFillable.
  void AddForm(const FormDefinition& form);
  // Lays out `form` filled with `values`, starting on a new page, and ends
  // it with the submission record. `form` and what `values` points to must
  // outlive this object.
  // REQUIRES: mode kFilled; values.submission is a ValidSubmission's, of `form`.
  void AddFilledForm(const FormDefinition& form, const FilledValues& values);
  // Draws every page's footer ("Page X of Y"); call once, after the last form.
  void Finish();

 private:
  struct Members;
  std::unique_ptr<Members> m_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_LAYOUT_H_
