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

// What a request wants to do. Staff may do what a tablet may; a
// practitioner and compliance officer what staff may, plus review
// (practitioner) or export and the audit log (compliance).
enum class Permission {
  kLoadForms,        // tablet pages, blank PDFs, form descriptions
  kSubmit,           // POST a submission
  kReadSubmissions,  // stored records, their PDFs and the listings
  kManageVisits,     // create visits, invites and kiosk hand-offs
  kReview,           // record a decision and countersign
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
// Throws std::runtime_error if the system random source fails.
NewToken MakeToken(Role role, const std::string& name);

// Who a valid credential belongs to: an API token, or a patient's invite
// link, which acts as a tablet limited to one visit.
struct Principal {
  std::string actor;  // the token or invite id, as the audit log names it
  std::string name;   // the token's name; empty for an invite
  Role role = Role::kTablet;
  std::string visit_id;  // set for an invite: the only visit it may see or fill
  bool is_invite() const { return !visit_id.empty(); }
};

// What `principal` may do: its role's permissions, and for an invite only
// kSubmit (the packet pages of its visit and that visit's submissions).
bool Allows(const Principal& principal, Permission permission);

struct AuthResult {
  std::optional<Principal> principal;  // set when the credential is valid
  std::string claimed_id;              // the id the credential named, if it named one
  std::string failure;                 // why not, when principal is unset
  // Set when the credential is a real invite's (its secret matched), so a
  // patient's page can say whether the link expired or was withdrawn.
  std::optional<InviteState> invite_state;
};

// Checks a bearer credential against the store: a token ("ckt_…") or an
// invite ("cki_…") with a known id, not revoked, not expired, and a hash
// equal in constant time. An unknown id costs the same hash and
// comparison, so timing does not reveal which ids exist. A bad credential
// is a result, not an exception; throws StoreError if the store fails.
AuthResult Authenticate(Store& store, const std::string& credential);

// Whether `credential` is shaped as an invite ("cki_…"), valid or not.
bool IsInviteCredential(const std::string& credential);

struct NewInvite {
  Invite invite;       // as stored
  std::string secret;  // the whole credential, for the link; shown once, never stored
};
// A fresh invite for `visit_id`, valid for `hours` from now. Throws
// std::runtime_error if the system random source fails.
NewInvite MakeInvite(const std::string& visit_id, int hours, const Actor& created_by);

}  // namespace consentkit

#endif  // CONSENTKIT_AUTH_AUTH_H_
