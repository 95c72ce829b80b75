// RenderPrintCopy: a visit's sealed records merged into one file to print,
// with qpdf (Debian's libqpdf-dev) copying their pages.
//
// The copy keeps what a record shows on paper and drops what makes it a
// record: annotations (the seal's widget, and so its signature), fields and
// the AcroForm. The records' own page content is left as it is, wrapped in
// q/Q, and every page gets a stamp in its top margin, above the clinic's
// header, where no record draws anything.
#include <memory>
#include <qpdf/Buffer.hh>
#include <qpdf/PDFVersion.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFFormFieldObjectHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <qpdf/QUtil.hh>
#include <string>
#include <vector>

#include "pdf/document.h"
#include "pdf/number.h"
#include "pdf/palette.h"
#include "pdf/pdf.h"
#include "util/util.h"

namespace consentkit {
namespace {

using palette::kMuted;
constexpr Color kCopyRed{0.70f, 0.16f, 0.14f};
constexpr float kStampSize = 8.5f;
constexpr float kMargin = 50;         // the records' left and right content edges (layout.cc)
constexpr float kStampBaseline = 24;  // below the page's top edge; the header starts at 40

// Windows-1252 bytes, what Helvetica with /WinAnsiEncoding shows: 0x97 is
// the em dash, 0x85 the ellipsis, 0xB7 the middle dot.
constexpr char kCopy[] = "COPY";
constexpr char kCopyRest[] = " \x97 the sealed originals are the records";
constexpr char kSealNote[] = "The electronic seal is on the sealed original, not on this copy.";
constexpr char kEllipsis = '\x85', kMiddleDot = '\xb7';

// Helvetica's advance widths, from libharu's metrics of the standard 14
// fonts: the stamp must be measured to keep a long label inside the margin.
class Helvetica {
 public:
  Helvetica() {
    regular_ = HPDF_GetFont(doc_.handle(), "Helvetica", "WinAnsiEncoding");
    bold_ = HPDF_GetFont(doc_.handle(), "Helvetica-Bold", "WinAnsiEncoding");
    doc_.Check("loading Helvetica's metrics for the print copy's stamp");
  }
  float Width(bool bold, float size, const std::string& win_ansi) const {
    HPDF_TextWidth width = HPDF_Font_TextWidth(bold ? bold_ : regular_,
                                               reinterpret_cast<const HPDF_BYTE*>(win_ansi.data()),
                                               static_cast<HPDF_UINT>(win_ansi.size()));
    return static_cast<float>(width.width) * size / 1000;
  }
  // `win_ansi`, or as much of it as fits in `width` followed by "…".
  std::string Fit(float size, std::string win_ansi, float width) const {
    if (Width(false, size, win_ansi) <= width) return win_ansi;
    while (!win_ansi.empty() && Width(false, size, win_ansi + kEllipsis) > width)
      win_ansi.pop_back();
    return win_ansi + kEllipsis;
  }

 private:
  Document doc_;
  HPDF_Font regular_ = nullptr;
  HPDF_Font bold_ = nullptr;
};

// A PDF string operand of any bytes: hex, so nothing needs escaping.
std::string HexString(const std::string& bytes) {
  return "<" + HexEncode(bytes, HexCase::kUpper) + ">";
}

std::string TextOp(const std::string& font, Color color, float x, float y,
                   const std::string& win_ansi) {
  return "q " + Num(color.r) + " " + Num(color.g) + " " + Num(color.b) + " rg BT " + font + " " +
         Num(kStampSize) + " Tf " + Num(x) + " " + Num(y) + " Td " + HexString(win_ansi) +
         " Tj ET Q\n";
}

// Where a record showed its seal, so the copy can say why that place is
// empty; and the page, once copied.
struct CopiedPage {
  QPDFObjectHandle page;
  std::vector<QPDFObjectHandle::Rectangle> seals;
};

class PrintCopy {
 public:
  explicit PrintCopy(const std::string& label);
  // Appends the pages of sealed_pdfs[index]; throws PdfError naming it.
  void AddRecord(const std::string& pdf, std::size_t index);
  std::string Write();

