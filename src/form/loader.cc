// Reads a definition with tinyxml2 and turns it into a FormDefinition,
// collecting every problem with its file, line and column. What tinyxml2
// accepts is then held to strict XML (well_formed.h) before it is walked.
#include <tinyxml2.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>

#include "form/field_rules.h"
#include "form/form.h"
#include "form/source_map.h"
#include "form/well_formed.h"
#include "util/util.h"

namespace consentkit {
namespace {

using tinyxml2::XMLElement;
using tinyxml2::XMLNode;
using Names = std::initializer_list<const char*>;

constexpr std::size_t kMaxOptions = 24;
// Each language is one more walk of the tree: bound them.
constexpr std::size_t kMaxLanguages = 16;
const std::regex kIdPattern("[a-z][a-z0-9_-]{0,63}");
const std::regex kValuePattern("[A-Za-z0-9_-]{1,64}");
const std::regex kVersionPattern("[A-Za-z0-9.+-]{1,32}");
const std::regex kLangPattern("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*");

// std::regex recurses per repetition: bound the input before matching so
// that a hostile 30 KB attribute cannot overflow the stack.
bool Matches(const std::string& text, const std::regex& pattern) {
  return text.size() <= 64 && std::regex_match(text, pattern);
}

std::string JoinNames(Names names, const char* last_separator = " or ") {
  std::string out;
  std::size_t i = 0;
  for (const char* name : names) {
    if (i > 0) out += (i + 1 == names.size()) ? last_separator : ", ";
    out += name;
    ++i;
  }
  return out;
}

const char* XmlErrorText(tinyxml2::XMLError error) {
  switch (error) {
    case tinyxml2::XML_ERROR_MISMATCHED_ELEMENT:
      return "a closing tag does not match its opening tag";
    case tinyxml2::XML_ERROR_PARSING_ELEMENT:
      return "an element is not closed or is badly formed";
    case tinyxml2::XML_ERROR_PARSING_ATTRIBUTE:
      return "a badly formed attribute";
    case tinyxml2::XML_ERROR_PARSING_TEXT:
      return "badly formed text (a stray '<' or '&'?)";
    case tinyxml2::XML_ERROR_PARSING_COMMENT:
      return "a comment is not closed";
    case tinyxml2::XML_ERROR_PARSING_DECLARATION:
      return "a badly formed <?xml ...?> declaration";
    case tinyxml2::XML_ERROR_PARSING_CDATA:
      return "a CDATA section is not closed";
    case tinyxml2::XML_ELEMENT_DEPTH_EXCEEDED:
      return "elements are nested too deeply";
    case tinyxml2::XML_ERROR_EMPTY_DOCUMENT:
      return "the document is empty";
    default:
      return "the document is not well-formed XML";
  }
}

bool Contains(Names names, const std::string& name) {
  return std::any_of(names.begin(), names.end(), [&](const char* n) { return name == n; });
}

// The node's own text, its text children joined, before collapsing.
std::string DirectText(const XMLNode* e) {
  std::string text;
  for (auto* node = e->FirstChild(); node; node = node->NextSibling()) {
    if (node->ToText()) text += node->Value();
  }
  return text;
}

bool SameTag(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string QuotedList(const std::vector<std::string>& tags) {
  std::string out;
  for (const std::string& tag : tags) out += (out.empty() ? "\"" : ", \"") + tag + "\"";
  return out;
}

// Walks the tinyxml2 tree once, in document order, building the model.
class Loader {
 public:
  Loader(const std::string& xml, const std::string& description)
      : xml_(xml), source_(description), map_(xml) {}

  LoadResult Run();

 private:
  // Walks the tree again for one other language, reading its <text lang>
  // children instead of each element's own text. Only run after a clean
  // default walk, so it finds nothing new to report.
  std::shared_ptr<FormDefinition> ViewIn(const std::string& lang, const XMLElement* root);
  // Conditions and rules are checked after the whole form is read, because
  // they may refer to fields defined further down.
  struct PendingCondition {
    Condition condition;
    const XMLElement* at;
    std::string owner_id;  // the field it makes conditional; empty for rules
    bool for_rule;
  };

  // Diagnostics.
  void Error(const XMLNode* at, const std::string& message, const std::string& expected);
  void AttributeError(const XMLElement* e, const char* attribute, const std::string& message,
                      const std::string& expected);
  std::string Describe(const XMLElement* e) const;
  void ParseError();
  void NotWellFormed(const XmlProblem& problem);

  // Generic element checks.
  bool CheckAttributes(const XMLElement* e, Names allowed, Names required);
  // The element's text, white space collapsed; an error if empty or if it
  // contains elements. Elements that take no attributes are checked here.
  // In a translation's walk, the <text lang> child of that language instead.
  std::string Text(const XMLElement* e, bool takes_attributes = false);
  // Each <text lang> child of `e` held to the rules of `e`'s own text, and
  // every other declared language given one.
  void CheckTranslations(const XMLElement* e);
  // One <text> child's problems; its language when it counts as one.
  std::optional<std::string> CheckTranslation(const XMLElement* e, const XMLElement* t);
  // CheckPrintable for a translation, its problems pointing at the <text>.
  void CheckTranslatedPrintable(const XMLElement* e, const XMLElement* t, const std::string& text);
  // A <text> where no text is read: reported as such rather than as an
  // unknown element. True when `child` is one.
  bool MisplacedTranslation(const XMLElement* child);
  // " in section \"about\"": the nearest enclosing element with an id.
  std::string Where(const XMLElement* e) const;
  void CheckPrintable(const XMLElement* e, const std::string& text);
  std::string Id(const XMLElement* e);
  template <typename Enum>
  Enum Enumerated(const XMLElement* e, const char* attribute,
                  const std::vector<std::pair<const char*, Enum>>& values, Enum fallback);
  bool Boolean(const XMLElement* e, const char* attribute);
  const XMLElement* OnlyChild(const XMLElement* parent, const char* name, bool required);

  // The grammar, one function per element.
  void ParseForm(const XMLElement* root);
  // The languages="" attribute, checked: the default first, then the others.
  std::vector<std::string> ParseLanguages(const XMLElement* root);
  void ParseSection(const XMLElement* e);
  void ParseSectionChild(const XMLElement* child, Section& section);
  Risk ParseRisk(const XMLElement* e);
  Field ParseField(const XMLElement* e, bool question);
  // The field's prefill attribute, checked against its type.
  PatientFact Prefill(const XMLElement* e, FieldType type);
  // The author's max-length, checked against the type's own limit.
  std::optional<std::size_t> MaxLength(const XMLElement* e, const Field& field);
  // `type_known`: false when the type was bad, so options are not judged by it.
  void ParseFieldChildren(const XMLElement* e, Field& field, bool type_known);
  std::optional<Condition> ParseCondition(const XMLElement* e, const char* field_attribute,
                                          bool required);
  BulletList ParseList(const XMLElement* e);
  void ParseRule(const XMLElement* e);

  // Checks that need the whole form.
  void ResolveConditions();
  void CheckCondition(const PendingCondition& pending);
  void CheckConditionCycles();
  void CheckFormKind(const XMLElement* root);
  void CheckPatientSignature(const XMLElement* e);
  void AddDerivedFields(const Risk& risk, const XMLElement* at);

  const std::string& xml_;
  std::string source_;
  SourceMap map_;
  // PRESERVE_WHITESPACE: CollapseWhitespace() does the collapsing, so that
  // "a <!-- note --> b" keeps its space (tinyxml2's collapsing trims each
  // text node and would glue the words together).
  tinyxml2::XMLDocument doc_{true, tinyxml2::PRESERVE_WHITESPACE};
  std::vector<Diagnostic> errors_;
  FormDefinition form_;
  std::set<std::string> ids_;
  std::vector<PendingCondition> pending_;
  // Every <field type="signature" role="patient">, for CheckFormKind.
  std::vector<const XMLElement*> patient_signatures_;
  bool section_kind_known_ = true;  // of the section being parsed
  // Every language the form offers, its default first (the default walk's
  // ParseLanguages); the same for every walk.
  std::vector<std::string> languages_;
  // The language a translation's walk reads; empty in the default walk.
  std::string reading_;
};

LoadResult Loader::Run() {
  form_.source = source_;
  form_.xml = xml_;
  if (doc_.Parse(xml_.data(), xml_.size()) != tinyxml2::XML_SUCCESS) {
    ParseError();
    return {nullptr, std::move(errors_)};
  }
  map_.Index(doc_);
  if (!doc_.RootElement()) {
    Error(nullptr, "no <form> element", "one <form> element holding the definition");
    return {nullptr, std::move(errors_)};
  }
  // A second top-level element is all expat would find there ("junk after
  // document element"); the loader's own words for it say more.
  if (const XMLElement* extra = doc_.RootElement()->NextSiblingElement()) {
    Error(extra, "a second top-level element <" + std::string(extra->Name()) + ">",
          "exactly one <form> element per file");
  } else if (auto problem = FindXmlProblem(xml_, map_)) {
    NotWellFormed(*problem);
    return {nullptr, std::move(errors_)};
  }
  const XMLElement* root = doc_.RootElement();
  ParseForm(root);
  if (!errors_.empty()) return {nullptr, std::move(errors_)};
  auto form = std::make_shared<FormDefinition>(std::move(form_));
  std::vector<std::shared_ptr<FormDefinition>> views{form};
  for (std::size_t i = 1; i < form->languages.size(); ++i) {
    views.push_back(ViewIn(form->languages[i], root));
    form->translations.emplace(form->languages[i], views.back());
  }
  if (!errors_.empty()) return {nullptr, std::move(errors_)};
  // The hash covers every language, so each view carries the same one.
  std::string hash = Sha256Hex(CanonicalText(*form));
  for (const auto& view : views) view->sha256_hex = hash;
  return {form, {}};
}

std::shared_ptr<FormDefinition> Loader::ViewIn(const std::string& lang, const XMLElement* root) {
  form_ = FormDefinition{};
  form_.source = source_;
  form_.xml = xml_;
  ids_.clear();
  pending_.clear();
  patient_signatures_.clear();
  reading_ = lang;
  ParseForm(root);
  return std::make_shared<FormDefinition>(std::move(form_));
}

void Loader::Error(const XMLNode* at, const std::string& message, const std::string& expected) {
  if (errors_.size() >= kMaxDiagnostics) return;
  Diagnostic d;
  d.file = source_;
  SourcePosition pos = map_.PositionOf(at);
  d.line = pos.line;
  d.column = pos.column;
  if (at && at->ToElement()) d.element = Describe(at->ToElement());
  d.message = message;
  d.expected = expected;
  errors_.push_back(std::move(d));
}

void Loader::AttributeError(const XMLElement* e, const char* attribute, const std::string& message,
                            const std::string& expected) {
  Error(e, message, expected);
  if (errors_.empty()) return;
  SourcePosition pos = map_.PositionOfAttribute(e, attribute);
  errors_.back().line = pos.line;
  errors_.back().column = pos.column;
}

std::string Loader::Describe(const XMLElement* e) const {
  std::string out = "<" + std::string(e->Name());
  if (const char* id = e->Attribute("id")) out += " id=\"" + std::string(id) + "\"";
  return out + ">";
}

void Loader::ParseError() {
  Diagnostic d;
  d.file = source_;
  d.line = std::max(1, doc_.ErrorLineNum());
  d.column = map_.FirstColumnOfLine(d.line);
  d.message = std::string("malformed XML: ") + XmlErrorText(doc_.ErrorID());
  d.expected = kWellFormedXml;
  errors_.push_back(std::move(d));
}

void Loader::NotWellFormed(const XmlProblem& problem) {
  Diagnostic d;
  d.file = source_;
  d.line = problem.at.line;
  d.column = problem.at.column;
  d.message = "not well-formed XML: " + problem.message;
  d.expected = problem.expected;
  errors_.push_back(std::move(d));
}

bool Loader::CheckAttributes(const XMLElement* e, Names allowed, Names required) {
  bool ok = true;
  for (auto* a = e->FirstAttribute(); a; a = a->Next()) {
    if (Contains(allowed, a->Name())) continue;
    std::string expected = allowed.size() == 0 ? "no attributes on <" + std::string(e->Name()) + ">"
                                               : "one of " + JoinNames(allowed);
    AttributeError(e, a->Name(), "unknown attribute \"" + std::string(a->Name()) + "\"", expected);
    ok = false;
  }
  for (const char* name : required) {
    if (e->Attribute(name)) continue;
    Error(e, "missing attribute \"" + std::string(name) + "\"",
          "<" + std::string(e->Name()) + " " + name + "=\"...\">");
    ok = false;
  }
  return ok;
}

std::string Loader::Text(const XMLElement* e, bool takes_attributes) {
  if (!reading_.empty()) {
    for (auto* t = e->FirstChildElement("text"); t; t = t->NextSiblingElement("text")) {
      const char* lang = t->Attribute("lang");
      if (lang && reading_ == lang) return CollapseWhitespace(DirectText(t));
    }
    return "";  // not reached: the default walk required one
  }
  if (!takes_attributes) CheckAttributes(e, {}, {});
  for (auto* child = e->FirstChildElement(); child; child = child->NextSiblingElement()) {
    if (std::string(child->Name()) == "text") continue;
    Error(child,
          "unexpected element <" + std::string(child->Name()) + "> inside <" + e->Name() + ">",
          "plain text");
  }
  std::string text = CollapseWhitespace(DirectText(e));
  if (text.empty()) Error(e, "empty text in <" + std::string(e->Name()) + ">", "some text");
  CheckPrintable(e, text);
  CheckTranslations(e);
  return text;
}

void Loader::CheckTranslations(const XMLElement* e) {
  std::set<std::string> found;
  for (auto* t = e->FirstChildElement("text"); t; t = t->NextSiblingElement("text")) {
    std::optional<std::string> lang = CheckTranslation(e, t);
    if (lang && !found.insert(*lang).second) {
      AttributeError(t, "lang", "another \"" + *lang + "\" text in <" + e->Name() + ">",
                     "one <text lang=\"" + *lang + "\"> per element");
    }
  }
  for (std::size_t i = 1; i < languages_.size(); ++i) {
    const std::string& lang = languages_[i];
    if (found.count(lang)) continue;
    Error(e, "no \"" + lang + "\" text for <" + e->Name() + ">" + Where(e),
          "<text lang=\"" + lang + "\">...</text> inside <" + e->Name() + ">: the form offers \"" +
              lang + "\"");
  }
}

std::optional<std::string> Loader::CheckTranslation(const XMLElement* e, const XMLElement* t) {
  CheckAttributes(t, {"lang"}, {});
  std::string in = " in <" + std::string(e->Name()) + ">";
  std::vector<std::string> others(languages_.begin() + 1, languages_.end());
  const char* raw = t->Attribute("lang");
  if (!raw) {
    Error(t, "<text> without lang" + in,
          others.empty() ? "lang=\"...\" naming a language listed in languages=\"\" on <form>"
                         : "lang= naming one of the form's other languages: " + QuotedList(others));
    return std::nullopt;
  }
  std::string lang = raw;
  if (lang == form_.lang) {
    AttributeError(t, "lang", "<text lang=\"" + lang + "\">" + in + ", the form's default language",
                   "the \"" + lang + "\" text directly in <" + e->Name() + ">, outside any <text>");
    return std::nullopt;
  }
  if (std::find(others.begin(), others.end(), lang) == others.end()) {
    AttributeError(t, "lang", "text in \"" + lang + "\"" + in + ", which the form does not offer",
                   (others.empty() ? std::string() : "one of " + QuotedList(others) + ", or ") +
                       "\"" + lang + "\" added to languages=\"\" on <form>");
    return std::nullopt;
  }
  for (auto* child = t->FirstChildElement(); child; child = child->NextSiblingElement()) {
    Error(child, "unexpected element <" + std::string(child->Name()) + "> inside <text>",
          "plain text");
  }
  std::string text = CollapseWhitespace(DirectText(t));
  if (text.empty()) {
    Error(t, "empty \"" + lang + "\" text" + in, "some text");
  } else {
    CheckTranslatedPrintable(e, t, text);
  }
  return lang;
}

// The same rules as the default text's, through the same function, so a
// limit or character set changed there holds for every language.
void Loader::CheckTranslatedPrintable(const XMLElement* e, const XMLElement* t,
                                      const std::string& text) {
  std::size_t errors_before = errors_.size();
  CheckPrintable(e, text);
  SourcePosition pos = map_.PositionOf(t);
  for (std::size_t i = errors_before; i < errors_.size(); ++i) {
    errors_[i].line = pos.line;
    errors_[i].column = pos.column;
    errors_[i].element = Describe(t);
    errors_[i].message +=
        " (the \"" + std::string(t->Attribute("lang")) + "\" text of <" + e->Name() + ">)";
  }
}

bool Loader::MisplacedTranslation(const XMLElement* child) {
  if (std::string(child->Name()) != "text") return false;
  Error(child,
        "<text> directly inside <" + std::string(child->Parent()->ToElement()->Name()) +
            ">, which has no text of its own",
        "<text lang=\"...\"> only inside an element with text, such as <p>, <item>, <label>, "
        "<option> or <rule>");
  return true;
}

std::string Loader::Where(const XMLElement* e) const {
  for (const XMLNode* node = e->Parent(); node && node->ToElement(); node = node->Parent()) {
    const XMLElement* parent = node->ToElement();
    if (const char* id = parent->Attribute("id")) {
      return " in " + std::string(parent->Name()) + " \"" + id + "\"";
    }
  }
  return "";
}

// Text must be valid UTF-8 the embedded font can print (anything else would
// come out as blanks in every PDF), and short enough to lay out: a label or
// title must fit on a page next to its box.
void Loader::CheckPrintable(const XMLElement* e, const std::string& text) {
  std::u32string codes;
  if (!DecodeUtf8(text, codes)) {
    Error(e, "text in <" + std::string(e->Name()) + "> is not valid UTF-8", "UTF-8 text");
    return;
  }
  for (std::size_t i = 0, at = 0; i < codes.size(); ++i) {
    std::size_t from = at;
    char32_t code = 0;
    DecodeUtf8At(text, at, code);
    if (code < 0x20 || IsInRecordFont(code)) continue;
    char hex[16];
    std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(code));
    Error(e,
          "character \"" + text.substr(from, at - from) + "\" (" + hex + ", character " +
              std::to_string(i + 1) + ") cannot be printed: no font of the record has it",
          "letters, digits and punctuation in any script (no emoji)");
    return;
  }
  static const std::set<std::string> kLongText = {"p", "item", "description", "summary", "rule"};
  std::size_t limit = kLongText.count(e->Name()) ? 4000 : 500;
  if (codes.size() > limit) {
    Error(e,
          "text in <" + std::string(e->Name()) + "> is " + std::to_string(codes.size()) +
              " characters long",
          "at most " + std::to_string(limit) + " characters");
  }
}

std::string Loader::Id(const XMLElement* e) {
  const char* raw = e->Attribute("id");
  if (!raw) return "";
  std::string id = raw;
  if (!Matches(id, kIdPattern)) {
    AttributeError(e, "id", "invalid id \"" + id + "\"",
                   "a lower-case letter, then letters, digits, '-' or '_' (at most 64)");
  } else if (!ids_.insert(id).second) {
    AttributeError(e, "id", "duplicate id \"" + id + "\"", "ids unique within the form");
  }
  return id;
}

template <typename Enum>
Enum Loader::Enumerated(const XMLElement* e, const char* attribute,
                        const std::vector<std::pair<const char*, Enum>>& values, Enum fallback) {
  const char* raw = e->Attribute(attribute);
  if (!raw) return fallback;
  std::string allowed;
  for (const auto& [name, value] : values) {
    if (std::string(raw) == name) return value;
    allowed += allowed.empty() ? name : std::string(", ") + name;
  }
  AttributeError(e, attribute, "invalid " + std::string(attribute) + " \"" + raw + "\"",
                 "one of " + allowed);
  return fallback;
}

bool Loader::Boolean(const XMLElement* e, const char* attribute) {
  return Enumerated<bool>(e, attribute, {{"true", true}, {"false", false}}, false);
}

const XMLElement* Loader::OnlyChild(const XMLElement* parent, const char* name, bool required) {
  const XMLElement* found = parent->FirstChildElement(name);
  if (!found && required) {
    Error(parent, "missing <" + std::string(name) + "> in <" + parent->Name() + ">",
          "one <" + std::string(name) + "> element");
  }
  for (auto* extra = found ? found->NextSiblingElement(name) : nullptr; extra;
       extra = extra->NextSiblingElement(name)) {
    Error(extra, "another <" + std::string(name) + "> in <" + parent->Name() + ">",
          "exactly one <" + std::string(name) + ">");
  }
  return found;
}

void Loader::ParseForm(const XMLElement* root) {
  if (std::string(root->Name()) != "form") {
    Error(root, "unknown root element <" + std::string(root->Name()) + ">", "<form>");
    return;
  }
  CheckAttributes(root, {"id", "version", "kind", "lang", "languages", "countersign"},
                  {"id", "version", "kind", "lang"});
  form_.id = Id(root);
  form_.version = root->Attribute("version") ? root->Attribute("version") : "";
  if (root->Attribute("version") && !Matches(form_.version, kVersionPattern)) {
    AttributeError(root, "version", "invalid version \"" + form_.version + "\"",
                   "letters, digits, '.', '-' or '+', like 2026.1 or 1.2.0");
  }
  form_.kind = Enumerated<FormKind>(root, "kind",
                                    {{"consent", FormKind::kConsent},
                                     {"intake", FormKind::kIntake},
                                     {"aftercare", FormKind::kAftercare},
                                     {"general", FormKind::kGeneral}},
                                    FormKind::kGeneral);
  form_.countersign = Enumerated<SignerRole>(
      root, "countersign", {{"practitioner", SignerRole::kPractitioner}}, SignerRole::kNone);
  form_.lang = root->Attribute("lang") ? root->Attribute("lang") : "";
  if (root->Attribute("lang") && !Matches(form_.lang, kLangPattern)) {
    AttributeError(root, "lang", "invalid lang \"" + form_.lang + "\"",
                   "a BCP 47 language tag such as en, es or fr-CA");
  }
  if (reading_.empty()) languages_ = ParseLanguages(root);
  form_.languages = languages_;
  if (!reading_.empty()) form_.lang = reading_;
  for (auto* child = root->FirstChildElement(); child; child = child->NextSiblingElement()) {
    std::string name = child->Name();
    if (MisplacedTranslation(child)) continue;
    if (name == "title") {
      if (child == root->FirstChildElement("title")) form_.title = Text(child);
    } else if (name == "summary") {
      if (child == root->FirstChildElement("summary")) form_.summary = Text(child);
    } else if (name == "section") {
      ParseSection(child);
    } else {
      Error(child, "unknown element <" + name + "> in <form>", "<title>, <summary> or <section>");
    }
  }
  OnlyChild(root, "title", true);
  OnlyChild(root, "summary", false);
  if (!root->FirstChildElement("section")) {
    Error(root, "form has no sections", "at least one <section>");
  }
  ResolveConditions();
  CheckFormKind(root);
}

std::vector<std::string> Loader::ParseLanguages(const XMLElement* root) {
  std::vector<std::string> languages{form_.lang};
  const char* raw = root->Attribute("languages");
  if (!raw) return languages;
  const std::string expected =
      "BCP 47 tags separated by spaces, the default lang among them, such as "
      "languages=\"en es\"";
  std::string listed = CollapseWhitespace(raw);
  if (listed.empty()) AttributeError(root, "languages", "empty languages", expected);
  bool has_default = false;
  std::vector<std::string> seen;
  for (std::size_t start = 0; start < listed.size();) {
    std::size_t end = std::min(listed.find(' ', start), listed.size());
    std::string tag = listed.substr(start, end - start);
    start = end + 1;
    bool repeated = std::any_of(seen.begin(), seen.end(),
                                [&](const std::string& s) { return SameTag(s, tag); });
    seen.push_back(tag);
    if (!Matches(tag, kLangPattern)) {
      AttributeError(root, "languages", "invalid language \"" + tag + "\" in languages", expected);
    } else if (repeated) {
      AttributeError(root, "languages", "languages lists \"" + tag + "\" twice",
                     "each language once");
    } else if (SameTag(tag, form_.lang)) {
      has_default = true;
    } else {
      languages.push_back(tag);
    }
  }
  if (languages.size() > kMaxLanguages) {
    AttributeError(root, "languages", std::to_string(languages.size()) + " languages",
                   "at most " + std::to_string(kMaxLanguages));
    languages.resize(kMaxLanguages);
  }
  if (!listed.empty() && !has_default && Matches(form_.lang, kLangPattern)) {
    AttributeError(
        root, "languages",
        "languages=\"" + listed + "\" lacks the default lang \"" + form_.lang + "\"",
        "the default language listed too: languages=\"" + form_.lang + " " + listed + "\"");
  }
  return languages;
}

void Loader::ParseSection(const XMLElement* e) {
  CheckAttributes(e, {"id", "kind"}, {"id", "kind"});
  Section section;
  section.id = Id(e);
  std::size_t errors_before = errors_.size();
  section.kind = Enumerated<SectionKind>(e, "kind",
                                         {{"info", SectionKind::kInfo},
                                          {"risks", SectionKind::kRisks},
                                          {"screening", SectionKind::kScreening},
                                          {"fields", SectionKind::kFields}},
                                         SectionKind::kInfo);
  section_kind_known_ = e->Attribute("kind") && errors_.size() == errors_before;
  const XMLElement* first = e->FirstChildElement();
  if (!first || std::string(first->Name()) != "heading") {
    Error(first ? first : e, "section does not start with <heading>",
          "<heading> as the first element of <section>");
  }
  for (auto* child = e->FirstChildElement(); child; child = child->NextSiblingElement()) {
    ParseSectionChild(child, section);
  }
  OnlyChild(e, "heading", false);
  // With no valid kind, every item was accepted above; claiming the section
  // lacks items of some kind would only repeat the kind error.
  if (!section_kind_known_) {
    form_.sections.push_back(std::move(section));
    return;
  }
  bool has_items = std::any_of(section.blocks.begin(), section.blocks.end(), [&](const Block& b) {
    const Field* field = form_.FieldOf(b);
    if (section.kind == SectionKind::kScreening) return field && field->screening;
    return std::holds_alternative<Risk>(b) || field;
  });
  if (section.kind == SectionKind::kRisks && !has_items) {
    Error(e, "risks section has no <risk>", "at least one <risk>");
  } else if (section.kind == SectionKind::kFields && !has_items) {
    Error(e, "fields section has no <field>", "at least one <field>");
  } else if (section.kind == SectionKind::kScreening && !has_items) {
    Error(e, "screening section has no <question>", "at least one <question>");
  }
  form_.sections.push_back(std::move(section));
}

void Loader::ParseSectionChild(const XMLElement* child, Section& section) {
  std::string name = child->Name();
  SectionKind kind = section.kind;
  bool any = !section_kind_known_;
  if (name == "heading") {
    if (child == child->Parent()->FirstChildElement("heading")) section.heading = Text(child);
  } else if (name == "p") {
    section.blocks.push_back(Paragraph{Text(child)});
  } else if (name == "list") {
    section.blocks.push_back(ParseList(child));
  } else if (name == "risk" && (any || kind == SectionKind::kRisks)) {
    Risk risk = ParseRisk(child);
    AddDerivedFields(risk, child);
    section.blocks.push_back(std::move(risk));
  } else if (name == "question" && (any || kind == SectionKind::kScreening)) {
    form_.fields.push_back(ParseField(child, true));
    section.blocks.push_back(FieldRef{form_.fields.size() - 1});
  } else if (name == "rule" && (any || kind == SectionKind::kScreening)) {
    ParseRule(child);
  } else if (name == "field" &&
             (any || kind == SectionKind::kFields || kind == SectionKind::kScreening)) {
    form_.fields.push_back(ParseField(child, false));
    section.blocks.push_back(FieldRef{form_.fields.size() - 1});
  } else if (!MisplacedTranslation(child)) {
    static const std::map<SectionKind, std::string> kAllowed = {
        {SectionKind::kInfo, "<heading>, <p> or <list>"},
        {SectionKind::kRisks, "<heading>, <p>, <list> or <risk>"},
        {SectionKind::kScreening, "<heading>, <p>, <list>, <question>, <rule> or <field>"},
        {SectionKind::kFields, "<heading>, <p>, <list> or <field>"}};
    bool known = name == "risk" || name == "question" || name == "rule" || name == "field";
    Error(child,
          (known ? "<" + name + "> is not allowed" : "unknown element <" + name + ">") +
              " in a section of kind \"" + ToString(kind) + "\"",
          kAllowed.at(kind));
  }
}

Risk Loader::ParseRisk(const XMLElement* e) {
  CheckAttributes(e, {"id"}, {"id"});
  Risk risk;
  risk.id = Id(e);
  risk.line = e->GetLineNum();
  for (auto* child = e->FirstChildElement(); child; child = child->NextSiblingElement()) {
    std::string name = child->Name();
    if (name != "title" && name != "description" && !MisplacedTranslation(child)) {
      Error(child, "unknown element <" + name + "> in <risk>", "<title> and <description>");
    }
  }
  if (auto* title = OnlyChild(e, "title", true)) risk.title = Text(title);
  if (auto* description = OnlyChild(e, "description", true)) risk.description = Text(description);
  return risk;
}

void Loader::AddDerivedFields(const Risk& risk, const XMLElement* at) {
  if (risk.id.empty()) return;
  Field understood;
  understood.id = risk.UnderstoodFieldId();
  understood.type = FieldType::kCheckbox;
  understood.label = Catalog::For(form_.lang).Text("risk.understood");
  understood.required = true;
  understood.line = risk.line;
  Field initials = understood;
  initials.id = risk.InitialsFieldId();
  initials.type = FieldType::kInitials;
  initials.label = Catalog::For(form_.lang).Text("risk.initials");
  for (const Field& derived : {understood, initials}) {
    if (!ids_.insert(derived.id).second) {
      Error(at, "risk field id \"" + derived.id + "\" is already used",
            "no other id equal to <risk-id>-understood or <risk-id>-initials");
    }
    form_.fields.push_back(derived);
  }
}

Field Loader::ParseField(const XMLElement* e, bool question) {
  CheckAttributes(e, {"id", "type", "required", "role", "when", "equals", "prefill", "max-length"},
                  {"id", "type"});
  Field field;
  field.id = Id(e);
  field.line = e->GetLineNum();
  field.screening = question;
  field.required = Boolean(e, "required");
  std::vector<std::pair<const char*, FieldType>> types = {{"yesno", FieldType::kYesNo},
                                                          {"choice", FieldType::kChoice},
                                                          {"multichoice", FieldType::kMultiChoice}};
  if (!question) {
    types.insert(types.begin(), {{"text", FieldType::kText},
                                 {"textarea", FieldType::kTextArea},
                                 {"date", FieldType::kDate},
                                 {"email", FieldType::kEmail},
                                 {"phone", FieldType::kPhone}});
    types.insert(types.end(),
                 {{"initials", FieldType::kInitials}, {"signature", FieldType::kSignature}});
  }
  std::size_t errors_before = errors_.size();
  field.type = Enumerated<FieldType>(e, "type", types, FieldType::kText);
  bool type_known = e->Attribute("type") && errors_.size() == errors_before;
  field.role = Enumerated<SignerRole>(e, "role",
                                      {{"patient", SignerRole::kPatient},
                                       {"practitioner", SignerRole::kPractitioner},
                                       {"witness", SignerRole::kWitness}},
                                      SignerRole::kNone);
  if (field.type == FieldType::kSignature && !e->Attribute("role")) {
    Error(e, "signature without a role", "role=\"patient\", \"practitioner\" or \"witness\"");
  } else if (field.type != FieldType::kSignature && e->Attribute("role") &&
             !(field.type == FieldType::kText && field.role == SignerRole::kWitness)) {
    AttributeError(e, "role", "role on a field that is not a signature",
                   "role only on type=\"signature\", or role=\"witness\" on the witness's "
                   "printed name (type=\"text\")");
  }
  if (field.role == SignerRole::kPractitioner) {
    AttributeError(e, "role", "a practitioner signature on the patient's form",
                   "no practitioner fields; put countersign=\"practitioner\" on <form>: the "
                   "practitioner signs at review, signed in as themselves");
  }
  if (field.type == FieldType::kSignature && field.role == SignerRole::kPatient) {
    patient_signatures_.push_back(e);
  }
  if (type_known) field.prefill = Prefill(e, field.type);
  if (type_known) field.max_length = MaxLength(e, field);
  field.condition = ParseCondition(e, "when", false);
  if (field.condition) pending_.push_back({*field.condition, e, field.id, false});
  ParseFieldChildren(e, field, type_known);
  return field;
}

PatientFact Loader::Prefill(const XMLElement* e, FieldType type) {
  std::size_t errors_before = errors_.size();
  PatientFact fact = Enumerated<PatientFact>(e, "prefill",
                                             {{"patient-name", PatientFact::kName},
                                              {"patient-date-of-birth", PatientFact::kDateOfBirth},
                                              {"patient-number", PatientFact::kNumber}},
                                             PatientFact::kNone);
  if (errors_.size() != errors_before || fact == PatientFact::kNone) return fact;
  bool date = fact == PatientFact::kDateOfBirth;
  if (date ? type != FieldType::kDate : type != FieldType::kText) {
    AttributeError(
        e, "prefill",
        std::string("prefill=\"") + ToString(fact) + "\" on a " + ToString(type) + " field",
        date ? "type=\"date\"" : "type=\"text\"");
  }
  return fact;
}

std::optional<std::size_t> Loader::MaxLength(const XMLElement* e, const Field& field) {
  const char* raw = e->Attribute("max-length");
  if (!raw) return std::nullopt;
  std::size_t limit = RulesOf(field.type).max_length;
  if (limit == 0) {
    AttributeError(e, "max-length",
                   std::string("max-length on a ") + ToString(field.type) + " field",
                   "max-length only on type=\"text\", \"textarea\", \"email\", \"phone\" or "
                   "\"initials\"");
    return std::nullopt;
  }
  if (field.prefill != PatientFact::kNone) {
    AttributeError(e, "max-length", "max-length on a prefilled field",
                   "no max-length with prefill=: the visit's value is taken as it is");
    return std::nullopt;
  }
  std::string text = raw;
  std::string range = "a whole number from 1 to " + std::to_string(limit) + " (the " +
                      ToString(field.type) + " type's own limit)";
  bool digits = !text.empty() && text.size() <= 9 && text[0] != '0' &&
                std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  std::size_t value = digits ? std::stoul(text) : 0;
  if (!digits || value > limit) {
    AttributeError(e, "max-length", "invalid max-length \"" + text + "\"", range);
    return std::nullopt;
  }
  return value;
}

void Loader::ParseFieldChildren(const XMLElement* e, Field& field, bool type_known) {
  if (auto* label = OnlyChild(e, "label", true)) field.label = Text(label);
  if (auto* hint = OnlyChild(e, "hint", false)) field.hint = Text(hint);
  std::set<std::string> values;
  for (auto* child = e->FirstChildElement(); child; child = child->NextSiblingElement()) {
    std::string name = child->Name();
    if (name == "label" || name == "hint" || MisplacedTranslation(child)) continue;
    if (name != "option") {
      Error(child, "unknown element <" + name + "> in <" + e->Name() + ">",
            "<label>, <hint> or <option>");
      continue;
    }
    Option option;
    CheckAttributes(child, {"value"}, {"value"});
    option.value = child->Attribute("value") ? child->Attribute("value") : "";
    option.label = Text(child, true);
    if (child->Attribute("value") &&
        (!Matches(option.value, kValuePattern) || option.value == "Off")) {
      AttributeError(child, "value", "invalid option value \"" + option.value + "\"",
                     "letters, digits, '-' or '_' (at most 64), and not Off, which PDF "
                     "reserves for an unticked box");
    } else if (!values.insert(option.value).second) {
      AttributeError(child, "value", "duplicate option value \"" + option.value + "\"",
                     "option values unique within the field");
    }
    field.options.push_back(std::move(option));
  }
  bool takes_options = RulesOf(field.type).declares_options;
  if (field.options.size() > kMaxOptions) {
    Error(e, std::to_string(field.options.size()) + " options",
          "at most " + std::to_string(kMaxOptions) + " options, so the question fits on one page");
  }
  if (!type_known) return;
  if (takes_options && field.options.size() < 2) {
    Error(e,
          std::string(ToString(field.type)) + " with " + std::to_string(field.options.size()) +
              " option(s)",
          "at least two <option> elements");
  } else if (!takes_options && !field.options.empty()) {
    Error(e->FirstChildElement("option"),
          "<option> on a field of type \"" + std::string(ToString(field.type)) + "\"",
          "options only on type=\"choice\" or \"multichoice\"");
  } else if (field.type == FieldType::kYesNo) {
    field.options = YesNoOptions(Catalog::For(form_.lang));
  }
}

std::optional<Condition> Loader::ParseCondition(const XMLElement* e, const char* field_attribute,
                                                bool required) {
  const char* when = e->Attribute(field_attribute);
  const char* equals = e->Attribute("equals");
  if (!when && !equals) {
    if (required)
      Error(e, "missing attribute \"" + std::string(field_attribute) + "\"",
            std::string(field_attribute) + "=\"question-id\" equals=\"value\"");
    return std::nullopt;
  }
  if (!when || !equals) {
    Error(e,
          std::string("\"") + (when ? field_attribute : "equals") + "\" without \"" +
              (when ? "equals" : field_attribute) + "\"",
          "both " + std::string(field_attribute) + "=\"question-id\" and equals=\"value\"");
    return std::nullopt;
  }
  return Condition{when, equals};
}

BulletList Loader::ParseList(const XMLElement* e) {
  CheckAttributes(e, {}, {});
  BulletList list;
  for (auto* child = e->FirstChildElement(); child; child = child->NextSiblingElement()) {
    if (std::string(child->Name()) == "item") {
      list.items.push_back(Text(child));
    } else if (!MisplacedTranslation(child)) {
      Error(child, "unknown element <" + std::string(child->Name()) + "> in <list>", "<item>");
    }
  }
  if (list.items.empty()) Error(e, "empty <list>", "at least one <item>");
  return list;
}

void Loader::ParseRule(const XMLElement* e) {
  CheckAttributes(e, {"when", "equals", "outcome"}, {"when", "equals", "outcome"});
  Rule rule;
  rule.line = e->GetLineNum();
  rule.outcome = Enumerated<Outcome>(e, "outcome",
                                     {{"suitable", Outcome::kSuitable},
                                      {"practitioner-review", Outcome::kPractitionerReview},
                                      {"defer", Outcome::kDefer}},
                                     Outcome::kSuitable);
  rule.reason = Text(e, true);
  if (auto condition = ParseCondition(e, "when", true)) {
    rule.when = *condition;
    pending_.push_back({*condition, e, "", true});
  }
  form_.rules.push_back(std::move(rule));
}

void Loader::ResolveConditions() {
  std::size_t errors_before = errors_.size();
  for (const PendingCondition& pending : pending_) CheckCondition(pending);
  if (errors_.size() == errors_before) CheckConditionCycles();
}

// A field that depends, through other conditions, on itself can never be
// shown: "a when b" and "b when a".
void Loader::CheckConditionCycles() {
  for (const PendingCondition& pending : pending_) {
    if (pending.for_rule) continue;
    std::string path = pending.owner_id;
    const Field* step = form_.FindField(pending.condition.field_id);
    for (std::size_t hops = 0; step && hops <= form_.fields.size(); ++hops) {
      path += " -> " + step->id;
      if (step->id == pending.owner_id) {
        AttributeError(pending.at, "when", "conditions form a cycle: " + path,
                       "conditions that end at a question that is always shown");
        return;  // one report per form: every field on the cycle would repeat it
      }
      step = step->condition ? form_.FindField(step->condition->field_id) : nullptr;
    }
  }
}

void Loader::CheckCondition(const PendingCondition& pending) {
  const std::string& target_id = pending.condition.field_id;
  const Field* target = form_.FindField(target_id);
  bool for_rule = pending.for_rule;
  if (target && for_rule && !target->screening) {
    AttributeError(pending.at, "when",
                   "rule names \"" + target_id + "\", which is a <field>, not a <question>",
                   "the id of a <question>: rules decide screening from questions only");
    return;
  }
  if (!target) {
    AttributeError(pending.at, "when",
                   std::string(for_rule ? "rule" : "condition") + " names unknown " +
                       (for_rule ? "question" : "field") + " \"" + target_id + "\"",
                   for_rule ? "the id of a <question> in this form"
                            : "the id of a yesno, choice or multichoice item in this form");
    return;
  }
  if (target_id == pending.owner_id) {
    AttributeError(pending.at, "when", "field \"" + target_id + "\" is conditional on itself",
                   "a condition on another question");
    return;
  }
  std::vector<std::string> values;
  for (const Option& option : target->options) values.push_back(option.value);
  if (values.empty()) {
    AttributeError(pending.at, "when",
                   "condition on \"" + target_id + "\" of type " + ToString(target->type),
                   "a yesno, choice or multichoice item");
  } else if (std::find(values.begin(), values.end(), pending.condition.equals) == values.end()) {
    std::string allowed;
    for (const auto& v : values) allowed += (allowed.empty() ? "" : ", ") + v;
    AttributeError(pending.at, "equals",
                   "\"" + target_id + "\" can never equal \"" + pending.condition.equals + "\"",
                   "one of " + allowed);
  }
}

void Loader::CheckFormKind(const XMLElement* root) {
  if (form_.kind != FormKind::kConsent) return;
  if (form_.Risks().empty()) {
    Error(root, "consent form has no risks", "at least one <risk> in a <section kind=\"risks\">");
  }
  bool patient_signs = std::any_of(form_.fields.begin(), form_.fields.end(), [](const Field& f) {
    return f.type == FieldType::kSignature && f.role == SignerRole::kPatient;
  });
  if (!patient_signs) {
    Error(root, "consent form has no patient signature",
          "a <field type=\"signature\" role=\"patient\">");
  }
  for (const XMLElement* e : patient_signatures_) CheckPatientSignature(e);
}

// The service seals a consent once it validates, so a patient signature
// that may be left empty or hidden would let it seal an unsigned consent.
void Loader::CheckPatientSignature(const XMLElement* e) {
  if (e->Attribute("when") || e->Attribute("equals")) {
    Error(e, "the patient signature of a consent form is conditional",
          "no when= or equals= on it: every consent needs the patient's signature");
    return;
  }
  const char* required = e->Attribute("required");
  // Any other value was reported as an invalid required.
  if (!required || std::string(required) == "false") {
    Error(e, "the patient signature of a consent form is optional",
          "required=\"true\" on it: an unsigned consent must not be sealed");
  }
}

}  // namespace

LoadResult LoadFormFromMemory(const std::string& xml, const std::string& description) {
  return Loader(xml, description).Run();
}

LoadResult LoadFormFile(const std::string& path) {
  std::string xml;
  try {
    xml = ReadFile(path);
  } catch (const FileError& e) {
    Diagnostic d;
    d.file = path;
    d.message = e.what();
    d.expected = "a readable form definition file";
    return {nullptr, {d}};
  }
  return LoadFormFromMemory(xml, path);
}

}  // namespace consentkit
