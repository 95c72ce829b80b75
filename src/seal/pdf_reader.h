// Just enough PDF syntax (PDF 32000-1:2008 section 7) to read the PDFs
// consentkit writes itself: libharu's classic cross-reference tables
// (never cross-reference streams), the trailer, and the dictionaries a
// countersignature has to extend. Private to src/seal/.
//
// Values are not copied out of the file: a PdfValue is where a value's bytes
// are, so that an updated dictionary can carry every entry it does not change
// over verbatim. Every read is bounds-checked; a file that is cut short,
// nested too deeply or otherwise not what libharu writes throws SealError
// saying where, never reads outside the string.
#ifndef CONSENTKIT_SEAL_PDF_READER_H_
#define CONSENTKIT_SEAL_PDF_READER_H_

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace consentkit {

struct PdfValue {
  enum Kind { kNull, kBool, kNumber, kName, kString, kArray, kDict, kRef };
  Kind kind = kNull;
  std::size_t begin = 0;  // the value's bytes in the file: [begin, end)
  std::size_t end = 0;
  unsigned number = 0;  // kRef only: "number generation R"
  unsigned generation = 0;
};

struct PdfEntry {
  std::string key;  // without the '/'
  PdfValue value;
};
using PdfDict = std::vector<PdfEntry>;

// The value that starts at `at` or after white space and comments there;
// `at` is left just past it.
PdfValue ReadPdfValue(const std::string& pdf, std::size_t& at);

// The entries of a kDict value and the elements of a kArray value. Throws
// SealError if `value` is of another kind; `what` names it in the message.
PdfDict ReadPdfDict(const std::string& pdf, const PdfValue& value, const std::string& what);
std::vector<PdfValue> ReadPdfArray(const std::string& pdf, const PdfValue& value,
                                   const std::string& what);

// The entry named `key`, or null. The pointer is into `dict`, so a
// temporary dictionary is refused at compile time.
const PdfValue* FindEntry(const PdfDict& dict, const std::string& key);
const PdfValue* FindEntry(PdfDict&& dict, const std::string& key) = delete;

// A kNumber value; throws SealError naming `what` for any other kind.
double PdfNumber(const std::string& pdf, const PdfValue& value, const std::string& what);
// A kName value without its '/', as written (no #xx decoding); "" otherwise.
std::string PdfName(const std::string& pdf, const PdfValue& value);
// The bytes a kString value (literal or hex) stands for; "" otherwise.
std::string PdfStringBytes(const std::string& pdf, const PdfValue& value);
// A PDF text string (UTF-16BE with a byte-order mark, else PDFDocEncoding,
// read as Latin-1) as UTF-8.
std::string PdfTextToUtf8(const std::string& bytes);

// The value's bytes as the file has them.
inline std::string RawText(const std::string& pdf, const PdfValue& value) {
  return pdf.substr(value.begin, value.end - value.begin);
}

// Whether pdf[0, end) is a whole revision: it ends with "%%EOF" and its
// line end ("\n", "\r\n", or a "\r" that is not the first half of a "\r\n").
bool EndsRevision(const std::string& pdf, std::size_t end);

// The byte offset of the cross-reference section that the "startxref" of the
// revision ending at `end` names: pdf[0, end) must end with "startxref",
// the offset and "%%EOF" (and a line end or not).
std::size_t StartXrefBefore(const std::string& pdf, std::size_t end);

// The offsets of the cross-reference sections from the one at `startxref`
// back through each trailer's /Prev: newest first.
std::vector<std::size_t> XrefChain(const std::string& pdf, std::size_t startxref);

// A whole file's objects, as its last revision sees them.
class PdfFile {
 public:
  // Reads the cross-reference sections from the last startxref back. Throws
  // SealError if they are not classic tables that point at objects. `pdf`
  // must outlive the PdfFile, which reads it in place.
  explicit PdfFile(const std::string& pdf);

  const std::string& bytes() const { return pdf_; }
  const PdfDict& trailer() const { return trailer_; }
  std::size_t startxref() const { return startxref_; }
  // The first object number no revision uses: the trailer's /Size, or
  // more if a table lists objects past it.
  unsigned next_free() const { return next_free_; }

  // What indirect object `number` holds (a stream's dictionary, for a
  // stream). Throws SealError if it is not in the table or not at its offset.
  PdfValue Object(unsigned number) const;
  // `value`, or the object it refers to.
  PdfValue Resolve(const PdfValue& value) const;
  // Resolve(value) as a dictionary; `what` names it in messages.
  PdfDict DictOf(const PdfValue& value, const std::string& what) const;

 private:
  const std::string& pdf_;
  std::map<unsigned, std::size_t> offsets_;  // object number -> byte offset
  PdfDict trailer_;
  std::size_t startxref_ = 0;
  unsigned next_free_ = 0;
};

}  // namespace consentkit

#endif  // CONSENTKIT_SEAL_PDF_READER_H_
