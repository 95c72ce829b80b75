#include "form/field_rules.h"

#include <regex>
#include <string_view>

#include "util/util.h"

namespace consentkit {

const FieldRules& RulesOf(FieldType type) {
  static const FieldRules kText{"string", kMaxTextLength, false};
  static const FieldRules kEmail{"string", kMaxEmailLength, false};
  static const FieldRules kPhone{"string", kMaxPhoneLength, false};
  static const FieldRules kInitials{"string", kMaxInitialsLength, false};
  static const FieldRules kDate{"string", 0, false};  // YYYY-MM-DD, checked as a date
  static const FieldRules kChosen{"string", 0, false};
  static const FieldRules kChoice{"string", 0, true};
  static const FieldRules kMulti{"array", 0, true};
  static const FieldRules kTick{"boolean", 0, false};
  static const FieldRules kSignature{"signature", 0, false};
  switch (type) {
    case FieldType::kText:
    case FieldType::kTextArea:
      return kText;
    case FieldType::kEmail:
      return kEmail;
    case FieldType::kPhone:
      return kPhone;
    case FieldType::kInitials:
      return kInitials;
    case FieldType::kDate:
      return kDate;
    case FieldType::kYesNo:  // its options are implied (YesNoOptions)
      return kChosen;
    case FieldType::kChoice:
      return kChoice;
    case FieldType::kMultiChoice:
      return kMulti;
    case FieldType::kCheckbox:
      return kTick;
    case FieldType::kSignature:
      return kSignature;
  }
  return kText;
}

std::size_t MaxLengthOf(const Field& field) {
  return field.max_length.value_or(RulesOf(field.type).max_length);
}

bool IsEmailAddress(const std::string& text) {
  static const std::regex kEmail(kEmailPattern);
  return std::regex_match(text, kEmail);
}

bool IsPhoneNumber(const std::string& text) {
  int digits = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (std::string_view(kPhoneSymbols).find(c) == std::string_view::npos) {
      return false;
    }
  }
  return digits >= kMinPhoneDigits;
}

const std::vector<std::pair<char32_t, char32_t>>& TextCharacterRanges() {
  static const auto* const kRanges = [] {
    auto* ranges = new std::vector<std::pair<char32_t, char32_t>>;
    for (char32_t c = 0; c <= 0x10FFFF; ++c) {
      if (!(c == '\t' || c == '\n' || c == '\r' || IsInRecordFont(c))) continue;
      if (!ranges->empty() && ranges->back().second + 1 == c) {
        ranges->back().second = c;
      } else {
        ranges->emplace_back(c, c);
      }
    }
    // The chain's exact set is about two thousand ranges, 20 KB on every
    // page: close the narrowest gaps until kPageRanges remain. Only ever
    // widening keeps the page from refusing what the server accepts. The
    // gaps of controls (below U+00A0) and of emoji stay, as do the widest
    // (unassigned planes).
    auto kept = [&ranges](std::size_t i) {
      char32_t from = (*ranges)[i - 1].second + 1, to = (*ranges)[i].first - 1;
      return to < 0xA0 || (from <= 0x1FAFF && to >= 0x1F000);
    };
    while (ranges->size() > kPageRanges) {
      std::size_t narrowest = 0;
      char32_t narrowest_gap = 0x110000;
      for (std::size_t i = 1; i < ranges->size(); ++i) {
        char32_t gap = (*ranges)[i].first - (*ranges)[i - 1].second;
        if (gap < narrowest_gap && !kept(i)) {
          narrowest = i;
          narrowest_gap = gap;
        }
      }
      if (narrowest == 0) break;
      (*ranges)[narrowest - 1].second = (*ranges)[narrowest].second;
      ranges->erase(ranges->begin() + static_cast<std::ptrdiff_t>(narrowest));
    }
    return ranges;
  }();
  return *kRanges;
}

std::vector<Option> YesNoOptions(const Catalog& text) {
  return {{"yes", text.Text("option.yes")}, {"no", text.Text("option.no")}};
}

const std::string& OutcomeLabel(Outcome outcome, const Catalog& text) {
  switch (outcome) {
    case Outcome::kSuitable:
      return text.Text("outcome.suitable");
    case Outcome::kPractitionerReview:
      return text.Text("outcome.practitioner-review");
    case Outcome::kDefer:
      return text.Text("outcome.defer");
  }
  return text.Text("outcome.suitable");  // not reached: every outcome is above
}

}  // namespace consentkit
