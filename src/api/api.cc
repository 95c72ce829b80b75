#include "api/api.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>

#include "util/json_writer.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Poco::Dynamic::Var;
using JsonObject = Poco::JSON::Object::Ptr;
using JsonArray = Poco::JSON::Array::Ptr;

// A submission is four levels deep at most (values → signature → strokes →
// point); the bound keeps a hostile body from recursing the parser deep.
constexpr std::size_t kMaxJsonDepth = 8;

// A problem body stays far below kMaxProblemBytes whatever the client sent:
// the detail and each entry are clipped, and entries stop at the budget.
constexpr std::size_t kMaxDetailBytes = 2000;
constexpr std::size_t kMaxFieldIdBytes = 120;
constexpr std::size_t kMaxMessageBytes = 600;
constexpr std::size_t kProblemFieldsBudget = 48 * 1024;

bool IsObject(const Var& v) { return v.type() == typeid(JsonObject); }
bool IsArray(const Var& v) { return v.type() == typeid(JsonArray); }
bool IsNumber(const Var& v) { return !v.isBoolean() && !v.isString() && v.isNumeric(); }

// A JSON number as a float, if it is one and fits: 1e300 is refused here
// rather than overflowing into infinity (or a RangeException) later.
bool ToFloat(const Var& v, float& out) {
  if (!IsNumber(v)) return false;
  double d = v.convert<double>();
  if (!std::isfinite(d) || std::fabs(d) > 1e7) return false;
  out = static_cast<float>(d);
  return true;
}

// `text` cut to at most `limit` bytes at a character boundary, with "…"
// when cut: what a client sent is echoed back only in bounded pieces.
std::string Clip(const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return text;
  std::size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "\u2026";
}

// Poco's handler keeps the last of two equal keys, so {"id": a, "id": b}
// would be read as b while a client or proxy that keeps the first reads a.
// This one builds the same tree but refuses a second equal key in any
// object, at any depth, naming it and the object it is in.
class StrictParseHandler : public Poco::JSON::ParseHandler {
 public:
  void reset() override {
    ParseHandler::reset();
    open_.clear();
    pending_key_.clear();
    duplicate_.clear();
  }
  void startObject() override {
    std::string where = open_.empty() ? "the top-level object" : Where();
    ParseHandler::startObject();
    open_.push_back({std::move(where), {}, false});
  }
  void endObject() override {
    ParseHandler::endObject();
    open_.pop_back();
  }
  void startArray() override {
    ParseHandler::startArray();
    open_.push_back({Where(), {}, true});
  }
  void endArray() override {
    ParseHandler::endArray();
    open_.pop_back();
  }
  void key(const std::string& k) override {
    Open& object = open_.back();
    // Noted, not thrown: an exception through Poco's parser would leave
    // its C parser's state unfreed.
    if (!object.keys.insert(k).second && duplicate_.empty()) {
      duplicate_ = "the body has the duplicate key \"" + Clip(k, 100) + "\" in " + object.where +
                   "; expected each key at most once per object";
    }
    pending_key_ = k;
    ParseHandler::key(k);
  }
  // Empty, or what the first duplicate key was and where.
  const std::string& duplicate() const { return duplicate_; }

 private:
  struct Open {
    std::string where;           // for messages: "the top-level object", "\"values\"", …
    std::set<std::string> keys;  // the keys seen so far (objects only)
    bool array = false;
  };
  // How a message names the container about to open: by the key it is the
  // value of, or as an entry of the enclosing list.
  std::string Where() const {
    if (open_.empty()) return "the top-level list";
    if (open_.back().array) return "an entry of " + open_.back().where;
    return "\"" + Clip(pending_key_, 100) + "\"";
  }
  std::vector<Open> open_;
  std::string pending_key_;
  std::string duplicate_;
};

