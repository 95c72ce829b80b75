// consentkit serve: the tablet pages and submission API until SIGINT/SIGTERM.
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <iostream>

#include "auth/auth.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "config/config.h"
#include "seal/seal.h"
#include "server/server.h"
#include "service/checkpoints.h"
#include "service/intake.h"
#include "store/store.h"
#include "util/json_writer.h"
#include "util/util.h"

namespace consentkit {
namespace {

const char kServeHelp[] =
    "usage: consentkit serve [--config FILE] [--port N] [--bind ADDR] [--data DIR] [--forms DIR]\n"
    "                        [--pair ROLE] [--new-database]\n"
    "\n"
    "Serves the tablet forms and collects signed submissions. Each one is\n"
    "checked against the exact form version, screened, and stored with its\n"
    "filled, flattened PDF in one transaction before the receipt is sent.\n"
    "Stops cleanly on Ctrl-C or SIGTERM (requests in flight finish first).\n"
    "\n"
    "  --config FILE  clinic details and [server] settings (see samples/consentkit.conf)\n"
    "  --port N       port to listen on (default 8080; 0 picks a free one and prints it)\n"
    "  --bind ADDR    address to listen on (default 127.0.0.1; 0.0.0.0 for tablets\n"
    "                 on the clinic network)\n"
    "  --data DIR     where the database lives (default ./data; created if missing)\n"
    "  --forms DIR    the form definitions to serve (default ./forms)\n"
    "  --pair ROLE    make a token of ROLE (tablet, staff, practitioner or\n"
    "                 compliance) and print a link that signs a browser in with it\n"
    "                 (for trying it out; a clinic makes tokens with\n"
    "                 `consentkit tokens create`)\n"
    "  --new-database start even though the data folder's consentkit.marker\n"
    "                 names a database that is missing, or another chain than the\n"
    "                 one there (after a restore from an older backup, say); the\n"
    "                 database found (or a new empty one) is marked as the right one\n"
    "\n"
    "At start the database's integrity is checked (SQLite's quick_check), and\n"
    "the server refuses to start on a damaged one. While serving, a database\n"
    "file removed or replaced is noticed before any receipt is sent: every\n"
    "request is then refused until the server is restarted.\n"
    "\n"
    "Flags override the configuration file.\n";

struct ServeArgs {
  std::string config;
  std::string port, bind, data, forms, pair;
  bool new_database = false;
};

ServeArgs ParseServeArgs(const std::vector<std::string>& args) {
  ServeArgs parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--new-database") {
      parsed.new_database = true;
      continue;
    }
    std::string* target = a == "--config"  ? &parsed.config
                          : a == "--port"  ? &parsed.port
                          : a == "--bind"  ? &parsed.bind
                          : a == "--data"  ? &parsed.data
                          : a == "--forms" ? &parsed.forms
                          : a == "--pair"  ? &parsed.pair
                                           : nullptr;
    if (!target) throw UsageError("serve", "unknown option " + a);
    if (i + 1 >= args.size()) throw UsageError("serve", a + " needs a value");
    *target = args[++i];
  }
  return parsed;
}

Settings SettingsFor(const ServeArgs& args) {
  Settings settings;
  if (!args.config.empty()) {
    settings = LoadSettings(args.config);
  } else {
    settings.clinic.name = "consentkit";  // no clinic configured: a neutral header
  }
  ServerSettings& s = settings.server;
  if (!args.port.empty()) {
    std::size_t used = 0;
    int port = -1;
    try {
      port = std::stoi(args.port, &used);
    } catch (const std::exception&) {
    }
    if (used != args.port.size() || port < 0 || port > 65535) {
      throw UsageError("serve", "--port \"" + args.port + "\" is not a port number (0 to 65535)");
    }
    s.port = port;
  }
  if (!args.bind.empty()) s.bind = args.bind;
  if (!args.data.empty()) s.data_dir = args.data;
  if (!args.forms.empty()) s.forms_dir = args.forms;
  return settings;
}

