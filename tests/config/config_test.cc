#include "config/config.h"

#include <doctest/doctest.h>

#include "support/support.h"
#include "util/util.h"

namespace consentkit {
namespace {

std::string ErrorOf(const std::string& text) {
  try {
    ParseSettings(text, "c.conf", "/etc/ck");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST_CASE("ReadsClinicSettings") {
  Settings s = ParseSettings(
      "# comment\n[clinic]\nname = Clínica Muñoz ; trailing comment\naddress = 1 Main St\n"
      "phone=555\nlogo = logo.png\npage-size = letter\n",
      "c.conf", "/etc/ck");
  CHECK(s.clinic.name == "Clínica Muñoz");
  CHECK(s.clinic.address == "1 Main St");
  CHECK(s.clinic.phone == "555");
  CHECK(s.clinic.logo_path == "/etc/ck/logo.png");
  CHECK(s.clinic.page_size == PageSize::kLetter);
}

TEST_CASE("SampleConfigLoads") {
  Settings s = LoadSettings(test::SourcePath("samples/consentkit.conf"));
  CHECK_FALSE(s.clinic.name.empty());
}

TEST_CASE("UnknownKey") {
  CHECK(ErrorOf("[clinic]\nname = A\ncolour = red\n") ==
        "c.conf:3: unknown key \"colour\" in [clinic]; expected one of address, date-order, "
        "language, logo, name, page-size, phone");
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\nname = B\n") ==
        "c.conf:4: unknown key \"name\" in [server]; expected one of access-log, bind, "
        "body-timeout, connections-per-address, data-dir, forms-dir, header-timeout, "
        "idle-timeout, invite-hours, keepalive-timeout, max-body, port, public-url, queue, "
        "request-timeout, threads, workers");
}

TEST_CASE("ConnectionLimitsAreReadAndBounded") {
  Settings s = ParseSettings(
      "[clinic]\nname = A\n[server]\nheader-timeout = 2\nbody-timeout = 45\n"
      "connections-per-address = 0\n",
      "c.conf", "/tmp");
  CHECK(s.server.header_timeout_s == 2);
  CHECK(s.server.body_timeout_s == 45);
  CHECK(s.server.connections_per_address == 0);  // no limit, behind a load balancer

  Settings defaults = ParseSettings("[clinic]\nname = A\n", "c.conf", "/tmp");
  CHECK(defaults.server.header_timeout_s == 5);
  CHECK(defaults.server.body_timeout_s == 30);
  CHECK(defaults.server.connections_per_address == 16);

  CHECK(ErrorOf("[clinic]\nname = A\n[server]\nheader-timeout = 0\n") ==
        "c.conf:4: invalid header-timeout \"0\"; expected a whole number from 1 to 600");
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\n\nbody-timeout = 3601\n") ==
        "c.conf:5: invalid body-timeout \"3601\"; expected a whole number from 1 to 3600");
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\nconnections-per-address = -1\n") ==
        "c.conf:4: invalid connections-per-address \"-1\"; expected a whole number from 0 to "
        "100000");
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\nheader-timeout = 5s\n").find("c.conf:4:") == 0);
}

TEST_CASE("InviteHoursAndIdleTimeoutAreReadAndBounded") {
  Settings s = ParseSettings("[clinic]\nname = A\n[server]\ninvite-hours = 24\nidle-timeout = 90\n",
                             "c.conf", "/tmp");
  CHECK(s.server.invite_hours == 24);
  CHECK(s.server.idle_timeout_s == 90);
  CHECK(ParseSettings("[clinic]\nname = A\n", "c.conf", "/tmp").server.invite_hours == 72);
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\ninvite-hours = 0\n").find("c.conf:4:") == 0);
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\nidle-timeout = 5\n").find("c.conf:4:") == 0);
}

TEST_CASE("AuditCheckpointsAreReadAndBounded") {
  Settings s =
      ParseSettings("[clinic]\nname = A\n[audit]\ncheckpoint-events = 50\ncheckpoint-minutes = 2\n",
                    "c.conf", "/tmp");
  CHECK(s.audit.checkpoint_events == 50);
  CHECK(s.audit.checkpoint_minutes == 2);
  Settings defaults = ParseSettings("[clinic]\nname = A\n", "c.conf", "/tmp");
  CHECK(defaults.audit.checkpoint_events == 1000);
  CHECK(defaults.audit.checkpoint_minutes == 5);
  CHECK(ErrorOf("[clinic]\nname = A\n[audit]\ncheckpoint-events = 0\n").find("c.conf:4:") == 0);
  CHECK(ErrorOf("[clinic]\nname = A\n[audit]\ncheckpoint-minutes = 1441\n").find("c.conf:4:") == 0);
  CHECK(ErrorOf("[clinic]\nname = A\n[audit]\nevery = 3\n").find("unknown key \"every\"") !=
        std::string::npos);
}

TEST_CASE("PublicUrlIsASchemeAndAHost") {
  auto url = [](const std::string& value) {
    return ParseSettings("[clinic]\nname = A\n[server]\npublic-url = " + value + "\n", "c.conf",
                         "/tmp")
        .server.public_url;
  };
  CHECK(url("https://forms.example-clinic.com/") == "https://forms.example-clinic.com");
  CHECK(url("http://10.0.0.5:8080") == "http://10.0.0.5:8080");
  CHECK(ParseSettings("[clinic]\nname = A\n", "c.conf", "/tmp").server.public_url.empty());
  for (const char* bad : {"forms.example.com", "https://", "https://a.example/forms",
                          "ftp://a.example", "https://a.example?x=1", "https://u@a.example"}) {
    CAPTURE(bad);
    CHECK(ErrorOf(std::string("[clinic]\nname = A\n[server]\npublic-url = ") + bad + "\n")
              .find("c.conf:4: invalid public-url") == 0);
  }
}

TEST_CASE("UnknownSection") {
  CHECK(ErrorOf("[clinik]\n") ==
        "c.conf:1: unknown section [clinik]; expected [clinic], [server], [seal] or [audit]");
}

TEST_CASE("ReadsServerSettings") {
  Settings s = ParseSettings(
      "[server]\nbind = 0.0.0.0\nport = 0\ndata-dir = ../data\nforms-dir = /srv/forms\n"
      "max-body = 512K\nthreads = 4\nqueue = 8\nworkers = 3\nrequest-timeout = 5\n"
      "keepalive-timeout = 2\n"
      "access-log = off\n[clinic]\nname = A\n",
      "c.conf", "/etc/ck");
  CHECK(s.server.bind == "0.0.0.0");
  CHECK(s.server.port == 0);
  CHECK(s.server.data_dir == "/etc/ck/../data");  // relative to the file
  CHECK(s.server.forms_dir == "/srv/forms");
  CHECK(s.server.max_body_bytes == 512 * 1024);
  CHECK(s.server.threads == 4);
  CHECK(s.server.queue == 8);
  CHECK(s.server.workers == 3);
  CHECK(s.server.request_timeout_s == 5);
  CHECK(s.server.keepalive_timeout_s == 2);
  CHECK_FALSE(s.server.access_log);
}

TEST_CASE("ServerDefaults") {
  Settings s = ParseSettings("[clinic]\nname = A\n", "c.conf", "/etc/ck");
  CHECK(s.server.bind == "127.0.0.1");
  CHECK(s.server.port == 8080);
  CHECK(s.server.max_body_bytes == 2 * 1024 * 1024);
  CHECK(s.server.threads == 64);
  CHECK(s.server.workers == 0);  // one per core
  CHECK(s.server.access_log);
}

TEST_CASE("BadServerValues") {
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\nport = 70000\n") ==
        "c.conf:4: invalid port \"70000\"; expected a whole number from 0 to 65535");
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\nthreads = 4x\n") ==
        "c.conf:4: invalid threads \"4x\"; expected a whole number from 1 to 256");
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\nworkers = -1\n") ==
        "c.conf:4: invalid workers \"-1\"; expected a whole number from 0 to 256");
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\nmax-body = 2G\n") ==
        "c.conf:4: invalid max-body \"2G\"; expected a size from 1K to 64M, such as 2M");
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\nmax-body = 100\n") ==
        "c.conf:4: invalid max-body \"100\"; expected a size from 1K to 64M, such as 2M");
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\naccess-log = yes\n") ==
        "c.conf:4: invalid access-log \"yes\"; expected stderr or off");
  CHECK(ErrorOf("[clinic]\nname = A\n[server]\ndata-dir =\n") ==
        "c.conf:4: an empty path; expected a file or folder path");
}

