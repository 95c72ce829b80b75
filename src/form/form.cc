#include "form/form.h"

#include <algorithm>
#include <stdexcept>
#include <type_traits>

#include "i18n/languages.h"

namespace consentkit {
namespace {

// Quotes a string so that no two different sequences of strings serialise
// to the same canonical text.
std::string Quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

void AppendField(const Field& f, std::string& out) {
  out += std::string(f.screening ? "question " : "field ") + Quoted(f.id) + " " + ToString(f.type) +
         (f.required ? " required" : " optional") + " role=" + ToString(f.role) +
         " label=" + Quoted(f.label) + " hint=" + Quoted(f.hint);
  if (f.prefill != PatientFact::kNone) out += std::string(" prefill=") + ToString(f.prefill);
  // Only when the author set it, so definitions without one keep their hash.
  if (f.max_length) out += " max-length=" + std::to_string(*f.max_length);
  if (f.condition) {
    out += " when=" + Quoted(f.condition->field_id) + " equals=" + Quoted(f.condition->equals);
  }
  out += "\n";
  if (f.type == FieldType::kYesNo) return;  // its options are implied, not written
  for (const Option& o : f.options)
    out += "  option " + Quoted(o.value) + " " + Quoted(o.label) + "\n";
}

void AppendBlock(const FormDefinition& form, const Block& block, std::string& out) {
  std::visit(
      [&form, &out](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, Paragraph>) {
          out += "p " + Quoted(b.text) + "\n";
        } else if constexpr (std::is_same_v<T, BulletList>) {
          out += "list\n";
          for (const auto& item : b.items) out += "  item " + Quoted(item) + "\n";
        } else if constexpr (std::is_same_v<T, Risk>) {
          out +=
              "risk " + Quoted(b.id) + " " + Quoted(b.title) + " " + Quoted(b.description) + "\n";
        } else {
          AppendField(form.FieldAt(b), out);
        }
      },
      block);
}

}  // namespace

std::optional<std::string> OfferedLanguage(const FormDefinition& form, std::string_view language) {
  return MatchLanguage(form.languages, language);
}

FormPtr InLanguage(const FormPtr& form, std::string_view language) {
  std::optional<std::string> offered = OfferedLanguage(*form, language);
  if (!offered || *offered == form->lang) return form;
  auto found = form->translations.find(*offered);
  return found == form->translations.end() ? form : found->second;
}

std::string PreferredLanguage(const FormDefinition& form, std::string_view accept_language) {
  return PreferredOf(form.languages, accept_language).value_or(form.lang);
}

namespace {

// One view's lines: everything in CanonicalText after its first line.
void AppendView(const FormDefinition& form, std::string& out) {
  out += "form " + Quoted(form.id) + " " + Quoted(form.version) + " " + ToString(form.kind) + " " +
         Quoted(form.lang) + "\n";
  if (form.countersign != SignerRole::kNone) {
    out += std::string("countersign ") + ToString(form.countersign) + "\n";
  }
  out += "title " + Quoted(form.title) + "\nsummary " + Quoted(form.summary) + "\n";
  for (const Section& section : form.sections) {
    out += "section " + Quoted(section.id) + " " + ToString(section.kind) + " " +
           Quoted(section.heading) + "\n";
    for (const Block& block : section.blocks) AppendBlock(form, block, out);
  }
  for (const Rule& rule : form.rules) {
    out += "rule " + Quoted(rule.when.field_id) + " " + Quoted(rule.when.equals) + " " +
           ToString(rule.outcome) + " " + Quoted(rule.reason) + "\n";
  }
}

}  // namespace

std::string CanonicalText(const FormDefinition& form) {
  std::string out = "consentkit-form 1\n";
  AppendView(form, out);
  // Only a definition with translations has these lines, so one written in
  // a single language keeps the text, and the hash, it always had.
  for (const std::string& lang : form.languages) {
    auto view = form.translations.find(lang);
    if (view == form.translations.end() || !view->second) continue;
    out += "language " + Quoted(lang) + "\n";
    AppendView(*view->second, out);
  }
  return out;
}

std::optional<Outcome> ParseOutcome(const std::string& text) {
  for (Outcome o : {Outcome::kSuitable, Outcome::kPractitionerReview, Outcome::kDefer}) {
    if (text == ToString(o)) return o;
  }
  return std::nullopt;
}

