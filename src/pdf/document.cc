#include "pdf/document.h"

#include <hpdf_streams.h>
#include <zlib.h>

#include <cstdio>
#include <new>
#include <string>

namespace consentkit {

Document::Document() {
  doc_ = HPDF_New(&Document::OnError, this);
  if (!doc_) throw std::bad_alloc();
  HPDF_SetCompressionMode(doc_, HPDF_COMP_ALL);
  Check("setting up the PDF document");
}

Document::~Document() { HPDF_Free(doc_); }

void Document::OnError(HPDF_STATUS error, HPDF_STATUS detail, void* self) {
  auto* doc = static_cast<Document*>(self);
  if (doc->error_ != HPDF_OK) return;  // keep the first, root-cause error
  doc->error_ = error;
  doc->detail_ = detail;
}

void Document::Check(const char* what) {
  // Low-level object calls (HPDF_Dict_Add, HPDF_String_New) record errors
  // without calling the handler, so ask the document too.
  if (error_ == HPDF_OK && HPDF_GetError(doc_) != HPDF_OK) {
    error_ = HPDF_GetError(doc_);
    detail_ = HPDF_GetErrorDetail(doc_);
  }
  if (error_ == HPDF_OK) return;
  char code[64];
  std::snprintf(code, sizeof code, "libharu error 0x%04X (detail %u)",
                static_cast<unsigned>(error_), static_cast<unsigned>(detail_));
  error_ = HPDF_OK;
  HPDF_ResetError(doc_);
  throw PdfError(std::string(what) + ": " + code);
}

HPDF_Page Document::AddPage(float width, float height) {
  HPDF_Page page = HPDF_AddPage(doc_);
  HPDF_Page_SetWidth(page, width);
  HPDF_Page_SetHeight(page, height);
  Check("adding a page");
  return page;
}

std::string Document::Save() {
  for (const auto& write : before_save_) write();
  before_save_.clear();
  DeflateStreams();
  HPDF_SaveToStream(doc_);
  Check("writing the PDF");
  std::string bytes(HPDF_GetStreamSize(doc_), '\0');
  HPDF_UINT32 size = static_cast<HPDF_UINT32>(bytes.size());
  HPDF_ReadFromStream(doc_, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
  bytes.resize(size);
  // ReadFromStream reports HPDF_STREAM_EOF when it reaches the end: expected.
  if (error_ == HPDF_STREAM_EOF) error_ = HPDF_OK;
  HPDF_ResetError(doc_);
  Check("reading the PDF back from memory");
  return bytes;
}

namespace {

// libharu drops a /Filter entry from a stream it does not filter itself,
// so the entry is written from the dictionary's write hook instead.
HPDF_STATUS WriteFlateFilter(HPDF_Dict, HPDF_Stream stream) {
  return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

}  // namespace

void Document::SetDeflatedStream(HPDF_Dict dict, const char* deflated, std::size_t size) {
  HPDF_MemStream_FreeData(dict->stream);
  HPDF_Stream_Write(dict->stream, reinterpret_cast<const HPDF_BYTE*>(deflated),
                    static_cast<HPDF_UINT>(size));
  dict->filter = HPDF_STREAM_FILTER_NONE;
  dict->write_fn = &WriteFlateFilter;
}

void Document::DeflateStreams() {
  // libharu would deflate each stream itself at zlib's default level, with
  // a new zlib state (a 256 KB allocation, partly cleared) per stream: that
  // was 40 % of a blank consent form's render. One state, reset between
  // streams, at level kLevel instead; libharu then writes the bytes as
  // they are.
  constexpr int kLevel = 1;
  z_stream zlib{};
  if (deflateInit(&zlib, kLevel) != Z_OK) throw std::bad_alloc();
  std::string raw, packed;
  HPDF_List entries = doc_->xref->entries;
  for (HPDF_UINT i = 0; i < entries->count; ++i) {
    auto* entry = static_cast<HPDF_XrefEntry>(HPDF_List_ItemAt(entries, i));
    if (!entry || !entry->obj) continue;
    auto* header = static_cast<HPDF_Obj_Header*>(entry->obj);
    if ((header->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT) continue;
    auto dict = static_cast<HPDF_Dict>(entry->obj);
    if (!dict->stream || dict->filter != HPDF_STREAM_FILTER_FLATE_DECODE || dict->write_fn) {
      continue;
    }
    raw.resize(HPDF_Stream_Size(dict->stream));
    HPDF_UINT size = static_cast<HPDF_UINT>(raw.size());
    HPDF_Stream_Seek(dict->stream, 0, HPDF_SEEK_SET);
    if (size) HPDF_Stream_Read(dict->stream, reinterpret_cast<HPDF_BYTE*>(raw.data()), &size);
    deflateReset(&zlib);
    packed.resize(deflateBound(&zlib, size));
    zlib.next_in = reinterpret_cast<Bytef*>(raw.data());
    zlib.avail_in = size;
    zlib.next_out = reinterpret_cast<Bytef*>(packed.data());
    zlib.avail_out = static_cast<uInt>(packed.size());
    int status = deflate(&zlib, Z_FINISH);
    if (status != Z_STREAM_END) {
      deflateEnd(&zlib);
      throw PdfError("cannot compress a PDF stream (zlib " + std::to_string(status) + ")");
    }
    SetDeflatedStream(dict, packed.data(), zlib.total_out);
  }
  deflateEnd(&zlib);
  Check("compressing the PDF's streams");
}

}  // namespace consentkit
