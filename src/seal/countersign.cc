// Countersigning a sealed record: an incremental update (PDF 32000-1:2008
// 7.5.6) that adds a second signature field with its own stamp, signed over
// the whole new file. The sealed bytes are never touched: the update only
// appends objects, and changed objects (the page, the AcroForm) are new
// versions under their old numbers, found through a new cross-reference
// section whose /Prev points at the record's.
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <utility>

#include "pdf/number.h"
#include "seal/countersign_stamp.h"
#include "seal/crypto.h"
#include "seal/pdf_reader.h"
#include "seal/placeholder.h"
#include "seal/signing.h"
#include "seal/verify.h"
#include "util/util.h"

namespace consentkit {
namespace {

// As much room for the CMS signature as the seal has (pdf/seal_stamp.h).
constexpr std::size_t kContentsBytes = 16384;
constexpr float kGap = 12;             // above the stamp: the seal stamp's own space_before
constexpr float kFooterTop = 56;       // the page footer's rule is at 44 (pdf/layout.cc)
constexpr float kMargin = 50;          // the layout's left and right margins
constexpr float kAddedPageTop = 60;    // from the top of a page added for the stamp
constexpr float kMinStampWidth = 250;  // narrower, the text and the drawing would collide
constexpr char kPlaceholderRange[] = "[0 2147483647 2147483647 2147483647]";

// What CountersignPdf refuses, and says why; the reader's own SealErrors
// are told apart from these and reworded (CountersignPdf, below).
class Refusal : public SealError {
 public:
  using SealError::SealError;
};

[[noreturn]] void Refuse(const std::string& why) { throw Refusal("cannot countersign: " + why); }

// --- The countersignature -------------------------------------------------

bool IsUtcIso(const std::string& t) {
  static const char kPattern[] = "dddd-dd-ddTdd:dd:ddZ";
  if (t.size() != sizeof kPattern - 1) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    bool digit = t[i] >= '0' && t[i] <= '9';
    if (kPattern[i] == 'd' ? !digit : t[i] != kPattern[i]) return false;
  }
  return true;
}

void CheckDrawing(const Signature& drawing) {
  std::size_t points = 0;
  for (const Stroke& stroke : drawing.strokes) {
    for (const StrokePoint& p : stroke) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
        Refuse("the practitioner's drawing has a point that is not a number");
      }
    }
    points += stroke.size();
  }
  if (points == 0) Refuse("the practitioner's drawing has no strokes; expected a drawn signature");
  if (points > kMaxSignaturePoints) {
    Refuse("the practitioner's drawing has " + std::to_string(points) + " points; at most " +
           std::to_string(kMaxSignaturePoints) + " are allowed");
  }
}

void CheckCountersignature(const Countersignature& c) {
  std::u32string codes;
  for (const std::string* text : {&c.practitioner_name, &c.note, &c.decision}) {
    if (!DecodeUtf8(*text, codes)) Refuse("the countersignature's text is not valid UTF-8");
  }
  if (CollapseWhitespace(c.practitioner_name).empty()) Refuse("the practitioner's name is empty");
  if (c.decision != "proceed" && c.decision != "defer" && c.decision != "decline") {
    Refuse("the decision \"" + c.decision + "\" is not one of proceed, defer or decline");
  }
  if (!IsUtcIso(c.signed_at_utc)) {
    Refuse("the time \"" + c.signed_at_utc +
           "\" is not UTC ISO 8601; expected 2026-11-23T10:15:02Z");
  }
  CheckDrawing(c.drawing);
}

// --- The sealed record ----------------------------------------------------

// Every signature must be intact (whoever made it: the update is signed by
// `identity`, not checked against it) and the last must reach the end of
// the file, so the update is appended to exactly what was sealed.
std::size_t MustBeSealed(const std::string& pdf) {
  if (pdf.compare(0, 5, "%PDF-") != 0) {
    Refuse("the file is not a PDF (it does not start with %PDF-)");
  }
  std::vector<SignatureCheck> checks = CheckSignatures(pdf, nullptr);
  if (checks.empty()) Refuse("the PDF has no seal; expected a record sealed by SealPdf");
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (checks[i].seal.valid) continue;
    Refuse("signature " + std::to_string(i + 1) + " of " + std::to_string(checks.size()) +
           " is not intact: " + checks[i].seal.problem);
  }
  if (!EndsRevision(pdf, pdf.size())) Refuse("the PDF does not end with %%EOF and a line end");
  return checks.size();
}

