#include "pdf/font.h"

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>

#include "pdf/document.h"
#include "pdf/haru_internals.h"
#include "pdf/number.h"
#include "pdf/pdf.h"
#include "pdf/shaping.h"
#include "text/font_chain_data.h"
#include "util/util.h"

namespace consentkit {
namespace {

int PerMille(double value, unsigned units_per_em) {
  return static_cast<int>(std::lround(value * 1000.0 / units_per_em));
}

// Four upper-case hex digits: a 16-bit glyph id or UTF-16 unit in a PDF
// hex string or CMap, appended in place (every glyph of every line goes
// through here, so no temporary strings).
void AppendHex4(std::string& out, unsigned value) {
  const char bytes[2] = {static_cast<char>(value >> 8 & 0xFF), static_cast<char>(value & 0xFF)};
  AppendHex(out, std::string_view(bytes, 2), HexCase::kUpper);
}

std::string Hex4(unsigned value) {
  std::string out;
  AppendHex4(out, value);
  return out;
}

// `code` as UTF-16 hex units for a ToUnicode map (a surrogate pair past
// the BMP).
std::string Utf16Hex(char32_t code) {
  if (code < 0x10000) return Hex4(static_cast<unsigned>(code));
  char32_t v = code - 0x10000;
  return Hex4(0xD800 + static_cast<unsigned>(v >> 10)) +
         Hex4(0xDC00 + static_cast<unsigned>(v & 0x3FF));
}

// The face's PostScript name (name ID 6), reduced to characters a PDF
// name may hold without escapes.
std::string PostScriptNameOf(hb_face_t* face) {
  char raw[128] = {};
  unsigned size = sizeof raw;
  hb_ot_name_get_utf8(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &size, raw);
  std::string ps;
  for (const char* c = raw; *c; ++c) {
    if (*c > 32 && *c < 127 && std::string_view("/()[]<>{}%#").find(*c) == std::string::npos)
      ps += *c;
  }
  return ps.empty() ? "ConsentKitSans" : ps;
}

std::int16_t I16At(hb_blob_t* blob, unsigned at) {
  unsigned length = 0;
  const char* data = hb_blob_get_data(blob, &length);
  if (at + 2 > length) return 0;
  return static_cast<std::int16_t>(static_cast<unsigned char>(data[at]) << 8 |
                                   static_cast<unsigned char>(data[at + 1]));
}

// A UTF-16BE hex string with its byte-order mark, as PDF text strings
// beyond Latin-1 are written.
std::string PdfTextHex(const std::u32string& text) {
  std::string hex = "<FEFF";
  for (char32_t c : text) hex += Utf16Hex(c);
  return hex + ">";
}

// Whether `cff` (a bare CFF table) is CID-keyed (its Top DICT has ROS) and
// its charset gives glyph i the CID cids[i] for every glyph: then a
// CIDFontType0 showing CIDs shows the glyphs text was encoded with. Any
// malformed or unexpected structure answers false.
bool CffCharsetIs(std::string_view cff, const std::vector<unsigned>& cids) {
  auto byte = [&](std::size_t at) -> long {
    return at < cff.size() ? static_cast<unsigned char>(cff[at]) : -1;
  };
  auto uint = [&](std::size_t at, unsigned size) -> long {
    long v = 0;
    for (unsigned i = 0; i < size; ++i) {
      long b = byte(at + i);
      if (b < 0) return -1;
      v = v << 8 | b;
    }
    return v;
  };
  // An INDEX at `at`: its count, where its data starts, and the offsets.
  struct Index {
    long count = -1, data = 0, off_size = 0, at = 0;
  };
  auto index_at = [&](std::size_t at) {
    Index idx;
    idx.at = static_cast<long>(at);
    idx.count = uint(at, 2);
    if (idx.count <= 0) return idx;
    idx.off_size = byte(at + 2);
    if (idx.off_size < 1 || idx.off_size > 4) idx.count = -1;
    idx.data = static_cast<long>(at) + 2 + (idx.count + 1) * idx.off_size;
    return idx;
  };
  auto offset = [&](const Index& idx, long i) {
    return uint(static_cast<std::size_t>(idx.at + 3 + i * idx.off_size),
                static_cast<unsigned>(idx.off_size));
  };
  auto end_of = [&](const Index& idx) -> long {
    if (idx.count == 0) return idx.at + 2;
    long last = offset(idx, idx.count);
    return last < 1 ? -1 : idx.data + last;
  };
  if (cff.size() < 4 || byte(0) != 1) return false;
  Index names = index_at(static_cast<std::size_t>(byte(2)));
  if (names.count < 0) return false;
  long top_at = end_of(names);
  if (top_at < 0) return false;
  Index tops = index_at(static_cast<std::size_t>(top_at));
  if (tops.count < 1) return false;
  long begin = tops.data + offset(tops, 0), end = tops.data + offset(tops, 1);
  if (begin <= tops.data || end < begin || end > static_cast<long>(cff.size())) return false;
  // The Top DICT: operands (integers; reals skipped) then an operator.
  bool ros = false;
  long charset = 0, charstrings = -1;
  std::vector<long> operands;
  for (long at = begin; at < end;) {
    long b0 = byte(static_cast<std::size_t>(at));
    if (b0 == 28) {
      operands.push_back(static_cast<std::int16_t>(uint(static_cast<std::size_t>(at) + 1, 2)));
      at += 3;
    } else if (b0 == 29) {
      operands.push_back(static_cast<std::int32_t>(uint(static_cast<std::size_t>(at) + 1, 4)));
      at += 5;
    } else if (b0 == 30) {
      for (++at; at < end; ++at) {
        long b = byte(static_cast<std::size_t>(at));
        if ((b & 0x0F) == 0x0F || (b >> 4) == 0x0F) break;
      }
      ++at;
      operands.push_back(0);
    } else if (b0 >= 32 && b0 <= 246) {
      operands.push_back(b0 - 139);
      ++at;
    } else if (b0 >= 247 && b0 <= 250) {
      operands.push_back((b0 - 247) * 256 + byte(static_cast<std::size_t>(at) + 1) + 108);
      at += 2;
    } else if (b0 >= 251 && b0 <= 254) {
      operands.push_back(-(b0 - 251) * 256 - byte(static_cast<std::size_t>(at) + 1) - 108);
      at += 2;
    } else if (b0 >= 0 && b0 <= 21) {
      int op = static_cast<int>(b0);
      if (b0 == 12) op = 1200 + static_cast<int>(byte(static_cast<std::size_t>(++at)));
      ++at;
      if (op == 1230) ros = true;
      if (op == 15 && !operands.empty()) charset = operands.back();
      if (op == 17 && !operands.empty()) charstrings = operands.back();
      operands.clear();
    } else {
      return false;
    }
  }
  if (!ros || charset <= 2 || charstrings <= 0) return false;  // 0–2: predefined (not CIDs)
  Index glyphs = index_at(static_cast<std::size_t>(charstrings));
  if (glyphs.count != static_cast<long>(cids.size()) || cids.empty() || cids[0] != 0) return false;
  // The charset names glyphs 1 … n-1 (glyph 0 is CID 0).
  std::vector<unsigned> got = {0};
  auto at = static_cast<std::size_t>(charset);
  long format = byte(at++);
  while (got.size() < cids.size()) {
    if (format == 0) {
      long cid = uint(at, 2);
      if (cid < 0) return false;
      got.push_back(static_cast<unsigned>(cid));
      at += 2;
    } else if (format == 1 || format == 2) {
      long first = uint(at, 2), left = uint(at + 2, format == 1 ? 1 : 2);
      if (first < 0 || left < 0) return false;
      at += format == 1 ? 3 : 4;
      for (long k = 0; k <= left && got.size() < cids.size(); ++k)
        got.push_back(static_cast<unsigned>(first + k));
    } else {
      return false;
    }
  }
  return got == cids;
}

}  // namespace

// ---------------------------------------------------------------------------
// FontProgram

std::shared_ptr<const FontProgram> FontProgram::Load(const std::string& path, unsigned index) {
  static std::mutex mutex;
  static std::map<std::pair<std::string, unsigned>, std::shared_ptr<const FontProgram>> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = loaded.find({path, index});
  if (found != loaded.end()) return found->second;
  std::shared_ptr<FontProgram> program(new FontProgram());
  program->Open(path, index);
  loaded.emplace(std::make_pair(path, index), program);
  return program;
}

std::shared_ptr<const FontProgram> FontProgram::FromBytes(std::string_view bytes,
                                                          const std::string& name, unsigned index) {
  if (bytes.size() > std::numeric_limits<unsigned>::max()) {
    throw PdfError("font " + name + ": " + std::to_string(bytes.size()) +
                   " bytes; expected at most 4 GiB");
  }
  std::shared_ptr<FontProgram> program(new FontProgram());
  program->path_ = name;
  program->OpenBlob(hb_blob_create_or_fail(bytes.data(), static_cast<unsigned>(bytes.size()),
                                           HB_MEMORY_MODE_DUPLICATE, nullptr, nullptr),
                    index);
  return program;
}

FontProgram::~FontProgram() {
  hb_face_destroy(cff_source_);
  hb_face_destroy(subset_source_);
  hb_font_destroy(font_);
  hb_face_destroy(face_);
}

void FontProgram::Open(const std::string& path, unsigned index) {
  path_ = path;
  // Mapped, not read: Noto Sans CJK is 19 MB, and only the pages a
  // document's glyphs live on are ever touched.
  hb_blob_t* blob = hb_blob_create_from_file_or_fail(path.c_str());
  if (!blob) {
    throw PdfError("cannot open font " + path +
                   " (build the 'fonts' target or set CONSENTKIT_FONT_DIR)");
  }
  OpenBlob(blob, index);
}

void FontProgram::OpenBlob(hb_blob_t* blob, unsigned index) {
  if (!blob) throw PdfError("font " + path_ + ": out of memory reading it");
  std::string where = "font " + path_;
  unsigned faces = hb_face_count(blob);
  if (index >= std::max(faces, 1u)) {
    hb_blob_destroy(blob);
    throw PdfError(where + ": has " + std::to_string(faces) + " faces; expected face " +
                   std::to_string(index));
  }
  face_ = hb_face_create(blob, index);
  hb_blob_destroy(blob);  // the face holds its own reference
  unsigned glyphs = hb_face_get_glyph_count(face_);
  units_per_em_ = hb_face_get_upem(face_);
  hb_set_t* codes = hb_set_create();
  hb_face_collect_unicodes(face_, codes);
  bool maps = !hb_set_is_empty(codes);
  if (glyphs == 0 || !maps || units_per_em_ < 16) {
    hb_set_destroy(codes);
    throw PdfError(where + ": not a font HarfBuzz can read (" + std::to_string(glyphs) +
                   " glyphs; expected a TrueType or OpenType font with a Unicode cmap)");
  }
  hb_face_make_immutable(face_);
  font_ = hb_font_create(face_);
  hb_font_make_immutable(font_);

  // A flat BMP map and the advances of every glyph: measuring Latin text
  // (most of every form) then costs an array read per character. A cmap
  // entry past the face's glyphs maps to .notdef: every per-glyph table is
  // sized by the glyph count (found by fuzz/font_fuzzer.cc).
  glyph_of_bmp_.assign(0x10000, 0);
  hb_codepoint_t code = HB_SET_VALUE_INVALID;
  while (hb_set_next(codes, &code) && code < 0x10000) {
    hb_codepoint_t glyph = 0;
    if (hb_font_get_nominal_glyph(font_, code, &glyph) && glyph < std::min(glyphs, 0x10000u))
      glyph_of_bmp_[code] = static_cast<std::uint16_t>(glyph);
  }
  hb_set_destroy(codes);
  glyphs = std::min(glyphs, 0x10000u);
  advances_.resize(glyphs);
  for (unsigned g = 0; g < glyphs; ++g) {
    advances_[g] = PerMille(hb_font_get_glyph_h_advance(font_, g), units_per_em_);
  }

  hb_blob_t* cff = hb_face_reference_table(face_, HB_TAG('C', 'F', 'F', ' '));
  cff_ = hb_blob_get_length(cff) > 0;
  hb_blob_destroy(cff);
  if (cff_) {
    cff_source_ = hb_face_builder_create();
    for (hb_tag_t tag : {HB_TAG('C', 'F', 'F', ' '), HB_TAG('m', 'a', 'x', 'p')}) {
      hb_blob_t* table = hb_face_reference_table(face_, tag);
      hb_face_builder_add_table(cff_source_, tag, table);
      hb_blob_destroy(table);
    }
    hb_face_make_immutable(cff_source_);
  }
  postscript_name_ = PostScriptNameOf(face_);
  hb_font_extents_t extents{};
  hb_font_get_h_extents(font_, &extents);
  metrics_.ascent = PerMille(extents.ascender, units_per_em_);
  metrics_.descent = PerMille(extents.descender, units_per_em_);
  hb_position_t cap = 0;
  metrics_.cap_height = hb_ot_metrics_get_position(font_, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap)
                            ? PerMille(cap, units_per_em_)
                            : metrics_.ascent;
  hb_blob_t* head = hb_face_reference_table(face_, HB_TAG('h', 'e', 'a', 'd'));
  for (unsigned i = 0; i < 4; ++i)
    metrics_.bbox[i] = PerMille(I16At(head, 36 + 2 * i), units_per_em_);
  hb_blob_destroy(head);
}

std::uint16_t FontProgram::GlyphOf(char32_t code) const {
  if (code < glyph_of_bmp_.size()) return glyph_of_bmp_[code];
  hb_codepoint_t glyph = 0;
  return hb_font_get_nominal_glyph(font_, code, &glyph) && glyph < advances_.size()
             ? static_cast<std::uint16_t>(glyph)
             : 0;
}

namespace {

std::vector<std::uint16_t> GlyphsIn(const std::vector<bool>& used) {
  std::vector<std::uint16_t> glyphs;
  for (std::size_t g = 0; g < used.size(); ++g) {
    if (used[g]) glyphs.push_back(static_cast<std::uint16_t>(g));
  }
  return glyphs;
}

}  // namespace

std::string FontProgram::Subset(const std::vector<bool>& used, bool* bare_cff) const {
  return SubsetGlyphs(GlyphsIn(used), bare_cff);
}

// hb_subset_preprocess costs about 20 subsets' work once (some 65 M
// instructions for DejaVu Sans) and makes each later subset several times
// cheaper: worth it for a server that subsets every new record's glyphs,
// not for `consentkit render`, whose one document would pay it all. So a
// face is preprocessed on its kPlainSubsets+1-th subset. Not for CFF:
// preprocessing Noto Sans CJK holds 300 MB.
hb_face_t* FontProgram::SubsetSource() const {
  constexpr int kPlainSubsets = 2;
  if (cff_ || subsets_made_.fetch_add(1) < kPlainSubsets) return face_;
  // Only threads past the count read subset_source_, all after call_once.
  std::call_once(preprocess_once_, [this] { subset_source_ = hb_subset_preprocess(face_); });
  return subset_source_ ? subset_source_ : face_;
}

std::string FontProgram::SubsetGlyphs(const std::vector<std::uint16_t>& used,
                                      bool* bare_cff) const {
  if (bare_cff) *bare_cff = false;
  hb_subset_input_t* input = hb_subset_input_create_or_fail();
  if (!input) throw PdfError("font " + path_ + ": cannot start hb-subset (out of memory)");
  hb_set_t* glyphs = hb_subset_input_glyph_set(input);
  hb_set_add(glyphs, 0);  // .notdef must stay
  for (std::uint16_t g : used) hb_set_add(glyphs, g);
  // Shaping is done: the PDF needs outlines and widths, not the layout
  // tables, hinting, a character map or glyph names.
  hb_set_clear(hb_subset_input_unicode_set(input));
  hb_set_t* drop = hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
  for (hb_tag_t tag :
       {HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
        HB_TAG('k', 'e', 'r', 'n'), HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'),
        HB_TAG('M', 'A', 'T', 'H'), HB_TAG('v', 'h', 'e', 'a'), HB_TAG('v', 'm', 't', 'x'),
        HB_TAG('V', 'O', 'R', 'G'), HB_TAG('F', 'F', 'T', 'M'), HB_TAG('D', 'S', 'I', 'G'),
        HB_TAG('m', 'e', 't', 'a'), HB_TAG('G', 'S', 'U', 'B')}) {
    hb_set_add(drop, tag);
  }
  constexpr unsigned kFlags =
      HB_SUBSET_FLAGS_NO_HINTING | HB_SUBSET_FLAGS_DESUBROUTINIZE | HB_SUBSET_FLAGS_NOTDEF_OUTLINE;
  std::string file;
  if (cff_) {
    // Packed, then only the 'CFF ' table: a CIDFontType0 finds each CID
    // through its charset, which hb-subset keeps for a CID-keyed font.
    hb_subset_input_set_flags(input, kFlags);
    hb_subset_plan_t* plan = hb_subset_plan_create_or_fail(cff_source_, input);
    hb_face_t* subset = plan ? hb_subset_plan_execute_or_fail(plan) : nullptr;
    if (subset) {
      const hb_map_t* new_to_old = hb_subset_plan_new_to_old_glyph_mapping(plan);
      std::vector<unsigned> cids(hb_map_get_population(new_to_old));
      bool dense = true;
      for (unsigned g = 0; g < cids.size() && dense; ++g) {
        dense = hb_map_has(new_to_old, g);
        if (dense) cids[g] = hb_map_get(new_to_old, g);
      }
      hb_blob_t* table = hb_face_reference_table(subset, HB_TAG('C', 'F', 'F', ' '));
      unsigned length = 0;
      const char* data = hb_blob_get_data(table, &length);
      std::string cff(data ? data : "", length);
      hb_blob_destroy(table);
      hb_face_destroy(subset);
      if (dense && CffCharsetIs(cff, cids)) {
        file = std::move(cff);
        if (bare_cff) *bare_cff = true;
      }
    }
    hb_subset_plan_destroy(plan);
  }
  if (file.empty()) {
    // Glyph ids kept: text encoded against the face shows the same.
    hb_subset_input_set_flags(input, kFlags | HB_SUBSET_FLAGS_RETAIN_GIDS);
    hb_face_t* subset = hb_subset_or_fail(SubsetSource(), input);
    if (!subset) {
      hb_subset_input_destroy(input);
      throw PdfError("font " + path_ + ": hb-subset failed");
    }
    hb_blob_t* blob = hb_face_reference_blob(subset);
    unsigned length = 0;
    const char* data = hb_blob_get_data(blob, &length);
    file.assign(data ? data : "", length);
    hb_blob_destroy(blob);
    hb_face_destroy(subset);
  }
  hb_subset_input_destroy(input);
  if (file.empty()) throw PdfError("font " + path_ + ": hb-subset made an empty font");
  return file;
}

std::shared_ptr<const FontProgram::CompressedSubset> FontProgram::CompressedSubsetOf(
    const std::vector<bool>& used) const {
  return CompressedSubsetOfGlyphs(GlyphsIn(used));
}

std::shared_ptr<const FontProgram::CompressedSubset> FontProgram::CompressedSubsetOfGlyphs(
    std::vector<std::uint16_t> key) const {
  constexpr std::size_t kKept = 16;  // about 16 × 10 KB per face
  auto find = [&]() -> std::shared_ptr<const CompressedSubset> {
    // The most recently used first: a hit moves to the front, so the blank
    // forms' glyph sets stay while filled records come and go.
    for (auto entry = cache_.begin(); entry != cache_.end(); ++entry) {
      if (entry->first != key) continue;
      std::shared_ptr<const CompressedSubset> subset = entry->second;
      if (entry != cache_.begin()) {
        auto hit = std::move(*entry);
        cache_.erase(entry);  // before push_front, which invalidates `entry`
        cache_.push_front(std::move(hit));
      }
      return subset;
    }
    return nullptr;
  };
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    if (auto subset = find()) return subset;
  }
  auto subset = std::make_shared<CompressedSubset>();
  std::string file = SubsetGlyphs(key, &subset->bare_cff);
  subset->length = file.size();
  uLongf size = compressBound(static_cast<uLong>(file.size()));
  subset->deflated.resize(size);
  int status = compress2(reinterpret_cast<Bytef*>(subset->deflated.data()), &size,
                         reinterpret_cast<const Bytef*>(file.data()),
                         static_cast<uLong>(file.size()), Z_DEFAULT_COMPRESSION);
  if (status != Z_OK) {
    throw PdfError("font " + path_ + ": cannot compress the embedded subset (zlib " +
                   std::to_string(status) + ")");
  }
  subset->deflated.resize(size);
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (auto made_meanwhile = find()) return made_meanwhile;  // another thread's
  cache_.emplace_front(std::move(key), subset);
  if (cache_.size() > kKept) cache_.pop_back();
  return subset;
}