std::vector<FormPtr> PacketOrder(std::vector<FormPtr> forms) {
  auto rank = [](const FormPtr& f) {
    switch (f->kind) {
      case FormKind::kIntake:
        return 0;
      case FormKind::kConsent:
        return 1;
      case FormKind::kAftercare:
        return 2;
      case FormKind::kGeneral:
        return 3;
    }
    return 3;
  };
  std::stable_sort(forms.begin(), forms.end(),
                   [&](const FormPtr& a, const FormPtr& b) { return rank(a) < rank(b); });
  return forms;
}

const Field* FormDefinition::FindField(const std::string& field_id) const {
  for (const Field& f : fields) {
    if (f.id == field_id) return &f;
  }
  return nullptr;
}

const Field* FormDefinition::FieldOf(const Block& block) const {
  const FieldRef* ref = std::get_if<FieldRef>(&block);
  return ref ? &FieldAt(*ref) : nullptr;
}

const Field& FormDefinition::FieldAt(FieldRef ref) const {
  if (ref.index >= fields.size()) {
    throw std::logic_error("form " + id + " places field " + std::to_string(ref.index) +
                           " but has " + std::to_string(fields.size()));
  }
  return fields[ref.index];
}

bool FormDefinition::HasWitnessStep() const {
  return std::any_of(fields.begin(), fields.end(),
                     [](const Field& f) { return f.IsWitnessStep(); });
}

std::vector<const Risk*> FormDefinition::Risks() const {
  std::vector<const Risk*> risks;
  for (const Section& section : sections) {
    for (const Block& block : section.blocks) {
      if (const Risk* risk = std::get_if<Risk>(&block)) risks.push_back(risk);
    }
  }
  return risks;
}

std::string Diagnostic::ToString() const {
  std::string out = file + ":";
  if (line > 0) out += std::to_string(line) + ":" + std::to_string(column) + ":";
  out += " ";
  if (!element.empty()) out += element + ": ";
  out += message;
  if (!expected.empty()) out += "; expected " + expected;
  return out;
}

const char* ToString(FormKind kind) {
  switch (kind) {
    case FormKind::kConsent:
      return "consent";
    case FormKind::kIntake:
      return "intake";
    case FormKind::kAftercare:
      return "aftercare";
    case FormKind::kGeneral:
      return "general";
  }
  return "?";
}

const char* ToString(SectionKind kind) {
  switch (kind) {
    case SectionKind::kInfo:
      return "info";
    case SectionKind::kRisks:
      return "risks";
    case SectionKind::kScreening:
      return "screening";
    case SectionKind::kFields:
      return "fields";
  }
  return "?";
}

const char* ToString(FieldType type) {
  switch (type) {
    case FieldType::kText:
      return "text";
    case FieldType::kTextArea:
      return "textarea";
    case FieldType::kDate:
      return "date";
    case FieldType::kEmail:
      return "email";
    case FieldType::kPhone:
      return "phone";
    case FieldType::kYesNo:
      return "yesno";
    case FieldType::kChoice:
      return "choice";
    case FieldType::kMultiChoice:
      return "multichoice";
    case FieldType::kInitials:
      return "initials";
    case FieldType::kSignature:
      return "signature";
    case FieldType::kCheckbox:
      return "checkbox";
  }
  return "?";
}

const char* ToString(PatientFact fact) {
  switch (fact) {
    case PatientFact::kNone:
      return "";
    case PatientFact::kName:
      return "patient-name";
    case PatientFact::kDateOfBirth:
      return "patient-date-of-birth";
    case PatientFact::kNumber:
      return "patient-number";
  }
  return "";
}

const char* ToString(SignerRole role) {
  switch (role) {
    case SignerRole::kNone:
      return "none";
    case SignerRole::kPatient:
      return "patient";
    case SignerRole::kPractitioner:
      return "practitioner";
    case SignerRole::kWitness:
      return "witness";
  }
  return "?";
}

const char* ToString(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSuitable:
      return "suitable";
    case Outcome::kPractitionerReview:
      return "practitioner-review";
    case Outcome::kDefer:
      return "defer";
  }
  return "?";
}

}  // namespace consentkit
