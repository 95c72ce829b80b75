// The details of the token and invite events: what verify holds the tokens
// and invites tables against (see archive/verify_tokens.cc).
#include "store/store.h"
#include "util/util.h"

namespace consentkit {

std::string TokenCreatedDetail(const Token& token) {
  return std::string("role=") + ToString(token.role) + ";secret_sha256=" + token.secret_sha256 +
         ";name_sha256=" + Sha256Hex(token.name) + ";created_at=" + token.created_at;
}

std::string TokenRevokedDetail(const std::string& revoked_at) { return "revoked_at=" + revoked_at; }

std::string InviteCreatedDetail(const Invite& invite) {
  return "visit=" + invite.visit_id + ";secret_sha256=" + invite.secret_sha256 +
         ";created_at=" + invite.created_at + ";expires_at=" + invite.expires_at;
}

std::string InviteRevokedDetail(const std::string& revoked_at) {
  return "revoked_at=" + revoked_at;
}

}  // namespace consentkit
