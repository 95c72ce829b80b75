// CheckTokens: every token row against what its events anchor. The events
// are the anchor; the row is what Authenticate trusts, so a row raised to
// another role, given another secret or un-revoked is what this catches.
#include "archive/verify_tokens.h"

#include <cstdint>
#include <map>
#include <optional>
#include <set>

#include "util/util.h"

namespace consentkit {
namespace {

constexpr char kCreatedAction[] = "token.created";
constexpr char kRevokedAction[] = "token.revoked";

// "key=value;key=value" → its value for `key`, or nullopt.
std::optional<std::string> DetailValue(const std::string& detail, const std::string& key) {
  std::size_t start = 0;
  while (start <= detail.size()) {
    std::size_t end = detail.find(';', start);
    if (end == std::string::npos) end = detail.size();
    std::string part = detail.substr(start, end - start);
    if (part.compare(0, key.size() + 1, key + "=") == 0) return part.substr(key.size() + 1);
    start = end + 1;
  }
  return std::nullopt;
}

struct TokenEvents {
  std::int64_t created_seq = 0, created_again_seq = 0;
  std::string role;
  std::optional<std::string> secret_sha256, name_sha256, created_at;  // unset: before token hashes
  std::int64_t revoked_seq = 0, revoked_again_seq = 0;
  std::optional<std::string> revoked_at;  // unset: a revoked event before token hashes
};

class TokenChecker {
 public:
  TokenChecker(Store& store, Findings& findings) : store_(store), findings_(findings) {}

  TokenCheck Run() {
    std::map<std::string, Token> rows;
    for (Token& token : store_.Tokens()) rows.emplace(token.id, std::move(token));
    ReadEvents();
    // A token created or revoked after the table was read: read its row
    // again, then the chain on to its new end, and judge both as they are.
    std::set<std::string> changed;
    for (const auto& [id, events] : events_) {
      auto row = rows.find(id);
      if (row == rows.end() || (events.revoked_seq != 0 && row->second.revoked_at.empty()))
        changed.insert(id);
    }
    if (!changed.empty()) {
      for (const std::string& id : changed) {
        std::optional<Token> now = store_.FindToken(id);
        if (now) rows[id] = *now;
      }
      ReadEvents();
    }
    TokenCheck check;
    for (const auto& [id, row] : rows) {
      ++check.tokens;
      auto events = events_.find(id);
      if (events == events_.end()) {
        findings_.Add(Describe(row) + " has no token.created event in the audit log");
        continue;
      }
      if (!events->second.secret_sha256) check.anchored_before_token_hashes.push_back(id);
      CheckRow(row, events->second);
    }
    for (const auto& [id, events] : events_) {
      if (rows.count(id) == 0) CheckWithoutRow(id, events);
    }
    return check;
  }

 private:
  static std::string Describe(const Token& row) {
    return "token " + row.id + " (\"" + row.name + "\")";
  }
  static std::string Event(std::int64_t seq, const char* action) {
    return std::string(action) + " (audit event " + std::to_string(seq) + ")";
  }

  // From the event after the last one read to the chain's end.
  void ReadEvents() {
    store_.ForEachAuditEvent(next_seq_, 0, [this](const AuditEvent& e) {
      next_seq_ = e.seq + 1;
      if (e.action == kCreatedAction) {
        TokenEvents& events = events_[e.object];
        if (events.created_seq != 0) {
          if (events.created_again_seq == 0) events.created_again_seq = e.seq;
          return;
        }
        events.created_seq = e.seq;
        events.role = DetailValue(e.detail, "role").value_or("");
        events.secret_sha256 = DetailValue(e.detail, "secret_sha256");
        events.name_sha256 = DetailValue(e.detail, "name_sha256");
        events.created_at = DetailValue(e.detail, "created_at");
      } else if (e.action == kRevokedAction) {
        TokenEvents& events = events_[e.object];
        if (events.revoked_seq != 0) {
          if (events.revoked_again_seq == 0) events.revoked_again_seq = e.seq;
          return;
        }
        events.revoked_seq = e.seq;
        events.revoked_at = DetailValue(e.detail, "revoked_at");
      }
    });
  }

  void Differs(const Token& row, const std::string& field, const std::string& in_row,
               const std::string& anchored, const TokenEvents& events) {
    findings_.Add(Describe(row) + ": its " + field + " is " + in_row +
                  " in the tokens table, but " + Event(events.created_seq, kCreatedAction) +
                  " anchors " + anchored);
  }

  void CheckRow(const Token& row, const TokenEvents& events) {
    if (events.created_seq == 0) {
      findings_.Add(Describe(row) + " has no token.created event in the audit log (only " +
                    Event(events.revoked_seq, kRevokedAction) + ")");
    } else {
      CheckCreated(row, events);
    }
    CheckRevoked(row, events);
  }

