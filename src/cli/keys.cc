// consentkit keys init: a self-signed sealing certificate for trying it out.
#include <iostream>

#include "cli/cli.h"
#include "cli/commands.h"
#include "config/config.h"
#include "seal/seal.h"

namespace consentkit {
namespace {

const char kKeysHelp[] =
    "usage: consentkit keys init --data DIR [--config FILE]\n"
    "\n"
    "Makes a new ECDSA P-256 key and a self-signed certificate for sealing\n"
    "submission PDFs: DIR/seal-key.pem (mode 600) and DIR/seal-cert.pem, named\n"
    "after the clinic in --config. Never replaces existing files. For real\n"
    "records, name the clinic's own certificate (with its chain) and key in the\n"
    "[seal] section of the configuration instead (RSA or EC); `consentkit serve`\n"
    "makes this pair itself on first start when there is neither.\n";

}  // namespace

int Keys(const std::vector<std::string>& args) {
  if (WantsHelp(args) || args.empty()) {
    std::cout << kKeysHelp;
    return args.empty() ? kExitUsage : kExitOk;
  }
  if (args.front() != "init")
    throw UsageError("keys", "unknown action \"" + args.front() + "\"; expected init");
  std::string data, config;
  for (std::size_t i = 1; i < args.size(); ++i) {
    std::string* target = args[i] == "--data" ? &data : args[i] == "--config" ? &config : nullptr;
    if (!target) throw UsageError("keys", "unknown argument " + args[i]);
    if (i + 1 >= args.size()) throw UsageError("keys", args[i] + " needs a value");
    *target = args[++i];
  }
  if (data.empty()) throw UsageError("keys", "no data folder given (--data DIR)");
  std::string clinic = config.empty() ? "consentkit" : LoadSettings(config).clinic.name;
  CreateSelfSignedIdentity(data, clinic);
  SigningIdentity identity =
      SigningIdentity::Load(data + "/" + kSealCertFile, data + "/" + kSealKeyFile);
  std::cout << "wrote " << data << "/" << kSealKeyFile << " (mode 600) and " << data << "/"
            << kSealCertFile << "\n"
            << "certificate: CN=" << identity.common_name() << ", sha256 "
            << identity.fingerprint_sha256() << "\n";
  return kExitOk;
}

}  // namespace consentkit
