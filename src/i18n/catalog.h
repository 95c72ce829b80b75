// The built-in text consentkit prints and shows, per language: what the
// program itself says around the words a form's definition carries (the
// legend, "Not answered", the record block, the page footer, …).
//
// Each language's catalog is a file in i18n/ (i18n/en.messages, …),
// compiled into the program. Every catalog has the same keys, each with the
// same {placeholders}; a test holds them in step, so a key missing from one
// language is a failed build, never an English word in a Spanish record.
//
// Thread-safety: catalogs are parsed once, on first use, and never change;
// any thread may read them.
#ifndef CONSENTKIT_I18N_CATALOG_H_
#define CONSENTKIT_I18N_CATALOG_H_

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace consentkit {

class Catalog {
 public:
  // The catalog of `language`, a BCP 47 tag ("es", "es-MX": its primary
  // subtag decides, in any case), or English's when consentkit has none.
  static const Catalog& For(std::string_view language);
  // Whether consentkit has a catalog for `language` (as For reads it).
  static bool Has(std::string_view language);
  // Every language with a catalog, English first: "en", "es".
  static std::vector<std::string> Languages();

  const std::string& language() const { return language_; }

  // The text of `key`. Throws std::logic_error naming the key and the
  // language if this catalog has no such key: a programming error, since
  // the keys are the program's own.
  const std::string& Text(std::string_view key) const;

  // Text(key) with each "{name}" replaced by its value. Throws
  // std::logic_error for an unknown key, a {name} the text has that
  // `values` lacks, or a value given for a {name} the text does not have.
  std::string Format(std::string_view key,
                     std::initializer_list<std::pair<std::string_view, std::string>> values) const;

  // Every key in order, for tests.
  std::vector<std::string> Keys() const;
  // The {names} in the text of `key`, sorted, for tests.
  std::vector<std::string> Placeholders(std::string_view key) const;

  // Parses a catalog file's text ("key = text" lines; # comments). Throws
  // std::logic_error with `description`:line for a line that is not a
  // message, an empty key or text, a repeated key, or an unclosed "{".
  static Catalog Parse(std::string language, std::string_view text, const std::string& description);

 private:
  Catalog() = default;

  std::string language_;
  std::map<std::string, std::string, std::less<>> texts_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_I18N_CATALOG_H_
