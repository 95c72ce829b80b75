// The JSON wire formats: parsing submissions, their canonical form, form
// descriptions and problem bodies. JSON written by us is read back with
// Poco's parser, so the tests judge it by an independent reader.
#include "api/api.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <doctest/doctest.h>

#include "form/field_rules.h"
#include "support/filled.h"
#include "support/support.h"
#include "util/json_writer.h"

namespace consentkit {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr char kUuid[] = "0b6f3c9e-6a8e-4b8e-9a57-6c1e2f0d9a41";

Object::Ptr ParseObject(const std::string& json) {
  return Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
}

FormPtr Consent() {
  LoadResult r = LoadFormFile(test::SourcePath("forms/microneedling-consent.xml"));
  REQUIRE(r.ok());
  return r.form;
}

std::string Envelope(const std::string& values, const std::string& extra = "") {
  return std::string("{\"id\":\"") + kUuid +
         "\",\"form\":{\"id\":\"f\",\"version\":\"1\",\"sha256\":\"ab\"},\"language\":\"en\"," +
         extra + "\"values\":" + values + "}";
}

std::vector<std::string> ErrorIds(const ParsedSubmission& p) {
  std::vector<std::string> ids;
  for (const FieldError& e : p.errors) ids.push_back(e.field_id + ": " + e.message);
  return ids;
}

TEST_CASE("a submission payload is read into typed values") {
  ParsedSubmission p = ParseSubmission(
      Envelope(R"({"name":"Zoë","ok":true,"areas":["face","neck"],"skip":null,)"
               R"("sig":{"width":600,"height":200.5,"strokes":[[[1,2,0],[3.25,4,16]]]}})"));
  REQUIRE(p.errors.empty());
  const Submission& s = p.submission;
  CHECK(s.uuid == kUuid);
  CHECK(s.form_id == "f");
  CHECK(s.form_version == "1");
  CHECK(s.form_sha256 == "ab");
  CHECK(s.language == "en");
  CHECK(std::get<std::string>(s.values.at("name")) == "Zoë");
  CHECK(std::get<bool>(s.values.at("ok")));
  CHECK(std::get<std::vector<std::string>>(s.values.at("areas")) ==
        std::vector<std::string>{"face", "neck"});
  CHECK(s.values.count("skip") == 0);  // null is the same as leaving it out
  const auto& sig = std::get<Signature>(s.values.at("sig"));
  CHECK(sig.pad_width == 600);
  CHECK(sig.pad_height == 200.5f);
  REQUIRE(sig.strokes.size() == 1);
  REQUIRE(sig.strokes[0].size() == 2);
  CHECK(sig.strokes[0][1].x == 3.25f);
  CHECK(sig.strokes[0][1].t_ms == 16);
}

TEST_CASE("an upper-case UUID is stored in lower case") {
  std::string body = Envelope("{}");
  body.replace(body.find(kUuid), 36, "0B6F3C9E-6A8E-4B8E-9A57-6C1E2F0D9A41");
  ParsedSubmission p = ParseSubmission(body);
  CHECK(p.errors.empty());
  CHECK(p.submission.uuid == kUuid);
}

TEST_CASE("malformed JSON is a syntax error, not a shape error") {
  CHECK_THROWS_AS(ParseSubmission("{\"id\": "), JsonSyntaxError);
  CHECK_THROWS_AS(ParseSubmission(""), JsonSyntaxError);
  CHECK_THROWS_AS(ParseSubmission("{'id': 1}"), JsonSyntaxError);
  // Deep nesting is refused by the parser's depth bound, not the stack.
  CHECK_THROWS_AS(ParseSubmission(std::string(100000, '[')), JsonSyntaxError);
}

TEST_CASE("each envelope problem is named") {
  CHECK(ErrorIds(ParseSubmission("[1]")) ==
        std::vector<std::string>{": the body is JSON but not an object; expected a submission"});
  ParsedSubmission p = ParseSubmission("{\"extra\":1}");
  CHECK(ErrorIds(p) ==
        std::vector<std::string>{
            "extra: is not part of a submission; expected id, form, language, values, visit",
            "id: is missing", "language: is missing",
            "form: is missing; expected {\"id\", \"version\", \"sha256\"} of the definition the "
            "page was made from",
            "values: is missing; expected an object of values by field id"});
  std::string bad_id = Envelope("{}");
  bad_id.replace(bad_id.find(kUuid), 36, "not-a-uuid");
  CHECK(ErrorIds(ParseSubmission(bad_id)) ==
        std::vector<std::string>{"id: is not a UUID; expected 8-4-4-4-12 hex digits"});
  CHECK(ErrorIds(ParseSubmission("{\"id\":\"" + std::string(kUuid) +
                                 "\",\"form\":{\"id\":1},\"language\":\"en\",\"values\":{}}")) ==
        std::vector<std::string>{"form.id: is not text", "form.version: is missing",
                                 "form.sha256: is missing"});
}

TEST_CASE("values of a JSON type no field takes are refused by field id") {
  ParsedSubmission p = ParseSubmission(Envelope(
      R"({"age":42,"areas":["face",3],"sig":{"width":600,"height":200,"strokes":[[[1,2]]]},)"
      R"("sig2":{"width":"600","height":200,"strokes":[]},"sig3":{"w":1})"
      "}"));
  CHECK(ErrorIds(p) ==
        std::vector<std::string>{
            "age: is a number; expected text, true/false, a list of option values or a "
            "signature object",
            "areas: has a list entry that is not text; expected option values",
            "sig: has stroke 1 that is not a list of [x, y, t] points (numbers; t in whole ms)",
            "sig2: needs the pad size as numbers \"width\" and \"height\"",
            "sig3: has \"w\"; expected only width, height and strokes"});
  CHECK(p.submission.values.empty());
  // Numbers past float range or with fractional milliseconds are refused, not overflowed.
  ParsedSubmission huge =
      ParseSubmission(Envelope(R"({"a":{"width":1e300,"height":200,"strokes":[]},)"
                               R"("b":{"width":600,"height":200,"strokes":[[[1e300,2,0]]]},)"
                               R"("c":{"width":600,"height":200,"strokes":[[[1,2,0.5]]]}})"));
  CHECK(ErrorIds(huge) ==
        std::vector<std::string>{
            "a: needs the pad size as numbers \"width\" and \"height\"",
            "b: has stroke 1 that is not a list of [x, y, t] points (numbers; t in whole ms)",
            "c: has stroke 1 that is not a list of [x, y, t] points (numbers; t in whole ms)"});
}

TEST_CASE("the canonical form ignores formatting and key order, not content") {
  std::string a = Envelope(R"({"b":"x","a":["1","2"],"s":{"width":600,"height":200,)"
                           R"("strokes":[[[0.1,2,0]]]}})");
  std::string b =
      "{ \"values\" : {\"s\":{\"strokes\":[[[0.100000,2.0,0]]],\"height\":200,\"width\":6e2},"
      "\"a\":[\"1\",\"2\"], \"b\":\"x\"},\n\"language\":\"en\",\"form\":{\"sha256\":\"ab\","
      "\"version\":\"1\",\"id\":\"f\"},\"id\":\"" +
      std::string(kUuid) + "\"}";
  std::string canonical_a = CanonicalSubmissionJson(ParseSubmission(a).submission);
  CHECK(canonical_a == CanonicalSubmissionJson(ParseSubmission(b).submission));
  CHECK(canonical_a ==
        std::string("{\"form\":{\"id\":\"f\",\"sha256\":\"ab\",\"version\":\"1\"},\"id\":\"") +
            kUuid +
            "\",\"language\":\"en\",\"values\":{\"a\":[\"1\",\"2\"],\"b\":\"x\",\"s\":{\"height\":"
            "200,\"strokes\":[[[0.1,2,0]]],\"width\":600}}}");
  std::string c = Envelope(R"({"b":"y","a":["1","2"]})");
  CHECK(canonical_a != CanonicalSubmissionJson(ParseSubmission(c).submission));
  // Reading the canonical text back gives the same canonical text.
  CHECK(CanonicalSubmissionJson(ParseSubmission(canonical_a).submission) == canonical_a);
}

TEST_CASE("a filled submission survives the round trip through its canonical JSON") {
  FormPtr form = Consent();
  Submission s = test::FilledSubmission(*form, kUuid);
  REQUIRE(ValidateSubmission(form, s).ok());
  ParsedSubmission back = ParseSubmission(CanonicalSubmissionJson(s));
  REQUIRE(back.errors.empty());
  CHECK(ValidateSubmission(form, back.submission).ok());
  CHECK(CanonicalSubmissionJson(back.submission) == CanonicalSubmissionJson(s));
}

TEST_CASE("a form description lists every field a submission carries") {
  FormPtr form = Consent();
  Object::Ptr d = ParseObject(DescribeFormJson(*form));
  CHECK(d->getValue<std::string>("id") == form->id);
  CHECK(d->getValue<std::string>("version") == form->version);
  CHECK(d->getValue<std::string>("sha256") == form->sha256_hex);
  CHECK(d->getValue<std::string>("submit_url") == "/api/v1/forms/" + form->id + "/submissions");
  Array::Ptr fields = d->getArray("fields");
  REQUIRE(fields->size() == form->fields.size());
  for (std::size_t i = 0; i < form->fields.size(); ++i) {
    const Field& field = form->fields[i];
    Object::Ptr f = fields->getObject(static_cast<unsigned>(i));
    CAPTURE(field.id);
    CHECK(f->getValue<std::string>("id") == field.id);
    CHECK(f->getValue<std::string>("type") == ToString(field.type));
    CHECK(f->getValue<bool>("required") == field.required);
    CHECK(f->has("condition") == field.condition.has_value());
    if (field.type == FieldType::kChoice || field.type == FieldType::kMultiChoice) {
      CHECK(f->getArray("options")->size() == field.options.size());
    }
  }
  for (const Risk* risk : form->Risks()) {
    for (const std::string& id : {risk->UnderstoodFieldId(), risk->InitialsFieldId()}) {
      const Field* field = form->FindField(id);
      REQUIRE(field);
      std::size_t index = static_cast<std::size_t>(field - form->fields.data());
      Object::Ptr f = fields->getObject(static_cast<unsigned>(index));
      CHECK(f->getValue<std::string>("risk") == risk->id);
      CHECK(f->getValue<bool>("required"));
    }
  }
}

TEST_CASE("a form description gives each text field's own limit") {
  LoadResult r = LoadFormFromMemory(R"(<form id="limits" version="1" kind="general" lang="en">
    <title>Limits</title>
    <section id="s" kind="fields"><heading>Details</heading>
      <field id="nickname" type="text" max-length="5"><label>Nickname</label></field>
      <field id="initials" type="initials" max-length="3"><label>Initials</label></field>
      <field id="plain" type="text"><label>Plain</label></field>
      <field id="when" type="date"><label>When</label></field>
    </section></form>)",
                                    "limits.xml");
  REQUIRE(r.ok());
  Array::Ptr fields = ParseObject(DescribeFormJson(*r.form))->getArray("fields");
  REQUIRE(fields->size() == 4);
  CHECK(fields->getObject(0)->getValue<int>("max_length") == 5);
  CHECK(fields->getObject(1)->getValue<int>("max_length") == 3);
  CHECK(fields->getObject(2)->getValue<int>("max_length") == 2000);
  CHECK_FALSE(fields->getObject(3)->has("max_length"));
}

