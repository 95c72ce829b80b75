#include "store/file_guard.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "store/store.h"

namespace consentkit {

DatabaseFileGuard::DatabaseFileGuard(const std::string& path)
    : path_(path), shm_path_(path + "-shm"), wal_path_(path + "-wal") {
  struct stat info {};
  if (stat(path.c_str(), &info) != 0) {
    throw StoreError(path + ": cannot open database: " + std::strerror(errno));
  }
  device_ = info.st_dev;
  inode_ = info.st_ino;
}

void DatabaseFileGuard::Settle() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!FindProblem().empty()) {
    throw StoreError(path_ +
                     ": cannot open database: it was removed or replaced while being "
                     "opened");
  }
  struct stat shm {};
  if (stat(shm_path_.c_str(), &shm) == 0) {
    shm_inode_ = shm.st_ino;
    shm_size_ = shm.st_size;
  }
  struct stat wal {};
  if (stat(wal_path_.c_str(), &wal) == 0) wal_inode_ = wal.st_ino;
}

bool DatabaseFileGuard::Failed() {
  std::lock_guard<std::mutex> lock(mutex_);
  return !failure_.empty();
}

void DatabaseFileGuard::Check() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failure_.empty()) failure_ = FindProblem();
  if (!failure_.empty()) throw StoreUnavailable(failure_);
}

std::string DatabaseFileGuard::FindProblem() {
  const char* const kAdvice =
      "; nothing more is stored or acknowledged until consentkit is restarted with the "
      "database back in place";
  struct stat at_path {};
  if (stat(path_.c_str(), &at_path) != 0) {
    int err = errno;
    if (err != ENOENT) {
      return "the database file " + path_ + " cannot be checked: " + std::strerror(err) + kAdvice;
    }
    return "the database file " + path_ + " was removed or replaced while in use (it is gone)" +
           kAdvice;
  }
  if (at_path.st_dev != device_ || at_path.st_ino != inode_) {
    return "the database file " + path_ +
           " was removed or replaced while in use (another file is at its path)" + kAdvice;
  }
  struct stat wal {};
  bool wal_there = stat(wal_path_.c_str(), &wal) == 0;
  if (wal_inode_ == 0 && wal_there) wal_inode_ = wal.st_ino;  // made by the first write
  if (wal_inode_ != 0 && (!wal_there || wal.st_ino != wal_inode_)) {
    // Commits go to the WAL first: ours would sit in a file no restart
    // reads, acknowledged, until a checkpoint copies them.
    return "the database's write-ahead log " + wal_path_ + " was removed or replaced while in use" +
           kAdvice;
  }
  if (shm_inode_ == 0) return "";
  struct stat shm {};
  if (stat(shm_path_.c_str(), &shm) != 0 || shm.st_ino != shm_inode_) {
    // Other processes would now share another WAL index than this one.
    return "the database's WAL index " + shm_path_ + " was removed or replaced while in use" +
           kAdvice;
  }
  if (shm.st_size < shm_size_) {
    // SQLite maps it: touching a page past its new end would raise SIGBUS.
    return "the database's WAL index " + shm_path_ + " was truncated from " +
           std::to_string(shm_size_) + " to " + std::to_string(shm.st_size) +
           " bytes while in use" + kAdvice;
  }
  shm_size_ = shm.st_size;
  return "";
}

}  // namespace consentkit