// consentkit never encrypts a record; an update to an encrypted file would
// have to encrypt its own strings and streams.
void MustBeMadeByConsentkit(const PdfFile& file) {
  if (FindEntry(file.trailer(), "Encrypt")) Refuse("the PDF is encrypted");
  const PdfValue* info = FindEntry(file.trailer(), "Info");
  std::string producer;
  if (info) {
    PdfDict dict = file.DictOf(*info, "the document information");
    const PdfValue* value = FindEntry(dict, "Producer");
    if (value) producer = PdfTextToUtf8(PdfStringBytes(file.bytes(), *value));
  }
  if (producer.compare(0, 10, "consentkit") != 0) {
    Refuse("the PDF was not made by consentkit (its producer is \"" + producer + "\")");
  }
}

struct Node {  // an indirect dictionary the update may replace
  unsigned number = 0;
  unsigned generation = 0;
  PdfDict dict;
};

struct Rect {
  double x0, y0, x1, y1;
};

// What the update needs to know of the record.
struct Record {
  Node catalog;
  bool acroform_inline = false;  // in the catalog, not an object of its own
  Node acroform;                 // its number is 0 when inline
  std::vector<Node> page_tree;   // the /Pages nodes from the root to the last page's parent
  Node page;                     // the last page
  Rect media{};
  std::vector<PdfValue> annots;  // the last page's, as written
  bool has_lowest = false;
  Rect lowest{};  // of the lowest annotation on the last page
};

Node NodeOf(const PdfFile& file, const PdfValue& ref, const std::string& what) {
  if (ref.kind != PdfValue::kRef) Refuse(what + " is not an indirect object");
  return {ref.number, ref.generation, file.DictOf(ref, what)};
}

std::vector<PdfValue> ArrayEntry(const PdfFile& file, const PdfDict& dict, const char* key,
                                 const std::string& what) {
  const PdfValue* value = FindEntry(dict, key);
  if (!value) return {};
  return ReadPdfArray(file.bytes(), file.Resolve(*value), what);
}

Rect RectOf(const PdfFile& file, const PdfValue& value, const std::string& what) {
  std::vector<PdfValue> numbers = ReadPdfArray(file.bytes(), file.Resolve(value), what);
  if (numbers.size() != 4) Refuse(what + " does not have four numbers");
  std::array<double, 4> n{};
  for (std::size_t i = 0; i < 4; ++i) n[i] = PdfNumber(file.bytes(), numbers[i], what);
  return {std::min(n[0], n[2]), std::min(n[1], n[3]), std::max(n[0], n[2]), std::max(n[1], n[3])};
}

// Down the last /Kids of each /Pages node to the last page.
void FindLastPage(const PdfFile& file, Record& record) {
  const PdfValue* pages = FindEntry(record.catalog.dict, "Pages");
  if (!pages) Refuse("the catalog has no /Pages");
  Node node = NodeOf(file, *pages, "the page tree");
  for (int depth = 0;; ++depth) {
    const PdfValue* type = FindEntry(node.dict, "Type");
    std::string name = type ? PdfName(file.bytes(), *type) : "";
    if (name == "Page") break;
    std::string what = "page tree node " + std::to_string(node.number);
    if (name != "Pages" || depth == 32) Refuse(what + " is neither a /Page nor a /Pages node");
    std::vector<PdfValue> kids = ArrayEntry(file, node.dict, "Kids", what + "'s /Kids");
    if (kids.empty()) Refuse(what + " has no /Kids");
    record.page_tree.push_back(node);
    node = NodeOf(file, kids.back(), "the last page");
  }
  record.page = node;
}

