// Private to src/html: the markup shared by the index page and the form page.
#ifndef CONSENTKIT_HTML_PAGE_H_
#define CONSENTKIT_HTML_PAGE_H_

#include <string>
#include <string_view>

#include "config/config.h"

namespace consentkit {

// ` name="value"`, with `value` escaped.
std::string HtmlAttr(std::string_view name, std::string_view value);

// `<tag class="css_class">escaped text</tag>`.
std::string HtmlElement(std::string_view tag, std::string_view css_class, std::string_view text);

struct PageHead {
  std::string_view lang;     // BCP 47 tag for <html lang>
  std::string_view title;    // shown before the clinic name in <title>
  bool with_script = false;  // load /assets/consentkit.js (the form page)
};

// Everything from <!DOCTYPE html> to the opening <main>, with the clinic's
// name, address and phone in the page header.
std::string HtmlPageStart(const PageHead& head, const ClinicSettings& clinic);
// Closes what HtmlPageStart opened.
std::string HtmlPageEnd();

}  // namespace consentkit

#endif  // CONSENTKIT_HTML_PAGE_H_
