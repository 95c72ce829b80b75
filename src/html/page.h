// Private to src/html: the markup every page shares (head, header, the
// signature pad) and small builders for escaped attributes and elements.
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
  std::string_view lang;         // BCP 47 tag for <html lang>
  std::string_view title;        // shown before the clinic name in <title>
  std::string_view script = {};  // a module under /assets/ ("consentkit.js"); empty: none
  // Staff pages: a wider layout and /assets/staff.css on top of the
  // patient pages' stylesheet, so patients' tablets never load it.
  bool staff = false;
  std::string_view body_class = {};  // e.g. "ck-kiosk"; may be empty
};

// Everything from <!DOCTYPE html> to the opening <main>, with the clinic's
// name, address and phone in the page header.
std::string HtmlPageStart(const PageHead& head, const ClinicSettings& clinic);
// Closes what HtmlPageStart opened.
std::string HtmlPageEnd();

// The inside of a signature field: its label, hint, canvas, undo and clear
// buttons and the error slot, with ids derived from `field_id` ("f-" the
// canvas, "l-" the label, "h-" the hint, "s-" the state, "e-" the error).
// web/pad.js draws on it; `label_html` is markup already escaped. The pad's
// own words (its state, "Undo", "Clear") are `lang`'s catalog's; the state
// span carries the signed state's word for pad.js (data-signed).
std::string SignaturePadMarkup(const std::string& field_id, const std::string& label_html,
                               const std::string& hint, std::string_view lang = "en");

}  // namespace consentkit

#endif  // CONSENTKIT_HTML_PAGE_H_
