#include "i18n/catalog.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

#include "i18n/embedded.h"

namespace consentkit {
namespace {

std::string_view Trim(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

// The {names} of `text` in order of appearance; empty `error` when the
// braces are balanced.
std::vector<std::string> NamesIn(std::string_view text, std::string& error) {
  std::vector<std::string> names;
  for (std::size_t at = text.find('{'); at != std::string_view::npos; at = text.find('{', at + 1)) {
    std::size_t end = text.find('}', at);
    if (end == std::string_view::npos) {
      error = "a \"{\" with no \"}\" after it";
      return names;
    }
    names.emplace_back(text.substr(at + 1, end - at - 1));
  }
  return names;
}

std::string PrimarySubtag(std::string_view language) {
  std::string primary(language.substr(0, language.find_first_of("-_")));
  for (char& c : primary) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return primary;
}

struct Catalogs {
  Catalog en, es;
};

const Catalogs& All() {
  static const Catalogs* const kAll = new Catalogs{
      Catalog::Parse("en", EmbeddedEnMessages(), "i18n/en.messages"),
      Catalog::Parse("es", EmbeddedEsMessages(), "i18n/es.messages"),
  };
  return *kAll;
}

}  // namespace

const Catalog& Catalog::For(std::string_view language) {
  return PrimarySubtag(language) == "es" ? All().es : All().en;
}

bool Catalog::Has(std::string_view language) {
  std::string primary = PrimarySubtag(language);
  return primary == "en" || primary == "es";
}

std::vector<std::string> Catalog::Languages() { return {"en", "es"}; }

const std::string& Catalog::Text(std::string_view key) const {
  auto found = texts_.find(key);
  if (found == texts_.end()) {
    throw std::logic_error("the " + language_ + " message catalog has no key \"" +
                           std::string(key) + "\"");
  }
  return found->second;
}

std::string Catalog::Format(
    std::string_view key,
    std::initializer_list<std::pair<std::string_view, std::string>> values) const {
  const std::string& text = Text(key);
  std::string out;
  std::set<std::string_view> used;
  std::size_t from = 0;
  for (std::size_t at = text.find('{'); at != std::string::npos; at = text.find('{', from)) {
    std::size_t end = text.find('}', at);  // Parse made sure there is one
    std::string_view name = std::string_view(text).substr(at + 1, end - at - 1);
    auto value = std::find_if(values.begin(), values.end(),
                              [&](const auto& pair) { return pair.first == name; });
    if (value == values.end()) {
      throw std::logic_error("message \"" + std::string(key) + "\" needs a value for {" +
                             std::string(name) + "}");
    }
    out.append(text, from, at - from).append(value->second);
    used.insert(name);
    from = end + 1;
  }
  out.append(text, from);
  for (const auto& [name, value] : values) {
    if (!used.count(name)) {
      throw std::logic_error("message \"" + std::string(key) + "\" has no {" + std::string(name) +
                             "}");
    }
  }
  return out;
}

std::vector<std::string> Catalog::Keys() const {
  std::vector<std::string> keys;
  for (const auto& entry : texts_) keys.push_back(entry.first);
  return keys;
}

std::vector<std::string> Catalog::Placeholders(std::string_view key) const {
  std::string error;
  std::vector<std::string> names = NamesIn(Text(key), error);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Catalog Catalog::Parse(std::string language, std::string_view text,
                       const std::string& description) {
  Catalog catalog;
  catalog.language_ = std::move(language);
  std::size_t line_number = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = Trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    auto fail = [&](const std::string& what) {
      throw std::logic_error(description + ":" + std::to_string(line_number) + ": " + what);
    };
    std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) fail("expected \"key = text\"");
    std::string key(Trim(line.substr(0, equals)));
    std::string_view message = Trim(line.substr(equals + 1));
    if (key.empty() || message.empty()) fail("expected \"key = text\" with neither empty");
    std::string error;
    NamesIn(message, error);
    if (!error.empty()) fail(error);
    if (!catalog.texts_.emplace(key, std::string(message)).second) {
      fail("key \"" + key + "\" is already in this catalog");
    }
  }
  return catalog;
}

}  // namespace consentkit
