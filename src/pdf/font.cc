#include "pdf/font.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>

#include "pdf/document.h"
#include "pdf/haru_internals.h"
#include "pdf/pdf.h"
#include "util/util.h"

namespace consentkit {
namespace {

// Big-endian reads with bounds checks: the font file may come from
// CONSENTKIT_FONT_DIR, so a short or damaged file must fail cleanly.
class Reader {
 public:
  Reader(const std::string& bytes, std::string where) : bytes_(bytes), where_(std::move(where)) {}
  std::uint16_t U16(std::size_t at) const {
    Need(at, 2);
    return static_cast<std::uint16_t>(Byte(at) << 8 | Byte(at + 1));
  }
  std::int16_t I16(std::size_t at) const { return static_cast<std::int16_t>(U16(at)); }
  std::uint32_t U32(std::size_t at) const {
    Need(at, 4);
    return static_cast<std::uint32_t>(Byte(at)) << 24 |
           static_cast<std::uint32_t>(Byte(at + 1)) << 16 |
           static_cast<std::uint32_t>(Byte(at + 2)) << 8 | Byte(at + 3);
  }
  void Need(std::size_t at, std::size_t n) const {
    if (at > bytes_.size() || n > bytes_.size() - at) {
      throw PdfError(where_ + ": the file is truncated or damaged (expected a TrueType font)");
    }
  }

 private:
  unsigned Byte(std::size_t at) const { return static_cast<unsigned char>(bytes_[at]); }
  const std::string& bytes_;
  std::string where_;
};

void PutU16(std::string& out, std::size_t at, unsigned value) {
  out[at] = static_cast<char>(value >> 8 & 0xFF);
  out[at + 1] = static_cast<char>(value & 0xFF);
}

void PutU32(std::string& out, std::size_t at, std::uint32_t value) {
  PutU16(out, at, value >> 16);
  PutU16(out, at + 2, value & 0xFFFF);
}

void AppendU16(std::string& out, unsigned value) {
  out.append(2, '\0');
  PutU16(out, out.size() - 2, value);
}

void AppendU32(std::string& out, std::uint32_t value) {
  out.append(4, '\0');
  PutU32(out, out.size() - 4, value);
}

std::uint32_t Checksum(const std::string& bytes, std::size_t from, std::size_t length) {
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < length; i += 4) {
    std::uint32_t word = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      std::size_t at = from + i + k;
      word = word << 8 | (at < from + length ? static_cast<unsigned char>(bytes[at]) : 0u);
    }
    sum += word;
  }
  return sum;
}

// An sfnt file from named tables (any order): the offset table, the table
// records sorted by tag, each table 4-byte aligned, and head's
// checkSumAdjustment set as the TrueType spec requires.
std::string AssembleSfnt(std::vector<std::pair<std::string, std::string>> tables) {
  std::sort(tables.begin(), tables.end());
  unsigned count = static_cast<unsigned>(tables.size());
  unsigned power = 1, log2 = 0;
  while (power * 2 <= count) {
    power *= 2;
    ++log2;
  }
  std::string out;
  AppendU32(out, 0x00010000);
  AppendU16(out, count);
  AppendU16(out, power * 16);
  AppendU16(out, log2);
  AppendU16(out, count * 16 - power * 16);
  std::size_t offset = 12 + 16 * tables.size();
  std::size_t head_at = 0;
  std::string body;
  for (const auto& [tag, data] : tables) {
    out += tag;
    std::string padded = data + std::string((4 - data.size() % 4) % 4, '\0');
    AppendU32(out, Checksum(padded, 0, padded.size()));
    AppendU32(out, static_cast<std::uint32_t>(offset + body.size()));
    AppendU32(out, static_cast<std::uint32_t>(data.size()));
    if (tag == "head") head_at = offset + body.size();
    body += padded;
  }
  out += body;
  if (head_at) PutU32(out, head_at + 8, 0xB1B0AFBA - Checksum(out, 0, out.size()));
  return out;
}

int PerMille(int value, unsigned units_per_em) {
  return static_cast<int>(std::lround(value * 1000.0 / units_per_em));
}

