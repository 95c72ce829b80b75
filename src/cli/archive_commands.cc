// consentkit export and verify: compliance archives from the command line.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>

#include "archive/archive.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "config/config.h"
#include "seal/seal.h"
#include "service/checkpoints.h"
#include "store/store.h"
#include "util/util.h"

namespace consentkit {
namespace {

const char kExportHelp[] =
    "usage: consentkit export --data DIR -o ARCHIVE.zip [--from DATE] [--to DATE]\n"
    "                         [--cert FILE] [--key FILE] [--config FILE]\n"
    "\n"
    "Writes the submissions received in [--from, --to) as one zip archive that\n"
    "`consentkit verify` can check offline, years later: the sealed PDFs as\n"
    "stored, the exact definitions they were made against, the audit log from\n"
    "--from on (it anchors every PDF's SHA-256), the sealing certificate and a\n"
    "manifest signed with the clinic's sealing key (manifest.sig). The export is\n"
    "recorded in the audit log twice: archive.exported (state=started) before the\n"
    "first byte is written, archive.completed once the archive is whole; the\n"
    "chain head it recorded is printed, to keep for `verify --expect-last-hash`.\n"
    "\n"
    "  --data DIR            the data folder holding consentkit.db\n"
    "  -o, --output FILE     the archive; written whole or not at all, mode 0600\n"
    "                        (it holds patient records)\n"
    "  --from DATE           first instant included: YYYY-MM-DD (the start of that\n"
    "                        UTC day) or YYYY-MM-DDTHH:MM:SSZ (or with +HH:MM)\n"
    "  --to DATE             first instant NOT included, same forms: --from\n"
    "                        2026-11-01 --to 2026-12-01 is all of November (UTC)\n"
    "                        Either may be left out for no bound.\n"
    "  --cert FILE           the sealing certificate (default: the configuration's\n"
    "                        [seal] certificate, else DIR/seal-cert.pem)\n"
    "  --key FILE            its private key, which signs the manifest (default:\n"
    "                        the configuration's [seal] key, else DIR/seal-key.pem)\n"
    "  --config FILE         consentkit configuration, for the clinic's name\n"
    "                        (default: the certificate's common name) and [seal]\n";

const char kVerifyHelp[] =
    "usage: consentkit verify DATA_DIR|ARCHIVE.zip [--cert FILE]\n"
    "                         [--expect-seq N] [--expect-last-hash HEX]\n"
    "\n"
    "Checks that every stored consent PDF is the one the patient signed and that\n"
    "nothing was removed. For a data folder: the whole audit hash chain, and for\n"
    "every submission its PDF's and content's SHA-256 against its row and its\n"
    "submission.stored event, its seal and its definition; every stored event\n"
    "must still have its submission. For an archive made by `consentkit export`:\n"
    "the same against its signed manifest and audit slice, and that it holds\n"
    "every submission stored in its range and nothing else.\n"
    "\n"
    "Exits 0 and prints a summary when everything holds. Otherwise prints one line\n"
    "per problem on stderr, the first bad record first, and exits 1.\n"
    "\n"
    "  --cert FILE  the clinic's sealing certificate to check seals against\n"
    "               (default: DATA_DIR/seal-cert.pem; for an archive, its own\n"
    "               certificate.pem, whose fingerprint is then printed to compare\n"
    "               with the clinic's records)\n"
    "  --expect-seq N, --expect-last-hash HEX\n"
    "               an audit event you hold from elsewhere (a daily report, the\n"
    "               chain head `consentkit export` printed): the chain must\n"
    "               still hold it. For a data folder, event N must be there with\n"
    "               that hash. For an archive, its slice must hold event N with\n"
    "               that hash, or end before N (or start after it), which the\n"
    "               summary then says; with only a hash, some event of the slice\n"
    "               (or its anchor) must have it.\n";

bool IsDirectory(const std::string& path) {
  struct stat info {};
  return stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

// A file written through a stream and renamed into place only when
// complete and on disk, so readers see the old file or the whole new one.
// The temporary file (same folder, mode 0600) is removed unless Commit()
// succeeds, also when an exception unwinds past this object.
class AtomicOutputFile {
 public:
  explicit AtomicOutputFile(const std::string& path) : path_(path) {
    temp_ = DirectoryOf(path) + "/.consentkit-XXXXXX";
    int fd = ::mkstemp(temp_.data());
    if (fd < 0) throw FileError("cannot write " + path + ": " + std::strerror(errno));
    ::close(fd);
    out_.open(temp_, std::ios::binary | std::ios::trunc);
    if (!out_) Fail(errno);
  }
  ~AtomicOutputFile() {
    if (!committed_) ::unlink(temp_.c_str());
  }
  AtomicOutputFile(const AtomicOutputFile&) = delete;
  AtomicOutputFile& operator=(const AtomicOutputFile&) = delete;

  std::ostream& stream() { return out_; }

  void Commit() {
    out_.close();
    if (!out_) Fail(errno);
    int fd = ::open(temp_.c_str(), O_RDONLY);
    if (fd < 0 || ::fsync(fd) != 0) Fail(errno);
    ::close(fd);
    if (::rename(temp_.c_str(), path_.c_str()) != 0) Fail(errno);
    committed_ = true;
    // Makes the rename itself durable; best effort, as in WriteFileAtomically.
    int dir = ::open(DirectoryOf(path_).c_str(), O_RDONLY | O_DIRECTORY);
    if (dir >= 0) {
      ::fsync(dir);
      ::close(dir);
    }
  }

 private:
  [[noreturn]] void Fail(int err) const {
    throw FileError("cannot write " + path_ + ": " + std::strerror(err ? err : EIO));
  }

  std::string path_, temp_;
  std::ofstream out_;
  bool committed_ = false;
};

struct ExportArgs {
  std::string data, output, from, to, cert, key, config;
};

std::string TimeBound(const std::string& option, const std::string& text) {
  if (text.empty()) return text;
  std::optional<std::string> bound = NormalizeTimeBound(text);
  if (!bound) {
    throw UsageError("export", option + " \"" + text +
                                   "\" is not a date; expected YYYY-MM-DD or "
                                   "YYYY-MM-DDTHH:MM:SSZ");
  }
  return *bound;
}

ExportArgs ParseExportArgs(const std::vector<std::string>& args) {
  ExportArgs parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string* target = a == "--data"                  ? &parsed.data
                          : a == "-o" || a == "--output" ? &parsed.output
                          : a == "--from"                ? &parsed.from
                          : a == "--to"                  ? &parsed.to
                          : a == "--cert"                ? &parsed.cert
                          : a == "--key"                 ? &parsed.key
                          : a == "--config"              ? &parsed.config
                                                         : nullptr;
    if (!target)
      throw UsageError("export",
                       (a.empty() || a[0] != '-' ? "unexpected argument " : "unknown option ") + a);
    if (i + 1 >= args.size()) throw UsageError("export", a + " needs a value");
    *target = args[++i];
  }
  if (parsed.data.empty()) throw UsageError("export", "no data folder given (--data DIR)");
  if (parsed.output.empty()) throw UsageError("export", "no output file given (-o ARCHIVE.zip)");
  parsed.from = TimeBound("--from", parsed.from);
  parsed.to = TimeBound("--to", parsed.to);
  if (!parsed.from.empty() && !parsed.to.empty() && parsed.from >= parsed.to) {
    throw UsageError("export", "--from " + parsed.from + " is not before --to " + parsed.to +
                                   " (--to is exclusive)");
  }
  return parsed;
}

// The certificate given, or the one `consentkit keys init` leaves in the
// data folder.
std::string ReadCertificateFile(const std::string& given, const std::string& data_dir) {
  if (!given.empty()) return ReadFile(given);
  std::string path = data_dir + "/seal-cert.pem";
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    throw FileError("no sealing certificate at " + path +
                    "; pass --cert FILE with the clinic's certificate");
  }
  return ReadFile(path);
}

std::unique_ptr<Store> OpenExistingStore(const std::string& data_dir) {
  struct stat info {};
  if (stat((data_dir + "/consentkit.db").c_str(), &info) != 0) {
    throw StoreError(data_dir + " holds no consentkit.db; expected a consentkit data folder");
  }
  return OpenSqliteStore(data_dir);
}

std::string Range(const ExportRequest& r) {
  if (r.from.empty() && r.to.empty()) return "all submissions";
  if (r.to.empty()) return "submissions received from " + r.from + " on";
  if (r.from.empty()) return "submissions received before " + r.to;
  return "submissions received from " + r.from + " up to " + r.to;
}

// The files that sign: --cert and --key, else the configuration's [seal],
// else the data folder's own (what `consentkit keys init` leaves there).
SigningIdentity LoadSigner(const ExportArgs& parsed, const Settings* settings) {
  std::string cert = parsed.cert, key = parsed.key;
  if (settings && !settings->seal.certificate_path.empty()) {
    if (cert.empty()) cert = settings->seal.certificate_path;
    if (key.empty()) key = settings->seal.key_path;
  }
  if (cert.empty()) cert = parsed.data + "/" + kSealCertFile;
  if (key.empty()) key = parsed.data + "/" + kSealKeyFile;
  struct stat info {};
  if (stat(key.c_str(), &info) != 0) {
    throw FileError("no sealing key at " + key +
                    "; the archive's manifest is signed with it: pass --key FILE");
  }
  return SigningIdentity::Load(cert, key);
}

struct VerifyArgs {
  std::string target, cert;
  VerifyOptions options;
};

std::int64_t ExpectedSeq(const std::string& text) {
  std::size_t used = 0;
  long long seq = 0;
  try {
    seq = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || seq <= 0) {
    throw UsageError("verify", "--expect-seq \"" + text +
                                   "\" is not an audit seq; expected a "
                                   "positive whole number");
  }
  return seq;
}

std::string ExpectedHash(const std::string& text) {
  bool hex =
      text.size() == 64 && text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
  if (!hex) {
    throw UsageError("verify", "--expect-last-hash \"" + text +
                                   "\" is not an audit hash; expected 64 hex digits");
  }
  std::string lower = text;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

VerifyArgs ParseVerifyArgs(const std::vector<std::string>& args) {
  VerifyArgs parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    bool takes_value =
        args[i] == "--cert" || args[i] == "--expect-seq" || args[i] == "--expect-last-hash";
    if (takes_value && i + 1 >= args.size()) {
      throw UsageError("verify", args[i] + " needs a value");
    }
    if (args[i] == "--cert") {
      parsed.cert = args[++i];
    } else if (args[i] == "--expect-seq") {
      parsed.options.expect_seq = ExpectedSeq(args[++i]);
    } else if (args[i] == "--expect-last-hash") {
      parsed.options.expect_last_hash = ExpectedHash(args[++i]);
    } else if (!args[i].empty() && args[i][0] == '-') {
      throw UsageError("verify", "unknown option " + args[i]);
    } else if (!parsed.target.empty()) {
      throw UsageError("verify", "unexpected argument " + args[i] + "; verify takes one target");
    } else {
      parsed.target = args[i];
    }
  }
  if (parsed.target.empty()) throw UsageError("verify", "no data folder or archive given");
  return parsed;
}

void PrintProblems(const VerifyReport& report) {
  for (const std::string& problem : report.problems) {
    std::cerr << "consentkit verify: " << problem << "\n";
  }
  if (report.problem_count > report.problems.size()) {
    std::cerr << "consentkit verify: … and " << report.problem_count - report.problems.size()
              << " more problems\n";
  }
}

}  // namespace

