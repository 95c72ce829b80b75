#include "config/config.h"

#include <functional>
#include <map>

#include "util/util.h"

namespace consentkit {
namespace {

std::string Trim(const std::string& s) {
  std::size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// Strips a "; comment" or "# comment" that starts a line or follows white space.
std::string StripComment(const std::string& line) {
  for (std::size_t i = 0; i < line.size(); ++i) {
    bool starts = i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t';
    if ((line[i] == ';' || line[i] == '#') && starts) return line.substr(0, i);
  }
  return line;
}

class Parser {
 public:
  Parser(std::string description, std::string base_dir)
      : description_(std::move(description)), base_dir_(std::move(base_dir)) {}

  Settings Parse(const std::string& text);

 private:
  using Setter = std::function<void(const std::string&)>;
  [[noreturn]] void Fail(int line, const std::string& what, const std::string& expected) const;
  void ParseLine(const std::string& raw, int line);
  void Set(const std::string& key, const std::string& value, int line);
  std::map<std::string, Setter> Setters();
  std::map<std::string, Setter> ClinicSetters();
  std::map<std::string, Setter> ServerSetters();
  std::map<std::string, Setter> SealSetters();
  std::map<std::string, Setter> AuditSetters();
  std::string ResolvePath(const std::string& path) const;
  int ParseInt(const std::string& key, const std::string& value, int min, int max) const;
  std::size_t ParseSize(const std::string& value) const;
  std::string ParsePublicUrl(const std::string& value) const;
  std::string ParseLanguage(const std::string& value) const;

  std::string description_;
  std::string base_dir_;
  std::string section_;
  Settings settings_;
  int line_ = 0;         // of the setting being applied
  int clinic_line_ = 1;  // of the [clinic] header
  int seal_line_ = 0;    // of the [seal] header, 0 if none
};

void Parser::Fail(int line, const std::string& what, const std::string& expected) const {
  throw ConfigError(description_ + ":" + std::to_string(line) + ": " + what + "; expected " +
                    expected);
}

Settings Parser::Parse(const std::string& text) {
  std::size_t start = 0;
  int line = 1;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    ParseLine(text.substr(start, end - start), line++);
    start = end + 1;
  }
  if (settings_.clinic.name.empty()) {
    Fail(clinic_line_, "no clinic name", "\"name = ...\" in the [clinic] section");
  }
  if (settings_.seal.certificate_path.empty() != settings_.seal.key_path.empty()) {
    Fail(seal_line_, "[seal] names only one of certificate and key", "both, or neither");
  }
  return settings_;
}

void Parser::ParseLine(const std::string& raw, int line) {
  std::string text = Trim(StripComment(raw));
  if (text.empty()) return;
  if (text.front() == '[') {
    if (text.back() != ']') Fail(line, "unclosed section header \"" + text + "\"", "[section]");
    section_ = Trim(text.substr(1, text.size() - 2));
    if (section_ != "clinic" && section_ != "server" && section_ != "seal" && section_ != "audit") {
      Fail(line, "unknown section [" + section_ + "]", "[clinic], [server], [seal] or [audit]");
    }
    if (section_ == "seal") seal_line_ = line;
    if (section_ == "clinic") clinic_line_ = line;
    return;
  }
  std::size_t equals = text.find('=');
  if (equals == std::string::npos) Fail(line, "\"" + text + "\" is not a setting", "key = value");
  if (section_.empty()) Fail(line, "setting before any section", "a [clinic] line first");
  Set(Trim(text.substr(0, equals)), Trim(text.substr(equals + 1)), line);
}

void Parser::Set(const std::string& key, const std::string& value, int line) {
  line_ = line;
  auto setters = Setters();
  auto found = setters.find(key);
  if (found == setters.end()) {
    std::string known;
    for (const auto& [name, setter] : setters) known += (known.empty() ? "" : ", ") + name;
    Fail(line, "unknown key \"" + key + "\" in [" + section_ + "]", "one of " + known);
  }
  found->second(value);
}

std::map<std::string, Parser::Setter> Parser::Setters() {
  if (section_ == "seal") return SealSetters();
  if (section_ == "audit") return AuditSetters();
  return section_ == "server" ? ServerSetters() : ClinicSetters();
}

int Parser::ParseInt(const std::string& key, const std::string& value, int min, int max) const {
  std::size_t used = 0;
  long number = -1;
  try {
    number = std::stol(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size() || number < min || number > max) {
    Fail(line_, "invalid " + key + " \"" + value + "\"",
         "a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return static_cast<int>(number);
}

// "2M", "512K" or plain bytes; from 1 KiB to 64 MiB.
std::size_t Parser::ParseSize(const std::string& value) const {
  std::string digits = value;
  std::size_t unit = 1;
  if (!digits.empty() && (digits.back() == 'K' || digits.back() == 'k')) unit = 1024;
  if (!digits.empty() && (digits.back() == 'M' || digits.back() == 'm')) unit = 1024 * 1024;
  if (unit != 1) digits.pop_back();
  bool numeric = !digits.empty() && digits.size() <= 9 &&
                 digits.find_first_not_of("0123456789") == std::string::npos;
  std::size_t bytes = numeric ? std::stoul(digits) * unit : 0;
  if (bytes < 1024 || bytes > 64 * 1024 * 1024) {
    Fail(line_, "invalid max-body \"" + value + "\"", "a size from 1K to 64M, such as 2M");
  }
  return bytes;
}

// A patient's phone opens it from a QR code: a scheme and a host it can
// reach, and nothing after them that would break the "/i/…" appended.
std::string Parser::ParsePublicUrl(const std::string& value) const {
  std::string url = value;
  while (!url.empty() && url.back() == '/') url.pop_back();
  std::size_t host = url.rfind("https://", 0) == 0 ? 8 : url.rfind("http://", 0) == 0 ? 7 : 0;
  bool plain =
      host > 0 && url.size() > host && url.find_first_of("/?#@ \t", host) == std::string::npos;
  if (!plain) {
    Fail(line_, "invalid public-url \"" + value + "\"",
         "http:// or https:// and a host (with a port if needed), such as "
         "https://forms.example-clinic.com");
  }
  return url;
}

// A language tag's shape ("en", "es", "es-MX"): letters, then subtags of
// letters and digits. Which tags have a catalog is the i18n module's to say
// (an unknown one shows English), and this library stays free of it.
std::string Parser::ParseLanguage(const std::string& value) const {
  std::size_t primary = value.find('-');
  bool ok = !value.empty() && value.size() <= 35 && value.back() != '-';
  for (std::size_t i = 0; ok && i < value.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(value[i]);
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    ok = i < primary ? letter : (letter || (c >= '0' && c <= '9') || c == '-');
  }
  std::size_t primary_length = primary == std::string::npos ? value.size() : primary;
  if (!ok || primary_length < 2 || primary_length > 3) {
    Fail(line_, "invalid language \"" + value + "\"", "a language tag such as en or es");
  }
  return value;
}

std::map<std::string, Parser::Setter> Parser::ServerSetters() {
  ServerSettings& s = settings_.server;
  return {
      {"bind", [&s](const std::string& v) { s.bind = v; }},
      {"port", [this, &s](const std::string& v) { s.port = ParseInt("port", v, 0, 65535); }},
      {"data-dir", [this, &s](const std::string& v) { s.data_dir = ResolvePath(v); }},
      {"forms-dir", [this, &s](const std::string& v) { s.forms_dir = ResolvePath(v); }},
      {"max-body", [this, &s](const std::string& v) { s.max_body_bytes = ParseSize(v); }},
      {"threads", [this, &s](const std::string& v) { s.threads = ParseInt("threads", v, 1, 256); }},
      {"queue", [this, &s](const std::string& v) { s.queue = ParseInt("queue", v, 1, 4096); }},
      {"workers", [this, &s](const std::string& v) { s.workers = ParseInt("workers", v, 0, 256); }},
      {"request-timeout",
       [this, &s](const std::string& v) {
         s.request_timeout_s = ParseInt("request-timeout", v, 1, 600);
       }},
      {"keepalive-timeout",
       [this, &s](const std::string& v) {
         s.keepalive_timeout_s = ParseInt("keepalive-timeout", v, 1, 600);
       }},
      {"header-timeout",
       [this, &s](const std::string& v) {
         s.header_timeout_s = ParseInt("header-timeout", v, 1, 600);
       }},
      {"body-timeout",
       [this, &s](const std::string& v) {
         s.body_timeout_s = ParseInt("body-timeout", v, 1, 3600);
       }},
      {"connections-per-address",
       [this, &s](const std::string& v) {
         s.connections_per_address = ParseInt("connections-per-address", v, 0, 100000);
       }},
      {"invite-hours",
       [this, &s](const std::string& v) { s.invite_hours = ParseInt("invite-hours", v, 1, 720); }},
      {"public-url", [this, &s](const std::string& v) { s.public_url = ParsePublicUrl(v); }},
      {"idle-timeout",
       [this, &s](const std::string& v) {
         s.idle_timeout_s = ParseInt("idle-timeout", v, 60, 3600);
       }},
      {"access-log",
       [this, &s](const std::string& v) {
         if (v != "stderr" && v != "off")
           Fail(line_, "invalid access-log \"" + v + "\"", "stderr or off");
         s.access_log = v == "stderr";
       }},
  };
}

std::map<std::string, Parser::Setter> Parser::SealSetters() {
  SealSettings& s = settings_.seal;
  return {
      {"certificate", [this, &s](const std::string& v) { s.certificate_path = ResolvePath(v); }},
      {"key", [this, &s](const std::string& v) { s.key_path = ResolvePath(v); }},
  };
}

std::map<std::string, Parser::Setter> Parser::AuditSetters() {
  AuditSettings& a = settings_.audit;
  return {
      {"checkpoint-events",
       [this, &a](const std::string& v) {
         a.checkpoint_events = ParseInt("checkpoint-events", v, 1, 1000000);
       }},
      {"checkpoint-minutes",
       [this, &a](const std::string& v) {
         a.checkpoint_minutes = ParseInt("checkpoint-minutes", v, 1, 1440);
       }},
  };
}

std::map<std::string, Parser::Setter> Parser::ClinicSetters() {
  ClinicSettings& c = settings_.clinic;
  return {
      {"name", [&c](const std::string& v) { c.name = v; }},
      {"address", [&c](const std::string& v) { c.address = v; }},
      {"phone", [&c](const std::string& v) { c.phone = v; }},
      {"logo", [this, &c](const std::string& v) { c.logo_path = v.empty() ? "" : ResolvePath(v); }},
      {"page-size",
       [this, &c](const std::string& v) {
         if (v == "a4" || v == "A4") {
           c.page_size = PageSize::kA4;
         } else if (v == "letter" || v == "Letter") {
           c.page_size = PageSize::kLetter;
         } else {
           Fail(line_, "invalid page-size \"" + v + "\"", "a4 or letter");
         }
       }},
      {"date-order",
       [this, &c](const std::string& v) {
         c.date_order = ParseDateOrder(v);
         if (!c.date_order) Fail(line_, "invalid date-order \"" + v + "\"", kDateOrderNames);
       }},
      {"language", [this, &c](const std::string& v) { c.language = ParseLanguage(v); }},
  };
}

std::string Parser::ResolvePath(const std::string& path) const {
  if (path.empty()) Fail(line_, "an empty path", "a file or folder path");
  if (path.front() == '/' || base_dir_.empty()) return path;
  return base_dir_.back() == '/' ? base_dir_ + path : base_dir_ + "/" + path;
}

}  // namespace

Settings ParseSettings(const std::string& text, const std::string& description,
                       const std::string& base_dir) {
  return Parser(description, base_dir).Parse(text);
}

Settings LoadSettings(const std::string& path) {
  return ParseSettings(ReadFile(path), path, DirectoryOf(path));
}

}  // namespace consentkit
