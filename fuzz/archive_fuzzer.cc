// Offline verification of an exported archive (archive/archive.h:
// VerifyArchive) on arbitrary bytes written to a file: the zip's raw end
// record and central directory, its entry names, the manifest's signature,
// the audit slice and every record. A malformed zip is a problem in the
// report, never an exception, and a report is consistent (ok exactly when
// it found no problem, at most kMaxProblems kept).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "archive/archive.h"
#include "fuzz_check.h"

namespace consentkit {
namespace {

// One file per process, rewritten for each input (verify reads a path).
const std::string& ArchivePath() {
  static const std::string path = [] {
    const char* tmp = std::getenv("TMPDIR");
    return std::string(tmp && *tmp ? tmp : "/tmp") + "/consentkit-archive-fuzz-" +
           std::to_string(getpid()) + ".zip";
  }();
  return path;
}

void WriteArchive(const std::uint8_t* data, std::size_t size) {
  std::FILE* out = std::fopen(ArchivePath().c_str(), "wb");
  CK_FUZZ_CHECK(out != nullptr, "create " + ArchivePath());
  CK_FUZZ_CHECK(std::fwrite(data, 1, size, out) == size, "write " + ArchivePath());
  CK_FUZZ_CHECK(std::fclose(out) == 0, "close " + ArchivePath());
}

}  // namespace
}  // namespace consentkit

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace consentkit;
  WriteArchive(data, size);
  VerifyReport report = VerifyArchive(ArchivePath(), "");
  std::remove(ArchivePath().c_str());
  CK_FUZZ_CHECK(report.ok == (report.problem_count == 0), "ok exactly when no problem");
  CK_FUZZ_CHECK(report.ok == report.first_problem.empty(), "a failed report names its problem");
  CK_FUZZ_CHECK(report.problems.size() <= VerifyReport::kMaxProblems &&
                    report.problems.size() <= report.problem_count,
                "problems kept are capped and counted");
  CK_FUZZ_CHECK(!report.summary.empty(), "a report has a summary");
  return 0;
}
