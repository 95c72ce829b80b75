#include "html/html.h"

#include "html/embedded.h"
#include "html/page.h"

namespace consentkit {
namespace {

const char* KindName(FormKind kind) {
  switch (kind) {
    case FormKind::kConsent:
      return "Consent";
    case FormKind::kIntake:
      return "Intake";
    case FormKind::kAftercare:
      return "Aftercare";
    case FormKind::kGeneral:
      break;
  }
  return "General";
}

std::string FormCard(const FormDefinition& form) {
  // The links name the form through aria-describedby: "Fill in on this
  // device" alone is ambiguous in a screen reader's list of links.
  std::string title_id = "t-" + form.id;
  std::string described = HtmlAttr("aria-describedby", title_id);
  std::string out = "<li class=\"ck-card\">\n<h2" + HtmlAttr("id", title_id) + ">" +
                    HtmlEscape(form.title) + "</h2>\n";
  out +=
      HtmlElement("p", "ck-meta", std::string(KindName(form.kind)) + " · version " + form.version);
  out += "<p class=\"ck-links\"><a class=\"ck-btn\"" + HtmlAttr("href", "/forms/" + form.id) +
         described + ">Fill in on this device</a>\n";
  out += "<a class=\"ck-btn2\"" + HtmlAttr("href", "/forms/" + form.id + ".pdf") + described +
         ">Blank PDF</a></p>\n";
  return out + "</li>\n";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string RenderIndexPage(const std::vector<FormPtr>& forms, const ClinicSettings& clinic) {
  std::string out = HtmlPageStart({"en", "Forms", false}, clinic);
  out += "<h1>Forms</h1>\n";
  if (forms.empty()) return out + "<p>No forms are installed yet.</p>\n" + HtmlPageEnd();
  out += "<p class=\"ck-note\">Fill in a form on this device, or print a blank copy.</p>\n";
  out += "<ul class=\"ck-list\">\n";
  for (const FormPtr& form : forms) out += FormCard(*form);
  return out + "</ul>\n" + HtmlPageEnd();
}

std::string RenderPairPage(const ClinicSettings& clinic, const std::string& error) {
  std::string out = HtmlPageStart({"en", "Sign in this device", true}, clinic);
  out += "<h1>Sign in this device</h1>\n";
  out +=
      "<p class=\"ck-note\">Paste the token a clinic administrator made with "
      "<code>consentkit tokens create</code>. This device then stays signed in.</p>\n";
  if (!error.empty()) out += HtmlElement("p", "ck-banner ck-pair-error", error) + "\n";
  out +=
      "<form class=\"ck-pair\" method=\"post\" action=\"/pair\">\n"
      "<div class=\"ck-field\"><label class=\"ck-label\" for=\"f-token\">Token</label>\n"
      "<input type=\"password\" id=\"f-token\" name=\"token\" required "
      "autocomplete=\"off\" spellcheck=\"false\"></div>\n"
      "<button type=\"submit\" class=\"ck-btn\">Sign in</button>\n</form>\n";
  return out + HtmlPageEnd();
}

const Asset* FindAsset(std::string_view path) {
  // Built on first use (thread-safe); they hold only views of static bytes,
  // so nothing is destroyed at exit while a late caller might still use them.
  static const Asset kCss{"text/css; charset=utf-8", EmbeddedCss()};
  static const Asset kJs{"text/javascript; charset=utf-8", EmbeddedJs()};
  if (path == "/assets/consentkit.css") return &kCss;
  if (path == "/assets/consentkit.js") return &kJs;
  return nullptr;
}

}  // namespace consentkit
