#include "auth/auth.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "util/util.h"

namespace consentkit {
namespace {

constexpr char kPrefix[] = "ckt_";
constexpr char kInvitePrefix[] = "cki_";

// "<prefix><id>.<secret>" → "<id_prefix><id>", or empty if it is not shaped so.
std::string ClaimedIdOf(const std::string& credential, const char* prefix, const char* id_prefix) {
  if (credential.compare(0, 4, prefix) != 0) return "";
  std::size_t dot = credential.find('.');
  if (dot == std::string::npos || dot == 4 || dot > 40) return "";
  return id_prefix + credential.substr(4, dot - 4);
}
std::string ClaimedId(const std::string& credential) {
  return ClaimedIdOf(credential, kPrefix, "tok_");
}
std::string ClaimedInviteId(const std::string& credential) {
  return ClaimedIdOf(credential, kInvitePrefix, "inv_");
}

}  // namespace

bool Allows(Role role, Permission permission) {
  switch (permission) {
    case Permission::kLoadForms:
    case Permission::kSubmit:
      return true;
    case Permission::kReadSubmissions:
    case Permission::kManageVisits:
      return role != Role::kTablet;
    case Permission::kReview:
      return role == Role::kPractitioner;
    case Permission::kExport:
    case Permission::kReadAudit:
      return role == Role::kCompliance;
  }
  return false;
}

bool Allows(const Principal& principal, Permission permission) {
  if (principal.is_invite()) return permission == Permission::kSubmit;
  return Allows(principal.role, permission);
}

const char* ToString(Permission permission) {
  switch (permission) {
    case Permission::kLoadForms:
      return "load forms";
    case Permission::kSubmit:
      return "submit forms";
    case Permission::kReadSubmissions:
      return "read submissions";
    case Permission::kManageVisits:
      return "manage visits";
    case Permission::kReview:
      return "review submissions";
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

bool IsInviteCredential(const std::string& credential) {
  return credential.compare(0, 4, kInvitePrefix) == 0;
}

NewInvite MakeInvite(const std::string& visit_id, int hours, const Actor& created_by) {
  std::string id = RandomHex(8);
  NewInvite made;
  made.secret = kInvitePrefix + id + "." + RandomHex(32);
  made.invite.id = "inv_" + id;
  made.invite.visit_id = visit_id;
  made.invite.secret_sha256 = Sha256Hex(made.secret);
  made.invite.created_at = UtcNow();
  made.invite.created_by = created_by;
  made.invite.expires_at = UtcAfterSeconds(static_cast<long long>(hours) * 3600);
  return made;
}

namespace {

// Hashes and compares whether or not the id exists.
bool SecretMatches(const std::string& credential, const std::string* stored_sha256) {
  std::string given = Sha256Hex(credential);
  std::string expected = stored_sha256 ? *stored_sha256 : std::string(given.size(), '!');
  return expected.size() == given.size() &&
         CRYPTO_memcmp(expected.data(), given.data(), given.size()) == 0;
}

AuthResult AuthenticateToken(Store& store, const std::string& credential, AuthResult result) {
  std::optional<Token> token = store.FindToken(result.claimed_id);
  bool equal = SecretMatches(credential, token ? &token->secret_sha256 : nullptr);
  if (!token || !equal) {
    result.failure = "unknown token or wrong secret";
  } else if (!token->revoked_at.empty()) {
    result.failure = "the token was revoked at " + token->revoked_at;
  } else {
    result.principal = Principal{token->id, token->name, token->role, ""};
  }
  return result;
}

AuthResult AuthenticateInvite(Store& store, const std::string& credential, AuthResult result) {
  std::optional<Invite> invite = store.FindInvite(result.claimed_id);
  bool equal = SecretMatches(credential, invite ? &invite->secret_sha256 : nullptr);
  if (!invite || !equal) {
    result.failure = "unknown invite or wrong secret";
    return result;
  }
  result.invite_state = invite->StateAt(UtcNow());
  switch (*result.invite_state) {
    case InviteState::kRevoked:
      result.failure = "the invite was withdrawn at " + invite->revoked_at;
      break;
    case InviteState::kExpired:
      result.failure = "the invite expired at " + invite->expires_at;
      break;
    case InviteState::kActive:
      result.principal = Principal{invite->id, "", Role::kTablet, invite->visit_id};
      break;
  }
  return result;
}

}  // namespace

AuthResult Authenticate(Store& store, const std::string& credential) {
  AuthResult result;
  result.claimed_id = ClaimedId(credential);
  if (!result.claimed_id.empty()) return AuthenticateToken(store, credential, result);
  result.claimed_id = ClaimedInviteId(credential);
  if (!result.claimed_id.empty()) return AuthenticateInvite(store, credential, result);
  SecretMatches(credential, nullptr);  // the same work as for a known shape
  result.failure = "the credential is not a consentkit token";
  return result;
}

}  // namespace consentkit