Var ParseJson(const std::string& body) {
  auto* strict = new StrictParseHandler;
  Poco::JSON::Parser parser{Poco::JSON::Handler::Ptr(strict)};
  parser.setDepth(kMaxJsonDepth);
  Var root;
  try {
    root = parser.parse(body);
  } catch (const Poco::Exception& e) {
    throw JsonSyntaxError("the body is not valid JSON: " + e.message());
  }
  if (!strict->duplicate().empty()) throw JsonSyntaxError(strict->duplicate());
  return root;
}

// Reads a JSON-typed value into the kind of FieldValue it can only be; the
// validator then checks it against the field's type.
class ValueReader {
 public:
  explicit ValueReader(std::vector<FieldError>& errors) : errors_(errors) {}

  bool Read(const std::string& id, const Var& json, FieldValue& out) {
    if (json.isString()) {
      out = json.extract<std::string>();
    } else if (json.isBoolean()) {
      out = json.extract<bool>();
    } else if (IsArray(json)) {
      return ReadChoices(id, json.extract<JsonArray>(), out);
    } else if (IsObject(json)) {
      return ReadSignature(id, json.extract<JsonObject>(), out);
    } else {
      errors_.push_back({id,
                         "is a number; expected text, true/false, a list of option values "
                         "or a signature object"});
      return false;
    }
    return true;
  }

 private:
  bool ReadChoices(const std::string& id, const JsonArray& array, FieldValue& out) {
    std::vector<std::string> ticked;
    for (std::size_t i = 0; i < array->size(); ++i) {
      Var item = array->get(static_cast<unsigned>(i));
      if (!item.isString()) {
        errors_.push_back({id, "has a list entry that is not text; expected option values"});
        return false;
      }
      ticked.push_back(item.extract<std::string>());
    }
    out = std::move(ticked);
    return true;
  }

  bool ReadSignature(const std::string& id, const JsonObject& object, FieldValue& out) {
    Signature signature;
    for (const std::string& key : object->getNames()) {
      if (key != "width" && key != "height" && key != "strokes") {
        return Fail(id, "has \"" + key + "\"; expected only width, height and strokes");
      }
    }
    if (!ToFloat(object->get("width"), signature.pad_width) ||
        !ToFloat(object->get("height"), signature.pad_height)) {
      return Fail(id, "needs the pad size as numbers \"width\" and \"height\"");
    }
    Var strokes = object->get("strokes");
    if (!IsArray(strokes)) return Fail(id, "needs \"strokes\": a list of strokes");
    JsonArray stroke_list = strokes.extract<JsonArray>();
    for (std::size_t i = 0; i < stroke_list->size(); ++i) {
      Stroke stroke;
      if (!ReadStroke(stroke_list->get(static_cast<unsigned>(i)), stroke)) {
        return Fail(id, "has stroke " + std::to_string(i + 1) +
                            " that is not a list of [x, y, t] points (numbers; t in whole ms)");
      }
      signature.strokes.push_back(std::move(stroke));
    }
    out = std::move(signature);
    return true;
  }

  static bool ReadStroke(const Var& json, Stroke& stroke) {
    if (!IsArray(json)) return false;
    JsonArray points = json.extract<JsonArray>();
    for (std::size_t i = 0; i < points->size(); ++i) {
      Var point = points->get(static_cast<unsigned>(i));
      if (!IsArray(point)) return false;
      JsonArray xyt = point.extract<JsonArray>();
      if (xyt->size() != 3) return false;
      StrokePoint p;
      float t_ms = 0;
      if (!ToFloat(xyt->get(0), p.x) || !ToFloat(xyt->get(1), p.y) || !ToFloat(xyt->get(2), t_ms)) {
        return false;
      }
      // Whole milliseconds only, so what is stored is exactly what was sent.
      if (!(t_ms >= 0 && t_ms <= 3'600'000) || t_ms != std::floor(t_ms)) return false;
      p.t_ms = static_cast<int>(t_ms);
      stroke.push_back(p);
    }
    return true;
  }

  bool Fail(const std::string& id, const std::string& message) {
    errors_.push_back({id, message});
    return false;
  }

  std::vector<FieldError>& errors_;
};

