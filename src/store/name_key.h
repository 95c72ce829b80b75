// Private to the store: how a patient search matches a name. Staff type
// "zoe munoz" for "Zoë Muñoz", "NGUYEN" for "Nguyễn": the search compares
// keys with case and accents folded away.
//
// Safe from any thread (each thread has its own ICU transliterator).
#ifndef CONSENTKIT_STORE_NAME_KEY_H_
#define CONSENTKIT_STORE_NAME_KEY_H_

#include <string>
#include <string_view>

struct sqlite3;

namespace consentkit {

// `utf8` without accents (decomposed, combining marks dropped), with the
// Latin letters that have no base letter made plain (ł → l, ø → o, ß → ss),
// lower-cased and recomposed: "Zoë Muñoz", "ZOE MUNOZ" and "zoe munoz" give
// one key, and so do "Łukasz" and "lukasz". Other scripts keep their
// letters, accents and case folded ("Ελένη" → "ελενη"). Invalid UTF-8 gives
// its bytes as they are, ASCII-lowercased.
std::string NameKey(std::string_view utf8);

// Makes ck_name_key(text) callable in SQL on `db`: NameKey of its argument.
// Returns false if SQLite refused to register it.
bool RegisterNameKeyFunction(sqlite3* db);

}  // namespace consentkit

#endif  // CONSENTKIT_STORE_NAME_KEY_H_
