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

}  // namespace consentkit

#endif  // CONSENTKIT_CLI_COMMANDS_H_