// ---------------------------------------------------------------------------
// FontChain

const FontChain& FontChain::For(const std::string& font_dir) {
  static std::mutex mutex;
  static std::map<std::string, std::unique_ptr<FontChain>> chains;
  std::lock_guard<std::mutex> lock(mutex);
  std::unique_ptr<FontChain>& chain = chains[font_dir];
  if (!chain) chain.reset(new FontChain(font_dir));
  return *chain;
}

FontChain::FontChain(std::string font_dir) : dir_(std::move(font_dir)) {
  for (std::size_t i = 0; i < font_chain::kFaceCount; ++i) {
    const font_chain::ChainFace& face = font_chain::kFaces[i];
    auto slot = std::make_unique<Slot>();
    slot->path = dir_ + "/" + face.file;
    slot->index = face.index;
    faces_.push_back(std::move(slot));
    std::string scripts = face.scripts;
    for (std::size_t start = 0; start < scripts.size();) {
      std::size_t comma = std::min(scripts.find(',', start), scripts.size());
      int code = u_getPropertyValueEnum(UCHAR_SCRIPT, scripts.substr(start, comma - start).c_str());
      if (code != UCHAR_INVALID_CODE) preferred_.emplace_back(code, i);
      start = comma + 1;
    }
  }
}

const FontProgram& FontChain::Face(std::size_t i) const {
  const Slot& slot = *faces_.at(i);
  // call_once rethrows to every caller until a load succeeds.
  std::call_once(slot.once, [&slot] { slot.program = FontProgram::Load(slot.path, slot.index); });
  return *slot.program;
}