  void CheckCreated(const Token& row, const TokenEvents& events) {
    if (events.created_again_seq != 0) {
      findings_.Add(Describe(row) + " has more than one token.created event (audit events " +
                    std::to_string(events.created_seq) + " and " +
                    std::to_string(events.created_again_seq) + "); expected one");
    }
    std::string role = ToString(row.role);
    if (role != events.role) Differs(row, "role", role, events.role, events);
    if (!events.secret_sha256) return;  // anchored before token hashes: the role only
    if (row.secret_sha256 != *events.secret_sha256) {
      Differs(row, "secret hash", row.secret_sha256, *events.secret_sha256, events);
    }
    if (Sha256Hex(row.name) != events.name_sha256.value_or("")) {
      findings_.Add(Describe(row) + ": its name is \"" + row.name + "\" in the tokens table, but " +
                    Event(events.created_seq, kCreatedAction) + " anchors another name (SHA-256 " +
                    events.name_sha256.value_or("none") + ")");
    }
    if (row.created_at != events.created_at.value_or("")) {
      Differs(row, "creation time", row.created_at, events.created_at.value_or("none"), events);
    }
  }

  void CheckRevoked(const Token& row, const TokenEvents& events) {
    if (events.revoked_again_seq != 0) {
      findings_.Add(Describe(row) + " has more than one token.revoked event (audit events " +
                    std::to_string(events.revoked_seq) + " and " +
                    std::to_string(events.revoked_again_seq) + "); expected one");
    }
    if (events.revoked_seq == 0) {
      if (!row.revoked_at.empty()) {
        findings_.Add(Describe(row) + " is revoked at " + row.revoked_at +
                      " in the tokens table, but no token.revoked event in the audit log "
                      "records its revocation");
      }
      return;
    }
    std::string event = Event(events.revoked_seq, kRevokedAction);
    if (row.revoked_at.empty()) {
      findings_.Add(Describe(row) + " was revoked by " + event +
                    ", but the tokens table has it valid: it has been un-revoked");
    } else if (events.revoked_at && *events.revoked_at != row.revoked_at) {
      findings_.Add(Describe(row) + ": its revocation time is " + row.revoked_at +
                    " in the tokens table, but " + event + " anchors " + *events.revoked_at);
    }
  }

  // A revoked token's row removed is housekeeping; a live one's removed
  // takes out of the table a credential the chain says still works, so the
  // record of who held access no longer matches the log.
  void CheckWithoutRow(const std::string& id, const TokenEvents& events) {
    if (events.revoked_seq != 0) return;
    findings_.Add("token " + id + " (role " + events.role + ", " +
                  Event(events.created_seq, kCreatedAction) +
                  ") is missing from the tokens table, and no token.revoked event records its "
                  "revocation: a live token's row was deleted");
  }

  Store& store_;
  Findings& findings_;
  std::int64_t next_seq_ = 1;
  std::map<std::string, TokenEvents> events_;
};

constexpr char kInviteCreatedAction[] = "invite.created";
constexpr char kInviteRevokedAction[] = "invite.revoked";

struct InviteEvents {
  std::int64_t created_seq = 0, created_again_seq = 0;
  std::string visit_id;
  // "expires_at", or "expires" in an event from before invite hashes.
  std::string expires_at;
  std::optional<std::string> secret_sha256, created_at;  // unset: before invite hashes
  std::int64_t revoked_seq = 0, revoked_again_seq = 0;
  std::optional<std::string> revoked_at;  // unset: a revoked event before invite hashes
};

class InviteChecker {
 public:
  InviteChecker(Store& store, Findings& findings) : store_(store), findings_(findings) {}

  InviteCheck Run() {
    std::map<std::string, Invite> rows;
    for (Invite& invite : store_.Invites()) rows.emplace(invite.id, std::move(invite));
    ReadEvents();
    // Created or revoked after the table was read: read those rows again.
    bool changed = false;
    for (const auto& [id, events] : events_) {
      auto row = rows.find(id);
      if (row != rows.end() && (events.revoked_seq == 0 || !row->second.revoked_at.empty()))
        continue;
      std::optional<Invite> now = store_.FindInvite(id);
      if (now) rows[id] = *now;
      changed = true;
    }
    if (changed) ReadEvents();
    InviteCheck check;
    for (const auto& [id, row] : rows) {
      ++check.invites;
      auto events = events_.find(id);
      if (events == events_.end() || events->second.created_seq == 0) {
        findings_.Add(Describe(row) + " has no invite.created event in the audit log");
        continue;
      }
      if (!events->second.secret_sha256) check.anchored_before_invite_hashes.push_back(id);
      CheckCreated(row, events->second);
      CheckRevoked(row, events->second);
    }
    std::string now = UtcNow();
    for (const auto& [id, events] : events_) {
      if (rows.count(id) == 0) CheckWithoutRow(id, events, now);
    }
    return check;
  }