// Four upper-case hex digits: a 16-bit glyph id or UTF-16 unit in a PDF
// hex string or CMap.
std::string Hex4(unsigned value) {
  const char bytes[2] = {static_cast<char>(value >> 8 & 0xFF), static_cast<char>(value & 0xFF)};
  return HexEncode(std::string_view(bytes, 2), HexCase::kUpper);
}

// The glyph of each code point U+0000..U+FFFF (0 where the font has none).
std::vector<std::uint16_t> ReadCmap(const Reader& file, std::size_t cmap, unsigned glyphs,
                                    const std::string& where) {
  // Prefer a full-Unicode subtable (format 12), else the BMP one (format 4).
  std::size_t best = 0;
  unsigned best_format = 0;
  for (unsigned i = 0, count = file.U16(cmap + 2); i < count; ++i) {
    std::size_t record = cmap + 4 + 8 * i;
    unsigned platform = file.U16(record), encoding = file.U16(record + 2);
    std::size_t at = cmap + file.U32(record + 4);
    bool unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10));
    unsigned format = file.U16(at);
    if (unicode && (format == 4 || format == 12) && format > best_format) {
      best = at;
      best_format = format;
    }
  }
  if (!best_format) {
    throw PdfError(where + ": the font has no Unicode character map (cmap format 4 or 12)");
  }
  std::vector<std::uint16_t> glyph_of(0x10000, 0);
  auto map = [&](std::uint32_t code, std::uint32_t glyph) {
    if (code < glyph_of.size() && glyph < glyphs)
      glyph_of[code] = static_cast<std::uint16_t>(glyph);
  };
  // Groups and segments must be in order and apart, as the spec requires;
  // that also bounds the work to one pass over the 65,536 code points
  // whatever the file holds.
  auto out_of_order = [&where] {
    return PdfError(where + ": the character map's ranges overlap or are out of order");
  };
  if (best_format == 12) {
    std::uint64_t next = 0;  // lowest code the next group may start at
    for (std::uint32_t i = 0, groups = file.U32(best + 12); i < groups; ++i) {
      std::size_t group = best + 16 + 12 * i;
      std::uint32_t first = file.U32(group), end = file.U32(group + 4);
      if (first < next || end < first) throw out_of_order();
      if (first > 0xFFFF) break;
      next = std::uint64_t{end} + 1;
      std::uint32_t last = std::min<std::uint32_t>(end, 0xFFFF);
      for (std::uint32_t code = first; code <= last; ++code) {
        map(code, file.U32(group + 8) + code - first);
      }
    }
    return glyph_of;
  }
  unsigned segments = file.U16(best + 6) / 2;
  std::size_t ends = best + 14, starts = ends + 2 * segments + 2;
  std::size_t deltas = starts + 2 * segments, range_offsets = deltas + 2 * segments;
  unsigned next = 0;
  for (unsigned s = 0; s < segments; ++s) {
    unsigned end = file.U16(ends + 2 * s), start = file.U16(starts + 2 * s);
    if (start < next || end < start) throw out_of_order();
    next = end + 1;
    unsigned delta = file.U16(deltas + 2 * s), range_offset = file.U16(range_offsets + 2 * s);
    for (unsigned code = start; code <= end && code != 0xFFFF; ++code) {
      unsigned glyph = 0;
      if (range_offset == 0) {
        glyph = (code + delta) & 0xFFFF;
      } else {
        std::size_t at = range_offsets + 2 * s + range_offset + 2 * (code - start);
        glyph = file.U16(at);
        if (glyph) glyph = (glyph + delta) & 0xFFFF;
      }
      map(code, glyph);
    }
  }
  return glyph_of;
}