std::string StringMember(const JsonObject& object, const std::string& key, const std::string& where,
                         std::vector<FieldError>& errors) {
  Var value = object->get(key);
  if (value.isString()) return value.extract<std::string>();
  errors.push_back({where, value.isEmpty() ? "is missing" : "is not text"});
  return "";
}

void ReadForm(const JsonObject& root, Submission& s, std::vector<FieldError>& errors) {
  Var form = root->get("form");
  if (!IsObject(form)) {
    errors.push_back({"form",
                      "is missing; expected {\"id\", \"version\", \"sha256\"} of the "
                      "definition the page was made from"});
    return;
  }
  JsonObject object = form.extract<JsonObject>();
  s.form_id = StringMember(object, "id", "form.id", errors);
  s.form_version = StringMember(object, "version", "form.version", errors);
  s.form_sha256 = StringMember(object, "sha256", "form.sha256", errors);
}

void ReadValues(const JsonObject& root, Submission& s, std::vector<FieldError>& errors) {
  Var values = root->get("values");
  if (!IsObject(values)) {
    errors.push_back({"values", "is missing; expected an object of values by field id"});
    return;
  }
  JsonObject object = values.extract<JsonObject>();
  ValueReader reader(errors);
  for (const std::string& id : object->getNames()) {
    Var json = object->get(id);
    if (json.isEmpty()) continue;  // null: left empty, as if omitted
    FieldValue value;
    if (reader.Read(id, json, value)) s.values.emplace(id, std::move(value));
  }
}

void ReadEnvelope(const JsonObject& root, Submission& s, std::vector<FieldError>& errors) {
  static const std::set<std::string> kKeys = {"id", "form", "language", "values", "visit"};
  for (const std::string& key : root->getNames()) {
    if (!kKeys.count(key)) {
      errors.push_back(
          {key, "is not part of a submission; expected id, form, language, values, visit"});
    }
  }
  if (!root->get("visit").isEmpty()) {
    s.visit_id = StringMember(root, "visit", "visit", errors);
    if (!s.visit_id.empty() && !IsVisitId(s.visit_id)) {
      errors.push_back({"visit", "is not a visit id; expected \"vis_\" and 24 hex digits"});
    }
  }
  std::string id = StringMember(root, "id", "id", errors);
  if (!id.empty() && !IsUuid(id)) {
    errors.push_back({"id", "is not a UUID; expected 8-4-4-4-12 hex digits"});
  }
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  s.uuid = id;
  s.language = StringMember(root, "language", "language", errors);
  ReadForm(root, s, errors);
  ReadValues(root, s, errors);
}

void WriteValue(JsonWriter& w, const FieldValue& value) {
  if (const auto* text = std::get_if<std::string>(&value)) {
    w.String(*text);
  } else if (const auto* ticked = std::get_if<bool>(&value)) {
    w.Bool(*ticked);
  } else if (const auto* choices = std::get_if<std::vector<std::string>>(&value)) {
    w.StringArray(*choices);
  } else {
    const auto& signature = std::get<Signature>(value);
    w.BeginObject().Key("height").Float(signature.pad_height).Key("strokes").BeginArray();
    for (const Stroke& stroke : signature.strokes) {
      w.BeginArray();
      for (const StrokePoint& p : stroke)
        w.BeginArray().Float(p.x).Float(p.y).Int(p.t_ms).EndArray();
      w.EndArray();
    }
    w.EndArray().Key("width").Float(signature.pad_width).EndObject();
  }
}

void WriteOptions(JsonWriter& w, const Field& field) {
  w.Key("options").BeginArray();
  for (const Option& o : field.options) {
    w.BeginObject().Field("value", o.value).Field("label", o.label).EndObject();
  }
  w.EndArray();
}

