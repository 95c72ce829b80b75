// Private to src/i18n: the bytes of each catalog in i18n/, compiled in by
// src/html/embed_asset.cmake so the program needs no files beside it.
#ifndef CONSENTKIT_I18N_EMBEDDED_H_
#define CONSENTKIT_I18N_EMBEDDED_H_

#include <string_view>

namespace consentkit {

std::string_view EmbeddedEnMessages();
std::string_view EmbeddedEsMessages();

}  // namespace consentkit

#endif  // CONSENTKIT_I18N_EMBEDDED_H_
