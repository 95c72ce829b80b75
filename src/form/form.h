// The form model: one loaded, validated, immutable form definition.
//
// A FormDefinition is built only by LoadForm*() below; nothing else parses XML.
// Once loaded it never changes, so a std::shared_ptr<const FormDefinition> may
// be shared freely between threads without locking.
#ifndef CONSENTKIT_FORM_FORM_H_
#define CONSENTKIT_FORM_FORM_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace consentkit {

enum class FormKind { kConsent, kIntake, kAftercare, kGeneral };
enum class SectionKind { kInfo, kRisks, kScreening, kFields };
enum class FieldType {
  kText,
  kTextArea,
  kDate,
  kEmail,
  kPhone,
  kYesNo,
  kChoice,
  kMultiChoice,
  kInitials,
  kSignature,
  kCheckbox,  // only derived from a risk: its "I understand" box
};
enum class SignerRole { kNone, kPatient, kPractitioner, kWitness };
// A fact about the patient a visit already knows, so a field that asks for
// it is filled in from the visit instead of typed again.
enum class PatientFact { kNone, kName, kDateOfBirth, kNumber };
// Ordered from least to most cautious: the screening outcome is the maximum.
enum class Outcome { kSuitable, kPractitionerReview, kDefer };

struct Option {
  std::string value;  // export value: [A-Za-z0-9_-]+
  std::string label;
};

// "Relevant only when field `field_id` has value `equals`".
struct Condition {
  std::string field_id;
  std::string equals;
};

struct Field {
  std::string id;
  FieldType type = FieldType::kText;
  std::string label;
  std::string hint;  // may be empty
  bool required = false;
  bool screening = false;  // a <question>: rules may refer to it
  SignerRole role = SignerRole::kNone;
  std::vector<Option> options;  // choice and multichoice only
  std::optional<Condition> condition;
  // Prefilled from the visit's patient: text fields take kName or kNumber,
  // date fields kDateOfBirth.
  PatientFact prefill = PatientFact::kNone;
  // The author's own limit on a text value, in code points (max-length="");
  // unset: the type's (RulesOf). Read it through MaxLengthOf (field_rules.h).
  std::optional<std::size_t> max_length;
  int line = 0;  // where it was defined, for messages
  // Part of the witness step (a role="witness" signature, or the witness's
  // printed name): shown and accepted only once staff unlock that step for
  // the visit, with the witness in the room.
  bool IsWitnessStep() const { return role == SignerRole::kWitness; }
};

struct Risk {
  std::string id;
  std::string title;
  std::string description;
  int line = 0;
  std::string UnderstoodFieldId() const { return id + "-understood"; }
  std::string InitialsFieldId() const { return id + "-initials"; }
};

struct Rule {
  Condition when;
  Outcome outcome = Outcome::kSuitable;
  std::string reason;
  int line = 0;
};

struct Paragraph {
  std::string text;
};
struct BulletList {
  std::vector<std::string> items;
};

// A field in its place in a section: an index into FormDefinition::fields,
// where every field lives once.
struct FieldRef {
  std::size_t index = 0;
};

// One thing in a section, in document order.
using Block = std::variant<Paragraph, BulletList, Risk, FieldRef>;

struct Section {
  std::string id;
  SectionKind kind = SectionKind::kInfo;
  std::string heading;
  std::vector<Block> blocks;
};

struct FormDefinition;
using FormPtr = std::shared_ptr<const FormDefinition>;

struct FormDefinition {
  std::string id;
  std::string version;
  FormKind kind = FormKind::kGeneral;
  // The language of this view's text: a BCP 47 tag ("en", "es").
  std::string lang;
  // Every language the definition offers, its default (the root's lang="")
  // first; one entry for a definition written in one language.
  std::vector<std::string> languages;
  // The same definition in each other language of `languages`, by tag.
  // Only the default view (what LoadForm* returns) has entries; a
  // translation's own map is empty. Every view has the same ids, types,
  // option values, conditions, rules' outcomes, hash, source and xml: only
  // the text a person reads differs.
  std::map<std::string, FormPtr> translations;
  std::string title;
  std::string summary;  // may be empty
  // kPractitioner: a practitioner countersigns each submission at review
  // (never on the patient's screen), so every submission waits for review.
  SignerRole countersign = SignerRole::kNone;
  std::vector<Section> sections;
  std::vector<Rule> rules;
  // Every value a submission carries, in document order: the fields and
  // questions, and for each risk its derived checkbox and initials fields.
  std::vector<Field> fields;
  std::string sha256_hex;  // of CanonicalText(*this), set by the loader
  std::string source;      // file path or the description given for in-memory input
  // The definition exactly as read: kept with every submission so an archive
  // can show, years later, the very text a patient was given.
  std::string xml;

