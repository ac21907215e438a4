// Storage: where an upload reads its files from and an export writes to. One interface, three
// providers in the runtime (local, s3, sftp); plugins receive a Storage& and never know which.
//
// Paths are '/'-separated and relative to the storage's root ("a/b.jpg"); a leading '/' is
// ignored; a path that would leave the root ("..", a symlink out of it) is refused with
// StorageError::Kind::path_escape. Every call may throw StorageError; messages name the
// provider and path and never contain a secret.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <synapse/errors.hpp>
#include <synapse/visibility.hpp>

namespace synapse {

class SYNAPSE_SYMBOL_VISIBLE StorageError : public Error {
 public:
  enum class Kind {
    not_found,          // the object or folder does not exist
    path_escape,        // the path resolves outside the storage root
    permission_denied,  // the provider refused the operation
    auth_failed,        // bad credentials or host key: fix the storage's configuration
    invalid_config,     // a missing or malformed configuration key
    unreachable,        // network/endpoint down, timeout: worth retrying
    io,                 // anything else the provider reported
  };
  StorageError(Kind kind, const std::string& message) : Error(message), kind_(kind) {}
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

struct ObjectInfo {
  std::string path;  // relative to the storage root, '/'-separated, no leading '/'
  std::uint64_t size = 0;
  bool is_directory = false;
  std::int64_t modified_unix = -1;  // seconds since the epoch; -1 when unknown
  // Listed entries only: a symlink (to something inside the root; size, type and time are its
  // target's). A walk must not descend into a linked folder: it may lead back to an ancestor.
  bool is_link = false;
};

// An entry a listing left out, and why (ObjectLister::take_skipped).
struct SkippedEntry {
  std::string path;  // as ObjectInfo::path
  std::string reason;
};

// A streaming listing: next() returns entries one at a time and nullopt at the end, so a
// folder of a million files is never held in memory at once. Order is provider-defined.
class SYNAPSE_SYMBOL_VISIBLE ObjectLister {
 public:
  virtual ~ObjectLister() = default;
  virtual std::optional<ObjectInfo> next() = 0;
  // The entries next() has left out since the last call that the caller should tell its user
  // about (local storage: a symlink leading out of the storage root, or to nothing), so that a
  // file is never dropped without a word. Default: none.
  virtual std::vector<SkippedEntry> take_skipped() { return {}; }
};

class SYNAPSE_SYMBOL_VISIBLE ReadStream {
 public:
  virtual ~ReadStream() = default;
  // Reads up to `size` bytes into `buffer`; returns the number read, 0 at the end.
  virtual std::size_t read(char* buffer, std::size_t size) = 0;
};

// Bytes written are invisible under `path` until commit() succeeds; destroying the stream
// without commit() discards them (atomic where the provider allows: local rename, S3 PUT or
// multipart complete, SFTP rename of a temporary file).
class SYNAPSE_SYMBOL_VISIBLE WriteStream {
 public:
  virtual ~WriteStream() = default;
  virtual void write(const char* data, std::size_t size) = 0;
  virtual void commit() = 0;
};

class SYNAPSE_SYMBOL_VISIBLE Storage {
 public:
  virtual ~Storage() = default;

  // "local", "s3" or "sftp".
  virtual std::string provider() const = 0;
  // Metadata of one object or folder; nullopt when it does not exist.
  virtual std::optional<ObjectInfo> stat(std::string_view path) = 0;
  // Entries under the folder `prefix` ("" = the root): direct children, or every file below it
  // when `recursive` (folders are then not listed themselves).
  virtual std::unique_ptr<ObjectLister> list(std::string_view prefix, bool recursive) = 0;
  // Streams an object, from `offset`, at most `length` bytes when given (ranged read).
  virtual std::unique_ptr<ReadStream> open_read(std::string_view path, std::uint64_t offset = 0,
                                                std::optional<std::uint64_t> length = {}) = 0;
  // Creates or replaces an object; parent folders are created as needed.
  virtual std::unique_ptr<WriteStream> open_write(std::string_view path) = 0;
  // Removes one object; removing a missing object throws StorageError not_found.
  virtual void remove(std::string_view path) = 0;

  // Deferred durability, for many small objects written as one unit (an export folder): the
  // object is visible once commit() returns but survives a crash only after the next sync(),
  // one barrier instead of one per object. Until commit() a reader may see it partly written
  // (local storage writes it in place); destroying the stream without commit() removes it.
  // The caller marks the unit as unfinished until sync() has returned. Providers whose
  // commit() is durable anyway (S3, SFTP) give a plain open_write().
  virtual std::unique_ptr<WriteStream> open_write_deferred(std::string_view path) {
    return open_write(path);
  }
  // Makes every object committed through open_write_deferred() durable.
  virtual void sync() {}
};

}  // namespace synapse
