// Content-addressed file store: the bytes of every data file live once, under
// <root>/<aa>/<sha256>. Writers stream into <root>/.tmp/<pid>-<random>.part while hashing
// (SHA-256 via OpenSSL EVP, bounded memory), fsync, then rename into place and fsync the
// folder, so a reader or a crash never sees a partial file under its final name.
//
// The temporary file cannot sit in its final folder because the folder is named after the
// hash, which is only known once the content has been read; .tmp is on the same filesystem,
// so the rename is still atomic.
//
// Batches skip the per-file fsyncs (0.2 ms each, 10x the cost of writing a small file):
// stage_unsynced() writes without fsync, sync_barrier() makes every staged byte durable at once,
// publish_batch() renames them all and makes the renames durable with a second barrier.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <istream>
#include <string>
#include <vector>

#include <synapse/catalog.hpp>

namespace synapse::runtime::catalog {

// A fully written temporary file with its hash (fsynced, unless made by stage_unsynced).
// Removed on destruction unless it was published.
class StagedFile {
 public:
  StagedFile(std::filesystem::path temp, std::string sha256, std::uint64_t size)
      : temp_(std::move(temp)), sha256_(std::move(sha256)), size_(size) {}
  StagedFile(StagedFile&& other) noexcept;
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  StagedFile& operator=(StagedFile&&) = delete;
  ~StagedFile();

  const std::string& sha256() const { return sha256_; }
  std::uint64_t size() const { return size_; }
  const std::filesystem::path& temp() const { return temp_; }
  void mark_published() { temp_.clear(); }

 private:
  std::filesystem::path temp_;
  std::string sha256_;
  std::uint64_t size_;
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
  // The same as stage(in) without the fsync: the bytes are durable only after a later
  // sync_barrier(). Also creates the final folder, so publish_batch only renames. Thread-safe
  // (touches no shared state), like stage().
  StagedFile stage_unsynced(std::istream& in) const;

  // Moves the staged bytes to their final place (replacing an identical copy if one is there).
  void publish(StagedFile& staged) const;
  // One durability barrier for the store's filesystem: syncfs(2) on Linux, sync(2) elsewhere.
  // It flushes every dirty page of that filesystem, also other programs', which is why it is
  // used once per batch and never per file.
  void sync_barrier() const;
  // Moves every staged file to its final place (replacing an identical copy if one is there,
  // e.g. left without a row by a killed run), creating missing folders, then one
  // sync_barrier() makes the renames and folders durable. The staged bytes themselves must be
  // durable already (sync_barrier() after stage_unsynced), or a crash could leave a final name
  // with missing bytes. A file that cannot be moved throws PublishError with its index; a
  // failed barrier throws CatalogError io (it belongs to no single file).
  void publish_batch(const std::vector<StagedFile*>& staged) const;
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

  std::filesystem::path root_;
  std::filesystem::path tmp_;
  int layout_ = 2;  // 1: aa/bb/<sha256>, 2: aa/<sha256>
};

}  // namespace synapse::runtime::catalog