std::size_t FontChain::PreferredFor(int script) const {
  for (const auto& [code, face] : preferred_) {
    if (code == script) return face;
  }
  return faces_.size();
}

std::size_t FontChain::FaceFor(char32_t code, int script) const {
  std::size_t preferred = PreferredFor(script);
  if (preferred < faces_.size() && Face(preferred).GlyphOf(code)) return preferred;
  for (std::size_t i = 0; i < faces_.size(); ++i) {
    if (Face(i).GlyphOf(code)) return i;
  }
  return 0;
}

// ---------------------------------------------------------------------------
// EmbeddedFace

EmbeddedFace::EmbeddedFace(Document& doc, const FontProgram& program)
    : doc_(doc),
      program_(program),
      used_(program.GlyphCount(), false),
      code_of_glyph_(program.GlyphCount(), 0) {
  HPDF_Doc pdf = doc.handle();
  type0_ = haru::NewIndirectDict(pdf);
  HPDF_Dict_AddName(type0_, "Type", "Font");
  HPDF_Dict_AddName(type0_, "Subtype", "Type0");
  HPDF_Dict_AddName(type0_, "Encoding", "Identity-H");
  cid_font_ = haru::NewIndirectDict(pdf);
  HPDF_Array descendants = haru::NewArray(pdf);
  HPDF_Array_Add(descendants, cid_font_);
  HPDF_Dict_Add(type0_, "DescendantFonts", descendants);
  descriptor_ = haru::NewIndirectDict(pdf);
  doc.Check(("embedding font " + program.path()).c_str());
  doc.BeforeSave([this] { WriteFontData(); });
}

