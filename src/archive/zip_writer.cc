#include "archive/zip_writer.h"

#include <Poco/Path.h>
#include <Poco/Zip/ZipArchiveInfo.h>
#include <Poco/Zip/ZipFileInfo.h>
#include <Poco/Zip/ZipLocalFileHeader.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "archive/archive.h"
#include "util/util.h"

namespace consentkit {
namespace {

using Poco::Zip::ZipCommon;

constexpr std::size_t kCopyChunk = 64 * 1024;

std::string TempDirectory() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

// Checksum::update takes an unsigned length: feed it at most 1 GiB at once.
void UpdateCrc(Poco::Checksum& crc, std::string_view bytes) {
  for (std::size_t done = 0; done < bytes.size();) {
    std::size_t n = std::min<std::size_t>(bytes.size() - done, std::size_t{1} << 30);
    crc.update(bytes.data() + done, static_cast<unsigned>(n));
    done += n;
  }
}

void CopyStream(std::istream& in, std::ostream& out, std::uint64_t bytes) {
  std::string chunk(kCopyChunk, '\0');
  while (bytes > 0) {
    std::size_t n = bytes < kCopyChunk ? static_cast<std::size_t>(bytes) : kCopyChunk;
    in.read(chunk.data(), static_cast<std::streamsize>(n));
    if (static_cast<std::size_t>(in.gcount()) != n) {
      throw ArchiveError("cannot read back a temporary file in " + TempDirectory());
    }
    out.write(chunk.data(), static_cast<std::streamsize>(n));
    bytes -= n;
  }
}

}  // namespace

SpoolFile::SpoolFile() {
  std::string path = TempDirectory() + "/consentkit-archive-XXXXXX";
  int fd = ::mkstemp(path.data());
  if (fd < 0) {
    throw ArchiveError("cannot make a temporary file in " + TempDirectory() + ": " +
                       std::strerror(errno));
  }
  file_.open(path, std::ios::in | std::ios::out | std::ios::binary | std::ios::trunc);
  ::unlink(path.c_str());
  ::close(fd);
  if (!file_) throw ArchiveError("cannot open temporary file " + path);
}

std::istream& SpoolFile::Rewind() {
  if (!file_.bad()) file_.clear();  // a read to the end is fine; a failed write is not
  file_.flush();
  if (!file_) {
    throw ArchiveError("cannot write a temporary file in " + TempDirectory() +
                       " (is the disk full?)");
  }
  file_.seekg(0);
  return file_;
}

DeflatedEntry::DeflatedEntry()
    : deflate_(std::make_unique<Poco::DeflatingOutputStream>(spool_.stream(), -MAX_WBITS,
                                                             Z_DEFAULT_COMPRESSION)),
      sha256_(EVP_MD_CTX_new()) {
  if (!sha256_ || EVP_DigestInit_ex(sha256_, EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(sha256_);
    throw ArchiveError("cannot start a SHA-256 digest (OpenSSL)");
  }
}

DeflatedEntry::~DeflatedEntry() { EVP_MD_CTX_free(sha256_); }

void DeflatedEntry::Write(std::string_view bytes) {
  UpdateCrc(crc_, bytes);
  EVP_DigestUpdate(sha256_, bytes.data(), bytes.size());
  deflate_->write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  size_ += bytes.size();
}

void DeflatedEntry::Finish() {
  deflate_->close();
  deflate_.reset();
  std::fstream& spool = spool_.stream();
  spool.flush();
  spool.seekp(0, std::ios::end);
  std::streamoff end = spool.tellp();
  if (!spool || end < 0) {
    throw ArchiveError("cannot write a temporary file in " + TempDirectory() +
                       " (is the disk full?)");
  }
  compressed_size_ = static_cast<std::uint64_t>(end);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_DigestFinal_ex(sha256_, digest, &length);
  sha256_hex_ = HexEncode(std::string_view(reinterpret_cast<const char*>(digest), length));
}

struct ZipStreamWriter::EntryInfo {
  std::string name;
  ZipCommon::CompressionMethod method;
  std::uint32_t crc;
  std::uint64_t size;
  std::uint64_t compressed_size;
};

ZipStreamWriter::ZipStreamWriter(std::ostream& out, const Poco::DateTime& modified)
    : out_(out), modified_(modified) {}

void ZipStreamWriter::AddStored(const std::string& name, std::string_view bytes) {
  Poco::Checksum crc(Poco::Checksum::TYPE_CRC32);
  UpdateCrc(crc, bytes);
  EntryInfo info{name, ZipCommon::CM_STORE, crc.checksum(), bytes.size(), bytes.size()};
  AddEntry(info, [&] { out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size())); });
}