// The font's PostScript name (name ID 6), reduced to characters a PDF
// name may hold without escapes.
template <typename Tables>
std::string ReadPostScriptName(const Reader& file, const std::string& bytes, const Tables& tables) {
  for (const auto& [name, t] : tables) {
    if (name != "name") continue;
    std::size_t strings = t.offset + file.U16(t.offset + 4);
    for (unsigned i = 0, count = file.U16(t.offset + 2); i < count; ++i) {
      std::size_t record = t.offset + 6 + 12 * i;
      if (file.U16(record + 6) != 6) continue;  // PostScript name
      unsigned platform = file.U16(record), length = file.U16(record + 8);
      std::size_t at = strings + file.U16(record + 10);
      file.Need(at, length);
      std::string ps;
      for (unsigned k = platform == 3 ? 1 : 0; k < length; k += platform == 3 ? 2 : 1) {
        char c = bytes[at + k];
        if (c > 32 && c < 127 && c != '/' && c != '(' && c != ')' && c != '[' && c != ']' &&
            c != '<' && c != '>' && c != '{' && c != '}' && c != '%' && c != '#') {
          ps += c;
        }
      }
      if (!ps.empty()) return ps;
    }
  }
  return "ConsentKitSans";
}

// The code point starting at `at`; advances `at` past it. Text reaching
// the PDF has been validated as UTF-8; a sequence that is not gives U+FFFD,
// which the font has no glyph for, so it shows as the .notdef glyph.
char32_t NextCodePoint(const std::string& utf8, std::size_t& at) {
  char32_t code = 0;
  DecodeUtf8At(utf8, at, code);
  return code;
}

}  // namespace

// ---------------------------------------------------------------------------
// FontProgram

std::shared_ptr<const FontProgram> FontProgram::Load(const std::string& path) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const FontProgram>> loaded;
  std::lock_guard<std::mutex> lock(mutex);
  auto found = loaded.find(path);
  if (found != loaded.end()) return found->second;
  std::shared_ptr<FontProgram> program(new FontProgram());
  program->Parse(path);
  loaded.emplace(path, program);
  return program;
}

void FontProgram::Parse(const std::string& path) {
  try {
    bytes_ = ReadFile(path);
  } catch (const std::exception&) {
    throw PdfError("cannot open font " + path +
                   " (build the 'fonts' target or set CONSENTKIT_FONT_DIR)");
  }
  std::string where = "font " + path;
  Reader file(bytes_, where);
  std::uint32_t version = file.U32(0);
  if (version != 0x00010000 && version != 0x74727565) {  // 'true'
    throw PdfError(where + ": not a TrueType font (expected glyf outlines, sfnt version 1.0)");
  }
  for (unsigned i = 0, count = file.U16(4); i < count; ++i) {
    std::size_t record = 12 + 16 * i;
    Table table{file.U32(record + 8), file.U32(record + 12)};
    file.Need(table.offset, table.length);
    tables_.emplace_back(bytes_.substr(record, 4), table);
  }
  auto table = [&](const char* tag) {
    for (const auto& [name, t] : tables_) {
      if (name == tag) return t;
    }
    throw PdfError(where + ": the font has no '" + tag + "' table (expected a TrueType font)");
  };
  Table head = table("head"), hhea = table("hhea"), maxp = table("maxp"), hmtx = table("hmtx");
  Table loca = table("loca"), glyf = table("glyf"), cmap = table("cmap");
  // Subset() copies and patches these tables, so each must be as long as
  // the fields read from it, not just lie inside the file.
  auto need = [&where](const char* tag, const Table& t, std::size_t bytes) {
    if (t.length < bytes) {
      throw PdfError(where + ": the '" + tag + "' table is " + std::to_string(t.length) +
                     " bytes; expected at least " + std::to_string(bytes));
    }
  };
  need("head", head, 54);
  need("hhea", hhea, 36);
  need("maxp", maxp, 6);

  units_per_em_ = file.U16(head.offset + 18);
  if (units_per_em_ < 16)
    throw PdfError(where + ": unitsPerEm is " + std::to_string(units_per_em_));
  unsigned glyphs = file.U16(maxp.offset + 4);
  unsigned metrics = file.U16(hhea.offset + 34);
  if (glyphs == 0 || metrics == 0 || metrics > glyphs) {
    throw PdfError(where + ": " + std::to_string(glyphs) + " glyphs with " +
                   std::to_string(metrics) + " horizontal metrics");
  }
  need("hmtx", hmtx, 4u * metrics + 2u * (glyphs - metrics));
  bool long_offsets = file.I16(head.offset + 50) == 1;
  need("loca", loca, (glyphs + 1u) * (long_offsets ? 4u : 2u));
  for (unsigned g = 0; g < glyphs; ++g) {
    unsigned advance = file.U16(hmtx.offset + 4 * std::min(g, metrics - 1));
    advances_.push_back(PerMille(static_cast<int>(advance), units_per_em_));
  }
  for (unsigned g = 0; g <= glyphs; ++g) {
    std::uint32_t at =
        long_offsets ? file.U32(loca.offset + 4 * g) : 2u * file.U16(loca.offset + 2 * g);
    if (at > glyf.length)
      throw PdfError(where + ": glyph " + std::to_string(g) + " lies past 'glyf'");
    glyph_offsets_.push_back(glyf.offset + at);
  }

  metrics_.ascent = PerMille(file.I16(hhea.offset + 4), units_per_em_);
  metrics_.descent = PerMille(file.I16(hhea.offset + 6), units_per_em_);
  for (unsigned i = 0; i < 4; ++i) {
    metrics_.bbox[i] = PerMille(file.I16(head.offset + 36 + 2 * i), units_per_em_);
  }
  glyph_of_bmp_ = ReadCmap(file, cmap.offset, glyphs, where);
  postscript_name_ = ReadPostScriptName(file, bytes_, tables_);
  auto [h_start, h_end] = GlyphRange(GlyphOf('H'));
  metrics_.cap_height =
      h_end - h_start >= 10 ? PerMille(file.I16(h_start + 8), units_per_em_) : metrics_.ascent;
}

