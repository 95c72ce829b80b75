#include "pdf/document.h"

#include <zlib.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "pdf/haru_internals.h"

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
  // Low-level object calls (HPDF_Dict_Add, haru::NewString) record errors
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

// A zlib deflate state, reset between streams: deflateInit allocates about
// 270 KB, which glibc maps and unmaps afresh each time.
class Deflater {
 public:
  static constexpr int kLevel = 1;  // 2-3x faster than 6, about 10 % larger
  Deflater() {
    if (deflateInit(&zlib_, kLevel) != Z_OK) throw std::bad_alloc();
  }
  ~Deflater() { deflateEnd(&zlib_); }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  // `raw` deflated into `packed`; returns the compressed size.
  std::size_t Deflate(const std::string& raw, std::string& packed) {
    deflateReset(&zlib_);
    packed.resize(deflateBound(&zlib_, static_cast<uLong>(raw.size())));
    zlib_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
    zlib_.avail_in = static_cast<uInt>(raw.size());
    zlib_.next_out = reinterpret_cast<Bytef*>(packed.data());
    zlib_.avail_out = static_cast<uInt>(packed.size());
    int status = deflate(&zlib_, Z_FINISH);
    if (status != Z_STREAM_END) {
      throw PdfError("cannot compress a PDF stream (zlib " + std::to_string(status) + ")");
    }
    return zlib_.total_out;
  }

 private:
  z_stream zlib_{};
};

// Deflaters kept for reuse by whichever thread saves next: a server has a
// thread per connection, but only as many PDFs being saved as it renders at
// once, so per-thread states would mostly sit idle.
class DeflaterLease {
 public:
  DeflaterLease() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      deflater_ = std::move(idle_.back());
      idle_.pop_back();
    }
    if (!deflater_) deflater_ = std::make_unique<Deflater>();
  }
  ~DeflaterLease() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (idle_.size() < kKept) idle_.push_back(std::move(deflater_));
  }
  DeflaterLease(const DeflaterLease&) = delete;
  DeflaterLease& operator=(const DeflaterLease&) = delete;
  Deflater& operator*() { return *deflater_; }

 private:
  static constexpr std::size_t kKept = 8;
  static inline std::mutex mutex_;
  static inline std::vector<std::unique_ptr<Deflater>> idle_;
  std::unique_ptr<Deflater> deflater_;
};

}  // namespace

// Streams too short to gain from deflating (field appearances) stay raw.
constexpr std::size_t kWorthDeflating = 512;

void Document::SetContent(HPDF_Dict dict, const std::string& raw) {
  if (raw.size() < kWorthDeflating) {
    haru::SetStream(dict, raw, haru::StreamBytes::kAsIs);
  } else {
    DeflaterLease deflater;
    std::string packed;
    std::size_t size = (*deflater).Deflate(raw, packed);
    haru::SetStream(dict, std::string_view(packed.data(), size), haru::StreamBytes::kDeflated);
  }
  Check("writing a stream");
}

void Document::DeflateStreams() {
  // libharu would deflate each stream itself, at zlib's default level and
  // with a new zlib state per stream: that was 40 % of a blank consent
  // form's render.
  haru::ForEachStreamToDeflate(
      doc_, [this](HPDF_Dict dict, const std::string& raw) { SetContent(dict, raw); });
  Check("compressing the PDF's streams");
}

}  // namespace consentkit