void ZipStreamWriter::AddDeflated(const std::string& name, DeflatedEntry& entry) {
  EntryInfo info{name, ZipCommon::CM_DEFLATE, entry.crc(), entry.size(), entry.compressed_size()};
  AddEntry(info, [&] { CopyStream(entry.compressed(), out_, entry.compressed_size()); });
}

void ZipStreamWriter::AddEntry(const EntryInfo& info, const std::function<void()>& write_data) {
  Poco::Zip::ZipLocalFileHeader header(Poco::Path(info.name, Poco::Path::PATH_UNIX), modified_,
                                       info.method, ZipCommon::CL_NORMAL);
  header.setCRC(info.crc);
  header.setCompressedSize(info.compressed_size);
  header.setUncompressedSize(info.size);
  header.setStartPos(static_cast<std::streamoff>(offset_));
  if (header.needsZip64()) header.setZip64Data();
  std::string local = header.createHeader();
  out_.write(local.data(), static_cast<std::streamsize>(local.size()));
  write_data();
  CheckOutput("writing " + info.name);

  Poco::Zip::ZipFileInfo central(header);
  central.setOffset(offset_);
  central.setZip64Data();
  std::string record = central.createHeader();
  directory_.stream().write(record.data(), static_cast<std::streamsize>(record.size()));
  directory_size_ += record.size();
  offset_ += local.size() + info.compressed_size;
  ++entries_;
}

void ZipStreamWriter::Finish() {
  std::uint64_t directory_start = offset_;
  CopyStream(directory_.Rewind(), out_, directory_size_);
  offset_ += directory_size_;
  if (entries_ >= ZipCommon::ZIP64_MAGIC_SHORT || offset_ >= ZipCommon::ZIP64_MAGIC) {
    WriteZip64End(directory_start);
  }
  WriteEnd(directory_start);
  out_.flush();
  CheckOutput("finishing the archive");
}

void ZipStreamWriter::WriteZip64End(std::uint64_t directory_start) {
  Poco::Zip::ZipArchiveInfo64 end;
  end.setCentralDirectorySize(directory_size_);
  end.setCentralDirectoryOffset(directory_start);
  end.setNumberOfEntries(entries_);
  end.setTotalNumberOfEntries(entries_);
  end.setHeaderOffset(static_cast<std::streamoff>(offset_));
  end.setTotalNumberOfDisks(1);
  std::string record = end.createHeader();  // the record and its locator
  out_.write(record.data(), static_cast<std::streamsize>(record.size()));
  offset_ += record.size();
}

// The classic end record, with "see ZIP64" markers where a value overflows.
void ZipStreamWriter::WriteEnd(std::uint64_t directory_start) {
  auto clamp32 = [](std::uint64_t v) {
    return v >= ZipCommon::ZIP64_MAGIC ? ZipCommon::ZIP64_MAGIC : static_cast<Poco::UInt32>(v);
  };
  Poco::UInt16 count = entries_ >= ZipCommon::ZIP64_MAGIC_SHORT
                           ? ZipCommon::ZIP64_MAGIC_SHORT
                           : static_cast<Poco::UInt16>(entries_);
  Poco::Zip::ZipArchiveInfo end;
  end.setCentralDirectorySize(clamp32(directory_size_));
  end.setCentralDirectoryOffset(clamp32(directory_start));
  end.setNumberOfEntries(count);
  end.setTotalNumberOfEntries(count);
  end.setHeaderOffset(static_cast<std::streamoff>(offset_));
  std::string record = end.createHeader();
  out_.write(record.data(), static_cast<std::streamsize>(record.size()));
  offset_ += record.size();
}

void ZipStreamWriter::CheckOutput(const std::string& doing) const {
  if (!out_) throw ArchiveError("cannot write the archive (" + doing + "): the output failed");
}

}  // namespace consentkit
