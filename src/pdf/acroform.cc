#include "pdf/acroform.h"

#include <cstdio>

#include "pdf/document.h"
#include "pdf/haru_internals.h"
#include "pdf/number.h"
#include "util/util.h"

namespace consentkit {
namespace {

bool IsAscii(const std::string& text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

std::string CheckMark(const PdfRect& r) {
  return "q 0.10 0.16 0.30 RG 1.6 w 1 J 1 j " + Num(0.22 * r.width) + " " + Num(0.52 * r.height) +
         " m " + Num(0.42 * r.width) + " " + Num(0.26 * r.height) + " l " + Num(0.80 * r.width) +
         " " + Num(0.78 * r.height) + " l S Q";
}

// A filled circle from four Bezier arcs (k = 0.5523 approximates a quarter circle).
std::string FilledDot(const PdfRect& r) {
  double cx = r.width / 2, cy = r.height / 2;
  double rad = 0.27 * (r.width < r.height ? r.width : r.height), k = 0.5523 * rad;
  return "q 0.10 0.16 0.30 rg " + Num(cx + rad) + " " + Num(cy) + " m " + Num(cx + rad) + " " +
         Num(cy + k) + " " + Num(cx + k) + " " + Num(cy + rad) + " " + Num(cx) + " " +
         Num(cy + rad) + " c " + Num(cx - k) + " " + Num(cy + rad) + " " + Num(cx - rad) + " " +
         Num(cy + k) + " " + Num(cx - rad) + " " + Num(cy) + " c " + Num(cx - rad) + " " +
         Num(cy - k) + " " + Num(cx - k) + " " + Num(cy - rad) + " " + Num(cx) + " " +
         Num(cy - rad) + " c " + Num(cx + k) + " " + Num(cy - rad) + " " + Num(cx + rad) + " " +
         Num(cy - k) + " " + Num(cx + rad) + " " + Num(cy) + " c f Q";
}

}  // namespace

AcroForm::AcroForm(Document& doc) : doc_(doc), pdf_(doc.handle()) {
  acroform_ = haru::NewIndirectDict(pdf_);
  fields_ = haru::NewArray(pdf_);
  HPDF_Dict_Add(acroform_, "Fields", fields_);

  HPDF_Dict helvetica = haru::NewIndirectDict(pdf_);
  AddName(helvetica, "Type", "Font");
  AddName(helvetica, "Subtype", "Type1");
  AddName(helvetica, "BaseFont", "Helvetica");
  AddName(helvetica, "Encoding", "WinAnsiEncoding");
  HPDF_Dict dingbats = haru::NewIndirectDict(pdf_);
  AddName(dingbats, "Type", "Font");
  AddName(dingbats, "Subtype", "Type1");
  AddName(dingbats, "BaseFont", "ZapfDingbats");
  HPDF_Dict fonts = haru::NewDict(pdf_);
  HPDF_Dict_Add(fonts, "Helv", helvetica);
  HPDF_Dict_Add(fonts, "ZaDb", dingbats);
  HPDF_Dict resources = haru::NewDict(pdf_);
  HPDF_Dict_Add(resources, "Font", fonts);
  HPDF_Dict_Add(acroform_, "DR", resources);
  HPDF_Dict_Add(acroform_, "DA", haru::NewString(pdf_, "/Helv 0 Tf 0 g"));
  haru::AddToCatalog(pdf_, "AcroForm", acroform_);
  doc_.Check("creating the AcroForm dictionary");
}

void AcroForm::AddName(HPDF_Dict dict, const char* key, const std::string& name) {
  HPDF_Dict_AddName(dict, key, name.c_str());
}

void AcroForm::AddTextString(HPDF_Dict dict, const char* key, const std::string& utf8) {
  if (IsAscii(utf8)) {
    HPDF_Dict_Add(dict, key, haru::NewString(pdf_, utf8));
    return;
  }
  HPDF_Dict_Add(dict, key, haru::NewBinary(pdf_, Utf16BigEndian(utf8)));
}

// Hex (<...>) even when the text is ASCII: text such as a clinic's name
// then never appears verbatim in the file, so it cannot pass for the
// signature placeholder SealPdf looks for.
void AcroForm::AddHexTextString(HPDF_Dict dict, const char* key, const std::string& utf8) {
  HPDF_Dict_Add(dict, key, haru::NewBinary(pdf_, IsAscii(utf8) ? utf8 : Utf16BigEndian(utf8)));
}

void AcroForm::Attach(HPDF_Dict field, FieldNode parent) {
  if (!parent.dict) {
    HPDF_Array_Add(fields_, field);
    return;
  }
  HPDF_Dict_Add(field, "Parent", parent.dict);
  HPDF_Array_Add(haru::ArrayEntry(pdf_, parent.dict, "Kids"), field);
}

void AcroForm::AttachToPage(HPDF_Dict widget, HPDF_Page page) {
  HPDF_Array_Add(haru::ArrayEntry(pdf_, page, "Annots"), widget);
}

HPDF_Dict AcroForm::NewField(const std::string& name, const char* type, unsigned flags,
                             const std::string& tooltip, FieldNode parent) {
  HPDF_Dict field = haru::NewIndirectDict(pdf_);
  if (type) AddName(field, "FT", type);
  AddTextString(field, "T", name);
  if (!tooltip.empty()) AddTextString(field, "TU", tooltip);
  if (flags) HPDF_Dict_AddNumber(field, "Ff", static_cast<HPDF_INT32>(flags));
  Attach(field, parent);
  return field;
}

void AcroForm::MakeWidgetOf(HPDF_Dict dict, HPDF_Page page, const PdfRect& rect) {
  AddName(dict, "Type", "Annot");
  AddName(dict, "Subtype", "Widget");
  HPDF_Array box = haru::NewArray(pdf_);
  HPDF_Array_AddReal(box, rect.x);
  HPDF_Array_AddReal(box, rect.y);
  HPDF_Array_AddReal(box, rect.x + rect.width);
  HPDF_Array_AddReal(box, rect.y + rect.height);
  HPDF_Dict_Add(dict, "Rect", box);
  HPDF_Dict_AddNumber(dict, "F", static_cast<HPDF_INT32>(kAnnotationPrint));
  HPDF_Dict_Add(dict, "P", page);
  AttachToPage(dict, page);
}

HPDF_Dict AcroForm::NewWidget(HPDF_Page page, const PdfRect& rect) {
  HPDF_Dict widget = haru::NewIndirectDict(pdf_);
  MakeWidgetOf(widget, page, rect);
  return widget;
}

HPDF_Dict AcroForm::AppearanceStream(const PdfRect& rect, const std::string& content,
                                     HPDF_Dict resources) {
  HPDF_Dict stream = haru::NewStream(pdf_);
  AddName(stream, "Type", "XObject");
  AddName(stream, "Subtype", "Form");
  HPDF_Array bbox = haru::NewArray(pdf_);
  HPDF_Array_AddReal(bbox, 0);
  HPDF_Array_AddReal(bbox, 0);
  HPDF_Array_AddReal(bbox, rect.width);
  HPDF_Array_AddReal(bbox, rect.height);
  HPDF_Dict_Add(stream, "BBox", bbox);
  HPDF_Dict_Add(stream, "Resources", resources ? resources : haru::NewDict(pdf_));
  haru::SetStream(stream, content, haru::StreamBytes::kAsIs);
  return stream;
}

// /AP << /N << /On on_content /Off empty >> /D ... >>: the same pair for the
// normal and the pressed ("down") look.
HPDF_Dict AcroForm::OnOffAppearance(const PdfRect& rect, const std::string& on_state,
                                    const std::string& on_content) {
  HPDF_Dict on = AppearanceStream(rect, on_content);
  HPDF_Dict off = AppearanceStream(rect, "");
  HPDF_Dict ap = haru::NewDict(pdf_);
  for (const char* look : {"N", "D"}) {
    HPDF_Dict states = haru::NewDict(pdf_);
    HPDF_Dict_Add(states, on_state.c_str(), on);
    HPDF_Dict_Add(states, "Off", off);
    HPDF_Dict_Add(ap, look, states);
  }
  return ap;
}

HPDF_Dict AcroForm::DateActions() {
  auto action = [this](const char* script) {
    HPDF_Dict js = haru::NewDict(pdf_);
    AddName(js, "S", "JavaScript");
    HPDF_Dict_Add(js, "JS", haru::NewString(pdf_, script));
    return js;
  };
  HPDF_Dict actions = haru::NewDict(pdf_);
  HPDF_Dict_Add(actions, "K", action("AFDate_KeystrokeEx(\"yyyy-mm-dd\");"));
  HPDF_Dict_Add(actions, "F", action("AFDate_FormatEx(\"yyyy-mm-dd\");"));
  return actions;
}

FieldNode AcroForm::AddGroup(const std::string& name, FieldNode parent) {
  FieldNode group{NewField(name, nullptr, 0, "", parent)};
  doc_.Check(("adding field group " + name).c_str());
  return group;
}

void AcroForm::AddTextField(HPDF_Page page, const PdfRect& rect, const TextFieldSpec& spec,
                            FieldNode parent) {
  unsigned flags =
      (spec.required ? kFieldRequired : 0u) | (spec.multiline ? kTextMultiline : kTextDoNotScroll);
  HPDF_Dict field = NewField(spec.name, "Tx", flags, spec.tooltip, parent);
  MakeWidgetOf(field, page, rect);
  HPDF_Dict_Add(field, "DA", haru::NewString(pdf_, ("/Helv " + Num(spec.font_size) + " Tf 0 g")));
  if (spec.max_length > 0) HPDF_Dict_AddNumber(field, "MaxLen", spec.max_length);
  if (spec.date) HPDF_Dict_Add(field, "AA", DateActions());
  HPDF_Dict ap = haru::NewDict(pdf_);
  if (spec.value.empty()) {
    HPDF_Dict_Add(ap, "N", AppearanceStream(rect, "/Tx BMC EMC"));
  } else {
    AddTextString(field, "V", spec.value);
    HPDF_Dict_Add(
        ap, "N",
        AppearanceStream(rect, "/Tx BMC\n" + spec.appearance + "EMC", FontResources(spec.fonts)));
  }
  HPDF_Dict_Add(field, "AP", ap);
  doc_.Check(("adding text field " + spec.name).c_str());
}

void AcroForm::AddCheckBox(HPDF_Page page, const PdfRect& rect, const std::string& name,
                           const std::string& tooltip, bool required, FieldNode parent) {
  HPDF_Dict field = NewField(name, "Btn", required ? kFieldRequired : 0u, tooltip, parent);
  MakeWidgetOf(field, page, rect);
  AddName(field, "V", "Off");
  AddName(field, "AS", "Off");
  HPDF_Dict_Add(field, "DA", haru::NewString(pdf_, "/ZaDb 0 Tf 0 g"));
  HPDF_Dict mk = haru::NewDict(pdf_);
  HPDF_Dict_Add(mk, "CA", haru::NewString(pdf_, "4"));  // ZapfDingbats check mark
  HPDF_Dict_Add(field, "MK", mk);
  HPDF_Dict_Add(field, "AP", OnOffAppearance(rect, "Yes", CheckMark(rect)));
  doc_.Check(("adding checkbox " + name).c_str());
}

FieldNode AcroForm::AddRadioGroup(const std::string& name, const std::string& tooltip,
                                  bool required, FieldNode parent) {
  unsigned flags = kButtonRadio | kButtonNoToggleToOff | (required ? kFieldRequired : 0u);
  HPDF_Dict field = NewField(name, "Btn", flags, tooltip, parent);
  AddName(field, "V", "Off");
  doc_.Check(("adding radio group " + name).c_str());
  return {field};
}

void AcroForm::AddRadioButton(HPDF_Page page, const PdfRect& rect, FieldNode group,
                              const std::string& export_value) {
  HPDF_Dict widget = NewWidget(page, rect);
  Attach(widget, group);
  AddName(widget, "AS", "Off");
  HPDF_Dict_Add(widget, "DA", haru::NewString(pdf_, "/ZaDb 0 Tf 0 g"));
  HPDF_Dict mk = haru::NewDict(pdf_);
  HPDF_Dict_Add(mk, "CA", haru::NewString(pdf_, "l"));  // ZapfDingbats dot
  HPDF_Dict_Add(widget, "MK", mk);
  HPDF_Dict_Add(widget, "AP", OnOffAppearance(rect, export_value, FilledDot(rect)));
  doc_.Check(("adding radio button " + export_value).c_str());
}

void AcroForm::AddSignatureField(HPDF_Page page, const PdfRect& rect, const std::string& name,
                                 const std::string& tooltip, bool required, FieldNode parent) {
  HPDF_Dict field = NewField(name, "Sig", required ? kFieldRequired : 0u, tooltip, parent);
  MakeWidgetOf(field, page, rect);
  HPDF_Dict ap = haru::NewDict(pdf_);
  HPDF_Dict_Add(ap, "N", AppearanceStream(rect, ""));
  HPDF_Dict_Add(field, "AP", ap);
  doc_.Check(("adding signature field " + name).c_str());
}

HPDF_Dict AcroForm::FontResources(const std::vector<std::pair<std::string, HPDF_Font>>& fonts) {
  HPDF_Dict names = haru::NewDict(pdf_);
  for (const auto& [name, font] : fonts) HPDF_Dict_Add(names, name.c_str(), font);
  HPDF_Dict resources = haru::NewDict(pdf_);
  HPDF_Dict_Add(resources, "Font", names);
  return resources;
}

// An indirect object, so that nothing else shares its line of the file.
HPDF_Dict AcroForm::SignaturePlaceholder(const SealFieldSpec& spec) {
  HPDF_Dict sig = haru::NewIndirectDict(pdf_);
  AddName(sig, "Type", "Sig");
  AddName(sig, "Filter", "Adobe.PPKLite");
  AddName(sig, "SubFilter", "adbe.pkcs7.detached");
  HPDF_Array range = haru::NewArray(pdf_);
  HPDF_Array_AddNumber(range, 0);
  for (int i = 0; i < 3; ++i) HPDF_Array_AddNumber(range, HPDF_LIMIT_MAX_INT);
  HPDF_Dict_Add(sig, "ByteRange", range);
  haru::EndWithZeroContents(pdf_, sig, spec.contents_bytes);
  HPDF_Dict_Add(sig, "M", haru::NewString(pdf_, spec.pdf_date));
  AddHexTextString(sig, "Name", spec.signer_name);
  AddHexTextString(sig, "Reason", spec.reason);
  return sig;
}

void AcroForm::AddSealField(HPDF_Page page, const PdfRect& rect, const SealFieldSpec& spec) {
  HPDF_Dict field = NewField(spec.name, "Sig", 0, "", {});
  AddHexTextString(field, "TU", spec.tooltip);
  MakeWidgetOf(field, page, rect);
  HPDF_Dict ap = haru::NewDict(pdf_);
  HPDF_Dict_Add(ap, "N", AppearanceStream(rect, spec.appearance, FontResources(spec.fonts)));
  HPDF_Dict_Add(field, "AP", ap);
  HPDF_Dict_Add(field, "V", SignaturePlaceholder(spec));
  HPDF_Dict_AddNumber(acroform_, "SigFlags", 3);  // SignaturesExist | AppendOnly
  doc_.Check(("adding seal field " + spec.name).c_str());
}

}  // namespace consentkit
