#include "html/html.h"

#include <optional>

#include "html/embedded.h"
#include "html/page.h"
#include "i18n/catalog.h"

namespace consentkit {
namespace {

const char* KindKey(FormKind kind) {
  switch (kind) {
    case FormKind::kConsent:
      return "index.kind.consent";
    case FormKind::kIntake:
      return "index.kind.intake";
    case FormKind::kAftercare:
      return "index.kind.aftercare";
    case FormKind::kGeneral:
      break;
  }
  return "index.kind.general";
}

// `form`'s card in the catalog's language: the form's own text in it when
// the form offers it (its page then opens in it too), else the default's.
std::string FormCard(const FormPtr& default_view, const Catalog& text) {
  std::optional<std::string> offered = OfferedLanguage(*default_view, text.language());
  FormPtr form = offered ? InLanguage(default_view, *offered) : default_view;
  std::string page = "/forms/" + form->id;
  if (offered && *offered != default_view->lang) page += "?lang=" + *offered;
  // The links name the form through aria-describedby: "Fill in on this
  // device" alone is ambiguous in a screen reader's list of links.
  std::string title_id = "t-" + form->id;
  std::string described = HtmlAttr("aria-describedby", title_id);
  std::string out = "<li class=\"ck-card\">\n<h2" + HtmlAttr("id", title_id) +
                    HtmlAttr("lang", form->lang) + ">" + HtmlEscape(form->title) + "</h2>\n";
  out += HtmlElement("p", "ck-meta",
                     text.Format("index.meta", {{"kind", text.Text(KindKey(form->kind))},
                                                {"version", form->version}}));
  out += "<p class=\"ck-links\"><a class=\"ck-btn\"" + HtmlAttr("href", page) + described + ">" +
         HtmlEscape(text.Text("index.fill-in")) + "</a>\n";
  out += "<a class=\"ck-btn2\"" + HtmlAttr("href", "/forms/" + form->id + ".pdf") + described +
         ">" + HtmlEscape(text.Text("index.blank-pdf")) + "</a></p>\n";
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
  const Catalog& text = Catalog::For(options.language);
  std::string out = HtmlPageStart({text.language(), text.Text("index.title")}, clinic);
  out += "<h1>" + HtmlEscape(text.Text("index.title")) + "</h1>\n";
  if (options.staff_link) {
    out += "<p class=\"ck-links ck-to-desk\"><a class=\"ck-btn\" href=\"/staff\">" +
           HtmlEscape(text.Text("index.staff-desk")) + "</a></p>\n";
  }
  if (forms.empty()) return out + HtmlElement("p", "", text.Text("index.none")) + HtmlPageEnd();
  out += HtmlElement("p", "ck-note", text.Text("index.note"));
  out += "<ul class=\"ck-list\">\n";
  for (const FormPtr& form : forms) out += FormCard(form, text);
  return out + "</ul>\n" + HtmlPageEnd();
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

}  // namespace consentkit
