// API tokens and what each role may do.
//
// A token is "ckt_<id>.<secret>": the id is public (it names the token in
// the audit log and in `tokens list`); only the SHA-256 of the whole token
// is stored, so a stolen database does not hand out working credentials.
#ifndef CONSENTKIT_AUTH_AUTH_H_
#define CONSENTKIT_AUTH_AUTH_H_

#include <optional>
#include <string>

#include "store/store.h"

namespace consentkit {

// What a request wants to do. Roles are cumulative: staff may do what a
// tablet may, compliance what staff may.
enum class Permission {
  kLoadForms,        // tablet pages, blank PDFs, form descriptions
  kSubmit,           // POST a submission
  kReadSubmissions,  // stored records and their PDFs
  kExport,           // archives
  kReadAudit,        // the audit log
};

bool Allows(Role role, Permission permission);
const char* ToString(Permission permission);

struct NewToken {
  Token token;         // as stored: id, name, role, secret hash, creation time
  std::string secret;  // the whole bearer token; shown once, never stored
};

// A fresh token with 256 random bits of secret (OpenSSL's RAND_bytes).
NewToken MakeToken(Role role, const std::string& name);

struct AuthResult {
  std::optional<Token> token;  // set when the credential is valid
  std::string claimed_id;      // the id the credential named, if it named one
  std::string failure;         // why not, when token is unset
};

// Checks a bearer credential against the store: known id, not revoked, and
// a hash equal in constant time. An unknown id costs the same hash and
// comparison, so timing does not reveal which ids exist.
AuthResult Authenticate(Store& store, const std::string& credential);

}  // namespace consentkit

#endif  // CONSENTKIT_AUTH_AUTH_H_
