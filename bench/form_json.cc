// bench_form_json: the loaded form model as JSON, so the peer renderers
// (ReportLab, pdf-lib) lay out exactly the text and fields consentkit does:
// whitespace already collapsed, risk-derived fields named as ours are.
//
//   bench_form_json [--config FILE] FORM.xml > form.json
#include <iostream>
#include <string>
#include <type_traits>
#include <variant>

#include "config/config.h"
#include "form/form.h"
#include "util/json_writer.h"

namespace consentkit::bench {
namespace {

void WriteField(JsonWriter& w, const Field& field) {
  w.BeginObject().Field("block", "field").Field("id", field.id);
  w.Field("type", ToString(field.type)).Field("label", field.label).Field("hint", field.hint);
  w.Key("required").Bool(field.required).Field("role", ToString(field.role));
  w.Key("options").BeginArray();
  for (const Option& option : field.options) {
    w.BeginObject().Field("value", option.value).Field("label", option.label).EndObject();
  }
  w.EndArray().EndObject();
}

void WriteBlock(JsonWriter& w, const FormDefinition& form, const Block& block) {
  std::visit(
      [&w, &form](const auto& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, Paragraph>) {
          w.BeginObject().Field("block", "p").Field("text", b.text).EndObject();
        } else if constexpr (std::is_same_v<T, BulletList>) {
          w.BeginObject().Field("block", "list").Key("items").StringArray(b.items).EndObject();
        } else if constexpr (std::is_same_v<T, Risk>) {
          w.BeginObject().Field("block", "risk").Field("id", b.id).Field("title", b.title);
          w.Field("description", b.description).EndObject();
        } else {
          WriteField(w, form.FieldAt(b));
        }
      },
      block);
}

std::string FormJson(const FormDefinition& form, const ClinicSettings& clinic) {
  JsonWriter w;
  w.BeginObject();
  w.Key("clinic").BeginObject().Field("name", clinic.name).Field("address", clinic.address);
  w.Field("phone", clinic.phone)
      .Field("page_size", clinic.page_size == PageSize::kA4 ? "a4" : "letter");
  w.EndObject();
  w.Field("id", form.id).Field("version", form.version).Field("sha256", form.sha256_hex);
  w.Field("lang", form.lang).Field("title", form.title).Field("summary", form.summary);
  w.Key("sections").BeginArray();
  for (const Section& section : form.sections) {
    w.BeginObject().Field("id", section.id).Field("kind", ToString(section.kind));
    w.Field("heading", section.heading).Key("blocks").BeginArray();
    for (const Block& block : section.blocks) WriteBlock(w, form, block);
    w.EndArray().EndObject();
  }
  w.EndArray().EndObject();
  return w.str();
}

}  // namespace
}  // namespace consentkit::bench

int main(int argc, char** argv) {
  using namespace consentkit;
  std::string config, path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      config = argv[++i];
    } else {
      path = a;
    }
  }
  try {
    LoadResult loaded = LoadFormFile(path);
    if (!loaded.ok()) throw std::runtime_error(loaded.errors.front().ToString());
    ClinicSettings clinic;
    if (!config.empty()) clinic = LoadSettings(config).clinic;
    std::cout << bench::FormJson(*loaded.form, clinic) << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bench_form_json: " << e.what() << "\n";
    return 1;
  }
}