std::pair<std::uint32_t, std::uint32_t> FontProgram::GlyphRange(std::uint16_t glyph) const {
  if (glyph + 1u >= glyph_offsets_.size()) return {0, 0};
  std::uint32_t start = glyph_offsets_[glyph], end = glyph_offsets_[glyph + 1u];
  return end > start ? std::make_pair(start, end) : std::make_pair(start, start);
}

std::string FontProgram::TableBytes(const char* tag) const {
  for (const auto& [name, t] : tables_) {
    if (name == tag) return bytes_.substr(t.offset, t.length);
  }
  return {};
}

void FontProgram::AddComponents(std::uint16_t glyph, std::vector<bool>& keep) const {
  // A composite glyph (numberOfContours < 0) names the glyphs it is built
  // from; each is kept too. Iterative, and each glyph visited once, so a
  // damaged font with a cycle cannot loop.
  std::vector<std::uint16_t> pending{glyph};
  Reader file(bytes_, "font " + postscript_name_);
  while (!pending.empty()) {
    auto [start, end] = GlyphRange(pending.back());
    pending.pop_back();
    if (end - start < 10 || file.I16(start) >= 0) continue;
    constexpr unsigned kWords = 0x0001, kScale = 0x0008, kMore = 0x0020, kXYScale = 0x0040,
                       kTwoByTwo = 0x0080;
    std::size_t at = start + 10;
    unsigned flags = 0;
    do {
      if (at + 4 > end) break;
      flags = file.U16(at);
      std::uint16_t component = file.U16(at + 2);
      if (component < keep.size() && !keep[component]) {
        keep[component] = true;
        pending.push_back(component);
      }
      at += 4 + ((flags & kWords) ? 4 : 2);
      at += (flags & kScale) ? 2 : (flags & kXYScale) ? 4 : (flags & kTwoByTwo) ? 8 : 0;
    } while (flags & kMore);
  }
}

