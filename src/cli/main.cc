// A thin main: dispatch to a subcommand, report errors on one line.
#include <csignal>
#include <exception>
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  using consentkit::kExitError;
  using consentkit::kExitUsage;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << consentkit::MainHelp();
    return kExitUsage;
  }
  // Past a file-size limit (ulimit -f) a write must fail with EFBIG, which
  // SQLite and the file writers report, not end the process mid-commit.
  signal(SIGXFSZ, SIG_IGN);
  std::string command = args.front();
  args.erase(args.begin());
  try {
    return consentkit::RunCommand(command, args);
  } catch (const consentkit::UsageError& e) {
    std::cerr << "consentkit " << e.command() << ": " << e.what() << "\n"
              << "Try 'consentkit " << e.command() << " --help'.\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "consentkit " << command << ": " << e.what() << "\n";
    return kExitError;
  }
}
