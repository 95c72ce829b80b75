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

TEST_CASE("DecodeUtf8AtWalksAnyBytes") {
  const std::string text = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
  std::size_t at = 0;
  char32_t code = 0;
  std::u32string walked;
  while (at < text.size()) {
    CHECK(DecodeUtf8At(text, at, code));
    walked += code;
  }
  CHECK(walked == U"a\u00E9\u20AC\U0001F600");
  std::u32string whole;
  CHECK(DecodeUtf8(text, whole));
  CHECK(whole == walked);

  // What DecodeUtf8 refuses is U+FFFD, one sequence's length on.
  struct Bad {
    std::string bytes;
    std::size_t advance;
  };
  for (const Bad& bad :
       {Bad{"\x80z", 1}, Bad{"\xC0\xAFz", 2}, Bad{"\xE9 Cz", 3}, Bad{"\xED\xA0\x80z", 3},
        Bad{"\xF4\x90\x80\x80z", 4}, Bad{"\xFFzzzz", 4}}) {
    at = 0;
    CHECK_FALSE(DecodeUtf8At(bad.bytes, at, code));
    CHECK(code == 0xFFFD);
    CHECK(at == bad.advance);
    CHECK_FALSE(DecodeUtf8(bad.bytes, whole));
  }
  at = 0;  // cut short: never past the end
  CHECK_FALSE(DecodeUtf8At("\xE2\x82", at, code));
  CHECK(at == 2);
  CHECK_FALSE(DecodeUtf8("ab\xE2\x82", whole));
  CHECK(whole == U"ab");
}

// As util.h says: FileError naming the path and the reason. A folder once
// read as an empty file.
TEST_CASE("ReadFileThrowsFileErrorForWhatItCannotRead") {
  test::TempDir dir;
  CHECK(ReadFile(dir.Write("a.bin", std::string("x\0y", 3))) == std::string("x\0y", 3));
  const std::string missing = "cannot read " + dir.File("missing") + ": No such file or directory";
  CHECK_THROWS_WITH_AS(ReadFile(dir.File("missing")), missing.c_str(), FileError);
  const std::string folder = "cannot read " + dir.path() + ": Is a directory";
  CHECK_THROWS_WITH_AS(ReadFile(dir.path()), folder.c_str(), FileError);
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
  CheckOneHome("0123456789ABCDEF\"", {});
  CheckOneHome("\"%02x\"", {});
  CheckOneHome("\"%04X\"", {});
  CheckOneHome("lead >= 0xE0 ? 3", {});  // a UTF-8 decoder's sequence lengths
  CheckOneHome("%Y-%m-%dT%H:%M:%SZ", {});
  CheckOneHome("std::string DirectoryOf(", {});
}

}  // namespace
}  // namespace consentkit