TEST_CASE("ReadsSealSettings") {
  Settings s = ParseSettings("[clinic]\nname = A\n[seal]\ncertificate = c.pem\nkey = /k/k.pem\n",
                             "c.conf", "/etc/ck");
  CHECK(s.seal.certificate_path == "/etc/ck/c.pem");
  CHECK(s.seal.key_path == "/k/k.pem");
  CHECK(ErrorOf("[clinic]\nname = A\n[seal]\ncertificate = c.pem\n") ==
        "c.conf:3: [seal] names only one of certificate and key; expected both, or neither");
}

TEST_CASE("BadPageSize") {
  CHECK(ErrorOf("[clinic]\nname = A\npage-size = A5\n") ==
        "c.conf:3: invalid page-size \"A5\"; expected a4 or letter");
}

TEST_CASE("DateOrderAndLanguageAreReadAndChecked") {
  Settings plain = ParseSettings("[clinic]\nname = A\n", "c.conf", "");
  CHECK_FALSE(plain.clinic.date_order.has_value());  // each language's own
  CHECK(plain.clinic.language == "en");
  Settings us =
      ParseSettings("[clinic]\nname = A\ndate-order = MDY\nlanguage = es-MX\n", "c.conf", "");
  CHECK(us.clinic.date_order == DateOrder::kMonthDayYear);
  CHECK(us.clinic.language == "es-MX");
  CHECK(ParseSettings("[clinic]\nname = A\ndate-order = DMY\n", "c.conf", "").clinic.date_order ==
        DateOrder::kDayMonthYear);
  CHECK(ErrorOf("[clinic]\nname = A\ndate-order = DD/MM/YYYY\n") ==
        "c.conf:3: invalid date-order \"DD/MM/YYYY\"; expected DMY, MDY or YMD");
  CHECK(ErrorOf("[clinic]\nname = A\n\ndate-order = mdy\n") ==
        "c.conf:4: invalid date-order \"mdy\"; expected DMY, MDY or YMD");
  for (const char* bad : {"e", "english", "es_MX", "-es", "es-", "1a"}) {
    CAPTURE(bad);
    CHECK(ErrorOf("[clinic]\nname = A\nlanguage = " + std::string(bad) + "\n") ==
          "c.conf:3: invalid language \"" + std::string(bad) +
              "\"; expected a language tag such as en or es");
  }
}

