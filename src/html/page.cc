#include "html/page.h"

#include <cstdio>

#include "form/field_rules.h"
#include "html/html.h"
#include "i18n/catalog.h"

namespace consentkit {
namespace {

// The pages need nothing from other origins. Saying so in the page makes the
// browser refuse anything else, so a stray external URL fails loudly in
// testing instead of silently breaking the page offline. (data: allows the
// empty favicon below.)
constexpr char kSecurityPolicy[] = "default-src 'self'; img-src 'self' data:";

std::string ClinicHeader(const ClinicSettings& clinic) {
  std::string contact = clinic.address;
  if (!clinic.address.empty() && !clinic.phone.empty()) contact += " · ";
  contact += clinic.phone;
  std::string out = "<header class=\"ck-top\"><div class=\"ck-wrap\">\n";
  out += HtmlElement("p", "ck-clinic", clinic.name);
  if (!contact.empty()) out += HtmlElement("p", "ck-contact", contact);
  return out + "</div></header>\n";
}

std::string PadButton(const char* action, const std::string& text, const std::string& label_id) {
  return "<button type=\"button\" class=\"ck-btn2\"" + HtmlAttr("data-pad", action) +
         HtmlAttr("aria-describedby", label_id) + ">" + HtmlEscape(text) + "</button>\n";
}

}  // namespace

std::string HtmlAttr(std::string_view name, std::string_view value) {
  return " " + std::string(name) + "=\"" + HtmlEscape(value) + "\"";
}

std::string HtmlElement(std::string_view tag, std::string_view css_class, std::string_view text) {
  std::string open(tag);
  if (!css_class.empty()) open += HtmlAttr("class", css_class);
  return "<" + open + ">" + HtmlEscape(text) + "</" + std::string(tag) + ">\n";
}

std::string HtmlPageStart(const PageHead& head, const ClinicSettings& clinic) {
  std::string title(head.title);
  if (!clinic.name.empty()) title += " – " + clinic.name;
  std::string out = "<!DOCTYPE html>\n<html" + HtmlAttr("lang", head.lang) + ">\n<head>\n";
  out += "<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out +=
      "<meta http-equiv=\"Content-Security-Policy\"" + HtmlAttr("content", kSecurityPolicy) + ">\n";
  out += "<title>" + HtmlEscape(title) + "</title>\n";
  // An empty icon: otherwise every page load asks for /favicon.ico.
  out += "<link rel=\"icon\" href=\"data:,\">\n";
  out += "<link rel=\"stylesheet\" href=\"/assets/consentkit.css\">\n";
  if (head.staff) out += "<link rel=\"stylesheet\" href=\"/assets/staff.css\">\n";
  // A module: it runs after parsing (like defer) and imports what it shares
  // with the other pages' modules (the signature pad, the fetch helpers).
  if (!head.script.empty()) {
    out += "<script type=\"module\"" + HtmlAttr("src", "/assets/" + std::string(head.script)) +
           "></script>\n";
  }
  std::string body_class(head.body_class);
  if (head.staff) body_class += body_class.empty() ? "ck-staff" : " ck-staff";
  out += "</head>\n<body" + (body_class.empty() ? "" : HtmlAttr("class", body_class)) + ">\n";
  out += ClinicHeader(clinic);
  return out + "<main class=\"ck-wrap\" id=\"main\">\n";
}

std::string HtmlPageEnd() { return "</main>\n</body>\n</html>\n"; }

// A canvas cannot take a <label>: it is named by aria-labelledby instead,
// and focusable so that an error can move focus to it. It carries the
// validator's limits (form/field_rules.h) for web/pad.js: the share of the
// pad a signature must span, and the most points it may have.
std::string SignaturePadMarkup(const std::string& field_id, const std::string& label_html,
                               const std::string& hint, std::string_view lang) {
  const Catalog& text = Catalog::For(lang);
  std::string label_id = "l-" + field_id, state_id = "s-" + field_id;
  std::string hint_id = "h-" + field_id, error_id = "e-" + field_id;
  char share[16];
  std::snprintf(share, sizeof share, "%g", static_cast<double>(kMinSignatureShare));
  std::string out = "<p class=\"ck-label\"" + HtmlAttr("id", label_id) + ">" + label_html +
                    "</p>\n<p class=\"ck-hint\"" + HtmlAttr("id", hint_id) + ">" +
                    HtmlEscape(hint) + "</p>\n";
  out += "<div class=\"ck-pad\"><canvas tabindex=\"0\" role=\"img\"" +
         HtmlAttr("id", "f-" + field_id) + HtmlAttr("aria-labelledby", label_id) +
         HtmlAttr("aria-describedby", hint_id + " " + state_id + " " + error_id) +
         HtmlAttr("data-min-share", share) +
         HtmlAttr("data-max-points", std::to_string(kMaxSignaturePoints)) + "></canvas></div>\n";
  out += "<div class=\"ck-pad-tools\"><span class=\"ck-pad-state\" aria-live=\"polite\"" +
         HtmlAttr("id", state_id) + HtmlAttr("data-signed", text.Text("page.pad.signed")) + ">" +
         HtmlEscape(text.Text("page.pad.not-signed")) + "</span>\n" +
         PadButton("undo", text.Text("page.pad.undo"), label_id) +
         PadButton("clear", text.Text("page.pad.clear"), label_id) + "</div>\n";
  return out + "<p class=\"ck-error\"" + HtmlAttr("id", error_id) + "></p>\n";
}

}  // namespace consentkit
