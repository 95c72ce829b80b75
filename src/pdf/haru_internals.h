// Private to src/pdf: the wall around libharu 2.3.0's internals. Every
// read or write of its private structs (the document's catalog, memory
// pool and xref, a dictionary's stream, filter and write hook, an object's
// header, a page's attributes), every call that needs one of them
// (HPDF_Dict_New(mmgr), HPDF_Xref_Add, HPDF_Stream_*, …) and every
// #include of a private header (hpdf_objects.h, hpdf_pages.h, …) is in
// haru_internals.cc and nowhere else; tests/pdf/haru_wall_test.cc fails
// otherwise.
//
// Why a wall: libharu draws pages, but has no API for what else our PDFs
// hold (AcroForm fields, a Type0 font of our own, streams we deflate
// ourselves, the signature placeholder), so those reach into structs that
// another libharu release may lay out differently. Upgrading libharu then
// means reviewing one file against the new headers, and
// tests/pdf/golden_test.cc says whether the output stayed byte for byte
// the same.
//
// What stays outside: hpdf.h's document, page and image functions, and the
// exported object functions that take only handles this header hands out
// (HPDF_Dict_Add, HPDF_Dict_AddName, HPDF_Dict_AddNumber, HPDF_Array_Add,
// HPDF_Array_AddNumber, HPDF_Array_AddReal).
//
// Objects made here belong to `doc`'s memory pool and live until the
// document is freed. Nothing here throws: libharu records a failure in
// the document for the next Document::Check. Not thread-safe; one
// document per thread.
#ifndef CONSENTKIT_PDF_HARU_INTERNALS_H_
#define CONSENTKIT_PDF_HARU_INTERNALS_H_

#include <hpdf.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace consentkit::haru {

// ---------------------------------------------------------------------------
// Objects

// A dictionary written inside whatever holds it.
HPDF_Dict NewDict(HPDF_Doc doc);
// A dictionary of its own ("n 0 obj" in the file, "n 0 R" where it is
// used). Objects are numbered in the order they are made, so the order of
// these calls is part of the output.
HPDF_Dict NewIndirectDict(HPDF_Doc doc);
HPDF_Array NewArray(HPDF_Doc doc);
// A literal string "(…)", written byte for byte with libharu's escapes.
HPDF_String NewString(HPDF_Doc doc, const std::string& bytes);
// A hex string "<…>" of `bytes`.
HPDF_Binary NewBinary(HPDF_Doc doc, const std::string& bytes);

// Adds `key` to the document catalog, e.g. /Lang or /AcroForm.
void AddToCatalog(HPDF_Doc doc, const char* key, void* object);
// The array `dict` holds under `key` (a page's /Annots, a field's /Kids),
// added empty first if `dict` has none.
HPDF_Array ArrayEntry(HPDF_Doc doc, HPDF_Dict dict, const char* key);

// ---------------------------------------------------------------------------
// Streams

// An empty, unfiltered stream dictionary of its own; libharu writes its
// /Length as a separate object.
HPDF_Dict NewStream(HPDF_Doc doc);

// How the bytes handed to SetStream are written.
enum class StreamBytes {
  kAsIs,           // unfiltered, as given
  kDeflateAtSave,  // marked /FlateDecode; Document::Save deflates them
  kDeflated,       // already zlib data: written as given, marked /FlateDecode
};
// Makes `bytes` the whole content of stream dictionary `stream`.
// REQUIRES: `stream` has no write hook (none but kDeflated streams and
// the signature placeholder get one).
void SetStream(HPDF_Dict stream, std::string_view bytes, StreamBytes how);

// Calls `visit` with every stream dictionary libharu would deflate itself
// when saving (its own page contents, kDeflateAtSave streams) and that
// stream's bytes. `visit` may SetStream the dictionary it is given.
void ForEachStreamToDeflate(HPDF_Doc doc,
                            const std::function<void(HPDF_Dict, const std::string&)>& visit);

// ---------------------------------------------------------------------------
// Pages

// The page's content stream dictionary (/Contents), for SetStream.
HPDF_Dict PageContents(HPDF_Page page);
// What libharu's own drawing calls on `page` (HPDF_Page_DrawImage) have
// written to its content stream so far: the size, and the bytes.
std::size_t DrawnSize(HPDF_Page page);
std::string DrawnBytes(HPDF_Page page);
// The resource name ("F1") under which `page`'s /Resources /Font holds
// `font`, registering the font dictionary there first if needed; null if
// libharu cannot.
const char* FontResourceName(HPDF_Page page, HPDF_Dict font);

// ---------------------------------------------------------------------------
// The signature placeholder

// Makes signature dictionary `sig` end with "/Contents <00…00>" of
// `bytes` zero bytes when written, in one piece: as an HPDF_Binary,
// libharu hex-encoded the 16 KB byte by byte, 5 % of a submission's CPU
// time. REQUIRES: `sig` has no write hook.
void EndWithZeroContents(HPDF_Doc doc, HPDF_Dict sig, unsigned bytes);

}  // namespace consentkit::haru

#endif  // CONSENTKIT_PDF_HARU_INTERNALS_H_
