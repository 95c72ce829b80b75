// The wall around libharu's internals (src/pdf/haru_internals.h): no file
// of src/ but src/pdf/haru_internals.cc includes a private libharu header,
// reads or writes a libharu struct member, or calls what needs one.
// Reads the source tree; builds nothing.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/support.h"

namespace consentkit {
namespace {

namespace fs = std::filesystem;

constexpr char kWall[] = "src/pdf/haru_internals.cc";

struct Rule {
  std::regex pattern;
  const char* what;
};

// Anyone may include hpdf.h; its private headers belong to the wall.
const Rule kPrivateHeader{std::regex(R"(#\s*include\s*[<"]hpdf_\w+\.h[>"])"),
                          "includes a private libharu header"};

// In files that use libharu at all. (hpdf.h reaches all of these, so the
// compiler cannot keep them out; this test does.)
const std::vector<Rule>& InternalsRules() {
  static const std::vector<Rule> rules = {
      {std::regex(R"(->\s*(entries|write_fn|before_write_fn|after_write_fn|free_fn|attr|stream|)"
                  R"(filter|mmgr|catalog|xref|obj_id|obj_class|header|contents|value)\b)"),
       "reads or writes a libharu struct member"},
      {std::regex(R"(\.\s*header\s*\.)"), "reads or writes a libharu object header"},
      {std::regex(R"(\bHPDF_(OTYPE|OCLASS|OSUBCLASS|STREAM_FILTER)_\w+)"),
       "uses libharu's private object flags"},
      {std::regex(R"(\bHPDF_(MMgr|Xref|XrefEntry|List|PageAttr|Obj_Header)\b)"),
       "names a libharu internal type"},
      {std::regex(R"(\bHPDF_(Xref|Stream|MemStream|List)_\w+)"),
       "calls a libharu xref, stream or list function"},
      {std::regex(
           R"(\bHPDF_(Dict|Array|DictStream|String|Binary|Number|Real|Name|Boolean|Null|Box_Array)_New\b)"),
       "makes a libharu object from its memory pool"},
      {std::regex(R"(\bHPDF_Page_GetLocalFontName\b)"), "calls a private libharu page function"},
  };
  return rules;
}

// `text` without its // comments, which may name what they do not use.
std::string WithoutComments(const std::string& line) {
  std::size_t comment = line.find("//");
  return comment == std::string::npos ? line : line.substr(0, comment);
}

bool UsesLibharu(const std::string& text) {
  return text.find("HPDF_") != std::string::npos || text.find("hpdf") != std::string::npos;
}

// "path:line: <what>: <code>" for each breach of the wall in `text`.
std::vector<std::string> Breaches(const std::string& path, const std::string& text) {
  std::vector<std::string> found;
  if (path == kWall) return found;
  const bool haru = UsesLibharu(text);
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    std::string code = WithoutComments(line);
    auto check = [&](const Rule& rule) {
      if (std::regex_search(code, rule.pattern)) {
        found.push_back(path + ":" + std::to_string(number) + ": " + rule.what + ": " + line);
      }
    };
    check(kPrivateHeader);
    if (!haru) continue;
    for (const Rule& rule : InternalsRules()) check(rule);
  }
  return found;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "OK", or what Breaches found in `text` (for the cases on the rules).
std::string MatchBreach(const std::string& text) {
  std::vector<std::string> found = Breaches("src/pdf/example.cc", text);
  return found.empty() ? "OK" : found.front();
}

TEST_CASE("NoFileButTheWallTouchesLibharuInternals") {
  const fs::path root = test::SourcePath("");
  int files = 0, haru_files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root / "src")) {
    if (!entry.is_regular_file()) continue;
    const std::string ext = entry.path().extension().string();
    if (ext != ".h" && ext != ".cc") continue;
    const std::string path = fs::relative(entry.path(), root).generic_string();
    const std::string text = ReadAll(entry.path());
    ++files;
    if (UsesLibharu(text)) ++haru_files;
    for (const std::string& breach : Breaches(path, text)) {
      FAIL_CHECK(breach, "\n  only ", kWall,
                 " may; add a named operation to src/pdf/haru_internals.h and call that");
    }
  }
  // A wrong root would find nothing and pass: make sure the tree was read.
  CHECK(files > 50);
  CHECK(haru_files >= 8);
  CHECK(fs::exists(root / kWall));
}

TEST_CASE("PrivateHeaderIncludeIsABreach") {
  CHECK(MatchBreach("#include <hpdf_pages.h>\n") ==
        "src/pdf/example.cc:1: includes a private libharu header: #include <hpdf_pages.h>");
  CHECK(MatchBreach("#include \"hpdf_objects.h\"\n") != "OK");
  CHECK(MatchBreach("#include <hpdf.h>\n") == "OK");
}

TEST_CASE("StructMemberIsABreach") {
  CHECK(MatchBreach("HPDF_Page p;\nauto s = page->attr;\n") ==
        "src/pdf/example.cc:2: reads or writes a libharu struct member: auto s = page->attr;");
  CHECK(MatchBreach("HPDF_Dict d; d->write_fn = nullptr;") != "OK");
  CHECK(MatchBreach("HPDF_Doc d; HPDF_List l = d->xref -> entries;") != "OK");
  CHECK(MatchBreach("HPDF_Number n; n->header.obj_id |= HPDF_OTYPE_HIDDEN;") != "OK");
}

TEST_CASE("MemoryPoolAndStreamCallsAreBreaches") {
  CHECK(MatchBreach("HPDF_Dict d = HPDF_Dict_New(mmgr);") != "OK");
  CHECK(MatchBreach("HPDF_Stream_WriteStr(s, \"x\");") != "OK");
  CHECK(MatchBreach("HPDF_Page_GetLocalFontName(page, font);") != "OK");
  CHECK(MatchBreach("HPDF_Dict_AddName(dict, \"Type\", \"Font\");") == "OK");
}

TEST_CASE("CommentsAndCodeWithoutLibharuAreNotBreaches") {
  CHECK(MatchBreach("HPDF_Page p;  // libharu's page->attr->stream\n") == "OK");
  CHECK(MatchBreach("return value->value.asn1_string;  // OpenSSL\n") == "OK");
}

}  // namespace
}  // namespace consentkit
