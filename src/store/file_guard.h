// Private to the SQLite store: watches the database file a store has open.
//
// SQLite keeps writing to the file it opened, whatever happens to its path:
// a database deleted (or moved, or copied over) while the server runs takes
// every later commit into a file nobody will ever open again. The guard
// notices that before a commit is reported, and also notices a WAL index
// (-shm) shrunk under SQLite's memory map, whose next access would kill the
// process with SIGBUS.
#ifndef CONSENTKIT_STORE_FILE_GUARD_H_
#define CONSENTKIT_STORE_FILE_GUARD_H_

#include <sys/types.h>

#include <mutex>
#include <string>

namespace consentkit {

class DatabaseFileGuard {
 public:
  // Takes the identity (device and inode) of the file at `path`, which
  // must exist, before SQLite opens it. Throws StoreError.
  //
  // Paths only, no descriptor of its own: closing any descriptor of a file
  // drops every POSIX lock the process holds on it, SQLite's included.
  explicit DatabaseFileGuard(const std::string& path);
  DatabaseFileGuard(const DatabaseFileGuard&) = delete;
  DatabaseFileGuard& operator=(const DatabaseFileGuard&) = delete;

  // Once SQLite has the database open: throws StoreError unless the file
  // at the path is still the one opened here, and records the WAL index
  // as SQLite mapped it.
  void Settle();

  // Throws StoreUnavailable if the file at the path is no longer the one
  // opened (removed: no such file; replaced: another inode there; a file
  // whose last name is gone cannot be at the path, so this also covers a
  // link count of 0), the write-ahead log was removed or replaced, or the
  // WAL index was removed, replaced or shrunk.
  // Once it has thrown it throws the same on every later call (a restart
  // is the only way back). Costs three stat calls. Thread-safe.
  void Check();

  // Whether Check has failed.
  bool Failed();

 private:
  // The reason the files are not as opened, or "" when they are.
  // REQUIRES: mutex_ held.
  std::string FindProblem();

  std::string path_;
  std::string shm_path_;
  std::string wal_path_;
  dev_t device_ = 0;
  ino_t inode_ = 0;
  ino_t shm_inode_ = 0;
  ino_t wal_inode_ = 0;  // 0 until the WAL exists
  off_t shm_size_ = 0;   // the largest size seen: SQLite never shrinks it while open
  std::mutex mutex_;
  std::string failure_;  // sticky: the first problem found
};

}  // namespace consentkit

#endif  // CONSENTKIT_STORE_FILE_GUARD_H_
