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

struct NamedAsset {
  std::string_view name;  // the file name in web/ and after /assets/
  Asset asset;
};

constexpr char kCssType[] = "text/css; charset=utf-8";
constexpr char kJsType[] = "text/javascript; charset=utf-8";

// Built on first use (thread-safe); they hold only views of static bytes,
// so nothing is destroyed at exit while a late caller might still use them.
const std::vector<NamedAsset>& Assets() {
  static const auto* assets = new std::vector<NamedAsset>{
      {"consentkit.css", {kCssType, EmbeddedConsentkitCss()}},
      {"staff.css", {kCssType, EmbeddedStaffCss()}},
      {"consentkit.js", {kJsType, EmbeddedConsentkitJs()}},
      {"dom.js", {kJsType, EmbeddedDomJs()}},
      {"pad.js", {kJsType, EmbeddedPadJs()}},
      {"idle.js", {kJsType, EmbeddedIdleJs()}},
      {"kiosk.js", {kJsType, EmbeddedKioskJs()}},
      {"staff.js", {kJsType, EmbeddedStaffJs()}},
      {"witness.js", {kJsType, EmbeddedWitnessJs()}},
      {"pair.js", {kJsType, EmbeddedPairJs()}},
  };
  return *assets;
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

std::string RenderIndexPage(const std::vector<FormPtr>& forms, const ClinicSettings& clinic,
                            const IndexOptions& options) {
  std::string out = HtmlPageStart({"en", "Forms"}, clinic);
  out += "<h1>Forms</h1>\n";
  if (options.staff_link) {
    out +=
        "<p class=\"ck-links ck-to-desk\"><a class=\"ck-btn\" href=\"/staff\">Open the staff "
        "desk</a></p>\n";
  }
  if (forms.empty()) return out + "<p>No forms are installed yet.</p>\n" + HtmlPageEnd();
  out += "<p class=\"ck-note\">Fill in a form on this device, or print a blank copy.</p>\n";
  out += "<ul class=\"ck-list\">\n";
  for (const FormPtr& form : forms) out += FormCard(*form);
  return out + "</ul>\n" + HtmlPageEnd();
}

std::string RenderPairPage(const ClinicSettings& clinic, const std::string& error) {
  std::string out = HtmlPageStart({"en", "Sign in this device", "pair.js"}, clinic);
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
  constexpr std::string_view kPrefix = "/assets/";
  if (path.substr(0, kPrefix.size()) != kPrefix) return nullptr;
  std::string_view name = path.substr(kPrefix.size());
  for (const NamedAsset& asset : Assets()) {
    if (asset.name == name) return &asset.asset;
  }
  return nullptr;
}

std::vector<std::string_view> AssetNames() {
  std::vector<std::string_view> names;
  for (const NamedAsset& asset : Assets()) names.push_back(asset.name);
  return names;
}

std::string RenderNoticePage(const ClinicSettings& clinic, const std::string& title,
                             const std::string& message) {
  return HtmlPageStart({"en", title}, clinic) + "<div class=\"ck-notice\">\n<h1>" +
         HtmlEscape(title) + "</h1>\n" + HtmlElement("p", "", message) + "</div>\n" + HtmlPageEnd();
}

std::string RenderKioskPage(const ClinicSettings& clinic) {
  std::string out = HtmlPageStart({"en", "Waiting", "kiosk.js", false, "ck-kiosk"}, clinic);
  out +=
      "<div class=\"ck-screen\" data-kiosk>\n<h1>Waiting for the next patient</h1>\n"
      "<p class=\"ck-note\">A member of staff will start your forms on this tablet.</p>\n"
      "<p class=\"ck-screen-status\" id=\"ck-kiosk-status\" role=\"status\"></p>\n</div>\n";
  return out + HtmlPageEnd();
}

std::string RenderVisitDonePage(const ClinicSettings& clinic, VisitChannel channel,
                                const std::string& visit_id) {
  bool kiosk = channel == VisitChannel::kKiosk;
  std::string out = HtmlPageStart(
      {"en", "Thank you", kiosk ? "kiosk.js" : "", false, kiosk ? "ck-kiosk" : ""}, clinic);
  out += "<div class=\"ck-screen ck-thanks\"" +
         (kiosk ? HtmlAttr("data-kiosk-done", visit_id) : std::string()) +
         ">\n<h1>Thank you</h1>\n<p>You have finished all your forms.</p>\n";
  if (kiosk) {
    out +=
        "<p>Please hand the tablet back to a member of staff.</p>\n"
        "<button type=\"button\" class=\"ck-btn\" id=\"ck-done\">Done</button>\n";
  } else {
    out += "<p>You can close this page now.</p>\n";
  }
  return out + "</div>\n" + HtmlPageEnd();
}

}  // namespace consentkit
