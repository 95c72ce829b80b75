// The INI configuration parser (config/config.h: ParseSettings) on
// arbitrary text: it either throws ConfigError naming file:line, or gives
// settings that hold what the loader promises (a clinic name, numbers in
// their ranges, both or neither seal path). Nothing else may escape.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config.h"
#include "fuzz_check.h"

namespace consentkit {
namespace {

constexpr char kDescription[] = "fuzz.conf";

void CheckSettings(const Settings& s) {
  CK_FUZZ_CHECK(!s.clinic.name.empty(), "accepted settings name the clinic");
  CK_FUZZ_CHECK(s.server.port >= 0 && s.server.port <= 65535, "port in range");
  CK_FUZZ_CHECK(s.server.threads >= 1 && s.server.queue >= 1, "threads and queue at least 1");
  CK_FUZZ_CHECK(s.server.max_body_bytes >= 1024 && s.server.max_body_bytes <= 64u << 20,
                "max-body from 1K to 64M");
  CK_FUZZ_CHECK(s.server.idle_timeout_s >= 60 && s.server.idle_timeout_s <= 3600,
                "idle-timeout from 60 to 3600");
  CK_FUZZ_CHECK(s.seal.certificate_path.empty() == s.seal.key_path.empty(),
                "both seal paths or neither");
  CK_FUZZ_CHECK(!s.clinic.language.empty(), "a staff language");
}

}  // namespace
}  // namespace consentkit

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace consentkit;
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    CheckSettings(ParseSettings(text, kDescription, "/etc/consentkit"));
  } catch (const ConfigError& e) {
    std::string message = e.what();
    CK_FUZZ_CHECK(message.rfind(std::string(kDescription) + ":", 0) == 0,
                  "a config error names the file and line: " + message);
  }
  return 0;
}
