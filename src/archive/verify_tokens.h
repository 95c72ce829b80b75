// Private to the archive module: the tokens table held against the
// "token.created" and "token.revoked" events of the audit chain, and the
// invites table against "invite.created" and "invite.revoked".
#ifndef CONSENTKIT_ARCHIVE_VERIFY_TOKENS_H_
#define CONSENTKIT_ARCHIVE_VERIFY_TOKENS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "archive/chain.h"
#include "store/store.h"

namespace consentkit {

struct TokenCheck {
  std::size_t tokens = 0;  // rows checked
  // Tokens whose "token.created" event was written before token events
  // anchored the secret's hash, name and creation time ("role=…" only):
  // only their role is checked.
  std::vector<std::string> anchored_before_token_hashes;
};

// Reads the tokens table, then the audit chain's token events (the chain's
// integrity is ChainChecker's to judge), and adds a finding to `findings`
// for every difference: a row without its one "token.created" event, a
// role, secret hash, name or creation time other than it anchors, a revoked
// row without a "token.revoked" event or with another revocation time, a
// revoked event whose row is not revoked, and a live token's row that is
// gone. A deleted row of a revoked token is not a finding. Rows that
// changed while the chain was read are read again before they are judged.
TokenCheck CheckTokens(Store& store, Findings& findings);

struct InviteCheck {
  std::size_t invites = 0;  // rows checked
  // Invites whose "invite.created" event was written before invite events
  // anchored the secret's hash and creation time ("visit=…;expires=…"):
  // only their visit and expiry are checked.
  std::vector<std::string> anchored_before_invite_hashes;
};

// The invites table against the "invite.created" and "invite.revoked"
// events (InviteCreatedDetail, InviteRevokedDetail), as CheckTokens holds
// the tokens table: a row without its one created event, a visit, secret
// hash, creation time or expiry other than it anchors, a revoked row
// without a revoked event or with another revocation time, a row the chain
// says was revoked that is not, and a live invite's row that is gone (a
// revoked or expired one's removal is housekeeping). Rows that changed
// while the chain was read are read again before they are judged.
InviteCheck CheckInvites(Store& store, Findings& findings);

}  // namespace consentkit

#endif  // CONSENTKIT_ARCHIVE_VERIFY_TOKENS_H_
