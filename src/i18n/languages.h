// Choosing a language: the one home of matching BCP 47 tags and of reading
// an HTTP Accept-Language value. A form's page chooses among the form's
// languages (form.h: OfferedLanguage, PreferredLanguage, built on these); a
// page not tied to one form (the kiosk's waiting screen, a visit's
// thank-you, notices, the sign-in page) among consentkit's own catalogs.
//
// Pure functions of their arguments: safe from any thread.
#ifndef CONSENTKIT_I18N_LANGUAGES_H_
#define CONSENTKIT_I18N_LANGUAGES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace consentkit {

// The tag of `offered` that `language` names: the same tag, or failing that
// the first offered tag with the same primary subtag ("es-MX" finds "es",
// "es" finds "es-419"), in any case; nullopt if none.
std::optional<std::string> MatchLanguage(const std::vector<std::string>& offered,
                                         std::string_view language);

// The tag of `offered` an HTTP Accept-Language value prefers (RFC 9110
// §12.5.4: weights honoured, q=0 refuses, "*" stands for every offered tag
// no other range names), matched as MatchLanguage does; nullopt when none
// is acceptable or the value is empty or malformed (as if absent).
std::optional<std::string> PreferredOf(const std::vector<std::string>& offered,
                                       std::string_view accept_language);

// For pages not tied to one form: `query_lang` (a page's ?lang=) when
// consentkit has a catalog for it; else the catalog language
// `accept_language` prefers; else `fallback`.
std::string NegotiateLanguage(std::string_view accept_language, std::string_view query_lang = {},
                              std::string_view fallback = "en");

}  // namespace consentkit

#endif  // CONSENTKIT_I18N_LANGUAGES_H_