 private:
  void CopyPages(QPDF& record);
  void Stamp(CopiedPage& copied, std::size_t number);
  std::string StampContent(const QPDFObjectHandle::Rectangle& media, std::size_t number,
                           const std::string& regular, const std::string& bold) const;
  std::string SealNote(const QPDFObjectHandle::Rectangle& seal, const std::string& regular) const;
  QPDFObjectHandle StandardFont(const char* name);
  void SetInfo(const std::string& lang);

  std::string label_;
  Helvetica metrics_;
  QPDF out_;
  QPDFObjectHandle regular_, bold_;
  std::vector<CopiedPage> pages_;
  PDFVersion version_{1, 4};
  std::string lang_;
};

PrintCopy::PrintCopy(const std::string& label) : label_(label) {
  out_.emptyPDF();
  regular_ = StandardFont("/Helvetica");
  bold_ = StandardFont("/Helvetica-Bold");
}

QPDFObjectHandle PrintCopy::StandardFont(const char* name) {
  QPDFObjectHandle font = QPDFObjectHandle::newDictionary();
  font.replaceKey("/Type", QPDFObjectHandle::newName("/Font"));
  font.replaceKey("/Subtype", QPDFObjectHandle::newName("/Type1"));
  font.replaceKey("/BaseFont", QPDFObjectHandle::newName(name));
  font.replaceKey("/Encoding", QPDFObjectHandle::newName("/WinAnsiEncoding"));
  return out_.makeIndirectObject(font);
}

void PrintCopy::AddRecord(const std::string& pdf, std::size_t index) {
  const std::string name = "sealed_pdfs[" + std::to_string(index) + "]";
  try {
    QPDF record;
    // A sealed record is never damaged: one that needs repairing is not
    // printed as if it were the record.
    record.setSuppressWarnings(true);
    record.setAttemptRecovery(false);
    record.setImmediateCopyFrom(true);  // `record` and `pdf` may go once copied
    record.processMemoryFile(name.c_str(), pdf.data(), pdf.size());
    CopyPages(record);
    if (record.anyWarnings()) throw std::runtime_error(record.getWarnings().front().what());
    version_.updateIfGreater(record.getVersionAsPDFVersion());
    QPDFObjectHandle lang = record.getRoot().getKey("/Lang");
    if (index == 0 && lang.isString()) lang_ = lang.getUTF8Value();
  } catch (const QPDFExc& e) {  // its what() names the record again
    throw PdfError("cannot make the print copy: record " + name +
                   " cannot be read as a PDF: " + e.getMessageDetail());
  } catch (const std::exception& e) {
    throw PdfError("cannot make the print copy: record " + name +
                   " cannot be read as a PDF: " + e.what());
  }
}

// Annotations go before the copy, so the seal's widget, its signature and
// the AcroForm it hangs from are never copied at all.
void PrintCopy::CopyPages(QPDF& record) {
  QPDFPageDocumentHelper into(out_);
  std::vector<QPDFPageObjectHelper> pages = QPDFPageDocumentHelper(record).getAllPages();
  if (pages.empty()) throw std::runtime_error("it has no pages");
  for (QPDFPageObjectHelper& page : pages) {
    CopiedPage copied;
    for (QPDFAnnotationObjectHelper& annotation : page.getAnnotations("/Widget")) {
      if (QPDFFormFieldObjectHelper(annotation.getObjectHandle()).getFieldType() == "/Sig") {
        copied.seals.push_back(annotation.getRect());
      }
    }
    page.getObjectHandle().removeKey("/Annots");
    into.addPage(page, false);
    copied.page = out_.getAllPages().back();
    pages_.push_back(std::move(copied));
  }
}

std::string PrintCopy::StampContent(const QPDFObjectHandle::Rectangle& media, std::size_t number,
                                    const std::string& regular, const std::string& bold) const {
  const float left = static_cast<float>(media.llx) + kMargin;
  const float right = static_cast<float>(media.urx) - kMargin;
  const float y = static_cast<float>(media.ury) - kStampBaseline;
  const float notice =
      metrics_.Width(true, kStampSize, kCopy) + metrics_.Width(false, kStampSize, kCopyRest);
  std::string page = std::string("  ") + kMiddleDot + "  page " + std::to_string(number) + " of " +
                     std::to_string(pages_.size());
  float room = right - left - notice - 24 - metrics_.Width(false, kStampSize, page);
  std::string label = metrics_.Fit(kStampSize, QUtil::utf8_to_win_ansi(label_, '?'), room);
  std::string tail = label.empty() ? page.substr(5) : label + page;
  return TextOp(bold, kCopyRed, left, y, kCopy) +
         TextOp(regular, kCopyRed, left + metrics_.Width(true, kStampSize, kCopy), y, kCopyRest) +
         TextOp(regular, kMuted, right - metrics_.Width(false, kStampSize, tail), y, tail);
}

// A dashed frame where the seal's stamp was, saying where the seal is.
std::string PrintCopy::SealNote(const QPDFObjectHandle::Rectangle& seal,
                                const std::string& regular) const {
  const double width = seal.urx - seal.llx, height = seal.ury - seal.lly;
  const float x =
      static_cast<float>(seal.llx + width / 2) - metrics_.Width(false, kStampSize, kSealNote) / 2;
  return "q " + Num(kMuted.r) + " " + Num(kMuted.g) + " " + Num(kMuted.b) + " RG 0.8 w [3 2] 0 d " +
         Num(seal.llx + 0.4) + " " + Num(seal.lly + 0.4) + " " + Num(width - 0.8) + " " +
         Num(height - 0.8) + " re S Q\n" +
         TextOp(regular, kMuted, x, static_cast<float>(seal.lly + height / 2 - 3), kSealNote);
}

// The record's drawing is wrapped in q/Q so that whatever state it leaves
// (colours, a transformation) cannot move or tint the stamp.
void PrintCopy::Stamp(CopiedPage& copied, std::size_t number) {
  QPDFPageObjectHelper page(copied.page);
  QPDFObjectHandle resources = page.getAttribute("/Resources", true);
  if (!resources.isDictionary()) {
    resources = QPDFObjectHandle::newDictionary();
    copied.page.replaceKey("/Resources", resources);
  }
  QPDFObjectHandle fonts = resources.getKey("/Font");
  fonts = fonts.isDictionary() ? fonts.shallowCopy() : QPDFObjectHandle::newDictionary();
  resources.replaceKey("/Font", fonts);
  int suffix = 1;
  std::string regular = resources.getUniqueResourceName("/CkCopy", suffix);
  fonts.replaceKey(regular, regular_);
  std::string bold = resources.getUniqueResourceName("/CkCopy", suffix);
  fonts.replaceKey(bold, bold_);
  std::string content =
      StampContent(page.getMediaBox().getArrayAsRectangle(), number, regular, bold);
  for (const auto& seal : copied.seals) content += SealNote(seal, regular);
  page.addPageContents(out_.newStream("q\n"), true);
  page.addPageContents(out_.newStream("\nQ\n" + content), false);
}

void PrintCopy::SetInfo(const std::string& lang) {
  QPDFObjectHandle info = QPDFObjectHandle::newDictionary();
  info.replaceKey("/Title", QPDFObjectHandle::newUnicodeString(label_));
  info.replaceKey("/Creator", QPDFObjectHandle::newString("consentkit"));
  info.replaceKey("/Producer", QPDFObjectHandle::newString("consentkit with qpdf"));
  out_.getTrailer().replaceKey("/Info", out_.makeIndirectObject(info));
  if (!lang.empty()) out_.getRoot().replaceKey("/Lang", QPDFObjectHandle::newUnicodeString(lang));
}

std::string PrintCopy::Write() {
  for (std::size_t i = 0; i < pages_.size(); ++i) Stamp(pages_[i], i + 1);
  SetInfo(lang_);
  QPDFWriter writer(out_);
  writer.setOutputMemory();
  writer.setDeterministicID(true);  // the same records give the same copy
  writer.setMinimumPDFVersion(version_);
  writer.write();
  std::shared_ptr<Buffer> bytes = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(bytes->getBuffer()), bytes->getSize());
}

}  // namespace

std::string RenderPrintCopy(const std::vector<std::string>& sealed_pdfs, const std::string& label) {
  if (sealed_pdfs.empty()) throw PdfError("nothing to print: no sealed records given");
  PrintCopy copy(label);
  for (std::size_t i = 0; i < sealed_pdfs.size(); ++i) copy.AddRecord(sealed_pdfs[i], i);
  try {
    return copy.Write();
  } catch (const std::exception& e) {
    throw PdfError(std::string("cannot write the print copy: ") + e.what());
  }
}

}  // namespace consentkit
