#include "html/page.h"

#include "html/html.h"

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
  if (head.with_script) out += "<script src=\"/assets/consentkit.js\" defer></script>\n";
  out += "</head>\n<body>\n" + ClinicHeader(clinic);
  return out + "<main class=\"ck-wrap\">\n";
}

std::string HtmlPageEnd() { return "</main>\n</body>\n</html>\n"; }

}  // namespace consentkit
