#include "pdf/pdf.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "pdf/document.h"
#include "pdf/haru_internals.h"
#include "pdf/layout.h"

namespace consentkit {
namespace {

std::string FontDir(const RenderOptions& options) {
  if (!options.font_dir.empty()) return options.font_dir;
  if (const char* env = std::getenv("CONSENTKIT_FONT_DIR"); env && *env) return env;
  return CONSENTKIT_FONT_DIR;
}

std::time_t CreationTime(const RenderOptions& options) {
  if (options.creation_time) return *options.creation_time;
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch && *epoch) {
    return static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
  }
  return std::time(nullptr);
}

void SetInfo(Document& doc, std::time_t when) {
  std::tm utc{};
  gmtime_r(&when, &utc);
  HPDF_Date date{};
  date.year = utc.tm_year + 1900;
  date.month = utc.tm_mon + 1;
  date.day = utc.tm_mday;
  date.hour = utc.tm_hour;
  date.minutes = utc.tm_min;
  date.seconds = utc.tm_sec;
  date.ind = 'Z';
  HPDF_SetInfoDateAttr(doc.handle(), HPDF_INFO_CREATION_DATE, date);
  HPDF_SetInfoAttr(doc.handle(), HPDF_INFO_CREATOR, "consentkit");
  HPDF_SetInfoAttr(doc.handle(), HPDF_INFO_PRODUCER, "consentkit with libharu");
  doc.Check("setting document information");
}

// Screen readers pick their voice from the catalog's /Lang.
void SetLanguage(Document& doc, const std::string& lang) {
  haru::AddToCatalog(doc.handle(), "Lang", haru::NewString(doc.handle(), lang));
}

// Whether the step was unlocked is the validated submission's; the option
// only says by whom. A record claiming an unlock the validator did not allow
// for (or hiding one it did) would misstate the record, so a caller that
// disagrees is a bug, refused here, the one place the two meet.
const WitnessUnlocked* WitnessOf(const ValidSubmission& submission, const RenderOptions& options) {
  bool unlocked = submission.witness() == WitnessStep::kUnlocked;
  if (unlocked == options.witness.has_value()) return unlocked ? &*options.witness : nullptr;
  throw PdfError("cannot render submission " + submission.uuid() + " of form " +
                 submission.form().id + ": it was validated with the witness step " +
                 (unlocked ? "unlocked, but no unlock is given to print"
                           : "locked, but the options say staff unlocked it"));
}

bool IsIsoDate(const std::string& text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

// What is printed on every page and prefilled into date fields must be
// something a person can check: a name, and a date in the fields' format.
const PatientIdentity* PatientOf(const RenderOptions& options) {
  if (!options.patient) return nullptr;
  const PatientIdentity& patient = *options.patient;
  if (patient.name.empty()) throw PdfError("the patient to print has no name");
  if (!IsIsoDate(patient.date_of_birth)) {
    throw PdfError("patient date of birth \"" + patient.date_of_birth +
                   "\" is not YYYY-MM-DD, e.g. 1990-02-28");
  }
  return &patient;
}

}  // namespace

std::string RenderPacket(const std::vector<FormPtr>& forms, const ClinicSettings& clinic,
                         const RenderOptions& options) {
  if (forms.empty()) throw PdfError("nothing to render: no forms given");
  if (options.seal) throw PdfError("cannot seal a blank form: seal submission records only");
  const PatientIdentity* patient = PatientOf(options);
  Document doc;
  SetInfo(doc, CreationTime(options));
  SetLanguage(doc, forms.front()->lang);
  PacketLayout layout(doc, clinic, FontDir(options), LayoutMode::kFillable, patient);
  for (const FormPtr& form : PacketOrder(forms)) layout.AddForm(*form);
  layout.Finish();
  return doc.Save();
}

std::string RenderSubmission(const ValidSubmission& submission, const ScreeningResult& screening,
                             const SubmissionStamp& stamp, const ClinicSettings& clinic,
                             const RenderOptions& options) {
  const WitnessUnlocked* witness = WitnessOf(submission, options);
  const PatientIdentity* patient = PatientOf(options);
  const FormDefinition& form = submission.form();
  Document doc;
  SetInfo(doc, CreationTime(options));
  SetLanguage(doc, form.lang);
  PacketLayout layout(doc, clinic, FontDir(options), LayoutMode::kFilled, patient);
  layout.AddFilledForm(form, {&submission.submission(), &screening, &stamp,
                              options.seal ? &*options.seal : nullptr, witness});
  layout.Finish();
  return doc.Save();
}

}  // namespace consentkit
