// Private to src/html: the bytes of web/consentkit.css and web/consentkit.js,
// compiled in by embed_asset.cmake so the server needs no files beside it.
#ifndef CONSENTKIT_HTML_EMBEDDED_H_
#define CONSENTKIT_HTML_EMBEDDED_H_

#include <string_view>

namespace consentkit {

// Each returns a view of static storage that lives for the whole program.
std::string_view EmbeddedCss();
std::string_view EmbeddedJs();

}  // namespace consentkit

#endif  // CONSENTKIT_HTML_EMBEDDED_H_
