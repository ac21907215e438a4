// Content-addressed file store: the bytes of every data file live once, under
// <root>/<aa>/<sha256>. Single puts (stage, stage_file) stream into <root>/.tmp/<pid>-<random>.part
// while hashing (SHA-256 via OpenSSL EVP, bounded memory), fsync, then rename into place and
// fsync the folder, so a reader or a crash never sees a partial file under its final name.
//
// Batches skip the per-file fsyncs (0.2 ms each, 10x the cost of writing a small file) and,
// for the common case, the rename too: stage_unsynced() puts new content straight at its final
// name, created with O_EXCL (small content is hashed in memory first; large content is written
// to a temporary and hard-linked into place). That name has no catalog row yet, so nothing can
// read it; one sync_barrier() then makes the bytes and the names durable at once, before the
// rows are committed. When the final name is taken (the content is stored already, or a killed
// run left it, possibly partial), the content stays in a temporary and publish_batch() renames
// it over the old name (made durable by a second barrier) if the catalog has no row for it.
//
// A staged file dropped uncommitted is removed: a temporary by its name, an in-place file only
// if the final name still holds the inode this process created (under publish_lock(), so that
// another process's publish of the same content, which renames over that name, is never lost).
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <mutex>
#include <string>
#include <vector>

#include <synapse/catalog.hpp>

#include "common/unique_fd.hpp"

namespace synapse::runtime::catalog {

class ContentStore;

// A fully written file with its hash: a temporary (fsynced, unless made by stage_unsynced) or,
// in_place(), the final file itself, created by stage_unsynced. Removed on destruction unless
// it was published.
class StagedFile {
 public:
  StagedFile(std::filesystem::path temp, std::string sha256, std::uint64_t size)
      : temp_(temp.native()), sha256_(std::move(sha256)), size_(size) {}
  // A file this process created at its final name `path` (inode `dev`/`ino`) in `store`.
  StagedFile(std::filesystem::path path, std::string sha256, std::uint64_t size,
             const ContentStore& store, dev_t dev, ino_t ino)
      : temp_(path.native()),
        sha256_(std::move(sha256)),
        size_(size),
        store_(&store),
        dev_(dev),
        ino_(ino) {}
  StagedFile(StagedFile&& other) noexcept;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  StagedFile& operator=(StagedFile&&) = delete;
  ~StagedFile();

  const std::string& sha256() const { return sha256_; }
  std::uint64_t size() const { return size_; }
  // The temporary, or for an in-place file its final path.
  const std::string& temp() const { return temp_; }
  bool in_place() const { return store_ != nullptr; }
  void mark_published() { temp_.clear(); }

 private:
  // A string, not a std::filesystem::path: a path keeps a parsed copy of every component (about
  // half a KiB more for this name), and an upload holds one StagedFile per file of two batches
  // in flight.
  std::string temp_;
  std::string sha256_;
  std::uint64_t size_;
  const ContentStore* store_ = nullptr;  // set for in-place files
  dev_t dev_ = 0;
  ino_t ino_ = 0;
};

// publish_batch failed on staged[index]; the files before it are in place.
class PublishError : public CatalogError {
 public:
  PublishError(std::size_t index, const CatalogError& cause)
      : CatalogError(cause.kind(), cause.what(), cause.details()), index_(index) {}
  std::size_t index() const noexcept { return index_; }

 private:
  std::size_t index_;
};

class ContentStore {
 public:
  // Creates <root> and <root>/.tmp when missing.
  explicit ContentStore(std::filesystem::path root);

  // Streams `in` (or the file at `path`) into a temporary file, hashing on the way.
  StagedFile stage(std::istream& in) const;
  StagedFile stage_file(const std::filesystem::path& path) const;
  // The same as stage(in) without the fsync, and at the final name when it is free (see the
  // top of this file): the bytes are durable only after a later sync_barrier(). Thread-safe
  // (touches no shared state), like stage().
  StagedFile stage_unsynced(std::istream& in) const;

  // Moves the staged bytes to their final place (replacing an identical copy if one is there).
  void publish(StagedFile& staged) const;
  // One durability barrier for the store's filesystem: syncfs(2) on Linux, sync(2) elsewhere.
  // It flushes every dirty page of that filesystem, also other programs', which is why it is
  // used once per batch and never per file.
  void sync_barrier() const;
  // Moves every staged temporary to its final place (replacing an identical copy if one is
  // there, e.g. left without a row by a killed run), creating missing folders, then one
  // sync_barrier() makes the renames and folders durable; in-place files are only marked
  // published. The staged bytes themselves must be durable already (sync_barrier() after
  // stage_unsynced), or a crash could leave a final name with missing bytes. A file that cannot
  // be moved throws PublishError with its index; a failed barrier throws CatalogError io (it
  // belongs to no single file).
  void publish_batch(const std::vector<StagedFile*>& staged) const;
  // Removes the in-place file `path` if it is still the inode `dev`/`ino` (StagedFile's
  // destructor). Never throws.
  void discard_in_place(const std::filesystem::path& path, dev_t dev, ino_t ino) const noexcept;
  // True when the final file for `sha256` exists.
  bool contains(const std::string& sha256) const;
  // Removes the final file for `sha256` (missing is fine) and fsyncs its folder.
  void remove(const std::string& sha256) const;

  // "aa/<sha256>" (one folder level: at most 256 folders, so a fresh store does not make a
  // folder per file as the earlier "aa/bb/<sha256>" layout did, 65,536 of them). A store
  // created with that earlier layout keeps it (recorded in <root>/LAYOUT).
  std::string location(const std::string& sha256) const;
  int layout() const { return layout_; }
  std::filesystem::path path_of(const std::string& sha256) const {
    return root_ / location(sha256);
  }
  const std::filesystem::path& root() const { return root_; }

  // Deletes temporary files left by processes that no longer run (killed mid-write). Files of
  // live processes are kept: they are being written right now.
  void remove_stale_temporaries() const;

  // SHA-256 of a file, lowercase hex, streamed.
  static std::string sha256_of_file(const std::filesystem::path& path);

 private:
  // Unsynced staging spreads its temporaries over .tmp/0 … .tmp/f (see stage_unsynced).
  static constexpr std::size_t kTempShards = 16;
  void remove_stale_in(const std::filesystem::path& folder) const;
  // Creates `target` with O_EXCL and writes `data` into it (the in-place file, its inode in
  // dev/ino); false when the name is taken. Throws on other errors.
  bool create_in_place(const std::filesystem::path& target, const char* data, std::size_t size,
                       dev_t& dev, ino_t& ino) const;

  // Held while a final name may be replaced by a rename (publish, publish_batch) and while an
  // in-place file is checked and removed: this process's threads (the mutex) and other
  // processes (flock on the store's root folder).
  class PublishLock {
   public:
    explicit PublishLock(const ContentStore& store);
    PublishLock(const PublishLock&) = delete;
    PublishLock& operator=(const PublishLock&) = delete;
    ~PublishLock();

   private:
    std::unique_lock<std::mutex> guard_;
    int fd_ = -1;
  };
  mutable std::mutex publish_mutex_;

  std::filesystem::path root_;
  std::filesystem::path tmp_;
  int layout_ = 2;  // 1: aa/bb/<sha256>, 2: aa/<sha256>
  // The barrier's syncfs handle, opened with the store: syncfs reports the write-back errors
  // seen since its file was opened, so one opened at each barrier would miss an error of the
  // write-back that sync_file_range started (or the kernel did) before it.
  UniqueFd sync_fd_;
};

}  // namespace synapse::runtime::catalog
