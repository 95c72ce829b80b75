// Private to src/html: the bytes of each file in web/, compiled in by
// embed_asset.cmake so the server needs no files beside it. Each function
// is named after its file (web/pad.js: EmbeddedPadJs); the list is in
// CMakeLists.txt (CK_WEB_ASSETS) and the table in html.cc.
#ifndef CONSENTKIT_HTML_EMBEDDED_H_
#define CONSENTKIT_HTML_EMBEDDED_H_

#include <string_view>

namespace consentkit {

// Each returns a view of static storage that lives for the whole program.
std::string_view EmbeddedConsentkitCss();
std::string_view EmbeddedStaffCss();
std::string_view EmbeddedConsentkitJs();
std::string_view EmbeddedDomJs();
std::string_view EmbeddedPadJs();
std::string_view EmbeddedIdleJs();
std::string_view EmbeddedKioskJs();
std::string_view EmbeddedStaffJs();
std::string_view EmbeddedWitnessJs();
std::string_view EmbeddedPairJs();

}  // namespace consentkit

#endif  // CONSENTKIT_HTML_EMBEDDED_H_
