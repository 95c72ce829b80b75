#include "cli/commands.h"

#include <iostream>
#include <map>
#include <set>

#include "cli/cli.h"
#include "config/config.h"
#include "form/form.h"
#include "pdf/pdf.h"
#include "util/util.h"

namespace consentkit {
namespace {

const char kValidateHelp[] =
    "usage: consentkit validate [-v] FILE...\n"
    "\n"
    "Checks form definitions, every language each offers. Prints nothing and\n"
    "exits 0 when every file is valid; otherwise prints one line per problem,\n"
    "  file:line:col: <element>: what is wrong; expected what\n"
    "and exits 1.\n"
    "\n"
    "  -v, --verbose  also print a line per valid file:\n"
    "                   ok: FILE: ID VERSION (LANGUAGES) sha256 HASH\n";

const char kRenderHelp[] =
    "usage: consentkit render FORM.xml -o OUT.pdf [--lang TAG] [--config FILE]\n"
    "\n"
    "Renders one form definition as a blank, fillable PDF.\n"
    "\n"
    "  -o, --output OUT.pdf  where to write the PDF (written whole or not at all)\n"
    "  --lang TAG            the language to render, one the form offers (its\n"
    "                        languages=\"\"; es-MX finds es); default: its lang=\"\"\n"
    "  --config FILE         consentkit configuration with the [clinic] header\n"
    "                        details (see samples/consentkit.conf)\n";

const char kPacketHelp[] =
    "usage: consentkit packet FORM.xml... -o OUT.pdf [--lang TAG] [--config FILE]\n"
    "\n"
    "Renders several form definitions into one printable, fillable PDF: each\n"
    "form starts on a new page and pages are numbered across the packet.\n"
    "\n"
    "  -o, --output OUT.pdf  where to write the PDF (written whole or not at all)\n"
    "  --lang TAG            the language to render, one every form offers (its\n"
    "                        languages=\"\"; es-MX finds es); default: each form's lang=\"\"\n"
    "  --config FILE         consentkit configuration with the [clinic] header\n"
    "                        details (see samples/consentkit.conf)\n";

struct RenderArgs {
  std::vector<std::string> forms;
  std::string output;
  std::string config;
  std::string lang;  // empty: each form's default
};

RenderArgs ParseRenderArgs(const std::string& command, const std::vector<std::string>& args) {
  RenderArgs parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    bool takes_value = a == "-o" || a == "--output" || a == "--config" || a == "--lang";
    if (takes_value && i + 1 >= args.size()) throw UsageError(command, a + " needs a value");
    if (a == "-o" || a == "--output") {
      parsed.output = args[++i];
    } else if (a == "--config") {
      parsed.config = args[++i];
    } else if (a == "--lang") {
      parsed.lang = args[++i];
      if (parsed.lang.empty()) throw UsageError(command, "--lang needs a language tag");
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError(command, "unknown option " + a);
    } else {
      parsed.forms.push_back(a);
    }
  }
  if (parsed.forms.empty()) throw UsageError(command, "no form definition given");
  if (parsed.output.empty()) throw UsageError(command, "no output file given (-o OUT.pdf)");
  return parsed;
}

// Loads every file, printing all their problems; empty result on any error.
std::vector<FormPtr> LoadAll(const std::vector<std::string>& paths) {
  std::vector<FormPtr> forms;
  bool ok = true;
  for (const auto& path : paths) {
    LoadResult result = LoadFormFile(path);
    for (const Diagnostic& d : result.errors) std::cerr << d.ToString() << "\n";
    ok = ok && result.ok();
    if (result.ok()) forms.push_back(result.form);
  }
  if (!ok) return {};
  return forms;
}

std::string JoinLanguages(const FormDefinition& form) {
  std::string out;
  for (const std::string& lang : form.languages) out += (out.empty() ? "" : ", ") + lang;
  return out;
}

int Validate(const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << kValidateHelp;
    return kExitOk;
  }
  bool verbose = false;
  std::vector<std::string> paths;
  for (const auto& a : args) {
    if (a == "-v" || a == "--verbose") {
      verbose = true;
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError("validate", "unknown option " + a);
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) throw UsageError("validate", "no files given");
  bool ok = true;
  for (const auto& path : paths) {
    LoadResult result = LoadFormFile(path);
    for (const Diagnostic& d : result.errors) std::cerr << d.ToString() << "\n";
    ok = ok && result.ok();
    if (verbose && result.ok()) {
      const FormDefinition& form = *result.form;
      std::cout << "ok: " << path << ": " << form.id << " " << form.version << " ("
                << JoinLanguages(form) << ") sha256 " << form.sha256_hex << "\n";
    }
  }
  return ok ? kExitOk : kExitError;
}

// Each form in `lang` (as OfferedLanguage matches it), or nothing when one
// of them does not offer it, after saying which; unchanged without a lang.
std::vector<FormPtr> InRequestedLanguage(const std::string& command, std::vector<FormPtr> forms,
                                         const std::string& lang) {
  if (lang.empty()) return forms;
  for (FormPtr& form : forms) {
    if (!OfferedLanguage(*form, lang)) {
      std::cerr << "consentkit " << command << ": " << form->source << ": form \"" << form->id
                << "\" is not offered in \"" << lang
                << "\"; expected one of its languages: " << JoinLanguages(*form) << "\n";
      return {};
    }
    form = InLanguage(form, lang);
  }
  return forms;
}

int Render(const std::string& command, const std::vector<std::string>& args) {
  if (WantsHelp(args)) {
    std::cout << (command == "render" ? kRenderHelp : kPacketHelp);
    return kExitOk;
  }
  RenderArgs parsed = ParseRenderArgs(command, args);
  if (command == "render" && parsed.forms.size() != 1) {
    throw UsageError(command, "render takes one form; use 'consentkit packet' for several");
  }
  ClinicSettings clinic;
  if (!parsed.config.empty()) clinic = LoadSettings(parsed.config).clinic;
  std::vector<FormPtr> forms = InRequestedLanguage(command, LoadAll(parsed.forms), parsed.lang);
  if (forms.empty()) return kExitError;
  std::map<std::string, std::string> sources;  // form id → the file that gave it
  for (const FormPtr& form : forms) {
    auto [first, fresh] = sources.emplace(form->id, form->source);
    if (!fresh) {
      std::cerr << "consentkit " << command << ": form \"" << form->id << "\" is given twice ("
                << first->second << " and " << form->source
                << "); expected each form once per packet\n";
      return kExitError;
    }
  }
  std::string pdf = RenderPacket(forms, clinic);
  WriteFileAtomically(parsed.output, pdf);
  std::cout << "wrote " << parsed.output << " (" << pdf.size() << " bytes, " << forms.size()
            << (forms.size() == 1 ? " form" : " forms") << ")\n";
  return kExitOk;
}

}  // namespace

