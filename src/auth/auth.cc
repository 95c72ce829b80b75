#include "auth/auth.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "util/util.h"

namespace consentkit {
namespace {

constexpr char kPrefix[] = "ckt_";

std::string RandomHex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("cannot make a token: the system random source failed");
  }
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (char c : raw) {
    unsigned byte = static_cast<unsigned char>(c);
    hex += kHex[byte >> 4];
    hex += kHex[byte & 15];
  }
  return hex;
}

// "ckt_<id>.<secret>" → "tok_<id>", or empty if it is not shaped so.
std::string ClaimedId(const std::string& credential) {
  if (credential.compare(0, 4, kPrefix) != 0) return "";
  std::size_t dot = credential.find('.');
  if (dot == std::string::npos || dot == 4 || dot > 40) return "";
  return "tok_" + credential.substr(4, dot - 4);
}

}  // namespace

bool Allows(Role role, Permission permission) {
  switch (permission) {
    case Permission::kLoadForms:
    case Permission::kSubmit:
      return true;
    case Permission::kReadSubmissions:
      return role == Role::kStaff || role == Role::kCompliance;
    case Permission::kExport:
    case Permission::kReadAudit:
      return role == Role::kCompliance;
  }
  return false;
}

const char* ToString(Permission permission) {
  switch (permission) {
    case Permission::kLoadForms:
      return "load forms";
    case Permission::kSubmit:
      return "submit forms";
    case Permission::kReadSubmissions:
      return "read submissions";
    case Permission::kExport:
      return "export archives";
    case Permission::kReadAudit:
      return "read the audit log";
  }
  return "";
}

NewToken MakeToken(Role role, const std::string& name) {
  std::string id = RandomHex(6);
  NewToken made;
  made.secret = kPrefix + id + "." + RandomHex(32);
  made.token.id = "tok_" + id;
  made.token.name = name;
  made.token.role = role;
  made.token.secret_sha256 = Sha256Hex(made.secret);
  made.token.created_at = UtcNow();
  return made;
}

AuthResult Authenticate(Store& store, const std::string& credential) {
  AuthResult result;
  result.claimed_id = ClaimedId(credential);
  std::optional<Token> token;
  if (!result.claimed_id.empty()) token = store.FindToken(result.claimed_id);
  // Hash and compare whether or not the id exists.
  std::string given = Sha256Hex(credential);
  std::string expected = token ? token->secret_sha256 : std::string(given.size(), '!');
  bool equal = expected.size() == given.size() &&
               CRYPTO_memcmp(expected.data(), given.data(), given.size()) == 0;
  if (result.claimed_id.empty()) {
    result.failure = "the credential is not a consentkit token";
  } else if (!token || !equal) {
    result.failure = "unknown token or wrong secret";
  } else if (!token->revoked_at.empty()) {
    result.failure = "the token was revoked at " + token->revoked_at;
  } else {
    result.token = token;
  }
  return result;
}

}  // namespace consentkit
