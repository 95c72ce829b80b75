// Helpers shared by the test suites: temporary folders, running commands
// and locating the source tree.
#ifndef CONSENTKIT_TESTS_SUPPORT_SUPPORT_H_
#define CONSENTKIT_TESTS_SUPPORT_SUPPORT_H_

#include <string>

namespace consentkit::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `command` through /bin/sh, feeding it `input` on stdin.
CommandResult Run(const std::string& command, const std::string& input = "");

// Quotes `s` for /bin/sh.
std::string ShellQuote(const std::string& s);

// A fresh folder under $TMPDIR, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // path()/name
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // Writes `content` to path()/name and returns that path.
  std::string Write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

// Absolute path of a file in the source tree, e.g. SourcePath("forms").
std::string SourcePath(const std::string& relative);

// Number of non-overlapping occurrences of `needle` in `haystack`.
int CountOf(const std::string& haystack, const std::string& needle);

// The text poppler's pdftotext reads from the PDF at `path` (with `flags`,
// e.g. "-layout"); a failure or any warning fails the test.
std::string PdfText(const std::string& path, const std::string& flags = "");
// The page count pdfinfo reports for the PDF at `path`.
int PdfPageCount(const std::string& path);

}  // namespace consentkit::test

#endif  // CONSENTKIT_TESTS_SUPPORT_SUPPORT_H_