// The page is given form/field_rules.h's syntax rules; the validator must
// hold values to the same ones.
// The page builds a RegExp from kEmailPattern (web/consentkit.js): the same
// text must mean the same in JavaScript as in std::regex, which node judges.
TEST_CASE("the e-mail pattern means the same to the page's JavaScript") {
  const std::vector<std::string> samples = {
      "a@b.co", "é@ü.de", "a\u00a0b@ex.com", "a\u2003b@ex.com", "a b@c.de",    "a\tb@c.de",
      "a@b",    "@b.co",  "a@@b.co",         "a@b..co",         "a@b.c\u00a0d"};
  std::string cxx;
  for (const std::string& text : samples) cxx += IsEmailAddress(text) ? "1" : "0";
  JsonWriter pattern;
  pattern.String(kEmailPattern);
  JsonWriter texts;
  texts.StringArray(samples);
  std::string script = "const re = new RegExp('^(?:' + " + pattern.str() + " + ')$');" +
                       "process.stdout.write(" + texts.str() +
                       ".map(t => re.test(t) ? '1' : '0').join(''));";
  test::CommandResult js = test::Run("node -e " + test::ShellQuote(script));
  REQUIRE(js.exit_code == 0);
  CHECK(js.out == cxx);
}

TEST_CASE("the syntax rules the page is given are the validator's") {
  Field email;
  email.type = FieldType::kEmail;
  const std::string nbsp = "\u00a0";
  for (const std::string& text :
       std::vector<std::string>{"a@b.co", "name@example.com", "é@ü.de", "a" + nbsp + "b@ex.com"}) {
    CAPTURE(text);
    CHECK(CheckTextValue(email, text) == "");
  }
  for (const std::string& text :
       std::vector<std::string>{"a@b", "a b@c.de", "@b.co", "a@@b.co", "a@b..co", "a\tb@c.de"}) {
    CAPTURE(text);
    CHECK(CheckTextValue(email, text) == "\"" + text + "\" is not an e-mail address");
  }
  CHECK(CheckTextValue(email, "x@" + std::string(250, 'y') + ".com") ==
        "is 256 characters; expected at most 254");
  Field phone;
  phone.type = FieldType::kPhone;
  for (const std::string& text :
       std::vector<std::string>{"207 555 0199", "+44 (20) 7555-0199", "5550199"}) {
    CAPTURE(text);
    CHECK(CheckTextValue(phone, text) == "");
  }
  for (const std::string& text : std::vector<std::string>{"555 01", "555-0199 x2"}) {
    CAPTURE(text);
    CHECK(CheckTextValue(phone, text) == "is not a phone number; expected at least 7 digits");
  }
  CHECK(CheckTextValue(phone, std::string(33, '5')) == "is 33 characters; expected at most 32");
  Field date;
  date.type = FieldType::kDate;
  CHECK(CheckTextValue(date, std::to_string(kMinDateYear) + "-01-01").empty());
  CHECK(CheckTextValue(date, std::to_string(kMaxDateYear) + "-12-31").empty());
  CHECK_FALSE(CheckTextValue(date, std::to_string(kMinDateYear - 1) + "-12-31").empty());
  CHECK_FALSE(CheckTextValue(date, std::to_string(kMaxDateYear + 1) + "-01-01").empty());
  // A stroke across exactly the least share of a 200 px pad is a signature;
  // a little less is not.
  auto across = [](float span) {
    Signature s;
    s.pad_width = 200;
    s.pad_height = 100;
    s.strokes = {{{10, 50, 0}, {10 + span, 50, 16}}};
    return CheckSignatureValue(s);
  };
  CHECK(across(kMinSignatureShare * 200).empty());
  CHECK_FALSE(across(kMinSignatureShare * 200 - 1).empty());
}