// The page's own /MediaBox, or the nearest one it inherits.
Rect MediaBox(const PdfFile& file, const Record& record) {
  if (const PdfValue* box = FindEntry(record.page.dict, "MediaBox")) {
    return RectOf(file, *box, "the last page's /MediaBox");
  }
  for (auto node = record.page_tree.rbegin(); node != record.page_tree.rend(); ++node) {
    if (const PdfValue* box = FindEntry(node->dict, "MediaBox")) {
      return RectOf(file, *box, "the page tree's /MediaBox");
    }
  }
  Refuse("the last page has no /MediaBox");
}

// The stamp goes under the lowest annotation on the last page: the seal's
// stamp, which the layout draws last, or an earlier countersignature's.
void FindLowestAnnotation(const PdfFile& file, Record& record) {
  record.annots = ArrayEntry(file, record.page.dict, "Annots", "the last page's /Annots");
  for (const PdfValue& annot : record.annots) {
    PdfDict dict = file.DictOf(annot, "an annotation");
    const PdfValue* rect = FindEntry(dict, "Rect");
    if (!rect) continue;
    Rect r = RectOf(file, *rect, "an annotation's /Rect");
    if (!record.has_lowest || r.y0 < record.lowest.y0) record.lowest = r;
    record.has_lowest = true;
  }
}

Record ReadRecord(const PdfFile& file) {
  Record record;
  const PdfValue* root = FindEntry(file.trailer(), "Root");
  if (!root) Refuse("the trailer has no /Root");
  record.catalog = NodeOf(file, *root, "the catalog");
  const PdfValue* acroform = FindEntry(record.catalog.dict, "AcroForm");
  if (!acroform) Refuse("the catalog has no /AcroForm, so the record has no seal field");
  record.acroform_inline = acroform->kind != PdfValue::kRef;
  if (record.acroform_inline) {
    record.acroform.dict = ReadPdfDict(file.bytes(), *acroform, "the /AcroForm");
  } else {
    record.acroform = NodeOf(file, *acroform, "the /AcroForm");
  }
  FindLastPage(file, record);
  record.media = MediaBox(file, record);
  FindLowestAnnotation(file, record);
  return record;
}

// --- Writing the update ---------------------------------------------------

// `dict` as a dictionary again, each entry as the file has it unless
// `changes` gives it a new value; new keys go last.
std::string Rewritten(const std::string& pdf, const PdfDict& dict,
                      std::vector<std::pair<std::string, std::string>> changes) {
  std::string out = "<<\n";
  for (const PdfEntry& entry : dict) {
    auto change = std::find_if(changes.begin(), changes.end(),
                               [&entry](const auto& c) { return c.first == entry.key; });
    if (change == changes.end()) {
      out += "/" + entry.key + " " + RawText(pdf, entry.value) + "\n";
    } else {
      out += "/" + entry.key + " " + change->second + "\n";
      changes.erase(change);
    }
  }
  for (const auto& [key, value] : changes) out += "/" + key + " " + value + "\n";
  return out + ">>";
}

std::string ArrayWith(const std::string& pdf, const std::vector<PdfValue>& elements,
                      const std::string& added) {
  std::string out = "[ ";
  for (const PdfValue& element : elements) out += RawText(pdf, element) + " ";
  return out + added + " ]";
}

std::string Ref(unsigned number, unsigned generation = 0) {
  return std::to_string(number) + " " + std::to_string(generation) + " R";
}

std::string HexBytes(const std::string& bytes) {
  return "<" + HexEncode(bytes, HexCase::kUpper) + ">";
}

// A PDF text string in hex (so that no typed text appears verbatim, see
// seal/placeholder.h): ASCII as it is, anything else as UTF-16BE with a
// byte-order mark. REQUIRES: valid UTF-8.
std::string HexText(const std::string& utf8) {
  std::u32string codes;
  DecodeUtf8(utf8, codes);
  bool ascii = std::all_of(codes.begin(), codes.end(), [](char32_t c) { return c < 0x80; });
  return HexBytes(ascii ? utf8 : Utf16BigEndian(utf8));
}

// "2026-11-23T10:15:02Z" as "D:20261123101502Z".
std::string PdfDate(const std::string& iso) {
  std::string digits;
  for (char c : iso) {
    if (c >= '0' && c <= '9') digits += c;
  }
  return "D:" + digits + "Z";
}