TEST_CASE("NotASetting") {
  CHECK(ErrorOf("[clinic]\nname\n") == "c.conf:2: \"name\" is not a setting; expected key = value");
}

TEST_CASE("MissingName") {
  CHECK(ErrorOf("[clinic]\nphone = 1\n") ==
        "c.conf:1: no clinic name; expected \"name = ...\" in the [clinic] section");
}

// Relative paths resolve against the file's folder (DirectoryOf): the root
// folder as well, and a bare file name's folder is the working directory.
TEST_CASE("PathsResolveAgainstTheFilesFolder") {
  const std::string text = "[clinic]\nname = A\nlogo = logo.png\n[server]\ndata-dir = data\n";
  Settings root = ParseSettings(text, "/c.conf", "/");
  CHECK(root.clinic.logo_path == "/logo.png");
  CHECK(root.server.data_dir == "/data");
  test::TempDir dir;
  WriteFileAtomically(dir.File("c.conf"), text);
  CHECK(LoadSettings(dir.File("c.conf")).server.data_dir == dir.File("data"));
}

// As config.h says: a file that cannot be read is a FileError, naming it.
TEST_CASE("UnreadableFileIsAFileError") {
  test::TempDir dir;
  CHECK_THROWS_AS(LoadSettings(dir.File("missing.conf")), FileError);
}

}  // namespace
}  // namespace consentkit