bool WantsHelp(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

std::string MainHelp() {
  return "usage: consentkit COMMAND [ARGS]\n"
         "\n"
         "Consent and intake forms for aesthetic and dermatology clinics.\n"
         "\n"
         "Commands:\n"
         "  validate FILE...               check form definitions\n"
         "  render FORM.xml -o OUT.pdf     blank fillable PDF of one form\n"
         "  packet FORM.xml... -o OUT.pdf  several forms in one printable PDF\n"
         "  serve [--config FILE]          tablet forms and the submission API\n"
         "  tokens create|list|revoke      API tokens and their roles\n"
         "  visits create|list             patients' visits and their packets\n"
         "  keys init --data DIR           a self-signed sealing certificate\n"
         "  export --data DIR -o OUT.zip   a date range as one verifiable archive\n"
         "  verify DIR|ARCHIVE.zip         check seals, hashes and the audit chain\n"
         "  checkpoint --data DIR          sign and print the audit chain's head\n"
         "\n"
         "Run 'consentkit COMMAND --help' for a command's options.\n";
}

int RunCommand(const std::string& command, const std::vector<std::string>& args) {
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << MainHelp();
    return kExitOk;
  }
  if (command == "--version") {
    std::cout << "consentkit " << CONSENTKIT_VERSION << "\n";
    return kExitOk;
  }
  if (command == "validate") return Validate(args);
  if (command == "render" || command == "packet") return Render(command, args);
  if (command == "serve") return Serve(args);
  if (command == "tokens") return Tokens(args);
  if (command == "visits") return Visits(args);
  if (command == "keys") return Keys(args);
  if (command == "export") return Export(args);
  if (command == "verify") return Verify(args);
  if (command == "checkpoint") return SignCheckpointCommand(args);
  std::cerr << "consentkit: unknown command '" << command << "'\n\n" << MainHelp();
  return kExitUsage;
}

}  // namespace consentkit
