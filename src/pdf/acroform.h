// Interactive form fields (AcroForm) built on libharu 2.3.0's low-level
// object API, which has no form-field functions of its own.
//
// Fields versus widgets. A *field* is a named value in the document's
// /AcroForm /Fields tree (its name /T, type /FT, flags /Ff, value /V). A
// *widget annotation* is a rectangle on a page (/Subtype /Widget, /Rect, /P,
// appearance /AP) where a viewer shows and edits that value. A text field,
// checkbox or signature has one widget, and the PDF spec lets the two share
// one dictionary; we always do that. A radio group is one field with one
// widget per button: the field dictionary holds /T and /V, each widget is a
// /Kids entry whose /AP names its on-state (the option's export value).
// Non-terminal fields (Group) carry only /T and /Kids: they make
// fully-qualified names like "microneedling-consent.patient-name".
//
// Every widget gets an appearance stream (checkbox and radio on and off
// states included), because many viewers ignore /NeedAppearances. Text
// widgets have empty appearances: the page itself draws the box, so a blank
// form prints cleanly and a filled one shows the viewer's text.
//
// Not thread-safe; one AcroForm per Document, which must outlive it.
#ifndef CONSENTKIT_PDF_ACROFORM_H_
#define CONSENTKIT_PDF_ACROFORM_H_

#include <hpdf.h>

#include <string>
#include <utility>
#include <vector>

namespace consentkit {

class Document;

// Field flags (/Ff), PDF 32000-1:2008 tables 221, 226 and 228.
enum FieldFlag : unsigned {
  kFieldReadOnly = 1u << 0,
  kFieldRequired = 1u << 1,
  kFieldNoExport = 1u << 2,
  kTextMultiline = 1u << 12,
  kTextDoNotSpellCheck = 1u << 22,
  kTextDoNotScroll = 1u << 23,
  kButtonNoToggleToOff = 1u << 14,
  kButtonRadio = 1u << 15,
};

// Annotation flag (/F) that makes widgets print (table 165).
constexpr unsigned kAnnotationPrint = 1u << 2;

struct PdfRect {
  float x = 0;  // lower-left corner, in points
  float y = 0;
  float width = 0;
  float height = 0;
};

// A field dictionary handed back so that children can be attached to it.
struct FieldNode {
  HPDF_Dict dict = nullptr;
};

struct TextFieldSpec {
  std::string name;     // partial name /T
  std::string tooltip;  // /TU: the label, read aloud by screen readers
  bool required = false;
  bool multiline = false;
  bool date = false;   // ISO date: adds Acrobat's date format and keystroke checks
  int max_length = 0;  // /MaxLen; 0 = unlimited
  float font_size = 10;
  // Prefilled: the value /V, and how the widget shows it until someone
  // edits it (viewers print /AP, not /V): content for inside /Tx BMC … EMC,
  // in the widget's own coordinates, and the fonts it selects with Tf.
  // Empty value: a blank field with an empty appearance.
  std::string value;
  std::string appearance;
  std::vector<std::pair<std::string, HPDF_Font>> fonts;
};

// A signature field that holds a visible stamp and an unsigned signature:
// the placeholder SealPdf (seal/seal.h) fills in once the file is saved.
// The signature covers every byte but its own /Contents value (/ByteRange,
// PDF 32000-1:2008 12.8.1), so filling in must not move a byte: /ByteRange
// holds 0 and three times 2147483647, wide enough for the real offsets of
// any file libharu can write, and /Contents `contents_bytes` zero bytes, in
// hex.
struct SealFieldSpec {
  std::string name;         // partial name /T
  std::string tooltip;      // /TU
  std::string signer_name;  // /Name
  std::string reason;       // /Reason
  std::string pdf_date;     // /M, e.g. "D:20261123101502Z"
  // The stamp: the content of the widget's /AP /N, in its own coordinates
  // (origin at the rect's lower-left corner), and the fonts it selects by
  // resource name with Tf.
  std::string appearance;
  std::vector<std::pair<std::string, HPDF_Font>> fonts;
  unsigned contents_bytes = 0;
};

class AcroForm {
 public:
  // Creates the /AcroForm dictionary with its /DR fonts (Helvetica for text
  // values, ZapfDingbats for check marks) and default /DA.
  explicit AcroForm(Document& doc);

  // A non-terminal field that only groups its children under `name`.
  FieldNode AddGroup(const std::string& name, FieldNode parent = {});
  void AddTextField(HPDF_Page page, const PdfRect& rect, const TextFieldSpec& spec,
                    FieldNode parent = {});
  // On-state is /Yes.
  void AddCheckBox(HPDF_Page page, const PdfRect& rect, const std::string& name,
                   const std::string& tooltip, bool required, FieldNode parent = {});
  // The radio group field; add its buttons with AddRadioButton.
  FieldNode AddRadioGroup(const std::string& name, const std::string& tooltip, bool required,
                          FieldNode parent = {});
  // `export_value` must be a PDF name without delimiters ([A-Za-z0-9_-]).
  void AddRadioButton(HPDF_Page page, const PdfRect& rect, FieldNode group,
                      const std::string& export_value);
  void AddSignatureField(HPDF_Page page, const PdfRect& rect, const std::string& name,
                         const std::string& tooltip, bool required, FieldNode parent = {});
  // A top-level signature field with a signature placeholder as its value,
  // and /SigFlags 3 (signed, append only) on the AcroForm.
  void AddSealField(HPDF_Page page, const PdfRect& rect, const SealFieldSpec& spec);

 private:
  HPDF_Dict NewField(const std::string& name, const char* type, unsigned flags,
                     const std::string& tooltip, FieldNode parent);
  HPDF_Dict NewWidget(HPDF_Page page, const PdfRect& rect);
  void MakeWidgetOf(HPDF_Dict dict, HPDF_Page page, const PdfRect& rect);
  void Attach(HPDF_Dict field, FieldNode parent);
  void AttachToPage(HPDF_Dict widget, HPDF_Page page);
  HPDF_Dict AppearanceStream(const PdfRect& rect, const std::string& content,
                             HPDF_Dict resources = nullptr);
  HPDF_Dict SignaturePlaceholder(const SealFieldSpec& spec);
  HPDF_Dict FontResources(const std::vector<std::pair<std::string, HPDF_Font>>& fonts);
  HPDF_Dict OnOffAppearance(const PdfRect& rect, const std::string& on_state,
                            const std::string& on_content);
  HPDF_Dict DateActions();
  void AddTextString(HPDF_Dict dict, const char* key, const std::string& utf8);
  void AddHexTextString(HPDF_Dict dict, const char* key, const std::string& utf8);
  void AddName(HPDF_Dict dict, const char* key, const std::string& name);

  Document& doc_;
  HPDF_Doc pdf_;  // doc_.handle(), for haru_internals.h
  HPDF_Dict acroform_;
  HPDF_Array fields_;
};

}  // namespace consentkit

#endif  // CONSENTKIT_PDF_ACROFORM_H_
