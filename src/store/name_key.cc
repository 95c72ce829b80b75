#include "store/name_key.h"

#include <sqlite3.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <cctype>
#include <memory>

namespace consentkit {
namespace {

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Accents off (decompose, drop the marks), the Latin letters that are not
// a base letter plus a mark made plain (ł, ø, ß, æ), case folded. ICU's
// transliterators keep state while they run: one per thread.
icu::Transliterator* Folder() {
  thread_local std::unique_ptr<icu::Transliterator> folder = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> made(icu::Transliterator::createInstance(
        "NFD; [:Nonspacing Mark:] Remove; Latin-ASCII; Any-Lower; NFC", UTRANS_FORWARD, status));
    return U_FAILURE(status) ? nullptr : std::move(made);
  }();
  return folder.get();
}

void NameKeySql(sqlite3_context* context, int argc, sqlite3_value** argv) {
  if (argc != 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) {
    sqlite3_result_null(context);
    return;
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  auto bytes = static_cast<std::size_t>(sqlite3_value_bytes(argv[0]));
  std::string key = NameKey(std::string_view(text, bytes));
  sqlite3_result_text(context, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
}

}  // namespace

std::string NameKey(std::string_view utf8) {
  icu::Transliterator* folder = Folder();
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  // Not UTF-8 (the decoder put U+FFFD in), or no ICU data: bytes as they are.
  if (!folder || text.indexOf(static_cast<char16_t>(0xFFFD)) >= 0) return AsciiLower(utf8);
  folder->transliterate(text);
  std::string out;
  text.toUTF8String(out);
  return out;
}

bool RegisterNameKeyFunction(sqlite3* db) {
  return sqlite3_create_function(db, "ck_name_key", 1,
                                 SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                                 NameKeySql, nullptr, nullptr) == SQLITE_OK;
}

}  // namespace consentkit