std::string EmbeddedFace::SubsetTag() const {
  // Six capitals derived from the face and glyph set: the same text gives
  // the same file, and different subsets get different names (ISO 32000-1
  // §9.6.4).
  std::uint32_t hash = 2166136261u;
  for (char c : program_.PostScriptName())
    hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  for (std::uint16_t g : used_glyphs_) hash = (hash ^ g) * 16777619u;
  std::string tag;
  for (int i = 0; i < 6; ++i, hash /= 26) tag += static_cast<char>('A' + hash % 26);
  return tag;
}

void EmbeddedFace::WriteFontData() {
  HPDF_Doc pdf = doc_.handle();
  std::sort(used_glyphs_.begin(), used_glyphs_.end());
  std::string name = SubsetTag() + "+" + program_.PostScriptName();
  HPDF_Dict_AddName(type0_, "BaseFont", name.c_str());

  HPDF_Dict_AddName(cid_font_, "Type", "Font");
  // CFF outlines make a CIDFontType0 whose CIDs are the glyph ids (the
  // subset's charset or glyph ids keep them); TrueType ones a CIDFontType2
  // mapped by identity.
  HPDF_Dict_AddName(cid_font_, "Subtype", program_.IsCff() ? "CIDFontType0" : "CIDFontType2");
  HPDF_Dict_AddName(cid_font_, "BaseFont", name.c_str());
  HPDF_Dict system_info = haru::NewDict(pdf);
  HPDF_Dict_Add(system_info, "Registry", haru::NewString(pdf, "Adobe"));
  HPDF_Dict_Add(system_info, "Ordering", haru::NewString(pdf, "Identity"));
  HPDF_Dict_AddNumber(system_info, "Supplement", 0);
  HPDF_Dict_Add(cid_font_, "CIDSystemInfo", system_info);
  if (!program_.IsCff()) HPDF_Dict_AddName(cid_font_, "CIDToGIDMap", "Identity");
  HPDF_Dict_AddNumber(cid_font_, "DW", program_.Advance(0));
  HPDF_Dict_Add(cid_font_, "W", WidthsArray());
  HPDF_Dict_Add(cid_font_, "FontDescriptor", descriptor_);

  const FontProgram::Metrics& m = program_.metrics();
  HPDF_Dict_AddName(descriptor_, "Type", "FontDescriptor");
  HPDF_Dict_AddName(descriptor_, "FontName", name.c_str());
  HPDF_Dict_AddNumber(descriptor_, "Flags", 32);  // nonsymbolic
  HPDF_Array bbox = haru::NewArray(pdf);
  for (int edge : m.bbox) HPDF_Array_AddReal(bbox, static_cast<HPDF_REAL>(edge));
  HPDF_Dict_Add(descriptor_, "FontBBox", bbox);
  HPDF_Dict_AddNumber(descriptor_, "ItalicAngle", 0);
  HPDF_Dict_AddNumber(descriptor_, "Ascent", m.ascent);
  HPDF_Dict_AddNumber(descriptor_, "Descent", m.descent);
  HPDF_Dict_AddNumber(descriptor_, "CapHeight", m.cap_height);
  HPDF_Dict_AddNumber(descriptor_, "StemV", 80);
  // Written already deflated so that the compressed subset can be reused
  // across documents.
  std::shared_ptr<const FontProgram::CompressedSubset> subset =
      program_.CompressedSubsetOfGlyphs(used_glyphs_);
  HPDF_Dict file = haru::NewStream(pdf);
  if (program_.IsCff()) {
    HPDF_Dict_AddName(file, "Subtype", subset->bare_cff ? "CIDFontType0C" : "OpenType");
  } else {
    HPDF_Dict_AddNumber(file, "Length1", static_cast<HPDF_INT32>(subset->length));
  }
  haru::SetStream(file, subset->deflated, haru::StreamBytes::kDeflated);
  HPDF_Dict_Add(descriptor_, program_.IsCff() ? "FontFile3" : "FontFile2", file);

  HPDF_Dict to_unicode = haru::NewStream(pdf);
  haru::SetStream(to_unicode, ToUnicodeCMap(), haru::StreamBytes::kDeflateAtSave);
  HPDF_Dict_Add(type0_, "ToUnicode", to_unicode);
  doc_.Check(("writing font " + program_.path()).c_str());
}