std::string Deflated(const std::string& data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(data.data()), static_cast<uLong>(data.size()),
                Z_DEFAULT_COMPRESSION) != Z_OK) {
    throw SealError("cannot compress the countersignature's stamp");
  }
  out.resize(size);
  return out;
}

// The objects of one incremental update, written after `base`, and its
// cross-reference section.
class Update {
 public:
  Update(const std::string& base, unsigned first_free) : base_(base), next_(first_free) {}

  unsigned NewNumber() { return next_++; }

  // Writes object `number`; returns where `body` starts in the new file.
  std::size_t Add(unsigned number, unsigned generation, const std::string& body) {
    offsets_[number] = {generation, base_.size() + text_.size()};
    text_ += std::to_string(number) + " " + std::to_string(generation) + " obj\n";
    std::size_t at = base_.size() + text_.size();
    text_ += body + "\nendobj\n";
    return at;
  }
  std::size_t Add(const Node& node, const std::string& body) {
    return Add(node.number, node.generation, body);
  }

  // The update's bytes: the objects, then a cross-reference section for
  // them and a trailer that carries the record's /Root, /Info and /ID on.
  std::string Finish(const PdfFile& file) {
    std::size_t xref = base_.size() + text_.size();
    // The head of the free list, as in every table: readers such as pypdf
    // take a first subsection not at 0 for a misnumbered table.
    text_ += "xref\n0 1\n0000000000 65535 f\r\n";
    for (auto run = offsets_.begin(); run != offsets_.end();) {  // runs of consecutive numbers
      auto end = std::next(run);
      while (end != offsets_.end() && end->first == std::prev(end)->first + 1) ++end;
      text_ += std::to_string(run->first) + " " + std::to_string(std::distance(run, end)) + "\n";
      for (; run != end; ++run) text_ += Entry(run->second.second, run->second.first);
    }
    std::vector<std::pair<std::string, std::string>> trailer = {
        {"Size", std::to_string(next_)}, {"Prev", std::to_string(file.startxref())}};
    PdfDict old = file.trailer();
    old.erase(std::remove_if(old.begin(), old.end(),
                             [](const PdfEntry& e) { return e.key == "XRefStm"; }),
              old.end());
    text_ += "trailer\n" + Rewritten(file.bytes(), old, trailer) + "\nstartxref\n" +
             std::to_string(xref) + "\n%%EOF\n";
    return text_;
  }

 private:
  // Exactly 20 bytes, as the table's fixed layout requires.
  static std::string Entry(std::size_t offset, unsigned generation) {
    char entry[32];
    std::snprintf(entry, sizeof entry, "%010zu %05u n\r\n", offset, generation);
    return entry;
  }

  const std::string& base_;
  unsigned next_;
  std::string text_;
  std::map<unsigned, std::pair<unsigned, std::size_t>> offsets_;  // generation, offset
};

struct Placement {
  bool new_page = false;
  double x = 0, y = 0, width = 0;
};

Placement Place(const Record& record, const Countersignature& c, CountersignStamp& stamp) {
  Placement place;
  bool aligned = record.has_lowest && record.lowest.x1 - record.lowest.x0 >= kMinStampWidth;
  place.x = aligned ? record.lowest.x0 : record.media.x0 + kMargin;
  place.width = aligned ? record.lowest.x1 - record.lowest.x0
                        : record.media.x1 - record.media.x0 - 2 * kMargin;
  if (place.width < kMinStampWidth) Refuse("the last page is too narrow for the stamp");
  stamp = DrawCountersignStamp(c, static_cast<float>(place.width));
  double top = record.has_lowest ? record.lowest.y0 - kGap : 0;
  place.new_page = top - stamp.height < record.media.y0 + kFooterTop;
  if (place.new_page) top = record.media.y1 - kAddedPageTop;
  place.y = top - stamp.height;
  return place;
}

