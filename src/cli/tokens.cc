// consentkit tokens: create, list and revoke API tokens in a data folder.
#include <iomanip>
#include <iostream>

#include "auth/auth.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "seal/seal.h"
#include "store/store.h"

namespace consentkit {
namespace {

const char kTokensHelp[] =
    "usage: consentkit tokens create --data DIR --role tablet|staff|practitioner|compliance "
    "--name NAME\n"
    "       consentkit tokens list --data DIR\n"
    "       consentkit tokens revoke --data DIR TOKEN_ID\n"
    "\n"
    "API tokens for `consentkit serve`. Requests send them as\n"
    "`Authorization: Bearer <token>`; a browser signs in once at /pair.\n"
    "The secret is printed once, when it is created; only its SHA-256 is kept.\n"
    "\n"
    "Roles:\n"
    "  tablet        load forms and submit them; a kiosk for handed-over visits\n"
    "  staff         also visits, invites, the staff desk, records and their PDFs\n"
    "  practitioner  what staff may, and review and countersign (the name is\n"
    "                printed on the countersignature: use the person's own name)\n"
    "  compliance    what staff may, and export archives and read the audit log\n";

struct TokensArgs {
  std::string data, role, name;
  std::vector<std::string> rest;
};

TokensArgs ParseTokensArgs(const std::vector<std::string>& args) {
  TokensArgs parsed;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string* target = a == "--data"   ? &parsed.data
                          : a == "--role" ? &parsed.role
                          : a == "--name" ? &parsed.name
                                          : nullptr;
    if (!target && !a.empty() && a[0] == '-') throw UsageError("tokens", "unknown option " + a);
    if (!target) {
      parsed.rest.push_back(a);
      continue;
    }
    if (i + 1 >= args.size()) throw UsageError("tokens", a + " needs a value");
    *target = args[++i];
  }
  if (parsed.data.empty()) throw UsageError("tokens", "no data folder given (--data DIR)");
  return parsed;
}

int Create(Store& store, const TokensArgs& args) {
  std::optional<Role> role = ParseRole(args.role);
  if (!role) {
    throw UsageError("tokens", "--role \"" + args.role + "\" is not " + kRoleNames);
  }
  if (args.name.empty()) throw UsageError("tokens", "no name given (--name NAME)");
  // The name of a person's token is printed on records: a practitioner's
  // on each countersignature, staff's where they unlocked a witness step.
  if (*role != Role::kTablet && !CountersignStampCanPrint(args.name)) {
    throw UsageError("tokens", "--name \"" + args.name +
                                   "\" cannot be printed on the records it signs or unlocks; "
                                   "expected Latin letters, digits and punctuation");
  }
  NewToken made = MakeToken(*role, args.name);
  store.AddToken(made.token, "cli");
  std::cout << "created " << made.token.id << " (" << ToString(*role) << ", \"" << args.name
            << "\")\n"
            << "secret, shown only now; keep it somewhere safe:\n  " << made.secret << "\n"
            << "to sign in a browser, open http://<server>/pair and paste it\n";
  return kExitOk;
}

int List(Store& store) {
  std::vector<Token> tokens = store.Tokens();
  if (tokens.empty()) {
    std::cout << "no tokens yet; make one with `consentkit tokens create`\n";
    return kExitOk;
  }
  std::cout << std::left << std::setw(18) << "ID" << std::setw(12) << "ROLE" << std::setw(22)
            << "CREATED" << std::setw(22) << "REVOKED"
            << "NAME\n";
  for (const Token& t : tokens) {
    std::cout << std::setw(18) << t.id << std::setw(12) << ToString(t.role) << std::setw(22)
              << t.created_at << std::setw(22) << (t.revoked_at.empty() ? "-" : t.revoked_at)
              << t.name << "\n";
  }
  return kExitOk;
}

int Revoke(Store& store, const TokensArgs& args) {
  if (args.rest.size() != 1) throw UsageError("tokens", "revoke takes one token id");
  const std::string& id = args.rest.front();
  if (!store.RevokeToken(id, "cli")) {
    std::cerr << "consentkit tokens: no valid token " << id << " (see `consentkit tokens list`)\n";
    return kExitError;
  }
  std::cout << "revoked " << id << "\n";
  return kExitOk;
}

}  // namespace

int Tokens(const std::vector<std::string>& args) {
  if (WantsHelp(args) || args.empty()) {
    std::cout << kTokensHelp;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string& action = args.front();
  if (action != "create" && action != "list" && action != "revoke") {
    throw UsageError("tokens",
                     "unknown action \"" + action + "\"; expected create, list or revoke");
  }
  TokensArgs parsed = ParseTokensArgs(args);
  if (action != "revoke" && !parsed.rest.empty()) {
    throw UsageError("tokens", "unexpected argument " + parsed.rest.front());
  }
  std::unique_ptr<Store> store = OpenSqliteStore(parsed.data);
  if (action == "list") return List(*store);
  int status = action == "create" ? Create(*store, parsed) : Revoke(*store, parsed);
  SignCheckpointWithFolderKey(*store, parsed.data);
  return status;
}

}  // namespace consentkit
