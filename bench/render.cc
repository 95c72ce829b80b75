// bench_render: renders the same blank PDF many times in one process and
// prints one JSON line: per-document times, docs/s, bytes per PDF and the
// process's peak RSS (VmHWM). The process does nothing else, so VmHWM is
// the renderer's own footprint (plus the C++ runtime and libharu).
//
//   bench_render [--config FILE] [--docs N] [--warmup N] [--out PDF] FORM.xml...
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.h"
#include "config/config.h"
#include "form/form.h"
#include "pdf/pdf.h"

namespace consentkit::bench {
namespace {

struct Args {
  std::string config;
  std::string out;
  int docs = 1000;
  int warmup = 20;
  std::vector<std::string> forms;
};

Args ParseArgs(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    bool has_value = i + 1 < argc;
    if (a == "--config" && has_value) {
      args.config = argv[++i];
    } else if (a == "--out" && has_value) {
      args.out = argv[++i];
    } else if (a == "--docs" && has_value) {
      args.docs = std::atoi(argv[++i]);
    } else if (a == "--warmup" && has_value) {
      args.warmup = std::atoi(argv[++i]);
    } else if (!a.empty() && a[0] != '-') {
      args.forms.push_back(a);
    } else {
      throw std::runtime_error(
          "usage: bench_render [--config FILE] [--docs N] [--warmup N] "
          "[--out PDF] FORM.xml...");
    }
  }
  if (args.forms.empty() || args.docs < 1) throw std::runtime_error("need a form and --docs >= 1");
  return args;
}

std::vector<FormPtr> LoadForms(const std::vector<std::string>& paths) {
  std::vector<FormPtr> forms;
  for (const std::string& path : paths) {
    LoadResult loaded = LoadFormFile(path);
    if (!loaded.ok()) throw std::runtime_error(loaded.errors.front().ToString());
    forms.push_back(loaded.form);
  }
  return forms;
}

std::size_t CountFields(const std::vector<FormPtr>& forms) {
  std::size_t fields = 0;
  for (const FormPtr& form : forms) fields += form->fields.size();
  return fields;
}

int Run(const Args& args) {
  std::vector<FormPtr> forms = LoadForms(args.forms);
  ClinicSettings clinic;
  if (!args.config.empty()) clinic = LoadSettings(args.config).clinic;
  long rss_before_kb = ProcStatusKb("VmHWM");
  std::string pdf;
  for (int i = 0; i < args.warmup; ++i) pdf = RenderPacket(forms, clinic);
  std::vector<double> ms;
  ms.reserve(static_cast<std::size_t>(args.docs));
  Clock::time_point all = Clock::now();
  for (int i = 0; i < args.docs; ++i) {
    Clock::time_point start = Clock::now();
    pdf = RenderPacket(forms, clinic);
    ms.push_back(MsSince(start));
  }
  double total_ms = MsSince(all);
  if (!args.out.empty()) std::ofstream(args.out, std::ios::binary) << pdf;
  std::ostringstream json;
  json.imbue(std::locale::classic());
  json << "{\"docs\":" << args.docs << ",\"fields\":" << CountFields(forms) << ","
       << StatsJson("ms", ms) << ",\"docs_per_s\":" << 1000.0 * args.docs / total_ms
       << ",\"bytes\":" << pdf.size() << ",\"vmhwm_kb\":" << ProcStatusKb("VmHWM")
       << ",\"vmhwm_before_kb\":" << rss_before_kb << "}";
  std::cout << json.str() << std::endl;
  return 0;
}

}  // namespace
}  // namespace consentkit::bench

int main(int argc, char** argv) {
  using namespace consentkit::bench;
  return DriverMain("bench_render", argc, argv, ParseArgs, Run);
}