std::string SignatureDict(const Countersignature& c, std::size_t& range, std::size_t& contents) {
  std::string reason = "Practitioner review: " + c.decision;
  if (!c.note.empty()) reason += ". Note: " + c.note;
  std::string body =
      "<<\n/Type /Sig\n/Filter /Adobe.PPKLite\n/SubFilter /adbe.pkcs7.detached\n/ByteRange ";
  range = body.size();
  body += std::string(kPlaceholderRange) + "\n/Contents ";
  contents = body.size();
  body += "<" + std::string(2 * kContentsBytes, '0') + ">\n/M (" + PdfDate(c.signed_at_utc) +
          ")\n/Name " + HexText(c.practitioner_name) + "\n/Reason " + HexText(reason) + "\n>>";
  return body;
}

std::string AppearanceStream(const CountersignStamp& stamp, double width, unsigned regular,
                             unsigned bold) {
  std::string data = Deflated(stamp.content);
  return "<<\n/Type /XObject\n/Subtype /Form\n/BBox [0 0 " + Num(width) + " " + Num(stamp.height) +
         "]\n/Resources << /Font << /F1 " + Ref(regular) + " /F2 " + Ref(bold) +
         " >> >>\n/Filter /FlateDecode\n/Length " + std::to_string(data.size()) + "\n>>\nstream\n" +
         data + "\nendstream";
}

std::string FontDict(const char* base_font) {
  return std::string("<<\n/Type /Font\n/Subtype /Type1\n/BaseFont /") + base_font +
         "\n/Encoding /WinAnsiEncoding\n>>";
}

std::string FieldName(std::size_t signatures) {
  return signatures == 1 ? "countersignature" : "countersignature-" + std::to_string(signatures);
}

// The field and its widget, one dictionary (as pdf/acroform.cc makes them).
std::string Field(const Countersignature& c, std::size_t signatures, const Placement& place,
                  double height, unsigned page, unsigned appearance, unsigned signature) {
  return "<<\n/FT /Sig\n/T (" + FieldName(signatures) + ")\n/TU " +
         HexText("Practitioner review by " + CollapseWhitespace(c.practitioner_name)) +
         "\n/Type /Annot\n/Subtype /Widget\n/Rect [" + Num(place.x) + " " + Num(place.y) + " " +
         Num(place.x + place.width) + " " + Num(place.y + height) + "]\n/F 4\n/P " + Ref(page) +
         "\n/AP << /N " + Ref(appearance) + " >>\n/V " + Ref(signature) + "\n>>";
}

// A blank page the size of the last one, holding only the stamp, and the
// page tree with it added as the last page: every node above it counts one
// page more.
void AddPage(const PdfFile& file, const Record& record, Update& update, unsigned page,
             unsigned widget) {
  const std::string& pdf = file.bytes();
  const Node& parent = record.page_tree.back();
  update.Add(page, 0,
             "<<\n/Type /Page\n/Parent " + Ref(parent.number, parent.generation) + "\n/MediaBox [" +
                 Num(record.media.x0) + " " + Num(record.media.y0) + " " + Num(record.media.x1) +
                 " " + Num(record.media.y1) + "]\n/Resources << >>\n/Annots [ " + Ref(widget) +
                 " ]\n>>");
  for (const Node& node : record.page_tree) {
    const PdfValue* count = FindEntry(node.dict, "Count");
    if (!count) Refuse("page tree node " + std::to_string(node.number) + " has no /Count");
    double pages = PdfNumber(pdf, *count, "a page tree /Count");
    if (!(pages >= 1 && pages < 1e9) || pages != std::floor(pages)) {
      Refuse("page tree node " + std::to_string(node.number) + " has a bad /Count");
    }
    std::vector<std::pair<std::string, std::string>> changes = {
        {"Count", std::to_string(static_cast<long long>(pages) + 1)}};
    if (&node == &parent) {
      changes.emplace_back("Kids",
                           ArrayWith(pdf, ArrayEntry(file, node.dict, "Kids", "/Kids"), Ref(page)));
    }
    update.Add(node, Rewritten(pdf, node.dict, changes));
  }
}

