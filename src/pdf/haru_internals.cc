// The only file that knows how libharu 2.3.0 lays out its documents,
// dictionaries and pages (see haru_internals.h). When upgrading libharu,
// check each struct member used here against its new private headers.
#include "pdf/haru_internals.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

namespace consentkit::haru {
namespace {

const HPDF_BYTE* Bytes(std::string_view bytes) {
  return reinterpret_cast<const HPDF_BYTE*>(bytes.data());
}

// The whole of `stream`, from its start.
std::string ReadAll(HPDF_Stream stream) {
  std::string bytes(HPDF_Stream_Size(stream), '\0');
  HPDF_UINT size = static_cast<HPDF_UINT>(bytes.size());
  HPDF_Stream_Seek(stream, 0, HPDF_SEEK_SET);
  if (size) HPDF_Stream_Read(stream, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  bytes.resize(size);
  return bytes;
}

// libharu drops a /Filter entry from a stream it does not filter itself,
// so the entry is written from the dictionary's write hook instead.
HPDF_STATUS WriteFlateFilter(HPDF_Dict, HPDF_Stream stream) {
  return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

// The placeholder's size rides along in the signature dictionary under
// this key, as an entry libharu does not write (HPDF_OTYPE_HIDDEN).
constexpr char kContentsBytesKey[] = "ConsentkitContentsBytes";

HPDF_STATUS WriteZeroContents(HPDF_Dict dict, HPDF_Stream stream) {
  auto* size =
      static_cast<HPDF_Number>(HPDF_Dict_GetItem(dict, kContentsBytesKey, HPDF_OCLASS_NUMBER));
  if (!size || size->value < 0) return HPDF_INVALID_OBJECT;
  std::string contents =
      "/Contents <" + std::string(2 * static_cast<std::size_t>(size->value), '0') + ">\012";
  return HPDF_Stream_Write(stream, Bytes(contents), static_cast<HPDF_UINT>(contents.size()));
}

bool IsDict(void* object) {
  auto* header = static_cast<HPDF_Obj_Header*>(object);
  return (header->obj_class & HPDF_OCLASS_ANY) == HPDF_OCLASS_DICT;
}

HPDF_PageAttr AttrOf(HPDF_Page page) { return static_cast<HPDF_PageAttr>(page->attr); }

}  // namespace

HPDF_Dict NewDict(HPDF_Doc doc) { return HPDF_Dict_New(doc->mmgr); }

HPDF_Dict NewIndirectDict(HPDF_Doc doc) {
  HPDF_Dict dict = HPDF_Dict_New(doc->mmgr);
  HPDF_Xref_Add(doc->xref, dict);
  return dict;
}

HPDF_Array NewArray(HPDF_Doc doc) { return HPDF_Array_New(doc->mmgr); }

HPDF_String NewString(HPDF_Doc doc, const std::string& bytes) {
  return HPDF_String_New(doc->mmgr, bytes.c_str(), nullptr);
}

HPDF_Binary NewBinary(HPDF_Doc doc, const std::string& bytes) {
  return HPDF_Binary_New(doc->mmgr, const_cast<HPDF_BYTE*>(Bytes(bytes)),
                         static_cast<HPDF_UINT>(bytes.size()));
}

void AddToCatalog(HPDF_Doc doc, const char* key, void* object) {
  HPDF_Dict_Add(doc->catalog, key, object);
}

HPDF_Array ArrayEntry(HPDF_Doc doc, HPDF_Dict dict, const char* key) {
  auto* array = static_cast<HPDF_Array>(HPDF_Dict_GetItem(dict, key, HPDF_OCLASS_ARRAY));
  if (!array) {
    array = NewArray(doc);
    HPDF_Dict_Add(dict, key, array);
  }
  return array;
}

HPDF_Dict NewStream(HPDF_Doc doc) { return HPDF_DictStream_New(doc->mmgr, doc->xref); }

void SetStream(HPDF_Dict stream, std::string_view bytes, StreamBytes how) {
  HPDF_MemStream_FreeData(stream->stream);
  HPDF_Stream_Write(stream->stream, Bytes(bytes), static_cast<HPDF_UINT>(bytes.size()));
  switch (how) {
    case StreamBytes::kAsIs:
      stream->filter = HPDF_STREAM_FILTER_NONE;
      break;
    case StreamBytes::kDeflateAtSave:
      stream->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
      break;
    case StreamBytes::kDeflated:
      stream->filter = HPDF_STREAM_FILTER_NONE;
      stream->write_fn = &WriteFlateFilter;
      break;
  }
}

void ForEachStreamToDeflate(HPDF_Doc doc,
                            const std::function<void(HPDF_Dict, const std::string&)>& visit) {
  HPDF_List entries = doc->xref->entries;
  for (HPDF_UINT i = 0; i < entries->count; ++i) {
    auto* entry = static_cast<HPDF_XrefEntry>(HPDF_List_ItemAt(entries, i));
    if (!entry || !entry->obj || !IsDict(entry->obj)) continue;
    auto dict = static_cast<HPDF_Dict>(entry->obj);
    // A write hook writes the stream's /Filter itself: leave it be.
    if (!dict->stream || dict->filter != HPDF_STREAM_FILTER_FLATE_DECODE || dict->write_fn) {
      continue;
    }
    visit(dict, ReadAll(dict->stream));
  }
}

HPDF_Dict PageContents(HPDF_Page page) { return AttrOf(page)->contents; }

std::size_t DrawnSize(HPDF_Page page) { return HPDF_Stream_Size(AttrOf(page)->stream); }

std::string DrawnBytes(HPDF_Page page) { return ReadAll(AttrOf(page)->stream); }

const char* FontResourceName(HPDF_Page page, HPDF_Dict font) {
  return HPDF_Page_GetLocalFontName(page, font);
}

void EndWithZeroContents(HPDF_Doc doc, HPDF_Dict sig, unsigned bytes) {
  HPDF_Number size = HPDF_Number_New(doc->mmgr, static_cast<HPDF_INT32>(bytes));
  size->header.obj_id |= HPDF_OTYPE_HIDDEN;
  HPDF_Dict_Add(sig, kContentsBytesKey, size);
  sig->write_fn = &WriteZeroContents;
}

}  // namespace consentkit::haru