int Export(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << kExportHelp;
    return kExitOk;
  }
  ExportArgs parsed = ParseExportArgs(args);
  ExportRequest request;
  request.from = parsed.from;
  request.to = parsed.to;
  std::optional<Settings> settings;
  if (!parsed.config.empty()) settings = LoadSettings(parsed.config);
  if (settings) request.clinic_name = settings->clinic.name;
  SigningIdentity signer = LoadSigner(parsed, settings ? &*settings : nullptr);
  request.certificate_pem = signer.certificate_pem();
  request.signer = &signer;
  request.exported_at = UtcNow();
  request.actor = "cli";
  std::unique_ptr<Store> store = OpenExistingStore(parsed.data);
  AtomicOutputFile output(parsed.output);
  AuditEvent started = RecordExportStarted(*store, request);
  ExportSummary summary = ExportArchive(*store, request, output.stream());
  output.Commit();
  AuditEvent recorded = RecordExport(*store, request, summary);
  std::cout << "wrote " << parsed.output << ": " << Range(request) << ", " << summary.submissions
            << (summary.submissions == 1 ? " PDF" : " PDFs") << ", " << summary.definitions
            << (summary.definitions == 1 ? " definition" : " definitions") << ", audit events "
            << summary.first_seq << " to " << summary.last_seq << " (last hash "
            << summary.last_hash.substr(0, 16) << "…); recorded as audit events " << started.seq
            << " (archive.exported) and " << recorded.seq << " (archive.completed)\n"
            << "signed checkpoint: "
            << CheckpointLine(SignCheckpoint(*store, signer, UtcNow())) << "\n";
  return kExitOk;
}

int Verify(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << kVerifyHelp;
    return kExitOk;
  }
  VerifyArgs parsed = ParseVerifyArgs(args);
  VerifyReport report =
      IsDirectory(parsed.target)
          ? VerifyDataDir(parsed.target, ReadCertificateFile(parsed.cert, parsed.target),
                          parsed.options)
          : VerifyArchive(parsed.target, parsed.cert.empty() ? "" : ReadFile(parsed.cert),
                          parsed.options);
  if (!report.ok) PrintProblems(report);
  std::cout << report.summary << "\n";
  return report.ok ? kExitOk : kExitError;
}

}  // namespace consentkit