std::string FontProgram::Subset(const std::vector<bool>& used) const {
  std::vector<bool> keep(advances_.size(), false);
  keep[0] = true;  // .notdef must stay
  for (std::size_t g = 0; g < used.size() && g < keep.size(); ++g) {
    if (used[g] && !keep[g]) {
      keep[g] = true;
      AddComponents(static_cast<std::uint16_t>(g), keep);
    }
  }
  // Glyph ids stay as they are; glyphs past the last kept one are dropped.
  unsigned count = static_cast<unsigned>(keep.size());
  while (count > 1 && !keep[count - 1]) --count;

  std::string glyf, loca;
  for (unsigned g = 0; g < count; ++g) {
    AppendU32(loca, static_cast<std::uint32_t>(glyf.size()));
    if (!keep[g]) continue;
    auto [start, end] = GlyphRange(static_cast<std::uint16_t>(g));
    glyf.append(bytes_, start, end - start);
    glyf.append((4 - glyf.size() % 4) % 4, '\0');
  }
  AppendU32(loca, static_cast<std::uint32_t>(glyf.size()));

  std::string head = TableBytes("head"), maxp = TableBytes("maxp"), hhea = TableBytes("hhea");
  std::string hmtx = TableBytes("hmtx");
  PutU32(head, 8, 0);   // checkSumAdjustment, set by AssembleSfnt
  PutU16(head, 50, 1);  // indexToLocFormat: long offsets
  PutU16(maxp, 4, count);
  Reader file(hhea, "font " + postscript_name_);
  unsigned metrics = std::min<unsigned>(file.U16(34), count);
  PutU16(hhea, 34, metrics);
  // hmtx: full metrics for the first `metrics` glyphs, then left side
  // bearings only; both parts start where the source's do.
  unsigned source_metrics = Reader(TableBytes("hhea"), "").U16(34);
  std::string widths = hmtx.substr(0, 4 * metrics);
  if (count > metrics) widths += hmtx.substr(4 * source_metrics, 2 * (count - metrics));

  std::vector<std::pair<std::string, std::string>> tables = {{"glyf", glyf}, {"head", head},
                                                             {"hhea", hhea}, {"hmtx", widths},
                                                             {"loca", loca}, {"maxp", maxp}};
  for (const char* hinting : {"cvt ", "fpgm", "prep", "OS/2"}) {
    std::string data = TableBytes(hinting);
    if (!data.empty()) tables.emplace_back(hinting, data);
  }
  return AssembleSfnt(std::move(tables));
}

