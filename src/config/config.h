// consentkit's configuration file: an INI file with one section per module.
//
//   [clinic]
//   name = Harbourview Skin Clinic
//   address = 12 Harbour Street, Portland, ME 04101
//   phone = (207) 555-0142
//   logo = logo.png        ; optional PNG, relative to this file
//   page-size = letter     ; a4 (default) or letter
//   date-order = MDY       ; how dates are shown: DMY, MDY or YMD (default:
//                          ; each language's own, e.g. DD/MM/AAAA in Spanish)
//   language = en          ; the staff pages' language (default en)
//
//   [server]                 ; all optional; `consentkit serve` flags override
//   bind = 127.0.0.1         ; address to listen on (0.0.0.0: every interface)
//   port = 8080              ; 0 picks a free port
//   data-dir = data          ; database and keys; relative to this file
//   forms-dir = forms        ; form definitions; relative to this file
//   max-body = 2M            ; largest request body (bytes, or with K or M)
//   threads = 64             ; connections served at once (one thread each)
//   queue = 64               ; connections waiting beyond those
//   workers = 0              ; submissions rendered and sealed at once, first
//                            ; come first served; 0: one per CPU core
//   request-timeout = 30     ; seconds a client may take to send a request
//   keepalive-timeout = 10   ; seconds an idle connection stays open
//   access-log = stderr      ; stderr or off
//   invite-hours = 72        ; how long a patient's invite link works (1-720)
//   public-url = https://forms.example-clinic.com  ; where patients' phones reach
//                            ; this server: invite links start with it (default:
//                            ; the address the staff desk used)
//   idle-timeout = 120       ; seconds a patient page may sit untouched before it
//                            ; clears (a warning comes 30 s before); 60-3600
//
//   [seal]                   ; optional: the clinic's own certificate
//   certificate = seal-cert.pem  ; PEM certificate, then its chain; relative to this file
//   key = seal-key.pem           ; PEM private key, mode 600
//   ; without [seal]: <data-dir>/seal-cert.pem and seal-key.pem, made on first
//   ; start (self-signed) or by `consentkit keys init`
//
//   [audit]                  ; optional: signed checkpoints of the audit chain
//   checkpoint-events = 1000 ; the server signs one once this many events were
//                            ; appended since the last (1-1000000)
//   checkpoint-minutes = 5   ; and at least this often while the chain moves
//                            ; (1-1440); always at start-up and when it stops
//
// Loading is all-or-nothing: unknown sections or keys, bad values and
// missing required keys throw ConfigError naming file:line.
#ifndef CONSENTKIT_CONFIG_CONFIG_H_
#define CONSENTKIT_CONFIG_CONFIG_H_

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>

#include "i18n/dates.h"  // DateOrder

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
  // The order every date a person reads is shown in (a US clinic: MM/DD/YYYY);
  // unset: each language's own (i18n/*.messages: date.order). Stored and sent
  // dates stay YYYY-MM-DD.
  std::optional<DateOrder> date_order;
  // The staff pages' language: one clinic, one working language, so the
  // desk reads the same on every screen. Patients' pages follow the patient.
  std::string language = "en";
};

struct ServerSettings {
  std::string bind = "127.0.0.1";  // loopback unless a clinic opens it up
  int port = 8080;
  std::string data_dir = "data";
  std::string forms_dir = "forms";
  std::size_t max_body_bytes = 2 * 1024 * 1024;
  // A thread per open connection (a kept-alive connection keeps its thread
  // while idle, unless threads run short), so more connections than threads
  // wait in a queue of `queue`; past that they are closed.
  int threads = 64;
  int queue = 64;
  // Submissions validated, rendered and sealed at once, in arrival order;
  // 0: one per CPU core.
  int workers = 0;
  int request_timeout_s = 30;  // one read or write of a connection
  int keepalive_timeout_s = 10;
  // Whole deadlines, however slowly a client trickles: from accept (or the
  // end of the previous response) until the request headers are in, and
  // from then until the body is read. Past them the connection is closed.
  int header_timeout_s = 5;
  int body_timeout_s = 30;
  // Open connections one client address may hold; more are closed right
  // after accept. 0: no limit (every client behind one load balancer).
  int connections_per_address = 16;
  bool access_log = true;  // one JSON line per request on stderr, no patient data
  int invite_hours = 72;   // an invite link expires this long after it is made
  // "http(s)://host[:port]" (no path) that invite links start with; empty:
  // the scheme and Host of the request that made the invite.
  std::string public_url;
  // A half-filled patient form clears after this long untouched, so the
  // next person to pick up the tablet never sees it.
  int idle_timeout_s = 120;
};

struct SealSettings {
  std::string certificate_path;  // both empty, or both set
  std::string key_path;
};

// When the server signs a checkpoint of the audit chain (store.h:
// Checkpoint): so that removing the newest events contradicts a signature.
struct AuditSettings {
  int checkpoint_events = 1000;  // appended since the latest checkpoint
  int checkpoint_minutes = 5;    // since the latest, if the chain moved at all
};

struct Settings {
  ClinicSettings clinic;
  ServerSettings server;
  SealSettings seal;
  AuditSettings audit;
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
