// consentkit's configuration file: an INI file with one section per module.
//
//   [clinic]
//   name = Harbourview Skin Clinic
//   address = 12 Harbour Street, Portland, ME 04101
//   phone = (207) 555-0142
//   logo = logo.png        ; optional PNG, relative to this file
//   page-size = letter     ; a4 (default) or letter
//
// Loading is all-or-nothing: unknown sections or keys, bad values and
// missing required keys throw ConfigError naming file:line.
#ifndef CONSENTKIT_CONFIG_CONFIG_H_
#define CONSENTKIT_CONFIG_CONFIG_H_

#include <stdexcept>
#include <string>

namespace consentkit {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class PageSize { kA4, kLetter };

struct ClinicSettings {
  std::string name;       // required; printed in every page header
  std::string address;    // optional second header line
  std::string phone;      // optional, beside the address
  std::string logo_path;  // optional PNG; absolute, or resolved against the config file
  PageSize page_size = PageSize::kA4;
};

struct Settings {
  ClinicSettings clinic;
};

// Reads and checks `path`. Throws ConfigError ("file:line: what; expected
// what") or FileError if it cannot be read.
Settings LoadSettings(const std::string& path);
// As LoadSettings, for text in memory; `description` names it in messages
// and relative paths resolve against `base_dir`.
Settings ParseSettings(const std::string& text, const std::string& description,
                       const std::string& base_dir);

}  // namespace consentkit

#endif  // CONSENTKIT_CONFIG_CONFIG_H_