// SIGINT and SIGTERM are blocked in every thread and taken by sigwait in
// the main thread, so a signal can never interrupt a handler mid-commit.
sigset_t BlockStopSignals() {
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a tablet that hangs up must not end the server
  return stop;
}

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// The clinic's sealing identity: the [seal] files when configured;
// otherwise the data folder's, made self-signed on first start so that
// trying consentkit out needs no certificate work.
SigningIdentity LoadSealIdentity(const Settings& settings) {
  const SealSettings& seal = settings.seal;
  if (!seal.certificate_path.empty())
    return SigningIdentity::Load(seal.certificate_path, seal.key_path);
  const std::string& dir = settings.server.data_dir;
  std::string cert = dir + "/" + kSealCertFile, key = dir + "/" + kSealKeyFile;
  if (!Exists(cert) && !Exists(key)) {
    CreateSelfSignedIdentity(dir, settings.clinic.name);
    std::cout << "consentkit: made a self-signed sealing certificate for trying consentkit out: "
              << cert << "\n"
              << "consentkit: for real records, name the clinic's certificate in [seal]\n";
  }
  return SigningIdentity::Load(cert, key);
}

// One JSON line on stderr beside the access log, so that a clinic shipping
// its log elsewhere keeps every signed head of the chain there too.
void LogCheckpoint(const Checkpoint& c) {
  JsonWriter w;
  w.BeginObject().Key("checkpoint").BeginObject().Key("seq").Int(c.seq);
  w.Field("last_hash", c.last_hash).Field("at", c.at).EndObject().EndObject();
  std::cerr << w.str() + "\n" << std::flush;
}

std::string HostForUrl(const std::string& bind) {
  if (bind == "0.0.0.0" || bind == "::") return "127.0.0.1";
  if (bind.find(':') != std::string::npos) return "[" + bind + "]";
  return bind;
}

// The path to print after the server's URL: /pair#<secret> for --pair.
std::string PairingPath(Store& store, const std::string& role_name) {
  if (role_name.empty()) return "";
  std::optional<Role> role = ParseRole(role_name);
  if (!role) throw UsageError("serve", "--pair \"" + role_name + "\" is not " + kRoleNames);
  NewToken made = MakeToken(*role, "serve --pair " + UtcNow());
  store.AddToken(made.token, "cli");
  return "pair#" + made.secret;
}

}  // namespace

int Serve(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << kServeHelp;
    return kExitOk;
  }
  ServeArgs parsed = ParseServeArgs(args);
  if (!parsed.pair.empty() && !ParseRole(parsed.pair)) {
    throw UsageError("serve", "--pair \"" + parsed.pair + "\" is not " + kRoleNames);
  }
  Settings settings = SettingsFor(parsed);
  const ServerSettings& s = settings.server;
  sigset_t stop = BlockStopSignals();
  std::vector<FormPtr> forms = LoadFormsDirectory(s.forms_dir);
  MakeDirectories(s.data_dir, 0700);  // patient data: owner only
  SqliteOptions guarded;
  guarded.guard_with_marker = true;
  guarded.new_database = parsed.new_database;
  guarded.quick_check = true;
  std::unique_ptr<Store> store = OpenSqliteStore(s.data_dir, guarded);
  SigningIdentity seal = LoadSealIdentity(settings);
  IntakeService service(forms, *store, settings.clinic, &seal, {}, s.workers);
  HttpServer server(s, service, *store, s.access_log ? &std::cerr : nullptr);
  std::string pairing = PairingPath(*store, parsed.pair);
  ChainCheckpointer::Policy every;
  every.every_events = settings.audit.checkpoint_events;
  every.every_minutes = settings.audit.checkpoint_minutes;
  ChainCheckpointer checkpoints(*store, seal, every, LogCheckpoint);
  checkpoints.Start();
  server.Start();
  std::cout << "consentkit: serving " << forms.size() << " forms from " << s.forms_dir
            << ", storing in " << s.data_dir << "/consentkit.db\n"
            << "consentkit: sealing with \"" << seal.common_name() << "\" (certificate sha256 "
            << seal.fingerprint_sha256() << ")\n"
            << "consentkit: open http://" << HostForUrl(s.bind) << ":" << server.port() << "/"
            << pairing << "\n"
            << std::flush;
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  std::cout << "consentkit: stopping (" << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
            << "); letting requests in flight finish\n"
            << std::flush;
  server.Stop();
  checkpoints.Stop();  // after the last request: it covers every event written
  std::cout << "consentkit: stopped\n";
  return kExitOk;
}

}  // namespace consentkit