HPDF_Array EmbeddedFace::WidthsArray() const {
  // [first [w w w] first [w] ...]: one run per stretch of used glyph ids.
  HPDF_Array widths = haru::NewArray(doc_.handle());
  HPDF_Array run = nullptr;
  std::size_t next = 0;  // the glyph that would continue the run
  for (std::uint16_t g : used_glyphs_) {
    if (g != next) run = nullptr;
    next = std::size_t{g} + 1;
    if (!run) {
      HPDF_Array_AddNumber(widths, static_cast<HPDF_INT32>(g));
      run = haru::NewArray(doc_.handle());
      HPDF_Array_Add(widths, run);
    }
    HPDF_Array_AddNumber(run, program_.Advance(static_cast<std::uint16_t>(g)));
  }
  return widths;
}

std::string EmbeddedFace::ToUnicodeCMap() const {
  std::string cmap =
      "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
      "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
      "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
      "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
  std::string entries;
  int count = 0;
  auto flush = [&] {  // bfchar blocks hold at most 100 entries
    if (count) cmap += std::to_string(count) + " beginbfchar\n" + entries + "endbfchar\n";
    entries.clear();
    count = 0;
  };
  for (std::uint16_t g : used_glyphs_) {
    char32_t code = g ? code_of_glyph_[g] : 0;
    if (!code) continue;
    entries += "<" + Hex4(static_cast<unsigned>(g)) + "> <" + Utf16Hex(code) + ">\n";
    if (++count == 100) flush();
  }
  flush();
  return cmap + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

// ---------------------------------------------------------------------------
// EmbeddedFont

EmbeddedFont::EmbeddedFont(Document& doc, const std::string& font_dir)
    : doc_(doc), chain_(FontChain::For(font_dir)) {
  faces_.resize(chain_.size());
  Face(0);
}

EmbeddedFace& EmbeddedFont::Face(std::size_t i) {
  if (!faces_.at(i)) faces_[i] = std::make_unique<EmbeddedFace>(doc_, chain_.Face(i));
  return *faces_[i];
}

int EmbeddedFont::Units(const std::string& utf8) const {
  int width = 0;
  if (SimpleWidth(chain_, utf8, width)) return width;
  return ShapeLine(chain_, utf8).width;
}

void EmbeddedFont::AppendShowString(std::string& out, const std::string& utf8) {
  EmbeddedFace& face = Face(0);
  out += '<';
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t code = 0;
    DecodeUtf8At(utf8, i, code);
    std::uint16_t glyph = face.program().GlyphOf(code);
    face.Use(glyph, glyph ? code : 0);
    AppendHex4(out, glyph);
  }
  out += '>';
}

