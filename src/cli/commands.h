// Private to the CLI: one function per subcommand, shared option helpers.
#ifndef CONSENTKIT_CLI_COMMANDS_H_
#define CONSENTKIT_CLI_COMMANDS_H_

#include <string>
#include <vector>

namespace consentkit {

bool WantsHelp(const std::vector<std::string>& args);
int Serve(const std::vector<std::string>& args);
int Tokens(const std::vector<std::string>& args);
int Keys(const std::vector<std::string>& args);
int Visits(const std::vector<std::string>& args);
int Export(const std::vector<std::string>& args);
int Verify(const std::vector<std::string>& args);
int SignCheckpointCommand(const std::vector<std::string>& args);

class Store;
// After a command wrote to the audit chain: signs a checkpoint with the data
// folder's own seal-cert.pem and seal-key.pem when both are there (a clinic
// with its certificate elsewhere gets one at the server's next start).
// Returns whether it signed. Throws StoreError or SealError.
bool SignCheckpointWithFolderKey(Store& store, const std::string& data_dir);

}  // namespace consentkit

#endif  // CONSENTKIT_CLI_COMMANDS_H_
