// The consentkit command line: git-style subcommands, each with --help.
#ifndef CONSENTKIT_CLI_CLI_H_
#define CONSENTKIT_CLI_CLI_H_

#include <stdexcept>
#include <string>
#include <vector>

namespace consentkit {

// Exit codes, as in qpdf: usage errors are told apart from failed work.
constexpr int kExitOk = 0;
constexpr int kExitError = 1;  // bad input or a failure; nothing was written
constexpr int kExitUsage = 2;  // the command line itself is wrong

// Thrown for a malformed command line; main prints it with a pointer to --help.
class UsageError : public std::runtime_error {
 public:
  UsageError(const std::string& command, const std::string& message)
      : std::runtime_error(message), command_(command) {}
  const std::string& command() const { return command_; }

 private:
  std::string command_;
};

// Runs one subcommand; `args` excludes the program and subcommand names.
// Returns an exit code; throws UsageError, and lets other exceptions escape
// for main to report.
int RunCommand(const std::string& command, const std::vector<std::string>& args);
// The top-level help text.
std::string MainHelp();

}  // namespace consentkit

#endif  // CONSENTKIT_CLI_CLI_H_
