// The text helpers every module shares, and that each has one home.
#include "util/util.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <set>

#include "support/support.h"

namespace consentkit {
namespace {

TEST_CASE("HexEncodeWritesTwoDigitsPerByte") {
  CHECK(HexEncode("") == "");
  CHECK(HexEncode(std::string("\x00\x0f\xa5\xff", 4)) == "000fa5ff");
  CHECK(HexEncode(std::string("\x00\x0f\xa5\xff", 4), HexCase::kUpper) == "000FA5FF");
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(RandomHex(8).size() == 16);
}

TEST_CASE("DirectoryOfAPath") {
  CHECK(DirectoryOf("data/records/a.pdf") == "data/records");
  CHECK(DirectoryOf("/a.pdf") == "/");
  CHECK(DirectoryOf("a.pdf") == ".");
}

TEST_CASE("UtcTimeTextIsIso8601ToTheSecond") {
  CHECK(UtcTimeText(0) == "1970-01-01T00:00:00Z");
  CHECK(UtcTimeText(1795428902) == "2026-11-23T10:15:02Z");
  CHECK(UtcNow().size() == 20);
}

// Each of these helpers once had copies across src/; a new copy would
// drift from the one the tests pin down. `pending` lists copies in code
// owned by work in progress elsewhere, to be moved over next.
void CheckOneHome(const std::string& needle, const std::set<std::string>& pending) {
  const std::string src = test::SourcePath("src");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(src)) {
    std::string path = entry.path().string().substr(src.size() - 3);  // "src/..."
    if (!entry.is_regular_file() || path.rfind("src/util/", 0) == 0 || pending.count(path)) {
      continue;
    }
    CHECK_MESSAGE(ReadFile(entry.path().string()).find(needle) == std::string::npos,
                  path << " has its own copy of " << needle << "; use util/util.h");
  }
}

TEST_CASE("EachSharedHelperHasOneHome") {
  CheckOneHome("0123456789abcdef\"", {});
  CheckOneHome("0123456789ABCDEF\"", {"src/pdf/font.cc", "src/pdf/print_copy.cc"});
  CheckOneHome("\"%02x\"", {});
  CheckOneHome("%Y-%m-%dT%H:%M:%SZ", {});
  CheckOneHome("std::string DirectoryOf(", {});
}

}  // namespace
}  // namespace consentkit