// The AcroForm with the field added to /Fields; a form written inline in
// the catalog makes a new catalog.
void AddField(const PdfFile& file, const Record& record, Update& update, unsigned field) {
  const std::string& pdf = file.bytes();
  std::string acroform = Rewritten(
      pdf, record.acroform.dict,
      {{"Fields",
        ArrayWith(pdf, ArrayEntry(file, record.acroform.dict, "Fields", "/Fields"), Ref(field))},
       {"SigFlags", "3"}});  // SignaturesExist | AppendOnly
  if (record.acroform_inline) {
    update.Add(record.catalog, Rewritten(pdf, record.catalog.dict, {{"AcroForm", acroform}}));
  } else {
    update.Add(record.acroform, acroform);
  }
}

struct Numbers {  // of the update's objects
  unsigned signature, field, appearance, regular, bold, page;
};

Numbers Allocate(Update& update, const Record& record, bool new_page) {
  Numbers n{};
  n.signature = update.NewNumber();
  n.field = update.NewNumber();
  n.appearance = update.NewNumber();
  n.regular = update.NewNumber();
  n.bold = update.NewNumber();
  n.page = new_page ? update.NewNumber() : record.page.number;
  return n;
}

// The new objects: the signature with its placeholder, the field and
// widget, its appearance and fonts. Returns where the placeholder is.
SignatureSlots AddSignature(Update& update, const Numbers& n, const Countersignature& c,
                            std::size_t signatures, const Placement& place,
                            const CountersignStamp& stamp) {
  std::size_t range = 0, contents = 0;
  std::size_t at = update.Add(n.signature, 0, SignatureDict(c, range, contents));
  update.Add(n.field, 0,
             Field(c, signatures, place, stamp.height, n.page, n.appearance, n.signature));
  update.Add(n.appearance, 0, AppearanceStream(stamp, place.width, n.regular, n.bold));
  update.Add(n.regular, 0, FontDict("Helvetica"));
  update.Add(n.bold, 0, FontDict("Helvetica-Bold"));
  return {at + range, at + range + sizeof kPlaceholderRange - 1, at + contents,
          at + contents + 2 * kContentsBytes + 2};
}

// The incremental update for `c`, with the signature still to be filled in
// at `slots`.
std::string UpdateFor(const std::string& sealed_pdf, const Countersignature& c,
                      std::size_t signatures, SignatureSlots& slots) {
  PdfFile file(sealed_pdf);
  MustBeMadeByConsentkit(file);
  Record record = ReadRecord(file);
  CountersignStamp stamp;
  Placement place = Place(record, c, stamp);
  Update update(sealed_pdf, file.next_free());
  Numbers n = Allocate(update, record, place.new_page);
  slots = AddSignature(update, n, c, signatures, place, stamp);
  if (place.new_page) {
    AddPage(file, record, update, n.page, n.field);
  } else {
    update.Add(record.page,
               Rewritten(sealed_pdf, record.page.dict,
                         {{"Annots", ArrayWith(sealed_pdf, record.annots, Ref(n.field))}}));
  }
  AddField(file, record, update, n.field);
  return update.Finish(file);
}

}  // namespace

bool CountersignStampCanPrint(const std::string& utf8) {
  std::u32string codes;
  if (!DecodeUtf8(utf8, codes)) return false;
  std::string encoded = ToWinAnsi(utf8);
  // ToWinAnsi writes one byte per character, "?" for one it cannot encode.
  for (std::size_t i = 0; i < codes.size() && i < encoded.size(); ++i) {
    if (encoded[i] == '?' && codes[i] != U'?' && codes[i] != U'\n' && codes[i] != U'\r') {
      return false;
    }
  }
  return true;
}

std::string CountersignPdf(const std::string& sealed_pdf, const SigningIdentity& identity,
                           const Countersignature& countersignature) {
  CheckCountersignature(countersignature);
  std::size_t signatures = MustBeSealed(sealed_pdf);
  SignatureSlots slots;
  std::string pdf = sealed_pdf;
  try {
    pdf += UpdateFor(sealed_pdf, countersignature, signatures, slots);
  } catch (const Refusal&) {
    throw;
  } catch (const SealError& e) {  // from the reader: where the file is not what libharu writes
    Refuse(std::string("the record cannot be read: ") + e.what());
  }
  const SigningIdentity::Members& m = *identity.m_;
  FillSignature(pdf, slots, m.certificate.get(), m.key.get(), m.chain.get());
  return pdf;
}

}  // namespace consentkit