void EmbeddedFont::AppendRun(std::string& out, const ShapedRun& run, float size,
                             const std::function<std::string(HPDF_Dict)>& name_of) {
  EmbeddedFace& face = Face(run.face);
  out += '/';
  out += name_of(face.dict());
  out += ' ';
  AppendNum(out, size);
  out += " Tf ";
  // One TJ per stretch of glyphs at the baseline; a glyph raised or
  // lowered (a stacked mark) gets its own, with Ts. Numbers in TJ move the
  // pen back by thousandths of an em: they turn the /W widths the viewer
  // adds into the shaped advances and offsets. Glyphs between numbers share
  // one hex string, so a line of plain text is one string, as short as the
  // stream can carry it.
  bool open = false, risen = false, in_string = false;
  auto close_string = [&] {
    if (in_string) out += '>';
    in_string = false;
  };
  auto append_number = [&](int value) {
    close_string();
    out += ' ';
    out += std::to_string(value);
    out += ' ';
  };
  for (const ShapedGlyph& g : run.glyphs) {
    face.Use(g.glyph, run.one_for_one ? g.code : 0);
    bool rise = g.y_offset != 0;
    if (open && (rise || risen)) {
      close_string();
      out += "] TJ ";
      open = false;
    }
    if (rise || risen) {
      AppendNum(out, static_cast<float>(g.y_offset) * size / 1000.0f);
      out += " Ts ";
      risen = rise;
    }
    if (!open) out += '[';
    open = true;
    if (g.x_offset) append_number(-g.x_offset);
    if (!in_string) out += '<';
    in_string = true;
    AppendHex4(out, g.glyph);
    int rest = g.x_offset + face.program().Advance(g.glyph) - g.advance;
    if (rest) append_number(rest);
  }
  close_string();
  if (open) out += "] TJ ";
  if (risen) out += "0 Ts ";
}

