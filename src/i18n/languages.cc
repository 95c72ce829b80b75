#include "i18n/languages.h"

#include <algorithm>
#include <cctype>

#include "i18n/catalog.h"

namespace consentkit {
namespace {

std::string Lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view PrimarySubtag(std::string_view tag) { return tag.substr(0, tag.find('-')); }

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// The weight of one Accept-Language entry's parameters (";q=0.8"): 1 when
// none is given, nullopt when malformed.
std::optional<double> Weight(std::string_view params) {
  params = Trimmed(params);
  if (params.empty()) return 1.0;
  if (params.size() < 3 || Lowercase(params.substr(0, 2)) != "q=") return std::nullopt;
  // RFC 9110 §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ).
  std::string_view number = params.substr(2);
  if (number.empty() || (number[0] != '0' && number[0] != '1')) return std::nullopt;
  if (number.size() > 1 && (number[1] != '.' || number.size() > 5)) return std::nullopt;
  double q = number[0] - '0', scale = 0.1;
  for (char c : number.substr(std::min<std::size_t>(2, number.size()))) {
    if (c < '0' || c > '9' || (number[0] == '1' && c != '0')) return std::nullopt;
    q += (c - '0') * scale;
    scale /= 10;
  }
  return q;
}

struct LanguageRange {
  std::string_view range;
  double weight = 0;
};

// The entries of an Accept-Language value, or nullopt when it is malformed.
std::optional<std::vector<LanguageRange>> ParseAcceptLanguage(std::string_view value) {
  std::vector<LanguageRange> ranges;
  while (!value.empty()) {
    std::size_t comma = value.find(',');
    std::string_view entry = Trimmed(value.substr(0, comma));
    value.remove_prefix(comma == std::string_view::npos ? value.size() : comma + 1);
    if (entry.empty()) continue;  // "a, , b": empty list elements are allowed
    std::size_t semicolon = entry.find(';');
    std::string_view range = Trimmed(entry.substr(0, semicolon));
    std::optional<double> weight =
        Weight(semicolon == std::string_view::npos ? "" : entry.substr(semicolon + 1));
    if (!weight || range.empty()) return std::nullopt;
    ranges.push_back({range, *weight});
  }
  return ranges;
}

}  // namespace

std::optional<std::string> MatchLanguage(const std::vector<std::string>& offered,
                                         std::string_view language) {
  std::string wanted = Lowercase(language);
  if (wanted.empty()) return std::nullopt;
  for (const std::string& tag : offered) {
    if (Lowercase(tag) == wanted) return tag;
  }
  for (const std::string& tag : offered) {
    if (Lowercase(PrimarySubtag(tag)) == PrimarySubtag(wanted)) return tag;
  }
  return std::nullopt;
}

std::optional<std::string> PreferredOf(const std::vector<std::string>& offered,
                                       std::string_view accept_language) {
  std::optional<std::vector<LanguageRange>> ranges = ParseAcceptLanguage(accept_language);
  if (!ranges) return std::nullopt;  // malformed: as if the header were absent
  // "*" stands for every offered language no other range names (RFC 4647
  // §3.3.1), so "en;q=0, *" still refuses English.
  std::vector<std::string> named;
  for (const LanguageRange& r : *ranges) {
    if (auto tag = MatchLanguage(offered, r.range)) named.push_back(*tag);
  }
  auto unnamed = [&]() -> std::optional<std::string> {
    for (const std::string& tag : offered) {
      if (std::find(named.begin(), named.end(), tag) == named.end()) return tag;
    }
    return std::nullopt;
  };
  std::optional<std::string> best;
  double best_weight = 0;
  for (const LanguageRange& r : *ranges) {
    std::optional<std::string> tag = r.range == "*" ? unnamed() : MatchLanguage(offered, r.range);
    // Ties go to the first listed, as the client ordered them.
    if (tag && r.weight > best_weight) {
      best = tag;
      best_weight = r.weight;
    }
  }
  return best;
}

std::string NegotiateLanguage(std::string_view accept_language, std::string_view query_lang,
                              std::string_view fallback) {
  std::vector<std::string> catalogs = Catalog::Languages();
  if (auto asked = MatchLanguage(catalogs, Trimmed(query_lang))) return *asked;
  return PreferredOf(catalogs, accept_language).value_or(std::string(fallback));
}

}  // namespace consentkit
