// consentkit checkpoint, and the checkpoint every command that writes to
// the audit chain signs before it exits (see service/checkpoints.h).
#include <unistd.h>

#include <iostream>

#include "cli/cli.h"
#include "cli/commands.h"
#include "seal/seal.h"
#include "service/checkpoints.h"
#include "store/store.h"
#include "util/util.h"

namespace consentkit {
namespace {

const char kCheckpointHelp[] =
    "usage: consentkit checkpoint --data DIR [--cert FILE --key FILE]\n"
    "\n"
    "Signs a checkpoint of the audit chain as it ends now with the clinic's\n"
    "sealing key, stores it, and prints it as seq=N last_hash=HEX at=TIME.\n"
    "Keep that line somewhere the data folder's holders cannot change (a\n"
    "printed daily report, a log on another machine); later,\n"
    "`consentkit verify DIR --expect-last-hash HEX` proves nothing up to it\n"
    "was altered or removed. The server signs checkpoints by itself too\n"
    "([audit] in the configuration).\n"
    "\n"
    "  --cert FILE, --key FILE   the sealing certificate and key (default:\n"
    "                            DIR/seal-cert.pem and DIR/seal-key.pem)\n";

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

}  // namespace

bool SignCheckpointWithFolderKey(Store& store, const std::string& data_dir) {
  std::string cert = data_dir + "/" + kSealCertFile, key = data_dir + "/" + kSealKeyFile;
  if (!Exists(cert) || !Exists(key)) return false;
  SignCheckpoint(store, SigningIdentity::Load(cert, key), UtcNow());
  return true;
}

int SignCheckpointCommand(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << kCheckpointHelp;
    return kExitOk;
  }
  std::string data, cert, key;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string* target = a == "--data"   ? &data
                          : a == "--cert" ? &cert
                          : a == "--key"  ? &key
                                          : nullptr;
    if (!target) throw UsageError("checkpoint", "unexpected argument " + a);
    if (i + 1 >= args.size()) throw UsageError("checkpoint", a + " needs a value");
    *target = args[++i];
  }
  if (data.empty()) throw UsageError("checkpoint", "no data folder given (--data DIR)");
  if (cert.empty() != key.empty()) {
    throw UsageError("checkpoint", "--cert and --key go together");
  }
  if (cert.empty()) {
    cert = data + "/" + kSealCertFile;
    key = data + "/" + kSealKeyFile;
  }
  SigningIdentity identity = SigningIdentity::Load(cert, key);
  std::unique_ptr<Store> store = OpenSqliteStore(data);
  std::cout << CheckpointLine(SignCheckpoint(*store, identity, UtcNow())) << "\n";
  return kExitOk;
}

}  // namespace consentkit
