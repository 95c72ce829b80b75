// The consentkit binary as a user meets it: exit codes, messages, and no
// partial output files.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

using test::Run;
using test::ShellQuote;

std::string Consentkit(const std::string& args) { return std::string(CK_BINARY) + " " + args; }

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

std::string Forms() {
  return ShellQuote(test::SourcePath("forms/microneedling-consent.xml")) + " " +
         ShellQuote(test::SourcePath("forms/microneedling-intake.xml")) + " " +
         ShellQuote(test::SourcePath("forms/microneedling-aftercare.xml"));
}

TEST_CASE("EverySubcommandHasHelp") {
  for (const char* command : {"validate", "render", "packet", "visits"}) {
    auto result = Run(Consentkit(std::string(command) + " --help"));
    CHECK(result.exit_code == 0);
    CHECK(result.out.find(std::string("usage: consentkit ") + command) == 0);
  }
  auto top = Run(Consentkit("--help"));
  CHECK(top.exit_code == 0);
  CHECK(top.out.find("Commands:") != std::string::npos);
}

TEST_CASE("UnknownCommandIsAUsageError") {
  auto result = Run(Consentkit("frobnicate"));
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("consentkit: unknown command 'frobnicate'") == 0);
}

TEST_CASE("UnknownOptionIsAUsageError") {
  auto result = Run(Consentkit("packet --colour " + Forms() + " -o x.pdf"));
  CHECK(result.exit_code == 2);
  CHECK(result.err ==
        "consentkit packet: unknown option --colour\nTry 'consentkit packet --help'.\n");
}

TEST_CASE("ValidateAcceptsShippedForms") {
  auto result = Run(Consentkit("validate " + Forms()));
  CHECK(result.exit_code == 0);
  CHECK(result.out.empty());
  CHECK(result.err.empty());
}

TEST_CASE("ValidateReportsEveryProblemOnePerLine") {
  test::TempDir dir;
  std::string bad = dir.Write("bad.xml",
                              "<form id=\"x\" version=\"1\" kind=\"consent\" lang=\"en\">\n"
                              "  <title></title>\n</form>\n");
  std::string broken = dir.Write("broken.xml", "<form>\n<title>x</titel>\n</form>\n");
  auto result = Run(Consentkit("validate " + ShellQuote(bad) + " " + ShellQuote(broken)));
  CHECK(result.exit_code == 1);
  CHECK(result.err == bad + ":2:3: <title>: empty text in <title>; expected some text\n" + bad +
                          ":1:1: <form id=\"x\">: form has no sections; expected at least one "
                          "<section>\n" +
                          bad +
                          ":1:1: <form id=\"x\">: consent form has no risks; expected at least one "
                          "<risk> in a <section kind=\"risks\">\n" +
                          bad +
                          ":1:1: <form id=\"x\">: consent form has no patient signature; expected "
                          "a <field type=\"signature\" role=\"patient\">\n" +
                          broken +
                          ":2:1: malformed XML: a closing tag does not match its opening tag; "
                          "expected well-formed XML (every tag closed, attributes quoted, & "
                          "written as &amp;)\n");
}

TEST_CASE("PacketWritesAPdfAndSaysWhere") {
  test::TempDir dir;
  std::string out = dir.File("packet.pdf");
  auto result = Run(Consentkit("packet " + Forms() + " -o " + ShellQuote(out) + " --config " +
                               ShellQuote(test::SourcePath("samples/consentkit.conf"))));
  CHECK(result.exit_code == 0);
  CHECK(result.out.find("wrote " + out) == 0);
  CHECK(ReadFile(out).substr(0, 5) == "%PDF-");
}

TEST_CASE("InvalidFormWritesNothing") {
  test::TempDir dir;
  std::string bad = dir.Write("bad.xml", "<form");
  std::string out = dir.File("out.pdf");
  auto result = Run(Consentkit("render " + ShellQuote(bad) + " -o " + ShellQuote(out)));
  CHECK(result.exit_code == 1);
  CHECK(result.err.find(bad + ":1:1: malformed XML") == 0);
  CHECK_FALSE(Exists(out));
}

TEST_CASE("UnwritableOutputIsOneClearLineAndNoFile") {
  test::TempDir dir;
  std::string out = dir.File("missing-folder/out.pdf");
  auto result = Run(Consentkit("packet " + Forms() + " -o " + ShellQuote(out)));
  CHECK(result.exit_code == 1);
  CHECK(result.err == "consentkit packet: cannot write " + out + ": No such file or directory\n");
  CHECK_FALSE(Exists(out));
}