TEST_CASE("a problem body carries type, title, status, detail and the field ids") {
  Object::Ptr p = ParseObject(ProblemJson(422, "Submission is not valid", "2 fields are not valid",
                                          {{"a", "is required"}, {"b\"<", "bad\n"}}));
  CHECK(p->getValue<std::string>("type") == "https://consentkit.example/problems/validation");
  CHECK(p->getValue<int>("status") == 422);
  CHECK(p->getValue<std::string>("detail") == "2 fields are not valid");
  Array::Ptr fields = p->getArray("fields");
  REQUIRE(fields->size() == 2);
  CHECK(fields->getObject(1)->getValue<std::string>("id") == "b\"<");
  CHECK(fields->getObject(1)->getValue<std::string>("message") == "bad\n");
}

TEST_CASE("a problem body lists 50 fields and their total, and stays under 64 KiB") {
  std::vector<FieldError> many;
  for (int i = 0; i < 32000; ++i) many.push_back({"zz-" + std::to_string(i), "is not a field"});
  std::string body =
      ProblemJson(422, "Submission is not valid", "32000 fields are not valid", many);
  Object::Ptr p = ParseObject(body);
  CHECK(p->getArray("fields")->size() == kMaxProblemFields);
  CHECK(p->getValue<int>("fields_total") == 32000);
  CHECK(p->getArray("fields")->getObject(49)->getValue<std::string>("id") == "zz-49");
  // Echoed client text is clipped, however long or full of escapes it is.
  std::string huge_id(100000, '\x01');
  std::string huge_message(100000, '"');
  std::vector<FieldError> hostile(kMaxProblemFields, FieldError{huge_id, huge_message});
  std::string bounded =
      ProblemJson(422, "Submission is not valid", std::string(1 << 20, '\x02'), hostile);
  CHECK(bounded.size() < kMaxProblemBytes);
  Object::Ptr q = ParseObject(bounded);
  CHECK(q->getValue<int>("fields_total") == static_cast<int>(kMaxProblemFields));
  CHECK(q->getArray("fields")->size() >= 1);
  // No fields: an empty list, and a total of 0.
  Object::Ptr none = ParseObject(ProblemJson(404, "Not found", "nothing here"));
  CHECK(none->getArray("fields")->size() == 0);
  CHECK(none->getValue<int>("fields_total") == 0);
  CHECK(ParseObject(ProblemJson(429, "Too many", "wait"))->getValue<std::string>("type") ==
        "https://consentkit.example/problems/too-many-requests");
}

