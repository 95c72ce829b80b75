// Private to the archive module: a zip writer whose memory does not grow
// with the number of entries, for non-seekable outputs.
//
// Poco::Zip::Compress keeps every entry's headers in memory until close()
// (about 780 bytes an entry, measured: 78 MB for 100,000 PDFs), and in
// non-seekable mode writes sizes after the data, which readers then find
// by scanning for a signature that can also occur inside a PDF. Here every
// entry's size and CRC are known before its header is written (PDFs are in
// memory one at a time; large text is deflated into a spool file first), so
// each local header is final, and the central directory goes to a spool
// file until Finish(). The records themselves are Poco::Zip's
// (ZipLocalFileHeader, ZipFileInfo, ZipArchiveInfo[64]), so Poco's reader,
// Python's zipfile and unzip all read the result; ZIP64 records are added
// past 65,535 entries or 4 GiB.
#ifndef CONSENTKIT_ARCHIVE_ZIP_WRITER_H_
#define CONSENTKIT_ARCHIVE_ZIP_WRITER_H_

#include <Poco/Checksum.h>
#include <Poco/DateTime.h>
#include <Poco/DeflatingStream.h>
#include <openssl/evp.h>

#include <cstdint>
#include <fstream>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

namespace consentkit {

// A temporary file in $TMPDIR (or /tmp), unlinked as soon as it is open:
// only this object's stream keeps it, so it is gone when the object is,
// even if the process is killed. Throws ArchiveError when it cannot be made.
class SpoolFile {
 public:
  SpoolFile();
  std::fstream& stream() { return file_; }
  // Flushes what was written and positions the stream to read it from the
  // start. Throws ArchiveError if any write failed.
  std::istream& Rewind();

 private:
  std::fstream file_;
};

// One entry's bytes, deflated into a spool file as they are written, with
// the CRC-32, sizes and SHA-256 the zip header and the manifest need.
class DeflatedEntry {
 public:
  DeflatedEntry();
  ~DeflatedEntry();
  DeflatedEntry(const DeflatedEntry&) = delete;
  DeflatedEntry& operator=(const DeflatedEntry&) = delete;

  void Write(std::string_view bytes);
  // Ends the deflate stream; no Write after it.
  void Finish();

  std::uint32_t crc() const { return crc_.checksum(); }
  std::uint64_t size() const { return size_; }
  std::uint64_t compressed_size() const { return compressed_size_; }
  const std::string& sha256_hex() const { return sha256_hex_; }
  // The deflated bytes, from the start. REQUIRES: Finish() was called.
  std::istream& compressed() { return spool_.Rewind(); }

 private:
  SpoolFile spool_;
  Poco::Checksum crc_{Poco::Checksum::TYPE_CRC32};
  std::unique_ptr<Poco::DeflatingOutputStream> deflate_;
  EVP_MD_CTX* sha256_;
  std::uint64_t size_ = 0;
  std::uint64_t compressed_size_ = 0;
  std::string sha256_hex_;
};

class ZipStreamWriter {
 public:
  // `modified` is every entry's time stamp. `out` must outlive the writer.
  ZipStreamWriter(std::ostream& out, const Poco::DateTime& modified);

  // Stored, not deflated: the bytes sit in the zip exactly as given, so a
  // sealed PDF can be carved out byte for byte (its streams are already
  // compressed anyway).
  void AddStored(const std::string& name, std::string_view bytes);
  // REQUIRES: entry.Finish() was called.
  void AddDeflated(const std::string& name, DeflatedEntry& entry);
  // Writes the central directory and end records. No Add after it.
  void Finish();

  std::uint64_t bytes_written() const { return offset_; }

 private:
  struct EntryInfo;
  void AddEntry(const EntryInfo& info, const std::function<void()>& write_data);
  void WriteZip64End(std::uint64_t directory_start);
  void WriteEnd(std::uint64_t directory_start);
  void CheckOutput(const std::string& doing) const;

  std::ostream& out_;
  Poco::DateTime modified_;
  SpoolFile directory_;
  std::uint64_t offset_ = 0;
  std::uint64_t directory_size_ = 0;
  std::uint64_t entries_ = 0;
};

}  // namespace consentkit

#endif  // CONSENTKIT_ARCHIVE_ZIP_WRITER_H_
