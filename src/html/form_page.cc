// RenderFormPage: one form definition as the tablet page. The markup is the
// contract with web/consentkit.js: every answer lives in an element with
// class ck-field, data-field (the model's field id), data-type (its
// FieldType name), data-required, and data-when/data-equals for conditions.
// The validator's limits ride along, so the page restates none of them: a
// text control's maxlength (MaxLengthOf), a signature pad's data-min-share
// and data-max-points (page.cc), and once per page the character set and
// the e-mail, phone and date syntax (the #ck-rules JSON, RulesScript).
// Every word the page and its scripts show that the definition does not
// carry comes from the catalog of the language shown (i18n/*.messages,
// page.*): the scripts get theirs once per page as the #ck-text JSON.
#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "form/field_rules.h"
#include "html/html.h"
#include "html/page.h"
#include "i18n/catalog.h"
#include "util/json_writer.h"

namespace consentkit {
namespace {

// The most a patient can type (form/field_rules.h); consentkit.js reads it back.
std::string MaxLength(const Field& f) {
  return " maxlength=\"" + std::to_string(MaxLengthOf(f)) + "\"";
}

// The validator's syntax rules that consentkit.js checks before sending,
// once per page: the characters a text may hold as hex ranges
// ("9-a,d,20-7e,..."), the e-mail pattern, the phone symbols and least
// digits, and a date's years. Lengths ride on the controls (maxlength)
// and signature pads (page.cc). None of it is the author's or holds "<".
std::string RulesScript() {
  static const std::string kScript = [] {
    std::string chars;
    char hex[32];
    for (const auto& [first, last] : TextCharacterRanges()) {
      if (first == last) {
        std::snprintf(hex, sizeof hex, "%x", static_cast<unsigned>(first));
      } else {
        std::snprintf(hex, sizeof hex, "%x-%x", static_cast<unsigned>(first),
                      static_cast<unsigned>(last));
      }
      chars += (chars.empty() ? "" : ",") + std::string(hex);
    }
    JsonWriter rules;
    rules.BeginObject().Field("chars", chars).Field("email", kEmailPattern);
    rules.Field("phone", kPhoneSymbols).Key("digits").Int(kMinPhoneDigits);
    rules.Key("years").BeginArray().Int(kMinDateYear).Int(kMaxDateYear).EndArray().EndObject();
    return "<script type=\"application/json\" id=\"ck-rules\">" + rules.str() + "</script>\n";
  }();
  return kScript;
}

// What the scripts say, in `text`'s language: every page.js.* message
// without its prefix, {placeholders} left for the script to fill. Made once
// per language; none holds "<" (the catalog is ours), so it cannot close
// the script element.
std::string TextScript(const Catalog& text) {
  static const auto* const kScripts = [] {
    auto* scripts = new std::map<std::string, std::string>;
    constexpr std::string_view kPrefix = "page.js.";
    for (const std::string& language : Catalog::Languages()) {
      const Catalog& catalog = Catalog::For(language);
      JsonWriter texts;
      texts.BeginObject();
      for (const std::string& key : catalog.Keys()) {
        if (key.compare(0, kPrefix.size(), kPrefix) == 0) {
          texts.Field(key.substr(kPrefix.size()), catalog.Text(key));
        }
      }
      texts.EndObject();
      (*scripts)[language] =
          "<script type=\"application/json\" id=\"ck-text\">" + texts.str() + "</script>\n";
    }
    return scripts;
  }();
  return kScripts->at(text.language());
}

// Element ids get one prefix per role, because sections, risks and fields
// share one id namespace in a definition: "f-" a field's control, "h-" its
// hint, "e-" its error message, "l-" and "s-" a signature's label and
// state, "t-" a risk's title. Options add "." and their value: ids have no ".".
std::string ControlId(const Field& f) { return "f-" + f.id; }
std::string HintId(const Field& f) { return "h-" + f.id; }
std::string ErrorId(const Field& f) { return "e-" + f.id; }

std::string Required(const Field& f) { return f.required ? " required" : ""; }

// Patient facts a visit already knows, by the fact a field asks for.
using Prefill = std::map<PatientFact, std::string>;

// What a page knows beyond the definition.
struct PageFacts {
  const Catalog* text = nullptr;  // the built-in words, in the language shown
  Prefill prefill;
  bool witness_unlocked = false;  // staff unlocked this form's witness step
  bool witness_here = false;      // a witness may sign on this device (see VisitFormOptions)
};

// The value a field is prefilled with; empty when it is not prefilled.
std::string PrefillOf(const Field& f, const Prefill& prefill) {
  if (f.prefill == PatientFact::kNone) return "";
  auto found = prefill.find(f.prefill);
  return found == prefill.end() ? "" : found->second;
}

std::string DescribedBy(const Field& f, bool hinted = false) {
  return HtmlAttr("aria-describedby",
                  (f.hint.empty() && !hinted ? "" : HintId(f) + " ") + ErrorId(f));
}

// The label's text with, when `tag` asks for it, a visible "required" mark.
std::string LabelText(const Field& f, bool tag, const Catalog& text) {
  if (!tag || !f.required) return HtmlEscape(f.label);
  return HtmlEscape(f.label) + "<span class=\"ck-req\">" + HtmlEscape(text.Text("page.required")) +
         "</span>";
}

std::string HintParagraph(const Field& f, std::string_view text) {
  return "<p class=\"ck-hint\"" + HtmlAttr("id", HintId(f)) + ">" + HtmlEscape(text) + "</p>\n";
}

std::string Hint(const Field& f) { return f.hint.empty() ? "" : HintParagraph(f, f.hint); }

// Filled in by consentkit.js; aria-describedby already points here.
std::string ErrorSlot(const Field& f) {
  return "<p class=\"ck-error\"" + HtmlAttr("id", ErrorId(f)) + "></p>\n";
}

// `<tag class="ck-field" data-…`, left open for the caller's attributes. A
// conditional field starts hidden: with nothing answered yet, no condition
// holds; consentkit.js shows it when its answer arrives.
// A witness field starts hidden too while its step is locked
// (data-witness-locked), until consentkit.js learns staff unlocked it.
std::string BoxOpen(std::string_view tag, const Field& f, bool witness_locked = false) {
  std::string out = "<" + std::string(tag) + " class=\"ck-field\"" + HtmlAttr("data-field", f.id) +
                    HtmlAttr("data-type", ToString(f.type));
  if (f.required) out += " data-required";
  if (f.IsWitnessStep())
    out += witness_locked ? " data-witness data-witness-locked" : " data-witness";
  if (f.condition) {
    out +=
        HtmlAttr("data-when", f.condition->field_id) + HtmlAttr("data-equals", f.condition->equals);
  }
  if (f.condition || (f.IsWitnessStep() && witness_locked)) out += " hidden";
  return out;
}

std::string InputType(const Field& f) {
  switch (f.type) {
    case FieldType::kDate:
      return " type=\"date\"";  // the browser's picker posts YYYY-MM-DD
    case FieldType::kEmail:
      return " type=\"email\" autocapitalize=\"off\" spellcheck=\"false\"" + MaxLength(f);
    case FieldType::kPhone:
      return " type=\"tel\"" + MaxLength(f);
    case FieldType::kInitials:
      return " type=\"text\"" + MaxLength(f) +
             " autocapitalize=\"characters\" spellcheck=\"false\"";
    default:
      return " type=\"text\"" + MaxLength(f);
  }
}

// `value` non-empty: prefilled from the visit and read-only (still posted,
// unlike a disabled control, and still focusable and read out).
std::string TextControl(const Field& f, const std::string& value) {
  std::string attrs = HtmlAttr("id", ControlId(f)) + HtmlAttr("name", f.id) + Required(f) +
                      DescribedBy(f, !value.empty());
  if (!value.empty()) attrs += HtmlAttr("value", value) + " readonly";
  if (f.type == FieldType::kTextArea) {
    return "<textarea rows=\"4\"" + MaxLength(f) + attrs + "></textarea>\n";
  }
  return "<input" + InputType(f) + attrs + ">\n";
}

std::string PrefilledHint(const Field& f, const Catalog& text) {
  const std::string& prefilled = text.Text("page.prefilled-hint");
  return HintParagraph(f, f.hint.empty() ? prefilled : f.hint + " " + prefilled);
}

// text, textarea, date, email, phone and initials. Only one-line text and
// date fields are prefilled (the loader allows no others).
std::string TextField(const Field& f, bool required_tag, const PageFacts& facts) {
  std::string value = f.type == FieldType::kTextArea ? "" : PrefillOf(f, facts.prefill);
  std::string open =
      BoxOpen("div", f, !facts.witness_unlocked) + (value.empty() ? "" : " data-prefilled") + ">\n";
  // "required" means nothing to a patient who cannot change the value.
  bool tag = required_tag && value.empty();
  return open + "<label" + HtmlAttr("for", ControlId(f)) + ">" + LabelText(f, tag, *facts.text) +
         "</label>\n" + (value.empty() ? Hint(f) : PrefilledHint(f, *facts.text)) +
         TextControl(f, value) + ErrorSlot(f) + "</div>\n";
}

std::string OptionInput(const Field& f, const Option& option, const char* input_type) {
  // HTML's required on a checkbox would demand every box: the group's
  // requirement is data-required on the fieldset instead.
  bool radio = std::string_view(input_type) == "radio";
  return "<label class=\"ck-opt\"><input" + HtmlAttr("type", input_type) +
         HtmlAttr("id", ControlId(f) + "." + option.value) + HtmlAttr("name", f.id) +
         HtmlAttr("value", option.value) + (radio ? Required(f) : "") + "> <span>" +
         HtmlEscape(option.label) + "</span></label>\n";
}

// yesno and choice as radio buttons, multichoice as checkboxes.
std::string OptionsField(const Field& f, const Catalog& text) {
  bool yes_no = f.type == FieldType::kYesNo;
  const std::vector<Option>& options = f.options;
  const char* input_type = f.type == FieldType::kMultiChoice ? "checkbox" : "radio";
  std::string out = BoxOpen("fieldset", f) + DescribedBy(f) + ">\n<legend>" +
                    LabelText(f, true, text) + "</legend>\n" + Hint(f);
  out += yes_no ? "<div class=\"ck-opts ck-yn\">\n" : "<div class=\"ck-opts\">\n";
  for (const Option& option : options) out += OptionInput(f, option, input_type);
  return out + "</div>\n" + ErrorSlot(f) + "</fieldset>\n";
}

// A risk's "I understand" box (and any other single checkbox).
std::string CheckboxField(const Field& f) {
  return BoxOpen("div", f) + ">\n<label class=\"ck-check\"><input type=\"checkbox\"" +
         HtmlAttr("id", ControlId(f)) + HtmlAttr("name", f.id) + " value=\"true\"" + Required(f) +
         DescribedBy(f) + "> <span>" + HtmlEscape(f.label) + "</span></label>\n" + ErrorSlot(f) +
         "</div>\n";
}

std::string SignatureField(const Field& f, const PageFacts& facts) {
  const Catalog& text = *facts.text;
  const std::string& help = text.Text("page.signature-help");
  std::string hint = f.hint.empty() ? help : f.hint + " " + help;
  return BoxOpen("div", f, !facts.witness_unlocked) + ">\n" +
         SignaturePadMarkup(f.id, LabelText(f, true, text), hint, text.language()) + "</div>\n";
}

std::string FieldMarkup(const Field& f, const PageFacts& facts, bool required_tag = true) {
  switch (f.type) {
    case FieldType::kYesNo:
    case FieldType::kChoice:
    case FieldType::kMultiChoice:
      return OptionsField(f, *facts.text);
    case FieldType::kCheckbox:
      return CheckboxField(f);
    case FieldType::kSignature:
      return SignatureField(f, facts);
    default:
      return TextField(f, required_tag, facts);
  }
}

// A card: title, description, then the risk's two derived fields. The card
// is a named group so "I understand" is announced with the risk's title.
std::string RiskCard(const FormDefinition& form, const Risk& risk, const Catalog& text) {
  std::string title_id = "t-" + risk.id;
  std::string out = "<div class=\"ck-risk\" role=\"group\"" +
                    HtmlAttr("aria-labelledby", title_id) + ">\n<h3" + HtmlAttr("id", title_id) +
                    ">" + HtmlEscape(risk.title) + "</h3>\n" +
                    HtmlElement("p", "", risk.description);
  out += "<div class=\"ck-ack\">\n";
  // Every risk's fields are required: a "required" mark on each would be noise.
  for (const std::string& id : {risk.UnderstoodFieldId(), risk.InitialsFieldId()}) {
    if (const Field* field = form.FindField(id)) {
      out += FieldMarkup(*field, PageFacts{&text, {}, false, false}, false);
    }
  }
  return out + "</div>\n</div>\n";
}

std::string BlockMarkup(const FormDefinition& form, const Block& block, const PageFacts& facts) {
  return std::visit(
      [&form, &facts](const auto& b) -> std::string {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, Paragraph>) {
          return HtmlElement("p", "", b.text);
        } else if constexpr (std::is_same_v<T, BulletList>) {
          std::string out = "<ul>\n";
          for (const std::string& item : b.items) out += HtmlElement("li", "", item);
          return out + "</ul>\n";
        } else if constexpr (std::is_same_v<T, Risk>) {
          return RiskCard(form, b, *facts.text);
        } else {
          return FieldMarkup(form.FieldAt(b), facts);
        }
      },
      block);
}

// `visit` is null for a standalone form page.
std::string FormOpen(const FormDefinition& form, const VisitFormOptions* visit) {
  std::string submit_url = "/api/v1/forms/" + form.id + "/submissions";
  // autocomplete off: a clinic tablet is shared, so the browser must not
  // offer one patient's answers to the next. method and action only matter
  // if the script is missing, and then the send button stays disabled.
  std::string out = "<form class=\"ck-form\" method=\"post\"" + HtmlAttr("action", submit_url) +
                    " novalidate autocomplete=\"off\"" + HtmlAttr("data-form-id", form.id) +
                    HtmlAttr("data-form-version", form.version) +
                    HtmlAttr("data-form-sha256", form.sha256_hex) +
                    HtmlAttr("data-submit-url", submit_url);
  if (visit) {
    out += HtmlAttr("data-visit", visit->visit_id);
    if (visit->idle_seconds > 0) {
      out += HtmlAttr("data-idle-seconds", std::to_string(visit->idle_seconds));
    }
  }
  return out + ">\n";
}

// In a packet, the button says that another form follows.
std::string FormClose(const VisitFormOptions* visit, const Catalog& text) {
  bool more = visit && visit->position < visit->count;
  return "<div class=\"ck-actions\">\n<div class=\"ck-banner\" id=\"ck-banner\" "
         "role=\"alert\"></div>\n<button type=\"submit\" class=\"ck-btn ck-submit\" disabled>" +
         HtmlEscape(text.Text(more ? "page.send-continue" : "page.send")) +
         "</button>\n</div>\n</form>\n<section class=\"ck-receipt\" id=\"ck-receipt\" "
         "tabindex=\"-1\" hidden></section>\n";
}

// "Form 2 of 3", read out with the heading it sits above; the bar fills
// a third per form of three, this one included.
std::string Progress(const VisitFormOptions& visit, const Catalog& text) {
  std::string step = text.Format("page.progress", {{"position", std::to_string(visit.position)},
                                                   {"count", std::to_string(visit.count)}});
  return "<div class=\"ck-progress\">\n<p id=\"ck-step\">" + HtmlEscape(step) +
         "</p>\n<progress aria-labelledby=\"ck-step\"" +
         HtmlAttr("max", std::to_string(visit.count)) +
         HtmlAttr("value", std::to_string(visit.position)) + "></progress>\n</div>\n";
}

// Each language the definition offers, named in itself ("English",
// "Español") and marked with its lang, so a screen reader says it in that
// language's voice; the one shown is aria-current. Each links to the same
// page (the form's own, or /visit in a visit) with ?lang=; consentkit.js
// keeps the answers given across the switch. Only when there is a choice.
std::string LanguageSwitch(const FormDefinition& form, const Catalog& text,
                           const std::string& shown, const std::string& path) {
  if (form.languages.size() < 2) return "";
  std::string out =
      "<nav class=\"ck-lang\"" + HtmlAttr("aria-label", text.Text("page.language-switch")) + ">";
  for (const std::string& language : form.languages) {
    // A language consentkit has no catalog for is named by its tag.
    std::string name =
        Catalog::Has(language) ? Catalog::For(language).Text("page.language-name") : language;
    out += "<a" + HtmlAttr("href", path + "?lang=" + language) + HtmlAttr("hreflang", language) +
           HtmlAttr("lang", language) + (language == shown ? " aria-current=\"true\"" : "") + ">" +
           HtmlEscape(name) + "</a>";
  }
  return out + "</nav>\n";
}

// `form` is the default view (it lists the languages); `shown` the view in
// the language shown.
std::string Introduction(const FormDefinition& form, const FormDefinition& shown,
                         const VisitFormOptions* visit, const Catalog& text) {
  std::string out = LanguageSwitch(form, text, shown.lang, visit ? "/visit" : "/forms/" + form.id);
  out += visit ? Progress(*visit, text) : "";
  out += "<h1" + std::string(visit ? " aria-describedby=\"ck-step\"" : "") + ">" +
         HtmlEscape(shown.title) + "</h1>\n";
  if (!shown.summary.empty()) out += HtmlElement("p", "ck-summary", shown.summary);
  out += "<noscript><p class=\"ck-banner\">" + HtmlEscape(text.Text("page.noscript")) +
         "</p></noscript>\n";
  return out;
}

// The warning before an idle page clears itself. A modal <dialog> keeps
// focus inside it while open; /assets/idle.js opens it and counts down.
// The count sits inside the sentence where the language puts it.
std::string IdleDialog(const Catalog& text) {
  std::string sentence = HtmlEscape(text.Text("page.idle.text"));
  const std::string slot = "{seconds}";  // HtmlEscape leaves braces alone
  sentence.replace(sentence.find(slot), slot.size(), "<span id=\"ck-idle-left\">30</span>");
  return "<dialog class=\"ck-idle\" id=\"ck-idle\" aria-labelledby=\"ck-idle-title\" "
         "aria-describedby=\"ck-idle-text\">\n<h2 id=\"ck-idle-title\">" +
         HtmlEscape(text.Text("page.idle.title")) + "</h2>\n<p id=\"ck-idle-text\">" + sentence +
         "</p>\n<button type=\"button\" class=\"ck-btn\" id=\"ck-idle-stay\">" +
         HtmlEscape(text.Text("page.idle.stay")) + "</button>\n</dialog>\n";
}

// Before the first witness field: who fills what follows, and, while the
// step is locked, why it cannot be filled yet. The note carries every
// wording /assets/witness.js needs, so the words live here only: the note
// when locked and when open, and the banner when sending must wait.
// data-follow: the page asks the server whether staff unlocked the step
// (a clinic device in a visit; a patient's phone or a standalone page
// never gets a witness's part).
std::string WitnessNotice(const PageFacts& facts) {
  const Catalog& text = *facts.text;
  const std::string& open = text.Text("page.witness.open");
  const std::string& locked =
      text.Text(facts.witness_here ? "page.witness.locked-here" : "page.witness.locked-away");
  const std::string& waiting =
      text.Text(facts.witness_here ? "page.witness.waiting-here" : "page.witness.waiting-away");
  bool is_open = facts.witness_unlocked;
  return "<p class=\"ck-witness-note\" id=\"ck-witness-note\" role=\"status\"" +
         std::string(is_open ? "" : " data-locked") + (facts.witness_here ? " data-follow" : "") +
         HtmlAttr("data-open-text", open) + HtmlAttr("data-locked-text", locked) +
         HtmlAttr("data-waiting-text", waiting) + ">" + HtmlEscape(is_open ? open : locked) +
         "</p>\n";
}

bool IsWitnessField(const FormDefinition& form, const Block& block) {
  const Field* field = form.FieldOf(block);
  return field && field->IsWitnessStep();
}

// `form` in `language` as OfferedLanguage matches it (InLanguage for a
// FormDefinition the caller holds by reference): a translation, else itself.
const FormDefinition& Shown(const FormDefinition& form, std::string_view language) {
  std::optional<std::string> offered = OfferedLanguage(form, language);
  if (!offered || *offered == form.lang) return form;
  auto found = form.translations.find(*offered);
  return found == form.translations.end() ? form : *found->second;
}

// `default_form` is the definition's default view; the page shows its
// view in `language` (the default when that is not offered).
std::string FormBody(const FormDefinition& default_form, const ClinicSettings& clinic,
                     const VisitFormOptions* visit, std::string_view language) {
  const FormDefinition& form = Shown(default_form, language);
  const Catalog& text = Catalog::For(form.lang);
  std::string out = HtmlPageStart({form.lang, form.title, "consentkit.js"}, clinic);
  out += Introduction(default_form, form, visit, text) + RulesScript() + TextScript(text) +
         FormOpen(form, visit);
  PageFacts facts{&text, {}, false, false};
  if (visit) facts = {&text, visit->prefill, visit->witness_unlocked, visit->witness_here};
  bool noticed = false;
  for (const Section& section : form.sections) {
    out += "<section class=\"ck-section\">\n" + HtmlElement("h2", "", section.heading);
    for (const Block& block : section.blocks) {
      if (!noticed && IsWitnessField(form, block)) {
        out += WitnessNotice(facts);
        noticed = true;
      }
      out += BlockMarkup(form, block, facts);
    }
    out += "</section>\n";
  }
  out += FormClose(visit, text);
  if (visit && visit->idle_seconds > 0) out += IdleDialog(text);
  // As in the PDF footer: staff can match the page to the exact definition.
  out += HtmlElement(
      "p", "ck-foot",
      text.Format("page.foot",
                  {{"form", form.id}, {"version", form.version}, {"hash", form.ShortHash()}}));
  return out + HtmlPageEnd();
}

}  // namespace

std::string RenderFormPage(const FormDefinition& form, const ClinicSettings& clinic,
                           std::string_view language) {
  return FormBody(form, clinic, nullptr, language);
}

std::string RenderVisitFormPage(const FormDefinition& form, const ClinicSettings& clinic,
                                const VisitFormOptions& options) {
  return FormBody(form, clinic, &options, options.language);
}

}  // namespace consentkit