TEST_CASE("FailedRenderKeepsThePreviousFile") {
  test::TempDir dir;
  std::string out = dir.Write("out.pdf", "previous");
  std::string config = dir.Write("c.conf", "[clinic]\nname = A\nlogo = nope.png\n");
  auto result = Run(Consentkit("packet " + Forms() + " -o " + ShellQuote(out) + " --config " +
                               ShellQuote(config)));
  CHECK(result.exit_code == 1);
  CHECK(result.err == "consentkit packet: cannot open image " + dir.File("nope.png") + "\n");
  CHECK(ReadFile(out) == "previous");
  auto leftovers = Run("ls -A " + ShellQuote(dir.path()));
  CHECK(leftovers.out == "c.conf\nout.pdf\n");
}

TEST_CASE("BadConfigNamesFileAndLine") {
  test::TempDir dir;
  std::string config = dir.Write("c.conf", "[clinic]\nname = A\npage-size = A5\n");
  auto result = Run(Consentkit("packet " + Forms() + " -o " + ShellQuote(dir.File("o.pdf")) +
                               " --config " + ShellQuote(config)));
  CHECK(result.exit_code == 1);
  CHECK(result.err ==
        "consentkit packet: " + config + ":3: invalid page-size \"A5\"; expected a4 or letter\n");
}

TEST_CASE("SameFormTwiceInAPacketIsRefused") {
  test::TempDir dir;
  std::string consent = ShellQuote(test::SourcePath("forms/microneedling-consent.xml"));
  auto result =
      Run(Consentkit("packet " + consent + " " + consent + " -o " + ShellQuote(dir.File("o.pdf"))));
  CHECK(result.exit_code == 1);
  std::string path = test::SourcePath("forms/microneedling-consent.xml");
  CHECK(result.err.find("form \"microneedling-consent\" is given twice (" + path + " and " + path +
                        ")") != std::string::npos);
}

TEST_CASE("RenderTakesExactlyOneForm") {
  auto result = Run(Consentkit("render " + Forms() + " -o x.pdf"));
  CHECK(result.exit_code == 2);
  CHECK(result.err.find("render takes one form") != std::string::npos);
}

TEST_CASE("VisitsCreateAndListFromTheTerminal") {
  test::TempDir data;
  std::string dir = ShellQuote(data.path());
  std::string forms = ShellQuote(test::SourcePath("forms"));
  auto made = Run(Consentkit("visits create --data " + dir + " --forms " + forms +
                             " --name 'Zoë Muñoz' --dob 1988-04-12 --number HV-1"));
  CHECK_MESSAGE(made.exit_code == 0, made.err);
  CHECK(made.out.rfind("vis_", 0) == 0);
  auto listed = Run(Consentkit("visits list --data " + dir));
  CHECK(listed.out.find(made.out.substr(0, 28)) != std::string::npos);
  CHECK(listed.out.find("Zoë Muñoz") != std::string::npos);
  auto bad = Run(Consentkit("visits create --data " + dir + " --forms " + forms +
                            " --name '' --dob 2999-01-01 --form nope"));
  CHECK(bad.exit_code == 1);
  CHECK(bad.err.find("consentkit visits: patient.name: is required") == 0);
  CHECK(bad.err.find("forms: no form \"nope\"") != std::string::npos);
  CHECK(Run(Consentkit("visits list --data " + dir + " --date 2026-13-01")).exit_code == 2);
}

TEST_CASE("NamesOfPeoplesTokensMustPrintOnTheirRecords") {
  test::TempDir data;
  for (const char* role : {"practitioner", "staff", "compliance"}) {
    CAPTURE(role);
    auto refused = Run(Consentkit("tokens create --data " + ShellQuote(data.path()) + " --role " +
                                  role + " --name 'Dr Łukasz Żółć'"));
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("cannot be printed on the records it signs or unlocks") !=
          std::string::npos);
    auto made = Run(Consentkit("tokens create --data " + ShellQuote(data.path()) + " --role " +
                               role + " --name 'Dr Zoë Müller'"));
    CHECK(made.exit_code == 0);
  }
  // A tablet's name is printed nowhere.
  CHECK(Run(Consentkit("tokens create --data " + ShellQuote(data.path()) +
                       " --role tablet --name '受付 iPad'"))
            .exit_code == 0);
}

}  // namespace
}  // namespace consentkit
