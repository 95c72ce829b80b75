#include "support/support.h"

#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <stdexcept>

#include "util/util.h"

namespace consentkit::test {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

CommandResult Run(const std::string& command, const std::string& input) {
  TempDir scratch;
  std::string in = scratch.Write("stdin", input);
  std::string full = "(" + command + ") <" + ShellQuote(in) + " >" +
                     ShellQuote(scratch.File("stdout")) + " 2>" +
                     ShellQuote(scratch.File("stderr"));
  int status = std::system(full.c_str());
  CommandResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadFile(scratch.File("stdout"));
  result.err = ReadFile(scratch.File("stderr"));
  return result;
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base && *base ? base : "/tmp") + "/consentkit-test-XXXXXX";
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed for " + pattern);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::string command =
      "chmod -R u+w " + ShellQuote(path_) + " 2>/dev/null; rm -rf " + ShellQuote(path_);
  if (std::system(command.c_str()) != 0)
    std::fprintf(stderr, "could not remove %s\n", path_.c_str());
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  std::string path = File(name);
  WriteFileAtomically(path, content);
  return path;
}

std::string SourcePath(const std::string& relative) {
  return std::string(CK_SOURCE_DIR) + "/" + relative;
}

int CountOf(const std::string& haystack, const std::string& needle) {
  int count = 0;
  for (auto at = haystack.find(needle); at != std::string::npos;
       at = haystack.find(needle, at + needle.size())) {
    ++count;
  }
  return count;
}

std::string PdfText(const std::string& path, const std::string& flags) {
  auto result = Run("pdftotext " + flags + " " + ShellQuote(path) + " -");
  REQUIRE(result.exit_code == 0);
  CHECK_MESSAGE(result.err.empty(), "pdftotext warned: " << result.err);
  return result.out;
}

int PdfPageCount(const std::string& path) {
  auto result = Run("pdfinfo " + ShellQuote(path));
  REQUIRE(result.exit_code == 0);
  std::smatch m;
  REQUIRE(std::regex_search(result.out, m, std::regex("Pages:\\s+(\\d+)")));
  return std::stoi(m[1]);
}

}  // namespace consentkit::test