  // Nullptr if no entry of `fields` has this id.
  const Field* FindField(const std::string& id) const;
  // The field `block` places, or nullptr if it is not a field.
  const Field* FieldOf(const Block& block) const;
  // The field `ref` places. Throws std::logic_error if `fields` has no such
  // entry (only a hand-built definition can get this wrong).
  const Field& FieldAt(FieldRef ref) const;
  std::vector<const Risk*> Risks() const;
  bool HasWitnessStep() const;
  std::string ShortHash() const { return sha256_hex.substr(0, 12); }
};

// The language of `form.languages` that `language` names: the same tag, or
// failing that the first offered tag with the same primary subtag ("es-MX"
// finds "es", "es" finds "es-419"), in any case; nullopt if none.
std::optional<std::string> OfferedLanguage(const FormDefinition& form, std::string_view language);

// `form` as shown in `language` (as OfferedLanguage matches it): one of its
// translations, or `form` itself when that is its language or the language
// is not offered. REQUIRES: `form` is a default view (LoadForm*'s result).
FormPtr InLanguage(const FormPtr& form, std::string_view language);

// The language of `form.languages` an HTTP Accept-Language value prefers
// (RFC 9110 §12.5.4: weights honoured, "*" and q=0 too), or form.lang when
// none is offered or the value is empty or malformed.
std::string PreferredLanguage(const FormDefinition& form, std::string_view accept_language);

// `forms` in the order a patient meets them in a visit: intake, consent,
// aftercare, then general forms, keeping the given order within a kind.
std::vector<FormPtr> PacketOrder(std::vector<FormPtr> forms);

// The serialisation hashed into sha256_hex. Independent of XML formatting,
// comments and attribute order; any change in wording, ids, options, rules
// or attributes changes it. It covers every language: the default view's
// lines, then for each other language of `languages`, in order, a line
// `language "es"` and that translation's lines (its own `form` line on).
// A definition with no translations has no `language` line, so its text,
// and the hash that stored records hold, are what they were before
// definitions could carry translations. Call it on a default view: a
// translation has no translations of its own to cover.
std::string CanonicalText(const FormDefinition& form);

// One problem found while loading a definition. Kept as separate parts, like
// qpdf's QPDFExc, so callers can format or filter them; ToString() gives
// "file:line:col: <element id="x">: what is wrong; expected what".
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string element;  // e.g. <field id="dob">; empty for document-level problems
  std::string message;
  std::string expected;  // empty when there is nothing useful to suggest
  std::string ToString() const;
};

struct LoadResult {
  FormPtr form;  // null unless errors is empty
  std::vector<Diagnostic> errors;
  bool ok() const { return errors.empty(); }
};

// Reads, parses and validates one definition file. Never throws for bad
// input: every problem (up to kMaxDiagnostics) is returned in `errors`.
LoadResult LoadFormFile(const std::string& path);
// As LoadFormFile, for XML already in memory; `description` stands in for
// the file name in messages.
LoadResult LoadFormFromMemory(const std::string& xml, const std::string& description);
constexpr std::size_t kMaxDiagnostics = 100;

const char* ToString(FormKind kind);
const char* ToString(SectionKind kind);
const char* ToString(FieldType type);
const char* ToString(SignerRole role);
const char* ToString(Outcome outcome);
// The outcome ToString() spells `text` as, if any.
std::optional<Outcome> ParseOutcome(const std::string& text);
// "", "patient-name", "patient-date-of-birth", "patient-number": the
// spelling of the prefill attribute.
const char* ToString(PatientFact fact);

}  // namespace consentkit

#endif  // CONSENTKIT_FORM_FORM_H_