void WriteFieldLimits(JsonWriter& w, const Field& field) {
  std::size_t max_length = MaxLengthOf(field);  // the author's, else the type's
  if (max_length > 0) w.Key("max_length").Int(static_cast<long long>(max_length));
  switch (field.type) {
    case FieldType::kDate:
      w.Field("format", "YYYY-MM-DD");
      break;
    case FieldType::kCheckbox:
      // A risk's box: the only acceptable answer is true.
      w.Key("must_be").Bool(true);
      break;
    case FieldType::kSignature:
      w.Key("max_points").Int(static_cast<long long>(kMaxSignaturePoints));
      break;
    default:
      break;
  }
}

void WriteField(JsonWriter& w, const Field& field,
                const std::map<std::string, std::string>& risk_of) {
  w.BeginObject().Field("id", field.id).Field("type", ToString(field.type));
  w.Field("json_type", RulesOf(field.type).json_type).Field("label", field.label);
  if (!field.hint.empty()) w.Field("hint", field.hint);
  w.Key("required").Bool(field.required).Key("screening").Bool(field.screening);
  WriteFieldLimits(w, field);
  if (field.role != SignerRole::kNone) w.Field("role", ToString(field.role));
  if (auto risk = risk_of.find(field.id); risk != risk_of.end()) w.Field("risk", risk->second);
  if (!field.options.empty()) WriteOptions(w, field);
  if (field.condition) {
    w.Key("condition").BeginObject().Field("field", field.condition->field_id);
    w.Field("equals", field.condition->equals).EndObject();
  }
  w.EndObject();
}

void WriteForm(JsonWriter& w, const FormDefinition& form) {
  w.BeginObject().Field("id", form.id).Field("version", form.version);
  w.Field("sha256", form.sha256_hex).Field("kind", ToString(form.kind)).Field("lang", form.lang);
  w.Field("title", form.title);
  w.Field("page_url", "/forms/" + form.id).Field("pdf_url", "/forms/" + form.id + ".pdf");
  w.Field("submit_url", "/api/v1/forms/" + form.id + "/submissions");
  std::map<std::string, std::string> risk_of;
  w.Key("risks").BeginArray();
  for (const Risk* risk : form.Risks()) {
    risk_of[risk->UnderstoodFieldId()] = risk->id;
    risk_of[risk->InitialsFieldId()] = risk->id;
    w.BeginObject().Field("id", risk->id).Field("title", risk->title);
    w.Field("description", risk->description).EndObject();
  }
  w.EndArray().Key("fields").BeginArray();
  for (const Field& field : form.fields) WriteField(w, field, risk_of);
  w.EndArray().Key("rules").BeginArray();
  for (const Rule& rule : form.rules) {
    w.BeginObject().Key("when").BeginObject().Field("field", rule.when.field_id);
    w.Field("equals", rule.when.equals).EndObject();
    w.Field("outcome", ToString(rule.outcome)).Field("reason", rule.reason).EndObject();
  }
  w.EndArray().EndObject();
}

void WriteReview(JsonWriter& w, const std::optional<Review>& review) {
  w.Key("review");
  if (!review) {
    w.Null();
    return;
  }
  w.BeginObject().Field("decision", review->decision).Field("note", review->note);
  w.Field("practitioner", review->practitioner);
  w.Field("practitioner_name", review->practitioner_name);
  w.Field("reviewed_at", review->reviewed_at).Field("pdf_sha256", review->pdf_sha256);
  w.EndObject();
}

void WriteReceiptFields(JsonWriter& w, const SubmissionRecord& r, ReceiptAudience audience) {
  w.Field("id", r.id).Field("received_at", r.received_at);
  if (audience == ReceiptAudience::kPatient) return;
  w.Field("outcome", ToString(r.outcome)).Key("reasons").StringArray(r.reasons);
  w.Field("pdf_sha256", r.pdf_sha256).Field("pdf_url", PdfUrl(r.id));
  w.Field("visit", r.visit_id).Key("needs_review").Bool(r.needs_review);
  WriteReview(w, r.review);
}

const char* ProblemSlug(int status) {
  switch (status) {
    case 400:
      return "bad-request";
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not-found";
    case 405:
      return "method-not-allowed";
    case 409:
      return "conflict";
    case 413:
      return "too-large";
    case 415:
      return "unsupported-media-type";
    case 422:
      return "validation";
    case 429:
      return "too-many-requests";
    default:
      return "server-error";
  }
}

}  // namespace