void EmbeddedFont::AppendLine(std::string& out, const std::string& utf8, float size, float x,
                              float baseline,
                              const std::function<std::string(HPDF_Dict)>& name_of) {
  ShapedLine line = ShapeLine(chain_, utf8);
  out += "BT ";
  AppendNum(out, x);
  out += ' ';
  AppendNum(out, baseline);
  out += " Td ";
  const std::vector<ShapedRun>& runs = line.runs;
  for (std::size_t i = 0; i < runs.size();) {
    // Runs whose glyphs are not their characters one for one carry them in
    // a marked-content span (ISO 32000-1 §14.9.4): each left-to-right run
    // its own, right-to-left neighbours one together, so that their
    // neutrals stay where they were typed.
    std::size_t end = i + 1;
    std::u32string actual;
    if (runs[i].rtl) {
      while (end < runs.size() && runs[end].rtl) ++end;
      for (std::size_t k = end; k > i; --k) actual += runs[k - 1].text;  // reading order
      actual = AsPopplerReadsRightToLeft(actual);
    } else if (!runs[i].one_for_one) {
      actual = runs[i].text;
    }
    if (!actual.empty()) out += "/Span <</ActualText " + PdfTextHex(actual) + ">> BDC ";
    for (std::size_t k = i; k < end; ++k) AppendRun(out, runs[k], size, name_of);
    if (!actual.empty()) out += "EMC ";
    i = end;
  }
  out += "ET";
}

}  // namespace consentkit
