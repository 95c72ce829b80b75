// bench_record_scripts: the sealed record of forms/microneedling-consent.xml
// (RenderSubmission with the seal's placeholder and the patient band, then
// SealPdf) for a patient with a Latin, a Chinese and an Arabic name: the
// median time and size of each, every document with another name of its
// script (as every patient has), so the per-glyph-set subset cache only
// helps where real records would share glyphs. Then every face of the font
// chain is loaded and the process's resident memory reported: what the
// server holds with all fonts in use.
//   bench_record_scripts FORMS_DIR [--docs N]
#include <stdlib.h>

#include <fstream>
#include <iostream>
#include <random>
#include <sstream>

#include "bench_util.h"
#include "form/form.h"
#include "pdf/font.h"
#include "pdf/pdf.h"
#include "seal/seal.h"
#include "support/filled.h"
#include "util/util.h"

namespace consentkit::bench {
namespace {

std::string Utf8(char32_t c) {
  std::string out;
  if (c < 0x800) {
    out += static_cast<char>(0xC0 | c >> 6);
  } else {
    out += static_cast<char>(0xE0 | c >> 12);
    out += static_cast<char>(0x80 | (c >> 6 & 0x3F));
  }
  out += static_cast<char>(0x80 | (c & 0x3F));
  return out;
}

// The i-th name of each script: a fixed family name and a changing given
// name of letters from the script's block.
std::string NameOf(const std::string& script, int i) {
  std::string name;
  if (script == "latin") {
    name = "Zo\u00EB Mu\u00F1oz ";
    for (int k = 0; k < 5; ++k) name += static_cast<char>('a' + (i * 7 + k * 3) % 26);
  } else if (script == "chinese") {
    name = "\u738B";
    for (int k = 0; k < 2; ++k)
      name += Utf8(0x4E00 + static_cast<char32_t>((i * 7919 + k * 104729) % 20902));
  } else {
    name = "\u0645\u062D\u0645\u062F \u0627\u0644";
    for (int k = 0; k < 4; ++k) name += Utf8(0x0628 + static_cast<char32_t>((i * 31 + k * 7) % 19));
  }
  return name;
}

int Run(const std::string& forms_dir, int docs) {
  LoadResult loaded = LoadFormFile(forms_dir + "/microneedling-consent.xml");
  if (!loaded.ok()) throw std::runtime_error(loaded.errors.front().ToString());
  char dir_template[] = "/tmp/bench-record-scripts-XXXXXX";
  std::string keys = mkdtemp(dir_template) ? dir_template : throw std::runtime_error("mkdtemp");
  CreateSelfSignedIdentity(keys, "Cl\u00EDnica Mu\u00F1oz");
  SigningIdentity identity =
      SigningIdentity::Load(keys + "/" + kSealCertFile, keys + "/" + kSealKeyFile);
  std::mt19937_64 rng(7);
  std::ostringstream json;
  json.imbue(std::locale::classic());
  json << "{\"docs\":" << docs;
  long vmrss_before = ProcStatusKb("VmRSS");
  for (const std::string script : {"latin", "chinese", "arabic"}) {
    std::vector<double> ms;
    std::size_t bytes = 0;
    for (int i = -20; i < docs; ++i) {
      std::string name = NameOf(script, i + 20 + (script == "latin" ? 0 : 1000));
      std::string uuid = RandomUuid(rng);
      ValidSubmission valid = test::MustValidate(
          loaded.form, test::FilledSubmission(*loaded.form, uuid, {{"patient-name", name}}));
      RenderOptions options;
      options.patient = PatientIdentity{name, "1990-02-28", "MRN-7", ""};
      options.seal = SealAppearance{"Cl\u00EDnica Mu\u00F1oz", "2026-11-23T10:15:02Z", uuid};
      Clock::time_point start = Clock::now();
      std::string pdf =
          SealPdf(RenderSubmission(valid, Screen(valid), {uuid, "2026-11-23T10:15:02Z"},
                                   ClinicSettings{}, options),
                  identity);
      if (i >= 0) {
        ms.push_back(MsSince(start));
        bytes += pdf.size();
      }
    }
    json << ",\"" << script << "_ms\":" << Percentile(ms, 50) << ",\"" << script
         << "_bytes\":" << bytes / static_cast<std::size_t>(docs);
  }
  const FontChain& chain = FontChain::For(CONSENTKIT_FONT_DIR);
  for (std::size_t i = 0; i < chain.size(); ++i) chain.Face(i);
  json << ",\"faces\":" << chain.size() << ",\"vmrss_before_kb\":" << vmrss_before
       << ",\"vmrss_all_faces_kb\":" << ProcStatusKb("VmRSS")
       << ",\"vmhwm_kb\":" << ProcStatusKb("VmHWM") << "}";
  std::cout << json.str() << std::endl;
  return 0;
}

}  // namespace
}  // namespace consentkit::bench

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: bench_record_scripts FORMS_DIR [--docs N]\n";
    return 2;
  }
  int docs = argc > 3 && std::string(argv[2]) == "--docs" ? std::atoi(argv[3]) : 200;
  try {
    return consentkit::bench::Run(argv[1], docs);
  } catch (const std::exception& e) {
    std::cerr << "bench_record_scripts: " << e.what() << "\n";
    return 1;
  }
}