bool IsVisitId(const std::string& text) {
  if (text.size() != 28 || text.compare(0, 4, "vis_") != 0) return false;
  return std::all_of(text.begin() + 4, text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

namespace {

// Only `allowed` keys; each other one is an error named after it.
void OnlyKeys(const JsonObject& object, const std::set<std::string>& allowed,
              const std::string& prefix, std::vector<FieldError>& errors) {
  std::string list;
  for (const std::string& key : allowed) list += (list.empty() ? "" : ", ") + key;
  for (const std::string& key : object->getNames()) {
    if (!allowed.count(key))
      errors.push_back({prefix + key, "is not expected here; expected " + list});
  }
}

JsonObject ObjectBody(const std::string& body, const std::string& what) {
  Var root = ParseJson(body);
  if (!IsObject(root))
    throw JsonSyntaxError("the body is JSON but not an object; expected " + what);
  return root.extract<JsonObject>();
}

void ReadPatient(const JsonObject& root, Patient& patient, std::vector<FieldError>& errors) {
  Var value = root->get("patient");
  if (!IsObject(value)) {
    errors.push_back({"patient", "is missing; expected {\"name\", \"date_of_birth\", \"number\"}"});
    return;
  }
  JsonObject object = value.extract<JsonObject>();
  OnlyKeys(object, {"name", "date_of_birth", "number"}, "patient.", errors);
  patient.name = StringMember(object, "name", "patient.name", errors);
  patient.date_of_birth = StringMember(object, "date_of_birth", "patient.date_of_birth", errors);
  if (!object->get("number").isEmpty()) {
    patient.number = StringMember(object, "number", "patient.number", errors);
  }
}

}  // namespace

std::optional<std::string> ParseStringMember(const std::string& body, const std::string& key) {
  Var value = ObjectBody(body, "an object")->get(key);
  if (!value.isString()) return std::nullopt;
  return value.extract<std::string>();
}

ParsedVisitRequest ParseVisitRequest(const std::string& body) {
  JsonObject root = ObjectBody(body, "a visit");
  ParsedVisitRequest parsed;
  OnlyKeys(root, {"patient", "forms"}, "", parsed.errors);
  ReadPatient(root, parsed.patient, parsed.errors);
  Var forms = root->get("forms");
  if (forms.isEmpty()) return parsed;
  ValueReader reader(parsed.errors);
  FieldValue ids;
  if (!IsArray(forms)) {
    parsed.errors.push_back({"forms", "is not a list; expected form ids"});
  } else if (reader.Read("forms", forms, ids)) {
    parsed.form_ids = std::get<std::vector<std::string>>(ids);
  }
  return parsed;
}

ParsedReview ParseReviewRequest(const std::string& body) {
  JsonObject root = ObjectBody(body, "a review");
  ParsedReview parsed;
  auto& errors = parsed.errors;
  OnlyKeys(root, {"decision", "note", "signature"}, "", errors);
  parsed.decision = StringMember(root, "decision", "decision", errors);
  if (!parsed.decision.empty() && parsed.decision != "proceed" && parsed.decision != "defer" &&
      parsed.decision != "decline") {
    errors.push_back({"decision", "is \"" + parsed.decision.substr(0, 40) +
                                      "\"; expected proceed, defer or decline"});
  }
  if (!root->get("note").isEmpty()) parsed.note = StringMember(root, "note", "note", errors);
  Field note{};
  note.type = FieldType::kTextArea;
  if (std::string problem = CheckTextValue(note, parsed.note); !problem.empty()) {
    errors.push_back({"note", problem});
  }
  Var signature = root->get("signature");
  FieldValue drawn;
  ValueReader reader(errors);
  if (!IsObject(signature)) {
    errors.push_back({"signature", "is missing; expected the practitioner's drawn signature"});
  } else if (reader.Read("signature", signature, drawn)) {
    parsed.signature = std::get<Signature>(drawn);
    if (std::string problem = CheckSignatureValue(parsed.signature); !problem.empty()) {
      errors.push_back({"signature", problem});
    }
  }
  return parsed;
}

ParsedSubmission ParseSubmission(const std::string& body) {
  Var root = ParseJson(body);
  ParsedSubmission parsed;
  if (!IsObject(root)) {
    parsed.errors.push_back({"", "the body is JSON but not an object; expected a submission"});
    return parsed;
  }
  try {
    ReadEnvelope(root.extract<JsonObject>(), parsed.submission, parsed.errors);
  } catch (const Poco::Exception& e) {
    // A value Poco cannot convert: still the client's input, never a 500.
    parsed.errors.push_back({"", "the submission has a value that cannot be read: " + e.message()});
  }
  return parsed;
}

std::string CanonicalSubmissionJson(const Submission& s) {
  JsonWriter w;
  w.BeginObject().Key("form").BeginObject().Field("id", s.form_id);
  w.Field("sha256", s.form_sha256).Field("version", s.form_version).EndObject();
  w.Field("id", s.uuid).Field("language", s.language).Key("values").BeginObject();
  for (const auto& [id, value] : s.values) {  // std::map: sorted by id
    w.Key(id);
    WriteValue(w, value);
  }
  w.EndObject();
  // Only when set, so standalone submissions keep the text (and hash) they had.
  if (!s.visit_id.empty()) w.Field("visit", s.visit_id);
  w.EndObject();
  return w.str();
}

std::string DescribeFormJson(const FormDefinition& form) {
  JsonWriter w;
  WriteForm(w, form);
  return w.str();
}

std::string DescribeFormsJson(const std::vector<FormPtr>& forms) {
  JsonWriter w;
  w.BeginObject().Key("forms").BeginArray();
  for (const FormPtr& form : forms) WriteForm(w, *form);
  w.EndArray().EndObject();
  return w.str();
}

std::string PdfUrl(const std::string& submission_id) {
  return "/api/v1/submissions/" + submission_id + ".pdf";
}

std::string ReceiptJson(const SubmissionRecord& record, ReceiptAudience audience) {
  JsonWriter w;
  w.BeginObject();
  WriteReceiptFields(w, record, audience);
  w.EndObject();
  return w.str();
}

std::string SubmissionRecordJson(const SubmissionRecord& record) {
  JsonWriter w;
  w.BeginObject();
  WriteReceiptFields(w, record, ReceiptAudience::kStaff);
  w.Key("form").BeginObject().Field("id", record.form_id).Field("version", record.form_version);
  w.Field("sha256", record.form_sha256).EndObject().Field("language", record.language);
  w.Key("submission").Raw(record.content_json).EndObject();
  return w.str();
}

std::string ProblemJson(int status, const std::string& title, const std::string& detail,
                        const std::vector<FieldError>& fields) {
  JsonWriter w;
  w.BeginObject().Field("type",
                        std::string("https://consentkit.example/problems/") + ProblemSlug(status));
  w.Field("title", title).Key("status").Int(status).Field("detail", Clip(detail, kMaxDetailBytes));
  w.Key("fields").BeginArray();
  // Ids and messages echo what the client sent, so each is clipped, and
  // the list stops at kMaxProblemFields or when the body would pass its
  // budget (escaping can make a clipped piece up to six times longer).
  std::size_t listed = 0;
  for (const FieldError& e : fields) {
    if (listed == kMaxProblemFields) break;
    std::string entry = "{\"id\":" + JsonQuote(Clip(e.field_id, kMaxFieldIdBytes)) +
                        ",\"message\":" + JsonQuote(Clip(e.message, kMaxMessageBytes)) + "}";
    if (w.str().size() + entry.size() > kProblemFieldsBudget) break;
    w.Raw(entry);
    ++listed;
  }
  w.EndArray().Key("fields_total").Int(static_cast<long long>(fields.size())).EndObject();
  return w.str();
}

}  // namespace consentkit