 private:
  static std::string Describe(const Invite& row) {
    return "invite " + row.id + " (visit " + row.visit_id + ")";
  }
  static std::string Event(std::int64_t seq, const char* action) {
    return std::string(action) + " (audit event " + std::to_string(seq) + ")";
  }

  void ReadEvents() {
    store_.ForEachAuditEvent(next_seq_, 0, [this](const AuditEvent& e) {
      next_seq_ = e.seq + 1;
      if (e.action == kInviteCreatedAction) {
        InviteEvents& events = events_[e.object];
        if (events.created_seq != 0) {
          if (events.created_again_seq == 0) events.created_again_seq = e.seq;
          return;
        }
        events.created_seq = e.seq;
        events.visit_id = DetailValue(e.detail, "visit").value_or("");
        events.secret_sha256 = DetailValue(e.detail, "secret_sha256");
        events.created_at = DetailValue(e.detail, "created_at");
        events.expires_at = DetailValue(e.detail, "expires_at")
                                .value_or(DetailValue(e.detail, "expires").value_or(""));
      } else if (e.action == kInviteRevokedAction) {
        InviteEvents& events = events_[e.object];
        if (events.revoked_seq != 0) {
          if (events.revoked_again_seq == 0) events.revoked_again_seq = e.seq;
          return;
        }
        events.revoked_seq = e.seq;
        events.revoked_at = DetailValue(e.detail, "revoked_at");
      }
    });
  }

  void Differs(const Invite& row, const std::string& field, const std::string& in_row,
               const std::string& anchored, const InviteEvents& events) {
    findings_.Add(Describe(row) + ": its " + field + " is " + in_row +
                  " in the invites table, but " + Event(events.created_seq, kInviteCreatedAction) +
                  " anchors " + anchored);
  }

  void CheckCreated(const Invite& row, const InviteEvents& events) {
    if (events.created_again_seq != 0) {
      findings_.Add(Describe(row) + " has more than one invite.created event (audit events " +
                    std::to_string(events.created_seq) + " and " +
                    std::to_string(events.created_again_seq) + "); expected one");
    }
    if (row.visit_id != events.visit_id)
      Differs(row, "visit", row.visit_id, events.visit_id, events);
    if (row.expires_at != events.expires_at) {
      Differs(row, "expiry", row.expires_at, events.expires_at, events);
    }
    if (!events.secret_sha256) return;  // before invite hashes: visit and expiry only
    if (row.secret_sha256 != *events.secret_sha256) {
      Differs(row, "secret hash", row.secret_sha256, *events.secret_sha256, events);
    }
    if (row.created_at != events.created_at.value_or("")) {
      Differs(row, "creation time", row.created_at, events.created_at.value_or("none"), events);
    }
  }

  void CheckRevoked(const Invite& row, const InviteEvents& events) {
    if (events.revoked_again_seq != 0) {
      findings_.Add(Describe(row) + " has more than one invite.revoked event (audit events " +
                    std::to_string(events.revoked_seq) + " and " +
                    std::to_string(events.revoked_again_seq) + "); expected one");
    }
    if (events.revoked_seq == 0) {
      if (!row.revoked_at.empty()) {
        findings_.Add(Describe(row) + " is revoked at " + row.revoked_at +
                      " in the invites table, but no invite.revoked event in the audit log "
                      "records its revocation");
      }
      return;
    }
    std::string event = Event(events.revoked_seq, kInviteRevokedAction);
    if (row.revoked_at.empty()) {
      findings_.Add(Describe(row) + " was revoked by " + event +
                    ", but the invites table has it usable: it has been un-revoked");
    } else if (events.revoked_at && *events.revoked_at != row.revoked_at) {
      findings_.Add(Describe(row) + ": its revocation time is " + row.revoked_at +
                    " in the invites table, but " + event + " anchors " + *events.revoked_at);
    }
  }

  // Removing a live invite's row hides a link the chain says still opens
  // the visit; a revoked or expired one's row is housekeeping.
  void CheckWithoutRow(const std::string& id, const InviteEvents& events, const std::string& now) {
    if (events.revoked_seq != 0 || events.created_seq == 0 || events.expires_at <= now) return;
    findings_.Add("invite " + id + " (visit " + events.visit_id + ", " +
                  Event(events.created_seq, kInviteCreatedAction) + ", expires " +
                  events.expires_at +
                  ") is missing from the invites table, and no invite.revoked event records its "
                  "revocation: a live invite's row was deleted");
  }

  Store& store_;
  Findings& findings_;
  std::int64_t next_seq_ = 1;
  std::map<std::string, InviteEvents> events_;
};

}  // namespace

TokenCheck CheckTokens(Store& store, Findings& findings) {
  return TokenChecker(store, findings).Run();
}

InviteCheck CheckInvites(Store& store, Findings& findings) {
  return InviteChecker(store, findings).Run();
}

}  // namespace consentkit