std::shared_ptr<const FontProgram::CompressedSubset> FontProgram::CompressedSubsetOf(
    const std::vector<bool>& used) const {
  constexpr std::size_t kKept = 16;  // about 16 × 10 KB
  auto find = [&]() -> std::shared_ptr<const CompressedSubset> {
    // The most recently used first: a hit moves to the front, so the blank
    // forms' glyph sets stay while filled records come and go.
    for (auto entry = cache_.begin(); entry != cache_.end(); ++entry) {
      if (entry->first != used) continue;
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
  std::string file = Subset(used);
  subset->length = file.size();
  uLongf size = compressBound(static_cast<uLong>(file.size()));
  subset->deflated.resize(size);
  int status = compress2(reinterpret_cast<Bytef*>(subset->deflated.data()), &size,
                         reinterpret_cast<const Bytef*>(file.data()),
                         static_cast<uLong>(file.size()), Z_DEFAULT_COMPRESSION);
  if (status != Z_OK)
    throw PdfError("cannot compress the embedded font (zlib " + std::to_string(status) + ")");
  subset->deflated.resize(size);
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (auto made_meanwhile = find()) return made_meanwhile;  // another thread's
  cache_.emplace_front(used, subset);
  if (cache_.size() > kKept) cache_.pop_back();
  return subset;
}

// ---------------------------------------------------------------------------
// EmbeddedFont

EmbeddedFont::EmbeddedFont(Document& doc, std::shared_ptr<const FontProgram> program)
    : doc_(doc),
      program_(std::move(program)),
      used_(program_->GlyphCount(), false),
      code_of_glyph_(program_->GlyphCount(), 0) {
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
  doc.Check("creating the embedded font");
  doc.BeforeSave([this] { WriteFontData(); });
}

int EmbeddedFont::Units(const std::string& utf8) const {
  int total = 0;
  for (std::size_t i = 0; i < utf8.size();)
    total += program_->Advance(program_->GlyphOf(NextCodePoint(utf8, i)));
  return total;
}

void EmbeddedFont::AppendShowString(std::string& out, const std::string& utf8) {
  out += '<';
  for (std::size_t i = 0; i < utf8.size();) {
    char32_t code = NextCodePoint(utf8, i);
    std::uint16_t glyph = program_->GlyphOf(code);
    used_[glyph] = true;
    if (glyph && !code_of_glyph_[glyph]) code_of_glyph_[glyph] = code;
    out += Hex4(glyph);
  }
  out += '>';
}

std::string EmbeddedFont::SubsetTag() const {
  // Six capitals derived from the glyph set: the same text gives the same
  // file, and different subsets of the font get different names (ISO
  // 32000-1 §9.6.4).
  std::uint32_t hash = 2166136261u;
  for (std::size_t g = 0; g < used_.size(); ++g) {
    if (used_[g]) hash = (hash ^ static_cast<std::uint32_t>(g)) * 16777619u;
  }
  std::string tag;
  for (int i = 0; i < 6; ++i, hash /= 26) tag += static_cast<char>('A' + hash % 26);
  return tag;
}

void EmbeddedFont::WriteFontData() {
  HPDF_Doc pdf = doc_.handle();
  std::string name = SubsetTag() + "+" + program_->PostScriptName();
  HPDF_Dict_AddName(type0_, "BaseFont", name.c_str());

  HPDF_Dict_AddName(cid_font_, "Type", "Font");
  HPDF_Dict_AddName(cid_font_, "Subtype", "CIDFontType2");
  HPDF_Dict_AddName(cid_font_, "BaseFont", name.c_str());
  HPDF_Dict system_info = haru::NewDict(pdf);
  HPDF_Dict_Add(system_info, "Registry", haru::NewString(pdf, "Adobe"));
  HPDF_Dict_Add(system_info, "Ordering", haru::NewString(pdf, "Identity"));
  HPDF_Dict_AddNumber(system_info, "Supplement", 0);
  HPDF_Dict_Add(cid_font_, "CIDSystemInfo", system_info);
  HPDF_Dict_AddName(cid_font_, "CIDToGIDMap", "Identity");
  HPDF_Dict_AddNumber(cid_font_, "DW", program_->Advance(0));
  HPDF_Dict_Add(cid_font_, "W", WidthsArray());
  HPDF_Dict_Add(cid_font_, "FontDescriptor", descriptor_);

  const FontProgram::Metrics& m = program_->metrics();
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
  std::shared_ptr<const FontProgram::CompressedSubset> subset = program_->CompressedSubsetOf(used_);
  HPDF_Dict file = haru::NewStream(pdf);
  HPDF_Dict_AddNumber(file, "Length1", static_cast<HPDF_INT32>(subset->length));
  haru::SetStream(file, subset->deflated, haru::StreamBytes::kDeflated);
  HPDF_Dict_Add(descriptor_, "FontFile2", file);

  HPDF_Dict to_unicode = haru::NewStream(pdf);
  haru::SetStream(to_unicode, ToUnicodeCMap(), haru::StreamBytes::kDeflateAtSave);
  HPDF_Dict_Add(type0_, "ToUnicode", to_unicode);
  doc_.Check("writing the embedded font");
}

HPDF_Array EmbeddedFont::WidthsArray() const {
  // [first [w w w] first [w] ...]: one run per stretch of used glyph ids.
  HPDF_Array widths = haru::NewArray(doc_.handle());
  HPDF_Array run = nullptr;
  for (std::size_t g = 0; g < used_.size(); ++g) {
    if (!used_[g]) {
      run = nullptr;
      continue;
    }
    if (!run) {
      HPDF_Array_AddNumber(widths, static_cast<HPDF_INT32>(g));
      run = haru::NewArray(doc_.handle());
      HPDF_Array_Add(widths, run);
    }
    HPDF_Array_AddNumber(run, program_->Advance(static_cast<std::uint16_t>(g)));
  }
  return widths;
}

std::string EmbeddedFont::ToUnicodeCMap() const {
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
  for (std::size_t g = 1; g < code_of_glyph_.size(); ++g) {
    char32_t code = code_of_glyph_[g];
    if (!code || code > 0xFFFF) continue;
    entries += "<" + Hex4(static_cast<unsigned>(g)) + "> <" + Hex4(code) + ">\n";
    if (++count == 100) flush();
  }
  flush();
  return cmap + "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
}

}  // namespace consentkit