// The message names the key; nothing of the body is read.
std::string DuplicateKeyMessage(const std::string& body) {
  try {
    ParseSubmission(body);
  } catch (const JsonSyntaxError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST_CASE("a duplicate key at any depth is malformed JSON that names the key") {
  std::string top = std::string("{\"id\":\"") + kUuid + "\",\"id\":\"" + kUuid + "\"}";
  CHECK(DuplicateKeyMessage(top) ==
        "the body has the duplicate key \"id\" in the top-level object; expected each key at "
        "most once per object");
  CHECK(DuplicateKeyMessage(Envelope(R"({"name":"A","name":"B"})"))
            .find(R"(duplicate key "name" in "values")") != std::string::npos);
  CHECK(
      DuplicateKeyMessage(Envelope(R"({"sig":{"width":600,"height":200,"width":1,"strokes":[]}})"))
          .find(R"(duplicate key "width" in "sig")") != std::string::npos);
  CHECK(DuplicateKeyMessage(R"([{"a":1},{"b":1,"b":2}])")
            .find(R"(duplicate key "b" in an entry of the top-level list)") != std::string::npos);
  // The same key in different objects, or once after a nested one, is fine.
  CHECK(DuplicateKeyMessage(Envelope(R"({"id":"x","sig":{"id":1}})", R"("visit":null,)")) ==
        "(accepted)");
  CHECK(DuplicateKeyMessage(R"([{"a":1},{"a":1}])") == "(accepted)");
  // Every body reader refuses them, not only submissions'.
  CHECK_THROWS_WITH_AS(ParseVisitRequest(R"({"patient":{"name":"A","name":"B"}})"),
                       doctest::Contains(R"(duplicate key "name" in "patient")"), JsonSyntaxError);
  CHECK_THROWS_AS(ParseReviewRequest(R"({"decision":"defer","decision":"proceed"})"),
                  JsonSyntaxError);
  CHECK_THROWS_AS(ParseStringMember(R"({"visit":"a","visit":"b"})", "visit"), JsonSyntaxError);
}

TEST_CASE("JSON strings escape controls and replace invalid UTF-8") {
  CHECK(JsonQuote("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
  CHECK(JsonQuote("Zoë") == "\"Zoë\"");
  CHECK(JsonQuote("bad\xff\xfe!") == "\"bad\xef\xbf\xbd\xef\xbf\xbd!\"");
  CHECK(JsonQuote("cut\xc3") == "\"cut\xef\xbf\xbd\"");
  JsonWriter w;
  w.BeginArray().Float(0.1f).Float(600).Float(1e-7f).Int(-3).Null().EndArray();
  CHECK(w.str() == "[0.1,600,1e-07,-3,null]");
}

}  // namespace
}  // namespace consentkit
